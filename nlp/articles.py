"""Newspaper pages split into articles, continued pieces joined.

A page holds several articles; one may be interrupted by another and continue
further down. Paragraphs are grouped into *segments*: a new segment starts at a
lead byline (本报讯(...)) -- together with the headline lines just above it --
and after a closing byline (YMG全媒体记者 衣玉林). Then a segment's tail that
reads like an earlier article (character-bigram cosine similarity clearly
higher than with the segment's own beginning) is moved to that article as a
further part: that is how the 烟台 budget article, interrupted by the snow
reports, gets its "坚持制度先行 ..." continuation back.

Non-newspaper documents get ONE article covering the whole text (headline =
title), so every passage has an article and search can always group by it.
The byline and headline patterns are data: ``corpora/entities/article_rules.tsv``.
"""
from __future__ import annotations

import functools
import math
import re
from collections import Counter

import corpora
from nlp.items import Article

HEADLINE_MAX = 40
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
JOIN_MIN_SIM = 0.25  # tail must be at least this similar to the earlier article
JOIN_MARGIN = 0.08  # ... and this much more similar to it than to its own segment


@functools.lru_cache(maxsize=1)
def _rules() -> dict[str, re.Pattern[str]]:
    parts: dict[str, list[str]] = {}
    for line in corpora.read_lines("entities", "article_rules.tsv"):
        kind, rx = line.split("\t", 1)
        parts.setdefault(kind, []).append(rx)
    return {k: re.compile("|".join(f"(?:{r})" for r in v) if len(v) > 1 else v[0], re.M)
            for k, v in parts.items()}


@functools.lru_cache(maxsize=1)
def _headline_bad_ends() -> tuple[str, ...]:
    """Characters a headline never ends with (a sentence or a broken line does)."""
    return tuple(corpora.read_lines("entities", "headline_bad_ends.txt")[0])


def is_newspaper(text: str) -> bool:
    return bool(_rules()["newspaper"].search(text))


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.start(), m.end()
        seg = m.group()
        ls = len(seg) - len(seg.lstrip())
        rs = len(seg) - len(seg.rstrip())
        if e - rs > s + ls:
            out.append((s + ls, e - rs))
    return out


def _bigrams(text: str) -> Counter[str]:
    c: Counter[str] = Counter()
    for run in _CJK_RUN.findall(text):
        c.update(run[i:i + 2] for i in range(len(run) - 1))
    return c


def _cos(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    return dot / (math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values())))


class _Seg:
    def __init__(self, paras: list[int]) -> None:
        self.paras = paras
        self.headline: list[int] = []
        self.byline = ""
        self.lead = False  # opened by a lead byline
        self.parts: list[list[int]] = []


def split_articles(text: str, title: str = "") -> list[Article]:
    """Articles of a newspaper page; one whole-text article for anything else."""
    if not text.strip():
        return []
    if not is_newspaper(text):
        return [Article(index=0, start=0, end=len(text), headline=title, parts=[(0, len(text))])]
    rules = _rules()
    bad_end = _headline_bad_ends()
    paras = _paragraphs(text)
    ptext = [text[s:e] for s, e in paras]

    def headline_like(i: int) -> bool:
        t = ptext[i]
        return len(t) <= HEADLINE_MAX and not t.endswith(bad_end) and "。" not in t[:-1] \
            and not rules["lead_byline"].match(t) and not rules["trail_byline"].match(t)

    segs: list[_Seg] = [_Seg([])]
    for i, t in enumerate(ptext):
        lead = rules["lead_byline"].match(t)
        if lead and lead.group().strip():
            cur = segs[-1]
            head: list[int] = []
            while cur.paras and len(head) < 3 and headline_like(cur.paras[-1]):
                head.insert(0, cur.paras.pop())
            if not cur.paras and not cur.lead and len(segs) > 1:
                segs.pop()  # the previous segment was only these headline lines
            seg = _Seg(head + [i])
            seg.headline = head
            seg.byline = (lead.group("byline") or lead.group()).strip()
            seg.lead = True
            segs.append(seg)
            continue
        segs[-1].paras.append(i)
        if rules["trail_byline"].match(t):
            segs.append(_Seg([]))
    segs = [s for s in segs if s.paras]
    if segs and not segs[0].headline:
        first = segs[0]
        k = 0
        while k < len(first.paras) and k < 3 and headline_like(first.paras[k]):
            k += 1
        first.headline = first.paras[:k]

    # join a segment's tail to an earlier article it continues
    articles: list[_Seg] = []
    for seg in segs:
        seg.parts = [seg.paras]
        best = None
        lo = 1 if (seg.lead or seg.headline) else 0
        for j in range(max(lo, 1 if len(seg.paras) > 1 else 0), len(seg.paras)):
            tail = _bigrams("".join(ptext[p] for p in seg.paras[j:]))
            own = _bigrams("".join(ptext[p] for p in seg.paras[:j])) if j else Counter()
            own_sim = _cos(tail, own)
            for a in articles:
                sim = _cos(tail, _bigrams("".join(ptext[p] for part in a.parts for p in part)))
                margin = sim - own_sim
                if sim >= JOIN_MIN_SIM and margin >= JOIN_MARGIN and (best is None or margin > best[0]):
                    best = (margin, j, a)
        if best is not None:
            _, j, a = best
            a.parts.append(seg.paras[j:])
            seg.parts = [seg.paras[:j]] if j else []
        if seg.parts and seg.parts[0]:
            articles.append(seg)

    out = []
    for idx, a in enumerate(articles):
        spans = [(paras[part[0]][0], paras[part[-1]][1]) for part in a.parts if part]
        out.append(Article(index=idx, start=min(s for s, _ in spans), end=max(e for _, e in spans),
                           headline=" ".join(ptext[p] for p in a.headline), byline=a.byline,
                           parts=spans))
    return out

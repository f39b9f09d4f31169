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

import numpy

import corpora
from nlp.items import Article

HEADLINE_MAX = 40
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
JOIN_MIN_SIM = 0.25  # tail must be at least this similar to the earlier article
JOIN_MARGIN = 0.08  # ... and this much more similar to it than to its own segment
JOIN_WINDOW = 50  # a continuation is looked for among this many articles before it


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
    """CJK bigrams of a text: the definition :func:`_paragraph_grams` computes in arrays."""
    c: Counter[str] = Counter()
    for run in _CJK_RUN.findall(text):
        c.update(run[i:i + 2] for i in range(len(run) - 1))
    return c


def _cos_of(dot: int, norm_a: int, norm_b: int) -> float:
    """Cosine from an integer dot product and squared norms (0 for an empty side)."""
    if not norm_a or not norm_b:
        return 0.0
    return dot / (math.sqrt(norm_a) * math.sqrt(norm_b))


class _Seg:
    def __init__(self, paras: list[int]) -> None:
        self.paras = paras
        self.headline: list[int] = []
        self.byline = ""
        self.lead = False  # opened by a lead byline
        self.parts: list[list[int]] = []
        self.pieces: list[tuple[numpy.ndarray, numpy.ndarray]] = []  # bigram counts of its text
        self.last = ""  # last character of its text (bigrams across a join)
        self.vector: tuple[numpy.ndarray, numpy.ndarray] | None = None  # ``pieces`` summed
        self.norm = 0  # squared norm of ``vector``


_EMPTY = numpy.zeros(0, dtype=numpy.int64)


def _paragraph_grams(text: str, paras: list[tuple[int, int]]) -> list[tuple[numpy.ndarray, numpy.ndarray]]:
    """Each paragraph's CJK bigram counts as (sorted keys, counts), the keys being
    the two characters' code points (``a << 16 | b``): :func:`_bigrams` of every
    paragraph at once, in numpy, with no dictionary of bigram strings."""
    cps = numpy.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32).astype(numpy.int64)
    cjk = (cps >= 0x4E00) & (cps <= 0x9FFF)
    keys = (cps[:-1] << 16) | cps[1:]
    pair = cjk[:-1] & cjk[1:]
    out = []
    for s, e in paras:
        k = keys[s:e - 1][pair[s:e - 1]] if e - s > 1 else _EMPTY
        out.append(numpy.unique(k, return_counts=True) if len(k) else (_EMPTY, _EMPTY))
    return out


def _edge_key(left: str, right: str) -> int:
    """Key of the bigram formed where two paragraphs are joined (both ends CJK), else -1."""
    if left and right and _CJK_RUN.fullmatch(left[-1]) and _CJK_RUN.fullmatch(right[0]):
        return ord(left[-1]) << 16 | ord(right[0])
    return -1


def _join_continuations(segs: list[_Seg], ptext: list[str],
                        grams: list[tuple[numpy.ndarray, numpy.ndarray]]) -> list[_Seg]:
    """Move a segment's tail to an earlier article it continues; the articles.

    For each cut ``j`` of a segment the tail (its paragraphs from ``j``) is
    compared with the text before ``j`` and with each earlier article, by
    bigram cosine on the joined text. Counts, norms and dot products are kept
    exact (integers) and updated paragraph by paragraph instead of being rebuilt
    for every cut and article, and only the last ``JOIN_WINDOW`` articles are
    candidates, so the work is linear in the text (it was quadratic: a 1 MB
    newspaper text took minutes). Bigram counts are numpy arrays keyed by code
    points (:func:`_paragraph_grams`)."""
    articles: list[_Seg] = []
    for seg in segs:
        seg.parts = [seg.paras]
        best = _best_cut(seg, articles[-JOIN_WINDOW:], ptext, grams)
        if best is not None:
            _, j, a = best
            a.parts.append(seg.paras[j:])
            _extend(a, seg.paras[j:], ptext, grams)
            seg.parts = [seg.paras[:j]] if j else []
        if seg.parts and seg.parts[0]:
            seg.pieces, seg.last = [], ""
            _extend(seg, seg.parts[0], ptext, grams)
            articles.append(seg)
    return articles


def _extend(a: _Seg, paras: list[int], ptext: list[str],
            grams: list[tuple[numpy.ndarray, numpy.ndarray]]) -> None:
    """Add paragraphs to article ``a``'s bigram counts (as if its text were joined)."""
    for p in paras:
        edge = _edge_key(a.last, ptext[p])
        if edge >= 0:
            a.pieces.append((numpy.array([edge], dtype=numpy.int64), numpy.ones(1, dtype=numpy.int64)))
        a.pieces.append(grams[p])
        a.last = ptext[p][-1:] or a.last
    a.vector = None  # summed when next needed


def _vector(a: _Seg) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Article ``a``'s bigram counts summed over its pieces (sorted keys, counts); sets its norm."""
    if a.vector is None:
        keys = numpy.concatenate([k for k, _ in a.pieces] or [_EMPTY])
        counts = numpy.concatenate([c for _, c in a.pieces] or [_EMPTY])
        uniq, inverse = numpy.unique(keys, return_inverse=True)
        summed = numpy.bincount(inverse.ravel(), weights=counts, minlength=len(uniq))
        a.vector = (uniq, numpy.rint(summed).astype(numpy.int64))
        a.pieces = [a.vector]
        a.norm = int((a.vector[1] ** 2).sum())
    return a.vector


def _article_matrix(candidates: list[_Seg], keys: numpy.ndarray) -> numpy.ndarray:
    """Counts of the segment's bigrams (``keys``, sorted) in each candidate article."""
    out = numpy.zeros((len(candidates), len(keys)), dtype=numpy.int64)
    for r, a in enumerate(candidates):
        ids, cnt = _vector(a)
        if not len(ids):
            continue
        pos = numpy.minimum(numpy.searchsorted(ids, keys), len(ids) - 1)
        hit = ids[pos] == keys
        out[r, hit] = cnt[pos[hit]]
    return out


class _Counts:
    """A count vector over a segment's bigrams (``keys``) with its squared norm,
    updated in place and kept exact."""

    def __init__(self, size: int) -> None:
        self.v = numpy.zeros(size, dtype=numpy.int64)
        self.norm = 0

    def add(self, pos: numpy.ndarray, cnt: numpy.ndarray, sign: int = 1) -> None:
        old = self.v[pos]
        self.norm += int(((old + sign * cnt) ** 2 - old ** 2).sum())
        self.v[pos] = old + sign * cnt  # positions of one sparse vector are distinct


def _best_cut(seg: _Seg, candidates: list[_Seg], ptext: list[str],
              grams: list[tuple[numpy.ndarray, numpy.ndarray]]) -> tuple[float, int, _Seg] | None:
    """(margin, cut, article) of the best continuation of ``seg`` in ``candidates``.

    With ``C_i`` the bigrams of the segment's paragraph ``i`` and ``E_i`` the one
    formed where paragraphs ``i`` and ``i+1`` join: ``own(j) = C_0..C_{j-1} +
    E_0..E_{j-2}`` and ``tail(j) = C_j.. + E_j..``; going from cut ``j`` to ``j+1``
    moves ``C_j + E_j`` out of the tail and ``C_j + E_{j-1}`` into own. Ties go to
    the first cut, then the first (oldest) article, as the margin must be larger."""
    paras = seg.paras
    n = len(paras)
    lo = 1 if (seg.lead or seg.headline) else 0
    first = max(lo, 1 if n > 1 else 0)
    if first >= n or not candidates:
        return None
    vecs = [grams[p] for p in paras]
    edge_ids = [_edge_key(ptext[paras[i]], ptext[paras[i + 1]]) for i in range(n - 1)] + [-1]
    keys = numpy.unique(numpy.concatenate([ids for ids, _ in vecs]
                                          + [numpy.array([e for e in edge_ids if e >= 0],
                                                         dtype=numpy.int64)]))
    pos = [numpy.searchsorted(keys, ids) for ids, _ in vecs]
    edge_pos = [numpy.searchsorted(keys, numpy.array([e])) if e >= 0 else None for e in edge_ids]
    one = numpy.ones(1, dtype=numpy.int64)
    tail, own = _Counts(len(keys)), _Counts(len(keys))
    for i in range(n):
        target = tail if i >= first else own
        target.add(pos[i], vecs[i][1])
        if edge_pos[i] is not None and i != first - 1:
            target.add(edge_pos[i], one)
    cross = int(tail.v @ own.v)
    matrix = _article_matrix(candidates, keys)
    art_norm = numpy.sqrt(numpy.array([a.norm for a in candidates], dtype=numpy.float64))
    dots = matrix @ tail.v
    best = None
    for j in range(first, n):
        own_sim = _cos_of(cross, tail.norm, own.norm)
        if tail.norm:
            with numpy.errstate(divide="ignore", invalid="ignore"):
                sims = numpy.where(art_norm > 0, dots / (math.sqrt(tail.norm) * art_norm), 0.0)
            margins = sims - own_sim
            ok = (sims >= JOIN_MIN_SIM) & (margins >= JOIN_MARGIN)
            if ok.any():
                r = int(numpy.argmax(numpy.where(ok, margins, -numpy.inf)))
                if best is None or float(margins[r]) > best[0]:
                    best = (float(margins[r]), j, candidates[r])
        if j + 1 >= n:
            break
        # paragraph j and its join to j+1 leave the tail ...
        for p, c in ((pos[j], vecs[j][1]), (edge_pos[j], one)):
            if p is not None:
                cross -= int(own.v[p] @ c)
                tail.add(p, c, -1)
                dots -= matrix[:, p] @ c
        # ... and paragraph j with its join to j-1 arrive in own
        for p, c in ((pos[j], vecs[j][1]), (edge_pos[j - 1] if j else None, one)):
            if p is not None:
                cross += int(tail.v[p] @ c)
                own.add(p, c)
    return best


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

    articles = _join_continuations(segs, ptext, _paragraph_grams(text, paras))
    out = []
    for idx, a in enumerate(articles):
        spans = [(paras[part[0]][0], paras[part[-1]][1]) for part in a.parts if part]
        out.append(Article(index=idx, start=min(s for s, _ in spans), end=max(e for _, e in spans),
                           headline=" ".join(ptext[p] for p in a.headline), byline=a.byline,
                           parts=spans))
    return out

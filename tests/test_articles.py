"""Newspaper pages split into articles; interrupted articles joined."""
from __future__ import annotations

import math

import corpora
from nlp.articles import split_articles

YANTAI = corpora.path("samples", "yantai_daily_budget_performance_2023.txt").read_text(encoding="utf-8")


def test_yantai_budget_article_is_joined_across_the_snow_reports():
    arts = split_articles(YANTAI, "烟台在全省率先提出“6个3”绩效管理模式")
    budget = arts[0]
    assert budget.headline.startswith("烟台在全省率先提出")
    assert len(budget.parts) == 2
    first, second = budget.parts
    assert "绩效管理" in YANTAI[first[0]:first[1]]
    assert YANTAI[second[0]:].startswith("坚持制度先行")
    # the snow article sits between the two parts and is an article of its own
    snow = arts[1]
    assert first[1] < snow.start < snow.end < second[0]
    assert snow.byline == "本报讯(YMG全媒体记者 王瑶)"
    assert "党旗映雪别样红" in snow.headline
    assert "坚持制度先行" not in YANTAI[snow.start:snow.end]


def test_articles_cover_the_page_with_bylines_and_valid_offsets():
    arts = split_articles(YANTAI)
    assert len(arts) >= 7
    bylines = [a.byline for a in arts if a.byline]
    assert "本报讯(通讯员 宋宁)" in bylines
    assert any("九三学社烟台市委召开" in a.headline for a in arts)
    for i, a in enumerate(arts):
        assert a.index == i
        assert all(a.start <= s < e <= a.end <= len(YANTAI) for s, e in a.parts)
    # pieces never overlap across articles
    spans = sorted(p for a in arts for p in a.parts)
    assert all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:]))


def test_non_newspaper_text_is_one_article():
    text = "第一条 为了规范预算管理，制定本法。\n第二条 预算由政府编制。\n"
    [a] = split_articles(text, "预算法")
    assert (a.start, a.end, a.headline, a.parts) == (0, len(text), "预算法", [(0, len(text))])
    assert split_articles("") == []



def _reference_join(segs, ptext, grams=None):
    """The join step by its definition (bigram cosine of the joined texts, every
    cut against every earlier article, rebuilt each time): quadratic, slow, exact."""
    from collections import Counter

    from nlp.articles import JOIN_MARGIN, JOIN_MIN_SIM, _bigrams

    def cos(a, b):
        if not a or not b:
            return 0.0
        dot = sum(v * b.get(k, 0) for k, v in a.items())
        return dot / (math.sqrt(sum(v * v for v in a.values()))
                      * math.sqrt(sum(v * v for v in b.values())))

    articles = []
    for seg in segs:
        seg.parts = [seg.paras]
        best = None
        lo = 1 if (seg.lead or seg.headline) else 0
        for j in range(max(lo, 1 if len(seg.paras) > 1 else 0), len(seg.paras)):
            tail = _bigrams("".join(ptext[p] for p in seg.paras[j:]))
            own = _bigrams("".join(ptext[p] for p in seg.paras[:j])) if j else Counter()
            own_sim = cos(tail, own)
            for a in articles:
                sim = cos(tail, _bigrams("".join(ptext[p] for part in a.parts for p in part)))
                margin = sim - own_sim
                if sim >= JOIN_MIN_SIM and margin >= JOIN_MARGIN and (best is None or margin > best[0]):
                    best = (margin, j, a)
        if best is not None:
            _, j, a = best
            a.parts.append(seg.paras[j:])
            seg.parts = [seg.paras[:j]] if j else []
        if seg.parts and seg.parts[0]:
            articles.append(seg)
    return articles


def test_incremental_join_equals_its_definition(monkeypatch):
    """Three copies of the 烟台 page plus a page whose continuation comes late: the
    linear join (exact integer counts updated paragraph by paragraph) gives the
    same articles as recomputing every cosine from the joined texts."""
    import nlp.articles as articles

    text = "\n".join([YANTAI] * 3)
    fast = split_articles(text)
    monkeypatch.setattr(articles, "_join_continuations", _reference_join)
    assert split_articles(text) == fast
    assert len(fast) > 20 and any(len(a.parts) > 1 for a in fast)


def test_article_index_finds_the_article_of_every_offset():
    """The binary-search index answers as asking every article in turn does."""
    from nlp.items import Analysis

    arts = split_articles(YANTAI)
    analysis = Analysis(articles=arts)
    for offset in range(0, len(YANTAI), 7):
        expected = next((i for i, a in enumerate(arts) if a.contains(offset)), None)
        assert analysis.article_at(offset) == expected, offset
    assert Analysis().article_at(5) is None

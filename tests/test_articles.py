"""Newspaper pages split into articles; interrupted articles joined."""
from __future__ import annotations

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

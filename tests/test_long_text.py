"""Texts longer than spaCy's limit are analysed in pieces (never its E088), with
every item's offsets into the whole text, as one analysis would give them."""
from __future__ import annotations

import pytest

import corpora
from ingest.readers import read_bytes
from nlp import pipeline

LELING = corpora.path("samples", "leling_budget_performance_2019.txt").read_text(encoding="utf-8")


@pytest.fixture
def small_limits(monkeypatch):
    """spaCy's max_length lowered so that a 60,000-character text is 'too long'."""
    nlp = pipeline.get_nlp()
    monkeypatch.setattr(nlp, "max_length", 12_000)
    monkeypatch.setattr(pipeline, "CHUNK_CHARS", 10_000)
    return nlp


def test_chunk_bounds_cut_at_paragraphs_and_cover_the_text():
    text = ("第一段。\n\n" + "预算绩效管理。" * 300 + "\n") * 20
    bounds = pipeline.chunk_bounds(text, 5000)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(e == s2 for (_, e), (s2, _) in zip(bounds, bounds[1:]))
    assert all(e - s <= 5000 for s, e in bounds)
    assert all(text[e - 1] in "\n。" for _, e in bounds[:-1])
    assert pipeline.chunk_bounds("", 10) == [(0, 0)]
    assert pipeline.chunk_bounds("x" * 25, 10) == [(0, 10), (10, 20), (20, 25)]


def test_text_longer_than_spacy_limit_is_analysed_in_pieces(small_limits):
    text = "\n\n".join([LELING] * (60_000 // len(LELING) + 1))
    assert len(text) > small_limits.max_length
    with pytest.raises(ValueError, match="E088"):
        small_limits(text)  # what the whole text would do
    document = read_bytes(text.encode("utf-8"), "long.txt")
    analysis = pipeline.analyse(document)
    for item in analysis.items:
        assert document.text[item.start:item.end] == item.text, item
    copies = text.count(LELING)
    one = pipeline.analyse(read_bytes(LELING.encode("utf-8"), "one.txt"))
    money = [i.text for i in one.items if i.type == "figure"]
    found = [i.text for i in analysis.items if i.type == "figure"]
    assert len(found) >= copies * len(money) * 0.9  # the pieces miss at most a cut-off few
    assert analysis.meta.region == one.meta.region and analysis.articles
    assert [a.index for a in analysis.articles] == list(range(len(analysis.articles)))


def test_a_text_analysed_in_pieces_keeps_its_cut_for_the_index(small_limits):
    """The pieces' token spans are joined into one cut of the whole text, so the
    index columns come from it: the same words as cutting each passage afresh,
    without jieba running over the text a second time."""
    from search.tokenize import document_columns

    text = "\n\n".join([LELING] * (30_000 // len(LELING) + 1))
    document = read_bytes(text.encode("utf-8"), "long.txt")
    analysis = pipeline.analyse(document)
    assert len(pipeline.chunk_bounds(text)) > 1
    tokens = analysis.tokens
    assert tokens is not None and tokens[0, 0] == 0 and tokens[-1, 1] <= len(text)
    assert (tokens[1:, 0] >= tokens[:-1, 1]).all()  # in order, never overlapping
    spans = [(p.start, p.end) for p in document.passages]
    assert document_columns(text, spans, tokens) == document_columns(text, spans, None)

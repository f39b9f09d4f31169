"""search.tokenize.document_columns: the index columns of a document's passages,
taken from the analysis' cut, equal jieba's own search-mode cut of each
normalised passage (the definition, :func:`search.tokenize.word_tokens`)."""
from __future__ import annotations

from pathlib import Path

from ingest.readers import read_bytes
from nlp import pipeline
from search.tokenize import document_columns, gram_tokens, normalize, word_tokens

SAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "samples"

# upper-case and full-width letters and digits inside and beside Chinese words
# (normalisation changes jieba's cut there), a passage edge inside a block
TRICKY = ("全省GDP增长５．２％，ＰＰＰ项目Ａ类达到12个，CPI上涨2.1%。\n\n"
          "推进ＡＩ+政务服务，iPhone与Ｗｉｎｄｏｗｓ适配；第Ⅱ期工程①已完工。\n\n"
          "预算绩效管理全面实施" * 3)


def _expected(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, str]]:
    return [(" ".join(word_tokens(normalize(text[s:e]))), " ".join(gram_tokens(normalize(text[s:e]))))
            for s, e in spans]


def test_columns_equal_a_fresh_cut_of_each_passage_of_a_real_report():
    document = read_bytes((SAMPLES / "gwr2026_guizhou.txt").read_bytes(), "gwr2026_guizhou.txt")
    tokens = pipeline.analyse(document).tokens
    spans = [(p.start, p.end) for p in document.passages]
    assert document_columns(document.text, spans, tokens) == _expected(document.text, spans)


def test_columns_equal_a_fresh_cut_where_normalisation_or_an_edge_changes_the_cut():
    document = read_bytes(TRICKY.encode("utf-8"), "tricky.txt")
    tokens = pipeline.analyse(document).tokens
    n = len(TRICKY)
    # passages cut at every edge kind: inside a block, at a letter, at punctuation
    spans = [(0, n), (0, 7), (3, 30), (5, 6), (10, 41), (41, n), (40, n - 5), (n - 4, n)]
    got = document_columns(TRICKY, spans, tokens)
    assert got == _expected(TRICKY, spans)
    assert "gdp" in got[0][0].split() and "ppp" in got[0][0].split()


def test_search_tokens_are_jiebas_own_search_and_precise_cuts():
    """word_tokens and cut go through nlp.segment's cut; they stay jieba's own cut_for_search
    and cut, word for word, on a real report's passages and on the tricky text."""
    import jieba

    from search.tokenize import _fts_safe, cut, ensure_jieba

    ensure_jieba()
    document = read_bytes((SAMPLES / "gwr2026_guizhou.txt").read_bytes(), "gwr2026_guizhou.txt")
    texts = [normalize(document.text[p.start:p.end]) for p in document.passages] + [normalize(TRICKY)]
    for norm in texts:
        assert word_tokens(norm) == [t for t in jieba.cut_for_search(norm) if t.strip() and _fts_safe(t)]
        assert cut(norm) == [t for t in jieba.cut(norm) if t.strip()]

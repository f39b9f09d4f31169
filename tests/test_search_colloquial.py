"""The colloquial vocabulary (corpora/search/colloquial.txt) as data: every
entry loads and fires, and the entries of its corpus-checked block can match
something in the project's corpora."""
from __future__ import annotations

from pathlib import Path

import corpora
from bench.colloq_terms import documents
from search.query import parse, synonyms
from search.tokenize import normalize

BLOCK_MARK = "# === corpus-checked block"


def _entries(lines: list[str]) -> list[tuple[str, list[str]]]:
    """(everyday word, official targets) of the one-way lines among ``lines``."""
    out = []
    for line in lines:
        left, arrow, right = line.partition(">")
        if arrow and not line.lstrip().startswith("#"):
            out.append((left.strip(), [t.strip() for t in right.split("/") if t.strip()]))
    return out


def _all_entries() -> list[tuple[str, list[str]]]:
    return _entries(corpora.read_lines("search", "colloquial.txt"))


def _checked_entries() -> list[tuple[str, list[str]]]:
    """Entries after the corpus-checked block's header line."""
    lines = corpora.path("search", "colloquial.txt").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(BLOCK_MARK))
    return _entries(lines[start:])


def test_the_corpus_checked_block_is_large():
    entries = _checked_entries()
    assert len(entries) >= 300
    assert len({w for w, _ in entries}) == len(entries), "an everyday word listed twice"


def test_no_entry_maps_a_word_to_itself_or_to_nothing():
    for word, targets in _all_entries():
        assert word and targets, word
        assert normalize(word) not in {normalize(t) for t in targets}, word


def test_no_checked_target_merely_contains_the_everyday_word():
    """A passage holding such a target already holds the word: the expansion
    would add nothing."""
    for word, targets in _checked_entries():
        for t in targets:
            assert normalize(word) not in normalize(t), (word, t)


def test_every_checked_entry_fires_as_a_whole_query_word():
    """The loader takes each entry and the query parser keeps the everyday word
    whole (not cut by jieba or by the question words), alone and inside a longer
    query, with every official target as an expansion."""
    table = synonyms()
    for word, targets in _checked_entries():
        key = normalize(word)
        assert set(map(normalize, targets)) <= set(table[key]), word
        for query in (word, f"2024年{word}情况"):
            units = {u.text: u for u in parse(query).units}
            assert key in units, (query, list(units))
            assert set(map(normalize, targets)) <= set(units[key].expansions), query


def test_every_checked_target_occurs_in_a_corpus_document(shared_dir: Path):
    """An expansion must be able to match something: each official target of
    the corpus-checked block occurs in at least one document of ../shared/corpus
    or ../shared/bench-corpus (texts and the real PDFs' text layer)."""
    texts = [normalize(t) for t in documents([shared_dir / "corpus", shared_dir / "bench-corpus"])]
    assert len(texts) > 200
    missing = sorted({t for _, targets in _checked_entries() for t in targets
                      if not any(normalize(t) in text for text in texts)})
    assert not missing, missing

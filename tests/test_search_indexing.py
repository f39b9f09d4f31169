"""search.indexing: file discovery and batch ingest that survives bad files."""
from __future__ import annotations

from pathlib import Path

import pytest

from search.indexing import FileOutcome, ingest_paths, iter_files
from search.sqlite import SQLiteBackend

SAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "samples"


def test_iter_files_recursive_sorted_hidden_skipped(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for rel in ("b/z.txt", "a.txt", ".hidden.txt", ".git/config", "b/y.md"):
        (tmp_path / rel).write_text("x", encoding="utf-8")
    got = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path])]
    assert got == ["a.txt", "b/y.md", "b/z.txt"]
    # a file named twice (directly and through its folder) is listed once
    assert len(iter_files([tmp_path, tmp_path / "a.txt"])) == 3


def test_missing_and_bad_files_fail_without_stopping_batch(tmp_path):
    backend = SQLiteBackend(tmp_path / "db.sqlite3")
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 not really a pdf")
    seen: list[FileOutcome] = []
    out = ingest_paths([tmp_path / "nope.txt", bad], backend, progress=seen.append)
    assert [o.status for o in out] == ["failed", "failed"]
    assert all(o.reason for o in out)
    assert seen == out
    assert backend.stats()["documents"] == 0


def test_real_samples_ingest_then_unchanged(tmp_path):
    pytest.importorskip("ingest.readers")
    backend = SQLiteBackend(tmp_path / "db.sqlite3")
    files = [SAMPLES / "leling_budget_performance_2019.txt"]
    first = ingest_paths(files, backend)
    assert [o.status for o in first] == ["ingested"], first
    again = ingest_paths(files, backend)
    assert [o.status for o in again] == ["unchanged"]
    assert again[0].doc_id == first[0].doc_id
    from search.backend import Query

    hits = backend.search(Query("绩效")).hits
    assert hits and hits[0].doc == "leling_budget_performance_2019.txt"


def test_index_from_older_schema_is_migrated(tmp_path):
    """A version-1 index (FTS without the tags column) opens and filters work."""
    import sqlite3

    from search.backend import Filter, Query
    from search.sqlite import SCHEMA
    from search.tokenize import index_columns

    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA.replace("fts5(words, grams, tags)", "fts5(words, grams)"))
    text = "全面实施预算绩效管理。"
    conn.execute("INSERT INTO documents (id, path, source, text, region) VALUES"
                 " ('d1', '/x/a.txt', 'a.txt', ?, '烟台市')", (text,))
    conn.execute('INSERT INTO passages (rowid, doc_id, idx, start, "end", text)'
                 " VALUES (1, 'd1', 0, 0, ?, ?)", (len(text), text))
    conn.execute("INSERT INTO passages_fts (rowid, words, grams) VALUES (1, ?, ?)",
                 index_columns(text))
    conn.commit()
    conn.close()
    backend = SQLiteBackend(path)
    res = backend.search(Query("绩效", filters=[Filter("region", "eq", "烟台市")]))
    assert [h.text for h in res.hits] == [text]
    assert backend.search(Query("绩效", filters=[Filter("region", "eq", "乐陵市")])).hits == []


def test_an_upgrade_reanalyses_what_was_stored_before(tmp_path, monkeypatch):
    """Ingest, then ingest again after the analysis changed (simulated by a new
    version string): the file is re-analysed in place, then unchanged again."""
    import search.indexing as indexing

    backend = SQLiteBackend(tmp_path / "db.sqlite3")
    src = SAMPLES / "leling_budget_performance_2019.txt"
    first = indexing.ingest_file(src, backend)
    assert first.status == "ingested"
    assert backend.get_document(first.doc_id)["version"] == indexing.analysis_version()
    assert indexing.ingest_file(src, backend).status == "unchanged"
    monkeypatch.setattr(indexing, "analysis_version", lambda: "after-upgrade")
    again = indexing.ingest_file(src, backend)
    assert (again.status, again.doc_id) == ("reanalysed", first.doc_id)
    assert backend.get_document(first.doc_id)["version"] == "after-upgrade"
    assert indexing.ingest_file(src, backend).status == "unchanged"
    assert backend.stats()["documents"] == 1


def test_analysis_version_follows_code_and_rules_not_samples(tmp_path, monkeypatch):
    import search.indexing as indexing

    for rel in ("nlp/a.py", "ingest/b.py", "search/tokenize.py", "corpora/goals/cues.txt",
                "corpora/samples/doc.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    monkeypatch.setattr(indexing, "ROOT", tmp_path)

    def version() -> str:
        indexing.analysis_version.cache_clear()
        return indexing.analysis_version()
    try:
        base = version()
        (tmp_path / "corpora/samples/doc.txt").write_text("changed", encoding="utf-8")
        assert version() == base  # a sample document is input, not a rule
        (tmp_path / "corpora/goals/cues.txt").write_text("要", encoding="utf-8")
        ruled = version()
        assert ruled != base
        (tmp_path / "search/tokenize.py").write_text("y", encoding="utf-8")
        assert version() not in (base, ruled)
    finally:
        indexing.analysis_version.cache_clear()

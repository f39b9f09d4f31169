"""Digests of what the analysis and the store's write path make of fixed real
documents (the text samples in ``corpora/samples``): every extracted item with
its span, the document metadata and articles, the token cut, the FTS columns
and the stored rows. ``tests/test_analysis_golden.py`` fails when any of them
changes, so a speed change cannot change an output unseen.

Goals and indicators are left out: their rules, data and models are being
retrained (a change there is a change of results, scored elsewhere, not of speed).

After an intended change of results, rewrite the digests and read the diff:
``python -m tests.analysis_golden --write`` (from the repository root).
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpora" / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden" / "analysis.json"
LEFT_OUT = ("goal", "indicator")  # types whose results other work changes


def sample_files() -> list[Path]:
    return [f for f in sorted(SAMPLES.iterdir()) if f.suffix in (".txt", ".md")]


def _digest(value: Any) -> str:
    data = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha1(data.encode("utf-8")).hexdigest()[:16]


def _rows(db: Path, doc_id: str) -> dict[str, Any]:
    conn = sqlite3.connect(db)
    try:
        doc = conn.execute("SELECT id, path, source, format, title, encoding, doc_type, org, region,"
                           " year, date, meta, n_passages FROM documents WHERE id = ?",
                           (doc_id,)).fetchall()
        passages = conn.execute('SELECT rowid, idx, start, "end", page, article, text FROM passages'
                                " WHERE doc_id = ? ORDER BY rowid", (doc_id,)).fetchall()
        fts = conn.execute("SELECT rowid, words, grams, tags FROM passages_fts WHERE rowid IN"
                           " (SELECT rowid FROM passages WHERE doc_id = ?) ORDER BY rowid",
                           (doc_id,)).fetchall()
        items = conn.execute(
            "SELECT passage, type, kind, value, unit, vague, score, name, level1, level2, project,"
            ' canonical, subject, start, "end", page, text, org, region, year, json FROM items'
            f" WHERE doc_id = ? AND type NOT IN ({','.join('?' * len(LEFT_OUT))}) ORDER BY id",
            (doc_id, *LEFT_OUT)).fetchall()
    finally:
        conn.close()
    meta = json.loads(doc[0][11])
    meta.pop("version", None)
    meta.get("reader", {}).pop("mtime", None)  # the file's, not the analysis'
    row = [*doc[0][:11], meta, doc[0][12]]
    row[1] = Path(row[1]).name  # the checkout's folder is no part of the result
    return {"document": row, "passages": passages, "fts": fts,
            "items": items}


def digests(db: Path) -> dict[str, dict[str, str]]:
    """Per sample file: a digest of each part of its analysis and stored rows."""
    from nlp.pipeline import analyse
    from search.baseline import read_document
    from search.sqlite import SQLiteBackend

    backend = SQLiteBackend(db)
    out: dict[str, dict[str, str]] = {}
    try:
        for f in sample_files():
            document = read_document(f)
            analysis = analyse(document)
            backend.add(document, analysis)
            parts: dict[str, Any] = {}
            for item in analysis.items:
                if item.type not in LEFT_OUT:
                    parts.setdefault(f"items:{item.type}", []).append(item.to_json())
            parts["meta"] = analysis.meta.__dict__
            parts["articles"] = [a.__dict__ for a in analysis.articles]
            parts["tokens"] = analysis.tokens.tolist()
            parts.update(_rows(db, document.id))
            out[f.name] = {k: f"{_digest(v)} {len(v) if isinstance(v, list) else ''}".strip()
                           for k, v in sorted(parts.items())}
    finally:
        backend.close()
    return out


if __name__ == "__main__":  # python -m tests.analysis_golden --write
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        found = digests(Path(tmp) / "golden.sqlite3")
    if "--write" in sys.argv:
        GOLDEN.write_text(json.dumps(found, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                          encoding="utf-8")
    print(json.dumps(found, ensure_ascii=False, indent=1, sort_keys=True))

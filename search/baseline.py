"""Relevance report: our SQLite search beside a plain character-bigram BM25
baseline (what Elasticsearch's ``cjk`` analyzer with a match query does), on the
dev gold queries, in the same run and over the same passages.

``report()`` (called by ``make eval`` through ``api/evaluate.py``) indexes the
dev corpus plus ``bench-corpus`` files as realistic distractors, runs the gold
queries through both engines and prints recall@10, MRR@10 and nDCG@10 computed
exactly as ``../shared/eval/score.py`` does. The analysis step is skipped here
(relevance does not depend on extracted items), which keeps the report fast.
"""
from __future__ import annotations

import json
import math
import os
import re
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from ingest.document import Document
from ingest.readers import read
from nlp.items import Analysis
from search.backend import Query
from search.tokenize import normalize, runs

TEXT_SUFFIXES = {".txt", ".md"}


# ---- the baseline engine -------------------------------------------------------------


def bigrams(text: str) -> list[str]:
    """Overlapping character bigrams of each letter/digit/CJK run (a lone
    character stays a unigram), like the ``cjk_bigram`` token filter."""
    norm = normalize(text)
    out = []
    for s, e in runs(norm):
        if e - s == 1:
            out.append(norm[s])
        out.extend(norm[i : i + 2] for i in range(s, e - 1))
    return out


class BigramBaseline:
    """BM25 over character bigrams; a query is the OR of its bigrams."""

    def __init__(self, path: str = ":memory:") -> None:
        self.conn = sqlite3.connect(path)
        self.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS bg USING fts5(doc UNINDEXED,"
                          " text UNINDEXED, grams)")

    def add(self, document: Document) -> None:
        rows = []
        for p in document.passages:
            text = document.text[p.start : p.end]
            grams = bigrams(text)
            if grams:
                rows.append((document.source, text, " ".join(grams)))
        with self.conn:
            self.conn.executemany("INSERT INTO bg (doc, text, grams) VALUES (?,?,?)", rows)

    def add_rows(self, rows: list[tuple[str, str, str]]) -> None:
        """Bulk rows of (doc, text, space-joined grams), for benchmarks."""
        with self.conn:
            self.conn.executemany("INSERT INTO bg (doc, text, grams) VALUES (?,?,?)", rows)

    def search(self, text: str, limit: int = 10) -> list[dict[str, Any]]:
        grams = sorted(set(bigrams(text)))
        if not grams:
            return []
        expr = " OR ".join('"' + g.replace('"', '""') + '"' for g in grams)
        rows = self.conn.execute("SELECT doc, text, bm25(bg) FROM bg WHERE bg MATCH ?"
                                 " ORDER BY bm25(bg) LIMIT ?", (expr, limit)).fetchall()
        return [{"doc": d, "text": t, "score": -s} for d, t, s in rows]


# ---- reading documents for the report --------------------------------------------------


def read_document(path: Path) -> Document | None:
    """The document at ``path``, or None (reported) when it cannot be read."""
    try:
        return read(path)
    except Exception as err:  # a bad file is reported and skipped
        print(f"   skipped {path.name}: {err}")
        return None


# ---- scoring (mirrors ../shared/eval/score.py) ---------------------------------------


def squash(s: str | None) -> str:
    return re.sub(r"\s+", "", s or "")


def matches(doc: Any, text: str | None, label: dict[str, Any]) -> bool:
    """Whether a passage (its document, its text) is a gold label's passage: the
    same document and the label's snippet inside the text, whitespace ignored,
    as ``score.py`` judges a hit."""
    return doc == label["doc"] and squash(label["contains"]) in squash(text)


def score_runs(gold: list[dict[str, Any]], runs_: dict[str, list[dict[str, Any]]],
               limit: int = 10) -> dict[str, float]:
    rec = mrr = ndcg = 0.0
    for g in gold:
        hits = runs_.get(g["id"], [])[:limit]
        rel = g["relevant"]

        def is_rel(h: dict[str, Any]) -> bool:
            return any(matches(h.get("doc"), h.get("text"), r) for r in rel)

        flags = [is_rel(h) for h in hits]
        found = {i for i, r in enumerate(rel) if any(matches(h.get("doc"), h.get("text"), r) for h in hits)}
        rec += len(found) / len(rel)
        first = next((i for i, x in enumerate(flags) if x), None)
        mrr += 1 / (first + 1) if first is not None else 0
        dcg = sum(1 / math.log2(i + 2) for i, x in enumerate(flags) if x)
        idcg = sum(1 / math.log2(i + 2) for i in range(min(len(rel), limit)))
        ndcg += dcg / idcg if idcg else 0
    n = len(gold) or 1
    return {"recall@10": rec / n, "mrr@10": mrr / n, "ndcg@10": ndcg / n}


def evaluate(shared: Path, distractors: bool = True) -> dict[str, dict[str, float]]:
    """Index corpus (+ distractors) in both engines and score the dev gold queries."""
    from search.sqlite import SQLiteBackend

    gold = [json.loads(line) for line in
            (shared / "gold" / "search_dev.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    files = sorted((shared / "corpus").iterdir())
    if distractors and (shared / "bench-corpus").is_dir():
        names = {f.name for f in files}
        files += sorted(f for f in (shared / "bench-corpus").iterdir()
                        if f.suffix.lower() in TEXT_SUFFIXES and f.name not in names)
    with tempfile.TemporaryDirectory() as tmp:
        ours = SQLiteBackend(Path(tmp) / "eval.sqlite3")
        base = BigramBaseline()
        n_docs = n_pass = 0
        for f in files:
            document = read_document(f)
            if document is None:
                continue
            ours.add(document, Analysis())
            base.add(document)
            n_docs += 1
            n_pass += len(document.passages)
        runs_ours = {g["id"]: [h.to_json() for h in ours.search(Query(g["query"], limit=10)).hits]
                     for g in gold}
        runs_base = {g["id"]: base.search(g["query"], 10) for g in gold}
        ours.close()
    return {"ours": score_runs(gold, runs_ours), "baseline": score_runs(gold, runs_base),
            "_size": {"documents": n_docs, "passages": n_pass, "queries": len(gold)}}


def report(shared: Path | None = None) -> None:
    shared = Path(shared or os.environ.get("POLICYLENS_SHARED") or "../shared")
    labels = {"ours": "sqlite (words+grams, rerank)", "baseline": "bigram BM25 baseline"}
    for distractors in (False, True):
        res = evaluate(shared, distractors=distractors)
        size = res.pop("_size")
        where_ = "dev corpus + bench-corpus distractors" if distractors else "dev corpus (as score.py)"
        print(f"   {size['queries']} dev queries over {size['documents']} documents,"
              f" {size['passages']} passages: {where_}")
        print(f"   {'engine':<30}{'recall@10':>10}{'MRR@10':>10}{'nDCG@10':>10}")
        for key in ("ours", "baseline"):
            m = res[key]
            print(f"   {labels[key]:<30}{m['recall@10']:>10.3f}{m['mrr@10']:>10.3f}"
                  f"{m['ndcg@10']:>10.3f}")


if __name__ == "__main__":
    report()

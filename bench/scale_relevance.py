"""Ranking quality with a million distractors: a judged store (ingested and
embedded, e.g. the small store of docs/search_relevance.md) added to a copy
of the :mod:`bench.scale` million-passage store, then scored with
:mod:`search.relevance`.

Why: the fast query plans of the SQLite store (pruned BM25 pools, exact
inner characters, see ``search.sqlite.LARGE_INDEX``) only run on large
indexes, so a judged store of a few thousand passages never exercises them.
Here the judged passages compete with a million others, and the plans do run.

Caveat: the distractors are made of the same real sentences (``bench.scale``
draws them from the bench corpus), so copies of a relevant sentence sit in
synthetic documents that the gold does not name; absolute scores are low and
only a before/after comparison in the same store means anything. The
distractors' vectors are random, so they rarely enter the semantic list; the
baseline row is the small store's own.

``python -m bench.scale_relevance JUDGED_STORE OUT_STORE --gold FILE [--gold ...]
[--modes lexical,hybrid] [--query-cache FILE]`` (OUT_STORE is made once and
reused; the 1M store is built by ``python -m bench.hybrid_latency`` first).
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from bench.scale import OUT
from search.sqlite import SQLiteBackend, _bump_vectors

BIG = OUT / "scale_1000000.sqlite3"
OFFSET = 1_000_000  # judged rowids follow the synthetic ones (1..1,000,000)


def merge(judged: Path, out: Path) -> None:
    """Copy the 1M store to ``out`` and add ``judged``'s documents, passages,
    FTS rows and vectors (rowids moved past the synthetic ones)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(BIG, out)
    big = SQLiteBackend(out)
    with big.writer() as c:
        c.execute("ATTACH ? AS s", (str(judged),))
        cols = ",".join(f'"{r[1]}"' for r in c.execute("PRAGMA s.table_info(documents)"))
        c.execute(f"INSERT INTO documents ({cols}) SELECT {cols} FROM s.documents")
        cols = ",".join(f'"{r[1]}"' for r in c.execute("PRAGMA s.table_info(passages)")
                        if r[1] != "rowid")
        c.execute(f"INSERT INTO passages (rowid, {cols}) SELECT rowid + {OFFSET}, {cols}"
                  " FROM s.passages")
        c.execute("INSERT INTO passages_fts (rowid, words, grams, tags) SELECT rowid + ?,"
                  " words, grams, tags FROM s.passages_fts", (OFFSET,))
        c.execute("INSERT INTO passage_vectors (rowid, vec) SELECT rowid + ?, vec"
                  " FROM s.passage_vectors", (OFFSET,))
        _bump_vectors(c)
    big._writer.execute("DETACH s")
    big.build_vector_index()
    big.close()


def main(argv: list[str]) -> None:
    import search.relevance as relevance

    judged, out, rest = Path(argv[0]), Path(argv[1]), argv[2:]
    if not out.exists():
        merge(judged, out)
    own = relevance.baseline_from_store
    relevance.baseline_from_store = lambda _path: own(judged)  # not a million rows
    sys.argv = ["search.relevance", "--store", str(out), *rest]
    relevance.main()


if __name__ == "__main__":
    main(sys.argv[1:])

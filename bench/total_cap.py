"""What the capped total (search.backend.TOTAL_CAP) saves: hybrid and lexical
latency on an existing store with the cap and with counting every match, the
two taking turns so they see the same machine load, and whether any top 10
changes (it must not: the cap bounds the count, never the hits).

``python -m bench.total_cap STORE [REPEATS]``, e.g. on the 1M store of
:mod:`bench.scale` (``bench/out/scale_1000000.sqlite3``).
"""
from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

import search.backend as backend_mod
from bench.hybrid_latency import DIM, RandomQueries, embedder_or_random, gold_queries, time_mode
from bench.scale import pct
from search.backend import Query
from search.sqlite import SQLiteBackend

UNCAPPED = 10**12  # LIMIT past any store: every match counted, as before the cap


def top10(backend: SQLiteBackend, qs: list[str], mode: str) -> list:
    return [[(h.doc, h.passage, round(h.score, 9)) for h in
             backend.search(Query(q, limit=10, mode=mode)).hits] for q in qs]


def main(path: Path, repeats: int = 2) -> None:
    import search.sqlite as sqlite_mod

    emb, real = embedder_or_random()
    sqlite_mod.load_embedder = lambda: emb if real and emb.dim == DIM else RandomQueries()
    backend = SQLiteBackend(path)
    qs = gold_queries()
    for q in qs[:5]:  # warm the page cache and the metadata cache
        backend.search(Query(q, limit=10, mode="lexical"))
    capped = sum(backend.search(Query(q, limit=10, mode="lexical")).total_relation == "gte"
                 for q in qs)
    print(f"   {len(qs)} gold queries, {capped} past the cap of {backend_mod.TOTAL_CAP:,};"
          f" real query embeddings: {real}")
    print(f"   {'mode':<9}{'count':<9}  wall p50/p95   cpu p50/p95   main p50/p95  (ms)")
    cap = backend_mod.TOTAL_CAP
    for mode in ("lexical", "hybrid"):
        for _ in range(repeats):
            for name, value in (("capped", cap), ("exact", UNCAPPED)):
                backend_mod.TOTAL_CAP = value
                main_ms: list[float] = []
                wall, cpu, _ = time_mode(backend, qs, mode, emb, main_ms)
                print(f"   {mode:<9}{name:<9}  " + " ".join(
                    f"{statistics.median(x):6.1f}/{pct(x, 95):6.1f}"
                    for x in (wall, cpu, main_ms)) + f"  (load {os.getloadavg()[0]:.1f})")
    for mode in ("lexical", "hybrid"):
        backend_mod.TOTAL_CAP = cap
        a = top10(backend, qs, mode)
        backend_mod.TOTAL_CAP = UNCAPPED
        b = top10(backend, qs, mode)
        print(f"   {mode}: identical top 10 capped and exact for"
              f" {sum(x == y for x, y in zip(a, b))}/{len(qs)}")
    backend_mod.TOTAL_CAP = cap
    backend.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 2)

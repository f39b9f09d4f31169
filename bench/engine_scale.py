"""The distributed engine beside the embedded store (issue 13): the same
synthetic passages and queries as ``bench/scale.py``, indexed into the engine at
``POLICYLENS_ES_URL`` (``make -s engine-up`` starts one).

Reported per size: index time (bulk, 1,000 rows a request, one refresh at the
end; jieba tokens computed once per source sentence, as scale.py does) and
passages/second, the engine's store size after a flush, and p50/p95
of the two-word queries with a region filter through ``ElasticBackend.search``
(total count, re-rank, highlights: the full path). Sizes from
``ENGINE_BENCH_SIZES`` (default 100000; 1000000 takes tens of minutes on two
cores). An index of the right size is reused (delete it with
``curl -XDELETE URL/plbench-N-*`` to rebuild).
"""
from __future__ import annotations

import os
import random
import statistics
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


def build(backend, n: int, toks) -> float | None:
    """Index ``n`` passages unless the index holds them already (then ``None``)."""
    from search.elastic import document_actions

    if backend.client.count(backend.names["passages"]) == n:
        return None
    t0 = time.perf_counter()
    words: dict[str, str] = {}
    actions = (a for doc, analysis in documents(n, toks, words)
               for a in document_actions(doc, analysis, backend.names, words=words.__getitem__))
    refused = backend.client.bulk(actions, refresh=False, chunk_size=1000)
    backend.client.raw.indices.refresh(index=",".join(backend.names.values()))
    if refused:
        raise SystemExit(f"{len(refused)} rows refused: {refused[:1]}")
    return time.perf_counter() - t0


def store_mb(backend) -> float:
    indices = ",".join(backend.names.values())
    backend.client.raw.indices.flush(index=indices)
    stats = backend.client.raw.indices.stats(index=indices, metric="store")
    return stats["_all"]["total"]["store"]["size_in_bytes"] / 1e6


def run(shared: Path) -> None:
    url = os.environ.get("POLICYLENS_ES_URL")
    if not url:
        print("   skipped: POLICYLENS_ES_URL not set (make -s engine-up prints an engine URL)")
        return
    from search.elastic import ElasticBackend

    sizes = [int(s) for s in os.environ.get("ENGINE_BENCH_SIZES", "100000").split(",")]
    toks = tokenised(source_sentences(Path(shared)))
    qs = queries(toks)
    print(f"   {'passages':>10} {'index s':>8} {'pass/s':>8} {'store MB':>9} {'p50 ms':>7}"
          f" {'p95 ms':>7}  engine")
    for n in sizes:
        backend = ElasticBackend(url=url, index_prefix=f"plbench-{n}", request_timeout=120)
        secs = build(backend, n, toks)
        lat = time_queries(backend, qs)
        rate = f"{n / secs:>8.0f}" if secs else f"{'cached':>8}"
        print(f"   {n:>10} {secs or 0:>8.1f} {rate} {store_mb(backend):>9.0f}"
              f" {statistics.median(lat):>7.1f} {pct(lat, 95):>7.1f}  {backend.engine.label}",
              flush=True)
        backend.close()

"""Scale (issue 6): the SQLite backend at 100k and 1M passages.

Synthetic passages are made of real sentences from the samples and
``../shared/bench-corpus``: each source sentence is tokenised once (jieba words
and character grams, exactly as :mod:`search.tokenize` does for real passages),
then passages are random runs of 1-3 sentences, bulk-inserted straight into the
backend's tables (no spaCy pipeline), in documents of 50 passages with a region,
year and doc_type. Built indexes are cached in ``bench/out/`` (git-ignored).

Reported per size: build time and passages/second, index size, p50/p95 of
two-word queries with a region filter through ``SQLiteBackend.search`` (the
full path: total count, BM25, re-rank, highlights), the same for the
character-bigram BM25 baseline (:class:`search.baseline.BigramBaseline`) over
the same passages, and peak memory (``resource.getrusage``).
"""
from __future__ import annotations

import collections
import random
import re
import resource
import statistics
import sys
import time
from pathlib import Path

from search.backend import Filter, Query
from search.baseline import BigramBaseline, bigrams
from search.filters import doc_tags
from search.sqlite import SQLiteBackend
from search.tokenize import gram_tokens, normalize, word_tokens

OUT = Path(__file__).resolve().parent / "out"
SAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "samples"
SIZES = (100_000, 1_000_000)
DOC_SIZE = 50
REGIONS = [f"地区{i:02d}" for i in range(30)]
DOC_TYPES = ["news", "policy", "budget", "work_report", "evaluation_report"]
N_QUERIES = 200
SEED = 7


def source_sentences(shared: Path, cap: int = 40_000) -> list[str]:
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in sorted(SAMPLES.iterdir())
             if f.suffix in (".txt", ".md")]
    bench = shared / "bench-corpus"
    if bench.is_dir():
        texts += [f.read_text(encoding="utf-8", errors="replace")
                  for f in sorted(bench.iterdir()) if f.suffix in (".txt", ".md")]
    seen, out = set(), []
    for t in texts:
        for s in re.findall(r"[^。！？；\n]+[。！？；]?", t):
            s = s.strip()
            if 8 <= len(s) <= 120 and s not in seen:
                seen.add(s)
                out.append(s)
    random.Random(SEED).shuffle(out)
    return out[:cap]


def tokenised(sentences: list[str]) -> list[tuple[str, str, str, str]]:
    """(text, words, grams, baseline grams) per sentence, computed once."""
    out = []
    for s in sentences:
        norm = normalize(s)
        out.append((s, " ".join(word_tokens(norm)), " ".join(gram_tokens(norm)),
                    " ".join(bigrams(s))))
    return out


def build(n: int, toks: list[tuple[str, str, str, str]]) -> tuple[Path, Path, float]:
    """Build (or reuse) the index and the baseline of ``n`` passages."""
    path, bpath = OUT / f"scale_{n}.sqlite3", OUT / f"scale_{n}_baseline.sqlite3"
    done = OUT / f"scale_{n}.done"
    if done.exists() and path.exists() and bpath.exists():
        return path, bpath, float(done.read_text() or 0)
    for p in (path, bpath, Path(str(path) + "-wal"), Path(str(path) + "-shm")):
        p.unlink(missing_ok=True)
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    t0 = time.perf_counter()
    backend = SQLiteBackend(path)
    base = BigramBaseline(str(bpath))
    base.conn.execute("DROP TABLE bg")
    base.conn.execute("CREATE VIRTUAL TABLE bg USING fts5(doc UNINDEXED, region UNINDEXED,"
                      " text UNINDEXED, grams)")
    rowid = 0
    for d0 in range(0, n, DOC_SIZE * 200):  # one transaction per 200 documents
        docs, passages, fts, brows = [], [], [], []
        for d in range(d0 // DOC_SIZE, min(n, d0 + DOC_SIZE * 200) // DOC_SIZE):
            doc_id = f"syn{d:08d}"
            region, year = REGIONS[d % len(REGIONS)], 2000 + d % 26
            parts, pos = [], 0
            tags = doc_tags({"doc": f"{doc_id}.txt", "doc_type": DOC_TYPES[d % len(DOC_TYPES)],
                             "region": region, "year": year})
            for i in range(DOC_SIZE):
                picks = [toks[rng.randrange(len(toks))] for _ in range(rng.randint(1, 3))]
                text = "".join(p[0] for p in picks)
                rowid += 1
                passages.append((rowid, doc_id, i, pos, pos + len(text), text))
                fts.append((rowid, " ".join(p[1] for p in picks), " ".join(p[2] for p in picks),
                            tags))
                brows.append((doc_id, region, text, " ".join(p[3] for p in picks)))
                parts.append(text)
                pos += len(text) + 1
            docs.append((doc_id, f"/synthetic/{doc_id}.txt", f"{doc_id}.txt", "text", doc_id,
                         "\n".join(parts), DOC_TYPES[d % len(DOC_TYPES)], region, year, DOC_SIZE))
        with backend.writer() as conn:
            conn.executemany("INSERT INTO documents (id, path, source, format, title, text,"
                             " doc_type, region, year, n_passages, n_items) VALUES"
                             " (?,?,?,?,?,?,?,?,?,?,0)", docs)
            conn.executemany('INSERT INTO passages (rowid, doc_id, idx, start, "end", text)'
                             " VALUES (?,?,?,?,?,?)", passages)
            conn.executemany("INSERT INTO passages_fts (rowid, words, grams, tags)"
                             " VALUES (?,?,?,?)", fts)
        with base.conn:
            base.conn.executemany("INSERT INTO bg (doc, region, text, grams) VALUES (?,?,?,?)",
                                  brows)
    with backend.writer() as conn:
        conn.execute("INSERT INTO passages_fts(passages_fts) VALUES ('optimize')")
    base.conn.execute("INSERT INTO bg(bg) VALUES ('optimize')")
    base.conn.commit()
    backend._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    backend.close()
    base.conn.close()
    secs = time.perf_counter() - t0
    done.write_text(f"{secs:.1f}")
    return path, bpath, secs


def queries(toks: list[tuple[str, str, str, str]]) -> list[tuple[str, str]]:
    """Two-word queries from mid-frequency words (not stop-word-like, not rare) with a region."""
    counts = collections.Counter(w for t in toks for w in set(t[1].split()) if len(w) >= 2
                                 and not w.isascii())
    ranked = [w for w, _ in counts.most_common(3000)][100:]
    rng = random.Random(SEED)
    return [(f"{rng.choice(ranked)} {rng.choice(ranked)}", rng.choice(REGIONS))
            for _ in range(N_QUERIES)]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def time_queries(b, qs: list[tuple[str, str]]) -> list[float]:
    """Milliseconds per query through ``b.search`` (any Backend), after 10 warm-up queries."""
    for q, r in qs[:10]:  # warm the page cache
        b.search(Query(q, limit=10, filters=[Filter("region", "eq", r)]))
    out = []
    for q, r in qs:
        t = time.perf_counter()
        b.search(Query(q, limit=10, filters=[Filter("region", "eq", r)]))
        out.append((time.perf_counter() - t) * 1000)
    return out


def time_ours(path: Path, qs: list[tuple[str, str]]) -> list[float]:
    b = SQLiteBackend(path)
    out = time_queries(b, qs)
    b.close()
    return out


def time_baseline(bpath: Path, qs: list[tuple[str, str]]) -> list[float]:
    base = BigramBaseline(str(bpath))
    out = []
    for i, (q, r) in enumerate(qs):
        grams = sorted(set(bigrams(q)))
        expr = " OR ".join('"' + g + '"' for g in grams)
        t = time.perf_counter()
        base.conn.execute("SELECT doc, text, bm25(bg) FROM bg WHERE bg MATCH ? AND region = ?"
                          " ORDER BY bm25(bg) LIMIT 10", (expr, r)).fetchall()
        base.conn.execute("SELECT count(*) FROM bg WHERE bg MATCH ? AND region = ?",
                          (expr, r)).fetchone()
        if i >= 0:
            out.append((time.perf_counter() - t) * 1000)
    base.conn.close()
    return out


def size_mb(p: Path) -> float:
    return sum(f.stat().st_size for f in p.parent.glob(p.name + "*")) / 1e6


def run(shared: Path, sizes: tuple[int, ...] = SIZES) -> None:
    t0 = time.perf_counter()
    toks = tokenised(source_sentences(Path(shared)))
    print(f"   {len(toks)} source sentences tokenised in {time.perf_counter() - t0:.1f} s")
    qs = queries(toks)
    print(f"   {'passages':>10} {'build s':>8} {'pass/s':>8} {'index MB':>9} {'base MB':>8}"
          f" {'p50 ms':>7} {'p95 ms':>7} {'base p50':>9} {'base p95':>9} {'p50 ratio':>9}")
    for n in sizes:
        path, bpath, secs = build(n, toks)
        ours, theirs = time_ours(path, qs), time_baseline(bpath, qs)
        p50, p95 = statistics.median(ours), pct(ours, 95)
        b50, b95 = statistics.median(theirs), pct(theirs, 95)
        print(f"   {n:>10} {secs:>8.1f} {n / secs if secs else 0:>8.0f} {size_mb(path):>9.0f}"
              f" {size_mb(bpath):>8.0f} {p50:>7.1f} {p95:>7.1f} {b50:>9.1f} {b95:>9.1f}"
              f" {p50 / b50 if b50 else 0:>9.2f}", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"   peak memory {peak:.0f} MB (ru_maxrss); build time is cached after the first run"
          " (delete bench/out/scale_* to rebuild)")


if __name__ == "__main__":
    run(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared"),
        tuple(int(x) for x in sys.argv[2:]) or SIZES)

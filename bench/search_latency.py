"""p50/p95 search latency through ``SQLiteBackend.search`` over >= 100,000
passages built from the samples.

The samples' real passages are tokenised once and inserted again and again as
copies of their documents (bulk inserts, no pipeline) until the index holds
100k passages. The query mix covers what users type: one word, two words, a
single character, a quoted phrase, an exclusion, and long questions, each with
and without a filter and facets. The index is cached in ``bench/out/``.
"""
from __future__ import annotations

import statistics
import time
from pathlib import Path

from search.backend import Filter, Query
from search.baseline import read_document
from search.filters import doc_tags
from search.sqlite import SQLiteBackend
from search.tokenize import index_columns

OUT = Path(__file__).resolve().parent / "out"
SAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "samples"
TARGET = 100_000
QUERIES = {
    "one word": ["预算", "绩效", "债务", "民生", "财政资金", "扶贫", "教育", "医疗"],
    "two words": ["第三方机构 绩效评价", "政府采购 中小企业", "隐性债务 风险", "乡村 振兴",
                  "预算 公开", "项目 资金"],
    "one character": ["债", "税", "绿"],
    "phrase": ['"预算绩效管理"', '"一般公共预算"', '"高质量发展"'],
    "exclusion": ["绩效 -评价", "资金 -扶贫"],
    "question": ["预算批准后多少天内要向社会公开", "财政支出中民生支出占多大比例",
                 "今年国内生产总值增长的预期目标是多少", "没有设定绩效目标的项目能否安排预算"],
}


def build() -> tuple[Path, int]:
    path = OUT / "latency.sqlite3"
    done = OUT / "latency.done"
    if done.exists() and path.exists():
        return path, int(done.read_text())
    OUT.mkdir(parents=True, exist_ok=True)
    for p in OUT.glob("latency.sqlite3*"):
        p.unlink()
    docs = [d for d in (read_document(f) for f in sorted(SAMPLES.iterdir())) if d is not None]
    prepared = [(d, [(p, d.text[p.start:p.end], *index_columns(d.text[p.start:p.end]))
                     for p in d.passages]) for d in docs]
    backend = SQLiteBackend(path)
    regions = ["烟台市", "乐陵市", "上海市", "广东省", "贵州省", "全国"]
    n, copy, rowid = 0, 0, 0
    while n < TARGET:
        with backend.writer() as conn:
            for d, ps in prepared:
                doc_id = f"{d.id}-{copy}"
                conn.execute("INSERT INTO documents (id, path, source, format, title, text, region,"
                             " year, n_passages, n_items) VALUES (?,?,?,?,?,?,?,?,?,0)",
                             (doc_id, f"{d.path}#{copy}", d.source, d.format, d.title, d.text,
                              regions[copy % len(regions)], 2000 + copy % 26, len(ps)))
                rows, fts = [], []
                tags = doc_tags({"doc": d.source, "region": regions[copy % len(regions)],
                                 "year": 2000 + copy % 26})
                for p, text, words, grams in ps:
                    rowid += 1
                    rows.append((rowid, doc_id, p.index, p.start, p.end, p.page, text))
                    if grams:
                        fts.append((rowid, words, grams, tags))
                conn.executemany('INSERT INTO passages (rowid, doc_id, idx, start, "end", page,'
                                 " text) VALUES (?,?,?,?,?,?,?)", rows)
                conn.executemany("INSERT INTO passages_fts (rowid, words, grams, tags)"
                                 " VALUES (?,?,?,?)",
                                 fts)
                n += len(ps)
        copy += 1
    with backend.writer() as conn:
        conn.execute("INSERT INTO passages_fts(passages_fts) VALUES ('optimize')")
    backend.close()
    done.write_text(str(n))
    return path, n


def run(shared: Path) -> None:
    path, n = build()
    backend = SQLiteBackend(path)
    for qs in QUERIES.values():  # warm the cache
        for q in qs:
            backend.search(Query(q))
    print(f"   {n} passages; 10 hits per query")
    print(f"   {'query kind':<16}{'plain p50':>10}{'p95':>8}{'filtered+facets p50':>21}{'p95':>8}")
    allp, allf = [], []
    for kind, qs in QUERIES.items():
        plain, filt = [], []
        for _ in range(5):
            for q in qs:
                t = time.perf_counter()
                backend.search(Query(q, limit=10))
                plain.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                backend.search(Query(q, limit=10, filters=[Filter("region", "eq", "广东省")],
                                     facets=["region", "year"]))
                filt.append((time.perf_counter() - t) * 1000)
        allp += plain
        allf += filt
        print(f"   {kind:<16}{statistics.median(plain):>10.1f}{pct(plain, 95):>8.1f}"
              f"{statistics.median(filt):>21.1f}{pct(filt, 95):>8.1f}")
    print(f"   {'all':<16}{statistics.median(allp):>10.1f}{pct(allp, 95):>8.1f}"
          f"{statistics.median(allf):>21.1f}{pct(allf, 95):>8.1f}  (ms)")
    backend.close()


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


if __name__ == "__main__":
    import sys

    run(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared"))

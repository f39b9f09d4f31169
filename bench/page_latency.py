"""How long each web page and the comparison API take on a real index.

Issue 14 asks for no page over 1 s on the bench corpus (~300 documents). This
section times every page a user meets (search with filters, the document list,
the item tables, the comparison with its default and all measures, a document
view) through the app in-process (no network), on the index in
``$POLICYLENS_BENCH_INDEX`` (a data folder or an ``.sqlite3`` file), else the
data directory. Build one with::

    POLICYLENS_DATA_DIR=/tmp/pl-bench python -m api.cli ingest --workers 2 \\
        ../shared/bench-corpus ../shared/corpus

Reported per page: the first request of that URL after the app started
("first": nothing of it cached; the very first page also compiles templates),
the median and worst of the next ``REPEAT`` requests ("warm": comparison
tables, facet counts and places come from :mod:`search.cache`), and the median
of ``REPEAT`` requests with those caches emptied before each ("uncached": the
SQL work itself, what the first request after any write costs). Absolute
timings on the machine that runs it; compare runs on the same machine only.
"""
from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

REPEAT = 5
LIMIT_S = 1.0
PAGES = {
    "home": "/",
    "search": "/?q=预算绩效",
    "search region+year": "/?q=预算&region=上海市&year=2024",
    "documents": "/documents",
    "documents region": "/documents?region=上海市",
    "items figure": "/items/figure",
    "items figure region": "/items/figure?region=上海市&kind=money",
    "items goal": "/items/goal",
    "items indicator": "/items/indicator",
    "compare default": "/compare",
    "compare all": "/compare?metric=all",
    "compare by region": "/compare?by=region",
    "compare region filter": "/compare?region=上海市",
    "api compare default": "/api/compare",
    "api compare all": "/api/compare?metric=all",
    "document view": "/documents/{doc}",
}


def index_path() -> Path:
    """The sqlite file to time: ``$POLICYLENS_BENCH_INDEX`` or the data directory's."""
    from search.backend import data_dir

    p = Path(os.environ.get("POLICYLENS_BENCH_INDEX") or data_dir())
    return p if p.suffix == ".sqlite3" else p / "policylens.sqlite3"


def _timed(client, url: str) -> float:
    t0 = time.perf_counter()
    r = client.get(url)
    dt = time.perf_counter() - t0
    if r.status_code != 200:
        raise SystemExit(f"{url}: HTTP {r.status_code}")
    return dt


def _clear_caches() -> None:
    from api.routes import item_pages
    from search import compare, places

    for cache in (compare._tables, item_pages._facet_cache, places._places):
        cache.clear()


def run(shared: Path | None = None) -> dict[str, tuple[float, float, float, float]]:
    """Print and return {page: (first s, warm median s, warm max s, uncached median s)}."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from search.sqlite import SQLiteBackend

    path = index_path()
    if not path.exists():
        print(f"   no index at {path}: set POLICYLENS_BENCH_INDEX (see the module docstring)")
        return {}
    backend = SQLiteBackend(path)
    stats = backend.stats()
    docs, _ = backend.list_documents(200, 0)
    doc = max(docs, key=lambda d: d.get("items") or 0)["id"] if docs else ""
    print(f"   index {path}: {stats['documents']} documents, {stats['items']} items")
    out = {}
    with TestClient(create_app(backend=backend, api_token="bench"),
                    base_url="http://127.0.0.1") as client:
        for name, url in PAGES.items():
            url = url.format(doc=doc)
            cold = _timed(client, url)
            warm = [_timed(client, url) for _ in range(REPEAT)]
            fresh = []
            for _ in range(REPEAT):
                _clear_caches()
                fresh.append(_timed(client, url))
            out[name] = (cold, statistics.median(warm), max(warm), statistics.median(fresh))
            flag = "  OVER" if max(*warm, *fresh) > LIMIT_S else ""
            print(f"   {name:24s} first {cold:6.3f} s  warm median {out[name][1]:6.3f} s"
                  f"  max {out[name][2]:6.3f} s  uncached median {out[name][3]:6.3f} s{flag}")
    backend.close()
    return out


if __name__ == "__main__":
    run()

"""A node of a 3-node OpenSearch cluster is killed (``kill -9``) during a bounded
query and ingest load: how many requests fail, how long until green, whether any
document that was acknowledged is lost.

``python -m bench.engine_fault [--shared ../shared] [--seconds 60] [--port 9210]
[--home DIR] [--close]``

Starts its own cluster (``ENGINE_NODES=3 ENGINE_PROCESSES=1 engine/engine.sh up``:
each node its own JVM, 1 replica per index, data in ``--home`` or a temp folder,
ports from ``--port``; a cluster already running in ``--home`` is used as it is),
stores ``--docs`` documents of real sentences (no analysis: passages only), then
for ``--seconds`` runs one query thread and one ingest thread against all three
nodes (``URL,URL,URL``: the client retries a refused node on the next). At a
quarter of the time node 2's process gets SIGKILL (no shutdown of any kind), at
half the time it is started again on its data folder (``engine.sh node-up 2``).
``--close`` instead runs the three nodes in one JVM and closes node 2 cleanly (the
launcher's control file): the earlier, gentler fault. Afterwards every document
whose ``add`` returned is read back. All traffic stays on 127.0.0.1; every loop
is bounded in time.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from ingest.document import Document, Passage, content_id
from nlp.items import Analysis, DocumentMeta
from search.backend import Query

REPO = Path(__file__).resolve().parents[1]
ENGINE = REPO / "engine" / "engine.sh"


def sentences(shared: Path, cap: int = 5000) -> list[str]:
    import re

    out: list[str] = []
    for f in sorted((shared / "bench-corpus").glob("*.txt"))[:40]:
        for s in re.findall(r"[^。！？；\n]{8,80}[。！？；]", f.read_text(encoding="utf-8")):
            out.append(s)
    random.Random(3).shuffle(out)
    return out[:cap]


def document(n: int, sents: list[str], rng: random.Random) -> tuple[Document, Analysis]:
    lines = [sents[rng.randrange(len(sents))] for _ in range(20)] + [f"编号{n:06d}。"]
    text = "\n".join(lines) + "\n"
    passages, pos = [], 0
    for i, line in enumerate(lines):
        passages.append(Passage(i, pos, pos + len(line)))
        pos += len(line) + 1
    doc = Document(id=content_id(text.encode()), source=f"fault{n:06d}.txt",
                   path=f"/fault/fault{n:06d}.txt", format="text", title=f"fault{n}",
                   text=text, passages=passages)
    return doc, Analysis(meta=DocumentMeta(region=f"地区{n % 10}", year=2000 + n % 26))


def health(url: str) -> str:
    try:
        with urllib.request.urlopen(f"{url}/_cluster/health", timeout=5) as r:
            return json.load(r)["status"]
    except Exception:  # noqa: BLE001 - a node that is down answers nothing
        return "unreachable"


def node_urls(url: str) -> list[str]:
    with urllib.request.urlopen(f"{url}/_nodes/http", timeout=10) as r:
        nodes = json.load(r)["nodes"].values()
    return sorted(f"http://{n['http']['publish_address']}" for n in nodes)


def green_again(statuses: list[tuple[float, str]], stopped_at: float) -> float | None:
    """When health was green again after the stop, having been something else."""
    left = False
    for t, status in statuses:
        if t < stopped_at:
            continue
        left = left or status != "green"
        if left and status == "green":
            return t
    return None


def compress(statuses: list[tuple[float, str]]) -> list[str]:
    """``"12.0s yellow"`` at each change of health."""
    out, last = [], None
    for t, status in statuses:
        if status != last:
            out.append(f"{t}s {status}")
            last = status
    return out


class Load:
    """Bounded query and ingest loops, recording every outcome."""

    def __init__(self, backend, sents: list[str], first: int, until: float) -> None:
        self.backend, self.sents, self.next, self.until = backend, sents, first, until
        self.queries: list[tuple[float, bool, float, str]] = []
        self.adds: list[tuple[float, bool, str, str]] = []  # (t, ok, doc id, error)

    def query_loop(self) -> None:
        rng = random.Random(5)
        words = ["预算", "绩效", "财政资金", "民生", "教育", "乡村振兴", "债务", "税收"]
        while time.time() < self.until:
            t = time.time()
            try:
                self.backend.search(Query(rng.choice(words), limit=10))
                self.queries.append((t, True, time.time() - t, ""))
            except Exception as err:  # noqa: BLE001 - counted, the load goes on
                self.queries.append((t, False, time.time() - t, type(err).__name__))

    def ingest_loop(self) -> None:
        rng = random.Random(9)
        while time.time() < self.until:
            doc, analysis = document(self.next, self.sents, rng)
            self.next += 1
            t = time.time()
            try:
                self.backend.add(doc, analysis)
                self.adds.append((t, True, doc.id, ""))
            except Exception as err:  # noqa: BLE001
                self.adds.append((t, False, doc.id, f"{type(err).__name__}: {err}"[:200]))


class Fault:
    """Stops and restarts node 2: SIGKILL to its own process and ``engine.sh
    node-up 2``, or (``close``) the one-JVM launcher's control files."""

    def __init__(self, home: Path, env: dict[str, str], close: bool) -> None:
        self.home, self.env, self.close = home, env, close

    def stop(self) -> str:
        if self.close:
            (self.home / "engine" / "control" / "stop-2").touch()
            return "node 2 closed"
        pid = int(subprocess.run([str(ENGINE), "node-pid", "2"], env=self.env, check=True,
                                 capture_output=True, text=True).stdout.strip())
        os.kill(pid, signal.SIGKILL)  # the node's own JVM, started by engine.sh above
        return f"kill -9 {pid} (node 2)"

    def start(self) -> None:
        if self.close:
            (self.home / "engine" / "control" / "start-2").touch()
            return
        subprocess.run([str(ENGINE), "node-up", "2"], env=self.env, check=True,
                       capture_output=True, text=True)


def run(shared: Path, seconds: float = 60, docs: int = 100, port: int = 9210,
        home: Path | None = None, close: bool = False) -> dict:
    from search.elastic import ElasticBackend

    home = home or Path(tempfile.mkdtemp(prefix="pl-fault-"))
    env = {**os.environ, "POLICYLENS_DATA_DIR": str(home), "ENGINE_NODES": "3",
           "ENGINE_PORT": str(port), "ENGINE_MAX_PORT": str(port + 20),
           "ENGINE_PROCESSES": "0" if close else "1", "ENGINE_HEAP": "1536m" if close else "768m",
           "ENGINE_TIMEOUT": "600"}
    fault = Fault(home, env, close)
    t0 = time.time()
    up = subprocess.run([str(ENGINE), "up"], env=env, capture_output=True, text=True)
    if up.returncode:
        raise SystemExit(f"cluster did not start:\n{up.stderr[-2000:]}")
    report: dict = {"cluster_start_s": round(time.time() - t0, 1)}
    try:
        urls = node_urls(up.stdout.strip().splitlines()[-1])
        backend = ElasticBackend(url=",".join(urls), index_prefix="plfault", max_retries=3,
                                 request_timeout=10)
        backend.drop()  # a cluster reused from an earlier run: start from nothing
        backend = ElasticBackend(url=",".join(urls), index_prefix="plfault", max_retries=3,
                                 request_timeout=10)
        sents = sentences(shared)
        rng = random.Random(1)
        acked = [backend.add(*document(n, sents, rng)).doc_id for n in range(docs)]
        load = Load(backend, sents, docs, time.time() + seconds)
        threads = [threading.Thread(target=load.query_loop),
                   threading.Thread(target=load.ingest_loop)]
        start = time.time()
        for th in threads:
            th.start()
        fault_done = ""
        statuses: list[tuple[float, str]] = []
        stopped_at = restarted_at = None
        while any(th.is_alive() for th in threads):
            now = time.time() - start
            if stopped_at is None and now >= seconds / 4:
                fault_done = fault.stop()
                stopped_at = now
            if restarted_at is None and now >= seconds / 2:
                fault.start()
                restarted_at = now
            statuses.append((round(now, 1), health(urls[0])))
            time.sleep(1)
        for th in threads:
            th.join()
        waited = time.time()
        while health(urls[0]) != "green" and time.time() - waited < 180:
            statuses.append((round(time.time() - start, 1), health(urls[0])))
            time.sleep(1)
        statuses.append((round(time.time() - start, 1), health(urls[0])))
        green_at = green_again(statuses, stopped_at)
        acked += [d for _, ok, d, _ in load.adds if ok]
        lost = [d for d in acked if backend.get_document(d) is None]
        lat = [x[2] * 1000 for x in load.queries if x[1]]
        report.update({
            "fault": fault_done, "seconds": seconds, "node_stopped_at_s": round(stopped_at, 1),
            "node_started_at_s": round(restarted_at, 1),
            "green_after_stop_s": round(green_at - stopped_at, 1) if green_at else None,
            "green_after_restart_s": round(green_at - restarted_at, 1) if green_at else None,
            "health_timeline": compress(statuses),
            "queries": len(load.queries), "queries_failed": sum(not x[1] for x in load.queries),
            "query_p50_ms": round(statistics.median(lat), 1) if lat else None,
            "query_p95_ms": round(sorted(lat)[int(0.95 * (len(lat) - 1))], 1) if lat else None,
            "adds": len(load.adds), "adds_failed": sum(not x[1] for x in load.adds),
            "add_errors": sorted({e for _, ok, _, e in load.adds if not ok})[:3],
            "acknowledged_documents": len(acked), "lost_documents": len(lost),
            "stats": backend.stats()})
        backend.drop()
        backend.close()
    finally:
        subprocess.run([str(ENGINE), "down"], env=env, capture_output=True)
    return report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default="../shared", type=Path)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--port", type=int, default=9210)
    ap.add_argument("--home", type=Path, default=None,
                    help="data folder of the cluster (reused when one runs there)")
    ap.add_argument("--close", action="store_true",
                    help="close node 2 inside one JVM instead of killing its process")
    args = ap.parse_args()
    print(json.dumps(run(args.shared, args.seconds, args.docs, args.port, args.home, args.close),
                     ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

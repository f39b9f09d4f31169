"""Hostile and heavy uploads against a real server: peak memory and search latency.

``python -m bench.upload_load [--port 8111] [--seconds 20] [--news-mb 5.3] [--shared ../shared]``

Starts ``policylens serve`` (this checkout) on a copy-free temp data dir holding
the samples, then measures, polling ``/proc`` every 0.1 s for the server and its
analysis process:

1. a 1 GB-expanding .docx (zip bomb): answer and peak memory;
2. a 200 MB text upload: answer and peak memory;
3. a newspaper text of ``--news-mb`` MB with 本报讯 markers (bench-corpus news
   releases as articles, :mod:`bench.newspaper`, or without ``--shared`` the
   烟台 page repeated): time from POST to stored, and peak memory of the analysis;
4. search at 16 concurrent clients for ``--seconds`` s, idle and while (3)
   runs: requests/s, p50/p95/p99 and errors.

Bounded: every phase has a time limit, the server is stopped at the end.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "corpora" / "samples"
TOKEN = "bench-token"
CLIENTS = 16
QUERIES = ["预算", "绩效", "债务", "财政资金", "第三方机构 绩效评价", '"预算绩效管理"', "资金 -扶贫",
           "今年国内生产总值增长的预期目标是多少", "乐陵市", "教育"]


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            child = int(stat.parent.name)
            out += [child, *_children(child)]
    return out


class MemoryPeak:
    """Peak RSS of a process tree while a block runs (``with MemoryPeak(pid) as m``)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.server = self.tree = 0
        self._stop = threading.Event()

    def _poll(self) -> None:
        while not self._stop.is_set():
            own = _rss_kb(self.pid)
            total = own + sum(_rss_kb(c) for c in _children(self.pid))
            self.server, self.tree = max(self.server, own), max(self.tree, total)
            time.sleep(0.1)

    def __enter__(self) -> "MemoryPeak":
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def __str__(self) -> str:
        return f"peak RSS server {self.server / 1024:.0f} MB, server+analysis {self.tree / 1024:.0f} MB"


def serve(port: int, data: Path, token: str = TOKEN) -> subprocess.Popen:
    """``policylens serve`` of this checkout on ``data`` with the write token, once it answers."""
    env = {**os.environ, "POLICYLENS_DATA_DIR": str(data), "POLICYLENS_API_TOKEN": token}
    env.pop("POLICYLENS_ES_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(1200):  # start-up loads jieba: slow on a busy machine
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.25)
    proc.kill()
    raise RuntimeError("server did not start")


def _start(port: int, data: Path) -> subprocess.Popen:
    env = {**os.environ, "POLICYLENS_DATA_DIR": str(data)}
    env.pop("POLICYLENS_ES_URL", None)
    subprocess.run([sys.executable, "-m", "api.cli", "ingest", "-q", str(SAMPLES)], cwd=REPO,
                   env=env, check=False, capture_output=True, timeout=900)
    return serve(port, data)


def _upload(base: str, name: str, data: bytes, wait: bool = True) -> httpx.Response:
    return httpx.post(f"{base}/api/documents", params={"wait": str(wait).lower()},
                      files={"file": (name, data)}, timeout=900,
                      headers={"Authorization": f"Bearer {TOKEN}"})


def _search_load(base: str, seconds: float) -> dict[str, float]:
    """16 clients searching in a loop for ``seconds``: rps, latency percentiles, errors."""
    times: list[float] = []
    errors = [0]
    stop = time.monotonic() + seconds

    def client(k: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as c:
            i = k
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                try:
                    ok = c.get("/api/search", params={"q": QUERIES[i % len(QUERIES)]}).status_code == 200
                except httpx.HTTPError:
                    ok = False
                times.append(time.perf_counter() - t0)
                errors[0] += not ok
                i += 1

    threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    q = statistics.quantiles(times, n=100) if len(times) > 1 else [0.0] * 99
    return {"requests": len(times), "rps": len(times) / elapsed, "p50_ms": q[49] * 1000,
            "p95_ms": q[94] * 1000, "p99_ms": q[98] * 1000, "errors": errors[0]}


def _fmt(r: dict[str, float]) -> str:
    return (f"{r['requests']} requests, {r['rps']:.1f} req/s, p50 {r['p50_ms']:.0f} ms, "
            f"p95 {r['p95_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms, errors {r['errors']}")


def newspaper_text(megabytes: float, shared: Path | None = None) -> bytes:
    """News releases from bench-corpus as articles (:mod:`bench.newspaper`) when
    ``shared`` holds them, else the 烟台 sample page repeated."""
    if shared is not None and any((Path(shared) / "bench-corpus").glob("mof_t*.txt")):
        from bench.newspaper import newspaper_text as articles

        return articles(Path(shared), megabytes).encode("utf-8")
    page = (SAMPLES / "yantai_daily_budget_performance_2023.txt").read_text(encoding="utf-8")
    copies = int(megabytes * 1024 * 1024 / len(page.encode("utf-8"))) + 1
    return "\n".join(f"{page}\n第{n}版" for n in range(copies)).encode("utf-8")


def run(shared: Path | None = None, port: int = 8111, seconds: float = 20,
        news_mb: float = 5.3) -> None:
    sys.path.insert(0, str(REPO / "tests"))
    from fixtures.ingest_files import zip_bomb

    with tempfile.TemporaryDirectory(prefix="pl-upload-bench-") as tmp:
        tmp_path = Path(tmp)
        proc = _start(port, tmp_path / "data")
        base = f"http://127.0.0.1:{port}"
        try:
            bomb = zip_bomb(tmp_path / "bomb.docx").read_bytes()
            with MemoryPeak(proc.pid) as m:
                r = _upload(base, "bomb.docx", bomb)
            print(f"zip bomb ({len(bomb) / 1e6:.1f} MB, 1 GB expanded): {r.status_code} "
                  f"{r.json().get('detail', '')[:90]}; {m}")
            big = b"\xe9\xa2\x84\xe7\xae\x97\xe7\xbb\xa9\xe6\x95\x88\n" * (200 * 1024 * 1024 // 13)
            with MemoryPeak(proc.pid) as m:
                try:
                    r = _upload(base, "big.txt", big)
                    answer = f"{r.status_code} {r.json().get('detail', '')[:90]}"
                except httpx.HTTPError as err:  # the server may close before taking it all
                    answer = f"connection closed by the server ({type(err).__name__})"
            print(f"200 MB text: {answer}; {m}")
            del big
            print(f"search idle: {_fmt(_search_load(base, seconds))}")
            news = newspaper_text(news_mb, shared)
            done: dict[str, object] = {}

            def upload_news() -> None:
                t0 = time.perf_counter()
                resp = _upload(base, "news.txt", news)
                done.update(status=resp.status_code, body=resp.json(), s=time.perf_counter() - t0)

            with MemoryPeak(proc.pid) as m:
                worker = threading.Thread(target=upload_news)
                worker.start()
                time.sleep(2)
                load = _search_load(base, seconds)
                worker.join(900)
            body = done.get("body") or {}
            print(f"search during the {len(news) / 1e6:.1f} MB newspaper upload: {_fmt(load)}")
            print(f"newspaper upload: {done.get('status')} {body.get('status')} "
                  f"{(body.get('error') or '')[:90]} in {done.get('s', float('nan')):.1f} s; {m}")
        finally:
            proc.terminate()
            proc.wait(30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=8111)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--news-mb", type=float, default=5.3)
    ap.add_argument("--shared", type=Path, default=None,
                    help="folder holding bench-corpus (the newspaper is made of its news texts)")
    args = ap.parse_args()
    run(args.shared, args.port, args.seconds, args.news_mb)


if __name__ == "__main__":
    main()

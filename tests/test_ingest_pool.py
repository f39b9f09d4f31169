"""search.pool: ingest with worker processes and one writer, surviving workers
that die or hang, and skipping unchanged files without starting any worker.

Real processes, a real SQLite file and real documents throughout. The dying
and hanging workers run the real pipeline except on one marked file, where
they kill themselves with SIGKILL or sleep past the time limit."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from search.pool import Pool, analyse_file, ingest_parallel
from search.sqlite import SQLiteBackend

REPO = Path(__file__).resolve().parents[1]
TEXTS = {
    "a.txt": "烟台市财政局2023年部门预算\n全年一般公共预算收入1000万元，增长5.2%。\n",
    "b.txt": "乐陵市教育局绩效自评报告\n项目资金300万元，完成率100%。进一步提高资金使用效益。\n",
    "c.txt": "关于做好2024年预算编制工作的通知\n各部门要在2024年3月底前完成预算编制。\n",
}


def _write(folder: Path, names: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in names.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def die_on_marked_file(path: str):
    """The real worker step, except that a file named ``die*`` kills its worker."""
    if Path(path).name.startswith("die"):
        os.kill(os.getpid(), signal.SIGKILL)
    return analyse_file(path)


def hang_on_marked_file(path: str):
    """The real worker step, except that a file named ``hang*`` never finishes."""
    if Path(path).name.startswith("hang"):
        time.sleep(3600)
    return analyse_file(path)


def hog_on_marked_file(path: str):
    """The real worker step, except that a file named ``hog*`` asks for 4 GB."""
    if Path(path).name.startswith("hog"):
        bytearray(4 * 2**30)
    return analyse_file(path)


def warm_up_calls(_payload: object) -> tuple[int, int]:
    """(misses, hits) of the worker's ``warm_up``: a worker forked from the warm
    fork server finds it done (one miss, in the fork server, then hits)."""
    from nlp.pipeline import warm_up

    info = warm_up.cache_info()
    return info.misses, info.hits


def _one_call(monkeypatch: pytest.MonkeyPatch, method: str, process) -> object:
    """What ``process`` returns in a one-worker pool started with ``method``."""
    monkeypatch.setenv("POLICYLENS_WORKER_START", method)
    pool = Pool(1, process=process)
    try:
        reply = pool.call(None)
    finally:
        pool.close()
    assert reply.ok, reply.reason
    return reply.result


@pytest.mark.parametrize("method,hits", [("forkserver", 1), ("spawn", 0)])
def test_workers_start_from_a_warm_fork_server(monkeypatch, method, hits):
    """Forked workers inherit the pipeline the fork server warmed once; spawned
    workers (POLICYLENS_WORKER_START=spawn) warm their own."""
    assert _one_call(monkeypatch, method, warm_up_calls) == (1, hits)


def math_threads_after_analysis(_payload: object) -> set[int]:
    """Threads each native math library of the worker would use, after it
    analysed a document whose indicator goes through the level model's
    matrix product (OpenBLAS)."""
    from threadpoolctl import threadpool_info

    from ingest.document import Document
    from nlp.pipeline import analyse

    analyse(Document(id="t", source="t.txt", path="t.txt", format="text", title="",
                     text=TEXTS["b.txt"] * 20))
    return {lib["num_threads"] for lib in threadpool_info()}


@pytest.mark.parametrize("method", ["forkserver", "spawn"])
def test_a_worker_computes_in_one_thread(monkeypatch, method):
    """No native math thread pool in a worker: its address space (what the
    memory limit counts) must not depend on how OpenBLAS's threads overlap."""
    assert _one_call(monkeypatch, method, math_threads_after_analysis) == {1}


def _stored(db: Path) -> dict[str, tuple[int, int]]:
    """source -> (passages, items) as committed in the SQLite file."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT source, n_passages, n_items FROM documents").fetchall()
        for source, n_passages, _ in rows:
            got = conn.execute("SELECT count(*) FROM passages p JOIN documents d ON d.id = p.doc_id"
                               " WHERE d.source = ?", (source,)).fetchone()[0]
            assert got == n_passages, f"{source}: half-written ({got} of {n_passages} passages)"
    return {r[0]: (r[1], r[2]) for r in rows}


def test_two_workers_store_what_one_process_stores(tmp_path):
    folder = _write(tmp_path / "in", TEXTS)
    parallel = SQLiteBackend(tmp_path / "p.sqlite3")
    out = ingest_parallel([folder], parallel, workers=2)
    parallel.close()
    assert sorted(o.status for o in out) == ["ingested"] * 3, out

    from search.indexing import ingest_paths

    serial = SQLiteBackend(tmp_path / "s.sqlite3")
    assert [o.status for o in ingest_paths([folder], serial)] == ["ingested"] * 3
    serial.close()
    assert _stored(tmp_path / "p.sqlite3") == _stored(tmp_path / "s.sqlite3")
    assert all(items for _, items in _stored(tmp_path / "p.sqlite3").values())


def test_unchanged_files_start_no_worker(tmp_path):
    folder = _write(tmp_path / "in", {"a.txt": TEXTS["a.txt"]})
    backend = SQLiteBackend(tmp_path / "db.sqlite3")
    assert [o.status for o in ingest_parallel([folder], backend, workers=1)] == ["ingested"]
    pool = Pool(2)
    started: list[object] = []
    pool._start = lambda: started.append(1)  # type: ignore[method-assign]
    again = list(pool.run([folder / "a.txt"], backend))
    assert [o.status for o in again] == ["unchanged"]
    assert started == []
    backend.close()


# a spinner stops at its deadline or when its worker is gone (a worker the pool killed
# never reaches the finally that ends them, and they would slow the rest of the suite)
SPIN = ("import os, time\nparent = os.getppid()\nend = time.monotonic() + 120\n"
        "while time.monotonic() < end and os.getppid() == parent:\n    pass\n")


def burn_beside_spinners(seconds: float) -> float:
    """In the worker: start twelve processes that spin on this worker's CPU, spend
    ``seconds`` of CPU time there, end them; the seconds the worker waited for the
    CPU meanwhile (:func:`search.pool.cpu_wait`). The spinners are the worker's own
    children, in its session, so the kernel's per-session share (autogroup) puts
    them in competition with it; they are started, not forked (a fork of the warm
    worker would cost the worker more than the work)."""
    from search.pool import cpu_wait

    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # the spinners inherit it
    spinners = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(12)]
    try:
        waited, spent = cpu_wait(os.getpid()), time.process_time()
        while time.process_time() - spent < seconds:
            pass
        return cpu_wait(os.getpid()) - waited
    finally:
        for sp in spinners:
            sp.kill()
            sp.wait()


@pytest.mark.skipif(not Path(f"/proc/{os.getpid()}/schedstat").exists(), reason="needs /proc/PID/schedstat")
def test_time_spent_waiting_for_a_cpu_does_not_count_against_the_time_limit():
    """A file that needs 1 s of CPU, on a CPU that twelve busy processes share with
    its worker, waits for that CPU (12 s when the CPU is shared fairly): past a 5 s
    limit on the clock. The limit counts the worker's own time (about 2 s here,
    starting the spinners included), so the file is analysed; on a loaded machine
    a wall-clock limit failed files by chance (tests with a short limit too)."""
    pool = Pool(1, timeout=5, process=burn_beside_spinners)
    try:
        reply = pool.call(1.0)
    finally:
        pool.close()
    assert reply.ok, reply.reason
    assert reply.result > 5  # it did wait past the limit for the CPU


@pytest.mark.parametrize("bad,process,workers,why", [
    ("die.txt", die_on_marked_file, 2, "signal 9"),  # kill -9 of the worker
    ("hang.txt", hang_on_marked_file, 1, "timed out"),  # past the per-file time limit
    ("hog.txt", hog_on_marked_file, 1, "memory limit of 1400 MB"),  # past the memory limit
])
def test_a_dead_or_hung_worker_loses_only_its_own_file(tmp_path, bad, process, workers, why):
    folder = _write(tmp_path / "in", {**TEXTS, bad: "这个文件让处理进程出问题。\n"})
    backend = SQLiteBackend(tmp_path / "db.sqlite3")
    out = {Path(o.path).name: o for o in ingest_parallel([folder], backend, workers=workers,
                                                         timeout=20, process=process,
                                                         memory_limit=1400 * 2**20)}
    backend.close()
    assert out[bad].status == "failed"
    assert why in out[bad].reason
    assert {n: o.status for n, o in out.items() if n != bad} == dict.fromkeys(TEXTS, "ingested"), out
    assert set(_stored(tmp_path / "db.sqlite3")) == set(TEXTS)


def test_cli_summary_names_each_failed_file_and_why(tmp_path):
    folder = _write(tmp_path / "in", {"a.txt": TEXTS["a.txt"]})
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    (folder / "empty.txt").write_bytes(b"")
    env = {**os.environ, "POLICYLENS_DATA_DIR": str(tmp_path / "data")}
    env.pop("POLICYLENS_ES_URL", None)
    proc = subprocess.run([sys.executable, "-m", "api.cli", "ingest", "--workers", "2", "-q",
                           str(folder), str(tmp_path / "missing.txt")],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    failed = [line for line in proc.stderr.splitlines() if "失败 failed:" in line and "/" in line]
    assert len(failed) == 3, proc.stderr
    assert any("broken.pdf" in line and "PDF" in line for line in failed)
    assert any("empty.txt" in line and "empty" in line for line in failed)
    assert any("missing.txt" in line and "not found" in line for line in failed)
    assert "新增 ingested: 1" in proc.stderr


def test_cli_progress_shows_rates_and_eta_and_uses_every_core_by_default(tmp_path):
    """Without ``--workers`` the pool has one worker per core this process may use;
    the progress bar (drawn once at the end when stderr is no terminal) and the
    summary give files/s and chars/s, the bar its ETA column."""
    folder = _write(tmp_path / "in", TEXTS)
    env = {**os.environ, "POLICYLENS_DATA_DIR": str(tmp_path / "data")}
    env.pop("POLICYLENS_ES_URL", None)
    proc = subprocess.run([sys.executable, "-m", "api.cli", "ingest", str(folder)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    bar = [line for line in proc.stderr.splitlines() if line.startswith("导入 ingest")]
    assert bar and "3/3" in bar[-1] and "剩余 ETA" in bar[-1], proc.stderr
    assert "文件/秒 files/s" in bar[-1] and "字/秒 chars/s" in bar[-1]
    cores = len(os.sched_getaffinity(0))
    summary = [line for line in proc.stderr.splitlines() if "个进程 workers" in line]
    assert summary and summary[0].split()[0] == str(cores), proc.stderr
    chars_s = summary[0].split("files/s, ")[1].split()[0].replace(",", "")
    assert float(chars_s) > 0


def _cli_ingest(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "POLICYLENS_DATA_DIR": str(tmp_path / "data")}
    env.pop("POLICYLENS_ES_URL", None)
    return subprocess.run([sys.executable, "-m", "api.cli", "ingest", "-q", *args],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600)


def test_cli_memory_limit_applies_to_the_workers(tmp_path):
    """Within a limit the pipeline fits in, files are ingested; with one it
    cannot load in, the command says so in one line naming the option."""
    folder = _write(tmp_path / "in", {"a.txt": TEXTS["a.txt"]})
    ok = _cli_ingest(tmp_path, "--workers", "1", "--memory-limit", "1400", str(folder))
    assert ok.returncode == 0 and "新增 ingested: 1" in ok.stderr, ok.stderr
    (folder / "b.txt").write_text(TEXTS["b.txt"], encoding="utf-8")
    tiny = _cli_ingest(tmp_path, "--workers", "1", "--memory-limit", "20", str(folder))
    assert tiny.returncode == 1 and "Traceback" not in tiny.stderr, tiny.stderr
    assert "--memory-limit" in tiny.stderr and "20 MB" in tiny.stderr


def test_a_pool_closed_while_call_starts_its_worker_leaves_no_worker():
    """The upload queue's stop closes the pool from another thread than the one in
    call(). When close() came while call() was starting the worker, it found no
    worker to end, and call() then waited for a worker nobody would stop (the job
    stayed "running"; test_stopping_the_server_fails_the_running_and_queued_jobs
    failed by chance under load). Here close() is sent exactly then."""
    import threading

    pool = Pool(1)
    start, started, closer = pool._start, [], None

    def start_while_closing():
        nonlocal closer
        closer = threading.Thread(target=pool.close)
        closer.start()
        closer.join(2)  # close() waits for this start, however long we let it try
        started.append(start())
        return started[-1]

    real_wait = pool._wait

    def wait_once_closed(busy):
        # close() takes the pool's lock as soon as call() lets go of it, but a thread
        # that is slow to be scheduled (a loaded machine) could let a worker that is
        # ready at once get the task first; close() would then end a running task, which
        # is another case. The race under test is a close() during the start only.
        deadline = time.monotonic() + 60
        while not pool._closed and time.monotonic() < deadline:
            time.sleep(0.001)
        return real_wait(busy)

    pool._start = start_while_closing  # type: ignore[method-assign]
    pool._wait = wait_once_closed  # type: ignore[method-assign]
    reply = pool.call(("never", "sent", "upload:never"))
    closer.join(60)
    assert not closer.is_alive() and (reply.ok, reply.code) == (False, 503)
    assert len(started) == 1 and not started[0].process.is_alive()

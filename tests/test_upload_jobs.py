"""Upload job records (issue 15): a job's status is kept in the store's SQLite
file, so ``GET /api/uploads/{id}`` answers after the server restarts, and a job
that a stop or a crash interrupted is failed with a reason instead of staying
``running`` for ever.

Real app over a real temp SQLite store; the crash test runs the real ``serve``
command, kills it with SIGKILL during an upload and starts it again."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from api.app import create_app
from api.uploads import INTERRUPTED, JobLog, UploadJob, UploadQueue, process_start
from search.pool import analyse_upload
from search.sqlite import SQLiteBackend
from tests.conftest import Server, start_server, wait_until

TEXT = "乐陵市财政局2019年预算绩效管理工作总结。\n\n全年共有15家单位开展绩效自评，节约资金300万元。\n"
TOKEN = "jobs-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def hang_on_marked_upload(task: tuple[bytes, str, str]):
    """The real analysis step, except that a file named ``hang*`` never finishes."""
    if task[1].startswith("hang"):
        time.sleep(3600)
    return analyse_upload(task)


def die_on_marked_upload(task: tuple[bytes, str, str]):
    """The real analysis step, except that a file named ``die*`` kills its worker (kill -9)."""
    if task[1].startswith("die"):
        os.kill(os.getpid(), signal.SIGKILL)
    return analyse_upload(task)


def _client(db: Path, **queue) -> tuple[TestClient, SQLiteBackend]:
    store = SQLiteBackend(db)
    app = create_app(backend=store, api_token=TOKEN)
    if queue:
        app.state.uploads = UploadQueue(lambda: store, **queue)
    return TestClient(app, headers=AUTH), store


def test_a_finished_job_is_answered_after_a_restart(tmp_path):
    db = tmp_path / "jobs.sqlite3"
    client, store = _client(db)
    with client:
        r = client.post("/api/documents", files={"file": ("总结.txt", TEXT.encode("utf-8"))},
                        params={"wait": "true"})
        assert r.status_code == 200 and r.json()["status"] == "ingested", r.text
        before = r.json()
    store.close()
    with sqlite3.connect(db) as conn:  # the record is in the store's own file
        assert conn.execute("SELECT status FROM upload_jobs").fetchall() == [("ingested",)]
    client, store = _client(db)
    with client:
        after = client.get(before["status_url"]).json()
        assert after["status"] == "ingested" and after["id"] == before["id"]
        assert after["doc"] == "总结.txt" and after["finished"] == before["finished"]
        assert client.get("/api/uploads/unknown").status_code == 404
    store.close()


def test_stopping_the_server_fails_the_running_and_queued_jobs(tmp_path):
    db = tmp_path / "jobs.sqlite3"
    client, store = _client(db, time_limit=600, process=hang_on_marked_upload)
    with client:
        running = client.post("/api/documents", files={"file": ("hang.txt", TEXT.encode())}).json()
        queued = client.post("/api/documents",
                             files={"file": ("next.txt", (TEXT + "又一段。").encode())}).json()
        queue = client.app.state.uploads
        # until the analysis thread has taken the hanging file
        assert wait_until(lambda: queue.get(running["upload"]).status == "running")
        assert queue.get(queued["upload"]).status == "queued"
    store.close()  # the client's exit stopped the server (and the analysis process)
    client, store = _client(db)
    with client:
        for job in (running, queued):
            now = client.get(job["status_url"]).json()
            assert now["status"] == "failed" and now["code"] == 503, now
            assert INTERRUPTED in now["detail"] and job["doc"] in now["detail"]
    assert store.stats()["documents"] == 0
    store.close()


def test_a_killed_upload_worker_fails_only_its_own_upload(tmp_path):
    """kill -9 of the analysis process during an upload: that upload fails naming
    the signal, nothing of it is stored, and the next upload gets a new worker."""
    client, store = _client(tmp_path / "jobs.sqlite3", process=die_on_marked_upload)
    with client:
        died = client.post("/api/documents", files={"file": ("die.txt", (TEXT + "坏文件。").encode())},
                           params={"wait": "true"}).json()
        assert died["status"] == "failed" and "signal 9" in died["detail"] and "die.txt" in died["detail"]
        ok = client.post("/api/documents", files={"file": ("总结.txt", TEXT.encode("utf-8"))},
                         params={"wait": "true"}).json()
        assert ok["status"] == "ingested", ok
        assert client.get(died["status_url"]).json()["status"] == "failed"
    assert [d["doc"] for d in store.list_documents()[0]] == ["总结.txt"]
    store.close()


def test_closing_the_queue_ends_its_thread_before_the_store_is_closed(tmp_path):
    """The analysis thread reads and writes the store: close() waits for it to
    end, so whoever closes the store next (a test's fixture, the server's
    shutdown) never closes a connection the thread is using, which crashed
    sqlite3 in CI when the places warm-up thread did it. Its job fails as
    interrupted (503), however the stop caught it."""
    store = SQLiteBackend(tmp_path / "db.sqlite3")
    queue = UploadQueue(lambda: store, time_limit=600, process=hang_on_marked_upload)
    try:
        job = queue.submit(TEXT.encode("utf-8"), "hang.txt")
        assert wait_until(lambda: job.status == "running")
        queue.close()
        assert not queue._thread.is_alive()
        assert (job.status, job.code) == ("failed", 503) and INTERRUPTED in job.error
    finally:
        store.close()


def _workers(pid: int) -> list[int]:
    """Multiprocessing descendants of ``pid`` (the fork server and the workers
    it forked, or spawned workers; not the resource tracker)."""
    parents: dict[int, int] = {}
    cmdlines: dict[int, bytes] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            child = int(stat.parent.name)
            parents[child] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            cmdlines[child] = (stat.parent / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
    out, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for child, its_parent in parents.items():
            if its_parent == parent:
                todo.append(child)
                if b"spawn_main" in cmdlines[child] or b"forkserver" in cmdlines[child]:
                    out.append(child)
    return out


def _serve(data: Path, name: str) -> Server:
    env = {**os.environ, "POLICYLENS_DATA_DIR": str(data), "POLICYLENS_API_TOKEN": TOKEN}
    env.pop("POLICYLENS_ES_URL", None)
    return start_server(env, data / f"{name}.log")


def test_a_crash_during_an_upload_leaves_a_failed_job_and_no_orphan(tmp_path):
    """SIGKILL of the server while its analysis process works: after the
    restart the job is failed naming the reason, and the analysis process died
    with the server (it would otherwise analyse for minutes for nobody)."""
    # 19 MB of varied text: minutes of analysis, so the kill comes while it runs
    big = "".join(f"第{i}条 乐陵市财政局安排资金{i}万元，用于第{i % 97}项工程建设。\n"
                  for i in range(300_000)).encode("utf-8")[: 19 * 2**20].decode("utf-8", "ignore")
    server = _serve(tmp_path, "first")
    try:
        r = httpx.post(f"{server.url}/api/documents", files={"file": ("big.txt", big.encode("utf-8"))},
                       headers=AUTH, timeout=120)
        assert r.status_code == 202, r.text
        job = r.json()
        assert httpx.get(server.url + job["status_url"], timeout=60).json()["status"] in ("queued", "running")
        # the analysis process is started for the first upload
        workers = wait_until(lambda: _workers(server.proc.pid))
        assert workers, "no analysis process"
    finally:
        server.proc.send_signal(signal.SIGKILL)
        server.proc.wait(30)
    gone = wait_until(lambda: not any(Path(f"/proc/{pid}").exists() for pid in workers), 60)
    assert gone, "orphaned analysis process"
    server = _serve(tmp_path, "again")
    try:
        now = httpx.get(server.url + job["status_url"], timeout=60).json()
        assert now["status"] == "failed" and now["code"] == 503, now
        assert INTERRUPTED in now["detail"]
    finally:
        server.stop()


def test_a_refused_upload_is_never_queued(tmp_path):
    """A different file under a stored name is refused (409) before it is queued:
    when the route refused it after queueing, the analysis thread could take the
    job meanwhile, find its bytes cleared and overwrite the 409 with "empty file"
    (400), which failed by chance under load."""
    store = SQLiteBackend(tmp_path / "db.sqlite3")
    queue = UploadQueue(lambda: store, process=analyse_upload)
    try:
        first = queue.submit(TEXT.encode("utf-8"), "总结.txt")
        assert first.done.wait(300) and first.status == "ingested"
        other = queue.submit((TEXT + "补充说明。\n").encode("utf-8"), "总结.txt")
        assert other.done.is_set() and (other.status, other.code) == ("failed", 409)
        assert "replace=true" in other.error and other not in queue._pending
        assert queue.get(other.id).code == 409  # and so it stays
    finally:
        queue.close()
        store.close()


def _children(pid: int) -> list[int]:
    """Direct children of ``pid``."""
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            out += [int(c) for c in task.read_text().split()]
        except OSError:
            continue
    return out


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def test_the_server_warms_its_upload_process_at_start_and_the_first_upload_uses_it(tmp_path):
    """``serve`` starts the uploads' fork server and lets it load the pipeline at
    start-up, before any upload (``/health`` says ``warm``); the first upload's
    worker is then forked from that same fork server, which inherited the loaded
    pipeline (tests/test_ingest_pool.py::test_workers_start_from_a_warm_fork_server
    shows a forked worker finds it loaded). With POLICYLENS_WARM_UPLOADS=0 nothing
    is started until the first upload."""
    def serve(name: str, warm: str) -> Server:
        env = {**os.environ, "POLICYLENS_DATA_DIR": str(tmp_path / name),
               "POLICYLENS_API_TOKEN": TOKEN, "POLICYLENS_WARM_UPLOADS": warm,
               "POLICYLENS_WORKER_START": "forkserver"}
        env.pop("POLICYLENS_ES_URL", None)
        (tmp_path / name).mkdir()
        return start_server(env, tmp_path / name / "serve.log")

    cold = serve("cold", "0")
    try:
        assert httpx.get(cold.url + "/health", timeout=60).json()["uploads"] == "cold"
        assert _workers(cold.proc.pid) == []
    finally:
        cold.stop()
    server = serve("warm", "1")
    try:
        health = wait_until(lambda: (h := httpx.get(server.url + "/health", timeout=60).json())
                            ["uploads"] != "warming" and h)
        assert health["uploads"] == "warm", health
        fork_servers = [p for p in _workers(server.proc.pid) if _parent(p) == server.proc.pid]
        assert len(fork_servers) == 1, "no fork server before the first upload"
        r = httpx.post(f"{server.url}/api/documents", files={"file": ("总结.txt", TEXT.encode("utf-8"))},
                       params={"wait": "true"}, headers=AUTH, timeout=600)
        assert r.status_code == 200 and r.json()["status"] == "ingested", r.text
        workers = [p for p in _children(fork_servers[0])]
        assert workers, "the upload's worker is not a child of the warm fork server"
        assert [p for p in _workers(server.proc.pid) if _parent(p) == server.proc.pid] == fork_servers
    finally:
        server.stop()


def _dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_job_left_by_a_server_with_the_same_pid_is_interrupted(tmp_path):
    """A container restarts the server under its predecessor's pid (PID 1): the
    new server still finds the old one's unfinished job interrupted, because a job
    names its server by pid and start time. By the pid alone it stayed "running"
    for ever. A job of this very process (or of a live sibling worker) stays."""
    log = JobLog(tmp_path / "jobs.sqlite3")
    me = os.getpid()
    old = UploadJob(id="old", doc="a.txt", path="upload:a.txt", doc_id="a", log=log, owner=me,
                    owner_start=process_start(me) - 100)  # same pid, started earlier
    mine = UploadJob(id="mine", doc="b.txt", path="upload:b.txt", doc_id="b", log=log)
    old.start()
    mine.start()
    assert log.mark_interrupted() == 1
    gone = log.load("old")
    assert (gone.status, gone.code) == ("failed", 503) and INTERRUPTED in gone.error
    assert log.load("mine").status == "running"


def test_jobs_recorded_before_the_start_time_are_judged_by_their_pid(tmp_path):
    """A jobs table from an older server (no owner_start column) is opened as it is:
    the column is added, and its jobs are judged by the pid, as they were."""
    path = tmp_path / "jobs.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE upload_jobs (id TEXT PRIMARY KEY, doc TEXT NOT NULL, path TEXT NOT NULL,"
                     " doc_id TEXT NOT NULL, status TEXT NOT NULL, code INTEGER NOT NULL, error TEXT,"
                     " same_as TEXT, warnings TEXT NOT NULL DEFAULT '[]', created REAL NOT NULL,"
                     " finished REAL, owner INTEGER NOT NULL)")
        for job_id, owner in (("dead", _dead_pid()), ("live", os.getpid())):
            conn.execute("INSERT INTO upload_jobs (id, doc, path, doc_id, status, code, created, owner)"
                         " VALUES (?, 'a.txt', 'upload:a.txt', 'a', 'running', 202, 0, ?)", (job_id, owner))
    log = JobLog(path)
    assert log.mark_interrupted() == 1
    assert log.load("dead").status == "failed" and log.load("live").status == "running"
    assert JobLog(path).load("live").owner_start is None  # opened again: nothing added twice

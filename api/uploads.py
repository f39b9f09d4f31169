"""Uploads analysed away from the server: a queue, one analysis process, a status to poll.

Why a separate process: reading and analysing a document is pure-Python CPU
work (jieba, rules); in a thread it would hold the interpreter lock and every
search would wait behind it. The analysis process is a one-worker
:class:`search.pool.Pool` (the same process manager ``policylens ingest``
uses): its own interpreter, warmed once, a memory limit (``RLIMIT_AS``) and a
time limit per file. When a file goes over either, the process is ended and
started again, the upload fails with a message naming the limit, and the
server itself never grows.

The server keeps the store: the process returns the read :class:`Document`,
its :class:`Analysis` and the index columns, and the queue's thread writes
them (one writer, as SQLite wants). ``POST /api/documents`` answers 202 with the job; the job's
status is ``GET /api/uploads/{id}``.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import unicodedata
import uuid
from collections import OrderedDict
from contextlib import closing
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Callable

from ingest.document import content_id
from search.backend import Backend, Filter, data_dir
from search.pool import Limits, Pool, Process, analyse_upload, store_result

TIME_LIMIT_S = float(os.environ.get("POLICYLENS_UPLOAD_TIME_LIMIT", "600"))
MEMORY_LIMIT_BYTES = int(os.environ.get("POLICYLENS_UPLOAD_MEMORY_LIMIT", str(1400 * 2**20)))
KEEP_JOBS = 1000  # finished jobs remembered for polling
CLOSE_JOIN_S = 60.0  # at close, how long to wait for the job being stored to end
MAX_NAME = 200


def clean_name(raw: str | None) -> str:
    """The base name of an uploaded file, without folders, control and format
    characters (NUL, newlines, bidi overrides), at most 200 characters."""
    base = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
    base = base.strip().lstrip(".")[:MAX_NAME].strip()
    return base or "upload"


@dataclass
class UploadJob:
    """One upload and what became of it (``GET /api/uploads/{id}``)."""

    id: str
    doc: str  # cleaned file name
    path: str  # stored path: upload:<name>
    doc_id: str  # content id (sha256 of the bytes)
    replace: bool = False
    status: str = "queued"  # queued | running | ingested | replaced | unchanged | duplicate | failed
    code: int = 202  # the HTTP status this outcome is (400/409/413/422 for failures)
    error: str | None = None
    same_as: str | None = None  # duplicate: the stored document with the same content
    warnings: list[str] = field(default_factory=list)
    created: float = field(default_factory=time.time)
    finished: float | None = None
    data: bytes = field(default=b"", repr=False)
    done: threading.Event = field(default_factory=threading.Event, repr=False)
    owner: int = field(default_factory=os.getpid, repr=False)  # the server process running it
    # when that process started: with the pid it names one process (a restarted server
    # often gets its predecessor's pid, PID 1 in a container)
    owner_start: int | None = field(default_factory=lambda: process_start(os.getpid()), repr=False)
    log: "JobLog | None" = field(default=None, repr=False)  # where every change is recorded

    def to_json(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self)
               if f.name not in ("data", "done", "replace", "owner", "owner_start", "log")}
        out["warnings"] = list(self.warnings)
        out["id"] = self.doc_id if self.status not in ("queued", "running", "failed") else None
        out["upload"] = self.id
        out["status_url"] = f"/api/uploads/{self.id}"
        if self.error:
            out["detail"] = self.error
        return out

    def finish(self, status: str, code: int, error: str | None = None) -> None:
        self.status, self.code, self.error = status, code, error
        self.finished = time.time()
        self.data = b""
        self.save()
        self.done.set()

    def start(self) -> None:
        self.status = "running"
        self.save()

    def save(self) -> None:
        if self.log is not None:
            self.log.save(self)


# ---- job records ------------------------------------------------------------------------

JOBS_SCHEMA = """
CREATE TABLE IF NOT EXISTS upload_jobs (
    id TEXT PRIMARY KEY, doc TEXT NOT NULL, path TEXT NOT NULL, doc_id TEXT NOT NULL,
    status TEXT NOT NULL, code INTEGER NOT NULL, error TEXT, same_as TEXT,
    warnings TEXT NOT NULL DEFAULT '[]', created REAL NOT NULL, finished REAL,
    owner INTEGER NOT NULL, owner_start INTEGER
);
CREATE INDEX IF NOT EXISTS upload_jobs_created ON upload_jobs (created);
"""
RECORD = ("id", "doc", "path", "doc_id", "status", "code", "error", "same_as", "warnings",
          "created", "finished", "owner", "owner_start")
INTERRUPTED = ("服务器在分析完成前停止，请重新上传 the server stopped before this upload was "
               "analysed; upload it again")


def jobs_file(backend: Backend) -> Path:
    """Where upload jobs are recorded: the SQLite store's own file (a table beside
    the documents), else ``uploads.sqlite3`` in the data directory (a store with no
    file of its own, such as the search engine)."""
    path = getattr(backend, "path", None)
    if isinstance(path, Path) and path.suffix == ".sqlite3":
        return path
    return data_dir() / "uploads.sqlite3"


def process_start(pid: int) -> int | None:
    """When process ``pid`` started (clock ticks since boot, ``/proc/PID/stat``);
    None where that cannot be read."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
        return int(stat[stat.rindex(b")") + 2:].split()[19])  # field 22; the name may hold ")"
    except (OSError, ValueError, IndexError):
        return None


def _alive(pid: int, started: int | None = None) -> bool:
    """Whether the process ``pid`` that started at ``started`` still runs: a pid
    alone is not enough, a restarted server often has its predecessor's."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        pass
    return started is None or process_start(pid) in (None, started)


class JobLog:
    """Upload jobs in a SQLite table, so ``GET /api/uploads/{id}`` answers after a
    restart too. Each change of a job is one short write on its own connection
    (a few per upload; the store's writer and its generation are untouched)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.executescript(JOBS_SCHEMA)
            if "owner_start" not in {r[1] for r in conn.execute("PRAGMA table_info(upload_jobs)")}:
                try:  # a record from before owner_start: its jobs are judged by the pid alone
                    conn.execute("ALTER TABLE upload_jobs ADD COLUMN owner_start INTEGER")
                except sqlite3.OperationalError as err:  # another process added it meanwhile
                    if "duplicate column" not in str(err):
                        raise

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(str(self.path), timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        return conn

    def save(self, job: UploadJob) -> None:
        row = {name: getattr(job, name) for name in RECORD}
        row["warnings"] = json.dumps(list(job.warnings), ensure_ascii=False)
        with closing(self._connect()) as conn, conn:
            conn.execute(f"INSERT OR REPLACE INTO upload_jobs ({', '.join(RECORD)}) VALUES "
                         f"({', '.join('?' * len(RECORD))})", [row[name] for name in RECORD])
            if job.finished is not None:  # keep the newest KEEP_JOBS finished records
                conn.execute("DELETE FROM upload_jobs WHERE finished IS NOT NULL AND created < ("
                             " SELECT created FROM upload_jobs WHERE finished IS NOT NULL"
                             " ORDER BY created DESC LIMIT 1 OFFSET ?)", (KEEP_JOBS,))

    def load(self, job_id: str) -> UploadJob | None:
        with closing(self._connect()) as conn:
            row = conn.execute(f"SELECT {', '.join(RECORD)} FROM upload_jobs WHERE id = ?",
                               (job_id,)).fetchone()
        if row is None:
            return None
        values = dict(zip(RECORD, row))
        values["warnings"] = json.loads(values["warnings"])
        job = UploadJob(**values)
        if job.finished is not None:
            job.done.set()
        return job

    def mark_interrupted(self, live: Callable[[int, int | None], bool] = _alive) -> int:
        """Fail every unfinished job whose server process is gone (a restart or a
        crash ended it; its bytes were in that process only). How many were."""
        with closing(self._connect()) as conn, conn:
            rows = conn.execute("SELECT id, owner, owner_start FROM upload_jobs"
                                " WHERE status IN ('queued', 'running')").fetchall()
            gone = [job_id for job_id, owner, started in rows if not live(owner, started)]
            conn.executemany("UPDATE upload_jobs SET status = 'failed', code = 503, error = ?,"
                             " finished = ? WHERE id = ?",
                             [(INTERRUPTED, time.time(), job_id) for job_id in gone])
        return len(gone)


def stored_under(backend: Backend, name: str, path: str) -> list[dict[str, Any]]:
    """Documents stored at ``path`` (an earlier upload of the same name)."""
    rows, _ = backend.list_documents(50, 0, [Filter("doc", "eq", name)])
    return [r for r in rows if r.get("path") == path]


def conflict(backend: Backend, job: UploadJob) -> str | None:
    """Why storing ``job`` would silently replace a different document, else ``None``."""
    if job.replace:
        return None
    other = [r for r in stored_under(backend, job.doc, job.path) if r.get("id") != job.doc_id]
    if not other:
        return None
    return (f"{job.doc}: 同名的另一文档已存在 a different document is stored under this name "
            f"(id {other[0]['id']}); 用 replace=true 替换 send replace=true to replace it")


# ---- the queue ----------------------------------------------------------------------


class UploadQueue:
    """Jobs run one at a time by a daemon thread; finished jobs are kept for polling."""

    def __init__(self, backend_of: Callable[[], Backend], time_limit: float = TIME_LIMIT_S,
                 memory_limit: int = MEMORY_LIMIT_BYTES, process: Process = analyse_upload,
                 log: JobLog | None = None) -> None:
        self.backend_of = backend_of
        self.log = log or JobLog(jobs_file(backend_of()))
        self.log.mark_interrupted()
        self._closed = False
        self.pool = Pool(1, process=process, limits=Limits(
            time_limit, memory_limit, "POLICYLENS_UPLOAD_TIME_LIMIT",
            "POLICYLENS_UPLOAD_MEMORY_LIMIT"))
        self.jobs: OrderedDict[str, UploadJob] = OrderedDict()
        self._pending: list[UploadJob] = []
        self._cv = threading.Condition()
        self._thread: threading.Thread | None = None

    def submit(self, data: bytes, name: str, replace: bool = False) -> UploadJob:
        """Record and queue one upload; a different file under a stored name
        (without ``replace``) is refused at once (409), never queued."""
        job = UploadJob(id=uuid.uuid4().hex, doc=name, path=f"upload:{name}",
                        doc_id=content_id(data), replace=replace, data=data, log=self.log)
        job.save()
        why = conflict(self.backend_of(), job)
        if why:  # refused before it is queued, so the analysis thread never sees it
            job.finish("failed", 409, why)
        with self._cv:
            self.jobs[job.id] = job
            while len(self.jobs) > KEEP_JOBS:
                oldest = next(iter(self.jobs.values()))
                if not oldest.done.is_set():
                    break
                self.jobs.popitem(last=False)
            if why:
                return job
            self._pending.append(job)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, daemon=True,
                                                name="policylens-uploads")
                self._thread.start()
            self._cv.notify()
        return job

    def get(self, job_id: str) -> UploadJob | None:
        """The job, from memory while this server has it, else from the record."""
        return self.jobs.get(job_id) or self.log.load(job_id)

    def _loop(self) -> None:
        while True:
            with self._cv:
                while not self._pending and not self._closed:
                    self._cv.wait()
                if not self._pending:  # closed: the thread ends, so close() can wait for it
                    return
                job = self._pending.pop(0)
            try:
                self._run(job)
            except Exception as err:  # noqa: BLE001 - the queue must outlive any one job
                if self._closed:  # e.g. the pool's pipe closed under its wait: a stop, not a bug
                    job.finish("failed", 503, f"{job.doc}: {INTERRUPTED}")
                else:
                    job.finish("failed", 500, f"{job.doc}: {type(err).__name__}: {err}")

    def _run(self, job: UploadJob) -> None:
        from search.indexing import analysis_version

        if self._closed:
            job.finish("failed", 503, f"{job.doc}: {INTERRUPTED}")
            return
        job.start()
        backend = self.backend_of()
        version = analysis_version()
        if backend.is_current(job.path, job.doc_id, version):
            job.finish("unchanged", 200)
            return
        same = backend.get_document(job.doc_id)
        if same is not None and same.get("path") != job.path:
            job.same_as = same.get("doc")
            backend.add_alias(job.doc_id, job.path)
            job.finish("duplicate", 200)
            return
        reply = self.pool.call((job.data, job.doc, job.path))
        if self._closed:
            job.finish("failed", 503, f"{job.doc}: {INTERRUPTED}")
            return
        if not reply.ok:
            job.finish("failed", reply.code, f"{job.doc}: {reply.reason}")
            return
        document, analysis, columns = reply.result
        job.warnings = list(document.meta.get("warnings") or [])
        why = conflict(backend, job)
        if why:
            job.finish("failed", 409, why)
            return
        result = store_result(document, analysis, columns, backend, version)
        job.finish(result.status, 200)

    def close(self) -> None:
        """Stop the analysis process; the job it ran and those queued fail as interrupted."""
        with self._cv:
            self._closed = True
            pending, self._pending = self._pending, []
            self._cv.notify_all()
        for job in pending:
            job.finish("failed", 503, f"{job.doc}: {INTERRUPTED}")
        self.pool.close()
        # the thread may be storing a result: it ends before the caller closes the store,
        # which would otherwise close a connection in use (a segfault in sqlite3)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(CLOSE_JOIN_S)


_queue_lock = threading.Lock()


def upload_queue(app: Any) -> UploadQueue:
    """The app's queue, made on first use (its process starts with the first upload)."""
    with _queue_lock:
        queue = getattr(app.state, "uploads", None)
        if queue is None:
            from api.deps import default_backend

            given = getattr(app.state, "backend", None)
            queue = UploadQueue(lambda: given if given is not None else default_backend())
            app.state.uploads = queue
    return queue


# ---- a warm start ----------------------------------------------------------------

WARM_ENV = "POLICYLENS_WARM_UPLOADS"  # "0": the first upload warms the pipeline itself


def warm_wanted() -> bool:
    """Whether the server warms the analysis process at start-up (default yes)."""
    return os.environ.get(WARM_ENV, "1").strip().lower() not in ("0", "false", "no", "off")


def start_warming(app: Any) -> threading.Thread | None:
    """Warm the uploads' fork server in the background at start-up
    (:func:`search.pool.warm_start`), so the first upload's worker is forked
    from a loaded pipeline in milliseconds instead of loading it for seconds
    while its user waits. ``app.state.uploads_warm`` says how far it got
    (``/health``): cold (not asked), warming, warm, or failed."""
    from search.pool import start_fork_server, warm_start

    if not warm_wanted():
        app.state.uploads_warm = "cold"
        return None
    app.state.uploads_warm = "warming"
    try:
        # started here, not in the thread below: the fork server dies with the thread
        # that started it, and this one (the server's) lives as long as the server
        start_fork_server()
    except Exception:  # noqa: BLE001 - the first upload starts it instead
        app.state.uploads_warm = "failed"
        return None

    def run() -> None:
        try:
            warm_start()  # waits for the fork server's preload
        except Exception:  # noqa: BLE001 - the first upload warms instead, and says why if it cannot
            app.state.uploads_warm = "failed"
        else:
            app.state.uploads_warm = "warm"
    thread = threading.Thread(target=run, name="warm-uploads", daemon=True)
    thread.start()
    return thread


__all__ = ["JobLog", "UploadJob", "UploadQueue", "clean_name", "jobs_file", "start_warming", "upload_queue",
           "warm_wanted"]

"""Analysis in worker processes: ``policylens ingest`` and the server's upload queue.

Why this shape:

* Analysis is CPU-bound Python, so threads do not help (and in the server a
  thread would hold the interpreter lock while searches wait); each worker is a
  process with its own pipeline.
* Workers start warm and cheap: on Linux they are forked from a fork server
  (``multiprocessing``'s ``forkserver``, a clean single-threaded process, so a
  threaded parent such as the server is safe) that loaded the pipeline, its
  dictionaries and trained its models once (:func:`preload`). A worker then
  starts in milliseconds instead of paying those seconds itself, N workers
  pay them once, not N times, and share those pages copy-on-write. Elsewhere,
  or with ``POLICYLENS_WORKER_START=spawn``, each worker is spawned and warms
  its own pipeline.
* One writer: the caller stores each finished document in one transaction
  (:meth:`search.backend.Backend.add`), so a worker that dies can never leave
  half a document behind, and SQLite sees a single writer.
* Nothing is parsed twice and nothing unchanged is parsed at all: ``ingest``
  hashes each file first (:func:`search.indexing.check_unchanged`) and sends
  only new or changed files to a worker.
* Memory stays flat: each worker holds one file at a time, and may be given a
  memory limit (``RLIMIT_AS``: an allocation past it fails in the worker, never
  in the caller); the caller keeps only a small outcome per finished file.
* Bad input stays one file's problem: a worker that dies (even ``kill -9``),
  runs out of its memory or past the time limit (a PDF that hangs the parser)
  is replaced, its file fails with a reason naming the limit, and every other
  file goes on. The time limit counts the worker's own time: the time it waited
  for a CPU that other processes held (:func:`cpu_wait`) is not its own, so a
  loaded machine slows a file down without failing it, while a hung worker
  (asleep or spinning) still reaches the limit.

:class:`Pool` is the one process manager: :meth:`Pool.run` ingests files with
``N`` workers, :meth:`Pool.call` runs one task and waits (the upload queue).
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from search.backend import AddResult, Backend
from search.indexing import FileOutcome, analysis_version, check_unchanged, store_analysis

PRELOAD_MODULE = "search.pool_preload"  # imported by the fork server: warms the pipeline
DEFAULT_TIMEOUT = 300.0  # seconds one file may take in a worker
POOL_CLOSED = "处理进程已停止 / the pool was closed"
START_LIMIT = 300.0  # seconds a worker may take to load its pipeline
Process = Callable[[Any], Any]


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def for_index(document: Any) -> tuple[Any, Any, Any]:
    """Analyse and tokenise a read document for the index, in a worker:
    ``(Document, Analysis, index columns per passage)``, so the writer only writes."""
    from nlp.pipeline import analyse
    from search.tokenize import document_columns

    analysis = analyse(document)
    columns = document_columns(document.text, [(p.start, p.end) for p in document.passages],
                               analysis.tokens)
    analysis.tokens = None  # used up: not worth sending back
    return document, analysis, columns


def analyse_file(path: str) -> tuple[Any, Any, Any]:
    """The ingest task: read one file and analyse it (:func:`for_index`)."""
    from ingest.readers import read

    return for_index(read(path))


def analyse_upload(task: tuple[bytes, str, str]) -> tuple[Any, Any, Any]:
    """The upload task: ``(bytes, file name, stored path)`` read and analysed."""
    from ingest.readers import read_bytes

    data, name, path = task
    return for_index(read_bytes(data, name, path))


def preload() -> None:
    """Warm the pipeline in the fork server, before it forks any worker.

    The heap is then frozen (``gc.freeze``): the collector in the workers no
    longer walks (and writes to) those objects, so fewer of their pages are
    copied out of the shared memory. A failure is left to each worker,
    which warms again and reports it in one line (the server must live on)."""
    import gc

    _end_with_parent(os.getppid())  # the fork server too dies with its parent, even mid-warm-up
    try:
        from nlp.pipeline import warm_up

        warm_up()
    except Exception:  # noqa: BLE001 - reported by the workers, not here
        return
    _one_thread_math()  # every library is loaded now; forked workers inherit the setting
    gc.freeze()


_math_one_thread = False  # set once the libraries are limited; forked workers inherit it


def _one_thread_math() -> None:
    """One thread in the native math libraries (OpenBLAS, OpenMP) of this process.

    A worker is already one of N processes for N cores, so more threads buy
    nothing; and OpenBLAS's own thread pool maps a working buffer per thread as
    the threads happen to overlap, so a worker's address space, which its
    memory limit (``RLIMIT_AS``) counts, depended on scheduling: on a busy
    machine a two-line document could fail "over the memory limit". Call it
    once every library is loaded (it limits only those); a worker forked from
    the fork server that did so pays nothing (inspecting the libraries again
    would cost it 3-13 ms of its start)."""
    global _math_one_thread
    if _math_one_thread:
        return
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except Exception:  # noqa: BLE001 - without it the worker is only less predictable
        return
    _math_one_thread = True


def start_method() -> str:
    """``forkserver`` where the platform has it, unless ``POLICYLENS_WORKER_START``
    says otherwise (``spawn``: every worker loads its own pipeline)."""
    wanted = os.environ.get("POLICYLENS_WORKER_START", "forkserver")
    methods = multiprocessing.get_all_start_methods()
    return wanted if wanted in methods and wanted != "fork" else "spawn"


def _context() -> Any:
    """The multiprocessing context workers start from (never plain ``fork``:
    the parent may have threads, and a lock one of them held would stay held
    in the child)."""
    method = start_method()
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload([PRELOAD_MODULE])
    return ctx


def _nothing() -> None:
    """A process that does nothing (:func:`warm_start`)."""


def start_fork_server() -> str:
    """Start the fork server, which then loads the pipeline on its own, and
    return at once. Call it from a thread that lives as long as the pool's
    users (a server's main thread): the fork server is ended with the thread
    that started it (``PR_SET_PDEATHSIG``, see :func:`preload`, is tied to the
    starting thread, not its process). Returns the start method."""
    ctx = _context()
    if ctx.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()
    return ctx.get_start_method()


def warm_start() -> str:
    """Start the fork server now and wait until its pipeline is warm, so the
    first worker later starts at once (a server at start-up, a benchmark
    before its timings). Nothing to do with ``spawn``. Returns the start method."""
    method = start_fork_server()
    if method == "forkserver":
        proc = _context().Process(target=_nothing, daemon=True)
        proc.start()  # answered only once the fork server has loaded its preload
        proc.join()
    return method


def _address_space() -> int:
    """Bytes of address space this process has now (0 when unknown)."""
    try:
        with open("/proc/self/status") as f:
            return 1024 * int(next(line for line in f if line.startswith("VmSize")).split()[1])
    except (OSError, StopIteration, ValueError):
        return 0


class WorkerStartError(RuntimeError):
    """Workers die before they are ready, again and again (a broken install or too small a memory limit)."""


@dataclass
class Reply:
    """What became of one task: ``ok`` with the task's result, or failed with
    an HTTP-like code (400 unreadable, 413 over the memory limit, 422 analysis
    failed or over the time limit) and a reason for people."""

    key: Any
    ok: bool
    result: Any = None
    code: int = 200
    reason: str = ""


@dataclass(frozen=True)
class Limits:
    """Time and memory a worker may spend on one task, and the settings that
    change them (named in the failure, so the user knows what to raise)."""

    time_s: float = DEFAULT_TIMEOUT
    memory_bytes: int = 0  # 0: no memory limit
    time_setting: str = "--timeout"
    memory_setting: str = "--memory-limit"

    def over_time(self) -> str:
        return (f"超时 / timed out after {self.time_s:g} s (时间限制 the time limit per file, "
                f"{self.time_setting})")

    def over_memory(self) -> str:
        return (f"超过内存限制 / over the memory limit of {self.memory_bytes // 2**20} MB "
                f"({self.memory_setting})")


def _attempt(process: Process, payload: Any, limits: Limits) -> tuple[str, Any]:
    """Run one task in the worker: ``("ok", result)`` or ``("failed", (code, reason))``."""
    from ingest.document import IngestError

    try:
        return "ok", process(payload)
    except IngestError as err:
        return "failed", (getattr(err, "status", 400), err.reason)
    except MemoryError:
        return "failed", (413, limits.over_memory())
    except Exception as err:  # noqa: BLE001 - one bad file never ends the worker
        return "failed", (422, f"分析失败 analysis failed: {type(err).__name__}: {err}")


def _end_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this worker when its parent dies (``kill -9`` of the
    server or of ``ingest``), so no orphan keeps analysing a file nobody will
    store; a parent that died before the request was made is seen here too.
    Elsewhere a worker ends when it next reads its closed pipe."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    # A forked worker's parent is the fork server, which ends when ``parent``
    # does (so the signal still comes); either may be gone already.
    try:
        os.kill(parent, 0)
    except ProcessLookupError:
        os._exit(0)
    if os.getppid() == 1:
        os._exit(0)


def _worker_main(conn: Connection, process: Process, limits: Limits, parent: int) -> None:
    """A worker's life: take its memory limit, warm the pipeline, say ready,
    then one task per message until ``None`` or the pipe closes."""
    _end_with_parent(parent)
    try:
        if limits.memory_bytes:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
            if _address_space() >= limits.memory_bytes:  # forked warm: the pipeline is in already
                raise MemoryError(f"the warm pipeline takes {_address_space() // 2**20} MB")
        from nlp.pipeline import warm_up

        warm_up()  # nothing left to do in a worker forked from the warm fork server
        _one_thread_math()  # done already in a worker forked from the warm fork server
    except (Exception, MemoryError) as err:  # one line for the parent's error, not a traceback
        sys.stderr.write(f"policylens worker: 无法加载分析流程 cannot load the pipeline: "
                         f"{type(err).__name__}: {err}\n")
        os._exit(3)
    conn.send(("ready", None, None))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        key, payload = task
        kind, value = _attempt(process, payload, limits)
        del payload
        try:
            conn.send((kind, key, value))
        except MemoryError:  # the result was too big to pickle within the limit
            del value
            conn.send(("failed", key, (413, limits.over_memory())))


def cpu_wait(pid: int) -> float:
    """Seconds the process's main thread has spent runnable but waiting for a
    CPU (``/proc/PID/schedstat``, second field, nanoseconds); 0 where unknown
    (not Linux, or the process is gone), which leaves a time limit on the clock."""
    try:
        with open(f"/proc/{pid}/schedstat", "rb") as f:
            return int(f.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


@dataclass
class _Slot:
    """One worker process and the task it is working on (``deadline``: when its
    time limit runs out if it gets a CPU whenever it wants one; ``waited``: its
    :func:`cpu_wait` when the task was sent)."""

    process: Any
    conn: Connection
    ready: bool = False
    key: Any = None
    deadline: float = 0.0
    waited: float = 0.0
    started: float = field(default_factory=time.monotonic)

    def out_of_time(self, now: float) -> bool:
        """Whether the task has used its time limit, not counting the time the
        worker waited for a CPU; if not, the deadline moves by that wait."""
        if now < self.deadline:
            return False
        waited = cpu_wait(self.process.pid)
        self.deadline += waited - self.waited
        self.waited = waited
        return now >= self.deadline


@dataclass
class Throughput:
    """Counts for a progress display (files and characters done so far)."""

    total: int
    done: int = 0
    chars: int = 0
    started: float = field(default_factory=time.monotonic)

    def rates(self) -> tuple[float, float, float | None]:
        """(files/s, chars/s, seconds left or ``None``)."""
        spent = max(time.monotonic() - self.started, 1e-9)
        files_s = self.done / spent
        left = (self.total - self.done) / files_s if files_s > 0 else None
        return files_s, self.chars / spent, left


class Pool:
    """``workers`` analysing processes feeding one writer (the caller)."""

    def __init__(self, workers: int, timeout: float = DEFAULT_TIMEOUT,
                 process: Process = analyse_file, memory_limit: int = 0,
                 limits: Limits | None = None) -> None:
        self.workers = max(1, workers)
        self.limits = limits or Limits(timeout, memory_limit)
        self.timeout = self.limits.time_s
        self.process = process
        self._ctx = _context()
        self._slots: list[_Slot] = []
        self._failed_starts = 0
        self._closed = False
        # close() comes from another thread than call() (the upload queue's stop): a
        # worker is started, and the pool closed, one at a time, so close() never
        # misses a worker that call() was starting and a closed pool starts none
        self._lock = threading.Lock()
        self._calls = 0

    def _start(self) -> _Slot:
        ours, theirs = self._ctx.Pipe()
        proc = self._ctx.Process(target=_worker_main,
                                 args=(theirs, self.process, self.limits, os.getpid()),
                                 daemon=True, name="policylens-worker")
        proc.start()
        theirs.close()
        return _Slot(proc, ours)

    def _taken(self, slot: _Slot) -> bool:
        """Whether close() (from another thread) took ``slot``: then it is close()'s
        alone to end; two threads closing one pipe could close a reused descriptor."""
        with self._lock:
            return slot not in self._slots

    def _replace(self, slot: _Slot) -> None:
        """End a worker for good (SIGKILL: a hung parser ignores anything softer)."""
        if self._taken(slot):
            return
        if slot.process.is_alive():
            slot.process.kill()
        slot.process.join()
        slot.conn.close()
        with self._lock:
            if slot in self._slots:
                self._slots[self._slots.index(slot)] = self._start()

    def close(self) -> None:
        """End every worker (a task in flight fails); :meth:`call` starts none after this."""
        with self._lock:
            self._closed = True
            slots, self._slots = self._slots, []
        for slot in slots:
            try:
                slot.conn.send(None)
            except OSError:
                pass
        for slot in slots:
            slot.process.join(timeout=5)
            if slot.process.is_alive():
                slot.process.kill()
                slot.process.join()
            slot.conn.close()

    def _submit(self, slot: _Slot, key: Any, payload: Any) -> None:
        slot.key = key
        slot.deadline = time.monotonic() + self.limits.time_s
        slot.waited = cpu_wait(slot.process.pid)
        slot.conn.send((key, payload))

    # ---- one task at a time (the upload queue) ---------------------------------------

    def call(self, payload: Any) -> Reply:
        """Run one task on the first worker (started and warmed if need be) and
        wait for its reply, its death or its time limit."""
        self._calls += 1
        key = f"call-{self._calls}"  # comes back through the pipe: equal, not identical
        while True:
            with self._lock:
                if self._closed:
                    return Reply(key, False, None, 503, POOL_CLOSED)
                if not self._slots:
                    self._slots = [self._start()]
                slot = self._slots[0]
            try:
                if slot.ready and slot.key is None:
                    self._submit(slot, key, payload)
                replies = self._wait([slot])
            except OSError:  # close() closed the pipe under us: the loop answers 503
                if not self._taken(slot):
                    raise
                continue
            for reply in replies:
                if reply.key == key:
                    return reply

    # ---- ingest: many files, many workers ---------------------------------------------

    def run(self, files: Iterable[Path], backend: Backend,
            on_outcome: Callable[[FileOutcome, int], None] | None = None) -> Iterator[FileOutcome]:
        """Ingest ``files``; yields each file's outcome as it is decided.

        ``on_outcome(outcome, chars)`` is called too (``chars``: characters of
        text the file had, 0 when it was not analysed)."""
        queue = iter(files)
        version = analysis_version()
        todo: deque[str] = deque()  # files that need a worker (a few, not the whole queue)
        content: dict[str, str] = {}  # content id of each file in ``todo`` or in a worker
        held: list[tuple[str, str]] = []  # (path, id): the same bytes as a file in work
        exhausted = False
        try:
            while True:
                decided: list[tuple[FileOutcome, int]] = []
                while not exhausted and len(todo) < self.workers:
                    path = next(queue, None)
                    if path is None:
                        exhausted = True
                        break
                    early, doc_id = _precheck(Path(path), backend)
                    if early is not None:
                        decided.append((early, 0))
                    elif doc_id in content.values():
                        # stored after the first name, so the first name given keeps
                        # the document and this one becomes its alias, whichever
                        # worker would have finished first
                        held.append((str(path), doc_id))
                    else:
                        todo.append(str(path))
                        content[str(path)] = doc_id
                yield from self._report(decided, on_outcome)
                if todo and not self._slots:  # workers start only once there is work
                    self._slots = [self._start() for _ in range(self.workers)]
                for slot in self._slots:
                    if slot.ready and slot.key is None and todo:
                        path = todo.popleft()
                        self._submit(slot, path, path)
                working = any(s.key is not None for s in self._slots)
                if exhausted and not todo and not working and not held:
                    return
                if not working and not todo:
                    held = self._release(held, content, todo)
                    continue  # everything so far was decided without a worker
                busy = [s for s in self._slots if s.key is not None or not s.ready]
                replies = self._wait(busy)
                stored = [(_store(Path(r.key), *r.result, backend, version), len(r.result[0].text))
                          if r.ok else (FileOutcome(r.key, "failed", r.reason), 0)
                          for r in replies]
                for r in replies:
                    content.pop(r.key, None)
                held = self._release(held, content, todo)
                yield from self._report(stored, on_outcome)
        finally:
            self.close()

    @staticmethod
    def _release(held: list[tuple[str, str]], content: dict[str, str],
                 todo: deque[str]) -> list[tuple[str, str]]:
        """Move held files whose twin is stored now into ``todo``; the rest stay held."""
        still = []
        for path, doc_id in held:
            if doc_id in content.values():
                still.append((path, doc_id))
            else:
                todo.append(path)
                content[path] = doc_id
        return still

    @staticmethod
    def _report(decided: list[tuple[FileOutcome, int]],
                on_outcome: Callable[[FileOutcome, int], None] | None) -> Iterator[FileOutcome]:
        for outcome, chars in decided:
            if on_outcome is not None:
                on_outcome(outcome, chars)
            yield outcome

    def _wait(self, busy: list[_Slot]) -> list[Reply]:
        """Wait for a message, a dead worker or a deadline; the replies that came of it."""
        now = time.monotonic()
        deadlines = [s.deadline if s.key is not None else s.started + START_LIMIT for s in busy]
        wait_for = min(deadlines, default=now + 60.0) - now
        handles: list[Any] = [s.conn for s in busy] + [s.process.sentinel for s in busy]
        ready = set(wait(handles, timeout=max(wait_for, 0.0)))
        out: list[Reply] = []
        for slot in list(busy):
            if slot.conn in ready:
                try:
                    kind, key, payload = slot.conn.recv()
                except (EOFError, OSError):
                    out.extend(self._died(slot))
                    continue
                if kind == "ready":
                    slot.ready = True
                    continue
                slot.key = None
                out.append(Reply(key, True, payload) if kind == "ok"
                           else Reply(key, False, None, *payload))
            elif slot.process.sentinel in ready:
                out.extend(self._died(slot))
            elif slot.key is not None and slot.out_of_time(time.monotonic()):
                key = slot.key
                self._replace(slot)
                out.append(Reply(key, False, None, 422, self.limits.over_time()))
            elif not slot.ready and time.monotonic() >= slot.started + START_LIMIT:
                slot.process.kill()  # a worker that cannot load its pipeline counts as died
                out.extend(self._died(slot))
        return out

    def _died(self, slot: _Slot) -> list[Reply]:
        """A worker ended without answering: its task failed, a new worker takes its place."""
        key = slot.key
        if self._taken(slot):  # close() ended it: its task fails as the pool's stop
            return [] if key is None else [Reply(key, False, None, 503, POOL_CLOSED)]
        slot.process.join(timeout=5)
        code = slot.process.exitcode
        if not slot.ready:
            self._failed_starts += 1
            if self._failed_starts > 2 * self.workers:
                hint = (f"; 内存限制可能太小 the memory limit of {self.limits.memory_bytes // 2**20} MB "
                        f"may be too small ({self.limits.memory_setting})"
                        if self.limits.memory_bytes else "")
                raise WorkerStartError(f"处理进程无法启动 / workers cannot start (exit code {code}){hint}")
        self._replace(slot)
        if key is None:
            return []
        why = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        reason = f"处理进程意外退出 / worker died ({why})"
        if self.limits.memory_bytes:  # the usual way to die under RLIMIT_AS
            return [Reply(key, False, None, 413, f"{reason}; 可能{self.limits.over_memory()}")]
        return [Reply(key, False, None, 500, reason)]


def _precheck(path: Path, backend: Backend) -> tuple[FileOutcome | None, str]:
    """``unchanged`` or ``failed`` decided in the parent without a worker, else
    ``None``; and the file's content id ("" when it could not be read)."""
    from ingest.document import IngestError

    try:
        outcome, _, _, doc_id = check_unchanged(path, backend)
        return outcome, doc_id
    except IngestError as err:
        return FileOutcome(str(path), "failed", err.reason), ""
    except Exception as err:  # noqa: BLE001 - one bad file never stops the batch
        return FileOutcome(str(path), "failed", f"{type(err).__name__}: {err}"), ""


def store_result(document: Any, analysis: Any, columns: Any, backend: Backend,
                 version: str) -> AddResult:
    """Store what a worker sent back, with the index columns it tokenised
    (the SQLite store takes them, so the writer does not tokenise again)."""
    from search.sqlite import SQLiteBackend

    options = {"columns": columns} if isinstance(backend, SQLiteBackend) and columns is not None else {}
    return store_analysis(document, analysis, backend, version, **options)


def _store(path: Path, document: Any, analysis: Any, columns: Any, backend: Backend,
           version: str) -> FileOutcome:
    """Write one analysed document in one transaction (the only writer)."""
    try:
        result = store_result(document, analysis, columns, backend, version)
        return FileOutcome(str(path), result.status, None, result.doc_id,
                           list(document.meta.get("warnings", [])))
    except Exception as err:  # noqa: BLE001 - a store error fails this file only
        return FileOutcome(str(path), "failed", f"{type(err).__name__}: {err}")


def ingest_parallel(paths: Iterable[str | Path], backend: Backend, workers: int | None = None,
                    timeout: float = DEFAULT_TIMEOUT, process: Process = analyse_file,
                    on_outcome: Callable[[FileOutcome, int], None] | None = None,
                    memory_limit: int = 0) -> list[FileOutcome]:
    """Ingest every file under ``paths`` with ``workers`` processes (default: all
    cores), each limited to ``timeout`` seconds per file and, when given,
    ``memory_limit`` bytes of address space."""
    from search.indexing import iter_files

    pool = Pool(workers or default_workers(), timeout, process, memory_limit)
    return list(pool.run(iter_files(paths), backend, on_outcome))

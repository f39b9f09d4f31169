"""Ingest on every core: worker processes read and analyse, the parent alone writes.

Why this shape:

* Analysis is CPU-bound Python, so threads do not help; each worker is a
  process with its own pipeline (loaded once, before its first file).
* One writer: the parent stores each finished document in one transaction
  (:meth:`search.backend.Backend.add`), so a worker that dies can never leave
  half a document behind, and SQLite sees a single writer.
* Nothing is parsed twice and nothing unchanged is parsed at all: the parent
  hashes each file first (:func:`search.indexing.check_unchanged`) and sends
  only new or changed files to a worker.
* Memory stays flat: each worker holds one file at a time and the parent keeps
  only a path per queued file and a small outcome per finished one.
* Bad input stays one file's problem: a worker that dies (even ``kill -9``)
  or runs past the time limit (a PDF that hangs the parser) is replaced, its
  file is reported as failed with the reason, and every other file goes on.
"""
from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from search.backend import Backend
from search.indexing import FileOutcome, analysis_version, check_unchanged, store_analysis

DEFAULT_TIMEOUT = 300.0  # seconds one file may take in a worker
Process = Callable[[str], tuple[Any, Any, Any]]


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def analyse_file(path: str) -> tuple[Any, Any, Any]:
    """Read, analyse and tokenise one file for the index in a worker:
    ``(Document, Analysis, index columns per passage)``, so the writer only writes."""
    from ingest.readers import read
    from nlp.pipeline import analyse
    from search.tokenize import document_columns

    document = read(path)
    analysis = analyse(document)
    columns = document_columns(document.text, [(p.start, p.end) for p in document.passages],
                               analysis.tokens)
    analysis.tokens = None  # used up: not worth sending back
    return document, analysis, columns


def _worker_main(conn: Connection, process: Process) -> None:
    """A worker's life: load the pipeline, say ready, then one file per message."""
    from ingest.document import IngestError
    from nlp.pipeline import warm_up

    warm_up()
    conn.send(("ready", None, None))
    while True:
        path = conn.recv()
        if path is None:
            return
        try:
            conn.send(("ok", path, process(path)))
        except IngestError as err:
            conn.send(("failed", path, err.reason))
        except Exception as err:  # one bad file never ends the worker
            conn.send(("failed", path, f"{type(err).__name__}: {err}"))


@dataclass
class _Slot:
    """One worker process and the file it is working on."""

    process: Any
    conn: Connection
    ready: bool = False
    path: str | None = None
    deadline: float = 0.0


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
    """``workers`` analysing processes feeding one writer (the caller's backend)."""

    def __init__(self, workers: int, timeout: float = DEFAULT_TIMEOUT,
                 process: Process = analyse_file) -> None:
        self.workers = max(1, workers)
        self.timeout = timeout
        self.process = process
        self._ctx = multiprocessing.get_context("spawn")  # no fork of a threaded parent
        self._slots: list[_Slot] = []
        self._failed_starts = 0

    def _start(self) -> _Slot:
        ours, theirs = self._ctx.Pipe()
        proc = self._ctx.Process(target=_worker_main, args=(theirs, self.process), daemon=True)
        proc.start()
        theirs.close()
        return _Slot(proc, ours)

    def _replace(self, slot: _Slot) -> None:
        """End a worker for good (SIGKILL: a hung parser ignores anything softer)."""
        if slot.process.is_alive():
            slot.process.kill()
        slot.process.join()
        slot.conn.close()
        self._slots[self._slots.index(slot)] = self._start()

    def close(self) -> None:
        for slot in self._slots:
            try:
                slot.conn.send(None)
            except OSError:
                pass
        for slot in self._slots:
            slot.process.join(timeout=5)
            if slot.process.is_alive():
                slot.process.kill()
                slot.process.join()
            slot.conn.close()
        self._slots = []

    def run(self, files: Iterable[Path], backend: Backend,
            on_outcome: Callable[[FileOutcome, int], None] | None = None) -> Iterator[FileOutcome]:
        """Ingest ``files``; yields each file's outcome as it is decided.

        ``on_outcome(outcome, chars)`` is called too (``chars``: characters of
        text the file had, 0 when it was not analysed)."""
        queue = iter(files)
        version = analysis_version()
        todo: deque[str] = deque()  # files that need a worker (a few, not the whole queue)
        exhausted = False
        try:
            while True:
                decided: list[tuple[FileOutcome, int]] = []
                while not exhausted and len(todo) < self.workers:
                    path = next(queue, None)
                    if path is None:
                        exhausted = True
                        break
                    early = _precheck(Path(path), backend)
                    if early is not None:
                        decided.append((early, 0))
                    else:
                        todo.append(str(path))
                yield from self._report(decided, on_outcome)
                if todo and not self._slots:  # workers start only once there is work
                    self._slots = [self._start() for _ in range(self.workers)]
                for slot in self._slots:
                    if slot.ready and slot.path is None and todo:
                        slot.path = todo.popleft()
                        slot.deadline = time.monotonic() + self.timeout
                        slot.conn.send(slot.path)
                working = any(s.path is not None for s in self._slots)
                if exhausted and not todo and not working:
                    return
                if not working and not todo:
                    continue  # everything so far was decided without a worker
                busy = [s for s in self._slots if s.path is not None or not s.ready]
                yield from self._report(self._wait(busy, backend, version), on_outcome)
        finally:
            self.close()

    @staticmethod
    def _report(decided: list[tuple[FileOutcome, int]],
                on_outcome: Callable[[FileOutcome, int], None] | None) -> Iterator[FileOutcome]:
        for outcome, chars in decided:
            if on_outcome is not None:
                on_outcome(outcome, chars)
            yield outcome

    def _wait(self, busy: list[_Slot], backend: Backend, version: str) -> list[tuple[FileOutcome, int]]:
        """Wait for a message, a dead worker or a deadline; handle what happened."""
        working = [s for s in busy if s.path is not None]
        now = time.monotonic()
        wait_for = min((s.deadline for s in working), default=now + 60.0) - now
        handles: list[Any] = [s.conn for s in busy] + [s.process.sentinel for s in busy]
        ready = set(wait(handles, timeout=max(wait_for, 0.0)))
        out: list[tuple[FileOutcome, int]] = []
        for slot in list(busy):
            if slot.conn in ready:
                try:
                    kind, path, payload = slot.conn.recv()
                except (EOFError, OSError):
                    out.extend(self._died(slot))
                    continue
                if kind == "ready":
                    slot.ready = True
                    continue
                slot.path = None
                if kind == "ok":
                    document, analysis, columns = payload
                    out.append((_store(Path(path), document, analysis, columns, backend, version),
                                len(document.text)))
                else:
                    out.append((FileOutcome(path, "failed", payload), 0))
            elif slot.process.sentinel in ready:
                out.extend(self._died(slot))
            elif slot.path is not None and time.monotonic() >= slot.deadline:
                path = slot.path
                self._replace(slot)
                out.append((FileOutcome(path, "failed", f"超时 / timed out after {self.timeout:g} s"), 0))
        return out

    def _died(self, slot: _Slot) -> list[tuple[FileOutcome, int]]:
        """A worker ended without answering: its file failed, a new worker takes its place."""
        path = slot.path
        slot.process.join(timeout=5)
        code = slot.process.exitcode
        if not slot.ready:
            self._failed_starts += 1
            if self._failed_starts > 2 * self.workers:
                raise RuntimeError(f"处理进程无法启动 / workers cannot start (exit code {code})")
        self._replace(slot)
        if path is None:
            return []
        why = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        return [(FileOutcome(path, "failed", f"处理进程意外退出 / worker died ({why})"), 0)]


def _precheck(path: Path, backend: Backend) -> FileOutcome | None:
    """``unchanged`` or ``failed`` decided in the parent without a worker, else ``None``."""
    from ingest.document import IngestError

    try:
        outcome, _, _ = check_unchanged(path, backend)
        return outcome
    except IngestError as err:
        return FileOutcome(str(path), "failed", err.reason)
    except Exception as err:  # noqa: BLE001 - one bad file never stops the batch
        return FileOutcome(str(path), "failed", f"{type(err).__name__}: {err}")


def _store(path: Path, document: Any, analysis: Any, columns: Any, backend: Backend,
           version: str) -> FileOutcome:
    """Write one analysed document in one transaction (the only writer)."""
    from search.sqlite import SQLiteBackend

    try:
        options = {"columns": columns} if isinstance(backend, SQLiteBackend) and columns is not None else {}
        result = store_analysis(document, analysis, backend, version, **options)
        return FileOutcome(str(path), result.status, None, result.doc_id,
                           list(document.meta.get("warnings", [])))
    except Exception as err:  # noqa: BLE001 - a store error fails this file only
        return FileOutcome(str(path), "failed", f"{type(err).__name__}: {err}")


def ingest_parallel(paths: Iterable[str | Path], backend: Backend, workers: int | None = None,
                    timeout: float = DEFAULT_TIMEOUT, process: Process = analyse_file,
                    on_outcome: Callable[[FileOutcome, int], None] | None = None) -> list[FileOutcome]:
    """Ingest every file under ``paths`` with ``workers`` processes (default: all cores)."""
    from search.indexing import iter_files

    pool = Pool(workers or default_workers(), timeout, process)
    return list(pool.run(iter_files(paths), backend, on_outcome))

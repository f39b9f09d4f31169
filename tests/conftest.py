"""Shared fixtures: the real CLI as a subprocess, and the samples index.

The samples (``corpora/samples``) are ingested ONCE per test session by the real
``policylens ingest`` command into a temp data directory (analysis of all
samples takes a while); CLI, API, end-to-end and browser tests all read that
index. Tests that write (re-ingest, bad batches) use their own data dirs, or
only operations that leave the index as it was (an idempotent re-ingest).
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, TypeVar

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parent.parent
T = TypeVar("T")
SAMPLES = REPO / "corpora" / "samples"
CLI_TIMEOUT = 600


def shared_folder() -> Path | None:
    """The shared data folder: ``../shared`` beside this checkout, or beside the folder that
    holds it (a git worktree under ``wt/`` of the main checkout's parent); None if neither."""
    for candidate in (REPO.parent / "shared", REPO.parent.parent / "shared"):
        if (candidate / "bench-corpus").is_dir():
            return candidate
    return None


@pytest.fixture
def shared_dir() -> Path:
    """:func:`shared_folder`, the test skipped when the shared data is not beside the checkout."""
    found = shared_folder()
    if found is None:
        pytest.skip("../shared (with bench-corpus/) is not beside this checkout")
    return found


def policylens_cmd() -> list[str]:
    """The installed console script beside this interpreter, else ``python -m api.cli``."""
    script = Path(sys.executable).with_name("policylens")
    if script.exists():
        return [str(script)]
    found = shutil.which("policylens")
    return [found] if found else [sys.executable, "-m", "api.cli"]


def run_cli(args: list[str], data_dir: Path | str | None = None, timeout: float = CLI_TIMEOUT,
            cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``policylens ARGS`` with ``POLICYLENS_DATA_DIR`` set; text output captured."""
    env = dict(os.environ)
    env.pop("POLICYLENS_ES_URL", None)
    # this checkout's code even when the installed script belongs to another checkout
    # (an editable install elsewhere, which may change while the tests run)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    if data_dir is not None:
        env["POLICYLENS_DATA_DIR"] = str(data_dir)
    env.setdefault("COLUMNS", "200")
    return subprocess.run([*policylens_cmd(), *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=timeout, cwd=str(cwd or REPO))


def free_port() -> int:
    """A port free just now. Another process can take it before it is used: a server
    should bind port 0 itself (:func:`start_server`), and a URL that must refuse
    connections should hold its port (:func:`refused_url`)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def refused_url() -> Iterator[str]:
    """A localhost URL that refuses connections for as long as the block runs: its
    port stays bound without listening, so no other process can take it meanwhile
    (a port found free and released could be taken by a parallel server)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{s.getsockname()[1]}"


def wait_until(condition: Callable[[], T], seconds: float = 300.0) -> T:
    """Poll ``condition`` until it is true or ``seconds`` pass; its last value (the
    caller asserts on it). For states another process or thread reaches in its own
    time: a fixed number of short polls fails by chance on a loaded machine."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


SERVER_START_S = 300  # start-up loads jieba and the store: minutes on a loaded CI machine


@dataclass
class Server:
    """A ``serve`` process of this checkout, its base URL and its output."""

    proc: subprocess.Popen
    url: str
    log: Path

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def start_server(env: dict[str, str], log: Path, cmd: list[str] | None = None) -> Server:
    """``serve`` on a port the kernel picks (``--port 0``), read back from uvicorn's
    start line, once ``/health`` answers. A port picked beforehand and bound later
    can be taken meanwhile by a parallel run, and its server would answer instead.
    Its stderr goes to ``log``, its stdout (the access log) beside it in
    ``log.out``: files, never a pipe that nobody reads once it is full."""
    with open(log, "wb") as err, open(log.with_name(log.name + ".out"), "wb") as out:
        proc = subprocess.Popen([*(cmd or [sys.executable, "-m", "api.cli"]), "serve", "--host",
                                 "127.0.0.1", "--port", "0"], cwd=REPO, env=env, stdout=out,
                                stderr=err)
    deadline = time.monotonic() + SERVER_START_S
    while True:
        text = log.read_text(errors="replace")
        found = re.search(r"Uvicorn running on (http://127\.0\.0\.1:\d+)", text)
        if found:
            try:
                with urllib.request.urlopen(found.group(1) + "/health", timeout=10) as r:
                    if r.status == 200:
                        return Server(proc, found.group(1), log)
            except OSError:
                pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            pytest.fail(f"server did not start:\n{text[-3000:]}")
        time.sleep(0.2)


# FastAPI's TestClient sends ``Host: testserver``; the app answers known hosts only
os.environ.setdefault("POLICYLENS_ALLOWED_HOSTS", "testserver")
# the app warms its uploads' fork server at start-up (5 s of CPU, 300 MB); tests that need
# it set POLICYLENS_WARM_UPLOADS=1 (tests/test_upload_jobs.py), the others do not pay for it
os.environ.setdefault("POLICYLENS_WARM_UPLOADS", "0")

# Hypothesis: no per-example deadline and no too_slow health check (time taken on a
# loaded machine is not behaviour); on CI (.ci/run sets CI) hypothesis's own "ci"
# profile also fixes the examples drawn, so a CI run never depends on the draw.
settings.register_profile("policylens", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                      or ("ci" if os.environ.get("CI") else "policylens"))


@dataclass
class SamplesIndex:
    """The session's index of ``corpora/samples`` and how the ingest went."""

    data_dir: Path
    db: Path
    ingest: subprocess.CompletedProcess


@pytest.fixture(scope="session")
def samples_index(tmp_path_factory) -> SamplesIndex:
    data = tmp_path_factory.mktemp("samples-data")
    proc = run_cli(["ingest", SAMPLES], data)
    db = data / "policylens.sqlite3"
    if not db.exists():
        pytest.fail(f"ingest of the samples made no index:\n{proc.stderr[-3000:]}")
    return SamplesIndex(data, db, proc)


@pytest.fixture(scope="session")
def samples_store(samples_index):
    """A SQLiteBackend on the session's samples index."""
    from search.sqlite import SQLiteBackend

    backend = SQLiteBackend(samples_index.db)
    yield backend
    backend.close()


@pytest.fixture(scope="session")
def client(samples_store):
    """FastAPI TestClient of the whole app serving the samples index."""
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app(backend=samples_store)) as c:
        yield c

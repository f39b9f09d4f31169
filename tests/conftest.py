"""Shared fixtures: the real CLI as a subprocess, and the samples index.

The samples (``corpora/samples``) are ingested ONCE per test session by the real
``policylens ingest`` command into a temp data directory (analysis of all
samples takes a while); CLI, API, end-to-end and browser tests all read that
index. Tests that write (re-ingest, bad batches) use their own data dirs, or
only operations that leave the index as it was (an idempotent re-ingest).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "corpora" / "samples"
CLI_TIMEOUT = 600


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
    if data_dir is not None:
        env["POLICYLENS_DATA_DIR"] = str(data_dir)
    env.setdefault("COLUMNS", "200")
    return subprocess.run([*policylens_cmd(), *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=timeout, cwd=str(cwd or REPO))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# FastAPI's TestClient sends ``Host: testserver``; the app answers known hosts only
os.environ.setdefault("POLICYLENS_ALLOWED_HOSTS", "testserver")


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

"""Fixtures of the comparison and similarity tests: a real SQLite index of the
hand-built departments in ``tests/compare_data.py``, its store and an app client."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from search.sqlite import SQLiteBackend
from tests.compare_data import fill


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """A data directory whose SQLite index holds the departments above."""
    d = tmp_path_factory.mktemp("compare")
    b = SQLiteBackend(d / "policylens.sqlite3")
    fill(b)
    b.close()
    return d


@pytest.fixture
def backend(data_dir):
    b = SQLiteBackend(data_dir / "policylens.sqlite3")
    yield b
    b.close()


@pytest.fixture
def client(backend):
    with TestClient(create_app(backend=backend)) as c:
        yield c

"""Dependencies shared by the routes: the store, opened once per process.

Why not a module-level backend: tests and ``create_app(backend=...)`` need their
own store (a temp SQLite file), and the data directory is read from the
environment when the first request comes, not at import time. The default store
is cached per configuration (data dir or Elasticsearch URL), so changing
``POLICYLENS_DATA_DIR`` between test sessions opens the right file.
"""
from __future__ import annotations

import functools
import os

from fastapi import Request

from search.backend import Backend, data_dir, open_backend


@functools.lru_cache(maxsize=4)
def _backend(es_url: str, path: str) -> Backend:
    return open_backend()


def default_backend() -> Backend:
    """The configured store for this process (SQLite file or Elasticsearch)."""
    return _backend(os.environ.get("POLICYLENS_ES_URL", ""), str(data_dir().resolve()))


def get_backend(request: Request) -> Backend:
    """FastAPI dependency: the app's own store when one was given to
    ``create_app(backend=...)``, else the configured default."""
    backend = getattr(request.app.state, "backend", None)
    return backend if backend is not None else default_backend()

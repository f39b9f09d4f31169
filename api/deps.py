"""Dependencies shared by the routes: the store, opened once per process."""
from __future__ import annotations

import functools

from search.backend import Backend, open_backend


@functools.lru_cache(maxsize=1)
def _backend() -> Backend:
    return open_backend()


def get_backend() -> Backend:
    """FastAPI dependency: the configured backend (SQLite file or Elasticsearch)."""
    return _backend()

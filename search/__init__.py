"""Index, query and comparison behind one backend interface.

:mod:`search.backend` defines the interface; :mod:`search.sqlite` is the
embedded default (one SQLite file in the data directory) and
:mod:`search.elastic` the distributed backend (OpenSearch or Elasticsearch, the
differences in :mod:`search.engines`). :func:`search.open_backend` picks one
from the environment.
"""
from search.backend import open_backend

__all__ = ["open_backend"]

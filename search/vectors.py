"""Nearest passages by cosine similarity: exact for small stores, a persisted
binary index with rescoring for large ones.

Below ``BINARY_FROM`` vectors every vector is scored exactly in float32, in
memory (results are those of an exact search). From ``BINARY_FROM`` on, a
scan over a million float32 vectors reads 1.5 GB and takes hundreds of
milliseconds on a busy machine, so the store keeps a second, compact copy of
its vectors next to the SQLite file (``<store>.vectors/``, see
:class:`VectorFiles`):

* one sign bit per dimension after subtracting the mean vector (48 bytes a
  passage; embeddings such as e5's share a large common component, which
  would otherwise fix many of the signs), kept column by column so the
  Hamming scan is a few contiguous ``bitwise_count`` passes;
* the vector itself in int8 with one scale per passage (384 bytes), used to
  rescore the ``RESCORE`` passages closest by bits.

The files are memory-mapped (a process opens them in milliseconds, holds only
the pages it touches) and updated in place by every write: new vectors are
appended, vectors of deleted passages are marked with rowid -1. A generation
number in the files must equal the store's ``vectors_gen``; when it does not
(files missing, written by an older version, or a write that failed half-way)
they are rebuilt from the store's vectors. Recall@10 against the exact search
is tested on generated clustered vectors (``tests/test_search_semantic.py``).
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

BINARY_FROM = 20_000
RESCORE = 1_000
FORMAT = 1
_BIG = np.iinfo(np.uint16).max


class VectorIndex:
    """Exact cosine search over unit vectors held in memory (small stores)."""

    binary = False

    def __init__(self, rowids: np.ndarray, matrix: np.ndarray) -> None:
        self.rowids = np.asarray(rowids, dtype=np.int64)
        self.n, self.dim = matrix.shape if matrix.ndim == 2 else (0, 0)
        self.matrix = np.ascontiguousarray(matrix, dtype=np.float32)

    def __len__(self) -> int:
        return self.n

    def search(self, q: np.ndarray, k: int) -> list[tuple[float, int]]:
        """The ``k`` (cosine, rowid) pairs closest to unit vector ``q``, best first."""
        if self.n == 0 or k <= 0:
            return []
        q = np.asarray(q, dtype=np.float32).reshape(-1)
        return _top(self.matrix @ q, None, self.rowids, k)


class BinaryIndex:
    """Centered sign bits (column-major words) for candidates, int8 codes for
    rescoring. Arrays may be memory maps; rows whose rowid is negative are
    deleted."""

    binary = True

    def __init__(self, rowids: np.ndarray, words: list[np.ndarray], codes: np.ndarray,
                 scales: np.ndarray, mean: np.ndarray) -> None:
        self.rowids, self.words, self.codes = rowids, words, codes
        self.scales, self.mean = scales, np.asarray(mean, dtype=np.float32)
        self.n, self.dim = len(rowids), len(self.mean)

    @classmethod
    def from_matrix(cls, rowids: np.ndarray, matrix: np.ndarray) -> "BinaryIndex":
        """An in-memory index of unit vectors (what the files hold, without files)."""
        matrix = np.asarray(matrix, dtype=np.float32)
        mean = matrix.mean(axis=0) if len(matrix) else np.zeros(matrix.shape[1], np.float32)
        words, codes, scales = encode(matrix, mean)
        return cls(np.asarray(rowids, dtype=np.int64), list(words), codes, scales, mean)

    def __len__(self) -> int:
        return self.n

    def search(self, q: np.ndarray, k: int, rescore: int | None = None) -> list[tuple[float, int]]:
        """The ``k`` (cosine, rowid) pairs closest to unit vector ``q``, best first:
        the ``rescore`` closest by Hamming distance, scored from their int8 codes."""
        if self.n == 0 or k <= 0:
            return []
        q = np.asarray(q, dtype=np.float32).reshape(-1)
        qwords = pack_signs((q - self.mean)[None, :])[0]
        dist, tmp, cnt = self._buffers()
        dist[:] = 0
        for col, qw in zip(self.words, qwords):
            np.bitwise_xor(col, qw, out=tmp)
            np.bitwise_count(tmp, out=cnt)
            dist += cnt
        cand = _closest(dist, max(k, rescore or RESCORE))
        cand = cand[self.rowids[cand] >= 0]
        if not len(cand):
            return []
        # einsum, not BLAS: BLAS threads spin on a busy machine (7 ms CPU against 1)
        sims = np.einsum("ij,j->i", self.codes[cand].astype(np.float32), q) * self.scales[cand]
        return _top(sims, cand, self.rowids, k)

    def _buffers(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Scratch arrays of this thread, kept between searches: fresh ones
        cost page faults (12 MB at a million passages, ~12 ms CPU a search)."""
        local = self.__dict__.setdefault("_local", threading.local())
        bufs = getattr(local, "bufs", None)
        if bufs is None:
            bufs = local.bufs = (np.zeros(self.n, np.uint16), np.empty(self.n, np.uint64),
                                 np.empty(self.n, np.uint8))
        return bufs


def _closest(dist: np.ndarray, m: int) -> np.ndarray:
    """Positions of (about) the ``m`` smallest distances, by position: a
    histogram finds the cut-off distance (cheaper than a partition of a
    million), ties at the cut-off are kept unless they are far too many."""
    if m >= len(dist):
        return np.arange(len(dist))
    cum = np.cumsum(np.bincount(dist))
    cut = int(np.searchsorted(cum, m))
    cand = np.flatnonzero(dist <= cut)
    if len(cand) > 4 * m:
        cand = np.sort(cand[np.argpartition(dist[cand], m - 1)[:m]])
    return cand


def _top(sims: np.ndarray, cand: np.ndarray | None, rowids: np.ndarray,
         k: int) -> list[tuple[float, int]]:
    k = min(k, len(sims))
    top = np.argpartition(-sims, k - 1)[:k]
    top = top[np.argsort(-sims[top], kind="stable")]
    idx = top if cand is None else cand[top]
    ids = rowids[idx]
    return [(s, r) for s, r in zip(sims[top].tolist(), ids.tolist()) if r >= 0]


def pack_signs(matrix: np.ndarray) -> np.ndarray:
    """One bit per dimension (positive or not), packed into uint64 words: (n, words)."""
    bits = np.packbits(matrix > 0, axis=1)
    pad = (-bits.shape[1]) % 8
    if pad:
        bits = np.pad(bits, ((0, 0), (0, pad)))
    return np.ascontiguousarray(bits).view(np.uint64)


def encode(matrix: np.ndarray, mean: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(words (n_words, n) uint64, int8 codes (n, dim), scales (n,)) of unit vectors."""
    matrix = np.asarray(matrix, dtype=np.float32)
    words = np.ascontiguousarray(pack_signs(matrix - mean).T)
    peak = np.abs(matrix).max(axis=1) if len(matrix) else np.zeros(0, np.float32)
    scales = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    codes = np.rint(matrix / scales[:, None]).astype(np.int8)
    return words, codes, scales


class VectorFiles:
    """The binary index on disk, beside the store: ``meta.json`` (generation,
    count, dimension, model, mean), ``rowids.i64``, ``bits{i}.u64`` (one file per
    64-bit word, so each grows by appending), ``codes.i8`` and ``scales.f32``.
    Writers hold an exclusive lock on ``lock``; readers need none (rows are only
    appended, and a deletion only overwrites a rowid with -1)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    # ---- reading --------------------------------------------------------------------

    def meta(self) -> dict | None:
        try:
            meta = json.loads((self.folder / "meta.json").read_text())
        except (OSError, ValueError):
            return None
        return meta if meta.get("format") == FORMAT else None

    def open(self, gen: str | None) -> BinaryIndex | None:
        """The index memory-mapped, or None when the files are not those of
        generation ``gen`` of the store."""
        meta = self.meta()
        if meta is None or meta.get("gen") != gen:
            return None
        n, dim, nw = meta["n"], meta["dim"], meta["words"]
        if n == 0:
            return None
        try:
            rowids = self._map("rowids.i64", np.int64, (n,))
            words = [self._map(f"bits{i}.u64", np.uint64, (n,)) for i in range(nw)]
            codes = self._map("codes.i8", np.int8, (n, dim))
            scales = self._map("scales.f32", np.float32, (n,))
        except (OSError, ValueError):  # truncated or missing: rebuilt by the caller
            return None
        return BinaryIndex(rowids, words, codes, scales, np.asarray(meta["mean"], np.float32))

    def _map(self, name: str, dtype, shape: tuple) -> np.ndarray:
        """A plain array over a read-only map of the file (indexing a
        ``np.memmap`` itself costs more than the scan of 100k rows)."""
        return np.asarray(np.memmap(self.folder / name, dtype=dtype, mode="r", shape=shape))

    def size_bytes(self) -> int:
        if not self.folder.is_dir():
            return 0
        return sum(f.stat().st_size for f in self.folder.iterdir() if f.is_file())

    # ---- writing --------------------------------------------------------------------

    @contextmanager
    def locked(self) -> Iterator[None]:
        """One writer of the files at a time, across processes."""
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        with open(f"{self.folder}.lock", "a+b") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def build(self, gen: str | None, model: str | None,
              chunks: Iterable[tuple[np.ndarray, np.ndarray]], mean: np.ndarray) -> None:
        """Write the files anew from (rowids, unit vectors) chunks (call under
        :meth:`locked`); written to a temporary folder, then moved in place."""
        tmp = self.folder.with_name(self.folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        n, nw = 0, (len(mean) + 63) // 64
        for rowids, matrix in chunks:
            _append(tmp, rowids, *encode(matrix, mean))
            n += len(rowids)
        _write_meta(tmp, {"format": FORMAT, "gen": gen, "n": n, "dim": len(mean), "words": nw,
                          "model": model, "mean": [float(x) for x in mean]})
        shutil.rmtree(self.folder, ignore_errors=True)
        os.replace(tmp, self.folder)

    def update(self, old_gen: str | None, new_gen: str | None, model: str | None,
               add: tuple[np.ndarray, np.ndarray] | None = None,
               remove: np.ndarray | None = None) -> bool:
        """Apply one write of the store (call under :meth:`locked`): vectors of
        ``remove`` rowids (and of re-added ones) are marked deleted, ``add``
        (rowids, unit vectors) appended. Only when the files are those of
        ``old_gen``; otherwise nothing is written (they are stale and will be
        rebuilt) and False is returned."""
        meta = self.meta()
        if meta is None or meta.get("gen") != old_gen or meta.get("model") != model:
            return False
        n = meta["n"]
        gone = [np.asarray(x, np.int64) for x in (remove, add[0] if add else None)
                if x is not None and len(x)]
        if gone and n:
            rowids = np.memmap(self.folder / "rowids.i64", dtype=np.int64, mode="r+", shape=(n,))
            hit = np.flatnonzero(np.isin(rowids, np.concatenate(gone)))
            if len(hit):
                rowids[hit] = -1
                rowids.flush()
            del rowids
        if add is not None and len(add[0]):
            _append(self.folder, add[0], *encode(add[1], np.asarray(meta["mean"], np.float32)),
                    at=n)
            n += len(add[0])
        _write_meta(self.folder, {**meta, "gen": new_gen, "n": n})
        return True

    def drop(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _append(folder: Path, rowids: np.ndarray, words: np.ndarray, codes: np.ndarray,
            scales: np.ndarray, at: int | None = None) -> None:
    """Write rows at row ``at`` of every file (at the end when None): rows past
    the count in meta.json (left by a write that failed) are overwritten."""
    parts = [("rowids.i64", np.asarray(rowids, np.int64)), ("codes.i8", codes),
             ("scales.f32", scales)] + [(f"bits{i}.u64", w) for i, w in enumerate(words)]
    for name, arr in parts:
        path = folder / name
        row_bytes = arr.itemsize * (arr.shape[1] if arr.ndim == 2 else 1)
        with open(path, "r+b" if path.exists() else "w+b") as fh:
            if at is not None:
                fh.seek(at * row_bytes)
                fh.truncate()
            else:
                fh.seek(0, os.SEEK_END)
            fh.write(np.ascontiguousarray(arr).tobytes())


def _write_meta(folder: Path, meta: dict) -> None:
    tmp = folder / "meta.json.tmp"
    tmp.write_text(json.dumps(meta))
    os.replace(tmp, folder / "meta.json")

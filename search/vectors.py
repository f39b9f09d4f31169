"""Brute-force nearest passages by cosine similarity, in memory.

At our scale (up to a million passages of 384 dimensions) an exact scan is
simple and fast enough once it reads little memory: above ``BINARY_FROM``
vectors the scan runs over one sign bit per dimension (48 bytes a passage,
Hamming distance with ``numpy.bitwise_count``) and only the ``RESCORE``
closest by bits are scored exactly, from float16 copies. Below it every
vector is scored exactly in float32.
"""
from __future__ import annotations

import numpy as np

BINARY_FROM = 200_000
RESCORE = 2_000


class VectorIndex:
    """Unit vectors and their passage rowids."""

    def __init__(self, rowids: np.ndarray, matrix: np.ndarray) -> None:
        self.rowids = np.asarray(rowids, dtype=np.int64)
        self.n, self.dim = matrix.shape if matrix.ndim == 2 else (0, 0)
        self.binary = self.n >= BINARY_FROM
        if self.binary:
            self.matrix = matrix.astype(np.float16)
            self.bits = pack_signs(matrix)
        else:
            self.matrix = np.ascontiguousarray(matrix, dtype=np.float32)
            self.bits = None

    def __len__(self) -> int:
        return self.n

    def search(self, q: np.ndarray, k: int) -> list[tuple[float, int]]:
        """The ``k`` (cosine, rowid) pairs closest to unit vector ``q``, best first."""
        if self.n == 0 or k <= 0:
            return []
        q = np.asarray(q, dtype=np.float32).reshape(-1)
        if self.binary:
            qbits = pack_signs(q[None, :])[0]
            dist = np.bitwise_count(self.bits ^ qbits).sum(axis=1, dtype=np.int32)
            m = min(RESCORE, self.n)
            cand = np.argpartition(dist, m - 1)[:m]
            sims = self.matrix[cand].astype(np.float32) @ q
        else:
            cand = None
            sims = self.matrix @ q
        k = min(k, len(sims))
        top = np.argpartition(-sims, k - 1)[:k]
        top = top[np.argsort(-sims[top])]
        idx = top if cand is None else cand[top]
        return [(float(sims[t]), int(self.rowids[i])) for t, i in zip(top, idx)]


def pack_signs(matrix: np.ndarray) -> np.ndarray:
    """One bit per dimension (positive or not), packed into uint64 words."""
    bits = np.packbits(matrix > 0, axis=1)
    pad = (-bits.shape[1]) % 8
    if pad:
        bits = np.pad(bits, ((0, 0), (0, pad)))
    return np.ascontiguousarray(bits).view(np.uint64)

"""CPU time of one semantic-list scan (``search.vectors.BinaryIndex.search``,
k = 100) at a given number of index rows, without a store:

    python -m bench.vector_scan 1000000 1910000

Why: sub-passage windows (``bench.window_vectors``) add rows to the index,
about 0.9 per passage; this says what each extra row costs. The index is
filled with random sign words and int8 codes (the scan's work does not depend
on the values). Thread CPU is reported beside wall time because the machine
is shared: wall time there measures the other jobs.
"""
from __future__ import annotations

import sys
import time

import numpy as np

from search.vectors import BinaryIndex


def random_index(n: int, dim: int = 384, seed: int = 0) -> BinaryIndex:
    rng = np.random.default_rng(seed)
    words = [rng.integers(0, 2**63, n, dtype=np.uint64) for _ in range(dim // 64)]
    codes = rng.integers(-127, 128, (n, dim), dtype=np.int8)
    return BinaryIndex(np.arange(n, dtype=np.int64), words, codes,
                       np.full(n, 1 / 127 / 20, np.float32), np.zeros(dim, np.float32))


def scan_ms(index: BinaryIndex, queries: np.ndarray) -> tuple[float, float]:
    """(wall p50, thread CPU p50) in ms of searching each query."""
    wall, cpu = [], []
    for q in queries:
        t0, c0 = time.perf_counter(), time.thread_time()
        index.search(q, 100)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
    return float(np.percentile(wall, 50)), float(np.percentile(cpu, 50))


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000_000]
    qs = np.random.default_rng(1).standard_normal((60, 384)).astype(np.float32)
    qs /= np.linalg.norm(qs, axis=1, keepdims=True)
    for n in sizes:
        index = random_index(n)
        for _ in range(2):
            wall, cpu = scan_ms(index, qs)
            print(f"{n} rows: wall p50 {wall:.1f} ms, thread CPU p50 {cpu:.1f} ms", flush=True)
        del index


if __name__ == "__main__":
    main()

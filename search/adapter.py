"""A learned linear map on the query vector before the semantic list is read.

Why: multilingual-e5-small (the only model that ships in a package) puts the
cosines of nearly every passage within a few hundredths of each other, and its
first places often go to one-line fragments ('】', '各位代表！', one tax line of
another quarter) or to another year's report. The passage vectors cannot change
without embedding the store again, but the query vector can: ``q' =
normalise(q + A q)``, with ``A`` fitted on the judged (query, relevant passage)
pairs of the gold sets (``bench.query_adapter``) and regularised toward the
identity.

Where it is used (:func:`wanted`): semantic mode, for queries that name a year,
a region or an organisation. Measured leave-one-set-out (docs/search_relevance.md,
eleventh session), that is where it carries to sets written from new documents;
everyday-wording paraphrases of new documents fell, and hybrid fell, so those
read the raw vector.

The map is data (``corpora/search/query_adapter.npz``: ``model``, the name of
the embedder it was fitted for, and ``matrix``, the correction ``A``); it is
applied only to vectors of that model. A missing or unreadable file means the
raw query vector is used and one warning is logged: search never fails on it.
``POLICYLENS_QUERY_ADAPTER`` names another file, or ``none`` for the raw vector
(the leave-one-set-out bench scores maps fitted without the held-out set).

Cost: one 384 x 384 matrix-vector product per query that uses it (about 8 µs CPU).
"""
from __future__ import annotations

import functools
import logging
import os
from pathlib import Path
from typing import Any

import numpy as np

import corpora

log = logging.getLogger(__name__)

ENV = "POLICYLENS_QUERY_ADAPTER"
# The modes whose semantic list is read through the map. Not hybrid: measured
# leave-one-set-out (session 11, docs/search_relevance.md) the map lifts semantic
# mode, but in hybrid questions naming a year and a month lost their first place
# to another year's passage the new list ranks first, so hybrid keeps the raw vector.
MODES = frozenset({"semantic"})
DEFAULT_FILE = ("search", "query_adapter.npz")


class QueryAdapter:
    """``q -> normalise(q + A q)`` for vectors of one embedding model."""

    def __init__(self, model: str, matrix: np.ndarray) -> None:
        self.model = model
        self.matrix = np.asarray(matrix, dtype=np.float32)

    def apply(self, vec: np.ndarray) -> np.ndarray:
        q = np.asarray(vec, dtype=np.float32).reshape(-1)
        z = q + self.matrix @ q
        norm = float(np.linalg.norm(z))
        if not np.isfinite(norm) or norm == 0.0:  # a degenerate map must not lose the query
            return vec
        out = z / norm
        out.flags.writeable = False
        return out

    def save(self, path: Path, **meta: str) -> None:
        """Write the map (and free-text provenance ``meta``) as ``.npz``."""
        np.savez_compressed(path, model=self.model, matrix=self.matrix.astype(np.float16),
                            **{f"meta_{k}": v for k, v in meta.items()})


def read_adapter(path: Path) -> QueryAdapter | str:
    """The map in ``path``, or why it cannot be used (a message naming the file)."""
    try:
        with np.load(path) as data:
            model, matrix = str(data["model"]), np.asarray(data["matrix"], dtype=np.float32)
    except FileNotFoundError:
        return f"{path}: no such file"
    except (OSError, ValueError, KeyError, EOFError) as err:
        return f"{path}: not a query adapter ({err})"
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or not np.isfinite(matrix).all():
        return f"{path}: matrix of shape {matrix.shape} is not a finite square matrix"
    return QueryAdapter(model, matrix)


@functools.lru_cache(maxsize=4)
def _load(setting: str) -> QueryAdapter | None:
    if setting.lower() in ("none", "off", "0"):
        return None
    found = read_adapter(Path(setting) if setting else corpora.path(*DEFAULT_FILE))
    if isinstance(found, str):
        log.warning("查询向量映射不可用，使用原始向量 query adapter unavailable, raw vectors used: %s",
                    found)
        return None
    return found


def wanted(mode: str, understood: Any) -> bool:
    """Whether a ``mode`` search of a query understood as ``understood``
    (:class:`search.understand.Understood`) reads the semantic list through the
    map: in :data:`MODES`, and only when the query names a year, a region or an
    organisation. Why that gate: leave-one-set-out on the six sets written from
    new documents, the map lifts such queries (the month's or the unit's own
    figures instead of another year's or a table's fragments: meta 0.67 -> 0.84,
    questions 0.71 -> 0.76) but costs the other paraphrases (0.45 -> 0.41): what
    it learned about everyday wording came from the judged documents and does
    not carry to new ones."""
    return mode in MODES and bool(understood.year or understood.region or understood.org)


def adapt_query(model: str, vec: np.ndarray, use: bool) -> np.ndarray:
    """The query vector the semantic list is read with: with ``use``
    (:func:`wanted`), the shipped map applied when it was fitted for ``model``
    and has the vector's size; else ``vec``."""
    if not use:
        return vec
    adapter = _load(os.environ.get(ENV, ""))
    if adapter is None or adapter.model != model or adapter.matrix.shape[1] != np.size(vec):
        return vec
    return adapter.apply(vec)

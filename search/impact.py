"""Lists of common query phrases' BM25 inputs, for BM25 pools at scale (issue 12).

FTS5 ranks a query by walking every row that matches any of its phrases. A
phrase found in 1-3% of a million passages (政府性基金预算: 34k rows, six
common bigrams) costs 50-80 ms of that walk, and the phrase's
document-frequency pass as much again, though only its best few hundred rows
can reach the pool.

FTS5's ``bm25()`` of an OR of phrases is a sum of one term per phrase::

    idf(hits) * f * (k1 + 1) / (f + k1 * (1 - b + b * D / avgdl))

where ``f`` is the phrase's weighted count in the row, ``D`` the row's
length in tokens, ``hits`` the rows holding the phrase, ``avgdl`` the mean
row length (``k1`` 1.2, ``b`` 0.75; ``idf`` = log((N - hits + .5) /
(hits + .5)), at least 1e-6). :func:`build` keeps, for every common phrase,
the rows holding it and ``f`` in each (``impact_phrases``: two arrays in
blobs), and every row's ``D`` (one array): the inputs, not the amounts. A
query's pool then computes its listed phrases' terms with numpy from the
store's *current* ``N``, ``avgdl`` and ``hits``, adds what FTS5 gives the
query's other phrases, and keeps the best. Every row of every phrase is
summed, so the pool is FTS5's own (up to the last bits of a score, whose terms
are added in another order).

Writes do not make the lists stale. They cover the rows up to their
*watermark* (the highest rowid when they were built; new passages always get
higher rowids, see ``SQLiteBackend._insert_passages``). A deleted row is
recorded in ``impact_gone`` and left out of every list. Passages written
after the build are ranked by FTS5 (``rowid`` above the watermark, a range
FTS5 seeks to), with the same statistics: ``N`` and the token total come from
FTS5's own averages record, and a phrase's ``hits`` are its listed rows still
alive plus its new rows. So the pool equals FTS5's ranking of the whole store
at every generation; ``embed`` rebuilds the lists once a tenth of the store
changed (``search.sqlite.IMPACT_REBUILD``).

An impact-ordered variant (rows by amount, the threshold algorithm of Fagin,
Lotem and Naor reading the lists best first, a look-up per row in the other
lists, and FTS5 when the bound proved nothing within a budget) was measured
first and dropped: with two or more common units no list dominates, the
bound falls slowly, and the look-ups cost more than FTS5 (pool CPU sum over
the gold queries 11.4 s against 11.0 s for FTS5 alone). Stored amounts
summed in SQL (one B-tree row per list entry, ``GROUP BY``) cost 24.7 ms CPU a
gold query at a million passages with FTS5's part; this pool costs 13.3, about
half of it FTS5 scoring the unlisted phrases.
"""
from __future__ import annotations

import math
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from typing import Iterable

import numpy as np

from search.query import ParsedQuery, Unit, parse, synonyms, unit_alternatives

# FTS5's bm25 constants (fts5_aux.c)
K1, B = 1.2, 0.75
# the rows of a query's phrases without a list that FTS5 scores at most (more:
# FTS5 ranks the whole query as before)
RARE_ROWS = 40_000

TABLES = """
CREATE TABLE IF NOT EXISTS impact_phrases (id INTEGER PRIMARY KEY, expr TEXT UNIQUE NOT NULL,
                                           hits INTEGER NOT NULL, weight REAL NOT NULL,
                                           rows BLOB NOT NULL, freqs BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS impact_state (key TEXT PRIMARY KEY, value);
CREATE TABLE IF NOT EXISTS impact_gone (row INTEGER PRIMARY KEY);
DROP TABLE IF EXISTS unit_impacts;
DROP TABLE IF EXISTS impact_units
"""


# ---- FTS5's own numbers ---------------------------------------------------------------


def _varints(blob: bytes) -> list[int]:
    """The SQLite varints of an FTS5 record (big-endian 7-bit groups, a 9th byte of 8)."""
    out, i, n = [], 0, len(blob)
    while i < n:
        v = 0
        for j in range(9):
            c = blob[i]
            i += 1
            if j == 8:
                v = (v << 8) | c
                break
            v = (v << 7) | (c & 0x7F)
            if not c & 0x80:
                break
        out.append(v)
    return out


def totals(conn: sqlite3.Connection) -> tuple[int, int]:
    """(rows, tokens in all columns) of ``passages_fts``, as ``bm25()`` reads
    them (FTS5's averages record: rows, then each column's token total)."""
    row = conn.execute("SELECT block FROM passages_fts_data WHERE id = 1").fetchone()
    nums = _varints(row[0]) if row else [0]
    return nums[0], sum(nums[1:])


def lengths(conn: sqlite3.Connection, upto: int) -> np.ndarray:
    """Every row's length in tokens (all columns, as ``bm25()``'s ``D``), indexed
    by rowid, for rowids up to ``upto``; 0 for rows FTS5 does not hold."""
    out = np.zeros(upto + 1, np.int32)
    for rowid, sz in conn.execute("SELECT id, sz FROM passages_fts_docsize WHERE id <= ?",
                                  (upto,)):
        out[rowid] = sum(_varints(sz))
    return out


def idf(rows: int, hits: int) -> float:
    value = math.log((rows - hits + 0.5) / (hits + 0.5))
    return value if value > 0.0 else 1e-6


def terms(idf_value: float, freqs: np.ndarray, lens: np.ndarray, avgdl: float) -> np.ndarray:
    """A phrase's bm25 term in each row, in the order of operations of
    ``fts5Bm25Function`` (so each term is FTS5's own, bit for bit)."""
    return idf_value * ((freqs * (K1 + 1.0)) / (freqs + K1 * (1 - B + B * lens / avgdl)))


# ---- building ----------------------------------------------------------------------------


def candidate_words(conn: sqlite3.Connection, low: int, high: int) -> list[str]:
    """Index words found in ``low`` to ``high`` passages: the query units
    worth a list (rarer ones are cheap for FTS5, commoner ones are pruned
    from the pool anyway, see ``search.sqlite.COMMON_SHARE``)."""
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.impact_vocab"
                 " USING fts5vocab(main, passages_fts, 'col')")
    return [t for (t,) in conn.execute(
        "SELECT term FROM temp.impact_vocab WHERE col = 'words' AND doc BETWEEN ? AND ?"
        " ORDER BY doc DESC", (low, high))]


def vocabulary_words() -> list[str]:
    """Every word of the query vocabularies (``synonyms.txt``, ``colloquial.txt``):
    an everyday word typed brings its official terms' phrases into the query
    (卖地收入 -> 国有土地使用权出让收入, ten common grams in a row), and a
    phrase of common grams costs FTS5 a walk of their lists however few rows
    hold it (9k rows, 31 ms at a million passages)."""
    table = synonyms()
    return list(dict.fromkeys([*table, *(w for ws in table.values() for w in ws)]))


def units_of(words: Iterable[str]) -> list[Unit]:
    """The query unit each word becomes when typed alone (with its synonyms)."""
    out = []
    for w in words:
        units = parse(w).units
        if len(units) == 1 and not units[0].phrase:
            out.append(units[0])
    return out


def phrase_weight(expr: str, weights: dict[str, float]) -> float | None:
    """The column weight of a one-phrase expression (``grams:"预 算"``,
    ``words:"预算"``, ``grams:"一"*``); None for anything else (an AND of
    runs, which FTS5 scores only where every run is)."""
    col, colon, rest = expr.partition(":")
    if not colon or col not in weights or not rest.startswith('"') or " AND " in rest:
        return None
    return weights[col]


def build(conn: sqlite3.Connection, bm25: str, weights: dict[str, float],
          units: Iterable[Unit], min_rows: int) -> int:
    """Replace the lists with one per phrase of ``units`` (large-index
    expressions, ``exact_inner``) found in at least ``min_rows`` rows. ``f``
    is read back from FTS5's own ``bm25`` of the phrase alone (``bm25``: its
    SQL, column ``weights``), and each list is kept only when the terms
    :func:`terms` computes from it equal FTS5's. Runs in the caller's
    transaction. Returns the number of lists."""
    for statement in TABLES.split(";"):  # (executescript would end the transaction)
        if statement.strip():
            conn.execute(statement)
    for table in ("impact_phrases", "impact_state", "impact_gone"):
        conn.execute(f"DELETE FROM {table}")
    top = conn.execute("SELECT coalesce(max(rowid), 0) FROM passages").fetchone()[0]
    n_rows, tokens = totals(conn)
    if not n_rows:
        return 0
    lens = lengths(conn, top)
    avgdl = tokens / n_rows
    made, seen = 0, set()
    for unit in units:
        for expr in unit_alternatives(unit, exact_inner=True):
            weight = phrase_weight(expr, weights)
            if weight is None or expr in seen:
                continue
            seen.add(expr)
            got = conn.execute(f"SELECT rowid, {bm25} FROM passages_fts WHERE passages_fts MATCH ?"
                               " ORDER BY rowid", (expr,)).fetchall()
            if len(got) < min_rows:
                continue
            rows = np.array([r for r, _ in got], np.int64)
            want = -np.array([s for _, s in got], np.float64)
            freqs = _freqs(want, idf(n_rows, len(rows)), lens[rows], avgdl, weight)
            if freqs is None:
                continue
            conn.execute("INSERT INTO impact_phrases (expr, hits, weight, rows, freqs)"
                         " VALUES (?, ?, ?, ?, ?)",
                         (expr, len(rows), weight, rows.astype(np.int32).tobytes(),
                          freqs.astype(np.uint16).tobytes()))
            made += 1
    conn.executemany("INSERT INTO impact_state (key, value) VALUES (?, ?)",
                     [("watermark", top), ("lengths", lens.tobytes()), ("built", time.time_ns())])
    return made


def _freqs(want: np.ndarray, idf_value: float, lens: np.ndarray, avgdl: float,
           weight: float) -> np.ndarray | None:
    """The phrase counts behind FTS5's terms ``want`` (the term solved for
    ``f``, rounded to whole counts), or None when they do not give the
    same terms back (within 1e-12)."""
    x = want / idf_value
    k = K1 * (1 - B + B * lens / avgdl)
    counts = np.rint(k * x / ((K1 + 1.0) - x) / weight)
    if not len(counts) or counts.min() < 1 or counts.max() > np.iinfo(np.uint16).max:
        return None
    again = terms(idf_value, counts * weight, lens, avgdl)
    if not np.allclose(again, want, rtol=1e-12, atol=0.0):
        return None
    return counts


# ---- reading -----------------------------------------------------------------------------


@dataclass
class Lists:
    """The lists of a store: phrase expression -> (id, hits at build, weight),
    their watermark and the row lengths (read once per build)."""

    phrases: dict[str, tuple[int, int, float]]
    watermark: int
    lens: np.ndarray
    built: int = 0
    _local: threading.local = field(default_factory=threading.local, repr=False)

    def __len__(self) -> int:
        return len(self.phrases)

    def buffer(self) -> tuple[np.ndarray, np.ndarray]:
        """A zeroed score per row of this thread and a cleared mark per row,
        kept between pools (fresh ones cost page faults); the caller zeroes
        and clears what it used. The marks say which rows a pool touched: a
        scan of their byte per row finds them in a fraction of the time a
        scan of the scores (eight bytes a row) takes."""
        buf = getattr(self._local, "buf", None)
        if buf is None:
            buf = self._local.buf = (np.zeros(self.watermark + 1, np.float64),
                                     np.zeros(self.watermark + 1, np.bool_))
        return buf


def load(conn: sqlite3.Connection) -> Lists | None:
    """The store's lists, or None when it has none."""
    try:
        state = dict(conn.execute("SELECT key, value FROM impact_state"))
        phrases = {e: (i, h, w) for e, i, h, w in conn.execute(
            "SELECT expr, id, hits, weight FROM impact_phrases")}
    except sqlite3.OperationalError:  # never built
        return None
    if not phrases or "watermark" not in state:
        return None
    return Lists(phrases, int(state["watermark"]), np.frombuffer(state["lengths"], np.int32),
                 int(state.get("built") or 0))


def _state(conn: sqlite3.Connection, key: str) -> int | None:
    """One number of ``impact_state`` (None: the store has no lists)."""
    try:
        row = conn.execute("SELECT value FROM impact_state WHERE key = ?", (key,)).fetchone()
    except sqlite3.OperationalError:  # never built
        return None
    return int(row[0]) if row else None


def built(conn: sqlite3.Connection) -> int | None:
    """When the store's lists were built (None: it has none); cheaper than :func:`load`."""
    return _state(conn, "built")


@dataclass
class View:
    """What the lists need of one store generation: FTS5's row and token totals,
    the rows deleted since the build, whether rows were written after it, and
    each phrase's current hit count (filled as queries ask)."""

    rows: int
    avgdl: float
    gone: np.ndarray
    newer: bool
    hits: dict[str, int] = field(default_factory=dict)


def view(conn: sqlite3.Connection, lists: Lists) -> View:
    n_rows, tokens = totals(conn)
    gone = np.array([r for (r,) in conn.execute("SELECT row FROM impact_gone ORDER BY row")],
                    np.int64)
    newer = conn.execute("SELECT 1 FROM passages_fts WHERE rowid > ? LIMIT 1",
                         (lists.watermark,)).fetchone() is not None
    return View(n_rows, tokens / n_rows if n_rows else 1.0, gone, newer)


def forget(conn: sqlite3.Connection, rowids: Iterable[int]) -> None:
    """Inside a write: rows about to be deleted leave the lists (when there are any)."""
    try:
        conn.executemany("INSERT OR IGNORE INTO impact_gone (row) VALUES (?)",
                         ((r,) for r in rowids))
    except sqlite3.OperationalError:  # never built
        pass


def drop(conn: sqlite3.Connection) -> None:
    """Inside a write: forget every list (the index tokens they were read from were
    rebuilt); the next ``embed`` builds them again."""
    for table in ("impact_phrases", "impact_state", "impact_gone"):
        try:
            conn.execute(f"DELETE FROM {table}")
        except sqlite3.OperationalError:  # never built
            pass


def watermark(conn: sqlite3.Connection) -> int:
    """The lists' watermark (0 without lists): new rows go above it."""
    return _state(conn, "watermark") or 0


def changed(conn: sqlite3.Connection, lists: Lists) -> int:
    """Rows written or deleted since the lists were built."""
    return conn.execute("SELECT (SELECT count(*) FROM passages WHERE rowid > ?)"
                        " + (SELECT count(*) FROM impact_gone)", (lists.watermark,)).fetchone()[0]


def _phrase(conn: sqlite3.Connection, lists: Lists, v: View, expr: str
            ) -> tuple[np.ndarray, np.ndarray, float]:
    """(rows still alive, their counts times the column weight, current idf) of a listed phrase."""
    pid, hits, weight = lists.phrases[expr]
    blob_rows, blob_freqs = conn.execute(
        "SELECT rows, freqs FROM impact_phrases WHERE id = ?", (pid,)).fetchone()
    rows = np.frombuffer(blob_rows, np.int32)
    freqs = np.frombuffer(blob_freqs, np.uint16).astype(np.float64) * weight
    if len(v.gone):
        alive = ~np.isin(rows, v.gone, assume_unique=True)
        rows, freqs = rows[alive], freqs[alive]
    if expr not in v.hits:
        new = (conn.execute("SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?"
                            " AND rowid > ?", (expr, lists.watermark)).fetchone()[0]
               if v.newer else 0)
        v.hits[expr] = len(rows) + new
    return rows, freqs, idf(v.rows, v.hits[expr])


def pool(conn: sqlite3.Connection, bm25: str, pq: ParsedQuery, expr: str, lists: Lists,
         v: View, size: int) -> list[tuple[int, float]] | None:
    """The ``size`` best (rowid, bm25) rows of ``pq``'s OR (``expr``, its FTS5
    expression) by FTS5's BM25, best first (ties by rowid), or ``None`` when
    no phrase has a list, the query excludes words, or its other phrases
    match more than ``RARE_ROWS`` rows together (the caller then asks FTS5).
    ``v``: :func:`view` of the store's current generation.

    Every row of every phrase is summed, so the pool is complete by
    construction: the listed phrases' terms come from the lists (rows up to
    the watermark), the other phrases' from FTS5, and rows written after
    the build are ranked by FTS5 whole."""
    alts = [a for u in pq.units for a in unit_alternatives(u, exact_inner=True)]
    if pq.excluded or not any(a in lists.phrases for a in alts):
        return None
    top = lists.watermark
    rest: list[tuple[int, float]] = []
    others = [a for a in alts if a not in lists.phrases]  # (twice typed, twice counted)
    if others:  # one FTS5 query for all (one per phrase cost 40% more on the gold queries)
        rest = conn.execute(
            f"SELECT rowid, {bm25} FROM passages_fts WHERE passages_fts MATCH ? AND rowid <= ?"
            " LIMIT ?", (" OR ".join(others), top, RARE_ROWS + 1)).fetchall()
        if len(rest) > RARE_ROWS:
            return None
    buf, seen = lists.buffer()
    for a in (a for a in alts if a in lists.phrases):  # a phrase typed twice counts twice
        rows, freqs, idf_value = _phrase(conn, lists, v, a)
        buf[rows] += terms(idf_value, freqs, lists.lens[rows], v.avgdl)
        seen[rows] = True
    if rest:
        got = np.array(rest, np.float64)
        rows = got[:, 0].astype(np.int64)
        buf[rows] -= got[:, 1]
        seen[rows] = True
    # the rows whose score is not zero, in order (np.flatnonzero(buf), from the marks)
    touched = np.flatnonzero(seen)
    seen[touched] = False
    rows = touched[buf[touched] != 0]
    scores = -buf[rows]
    buf[touched] = 0.0
    if v.newer:
        new = conn.execute(f"SELECT rowid, {bm25} FROM passages_fts WHERE passages_fts MATCH ?"
                           " AND rowid > ?", (expr, top)).fetchall()
        if new:
            got = np.array(new, np.float64)
            rows = np.concatenate([rows, got[:, 0].astype(np.int64)])
            scores = np.concatenate([scores, got[:, 1]])
    if len(rows) > size:
        cut = np.partition(scores, size - 1)[size - 1]
        keep = scores <= cut
        rows, scores = rows[keep], scores[keep]
    order = np.lexsort((rows, scores))[:size]
    return list(zip(rows[order].tolist(), scores[order].tolist()))

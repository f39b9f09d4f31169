"""Impact-ordered lists of common query units, for BM25 pools at scale (issue 12).

FTS5 ranks a query by walking every row that matches any of its units. A unit
found in 1-3% of a million passages (政府性基金预算: 34k rows, six common
bigrams) costs 50-80 ms of that walk, and the unit's document-frequency pass
as much again, though only its best few hundred rows can reach the pool.

FTS5's ``bm25()`` of an OR of units is a sum over the units' phrases, and a
phrase's term depends only on the row (its phrase counts and length) and on
store-wide numbers (row count, average length, the phrase's own row count).
So a unit adds the same amount to a row whatever else the query holds: the
``bm25()`` of the unit's expression alone. :func:`build` stores that amount
for every row of every common unit (``unit_impacts``), keyed by the unit's
FTS5 expression, with an index by score (the impact order) and one by rowid.

:func:`pool` then finds the best rows of a query by the threshold algorithm
(Fagin, Lotem and Naor, 2003): FTS5 scores only the rare units' rows; the
common units' rows are read best first from their lists, and each row seen
gets its exact total (its other units' amounts read by rowid). It stops when
the pool's last row beats the best total any unseen row could still have
(the sum of the last amounts read from each list), which proves that the pool
is the exact one. When it has read ``budget`` rows without that proof it gives
up and the caller ranks with FTS5 as before.

Lists are valid for the store generation they were built at: any write makes
them stale (a new row count moves every idf), and searches use FTS5 until
:func:`build` runs again.
"""
from __future__ import annotations

import sqlite3
from typing import Iterable

from search.query import ParsedQuery, Unit, fts_expression, parse, unit_expr

# rows of a list read at a time (doubling up to READ_MAX)
READ_FIRST = 256
READ_MAX = 8_192
# rows seen before the search gives up proving its pool and asks FTS5
BUDGET = 40_000
# the rare units' rows scored by FTS5 at most (more: FTS5 ranks the whole query)
RARE_ROWS = 40_000

TABLES = """
CREATE TABLE IF NOT EXISTS impact_units (id INTEGER PRIMARY KEY, expr TEXT UNIQUE NOT NULL,
                                         rows INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS unit_impacts (unit INTEGER NOT NULL, row INTEGER NOT NULL,
                                         score REAL NOT NULL, PRIMARY KEY (unit, row))
    WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS unit_impacts_order ON unit_impacts (unit, score, row);
"""


def candidate_words(conn: sqlite3.Connection, low: int, high: int) -> list[str]:
    """Index words found in ``low`` to ``high`` passages: the query units
    worth a list (rarer ones are cheap for FTS5, commoner ones are pruned
    from the pool anyway, see ``search.sqlite.COMMON_SHARE``)."""
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.impact_vocab"
                 " USING fts5vocab(main, passages_fts, 'col')")
    return [t for (t,) in conn.execute(
        "SELECT term FROM temp.impact_vocab WHERE col = 'words' AND doc BETWEEN ? AND ?"
        " ORDER BY doc DESC", (low, high))]


def units_of(words: Iterable[str]) -> list[Unit]:
    """The query unit each word becomes when typed alone (with its synonyms)."""
    out = []
    for w in words:
        units = parse(w).units
        if len(units) == 1 and not units[0].phrase:
            out.append(units[0])
    return out


def build(conn: sqlite3.Connection, bm25: str, units: Iterable[Unit], min_rows: int,
          generation: int) -> int:
    """Replace the lists with one per unit matching at least ``min_rows`` rows,
    each row's amount being ``bm25`` of the unit's expression alone (large-index
    expressions, ``exact_inner``). Runs in the caller's transaction; records
    ``generation``, the store generation the amounts belong to. Returns the
    number of lists."""
    for statement in TABLES.split(";"):  # (executescript would end the transaction)
        if statement.strip():
            conn.execute(statement)
    conn.execute("DELETE FROM unit_impacts")
    conn.execute("DELETE FROM impact_units")
    made, seen = 0, set()
    for unit in units:
        expr = unit_expr(unit, exact_inner=True)
        if not expr or expr in seen:
            continue
        seen.add(expr)
        rows = conn.execute(f"SELECT rowid, {bm25} FROM passages_fts WHERE passages_fts MATCH ?",
                            (expr,)).fetchall()
        if len(rows) < min_rows:
            continue
        uid = conn.execute("INSERT INTO impact_units (expr, rows) VALUES (?, ?)",
                           (expr, len(rows))).lastrowid
        conn.executemany("INSERT INTO unit_impacts (unit, row, score) VALUES (?, ?, ?)",
                         ((uid, r, s) for r, s in rows))
        made += 1
    conn.execute("INSERT OR REPLACE INTO store_meta (key, value) VALUES ('impacts_gen', ?)",
                 (str(generation),))
    return made


def lists(conn: sqlite3.Connection) -> dict[str, int]:
    """expression -> list id of the stored lists (empty when there are none)."""
    try:
        return dict(conn.execute("SELECT expr, id FROM impact_units"))
    except sqlite3.OperationalError:  # never built
        return {}


class _List:
    """Sorted access to one unit's list, best (most negative bm25) first."""

    def __init__(self, conn: sqlite3.Connection, uid: int) -> None:
        self.conn, self.uid = conn, uid
        self.read, self.step, self.last, self.done = 0, READ_FIRST, 0.0, False

    def next(self) -> list[tuple[int, float]]:
        rows = self.conn.execute(
            "SELECT row, score FROM unit_impacts WHERE unit = ? ORDER BY score, row"
            " LIMIT ? OFFSET ?", (self.uid, self.step, self.read)).fetchall()
        self.read += len(rows)
        self.done = len(rows) < self.step
        self.step = min(self.step * 2, READ_MAX)
        if rows:
            self.last = rows[-1][1]
        if self.done:
            self.last = 0.0  # nothing unseen is left in this list
        return rows


def _amounts(conn: sqlite3.Connection, uid: int, rowids: list[int]) -> dict[int, float]:
    """A unit's amounts for the given rows (rows it does not match: absent)."""
    out: dict[int, float] = {}
    for i in range(0, len(rowids), 900):
        chunk = rowids[i : i + 900]
        out.update(conn.execute(
            f"SELECT row, score FROM unit_impacts WHERE unit = ? AND row IN"
            f" ({','.join('?' * len(chunk))})", (uid, *chunk)))
    return out


def pool(conn: sqlite3.Connection, bm25: str, pq: ParsedQuery, known: dict[str, int],
         size: int, budget: int | None = None) -> list[tuple[int, float]] | None:
    """The ``size`` best (rowid, bm25) rows of ``pq``'s OR by FTS5's BM25, best
    first (ties by rowid), or ``None`` when no unit has a list or the pool
    was not proven within ``budget`` rows seen (the caller then asks FTS5).
    ``known``: :func:`lists` of a current store generation; ``budget``:
    ``BUDGET`` by default."""
    exprs = [unit_expr(u, exact_inner=True) for u in pq.units]
    common = [known[e] for e in exprs if e in known]
    if not common or pq.excluded:
        return None
    rare_units = [u for u, e in zip(pq.units, exprs) if e and e not in known]
    rare: list[tuple[int, float]] = []
    if rare_units:
        expr = fts_expression(ParsedQuery(units=rare_units), exact_inner=True)
        rare = conn.execute(
            f"SELECT rowid, {bm25} AS s FROM passages_fts WHERE passages_fts MATCH ?"
            " ORDER BY s LIMIT ?", (expr, RARE_ROWS + 1)).fetchall()
        if len(rare) > RARE_ROWS:
            return None
    return _threshold(conn, dict(rare), rare, [_List(conn, uid) for uid in common], size,
                      BUDGET if budget is None else budget)


def _threshold(conn: sqlite3.Connection, rare_of: dict[int, float],
               rare: list[tuple[int, float]], heads: list[_List], size: int,
               budget: int) -> list[tuple[int, float]] | None:
    """Fagin's threshold algorithm over the rare rows (all in memory, best
    first) and the common units' lists; amounts are bm25 values (<= 0, lower
    is better), so the bound is the sum of the last amounts read."""
    total: dict[int, float] = {}
    at, step = 0, READ_FIRST
    while True:
        new: set[int] = set()
        got: list[dict[int, float]] = []
        for h in heads:
            part = dict(h.next()) if not h.done else {}
            got.append(part)
            new.update(r for r in part if r not in total)
        chunk = rare[at : at + step]
        at += len(chunk)
        step = min(step * 2, READ_MAX)
        rare_last = chunk[-1][1] if chunk and at < len(rare) else 0.0
        new.update(r for r, _ in chunk if r not in total)
        if new:
            ids = sorted(new)
            parts = [{r: part[r] for r in ids if r in part} for part in got]
            for h, part in zip(heads, parts):
                missing = [r for r in ids if r not in part]
                if missing:
                    part.update(_amounts(conn, h.uid, missing))
            for r in ids:
                s = rare_of.get(r, 0.0)
                for part in parts:
                    s += part.get(r, 0.0)
                total[r] = s
        bound = rare_last + sum(h.last for h in heads)
        exhausted = at >= len(rare) and all(h.done for h in heads)
        if len(total) >= size or exhausted:
            best = sorted(total.items(), key=lambda x: (x[1], x[0]))[:size]
            # proven: every unseen row scores at best ``bound``, strictly worse
            if exhausted or (len(best) == size and best[-1][1] < bound):
                return best
        if len(total) > budget:
            return None

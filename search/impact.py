"""Lists of common query units' BM25 amounts, for BM25 pools at scale (issue 12).

FTS5 ranks a query by walking every row that matches any of its units. A unit
found in 1-3% of a million passages (政府性基金预算: 34k rows, six common
bigrams) costs 50-80 ms of that walk, and the unit's document-frequency pass
as much again, though only its best few hundred rows can reach the pool.

FTS5's ``bm25()`` of an OR of units is a sum over the units' phrases, and a
phrase's term depends only on the row (its phrase counts and length) and on
store-wide numbers (row count, average length, the phrase's own row count).
So a unit adds the same amount to a row whatever else the query holds: the
``bm25()`` of the unit's expression alone. :func:`build` stores that amount
for every row of every common unit (``unit_impacts``, keyed by list and
row), one list per unit, keyed by the unit's FTS5 expression.

:func:`pool` then sums the amounts of the query's listed units with those
FTS5 gives its other units' rows, in one SQL aggregate, and keeps the best:
every row of every unit is summed, so the pool is FTS5's own (up to the last
bits of a score, whose terms are added in another order). A range scan of a
B-tree replaces FTS5's phrase matching, its document-frequency pass and
``bm25()``'s per-row work for the common units.

An impact-ordered variant (rows by amount, the threshold algorithm of Fagin,
Lotem and Naor reading the lists best first, a look-up per row in the other
lists, and FTS5 when the bound proved nothing within a budget) was measured
first and dropped: with two or more common units no list dominates, the
bound falls slowly, and the look-ups cost more than FTS5 (pool CPU sum over
the gold queries 11.4 s against 11.0 s for FTS5 alone; the sum here 7.4 s).

Lists are valid for the store generation they were built at: any write makes
them stale (a new row count moves every idf), and searches use FTS5 until
:func:`build` runs again.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Iterable

from search.query import ParsedQuery, Unit, fts_expression, parse, unit_expr

# the rows of a query's units without a list that FTS5 scores at most (more:
# FTS5 ranks the whole query as before)
RARE_ROWS = 40_000

TABLES = """
CREATE TABLE IF NOT EXISTS impact_units (id INTEGER PRIMARY KEY, expr TEXT UNIQUE NOT NULL,
                                         rows INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS unit_impacts (unit INTEGER NOT NULL, row INTEGER NOT NULL,
                                         score REAL NOT NULL, PRIMARY KEY (unit, row))
    WITHOUT ROWID;
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


def lists(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    """expression -> (list id, rows) of the stored lists (empty when there are none)."""
    try:
        return {e: (i, n) for e, i, n in conn.execute("SELECT expr, id, rows FROM impact_units")}
    except sqlite3.OperationalError:  # never built
        return {}


def pool(conn: sqlite3.Connection, bm25: str, pq: ParsedQuery, known: dict[str, tuple[int, int]],
         size: int) -> list[tuple[int, float]] | None:
    """The ``size`` best (rowid, bm25) rows of ``pq``'s OR by FTS5's BM25, best
    first (ties by rowid), or ``None`` when no unit has a list, the query
    excludes words, or its other units match more than ``RARE_ROWS`` rows
    (the caller then asks FTS5). ``known``: :func:`lists` of a current store
    generation.

    Every row of the listed units is summed, so the pool is complete by
    construction; the units without a list are scored by FTS5 (all their
    rows) and their amounts join the sum. Reading a unit's rows from its list
    costs a B-tree range scan (8 ms for 政府性基金预算's 34k rows at a
    million passages), against 70-80 ms for FTS5 to match and score them."""
    exprs = [unit_expr(u, exact_inner=True) for u in pq.units]
    listed = [known[e][0] for e in exprs if e in known]
    if not listed or len(set(listed)) < len(listed) or pq.excluded:
        return None
    rare_units = [u for u, e in zip(pq.units, exprs) if e and e not in known]
    rare: list[tuple[int, float]] = []
    if rare_units:
        expr = fts_expression(ParsedQuery(units=rare_units), exact_inner=True)
        rare = conn.execute(f"SELECT rowid, {bm25} FROM passages_fts WHERE passages_fts MATCH ?"
                            " LIMIT ?", (expr, RARE_ROWS + 1)).fetchall()
        if len(rare) > RARE_ROWS:
            return None
    # JSON carries a double exactly (repr in, SQLite's parser out)
    return conn.execute(
        "SELECT row, sum(score) AS s FROM (SELECT row, score FROM unit_impacts WHERE unit IN"
        f" ({','.join('?' * len(listed))}) UNION ALL SELECT json_extract(value, '$[0]'),"
        " json_extract(value, '$[1]') FROM json_each(?)) GROUP BY row ORDER BY s, row LIMIT ?",
        (*listed, json.dumps(rare), size)).fetchall()

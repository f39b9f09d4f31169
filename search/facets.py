"""Facet counts over the passages a search matched.

Each facet is a small class (as in Datasette's ``facets.py``) that knows how to
count one field over a set of matched passage rowids held in a temp table.
"""
from __future__ import annotations

import sqlite3


class DocFacet:
    """Counts of a document field (region, org, year, doc_type, doc)."""

    def __init__(self, name: str, column: str) -> None:
        self.name, self.column = name, column

    def counts(self, conn: sqlite3.Connection, limit: int = 50) -> dict[str, int]:
        rows = conn.execute(
            f"SELECT {self.column} AS k, count(*) FROM temp.matched m "
            "JOIN passages p ON p.rowid = m.rowid JOIN documents d ON d.id = p.doc_id "
            f"WHERE {self.column} IS NOT NULL AND {self.column} != '' "
            "GROUP BY k ORDER BY count(*) DESC, k LIMIT ?", (limit,)).fetchall()
        return {str(k): n for k, n in rows}


class ItemTypeFacet:
    """How many matched passages hold an item of each type (figure, goal ...)."""

    name = "type"

    def counts(self, conn: sqlite3.Connection, limit: int = 50) -> dict[str, int]:
        rows = conn.execute(
            "SELECT i.type, count(DISTINCT m.rowid) FROM temp.matched m "
            "JOIN passages p ON p.rowid = m.rowid "
            "JOIN items i ON i.doc_id = p.doc_id AND i.passage = p.idx "
            "GROUP BY i.type ORDER BY count(DISTINCT m.rowid) DESC, i.type LIMIT ?",
            (limit,)).fetchall()
        return {str(k): n for k, n in rows}


FACETS = {
    "region": DocFacet("region", "d.region"),
    "org": DocFacet("org", "d.org"),
    "year": DocFacet("year", "d.year"),
    "doc_type": DocFacet("doc_type", "d.doc_type"),
    "doc": DocFacet("doc", "d.source"),
    "type": ItemTypeFacet(),
}

"""Facet counts over the passages a search matched.

Each facet is a small class (as in Datasette's ``facets.py``). Document facets
(region, org, year, doc_type, doc) share ONE pass over the matches: matched
passages are counted per document, then each facet folds those counts by its
document field, so asking for four facets costs about one count query. The item
type facet needs the passages' items and runs its own query.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Any


class DocFacet:
    """Counts of a document field (region, org, year, doc_type, doc)."""

    def __init__(self, name: str, column: str) -> None:
        self.name, self.column = name, column

    def fold(self, per_doc: dict[str, int], fields: dict[str, dict[str, Any]],
             limit: int = 50) -> dict[str, int]:
        out: dict[str, int] = {}
        for doc_id, n in per_doc.items():
            v = fields.get(doc_id, {}).get(self.name)
            if v not in (None, ""):
                out[str(v)] = out.get(str(v), 0) + n
        return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0]))[:limit])


class ItemTypeFacet:
    """How many matched passages hold an item of each type (figure, goal ...)."""

    name = "type"

    def counts(self, conn: sqlite3.Connection, base: str, args: list[Any],
               limit: int = 50) -> dict[str, int]:
        rows = conn.execute(
            "SELECT i.type, count(DISTINCT i.doc_id || ':' || i.passage) FROM items i"
            f" WHERE (i.doc_id, i.passage) IN (SELECT p.doc_id, p.idx {base})"
            " GROUP BY i.type ORDER BY 2 DESC, i.type LIMIT ?", [*args, limit]).fetchall()
        return {str(k): n for k, n in rows}


DOC_COLUMNS = {"region": "region", "org": "org", "year": "year", "doc_type": "doc_type",
               "doc": "source"}
FACETS: dict[str, Any] = {name: DocFacet(name, col) for name, col in DOC_COLUMNS.items()}
FACETS["type"] = ItemTypeFacet()


def compute(conn: sqlite3.Connection, base: str, args: list[Any],
            names: list[str]) -> tuple[dict[str, dict[str, int]], int]:
    """(facets, total matched passages) for the match described by ``base``/``args``
    (a ``FROM ... WHERE ...`` clause with aliases p for passages and d for documents)."""
    per_doc = dict(conn.execute(f"SELECT p.doc_id, count(*) {base} GROUP BY p.doc_id", args))
    total = sum(per_doc.values())
    out: dict[str, dict[str, int]] = {}
    doc_names = [n for n in names if isinstance(FACETS[n], DocFacet)]
    if doc_names and per_doc:
        fields = {
            r[0]: dict(zip(("region", "org", "year", "doc_type", "doc"), r[1:]))
            for r in conn.execute(
                "SELECT id, region, org, year, doc_type, source FROM documents"
                " WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(list(per_doc)),))}
        for n in doc_names:
            out[n] = FACETS[n].fold(per_doc, fields)
    for n in names:
        if n not in out:
            out[n] = FACETS[n].counts(conn, base, args) if n == "type" and total else {}
    return out, total

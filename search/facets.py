"""Facet counts over the passages a search matched.

Each facet is a small class (as in Datasette's ``facets.py``). Document facets
(region, org, year, doc_type, doc) share ONE pass over the matches: matched
passages are counted per document, then each facet folds those counts by its
document field, so asking for four facets costs about one count query. The item
type facet needs the passages' items and runs its own query.

A newspaper page holds several articles, each with its own org and region
(stored with the document's articles): counts are kept per (document, article)
so the org and region facets name what each matched article is about.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Any


class DocFacet:
    """Counts of a document field (region, org, year, doc_type, doc)."""

    def __init__(self, name: str, column: str) -> None:
        self.name, self.column = name, column

    def fold(self, per_unit: dict[tuple[str, int | None], int],
             fields: dict[tuple[str, int | None], dict[str, Any]],
             limit: int = 50) -> dict[str, int]:
        out: dict[str, int] = {}
        for unit, n in per_unit.items():
            v = fields.get(unit, {}).get(self.name)
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


# The articles of a page with several (JSON), NULL for other documents: SQLite
# reads them out of the stored meta, so single-article documents cost nothing.
ARTICLES_SQL = ("CASE WHEN json_array_length(d.meta, '$.articles') > 1"
                " THEN json_extract(d.meta, '$.articles') END")


def article_fields(articles: list[dict[str, Any]] | None, article: int | None) -> dict[str, Any]:
    """``org``, ``region`` and ``headline`` of one article of a page with several
    articles (``articles`` parsed from ``ARTICLES_SQL``); empty for other documents.
    An article's org is its own or None, never another article's."""
    if not articles or article is None or not 0 <= article < len(articles):
        return {}
    a = articles[article]
    return {"org": a.get("org") or None, "region": a.get("region") or None,
            "headline": a.get("headline") or None}


def compute(conn: sqlite3.Connection, base: str, args: list[Any],
            names: list[str]) -> tuple[dict[str, dict[str, int]], int]:
    """(facets, total matched passages) for the match described by ``base``/``args``
    (a ``FROM ... WHERE ...`` clause with aliases p for passages and d for documents)."""
    per_unit = {(doc_id, article): n for doc_id, article, n in conn.execute(
        f"SELECT p.doc_id, p.article, count(*) {base} GROUP BY p.doc_id, p.article", args)}
    total = sum(per_unit.values())
    out: dict[str, dict[str, int]] = {}
    doc_names = [n for n in names if isinstance(FACETS[n], DocFacet)]
    if doc_names and per_unit:
        doc_ids = sorted({doc_id for doc_id, _ in per_unit})
        docs = {r[0]: (*r[1:6], json.loads(r[6]) if r[6] else None) for r in conn.execute(
            f"SELECT d.id, d.region, d.org, d.year, d.doc_type, d.source, {ARTICLES_SQL}"
            " FROM documents d WHERE d.id IN (SELECT value FROM json_each(?))",
            (json.dumps(doc_ids),))}
        fields = {}
        for doc_id, article in per_unit:
            region, org, year, doc_type, source, articles = docs.get(doc_id, (None,) * 6)
            own = article_fields(articles, article)
            fields[(doc_id, article)] = {
                "region": own.get("region") or region, "org": own["org"] if own else org,
                "year": year, "doc_type": doc_type, "doc": source}
        for n in doc_names:
            out[n] = FACETS[n].fold(per_unit, fields)
    for n in names:
        if n not in out:
            out[n] = FACETS[n].counts(conn, base, args) if n == "type" and total else {}
    return out, total

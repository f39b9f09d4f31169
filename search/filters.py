"""Filters (:class:`search.backend.Filter`) as parameterised SQL.

Like Datasette's ``filters.py``: a field name is only ever used after it is
checked against known columns or a strict identifier pattern (then passed as a
*parameter* to ``json_extract``); values are always parameters. User input is
never formatted into SQL.
"""
from __future__ import annotations

import hashlib
import re
from typing import Any

from search.backend import Filter

OPS = {"eq": "=", "ne": "!=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
# document fields -> column of the documents table (alias d)
DOC_FIELDS = {"doc": "d.source", "doc_id": "d.id", "doc_type": "d.doc_type", "org": "d.org",
              "region": "d.region", "year": "d.year", "format": "d.format", "title": "d.title"}
# item fields stored in typed columns of the items table (alias i)
ITEM_COLUMNS = {"id": "i.id", "type": "i.type", "kind": "i.kind", "value": "i.value",
                "unit": "i.unit", "vague": "i.vague", "score": "i.score", "name": "i.name",
                "level1": "i.level1", "level2": "i.level2", "project": "i.project",
                "start": "i.start", "end": "i.\"end\"", "page": "i.page", "text": "i.text",
                "passage": "i.passage", "canonical": "i.canonical", "subject": "i.subject",
                "org": "i.org", "region": "i.region", "year": "i.year", "doc_type": "d.doc_type",
                "doc": "d.source", "doc_id": "i.doc_id"}
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,40}(\.[A-Za-z_][A-Za-z0-9_]{0,40}){0,2}$")


class FilterError(ValueError):
    """A filter names an unknown field or operator (reported to the user, never a 500)."""


def _coerce(v: Any) -> Any:
    if not isinstance(v, (str, int, float, type(None))):
        raise FilterError(f"无效的筛选值 invalid filter value: {v!r}")
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, str) and v.lower() in ("true", "false"):
        return int(v.lower() == "true")
    return v


def item_field(name: str) -> tuple[str, list[Any]]:
    """SQL expression (and its params) for an item field."""
    if name in ITEM_COLUMNS:
        return ITEM_COLUMNS[name], []
    if not _IDENT.match(name or ""):
        raise FilterError(f"未知字段 unknown field: {name!r}")
    return "json_extract(i.json, ?)", ["$." + name]


def doc_field(name: str) -> tuple[str, list[Any]]:
    if name not in DOC_FIELDS:
        raise FilterError(f"未知字段 unknown document field: {name!r}")
    return DOC_FIELDS[name], []


def condition(f: Filter, field_sql: tuple[str, list[Any]]) -> tuple[str, list[Any]]:
    col, params = field_sql
    op = (f.op or "eq").lower()
    if op in OPS:
        return f"{col} {OPS[op]} ?", [*params, _coerce(f.value)]
    if op in ("in", "not_in"):  # not_in: only made by join_exclusions, from several ne filters
        values = f.value if isinstance(f.value, (list, tuple, set)) else [f.value]
        values = [_coerce(v) for v in values]
        if not values:
            return ("0" if op == "in" else "1"), []
        neg = "NOT " if op == "not_in" else ""
        return f"{col} {neg}IN ({','.join('?' * len(values))})", [*params, *values]
    if op == "contains":
        return f"instr(CAST({col} AS TEXT), ?) > 0", [*params, str(f.value)]
    raise FilterError(f"未知运算符 unknown operator: {f.op!r}")


def where(filters: list[Filter], kind: str = "item") -> tuple[str, list[Any]]:
    """``AND``-joined SQL condition for filters on items (``kind="item"``) or
    documents (``kind="doc"``); ``"1"`` when there are none. The ``ne`` filters
    on one field are one ``NOT IN``: a comparison leaves out every document that
    restates another's money by one ``doc_id ne`` each, and a chain of 1,000
    ``!=`` passes SQLite's expression depth (an error, not an answer)."""
    parts, params = [], []
    for f in join_exclusions(filters or []):
        fs = item_field(f.field) if kind == "item" else doc_field(f.field)
        sql, p = condition(f, fs)
        parts.append(sql)
        params.extend(p)
    return (" AND ".join(parts) or "1"), params


def join_exclusions(filters: list[Filter]) -> list[Filter]:
    """``filters`` with the ``ne`` filters of a field that has several as one
    ``not_in`` filter in the first one's place (``ne None`` stays as it is).
    Both stores read it: one ``NOT IN`` here, one ``terms`` exclusion in the
    engine (``search.elastic.bool_filters``)."""
    def ne(f: Filter) -> bool:
        return (f.op or "eq").lower() == "ne" and f.value is not None

    values: dict[str, list[Any]] = {}
    for f in filters:
        if ne(f):
            values.setdefault(f.field, []).append(f.value)
    out: list[Filter] = []
    joined: set[str] = set()
    for f in filters:
        if not ne(f) or len(values[f.field]) < 2:
            out.append(f)
        elif f.field not in joined:  # the field's other ne filters are in this one
            joined.add(f.field)
            out.append(Filter(f.field, "not_in", values[f.field]))
    return out


# ---- filter tags: equality filters answered inside the FTS index ------------------------

# Document fields whose equality filters become tokens of the FTS ``tags`` column,
# so FTS5 intersects doclists instead of SQL looking up every matched passage's
# document (what keeps filtered search fast at a million passages).
TAG_FIELDS = ("doc", "doc_type", "org", "region", "year")


def tag(field_name: str, value: Any) -> str:
    """One opaque alphanumeric token for ``field == value`` (survives FTS5's tokenizer)."""
    digest = hashlib.sha1(f"{field_name}={value}".encode("utf-8")).hexdigest()[:16]
    return "t" + digest


def doc_tags(fields: dict[str, Any]) -> str:
    """The ``tags`` column of a passage: one token per non-empty document field."""
    return " ".join(tag(k, fields[k]) for k in TAG_FIELDS if fields.get(k) not in (None, ""))


def split_tag_filters(filters: list[Filter]) -> tuple[str | None, list[Filter]]:
    """(FTS5 expression for the equality filters on document fields, the other filters)."""
    parts, rest = [], []
    for f in filters or []:
        op = (f.op or "eq").lower()
        if f.field in TAG_FIELDS and op in ("eq", "in"):
            values = f.value if isinstance(f.value, (list, tuple, set)) else [f.value]
            toks = [tag(f.field, v) for v in values if v not in (None, "")]
            if not toks:
                rest.append(f)
                continue
            parts.append("(" + " OR ".join(f"tags:{t}" for t in toks) + ")")
        else:
            rest.append(f)
    return (" AND ".join(parts) or None), rest

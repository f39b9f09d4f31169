"""Comparison tables for reviewers and reporters: one row per org / region / year,
one column per measure, each cell carrying the query behind it.

Built only on :meth:`Backend.aggregate_items` (and the same filters the item
routes take), so it works unchanged on SQLite and Elasticsearch. A cell's
``link`` is the item route that lists exactly the items the number was computed
from (``/api/figures?kind=money&org=...``), and ``query`` is the same thing as
data (type + filters) for any other client.

Measures (``metric``):

* ``money``: totals of money figures (yuan), one column per fiscal role
  (budgeted, spent, revenue, cut, debt, transfer, investment: the ``role`` the
  analysis gave each amount), never economic aggregates (GDP, retail sales,
  trade) or per-unit standards; only figures marked ``in_total`` (in yuan, not
  the size of a change, not a part of an amount already stated, the first
  statement of an amount in its document); optionally for one measured noun
  (``subject``, e.g. 资金). One body's budget or accounts published twice (the
  report and its tables as two PDFs: same org, year and type) counts once
  (:func:`repeated_documents`), and so does a copy of any other document;
* ``money_by_subject``: the same totals split by measured noun (the top subjects);
* ``projects``: distinct project names among goals and indicators;
* ``goals``, ``indicators``: counts;
* ``vague_share``: share of goals flagged vague;
* ``indicators_level1`` / ``indicators_level2``: indicator counts per 一级 / 二级;
* ``self_eval``: self-evaluation score rate, 100 x sum(得分) / sum(分值) over
  indicators that carry both.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urlencode

import corpora
from nlp.figure_roles import ONE_ENTITY_TYPES
from search.backend import MAX_LIMIT, Backend, Filter, ItemQuery
from search.cache import StoreCache
from search.filters import FilterError

GROUP_FIELDS = {"org": "单位 org", "region": "地区 region", "year": "年度 year",
                "doc_type": "文档类型 doc_type", "doc": "文档 doc"}
ROUTES = {"figure": "/api/figures", "goal": "/api/goals", "indicator": "/api/indicators"}
MISSING_KEY = "（未注明）"
# the fiscal roles of money figures (nlp/figure_roles.py), in column order
MONEY_ROLES = ("budgeted", "spent", "revenue", "cut", "debt", "transfer", "investment")
# how many measured nouns / indicator levels become columns of a split measure
MAX_SPLIT_COLUMNS = 12
# A money cell's link says ``once=BY`` instead of one ``doc_id__ne`` per repeated
# document (:func:`repeated_documents`): the item routes work the list out again
# (:func:`counted_once`), so the link stays short however many documents repeat
# (a link past 8 KB is refused by servers and proxies) and a page that keeps one
# value per parameter lists exactly the cell's items.
ONCE = "once"
# the document fields a comparison's own filters are on (the routes' region/org/year/doc_type)
SCOPE_FIELDS = ("region", "org", "year", "doc_type")


@dataclass
class Cell:
    value: float | int | None
    count: int = 0
    link: str | None = None
    query: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "count": self.count, "link": self.link, "query": self.query}


@functools.lru_cache(maxsize=1)
def measure_names() -> dict[str, tuple[str, str, str]]:
    """key -> (中文, English, unit) of every measure and column
    (corpora/compare/measures.tsv): the one source of their names."""
    out = {}
    for line in corpora.read_lines("compare", "measures.tsv"):
        key, zh, en, unit = (line.split("\t") + ["", "", ""])[:4]
        out[key] = (zh, en, unit)
    return out


def column_names(key: str, split: str | None = None, subject: str | None = None) -> tuple[str, str]:
    """(API label, Chinese name) of a column: ``money:budgeted`` ->
    ("预算安排（元）money:budgeted", "预算安排"), ``goals`` -> ("目标数 goals", "目标数"),
    a split column (``indicators_level1:`` + 产出指标) -> ("一级指标：产出指标",
    "一级指标：产出指标"); a subject (资金) is added to both."""
    zh, en, unit = measure_names().get(key, (key, "", ""))
    label = zh + (f"（{unit}）" if unit else " " if en else "") + en
    tail = "".join(f"：{v}" for v in (split, subject) if v)
    return label + tail, zh + tail


@dataclass
class Column:
    key: str
    label: str  # bilingual, with the unit: 预算安排（元）money:budgeted
    metric: str
    name: str = ""  # Chinese, without the unit (the page's header): 预算安排


@dataclass
class CompareTable:
    by: str
    columns: list[Column] = field(default_factory=list)
    rows: dict[Any, dict[str, Cell]] = field(default_factory=dict)  # group key -> column -> cell

    def ordered_keys(self) -> list[Any]:
        """Groups by the first column's value (largest first), missing key last."""
        first = self.columns[0].key if self.columns else None

        def rank(k: Any) -> tuple:
            cell = self.rows[k].get(first) if first else None
            v = cell.value if cell else None
            return (k is None, v is None, -(v or 0), str(k))
        return sorted(self.rows, key=rank)

    def to_json(self) -> dict[str, Any]:
        return {"by": self.by,
                "columns": [{"key": c.key, "label": c.label, "name": c.name or c.label,
                             "metric": c.metric}
                            for c in self.columns],
                "rows": [{"key": k, "label": label_of(k),
                          "cells": {c.key: self.rows[k][c.key].to_json()
                                    for c in self.columns if c.key in self.rows[k]}}
                         for k in self.ordered_keys()]}

    def flat(self) -> tuple[list[str], list[list[Any]]]:
        """Header and value rows (for CSV, XLSX and the CLI table)."""
        header = [GROUP_FIELDS.get(self.by, self.by)] + [c.label for c in self.columns]
        rows = []
        for k in self.ordered_keys():
            cells = self.rows[k]
            rows.append([label_of(k)] + [cells[c.key].value if c.key in cells else None
                                         for c in self.columns])
        return header, rows

    def links(self) -> list[list[str | None]]:
        """Links per flat row and column (``None`` for the group column)."""
        out = []
        for k in self.ordered_keys():
            cells = self.rows[k]
            out.append([None] + [cells[c.key].link if c.key in cells else None
                                 for c in self.columns])
        return out


def label_of(key: Any) -> str:
    return MISSING_KEY if key in (None, "") else str(key)


def link(item_type: str, filters: list[Filter]) -> str:
    """The item route with ``filters`` as query parameters (``field`` for eq,
    ``field__op`` otherwise, lists comma-joined)."""
    params = []
    for f in filters:
        key = f.field if f.op == "eq" else f"{f.field}__{f.op}"
        value = f.value
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (list, tuple, set)):
            value = ",".join(map(str, value))
        params.append((key, str(value)))
    return ROUTES[item_type] + ("?" + urlencode(params) if params else "")


def _query_json(item_type: str, filters: list[Filter]) -> dict[str, Any]:
    return {"type": item_type, "filters": [[f.field, f.op, f.value] for f in filters]}


class Comparer:
    """Fills a :class:`CompareTable` from a backend (one instance per request)."""

    def __init__(self, backend: Backend, by: str, filters: list[Filter] | None = None,
                 subject: str | None = None, written: list[Filter] | None = None,
                 include_children: bool = True) -> None:
        if by not in GROUP_FIELDS:
            raise FilterError(f"未知分组 unknown grouping: {by!r} (org|region|year|doc_type|doc)")
        self.backend = backend
        self.by = by
        self.filters = list(filters or [])
        # what links say for ``filters``: as the user wrote them (region=上海市), for
        # the item routes to resolve again, not every place they stand for
        self.written = self.filters if written is None else [
            *written, *([] if include_children else [Filter("include_children", "eq", False)])]
        self.subject = subject or None
        self.table = CompareTable(by)
        self._repeats: list[Filter] | None = None

    # ---- building blocks -----------------------------------------------------------

    def _cell_filters(self, key: Any, extra: list[Filter]) -> list[Filter]:
        # a region/org group is that value only: ``in`` is never widened to the
        # places below it (search.places), so a cell's link lists its count's items
        op = "in" if self.by in ("region", "org") else "eq"
        group = [Filter(self.by, op, [key] if op == "in" else key)] if key is not None else []
        return [*self.filters, *extra, *group]

    def _column(self, key: str, metric: str, item_type: str,
                extra: list[Filter], agg: str) -> None:
        """One column: ``aggregate_items`` grouped by ``self.by``."""
        rows = self.backend.aggregate_items(
            ItemQuery(type=item_type, filters=[*self.filters, *extra]), self.by, agg)
        self._fill(key, column_names(key), metric, item_type, extra, rows)

    def _fill(self, key: str, names: tuple[str, str], metric: str, item_type: str,
              extra: list[Filter], rows: list[dict[str, Any]]) -> None:
        """Column ``key`` (its API label and Chinese name: :func:`column_names`)
        from aggregate rows ``{key, value, count}``; each cell links to the
        items of its group under ``extra``."""
        self.table.columns.append(Column(key, names[0], metric, names[1]))
        for r in rows:
            k = r["key"]
            fs = self._cell_filters(k, extra)
            self.table.rows.setdefault(k, {})[key] = Cell(
                _round(r["value"]), r["count"], self._link(item_type, fs) if k is not None else None,
                _query_json(item_type, fs))

    def _link(self, item_type: str, filters: list[Filter]) -> str:
        """The link of a cell whose items ``filters`` (:meth:`_cell_filters`) select:
        the comparison's filters as written (:attr:`written`), and the repeated
        documents' ``doc_id ne`` filters as one ``once=BY`` (:data:`ONCE`), so its
        length does not grow with the store; the row's filter stays last."""
        repeats = self._repeats or []
        rest = [f for f in filters[len(self.filters):] if f not in repeats]
        if repeats and repeats[0] in filters:
            at = filters.index(repeats[0]) - len(self.filters)
            rest = [*rest[:at], Filter(ONCE, "eq", self.by), *rest[at:]]
        return link(item_type, [*self.written, *rest])

    def _split_rows(self, item_type: str, base: list[Filter], split_field: str,
                    agg: str) -> dict[Any, list[dict[str, Any]]]:
        """Aggregate rows grouped by ``self.by`` per value of ``split_field``, in
        one backend call (:meth:`Backend.aggregate_items_split`)."""
        out: dict[Any, list[dict[str, Any]]] = {}
        for r in self.backend.aggregate_items_split(
                ItemQuery(type=item_type, filters=[*self.filters, *base]), self.by,
                split_field, agg):
            out.setdefault(r["split"], []).append(r)
        return out

    def _money_filters(self, role: str | None = None) -> list[Filter]:
        """Money a total may add: in yuan, counted once (``in_total``), of one
        fiscal role (or of any: ``in_total`` is only set on fiscal roles)."""
        return [Filter("kind", "eq", "money"),
                *([Filter("role", "eq", role)] if role else []),
                Filter("in_total", "eq", True),
                *([Filter("subject", "eq", self.subject)] if self.subject else []),
                *self._repeated()]

    def _repeated(self) -> list[Filter]:
        """``doc_id ne`` filters leaving out documents that restate another's
        money (:func:`repeated_documents`), so a cell's link lists exactly the
        figures its total adds. Grouped by document, every document is its own row."""
        if self._repeats is None:
            self._repeats = [] if self.by == "doc" else [
                Filter("doc_id", "ne", d) for d in _repeats_of(self.backend, self.filters)]
        return self._repeats

    def _split(self, metric: str, item_type: str, base: list[Filter], split_field: str,
               agg: str) -> None:
        """One column per value of ``split_field`` (the most frequent first)."""
        by_value = self._split_rows(item_type, base, split_field, agg)
        counts = {v: sum(r["count"] for r in rows) for v, rows in by_value.items()}
        keys = sorted(counts, key=lambda v: (-counts[v], v))[:MAX_SPLIT_COLUMNS]
        for v in keys:
            self._fill(f"{metric}:{v}", column_names(f"{metric}:", split=v), metric, item_type,
                       [*base, Filter(split_field, "eq", v)], by_value[v])

    # ---- measures ------------------------------------------------------------------

    def money(self) -> None:
        """One column per fiscal role that has amounts (GDP and other economic
        aggregates have no column: adding them to budget lines means nothing)."""
        by_role = self._split_rows("figure", self._money_filters(), "role", "sum:value")
        for role in MONEY_ROLES:
            if role in by_role:
                key = f"money:{role}"
                self._fill(key, column_names(key, subject=self.subject), "money", "figure",
                           self._money_filters(role), by_role[role])

    def money_by_subject(self) -> None:
        self._split("money_by_subject", "figure", self._money_filters(), "subject", "sum:value")

    def goals(self) -> None:
        self._column("goals", "goals", "goal", [], "count")

    def indicators(self) -> None:
        self._column("indicators", "indicators", "indicator", [], "count")

    def vague_share(self) -> None:
        self._column("vague_share", "vague_share", "goal", [], "share:vague")
        for k, cells in self.table.rows.items():  # the link lists the vague goals themselves
            cell = cells.get("vague_share")
            if cell is not None and k is not None:
                fs = self._cell_filters(k, [Filter("vague", "eq", True)])
                cell.link, cell.query = self._link("goal", fs), _query_json("goal", fs)

    def indicators_level1(self) -> None:
        self._split("indicators_level1", "indicator", [], "level1", "count")

    def indicators_level2(self) -> None:
        self._split("indicators_level2", "indicator", [], "level2", "count")

    def projects(self) -> None:
        """Distinct project names per group, over goals and indicators (items
        without a project name, or without a group, are not counted)."""
        label, name = column_names("projects")
        self.table.columns.append(Column("projects", label, "projects", name))
        names: dict[Any, set[str]] = {}
        counts: dict[Any, int] = {}
        for t in ("goal", "indicator"):
            for r in self.backend.aggregate_items_split(ItemQuery(type=t, filters=self.filters),
                                                        self.by, "project", "count"):
                if r["key"] not in (None, ""):
                    names.setdefault(r["key"], set()).add(r["split"])
                    counts[r["key"]] = counts.get(r["key"], 0) + r["count"]
        for k in names:
            fs = self._cell_filters(k, [])
            self.table.rows.setdefault(k, {})["projects"] = Cell(
                len(names[k]), counts[k], self._link("indicator", fs) + "&sort=project",
                _query_json("indicator", fs))

    def self_eval(self) -> None:
        scored = [Filter("score", "gte", 0), Filter("weight", "gt", 0)]
        label, name = column_names("self_eval")
        self.table.columns.append(Column("self_eval", label, "self_eval", name))
        q = ItemQuery(type="indicator", filters=[*self.filters, *scored])
        scores = {r["key"]: r for r in self.backend.aggregate_items(q, self.by, "sum:score")}
        weights = {r["key"]: r["value"] for r in self.backend.aggregate_items(q, self.by,
                                                                             "sum:weight")}
        for k, r in scores.items():
            w = weights.get(k)
            v = 100.0 * r["value"] / w if w and r["value"] is not None else None
            fs = self._cell_filters(k, scored)
            self.table.rows.setdefault(k, {})["self_eval"] = Cell(
                _round(v), r["count"], self._link("indicator", fs) if k is not None else None,
                _query_json("indicator", fs))


# document types that state the same body's accounts for one year
SAME_ACCOUNTS = {"unit_budget": "budget"}


def counted_once(backend: Backend, filters: list[Filter], by: str) -> list[Filter]:
    """``filters`` of a link that says ``once=BY`` (:data:`ONCE`), with the
    ``doc_id ne`` filters the comparison left out: :func:`repeated_documents` over
    the comparison's own filters, which are the link's filters on
    :data:`SCOPE_FIELDS` but the last one on ``by`` (the cell's row, added last).
    The same store gives the same list as the comparison did."""
    if by not in GROUP_FIELDS:
        raise FilterError(f"未知分组 unknown grouping: once={by!r} (org|region|year|doc_type|doc)")
    scope = [f for f in filters if f.field in SCOPE_FIELDS]
    row = next((i for i in range(len(scope) - 1, -1, -1) if scope[i].field == by), None)
    if row is not None:
        del scope[row]
    return [*filters, *(Filter("doc_id", "ne", d) for d in _repeats_of(backend, scope))]


_repeat_lists = StoreCache(size=64)


def _repeats_of(backend: Backend, filters: list[Filter]) -> list[str]:
    """:func:`repeated_documents`, kept until the store changes: a comparison and
    every page of the items behind its cells (``once=``) ask for the same list."""
    return _repeat_lists.get(backend, repr(filters), lambda: repeated_documents(backend, filters))


def repeated_documents(backend: Backend, filters: list[Filter] | None = None) -> list[str]:
    """Ids of documents whose money a total must not add again.

    Why: the same budget is often published twice (the report with its tables,
    and the tables alone), and a total by organisation would add it twice. A
    body has one budget and one final account per year, so among documents of
    one body's accounts (:data:`ONE_ENTITY_TYPES`) with the same org, year and
    type only one counts: the fuller publication (the report with its tables
    has more items than the tables alone), then the one whose counted money is
    largest, then the first by name. Documents of other types (work
    reports, monthly fiscal reports) are separate statements unless they are
    copies: same org, year and type and the same counted total for every role.
    Documents without an org or a year are never merged (nothing says they are
    the same body's). A unit budget under the department's own name is the same
    accounts as the department budget (:data:`SAME_ACCOUNTS`): the department's
    includes it (普陀区人民政府办公室 published both, with the same 9,101.68万元)."""
    base = [*(filters or []), Filter("kind", "eq", "money"), Filter("in_total", "eq", True)]
    sums: dict[Any, dict[str, float]] = {}
    for r in backend.aggregate_items_split(ItemQuery(type="figure", filters=base), "doc_id", "role",
                                           "sum:value"):
        if r["key"] is not None:
            sums.setdefault(r["key"], {})[r["split"]] = round(float(r["value"] or 0), 2)
    groups: dict[tuple[Any, Any, Any], list[dict[str, Any]]] = {}
    for doc in _documents(backend, list(sums)):
        if doc.get("org") and doc.get("year") is not None:
            kind = SAME_ACCOUNTS.get(doc.get("doc_type"), doc.get("doc_type"))
            groups.setdefault((doc["org"], doc["year"], kind), []).append(doc)
    out: list[str] = []
    for (_org, _year, doc_type), docs in groups.items():
        if len(docs) < 2:
            continue
        if doc_type in ONE_ENTITY_TYPES:
            keep = max(docs, key=lambda d: (d.get("items") or 0, sum(sums[d["id"]].values()),
                                            [-ord(c) for c in d.get("doc") or ""]))
            out += [d["id"] for d in docs if d is not keep]
            continue
        seen: set[tuple] = set()
        for d in sorted(docs, key=lambda d: (d.get("doc") or "", d["id"])):
            signature = tuple(sorted(sums[d["id"]].items()))
            if signature in seen:
                out.append(d["id"])
            seen.add(signature)
    return sorted(out)


def _documents(backend: Backend, ids: list[Any]) -> list[dict[str, Any]]:
    """Metadata (org, year, doc_type, items) of the documents ``ids``, page by page."""
    out: list[dict[str, Any]] = []
    for i in range(0, len(ids), MAX_LIMIT):
        chunk = ids[i:i + MAX_LIMIT]
        out += backend.list_documents(limit=len(chunk), filters=[Filter("doc_id", "in", chunk)])[0]
    return out


METRICS: dict[str, Callable[[Comparer], None]] = {
    "money": Comparer.money, "money_by_subject": Comparer.money_by_subject,
    "projects": Comparer.projects, "goals": Comparer.goals, "indicators": Comparer.indicators,
    "vague_share": Comparer.vague_share, "indicators_level1": Comparer.indicators_level1,
    "indicators_level2": Comparer.indicators_level2, "self_eval": Comparer.self_eval,
}
DEFAULT_METRICS = ("money", "projects", "goals", "indicators", "vague_share", "self_eval")


def parse_metrics(metric: str | list[str] | None) -> list[str]:
    """``"money,goals"`` / ``["money"]`` / ``"all"`` / empty (the default set);
    ``all`` anywhere in the list means every metric."""
    if not metric:
        return list(DEFAULT_METRICS)
    parts = metric if isinstance(metric, list) else str(metric).split(",")
    names = [p.strip() for p in parts if p.strip()]
    unknown = [n for n in names if n not in METRICS and n != "all"]
    if unknown:
        raise FilterError(f"未知统计 unknown metric: {', '.join(unknown)} "
                          f"(可选 choose from: {', '.join(METRICS)})")
    if "all" in names:
        return list(METRICS)
    return list(dict.fromkeys(names)) or list(DEFAULT_METRICS)


def compare(backend: Backend, by: str = "org", metric: str | list[str] | None = None,
            filters: list[Filter] | None = None, subject: str | None = None,
            written: list[Filter] | None = None, include_children: bool = True) -> CompareTable:
    """The comparison table of ``metric`` (one or more measures) grouped ``by``,
    kept until the store changes (:mod:`search.cache`): the page, its chart and
    its downloads ask for the same table. Callers must not change it.
    ``filters`` as resolved on the map (:func:`search.places.resolve_places`);
    ``written`` and ``include_children``: what the user wrote, for the links."""
    names = parse_metrics(metric)
    c = Comparer(backend, by, filters, subject, written, include_children)  # checks ``by`` first
    key = (by, tuple(names), repr(c.filters), c.subject, repr(c.written))
    return _tables.get(backend, key, lambda: _fill_table(c, names))


_tables = StoreCache(size=64)


def _fill_table(c: Comparer, names: list[str]) -> CompareTable:
    for name in names:
        METRICS[name](c)
    return c.table


def _round(v: Any) -> Any:
    if isinstance(v, float):
        return round(v, 4)
    return v

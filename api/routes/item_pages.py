"""HTML pages over the extracted items: ``/items/{figure|goal|indicator}`` lists
and ``/compare`` tables, for reporters and reviewers who work in a browser.

Both are views of the JSON routes, not a second implementation: the item list
runs the same :func:`api.render.item_query_from_params` as ``/api/figures`` etc.
(so every filter of the API works here, ``min=1亿元`` included), and the
comparison page renders :func:`search.compare.compare`, turning each cell's API
link into the link of the item page. Every item row links to its passage in the
document view, and each page links to the CSV/XLSX export of what it shows.
Bad input is a message on the page, never an error page.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query as Q, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from api.deps import get_backend
from api.labels import FIGURE_KINDS, MEASURES, doc_type_label, money_label
from api.render import (build_item_query, doc_filters, flag, highlight_html, int_or_none, item_row,
                        page_params, pager, place_filters)
from api.routes import figures, goals, indicators
from api.routes.pages import templates
from search.backend import Backend, ItemQuery
from search.cache import StoreCache
from search.compare import DEFAULT_METRICS, GROUP_FIELDS, METRICS, ROUTES, compare
from search.filters import FilterError

router = APIRouter(tags=["pages 网页"], include_in_schema=False)

PAGE_SIZE = 50


@dataclass(frozen=True)
class ItemView:
    """How one item type is shown: its title, API/CSV routes, table columns
    (``(field, label)``), the filter inputs of its form (``(name, label,
    options)``: options make a select, ``None`` a text box) and sortable fields."""

    title: str
    api: str
    columns: tuple[tuple[str, str], ...]
    inputs: tuple[tuple[str, str, Optional[tuple[tuple[str, str], ...]]], ...]
    sortable: frozenset[str]


YES_NO = (("", "全部 all"), ("true", "是 yes"), ("false", "否 no"))
KIND_OPTIONS = (("", "全部 all"), *FIGURE_KINDS.items())
VIEWS = {
    "figure": ItemView(
        "数字 Figures", ROUTES["figure"],
        (("text", "原文 text"), ("sentence", "所在句子 sentence"), ("kind", "类型 kind"),
         ("amount", "金额/数值 amount"), ("value", "标准值 value"), ("subject", "对象 subject")),
        (("kind", "类型 kind", KIND_OPTIONS), ("min", "最小 min，如 1亿元", None),
         ("max", "最大 max", None), ("subject", "对象 subject", None)), frozenset(figures.SORTABLE)),
    "goal": ItemView(
        "目标 Goals", ROUTES["goal"],
        (("text", "目标 goal"), ("vague", "模糊 vague"), ("reasons", "原因 reasons"),
         ("project", "项目 project")),
        (("vague", "模糊 vague", YES_NO), ("project", "项目 project", None)),
        frozenset(goals.SORTABLE)),
    "indicator": ItemView(
        "指标 Indicators", ROUTES["indicator"],
        (("name", "指标 indicator"), ("text", "原文 text"), ("level1", "一级 level 1"),
         ("level2", "二级 level 2"), ("target", "目标值 target"), ("actual", "实际 actual"),
         ("score", "得分 score"), ("checks", "审查 checks"), ("project", "项目 project")),
        (("level1", "一级 level 1", None), ("level2", "二级 level 2", None),
         ("project", "项目 project", None)),
        frozenset(indicators.SORTABLE)),
}
CONTEXT_COLUMNS = (("org", "单位 org"), ("region", "地区 region"), ("year", "年度 year"),
                   ("doc", "文档 document"))
# fields shown as amounts (thousands separators); years, pages and codes are shown as written
AMOUNT_COLUMNS = frozenset({"value", "high"})
FACET_FIELDS = (("region", "地区"), ("year", "年度"), ("doc_type", "类型"))  # org: the picker (long list)
FACET_SHOWN = 8
CHART_BARS = 25  # groups drawn in the comparison chart (the table lists all)
SENTENCE_CHARS = 60  # characters of the sentence kept on each side of the item


def format_value(value: Any) -> str:
    """Numbers with thousands separators and no float noise (2,731,804,800;
    6.5), booleans as 是/否, lists joined, checks by their message."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        if float(value).is_integer():
            return f"{int(value):,}"
        return f"{value:,.6f}".rstrip("0").rstrip(".")
    if isinstance(value, list):
        return "；".join(v.get("message") or v.get("rule", "") if isinstance(v, dict) else str(v)
                        for v in value)
    return str(value)


templates.env.filters["fmt"] = format_value


def page_link(api_link: str | None) -> str | None:
    """The item page for an item-route link (``/api/goals?org=X`` -> ``/items/goal?org=X``)."""
    if not api_link:
        return None
    for kind, route in ROUTES.items():
        if api_link == route or api_link.startswith(route + "?"):
            return f"/items/{kind}" + api_link[len(route):]
    return api_link


def _query_string(params: dict[str, Any]) -> str:
    kept = [(k, v) for k, v in params.items() if v not in (None, "")]
    return "?" + urlencode(kept) if kept else ""


def plain(value: Any) -> str:
    """A year, page or code as written (2023, not 2,023); floats without noise."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return format_value(value)


def shown_reasons(row: dict[str, Any]) -> list[str]:
    """A goal's reasons; a goal judged not vague lists no 模糊用语 (vague words) reason."""
    reasons = [str(r.get("message") or r.get("rule", "")) if isinstance(r, dict) else str(r)
               for r in row.get("reasons") or []]
    if row.get("vague") is False:
        reasons = [r for r in reasons if not r.startswith("模糊用语")]
    return reasons


def sentence_html(row: dict[str, Any]) -> Markup:
    """The item's sentence around it (cut to SENTENCE_CHARS each side), the item marked."""
    sentence, text = str(row.get("sentence") or ""), str(row.get("text") or "")
    if not sentence:
        return Markup("")
    at = sentence.find(text) if text else -1
    if at < 0:
        return highlight_html(sentence[: 2 * SENTENCE_CHARS], [])
    lo, hi = max(0, at - SENTENCE_CHARS), min(len(sentence), at + len(text) + SENTENCE_CHARS)
    clip = ("…" if lo else "") + sentence[lo:hi] + ("…" if hi < len(sentence) else "")
    shift = at - lo + (1 if lo else 0)
    return highlight_html(clip, [(shift, shift + len(text))])


def amount_label(row: dict[str, Any]) -> str:
    """Money in 万元/亿元, other figures as value and unit (6.5%, 12 个), with
    the qualifier (约, 以上) and the change (增长) when the figure has them."""
    value = row.get("value")
    if value is None:
        return ""
    shown = money_label(value) if row.get("kind") == "money" else (
        f"{plain(value)}{row.get('unit') or ''}")
    extra = [str(row[k]) for k in ("change",) if row.get(k)]
    if row.get("qualifier") not in (None, "", "exact"):
        extra.append(str(row["qualifier"]))
    return shown + (f"（{'，'.join(extra)}）" if extra else "")


templates.env.filters["plain"] = plain


def _sort_links(here: str, params: dict[str, Any], view: ItemView) -> dict[str, tuple[str, str]]:
    """Per sortable column: (link, state) where state is "", "asc" or "desc"."""
    current = params.get("sort") or ""
    out = {}
    for field, _ in view.columns + CONTEXT_COLUMNS:
        key = "value" if field == "amount" else field
        if key not in view.sortable:
            continue
        state = "asc" if current == key else "desc" if current == "-" + key else ""
        if state:  # a second click turns the order round
            new = "-" + key if state == "asc" else key
        else:  # amounts, scores and years: largest first
            new = "-" + key if key in AMOUNT_COLUMNS | {"score", "year"} else key
        out[field] = (here + _query_string({**params, "sort": new}), state)
    return out


_facet_cache = StoreCache()


def _facet_counts(backend: Backend, query: ItemQuery, name: str) -> list[dict[str, Any]]:
    """``aggregate_items`` by ``name``, kept until the store changes
    (:mod:`search.cache`): paging through a list asks for the same counts."""
    key = (query.type, name, repr(query.filters), query.text)
    return _facet_cache.get(backend, key, lambda: backend.aggregate_items(query, name, "count"))


def _facets(backend: Backend, kind: str, query: ItemQuery, here: str,
            params: dict[str, Any]) -> list[tuple[str, str, list[tuple[str, int, str]]]]:
    """(field, label, [(value label, count, link)]) for the facet column."""
    out = []
    for name, label in FACET_FIELDS:
        if params.get(name):
            continue
        groups = _facet_counts(backend, ItemQuery(type=kind, filters=query.filters,
                                                  text=query.text), name)
        rows = sorted((g for g in groups if g["key"] not in (None, "")),
                      key=lambda g: (-g["count"], str(g["key"])))
        out.append((name, label, [
            (doc_type_label(g["key"]) if name == "doc_type" else plain(g["key"]), g["count"],
             here + _query_string({**params, name: g["key"], "include_children": "false"
                                   if name in ("region", "org") else params.get(
                                       "include_children", "")}))
            for g in rows]))
    return out


@router.get("/items/{kind}", response_class=HTMLResponse)
def items_page(request: Request, kind: str, offset: str = "0",
               backend: Backend = Depends(get_backend)) -> HTMLResponse:
    view = VIEWS.get(kind)
    if view is None:
        return templates.TemplateResponse(request, "not_found.html", {
            "message": f"未知条目类型 unknown item type: {kind[:40]} (figure | goal | indicator)"},
            status_code=404)
    params = {k: v[:200] for k, v in request.query_params.items() if k != "offset"}
    page = page_params(PAGE_SIZE, int_or_none(offset) or 0)
    here = f"/items/{kind}"
    ctx: dict[str, Any] = {"kind": kind, "view": view, "inputs": view.inputs,
                           "params": params, "rows": [], "total": 0, "offset": page.offset,
                           "columns": view.columns + CONTEXT_COLUMNS, "error": None, "notes": [],
                           "csv_link": f"{view.api}.csv{_query_string(params)}",
                           "json_link": f"{view.api}{_query_string(params)}", "pager": None,
                           "include_children": flag(params.get("include_children")),
                           "sort_links": _sort_links(here, params, view), "facets": [],
                           "facet_shown": FACET_SHOWN, "form_fields": FORM_FIELDS}
    own = {name for name, _, _ in view.inputs} | FORM_FIELDS
    # filters from a link (a comparison cell's region__in=...) that the form has no box for
    ctx["extra_filters"] = [(EXTRA_NAMES.get(k, k), v,
                             here + _query_string({x: y for x, y in params.items() if x != k}))
                            for k, v in params.items() if k not in own]
    try:
        query, ctx["notes"] = build_item_query(kind, params, page.limit, page.offset,
                                               params.get("sort"), params.get("q"), backend,
                                               view.sortable)
        result = backend.query_items(query)
        ctx["facets"] = _facets(backend, kind, query, here, params)
    except (FilterError, ValueError) as err:
        ctx["error"] = str(err)
    else:
        rows = []
        for item in result.items:
            row = item_row(item)
            row["shown_reasons"] = shown_reasons(row)
            row["sentence_html"] = sentence_html(row)
            row["amount"] = amount_label(row)
            span = f"{row.get('start')}-{row.get('end')}" if row.get("start") is not None else ""
            row["source_link"] = (f"/documents/{row['doc_id']}?at={row.get('passage', '')}"
                                  f"&mark={span}#p{row.get('passage', '')}") if row.get(
                                      "doc_id") else row.get("link")
            rows.append(row)
        ctx.update(rows=rows, total=result.total, pager=pager(
            result.total, page.offset, PAGE_SIZE,
            lambda o: here + _query_string({**params, "offset": o or ""})))
    return templates.TemplateResponse(request, "items.html", ctx)


# inputs every item page has, beside its own (names reach the filters unchanged)
FORM_FIELDS = frozenset({"q", "region", "org", "year", "doc_type", "include_children", "sort"})
# names of the other filters a link may carry, as people read them
EXTRA_NAMES = {"once": "重复发布的账目只计一次 money published twice counted once, per"}


def cell_text(metric: str, cell: dict[str, Any]) -> str:
    """A comparison cell as people read it: money in 万元/亿元, a share with the
    count it is a share of (79.7%，共 4,875 条), a rate with one decimal."""
    value = cell.get("value")
    if value is None:
        return ""
    if metric in ("money", "money_by_subject"):
        return money_label(value)
    if metric == "vague_share":
        return f"{value * 100:.1f}%（{round(value * cell.get('count', 0)):,}/{cell.get('count', 0):,}）"
    if metric == "self_eval":
        return f"{value:.1f}%"
    return format_value(value)


def _sorted_rows(rows: list[dict[str, Any]], key: str, descending: bool) -> list[dict[str, Any]]:
    """Rows by one column's value (missing values last), then by label."""
    def value(r: dict[str, Any]) -> float:
        v = (r["cells"].get(key) or {}).get("value")
        return float(v) if isinstance(v, (int, float)) else float("nan")
    have = [r for r in rows if value(r) == value(r)]
    have.sort(key=lambda r: (-value(r) if descending else value(r), r["label"]))
    return have + [r for r in rows if value(r) != value(r)]


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, by: str = "org", metric: Optional[list[str]] = Q(None),
                 subject: str = "", region: str = "", org: str = "", year: str = "",
                 doc_type: str = "", sort: str = "", include_children: str = "",
                 backend: Backend = Depends(get_backend)) -> HTMLResponse:
    metrics = [m for part in (metric or []) for m in part.split(",") if m.strip()]
    year_n = int_or_none(year)
    children = flag(include_children)
    form = {"by": by[:20], "subject": subject[:100], "region": region[:100], "org": org[:100],
            "year": year_n or "", "doc_type": doc_type[:40]}
    ctx: dict[str, Any] = {"groups": dict(GROUP_FIELDS),
                           "metrics": list(METRICS), "measures": MEASURES,
                           "chosen": set(metrics or DEFAULT_METRICS), "form": form,
                           "table": None, "errors": [], "notes": [], "downloads": {},
                           "include_children": children, "sort_key": "", "descending": True,
                           "sort_links": {}, "chart": None}
    if year and year_n is None:
        ctx["errors"].append(f"年度应为数字，已忽略 year must be a number, ignored: {year[:20]}")
    try:
        written = doc_filters(region[:100] or None, org[:100] or None, year_n, doc_type[:40] or None)
        filters, ctx["notes"] = place_filters(backend, written, children)
        table = compare(backend, by=by, metric=",".join(metrics) or None, subject=subject or None,
                        filters=filters, written=written, include_children=children)
    except (FilterError, ValueError) as err:
        ctx["errors"].append(str(err))
    else:
        data = table.to_json()
        for col in data["columns"]:  # Chinese names; money is shown in 万元/亿元, not 元
            col["label"] = col["name"]
        for row in data["rows"]:
            if by == "doc_type":
                row["label"] = doc_type_label(row["key"]) or row["label"]
            for c in data["columns"]:
                cell = row["cells"].get(c["key"])
                if cell:
                    cell["page"] = page_link(cell.get("link"))
                    cell["text"] = cell_text(c["metric"], cell)
        keys = [c["key"] for c in data["columns"]]
        descending = not sort.startswith("-")
        sort_key = sort.lstrip("-") if sort.lstrip("-") in keys else (keys[0] if keys else "")
        if sort_key:
            data["rows"] = _sorted_rows(data["rows"], sort_key, descending)
        query = {**form, "metric": ",".join(metrics),
                 "include_children": "" if children else "false"}
        ctx["sort_links"] = {k: "/compare" + _query_string(
            {**query, "sort": ("-" if k == sort_key and descending else "") + k
             if k == sort_key else k}) for k in keys}
        ctx.update(table=data, sort_key=sort_key, descending=descending)
        ctx["chart"] = {"columns": data["columns"], "sort": sort_key, "rows": [
            {"label": r["label"], "cells": {k: {"value": c.get("value"), "text": c.get("text"),
                                                "page": c.get("page"), "count": c.get("count")}
                                            for k, c in r["cells"].items()}}
            for r in data["rows"] if r["key"] is not None][:CHART_BARS]}
        ctx["downloads"] = {fmt.upper(): "/api/compare" + _query_string({**query, "format": fmt})
                            for fmt in ("csv", "xlsx")}
    return templates.TemplateResponse(request, "compare.html", ctx)

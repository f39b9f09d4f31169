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

from api.deps import get_backend
from api.render import doc_filters, int_or_none, item_row, page_params, run_query
from api.routes import figures, goals, indicators
from api.routes.pages import templates
from search.backend import Backend
from search.compare import DEFAULT_METRICS, GROUP_FIELDS, METRICS, ROUTES, compare
from search.filters import FilterError

router = APIRouter(tags=["pages 网页"], include_in_schema=False)

PAGE_SIZE = 50


@dataclass(frozen=True)
class ItemView:
    """How one item type is shown: its title, API/CSV routes, table columns
    (``(field, label)``) and the filter inputs of its form."""

    title: str
    api: str
    columns: tuple[tuple[str, str], ...]
    inputs: tuple[tuple[str, str], ...]
    sortable: frozenset[str]


VIEWS = {
    "figure": ItemView(
        "数字 Figures", ROUTES["figure"],
        (("text", "原文 text"), ("kind", "类型 kind"), ("value", "数值 value"), ("unit", "单位 unit"),
         ("qualifier", "限定 qualifier"), ("change", "变化 change"), ("subject", "对象 subject")),
        (("kind", "类型 money/percent/count"), ("min", "最小 min，如 1亿元"),
         ("max", "最大 max"), ("subject", "对象 subject")), frozenset(figures.SORTABLE)),
    "goal": ItemView(
        "目标 Goals", ROUTES["goal"],
        (("text", "目标 goal"), ("vague", "模糊 vague"), ("reasons", "原因 reasons"),
         ("project", "项目 project")),
        (("vague", "模糊 vague: true/false"), ("project", "项目 project")),
        frozenset(goals.SORTABLE)),
    "indicator": ItemView(
        "指标 Indicators", ROUTES["indicator"],
        (("name", "指标 indicator"), ("level1", "一级 level 1"), ("level2", "二级 level 2"),
         ("target", "目标值 target"), ("actual", "实际 actual"), ("score", "得分 score"),
         ("checks", "审查 checks"), ("project", "项目 project")),
        (("level1", "一级 level 1"), ("level2", "二级 level 2"), ("project", "项目 project")),
        frozenset(indicators.SORTABLE)),
}
COMMON_INPUTS = (("q", "原文包含 text contains"), ("org", "单位 org"), ("region", "地区 region"),
                 ("year", "年度 year"))
CONTEXT_COLUMNS = (("org", "单位 org"), ("region", "地区 region"), ("year", "年度 year"),
                   ("doc", "文档 document"))


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


@router.get("/items/{kind}", response_class=HTMLResponse)
def items_page(request: Request, kind: str, offset: str = "0",
               backend: Backend = Depends(get_backend)) -> HTMLResponse:
    view = VIEWS.get(kind)
    if view is None:
        return templates.TemplateResponse(request, "not_found.html", {
            "message": f"未知条目类型 unknown item type: {kind[:40]} (figure | goal | indicator)"},
            status_code=404)
    params = {k: v for k, v in request.query_params.items() if k != "offset"}
    page = page_params(PAGE_SIZE, int_or_none(offset) or 0)
    ctx: dict[str, Any] = {"kind": kind, "view": view, "inputs": COMMON_INPUTS + view.inputs,
                           "params": params, "rows": [], "total": 0, "offset": page.offset,
                           "columns": view.columns + CONTEXT_COLUMNS, "error": None,
                           "csv_link": f"{view.api}.csv{_query_string(params)}",
                           "json_link": f"{view.api}{_query_string(params)}",
                           "prev_link": None, "next_link": None}
    try:
        result = run_query(kind, params, page.limit, page.offset, params.get("sort"),
                           params.get("q"), backend, view.sortable)
    except (FilterError, ValueError) as err:
        ctx["error"] = str(err)
    else:
        ctx.update(rows=[item_row(i) for i in result.items], total=result.total)
        here = f"/items/{kind}"
        if page.offset > 0:
            ctx["prev_link"] = here + _query_string({**params, "offset": max(0, page.offset - PAGE_SIZE)})
        if page.offset + PAGE_SIZE < result.total:
            ctx["next_link"] = here + _query_string({**params, "offset": page.offset + PAGE_SIZE})
    return templates.TemplateResponse(request, "items.html", ctx)


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, by: str = "org", metric: Optional[list[str]] = Q(None),
                 subject: str = "", region: str = "", org: str = "", year: str = "",
                 doc_type: str = "", backend: Backend = Depends(get_backend)) -> HTMLResponse:
    metrics = [m for part in (metric or []) for m in part.split(",") if m.strip()]
    year_n = int_or_none(year)
    form = {"by": by, "subject": subject, "region": region, "org": org, "year": year_n or "",
            "doc_type": doc_type}
    ctx: dict[str, Any] = {"groups": GROUP_FIELDS, "metrics": list(METRICS),
                           "chosen": set(metrics or DEFAULT_METRICS), "form": form,
                           "table": None, "errors": [], "downloads": {}}
    if year and year_n is None:
        ctx["errors"].append(f"年度应为数字，已忽略 year must be a number, ignored: {year[:20]}")
    try:
        table = compare(backend, by=by, metric=",".join(metrics) or None, subject=subject or None,
                        filters=doc_filters(region or None, org or None, year_n, doc_type or None))
    except (FilterError, ValueError) as err:
        ctx["errors"].append(str(err))
    else:
        data = table.to_json()
        for row in data["rows"]:
            for cell in row["cells"].values():
                cell["page"] = page_link(cell.get("link"))
        ctx["table"] = data
        query = {**form, "metric": ",".join(metrics)}
        ctx["downloads"] = {fmt.upper(): "/api/compare" + _query_string({**query, "format": fmt})
                            for fmt in ("csv", "xlsx")}
    return templates.TemplateResponse(request, "compare.html", ctx)

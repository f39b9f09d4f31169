"""``GET /api/figures`` (JSON, sorted and paged) and ``GET /api/figures.csv`` (export).

Thin on purpose: the query string becomes an ``ItemQuery(type="figure")``
through :func:`api.render.item_query_from_params` (``kind=money``,
``min=100000000``, ``region=``, ``year=``, ``q=``, ``sort=-value``, ``limit``,
``offset``, or any ``field__op=value``), the backend runs it, and bad filters
are a 400 with the reason, never a 500.
"""
from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends, Query as Q, Request
from pydantic import BaseModel

from api.deps import get_backend
from api.render import (AMOUNT_PATTERN, MAX_OFFSET, all_rows, bad_input, csv_response,
                        CSVResponse, item_row, one_of, run_query)
from search.backend import MAX_LIMIT, Backend, ItemPage

router = APIRouter(tags=["figures 数字"])

# CSV columns, in order (item fields, then its context and document)
CSV_COLUMNS = ("doc", "page", "text", "kind", "value", "high", "unit", "currency", "role",
               "qualifier", "change", "base", "subject", "sentence", "org", "region", "year",
               "start", "end", "link")
MAX_CSV_ROWS = 100_000
SORTABLE = {"value", "high", "kind", "unit", "year", "region", "org", "doc", "start", "page", "subject",
            "role"}
SORT_PATTERN = one_of(SORTABLE, descending=True)  # sort=-value: 422 for other fields
ROLE_HELP = ("金额性质 / what an amount is: budgeted | spent | revenue | cut | debt | transfer | "
             "investment | per_unit | economic | other")


class FigureList(BaseModel):
    """One page of figures; each item is the figure JSON (FORMAT.md) plus ``doc``,
    ``doc_id`` and ``id``, with its context (org, region, year)."""

    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]


def _run(request: Request, limit: int, offset: int, sort: Optional[str], q: Optional[str],
         backend: Backend) -> ItemPage:
    with bad_input():
        return run_query("figure", request.query_params, limit, offset, sort, q, backend, SORTABLE)


@router.get("/api/figures", response_model=FigureList,
            summary="数字检索 / search figures (money, percent, counts, measures)")
def list_figures(
    request: Request,
    kind: Optional[str] = Q(None, description="money | percent | percent_point | count | measure | multiple"),
    role: Optional[str] = Q(None, description=ROLE_HELP),
    min_value: Optional[str] = Q(None, alias="min", pattern=AMOUNT_PATTERN,
                                 description="最小值 / value at least: 1亿元, 5000万, 1e8 (money in yuan)"),
    max_value: Optional[str] = Q(None, alias="max", pattern=AMOUNT_PATTERN,
                                 description="最大值 / value at most (as min)"),
    region: Optional[str] = Q(None, description="地区 / region"),
    org: Optional[str] = Q(None, description="单位 / organisation"),
    year: Optional[int] = Q(None, ge=1900, le=2200, description="年度 / year"),
    q: Optional[str] = Q(None, description="原文或对象包含 / text or subject contains"),
    sort: Optional[str] = Q(None, pattern=SORT_PATTERN, description="排序字段，- 表示降序 / sort field, e.g. -value"),
    limit: int = Q(50, ge=0, le=MAX_LIMIT),
    offset: int = Q(0, ge=0, le=MAX_OFFSET),
    backend: Backend = Depends(get_backend),
) -> FigureList:
    page = _run(request, limit, offset, sort, q, backend)
    return FigureList(total=page.total, limit=limit, offset=offset,
                      items=[item_row(i) for i in page.items])


@router.get("/api/figures.csv", response_class=CSVResponse,
            summary="导出数字 CSV / export figures as CSV")
def figures_csv(
    request: Request,
    kind: Optional[str] = Q(None), role: Optional[str] = Q(None, description=ROLE_HELP),
    min_value: Optional[str] = Q(None, alias="min", pattern=AMOUNT_PATTERN),
    max_value: Optional[str] = Q(None, alias="max", pattern=AMOUNT_PATTERN),
    region: Optional[str] = Q(None), org: Optional[str] = Q(None),
    year: Optional[int] = Q(None, ge=1900, le=2200), q: Optional[str] = Q(None),
    sort: Optional[str] = Q(None, pattern=SORT_PATTERN),
    limit: int = Q(MAX_CSV_ROWS, ge=0, le=MAX_CSV_ROWS), offset: int = Q(0, ge=0, le=MAX_OFFSET),
    backend: Backend = Depends(get_backend),
):
    """All matching figures (up to ``limit``), fetched page by page from the store."""
    with bad_input():
        rows = all_rows("figure", request.query_params, limit, offset, sort, q, backend, SORTABLE)
    return csv_response(rows, "figures.csv", CSV_COLUMNS)

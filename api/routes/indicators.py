"""``GET /api/indicators`` (JSON, filtered and paged) and ``/api/indicators.csv`` (export).

Filters are query parameters (``level1=产出指标``, ``level2=数量指标``, ``org=``,
``region=``, ``year=``, ``project=``, ``doc=``, ``name__contains=``, ``min``/``max``
on the value, ``q=`` text); ``check=RULE`` keeps indicators with that reviewer
finding. Bad filters are a 400 with the reason, never a 500.
"""
from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends, Query as Q, Request
from pydantic import BaseModel

from api.deps import get_backend
from api.render import (MAX_OFFSET, all_rows, bad_input, csv_response, CSVResponse, item_row,
                        one_of, run_query)
from search.backend import MAX_LIMIT, Backend

router = APIRouter(tags=["indicators 指标"])

CSV_COLUMNS = ("doc", "page", "project", "name", "level1", "level2", "target", "comparator", "value",
               "unit", "actual", "weight", "score", "deviation", "level_source", "checks",
               "org", "region", "year", "start", "end")
MAX_CSV_ROWS = 100_000
SORTABLE = {"value", "level1", "level2", "name", "project", "year", "region", "org", "doc",
            "start", "page", "unit"}
SORT_PATTERN = one_of(SORTABLE, descending=True)  # sort=-value: 422 for other fields


class IndicatorList(BaseModel):
    """One page of indicators: indicator JSON (FORMAT.md) plus ``doc``, ``doc_id``, ``id`` and context."""

    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]


def with_check(rows: list[dict[str, Any]], rule: Optional[str]) -> list[dict[str, Any]]:
    """Rows carrying reviewer finding ``rule`` (all rows when no rule is asked for)."""
    if not rule:
        return rows
    return [r for r in rows if any(c.get("rule") == rule for c in r.get("checks") or [])]


def _params(request: Request) -> dict[str, str]:
    return {k: v for k, v in request.query_params.items() if k != "check"}


@router.get("/api/indicators", response_model=IndicatorList,
            summary="绩效指标检索 / search performance indicators")
def list_indicators(
    request: Request,
    level1: Optional[str] = Q(None, description="一级指标，如 产出指标"),
    level2: Optional[str] = Q(None, description="二级指标，如 数量指标"),
    org: Optional[str] = Q(None, description="单位 / organisation"),
    region: Optional[str] = Q(None, description="地区 / region"),
    year: Optional[int] = Q(None, ge=1900, le=2200, description="年度 / year"),
    project: Optional[str] = Q(None, description="项目 / project"),
    check: Optional[str] = Q(None, max_length=60, description="审查规则，如 placeholder_value / reviewer rule id"),
    q: Optional[str] = Q(None, description="名称或原文包含 / name or text contains"),
    sort: Optional[str] = Q(None, pattern=SORT_PATTERN, description="排序字段 / sort field, '-' for descending"),
    limit: int = Q(50, ge=0, le=MAX_LIMIT),
    offset: int = Q(0, ge=0, le=MAX_OFFSET),
    backend: Backend = Depends(get_backend),
) -> IndicatorList:
    with bad_input():
        if check:  # a finding is inside the item JSON: filter the matching rows here
            rows = with_check(all_rows("indicator", _params(request), MAX_CSV_ROWS, 0, sort, q,
                                       backend, SORTABLE), check)
            return IndicatorList(total=len(rows), limit=limit, offset=offset,
                                 items=rows[offset: offset + limit])
        page = run_query("indicator", _params(request), limit, offset, sort, q, backend, SORTABLE)

    return IndicatorList(total=page.total, limit=limit, offset=offset, items=[item_row(i) for i in page.items])


@router.get("/api/indicators.csv", response_class=CSVResponse,
            summary="导出指标 CSV / export indicators as CSV")
def indicators_csv(
    request: Request,
    level1: Optional[str] = Q(None), level2: Optional[str] = Q(None), org: Optional[str] = Q(None),
    region: Optional[str] = Q(None), year: Optional[int] = Q(None, ge=1900, le=2200),
    project: Optional[str] = Q(None), check: Optional[str] = Q(None, max_length=60),
    q: Optional[str] = Q(None), sort: Optional[str] = Q(None, pattern=SORT_PATTERN),
    limit: int = Q(MAX_CSV_ROWS, ge=0, le=MAX_CSV_ROWS), offset: int = Q(0, ge=0, le=MAX_OFFSET),
    backend: Backend = Depends(get_backend),
):
    with bad_input():
        rows = with_check(all_rows("indicator", _params(request), limit, offset, sort, q, backend,
                                   SORTABLE), check)
    return csv_response(rows, "indicators.csv", CSV_COLUMNS)

"""``GET /api/goals`` (the vague-goal review), ``/api/goals.csv`` and the
per-department review summary ``/api/goals/summary`` (alias ``/api/review/summary``).

Thin on purpose: query parameters become an ``ItemQuery(type="goal")`` through
:func:`api.render.item_query_from_params` (``vague=true``, ``org=``, ``region=``,
``year=``, ``project=``, ``doc=``, ``q=``, ``sort=-score``, paging); the store
runs it; a bad filter is a 400 naming the problem, never a 500.
"""
from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends, Request
from fastapi import Query as Q
from pydantic import BaseModel

from api.deps import get_backend
from api.render import (MAX_OFFSET, all_rows, bad_input, csv_response, CSVResponse, doc_filters,
                        item_row, one_of, run_query)
from search.backend import MAX_LIMIT, Backend, Filter, ItemQuery

router = APIRouter(tags=["goals 目标"])

CSV_COLUMNS = ("doc", "page", "project", "text", "vague", "score", "reasons", "source",
               "org", "region", "year", "start", "end")
MAX_CSV_ROWS = 100_000
SORTABLE = {"score", "vague", "year", "region", "org", "doc", "start", "page", "project"}
SORT_PATTERN = one_of(SORTABLE, descending=True)  # sort=-value: 422 for other fields
SUMMARY_ORGS = 200  # departments listed in one summary


class GoalList(BaseModel):
    """One page of goals: goal JSON (FORMAT.md) plus ``doc``, ``doc_id``, ``id`` and context."""

    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]


class DepartmentSummary(BaseModel):
    org: str
    goals: int
    vague_goals: int
    vague_share: float
    indicators: int
    by_level1: dict[str, int]
    by_level2: dict[str, int]


class ReviewSummary(BaseModel):
    """Per-department review: goals, share vague, indicators by 一级/二级."""

    departments: list[DepartmentSummary]



def review_summary(backend: Backend, filters: list[Filter]) -> list[dict[str, Any]]:
    """Per organisation: goals, vague goals and share, indicators by 一级 and 二级."""
    goal_q = ItemQuery(type="goal", filters=filters)
    ind_q = ItemQuery(type="indicator", filters=filters)
    goals = {r["key"]: r for r in backend.aggregate_items(goal_q, "org", "share:vague")}
    inds = {r["key"]: r for r in backend.aggregate_items(ind_q, "org", "count")}
    orgs = sorted(set(goals) | set(inds), key=lambda o: (-(goals.get(o, {}).get("count", 0)
                                                           + inds.get(o, {}).get("count", 0)), str(o)))
    out = []
    for org in orgs[:SUMMARY_ORGS]:
        g = goals.get(org, {})
        n_goals = int(g.get("count", 0))
        share = float(g.get("value") or 0.0)
        org_filters = [*filters, Filter("org", "eq", org)] if org not in (None, "") else filters
        by1 = by2 = {}
        if org in inds:
            q = ItemQuery(type="indicator", filters=org_filters)
            by1 = {str(r["key"] or ""): int(r["count"]) for r in backend.aggregate_items(q, "level1", "count")}
            by2 = {str(r["key"] or ""): int(r["count"]) for r in backend.aggregate_items(q, "level2", "count")}
        out.append({"org": org or "", "goals": n_goals, "vague_goals": round(n_goals * share),
                    "vague_share": round(share, 4), "indicators": int(inds.get(org, {}).get("count", 0)),
                    "by_level1": by1, "by_level2": by2})
    return out


@router.get("/api/goals", response_model=GoalList,
            summary="目标检索与模糊目标审查 / goals and the vague-goal review")
def list_goals(
    request: Request,
    vague: Optional[bool] = Q(None, description="只看模糊目标 true / 可衡量 false"),
    org: Optional[str] = Q(None, description="单位 / organisation"),
    region: Optional[str] = Q(None, description="地区 / region"),
    year: Optional[int] = Q(None, ge=1900, le=2200, description="年度 / year"),
    project: Optional[str] = Q(None, description="项目 / project"),
    q: Optional[str] = Q(None, description="原文包含 / text contains"),
    sort: Optional[str] = Q(None, pattern=SORT_PATTERN, description="排序字段，- 表示降序 / e.g. -score"),
    limit: int = Q(50, ge=0, le=MAX_LIMIT),
    offset: int = Q(0, ge=0, le=MAX_OFFSET),
    backend: Backend = Depends(get_backend),
) -> GoalList:
    with bad_input():
        page = run_query("goal", request.query_params, limit, offset, sort, q, backend, SORTABLE)
    return GoalList(total=page.total, limit=limit, offset=offset, items=[item_row(i) for i in page.items])


@router.get("/api/goals.csv", response_class=CSVResponse,
            summary="导出目标 CSV / export goals as CSV")
def goals_csv(
    request: Request,
    vague: Optional[bool] = Q(None), org: Optional[str] = Q(None), region: Optional[str] = Q(None),
    year: Optional[int] = Q(None, ge=1900, le=2200), project: Optional[str] = Q(None),
    q: Optional[str] = Q(None), sort: Optional[str] = Q(None, pattern=SORT_PATTERN),
    limit: int = Q(MAX_CSV_ROWS, ge=0, le=MAX_CSV_ROWS), offset: int = Q(0, ge=0, le=MAX_OFFSET),
    backend: Backend = Depends(get_backend),
):
    with bad_input():
        rows = all_rows("goal", request.query_params, limit, offset, sort, q, backend, SORTABLE)
    return csv_response(rows, "goals.csv", CSV_COLUMNS)


@router.get("/api/goals/summary", response_model=ReviewSummary,
            summary="按部门汇总：目标数、模糊占比、指标分布 / per-department review summary")
@router.get("/api/review/summary", response_model=ReviewSummary, include_in_schema=False)
def goals_summary(
    region: Optional[str] = Q(None, description="地区 / region"),
    year: Optional[int] = Q(None, ge=1900, le=2200, description="年度 / year"),
    doc: Optional[str] = Q(None, description="文件名 / file base name"),
    backend: Backend = Depends(get_backend),
) -> ReviewSummary:
    with bad_input():
        rows = review_summary(backend, doc_filters(region=region, year=year, doc=doc))
    return ReviewSummary(departments=[DepartmentSummary(**r) for r in rows])

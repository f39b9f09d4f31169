"""Comparison, similar goals/indicators and the indicator catalogue.

``GET /api/compare``, ``GET /api/similar``, ``GET /api/indicators/catalogue``,
each as JSON, CSV or XLSX (``format=``). Thin: the work is in
:mod:`search.compare`, :mod:`search.similar` and :mod:`search.export`. Bad
parameters (unknown grouping, metric or filter field) are a 400, never a 500.
"""
from __future__ import annotations

from typing import Any, Optional
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query as Q, Request
from fastapi.responses import Response

from api.deps import get_backend
from api.render import MAX_OFFSET, bad_input, bad_request, doc_filters, one_of, place_filters
from search.backend import MAX_LIMIT, Backend
from search.compare import DEFAULT_METRICS, GROUP_FIELDS, METRICS, compare
from search.export import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, Sheet, to_csv, to_xlsx
from search.similar import (DEFAULT_THRESHOLD, TYPES, catalogue_rows, group_rows,
                            indicator_catalogue,
                            similar_groups)

router = APIRouter(tags=["compare 比较"])

FORMATS = ("json", "csv", "xlsx")
FORMAT_PATTERN = one_of(FORMATS + tuple(f.upper() for f in FORMATS))
# a download is CSV or XLSX: both declared in the OpenAPI document
DOWNLOADS = {200: {"description": "JSON，或 format=csv|xlsx 时为文件 / JSON, or the file",
                   "content": {"text/csv": {"schema": {"type": "string"}},
                               XLSX_MEDIA_TYPE: {"schema": {"type": "string",
                                                            "format": "binary"}}}}}



def download(fmt: str, name: str, sheet: Sheet, base_url: str) -> Response:
    """A CSV or XLSX attachment of one table."""
    if fmt == "csv":
        body: bytes = to_csv(sheet.header, sheet.rows).encode("utf-8")
        media, ext = CSV_MEDIA_TYPE, "csv"
    else:
        body, media, ext = to_xlsx([sheet], base_url=base_url), XLSX_MEDIA_TYPE, "xlsx"
    return Response(body, media_type=media, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}.{ext}"})


def _check_format(fmt: str) -> str:
    fmt = (fmt or "json").lower()
    if fmt not in FORMATS:
        raise bad_request(f"未知格式 unknown format: {fmt!r} (json|csv|xlsx)")
    return fmt


@router.get("/api/compare", responses=DOWNLOADS, summary="比较 / compare orgs, regions or years")
def compare_route(
    request: Request,
    by: str = Q("org", pattern=one_of(GROUP_FIELDS),
                description="分组 / group by: " + " | ".join(GROUP_FIELDS)),
    metric: Optional[str] = Q(None, pattern=one_of([*METRICS, "all"], listed=True),
                              description="统计，逗号分隔或 all / measures, comma-separated "
                                                "or 'all': " + ", ".join(METRICS)
                                                + f" (默认 default: {','.join(DEFAULT_METRICS)})"),
    subject: Optional[str] = Q(None, description="资金的计量对象 / measured noun of money "
                                                 "figures, e.g. 资金"),
    region: Optional[str] = Q(None, description="地区 / region"),
    org: Optional[str] = Q(None, description="单位 / organisation"),
    year: Optional[int] = Q(None, ge=1900, le=2200, description="年度 / year"),
    doc_type: Optional[str] = Q(None, description="文档类型 / document type"),
    format: str = Q("json", pattern=FORMAT_PATTERN, description="json | csv | xlsx"),
    include_children: bool = Q(True, description="地区/单位含下级 / region and org include the "
                                                 "places and offices below them"),
    backend: Backend = Depends(get_backend),
) -> Any:
    """One row per group, one column per measure; each cell has ``value``,
    ``count`` (items behind it) and ``link`` (the item route listing them)."""
    fmt = _check_format(format)
    with bad_input():
        written = doc_filters(region, org, year, doc_type)
        filters, _ = place_filters(backend, written, include_children)
        table = compare(backend, by=by, metric=metric, subject=subject, filters=filters,
                        written=written, include_children=include_children)
    if fmt == "json":
        return table.to_json()
    header, rows = table.flat()
    return download(fmt, f"compare_{by}", Sheet("比较 compare", header, rows, table.links()),
                    str(request.base_url))


@router.get("/api/similar", responses=DOWNLOADS,
            summary="相似目标与指标 / near-duplicate goals or indicators")
def similar_route(
    request: Request,
    type: str = Q("goal", pattern=one_of(TYPES), description="goal | indicator"),
    threshold: float = Q(DEFAULT_THRESHOLD, gt=0, le=1,
                         description="相似度阈值 / cosine similarity threshold"),
    min_orgs: int = Q(1, ge=1, le=1000, description="至少涉及几个单位 / at least this many orgs"),
    min_size: int = Q(2, ge=1, le=1000, description="组内至少几条 / at least this many members"),
    limit: int = Q(50, ge=0, le=MAX_LIMIT, description="组数 / groups"),
    offset: int = Q(0, ge=0, le=MAX_OFFSET),
    region: Optional[str] = Q(None), org: Optional[str] = Q(None),
    year: Optional[int] = Q(None, ge=1900, le=2200), doc_type: Optional[str] = Q(None),
    format: str = Q("json", pattern=FORMAT_PATTERN, description="json | csv | xlsx"),
    backend: Backend = Depends(get_backend),
) -> Any:
    """Groups of similar goal texts / indicator names, the ones spanning the
    most departments first; every member keeps its document and offsets."""
    fmt = _check_format(format)
    with bad_input():
        groups = similar_groups(backend, type, threshold, doc_filters(region, org, year, doc_type),
                                min_size=min_size, min_orgs=min_orgs)
    page = groups[offset : offset + limit]
    if fmt == "json":
        return {"type": type, "threshold": threshold, "total": len(groups), "groups": page}
    header, rows = group_rows(page)
    return download(fmt, f"similar_{type}", Sheet("相似 similar", header, rows),
                    str(request.base_url))


@router.get("/api/indicators/catalogue", responses=DOWNLOADS,
            summary="指标目录 / indicator catalogue")
def catalogue_route(
    request: Request,
    q: Optional[str] = Q(None, description="名称包含 / name contains"),
    min_orgs: int = Q(1, ge=1, le=1000, description="至少几个单位使用 / used by at least"),
    limit: int = Q(50, ge=0, le=MAX_LIMIT), offset: int = Q(0, ge=0, le=MAX_OFFSET),
    region: Optional[str] = Q(None), org: Optional[str] = Q(None),
    year: Optional[int] = Q(None, ge=1900, le=2200), doc_type: Optional[str] = Q(None),
    format: str = Q("json", pattern=FORMAT_PATTERN, description="json | csv | xlsx"),
    backend: Backend = Depends(get_backend),
) -> Any:
    """Each distinct indicator name (normalised) with the departments using it
    and their target values."""
    fmt = _check_format(format)
    with bad_input():
        entries = indicator_catalogue(backend, doc_filters(region, org, year, doc_type))
    entries = [e for e in entries if e["n_orgs"] >= min_orgs and (not q or q in e["name"])]
    page = entries[offset : offset + limit]
    if fmt == "json":
        return {"total": len(entries), "entries": page}
    header, rows = catalogue_rows(page)
    return download(fmt, "indicator_catalogue", Sheet("指标目录 catalogue", header, rows),
                    str(request.base_url))

"""``GET /api/search``: full-text passage search with filters and facets.

Limits (documented in the OpenAPI schema): ``limit`` is 0..MAX_LIMIT (422
outside), ``q`` longer than MAX_QUERY_CHARS is truncated, not refused (the
response's ``query`` shows what was searched). Any text is a valid query:
operators, quotes and SQL are searched as literal characters, an unknown facet
or filter field is a 400, never a 500.
"""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Query as Q

from api.deps import get_backend
from api.models import HitModel, SearchResponse
from api.render import bad_request, clip_query, doc_filters, one_of, place_filters
from search.backend import MAX_LIMIT, MAX_QUERY_CHARS, Backend, Filter, Query, SearchResult
from search.facets import FACETS
from search.filters import FilterError
from search.understand import describe

router = APIRouter(tags=["search 检索"])

MAX_OFFSET = 10_000
SORTS = ("relevance", "year", "-year")



def run_search(backend: Backend, q: str, limit: int, offset: int, filters: list[Filter],
               facets: list[str] | None = None, sort: str = "relevance",
               mode: str | None = None) -> SearchResult:
    """The backend search with user errors (unknown facet/field/mode) as HTTP 400.
    Shared by the JSON route and the HTML search page."""
    try:
        return backend.search(Query(text=clip_query(q), limit=limit, offset=offset,
                                    filters=filters, facets=facets or [],
                                    sort=sort if sort in SORTS else "relevance", mode=mode))
    except FilterError as err:
        raise bad_request(str(err)) from err


@router.get("/api/search", response_model=SearchResponse, summary="段落检索 / passage search")
def search(
    q: str = Q("", description=f"查询；超过 {MAX_QUERY_CHARS} 字截断 / query, truncated "
                               f"after {MAX_QUERY_CHARS} characters"),
    limit: int = Q(10, ge=0, le=MAX_LIMIT, description=f"结果数 / hits (≤ {MAX_LIMIT})"),
    offset: int = Q(0, ge=0, le=MAX_OFFSET, description="跳过 / skip hits (paging)"),
    region: Optional[str] = Q(None, description="地区 / region, e.g. 烟台市"),
    org: Optional[str] = Q(None, description="单位 / organisation"),
    year: Optional[int] = Q(None, ge=1900, le=2200, description="年度 / year"),
    type: Optional[str] = Q(None, description="文档类型 / document type (budget, news, ...)"),
    doc: Optional[str] = Q(None, description="文件名 / file name"),
    facets: str = Q("", pattern=one_of(FACETS, listed=True),
                    description="分面，逗号分隔 / comma-separated facets: "
                                    "region,org,year,doc_type,doc,type"),
    sort: str = Q("relevance", pattern="^(relevance|year|-year)$"),
    include_children: bool = Q(True, description="地区/单位含下级 / region and org include the "
                                                 "places and offices below them"),
    mode: Optional[str] = Q(None, pattern="^(lexical|semantic|hybrid)$",
                            description="lexical | semantic | hybrid；默认有向量时 hybrid"
                                        " / default: hybrid when the store holds vectors"),
    backend: Backend = Depends(get_backend),
) -> SearchResponse:
    query = clip_query(q)
    facet_names = [f.strip() for f in facets.split(",") if f.strip()]
    filters, notes = place_filters(backend, doc_filters(region, org, year, type, doc),
                                   include_children)
    result = run_search(backend, query, limit, offset, filters, facet_names, sort, mode)
    hits = [HitModel(**{k: v for k, v in h.to_json().items() if k in HitModel.model_fields})
            for h in result.hits]
    return SearchResponse(query=query, total=result.total,
                          total_relation=result.total_relation, limit=limit, offset=offset, hits=hits,
                          facets=result.facets, notes=notes, understood=result.understood,
                          understood_text=describe(result.understood), mode=result.mode,
                          warnings=result.warnings)

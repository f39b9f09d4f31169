"""``GET /api/orgs`` and ``GET /api/regions``: the organisations and regions the
index knows, with how many documents and mentions each has.

Both are aggregations over the extracted ``org``/``region`` items grouped by
their canonical name (so 市财政局 in a 烟台 document counts for 烟台市财政局),
through the backend's ``aggregate_items``; region rows carry level and parent
path from the division list. Bad parameters are a 400, never a 500.
"""
from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends, Query as Q
from pydantic import BaseModel

from api.deps import get_backend
from api.render import MAX_OFFSET, bad_input
from search.backend import MAX_LIMIT, Backend, Filter, ItemQuery

router = APIRouter(tags=["entities 机构与地区"])


class EntityCount(BaseModel):
    name: str  # canonical name
    documents: int
    mentions: int
    level: Optional[str] = None  # regions: province | city | county | town
    path: list[str] = []  # regions: 山东省 > 烟台市 > 芝罘区


class EntityList(BaseModel):
    total: int
    items: list[EntityCount]


def summarize(backend: Backend, item_type: str, q: Optional[str] = None,
              filters: Optional[list[Filter]] = None, limit: int = 50,
              offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """(rows, total) of canonical names of ``item_type`` with document and mention counts."""
    base = list(filters or [])
    if q:
        base.append(Filter("canonical", "contains", q))
    groups = backend.aggregate_items(ItemQuery(type=item_type, filters=base), by="canonical",
                                     metric="count")
    groups = [g for g in groups if g["key"]]
    rows = []
    for g in groups[offset:offset + limit]:
        per_doc = backend.aggregate_items(
            ItemQuery(type=item_type, filters=[*base, Filter("canonical", "eq", g["key"])]),
            by="doc_id", metric="count")
        row: dict[str, Any] = {"name": g["key"], "documents": len(per_doc), "mentions": int(g["count"])}
        if item_type == "region":
            row.update(_region_info(g["key"]))
        rows.append(row)
    rows.sort(key=lambda r: (-r["documents"], -r["mentions"], r["name"]))
    return rows, len(groups)


def _region_info(name: str) -> dict[str, Any]:
    from nlp.regions import gazetteer

    gz = gazetteer()
    cands = [d for d in gz.by_name.get(name, []) if d.name == name]
    if not cands:
        return {"level": "town", "path": [name]}
    div = cands[0]
    return {"level": div.level, "path": [d.name for d in gz.path(div)]}


def _filters(region: Optional[str], year: Optional[int], doc_type: Optional[str]) -> list[Filter]:
    out = []
    if region:
        out.append(Filter("region", "eq", region))
    if year:
        out.append(Filter("year", "eq", year))
    if doc_type:
        out.append(Filter("doc_type", "eq", doc_type))
    return out


def _list(backend: Backend, item_type: str, q: Optional[str], filters: list[Filter],
          limit: int, offset: int) -> EntityList:
    with bad_input():
        rows, total = summarize(backend, item_type, q, filters, limit, offset)
    return EntityList(total=total, items=[EntityCount(**r) for r in rows])


@router.get("/api/orgs", response_model=EntityList, summary="机构列表 / organisations with document counts")
def list_orgs(q: Optional[str] = Q(None, max_length=100, description="名称包含 / name contains"),
              region: Optional[str] = Q(None, max_length=100, description="文档地区 / document region"),
              year: Optional[int] = Q(None, ge=1900, le=2200, description="年度 / year"),
              doc_type: Optional[str] = Q(None, max_length=40, description="文档类型 / document type"),
              limit: int = Q(50, ge=0, le=MAX_LIMIT), offset: int = Q(0, ge=0, le=MAX_OFFSET),
              backend: Backend = Depends(get_backend)) -> EntityList:
    return _list(backend, "org", q, _filters(region, year, doc_type), limit, offset)


@router.get("/api/regions", response_model=EntityList, summary="地区列表 / regions with document counts")
def list_regions(q: Optional[str] = Q(None, max_length=100, description="名称包含 / name contains"),
                 year: Optional[int] = Q(None, ge=1900, le=2200, description="年度 / year"),
                 doc_type: Optional[str] = Q(None, max_length=40, description="文档类型 / document type"),
                 limit: int = Q(50, ge=0, le=MAX_LIMIT), offset: int = Q(0, ge=0, le=MAX_OFFSET),
                 backend: Backend = Depends(get_backend)) -> EntityList:
    return _list(backend, "region", q, _filters(None, year, doc_type), limit, offset)


class PlaceSuggestion(BaseModel):
    name: str
    path: list[str] = []  # regions: 上海市 > 普陀区


class PlaceSuggestions(BaseModel):
    field: str
    q: str
    items: list[PlaceSuggestion]


@router.get("/api/places", response_model=PlaceSuggestions,
            summary="筛选建议 / region or org values of the index, for filter pickers")
def suggest_places(field: str = Q("region", pattern="^(region|org)$", description="region | org"),
                   q: str = Q("", max_length=100, description="名称包含 / name contains"),
                   limit: int = Q(20, ge=1, le=MAX_LIMIT),
                   backend: Backend = Depends(get_backend)) -> PlaceSuggestions:
    """The indexed values a ``region``/``org`` filter can take (regions with
    their path), names starting with ``q`` first: what the pages' pickers offer."""
    from search.places import indexed_places

    places = indexed_places(backend)
    query = q.strip()
    if field == "region":
        paths: dict[str, list[str]] = {}
        for chains in places.region_paths.values():
            for chain in chains:
                for i, name in enumerate(chain):
                    paths.setdefault(name, list(chain[:i + 1]))
        names = list(paths)
    else:
        paths, names = {}, list(places.orgs)
    found = sorted((n for n in names if query in n),
                   key=lambda n: (not n.startswith(query), len(paths.get(n, [])), len(n), n))
    return PlaceSuggestions(field=field, q=query, items=[
        PlaceSuggestion(name=n, path=paths.get(n, [])) for n in found[:limit]])

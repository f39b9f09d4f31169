"""HTML pages (Jinja2, Chinese labels): ``/`` search, ``/documents`` list,
``/documents/{id}`` document view with passages and highlighted items.

Autoescaping is on for every template; the only markup that reaches a page
unescaped is built by :mod:`api.render`, which escapes the text it wraps.
Bad form input (a year that is not a number, an over-long query) is corrected
or shown as a message on the page, never an error page.
"""
from __future__ import annotations

import bisect
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query as Q, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.deps import get_backend
from api.render import (annotate_html, clip_query, doc_filters, highlight_html, int_or_none,
                        page_params)
from search.understand import describe
from api.routes.search import run_search
from search.backend import MAX_QUERY_CHARS, Backend

router = APIRouter(tags=["pages 网页"], include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))
templates.env.globals["highlight"] = highlight_html

PAGE_SIZE = 10
MAX_PAGE_LINKS = 10
# items starting this many characters before a passage may still reach into it
LOOKBACK = 5000
FACETS = ["region", "doc_type", "year"]
FACET_LABELS = {"region": "地区", "doc_type": "类型", "year": "年度", "org": "单位"}
# legend of the document view: (group, label, css class, item types in the group)
LEGEND = (
    ("goal", "目标 goals", "it-goal", ("goal",)),
    ("indicator", "指标 indicators", "it-indicator", ("indicator",)),
    ("figure", "数字 figures", "it-figure", ("figure",)),
    ("entity", "实体 entities", "it-entity", ("org", "region", "policy_ref", "doc_number", "date")),
)


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, q: str = "", region: str = "", year: str = "",
                doc_type: str = Q("", alias="type"), offset: str = "0",
                backend: Backend = Depends(get_backend)) -> HTMLResponse:
    query = clip_query(q)
    year_n = int_or_none(year)
    page = page_params(PAGE_SIZE, int_or_none(offset) or 0)
    ctx: dict[str, Any] = {"q": query, "region": region, "year": year_n, "offset": page.offset,
                           "max_query": MAX_QUERY_CHARS, "hits": [], "total": 0, "facets": {},
                           "facet_labels": FACET_LABELS, "pages": [], "prev_link": None,
                           "next_link": None, "error": None, "stats": {}}
    if year and year_n is None:
        ctx["error"] = f"年度应为数字，已忽略 year must be a number, ignored: {year[:20]}"
    base = {"q": query, "region": region, "year": year_n or "", "type": doc_type}

    def link(**changes: Any) -> str:
        params = {k: v for k, v in {**base, **changes}.items() if v not in (None, "", 0)}
        return "/?" + urlencode(params)

    ctx["facet_link"] = lambda name, key: link(
        **({"type": key} if name == "doc_type" else {name: key}), offset=0)
    labels = {"region": "地区 region", "year": "年度 year", "type": "类型 type"}
    ctx["active"] = [(labels[k], v, link(**{k: "", "offset": 0}))
                     for k, v in (("region", region), ("year", year_n), ("type", doc_type)) if v]
    if query:
        try:
            result = run_search(backend, query, PAGE_SIZE, page.offset,
                                doc_filters(region or None, None, year_n, doc_type or None),
                                FACETS)
        except HTTPException as err:
            ctx["error"] = str(err.detail)
        else:
            ctx.update(hits=result.hits, total=result.total, facets=result.facets,
                       understood=describe(result.understood))
            n_pages = min((result.total + PAGE_SIZE - 1) // PAGE_SIZE, MAX_PAGE_LINKS)
            current = page.offset // PAGE_SIZE
            ctx["pages"] = [(n + 1, None if n == current else link(offset=n * PAGE_SIZE))
                            for n in range(n_pages)]
            if page.offset > 0:
                ctx["prev_link"] = link(offset=max(0, page.offset - PAGE_SIZE))
            if page.offset + PAGE_SIZE < min(result.total, MAX_PAGE_LINKS * PAGE_SIZE):
                ctx["next_link"] = link(offset=page.offset + PAGE_SIZE)
    else:
        ctx["stats"] = backend.stats()
    return templates.TemplateResponse(request, "search.html", ctx)


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, offset: str = "0",
                   backend: Backend = Depends(get_backend)) -> HTMLResponse:
    page = page_params(200, int_or_none(offset) or 0)
    rows, total = backend.list_documents(page.limit, page.offset)
    return templates.TemplateResponse(request, "documents.html",
                                      {"documents": rows, "total": total})


def _query_matches(text: str, q: str) -> list[dict[str, Any]]:
    """Where the search words occur in one passage, as pseudo-items ``match``."""
    from search.highlight import highlights
    from search.query import parse

    return [{"type": "match", "start": s, "end": e} for s, e in highlights(text, parse(q))]


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str, q: str = "",
                  show: Optional[list[str]] = Q(None),
                  backend: Backend = Depends(get_backend)) -> HTMLResponse:
    doc = backend.get_document(doc_id[:100])
    if doc is None:
        return templates.TemplateResponse(request, "not_found.html", {
            "message": f"未知文档 unknown document: {doc_id[:100]}"}, status_code=404)
    query = clip_query(q)
    items = sorted(doc.get("items") or [], key=lambda i: (i.get("start", 0), i.get("end", 0)))
    counts = {g: sum(1 for i in items if i.get("type") in types) for g, _, _, types in LEGEND}
    shown = set(show) if show else {g for g, *_ in LEGEND}
    types = {t for g, _, _, ts in LEGEND if g in shown for t in ts} | {"match"}
    starts = [int(i.get("start", 0)) for i in items]
    passages = []
    last_page = None
    for p in doc.get("passages") or []:
        lo = bisect.bisect_left(starts, p["start"] - LOOKBACK)
        # items overlapping the passage: start before its end and end after its start
        hi = bisect.bisect_left(starts, p["end"])
        mine = [i for i in items[lo:hi] if int(i.get("end", 0)) > p["start"]]
        if query:
            mine += [{**m, "start": m["start"] + p["start"], "end": m["end"] + p["start"]}
                     for m in _query_matches(p["text"], query)]
        passages.append({"index": p["index"], "page": p.get("page"),
                         "page_break": p.get("page") is not None and p.get("page") != last_page,
                         "html": annotate_html(p["text"], p["start"], mine, types)})
        last_page = p.get("page")
    legend = [({"name": g, "css": css}, label, counts[g]) for g, label, css, _ in LEGEND]
    return templates.TemplateResponse(request, "document.html", {
        "doc": doc, "q": query, "passages": passages, "legend": legend, "shown": shown})

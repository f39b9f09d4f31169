"""HTML pages (Jinja2, Chinese labels): ``/`` search, ``/documents`` list,
``/documents/{id}`` document view with passages and highlighted items.

Autoescaping is on for every template; the only markup that reaches a page
unescaped is built by :mod:`api.render`, which escapes the text it wraps.
Bad form input (a year that is not a number, an over-long query) is corrected
or shown as a message on the page, never an error page.
"""
from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query as Q, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from fastapi.templating import Jinja2Templates

from api.deps import get_backend
from api.labels import DOC_TYPES, FIGURE_KINDS, doc_type_label, money_label
from api.render import (annotate_html, clip_query, doc_filters, flag, highlight_html, int_or_none,
                        page_params, pager, place_filters)
from api.routes.search import MAX_OFFSET, run_search
from search.understand import describe
from search.backend import MAX_QUERY_CHARS, Backend

router = APIRouter(tags=["pages 网页"], include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))
templates.env.globals["highlight"] = highlight_html

PAGE_SIZE = 10
DOCS_PAGE_SIZE = 50
SEARCH_MODES = {"hybrid": "混合 hybrid", "lexical": "词语 lexical", "semantic": "语义 semantic"}
FACET_SHOWN = 8  # facet values listed before "更多 more"
# items starting this many characters before a passage may still reach into it
LOOKBACK = 5000
FACETS = ["region", "doc_type", "year"]  # facets count every match: the page's total is always exact
FACET_LABELS = {"region": "地区", "doc_type": "类型", "year": "年度", "org": "单位"}
# legend of the document view: (group, label, css class, item types in the group)
LEGEND = (
    ("goal", "目标 goals", "it-goal", ("goal",)),
    ("indicator", "指标 indicators", "it-indicator", ("indicator",)),
    ("figure", "数字 figures", "it-figure", ("figure",)),
    ("entity", "实体 entities", "it-entity", ("org", "region", "policy_ref", "doc_number", "date")),
)


def _labels() -> None:
    """Jinja helpers every page uses (labels for stored codes)."""
    templates.env.globals["doc_type_label"] = doc_type_label
    templates.env.globals["DOC_TYPES"] = DOC_TYPES
    templates.env.globals["kinds"] = FIGURE_KINDS
    templates.env.filters["money"] = money_label


_labels()


def _link(path: str, base: dict[str, Any]) -> Any:
    """``link(**changes)``: ``path`` with ``base`` query parameters, changed, empty ones dropped."""
    def link(**changes: Any) -> str:
        params = {k: v for k, v in {**base, **changes}.items() if v not in (None, "", 0)}
        return path + ("?" + urlencode(params) if params else "")
    return link


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, q: str = "", region: str = "", year: str = "",
                doc_type: str = Q("", alias="type"), offset: str = "0",
                include_children: str = "", mode: str = "",
                backend: Backend = Depends(get_backend)) -> HTMLResponse:
    query = clip_query(q)
    mode = mode if mode in SEARCH_MODES else ""
    year_n = int_or_none(year)
    children = flag(include_children)
    page = page_params(PAGE_SIZE, min(int_or_none(offset) or 0, MAX_OFFSET + PAGE_SIZE))
    ctx: dict[str, Any] = {"q": query, "region": region[:100], "year": year_n,
                           "doc_type": doc_type[:40], "include_children": children,
                           "offset": page.offset, "max_query": MAX_QUERY_CHARS, "hits": [],
                           "total": 0, "facets": {}, "facet_labels": FACET_LABELS, "pager": None,
                           "error": None, "notes": [], "stats": {}, "facet_shown": FACET_SHOWN,
                           "clipped": len((q or "").strip()) > MAX_QUERY_CHARS,
                           "mode": mode, "modes": SEARCH_MODES, "warnings": [], "used_mode": ""}
    if year and year_n is None:
        ctx["error"] = f"年度应为数字，已忽略 year must be a number, ignored: {year[:20]}"
    base = {"q": query, "region": region[:100], "year": year_n or "", "type": doc_type[:40],
            "include_children": "" if children else "false", "mode": mode}
    link = _link("/", base)
    ctx["facet_link"] = lambda name, key: link(
        **({"type": key} if name == "doc_type" else {name: key}), offset=0)
    ctx["phrase_link"] = link(q=f'"{query}"', offset=0) if " " in query and '"' not in query else None
    labels = {"region": "地区 region", "year": "年度 year", "type": "类型 type"}
    ctx["active"] = [(labels[k], doc_type_label(v) if k == "type" else v,
                      link(**{k: "", "offset": 0}))
                     for k, v in (("region", region), ("year", year_n), ("type", doc_type)) if v]
    if query:
        try:
            filters, ctx["notes"] = place_filters(
                backend, doc_filters(region[:100] or None, None, year_n, doc_type[:40] or None),
                children)
            result = run_search(backend, query, PAGE_SIZE, page.offset, filters, FACETS,
                                mode=mode or None)
        except HTTPException as err:
            ctx["error"] = str(err.detail)
        else:
            ctx.update(hits=result.hits, total=result.total, facets=result.facets,
                       understood=describe(result.understood), warnings=result.warnings,
                       used_mode=result.mode)
            ctx["pager"] = pager(result.total, page.offset, PAGE_SIZE,
                                 lambda o: link(offset=o), max_offset=MAX_OFFSET)
    else:
        ctx["stats"] = backend.stats()
    return templates.TemplateResponse(request, "search.html", ctx)


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, offset: str = "0", region: str = "", org: str = "",
                   year: str = "", doc_type: str = Q("", alias="type"),
                   include_children: str = "", backend: Backend = Depends(get_backend)
                   ) -> HTMLResponse:
    """All documents, DOCS_PAGE_SIZE a page, filtered like the search."""
    children = flag(include_children)
    year_n = int_or_none(year)
    page = page_params(DOCS_PAGE_SIZE, int_or_none(offset) or 0)
    filters, notes = place_filters(backend, doc_filters(region[:100] or None, org[:100] or None,
                                                        year_n, doc_type[:40] or None), children)
    rows, total = backend.list_documents(page.limit, page.offset, filters)
    base = {"region": region[:100], "org": org[:100], "year": year_n or "",
            "type": doc_type[:40], "include_children": "" if children else "false"}
    return templates.TemplateResponse(request, "documents.html", {
        "documents": rows, "total": total, "offset": page.offset, "notes": notes,
        "form": base, "include_children": children,
        "pager": pager(total, page.offset, DOCS_PAGE_SIZE, lambda o: _link("/documents", base)(
            offset=o))})


def _query_matches(text: str, q: str) -> list[dict[str, Any]]:
    """Where the search words occur in one passage, as pseudo-items ``match``."""
    from search.highlight import highlights
    from search.query import parse

    return [{"type": "match", "start": s, "end": e} for s, e in highlights(text, parse(q))]


# a wrapped line ends in a character or an opening mark, and goes on with a
# character or a closing mark (、，。 never start a line of their own)
_WRAP_BEFORE = re.compile(r"[\u3400-\u9fff0-9（《“]")
_WRAP_AFTER = re.compile(r"[\u3400-\u9fff0-9、，。；：）》”％%]")


def join_wrapped(text: str) -> str:
    """``text`` with the line breaks of wrapped lines hidden (市财\n政局 -> 市财政局),
    offsets unchanged: a break between two CJK characters (or digits) after a line
    nearly as long as the passage's longest is a wrap, not a paragraph end, and
    becomes a zero-width space. Short lines (headings, list items) keep their breaks."""
    lines = text.split("\n")
    width = max(len(line) for line in lines)
    if len(lines) < 2 or width < 12:
        return text
    out, pos = list(text), -1
    for line in lines[:-1]:
        pos += len(line) + 1  # the break after this line
        if (len(line) >= 0.8 * width and _WRAP_BEFORE.match(text, pos - 1)
                and _WRAP_AFTER.match(text, pos + 1)):
            out[pos] = "\u200b"
    return "".join(out)


templates.env.globals["join_wrapped"] = join_wrapped  # search hits are shown joined too


def _span(mark: str) -> tuple[int, int] | None:
    """``"120-128"`` -> (120, 128); anything else None."""
    a, _, b = (mark or "").partition("-")
    s, e = int_or_none(a), int_or_none(b)
    return (s, e) if s is not None and e is not None and 0 <= s < e else None


def _back_link(q: str, back: str) -> str:
    """Where "back to results" goes: the results the user came from (a local
    path only), else the search for ``q``, else the document list."""
    if back.startswith("/") and not back.startswith("//"):
        return back[:2000]
    return "/?" + urlencode({"q": q}) if q else "/documents"


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str, q: str = "",
                  show: Optional[list[str]] = Q(None), at: str = "", mark: str = "",
                  back: str = "", backend: Backend = Depends(get_backend)) -> HTMLResponse:
    doc = backend.get_document(doc_id[:100])
    if doc is None:
        return templates.TemplateResponse(request, "not_found.html", {
            "message": f"未知文档 unknown document: {doc_id[:100]}"}, status_code=404)
    query = clip_query(q)
    here = int_or_none(at)
    span = _span(mark)
    items = sorted(doc.get("items") or [], key=lambda i: (i.get("start", 0), i.get("end", 0)))
    counts = {g: sum(1 for i in items if i.get("type") in types) for g, _, _, types in LEGEND}
    shown = set(show) if show else {g for g, *_ in LEGEND}
    types = {t for g, _, _, ts in LEGEND if g in shown for t in ts} | {"match", "here"}
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
        current = p["index"] == here
        if span and (current or p["start"] <= span[0] < p["end"]):
            mine.append({"type": "here", "start": span[0], "end": span[1]})
            current = True
        passages.append({"index": p["index"], "page": p.get("page"), "current": current,
                         "page_break": p.get("page") is not None and p.get("page") != last_page,
                         "html": annotate_html(join_wrapped(p["text"]), p["start"], mine, types)})
        last_page = p.get("page")
    legend = [({"name": g, "css": css}, label, counts[g]) for g, label, css, _ in LEGEND]
    return templates.TemplateResponse(request, "document.html", {
        "doc": doc, "q": query, "passages": passages, "legend": legend, "shown": shown,
        "at": here, "mark": mark if span else "", "back_link": _back_link(query, back),
        "articles": _articles(doc), "page_images": doc.get("format") == "pdf",
        "current_page": next((p["page"] for p in passages if p["current"]), None)})


def _articles(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The articles of a page with several (newspaper pages): headline and the
    passage it starts in, for the list at the top of the document view."""
    articles = doc.get("articles") or []
    if len(articles) < 2:
        return []
    passages = doc.get("passages") or []
    out = []
    for a in articles:
        start = int(a.get("start") or 0)
        anchor = next((p["index"] for p in passages if p["start"] <= start < p["end"]),
                      passages[0]["index"] if passages else 0)
        out.append({"headline": a.get("headline") or "（无标题）", "passage": anchor,
                    "org": a.get("org") or "", "region": a.get("region") or ""})
    return out


# item types outlined on the page image, and their colours (as in the legend)
PAGE_BOX_COLORS = {"figure": (176, 58, 160), "goal": (58, 154, 58), "indicator": (47, 111, 208)}
HERE_COLOR = (224, 123, 0)


@router.get("/documents/{doc_id}/page/{number}.png")
def page_image(doc_id: str, number: str, mark: str = "",
               backend: Backend = Depends(get_backend)) -> Response:
    """Page ``number`` of a PDF document as printed, rendered on the server, with
    its figures, goals and indicators outlined (the item from ``mark`` in orange)."""
    from ingest.page_image import Box, PageImageError, render_page

    doc = backend.get_document(doc_id[:100])
    page_no = int_or_none(number)
    page = next((p for p in (doc or {}).get("pages") or [] if p.get("number") == page_no), None)
    if doc is None or page is None:
        return PlainTextResponse(f"未知页面 unknown page: {doc_id[:100]} / {number[:10]}",
                                 status_code=404)
    span = _span(mark)
    text = doc.get("text") or ""
    boxes = []
    for it in doc.get("items") or []:
        here = span is not None and (it.get("start"), it.get("end")) == span
        if it.get("page") != page_no or (it.get("type") not in PAGE_BOX_COLORS and not here):
            continue
        start, found = int(it.get("start", 0)), str(it.get("text") or "")
        occurrence = text[page["start"]:start].count(found) if found else 0
        boxes.append(Box(found, occurrence, HERE_COLOR if here else PAGE_BOX_COLORS[it["type"]],
                         4 if here else 2))
    boxes.sort(key=lambda b: b.width)  # the marked item drawn last, on top
    try:
        png = render_page(doc.get("path") or "", page_no, boxes)
    except PageImageError as err:
        return PlainTextResponse(str(err), status_code=404)
    return Response(png, media_type="image/png", headers={"Cache-Control": "max-age=3600"})


def _spans(row: list[str | None]) -> list[tuple[str, int]]:
    """A table row as (text, colspan): a merged cell (None) widens the cell before it."""
    out: list[tuple[str, int]] = []
    for cell in row:
        if cell is None and out:
            out[-1] = (out[-1][0], out[-1][1] + 1)
        else:
            out.append((cell or "", 1))
    return out


@router.get("/documents/{doc_id}/page/{number}/tables", response_class=HTMLResponse)
def page_tables_fragment(request: Request, doc_id: str, number: str,
                         backend: Backend = Depends(get_backend)) -> HTMLResponse:
    """The tables of one PDF page as HTML tables (a fragment the document view
    loads beside the page image): tables as printed, not flattened into lines."""
    from ingest.page_image import PageImageError, page_tables

    doc = backend.get_document(doc_id[:100])
    page_no = int_or_none(number)
    if doc is None or page_no is None:
        return HTMLResponse("<p class='error'>未知页面 unknown page</p>", status_code=404)
    try:
        tables = page_tables(doc.get("path") or "", page_no)
    except PageImageError as err:
        return templates.TemplateResponse(request, "_tables.html", {"error": str(err),
                                                                   "tables": []}, status_code=404)
    return templates.TemplateResponse(request, "_tables.html", {
        "error": None, "tables": [[_spans(r) for r in rows] for rows in tables]})

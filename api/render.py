"""Output helpers shared by every CLI command and route.

Why one module: each resource (figures, goals, indicators, entities, compare)
prints JSON lines / CSV / tables on the command line and serves JSON / CSV over
HTTP. Doing that once here keeps the output formats identical everywhere and the
resource modules thin.

- CLI: :func:`emit` (``json`` lines, ``csv`` or a readable ``table``),
  :func:`fail` (one-line error, exit code, no traceback).
- HTTP: :func:`item_query_from_params`, :class:`PageParams` / :func:`page_params`,
  :func:`csv_response`, :func:`bad_request`.
- HTML: :func:`highlight_html` (``<mark>`` around matches),
  :func:`annotate_html` (items coloured by type in the document view).
  Everything is escaped: user and document text never reach the page raw.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from fastapi.responses import StreamingResponse
from markupsafe import Markup, escape

from search.export import neutralise
from search.backend import MAX_LIMIT, MAX_QUERY_CHARS, Backend, Filter, ItemPage, ItemQuery
from search.filters import FilterError

# ---- CLI ----------------------------------------------------------------------------

FORMATS = ("table", "json", "csv")


def _cell(value: Any) -> str:
    """A value as one CSV/table cell (lists and dicts as compact JSON)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _csv_cell(value: Any) -> str:
    """A CSV cell: numbers as written, text neutralised (no spreadsheet formulas)."""
    text = _cell(value)
    return text if isinstance(value, (int, float)) else neutralise(text)


def columns_of(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Union of the rows' keys, in first-seen order (rows may differ in keys)."""
    cols: dict[str, None] = {}
    for r in rows:
        for k in r:
            cols.setdefault(k, None)
    return list(cols)


def csv_lines(rows: Iterable[Mapping[str, Any]], columns: Sequence[str] | None = None
              ) -> Iterator[str]:
    """CSV text line by line (header first). ``columns`` default: keys of all rows.
    Text a spreadsheet would run as a formula is neutralised (a leading ``'``)."""
    rows = list(rows) if columns is None else rows
    cols = list(columns) if columns is not None else columns_of(rows)  # type: ignore[arg-type]
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(cols)
    yield buf.getvalue()
    for r in rows:
        buf.seek(0)
        buf.truncate()
        writer.writerow([_csv_cell(r.get(c)) for c in cols])
        yield buf.getvalue()


def json_line(obj: Any) -> str:
    """One compact JSON line, Chinese kept as is (FORMAT.md output)."""
    return json.dumps(obj, ensure_ascii=False, default=str)


def emit(rows: Iterable[Mapping[str, Any]], fmt: str = "table", columns: Sequence[str] | None = None,
         title: str | None = None, file: Any = None) -> None:
    """Print rows on stdout: ``json`` (one object per line), ``csv`` or ``table``.

    ``columns`` picks and orders the table/CSV columns (JSON always has all keys)."""
    out = file or sys.stdout
    if fmt == "json":
        for r in rows:
            out.write(json_line(r) + "\n")
        out.flush()
        return
    if fmt == "csv":
        for line in csv_lines(list(rows), columns):
            out.write(line)
        out.flush()
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    rows = list(rows)
    cols = list(columns) if columns else columns_of(rows)
    table = Table(title=title, show_lines=False)
    for c in cols:
        table.add_column(Text(c), overflow="fold")
    for r in rows:  # Text(): document text is never read as rich markup
        table.add_row(*[Text(_cell(r.get(c))) for c in cols])
    Console(file=out, soft_wrap=False).print(table)


def fail(message: str, code: int = 2) -> None:
    """Print a one-line error on stderr and exit (no traceback for expected errors)."""
    import typer

    sys.stderr.write(f"错误 error: {message}\n")
    raise typer.Exit(code)


def open_store():
    """The configured store for a CLI command; a store that cannot be opened
    (unwritable data dir, unreachable Elasticsearch) is a one-line error."""
    from search.backend import open_backend

    try:
        return open_backend()
    except Exception as err:  # noqa: BLE001 - any failure to open is reported, not raised
        fail(f"无法打开索引 cannot open the index: {err}")


@contextmanager
def query_store() -> Iterator[Backend]:
    """:func:`open_store` for a command that queries it: closed afterwards, and a bad filter or
    value (``FilterError``, ``ValueError``) is the command's one-line error, not a traceback."""
    backend = open_store()
    try:
        yield backend
    except (FilterError, ValueError) as err:
        fail(str(err))
    finally:
        backend.close()


def output_format(json_flag: bool = False, csv_flag: bool = False) -> str:
    """The ``--json`` / ``--csv`` flags of a command as an :func:`emit` format."""
    return "json" if json_flag else "csv" if csv_flag else "table"


# ---- HTTP ---------------------------------------------------------------------------


# the largest ``offset`` any route accepts (422 above it; pages clamp to it): beyond a
# 64-bit integer the store fails, and no listing here is that long anyway
MAX_OFFSET = 1_000_000
# integer query values beyond this are compared as floats (SQLite integers are 64-bit)
_MAX_INT = 2**63 - 1


@dataclass
class PageParams:
    """Validated paging: ``limit`` in 0..MAX_LIMIT, ``offset`` in 0..MAX_OFFSET."""

    limit: int = 20
    offset: int = 0


def int_or_none(v: str | None) -> int | None:
    """A form field as an int, ``None`` when empty or not a number: web pages
    correct bad form input instead of failing on it."""
    try:
        return int(str(v).strip()) if v not in (None, "") else None
    except ValueError:
        return None


def page_params(limit: int = 20, offset: int = 0) -> PageParams:
    """Clamp paging values instead of failing: a too-large ``limit`` is served as
    ``MAX_LIMIT``. Routes declare the bounds in ``Query(...)`` too, for OpenAPI."""
    return PageParams(max(0, min(int(limit), MAX_LIMIT)), max(0, min(int(offset), MAX_OFFSET)))


def one_of(names: Iterable[str], descending: bool = False, listed: bool = False) -> str:
    """A regular expression for a query parameter that takes one of ``names``
    (``descending``: an optional leading ``-``; ``listed``: a comma-separated list,
    empty items allowed). Declared in ``Query(pattern=...)``, so the OpenAPI
    document says which values are valid and any other is a 422."""
    alt = "|".join(sorted(names, key=lambda n: (-len(n), n)))
    one = f"{'-?' if descending else ''}({alt})"
    if listed:
        return rf"^\s*({one})?\s*(,\s*({one})?\s*)*$"
    return f"^{one}$"


_NUMBER = r"[0-9]{1,18}(\.[0-9]{1,12})?"
# an amount bound of the HTTP API (``min=1亿元``, ``5000万``, ``1e8``, ``-3.5``, ``6.5%``):
# every value this matches is one ``nlp.figures.parse_bound`` reads, so the OpenAPI
# document is exact; Chinese numerals (三千万) are for the command line and pages
AMOUNT_PATTERN = (rf"^([-+]?{_NUMBER}([eE][-+]?[0-9]{{1,2}})?"
                  rf"|{_NUMBER}(千|百万|千万|万|亿|万亿)?(元|%)?)$")


def clip_query(q: str | None) -> str:
    """A search string cut to ``MAX_QUERY_CHARS`` (longer input is truncated, not refused)."""
    return (q or "").strip()[:MAX_QUERY_CHARS]


# query-string parameters with a fixed meaning; anything else is a field filter
_RESERVED = {"limit", "offset", "sort", "q", "text", "format", "type", "include_children", "once"}
# suffixes mapping ``field__op=value`` onto Filter ops (as in Datasette's ``?col__gt=``)
_SUFFIX_OPS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "contains")
# short aliases: ``min`` / ``max`` bound the item's value
_ALIASES = {"min": ("value", "gte"), "max": ("value", "lte")}
# figure fields whose bounds may be written as amounts (1亿元), and the ops that are bounds
AMOUNT_FIELDS = ("value", "high")
_BOUND_OPS = ("eq", "ne", "gt", "gte", "lt", "lte")


def doc_filters(region: str | None = None, org: str | None = None, year: int | None = None,
                doc_type: str | None = None, doc: str | None = None) -> list[Filter]:
    """Equality filters on document fields (CLI options and query parameters), skipping empty values."""
    return [Filter(field, "eq", value) for field, value in (
        ("region", region), ("org", org), ("year", year), ("doc_type", doc_type), ("doc", doc))
        if value not in (None, "")]


def item_row(item: Mapping[str, Any]) -> dict[str, Any]:
    """An extracted item for API/CLI output: its context (org/region/year) as
    top-level fields, and ``link`` to the passage it was found in."""
    ctx = item.get("context") or {}
    row = {**{k: v for k, v in ctx.items() if k not in item}, **item}
    if item.get("doc_id"):
        anchor = f"#p{item['passage']}" if item.get("passage") is not None else ""
        row["link"] = f"/documents/{item['doc_id']}{anchor}"
    return row


def _parse_value(v: str) -> Any:
    """Numbers and booleans from the query string, other values as text."""
    s = v.strip()
    if s.lower() in ("true", "false"):
        return s.lower() == "true"
    try:
        n = int(s)
        return n if -_MAX_INT <= n <= _MAX_INT else float(n)
    except ValueError:
        pass
    try:
        return float(s)
    except (ValueError, OverflowError):
        return s


def filters_from_params(params: Mapping[str, Any], skip: Iterable[str] = (),
                        amounts: bool = False) -> list[Filter]:
    """Filters from query parameters: ``region=烟台市`` (eq), ``value__gte=1e8``,
    ``kind__in=money,percent``, ``min``/``max`` on value. Empty values are ignored.
    Field names are validated by the backend (unknown field -> FilterError -> 400).

    With ``amounts`` (figures, whose values are stored normalised: money in
    yuan) a bound on ``value``/``high`` may be written as an amount, ``min=1亿元``
    or ``value__lt=5000万``; a bound that is no number is a ValueError (-> 400)."""
    out: list[Filter] = []
    skipped = set(skip) | _RESERVED
    items = params.multi_items() if hasattr(params, "multi_items") else params.items()
    for key, raw in items:
        if key in skipped or raw is None or str(raw).strip() == "":
            continue
        if key in _ALIASES:
            field, op = _ALIASES[key]
        else:
            field, _, op = key.partition("__")
            op = op or "eq"
            if op not in _SUFFIX_OPS:
                field, op = key, "eq"
        if op == "in":
            value: Any = [_parse_value(v) for v in str(raw).split(",") if v.strip()]
        elif op == "contains":
            value = str(raw)
        elif amounts and field in AMOUNT_FIELDS and op in _BOUND_OPS:
            from nlp.figures import parse_bound  # here: spaCy loads only when needed

            value = parse_bound(str(raw))
        else:
            value = _parse_value(str(raw))
        out.append(Filter(field, op, value))
    return out


def item_query_from_params(item_type: str | None, params: Mapping[str, Any], *,
                           limit: int = 50, offset: int = 0, sort: str | None = None,
                           text: str | None = None, skip: Iterable[str] = ()) -> ItemQuery:
    """An :class:`ItemQuery` from a request's query parameters (``request.query_params``).

    Example: ``/api/figures?kind=money&min=1亿元&region=烟台市&sort=-value``
    -> type ``figure``, filters kind eq money, value gte 1e8, region eq 烟台市."""
    page = page_params(limit, offset)
    filters = filters_from_params(params, skip, amounts=item_type == "figure")
    return ItemQuery(type=item_type, filters=filters,
                     text=(text or None) and clip_query(text), sort=sort or None,
                     limit=page.limit, offset=page.offset)


def flag(value: Any, default: bool = True) -> bool:
    """A yes/no query parameter (``true``/``false``, ``1``/``0``, ``on``); empty is ``default``."""
    if value is None or str(value).strip() == "":
        return default
    return str(value).strip().lower() not in ("false", "0", "no", "off")


def place_filters(backend: Backend, filters: list[Filter], include_children: bool = True
                  ) -> tuple[list[Filter], list[str]]:
    """Region/org equality filters resolved on the map and the org tree
    (:mod:`search.places`), and a note per filter saying what it matched."""
    from search.places import resolve_places

    out, matches = resolve_places(backend, filters, include_children)
    return out, [n for m in matches if (n := m.note())]


def build_item_query(item_type: str, params: Mapping[str, Any], limit: int, offset: int,
                     sort: str | None, q: str | None, backend: Backend, sortable: Iterable[str]
                     ) -> tuple[ItemQuery, list[str]]:
    """The :class:`ItemQuery` of :func:`run_query`, its region/org filters
    resolved, and the notes on what they matched."""
    sortable = set(sortable)
    if sort and sort.lstrip("-") not in sortable:
        raise FilterError(f"不能按此排序 cannot sort by: {sort[:40]!r} "
                          f"(可用 allowed: {', '.join(sorted(sortable))})")
    query = item_query_from_params(item_type, params, limit=limit, offset=offset, sort=sort, text=q)
    query.filters, notes = place_filters(backend, query.filters,
                                         flag(params.get("include_children")))
    once = str(params.get("once") or "").strip()
    if once:  # a comparison cell's money counted once (search.compare.ONCE)
        from search.compare import counted_once

        query.filters = counted_once(backend, query.filters, once[:20])
    return query, notes


def run_query(item_type: str, params: Mapping[str, Any], limit: int, offset: int,
              sort: str | None, q: str | None, backend: Backend, sortable: Iterable[str]
              ) -> ItemPage:
    """One page of items of ``item_type`` from query parameters
    (a request's ``query_params`` or a CLI's dict). A sort field outside
    ``sortable``, or a bad filter, is a FilterError/ValueError naming it.
    ``region``/``org`` include the places below them unless ``include_children=false``."""
    query, _ = build_item_query(item_type, params, limit, offset, sort, q, backend, sortable)
    return backend.query_items(query)


def all_rows(item_type: str, params: Mapping[str, Any], limit: int, offset: int,
             sort: str | None, q: str | None, backend: Backend, sortable: Iterable[str]
             ) -> list[dict[str, Any]]:
    """Up to ``limit`` rows (exports), fetched page by page: the store serves at
    most MAX_LIMIT rows per page."""
    rows: list[dict[str, Any]] = []
    while len(rows) < limit:
        page = run_query(item_type, params, min(MAX_LIMIT, limit - len(rows)), offset + len(rows),
                         sort, q, backend, sortable)
        rows.extend(item_row(i) for i in page.items)
        if not page.items:
            break
    return rows


async def method_not_allowed(request: Any, exc: Any):
    """405 with every method the path has in ``Allow``: FastAPI keeps GET and POST
    of one path as two routes and would name only the first one's methods. The
    methods come from the OpenAPI document, which is what clients read."""
    import re

    from fastapi.responses import JSONResponse

    methods = {m.strip() for m in (getattr(exc, "headers", None) or {}).get("Allow", "").split(",")
               if m.strip()}
    for template, operations in request.app.openapi().get("paths", {}).items():
        pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, request.url.path):
            methods |= {m.upper() for m in operations}
    return JSONResponse({"detail": "不支持的方法 method not allowed"}, status_code=405,
                        headers={"Allow": ", ".join(sorted(methods))})


def bad_request(message: str):
    """An ``HTTPException(400)`` with a bilingual message (never a 500 on bad input)."""
    from fastapi import HTTPException

    return HTTPException(status_code=400, detail=message)


@contextmanager
def bad_input() -> Iterator[None]:
    """Inside a route: a bad filter or value (``FilterError``, ``ValueError``) raised by the
    store or the query parsers becomes a 400 with its message, as :func:`query_store` makes it
    the CLI's one-line error."""
    try:
        yield
    except (FilterError, ValueError) as err:
        raise bad_request(str(err)) from err


class CSVResponse(StreamingResponse):
    """A streamed CSV download; as ``response_class`` of a route it declares
    ``text/csv`` (not JSON) in the OpenAPI document."""

    media_type = "text/csv"


def csv_response(rows: Iterable[Mapping[str, Any]], filename: str,
                 columns: Sequence[str] | None = None):
    """Stream rows as a CSV download (UTF-8 with BOM so spreadsheet programs
    show the Chinese text correctly)."""
    from urllib.parse import quote

    def body() -> Iterator[bytes]:
        yield "\ufeff".encode("utf-8")
        for line in csv_lines(rows, columns):
            yield line.encode("utf-8")

    safe = filename if filename.isascii() else quote(filename)
    return CSVResponse(body(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{safe}"})


# ---- HTML ---------------------------------------------------------------------------


def highlight_html(text: str, spans: Sequence[Sequence[int]],
                   answer: Sequence[int] | None = None) -> Markup:
    """``text`` escaped, with ``<mark>`` around each (start, end) span, and the
    ``answer`` sentence of a question, when given, in ``<span class="answer">``.

    Spans are offsets into ``text``; overlapping or out-of-range spans are
    clamped and merged so the markup is always well formed (marks crossing the
    answer's edges are cut there)."""
    if answer:
        a, b = max(0, min(len(text), int(answer[0]))), max(0, min(len(text), int(answer[1])))
        if a < b:
            def part(lo: int, hi: int) -> Markup:
                return highlight_html(text[lo:hi], [(s - lo, e - lo) for s, e in spans])
            return Markup(part(0, a) + Markup('<span class="answer" title="答句 answer">')
                          + part(a, b) + Markup("</span>") + part(b, len(text)))
    clean: list[tuple[int, int]] = []
    for s, e in sorted((max(0, int(a)), min(len(text), int(b))) for a, b in spans):
        if e <= s:
            continue
        if clean and s <= clean[-1][1]:
            clean[-1] = (clean[-1][0], max(clean[-1][1], e))
        else:
            clean.append((s, e))
    parts: list[str] = []
    pos = 0
    for s, e in clean:
        parts.append(str(escape(text[pos:s])))
        parts.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    parts.append(str(escape(text[pos:])))
    return Markup("".join(parts))


# item type -> CSS class of its highlight in the document view
ITEM_CLASSES = {"goal": "it-goal", "indicator": "it-indicator", "figure": "it-figure",
                "org": "it-entity", "region": "it-entity", "policy_ref": "it-entity",
                "doc_number": "it-entity", "date": "it-entity", "match": "it-match",
                "here": "it-here"}
# which item wins when spans overlap: the smaller, more specific one is drawn inside
_LAYER = {"goal": 0, "indicator": 1, "org": 2, "region": 2, "policy_ref": 2, "doc_number": 2,
          "date": 2, "figure": 3, "match": 4, "here": 5}


def item_label(item: Mapping[str, Any]) -> str:
    """Short tooltip for an item (its type and key fields)."""
    t = item.get("type", "")
    bits = [str(t)]
    for key in ("kind", "value", "unit", "qualifier", "change", "name", "comparator", "canonical"):
        v = item.get(key)
        if v not in (None, "", []):
            bits.append(f"{key}={_cell(v)}")
    if t == "goal":
        bits.append("模糊 vague" if item.get("vague") else "可衡量 measurable")
        if item.get("reasons"):
            bits.append("; ".join(map(str, item["reasons"])))
    return " · ".join(bits)


def annotate_html(text: str, base: int, items: Sequence[Mapping[str, Any]],
                  types: Iterable[str] | None = None) -> Markup:
    """A passage (``text`` = document text from ``base``) with its items wrapped in
    ``<span class="it-TYPE">``, nested properly.

    Items are taken largest first, and an item that would cross the boundary of
    an already open span is clipped to it, so the HTML stays well formed whatever
    the overlaps. Only the types in ``types`` are drawn (all when ``None``)."""
    wanted = set(types) if types is not None else None
    end_of_text = len(text)
    spans = []
    for it in items:
        t = str(it.get("type", ""))
        if wanted is not None and t not in wanted:
            continue
        try:
            s, e = int(it["start"]) - base, int(it["end"]) - base
        except (KeyError, TypeError, ValueError):
            continue
        s, e = max(0, s), min(end_of_text, e)
        if e > s:
            spans.append((s, e, t, it))
    # outer spans first: start asc, longer first, lower layer first
    spans.sort(key=lambda x: (x[0], -(x[1] - x[0]), _LAYER.get(x[2], 2)))
    # events: build a tree by a stack of open spans
    out: list[str] = []
    stack: list[int] = []  # ends of open spans
    pos = 0

    def close_until(limit: int) -> None:
        nonlocal pos
        while stack and stack[-1] <= limit:
            end = stack.pop()
            out.append(str(escape(text[pos:end])))
            out.append("</span>")
            pos = end

    for s, e, t, it in spans:
        close_until(s)
        if s < pos:  # starts inside already emitted text of a closed sibling: clip
            s = pos
        if stack:
            e = min(e, stack[-1])
        if e <= s:
            continue
        out.append(str(escape(text[pos:s])))
        css = ITEM_CLASSES.get(t, "it-entity")
        extra = ""
        if t == "goal":
            extra = " it-vague" if it.get("vague") else " it-concrete"
        out.append(f'<span class="{css}{extra}" data-type="{escape(t)}" '
                   f'title="{escape(item_label(it))}">')
        stack.append(e)
        pos = s
    close_until(end_of_text)
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


@dataclass
class Pager:
    """Numbered page links: ``pages`` as (label, link) with ``None`` for the
    current page and for gaps (label "…"); ``beyond`` is set when the offset
    is past the last page (a message and the link to the last page)."""

    pages: list[tuple[str, str | None]]
    prev: str | None
    next: str | None
    beyond: tuple[str, str] | None = None


def pager(total: int, offset: int, size: int, link: Callable[[int], str],
          max_offset: int | None = None, around: int = 2) -> Pager:
    """Pages 1, …, current±``around``, …, last for ``total`` rows of ``size``;
    ``link(offset)`` makes a page's URL. ``max_offset`` caps how deep paging goes."""
    reachable = total if max_offset is None else min(total, max_offset + size)
    n_pages = max(1, (reachable + size - 1) // size)
    current = offset // size
    if total and current >= n_pages:
        last = (n_pages - 1) * size
        return Pager([], None, None, (f"第 {current + 1} 页超出范围：共 {n_pages} 页 "
                                      f"page {current + 1} is past the last page ({n_pages})",
                                      link(last)))
    wanted = sorted({0, n_pages - 1, *range(max(0, current - around),
                                             min(n_pages, current + around + 1))})
    pages: list[tuple[str, str | None]] = []
    for i, n in enumerate(wanted):
        if i and n - wanted[i - 1] > 1:
            pages.append(("…", None))
        pages.append((str(n + 1), None if n == current else link(n * size)))
    return Pager(pages if n_pages > 1 else [],
                 link(max(0, offset - size)) if current > 0 else None,
                 link((current + 1) * size) if current + 1 < n_pages else None)

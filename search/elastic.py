"""The distributed backend: the same :class:`search.backend.Backend` over
OpenSearch 2.x/3.x or Elasticsearch 8/9 (which one is read from ``GET /``;
:mod:`search.engines` holds the clients and the few differences, the mappings and
bodies here are built once for both).

Three indices per prefix (``<prefix>-documents``, ``-passages``, ``-items``),
each created from an index template so a re-created index gets the same
mapping, and a small ``<prefix>-meta`` index: its ``generation`` row is written
after every change (its ``_version`` is the store's generation, so the page
caches of :mod:`search.cache` work here too) and its ``vectors`` row names the
embedding model and its dimensions. Passage text is indexed three ways:

* ``text``: the built-in ``cjk`` analyzer's steps (bigrams) behind a character
  filter that folds traditional characters to simplified ones, for BM25 statistics;
* ``text.chars``: one token per character (standard tokenizer, traditional-folded,
  width-folded, lower-cased), so any run of characters, one character included, is a
  phrase query: the same "every substring is findable" promise as the SQLite grams;
* ``words``: jieba search-mode tokens joined by spaces under the ``whitespace``
  analyzer, produced by :func:`search.tokenize.word_tokens` both when indexing
  and when querying, so index and query segmentation always agree.

The character filter (:func:`analysis_settings`) is the Han part of
:func:`search.tokenize.normalize`'s table, so both backends fold the same
characters: a simplified query finds a passage in traditional script, and the
engine's highlight offsets stay those of the original text (one character for one).

Keyword and numeric fields (org, region, year, kind, value, level1 ...) carry
filters, facets, ranges and the comparison aggregations.

Passage vectors (``policylens embed``) go into a ``vec_<dims>`` field of the
passage, added to the mapping when the first vector of that size is stored
(``knn_vector`` with Lucene HNSW on OpenSearch, ``dense_vector`` on
Elasticsearch; cosine), with ``vec_model`` naming the model. Semantic and hybrid
search fuse the engine's k-NN list with its lexical list exactly as the SQLite
store does (:mod:`search.hybrid`).

Replacement semantics (no multi-document transactions in ES): a new version
of a file is indexed first (passages, items, then the document record, which
acts as the commit marker), and only then is the old version deleted by doc id.
A reader may briefly see both versions, never neither; if indexing the new
version fails, its partial rows are removed and the old version stays. Every
write uses ``refresh`` so the next read sees it (the contract the SQLite store
gives).

The pure parts (mappings, Filter/Query -> DSL translation, highlight offset
mapping, response parsing) are module functions so they are testable without a
server.
"""
from __future__ import annotations

import bisect
import json
import math
import time
from typing import Any, Callable, Iterator

from ingest.document import Document
from nlp.items import Analysis, Item
from search.backend import (MAX_LIMIT, AddResult, Backend, Filter, Hit, ItemPage,
                            ItemQuery, Query, SearchResult, read_search, resolve_mode,
                            semantic_list, total_cap)
from search.adapter import adapt_query, wanted as adapter_wanted
from search.embed import embedded_share, load_embedder, passage_input
from search.engines import (BackendUnavailable, Engine, EngineClient, IndexingError, connect,
                            cosine_of_score)
from search.filters import FilterError, join_exclusions
from search.highlight import highlights as local_highlights
from search.highlight import merge
from search import ranker
from search.hybrid import (annotate, collapse, coverage_of_norms, document_focus, fuse_query,
                           pool_norms, semantic_mode_of, semantics_needed, shown_whole)
from search.sections import page_order
from search.query import ParsedQuery, parse
from search.tokenize import folded_han, is_word_char, normalize, word_tokens
from search.understand import meta_boost, parents, pool_boosts

# how many top hits are re-ranked by query coverage (as the SQLite store does)
RERANK_POOL = 200
# how many nearest passages the semantic list holds (as the SQLite store)
SEMANTIC_POOL = 100
# ES refuses from + size beyond index.max_result_window (default 10000)
MAX_WINDOW = 10_000
# page size when reading all rows of a document (passages, items)
SCAN_PAGE = 1000
# highlight tags: private-use characters that do not occur in indexed text; if a
# passage does contain them, the mapping check fails and local highlights are used.
# Not control characters: the highlighter trims characters up to U+0020 from the
# ends of a fragment (Java's trim), which cut the tag off a match at the very
# start of a passage (found on the live engine)
PRE_TAG, POST_TAG = "\ue000", "\ue001"

KEYWORD = {"type": "keyword"}
INTEGER = {"type": "integer"}
DOUBLE = {"type": "double"}
CHARS_ANALYZER = "pl_chars"
# the cjk analyzer's steps behind the traditional -> simplified character filter
CJK_ANALYZER = "pl_cjk"
SIMPLIFIED_FILTER = "pl_simplified"
# in every index's mapping ``_meta``: indices made by another mapping are refused
# at startup (reindex into a new prefix) instead of answering wrongly
# 3: figure role, currency, in_total; 4: passage vectors, meta index;
# 5: traditional characters folded (search.tokenize.TOKENS_VERSION 2)
MAPPING_VERSION = 5
# the mappings and bodies when no engine was asked (unit tests): they differ only
# where search.engines says so
DEFAULT_ENGINE = Engine("elasticsearch", "9.0.0")

# document fields shared by all three indices (denormalised for filters/facets)
DOC_PROPERTIES: dict[str, Any] = {
    "doc_id": KEYWORD, "doc": KEYWORD, "format": KEYWORD, "doc_type": KEYWORD,
    "org": KEYWORD, "region": KEYWORD, "year": INTEGER,
    "title": {"type": "text", "analyzer": CJK_ANALYZER, "fields": {"raw": {"type": "keyword",
                                                                    "ignore_above": 1024}}},
}

# item fields with their ES types; anything else in an item's JSON is kept in
# ``item`` (not indexed) and its scalar values in the ``extra`` flat-object field
ITEM_TYPES: dict[str, Any] = {
    "type": KEYWORD, "kind": KEYWORD, "value": DOUBLE, "high": DOUBLE, "unit": KEYWORD,
    "qualifier": KEYWORD, "change": KEYWORD, "base": KEYWORD, "subject": KEYWORD,
    "vague": {"type": "boolean"}, "score": DOUBLE, "reasons": KEYWORD, "project": KEYWORD,
    "source": KEYWORD, "name": {"type": "keyword", "ignore_above": 2048,
                                "fields": {"cjk": {"type": "text", "analyzer": CJK_ANALYZER}}},
    "level1": KEYWORD, "level2": KEYWORD, "comparator": KEYWORD, "target": KEYWORD,
    "actual": KEYWORD, "weight": DOUBLE, "deviation": KEYWORD, "level_source": KEYWORD,
    "canonical": KEYWORD, "start": INTEGER, "end": INTEGER, "page": INTEGER,
    "passage": INTEGER, "seq": INTEGER,
    # what an amount is (nlp.figure_roles): compared and grouped on by search.compare
    "role": KEYWORD, "currency": KEYWORD, "in_total": {"type": "boolean"},
    "text": {"type": "keyword", "ignore_above": 4096,
             "fields": {"cjk": {"type": "text", "analyzer": CJK_ANALYZER}}},
}
BOOLEAN_FIELDS = {"vague", "in_total"}
NUMERIC_FIELDS = {"value", "high", "score", "weight", "start", "end", "page", "passage", "seq",
                  "year"}

# query-level filter fields -> ES field
PASSAGE_FILTER_FIELDS = {"doc": "doc", "doc_id": "doc_id", "doc_type": "doc_type", "org": "org",
                         "region": "region", "year": "year", "format": "format",
                         "title": "title.raw", "type": "item_types", "item_type": "item_types",
                         "page": "page"}
DOC_FILTER_FIELDS = {"doc": "doc", "doc_id": "doc_id", "id": "doc_id", "doc_type": "doc_type",
                     "org": "org", "region": "region", "year": "year", "format": "format",
                     "title": "title.raw"}
ITEM_FILTER_FIELDS = {**{k: k for k in ITEM_TYPES}, "id": "_id", "doc": "doc", "doc_id": "doc_id",
                      "org": "org", "region": "region", "year": "year", "doc_type": "doc_type"}
FACET_FIELDS = {"region": "region", "org": "org", "year": "year", "doc_type": "doc_type",
                "doc": "doc", "type": "item_types"}
_RANGE = {"gt": "gt", "gte": "gte", "lt": "lt", "lte": "lte"}


# ---- mappings and templates --------------------------------------------------------


def index_names(prefix: str) -> dict[str, str]:
    """The data indices of a prefix (the meta index is :func:`meta_index`)."""
    return {k: f"{prefix}-{k}" for k in ("documents", "passages", "items")}


def meta_index(prefix: str) -> str:
    """The store's own rows (generation, vector model): never emptied with the data."""
    return f"{prefix}-meta"


def vector_field(dims: int) -> str:
    return f"vec_{int(dims)}"


def analysis_settings() -> dict[str, Any]:
    """The custom analyzers, both behind the traditional -> simplified character
    filter (the Han characters :func:`search.tokenize.normalize` folds, one for one,
    so offsets hold): a token per character, width-folded and lower-cased (the
    standard tokenizer emits every CJK ideograph as its own token), and the built-in
    ``cjk`` analyzer rebuilt from its steps (a built-in analyzer takes no filter)."""
    folding = [f"{a}=>{b}" for a, b in folded_han().items()]
    return {"char_filter": {SIMPLIFIED_FILTER: {"type": "mapping", "mappings": folding}},
            "filter": {"pl_cjk_stop": {"type": "stop", "stopwords": "_cjk_"}},
            "analyzer": {
                CHARS_ANALYZER: {"type": "custom", "char_filter": [SIMPLIFIED_FILTER],
                                 "tokenizer": "standard", "filter": ["cjk_width", "lowercase"]},
                CJK_ANALYZER: {"type": "custom", "char_filter": [SIMPLIFIED_FILTER],
                               "tokenizer": "standard",
                               "filter": ["cjk_width", "lowercase", "cjk_bigram", "pl_cjk_stop"]}}}


def mappings(engine: Engine = DEFAULT_ENGINE) -> dict[str, dict[str, Any]]:
    """Mapping per index kind. ``dynamic: false``: stray fields are kept in
    ``_source`` but never change the mapping. The engine decides only the type of
    ``extra`` (``flattened`` / ``flat_object``)."""
    documents = {"dynamic": False, "properties": {
        **DOC_PROPERTIES, "path": KEYWORD, "text": {"type": "text", "index": False},
        "encoding": KEYWORD, "date": KEYWORD, "region_path": KEYWORD,
        "n_passages": INTEGER, "n_items": INTEGER, "chars": INTEGER, "added_at": DOUBLE,
        "extra": {"type": "object", "enabled": False}}}
    passages = {"dynamic": False, "properties": {
        **DOC_PROPERTIES, "idx": INTEGER, "start": INTEGER, "end": INTEGER, "page": INTEGER,
        "article": INTEGER, "item_types": KEYWORD, "region_path": KEYWORD,
        # the row id again, as a sortable field (embedding walks passages in its order),
        # and the model of the row's vector (``vec_<dims>``, mapped when first stored)
        "pid": KEYWORD, "vec_model": KEYWORD,
        "text": {"type": "text", "analyzer": CJK_ANALYZER,
                 "fields": {"chars": {"type": "text", "analyzer": CHARS_ANALYZER,
                                      "index_options": "offsets"}}},
        "words": {"type": "text", "analyzer": "whitespace"}}}
    items = {"dynamic": False, "properties": {
        **DOC_PROPERTIES, **ITEM_TYPES, "item": {"type": "object", "enabled": False},
        "extra": engine.flat_object()}}
    meta = {"dynamic": False, "properties": {"model": KEYWORD, "dims": INTEGER}}
    out = {"documents": documents, "passages": passages, "items": items, "meta": meta}
    for kind, mapping in out.items():
        mapping["_meta"] = {"policylens_mapping": MAPPING_VERSION, "kind": kind}
    return out


def index_templates(prefix: str, engine: Engine = DEFAULT_ENGINE,
                    vectors: bool = True) -> dict[str, dict[str, Any]]:
    """``put_index_template`` bodies by template name: one template per index,
    matching exactly that index name (so prefixes never capture each other).
    ``vectors``: the passages index gets the settings a vector field needs
    (off on an OpenSearch without the k-NN plugin, which refuses them)."""
    maps = mappings(engine)
    out = {}
    for kind, name in {**index_names(prefix), "meta": meta_index(prefix)}.items():
        settings: dict[str, Any] = {"number_of_shards": 1, "analysis": analysis_settings()}
        if kind == "passages" and vectors:
            settings.update(engine.vector_settings())
        out[f"{name}-template"] = {
            "index_patterns": [name], "priority": 200,
            "template": {"settings": settings, "mappings": maps[kind]},
            "_meta": {"owner": "policylens", "kind": kind}}
    return out


# ---- filters -----------------------------------------------------------------------


def _coerce(field: str, v: Any) -> Any:
    if field in BOOLEAN_FIELDS:
        if isinstance(v, str):
            return v.strip().lower() in ("true", "1", "yes")
        return bool(v)
    return v


def flat_value(v: Any) -> str:
    """How a scalar is stored in (and compared with) the flat-object ``extra`` field."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _escape_wildcard(s: str) -> str:
    return s.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?")


def filter_clause(f: Filter, fields: dict[str, str], extra: str | None = None
                  ) -> tuple[str, dict[str, Any]]:
    """One Filter as ``("filter"|"must_not", clause)``.

    ``fields`` maps allowed names to ES fields; with ``extra`` set, other plain
    identifiers go to that flat-object field (items' less common JSON keys)."""
    name = f.field or ""
    if name in fields:
        es_field = fields[name]
    elif extra and name.isidentifier() and len(name) <= 40:
        es_field = f"{extra}.{name}"
        values = f.value if isinstance(f.value, (list, tuple, set)) else None
        f = Filter(name, f.op, [flat_value(v) for v in values] if values is not None
                   else f.value if f.value is None else flat_value(f.value))
    else:
        raise FilterError(f"未知字段 unknown field: {name!r}")
    op = (f.op or "eq").lower()
    values = f.value if op in ("in", "not_in") and isinstance(f.value, (list, tuple, set)) else [f.value]
    if not all(v is None or isinstance(v, (str, int, float, bool)) for v in values):
        raise FilterError(f"无效的筛选值 bad filter value for {name!r}: {f.value!r}")
    if op == "eq":
        if f.value is None:
            return "must_not", {"exists": {"field": es_field}}
        return "filter", {"term": {es_field: _coerce(name, f.value)}}
    if op == "ne":
        if f.value is None:
            return "filter", {"exists": {"field": es_field}}
        return "must_not", {"term": {es_field: _coerce(name, f.value)}}
    if op in _RANGE:
        return "filter", {"range": {es_field: {_RANGE[op]: f.value}}}
    if op in ("in", "not_in"):  # not_in: several ne filters of one field (filters.join_exclusions)
        return ("filter" if op == "in" else "must_not"), {"terms": {es_field: [_coerce(name, v) for v in values]}}
    if op == "contains":
        if name in NUMERIC_FIELDS or name in BOOLEAN_FIELDS:
            return "filter", {"term": {es_field: f.value}}
        return "filter", {"wildcard": {es_field: {
            "value": f"*{_escape_wildcard(str(f.value))}*", "case_insensitive": True}}}
    raise FilterError(f"未知运算符 unknown operator: {f.op!r}")


def bool_filters(filters: list[Filter], fields: dict[str, str], extra: str | None = None
                 ) -> dict[str, list[dict[str, Any]]]:
    """The filters as bool clauses. The ``term`` exclusions of one field are one
    ``terms`` clause: a comparison leaves out every document that restates
    another's money by one ``doc_id ne`` each, and past 1,024 clauses the engine
    refuses the query (``maxClauseCount``)."""
    out: dict[str, list[dict[str, Any]]] = {"filter": [], "must_not": []}
    for f in join_exclusions(filters or []):
        where, clause = filter_clause(f, fields, extra)
        out[where].append(clause)
    return out


# ---- full-text query ---------------------------------------------------------------


def form_clauses(form: str) -> list[dict[str, Any]]:
    """Ways one query form may match a passage, each an exact run of it:

    * the ``text.chars`` phrase (any run of characters, one character included);
    * the ``words`` term, when jieba (the same segmentation as at index time)
      takes the whole form as one word: whole-word matches weigh more, as in
      the SQLite store's ``words`` column;
    * the ``text`` phrase over cjk bigrams, for BM25 weight on longer forms."""
    norm = normalize(form)
    out: list[dict[str, Any]] = [{"match_phrase": {"text.chars": {"query": form}}}]
    if len(norm) > 1 and norm in word_tokens(norm):
        out.append({"term": {"words": {"value": norm, "boost": 2.0}}})
    if len(norm) > 1:
        out.append({"match_phrase": {"text": {"query": form}}})
    return out


def unit_query(forms: list[str]) -> dict[str, Any]:
    return {"bool": {"should": [c for f in forms for c in form_clauses(f)],
                     "minimum_should_match": 1}}


def search_body(pq: ParsedQuery, filters: list[Filter], size: int, offset: int = 0,
                facets: list[str] | None = None, sort: str | None = None) -> dict[str, Any] | None:
    """The search body for the passages index; ``None`` when
    nothing searchable is left (no hits, as in the SQLite store).

    A passage matches any unit (OR, so long questions find their passage) and
    every unit it matches adds to its score; a unit matches only when one of its
    forms occurs (an exact run, never scattered characters)."""
    units = [unit_query(u.forms) for u in pq.units]
    if not units:
        return None
    bf = bool_filters(filters, PASSAGE_FILTER_FIELDS)
    must_not = bf["must_not"] + [{"match_phrase": {"text.chars": {"query": x}}}
                                 for x in pq.excluded]
    query = {"bool": {"should": units, "minimum_should_match": 1, "filter": bf["filter"],
                      "must_not": must_not}}
    body: dict[str, Any] = {"query": query, "size": size, "from": offset,
                            # exact with facets, as in the SQLite store
                            "track_total_hits": True if facets else total_cap(),
                            "track_scores": True,
                            "_source": {"excludes": PASSAGE_SOURCE_EXCLUDES},
                            "highlight": highlight_request(pq)}
    if sort in ("year", "-year"):
        body["sort"] = [{"year": {"order": "desc" if sort == "-year" else "asc",
                                  "missing": "_last"}}, "_score", {"doc": "asc"}, {"idx": "asc"}]
    else:
        body["sort"] = ["_score", {"doc": "asc"}, {"idx": "asc"}]
    if facets:
        aggs = {}
        for name in facets:
            if name not in FACET_FIELDS:
                raise FilterError(f"未知分面 unknown facet: {name!r}")
            aggs[name] = {"terms": {"field": FACET_FIELDS[name], "size": 50}}
        body["aggs"] = aggs
    return body


# never sent back with a hit: the index-time tokens and the vectors
PASSAGE_SOURCE_EXCLUDES = ["words", "vec_*"]


def semantic_body(engine: Engine, field: str, model: str, vector: list[float], k: int,
                  filters: list[Filter]) -> dict[str, Any]:
    """The ``k`` passages nearest to ``vector`` among those with a vector of
    ``model`` that pass ``filters`` (the same filters as the lexical body)."""
    bf = bool_filters(filters, PASSAGE_FILTER_FIELDS)
    bf["filter"].append({"term": {"vec_model": model}})
    where = {"bool": {k_: v for k_, v in bf.items() if v}}
    body = engine.knn_body(field, vector, k, where)
    body["_source"] = {"excludes": PASSAGE_SOURCE_EXCLUDES}
    return body


def highlight_request(pq: ParsedQuery) -> dict[str, Any]:
    """Whole-passage highlighting (``number_of_fragments: 0``) of the character
    phrases only, so tags sit on exactly the matched characters."""
    phrases = [{"match_phrase": {"text.chars": {"query": f}}} for u in pq.units for f in u.forms]
    return {"pre_tags": [PRE_TAG], "post_tags": [POST_TAG], "fields": {"text.chars": {
        "type": "unified", "number_of_fragments": 0,
        "highlight_query": {"bool": {"should": phrases, "minimum_should_match": 1}}}}}


def highlight_spans(original: str, tagged: str, pre: str = PRE_TAG, post: str = POST_TAG
                    ) -> list[tuple[int, int]] | None:
    """(start, end) offsets into ``original`` of the spans ES tagged in ``tagged``
    (the whole field value with tags inserted).

    Removing the tags must give back ``original`` exactly; otherwise (a fragment,
    or a tag character inside the text) ``None`` is returned and the caller falls
    back to local highlighting. Adjacent spans are merged (the character
    analyzer tags each character of a phrase on its own)."""
    spans: list[tuple[int, int]] = []
    out: list[str] = []
    pos = 0  # offset in the original
    start: int | None = None
    i = 0
    while i < len(tagged):
        if tagged.startswith(pre, i) and start is None:
            start = pos
            i += len(pre)
        elif tagged.startswith(post, i) and start is not None:
            if pos > start:
                spans.append((start, pos))
            start = None
            i += len(post)
        else:
            out.append(tagged[i])
            pos += 1
            i += 1
    if start is not None or "".join(out) != original:
        return None
    return merge(spans)


def join_gaps(text: str, spans: list[tuple[int, int]], max_gap: int = 3) -> list[tuple[int, int]]:
    """Join tagged spans separated only by a few characters the character analyzer
    drops (spaces, line breaks, punctuation): the engine tags the characters of a
    phrase match one by one, so 一 般 公 共 预 算 or 一般公共⏎预算 is one match."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        gap = text[out[-1][1]:s] if out else ""
        if out and 0 < len(gap) <= max_gap and not any(ch.isalnum() for ch in gap):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


# ---- items and documents as ES sources ---------------------------------------------


def item_source(document: Document, item: Item, seq: int, meta: Any, starts: list[int]
                ) -> dict[str, Any]:
    """The items-index source of one item. ``json.dumps`` runs here, so an item that
    cannot be serialised fails before anything is sent."""
    d = json.loads(json.dumps(item.to_json(), ensure_ascii=False))
    i = bisect.bisect_right(starts, item.start) - 1
    passage = document.passages[i].index if i >= 0 and document.passages else None
    ctx = d.get("context") or {}
    src: dict[str, Any] = {"doc_id": document.id, "doc": document.source, "format": document.format,
                           "doc_type": meta.doc_type or None, "seq": seq, "passage": passage,
                           "org": ctx.get("org") or meta.org or None,
                           "region": ctx.get("region") or meta.region or None,
                           "year": _int(ctx.get("year")) or meta.year, "item": d}
    extra = {}
    for k, v in d.items():
        if k in ITEM_TYPES:
            if ITEM_TYPES[k] is DOUBLE or ITEM_TYPES[k] is INTEGER:
                v = _num(v)
            elif k in BOOLEAN_FIELDS:
                v = None if v is None else bool(v)
            elif isinstance(v, (dict, list)) and k != "reasons":
                continue
            src[k] = v
        elif isinstance(v, (str, int)) or (isinstance(v, float) and math.isfinite(v)):
            extra[k] = flat_value(v)
    if extra:
        src["extra"] = extra
    return src


def _pool_norms(hits: list[dict[str, Any]]) -> dict[str, str]:
    """:func:`search.hybrid.pool_norms` of the engine's lexical pool hits."""
    return pool_norms((h["_id"], h["_source"]["text"]) for h in hits)


def _num(v: Any) -> float | None:
    if isinstance(v, bool):
        return float(v)
    if isinstance(v, (int, float)) and math.isfinite(float(v)):
        return v
    return None


def _int(v: Any) -> int | None:
    try:
        return int(v) if v not in (None, "") else None
    except (TypeError, ValueError):
        return None


def document_actions(document: Document, analysis: Analysis, names: dict[str, str],
                     version: str | None = None,
                     words: Callable[[str], str] | None = None) -> list[dict[str, Any]]:
    """Bulk actions for one document: passages, items, and last the document record
    (the commit marker). ``words(text)`` gives a passage's space-joined jieba tokens
    (default: :func:`search.tokenize.word_tokens`; the benchmark passes tokens it
    computed once per sentence). Everything is serialised up front. Row ids carry the
    analysis version, so a re-analysis of the same file is written beside the
    stored rows and the stale ones are removed only afterwards."""
    meta = analysis.meta
    row_id = f"{document.id}.{version}" if version else document.id
    shared = {"doc_id": document.id, "doc": document.source, "format": document.format,
              "doc_type": meta.doc_type or None, "org": meta.org or None,
              "region": meta.region or None, "year": meta.year,
              "title": meta.title or document.title, "region_path": list(meta.region_path)}
    starts = [p.start for p in document.passages]
    items = [item_source(document, it, n, meta, starts) for n, it in enumerate(analysis.items)]
    types_at: dict[int, set[str]] = {}
    for src in items:
        if src.get("passage") is not None:
            types_at.setdefault(src["passage"], set()).add(src["type"])
    actions: list[dict[str, Any]] = []
    for p in document.passages:
        text = document.text[p.start : p.end]
        # a newspaper page's articles each carry their own org and region (as in SQLite)
        article = analysis.article_at(p.start)
        ctx = analysis.context_of(article)
        own = ({"org": ctx["org"] or None, "region": ctx["region"] or None,
                "headline": analysis.articles[article].headline or None}
               if article is not None and len(analysis.articles) > 1 else {})
        pid = f"{row_id}-p{p.index}"
        actions.append({"_index": names["passages"], "_id": pid,
                        "_source": {**shared, **own, "pid": pid, "idx": p.index, "start": p.start,
                                    "end": p.end, "page": p.page, "article": article, "text": text,
                                    "words": words(text) if words else
                                    " ".join(word_tokens(normalize(text))),
                                    "item_types": sorted(types_at.get(p.index, ()))}})
    for src in items:
        actions.append({"_index": names["items"], "_id": f"{row_id}-i{src['seq']}",
                        "_source": src})
    extra = json.loads(json.dumps(
        {"reader": document.meta,
         "pages": [[p.number, p.start, p.end, p.flag] for p in document.pages],
         "articles": [a.__dict__ for a in analysis.articles], "version": version,
         "sources": meta.sources},
        ensure_ascii=False, default=str))
    actions.append({"_index": names["documents"], "_id": document.id, "_source": {
        **shared, "path": str(document.path), "text": document.text,
        "encoding": document.encoding, "date": meta.date, "region_path": list(meta.region_path),
        "n_passages": len(document.passages), "n_items": len(analysis.items),
        "chars": len(document.text), "added_at": time.time(), "extra": extra}})
    return actions


def refused_message(engine: str, doc: str, refused: list[dict[str, Any]], sent: int,
                    outcome: str = "the document was not stored") -> str:
    """One line for the rows of a document the engine refused in a bulk request:
    the engine, the document, how many, and the first distinct reasons (the
    engine's error type and reason, e.g. a field that does not parse)."""
    reasons: list[str] = []
    for entry in refused:
        op = next(iter(entry.values()), {}) if isinstance(entry, dict) else {}
        err = op.get("error") if isinstance(op, dict) else None
        if isinstance(err, dict):
            text = f"{err.get('type', 'error')}: {err.get('reason', '')}".strip()
        else:
            text = str(err or entry)
        if text not in reasons:
            reasons.append(text)
    shown = "; ".join(r if len(r) <= 240 else r[:240] + "…" for r in reasons[:3])
    return f"{engine} refused {len(refused)} of {sent} rows of {doc}; {outcome}: {shown}"


# ---- aggregations ------------------------------------------------------------------


def metric_aggs(metric: str, fields: dict[str, str]) -> tuple[str, dict[str, Any]]:
    """(function, sub-aggregations) for ``count`` / ``sum:F`` / ``avg:F`` / ``share:F``."""
    metric = (metric or "count").strip()
    if metric == "count":
        return "count", {}
    fn, _, fld = metric.partition(":")
    if fn not in ("sum", "avg", "share") or not fld:
        raise FilterError(f"未知统计 unknown metric: {metric!r}")
    if fld not in fields:
        raise FilterError(f"未知字段 unknown field: {fld!r}")
    es_field = fields[fld]
    if fn == "share":
        return fn, {"m": {"filter": {"term": {es_field: True}}}}
    return fn, {"m": {fn: {"field": es_field}}, "n": {"value_count": {"field": es_field}}}


def aggregate_body(query: dict[str, Any], by: str, metric: str) -> tuple[str, dict[str, Any]]:
    if by not in ITEM_FILTER_FIELDS or ITEM_FILTER_FIELDS[by] == "_id":
        raise FilterError(f"未知字段 unknown field: {by!r}")
    fn, sub = metric_aggs(metric, ITEM_FILTER_FIELDS)
    field = ITEM_FILTER_FIELDS[by]
    group: dict[str, Any] = {"terms": {"field": field, "size": MAX_WINDOW}}
    missing: dict[str, Any] = {"missing": {"field": field}}
    if sub:
        group["aggs"] = sub
        missing["aggs"] = sub
    return fn, {"query": query, "size": 0, "aggs": {"groups": group, "none": missing}}


def split_aggregate_body(query: dict[str, Any], by: str, split: str, metric: str
                         ) -> tuple[str, dict[str, Any]]:
    """Items grouped by ``split`` (terms; items without a value are left out), and
    inside each split bucket by ``by`` exactly as :func:`aggregate_body` groups."""
    if split not in ITEM_FILTER_FIELDS or ITEM_FILTER_FIELDS[split] == "_id":
        raise FilterError(f"未知字段 unknown field: {split!r}")
    fn, inner = aggregate_body(query, by, metric)
    return fn, {"query": query, "size": 0, "aggs": {"splits": {
        "terms": {"field": ITEM_FILTER_FIELDS[split], "size": MAX_WINDOW},
        "aggs": inner["aggs"]}}}


def parse_split_aggregate(fn: str, by: str, split: str, response: dict[str, Any]
                          ) -> list[dict[str, Any]]:
    """Rows ``{key, split, value, count}``, ordered by split value, then as
    :func:`parse_aggregate` orders each group (the SQLite store's order)."""
    out = []
    buckets = response.get("aggregations", {}).get("splits", {}).get("buckets", [])
    for b in sorted(buckets, key=lambda b: str(_bucket_key(split, b))):
        key = _bucket_key(split, b)
        if key in (None, ""):
            continue
        out.extend({**r, "split": key} for r in parse_aggregate(fn, by, {"aggregations": b}))
    return out


def _bucket_key(field: str, bucket: dict[str, Any]) -> Any:
    key = bucket.get("key")
    if field in BOOLEAN_FIELDS:
        return int(bucket.get("key_as_string") == "true" or key in (1, True))
    return key


def _bucket_value(fn: str, bucket: dict[str, Any]) -> float | int | None:
    n = bucket.get("doc_count", 0)
    if fn == "count":
        return n
    if fn == "share":
        return (bucket["m"]["doc_count"] / n) if n else None
    if not bucket.get("n", {}).get("value"):
        return None
    return bucket["m"]["value"]


def parse_aggregate(fn: str, by: str, response: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows ``{key, value, count}`` from the aggregation response, ordered as the
    SQLite store orders them (value descending, then key)."""
    aggs = response.get("aggregations", {})
    rows = []
    for b in aggs.get("groups", {}).get("buckets", []):
        key = _bucket_key(by, b)
        rows.append({"key": key, "value": _bucket_value(fn, b), "count": b.get("doc_count", 0)})
    none = aggs.get("none", {})
    if none.get("doc_count"):
        rows.append({"key": None, "value": _bucket_value(fn, none), "count": none["doc_count"]})
    rows.sort(key=lambda r: (r["value"] is None, -(r["value"] or 0),
                             r["key"] is None, str(r["key"])))
    return rows


def parse_facets(response: dict[str, Any], names: list[str]) -> dict[str, dict[str, int]]:
    aggs = response.get("aggregations", {})
    out = {}
    for name in names:
        buckets = aggs.get(name, {}).get("buckets", [])
        out[name] = {str(b.get("key_as_string", b["key"])): b["doc_count"] for b in buckets
                     if b["key"] not in (None, "")}
    return out


# ---- the backend -------------------------------------------------------------------


class ElasticBackend(Backend):
    """``ElasticBackend(url=..., index_prefix="policylens")`` on OpenSearch 2.x/3.x or
    Elasticsearch 8/9 (read from ``GET /``). Extra keyword arguments are client
    options named as the elasticsearch client names them (``api_key``,
    ``basic_auth``, ``ca_certs``, ``verify_certs``, ``request_timeout`` ...);
    :func:`search.engines.connect` translates them for opensearch-py."""

    name = "es"

    def __init__(self, url: str, index_prefix: str = "policylens", **client_kwargs: Any) -> None:
        self.url = url
        self.prefix = index_prefix
        self.names = index_names(index_prefix)
        self.meta = meta_index(index_prefix)
        client_kwargs.pop("path", None)  # the SQLite option, meaningless here
        self.client: EngineClient = connect(url, **client_kwargs)  # BackendUnavailable
        self.engine = self.client.engine
        self.vectors = True  # can the passages index hold vectors (set by _setup)
        self._vector_fields: set[str] = set()
        try:
            self._setup()
        except BackendUnavailable:
            self.client.close()
            raise
        except Exception as err:
            self.client.close()
            raise BackendUnavailable(self.client.describe(err)) from err

    def _setup(self) -> None:
        """Templates first, then any missing index (created from its template). An
        index made by another mapping version is refused: its fields would not
        answer the queries built here."""
        if self.engine.is_opensearch:  # knn_vector and index.knn come with the k-NN plugin
            self.vectors = any("knn" in p.lower() for p in self.client.plugins())
        for name, body in index_templates(self.prefix, self.engine, self.vectors).items():
            self.client.put_template(name, body)
        for index in [*self.names.values(), self.meta]:
            if not self.client.index_exists(index):
                self.client.create_index(index)
                continue
            found = self.client.index_meta(index).get("policylens_mapping")
            if found != MAPPING_VERSION:
                raise BackendUnavailable(
                    f"{self.engine.label} {self.url}: index {index} has mapping version "
                    f"{found or 'none (older)'}, this PolicyLens needs {MAPPING_VERSION}: "
                    f"copy into a new prefix (policylens reindex --to es --prefix NEW) or "
                    f"delete the prefix's indices and ingest again")
        self._vector_fields = {k for k in self.client.mapping_properties(self.names["passages"])
                               if k.startswith("vec_")}

    def drop(self) -> None:
        """Delete this prefix's indices and templates (tests, or starting over).
        Indices are named one by one: ES 8+ refuses wildcard deletes by default."""
        self.client.delete_indices([*self.names.values(), self.meta])
        for name in index_templates(self.prefix, self.engine):
            self.client.delete_template(name)

    def close(self) -> None:
        self.client.close()

    def _holds(self, kind: str, value: Any, path: list[str]) -> bool:
        """Whether a stored document is of year ``value`` or the next, or of region
        ``value``, inside it or of a parent of it (:func:`search.understand.ground`)."""
        if kind == "year":
            query: dict[str, Any] = {"terms": {"year": [value, value + 1]}}
        else:
            query = {"bool": {"should": [{"term": {"region": value}},
                                         {"terms": {"region": parents(path)}},
                                         {"term": {"region_path": value}}],
                              "minimum_should_match": 1}}
        return self.client.count_where(self.names["documents"], query) > 0

    # ---- the store's generation ------------------------------------------------------

    def generation(self) -> int:
        """See :meth:`Backend.generation`: the ``_version`` of the meta index's
        ``generation`` row, which every write of any process rewrites after its
        change is visible (0 before the first write)."""
        return self.client.version(self.meta, "generation")

    def _bump(self) -> None:
        self.client.index(self.meta, "generation", {}, refresh=False)

    # ---- helpers -------------------------------------------------------------------

    def _scan(self, index: str, query: dict[str, Any], sort: list[Any],
              source: Any = True) -> Iterator[dict[str, Any]]:
        """Every hit of ``query`` in ``sort`` order (search_after paging, no window limit)."""
        after = None
        while True:
            body: dict[str, Any] = {"query": query, "size": SCAN_PAGE, "sort": sort,
                                    "_source": source}
            if after is not None:
                body["search_after"] = after
            hits = self.client.search(index, body)["hits"]["hits"]
            yield from hits
            if len(hits) < SCAN_PAGE:
                return
            after = hits[-1]["sort"]

    def _page(self, index: str, query: dict[str, Any], sort: list[Any], offset: int,
              limit: int, source: Any) -> tuple[list[dict[str, Any]], int]:
        """One page of hits and the exact total. Within the engine's result window this
        is one from/size request; beyond it the hits before ``offset`` are walked with
        ``search_after`` (see :func:`page_after`), so a CSV export or a deep page
        works at any depth. ``sort`` must be a total order (it ends in ids)."""
        def fetch(after: list[Any] | None, size: int, with_source: bool,
                  from_: int = 0) -> tuple[list[dict[str, Any]], int]:
            body: dict[str, Any] = {"query": query, "sort": sort, "size": size,
                                    "track_total_hits": True,
                                    "_source": source if with_source else False}
            if after is not None:
                body["search_after"] = after
            elif from_:
                body["from"] = from_
            res = self.client.search(index, body)["hits"]
            return res["hits"], res["total"]["value"]

        return page_after(fetch, offset, limit, MAX_WINDOW, SCAN_PAGE)

    def _doc_ids_at(self, path: str) -> list[str]:
        res = self.client.search(self.names["documents"], {
            "size": 100, "_source": False, "query": {"term": {"path": str(path)}}})
        return [h["_id"] for h in res["hits"]["hits"]]

    def _delete_rows(self, doc_ids: list[str], documents: bool = True) -> None:
        indices = [self.names["passages"], self.names["items"]]
        if documents:
            indices.insert(0, self.names["documents"])
        self.client.delete_by_query(indices, {"terms": {"doc_id": doc_ids}})

    # ---- writing -------------------------------------------------------------------

    def _stored_version(self, doc_id: str, path: str | None = None) -> tuple[bool, str | None]:
        """(is the document stored [at ``path``], the analysis version it was stored with)."""
        src = self.client.get_source(self.names["documents"], doc_id, ["path", "extra.version"])
        if src is None:
            return False, None
        if path is not None and src.get("path") != str(path):
            return False, None
        return True, (src.get("extra") or {}).get("version")

    def is_current(self, path: str, doc_id: str, version: str | None = None) -> bool:
        stored, stored_version = self._stored_version(doc_id, path)
        return stored and (version is None or stored_version == version)

    def _row_ids(self, doc_id: str) -> list[tuple[str, str]]:
        """(index, id) of every passage and item row of a document."""
        q = {"term": {"doc_id": doc_id}}
        return [(h["_index"], h["_id"])
                for index, key in ((self.names["passages"], "idx"), (self.names["items"], "seq"))
                for h in self._scan(index, q, [{key: "asc"}, {"start": "asc"}], source=False)]

    def _delete_ids(self, rows: list[tuple[str, str]]) -> None:
        self.client.bulk({"_op_type": "delete", "_index": i, "_id": d} for i, d in rows)

    def add(self, document: Document, analysis: Analysis,
            version: str | None = None) -> AddResult:
        """Rows first, then the document record (the commit marker), then the removal
        of what they replace. A failure before the record leaves the stored version
        as it was (the new rows are removed again); rows the engine refuses are an
        :class:`IndexingError` naming the engine, the document and the reasons."""
        stored, stored_version = self._stored_version(document.id)
        stale = stored and version is not None and stored_version != version
        if stored and not stale:
            return AddResult("unchanged", document.id)
        actions = document_actions(document, analysis, self.names, version)  # may raise: nothing sent yet
        rows, record = actions[:-1], actions[-1]
        old = [i for i in self._doc_ids_at(document.path) if i != document.id]
        new = {a["_id"] for a in rows}
        stale_rows = [r for r in self._row_ids(document.id) if r[1] not in new] if stale else []
        try:
            refused = self.client.bulk(rows)
            if refused:
                raise IndexingError(refused_message(self.engine.label, document.source, refused,
                                                    len(rows)))
            self.client.index(record["_index"], record["_id"], record["_source"])
        except Exception:
            try:
                if stale:  # the stored version stays; only the rows just written go
                    self._delete_ids([(a["_index"], a["_id"]) for a in rows])
                else:
                    self._delete_rows([document.id])  # no half document left behind
            finally:
                self._bump()  # readers may have seen the rows that are gone again
            raise
        if stale_rows:
            self._delete_ids(stale_rows)
        if old:
            self._delete_rows(old)
        self._bump()
        status = "reanalysed" if stale else "replaced" if old else "ingested"
        return AddResult(status, document.id)

    def delete_document(self, doc_id: str) -> bool:
        if not self.client.exists(self.names["documents"], doc_id):
            return False
        self._delete_rows([doc_id])
        self._bump()
        return True

    # ---- search --------------------------------------------------------------------

    def search(self, query: Query) -> SearchResult:
        """The SQLite store's ranking over the engine's lists: the lexical pool
        re-ranked by query coverage and the document boosts of query
        understanding, the k-NN list fused with it (:func:`search.hybrid.fuse`),
        identical passages collapsed, answers marked for questions."""
        from search.sqlite import rerank_score  # the same coverage boost for both stores

        limit, offset, text, names = read_search(query, FACET_FIELDS)
        pq = parse(text)
        understood = self.understood(text)
        ordered = query.sort in ("year", "-year")
        mode, warnings = resolve_mode(query.mode, ordered, self.vector_count)
        total, facets, lex, relation = 0, {f: {} for f in names}, [], "eq"
        if mode != "semantic":  # lexical first: its coverage decides whether hybrid embeds
            total, facets, lex, relation = self._lexical(pq, query, names, ordered,
                                                         offset + limit)
        norm = _pool_norms(lex)
        coverage = coverage_of_norms(pq, [norm[h["_id"]] for h in lex]) if mode == "hybrid" else 0.0
        focus = mode == "hybrid" and document_focus(
            understood, (meta_boost(understood, h["_source"]) for h in lex), pq)
        sem_mode = semantic_mode_of(mode, focus)
        found, ends_in = semantic_list(
            mode, semantics_needed(sem_mode, coverage),
            lambda: self._semantic(text, adapter_wanted(sem_mode, understood), query.filters),
            warnings)
        sem: list[dict[str, Any]] = found or []
        if mode == "semantic" and ends_in == "lexical":
            total, facets, lex, relation = self._lexical(pq, query, names, ordered, offset + limit)
            norm = _pool_norms(lex)
        mode = ends_in
        done = SearchResult([], total, facets, understood=understood.to_json(), mode=mode,
                            warnings=warnings, total_relation=relation)
        if (total == 0 and not sem) or limit == 0:
            return done
        rows = {h["_id"]: h for h in sem} | {h["_id"]: h for h in lex}  # lexical: highlights
        boost = pool_boosts(understood, {pid: h["_source"] for pid, h in rows.items()})
        lex_scored = [(rerank_score(float(h.get("_score") or 0.0), norm[h["_id"]],
                                    pq, normalize(h["_source"].get("title") or ""))
                       * boost[h["_id"]], h["_id"]) for h in lex]
        if ordered:  # listed in the engine's order (by year), not by score
            ranked = lex_scored
        else:
            lex_scored.sort(key=lambda x: -x[0])
            sem_scored = [(cosine_of_score(h["_score"]), h["_id"]) for h in sem]
            ranked = fuse_query(pq, understood, lex_scored, sem_scored, norm, coverage, boost,
                                mode)
            ranked = self._learned(pq, understood, lex, sem, rows, ranked, norm, coverage, mode)
        if relation == "eq":  # semantic hits beside the lexical matches count too
            done.total = max(total, len(ranked))
        texts = {pid: h["_source"]["text"] for pid, h in rows.items()}
        doc_of = {pid: h["_source"]["doc_id"] for pid, h in rows.items()}
        ranked, wide = page_order(pq, understood, ranked, texts, doc_of,
                                  lambda pid, n: self._following(rows, pid, n), ordered,
                                  bool(query.filters))
        whole = shown_whole(mode, focus, pq, understood,
                            ((h["_source"]["doc_id"], h["_source"]) for h in rows.values()))
        shown = collapse(ranked, texts, doc_of, norms=norm, wide=wide,
                         whole=whole)[offset : offset + limit]
        for score, pid, more in shown:
            hit = self._hit(rows[pid], pq, score)
            annotate(hit, more, pq, understood.question)
            done.hits.append(hit)
        return done

    @staticmethod
    def _learned(pq: ParsedQuery, understood: Any, lex: list[dict[str, Any]],
                 sem: list[dict[str, Any]], rows: dict[str, dict[str, Any]],
                 hand: list[tuple[float, str]], norm: dict[str, str], coverage: float,
                 mode: str) -> list[tuple[float, str]]:
        """The hand-set ranking ``hand`` re-ranked by the shipped learned model of
        ``mode`` (``corpora/search/ranker.json``), as the SQLite store does; the
        same ranking when none ships. The engine returns no vectors, so a
        lexical candidate has no cosine here (the SQLite store reads it): the
        two stores rank alike in lexical mode, and nearly so in hybrid."""
        model = ranker.model_for(mode)
        if model is None:
            return hand
        src = {pid: h["_source"] for pid, h in rows.items()}
        cands = ranker.candidates(
            pq, [(h["_id"], float(h.get("_score") or 0.0), src[h["_id"]]["text"],
                  src[h["_id"]]["doc_id"]) for h in lex],
            [(cosine_of_score(h["_score"]), h["_id"], src[h["_id"]]["text"],
              src[h["_id"]]["doc_id"]) for h in sem],
            {s["doc_id"]: s for s in src.values()}, hand,
            {pid: s.get("idx") for pid, s in src.items()})
        return ranker.rank(model, pq, understood, cands, coverage if mode == "hybrid"
                           else coverage_of_norms(pq, [norm[h["_id"]] for h in lex]))

    def _following(self, rows: dict[str, dict[str, Any]], pid: str, n: int
                   ) -> list[tuple[str, str]]:
        """(id, text) of the ``n`` passages after passage ``pid`` (one of ``rows``) in
        its document's order: a section's passages (:mod:`search.sections`). The
        hits read are added to ``rows``, which the page's hits are built from."""
        src = rows[pid]["_source"]
        body = {"size": n, "sort": [{"idx": "asc"}],
                "_source": {"excludes": PASSAGE_SOURCE_EXCLUDES},
                "query": {"bool": {"filter": [{"term": {"doc_id": src["doc_id"]}},
                                              {"range": {"idx": {"gt": src["idx"]}}}]}}}
        hits = self.client.search(self.names["passages"], body)["hits"]["hits"]
        for h in hits:
            rows.setdefault(h["_id"], h)
        return [(h["_id"], h["_source"]["text"]) for h in hits]

    def _lexical(self, pq: ParsedQuery, query: Query, names: list[str], ordered: bool,
                 want: int) -> tuple[int, dict[str, dict[str, int]], list[dict[str, Any]], str]:
        """(total, facets, lexical pool hits, total relation) from the engine's text
        search: the engine counts up to TOTAL_CAP ("gte" past it), exactly with facets."""
        limit = max(0, min(int(query.limit or 0), MAX_LIMIT))
        size = want if ordered else max(want, RERANK_POOL)
        size = min(size, MAX_WINDOW) if limit else 0  # limit 0: total and facets only
        body = search_body(pq, query.filters, size, 0, names, query.sort)
        if body is None:
            return 0, {f: {} for f in names}, [], "eq"
        res = self.client.search(self.names["passages"], body)
        total = res["hits"]["total"]
        return (total["value"], parse_facets(res, names), res["hits"]["hits"],
                total.get("relation", "eq"))

    def _hit(self, h: dict[str, Any], pq: ParsedQuery, score: float) -> Hit:
        s = h["_source"]
        text = s["text"]
        norm = normalize(text)
        # the engine tags characters, so a phrase across punctuation (“三公”经费) comes
        # back in pieces: the exact occurrences of the query forms join them again
        local = local_highlights(text, pq, norm)
        tagged = (h.get("highlight") or {}).get("text.chars")
        engine_spans = highlight_spans(text, tagged[0]) if tagged else None
        spans = (merge(join_gaps(text, engine_spans) + local) if engine_spans is not None
                 else local)
        return Hit(doc_id=s["doc_id"], doc=s["doc"], passage=s["idx"], text=text,
                   start=s["start"], end=s["end"], score=round(score, 6),
                   page=s.get("page"), highlights=spans, title=s.get("title") or "",
                   meta={"doc_type": s.get("doc_type"), "org": s.get("org"),
                         "region": s.get("region"), "year": s.get("year"),
                         "article": s.get("headline")})

    # ---- embeddings ----------------------------------------------------------------

    def _vector_meta(self) -> dict[str, Any] | None:
        """The embedding model of the store and its dimensions (the meta row)."""
        return self.client.get_source(self.meta, "vectors")

    def vector_count(self) -> int:
        """Passages with a vector of the store's model."""
        vm = self._vector_meta() if self.vectors else None
        if not vm:
            return 0
        return self.client.count_where(self.names["passages"],
                                       {"term": {"vec_model": vm["model"]}})

    def embedding_status(self) -> dict[str, Any]:
        """How much of the store is embedded, and with which model."""
        vm = self._vector_meta() or {}
        return {"model": vm.get("model"), "embedded": self.vector_count(),
                "passages": self.client.count(self.names["passages"])}

    def pending_passages(self, limit: int, after: Any = 0) -> list[tuple[str, str]]:
        """(row id, text to embed) of passages without a vector of the store's
        model, in row-id order from after ``after`` (falsy: from the start)."""
        self._require_vectors()
        vm = self._vector_meta()
        query: dict[str, Any] = ({"bool": {"must_not": {"term": {"vec_model": vm["model"]}}}}
                                 if vm else {"match_all": {}})
        body: dict[str, Any] = {"query": query, "size": max(0, int(limit)),
                                "sort": [{"pid": "asc"}], "_source": ["title", "text"]}
        if after:
            body["search_after"] = [str(after)]
        hits = self.client.search(self.names["passages"], body)["hits"]["hits"]
        return [(h["_id"], passage_input(h["_source"].get("title"), h["_source"]["text"]))
                for h in hits]

    def store_vectors(self, model: str, rowids: list[str], vecs: Any) -> None:
        """Save vectors of passages (partial updates; passages deleted meanwhile
        are skipped, as in SQLite). A new model becomes the store's model and its
        passages are embedded again (the old model's vectors no longer count).
        A zero vector (nothing to mean) marks its passage done without a vector:
        cosine fields refuse it."""
        self._require_vectors()
        import numpy as np

        vecs = np.asarray(vecs, dtype=np.float32)
        field = self._vector_field(model, int(vecs.shape[1]))
        if not len(rowids):
            return
        actions = []
        for rowid, vec in zip(rowids, vecs):
            doc: dict[str, Any] = {"vec_model": model}
            if float(np.linalg.norm(vec)) > 0:
                doc[field] = [float(x) for x in vec]
            actions.append({"_op_type": "update", "_index": self.names["passages"],
                            "_id": rowid, "doc": doc})
        refused = [e for e in self.client.bulk(actions)
                   if next(iter(e.values()), {}).get("status") != 404]
        self._bump()
        if refused:
            raise IndexingError(refused_message(self.engine.label, "passage vectors", refused,
                                                len(actions), "those vectors were not stored"))

    def _require_vectors(self) -> None:
        if not self.vectors:
            raise BackendUnavailable(f"{self.engine.label} {self.url}: the k-NN plugin is not "
                                     "installed: passage vectors cannot be stored here")

    def _vector_field(self, model: str, dims: int) -> str:
        """The passages' field for vectors of ``dims`` dimensions (mapped when first
        needed), with ``model`` recorded as the store's model."""
        field = vector_field(dims)
        if field not in self._vector_fields:
            self.client.put_mapping(self.names["passages"], {field: self.engine.vector_field(dims)})
            self._vector_fields.add(field)
        if self._vector_meta() != {"model": model, "dims": dims}:
            self.client.index(self.meta, "vectors", {"model": model, "dims": dims})
        return field

    def _semantic(self, text: str, adapt: bool, filters: list[Filter]) -> list[dict[str, Any]]:
        """The engine's hits nearest to the query that pass the filters, best first
        (the query vector through the query adapter when ``adapt``)."""
        if not any(is_word_char(c) for c in text):  # emoji or punctuation only: nothing to mean
            return []
        vm = self._vector_meta()
        if not vm:
            return []
        embedder = load_embedder()
        qvec = adapt_query(embedder.name, embedder.query(text), adapt)
        body = semantic_body(self.engine, vector_field(vm["dims"]), vm["model"],
                             [float(x) for x in qvec], SEMANTIC_POOL, filters)
        return self.client.search(self.names["passages"], body)["hits"]["hits"]

    # ---- documents -----------------------------------------------------------------

    def get_document(self, doc_id: str) -> dict[str, Any] | None:
        s = self.client.get_source(self.names["documents"], doc_id)
        if s is None:
            return None
        extra = s.get("extra") or {}
        out: dict[str, Any] = {k: s.get(k) for k in ("path", "format", "title", "text", "encoding",
                                                     "doc_type", "org", "region", "year", "date")}
        out.update(id=doc_id, doc=s.get("doc"), region_path=s.get("region_path") or [],
                   articles=extra.get("articles", []), version=extra.get("version"),
                   meta_sources=extra.get("sources", {}),
                   ocr_pages=(extra.get("reader") or {}).get("ocr_pages", []),
                   pages=[{"number": n, "start": a, "end": b, "flag": f}
                          for n, a, b, f in extra.get("pages", [])])
        q = {"term": {"doc_id": doc_id}}
        out["passages"] = [
            {k: h["_source"].get(k) for k in ("start", "end", "page", "article", "text")}
            | {"index": h["_source"]["idx"]}
            for h in self._scan(self.names["passages"], q, [{"idx": "asc"}],
                                ["idx", "start", "end", "page", "article", "text"])]
        out["items"] = [{**h["_source"]["item"], "id": h["_id"]}
                        for h in self._scan(self.names["items"], q,
                                            [{"start": "asc"}, {"seq": "asc"}], ["item"])]
        return out

    def list_documents(self, limit: int = 50, offset: int = 0,
                       filters: list[Filter] | None = None) -> tuple[list[dict[str, Any]], int]:
        limit = max(0, min(int(limit), MAX_LIMIT))
        offset = max(0, int(offset))
        bf = bool_filters(filters or [], DOC_FILTER_FIELDS)
        hits, total = self._page(self.names["documents"], {"bool": bf},
                                 [{"doc": "asc"}, {"doc_id": "asc"}], offset, limit,
                                 {"excludes": ["text", "extra"]})
        rows = []
        for h in hits:
            s = h["_source"]
            rows.append({"id": h["_id"], "doc": s.get("doc"), "path": s.get("path"),
                         "format": s.get("format"), "title": s.get("title"),
                         "doc_type": s.get("doc_type"), "org": s.get("org"),
                         "region": s.get("region"), "year": s.get("year"),
                         "passages": s.get("n_passages"), "items": s.get("n_items"),
                         "chars": s.get("chars"), "region_path": s.get("region_path") or []})
        return rows, total

    # ---- items ---------------------------------------------------------------------

    def query_items(self, query: ItemQuery) -> ItemPage:
        limit = max(0, min(int(query.limit), MAX_LIMIT))
        offset = max(0, int(query.offset))
        hits, total = self._page(self.names["items"], item_query_dsl(query),
                                 item_sort(query.sort), offset, limit,
                                 ["item", "doc_id", "doc", "passage"])
        items = [{**h["_source"]["item"], "id": h["_id"], "doc_id": h["_source"]["doc_id"],
                  "doc": h["_source"]["doc"], "passage": h["_source"].get("passage")}
                 for h in hits]
        return ItemPage(items, total)

    def aggregate_items(self, query: ItemQuery, by: str, metric: str) -> list[dict[str, Any]]:
        fn, body = aggregate_body(item_query_dsl(query), by, metric)
        res = self.client.search(self.names["items"], body)
        return parse_aggregate(fn, by, res)

    def aggregate_items_split(self, query: ItemQuery, by: str, split: str,
                              metric: str) -> list[dict[str, Any]]:
        """See :meth:`Backend.aggregate_items_split`: one two-level aggregation
        (split values, each grouped by ``by``) instead of one request per split value."""
        fn, body = split_aggregate_body(item_query_dsl(query), by, split, metric)
        res = self.client.search(self.names["items"], body)
        return parse_split_aggregate(fn, by, split, res)

    # ---- stats ---------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        count = lambda kind: self.client.count(self.names[kind])  # noqa: E731
        res = self.client.search(self.names["items"], {
            "size": 0, "aggs": {"t": {"terms": {"field": "type", "size": 100}}}})
        by_type = {b["key"]: b["doc_count"] for b in res["aggregations"]["t"]["buckets"]}
        out = {"backend": self.name, "engine": self.engine.label, "url": self.url,
               "index_prefix": self.prefix,
               "documents": count("documents"), "passages": count("passages"),
               "items": count("items"), "items_by_type": dict(sorted(by_type.items())),
               "embedded_passages": self.vector_count()}
        out["embedded_share"] = embedded_share(out["embedded_passages"], out["passages"])
        return out


Fetch = Callable[..., tuple[list[dict[str, Any]], int]]


def page_after(fetch: Fetch, offset: int, limit: int, window: int = MAX_WINDOW,
               step: int = SCAN_PAGE) -> tuple[list[dict[str, Any]], int]:
    """``limit`` hits from ``offset`` on, and the total, through ``fetch(after, size,
    with_source, from_=0) -> (hits, total)``, where every hit carries its ``sort``
    values.

    ES refuses ``from + size`` beyond its result window (10,000 by default), so a
    page inside the window is one request, and a deeper page first walks the
    earlier hits with ``search_after`` in steps of ``step`` without their source
    (sort values only), then reads the page itself. Without a point in time, a
    write between the steps may shift the page by the rows it adds or removes:
    the same guarantee as offset paging under writes."""
    if offset + limit <= window:
        hits, total = fetch(None, limit, True, from_=offset)
        return hits, total
    after: list[Any] | None = None
    skipped, total = 0, 0
    while skipped < offset:
        size = min(step, offset - skipped)
        hits, total = fetch(after, size, False)
        if not hits:
            return [], total
        skipped += len(hits)
        after = hits[-1]["sort"]
        if len(hits) < size:
            return [], total
    if limit == 0:
        return [], total
    hits, total = fetch(after, limit, True)
    return hits, total


def item_query_dsl(query: ItemQuery) -> dict[str, Any]:
    """Filters, type and substring search of an :class:`ItemQuery` as a bool query."""
    bf = bool_filters(query.filters, ITEM_FILTER_FIELDS, extra="extra")
    if query.type:
        bf["filter"].append({"term": {"type": query.type}})
    if query.text:
        needle = "*" + _escape_wildcard(str(query.text)[:200]) + "*"
        bf["filter"].append({"bool": {"minimum_should_match": 1, "should": [
            {"wildcard": {f: {"value": needle}}} for f in ("text", "name", "subject", "canonical")]}})
    return {"bool": bf}


def item_sort(sort: str | None) -> list[Any]:
    """Sort clauses: a field (``-`` for descending, missing values last), then the
    stable default order (document, position, item sequence)."""
    default: list[Any] = [{"doc": "asc"}, {"start": "asc"}, {"doc_id": "asc"}, {"seq": "asc"}]
    if not sort:
        return default
    name = sort.lstrip("-")
    if name not in ITEM_FILTER_FIELDS or name in ("item",):
        raise FilterError(f"未知字段 unknown field: {name!r}")
    field = ITEM_FILTER_FIELDS[name]
    if field == "_id":
        field = "seq"
    return [{field: {"order": "desc" if sort.startswith("-") else "asc", "missing": "_last"}},
            {"doc_id": "asc"}, {"seq": "asc"}]

"""The backend interface every store implements, and the query types it takes.

Filters are *data* (:class:`Filter`), so each backend translates them its own
way (parameterised SQL for SQLite, query DSL for Elasticsearch) and user input
is never formatted into a query string.
"""
from __future__ import annotations

import abc
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Container, TypeVar

from ingest.document import Document
from nlp.items import Analysis

if TYPE_CHECKING:
    from search.understand import Understood

MAX_LIMIT = 200
MAX_QUERY_CHARS = 500


def data_dir() -> Path:
    """The data directory: ``$POLICYLENS_DATA_DIR`` or ``./data``."""
    return Path(os.environ.get("POLICYLENS_DATA_DIR") or "data")


@dataclass(frozen=True)
class Filter:
    """``field op value``. Fields are item JSON keys (``kind``, ``value``, ``vague``,
    ``level1`` ...) or document fields (``doc``, ``doc_type``, ``org``, ``region``, ``year``)."""

    field: str
    op: str  # eq | ne | gt | gte | lt | lte | in | contains
    value: Any


@dataclass
class Query:
    """A full-text passage query."""

    text: str
    limit: int = 10
    offset: int = 0
    filters: list[Filter] = field(default_factory=list)
    facets: list[str] = field(default_factory=list)  # e.g. ["region", "doc_type", "year"]
    sort: str = "relevance"  # relevance | year | -year
    # lexical | semantic | hybrid; None: hybrid when the store holds vectors
    mode: str | None = None


@dataclass
class Hit:
    """One matching passage. ``highlights`` are (start, end) offsets into ``text``."""

    doc_id: str
    doc: str  # source file base name
    passage: int
    text: str  # the whole passage, original characters
    start: int  # offsets of the passage in the document text
    end: int
    score: float
    page: int | None = None
    highlights: list[tuple[int, int]] = field(default_factory=list)
    title: str = ""
    meta: dict[str, Any] = field(default_factory=dict)  # doc_type, org, region, year

    def to_json(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "doc_id": self.doc_id,
            "passage": self.passage,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "page": self.page,
            "score": self.score,
            "highlights": [list(h) for h in self.highlights],
            "title": self.title,
            **{k: v for k, v in self.meta.items() if v not in (None, "")},
        }


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    # how the query was read (search.understand): year, region, org, doc_type, question
    understood: dict[str, Any] = field(default_factory=dict)
    mode: str = "lexical"  # the mode that actually ran
    warnings: list[str] = field(default_factory=list)  # e.g. semantic fell back to lexical
    # "eq": ``total`` is exact; "gte": at least ``total`` passages match (see TOTAL_CAP)
    total_relation: str = "eq"

    def total_text(self) -> str:
        """The total as users read it: "共 1,234 条", or "10,000 条以上" past the cap."""
        return total_text(self.total, self.total_relation)


# Like Elasticsearch's ``track_total_hits`` default: a search counts its matches
# exactly up to this many and then says "at least". Counting every match of a
# common query over 1M passages cost as much CPU as the rest of the lexical
# search; nobody pages past 10,000 hits. Facets, when asked for, stay exact
# (they have to see every match anyway), and so does the total beside them.
TOTAL_CAP = 10_000


def total_cap() -> int:
    """TOTAL_CAP, read when a search runs (so a test can lower it)."""
    return TOTAL_CAP


def capped(count: int, cap: int) -> tuple[int, str]:
    """(total, relation) from a count taken with ``LIMIT cap + 1``."""
    return (cap, "gte") if count > cap else (count, "eq")


def total_text(total: int, relation: str) -> str:
    """"共 N 条" for an exact total, "N 条以上" for a capped one."""
    return f"{total:,} 条以上" if relation == "gte" else f"共 {total:,} 条"


@dataclass
class ItemQuery:
    """A query over extracted items (figures, goals, indicators, entities)."""

    type: str | None = None
    filters: list[Filter] = field(default_factory=list)
    text: str | None = None  # substring of the item text / name / subject
    sort: str | None = None  # field name, "-" prefix for descending
    limit: int = 50
    offset: int = 0


@dataclass
class ItemPage:
    items: list[dict[str, Any]]  # item JSON + doc_id, doc, item id, passage (index in its document)
    total: int


@dataclass
class AddResult:
    status: str  # "ingested" | "unchanged" | "replaced" | "reanalysed"
    doc_id: str


MODES = ("lexical", "semantic", "hybrid")


def resolve_mode(asked: str | None, ordered: bool,
                 vector_count: Callable[[], int]) -> tuple[str, list[str]]:
    """The mode a query runs in, and why it is not the one asked: hybrid by
    default when the store holds vectors (``vector_count()``, asked only when it
    matters), lexical otherwise; a listing sorted by year is lexical. Every
    store resolves the mode here, so they answer alike."""
    from search.filters import FilterError

    warnings: list[str] = []
    asked = (asked or "").strip().lower() or None
    if asked is not None and asked not in MODES:
        raise FilterError(f"未知检索方式 unknown mode: {asked!r} (lexical|semantic|hybrid)")
    if ordered or asked == "lexical":
        return "lexical", warnings
    if not vector_count():
        if asked:
            warnings.append("尚无语义向量，已改用关键词检索（请运行 policylens embed）"
                            " no vectors yet, lexical used (run policylens embed)")
        return "lexical", warnings
    return asked or "hybrid", warnings


SEMANTIC_FALLBACK = "语义检索不可用，已改用关键词检索 semantic search unavailable, lexical used: {}"
_List = TypeVar("_List")


def semantic_list(mode: str, needed: bool, run: Callable[[], _List],
                  warnings: list[str]) -> tuple[_List | None, str]:
    """The semantic list of a query that ``needed`` it (``run()``), and the mode the
    search ends in. A model that cannot load makes the search lexical with a warning,
    said even when this query did not need the list (the user learns it before a query
    that would). Every store calls it, so they fall back alike; a store whose mode was
    semantic runs its lexical list instead."""
    if mode == "lexical":
        return None, mode
    from search.embed import EmbeddingUnavailable, load_embedder

    try:
        if needed:
            return run(), mode
        load_embedder()
    except EmbeddingUnavailable as err:
        warnings.append(SEMANTIC_FALLBACK.format(err))
        return None, "lexical"
    return None, mode


def read_search(query: Query, facets: Container[str]) -> tuple[int, int, str, list[str]]:
    """A search query's limit (0 to ``MAX_LIMIT``), offset, text (its first
    ``MAX_QUERY_CHARS`` characters) and the facets it asks for, each one of the
    store's ``facets`` (a clear error otherwise). Every store reads a query
    here, so they cut and refuse alike."""
    from search.filters import FilterError

    limit = max(0, min(int(query.limit or 0), MAX_LIMIT))
    offset = max(0, int(query.offset or 0))
    names = list(query.facets or [])
    for name in names:
        if name not in facets:
            raise FilterError(f"未知分面 unknown facet: {name!r}")
    return limit, offset, (query.text or "")[:MAX_QUERY_CHARS], names


class Backend(abc.ABC):
    """What every store offers. The contract tests in ``tests/contract`` run
    against each configured implementation."""

    name: str = "abstract"

    @abc.abstractmethod
    def add(self, document: Document, analysis: Analysis,
            version: str | None = None) -> AddResult:
        """Store a document, its passages and items atomically.

        ``version`` names the code and rules the analysis was made with
        (:func:`search.indexing.analysis_version`). The same content again is
        ``unchanged``, unless it was stored with another version: then the new
        analysis replaces the stored one (``reanalysed``). New content for the
        same path replaces the old version (``replaced``). Whatever fails, the
        stored state before the call stays readable: never half a document."""

    @abc.abstractmethod
    def is_current(self, path: str, doc_id: str, version: str | None = None) -> bool:
        """True when ``path`` is stored with exactly this content id and, when
        ``version`` is given, was analysed with that version (skip re-analysis)."""

    @abc.abstractmethod
    def search(self, query: Query) -> SearchResult: ...

    @abc.abstractmethod
    def get_document(self, doc_id: str) -> dict[str, Any] | None:
        """Text, passages, items and metadata of one document."""

    @abc.abstractmethod
    def list_documents(self, limit: int = 50, offset: int = 0,
                       filters: list[Filter] | None = None) -> tuple[list[dict[str, Any]], int]: ...

    @abc.abstractmethod
    def query_items(self, query: ItemQuery) -> ItemPage: ...

    @abc.abstractmethod
    def aggregate_items(self, query: ItemQuery, by: str, metric: str) -> list[dict[str, Any]]:
        """Group items by a field (``org``, ``region``, ``year``, ``level1`` ...) and
        compute ``metric``: ``count``, ``sum:FIELD``, ``avg:FIELD`` or ``share:FIELD``
        (share of items whose FIELD is true)."""

    def aggregate_items_split(self, query: ItemQuery, by: str, split: str,
                              metric: str) -> list[dict[str, Any]]:
        """Like :meth:`aggregate_items`, grouped by two fields: rows ``{key,
        split, value, count}`` for every ``by`` value (``None`` included) and every
        non-empty ``split`` value (items without one are left out).

        A comparison table needs one column per fiscal role or measured noun;
        asking per column costs one pass over the items each. This default
        composes :meth:`aggregate_items` (one call per split value), so every
        backend has it; a store that can group by two fields at once overrides it."""
        out = []
        for s in self.aggregate_items(query, split, "count"):
            if s["key"] in (None, ""):
                continue
            sub = ItemQuery(type=query.type, filters=[*query.filters,
                                                      Filter(split, "eq", s["key"])],
                            text=query.text)
            out.extend({**r, "split": s["key"]} for r in self.aggregate_items(sub, by, metric))
        return out

    def vector_count(self) -> int:
        """Passages with a vector of the store's embedding model (0: none)."""
        return 0

    def semantic_ready(self) -> bool:
        """True when vectors exist and the model loads (semantic modes work)."""
        if not self.vector_count():
            return False
        from search import embed

        try:
            embed.load_embedder()
        except embed.EmbeddingUnavailable:
            return False
        return True

    def understood(self, text: str) -> "Understood":
        """What query ``text`` names (:func:`search.understand.understand`), grounded in
        this store (:func:`search.understand.ground`): a year or region no stored
        document is of is marked unheld. The search and every tool that replays its
        ranking read a query here, so they weigh the same things."""
        from search.understand import ground, understand

        return ground(understand(text), self._holds)

    def _holds(self, kind: str, value: Any, path: list[str]) -> bool:
        """Whether a stored document is of year ``value`` (or the next) or of region
        ``value`` (inside it, or of a parent of it); a store that cannot tell says yes,
        so the query is weighed as typed."""
        return True

    def generation(self) -> int | None:
        """A number that changes whenever the stored documents or items change
        (any add, replace, delete or correction), so derived data (the indexed
        places, comparison tables) can be cached until the store changes and
        never longer; ``None`` when the store cannot tell (nothing is cached)."""
        return None

    @abc.abstractmethod
    def delete_document(self, doc_id: str) -> bool: ...

    @abc.abstractmethod
    def stats(self) -> dict[str, Any]:
        """Counts of documents, passages and items (for /health and the CLI)."""

    def add_alias(self, doc_id: str, path: str) -> bool:
        """Record that the stored document ``doc_id`` also came as ``path`` (the
        same bytes under a second name); False when nothing was recorded."""
        return False

    def close(self) -> None:  # pragma: no cover - trivial default
        pass


def open_backend(kind: str | None = None, **kwargs: Any) -> Backend:
    """The configured backend: Elasticsearch when ``POLICYLENS_ES_URL`` is set
    (or ``kind == "es"``), else the embedded SQLite file in the data directory."""
    kind = kind or ("es" if os.environ.get("POLICYLENS_ES_URL") else "sqlite")
    if kind == "es":
        from search.elastic import ElasticBackend

        return ElasticBackend(url=kwargs.get("url") or os.environ["POLICYLENS_ES_URL"], **{
            k: v for k, v in kwargs.items() if k != "url"})
    from search.sqlite import SQLiteBackend

    return SQLiteBackend(kwargs.get("path") or data_dir() / "policylens.sqlite3")

"""Types of what the analysis extracts: figures, goals, indicators, entities.

Every item keeps its source: ``start``/``end`` are character offsets into the
``Document.text`` it came from, ``text`` is exactly ``doc_text[start:end]`` and
``page`` is the 1-based PDF page (``None`` for unpaged formats).

``to_json()`` gives the item as FORMAT.md (the evaluation contract) defines it:
``type``, ``start``, ``end``, ``text``, ``page`` and the type's own fields.
"""
from __future__ import annotations

import bisect
import copy
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

_ATOMS = (str, int, float, bool, type(None))


_ATOM_TYPES = frozenset(_ATOMS)
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}  # dataclass -> its field names, read once


def _plain(value: Any) -> Any:
    """``dataclasses.asdict`` without its deep copy of every string and number
    (immutable values are shared, not copied: the same result, several times
    faster on the thousands of items a long report gives). A dataclass's field
    names are read once per class, not once per item."""
    kind = type(value)
    if kind in _ATOM_TYPES:
        return value
    if kind is list:
        return [_plain(v) for v in value]
    if kind is dict:
        return {_plain(k): _plain(v) for k, v in value.items()}
    names = _FIELD_NAMES.get(kind)
    if names is None and is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(value))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, _ATOMS):
        return value
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # named tuple
        return type(value)(*[_plain(v) for v in value])
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return type(value)((_plain(k), _plain(v)) for k, v in value.items())
    return copy.deepcopy(value)


@dataclass(kw_only=True)
class Item:
    type: str
    start: int
    end: int
    text: str
    page: int | None = None
    # context filled in from the sentence or the document (organisation, region, year)
    context: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Plain dict for JSON output and storage; ``None`` fields are dropped,
        except the ones FORMAT.md asks for explicitly (``value`` may be null)."""
        d = _plain(self)
        keep_null = {"value", "page"}
        out = {k: v for k, v in d.items() if v is not None or k in keep_null}
        if not out.get("context"):
            out.pop("context", None)
        return out


@dataclass(kw_only=True)
class Figure(Item):
    """A number with its unit, normalised (money in yuan)."""

    type: str = "figure"
    kind: str  # money | percent | percent_point | count | measure | multiple
    value: float | None
    unit: str
    currency: str | None = None  # ISO 4217 code for money in another currency than 元
    qualifier: str = "exact"  # exact|about|over|under|at_least|at_most|range
    high: float | None = None  # upper end of a range
    change: str | None = None  # increase | decrease
    base: str | None = None  # 同比 / 比上年 ...
    subject: str | None = None  # what is counted or priced (项目, 资金 ...)
    sentence: str | None = None  # the source sentence, for readers and exports
    # money only: what the amount is (corpora/figures/roles.tsv) and whether a
    # total may add it (fiscal, in yuan, not a change, first statement of it)
    role: str | None = None
    in_total: bool | None = None
    # table cells: the row label, the column header and the table's unit
    row_header: str | None = None
    col_header: str | None = None
    table_unit: str | None = None


@dataclass(kw_only=True)
class Goal(Item):
    """A statement of what is to be achieved, with the vagueness review."""

    type: str = "goal"
    vague: bool
    score: float  # 0 (concrete) .. 1 (vague)
    reasons: list[str] = field(default_factory=list)
    project: str | None = None
    source: str = "text"  # text | table
    cell: str | None = None  # a spreadsheet cell's source (sheet!B3)


@dataclass(kw_only=True)
class Indicator(Item):
    """A performance indicator (table row or running text)."""

    type: str = "indicator"
    name: str
    level1: str = ""
    level2: str = ""
    comparator: str = ""
    value: float | None = None
    unit: str = ""
    target: str = ""
    actual: str | None = None
    weight: float | None = None
    score: float | None = None
    deviation: str | None = None
    project: str | None = None
    level_source: str = "table"  # table | document (the same name in another of its tables) | model
    checks: list[dict[str, str]] = field(default_factory=list)  # {rule, severity, message}
    cell: str | None = None  # a spreadsheet row's source: its name cell (sheet!C5)
    table: str | None = None  # a table row's table within the document: page and index (p3t2)


@dataclass(kw_only=True)
class Entity(Item):
    """A named thing: ``type`` is ``org``, ``region``, ``policy_ref``, ``doc_number`` or ``date``."""

    canonical: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Article:
    """One article of a newspaper page (or the whole document otherwise)."""

    index: int
    start: int
    end: int
    headline: str = ""
    byline: str = ""
    parts: list[tuple[int, int]] = field(default_factory=list)  # joined pieces (start, end)
    # what this article is about, when it differs from the page (newspaper pages)
    org: str = ""
    region: str = ""

    def contains(self, offset: int) -> bool:
        return any(s <= offset < e for s, e in (self.parts or [(self.start, self.end)]))


@dataclass
class DocumentMeta:
    """What the analysis learns about the document as a whole."""

    title: str = ""
    doc_type: str = ""  # a value of corpora/doctype/types.tsv (budget, unit_budget, law ...)
    org: str = ""
    region: str = ""
    region_path: list[str] = field(default_factory=list)  # ["山东省", "德州市", "乐陵市"]
    year: int | None = None
    date: str | None = None  # ISO date of the document itself
    # where each field came from: title | cover | issuer | body | model | manual
    sources: dict[str, str] = field(default_factory=dict)


class ArticleIndex:
    """Which article holds an offset, by binary search over the articles' parts.

    Asking each article in turn made every item and passage of a newspaper text
    cost one test per article (quadratic: thousands of articles in a long text).
    The answer is the same: the first article whose parts contain the offset."""

    def __init__(self, articles: list[Article]) -> None:
        self.articles = articles
        self.count = len(articles)
        self.spans = sorted((s, e, i) for i, a in enumerate(articles)
                            for s, e in (a.parts or [(a.start, a.end)]) if e > s)
        self.starts = [s for s, _, _ in self.spans]
        # parts of different articles never overlap (then one span can hold the
        # offset); if they did, fall back to asking every article
        self.disjoint = all(e <= s2 for (_, e, _), (s2, _, _) in zip(self.spans, self.spans[1:]))

    def __call__(self, offset: int) -> int | None:
        if not self.disjoint:
            return next((i for i, a in enumerate(self.articles) if a.contains(offset)), None)
        k = bisect.bisect_right(self.starts, offset) - 1
        if k >= 0 and offset < self.spans[k][1]:
            return self.spans[k][2]
        return None


@dataclass
class Analysis:
    """Everything the nlp layer extracts from one Document."""

    items: list[Item] = field(default_factory=list)
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    articles: list[Article] = field(default_factory=list)
    _index: ArticleIndex | None = field(default=None, init=False, repr=False, compare=False)
    # jieba's cut of the text as (start, end) rows (a numpy array), so the index
    # can reuse it instead of segmenting the same text a second time
    tokens: Any = None

    def of_type(self, *types: str) -> list[Item]:
        return [i for i in self.items if i.type in types]

    def article_at(self, offset: int) -> int | None:
        """Index of the article holding ``offset`` (``None`` when there are no articles)."""
        index = self._index
        if index is None or index.articles is not self.articles or index.count != len(self.articles):
            index = self._index = ArticleIndex(self.articles)  # built once, as articles are final
        return index(offset)

    def context_at(self, offset: int) -> dict[str, Any]:
        """Organisation, region and year at ``offset`` (see :meth:`context_of`)."""
        return self.context_of(self.article_at(offset))

    def context_of(self, i: int | None) -> dict[str, Any]:
        """Organisation, region and year of article ``i``. On a page of several
        articles the organisation is the article's own (none rather than another
        article's); the region falls back to the page's (a local paper)."""
        if i is None or len(self.articles) < 2:
            return {"org": self.meta.org, "region": self.meta.region, "year": self.meta.year}
        article = self.articles[i]
        return {"org": article.org, "region": article.region or self.meta.region,
                "year": self.meta.year}

"""Performance indicators from tables and running text.

Table rows come from ``nlp.tables`` (layout rules); this module turns them into
``Indicator`` items with offsets into ``Document.text`` (the row's name found on
its page, white space ignored), splits each target into comparator, value and
unit as written (FORMAT.md), fills missing 一级/二级 from the document's other
tables where they state the same name (``level_source="document"``), else with the
classifier in ``nlp.levels`` (``level_source="model"``), and runs the reviewer
checks of ``nlp.checks``.

Indicators stated in text (满意度达到90%以上, 自评覆盖率100%) are noun phrases
ending in an indicator suffix (``corpora/indicators/text_suffixes.txt``) with a
number right after; a result being reported (执行率为99.57%) is not a target
and is left out.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from spacy.tokens import Doc

import corpora
from ingest.document import Document
from nlp import checks, levels
from nlp.items import Indicator
from nlp.locate import Locator
from nlp.scan import anchored_matches
from nlp.tables import (IndicatorRow, Target, framework_level1, parse_tables, parse_target, placeholders,
                        unit_set)


def extract(doc: Doc, document: Document) -> list[Indicator]:
    """Indicator rows of performance-target and self-evaluation tables, and indicators in text."""
    year = _document_year(doc)
    items = from_tables(document, year=year)
    tables = [(t.start, t.end) for t in document.tables if t.start is not None and t.end is not None]
    items += from_text(document, taken=[(i.start, i.end) for i in items] + tables, year=year)
    checks.apply(items)
    return items


def _document_year(doc: Doc | None) -> int | None:
    """The year the entities step found for the document (its framework bounds the model's levels)."""
    meta = getattr(getattr(doc, "_", None), "meta", None)  # None when called without the pipeline
    return getattr(meta, "year", None)


def _number(text: str | None) -> float | None:
    if not text:
        return None
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:分)?\s*", text)
    return float(m.group(1)) if m else None


def from_tables(document: Document, locator: Locator | None = None, year: int | None = None) -> list[Indicator]:
    """One Indicator per indicator row of the document's tables.

    ``year``: the document's year, whose framework limits the levels the model may give.
    """
    if not document.tables:
        return []
    parsed = parse_tables(document.tables, document.meta.setdefault("warnings", []))
    loc = locator or Locator(document)
    rows = parsed.indicators
    stated = stated_levels(rows)
    lv = [x for table in _tables(rows) for x in _levels(table, year, stated)]
    return [it for row, x in zip(rows, lv) if (it := _item(row, document, loc, x))]


def _tables(rows: list[IndicatorRow]) -> list[list[IndicatorRow]]:
    """The rows cut into their tables (consecutive rows with the same table id), in order."""
    out: list[list[IndicatorRow]] = []
    for r in rows:
        if out and out[-1][-1].table == r.table:
            out[-1].append(r)
        else:
            out.append([r])
    return out


def _name_key(name: str) -> str:
    """A row name as the document memory matches it: no white space, stars or slot numbers."""
    return levels.clean_name(name)


def stated_levels(rows: list[IndicatorRow]) -> dict[str, tuple[str, str]]:
    """Name -> (一级, 二级) of the rows whose table states both framework levels, for names the
    document always files under the same levels (a name filed two ways is left out).

    Why: one author writes all the tables of a 部门预算 or a self-evaluation bundle, and
    files a name the same way each time (服务对象满意度, 成本控制率 …); where one of its tables
    has no level columns, the document's own choice beats what other authors did.
    """
    known, first = levels.framework_level2(), framework_level1()
    seen: dict[str, set[tuple[str, str]]] = {}
    for r in rows:
        if r.level1 in first and r.level2 in known:
            seen.setdefault(_name_key(r.name), set()).add((r.level1, r.level2))
    return {k: next(iter(v)) for k, v in seen.items() if k and len(v) == 1}


def _levels(rows: list[IndicatorRow], year: int | None = None,
            stated: dict[str, tuple[str, str]] | None = None) -> list[tuple[str, str, str]]:
    """(一级, 二级, level_source) per row of one table: the table's, the document's, or the model's.

    Rows without levels (or with a framework 一级 only) take the levels the document's other
    tables state for the same name (``stated_levels``, source ``document``, where they agree
    with a 一级 the row has); the rest are decoded together with their neighbours in the same
    table, whose 二级 (stated or the document's) anchor them: tables list rows in framework
    order, and a new table starts that order again.
    """
    stated = stated or {}
    need = [not r.level1 or (not r.level2 and r.level1 in framework_level1()) for r in rows]
    if not any(need):
        return [(r.level1, r.level2, "table") for r in rows]
    memo = [stated.get(_name_key(r.name)) if n else None for r, n in zip(rows, need)]
    memo = [m if m and (not r.level1 or r.level1 == m[0]) else None for r, m in zip(rows, memo)]
    pred = levels.predict_rows([(r.name, levels.target_with_unit(r.target, unit_as_written(r.unit)),
                                 m[0] if m else r.level1, m[1] if m else "" if n else r.level2)
                                for r, n, m in zip(rows, need, memo)], year=year)
    return [(p[0], p[1], "document" if m else "model") if n else (r.level1, r.level2, "table")
            for r, n, m, p in zip(rows, need, memo, pred)]


def _item(row: IndicatorRow, document: Document, loc: Locator, lv: tuple[str, str, str]) -> Indicator | None:
    span = loc.find(row.name, row.page)
    if span is None:
        return None
    start, end = span
    if row.target:
        after = loc.find_after(row.target, end, limit=200)
        if after:
            end = after[1]
    # separate columns (计算符号/指标性质/指标方向 | 指标值 | 计量单位): the comparator column
    # gives the comparator unless the value cell has its own (≤5), the unit column the unit as written
    unit = unit_as_written(row.unit)
    t = parse_target(f"{row.target}{unit}" if unit and not row.target.endswith(unit) else row.target,
                     unit_hint=unit, comparator_hint=_comparator_symbol(row.comparator))
    own = parse_target(row.target).unit if unit and row.target else ""
    if unit and t.value is not None:
        t.unit = own or unit  # the cell's own unit (5人/10万人) is more precise than its column's (%)
    if t.value is not None:
        _from_name_note(row, t)
    if t.value is not None and not t.unit:
        t.unit = row.header_unit  # 指标值（%） | 95: the column's header states the unit
    level1, level2, source = lv
    return Indicator(
        start=start, end=end, text=document.text[start:end], page=row.page,
        name=row.name, level1=level1, level2=level2,
        comparator=t.comparator, value=t.value, unit=t.unit, target=row.target,
        actual=row.actual, weight=_number(row.weight), score=_number(row.score),
        deviation=row.deviation, project=row.project, level_source=source, cell=row.cell,
        table=row.table or None,
    )


NAME_NOTE = re.compile(r"[（(]\s*(?P<cmp>≥|≤|>=|<=|>|<|＞|＜)?\s*(?:\*+|[xX×]+)?\s*(?P<unit>[^（）()\d*]{1,6})\s*[)）]$")
EXPLICIT = re.compile(r"[=＝≥≤><＞＜]|不|以上|以下|以内|至少|超过|低于|高于")


def _from_name_note(row: IndicatorRow, t: Target) -> None:
    """Unit and comparator a name states in brackets when the target cell has none.

    Forms put the unit (and the direction) in the name: 实施营造林总面积(亩) | 80000,
    苗木成活率(≥**%) | 85, 项目总投入(≥**万元) | 6070.
    """
    m = NAME_NOTE.search(re.sub(r"\s+", "", row.name))
    if not m or m.group("unit") not in unit_set():
        return
    if not t.unit:
        t.unit = m.group("unit")
    if m.group("cmp") and t.comparator == "=" and not EXPLICIT.search(row.target or "") and not row.comparator:
        t.comparator = parse_target(m.group("cmp") + "1").comparator


def _comparator_symbol(cell: str) -> str:
    """The comparator a comparator column's cell states: ≥, ≤ …, or 正向/反向 (directions.tsv)."""
    if not cell:
        return ""
    sq = re.sub(r"\s+", "", cell)
    for pattern, symbol in directions():
        if pattern.search(sq):
            return symbol
    t = parse_target(f"{cell}1")
    return t.comparator if t.comparator != "=" or re.search(r"[=＝]|等于", cell) else ""


@functools.lru_cache(maxsize=1)
def directions() -> list[tuple[re.Pattern[str], str]]:
    out = []
    for line in corpora.read_lines("indicators", "directions.tsv"):
        pattern, _, symbol = line.partition("\t")
        out.append((re.compile(pattern), symbol.strip()))
    return out


def unit_as_written(cell: str | None) -> str:
    """A unit column's cell as written (台（套）, 万人次), outer brackets dropped, ％ as %; a cell that is
    only a number (a spreadsheet date serial 44,561 copied into the unit column) names no unit."""
    u = re.sub(r"\s+", "", cell or "")
    if u in placeholders() or re.fullmatch(r"[\d.,，]+", u):
        return ""
    m = re.fullmatch(r"[（(](.+)[)）]", u)
    if m and not re.search(r"[（(]", m.group(1)):
        u = m.group(1)
    return "%" if u == "％" else u


# ---- running text -----------------------------------------------------------------------

STOP_BEFORE = "的和与及使让将把对在了为到是其中均各年、，,。；;：:（）()“”\"《》"


NAME_HEAD = 10  # at most this many characters before a name's ending (率/度 word)


@functools.lru_cache(maxsize=1)
def _suffixes() -> str:
    return "|".join(re.escape(s) for s in sorted(corpora.read_lines("indicators", "text_suffixes.txt"),
                                                 key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _suffix_pattern() -> re.Pattern[str]:
    return re.compile(_suffixes())


@functools.lru_cache(maxsize=1)
def _text_pattern() -> re.Pattern[str]:
    suffixes = _suffixes()
    return re.compile(
        rf"(?P<name>[\u4e00-\u9fff]{{0,{NAME_HEAD}}}(?:{suffixes}))"
        rf"(?P<target>(?:要|应|须|需|必须|力争|确保|保持|稳定)?(?:达到|达|不低于|不少于|不高于|不超过|保持在|控制在|超过|高于|≥|≤|>|<|=)?"
        rf"\s*\d+(?:\.\d+)?\s*(?:%|％|个百分点)(?:以上|以下|以内|及以上|左右)?)"
    )


def _text_matches(text: str) -> Iterator[re.Match[str]]:
    """``_text_pattern().finditer(text)``, match for match, trying the pattern only near an ending.

    Why: a match holds an ending (满意度, 覆盖率 ...) at most ``NAME_HEAD`` characters after its
    start, so no other place can start one; trying each place of a 100k-character text cost
    more than the rest of the step (:func:`nlp.scan.anchored_matches`).
    """
    return anchored_matches(_text_pattern(), _suffix_pattern(), text,
                            lambda _, e: (e.start() - NAME_HEAD, e.start() + 1))


def from_text(document: Document, taken: list[tuple[int, int]] | None = None,
              year: int | None = None) -> list[Indicator]:
    """Indicators stated in running text: ``<name ending in 率/度…><comparator><number>%``;
    their levels come from the model, within the framework of ``year``."""
    taken = taken or []
    out: list[Indicator] = []
    text = document.text
    for m in _text_matches(text):
        name = m.group("name")
        cut = max((name.rfind(ch) for ch in STOP_BEFORE), default=-1)
        name = name[cut + 1:]
        if len(name) < 3:
            continue
        target = m.group("target")
        if re.match(r"(?:为|是)", text[m.start("target"): m.start("target") + 1]):
            continue
        start = m.start("name") + (len(m.group("name")) - len(name))
        end = m.end()
        if any(s < end and start < e for s, e in taken):
            continue
        t = parse_target(target)
        if re.match(r"(?:要|应|须|需|必须|力争|确保|保持|稳定)?(?:达到|达)", target) and t.comparator == "=":
            t.comparator = "≥" if re.search(r"以上", target) else "="
        level1, level2 = levels.predict(name, target=target, year=year)
        out.append(Indicator(
            start=start, end=end, text=text[start:end], page=document.page_at(start),
            name=name, level1=level1, level2=level2, comparator=t.comparator,
            value=t.value, unit=t.unit, target=target.strip(), level_source="model",
        ))
        taken.append((start, end))
    return out

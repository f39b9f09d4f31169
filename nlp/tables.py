"""Goal and indicator tables: from rows of cells to indicator rows and goal cells.

Why a separate module: performance-target tables (绩效目标表 / 绩效目标填报表)
and self-evaluation tables (绩效自评表) come in many layouts. Everything that
depends on the layout lives here; ``nlp.indicators`` and ``nlp.goals`` only
turn the parsed rows into items with offsets.

Layout facts handled (domain.md 1.4, 3.1):
- columns are read by what they mean, not by position: each header cell gets a
  role from the column-role vocabulary ``corpora/indicators/headers.tsv``
  (三级指标/指标名称, 指标值/年度指标值, 指标性质/指标方向/计算符号, 计量单位/
  度量单位, 实际完成值, 分值, 得分, 偏差原因, 完成情况, 指标解释 ...);
- a header may take two rows (绩效指标 over 一级 | 二级 | 三级): consecutive
  header rows are merged column by column;
- a table continuing on the next page repeats its header or not; either way
  the 一级/二级 of the rows above carry on;
- merged cells are empty on continuation rows: 一级/二级 inherit from above;
- cells wrapped across lines are joined; a row with no name but a target is
  the wrapped tail of the row above;
- 成本指标 is accepted as 一级 or as 二级 under 产出指标;
- ``产出指标(50分)`` style weights in level cells are dropped;
- bad tables (no header, one column, unknown columns, an over-long name cell)
  are read as far as they can be or skipped, with a reason in ``warnings``.
"""
from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import corpora
from ingest.document import Table

log = logging.getLogger(__name__)
# a note in brackets after a level name: its weight (50分) or a form's remark (必填硬性指标, 选填)
WEIGHT_SUFFIX = re.compile(r"[（(][^（）()]{0,12}[)）]$")


def clean_cell(cell: str | None) -> str:
    """A cell's text with wrapped lines joined (PDF cells break inside words)."""
    if not cell:
        return ""
    lines = [ln.strip() for ln in str(cell).splitlines()]
    out = ""
    for ln in lines:
        if out and re.search(r"[A-Za-z0-9]$", out) and re.match(r"[A-Za-z0-9]", ln):
            out += " "
        out += ln
    return out.strip()


def squash(text: str) -> str:
    """``text`` without any white space. (``str.split`` cuts at the characters ``\\s`` matches: same result as
    removing ``\\s+`` by regex, in a fraction of the time; every header and goal cell passes here.)"""
    return "".join(text.split()) if text else ""


# ---- vocabularies ----------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    name: str
    depth: int  # 1 or 2
    parent: str
    pattern: re.Pattern[str]


@functools.lru_cache(maxsize=1)
def levels() -> list[Level]:
    out = []
    for line in corpora.read_lines("indicators", "levels.tsv"):
        name, depth, parent, pattern = (line.split("\t") + ["", "", ""])[:4]
        out.append(Level(name, int(depth), parent, re.compile(pattern)))
    return out


def level_of(cell: str, depth: int) -> str | None:
    """Canonical level name for a level cell (``None`` when not a known level)."""
    text = re.sub(r"等$", "", WEIGHT_SUFFIX.sub("", squash(cell)))  # 服务对象满意度指标等
    for lv in levels():
        if lv.depth == depth and lv.pattern.search(text):
            return lv.name
    return None


def framework_level1() -> set[str]:
    return {lv.name for lv in levels() if lv.depth == 1}


def parent_of(level2: str) -> str:
    """The 一级 a 二级 belongs to ('' when unknown)."""
    for lv in levels():
        if lv.depth == 2 and lv.name == level2:
            return lv.parent
    return ""


@functools.lru_cache(maxsize=1)
def header_patterns() -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for line in corpora.read_lines("indicators", "headers.tsv"):
        fld, pattern = line.split("\t", 1)
        out.append((fld, re.compile(pattern)))
    return out


@functools.lru_cache(maxsize=1)
def skip_rows() -> list[re.Pattern[str]]:
    return [re.compile(p) for p in corpora.read_lines("indicators", "skip_rows.txt")]


@functools.lru_cache(maxsize=1)
def slot_names() -> list[re.Pattern[str]]:
    return [re.compile(p) for p in corpora.read_lines("indicators", "slot_names.txt")]


@functools.lru_cache(maxsize=1)
def goal_headers() -> list[str]:
    return sorted(corpora.read_lines("goals", "table_headers.txt"), key=len, reverse=True)


@functools.lru_cache(maxsize=1)
def units() -> list[str]:
    return sorted(set(corpora.read_lines("indicators", "units.txt")), key=len, reverse=True)


@functools.lru_cache(maxsize=1)
def unit_set() -> frozenset[str]:
    """:func:`units` for membership tests (is this text a unit as written?)."""
    return frozenset(units())


def _symbol_rules(name: str, anchored: str) -> list[tuple[re.Pattern[str], str]]:
    """``PATTERN<TAB>SYMBOL`` lines of ``corpora/indicators/NAME``, each pattern placed in ``anchored``."""
    return [(re.compile(anchored.format(pattern)), symbol)
            for pattern, symbol in (line.rsplit("\t", 1) for line in corpora.read_lines("indicators", name))]


@functools.lru_cache(maxsize=1)
def comparators() -> list[tuple[re.Pattern[str], str]]:
    """Comparator words that end the text before a value (不低于, ≥)."""
    return _symbol_rules("comparators.tsv", "(?:{})$")


@functools.lru_cache(maxsize=1)
def comparator_suffixes() -> list[tuple[re.Pattern[str], str]]:
    """Comparator words that start the text after a value (以上, 以内)."""
    return _symbol_rules("comparator_suffixes.tsv", "^(?:{})")


YEAR = re.compile(r"(?:19|20)\d\d")  # a number read as a year (2021年, 2021-03, 2021起), not a count


@functools.lru_cache(maxsize=1)
def not_units() -> frozenset[str]:
    return frozenset(corpora.read_lines("indicators", "not_units.txt"))


def _closing_counter(after: str, number: str) -> str:
    """One Chinese character that closes the cell right after the number (≥100组, 168起): its unit
    as written, unless it is a word that is no unit (10余, 3个以上 are read elsewhere) or the number
    is a year (2021起, 2023止: from or until a date, not a count)."""
    m = re.fullmatch(r"\s*([\u4e00-\u9fff])\s*[。.;；]?\s*", after)
    if not m or m.group(1) in not_units() or YEAR.fullmatch(number):
        return ""
    return m.group(1)


@functools.lru_cache(maxsize=1)
def placeholders() -> set[str]:
    return set(corpora.read_lines("indicators", "placeholders.txt"))


# ---- targets ------------------------------------------------------------------------

NUM = re.compile(r"(?<![\d.])(\d+(?:,\d{3})*(?:\.\d+)?)")
DATE = re.compile(r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*(?:[-/.月]\s*(?:\d{1,2}(?!\d)\s*[日号]?)?)?")
# a span of months (1-12月, 3至5月): a period of the year, not a quantity
MONTHS = re.compile(r"\s*(?:-|~|～|至|到|—)\s*\d{1,2}\s*月(?!\d)")


@dataclass
class Target:
    """A target as written, split into comparator, value and unit (FORMAT.md)."""

    comparator: str = ""
    value: float | None = None
    unit: str = ""


def _is_date(text: str, m: re.Match[str]) -> bool:
    num, after = m.group(1), text[m.end(): m.end() + 3].lstrip()
    if YEAR.fullmatch(num) and after.startswith("年"):
        return True
    if after.startswith("月") and re.match(r"月\s*(?:\d|底|份|末|前|中|上|下)", after):
        return True
    if after.startswith("日") and re.search(r"月\s*$", text[: m.start()]):
        return True
    if after.startswith(("-", "/")) and YEAR.fullmatch(num):
        return True
    if re.fullmatch(r"\d{1,2}", num) and MONTHS.match(text[m.end():]):
        return True
    if after.startswith("月") and re.search(r"\d{1,2}\s*(?:-|~|～|至|到|—)\s*$", text[: m.start()]):
        return True  # the end of a span of months (1-12月)
    return False


PER_PERIOD = re.compile(r"[·•*×]\s*(?:月|年|日|天|次)")  # the period closing a rate (元/人·月)


def parse_target(text: str, unit_hint: str = "", comparator_hint: str = "") -> Target:
    """Comparator, value and unit of a target as written.

    ``≤30万元`` -> (≤, 30, 万元); ``=5.00(万人次)`` -> (=, 5, 万人次);
    ``不低于50%`` -> (≥, 50, %); ``开展至少1次…`` -> (≥, 1, 次); a bare number
    is ``=``; a deadline (``12月底前``) or a qualitative target has no value.
    """
    t = (text or "").strip()
    if not t or t in placeholders():
        return Target()
    for m in NUM.finditer(DATE.sub(lambda d: " " * len(d.group(0)), t)):
        if _is_date(t, m):
            continue
        value = float(m.group(1).replace(",", ""))
        after = t[m.end():]
        unit = ""
        rng = re.match(r"\s*[%％]?\s*(?:至|~|～|-|—|到)\s*\d+(?:\.\d+)?", after)
        if rng:  # a range (3至5年, 5%~10%): the value is the low end, the unit the high end's
            after = after[rng.end():]
        um = re.match(r"\s*[（(]\s*([^()（）]{1,8}?)\s*[)）]", after)
        if um:
            unit, after = um.group(1), after[um.end():]
        else:
            stripped = after.lstrip()
            for u in units():
                if stripped.startswith(u):
                    unit, after = u, stripped[len(u):]
                    # a counting word in brackets belongs to the unit as written: 台（套）, 个（家）
                    q = re.match(r"[（(]([\u4e00-\u9fff]{1,2})[)）]", after)
                    if q and q.group(1) in unit_set():
                        unit, after = unit + q.group(0), after[q.end():]
                    per = _per_unit(after)
                    if per:  # a rate as written: 元/个, 人/次, 人/10万人
                        unit, after = unit + per, after[len(per):]
                    period = PER_PERIOD.match(after) if "/" in unit else None
                    if period:  # per head and period as written: 元/人·月, 元/户*年
                        unit, after = unit + period.group(0), after[period.end():]
                    break
        if not unit and not um:
            unit = _closing_counter(after, m.group(1))
            after = "" if unit else after
        if not unit:
            lat = re.match(r"\s*([A-Za-z]{1,4}(?:/[A-Za-z]{1,3})?)(?![A-Za-z])", after)
            if lat:  # a Latin unit as written (80M, 5km, 100Mbps)
                unit, after = lat.group(1), after[lat.end():]
        if unit == "％":
            unit = "%"
        if unit.startswith("个") and unit == "个百分点":
            unit = "百分点"
        before = t[: m.start()].rstrip()
        comparator = ""
        for pattern, symbol in comparators():
            if pattern.search(before):
                comparator = symbol
                break
        if not comparator:
            for pattern, symbol in comparator_suffixes():
                if pattern.search(after.lstrip()):
                    comparator = symbol
                    break
        if not comparator:
            # a word comparator a few characters before the number (不低于50人次的…)
            window = before[-6:]
            for pattern, symbol in comparators():
                inner = pattern.pattern[3:-2]  # strip (?: )$
                if re.search(inner, window) and not re.fullmatch(r"[=＝]", inner):
                    comparator = symbol
                    break
        return Target(comparator or comparator_hint or "=", value, unit or unit_hint)
    return _chinese_numeral_target(t)


def _per_unit(after: str) -> str:
    """``/次``, ``/10万人`` after a unit when what follows the slash is a unit too ('' otherwise)."""
    m = re.match(r"[/／]\s*(\d+(?:\.\d+)?)?\s*", after)
    if not m:
        return ""
    rest = after[m.end():]
    u = next((u for u in units() if rest.startswith(u)), "")
    if not u and not m.group(1):  # an unlisted measure closing the cell (元/羽, 元/平): as written
        c = re.fullmatch(r"([\u4e00-\u9fff]{1,2})\s*[。.;；]?\s*", rest)
        u = c.group(1) if c and not set(c.group(1)) & not_units() else ""
    return after[: m.end()] + u if u else ""


def _chinese_numeral_target(t: str) -> Target:
    """A target written in Chinese numerals (开展不少于两次) — only with a unit after it."""
    from nlp.numbers import try_parse

    unit_alt = "|".join(re.escape(u) for u in units())
    for m in re.finditer(rf"([零〇一二两三四五六七八九十百千万]+)\s*({unit_alt})", t):
        if m.start() > 0 and t[m.start() - 1] == "第":
            continue  # an ordinal
        value = try_parse(m.group(1))
        if value is None:
            continue
        before, after = t[: m.start()].rstrip(), t[m.end():]
        comparator = next((sym for pat, sym in comparators() if pat.search(before)), "")
        if not comparator:
            comparator = next((sym for pat, sym in comparator_suffixes() if pat.search(after.lstrip())), "=")
        return Target(comparator, value, m.group(2))
    return Target(comparator="", value=None, unit="")


# ---- tables ---------------------------------------------------------------------------


@dataclass
class IndicatorRow:
    """One indicator row of a table, cells cleaned, levels inherited."""

    page: int
    name: str
    level1: str = ""
    level2: str = ""
    target: str = ""
    comparator: str = ""
    unit: str = ""
    actual: str | None = None
    weight: str | None = None
    score: str | None = None
    deviation: str | None = None
    project: str | None = None
    table_kind: str = "target"  # target | self_evaluation
    level_from_table: bool = True
    cell: str | None = None  # the name cell's source in a spreadsheet (sheet!C5)
    table: str = ""  # the table it belongs to (table_id): rows of one table are decoded together
    header_unit: str = ""  # the unit its target column's header states (指标值（%）), for a cell without one


@dataclass
class GoalCell:
    """A goal written in a goal-table cell (年度总体目标, 预期目标 ...)."""

    page: int
    text: str
    header: str
    project: str | None = None
    cell: str | None = None  # the cell's source in a spreadsheet (sheet!B3)


@dataclass
class TableParse:
    indicators: list[IndicatorRow] = field(default_factory=list)
    goals: list[GoalCell] = field(default_factory=list)


HEADER_CHARS = 16  # a header cell is short: a longer cell is a value or a note, never a column's role or a place


def _roles(cells: Sequence[str]) -> dict[str, int]:
    """Column index of each role named by a cell of ``cells`` (first cell per role)."""
    found: dict[str, int] = {}
    for i, c in enumerate(cells):
        text = squash(c)
        if not text or len(text) > HEADER_CHARS:
            continue
        for fld, pattern in header_patterns():
            if pattern.search(text):
                if fld == "comparator" and fld in found:
                    fld = "comparator_alt"  # 指标性质 | 指标方向 side by side: one holds 正向, the other =
                found.setdefault(fld, i)
                break
    for second in ("target_weak", "target_part"):  # a target column only where no column names the target
        col = found.pop(second, None)
        if col is not None and "target" not in found:
            found["target"] = col
    alt = found.pop("name_alt", None)
    if alt is not None and "name" not in found and "target" in found \
            and alt > max(found.get("level1", -1), found.get("level2", -1)):
        # 考核指标 | 指标值: another form's word for the name column; left of the level columns it heads them,
        # and without a target beside it, it is a merged label on a row of values (绩效指标 | 产出指标 | …).
        # The mark stays: over a second header row (一级 | 二级 | 三级) the word heads the levels instead
        found["name"] = found["name_alt"] = alt
    weak = found.pop("name_weak", None)
    if weak is not None and "name" not in found and "target" in found and weak < found["target"] \
            and "level1" not in found and "level2" not in found:
        # 项目 | 指标值 with no level columns: a tree whose levels are heading rows among the names
        found["name"] = found["levels_in_rows"] = weak
    if "target" not in found and "name" in found:
        place = _first_unnamed_column(cells, found)
        if place is not None:
            found["target"] = place
    if "name" not in found and "level2" in found and "target" in found:
        # 一级指标 | 二级指标 | 目标值 with no 三级 column: the levels sit one column to the left
        # (the 一级 column holds 数量指标 …, the 二级 column the indicator names)
        found["name"] = found.pop("level2")
        if "level1" in found:
            found["level2"] = found.pop("level1")
    return found


def _first_unnamed_column(cells: Sequence[str], found: dict[str, int]) -> int | None:
    """The first column right of the names whose header names no role: the target where a table
    gives one target column per place (指标方向 | 笏石街道办 | 埭头镇, 西坪镇尧山村 | 桃舟乡吾培村 …),
    as transfer-payment forms split a county's target by township; it is read only when no column
    names the target."""
    taken = set(found.values())
    for i in range(found["name"] + 1, len(cells)):
        text = squash(cells[i])
        if i in taken or not text or len(text) > HEADER_CHARS or re.search(r"\d", text):
            continue
        if not any(pattern.search(text) for _, pattern in header_patterns()):
            return i
    return None


def _complete(found: dict[str, int]) -> bool:
    return "name" in found and ("target" in found or "level1" in found)


def _header_map(cells: Sequence[str]) -> dict[str, int]:
    """Column index of each field when ``cells`` is an indicator header row."""
    found = _roles(cells)
    return found if _complete(found) else {}


def _unknown_columns(cells: Sequence[str]) -> list[str]:
    """Header cells that name no known column role."""
    return [squash(c) for c in cells if squash(c) and not _roles([c])]


def _goal_header(cell: str) -> str | None:
    text = squash(cell)
    for h in goal_headers():
        if text == h or (text.startswith(h) and len(text) <= len(h) + 6 and not re.search(r"[，。；]", text)):
            return h
    return None


def _is_bare_quantity(text: str) -> bool:
    """A cell that is only a quantity (10分, ≥95%, 30万元, 42): a value or a score, never a name."""
    m = re.fullmatch(r"[≥≤<>=＞＜＝]{0,2}\d+(?:\.\d+)?(.*)", text)
    return bool(m) and (m.group(1) == "" or m.group(1) in unit_set())


def _indicator_cell(st: "_State", i: int, longer: bool) -> bool:
    """A cell of an indicator row under the header being read, though its words start like a goal
    cell's: under 一级/二级 it is a level (二级 绩效目标 under 决策 in an evaluation framework); under the
    name column, a name that only starts with such a word (绩效目标合理性)."""
    if st.header is None:
        return False
    return i in (st.header.get("level1"), st.header.get("level2")) or (longer and i == st.header.get("name"))


COMPARATOR_SIGN = re.compile(r"[≥≤<>=＞＜＝≧≦]{1,2}")  # a comparator cell that is a sign only (≥, <=, =)


def _comparator_cell(cells: Sequence[str], h: dict[str, int]) -> str:
    """The row's comparator cell; of two comparator columns (指标性质 正向 | 指标方向 =), the one that
    holds a comparator sign, since a sign states the target's comparison where 正向 only implies one."""
    first, alt = _value(cells, h.get("comparator")), _value(cells, h.get("comparator_alt"))
    if alt and COMPARATOR_SIGN.fullmatch(squash(alt)) and not COMPARATOR_SIGN.fullmatch(squash(first)):
        return alt
    return first or alt


def _value(cells: Sequence[str], idx: int | None) -> str:
    if idx is None or idx >= len(cells):
        return ""
    return cells[idx]


def _is_goal_text(text: str) -> bool:
    return len(squash(text)) >= 4 and _goal_header(text) is None and not _header_map([text])


class _State:
    """Parsing state carried across the tables of one document (page continuations)."""

    def __init__(self) -> None:
        self.header: dict[str, int] | None = None
        self.ncols = 0
        self.last_page = 0
        self.level1 = ""
        self.level2 = ""
        self.project: str | None = None
        self.kind = "target"
        self.last_row: IndicatorRow | None = None  # a wrapped tail joins this row
        self.header_row = False  # the row before was a header row (a second one merges)
        self.pending: dict[str, int] = {}  # the roles of that header row
        self.table_id = ""  # the id of the table being read (kept by its continuations)
        self.table_at = (0, 0)  # the current table object: its page and its index on that page
        self.headers_in_table = 0  # headers that started a table in the current table object
        self.target_unit = ""  # the unit the target column's header states (目标值（万元）)
        self.pending_unit = ""  # that of the first row of a two-row header


def parse_tables(tables: Iterable[Table], warnings: list[str] | None = None) -> TableParse:
    """Indicator rows and goal cells of all the tables of one document, in order.

    ``warnings`` (the document's) receives one line per table or row that could
    not be read, with the reason.
    """
    out = TableParse()
    st = _State()
    notes: list[str] = []
    on_page: dict[int, int] = {}
    for table in tables:
        page = getattr(table, "page", 0)
        on_page[page] = on_page.get(page, 0) + 1
        st.table_at, st.headers_in_table = (page, on_page[page]), 0
        try:
            _parse_table(table, st, out, notes)
        except (TypeError, ValueError, IndexError, AttributeError, KeyError) as err:
            # a malformed table must not stop the document's analysis: skip it, say so
            log.warning("table on page %s skipped: %s", getattr(table, "page", "?"), err)
            notes.append(f"第{getattr(table, 'page', '?')}页表格无法读取，已跳过：{type(err).__name__}")
            st = _State()
    if warnings is not None:
        warnings.extend(n for n in notes if n not in warnings)
    return out


def table_id(page: int, index: int, part: int = 1) -> str:
    """A table's id within its document: page (or sheet) and index on that page (``p3t2``).

    Why: the level classifier decodes the rows of one table together (tables list their
    rows in framework order), so it must know where a table starts and ends. A table
    continued on the next page keeps the id of its first part; a second header inside
    one table object starts a new table (``p3t2.2``).
    """
    return f"p{page}t{index}" + (f".{part}" if part > 1 else "")


def _starts_table(st: _State, table: Table, r: int, prev: dict[str, int] | None, roles: dict[str, int],
                  repeated: bool) -> bool:
    """Whether the header just read (at row ``r``) starts a new table, for the table id.

    A header at the top of a table object starts one, unless it repeats the header at the
    top of the next page's part of a PDF table; the same header again further down is the
    next section of the same table (效益 under 产出); another header further down starts one.
    A sheet, or a .docx table (all on "page" 1), is never the next page's part of another.
    """
    if not st.table_id:
        return True
    if r <= 1:
        next_page_part = repeated and table.page == st.last_page + 1 and table.cell_refs is None
        return not next_page_part
    return prev != roles


def _table_kind(table: Table, rows: list[list[str]]) -> str | None:
    head = squash(table.caption) + "".join(squash(c) for r in rows[:3] for c in r)
    if "自评" in head:
        return "self_evaluation"
    if "绩效目标" in head:
        return "target"
    return None


MAX_NAME_CHARS = 200  # a longer "name" cell is a paragraph, not an indicator


def _looks_like_indicators(table: Table, rows: list[list[str]]) -> bool:
    return bool(_table_kind(table, rows)) or any("指标" in c for r in rows[:5] for c in r)


def _parse_table(table: Table, st: _State, out: TableParse, notes: list[str]) -> None:
    rows = [[clean_cell(c) for c in r] for r in table.rows]
    if not rows:
        return
    kind = _table_kind(table, rows)
    if kind:
        st.kind = kind
    ncols = max(len(r) for r in rows)
    if ncols < 2:
        if _looks_like_indicators(table, rows):
            notes.append(f"第{table.page}页表格只有一列，未读取指标")
        return
    # a continuation has no header of its own, enough columns for the last header's fields,
    # and sits on the same or the next page (column counts drift a little between pages)
    continuing = (st.header is not None and ncols > max(st.header.values())
                  and abs(ncols - st.ncols) <= 2 and table.page in (st.last_page, st.last_page + 1))
    if not continuing:
        st.header = None
        st.level1 = st.level2 = ""
        st.last_row = None
    same_table = table.page in (st.last_page, st.last_page + 1)
    st.header_row = False
    read_any = continuing
    pending_goal_cols: dict[int, str] = {}

    def ref(r: int, c: int | None) -> str | None:
        refs = table.cell_refs
        return refs[r][c] if refs and c is not None and r < len(refs) and c < len(refs[r]) else None

    for r, cells in enumerate(rows):
        # an indicator header that also names the project and goal columns (单位名称 | 项目名称 | 预算数 |
        # 年度目标 | 一级指标 | … | 指标值): those cells name columns, not a project or a goal
        roles = _roles(cells)
        is_header = _complete(roles)
        # project name (项目名称 | X)
        for i, c in enumerate(cells):
            if not is_header and squash(c) in ("项目名称", "项目名") and i + 1 < len(cells):
                nxt = next((x for x in cells[i + 1:] if x), "")
                if nxt:
                    st.project = re.sub(r"^[\dA-Z]+-", "", nxt)
                    st.header = None
                    st.level1 = st.level2 = ""
        # goal cells: the header cell's text is below (same column) or to its right
        if pending_goal_cols:
            for i, h in pending_goal_cols.items():
                text = _value(cells, i)
                if text and _is_goal_text(text):
                    out.goals.append(GoalCell(table.page, text, h, st.project, ref(r, i)))
            pending_goal_cols = {}
        headers_here = {i: h for i, c in enumerate(cells)
                        if not is_header and (h := _goal_header(c)) and not _indicator_cell(st, i, squash(c) != h)}
        if headers_here:
            for i, h in headers_here.items():
                right = next((x for x in cells[i + 1:] if x), "")
                if right and _is_goal_text(right) and (i + 1 not in headers_here):
                    nxt_idx = cells.index(right, i + 1)
                    if nxt_idx not in headers_here:
                        out.goals.append(GoalCell(table.page, right, h, st.project, ref(r, nxt_idx)))
                        continue
                pending_goal_cols[i] = h
            continue
        filled = sum(1 for c in cells if squash(c))
        named = len(roles) - ("name_alt" in roles)  # columns named, the mark not counted
        if is_header or (named >= 2 and named >= filled - 1):
            unit_here = _header_unit(_value(cells, roles.get("target")))
            if st.header_row:  # the second row of a two-row header (绩效指标 over 一级 | 二级 | 三级)
                roles = {**st.pending, **roles}
                unit_here = unit_here or st.pending_unit
            if not _complete(roles):
                st.pending, st.header_row, st.pending_unit = roles, True, unit_here
                continue
            prev = st.header
            # the header repeated at the top of the next page's part: the levels carry on
            weak = ("name", "name_alt") if "name_alt" in roles else ()
            repeated = (same_table and r <= 1 and prev is not None
                        and all(prev.get(k) == v for k, v in roles.items() if k not in weak))
            st.header, st.ncols, st.header_row, st.pending = (prev if repeated and prev else roles), ncols, True, roles
            read_any = True
            if _starts_table(st, table, r, prev, roles, repeated):
                st.headers_in_table += 1
                st.table_id = table_id(*st.table_at, st.headers_in_table)
            if not repeated:
                st.level1 = st.level2 = ""
                st.target_unit = unit_here
                unknown = _unknown_columns(cells)
                if unknown:
                    notes.append(f"第{table.page}页表格有未识别的列（{'、'.join(unknown[:5])}），按已识别的列读取"
                                 + _table_label(table, r))
            continue
        st.header_row = False
        if not st.header:
            continue
        if len(squash(_value(cells, st.header.get("name")))) > MAX_NAME_CHARS:
            notes.append(f"第{table.page}页表格第{r + 1}行：指标名称过长"
                         f"（{len(squash(_value(cells, st.header.get('name'))))}字），已跳过")
            continue
        row = _row(cells, st, table.page)
        if row is None:
            continue
        if row == "wrapped":
            continue
        row.cell = ref(r, st.header.get("name"))
        row.table = st.table_id
        out.indicators.append(row)
    if not read_any and not out.goals and _looks_like_indicators(table, rows) and not _any_goal_header(rows):
        notes.append(f"第{table.page}页表格无表头（未找到指标名称与指标值列），未读取指标" + _table_label(table, 0))
    st.last_page = table.page


def _header_unit(cell: str) -> str:
    """The unit a target column's header states in closing brackets (指标值（%）, 目标值(万元)); ''
    for a note that is no unit (目标值(标准), 年度指标值(A), 指标值（包含数字及文字描述）)."""
    m = re.search(r"[（(]([^（）()]{1,6})[)）]$", squash(cell))
    unit = m.group(1).replace("％", "%") if m else ""
    return unit if unit in unit_set() else ""


def _table_label(table: Table, r: int) -> str:
    """Which table a warning is about, beyond its page: the sheet and cell of the row (a
    spreadsheet's "page" is its sheet's number) and the title above it, when the reader kept one.

    Why: a document holds several tables per page or sheet; the clerk fixing a header must find it.
    """
    parts = []
    refs = table.cell_refs
    ref = next((c for c in (refs[r] if refs and r < len(refs) else []) if c), None)
    if ref:
        parts.append(f"单元格{ref}")
    title = squash(table.caption)
    if title and not re.fullmatch(r"单位[:：].*", title):
        parts.append(f"标题“{title[:30]}”")
    return f"（{'，'.join(parts)}）" if parts else ""


def _any_goal_header(rows: list[list[str]]) -> bool:
    return any(_goal_header(c) for r in rows for c in r)


def _as_written(cell: str) -> str | None:
    """A level cell outside the vocabulary (决策, 过程 … of evaluation tables), weight dropped."""
    text = WEIGHT_SUFFIX.sub("", squash(cell))
    if 1 < len(text) <= 12 and not re.search(r"\d", text):
        return text
    return None


def _heading_row(name: str, target: str, st: _State) -> bool:
    """In a tree whose levels are heading rows (产出指标 / 成本指标(必填硬性指标) / name | 100%): a level
    name with no target sets the levels of the rows below it; a row before the first heading (the
    unit, the project and its amount) is no indicator."""
    text = re.sub(r"[（(][^）)]*[)）]$", "", squash(name))
    if text.endswith("指标") and not squash(target):
        l1, l2 = level_of(text, 1), level_of(text, 2)
        if l2 and (parent_of(l2) == st.level1 or not l1):
            st.level1, st.level2 = parent_of(l2) or st.level1, l2
            return True
        if l1:
            st.level1, st.level2 = l1, ""
            return True
    return not st.level1


def _row(cells: list[str], st: _State, page: int) -> IndicatorRow | str | None:
    h = st.header or {}
    name = _value(cells, h.get("name"))
    l1_cell = _value(cells, h.get("level1"))
    l2_cell = _value(cells, h.get("level2"))
    target = _value(cells, h.get("target"))
    l1 = level_of(l1_cell, 1) if l1_cell else None
    l2 = level_of(l2_cell, 2) if l2_cell else None
    if l1_cell and not l1:
        l1 = level_of(l1_cell, 2) and parent_of(level_of(l1_cell, 2) or "") or _as_written(l1_cell)
    if l1:
        st.level1, st.level2 = l1, ""
    elif l2 and st.level1 in framework_level1() and parent_of(l2) not in ("", st.level1) \
            and not (l2 == "成本指标" and st.level1 == "成本指标"):
        # a merged 一级 cell that spans a row of another branch (服务对象满意度指标 under 效益指标)
        st.level1 = parent_of(l2)
    if l2:
        st.level2 = l2
        if l2 == "成本指标" and st.level1 == "成本指标":
            st.level2 = ""
    if l2_cell and not l2 and _as_written(l2_cell):
        st.level2 = _as_written(l2_cell) or ""  # an unlisted 二级 (项目立项, 资金管理 ...) as written
    if "levels_in_rows" in h and _heading_row(name, target, st):
        return None
    if not name:
        if target and st.last_row is not None:
            prev = st.last_row
            prev.target = (prev.target + target).strip()
            return "wrapped"
        return None
    sq = squash(name)
    if any(p.search(sq) for p in skip_rows()) or _header_map([name]) \
            or (sq.endswith("指标") and (level_of(name, 1) or level_of(name, 2))):
        return None
    if any(p.search(sq) for p in slot_names()) and squash(target) in placeholders() | {""}:
        return None  # an empty numbered slot of the form (指标2：)
    if _is_bare_quantity(sq):
        return None  # a number in the name column (10分 of a score block below the table) names nothing
    others = [c for i, c in enumerate(cells) if c and i != h.get("name")]
    prev = st.last_row
    if not others and prev is not None and prev.target and not re.search(r"[。；;]$", prev.name):
        prev.name += name  # a name cell wrapped onto a row of its own: nothing else on the row
        return "wrapped"
    level1, level2 = st.level1, st.level2
    if level2 and not level1:
        level1 = parent_of(level2)
    row = IndicatorRow(
        page=page, name=name, level1=level1, level2=level2, target=target,
        comparator=_comparator_cell(cells, h), unit=_value(cells, h.get("unit")),
        project=st.project, table_kind=st.kind,
        level_from_table=bool(level1 or level2), header_unit=st.target_unit,
    )
    if "actual" in h:
        row.actual = _value(cells, h["actual"]) or None
    if "weight" in h:
        row.weight = _value(cells, h["weight"]) or None
    if "score" in h:
        row.score = _value(cells, h["score"]) or None
    if "deviation" in h:
        row.deviation = _value(cells, h["deviation"]) or None
    if "actual" in h or "score" in h:
        row.table_kind = "self_evaluation"
    st.last_row = row
    return row

"""The coming year's part of a government budget report: its planned figures are goals (session 14).

Why: a budget report (关于…2022年预算执行情况和2023年预算草案的报告, 2024年政府预算公开) has two parts a
reader tells apart by their headings: the year run (一、2022年预算执行情况: 收入完成40.5亿元, results) and the
year ahead (二、2023年预算草案; 二、一般公共预算收支安排情况 / 1.收入安排情况: 地方一般公共预算收入116059万元，
较上年增加6570万元，增长6%). The labellers take the second part's figures as the year's fiscal targets, as the
issue asks (planned amounts in the budget part of a report). The cue rules see no 将/要/力争 there, the plan
prose grammar is off in budgets (a department budget's amounts are appropriations), and the clause model,
fitted on department budgets, vetoes amounts. The part is read here from the report's headings, in a text
whose head names a government budget report (``budget_report_heads.txt``, not a department's or a unit's:
``budget_report_guards.txt``); the parts and the kind each heading opens are data (``budget_plan_parts.txt``).
"""
from __future__ import annotations

import functools
import re
from typing import Sequence

import corpora
from nlp.regex_union import goal_vocabulary

HEAD_CHARS = 200  # a report's head: its title lines and the start of its first paragraph
HEADING_CHARS = 40  # a short line or intro that may open a part (as nlp.goals._sections_of reads them)
TOP = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)")  # a top-level part: it resets the kind


@functools.lru_cache(maxsize=1)
def _lists() -> tuple[re.Pattern[str], re.Pattern[str], tuple[tuple[re.Pattern[str], str | None], ...]]:
    """``budget_report_heads.txt``, ``budget_report_guards.txt`` and ``budget_plan_parts.txt`` (pattern, kind)."""
    heads, guards = goal_vocabulary("budget_report_heads.txt"), goal_vocabulary("budget_report_guards.txt")
    parts = []
    for number, line in enumerate(corpora.read_lines("goals", "budget_plan_parts.txt"), 1):
        pattern, sep, kind = line.rpartition("\t")
        if not sep or kind not in ("plan", "review", "none") or not pattern:
            raise ValueError(f"budget_plan_parts.txt: line {number}: want a pattern and a kind (plan, review or "
                             f"none), tab-separated: {line[:40]!r}")
        parts.append((re.compile(pattern), None if kind == "none" else kind))
    return heads, guards, tuple(parts)


def is_budget_report(text: str) -> bool:
    """The text's head names a government's budget report for a coming year (not a department's budget)."""
    heads, guards, _ = _lists()
    head = text[:HEAD_CHARS]
    return heads.search(head) is not None and guards.search(head) is None


# the year the head's draft is for (…2023年预算执行情况和2024年预算草案: 2024, not the year run)
PLAN_YEAR = re.compile(r"((?:19|20)\d\d)年(?:(?!执行|决算)[^，,。\n]){0,12}预算(?:草案|安排)")


def part_kind(line: str, plan_year: str | None = None) -> tuple[bool, str | None]:
    """Whether a heading or short intro names a part, and the part it opens: ``plan``, ``review`` or None.
    ``plan_year``: the year the report's draft is for (二、2024年全县预算 names its part by that year alone)."""
    for pattern, kind in _lists()[2]:
        if pattern.search(line):
            return True, kind
    if plan_year and f"{plan_year}年" in line and "预算" in line:
        return True, "plan"
    return False, None


def plan_sentences(text: str, sentences: Sequence[tuple[int, int, bool]]) -> list[tuple[int, int]]:
    """The sentences (start, end) of a budget report's coming-year part; ``sentences``: every sentence of the
    text in order, with whether it is a heading line. Nothing in a text that is no budget report.

    A heading (or a short intro ending in a colon) that names a part sets the kind; a top-level heading
    (二、…, 第二部分…) that names none ends the part it is in, a subheading that names none (（一）一般公共
    预算) stays inside it.
    """
    if not is_budget_report(text):
        return []
    year = PLAN_YEAR.search(text[:HEAD_CHARS])
    plan_year = year.group(1) if year else None
    out: list[tuple[int, int]] = []
    kind: str | None = None
    for ss, se, heading in sentences:
        line = text[ss:se].strip()
        opener = heading or (len(line) <= HEADING_CHARS and line.endswith(("：", ":"))) or (
            len(line) <= HEADING_CHARS and TOP.match(line) is not None)
        if opener:
            named, new = part_kind(line, plan_year)
            if named:
                kind = new
            elif TOP.match(line):
                kind = None
            continue
        if kind == "plan":
            out.append((ss, se))
    return out


# ---- goal cells of a goal table flattened into page text (session 17) -------------------------------------------
#
# Why: a stored page flattens a project's 绩效目标表 or a self-evaluation's 绩效自评表: its cells stand on lines of
# their own (项目年度目标 |\n年度目标完成情况 |\n严格执行相关政策,…减少结余资金。 |), are separated by spaces (年度总体目标
# 预期目标 实际完成情况 本项目共申请… 本项目共完成…), fill the rows of a | table (单位名称 | 项目名称 | 预算数 | 年度目标 |
# 一级指标 …), or run together (项目绩效目标长期目标年度目标改善镇域内基础设施,…搞好提质改造长期绩效指标…). The text rules
# read such a block as one long clause: the goal is missed, vetoed, or a result cell and the indicator rows are taken.
# The header is read here by its columns' roles (``flat_goal_columns.txt``): the cells after it, in the layout its
# separators show, are the columns' values in order, and the goal is the value of a goal column, never a result's.

CELL_BREAK = {"pipe": re.compile(r"[|｜\n]"), "tab": re.compile(r"[\t\n]"), "line": re.compile(r"\n"),
              "space": re.compile(r"\s")}
SEP = re.compile(r"[ \t\u3000]*(?:[|｜][ \t\u3000]*)?(?:\n[ \t\u3000]*)?")  # between two cells of a header
# a term that runs on into prose or a longer name (实行绩效目标管理, 年度目标任务, 绩效目标表, 绩效目标自评表): no column
RUNS_ON = re.compile(r"[表管设编申完实达的是和及与任自、，,。；;：:（(]")
# what may stand before a column term: a line's or cell's start, a separator, a number's end, a closing mark
BEFORE = re.compile(r"(?:^|[\s|｜\d）)】。；;:：])$")
RUN_CHARS = 300  # a run-together value: the stop term comes within this many characters
TABLE_CHARS = 1500  # a flattened table read on: at most this far after its goal header
MIN_CELL = 4


@functools.lru_cache(maxsize=1)
def _column_terms() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(column term with named groups result/goal/head, stop term, instruction) of ``flat_goal_columns.txt``."""
    from nlp.regex_union import kinded_goal_vocabulary, with_lead

    v = kinded_goal_vocabulary("flat_goal_columns.txt", ("goal", "head", "result", "stop", "instruction"))
    # searched over the whole text of every page without tables: with_lead keeps it from entering its
    # optional groups at every character (the same matches, a tenth of the time)
    term = with_lead(re.compile("|".join(f"(?P<{k}>{v[k].pattern})" for k in ("result", "goal", "head"))))
    return term, v["stop"], v["instruction"]


def _terms_at(text: str, pos: int) -> list[tuple[int, int, str]]:
    """The run of column terms from ``pos`` (start, end, role), each ending at a cell boundary."""
    term, stop, _ = _column_terms()
    out: list[tuple[int, int, str]] = []
    while True:
        m = term.match(text, pos)
        if m is None or RUNS_ON.match(text, m.end()) or stop.match(text, m.start()):
            return out
        out.append((m.start(), m.end(), m.lastgroup or "goal"))
        pos = SEP.match(text, m.end()).end()  # type: ignore[union-attr]


def _layout_after(text: str, terms: list[tuple[int, int, str]]) -> str:
    """How the header's cells are separated: ``pipe``, ``tab``, ``line``, ``space`` or ``run`` (written together).
    Read from the separators between its terms; a header of one term, from the separator after it."""
    seps = "".join(text[a[1]:b[0]] for a, b in zip(terms, terms[1:]))
    if len(terms) == 1:
        end = terms[0][1]
        seps = text[end:SEP.match(text, end).end()]  # type: ignore[union-attr]
    for layout, marks in (("pipe", "|｜"), ("tab", "\t"), ("line", "\n"), ("space", " \u3000")):
        if any(ch in seps for ch in marks):
            return layout
    return "run"


def _is_goal_text(cell: str) -> bool:
    _, stop, instruction = _column_terms()
    cjk = sum(1 for ch in cell if "\u4e00" <= ch <= "\u9fff")
    return cjk >= MIN_CELL and not instruction.search(cell) and not stop.search(cell[:8])


ROW_BARS = {"pipe": re.compile(r"[|｜]"), "tab": re.compile(r"\t")}


def _row_cells(text: str, ls: int, le: int, layout: str = "pipe") -> list[tuple[int, int]]:
    """The cells (start, end) of a row ``text[ls:le]`` (| or tab cells), trimmed; a | row without the empty cells
    at its ends (a tab row keeps them: they hold its merged cells' places)."""
    out, pos = [], ls
    for part in ROW_BARS[layout].split(text[ls:le]):
        s, e = pos, pos + len(part)
        pos = e + 1
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        out.append((s, e))
    if layout == "pipe":
        while out and out[0][0] == out[0][1]:
            out.pop(0)  # | a | b |: the empty cells before the first bar and after the last,
        while out and out[-1][0] == out[-1][1]:
            out.pop()  # and a merged cell a page writes at the row's end (| 产出指标 | … | |||||)
    return out


def _row_table(text: str, ts: int, layout: str = "pipe") -> tuple[list[tuple[int, int]], tuple[int, int]] | None:
    """A | or tab table whose header row holds the goal column term at ``ts`` (年度目标 among 单位名称 | 项目名称 | …):
    the goal cells of its rows (a row short of cells lost its merged first columns: it is right-aligned)."""
    ls = text.rfind("\n", 0, ts) + 1
    le = text.find("\n", ts)
    le = len(text) if le < 0 else le
    header = _row_cells(text, ls, le, layout)
    if len(header) < 4:
        return None
    col = next((k for k, (s, e) in enumerate(header) if s <= ts < e), None)
    if col is None:
        return None
    goals, end, pos = [], le, le + 1
    while pos < len(text):
        nl = text.find("\n", pos)
        nl = len(text) if nl < 0 else nl
        if not ROW_BARS[layout].search(text, pos, nl):
            break
        cells = _row_cells(text, pos, nl, layout)
        k = col - (len(header) - len(cells))
        if len(cells) <= len(header) and 0 <= k < len(cells) and _is_goal_text(text[cells[k][0]:cells[k][1]]):
            goals.append(cells[k])
        end, pos = nl, nl + 1
    return goals, (ls, end)


def flat_goal_cells(text: str) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
    """Goal tables flattened into ``text``: per table, its goal cells (start, end) and the span it covers (from its
    goal header to the end of its cells, where the text rules read table cells, not sentences)."""
    term, stop, _ = _column_terms()
    out: list[tuple[list[tuple[int, int]], tuple[int, int]]] = []
    pos = 0
    while True:
        m = term.search(text, pos)
        if m is None:
            return out
        pos = m.end()
        bounded = m.start() == 0 or bool(BEFORE.search(text[m.start() - 1:m.start()]))
        terms = _terms_at(text, m.start())
        if not terms:
            continue
        layout = _layout_after(text, terms)
        if not bounded and not (layout == "run" and _indicator_header(text, _run_stop(text, terms[-1][1]))):
            continue  # off a cell boundary: only a run-together form (其他资金年度总体目标…绩效指标一级指标…) shows none
        pos = terms[-1][1]
        roles = [r for _, _, r in terms]
        columns = [r for r in roles if r != "head"] or ["goal"] * len(roles)
        if "goal" not in columns:
            continue
        if layout == "line" and len(terms) == 1:
            continue  # a heading line (（二）项目绩效目标): the heading rule reads the sentences under it
        if layout in ROW_BARS and len(terms) == 1:
            table = _row_table(text, terms[0][0], layout)
            if table is not None:
                out.append(table)
                pos = max(pos, table[1][1])
                continue
        cells = _value_cells(text, terms[-1][1], layout, columns)
        if cells is None:
            stop_at = _run_stop(text, pos) if layout == "run" else None
            if stop_at is not None:  # cells not told apart: the indicator rows after them are still no sentences
                out.append(([], (stop_at.start(), _table_end(text, stop_at.end(), layout))))
                pos = stop_at.end()
            continue
        goals = [c for c, role in zip(cells, columns) if role == "goal" and _is_goal_text(text[c[0]:c[1]])]
        if not goals and layout != "run":
            continue
        end = _table_end(text, cells[-1][1], layout)
        out.append((goals, (terms[0][0], end)))  # a run-together table without a readable goal: its span still
        pos = max(pos, cells[-1][1])             # holds cells and indicator rows, no sentences


def _value_cells(text: str, pos: int, layout: str, columns: list[str]) -> list[tuple[int, int]] | None:
    """The cells after a header, one per column, in ``layout``; None when the cells cannot be told apart."""
    term, stop, _ = _column_terms()
    if layout == "run":
        m = _run_stop(text, pos)
        if m is None or m.start() - pos < MIN_CELL:
            return None
        if set(columns) == {"goal"}:
            return [(pos, m.start())]
        if columns[-1] == "result" and set(columns[:-1]) == {"goal"}:
            # a goal and a result written together: where one ends is unknown, unless the result restates the
            # goal (对…进行改进,对…计量,为…夯实基础,对…计量,为…夯实基础,): the goal ends where its pieces repeat
            cut = _restated_at(text, pos, m.start())
            return None if cut is None else [(pos, cut)] * (len(columns) - 1) + [(cut, m.start())]
        return None
    cells: list[tuple[int, int]] = []
    breaks = CELL_BREAK[layout]
    while len(cells) < len(columns) and pos < len(text):
        pos = SEP.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= len(text):
            break
        b = breaks.search(text, pos)
        e = len(text) if b is None else b.start()
        while e > pos and text[e - 1].isspace():
            e -= 1
        if e == pos:
            pos += 1
            continue
        if term.match(text, pos) or stop.match(text, pos):  # the next header (长期目标：…), or the indicators
            break
        cells.append((pos, e))
        pos = e
    return cells or None


def _run_stop(text: str, pos: int) -> re.Match[str] | None:
    """The stop term (绩效指标, 一级指标 …) ending a run-together value from ``pos``: within RUN_CHARS, on its line."""
    _, stop, _ = _column_terms()
    m = stop.search(text, pos, pos + RUN_CHARS)
    return None if m is None or "\n" in text[pos:m.start()] else m


def _indicator_header(text: str, m: re.Match[str] | None) -> bool:
    """The stop term ``m`` begins a form's indicator header (绩效指标一级指标二级指标…: another stop term right after
    it), not prose that names indicators (对照年度目标逐项分析绩效指标完成情况)."""
    _, stop, _ = _column_terms()
    return m is not None and stop.search(text, m.end(), m.end() + 4) is not None


PIECE = re.compile(r"[^,，;；。]+")


def _restated_at(text: str, s: int, e: int) -> int | None:
    """Where the pieces (between commas) of ``text[s:e]`` start to repeat an earlier piece of it, the whole
    of the rest restating earlier pieces (a result cell copying the goal cell); None when nothing repeats."""
    pieces = [(m.start(), m.group().strip()) for m in PIECE.finditer(text, s, e) if m.group().strip()]
    for k in range(1, len(pieces)):
        seen = {p for _, p in pieces[:k]}
        if len(pieces[k][1]) >= MIN_CELL and all(p in seen for _, p in pieces[k:]):
            return pieces[k][0]
    return None


def _table_end(text: str, pos: int, layout: str) -> int:
    """Where a flattened table read from ``pos`` ends: its cell lines (pipe), else its line, within TABLE_CHARS."""
    limit = min(len(text), pos + TABLE_CHARS)
    if layout == "pipe":
        while pos < limit:
            nl = text.find("\n", pos + 1)
            nl = len(text) if nl < 0 else nl
            line = text[pos:nl]
            if line.strip() and "|" not in line and "｜" not in line:
                return pos
            pos = nl
        return limit
    nl = text.find("\n", pos)
    return min(limit, len(text) if nl < 0 else nl)

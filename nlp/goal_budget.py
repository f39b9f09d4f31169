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

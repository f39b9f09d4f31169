"""Reviewer checks on indicators: what a budget reviewer would send back.

Why rules and not a model: each finding must name a concrete, fixable problem
(an unfilled ``*``, a % above 100, 成本指标 written with ≥ ...), the way the
rigid validators of public review tools do (domain.md 2.2). Rule ids, severity
and the Chinese message shown to users are data in
``corpora/indicators/checks.tsv``; placeholder tokens in ``placeholders.txt``.

Project-level rules (no 产出 / 效益 / 满意度 indicator) are attached to the
first indicator of the project, so a project is reported once.
"""
from __future__ import annotations

import functools
import re
from typing import Iterable

import corpora
from nlp import vagueness
from nlp.items import Indicator
from nlp.tables import placeholders, squash


@functools.lru_cache(maxsize=1)
def rules() -> dict[str, tuple[str, str]]:
    """rule id -> (severity, message)."""
    out = {}
    for line in corpora.read_lines("indicators", "checks.tsv"):
        rule, severity, message = line.split("\t", 2)
        out[rule] = (severity, message)
    return out


def finding(rule: str) -> dict[str, str]:
    severity, message = rules()[rule]
    return {"rule": rule, "severity": severity, "message": message}


def is_placeholder(target: str) -> bool:
    t = squash(target)
    return bool(t) and (t in placeholders() or bool(re.fullmatch(r"[*＊xX×]+(?:[%％]|[\u4e00-\u9fff]{1,3})?", t)))


def row_findings(ind: Indicator) -> list[dict[str, str]]:
    """Findings about one indicator on its own."""
    out = []
    if is_placeholder(ind.target):
        out.append(finding("placeholder_value"))
    if ind.value is not None and not ind.unit:
        out.append(finding("missing_unit"))
    if ind.value is not None and ind.unit in ("%", "％", "百分比") and ind.value > 100:
        out.append(finding("percent_over_100"))
    if "满意" in ind.name + ind.level2 and ind.value is None and not is_placeholder(ind.target):
        out.append(finding("satisfaction_no_target"))
    if "成本" in ind.level1 + ind.level2 and ind.comparator in ("≥", ">"):
        out.append(finding("cost_with_ge"))
    target = squash(ind.target)
    if ind.value is None and 0 < len(target) <= 8 and not is_placeholder(target) \
            and vagueness.vague_words_in(target) and not vagueness.has_counter_cue(target):
        out.append(finding("vague_target"))  # 提升, 有效, 增强: nothing to check against
    return out


def project_findings(indicators: list[Indicator]) -> list[dict[str, str]]:
    """Findings about a project's set of indicators (from tables with levels)."""
    level1s = {i.level1 for i in indicators}
    out = []
    if "产出指标" not in level1s:
        out.append(finding("project_no_output"))
    if "效益指标" not in level1s:
        out.append(finding("project_no_benefit"))
    if "满意度指标" not in level1s:
        out.append(finding("project_no_satisfaction"))
    return out


def apply(indicators: Iterable[Indicator]) -> None:
    """Fill ``Indicator.checks`` in place: row rules, then project rules."""
    by_project: dict[str, list[Indicator]] = {}
    for ind in indicators:
        ind.checks = row_findings(ind)
        if ind.project and ind.level_source == "table":
            by_project.setdefault(ind.project, []).append(ind)
    for group in by_project.values():
        group[0].checks.extend(project_findings(group))

"""What a query asks about, beyond its words: a year, a region, an
organisation, a document type, and whether it is a question.

Everything recognised here becomes a *boost* of passages whose document
matches (see :func:`meta_boost`), never a filter: 江苏省政协办公厅2018年收支预算
still finds the 2017 budget when 2018's is not in the store, just lower. The
words themselves stay in the query too (the passage may spell them out).

The vocabularies are data: ``corpora/search/question_words.txt`` (what makes a
query a question), ``corpora/search/doctype_words.txt`` (words that name a
document type) and ``corpora/search/periods.txt`` (reporting periods: 上半年,
前三季度); regions come from the gazetteer of :mod:`nlp.regions`,
organisations from :mod:`nlp.orgs`.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import corpora

_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?:年|年度)?(?![0-9])")

# How much a matching document lifts a passage's score (multiplicative; a
# query naming several things multiplies them). Fitted on the tuning half of
# corpora/search/gold_tune.jsonl.
YEAR_BOOST = 0.6
REGION_BOOST = 0.4
ORG_BOOST = 0.4
DOC_TYPE_BOOST = 0.2
# a reporting period (2018年8月, 上半年) is a finer date than the year: the same lift (not fitted)
PERIOD_BOOST = YEAR_BOOST
# the region of a national document: it speaks for every province, so it never
# contradicts the region a query names
NATIONAL = "全国"
# document types written the year after the year they report on
REVIEW_TYPES = ("work_report", "self_evaluation", "evaluation_report")
# document types a year in front of whose name is the year the document was
# delivered (2013年政府工作报告 is the 2013 report, not the 2014 one that reviews
# 2013); a self-evaluation's year (2019年度绩效自评) is the year it reports on
DELIVERED_TYPES = ("work_report",)
# how far (characters) a region or organisation may stand between that year and the type word
YEAR_TO_TYPE = 8
# a run of months (1-8月, 1、2月, 1月至5月, 8月份) that is not a day's date (8月12日): its last month
_MONTHS = re.compile(r"(?<![0-9])(?:[0-9]{1,2}月?[-~至到—–、])?([0-9]{1,2})月(?!份?[0-9]{1,2}[日号])")
# the first N months (前10个月, 头3个月)
_FIRST_MONTHS = re.compile(r"[前头]([0-9]{1,2})个月")


@dataclass
class Understood:
    year: int | None = None
    region: str | None = None
    region_path: list[str] = field(default_factory=list)
    org: str | None = None
    doc_type: str | None = None
    question: bool = False
    # the year names the document itself (2011年政府工作报告): next year's review is another year
    year_of_doc: bool = False
    # the reporting period named, as the month it ends (2018年1-8月: 8; 上半年: 6)
    period: int | None = None
    # what the query names that no stored document is of ("year", "region"):
    # shown, never weighed (:func:`ground`)
    unheld: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in ("year", "period", "region", "org", "doc_type"):
            value = getattr(self, key)
            if value:
                out[key] = value
        if self.question:
            out["question"] = True
        if self.unheld:
            out["unheld"] = list(self.unheld)
        return out

    def describe(self) -> str:
        """The Chinese line the search page shows: 理解为：年份 2018，地区 上海市."""
        return describe(self.to_json())


def describe(understood: dict[str, Any]) -> str:
    """理解为：年份 2018，地区 上海市 … for an ``understood`` dict (empty when nothing was)."""
    parts = []
    unheld = understood.get("unheld") or ()
    if understood.get("year"):
        parts.append(f"年份 {understood['year']}" + ("（库中无该年文档，未加权）" if "year" in unheld else ""))
    if understood.get("period"):
        parts.append(f"期间 截至{understood['period']}月")
    if understood.get("region"):
        parts.append(f"地区 {understood['region']}" + ("（库中无该地区文档，未加权）" if "region" in unheld else ""))
    if understood.get("org"):
        parts.append(f"单位 {understood['org']}")
    if understood.get("doc_type"):
        from nlp.metadata import type_label  # types.tsv's labels (not loaded for searches naming no type)

        parts.append(f"类型 {type_label(understood['doc_type'])}")
    if understood.get("question"):
        parts.append("问句")
    return ("理解为：" + "，".join(parts)) if parts else ""


@functools.lru_cache(maxsize=1)
def question_words() -> tuple[str, ...]:
    return tuple(corpora.read_lines("search", "question_words.txt"))


@functools.lru_cache(maxsize=1)
def doctype_words() -> tuple[tuple[str, str], ...]:
    """(word, doc_type) pairs, longest word first."""
    pairs = []
    for line in corpora.read_lines("search", "doctype_words.txt"):
        word, _, label = line.partition("\t")
        if word and label.strip():
            pairs.append((word.strip(), label.strip()))
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@functools.lru_cache(maxsize=1)
def period_words() -> tuple[tuple[str, int], ...]:
    """(word, end month) pairs of ``periods.txt``, longest word first."""
    pairs = []
    for line in corpora.read_lines("search", "periods.txt"):
        word, _, month = line.partition("\t")
        if word.strip() and month.strip().isdigit():
            pairs.append((word.strip(), int(month)))
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@functools.lru_cache(maxsize=4096)
def period_of(text: str) -> int | None:
    """The reporting period a query or a title names, as the month it ends (the
    latest one named: 1月和2月 is 2): 1-8月, 8月份, 前8个月 and 前八个月 are 8, 上半年 6,
    前三季度 9.
    A day's date (8月12日) is no period. Why the last month: a monthly fiscal report
    gives the month and the run of months to it under one title (2018年8月财政收支情况
    answers 2018年1-8月), and people name it either way."""
    text = unicodedata.normalize("NFKC", text or "")
    found = [int(m.group(1)) for rx in (_MONTHS, _FIRST_MONTHS) for m in rx.finditer(text)]
    found += [month for word, month in period_words() if word in text]
    return max((month for month in found if 1 <= month <= 12), default=None)


def _region(text: str) -> tuple[str | None, list[str]]:
    """The most specific region named in the query, with its ancestors."""
    from nlp.regions import regions_in_query

    paths = regions_in_query(text)
    return (paths[0][-1], paths[0]) if paths else (None, [])


def _org(text: str, region_path: list[str]) -> str | None:
    from nlp.orgs import find_orgs

    found = find_orgs(text, region_path)
    return max(found, key=lambda e: e.end - e.start).canonical or None if found else None


def understand(text: str) -> Understood:
    """Year, region, organisation, document type and question-ness of a query."""
    text = (text or "").strip()
    u = Understood()
    if not text:
        return u
    m = _YEAR.search(text)
    if m:
        u.year = int(m.group(1))
    u.region, u.region_path = _region(text)
    u.org = _org(text, u.region_path)
    for word, label in doctype_words():
        if word in text:
            u.doc_type = label
            u.year_of_doc = bool(m) and _names_document(text, m, word, label)
            break
    u.question = text.rstrip().endswith(("?", "？")) or any(w in text for w in question_words())
    u.period = period_of(text)
    return u


def _names_document(text: str, year: re.Match, word: str, label: str) -> bool:
    """Whether the year ``year`` matched in ``text`` is the year of the document the
    type word ``word`` names: a type delivered in its own year (``DELIVERED_TYPES``)
    whose word follows the year in the same term, at most ``YEAR_TO_TYPE``
    characters on (2026年江西省政府工作报告)."""
    if label not in DELIVERED_TYPES:
        return False
    after = text[year.end():]
    at = after.find(word)
    return 0 <= at <= YEAR_TO_TYPE and not any(c.isspace() for c in after[:at])


# holds(kind, value, path): whether the store holds a document of this year
# ("year") or region ("region", with the region's path from the top)
Holds = Callable[[str, Any, list[str]], bool]


def ground(u: Understood, holds: Holds) -> Understood:
    """``u`` with the year and region that no stored document is of marked
    ``unheld``: said on the page, never weighed. Why: a region or year the
    store holds nothing of is what the query is about, not where to look
    (两岸共通标准 台湾职业资格采认 asks about 台湾 in 福建's report), and
    weighing it only demoted every document that has a place or a date below
    the national and undated ones. Held: a document of the year asked or the
    next (its review), of the region, inside it, or of a parent of it."""
    unheld = []
    if u.year and not holds("year", u.year, []):
        unheld.append("year")
    if u.region and not holds("region", u.region, u.region_path):
        unheld.append("region")
    u.unheld = tuple(unheld)
    return u


def parents(region_path: list[str]) -> list[str]:
    """The regions above the last one of ``region_path``, the national level left out."""
    return [r for r in region_path[:-1] if r != NATIONAL]


def meta_matches(u: Understood, doc: dict[str, Any]) -> dict[str, float]:
    """How well document ``doc`` (its ``year``, ``region``, ``region_path``,
    ``org``, ``doc_type``, ``title``) fits what the query named: 1 for a match,
    0.5 for a near match (next year's review of the year asked, unless the
    year names the document itself, :func:`_names_document`; a parent of
    the region asked), 0 otherwise; ``year_other`` is 1 when the query names a
    year and the document is dated another one (a monthly report of 2016 for
    a 2018 question); ``region_other`` is 1 when the query names a region and
    the document belongs to another one (neither inside it nor a parent of it;
    a national document contradicts no region). The boosts and the learned
    ranker both read these."""
    out = {"year": 0.0, "year_other": 0.0, "region": 0.0, "region_other": 0.0, "org": 0.0,
           "doc_type": 0.0, "period": 0.0, "period_other": 0.0, "part_year": 0.0, "whole_year": 0.0}
    title = doc.get("title") or ""
    if u.year and "year" not in u.unheld:
        if doc.get("year") == u.year or str(u.year) in title:
            out["year"] = 1.0
        elif (doc.get("doc_type") in REVIEW_TYPES and doc.get("year") == u.year + 1
              and not u.year_of_doc):
            out["year"] = 0.5  # next year's report reviews this year
        elif doc.get("year"):
            out["year_other"] = 1.0
    if u.region and "region" not in u.unheld:
        path = doc.get("region_path") or []
        if doc.get("region") == u.region or u.region in path:  # the region or inside it
            out["region"] = 1.0
        elif doc.get("region") and doc.get("region") in u.region_path:  # a parent of it
            out["region"] = 0.5
        elif doc.get("region") and doc.get("region") != NATIONAL:  # another place
            out["region_other"] = 1.0
    if u.org and doc.get("org") and (u.org in doc["org"] or doc["org"] in u.org):
        out["org"] = 1.0
    if u.doc_type and doc.get("doc_type") == u.doc_type:
        out["doc_type"] = 1.0
    if u.period and (out["year"] == 1.0 or not u.year):  # another year counts once, above
        period = period_of(title)
        if period:
            out["period" if period == u.period else "period_other"] = 1.0
    elif u.year and out["year"] == 1.0 and str(u.year) in unicodedata.normalize("NFKC", title):
        # a year named alone asks for the whole year: the year's own report, or one on part of it
        period = period_of_year(title, u.year)
        out["part_year" if period and period != 12 else "whole_year"] = 1.0
    return out


_NEXT_YEAR = re.compile(r"\d{4}年")  # another year named later in a title


def period_of_year(title: str, year: int) -> int | None:
    """The period a title dates a document to within ``year`` (:func:`period_of` of
    the words after ``{year}年`` up to the next year named): 2009年7月份财政收支情况 is 7,
    2009年财政收支情况 None, and 关于2021年区本级决算和2022年上半年预算执行情况的报告 None
    for 2021 (its 上半年 is 2022's).

    Read by :func:`meta_matches` for a query that names a year and no period
    (:func:`pool_boosts` says why)."""
    title = unicodedata.normalize("NFKC", title or "")
    at = title.find(f"{year}年")
    if at < 0:
        return None
    rest = title[at + len(str(year)) + 1:]
    other = _NEXT_YEAR.search(rest)
    return period_of(rest[:other.start()] if other else rest)


def meta_boost(u: Understood, doc: dict[str, Any]) -> float:
    """Score multiplier for a passage of document ``doc`` (see :func:`meta_matches`):
    each match lifts the score by its boost, and a document dated another
    year or placed in another region than the query names loses the same
    factor (without a penalty, a same-topic document of 1998 or of Zhejiang
    kept its whole score against the 1995 or Hunan one asked for, and only
    the size of the match's lift told them apart). Below 1 when the
    contradictions outweigh the matches, which :func:`search.hybrid.fuse`
    applies to the whole fused score."""
    return _boost(meta_matches(u, doc), part_year=False)


def _boost(m: dict[str, float], part_year: bool) -> float:
    """:func:`meta_boost` of the matches ``m``; ``part_year``: a report on part of the
    year asked counts as a finer period than asked (:func:`pool_boosts`)."""
    return ((1.0 + YEAR_BOOST * m["year"]) * (1.0 + REGION_BOOST * m["region"])
            * (1.0 + ORG_BOOST * m["org"]) * (1.0 + DOC_TYPE_BOOST * m["doc_type"])
            / ((1.0 + YEAR_BOOST * m["year_other"]) * (1.0 + REGION_BOOST * m["region_other"])
               * (1.0 + PERIOD_BOOST * m["period_other"])
               * (1.0 + PERIOD_BOOST * m["part_year"] * part_year)))


def pool_boosts(u: Understood, metas: dict[Any, dict[str, Any]]) -> dict[Any, float]:
    """:func:`meta_boost` of each candidate (``metas``: id -> its document's metadata), with
    the whole-year reading: when the query names a year and no period and a candidate is
    that year's own report (its title names the year, no finer period: 2009年财政收支情况),
    the reports on part of that year (2009年7月份…) count ``period_other`` against it.

    Why: such a query asks for the whole year, so a monthly report is a finer date than
    asked, as another month is for a query that names one; without it the 2009 July and
    March reports, which match the year as fully as the year's own, came first (set 17:
    a015 0.39 -> 0.63, a027 0.44 -> 1.00; blind set 19 0.740 -> 0.763; docs/search_relevance.md,
    eighteenth session, helper searchread18). Only when the year's own report is among the
    candidates: when the only report of the year covers part of it (2025年1-2月财政收支情况
    for 2025年 一般公共预算支出), it is what the query asks for and keeps its full year match
    (document focus, shown whole) over the other years' reports."""
    matches = {key: meta_matches(u, meta) for key, meta in metas.items()}
    part_year = any(m["whole_year"] for m in matches.values())
    return {key: _boost(m, part_year) for key, m in matches.items()}

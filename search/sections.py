"""A report's section named by a query: the passages under a matching heading
come first among their document's places.

Why: a query such as 2013年政府工作报告 过去五年工作回顾 or 2026年1-2月 主要支出科目
names a part of a report by its heading (一、过去五年工作回顾) or by the line
that leads into a list (主要支出科目情况如下：). The heading holds every word of
the query, but the passages under it rarely repeat them (第十一届全国人民代表大会
第一次会议以来的五年……), so neither list finds them, and the readers' labels count
those passages, not the heading (sets 11 and 12, docs/search_relevance.md,
twelfth session). Here a heading or lead-in that holds the query's content
words (an *opener*) lends its document's first places to the passages that
follow it up to the next heading of its level (its *section*), read from the
store in document order. Two more openers (thirteenth session): a passage whose
marked heading the passage cut joined to the section's first paragraph
(三、深入改革经济体制和扩大对外开放 国民经济的…) opens that section and leads it; and a
title standing over the document's parts (2025年1-2月财政收支情况, a date line, then
一、…) that names the query's year opens the whole document, whose every figure the
readers label (set 13). And a marked part heading that holds some of the query's
content words (一、过去五年政府工作的回顾) lends them to a marked heading inside its part
that holds the rest (（三）坚持把解决“三农”问题…): that heading's section is read; a
title's date and source lines (2019年7月16日 来源：国库司) count with the title likewise.

Only for queries that :func:`search.hybrid.asks_content` (a year, region or
organisation named, not a question), without filters. Work per query: at
most ``SECTION_DOCS`` openers, each one indexed read of ``SECTION_MAX``
passages, or of ``PART_MAX`` passages for a part heading (at most
``SECTION_DOCS`` reads in all); nothing is scanned.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from search.hybrid import (HEADING_MAX, asks_content, content_first, content_units, has_amount,
                           is_heading)
from search.query import ParsedQuery
from search.tokenize import normalize
from search.understand import Understood, period_of

# the share (by unit length, as coverage counts it) of the query's content units an
# opener must hold
SECTION_SHARE = 1.0
# how many documents' openers are followed (the first ones in the ranked list)
SECTION_DOCS = 3
# openers are looked for among this many first passages of the ranked list
SECTION_TOP = 50
# the most passages a section holds (a report's part runs to 30 paragraphs)
SECTION_MAX = 30

# the most passages read of a part (一、…) when a heading inside it is looked for (a
# national report's review runs to 80 paragraphs)
PART_MAX = 100
# the share of the query's topic (its content units but periods) a lead-in inside a part
# must hold to open its list (a priori: most of it; not fitted)
LEAD_SHARE = 0.5
# unmarked lines (a date, a source) a title may stand above the document's first part by
TITLE_LINES = 2
# enumeration marks by level: 第一部分 / 一、 / （一） / 1. / （1）
_LEVELS = (
    (1, re.compile(r"^(?:第[一二三四五六七八九十百零0-9]+(?:部分|章|篇|条)|[一二三四五六七八九十]+[、.．])")),
    (2, re.compile(r"^[（(][一二三四五六七八九十]+[）)]")),
    (3, re.compile(r"^[0-9]+[.．、](?![0-9])")),
    (4, re.compile(r"^[（(][0-9]+[）)]")),
)
_LEAD_IN = re.compile(r"[：:]\s*$")
# a line that starts with a day's date (2019年7月16日 来源：国库司) is no title
_DATE_LINE = re.compile(r"^[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日")
# a law's article (第三十四条 …的主要内容：) is content, even when it leads into a list
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零0-9]+条")
# a lead-in longer than this is a paragraph that ends in a colon (初步统计，2025年全省…如下：):
# content that may itself answer, not the line that names a part (twice a heading's length)
LEAD_MAX = 2 * HEADING_MAX


def marker_level(text: str) -> int | None:
    """The level of the enumeration mark a passage starts with (1 for 一、, 2 for
    （一）, 3 for 1., 4 for （1））, None without one. Digits are read in any width."""
    squashed = "".join(normalize(text or "").split())
    for level, pattern in _LEVELS:
        if pattern.match(squashed):
            return level
    return None


def is_lead_in(text: str) -> bool:
    """Whether a passage is a line that leads into what follows (…情况如下：,
    …主要目标是：): shorter than ``LEAD_MAX``, ending in a colon, not a law's article."""
    squashed = "".join((text or "").split())
    return (len(squashed) < LEAD_MAX and bool(_LEAD_IN.search(squashed))
            and not _ARTICLE.match(squashed))


def is_signpost(text: str) -> bool:
    """Whether a passage only points at what a document says: a heading
    (:func:`search.hybrid.is_heading`), or a line shorter than a heading that
    leads into a list or is a marked part's name ((一)一般公共预算收入情况。,
    主要支出科目情况如下：, 参加对象：) and states no amount. A law's article is
    content, even a short one. Why: the labelling guide counts no heading or
    lead-in as an answer to a query on a document (set 15's rule: titles, date
    lines, addressee lines, headings and lead-ins do not count), and under
    document focus these lines came before the named report's content on sets
    12-15 (docs/search_relevance.md, fifteenth session, helper searchrank15)."""
    squashed = "".join((text or "").split())
    return is_heading(text) or (
        len(squashed) < HEADING_MAX and not has_amount(squashed) and not _ARTICLE.match(squashed)
        and (is_lead_in(squashed) or marker_level(squashed) is not None))


def heading_for(understood: Understood) -> Callable[[str], bool]:
    """The lines :func:`search.hybrid.content_first` moves behind a document's content:
    signposts (:func:`is_signpost`) for a query that :func:`search.hybrid.asks_content`,
    headings only for a question. Why not lead-ins for a question: the older sets'
    labels count a lead-in that names the list a question asks for (部门预算草案初步审查
    的主要内容： for …要看哪些内容？), and moving them lost 0.03 on sets 6 and 10."""
    return is_signpost if asks_content(understood) else is_heading


def head_line(text: str) -> str | None:
    """The marked heading a passage starts with, when the passage cut joined it to
    the section's first paragraph (三、深入改革经济体制和扩大对外开放 国民经济的长期稳定发展…):
    the text before the first space, if it is marked and reads as a heading; else None."""
    parts = (text or "").split(None, 1)
    if len(parts) < 2 or marker_level(parts[0]) is None or not is_heading(parts[0]):
        return None
    return parts[0]


def is_opener(text: str) -> bool:
    """Whether a passage opens a section: a heading (:func:`search.hybrid.is_heading`),
    a short marked line (（一）一般公共预算收入情况。) or a lead-in."""
    squashed = "".join((text or "").split())
    return (is_heading(text) or is_lead_in(text)
            or (len(squashed) < HEADING_MAX and marker_level(text) is not None))


def section_length(opener: str, following: list[str], whole: bool = False) -> int:
    """How many of the passages ``following`` an opener (in document order) are
    its section. A marked heading's section ends at the next mark of its level or
    above. A lead-in leads into a list of the level its first passage is marked
    with (主要支出科目情况如下： 1. 2. …; 汇报如下： 一、 二、 …): it ends at a mark
    above that level. Otherwise (an unmarked heading, a lead-in into unmarked
    lines) it ends at the next 一、 or （一）, the next unmarked heading, or (for a
    lead-in) the next lead-in."""
    level = marker_level(opener)
    lead = level is None and is_lead_in(opener)
    if lead and following and marker_level(following[0]) is not None:
        level = marker_level(following[0]) - 1  # the list's items are one level below
        lead = False
    elif whole and level is None and not lead and heads_parts(following):
        level = 0  # a title over the document's parts: the section is the document
    for n, text in enumerate(following):
        mark = marker_level(text)
        if level is not None:
            if mark is not None and mark <= level:
                return n
            continue
        if ((mark is not None and mark <= 2) or (mark is None and is_heading(text))
                or (lead and is_lead_in(text))):
            return n
    return len(following)


def heads_parts(following: list[str]) -> bool:
    """Whether the passages after an unmarked heading start the parts of a document
    (一、…), after at most ``TITLE_LINES`` unmarked heading lines (a date line, a
    source): the heading is the title over them."""
    for text in following[:TITLE_LINES + 1]:
        mark = marker_level(text)
        if mark is not None:
            return mark == 1
        if not is_heading(text):
            return False
    return False


def _heading_like(text: str) -> bool:
    """A section's own heading or list lead (short openers): the readers' labels
    do not count them, so they come after the section's other passages."""
    return is_opener(text) and len("".join((text or "").split())) < HEADING_MAX


def headings_last(rows: list[tuple[Any, str]]) -> list[tuple[Any, str]]:
    """A section's passages with its own short headings and list leads
    (:func:`_heading_like`) moved behind the others, each group in document order."""
    return ([r for r in rows if not _heading_like(r[1])]
            + [r for r in rows if _heading_like(r[1])])


def holds_query(pq: ParsedQuery, understood: Understood, text: str) -> bool:
    """Whether ``text`` holds at least ``SECTION_SHARE`` (by unit length) of the
    query's content units: the units that are not its year, region,
    organisation or document type (those name the document, not the part)."""
    content = content_units(pq, understood)
    if content is None:
        return False
    norm = normalize(text)
    weights = [min(len(u.text), 4) for u in content]
    held = sum(w for u, w in zip(content, weights) if any(f in norm for f in u.forms))
    return held >= SECTION_SHARE * sum(weights) - 1e-9


def names_year(understood: Understood, text: str) -> bool:
    """Whether an opener names the query's year (always true when the query names none):
    a title over a document's parts opens the whole document only then, since the
    titles of the same report for other years (2024年1-2月财政收支情况 for a 2025
    query) hold the query's other words as well."""
    return understood.year is None or str(understood.year) in normalize(text or "")


def openers(pq: ParsedQuery, understood: Understood, ranked: list[tuple[float, Any]],
            texts: dict[Any, str], doc_of: dict[Any, str]) -> list[Any]:
    """The ids of the first matching opener (:func:`is_opener`, :func:`holds_query`)
    of each of the first ``SECTION_DOCS`` documents that have one among the
    first ``SECTION_TOP`` ranked passages; none unless the query
    :func:`~search.hybrid.asks_content`."""
    if not asks_content(understood) or content_units(pq, understood) is None:
        return []
    found: dict[str, Any] = {}
    for _, pid in ranked[:SECTION_TOP]:
        doc = doc_of.get(pid, "")
        text = texts.get(pid, "")
        head = text if is_opener(text) else head_line(text)
        if doc in found or head is None or not holds_query(pq, understood, head):
            continue
        found[doc] = pid
        if len(found) == SECTION_DOCS:
            break
    return list(found.values())


def topic_share(pq: ParsedQuery, understood: Understood, text: str) -> float:
    """The share (by unit length, at most 4 characters a unit) of the query's content
    units that are no reporting period (8月, 上半年: those name the report, as its year
    does, not a part of it) which ``text`` holds; 0 when the query has none."""
    units = [u for u in content_units(pq, understood) or [] if not period_of(u.text)]
    norm = normalize(text)
    weights = [min(len(u.text), 4) for u in units]
    held = sum(w for u, w in zip(units, weights) if any(f in norm for f in u.forms))
    return held / sum(weights) if units else 0.0


def holds_some(pq: ParsedQuery, understood: Understood, text: str) -> bool:
    """Whether ``text`` holds at least one of the query's content units."""
    norm = normalize(text)
    return any(f in norm for u in content_units(pq, understood) or [] for f in u.forms)


def is_subheading(text: str) -> bool:
    """A heading inside a part: a lead-in (:func:`is_lead_in`), a short marked line
    without a sentence end (（三）坚持把解决“三农”问题放在突出位置，巩固和加强农业基础地位
    is longer than a heading, shorter than a lead-in), or a marked heading joined to its
    paragraph."""
    squashed = "".join((text or "").split())
    return is_lead_in(text) or marker_level(text) is not None and (
        head_line(text) is not None
        or (len(squashed) < LEAD_MAX and not re.search(r"[。！？；!?;]", squashed)))


def parents(pq: ParsedQuery, understood: Understood, ranked: list[tuple[float, Any]],
            texts: dict[Any, str], doc_of: dict[Any, str], skip: set[str]) -> list[Any]:
    """Ids of marked part headings (一、… or （一）…) and titles (:func:`is_title`) among
    the first ``SECTION_TOP`` ranked passages that hold some but not all of the query's
    content units, the first of each document not in ``skip``, at most ``SECTION_DOCS``:
    a heading inside such a part may hold the rest (一、过去五年政府工作的回顾 …
    （三）坚持把解决“三农”问题…), or a title's date and source lines may."""
    if not asks_content(understood) or content_units(pq, understood) is None:
        return []
    found: dict[str, Any] = {}
    for _, pid in ranked[:SECTION_TOP]:
        doc, text = doc_of.get(pid, ""), texts.get(pid, "")
        if (doc in skip or doc in found or not is_opener(text)
                or not (marker_level(text) in (1, 2) or is_title(understood, text))
                or holds_query(pq, understood, text) or not holds_some(pq, understood, text)):
            continue
        found[doc] = pid
        if len(found) == SECTION_DOCS:
            break
    return list(found.values())


def is_title(understood: Understood, text: str) -> bool:
    """Whether an unmarked heading may be a document's title the query names: it
    names the query's year (a query naming none names no single report) and is no
    date line (2019年7月16日 来源：国库司 stands under a title)."""
    return (understood.year is not None and marker_level(text) is None
            and is_heading(text) and names_year(understood, text)
            and not _DATE_LINE.match("".join(normalize(text).split())))


def title_section(pq: ParsedQuery, understood: Understood, title: str,
                  after: list[tuple[Any, str]]) -> list[tuple[Any, str]]:
    """The whole document after a title over its parts, when the title with the lines
    under it (a date, a source: 2019年7月16日 来源：国库司) holds every content unit of the
    query (财政部国库司 2019年上半年财政收支情况); [] otherwise."""
    texts = [t for _, t in after]
    if not heads_parts(texts):
        return []
    lines = texts[:next(i for i, t in enumerate(texts) if marker_level(t) is not None)]
    if not holds_query(pq, understood, " ".join([title, *lines])):
        return []
    return after[:section_length(title, texts, whole=True)]


def nested_section(pq: ParsedQuery, understood: Understood, parent: str,
                   part: list[tuple[Any, str]]) -> list[tuple[Any, str]]:
    """The section, within a part (``part``: the passages under heading ``parent``),
    of the first sub-heading that holds, with the parent and the headings above it in
    the part (一、全国一般公共预算收支情况 above 主要支出科目情况如下：), every content unit
    of the query, and of its own a unit that is no period (a lead-in: ``LEAD_SHARE`` of
    them, :func:`topic_share`); [] when none does."""
    above: dict[int, str] = {}  # the headings above the current passage, by level
    for i, (pid, text) in enumerate(part):
        if not is_subheading(text):
            continue
        head = head_line(text) or text
        level = marker_level(text)
        if level is not None:
            above = {k: v for k, v in above.items() if k < level}
        path = " ".join([parent, *above.values(), head])
        # a lead-in into a list (1-8月累计，主要收入项目情况如下：) names the part it ends
        # only with most of the query's topic; a marked heading with some of it
        least = LEAD_SHARE if level is None else 1e-9
        if (topic_share(pq, understood, head) >= least
                and holds_query(pq, understood, path)):
            rest = part[i + 1:]
            rows = rest[:section_length(text, [t for _, t in rest])]
            return [(pid, text)] + rows if not is_opener(text) and head_line(text) else rows
        if level is not None:
            above[level] = head
    return []


def sections(pq: ParsedQuery, understood: Understood, ranked: list[tuple[float, Any]],
             texts: dict[Any, str], doc_of: dict[Any, str],
             following: Callable[[Any, int], list[tuple[Any, str]]]
             ) -> dict[str, list[tuple[Any, str]]]:
    """Each document's section (id, text) in document order, for the openers of
    :func:`openers`, then for the part headings and titles of :func:`parents` of other
    documents; ``following(id, n)`` reads the ``n`` passages after a passage in its
    document's order (each store reads its own)."""
    out: dict[str, list[tuple[Any, str]]] = {}
    for pid in openers(pq, understood, ranked, texts, doc_of):
        after = following(pid, SECTION_MAX)
        rows = after[:section_length(texts.get(pid, ""), [t for _, t in after],
                                     names_year(understood, texts.get(pid, "")))]
        rows = headings_last(rows)
        if not is_opener(texts.get(pid, "")):  # its heading leads its own first paragraph
            rows.insert(0, (pid, texts.get(pid, "")))
        if rows:
            out[doc_of[pid]] = rows
    for pid in parents(pq, understood, ranked, texts, doc_of, set(out))[
            :SECTION_DOCS - len(out)]:
        head = texts.get(pid, "")
        if marker_level(head) is None:  # a title (is_title)
            rows = headings_last(title_section(pq, understood, head,
                                               following(pid, SECTION_MAX)))
        else:
            after = following(pid, PART_MAX)
            part = after[:section_length(head, [t for _, t in after])]
            rows = headings_last(nested_section(pq, understood, head, part))
        if rows:
            out[doc_of[pid]] = rows
    return out


def section_first(ranked: list[tuple[float, Any]], doc_of: dict[Any, str],
                  found: dict[str, list[tuple[Any, str]]]) -> list[tuple[float, Any]]:
    """``ranked`` with each document of ``found`` holding its section first: the
    section's passages not yet ranked are added right after the document's
    first place, then the document's places are filled with the section (in
    document order) before its other passages (in their order). Other
    documents keep their order. A passage takes the score of its place."""
    out = list(ranked)
    for doc, rows in found.items():
        ids = [pid for pid, _ in rows]
        places = [i for i, (_, pid) in enumerate(out) if doc_of.get(pid) == doc]
        if not places:
            continue
        have = {out[i][1] for i in places}
        new = [pid for pid in ids if pid not in have]
        first = places[0]
        out[first + 1:first + 1] = [(out[first][0], pid) for pid in new]
        places = [i for i, (_, pid) in enumerate(out) if doc_of.get(pid) == doc]
        own = [out[i][1] for i in places]
        section = set(ids)
        order = ids + [pid for pid in own if pid not in section]
        for i, pid in zip(places, order):
            out[i] = (out[i][0], pid)
    return out


def with_sections(pq: ParsedQuery, understood: Understood, ranked: list[tuple[float, Any]],
                  texts: dict[Any, str], doc_of: dict[Any, str],
                  following: Callable[[Any, int], list[tuple[Any, str]]]
                  ) -> tuple[list[tuple[float, Any]], frozenset]:
    """(:func:`section_first` over :func:`sections`, the documents whose section
    was found), as both stores run it: ``collapse`` shows more of those documents'
    passages on the first page (``wide``). ``texts`` and ``doc_of`` get the section
    passages read (collapse, content_first and the hits need them)."""
    found = sections(pq, understood, ranked, texts, doc_of, following)
    for doc, rows in found.items():
        for pid, text in rows:
            texts.setdefault(pid, text)
            doc_of.setdefault(pid, doc)
    return section_first(ranked, doc_of, found), frozenset(found)



def page_order(pq: ParsedQuery, understood: Understood, ranked: list[tuple[float, Any]],
               texts: dict[Any, str], doc_of: dict[Any, str],
               following: Callable[[Any, int], list[tuple[Any, str]]], ordered: bool,
               filtered: bool) -> tuple[list[tuple[float, Any]], frozenset]:
    """The ranked list as every store hands it to :func:`search.hybrid.collapse`, and the
    documents collapse shows more of (``wide``): :func:`with_sections` for a list by score
    without filters (a section's passages are read unfiltered), then
    :func:`search.hybrid.content_first`."""
    wide: frozenset = frozenset()
    if not ordered and not filtered:
        ranked, wide = with_sections(pq, understood, ranked, texts, doc_of, following)
    return content_first(ranked, texts, doc_of, understood, ordered, heading_for(understood)), wide

"""Goals in running text and in goal / self-evaluation tables, with the vague-goal review.

Running text (work reports, news, plans):
- a sentence (up to 。！？) is a goal when it has a goal cue (目标, 力争, 确保,
  将…, 到2025年 …; ``corpora/goals/goal_cues*.txt``) and no report cue
  (了, 已, 累计 …; ``done_cues.txt``): what was already done is no goal;
- an exhortation (要, 必须, 务必; ``goal_cues_exhort.txt``) is a goal only when an
  outcome word follows it (确保, 推动, 实现, 让 …; ``outcome_words.txt``): 要坚持…,
  要做好…准备 name a stance or a means, not what is to be achieved. Such an
  exhortation still opens targets: quantified target clauses after it count;
- a cue word inside a phrase where it is no cue is ignored (比…还要大, 向管理要效益,
  预计…将, 完成…目标任务 in a report; ``cue_vetoes.txt``), and a sentence
  commenting on targets (这些目标，考虑了…; ``goal_comments.txt``) is no goal;
- a list of targets (主要预期目标是：A；B，C) gives one goal per clause, and so
  does a goal sentence with several quantified clauses; a single target clause
  after the cue's clause is a goal of its own (争取…核准，原煤产量达到…);
  before the cue only target clauses count (not 十二届八次全会);
- in a paragraph that states goals, quantified clauses of the other sentences
  (今年赤字率拟按3%安排 …) are targets too, unless they report results or a
  change measured year on year (同比增长; ``measured_changes.txt``);
- leading clauses before the cue (稳是大局，要着力…) are left out;
- a short clause-less sentence opening a line (货币政策要保持稳健中性。) heads the
  targets after it: it is no goal itself, its paragraph's quantified clauses are;
- news reports coming work as a frame and numbered items (明确了下一步…六大重点工作。一是…；二是…;
  ``next_frames.txt``): each item is a goal, though it has no cue word; a goal's ；-list is one goal
  per part (将…；全面开展…；再推出一批…), an exhortation's call stays whole; a bare horizon
  (到2030年, ``horizons.txt``) joins the target after it; a target an actor set, stated
  (…提出了…的目标。, ``stated_targets.txt``), is a goal, and a headline its body restates is not;
- a plan written as prose without cue words (…重大项目计划共安排项目883个，总投资…，其中
  续建项目539个) gives one goal per ``item + quantity`` clause inside a plan frame and none
  in a review (:mod:`nlp.goal_grammar`, :func:`plan_prose`).

Tables: cells under or beside 年度总体目标 / 项目总目标 / 预期目标 / 实际完成情况
(``corpora/goals/table_headers.txt``) are goals with their project and page, one
goal per cell. The goal's text is the cell read whole (in a PDF the page text
may interleave it with a neighbour cell; its span then covers both), its review
is made on that text, and a text goal repeating a goal cell is dropped.

Where the rules are unsure, the clause model of :mod:`nlp.goal_model` decides
(:func:`decide`): a rule goal without a quantified target clause, outside a goal
heading and a next-steps section, needs a clause the model finds likely enough.

Each goal is reviewed by ``nlp.vagueness``: vague, score, reasons.
"""
from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import re
from typing import TYPE_CHECKING, Callable

from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc

import corpora
from ingest.document import Document
from nlp import (goal_budget, goal_cases, goal_clauses, goal_cues, goal_grammar, goal_readings, goal_self, goal_voice,
                 regex_union, script, vagueness)
from nlp.items import Goal
from nlp.locate import Locator
from nlp.tables import parse_tables

if TYPE_CHECKING:
    from nlp import goal_model

# a colon closing its line ends the sentence: it introduces the lines after it (围绕实现年度目标，重点抓好
# 十一个方面工作：\n聚力推进“项目提升年”，…), which are no part of the intro
SENTENCE_END = re.compile(r"[。！？!?]+[”’」』）)\]】]*|\n\s*\n|(?<=[：:])\n")
HEADING_LINE = re.compile(r"[^\n，,；;。！？]{1,24}\n")
CLAUSE_END = goal_clauses.clause_end("，,；;：:")  # no cut inside a number (4,399万元)
# a clause that only continues the quantity before it (比去年增加…, 同比…)
CONTINUATION = re.compile(r"^(?:比|较|同比|环比|增长|下降|增加|减少|占|在|并|且)")
HEADING_STOP = re.compile(r"[，,；;。！？]")  # a heading line has none of these
MIN_GOAL_CHARS = 6


from nlp.goal_cues import CUE_LISTS, RULE_ONLY_LISTS, CueList  # noqa: F401 - read by goal_model, the tests

# the cue readers (nlp.goal_cues) under the names the rules below call them by
_cues = goal_cues.cues
_veto_spans = goal_cues.veto_spans
_vetoed = goal_cues.vetoed
_cue = goal_cues.cue
_weak_cue = goal_cues.weak_cue
_spans = goal_cues.spans
_is_target_clause = goal_cues.is_target_clause


def extract(doc: Doc, document: Document, use_model: bool = True) -> list[Goal]:
    """Goals stated in running text and in goal/self-evaluation tables.

    With ``use_model`` the clause model (:mod:`nlp.goal_model`) decides where the rules are
    not certain: see :func:`decide`. A text in traditional characters is read through its
    simplified view of the same length (:mod:`nlp.script`); each goal's text and the words
    its reasons cite are then taken from the original, as written.
    """
    view = script.simplified_view(document.text)
    if view is None:
        return _extract(doc, document, use_model)
    plain = dataclasses.replace(document, text=view)
    return [_as_written(g, view, document.text) for g in _extract(None, plain, use_model)]


def _as_written(goal: Goal, view: str, original: str) -> Goal:
    """``goal`` found in the simplified ``view`` with its text and cited words from ``original``."""
    if goal.source != "text":
        return goal  # table cells are read from the original tables
    cited = [_reason_as_written(r, goal, view, original) for r in goal.reasons]
    return dataclasses.replace(goal, text=original[goal.start:goal.end], reasons=cited)


def _reason_as_written(reason: str, goal: Goal, view: str, original: str) -> str:
    label, sep, words = reason.partition(vagueness.WORDS_SEP)
    if not sep:
        return reason
    return label + sep + "、".join(script.as_written(w, view, original, goal.start, goal.end)
                                   for w in words.split("、"))


def _extract(doc: Doc | None, document: Document, use_model: bool) -> list[Goal]:
    goals = from_tables(document)
    if is_legal_text(document.text):
        return goals  # 必须/应当 in a law are obligations, not goals
    skip = table_spans(document)
    known = known_of(doc, document) if use_model else None
    text_goals = from_text(document, skip, kind=known.kind if known else None)
    if use_model:
        text_goals = decide(document, text_goals, skip, known=known)
    text_goals = not_in_outlines(document.text, text_goals)
    title_end = _title_end(document.text)
    text_goals = [g for g in text_goals if g.start >= title_end]
    cells = flat_cells(document)
    if cells:
        inside = _overlap_test([span for _, span in cells])
        text_goals = [g for g in text_goals if not inside(g.start, g.end)]
        goals = goals + [_goal(document, s, e, document.text[s:e], source="text") for spans, _ in cells
                         for cs, ce in spans for ss, se in _spans(document.text, cs, ce, CELL_SENTENCE_END)
                         for s, e in _cell_goals(document, ss, se) if e - s >= MIN_GOAL_CHARS]
    return goals + not_in_cells(_regrouped(document, _listed_parts(document, text_goals)), goals)


# a goal item never runs over a sentence: a cell of two (本项目共申请预算资金90万元。其中：30万元用于…) gives two goals
CELL_SENTENCE_END = re.compile(r"[。！？!?]+")


BREAKDOWN = re.compile(r"\s*其中[:：,，]")  # budget17 (棠溪) and kinds12 (leiyang) label a funds breakdown 0


def _cell_goals(document: Document, s: int, e: int) -> list[tuple[int, int]]:
    """The goals of one sentence ``s``-``e`` of a goal cell, cut as a labelled run of goal clauses is cut
    (:func:`clause_groups`): a cell run together with its header starts inside a clause, so its clauses are
    taken from the cell's start. Why: a cell listing its goals piece by piece (对…进行改进,对…计量,为…夯实基础)
    is one goal per piece in the labels, as a target list's items are (session 18, goalfin18)."""
    from nlp import goal_model

    text = document.text
    if BREAKDOWN.match(text, s):
        return []  # the cell's 其中 breakdown of the sum before (其中：30万元用于…；30万元用于…): no goal, as labelled
    cls = goal_model.document_clauses(document)
    inside = [(n, max(cs, s), min(ce, e)) for n, (cs, ce, _) in enumerate(cls) if cs < e and s < ce]
    run = [(a, b) for _, a, b in inside if text[a:b].strip(SENTENCE_MARKS + "，,、 ")]
    if not run:
        return [(s, e)]
    groups = clause_groups(text, run, in_target_list(text, cls, inside[0][0]))
    return [(g[0][0], before_mark(text, g[0][0], g[-1][1])) for g in groups]


def flat_cells(document: Document) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
    """Goal tables flattened into the text of a page (:func:`nlp.goal_budget.flat_goal_cells`): their goal cells,
    and the spans where the text rules read cells rather than sentences. None in a document with real tables."""
    if document.tables:
        return []
    return goal_budget.flat_goal_cells(document.text)


def not_in_outlines(text: str, found: list[Goal]) -> list[Goal]:
    """The goals that are no part title of an outline (:func:`outline_spans`): a report's parts listed in
    news (报告共分八个部分：…；三、加大宏观政策实施力度，着力稳企业保就业；…) name its chapters, not its targets."""
    spans = outline_spans(text)
    if not spans:
        return found
    inside = _overlap_test(spans)
    return [g for g in found if not inside(g.start, g.end)]


@functools.lru_cache(maxsize=4)
def outline_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where a text lists the parts of a report (``outline_intros.txt``): from the lead-in to the end of its
    sentence, and on through the next sentences of the paragraph that open with an item mark (四是…)."""
    intros = _cues()["outline_intros"]
    if not intros.may_match_within(text):
        return ()
    out: list[tuple[int, int]] = []
    for _, _, sentences in _layout(text):
        going = False
        for ss, se in sentences:
            m = intros.first(text[ss:se])
            if m:
                out.append((ss + m.start(), se))
            elif going and ENUM_START.match(text, ss):
                out[-1] = (out[-1][0], se)
            else:
                going = False
                continue
            going = True
    return tuple(out)


def _listed_parts(document: Document, found: list[Goal]) -> list[Goal]:
    """Text goals cut at their ；-list (:func:`_at_semicolons`), after the model has judged each goal whole.

    Cut after :func:`decide`: a commitment's cue-less parts (将…；全面开展…；再推出一批…) are kept
    with the goal they belong to, not judged by the model one by one.
    """
    text = document.text
    out = []
    headed: Callable[[int, int], bool] | None = None
    for g in found:
        parts = ([p for s, e in _at_semicolons(text, g.start, g.end) for p in _at_statements(text, s, e)]
                 if g.source == "text" else [(g.start, g.end)])
        if parts == [(g.start, g.end)] and g.source == "text" and SEMICOLON.search(text, g.start, g.end):
            if headed is None:
                headed = _overlap_test(_under_goal_heading(text, table_spans(document)))
            pieces = _semicolon_pieces(text, g.start, g.end)
            if headed(g.start, g.end) and all(ENUM_START.match(text, s) for s, _ in pieces):
                parts = pieces  # （二）项目绩效目标 一是…；二是…；三是…: one goal per item, as a 下一步 list's
        if parts == [(g.start, g.end)]:
            out.append(g)
            continue
        out += [_goal(document, s, e, text[s:e], source="text") for s, e in parts if e - s >= MIN_GOAL_CHARS]
    return out


def _regrouped(document: Document, found: list[Goal]) -> list[Goal]:
    """Text goals cut the way a labelled run of goal clauses is cut (:func:`clause_goals`).

    The rules find a goal sentence whole (今年拟安排地方政府专项债券3.8万亿元，加快实施…，实施…) or in
    pieces (…产业体系加快构建 | 打造4个…集群 | …占比稳步提高), each by its own route; the labels mark
    clauses, and a goal is a run of them in one sentence cut into targets (:func:`target_groups`,
    numbered items). So the goals that cover whole clauses of one sentence, side by side, are joined
    into one run and cut again by that grammar: one target per goal, however the rules found it.
    A part that only frames the others (a speaker, a list intro: :func:`_is_frame`) is dropped, a part
    that comments on the one before goes with it (:func:`_comments_attached`). A goal that starts or
    ends inside a clause, or runs over two sentences, is left as it is.
    """
    from nlp import goal_model

    text = document.text
    cls = goal_model.document_clauses(document)
    starts = {s: n for n, (s, _, _) in enumerate(cls)}
    ends = {end: n for n, (s, e, _) in enumerate(cls) for end in (e, before_mark(text, s, e))}
    runs: list[tuple[int, int, list[Goal]]] = []  # first and last clause, the goals joined
    out: list[Goal] = []
    for g in sorted(found, key=lambda g: g.start):
        a, b = starts.get(g.start), ends.get(g.end)
        if g.source != "text" or a is None or b is None or cls[a][2] != cls[b][2]:
            out.append(g)
        elif runs and runs[-1][1] == a - 1 and (cls[runs[-1][1]][2] == cls[a][2] or list_continues(text, cls, a)):
            runs[-1] = (runs[-1][0], b, runs[-1][2] + [g])
        else:
            runs.append((a, b, [g]))
    for a, b, joined in runs:
        parts = _comments_attached(text, clause_goals(text, [(s, e) for s, e, _ in cls[a:b + 1]],
                                                      in_target_list(text, cls, a)))
        if len(joined) == 1 and parts == [(joined[0].start, joined[0].end)]:
            out.append(joined[0])
            continue
        out += [_goal(document, s, e, text[s:e], source="text") for s, e in parts
                if e - s >= MIN_GOAL_CHARS and not _is_frame(text[s:e])]
    unique = {(g.start, g.end, g.source): g for g in out}  # two overlapping goals may be cut into the same part
    return sorted(unique.values(), key=lambda g: g.start)


def _comments_attached(text: str, parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Goal parts with a part that reports or comments (了, 已…; ``done_cues.txt``, ``goal_comments.txt``) and
    states no quantity joined to the part before it: 城镇新增就业预期目标比去年多100万人，突出了更加重视就业的
    导向 is one target and its comment, not a target and a second goal."""
    cues = _cues()
    out: list[tuple[int, int]] = []
    for s, e in parts:
        piece = text[s:e]
        if out and (cues["done_cues"].first(piece) or cues["goal_comments"].first(piece)) and not _quantified(piece):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _is_frame(part: str) -> bool:
    """One clause that only frames the goals after it (``goal_frames.txt``: a speaker, a list intro)."""
    return not CLAUSE_END.search(part) and _cues()["goal_frames"].first(part.strip()) is not None


def clause_groups(text: str, run: list[tuple[int, int]], in_list: bool = False) -> list[list[tuple[int, int]]]:
    """A run of goal clauses of one sentence cut into its goals: its targets (:func:`target_groups`;
    per target, :func:`_list_items`, when the run stands in a target list: :func:`in_target_list`),
    a target of numbered items cut per item (:func:`_enumerated`).

    The labelled batches turn their runs of goal clauses into goals by this function
    (``bench.goal_items.heldout_gold``) and the extractor cuts its goals by it (:func:`_regrouped`),
    so a goal found and a goal labelled are cut alike.
    """
    groups = _list_items(text, run) if in_list and run else target_groups(text, run)
    return [part for g in groups for part in _enumerated(text, g)]


def clause_goals(text: str, run: list[tuple[int, int]], in_list: bool = False) -> list[tuple[int, int]]:
    """The spans of :func:`clause_groups`, each ending before the sentence mark."""
    out = []
    for group in clause_groups(text, run, in_list):
        s, e = group[0][0], group[-1][1]
        out.append((s, before_mark(text, s, e)))
    return out


SENTENCE_MARKS = "。；！？!?;"
FULL_STOPS = ("。", "！", "？", "!", "?")


def before_mark(text: str, s: int, e: int) -> int:
    """Where the span ``s``-``e`` ends before its closing sentence marks: a goal ends before them."""
    return s + len(text[s:e].rstrip(SENTENCE_MARKS))

LIST_SPAN = 40  # clauses looked at on each side for the sentence of a target list


def in_target_list(text: str, cls: list[tuple[int, int, int]], n: int) -> bool:
    """Whether clause ``n`` stands in a target list: its sentence to 。 has two quantified heads
    (:func:`_list_heads`; 主要预期目标是：…城镇登记失业率4.5%以内；进出口回稳向好，国际收支基本平衡；…).

    The clause cutter ends a sentence at ；, so an item of a target list without a quantity
    (进出口回稳向好，国际收支基本平衡) stood alone and, as a run without a quantity, stayed one goal;
    the dev gold cuts it per target like every item of the list. Both the extractor
    (:func:`_regrouped`) and the labelled batches' gold (``bench.goal_items``) ask this, so they
    stay cut alike.
    """
    if not 0 <= n < len(cls):
        return False
    ends = lambda k: text[cls[k][0]:cls[k][1]].rstrip().endswith(FULL_STOPS)  # noqa: E731
    first = n
    while first > max(0, n - LIST_SPAN) and not ends(first - 1):
        first -= 1
    last = n
    while last < min(len(cls) - 1, n + LIST_SPAN) and not ends(last):
        last += 1
    return len(_list_heads(text, [(s, e) for s, e, _ in cls[first:last + 1]])) >= 2


def list_continues(text: str, cls: list[tuple[int, int, int]], n: int) -> bool:
    """Whether clause ``n`` continues the run of clause ``n - 1`` across a ； of one target list
    (:func:`in_target_list`): the list's ；-parts are one run, cut per target."""
    return (0 < n < len(cls) and text[cls[n - 1][0]:cls[n - 1][1]].rstrip().endswith(("；", ";"))
            and in_target_list(text, cls, n))


ENUMERATED = re.compile(r"[一二三四五六七八九十]+是")
ENUM_START = re.compile(rf"\s*(?:{goal_grammar.ENUMERATION})")  # a sentence that opens with an item mark


def _enumerated(text: str, group: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """A goal run of numbered items (…发展目标：一是首都功能持续提升，二是…) cut into one goal per item.

    Like a target list, each numbered target is a goal of its own; a run with fewer than two
    numbered clauses stays whole.
    """
    heads = [i for i, (s, e) in enumerate(group) if ENUMERATED.match(text[s:e])]
    if len(heads) < 2:
        return [group]
    cuts = sorted(set([0] + heads))
    return [group[a:b] for a, b in zip(cuts, cuts[1:] + [len(group)])]


TITLE = re.compile(r"\s*([^\n。]{1,60})\n")
_NON_SPACE = re.compile(r"\S")


def _title_end(text: str) -> int:
    """Where the document's title line ends (0 without one): a title states no goal.

    A news headline quotes the item's target (大城市新增保障房占比力争超30%; 增长5.5%左右，经济
    运行能保持在合理区间) that the body states again; the labels count only the body's.
    """
    m = TITLE.match(text)  # (\S: str.strip's whitespace, found without copying the text)
    return m.end(1) if m and _NON_SPACE.search(text, m.end()) else 0


def known_of(doc: Doc | None, document: Document) -> goal_model.Known | None:
    """What the pipeline's Doc of ``document`` already holds for the clause model (``None`` without one).

    The words (jieba's cut of the whole text, as offsets: one array read, no Token objects) and
    the document type of the metadata step (``doc._.meta``; absent or unknown, the model finds it).
    """
    from nlp import goal_model

    if doc is None or len(doc) == 0 or not Doc.has_extension("document") or doc._.document is not document:
        return None
    arr = doc.to_array([IDX, LENGTH]).astype("int64")
    tokens = (arr[:, 0].copy(), arr[:, 0] + arr[:, 1])
    meta = doc._.meta if Doc.has_extension("meta") else None
    kind = str(getattr(meta, "doc_type", "") or "")
    return goal_model.Known(tokens=tokens, kind=kind if kind and kind != "None" else None)


def _overlap_test(spans: list[tuple[int, int]]) -> Callable[[int, int], bool]:
    """``test(s, e)``: does ``(s, e)`` overlap one of ``spans`` (``a < e and s < b``), by bisection.

    Spans sorted by start with the furthest end so far: some span starting before ``e`` reaches
    past ``s`` exactly when one overlaps. One test per clause instead of a scan of all spans.
    """
    ordered = sorted(spans)
    starts = [a for a, _ in ordered]
    reach = list(itertools.accumulate((b for _, b in ordered), max))

    def test(s: int, e: int) -> bool:
        hi = bisect.bisect_left(starts, e)
        return hi > 0 and reach[hi - 1] > s

    return test


def table_spans(document: Document) -> list[tuple[int, int]]:
    """Where the document's tables are in its text: their cells are read as tables, not as sentences."""
    return [(t.start, t.end) for t in document.tables if t.start is not None and t.end is not None]


def clause_scores(document: Document, rule_goals: list[Goal], skip: list[tuple[int, int]],
                  only: list[Goal] | None = None, known: goal_model.Known | None = None,
                  also: list[tuple[int, int]] | None = None) -> list[tuple[int, int, int, float]]:
    """(start, end, sentence, model probability) of the running-text clauses outside the tables.

    ``only``: score just the clauses of these goals and the spans ``also`` (the proposer's candidates,
    :mod:`nlp.goal_propose`): the model is then a veto, and cheap.
    ``known``: what the pipeline has of the document (:func:`known_of`), so the model need not find it again.
    """
    from nlp import goal_model

    in_table = _overlap_test(skip)
    in_goal = _overlap_test([(g.start, g.end) for g in only] + (also or [])) if only is not None else None

    def wanted(s: int, e: int) -> bool:
        if in_table(s, e):
            return False
        return in_goal is None or in_goal(s, e)

    return goal_model.predict(document, [(g.start, g.end) for g in rule_goals], wanted, known=known)


def decide(document: Document, rule_goals: list[Goal], skip: list[tuple[int, int]],
           clauses: list[tuple[int, int, int, float]] | None = None,
           keep: float | None = None, add: float | None = None,
           known: goal_model.Known | None = None) -> list[Goal]:
    """Rule goals the rules are certain of or the model confirms, and goal clauses only the model finds.

    Certain: a goal under a goal heading, in a next-steps section or a plan written as prose, one
    holding a quantified target clause (a number with a unit and a target verb, no report cue), and
    one committing to complete the targets (确保完成全年目标任务; ``certain_commitments.txt``) and one stating
    the target an actor set (…提出了…的目标; ``stated_targets.txt``). Any other rule goal is
    kept when the model gives one of its clauses at least ``keep``. Clauses the model gives at
    least ``add`` that no goal covers become goals, one per run of such clauses in a sentence.
    Both thresholds default to ``nlp.goal_model.KEEP`` / ``ADD``. When the context model ships
    (``corpora/goals/clause_context.json``) and no ``clauses`` are given, every running-text clause is
    scored and the context model decides with its shipped thresholds (:func:`in_context`).
    """
    from nlp import goal_context, goal_model, goal_propose

    keep = goal_model.KEEP if keep is None else keep
    add = goal_model.ADD if add is None else add
    unsure = unsure_goals(document, rule_goals, skip, known.kind if known else None)
    context = goal_context.params() if clauses is None else None
    if context is not None:
        clauses = clause_scores(document, rule_goals, skip, known=known)
        q = goal_context.score(context_rows(document, rule_goals, unsure, clauses, known), context)
        th = context["thresholds"]
        return in_context(document, rule_goals, unsure, clauses, q, keep, th["vc"],
                          th["k2"] if th["k2"] >= 0 else None, th["add"])
    proposed = goal_propose.candidates(document, rule_goals, skip) if goal_model.PROPOSE else {}
    if clauses is None:
        clauses = clause_scores(document, rule_goals, skip, only=None if add <= 1 else unsure, known=known,
                                also=list(proposed))
    dropped = set()
    scores_inside = _scores_inside(clauses)
    for g in unsure:
        inside = scores_inside(g.start, g.end)
        if (inside and below_keep(document.text, g, max(inside), keep)) or read_as_no_goal(document.text, g):
            dropped.add(id(g))
    kept = [g for g in rule_goals if id(g) not in dropped]
    found = kept + _model_goals(document, clauses, kept, add)
    return found + goal_propose.proposed_goals(document, clauses, proposed, found)


def context_rows(document: Document, rule_goals: list[Goal], unsure: list[Goal],
                 clauses: list[tuple[int, int, int, float]], known: goal_model.Known | None = None
                 ) -> list[dict[str, float]]:
    """The context model's features of each clause of ``clauses`` (:mod:`nlp.goal_context`).

    ``clauses``: every running-text clause with the clause model's probability (:func:`clause_scores`);
    ``unsure``: the rule goals the model may veto (:func:`unsure_goals`), the others are certain.
    """
    from nlp import goal_context, goal_model

    maybe = {id(g) for g in unsure}
    kind = (known.kind if known else None) or goal_model.document_kind(document)
    return goal_context.document_features(
        document, [(s, e, k) for s, e, k, _ in clauses], [p for *_, p in clauses],
        [(g.start, g.end) for g in rule_goals if id(g) not in maybe], [(g.start, g.end) for g in unsure],
        kind, goal_model.KEEP)


def in_context(document: Document, rule_goals: list[Goal], unsure: list[Goal],
               clauses: list[tuple[int, int, int, float]], q: list[float], keep: float, vc: float,
               k2: float | None, add: float) -> list[Goal]:
    """The decision with the context model's probabilities ``q`` of ``clauses``: a certain rule goal
    goes when each of its clauses has less than ``vc``; an unsure one when each has less than ``keep``
    by the clause model (``k2`` None) or less than ``k2`` by the context model, or when the grammars read its
    sentence as no goal (:func:`read_as_no_goal`, as :func:`decide` does); runs of clauses no
    kept goal covers with ``add`` or more become goals (:func:`_model_goals`)."""
    maybe = {id(g) for g in unsure}
    first = _scores_inside(clauses)
    second = _scores_inside([(s, e, k, x) for (s, e, k, _), x in zip(clauses, q)])
    kept = []
    for g in rule_goals:
        a, b = first(g.start, g.end), second(g.start, g.end)
        if id(g) in maybe:
            drop = ((bool(a) and (below_keep(document.text, g, max(a), keep) if k2 is None else max(b) < k2))
                    or read_as_no_goal(document.text, g))
        else:
            drop = bool(b) and max(b) < vc
        if not drop:
            kept.append(g)
    if add > 1:
        return kept
    return kept + _model_goals(document, [(s, e, k, x) for (s, e, k, _), x in zip(clauses, q)], kept, add)


def read_as_no_goal(text: str, goal: Goal) -> bool:
    """Whether the sentence of a goal the model may veto names a stance or a pledge and no outcome
    (:mod:`nlp.goal_stance`: 必须要增强…的使命感; 将以实际行动…奋力谱写…新篇章) or reports what was done
    (:mod:`nlp.goal_tense`: 今年以来，…确保了上半年经济运行总体平稳), or only says what a period is (今后五年是关键
    时期: :func:`nlp.goal_stance.only_frames`), or only says how a plan is to be drafted (确保规划上下衔接:
    :func:`nlp.goal_frame.drafts_plan`). Such a goal goes whatever the model says:
    the model scores these sentences as high as the goals beside them. Read once per goal (:mod:`nlp.goal_readings`)."""
    return _readings(text).no_goal(goal) or announces_list(goal.text)


def announces_list(sentence: str) -> bool:
    """Whether a sentence only announces the list or the report after it (``list_announcements.txt``: 重点做好十方面
    工作; 从五个方面工作作出安排部署; 现将全年工作情况总结如下): no outcome of its own, so no goal."""
    return _cues()["list_announcements"].first(sentence.strip()) is not None


def frames_nothing(text: str, goal: Goal) -> bool:
    """Whether a goal the model may veto names no outcome in a sentence that only mobilises, acts for a meeting or
    a document, or talks about a goal (:func:`nlp.goal_frame.names_no_outcome`: 全市财政系统将紧紧围绕高质量发展这一
    首要任务，抢抓机遇，迎难而上…; 政府工作报告还将根据人大代表的意见进行修改完善; 为明年工作争取时间、打好基础).
    Read once per goal (:mod:`nlp.goal_readings`)."""
    return _readings(text).frames_nothing(goal)


def below_keep(text: str, goal: Goal, best: float, keep: float) -> bool:
    """Whether an unsure goal whose best clause the model gives ``best`` goes: below ``keep``, or below
    :data:`nlp.goal_model.FRAME_KEEP` when its frame names no outcome (:func:`frames_nothing`, read only then).

    Why not drop such goals outright: over batches 1-36 the frame reading alone drops 39 false goals and 1 gold
    one, but on the held-out check (batches 37-38) it lost 2 gold goals for 1 false one; where the model too
    gives every clause less than 0.7 it lost no gold goal of batches 1-36, leaving documents or batches 33-36 out
    (corpora/goals/README.md, "Session 16 (helper goalunsure16)")."""
    from nlp import goal_model

    return best < keep or (best < goal_model.FRAME_KEEP and frames_nothing(text, goal))


def reports(text: str, goal: Goal) -> bool:
    """Whether the goal's sentence reports: results in the review tense (:func:`nlp.goal_tense.in_review_tense`), the
    problems a review found (:func:`nlp.goal_tense.lists_problems`), or results listed after a review-tense
    sentence of its paragraph (:func:`_review_carried`). No place and no target clause makes a goal of such a
    sentence certain (:func:`unsure_goals`). Read once per goal (:mod:`nlp.goal_readings`)."""
    return _readings(text).reports(goal)


def _review_carried(text: str) -> tuple[tuple[int, int], ...]:
    """Sentences the review tense of the sentence before carries into: each names nothing ahead and holds a
    report cue, and follows, in its paragraph, a review-tense sentence or such a sentence
    (:func:`nlp.goal_readings.carried_sentences`).

    Why: a progress report states its period once (截至3月底，…收入完成6850万元…) and lists the funds obtained in
    the next sentence (协调部门向省级财政申报专项经费6700万元；…跑省争取一般债券资金3600万元；…争资争项工作取得
    新进展): that sentence alone names no period, and the model keeps its 争取 clauses. Over the labelled
    sentences of batches 1-36 and kinds12, 7 sentences are carried into, every clause labelled 0.
    """
    return _readings(text).carried()


@functools.lru_cache(maxsize=4)
def _readings(text: str) -> goal_readings.Readings:
    """The sentence readings of the text's goals (:mod:`nlp.goal_readings`), one per text."""
    return goal_readings.Readings(text, _layout(text))


UNSURE = "unsure"  # the source of a rule goal the rules are not certain of (:func:`goal_sources`)
CERTAIN_SOURCES = ("next_section", "goal_heading", "plan_prose", "next_list", "budget_plan", "target_clause",
                   "commitment", "stated_target", "goal_statement")


def unsure_goals(document: Document, rule_goals: list[Goal], skip: list[tuple[int, int]],
                 kind: str | None) -> list[Goal]:
    """The rule goals the model may veto (:func:`decide`): those the rules are not certain of.

    ``kind``: the document type if known (:func:`plan_prose`). A goal whose sentence reports (:func:`reports`:
    截至3月底，…收入完成6850万元，较上年同期…; 存在的问题主要有：一是…) is never certain: its figures read as target
    clauses and a problems list stands in a next-steps section, yet they are results and problems.
    """
    return [g for g, source in zip(rule_goals, goal_sources(document, rule_goals, skip, kind)) if source == UNSURE]


def goal_sources(document: Document, rule_goals: list[Goal], skip: list[tuple[int, int]],
                 kind: str | None) -> list[str]:
    """Per rule goal, the first rule that makes it certain (one of :data:`CERTAIN_SOURCES`: its place, a
    quantified target clause, a commitment to the targets, a stated target, a goal statement), or
    :data:`UNSURE`. Why: only the unsure goals are the model's to veto (:func:`unsure_goals`), and
    ``bench.goal_sources`` counts, per source, what a model threshold would drop: session 15 found no
    certain source the model can judge (corpora/goals/README.md, "Session 15 (helper goalprec15)")."""
    text = document.text
    places = _certain_places(document, skip, kind)
    commitments = _cues()["certain_commitments"]
    out = []
    for g in rule_goals:
        place = next((name for name, spans in places if any(s <= g.start and g.end <= e for s, e in spans)), None)
        out.append(UNSURE if reports(text, g) or announces_list(g.text) else place
                   or ("target_clause" if _has_target_clause(text, g.start, g.end) else None)
                   or ("commitment" if commitments.first(g.text) else None)
                   or ("stated_target" if _cue(g.text, "stated_targets") else None)
                   or ("goal_statement" if _statement_end(text, g.start, g.end) is not None else None)
                   or UNSURE)
    return out


def _scores_inside(clauses: list[tuple[int, int, int, float]]) -> Callable[[int, int], list[float]]:
    """``inside(start, end)``: probabilities of the clauses overlapping ``start:end``, in order.

    The clauses of a document are in order and disjoint (starts and ends both sorted), so they
    are found by bisection, not by a scan of all clauses per goal.
    """
    starts = [s for s, _, _, _ in clauses]
    ends = [e for _, e, _, _ in clauses]
    ordered = starts == sorted(starts) and ends == sorted(ends)

    def inside(start: int, end: int) -> list[float]:
        if not ordered:
            return [p for s, e, _, p in clauses if s < end and start < e]
        lo = bisect.bisect_right(ends, start)  # the first clause ending after start
        hi = bisect.bisect_left(starts, end)  # the first clause starting at or after end
        return [p for _, _, _, p in clauses[lo:hi]]

    return inside


def _has_target_clause(text: str, start: int, end: int) -> bool:
    return any(_is_target_clause(text[cs:ce]) for cs, ce in _clauses(text, start, end))


def _certain_spans(document: Document, skip: list[tuple[int, int]], kind: str | None) -> list[tuple[int, int]]:
    """Sentences under a goal heading (七、绩效目标) or in a next-steps section (下一步), and the
    target clauses of a plan written as prose: goals by place."""
    return [span for _, spans in _certain_places(document, skip, kind) for span in spans]


def _certain_places(document: Document, skip: list[tuple[int, int]], kind: str | None
                    ) -> list[tuple[str, list[tuple[int, int]]]]:
    """The places that make a goal certain, each named (:data:`CERTAIN_SOURCES`), in the order they are tried."""
    text = document.text
    return [("next_section", [(ss, se) for ss, se, k in _sections(text, skip) if k == "next"]),
            ("goal_heading", _under_goal_heading(text, skip)),
            ("plan_prose", list(plan_prose(document, skip, kind))),
            ("next_list", _next_list_items(document, skip, kind)),
            ("budget_plan", list(budget_plan_amounts(text, skip)))]


def _under_goal_heading(text: str, skip: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for ps, pe, sentences in _layout(text):
        if any(s < pe and ps < e for s, e in skip):
            continue
        under = False
        for ss, se in sentences:
            if _is_duty_line(text[ss:se]):
                continue
            if _is_heading(text, ss, se) and not (under and _heading_target(text, ss, se)):
                under = bool(GOAL_HEADING.search(text[ss:se]))
            elif under:
                out.append((ss, se))
    return out


def _is_duty_line(sentence: str) -> bool:
    """A line naming who carries a task out (``duty_lines.txt``: 牵头负责领导：刘惠; 责任单位：区发展和改革局), as
    a notice dividing a report's targets among units writes it under each target: no goal of its own."""
    return _cues()["duty_lines"].first(sentence.strip()) is not None


def _heading_target(text: str, s: int, e: int) -> bool:
    """A heading-sized line under a goal heading that is a target after its item mark (（一）地区生产总值增长7%以上,
    a 分解方案's numbered targets): a goal, and the goal heading's list goes on after it. A numbered line that is
    no target (（二）主要任务) is a heading as before."""
    m = ENUM_START.match(text, s)
    return m is not None and m.end() < e and _is_target_clause(text[m.end():e])


def _model_goals(document: Document, clauses: list[tuple[int, int, int, float]], kept: list[Goal],
                 add: float) -> list[Goal]:
    """Runs of clauses of one sentence the model is sure of (``add``) and no kept goal covers."""
    text = document.text
    runs: list[list[tuple[int, int]]] = []  # consecutive clauses of one sentence
    last = (-2, -1)  # clause number and sentence of the clause before
    covered = _overlap_test([(g.start, g.end) for g in kept])
    for n, (s, e, k, p) in enumerate(clauses):
        if p < add or covered(s, e) or _cues()["done_cues"].first(text[s:e]):
            continue
        if runs and last == (n - 1, k):
            runs[-1].append((s, e))
        else:
            runs.append([(s, e)])
        last = (n, k)
    out = []
    for run in runs:
        for group in target_groups(text, run):
            s, e = group[0][0], group[-1][1]
            e = before_mark(text, s, e)
            if e - s >= MIN_GOAL_CHARS:
                out.append(_goal(document, s, e, text[s:e], source="text"))
    return out


def target_groups(text: str, run: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """A run of goal clauses of one sentence cut into goals the way the dev gold cuts them.

    A run with a quantified clause is a target list (主要预期目标是：国内生产总值增长6.5%左右，在实际
    工作中争取更好结果；…进出口回稳向好，国际收支基本平衡): each clause is a goal of its own,
    except a clause that continues the one before (比去年增加…, 在实际工作中…), a quantified
    target after a framing clause (在优化结构…的基础上，国内生产总值增长8%左右) and the predicate
    of a subject clause (一九五八年的基本建设总投资额，拟定为145亿元). A run without a
    quantity (我们将加强…，增进…，推进…) is one goal, as a goal sentence is, and so is a run with a
    single quantified clause (:func:`_list_heads`).
    """
    heads = _list_heads(text, run)
    if len(heads) < 2 and not any(_is_target_clause(text[s:e]) for s, e in heads):
        return [list(run)] if run else []
    return _list_items(text, run)


def _list_items(text: str, run: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """The clauses of a target list, one item each; continuations and a framing clause join their target."""
    groups: list[list[tuple[int, int]]] = []
    for s, e in run:
        clause = text[s:e]
        before = text[groups[-1][0][0]:groups[-1][0][1]] if groups else ""
        framed = bool(groups) and len(groups[-1]) == 1 and bool(
            FRAMING.search(before) or _is_horizon(before)
            or (PREDICATE.match(clause) and not vagueness.quantities(before)))
        if groups and (CONTINUATION.match(clause) or ATTACHED.match(clause) or framed):
            groups[-1].append((s, e))
        else:
            groups.append([(s, e)])
    return groups


def _statement_end(text: str, start: int, end: int) -> int | None:
    """Where the first clause stating a commitment's goal whole (将以…为目标; ``goal_statements.txt``) ends."""
    return next((ce for cs, ce in _clauses(text, start, end) if _cues()["goal_statements"].first(text[cs:ce])), None)


def _at_statements(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A goal cut after its goal statement: 烟台市财政部门将以构建…体系为目标 is a goal whole.

    When a clause with a cue of its own follows (力争到2025年…率先构建起…“四梁八柱”), the goal is cut in
    two, as the dev gold has it: the clauses between name the means (通过“6个3”…的深度实施，以更大力度…
    抓好…改革攻坚) and are no goal. Without such a clause the sentence stays whole: what follows the
    statement may be its outcome (要以提高核心竞争力…为目标，形成有效制衡的公司法人治理结构…).
    """
    cut = _statement_end(text, start, end)
    if cut is None:
        return [(start, end)]
    cued = next((cs for cs, ce in _clauses(text, cut + 1, end)
                 if _cue(text[cs:ce], "goal_cues") or _cue(text[cs:ce], "goal_cues_strong")), None)
    return [(start, end)] if cued is None else [(start, cut), (cued, end)]


SEMICOLON = re.compile(r"[；;]")
COMMITS_TO_LIST = ("将",)  # a cue whose commitment runs over the ；-parts after it (将…；全面开展…；再推出…)


def _at_semicolons(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A goal span cut at its semicolons: each part of a ；-list is a goal of its own.

    The labels (and the clause model) end a sentence at ；: 将按程序报批后印发实施；全面开展…评估
    工作，明年起逐步实现…全覆盖；再推出一批…措施 states three commitments, as a 下一步 list's
    一是…；二是… states one goal per item. An exhortation's list (a call: 会议强调，要…；…；…) is cut
    per item too, each item kept when it names an outcome of its own (:func:`call_items`).
    """
    pieces = _semicolon_pieces(text, start, end)
    if len(pieces) < 2:
        return pieces
    if goal_cases.case_split(text, pieces):
        return [(start, end)]  # 有条件的要…；一时难以解决的，要…: the cases of one requirement
    first = _head_cue(text, pieces)
    if first is None:
        return call_items(text, pieces) or [(start, end)]  # an exhortation's list: a call, cut per item
    if first.group(0).startswith(COMMITS_TO_LIST) or _cues()["list_intros"].first(text[pieces[0][0]:pieces[0][1]]):
        return pieces  # 将…；…；… and 主要预期目标是：…；…；…: the cue runs over the whole list
    # 努力/确保/力争 name an outcome in their own clause: a task after the ； with no goal of its own
    # (努力把展商变成投资商；办好…博览会等重大活动) is no goal, as in an exhortation's call
    return [pieces[0]] + call_items(text, pieces[1:])


def _semicolon_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``text[start:end]`` cut at its ；, less a ； inside a quotation (突出“…；…”这两条主线: the quotation's)."""
    quoted: list[tuple[int, int]] = []
    if SEMICOLON.search(text, start, end):  # the quotations of the line matter only to a ；
        line_start = text.rfind("\n", 0, start) + 1  # a quotation may open before the goal does (明确提出：“…，确保…；…”)
        line_end = text.find("\n", end)
        quoted = [(m.start(), m.end()) for m in goal_grammar.QUOTED.finditer(
            text, line_start, len(text) if line_end < 0 else line_end)]
    return _spans(text, start, end, SEMICOLON, within=quoted)


def _exhortation_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A goal span cut into its call's items (:func:`call_items`) when it is an exhortation's ；-list, else
    whole: cut before the clause model judges the rules' goals, so each item is judged on its own."""
    pieces = _semicolon_pieces(text, start, end)
    if len(pieces) < 2 or _head_cue(text, pieces) or goal_cases.case_split(text, pieces):
        return [(start, end)]
    return call_items(text, pieces) or [(start, end)]


def _head_cue(text: str, pieces: list[tuple[int, int]]) -> re.Match[str] | None:
    """The goal cue of a ；-list's first part; none in an exhortation's call (要…；…；…)."""
    head = text[pieces[0][0]:pieces[0][1]]
    return _cue(head, "goal_cues") or _cue(head, "goal_cues_strong")


# Whether an item of a call with an outcome word but no cue of its own (巧攻城乡建设，提升城市品位) is a goal.
# The labelled batches say yes (news calls of batches 1-36: 24 such items goals, 4 not; ``bench.goal_semicalls``),
# the dev gold's one meeting call says no (推进“人才强社”战略,增强组织活力 and 积极开展调查研究,提升议政建言质量
# are not its goals). On: 29-32 0.724 -> 0.738, held-out 35-36 0.621 -> 0.627, dev 0.990 -> 0.960 (README,
# "Session 14 (helper goalnews14)"); off until the dev gold and the labels agree, as the dev floor is 0.98.
# A parallel call's outcome-word items count without it (:func:`nlp.goal_cases.parallel_call`).
CALL_OUTCOME_ITEMS = False


def call_items(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The items of an exhortation's ；-list (会议强调，要…；…；…) that are goals: each states a goal of its own
    (a cue of its own, 要 with an outcome word after it, a target quantity or an outcome state).

    The labelled batches 1-36 judge such a call item by item (``bench.goal_semicalls``; README, "Batches 10
    and after"), and the dev gold's meeting call (会议号召，…社员要…团结…；推进…，增强组织活力；…；…，努力为…作出
    更大贡献) has its one goal in the item with a cue of its own. An item of means only (谋深谋实项目, 抓好污染防治)
    is no goal; one with an outcome word alone only in a parallel call (:func:`nlp.goal_cases.parallel_call`) or
    with :data:`CALL_OUTCOME_ITEMS`. Empty when no item states a goal.
    """
    cues = _cues()
    outcome_items = CALL_OUTCOME_ITEMS or goal_cases.parallel_call(text, pieces)
    return [(s, e) for s, e in pieces if _weak_cue(text[s:e]) or _cue(text[s:e], "goal_cues_strong")
            or _quantified(text[s:e]) or _is_state(text[s:e])
            or (outcome_items and cues["outcome_words"].first(text[s:e]))]


def _is_horizon(clause: str) -> bool:
    """A clause that is only a date to reach targets by (到2030年, 目标到2030年): it frames the clause after it."""
    return _cues()["horizons"].first(clause.strip()) is not None


def _joined_horizons(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Goal spans with a bare horizon (到2025年, cut off its sentence by a comma) joined to the goal right after it.

    A horizon alone states nothing to reach; with no goal after it in its sentence it is dropped.
    """
    out: list[tuple[int, int]] = []
    ordered = sorted(set(spans))
    for n, (s, e) in enumerate(ordered):
        if not _is_horizon(text[s:e]):
            out.append((s, e))
            continue
        after = ordered[n + 1] if n + 1 < len(ordered) else None
        if after and not SENTENCE_END.search(text, e, after[0]) and not text[e:after[0]].strip("，, 　"):
            ordered[n + 1] = (s, after[1])
    return out


def _list_heads(text: str, run: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Quantified clauses of a run that open a target of their own (not 比去年增加…, 增长17.8%).

    A run is a target list when it has two such clauses or one that is a target (a quantity with
    a target verb, :func:`_is_target_clause`): 在新的一年里，我们将坚持…八项主张，努力推动… is one goal
    sentence (the dev gold keeps it whole), a count in passing (八项主张, 两个特别行政区) is no target.
    """
    return [(s, e) for s, e in run if vagueness.quantities(_no_target_counts().sub("", text[s:e]))
            and not CONTINUATION.match(text[s:e]) and not ATTACHED.match(text[s:e])]


# counts that name no target in a meeting report's sentence (``no_target_counts.txt``: 省委十届三次全会, 今年最后两个月):
# taken out before a run's quantified clauses are counted (session 18, goalnews18)
@functools.lru_cache(maxsize=1)
def _no_target_counts() -> re.Pattern[str]:
    return regex_union.goal_vocabulary("no_target_counts.txt")


ATTACHED = re.compile(r"^(?:在实际工作中|力争更好|争取更好)")
FRAMING = re.compile(r"^(?:在|按照|根据|围绕).*(?:基础上|前提下|条件下|情况下)$"
                     # a scope phrase names the field of the target after it (包括经济方面，国内生产总值增长5%左右；
                     # 粮食安全方面，粮食产量1.3万亿斤以上): it states nothing to reach on its own
                     r"|^(?:包括|其中|另外|在)?[^，,。；;：:\d]{1,10}(?:方面|领域)$")
# a clause that completes the subject clause before it (一九五八年的基本建设总投资额，拟定为145亿元)
PREDICATE = re.compile(r"^(?:拟定为|拟定|定为|计划为|预计为|预定为|为\d|为[一二三四五六七八九十百千万亿两])")


def not_in_cells(text_goals: list[Goal], table_goals: list[Goal]) -> list[Goal]:
    """Text goals that do not repeat a goal cell: a budget states its 绩效目标 in the text and the table."""
    cells = [_squash(g.text) for g in table_goals]
    return [g for g in text_goals if not any(_squash(g.text) in c for c in cells)]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


ARTICLE = re.compile(r"^\s*第[一二三四五六七八九十百零〇]+条", re.M)


ARTICLE_LINE = re.compile(r"^[ \t\u3000]*第[一二三四五六七八九十百零〇]+条[^\n]*", re.M)
ARTICLE_SHARE = 0.4  # share of a text's characters in article lines that makes a page of a law (laws: 0.36-0.65)


def is_legal_text(text: str) -> bool:
    """A law or regulation: numbered articles (第一条 …) throughout, or a page of one.

    Why the share: a stored copy of a measure often holds a page (第十三条-第十九条), too few articles
    to count, yet its 应当/绩效目标是… lines are obligations and definitions, not goals; in an annual report
    that quotes a few articles they hold 1-2% of the text.
    """
    if len(ARTICLE.findall(text)) >= 10:
        return True
    lines = ARTICLE_LINE.findall(text)
    if len(lines) < 2:
        return False  # most texts: no need to measure the body
    body = sum(len(line.strip()) for line in text.splitlines())
    return body > 0 and sum(len(line.strip()) for line in lines) >= ARTICLE_SHARE * body


# ---- running text -----------------------------------------------------------------------


def _clauses(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Clauses of a sentence; a clause that continues a quantity joins the one before."""
    out: list[tuple[int, int]] = []
    for cs, ce in _spans(text, s, e, CLAUSE_END):
        if out and CONTINUATION.match(text[cs:ce]) and vagueness.quantities(text[out[-1][0]:out[-1][1]]):
            out[-1] = (out[-1][0], ce)
        else:
            out.append((cs, ce))
    return out


def _cue_sentence_goals(text: str, clauses: list[tuple[int, int]], at: int, end: int) -> list[tuple[int, int]]:
    """Goals of a sentence whose cue is at ``at``: its quantified clauses, or the part from the cue's clause.

    Several quantified clauses are one goal each. Before the cue only target clauses count
    (a slogan or a session number, 十二届八次全会, is no target). A single target clause after
    the cue's clause is a goal of its own (争取…项目核准，原煤产量达到7000万吨): one sentence,
    two goals.
    """
    first = next((cs for cs, ce in clauses if ce > at), clauses[0][0])
    quant = [(cs, ce) for cs, ce in clauses
             if _quantified(text[cs:ce]) and (cs >= first or _is_target_clause(text[cs:ce]))]
    if len(quant) >= 2:  # the outcome states between the targets are goals too (能源消费总量得到合理控制)
        states = [(cs, ce) for cs, ce in clauses if cs >= first and (cs, ce) not in quant and _is_state(text[cs:ce])]
        # the cue's own clause when the cue governs an outcome (要保持…; not 要充分认识确保…的重大意义, a stance)
        own = next(((cs, ce) for cs, ce in clauses if cs == first and cs <= at < ce), None)
        if (own and own not in quant and own not in states
                and (_cues()["goal_cues_strong"].opens(text[at:own[1]])  # 力争…建成投产: the strong cue names what is reached
                     or _cues()["outcome_words"].first(text[at:min(at + OWN_OUTCOME, own[1])]))
                and not CONDITION_THEN.match(text, own[1])):  # 但要建成…国家，就需要几十年的努力: a condition
            states.append(own)  # 今年要保持国民经济持续、快速、健康发展，经济增长速度的调控目标定为８％，…
        return sorted(set(quant + states + _unquantified_items(text, clauses, first)))
    before = [(cs, ce) for cs, ce in quant if ce <= first]
    after = [(cs, ce) for cs, ce in quant if cs > first and _is_target_clause(text[cs:ce])]
    if after:
        cut = max(ce for cs, ce in clauses if ce <= after[0][0])
        return before + [(first, cut), (after[0][0], end)]
    return before + [(first, end)]


OWN_OUTCOME = 5  # the cue and the outcome word right after it (要保持, 力争实现)
CONDITION_THEN = re.compile(r"[，,]\s*(?:就|才|则)")  # the clause after states what a condition needs
LIST_ITEMS = 3  # ；-items after a cue's own that make a sentence a target list


def _unquantified_items(text: str, clauses: list[tuple[int, int]], first: int) -> list[tuple[int, int]]:
    """The clauses of the items without a quantity in a ；-list of targets after a cue (今年要…；城镇新增就业
    900万人以上，…；进出口促稳提质，国际收支基本平衡；…；重大金融风险有效防控；…): in a list whose items
    are targets, an item is a target though it names no number. A list of at least :data:`LIST_ITEMS`
    items after the cue's own, two of them quantified; an item with a done cue is a result."""
    items: list[list[tuple[int, int]]] = [[]]
    for cs, ce in clauses:
        if ce <= first:
            continue
        items[-1].append((cs, ce))
        if text[ce:ce + 1] in ("；", ";"):
            items.append([])
    after = [item for item in items[1:] if item]  # the cue's own item states the frame, not a target of the list
    quantified = [item for item in after if any(_quantified(text[cs:ce]) for cs, ce in item)]
    if len(after) < LIST_ITEMS or len(quantified) < 2:
        return []
    done = _cues()["done_cues"]
    return [c for item in after if item not in quantified and not any(done.first(text[cs:ce]) for cs, ce in item)
            for c in item]


def _is_state(clause: str) -> bool:
    """An outcome state reached (更加健全, 基本达到…水平, 得到合理控制), not a means, no report."""
    cues = _cues()
    return bool(cues["outcome_states"].first(clause) or cues["reached_states"].first(clause)) and not cues[
        "done_cues"].first(clause)


def _quantified(text: str) -> bool:
    return bool(vagueness.quantities(text)) or vagueness.has_counter_cue(text)


def _sentences(text: str, s: int, e: int, title: int) -> list[tuple[int, int]]:
    """Sentences up to 。！？, with heading lines (七、绩效目标) split off their own; the
    title line (ending at ``title``, :func:`_title_end`) is a sentence of its own, though
    it has commas."""
    out = []
    for ss, se in _spans(text, s, e, SENTENCE_END):
        if ss < title < se:
            out.append((ss, title))
            ss = title
            while ss < se and text[ss].isspace():
                ss += 1
        while True:
            m = HEADING_LINE.match(text, ss, se)
            if not m or m.end() >= se or (ss > 0 and text[ss - 1] != "\n"):
                break
            out.append((ss, m.end() - 1))
            ss = m.end()
            while ss < se and text[ss].isspace():
                ss += 1
        out.append((ss, se))
    return out


def _is_topic_line(sentence: str) -> bool:
    """A short clause-less sentence (货币政策要保持稳健中性) that heads a paragraph."""
    return len(sentence) <= 15 and not CLAUSE_END.search(sentence)


BULLET = re.compile(r"[●•◆▪◇]")  # opens a list item (■ opens a digest's heading)


def _is_heading(text: str, s: int, e: int) -> bool:
    """A line of its own, short and without clause punctuation (七、绩效目标), not a bulleted item.

    A digest lists the year's targets as bullets under 主要预期目标 (●居民收入增长与经济增长同步): read
    as headings, the first short one closed the goal heading and the bullets after it were lost.
    """
    line_start = s == 0 or text[s - 1] == "\n"
    line_end = e == len(text) or text[e] == "\n"
    return (line_start and line_end and e - s <= 24 and not HEADING_STOP.search(text, s, e)
            and not BULLET.match(text, s))


PARAGRAPH_END = re.compile(r"\n\s*\n|\n(?=\s{2,}|[一二三四五六七八九十]+、)")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return _spans(text, 0, len(text), PARAGRAPH_END)


Layout = tuple[tuple[int, int, tuple[tuple[int, int], ...]], ...]


@functools.lru_cache(maxsize=4)
def _layout(text: str) -> Layout:
    """The paragraphs of a text, each with its sentences (:func:`_sentences`), cut once per text.

    The rules, the sections and the clause model each walk the same paragraphs and sentences;
    cutting them once per document instead of once per walk.
    """
    title = _title_end(text)
    return tuple((ps, pe, tuple(_sentences(text, ps, pe, title))) for ps, pe in _paragraphs(text))


def from_text(document: Document, skip: list[tuple[int, int]] | None = None, kind: str | None = None) -> list[Goal]:
    """Goal sentences and target clauses of the document's running text.

    ``kind``: the document type when the caller knows it (else found when needed, :func:`plan_prose`).
    """
    text = document.text
    skip = skip or []
    cues = _cues()
    out: list[tuple[int, int]] = []
    under_heading = False
    layout = _layout(text)
    experts = goal_voice.expert_paragraphs(text, tuple((ps, pe) for ps, pe, _ in layout))
    for ps, pe, sentences in layout:
        if any(s < pe and ps < e for s, e in skip):
            continue
        found: list[tuple[int, int]] = []
        carry = False  # the sentence before stated goals: 其中… and quantified sentences continue it
        voiced = (ps, pe) in experts
        for k, (ss, se) in enumerate(sentences):
            first_in_paragraph = k == 0
            sent = text[ss:se]
            if _is_duty_line(sent):
                carry = False  # 牵头责任单位：省发展改革委 names who does it, under the target it follows
                continue
            if _is_heading(text, ss, se):
                if under_heading and _heading_target(text, ss, se):
                    found.append((ss, se))  # （一）地区生产总值增长7%以上: a numbered target line, the list goes on
                    continue
                under_heading = bool(GOAL_HEADING.search(sent))  # 七、绩效目标 (not 主要工作任务及目标)
                carry = False
                continue
            if len(sent) < MIN_GOAL_CHARS:
                carry = False
                continue
            stated = STATED_GOAL.search(sent) if under_heading else None
            if stated and not SEE_BELOW.search(sent):
                # 我校…共计239万元，其中…，项目绩效目标是保证学校的正常运转: the funds frame; the goal is what is stated
                found.append(next((cs, se) for cs, ce in _clauses(text, ss, se) if ce > ss + stated.start()))
                continue
            if under_heading and not SEE_BELOW.search(sent):
                # one goal per target of a list line (●城镇调查失业率5.5%左右，城镇新增就业70万人以上); a
                # ；-list (今年发展主要预期目标是：…；…；…) is cut at its ； after the model (_listed_parts)
                found += ([(ss, se)] if SEMICOLON.search(sent)
                          else [(g[0][0], g[-1][1]) for g in target_groups(text, _clauses(text, ss, se))])
                continue
            if LIST_OPENER.search(sent) or sent.endswith(("：", ":")):
                continue
            if cues["goal_comments"].first(sent):
                carry = False  # 这些目标，考虑了…: about the targets before, not a target
                continue
            intro = cues["list_intros"].first(sent)
            if intro and _vetoed(sent, intro.start()):
                intro = None  # 确保完成全年主要目标任务: the targets completed, no list of them
            strong = _cue(sent, "goal_cues_strong") or _cue(sent, "stated_targets")
            weak = _weak_cue(sent)
            done = cues["done_cues"].first(sent) or cues["reported_met"].first(sent)
            if strong and done and ((done.start() < strong.start() and not CLAUSE_END.search(
                    sent, done.start(), strong.start())) or done.start() < strong.end() <= done.end()):
                strong = None  # 实现了…的预期目标, 主要目标任务圆满完成: a result, reported
            if voiced and strong and not goal_voice.states_target(strong.group(0)):
                strong = None  # 估计到2025年…: a date in a commentator's mouth predicts
            cue = strong or (weak if not done else None)
            if _is_question(text, se) or (voiced and not strong and not intro):
                carry = False  # a question; a commentator's 要/将: advice, a derivation or a prediction (nlp.goal_voice)
                continue
            if intro and not done:
                after = ss + intro.end()
                found += [(g[0][0], g[-1][1]) for g in _list_items(text, [(cs, ce) for cs, ce in _clauses(text, ss, se)
                                                                          if cs >= after])
                          if g[-1][1] - g[0][0] >= 4]
                carry = True
                continue
            exhort = None if done else _cue(sent, "goal_cues_exhort")
            opens_line = first_in_paragraph or text[ss - 1] == "\n"
            if (cue or exhort) and opens_line and _is_topic_line(sent) and k < len(sentences) - 1:
                carry = True  # 货币政策要保持稳健中性。 heads the sentences that state its targets
                continue
            if cue or (carry and sent.startswith("其中")):
                if strong and weak and not done:
                    cue = min(strong, weak, key=lambda m: m.start())
                found += [item for s, e in _cue_sentence_goals(text, _clauses(text, ss, se), ss + cue.start() if cue else ss, se)
                          for item in _exhortation_items(text, s, e)]
                carry = True
                continue
            # 2019年度，… reports that year's data; an estimate governs its sentence (据…最新预测，…有望突破90万吨，达到91.9万吨)
            if carry and cues["estimates"].first(sent):
                carry = False
            if (carry and not done and not DATED.search(sent)) or exhort:
                quant = [(cs, ce) for cs, ce in _clauses(text, ss, se)
                         if ce - cs >= MIN_GOAL_CHARS and _is_target_clause(text[cs:ce])]
                if carry and not done and not DATED.search(sent) and quant:  # targets continuing the goal sentence before
                    found += quant
                    continue
                if exhort:  # 要突出重点…: no goal itself, but the targets after it are targets
                    found += quant
                    carry = True
                    continue
            carry = False
        out += found
    out = _by_section(text, out, skip)
    covered = _overlap_test(out)
    out += [(s, e) for s, e in plan_prose(document, skip, kind) if not covered(s, e)]
    covered = _overlap_test(out)
    out += [(s, e) for s, e in budget_plan_amounts(text, skip) if not covered(s, e)]
    out = _with_requirement_outcomes(text, out, skip)
    listed = _next_list_items(document, skip, kind)
    covered_by_list = _overlap_test(listed)
    out = [span for span in out if not covered_by_list(*span)]  # the item is the goal (its cue-less parts included)
    out, listed = _not_indicators(text, out, skip), _not_indicators(text, listed, skip)
    goals = []
    for s, e in _joined_horizons(text, out + listed):
        if e - s < MIN_GOAL_CHARS or _restated_headline(text, s, e):
            continue
        goals.append(_goal(document, s, e, text[s:e], source="text"))  # text == document.text[s:e]
    return goals


# the section kinds whose sentences give no goals: a goal table's indicators written as prose (section_indicators.txt)
# and a unit's duties (section_duties.txt, session 18: （一）基本职能 over 一是促进经济发展，…确保农民受益)
NO_GOAL_PARTS = ("indicators", "duties")


def _not_indicators(text: str, found: list[tuple[int, int]], skip: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans outside an indicator part (``section_indicators.txt``: 一、 产出指标 over 数量指标：…>=17600株) or a
    duties part (``section_duties.txt``: （一）基本职能): a goal table's indicators written as prose and a unit's duties
    are no goals, whatever cue or figure they hold."""
    parts = [(ss, se) for ss, se, k in _sections(text, skip) if k in NO_GOAL_PARTS]
    if not parts:
        return found
    inside = _overlap_test(parts)
    return [span for span in found if not inside(*span)]


def _with_requirement_outcomes(text: str, found: list[tuple[int, int]], skip: list[tuple[int, int]]
                               ) -> list[tuple[int, int]]:
    """Goal spans with the closing outcomes of each 总体要求 (:func:`_requirement_outcomes`) as one goal.

    Rule goals inside the run give way to it (保持社会和谐稳定 of …保持社会和谐稳定，实现“十五五”良好开局), and so
    does a goal that holds the whole requirement, its guiding ideas too; a run that another rule goal reaches
    into or out of is left to that goal.
    """
    out = list(found)
    for s, e in _requirement_outcomes(text, tuple(skip)):
        inside = [(a, b) for a, b in out if s <= a and b <= e]
        # a requirement found whole as a goal sentence (要坚持以…为指导，…，推动…，实现…良好开局): the goal starts
        # at the outcomes, the guiding ideas it opens with are no goal
        inside += [(a, b) for a, b in out if a < s and text[b:e].strip("。；;！!？? \n") == "" and (a, b) not in inside
                   and _cues()["requirement_intros"].first(text[a:s])]
        if any(a < e and s < b for a, b in out if (a, b) not in inside):
            continue
        out = [span for span in out if span not in inside] + [(s, e)]
    return out


@functools.lru_cache(maxsize=4)
def _requirement_outcomes(text: str, skip: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """The closing outcomes of a report's 总体要求 (``requirement_intros.txt``): one goal per requirement.

    The requirement runs from its intro sentence over the sentences after it in the paragraph until one
    opens a list or states targets (a colon, 目标, an item mark); its last sentence closes on the outcomes
    aimed at: the clauses from its end back while each opens on an outcome (``outcome_leads.txt``:
    推动…, 切实增进…, 在…中勇当…, 不断开创…). The guiding ideas and means before them are no goal.
    """
    cues = _cues()
    out: list[tuple[int, int]] = []
    for ps, pe, sentences in _layout(text):
        if any(s < pe and ps < e for s, e in skip):
            continue
        run: list[tuple[int, int]] = []
        for ss, se in sentences:
            sent = text[ss:se]
            if not run:
                if cues["requirement_intros"].first(sent):
                    run.append((ss, se))
                continue
            if sent.endswith(("：", ":")) or "目标" in sent or ITEM_MARK.match(sent) or _is_heading(text, ss, se):
                break
            run.append((ss, se))
        # each sentence of the requirement closes on its outcomes (统筹好…，进一步提升…安全水平。); the intro sentence only
        # when it is the whole requirement: before the sentences after it, it states guidance (…，加快构建新发展格局。)
        for last in run[1:] or run:
            clauses = _clauses(text, *last)
            head = text[last[0]:last[1]]
            intro = cues["requirement_intros"].first(head)
            start = None
            for cs, ce in reversed(clauses):
                if (intro and cs < last[0] + intro.end()) or not cues["outcome_leads"].first(text[cs:ce]):
                    break
                start = cs
            if start is not None:
                out.append((start, clauses[-1][1]))
    return tuple(out)


ITEM_MARK = re.compile(r"^\s*(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+[，,])")


def _next_list_items(document: Document, skip: list[tuple[int, int]], kind: str | None) -> list[tuple[int, int]]:
    """The numbered items after a sentence that frames coming work (``next_frames.txt``): one goal each.

    News reports a ministry's next steps as 明确了下一步财政政策六大重点工作。一是加大…；二是…: the
    items carry no cue word, the frame before them makes them goals. The frame holds for the
    sentences right after it that open with an item mark (一是, （一）), in its paragraph or the
    paragraphs after; each item runs to the next item mark at a ；, or to the sentence end.

    In news (``kind``, else the document's type), the sentences after an item on its line go on
    with it, one goal each (一是建立投入保障机制。…加快落实…机制，将土地增值收益更多用于“三农”。二是…):
    an official's plan list states each measure as a sentence of its own, without a cue word, and
    the labels take a named actor's reported plans as goals. In a work report the same sentences
    are the tasks under a heading (（四）用心用情推进人民城市建设。加大保障和改善民生力度…), no goals.
    """
    items, after = _next_list_parts(document.text, tuple(skip))
    if not after:
        return list(items)
    from nlp import goal_model

    if (kind or goal_model.document_kind(document)) != "news":
        return list(items)
    return sorted(items + after)


@functools.lru_cache(maxsize=4)
def _next_list_parts(text: str, skip: tuple[tuple[int, int], ...]
                     ) -> tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]:
    """The items of :func:`_next_list_items` and the sentences after an item on its line (no report among them)."""
    frames = _cues()["next_frames"]
    targets = _cues()["target_list_frames"]  # a plan's target list: 提出…主要预期目标：\n一是…
    done = _cues()["done_cues"]
    items: list[tuple[int, int]] = []
    after: list[tuple[int, int]] = []
    framed = listed = False  # listed: the frame is a plan's target list (target_list_frames.txt)
    item = -1  # where the item the sentences go on with starts (-1: none)
    for ps, pe, sentences in _layout(text):
        if any(s < pe and ps < e for s, e in skip):
            framed = False
            continue
        for ss, se in sentences:
            sent = text[ss:se]
            if framed and ITEM_MARK.match(sent):
                item = -1
                if not _is_heading(text, ss, se):  # （一）关于经济建设: a section heading, no item to reach
                    items += _items_of(text, ss, se)
                    item = ss
                continue
            if framed and item >= 0 and "\n" not in text[item:ss]:
                if listed:
                    continue  # a target list's item: its head is the target, the sentences after it its means
                if not done.first(sent) and se - ss >= MIN_GOAL_CHARS:
                    after += _items_of(text, ss, se)
                continue
            item = -1
            listed = targets.first(sent) is not None and not done.first(sent)
            framed = (frames.first(sent) is not None and not _is_question(text, se)) or listed
    return tuple(items), tuple(after)


def _items_of(text: str, ss: int, se: int) -> list[tuple[int, int]]:
    """A sentence of numbered items cut into items: a ；-part without an item mark goes on with the item before."""
    items: list[tuple[int, int]] = []
    for s, e in _spans(text, ss, se, SEMICOLON):
        if items and not ITEM_MARK.match(text[s:e]):
            items[-1] = (items[-1][0], e)
        else:
            items.append((s, e))
    return [(s, e - (len(text[s:e]) - len(text[s:e].rstrip("。；;！!")))) for s, e in items]


HEADLINE_TAIL = 10  # characters of a headline's goal the body must repeat


def _restated_headline(text: str, start: int, end: int) -> bool:
    """A goal in a headline line (no sentence mark on its line) whose words the body repeats after it.

    A digest's item headline (NO.4 四部门：十四五期间力争实现每个地市都有三甲医院) states the target its
    paragraph states again (…力争实现每个地市都有三甲医院); the labels count the body's, as for a
    document's title (:func:`_title_end`).
    """
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if re.search(r"[。！？!?；;]", text[line_start:line_end]) or end - start < HEADLINE_TAIL:
        return False
    return text.find(text[end - HEADLINE_TAIL:end], line_end) >= 0


def _is_question(text: str, end: int) -> bool:
    """The sentence ending at ``end`` asks (比如今年的目标是什么？): a question states no goal."""
    return text[end - 1:end + 1].strip()[-1:] in ("？", "?") if end else False


SEE_BELOW = re.compile(r"详见|见附|如下")
# a line that only announces the list after it (我们将着重抓好以下六个方面的工作。): no goal itself
LIST_OPENER = re.compile(r"(?:以下|如下)(?:[一二三四五六七八九十两几\d]+个?)?(?:点|方面|大?(?:重点)?(?:工作|任务))?(?:的工作)?[:：]?$")
DATED = re.compile(r"(?<!到)(?:19|20)\d\d年")
STATED_GOAL = re.compile(r"目标(?:是|为)(?!\d)")  # a goal stated under its heading (项目绩效目标是保证…)
GOAL_HEADING = re.compile(r"(?:绩效|项目|年度|总体|工作|预期|主要)目标[:：]?$")
FUTURE = re.compile(r"今年|明年|下一步|下步|今后|将|要|力争|确保|争取|计划|拟")


@functools.lru_cache(maxsize=1)
def _year_headings() -> tuple[tuple[re.Pattern[str], str], ...]:
    """``section_years.txt``: a year subheading's pattern and the section kind it opens (rule-only)."""
    rows = (line.split("\t") for line in corpora.read_lines("goals", "section_years.txt"))
    return tuple((re.compile(p), kind) for p, kind in rows)


def _orientation(sentence: str, current: str | None) -> str | None:
    """The kind of section a heading or a short intro opens: next steps, review, plan (else unchanged)."""
    cues = _cues()
    for pattern, kind in _year_headings():
        if pattern.search(sentence):
            return kind
    for name, kind in (("section_indicators", "indicators"), ("section_duties", "duties"), ("section_next_steps", "next"),
                       ("section_review", "review"), ("section_plan", "plan"), ("section_other", None)):
        if cues[name].first(sentence):
            return kind
    if current == "review" and GOAL_HEADING.search(sentence.strip()):
        return None  # （二）资金及项目绩效目标 under 一、基本情况: the goals, no longer the review
    if current in NO_GOAL_PARTS:
        return None  # an indicator part (二、 效益指标) or a duties part (（一）基本职能) ends at the next heading that is none
    return current


def _sections(text: str, skip: list[tuple[int, int]]) -> tuple[tuple[int, int, str | None], ...]:
    """Every sentence with the kind of section it is in (headings and short intros set it).

    Found once per text and table spans: the rules, the goals sure by place and the clause
    model all read them.
    """
    return _sections_of(text, tuple(skip))


@functools.lru_cache(maxsize=4)
def lead_kind(text: str) -> tuple[str | None, int]:
    """``("review", end)`` when the document's lead reports on a period already run (``review_leads.txt``: an
    execution report, a half-year progress item) and names nothing still ahead (``review_lead_guards.txt``);
    ``end``: where the lead ends. ``(None, 0)`` otherwise.

    Why: a progress report lists results sentence after sentence (拨付资金3500万元, 共争取资金103.6亿元) with
    no review heading above them; it says once, in its lead, that it reports, and the section walk
    (:func:`_sections`) starts from that. The lead is the title lines and the first sentence that is no
    heading; a first sentence that opens a numbered item (a digest's 1、…) is no lead.
    """
    lead = next(((ss, se) for _, _, sentences in _layout(text) for ss, se in sentences
                 if not _is_heading(text, ss, se)), None)
    if lead is None or ENUM_START.match(text, lead[0]):
        return None, 0
    head = text[:lead[1]]
    cues = _cues()
    if cues["review_leads"].first(head) and not cues["review_lead_guards"].first(head):
        return "review", lead[1]
    return None, 0


@functools.lru_cache(maxsize=4)
def _sections_of(text: str, skip: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int, str | None], ...]:
    out: list[tuple[int, int, str | None]] = []
    headings: list[tuple[int, int]] = []
    kind, lead_end = lead_kind(text)  # a progress report is a review from its lead on
    point: tuple[str | None, int] | None = None  # a goal point (2.目标任务。…): the kind before it, where its line ends
    top_review = False  # the review was opened by a top heading (一、过去一年的工作): its sibling (二、…) ends it
    for ps, pe, sentences in _layout(text):
        if any(s < pe and ps < e for s, e in skip):
            continue
        back = False  # the line opened on a year already run (:func:`_looks_back`)
        for ss, se in sentences:
            sent = text[ss:se]
            if point and ss >= point[1]:
                kind, point = point[0], None
            if _cues()["goal_point_titles"].first(sent) and not _is_heading(text, ss, se):
                line_end = text.find("\n", se)
                point, kind = (kind, len(text) if line_end < 0 else line_end), "next"  # its title is no goal
                continue
            top = bool(re.match(r"[一二三四五六七八九十]+、", sent)) and len(sent) <= 40 and "。" not in sent
            heading = _is_heading(text, ss, se) and not (kind == "plan" and _is_target_line(sent)
                                                        and _among_short_lines(text, ss, se))
            if heading or top or (len(sent) <= 40 and (
                    sent.endswith(("：", ":")) or "以下" in sent or (re.match(r"^下一步|^下步", sent) and not (
                        # a question inside a paragraph (a lead's 下一步发展还需从哪些方面着力？) asks, it opens no
                        # next steps; an interview's question line still may
                        text[se:se + 1] in ("？", "?") and not _opens_line(text, ss))))):
                if lead_end and ss >= lead_end:  # the lead's review holds to the first heading after it
                    kind, lead_end = _orientation(sent, None), 0
                elif top and top_review and _opens_line(text, ss):  # 二、保持国民经济发展的良好势头 after 一、…回顾: a part of its own
                    kind = _orientation(sent, None)
                else:
                    kind = _orientation(sent, kind)
                if top and _opens_line(text, ss):  # only a top line naming a review itself (一、…回顾), not one inside a review
                    top_review = _orientation(sent, None) == "review"  # part (nor 一、二、三产业增加值分别增长…, a sentence)
                if heading:
                    headings.append((ss, se))
                    continue
            elif sent.endswith(("：", ":")) and _cues()["next_intros"].first(sent):
                out.append((ss, se, kind))  # the framing line itself is no goal
                kind = "next"
                continue
            elif sent.endswith(("：", ":")) and _cues()["review_intros"].first(sent):
                out.append((ss, se, "review"))  # …取得了显著成效，以下是2023年工作回顾： the list after it reports
                kind = "review"
                continue
            if _opens_line(text, ss):  # a sentence opening a line opens a paragraph as a page writes it
                back = _looks_back(sent)
            elif back and FUTURE.search(NOT_FUTURE.sub("", sent)):
                back = False
            out.append((ss, se, "review" if back else kind))
    # a self-evaluation's or rectification text's runs of requirements and measures (nlp.goal_self)
    return tuple(goal_self.with_runs(text, out, [(ps, pe) for ps, pe, _ in _layout(text)], headings))


def _looks_back(sentence: str) -> bool:
    """A paragraph's first sentence that opens on a year and reports it (``review_openers.txt`` and a done cue, no
    future marker): 2016年，在省委…领导下，我省…实现了“十三五”良好开局。 A plan opens so on the year before it; the
    paragraph's figures after it (全省实现地区生产总值3.12万亿，增长7.9%…) are results until a sentence looks ahead."""
    cues = _cues()
    return (cues["review_openers"].first(sentence) is not None and cues["done_cues"].first(sentence) is not None
            and not FUTURE.search(NOT_FUTURE.sub("", sentence)))


def _opens_line(text: str, s: int) -> bool:
    """Whether position ``s`` opens its line (only spaces before it on the line)."""
    line = text[text.rfind("\n", 0, s) + 1:s]
    return not line.strip()


def _among_short_lines(text: str, s: int, e: int) -> bool:
    """The line ``s:e`` has a short line (heading-sized, :func:`_is_heading`) next to it, before or
    after: a list of lines (a digest's targets under their heading), not a news subheading between
    two paragraphs (重庆：未来5年投500亿元用于本市水利建设)."""
    b_end = s
    while b_end > 0 and text[b_end - 1].isspace():
        b_end -= 1
    a_start = e
    while a_start < len(text) and text[a_start].isspace():
        a_start += 1
    a_end = text.find("\n", a_start)
    a_end = len(text) if a_end < 0 else a_end
    return (b_end > 0 and _is_heading(text, text.rfind("\n", 0, b_end) + 1, b_end)) or (
        a_start < len(text) and _is_heading(text, a_start, a_end))


def _is_target_line(line: str) -> bool:
    """A short line that is a target, not a heading: a digest lists the year's targets one per
    line under 二、今年主要预期目标 (国内生产总值增长5%左右, 城镇新增就业1200万人以上). It reads as
    ``item + quantity`` (:func:`nlp.goal_grammar.parse`) with no enumeration mark (一、 （三） open
    headings). Only in a plan section: elsewhere such a line is a news subheading restating
    its paragraph (未来5年浙江拟投资1980亿元建立新水利)."""
    return not _lead(line) and goal_grammar.parse(line) is not None


LEAD = re.compile(rf"^\s*(?:{goal_grammar.ENUMERATION})?\s*")


def _lead(clause: str) -> str:
    """The enumeration mark a clause opens with (一是, （三）, 3．), if any."""
    m = LEAD.match(clause)
    return m.group(0) if m else ""


def _is_plan_clause(clause: str) -> bool:
    """In a plan: an outcome to reach (显著提升, 保持…增长) or a planned quantity (开行4000班次, 今年…支出21万亿元).

    An outcome word opening the clause is a task's verb, not a state reached (进一步提高文稿服务
    质量, 3．不断提升服务保障能力 in a budget's task list; against 城乡融合成效显著提升); 保持… is
    a steady state either way.
    """
    cues = _cues()
    if cues["done_cues"].first(clause) or cues["measured_changes"].first(clause):
        return False
    if cues["plan_nonclauses"].first(clause):
        return False  # a count announcing the list after it (今年重点抓好五件事：), an anniversary
    state = cues["outcome_states"].first(clause)
    if state and (state.start() > len(_lead(clause)) or state.group(0).startswith("保持")):
        return True
    return bool(vagueness.quantities(clause)) and bool(
        _cue(clause, "target_verbs") or re.search(r"今年|全年|年内|开行|实施|建设|建成|新建|培育|引进", clause))


def plan_prose(document: Document, skip: list[tuple[int, int]], kind: str | None = None) -> tuple[tuple[int, int], ...]:
    """Target clauses of plans written as prose (:mod:`nlp.goal_grammar`), outside review sections
    and budgets: a department budget's amounts (拟购买货物525.4万元, 第一季度用款计划25.88万元) are
    appropriations, not targets. ``kind``: the document type if known (found only when there are clauses)."""
    from nlp import goal_model

    found = _plan_prose(document.text, skip)
    if found and (kind or goal_model.document_kind(document)) in PROSE_OFF:
        return ()
    return found


PROSE_OFF = frozenset({"budget"})  # document types whose quantities are no plan targets


def budget_plan_amounts(text: str, skip: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """The planned figures of a budget report's coming-year part (:mod:`nlp.goal_budget`), one goal per target.

    In that part each clause stating an amount (收入116059万元, 增长6%, 比重为71.1%) is a planned figure, unless
    it reports (a done cue: 上年完成…, 已…), and a sentence opening on the year run (去年, 过去一年) is a review.
    """
    return _budget_plan_amounts(text, tuple(skip))


@functools.lru_cache(maxsize=4)
def _budget_plan_amounts(text: str, skip: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    if not goal_budget.is_budget_report(text):
        return ()
    cues = _cues()
    sentences = [(ss, se, _is_heading(text, ss, se)) for ps, pe, sents in _layout(text)
                 if not any(s < pe and ps < e for s, e in skip) for ss, se in sents]
    out: list[tuple[int, int]] = []
    for ss, se in goal_budget.plan_sentences(text, sentences):
        if _opens_on_review(text[ss:se]) or cues["estimates"].first(text[ss:se]):
            continue  # an estimate governs its sentence: 2024年总财力预计744016万元，其中…财力预计427809万元
        run = [(cs, ce) for cs, ce in _clauses(text, ss, se) if vagueness.quantities(text[cs:ce])
               and not (cues["done_cues"].first(text[cs:ce]) and not CONTINUATION.match(text[cs:ce]))]
        out += [(g[0][0], before_mark(text, g[0][0], g[-1][1])) for g in target_groups(text, run) if g]
    return tuple(out)


def _plan_prose(text: str, skip: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    return _plan_prose_of(text, tuple(skip))


@functools.lru_cache(maxsize=4)
def _plan_prose_of(text: str, skip: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    kinds = {(ss, se): kind for ss, se, kind in _sections(text, list(skip))}
    comments = _cues()["goal_comments"]
    out: list[tuple[int, int]] = []
    listed = False  # a colon intro opened a plan frame: paragraphs opening with an item clause continue it
    drafted = False  # a cited budget draft's figures: paragraphs opening with a figure continue them
    framed = False  # the frame is open after the sentence before (a paragraph opening with 同时 keeps it)
    layout = _layout(text)
    experts = goal_voice.expert_paragraphs(text, tuple((ps, pe) for ps, pe, _ in layout))
    for ps, pe, sentences in layout:
        if any(s < pe and ps < e for s, e in skip):
            framed = listed = drafted = False  # a table between closes the plan: 同时/其中 after it go on with the table
            continue
        voiced = (ps, pe) in experts
        framed = framed and bool(sentences) and goal_grammar.continues(text[sentences[0][0]:sentences[0][1]])
        if drafted and sentences:  # the draft's books go on while a paragraph opens with a figure
            drafted = framed = framed or goal_grammar.opens_with_figure(_clauses(text, *sentences[0]), text)
        for k, (ss, se) in enumerate(sentences):
            sent = text[ss:se]
            if (ss, se) not in kinds:  # a heading: 目标是： opens a list, ● 项目引进实现新突破 goes on with it
                framed = drafted = False
                listed = (listed and not goal_grammar.is_review(sent)) or (
                    sent.endswith(("：", ":")) and goal_grammar.opens_frame(sent))
                continue
            section = kinds[(ss, se)] == "plan"  # a year-plan or target section is a frame of its own
            if not (framed or listed or section or vagueness.quantities(sent) or sent.endswith(("：", ":"))):
                continue  # no frame to go on with, no target here and no list intro: opening a plan changes nothing
            if not (framed or listed or section) and not (
                    goal_grammar.opens_frame(sent) and not (voiced and not goal_voice.states_target(sent))):
                continue  # no frame to go on with and none opened here (a commentator's 将达到 predicts: only a target he names opens a plan)
            if kinds[(ss, se)] == "review" or comments.first(sent):
                framed = listed = False  # a review section, a comment on targets
                continue
            if not vagueness.quantities(sent):  # no target here (most sentences): only the frame moves on
                if k == 0 and listed:
                    framed = listed = goal_grammar.continues(sent)
                goes_on = (framed or section) and goal_grammar.continues(sent)
                framed = (sent.endswith(("：", ":")) and not goal_grammar.is_review(sent)
                          and (goes_on or goal_grammar.opens_frame(sent)))
            else:
                framed, listed = _prose_targets(text, ss, se, out, framed, listed, k == 0, section, drafted)
            if sent.endswith(("：", ":")):
                listed = framed
            elif framed and goal_grammar.cites_budget_draft(sent):
                drafted = True  # a budget draft's figures: the paragraphs after it opening with a figure go on with it
    return tuple(out)


def _prose_targets(text: str, ss: int, se: int, out: list[tuple[int, int]], framed: bool, listed: bool,
                   first: bool, section: bool, drafted: bool = False) -> tuple[bool, bool]:
    """The target clauses of a sentence with a quantity (added to ``out``); whether the frame and
    the plan list stay open after it.

    ``listed`` and ``first``: a plan list is open and the sentence opens a paragraph (its item may
    follow two lead clauses); ``section``: it is in a year-plan section, a frame of its own;
    ``drafted``: a cited budget draft's figures go on (its figure may follow a scope phrase).
    """
    clauses = _clauses(text, ss, se)
    parsed: goal_grammar.Parsed = {}  # each clause parsed once, by the frame test and the targets
    lead = 2 if drafted and first else 1
    if listed and first:  # the list goes on when an item clause opens the paragraph
        lead = goal_grammar.LIST_LEAD
        framed = listed = goal_grammar.opens_with_item(clauses, text, lead, parsed)
    if section:
        framed, lead = True, len(clauses)
    found, framed = goal_grammar.sentence_targets(clauses, text, framed, lead, parsed)
    out += found
    return framed, listed


NOT_FUTURE = re.compile(r"[重主需必]要")  # 要 inside a word (取得重要进展) is no future marker
# 将 marking the object, as 把 does (将新农合人均筹资标准提高到290元): a change made, no future marker
OBJECT_JIANG = re.compile(r"将(?=[^，,。；;！？!?]{1,16}?(?:提高到|提高至|提升到|提升至|降低到|降低至|调整为|调整到|由\d|纳入|列入))")


def _opens_on_review(sentence: str) -> bool:
    """The sentence opens on a review period (过去的一年，国防和军队现代化建设取得重要进展): a result,
    wherever it stands (a work report's plan part may look back on one field)."""
    m = _cues()["section_review"].first(sentence)
    return m is not None and m.start() == 0


def _by_section(text: str, found: list[tuple[int, int]], skip: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Goals adjusted by the section they are in.

    In a review (一年来, 工作回顾) what reads like a target is a result: kept only with a
    future marker (今年, 将, 力争 …). In a plan (工作安排, 主要目标任务, 今年要…) outcome
    clauses and planned quantities are goals even without a cue word (六是城乡融合成效
    显著提升; 开行4000班次). In next steps (下一步, 改进措施) each sentence is a goal. In a progress
    report (its lead reports, :func:`lead_kind`) each goal is judged on its own: kept when its sentence
    looks ahead (年度计划完成投资56.21亿元) and it holds no done cue (1-6月份累计完成投资35.9亿元), and 将
    marking an object (将…提高到290元, :data:`OBJECT_JIANG`) does not look ahead.
    """
    cues = _cues()
    progress = lead_kind(text)[0] == "review"
    ordered = sorted(found)  # the goals starting in a sentence, by bisection (sentences are in order)
    starts = [s for s, _ in ordered]
    dropped: set[tuple[int, int]] = set()
    added: list[tuple[int, int]] = []
    for ss, se, kind in _sections(text, skip):
        sent = text[ss:se]
        inside = ordered[bisect.bisect_left(starts, ss):bisect.bisect_left(starts, se)]
        if kind == "review" and progress:  # a progress report's figure is a result unless its own sentence looks ahead
            ahead = FUTURE.search(OBJECT_JIANG.sub("", sent))
            dropped.update(span for span in inside if not ahead or cues["done_cues"].first(text[span[0]:span[1]]))
        elif kind == "review" or _opens_on_review(sent):
            if inside and (not FUTURE.search(sent) or cues["done_cues"].first(sent)
                           or (kind != "review" and not FUTURE.search(NOT_FUTURE.sub("", sent)))):
                dropped.update(inside)
        elif kind == "plan" and not cues["goal_comments"].first(sent):  # 经济增长预期7%左右，考虑了…
            for cs, ce in _clauses(text, ss, se):
                covered = any(s <= cs and ce <= e for s, e in inside)
                if not covered and ce - cs >= 4 and _is_plan_clause(text[cs:ce]):
                    added.append((cs, ce))
        elif (kind == "next" and not inside and not cues["done_cues"].first(sent) and se - ss >= MIN_GOAL_CHARS
              and not _is_question(text, se)  # 中央环保督察反馈意见整改落实到位没有？ asks, as everywhere else
              # a line closing on a colon (展望2024年，我们将紧紧围绕以下目标开展工作：) or announcing a list (重点做好
              # 十方面工作) frames the goals after it, no goal itself
              and not sent.rstrip().endswith(("：", ":")) and not announces_list(sent)
              and not cues["goal_comments"].first(sent)):  # …是…重大举措，既是…“工作体检”: a comment, as in a plan
            added.append((ss + goal_self.inline_label_end(sent), se))  # after its own label (下一步工作：…)
    return [span for span in found if span not in dropped] + added


def _goal(document: Document, start: int, end: int, text: str, source: str,
          project: str | None = None, page: int | None = None) -> Goal:
    """A goal whose review (vague, reasons) is made on ``text``, the very text it shows."""
    r = vagueness.review(text)
    return Goal(start=start, end=end, text=text,
                page=page if page is not None else document.page_at(start),
                vague=r.vague, score=r.score, reasons=r.reasons, project=project, source=source)


# ---- tables -------------------------------------------------------------------------------


def from_tables(document: Document, locator: Locator | None = None) -> list[Goal]:
    """Goal cells of goal tables and self-evaluation tables, located on their page."""
    if not document.tables:
        return []
    cells = parse_tables(document.tables, document.meta.setdefault("warnings", [])).goals
    if not cells:
        return []
    loc = locator or Locator(document)
    out = []
    seen: set[tuple[int, str]] = set()
    for cell in cells:
        key = (cell.page, cell.text)
        if key in seen:  # 项目总目标 and 年度总体目标 often repeat the same text
            continue
        seen.add(key)
        span = loc.find_whole(cell.text, cell.page)
        if span is None:
            continue
        # the cell read whole, in reading order: in a PDF its span in the page text may
        # interleave a neighbour cell, so the text is the cell's, not document.text[span]
        goal = _goal(document, span[0], span[1], cell.text, source="table", project=cell.project,
                     page=cell.page)
        goal.cell = cell.cell
        out.append(goal)
    return out

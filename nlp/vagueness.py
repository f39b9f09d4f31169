"""The vague-goal review: is a goal measurable, and what should a reviewer fix?

Why per clause: a vague word (进一步, 有效 ...) is harmless when the clause it
sits in also carries a number with a unit, a comparator or a tie to a published
figure or standard (domain.md 2.4, the EMPTY_TRIGGER heuristic). A deadline
alone does not make an unmeasurable outcome checkable (FORMAT.md); a deadline
with a done/not-done outcome (建成, 完成验收 ...) does.

What is a target, in three parts, each a word list:

* a quantity (number + unit) that is a target: :func:`target_quantities` leaves out horizons,
  counts restating a list or naming a plan's own list (规划102项重大工程), counts of abstract nouns
  (四个现代化) and ages naming a group (65岁以上老年人) (``nontarget_quantities.txt``);
* a cue with no number (:func:`has_target_cue`): the counter-cues goal detection reads, less a
  noun with no value (达标率), less a cue inside a frame (按照…要求, ``target_frames.txt``) and
  less a cue its clause does not complete (同步 of no growth, ``cue_conditions.txt``), plus the
  review-only cues (``target_cues.txt``: 翻一番, reaching a set target 实现…目标任务, 与上年持平,
  全部脱贫 ...);
* a deadline with a done/not-done outcome that no hedge softens (``checkable_outcomes.txt``).

The review reads ASCII clause marks as full-width ones (news pages), so no cue spans two clauses,
and traditional characters as simplified ones (年度計劃投資440.07億元 has its 亿元), citing words as written.
Session 12 (helper vague12) added the frames, the conditions, the set-target, baseline, whole-set,
ratio and average cues, the plan-list, abstract-count and group-age rules; measured in
``corpora/goals/README.md``, "Session 12 (helper vague12)". Session 13 (helper vague13) added the
traditional view, a set target in either order and a rectification list (完成整改任务, 各项目标任务圆满
完成), part of a month as a deadline (10月中旬前) with 整改到位 by it, and conditions that make a
standard or requirement count only when reached (达到国家要求, not 落实省委要求), 全覆盖 only as a state,
a comparator sign only before a number and a bound (控制在, 不低于) only with what it bounds by;
measured in the README, "Session 13 (helper vague13)".

All word lists are data in ``corpora/goals/`` and ``corpora/indicators/``.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

import corpora
from nlp import goal_clauses, regex_union, script, tables

# how a reason names the words it cites (模糊用语: 进一步、加强): label, this, words joined by 、
WORDS_SEP = ": "
CLAUSE_SPLIT = goal_clauses.clause_end("，,；;。！？!?：:")  # no split inside a number (4,399万元)
# Arabic or Chinese numerals (with decimals, thousands separators, 万/亿 multipliers)
NUMBER = r"(?:\d+(?:[,，]\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)(?:多|余)?(?:万亿|[万亿])?"


@functools.lru_cache(maxsize=1)
def _lexicon() -> "_Lexicon":
    deadlines = corpora.read_lines("goals", "deadlines.txt")
    return _Lexicon(
        vague=sorted(corpora.read_lines("goals", "vague_words.txt"), key=len, reverse=True),
        counter=[re.compile(p) for p in corpora.read_lines("goals", "counter_cues.txt")],
        checkable=[re.compile(p) for p in corpora.read_lines("goals", "checkable_outcomes.txt")],
        units=tables.units(),
        target=[re.compile(p) for p in corpora.read_lines("goals", "target_cues.txt")],
        nontarget=_kind_rules(corpora.read_lines("goals", "nontarget_quantities.txt")),
        extra_units=corpora.read_lines("goals", "target_units.txt"),
        hedges=corpora.read_lines("goals", "hedges.txt"),
        reaches=tuple(corpora.read_lines("goals", "hedged_reaches.txt")),
        deadline=_kind_rules(deadlines)["date"],
        span_units=tuple(text for kind, text in _kinds(deadlines) if kind == "span"),
        valueless=tuple(corpora.read_lines("goals", "valueless_measures.txt")),
        abstract=corpora.read_lines("goals", "abstract_outcomes.txt"),
        frames=tuple(corpora.read_lines("goals", "target_frames.txt")),
        conditions={cue: re.compile(need) for cue, need in _kinds(corpora.read_lines("goals", "cue_conditions.txt"))},
    )


def _kinds(lines: list[str]) -> list[tuple[str, str]]:
    """(kind, text) of ``KIND TEXT`` lines (nontarget_quantities.txt, deadlines.txt)."""
    return [(kind, text.strip()) for kind, _, text in (line.partition(" ") for line in lines)]


def _kind_rules(lines: list[str]) -> dict[str, re.Pattern[str]]:
    """``KIND REGEX`` lines, one pattern per kind (its alternatives joined in file order)."""
    out: dict[str, list[str]] = {}
    for kind, pattern in _kinds(lines):
        out.setdefault(kind, []).append(f"(?:{pattern})")
    return {kind: re.compile("|".join(ps)) for kind, ps in out.items()}


@dataclass
class _Lexicon:
    vague: list[str]
    counter: list[re.Pattern[str]]
    checkable: list[re.Pattern[str]]
    units: list[str]
    target: list[re.Pattern[str]]
    nontarget: dict[str, re.Pattern[str]]
    extra_units: list[str]
    hedges: list[str]
    reaches: tuple[str, ...]  # verbs of reaching a state a hedge before them softens (hedged_reaches.txt)
    deadline: re.Pattern[str]  # a date or period a goal is due by (deadlines.txt ``date``)
    span_units: tuple[str, ...]  # a quantity in these units is a span of time (deadlines.txt ``span``)
    valueless: tuple[str, ...]  # measure nouns that set no value (率)
    abstract: list[str]  # outcomes that name no checkable state (abstract_outcomes.txt)
    frames: tuple[str, ...]  # words that make a counter-cue after them a frame (target_frames.txt)
    conditions: dict[str, re.Pattern[str]]  # counter-cue -> what its clause must hold (cue_conditions.txt)

    @functools.cached_property
    def vague_rank(self) -> dict[str, int]:
        """Position of each vague word in the lexicon (longest first)."""
        return {w: i for i, w in reversed(list(enumerate(self.vague)))}

    @functools.cached_property
    def vague_by_first(self) -> dict[str, tuple[str, ...]]:
        """Vague words by their first character, for one pass over a text."""
        out: dict[str, list[str]] = {}
        for w in self.vague:
            if w:
                out.setdefault(w[0], []).append(w)
        return {ch: tuple(ws) for ch, ws in out.items()}

    @functools.cached_property
    def counter_any(self) -> regex_union.Union:
        """All counter-cues as one regex: one search per text."""
        return regex_union.Union([p.pattern for p in self.counter])

    @functools.cached_property
    def vague_any(self) -> re.Pattern[str] | None:
        """All vague words as one regex: does a text hold any (:func:`has_vague_word`)."""
        words = [w for w in self.vague if w]
        return re.compile("|".join(re.escape(w) for w in words)) if words else None

    @functools.cached_property
    def quantity(self) -> re.Pattern[str]:
        """A number followed by a unit (years as dates are excluded by the caller)."""
        units = "|".join(re.escape(u) for u in self.units)
        return re.compile(rf"(?:百分之|千分之)[零〇一二两三四五六七八九十点\d.]+|(?<![\d.])({NUMBER})\s*[（(]?\s*(?:{units})")

    def hedged(self, text: str, at: int) -> bool:
        """Does a hedge (基本, 初步 ...) end at ``at``, right before the outcome starting there?"""
        return any(text.endswith(h, 0, at) for h in self.hedges)

    @functools.cached_property
    def reach_verb(self) -> re.Pattern[str] | None:
        """A verb of reaching a state (hedged_reaches.txt), longest first."""
        if not self.reaches:
            return None
        return re.compile("|".join(re.escape(r) for r in sorted(self.reaches, key=len, reverse=True)))

    @functools.cached_property
    def hedge_any(self) -> re.Pattern[str] | None:
        """Any hedge of hedges.txt, one search."""
        return re.compile("|".join(re.escape(h) for h in self.hedges)) if self.hedges else None

    def hedged_cue(self, text: str, end: int) -> bool:
        """Is the cue ending at ``end`` governed by a hedged verb of reaching (力争…基本实现…全覆盖)?

        The governing verb is the last verb of reaching of the cue's clause before the cue ends:
        in 基本实现社会主义现代化、实现…翻一番 the second, unhedged 实现 governs 翻一番. Hedged
        (a hedge of hedges.txt right before it), the whole set or task the cue names checks nothing."""
        if self.reach_verb is None or self.hedge_any is None or self.hedge_any.search(text, 0, end) is None:
            return False  # most cue texts hold no hedge: one search, no split
        head = CLAUSE_SPLIT.split(text[:end])[-1]
        verbs = list(self.reach_verb.finditer(head))
        return bool(verbs) and self.hedged(head, verbs[-1].start())

    def abstract_object(self, text: str, at: int) -> bool:
        """Does the clause of the outcome ending at ``at`` end in an abstract noun (建成…体系)?"""
        rest = CLAUSE_SPLIT.split(text[at:], maxsplit=1)[0].rstrip("”」》\"' ）)")
        return any(rest.endswith(w) for w in self.abstract)

    def counts(self, cue: re.Pattern[str], text: str, m: re.Match[str]) -> bool:
        """Does the counter-cue match ``m`` make ``text`` checkable for the review?

        Not a measurable noun with no value (达标率 alone), not a cue inside a frame (按照…要求), and
        not a cue whose clause lacks what its condition asks (同步 of two growths, not 与全国同步)."""
        if m.group(0).endswith(self.valueless) or text.startswith(self.valueless, m.end()) or self.framed(text, m.start()):
            return False
        if self.hedged_cue(text, m.end()):
            return False
        need = self.conditions.get(cue.pattern)
        if need is None:
            return True
        head = CLAUSE_SPLIT.split(text[:m.start()])[-1]
        tail = CLAUSE_SPLIT.split(text[m.start():], maxsplit=1)[0]
        return need.search(head + tail) is not None

    def framed(self, text: str, at: int) -> bool:
        """Is the counter-cue starting at ``at`` inside a frame (按照…要求) opened earlier in its clause?"""
        clause = CLAUSE_SPLIT.split(text[:at])[-1]
        return any(f in clause for f in self.frames)

    @functools.cached_property
    def target_any(self) -> re.Pattern[str] | None:
        """All review-only target cues as one regex."""
        return regex_union.join_patterns([p.pattern for p in self.target])

    @functools.cached_property
    def extra_quantity(self) -> re.Pattern[str] | None:
        """A number with one of the target-only units (岁, 亿美元): the review's quantities besides :attr:`quantity`."""
        units = "|".join(re.escape(u) for u in sorted(self.extra_units, key=len, reverse=True))
        return re.compile(rf"(?<![\d.])(?:{NUMBER})\s*(?:{units})") if units else None

    @functools.cached_property
    def masked_quantity(self) -> re.Pattern[str]:
        """A template's masked figure with its unit (打造好20xx亩石榴园, 完成预算的 XX%): a figure the filled-in
        text will carry, not a calendar year (20xx年, 〔20xx〕67号 have no unit here)."""
        dates = {"年", "月", "日", "号", "期", "年度"}
        units = [u for u in sorted(set(self.units) | set(self.extra_units), key=len, reverse=True) if u not in dates]
        return re.compile(rf"(?<![A-Za-z\d])\d*[xX]{{2,}}\s*(?:{'|'.join(re.escape(u) for u in units)})")


@dataclass
class Review:
    """The outcome of the review of one goal text."""

    vague: bool
    score: float  # 0 concrete .. 1 vague
    reasons: list[str] = field(default_factory=list)
    vague_words: list[str] = field(default_factory=list)


def quantities(text: str) -> list[str]:
    """Numbers with units in ``text``, leaving out calendar years and dates."""
    return list(_quantities(text))


@functools.lru_cache(maxsize=8192)
def _quantities(text: str) -> tuple[str, ...]:
    """:func:`quantities`, remembered: the goal rules and the clause model ask it of the same
    clauses and sentences several times per document."""
    lex = _lexicon()
    out = []
    for m in lex.quantity.finditer(text):
        q = m.group(0)
        num = m.group(1)
        if num is None:  # 百分之十, 千分之五: a rate written in words
            out.append(q)
            continue
        if m.start() > 0 and text[m.start() - 1] == "第":
            continue  # an ordinal (第二个百年)
        if _in_quotes(text, m.start()):
            continue  # numbers in names and slogans (“三个代表”, “6个3”)
        if num in ("一", "百", "千", "万", "亿", "十"):
            continue  # 一个, 一项, 百年: not a quantity anyone can check
        rest = text[m.end(): m.end() + 3]
        unit = q[len(num):].strip("（( ")
        if unit == "年" and re.fullmatch(r"(?:19|20)\d\d", unicodedata.normalize("NFKC", num)):
            continue  # a calendar year (１９５６年 in full-width digits too)
        if unit == "年" and re.match(r"\s*(?:计划|规划)", rest):
            continue  # a plan's name (第三个五年计划, 十年规划), not a span anyone can check
        if unit == "年" and (re.fullmatch(r"[〇○零一二三四五六七八九]{2,}", num)
                            or (m.start() > 0 and text[m.start() - 1] in "〇○零一二三四五六七八九")):
            continue  # a year in Chinese digits (二○三五年)
        if re.search(r"(?:这|那|此|上述|该)$", text[: m.start()]):
            continue  # 这两项工作: pointing back, not a target
        if unit == "月" and re.match(r"\d{1,2}日|底|份|末|前", rest):
            continue  # a date
        if unit == "日" and re.search(r"月\s*$", text[: m.start()]):
            continue
        out.append(q)
    return tuple(out)


def _in_quotes(text: str, pos: int) -> bool:
    before = text[max(0, pos - 40): pos]
    return before.count("“") > before.count("”") or before.count("《") > before.count("》")


def has_counter_cue(text: str) -> bool:
    """True when ``text`` carries a comparator, baseline, standard or formula."""
    lex = _lexicon()
    if lex.counter_any.regex is not None:
        return lex.counter_any.search(text) is not None
    return any(p.search(text) for p in lex.counter)


def has_vague_word(text: str) -> bool:
    """True when ``text`` holds a vague word (``vague_words_in`` would find one), in one regex search."""
    joined = _lexicon().vague_any
    return joined is not None and joined.search(text) is not None


def vague_words_in(text: str) -> list[str]:
    """Vague words of ``text``, longest match first, without overlaps.

    Word by word in the lexicon's order (longest first), each word's
    non-overlapping occurrences left to right, skipping any that touch a
    character an earlier word took. The occurrences come from one pass over
    the text with the lexicon indexed by first character (built once), not
    from one regex per word per call."""
    lex = _lexicon()
    rank = lex.vague_rank
    hits: list[tuple[int, int, str]] = []  # (lexicon rank, start, word)
    first = lex.vague_by_first
    for i, ch in enumerate(text):
        for w in first.get(ch, ()):
            if text.startswith(w, i):
                hits.append((rank[w], i, w))
    if not hits:
        return []
    hits.sort()
    found: list[str] = []
    taken = [False] * len(text)
    last_end: dict[str, int] = {}
    for _, start, w in hits:
        end = start + len(w)
        if start < last_end.get(w, 0):
            continue  # overlaps this word's previous occurrence (finditer never returns it)
        last_end[w] = end
        if not any(taken[start:end]):
            for i in range(start, end):
                taken[i] = True
            found.append(w)
    return found


# characters before and after a quantity the nontarget rules read (each rule is anchored at the
# quantity; the longest, 经过大约二十至 / 左右的接续奋斗, fits)
RULE_BEFORE, RULE_AFTER = 12, 8


def target_quantities(text: str) -> list[str]:
    """The quantities of ``text`` that can be targets: :func:`quantities` less horizons and counts.

    Why apart from :func:`quantities`: goal detection wants every number with a unit (用15年时间
    still frames a goal), but a horizon (用3至5年, 今后五年), a count restating a list (A、B等4个
    方面) or a count of abstract nouns (四个坚持) gives the reviewer nothing to check
    (corpora/goals/nontarget_quantities.txt). Target-only units (岁, 亿美元) are added.
    """
    return [q for q, horizon in _target_quantities(text) if not horizon]


def horizons(text: str) -> list[str]:
    """Spans of time given to reach a goal (用15年时间, 经过5年左右努力): a deadline, not a target."""
    return [q for q, horizon in _target_quantities(text) if horizon]


@functools.lru_cache(maxsize=8192)
def _target_quantities(text: str) -> tuple[tuple[str, bool], ...]:
    """(quantity, is a horizon) for the quantities of ``text`` that are targets or horizons."""
    lex = _lexicon()
    rules = lex.nontarget
    out: list[tuple[str, bool]] = []
    at = 0
    for q in _review_quantities(text):
        start = text.find(q, at)
        if start < 0:  # 百分之十 and its like are found as written; never expected to miss
            out.append((q, False))
            continue
        at = end = start + len(q)
        before, after = text[max(0, start - RULE_BEFORE): start], text[end: end + RULE_AFTER]
        if q.endswith(lex.span_units) and (_rule(rules, "horizon", before, after)
                                           or (q.endswith("年") and _rule(rules, "years", before, after))):
            out.append((q, True))
        elif q.endswith("期") and _rule(rules, "phase", before, after):
            continue  # a project's phase (机场二期, 一期工程): a name
        elif q.endswith("月") and _rule(rules, "date", before, after):
            continue  # part of a month (10月中旬): a date, a deadline's, not a span of months
        elif _rule_at(rules, "name", text, start, end + RULE_AFTER):
            continue  # a fixed name read as a count (三次产业)
        elif _rule_at(rules, "set", text, start, end + RULE_AFTER) and not _rule(rules, "amount", before, ""):
            continue  # a small count in words naming a set (统筹两个大局, 三项基本医疗保险), no amount to reach
        elif not _rule(rules, "count", before, after) or _rule_at(rules, "works", text, start, end):
            out.append((q, False))  # a target; a count of buildings after a list (等8所学校) stays one
    if "x" in text or "X" in text:  # a template's masked figure, 20xx亩 (batch 36 g)
        out += [(m.group(0), False) for m in lex.masked_quantity.finditer(text)]
    extra = lex.extra_quantity
    if extra is not None:
        for m in extra.finditer(text):
            before, after = text[max(0, m.start() - RULE_BEFORE): m.start()], text[m.end(): m.end() + RULE_AFTER]
            if _in_quotes(text, m.start()) or _rule(rules, "count", before, after) or _rule(rules, "age", before, after):
                continue  # a name, a count restating a list, or an age naming a group (65岁以上老年人)
            out.append((m.group(0), False))
    return tuple(out)


QUOTED_STATEMENT = re.compile(r"“(?=[^”]*[，。；]|[^”]*$)")


def _review_quantities(text: str) -> list[str]:
    """:func:`quantities`, and the figures in Arabic digits of a quoted statement.

    Why: a quote is a name or a slogan (“三个代表”, “16个10”) whose counts :func:`quantities` leaves out, but a
    quote that runs over a clause mark, or past the end of the goal's text, quotes a statement: 按照“今年农村居民
    人均可支配收入增长8%左右，脱贫地区…”目标 (vague19 g) quotes the year's targets, and a clause cut from it keeps
    the opening mark only. Slogans run over clause marks too (采取“抓住先进和落后两头，带动中间”的方法, a 1958
    report's goal, v), with counts in words; so only a figure in digits of such a quote counts. Review only:
    :func:`quantities` (goal detection, the clause model) is unchanged."""
    found = quantities(text)
    if "“" not in text:
        return found
    unquoted = quantities(QUOTED_STATEMENT.sub("‘", text))  # the opening mark written ‘: same length
    if len(unquoted) == len(found):
        return found
    return [q for q in unquoted if q in found or re.search(r"\d", q)]


def _rule(rules: dict[str, re.Pattern[str]], family: str, before: str, after: str) -> bool:
    """Does the ``family``-before rule match the end of ``before`` or the ``family``-after rule the start of ``after``?"""
    head, tail = rules.get(f"{family}-before"), rules.get(f"{family}-after")
    return bool((head is not None and head.search(before)) or (tail is not None and tail.match(after)))


def _rule_at(rules: dict[str, re.Pattern[str]], kind: str, text: str, start: int, stop: int) -> bool:
    """Does the ``kind`` rule (one read over the quantity itself: name, set, works) match at ``start``, no
    further than ``stop``?"""
    rule = rules.get(kind)
    return rule is not None and rule.match(text, start, stop) is not None


@functools.lru_cache(maxsize=8192)
def has_target_cue(text: str) -> bool:
    """A comparator, baseline, standard or published figure that makes ``text`` checkable, for the review.

    The counter-cues (:func:`has_counter_cue`) less a measurable noun with no value (达标率 alone:
    a rate nobody set), less a cue inside a frame (按照…会议要求: guidance, not a level to reach;
    corpora/goals/target_frames.txt) and less a cue its clause does not complete (与全国同步基本实现…:
    corpora/goals/cue_conditions.txt), plus the review-only target cues (翻一番, 不下降, 达到全国平均水平, Ⅱ类).
    One joined search each first: most goal texts hold neither."""
    lex = _lexicon()
    if has_counter_cue(text):
        for p in lex.counter:
            if any(lex.counts(p, text, m) for m in p.finditer(text)):
                return True
    return lex.target_any is not None and any(not lex.hedged_cue(text, m.end()) for m in lex.target_any.finditer(text))


def _has_checkable_outcome(text: str) -> bool:
    """A done/not-done outcome (建成, 完成验收 ...) that no hedge softens.

    Why the hedge: 基本建成制造强省 or 初步建成…体系 can never be found not done, so the
    deadline before it checks nothing (labelled vague in batches 7, 10, 17 and 18; the hedges are
    corpora/goals/hedges.txt). Nor does an outcome whose object is a system or a pattern
    (建成…体系, corpora/goals/abstract_outcomes.txt): nobody can find it not built."""
    lex = _lexicon()
    for p in lex.checkable:
        if any(not lex.hedged(text, m.start()) and not lex.abstract_object(text, m.end()) for m in p.finditer(text)):
            return True
    return False


# ASCII clause marks (news pages write 要…,进一步…;): not a thousands separator between digits (4,399万元)
ASCII_CLAUSE_MARKS = re.compile(r"(?<!\d),|,(?!\d)|;")


def _clause_view(text: str) -> str:
    """``text`` with ASCII clause marks written as the full-width ones the cue lists stop at, and
    traditional characters as simplified ones.

    Why: every cue of corpora/goals reads one clause as ``[^，。；]``, so in a page written with
    ASCII commas a cue spans clauses (省…8 characters…要求 across two). And every unit, cue and
    vague word is written in simplified characters: 年度計劃投資440.07億元 or 建成4億畝 had no
    quantity (batches 29-30, kinds12), though ``goals.extract`` reads a whole traditional document
    through its view; a goal in a mostly simplified page, or a text reviewed alone, is folded here
    (:func:`nlp.script.fold`, one character for one). Same length, so the words cited from the
    view are taken back from the goal's own text (:func:`_as_written`)."""
    return script.fold(ASCII_CLAUSE_MARKS.sub(lambda m: "，" if m.group(0) == "," else "；", text))


def _as_written(words: list[str], view: str, original: str) -> list[str]:
    """Words found in the review's ``view`` as ``original`` writes them (進一步 for 进一步)."""
    if view == original:
        return words
    return [script.as_written(w, view, original, 0, len(view)) for w in words]


def review(text: str) -> Review:
    """Review one goal: measurable or vague, a 0..1 score and reasons to act on."""
    lex = _lexicon()
    original, text = text, _clause_view(text)
    clauses = [c for c in CLAUSE_SPLIT.split(text) if c.strip()] or [text]
    qty = target_quantities(text)
    counter = has_target_cue(text)
    deadline = bool(lex.deadline.search(text)) or bool(horizons(text))
    checkable_deadline = deadline and _has_checkable_outcome(text)
    measurable = bool(qty) or counter or checkable_deadline
    # vague words count only in clauses without a counter-cue of their own
    loose: list[str] = []
    for clause in clauses:
        if target_quantities(clause) or has_target_cue(clause):
            continue
        for w in vague_words_in(clause):
            if w not in loose:
                loose.append(w)
    loose = _as_written(loose, text, original)
    reasons: list[str] = []
    if not measurable:
        reasons.append("无量化指标")
        if re.search(r"\d", text) and not quantities(text):  # numbers with units that are no targets have units
            reasons.append("无计量单位")
    if not deadline:
        reasons.append("无完成时限")
    if loose:
        reasons.append("模糊用语" + WORDS_SEP + "、".join(loose[:6]))
    score = (0.6 if not measurable else 0.0) + 0.25 * min(1.0, len(loose) / 2) + (0.15 if not deadline else 0.0)
    return Review(vague=not measurable, score=round(min(score, 1.0), 2), reasons=reasons, vague_words=loose)

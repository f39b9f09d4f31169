"""The vague-goal review: is a goal measurable, and what should a reviewer fix?

Why per clause: a vague word (进一步, 有效 ...) is harmless when the clause it
sits in also carries a number with a unit, a comparator or a tie to a published
figure or standard (domain.md 2.4, the EMPTY_TRIGGER heuristic). A deadline
alone does not make an unmeasurable outcome checkable (FORMAT.md); a deadline
with a done/not-done outcome (建成, 完成验收 ...) does.

All word lists are data in ``corpora/goals/`` and ``corpora/indicators/``.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

import corpora
from nlp import regex_union, tables

CLAUSE_SPLIT = re.compile(r"[，,；;。！？!?：:]")
# Arabic or Chinese numerals (with decimals, thousands separators, 万/亿 multipliers)
NUMBER = r"(?:\d+(?:[,，]\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)(?:多|余)?[万亿]?"
DEADLINE = re.compile(
    r"(?:到|至|于|在)?(?:19|20)\d\d年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:底|末|前|以前|之前|年底|内)"
    r"|(?:到|至)(?:19|20)\d\d年"
    r"|(?:年底|年内|年末|月底|季度末|上半年|下半年)(?:前)?"
    r"|\d+个?(?:工作日|日|天|月|周)内"
    r"|(?:按月|按季度|按季|按年|每月|每季度|每年|当年|年度内)"
)


@functools.lru_cache(maxsize=1)
def _lexicon() -> "_Lexicon":
    return _Lexicon(
        vague=sorted(corpora.read_lines("goals", "vague_words.txt"), key=len, reverse=True),
        counter=[re.compile(p) for p in corpora.read_lines("goals", "counter_cues.txt")],
        checkable=[re.compile(p) for p in corpora.read_lines("goals", "checkable_outcomes.txt")],
        units=tables.units(),
    )


@dataclass
class _Lexicon:
    vague: list[str]
    counter: list[re.Pattern[str]]
    checkable: list[re.Pattern[str]]
    units: list[str]

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


def review(text: str) -> Review:
    """Review one goal: measurable or vague, a 0..1 score and reasons to act on."""
    lex = _lexicon()
    clauses = [c for c in CLAUSE_SPLIT.split(text) if c.strip()] or [text]
    qty = quantities(text)
    counter = has_counter_cue(text)
    deadline = bool(DEADLINE.search(text))
    checkable_deadline = deadline and any(p.search(text) for p in lex.checkable)
    measurable = bool(qty) or counter or checkable_deadline
    # vague words count only in clauses without a counter-cue of their own
    loose: list[str] = []
    for clause in clauses:
        if quantities(clause) or has_counter_cue(clause):
            continue
        for w in vague_words_in(clause):
            if w not in loose:
                loose.append(w)
    reasons: list[str] = []
    if not measurable:
        reasons.append("无量化指标")
        if re.search(r"\d", text) and not qty:
            reasons.append("无计量单位")
    if not deadline:
        reasons.append("无完成时限")
    if loose:
        reasons.append("模糊用语: " + "、".join(loose[:6]))
    score = (0.6 if not measurable else 0.0) + 0.25 * min(1.0, len(loose) / 2) + (0.15 if not deadline else 0.0)
    return Review(vague=not measurable, score=round(min(score, 1.0), 2), reasons=reasons, vague_words=loose)

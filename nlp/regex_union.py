"""A list of regular expressions searched as one, for vocabularies of cue patterns.

Why: goal finding asks of every clause and sentence whether a cue list (``corpora/goals``)
matches and where first. Searching thirty patterns one by one per clause was most of its
time; one alternation ``(?:p1)|(?:p2)|…`` finds the same match (the leftmost; at one
position, the earliest pattern in list order: exactly ``min(p.search(t) for p in patterns)``
by start). Python's engine still tries every alternative at every position, so the union
also knows the characters a match can start with (read from the parsed patterns) and jumps
to the first such character before searching; a list whose first characters cannot be
known (a negated class, an optional start, ``\\d``) is searched without the jump.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

import corpora

try:  # the standard library's parser of regular expressions (Python 3.11+)
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older or other Pythons: no jump, same matches
    C = P = None  # type: ignore[assignment]

MAX_RANGE = 2000  # a character range wider than this is not worth a lead set


def join_patterns(patterns: list[str]) -> re.Pattern[str] | None:
    """``(?:p1)|(?:p2)|…``: it matches where any of the patterns does (``None`` if none or they cannot be joined)."""
    if not patterns:
        return None
    try:
        return union(patterns)
    except re.error:
        return None


def union(patterns: Iterable[str]) -> re.Pattern[str]:
    """``(?:p1)|(?:p2)|…`` compiled; unlike :func:`join_patterns` a bad pattern raises: a shipped
    vocabulary must load."""
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def goal_vocabulary(name: str) -> re.Pattern[str]:
    """Every pattern of ``corpora/goals/<name>`` as one regex (:func:`union`)."""
    return union(corpora.read_lines("goals", name))


def kinded_goal_vocabulary(name: str, kinds: tuple[str, ...]) -> dict[str, re.Pattern[str]]:
    """``corpora/goals/<name>``, a kind, a tab and a pattern per line: one regex per kind that has a pattern
    (:func:`union`). A line of another kind or without its tab raises, naming the file and the line."""
    parts: dict[str, list[str]] = {kind: [] for kind in kinds}
    for number, line in enumerate(corpora.read_lines("goals", name), 1):
        kind, sep, pattern = line.partition("\t")
        if not sep or kind not in parts:
            raise ValueError(f"{name}: line {number}: want {', '.join(kinds)}, a tab and a pattern: {line[:40]!r}")
        parts[kind].append(pattern)
    return {kind: union(patterns) for kind, patterns in parts.items() if patterns}


def _ops(sub: Any) -> list[tuple[Any, Any]]:
    return list(sub.data if hasattr(sub, "data") else sub)


Chars = tuple["set[int] | None", bool]  # (code points a match can start with, can it be empty)


def _op_chars(op: Any, av: Any) -> Chars:
    """First code points of one parsed item and whether it can match the empty string (``None``: unknown)."""
    if op is C.LITERAL:
        return {av}, False
    if op is C.IN:
        out: set[int] = set()
        for item, value in av:
            if item is C.LITERAL:
                out.add(value)
            elif item is C.RANGE and value[1] - value[0] <= MAX_RANGE:
                out.update(range(value[0], value[1] + 1))
            else:
                return None, False  # a negated class, a category (\d, \w): anything may start
        return out, False
    if op is C.SUBPATTERN:
        _, add_flags, del_flags, sub = av
        return (None, False) if add_flags or del_flags else _seq_chars(_ops(sub))
    if op is C.ATOMIC_GROUP:
        return _seq_chars(_ops(av))
    if op is C.BRANCH:
        out, empty = set(), False
        for branch in av[1]:
            chars, nullable = _seq_chars(_ops(branch))
            if chars is None:
                return None, False
            out |= chars
            empty = empty or nullable
        return out, empty
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        low, _, item = av
        chars, nullable = _seq_chars(_ops(item))
        return chars, nullable or low == 0
    return None, False


def _seq_chars(seq: list[tuple[Any, Any]]) -> Chars:
    """First code points of a parsed sequence: of its items up to the first that cannot be empty."""
    out: set[int] = set()
    for op, av in seq:
        if op in (C.ASSERT, C.ASSERT_NOT):
            continue  # a lookaround takes no character
        if op is C.AT:
            if av in (C.AT_BEGINNING, C.AT_BEGINNING_STRING):
                continue
            return None, False
        chars, nullable = _op_chars(op, av)
        if chars is None:
            return None, False
        out |= chars
        if not nullable:
            return out, False
    return out, True


def _anchored(seq: list[tuple[Any, Any]]) -> bool:
    """The pattern opens with ``^`` (no MULTILINE): it can match only at the start of the text."""
    return bool(seq) and seq[0][0] is C.AT and seq[0][1] in (C.AT_BEGINNING, C.AT_BEGINNING_STRING)


def first_chars(patterns: list[str]) -> tuple[set[str] | None, bool]:
    """The characters a match of a pattern not anchored at the start begins with, and whether
    some pattern is anchored at the start (it can match only there). ``None``: cannot be told."""
    if P is None or not patterns:
        return None, False
    out: set[str] = set()
    anchored = False
    for p in patterns:
        try:
            parsed = P.parse(p)
        except Exception:  # noqa: BLE001 - the parser is private: no jump rather than a failure
            return None, False
        if parsed.state.flags & (re.IGNORECASE | re.MULTILINE | re.VERBOSE):
            return None, False
        seq = _ops(parsed)
        if _anchored(seq):
            anchored = True
            continue
        chars, nullable = _seq_chars(seq)
        if chars is None or nullable:
            return None, False
        out |= {chr(c) for c in chars}
    return out, anchored


def with_lead(regex: re.Pattern[str]) -> re.Pattern[str]:
    """``regex`` with a lookahead for the characters its match can start with (:func:`first_chars`) put before
    it: the same matches and groups, but a search fails at a position in one test of a character class.

    Why: a pattern opening with optional groups (``(?:项目)?(?:年度|长期|…)(?:绩效)?目标``, alternatives in named
    groups) has no first character Python's engine can find, so ``search`` and ``finditer`` enter every group at
    every position of the text: nlp.goal_budget's column terms cost 27 ms a pass over six pages of 100,000
    characters (session 17, helper goalspeed17), 2.5 ms with the lookahead. A pattern whose first characters
    cannot be told, or one anchored at the start, or with flags, is given back as it is."""
    if P is None or regex.flags & (re.IGNORECASE | re.MULTILINE | re.VERBOSE):
        return regex
    chars, anchored = first_chars([regex.pattern])
    if not chars or anchored:
        return regex
    lead = "".join(re.escape(c) for c in sorted(chars))
    return re.compile(f"(?=[{lead}])(?:{regex.pattern})", regex.flags)


MAX_NEEDED = 8  # more strings than this to look for: no test worth its cost


def _item_needs(op: Any, av: Any) -> frozenset[str] | None:
    """Strings one of which every match of a parsed item holds (``None``: none known)."""
    if op is C.SUBPATTERN:
        _, add_flags, del_flags, sub = av
        return None if add_flags or del_flags else _seq_needs(_ops(sub))
    if op is C.ATOMIC_GROUP:
        return _seq_needs(_ops(av))
    if op is C.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            needs = _seq_needs(_ops(branch))
            if needs is None:
                return None
            out |= needs
        return frozenset(out)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        low, _, item = av
        return _seq_needs(_ops(item)) if low >= 1 else None
    if op is C.IN and all(item is C.LITERAL for item, _ in av):
        return frozenset(chr(value) for _, value in av)
    return None


def _seq_needs(seq: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """Strings one of which every match of a parsed sequence holds: of what each of its items must match (a
    run of literal characters, a group, an alternation of such), the most telling (longest shortest string)."""
    found: list[frozenset[str]] = []
    run = ""
    for op, av in seq:
        if op is C.LITERAL:
            run += chr(av)
            continue
        if run:
            found.append(frozenset([run]))
            run = ""
        needs = _item_needs(op, av)
        if needs:
            found.append(needs)
    if run:
        found.append(frozenset([run]))
    found = [f for f in found if len(f) <= MAX_NEEDED]
    return max(found, key=lambda f: (min(map(len, f)), -len(f))) if found else None


def needed_strings(patterns: list[str]) -> tuple[str, ...] | None:
    """Strings one of which any match of any of the patterns holds (``None``: not known, or too many to test).

    Why: a pattern such as ``^(?:(?!要|将|…)[^。；])*?(?:目标|任务)[^，]{0,4}(?:圆满|顺利)完成`` costs a try at every
    character of a sentence, with a lookahead each; a sentence without 完成 cannot match it, and ``in`` tells so
    at C speed. Read from the parsed patterns; a case-insensitive pattern gives none."""
    if P is None or not patterns:
        return None
    out: set[str] = set()
    for p in patterns:
        try:
            parsed = P.parse(p)
        except Exception:  # noqa: BLE001 - the parser is private: no test rather than a failure
            return None
        if parsed.state.flags & re.IGNORECASE:
            return None
        needs = _seq_needs(_ops(parsed))
        if needs is None:
            return None
        out |= needs
    return tuple(sorted(out)) if len(out) <= MAX_NEEDED else None


class Union:
    """Patterns searched as one (:func:`join_patterns`), jumping to the first character a match can start with,
    and not searched at all in a text that lacks every string a match must hold (:func:`needed_strings`)."""

    def __init__(self, patterns: list[str]) -> None:
        self.regex = join_patterns(patterns)
        chars, self.anchored = first_chars(patterns) if self.regex is not None else (None, False)
        self.lead = (re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")
                     if chars else None)
        self.needs = needed_strings(patterns) if self.regex is not None else None

    def search(self, text: str) -> re.Match[str] | None:
        """``self.regex.search(text)``, the same match.

        A pattern anchored at the start can match only at 0 (tried first: a match there is the
        leftmost); any other match starts at a lead character, so the search starts at the
        first one. (A search from a position still sees the text before it: lookbehinds read
        it, and ``^`` matches only at the real start.)
        """
        if self.regex is None:
            return None
        if self.needs is not None and not any(s in text for s in self.needs):
            return None
        if self.lead is None:
            return self.regex.search(text)
        if self.anchored and (m := self.regex.match(text)):
            return m
        m = self.lead.search(text)
        return self.regex.search(text, m.start()) if m else None

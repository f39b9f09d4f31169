"""The figure rules, loaded once from the data files in ``corpora/figures/``.

Why a separate module: the word lists (units, qualifiers, change words,
exclusions ...) are data that linguists edit; this module turns them into
compiled regular expressions and lookup tables, and nothing else. The scanner
in :mod:`nlp.figures` only uses :func:`rules`.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import corpora
from nlp.numbers import ARABIC

AREA = "figures"

# Chinese digits that may start a number; 百/千/万/亿 alone never start one
# (百年, 千家万户 are words, not figures), nor do 零/〇 (零部件, 零增长) except
# before a decimal point or 元 (零点六, 零元); 半 only before a weight (半斤).
CN_START = "一二两兩三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖十拾廿卅"
_CN_DIGITS = "一二三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖十拾廿卅"  # no 两: see _LIANG_CONT
CN_CONT = CN_START + "〇零百佰千仟万萬亿億"
_HUNDREDS = "百佰千仟"
ROUND_SCALE_STARTS = frozenset(_HUNDREDS)
_SECTIONS = "万萬亿億"
# 百/千 start a number only before 万/亿: a round scale (突破百万吨, 千亿元).
ROUND_START = rf"[{_HUNDREDS}](?=[{_SECTIONS}])"
# 百/千/万 alone start a number before 余/多 (千余人, 万余户, 百余家): one of them
LONE_SCALE = "百佰千仟万萬"
LONE_START = rf"[{LONE_SCALE}](?=[余多])"
# 零 starts a number only as 零点六 / 零元; 半 only before a weight
ZERO_START = r"零(?=[点點]|元)|半(?=斤|两|公斤)"
# 百/千 continue a number unless they stand right after 万/亿 (no numeral writes
# 一亿千; 1.6亿千瓦 is 1.6亿 + 千瓦), and 千 never takes the 千 of a metric unit
# (3千瓦, 十千米 = 10 千米, 二十五千克).
HUNDREDS_CONT = rf"(?<![{_SECTIONS}])[{_HUNDREDS}](?!瓦|米|克|帕|伏|焦|卡|赫)"
# 两 continues a number only after a place word (一万两千, 三亿两千万), 一
# (一两个) or a 零 holding a place (一亿零两千三百): after another digit it is
# the weight 两 (三两茶叶)
_LIANG_CONT = rf"(?<=[一零〇{_HUNDREDS}{_SECTIONS}])[两兩]"
# a decimal point written as a word, after a Chinese numeral: 一点五万, 六点四二万
# (伍拾壹点肆万, 负壹佰贰拾点叁肆), also after 万/亿 (四万点六 = 40000.6)
_POINT_DIGITS = "〇零一二三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖"
_CN_DECIMAL = rf"(?<=[{CN_START}〇零百佰千仟{_SECTIONS}])[点點][{_POINT_DIGITS}]+[{_SECTIONS}]*"
# 个 before 亿 after a number closes it (两个亿, 五个亿: spoken, two hundred million)
_GE_YI = rf"(?<=[{_CN_DIGITS}两兩0-9０-９])个[亿億]"
# Arabic digits continue a number only after a Chinese character (2万3千): were
# they allowed right after a digit, a long run of digits could be split in
# exponentially many ways and the engine would backtrack through all of them
_ARABIC_CONT = rf"(?<![0-9０-９.,，．]){ARABIC}"
# one written number: 1,100  273180.48万  三千二百万  2万3千  92 万  百万  一点五万
NUMBER = (rf"(?:{ARABIC}|[{CN_START}]|{ROUND_START}|{LONE_START}|{ZERO_START})"
          rf"(?:{_ARABIC_CONT}|[{_CN_DIGITS}〇零{_SECTIONS}]|{_LIANG_CONT}|{HUNDREDS_CONT}"
          rf"|(?<=[0-9０-９])[ \u3000](?=[万亿]))*(?:{_CN_DECIMAL})?")
# one digit, for the parts of a yuan (角/毛/分) and the tenth after 块/成 (两块五, 七成五)
SUB_DIGIT = "[一二三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖两0-9]"


NUMBER_STARTS = frozenset("0123456789０１２３４５６７８９" + CN_START + LONE_SCALE + "零半")
_ASCII_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _class_chars(body: str) -> set[str] | None:
    """Characters of a simple character class body (``0-9``, ``A-Za-z``, literals)."""
    out: set[str] = set()
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            if i + 1 >= len(body):
                return None
            nxt = body[i + 1]
            if nxt == "s":
                out |= set(" \t\n\r\u3000")
            elif nxt in "tnr":
                out.add({"t": "\t", "n": "\n", "r": "\r"}[nxt])
            elif nxt == "u" and i + 5 < len(body):
                out.add(chr(int(body[i + 2:i + 6], 16)))
                i += 6
                continue
            elif nxt.isalnum():
                return None
            else:
                out.add(nxt)
            i += 2
            continue
        if i + 2 < len(body) and body[i + 1] == "-":
            out |= {chr(x) for x in range(ord(c), ord(body[i + 2]) + 1)}
            i += 3
            continue
        out.add(c)
        i += 1
    return out


def _first_chars(pattern: str) -> set[str] | None:
    """The characters a match of ``pattern`` can start with, or None when unsure.

    Reads the common shapes of exclusions.txt: lookbehinds (skipped), ``{N}``,
    ``^`` plus a class, a class, a group of literal alternatives, a literal."""
    p = pattern
    while p.startswith("(?<"):
        depth, i = 0, 0
        for i, c in enumerate(p):
            if c == "(" and (i == 0 or p[i - 1] != "\\"):
                depth += 1
            elif c == ")" and p[i - 1] != "\\":
                depth -= 1
                if depth == 0:
                    break
        p = p[i + 1:]
    if p.startswith("^"):
        p = p[1:]
        m = re.match(r"\[([^\]]*)\]\*", p)  # ^[ \t]*X: a space or what X starts with
        if m:
            spaces = _class_chars(m.group(1))
            rest = _first_chars(p[m.end():])
            return None if spaces is None or rest is None else spaces | rest
    if p.startswith("{N}"):
        return set(NUMBER_STARTS)
    if p.startswith("["):
        end = p.find("]", 1)
        return None if end < 0 or p[1] == "^" else _class_chars(p[1:end])
    if p.startswith("(?:"):
        m = re.match(r"\(\?:([^()\[\]\\]*)\)", p)
        if not m:
            return None
        alts = m.group(1).split("|")
        return {a[0] for a in alts} if all(alts) else None
    if p and (p[0] not in ".^$*+?{}[]()|\\"):
        return {p[0]}
    return None


@dataclass(frozen=True)
class Unit:
    """One unit word: what kind of figure it makes and its factor to the stored unit."""

    text: str
    kind: str
    factor: float
    stored: str
    follow: str = ""  # regex that must hold after the unit (lookahead)
    currency: str | None = None  # ISO 4217 code of money in another currency than 元


@dataclass(frozen=True)
class Rules:
    units: dict[str, Unit]
    qualifiers: dict[str, tuple[str, str]]  # word -> (qualifier, position)
    comparisons: frozenset[str]  # 低于/高于 ...: compare the figure with another, weaker than 左右
    blockers: tuple[str, ...]  # 节约, 最近 ...: words whose last character looks like a qualifier
    changes: dict[str, str]  # word -> increase|decrease
    change_links: tuple[str, ...]
    bases: tuple[str, ...]
    names: tuple[str, ...]
    vague_prefixes: frozenset[str]
    group_nouns: tuple[str, ...]
    people_heads: dict[str, str]
    people_before: dict[str, str]  # 人口: a people word before a unit-less number
    round_before: frozenset[str]  # 成千万: a round scale after these is an estimate
    round_after: tuple[str, ...]  # 百万千瓦级: a round scale before these names a class
    change_stops: tuple[str, ...]  # 总量达: a listed change does not carry past these
    durations: frozenset[str]  # units of time (年, 个月, 天): after a lone 一 an article
    idioms: frozenset[str]  # 九牛一毛, 三番五次: numbers in idioms are no figures
    idiom_lengths: tuple[int, ...]
    figure_re: re.Pattern[str]
    plain_re: re.Pattern[str]  # the same without ranges: fallback when a range reading fails
    exclusion_re: re.Pattern[str]
    change_re: re.Pattern[str]
    base_re: re.Pattern[str]


def _tsv(name: str) -> list[list[str]]:
    return [line.split("\t") for line in corpora.read_lines(AREA, name)]


def _guarded(pattern: str, first_chars: set[str]) -> str:
    """``pattern`` behind a look-ahead for the characters it can start with.
    Why: the engine tries a long alternation branch by branch at every
    position; one character-class test first skips all of them where none
    can match (after most numbers no unit follows)."""
    chars = "".join(re.escape(c) for c in sorted(first_chars))
    return f"(?=[{chars}])(?:{pattern})" if pattern else f"(?=[{chars}])"


def _alternation(words, wrap=re.escape) -> str:
    return "|".join(wrap(w) for w in sorted(words, key=len, reverse=True))


def _unit_pattern(u: Unit) -> str:
    """个月 also matches 个多月 / 个余月 (4个多月); the lookahead guards word edges."""
    body = re.escape(u.text)
    if u.text.startswith("个") and len(u.text) > 1:
        body = "个(?:多|余|半)?" + re.escape(u.text[1:])
    return f"(?:{body}){u.follow}"


def _post_pattern(word: str, after_duration: bool, durations: str) -> str:
    """A qualifier after the figure; 内 (within) only right after a unit of time
    (15日内, 六个月内), so that 3个内设机构 keeps its 内."""
    if after_duration:
        return f"(?<=[{re.escape(durations)}]){re.escape(word)}"
    return re.escape(word)


@functools.lru_cache(maxsize=1)
def rules() -> Rules:
    """All figure rules, compiled once per process."""
    units = {}
    for cols in _tsv("units.tsv"):
        text, kind, factor, stored = cols[:4]
        follow = cols[4] if len(cols) > 4 else ""
        units[text] = Unit(text, kind, float(factor), stored, follow)
    for name, code in _tsv("currencies.tsv"):
        # money in another currency keeps its own value: never converted to 元
        units[name] = Unit(name, "money", 1.0, name, "", code)
    # no traditional spellings (港幣, 萬元, 約佔): nlp.figures reads such text through
    # nlp.script's simplified view
    rows = _tsv("qualifiers.tsv")
    qualifiers: dict[str, tuple[str, str]] = {}
    for row in rows:  # a word may stand in two places (多: 100多万, 两倍多): its first row names it
        qualifiers.setdefault(row[0], (row[1], row[2]))
    comparisons = frozenset(row[0] for row in rows if len(row) > 3 and row[3] == "comparison")
    changes = {w: c for w, c in _tsv("changes.tsv")}
    change_links = tuple(corpora.read_lines(AREA, "change_links.txt"))
    bases = tuple(corpora.read_lines(AREA, "bases.txt"))
    names = tuple(corpora.read_lines(AREA, "names.txt"))
    vague = frozenset(corpora.read_lines(AREA, "vague_prefixes.txt"))
    groups = tuple(corpora.read_lines(AREA, "group_nouns.txt"))
    people = {w: u for w, u in _tsv("people_heads.txt")}
    people_before = {w: u for w, u in _tsv("people_heads_before.tsv")}
    round_vetoes = _tsv("round_scale_vetoes.tsv")

    pre = _alternation([w for w, (_, p) in qualifiers.items() if p == "pre"])
    after_duration = {row[0] for row in rows if len(row) > 3 and row[3] == "after_duration"}
    duration_units = frozenset(corpora.read_lines(AREA, "duration_units.txt"))
    durations = "".join(sorted({u[-1] for u in duration_units}))
    post_words = [row[0] for row in rows if row[2] == "post"]
    pause_words = [row[0] for row in rows if row[2] == "post_pause"]
    post = _alternation(post_words, wrap=lambda w: _post_pattern(w, w in after_duration, durations))
    if pause_words:  # 增长两倍多。 三年多来: only before a pause, so 3吨多种 keeps its word
        post += "|" + _alternation(pause_words, wrap=lambda w: re.escape(w) + r"(?=[的来，。；、,;：:！？\s）)]|$)")
    # 百/千/万 alone right after a qualifier word are one of them (逾千人, 不足百人,
    # 近万户); nlp.figures drops them when no qualifier matched there
    pre_ends = "".join(sorted({re.escape(w[-1]) for w, (_, p) in qualifiers.items() if p == "pre"}))
    lone_after_qualifier = rf"(?<=[{pre_ends}])[{LONE_SCALE}](?![分之{_SECTIONS}])"
    pre_guard = _guarded("", {w[0] for w, (_, p) in qualifiers.items() if p == "pre"})
    mid = _alternation([w for w, (_, p) in qualifiers.items() if p == "mid"] + ["几"])
    unit_alt = _guarded("|".join(_unit_pattern(units[t]) for t in sorted(units, key=len, reverse=True)),
                        {t[0] for t in units})
    group_alt = _alternation(groups)
    sign_words = "".join(re.escape(c) for c in corpora.read_lines(AREA, "sign_word_before.txt"))
    links = "".join(re.escape(c) for c in corpora.read_lines(AREA, "qualifier_links.txt"))
    idioms = frozenset(corpora.read_lines(AREA, "idioms.txt"))
    def figure(with_range: bool) -> str:
        rng = (rf"(?:[ \u3000]*(?P<unit1>{unit_alt})?(?P<incl>[（(]含[）)])?[ \u3000]*"
               rf"(?P<sep>[至到~～]|[\-－—–]{{1,2}})[ \u3000]*(?P<num2>{NUMBER}))?"
               if with_range else "")
        # the parts of a yuan after 元/圆/块 (壹角壹分, 三毛, 零伍分) and a tenth after
        # 元/块/成 before a pause (两块五, 三元五, 七成五; 负的百分之二十 is -20)
        pause = r"(?=[的，。；、,;：:！？\s）)]|$)"
        sub = (rf"(?P<sub>(?<=[元圆块])零?(?:{SUB_DIGIT}[角毛](?:零?{SUB_DIGIT}分|{SUB_DIGIT}{pause})?"
               rf"|{SUB_DIGIT}分)"
               rf"|(?<=[元圆块成]){SUB_DIGIT}{pause}"
               rf"|(?<=[角毛])(?:{SUB_DIGIT}分|{SUB_DIGIT}{pause}))?")  # 九毛九, 八角五分
        # half of the unit more (三斤半, 一年半, 一成半), only before a pause or a
        # word that closes it (半 starts words of its own: 半导体, 半价, 半年)
        half = r"(?P<half>(?<=[^\W\d_])半(?=[的，。；、,;：:！？\s）)以左多时后来内之]|$))?"
        return (
            rf"(?:{pre_guard}(?P<pre>(?P<preword>{pre})[{links}]?\s*))?(?P<neg>(?<![{sign_words}])[负負]的?|零下)?"
            rf"(?:(?P<pct>[百千万]分之|百分(?=[一二两三四五六七八九十百]))(?P<pneg>[负負])?"
            rf"(?P<pnum>{NUMBER}|百(?![分万亿]))"
            rf"(?:(?:[至到~～]|[\-－—–]{{1,2}})(?:百分之)?(?P<pnum2>{NUMBER}))?"
            rf"|(?P<fanword>翻了?(?P<fan>{NUMBER})?番)(?P<fanmore>多)?"
            rf"|(?P<num>{NUMBER}|{lone_after_qualifier})(?:(?P<frac>分之)(?P<fnum>{NUMBER})|{rng}"
            rf"(?P<mid>{mid})?(?P<tail>(?<=[多余几])[万亿]+|{_GE_YI})?[ \u3000\n]?"
            rf"(?:(?P<unit>{unit_alt}){sub}{half}|[（(](?P<ptail>[万亿])?(?P<punit>{unit_alt})[）)]|大(?P<group>{group_alt}))?))"
            rf"(?:(?P<incl2>\s*[（(]含(?:本数)?[）)])?(?P<post>\s*(?:{post})))?"
        )

    parts, starts = [], set(NUMBER_STARTS)
    for line in corpora.read_lines(AREA, "exclusions.txt"):
        flags = ""
        if line.startswith("(?m)"):
            flags, line = "(?m:", line[4:]
        first = _first_chars(line)
        starts = starts | first if first is not None and starts is not None else None
        pat = line.replace("{N}", f"(?:{NUMBER})")
        parts.append(f"{flags}{pat})" if flags else f"(?:{pat})")
    parts.append(_alternation(names))
    # numbers inside short quotes or book titles: slogans and names (“6个3”, 《十四五规划》)
    quote = r"[“\"「‘《][^”\"」’》\n]{1,14}[”\"」’》]"
    parts.append(quote)
    body = "|".join(parts)
    if starts is not None:
        # checking the first character lets the engine skip every other position
        # at once (the scan is ~5x faster); patterns whose first characters cannot
        # be read off switch this off rather than risk missing a match
        starts |= {n[0] for n in names} | set("“\"「‘《")
        body = f"(?=[{''.join(re.escape(c) for c in sorted(starts))}])(?:{body})"
    exclusion = body
    # a figure starts with a qualifier word, 负/零下, 百分之/千分之/万分之, 翻 or a
    # number: checking the first character lets the engine skip other positions
    first_chars = set(NUMBER_STARTS) | {w[0] for w, (_, p) in qualifiers.items() if p == "pre"}
    first_chars |= set("负負零百千万翻")
    first = f"(?=[{''.join(re.escape(c) for c in sorted(first_chars))}])"
    change = _alternation(changes)
    base = _alternation(bases)
    return Rules(
        units=units, qualifiers=qualifiers, comparisons=comparisons,
        blockers=tuple(corpora.read_lines(AREA, "qualifier_blockers.txt")), changes=changes, change_links=change_links,
        bases=bases, names=names, vague_prefixes=vague, group_nouns=groups, people_heads=people,
        people_before=people_before,
        round_before=frozenset(w for pos, w in round_vetoes if pos == "before"),
        round_after=tuple(w for pos, w in round_vetoes if pos == "after"),
        change_stops=tuple(corpora.read_lines(AREA, "change_stops.txt")),
        durations=duration_units,
        idioms=idioms, idiom_lengths=tuple(sorted({len(w) for w in idioms})),
        figure_re=re.compile(first + figure(True)), plain_re=re.compile(figure(False)),
        exclusion_re=re.compile(exclusion),
        change_re=re.compile(change), base_re=re.compile(base),
    )


def unit_of(text: str) -> Unit | None:
    """The Unit for a matched unit string (个多月 -> 个月)."""
    r = rules()
    if text in r.units:
        return r.units[text]
    squeezed = re.sub(r"^个(?:多|余|半)", "个", text)
    return r.units.get(squeezed)

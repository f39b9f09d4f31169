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
# (百年, 千家万户 are words, not figures), nor do 零/〇 (零部件, 零增长).
CN_START = "一二两三四五六七八九壹贰貳叁肆伍陆陸柒捌玖十拾"
CN_CONT = CN_START + "〇零百佰千仟万萬亿億"
# one written number: 1,100  273180.48万  三千二百万  2万3千  92 万
NUMBER = (rf"(?:{ARABIC}|[{CN_START}])"
          rf"(?:{ARABIC}|[{CN_CONT}]|(?<=[0-9０-９])[ \u3000](?=[万亿]))*")


@dataclass(frozen=True)
class Unit:
    """One unit word: what kind of figure it makes and its factor to the stored unit."""

    text: str
    kind: str
    factor: float
    stored: str
    follow: str = ""  # regex that must hold after the unit (lookahead)


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
    figure_re: re.Pattern[str]
    plain_re: re.Pattern[str]  # the same without ranges: fallback when a range reading fails
    exclusion_re: re.Pattern[str]
    change_re: re.Pattern[str]
    base_re: re.Pattern[str]


def _tsv(name: str) -> list[list[str]]:
    return [line.split("\t") for line in corpora.read_lines(AREA, name)]


def _alternation(words, wrap=re.escape) -> str:
    return "|".join(wrap(w) for w in sorted(words, key=len, reverse=True))


def _unit_pattern(u: Unit) -> str:
    """个月 also matches 个多月 / 个余月 (4个多月); the lookahead guards word edges."""
    body = re.escape(u.text)
    if u.text.startswith("个") and len(u.text) > 1:
        body = "个(?:多|余|半)?" + re.escape(u.text[1:])
    return f"(?:{body}){u.follow}"


@functools.lru_cache(maxsize=1)
def rules() -> Rules:
    """All figure rules, compiled once per process."""
    units = {}
    for cols in _tsv("units.tsv"):
        text, kind, factor, stored = cols[:4]
        follow = cols[4] if len(cols) > 4 else ""
        units[text] = Unit(text, kind, float(factor), stored, follow)
    rows = _tsv("qualifiers.tsv")
    qualifiers = {row[0]: (row[1], row[2]) for row in rows}
    comparisons = frozenset(row[0] for row in rows if len(row) > 3 and row[3] == "comparison")
    changes = {w: c for w, c in _tsv("changes.tsv")}
    change_links = tuple(corpora.read_lines(AREA, "change_links.txt"))
    bases = tuple(corpora.read_lines(AREA, "bases.txt"))
    names = tuple(corpora.read_lines(AREA, "names.txt"))
    vague = frozenset(corpora.read_lines(AREA, "vague_prefixes.txt"))
    groups = tuple(corpora.read_lines(AREA, "group_nouns.txt"))
    people = {w: u for w, u in _tsv("people_heads.txt")}

    pre = _alternation([w for w, (_, p) in qualifiers.items() if p == "pre"])
    post = _alternation([w for w, (_, p) in qualifiers.items() if p == "post"])
    mid = _alternation([w for w, (_, p) in qualifiers.items() if p == "mid"] + ["几"])
    unit_alt = "|".join(_unit_pattern(units[t]) for t in sorted(units, key=len, reverse=True))
    group_alt = _alternation(groups)
    def figure(with_range: bool) -> str:
        rng = (rf"(?:[ \u3000]*(?P<unit1>{unit_alt})?[ \u3000]*(?P<sep>[至到~～\-－—–])[ \u3000]*(?P<num2>{NUMBER}))?"
               if with_range else "")
        return (
            rf"(?P<pre>(?:{pre})\s*)?"
            rf"(?:(?P<pct>百分之)(?P<pnum>{NUMBER}(?:点[{CN_START}〇零]+)?)"
            rf"(?:[至到~～\-－—–](?:百分之)?(?P<pnum2>{NUMBER}(?:点[{CN_START}〇零]+)?))?"
            rf"|(?P<num>{NUMBER}){rng}"
            rf"(?P<mid>{mid})?(?P<tail>(?<=[多余几])[万亿]+)?[ \u3000\n]?"
            rf"(?:(?P<unit>{unit_alt})|[（(](?P<ptail>[万亿])?(?P<punit>{unit_alt})[）)]|大(?P<group>{group_alt}))?)"
            rf"(?P<post>\s*(?:{post}))?"
        )

    parts = []
    for line in corpora.read_lines(AREA, "exclusions.txt"):
        flags = ""
        if line.startswith("(?m)"):
            flags, line = "(?m:", line[4:]
        pat = line.replace("{N}", f"(?:{NUMBER})")
        parts.append(f"{flags}{pat})" if flags else f"(?:{pat})")
    parts.append(_alternation(names))
    # numbers inside short quotes or book titles: slogans and names (“6个3”, 《十四五规划》)
    parts.append(r"[“\"「‘《][^”\"」’》\n]{1,14}[”\"」’》]")
    # every exclusion starts with one of these characters: checking it first lets
    # the engine skip all other positions at once (the scan is then ~5x faster)
    first = set("0123456789０１２３４５６７８９" + CN_CONT + "第〔[［(（【“\"「‘《 \t\u3000"
                + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") | {n[0] for n in names}
    first_class = "".join(re.escape(c) for c in sorted(first))
    exclusion = f"(?=[{first_class}])(?:{'|'.join(parts)})"
    change = _alternation(changes)
    base = _alternation(bases)
    return Rules(
        units=units, qualifiers=qualifiers, comparisons=comparisons,
        blockers=tuple(corpora.read_lines(AREA, "qualifier_blockers.txt")), changes=changes, change_links=change_links,
        bases=bases, names=names, vague_prefixes=vague, group_nouns=groups, people_heads=people,
        figure_re=re.compile(figure(True)), plain_re=re.compile(figure(False)),
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

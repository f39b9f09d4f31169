"""Regions: administrative divisions found in text and resolved to the national list.

The division list is ``corpora/regions/divisions.tsv`` (built once from the
``adcodes.csv`` shipped in the MIT-licensed cpca wheel; see
``corpora/regions/build_divisions.py``). It holds provinces, cities and
counties; towns and streets (乡/镇/街道) are not in it, so they are recognised
by their suffix and hang under the county/city the document is about.

All names (full names, plus short forms of provinces and cities such as 烟台,
山东) go into ONE alternation regex, longest first, compiled once per process:
one linear scan per document.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

import ahocorasick_rs

import corpora
from nlp.items import Entity

LEVELS = ("province", "city", "county", "town")
MAIN_SHARE = 0.4  # share of region mentions (itself and below) the document's main region needs
TOWN_SUFFIX_RE = re.compile(r"街道办事处|街道|镇|乡")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def trie_pattern(words: list[str]) -> str:
    """One regex alternation for many words, factored as a character trie, so
    the engine tests one branch per character instead of every word in turn.
    Longer words win over their prefixes (烟台市 before 烟台)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        end = node.get("", False)
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        alt = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{alt})?" if end else alt

    return build(trie)


@functools.lru_cache(maxsize=1)
def two_char_rules() -> tuple[str, frozenset[str]]:
    """(characters that may not follow a 2-character name, generic 2-character names)."""
    nxt, generic = "", frozenset()
    for line in corpora.read_lines("regions", "two_char_rules.txt"):
        kind, val = line.split("\t", 1)
        if kind == "next":
            nxt = val.strip()
        elif kind == "generic":
            generic = frozenset(val.split())
    return nxt, generic


class WordScanner:
    """Leftmost-longest, non-overlapping matches of a word list, as
    ``re.finditer`` of :func:`trie_pattern` gives them, from an Aho-Corasick
    automaton built once (``ahocorasick_rs``, in compiled code).

    Python's regex engine tries a trie alternation's first-level branches one
    by one at every position of the text, and a look-up per character in
    Python still cost a loop step per character; the automaton reads the text
    once whatever the number of words."""

    def __init__(self, words: list[str], chars: str = "") -> None:
        """``chars``: single characters :meth:`starts` reports as well."""
        self.words = sorted({w for w in words if w})
        self.chars = chars
        self._longest = ahocorasick_rs.AhoCorasick(
            self.words or [_NEVER], matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
        # every occurrence of every word (or of one of ``chars``): where one starts
        self._all = ahocorasick_rs.AhoCorasick(sorted({*self.words, *chars}) or [_NEVER])

    def starts(self, text: str) -> list[int]:
        """Positions where some word (of any length), or one of ``chars``, starts."""
        return sorted({s for _, s, _ in self._all.find_matches_as_indexes(text, overlapping=True)})

    def scan(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, word)`` of every match, left to right."""
        words = self.words
        return [(s, e, words[i]) for i, s, e in self._longest.find_matches_as_indexes(text)]


_NEVER = "\x00\x00never"  # the automaton of an empty word list (it needs one word)


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str  # province | city | county
    parent: str  # adcode of the parent ("" for provinces)


@dataclass
class Gazetteer:
    by_code: dict[str, Division]
    by_name: dict[str, list[Division]]  # full and short names -> candidates
    regex: re.Pattern[str]  # the names as one pattern (for match at a position)
    names: WordScanner  # the names, for scanning a whole text

    def path(self, div: Division) -> list[Division]:
        """Division and its ancestors, top first (山东省, 烟台市, 芝罘区)."""
        out = [div]
        while out[0].parent and out[0].parent in self.by_code:
            out.insert(0, self.by_code[out[0].parent])
        return out


@functools.lru_cache(maxsize=1)
def _short_suffixes() -> tuple[str, ...]:
    return tuple(corpora.read_lines("regions", "short_suffixes.txt"))


def _short_form(name: str, level: str) -> str | None:
    if level not in ("province", "city"):
        return None
    for suf in _short_suffixes():
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            short = name[: -len(suf)]
            # 内蒙古自治区 -> 内蒙古, 广西壮族自治区 -> 广西; keep at least 2 characters
            return short
    return None


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The division list and its name regex, built once per process."""
    by_code: dict[str, Division] = {}
    by_name: dict[str, list[Division]] = {}
    stop = set(corpora.read_lines("regions", "region_short_stop.txt"))
    for line in corpora.read_lines("regions", "divisions.tsv"):
        code, name, level, *rest = line.split("\t")
        div = Division(code, name, level, rest[0] if rest else "")
        by_code[code] = div
        by_name.setdefault(name, []).append(div)
    for div in list(by_code.values()):
        short = _short_form(div.name, div.level)
        if short and short not in stop and short not in by_name:
            by_name.setdefault(short, []).append(div)
    regex = re.compile(trie_pattern(list(by_name)))
    return Gazetteer(by_code, by_name, regex, WordScanner(list(by_name)))


def _choose(cands: list[Division], context: Counter[str], gz: Gazetteer) -> Division:
    """Pick among same-named divisions (普陀区 in 上海 or 舟山) by the document's
    other regions: the candidate whose ancestors are mentioned most wins."""
    if len(cands) == 1:
        return cands[0]

    def score(d: Division) -> tuple[int, int]:
        anc = gz.path(d)[:-1]
        return (sum(context[a.code] for a in anc), -LEVELS.index(d.level))

    return max(cands, key=score)


def find_regions(text: str) -> list[Entity]:
    """Region entities with level, adcode and parent path (attrs)."""
    gz = gazetteer()
    bad_next, generic = two_char_rules()
    raw: list[tuple[int, int, str]] = []
    for start, end, name in gz.names.scan(text):
        if len(name) == 2:
            nxt = text[end] if end < len(text) else ""
            after_region = bool(raw) and raw[-1][1] == start
            if (nxt and nxt in bad_next) or (name in generic and not after_region):
                continue
        raw.append((start, end, name))
    # context: every candidate of every mention counts once per mention
    context: Counter[str] = Counter()
    for _, _, name in raw:
        for d in gz.by_name[name]:
            context[d.code] += 1
    out: list[Entity] = []
    mentions = Counter(name for _, _, name in raw)
    for start, end, name in raw:
        div = _choose(gz.by_name[name], context, gz)
        if name != div.name and div.level == "city" and mentions[name] < 2 and not (
                mentions[div.name] or any(context[a.code] > 1 for a in gz.path(div)[:-1])):
            continue  # a lone short city name (玉林 in a person's name 衣玉林) is not enough
        path = gz.path(div)
        out.append(Entity(type="region", start=start, end=end, text=name, canonical=div.name,
                          attrs={"level": div.level, "adcode": div.code,
                                 "parent": path[-2].name if len(path) > 1 else None,
                                 "path": [p.name for p in path]}))
    return out


def regions_in_query(text: str) -> list[list[str]]:
    """Paths (top first: 上海市, 普陀区) of the regions a short query names,
    most specific first.

    Unlike :func:`find_regions`, a lone short name (青岛, 普陀) counts: a query
    is a few words and says what it means, so there is no running text to
    confirm it. Only the generic two-character names (the ones that are also
    common words) are left out. Same-named divisions are told apart by the
    other regions of the query (上海普陀区 vs 舟山普陀区)."""
    gz = gazetteer()
    _, generic = two_char_rules()
    names = [m.group() for m in gz.regex.finditer(text or "")
             if not (len(m.group()) == 2 and m.group() in generic)]
    context: Counter[str] = Counter(d.code for n in names for d in gz.by_name[n])
    paths: list[list[str]] = []
    for name in names:
        path = [d.name for d in gz.path(_choose(gz.by_name[name], context, gz))]
        if path not in paths:
            paths.append(path)
    return sorted(paths, key=len, reverse=True)


def main_region(regions: list[Entity], title: str = "") -> Entity | None:
    """The region the document is about: the deepest region named in the title,
    else the most mentioned region, preferring deeper levels that sit under it."""
    if not regions:
        return None
    in_title = [r for r in regions if r.canonical and r.canonical in title or r.text in title]
    pool = in_title or regions
    counts = Counter(r.attrs["adcode"] for r in pool)
    by_code = {r.attrs["adcode"]: r for r in pool}
    best_code, top = counts.most_common(1)[0]
    if not in_title:
        # a national text names many regions evenly: only a clear majority is "the" region
        under = sum(n for c, n in counts.items() if by_code[best_code].canonical in by_code[c].attrs["path"])
        if under < MAIN_SHARE * len(pool):
            return None
    best = by_code[best_code]
    # a county mentioned under the best region at least twice is more specific
    for code, n in counts.most_common():
        r = by_code[code]
        if best.canonical in r.attrs["path"][:-1] and n >= 2 and 2 * n >= counts[best_code] and \
                LEVELS.index(r.attrs["level"]) > LEVELS.index(best.attrs["level"]):
            best = r
            break
    return best


@functools.lru_cache(maxsize=1)
def _town_rules() -> tuple[frozenset[str], str, str]:
    return (frozenset(corpora.read_lines("regions", "town_head_stop.txt")),
            "".join(corpora.read_lines("regions", "town_boundary_chars.txt")),
            "".join(corpora.read_lines("regions", "town_head_bad_chars.txt")))


def find_towns(text: str, parent: Entity | None, region_ends: set[int]) -> list[Entity]:
    """Towns and streets (幸福街道, 初家街道, 万里街道, 昆嵛镇) under the document's region.

    The name is the 2-3 characters before the suffix, and only where a name can
    begin there: after a region name (莱山区初家街道), punctuation, a line start or
    a joining word (和昆嵛镇) -- otherwise 乡 and 镇 inside ordinary words would count."""
    stop, joiners, bad = _town_rules()
    out: list[Entity] = []
    for m in TOWN_SUFFIX_RE.finditer(text):
        s = m.start()
        for n in (2, 3):
            b = s - n
            if b < 0 or not all(_CJK.match(c) for c in text[b:s]):
                continue
            prev = text[b - 1] if b > 0 else "\n"
            if not (b in region_ends or not _CJK.match(prev) or prev in joiners):
                continue
            head = text[b:s]
            if head in stop or any(c in bad or c in "乡镇街" for c in head):
                break
            suffix = "街道" if m.group().startswith("街道") else m.group()
            e = s + len(suffix)
            path = (list(parent.attrs.get("path", [])) if parent else []) + [head + suffix]
            out.append(Entity(type="region", start=b, end=e, text=text[b:e], canonical=head + suffix,
                              attrs={"level": "town", "parent": parent.canonical if parent else None,
                                     "path": path}))
            break
    return out

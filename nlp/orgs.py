"""Government organisations: region + (委|人民政府)? + (town) + function.

Names are built, not listed: a region prefix (烟台市, 上海市普陀区, or a bare
level character 市/区/县 that the document's own region completes), an optional
link (牟平区*委*机构编制委员会办公室, *人民政府*万里街道办事处), an optional
town or street, and a function from ``corpora/entities/org_functions.tsv``
(财政局, 发改委 ...; short forms carry their full form there). Party and mass
bodies follow ``<party><region>委`` (九三学社烟台市委). Roles (第三方机构) are
kept as orgs with ``attrs["role"] = True``. Budget-code prefixes (219-...) are
never part of a match because a name starts at a Chinese character.

Everything is one compiled regex per process; one scan per document.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import corpora
from nlp.items import Entity
from nlp.metadata import canonical_org
from nlp.regions import WordScanner, gazetteer, trie_pattern
from nlp.regions import two_char_rules

LEVEL_CHARS = "省市县区"
LINKS = ("人民政府", "政府", "委")
ENUM_JOINERS = "、和及与"


@dataclass(frozen=True)
class OrgRules:
    regex: re.Pattern[str]
    functions: dict[str, str]  # surface -> canonical
    level_words: frozenset[str]  # 社区, 城市 ...: their level character starts no name
    bare: re.Pattern[str]  # a function alone (教育局), for enumerations after an org
    gov_compounds: tuple[str, ...]  # 政府投资, 政府采购 ...: 政府 inside a compound
    first_words: WordScanner  # every match starts with one of these words (or a level character)
    cited_before: re.Pattern[str] | None = None  # text before a cited mention (党中央、)
    cited_after: re.Pattern[str] | None = None  # text after one (关于…的决策部署)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """``regex.finditer(text)``, trying the regex only where a first word
        starts: the same matches, without entering the big alternation at
        every position whose character merely could start a name."""
        end = 0
        for i in self.first_words.starts(text):
            if i < end:
                continue
            m = self.regex.match(text, i)
            if m is not None:
                end = m.end()
                yield m


def _alternation(words: list[str]) -> str:
    """Longest word first, factored as a character trie (the engine tests one
    branch per character instead of every word in turn; same matches)."""
    return f"(?:{trie_pattern(sorted(set(words)))})"


@functools.lru_cache(maxsize=1)
def rules() -> OrgRules:
    """The organisation regex and function table (built once per process)."""
    functions: dict[str, str] = {}
    for line in corpora.read_lines("entities", "org_functions.tsv"):
        surface, *canon = line.split("\t")
        functions[surface] = (canon[0] if canon and canon[0] else surface)
    parties = corpora.read_lines("entities", "org_parties.txt")
    roles = corpora.read_lines("entities", "org_roles.txt")
    national = corpora.read_lines("entities", "org_national.txt")
    region_names = [n for n in gazetteer().by_name if len(n) > 2 or n not in two_char_generic()]
    regions = trie_pattern(region_names)
    func = _alternation(list(functions))
    prefix = rf"(?P<region>(?:{regions})+|[{LEVEL_CHARS}])"
    town = r"(?P<town>[\u4e00-\u9fff]{2,3}?(?:街道办事处|街道|镇人民政府|镇政府|镇|乡人民政府|乡))"
    pattern = (
        rf"(?P<party>{_alternation(parties)})(?P<pregion>(?:{regions})+)(?P<pfunc>委员会|委)"
        rf"|(?P<national>{_alternation(national)})(?!门)"
        rf"|{prefix}(?P<link>{_alternation(list(LINKS))})?"
        # after a town or street, any 中心 is one of its units (万里街道社区事务受理服务中心)
        rf"(?:{town}(?P<func2>{func}|[\u4e00-\u9fff]{{2,10}}?中心)?|(?P<func>{func}))"
        rf"|(?P<role>{_alternation(roles)})"
    )
    # every name starts with one of these: checking it first lets the engine skip
    # all other positions at once instead of trying each branch (same matches)
    starts = {w[0] for w in [*parties, *national, *roles, *region_names] if w} | set(LEVEL_CHARS)
    pattern = f"(?=[{''.join(re.escape(c) for c in sorted(starts))}])(?:{pattern})"
    level_words = frozenset(corpora.read_lines("entities", "org_level_words.txt"))
    compounds = corpora.read_lines("entities", "org_government_compounds.txt")
    first_words = WordScanner([*parties, *national, *roles, *region_names], LEVEL_CHARS)
    before, after = _cited_contexts()
    return OrgRules(re.compile(pattern), functions, level_words, re.compile(rf"(?:{func})"),
                    tuple(compounds), first_words, before, after)


def _cited_contexts() -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """The before- and after-patterns of ``corpora/entities/org_cited_contexts.tsv``,
    each side's lines joined into one alternation."""
    sides: dict[str, list[str]] = {"before": [], "after": []}
    for line in corpora.read_lines("entities", "org_cited_contexts.tsv"):
        side, _, pattern = line.partition("\t")
        sides.setdefault(side, []).append(f"(?:{pattern})")
    return tuple(re.compile("|".join(p)) if p else None  # type: ignore[return-value]
                 for p in (sides["before"], sides["after"]))


def two_char_generic() -> frozenset[str]:
    return two_char_rules()[1]


def _complete_region(prefix: str, region_path: list[str]) -> str:
    """市 in a 烟台 document is 烟台市; 区 in a 普陀区 document is 普陀区 (the document's
    own region or its nearest ancestor ending in that character)."""
    for name in reversed(region_path):
        if name.endswith(prefix):
            return name
    return prefix


def _canonical_regions(text: str, region_path: list[str]) -> str:
    """Full names for a run of region names (烟台 -> 烟台市)."""
    if len(text) == 1 and text in LEVEL_CHARS:
        return _complete_region(text, region_path)
    gz = gazetteer()
    out = []
    for m in gz.regex.finditer(text):
        cands = gz.by_name[m.group()]
        pick = next((c for c in cands if c.name in region_path), cands[0])
        out.append(pick.name)
    return "".join(out) or text


def find_orgs(text: str, region_path: list[str] | None = None) -> list[Entity]:
    """Organisation entities with raw ``text`` and ``canonical`` full name."""
    r = rules()
    path = region_path or []
    out: list[Entity] = []
    norm, pos = _unwrap(text)
    for m in r.finditer(norm):
        g = m.groupdict()
        attrs: dict[str, object] = {}
        if g["party"]:
            canonical = g["party"] + _canonical_regions(g["pregion"], path) + "委员会"
            attrs["party"] = g["party"]
        elif g["national"]:
            canonical = g["national"]
            attrs["national"] = True
        elif g["role"]:
            canonical = g["role"]
            attrs["role"] = True
        else:
            if len(g["region"]) == 1 and m.start() > 0:
                if norm[m.start() - 1:m.start() + 1] in r.level_words:
                    continue  # 社区党群服务中心: 区 ends the word 社区
            if m.group().endswith("政府") and norm.startswith(r.gov_compounds, m.end()):
                continue  # 金水区政府投资项目: government investment, not the government
            region = _canonical_regions(g["region"], path)
            link = g["link"] or ""
            if link == "政府":
                link = "人民政府"
            fn = g["func"] or g["func2"] or ""
            town = g["town"] or ""
            canonical = region + link + town + r.functions.get(fn, fn)
            if g["town"] and not fn and not g["town"].endswith(("办事处", "政府")):
                continue  # 莱山区初家街道, 汕头市发挥侨乡: a place (or nothing), not an office
            attrs["region"] = region
        if not g["role"]:  # one name for one body across documents (江苏省政协办公厅 = 政协江苏省委员会办公厅)
            canonical = canonical_org(canonical, path) or canonical
        start, end = (pos[m.start()], pos[m.end() - 1] + 1) if pos else (m.start(), m.end())
        if is_cited(text, start, end, r):
            attrs["cited"] = True
        out.append(Entity(type="org", start=start, end=end, text=text[start:end],
                          canonical=canonical, attrs=attrs))
    return _merge_national(out) + _enumerated(text, out, r)


CITE_WINDOW = 80  # characters either side of a mention where its citing context is read


def is_cited(text: str, start: int, end: int, r: OrgRules | None = None) -> bool:
    """Whether the mention ``text[start:end]`` cites another body instead of naming
    who acts: inside a quoted title (《国务院关于…》), or in a context of
    ``org_cited_contexts.tsv`` (党中央、国务院; 国务院关于…的决策部署)."""
    r = r or rules()
    before = text[max(0, start - CITE_WINDOW):start]
    after = text[end:end + CITE_WINDOW]
    if _in_quoted_title(before, after):
        return True
    if r.cited_before is not None and r.cited_before.search(before):
        return True
    if r.cited_after is None or r.cited_after.match(after) is None:
        return False
    return bool(before[before.rfind("\n") + 1:].strip())  # not at a line start (indent allowed)


def _in_quoted_title(before: str, after: str) -> bool:
    """A 《 opened before the mention and not closed, closed after it."""
    opened = before.rfind("《")
    if opened < 0 or before.rfind("》") > opened:
        return False
    closed = after.find("》")
    return closed >= 0 and not 0 <= after.find("《") < closed


_WRAP = re.compile(r"(?<=[\u4e00-\u9fff])[ \t]*\r?\n[ \t]*(?=[\u4e00-\u9fff])")


def _unwrap(text: str) -> tuple[str, list[int] | None]:
    """The text with line breaks between Chinese characters removed (PDF lines
    wrap inside names: 上海市普陀区万里街\n道社区事务受理服务中心), and for each of
    its characters the offset in the original text (``None`` when nothing changed)."""
    if not _WRAP.search(text):
        return text, None
    parts: list[str] = []
    pos: list[int] = []
    last = 0
    for m in _WRAP.finditer(text):
        parts.append(text[last:m.start()])
        pos.extend(range(last, m.start()))
        last = m.end()
    parts.append(text[last:])
    pos.extend(range(last, len(text)))
    return "".join(parts), pos


def _merge_national(found: list[Entity]) -> list[Entity]:
    """国家税务总局青岛市税务局: a national body directly followed by its local
    office is one organisation (the local office's official name)."""
    out: list[Entity] = []
    for o in found:
        prev = out[-1] if out else None
        if prev is not None and prev.attrs.get("national") and prev.end == o.start and "region" in o.attrs:
            out[-1] = Entity(type="org", start=prev.start, end=o.end, text=prev.text + o.text,
                             canonical=prev.canonical + o.canonical, attrs={**o.attrs})
            continue
        out.append(o)
    return out


def _enumerated(text: str, found: list[Entity], r: OrgRules) -> list[Entity]:
    """Functions listed after an organisation share its region:
    市人社局、教育局和扶贫办 -> 教育局 is the 市 (乐陵市) 教育局 too."""
    out: list[Entity] = []
    starts = {o.start for o in found}
    chain = [o for o in found if "region" in o.attrs]
    for org in chain:
        pos, region = org.end, str(org.attrs["region"])
        while pos < len(text) and text[pos] in ENUM_JOINERS:
            m = r.bare.match(text, pos + 1)
            if not m or m.start() in starts:
                break
            fn = m.group()
            out.append(Entity(type="org", start=m.start(), end=m.end(), text=fn,
                              canonical=region + r.functions.get(fn, fn),
                              attrs={"region": region, "enumerated": True}))
            pos = m.end()
    return out

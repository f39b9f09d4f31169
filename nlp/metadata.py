"""Document metadata from the strongest evidence first: cover and title, the
issuer line, then the body; 未知 (empty) where there is no evidence.

Why this order: a department budget's cover says whose budget it is
(江苏省高级人民法院2019年度部门预算, 预算主管部门：上海市普陀区司法局), while its
body names the printer (江苏省财政厅) and the congress it reports to; a
national work report's body mentions 香港 and 台湾, which are not its region.
So each field is taken from the first source that has it, in the order
``cover`` (labelled fields: 预算主管部门：, 部门：) / ``title`` (the first lines)
-> ``issuer`` (a law's 通过 line, a 令第N号, a report's speaker) -> ``body``
-> ``model`` (the type classifier). Every field records its source.

Organisation names are canonicalised by data (``corpora/entities/
org_name_rules.tsv`` rewrites long and short forms, ``org_canonical.tsv`` lists
names with their parent body and level); a name without its city
(洪泽区人民政府) is completed from the division list. Nothing here raises on
odd input: a document with no title, a scanned cover (no text) or two issuers
gives what is known and leaves the rest empty.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

import corpora
from nlp import script
from nlp.regions import Division, gazetteer

UNKNOWN = "未知"
HEAD_LINES = 6  # lines of the cover that can hold the title
HEAD_CHARS = 600  # characters of the head where labelled cover fields are read
SHORT_LINE = 60  # a cover line is short; a longer one is a paragraph of the body
_TOC = re.compile(r"^\s*目\s*录\s*$", re.M)
_WS = re.compile(r"\s+")
_CJK = r"\u4e00-\u9fff"


@dataclass(frozen=True)
class OrgInfo:
    """A canonical organisation: its parent body and administrative level."""

    name: str
    parent: str = ""
    level: str = ""


@dataclass
class Evidence:
    """One metadata field's value and where it came from (``title``, ``cover``,
    ``issuer``, ``body``, ``model``, ``manual``)."""

    value: object = ""
    source: str = ""


# ---- vocabularies ----------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def doc_types() -> dict[str, tuple[str, str, str]]:
    """type value -> (中文标签, English label, former value or '')."""
    out = {}
    for line in corpora.read_lines("doctype", "types.tsv"):
        value, zh, en, old = (line.split("\t") + ["", "", ""])[:4]
        out[value] = (zh, en, "" if old == "-" else old)
    return out


def type_label(value: str) -> str:
    """中文标签 of a type value ('' for none, the value itself when unknown)."""
    return doc_types().get(value, (value, "", ""))[0] if value else ""


@functools.lru_cache(maxsize=None)
def _type_rules(name: str) -> list[tuple[str, re.Pattern[str]]]:
    """(type, pattern) lines of a rule file in corpora/doctype/, in file order."""
    out = []
    for line in corpora.read_lines("doctype", name):
        kind, pattern = line.split("\t", 1)
        out.append((kind, re.compile(pattern)))
    return out


def title_rules() -> list[tuple[str, re.Pattern[str]]]:
    return _type_rules("title_rules.tsv")


def cover_rules() -> list[tuple[str, re.Pattern[str]]]:
    return _type_rules("cover_rules.tsv")


def filename_rules() -> list[tuple[str, re.Pattern[str]]]:
    return _type_rules("filename_types.tsv")


@functools.lru_cache(maxsize=1)
def _name_rules() -> list[tuple[re.Pattern[str], str]]:
    out = []
    for line in corpora.path("entities", "org_name_rules.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, _, repl = line.partition("\t")
            out.append((re.compile(pattern), repl))
    return out


@functools.lru_cache(maxsize=1)
def org_table() -> tuple[dict[str, OrgInfo], dict[str, str]]:
    """(canonical name -> OrgInfo, other name -> canonical name)."""
    infos: dict[str, OrgInfo] = {}
    alias: dict[str, str] = {}
    for line in corpora.read_lines("entities", "org_canonical.tsv"):
        name, parent, level, *rest = line.split("\t") + ["", "", ""]
        infos[name] = OrgInfo(name, "" if parent == "-" else parent, level)
        for other in (rest[0] if rest else "").split("、"):
            if other:
                alias[other] = name
    return infos, alias


@functools.lru_cache(maxsize=1)
def _national() -> frozenset[str]:
    return frozenset(corpora.read_lines("entities", "org_national.txt"))


@functools.lru_cache(maxsize=1)
def national_issuers() -> dict[str, str]:
    return dict(line.split("\t", 1) for line in corpora.read_lines("doctype", "national_issuers.tsv"))


@functools.lru_cache(maxsize=1)
def _placeholders() -> tuple[str, ...]:
    return tuple(corpora.read_lines("entities", "placeholders.txt"))


@functools.lru_cache(maxsize=1)
def _suffix_re() -> re.Pattern[str]:
    sufs = sorted(corpora.read_lines("entities", "org_suffixes.txt"), key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, sufs)) + ")$")


# ---- organisations ---------------------------------------------------------------

def _leading_regions(name: str, hint: list[str] | None = None) -> list[Division]:
    """The divisions a name starts with (上海市普陀区司法局 -> 上海市, 普陀区); a
    name shared by several divisions (普陀区) is the one under the previous name,
    else the one in ``hint`` (the document's region path), else the first listed."""
    gz = gazetteer()
    out: list[Division] = []
    pos = 0
    while True:
        m = gz.regex.match(name, pos)
        if not m or m.end() == pos:
            return out
        cands = gz.by_name[m.group()]
        parent = out[-1].code if out else None
        pick = next((c for c in cands if parent and c.parent == parent), None) or next(
            (c for c in cands if hint and c.name in hint and gz.path(c)[0].name in hint), cands[0])
        out.append(pick)
        pos = m.end()


def canonical_org(raw: str, region_hint: list[str] | None = None) -> str:
    """One name for one organisation: white space and placeholders out, long and
    short forms rewritten, a missing province or city completed (省政协办公厅 in a
    江苏 document -> 江苏省政协办公厅; 洪泽区人民政府 -> 淮安市洪泽区人民政府)."""
    name = _WS.sub("", raw or "").strip("：:，,。.（）()")
    if not name or any(p in name for p in _placeholders()):
        return ""
    infos, alias = org_table()
    name = alias.get(name, name)
    for pattern, repl in _name_rules():
        name = pattern.sub(repl, name)
    name = alias.get(name, name)
    if name in infos or name in _national():
        return name
    name = _complete_region(name, region_hint or [])
    return alias.get(name, name)


def _complete_region(name: str, hint: list[str]) -> str:
    """Prefix the city of a district's name (district names repeat across
    cities: 普陀区 is in 上海 and 舟山), or the hinted province of a bare
    省/市 name (省政协办公厅)."""
    body = name[2:] if name.startswith("中共") else name
    party = name[:2] if name.startswith("中共") else ""
    lead = _leading_regions(body, hint)
    if lead:
        first = lead[0]
        if first.level == "county" and first.name.endswith("区") and first.parent:
            parent = gazetteer().by_code.get(first.parent)
            if parent is not None and parent.level == "city":
                return party + parent.name + body
        return name
    for level_char in "省市":
        if body.startswith(level_char):
            for region in reversed(hint):
                if region.endswith(level_char):
                    return party + region + body[1:]
    return name


def org_info(name: str) -> OrgInfo:
    """Parent body and level of a canonical name (the table, else from its region)."""
    infos, _ = org_table()
    if name in infos:
        return infos[name]
    if name in _national():
        return OrgInfo(name, "", "中央")
    lead = _leading_regions(name[2:] if name.startswith("中共") else name)
    level = {"province": "省级", "city": "市级", "county": "区县级"}.get(lead[-1].level, "") if lead else ""
    if re.search(r"街道|镇|乡", name[len(lead[-1].name):] if lead else name) and level:
        level = "乡镇街道级"
    return OrgInfo(name, "", level)


def org_region(name: str) -> tuple[str, list[str]]:
    """(region, region path) an organisation belongs to: 全国 for national bodies,
    else the deepest division its name starts with; ('', []) when none."""
    if not name:
        return "", []
    if name in _national() or org_info(name).level == "中央":
        return "全国", []
    lead = _leading_regions(name[2:] if name.startswith("中共") else name)
    if not lead:
        return "", []
    path = gazetteer().path(lead[-1])
    return lead[-1].name, [d.name for d in path]


# ---- cover and title -------------------------------------------------------------

def head_lines(text: str, title: str = "") -> list[str]:
    """The cover's lines: the reader's title, then the text's first lines up to the
    table of contents (page numbers such as ``- 1 -`` skipped)."""
    lines = []
    for line in ([title] if title else []) + text[:HEAD_CHARS].splitlines():
        s = _WS.sub("", line).lstrip("#")
        if not s or not re.search(f"[{_CJK}]", s) or re.fullmatch(r"[-—–\d\s]+|第?\d+页", s):
            continue
        if re.match(r"目录", s):
            break
        if re.match(r"当前位置|首页|>|政务信息|.{2,4}要闻$|发表时间|阅读量|【字体|[小中大】]$", s):
            continue  # a web page's navigation above the title
        lines.append(s)
    # the reader's title is usually the first line again
    if title and len(lines) > 1 and lines[1].startswith(lines[0]):
        lines.pop(0)
    return lines[:HEAD_LINES]


def _joined_title(lines: list[str]) -> str:
    """Title lines wrapped on the cover joined back (2018年度江苏省高级 / 人民法院预算公开)."""
    out = ""
    if lines and len(lines[0]) > 40 and re.search("[，。；]", lines[0]):
        return ""  # the text starts with a paragraph: no title
    for line in lines[:3]:
        if out and (len(out) > 30 or len(line) > 30 or re.search("[，。；]", line)):
            break  # a paragraph follows the title
        if out and re.match(r"[—\-–－―]{1,2}|来源|时间|发表时间|\d{4}-\d|\d{4}年\d{1,2}月|.*会议", line):
            break
        out += line
    return out


_COVER_FIELD = re.compile(
    rf"(?:预算主管部门|预算单位|主管部门|部门名称|单位名称|编制单位|报送单位|部门)[:：]\s*"
    rf"(?P<org>[{_CJK}（）()]{{3,40}}?)(?=\s|单位[:：]|$)", re.M)


def cover_org(text: str, hint: list[str]) -> str:
    """An organisation in a labelled cover field (预算主管部门：..., 部门：...)."""
    m = _COVER_FIELD.search(text[:HEAD_CHARS])
    return canonical_org(m.group("org"), hint) if m else ""


_TITLE_ORG = re.compile(
    rf"^(?:\d{{4}}年度?)?(?P<org>[{_CJK}（）()XＸ×]{{3,40}}?)(?:\d{{4}})?(?:年度?)?"
    rf"(?:区级|省级|市级|县级)?(?:部门|单位)?(?:预算|决算|政府信息公开|\d{{4}})")


def title_org(title: str, hint: list[str]) -> str:
    """The organisation a budget, final account or report title starts with
    (江苏省委办公厅2019年度部门预算公开); a bare region (上海市普陀区2024年区级部门预算)
    is no organisation."""
    m = _TITLE_ORG.match(title)
    if not m:
        return ""
    raw = m.group("org")
    if any(p in raw for p in _placeholders()):
        return UNKNOWN
    lead = _leading_regions(raw)
    if lead and "".join(d.name for d in lead) == raw or not _suffix_re().search(raw):
        return ""
    return canonical_org(raw, hint)


def rule_type(text: str) -> str:
    """The type the first matching title rule gives a title or cover ('' for none)."""
    for kind, pattern in title_rules():
        if pattern.search(text):
            return kind
    return ""


def filename_type(name: str) -> str:
    """The type a file name suggests ('' for none)."""
    low = name.lower()
    for kind, pattern in filename_rules():
        if pattern.search(low):
            return kind
    return ""


# ---- issuer lines and body -------------------------------------------------------

_NUM = "一二三四五六七八九十百零〇"
_CONGRESS = re.compile(
    rf"(?P<region>[{_CJK}]{{2,12}}?)?(?:第[{_NUM}]+届)?人民代表大会(?P<sc>常务委员会)?"
    rf"(?:第[{_NUM}]+次会议)?(?:主席团)?(?:通过|修订|修正|公告|公布)")
_DECREE = re.compile(rf"(?:中华人民共和国)?(?P<org>[{_CJK}]{{2,12}}?)令第[\d{_NUM}]+号")
_STANDING_ONLY = re.compile(rf"^常务委员会第[{_NUM}]+次会议通过")
_ISSUE_LINE = re.compile(r"(通过|修订|修正|公布|发布|批准)）?\s*$")
_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月")


def issuer_org(head: str, title_region: list[str]) -> str:
    """A law's issuer from its head: the congress that passed it (X人大常委会 /
    X人大) or the body whose decree published it (国务院令第181号)."""
    for line in head.splitlines()[:12]:
        s = _WS.sub("", line)
        m = _CONGRESS.search(s)
        if m and not s.endswith("批准"):
            region = _after_date(m.group("region") or "") or (title_region[-1] if title_region else "")
            if not region and not m.group("sc"):
                continue
            return canonical_org(region + "人民代表大会" + (m.group("sc") or ""), title_region)
        m = _DECREE.search(s)
        if m:
            return canonical_org(_after_date(m.group("org")), title_region)
        if _STANDING_ONLY.search(s) and title_region:
            return canonical_org(title_region[-1] + "人民代表大会常务委员会", title_region)
    return ""


def _after_date(s: str) -> str:
    """What follows a date glued to a name (日北京市 -> 北京市)."""
    return re.split(r"[日号\d]", s)[-1]


def issue_year(head: str) -> int | None:
    """The latest year of a law's head lines that record its passing or revision
    (通过, 修订, 公布 ...; not 施行, which can fall in the next year)."""
    years = [int(m.group(1)) for line in head.splitlines()[:12]
             if _ISSUE_LINE.search(line) for m in _DATE.finditer(line)]
    return max(years) if years else None


def body_org(text: str, hint: list[str]) -> str:
    """The department a budget's body is about: the organisation name most often
    written right before a budget year or heading (江苏省政协办公厅 2019 年度...)."""
    pat = re.compile(rf"(?:^|[\s，。、；：])(?P<org>[{_CJK}]{{4,24}}?)\s*(?:\d{{4}}\s*年度?|本年)"
                     rf"\s*(?:部门)?(?:收入|支出|财政拨款|一般公共预算|预算|决算)")
    found = Counter()
    for m in pat.finditer(text):
        raw = m.group("org")
        if _suffix_re().search(raw):
            name = canonical_org(raw, hint)
            if name:
                found[name] += 1
    return found.most_common(1)[0][0] if found else ""


# ---- putting it together ---------------------------------------------------------

@dataclass
class CoverFacts:
    """What the cover and title say: the title, its type, org, region and year."""

    title: str = ""
    doc_type: Evidence | None = None
    org: Evidence | None = None
    region: list[str] | None = None  # region path named at the start of the title
    year: Evidence | None = None


def _title_region(title: str) -> list[str]:
    lead = _leading_regions(title)
    return [d.name for d in gazetteer().path(lead[-1])] if lead else []


def cover_type(text: str, lines: list[str], joined: str) -> Evidence | None:
    """The type the cover states: an issuer line (国务院令第N号公布), the title, the
    other short cover lines, else a table of contents."""
    short = [line for line in lines if len(line) <= SHORT_LINE and not re.search("[，。；]", line)]
    kind, source = next(((k, "issuer") for line in short for k, p in cover_rules()
                         if p.search(line)), ("", ""))
    if not kind and joined:  # the first line alone, then as wrapped on the cover
        kind, source = rule_type(short[0] if short else "") or rule_type(joined), "title"
    if not kind:
        kind, source = rule_type("".join(short)), "cover"
    if not kind and _TOC.search(text[:HEAD_CHARS]):
        # no title (a cover page without text): the table of contents
        toc = text[:HEAD_CHARS].splitlines()
        kind, source = rule_type("".join(_WS.sub("", x) for x in toc if len(x) <= SHORT_LINE)), "cover"
    return Evidence(kind, source) if kind else None


def stated_type(text: str, title: str = "") -> Evidence | None:
    """The type a document's cover states, if any (see :func:`cover_type`)."""
    text, title = script.fold(text[:HEAD_CHARS]), script.fold(title)
    lines = head_lines(text, title)
    return cover_type(text, lines, _joined_title(lines))


def read_cover(text: str, title: str = "") -> CoverFacts:
    """The metadata the first lines of a document state outright (a cover in
    traditional characters is read in simplified ones: :func:`nlp.script.fold`)."""
    text, title = script.fold(text[:HEAD_CHARS]), script.fold(title)
    lines = head_lines(text, title)
    joined = _joined_title(lines)
    facts = CoverFacts(title=joined)
    facts.doc_type = cover_type(text, lines, joined)
    start = re.sub(r"^\d{4}年度?", "", joined)
    facts.region = _title_region(start)
    hint = facts.region or []
    org = cover_org(text, hint)
    if org:
        facts.org = Evidence(org, "cover")
    else:
        org = title_org(joined, hint)
        if org:
            facts.org = Evidence("" if org == UNKNOWN else org, "title")
    m = re.search(r"(?<!\d)((?:19|20)\d{2})(?:年|政府工作报告|\s*$)", joined)
    if m:
        facts.year = Evidence(int(m.group(1)), "title")
    return facts


# ---- what a reader sees ----------------------------------------------------------

FIELDS = ("doc_type", "org", "region", "year")


def describe(doc_type: str | None, org: str | None, region: str | None, year: int | None,
             sources: dict[str, str] | None = None) -> dict[str, dict[str, object]]:
    """Each metadata field with its value (未知 for none), its source and, for the
    type, its Chinese label; for the organisation, its parent body and level."""
    sources = sources or {}
    values = {"doc_type": doc_type, "org": org, "region": region, "year": year}
    out: dict[str, dict[str, object]] = {}
    for f in FIELDS:
        v = values[f]
        entry: dict[str, object] = {"value": v if v not in (None, "") else UNKNOWN,
                                    "source": sources.get(f, "") if v not in (None, "") else ""}
        if f == "doc_type" and v:
            entry["label"] = type_label(str(v))
        if f == "org" and v:
            info = org_info(str(v))
            entry.update(parent=info.parent, level=info.level)
        out[f] = entry
    return out


def region_path_of(region: str) -> list[str]:
    """The division path of a region name (全国 and unknown names: [])."""
    cands = gazetteer().by_name.get(region or "")
    if not cands:
        return []
    return [d.name for d in gazetteer().path(cands[0])]

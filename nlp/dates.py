"""Dates and years, resolved against the document's own date.

The document date comes from the document itself -- a full date in its head
or foot (a notice's signature date), else its year -- never from the clock.
Partial dates borrow from it: 12月22日 in a 2023 article is 2023-12-22, 今年 is
2023, 上年 2022 (relative words in ``corpora/entities/relative_years.tsv``).
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter

import corpora
from nlp.items import Entity

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_D = r"[0-9０-９]"
_CN = "〇○零一二三四五六七八九"
DATE_RE = re.compile(
    rf"(?P<y>(?:19|20){_D}{{2}}|[一二][{_CN}]{{3}})\s*年(?:度)?"
    rf"(?:\s*(?P<m>{_D}{{1,2}})\s*月(?:\s*(?P<d>{_D}{{1,2}})\s*日)?)?"
    rf"|(?P<iy>(?:19|20)\d{{2}})(?P<sep>[-./])(?P<im>\d{{1,2}})(?P=sep)(?P<id>\d{{1,2}})(?!\d)"
    rf"|(?<![\d年])(?P<m2>{_D}{{1,2}})\s*月\s*(?P<d2>{_D}{{1,2}})\s*日"
    rf"|(?<![\d月])(?P<d3>{_D}{{1,2}})日(?=(?P<tw>TIMEWORDS))"
)


def _int(s: str) -> int:
    s = s.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if s.isdigit():
        return int(s)
    return int("".join(str(_CN_DIGITS[c]) for c in s))


@functools.lru_cache(maxsize=1)
def _rules() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, int]]:
    words = corpora.read_lines("entities", "day_time_words.txt")
    alt = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    date_re = re.compile(DATE_RE.pattern.replace("TIMEWORDS", alt))
    rel = {}
    for line in corpora.read_lines("entities", "relative_years.tsv"):
        w, off = line.split("\t")
        rel[w] = int(off)
    rel_re = re.compile("|".join(re.escape(w) for w in sorted(rel, key=len, reverse=True)))
    return date_re, rel_re, rel


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def document_date(text: str, source: str = "", title: str = "") -> tuple[str | None, int | None]:
    """(ISO date, year) of the document from its own text and file name.

    A full date in the first or last 300 characters is the document date;
    otherwise the year is the one in the title, then the file name, then the
    most frequent year of the text."""
    date_re, _, _ = _rules()
    # the foot counts only as a line that is just a date (a signature), not 自2025年1月1日起施行
    foot = "\n".join(ln for ln in text[-300:].splitlines() if date_re.fullmatch(ln.strip()))
    for chunk in (foot, text[:300]):
        found = []
        for m in date_re.finditer(chunk):
            if m.group("y") and m.group("m") and m.group("d"):
                found.append(_iso(_int(m.group("y")), _int(m.group("m")), _int(m.group("d"))))
            elif m.group("iy"):
                found.append(_iso(int(m.group("iy")), int(m.group("im")), int(m.group("id"))))
        found = [f for f in found if f]
        if found:  # the latest (a law's head lists its adoption and amendment dates)
            iso = max(found)
            return iso, int(iso[:4])
    for s in (title, source):
        m = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", s or "")
        if m:
            return None, int(m.group(1))
    years = Counter(_int(m.group("y")) for m in date_re.finditer(text) if m.group("y"))
    if years:
        return None, years.most_common(1)[0][0]
    return None, None


def find_dates(text: str, doc_date: str | None, doc_year: int | None) -> list[Entity]:
    """Date entities with attrs {"iso": ...} (full dates) or {"year": ...}."""
    date_re, rel_re, rel = _rules()
    doc_month = int(doc_date[5:7]) if doc_date else None
    out: list[Entity] = []
    for m in date_re.finditer(text):
        g = m.groupdict()
        attrs: dict[str, object] = {}
        end = m.end()
        if g["y"]:
            y = _int(g["y"])
            if g["m"] and g["d"]:
                iso = _iso(y, _int(g["m"]), _int(g["d"]))
                attrs = {"iso": iso} if iso else {"year": y}
            elif g["m"]:
                attrs = {"year": y, "month": _int(g["m"])}
            else:
                attrs = {"year": y}
        elif g["iy"]:
            iso = _iso(int(g["iy"]), int(g["im"]), int(g["id"]))
            if not iso:
                continue
            attrs = {"iso": iso}
        elif g["m2"]:
            mo, d = _int(g["m2"]), _int(g["d2"])
            iso = _iso(doc_year, mo, d) if doc_year else None
            attrs = {"iso": iso, "resolved": True} if iso else {"month": mo, "day": d}
        else:
            d = _int(g["d3"])
            end = m.start() + len(g["d3"]) + 1
            iso = _iso(doc_year, doc_month, d) if doc_year and doc_month else None
            attrs = {"iso": iso, "resolved": True} if iso else {"day": d}
        out.append(Entity(type="date", start=m.start(), end=end, text=text[m.start():end],
                          canonical=str(attrs.get("iso") or attrs.get("year") or ""), attrs=attrs))
    if doc_year:
        for m in rel_re.finditer(text):
            y = doc_year + rel[m.group()]
            out.append(Entity(type="date", start=m.start(), end=m.end(), text=m.group(),
                              canonical=str(y), attrs={"year": y, "relative": True}))
    return sorted(out, key=lambda e: e.start)

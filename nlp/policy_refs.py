"""Policy references: 《titles》 and document numbers (文号), linked when together.

A title is 《...》, possibly holding 〈inner〉 titles or the 关于印发《X》的通知
wrapper; its ``canonical`` is the innermost policy title (X). A document number
is ``<issuer code><bracket><year><bracket>第?<serial>号`` in any bracket style
(〔〕 [] ［］ () （） 【】 〖〗); the issuer code is the Chinese run before the
bracket minus joining words (根据烟财〔2023〕10号 -> 烟财, from
``corpora/entities/docnum_prefix_stop.txt``). A budget code (219-..., 2130599)
or a date has no bracketed year followed by 号, so it is never taken.

Each document number yields a ``doc_number`` item (the figures pass excludes
those spans) and a ``policy_ref``; a title and a number standing together
(《X》（烟财〔2023〕10号）) are linked through each other's attrs; the number also gets its own ``policy_ref``. Only titles
holding a policy word (``corpora/entities/policy_title_words.txt``) count.
"""
from __future__ import annotations

import functools
import re
from typing import Iterator

import corpora
from nlp.items import Entity
from nlp.scan import anchored_matches

TITLE_RE = re.compile(r"《(?:[^《》\n]|《[^《》\n]*》){1,120}》")
WRAPPER_RE = re.compile(r"关于(?:印发|转发|发布|下达|公布)?《([^《》\n]{1,120})》的(通知|决定|批复|意见|函)")
INNER_RE = re.compile(r"[〈《<]([^〈〉《》<>\n]{1,120})[〉》>]")
ISSUER_MAX = 12  # the longest issuer run (烟财预 ...) before a number's bracket
DOCNUM_RE = re.compile(
    rf"(?P<issuer>[\u4e00-\u9fff]{{1,{ISSUER_MAX}}})\s*"
    r"(?P<open>[〔\[［(（【〖])\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］)）】〗]\s*"
    r"第?\s*(?P<serial>\d{1,6})\s*号"
)
_FORWARD_RE = re.compile(r"关于(?:印发|转发|发布|下达|公布)")
LAW_SUFFIXES = ("法", "条例", "规定", "办法", "细则", "规则", "决定")
# what may stand between a title and its number when they are given together
_LINK_GAP = re.compile(r"\s*[（(]?\s*$")


@functools.lru_cache(maxsize=1)
def _title_words() -> tuple[str, ...]:
    return tuple(corpora.read_lines("entities", "policy_title_words.txt"))


@functools.lru_cache(maxsize=1)
def _break_chars() -> frozenset[str]:
    return frozenset("".join(corpora.read_lines("entities", "docnum_break_chars.txt")))


@functools.lru_cache(maxsize=1)
def _issuer_stop() -> tuple[str, ...]:
    return tuple(sorted(corpora.read_lines("entities", "docnum_prefix_stop.txt"), key=len, reverse=True))


def _trim_issuer(issuer: str) -> int:
    """How many leading characters of the issuer run are joining words, not code."""
    stops = _issuer_stop()
    # a joining character inside the run ends the running text (批复和普发改投 -> 普发改投)
    cut = max((i + 1 for i, c in enumerate(issuer[:-1]) if c in _break_chars()), default=0)
    changed = True
    while changed and cut < len(issuer) - 1:
        changed = False
        for w in stops:
            if issuer.startswith(w, cut) and len(issuer) - cut - len(w) >= 1:
                cut += len(w)
                changed = True
                break
    # codes are short: a long run is mostly running text (印发了市财政局烟财 ...)
    return max(cut, len(issuer) - 8)


# what every document number holds: 〔2023〕 (the issuer run before it is what is slow to scan)
_DOCNUM_YEAR = re.compile(r"[〔\[［(（【〖]\s*(?:19|20)\d{2}\s*[〕\]］)）】〗]")


def docnum_matches(text: str) -> Iterator[re.Match[str]]:
    """``DOCNUM_RE.finditer(text)``, trying the pattern only just before a bracketed year.

    A match's issuer run is Chinese characters only, followed by white space and
    the bracket, so it starts at most ``ISSUER_MAX`` characters before the white
    space that precedes the bracket; the pattern tried at those few positions,
    left to right, gives the same matches as trying it at every position."""
    return anchored_matches(DOCNUM_RE, _DOCNUM_YEAR, text, _issuer_starts)


def _issuer_starts(text: str, year: re.Match[str]) -> tuple[int, int]:
    """Where an issuer run ending before ``year``'s bracket (and its white space) may start."""
    run_end = year.start()
    while run_end > 0 and text[run_end - 1].isspace():
        run_end -= 1
    return run_end - ISSUER_MAX, run_end


def find_doc_numbers(text: str) -> list[Entity]:
    out = []
    for m in docnum_matches(text):
        cut = _trim_issuer(m.group("issuer"))
        start = m.start() + cut
        issuer = m.group("issuer")[cut:]
        span = text[start:m.end()]
        out.append(Entity(type="doc_number", start=start, end=m.end(), text=span,
                          canonical=re.sub(r"\s+", "", span),
                          attrs={"issuer": issuer, "year": int(m.group("year")),
                                 "serial": int(m.group("serial"))}))
    return out


def _title_attrs(title_text: str) -> dict[str, object]:
    inner = title_text[1:-1]
    attrs: dict[str, object] = {"title": inner}
    w = WRAPPER_RE.search(inner)
    core = inner
    if w:
        core = w.group(1)
    else:
        n = INNER_RE.search(inner)
        if n and _FORWARD_RE.match(inner):
            core = n.group(1)
    attrs["policy"] = core
    attrs["law"] = core.endswith(LAW_SUFFIXES)
    return attrs


def find_policy_refs(text: str, doc_numbers: list[Entity]) -> list[Entity]:
    """Title refs (with a linked number when one stands right after or before)
    and refs for numbers that stand alone."""
    out: list[Entity] = []
    linked: set[int] = set()
    by_start = sorted(doc_numbers, key=lambda d: d.start)
    words = _title_words()
    for m in TITLE_RE.finditer(text):
        start, end = m.start(), m.end()
        if not any(w in m.group() for w in words):
            continue  # 《就业介绍信》, 《我们的赛场》: a letter or a show, not a policy
        attrs = _title_attrs(m.group())
        # the 关于印发《X》的通知 wrapper written outside the brackets
        w = WRAPPER_RE.search(text, max(0, start - 6), min(len(text), end + 4))
        if w and w.start(1) == start + 1 and w.end(1) == end - 1:
            start, end = w.start(), w.end()
            attrs["wrapper"] = w.group(2)
        for i, d in enumerate(by_start):
            after = 0 <= d.start - end <= 3 and _LINK_GAP.match(text[end:d.start]) is not None
            before = 0 <= start - d.end <= 1
            if after or before:
                attrs.update(doc_number=d.text, issuer=d.attrs["issuer"],
                             year=d.attrs["year"], serial=d.attrs["serial"])
                d.attrs["title"] = attrs["policy"]
                linked.add(i)
                break
        out.append(Entity(type="policy_ref", start=start, end=end, text=text[start:end],
                          canonical=str(attrs["policy"]), attrs=attrs))
    for d in by_start:  # every number is a reference too (linked ones carry their title)
        out.append(Entity(type="policy_ref", start=d.start, end=d.end, text=d.text,
                          canonical=d.canonical, attrs={"doc_number": d.text, **d.attrs}))
    return out

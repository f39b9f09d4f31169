"""Turning text into index tokens, the same way for passages and for queries.

Chinese has no spaces, so the index holds two token streams per passage:

* ``words``: jieba's search-mode tokens (``cut_for_search`` also emits the short
  words inside long ones, 预算绩效管理 -> 预算 绩效 管理 预算绩效管理), which give
  BM25 word-level statistics;
* ``grams``: overlapping character bigrams of every run of letters/digits/CJK
  characters, plus the run's last character alone. Any substring of two or more
  characters is then the *phrase* of its bigrams, and any single character is
  the prefix of some gram, so every substring of a passage can be found even
  when jieba cut it differently.

Normalisation (:func:`normalize`) maps each character to at most one character
(full-width to half-width, lower case), so offsets in the normalised copy are
offsets in the original text; highlights are computed on the original.
"""
from __future__ import annotations

import functools
import re
import threading
import unicodedata
from typing import Any, Iterable, Iterator

import jieba

_jieba_lock = threading.Lock()
_ready = False


def ensure_jieba() -> None:
    """Initialise jieba (with the domain dictionary) once; its lazy init is not thread-safe."""
    global _ready
    if _ready:
        return
    with _jieba_lock:
        if not _ready:
            # the same dictionary the nlp pipeline uses, so index and query cuts agree
            from nlp.pipeline import load_user_dict

            load_user_dict()
            jieba.initialize()
            _ready = True


def _norm_char(ch: str) -> str:
    n = unicodedata.normalize("NFKC", ch)
    if len(n) != 1:
        n = ch
    low = n.lower()
    return low if len(low) == 1 else n


@functools.lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    """``str.translate`` table of the Basic Multilingual Plane characters that
    normalisation changes (built once: C-speed normalisation afterwards)."""
    table = {}
    for o in range(0x10000):
        if 0xD800 <= o <= 0xDFFF:
            continue
        ch = chr(o)
        n = _norm_char(ch)
        if n != ch:
            table[o] = n
    return table


@functools.lru_cache(maxsize=1)
def _changed() -> re.Pattern[str]:
    """One character that normalisation changes (a key of :func:`_table`)."""
    return re.compile("[" + "".join(re.escape(chr(o)) for o in sorted(_table())) + "]")


def _mapped(m: re.Match[str]) -> str:
    return _table()[ord(m.group())]


def normalize(text: str) -> str:
    """Length-preserving normalisation: ``normalize(t)[i]`` stands for ``t[i]``.

    Only the characters that change are looked up (a regex finds them in C):
    ``str.translate`` looked up every character in the table, and search
    normalises a few hundred candidate passages per query (60 -> 16 µs each)."""
    if text.isascii():
        return text.lower()
    return _changed().sub(_mapped, text)


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FFFF
            or 0xF900 <= o <= 0xFAFF)


def is_word_char(ch: str) -> bool:
    """Characters that are indexed: letters, digits and CJK ideographs."""
    return ch.isalnum() or is_cjk(ch)


# one run of word characters (:func:`is_word_char`): ``[^\W_]`` is exactly
# ``str.isalnum``, plus the CJK ranges of :func:`is_cjk`
_WORD_RUN = re.compile("(?:[^\\W_]|[\u4e00-\u9fff\u3400-\u4dbf\U00020000-\U0002ffff\uf900-\ufaff])+")


def runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of the maximal runs of word characters in ``text``."""
    return [m.span() for m in _WORD_RUN.finditer(text)]


_SAFE: dict[str, bool] = {}  # token -> _fts_safe(token): the same few thousand words recur
_SAFE_MAX = 200_000  # entries kept before the cache starts over (bounded memory)


def _fts_safe(tok: str) -> bool:
    """Tokens are stored space-separated and re-split by FTS5's unicode61
    tokenizer; a token must survive that as exactly one token."""
    safe = _SAFE.get(tok)
    if safe is None:
        if len(_SAFE) >= _SAFE_MAX:
            _SAFE.clear()
        safe = _SAFE[tok] = _WORD_RUN.fullmatch(tok) is not None
    return safe


def gram_tokens(norm: str) -> list[str]:
    """Bigrams of every word-character run, each run ending with its last character."""
    out: list[str] = []
    for s, e in runs(norm):
        out += [norm[i : i + 2] for i in range(s, e - 1)]
        out.append(norm[e - 1])
    return out


def query_grams(norm: str) -> list[list[str]]:
    """The gram phrase(s) a query string must match: one token list per run.

    A run of two or more characters is the phrase of its bigrams (without the
    trailing unigram, which only sits at the end of a run in the index); a
    one-character run is ``[ch]`` and is searched as a prefix."""
    out = []
    for s, e in runs(norm):
        if e - s == 1:
            out.append([norm[s]])
        else:
            out.append([norm[i : i + 2] for i in range(s, e - 1)])
    return out


def word_tokens(norm: str) -> list[str]:
    """jieba search-mode tokens of normalised text (punctuation dropped)."""
    ensure_jieba()
    return [t for t in jieba.cut_for_search(norm) if t.strip() and _fts_safe(t)]


def cut(norm: str) -> list[str]:
    """jieba's precise-mode cut, for splitting queries into meaningful words."""
    ensure_jieba()
    return [t for t in jieba.cut(norm) if t.strip()]


def index_columns(text: str, cut: list[tuple[int, int]] | None = None) -> tuple[str, str]:
    """(words, grams) strings for the FTS5 table, from original passage text.

    ``cut``: jieba's precise-mode cut of ``text`` already made by the analysis,
    as token spans in ``text`` (:func:`passage_cut`). Normalising a character that jieba's segmentation
    never looks at (full-width punctuation, ideographic space) changes no cut,
    so then the search-mode words are derived from ``cut`` exactly as
    ``jieba.cut_for_search`` derives them, without segmenting the text again."""
    norm = normalize(text)
    if cut is None or _cut_sensitive().search(text):
        words = word_tokens(norm)
    else:
        ensure_jieba()
        words = [t for t in _search_mode(norm[a:b] for a, b in cut) if _fts_safe(t)]
    return " ".join(words), " ".join(gram_tokens(norm))


def _search_mode(words: Iterable[str]) -> Iterator[str]:
    """``jieba.cut_for_search`` after the cut: the dictionary words inside each
    long word (2- and 3-character), then the word itself."""
    freq = jieba.dt.FREQ
    for w in words:
        if len(w) > 2:
            for i in range(len(w) - 1):
                if freq.get(w[i:i + 2]):
                    yield w[i:i + 2]
        if len(w) > 3:
            for i in range(len(w) - 2):
                if freq.get(w[i:i + 3]):
                    yield w[i:i + 3]
        yield w


# the characters jieba segments as words (its own block pattern)
_JIEBA_BLOCK = re.compile(jieba.re_han_default.pattern.strip("()"))


@functools.lru_cache(maxsize=1)
def _cut_sensitive() -> re.Pattern[str]:
    """Characters whose normalisation can change jieba's cut: those that are, or
    become, word characters for jieba (full-width letters and digits, upper case)."""
    chars = sorted(chr(o) for o, n in _table().items()
                   if _JIEBA_BLOCK.fullmatch(chr(o)) or _JIEBA_BLOCK.fullmatch(n))
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]")


def passage_cut(text: str, tokens: Any, start: int, end: int) -> list[tuple[int, int]] | None:
    """The tokens of ``tokens`` (``(start, end)`` rows of a cut of all of ``text``)
    covering ``text[start:end]``, as spans relative to ``start``, or ``None`` when they cannot stand for a cut of
    the passage alone: the passage does not begin and end at token boundaries,
    or jieba's blocks run across its edges."""
    if tokens is None or len(tokens) == 0 or start >= end:
        return None
    if (start > 0 and _JIEBA_BLOCK.match(text, start - 1, start)) or \
            (end < len(text) and _JIEBA_BLOCK.match(text, end, end + 1)):
        return None
    import numpy

    i = int(numpy.searchsorted(tokens[:, 0], start))
    j = int(numpy.searchsorted(tokens[:, 1], end))
    if i >= len(tokens) or j >= len(tokens) or tokens[i, 0] != start or tokens[j, 1] != end:
        return None
    return (tokens[i:j + 1] - start).tolist()


def document_columns(text: str, spans: Iterable[tuple[int, int]], tokens: Any) -> list[tuple[str, str]]:
    """:func:`index_columns` of each passage span of a document whose whole
    ``text`` the analysis cut into ``tokens`` (computed where the analysis ran:
    an ingest worker, so the single writer only writes)."""
    return [index_columns(text[s:e], passage_cut(text, tokens, s, e)) for s, e in spans]

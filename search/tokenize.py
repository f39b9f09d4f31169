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
import threading
import unicodedata

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


def normalize(text: str) -> str:
    """Length-preserving normalisation: ``normalize(t)[i]`` stands for ``t[i]``."""
    if text.isascii():
        return text.lower()
    return text.translate(_table())


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FFFF
            or 0xF900 <= o <= 0xFAFF)


def is_word_char(ch: str) -> bool:
    """Characters that are indexed: letters, digits and CJK ideographs."""
    return ch.isalnum() or is_cjk(ch)


def runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of the maximal runs of word characters in ``text``."""
    out = []
    start = None
    for i, ch in enumerate(text):
        if is_word_char(ch):
            if start is None:
                start = i
        elif start is not None:
            out.append((start, i))
            start = None
    if start is not None:
        out.append((start, len(text)))
    return out


def _fts_safe(tok: str) -> bool:
    """Tokens are stored space-separated and re-split by FTS5's unicode61
    tokenizer; a token must survive that as exactly one token."""
    return all(is_word_char(c) for c in tok)


def gram_tokens(norm: str) -> list[str]:
    """Bigrams of every word-character run, each run ending with its last character."""
    out: list[str] = []
    for s, e in runs(norm):
        for i in range(s, e - 1):
            out.append(norm[i : i + 2])
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


def index_columns(text: str) -> tuple[str, str]:
    """(words, grams) strings for the FTS5 table, from original passage text."""
    norm = normalize(text)
    return " ".join(word_tokens(norm)), " ".join(gram_tokens(norm))

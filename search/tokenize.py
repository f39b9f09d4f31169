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

Normalisation (:func:`normalize`) maps each character to exactly one character
(full-width to half-width, lower case, traditional to simplified), so offsets in
the normalised copy are offsets in the original text; highlights are computed on
the original. Traditional characters are folded with :mod:`nlp.script`'s table,
the one goals and metadata use: a simplified query (政府工作报告) finds a passage
reposted in traditional script (政府工作報告), in words and grams alike, and a
traditional query finds simplified passages.

:data:`TOKENS_VERSION` names this normalisation and segmentation: a store records
the version its index tokens were made with and rebuilds them when it differs
(``search.sqlite``), since a query normalised one way cannot match tokens made
another way.
"""
from __future__ import annotations

import bisect
import functools
import re
import threading
import unicodedata
from itertools import chain
from typing import Any, Iterable, Iterator

import jieba

from nlp import script, segment

# The version of the index tokens this module makes (normalisation and token
# streams). Raise it whenever normalize, word_tokens or gram_tokens change
# what a passage's tokens are: stores made with another version rebuild their
# tokens. 1: width and case folding; 2: traditional -> simplified (nlp.script).
TOKENS_VERSION = 2

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
    """``str.translate`` table of the characters that normalisation changes: of the
    Basic Multilingual Plane (width and case) and of the traditional -> simplified
    table (built once: C-speed normalisation afterwards)."""
    simplified = script.table()
    table = {}
    for o in sorted(set(range(0x10000)) | set(simplified)):
        if 0xD800 <= o <= 0xDFFF:
            continue
        ch = chr(o)
        n = _norm_char(ch)
        n = simplified.get(ord(n), n)
        if n != ch:
            table[o] = n
    return table


@functools.lru_cache(maxsize=1)
def _changed() -> re.Pattern[str]:
    """One character that normalisation may change: a Basic Multilingual Plane key of
    :func:`_table`, or any character beyond that plane. (One class holding the 354
    traditional characters beyond it made every search of the class 15 times slower:
    300 characters in 0.6 ms instead of 40 us.)"""
    bmp = "".join(re.escape(chr(o)) for o in sorted(_table()) if o <= 0xFFFF)
    return re.compile(f"[{bmp}]|[\U00010000-\U0010FFFF]")


def _mapped(m: re.Match[str]) -> str:
    ch = m.group()
    return _table().get(ord(ch), ch)


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


def folded_han() -> dict[str, str]:
    """The Han characters :func:`normalize` changes and what it makes of them
    (traditional -> simplified, compatibility ideographs -> unified ones): what a
    search engine's own analyzers must fold to give the tokens this module gives."""
    return {chr(o): n for o, n in _table().items() if is_cjk(chr(o)) and is_cjk(n)}


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
    for run in _WORD_RUN.findall(norm):
        out += map(str.__add__, run, run[1:])  # its bigrams, built in C
        out.append(run[-1])
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


def jieba_freq() -> dict[str, int]:
    """jieba's dictionary (word -> frequency), the domain words included."""
    ensure_jieba()
    return jieba.dt.FREQ


def word_tokens(norm: str) -> list[str]:
    """jieba search-mode tokens of normalised text (punctuation dropped): ``jieba.cut_for_search``,
    from :func:`nlp.segment.cut`, the same cut as the analysis' and faster than jieba's own, each
    word expanded as :func:`document_columns` expands it (:data:`_SEARCH_WORDS`)."""
    ensure_jieba()
    expand = _search_words()
    return [t for w in segment.cut(norm) if w.strip() for t in expand[w]]


def cut(norm: str) -> list[str]:
    """jieba's precise-mode cut (:func:`nlp.segment.cut`), for splitting queries into meaningful words."""
    ensure_jieba()
    return [t for t in segment.cut(norm) if t.strip()]


def index_columns(text: str) -> tuple[str, str]:
    """(words, grams) strings for the FTS5 table, from original passage text
    (a document's passages: :func:`document_columns`, which reuses the analysis' cut)."""
    norm = normalize(text)
    return " ".join(word_tokens(norm)), " ".join(gram_tokens(norm))


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
    become, word characters for jieba (full-width letters and digits, upper case,
    traditional characters)."""
    chars = sorted(chr(o) for o, n in _table().items()
                   if o <= 0xFFFF and (_JIEBA_BLOCK.fullmatch(chr(o)) or _JIEBA_BLOCK.fullmatch(n)))
    # beyond the Basic Multilingual Plane: any character (see _changed)
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]|[\U00010000-\U0010FFFF]")


def document_columns(text: str, spans: Iterable[tuple[int, int]], tokens: Any) -> list[tuple[str, str]]:
    """:func:`index_columns` of each passage span of a document whose whole
    ``text`` the analysis cut into ``tokens`` (computed where the analysis ran:
    an ingest worker, so the single writer only writes).

    The words are those of ``jieba.cut_for_search`` over the normalised passage
    (:func:`word_tokens`), without segmenting the text a second time: jieba cuts
    each of its blocks (a run of :data:`_JIEBA_BLOCK` characters) on its own, so
    a block that normalisation leaves as it is, and that is a whole block of the
    document, keeps the analysis' cut. Only the other blocks (an upper-case or
    full-width letter, a block cut by the passage's edge) are cut again. Token
    strings are sliced once per document, and a word's search-mode expansion
    is looked up once per distinct word (:data:`_SEARCH_WORDS`)."""
    if tokens is None or len(tokens) == 0:
        return [index_columns(text[s:e]) for s, e in spans]
    ensure_jieba()
    expand = _search_words()
    norm_text = normalize(text)  # character-wise: normalize(text[s:e]) == norm_text[s:e]
    starts, ends = tokens[:, 0].tolist(), tokens[:, 1].tolist()
    words = [norm_text[a:b] for a, b in zip(starts, ends)]
    out = []
    for s, e in spans:
        norm = norm_text[s:e]
        cut = _whole_passage_cut(text, s, e, starts, ends, words)
        if cut is None:
            cut = _passage_cut_words(text, norm_text, s, e, starts, ends, words)
        out.append((" ".join(chain.from_iterable(map(expand.__getitem__, cut))),
                    " ".join(gram_tokens(norm))))
    return out


class _SearchWords(dict):
    """word -> its ``jieba.cut_for_search`` tokens (:func:`_search_mode`) that
    the FTS index keeps (:func:`_fts_safe`), filled on first look-up: the same
    few thousand words recur in every document."""

    def __init__(self, total: float) -> None:
        super().__init__()
        self.total = total  # jieba's dictionary total when filled (add_word changes it)

    def __missing__(self, word: str) -> tuple[str, ...]:
        value = self[word] = tuple(t for t in _search_mode((word,)) if _fts_safe(t))
        return value


_SEARCH_WORDS = _SearchWords(0)
_SEARCH_MAX = 50_000  # words kept before the cache starts over (a few MB per worker)


def _search_words() -> _SearchWords:
    """:data:`_SEARCH_WORDS`, emptied when jieba's dictionary changed or it grew past
    ``_SEARCH_MAX`` words (bounded memory over a long ingest)."""
    global _SEARCH_WORDS
    if _SEARCH_WORDS.total != jieba.dt.total or len(_SEARCH_WORDS) >= _SEARCH_MAX:
        _SEARCH_WORDS = _SearchWords(jieba.dt.total)
    return _SEARCH_WORDS


def _whole_passage_cut(text: str, s: int, e: int, starts: list[int], ends: list[int],
                       words: list[str]) -> list[str] | None:
    """The document's tokens of ``text[s:e]`` when they are jieba's cut of the
    normalised passage alone: the passage begins and ends at block edges and
    holds no character whose normalisation can change a cut."""
    if s >= e or (s > 0 and _JIEBA_BLOCK.match(text, s - 1, s)) or \
            (e < len(text) and _JIEBA_BLOCK.match(text, e, e + 1)) or _cut_sensitive().search(text, s, e):
        return None
    i = bisect.bisect_left(starts, s)
    j = bisect.bisect_left(ends, e, i)
    if j >= len(ends) or starts[i] != s or ends[j] != e:
        return None
    return words[i:j + 1]


_BLOCK_RUN = re.compile(_JIEBA_BLOCK.pattern + "+")


def _passage_cut_words(text: str, norm_text: str, s: int, e: int, starts: list[int],
                       ends: list[int], words: list[str]) -> list[str]:
    """jieba's precise-mode cut of ``norm_text[s:e]`` (white space left out),
    every block that is also a whole, unchanged block of ``text`` taken from the
    document's cut (``starts``/``ends``/``words``), the others cut again."""
    out: list[str] = []
    pos = s
    for m in _BLOCK_RUN.finditer(norm_text, s, e):
        a, b = m.span()
        out += [c for c in norm_text[pos:a] if not c.isspace()]  # jieba yields these one by one
        pos = b
        if text[a:b] == m.group() and not (a > 0 and _JIEBA_BLOCK.match(text, a - 1, a)) \
                and not (b < len(text) and _JIEBA_BLOCK.match(text, b, b + 1)):
            i = bisect.bisect_left(starts, a)
            j = bisect.bisect_left(ends, b, i)
            # (the tokens of a block are contiguous: the Doc covers every character)
            if j < len(ends) and starts[i] == a and ends[j] == b:
                out += words[i:j + 1]
                continue
        out += segment.cut(m.group())
    out += [c for c in norm_text[pos:e] if not c.isspace()]
    return out

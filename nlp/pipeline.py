"""The spaCy pipeline: built once per process, one entry point per Document.

The pipeline is a blank ``zh`` language with the jieba segmenter (our domain
dictionary loaded into jieba once), then rule components registered with
``@Language.factory``. Each extraction component reads the source Document from
``doc._.document`` and appends its items to ``doc._.items``; an item's offsets
are offsets into ``doc.text``, which is exactly ``Document.text``.

Order matters: entities (organisations, regions, dates, document metadata,
newspaper articles) run first so that figures, goals and indicators can take
their context from them.
"""
from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import re
import threading
from typing import Callable

import jieba
import numpy
import spacy
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

import corpora
from ingest.document import Document
from nlp import entities, figures, goals, indicators, segment
from nlp.items import Analysis, Article, DocumentMeta, Figure, Item
from nlp.sentences import sentence_spans

USER_DICT = ("dict", "domain_dict.txt")
# spaCy's own default max_length: longer texts are analysed in pieces of this size
CHUNK_CHARS = 1_000_000
SENTENCE_CHARS = 300  # longest source sentence kept with a figure
COMPONENTS = (
    "policylens_sentences",
    "policylens_entities",
    "policylens_figures",
    "policylens_goals",
    "policylens_indicators",
    "policylens_context",
)

for _name, _default in (("document", None), ("items", None), ("meta", None), ("articles", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)

_lock = threading.Lock()


def _items(doc: Doc) -> list[Item]:
    """The doc's item list, created on first use (``nlp(text)`` starts with none)."""
    if doc._.items is None:
        doc._.items = []
    return doc._.items


def _extractor_component(extract: Callable[[Doc, Document], list[Item]]):
    """Wrap ``extract(doc, document) -> items`` as a pipeline component."""

    def component(doc: Doc) -> Doc:
        document = doc._.document
        if document is not None:
            _items(doc).extend(extract(doc, document))
        return doc

    return component


@Language.factory("policylens_sentences")
def make_sentences(nlp: Language, name: str):
    """Mark sentence starts after 。！？； (+ closing quotes) and blank lines."""

    def component(doc: Doc) -> Doc:
        # One array write: setting Token.is_sent_start token by token is
        # quadratic-ish in spaCy and took seconds on a long work report.
        if len(doc) == 0:
            return doc
        # and no Token objects: token offsets come as one array
        text = doc._.document.text if doc._.document is not None else doc.text
        starts = numpy.fromiter((s for s, _ in sentence_spans(text)), dtype="int64")
        idx = doc.to_array(IDX).astype("int64")
        flags = numpy.where(numpy.isin(idx, starts), 1, -1).astype("int32")
        flags[0] = 1
        doc.from_array([SENT_START], flags.reshape(-1, 1).astype("uint64"))
        return doc

    return component


@Language.factory("policylens_entities")
def make_entities(nlp: Language, name: str):
    def component(doc: Doc) -> Doc:
        document = doc._.document
        if document is not None:
            result = entities.extract(doc, document)
            _items(doc).extend(result.items)
            doc._.meta = result.meta
            doc._.articles = result.articles
        return doc

    return component


@Language.factory("policylens_figures")
def make_figures(nlp: Language, name: str):
    return _extractor_component(figures.extract)


@Language.factory("policylens_goals")
def make_goals(nlp: Language, name: str):
    return _extractor_component(goals.extract)


@Language.factory("policylens_indicators")
def make_indicators(nlp: Language, name: str):
    return _extractor_component(indicators.extract)


@Language.factory("policylens_context")
def make_context(nlp: Language, name: str):
    """Give every item the organisation, region and year of its article or document."""

    def component(doc: Doc) -> Doc:
        where = Analysis(meta=doc._.meta or DocumentMeta(), articles=doc._.articles or [])
        # Doc.text rebuilds the string from the tokens: the Document's text is the same string
        text = doc._.document.text if doc._.document is not None else doc.text
        sentences = sentence_offsets(doc)
        for item in _items(doc):
            for key, value in where.context_at(item.start).items():
                if value:
                    item.context.setdefault(key, value)
            if isinstance(item, Figure) and item.sentence is None:
                item.sentence = source_sentence(text, sentences, item.start, item.end)
        return doc

    return component


def sentence_offsets(doc: Doc) -> list[tuple[int, int]]:
    """``(start_char, end_char)`` of ``doc.sents``, read from the token arrays
    (a sentence ends where its last token ends, trailing space excluded)."""
    if len(doc) == 0:
        return []
    arr = doc.to_array([IDX, LENGTH, SENT_START]).astype("int64")
    firsts = numpy.flatnonzero(arr[:, 2] == 1)
    if len(firsts) == 0 or firsts[0] != 0:
        firsts = numpy.concatenate(([0], firsts))
    lasts = numpy.append(firsts[1:], len(doc)) - 1
    ends = arr[lasts, 0] + arr[lasts, 1]
    return list(zip(arr[firsts, 0].tolist(), ends.tolist()))


def source_sentence(text: str, sentences: list[tuple[int, int]], start: int,
                    end: int) -> str | None:
    """The sentence (from the ordered ``sentences`` spans) holding ``text[start:end]``,
    at most ``SENTENCE_CHARS`` around it (table text has no sentence ends),
    white space removed."""
    i = bisect.bisect_right(sentences, (start, len(text) + 1)) - 1
    if i < 0:
        return None
    sent_start, sent_end = sentences[i]
    s = max(sent_start, start - SENTENCE_CHARS // 2)
    e = min(max(sent_end, end), max(end, s + SENTENCE_CHARS))
    return "".join(text[s:e].split()) or None


@functools.lru_cache(maxsize=1)
def load_user_dict() -> None:
    """Load the domain dictionary into jieba's default tokenizer, once per process.

    Once, not once per caller: ``jieba.add_word`` adds each frequency to the
    dictionary total again, so a second load shifts every word's probability
    and the cut of a text would depend on how many modules had asked for the
    dictionary (the pipeline and the index cut 均居 differently)."""
    jieba.setLogLevel(60)
    for line in corpora.read_lines(*USER_DICT):  # skips comments, unlike jieba.load_userdict
        word, *rest = line.split()
        freq = int(rest[0]) if rest and rest[0].isdigit() else None
        tag = rest[-1] if rest and not rest[-1].isdigit() else None
        jieba.add_word(word, freq, tag)


def words_and_spaces(words: list[str], text: str) -> tuple[list[str], list[bool]]:
    """``spacy.util.get_words_and_spaces`` in linear time, same result.

    spaCy's version looks each word up in ``text[pos:]``, a copy of the rest
    of the text per word: quadratic in the length of a document (a 1 MB report
    spent most of its tokenisation copying). Searching from ``pos`` in place
    finds the same positions. jieba's words always join to the text itself:
    then only the runs of white space need a Python step (:func:`_exact_words_and_spaces`)."""
    if "".join(words) == text:
        return _exact_words_and_spaces(words, text)
    if "".join("".join(words).split()) != "".join(text.split()):
        raise ValueError(f"words do not match the text: {text[:60]!r}")
    return _searched_words_and_spaces(words, text)


def _searched_words_and_spaces(words: list[str], text: str) -> tuple[list[str], list[bool]]:
    """:func:`words_and_spaces` by finding each word in the text from the last one's end."""
    out_words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for word in words:
        if word.isspace():
            continue
        start = text.index(word, pos)
        if start > pos:
            out_words.append(text[pos:start])
            spaces.append(False)
            pos = start
        out_words.append(word)
        spaces.append(False)
        pos += len(word)
        if pos < len(text) and text[pos] == " ":
            spaces[-1] = True
            pos += 1
    if pos < len(text):
        out_words.append(text[pos:])
        spaces.append(False)
    return out_words, spaces


_WHITE_RUN = re.compile(r"\s+")


def _exact_words_and_spaces(words: list[str], text: str) -> tuple[list[str], list[bool]]:
    """:func:`words_and_spaces` of words that join to ``text`` exactly. A word
    is all white space or has none (jieba yields white space alone), so the
    words between two runs of white space are kept as they are, in one slice;
    a run gives its first space to the word before it and is a token of its own
    for the rest."""
    ends = list(itertools.accumulate(map(len, words)))
    out_words: list[str] = []
    spaces: list[bool] = []
    i = 0
    for m in _WHITE_RUN.finditer(text):
        a, b = m.span()
        j = bisect.bisect_right(ends, a)
        out_words += words[i:j]
        spaces += [False] * (j - i)
        if a > 0 and text[a] == " ":
            spaces[-1] = True
            a += 1
        if a < b:
            out_words.append(text[a:b])
            spaces.append(False)
        i = bisect.bisect_right(ends, b)
    out_words += words[i:]
    spaces += [False] * (len(words) - i)
    return out_words, spaces


class JiebaTokenizer:
    """spaCy's jieba tokenizer for ``zh`` with :func:`words_and_spaces`, and
    jieba's cut done by :func:`nlp.segment.cut` (the same words, faster)."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words = segment.cut(text)
        words, spaces = words_and_spaces(words, text)
        return Doc(self.vocab, words=words, spaces=spaces)


@functools.lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The pipeline, built once per process (dictionaries are never reloaded per document)."""
    load_user_dict()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.max_length = 50_000_000
    # No component reads lexical attributes (like_num, shape, is_alpha ...):
    # items come from the text and the token offsets. Without the getters a
    # new word's lexeme costs a string hash, not ten Python calls (a fifth of
    # building the Doc on a first pass over new text).
    nlp.vocab.lex_attr_getters = {}
    nlp.tokenizer = JiebaTokenizer(nlp.vocab)
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


WARM_UP_TEXT = ("烟台市财政局关于2023年预算执行情况的报告\n"
                "全市一般公共预算收入1000万元，增长5.2%。进一步提高资金使用效益，"
                "到2025年底完成改造任务。")


@functools.lru_cache(maxsize=1)
def warm_up() -> Language:
    """The pipeline with every rule set, model and dictionary it loads lazily
    already loaded (one short document analysed), so a worker pays these
    one-time costs before its first file and timings measure documents only."""
    from nlp import doctype, goal_model

    nlp = get_nlp()
    analyse(Document(id="warm-up", source="warm-up.txt", path="warm-up.txt", format="text",
                     title="", text=WARM_UP_TEXT))
    doctype.model()  # trained on first use; the warm-up text's type comes from rules, not the model
    goal_model.model()  # likewise (a few seconds): decides the goals the rules are unsure of
    return nlp


def analyse(document: Document) -> Analysis:
    """Run the whole pipeline over a Document: its items, metadata and articles.

    A text longer than ``CHUNK_CHARS`` is analysed piece by piece (cut at
    paragraph breaks), so no text is ever too long for spaCy (its E088) and the
    memory of one analysis stays bounded whatever the document's length."""
    if len(document.text) > CHUNK_CHARS:
        return _analyse_in_chunks(document)
    return _analyse_whole(document)


def chunk_bounds(text: str, size: int = 0) -> list[tuple[int, int]]:
    """(start, end) pieces of ``text`` of at most ``size`` characters, each cut
    after the last paragraph break, else line break, else sentence end, in the
    second half of the piece (a hard cut only when there is none)."""
    size = size or CHUNK_CHARS
    out, start = [], 0
    while len(text) - start > size:
        limit = start + size
        cut = -1
        for sep in ("\n\n", "\n", "。"):
            found = text.rfind(sep, start + size // 2, limit)
            if found >= 0:
                cut = found + len(sep)
                break
        cut = cut if cut > start else limit
        out.append((start, cut))
        start = cut
    out.append((start, len(text)))
    return out


def _piece(document: Document, start: int, end: int) -> Document:
    """The part ``start:end`` of a document, offsets relative to ``start``."""
    def inside(s: int | None) -> bool:
        return s is not None and start <= s < end

    return dataclasses.replace(
        document, text=document.text[start:end],
        pages=[dataclasses.replace(p, start=max(p.start, start) - start,
                                   end=min(p.end, end) - start)
               for p in document.pages if p.start < end and p.end > start],
        passages=[dataclasses.replace(p, start=p.start - start, end=min(p.end, end) - start)
                  for p in document.passages if inside(p.start)],
        tables=[dataclasses.replace(t, start=t.start - start,
                                    end=None if t.end is None else min(t.end, end) - start)
                for t in document.tables if inside(t.start)]
        + ([t for t in document.tables if t.start is None] if start == 0 else []))


def _analyse_in_chunks(document: Document) -> Analysis:
    """:func:`analyse` piece by piece; the document's metadata is the first piece's."""
    items: list[Item] = []
    articles: list[Article] = []
    tokens: list[numpy.ndarray] = []  # the index reuses the cut (else it cuts every passage again)
    meta = None
    for start, end in chunk_bounds(document.text):
        part = _analyse_whole(_piece(document, start, end))
        meta = meta or part.meta
        if part.tokens is not None:
            tokens.append(part.tokens + start)
        for item in part.items:
            item.start += start
            item.end += start
        for a in part.articles:
            articles.append(dataclasses.replace(
                a, index=len(articles), start=a.start + start, end=a.end + start,
                parts=[(s + start, e + start) for s, e in a.parts]))
        items.extend(part.items)
        del part
    return Analysis(items=items, meta=meta or DocumentMeta(), articles=articles,
                    tokens=numpy.concatenate(tokens) if tokens else None)


def _analyse_whole(document: Document) -> Analysis:
    """The pipeline over a text short enough for one spaCy Doc."""
    doc = make_doc(document)
    nlp = get_nlp()
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    items = sorted(_items(doc), key=lambda i: (i.start, i.end, i.type))
    for item in items:
        if item.page is None and document.format == "pdf":
            item.page = document.page_at(item.start)
    return Analysis(items=items, meta=doc._.meta or DocumentMeta(), articles=doc._.articles or [],
                    tokens=token_spans(doc))


def token_spans(doc: Doc) -> numpy.ndarray:
    """``(start, end)`` character offsets of every token, read as one array
    (no Token objects are built)."""
    arr = doc.to_array([IDX, LENGTH]).astype("int64").reshape(-1, 2)
    arr[:, 1] += arr[:, 0]
    return arr


def make_doc(document: Document) -> Doc:
    """Tokenise a Document's text (jieba) into a spaCy Doc carrying the Document."""
    nlp = get_nlp()
    with _lock:  # jieba's lazy initialisation is not thread-safe
        doc = nlp.make_doc(document.text)
    doc._.document = document
    doc._.items = []
    return doc

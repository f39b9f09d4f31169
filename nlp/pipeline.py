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
import threading
from typing import Callable

import jieba
import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

import corpora
from ingest.document import Document
from nlp import entities, figures, goals, indicators
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
        starts = {s for s, _ in sentence_spans(doc.text)}
        flags = numpy.fromiter(
            (1 if tok.i == 0 or tok.idx in starts else -1 for tok in doc),
            dtype="int32", count=len(doc)).reshape(-1, 1)
        doc.from_array([SENT_START], flags.astype("uint64"))
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
        # once per document: Doc.text rebuilds the string from the tokens on every access
        text = doc.text
        sentences = [(s.start_char, s.end_char) for s in doc.sents]
        for item in _items(doc):
            for key, value in where.context_at(item.start).items():
                if value:
                    item.context.setdefault(key, value)
            if isinstance(item, Figure) and item.sentence is None:
                item.sentence = source_sentence(text, sentences, item.start, item.end)
        return doc

    return component


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


def load_user_dict() -> None:
    """Load the domain dictionary into jieba's default tokenizer (once per process)."""
    jieba.setLogLevel(60)
    for line in corpora.read_lines(*USER_DICT):  # skips comments, unlike jieba.load_userdict
        word, *rest = line.split()
        freq = int(rest[0]) if rest and rest[0].isdigit() else None
        tag = rest[-1] if rest and not rest[-1].isdigit() else None
        jieba.add_word(word, freq, tag)


@functools.lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The pipeline, built once per process (dictionaries are never reloaded per document)."""
    load_user_dict()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.max_length = 50_000_000
    for name in COMPONENTS:
        nlp.add_pipe(name)
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
    meta = None
    for start, end in chunk_bounds(document.text):
        part = _analyse_whole(_piece(document, start, end))
        meta = meta or part.meta
        for item in part.items:
            item.start += start
            item.end += start
        for a in part.articles:
            articles.append(dataclasses.replace(
                a, index=len(articles), start=a.start + start, end=a.end + start,
                parts=[(s + start, e + start) for s, e in a.parts]))
        items.extend(part.items)
        del part
    return Analysis(items=items, meta=meta or DocumentMeta(), articles=articles)


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
    return Analysis(items=items, meta=doc._.meta or DocumentMeta(), articles=doc._.articles or [])


def make_doc(document: Document) -> Doc:
    """Tokenise a Document's text (jieba) into a spaCy Doc carrying the Document."""
    nlp = get_nlp()
    with _lock:  # jieba's lazy initialisation is not thread-safe
        doc = nlp.make_doc(document.text)
    doc._.document = document
    doc._.items = []
    return doc

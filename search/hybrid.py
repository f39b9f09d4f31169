"""Lexical and semantic lists fused into one ranking, and results made scannable.

Fusion is reciprocal rank fusion (Cormack et al., 2009) with a weight per list;
the semantic list's weight grows when the lexical list is weak, i.e. when no
passage in it holds most of the query's words (a paraphrase such as 卖地收入
for 国有土地使用权出让收入, or a question in everyday words). When a passage
matches the query word for word, semantics only reorders the tail. The
document-level boosts of query understanding (year, region, organisation,
type) order the lexical list and multiply the semantic part of the fused
score; a document that contradicts the year or region typed (a boost below 1)
loses that share of its whole fused score. They count in every mode. A query
that names a year, region or organisation of a pooled document is not fused at
all: it is ranked as semantic mode ranks it (:func:`document_focus`), and the
documents it names are shown without the per-document cap (:func:`named_documents`), in semantic
mode too (:func:`shown_whole`). The constants
were fitted on the tuning half of our own gold
(``corpora/search/gold_tune.jsonl``), never on the test half.

Scannable results: identical passages (the same text in two files, or twice in
one PDF) are collapsed to the first, and a document shows at most
``PER_DOC`` passages in the first page; the rest move down and the shown
passage says how many more its document has (``more_in_doc``).
"""
from __future__ import annotations

import re
from typing import Any, Callable, Iterable

from search.query import ParsedQuery
from search.tokenize import normalize
from search.understand import (ORG_BOOST, REGION_BOOST, YEAR_BOOST, Understood, doctype_words,
                               meta_boost)

RRF_K = 60
LEX_WEIGHT = 1.0
SEM_WEIGHT = 0.05  # semantic weight when the lexical list covers the whole query
SEM_GAIN = 1.0  # extra semantic weight when the best lexical passage covers nothing
SKIP_SEMANTIC_AT = 1.0  # hybrid skips the semantic list at this lexical coverage
CONTENT_SHARE = 0.5  # share of the content units' coverage in the fusion weight (fusion_coverage)
COVERAGE_TOP = 50  # the best lexical passages coverage_of_norms and fusion_coverage look at
# keep_semantic_first: below this fusion coverage, the semantic list's first KEEP_TOP passages
# are kept on the first page from place KEEP_AT + 1 on (fitted leave-one-set-out on sets 1-9,
# docs/search_relevance.md, tenth session)
KEEP_BELOW = 0.7
KEEP_TOP = 2
KEEP_AT = 2
PER_DOC = 4
# document_focus: the least boost of a document that fully matches the year, region or
# organisation a query names (chosen leave-one-set-out, docs/search_relevance.md, 13th session)
FOCUS_BOOST = 1.0 + min(YEAR_BOOST, REGION_BOOST, ORG_BOOST)
# passages of a document whose section the query names (search.sections) on the first page
SECTION_PER_DOC = 2 * PER_DOC
PAGE = 10

_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
_DIGIT = re.compile(r"[0-9０-９一二三四五六七八九十百千万亿]")


def pool_norms(pool: Iterable[tuple[Any, str]]) -> dict[Any, str]:
    """Each pooled lexical passage's normalised text by id, from (id, text) pairs
    (each store reads them off its own rows), worked out once per query: the
    coverage, the re-rank, the fusion and the collapse all read it."""
    return {pid: normalize(text) for pid, text in pool}


def coverage_of_norms(pq: ParsedQuery, norms: list[str]) -> float:
    """Best share (by unit length) of the query's units found in one passage of
    the lexical pool: 1.0 when some passage holds every word of the query.
    ``norms`` are the pool's normalised texts, best first (only the first
    ``COVERAGE_TOP`` count): the stores normalise every pooled passage once
    for the coverage, the re-rank and the fusion, and pass those texts here."""
    if not pq.units or not norms:
        return 0.0
    return _best_share(pq.units, norms[:COVERAGE_TOP])


def _best_share(units: list, norms: list[str]) -> float:
    """The best share (by unit length, at most 4 characters a unit) of ``units`` that one of the
    normalised texts ``norms`` holds."""
    weights = [min(len(u.text), 4) for u in units]
    best = max((sum(w for u, w in zip(units, weights) if u.held(norm)) for norm in norms),
               default=0)
    return best / sum(weights)


def semantics_needed(mode: str, coverage: float) -> bool:
    """Whether a query needs the semantic list (query embedding and vector
    search: most of a hybrid query's time). Semantic mode always does; hybrid
    mode only when lexical matching is weak, i.e. no passage of the lexical
    pool holds the whole query (``coverage`` < ``SKIP_SEMANTIC_AT``, see
    :func:`coverage_of_norms`). When one does, the semantic list would weigh only
    ``SEM_WEIGHT``: it would reorder a few lexical hits and append passages
    that share no word with the query, so it is left out, and the query
    costs what a lexical one costs."""
    if mode == "semantic":
        return True
    return mode == "hybrid" and coverage < SKIP_SEMANTIC_AT


def content_units(pq: ParsedQuery, understood: Understood) -> list | None:
    """The query's content units: those that are not the year, region,
    organisation or document type query understanding read (their boosts
    count those: 政府 工作 报告 of 1995年政府工作报告 say nothing of the topic). None
    unless the query has both kinds (otherwise every pooled passage holds a
    unit of the one kind there is)."""
    meta = [str(v) for v in (understood.year, understood.region, understood.org) if v]
    meta += [w for w, label in doctype_words() if label == understood.doc_type]
    content = [u for u in pq.units if not any(u.text in m for m in meta)]
    return content if meta and 0 < len(content) < len(pq.units) else None


def fusion_coverage(pq: ParsedQuery, understood: Understood, norms: list[str],
                    coverage: float) -> float:
    """The lexical confidence that weighs the semantic list in :func:`fuse`:
    ``coverage`` (:func:`coverage_of_norms`, all units) mixed ``CONTENT_SHARE`` with the
    best share of the content units alone among ``norms`` (the normalised texts
    of the re-ranked lexical list, best first). A passage that holds the year
    and the region typed covers much of a short query by length, yet says
    nothing of its topic: the document boost counts those, so the lexical list
    is less sure than ``coverage`` says and the semantic list weighs more."""
    content = content_units(pq, understood)
    if content is None:
        return coverage
    best = _best_share(content, norms[:COVERAGE_TOP])
    return (1.0 - CONTENT_SHARE) * coverage + CONTENT_SHARE * best


def metadata_only(pq: ParsedQuery, understood: Understood,
                  rows: Iterable[tuple[Any, str]]) -> frozenset:
    """Ids of the lexical passages (``rows``: (id, normalised text), as the
    coverage re-rank has them already) that hold none of the query's content
    units, only its year, region or organisation: 湖南照顾当过兵的人 pools every
    passage of a Hunan report that says 湖南. Such a match says nothing about
    the topic that the document boost does not already say, so :func:`fuse`
    does not count it as lexical evidence (see ``fuse``)."""
    content = content_units(pq, understood)
    if content is None:
        return frozenset()
    forms = [f for u in content for f in u.forms]
    return frozenset(rid for rid, norm in rows if not any(f in norm for f in forms))


def _semantic_order(sem: list[tuple[float, Any]], boost: dict[Any, float]
                    ) -> list[tuple[float, Any]]:
    """Semantic mode's ranking: (cosine times the document boost, id), best first."""
    return sorted(((cos * boost.get(rowid, 1.0), rowid) for cos, rowid in sem),
                  key=lambda x: -x[0])


def fuse(lex: list[tuple[float, int]], sem: list[tuple[float, int]], coverage: float,
         boost: dict[int, float], mode: str, meta_only: frozenset = frozenset()
         ) -> list[tuple[float, int]]:
    """One ranked (score, rowid) list. ``lex`` is sorted best first and already
    boosted; ``sem`` is (cosine, rowid) best first. In hybrid mode a lexical
    passage in ``meta_only`` (:func:`metadata_only`) adds nothing to the fusion
    (its semantic rank still counts): with reciprocal rank fusion a passage
    both lists hold half-way down beats the semantic first, and a passage that
    matched only the region typed was winning that way over the answer.

    The boosts: the semantic part of a passage's score is multiplied by its
    ``boost``; the lexical part only by a boost below 1 (a document dated
    another year or placed in another region than the query names, more
    than it matches the rest: :func:`search.understand.meta_boost`). The
    lexical list is ordered by boosted scores already, but reciprocal rank
    fusion keeps only ranks, so a penalised passage lost just a rank or two
    of its lexical part (1999年国家财政收入首次突破多少: the 2000 report's
    review of 1999 was 2nd, behind another year's passage)."""
    if mode == "lexical" or not sem:
        return list(lex)
    if mode == "semantic":
        return _semantic_order(sem, boost)
    w_sem = SEM_WEIGHT + SEM_GAIN * (1.0 - coverage)
    scores: dict[int, float] = {}
    for rank, (_, rowid) in enumerate(lex):
        if rowid not in meta_only:  # a contradicting document's shortfall counts here too
            scores[rowid] = min(1.0, boost.get(rowid, 1.0)) * LEX_WEIGHT / (RRF_K + rank + 1)
        else:
            scores[rowid] = 0.0
    for rank, (_, rowid) in enumerate(sem):
        scores[rowid] = scores.get(rowid, 0.0) + boost.get(rowid, 1.0) * w_sem / (RRF_K + rank + 1)
    return sorted(((s, r) for r, s in scores.items()), key=lambda x: -x[0])


def keep_semantic_first(ranked: list[tuple[float, Any]], sem: list[tuple[float, Any]],
                        boost: dict[Any, float], coverage: float) -> list[tuple[float, Any]]:
    """``ranked`` (the fused list) with the semantic list's first ``KEEP_TOP``
    passages (ordered as semantic mode orders them: cosine times boost) moved
    up to place ``KEEP_AT`` + 1 and on, when the lexical list is weak (fusion
    ``coverage`` below ``KEEP_BELOW``). Why: reciprocal rank fusion gives a
    passage only the semantic list holds at most ``w_sem / (k + 1)``, which
    a weak query's lexical list beats down to its 20th passage, so the
    semantic first passage of a paraphrase never reached the page even
    when it was the answer (穷人治眼病: 白内障 surgery for low-income families
    at semantic rank 1, poverty passages on the whole hybrid page). No
    weight tells from the query which list is right (the seventh and eighth
    sessions measured that); a place on the page does not need to, and the
    lexical first ``KEEP_AT`` passages are never moved down by it. A kept
    passage takes the score of the one it moves down (the order is the list's)."""
    if coverage >= KEEP_BELOW or not sem or KEEP_TOP <= 0:
        return ranked
    best = _semantic_order(sem, boost)[:KEEP_TOP]
    out = list(ranked)
    place = {r: i for i, (_, r) in enumerate(out)}
    for j, (_, rowid) in enumerate(best):
        at, old = KEEP_AT + j, place.get(rowid, -1)
        if old <= at:  # already there or higher (every semantic passage is in the fused list)
            continue
        out.pop(old)
        out.insert(at, (out[at][0], rowid))
        place = {r: i for i, (_, r) in enumerate(out)}
    return out


# content_first: a passage this short with no sentence end is a heading, a
# title or a date line (the length of SHORT_PASSAGE in search.sqlite)
HEADING_MAX = 30
# a sentence's end, or a lead-in to what follows (：, ——)
_SENTENCE_END = re.compile(r"(?:[。！？；!?;：:]|——)\s*$")
# an amount (1,029.15; 12.5; 300万元; 4%; 合计 300): a short line holding one is a table row, an answer
_AMOUNT = re.compile(r"[0-9０-９][0-9０-９,，]*[.．][0-9０-９]|[0-9０-９]{1,3}(?:[,，][0-9]{3})+"
                     r"|[0-9０-９]\s*(?:万元|亿元|元|%|％)"
                     # a bare number that is not a year, date, count or list mark (合计 300)
                     r"|(?<![0-9])(?!(?:19|20)[0-9]{2}(?![0-9]))[0-9]+"
                     r"(?![0-9年月日号届次季个章条节款项、.．\-—~至])"
                     # an amount or share in Chinese numerals (四万亿元, 一千四百五十一亿元, 百分之五):
                     # a title that states one answers a question (2008年1-7月全国财政收入达到四万亿元)
                     r"|[零〇一二两三四五六七八九十百千万]+\s*(?:万元|亿元|元)|百分之[零〇一二三四五六七八九十点]+")


def has_amount(text: str) -> bool:
    """Whether a text states an amount or a share (1,029.15; 300万元; 4%; 四万亿元; 百分之五)."""
    return bool(_AMOUNT.search(text or ""))


def is_heading(text: str) -> bool:
    """Whether a passage reads as a heading, title or date line: short, not a
    sentence or a lead-in, and no amount (a short table row answers)."""
    squashed = "".join((text or "").split())
    return (len(squashed) < HEADING_MAX and not _SENTENCE_END.search(squashed)
            and not has_amount(squashed))


def document_focus(understood: Understood, boosts: Iterable[float], pq: ParsedQuery) -> bool:
    """Whether a hybrid query ranks as semantic mode does (cosine times the
    document boost, the semantic list read through the query adapter): it
    :func:`asks_content`, it names that year, region or organisation in a word
    of its own (:func:`names_in_words`), and a document of the lexical pool is of
    it (``boosts``: the document boost of each
    pooled lexical passage, or of each pooled document; one at least ``FOCUS_BOOST``: a full match of one of
    them, not just the document type, a parent region or the next year's review).
    Why: such a query asks for what one document or section says (2019年上半年
    财政收支情况, 闵行区 2021年区本级决算报告); the lexical list ranks titles, date
    lines and other documents' passages with the same words first, and
    reciprocal rank fusion keeps their ranks, while the boost lifts the named
    document's substantive passages as a whole. Measured leave-one-set-out on
    sets 1-13 (docs/search_relevance.md, thirteenth session): meta queries
    rose on thirteen of fifteen sets, keyword and question queries never moved.
    When no pooled document is of what the query names (大寨 大庆: no such
    region's document is stored), the boost orders little and fusion stays.
    The gate (a full match rather than any lift above 1) was chosen
    leave-one-set-out over sets 1-13 and the meta set; asking also that the
    named document's pooled passage hold the topic (:func:`metadata_only`) lost
    0.007 of the mean of sets 1-10 and the meta set."""
    return (asks_content(understood) and names_in_words(pq, understood)
            and names_fully(max(boosts, default=1.0)))


def names_in_words(pq: ParsedQuery, understood: Understood) -> bool:
    """Whether the query says the year, region or organisation it was read as
    naming in a word of its own: a query unit that is part of that name (安徽 of
    安徽省, 2021) or holds the whole name (北京市 in 北京市政府). Why: a region read
    from inside a topic word (海南 of 海南岛 in 十四个沿海港口城市 海南岛 开放, 大庆 of
    大庆油田) is what the query is about, not the document it asks for; the
    boost still counts, but the lexical list that matched the topic word for
    word keeps its order (document focus cost set 14's keyword query 1.00 ->
    0.44, docs/search_relevance.md, fourteenth session)."""
    names = [str(v) for v in (understood.year, understood.region, understood.org) if v]
    return any(u.text in name or name in u.text for u in pq.units for name in names)


def named_documents(understood: Understood, docs: Iterable[tuple[Any, dict]]) -> frozenset:
    """Ids of the documents (``docs``: (id, metadata) pairs) that fully match the
    year, region or organisation the query names (:func:`names_fully` of
    :func:`search.understand.meta_boost`): under :func:`document_focus` the query
    asks for what such a document says, and :func:`collapse` shows it whole."""
    return frozenset(doc for doc, meta in docs if names_fully(meta_boost(understood, meta)))


def shown_whole(mode: str, focus: bool, pq: ParsedQuery, understood: Understood,
                docs: Iterable[tuple[Any, dict]]) -> frozenset:
    """The documents :func:`collapse` shows without the per-document cap
    (:func:`named_documents` of ``docs``, the (id, metadata) pairs of the pooled
    documents): a hybrid query's under :func:`document_focus`, and a semantic-mode
    query's that would have it (it :func:`asks_content` and :func:`names_in_words`).
    Why the second: semantic mode orders such a query as focus does (cosine times
    the boost, the list read through the adapter), so the answer is the named
    document's passages just as well; the cap kept four and filled the page with
    other years' and provinces' (by replay +0.017 / +0.009 / +0.019 / +0.033 on
    sets 11-14 in semantic mode, no set down; docs/search_relevance.md, fourteenth
    session, helper searchfuse14)."""
    named = (focus if mode == "hybrid" else
             mode == "semantic" and asks_content(understood) and names_in_words(pq, understood))
    return named_documents(understood, docs) if named else frozenset()


def names_fully(boost: float) -> bool:
    """Whether a document boost is a full match of the year, region or organisation a
    query names (at least ``FOCUS_BOOST``)."""
    return boost >= FOCUS_BOOST - 1e-9


def focused_order(lex: list[tuple[float, Any]], sem: list[tuple[float, Any]],
                  boost: dict[Any, float]) -> list[tuple[float, Any]] | None:
    """A :func:`document_focus` query's ranking: semantic mode's order (cosine
    times boost), then the lexical passages the semantic list does not hold, in
    their lexical order. None (fuse as usual) when no passage of the semantic
    list is of a document that fully matches what the query names: embedding
    runs after ingest, so a document just stored is found by its words alone,
    and ranking by the semantic list would drop it from the page."""
    if not any(names_fully(boost.get(rowid, 1.0)) for _, rowid in sem):
        return None
    ranked = _semantic_order(sem, boost)
    held = {rowid for _, rowid in ranked}
    floor = min((score for score, _ in ranked), default=0.0)
    rest = [rowid for _, rowid in lex if rowid not in held]
    return ranked + [(floor - (k + 1) * 1e-6, rowid) for k, rowid in enumerate(rest)]


def semantic_mode_of(mode: str, focus: bool) -> str:
    """The mode whose semantic list a search reads: ``semantic`` for a hybrid
    query with :func:`document_focus` (always read, through the adapter), else
    ``mode``."""
    return "semantic" if mode == "hybrid" and focus else mode


def fuse_query(pq: ParsedQuery, understood: Understood, lex: list[tuple[float, Any]],
               sem: list[tuple[float, Any]], norm: dict[Any, str], coverage: float,
               boost: dict[Any, float], mode: str) -> list[tuple[float, Any]]:
    """:func:`fuse` as both stores run it for a query: in hybrid mode with a
    semantic list, the lexical passages that hold only the query's year, region
    or organisation count for nothing (:func:`metadata_only`), the semantic
    list weighs by :func:`fusion_coverage`, and its first passages keep a place
    on the page when that coverage is low (:func:`keep_semantic_first`). ``norm``:
    each lexical passage's normalised text by id (the coverage re-rank has them
    already). A query with :func:`document_focus` is ranked as semantic mode ranks it."""
    if mode == "hybrid" and sem and document_focus(understood,
                                                   (boost.get(i, 1.0) for _, i in lex), pq):
        focused = focused_order(lex, sem, boost)
        if focused is not None:
            return focused
    if mode != "hybrid" or not sem:
        return fuse(lex, sem, coverage, boost, mode)
    meta_only = metadata_only(pq, understood, norm.items())
    coverage = fusion_coverage(pq, understood, [norm[i] for _, i in lex[:COVERAGE_TOP]],
                               coverage)
    return keep_semantic_first(fuse(lex, sem, coverage, boost, mode, meta_only), sem, boost,
                               coverage)


def asks_content(understood: Understood) -> bool:
    """Whether a query asks for what a document says rather than where it is: it
    names a year, region or organisation and is not a question."""
    return not understood.question and bool(understood.year or understood.region
                                            or understood.org)


def content_first(ranked: list[tuple[float, Any]], texts: dict[Any, str], doc_of: dict[Any, str],
                  understood: Understood, ordered: bool = False,
                  heading: Callable[[str], bool] = is_heading) -> list[tuple[float, Any]]:
    """``ranked`` with each document's headings (``heading``, by default
    :func:`is_heading`) moved behind that document's other passages, for a query
    that :func:`asks_content` or is a question: the places a document holds stay
    its own, in the same order of documents, but its content takes the first of
    them. Why: such a query asks for what the document says (a report's review of
    five years, a month's revenue); the section heading and the title line repeat
    the query's words most densely and took the first places (set 11,
    docs/search_relevance.md, eleventh session), yet say nothing a reader looks
    for. A question is answered by a sentence or a table row, never by a heading
    ((一)2021年一般公共预算收支决算情况 above the district's figures for
    闵行区2021年一般公共预算支出下降多少; fifteenth session, helper searchrank15); a
    title that states an amount is no heading (:func:`has_amount`). Other
    documents do not move: when a heading is all its document has in the list,
    it still points there (2026年自治区民生实事). A kept passage takes the score
    of the place it takes. Of the moved lines, those that are no :func:`is_heading`
    (a lead-in, a marked part's name) come before the headings, title and date lines."""
    if ordered or not (asks_content(understood) or understood.question):
        return ranked
    places: dict[str, list[int]] = {}
    for i, (_, rowid) in enumerate(ranked):
        places.setdefault(doc_of.get(rowid, ""), []).append(i)
    out = list(ranked)
    for at in places.values():
        rows = [ranked[i][1] for i in at]
        heads = [heading(texts.get(r, "")) for r in rows]
        if not any(heads) or all(heads):
            continue
        # content first, then the other signposts (a lead-in says what follows), headings last
        tier = {r: (h, h and is_heading(texts.get(r, ""))) for r, h in zip(rows, heads)}
        moved = sorted(rows, key=tier.__getitem__)  # stable: each tier keeps its order
        for i, rowid in zip(at, moved):
            out[i] = (ranked[i][0], rowid)
    return out


def _squash(text: str) -> str:
    return "".join(normalize(text).split())


def collapse(ranked: list[tuple[float, int]], texts: dict[int, str],
             doc_of: dict[int, str], need: int | None = None,
             norms: dict[int, str] | None = None,
             wide: frozenset = frozenset(),
             whole: frozenset = frozenset()) -> list[tuple[float, int, int]]:
    """(score, rowid, more_in_doc): identical passages dropped, at most
    ``PER_DOC`` passages of one document among the first ``PAGE`` results
    (``SECTION_PER_DOC`` for the documents in ``wide``: those whose section the
    query names, :mod:`search.sections`, where the section is the answer; no
    cap for those in ``whole``: the documents a :func:`document_focus` query
    names, :func:`named_documents`, whose passages are the answer: the whole
    2021年一季度 report, the five-year review of 江西省's report, where the cap
    filled six places with other months' and other provinces' passages);
    the passages held back come right after the first page, in order. The
    order never depends on the page asked for, so paging stays consistent.
    With ``need``, only the first ``need`` results are worked out (the rest
    of a 300-passage pool is never compared, which matters at a million
    passages); they are the same as without it. ``norms``: the normalised
    texts the caller has already (the lexical pool's), by id; the others are
    normalised here."""
    seen: set[str] = set()
    norms = norms or {}

    def unique():
        for score, rowid in ranked:
            norm = norms.get(rowid)
            key = "".join(norm.split()) if norm is not None else _squash(texts.get(rowid, ""))
            if key and key in seen:
                continue
            seen.add(key)
            yield score, rowid

    items = unique()
    front: list[tuple[float, int]] = []
    held: list[tuple[float, int]] = []
    per_doc: dict[str, int] = {}
    for item in items:
        doc = doc_of.get(item[1], "")
        cap = PAGE if doc in whole else SECTION_PER_DOC if doc in wide else PER_DOC
        if per_doc.get(doc, 0) >= cap:
            held.append(item)
            continue
        per_doc[doc] = per_doc.get(doc, 0) + 1
        front.append(item)
        if len(front) == PAGE:
            break
    rest: list[tuple[float, int]] = []
    for item in items:
        if need is not None and len(front) + len(held) + len(rest) >= need:
            break
        rest.append(item)
    more: dict[str, int] = {}
    for _, rowid in held:
        more[doc_of.get(rowid, "")] = more.get(doc_of.get(rowid, ""), 0) + 1
    shown: set[str] = set()
    out = []
    for score, rowid in front + held + rest:
        doc = doc_of.get(rowid, "")
        extra = more.get(doc, 0) if doc not in shown else 0
        shown.add(doc)
        out.append((score, rowid, extra))
    return out


def answer_span(text: str, pq: ParsedQuery) -> tuple[int, int] | None:
    """The sentence of ``text`` that best answers a question: most query
    words covered, a figure preferred (questions ask 多少 / 几 / 比例)."""
    best, best_score = None, 0.0
    units = pq.units
    if not units:
        return None
    for m in _SENTENCE.finditer(text):
        sent = normalize(m.group())
        covered = sum(min(len(u.text), 4) for u in units if any(f in sent for f in u.forms))
        if not covered:
            continue
        score = covered + (0.5 if _DIGIT.search(sent) else 0.0)
        if score > best_score:
            start = m.start() + len(m.group()) - len(m.group().lstrip())
            best, best_score = (start, m.end()), score
    return best


def annotate(hit, more: int, pq: ParsedQuery, question: bool) -> None:
    """What a shown passage says beside its text, in every store: how many more
    passages its document has further down (``more_in_doc``) and, for a
    question, the answering sentence (``answer``, offsets into the passage)."""
    if more:
        hit.meta["more_in_doc"] = more
    if question:
        span = answer_span(hit.text, pq)
        if span:
            hit.meta["answer"] = list(span)

"""Goal finding's fast paths give exactly what the plain computations give, on real documents.

Each fast path replaces a computation whose meaning is simpler: one joined regex per cue list
for the patterns searched one by one, the document's own jieba words for jieba on each clause,
one regex for a vocabulary's words, the model's parts called directly for the Pipeline. Here
each is checked against the plain computation over every sentence and clause of sample
documents, so a cue pattern added to ``corpora/goals`` that the joining would change fails.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import jieba
import pytest

from ingest.readers import read
from nlp import goal_clauses, goal_model, goals, regex_union, vagueness
from nlp.pipeline import analyse, make_doc

SAMPLES = Path(__file__).resolve().parent.parent / "corpora" / "samples"
DOCS = ("gwr_national_2017.txt", "yantai_daily_budget_performance_2023.txt")


@pytest.fixture(scope="module")
def documents() -> list:
    return [read(SAMPLES / name) for name in DOCS]


def _pieces(text: str) -> list[str]:
    """Every sentence and clause of a text, as the rules and the model read them."""
    spans = [(s, e) for s, e in goal_clauses.sentences(text)]
    spans += [(s, e) for s, e, _ in goal_clauses.clauses(text)]
    for ps, pe, sentences in goals._layout(text):
        for ss, se in sentences:
            spans += [(ss, se), *goals._clauses(text, ss, se)]
    return sorted({text[s:e] for s, e in spans})


def _cue_pieces(documents: list) -> Iterator[tuple[str, Any, str]]:
    """Every goal cue list with every sentence and clause of the documents: what the fast paths are checked on."""
    cues = goals._cues()
    for document in documents:
        for piece in _pieces(document.text):
            for name, cue in cues.items():
                yield name, cue, piece


def _plain_first(patterns: list[re.Pattern[str]], text: str) -> tuple[int, int] | None:
    hits = [m for p in patterns if (m := p.search(text))]
    m = min(hits, key=lambda m: m.start()) if hits else None
    return m.span() if m else None


def _plain_cue(sentence: str, name: str) -> tuple[int, int] | None:
    """The rules' cue search as first written: every pattern's matches, each tested against every veto."""
    cues = goals._cues()

    def vetoed(at: int) -> bool:
        return any(m.start() <= at < m.end() for p in cues["cue_vetoes"].patterns for m in p.finditer(sentence))

    hits = [m for p in cues[name].patterns for m in p.finditer(sentence) if not vetoed(m.start())]
    m = min(hits, key=lambda m: m.start()) if hits else None
    return m.span() if m else None


def test_joined_cue_lists_find_the_first_match_of_their_patterns(documents: list) -> None:
    checked = 0
    for name, cue, piece in _cue_pieces(documents):
        m = cue.first(piece)
        assert (m.span() if m else None) == _plain_first(cue.patterns, piece), (name, piece)
        checked += m is not None
    assert checked > 1000  # the lists match often enough for the comparison to mean something


def test_vetoed_cues_are_the_plain_search(documents: list) -> None:
    vetoed = 0
    for document in documents:
        for piece in _pieces(document.text):
            for name in ("goal_cues", "goal_cues_strong", "goal_cues_exhort", "target_verbs"):
                m = goals._cue(piece, name)
                assert (m.span() if m else None) == _plain_cue(piece, name), (name, piece)
                first = goals._cues()[name].first(piece)
                vetoed += first is not None and goals._vetoed(piece, first.start())
    assert vetoed > 0  # the slow path behind a veto is exercised too


def test_counter_cues_and_vague_words_in_one_regex(documents: list) -> None:
    lex = vagueness._lexicon()
    for document in documents:
        for piece in _pieces(document.text):
            assert vagueness.has_counter_cue(piece) == any(p.search(piece) for p in lex.counter), piece
            assert vagueness.has_vague_word(piece) == bool(vagueness.vague_words_in(piece)), piece


def test_clause_words_from_the_doc_are_jieba_on_each_clause(documents: list) -> None:
    for document in documents:
        known = goals.known_of(make_doc(document), document)
        assert known is not None and known.tokens is not None
        cls = goal_model.document_clauses(document)
        words = goal_model._clause_words(document.text, cls, set(range(len(cls))), known.tokens)
        for (s, e, _), w in zip(cls, words):
            assert w == " ".join(x for x in jieba.lcut(document.text[s:e]) if x.strip())


def test_known_kind_is_the_models_own(documents: list) -> None:
    for document in documents:
        doc = make_doc(document)
        analysed = analyse(document)
        doc._.meta = analysed.meta
        known = goals.known_of(doc, document)
        assert known is not None and known.kind == goal_model.document_kind(document)


def test_probabilities_without_the_pipeline_machinery(documents: list) -> None:
    document = documents[0]
    _, records = goal_model.features(document, goal_model.rule_spans(document))
    clf = goal_model.model()
    fast = goal_model._proba(clf, records)
    plain = clf.predict_proba(goal_model._frame(records))[:, 1]
    assert len(fast) == len(records) > 100
    assert fast.tolist() == plain.tolist()  # the same numbers, bit for bit


def test_each_vectorizer_gives_its_own_matrix(documents: list) -> None:
    """The vectorizers' fast transform (rule flags looked up in the vocabulary) is each fitted
    vectorizer's own ``transform``, entry for entry, on every clause of a real document and on odd
    records (no flags, unknown flags, an int, a bool or a string flag: the last two go to the
    vectorizer itself)."""
    document = documents[1]
    _, records = goal_model.features(document, goal_model.rule_spans(document))
    odd = [{"flags": {"no such flag": 1.0, "c_quantity": 1}, "text": "", "words": "", "context": ""},
           {"flags": {}, "text": "增长", "words": "增长", "context": ""},
           {"flags": {"c_quantity": True}, "text": "增长增长增长5%5%", "words": "增长 增长 ZZ", "context": "P:增长"},
           {"flags": {"kind_x": "y"}, "text": "☃☃", "words": "☃", "context": "N:☃"}]
    union = goal_model.model().named_steps["features"]
    for rows in (records, odd[:2], odd[:3], odd):
        for _, pipe in union.transformer_list:
            field, vec = pipe.steps[0][1].func.name, pipe.steps[-1][1]
            values = [r[field] for r in rows]
            fast, plain = goal_model._transform(vec, values), vec.transform(values)
            assert fast.shape == plain.shape
            assert (abs(fast - plain)).max() == 0
            assert fast.indptr.tolist() == plain.indptr.tolist() and fast.indices.tolist() == plain.indices.tolist()
            assert fast.data.tolist() == plain.data.tolist()


TRICKY = ["^这是", "将来", "(?<!a)b", "“?十[一二]五”?", "a{2,}b", "(?:c|d)?e", "(?=b)ba", "[^a]c", "x\\d"]


def test_union_search_is_the_joined_search_on_every_short_text() -> None:
    """Anchored, lookbehind, optional-start and unknown-start patterns: every text of up to
    four characters over their alphabet gives the joined regex's own match."""
    import itertools

    alphabet = "这是将来ab“十一五”cdex1"
    for size in range(1, len(TRICKY) + 1):
        union = regex_union.Union(TRICKY[:size])
        for n in range(5):
            for chars in itertools.product(alphabet if n < 3 else "这是将ab十五”e", repeat=n):
                text = "".join(chars)
                got, want = union.search(text), union.regex.search(text)
                assert (got.span() if got else None) == (want.span() if want else None), (TRICKY[:size], text)
    assert regex_union.Union(TRICKY[:2]).anchored and regex_union.Union(TRICKY[:4]).lead is not None
    assert regex_union.Union(TRICKY).lead is None  # [^a]c may start anywhere: no jump


def test_clause_flags_search_only_the_lists_their_sentence_allows(documents: list) -> None:
    """A clause holds no character its sentence lacks: lists skipped for the sentence give no flag."""
    skipped = 0
    for document in documents:
        text = document.text
        sents = goal_clauses.sentences(text)
        for s, e, k in goal_clauses.clauses(text):
            possible = goal_model._possible_lists(text[sents[k][0]:sents[k][1]])
            assert goal_model._flags(text[s:e], "c_", possible) == goal_model._flags(text[s:e], "c_")
            skipped += len(goals._cues()) - len(possible)
    assert skipped > 0


def test_a_union_is_not_searched_in_a_text_lacking_every_string_its_matches_hold() -> None:
    """The strings one of which every match must hold are read from the parsed patterns: the most telling
    mandatory part of each (a run of literal characters, an alternation of such); none where a pattern has
    no mandatory literal part or ignores case. The search's answer stays the regex's own (the tests above)."""
    assert regex_union.needed_strings(["(?:圆满|顺利)完成", "实现了?(?:年初)?目标"]) == ("完成", "实现")
    assert regex_union.needed_strings(["[，,](?:已经?|均)?圆满完成"]) == ("圆满完成",)
    assert regex_union.needed_strings(["(?:ab)?c?"]) is None  # nothing mandatory
    assert regex_union.needed_strings(["(?i)abc"]) is None
    assert regex_union.needed_strings(["[^a]b", "\\d+"]) is None  # the second holds no literal part
    assert regex_union.needed_strings(["[^a]b", "\\d+%"]) == ("%", "b")
    union = regex_union.Union(["^(?:(?!要|将)[^。；;])*?(?:目标|任务)[^，,。；;]{0,4}(?:圆满|顺利)完成"])
    assert union.needs == ("完成",)
    text = "全年各项目标任务顺利推进，各项工作取得新进展"
    assert union.search(text) is None and union.regex.search(text) is None
    text = "全年各项目标任务顺利完成"
    assert union.search(text).span() == union.regex.search(text).span() == (0, len(text))


def test_a_cue_list_opens_a_text_exactly_when_its_first_match_starts_there(documents: list) -> None:
    """goalspeed17: carried_sentences asks whether the period run (section_review) opens a sentence: a match at
    its start, not the search of the whole sentence it did (the same answer on every sentence and clause)."""
    opened = 0
    for name, cue, piece in _cue_pieces(documents):
        m = cue.first(piece)
        assert cue.opens(piece) == (m is not None and m.start() == 0), (name, piece)
        opened += cue.opens(piece)
    assert opened > 100
    assert goals._cues()["section_review"].opens("一年来，我国所面临的压力挑战前所未有。")  # batch 42's period run


def test_a_goal_without_a_drafted_plan_is_no_drafting_without_reading_its_outcomes(
        documents: list, monkeypatch: pytest.MonkeyPatch) -> None:
    """goalspeed17: drafts_plan first looks for a string every plan_drafting pattern holds (规划, 纲要) in the
    folded goal; without one no clause can name a drafting. The same answer as the plain reading on every piece."""
    from nlp import goal_frame, goal_stance, script

    def plain(goal: str) -> bool:
        if vagueness.quantities(goal):
            return False
        outcomes = [c for c in goal_stance._clauses(goal) if goal_stance.states_outcome(c)]
        return bool(outcomes) and all(goal_frame._drafting().search(script.fold(c)) for c in outcomes)

    pieces = [p for d in documents for p in _pieces(d.text)] + [
        "确保规划建议编制工作始终沿着正确方向前进", "确保规劃上下銜接、同頻共振", "认真编制“十五五”规划，确保规划符合发展规律"]
    assert sum(goal_frame.drafts_plan(p) for p in pieces) >= 2
    for piece in pieces:
        assert goal_frame.drafts_plan(piece) == plain(piece), piece

    def unread(clause: str) -> bool:
        raise AssertionError(f"outcomes read: {clause}")

    monkeypatch.setattr(goal_stance, "states_outcome", unread)
    needs = goal_frame._drafting_needs()  # 规划, 纲要 (and 报告 since goalnews18's report-drafting line)
    assert needs is not None and "规划" in needs
    unsure = [p for p in pieces if not any(s in script.fold(p) for s in needs)]
    assert len(unsure) > 100 and not any(goal_frame.drafts_plan(p) for p in unsure)  # none read

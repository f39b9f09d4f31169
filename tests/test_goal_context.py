"""The context model (nlp/goal_context.py): its features are computed at run time as in training, the
context decision with its levers off is the shipped veto, and the leave-out bench's CLI."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nlp import goal_context, goal_model, goals

ROOT = Path(__file__).resolve().parents[1]
NAME = "gwr2026_guangdong.txt"  # a dev-corpus provincial work report: plan, review and next-step sections


def _runtime(name: str):
    """Clauses, clause-model probabilities and context features as :func:`nlp.goals.decide` computes them
    inside the pipeline (the Doc's words and type)."""
    from nlp.pipeline import make_doc

    document = goal_model.load_document(name)
    known = goals.known_of(make_doc(document), document)
    skip = goals.table_spans(document)
    rule_goals = goals.from_text(document, skip, kind=known.kind if known else None)
    unsure = goals.unsure_goals(document, rule_goals, skip, known.kind if known else None)
    clauses = goals.clause_scores(document, rule_goals, skip, known=known)
    return document, rule_goals, unsure, clauses, goals.context_rows(document, rule_goals, unsure, clauses, known)


def test_the_context_features_at_run_time_are_those_of_training(tmp_path, monkeypatch) -> None:
    """The bench fits the context model on features computed from its per-document cache (every clause's
    record, the document cut again); the pipeline computes them from its Doc. On a real document both give
    the same clauses, the same clause-model probabilities and the same features."""
    monkeypatch.setenv("POLICYLENS_DATA_DIR", str(tmp_path))
    from bench import goal_add, goal_ctx, goal_lobo

    _, rule_goals, unsure, clauses, rows = _runtime(NAME)
    cache = goal_add._cache(NAME)
    scored = goal_lobo.scored(NAME)
    assert [cache["cls"][n] for n in scored] == [(s, e, k) for s, e, k, _ in clauses]
    assert [(g.start, g.end) for g in cache["text_goals"]] == [(g.start, g.end) for g in rule_goals]
    assert {i for i, g in enumerate(rule_goals) if g in unsure} == set(goal_lobo._unsure(NAME))
    probs = goal_ctx._probs(goal_model.model(), NAME)
    assert probs == pytest.approx([p for *_, p in clauses], abs=1e-9)
    trained = goal_ctx.doc_features(NAME, [p for *_, p in clauses])
    assert len(rows) > 300 and trained == rows
    assert any(r.get("state_certain") for r in rows) and any(r.get("state_unsure") for r in rows)
    assert {k for r in rows for k in r if k.startswith("section_")} >= {"section_plan", "section_review"}


COMMENTARY = "news2022_sina_gdp_target_commentary.txt"  # the clause model vetoes one of its unsure goals


@pytest.mark.parametrize("name", [NAME, COMMENTARY])
def test_the_context_decision_with_its_levers_off_is_the_shipped_veto(name: str) -> None:
    """No certain goal vetoed, unsure ones by the clause model at KEEP, nothing added: the goals of
    :func:`nlp.goals.decide` without the context model, whatever the context probabilities."""
    document, rule_goals, unsure, clauses, _ = _runtime(name)
    skip = goals.table_spans(document)
    veto = goals.decide(document, rule_goals, skip, clauses=clauses, keep=goal_model.KEEP, add=1.01)
    for q in ([0.0] * len(clauses), [1.0] * len(clauses)):
        same = goals.in_context(document, rule_goals, unsure, clauses, q, goal_model.KEEP, 0.0, None, 1.01)
        assert [(g.start, g.end) for g in same] == [(g.start, g.end) for g in veto]
    assert len(veto) < len(rule_goals) or name != COMMENTARY


def test_the_context_levers_veto_certain_goals_and_add_clauses() -> None:
    """A context probability of 0 everywhere vetoes every certain goal at any ``vc`` above 0; 1 everywhere
    adds every clause no kept goal covers (a run per sentence)."""
    document, rule_goals, unsure, clauses, _ = _runtime(NAME)
    none = goals.in_context(document, rule_goals, unsure, clauses, [0.0] * len(clauses), 0.0, 0.5, 0.5, 1.01)
    assert none == []
    every = goals.in_context(document, rule_goals, unsure, clauses, [1.0] * len(clauses), 0.0, 0.5, 0.5, 0.9)
    assert len(every) > len(rule_goals)
    # every rule goal stays but an unsure one whose sentence the grammars read as no goal (a stance, a review)
    grammar = [g for g in unsure if goals.read_as_no_goal(document.text, g)]
    assert all(g in every for g in rule_goals if g not in grammar)
    assert not any(g in every for g in grammar)


def test_states_read_the_rules_decision_of_each_clause() -> None:
    cls = [(0, 10, 0), (10, 20, 0), (20, 30, 1), (30, 40, 1), (40, 50, 2)]
    probs = [0.5, 0.3, 0.02, 0.01, 0.9]
    got = goal_context.states(cls, probs, certain=[(0, 12)], unsure=[(10, 20), (20, 38)], keep=0.1)
    assert got == ["certain", "unsure", "vetoed", "vetoed", "none"]


def test_goal_lobo_help_prints_the_usage_and_runs_nothing() -> None:
    out = subprocess.run([sys.executable, "-m", "bench.goal_lobo", "--help"], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "leave one batch out" in out.stdout and "variants:" in out.stdout
    assert "  ALL " not in out.stdout  # no table: nothing was fitted or scored
    bad = subprocess.run([sys.executable, "-m", "bench.goal_lobo", "no such variant"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "unknown variant" in bad.stderr


def test_the_context_model_ships_as_data_and_scores_as_fitted() -> None:
    """Fitted on the labelled clauses of a real document (batch 20's Yangbi county plan), exported as
    weights and scored from them: the same probabilities as the fitted pipeline, no fit at run time."""
    from nlp.scoring import read_jsonl
    import corpora

    name = "gwr2023_yangbi_county_plan.txt"
    document, _, _, clauses, rows = _runtime(name)
    gold = {(r["start"], r["end"]): r["label"] != "0"
            for r in read_jsonl(corpora.path("goals", "clause_labels_batch20.jsonl")) if r["doc"] == name}
    picked = [(f, gold[(s, e)]) for f, (s, e, _, _) in zip(rows, clauses) if (s, e) in gold]
    assert len(picked) > 20 and 0 < sum(y for _, y in picked) < len(picked)
    clf = goal_context.pipeline()
    clf.fit([f for f, _ in picked], [y for _, y in picked])
    data = goal_context.export(clf, {"vc": 0.2, "k2": 0.3, "add": 0.5}, "test")
    assert goal_context.score(rows, data) == pytest.approx(list(clf.predict_proba(rows)[:, 1]), abs=1e-9)


def test_goal_speed_names_a_missing_context_file() -> None:
    """``bench.goal_speed --context=PATH`` (the context model's cost before it ships) with no such file:
    a clear message naming it, and nothing timed."""
    out = subprocess.run([sys.executable, "-m", "bench.goal_speed", "HEAD", "--context=/no/such/context.json"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 2
    assert "no such file: /no/such/context.json" in out.stdout and "ratio" not in out.stdout


def test_goal_speed_refuses_an_unknown_option() -> None:
    """A mistyped option (``--contxt=``) used to be dropped, and the shipped model timed instead."""
    out = subprocess.run([sys.executable, "-m", "bench.goal_speed", "HEAD", "--contxt=/x.json"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 2
    assert "unknown option: --contxt=/x.json" in out.stdout and "this tree:" not in out.stdout

"""The clause model as the decider where the rules are unsure: the held-out batch it is
measured on, the decision itself (certain rule goals stay, unsure ones need the model),
partial scoring, and one goal per quantified target."""
from __future__ import annotations

import pytest

import corpora
from ingest.document import Document, Page
from nlp import goal_model, goals
from nlp.scoring import read_jsonl

DEV = {"gwr_national_2017.txt", "gwr2026_guangdong.txt", "gwr2026_guizhou.txt",
       "yantai_daily_budget_performance_2023.txt", "leling_budget_performance_2019.txt"}


def _doc(text: str) -> Document:
    return Document(id="t", source="t.txt", path="t.txt", format="text", title="t", text=text,
                    pages=[Page(1, 0, len(text))])


def _f1(gold: list[bool], pred: list[bool]) -> float:
    tp = sum(g and p for g, p in zip(gold, pred))
    fp = sum(p and not g for g, p in zip(gold, pred))
    fn = sum(g and not p for g, p in zip(gold, pred))
    return 2 * tp / (2 * tp + fp + fn)


def test_the_heldout_batch_is_large_unseen_and_never_trained_on() -> None:
    """Batch 4: drawn from documents no other batch or the dev gold uses; the model never sees it."""
    test = goal_model.load_labels(goal_model.BATCH4_LABELS)
    train_docs = {r["doc"] for which in (goal_model.LABELS, goal_model.TEST_LABELS)
                  for r in goal_model.load_labels(which)}
    assert len(test) >= 400 and len({r["doc"] for r in test}) >= 10
    assert len({r["kind"] for r in test}) >= 4 and sum(r["label"] != "0" for r in test) >= 40
    assert not {r["doc"] for r in test} & (train_docs | DEV)
    stored = read_jsonl(corpora.path(*goal_model.BATCH4_FEATURES))
    assert [(r["doc"], r["start"], r["label"]) for r in stored] == [
        (r["doc"], r["start"], r["label"]) for r in test]
    assert goal_model.BATCH4_FEATURES not in goal_model.TRAINED_ON
    trained = {(r["doc"], r["text"]) for r in goal_model.training_rows()}
    assert not trained & {(r["doc"], r["text"]) for r in test}
    last = goal_model.load_labels(goal_model.BATCH5_LABELS)  # drawn at the round's end from documents left
    assert len(last) >= 100 and not {r["doc"] for r in last} & (train_docs | {r["doc"] for r in test})
    assert not {r["doc"] for r in last} & {r["doc"] for r in goal_model.training_rows()}


def test_the_model_vetoes_no_goal_clause_the_rules_find_on_the_heldout_batch() -> None:
    """Batch 4, never trained on: every clause the rules find and the labels call a goal keeps at least
    ``KEEP``, and clause F1 with the veto is not below the rules' (0.836 both at KEEP 0.1).

    Why: with batches 1-5 relabelled to the dev gold's convention (corpora/goals/README.md), an
    exhortation with an outcome (第三，要继续大搞农田水利建设，进一步增加灌溉面积，改善灌溉条件) is a
    goal; the model trained on the old labels gave it 0.05 and vetoed it.
    """
    rows = read_jsonl(corpora.path(*goal_model.BATCH4_FEATURES))
    gold = [r["label"] != "0" for r in rows]
    proba = goal_model.model().predict_proba(goal_model._frame(rows))[:, 1]
    rule = [r["flags"]["rule"] > 0 for r in rows]
    assert not [r["text"] for r, g, u, p in zip(rows, gold, rule, proba) if g and u and p < goal_model.KEEP]
    assert _f1(gold, [u and p >= goal_model.KEEP for u, p in zip(rule, proba)]) >= _f1(gold, rule)


def test_the_shipped_parameters_are_a_fresh_fit_of_the_training_rows() -> None:
    """corpora/goals/clause_model.json (workers load it instead of fitting) equals a fit made now.

    After the training rows change, ``python -m nlp.goal_model export`` (make goal-model) writes it again.
    """
    shipped = goal_model.shipped_params()
    assert shipped is not None and shipped["trained_on"] == goal_model.training_fingerprint()
    fresh = goal_model.fit()
    again = goal_model.export_params(fresh)
    for name, part in again["parts"].items():
        assert shipped["parts"][name]["vocabulary"] == part["vocabulary"], name
    rows = goal_model._frame(read_jsonl(corpora.path(*goal_model.BATCH4_FEATURES)))
    a = goal_model.from_params(shipped).predict_proba(rows)[:, 1]
    b = fresh.predict_proba(rows)[:, 1]
    assert max(abs(x - y) for x, y in zip(a, b)) < 1e-8


def test_workers_load_the_shipped_parameters_and_fit_only_when_the_rows_changed(monkeypatch) -> None:
    def no_fit():
        raise AssertionError("fitted although shipped parameters match")

    goal_model.model.cache_clear()
    monkeypatch.setattr(goal_model, "fit", no_fit)
    try:
        assert goal_model.model().named_steps["clf"].coef_.shape[1] == len(goal_model.shipped_params()["coef"])
        goal_model.model.cache_clear()
        monkeypatch.setattr(goal_model, "training_fingerprint", lambda: "other rows")
        with pytest.raises(AssertionError, match="fitted although"):
            goal_model.model()
    finally:
        goal_model.model.cache_clear()


def test_target_groups_give_one_goal_per_quantified_target() -> None:
    text = "今年赤字率拟按3%安排，财政赤字2.38万亿元，比去年增加2000亿元，其中中央财政赤字1.55万亿元。"
    run = [(s, e) for s, e, _ in goal_model.goal_clauses.clauses(text)]
    groups = goals.target_groups(text, run)
    assert [text[g[0][0]:g[-1][1]] for g in groups] == [
        "今年赤字率拟按3%安排", "财政赤字2.38万亿元，比去年增加2000亿元", "其中中央财政赤字1.55万亿元。"]
    text = "经济增长5.5%左右，在实际工作中努力争取更好结果。"
    run = [(s, e) for s, e, _ in goal_model.goal_clauses.clauses(text)]
    assert len(goals.target_groups(text, run)) == 1


@pytest.mark.parametrize("text, expected", [
    ("城镇新增就业1100万人以上，进出口回稳向好，国际收支基本平衡。",  # a target list: one goal per clause
     ["城镇新增就业1100万人以上", "进出口回稳向好", "国际收支基本平衡。"]),
    ("在优化结构、提高效益的基础上，国内生产总值增长8%左右。",  # a framing clause stays with its target
     ["在优化结构、提高效益的基础上，国内生产总值增长8%左右。"]),
    ("我们将加强战略对话，增进战略互信，推进相互关系长期稳定健康发展。",  # no quantity: one goal sentence
     ["我们将加强战略对话，增进战略互信，推进相互关系长期稳定健康发展。"]),
    ("在新的一年里，我们将坚持八项主张，努力推动两岸关系发展。",  # a count in passing is no target list
     ["在新的一年里，我们将坚持八项主张，努力推动两岸关系发展。"]),
    ("一九五八年的基本建设总投资额，拟定为一百四十五亿元，比一九五七年增加了二十二亿元。",  # subject + its amount
     ["一九五八年的基本建设总投资额，拟定为一百四十五亿元，比一九五七年增加了二十二亿元。"]),
])
def test_target_groups_cut_a_run_as_the_dev_gold_does(text: str, expected: list[str]) -> None:
    run = [(s, e) for s, e, _ in goal_model.goal_clauses.clauses(text)]
    assert [text[g[0][0]:g[-1][1]] for g in goals.target_groups(text, run)] == expected


TEXT = ("今年发展的主要预期目标是：国内生产总值增长6.5%左右。"
        "我们要加强作风建设，确保各项工作落到实处。"
        "各级政府要真抓实干，推动经济平稳健康发展。")


def test_unsure_rule_goals_need_the_model_and_certain_ones_stay() -> None:
    document = _doc(TEXT)
    rule_goals = goals.from_text(document)
    texts = [g.text for g in rule_goals]
    assert any("6.5%" in t for t in texts) and any("确保" in t for t in texts)
    low = [(s, e, k, 0.01) for s, e, k in goal_model.document_clauses(document)]
    kept = [g.text for g in goals.decide(document, rule_goals, [], low, keep=0.1, add=1.01)]
    assert any("6.5%" in t for t in kept)  # a quantified target clause: certain
    assert not any("确保" in t or "推动" in t for t in kept)  # unsure, and the model says no
    high = [(s, e, k, 0.9) for s, e, k in goal_model.document_clauses(document)]
    assert [g.text for g in goals.decide(document, rule_goals, [], high, keep=0.1, add=1.01)] == texts


def test_the_model_adds_a_clause_only_above_add() -> None:
    document = _doc("城乡居民收入稳步增长，人民生活水平进一步提高。")
    assert goals.from_text(document) == []
    clauses = [(s, e, k, 0.8) for s, e, k in goal_model.document_clauses(document)]
    assert goals.decide(document, [], [], clauses, keep=0.1, add=1.01) == []
    added = goals.decide(document, [], [], clauses, keep=0.1, add=0.5)
    assert [g.text for g in added] == ["城乡居民收入稳步增长，人民生活水平进一步提高"]


def test_scoring_only_the_unsure_goals_gives_the_probabilities_of_full_scoring() -> None:
    document = _doc(TEXT * 3)
    rule_goals = goals.from_text(document)
    full = {(s, e): p for s, e, _, p in goals.clause_scores(document, rule_goals, [])}
    part = goals.clause_scores(document, rule_goals, [], only=rule_goals[1:2])
    assert part and len(part) < len(full)
    assert all(full[(s, e)] == pytest.approx(p) for s, e, _, p in part)

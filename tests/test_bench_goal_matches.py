"""bench.goal_items.goal_matches: the shared scorer's goal matching kept whole (every miss and
false goal), checked against the scorer's own counts on made-up items."""
from __future__ import annotations

import ast

import pytest

from bench import goal_items


def _goal(doc: str, start: int, end: int, text: str = "", page: int | None = None) -> dict:
    return {"doc": doc, "type": "goal", "start": start, "end": end, "text": text or f"{doc}:{start}",
            "page": page, "vague": False}


def test_the_matching_is_the_scorers_with_every_miss_and_false_goal() -> None:
    gold = [_goal("a.txt", 0, 10), _goal("a.txt", 20, 30), _goal("a.txt", 40, 50),
            {"doc": "a.txt", "type": "region", "start": 0, "end": 100}]
    hit, false, outside = _goal("a.txt", 2, 10), _goal("a.txt", 60, 70), _goal("a.txt", 200, 210)
    match = goal_items.goal_matches(gold, {"a.txt": [hit, false, outside]})
    assert match.pairs == [(gold[0], hit)]
    assert match.missed == [gold[1], gold[2]]
    assert match.false == [false]  # the prediction outside the labelled region is not scored
    counts = goal_items._scorer().score_goals(gold, {"a.txt": [hit, false, outside]})
    assert (counts["gold"], counts["pred"]) == (len(match.pairs) + len(match.missed),
                                               len(match.pairs) + len(match.false))


def test_no_miss_is_lost_to_the_scorers_printed_cap(capsys: pytest.CaptureFixture[str]) -> None:
    gold = [_goal("b.txt", 10 * n, 10 * n + 5) for n in range(45)]
    assert len(goal_items.goal_matches(gold, {}).missed) == 45
    goal_items._scorer().score_goals(gold, {})
    assert capsys.readouterr().out.count("missed:") == 40


def test_a_pdf_goal_matches_the_same_text_on_its_own_page_only() -> None:
    gold = [_goal("c.pdf", 0, 8, "完成预算目标任务", page=2)]
    other_page = _goal("c.pdf", 0, 8, "完成预算目标任务", page=3)
    assert goal_items.goal_matches(gold, {"c.pdf": [other_page]}).missed == gold
    same_page = {**other_page, "page": 2, "text": "全面完成预算目标任务。"}
    assert goal_items.goal_matches(gold, {"c.pdf": [same_page]}).pairs == [(gold[0], same_page)]


def test_blind_batches_are_the_ones_after_the_last_trained() -> None:
    """bench.goal_items keeps a blind batch's missed goals back: only batches past training count."""
    from nlp import goal_model

    last = goal_model.LAST_TRAINED_BATCH
    assert goal_items.is_blind(f"batch{last + 1}")
    assert not goal_items.is_blind(f"batch{last}")
    assert not goal_items.is_blind("dev") and not goal_items.is_blind("heldout")


def test_a_pool_counts_every_batch_once_and_prints_no_goal_line(capsys: pytest.CaptureFixture[str]) -> None:
    goal_items.main(["pool", "batch35", "batch36"])
    lines = capsys.readouterr().out.splitlines()
    assert not [line for line in lines if "missed:" in line or "false:" in line]
    per_batch = {line.split()[0]: ast.literal_eval(line.split(None, 1)[1]) for line in lines if line.startswith("  batch")}
    pool = ast.literal_eval(next(line for line in lines if line.startswith("pool ")).split(None, 2)[2])
    assert set(per_batch) == {"batch35", "batch36"}
    assert pool["gold"] == sum(s["gold"] for s in per_batch.values()) > 0
    assert pool["pred"] == sum(s["pred"] for s in per_batch.values())

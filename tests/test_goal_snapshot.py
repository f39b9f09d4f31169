"""Goal finding's output on four real documents is exactly the stored snapshot.

Why: goal finding was rewritten for speed (cue lists joined into one regex each, clause words
read from the pipeline's Doc, sections cut once) with the promise that no goal, span, review
or reason changes. The snapshot (``tests/fixtures/goal_snapshot.json``) was written by the code
before the rewrite; any later difference fails here. After an intended change of the goal
data or rules, check the differences and write it again: ``python -m bench.goal_golden snapshot``.
"""
from __future__ import annotations

import json

import pytest

from bench import goal_golden

SNAPSHOT = json.loads(goal_golden.SNAPSHOT.read_text(encoding="utf-8"))


def test_snapshot_is_of_the_current_goal_data() -> None:
    assert SNAPSHOT["data"] == goal_golden.data_fingerprint(), (
        "corpora/goals or the units changed since the snapshot: check the goal output and run "
        "`python -m bench.goal_golden snapshot`")


@pytest.fixture(scope="module")
def now() -> dict:
    return goal_golden.snapshot()["documents"]


@pytest.mark.parametrize("name", goal_golden.SNAPSHOT_DOCS)
@pytest.mark.parametrize("path", ["pipeline", "rules"])
def test_goals_are_the_snapshot(now: dict, name: str, path: str) -> None:
    expected = SNAPSHOT["documents"][name][path]
    got = json.loads(json.dumps(now[name][path], ensure_ascii=False))
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g == e

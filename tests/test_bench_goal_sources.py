"""``bench.goal_sources``: a threshold per rule source is picked only when the zeros it drops outweigh the gold."""
from __future__ import annotations

from pathlib import Path

import pytest

from bench import goal_sources
from nlp import goals


def _row(batch: str, source: str, p: float, gold: bool) -> dict[str, object]:
    return {"batch": batch, "source": source, "p": p, "gold": gold, "nogo": False}


def test_a_source_whose_false_goals_score_low_gets_a_threshold() -> None:
    rows = [_row("b1", "target_clause", 0.15, False), _row("b1", "target_clause", 0.18, False),
            _row("b1", "target_clause", 0.9, True), _row("b2", "target_clause", 0.25, True)]
    assert goal_sources.dropped(rows, "target_clause", 0.2) == (2, 0)
    assert goal_sources.pick(rows, "target_clause") == 0.2  # 0.3 would drop the gold goal at 0.25 too


def test_a_source_the_model_cannot_split_keeps_no_threshold() -> None:
    rows = [_row("b1", "plan_prose", 0.15, False), _row("b1", "plan_prose", 0.12, True),
            _row("b1", "plan_prose", 0.14, True)]
    assert goal_sources.pick(rows, "plan_prose") == 0.0
    # an unsure goal never goes below today's KEEP
    assert goal_sources.pick([_row("b1", goals.UNSURE, 0.05, True)], goals.UNSURE) == goal_sources.today(goals.UNSURE)


def test_without_stored_probabilities_it_says_what_to_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("POLICYLENS_DATA_DIR", str(tmp_path))
    assert goal_sources.main([]) == 2
    err = capsys.readouterr().err
    assert "goal_lobo_all_rows_veto_only.pkl" in err and "bench.goal_lobo" in err

"""bench.goal_variants: items as the pipeline decides them, honest threshold choices, feature crossings.

The variant table is only worth reading when (a) at the shipped thresholds it makes the items
``bench.goal_propose`` makes (so its "base" row is the shipped pipeline's leave-out score), (b) the
threshold chosen for a left-out batch never looks at that batch, and (c) the crossed flags are copies
of the cue flags only.
"""
from __future__ import annotations

import pytest

from bench import goal_add, goal_propose, goal_variants
from nlp import goal_model, goals

NAME = "gwr2024_shanghai_targets_news.txt"  # batch 19, a short news item (corpora/goals/documents)


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[int, int, int]]:
    data = tmp_path_factory.mktemp("goal_variants")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("POLICYLENS_DATA_DIR", str(data))
        goal_add._cache.cache_clear()
        c = goal_add._cache(NAME)
        yield [c["cls"][n] for n in goal_variants.goal_lobo.scored(NAME)]
    goal_add._cache.cache_clear()


@pytest.mark.parametrize("p", [0.0, 0.12, 0.5])
def test_shipped_setting_makes_the_items_goal_propose_makes(scored: list[tuple[int, int, int]], p: float) -> None:
    veto = [(s, e, k, p) for s, e, k in scored]
    ours = goal_variants.doc_items(NAME, veto, (goal_model.KEEP, 1.0))
    theirs = goal_propose.items(NAME, veto, goal_propose.setting("shipped"))
    assert [(g["start"], g["end"]) for g in ours] == [(g["start"], g["end"]) for g in theirs]
    assert ours  # the news item states its targets: the rules' certain goals stay at any probability


def test_a_raised_keep_vetoes_unsure_goals_only(scored: list[tuple[int, int, int]]) -> None:
    veto = [(s, e, k, 0.05) for s, e, k in scored]
    low = goal_variants.doc_items(NAME, veto, (0.01, 1.0))
    high = goal_variants.doc_items(NAME, veto, (0.5, 1.0))
    assert {(g["start"], g["end"]) for g in high} <= {(g["start"], g["end"]) for g in low}


def test_the_mean_aggregate_is_undone_after_scoring() -> None:
    shipped = goals._scores_inside
    with goal_variants.aggregated("mean"):
        inside = goals._scores_inside([(0, 5, 0, 0.2), (5, 9, 0, 0.6)])
        assert inside(0, 9) == [pytest.approx(0.4)]
        assert inside(20, 30) == []
    assert goals._scores_inside is shipped


def test_inner_choice_never_reads_the_left_out_batch() -> None:
    a, b = (0.1, 1.0), (0.4, 1.0)
    # b1 alone is best at b; b2 and b3 together are best at a: b1 must be scored at a, the others at b or a
    by_setting = {
        a: {"b1/x": (0, 5, 5), "b2/y": (5, 5, 5), "b3/z": (5, 5, 5)},
        b: {"b1/x": (5, 5, 5), "b2/y": (1, 5, 5), "b3/z": (5, 5, 5)},
    }
    out, chosen = goal_variants.inner_choice(by_setting, per_kind=False, among=(a, b))
    assert out["b1/x"] == (0, 5, 5)  # the setting the other batches prefer, though b1 loses by it
    assert "b1:all=0.10/1.0" in chosen


def test_kind_cross_copies_cue_flags_by_document_type() -> None:
    r = {"flags": {"kind_news": 1.0, "c_goal_cues": 1.0, "rule": 1.0, "pos0": 1.0, "enum": 0.0}}
    flags = goal_variants.kind_cross(r)["flags"]
    assert flags["news|c_goal_cues"] == 1.0 and flags["news|rule"] == 1.0
    assert "news|pos0" not in flags and "news|enum" not in flags  # not a cue; a zero flag is no copy
    assert goal_variants.kind_cross({"flags": {"kind_law": 1.0, "rule": 1.0}})["flags"]["other|rule"] == 1.0


def test_an_unknown_variant_is_an_error_not_a_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert goal_variants.main(["fit", "no-such-variant"]) == 2
    assert "unknown variant" in capsys.readouterr().err

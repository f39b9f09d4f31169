"""The blind goal batches 23-48 are exactly what their seeded draw gives: the committed label
files hold the drawn clauses, in order, and nothing else (so the windows were not chosen after
looking at any prediction). Only documents and the clause cutter are read; no goal extractor runs."""
from __future__ import annotations

import pytest

import corpora
from bench import clause_merge, goal_batch_draw
from nlp.scoring import read_jsonl


@pytest.mark.parametrize("batch", [23, 24, 25, 26, 27, 28])
def test_the_committed_batch_is_its_seeded_draw(batch: int) -> None:
    # drawn with the cutter of its time; its pieces of one number joined as the label file's were (session 10)
    drawn = [(r["doc"], r["kind"], r["start"], r["end"], r["text"])
             for r in clause_merge.migrated(goal_batch_draw.draw(batch, clause_merge.drawn_clauses))]
    labelled = [(r["doc"], r["kind"], r["start"], r["end"], r["text"])
                for r in read_jsonl(corpora.path("goals", f"clause_labels_batch{batch}.jsonl"))]
    assert drawn == labelled
    assert len(labelled) >= 500


@pytest.mark.parametrize("batch", [29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48])
def test_a_batch_drawn_with_todays_cutter_is_its_seeded_draw(batch: int) -> None:
    # batches 29-48 were drawn after the session-10 cutter change, so no migration applies
    drawn = [(r["doc"], r["kind"], r["start"], r["end"], r["text"]) for r in goal_batch_draw.draw(batch)]
    labelled = [(r["doc"], r["kind"], r["start"], r["end"], r["text"])
                for r in read_jsonl(corpora.path("goals", f"clause_labels_batch{batch}.jsonl"))]
    assert drawn == labelled
    assert len(labelled) >= 450
    assert len({doc for doc, *_ in labelled}) == len(goal_batch_draw.DOCS[batch])  # every document gave clauses


def test_a_wrong_batch_number_prints_the_usage_and_fails(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    # the next batch number, so the test stays right when a batch is added, and a temporary file, so a
    # batch that does exist writes nowhere in the checkout
    out = tmp_path / "out.jsonl"
    assert goal_batch_draw.main([str(max(goal_batch_draw.DOCS) + 1), str(out)]) == 2
    assert not out.exists()
    assert goal_batch_draw.main([]) == 2
    assert "usage" in capsys.readouterr().err


def test_the_policy18_evaluation_set_is_its_seeded_draw() -> None:
    # session 18 (goalpolicy18): the set's committed labels hold exactly the drawn clauses, in order
    drawn = [(r["doc"], r["kind"], r["start"], r["end"], r["text"]) for r in goal_batch_draw.draw_set("policy18")]
    labelled = [(r["doc"], r["kind"], r["start"], r["end"], r["text"])
                for r in read_jsonl(corpora.path("goals", "eval_labels_policy18.jsonl"))]
    assert drawn == labelled
    assert len({doc for doc, *_ in labelled}) == len(goal_batch_draw.EVAL_SETS["policy18"][1])


def test_the_policy18b_check_set_is_its_seeded_draw() -> None:
    drawn = [(r["doc"], r["kind"], r["start"], r["end"], r["text"]) for r in goal_batch_draw.draw_set("policy18b")]
    labelled = [(r["doc"], r["kind"], r["start"], r["end"], r["text"])
                for r in read_jsonl(corpora.path("goals", "eval_labels_policy18b.jsonl"))]
    assert drawn == labelled

"""A named goal training batch is exactly what its seeded draw gives: the committed label file holds
the drawn clauses, in order, and nothing else (whole stored pages, one seeded window of each MOF
report), so the clauses were not picked after looking at any prediction. Only documents and the
clause cutter are read; no goal extractor runs."""
from __future__ import annotations

import pytest

import corpora
from bench import goal_train_draw
from nlp.scoring import read_jsonl


def test_the_committed_training_batch_is_its_draw() -> None:
    drawn = [(r["doc"], r["kind"], r["start"], r["end"], r["text"]) for r in goal_train_draw.draw("kinds12")]
    labelled = [(r["doc"], r["kind"], r["start"], r["end"], r["text"])
                for r in read_jsonl(corpora.path("goals", "clause_labels_kinds12.jsonl"))]
    assert drawn == labelled
    assert len({doc for doc, *_ in labelled}) == len(goal_train_draw.DRAWS["kinds12"][1])  # every document gave clauses
    mof = [r for r in labelled if r[0].startswith("mof_t")]
    assert len(mof) == 3 * 18  # a window of each MOF report, not the whole report


def test_an_unknown_draw_prints_the_usage_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert goal_train_draw.main(["kinds99", "out.jsonl"]) == 2
    assert goal_train_draw.main([]) == 2
    assert "usage" in capsys.readouterr().err

"""The kinded goal vocabularies (a kind, a tab and a pattern per line: ``review_tense.txt``, ``clause_frames.txt``)
load through one reader, ``regex_union.kinded_goal_vocabulary``: every kind a module asks for has patterns, and a
line of an unknown kind or without its tab stops the load with the file and the line named."""
from __future__ import annotations

import pytest

import corpora
from nlp import goal_frame, goal_tense, regex_union


def test_every_kind_the_readings_ask_for_has_patterns() -> None:
    assert set(goal_frame.vocabulary()) == set(goal_frame.KINDS)
    assert set(goal_tense._patterns()) == {"period", "perfect", "result", "problems", "ahead"}
    assert goal_frame.vocabulary()["talk"].search("实现今年预期目标并非易事")


@pytest.mark.parametrize("bad", ["mobilise 紧盯", "later\t完成"])
def test_a_line_of_no_known_kind_names_the_file_and_the_line(monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    monkeypatch.setattr(corpora, "read_lines", lambda *_: ["mobilise\t拼搏", bad])
    with pytest.raises(ValueError, match=r"clause_frames\.txt: line 2: want mobilise, talk"):
        regex_union.kinded_goal_vocabulary("clause_frames.txt", ("mobilise", "talk"))

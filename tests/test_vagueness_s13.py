"""The vague-goal review, session 13: general mechanisms read off the errors of batches 1-30 and kinds12.

* a goal in traditional characters is reviewed as its simplified view (年度計劃投資440.07億元 has a
  quantity), and the vague words it cites are written as the goal writes them (進一步);

Each case is a goal text as the labels have it (batch named), judged through ``vagueness.review``.
"""
from __future__ import annotations

import pytest

from nlp import vagueness

TRADITIONAL = [  # numbers with units written in traditional characters: g in the labels
    "年度計劃投資440.07億元",  # batch 29
    "糧食産量1.3萬億斤以上；",  # batch 29
    "通過土地整治補充耕地2000萬畝；",  # batch 30
    "經整治的基本農田質量平均提高1個等級。",  # batch 30
    "全國一般公共預算支出計劃為29.7萬億元",  # kinds12
]


@pytest.mark.parametrize("text", TRADITIONAL)
def test_a_traditional_goal_is_reviewed_as_its_simplified_view(text: str) -> None:
    r = vagueness.review(text)
    assert not r.vague, (text, r.reasons)
    assert not r.vague_words or all(w in text for w in r.vague_words)


def test_a_traditional_goal_cites_its_vague_words_as_written() -> None:
    r = vagueness.review("進一步加強監督管理")
    assert r.vague
    assert r.vague_words and all(w in "進一步加強監督管理" for w in r.vague_words)
    assert any(w.startswith("進") for w in r.vague_words)
    simplified = vagueness.review("进一步加强监督管理")
    assert r.vague == simplified.vague and len(r.reasons) == len(simplified.reasons)

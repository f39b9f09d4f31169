"""Which rule makes a rule goal certain (``goals.goal_sources``, session 15): the decision's per-source reading.

Why: the clause model vetoes only unsure rule goals; ``bench.goal_sources`` asks, per source, whether the model's
held-out probabilities could overrule a certain one. The sources must name the rule as ``unsure_goals`` decides,
on a real stored text (batch 7's Shanghai plan digest: a next-steps item, quantified targets, plan prose).
"""
from __future__ import annotations

from nlp import goal_model, goals

SHANGHAI = "gwr2026_shanghai_part2.txt"


def _read(name: str) -> tuple[list[str], list[str], list[str]]:
    document = goal_model.load_document(name)
    skip = goals.table_spans(document)
    rule = goals.from_text(document, skip)
    sources = goals.goal_sources(document, rule, skip, None)
    unsure = [g.text for g in goals.unsure_goals(document, rule, skip, None)]
    return [g.text for g in rule], sources, unsure


def test_each_rule_goal_names_its_source() -> None:
    texts, sources, _ = _read(SHANGHAI)
    by_text = dict(zip(texts, sources))
    assert by_text["完成100公里架空线入地和杆箱整治"] == "target_clause"
    assert by_text["实施住宅小区、道路、下立交积水改善工程52个"] == "plan_prose"
    assert by_text["（四）用心用情推进人民城市建设"] == "next_list"
    assert by_text["确保社会生机勃勃又井然有序"] == goals.UNSURE
    assert set(sources) <= {goals.UNSURE, *goals.CERTAIN_SOURCES}


def test_the_unsure_goals_are_those_no_source_makes_certain() -> None:
    texts, sources, unsure = _read(SHANGHAI)
    assert unsure == [t for t, s in zip(texts, sources) if s == goals.UNSURE]
    assert unsure and len(unsure) < len(texts)

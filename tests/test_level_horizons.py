"""Sustainability (可持续影响) is told from social benefit by its horizon: the target says how long
(长期, 持续影响, 有效巩固, 稳步提高) or the name names a lasting state (巩固…成果, 良性运行, 长效机制).
Real rows from the labelled tables, each scored by a model that never saw its document."""
from __future__ import annotations

import pytest

from nlp import levels


def test_a_horizon_in_the_target_is_its_own_cue_not_a_plain_improvement() -> None:
    assert "t_horizon" in levels.cue_features("实现社会稳定和谐发展", "长期")
    assert "t_better" not in levels.cue_features("实现社会稳定和谐发展", "长期")
    assert {"t_horizon", "sustain"} <= set(levels.cue_features("巩固脱贫攻坚成果", "有效巩固"))
    assert "sustain" in levels.cue_features("指标1：已建工程良性运行", "")
    assert "t_horizon" not in levels.cue_features("群众生产生活条件改善状况", "显著提升")


@pytest.mark.parametrize(("doc", "name"), [
    ("lvliang_caregiver_training_2021", "巩固脱贫攻坚成果"),
    ("tianchang_flood_control_selfeval.pdf", "指标1：已建工程良性运行"),
    ("b2_yongde_nutrition_selfeval.pdf", "促进学校教育事业健康发展"),
])
def test_a_lasting_outcome_row_is_read_as_sustainability_in_its_table(doc: str, name: str) -> None:
    never = frozenset(d for d, _ in levels.table_documents(True))
    rows = dict(levels.table_documents())[doc]
    m = levels.LevelModel(levels.training_rows(never | {doc}))
    pred = levels._mode_predictions(m, rows, "table+一级", levels.document_years().get(doc))
    got = {r.name: p for r, p in zip(rows, pred)}
    assert got[name] == "可持续影响指标"
    assert next(r for r in rows if r.name == name).level2 == "可持续影响指标"

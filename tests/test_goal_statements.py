"""A clause that states a commitment's goal whole (将以…为目标, ``corpora/goals/goal_statements.txt``).

Why: the dev corpus's 烟台 sentence (下一步,烟台市财政部门将以构建…体系为目标,通过…的深度实施,以更大力度…
抓好…改革攻坚,力争到2025年…“四梁八柱”,…) holds two goals in the dev gold: the statement, and the part
from 力争. Read as one goal it matched only the second, and the statement was missed (dev 0.989 ->
0.979 after this morning's merges). The statement ends its goal; the means after it are no goal.
"""
from __future__ import annotations

from ingest.document import Document
from nlp import goal_model, goals
from tests.text_documents import one_page

YANTAI = "yantai_daily_budget_performance_2023.txt"


def _doc(text: str) -> Document:
    return one_page(text, "s")


def test_a_goal_statement_ends_its_goal_and_the_cued_part_after_it_is_a_goal_of_its_own() -> None:
    document = goal_model.load_document(YANTAI)
    texts = [g.text for g in goals.extract(None, document)]  # type: ignore[arg-type]
    assert "下一步,烟台市财政部门将以构建具有烟台特色的预算绩效管理体系为目标" in texts
    assert any(t.startswith("力争到2025年在全省各市中率先构建起") for t in texts)
    assert not any("通过“6个3”" in t for t in texts)  # the means between them


def test_a_statement_with_no_cued_clause_after_it_stays_whole() -> None:
    # 2017's national work report: what follows the statement is its outcome, not the means
    text = "要以提高核心竞争力和资源配置效率为目标，形成有效制衡的公司法人治理结构、灵活高效的市场化经营机制。"
    end = text.index("。")
    assert goals._statement_end(text, 0, end) == text.index("，")
    assert goals._at_statements(text, 0, end) == [(0, end)]


def test_a_frame_without_a_commitment_is_no_statement() -> None:
    # 以…为目标 opening a sentence frames what follows: nothing is cut
    text = "以提高资金使用效益为目标，加快推进预算绩效管理改革，力争形成示范成果。"
    end = text.index("。")
    assert goals._statement_end(text, 0, end) is None
    assert goals._at_statements(text, 0, end) == [(0, end)]


def test_a_goal_statement_is_certain_the_model_cannot_veto_it() -> None:
    text = "标题\n\n会议指出，该局将以构建具有本地特色的预算绩效管理体系为目标。\n"
    document = _doc(text)
    rule_goals = goals.from_text(document, [])
    assert rule_goals
    zero = [(s, e, 0, 0.0) for g in rule_goals for s, e in goals._clauses(text, g.start, g.end)]
    kept = goals.decide(document, rule_goals, [], clauses=zero, add=1.01)
    assert [g.text for g in kept] == [g.text for g in rule_goals]
    # the same sentence without the statement is left to the model, which drops it here
    other = _doc(text.replace("将以构建具有本地特色的预算绩效管理体系为目标", "将加快构建具有本地特色的预算绩效管理体系"))
    other_goals = goals.from_text(other, [])
    zero = [(s, e, 0, 0.0) for g in other_goals for s, e in goals._clauses(other.text, g.start, g.end)]
    assert other_goals and goals.decide(other, other_goals, [], clauses=zero, add=1.01) == []

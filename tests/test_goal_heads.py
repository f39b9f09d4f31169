"""An item head naming only a means is no goal (session 17, goalaudit17; measured, see corpora/goals/README.md).

Real heads of batch 34's qianyang rectification text and batch 32's luohu one (labels as audited in
``corpora/goals/label_audit17.tsv``)."""
from __future__ import annotations

from nlp import goal_stance


def test_a_head_naming_a_means_is_a_means_head() -> None:
    for head in ("一是夯实整改责任", "二是强化“三单”管理", "三是规范健全资料", "要细化推进措施", "二是要强化举一反三",
                 "三是注重标本兼治，健全长效机制"):
        assert goal_stance.is_means_head(head), head


def test_a_head_stating_an_outcome_or_a_long_sentence_is_not() -> None:
    for sentence in ("二是坚持分类施策，提升整改质效", "二是科技创新能力明显提升", "一是保持物价总水平基本稳定",
                     "十是实施100个社区儿童友好空间改造工程",
                     "各被巡察党组织（单位）负责人要切实负起整改领导责任，针对反馈意见，统筹研究、认真整改",
                     "夯实整改责任"):
        assert not goal_stance.is_means_head(sentence), sentence

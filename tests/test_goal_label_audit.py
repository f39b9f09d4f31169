"""The training labels' audit (session 17, ``bench.goal_label_audit``): the relabelled rows of
``corpora/goals/label_audit17.tsv`` are in the label files, and no sentence or clause of the training
batches is labelled twice with a different goal/no-goal call. Reads only the training batches (1-36, kinds12)."""
from __future__ import annotations

from bench import goal_label_audit as audit


def test_every_audited_row_holds_its_new_label() -> None:
    rows = audit.read_audit()
    assert len(rows) == 27
    assert audit.unapplied() == []


def test_no_training_sentence_or_clause_is_labelled_both_ways() -> None:
    """Batch 9 and batch 10 both drew gwr2026_gansu.txt's 我们要把思想和行动统一到党中央决策部署上来，…以强烈的历史
    主动精神，推动我省基本实现社会主义现代化取得决定性进展。: batch 9 (its window ended before the outcome) had its
    clauses `0`, batch 10 `v`; batch 22 and 24 labelled the same progress report's 本年度计划开工项目255项 `0` and `g`."""
    rs = audit.rows()
    assert audit.spans(rs) == []
    assert audit.twins(rs) == []


def test_item_heads_are_counted_as_sentences() -> None:
    head = [{"text": "一是夯实整改责任。"}]
    body = [{"text": "各被巡察党组织（单位）负责人要切实负起整改领导责任"}, {"text": "针对反馈意见。"}]
    assert audit.is_head(head)
    assert not audit.is_head(body)

"""Document-type classifier trained from corpora/doctype (no network, no clock)."""
from __future__ import annotations

import pytest

import corpora
from nlp import doctype


def test_examples_are_labelled_with_known_types():
    ex = doctype.load_examples()
    assert len(ex) >= 100
    assert {e.label for e in ex} == set(doctype.LABELS)


@pytest.mark.parametrize("name,label", [
    ("yantai_daily_budget_performance_2023.txt", "news"),
    ("gwr_national_2017.txt", "work_report"),
    ("law_budget_law_2018.md", "law"),
])
def test_samples_are_classified(name, label):
    text = corpora.path("samples", name).read_text(encoding="utf-8")
    assert doctype.classify(text)[0] == label


def test_unseen_short_texts():
    notice = ("关于开展2024年度项目支出绩效自评工作的通知\n各区财政局：\n现将有关事项通知如下，"
              "请于5月31日前报送。特此通知。")
    assert doctype.classify(notice)[0] == "policy"
    table = "项目支出绩效目标表\n一级指标 二级指标 三级指标 指标值\n产出指标 数量指标 培训人数 ≥500人"
    assert doctype.classify(table)[0] == "goal_table"
    assert doctype.classify("") == ("", 0.0)


def test_cross_validated_accuracy_is_reported(capsys):
    r = doctype.report()
    assert r["accuracy"] >= 0.85
    assert f"{r['accuracy']:.3f}" in capsys.readouterr().out

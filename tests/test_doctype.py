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


def test_new_types_from_covers():
    unit = "上海市普陀区2025年区级单位预算\n预算单位：上海市普陀区商务委员会\n目 录\n一、单位主要职能"
    assert doctype.classify(unit)[0] == "unit_budget"
    info = "淮安市人民政府\n2024 年政府信息公开工作年度报告\n一、总体情况\n（一）主动公开情况"
    assert doctype.classify(info)[0] == "govinfo_report"
    fiscal = "2021年4月财政收支情况\n一、全国一般公共预算收支情况\n（一）一般公共预算收入情况。"
    assert doctype.classify(fiscal)[0] == "fiscal_report"


def test_training_never_holds_an_evaluation_document():
    from nlp.scoring import read_jsonl

    held = set()
    for f in corpora.path("doctype").glob("labelled_metadata*.jsonl"):
        held |= {row["doc"] for row in read_jsonl(f)}
    used = {e.source.split(":", 1)[-1].split("#")[0] for e in doctype.load_examples()}
    assert held and not held & used


def test_folds_are_grouped_by_issuer():
    assert doctype.issuer_group("bench:gwr_national_1985_zhaoziyang.txt") == "national:zhaoziyang"
    assert doctype.issuer_group("bench:mof_t20130122_729462.txt") == "mof:2013"
    assert doctype.issuer_group("bench:gwr2026_anhui.txt") == "province:anhui"
    assert doctype.issuer_group("sample:yantai_daily.txt#3") == "sample:yantai_daily.txt"


def test_cross_validated_accuracy_is_reported(capsys):
    r = doctype.report()
    assert r["accuracy"] >= 0.85 and r["groups"] >= 50
    assert f"{r['accuracy']:.3f}" in capsys.readouterr().out

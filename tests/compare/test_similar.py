"""Similar goals/indicators and the indicator catalogue on a real SQLite index."""
from __future__ import annotations

import csv
import io
import json

import pytest

from search.similar import (cluster_texts, indicator_catalogue, name_patterns, normalize_name,
                            similar_groups)
from tests.compare_data import EDU
from tests.conftest import run_cli



def test_cluster_texts_groups_rephrasings_not_unrelated_targets():
    texts = ["到2023年底完成10所学校校舍维修", "到2024年底完成12所学校校舍维修",
             "全面提升义务教育办学质量", "服务对象满意度达到90%以上", "服务对象满意度不低于90%"]
    groups, sim = cluster_texts(texts, 0.5)
    as_sets = {frozenset(g) for g in groups}
    assert frozenset({0, 1}) in as_sets and frozenset({3, 4}) in as_sets
    assert frozenset({2}) in as_sets
    assert sim.shape == (5, 5) and sim[0, 1] > 0.5 > sim[0, 3]
    # a threshold of 1 keeps only identical texts together
    assert all(len(g) == 1 for g in cluster_texts(texts, 1.0)[0])
    assert cluster_texts([], 0.5)[0] == [] and cluster_texts(["一"], 0.5)[0] == [[0]]


def test_similar_goals_across_departments(backend):
    groups = similar_groups(backend, "goal", threshold=0.5, min_orgs=2)
    texts = [sorted(m["text"] for m in g["members"]) for g in groups]
    assert ["到2023年底完成10所学校校舍维修", "到2023年底完成12所卫生院房屋维修"] in texts
    for g in groups:
        assert g["n_orgs"] >= 2 and g["orgs"] == sorted({m["org"] for m in g["members"]})
        assert 0.5 <= g["similarity"] <= 1.0
    # every member points back at its characters
    m = next(m for g in groups for m in g["members"] if m["doc"] == "edu_2023.txt")
    assert EDU[m["start"]:m["end"]] == m["text"]
    # a strict threshold separates them
    assert similar_groups(backend, "goal", threshold=0.95, min_orgs=2) == []


def test_similar_indicators_compare_normalised_names(backend):
    groups = similar_groups(backend, "indicator", threshold=0.9)
    names = [sorted(m["name"] for m in g["members"]) for g in groups]
    # 服务对象满意度=85% and 服务对象满意度 are one indicator after normalisation
    assert ["服务对象满意度", "服务对象满意度=85%"] in names


def test_bad_type_or_threshold(backend):
    with pytest.raises(ValueError):
        similar_groups(backend, "figure")
    with pytest.raises(ValueError):
        similar_groups(backend, "goal", threshold=0)


@pytest.mark.parametrize("raw,name", [
    ("1.校舍维修完成率", "校舍维修完成率"),
    ("（2）培训合格率", "培训合格率"),
    ("一、预算执行率", "预算执行率"),
    ("①资金到位率", "资金到位率"),
    ("培训教师人数（人次）", "培训教师人数"),
    ("足额保障率=100%", "足额保障率"),
    ("科目调整次数≤10次", "科目调整次数"),
    ("服务对象满意度 不低于 90%", "服务对象满意度"),
    ("单位购置成本(元/台)", "单位购置成本"),
    ("1.5万元以下项目数", "1.5万元以下项目数"),  # a decimal number is not numbering
    ("十大工程完成率", "十大工程完成率"),
    ("（%）", "(%)"),  # nothing left after stripping: the cleaned name stays
])
def test_normalize_name(raw, name):
    assert normalize_name(raw) == name


def test_name_rules_are_data():
    assert len(name_patterns()) >= 4  # loaded from corpora/compare/indicator_name_strip.txt


def test_catalogue_lists_departments_and_targets(backend):
    cat = indicator_catalogue(backend)
    first = cat[0]
    assert first["name"] == "服务对象满意度" and first["n_orgs"] == 2
    assert first["orgs"] == ["县农业农村局", "县卫健委"]
    assert sorted((u["org"], u["comparator"], u["value"], u["unit"]) for u in first["uses"]) == [
        ("县农业农村局", "=", 85, "%"), ("县卫健委", "≥", 90, "%")]
    assert first["level1"] == "满意度指标"
    assert {e["name"] for e in cat} == {"服务对象满意度", "校舍维修完成率", "培训教师人数",
                                        "房屋维修完成率"}


def test_api_similar_and_catalogue(client):
    res = client.get("/api/similar", params={"type": "goal", "threshold": 0.5, "min_orgs": 2})
    assert res.status_code == 200
    body = res.json()
    assert body["total"] == len(body["groups"]) >= 1
    res = client.get("/api/similar", params={"type": "goal", "threshold": 0.5, "format": "csv"})
    rows = list(csv.reader(io.StringIO(res.content.decode("utf-8-sig"))))
    assert rows[0][0] == "组 group" and len(rows) > 2
    for params in ({"type": "x"}, {"threshold": 2}, {"format": "doc"}):
        assert client.get("/api/similar", params=params).status_code in (400, 422)

    res = client.get("/api/indicators/catalogue")
    assert res.status_code == 200
    assert res.json()["entries"][0]["name"] == "服务对象满意度"
    res = client.get("/api/indicators/catalogue", params={"min_orgs": 2, "format": "xlsx"})
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(res.content)).active
    assert [c.value for c in ws[1]][:2] == ["指标 indicator", "一级 level1"]
    assert {r[0].value for r in ws.iter_rows(min_row=2)} == {"服务对象满意度"}


def test_cli_similar_and_catalogue(data_dir):
    res = run_cli(["similar", "--type", "goal", "--threshold", "0.5", "--min-orgs", "2",
                   "-f", "json"], data_dir)
    assert res.returncode == 0, res.stderr
    groups = [json.loads(line) for line in res.stdout.splitlines()]
    assert groups and all(g["n_orgs"] >= 2 for g in groups)
    res = run_cli(["catalogue", "-f", "csv", "--min-orgs", "2"], data_dir)
    rows = list(csv.reader(io.StringIO(res.stdout)))
    assert sorted(r[4] for r in rows[1:]) == ["县农业农村局", "县卫健委"]
    assert {r[0] for r in rows[1:]} == {"服务对象满意度"}
    res = run_cli(["similar", "--type", "nope"], data_dir)
    assert res.returncode == 2 and "Traceback" not in res.stderr

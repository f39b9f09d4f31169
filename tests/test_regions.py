"""Regions resolved to the national division list (corpora/regions/divisions.tsv)."""
from __future__ import annotations

import corpora
from nlp import regions


def by_text(text: str) -> dict[str, dict]:
    return {r.text: r.attrs for r in regions.find_regions(text)}


def test_division_file_is_complete_and_well_formed():
    rows = [line.split("\t") for line in corpora.read_lines("regions", "divisions.tsv")]
    assert len(rows) > 3000
    codes = {r[0] for r in rows}
    levels = {r[2] for r in rows}
    assert levels == {"province", "city", "county"}
    assert sum(r[2] == "province" for r in rows) >= 31
    assert all(r[3] in codes for r in rows if len(r) > 3 and r[3])  # every parent exists
    assert corpora.path("regions", "LICENSE.cpca").exists()


def test_county_with_level_and_parent_path():
    a = by_text("芝罘区大海阳社区")["芝罘区"]
    assert a["level"] == "county" and a["parent"] == "烟台市"
    assert a["path"] == ["山东省", "烟台市", "芝罘区"]


def test_short_names_resolve_to_full_names():
    found = {r.text: r.canonical for r in regions.find_regions("烟台加快构建体系，山东省内领先，烟台经验")}
    assert found["烟台"] == "烟台市" and found["山东省"] == "山东省"


def test_ambiguous_name_resolved_by_the_other_regions_of_the_text():
    sh = [r for r in regions.find_regions("上海市普陀区万里街道") if r.text == "普陀区"][0]
    assert sh.attrs["path"] == ["上海市", "普陀区"]
    zs = [r for r in regions.find_regions("浙江省舟山市普陀区，舟山渔场") if r.text == "普陀区"][0]
    assert zs.attrs["path"] == ["浙江省", "舟山市", "普陀区"]


def test_names_inside_other_words_are_not_regions():
    # 玉林 in the person name 衣玉林; 和县 in 和县级; 城区 on its own
    assert by_text("YMG全媒体记者 衣玉林") == {}
    assert "和县" not in by_text("省、市和县级人民政府")
    assert "城区" not in by_text("城区道路")


def test_main_region_of_leling_sample():
    text = (corpora.path("samples", "leling_budget_performance_2019.txt")).read_text(encoding="utf-8")
    main = regions.main_region(regions.find_regions(text), "乐陵：破解预算绩效管理“两张皮”难题")
    assert main.canonical == "乐陵市"
    assert main.attrs["path"] == ["山东省", "德州市", "乐陵市"]


def test_national_text_has_no_main_region():
    text = "北京、上海、广东、浙江、江苏、山东、四川、湖北等地"
    assert regions.main_region(regions.find_regions(text)) is None


def test_towns_and_streets_hang_under_the_document_region():
    text = "深入莱山区初家街道迎春佳苑和昆嵛镇金沙村，这是咱镇的事，乡镇街道"
    found = regions.find_regions(text)
    parent = next(r for r in found if r.text == "莱山区")
    towns = regions.find_towns(text, parent, {r.end for r in found})
    assert [t.text for t in towns] == ["初家街道", "昆嵛镇"]
    assert towns[0].attrs["path"] == ["山东省", "烟台市", "莱山区", "初家街道"]
    assert all(text[t.start:t.end] == t.text for t in towns)


def test_trie_pattern_prefers_longest_names():
    import re

    p = re.compile(regions.trie_pattern(["烟台", "烟台市", "山东", "山东省"]))
    assert p.findall("山东省烟台市和烟台") == ["山东省", "烟台市", "烟台"]


def test_regions_in_a_short_query_most_specific_first():
    # a lone short name counts in a query; same-named districts follow the other names
    assert regions.regions_in_query("青岛 预算审查") == [["山东省", "青岛市"]]
    assert regions.regions_in_query("上海市普陀区社会福利院")[0] == ["上海市", "普陀区"]
    assert regions.regions_in_query("舟山普陀区")[0] == ["浙江省", "舟山市", "普陀区"]
    assert regions.regions_in_query("零基预算改革") == []


def test_a_short_name_that_is_also_a_common_word_is_no_region_on_its_own():
    # 大庆 is the oilfield and the model of 工业学大庆 as much as the city (region_short_stop.txt):
    # set 11's keyword query 大寨 大庆 自力更生 penalised every document of another region
    assert regions.regions_in_query("大寨 大庆 自力更生") == []
    assert regions.regions_in_query("大庆油田") == []
    assert regions.regions_in_query("大庆市 2021年预算")[0] == ["黑龙江省", "大庆市"]
    found = regions.find_regions("大庆油田发现六十多年来，大庆油田累计生产原油")
    assert [r.canonical for r in found] == []

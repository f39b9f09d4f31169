"""A compound unit is read whole: a price per area as forms write it (饲料库120平米 | 490元/平米,
武川县 2021 target form, blind batch 7) keeps 元/平米, an unlisted measure closing the cell after
the slash (元/羽) is kept as written, and a counting word with 次 (2000种次, 国家林业局 sample form)
is a unit. Real files made in the test, read by the real reader."""
from __future__ import annotations

from pathlib import Path

from nlp.tables import parse_target
from tests.test_indicator_batch5_layouts import _items, _xlsx
from tests.test_indicator_fresh_layouts import _docx


def _cut(text: str) -> tuple:  # type: ignore[type-arg]
    t = parse_target(text)
    return t.comparator, t.value, t.unit


def test_a_price_per_area_and_a_compound_count_are_read_whole() -> None:
    assert _cut("490元/平米") == ("=", 490.0, "元/平米")
    assert _cut("≥120平米") == ("≥", 120.0, "平米")
    assert _cut("2000种次") == ("=", 2000.0, "种次")
    assert _cut("≥50车次") == ("≥", 50.0, "车次")
    assert _cut("20元/羽") == ("=", 20.0, "元/羽")  # an unlisted measure closing the cell
    assert _cut("≥530元/人·月") == ("≥", 530.0, "元/人·月")  # unchanged
    assert _cut("3元/人以上") == ("≥", 3.0, "元/人")
    assert _cut("10元/内") == ("=", 10.0, "元")  # a word of not_units.txt is no measure


def test_the_wuchuan_cost_rows_keep_yuan_per_square_metre(tmp_path: Path) -> None:
    rows = [["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "贫困地区新增特色产业数量", "≥1个"],
            ["", "成本指标", "打井、配电", "50000元"],
            ["", "", "饲料库120平米", "490元/平米"],
            ["", "", "围墙300米", "300元/米"],
            ["", "", "标准化棚圈360平米", "550元/平米"]]
    got = _items(_docx(tmp_path / "wuchuan.docx", rows))
    assert (got["饲料库120平米"].value, got["饲料库120平米"].unit) == (490.0, "元/平米")
    assert (got["标准化棚圈360平米"].value, got["标准化棚圈360平米"].unit) == (550.0, "元/平米")
    assert got["围墙300米"].unit == "元/米"
    assert got["打井、配电"].unit == "元"


def test_the_forestry_sample_keeps_zhongci(tmp_path: Path) -> None:
    rows = [["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "测报员培训人次", "200人次"],
            ["", "", "上报发生情况月报数据的林业有害生物种次", "2000种次"],
            ["", "", "汇总发生情况月报表次数", "12次"]]
    got = _items(_xlsx(tmp_path / "forestry.xlsx", rows))
    name = "上报发生情况月报数据的林业有害生物种次"
    assert (got[name].value, got[name].unit) == (2000.0, "种次")
    assert got["测报员培训人次"].unit == "人次"
    assert got["汇总发生情况月报表次数"].unit == "次"

"""Indicators: real rows of the sample PDF's performance-target tables, target
parsing as written, other table layouts (self-evaluation, 成本指标 both ways,
page continuation, wrapped rows), indicators in text, the level classifier and
every reviewer check firing and not firing."""
from __future__ import annotations

import re

import pytest

import corpora
from ingest.document import Document, Page, Table
from ingest.readers import read
from nlp import checks, indicators, levels
from nlp.items import Indicator
from nlp.tables import parse_tables, parse_target

WANLI = "budget2023_shanghai_putuo_wanli_subdistrict_dept.pdf"


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


@pytest.fixture(scope="module")
def wanli() -> tuple[Document, list[Indicator]]:
    doc = read(corpora.path("samples", WANLI))
    items = indicators.from_tables(doc)
    checks.apply(items)
    return doc, items


def by_name(items: list[Indicator], name: str) -> Indicator:
    found = [i for i in items if squash(i.name) == squash(name)]
    assert found, name
    return found[0]


def test_every_row_of_the_pdf_tables_with_offsets_and_pages(wanli) -> None:
    doc, items = wanli
    assert len(items) == 65
    assert {i.page for i in items} == {31, 32, 33, 34, 35}
    for it in items:
        assert it.text == doc.text[it.start:it.end]
        # a wrapped name cell is interleaved with its neighbours in the running text:
        # the item starts at the name and covers at least its first line
        assert squash(it.text).startswith(squash(it.name)[:8])
        p = next(p for p in doc.pages if p.number == it.page)
        assert p.start <= it.start < p.end
        assert it.level_source == "table"
    first = by_name(items, "规划建筑面积")
    assert (first.page, first.level1, first.level2) == (31, "产出指标", "数量指标")
    assert (first.comparator, first.value, first.unit) == ("≥", 13459, "平方米")
    assert first.project == "新建万里街道社区公共服务中心"


def test_merged_cells_inherit_levels_from_the_row_above(wanli) -> None:
    _, items = wanli
    # page 34: only the first row of the block carries 产出指标 / 数量指标
    row = by_name(items, "开展特殊对象心理健康教育")
    assert (row.level1, row.level2) == ("产出指标", "数量指标")
    assert (row.comparator, row.value, row.unit) == ("≥", 1, "次")
    row = by_name(items, "中心全年活动人次")
    assert (row.level1, row.level2, row.value, row.unit) == ("产出指标", "质量指标", 5, "万人次")
    row = by_name(items, "党员群众满意度")
    assert (row.level1, row.level2) == ("满意度指标", "服务对象满意度指标")


def test_wrapped_cells_are_joined(wanli) -> None:
    _, items = wanli
    # the name cell wraps over two lines in the PDF (…牢固树 / 立全心全意…)
    row = by_name(items, "全面提升社区党员党性修养，提升书记综合素质，牢固树立全心全意为民服务意识")
    assert row.target == "有效" and row.value is None and row.comparator == ""
    # the 二级 cell wraps too (服务对象满意 / 度指标)
    assert by_name(items, "补贴对象满意度").level2 == "服务对象满意度指标"


@pytest.mark.parametrize("target, expected", [
    ("≤30万元", ("≤", 30, "万元")),
    ("=5.00(万人次)", ("=", 5, "万人次")),
    ("≥13459.00(平方米)", ("≥", 13459, "平方米")),
    ("不低于50%", ("≥", 50, "%")),
    ("补贴对象生活改善度不低于80%", ("≥", 80, "%")),
    ("开展至少1次团体心理治疗", ("≥", 1, "次")),
    ("不低于50人次的个体心理咨询辅导", ("≥", 50, "人次")),
    ("可控性100%", ("=", 100, "%")),
    ("90%", ("=", 90, "%")),
    (">150.00(家)", (">", 150, "家")),
    ("≥50个", ("≥", 50, "个")),
    ("95%以上", ("≥", 95, "%")),
    ("12月底前", ("", None, "")),
    ("2023-12-31前", ("", None, "")),
    ("3至5年", ("=", 3, "年")),
    ("开展不少于两次", ("≥", 2, "次")),
    ("三十个工作日内", ("≤", 30, "个工作日")),
    ("第三季度", ("", None, "")),
    ("１００％", ("=", 100, "%")),
    ("2024年12月31日前", ("", None, "")),
    ("效果明显", ("", None, "")),
    ("*", ("", None, "")),
])
def test_targets_are_split_as_written(target: str, expected: tuple) -> None:
    t = parse_target(target)
    assert (t.comparator, t.value, t.unit) == expected


def _self_evaluation_tables() -> list[Table]:
    """A 绩效自评表 in the 10号 layout (domain.md 3.1), continuing on the next page."""
    head = ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
            "偏差原因分析及改进措施"]
    page1 = Table(page=5, caption="项目支出绩效自评表", rows=[
        ["项目名称", "219001-委托业务项目", None, None, None, None, None, None, None],
        ["年度总体目标", "预期目标", None, None, "实际完成情况", None, None, None, None],
        [None, "完成基建工程委托业务50个，报告合格率100%", None, None, "完成委托业务52个", None, None, None, None],
        head,
        [None, "产出指标(50分)", "数量指标", "基建工程委托业务项目数量", "≥50个", "52", "8", "8", None],
        [None, None, "成本指标", "项目总成本", "≤90万元", "89.974", "8", "8", None],
        [None, None, None, "单位购置成本", "≥2万元", "2", "8", "8", None],
    ])
    page2 = Table(page=6, rows=[  # no header: the table goes on from page 5
        [None, "效益指标(30分)", "社会效益指标", "对维护基建市场公平的影响程度", "效果明显", "达成预期指标", "10", "10", None],
        [None, None, None, "群众知晓率", "≥90", None, None, None, None],
        [None, None, None, None, "%", None, None, None, None],
        [None, None, None, "居民参与社区活动", "≥80%", "85%", "5", "5", None],
        [None, None, None, "比例", None, None, None, None, None],
        [None, "成本指标", "经济成本指标", "成本控制数", "≤ 30 万元", "28", "5", "5", "节约"],
        [None, "满意度指标(10分)", "满意度指标", "公众满意度", "≥90%", "95%", "10", "10", None],
        ["总分", None, None, None, None, None, "100", "96", None],
    ])
    return [page1, page2]


def test_self_evaluation_layout_continuation_and_cost_both_ways() -> None:
    parsed = parse_tables(_self_evaluation_tables())
    rows = {r.name: r for r in parsed.indicators}
    assert list(rows) == ["基建工程委托业务项目数量", "项目总成本", "单位购置成本",
                          "对维护基建市场公平的影响程度", "群众知晓率", "居民参与社区活动比例", "成本控制数",
                          "公众满意度"]
    assert rows["基建工程委托业务项目数量"].project == "委托业务项目"  # budget code stripped
    assert (rows["项目总成本"].level1, rows["项目总成本"].level2) == ("产出指标", "成本指标")
    assert (rows["成本控制数"].level1, rows["成本控制数"].level2) == ("成本指标", "经济成本指标")
    assert rows["公众满意度"].level1 == "满意度指标" and rows["公众满意度"].page == 6
    assert rows["群众知晓率"].target == "≥90%"  # a row with no name is the wrapped tail of the row above
    # a row holding nothing but a piece of name is the wrapped end of the name above
    assert rows["居民参与社区活动比例"].target == "≥80%"
    r = rows["项目总成本"]
    assert (r.actual, r.weight, r.score, r.table_kind) == ("89.974", "8", "8", "self_evaluation")
    assert rows["成本控制数"].deviation == "节约"
    goals = {(g.header, g.text) for g in parsed.goals}
    assert ("预期目标", "完成基建工程委托业务50个，报告合格率100%") in goals
    assert ("实际完成情况", "完成委托业务52个") in goals


def _text_document(text: str) -> Document:
    return Document(id="t", source="t.txt", path="t.txt", format="text", title="t", text=text,
                    pages=[Page(1, 0, len(text))])


def test_indicators_stated_in_text() -> None:
    text = "今年群众满意度达到90%以上，自评覆盖率100%。去年预算执行率为99.57%。"
    doc = _text_document(text)
    items = indicators.from_text(doc)
    names = {i.name: i for i in items}
    assert set(names) == {"群众满意度", "自评覆盖率"}  # a reported result (执行率为…) is no target
    sat = names["群众满意度"]
    assert (sat.comparator, sat.value, sat.unit, sat.level_source) == ("≥", 90, "%", "model")
    assert sat.level1 == "满意度指标" and sat.text == text[sat.start:sat.end]
    assert (names["自评覆盖率"].comparator, names["自评覆盖率"].value) == ("=", 100)


def test_level_classifier_predicts_and_reports_cross_validated_accuracy(capsys) -> None:
    assert levels.predict("受训学员满意度")[0] == "满意度指标"
    assert levels.predict("设备采购数量")[0] == "产出指标"
    acc = levels.cross_validated_accuracy()
    assert acc["rows"] >= 150 and acc["level1_acc"] > 0.6
    levels.report()
    out = capsys.readouterr().out
    assert "level1_acc=" in out and "held-out document budget2023_shanghai_putuo_wanli" in out
    assert "levels on blind batch 5 by table+一级" in out and "levels by table id" in out
    assert "levels by document: rows=" in out  # 5-fold over documents beside the shuffled rows
    assert "levels by document, tables decoded whole: tables=" in out  # the same folds, tables decoded whole
    # leave-one-document-out: the rows of the document under test are not trained on
    grouped = levels.grouped_accuracy()
    assert grouped["budget2023_shanghai_putuo_wanli_subdistrict_dept.pdf"][0] >= 60


def _ind(**kw) -> Indicator:
    base = dict(start=0, end=1, text="x", name="指标", level1="产出指标", level2="数量指标")
    base.update(kw)
    return Indicator(**base)


def _rules(ind: Indicator) -> set[str]:
    return {c["rule"] for c in checks.row_findings(ind)}


def test_row_checks_fire_and_do_not_fire() -> None:
    assert "placeholder_value" in _rules(_ind(target="*"))
    assert "placeholder_value" in _rules(_ind(target="XX"))
    assert "placeholder_value" not in _rules(_ind(target="≥50个", comparator="≥", value=50, unit="个"))
    assert "missing_unit" in _rules(_ind(target="≥50", comparator="≥", value=50, unit=""))
    assert "missing_unit" not in _rules(_ind(target="≥50个", comparator="≥", value=50, unit="个"))
    assert "percent_over_100" in _rules(_ind(target="120%", comparator="=", value=120, unit="%"))
    assert "percent_over_100" not in _rules(_ind(target="100%", comparator="=", value=100, unit="%"))
    sat = dict(name="居民满意度", level1="满意度指标", level2="服务对象满意度指标")
    assert "satisfaction_no_target" in _rules(_ind(target="提升", **sat))
    assert "satisfaction_no_target" not in _rules(_ind(target="≥90%", comparator="≥", value=90, unit="%", **sat))
    cost = dict(name="项目总成本", level2="成本指标")
    assert "cost_with_ge" in _rules(_ind(target="≥90万元", comparator="≥", value=90, unit="万元", **cost))
    assert "cost_with_ge" not in _rules(_ind(target="≤90万元", comparator="≤", value=90, unit="万元", **cost))
    assert "vague_target" in _rules(_ind(target="有效提升"))
    assert "vague_target" not in _rules(_ind(target="≥90%", comparator="≥", value=90, unit="%"))
    assert "vague_target" not in _rules(_ind(target="达到国家标准"))
    finding = checks.row_findings(_ind(target="*"))[0]
    assert set(finding) == {"rule", "severity", "message"} and finding["message"]


def test_project_checks_fire_once_per_project_and_not_on_complete_projects(wanli) -> None:
    _, items = wanli
    # every sample project has 产出, 效益 and 满意度 indicators
    assert not any(c["rule"].startswith("project_") for i in items for c in i.checks)
    lonely = [_ind(project="P", target="≥1个", comparator="≥", value=1, unit="个"),
              _ind(project="P", level2="质量指标", target="100%", comparator="=", value=100, unit="%")]
    checks.apply(lonely)
    rules = [c["rule"] for i in lonely for c in i.checks]
    assert rules.count("project_no_benefit") == 1 and rules.count("project_no_satisfaction") == 1
    assert "project_no_output" not in rules


def test_evaluation_framework_levels_are_kept_as_written() -> None:
    """10号 附件2 evaluation tables use 决策/过程/产出/效益: kept, not re-classified."""
    table = Table(page=3, rows=[
        ["一级指标", "二级指标", "三级指标", "分值", "得分"],
        ["决策(20分)", "项目立项", "立项依据充分性", "5", "5"],
        [None, None, "立项程序规范性", "5", "4"],
        ["过程", "资金管理", "预算执行率", "10", "9.5"],
    ])
    rows = parse_tables([table]).indicators
    assert [(r.name, r.level1, r.level2) for r in rows] == [
        ("立项依据充分性", "决策", "项目立项"), ("立项程序规范性", "决策", "项目立项"),
        ("预算执行率", "过程", "资金管理")]
    assert rows[2].score == "9.5" and rows[2].weight == "10"


def test_a_table_on_a_later_page_without_header_is_not_a_continuation() -> None:
    first = Table(page=1, rows=[["一级指标", "二级指标", "三级指标", "指标值"],
                                ["产出指标", "数量指标", "培训人次", "≥100人次"]])
    far = Table(page=4, rows=[["社会效益指标", "x", "公众知晓率", "90%"]])
    nxt = Table(page=2, rows=[[None, "质量指标", "培训合格率", "≥95%"]])
    assert [r.name for r in parse_tables([first, far]).indicators] == ["培训人次"]
    rows = parse_tables([first, nxt]).indicators
    assert [(r.name, r.level1, r.level2) for r in rows] == [
        ("培训人次", "产出指标", "数量指标"), ("培训合格率", "产出指标", "质量指标")]


def test_text_indicators_are_sought_only_near_an_ending_with_the_same_matches() -> None:
    """Trying the pattern only up to ``NAME_HEAD`` characters before an ending finds exactly the
    matches of a full ``finditer``, including overlapping endings, spaces and stop words."""
    from nlp.indicators import _text_matches, _text_pattern

    texts = [
        "群众满意度达到90%以上，项目覆盖率不低于 95 ％，满意度满意度=5%，执行率为80%。",
        "资金到位率、完成率 100%；培训及时率要达到 98.5个百分点左右\n满意度\n 90%",
        "度率满意" * 4 + "合格率≥99%" + "很长很长很长很长很长很长的服务对象满意度90%",
    ]
    for text in texts:
        full = [(m.span(), m.groupdict()) for m in _text_pattern().finditer(text)]
        assert full and full == [(m.span(), m.groupdict()) for m in _text_matches(text)]

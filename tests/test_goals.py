"""Goals: detection in running text (targets, not reports of what was done), goal
cells of the sample PDF's tables, and the vague-goal review on the vague /
concrete pairs of domain.md 2.3 and 2.4."""
from __future__ import annotations

import re

import pytest

import corpora
from ingest.document import Document
from ingest.readers import read
from nlp import goal_model, goals, vagueness
from tests.text_documents import one_page


def _doc(text: str) -> Document:
    return one_page(text, "t")


# ---- the vague-goal review ---------------------------------------------------------------

VAGUE = [
    "改善教育质量",
    "提高医疗服务水平",
    "提升公共服务水平",
    "努力做到思想上求精心、工作上求精细、成果上求精品，不断加强自身建设，着力提升履职的能力和水平",
    "以办公大楼服务对象满意为目标，着力打造文明型机关",
    "扩大对外开放成效，加强招商引资工作，拓展特色农产品销售渠道",
    "到2035年公共服务水平大幅提升",
    "力争到2025年率先构建起预算绩效管理“四梁八柱”",
    "主要污染物排放量继续下降",
]
CONCRETE = [
    "2024年使初中毕业生合格率从85%提升至90%",
    "2024年社区医院门诊量提升15%，患者满意度达到90%以上",
    "办公大楼日常维修维护次数2280次",
    "基建工程委托业务项目数量≥50个",
    "项目总成本≤90万元",
    "结余率≤5%",
    "城镇新增就业1100万人以上",
    "居民收入和经济增长基本同步",
    "水质达到国家二类标准",
    "2024年12月底前完成项目竣工验收",
    "今年要做到赤字不突破国家预算",  # bound by a published budget
    "财政赤字和发债规模大体保持去年水平",  # last year's level as the baseline
]


@pytest.mark.parametrize("text", VAGUE)
def test_vague_goals_are_flagged_with_reasons(text: str) -> None:
    r = vagueness.review(text)
    assert r.vague, text
    assert "无量化指标" in r.reasons
    assert r.score >= 0.6


@pytest.mark.parametrize("text", CONCRETE)
def test_concrete_goals_are_not_vague(text: str) -> None:
    r = vagueness.review(text)
    assert not r.vague, (text, r.reasons)
    assert "无量化指标" not in r.reasons and r.score < 0.6


def test_vague_words_are_forgiven_in_a_clause_with_a_number() -> None:
    loose = vagueness.review("进一步提高服务质量，覆盖率达到95%")
    assert not loose.vague and any("进一步" in x for x in loose.reasons)  # the other clause stays flagged
    fully = vagueness.review("覆盖率进一步提高到95%")
    assert not fully.vague and fully.vague_words == []
    assert not any(x.startswith("模糊用语") for x in fully.reasons)


def test_reasons_name_what_is_missing() -> None:
    r = vagueness.review("进一步提升服务水平，有效促进发展")
    assert r.reasons[0] == "无量化指标" and "无完成时限" in r.reasons
    assert any(x.startswith("模糊用语") and "进一步" in x and "有效促进" in x for x in r.reasons)
    dated = vagueness.review("2025年底前建成社区服务中心")
    assert "无完成时限" not in dated.reasons and not dated.vague


def test_numbers_in_slogans_and_years_are_not_quantities() -> None:
    assert vagueness.quantities("统筹推进“五位一体”总体布局") == []
    assert vagueness.quantities("到2025年") == []
    assert vagueness.quantities("实现第二个百年奋斗目标") == []
    assert vagueness.quantities("新增就业1100万人以上") == ["1100万人"]
    assert vagueness.quantities("为第三个五年计划作好准备，编制十年规划") == []  # a plan's name
    assert vagueness.quantities("今后五年，城镇新增就业5000万人") == ["五年", "5000万人"]


# ---- goals in running text --------------------------------------------------------------


@pytest.fixture(scope="module")
def gwr() -> Document:
    return read(corpora.path("samples", "gwr_national_2017.txt"))


def _goal_texts(document: Document, start: int, end: int) -> list[str]:
    return [g.text for g in goals.from_text(document) if start <= g.start < end]


def test_each_target_of_a_list_is_its_own_goal(gwr: Document) -> None:
    start = gwr.text.index("今年发展的主要预期目标是")
    end = gwr.text.index("。", start) + 1
    found = goals.from_text(gwr)
    inside = [g for g in found if start <= g.start < end]
    texts = [g.text for g in inside]
    for target in ("居民消费价格涨幅3%左右", "城镇新增就业1100万人以上", "城镇登记失业率4.5%以内",
                   "进出口回稳向好", "单位国内生产总值能耗下降3.4%以上"):
        assert target in texts
    for g in inside:
        assert g.text == gwr.text[g.start:g.end] and g.source == "text" and g.page is None
    vague = {g.text: g.vague for g in inside}
    assert vague["城镇新增就业1100万人以上"] is False and vague["进出口回稳向好"] is True
    assert vague["居民收入和经济增长基本同步"] is False


def test_what_was_already_done_is_not_a_goal(gwr: Document) -> None:
    start = gwr.text.index("六是加强生态文明建设")
    end = gwr.text.index("\n", start)
    assert _goal_texts(gwr, start, end) == []  # 下降5.6%… are results of last year


def test_goal_sentences_of_news_text() -> None:
    text = ("日前，该单位的项目被调减20万元。对此，单位负责人表示下一步要强化对项目的监管，真正做到花钱必有效。"
            "2019年度，全市纳入绩效管理的项目705个。")
    found = goals.from_text(_doc(text))
    assert [g.text for g in found] == ["单位负责人表示下一步要强化对项目的监管，真正做到花钱必有效"]
    assert found[0].vague and found[0].reasons


def test_quantified_targets_before_the_cue_and_in_following_sentences() -> None:
    text = ("财政政策要更加积极有效。今年赤字率拟按3%安排，财政赤字2.38万亿元，比去年增加2000亿元。"
            "其中，中央财政赤字1.55万亿元，地方财政赤字8300亿元。")
    texts = [g.text for g in goals.from_text(_doc(text))]
    assert texts == ["今年赤字率拟按3%安排", "财政赤字2.38万亿元，比去年增加2000亿元",
                     "中央财政赤字1.55万亿元", "地方财政赤字8300亿元"]


def test_laws_state_obligations_not_goals() -> None:
    law = read(corpora.path("samples", "law_budget_law_2018.md"))
    assert goals.is_legal_text(law.text)
    assert goals.extract(None, law) == []  # type: ignore[arg-type]


def test_a_page_of_a_measure_is_law_and_a_report_quoting_articles_is_not() -> None:
    """A stored page of a measure (第十三条-第十九条: too few articles to count) states obligations and
    definitions (第十四条 绩效目标是…), no goals; an annual report quoting four articles keeps its goals."""
    page = goal_model.load_document("law_fiscal_expenditure_performance_evaluation_measures_fsou_part2.txt")
    assert goals.is_legal_text(page.text)
    assert goals.extract(None, page) == []  # type: ignore[arg-type]
    report = goal_model.load_document("govinfo2024_jiangsu_huaian_city_govt_annual_report.pdf")
    assert len(goals.ARTICLE.findall(report.text)) >= 2
    assert not goals.is_legal_text(report.text)


def test_the_parts_of_a_report_listed_in_news_are_no_goals() -> None:
    """报告共分八个部分：一、…；三、加大宏观政策实施力度，着力稳企业保就业；… names chapters (a 新华社 item of
    batch 25); the targets the same item quotes after it stay goals."""
    doc = goal_model.load_document("gwr2020_national_jschina_xinhua_targets.txt")
    texts = [g.text for g in goals.extract(None, doc)]  # type: ignore[arg-type]
    assert not [t for t in texts if "宏观政策实施力度" in t or "稳住外贸外资基本盘" in t or "脱贫攻坚目标" in t]
    assert any("城镇新增就业900万人以上" in t for t in texts)


def test_an_outline_reaches_the_next_marked_sentence_and_no_further() -> None:
    text = ("县长作政府工作报告。报告分四个部分：一是2010年工作回顾；二是“十二五”时期的奋斗目标；三是2011年工作安排。"
            "四是加强政府自身建设，努力开创发展新局面。今年全县生产总值增长12%以上。")
    (start, end), = goals.outline_spans(text)
    assert text[start:end].startswith("分四个部分") and text[start:end].endswith("努力开创发展新局面")
    assert goals.outline_spans("今年提出七个方面目标：一是高质量发展取得显著成效；二是科技自立自强水平大幅提高。") == ()


# ---- goals in tables ----------------------------------------------------------------------


def test_goal_cells_of_the_pdf_goal_tables() -> None:
    doc = read(corpora.path("samples", "budget2023_shanghai_putuo_wanli_subdistrict_dept.pdf"))
    found = goals.from_tables(doc)
    by_page = {g.page: g for g in found}
    assert set(by_page) == {31, 32, 33, 34, 35}  # one per project (总目标 = 年度总体目标 here)
    g = by_page[32]
    assert g.text == "管理各类下拨费用，实报实销" and g.project == "就业援助基地补贴"
    assert g.source == "table" and g.vague and "无量化指标" in g.reasons
    for g in found:
        assert _in_order(g.text, doc.text[g.start:g.end])  # the span covers the whole cell
        page = next(p for p in doc.pages if p.number == g.page)
        assert page.start <= g.start < page.end


def _in_order(cell: str, span: str) -> bool:
    """Every character of the cell occurs in the span, in order (white space ignored)."""
    it = iter(re.sub(r"\s+", "", span))
    return all(ch in it for ch in re.sub(r"\s+", "", cell))


def test_a_wrapped_goal_cell_is_read_whole_once_with_reasons_from_its_own_text() -> None:
    doc = read(corpora.path("samples", "budget2023_shanghai_putuo_wanli_subdistrict_dept.pdf"))
    found = goals.extract(None, doc)  # type: ignore[arg-type]
    cell = [g for g in found if g.text.startswith("建成后作为万里街道社区事务受理")]
    # in the page text the cell is interleaved with its neighbour (…活动场所。更 | … | 有效的整合…)
    assert len(cell) == 1 and cell[0].source == "table"  # not again from the 七、绩效目标 text
    g = cell[0]
    assert g.text.endswith("为周边居民提供便捷、优质的社区服务和生活配套设施。")
    # no other goal holds a piece of the cell (the page text's half-goals 更有效的整合…)
    others = [re.sub(r"\s+", "", o.text) for o in found if o is not g]
    assert not any(p in o for o in others for p in ("有效的整合", "社区文化艺术活动场所", "生活配套设施"))
    vague = [r for r in g.reasons if r.startswith("模糊用语")]
    assert vague  # and it cites only words of the shown text
    assert all(w in g.text for r in vague for w in r.split(": ", 1)[1].split("、"))


@pytest.mark.parametrize("text, vague", [
    ("粮食产量615亿斤左右", False),  # a traditional unit is still a unit
    ("港口集装箱吞吐量达到300万标箱", False),
    ("居民收入增速高于经济增速", False),  # tied to another published figure
    ("城乡居民收入增长快于经济增长", False),
    ("居民收入稳步提高", True),
])
def test_units_and_ties_to_published_figures_make_goals_checkable(text, vague):
    from nlp.vagueness import review

    assert review(text).vague is vague


# ---- the held-out sample ------------------------------------------------------------------


def test_heldout_sample_labels_are_verbatim_and_unique() -> None:
    from nlp import goal_eval

    rows = goal_eval.load_sample()
    assert len({r["id"] for r in rows}) == len(rows) >= 8
    for row in rows:
        for label in row["goals"] + row.get("optional", []):
            assert row["text"].count(label) == 1, (row["id"], label)
    score = goal_eval.evaluate()
    assert score.tp + score.fn == sum(len(r["goals"]) for r in rows)


# ---- exhortations, vetoed cue words, comments on targets -----------------------------------


@pytest.mark.parametrize("sentence", [
    "各级政府要坚持尽力而为、量力而行，把握好工作节奏和力度。",  # stance and means only
    "我们必须直面困难挑战，敢于担当作为。",
    "做好今年工作，要突出重点、统筹兼顾。",
])
def test_an_exhortation_without_an_outcome_is_no_goal(sentence: str) -> None:
    assert goals.from_text(_doc(sentence)) == []


@pytest.mark.parametrize("sentence, start", [
    ("要加快建设现代化产业体系，推动传统产业提质升级。", "要加快"),  # 推动…
    ("各地要因地制宜抓好落实，让改革成果更多惠及群众。", "各地要"),  # causative 让
    ("必须守住不发生规模性返贫的底线。", "必须"),
])
def test_an_exhortation_naming_an_outcome_is_a_goal(sentence: str, start: str) -> None:
    found = goals.from_text(_doc(sentence))
    assert len(found) == 1 and found[0].text.startswith(start)


@pytest.mark.parametrize("sentence", [
    "一季度是全年支出的淡季，支出额历来比其他季度要少。",  # 要 = "than"
    "坚持向改革要动力、向管理要效益的意识日益增强。",  # 向…要 = "ask for"
    "预计下半年财政收入增幅将逐步回升。",  # a forecast
    "受减税政策影响，政策性减收效应还将进一步显现。",
])
def test_cue_words_that_are_no_cue_here(sentence: str) -> None:
    assert goals.from_text(_doc(sentence)) == []


def test_a_comment_on_the_targets_is_no_goal() -> None:
    text = ("今年全省主要预期目标是：地区生产总值增长5%左右；城镇新增就业60万人。"
            "提出这些目标，既考虑了发展需要，也兼顾了现实可能。"
            "地区生产总值增长预期目标，符合经济运行实际，有利于稳定市场预期。")
    assert [g.text for g in goals.from_text(_doc(text))] == ["地区生产总值增长5%左右", "城镇新增就业60万人"]


def test_a_topic_line_or_plain_exhortation_carries_to_the_targets_after_it() -> None:
    text = ("稳健的货币政策要保持松紧适度。\n今年广义货币M2预期增长10%左右。"
            "财政支出要突出重点、有保有压。对欠发达地区的转移支付增长8%。")
    assert [g.text for g in goals.from_text(_doc(text))] == [
        "今年广义货币M2预期增长10%左右", "对欠发达地区的转移支付增长8%"]


# ---- targets within and after a goal sentence -----------------------------------------------


def test_a_target_after_the_cue_clause_is_a_goal_of_its_own() -> None:
    text = "加快推进重点煤矿建设，争取两个煤矿项目年内核准，原煤产量达到5000万吨。"
    assert [g.text for g in goals.from_text(_doc(text))] == [
        "争取两个煤矿项目年内核准", "原煤产量达到5000万吨"]


def test_a_baseline_last_year_is_no_report() -> None:
    text = "今年拟安排财政赤字3万亿元，赤字率从去年的3%提高到3.5%。"
    assert [g.text for g in goals.from_text(_doc(text))] == [
        "今年拟安排财政赤字3万亿元", "赤字率从去年的3%提高到3.5%"]


def test_numbers_in_session_names_before_the_cue_are_no_targets() -> None:
    text = ("政府工作的总体要求是：全面落实省委十三届七次全会部署，深入实施“三区一城”战略，"
            "在服务大局中争取主动，实现经济社会发展良好开局。")
    texts = [g.text for g in goals.from_text(_doc(text))]
    assert texts == ["在服务大局中争取主动，实现经济社会发展良好开局"]


def test_spending_measured_year_on_year_is_reported_not_targeted() -> None:
    text = ("在收支矛盾突出的情况下，努力保障民生等重点支出需要。"
            "教育支出9000亿元，同比增长8.5%；卫生健康支出4000亿元，同比增长12%。")
    assert [g.text for g in goals.from_text(_doc(text))] == ["努力保障民生等重点支出需要"]


def test_targets_reported_as_completed_are_no_goals() -> None:
    report = ("全年粮食产量达到1200万吨，提前完成“十四五”节能降耗目标任务。"
              "过去五年，全省经济总量迈上新台阶，规划目标任务总体完成。")
    assert goals.from_text(_doc(report)) == []
    plan = "今年要狠抓落实，确保完成全年目标任务。"
    assert [g.text for g in goals.from_text(_doc(plan))] == ["今年要狠抓落实，确保完成全年目标任务"]


@pytest.mark.parametrize("sentence", [
    "我们要团结奋斗、真抓实干，奋力谱写高质量发展新篇章。",
    "各级政府要迎难而上，在攻坚克难中开创经济社会发展新局面。",
])
def test_reaching_a_new_stage_is_an_outcome(sentence: str) -> None:
    assert len(goals.from_text(_doc(sentence))) == 1


@pytest.mark.parametrize("sentence", [
    "这是我们的事业取得胜利的根本保证。",  # 保证 as a noun
    "不坚持改革，发展就会失去根本的政治保证，甚至走上弯路。",
    "发展农业是保证工业发展和全部计划完成的基本条件。",  # a condition, stated
    "只要降低成本百分之一，就能每年为国家节约一百亿元。",  # a consequence of a condition
    "这是今后十年经济发展中难度最大的一项任务。",  # pointing back at what was said
    "在全体人民的共同努力下，国家的统一一定能够实现。",  # 努力 as a noun
    "全年拟采购货物支出59万元、拟购买服务支出2005万元。",  # a budget's purchase line
    "原定的煤炭产量指标是285万吨，比上年增长21%。",  # a former plan told as history
])
def test_cue_words_used_otherwise_are_no_goal(sentence: str) -> None:
    assert goals.from_text(_doc(sentence)) == []


def test_a_target_restated_to_explain_or_judge_it_is_commentary() -> None:
    text = ("今年经济社会发展的主要预期目标是：国内生产总值增长6%左右，城镇新增就业900万人以上。"
            "经济增长预期6%左右，考虑了需要和可能，符合发展规律。"
            "政府提出的增长速度目标，是一个预期性、指导性指标。"
            "完成和超额完成工业产值增长20%的计划指标是完全可能的。")
    assert [g.text for g in goals.from_text(_doc(text))] == ["国内生产总值增长6%左右", "城镇新增就业900万人以上"]


@pytest.mark.parametrize("sentence, goal", [
    ("全国人民应当千方百计地为实现国民经济的新跃进而奋斗。", "全国人民应当千方百计地为实现国民经济的新跃进而奋斗"),
    ("推进两岸交流合作，是我们坚定不移的目标。", "是我们坚定不移的目标"),
])
def test_what_is_fought_for_or_named_the_goal_is_a_goal(sentence: str, goal: str) -> None:
    assert [g.text for g in goals.from_text(_doc(sentence))] == [goal]


def test_an_old_plans_amount_is_one_goal_with_its_subject() -> None:
    text = "一九五八年的基本建设总投资额，拟定为一百四十五亿元，比一九五七年增加二十二亿元。"
    found = goals.from_text(_doc(text))
    assert len(found) == 1 and found[0].text.startswith("拟定为一百四十五亿元") and not found[0].vague


def test_a_quantity_to_keep_falling_is_a_plan_outcome_and_checkable_plans_are_not_vague() -> None:
    text = "今年经济社会发展的主要预期目标是：\n能耗强度下降3%以上，主要污染物排放继续减少。"
    assert [g.text for g in goals.from_text(_doc(text))][-1] == "主要污染物排放继续减少"
    assert not vagueness.review("一切企业必须全面地完成和争取超额完成国家的计划").vague
    assert not vagueness.review("保证计划指标准确地实现").vague


def test_in_a_plan_an_outcome_word_opening_a_clause_is_a_task_not_a_state() -> None:
    text = ("二、今年主要工作任务\n进一步提高文稿服务质量，着力推进文稿创新。"
            "六是城乡融合成效显著提升。保持物价总水平基本稳定。")
    assert [g.text for g in goals.from_text(_doc(text))] == ["六是城乡融合成效显著提升", "保持物价总水平基本稳定"]

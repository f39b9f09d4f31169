"""Goals of the kinds batch 18 showed in news, each a general rule on data in ``corpora/goals``:
a ministry's 下一步 list of numbered items, a ；-list of commitments, targets after a colon intro
with a horizon, named actors' 将 commitments, 提出…目标 read by what the sentence does; and the
false goals of the same shapes: review figures between two years, beliefs and inferences with 将,
a headline restated by its body. The sentences are batch 18's and the dev corpus's."""
from __future__ import annotations

from ingest.document import Document
from nlp import goal_grammar, goals
from tests.text_documents import one_page


def _doc(text: str) -> Document:
    return one_page(text, "n")


def _texts(text: str) -> list[str]:
    return [g.text for g in goals.extract(None, _doc(text))]  # type: ignore[arg-type]


MOF_NEXT = ("陆家嘴财经早餐\n\n"
            "2、财政部发布《2024年上半年中国财政政策执行情况报告》，明确了下一步财政政策六大重点工作。"
            "一是加大财政政策实施力度，统筹安排和用好超长期特别国债资金，加快地方政府专项债券发行使用，形成更多实物工作量；"
            "二是集中财力保障重点支出，落实财政资金奖补和相关税费优惠政策；"
            "三是筑牢兜实基层“三保”（保基本民生、保工资、保运转）底线；"
            "五是扎实推进财政科学管理；"
            "六是深化财税体制改革，通过推进消费税改革、合理配置地方税权、理顺税费关系等措施，健全地方税体系。\n")


def test_a_ministrys_next_steps_items_are_one_goal_each_its_framing_sentence_is_not() -> None:
    texts = _texts(MOF_NEXT)
    assert [t[:2] for t in texts] == ["一是", "二是", "三是", "五是", "六是"]
    assert texts[2] == "三是筑牢兜实基层“三保”（保基本民生、保工资、保运转）底线"
    assert texts[4].endswith("健全地方税体系")
    assert not any("明确了下一步" in t for t in texts)


def test_numbered_items_without_a_frame_before_them_are_no_goals() -> None:
    # the same items after a review sentence: nothing frames them as coming work
    text = MOF_NEXT.replace("明确了下一步财政政策六大重点工作", "总结了上半年财政政策执行的六个方面")
    assert _texts(text) == []


def test_a_semicolon_list_of_commitments_is_one_goal_per_part() -> None:
    text = ("陆家嘴财经早餐\n\n国家发改委表示，正有序推进新版清单修订，将按程序报批后印发实施；"
            "全面开展市场准入效能评估工作，明年起逐步实现市场准入效能评估全覆盖；"
            "在深海、生命健康、新型能源、人工智能等领域再推出一批市场准入特别措施。\n")
    assert _texts(text) == ["将按程序报批后印发实施", "全面开展市场准入效能评估工作，明年起逐步实现市场准入效能评估全覆盖",
                            "在深海、生命健康、新型能源、人工智能等领域再推出一批市场准入特别措施"]


def test_an_exhortations_semicolon_list_keeps_the_item_with_a_cue_of_its_own() -> None:
    # dev gold (yantai_daily_budget_performance_2023.txt): the call's one goal is its closing item, the one with a
    # cue of its own; the call is cut per item (tests/test_goal_calls.py), and as no parallel call its items of
    # means or outcome words alone go
    text = ("会议号召,全市各级组织和广大社员要更加紧密地团结在党中央周围,加强思想政治建设,巩固主题教育成果;"
            "推进“人才强社”战略,增强组织活力;积极开展调查研究,提升议政建言质量;"
            "发挥科技界别优势,打造社会服务品牌,努力为开创高质量发展新局面作出更大贡献。\n")
    texts = _texts(text)
    assert len(texts) == 1 and texts[0].endswith("作出更大贡献")


GREEN = ("1、中共中央、国务院发布关于加快经济社会发展全面绿色转型的意见。意见提出系列目标：到2030年，"
         "节能环保产业规模达到15万亿元左右；非化石能源消费比重提高到25%左右；"
         "大宗固体废弃物年利用量达到45亿吨左右等。\n")


def test_targets_after_a_colon_intro_with_a_horizon_are_goals_the_horizon_joins_the_first() -> None:
    texts = [g.text for g in goals.from_text(_doc(GREEN))]
    assert texts[0] == "到2030年，节能环保产业规模达到15万亿元左右"
    assert "非化石能源消费比重提高到25%左右" in texts
    assert any(t.startswith("大宗固体废弃物年利用量达到45亿吨左右") for t in texts)
    assert not any(t in ("到2030年", "意见提出系列目标") for t in texts)


def test_a_bare_horizon_is_never_a_goal_of_its_own() -> None:
    text = "《方案》提出，到2025年，基本建成体系完整、布局合理、分工明确的优质高效整合型医疗卫生服务体系。"
    texts = [g.text for g in goals.from_text(_doc(text))]
    assert texts and not any(goals._is_horizon(t) for t in texts)
    assert any("基本建成体系完整" in t for t in texts)


def test_a_stated_target_after_ti_chu_is_a_goal_a_comment_on_it_is_not() -> None:
    stated = "此次长沙党代会提出了数字经济占GDP比重超45%的目标。"
    comment = "提出今年国内生产总值增长8%左右的目标，综合考虑了需要和可能等多种因素。"
    justified = "中央提出今年经济增长预期目标为8％左右，是为了使预期目标符合实际情况。"
    assert goals.from_text(_doc(stated)) != []
    assert goals.from_text(_doc(comment)) == []
    assert goals.from_text(_doc(justified)) == []


def test_named_actors_will_commitments_are_goals() -> None:
    for sentence, goal in [
        ("6、北京亦庄综合保税区近日获国务院批复设立，将高水平打造全国首个以发展新质生产力为主题的综保区。",
         "将高水平打造全国首个以发展新质生产力为主题的综保区"),
        ("4、上海市发改委发文推进可再生能源开发建设，将启动实施首批“风光同场”海上光伏竞争配置，加快陆上风电项目建设。",
         "将启动实施首批“风光同场”海上光伏竞争配置，加快陆上风电项目建设"),
    ]:
        assert goal in [g.text for g in goals.from_text(_doc(sentence))]


def test_a_forecast_comparison_with_jiang_gao_yu_is_no_commitment() -> None:
    assert goals.from_text(_doc("分析人士认为，今年四季度增速将高于三季度。")) == []


def test_review_figures_between_two_years_are_no_goals() -> None:
    text = ("记者从中央单位政府采购工作会议上了解到，“十一五”期间，政府采购规模由2005年的408亿元增加到2010年的567亿元。"
            "在此基础上，“十一五”时期，中央单位节能环保产品政府采购金额达268亿元。"
            "2005年到2010年，中央单位政府集中采购规模由237.7亿元增加到375.6亿元，占采购总规模的比例由58.3%提高到66.3%。")
    assert goals.from_text(_doc(text)) == []


def test_beliefs_and_inferences_with_jiang_are_no_goals() -> None:
    for sentence in ["相信随着改革深入，管采分离将打破财政部门既当运动员、又当裁判员的监督困局，促进政府采购的健康运行。",
                     "这意味着未来每年住房需求总量将逐步减少。"]:
        assert goals.from_text(_doc(sentence)) == [], sentence


def test_a_headline_whose_target_the_body_restates_is_no_goal() -> None:
    text = ("新浪每日十大新闻\n\n"
            "NO.4 四部门：十四五期间力争实现每个地市都有三甲医院\n\n"
            "国家发改委等四部门共同编制《实施方案》。《方案》明确，力争实现每个地市都有三甲医院。\n")
    texts = _texts(text)
    assert texts == ["力争实现每个地市都有三甲医院"]


def test_a_table_between_paragraphs_closes_the_plan_frame() -> None:
    text = ("2024年重大项目计划共安排项目883个，总投资1.2万亿元。\n\n"
            "项目 金额 备注\n交通 100 新建\n\n"
            "同时，续建项目539个，年度投资400亿元。\n")
    table = (text.index("项目 金额"), text.index("\n\n同时"))
    found = [text[s:e] for s, e in goals._plan_prose(text, [table])]
    assert found == ["2024年重大项目计划共安排项目883个", "总投资1.2万亿元"]  # 同时 after the table: the table's
    plain = text.replace("项目 金额 备注\n交通 100 新建\n\n", "")
    no_table = [plain[s:e] for s, e in goals._plan_prose(plain, [])]
    assert "续建项目539个" in no_table  # without the table, 同时 goes on with the plan


def test_a_sentences_clauses_are_parsed_once() -> None:
    text = "其中，续建项目539个，年度投资400亿元，新开工项目344个。"
    clauses = goals._clauses(text, 0, len(text))
    parsed: goal_grammar.Parsed = {}
    assert goal_grammar.opens_with_item(clauses, text, goal_grammar.LIST_LEAD, parsed)
    seen = dict(parsed)
    found, _ = goal_grammar.sentence_targets(clauses, text, True, goal_grammar.LIST_LEAD, parsed)
    assert all(parsed[span] is seen[span] for span in seen)  # the frame test's parses are reused
    assert set(parsed) == set(clauses) and len(found) == 3


def test_a_semicolon_inside_a_quotation_does_not_cut_the_goal() -> None:
    text = ("当前和今后一段时期，财政部将围绕目标任务，进一步推进中央单位政府采购制度改革，突出“继续强化政府采购活动的监管职能，"
            "规范财政支出管理；注重发挥政府采购调控经济社会发展职能”这两条主线。")
    spans = [(s, e) for s, e in goals._at_semicolons(text, text.index("财政部将"), len(text) - 1)]
    assert len(spans) == 1


def test_a_target_reported_as_missed_and_a_forecast_with_jiang_gao_da_are_no_goals() -> None:
    assert goals.from_text(_doc("全国没有实现年初确定的单位国内生产总值能耗降低4%左右、主要污染物排放总量减少2%的目标。")) == []
    assert goals.from_text(_doc("今年高校毕业生将高达765万人。")) == []


def test_a_quotation_opened_before_the_goal_keeps_its_semicolon_list_whole() -> None:
    text = ("去年3月，浙江出台《若干意见》明确提出：“2020-2025年，工业大市大县每年出让土地总量中工业用地比例不低于30%，"
            "确保工业用地总量稳中有升；省级及以上开发区、高新区等存量工业用地总量不下降。”")
    start = text.index("确保")
    assert goals._at_semicolons(text, start, len(text) - 2) == [(start, len(text) - 2)]


def test_a_target_list_after_its_intro_is_cut_at_every_semicolon() -> None:
    text = ("国务院总理李克强5日在政府工作报告中指出，今年发展主要预期目标是：国内生产总值增长5%左右；"
            "城镇新增就业1200万人左右，城镇调查失业率5.5%左右；居民收入增长与经济增长基本同步。")
    parts = [text[s:e] for s, e in goals._at_semicolons(text, 0, len(text) - 1)]
    assert parts[1:] == ["城镇新增就业1200万人左右，城镇调查失业率5.5%左右", "居民收入增长与经济增长基本同步"]


def test_a_stated_target_is_kept_whatever_the_clause_model_says() -> None:
    text = "长沙：未来五年数字经济占GDP比重要超45%\n\n此次长沙党代会提出了数字经济占GDP比重超45%的目标。\n"
    assert _texts(text) == ["此次长沙党代会提出了数字经济占GDP比重超45%的目标"]


def test_a_section_heading_after_a_frame_of_coming_work_is_no_item() -> None:
    text = ("今后五年政府的主要任务应该是：动员全国各族人民全面完成和超额完成第六个五年计划，把各项建设事业继续推向前进。\n\n"
            "（一）关于经济建设\n\n党的十二大确定，到本世纪末实现工农业年总产值翻两番。\n")
    assert goals._next_list_parts(text, ()) == ((), ())

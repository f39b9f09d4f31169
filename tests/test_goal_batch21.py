"""A budget draft's planned figures reported in news (batch 21's misses, seen since session 8): a
sentence citing the draft (根据…预算草案，; 按照预算，…如下：) opens a plan frame whose figures are
targets, changes against last year's outturn included, and the frame runs on over the paragraphs
that open with a figure; a news subheading naming a year with 要/将 opens a plan section, one with
了 a review. The same figures without a cited draft, or stated as an outturn (执行数为…), stay
results. The sentences are batch 21's documents'."""
from __future__ import annotations

from nlp import goal_grammar, goal_model, goals
from tests.test_goal_news_kinds import _texts  # goals.extract over a one-page text document

NATIONAL_BOOKS = (
    "财政预算报告由全国一般公共预算、全国政府性基金预算、全国国有资本经营预算和全国社会保险基金预算四部分组成。"
    "其中，最大的一本账是全国一般公共预算。\n\n"
    "根据国务院提出的2020年中央和地方预算草案，全国一般公共预算收入180270亿元，比2019年预算执行数下降5.3%；"
    "支出247850亿元，增长3.8%；加上调入资金和使用结转结余，全国财政赤字37600亿元，增加10000亿元。\n\n"
    "支出方面，全国政府性基金预算支出126123亿元，增长38%。全国国有资本经营预算支出2615亿元，增长14.3%。\n\n"
    "刘昆在5月22日的两会“部长通道”上表示，一收一支，多出来的逾6.7万亿元就是释放出的财政资金，比去年加大了力度。\n")


def test_a_cited_budget_drafts_figures_are_targets_over_the_paragraphs_after_it() -> None:
    texts = _texts(NATIONAL_BOOKS)
    assert "全国一般公共预算收入180270亿元，比2019年预算执行数下降5.3%" in texts
    assert "全国财政赤字37600亿元，增加10000亿元" in texts
    # the next paragraph opens with a figure (after a scope phrase): the draft's books go on
    assert any(t.endswith("全国政府性基金预算支出126123亿元，增长38%") for t in texts)
    assert "全国国有资本经营预算支出2615亿元，增长14.3%" in texts
    # the report described is no draft cited, and the minister's review closes the frame
    assert not any("四部分" in t or "6.7万亿元" in t for t in texts)


def test_the_same_figures_without_a_cited_draft_are_results() -> None:
    assert _texts("1-6月累计，全国一般公共预算收入96176亿元，同比下降10.8%。\n") == []
    assert _texts("2019年全国一般公共预算收入执行数为190382亿元，增长3.8%。\n") == []


def test_an_outturn_figure_is_a_review_and_a_change_against_it_is_not() -> None:
    assert goal_grammar.is_review("2019年全国一般公共预算收入执行数为190382亿元。")
    assert not goal_grammar.is_review("全国一般公共预算收入180270亿元，比2019年预算执行数下降5.3%。")
    # 加上调入资金 is no 上调 (a rate raised, a review)
    assert not goal_grammar.is_review("加上调入资金和使用结转结余，全国财政赤字37600亿元。")
    assert goal_grammar.is_review("首套房贷利率下调0.25个百分点。")


def test_only_a_cited_draft_opens_the_frame() -> None:
    assert goal_grammar.cites_budget_draft("根据预算报告，今年我国财政总支出超过43万亿元")
    assert goal_grammar.cites_budget_draft("按照预算，2006年财政重点支持对象如下：")
    assert goal_grammar.cites_budget_draft("2006年我省财政预算草案昨日亮相")
    assert not goal_grammar.cites_budget_draft("财政预算报告由全国一般公共预算等四部分组成")
    assert not goal_grammar.cites_budget_draft("会议书面听取了关于2021年预算草案的报告")


FUJIAN = ("2006年我省财政预算草案昨日亮相，今年我省总财力为607.04亿元。其中省级财力为119.55亿元，比上年增加6.65亿元，"
          "增长5.9%。按照预算，2006年财政重点支持对象如下：\n\n"
          "——统筹使用32.9亿元，支持温福铁路、福厦铁路、龙厦铁路等建设。\n\n"
          "——省级财力统筹安排2.98亿元挖潜改造资金，推动电子信息、生物医药等项目；统筹安排1.54亿元，支持海洋产业发展。\n\n"
          "——省级财政安排科技支出4.65亿元，增长10%。重点支持企业创新、科技资源。\n")


def test_a_drafts_list_of_allocations_gives_each_amount() -> None:
    texts = _texts(FUJIAN)
    assert "今年我省总财力为607.04亿元" in texts
    assert any(t.startswith("其中省级财力为119.55亿元") for t in texts)
    assert any("统筹使用32.9亿元" in t for t in texts)
    assert any("省级财政安排科技支出4.65亿元" in t for t in texts)
    # 安排 is an allocation verb: the noun after the amount is its object (quantity_verbs.txt)
    assert any("统筹安排2.98亿元挖潜改造资金" in t for t in texts)


HENAN = ("2020年 钱花在了这些地方\n\n"
         "支持打好打赢三大攻坚战。统筹各级财政专项扶贫资金192.9亿元，比上年增长26%。\n\n"
         "2021年 钱要重点花在这些方面\n\n"
         "推动产业转型升级。把制造业高质量发展作为主攻方向，省级安排资金48.3亿元，支持加快发展现代产业体系。\n\n"
         "支持实施创新驱动战略。省级安排资金31.4亿元，支持中西部创新高地建设。\n")


def test_a_year_subheading_with_yao_opens_a_plan_and_with_le_a_review() -> None:
    texts = _texts(HENAN)
    assert "省级安排资金48.3亿元" in texts and "省级安排资金31.4亿元" in texts
    assert not any("192.9亿元" in t for t in texts)


def test_a_sentence_opening_on_a_review_period_is_a_result_in_a_plan_part() -> None:
    """gwr_national_2009's plan part looks back on one field (过去的一年，国防和军队现代化建设取得重要进展):
    no rule goal (要 inside 重要 is no future marker); the refitted model had kept it."""
    found = goals.extract(None, goal_model.load_document("gwr_national_2009_wenjiabao.txt"), use_model=False)
    assert not any(g.text.startswith("国防和军队现代化建设取得重要进展") for g in found)
    assert len(found) > 100  # the plan part keeps its goals

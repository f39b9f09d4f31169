"""Batch 19's false goals, by kind, each a word-list rule in ``corpora/goals`` (batch 19 is seen now).

Another body's proposal (拟议税率) and an award announced (拟获资助, 进行公示) are no plan; an effect
forecast (将对…形成支撑), a scheduled event (将在…举行, 将全球首秀), efforts made together (经过…协同努力)
and a government's willingness towards another (愿同…共同努力) are no commitment. The goals beside
them in the same documents stay: the checks run the whole pipeline on the real documents.
"""
from __future__ import annotations

from ingest.document import Document, Page
from nlp import goal_model, goals

WIND_0821 = "news2024_wind_morning_digest_0821.txt"
WIND_0827 = "news2024_wind_morning_digest_0827.txt"
SUBSIDY = "news2021_sina_shenzhen_rd_subsidy_list.txt"


def _found(name: str) -> list[str]:
    return [g.text for g in goals.extract(None, goal_model.load_document(name))]  # type: ignore[arg-type]


def _texts(text: str) -> list[str]:
    document = Document(id="n", source="n.txt", path="n.txt", format="text", title="n", text=text,
                        pages=[Page(1, 0, len(text))])
    return [g.text for g in goals.extract(None, document)]  # type: ignore[arg-type]


def test_another_bodys_proposed_duty_rates_are_no_goals() -> None:
    found = _found(WIND_0821)
    assert not any("拟议税率" in t or "比亚迪17.0%" in t or "36.3%" in t for t in found)
    # the same digest's commitments stay
    assert "将持续优化民营经济发展环境，加快推动出台民营经济促进法" in found
    assert any(t.endswith("我国将进一步鼓励支持民间资本对核电、铁路等重大领域的投资") for t in found)


def test_a_publicised_award_list_is_no_plan() -> None:
    found = _found(SUBSIDY)
    assert not any("拟获资助" in t or "拟资助资金" in t for t in found)


def test_a_plan_still_counts_with_its_own_拟() -> None:
    # 拟 of a plan (not 拟议/拟获) is still a cue
    assert _texts("标题\n\n今年全市拟新建保障性住房5000套，改造老旧小区120个。\n")


def test_forecasts_and_scheduled_events_are_no_commitments() -> None:
    found = _found(WIND_0827)
    assert not any("形成支撑" in t or "平稳增长" in t for t in found)  # 随着…，将对财政收入增长形成支撑；…将平稳增长
    assert not any("剧院举行" in t or "全球首秀" in t for t in found)


def test_efforts_made_together_are_a_review_and_a_willingness_no_goal() -> None:
    assert not any("得到整体缓解" in t for t in _found(WIND_0827))
    assert not any("中方愿同俄方共同努力" in t for t in _found(WIND_0821))


def test_efforts_ahead_still_state_a_goal() -> None:
    # batch 10's 税务部门力争经过5年左右努力…: 经过…努力 looks ahead here, and 力争 is the cue
    found = _texts("标题\n\n税务部门力争经过5年左右努力，基本建成以税收大数据为驱动力的智慧税务。\n")
    assert found and found[0].startswith("税务部门力争经过5年左右努力")
    assert goals._vetoed("经过各方面协同努力，地方政府债务风险得到整体缓解", 6)
    assert not goals._vetoed("经过几年努力，中央预算内经常性建设投资逐步增加到一定规模", 4)


SHENZHEN = "news2025_shenzhen_work_report_targets.txt"


def test_a_news_reports_targets_stay_and_the_anniversary_and_the_comment_beside_them_are_no_goals() -> None:
    found = _found(SHENZHEN)
    assert "全市GDP增长5.5%" in found and "地方一般公共预算收入增长3.0%" in found
    assert not any("45 周年" in t for t in found)  # 2025年是…最后一年，也是深圳经济特区成立 45 周年
    assert not any("并不容易" in t for t in found)  # 报告指出，要实现今年的预期目标并不容易，但…



HUBEI = "gwr2025_hubei_changjiang_daily_digest.txt"


def test_bulleted_targets_under_a_target_heading_are_goals_one_per_target() -> None:
    found = _found(HUBEI)
    assert "●居民收入增长与经济增长同步" in found  # no number: a goal by its place under 主要预期目标
    assert "●单位地区生产总值能耗完成“十四五”国家考核目标" in found
    assert "●城镇调查失业率5.5%左右" in found and "城镇新增就业70万人以上" in found  # one line, two targets
    assert not any("城乡居民收入稳步增长" in t for t in found)  # the bullets of the 2024 review before the heading


def test_a_bullet_line_is_no_heading_but_a_marked_heading_is() -> None:
    text = "■ 2025年经济社会发展的主要预期目标\n\n●居民收入增长与经济增长同步\n"
    assert goals._is_heading(text, 0, text.index("\n"))
    s = text.index("●")
    assert not goals._is_heading(text, s, len(text) - 1)


JINAN = "gwr2025_jinan_report_digest.txt"


def test_a_framing_line_ending_in_a_colon_is_no_goal_nor_joined_to_the_heading_after_it() -> None:
    found = _found(JINAN)
    assert not any(t.startswith("围绕实现年度目标") for t in found)  # 围绕实现年度目标，重点抓好十一个方面工作：\n聚力推进…
    assert "地区生产总值增长5.5%左右" in found  # the targets before it stay
    text = "围绕实现年度目标，重点抓好十一个方面工作：\n聚力推进“项目提升年”，打造高质量发展增长极\n"
    assert goals._spans(text, 0, len(text), goals.SENTENCE_END)[0] == (0, text.index("\n"))


def test_a_named_actors_将健全_is_a_commitment() -> None:
    # 国家能源局相关负责人表示，我国将健全核电项目民资入股工作机制，…营造更加规范透明的制度环境 (batch 19, `v`)
    assert any(t.startswith("我国将健全核电项目民资入股工作机制") for t in _found(WIND_0821))

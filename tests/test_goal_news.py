"""Goals of news items: a 下一步 list opened in running text, an actor's planned amount, the
headline, and reported results that stay no goal (sentences from batches 7, 11 and 14's news)."""
from __future__ import annotations

from ingest.document import Document
from nlp import goals
from tests.text_documents import one_page


def _doc(text: str) -> Document:
    return one_page(text, "n")


NDRC = ("国家发改委：规范推广PPP模式，稳妥开展REITs试点\n\n"
        "8月17日，在国家发改委召开的新闻发布会上，国家发改委新闻发言人孟玮表示，今年1-7月，全国固定资产投资"
        "同比增长10.3%，两年平均增长4.3%。为更好发挥有效投资的关键作用，下一步，国家发改委将会同有关部门和地方，"
        "重点从五个方面抓好补短板稳投资工作：\n\n"
        "二是多措并举稳定制造业投资。一方面，积极支持先进制造业投资，加快补齐产业链供应链短板弱项。\n")


def test_a_next_steps_list_opened_in_running_text_is_goals_its_framing_line_is_not() -> None:
    texts = [g.text for g in goals.from_text(_doc(NDRC))]
    assert "二是多措并举稳定制造业投资" in texts
    assert any(t.endswith("加快补齐产业链供应链短板弱项") for t in texts)
    assert not any("同比增长" in t or "抓好补短板稳投资工作" in t for t in texts)  # statistic, framing line
    assert not any("稳妥开展REITs试点" in t for t in texts)  # the headline


def test_an_actors_planned_amount_in_news_is_a_goal() -> None:
    text = "从河北省水利厅获悉，“十二五”期间，河北省将投资约1000亿元，重点建设四大体系、八大工程。"
    texts = [g.text for g in goals.from_text(_doc(text))]
    assert any(t.startswith("河北省将投资约1000亿元") for t in texts)


def test_reported_results_in_news_are_no_goals() -> None:
    text = ("据统计，截至目前，全省已完成水利投资320亿元。"
            "今年1-7月，民间投资同比增长13.4%。"
            "“十三五”期间，全省累计投资水利建设资金900亿元。"
            "吴忠市计划投资232亿元，完成63.5%；固原市计划投资59亿元，完成58.9%。")  # a plan's progress
    assert goals.from_text(_doc(text)) == []


def test_a_headline_quoting_a_target_is_no_goal_the_lead_after_it_is() -> None:
    text = ("100个“无废城市”要来了，固废处理产业迎来发展“黄金期”\n来源：华夏时报\n"
            "12月15日，生态环境部印发的《“十四五”时期“无废城市”建设工作方案》提出，"
            "将推动100个左右地级及以上城市开展“无废城市”建设。\n")
    texts = [g.text for g in goals.extract(None, _doc(text))]  # type: ignore[arg-type]
    assert texts == ["将推动100个左右地级及以上城市开展“无废城市”建设"]

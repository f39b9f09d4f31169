"""Set nat18 (goalnat18): readings for national texts, each on a real sentence of the set."""
from __future__ import annotations

from ingest.document import Document
from nlp import goals
from tests.text_documents import one_page


def _doc(text: str) -> Document:
    return one_page(text, "n")


def test_a_meeting_demanding_the_years_targets_be_completed_is_a_goal() -> None:
    lede = ("國務院總理李克強5月29日主持召開國務院常務會議，確定《政府工作報告》重點任務分工，要求狠抓政策和工作落實，"
            "完成全年經濟社會發展目標任務。")
    found = [g.text for g in goals.extract(None, _doc(lede))]
    assert any("完成全年經濟社會發展目標任務" in t for t in found)
    # a result (完成了) and a standard met (按照…要求) stay no goal by this cue
    done = "會議要求，各部門要狠抓落實，完成了全年目標任務。"
    assert goals.extract(None, _doc(done)) == []


def test_an_amount_inside_a_programmes_name_is_no_target() -> None:
    line = ("在粮食安全方面，实施新一轮千亿斤粮食产能提升行动，深入推进全国粮油等主要作物大面积单产提升行动，着重稳口粮、"
            "稳玉米、稳大豆，继续扩大油菜面积，着力提高单产，确保粮食产量保持在1.3万亿斤以上。")
    found = [g.text for g in goals.from_text(_doc(line))]
    assert not any("千亿斤粮食产能提升行动" in t for t in found)
    assert any("确保粮食产量保持在1.3万亿斤以上" in t for t in found)  # the target of the same sentence stays

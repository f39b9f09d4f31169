"""A named actor's plan in news with 将 and a manner adverb before the action (将更好统筹…, 将扎实推进…,
将合理调整…) is a goal (``goal_cues.txt``; batches 16-33 label each such clause a goal); a belief with
必将 is not. The sentences are batch 32's and 33's and the dev corpus's."""
from __future__ import annotations

from ingest.document import Document, Page
from nlp import goals


def _rule_texts(text: str) -> list[str]:
    text = "新闻\n\n" + text + "\n"
    return [g.text for g in goals.from_text(Document(id="n", source="n.txt", path="n.txt", format="text", title="n",
                                                      text=text, pages=[Page(1, 0, len(text))]))]


def test_an_actors_plan_with_a_manner_adverb_is_a_goal() -> None:
    texts = _rule_texts("财政部部长刘昆在新闻发布会上表示，2023年财政部将更好统筹疫情防控和经济社会发展，"
                        "推动经济运行整体好转。")
    assert texts == ["2023年财政部将更好统筹疫情防控和经济社会发展，推动经济运行整体好转"]
    assert _rule_texts("此外，中洲镇还将扎实推进生态保护等各项重点工作。") == ["中洲镇还将扎实推进生态保护等各项重点工作"]


def test_a_belief_with_bi_jiang_is_no_goal() -> None:
    assert _rule_texts("各民族和衷共济、和谐发展，中华民族大家庭必将更加幸福安康。") == []

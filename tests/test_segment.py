"""nlp.segment.cut is jieba's accurate-mode cut, word for word, with the domain dictionary loaded."""
from __future__ import annotations

import jieba
import pytest

import corpora
from nlp import segment
from nlp.pipeline import get_nlp, load_user_dict

EDGES = [
    "", " ", "\r\n\r\n", "a  b\t\tc", "x" * 40, "-._%#&+", "ＡＢＣ１２３ 全角",
    "一般公共预算收入1000.5万元，同比增长5.2%。",
    "全面实施预算绩效管理，开展绩效自评和第三方评价",  # dictionary compounds
    "乐陵市铁营镇卞家村的张三丰说",  # names and places outside the dictionary: jieba's HMM
    "COVID-19疫情防控A+B类项目#3&4",
]


def _jieba(text: str) -> list[str]:
    return [w for w in jieba.cut(text) if w]


@pytest.mark.parametrize("text", EDGES)
def test_cut_matches_jieba_on_edge_cases(text):
    load_user_dict()
    assert segment.cut(text) == _jieba(text)


def test_cut_matches_jieba_on_every_sample_text():
    load_user_dict()
    files = [f for f in sorted(corpora.path("samples").iterdir()) if f.suffix in (".txt", ".md")]
    assert files
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert segment.cut(text) == _jieba(text), f.name


def test_pipeline_tokens_are_the_segment_cut():
    text = "全市一般公共预算收入1000万元，增长5.2%。\n\n进一步提高资金使用效益。"
    words = [t.text for t in get_nlp().make_doc(text) if not t.text.isspace()]
    assert words == [w for w in segment.cut(text) if not w.isspace()]

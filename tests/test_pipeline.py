"""The spaCy pipeline: built once, domain dictionary, Chinese sentence boundaries."""
from __future__ import annotations

from ingest.readers import read
from nlp.pipeline import COMPONENTS, analyse, get_nlp
from nlp.sentences import sentence_spans

import corpora


def test_pipeline_is_built_once_with_all_components():
    assert get_nlp() is get_nlp()
    assert tuple(get_nlp().pipe_names) == COMPONENTS


def test_domain_dictionary_keeps_compounds_whole():
    words = [t.text for t in get_nlp().make_doc("全面实施预算绩效管理，开展绩效自评和第三方评价")]
    assert "全面实施预算绩效管理" in words
    assert "绩效自评" in words
    assert "第三方评价" in words


def test_sentences_end_at_chinese_terminators_and_closing_quotes():
    text = "第三方机构开展绩效自评。预算绩效管理很好！他说：“好。”接着；\n\n标题\n正文继续"
    doc = get_nlp()(text)
    assert [s.text.strip() for s in doc.sents] == [
        "第三方机构开展绩效自评。", "预算绩效管理很好！", "他说：“好。”", "接着；", "标题\n正文继续"]


def test_single_line_breaks_are_not_sentence_boundaries():
    text = "烟台市财政局做了许\n多工作。"
    assert sentence_spans(text) == [(0, len(text))]


def test_every_item_points_at_its_own_characters():
    path = corpora.path("samples", "leling_budget_performance_2019.txt")
    document = read(path)
    analysis = analyse(document)
    assert analysis.items, "the 乐陵 sample has figures, goals and entities"
    for item in analysis.items:
        assert document.text[item.start:item.end] == item.text


def test_source_sentence_is_the_figures_own_sentence_capped_for_tables():
    from nlp.pipeline import SENTENCE_CHARS, source_sentence

    text = "第一句没有数字。今年压减资金\n约2亿元，成效明显。第三句。"
    sentences = sentence_spans(text)
    start = text.index("约2亿元")
    assert source_sentence(text, sentences, start, start + 5) == "今年压减资金约2亿元，成效明显。"
    table = "项目 " * 400 + "合计 1,252,300 元"  # no sentence end anywhere
    start = table.index("1,252,300")
    got = source_sentence(table, sentence_spans(table), start, start + 9)
    assert "1,252,300" in got and len(got) <= SENTENCE_CHARS

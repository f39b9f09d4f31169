"""Paragraph joining/splitting on literal strings: the rules, one case each."""
from __future__ import annotations

from ingest.passages import (PassageSettings, attach_headings, is_complete, is_heading, is_label,
                             paragraphs, passage_spans, split_long, starts_as_fragment)


def texts(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[s:e] for s, e in spans]


def test_complete_lines_skip_closing_quotes() -> None:
    assert is_complete("他说：“好。”")
    assert is_complete("各位代表：")
    assert not is_complete("烟台积极探索具有烟台特色的绩效管理新路径,许")


def test_headings_are_short_unfinished_lines_without_inner_sentence_ends() -> None:
    assert is_heading("立足“长效管用” 夯实基础支撑体系")
    assert is_heading("一、2025年工作回顾")
    assert not is_heading("坚持问题导向,树牢有解思维。烟台积极探索新路径,许")  # 。 inside
    assert not is_heading("烟台持续规范财政重点评价组织形式,")  # ends in a comma
    assert not is_heading("当时还正在下雪,孙琳琳一脚踩下去,积雪直接埋到了小腿间,车也被")
    assert not is_heading("x" * 41)
    assert not is_heading("“十五五”时期经济社会发展的")  # dangling particle
    assert not is_heading("从2018年以来，先后出台了")
    assert not is_heading("2.5")  # no letters


def test_dangling_particle_continues_even_into_a_short_line() -> None:
    text = "“十五五”时期经济社会发展的\n主要目标\n是：增长5%左右。\n一、总体要求"
    assert texts(text, paragraphs(text)) == ["“十五五”时期经济社会发展的\n主要目标\n是：增长5%左右。",
                                             "一、总体要求"]


def test_fragment_starts() -> None:
    assert starts_as_fragment("疼。”多次自发参与")
    assert starts_as_fragment("，还有")
    assert not starts_as_fragment("一、总体要求")
    assert not starts_as_fragment("1.财政局本部")
    assert not starts_as_fragment("（一）基本支出")
    assert not starts_as_fragment("多工作走在了全省前列。")


def test_broken_line_across_blank_line_joins_with_exact_span() -> None:
    text = "标题在此\n\n坚持问题导向,树牢有解思维。积极探索新路径,许\n\n多工作走在了全省前列。\n\n下一段。"
    spans = paragraphs(text)
    assert texts(text, spans) == [
        "标题在此",
        "坚持问题导向,树牢有解思维。积极探索新路径,许\n\n多工作走在了全省前列。",
        "下一段。",
    ]


def test_unfinished_paragraph_does_not_swallow_a_heading() -> None:
    prose = "发布会上," + "介绍了烟台的做法" * 6 + "模"
    text = prose + "\n\n立足“长效管用” 夯实基础支撑体系\n\n锚定目标,推动管理。"
    assert texts(text, paragraphs(text)) == [prose, "立足“长效管用” 夯实基础支撑体系", "锚定目标,推动管理。"]


def test_one_paragraph_per_line_text_keeps_lines_apart() -> None:
    text = "政府工作报告\n各位代表：\n现在，我代表省人民政府向大会报告工作。\n一、工作回顾\n过去一年成绩显著。"
    assert texts(text, paragraphs(text)) == text.split("\n")


def test_wrapped_pdf_lines_join_and_full_lines_ending_in_punctuation_continue() -> None:
    w = PassageSettings(wrapped=True)
    line1 = "（一）基本支出预算：区级预算主管部门为保障其机构正常运转而编制的年度基"
    line2 = "本支出计划，包括人员经费和公用经费两部分，人员经费是人员的经费。其中"
    line3 = "公用经费为日常支出。"
    line4 = "（二）项目支出预算。"
    text = "\n".join([line1, line2, line3, line4])
    assert texts(text, paragraphs(text, settings=w)) == ["\n".join([line1, line2, line3]), line4]
    line2 = line2[:-2]  # a full-width line ending in 。 also continues
    text = "\n".join([line1, line2, line3, line4])
    assert texts(text, paragraphs(text, settings=w)) == ["\n".join([line1, line2, line3]), line4]
    # not wrapped: a complete line ends the paragraph whatever its length
    assert len(paragraphs(line2 + "\n" + line3)) == 2  # line2 ends in 。


def test_long_paragraph_splits_at_sentence_ends_within_limits() -> None:
    sentence = "这是一个用于测试的句子，它的长度大约是三十个字符左右。”"
    para = sentence * 40
    settings = PassageSettings(max_chars=200, min_chars=50)
    spans = split_long(para, (0, len(para)), settings)
    assert len(spans) > 1
    assert all(e - s <= 200 for s, e in spans)
    assert "".join(texts(para, spans)) == para  # nothing lost, closing quotes kept with sentence
    assert all(para[s:e].endswith("。”") for s, e in spans)


def test_long_list_without_sentence_ends_splits_at_lines() -> None:
    text = "\n".join(f"第{i}项 ………………………… {i}" for i in range(100))
    spans = passage_spans(text, settings=PassageSettings(wrapped=True))
    assert len(spans) > 1 and all(e - s <= 600 for s, e in spans)


def test_spans_respect_range_offsets() -> None:
    text = "前言不算。\n\n本段一。\n\n本段二。\n\n后记不算。"
    s, e = text.index("本段一"), text.index("后记") - 2
    assert texts(text, paragraphs(text, s, e)) == ["本段一。", "本段二。"]


from hypothesis import given, settings as hsettings, strategies as st  # noqa: E402

ALPHABET = "预算绩效管理许多工作。，、：；！？”“（）\n\n \t1a"


@hsettings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=400), st.booleans(), st.integers(20, 200))
def test_passages_are_ordered_stripped_and_cover_all_visible_text(text: str, wrapped: bool,
                                                                  max_chars: int) -> None:
    spans = passage_spans(text, settings=PassageSettings(wrapped=wrapped, max_chars=max_chars,
                                                         min_chars=10))
    prev = 0
    covered = set()
    for s, e in spans:
        assert prev <= s < e <= len(text)
        assert text[s:e] == text[s:e].strip()
        covered.update(range(s, e))
        prev = e
    assert {i for i, c in enumerate(text) if not c.isspace()} <= covered


JOIN = PassageSettings(join_headings=True)


def test_section_labels_and_intro_lines_are_labels_numbered_items_are_not() -> None:
    assert is_label("（一）政府性基金预算收入情况。")  # numbered, ends in a full stop
    assert is_label("第二章 预算收支范围")
    assert is_label("主要税收收入项目情况如下：")  # introduces what follows
    assert not is_label("8.车辆购置税677亿元，同比下降24.6%。")  # says something
    assert not is_label("第十条 市人民政府应当加强预算绩效管理工作。")
    assert not is_label("一、总体要求\n二、主要目标")  # two lines


def test_headings_join_the_passage_they_introduce() -> None:
    text = ("一、全国一般公共预算收支情况\n（一）一般公共预算收入情况。\n"
            "1-10月，全国一般公共预算收入184981亿元，同比下降1.3%。\n"
            "（二）一般公共预算支出情况。\n1-10月，全国一般公共预算支出221465亿元。\n附表")
    assert texts(text, passage_spans(text, settings=JOIN)) == [
        "一、全国一般公共预算收支情况\n（一）一般公共预算收入情况。\n"
        "1-10月，全国一般公共预算收入184981亿元，同比下降1.3%。",
        "（二）一般公共预算支出情况。\n1-10月，全国一般公共预算支出221465亿元。",
        "附表",  # a heading at the end stays alone
    ]


def test_the_title_block_stays_alone_numbered_labels_after_it_join() -> None:
    text = ("2019年一季度财政收支情况\n2019年4月16日 来源：国库司\n一、全国一般公共预算收支情况\n"
            "1-3月累计，全国一般公共预算收入53656亿元。")
    assert len(passage_spans(text)) == 4  # off by default: every line its own passage
    assert texts(text, passage_spans(text, settings=JOIN)) == [
        "2019年一季度财政收支情况", "2019年4月16日 来源：国库司",
        "一、全国一般公共预算收支情况\n1-3月累计，全国一般公共预算收入53656亿元。"]


def test_heading_stays_alone_when_text_lies_between_or_the_passage_is_full() -> None:
    text = "一、总体要求\n表格内容\n推进改革。"
    spans = [(0, 6), (text.index("推进"), len(text))]  # the table rows are not a span
    assert texts(text, attach_headings(text, spans, JOIN)) == ["一、总体要求", "推进改革。"]
    long = "一、总体要求\n" + "推进改革发展。" * 100
    spans = [(0, 6), (7, len(long))]
    assert attach_headings(long, spans, PassageSettings(max_chars=600, join_headings=True)) == spans

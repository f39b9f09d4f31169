"""Faster scans give exactly the matches of the plain regex they replace, on
any text (Hypothesis draws texts from the characters that matter) and on the
real samples."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from nlp.policy_refs import DOCNUM_RE, docnum_matches, find_doc_numbers

SAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "samples"
# issuer characters, brackets, digits, white space, 第/号 and one character of neither kind
DOCNUM_CHARS = "烟财预发办〔〕[]（）(【】〖〗20193 \n\u3000第号a，"


def _spans(matches) -> list[tuple[int, int, dict]]:
    return [(m.start(), m.end(), m.groupdict()) for m in matches]


@given(st.lists(st.sampled_from(["烟财预〔2023〕5号", "市财政局", "（2019）第12号", "  ", "关于"])
                | st.sampled_from(list(DOCNUM_CHARS)), max_size=80).map("".join))
def test_doc_numbers_found_before_a_bracketed_year_equal_the_regex(text: str) -> None:
    assert _spans(docnum_matches(text)) == _spans(DOCNUM_RE.finditer(text))


def test_doc_numbers_of_real_texts_equal_the_regex() -> None:
    texts = [f.read_text(encoding="utf-8") for f in sorted(SAMPLES.iterdir()) if f.suffix in (".txt", ".md")]
    texts.append("根据财政部财预〔2023〕12号和烟台市人民政府办公室烟政办发\n〔2019〕 第 3 号文件，"
                 "以及一个十三个汉字长的发文机关名称字号（2021）7号")
    for text in texts:
        assert _spans(docnum_matches(text)) == _spans(DOCNUM_RE.finditer(text))
    found = [d.text for d in find_doc_numbers(texts[-1])]
    assert len(found) == 3 and found[0].endswith("财预〔2023〕12号") and found[1].endswith("烟政办发\n〔2019〕 第 3 号")


INDICATOR_PARTS = ["满意度", "覆盖率", "率", "度", "达到", "不低于", "≥", "90", "5.5", "%", "％", "个百分点", "以上",
                   "服务对象", "很长的名称", " ", "\n", "，", "a"]


@given(st.lists(st.sampled_from(INDICATOR_PARTS), max_size=40).map("".join))
def test_text_indicators_sought_near_an_ending_equal_the_regex(text: str) -> None:
    """The same shared scan (:func:`nlp.scan.anchored_matches`) with the indicators' anchor:
    overlapping endings, long names and endings without a target included."""
    from nlp.indicators import _text_matches, _text_pattern

    assert _spans(_text_matches(text)) == _spans(_text_pattern().finditer(text))


def test_text_indicators_of_real_texts_equal_the_regex() -> None:
    from nlp.indicators import _text_matches, _text_pattern

    for f in sorted(SAMPLES.iterdir()):
        if f.suffix in (".txt", ".md"):
            text = f.read_text(encoding="utf-8")
            assert _spans(_text_matches(text)) == _spans(_text_pattern().finditer(text))


WHITE_CHARS = ["烟台市财政局", "预算", " ", "  ", "\n", "\r\n", "\u3000", "\t", "ab", "2023", "，", "。", "x y"]


@given(st.lists(st.sampled_from(WHITE_CHARS), max_size=40).map("".join))
def test_words_and_spaces_of_jiebas_words_equal_finding_each_word(text: str) -> None:
    """The slice-per-line path for jieba's words (they join to the text) gives
    the tokens and spaces of finding each word in the text in turn."""
    import jieba

    from nlp.pipeline import _exact_words_and_spaces, _searched_words_and_spaces, load_user_dict

    load_user_dict()
    words = [w for w in jieba.cut(text) if w]
    assert "".join(words) == text
    assert _exact_words_and_spaces(words, text) == _searched_words_and_spaces(words, text)


def test_words_and_spaces_of_real_texts_equal_finding_each_word() -> None:
    import jieba

    from nlp.pipeline import _exact_words_and_spaces, _searched_words_and_spaces, load_user_dict

    load_user_dict()
    for f in sorted(SAMPLES.iterdir()):
        if f.suffix in (".txt", ".md"):
            text = f.read_text(encoding="utf-8")
            words = [w for w in jieba.cut(text) if w]
            assert _exact_words_and_spaces(words, text) == _searched_words_and_spaces(words, text)


def test_doctype_probabilities_equal_the_pipelines_on_real_heads() -> None:
    """The document type model's probabilities, computed from the fitted parts
    directly, are exactly ``predict_proba``'s on the samples' heads and on odd input."""
    import numpy

    from nlp import doctype

    m = doctype.model()
    heads = [f.read_text(encoding="utf-8")[:doctype.HEAD_CHARS]
             for f in sorted(SAMPLES.iterdir()) if f.suffix in (".txt", ".md")]
    heads += ["\n", "x", "预算", "  \n\n Ａ  ", "本报讯 记者"]
    for head in heads:
        assert (doctype.features(m, head) != m.steps[0][1].transform([head])).nnz == 0
        assert numpy.array_equal(doctype.probabilities(m, head), m.predict_proba([head])[0])


@given(st.text(alphabet=st.characters(max_codepoint=0x4e10) | st.sampled_from(["\ufffd"]), max_size=80))
def test_control_characters_counted_by_the_regex_are_the_ones_defined(text: str) -> None:
    """A text is rejected as binary by its share of control characters (not
    \\t \\n \\v \\f \\r) and replacement characters; the regex counts exactly those."""
    from ingest.text import _CONTROLS

    expected = sum(1 for c in text if (ord(c) < 32 and c not in "\t\n\r\f\v") or c == "\ufffd")
    assert len(_CONTROLS.findall(text)) == expected

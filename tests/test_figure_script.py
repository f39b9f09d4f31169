"""Figures of text in traditional characters (nlp.figures reads it through nlp.script's
simplified view): values as in simplified text, spans, text and subject as written."""
from __future__ import annotations

from nlp import script
from nlp.figures import find_figures

TRADITIONAL = ("“十三五”時期我國將確保建成4億畝、力爭建成6億畝高標準農田；居民消費價格漲幅3%左右；"
               "捐款參萬元整；兌換三千港幣；國內生產總值增長百分之六點八。")


def _facts(figures) -> list[tuple]:
    return [(f.start, f.end, f.kind, f.value, f.unit, f.qualifier, f.change, f.currency)
            for f in figures]


def test_a_traditional_text_gives_the_figures_of_its_simplified_spelling() -> None:
    """畝 and 漲幅 were in no variant list: the view reads them as 亩 and 涨幅."""
    figures = find_figures(TRADITIONAL)
    assert _facts(figures) == _facts(find_figures(script.fold(TRADITIONAL).replace("参", "參")))
    by_text = {f.text: f for f in figures}
    assert by_text["6億畝"].unit == "亩" and by_text["6億畝"].value == 6e8
    assert by_text["3%左右"].change == "increase" and by_text["3%左右"].qualifier == "about"
    assert by_text["參萬元"].value == 30000  # 參 (叁) stays a numeral: 参 would not be one
    assert by_text["三千港幣"].currency == "HKD"
    for f in figures:
        assert TRADITIONAL[f.start:f.end] == f.text  # quoted as written
        assert f.subject is None or f.subject in TRADITIONAL


def test_a_simplified_text_quoting_a_traditional_currency_is_read_too() -> None:
    (figure,) = find_figures("预算新臺幣五百萬元。")
    assert (figure.text, figure.value, figure.currency) == ("五百萬元", 5e6, "TWD")

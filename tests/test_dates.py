"""Dates and years resolved against the document's own date (never the clock)."""
from __future__ import annotations

from nlp import dates


def resolved(text: str, doc_date=None, year=None) -> list[tuple[str, str]]:
    return [(d.text, d.canonical) for d in dates.find_dates(text, doc_date, year)]


def test_partial_dates_take_the_document_year():
    assert resolved("12月22日上午，今年预算比上年增长", None, 2023) == [
        ("12月22日", "2023-12-22"), ("今年", "2023"), ("上年", "2022")]


def test_full_dates_years_and_formats():
    out = dict(resolved("2023年12月22日，2024年度，二〇二三年，2023.12.5，2022年3月"))
    assert out["2023年12月22日"] == "2023-12-22"
    assert out["2024年度"] == "2024"
    assert out["二〇二三年"] == "2023"
    assert out["2023.12.5"] == "2023-12-05"
    assert out["2022年3月"] == "2022"


def test_bare_day_only_with_a_time_of_day():
    out = resolved("22日下午召开，30日内完成", "2023-12-23", 2023)
    assert out == [("22日", "2023-12-22")]


def test_without_a_document_year_nothing_is_guessed():
    out = dates.find_dates("12月22日，今年", None, None)
    assert [(d.text, d.attrs) for d in out] == [("12月22日", {"month": 12, "day": 22})]


def test_invalid_dates_are_not_made_up():
    out = resolved("2023年2月30日", None, 2023)
    assert out == [("2023年2月30日", "2023")]


def test_document_date_from_head_signature_or_name():
    head = "2024年1月26日在广东省第十四届人民代表大会上\n政府工作报告\n" + "正文" * 200
    assert dates.document_date(head) == ("2024-01-26", 2024)
    signed = "通知正文" * 100 + "\n某市财政局\n2022年3月15日\n"
    assert dates.document_date(signed) == ("2022-03-15", 2022)
    # an effective date in the last sentence is not the document's date
    law = "条文" * 200 + "\n第一百零一条 本法自1995年1月1日起施行。"
    assert dates.document_date(law, "law.md", "预算法")[0] is None
    assert dates.document_date("正文", "yantai_2023.txt") == (None, 2023)
    assert dates.document_date("2019年度全市2019年项目，2018年", "x.txt") == (None, 2019)
    assert dates.document_date("没有年份", "x.txt") == (None, None)

"""Lines that only point at what a document says (a heading, a lead-in into a list, a marked
part's name) come after that document's content: for a query that names the document
(财政部 2025年1-2月财政收支情况: its 主要税收收入项目情况如下： and （一）一般公共预算收入情况。 are
no answer), and, headings only, for a question (闵行区2021年一般公共预算支出下降多少？ is not
answered by (一)2021年一般公共预算收支决算情况). A title that states an amount in Chinese
numerals answers. Real text, in a real SQLite store for the query on a report
(docs/search_relevance.md, fifteenth session, helper searchrank15)."""
from __future__ import annotations

from pathlib import Path

import pytest

from search.backend import Query
from search.hybrid import content_first, has_amount, is_heading
from search.sections import heading_for, is_signpost
from search.understand import understand
from tests.search_helpers import OTHER_LINES, CountingEmbedder, add_text

ROOT = Path(__file__).resolve().parent.parent
FOCUS = ROOT / "tests" / "fixtures" / "focus"
MINHANG = ROOT / "corpora" / "goals" / "documents" / "final2021_shanghai_minhang_district_report.txt"


def test_signposts_are_told_from_content():
    for line in ("（一）一般公共预算收入情况。", "主要支出科目情况如下：", "参加对象：", "一、过去五年工作回顾",
                 "(二)部门整体支出绩效目标。"):
        assert is_signpost(line), line
    for line in ("1.教育支出7220亿元，同比下降2.1%。", "一是收入安排积极稳妥。",
                 "第四十三条 对市级决算草案重点审查下列内容：",  # a law's article is content
                 "全区一般公共预算收入331.1亿元,增长11%。"):
        assert not is_signpost(line), line


def test_an_amount_in_chinese_numerals_is_an_amount():
    assert has_amount("2008年1-7月全国财政收入达到四万亿元") and has_amount("增长百分之五左右")
    assert not is_heading("2008年1-7月全国财政收入达到四万亿元")  # the title answers
    assert is_heading("2008年1-7月财政收支情况") and not has_amount("第十一个五年规划")


def _store(tmp_path, monkeypatch, docs):
    from search import sqlite as sqlite_mod
    from search.embed import embed_store
    from search.sqlite import SQLiteBackend

    emb = CountingEmbedder()
    monkeypatch.setattr(sqlite_mod, "load_embedder", lambda: emb)
    backend = SQLiteBackend(tmp_path / "db.sqlite3")
    for name, text, meta in docs:
        add_text(backend, tmp_path, name, text, **meta)
    for i, line in enumerate(OTHER_LINES):
        add_text(backend, tmp_path, f"other{i}.txt", line, title=f"预算报告{i}", year=2012,
                 region="全国", doc_type="budget")
    embed_store(backend, emb)
    return backend


@pytest.fixture()
def monthly(tmp_path, monkeypatch):
    name = "mof_t20250324_3960418.txt"
    backend = _store(tmp_path, monkeypatch, [
        (name, (FOCUS / name).read_text(encoding="utf-8"),
         dict(title="2025年1-2月财政收支情况", year=2025, region="全国", org="财政部",
              doc_type="fiscal_report"))])
    yield backend
    backend.close()


@pytest.mark.parametrize("mode", ["hybrid", "semantic", "lexical"])
def test_a_query_naming_a_report_gets_its_content_before_its_signposts(monthly, mode):
    texts = [h.text.strip() for h in monthly.search(
        Query("财政部 2025年1-2月财政收支情况", mode=mode, limit=10)).hits]
    signs = [i for i, t in enumerate(texts) if is_signpost(t)]
    content = [i for i, t in enumerate(texts) if not is_signpost(t)]
    assert content and signs and max(content) < min(signs), texts


def test_a_question_is_answered_before_the_heading_of_its_section():
    # the order x024 had on store s13: the section heading first, the district's figures second
    lines = [line.strip() for line in MINHANG.read_text(encoding="utf-8").splitlines() if line.strip()]
    heading = "(一)2021年一般公共预算收支决算情况"
    answer = next(line for line in lines if "全区一般公共预算支出402.2亿元" in line)
    texts = {1: heading, 2: answer, 3: "1-5月累计，全国一般公共预算支出93553亿元，同比增长3.6%。"}
    doc_of = {1: "minhang", 2: "minhang", 3: "mof"}
    ranked = [(3.0, 1), (2.0, 2), (1.0, 3)]
    u = understand("闵行区2021年一般公共预算支出下降多少？")
    assert u.question
    assert content_first(ranked, texts, doc_of, u, heading=heading_for(u)) == [(3.0, 2), (2.0, 1), (1.0, 3)]
    # a question keeps a lead-in where it was (older sets count one that names the list asked for)
    lead = {1: "部门预算草案初步审查的主要内容：", 2: answer, 3: texts[3]}
    assert content_first(ranked, lead, doc_of, u, heading=heading_for(u)) == ranked

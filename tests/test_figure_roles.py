"""What an amount is (role), which amounts a total may add (in_total), table
headers and classification codes; totals through the real extractor, a real
SQLite index and the comparison."""
from __future__ import annotations

import pytest

from ingest.document import Document, Page, Passage, Table
from nlp.figure_roles import FISCAL, ROLES, role_rules
from nlp.figures import extract
from nlp.items import Analysis, DocumentMeta
from search.backend import Filter, ItemQuery
from search.compare import compare
from search.sqlite import SQLiteBackend


def _text_doc(text: str, name: str = "t.txt", title: str = "") -> Document:
    return Document(id=name[:16].ljust(16, "0"), source=name, path=name, format="text",
                    title=title, text=text, passages=[Passage(0, 0, len(text))])


def money(text: str, title: str = "") -> dict[str, tuple[str, bool]]:
    return {f.text: (f.role, f.in_total) for f in extract(None, _text_doc(text, title=title))
            if f.kind == "money"}


def test_the_vocabulary_names_known_roles_only() -> None:
    assert set(role_rules().words.values()) <= set(ROLES)
    assert set(FISCAL) < set(ROLES)


@pytest.mark.parametrize("text, figure, role", [
    ("全省地区生产总值14.58万亿元。", "14.58万亿元", "economic"),
    ("社会消费品零售总额4.6万亿元。", "4.6万亿元", "economic"),
    ("进出口总额突破8万亿元。", "突破8万亿元", "economic"),
    ("地方一般公共预算收入1.39万亿元。", "1.39万亿元", "revenue"),
    ("全年一般公共预算支出2.1万亿元。", "2.1万亿元", "spent"),
    ("中央预算内投资安排5076亿元。", "5076亿元", "investment"),
    ("中央财政赤字预算拟安排1800亿元。", "1800亿元", "debt"),
    ("今年安排资金500万元。", "500万元", "budgeted"),
    ("人大事务（款）支出2340.35万\n元，与上年相比减少128.43万元。", "128.43万元", "spent"),
    ("全年再减少企业税负3500亿元左右。", "3500亿元左右", "cut"),
    ("安排地方专项债券8000亿元。", "8000亿元", "debt"),
    ("中央对地方转移支付5.6万亿元。", "5.6万亿元", "transfer"),
    ("完成铁路建设投资8000亿元。", "8000亿元", "investment"),
    ("补助标准由每人每年120元提高到200元。", "200元", "per_unit"),
    ("居民人均可支配收入提高到5.4万元。", "5.4万元", "economic"),
    ("他捐了300元。", "300元", "other"),
])
def test_role_from_the_words_before_the_figure(text: str, figure: str, role: str) -> None:
    assert money(text)[figure][0] == role


def test_in_total_counts_fiscal_yuan_once() -> None:
    text = ("地区生产总值5000亿元，一般公共预算收入300亿元，比上年增加20亿元。"
            "其中税收收入200亿元。全年一般公共预算收入300亿元。援助1000万美元。"
            "基本建设投资从50亿元提高到80亿元。")
    got = [(f.text, f.role, f.in_total) for f in extract(None, _text_doc(text)) if f.kind == "money"]
    assert got == [
        ("5000亿元", "economic", False),  # never summed
        ("300亿元", "revenue", True),  # the first statement ...
        ("20亿元", "revenue", False),  # the size of a change
        ("200亿元", "revenue", False),  # a part (其中) of the 300亿元
        ("300亿元", "revenue", False),  # ... and its restatement
        ("1000万美元", "other", False),  # another currency
        ("50亿元", "investment", False), ("80亿元", "investment", True),  # from 50 to 80
    ]


def test_spent_in_a_budget_document_is_budgeted() -> None:
    assert money("行政运行支出938.99万元。", title="2025年单位预算")["938.99万元"][0] == "budgeted"
    assert money("行政运行支出938.99万元。", title="2024年度部门决算")["938.99万元"][0] == "spent"


def _table_doc() -> Document:
    text = ("收入支出预算总表 单位：元\n科目编码 科目名称 合计 基本支出\n"
            "208 05 99 其他行政事业单位养老支出 13,260.00 13,260.00\n"
            "210 11 行政事业单位医疗 881,803.00 881,803.00\n"
            "合计 895,063.00 895,063.00\n")
    table = Table(page=1, caption="收入支出预算总表 单位：元",
                  rows=[["科目编码", None, None, "科目名称", "合计", "基本支出"],
                        ["208", "05", "99", "其他行政事业单位养老支出", "13,260.00", "13,260.00"],
                        ["210", "11", "", "行政事业单位医疗", "881,803.00", "881,803.00"],
                        ["合计", "", "", "", "895,063.00", "895,063.00"]])
    return Document(id="b" * 16, source="b.pdf", path="b.pdf", format="pdf", title="单位预算",
                    text=text, pages=[Page(1, 0, len(text))], tables=[table],
                    passages=[Passage(0, 0, len(text), page=1)])


def test_table_codes_are_no_figures_and_cells_carry_their_headers() -> None:
    figs = [f for f in extract(None, _table_doc()) if f.kind == "money"]
    assert all(f.value >= 1000 for f in figs)  # 208, 05, 99, 210, 11 are codes
    first = next(f for f in figs if f.text == "13,260.00")
    assert (first.row_header, first.col_header, first.table_unit) == ("其他行政事业单位养老支出", "合计", "元")
    assert first.role == "budgeted" and first.in_total is False  # a part of the table
    totals = [f for f in figs if f.in_total]
    assert [(f.text, f.row_header) for f in totals] == [("895,063.00", "合计")]  # its first cell only


def test_comparison_adds_fiscal_roles_only_one_column_each(tmp_path) -> None:
    b = SQLiteBackend(tmp_path / "x.sqlite3")
    text = ("全市地区生产总值5000亿元。一般公共预算收入300亿元，其中税收收入200亿元。"
            "一般公共预算支出400亿元。全年一般公共预算收入300亿元。")
    doc = _text_doc(text, "city.txt")
    items = extract(None, doc)
    b.add(doc, Analysis(items=items, meta=DocumentMeta(org="某市政府", year=2024)))
    t = compare(b, "org", "money")
    cols = [c.key for c in t.columns]
    assert cols == ["money:spent", "money:revenue"]  # no column for GDP
    row = t.rows["某市政府"]
    assert row["money:revenue"].value == 3e10 and row["money:revenue"].count == 1
    assert row["money:spent"].value == 4e10
    # the cell's query lists exactly the figure behind it
    page = b.query_items(ItemQuery(type="figure", filters=[Filter(*f) for f in
                                                           row["money:revenue"].query["filters"]]))
    assert page.total == 1
    b.close()


def test_role_filter_in_the_api_and_the_cli(tmp_path, monkeypatch) -> None:
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from api.app import create_app
    from api.cli import app

    b = SQLiteBackend(tmp_path / "policylens.sqlite3")
    doc = _text_doc("全市地区生产总值5000亿元。一般公共预算收入300亿元。", "city.txt")
    b.add(doc, Analysis(items=extract(None, doc), meta=DocumentMeta(org="某市政府")))
    with TestClient(create_app(backend=b)) as client:
        res = client.get("/api/figures", params={"role": "economic"})
        assert res.status_code == 200
        assert [(i["text"], i["role"]) for i in res.json()["items"]] == [("5000亿元", "economic")]
        csv_text = client.get("/api/figures.csv", params={"role": "revenue"}).content.decode("utf-8-sig")
        assert "role" in csv_text.splitlines()[0] and "300亿元" in csv_text and "5000亿元" not in csv_text
    b.close()
    monkeypatch.setenv("POLICYLENS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("POLICYLENS_ES_URL", raising=False)  # the SQLite file above, not the engine
    out = CliRunner().invoke(app, ["figures", "--role", "revenue", "--json"])
    assert out.exit_code == 0, out.output
    assert '"300亿元"' in out.output and "5000亿元" not in out.output


def _typed_doc(doc_type: str):
    """A spaCy Doc as the pipeline hands it to figures: the entities component
    has set the document's type (nlp.pipeline registers the extensions)."""
    import spacy

    import nlp.pipeline  # noqa: F401 - registers Doc._.meta

    doc = spacy.blank("xx")("x")
    doc._.meta = DocumentMeta(doc_type=doc_type)
    return doc


BUDGET_TEXT = ("某局2024年度收入、支出预算总计1000万元，与上年相比增加50万元。"
               "基本支出预算600万元，项目支出预算400万元。"
               "“三公”经费预算12.5万元，机关运行经费预算80万元，政府采购预算总额120万元。")


def test_one_bodys_budget_adds_its_whole_not_its_parts(tmp_path) -> None:
    doc = _text_doc(BUDGET_TEXT, "bureau.txt")
    items = extract(_typed_doc("budget"), doc)
    counted = [(f.text, f.role) for f in items if f.kind == "money" and f.in_total]
    assert counted == [("1000万元", "budgeted")]  # 三公经费, 基本支出 ... are parts of it
    b = SQLiteBackend(tmp_path / "x.sqlite3")
    b.add(doc, Analysis(items=items, meta=DocumentMeta(org="某局", year=2024, doc_type="budget")))
    row = compare(b, "org", "money").rows["某局"]
    assert row["money:budgeted"].value == 1e7 and row["money:budgeted"].count == 1
    b.close()


def test_a_work_report_adds_its_separate_amounts() -> None:
    # not one body's accounts: the amounts are not parts of one whole
    items = extract(_typed_doc("work_report"), _text_doc(BUDGET_TEXT))
    assert sum(1 for f in items if f.kind == "money" and f.in_total) > 1


@pytest.mark.parametrize("text, figure, role", [
    ("提前实现农村中小学生人均公用经费500元的目标。", "500元", "per_unit"),  # 人均 before 经费
    ("粳稻每50公斤提高10元。", "10元", "per_unit"),
    ("全员劳动生产率从人均8.7万元提高到12万元以上。", "12万元以上", "economic"),  # not per unit
    ("每年安排资金500万元。", "500万元", "budgeted"),  # 每年: a yearly budget, not a price
    ("筹措133.25亿元实施科教惠民工程。", "133.25亿元", "budgeted"),
    ("支持制造业发展的减税降费及退税超300亿元。", "超300亿元", "cut"),
    ("外商直接投资累计达到149.6亿美元。", "149.6亿美元", "economic"),
    ("降低利息负担约2000亿元。", "约2000亿元", "cut"),
    ("发放消费券超7亿元。", "超7亿元", "spent"),
])
def test_role_words_of_the_labelled_sample(text: str, figure: str, role: str) -> None:
    assert money(text)[figure][0] == role


def test_an_amount_no_word_explains_is_budget_money_in_a_budget() -> None:
    text = "电费183.95万元。"
    assert money(text)["183.95万元"][0] == "other"
    items = extract(_typed_doc("budget"), _text_doc(text))
    assert [f.role for f in items if f.kind == "money"] == ["budgeted"]
    items = extract(_typed_doc("final_accounts"), _text_doc(text))
    assert [f.role for f in items if f.kind == "money"] == ["spent"]


@pytest.mark.parametrize("text, figure, role", [
    # a revenue noun before 预算 names the money; 预算 only says it is planned
    ("本年收入预算合计28849.38万元。", "28849.38万元", "revenue"),
    # a change with no noun of its own is a change of the amount before it
    ("政府性基金收入预算10万元，与上年相比增加2万元。", "2万元", "revenue"),
    ("拟安排财政赤字1.2万亿元，比去年预算增加4000亿元。", "4000亿元", "debt"),
    # an item of a list is a part of what the list's head names
    ("本年收入预算合计100万元，其中：一般公共预算收入90万元，占90%；其他资金10万元，占10%。", "10万元", "revenue"),
    # a budget word in an earlier clause does not make a payment planned
    ("零基预算改革纵深推进，兑付资金64.5亿元。", "64.5亿元", "spent"),
    ("医疗卫生与计划生育支出2462亿元，增长13.3%。", "2462亿元", "spent"),  # 计划生育 is a name
    # a weak verb before, a noun after: what the money is for
    ("中央财政还将安排150亿元，增加对产粮大县和财政困难县的转移支付。", "150亿元", "transfer"),
    ("7.出口退税3340亿元，同比多退561亿元。", "3340亿元", "revenue"),  # a line of tax revenue
    ("力争新增科技贷款1000亿元以上。", "1000亿元以上", "economic"),  # bank credit, not public debt
    ("全年收取政府信息公开信息处理费3940元。", "3940元", "revenue"),
])
def test_role_mechanisms_of_the_third_sample(text: str, figure: str, role: str) -> None:
    assert money(text)[figure][0] == role


def test_a_revenue_column_wins_over_a_spending_row() -> None:
    from nlp.figure_roles import table_role
    assert table_role("社会保障和就业支出", "收入预算 / 合计", None) == "revenue"
    assert table_role("一般公共服务支出", "财政拨款收入", None) == "revenue"
    assert table_role("一般公共服务支出", "支出预算 / 合计", None) == "budgeted"


def test_the_whole_rule_needs_a_stated_total() -> None:
    # a work report taken for a budget (the type is wrong): no 总计/合计, so its
    # separate amounts all stay in totals instead of all but the largest
    text = "安排就业资金30亿元。安排教育资金50亿元。安排卫生资金20亿元。"
    items = extract(_typed_doc("budget"), _text_doc(text))
    assert sorted(f.value for f in items if f.kind == "money" and f.in_total) == [2e9, 3e9, 5e9]
    # with a stated total, the parts leave
    items = extract(_typed_doc("budget"), _text_doc("收支预算总计100亿元。" + text))
    assert [f.value for f in items if f.kind == "money" and f.in_total] == [1e10]


@pytest.mark.parametrize("text, figure, role", [
    ("由我局申请400.00万元以上基本建设项目的评审经费。", "400.00万元以上", "per_unit"),
    ("建安工程投资费用3000.00万元及以下的财务竣工决算审计由区财政局负责。", "3000.00万元及以下", "per_unit"),
    ("统筹安排省级财政资金350亿元以上，实施稳经济举措。", "350亿元以上", "budgeted"),  # an amount
])
def test_a_bound_on_the_noun_after_it_is_a_threshold(text: str, figure: str, role: str) -> None:
    assert money(text)[figure][0] == role


@pytest.mark.parametrize("text, figure, role", [
    # a noun after the figure belongs to the next amount when that amount's clause holds it
    ("争取国家政策性资金超千亿元，发行地方政府专项债券资金1327亿元支持项目建设。", "超千亿元", "transfer"),
    # a budget word in a later clause does not make a payment planned
    ("中央财政五年支出551亿元，受灾群众生产生活得到妥善安排。", "551亿元", "spent"),
    ("省属公办普通高校生均经费增加1000元。", "1000元", "per_unit"),  # 生均 as 人均
    ("去年全国财政比年度预算超收7239亿元。", "7239亿元", "revenue"),
])
def test_role_mechanisms_of_the_fourth_sample(text: str, figure: str, role: str) -> None:
    assert money(text)[figure][0] == role


def test_a_caption_naming_revenue_wins_over_a_spending_row() -> None:
    from nlp.figure_roles import table_role
    assert table_role("卫生健康支出", None, "2025年部门收入预算总表") == "revenue"
    assert table_role("卫生健康支出", None, "2025年部门支出预算总表") == "budgeted"

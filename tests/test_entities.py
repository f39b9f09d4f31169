"""Organisations, policy references, document numbers, metadata and spaCy ents,
on the real samples and small real texts."""
from __future__ import annotations

import functools
from pathlib import Path

import pytest

from ingest.document import Document
from ingest.readers import read
from nlp import orgs, policy_refs
from nlp.entities import analyse_text

SAMPLES = Path(__file__).resolve().parent.parent / "corpora" / "samples"
YANTAI = "yantai_daily_budget_performance_2023.txt"
LELING = "leling_budget_performance_2019.txt"
WANLI = "budget2023_shanghai_putuo_wanli_subdistrict_dept.pdf"
TEXT_SAMPLES = [YANTAI, LELING, "gwr2026_guizhou.txt", "law_budget_law_2018.md"]


@functools.lru_cache(maxsize=None)
def analysed(name: str):
    doc = read(SAMPLES / name)
    return doc, analyse_text(doc)


def doc_of(text: str, title: str = "") -> Document:
    return Document(id="t", source="t.txt", path="t.txt", format="text", title=title, text=text)


def canonicals(name: str, type_: str = "org") -> set[str]:
    return {i.canonical for i in analysed(name)[1].items if i.type == type_}


def test_yantai_orgs_have_canonical_names():
    names = canonicals(YANTAI)
    for expected in ("烟台市财政局", "烟台市城市管理局", "九三学社烟台市委员会",
                     "烟台市卫生健康委员会", "烟台市发展和改革委员会", "烟台市税务局"):
        assert expected in names, expected
    # 市城市管理局 in a 烟台 document is completed from the document's region
    raw = {(i.text, i.canonical) for i in analysed(YANTAI)[1].items if i.type == "org"}
    assert ("市城市管理局", "烟台市城市管理局") in raw


def test_leling_and_wanli_orgs():
    assert {"乐陵市残疾人联合会", "乐陵市财政局"} <= canonicals(LELING)
    raw = {i.text for i in analysed(LELING)[1].items if i.type == "org"}
    assert "乐陵市残联" in raw
    assert "上海市普陀区人民政府万里街道办事处" in canonicals(WANLI)


def test_third_party_is_a_role():
    found = orgs.find_orgs("严格选聘第三方机构开展评价", ["山东省", "烟台市"])
    assert [(o.text, o.attrs.get("role")) for o in found] == [("第三方机构", True)]


def test_budget_code_prefix_is_not_part_of_the_org():
    text = "219-上海市普陀区人民政府万里街道办事处（本级）"
    [org] = orgs.find_orgs(text)
    assert org.text == "上海市普陀区人民政府万里街道办事处"
    assert text[org.start:org.end] == org.text


def test_bare_level_character_inside_a_word_is_not_an_org():
    # 区 ends 社区 here, 市 ends 超市: neither starts an organisation name
    assert orgs.find_orgs("大海阳社区党群服务中心对面，超市财政局", ["山东省", "烟台市"]) == []
    # but after punctuation a bare 市 does, completed from the document's region
    [o] = orgs.find_orgs("，市财政局", ["山东省", "烟台市"])
    assert o.canonical == "烟台市财政局"


def test_enumerated_functions_share_the_region():
    found = orgs.find_orgs("郭家街道党委联合市人社局、教育局和扶贫办开展活动", ["山东省", "德州市", "乐陵市"])
    by_text = {o.text: o.canonical for o in found}
    assert by_text["市人社局"] == "乐陵市人力资源和社会保障局"
    assert by_text["教育局"] == "乐陵市教育局"


def test_short_forms_expand():
    found = orgs.find_orgs("省发改委、省卫健委", ["湖南省"])
    assert [o.canonical for o in found] == ["湖南省发展和改革委员会", "湖南省卫生健康委员会"]


@pytest.mark.parametrize("name", TEXT_SAMPLES + [WANLI])
def test_every_item_points_at_its_text(name):
    doc, res = analysed(name)
    assert res.items
    for it in res.items:
        assert doc.text[it.start:it.end] == it.text, it
        if doc.format == "pdf":
            assert it.page == doc.page_at(it.start)


def test_every_document_number_in_the_samples_is_found():
    expected = {YANTAI: {"烟发〔2020〕8号", "烟财〔2023〕10号"},
                WANLI: {"沪府规【2016】168号", "普发改投【2017】89号"}}
    for name, numbers in expected.items():
        found = {i.text for i in analysed(name)[1].items if i.type == "doc_number"}
        assert found == numbers
    for name in TEXT_SAMPLES[1:]:
        assert not [i for i in analysed(name)[1].items if i.type == "doc_number"]


@pytest.mark.parametrize("text,issuer,year,serial", [
    ("根据湘政办发[2020]12号文件", "湘政办发", 2020, 12),
    ("见上会湘报字(2022)第0001号报告", "上会湘报字", 2022, 1),
    ("依据烟财〔2023〕10号", "烟财", 2023, 10),
    ("按照财预［2021］5 号", "财预", 2021, 5),
])
def test_document_numbers_in_all_bracket_styles(text, issuer, year, serial):
    [d] = policy_refs.find_doc_numbers(text)
    assert d.attrs == {"issuer": issuer, "year": year, "serial": serial}
    assert text[d.start:d.end] == d.text and d.text.startswith(issuer)


def test_budget_codes_and_dates_are_not_document_numbers():
    text = "科目编码2130599，219-万里街道，2023年12月22日，(2022)年度，第十条，电话0535-6688123。"
    assert policy_refs.find_doc_numbers(text) == []


def test_title_and_number_are_linked():
    text = "深入贯彻落实《关于全面落实预算绩效管理的实施意见》(烟发〔2020〕8号)精神"
    refs = policy_refs.find_policy_refs(text, policy_refs.find_doc_numbers(text))
    title = next(r for r in refs if r.text.startswith("《"))
    assert title.attrs["doc_number"] == "烟发〔2020〕8号" and title.attrs["year"] == 2020
    number = next(r for r in refs if r.text == "烟发〔2020〕8号")
    assert number.attrs["title"] == "关于全面落实预算绩效管理的实施意见"


def test_wrapper_and_nested_titles():
    text = "市财政局关于印发《某市专项资金管理办法》的通知，及《关于修改〈中华人民共和国预算法〉的决定》"
    refs = policy_refs.find_policy_refs(text, [])
    assert refs[0].text == "关于印发《某市专项资金管理办法》的通知"
    assert refs[0].canonical == "某市专项资金管理办法"
    assert refs[1].canonical == "关于修改〈中华人民共和国预算法〉的决定"
    # a letter or a show is not a policy
    assert policy_refs.find_policy_refs("开出《就业介绍信》，节目《我们的赛场》", []) == []


def test_metadata_of_the_samples():
    meta = analysed(LELING)[1].meta
    assert (meta.region, meta.region_path) == ("乐陵市", ["山东省", "德州市", "乐陵市"])
    assert meta.year == 2019 and meta.org == "乐陵市财政局" and meta.doc_type == "news"
    meta = analysed(YANTAI)[1].meta
    assert meta.region == "烟台市" and meta.year == 2023 and meta.date == "2023-12-22"
    law = analysed("law_budget_law_2018.md")[1].meta
    assert law.doc_type == "law" and law.region == "全国" and law.date == "2018-12-29"


def test_bad_input_is_normal_input():
    for text in ("", "   \n\n", "《", "〔2023〕号", "市", "\x00\ufffd"):
        res = analyse_text(doc_of(text))
        assert all(text[i.start:i.end] == i.text for i in res.items)


def test_spacy_ents_are_set_without_overlap():
    from nlp.pipeline import analyse, make_doc
    from nlp import entities

    text = "烟台市财政局印发《烟台市预算绩效管理办法》(烟财〔2023〕10号)，12月22日在芝罘区召开会议。"
    document = doc_of(text)
    doc = make_doc(document)
    entities.extract(doc, document)
    labels = {(e.text, e.label_) for e in doc.ents}
    assert ("烟台市财政局", "ORG") in labels
    assert ("芝罘区", "GPE") in labels
    assert any(lbl == "LAW" for _, lbl in labels) and any(lbl == "DATE" for _, lbl in labels)
    toks = [t for e in doc.ents for t in range(e.start, e.end)]
    assert len(toks) == len(set(toks))
    # and the whole pipeline keeps the entity items
    types = {i.type for i in analyse(document).items}
    assert {"org", "region", "policy_ref", "doc_number", "date"} <= types


def test_entity_eval_reports_precision_and_recall(capsys):
    from nlp import entity_eval

    scores, _ = entity_eval.evaluate("labelled_entities.jsonl")
    assert scores["org"].precision >= 0.8 and scores["org"].recall >= 0.7
    assert scores["policy_ref"].precision >= 0.8 and scores["policy_ref"].recall >= 0.8
    entity_eval.report(show_errors=False)
    out = capsys.readouterr().out
    assert "org" in out and "policy_ref" in out and "precision" in out


def test_government_compounds_and_national_offices():
    found = orgs.find_orgs("郑州市金水区人民政府办公室印发《金水区政府投资项目管理办法》", [])
    assert [o.text for o in found] == ["郑州市金水区人民政府办公室"]
    [tax] = orgs.find_orgs("国家税务总局青岛市税务局与", [])
    assert tax.text == "国家税务总局青岛市税务局"
    assert [o.canonical for o in orgs.find_orgs("省交通运输厅和区民政局", ["四川省", "成都市", "武侯区"])] == [
        "四川省交通运输厅", "成都市武侯区民政局"]


def test_org_names_wrapped_across_pdf_lines():
    text = "2. 上海市普陀区万里街\n道社区事务受理服务中心。"
    [o] = orgs.find_orgs(text)
    assert o.text == "上海市普陀区万里街\n道社区事务受理服务中心" == text[o.start:o.end]
    assert o.canonical == "上海市普陀区万里街道社区事务受理服务中心"


def test_work_report_is_issued_by_the_government_not_the_congress():
    """The congress in a work report's head is its audience: 国务院 / X人民政府 issue it."""
    from ingest.readers import read
    from nlp.entities import analyse_text

    import corpora

    national = analyse_text(read(corpora.path("samples", "gwr_national_2017.txt"))).meta
    assert (national.doc_type, national.org) == ("work_report", "国务院")
    province = analyse_text(read(corpora.path("samples", "gwr2026_guangdong.txt"))).meta
    assert province.org == "广东省人民政府"
    law = analyse_text(read(corpora.path("samples", "law_budget_law_2018.md"))).meta
    assert law.org == "全国人民代表大会"  # a law is issued by the congress

"""A query that names a year or a region: a same-topic document of another
year or region is penalised (search.understand.meta_boost), and the penalty
counts in the fused score (search.hybrid.fuse), not only in the lexical
order. Real paragraphs of the bench corpus in a real SQLite store."""
from __future__ import annotations

from pathlib import Path

import pytest

from search import sqlite as sqlite_mod
from search.backend import Query
from search.embed import embed_store
from search.hybrid import fuse
from search.sqlite import SQLiteBackend
from search.understand import (REGION_BOOST, YEAR_BOOST, describe, ground, meta_boost, meta_matches,
                               understand)
from tests.search_helpers import CharEmbedder
from tests.search_helpers import add_text as _add

HUNAN = "湖南省2026年政府工作总体要求"
DEFENCE = "1990年政府工作报告 国防教育"

# paragraphs quoted whole from the bench corpus (../shared/bench-corpus/NAME)
HUNAN_TEXT = (  # gwr2026_hunan.txt
    "今年工作的总体要求是：以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十"
    "大和二十届历次全会以及中央经济工作会议精神，深入贯彻落实习近平总书记关于湖南工作"
    "的重要讲话和指示批示精神，坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，积"
    "极服务和融入新发展格局，锚定“三高四新”美好蓝图，着力推动高质量发展，全方位扩大"
    "内需，持续发展新质生产力，更好统筹发展和安全，着力稳就业、稳企业、稳市场、稳预期"
    "，推动经济实现质的有效提升和量的合理增长，保持社会和谐稳定，实现“十五五”良好开"
    "局。"
)
NINGXIA_TEXT = (  # gwr2026_ningxia.txt
    "政府工作总体要求是：坚持以习近平新时代中国特色社会主义思想为指导，以习近平总书记"
    "考察宁夏重要讲话精神为根本遵循，深入贯彻党的二十大和二十届历次全会及中央经济工作"
    "会议精神，全面落实自治区党委部署，完整准确全面贯彻新发展理念，加快融入和服务新发"
    "展格局，坚持稳中求进工作总基调，以推动高质量发展为主题，以铸牢中华民族共同体意识"
    "为主线，以黄河流域生态保护和高质量发展先行区建设为牵引，以满足人民日益增长的美好"
    "生活需要为根本目的，更好统筹发展和安全，着力落实“四稳”要求，坚定实施“五大战略"
    "”，力争经济发展实现“五个新突破”、整体工作实现“六个开新局”，为完成“十五五”"
    "规划目标任务打下坚实基础。"
)
Y1990_TEXT = (  # gwr_national_1990_lipeng.txt
    "中国人民解放军是我国人民民主专政的坚强柱石。各级政府要进一步关心和支持军队的各项"
    "建设和改革，积极主动地帮助他们解决各种实际问题。根据新时期的特点，不断丰富和发展"
    "拥军优属、拥政爱民活动的内容和形式，增强军民团结和军政团结。学习解放军的优良品德"
    "和光荣传统，在全社会深入进行国防教育，树立“居安思危”的思想，增强全民的国防观念"
    "。同时，要进一步加强国防建设，增强国防实力，推动国防现代化事业稳步前进。"
)
Y1998_TEXT = (  # gwr_national_1998_lipeng.txt
    "加强国防和军队建设，是国家安全和现代化建设的重要保证。各级政府要大力支持人民解放"
    "军的建设和改革，支持军队加强质量建设，走有中国特色的精兵之路。要按期完成三年内裁"
    "减军队员额五十万的任务。妥善安置转业退伍军人。积极进行国防工业的调整和改革。重视"
    "国防科研工作，逐步改进武器装备，提高军队在现代技术特别是高技术条件下的防卫作战能"
    "力。开展国防教育，增强全民国防观念，做好民兵预备役工作。广泛开展拥军优属、拥政爱"
    "民和军民共建活动。加强人民武装警察部队和公安、国家安全部门的建设。"
)
Y1995_OPENING = (  # gwr_national_1995_lipeng.txt
    "现在，我代表国务院向大会作政府工作报告，请予审议，并请全国政协各位委员提出意见。"
)
Y1995_ANSWER = (  # gwr_national_1995_lipeng.txt
    "深化教育改革，加快发展教育事业。认真实施《中国教育改革和发展纲要》，进一步落实教"
    "育优先发展的战略地位。切实抓好基础教育，特别是九年义务教育和扫除青壮年文盲的工作"
    "。义务教育要以政府财政投入为主，多渠道筹措资金。继续调整教育结构，逐步形成初等、"
    "中等、高等普通教育和职业教育的合理比例。大力发展职业教育，有计划地实行初中后、高"
    "中后的分流，目前还不能普及九年义务教育的地方，也要进行必要的职业教育。加强成人教"
    "育和职业培训，实行职业资格证书制度。高等教育实行中央和省级政府两级办学、两级管理"
    "的体制，通过调整、改革和联合共建，逐步过渡到以省级为主。继续办好一批重点大学和重"
    "点学科。鼓励社会力量办学，以调动各方面办学的积极性。从中央到地方，各级政府都要继"
    "续增加教育投入。各类学校都要充分利用现有条件，努力提高教学质量和办学效率，合理配"
    "置和有效利用教育资源。积极稳妥地推进高等学校、中等及中等以上各类职业学校招生、收"
    "费和毕业生就业制度的改革，建立和完善奖学金、贷学金制度。对家庭经济特别困难的学生"
    "要给予适当帮助，有条件的学校要组织勤工俭学。各类学校都要认真贯彻德、智、体全面发"
    "展的方针。加强和改进德育工作，家庭和社会要紧密配合，创造有利于青少年健康成长的环"
    "境。改革考试方法和考试制度，改变学生片面为应付考试而读书的现象，切实减轻中小学生"
    "过重的课业负担。要在全社会形成尊师重教的良好风尚，认真办好各级师范教育，进一步加"
    "强中青年教师队伍建设，改善教师工作条件和生活待遇，继续解决民办教师转正的问题。"
)


def test_another_region_or_year_is_a_contradiction_a_national_document_is_not():
    u = understand(HUNAN)
    assert (u.year, u.region) == (2026, "湖南省")
    ningxia = {"year": 2026, "region": "宁夏回族自治区", "region_path": ["宁夏回族自治区"]}
    changsha = {"year": 2026, "region": "长沙市", "region_path": ["湖南省", "长沙市"]}
    national = {"year": 2026, "region": "全国", "region_path": []}
    assert meta_matches(u, ningxia)["region_other"] == 1.0
    assert meta_matches(u, changsha)["region"] == 1.0
    assert meta_matches(u, changsha)["region_other"] == 0.0
    assert meta_matches(u, national)["region_other"] == 0.0
    # the same year: the year's lift, divided by the region's factor
    assert meta_boost(u, ningxia) == pytest.approx((1 + YEAR_BOOST) / (1 + REGION_BOOST))
    old = understand(DEFENCE)
    assert meta_boost(old, {"year": 1998, "doc_type": "work_report"}) < 1.0
    assert meta_boost(old, {"year": 1990, "doc_type": "work_report"}) > 1.0


def test_a_penalty_below_one_counts_in_the_lexical_part_of_the_fusion():
    # lexical 1st is another year's (its boost 1/1.6), the named year's passage
    # is lexical 2nd; neither is in the semantic list. When the penalty only
    # ordered the lexical list, the other year's passage kept its first place
    lex, sem = [(9.0, 1), (8.0, 2)], [(0.9, 3)]
    ranked = [r for _, r in fuse(lex, sem, 1.0, {1: 1 / 1.6, 2: 1.0, 3: 1.0}, "hybrid")]
    assert ranked[:2] == [2, 1]
    # a lift above one stays on the semantic part only, as before
    lifted = dict((r, s) for s, r in fuse(lex, sem, 0.5, {1: 1.0, 2: 2.0}, "hybrid"))
    plain = dict((r, s) for s, r in fuse(lex, sem, 0.5, {1: 1.0, 2: 1.0}, "hybrid"))
    assert lifted[1] == pytest.approx(plain[1])
    assert lifted[2] - plain[2] == pytest.approx(plain[2] - 1.0 / 62)


@pytest.fixture()
def store(tmp_path):
    backend = SQLiteBackend(tmp_path / "db.sqlite3")
    _add(backend, tmp_path, "gwr2026_hunan.txt", HUNAN_TEXT,
         title="2026年湖南省政府工作报告", year=2026, region="湖南省",
         region_path=["湖南省"], doc_type="work_report")
    _add(backend, tmp_path, "gwr2026_ningxia.txt",
         NINGXIA_TEXT, title="2026年宁夏回族自治区政府工作报告",
         year=2026, region="宁夏回族自治区", region_path=["宁夏回族自治区"],
         doc_type="work_report")
    _add(backend, tmp_path, "gwr_national_1990_lipeng.txt",
         Y1990_TEXT, title="1990年政府工作报告",
         year=1990, region="全国", doc_type="work_report")
    _add(backend, tmp_path, "gwr_national_1998_lipeng.txt",
         Y1998_TEXT, title="1998年政府工作报告",
         year=1998, region="全国", doc_type="work_report")
    yield backend
    backend.close()


@pytest.mark.parametrize("mode", ["lexical", "hybrid", "semantic"])
@pytest.mark.parametrize("query,doc", [(HUNAN, "gwr2026_hunan.txt"),
                                       (DEFENCE, "gwr_national_1990_lipeng.txt")])
def test_the_named_region_or_year_comes_first(store, monkeypatch, mode, query, doc):
    emb = CharEmbedder()
    monkeypatch.setattr(sqlite_mod, "load_embedder", lambda: emb)
    embed_store(store, emb)
    hits = store.search(Query(query, limit=5, mode=mode)).hits
    assert hits and Path(hits[0].doc).name == doc


def test_the_document_type_typed_is_no_topic():
    # 政府 工作 报告 of the query are the document type the boost counts: the
    # report's opening words hold them and nothing of higher education
    from search.hybrid import metadata_only
    from search.query import parse
    from search.tokenize import normalize

    query = "1995年政府工作报告对高等教育管理体制怎么说"
    opening = Y1995_OPENING
    answer = Y1995_ANSWER
    rows = [(1, normalize(opening)), (2, normalize(answer))]
    assert metadata_only(parse(query), understand(query), rows) == frozenset({1})


# a province's report on 台湾 affairs; the national one says less of it
FUJIAN_TAIWAN = ("深化两岸融合发展，扩大台湾职业资格采认范围，台湾职业资格采认工作走在前列，"
                 "便利同胞来闽就业创业。")
NATIONAL_TAIWAN = "深化两岸融合发展，扩大台湾职业资格采认范围，健全青年交流交往合作机制，便利同胞来大陆就业创业。"
BUDGET_LINES = ("一般公共预算收入完成情况良好。", "税收收入稳定增长。", "非税收入有所下降。",
                "政府性基金预算支出下降。", "社会保险基金收支平衡。", "国有资本经营预算收入增长。")


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_a_region_no_stored_document_is_of_is_a_topic_not_a_contradiction(tmp_path, monkeypatch, mode):
    # 台湾 named in the query, no document of 台湾: 福建's report answers best and
    # is not demoted as "another region" below the national one. Once a 台湾
    # document is stored, the region is weighed again (and 福建 contradicts it)
    emb = CharEmbedder()
    monkeypatch.setattr(sqlite_mod, "load_embedder", lambda: emb)
    backend = SQLiteBackend(tmp_path / "db.sqlite3")
    _add(backend, tmp_path, "fujian.txt", FUJIAN_TAIWAN, title="2026年福建省政府工作报告",
         year=2026, region="福建省", region_path=["福建省"], doc_type="work_report")
    _add(backend, tmp_path, "national.txt", NATIONAL_TAIWAN, title="2026年政府工作报告",
         year=2026, region="全国", doc_type="work_report")
    for i, line in enumerate(BUDGET_LINES):  # other passages, so that the terms weigh
        _add(backend, tmp_path, f"budget{i}.txt", line, title=f"预算报告{i}", year=2025,
             region="全国", doc_type="budget")
    embed_store(backend, emb)
    query = Query("台湾职业资格采认", limit=5, mode=mode)
    res = backend.search(query)
    assert res.understood["region"] == "台湾省" and res.understood["unheld"] == ["region"]
    assert "未加权" in describe(res.understood)
    assert [Path(h.doc).name for h in res.hits[:2]] == ["fujian.txt", "national.txt"]
    _add(backend, tmp_path, "taiwan.txt", "台湾地区物价指数。", title="台湾省统计资料",
         year=2025, region="台湾省", region_path=["台湾省"], doc_type="news")
    embed_store(backend, emb)  # (a document of the named region that is not embedded yet keeps fusion)
    res = backend.search(query)
    assert "unheld" not in res.understood
    if mode == "lexical":
        assert [Path(h.doc).name for h in res.hits[:2]] == ["national.txt", "fujian.txt"]
    else:  # a 台湾 document is pooled: hybrid ranks as semantic mode does (document_focus),
        # where 福建's contradiction divides its cosine
        assert [(h.doc, h.text) for h in res.hits] == [
            (h.doc, h.text) for h in backend.search(Query(query.text, limit=5,
                                                         mode="semantic")).hits]
    backend.close()


def test_an_unheld_year_or_region_is_not_weighed():
    u = understand("2030年广东省政府工作总体要求")
    ningxia = {"year": 2026, "region": "宁夏回族自治区", "region_path": ["宁夏回族自治区"]}
    assert meta_boost(u, ningxia) < 1.0
    grounded = ground(understand("2030年广东省政府工作总体要求"), lambda kind, value, path: False)
    assert grounded.unheld == ("year", "region")
    assert meta_boost(grounded, ningxia) == 1.0
    held = ground(understand("2030年广东省政府工作总体要求"), lambda kind, value, path: kind == "year")
    assert held.unheld == ("region",) and meta_matches(held, ningxia)["year_other"] == 1.0

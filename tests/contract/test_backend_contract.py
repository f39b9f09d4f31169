"""Behaviour every backend must show (see ``search.backend.Backend``)."""
from __future__ import annotations

import dataclasses

import pytest

from nlp.items import Analysis, DocumentMeta, Figure
from search.backend import MAX_LIMIT, MAX_QUERY_CHARS, Filter, ItemQuery, Query
from tests.contract.conftest import LELING, YANTAI, leling, make_document, yantai


def docs_of(result):
    return [h.doc for h in result.hits]


# ---- add / unchanged / replaced / atomicity -------------------------------------------


def test_add_then_same_again_is_unchanged(backend):
    d, a = yantai()
    assert backend.add(d, a).status == "ingested"
    assert backend.is_current(d.path, d.id)
    assert backend.add(d, a).status == "unchanged"
    assert backend.stats()["documents"] == 1
    assert backend.stats()["passages"] == len(d.passages)


def test_changed_file_replaces_old_version(backend):
    d, a = yantai()
    backend.add(d, a)
    new = make_document("yantai.txt", YANTAI + "新增一段关于揭榜挂帅的内容。\n", path=d.path)
    assert not backend.is_current(new.path, new.id)
    res = backend.add(new, Analysis())
    assert res.status == "replaced" and res.doc_id == new.id
    assert backend.get_document(d.id) is None
    assert backend.stats()["documents"] == 1
    assert backend.stats()["items"] == 0
    assert docs_of(backend.search(Query("揭榜挂帅"))) == ["yantai.txt"]


def test_failure_mid_add_keeps_previous_state(backend):
    d, a = yantai()
    backend.add(d, a)
    before = backend.stats()
    new = make_document("yantai.txt", YANTAI + "另一版本。\n", path=d.path)
    bad = Figure(start=0, end=2, text=new.text[:2], kind="money", value=1.0, unit="元")
    bad.context = {"oops": object()}  # cannot be serialised: add must fail as a whole
    with pytest.raises(Exception):
        backend.add(new, Analysis(items=[bad]))
    after = backend.stats()
    assert (after["documents"], after["passages"], after["items"]) == (
        before["documents"], before["passages"], before["items"])
    assert backend.get_document(d.id) is not None
    assert backend.get_document(new.id) is None
    assert backend.search(Query("另一版本")).hits == []


def test_new_analysis_version_reanalyses_the_same_file(backend):
    """After an upgrade the same file is analysed again and replaces its stored
    analysis in place (same id, so links keep working); the same version again
    is unchanged."""
    d, a = yantai()
    assert backend.add(d, a, "v1").status == "ingested"
    assert backend.is_current(d.path, d.id, "v1") and backend.is_current(d.path, d.id)
    assert not backend.is_current(d.path, d.id, "v2")
    assert backend.add(d, a, "v1").status == "unchanged"
    fewer = Analysis(items=a.items[:1], meta=a.meta)
    res = backend.add(d, fewer, "v2")
    assert res.status == "reanalysed" and res.doc_id == d.id
    assert backend.is_current(d.path, d.id, "v2")
    stored = backend.get_document(d.id)
    assert stored["version"] == "v2" and len(stored["items"]) == 1
    s = backend.stats()
    assert (s["documents"], s["passages"], s["items"]) == (1, len(d.passages), 1)
    hits = backend.search(Query("第三方", limit=50)).hits
    assert len(hits) == 1  # the stale rows are gone, not found twice


def test_unversioned_store_is_reanalysed_once(backend):
    """Documents stored before versions existed (no version) count as stale."""
    d, a = yantai()
    backend.add(d, a)
    assert not backend.is_current(d.path, d.id, "v1")
    assert backend.add(d, a, "v1").status == "reanalysed"
    assert backend.add(d, a, "v1").status == "unchanged"


def test_failed_reanalysis_keeps_the_stored_analysis(backend):
    d, a = yantai()
    backend.add(d, a, "v1")
    before = backend.stats()
    bad = Figure(start=0, end=2, text=d.text[:2], kind="money", value=1.0, unit="元")
    bad.context = {"oops": object()}
    with pytest.raises(Exception):
        backend.add(d, Analysis(items=[bad]), "v2")
    after = backend.stats()
    assert (after["documents"], after["passages"], after["items"]) == (
        before["documents"], before["passages"], before["items"])
    assert backend.get_document(d.id)["version"] == "v1"
    assert backend.is_current(d.path, d.id, "v1")


# ---- search --------------------------------------------------------------------------


@pytest.mark.parametrize("q,doc", [("预算", "yantai.txt"), ("扶贫", "leling.txt"),
                                    ("贫", "leling.txt"), ("揭榜", None)])
def test_two_and_one_character_queries(loaded, q, doc):
    res = loaded.search(Query(q, limit=20))
    if doc is None:
        assert res.hits == [] and res.total == 0
        return
    assert doc in docs_of(res)
    for h in res.hits:
        assert q in h.text
        assert all(h.text[s:e] == q for s, e in h.highlights)


def test_hit_is_whole_passage_with_offsets(loaded):
    res = loaded.search(Query("低效无效资金"))
    h = res.hits[0]
    doc = loaded.get_document(h.doc_id)
    assert h.text == doc["text"][h.start:h.end]
    assert h.text == "委托深耕绩效领域的第三方机构参与评价，压减低效无效资金3000万元。"
    assert [h.text[s:e] for s, e in h.highlights] == ["低效无效资金"]


def test_substring_across_jieba_words(loaded):
    # "算绩" is not a jieba word: the character grams still find it
    res = loaded.search(Query("算绩"))
    assert res.total >= 2
    assert all("算绩" in h.text for h in res.hits)


def test_phrase_is_exact_run(loaded):
    res = loaded.search(Query('"绩效管理一体化"'))
    assert [h.text for h in res.hits] == ["力争到2025年全面建成预算和绩效管理一体化体系。"]
    h = res.hits[0]
    assert [h.text[s:e] for s, e in h.highlights] == ["绩效管理一体化"]


def test_exclusion(loaded):
    with_it = loaded.search(Query("绩效管理", limit=50))
    assert any("扶贫" in h.text for h in with_it.hits)
    res = loaded.search(Query("绩效管理 -扶贫", limit=50))
    assert res.hits and all("扶贫" not in h.text for h in res.hits)
    assert res.total == with_it.total - sum("扶贫" in h.text for h in with_it.hits)


def test_synonyms_at_query_time(loaded):
    # 预算资金 is a synonym of 财政资金 (corpora/search/synonyms.txt)
    res = loaded.search(Query("预算资金"))
    assert "进一步提高财政资金使用效益。" in [h.text for h in res.hits]


def test_long_question_finds_passage(loaded):
    res = loaded.search(Query("乐陵全年安排了多少扶贫资金？"))
    assert res.hits[0].text == "乐陵市将扶贫资金纳入绩效管理，全年安排扶贫资金800万元。"


def test_more_of_the_query_ranks_higher(loaded):
    res = loaded.search(Query("第三方 绩效评价 调减"))
    assert res.hits[0].text == "根据第三方绩效评价结果调减低效资金。"


def test_a_learned_model_reranks_lexical_results_in_every_store(loaded, tmp_path, monkeypatch):
    # the learned ranker (corpora/search/ranker.json) ranks alike in both stores: a model
    # that reads only a passage's place in its document (negated) puts the latest first
    import json

    import numpy as np

    from search import ranker

    q = Query("绩效", limit=50, mode="lexical")
    path = tmp_path / "ranker.json"  # no file: the hand-set ranking
    monkeypatch.setattr(ranker, "model_path", lambda: path)
    ranker._models.cache_clear()
    hand = [h.passage for h in loaded.search(q).hits]
    model = ranker.LinearModel(("first",), np.zeros(1), np.ones(1), np.array([-1.0]))
    path.write_text(json.dumps({"models": {"lexical": model.to_json()}}), encoding="utf-8")
    ranker._models.cache_clear()
    try:
        places = [h.passage for h in loaded.search(q).hits]
    finally:
        ranker._models.cache_clear()
    assert len(set(hand)) >= 3 and hand[0] != max(hand)  # the hand-set order is another one
    assert sorted(places) == sorted(hand) and places[0] == max(places)


@pytest.mark.parametrize("q", ['"预算', 'AND', 'OR 预算', '预算 NEAR(绩效', '预*', '^预算', 'grams:预算',
                               "'; DROP TABLE passages; --", "。。，！", "", "   ", '-', '""', '-"',
                               "预算" * 2000, 'NOT 扶贫', '(预算', 'words:"x"', "\x00预算"])
def test_malformed_queries_never_raise(loaded, q):
    res = loaded.search(Query(q))
    assert isinstance(res.hits, list) and res.total >= len(res.hits)
    assert loaded.stats()["passages"] == 9  # nothing was dropped


def test_query_length_is_capped(loaded):
    q = "预" * (MAX_QUERY_CHARS + 10) + "扶贫"
    res = loaded.search(Query(q))
    assert all("扶贫" not in h.text or "预" in h.text for h in res.hits)


# ---- filters, facets, paging, sorting ------------------------------------------------


def test_filters_on_document_fields(loaded):
    res = loaded.search(Query("资金", limit=50, filters=[Filter("region", "eq", "乐陵市")]))
    assert res.hits and set(docs_of(res)) == {"leling.txt"}
    res = loaded.search(Query("资金", limit=50, filters=[Filter("year", "gte", 2020)]))
    assert set(docs_of(res)) == {"yantai.txt"}
    res = loaded.search(Query("资金", limit=50, filters=[Filter("doc", "in", ["leling.txt"])]))
    assert set(docs_of(res)) == {"leling.txt"}


def test_filter_on_item_type(loaded):
    res = loaded.search(Query("资金", limit=50, filters=[Filter("type", "eq", "goal")]))
    assert [h.text for h in res.hits] == ["进一步提高财政资金使用效益。"]


def test_facets(loaded):
    res = loaded.search(Query("资金", limit=1, facets=["region", "year", "doc_type", "type"]))
    assert res.facets["region"] == {"烟台市": 3, "乐陵市": 2}
    assert res.facets["year"] == {"2023": 3, "2019": 2}
    assert res.facets["doc_type"] == {"news": 5}
    assert res.facets["type"]["figure"] == 3
    assert res.total == 5 and len(res.hits) == 1


def test_total_is_exact_up_to_the_cap_then_at_least(loaded, monkeypatch):
    # like Elasticsearch's track_total_hits: counted exactly up to TOTAL_CAP, then
    # "at least TOTAL_CAP"; "资金" is in 5 passages (3 in yantai, 2 in leling)
    monkeypatch.setattr("search.backend.TOTAL_CAP", 2)
    many = loaded.search(Query("资金", limit=10))
    assert (many.total, many.total_relation) == (2, "gte")
    assert len(many.hits) == 5  # the cap bounds the count, never the hits
    assert many.total_text() == "2 条以上"
    few = loaded.search(Query("扶贫", limit=10))
    assert (few.total, few.total_relation, len(few.hits)) == (1, "eq", 1)
    assert few.total_text() == "共 1 条"
    yantai_only = loaded.search(Query("资金", filters=[Filter("region", "eq", "烟台市")]))
    assert (yantai_only.total, yantai_only.total_relation) == (2, "gte")
    leling_only = loaded.search(Query("资金", filters=[Filter("region", "eq", "乐陵市")]))
    assert (leling_only.total, leling_only.total_relation) == (2, "eq")
    with_facets = loaded.search(Query("资金", limit=1, facets=["region"]))  # facets: exact
    assert (with_facets.total, with_facets.total_relation) == (5, "eq")
    assert with_facets.facets["region"] == {"烟台市": 3, "乐陵市": 2}


def test_paging_is_consistent(loaded):
    full = loaded.search(Query("资金", limit=10))
    pages = [loaded.search(Query("资金", limit=2, offset=o)) for o in (0, 2, 4)]
    assert [h.text for p in pages for h in p.hits] == [h.text for h in full.hits]
    assert all(p.total == full.total for p in pages)
    assert len(loaded.search(Query("资金", limit=10_000)).hits) <= MAX_LIMIT


def test_sort_by_year(loaded):
    res = loaded.search(Query("资金", limit=10, sort="year"))
    years = [h.meta["year"] for h in res.hits]
    assert years == sorted(years)
    res = loaded.search(Query("资金", limit=10, sort="-year"))
    assert [h.meta["year"] for h in res.hits] == sorted(years, reverse=True)


# ---- items ---------------------------------------------------------------------------


def test_query_items_filters_sort_paging(loaded):
    page = loaded.query_items(ItemQuery(type="figure", filters=[Filter("kind", "eq", "money")],
                                        sort="-value"))
    assert [i["value"] for i in page.items] == [1.25e9, 3e7, 8e6]
    assert page.total == 3
    assert all(i["doc"] in ("yantai.txt", "leling.txt") and i["doc_id"] for i in page.items)
    page2 = loaded.query_items(ItemQuery(type="figure", sort="value", limit=1, offset=1))
    assert page2.total == 4 and [i["value"] for i in page2.items] == [8e6]
    vague = loaded.query_items(ItemQuery(type="goal", filters=[Filter("vague", "eq", True)]))
    assert [i["text"] for i in vague.items] == ["进一步提高财政资金使用效益"]
    by_text = loaded.query_items(ItemQuery(text="一体化"))
    assert by_text.total == 1 and by_text.items[0]["type"] == "goal"
    by_doc = loaded.query_items(ItemQuery(filters=[Filter("region", "eq", "乐陵市")]))
    assert by_doc.total == 3


def test_many_exclusions_of_one_field_are_answered(loaded):
    """A comparison leaves out each document that restates another's money by one
    ``doc_id ne`` filter (search.compare.repeated_documents): 1,100 of them, past
    SQLite's expression depth (1,000) and the engine's clause limit (1,024), which
    refused the query; both stores answer, as one ``NOT IN`` / ``terms``."""
    d, _ = yantai()
    others = [f"{k:016x}" for k in range(1100)]
    kept = [Filter("kind", "eq", "money"), *(Filter("doc_id", "ne", x) for x in others)]
    page = loaded.query_items(ItemQuery(type="figure", filters=kept, sort="-value"))
    assert [i["value"] for i in page.items] == [1.25e9, 3e7, 8e6]
    gone = [*kept, Filter("doc_id", "ne", d.id)]
    assert {i["doc"] for i in loaded.query_items(ItemQuery(type="figure", filters=gone)).items} == {"leling.txt"}
    by_org = loaded.aggregate_items(ItemQuery(type="figure", filters=gone), "doc", "sum:value")
    assert [(r["key"], r["count"]) for r in by_org] == [("leling.txt", 1)]


def test_items_keep_their_source(loaded):
    d, _ = yantai()
    for item in loaded.get_document(d.id)["items"]:
        assert d.text[item["start"]:item["end"]] == item["text"]


def test_item_hits_name_their_passage(loaded):
    """An item hit links to its passage (the web pages and CSV use it): the passage
    index it carries is the passage that holds the item's characters."""
    items = loaded.query_items(ItemQuery(limit=100)).items
    assert items
    for item in items:
        doc = loaded.get_document(item["doc_id"])
        passage = next(p for p in doc["passages"] if p["index"] == item["passage"])
        assert passage["start"] <= item["start"] < passage["end"]


def test_aggregate_items(loaded):
    counts = loaded.aggregate_items(ItemQuery(), "region", "count")
    assert {r["key"]: r["value"] for r in counts} == {"烟台市": 4, "乐陵市": 3}
    sums = loaded.aggregate_items(ItemQuery(type="figure", filters=[Filter("kind", "eq", "money")]),
                                  "region", "sum:value")
    assert {r["key"]: r["value"] for r in sums} == {"烟台市": 1.28e9, "乐陵市": 8e6}
    share = loaded.aggregate_items(ItemQuery(type="goal"), "region", "share:vague")
    assert {r["key"]: r["value"] for r in share} == {"烟台市": 0.5, "乐陵市": 0.0}
    avg = loaded.aggregate_items(ItemQuery(type="figure"), "year", "avg:value")
    assert {r["key"]: r["value"] for r in avg}[2019] == pytest.approx((8e6 + 80) / 2)


def _split_set(rows):
    return {(r["key"], r["split"], r["value"], r["count"]) for r in rows}


def test_aggregate_items_split_groups_by_two_fields(loaded):
    """Two-field grouping (one comparison column per split value) gives exactly
    what one ``aggregate_items`` call per split value gives, the backend's own
    implementation and the composed default alike; items without a split value
    are left out."""
    from search.backend import Backend

    for query, by, split, metric in (
            (ItemQuery(type="figure"), "region", "kind", "sum:value"),
            (ItemQuery(), "region", "type", "count"),
            (ItemQuery(type="goal"), "year", "type", "share:vague")):
        rows = loaded.aggregate_items_split(query, by, split, metric)
        assert _split_set(rows) == _split_set(Backend.aggregate_items_split(
            loaded, query, by, split, metric))
        expected = set()
        for s in loaded.aggregate_items(query, split, "count"):
            if s["key"] in (None, ""):
                continue
            q = ItemQuery(type=query.type, filters=[Filter(split, "eq", s["key"])])
            expected |= {(r["key"], s["key"], r["value"], r["count"])
                         for r in loaded.aggregate_items(q, by, metric)}
        assert _split_set(rows) == expected and expected
    counts = loaded.aggregate_items_split(ItemQuery(), "region", "type", "count")
    assert sum(r["count"] for r in counts) == 7


def test_generation_moves_on_every_write(backend):
    """Caches of derived data key on the generation: every add and delete must
    change it (a store that cannot tell says None, and nothing is cached)."""
    g0 = backend.generation()
    if g0 is None:
        pytest.skip("this store has no generation counter")
    d, a = yantai()
    backend.add(d, a)
    g1 = backend.generation()
    assert g1 != g0
    backend.delete_document(d.id)
    assert backend.generation() not in (g0, g1)


def test_bad_filter_field_is_a_clear_error(loaded):
    with pytest.raises(ValueError):
        loaded.query_items(ItemQuery(filters=[Filter("x; DROP TABLE items", "eq", 1)]))
    with pytest.raises(ValueError):
        loaded.query_items(ItemQuery(filters=[Filter("kind", "like", "x")]))
    with pytest.raises(ValueError):
        loaded.query_items(ItemQuery(filters=[Filter("kind", "eq", {"$gt": 1})]))
    with pytest.raises(ValueError):
        loaded.search(Query("资金", facets=["no_such_facet"]))
    with pytest.raises(ValueError):
        loaded.search(Query("资金", filters=[Filter("nope", "eq", 1)]))
    assert loaded.stats()["items"] == 7


# ---- documents, stats ----------------------------------------------------------------


def test_get_list_delete_documents(loaded):
    d, a = leling()
    got = loaded.get_document(d.id)
    assert got["text"] == LELING and got["doc"] == "leling.txt"
    assert got["region"] == "乐陵市" and got["year"] == 2019
    assert [p["text"] for p in got["passages"]] == LELING.strip().split("\n")
    assert len(got["items"]) == len(a.items)
    docs, total = loaded.list_documents()
    assert total == 2 and sorted(x["doc"] for x in docs) == ["leling.txt", "yantai.txt"]
    docs, total = loaded.list_documents(filters=[Filter("region", "eq", "烟台市")])
    assert total == 1 and docs[0]["doc"] == "yantai.txt"
    docs, total = loaded.list_documents(limit=1, offset=1)
    assert total == 2 and len(docs) == 1
    assert loaded.delete_document(d.id) is True
    assert loaded.delete_document(d.id) is False
    assert loaded.get_document(d.id) is None
    assert loaded.search(Query("扶贫")).hits == []
    s = loaded.stats()
    assert (s["documents"], s["passages"], s["items"]) == (1, 5, 4)


def test_the_pages_read_by_ocr_are_recorded_with_the_document(backend):
    """``get_document`` says which pages the reader OCR'd (``meta["ocr_pages"]``),
    in every store; a document without scanned pages says none."""
    d, a = yantai()
    d.meta["ocr_pages"] = [1]
    backend.add(d, a)
    other, b = leling()
    backend.add(other, b)
    assert backend.get_document(d.id)["ocr_pages"] == [1]
    assert backend.get_document(other.id)["ocr_pages"] == []


def test_get_missing_document(backend):
    assert backend.get_document("0" * 16) is None
    assert backend.stats()["documents"] == 0
    assert backend.search(Query("预算")).hits == []


def test_hit_json_shape(loaded):
    h = loaded.search(Query("扶贫")).hits[0]
    j = h.to_json()
    assert {"doc", "text", "start", "end", "score", "highlights"} <= set(j)
    assert j["region"] == "乐陵市"
    assert dataclasses.asdict(h)["text"] == j["text"]


def test_real_pdf_sample_pages_and_highlights(backend):
    readers = pytest.importorskip("ingest.readers")
    from pathlib import Path

    pdf = (Path(__file__).resolve().parents[2] / "corpora" / "samples"
           / "budget2025_shanghai_putuo_finance_bureau_dept.pdf")
    document = readers.read(pdf)
    assert backend.add(document, Analysis()).status == "ingested"
    res = backend.search(Query("三公经费", limit=5))
    assert res.hits, "the department budget explains its 三公 expenses"
    for h in res.hits:
        assert h.doc == pdf.name and h.page is not None and h.page >= 1
        assert h.text == document.text[h.start:h.end]
        assert h.highlights
        assert {h.text[s:e] for s, e in h.highlights} <= {"三公经费", "“三公”经费"}


# ---- newspaper pages: the article is the unit of metadata --------------------------------


def test_articles_of_a_newspaper_page_carry_their_own_org(backend):
    """The 烟台 page: the budget article is about 烟台市财政局, the snow-clearing
    report about 烟台市税务局; filters, facets and hits say so per article."""
    from ingest.readers import read
    from nlp.pipeline import analyse

    import corpora

    document = read(corpora.path("samples", "yantai_daily_budget_performance_2023.txt"))
    backend.add(document, analyse(document))

    snow = backend.search(Query("清雪", limit=50, facets=["org"]))
    assert "烟台市税务局" in snow.facets["org"]
    assert "烟台市财政局" not in snow.facets["org"]  # the budget article never mentions 清雪

    taxes = backend.search(Query("清雪", limit=50, filters=[Filter("org", "eq", "烟台市税务局")]))
    assert taxes.hits
    assert all(h.meta["org"] == "烟台市税务局" for h in taxes.hits)
    assert all("清雪除冰" in h.meta["article"] for h in taxes.hits)

    budget = backend.search(Query("第三方机构", filters=[Filter("org", "eq", "烟台市财政局")]))
    assert any("选取20家" in h.text and "第三方机构" in h.text for h in budget.hits)
    assert all(h.meta["article"].startswith("烟台在全省率先提出") for h in budget.hits)


def test_the_region_named_beats_the_same_topic_of_another_region(backend):
    # real paragraphs of two 2026 work reports: Ningxia's holds more of the query's
    # words (政府工作总体要求), Hunan's is the one asked for (the region typed)
    from tests.test_search_meta_penalty import HUNAN, HUNAN_TEXT, NINGXIA_TEXT

    for name, text, region in (("gwr2026_hunan.txt", HUNAN_TEXT, "湖南省"),
                               ("gwr2026_ningxia.txt", NINGXIA_TEXT, "宁夏回族自治区")):
        meta = DocumentMeta(title=f"2026年{region}政府工作报告", doc_type="work_report",
                            region=region, region_path=[region], year=2026)
        backend.add(make_document(name, text), Analysis(meta=meta))
    assert docs_of(backend.search(Query(HUNAN, limit=5, mode="lexical")))[0] == "gwr2026_hunan.txt"


SECTIONED = (
    "2013政府工作报告\n"
    "现在，我代表国务院，向大会报告过去五年的政府工作，并对今年工作提出建议。\n"
    "一、过去五年工作回顾\n"
    "第十一届全国人民代表大会第一次会议以来的五年，是极不平凡的五年。\n"
    "一是有效应对国际金融危机，促进经济平稳较快发展。\n"
    "二是加快经济结构调整，提高经济发展的质量和效益。\n"
    "二、今年经济社会发展的总体要求\n"
    "党的十八大科学总结了过去五年的工作。\n"
)


def test_a_query_naming_a_section_gets_its_passages_in_every_store(backend):
    # search.sections: each store reads the passages after the matching heading itself
    doc = make_document("gwr_national_2013.txt", SECTIONED)
    backend.add(doc, Analysis(meta=DocumentMeta(title="2013政府工作报告", doc_type="work_report",
                                                region="全国", year=2013)))
    for name, text in (("yantai.txt", YANTAI), ("leling.txt", LELING)):
        backend.add(make_document(name, text), Analysis())
    hits = backend.search(Query("2013年政府工作报告 过去五年工作回顾", limit=3,
                                mode="lexical")).hits
    assert [h.text[:4] for h in hits] == ["第十一届", "一是有效", "二是加快"]
    assert [h.passage for h in hits] == [3, 4, 5]


TITLED = (
    "2025年1-2月财政收支情况\n"
    "2025年3月24日 来源：国库司\n"
    "一、全国一般公共预算收支情况\n"
    "（一）一般公共预算收入情况。\n"
    "1-2月，全国一般公共预算收入43856亿元，同比下降1.6%。\n"
    "（二）一般公共预算支出情况。\n"
    "1-2月，全国一般公共预算支出45096亿元，同比增长3.4%。\n"
)


def test_a_query_naming_a_report_by_its_title_gets_its_body_in_every_store(backend):
    # search.sections: a title over the report's parts opens the whole report, read by each store
    for year in (2024, 2025):
        doc = make_document(f"mof_{year}.txt", TITLED.replace("2025", str(year)))
        backend.add(doc, Analysis(meta=DocumentMeta(
            title=f"{year}年1-2月财政收支情况", doc_type="fiscal_report", region="全国",
            org="财政部", year=year)))
    for name, text in (("yantai.txt", YANTAI), ("leling.txt", LELING)):
        backend.add(make_document(name, text), Analysis())
    hits = backend.search(Query("2025年1-2月财政收支情况", limit=4, mode="lexical")).hits
    # the report's figures, then its part headings; its title and date line (0, 1) come after
    assert [(h.doc, h.passage) for h in hits] == [("mof_2025.txt", i) for i in (4, 6, 3, 5)]

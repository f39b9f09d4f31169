"""The Elasticsearch backend's pure parts, without a server: index templates,
Filter/Query -> DSL translation, bulk actions, highlight offset mapping and
aggregation parsing. (tests/test_elastic_integration.py and the contract suite
run against a real server when POLICYLENS_ES_URL is set.)"""
from __future__ import annotations

import json

import pytest

from nlp.items import Analysis, DocumentMeta, Figure
from search.backend import Filter, ItemQuery
from search.elastic import (PRE_TAG, POST_TAG, aggregate_body, bool_filters, document_actions,
                            filter_clause, highlight_spans, index_names, index_templates,
                            item_query_dsl, item_sort, mappings, meta_index, parse_aggregate,
                            parse_facets,
                            search_body, ITEM_FILTER_FIELDS, PASSAGE_FILTER_FIELDS)
from search.filters import FilterError
from search.query import parse
from search.tokenize import normalize, word_tokens
from tests.compare_data import EDU, documents


# ---- templates -------------------------------------------------------------------------


def test_templates_one_per_index_with_the_analyzers():
    names = index_names("pl")
    templates = index_templates("pl")
    assert sorted(t["index_patterns"][0] for t in templates.values()) == sorted(
        [*names.values(), meta_index("pl")])
    passages = templates["pl-passages-template"]["template"]
    props = passages["mappings"]["properties"]
    analysis = passages["settings"]["analysis"]
    cjk = analysis["analyzer"][props["text"]["analyzer"]]  # the built-in cjk's steps, no plugin
    assert cjk["tokenizer"] == "standard" and "cjk_bigram" in cjk["filter"]
    assert props["words"]["analyzer"] == "whitespace"
    chars = props["text"]["fields"]["chars"]["analyzer"]
    assert analysis["analyzer"][chars]["tokenizer"] == "standard"
    assert passages["mappings"]["dynamic"] is False
    for field in ("org", "region", "doc_type", "doc", "item_types"):
        assert props[field]["type"] == "keyword"
    assert props["year"]["type"] == "integer"
    items = mappings()["items"]["properties"]
    assert items["value"]["type"] == "double" and items["vague"]["type"] == "boolean"
    assert items["level1"]["type"] == "keyword" and items["item"]["enabled"] is False
    docs = mappings()["documents"]["properties"]
    assert docs["text"]["index"] is False  # stored for get_document, never searched


def test_engine_analyzers_fold_traditional_characters_as_normalize_does():
    """Both text analyzers read through the same character filter, and its rules are
    normalize's Han folding: a simplified query meets a traditional passage in the
    engine as in SQLite, one character for one (highlight offsets hold)."""
    analysis = index_templates("pl")["pl-passages-template"]["template"]["settings"]["analysis"]
    props = mappings()["passages"]["properties"]
    for analyzer in (props["text"]["analyzer"], props["text"]["fields"]["chars"]["analyzer"],
                     props["title"]["analyzer"]):
        (name,) = analysis["analyzer"][analyzer]["char_filter"]
        rules = dict(r.split("=>") for r in analysis["char_filter"][name]["mappings"])
        assert rules["報"] == "报" and rules["國"] == "国" and "报" not in rules
        assert all(len(a) == 1 and len(b) == 1 for a, b in rules.items())
        assert "".join(rules.get(c, c) for c in "政府工作報告") == normalize("政府工作報告")


def test_every_filter_field_is_mapped():
    m = mappings()
    for name, es_field in PASSAGE_FILTER_FIELDS.items():
        assert es_field.split(".")[0] in m["passages"]["properties"], name
    for name, es_field in ITEM_FILTER_FIELDS.items():
        assert es_field == "_id" or es_field in m["items"]["properties"], name


# ---- filters ---------------------------------------------------------------------------


def test_filter_translation():
    f = PASSAGE_FILTER_FIELDS
    assert filter_clause(Filter("region", "eq", "烟台市"), f) == (
        "filter", {"term": {"region": "烟台市"}})
    assert filter_clause(Filter("year", "gte", 2020), f) == (
        "filter", {"range": {"year": {"gte": 2020}}})
    assert filter_clause(Filter("doc", "in", ["a.txt", "b.txt"]), f) == (
        "filter", {"terms": {"doc": ["a.txt", "b.txt"]}})
    assert filter_clause(Filter("org", "ne", "x"), f) == ("must_not", {"term": {"org": "x"}})
    assert filter_clause(Filter("type", "eq", "goal"), f) == (
        "filter", {"term": {"item_types": "goal"}})
    assert filter_clause(Filter("org", "eq", None), f) == (
        "must_not", {"exists": {"field": "org"}})
    where, clause = filter_clause(Filter("title", "contains", "a*b?"), f)
    assert clause["wildcard"]["title.raw"]["value"] == "*a\\*b\\?*"


def test_item_filters_coerce_booleans_and_reach_extra_fields():
    i = ITEM_FILTER_FIELDS
    for v in (True, "true", 1):
        assert filter_clause(Filter("vague", "eq", v), i) == ("filter", {"term": {"vague": True}})
    assert filter_clause(Filter("vague", "eq", "false"), i)[1] == {"term": {"vague": False}}
    assert filter_clause(Filter("qualifier", "eq", "about"), i)[1] == {
        "term": {"qualifier": "about"}}
    # a JSON key without its own mapping goes to the flattened field, as text
    assert filter_clause(Filter("new_flag", "eq", True), i, extra="extra")[1] == {
        "term": {"extra.new_flag": "true"}}


@pytest.mark.parametrize("f", [Filter("x; DROP TABLE items", "eq", 1), Filter("kind", "like", "x"),
                               Filter("", "eq", 1), Filter("a.b", "eq", 1)])
def test_bad_filters_are_value_errors(f):
    with pytest.raises(ValueError):
        bool_filters([f], ITEM_FILTER_FIELDS, extra="extra")


def test_item_query_and_sort():
    q = item_query_dsl(ItemQuery(type="figure", filters=[Filter("kind", "eq", "money")],
                                 text="资金*"))
    flt = q["bool"]["filter"]
    assert {"term": {"kind": "money"}} in flt and {"term": {"type": "figure"}} in flt
    wild = flt[-1]["bool"]["should"]
    assert {"wildcard": {"name": {"value": "*资金\\**"}}} in wild and len(wild) == 4
    assert item_sort("-value")[0] == {"value": {"order": "desc", "missing": "_last"}}
    assert item_sort(None)[0] == {"doc": "asc"}
    with pytest.raises(FilterError):
        item_sort("item")


# ---- full-text query -------------------------------------------------------------------


def test_search_body_units_exclusions_filters_facets_sort():
    pq = parse('预算绩效 "专项资金" -扶贫')
    body = search_body(pq, [Filter("region", "eq", "烟台市")], size=20, facets=["region", "type"],
                       sort="-year")
    q = body["query"]["bool"]
    assert q["minimum_should_match"] == 1 and len(q["should"]) == len(pq.units)
    phrases = [c["match_phrase"]["text.chars"]["query"] for u in q["should"]
               for c in u["bool"]["should"] if "match_phrase" in c and "text.chars" in
               c["match_phrase"]]
    assert "专项资金" in phrases
    assert {"match_phrase": {"text.chars": {"query": "扶贫"}}} in q["must_not"]
    assert {"term": {"region": "烟台市"}} in q["filter"]
    assert body["aggs"]["type"]["terms"]["field"] == "item_types"
    assert body["sort"][0] == {"year": {"order": "desc", "missing": "_last"}}
    assert body["highlight"]["fields"]["text.chars"]["number_of_fragments"] == 0
    assert search_body(parse("。。，"), [], 10) is None
    with pytest.raises(FilterError):
        search_body(parse("预算"), [], 10, facets=["nope"])


def test_query_words_use_the_index_segmentation():
    """A query word is looked up in ``words`` only when jieba, which built that
    field, takes it as one word, and then as exactly the token the index holds."""
    doc, analysis = documents()[0]
    actions = document_actions(doc, analysis, index_names("pl"))
    passage = next(a["_source"] for a in actions if a["_index"] == "pl-passages")
    assert passage["words"].split() == word_tokens(normalize(passage["text"]))
    clauses = search_body(parse("义务教育"), [], 10)["query"]["bool"]["should"][0]["bool"]["should"]
    terms = [c["term"]["words"]["value"] for c in clauses if "term" in c]
    assert terms == ["义务教育"] and "义务教育" in passage["words"].split()
    # one character: only the character phrase
    for q in ("贫",):
        clauses = search_body(parse(q), [], 10)["query"]["bool"]["should"][0]["bool"]["should"]
        assert all("term" not in c for c in clauses)
        assert {"match_phrase": {"text.chars": {"query": q}}} in clauses


# ---- bulk actions ----------------------------------------------------------------------


def test_document_actions_keep_sources_and_commit_marker_last():
    doc, analysis = documents()[0]
    actions = document_actions(doc, analysis, index_names("pl"))
    assert actions[-1]["_index"] == "pl-documents" and actions[-1]["_id"] == doc.id
    assert actions[-1]["_source"]["text"] == EDU
    passages = [a for a in actions if a["_index"] == "pl-passages"]
    items = [a for a in actions if a["_index"] == "pl-items"]
    assert len(passages) == len(doc.passages) and len(items) == len(analysis.items)
    for a in passages:
        s = a["_source"]
        assert s["text"] == EDU[s["start"]:s["end"]] and s["org"] == "县教育局"
    for a in items:
        s = a["_source"]
        assert EDU[s["start"]:s["end"]] == s["text"] == s["item"]["text"]
        assert s["year"] == 2023 and s["doc"] == "edu_2023.txt"
    goal_passages = {a["_source"]["passage"] for a in items if a["_source"]["type"] == "goal"}
    assert all("goal" in p["_source"]["item_types"] for p in passages
               if p["_source"]["idx"] in goal_passages)
    json.dumps(actions, ensure_ascii=False)  # all plain data


def test_versioned_rows_are_written_beside_the_stored_ones():
    """A re-analysis writes rows under new ids (the version is in them), so the
    stored rows can stay until the new ones and the record have landed."""
    doc, analysis = documents()[0]
    names = index_names("pl")
    old = document_actions(doc, analysis, names, "v1")
    new = document_actions(doc, analysis, names, "v2")
    assert old[-1]["_id"] == new[-1]["_id"] == doc.id  # the record keeps the document id
    assert old[-1]["_source"]["extra"]["version"] == "v1"
    old_rows, new_rows = {a["_id"] for a in old[:-1]}, {a["_id"] for a in new[:-1]}
    assert len(old_rows) == len(old) - 1 and old_rows.isdisjoint(new_rows)
    assert all(i.startswith(f"{doc.id}.v2-") for i in new_rows)


def test_unserialisable_item_fails_before_anything_is_sent():
    doc, _ = documents()[0]
    bad = Figure(start=0, end=2, text=EDU[:2], kind="money", value=1.0, unit="元")
    bad.context = {"oops": object()}
    with pytest.raises(TypeError):
        document_actions(doc, Analysis(items=[bad], meta=DocumentMeta()), index_names("pl"))


# ---- highlights ------------------------------------------------------------------------


def tag(s: str) -> str:
    return s.replace("[", PRE_TAG).replace("]", POST_TAG)


def test_highlight_spans_map_to_original_characters():
    original = "压减低效无效资金3000万元。\n第二行"
    # the character analyzer tags each character of a phrase on its own
    tagged = tag("压减[低][效][无][效][资][金]3000万元。\n第二行")
    spans = highlight_spans(original, tagged)
    assert [original[s:e] for s, e in spans] == ["低效无效资金"]
    assert highlight_spans(original, tag("[压减]低效无效资金3000万元。\n第[二行]")) == [
        (0, 2), (original.index("二行"), len(original))]
    assert highlight_spans(original, original) == []


def test_spans_split_by_spaces_or_punctuation_are_one_match():
    from search.elastic import join_gaps

    text = "一 般 公 共 预 算收入；“三公”经费"
    joined = join_gaps(text, [(0, 1), (2, 3), (4, 5), (6, 7), (8, 9), (10, 11)])
    assert [text[s:e] for s, e in joined] == ["一 般 公 共 预 算"]
    three = text.index("三")
    assert [text[s:e] for s, e in join_gaps(text, [(three, three + 2), (three + 3, three + 5)])
            ] == ["三公”经费"]
    assert join_gaps("资金和资金", [(0, 2), (3, 5)]) == [(0, 2), (3, 5)]  # a letter between
    assert join_gaps("资金    资金", [(0, 2), (6, 8)]) == [(0, 2), (6, 8)]  # gap too wide


def test_highlight_offsets_are_python_characters():
    """ES counts UTF-16 units internally; the mapping works on the returned
    string, so characters outside the BMP (𠀀, CJK Ext. B) do not shift offsets."""
    original = "𠀀𠀁资金２０２３年"
    spans = highlight_spans(original, tag("𠀀𠀁[资][金]２０２３年"))
    assert [original[s:e] for s, e in spans] == ["资金"] and spans == [(2, 4)]


@pytest.mark.parametrize("tagged", ["压减低效", tag("[压减低效无效资金3000万元。\n第二行"),
                                    tag("压减[低效]无效资金3000万元。第二行")])
def test_highlight_mismatch_is_none(tagged):
    """A fragment, an unclosed tag or changed text: no offsets are guessed."""
    assert highlight_spans("压减低效无效资金3000万元。\n第二行", tagged) is None


# ---- aggregation responses -------------------------------------------------------------


def test_aggregate_body_and_parse():
    fn, body = aggregate_body({"match_all": {}}, "region", "sum:value")
    assert fn == "sum" and body["size"] == 0
    assert body["aggs"]["groups"]["terms"]["field"] == "region"
    assert body["aggs"]["groups"]["aggs"]["m"] == {"sum": {"field": "value"}}
    response = {"aggregations": {
        "groups": {"buckets": [
            {"key": "乐陵市", "doc_count": 1, "m": {"value": 8e6}, "n": {"value": 1}},
            {"key": "烟台市", "doc_count": 2, "m": {"value": 1.28e9}, "n": {"value": 2}},
            {"key": "空", "doc_count": 1, "m": {"value": 0.0}, "n": {"value": 0}}]},
        "none": {"doc_count": 1, "m": {"value": 5.0}, "n": {"value": 1}}}}
    assert parse_aggregate(fn, "region", response) == [
        {"key": "烟台市", "value": 1.28e9, "count": 2}, {"key": "乐陵市", "value": 8e6, "count": 1},
        {"key": None, "value": 5.0, "count": 1}, {"key": "空", "value": None, "count": 1}]


def test_share_and_boolean_keys():
    fn, body = aggregate_body({"match_all": {}}, "vague", "share:vague")
    assert body["aggs"]["groups"]["aggs"]["m"] == {"filter": {"term": {"vague": True}}}
    response = {"aggregations": {"groups": {"buckets": [
        {"key": 1, "key_as_string": "true", "doc_count": 3, "m": {"doc_count": 3}},
        {"key": 0, "key_as_string": "false", "doc_count": 2, "m": {"doc_count": 0}}]},
        "none": {"doc_count": 0}}}
    assert parse_aggregate(fn, "vague", response) == [
        {"key": 1, "value": 1.0, "count": 3}, {"key": 0, "value": 0.0, "count": 2}]
    with pytest.raises(FilterError):
        aggregate_body({}, "region", "median:value")
    with pytest.raises(FilterError):
        aggregate_body({}, "no such", "count")


def test_parse_facets_stringifies_keys():
    res = {"aggregations": {"year": {"buckets": [{"key": 2023, "doc_count": 3},
                                                 {"key": 2019, "doc_count": 2}]}}}
    assert parse_facets(res, ["year", "region"]) == {"year": {"2023": 3, "2019": 2}, "region": {}}


# ---- the bodies are valid DSL for the official client ---------------------------------


def _as_search(body: dict) -> dict:
    # part of the client since 9.0 (a separate package with the 8.x client)
    Search = pytest.importorskip("elasticsearch.dsl", reason="client without elasticsearch.dsl").Search

    d = {k: v for k, v in body.items()
         if k not in ("from", "_source", "track_total_hits", "track_scores")}
    return Search.from_dict(d).to_dict()


@pytest.mark.parametrize("text", ['预算绩效 "专项资金" -扶贫', "贫", "乐陵全年安排了多少扶贫资金？"])
def test_search_bodies_parse_as_client_dsl(text):
    """``elasticsearch.dsl`` knows every query and aggregation type: a misspelt
    clause (``mtch``) would raise UnknownDslObject here."""
    body = search_body(parse(text), [Filter("region", "eq", "烟台市"), Filter("year", "gte", 2020),
                                     Filter("type", "in", ["goal"])], 20,
                       facets=["region", "year", "type"], sort="-year")
    out = _as_search(body)
    assert out["query"]["bool"]["minimum_should_match"] == 1
    assert set(out["aggs"]) == {"region", "year", "type"}


@pytest.mark.parametrize("metric", ["count", "sum:value", "avg:score", "share:vague"])
def test_aggregation_and_item_bodies_parse_as_client_dsl(metric):
    q = item_query_dsl(ItemQuery(type="goal", text="资金", filters=[
        Filter("vague", "eq", True), Filter("value", "lt", 5), Filter("kind", "ne", "x"),
        Filter("project", "contains", "维修"), Filter("new_key", "eq", 1)]))
    _, body = aggregate_body(q, "org", metric)
    out = _as_search(body)
    assert set(out["aggs"]) == {"groups", "none"}
    assert "must_not" in out["query"]["bool"]


def test_unreachable_server_is_one_clear_error(monkeypatch):
    from search.backend import open_backend
    from search.elastic import BackendUnavailable
    from tests.conftest import refused_url

    with refused_url() as url:  # nothing listens there
        monkeypatch.setenv("POLICYLENS_ES_URL", url)
        with pytest.raises(BackendUnavailable, match=url.replace(".", r"\.")) as err:
            open_backend(index_prefix="pltest", max_retries=0)
    assert str(err.value).endswith("cannot connect ([Errno 111] Connection refused)")


# ---- paging past the result window ----------------------------------------------------


def _sorted_store(n: int, window: int, calls: list):
    """``fetch`` over ``n`` hits sorted by ``sort``, refusing ``from + size`` past
    ``window`` as ES does, recording each request."""
    rows = [{"_id": str(i), "sort": [i], "_source": {"i": i}} for i in range(n)]

    def fetch(after, size, with_source, from_=0):
        assert from_ + size <= window or after is not None, "ES would refuse this window"
        start = from_ if after is None else next(
            (k for k, r in enumerate(rows) if r["sort"] > after), n)
        page = rows[start:start + size]
        calls.append((after, size, with_source, from_))
        return ([r if with_source else {"_id": r["_id"], "sort": r["sort"]} for r in page], n)
    return fetch


@pytest.mark.parametrize("offset,limit", [(0, 5), (5, 5), (7, 3), (8, 5), (10, 4), (23, 10),
                                          (29, 1), (30, 5), (45, 5), (12, 0)])
def test_page_after_matches_slicing_at_any_depth(offset, limit):
    from search.elastic import page_after

    calls: list = []
    hits, total = page_after(_sorted_store(30, 10, calls), offset, limit, window=10, step=4)
    assert total == 30
    assert [h["_source"]["i"] for h in hits] == list(range(30))[offset:offset + limit]
    if offset + limit > 10:  # walked: the skipped hits were read without their source
        assert all(not c[2] for c in calls[:-1]) and all(c[1] <= 4 for c in calls[:-1])


def test_backend_paging_arguments_are_accepted_by_the_client():
    """The real client validates keyword arguments before it sends anything: an
    argument it does not know is a TypeError, a known one reaches the (closed)
    port and fails to connect. Both the in-window and the walked request."""
    from elasticsearch import ConnectionError as ESConnectionError
    from elasticsearch import Elasticsearch

    from search.elastic import ElasticBackend, index_names
    from search.engines import ElasticsearchClient, Engine
    from tests.conftest import refused_url

    backend = object.__new__(ElasticBackend)  # no _setup: there is no server
    backend.engine = Engine("elasticsearch", "9.1.0")
    backend.names = index_names("pltest")
    with refused_url() as url:
        backend.client = ElasticsearchClient(Elasticsearch(url, max_retries=0), backend.engine, url)
        try:
            for offset in (0, 50_000):
                with pytest.raises(ESConnectionError):
                    backend.query_items(ItemQuery(type="figure", sort="-value", offset=offset))
                with pytest.raises(ESConnectionError):
                    backend.list_documents(limit=10, offset=offset)
        finally:
            backend.client.close()


# ---- passage vectors and two-level aggregations ----------------------------------------


def test_semantic_body_filters_by_model_and_query_filters():
    from search.elastic import semantic_body
    from search.engines import Engine

    for engine in (Engine("opensearch", "2.19.1"), Engine("elasticsearch", "8.15.0"),
                   Engine("elasticsearch", "9.1.0")):
        body = semantic_body(engine, "vec_64", "m/1", [0.5, 0.5], 100,
                             [Filter("year", "eq", 2018), Filter("region", "ne", "烟台市")])
        where = (body["query"]["knn"]["vec_64"]["filter"] if engine.is_opensearch
                 else body["knn"]["filter"])
        assert where["bool"]["filter"] == [{"term": {"year": 2018}},
                                           {"term": {"vec_model": "m/1"}}]
        assert where["bool"]["must_not"] == [{"term": {"region": "烟台市"}}]
        assert body["_source"]["excludes"] == ["words", "vec_*"]  # vectors never come back
    with pytest.raises(FilterError):
        semantic_body(Engine("opensearch", "2.19.1"), "v", "m", [1.0], 5, [Filter("nope", "eq", 1)])


def test_passages_carry_a_sortable_row_id_and_region_path():
    doc, analysis = documents()[0]
    actions = document_actions(doc, analysis, index_names("pl"), "v1")
    passage = next(a for a in actions if a["_index"] == "pl-passages")
    assert passage["_source"]["pid"] == passage["_id"]
    assert passage["_source"]["region_path"] == list(analysis.meta.region_path)
    props = mappings()["passages"]["properties"]
    assert props["pid"] == props["vec_model"] == {"type": "keyword"}
    assert mappings()["passages"]["_meta"]["policylens_mapping"] == 5  # 5: traditional characters folded


def test_split_aggregation_is_one_two_level_request():
    from search.elastic import parse_split_aggregate, split_aggregate_body

    q = item_query_dsl(ItemQuery(type="figure"))
    fn, body = split_aggregate_body(q, "region", "role", "sum:value")
    assert fn == "sum" and body["size"] == 0
    splits = body["aggs"]["splits"]
    assert splits["terms"]["field"] == "role"
    assert set(splits["aggs"]) == {"groups", "none"}
    assert splits["aggs"]["groups"]["terms"]["field"] == "region"
    assert splits["aggs"]["groups"]["aggs"]["m"] == {"sum": {"field": "value"}}
    response = {"aggregations": {"splits": {"buckets": [
        {"key": "spent", "doc_count": 3,
         "groups": {"buckets": [{"key": "甲", "doc_count": 2, "m": {"value": 5.0},
                                 "n": {"value": 2}}]},
         "none": {"doc_count": 1, "m": {"value": 1.0}, "n": {"value": 1}}},
        {"key": "", "doc_count": 1, "groups": {"buckets": []}, "none": {"doc_count": 1}},
        {"key": "budgeted", "doc_count": 1,
         "groups": {"buckets": [{"key": "乙", "doc_count": 1, "m": {"value": 7.0},
                                 "n": {"value": 1}}]}, "none": {"doc_count": 0}}]}}}
    assert parse_split_aggregate(fn, "region", "role", response) == [
        {"key": "乙", "split": "budgeted", "value": 7.0, "count": 1},
        {"key": "甲", "split": "spent", "value": 5.0, "count": 2},
        {"key": None, "split": "spent", "value": 1.0, "count": 1}]
    with pytest.raises(FilterError):
        split_aggregate_body(q, "region", "id", "count")
    out = _as_search(body)
    assert set(out["aggs"]["splits"]["aggs"]) == {"groups", "none"}

"""HTTP API and HTML pages with FastAPI's TestClient against the real SQLite
index of the samples (ingested once per session by the CLI, see conftest)."""
from __future__ import annotations

import pytest

from search.backend import MAX_LIMIT, MAX_QUERY_CHARS

YANTAI = "yantai_daily_budget_performance_2023.txt"
MALFORMED = ['"预算绩效', "预算 AND OR NOT", "NEAR(预算 绩效)", "！？。，", "*", "预算*", "%",
             "'; DROP TABLE documents; --", "title:预算", "(((", "-", '""', "^预算", "\\", " ",
             "<script>alert(1)</script>", "a" * (MAX_QUERY_CHARS * 3)]


def test_search_third_party_institutions(client):
    r = client.get("/api/search", params={"q": "第三方机构"})
    assert r.status_code == 200
    body = r.json()
    hits = [h for h in body["hits"] if h["doc"] == YANTAI and "20家" in h["text"]]
    assert hits, body
    h = hits[0]
    assert any("第三方" in h["text"][s:e] for s, e in h["highlights"])
    assert body["total"] >= len(body["hits"])


@pytest.mark.parametrize("q", ["预算", "扶贫"])
def test_search_common_words(client, q):
    body = client.get("/api/search", params={"q": q, "limit": 5}).json()
    assert 1 <= len(body["hits"]) <= 5
    assert q in body["hits"][0]["text"]


def test_search_paging_is_consistent(client):
    a = client.get("/api/search", params={"q": "预算", "limit": 6}).json()["hits"]
    b = client.get("/api/search", params={"q": "预算", "limit": 3, "offset": 3}).json()["hits"]
    assert [(h["doc_id"], h["passage"]) for h in a[3:]] == [(h["doc_id"], h["passage"]) for h in b]


def test_search_facets_and_doc_filter(client):
    body = client.get("/api/search", params={"q": "预算", "facets": "doc", "limit": 50}).json()
    assert sum(body["facets"]["doc"].values()) == body["total"]
    only = client.get("/api/search", params={"q": "预算", "doc": YANTAI, "limit": 50}).json()
    assert only["hits"] and {h["doc"] for h in only["hits"]} == {YANTAI}
    assert only["total"] == body["facets"]["doc"][YANTAI]


@pytest.mark.parametrize("q", MALFORMED)
def test_malformed_queries_never_500(client, q):
    r = client.get("/api/search", params={"q": q})
    assert r.status_code == 200, r.text
    assert isinstance(r.json()["hits"], list)
    page = client.get("/", params={"q": q})
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text


def test_long_query_is_truncated(client):
    r = client.get("/api/search", params={"q": "预算" * MAX_QUERY_CHARS})
    assert r.status_code == 200
    assert len(r.json()["query"]) == MAX_QUERY_CHARS


@pytest.mark.parametrize("params", [{"limit": MAX_LIMIT + 1}, {"limit": -1}, {"offset": -5},
                                    {"year": "abc"}, {"sort": "drop"}])
def test_out_of_range_params_are_422(client, params):
    assert client.get("/api/search", params={"q": "预算", **params}).status_code == 422


def test_unknown_facet_is_422(client):
    """The facet names are declared in the OpenAPI document: another is a 422 naming it."""
    r = client.get("/api/search", params={"q": "预算", "facets": "region,password"})
    assert r.status_code == 422 and "password" in str(r.json()["detail"])


def test_documents_list_and_detail(client):
    body = client.get("/api/documents").json()
    assert body["total"] == 8 and len(body["documents"]) == 8
    yantai = next(d for d in body["documents"] if d["doc"] == YANTAI)
    doc = client.get(f"/api/documents/{yantai['id']}").json()
    assert doc["doc"] == YANTAI and doc["passages"]
    for p in doc["passages"]:
        assert doc["text"][p["start"]:p["end"]] == p["text"]
    assert doc["items"]
    for item in doc["items"]:
        assert doc["text"][item["start"]:item["end"]] == item["text"]


def test_pdf_document_items_have_pages(client):
    docs = client.get("/api/documents").json()["documents"]
    pdf = next(d for d in docs if d["doc"].endswith(".pdf"))
    doc = client.get(f"/api/documents/{pdf['id']}").json()
    pages = {p["number"]: p for p in doc["pages"]}
    assert doc["items"] and len(pages) > 1
    for item in doc["items"]:
        page = pages[item["page"]]
        assert page["start"] <= item["start"] < page["end"] + 1, item


def test_unknown_document_is_404(client):
    assert client.get("/api/documents/0000000000000000").status_code == 404
    page = client.get("/documents/%3Cscript%3E")
    assert page.status_code == 404
    assert "未知文档" in page.text and "<script>" not in page.text


def test_health_and_openapi(client):
    h = client.get("/health").json()
    assert h["status"] == "ok" and h["documents"] == 8 and h["passages"] > 8
    assert client.get("/docs").status_code == 200
    schema = client.get("/openapi.json").json()
    assert "/api/search" in schema["paths"] and "/api/documents/{doc_id}" in schema["paths"]


def test_search_page_marks_matches_and_pages(client):
    r = client.get("/", params={"q": "第三方机构"})
    assert r.status_code == 200
    assert "<mark>第三方机构</mark>" in r.text or "<mark>第三方</mark>" in r.text
    assert YANTAI in r.text
    many = client.get("/", params={"q": "预算"}).text
    assert 'rel="next"' in many and "offset=10" in many
    page2 = client.get("/", params={"q": "预算", "offset": "10"}).text
    assert 'rel="prev"' in page2


def test_search_page_escapes_and_tolerates_bad_form_input(client):
    r = client.get("/", params={"q": '"><img src=x onerror=alert(1)>', "year": "二〇二三",
                                "offset": "-3"})
    assert r.status_code == 200
    assert "<img src=x" not in r.text and "&lt;img src=x" in r.text
    assert "年度应为数字" in r.text


def test_document_page_colours_items_and_marks_query(client):
    docs = client.get("/api/documents").json()["documents"]
    doc_id = next(d["id"] for d in docs if d["doc"] == YANTAI)
    r = client.get(f"/documents/{doc_id}", params={"q": "第三方机构"})
    assert r.status_code == 200
    assert 'class="it-figure"' in r.text
    assert 'class="it-match"' in r.text
    only = client.get(f"/documents/{doc_id}", params={"show": "goal"}).text
    assert 'class="it-figure"' not in only


def test_filter_errors_from_any_route_are_400(samples_store):
    """Routes of other resources raise FilterError for bad fields: the app turns it into 400."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.render import item_query_from_params

    app = create_app(backend=samples_store)

    @app.get("/probe")
    def probe(field: str):
        return samples_store.query_items(item_query_from_params("figure", {field: "1"})).total

    c = TestClient(app)
    assert c.get("/probe", params={"field": "kind"}).status_code == 200
    r = c.get("/probe", params={"field": "x); DROP TABLE items; --"})
    assert r.status_code == 400 and "DROP" in r.json()["detail"]


def test_search_page_facet_links_filter_and_can_be_cleared(client):
    import re

    page = client.get("/", params={"q": "预算"}).text
    links = re.findall(r'href="(/\?[^"]*doc_type=[^"]*|/\?[^"]*type=[^"]*)"', page)
    assert links, "no document-type facet links"
    import html

    filtered = client.get(html.unescape(links[0]))
    assert filtered.status_code == 200 and 'class="chip"' in filtered.text
    total = lambda text: int(re.search(r'<strong id="total">(\d+)</strong>', text).group(1))  # noqa: E731
    assert 0 < total(filtered.text) < total(page)


def test_search_page_names_the_newspaper_article_of_a_hit(client):
    """On a newspaper page the article, not the page, is what a hit belongs to."""
    html = client.get("/", params={"q": "清雪除冰"}).text
    assert "市直机关各党组织开展" in html  # the snow-clearing article's headline
    assert "烟台市税务局" in html  # the org that article is about


def test_figure_hits_carry_their_sentence_and_link_to_their_passage(client):
    """Reporters: an amount with the sentence it came from, one click from its passage."""
    body = client.get("/api/figures", params={"kind": "money", "subject": "资金",
                                               "min": 100_000_000, "limit": 50}).json()
    assert body["total"] >= 1
    for fig in body["items"]:
        assert fig["value"] >= 100_000_000
        assert fig["text"].replace(" ", "") in fig["sentence"]
        doc_id, anchor = fig["link"].removeprefix("/documents/").split("#p")
        assert doc_id == fig["doc_id"]
        document = client.get(f"/api/documents/{doc_id}").json()
        passage = next(p for p in document["passages"] if p["index"] == int(anchor))
        assert passage["start"] <= fig["start"] < passage["end"]
    csv_text = client.get("/api/figures.csv", params={"kind": "money", "subject": "资金"}).text
    header = csv_text.lstrip("\ufeff").splitlines()[0].split(",")
    assert "sentence" in header and "link" in header

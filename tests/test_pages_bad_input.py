"""Bad input on the pages is normal input: unknown names, no matches, page
10,000, a 2,000-character query, HTML in a document's text and file name. Each
is a page that says so (200 or 404), never a 500, never unescaped markup.
Over a real SQLite index made in the test from a file with markup in its name."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.app import create_app

EVIL = "<img src=x onerror=alert(1)>"
TEXT = ("上海市普陀区财政局2024年部门预算说明\n"
        f"一、收支情况 {EVIL} 2024年收入预算1,234.56万元，比上年增长5%。\n"
        "二、项目支出 用于信息化建设，进一步提升管理水平。\n")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from ingest.readers import read_bytes
    from search.indexing import store_document
    from search.sqlite import SQLiteBackend

    backend = SQLiteBackend(tmp_path_factory.mktemp("bad-input") / "index.sqlite3")
    name = f"{EVIL}预算.txt"
    store_document(read_bytes(TEXT.encode("utf-8"), name, path=f"test:{name}"), backend)
    with TestClient(create_app(backend=backend)) as c:
        yield c
    backend.close()


def no_markup(page: str) -> None:
    assert EVIL not in page and "<script>alert" not in page


@pytest.mark.parametrize("path,params", [
    ("/", {"q": "预算", "region": "不存在的地区"}),
    ("/", {"q": "预算", "offset": "100000"}),
    ("/", {"q": "预" * 2000}),
    ("/", {"q": EVIL}),
    ("/", {"q": "预算", "year": "去年", "type": EVIL}),
    ("/documents", {"offset": "10000000"}),
    ("/documents", {"org": EVIL}),
    ("/items/figure", {"offset": "500000", "region": "火星"}),
    ("/items/goal", {"vague": "maybe", "org": EVIL}),
    ("/compare", {"by": EVIL, "region": EVIL}),
    ("/compare", {"sort": EVIL, "metric": "money"}),
])
def test_bad_input_is_a_page_not_an_error(client, path, params):
    r = client.get(path, params=params)
    assert r.status_code == 200, r.text[-500:]
    no_markup(r.text)


def test_a_page_past_the_end_says_so(client):
    page = client.get("/", params={"q": "预算", "offset": "100000"}).text
    assert 'id="beyond"' in page and "超出范围" in page
    docs = client.get("/documents", params={"offset": "10000000"}).text
    assert 'id="beyond"' in docs


def test_an_overlong_query_is_cut_and_the_page_says_so(client):
    page = client.get("/", params={"q": "预算" * 1000}).text
    assert "查询过长" in page


def test_markup_in_a_file_name_and_text_is_shown_as_text(client):
    listing = client.get("/documents").text
    no_markup(listing)
    assert "&lt;img src=x onerror=alert(1)&gt;预算.txt" in listing
    doc_id = re.search(r'href="/documents/([0-9a-f]+)"', listing).group(1)
    page = client.get(f"/documents/{doc_id}", params={"q": "预算", "at": "0", "mark": "x-y"}).text
    no_markup(page)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    hits = client.get("/", params={"q": "收支情况"}).text
    no_markup(hits)
    assert 'id="total">0<' not in hits


def test_an_unknown_document_is_a_404_page(client):
    r = client.get("/documents/" + "x" * 500)
    assert r.status_code == 404 and "未知文档" in r.text

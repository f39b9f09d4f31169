"""What the search page and ``/api/search`` show beside the hits (issue 12), on a
real SQLite store of real text files through the whole app: how the query was
understood (理解为：…), the mode used and its warning when semantic search is
not ready, the answer sentence of a question highlighted inside its passage,
identical passages collapsed, at most a few passages per document with "more
from this document", and bad queries in every mode answered, never a 500."""
from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from search.hybrid import PER_DOC
from search.sqlite import SQLiteBackend
from tests.search_helpers import add_text, fill

# one document with many passages that all match 非税收入 (each paragraph over the
# passage length, so each is its own passage)
PARAGRAPH = ("第{n}部分：非税收入是政府收入的重要组成部分，本年度非税收入按照有关规定足额征收。"
             + "各单位严格执行收支两条线管理，加强票据管理和资金监管，确保各项收入及时足额缴入国库。" * 3)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("page")
    store = fill(SQLiteBackend(tmp / "db.sqlite3"), tmp)
    add_text(store, tmp, "many.txt", "\n\n".join(PARAGRAPH.format(n=n) for n in range(1, 9)),
             title="非税收入管理情况", year=2020, doc_type="budget")
    for i in range(6):  # other documents enough to fill the first page
        add_text(store, tmp, f"city{i}.txt", f"第{i}市{i + 2}月非税收入增长{i + 1}.5%。", title=f"第{i}市财政")
    twice = "国库集中支付电子化改革全面推开，所有预算单位均已接入新系统并实现无纸化报销。" * 3
    add_text(store, tmp, "twice.txt", f"{twice}\n\n其他内容说明。\n\n{twice}", title="改革进展")
    # the same text under another name: one hit, not two
    add_text(store, tmp, "report_2018_copy.txt", (tmp / "report_2018.txt").read_text("utf-8") + "\n",
             title="2018年财政收支情况（副本）", year=2018, doc_type="budget")
    with TestClient(create_app(backend=store)) as c:
        yield c
    store.close()


def _hits(html: str) -> list[str]:
    return re.findall(r'<li class="hit">(.*?)</li>', html, re.S)


def test_the_page_says_how_a_question_was_understood_and_highlights_its_answer(client):
    r = client.get("/", params={"q": "上海市三公经费是多少"})
    assert r.status_code == 200
    understood = re.search(r'<p class="understood" id="understood">(.*?)</p>', r.text, re.S)
    assert understood and "理解为：" in understood.group(1) and "地区 上海市" in understood.group(1)
    first = _hits(r.text)[0]
    assert "shanghai.txt" in first
    answer = re.search(r'<span class="answer"[^>]*>(.*?)</span>', first, re.S)
    assert answer, first
    assert unescape(re.sub(r"<[^>]+>", "", answer.group(1))).startswith("本部门三公经费预算为十二万元")
    # the same in JSON, with offsets into the passage
    hit = client.get("/api/search", params={"q": "上海市三公经费是多少"}).json()["hits"][0]
    a, b = hit["answer"]
    assert hit["text"][a:b].startswith("本部门三公经费预算为十二万元")


def test_a_keyword_query_has_no_answer_sentence(client):
    r = client.get("/", params={"q": "三公经费"})
    assert _hits(r.text) and 'class="answer"' not in r.text


def test_a_document_shows_a_few_passages_then_more_from_this_document(client):
    r = client.get("/", params={"q": "非税收入"})
    hits = _hits(r.text)
    many = [h for h in hits if "many.txt" in h]
    assert len(hits) == 10 and len(many) == PER_DOC  # capped, not all 8 of its passages
    more = [re.search(r'<a class="more" href="([^"]+)">本文件还有 (\d+) 段', h) for h in many]
    shown = [m for m in more if m]
    assert len(shown) == 1 and int(shown[0].group(2)) > 0
    doc_page = client.get(unescape(shown[0].group(1)))
    assert doc_page.status_code == 200 and "非税收入管理情况" in doc_page.text
    # identical passages in two files are one hit
    texts = [re.sub(r"<[^>]+>", "", re.search(r'<p class="passage">(.*?)</p>', h, re.S).group(1))
             for h in hits]
    assert len(texts) == len(set(texts))
    api = client.get("/api/search", params={"q": "非税收入", "limit": 10}).json()
    assert sum(h["doc"] == "many.txt" for h in api["hits"]) == len(many)
    assert sum(h.get("more_in_doc") or 0 for h in api["hits"] if h["doc"] == "many.txt") == 8 - len(many)
    assert not {"report_2018.txt", "report_2018_copy.txt"} <= {h["doc"] for h in api["hits"]}
    # the held passages come right after the first page
    second = client.get("/api/search", params={"q": "非税收入", "limit": 10, "offset": 10}).json()
    assert [h["doc"] for h in second["hits"]][:8 - PER_DOC] == ["many.txt"] * (8 - PER_DOC)


@pytest.mark.parametrize("mode", ["semantic", "hybrid", "lexical"])
def test_the_mode_is_chosen_on_the_page_and_the_api_and_says_why_it_fell_back(client, mode):
    page = client.get("/", params={"q": "非税收入", "mode": mode})
    assert page.status_code == 200 and _hits(page.text)
    assert re.search(rf'<option value="{mode}" selected>', page.text)
    assert "检索方式 mode: 词语 lexical" in page.text  # no vectors in this store
    api = client.get("/api/search", params={"q": "非税收入", "mode": mode}).json()
    assert api["mode"] == "lexical" and api["hits"]
    if mode == "semantic":  # asked for explicitly: the page and the JSON say why not
        assert api["warnings"]
        assert '<p class="note warning">' in page.text
        assert unescape(re.search(r'<p class="note warning">(.*?)</p>', page.text).group(1)) == api["warnings"][0]
    # the mode stays on the page's links (pager, facets)
    assert all(f"mode={mode}" in link for link in re.findall(r'href="(/\?[^"]*q=[^"]*)"', page.text))


def test_an_unknown_mode_is_refused_by_the_api_and_ignored_by_the_page(client):
    assert client.get("/api/search", params={"q": "预算", "mode": "fuzzy"}).status_code == 422
    page = client.get("/", params={"q": "预算", "mode": "fuzzy"})
    assert page.status_code == 200 and _hits(page.text)


# 10,000 characters that fit in a URL (10,000 CJK characters, percent-encoded, do not)
@pytest.mark.parametrize("q", ["", "   ", "预算budget" * 1250, "😀🎉🙂", "？！。，,.;…",
                               "Budget 预算 2018 ＧＤＰ ok", 'AND OR "', "-"])
@pytest.mark.parametrize("mode", ["", "lexical", "semantic", "hybrid"])
def test_bad_queries_in_every_mode_are_answered_on_the_page_and_the_api(client, q, mode):
    params = {"q": q, **({"mode": mode} if mode else {})}
    page = client.get("/", params=params)
    assert page.status_code == 200 and "Traceback" not in page.text
    api = client.get("/api/search", params=params)
    assert api.status_code == 200, api.text
    if not any(c.isalnum() for c in q):
        assert api.json()["hits"] == []


def test_a_model_that_cannot_load_falls_back_to_lexical_with_a_warning_on_page_and_api(tmp_path, monkeypatch):
    """A store with vectors whose query model cannot load (a broken install): every
    mode answers lexically, and the JSON and the page say why."""
    from search.embed import EmbeddingUnavailable, embed_store
    from tests.search_helpers import CharEmbedder

    store = fill(SQLiteBackend(tmp_path / "db.sqlite3"), tmp_path)
    embed_store(store, CharEmbedder())

    def broken():
        raise EmbeddingUnavailable("测试 test: the model cannot load")

    for module in ("search.sqlite", "search.embed"):
        monkeypatch.setattr(f"{module}.load_embedder", broken)
    try:
        with TestClient(create_app(backend=store)) as c:
            for mode in ("", "semantic", "hybrid"):
                params = {"q": "非税收入", **({"mode": mode} if mode else {})}
                api = c.get("/api/search", params=params).json()
                assert api["mode"] == "lexical" and api["hits"], api
                assert any("cannot load" in w for w in api["warnings"])
                page = c.get("/", params=params).text
                assert _hits(page) and "cannot load" in page and '<p class="note warning">' in page
    finally:
        store.close()


def test_the_same_passage_twice_in_one_document_is_one_hit(client):
    hits = client.get("/api/search", params={"q": "国库集中支付电子化"}).json()["hits"]
    assert hits[0]["doc"] == "twice.txt"
    doc = client.get(f"/api/documents/{hits[0]['doc_id']}").json()
    assert sum("国库集中支付电子化" in p["text"] for p in doc["passages"]) == 2  # stored twice
    assert [h["doc"] for h in hits].count("twice.txt") == 1

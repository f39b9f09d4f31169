"""The capped total (search.backend.TOTAL_CAP) in the SQLite store's other count
paths and in what users see: the API's JSON and the CLI's ``--json`` lines.
The contract test (tests/contract) holds the rule for both stores."""
from __future__ import annotations

import json

import pytest

from search.backend import Query, total_text
from tests.conftest import run_cli
from tests.contract.conftest import leling, yantai


@pytest.fixture
def store(tmp_path):
    from search.sqlite import SQLiteBackend

    backend = SQLiteBackend(tmp_path / "cap.sqlite3")
    for doc, analysis in (yantai(), leling()):
        backend.add(doc, analysis)
    yield backend
    backend.close()


def test_large_store_counts_beside_the_ranking_up_to_the_cap(store, monkeypatch):
    """A store past LARGE_INDEX counts in a helper thread while FTS5 ranks: the
    same cap there, the same hits as the exact count gives."""
    import search.sqlite as sqlite_mod

    exact = store.search(Query("资金", limit=10))
    monkeypatch.setattr(sqlite_mod, "LARGE_INDEX", 1)
    monkeypatch.setattr("search.backend.TOTAL_CAP", 3)
    res = store.search(Query("资金", limit=10))
    assert (exact.total, exact.total_relation) == (5, "eq")
    assert (res.total, res.total_relation) == (3, "gte")
    assert {(h.doc, h.passage) for h in res.hits} == {(h.doc, h.passage) for h in exact.hits}
    monkeypatch.setattr("search.backend.TOTAL_CAP", 5)  # exactly the cap: still exact
    assert store.search(Query("资金", limit=10)).total_relation == "eq"


def test_api_json_says_whether_the_total_is_exact(store, monkeypatch):
    from fastapi.testclient import TestClient

    from api.app import create_app

    monkeypatch.setattr("search.backend.TOTAL_CAP", 4)
    with TestClient(create_app(backend=store)) as client:
        many = client.get("/api/search", params={"q": "资金", "mode": "lexical"}).json()
        few = client.get("/api/search", params={"q": "扶贫", "mode": "lexical"}).json()
    assert (many["total"], many["total_relation"], len(many["hits"])) == (4, "gte", 5)
    assert (few["total"], few["total_relation"]) == (1, "eq")


def test_cli_json_and_text_carry_the_total(samples_index):
    proc = run_cli(["search", "--json", "--limit", "3", "预算"], samples_index.data_dir)
    line = json.loads(proc.stdout.strip().splitlines()[-1])
    assert line["total_relation"] == "eq" and line["total"] >= len(line["hits"]) > 0
    text = run_cli(["search", "--limit", "1", "预算"], samples_index.data_dir).stdout
    assert f"共 {line['total']:,} 条" in text


def test_total_text_in_chinese():
    assert total_text(10_000, "gte") == "10,000 条以上"
    assert total_text(1_234, "eq") == "共 1,234 条"


def test_search_page_total_is_exact_past_the_cap(store, monkeypatch):
    """The page asks for facets, which count every match, so its total is exact even past
    the cap (the page has no "at least" wording to show)."""
    from fastapi.testclient import TestClient

    from api.app import create_app

    monkeypatch.setattr("search.backend.TOTAL_CAP", 4)
    with TestClient(create_app(backend=store)) as client:
        page = client.get("/", params={"q": "资金", "mode": "lexical"}).text
    assert '共 <strong id="total">5</strong> 条结果' in page

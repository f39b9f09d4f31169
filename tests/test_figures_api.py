"""Figures through the store: ``GET /api/figures``, ``/api/figures.csv`` and
``policylens figures``, on a real SQLite file holding real sample documents."""
from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import corpora
from api.app import create_app
from ingest.document import Document, Passage, content_id
from nlp.figures import find_figures
from nlp.items import Analysis, DocumentMeta
from search.sqlite import SQLiteBackend
from tests.conftest import run_cli

DOCS = {  # sample file -> (region, year) given as document metadata
    "yantai_daily_budget_performance_2023.txt": ("烟台市", 2023),
    "leling_budget_performance_2019.txt": ("乐陵市", 2019),
}


def _document(name: str) -> Document:
    path = corpora.path("samples", name)
    data = path.read_bytes()
    text = data.decode("utf-8")
    return Document(id=content_id(data), source=name, path=str(path), format="text",
                    title=name, text=text, passages=[Passage(0, 0, len(text))])


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """A data directory whose index holds two samples and their figures."""
    d = tmp_path_factory.mktemp("figures-index")
    backend = SQLiteBackend(d / "policylens.sqlite3")
    for name, (region, year) in DOCS.items():
        document = _document(name)
        figs = find_figures(document.text)
        for f in figs:
            f.context.update(region=region, year=year)
        backend.add(document, Analysis(items=list(figs), meta=DocumentMeta(region=region, year=year)))
    backend.close()
    return d


@pytest.fixture(scope="module")
def client(data_dir: Path):
    backend = SQLiteBackend(data_dir / "policylens.sqlite3")
    with TestClient(create_app(backend=backend)) as c:
        yield c
    backend.close()


def test_money_filter_sort_and_paging(client: TestClient) -> None:
    r = client.get("/api/figures", params={"kind": "money", "min": 100000000, "sort": "-value"})
    assert r.status_code == 200
    body = r.json()
    values = [i["value"] for i in body["items"]]
    assert values == sorted(values, reverse=True) and values
    assert all(i["kind"] == "money" and i["value"] >= 1e8 for i in body["items"])
    assert body["items"][0]["text"] == "141亿元" and body["items"][0]["doc"].startswith("yantai")
    assert "273180.48万元" in [i["text"] for i in body["items"]]
    assert body["total"] == len(values)
    # paging walks the same ordered list
    page2 = client.get("/api/figures", params={"kind": "money", "sort": "-value", "limit": 2, "offset": 1}).json()
    full = client.get("/api/figures", params={"kind": "money", "sort": "-value"}).json()
    assert [i["id"] for i in page2["items"]] == [i["id"] for i in full["items"][1:3]]


def test_bounds_written_as_amounts(client: TestClient) -> None:
    """A reporter types 资金 >= 1亿元 as min=1亿元: the same rows as min=100000000."""
    def ids(**params):
        return [i["id"] for i in client.get("/api/figures", params={"kind": "money", **params}
                                            ).json()["items"]]
    plain = ids(min=100000000)
    assert plain and ids(min="1亿元") == plain == ids(min="1亿") == ids(value__gte="10000万元")
    assert ids(min="1亿元", max="150亿") == ids(min=1e8, max=1.5e10)
    assert ids(max="1亿元") == ids(max=100000000) and set(ids(max="1亿元")).isdisjoint(
        ids(min="1.0000001亿元"))


def test_region_year_and_text_filters(client: TestClient) -> None:
    body = client.get("/api/figures", params={"region": "烟台市", "year": 2023, "q": "亿元"}).json()
    assert body["total"] >= 2
    assert all(i["doc"].startswith("yantai") and "亿元" in i["text"] for i in body["items"])
    assert all(i["region"] == "烟台市" for i in body["items"])


def test_bad_queries_are_4xx_not_500(client: TestClient) -> None:
    """Sort fields and amount bounds are declared in the OpenAPI document (422
    outside them); an unknown filter field is a 400."""
    assert client.get("/api/figures", params={"sort": "value; drop table items"}).status_code == 422
    assert client.get("/api/figures", params={"bogus__gt": "1"}).status_code in (200, 400)
    bad = client.get("/api/figures", params={"min": "abc"})
    assert bad.status_code == 422 and "abc" in str(bad.json()["detail"])
    assert client.get("/api/figures", params={"max": "1亿元到2亿元"}).status_code == 422
    assert client.get("/api/figures", params={"limit": 100000}).status_code == 422


def test_csv_export(client: TestClient) -> None:
    r = client.get("/api/figures.csv", params={"kind": "count", "region": "乐陵市"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows and {row["kind"] for row in rows} == {"count"}
    assert any(row["text"] == "218名" and row["value"] == "218" for row in rows)


def _cli(args: list[str], data_dir: Path) -> subprocess.CompletedProcess:
    return run_cli(args, data_dir)  # this checkout's CLI, whatever script is installed


def test_cli_json_and_csv(data_dir: Path) -> None:
    out = _cli(["figures", "--kind", "money", "--min", "1亿元", "--sort", "-value", "--json"], data_dir)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert rows and all(r["kind"] == "money" and r["value"] >= 1e8 for r in rows)
    assert [r["value"] for r in rows] == sorted((r["value"] for r in rows), reverse=True)
    out = _cli(["figures", "--kind", "percent", "--csv"], data_dir)
    assert out.returncode == 0 and out.stdout.startswith("doc,page,text,kind,value")
    bad = _cli(["figures", "--min", "很多"], data_dir)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr and "很多" in bad.stderr
    bad = _cli(["figures", "--sort", "nonsense"], data_dir)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr and "nonsense" in bad.stderr

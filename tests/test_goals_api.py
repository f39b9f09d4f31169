"""Goals and indicators through the store: ``/api/goals``, ``/api/indicators``,
their CSV exports, the per-department review summary, and the CLI commands, on a
real SQLite file holding the analysis of real sample documents."""
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
from ingest.readers import read
from nlp import checks, goals, indicators
from nlp.items import Analysis, DocumentMeta
from search.sqlite import SQLiteBackend
from tests.conftest import run_cli

DOCS = {  # sample -> (org, region, year) given as document metadata
    "budget2023_shanghai_putuo_wanli_subdistrict_dept.pdf": ("上海市普陀区人民政府万里街道办事处", "普陀区", 2023),
    "yantai_daily_budget_performance_2023.txt": ("烟台市财政局", "烟台市", 2023),
}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("goals-index")
    backend = SQLiteBackend(d / "policylens.sqlite3")
    for name, (org, region, year) in DOCS.items():
        document = read(corpora.path("samples", name))
        items = goals.extract(None, document) + indicators.from_tables(document)  # type: ignore[arg-type]
        checks.apply([i for i in items if i.type == "indicator"])
        for it in items:
            it.context.update(org=org, region=region, year=year)
        backend.add(document, Analysis(items=items, meta=DocumentMeta(org=org, region=region, year=year)))
    backend.close()
    return d


@pytest.fixture(scope="module")
def client(data_dir: Path):
    backend = SQLiteBackend(data_dir / "policylens.sqlite3")
    with TestClient(create_app(backend=backend)) as c:
        yield c
    backend.close()


def test_vague_goals_filtered_by_org_and_paged(client: TestClient) -> None:
    body = client.get("/api/goals", params={"vague": "true", "org": "烟台市财政局"}).json()
    assert body["total"] >= 3
    assert all(i["vague"] is True and i["org"] == "烟台市财政局" for i in body["items"])
    assert all(i["reasons"] and "无量化指标" in i["reasons"] for i in body["items"])
    page = client.get("/api/goals", params={"vague": "true", "org": "烟台市财政局", "limit": 1, "offset": 1}).json()
    assert [i["id"] for i in page["items"]] == [body["items"][1]["id"]]
    table_goals = client.get("/api/goals", params={"project": "就业援助基地补贴"}).json()["items"]
    assert [g["text"] for g in table_goals] == ["管理各类下拨费用，实报实销"]
    assert table_goals[0]["page"] == 32


def test_indicators_by_level_and_by_reviewer_check(client: TestClient) -> None:
    body = client.get("/api/indicators", params={"level1": "产出指标", "level2": "数量指标", "limit": 200}).json()
    names = [i["name"] for i in body["items"]]
    assert body["total"] == len(names) and "规划建筑面积" in names and "居民满意度" not in names
    assert all(i["level1"] == "产出指标" and i["level2"] == "数量指标" for i in body["items"])
    flagged = client.get("/api/indicators", params={"check": "satisfaction_no_target"}).json()["items"]
    assert flagged and all(any(c["rule"] == "satisfaction_no_target" for c in i["checks"]) for i in flagged)
    assert "提升社区居民满意度" in [i["name"] for i in flagged]


def test_review_summary_per_department(client: TestClient) -> None:
    for path in ("/api/goals/summary", "/api/review/summary"):
        deps = {d["org"]: d for d in client.get(path).json()["departments"]}
        wanli = deps["上海市普陀区人民政府万里街道办事处"]
        assert wanli["indicators"] == 65
        assert wanli["by_level1"] == {"产出指标": 35, "效益指标": 19, "满意度指标": 11}
        assert sum(wanli["by_level2"].values()) == 65
        yantai = deps["烟台市财政局"]
        assert yantai["goals"] >= 3 and 0 < yantai["vague_share"] <= 1 and yantai["indicators"] == 0


def test_csv_exports(client: TestClient) -> None:
    r = client.get("/api/indicators.csv", params={"level1": "满意度指标"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == 11 and {row["level1"] for row in rows} == {"满意度指标"}
    assert any(row["name"] == "工作人员满意度" and row["value"] == "95" and row["unit"] == "%" for row in rows)
    r = client.get("/api/goals.csv", params={"vague": "true"})
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows and {row["vague"] for row in rows} == {"True"}


def test_bad_queries_are_4xx_not_500(client: TestClient) -> None:
    """Sort fields are declared in the OpenAPI document: another is a 422."""
    assert client.get("/api/goals", params={"sort": "score; drop table items"}).status_code == 422
    assert client.get("/api/indicators", params={"sort": "nope"}).status_code == 422
    assert client.get("/api/indicators", params={"bogus__gt": "1"}).status_code in (200, 400)
    assert client.get("/api/goals", params={"limit": 10**6}).status_code == 422
    assert client.get("/api/goals/summary", params={"year": "abc"}).status_code == 422


def _cli(args: list[str], data_dir: Path) -> subprocess.CompletedProcess:
    return run_cli(args, data_dir)  # this checkout's CLI, whatever script is installed


def test_cli_goals_indicators_and_summary(data_dir: Path) -> None:
    out = _cli(["goals", "--vague", "--json"], data_dir)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert rows and all(r["vague"] is True for r in rows)
    out = _cli(["indicators", "--level1", "效益指标", "--csv", "--limit", "500"], data_dir)
    assert out.returncode == 0 and out.stdout.startswith("doc,page,project,name,level1")
    assert len(out.stdout.strip().splitlines()) == 1 + 19
    out = _cli(["review-summary", "--json"], data_dir)
    summary = {r["org"]: r for r in map(json.loads, out.stdout.splitlines())}
    assert summary["上海市普陀区人民政府万里街道办事处"]["indicators"] == 65
    bad = _cli(["goals", "--sort", "nonsense"], data_dir)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr and "nonsense" in bad.stderr


def test_stored_goals_of_every_sample_never_overlap_and_cite_only_their_own_words(samples_index) -> None:
    """Over every goal the real ``ingest`` stored for the samples (PDF tables and page
    text alike): no two goals of a document cover the same characters (a goal cell is
    never found again in the page text), and a vague-word reason names only words of
    the goal's own text."""
    import sqlite3

    with sqlite3.connect(samples_index.db) as conn:
        rows = conn.execute("SELECT doc_id, json FROM items WHERE type = 'goal'").fetchall()
    by_doc: dict[str, list[dict]] = {}
    for doc_id, raw in rows:
        by_doc.setdefault(doc_id, []).append(json.loads(raw))
    assert len(by_doc) >= 5 and any(g.get("source") == "table" for gs in by_doc.values() for g in gs)
    cited = 0
    for found in by_doc.values():
        found.sort(key=lambda g: (g["start"], g["end"]))
        for a, b in zip(found, found[1:]):
            assert b["start"] >= a["end"], (a["text"][:40], b["text"][:40])
        for g in found:
            for reason in g.get("reasons", []):
                if reason.startswith("模糊用语"):
                    words = reason.split(": ", 1)[1].split("、")
                    assert all(w in g["text"] for w in words), (g["text"][:60], reason)
                    cited += 1
    assert cited >= 10


@pytest.mark.parametrize("path", ["/api/goals", "/api/goals.csv", "/api/indicators", "/api/indicators.csv",
                                  "/api/figures", "/api/figures.csv"])
def test_a_filter_on_a_field_that_cannot_exist_is_a_400_naming_it(client: TestClient, path: str) -> None:
    """The store's FilterError reaches the user as a 400 with its bilingual message (api.render.bad_input)."""
    r = client.get(path, params={"no-such-field__gt": "1"})
    assert r.status_code == 400, r.text
    assert "未知字段 unknown field" in r.json()["detail"] and "no-such-field" in r.json()["detail"]

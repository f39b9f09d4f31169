"""``GET /api/orgs``, ``GET /api/regions`` and ``policylens orgs/regions`` on the
session's samples index (real SQLite file, real CLI subprocess)."""
from __future__ import annotations

import json

from conftest import run_cli


def test_api_orgs_lists_canonical_names_with_counts(client):
    r = client.get("/api/orgs", params={"limit": 200})
    assert r.status_code == 200
    body = r.json()
    rows = {row["name"]: row for row in body["items"]}
    assert "烟台市财政局" in rows and "乐陵市财政局" in rows
    assert rows["烟台市财政局"]["documents"] == 1 and rows["烟台市财政局"]["mentions"] >= 3
    assert body["total"] >= len(body["items"])
    r = client.get("/api/orgs", params={"q": "财政局"})
    assert r.status_code == 200 and all("财政局" in row["name"] for row in r.json()["items"])


def test_api_regions_have_level_and_path(client):
    r = client.get("/api/regions", params={"q": "乐陵"})
    assert r.status_code == 200
    [row] = [x for x in r.json()["items"] if x["name"] == "乐陵市"]
    assert row["level"] == "county" and row["path"] == ["山东省", "德州市", "乐陵市"]
    assert row["documents"] >= 1


def test_api_bad_parameters_are_400_not_500(client):
    assert client.get("/api/orgs", params={"limit": "x"}).status_code in (400, 422)
    assert client.get("/api/regions", params={"year": "1"}).status_code in (400, 422)
    r = client.get("/api/orgs", params={"q": "'; DROP TABLE items; --"})
    assert r.status_code == 200 and r.json()["items"] == []


def test_cli_orgs_and_regions(samples_index):
    proc = run_cli(["orgs", "--json", "--q", "财政局"], samples_index.data_dir)
    assert proc.returncode == 0, proc.stderr
    names = [json.loads(line)["name"] for line in proc.stdout.splitlines() if line.strip()]
    assert "烟台市财政局" in names
    proc = run_cli(["regions", "--limit", "5"], samples_index.data_dir)
    assert proc.returncode == 0, proc.stderr
    assert "地区" in proc.stdout

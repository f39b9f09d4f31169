"""Correcting one document's metadata (search/corrections.py, CLI, API): stored
apart from the analysis, laid over it whenever the document is stored again,
listed by ``check-metadata`` when it contradicts the title or file name.
Real SQLite files, the real app, the CLI as a subprocess of this checkout."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from ingest.readers import read
from search.corrections import CorrectionError, check_metadata, correct_document, load_corrections
from search.indexing import store_document
from search.sqlite import SQLiteBackend

REPO = Path(__file__).resolve().parent.parent
LAW = ("# 杭州市绩效管理条例\n\n2015年8月27日 杭州市第十二届人民代表大会常务委员会第三十次会议通过\n\n"
       "第一条 为了建立健全绩效管理制度，杭州市财政局会同有关部门制定本条例。\n")


@pytest.fixture()
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYLENS_DATA_DIR", str(tmp_path))
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / "budget2016_hangzhou.md"  # the file name says budget 2016, the title says law 2015
    path.write_text(LAW, encoding="utf-8")
    backend = SQLiteBackend(tmp_path / "policylens.sqlite3")
    doc_id = store_document(read(path), backend).doc_id
    yield backend, doc_id, path, tmp_path
    backend.close()


def test_stored_document_carries_metadata_sources(store):
    backend, doc_id, _, _ = store
    doc = backend.get_document(doc_id)
    assert (doc["doc_type"], doc["org"], doc["region"], doc["year"]) == (
        "law", "杭州市人民代表大会常务委员会", "杭州市", 2015)
    assert doc["meta_sources"] == {"doc_type": "issuer", "org": "issuer", "region": "issuer", "year": "issuer"}


def test_check_lists_contradictions_with_the_file_name(store):
    backend, doc_id, _, _ = store
    rows = check_metadata(backend)
    found = {(r["field"], r["stated"], r["where"]) for r in rows if r["doc_id"] == doc_id}
    assert found == {("doc_type", "budget", "file name"), ("year", 2016, "file name")}


def test_correction_is_applied_and_survives_reanalysis(store):
    backend, doc_id, path, data = store
    doc = correct_document(backend, doc_id, {"org": "杭州市人民政府", "year": 2016})
    assert (doc["org"], doc["year"], doc["region"]) == ("杭州市人民政府", 2016, "杭州市")
    assert doc["meta_sources"]["org"] == "manual" and doc["meta_sources"]["doc_type"] == "issuer"
    contexts = [i["context"] for i in doc["items"] if i.get("context", {}).get("org")]
    assert contexts and all(c["org"] == "杭州市人民政府" for c in contexts)
    assert load_corrections(data) == {doc_id: {"org": "杭州市人民政府", "year": 2016}}
    # analysed afresh (as after an upgrade of the rules): the correction is laid over again
    backend.delete_document(doc_id)
    assert store_document(read(path), backend).status == "ingested"
    again = backend.get_document(doc_id)
    assert (again["org"], again["year"], again["meta_sources"]["year"]) == ("杭州市人民政府", 2016, "manual")
    # the year now agrees with the file name; the type still contradicts it
    fields = {r["field"] for r in check_metadata(backend) if r["doc_id"] == doc_id}
    assert fields == {"doc_type"}
    moved = correct_document(backend, doc_id, {"region": "宁波市"})
    assert moved["region_path"] == ["浙江省", "宁波市"]
    assert ("region", "杭州市", "title") in {(r["field"], r["stated"], r["where"]) for r in check_metadata(backend)}
    correct_document(backend, doc_id, {"region": "上城区"})  # a district of 杭州市 agrees with the title
    assert "region" not in {r["field"] for r in check_metadata(backend)}
    # null drops a correction: the field is the analysis' again
    back = correct_document(backend, doc_id, {"year": None})
    assert (back["year"], back["meta_sources"]["year"]) == (2015, "issuer")
    assert back["org"] == "杭州市人民政府" and back["meta_sources"]["org"] == "manual"
    assert load_corrections(data)[doc_id] == {"org": "杭州市人民政府", "region": "上城区"}


@pytest.mark.parametrize("fields", [{"doc_type": "memo"}, {"year": "soon"}, {"year": 1500},
                                    {"org": ""}, {"org": "x" * 101}, {"colour": "red"}, {}])
def test_bad_corrections_are_refused_and_nothing_changes(store, fields):
    backend, doc_id, _, data = store
    with pytest.raises(CorrectionError):
        correct_document(backend, doc_id, fields)
    assert backend.get_document(doc_id)["org"] == "杭州市人民代表大会常务委员会"
    assert load_corrections(data) == {}


def test_unknown_document_is_none_and_stores_nothing(store):
    backend, _, _, data = store
    assert correct_document(backend, "nope", {"year": 2020}) is None
    assert load_corrections(data) == {}


def test_api_metadata_get_put_and_check(store):
    backend, doc_id, _, _ = store
    with TestClient(create_app(backend=backend, api_token="t0ken")) as client:
        r = client.put(f"/api/documents/{doc_id}/metadata", json={"doc_type": "policy"})
        assert r.status_code == 401  # a correction is a write: no token, no change
        client.headers["Authorization"] = "Bearer t0ken"
        r = client.get(f"/api/documents/{doc_id}/metadata")
        assert r.status_code == 200
        meta = r.json()["metadata"]
        assert meta["doc_type"] == {"value": "law", "source": "issuer", "label": "法律法规"}
        assert meta["org"]["level"] == "市级"
        r = client.put(f"/api/documents/{doc_id}/metadata", json={"doc_type": "policy"})
        assert r.status_code == 200 and r.json()["metadata"]["doc_type"]["source"] == "manual"
        assert client.get(f"/api/documents/{doc_id}").json()["meta_sources"]["doc_type"] == "manual"
        assert client.put(f"/api/documents/{doc_id}/metadata", json={"doc_type": "memo"}).status_code == 400
        assert client.put("/api/documents/nope/metadata", json={"year": 2020}).status_code == 404
        rows = client.get("/api/metadata/check").json()["rows"]
        assert {(r["field"], r["stated"]) for r in rows} >= {("doc_type", "law"), ("doc_type", "budget")}


def run_here(args: list[str], data: Path) -> subprocess.CompletedProcess:
    """This checkout's CLI (``python -m api.cli``), not an installed script."""
    env = {**os.environ, "POLICYLENS_DATA_DIR": str(data), "COLUMNS": "200"}
    env.pop("POLICYLENS_ES_URL", None)
    return subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True, text=True,
                          env=env, cwd=str(REPO), timeout=600)


def test_cli_check_and_set_metadata(store):
    backend, doc_id, _, data = store
    backend.close()
    proc = run_here(["check-metadata", "--json"], data)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert {r["field"] for r in rows} == {"doc_type", "year"}
    proc = run_here(["set-metadata", doc_id, "--type", "budget", "--year", "2016", "--json"], data)
    assert proc.returncode == 0, proc.stderr
    shown = {json.loads(line)["field"]: json.loads(line) for line in proc.stdout.splitlines()}
    assert shown["doc_type"]["value"] == "budget" and shown["doc_type"]["source"] == "manual"
    proc = run_here(["set-metadata", doc_id, "--type", "memo"], data)
    assert proc.returncode == 2 and "memo" in proc.stderr and "Traceback" not in proc.stderr
    proc = run_here(["set-metadata", "nope", "--year", "2020"], data)
    assert proc.returncode == 1 and "nope" in proc.stderr

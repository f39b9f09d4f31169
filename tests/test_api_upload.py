"""``POST /api/documents``: upload, analyse and index one file into a real
temp SQLite store; bad and oversized files are 400/413, never 500."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.routes import documents
from search.sqlite import SQLiteBackend

TEXT = "乐陵市财政局2019年预算绩效管理工作总结。\n\n全年共有15家单位开展绩效自评，节约资金300万元。\n"


@pytest.fixture
def store(tmp_path):
    backend = SQLiteBackend(tmp_path / "upload.sqlite3")
    yield backend
    backend.close()


@pytest.fixture
def upload_client(store):
    return TestClient(create_app(backend=store))


def test_upload_then_search_then_same_again(upload_client, store):
    files = {"file": ("总结.txt", TEXT.encode("utf-8"), "text/plain")}
    r = upload_client.post("/api/documents", files=files)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "ingested" and body["doc"] == "总结.txt"
    hits = upload_client.get("/api/search", params={"q": "绩效自评"}).json()["hits"]
    assert [h["doc"] for h in hits] == ["总结.txt"]
    doc = upload_client.get(f"/api/documents/{body['id']}").json()
    assert doc["text"] == TEXT
    assert any(i["type"] == "figure" and i["text"] == "300万元" for i in doc["items"])
    again = upload_client.post("/api/documents", files=files).json()
    assert again["status"] == "unchanged"
    newer = {"file": ("总结.txt", (TEXT + "补充说明。\n").encode("utf-8"), "text/plain")}
    assert upload_client.post("/api/documents", files=newer).json()["status"] == "replaced"
    assert store.stats()["documents"] == 1


@pytest.mark.parametrize("name,data", [("empty.txt", b""), ("x.exe", b"MZ\x00\x01"),
                                       ("bad.pdf", b"%PDF-1.4 not really")])
def test_bad_upload_is_400_naming_the_file(upload_client, name, data):
    r = upload_client.post("/api/documents", files={"file": (name, data)})
    assert r.status_code == 400, r.text
    assert name in r.json()["detail"]


def test_oversized_upload_is_413(upload_client, monkeypatch):
    monkeypatch.setattr(documents, "MAX_UPLOAD_BYTES", 1000)
    r = upload_client.post("/api/documents", files={"file": ("big.txt", "预算".encode() * 1000)})
    assert r.status_code == 413 and "big.txt" in r.json()["detail"]

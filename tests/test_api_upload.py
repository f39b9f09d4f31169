"""``POST /api/documents``: upload with the write token, analysed in the
background process, into a real temp SQLite store; bad and oversized files are
400/413, a different file under a stored name is 409, never 500."""
from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.routes import documents
from api.uploads import UploadQueue
from search.pool import analyse_upload
from search.sqlite import SQLiteBackend

TEXT = "乐陵市财政局2019年预算绩效管理工作总结。\n\n全年共有15家单位开展绩效自评，节约资金300万元。\n"
TOKEN = "test-write-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def store(tmp_path):
    backend = SQLiteBackend(tmp_path / "upload.sqlite3")
    yield backend
    backend.close()


@pytest.fixture
def upload_client(store):
    """A client carrying the write token; the app's analysis process ends with it."""
    with TestClient(create_app(backend=store, api_token=TOKEN), headers=AUTH) as client:
        yield client


def upload(client: TestClient, name: str, data: bytes, **params) -> dict:
    """Upload and wait for the analysis; the job as JSON (with its HTTP code)."""
    r = client.post("/api/documents", files={"file": (name, data, "text/plain")},
                    params={"wait": "true", **params})
    body = r.json()
    assert body.get("code", r.status_code) == r.status_code, body
    return {"http": r.status_code, **body}


def test_upload_then_search_then_same_again(upload_client, store):
    body = upload(upload_client, "总结.txt", TEXT.encode("utf-8"))
    assert body["http"] == 200 and body["status"] == "ingested" and body["doc"] == "总结.txt"
    hits = upload_client.get("/api/search", params={"q": "绩效自评"}).json()["hits"]
    assert [h["doc"] for h in hits] == ["总结.txt"]
    doc = upload_client.get(f"/api/documents/{body['id']}").json()
    assert doc["text"] == TEXT
    assert any(i["type"] == "figure" and i["text"] == "300万元" for i in doc["items"])
    polled = upload_client.get(body["status_url"]).json()
    assert polled["status"] == "ingested" and polled["id"] == body["id"]
    assert upload(upload_client, "总结.txt", TEXT.encode("utf-8"))["status"] == "unchanged"
    newer = (TEXT + "补充说明。\n").encode("utf-8")
    refused = upload(upload_client, "总结.txt", newer)
    assert refused["http"] == 409 and "replace=true" in refused["detail"]
    assert upload_client.get(f"/api/documents/{body['id']}").status_code == 200
    assert upload(upload_client, "总结.txt", newer, replace="true")["status"] == "replaced"
    assert store.stats()["documents"] == 1


def test_upload_without_wait_is_202_then_polled(upload_client):
    r = upload_client.post("/api/documents", files={"file": ("a.txt", TEXT.encode("utf-8"))})
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["status"] in ("queued", "running", "ingested") and job["status_url"]
    documents_queue = upload_client.app.state.uploads
    assert documents_queue.get(job["upload"]).done.wait(300)
    assert upload_client.get(job["status_url"]).json()["status"] == "ingested"
    assert upload_client.get("/api/uploads/nonexistent").status_code == 404


def test_same_content_under_a_second_name_is_reported(upload_client, store):
    first = upload(upload_client, "一.txt", TEXT.encode("utf-8"))
    second = upload(upload_client, "二.txt", TEXT.encode("utf-8"))
    assert second["status"] == "duplicate" and second["same_as"] == "一.txt"
    assert second["id"] == first["id"] and store.stats()["documents"] == 1
    doc = upload_client.get(f"/api/documents/{first['id']}").json()
    assert doc["doc"] == "一.txt" and doc["aliases"] == ["upload:二.txt"]
    upload(upload_client, "二.txt", TEXT.encode("utf-8"))  # recorded once
    assert upload_client.get(f"/api/documents/{first['id']}").json()["aliases"] == ["upload:二.txt"]


def test_file_name_control_characters_are_removed(upload_client):
    """The multipart body is written by hand: HTTP clients escape such names, attackers do not."""
    name = "../x\x00y\x1b\u202e报告\t.txt".encode("utf-8")
    body = (b"--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
            + b"\"\r\nContent-Type: text/plain\r\n\r\n" + TEXT.encode("utf-8") + b"\r\n--b0undary--\r\n")
    r = upload_client.post("/api/documents", params={"wait": "true"}, content=body,
                           headers={"Content-Type": "multipart/form-data; boundary=b0undary"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "ingested" and body["doc"] == "xy报告.txt"
    assert upload_client.get(f"/api/documents/{body['id']}").json()["doc"] == "xy报告.txt"


@pytest.mark.parametrize("name,data", [("empty.txt", b""), ("x.exe", b"MZ\x00\x01"),
                                       ("bad.pdf", b"%PDF-1.4 not really")])
def test_bad_upload_is_400_naming_the_file(upload_client, name, data):
    r = upload_client.post("/api/documents", files={"file": (name, data)}, params={"wait": "true"})
    assert r.status_code == 400, r.text
    assert name in r.json()["detail"]


def test_oversized_upload_is_413(upload_client, monkeypatch):
    monkeypatch.setattr(documents, "MAX_UPLOAD_BYTES", 1000)
    r = upload_client.post("/api/documents", files={"file": ("big.txt", "预算".encode() * 1000)})
    assert r.status_code == 413 and "big.txt" in r.json()["detail"]


def misbehave_on_marked_upload(task: tuple[bytes, str, str]):
    """The real analysis step, except that ``hang*`` never ends and ``hog*`` asks for 4 GB."""
    if task[1].startswith("hang"):
        time.sleep(3600)
    if task[1].startswith("hog"):
        bytearray(4 * 2**30)
    return analyse_upload(task)


@pytest.mark.parametrize("name,code,setting", [("hang.txt", 422, "POLICYLENS_UPLOAD_TIME_LIMIT"),
                                               ("hog.txt", 413, "POLICYLENS_UPLOAD_MEMORY_LIMIT")])
def test_upload_over_a_limit_fails_alone_naming_it(store, name, code, setting):
    app = create_app(backend=store, api_token=TOKEN)
    app.state.uploads = UploadQueue(lambda: store, time_limit=20, memory_limit=1400 * 2**20,
                                    process=misbehave_on_marked_upload)
    with TestClient(app, headers=AUTH) as client:
        bad = upload(client, name, TEXT.encode("utf-8"))
        assert bad["http"] == code and bad["status"] == "failed", bad
        assert name in bad["detail"] and setting in bad["detail"]
        assert upload(client, "fine.txt", TEXT.encode("utf-8"))["status"] == "ingested"
    assert [d["doc"] for d in store.list_documents()[0]] == ["fine.txt"]

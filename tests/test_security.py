"""Write access behind a token, Host and Origin checks (issue 15).

Real app over a real temp SQLite store; the last test runs the real ``serve``
command and talks to it over HTTP. Uploads here are refused before analysis
(an ``.exe``) when only the access decision matters: 400 means "let in".
"""
from __future__ import annotations

import os
import re

import httpx
import pytest
from fastapi import APIRouter, Depends
from fastapi.testclient import TestClient

from api.app import create_app
from api.security import COOKIE, WRITE_RESPONSES, require_write
from search.sqlite import SQLiteBackend
from tests.conftest import start_server

TOKEN = "s3cret-token"
EXE = {"file": ("x.exe", b"MZ\x00\x01")}  # refused by the reader: 400 once access is granted


@pytest.fixture
def app(tmp_path):
    backend = SQLiteBackend(tmp_path / "sec.sqlite3")
    yield create_app(backend=backend, api_token=TOKEN)
    backend.close()


@pytest.fixture
def client(app):
    return TestClient(app)


def test_reads_are_open_without_token(client):
    assert client.get("/health").status_code == 200
    assert client.get("/api/documents").status_code == 200
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"},
                                     {"Authorization": f"Basic {TOKEN}"},
                                     {"Authorization": "Bearer"}])
def test_upload_without_the_right_token_is_401(client, headers):
    r = client.post("/api/documents", files=EXE, headers=headers)
    assert r.status_code == 401, r.text
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert "token" in r.json()["detail"]


def test_upload_with_the_token_is_let_in(client):
    r = client.post("/api/documents", files=EXE, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 400 and "x.exe" in r.json()["detail"]


def test_token_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYLENS_API_TOKEN", "from-env")
    backend = SQLiteBackend(tmp_path / "env.sqlite3")
    try:
        c = TestClient(create_app(backend=backend))
        assert c.post("/api/documents", files=EXE).status_code == 401
        ok = c.post("/api/documents", files=EXE, headers={"Authorization": "Bearer from-env"})
        assert ok.status_code == 400
    finally:
        backend.close()


def test_login_link_sets_a_strict_httponly_cookie_and_drops_the_token(client):
    r = client.get(f"/documents?token={TOKEN}&x=1", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/documents?x=1"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}={TOKEN};")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    # the page's own form posts carry the cookie
    assert client.post("/api/documents", files=EXE).status_code == 400


def test_wrong_login_link_sets_no_cookie(client):
    r = client.get("/?token=wrong", follow_redirects=False)
    assert r.status_code == 303 and "set-cookie" not in r.headers
    assert client.post("/api/documents", files=EXE).status_code == 401


@pytest.mark.parametrize("header,value", [("Origin", "http://evil.example"),
                                          ("Origin", "null"),
                                          ("Origin", "http://testserver.evil.example"),
                                          ("Referer", "http://evil.example/page.html")])
def test_cross_origin_write_is_403_even_with_the_token(client, header, value):
    r = client.post("/api/documents", files=EXE,
                    headers={"Authorization": f"Bearer {TOKEN}", header: value})
    assert r.status_code == 403, r.text
    assert "cross-origin" in r.json()["detail"]


def test_same_origin_write_is_let_in(client):
    r = client.post("/api/documents", files=EXE, headers={
        "Authorization": f"Bearer {TOKEN}", "Origin": "http://testserver",
        "Referer": "http://testserver/documents"})
    assert r.status_code == 400


@pytest.mark.parametrize("host", ["evil.example", "attacker.test:8000", "127.0.0.2"])
def test_unknown_host_is_refused(client, host):
    r = client.get("/health", headers={"Host": host})
    assert r.status_code == 400 and "unknown host" in r.text


@pytest.mark.parametrize("host", ["localhost:8000", "127.0.0.1", "[::1]:8110", "testserver"])
def test_known_hosts_are_answered(client, host):
    assert client.get("/health", headers={"Host": host}).status_code == 200


def test_configured_host_is_answered(client, monkeypatch):
    monkeypatch.setenv("POLICYLENS_ALLOWED_HOSTS", "testserver, lens.example.org")
    assert client.get("/health", headers={"Host": "lens.example.org"}).status_code == 200
    assert client.get("/health", headers={"Host": "other.example.org"}).status_code == 400


def test_the_dependency_guards_any_new_write_route(app):
    """Another write route reuses the check with one line (what later routes do)."""
    router = APIRouter()

    @router.post("/api/fix", dependencies=[Depends(require_write)], responses=WRITE_RESPONSES)
    def fix() -> dict:
        return {"ok": True}

    app.include_router(router)
    c = TestClient(app)
    assert c.post("/api/fix").status_code == 401
    assert c.post("/api/fix", headers={"Authorization": f"Bearer {TOKEN}"}).json() == {"ok": True}
    schema = c.get("/openapi.json").json()["paths"]["/api/fix"]["post"]["responses"]
    assert {"401", "403"} <= set(schema)


def test_upload_route_declares_auth_in_openapi(client):
    responses = client.get("/openapi.json").json()["paths"]["/api/documents"]["post"]["responses"]
    assert {"202", "400", "401", "403", "409", "413", "422"} <= set(responses)


def test_serve_generates_and_prints_a_token(tmp_path):
    """The real ``serve`` without POLICYLENS_API_TOKEN: a random token on stderr, and
    only that token opens writes."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("POLICYLENS_API_TOKEN", "POLICYLENS_ALLOWED_HOSTS", "POLICYLENS_ES_URL")}
    env["POLICYLENS_DATA_DIR"] = str(tmp_path)
    server = start_server(env, tmp_path / "serve.log")
    try:
        first = server.log.read_text(errors="replace").splitlines()[0]
        token = re.search(r"write token \(.*?\): (\S+)", first).group(1)
        assert len(token) >= 24
        # httpx's 5 s default is short for a first request on a loaded machine
        with httpx.Client(base_url=server.url, timeout=60) as http:
            assert http.post("/api/documents", files=EXE).status_code == 401
            ok = http.post("/api/documents", files=EXE, headers={"Authorization": f"Bearer {token}"})
            assert ok.status_code == 400
            assert http.get("/health", headers={"Host": "rebound.example"}).status_code == 400
    finally:
        server.stop()


def test_metadata_correction_schema_states_what_is_accepted():
    """Schemathesis found a schema-valid correction refused (year 0): the OpenAPI
    document now states the bounds the corrections module checks."""
    from api.app import create_app
    from fastapi.testclient import TestClient

    schema = TestClient(create_app(api_token="t")).get("/openapi.json").json()
    body = schema["components"]["schemas"]["MetadataCorrection"]
    year = next(s for s in body["properties"]["year"]["anyOf"] if s.get("type") == "integer")
    assert (year["minimum"], year["maximum"]) == (1900, 2200) and body["minProperties"] == 1
    assert "budget" in body["properties"]["doc_type"]["enum"]

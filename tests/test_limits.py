"""Bounded work per request (issue 15): zip bombs refused before parsing, and
numeric parameters out of range answered 422 (API) or corrected (pages), never 500.

The archives are real .docx files made here: a 1 GB-expanding document.xml
(about 1 MB on disk) and an archive of 6,000 entries.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from ingest import docx
from ingest.document import IngestError, LimitError
from ingest.readers import read
from fixtures.ingest_files import zip_bomb
from search.sqlite import SQLiteBackend

TOKEN = "limits-token"
HUGE = str(2**63)  # one past the largest 64-bit integer


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    return zip_bomb(tmp_path_factory.mktemp("bomb") / "bomb.docx")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    store = SQLiteBackend(tmp_path_factory.mktemp("limits") / "s.sqlite3")
    yield TestClient(create_app(backend=store, api_token=TOKEN),
                     headers={"Authorization": f"Bearer {TOKEN}"})
    store.close()


def test_zip_bomb_is_small_on_disk(bomb):
    assert bomb.stat().st_size < 20 * 1024 * 1024
    with zipfile.ZipFile(bomb) as z:
        assert sum(i.file_size for i in z.infolist()) >= 1024**3


def test_zip_bomb_read_is_refused_naming_the_limit(bomb):
    with pytest.raises(LimitError, match="bomb.docx.*MAX_EXPANDED_BYTES"):
        read(bomb)


def test_zip_bomb_upload_is_413_before_analysis(client, bomb):
    r = client.post("/api/documents", files={"file": ("bomb.docx", bomb.read_bytes())},
                    params={"wait": "true"})
    assert r.status_code == 413, r.text
    assert "bomb.docx" in r.json()["detail"] and "MAX_EXPANDED_BYTES" in r.json()["detail"]
    assert getattr(client.app.state, "uploads", None) is None  # refused before any queue


def test_request_over_the_body_limit_is_413_before_it_is_read(client):
    """A declared Content-Length over the limit is refused from the headers alone."""
    from api.security import MAX_REQUEST_BYTES

    def body():  # would be 200 MB; the server answers before asking for any of it
        yield b"x" * 1024
        raise AssertionError("the server read the body")

    r = client.post("/api/documents", content=body(),
                    headers={"Content-Length": str(200 * 1024 * 1024),
                             "Content-Type": "multipart/form-data; boundary=b"})
    assert r.status_code == 413 and str(MAX_REQUEST_BYTES) in r.json()["detail"]


def test_too_many_entries_is_refused(tmp_path):
    path = tmp_path / "many.docx"
    with zipfile.ZipFile(path, "w") as z:
        for i in range(docx.MAX_ENTRIES + 1):
            z.writestr(f"word/media/{i}.xml", "<x/>")
    with pytest.raises(LimitError, match="many.docx.*MAX_ENTRIES"):
        read(path)


def test_lying_zip_directory_cannot_expand_past_what_it_declares(tmp_path):
    """An entry that declares 1 KB but inflates to 50 MB passes the directory
    check, but zipfile stops at the declared size and the CRC check fails: the
    reader reports a corrupt file naming it."""
    path = tmp_path / "liar.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:p/>" * (50 * 1024 * 1024 // 6))
    with zipfile.ZipFile(path) as z:
        declared = z.getinfo("word/document.xml").file_size
    data = path.read_bytes()
    lie = data.replace(declared.to_bytes(4, "little"), (1024).to_bytes(4, "little"))
    assert data.count(declared.to_bytes(4, "little")) == 2  # local header and directory
    path.write_bytes(lie)
    docx.check_archive(lie, str(path))  # the directory alone looks harmless
    with zipfile.ZipFile(path) as z, pytest.raises(zipfile.BadZipFile, match="CRC"):
        z.read("word/document.xml")
    with pytest.raises(IngestError, match="liar.docx.*corrupt"):
        read(path)


@pytest.mark.parametrize("route", ["/api/documents", "/api/figures", "/api/goals", "/api/indicators",
                                   "/api/figures.csv", "/api/orgs", "/api/regions", "/api/similar",
                                   "/api/indicators/catalogue", "/api/search"])
@pytest.mark.parametrize("value", [HUGE, "-1", "1e3"])
def test_out_of_range_offset_is_422(client, route, value):
    r = client.get(route, params={"offset": value})
    assert r.status_code == 422, (route, r.status_code, r.text[:200])


@pytest.mark.parametrize("route", ["/documents", "/items/figure", "/items/goal", "/"])
def test_pages_correct_a_huge_offset(client, route):
    r = client.get(route, params={"offset": HUGE, "q": "预算"})
    assert r.status_code == 200, r.text[:300]


@pytest.mark.parametrize("params", [{"value__gt": HUGE}, {"year__lt": "9" * 40},
                                    {"start__in": f"1,{HUGE}"}, {"min": "1e999"}])
def test_huge_filter_values_are_not_a_500(client, params):
    r = client.get("/api/figures", params=params)
    assert r.status_code in (200, 400, 422), r.text[:300]


def test_xlsx_zip_bomb_is_refused_before_openpyxl_parses_it(bomb, tmp_path):
    """An .xlsx is a zip of XML like a .docx: the same archive limits apply."""
    sheet = tmp_path / "bomb.xlsx"
    sheet.write_bytes(bomb.read_bytes())
    with pytest.raises(LimitError, match="bomb.xlsx.*MAX_EXPANDED_BYTES"):
        read(sheet)

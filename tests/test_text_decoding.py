"""Text that is almost right (issue 15): a stray or cut UTF-8 byte is replaced by
U+FFFD with a warning on the document; a file that is not Chinese and decodes
only by guessing is refused, never stored garbled."""
from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import corpora
from api.app import create_app
from ingest.document import IngestError
from ingest.readers import read, read_bytes
from search.sqlite import SQLiteBackend

LELING = corpora.path("samples", "leling_budget_performance_2019.txt").read_text(encoding="utf-8")
FRENCH = ("Le budget de la commune a été adopté. Les dépenses sont réparties entre les écoles, "
          "la santé et les routes. ") * 20
RUSSIAN = "Бюджет города утверждён. Расходы на образование выросли на десять процентов. " * 20


def test_stray_byte_is_replaced_with_a_warning():
    raw = LELING.encode("utf-8")
    doc = read_bytes(raw[:500] + b"\xff" + raw[500:], "stray.txt")
    assert doc.encoding == "utf-8" and doc.text.count("\ufffd") == 1
    assert doc.text.replace("\ufffd", "") == LELING
    [warning] = doc.meta["warnings"]
    assert "U+FFFD" in warning and "500" in warning


def test_file_cut_inside_a_character_is_read_with_a_warning(tmp_path: Path):
    text = LELING.rstrip() + "\n特此报告。"
    f = tmp_path / "cut.md"
    f.write_bytes(text.encode("utf-8")[:-1])  # the last 。 loses its last byte
    doc = read(f)
    assert doc.text == text[:-1] + "\ufffd"
    assert "ends inside a character" in doc.meta["warnings"][0]


def test_clean_files_have_no_warning():
    assert "warnings" not in read_bytes(LELING.encode("utf-8"), "ok.txt").meta
    assert "warnings" not in read_bytes(LELING.encode("gb18030"), "gbk.txt").meta


def test_gbk_is_not_mistaken_for_broken_utf8():
    doc = read_bytes(LELING.encode("gbk"), "gbk.txt")
    assert doc.text == LELING and doc.encoding == "gb18030"


@pytest.mark.parametrize("name,data", [("latin1.txt", FRENCH.encode("latin-1")),
                                       ("cp1252.md", FRENCH.encode("cp1252")),
                                       ("cyrillic.txt", RUSSIAN.encode("cp1251")),
                                       ("koi8.txt", RUSSIAN.encode("koi8-r"))])
def test_non_chinese_text_in_a_guessed_encoding_is_refused(name, data):
    with pytest.raises(IngestError, match=f"{name}.*not Chinese"):
        read_bytes(data, name)


def test_guessed_chinese_encoding_is_kept_with_a_warning():
    text = "各位代表：現在，我代表政府向大會報告工作，請予審議。過去一年，經濟運行穩中向好。\n" * 5
    doc = read_bytes(text.encode("big5"), "big5.txt")
    assert doc.text == text and "guessed" in doc.meta["warnings"][0]


def test_upload_shows_the_warning_on_the_job_and_the_document(tmp_path):
    store = SQLiteBackend(tmp_path / "w.sqlite3")
    token = "warn-token"
    raw = LELING.encode("utf-8")
    with TestClient(create_app(backend=store, api_token=token),
                    headers={"Authorization": f"Bearer {token}"}) as client:
        r = client.post("/api/documents", params={"wait": "true"},
                        files={"file": ("stray.txt", raw[:300] + b"\xfe" + raw[300:])})
        assert r.status_code == 200, r.text
        job = r.json()
        assert job["status"] == "ingested" and "U+FFFD" in job["warnings"][0]
        doc = client.get(f"/api/documents/{job['id']}").json()
        assert doc["warnings"] == job["warnings"]
        refused = client.post("/api/documents", params={"wait": "true"},
                              files={"file": ("latin1.txt", FRENCH.encode("latin-1"))})
        assert refused.status_code == 400 and "not Chinese" in refused.json()["detail"]
    store.close()

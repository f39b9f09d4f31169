"""Search across scripts (search.tokenize folds traditional characters with nlp.script's table):
a simplified query finds a passage in traditional script, highlights stay on the original
characters, and a store whose tokens were made by the older normalisation rebuilds them once."""
from __future__ import annotations

import json
import sqlite3

from search.backend import Query
from search.highlight import highlights
from search.query import parse
from search.sqlite import SQLiteBackend
from search.tokenize import TOKENS_VERSION, index_columns, normalize
from tests.conftest import run_cli
from tests.search_helpers import add_text

REPORT = "政府工作報告\n\n今年發展的主要預期目標是：國內生產總值增長6%左右；城鎮新增就業1100萬人以上。\n"
BUDGET = "部门预算说明\n\n本部门今年收入预算一千万元，用于机关运行。\n"


def test_normalize_folds_traditional_characters_one_for_one() -> None:
    assert normalize("政府工作報告") == "政府工作报告"
    assert normalize("國內生產總值ＧＤＰ") == "国内生产总值gdp"  # with width and case folding
    assert normalize("著名的乾隆年间，显著") == "著名的干隆年间,显著"  # 著 stays; 乾 folds on both sides
    assert len(normalize(REPORT)) == len(REPORT)
    assert index_columns("國內生產總值增長") == index_columns("国内生产总值增长")


def test_highlights_of_a_simplified_query_fall_on_the_traditional_characters() -> None:
    passage = "今年發展的主要預期目標是：國內生產總值增長6%左右"
    spans = highlights(passage, parse("国内生产总值"))
    assert [passage[s:e] for s, e in spans] == ["國內生產總值"]


def test_a_big5_report_is_found_by_a_simplified_query_through_the_cli(tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "report_big5.txt").write_bytes(REPORT.encode("big5"))  # a mirror site's copy
    (folder / "budget.txt").write_text(BUDGET, encoding="utf-8")
    data = tmp_path / "data"
    ingest = run_cli(["ingest", str(folder)], data)
    assert ingest.returncode == 0, ingest.stderr
    for mode in ("lexical", "hybrid"):  # hybrid without vectors answers lexically
        out = run_cli(["search", "政府工作报告 国内生产总值", "--json", "--mode", mode], data)
        assert out.returncode == 0, out.stderr
        hits = json.loads(out.stdout.splitlines()[0])["hits"]
        assert hits and {h["doc"] for h in hits} == {"report_big5.txt"}
        marked = {h["text"][s:e] for h in hits for s, e in h["highlights"]}
        assert marked == {"政府工作報告", "國內生產總值"}  # the characters as written


def _store_with_report(path) -> SQLiteBackend:
    backend = SQLiteBackend(path)
    add_text(backend, path.parent, "report.txt", REPORT)
    return backend


def _found(backend: SQLiteBackend, text: str) -> int:
    return len(backend.search(Query(text=text, mode="lexical")).hits)


def test_a_store_with_tokens_of_the_older_normalisation_rebuilds_them_once(tmp_path, capfd) -> None:
    path = tmp_path / "store.sqlite3"
    backend = _store_with_report(path)
    assert _found(backend, "国内生产总值增长") == 1
    backend.close()
    # what version 1 stored: the passage's own characters (no folding) and no version row
    conn = sqlite3.connect(path)
    for rowid, text in conn.execute("SELECT rowid, text FROM passages").fetchall():
        chars = " ".join(c for c in text if c.isalnum())
        conn.execute("UPDATE passages_fts SET words = ?, grams = ? WHERE rowid = ?", (chars, chars, rowid))
    conn.execute("DELETE FROM store_meta WHERE key = 'tokens'")
    conn.commit()
    conn.close()
    capfd.readouterr()

    reopened = SQLiteBackend(path)
    notice = capfd.readouterr().err
    assert "rebuilding the search tokens of 2 passages" in notice and str(path) in notice
    assert "policylens embed" in notice  # the dropped common-phrase lists come back with the next embed
    assert _found(reopened, "国内生产总值增长") == 1 and _found(reopened, "國內生產總值增長") == 1
    generation = reopened.generation()
    reopened.close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT value FROM store_meta WHERE key = 'tokens'").fetchone() == (
        str(TOKENS_VERSION),)
    conn.close()

    again = SQLiteBackend(path)  # current tokens: nothing is rebuilt, nothing written
    assert capfd.readouterr().err == "" and again.generation() == generation
    again.close()


def test_a_new_store_records_its_tokens_version_without_a_write(tmp_path) -> None:
    backend = SQLiteBackend(tmp_path / "new.sqlite3")
    assert backend.generation() == 0
    backend.close()
    conn = sqlite3.connect(tmp_path / "new.sqlite3")
    assert conn.execute("SELECT value FROM store_meta WHERE key = 'tokens'").fetchone() == (
        str(TOKENS_VERSION),)
    conn.close()

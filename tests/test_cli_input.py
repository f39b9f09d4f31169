"""Command-line input that is almost right (issue 15): a folder holding a file of
another type (SOURCES.tsv) ingests with exit 0 and reports it as skipped; a
queries file whose id holds a lone surrogate names the line. The real CLI of
this checkout (``python -m api.cli``), real files, a real SQLite index."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

GOOD = "乐陵市财政局关于预算绩效管理的说明。\n\n全市共有15家单位参加了绩效自评，节约资金300万元。\n"


def cli(args: list, data: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "POLICYLENS_ES_URL"}
    env.update(POLICYLENS_DATA_DIR=str(data), COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "api.cli", *map(str, args)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)


def test_unsupported_file_in_a_folder_is_skipped_not_failed(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "SOURCES.tsv").write_text("file\turl\ngood.txt\thttp://x\n", encoding="utf-8")
    proc = cli(["ingest", "-q", folder], tmp_path / "data")
    assert proc.returncode == 0, proc.stderr
    assert "新增 ingested: 1" in proc.stderr and "跳过 skipped: 1" in proc.stderr
    assert "SOURCES.tsv: 不支持的文件类型 unsupported file type" in proc.stderr
    # named explicitly, the same file is a failure
    named = cli(["ingest", "-q", folder / "SOURCES.tsv"], tmp_path / "data")
    assert named.returncode == 1 and "SOURCES.tsv" in named.stderr


def test_lone_surrogate_in_a_query_id_names_the_line(tmp_path):
    data = tmp_path / "data"
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    assert cli(["ingest", "-q", tmp_path / "good.txt"], data).returncode == 0
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"id": "q1", "query": "绩效自评"}\n\n{"id": "bad\\ud800", "query": "预算"}\n',
                       encoding="utf-8")
    proc = cli(["search", "--json", "--queries-file", queries], data)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"{queries}:3:" in proc.stderr and '"id"' in proc.stderr and "surrogate" in proc.stderr
    assert proc.stdout == ""  # nothing half-written before the error


def test_same_content_under_a_second_name_is_recorded(tmp_path):
    from search.sqlite import SQLiteBackend

    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(GOOD, encoding="utf-8")
    data = tmp_path / "data"
    proc = cli(["ingest", "-q", tmp_path / "a.txt", tmp_path / "b.txt"], data)
    assert proc.returncode == 0 and "未变 unchanged: 1" in proc.stderr
    store = SQLiteBackend(data / "policylens.sqlite3")
    try:
        [row], _ = store.list_documents()
        doc = store.get_document(row["id"])
        assert doc["doc"] == "a.txt" and doc["aliases"] == [str((tmp_path / "b.txt").resolve())]
    finally:
        store.close()

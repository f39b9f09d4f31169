"""End to end on the samples: the real ``policylens`` CLI ingests
``corpora/samples`` (once per session, see conftest), then search finds the
passages a reader would expect, a second ingest changes nothing, and a batch
with bad files reports each one and still ingests the good ones."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from conftest import SAMPLES, run_cli
from search.hybrid import PER_DOC

YANTAI = "yantai_daily_budget_performance_2023.txt"


def _search(data_dir: Path, query: str, limit: int = 10) -> list[dict]:
    proc = run_cli(["search", "--json", "--limit", limit, query], data_dir)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1
    out = json.loads(lines[0])
    assert out["id"] == query
    return out["hits"]


def _dump(db: Path) -> dict[str, list]:
    conn = sqlite3.connect(str(db))
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                for t in ("documents", "passages", "items")}
    finally:
        conn.close()


def test_ingest_of_samples_reports_every_file(samples_index):
    proc = samples_index.ingest
    n = len([p for p in SAMPLES.iterdir() if p.is_file()])
    assert proc.returncode == 0, proc.stderr
    assert f"共 {n} 个文件" in proc.stderr
    assert f"新增 ingested: {n}" in proc.stderr
    assert "失败 failed: 0" in proc.stderr
    assert proc.stdout == ""  # stdout stays clean for scripts


def test_third_party_institutions_finds_yantai_passage(samples_index):
    hits = _search(samples_index.data_dir, "第三方机构")
    yantai = [h for h in hits if h["doc"] == YANTAI and "20家" in h["text"]]
    assert yantai, [h["doc"] for h in hits]
    hit = yantai[0]
    assert "第三方机构" in hit["text"]
    marked = [hit["text"][s:e] for s, e in hit["highlights"]]
    assert any("第三方机构" in m or m in "第三方机构" for m in marked) and marked
    # the hit is the whole passage, at its offsets in the original file
    original = (SAMPLES / YANTAI).read_text(encoding="utf-8")
    assert original[hit["start"]:hit["end"]] == hit["text"]


def test_budget_and_poverty_find_passages(samples_index):
    for query in ("预算", "扶贫"):
        hits = _search(samples_index.data_dir, query)
        assert hits, query
        assert all(query in h["text"] for h in hits[:3]), query
        # best first, except that a document's passages past its first PER_DOC
        # are held back behind the other documents' (search.hybrid.collapse),
        # best first among themselves
        shown: dict[str, int] = {}
        front, held = [], []
        for h in hits:
            shown[h["doc"]] = shown.get(h["doc"], 0) + 1
            (front if shown[h["doc"]] <= PER_DOC else held).append(h["score"])
        assert front == sorted(front, reverse=True) and held == sorted(held, reverse=True)


def test_pdf_hits_carry_page_numbers(samples_index):
    hits = _search(samples_index.data_dir, "部门预算", limit=50)
    pdf = [h for h in hits if h["doc"].endswith(".pdf")]
    assert pdf and all(isinstance(h["page"], int) and h["page"] >= 1 for h in pdf)


def test_second_ingest_is_all_unchanged_and_rows_identical(samples_index):
    before = _dump(samples_index.db)
    proc = run_cli(["ingest", SAMPLES], samples_index.data_dir)
    n = len([p for p in SAMPLES.iterdir() if p.is_file()])
    assert proc.returncode == 0, proc.stderr
    assert f"未变 unchanged: {n}" in proc.stderr
    assert "新增 ingested: 0" in proc.stderr
    assert _dump(samples_index.db) == before


def test_bad_files_are_reported_and_good_ones_ingested(tmp_path):
    batch = tmp_path / "batch"
    (batch / "sub").mkdir(parents=True)
    (batch / "empty.txt").write_bytes(b"")
    (batch / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (batch / "corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<>> garbage \x00\x01\x02 no xref")
    (batch / "notes.xyz").write_text("未知格式", encoding="utf-8")
    good = "乐陵市财政局关于预算绩效管理的说明。\n\n全市共有15家单位参加了绩效自评，节约资金300万元。\n"
    (batch / "sub" / "good.txt").write_text(good, encoding="utf-8")
    data = tmp_path / "data"
    proc = run_cli(["ingest", batch, tmp_path / "missing.txt"], data)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    failed = [line for line in proc.stderr.splitlines() if line.strip().startswith("失败 failed:")]
    for name in ("empty.txt", "binary.txt", "corrupt.pdf", "missing.txt"):
        lines = [line for line in failed if name in line]
        assert len(lines) == 1, (name, proc.stderr)
        reason = lines[0].split(name, 1)[1].strip(": ")
        assert reason, lines[0]  # every failure says why
    assert "新增 ingested: 1" in proc.stderr
    assert "失败 failed: 4" in proc.stderr
    # a file of another type in a folder is skipped and reported, not a failure
    assert not [line for line in failed if "notes.xyz" in line]
    assert "跳过 skipped: 1" in proc.stderr and "notes.xyz: 不支持的文件类型" in proc.stderr
    hits = _search(data, "绩效自评")
    assert [h["doc"] for h in hits] == ["good.txt"]

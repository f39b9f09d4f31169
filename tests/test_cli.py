"""The CLI contract of FORMAT.md (``extract --json``, ``search --json
--queries-file``) and the readable outputs and error messages, run as real
subprocesses."""
from __future__ import annotations

import json

import pytest

from conftest import SAMPLES, run_cli

LELING = SAMPLES / "leling_budget_performance_2019.txt"
MALFORMED = ['"预算绩效', "预算 AND OR NOT", "NEAR(预算 绩效)", "！？。，", "*", "预算*",
             "'; DROP TABLE documents; --", "title:预算", "(((", "-", '""', "^预算"]


@pytest.fixture(scope="module")
def leling_items():
    proc = run_cli(["extract", "--json", LELING])
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def test_extract_json_items_point_into_the_original_text(leling_items):
    text = LELING.read_text(encoding="utf-8")
    assert leling_items, "no items extracted"
    for item in leling_items:
        assert {"type", "start", "end", "text"} <= item.keys()
        assert text[item["start"]:item["end"]] == item["text"]
        if item["type"] == "figure":
            assert {"kind", "value", "unit", "qualifier"} <= item.keys()
    assert any(i["type"] == "figure" and i["kind"] == "money" for i in leling_items)


def test_extract_readable_table_names_the_file(tmp_path):
    f = tmp_path / "说明.txt"
    f.write_text("全年节约资金300万元，共有15家单位参加。\n", encoding="utf-8")
    proc = run_cli(["extract", f])
    assert proc.returncode == 0, proc.stderr
    assert "说明.txt" in proc.stdout
    assert "figure" in proc.stdout and "300万元" in proc.stdout


@pytest.mark.parametrize("content,name", [(b"", "empty.txt"), (b"\x00\x01\xff" * 100, "bin.txt"),
                                          (b"%PDF-1.4 broken", "bad.pdf")])
def test_extract_bad_file_is_one_line_error(tmp_path, content, name):
    f = tmp_path / name
    f.write_bytes(content)
    proc = run_cli(["extract", "--json", f])
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0]


def test_extract_missing_file(tmp_path):
    proc = run_cli(["extract", "--json", tmp_path / "nope.txt"])
    assert proc.returncode != 0 and "nope.txt" in proc.stderr and "Traceback" not in proc.stderr


HEAVY = ("spacy", "jieba", "nlp.pipeline", "sklearn", "search.sqlite", "pdfplumber")


def test_extract_on_a_missing_file_loads_no_pipeline(tmp_path):
    """The CLI imports the pipeline only when a command needs it: a missing file
    is answered before spaCy, jieba, the models or the store are loaded (which
    took 2 s), checked by what the process imported, not by a clock."""
    import subprocess
    import sys

    from conftest import REPO

    script = ("import sys, runpy\n"
              f"sys.argv = ['policylens', 'extract', '--json', {str(tmp_path / 'nope.txt')!r}]\n"
              "try:\n    runpy.run_module('api.cli', run_name='__main__')\n"
              "except SystemExit as e:\n    code = e.code\n"
              f"print(code, [m for m in {HEAVY!r} if m in sys.modules])\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=REPO, timeout=600)
    assert "nope.txt" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout.split() == ["1", "[]"], proc.stdout


def test_search_queries_file_one_line_per_query(samples_index, tmp_path):
    qfile = tmp_path / "q.jsonl"
    queries = [{"id": "a", "query": "第三方机构"}, {"id": 7, "query": "隐性债务"},
               {"id": "empty", "query": "。。。"}]
    qfile.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in queries) + "\n",
                     encoding="utf-8")
    proc = run_cli(["search", "--json", "--limit", 3, "--queries-file", qfile],
                   samples_index.data_dir)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", 7, "empty"]
    assert out[2]["hits"] == []
    for o in out[:2]:
        assert 1 <= len(o["hits"]) <= 3
        for h in o["hits"]:
            assert {"doc", "text", "start", "end", "score"} <= h.keys()
            assert "/" not in h["doc"]  # base name only


def test_search_offset_pages_through_hits(samples_index):
    first = run_cli(["search", "--json", "--limit", 4, "预算"], samples_index.data_dir)
    second = run_cli(["search", "--json", "--limit", 2, "--offset", 2, "预算"],
                     samples_index.data_dir)
    a = json.loads(first.stdout)["hits"]
    b = json.loads(second.stdout)["hits"]
    assert [(h["doc"], h["start"]) for h in a[2:4]] == [(h["doc"], h["start"]) for h in b]


def test_search_readable_output(samples_index):
    proc = run_cli(["search", "第三方机构"], samples_index.data_dir)
    assert proc.returncode == 0, proc.stderr
    assert "yantai_daily_budget_performance_2023.txt" in proc.stdout
    assert "20家" in proc.stdout
    assert "【第三方" in proc.stdout  # matches marked even when piped


def test_malformed_queries_never_crash(samples_index, tmp_path):
    qfile = tmp_path / "bad.jsonl"
    qfile.write_text("\n".join(json.dumps({"id": i, "query": q}, ensure_ascii=False)
                               for i, q in enumerate(MALFORMED)), encoding="utf-8")
    proc = run_cli(["search", "--json", "--queries-file", qfile], samples_index.data_dir)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["id"] for o in out] == list(range(len(MALFORMED)))
    assert all(isinstance(o["hits"], list) for o in out)
    assert out[0]["hits"], "an unbalanced quote still searches its words"


@pytest.mark.parametrize("mode", ["lexical", "semantic", "hybrid"])
def test_bad_queries_in_every_mode_answer_one_line_each(samples_index, tmp_path, mode):
    """Issue 12's bad queries (empty, 10,000 characters, emoji, punctuation, mixed
    script) with ``--mode``: one JSON line each, hits or an empty list, never an error."""
    bad = ["", "预算" * 5_000, "😀🎉🙂", "？！。，,.;…", "Budget 预算 2018 ＧＤＰ ok", *MALFORMED]
    qfile = tmp_path / "bad.jsonl"
    qfile.write_text("\n".join(json.dumps({"id": i, "query": q}, ensure_ascii=False)
                               for i, q in enumerate(bad)), encoding="utf-8")
    proc = run_cli(["search", "--json", "--mode", mode, "--queries-file", qfile], samples_index.data_dir)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["id"] for o in out] == list(range(len(bad)))
    assert out[0]["hits"] == [] and out[2]["hits"] == [] and out[3]["hits"] == []
    assert out[1]["hits"] and out[4]["hits"]
    assert all(o["mode"] in ("lexical", mode) for o in out)


def test_bad_queries_file_names_file_and_line(tmp_path):
    qfile = tmp_path / "q.jsonl"
    qfile.write_text('{"id": 1, "query": "预算"}\n{not json\n', encoding="utf-8")
    proc = run_cli(["search", "--json", "--queries-file", qfile], tmp_path / "data")
    assert proc.returncode == 2
    assert f"{qfile}:2" in proc.stderr and "Traceback" not in proc.stderr


def test_search_filters_by_document_field(samples_index):
    proc = run_cli(["search", "--json", "--limit", 50, "--doc",
                    "yantai_daily_budget_performance_2023.txt", "预算"], samples_index.data_dir)
    assert proc.returncode == 0, proc.stderr
    hits = json.loads(proc.stdout)["hits"]
    assert hits and {h["doc"] for h in hits} == {"yantai_daily_budget_performance_2023.txt"}


def test_stats_counts_the_samples(samples_index):
    proc = run_cli(["stats", "--json"], samples_index.data_dir)
    assert proc.returncode == 0, proc.stderr
    stats = json.loads(proc.stdout)
    assert stats["documents"] == len([p for p in SAMPLES.iterdir() if p.is_file()])
    assert stats["passages"] > stats["documents"]


@pytest.mark.parametrize("command", [["search", "预算"], ["figures", "--kind", "money"],
                                     ["goals", "--vague"], ["compare", "--by", "org"]])
def test_an_index_that_cannot_be_opened_is_a_one_line_error(tmp_path, command):
    not_a_dir = tmp_path / "data"
    not_a_dir.write_text("a file where the data directory should be", encoding="utf-8")
    proc = run_cli(command, not_a_dir)
    assert proc.returncode == 2
    assert "无法打开索引 cannot open the index" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("command", [["goals", "--sort", "bogus"], ["figures", "--sort", "bogus"],
                                     ["indicators", "--sort", "bogus"], ["compare", "--by", "bogus"],
                                     ["similar", "--type", "bogus"]])
def test_a_bad_query_on_a_real_index_is_a_one_line_error(samples_index, command):
    """The query commands share api.render.query_store: a FilterError or ValueError from the
    store is the command's one-line error (exit 2), and the store is closed."""
    proc = run_cli(command, samples_index.data_dir)
    assert proc.returncode == 2
    assert proc.stderr.startswith("错误 error: ") and len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr

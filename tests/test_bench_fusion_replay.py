"""The fusion replay bench (bench/fusion_replay.py) scores the shipped rule
exactly as a real hybrid search does, on a real SQLite store with a
deterministic embedder; and leave-one-set-out scores each set with the rule
picked on the other sets."""
from __future__ import annotations

import json

import pytest

from bench import fusion_replay
from search import relevance
from search import sqlite as sqlite_mod
from search.baseline import score_runs
from search.embed import embed_store
from search.sqlite import SQLiteBackend
from tests.search_helpers import CharEmbedder
from tests.search_helpers import add_text as _add

PASSAGES = ["湖南完善退役军人服务保障体系，维护军人军属合法权益。",
            "湖南经济运行总体平稳，各项事业取得新进展。",
            "河北照顾好困难群众，办好民生实事。",
            "全省一般公共预算收入增长百分之五，税收收入稳定增长。"]
GOLD = [{"id": "q1", "query": "湖南照顾当过兵的人和他们家属",
         "relevant": [{"doc": "hunan.txt", "contains": "退役军人服务保障"}]},
        {"id": "q2", "query": "预算收入涨了多少",
         "relevant": [{"doc": "budget.txt", "contains": "一般公共预算收入增长"}]}]


@pytest.fixture()
def store(tmp_path, monkeypatch):
    emb = CharEmbedder()
    monkeypatch.setattr(sqlite_mod, "load_embedder", lambda: emb)
    backend = SQLiteBackend(tmp_path / "db.sqlite3")
    _add(backend, tmp_path, "hunan.txt", "\n\n".join(PASSAGES[:2]), title="湖南省政府工作报告",
         year=2026, region="湖南省", region_path=["湖南省"], doc_type="work_report")
    _add(backend, tmp_path, "hebei.txt", PASSAGES[2], title="河北省政府工作报告", year=2026,
         region="河北省", region_path=["河北省"], doc_type="work_report")
    _add(backend, tmp_path, "budget.txt", PASSAGES[3], title="预算执行情况", year=2025,
         doc_type="budget")
    embed_store(backend, emb)
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in GOLD), encoding="utf-8")
    yield backend, tmp_path / "db.sqlite3", gold
    backend.close()


def test_the_replayed_shipped_rule_scores_what_the_store_scores(store):
    backend, path, gold = store
    real = score_runs(GOLD, relevance.run_mode(backend, GOLD, "hybrid"))["ndcg@10"]
    assert 0 < real < 1  # the answer to q1 is not first: an order the replay must match
    queries = fusion_replay.capture("s", path, None, gold)
    assert [q["gold"]["id"] for q in queries] == ["q1", "q2"]
    assert all(q["sem"] for q in queries)  # the semantic list is always captured
    assert fusion_replay.per_set(queries, fusion_replay.shipped)["s"] == pytest.approx(real)
    assert sqlite_mod.semantics_needed("hybrid", 1.0) is False  # the spies are undone


def test_leave_one_set_out_picks_on_the_other_sets():
    table = {("a",): {"x": 0.9, "y": 0.1, "z": 0.5}, ("b",): {"x": 0.3, "y": 0.8, "z": 0.6}}
    picks = fusion_replay.loso(table, ["x", "y", "z"])
    # held out x: y and z favour b (0.7 against 0.3), so x scores b's 0.3, not a's 0.9;
    # held out y: x and z favour a (0.7 against 0.45); held out z: x and y favour b
    assert picks == {"x": (0.3, ("b",)), "y": (0.1, ("a",)), "z": (0.6, ("b",))}


def test_the_command_replays_every_set_and_reports_each_family(store, capsys):
    _, path, gold = store
    fusion_replay.main([f"a:{path}::{gold}", f"b:{path}::{gold}", f"dev:{path}::{gold}",
                        "--dev", "dev"])
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("shipped rule (replayed): a=") and " dev=" in out[0]
    for family in ("weight_family", "prf_family"):
        at = next(i for i, line in enumerate(out) if line.startswith(f"{family}: "))
        held = out[at + 1 : at + 3]  # the fitted sets a and b, each with the dev set's score
        assert [line.split()[2] for line in held] == ["a", "b"] and all(", dev " in h for h in held)
        assert out[at + 3].startswith("   leave-one-set-out mean")

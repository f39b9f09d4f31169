"""bench/goal_clause_sample.py draws a new label batch from named documents and a seed, the way
batches 18-20 were drawn by hand with its ``_windows``: drawn again, batch 20 is the same 607
clauses, so a new batch's draw can be rebuilt from its README line."""
from __future__ import annotations

import pathlib
import subprocess
import sys

import corpora
from bench import clause_merge, goal_clause_sample
from nlp.scoring import read_jsonl

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_batch_20_drawn_again_from_its_documents_and_seed_is_the_same_clauses() -> None:
    rows = read_jsonl(corpora.path("goals", "clause_labels_batch20.jsonl"))
    docs = list(dict.fromkeys((r["doc"], r["kind"]) for r in rows))  # the draw order
    # drawn with the cutter of its time; its pieces of one number joined as the label file's were (session 10)
    drawn = clause_merge.migrated(goal_clause_sample.sample(20, 202020, [(pathlib.Path(d), k) for d, k in docs],
                                                            clause_merge.drawn_clauses))
    assert [(r["doc"], r["start"], r["end"]) for r in drawn] == [(r["doc"], r["start"], r["end"]) for r in rows]
    # another seed draws other windows of the same documents
    other = goal_clause_sample.sample(20, 7, [(pathlib.Path(d), k) for d, k in docs])
    assert [(r["doc"], r["start"]) for r in other] != [(r["doc"], r["start"]) for r in drawn]


def test_the_script_says_what_is_wrong_with_its_arguments(tmp_path) -> None:
    script = str(ROOT / "bench" / "goal_clause_sample.py")
    for args, said in ((["23", str(tmp_path / "o.jsonl")], "not built in"),
                       (["23", str(tmp_path / "o.jsonl"), "news=a.txt"], "needs --seed"),
                       (["23", str(tmp_path / "o.jsonl"), "--seed", "1", "paper=a.txt"], "known kind")):
        proc = subprocess.run([sys.executable, script, *args], cwd=ROOT, capture_output=True, text=True)
        assert proc.returncode == 2 and said in proc.stderr and "Traceback" not in proc.stderr
    proc = subprocess.run([sys.executable, script, "23", str(tmp_path / "o.jsonl"), "--seed", "1",
                           "news=no_such_news.txt"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 1 and "no document no_such_news.txt" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "o.jsonl").exists()

"""The agreement bench on a tiny made-up pair of labellings of a real document's clauses.

Eight clauses of one sentence of a kept document (cut by the project's own clause cutter, as every
label file): the first labeller calls clauses 3 and 4 one measurable goal, the second calls
clause 3 a measurable goal and clause 7 a vague one. Hand-worked numbers: clause F1 1/2; kappa on
goal/no-goal (6/8 - 5/8) / (3/8) = 1/3; kappa on g/v/0 (48/64 - 38/64) / (26/64) = 5/13; at the
goal level the first has one goal (the run 3-4), the second two (3 and 7), clause 3 overlaps the
run: P 1/2, R 1, F1 2/3, and the matched pair agrees on vagueness.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import corpora
from bench import goal_agreement
from nlp import goal_model
from nlp.scoring import read_jsonl

DOC = "gwr2023_yangbi_county_plan.txt"


def _write(path: Path, labels: dict[int, str]) -> Path:
    document = goal_model.load_document(DOC)
    clauses = goal_model.document_clauses(document)[1:9]  # one sentence: 坚持以…为指导 … 加快构建新发展格局。
    assert len({k for _, _, k in clauses}) == 1
    with path.open("w", encoding="utf-8") as f:
        for n, (s, e, _) in enumerate(clauses):
            f.write(json.dumps({"doc": DOC, "kind": "provincial work report", "start": s, "end": e,
                                "label": labels.get(n, "0"), "text": document.text[s:e]}, ensure_ascii=False) + "\n")
    return path


@pytest.fixture()
def pair(tmp_path: Path) -> tuple[Path, Path]:
    return _write(tmp_path / "first.jsonl", {3: "g", 4: "g"}), _write(tmp_path / "second.jsonl", {3: "g", 7: "v"})


def test_clause_level_agreement_is_f1_and_kappa(pair: tuple[Path, Path]) -> None:
    c = goal_agreement.report(*pair)["all"]["clause"]
    assert (c["goal_first"], c["goal_second"], c["goal_both"]) == (2, 2, 1)
    assert c["f1"] == pytest.approx(0.5)
    assert c["kappa_goal"] == pytest.approx(1 / 3)
    assert c["kappa_gv0"] == pytest.approx(5 / 13)
    assert c["vague_agree"] == 1.0


def test_goal_level_agreement_counts_goals_as_the_batch_gold_does(pair: tuple[Path, Path]) -> None:
    g = goal_agreement.report(*pair)["all"]["goal"]
    assert (g["goals_first"], g["goals_second"]) == (1, 2)
    assert (g["p"], g["r"]) == (pytest.approx(0.5), pytest.approx(1.0))
    assert g["f1"] == pytest.approx(2 / 3)
    assert g["vague_acc"] == 1.0


def test_a_kind_is_reported_and_identical_labellings_agree_fully(pair: tuple[Path, Path]) -> None:
    same = goal_agreement.report(pair[0], pair[0])
    assert set(same) == {"all", "provincial work report"}
    assert same["all"]["clause"]["kappa_gv0"] == pytest.approx(1.0)
    assert same["all"]["goal"]["f1"] == pytest.approx(1.0)


def test_every_disagreement_is_listed_with_its_sentence(pair: tuple[Path, Path]) -> None:
    rows = goal_agreement.disagreements(*pair)
    assert [(r["label"], b) for r, b, _ in rows] == [("g", "0"), ("0", "v")]
    assert all(s.startswith("2023年政府工作总体要求是") and s.endswith("加快构建新发展格局。") for _, _, s in rows)
    only_first, only_second = goal_agreement.goal_disagreements(*pair)
    assert only_first == [] and len(only_second) == 1 and "加快构建新发展格局" in only_second[0]


def test_files_over_different_clauses_are_refused_with_both_names(pair: tuple[Path, Path], tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    short = tmp_path / "short.jsonl"
    short.write_text("".join(pair[1].read_text(encoding="utf-8").splitlines(keepends=True)[:-1]), encoding="utf-8")
    with pytest.raises(goal_agreement.LabelMismatch, match="1 only in the first"):
        goal_agreement.paired(pair[0], short)
    with pytest.raises(SystemExit) as stop:
        goal_agreement.main([str(pair[0]), str(short)])
    assert stop.value.code == 1
    assert "short.jsonl" in capsys.readouterr().err


def test_the_extractor_is_scored_against_each_labelling_on_the_same_predictions(pair: tuple[Path, Path]) -> None:
    scores = goal_agreement.pipeline_scores(*pair)
    assert (scores["first"]["gold"], scores["second"]["gold"]) == (1, 2)
    assert scores["first"]["pred"] == scores["second"]["pred"]


@pytest.mark.parametrize("batch", [19, 20])
def test_the_committed_second_labellings_cover_their_batch_clause_for_clause(batch: int) -> None:
    pairs = goal_agreement.paired(corpora.path("goals", f"clause_labels_batch{batch}.jsonl"),
                                  corpora.path("goals", "agreement", f"batch{batch}_second.jsonl"))
    # 646 and 596 clauses since session 10 joined the pieces of numbers (4,399万元) cut apart before
    assert len(pairs) > 590 and {b for _, b in pairs} <= {"g", "v", "0"}


def test_a_span_that_is_no_clause_is_named_not_a_traceback(pair: tuple[Path, Path], tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    rows = read_jsonl(pair[0])
    shifted = [{**r, "start": r["start"] + 1} if n == 0 else r for n, r in enumerate(rows)]
    for name in ("a.jsonl", "b.jsonl"):
        (tmp_path / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in shifted), encoding="utf-8")
    with pytest.raises(SystemExit):
        goal_agreement.main([str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")])
    assert "is not a clause of its document" in capsys.readouterr().err

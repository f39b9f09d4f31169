"""A clause is not cut inside a number (issue 11, session 10): 4,399万元, 1,234,567, 9:30 and 1:1
stay whole in the goal clauses and in the goal groups, while a comma after a number that is no
digit group (增长5%,就业…; 2023,2024年) still ends a clause; and the label migration
(:mod:`bench.clause_merge`) joins the old pieces into the new clauses."""
from __future__ import annotations

import json
from pathlib import Path

from bench import clause_merge
from nlp import goal_clauses, goal_model, goals


def _cut(text: str) -> list[str]:
    return [text[s:e] for s, e, _ in goal_clauses.clauses(text)]


def test_a_digit_group_or_a_time_is_no_clause_end() -> None:
    assert _cut("预算4,399万元，就业1,234,567人，9:30开会，配套比例1:1") == [
        "预算4,399万元", "就业1,234,567人", "9:30开会", "配套比例1:1"]


def test_a_comma_after_a_number_that_is_no_digit_group_still_cuts() -> None:
    assert _cut("地区生产总值增长5%,就业增加11万人") == ["地区生产总值增长5%", "就业增加11万人"]
    assert _cut("2023,2024年") == ["2023", "2024年"]
    assert _cut("共3,4567元") == ["共3", "4567元"]
    assert _cut("目标：增长5%") == ["目标", "增长5%"]


def test_real_amounts_and_times_stay_whole() -> None:
    news = goal_model.load_document("news2012_panzhihua_higher_level_funds.txt")
    assert "全市获得该项财力性补助资金7,221万元。" in _cut(news.text)
    table = goal_model.load_document("final2021_beijing_cultural_heritage_bureau_dept.txt")
    assert any(c.startswith("2022-09-01 10:00") for c in _cut(table.text))


def test_goal_groups_cut_at_the_same_marks() -> None:
    text = "全年新增就业1,200人，居民收入5%,完成投资3,000万元。"
    assert [text[s:e] for s, e in goals._clauses(text, 0, len(text))] == [
        "全年新增就业1,200人", "居民收入5%", "完成投资3,000万元。"]


def _rows(doc: str, text: str, pieces: list[tuple[str, str]]) -> list[dict]:
    rows, at = [], 0
    for piece, label in pieces:
        s = text.index(piece, at)
        rows.append({"doc": doc, "kind": "news", "start": s, "end": s + len(piece), "label": label, "text": piece})
        at = s + len(piece)
    return rows


def _spans(text: str):
    return lambda _doc: (text, [(s, e) for s, e, _ in goal_clauses.clauses(text)])


def test_pieces_of_one_new_clause_become_one_row() -> None:
    text = "补助4,080万元，资金1,234,567元，增长5%,就业增加。"
    rows = _rows("d", text, [("补助4", "0"), ("080万元", "0"), ("资金1", "g"), ("234", "g"), ("567元", "g"),
                             ("增长5%", "0"), ("就业增加。", "g")])
    out = clause_merge.merge_rows(rows, _spans(text))
    assert [(r["text"], r["label"]) for r in out.rows] == [
        ("补助4,080万元", "0"), ("资金1,234,567元", "g"), ("增长5%", "0"), ("就业增加。", "g")]
    assert (out.merged, out.pieces, out.disagreements, out.unmatched) == (2, 5, [], 0)
    assert all(text[r["start"]:r["end"]] == r["text"] for r in out.rows)


def test_a_lone_labelled_piece_is_widened_to_its_clause() -> None:
    text = "合计13,066.79，其他。"
    rows = _rows("d", text, [("066.79", "0"), ("其他。", "0")])
    out = clause_merge.merge_rows(rows, _spans(text))
    assert [r["text"] for r in out.rows] == ["合计13,066.79", "其他。"] and out.widened == 1


def test_disagreeing_pieces_take_the_decided_label_else_the_first() -> None:
    text = "目标4,399万元，其他。"
    rows = _rows("d", text, [("目标4", "g"), ("399万元", "0"), ("其他。", "0")])
    first = clause_merge.merge_rows(rows, _spans(text), decided={})
    assert first.rows[0]["label"] == "g" and len(first.disagreements) == 1
    decided = clause_merge.merge_rows(rows, _spans(text), decided={("d", 0, 9): "0"})
    assert decided.rows[0]["label"] == "0"


def test_the_migration_rewrites_a_file_and_refuses_a_missing_one(tmp_path: Path, monkeypatch, capsys) -> None:
    text = "补助4,080万元，其他。"
    path = tmp_path / "clause_labels_batch99.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                            for r in _rows("d", text, [("补助4", "0"), ("080万元", "0"), ("其他。", "0")])), encoding="utf-8")
    monkeypatch.setattr(clause_merge, "document_spans", _spans(text))
    assert clause_merge.main(["--blind", str(path)]) == 0
    assert [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()] == ["补助4,080万元", "其他。"]
    assert "1 merged from 2 pieces; 0 widened; 0 disagree" in capsys.readouterr().out
    assert clause_merge.main([str(tmp_path / "none.jsonl")]) == 2

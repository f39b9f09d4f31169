"""Goals of a text in traditional characters (nlp.script): found through the simplified view,
reported as written, with the same spans."""
from __future__ import annotations

import json

from nlp import script
from tests.conftest import run_cli

TRADITIONAL = ("政府工作報告\n\n今年發展的主要預期目標是：國內生產總值增長6%左右；城鎮新增就業1100萬人以上，"
               "城鎮調查失業率5.5%左右；進一步加強生態環境保護，單位國內生產總值能耗降低2%左右。\n")


def test_the_view_keeps_every_offset_and_leaves_simplified_text_alone() -> None:
    view = script.simplified_view(TRADITIONAL)
    assert view is not None and len(view) == len(TRADITIONAL)
    assert "国内生产总值增长6%左右" in view and "进一步加强生态环境保护" in view
    simplified = "今年发展的主要预期目标是：国内生产总值增长6%左右，著名的乾隆年间。"
    assert script.simplified_view(simplified) is None  # 著, 乾: no traditional text
    assert script.traditional_share(simplified) < script.TRADITIONAL_SHARE


def test_as_written_takes_the_original_characters_at_the_same_place() -> None:
    view = script.simplified_view(TRADITIONAL)
    assert view is not None
    start = view.index("进一步")
    assert script.as_written("进一步", view, TRADITIONAL, start, start + 20) == "進一步"
    assert script.as_written("没有", view, TRADITIONAL, 0, len(view)) == "没有"  # not there: unchanged


def test_goals_of_a_traditional_report_are_found_and_quoted_as_written(tmp_path) -> None:
    """Before the view the report gave no goal: every cue is written in simplified characters."""
    path = tmp_path / "report_big5.txt"
    path.write_bytes(TRADITIONAL.encode("big5"))  # a mirror site's encoding too
    out = run_cli(["extract", str(path), "--json", "-t", "goal"], tmp_path / "data")
    assert out.returncode == 0, out.stderr
    goals = [json.loads(line) for line in out.stdout.splitlines()]
    texts = [g["text"] for g in goals]
    assert "國內生產總值增長6%左右" in texts and "單位國內生產總值能耗降低2%左右" in texts
    for g in goals:
        assert TRADITIONAL[g["start"]:g["end"]] == g["text"]  # spans of the original text
    vague = next(g for g in goals if g["text"].startswith("進一步加強"))
    assert vague["vague"] and any(r.startswith("模糊用语: 進一步") for r in vague["reasons"])
    cited = [r.split(": ", 1)[1] for r in vague["reasons"] if r.startswith("模糊用语")]
    assert all(w in vague["text"] for r in cited for w in r.split("、"))  # cites only its own words

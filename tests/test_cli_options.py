"""The filter options are one declaration (api.commands.options) shared by every listing command."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from api.cli import app

FILTERED = ["search", "goals", "indicators", "figures"]


@pytest.mark.parametrize("command", FILTERED)
def test_listing_commands_take_the_same_filters(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for flag, text in (("--region", "地区 / region"), ("--org", "单位 / organisation"), ("--year", "年度 / year")):
        assert flag in result.output and text in result.output


def test_a_bad_year_is_refused_the_same_way_everywhere() -> None:
    for command in FILTERED:
        args = [command, "预算", "--year", "二〇二四"] if command == "search" else [command, "--year", "二〇二四"]
        result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
        assert result.exit_code == 2 and "Invalid value for '--year'" in result.output, (command, result.output)

"""``policylens indicators``: search the extracted performance indicators.

The same query as ``GET /api/indicators``, printed as a table, JSON lines
(``--json``) or CSV (``--csv``); ``--check RULE`` keeps rows with that reviewer finding.
"""
from __future__ import annotations

from typing import Optional

import typer

from api.commands.options import Region, Org, Year, Doc, Limit, Offset, JsonLines, Csv
from api.render import emit, output_format, query_store

TABLE_COLUMNS = ("doc", "page", "project", "name", "level1", "level2", "target", "comparator",
                 "value", "unit", "checks")


def indicators(level1: Optional[str] = typer.Option(None, "--level1", help="一级指标，如 产出指标"),
               level2: Optional[str] = typer.Option(None, "--level2", help="二级指标，如 数量指标"),
               org: Org = None,
               region: Region = None,
               year: Year = None,
               project: Optional[str] = typer.Option(None, "--project", help="项目 / project"),
               doc: Doc = None,
               check: Optional[str] = typer.Option(None, "--check", help="审查规则 / reviewer rule id"),
               q: Optional[str] = typer.Option(None, "--q", "-q", help="名称或原文包含 / name or text contains"),
               sort: Optional[str] = typer.Option(None, "--sort", help="排序 / sort field"),
               limit: Limit = 50,
               offset: Offset = 0,
               as_json: JsonLines = False,
               as_csv: Csv = False,
               ) -> None:
    """检索绩效指标 / Search performance indicators (一级/二级/三级, targets, reviewer checks)."""
    from api.routes.indicators import CSV_COLUMNS, SORTABLE, with_check
    from api.render import all_rows

    params = {"level1": level1, "level2": level2, "org": org, "region": region, "year": year,
              "project": project, "doc": doc}
    params = {k: str(v) for k, v in params.items() if v is not None}
    with query_store() as backend:
        rows = all_rows("indicator", params, 100_000 if check else limit, 0 if check else offset,
                        sort, q, backend, SORTABLE)
    if check:
        rows = with_check(rows, check)[offset: offset + limit]
    fmt = output_format(as_json, as_csv)
    emit(rows, fmt, columns=CSV_COLUMNS if fmt == "csv" else TABLE_COLUMNS,
         title=f"指标 indicators（{len(rows)}）")


def register(app: typer.Typer) -> None:
    """Add this resource's commands to the main app."""
    app.command("indicators")(indicators)

"""``policylens goals`` (the vague-goal review) and ``policylens review-summary``.

The same queries as ``GET /api/goals`` and ``GET /api/goals/summary``, printed as
a table, JSON lines (``--json``) or CSV (``--csv``).
"""
from __future__ import annotations

from typing import Optional

import typer

from api.commands.options import Region, Org, Year, Doc, Limit, Offset, JsonLines, Csv
from api.render import doc_filters, emit, output_format, query_store

TABLE_COLUMNS = ("doc", "page", "project", "text", "vague", "score", "reasons", "org", "year")


def goals(vague: Optional[bool] = typer.Option(None, "--vague/--concrete",
                                               help="只看模糊目标 / only vague (--concrete: only measurable)"),
          org: Org = None,
          region: Region = None,
          year: Year = None,
          project: Optional[str] = typer.Option(None, "--project", help="项目 / project"),
          doc: Doc = None,
          q: Optional[str] = typer.Option(None, "--q", "-q", help="原文包含 / text contains"),
          sort: Optional[str] = typer.Option(None, "--sort", help="排序，如 -score / sort field"),
          limit: Limit = 50,
          offset: Offset = 0,
          as_json: JsonLines = False,
          as_csv: Csv = False,
          ) -> None:
    """目标与模糊目标审查 / Goals found in the index, with the vague-goal review."""
    from api.render import all_rows
    from api.routes.goals import CSV_COLUMNS, SORTABLE

    params = {"vague": vague, "org": org, "region": region, "year": year, "project": project, "doc": doc}
    params = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in params.items() if v is not None}
    with query_store() as backend:
        rows = all_rows("goal", params, limit, offset, sort, q, backend, SORTABLE)
    fmt = output_format(as_json, as_csv)
    emit(rows, fmt, columns=CSV_COLUMNS if fmt == "csv" else TABLE_COLUMNS,
         title=f"目标 goals（{len(rows)}）")


def review_summary(region: Region = None,
                   year: Year = None,
                   doc: Doc = None,
                   as_json: JsonLines = False,
                   as_csv: Csv = False,
                   ) -> None:
    """按部门汇总审查结果 / Per-department review: goals, share vague, indicators by 一级/二级."""
    from api.routes.goals import review_summary as summarise

    with query_store() as backend:
        rows = summarise(backend, doc_filters(region=region, year=year, doc=doc))
    fmt = output_format(as_json, as_csv)
    columns = ("org", "goals", "vague_goals", "vague_share", "indicators", "by_level1", "by_level2")
    emit(rows, fmt, columns=columns, title="部门审查汇总 review summary")


def register(app: typer.Typer) -> None:
    """Add this resource's commands to the main app."""
    app.command("goals")(goals)
    app.command("review-summary")(review_summary)

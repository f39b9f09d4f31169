"""``policylens figures``: search the extracted figures of the index.

The same query as ``GET /api/figures`` (an ``ItemQuery`` of type ``figure``
with filters), printed as a table, JSON lines (``--json``) or CSV (``--csv``).
"""
from __future__ import annotations

from typing import Optional

import typer

from api.commands.options import Region, Org, Year, Doc, Limit, Offset, JsonLines, Csv
from api.render import all_rows, emit, output_format, query_store

TABLE_COLUMNS = ("doc", "page", "text", "kind", "value", "unit", "role", "qualifier", "change",
                 "subject", "region", "year")
CSV_COLUMNS = ("doc", "page", "text", "kind", "value", "high", "unit", "currency", "role",
               "qualifier", "change", "base", "subject", "org", "region", "year", "start", "end")


def figures(kind: Optional[str] = typer.Option(None, "--kind", help="money | percent | percent_point | count | measure | multiple"),
            role: Optional[str] = typer.Option(None, "--role", help="金额性质 / role: budgeted | spent | revenue | cut | debt | transfer | investment | per_unit | economic | other"),
            min_value: Optional[str] = typer.Option(None, "--min", help="最小值 / value at least: 1亿元, 5000万, 1e8 (money in yuan)"),
            max_value: Optional[str] = typer.Option(None, "--max", help="最大值 / value at most (as --min)"),
            region: Region = None,
            org: Org = None,
            year: Year = None,
            doc: Doc = None,
            q: Optional[str] = typer.Option(None, "--q", "-q", help="原文或对象包含 / text or subject contains"),
            sort: Optional[str] = typer.Option(None, "--sort", help="排序，如 -value / sort field, '-' for descending"),
            limit: Limit = 50,
            offset: Offset = 0,
            as_json: JsonLines = False,
            as_csv: Csv = False,
            ) -> None:
    """检索抽取的数字 / Search extracted figures (amounts, percentages, counts, measures)."""
    from api.routes.figures import SORTABLE

    params = {"kind": kind, "role": role, "min": min_value, "max": max_value, "region": region, "org": org,
              "year": year, "doc": doc}
    params = {k: str(v) for k, v in params.items() if v is not None}
    with query_store() as backend:
        rows = all_rows("figure", params, limit, offset, sort, q, backend, SORTABLE)
    fmt = output_format(as_json, as_csv)
    columns = CSV_COLUMNS if fmt == "csv" else TABLE_COLUMNS
    emit(rows, fmt, columns=columns, title=f"数字 figures（{len(rows)}）")


def register(app: typer.Typer) -> None:
    """Add this resource's commands to the main app."""
    app.command("figures")(figures)

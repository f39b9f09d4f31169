"""``policylens figures``: search the extracted figures of the index.

The same query as ``GET /api/figures`` (an ``ItemQuery`` of type ``figure``
with filters), printed as a table, JSON lines (``--json``) or CSV (``--csv``).
"""
from __future__ import annotations

from typing import Optional

import typer

from api.render import all_rows, emit, output_format, query_store

TABLE_COLUMNS = ("doc", "page", "text", "kind", "value", "unit", "role", "qualifier", "change",
                 "subject", "region", "year")
CSV_COLUMNS = ("doc", "page", "text", "kind", "value", "high", "unit", "currency", "role",
               "qualifier", "change", "base", "subject", "org", "region", "year", "start", "end")


def figures(kind: Optional[str] = typer.Option(None, "--kind", help="money | percent | percent_point | count | measure | multiple"),
            role: Optional[str] = typer.Option(None, "--role", help="金额性质 / role: budgeted | spent | revenue | cut | debt | transfer | investment | per_unit | economic | other"),
            min_value: Optional[str] = typer.Option(None, "--min", help="最小值 / value at least: 1亿元, 5000万, 1e8 (money in yuan)"),
            max_value: Optional[str] = typer.Option(None, "--max", help="最大值 / value at most (as --min)"),
            region: Optional[str] = typer.Option(None, "--region", help="地区 / region"),
            org: Optional[str] = typer.Option(None, "--org", help="单位 / organisation"),
            year: Optional[int] = typer.Option(None, "--year", help="年度 / year"),
            doc: Optional[str] = typer.Option(None, "--doc", help="文件名 / file base name"),
            q: Optional[str] = typer.Option(None, "--q", "-q", help="原文或对象包含 / text or subject contains"),
            sort: Optional[str] = typer.Option(None, "--sort", help="排序，如 -value / sort field, '-' for descending"),
            limit: int = typer.Option(50, "--limit", "-k", min=0, help="条数 / rows"),
            offset: int = typer.Option(0, "--offset", min=0, help="跳过 / skip rows"),
            as_json: bool = typer.Option(False, "--json", help="JSON 行 / JSON lines"),
            as_csv: bool = typer.Option(False, "--csv", help="CSV"),
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

"""``policylens orgs`` and ``policylens regions``: the organisations and regions in
the index with document and mention counts (same data as ``GET /api/orgs`` and
``GET /api/regions``)."""
from __future__ import annotations

from typing import Optional

import typer

from api.render import emit, output_format, query_store

ORG_COLUMNS = ("name", "documents", "mentions")
REGION_COLUMNS = ("name", "level", "path", "documents", "mentions")


def _run(item_type: str, q: Optional[str], region: Optional[str], year: Optional[int],
         doc_type: Optional[str], limit: int, as_json: bool, as_csv: bool, title: str) -> None:
    from api.routes.entities import _filters, summarize

    with query_store() as backend:
        rows, total = summarize(backend, item_type, q, _filters(region, year, doc_type), limit)
    fmt = output_format(as_json, as_csv)
    if fmt != "json":
        rows = [{**r, "path": " > ".join(r["path"])} if "path" in r else r for r in rows]
    emit(rows, fmt, columns=REGION_COLUMNS if item_type == "region" else ORG_COLUMNS,
         title=f"{title}（{len(rows)}/{total}）")


def orgs(q: Optional[str] = typer.Option(None, "--q", "-q", help="名称包含 / name contains"),
         region: Optional[str] = typer.Option(None, "--region", help="文档地区 / document region"),
         year: Optional[int] = typer.Option(None, "--year", help="年度 / year"),
         doc_type: Optional[str] = typer.Option(None, "--type", help="文档类型 / document type"),
         limit: int = typer.Option(50, "--limit", "-k", min=0, help="条数 / rows"),
         as_json: bool = typer.Option(False, "--json", help="JSON 行 / JSON lines"),
         as_csv: bool = typer.Option(False, "--csv", help="CSV")) -> None:
    """机构列表 / Organisations in the index, with document and mention counts."""
    _run("org", q, region, year, doc_type, limit, as_json, as_csv, "机构 organisations")


def regions(q: Optional[str] = typer.Option(None, "--q", "-q", help="名称包含 / name contains"),
            year: Optional[int] = typer.Option(None, "--year", help="年度 / year"),
            doc_type: Optional[str] = typer.Option(None, "--type", help="文档类型 / document type"),
            limit: int = typer.Option(50, "--limit", "-k", min=0, help="条数 / rows"),
            as_json: bool = typer.Option(False, "--json", help="JSON 行 / JSON lines"),
            as_csv: bool = typer.Option(False, "--csv", help="CSV")) -> None:
    """地区列表 / Regions in the index (level, parent path), with document and mention counts."""
    _run("region", q, None, year, doc_type, limit, as_json, as_csv, "地区 regions")


def register(app: typer.Typer) -> None:
    """Add this resource's commands to the main app."""
    app.command("orgs")(orgs)
    app.command("regions")(regions)

"""``policylens orgs`` and ``policylens regions``: the organisations and regions in
the index with document and mention counts (same data as ``GET /api/orgs`` and
``GET /api/regions``)."""
from __future__ import annotations

from typing import Optional

import typer

from api.commands.options import Region, Year, DocType, Limit, JsonLines, Csv
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
         region: Region = None,
         year: Year = None,
         doc_type: DocType = None,
         limit: Limit = 50,
         as_json: JsonLines = False,
         as_csv: Csv = False) -> None:
    """机构列表 / Organisations in the index, with document and mention counts."""
    _run("org", q, region, year, doc_type, limit, as_json, as_csv, "机构 organisations")


def regions(q: Optional[str] = typer.Option(None, "--q", "-q", help="名称包含 / name contains"),
            year: Year = None,
            doc_type: DocType = None,
            limit: Limit = 50,
            as_json: JsonLines = False,
            as_csv: Csv = False) -> None:
    """地区列表 / Regions in the index (level, parent path), with document and mention counts."""
    _run("region", q, None, year, doc_type, limit, as_json, as_csv, "地区 regions")


def register(app: typer.Typer) -> None:
    """Add this resource's commands to the main app."""
    app.command("orgs")(orgs)
    app.command("regions")(regions)

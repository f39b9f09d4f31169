"""CLI commands ``compare``, ``similar``, ``catalogue`` and ``reindex``.

``--format table|json|csv|xlsx``; ``xlsx`` (and any format with ``--output``)
writes a file. Expected errors (unknown metric, unreachable Elasticsearch) are
one line on stderr and exit code 2, never a traceback.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

import typer

from api.commands.options import Region, Org, Year, DocTypeLong, Format, Output
from api.render import doc_filters, emit, fail, json_line, place_filters, query_store

FORMATS = ("table", "json", "csv", "xlsx")



def _write(fmt: str, output: Path | None, name: str, header: list[str], rows: list[list[Any]],
           json_rows: list[dict[str, Any]], links: list[list[str | None]] | None = None) -> None:
    """Print or save one table in the chosen format."""
    from search.export import Sheet, to_csv, to_xlsx

    if fmt not in FORMATS:
        fail(f"未知格式 unknown format: {fmt!r} ({'|'.join(FORMATS)})")
    if fmt == "xlsx" and output is None:
        output = Path(f"{name}.xlsx")
    if output is not None:
        if fmt == "xlsx":
            data: bytes = to_xlsx([Sheet(name, header, rows, links)])
        elif fmt == "json":
            data = "".join(json_line(r) + "\n" for r in json_rows).encode("utf-8")
        else:
            data = to_csv(header, rows).encode("utf-8")
        try:
            output.write_bytes(data)
        except OSError as err:
            fail(f"无法写入 cannot write {output}: {err}")
        sys.stderr.write(f"已写入 written: {output}\n")
        return
    if fmt == "json":
        emit(json_rows, "json")
    elif fmt == "csv":
        sys.stdout.write(to_csv(header, rows, bom=False))
    else:
        emit([dict(zip(header, r)) for r in rows], "table", columns=header)


def compare(
    by: str = typer.Option("org", "--by", help="分组 / group by: org | region | year | doc_type | doc"),
    metric: Optional[str] = typer.Option(None, "--metric", "-m",
                                         help="统计，逗号分隔或 all / measures (comma-separated, "
                                              "or all): money, money_by_subject, projects, goals, "
                                              "indicators, vague_share, indicators_level1, "
                                              "indicators_level2, self_eval"),
    subject: Optional[str] = typer.Option(None, "--subject", help="资金计量对象 / money subject"),
    region: Region = None,
    org: Org = None,
    year: Year = None,
    doc_type: DocTypeLong = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """按单位/地区/年度比较 / Compare orgs, regions or years (money, goals, indicators ...)."""
    from search.compare import compare as run

    with query_store() as backend:
        written = doc_filters(region, org, year, doc_type)
        filters, _ = place_filters(backend, written)
        table = run(backend, by=by, metric=metric, subject=subject, filters=filters, written=written)
    header, rows = table.flat()
    _write(fmt, output, f"compare_{by}", header, rows, table.to_json()["rows"], table.links())


def similar(
    item_type: str = typer.Option("goal", "--type", "-t", help="goal | indicator"),
    threshold: float = typer.Option(0.6, "--threshold", help="相似度阈值 / similarity (0-1]"),
    min_orgs: int = typer.Option(1, "--min-orgs", help="至少几个单位 / at least this many orgs"),
    min_size: int = typer.Option(2, "--min-size", help="组内至少几条 / members at least"),
    region: Region = None,
    org: Org = None,
    year: Year = None,
    doc_type: DocTypeLong = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """相似目标/指标 / Near-duplicate goals or indicators across departments."""
    from search.similar import group_rows, similar_groups

    with query_store() as backend:
        groups = similar_groups(backend, item_type, threshold,
                                doc_filters(region, org, year, doc_type), min_size=min_size,
                                min_orgs=min_orgs)
    header, rows = group_rows(groups)
    _write(fmt, output, f"similar_{item_type}", header, rows, groups)


def catalogue(
    min_orgs: int = typer.Option(1, "--min-orgs", help="至少几个单位使用 / used by at least"),
    region: Region = None,
    org: Org = None,
    year: Year = None,
    doc_type: DocTypeLong = None,
    fmt: Format = "table",
    output: Output = None,
) -> None:
    """指标目录 / Indicator catalogue: each indicator name with the departments using it."""
    from search.similar import catalogue_rows, indicator_catalogue

    with query_store() as backend:
        entries = indicator_catalogue(backend, doc_filters(region, org, year, doc_type))
    entries = [e for e in entries if e["n_orgs"] >= min_orgs]
    header, rows = catalogue_rows(entries)
    _write(fmt, output, "indicator_catalogue", header, rows, entries)


def reindex(
    to: str = typer.Option("es", "--to", help="目标 / target store: es"),
    url: Optional[str] = typer.Option(None, "--url", help="OpenSearch / Elasticsearch URL "
                                      "(默认 default: $POLICYLENS_ES_URL)"),
    prefix: str = typer.Option("policylens", "--prefix", help="索引前缀 / index prefix"),
    source: Optional[Path] = typer.Option(None, "--from", help="SQLite 文件 / SQLite file "
                                          "(默认 default: data dir)"),
) -> None:
    """把内置索引复制到搜索引擎 / Copy the SQLite index into OpenSearch or Elasticsearch."""
    import os

    from search.backend import data_dir
    from search.reindex import copy_backend

    if to != "es":
        fail(f"未知目标 unknown target: {to!r} (es)")
    url = url or os.environ.get("POLICYLENS_ES_URL")
    if not url:
        fail("请用 --url 或 POLICYLENS_ES_URL 指定搜索引擎 / give --url or set "
             "POLICYLENS_ES_URL")
    path = source or data_dir() / "policylens.sqlite3"
    if not Path(path).is_file():
        fail(f"{path}: 找不到 SQLite 索引 no SQLite index here")
    from search.elastic import ElasticBackend
    from search.sqlite import SQLiteBackend

    src = SQLiteBackend(path)
    try:
        target = ElasticBackend(url=url, index_prefix=prefix)
    except Exception as err:
        src.close()
        fail(str(err))
    counts: dict[str, int] = {}

    def progress(o: Any) -> None:
        counts[o.status] = counts.get(o.status, 0) + 1
        if o.status == "failed":
            sys.stderr.write(f"失败 failed: {o.doc} ({o.doc_id}): {o.reason}\n")

    try:
        outcomes = copy_backend(src, target, progress)
    finally:
        src.close()
        target.close()
    sys.stderr.write(f"共 {len(outcomes)} 个文档 documents — "
                     + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) + "\n")
    if counts.get("failed"):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add this resource's commands to the main app."""
    app.command("compare")(compare)
    app.command("similar")(similar)
    app.command("catalogue")(catalogue)
    app.command("reindex")(reindex)

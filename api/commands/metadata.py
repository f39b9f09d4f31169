"""``policylens check-metadata`` (documents whose metadata contradicts their title,
cover or file name) and ``policylens set-metadata`` (a reviewer's correction of one
document, kept across re-analysis; same as ``PUT /api/documents/{id}/metadata``)."""
from __future__ import annotations

from typing import Optional

import typer

from api.commands.options import Region, Org, Year, DocType, JsonLines, Csv
from api.render import emit, fail, open_store, output_format

CHECK_COLUMNS = ("doc", "field", "stored", "source", "stated", "where", "doc_id")


def check_metadata(limit: Optional[int] = typer.Option(None, "--limit", "-k", min=0,
                                                       help="最多检查文档数 / documents to check"),
                   as_json: JsonLines = False,
                   as_csv: Csv = False) -> None:
    """列出元数据与标题、封面或文件名矛盾的文档 / List documents whose metadata
    contradicts their title, cover or file name, for a person to review."""
    from search.corrections import check_metadata as check

    backend = open_store()
    try:
        rows = check(backend, limit)
    finally:
        backend.close()
    emit(rows, output_format(as_json, as_csv), columns=CHECK_COLUMNS,
         title=f"元数据待核对 metadata to review（{len(rows)}）")


def set_metadata(doc_id: str = typer.Argument(..., help="文档 ID / document id"),
                 doc_type: DocType = None,
                 org: Org = None,
                 region: Region = None,
                 year: Year = None,
                 as_json: bool = typer.Option(False, "--json", help="JSON 输出 / JSON output")) -> None:
    """更正一个文档的元数据（重新分析后仍保留）/ Correct one document's metadata
    (kept across re-analysis; source ``manual``)."""
    from nlp.metadata import describe
    from search.corrections import CorrectionError, correct_document

    fields = {k: v for k, v in (("doc_type", doc_type), ("org", org), ("region", region),
                                ("year", year)) if v is not None}
    backend = open_store()
    try:
        doc = correct_document(backend, doc_id, fields)
    except CorrectionError as err:
        fail(str(err))
    finally:
        backend.close()
    if doc is None:
        fail(f"未知文档 unknown document: {doc_id}", code=1)
    desc = describe(doc.get("doc_type"), doc.get("org"), doc.get("region"), doc.get("year"),
                    doc.get("meta_sources"))
    rows = [{"field": f, **v} for f, v in desc.items()]
    emit(rows, "json" if as_json else "table", columns=("field", "value", "source"),
         title=f"{doc.get('doc')} 元数据 metadata")


def register(app: typer.Typer) -> None:
    app.command("check-metadata")(check_metadata)
    app.command("set-metadata")(set_metadata)

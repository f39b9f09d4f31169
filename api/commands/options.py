"""Command-line options that several commands share, declared once.

Why: the filters (region, organisation, year, document type, file) and the output
switches of ``search``, ``goals``, ``indicators``, ``figures``, ``metadata``,
``orgs``/``regions`` and ``compare`` are the same options; declared here they keep one
spelling and one bilingual help text everywhere. Each is a ``typing.Annotated`` type;
the command gives the default (``region: Region = None``, ``limit: Limit = 50``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

Region = Annotated[Optional[str], typer.Option("--region", help="地区 / region")]
Org = Annotated[Optional[str], typer.Option("--org", help="单位 / organisation")]
Year = Annotated[Optional[int], typer.Option("--year", help="年度 / year")]
DocType = Annotated[Optional[str], typer.Option("--type", help="文档类型 / document type")]
# compare/similar/catalogue: ``similar`` uses --type for goal | indicator
DocTypeLong = Annotated[Optional[str], typer.Option("--doc-type", help="文档类型 / document type")]
Doc = Annotated[Optional[str], typer.Option("--doc", help="文件名 / file base name")]
Limit = Annotated[int, typer.Option("--limit", "-k", min=0, help="条数 / rows")]
Offset = Annotated[int, typer.Option("--offset", min=0, help="跳过 / skip rows")]
JsonLines = Annotated[bool, typer.Option("--json", help="JSON 行 / JSON lines")]
Csv = Annotated[bool, typer.Option("--csv", help="CSV")]
Format = Annotated[str, typer.Option("--format", "-f", help="table | json | csv | xlsx")]
Output = Annotated[Optional[Path], typer.Option("--output", "-o", help="写入文件 / write to file")]

"""Hand corrections of a document's metadata (type, org, region, year).

Why separate from the analysis: a correction is a reviewer's decision, the
analysis is recomputed whenever the rules change. Corrections are kept in
``<data dir>/metadata_corrections.json`` (document id -> field -> value) and
laid over the analysis every time the document is stored -- at ingest, at
re-analysis after an upgrade, and right after the correction itself -- with
source ``manual``. A correction belongs to the document's content (its id);
a changed file is a new document.
"""
from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path
from typing import Any

from nlp import metadata
from nlp.items import Analysis, DocumentMeta
from search.backend import Backend, data_dir

FILE_NAME = "metadata_corrections.json"
FIELDS = metadata.FIELDS
MAX_TEXT = 100
_lock = threading.Lock()


class CorrectionError(ValueError):
    """A correction that cannot be applied; the message says why (in Chinese and English)."""


def corrections_path(root: Path | None = None) -> Path:
    return (root or data_dir()) / FILE_NAME


def load_corrections(root: Path | None = None) -> dict[str, dict[str, Any]]:
    """All corrections (an unreadable file is an error, never silently empty)."""
    path = corrections_path(root)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise CorrectionError(f"{path}: 无法读取更正 unreadable corrections: {err}") from err
    return data if isinstance(data, dict) else {}


def validate(fields: dict[str, Any]) -> dict[str, Any]:
    """Checked values: a known type, a year 1900-2200, names up to 100 characters.
    ``None`` removes an earlier correction of that field."""
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key not in FIELDS:
            raise CorrectionError(f"未知字段 unknown field: {key!r} ({', '.join(FIELDS)})")
        if value is None:
            out[key] = None
        elif key == "doc_type":
            if value not in metadata.doc_types():
                raise CorrectionError(f"未知文档类型 unknown document type: {value!r} "
                                      f"({', '.join(metadata.doc_types())})")
            out[key] = value
        elif key == "year":
            try:
                year = int(value)
            except (TypeError, ValueError):
                raise CorrectionError(f"年度无效 bad year: {value!r}") from None
            if not 1900 <= year <= 2200:
                raise CorrectionError(f"年度无效 bad year: {value!r} (1900-2200)")
            out[key] = year
        else:
            text = str(value).strip()
            if not text or len(text) > MAX_TEXT:
                raise CorrectionError(f"{key} 须为 1-{MAX_TEXT} 个字符 must be 1-{MAX_TEXT} characters")
            out[key] = text
    if not out:
        raise CorrectionError("没有要更正的字段 no field to correct")
    return out


def save_correction(doc_id: str, fields: dict[str, Any], root: Path | None = None) -> dict[str, Any]:
    """Merge checked ``fields`` into the document's corrections; returns them."""
    checked = validate(fields)
    with _lock:
        data = load_corrections(root)
        mine = {**data.get(doc_id, {}), **checked}
        mine = {k: v for k, v in mine.items() if v is not None}
        if mine:
            data[doc_id] = mine
        else:
            data.pop(doc_id, None)
        path = corrections_path(root)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)
    return mine


def apply_corrections(doc_id: str, analysis: Analysis, root: Path | None = None) -> bool:
    """Lay the document's corrections over its analysis (the document's metadata
    and the org/region/year context its items took from it); True when any applied."""
    fields = load_corrections(root).get(doc_id)
    if not fields:
        return False
    meta = analysis.meta
    old = {"org": meta.org, "region": meta.region, "year": meta.year}
    _set_meta(meta, fields)
    new = {"org": meta.org, "region": meta.region, "year": meta.year}
    for item in analysis.items:
        for key in ("org", "region", "year"):
            if key in fields and item.context.get(key) == old[key]:
                item.context[key] = new[key]
    return True


def _set_meta(meta: DocumentMeta, fields: dict[str, Any]) -> None:
    for key, value in fields.items():
        setattr(meta, key, value)
        meta.sources[key] = "manual"
    if "region" in fields:
        meta.region_path = metadata.region_path_of(str(fields["region"]))


def correct_document(backend: Backend, doc_id: str, fields: dict[str, Any],
                     root: Path | None = None) -> dict[str, Any] | None:
    """Save a correction and store the document again with it: the stored analysis
    is rebuilt and the corrections laid over it (re-analysed only when a correction
    is dropped, so the field gets the analysis' value back). Returns the stored
    document, ``None`` for an unknown id."""
    from search.reindex import document_from_stored

    stored = backend.get_document(doc_id)
    if stored is None:
        return None
    save_correction(doc_id, fields, root)
    document, analysis = document_from_stored(stored)
    if any(v is None for v in fields.values()):
        # a dropped correction gives the field back to the analysis: analyse again
        from nlp.pipeline import analyse

        analysis = analyse(document)
    apply_corrections(doc_id, analysis, root)
    backend.delete_document(doc_id)
    try:
        backend.add(document, analysis, stored.get("version"))
    except Exception:
        backend.add(*document_from_stored(stored), stored.get("version"))  # put the old one back
        raise
    return backend.get_document(doc_id)


# ---- review ------------------------------------------------------------------------

_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def stated_metadata(title: str, text: str, source: str) -> list[tuple[str, object, str]]:
    """(field, value, where) the title/cover and the file name state outright."""
    out: list[tuple[str, object, str]] = []
    cover = metadata.read_cover(text or "", title or "")
    for key, ev in (("doc_type", cover.doc_type), ("org", cover.org), ("year", cover.year)):
        if ev is not None and ev.value:
            out.append((key, ev.value, "title" if ev.source == "title" else "cover"))
    if cover.region:
        out.append(("region", cover.region[-1], "title"))
    kind = metadata.filename_type(source or "")
    if kind:
        out.append(("doc_type", kind, "file name"))
    m = _YEAR_IN_NAME.search(source or "")
    if m:
        out.append(("year", int(m.group(1)), "file name"))
    return out


def check_document(stored: dict[str, Any]) -> list[dict[str, Any]]:
    """The contradictions between a stored document's metadata and what its title,
    cover or file name state: one row per contradiction."""
    rows = []
    seen = set()
    sources = stored.get("meta_sources") or {}
    for key, value, where in stated_metadata(stored.get("title") or "", stored.get("text") or "",
                                              stored.get("doc") or ""):
        have = stored.get(key)
        if have in (None, "") or str(have) == str(value) or (key, where) in seen:
            continue
        if key == "region" and value in metadata.region_path_of(str(have)):
            continue  # a district of the city the title names
        seen.add((key, where))
        rows.append({"doc_id": stored["id"], "doc": stored.get("doc"), "field": key,
                     "stored": have, "source": sources.get(key, ""), "stated": value, "where": where})
    return rows


def check_metadata(backend: Backend, limit: int | None = None) -> list[dict[str, Any]]:
    """Contradictions over every stored document (the first ``limit`` documents)."""
    from search.backend import MAX_LIMIT

    rows: list[dict[str, Any]] = []
    offset, seen = 0, 0
    while True:
        docs, total = backend.list_documents(limit=MAX_LIMIT, offset=offset)
        for d in docs:
            if limit is not None and seen >= limit:
                return rows
            seen += 1
            stored = backend.get_document(d["id"])
            if stored is not None:
                rows += check_document(stored)
        offset += len(docs)
        if not docs or offset >= total:
            return rows

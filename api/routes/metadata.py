"""Document metadata: ``GET /api/documents/{id}/metadata`` (type, org, region, year,
each with its source), ``PUT`` the same path to correct them (a write: see
``WRITE_GUARDS``), and ``GET /api/metadata/check`` (documents whose metadata
contradicts their title, cover or file name)."""
from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends, HTTPException, Query as Q
from pydantic import BaseModel, ConfigDict, Field

from api.deps import get_backend
from api.render import bad_request
from api.security import WRITE_RESPONSES, require_write
from nlp.metadata import describe, doc_types
from search.backend import Backend
from search.corrections import MAX_TEXT

router = APIRouter(tags=["metadata 元数据"])

# Corrections are writes: they need the API token (api.security).
WRITE_GUARDS: list[Any] = [Depends(require_write)]


class MetadataCorrection(BaseModel):
    """Fields to correct; a field left out keeps its value, ``null`` drops an
    earlier correction of it. The schema states what ``search.corrections``
    accepts (known types, years 1900-2200, names of 1-100 characters, at least
    one field), so a schema-valid correction is never refused."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1})

    doc_type: Optional[str] = Field(None, description="文档类型 / document type (corpora/doctype/types.tsv)",
                                    json_schema_extra={"enum": [*doc_types(), None]})
    org: Optional[str] = Field(None, description="单位 / organisation", max_length=MAX_TEXT,
                               pattern=r"\S")
    region: Optional[str] = Field(None, description="地区 / region (全国 for national documents)",
                                  max_length=MAX_TEXT, pattern=r"\S")
    year: Optional[int] = Field(None, description="年度 / year", ge=1900, le=2200)


def document_metadata(doc: dict[str, Any]) -> dict[str, Any]:
    """The metadata block shown for a stored document."""
    return {"id": doc["id"], "doc": doc.get("doc"),
            "metadata": describe(doc.get("doc_type"), doc.get("org"), doc.get("region"),
                                 doc.get("year"), doc.get("meta_sources"))}


def _stored(backend: Backend, doc_id: str) -> dict[str, Any]:
    doc = backend.get_document(doc_id[:100])
    if doc is None:
        raise HTTPException(status_code=404, detail=f"未知文档 unknown document: {doc_id[:100]}")
    return doc


@router.get("/api/documents/{doc_id}/metadata", summary="文档元数据及来源 / document metadata and sources",
            responses={404: {"description": "未知文档 unknown"}})
def get_metadata(doc_id: str, backend: Backend = Depends(get_backend)) -> dict[str, Any]:
    return document_metadata(_stored(backend, doc_id))


@router.put("/api/documents/{doc_id}/metadata", dependencies=WRITE_GUARDS,
            summary="更正文档元数据 / correct a document's metadata (kept across re-analysis)",
            responses={**WRITE_RESPONSES, 400: {"description": "无效更正 bad correction"},
                       404: {"description": "未知文档 unknown"}})
def put_metadata(doc_id: str, body: MetadataCorrection,
                 backend: Backend = Depends(get_backend)) -> dict[str, Any]:
    from search.corrections import CorrectionError, correct_document

    _stored(backend, doc_id)
    fields = body.model_dump(exclude_unset=True)
    try:
        doc = correct_document(backend, doc_id[:100], fields)
    except CorrectionError as err:
        raise bad_request(str(err)) from err
    return document_metadata(doc if doc is not None else _stored(backend, doc_id))


@router.get("/api/metadata/check", summary="元数据待核对 / metadata contradicting title or file name")
def check(limit: Optional[int] = Q(None, ge=0, le=10000),
          backend: Backend = Depends(get_backend)) -> dict[str, Any]:
    from search.corrections import check_metadata

    rows = check_metadata(backend, limit)
    return {"total": len(rows), "rows": rows}

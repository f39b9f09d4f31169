"""``GET /api/documents`` (list) and ``GET /api/documents/{id}`` (text, passages,
items, metadata; 404 when unknown), and ``GET /health``."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, HTTPException, Query as Q

from api.deps import get_backend
from api.models import DocumentDetail, DocumentList, DocumentSummary, Health
from api.render import bad_request
from api.routes.search import doc_filters
from search.backend import MAX_LIMIT, Backend
from search.filters import FilterError

router = APIRouter(tags=["documents 文档"])


@router.get("/api/documents", response_model=DocumentList, summary="文档列表 / list documents")
def list_documents(
    limit: int = Q(50, ge=0, le=MAX_LIMIT),
    offset: int = Q(0, ge=0),
    region: Optional[str] = Q(None), org: Optional[str] = Q(None),
    year: Optional[int] = Q(None, ge=1900, le=2200),
    type: Optional[str] = Q(None, description="文档类型 / document type"),
    backend: Backend = Depends(get_backend),
) -> DocumentList:
    try:
        rows, total = backend.list_documents(limit, offset, doc_filters(region, org, year, type))
    except FilterError as err:
        raise bad_request(str(err)) from err
    docs = [DocumentSummary(**{k: v for k, v in r.items() if k in DocumentSummary.model_fields})
            for r in rows]
    return DocumentList(total=total, limit=limit, offset=offset, documents=docs)


@router.get("/api/documents/{doc_id}", response_model=DocumentDetail,
            summary="文档详情 / one document", responses={404: {"description": "未知文档 unknown"}})
def get_document(doc_id: str, backend: Backend = Depends(get_backend)) -> DocumentDetail:
    doc = backend.get_document(doc_id[:100])
    if doc is None:
        raise HTTPException(status_code=404, detail=f"未知文档 unknown document: {doc_id[:100]}")
    return DocumentDetail(**{k: v for k, v in doc.items() if k in DocumentDetail.model_fields})


@router.get("/health", response_model=Health, tags=["health"], summary="健康检查 / health")
def health(backend: Backend = Depends(get_backend)) -> Health:
    s = backend.stats()
    return Health(status="ok", backend=str(s.get("backend", backend.name)),
                  documents=int(s.get("documents", 0)), passages=int(s.get("passages", 0)),
                  items=int(s.get("items", 0)))

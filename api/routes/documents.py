"""``GET /api/documents`` (list) and ``GET /api/documents/{id}`` (text, passages,
items, metadata; 404 when unknown), and ``GET /health``."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, File, HTTPException, Query as Q, UploadFile

from api.deps import get_backend
from api.models import DocumentDetail, DocumentList, DocumentSummary, Health, UploadResult
from api.render import bad_request, doc_filters
from search.backend import MAX_LIMIT, Backend
from search.indexing import store_document
from search.filters import FilterError

router = APIRouter(tags=["documents 文档"])

# uploads larger than this are refused with 413 while reading, before analysis
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
UPLOAD_CHUNK = 1024 * 1024


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


@router.post("/api/documents", response_model=UploadResult,
             summary="上传文档 / upload and ingest one document",
             responses={400: {"description": "无法读取 unreadable file"},
                        413: {"description": f"超过 {MAX_UPLOAD_BYTES} 字节 too large"}})
def upload_document(file: UploadFile = File(..., description="txt / md / pdf / docx"),
                    backend: Backend = Depends(get_backend)) -> UploadResult:
    """Read, analyse and index one uploaded file (same rules as ``policylens ingest``).

    The stored path is ``upload:<file name>``, so uploading a new version of a
    file under the same name replaces the old one."""
    from ingest.document import IngestError
    from ingest.readers import read_bytes

    name = (file.filename or "upload").replace("\\", "/").rsplit("/", 1)[-1][:200] or "upload"
    chunks, size = [], 0
    while chunk := file.file.read(UPLOAD_CHUNK):
        size += len(chunk)
        if size > MAX_UPLOAD_BYTES:
            raise HTTPException(413, f"{name}: 文件过大 file too large (> {MAX_UPLOAD_BYTES} bytes)")
        chunks.append(chunk)
    try:
        document = read_bytes(b"".join(chunks), name, path=f"upload:{name}")
    except IngestError as err:
        raise bad_request(f"{name}: {err.reason}") from err
    result = store_document(document, backend)
    return UploadResult(status=result.status, id=result.doc_id, doc=document.source)

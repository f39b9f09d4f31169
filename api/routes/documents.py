"""``GET /api/documents`` (list) and ``GET /api/documents/{id}`` (text, passages,
items, metadata; 404 when unknown), and ``GET /health``."""
from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends, File, HTTPException, Query as Q, Request, UploadFile
from fastapi.responses import JSONResponse

from api.deps import get_backend
from api.models import DocumentDetail, DocumentList, DocumentSummary, ErrorDetail, Health, UploadJobModel
from api.render import MAX_OFFSET, bad_request, doc_filters
from api.security import MAX_REQUEST_BYTES, WRITE_RESPONSES, require_write
from api.uploads import UploadJob, clean_name, upload_queue
from ingest.document import IngestError
from search.backend import MAX_LIMIT, Backend
from search.filters import FilterError

router = APIRouter(tags=["documents 文档"])

# uploads larger than this are refused with 413 while reading, before analysis
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
UPLOAD_CHUNK = 1024 * 1024


@router.get("/api/documents", response_model=DocumentList, summary="文档列表 / list documents")
def list_documents(
    limit: int = Q(50, ge=0, le=MAX_LIMIT),
    offset: int = Q(0, ge=0, le=MAX_OFFSET),
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
def health(request: Request, backend: Backend = Depends(get_backend)) -> Health:
    s = backend.stats()
    return Health(status="ok", backend=str(s.get("backend", backend.name)),
                  documents=int(s.get("documents", 0)), passages=int(s.get("passages", 0)),
                  items=int(s.get("items", 0)),
                  uploads=getattr(request.app.state, "uploads_warm", "cold"))


UPLOAD_RESPONSES: dict[int | str, dict[str, Any]] = {
    **WRITE_RESPONSES,
    200: {"model": UploadJobModel, "description": "wait=true: 已完成 done (ingested, replaced, "
                                                 "unchanged, duplicate)"},
    202: {"model": UploadJobModel, "description": "已排队 queued; poll status_url"},
    400: {"model": ErrorDetail, "description": "无法读取 unreadable file"},
    409: {"model": ErrorDetail, "description": "同名的另一文档已存在 a different document has "
                                                 "this name (send replace=true)"},
    413: {"model": ErrorDetail,
          "description": f"超过限制 over a limit (upload {MAX_UPLOAD_BYTES} bytes, expanded size, "
                         "entries, memory)"},
    422: {"model": ErrorDetail, "description": "分析失败或超时 analysis failed or over the time limit"},
}


def _read_upload(file: UploadFile, name: str) -> bytes:
    """The upload's bytes; 413 as soon as it passes MAX_UPLOAD_BYTES."""
    chunks, size = [], 0
    while chunk := file.file.read(UPLOAD_CHUNK):
        size += len(chunk)
        if size > MAX_UPLOAD_BYTES:
            raise HTTPException(413, f"{name}: 文件过大 file too large (> {MAX_UPLOAD_BYTES} bytes, "
                                     "the upload limit)")
        chunks.append(chunk)
    return b"".join(chunks)


def _job_response(job: UploadJob) -> JSONResponse:
    code = 202 if not job.done.is_set() else job.code
    return JSONResponse(job.to_json(), status_code=code)


@router.post("/api/documents", status_code=202, response_model=UploadJobModel,
             summary="上传文档 / upload one document (analysed in the background)",
             dependencies=[Depends(require_write)], responses=UPLOAD_RESPONSES,
             max_body_size=MAX_REQUEST_BYTES)  # also bodies sent without a length
def upload_document(request: Request,
                    file: UploadFile = File(..., description="txt / md / pdf / docx"),
                    replace: bool = Q(False, description="替换同名的另一文档 / replace a different "
                                                         "document stored under this name"),
                    wait: bool = Q(False, description="等待分析完成 / answer when analysed")
                    ) -> JSONResponse:
    """Queue one file for reading, analysis and indexing (same rules as
    ``policylens ingest``); 202 with ``status_url`` to poll, or with ``wait=true``
    the final answer. Needs the write token (``Authorization: Bearer``).

    The stored path is ``upload:<file name>``. A different file under a name
    already stored is refused (409) unless ``replace=true``; the same content
    under a second name is answered ``duplicate`` with ``same_as``."""
    from ingest.readers import check_upload

    name = clean_name(file.filename)
    data = _read_upload(file, name)
    try:
        check_upload(data, name)
    except IngestError as err:
        raise HTTPException(err.status, f"{name}: {err.reason}") from err
    queue = upload_queue(request.app)
    job = queue.submit(data, name, replace=replace)
    if wait:
        job.done.wait()
    return _job_response(job)


@router.get("/api/uploads/{upload_id}", response_model=UploadJobModel,
            summary="上传状态 / status of one upload",
            responses={404: {"description": "未知上传 unknown upload"}})
def upload_status(request: Request, upload_id: str) -> UploadJobModel:
    job = upload_queue(request.app).get(upload_id[:64])
    if job is None:
        raise HTTPException(404, f"未知上传 unknown upload: {upload_id[:64]}")
    return UploadJobModel(**job.to_json())

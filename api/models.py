"""Pydantic response models: they are the OpenAPI schema of ``/docs``.

Items (figures, goals, indicators, entities) keep their own JSON shape (the one
``Item.to_json()`` gives and FORMAT.md describes), so they are typed as plain
objects here rather than duplicated field by field.
"""
from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, Field


class HitModel(BaseModel):
    doc: str = Field(description="文件名 / file base name")
    doc_id: str
    passage: int = Field(description="段落序号 / passage index in the document")
    text: str = Field(description="整个段落 / the whole passage, original characters")
    start: int = Field(description="段落在全文中的起点 / passage start offset in the document text")
    end: int
    page: Optional[int] = None
    score: float
    highlights: list[list[int]] = Field(default_factory=list,
                                        description="匹配位置 / (start, end) offsets into text")
    title: str = ""
    doc_type: Optional[str] = None
    org: Optional[str] = None
    region: Optional[str] = None
    year: Optional[int] = None
    more_in_doc: Optional[int] = Field(None, description="本文件未显示的其他匹配段落数 /"
                                                         " more matching passages of this document")
    answer: Optional[list[int]] = Field(None, description="问句的答句位置 / (start, end) of the"
                                                          " answer sentence in text, for questions")


class SearchResponse(BaseModel):
    query: str = Field(description="实际使用的查询（超长截断）/ the query as used (truncated when too long)")
    total: int
    total_relation: str = Field("eq", description=(
        "eq：total 为精确数；gte：至少 total 条（超过 10,000 条不再精确计数）"
        " / eq: exact; gte: at least total (counting stops past TOTAL_CAP, as in Elasticsearch)"))
    limit: int
    offset: int
    hits: list[HitModel]
    facets: dict[str, dict[str, int]] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list, description="地区/单位筛选匹配了什么 / what the "
                                                              "region and org filters matched")
    understood: dict[str, Any] = Field(default_factory=dict, description=(
        "查询理解 / how the query was read: year, region, org, doc_type, question"))
    understood_text: str = Field("", description="理解为：年份 2018，地区 上海市")
    mode: str = Field("lexical", description="实际检索方式 / mode used: lexical|semantic|hybrid")
    warnings: list[str] = Field(default_factory=list)


class DocumentSummary(BaseModel):
    id: str
    doc: str
    format: Optional[str] = None
    title: Optional[str] = None
    doc_type: Optional[str] = None
    org: Optional[str] = None
    region: Optional[str] = None
    year: Optional[int] = None
    passages: Optional[int] = None
    items: Optional[int] = None
    chars: Optional[int] = None


class DocumentList(BaseModel):
    total: int
    limit: int
    offset: int
    documents: list[DocumentSummary]


class PassageModel(BaseModel):
    index: int
    start: int
    end: int
    page: Optional[int] = None
    article: Optional[int] = None
    text: str


class PageModel(BaseModel):
    number: int
    start: int
    end: int
    flag: Optional[str] = None


class DocumentDetail(BaseModel):
    id: str
    doc: str
    format: Optional[str] = None
    title: Optional[str] = None
    text: str
    encoding: Optional[str] = None
    doc_type: Optional[str] = None
    org: Optional[str] = None
    region: Optional[str] = None
    region_path: list[str] = Field(default_factory=list)
    year: Optional[int] = None
    date: Optional[str] = None
    pages: list[PageModel] = Field(default_factory=list)
    passages: list[PassageModel]
    items: list[dict[str, Any]] = Field(default_factory=list,
                                        description="抽取条目 / extracted items (FORMAT.md JSON + id)")
    articles: list[dict[str, Any]] = Field(default_factory=list)
    meta_sources: dict[str, str] = Field(default_factory=dict, description=(
        "元数据来源 / where each metadata field came from: title | cover | issuer | body | model | manual"))
    aliases: list[str] = Field(default_factory=list,
                               description="同一内容的其他来源 / other paths the same bytes came as")
    ocr_pages: list[int] = Field(default_factory=list,
                                 description="经文字识别读取的扫描页 / scanned pages read by OCR")
    warnings: list[str] = Field(default_factory=list,
                                description="读取时的提示 / what the reader had to repair or guess "
                                            "(bytes replaced by U+FFFD, guessed encoding)")


class UploadJobModel(BaseModel):
    """One upload: queued, running, or what became of it."""

    upload: str = Field(description="上传编号 / upload id (GET /api/uploads/{upload})")
    status: str = Field(description="queued | running | ingested | replaced | reanalysed | "
                                    "unchanged | duplicate | failed")
    code: int = Field(description="结果的 HTTP 状态 / HTTP status of the outcome")
    id: Optional[str] = Field(None, description="文档编号 / document id once stored")
    doc: str = Field(description="清理后的文件名 / cleaned file name")
    path: str
    doc_id: str = Field(description="内容编号 / content id (sha256 of the bytes)")
    error: Optional[str] = None
    detail: Optional[str] = Field(None, description="同 error / same as error, on failures")
    same_as: Optional[str] = Field(None, description="duplicate: 已存同内容的文档 / stored document "
                                                     "with the same content")
    warnings: list[str] = Field(default_factory=list)
    status_url: str
    created: float
    finished: Optional[float] = None


class ErrorDetail(BaseModel):
    """An error answer: ``detail`` is the reason (a list of problems for invalid parameters)."""

    detail: Any


class Health(BaseModel):
    status: str
    backend: str
    documents: int
    passages: int
    items: int
    uploads: str = Field("cold", description="上传分析进程 / the upload analysis process: cold "
                                             "(loads at the first upload), warming, warm, failed")

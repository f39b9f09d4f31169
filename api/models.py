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
    limit: int
    offset: int
    hits: list[HitModel]
    facets: dict[str, dict[str, int]] = Field(default_factory=dict)
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


class UploadResult(BaseModel):
    status: str = Field(description="ingested | unchanged | replaced | reanalysed")
    id: str
    doc: str


class Health(BaseModel):
    status: str
    backend: str
    documents: int
    passages: int
    items: int

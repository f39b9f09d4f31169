"""Organisations, regions, policy references, dates, document metadata and
newspaper articles (issue 5 fills this in)."""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from ingest.document import Document
from nlp.items import Article, DocumentMeta, Entity


@dataclass
class EntityResult:
    items: list[Entity] = field(default_factory=list)
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    articles: list[Article] = field(default_factory=list)


def extract(doc: Doc, document: Document) -> EntityResult:
    """Entities of the document, its metadata and (for newspaper pages) its articles."""
    return EntityResult(meta=DocumentMeta(title=document.title))

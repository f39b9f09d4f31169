"""Copy one store into another (``policylens reindex --to es``).

Reads through the public Backend methods only (``list_documents`` and
``get_document``), rebuilds each :class:`Document` and :class:`Analysis` from the
stored JSON and ``add``s it to the target, so the target indexes it exactly as
a fresh ingest would, without re-running the (slow) analysis. A document the
target already holds with the same id is ``unchanged``; a failure is reported
for that document and the copy goes on.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Callable

from ingest.document import Document, Page, Passage
from nlp.items import Analysis, Article, DocumentMeta, Entity, Figure, Goal, Indicator, Item
from search.backend import MAX_LIMIT, Backend

ITEM_CLASSES: dict[str, type[Item]] = {"figure": Figure, "goal": Goal, "indicator": Indicator}


@dataclass
class CopyOutcome:
    doc_id: str
    doc: str
    status: str  # ingested | unchanged | replaced | failed
    reason: str | None = None


def item_from_json(d: dict[str, Any]) -> Item:
    """The item a stored JSON dict came from (store-added keys such as ``id``,
    ``doc`` and ``doc_id`` are dropped). Entity types (org, region ...) become
    :class:`Entity`."""
    cls = ITEM_CLASSES.get(str(d.get("type")), Entity)
    names = {f.name for f in dataclasses.fields(cls)}
    kwargs = {k: v for k, v in d.items() if k in names}
    kwargs.setdefault("context", {})
    if cls is Entity:
        kwargs["type"] = d.get("type", "entity")
    return cls(**kwargs)


def document_from_stored(d: dict[str, Any]) -> tuple[Document, Analysis]:
    """Rebuild (Document, Analysis) from ``Backend.get_document`` output."""
    doc = Document(
        id=d["id"], source=d.get("doc") or "", path=d.get("path") or d.get("doc") or d["id"],
        format=d.get("format") or "text", title=d.get("title") or "", text=d.get("text") or "",
        pages=[Page(p["number"], p["start"], p["end"], p.get("flag"))
               for p in d.get("pages") or []],
        passages=[Passage(p["index"], p["start"], p["end"], p.get("page"), p.get("article"))
                  for p in d.get("passages") or []],
        encoding=d.get("encoding"))
    meta = DocumentMeta(title=d.get("title") or "", doc_type=d.get("doc_type") or "",
                        org=d.get("org") or "", region=d.get("region") or "",
                        region_path=list(d.get("region_path") or []), year=d.get("year"),
                        date=d.get("date"), sources=dict(d.get("meta_sources") or {}))
    articles = [Article(index=a["index"], start=a["start"], end=a["end"],
                        headline=a.get("headline", ""), byline=a.get("byline", ""),
                        parts=[tuple(p) for p in a.get("parts") or []])
                for a in d.get("articles") or []]
    items = [item_from_json(i) for i in d.get("items") or []]
    return doc, Analysis(items=items, meta=meta, articles=articles)


def copy_backend(source: Backend, target: Backend,
                 progress: Callable[[CopyOutcome], None] | None = None) -> list[CopyOutcome]:
    """Add every document of ``source`` to ``target``; one outcome per document."""
    ids: list[tuple[str, str]] = []
    offset = 0
    while True:  # list first: the source is not changed while we copy
        docs, total = source.list_documents(limit=MAX_LIMIT, offset=offset)
        ids.extend((d["id"], d.get("doc") or "") for d in docs)
        offset += len(docs)
        if not docs or offset >= total:
            break
    outcomes = []
    for doc_id, name in ids:
        try:
            stored = source.get_document(doc_id)
            if stored is None:
                outcome = CopyOutcome(doc_id, name, "failed", "已从源索引删除 gone from the source")
            else:
                document, analysis = document_from_stored(stored)
                result = target.add(document, analysis, stored.get("version"))
                outcome = CopyOutcome(doc_id, name, result.status)
        except Exception as err:  # one bad document never stops the copy
            outcome = CopyOutcome(doc_id, name, "failed", f"{type(err).__name__}: {err}")
        outcomes.append(outcome)
        if progress is not None:
            progress(outcome)
    return outcomes

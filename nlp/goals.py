"""Goals and the vague-goal review (issue 4 fills this in)."""
from __future__ import annotations

from spacy.tokens import Doc

from ingest.document import Document
from nlp.items import Goal


def extract(doc: Doc, document: Document) -> list[Goal]:
    """Goals stated in running text and in goal/self-evaluation tables."""
    return []

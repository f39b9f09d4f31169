"""Figures: numbers with units in Chinese public-finance text (issue 3 fills this in)."""
from __future__ import annotations

from spacy.tokens import Doc

from ingest.document import Document
from nlp.items import Figure


def extract(doc: Doc, document: Document) -> list[Figure]:
    """All figures of the document, normalised, with their spans."""
    return []

"""Performance indicators from tables and running text (issue 4 fills this in)."""
from __future__ import annotations

from spacy.tokens import Doc

from ingest.document import Document
from nlp.items import Indicator


def extract(doc: Doc, document: Document) -> list[Indicator]:
    """Indicator rows of performance-target and self-evaluation tables, and indicators in text."""
    return []

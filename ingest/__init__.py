"""Reading documents: files in, :class:`ingest.document.Document` out.

Nothing here knows about NLP, search or the API (data flows ingest -> nlp ->
search -> api).
"""
from ingest.document import Document, IngestError, Page, Passage, Table

__all__ = ["Document", "IngestError", "Page", "Passage", "Table"]

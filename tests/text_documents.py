"""A one-page plain-text Document built from a string: what the goal tests read a real sentence through.

Why here: the goal rules take a whole ``Document`` (its text, its pages for the source span), and thirteen goal
test files each wrote the same five-line builder; one shared builder keeps them alike."""
from __future__ import annotations

from ingest.document import Document, Page


def one_page(text: str, name: str = "t") -> Document:
    """``text`` as a one-page text document named ``name``.txt."""
    return Document(id=name, source=f"{name}.txt", path=f"{name}.txt", format="text", title=name, text=text,
                    pages=[Page(1, 0, len(text))])

"""Ingest orchestration the CLI calls: files -> Document -> Analysis -> backend.

One bad file is one ``failed`` outcome with its reason, never the end of the
batch. A file already stored with the same content is recognised *before* the
(costly) analysis runs.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ingest.document import IngestError
from search.backend import Backend


@dataclass
class FileOutcome:
    path: str
    status: str  # ingested | unchanged | replaced | failed
    reason: str | None = None
    doc_id: str | None = None


def _hidden(p: Path, root: Path) -> bool:
    try:
        parts = p.relative_to(root).parts
    except ValueError:
        parts = p.parts
    return any(part.startswith(".") for part in parts)


def iter_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named and files under folders named (recursive, sorted, hidden
    files and folders skipped). A path that does not exist is returned as is,
    so ingesting it reports it as failed rather than dropping it silently."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and not _hidden(f, p)))
        else:
            out.append(p)
    seen: set[Path] = set()
    unique = []
    for f in out:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def ingest_file(path: str | Path, backend: Backend) -> FileOutcome:
    """Read, analyse and store one file; any error becomes a ``failed`` outcome."""
    p = Path(path)
    try:
        from ingest.readers import read  # the ingest layer's entry point
        from nlp.pipeline import analyse

        document = read(p)
        if backend.is_current(document.path, document.id):
            return FileOutcome(str(p), "unchanged", None, document.id)
        analysis = analyse(document)
        result = backend.add(document, analysis)
        return FileOutcome(str(p), result.status, None, result.doc_id)
    except IngestError as err:
        return FileOutcome(str(p), "failed", err.reason)
    except Exception as err:  # one bad file never stops the batch
        return FileOutcome(str(p), "failed", f"{type(err).__name__}: {err}")


def ingest_paths(paths: Iterable[str | Path], backend: Backend,
                 progress: Callable[[FileOutcome], None] | None = None) -> list[FileOutcome]:
    """Ingest every file under ``paths``; ``progress(outcome)`` after each file."""
    outcomes = []
    for f in iter_files(paths):
        outcome = ingest_file(f, backend)
        outcomes.append(outcome)
        if progress is not None:
            progress(outcome)
    return outcomes

"""Ingest orchestration the CLI calls: files -> Document -> Analysis -> backend.

One bad file is one ``failed`` outcome with its reason, never the end of the
batch. A file already stored with the same content is recognised *before* the
(costly) analysis runs.
"""
from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from ingest.document import Document, IngestError
from search.backend import AddResult, Backend


ROOT = Path(__file__).resolve().parent.parent
# what decides the stored analysis of a file besides its bytes: the readers, the
# extractors, the index-time segmentation, and every rule, word list and
# training set under corpora/ (the sample documents excepted)
VERSION_SOURCES = ("ingest", "nlp", "search/tokenize.py", "corpora")
VERSION_SKIP = ("corpora/samples",)


@functools.lru_cache(maxsize=1)
def analysis_version() -> str:
    """A short digest of the code and data that produce a document's analysis.

    A stored document records the version it was analysed with; ingesting the
    same file again after an upgrade re-analyses it (``reanalysed``) instead of
    keeping the old extraction as ``unchanged``. Hashing about 1 MB of source
    and rule files takes a few milliseconds, once per process."""
    digest = hashlib.sha1()
    for source in VERSION_SOURCES:
        root = ROOT / source
        files = [root] if root.is_file() else sorted(
            f for f in root.rglob("*") if f.is_file() and "__pycache__" not in f.parts
            and not any(f.is_relative_to(ROOT / skip) for skip in VERSION_SKIP))
        for f in files:
            digest.update(f.relative_to(ROOT).as_posix().encode("utf-8") + b"\0")
            digest.update(f.read_bytes())
    return digest.hexdigest()[:12]


@dataclass
class FileOutcome:
    path: str
    status: str  # ingested | unchanged | replaced | reanalysed | failed
    reason: str | None = None
    doc_id: str | None = None
    warnings: list[str] = field(default_factory=list)  # e.g. a scanned page left unread


def _hidden(p: Path, root: Path) -> bool:
    try:
        parts = p.relative_to(root).parts
    except ValueError:
        parts = p.parts
    return any(part.startswith(".") for part in parts)


def iter_files(paths: Iterable[str | Path], skipped: list[Path] | None = None) -> list[Path]:
    """Files named and files under folders named (recursive, sorted, hidden
    files and folders skipped). A path that does not exist is returned as is,
    so ingesting it reports it as failed rather than dropping it silently.

    A file of an unsupported type found in a folder (a SOURCES.tsv beside the
    documents) is not a failure: it goes to ``skipped`` (when given) so the
    caller can report it. Named explicitly, it is returned and fails."""
    from ingest.readers import SUPPORTED_EXTENSIONS

    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(f for f in p.rglob("*") if f.is_file() and not _hidden(f, p)):
                if f.suffix.lower() in SUPPORTED_EXTENSIONS:
                    out.append(f)
                elif skipped is not None:
                    skipped.append(f)
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


def store_document(document: Document, backend: Backend) -> AddResult:
    """Analyse and store a document that was read, unless the same content is
    stored already with the current analysis (checked before the costly analysis,
    and before the pipeline is even imported)."""
    version = analysis_version()
    if backend.is_current(document.path, document.id, version):
        return AddResult("unchanged", document.id)
    from nlp.pipeline import analyse

    return store_analysis(document, analyse(document), backend, version)


def store_analysis(document: Document, analysis: Any, backend: Backend, version: str,
                   **add_options: Any) -> AddResult:
    """Store a fresh analysis with a reviewer's metadata corrections laid over it,
    so corrections survive re-analysis whichever path analysed the document (the
    CLI, an ingest worker, or the upload queue)."""
    from search.corrections import apply_corrections

    apply_corrections(document.id, analysis)
    return backend.add(document, analysis, version, **add_options)


def check_unchanged(path: Path, backend: Backend) -> tuple[FileOutcome | None, bytes, float, str]:
    """Load a file's bytes and decide from their hash alone whether it is stored
    already: ``(outcome, data, mtime, content id)`` with an ``unchanged`` outcome, or ``None``
    when the file must be parsed and analysed. No parser or pipeline is touched,
    so re-ingesting an unchanged archive costs a read and a hash per file."""
    from ingest.document import content_id
    from ingest.readers import load

    data, mtime = load(path)
    doc_id = content_id(data)
    if backend.is_current(str(path.resolve()), doc_id, analysis_version()):
        return FileOutcome(str(path), "unchanged", None, doc_id), data, mtime, doc_id
    return None, data, mtime, doc_id


def ingest_file(path: str | Path, backend: Backend) -> FileOutcome:
    """Read, analyse and store one file; any error becomes a ``failed`` outcome."""
    p = Path(path)
    try:
        from ingest.readers import read_bytes  # the ingest layer's entry point

        done, data, mtime, _ = check_unchanged(p, backend)
        if done is not None:
            return done
        document = read_bytes(data, p.name, str(p.resolve()))
        document.meta["mtime"] = mtime
        result = store_document(document, backend)
        return FileOutcome(str(p), result.status, None, result.doc_id,
                           list(document.meta.get("warnings", [])))
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

"""Entry points: ``read(path)`` and ``read_bytes(data, name)`` dispatch on the extension.

Bad input is normal input: every failure (missing, unreadable, too large,
empty, wrong format, corrupt, encrypted) becomes an :class:`IngestError` whose
message names the file and the reason, so a batch can report it and go on.
"""
from __future__ import annotations

from pathlib import Path, PurePath
from typing import Callable

from ingest import docx, markdown, pdf, text, xls, xlsx
from ingest.document import Document, IngestError, LimitError, content_id

MAX_FILE_BYTES = 200 * 1024 * 1024  # larger files are refused, not read into memory

Reader = Callable[[bytes, str, str, str], Document]

READERS: dict[str, Reader] = {
    ".txt": text.read,
    ".text": text.read,
    ".md": markdown.read,
    ".markdown": markdown.read,
    ".pdf": pdf.read,
    ".docx": docx.read,
    ".xlsx": xlsx.read,
    ".xls": xls.read,
}

SUPPORTED_EXTENSIONS: frozenset[str] = frozenset(READERS)


def _reader_for(name: str, path: str) -> Reader:
    ext = PurePath(name).suffix.lower()
    if ext not in READERS:
        shown = ext or "无扩展名 / none"
        raise IngestError(path, f"不支持的文件类型 / unsupported file type: {shown} "
                                f"(支持 supported: {', '.join(sorted(SUPPORTED_EXTENSIONS))})")
    return READERS[ext]


def check_upload(data: bytes, name: str, path: str | None = None) -> Reader:
    """The cheap checks before any reading (type, size, empty, archive limits), so a
    server can refuse a file at once; the reader for ``name``."""
    where = path or name
    reader = _reader_for(PurePath(name).name, where)
    if len(data) > MAX_FILE_BYTES:
        raise LimitError(where, f"文件过大 / file too large: {len(data)} bytes > {MAX_FILE_BYTES}")
    if not data.strip():
        raise IngestError(where, "文件为空 / empty file")
    if reader in (docx.read, xlsx.read):  # both are zip archives of XML
        docx.check_archive(data, where)
    return reader


def read_bytes(data: bytes, name: str, path: str | None = None) -> Document:
    """Read an uploaded file's bytes; ``name`` (its file name) chooses the reader."""
    where = path or name
    source = PurePath(name).name
    reader = check_upload(data, name, path)
    try:
        doc = reader(data, source, where, content_id(data))
    except IngestError:
        raise
    except RecursionError as exc:  # deeply nested PDF objects
        raise IngestError(where, f"文件结构异常 / malformed file structure: {exc}") from exc
    except Exception as exc:  # a reader bug on odd input must not end a whole batch
        raise IngestError(where, f"读取失败 / could not read: {type(exc).__name__}: {exc}") from exc
    doc.meta.setdefault("size", len(data))
    return doc


def load(path: str | Path) -> tuple[bytes, float]:
    """The bytes and mtime of a file that passed every check short of parsing.

    Separate from :func:`read` so a caller can hash the bytes and skip a file
    it already has before paying for the parser (raises :class:`IngestError`)."""
    p = Path(path)
    shown = str(p)
    _reader_for(p.name, shown)  # fail fast on the extension, before touching the file
    try:
        st = p.stat()
    except FileNotFoundError as exc:
        raise IngestError(shown, "文件不存在 / file not found") from exc
    except OSError as exc:
        raise IngestError(shown, f"无法访问文件 / cannot access file: {exc.strerror or exc}") from exc
    if p.is_dir():
        raise IngestError(shown, "是文件夹，不是文件 / is a directory, not a file")
    if st.st_size > MAX_FILE_BYTES:
        raise LimitError(shown, f"文件过大 / file too large: {st.st_size} bytes > {MAX_FILE_BYTES}")
    if st.st_size == 0:
        raise IngestError(shown, "文件为空 / empty file")
    try:
        data = p.read_bytes()
    except PermissionError as exc:
        raise IngestError(shown, "没有读取权限 / permission denied") from exc
    except OSError as exc:
        raise IngestError(shown, f"无法读取文件 / cannot read file: {exc.strerror or exc}") from exc
    return data, st.st_mtime


def read(path: str | Path) -> Document:
    """Read a file from disk into a :class:`Document` (raises :class:`IngestError`)."""
    p = Path(path)
    data, mtime = load(p)
    doc = read_bytes(data, p.name, str(p.resolve()))
    doc.meta["mtime"] = mtime
    return doc


__all__ = ["MAX_FILE_BYTES", "SUPPORTED_EXTENSIONS", "check_upload", "load", "read", "read_bytes"]

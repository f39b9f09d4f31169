"""Plain-text reader and encoding detection.

Chinese public-finance texts come as UTF-8, GB18030/GBK (older government
sites, Windows tools) and sometimes UTF-16 with a BOM (Windows "Unicode"
Notepad). A GBK file must read exactly as its UTF-8 twin, so detection goes
from the most certain signal to the least:

1. a byte-order mark (UTF-8, UTF-16, UTF-32); NUL bytes without a BOM mean
   UTF-16 when exactly one byte order gives plausible text, else binary;
2. strict UTF-8 (valid UTF-8 is very unlikely to be anything else);
3. strict GB18030 (a superset of GBK and GB2312) when the result is mostly
   CJK text rather than mojibake;
4. charset-normalizer's best guess.

``Document.text`` is the decoded file *unchanged*. For UTF-8 with a BOM the
BOM stays in the text as ``\\ufeff``: that is what ``open(path, encoding="utf-8")``
returns, which is how offsets are checked. For UTF-16/32 the BOM is part of the
encoding and is dropped by the codec.
"""
from __future__ import annotations

import codecs
from pathlib import PurePath

from ingest.document import Document, IngestError, Page, Passage
from ingest.passages import PassageSettings, is_heading, passage_spans

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


def detect_encoding(data: bytes, path: str = "<bytes>") -> tuple[str, str]:
    """Return ``(text, encoding)`` for ``data`` or raise :class:`IngestError`."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise IngestError(path, f"无法解码 / cannot decode as {enc} despite its BOM: {exc}") from exc
    if b"\x00" in data:
        wide = _utf16_without_bom(data)
        if wide is None:
            raise IngestError(path, "二进制文件，不是文本 / binary content (NUL bytes), not text")
        return _check_text(wide[0], path), wide[1]
    try:
        text = data.decode("utf-8")
        return _check_text(text, path), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        if _looks_chinese(text):
            return _check_text(text, path), "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise IngestError(path, "无法识别文本编码 / undecodable content (unknown encoding or binary)")
    return _check_text(str(best), path), best.encoding


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text saved without a BOM: NUL bytes are the high bytes of ASCII characters.

    Accepted only when exactly one byte order decodes to plausible text, so
    binary files with NUL bytes are still refused.
    """
    if len(data) % 2:
        return None
    found = []
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_chinese(text) and "\x00" not in text:
            found.append((text, enc))
    return found[0] if len(found) == 1 else None


def _looks_chinese(text: str) -> bool:
    """Mostly CJK or ASCII: a plausible GB18030 decoding, not mojibake of something else."""
    visible = [c for c in text if not c.isspace()]
    if not visible:
        return True
    cjk = sum(1 for c in visible if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f"
              or "\uff00" <= c <= "\uffef" or c.isascii())
    return cjk / len(visible) >= 0.9


def _check_text(text: str, path: str) -> str:
    """Reject decodings that are mostly control characters (binary data decoded by luck)."""
    if not text.strip():
        raise IngestError(path, "文件内容为空 / empty file (whitespace only)")
    sample = text[:20000]
    controls = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f\v") or c == "\ufffd")
    if controls / len(sample) > 0.05:
        raise IngestError(path, "二进制文件，不是文本 / binary content, not text")
    return text


def title_of(text: str, fallback: str, max_len: int = 60, look: int = 5) -> str:
    """The first of the first ``look`` lines that looks like a title, else ``fallback``.

    Looks like a title: short and not a sentence (see :func:`ingest.passages.is_heading`),
    so a photo caption "政府工作报告。 贵州日报记者 摄" above the real title is passed over.
    Without such a line, the first non-empty line if short enough.
    """
    firsts = [ln.strip().lstrip("\ufeff").strip() for ln in text.splitlines()]
    firsts = [ln for ln in firsts if ln][:look]
    settings = PassageSettings(heading_max=max_len)
    for line in firsts:
        if is_heading(line, settings):
            return line
    if firsts and len(firsts[0]) <= max_len:
        return firsts[0]
    return fallback


def read(data: bytes, source: str, path: str, doc_id: str) -> Document:
    """Read a plain-text file into a :class:`Document` (one page, prose passages)."""
    text, encoding = detect_encoding(data, path)
    passages = [Passage(i, s, e) for i, (s, e) in enumerate(passage_spans(text))]
    return Document(id=doc_id, source=source, path=path, format="text",
                    title=title_of(text, PurePath(source).stem), text=text,
                    pages=[Page(1, 0, len(text))], passages=passages, encoding=encoding)

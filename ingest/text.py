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
import re
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


# a UTF-8 file with at most this many bad bytes (and at most 1 in 1000 characters) is
# read with U+FFFD in their place and a warning: a stray or cut byte, not another encoding
MAX_BAD_UTF8 = 20


def decode_text(data: bytes, path: str = "<bytes>") -> tuple[str, str, list[str]]:
    """``(text, encoding, warnings)`` for ``data`` or :class:`IngestError`.

    Warnings say what is almost right: a few bytes that are not UTF-8 (replaced
    by U+FFFD), or an encoding that was only guessed. A text that decodes only
    by guessing and does not read as Chinese is refused: stored, it would be
    garbage that looks fine."""
    try:
        text, encoding = _certain(data, path)
    except _NotUtf8:
        pass
    else:
        return text, encoding, []
    nearly = _nearly_utf8(data, path)
    if nearly is not None:
        return nearly
    return _guess(data, path)


class _NotUtf8(Exception):
    """No sure encoding: the data is neither marked, UTF-8 nor GB18030 Chinese."""


def _nearly_utf8(data: bytes, path: str) -> tuple[str, str, list[str]] | None:
    """UTF-8 with a few stray or cut bytes: decoded with U+FFFD and a warning naming them."""
    bad: list[int] = []
    pos = 0
    while len(bad) <= MAX_BAD_UTF8:
        try:
            data[pos:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            bad.append(pos + exc.start)
            pos += exc.end
    if not bad or len(bad) > MAX_BAD_UTF8:
        return None
    text = data.decode("utf-8", errors="replace")
    if len(bad) * 1000 > len(text):
        return None
    cut = " (文件末尾被截断 the file ends inside a character)" if bad[-1] >= len(data) - 3 and \
        not _decodes(data[bad[-1]:]) else ""
    where = ", ".join(str(b) for b in bad[:5]) + (" ..." if len(bad) > 5 else "")
    warning = (f"{len(bad)} 处无效的 UTF-8 字节已替换为 U+FFFD / invalid UTF-8 bytes replaced "
               f"by U+FFFD at byte offsets {where}{cut}")
    return _check_text(text, path), "utf-8", [warning]


def _decodes(chunk: bytes) -> bool:
    try:
        chunk.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _guess(data: bytes, path: str) -> tuple[str, str, list[str]]:
    """charset-normalizer's best guess, kept only when it reads as Chinese text."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise IngestError(path, "无法识别文本编码 / undecodable content (unknown encoding or binary)")
    text = _check_text(str(best), path)
    if not _non_ascii_is_chinese(text):
        raise IngestError(path, f"不是中文文本，无法可靠解码 / undecodable as Chinese text: neither UTF-8 nor "
                                f"GB18030, and read as {best.encoding} it is not Chinese "
                                "(convert it to UTF-8 first)")
    return text, best.encoding, [f"编码为推测 / encoding guessed: {best.encoding}"]


def detect_encoding(data: bytes, path: str = "<bytes>") -> tuple[str, str]:
    """Return ``(text, encoding)`` for ``data`` or raise :class:`IngestError`
    (:func:`decode_text` without its warnings)."""
    text, encoding, _ = decode_text(data, path)
    return text, encoding


def _certain(data: bytes, path: str) -> tuple[str, str]:
    """``(text, encoding)`` when the encoding is certain (a BOM, UTF-16 without
    one, strict UTF-8, GB18030 that reads as Chinese); :class:`IngestError` for
    binary data, ``_NotUtf8`` when it is not certain."""
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
    raise _NotUtf8(path)


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


def _non_ascii_is_chinese(text: str) -> bool:
    """Its non-ASCII characters are (mostly) Chinese: a guessed decoding of a
    Latin-1 or Cyrillic file reads as é, ŕ or я here, never as Chinese."""
    wide = [c for c in text if not c.isascii() and not c.isspace()]
    return bool(wide) and _looks_chinese("".join(wide))


# control characters other than \t \n \v \f \r, and the replacement character
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\ufffd]")


def _check_text(text: str, path: str) -> str:
    """Reject decodings that are mostly control characters (binary data decoded by luck)."""
    if not text.strip():
        raise IngestError(path, "文件内容为空 / empty file (whitespace only)")
    sample = text[:20000]
    controls = len(_CONTROLS.findall(sample))  # counted in C, not one Python step per character
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
    text, encoding, warnings = decode_text(data, path)
    passages = [Passage(i, s, e) for i, (s, e) in enumerate(passage_spans(text))]
    return Document(id=doc_id, source=source, path=path, format="text",
                    title=title_of(text, PurePath(source).stem), text=text,
                    pages=[Page(1, 0, len(text))], passages=passages, encoding=encoding,
                    meta={"warnings": warnings} if warnings else {})

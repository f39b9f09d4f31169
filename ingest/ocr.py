"""OCR of scanned PDF pages (optional extra ``ocr``: ``rapidocr_onnxruntime``).

Why this package: it ships its detection, direction and recognition models
(PP-OCRv4, Chinese and English, ~16 MB) inside the wheel, is Apache-2.0, and
runs on the CPU through onnxruntime, so nothing is downloaded at run time and
it works offline. Pages are rendered with ``pypdfium2`` (already installed with
pdfplumber; BSD-3-Clause / Apache-2.0).

The recogniser gives a box per text line; a character's box is its share of
its line's box (characters of a printed Chinese line are close to equal width).
Boxes are in PDF points with the origin at the top left, as pdfplumber's are.
"""
from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass
from typing import Any

RENDER_DPI = 150  # enough for body text of a scanned A4 page, still fast on a CPU
MIN_SCORE = 0.5  # lines recognised with less confidence are left out


@dataclass(frozen=True)
class OcrLine:
    """One recognised line: its text and a box per character (points, top-left origin)."""

    text: str
    boxes: list[tuple[float, float, float, float]]  # x0, top, x1, bottom per character


def available() -> bool:
    """True when the OCR extra is installed (checked without importing it)."""
    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


@functools.lru_cache(maxsize=1)
def _engine() -> Any:
    """The recogniser, loaded once per process from the models in its wheel."""
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def recognise(image: Any, scale: float = 1.0) -> list[OcrLine]:
    """Lines of a page image in reading order (top to bottom, then left to right).

    ``scale``: pixels per PDF point of the image, to give boxes in points."""
    import numpy

    result, _ = _engine()(numpy.asarray(image.convert("RGB")))
    lines = []
    for box, text, score in result or []:
        text = text.strip()
        if not text or float(score) < MIN_SCORE:
            continue
        xs = [p[0] / scale for p in box]
        ys = [p[1] / scale for p in box]
        x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
        step = (x1 - x0) / len(text)
        boxes = [(round(x0 + i * step, 2), round(top, 2), round(x0 + (i + 1) * step, 2),
                  round(bottom, 2)) for i in range(len(text))]
        lines.append(OcrLine(text, boxes))
    return _reading_order(lines)


def _reading_order(lines: list[OcrLine]) -> list[OcrLine]:
    """Rows top to bottom (lines whose vertical middles are within half a line
    height are one row), each row left to right."""
    def middle(line: OcrLine) -> float:
        return (line.boxes[0][1] + line.boxes[0][3]) / 2

    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=middle):
        height = line.boxes[0][3] - line.boxes[0][1]
        if rows and abs(middle(rows[-1][0]) - middle(line)) <= height / 2:
            rows[-1].append(line)
        else:
            rows.append([line])
    return [ln for row in rows for ln in sorted(row, key=lambda ln: ln.boxes[0][0])]


def has_image(data: bytes, index: int) -> bool:
    """Does page ``index`` (0-based) hold an image? A page without text and
    without images is blank: nothing to recognise, nothing to warn about."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    pdf = pypdfium2.PdfDocument(data)
    try:
        return any(obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for obj in pdf[index].get_objects())
    finally:
        pdf.close()


def pdf_page(data: bytes, index: int) -> list[OcrLine]:
    """OCR of page ``index`` (0-based) of a PDF, rendered at :data:`RENDER_DPI`."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        scale = RENDER_DPI / 72
        image = pdf[index].render(scale=scale).to_pil()
        return recognise(image, scale)
    finally:
        pdf.close()


def sample_page_image(text: str, font_size: int = 28) -> Any:
    """An A4 page at 100 dpi with ``text`` printed in a Chinese font (for benchmarks
    and tests: a "scan" made on the spot). Needs a CJK font from the system
    (Debian: fonts-wqy-zenhei or fonts-noto-cjk)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (827, 1169), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(cjk_font(), font_size)
    y = 80
    for line in text.splitlines():
        draw.text((70, y), line, fill="black", font=font)
        y += int(font_size * 1.8)
    return image


def cjk_font() -> str:
    """Path of an installed font with Chinese glyphs."""
    from pathlib import Path

    for path in ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
                 "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                 "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"):
        if Path(path).exists():
            return path
    raise FileNotFoundError("no CJK font: apt-get install fonts-wqy-zenhei")

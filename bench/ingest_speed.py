"""Ingest throughput of the full path (read -> analyse -> index) over the text
samples, beside bare ``jieba.lcut`` over the same text (the floor any
jieba-based pipeline pays), in characters per second."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

import jieba

from search.baseline import read_document
from search.sqlite import SQLiteBackend

SAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "samples"


def text_files() -> list[Path]:
    return [f for f in sorted(SAMPLES.iterdir()) if f.suffix in (".txt", ".md")]


def run(shared: Path) -> None:
    from nlp.pipeline import analyse, warm_up

    files = text_files()
    warm_up()  # build the pipeline, load dictionaries and models outside the timings
    jieba.lcut("预热")
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    chars = sum(len(t) for t in texts)

    t = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    t_jieba = time.perf_counter() - t

    timings = {"read": 0.0, "analyse": 0.0, "index": 0.0}
    with tempfile.TemporaryDirectory() as tmp:
        backend = SQLiteBackend(Path(tmp) / "speed.sqlite3")
        for f in files:
            t = time.perf_counter()
            document = read_document(f)
            timings["read"] += time.perf_counter() - t
            if document is None:
                continue
            t = time.perf_counter()
            analysis = analyse(document)
            timings["analyse"] += time.perf_counter() - t
            t = time.perf_counter()
            backend.add(document, analysis)
            timings["index"] += time.perf_counter() - t
        backend.close()
    total = sum(timings.values())
    print(f"   {len(files)} text samples, {chars} characters")
    print(f"   {'step':<22}{'seconds':>9}{'chars/s':>12}")
    for k, v in timings.items():
        print(f"   {k:<22}{v:>9.2f}{chars / v if v else 0:>12.0f}")
    print(f"   {'full path':<22}{total:>9.2f}{chars / total:>12.0f}")
    print(f"   {'bare jieba.lcut':<22}{t_jieba:>9.2f}{chars / t_jieba:>12.0f}")
    print(f"   full path is {total / t_jieba:.1f}x the time of bare jieba.lcut")


if __name__ == "__main__":
    import sys

    run(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared"))

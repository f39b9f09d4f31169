"""Mine the official terms that matter from the corpora (never from queries),
the raw material for ``corpora/search/colloquial.txt``, and check the
vocabulary against the same texts.

Why: the colloquial vocabulary must be built blind to every gold query, so the
list of official terms that deserve an everyday name comes from how often a
term appears across documents. ``--top N`` prints the N words (jieba, three
characters or more) found in the most documents; ``--check`` prints every
official target of ``colloquial.txt`` that occurs in no document (an expansion
that can never match anything).

    python -m bench.colloq_terms --texts ../shared/corpus ../shared/bench-corpus --top 1500
    python -m bench.colloq_terms --texts ../shared/corpus ../shared/bench-corpus --check
"""
from __future__ import annotations

import argparse
import collections
import sqlite3
from pathlib import Path
from typing import Iterator

import pypdfium2 as pdfium

import corpora
from search.tokenize import cut, normalize


def pdf_text(path: Path) -> str:
    """The raw text layer of a PDF (pdfium, no layout analysis: enough to tell
    whether a term occurs, and seconds rather than minutes for the real PDFs)."""
    doc = pdfium.PdfDocument(str(path))
    try:
        return "".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()


def documents(folders: list[Path], stores: list[Path] = ()) -> Iterator[str]:
    """Text of every .txt, .md and .pdf file under ``folders`` and of every
    document of ``stores``."""
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".txt", ".md"):
                yield path.read_text(encoding="utf-8", errors="replace")
            elif path.suffix == ".pdf":
                yield pdf_text(path)
    for store in stores:
        with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as con:
            for (text,) in con.execute("SELECT text FROM documents"):
                yield text


def document_frequency(texts: Iterator[str], min_len: int = 3) -> collections.Counter[str]:
    """word -> number of documents holding it (Chinese words of ``min_len``+ chars)."""
    df: collections.Counter[str] = collections.Counter()
    for text in texts:
        words = {w for w in cut(normalize(text)) if len(w) >= min_len
                 and all("\u4e00" <= c <= "\u9fff" for c in w)}
        df.update(words)
    return df


def colloquial_targets() -> dict[str, list[str]]:
    """official target -> everyday words that expand to it."""
    out: dict[str, list[str]] = collections.defaultdict(list)
    for line in corpora.read_lines("search", "colloquial.txt"):
        left, arrow, right = line.partition(">")
        if arrow:
            for t in (w.strip() for w in right.split("/") if w.strip()):
                out[normalize(t)].append(left.strip())
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--texts", nargs="*", type=Path, default=[])
    ap.add_argument("--store", nargs="*", type=Path, default=[])
    ap.add_argument("--top", type=int, default=0)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    texts = [normalize(t) for t in documents(args.texts, args.store)]
    if args.top:
        df = document_frequency(iter(texts))
        for word, n in df.most_common(args.top):
            print(f"{n}\t{word}")
    if args.check:
        for target, words in sorted(colloquial_targets().items()):
            hits = sum(target in t for t in texts)
            if not hits:
                print(f"0\t{target}\t<- {'/'.join(words)}")


if __name__ == "__main__":
    main()

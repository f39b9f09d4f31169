"""Data the code uses: dictionaries, vocabularies, rules, labelled data, samples.

Everything that is a *rule or a word list* lives here as a versioned data file,
not as literals in code. Code finds the files through :func:`path`.
"""
from __future__ import annotations

from pathlib import Path

CORPORA_DIR = Path(__file__).resolve().parent


def path(*parts: str) -> Path:
    """Absolute path of a file under ``corpora/``."""
    return CORPORA_DIR.joinpath(*parts)


def read_lines(*parts: str) -> list[str]:
    """Non-empty, non-comment lines of a UTF-8 word list (``#`` starts a comment)."""
    out = []
    for line in path(*parts).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out

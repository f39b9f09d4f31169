"""Build the chained stores the search sets are scored on: s3 (``docs/search_store_small3.txt``), then each
sN = a copy of s(N-1) + the files of ``docs/search_store_setN.txt``, ingested and embedded with this tree's code.

Why: set N (``corpora/search/gold_fresh{N-1}.jsonl``; sets 1-3 are the tune, test, fresh and fresh2 files on s3)
is scored on store sN, and the stores live outside the repository; when they are lost (a new machine) this
rebuilds all of them in one run, about 30 minutes on two cores, most of it embedding. The sixteenth session rebuilt
them this way and got the scores of the lost stores back to the third decimal (docs/search_relevance.md).

``python -m bench.search_stores OUT [LAST]`` writes ``OUT/s3`` ... ``OUT/sLAST`` (default: every list), each a
data directory holding ``policylens.sqlite3``; a store that is already there is kept. Then, e.g.:
``python -m search.relevance --store OUT/s17/policylens.sqlite3 --gold corpora/search/gold_fresh16.jsonl``.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"


def chain() -> list[tuple[str, Path]]:
    """(store name, file list) in build order: s3 from small3, then s4, s5, ... as far as the lists go."""
    numbered = sorted((int(m.group(1)), p) for p in DOCS.glob("search_store_set*.txt")
                      if (m := re.fullmatch(r"search_store_set(\d+)\.txt", p.name)))
    return [("s3", DOCS / "search_store_small3.txt")] + [(f"s{n}", p) for n, p in numbered]


def files(listing: Path) -> list[str]:
    """The files a list names (paths relative to the checkout; ``#`` lines are notes)."""
    return [line.strip() for line in listing.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def build(out: Path, last: int | None = None) -> None:
    root = DOCS.parent
    previous: Path | None = None
    for name, listing in chain():
        if last is not None and int(name[1:]) > last:
            break
        store = out / name
        if not (store / "policylens.sqlite3").exists():
            store.mkdir(parents=True, exist_ok=True)
            if previous is not None:
                shutil.copy2(previous / "policylens.sqlite3", store / "policylens.sqlite3")
            env = {**os.environ, "POLICYLENS_DATA_DIR": str(store)}
            for step in (["ingest", *files(listing)], ["embed"]):
                subprocess.run([sys.executable, "-m", "api.cli", *step], cwd=root, env=env, check=True,
                               stdout=subprocess.DEVNULL)
            print(f"{name}: built from {listing.name}", flush=True)
        previous = store


if __name__ == "__main__":
    build(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else None)

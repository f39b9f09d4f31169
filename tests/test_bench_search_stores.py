"""bench.search_stores: the chain of search stores is read from the list files, in order, and every file a
list names is there (a store rebuilt from a list with a missing file would score a set on other documents)."""
from __future__ import annotations

from pathlib import Path

from bench import search_stores


def test_the_chain_starts_at_small3_and_goes_up_one_set_at_a_time() -> None:
    names = [name for name, _ in search_stores.chain()]
    assert names[0] == "s3"
    assert [int(n[1:]) for n in names[1:]] == list(range(4, 4 + len(names) - 1))
    assert len(names) >= 15  # s3 and s4 ... s17


def test_every_listed_file_exists_and_no_file_is_listed_twice() -> None:
    root = search_stores.DOCS.parent
    seen: list[str] = []
    for _, listing in search_stores.chain():
        for name in search_stores.files(listing):
            assert (root / name).exists(), f"{listing.name}: {name}"
            seen.append(str(Path(name)))
    assert len(seen) == len(set(seen))

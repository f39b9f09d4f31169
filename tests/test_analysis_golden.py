"""The analysis and the stored rows of the real sample texts are exactly what
they were (digests in ``tests/golden/analysis.json``): work on speed must not
change an output. An intended change of results rewrites the digests (see
``tests/analysis_golden.py``)."""
from __future__ import annotations

import json

from tests.analysis_golden import GOLDEN, digests, sample_files


def test_analysis_and_stored_rows_of_the_samples_are_unchanged(tmp_path):
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert sorted(expected) == [f.name for f in sample_files()]
    found = digests(tmp_path / "golden.sqlite3")
    for name, parts in expected.items():
        changed = {k: (v, found[name].get(k)) for k, v in parts.items() if found[name].get(k) != v}
        added = sorted(set(found[name]) - set(parts))
        assert not changed and not added, f"{name}: changed {changed}, new parts {added}"

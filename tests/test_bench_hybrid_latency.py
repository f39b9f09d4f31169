"""bench.hybrid_latency's time split wraps search steps by name: a renamed step must fail here,
in seconds, not at the end of a twenty-minute run at a million passages (it did once:
``search.sqlite.understand`` became ``Backend.understood``)."""
from __future__ import annotations

from bench.hybrid_latency import Split
from search.sqlite import SQLiteBackend


class _Embedder:
    name, dim = "test", 4

    def query(self, text: str) -> list[float]:
        return [1.0, 0.0, 0.0, 0.0]


def test_split_wraps_every_step_and_restores_them(tmp_path):
    before = {name: getattr(SQLiteBackend, name) for name, _ in Split.STEPS}
    split = Split(_Embedder())
    try:
        backend = SQLiteBackend(tmp_path / "db.sqlite3")
        backend.understood("2018年上海市赤字率")
        assert split.ms["understanding"] > 0
    finally:
        split.restore()
    assert {name: getattr(SQLiteBackend, name) for name, _ in Split.STEPS} == before

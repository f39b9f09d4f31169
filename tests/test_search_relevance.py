"""The relevance runner's ceiling of per-query mode choice (search.relevance.best_of)."""
from __future__ import annotations

from search.baseline import score_runs
from search.relevance import best_of

GOLD = [{"id": "a", "query": "卖地收入", "relevant": [{"doc": "d1", "contains": "土地出让收入"}]},
        {"id": "b", "query": "零基预算", "relevant": [{"doc": "d2", "contains": "零基预算改革"}]}]
HIT_A = {"doc": "d1", "text": "国有土地出让收入下降"}
HIT_B = {"doc": "d2", "text": "推进零基预算改革"}
MISS = {"doc": "d3", "text": "税收收入增长"}


def test_best_of_takes_each_query_from_the_mode_that_ranks_it_best():
    runs = {"lexical": {"a": [MISS, HIT_A], "b": [HIT_B]},
            "semantic": {"a": [HIT_A], "b": [MISS, MISS, HIT_B]}}
    best = best_of(GOLD, runs)
    assert best == {"a": [HIT_A], "b": [HIT_B]}
    ceiling = score_runs(GOLD, best)["ndcg@10"]
    assert ceiling == 1.0 > max(score_runs(GOLD, r)["ndcg@10"] for r in runs.values())


def test_best_of_keeps_the_first_mode_on_a_tie():
    runs = {"hybrid": {"a": [HIT_A, MISS], "b": [MISS]},
            "lexical": {"a": [HIT_A], "b": [MISS, MISS]}}
    assert best_of(GOLD, runs)["a"] == [HIT_A, MISS]


def test_the_cached_query_embedder_caches_restores_and_saves(tmp_path, monkeypatch):
    import numpy as np

    from search import sqlite as sqlite_mod
    from search.relevance import cached_query_embedder
    from tests.search_helpers import CountingEmbedder

    counting = CountingEmbedder()
    calls = counting.asked
    real = lambda: counting  # noqa: E731
    monkeypatch.setattr(sqlite_mod, "load_embedder", real)
    path = tmp_path / "q.npz"
    with cached_query_embedder(path) as cached:
        assert sqlite_mod.load_embedder() is cached
        first = sqlite_mod.load_embedder().query("卖地收入")
        assert np.array_equal(sqlite_mod.load_embedder().query("卖地收入"), first)
    assert calls == ["卖地收入"] and sqlite_mod.load_embedder is real and path.exists()
    with cached_query_embedder(path) as cached:  # the next run reads the saved vectors
        assert np.array_equal(cached.query("卖地收入"), first)
    assert calls == ["卖地收入"]


def test_without_the_model_the_cached_query_embedder_is_none_only_when_optional(monkeypatch):
    import pytest

    from search import sqlite as sqlite_mod
    from search.embed import EmbeddingUnavailable
    from search.relevance import cached_query_embedder

    def unavailable():
        raise EmbeddingUnavailable("no model in this test")

    monkeypatch.setattr(sqlite_mod, "load_embedder", unavailable)
    with cached_query_embedder(optional=True) as cached:  # a lexical run needs none
        assert cached is None
    assert sqlite_mod.load_embedder is unavailable
    with pytest.raises(EmbeddingUnavailable):
        with cached_query_embedder():
            pass

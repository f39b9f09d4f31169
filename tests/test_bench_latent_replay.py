"""The latent-terms / mined-associations replay (bench/latent_replay.py) on a real
SQLite store with a deterministic embedder: a word's association comes from the
passages that hold it, a query's expansion words are never words it typed, the
third list ranks the passages that hold them, and a zero-weight third list
leaves the shipped ranking as it is."""
from __future__ import annotations

import numpy as np
import pytest

from bench import fusion_replay, latent_replay
from tests.test_bench_fusion_replay import store  # noqa: F401  (the real store, reused)


@pytest.fixture()
def captured(store):  # noqa: F811
    """The first gold query (湖南照顾当过兵的人和他们家属) captured from the fusion
    replay's store, and that store with every word in its vocabulary."""
    _, path, gold = store
    queries = fusion_replay.capture("s", path, None, gold)
    st = latent_replay.Store(path)
    st._assoc = latent_replay.build_assoc(st.texts, st.centred, min_df=1, max_share=1.0)
    yield queries[0], st
    st.conn.close()


def test_a_words_centroid_is_the_mean_of_the_passages_that_hold_it(captured):
    _, store = captured
    a = store.assoc()
    j = a["vocab"].index("退役军人")
    holders = [i for i, ws in enumerate(a["words"]) if "退役军人" in ws]
    assert len(holders) == 1
    assert np.allclose(a["cent"][j], store.centred[holders[0]], atol=1e-5)


def test_expansion_words_are_not_typed_and_rank_the_passages_holding_them(captured):
    q, store = captured
    terms = latent_replay.expansion_terms(q, store, 5)
    assert len(terms) == 5
    assert not any(w in q["gold"]["query"] for w, _, _ in terms)
    third = latent_replay.assoc_list(q, store, 5, "store")
    words = store.assoc()["words"]
    pos = {r: i for i, r in enumerate(store.ids)}
    assert third and all(any(w in words[pos[r]] for w, _, _ in terms) for _, r in third)
    assert all(r in q["info"] for _, r in third)  # judged, so nDCG can score them


def test_a_third_list_of_weight_zero_keeps_the_shipped_ranking(captured):
    q, store = captured
    third = latent_replay.assoc_list(q, store, 5, "store")
    assert [r for _, r in latent_replay.with_third(q, third, 0.0)] == \
        [r for _, r in fusion_replay.shipped(q)]
    weighted = latent_replay.with_third(q, third, 5.0)
    assert weighted[0][1] == third[0][1]  # a heavy third list puts its first passage first


def test_the_latent_list_ranks_by_shared_features_weighted_by_idf(captured):
    q, store = captured
    # feature 0 in every passage (idf ~0: says nothing), feature 7 only where 退役军人 is
    cache = {latent_replay.sparse_key(t): (np.array([0, 7] if "退役军人" in t else [0, 3], np.int32),
                                           np.array([5.0, 1.0], np.float32)) for t in store.texts}
    codes = {q["gold"]["query"]: (np.array([0, 7], np.int32), np.array([5.0, 1.0], np.float32))}
    ranked = latent_replay.latent_list(q, store, cache, codes, "store", 1.0)
    holders = [r for r, t in zip(store.ids, store.texts) if "退役军人" in t]
    assert holders and [r for _, r in ranked] == holders  # feature 0 (in all) scores nothing
    assert all(r in q["info"] for r in holders)


def test_pmi_neighbours_come_from_the_passages_holding_a_rare_unit(captured):
    q, store = captured
    terms = latent_replay.pmi_terms(q, store, nmax=10, m=5, cmin=1)
    assert terms and all(p > 0 for _, p in terms)
    words = store.assoc()["words"]
    holding = [i for i, n in enumerate(store.norms)
               if any(f in n for _, forms in q["units"] for f in forms)]
    for w, _ in terms:
        assert w not in q["gold"]["query"]
        assert any(w in words[i] for i in holding)
    ranked = latent_replay.pmi_list(q, store, 10, 5, 1)
    pos = {r: i for i, r in enumerate(store.ids)}
    assert ranked and all(any(w in words[pos[r]] for w, _ in terms) for _, r in ranked)


def test_the_command_reports_the_mined_families_beside_the_shipped_rule(store, capsys):  # noqa: F811
    _, path, gold = store
    latent_replay.main([f"a:{path}::{gold}", f"b:{path}::{gold}", "--families", "assoc,pmi"])
    out = capsys.readouterr().out
    assert out.startswith("shipped rule (replayed): a=")
    assert "\nassoc: " in out and "\npmi: " in out and "latent" not in out
    assert out.count("by kind at the in-sample best") == 2

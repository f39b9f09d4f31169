"""Semantic and hybrid search, query understanding and the embedding stage: the
same behaviour from every store (a real SQLite file; the real engine when
``POLICYLENS_ES_URL`` is set), with a deterministic stand-in embedder."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from search.backend import Filter, Query
from search.embed import EmbeddingUnavailable, embed_store
from tests.search_helpers import CharEmbedder, CountingEmbedder
from tests.search_helpers import BODY, fill



class OtherEmbedder(CharEmbedder):
    """A second model with another size: the store switches to it."""

    name = "test/char-bigrams-32"
    dim = 32




@pytest.fixture
def store(backend, tmp_path):
    return fill(backend, tmp_path)


@pytest.fixture
def use_embedder(monkeypatch):
    """Make both stores' query embedding use ``emb`` (or fail as ``emb`` raises)."""
    def use(emb) -> None:
        loader = emb if callable(emb) and not hasattr(emb, "query") else (lambda: emb)
        for module in ("search.sqlite", "search.elastic", "search.embed"):
            monkeypatch.setattr(f"{module}.load_embedder", loader)
    return use


def test_year_in_query_boosts_but_never_filters(store):
    top = store.search(Query("2018年 非税收入下降", limit=5, mode="lexical"))
    assert top.understood["year"] == 2018
    assert top.hits[0].doc == "report_2018.txt"
    assert store.search(Query("2019年 非税收入下降", limit=5)).hits[0].doc == "report_2019.txt"
    assert store.search(Query("2030年 非税收入下降", limit=5)).hits


def test_a_year_or_region_no_stored_document_is_of_is_shown_not_weighed(store):
    res = store.search(Query("2030年 北京市 非税收入下降", limit=5, mode="lexical"))
    assert res.understood["unheld"] == ["year", "region"] and res.hits
    # 2017: the 2018 report reviews it; 上海市: 普陀区's budget is inside it
    for text in ("2018年 上海市 非税收入下降", "2017年 非税收入下降", "普陀区 三公经费"):
        assert "unheld" not in store.search(Query(text, limit=5, mode="lexical")).understood


def test_region_boost_and_answer_sentence(store):
    res = store.search(Query("上海市三公经费是多少", limit=5))
    hit = res.hits[0]
    assert hit.doc == "shanghai.txt" and res.understood["region"] == "上海市"
    a, b = hit.meta["answer"]
    assert hit.text[a:b].startswith("本部门三公经费预算为十二万元")


def test_embed_is_resumable_and_drops_vectors_of_deleted_documents(store):
    emb = CharEmbedder()
    assert store.embedding_status()["embedded"] == 0
    assert embed_store(store, emb, batch=2, limit=3) == 3
    first = store.embedding_status()
    assert first["embedded"] == 3 and first["model"] == emb.name
    assert store.stats()["embedded_share"] == round(3 / first["passages"], 4) < 1
    assert embed_store(store, emb, batch=2) == first["passages"] - 3
    assert store.embedding_status()["embedded"] == first["passages"]
    assert store.stats()["embedded_passages"] == first["passages"]
    assert store.stats()["embedded_share"] == 1.0
    assert embed_store(store, emb) == 0  # nothing left
    doc_id = store.list_documents()[0][0]["id"]
    store.delete_document(doc_id)
    status = store.embedding_status()
    assert status["embedded"] == status["passages"]


def test_semantic_and_hybrid_modes_with_vectors(store, use_embedder):
    emb = CharEmbedder()
    use_embedder(emb)
    # without vectors: hybrid by default is lexical, an explicit semantic says why
    assert store.search(Query("非税收入")).mode == "lexical"
    res = store.search(Query("非税收入", mode="semantic"))
    assert res.mode == "lexical" and res.warnings and res.hits
    embed_store(store, emb)
    assert store.search(Query("非税收入")).mode == "hybrid"
    sem = store.search(Query("公务接待费预算", mode="semantic", limit=3))
    assert sem.mode == "semantic" and sem.hits[0].doc == "shanghai.txt"
    assert -1.0 <= sem.hits[-1].score <= sem.hits[0].score <= 1.0
    # a filter applies to semantic hits too
    only = store.search(Query("公务接待费预算", mode="semantic",
                              filters=[Filter("year", "eq", 2018)]))
    assert only.hits and {h.doc for h in only.hits} <= {"report_2018.txt"}
    # a listing by year is lexical whatever was asked
    assert store.search(Query("非税收入", mode="hybrid", sort="-year")).mode == "lexical"


def test_hybrid_embeds_the_query_only_when_lexical_matching_is_weak(store, use_embedder):
    """Every store runs lexical first and embeds a hybrid query only when no
    passage of the lexical pool holds the whole query
    (:func:`search.hybrid.semantics_needed`)."""
    counting = CountingEmbedder()
    asked = counting.asked
    embed_store(store, CharEmbedder())
    use_embedder(counting)
    covered = store.search(Query("非税收入", mode="hybrid"))
    assert covered.mode == "hybrid" and covered.hits and asked == []
    lexical = store.search(Query("非税收入", mode="lexical"))
    assert [(h.doc, h.passage) for h in covered.hits] == [(h.doc, h.passage) for h in lexical.hits]
    weak = store.search(Query("非税收入 卖地的钱", mode="hybrid"))
    assert weak.mode == "hybrid" and weak.hits and asked == ["非税收入 卖地的钱"]
    store.search(Query("非税收入", mode="semantic"))
    assert asked[-1] == "非税收入"


def test_semantic_ranking_is_the_same_in_every_store(store, tmp_path, use_embedder):
    """The engine's k-NN list gives the passages and the order of the exact
    cosine scan of the embedded store (same vectors, same query)."""
    from search.sqlite import SQLiteBackend

    emb = CharEmbedder()
    use_embedder(emb)
    (tmp_path / "ref").mkdir()
    ref = fill(SQLiteBackend(tmp_path / "ref" / "ref.sqlite3"), tmp_path / "ref")
    try:
        for b in (store, ref):
            embed_store(b, emb)
        def ranked(b, q: str, mode: str) -> list[tuple[float, str, int]]:
            # equal scores (the same text in two files) may come in either order
            return sorted((-round(h.score, 4), h.doc, h.passage)
                          for h in b.search(Query(q, mode=mode, limit=10)).hits)

        for q in ("公务接待费预算", "税收收入增长", "2018年财政收支"):
            assert ranked(store, q, "semantic") == ranked(ref, q, "semantic"), q
        q = "公务接待费预算"
        assert (store.search(Query(q, mode="hybrid")).hits[0].doc
                == ref.search(Query(q, mode="hybrid")).hits[0].doc == "shanghai.txt")
    finally:
        ref.close()


def test_a_new_model_replaces_the_old_vectors(store, use_embedder):
    embed_store(store, CharEmbedder())
    other = OtherEmbedder()
    assert embed_store(store, other) == store.embedding_status()["passages"]
    status = store.embedding_status()
    assert status["model"] == other.name and status["embedded"] == status["passages"]
    use_embedder(other)
    assert store.search(Query("公务接待费预算", mode="semantic")).hits[0].doc == "shanghai.txt"


def test_model_that_cannot_load_falls_back_to_lexical_with_a_warning(store, use_embedder):
    embed_store(store, CharEmbedder())

    def broken():
        raise EmbeddingUnavailable("测试 test: no model")

    use_embedder(broken)
    for mode in (None, "semantic", "hybrid"):
        res = store.search(Query("非税收入", mode=mode))
        assert res.mode == "lexical" and res.hits
        assert any("no model" in w for w in res.warnings)
    assert not store.semantic_ready()


@pytest.mark.parametrize("q", ["", "   ", "预" * 10_000, "😀🎉🙂", "？！。，,.;…",
                               "Budget 预算 2018 ＧＤＰ ok", 'AND OR "', "-", '""'])
def test_bad_input_never_errors_in_any_mode(store, use_embedder, q):
    emb = CharEmbedder()
    use_embedder(emb)
    embed_store(store, emb)
    for mode in (None, "lexical", "semantic", "hybrid"):
        res = store.search(Query(q, limit=5, mode=mode))
        assert isinstance(res.hits, list)
        if not any(c.isalnum() for c in q):
            assert res.hits == []


def test_unknown_mode_is_a_user_error(store):
    from search.filters import FilterError

    with pytest.raises(FilterError):
        store.search(Query("预算", mode="fuzzy"))


def test_a_zero_vector_is_stored_as_done_without_breaking_search(store, use_embedder):
    """A passage the model maps to nothing (all zeros) counts as embedded; the
    engines' cosine fields would refuse the vector itself."""

    class Zero(CharEmbedder):
        def passages(self, texts):
            out = super().passages(texts)
            out[0] = 0.0
            return out

    emb = Zero()
    assert embed_store(store, emb, batch=50) == store.embedding_status()["passages"]
    use_embedder(emb)
    assert store.search(Query("公务接待费预算", mode="semantic")).hits
    assert np.isfinite([h.score for h in store.search(Query("预算", mode="hybrid")).hits]).all()


def test_a_query_naming_a_document_shows_it_beyond_the_per_document_cap(backend, tmp_path,
                                                                          use_embedder):
    """A hybrid query with document focus (a year named, a document of that year
    pooled) asks for what that document says: every store shows more than
    ``PER_DOC`` of its passages on the first page (:func:`search.hybrid.named_documents`)."""
    from search.hybrid import PER_DOC
    from tests.search_helpers import add_text

    items = ("税收收入", "非税收入", "教育支出", "科学技术支出", "社会保障和就业支出", "卫生健康支出",
             "农林水支出", "交通运输支出")
    for year in (2022, 2023, 2024, 2025):
        body = "\n\n".join(f"{year}年1-2月，全国一般公共预算{item}{100 + i}亿元，同比增长{i}%。"
                           for i, item in enumerate(items))
        add_text(backend, tmp_path, f"mof_{year}.txt", body, title=f"{year}年1-2月财政收支情况",
                 year=year, region="全国", org="财政部", doc_type="fiscal_report")
    emb = CharEmbedder()
    use_embedder(emb)
    embed_store(backend, emb)
    hits = backend.search(Query("2025年 一般公共预算支出", mode="hybrid", limit=10)).hits
    assert [h.doc for h in hits[:len(items)]] == ["mof_2025.txt"] * len(items), [
        (h.doc, h.text) for h in hits]  # all of it, not PER_DOC passages and other years' after
    semantic = backend.search(Query("2025年 一般公共预算支出", mode="semantic", limit=10)).hits
    assert [h.doc for h in semantic[:len(items)]] == ["mof_2025.txt"] * len(items), [
        (h.doc, h.text) for h in semantic]  # semantic mode shows it whole too (shown_whole)
    lexical = backend.search(Query("2025年 一般公共预算支出", mode="lexical", limit=10)).hits
    assert sum(h.doc == "mof_2025.txt" for h in lexical[:PER_DOC + 1]) == PER_DOC  # the cap stays

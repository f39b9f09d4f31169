"""Relevance of every search mode beside the bigram baseline, on any gold file
and any existing store, in one run.

``python -m search.relevance --store PATH --gold FILE [--gold FILE ...]``
scores each gold file (FORMAT.md "Search" lines; an optional ``kind`` field
gives a per-kind breakdown) against the store's passages with: our ranking in
each available mode (``lexical`` always; ``semantic`` and ``hybrid`` when the
store holds vectors and the embedding model loads) and the character-bigram
BM25 baseline (:class:`search.baseline.BigramBaseline`) built from exactly the
same passages. Scores are computed as ``../shared/eval/score.py`` does.

Why a store rather than a folder: reading and analysing the bench corpus takes
minutes, embedding it far longer; the store is built once (``policylens
ingest`` then ``policylens embed``) and every ranking change is scored in
seconds against it.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import sqlite3
from pathlib import Path
from typing import Any, Iterator

from search.backend import Query
from search.baseline import BigramBaseline, bigrams, score_runs

MODES = ("lexical", "semantic", "hybrid")


def load_gold(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def baseline_from_store(path: Path) -> BigramBaseline:
    """The bigram baseline over the store's own passages (same cuts, same docs)."""
    base = BigramBaseline()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = []
    for source, text in conn.execute("SELECT d.source, p.text FROM passages p"
                                      " JOIN documents d ON d.id = p.doc_id"):
        grams = bigrams(text)
        if grams:
            rows.append((source, text, " ".join(grams)))
    conn.close()
    base.add_rows(rows)
    return base


def run_mode(backend: Any, gold: list[dict[str, Any]], mode: str) -> dict[str, list[dict]]:
    return {g["id"]: [h.to_json() for h in
                      backend.search(Query(g["query"], limit=10, mode=mode)).hits]
            for g in gold}


def best_of(gold: list[dict[str, Any]], runs: dict[str, dict[str, list[dict]]]
            ) -> dict[str, list[dict]]:
    """Per query, the run of whichever mode ranks it best (nDCG@10, the first
    mode on ties): the ceiling of any rule that picks or weighs the lexical and
    the semantic list per query without changing what either holds. When
    hybrid is far below it, fusion is the bottleneck; when near it, the lists
    are (see docs/search_relevance.md, sixth session)."""
    out = {}
    for g in gold:
        best = max(runs, key=lambda m: score_runs([g], runs[m])["ndcg@10"])
        out[g["id"]] = runs[best][g["id"]]
    return out


def score_all(backend: Any, base: BigramBaseline, gold: list[dict[str, Any]],
              modes: list[str]) -> dict[str, dict[str, float]]:
    """Metrics per engine, overall and per query kind (``kind`` field)."""
    runs = {m: run_mode(backend, gold, m) for m in modes}
    runs["baseline"] = {g["id"]: base.search(g["query"], 10) for g in gold}
    if len(modes) > 1:
        runs["best-of"] = best_of(gold, {m: runs[m] for m in modes})
    kinds = sorted({g.get("kind") for g in gold if g.get("kind")})
    out: dict[str, dict[str, float]] = {}
    for name, run in runs.items():
        res = score_runs(gold, run)
        for kind in kinds:
            sub = [g for g in gold if g.get("kind") == kind]
            res[f"ndcg@10:{kind}"] = score_runs(sub, run)["ndcg@10"]
        out[name] = res
    return out


class CachedEmbedder:
    """The real embedder with query vectors cached: a grid search or a run of
    several modes embeds each query once. With ``path`` the cache is kept in a
    file between runs (query embedding takes 30 ms to 1 s a query on a busy
    machine, and scoring runs are repeated after every ranking change)."""

    def __init__(self, inner: Any, path: Path | None = None) -> None:
        import numpy as np

        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.path = path
        self.cache: dict[str, Any] = {}
        if path and path.exists():
            with np.load(path) as data:
                if str(data["model"]) == self.name:
                    self.cache = dict(zip(data["texts"].tolist(), data["vecs"]))

    def save(self) -> None:
        import numpy as np

        if self.path and self.cache:
            texts = list(self.cache)
            np.savez(self.path, model=self.name, texts=np.array(texts),
                     vecs=np.stack([self.cache[t] for t in texts]))

    def passages(self, texts: list[str]) -> Any:
        return self.inner.passages(texts)

    def query(self, text: str) -> Any:
        if text not in self.cache:
            self.cache[text] = self.inner.query(text)
        return self.cache[text]


@contextlib.contextmanager
def cached_query_embedder(path: Path | None = None, optional: bool = False
                          ) -> Iterator[CachedEmbedder | None]:
    """The store's query embedding routed through a :class:`CachedEmbedder` for
    a block: the real loader is put back and the cache saved when the block
    ends, so one run can score several sets, each with its own cache file.
    The model must load (:class:`search.embed.EmbeddingUnavailable` otherwise)
    unless ``optional``: then the block gets None, as a lexical run needs no model."""
    import search.sqlite as sqlite_mod
    from search.embed import EmbeddingUnavailable

    real = sqlite_mod.load_embedder
    try:
        cached = CachedEmbedder(real(), path)
    except EmbeddingUnavailable:
        if not optional:
            raise
        yield None
        return
    sqlite_mod.load_embedder = lambda: cached
    try:
        yield cached
    finally:
        sqlite_mod.load_embedder = real
        cached.save()


def tune_fusion(backend: Any, gold: list[dict[str, Any]]) -> list[tuple[float, dict]]:
    """nDCG@10 of hybrid mode over a grid of fusion constants (run it on the
    tuning half only, inside :func:`cached_query_embedder`), best first."""
    import itertools

    import search.hybrid as hybrid

    saved = (hybrid.SEM_WEIGHT, hybrid.SEM_GAIN, hybrid.RRF_K)
    out = []
    for w, gain, k in itertools.product((0.0, 0.05, 0.1, 0.2, 0.3, 0.5), (0.2, 0.5, 1.0, 2.0),
                                        (60,)):
        hybrid.SEM_WEIGHT, hybrid.SEM_GAIN, hybrid.RRF_K = w, gain, k
        res = score_runs(gold, run_mode(backend, gold, "hybrid"))
        out.append((res["ndcg@10"], {"SEM_WEIGHT": w, "SEM_GAIN": gain, "RRF_K": k}))
    hybrid.SEM_WEIGHT, hybrid.SEM_GAIN, hybrid.RRF_K = saved
    return sorted(out, key=lambda x: -x[0])


def available_modes(backend: Any) -> list[str]:
    """lexical, plus semantic/hybrid when the store has vectors and the model loads."""
    has = getattr(backend, "semantic_ready", None)
    return list(MODES) if has and has() else ["lexical"]


def print_per_query(backend: Any, base: BigramBaseline, gold: list[dict[str, Any]],
                    modes: list[str]) -> None:
    runs = {m: run_mode(backend, gold, m) for m in modes}
    runs["baseline"] = {g["id"]: base.search(g["query"], 10) for g in gold}
    for g in gold:
        cells = " ".join(f"{m}={score_runs([g], runs[m])['ndcg@10']:.2f}" for m in runs)
        print(f"   {g['id']} {cells} {g['query']}")


def print_table(title: str, res: dict[str, dict[str, float]], n: int) -> None:
    kinds = sorted({k.split(":", 1)[1] for m in res.values() for k in m if ":" in k})
    print(f"== {title} ({n} queries)")
    head = f"   {'engine':<10}{'recall@10':>10}{'MRR@10':>9}{'nDCG@10':>9}"
    print(head + "".join(f"{k[:9]:>10}" for k in kinds))
    for name, m in res.items():
        print(f"   {name:<10}{m['recall@10']:>10.3f}{m['mrr@10']:>9.3f}{m['ndcg@10']:>9.3f}"
              + "".join(f"{m.get('ndcg@10:' + k, 0):>10.3f}" for k in kinds))


def own_gold_files() -> list[Path]:
    """Our gold files in ``corpora/search``: tuning half, test half, the eighteen fresh
    held-out sets (``fresh5``, set 6, was labelled blind in the sixth session;
    ``fresh6``, set 7, in the seventh; ``fresh7``, set 8, in the eighth; ``fresh8``, set 9,
    in the ninth; ``fresh9``, set 10, in the tenth; ``fresh10`` and ``fresh11``, sets 11 and 12,
    in the eleventh; ``fresh12`` and ``fresh13``, sets 13 and 14, in the twelfth; ``fresh14``,
    set 15, in the thirteenth; ``fresh15``, set 16, in the fourteenth; ``fresh16``, set 17,
    in the fifteenth; ``fresh17``, set 18, in the sixteenth; ``fresh18``, set 19, in the
    eighteenth)."""
    import corpora

    return [p for p in (corpora.path("search", f"gold_{n}.jsonl")
                        for n in ("tune", "test", "fresh", "fresh2", "fresh3", "fresh4", "fresh5",
                                  "fresh6", "fresh7", "fresh8", "fresh9", "fresh10", "fresh11",
                                  "fresh12", "fresh13", "fresh14", "fresh15", "fresh16",
                                  "fresh17", "fresh18"))
            if p.exists()]


def report() -> None:
    """``make eval`` section: every mode beside the baseline on our own gold, over
    the store named by ``POLICYLENS_RELEVANCE_STORE`` (building and embedding
    one takes far longer than the report, so it is made once, see
    docs/search_relevance.md)."""
    import os

    from search.sqlite import SQLiteBackend

    store = os.environ.get("POLICYLENS_RELEVANCE_STORE")
    if not store or not Path(store).exists():
        print("   own search gold: set POLICYLENS_RELEVANCE_STORE to an ingested (and embedded)"
              " store to score it (see docs/search_relevance.md)")
        return
    with cached_query_embedder(optional=True):
        backend = SQLiteBackend(store)
        base = baseline_from_store(Path(store))
        modes = available_modes(backend)
        for gpath in own_gold_files():
            gold = load_gold(gpath)
            print_table(gpath.name, score_all(backend, base, gold, modes), len(gold))
        backend.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--store", required=True, type=Path)
    ap.add_argument("--gold", required=True, type=Path, action="append")
    ap.add_argument("--modes", default="", help="comma-separated; default: all available")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--per-query", action="store_true", help="nDCG@10 of each query per engine")
    ap.add_argument("--tune", action="store_true",
                    help="grid-search the fusion constants on the (first) gold file")
    ap.add_argument("--query-cache", type=Path, default=None,
                    help="keep query vectors in this .npz file between runs")
    args = ap.parse_args()
    with cached_query_embedder(args.query_cache, optional=True):
        score_files(args)


def score_files(args: argparse.Namespace) -> None:
    """:func:`main` once the query embedding is cached: every gold file, or the
    fusion grid on the first."""
    from search.sqlite import SQLiteBackend

    backend = SQLiteBackend(args.store)
    base = baseline_from_store(args.store)
    modes = [m for m in args.modes.split(",") if m] or available_modes(backend)
    n_docs = backend.stats()
    print(f"store {args.store}: {n_docs['documents']} documents, {n_docs['passages']} passages;"
          f" modes {', '.join(modes)}")
    if args.tune:
        for ndcg, params in tune_fusion(backend, load_gold(args.gold[0]))[:10]:
            print(f"   nDCG@10 {ndcg:.3f}  {params}")
        return
    for gpath in args.gold:
        gold = load_gold(gpath)
        if args.per_query:
            print_per_query(backend, base, gold, modes)
        res = score_all(backend, base, gold, modes)
        if args.json:
            print(json.dumps({"gold": str(gpath), **res}, ensure_ascii=False))
        else:
            print_table(gpath.name, res, len(gold))
    backend.close()

if __name__ == "__main__":
    main()

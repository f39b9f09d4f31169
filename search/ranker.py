"""A small learned ranker: one linear score over features of each candidate
passage, fitted on the tuning half of our own gold.

Why: hand-set multipliers (BM25 x coverage x proximity x metadata boosts) and
reciprocal rank fusion each fit a few queries and none knows how much a
cosine of 0.85 is worth against a BM25 score, or a year that matches against
a phrase that does not. A linear model over the same signals, fitted
pairwise (a relevant passage should outscore a non-relevant one of the same
query, as in RankNet / RankSVM), weighs them from data. It is small enough to
ship as numbers in ``corpora/search/ranker.json`` and to read: every weight
has a name.

The candidates are the union of the lexical pool (BM25 over the OR of the
query's units) and the semantic pool (nearest vectors); every candidate gets
every feature (a passage found only by meaning still has its word coverage
counted, one found only by words still has its cosine when vectors exist).
There is one model per mode: ``lexical`` (no semantic features) and
``hybrid``. Semantic mode stays the cosine order.

Train (tuning half only, never the test half or the fresh set)::

    python -m search.ranker --store STORE --gold corpora/search/gold_tune.jsonl [--write]

A mode's model is written only when its 5-fold cross-validation (folds by
document) beats the hand-set ranking it re-ranks; then the dev gold decides
(``python -m search.relevance``). No model ships today: see
docs/search_relevance.md (the hybrid model lost to the hand-set fusion in
cross-validation; the lexical one won there but lowered the dev gold).
"""
from __future__ import annotations

import functools
import json
import math
import re
import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np

import corpora
from search.query import ParsedQuery
from search.tokenize import is_word_char
from search.understand import Understood, meta_matches

MODEL_FILE = "ranker.json"
SEMANTIC_FEATURES = ("cos", "sem_rr", "cos_gap")
FEATURES = ("hand", "lex", "bm25", "in_lex", "lex_rr", "cov", "title_only", "exact", "near", "grams",
            *SEMANTIC_FEATURES, "year", "year_other", "region", "region_other", "org",
            "doc_type",
            "length", "brevity", "answer")
SHORT_PASSAGE = 30  # as search.sqlite: headings and stubs rarely answer anything
_DIGIT = re.compile(r"[0-9０-９]")


@dataclass
class Candidate:
    """One passage in the pool, with what the two retrievers said about it."""

    rowid: int
    text: str  # normalised passage text
    title: str  # normalised document title
    doc: dict[str, Any]  # year, region, region_path, org, doc_type, title
    lex_score: float | None = None  # rerank score (BM25 x coverage ...), None: not in the pool
    bm25: float | None = None
    lex_rank: int | None = None
    cos: float | None = None  # cosine to the query, None: no vector
    sem_rank: int | None = None
    hand_rank: int | None = None  # place in the hand-set ranking (search.sqlite)


def _grams(s: str) -> set[str]:
    chars = [c for c in s if is_word_char(c)]
    if len(chars) == 1:
        return set(chars)
    return {a + b for a, b in zip(chars, chars[1:])}


def features(pq: ParsedQuery, u: Understood, cands: list[Candidate],
             coverage: float) -> np.ndarray:
    """Feature matrix (one row per candidate, columns as ``FEATURES``).
    ``coverage`` is the query-level share of the query the best lexical
    passage covers (:func:`search.hybrid.coverage_of`): semantics matter more
    when it is low (``cos_gap``)."""
    from search.sqlite import near_pairs  # the proximity measure of the lexical ranking

    units = pq.units
    weights = [min(len(x.text), 4) for x in units] or [1]
    total = float(sum(weights))
    whole = [t for t in pq.raw_terms if len(t) > 1]
    qgrams = set().union(*(_grams(x.text) for x in units)) if units else set()
    out = np.zeros((len(cands), len(FEATURES)), dtype=np.float64)
    col = {name: i for i, name in enumerate(FEATURES)}
    for r, c in enumerate(cands):
        f = out[r]
        found = [any(form in c.text for form in x.forms) for x in units]
        in_title = [not hit and bool(c.title) and any(form in c.title for form in x.forms)
                    for x, hit in zip(units, found)]
        covered = sum(w for w, hit in zip(weights, found) if hit)
        f[col["cov"]] = covered / total
        # units only the document's title names (a table row does not repeat its year or unit)
        f[col["title_only"]] = sum(w for w, t in zip(weights, in_title) if t) / total
        f[col["exact"]] = sum(1 for t in whole if t in c.text) / len(whole) if whole else 0.0
        f[col["near"]] = near_pairs(c.text, units) if len(units) > 1 and covered else 0.0
        f[col["grams"]] = len(qgrams & _grams(c.text)) / len(qgrams) if qgrams else 0.0
        if c.hand_rank is not None:
            f[col["hand"]] = 10.0 / (10.0 + c.hand_rank)
        if c.lex_score is not None:
            f[col["lex"]] = math.log1p(max(c.lex_score, 0.0))
            f[col["bm25"]] = math.log1p(max(c.bm25 or 0.0, 0.0))
            f[col["in_lex"]] = 1.0
            f[col["lex_rr"]] = 10.0 / (10.0 + (c.lex_rank or 0))
        if c.cos is not None:
            f[col["cos"]] = c.cos
            f[col["cos_gap"]] = c.cos * (1.0 - coverage)
        if c.sem_rank is not None:
            f[col["sem_rr"]] = 10.0 / (10.0 + c.sem_rank)
        for key, value in meta_matches(u, c.doc).items():
            f[col[key]] = value
        f[col["length"]] = math.log1p(len(c.text)) / 8.0
        f[col["brevity"]] = min(1.0, len(c.text) / SHORT_PASSAGE) ** 0.5
        f[col["answer"]] = 1.0 if u.question and _DIGIT.search(c.text) else 0.0
    return out


@dataclass
class LinearModel:
    """score = ((x - mean) / scale) . weights; ``features`` names the columns used."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray

    def score(self, x: np.ndarray) -> np.ndarray:
        idx = [FEATURES.index(f) for f in self.features]
        return ((x[:, idx] - self.mean) / self.scale) @ self.weights

    def to_json(self) -> dict[str, Any]:
        return {"features": list(self.features), "mean": self.mean.round(6).tolist(),
                "scale": self.scale.round(6).tolist(),
                "weights": self.weights.round(6).tolist()}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "LinearModel":
        return cls(tuple(d["features"]), np.array(d["mean"]), np.array(d["scale"]),
                   np.array(d["weights"]))


@functools.lru_cache(maxsize=1)
def _models() -> dict[str, LinearModel]:
    path = corpora.path("search", MODEL_FILE)
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    models = {}
    for mode, d in data.get("models", {}).items():
        if all(f in FEATURES for f in d["features"]):  # a model of other features is ignored
            models[mode] = LinearModel.from_json(d)
    return models


def model_for(mode: str) -> LinearModel | None:
    """The shipped model of ``mode`` (lexical or hybrid), None when there is none."""
    return _models().get(mode)


def rank(model: LinearModel, pq: ParsedQuery, u: Understood, cands: list[Candidate],
         coverage: float) -> list[tuple[float, int]]:
    """(score, rowid) best first."""
    if not cands:
        return []
    scores = model.score(features(pq, u, cands, coverage))
    order = np.argsort(-scores, kind="stable")
    return [(float(scores[i]), cands[i].rowid) for i in order]


# ---- training (tuning half only) ---------------------------------------------------


def _pairs(x: np.ndarray, y: np.ndarray, qid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Differences of (relevant - non-relevant) rows of each query, both signs."""
    diffs = []
    for q in np.unique(qid):
        rows = qid == q
        pos, neg = x[rows & (y == 1)], x[rows & (y == 0)]
        if len(pos) and len(neg):
            diffs.append((pos[:, None, :] - neg[None, :, :]).reshape(-1, x.shape[1]))
    d = np.concatenate(diffs) if diffs else np.zeros((0, x.shape[1]))
    return np.concatenate([d, -d]), np.concatenate([np.ones(len(d)), np.zeros(len(d))])


def fit(x: np.ndarray, y: np.ndarray, qid: np.ndarray, names: tuple[str, ...],
        c: float = 0.1) -> LinearModel:
    """Pairwise logistic regression on standardised features (scikit-learn,
    needed only here: the shipped model is numbers)."""
    from sklearn.linear_model import LogisticRegression

    idx = [FEATURES.index(f) for f in names]
    sub = x[:, idx]
    mean, scale = sub.mean(axis=0), sub.std(axis=0)
    scale[scale == 0] = 1.0
    d, t = _pairs((sub - mean) / scale, y, qid)
    clf = LogisticRegression(C=c, fit_intercept=False, max_iter=2000)
    clf.fit(d, t)
    return LinearModel(names, mean, scale, clf.coef_[0])


def ndcg_at_10(scores: np.ndarray, y: np.ndarray, qid: np.ndarray,
               n_relevant: dict[Any, int]) -> float:
    """Mean nDCG@10 of ranking each query's candidates by ``scores``
    (ideal DCG from the query's number of gold labels, as the scorer does)."""
    total = 0.0
    queries = list(n_relevant)
    for q in queries:
        rows = np.where(qid == q)[0]
        top = rows[np.argsort(-scores[rows], kind="stable")][:10]
        dcg = sum(1 / math.log2(i + 2) for i, r in enumerate(top) if y[r])
        ideal = sum(1 / math.log2(i + 2) for i in range(min(n_relevant[q], 10)))
        total += dcg / ideal if ideal else 0.0
    return total / max(len(queries), 1)


def main() -> None:
    import argparse
    from pathlib import Path

    from search.relevance import load_gold, use_cached_embedder
    from search.sqlite import SQLiteBackend

    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", required=True, type=Path)
    ap.add_argument("--gold", required=True, type=Path, help="the tuning half")
    ap.add_argument("--query-cache", type=Path, default=None)
    ap.add_argument("--c", type=float, default=None,
                    help="inverse regularisation strength (default: the best of a 5-fold"
                         " cross-validation on the gold given)")
    ap.add_argument("--write", action="store_true",
                    help="write the models that passed to corpora/search/ranker.json (check the"
                         " dev gold before shipping one: it must not drop)")
    args = ap.parse_args()
    cached = use_cached_embedder(args.query_cache)
    backend = SQLiteBackend(args.store)
    gold = load_gold(args.gold)
    out: dict[str, Any] = {"trained_on": args.gold.name, "queries": len(gold), "models": {}}
    for mode in ("lexical", "hybrid"):
        x, y, qid, n_rel = backend.training_rows(gold, mode)
        names = tuple(f for f in FEATURES if mode == "hybrid" or f not in SEMANTIC_FEATURES)
        # folds by document, as the gold halves are split: a query's passages and
        # its document's other queries never sit on both sides of a fold
        fold_of = {g["id"]: zlib.crc32(g["relevant"][0]["doc"].encode()) % 5 for g in gold}
        folds = np.array([fold_of[q] for q in qid]) if len(qid) else np.array([])
        hand = ndcg_at_10(x[:, FEATURES.index("hand")], y, qid, n_rel)
        print(f"{mode}: the hand-set ranking alone, nDCG@10 over the pool {hand:.3f}")
        best = (-1.0, 0.1)
        for c in (0.001, 0.01, 0.1, 1.0):
            held = []
            for k in range(5):
                train = folds != k
                model = fit(x[train], y[train], qid[train], names, c)
                test_q = {q: n for q, n in n_rel.items() if fold_of[q] == k}
                held.append((len(test_q), ndcg_at_10(model.score(x), y, qid, test_q)))
            cv = sum(n * s for n, s in held) / max(sum(n for n, _ in held), 1)
            print(f"{mode}: C={c} 5-fold (by document) nDCG@10 over the pool {cv:.3f}")
            best = max(best, (cv, c))
        if best[0] <= hand:  # the model must beat the rules it would replace
            print(f"{mode}: no model shipped (cross-validated {best[0]:.3f} <= hand-set {hand:.3f})")
            continue
        c = args.c if args.c is not None else best[1]
        model = fit(x, y, qid, names, c)
        print(f"{mode}: fitted on all {len(n_rel)} queries (C={c}), nDCG@10 over the pool"
              f" {ndcg_at_10(model.score(x), y, qid, n_rel):.3f}")
        for name, w in sorted(zip(names, model.weights), key=lambda p: -abs(p[1])):
            print(f"   {name:<11}{w:+.3f}")
        out["models"][mode] = {**model.to_json(), "c": c, "cv_ndcg": round(best[0], 4),
                               "hand_ndcg": round(hand, 4)}
    backend.close()
    if cached:
        cached.save()
    if args.write:
        path = corpora.path("search", MODEL_FILE)
        path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()

"""A small learned ranker: one linear score over features of each candidate
passage, fitted on every judged gold set.

Why: hand-set multipliers (BM25 x coverage x proximity x metadata boosts) and
reciprocal rank fusion each fit a few queries and none knows how much a
cosine of 0.85 is worth against a BM25 score, or a year that matches against
a phrase that does not. A linear model over the same signals, fitted
pairwise (a relevant passage should outscore a non-relevant one of the same
query, as in RankNet / RankSVM), weighs them from data. It is small enough to
ship as numbers in ``corpora/search/ranker.json`` and to read: every weight
has a name. The model learns corrections to the hand-set ranking (its
regularisation pulls towards that order), and none is loaded at query time
unless the file holds one: a missing or broken file means the hand-set ranking.

The candidates are the union of the lexical pool (BM25 over the OR of the
query's units) and the semantic pool (nearest vectors); every candidate gets
every feature (a passage found only by meaning still has its word coverage
counted, one found only by words still has its cosine when vectors exist).
There is one model per mode: ``lexical`` and ``hybrid``. Semantic mode stays
the cosine order.

Refit when the gold grows (every judged set with the store it was judged on;
dev sets are never fitted on)::

    python -m search.ranker NAME:STORE:QUERY_CACHE:GOLD ... --dev dev [--write]

It scores the model with leave-one-set-out (each set held out in turn, the
regularisation picked on the other sets only) and ships it only when the
mean beats the hand-set ranking by SHIP_MARGIN, no set drops by more than
MAX_SET_DROP and no dev set drops; otherwise ``--write`` records why. No
model ships today: see docs/search_relevance.md, session 8 (eight sets,
leave-one-set-out 0.8169 -> 0.8185, dev 0.897 -> 0.889).
"""
from __future__ import annotations

import functools
import json
import logging
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

import corpora
from search.query import ParsedQuery
from search.tokenize import is_word_char, normalize
from search.understand import Understood, meta_matches

log = logging.getLogger(__name__)

MODEL_FILE = "ranker.json"
SEMANTIC_FEATURES = ("cos", "sem_rr", "cos_gap")
FEATURES = ("hand", "lex", "bm25", "in_lex", "lex_rr", "cov", "title_only", "exact", "near", "grams",
            *SEMANTIC_FEATURES, "year", "year_other", "region", "region_other", "org",
            "doc_type",
            "length", "brevity", "answer",
            # session 8: general signals (a passage in both lists, its place in its
            # document, the query's words in the title, cosine for questions) and
            # query-level ones that only a tree model can use (they cancel in pairs)
            "both", "first", "title_grams", "cos_q", "q_cov", "q_question", "q_units", "q_sem")
SHORT_PASSAGE = 30  # as search.sqlite: headings and stubs rarely answer anything
_DIGIT = re.compile(r"[0-9０-９]")


@dataclass
class Candidate:
    """One passage in the pool, with what the two retrievers said about it."""

    rowid: Any  # the store's passage id (an int in SQLite, a string in the engine)
    text: str  # normalised passage text
    title: str  # normalised document title
    doc: dict[str, Any]  # year, region, region_path, org, doc_type, title
    lex_score: float | None = None  # rerank score (BM25 x coverage ...), None: not in the pool
    bm25: float | None = None
    lex_rank: int | None = None
    cos: float | None = None  # cosine to the query, None: no vector
    sem_rank: int | None = None
    hand_rank: int | None = None  # place in the hand-set ranking (search.sqlite)
    idx: int | None = None  # the passage's place in its document


def _grams(s: str) -> set[str]:
    chars = [c for c in s if is_word_char(c)]
    if len(chars) == 1:
        return set(chars)
    return {a + b for a, b in zip(chars, chars[1:])}


def candidates(pq: ParsedQuery, lex: list[tuple[Any, float, str, str]],
               sem: list[tuple[float, Any, str, str]], docs: dict[str, dict[str, Any]],
               hand: list[tuple[float, Any]], idx: dict[Any, int]) -> list[Candidate]:
    """The union of a store's two pools as candidates, built the same way for
    both stores: ``lex`` (passage id, BM25 score, text, document id) best first,
    ``sem`` (cosine, passage id, text, document id) best first, ``docs`` each
    document's fields (year, region, region_path, org, doc_type, title),
    ``hand`` the hand-set ranking, ``idx`` each passage's place in its document.
    A store adds the cosines of lexical candidates when it can read vectors."""
    from search.sqlite import rerank_score  # the lexical re-rank score of both stores

    cands: dict[Any, Candidate] = {}
    for rank, (pid, bm25, text, doc_id) in enumerate(lex):
        doc = docs.get(doc_id, {})
        title, norm = normalize(doc.get("title") or ""), normalize(text)
        cands[pid] = Candidate(pid, norm, title, doc, lex_score=rerank_score(bm25, norm, pq, title),
                               bm25=bm25, lex_rank=rank)
    for rank, (cos, pid, text, doc_id) in enumerate(sem):
        c = cands.get(pid)
        if c is None:
            doc = docs.get(doc_id, {})
            c = cands[pid] = Candidate(pid, normalize(text), normalize(doc.get("title") or ""), doc)
        c.cos, c.sem_rank = cos, rank
    for rank, (_, pid) in enumerate(hand):
        if pid in cands:
            cands[pid].hand_rank = rank
    for pid, c in cands.items():
        c.idx = idx.get(pid)
    return list(cands.values())


def features(pq: ParsedQuery, u: Understood, cands: list[Candidate],
             coverage: float) -> np.ndarray:
    """Feature matrix (one row per candidate, columns as ``FEATURES``).
    ``coverage`` is the query-level share of the query the best lexical
    passage covers (:func:`search.hybrid.coverage_of_norms`): semantics matter more
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
            if key in col:  # a match no model was trained on (the period) is left out
                f[col[key]] = value
        f[col["length"]] = math.log1p(len(c.text)) / 8.0
        f[col["brevity"]] = min(1.0, len(c.text) / SHORT_PASSAGE) ** 0.5
        f[col["answer"]] = 1.0 if u.question and _DIGIT.search(c.text) else 0.0
        f[col["both"]] = float(c.lex_rank is not None and c.sem_rank is not None)
        f[col["first"]] = 1.0 / (1.0 + c.idx) if c.idx is not None else 0.0
        f[col["title_grams"]] = len(qgrams & _grams(c.title)) / len(qgrams) if qgrams else 0.0
        f[col["cos_q"]] = (c.cos or 0.0) * float(u.question)
    out[:, col["q_cov"]] = coverage
    out[:, col["q_question"]] = float(u.question)
    out[:, col["q_units"]] = min(len(units), 8) / 8.0
    out[:, col["q_sem"]] = float(any(c.sem_rank is not None for c in cands))
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

    def score_of(self, q: "Judged") -> np.ndarray:
        return self.score(q["x"])

    def to_json(self) -> dict[str, Any]:
        return {"features": list(self.features), "mean": self.mean.round(6).tolist(),
                "scale": self.scale.round(6).tolist(),
                "weights": self.weights.round(6).tolist()}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "LinearModel":
        return cls(tuple(d["features"]), np.array(d["mean"]), np.array(d["scale"]),
                   np.array(d["weights"]))


def model_path() -> Path:
    """Where the shipped models are (``corpora/search/ranker.json``)."""
    return corpora.path("search", MODEL_FILE)


@functools.lru_cache(maxsize=1)
def _models() -> dict[str, LinearModel]:
    """The shipped models by mode, read once. A missing file, a file that is no
    JSON or a model whose shapes do not fit gives no model (the hand-set
    ranking), with a warning for a broken file: a search never fails on it."""
    path = model_path()
    if not path.exists():
        return {}
    models = {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        for mode, d in data.get("models", {}).items():
            if all(f in FEATURES for f in d["features"]):  # a model of other features is ignored
                model = LinearModel.from_json(d)
                if not model.mean.shape == model.scale.shape == model.weights.shape == (
                        len(model.features),):
                    raise ValueError(f"model {mode!r}: {len(model.features)} features but"
                                     f" {model.weights.shape} weights")
                models[mode] = model
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        log.warning("learned ranker %s ignored, hand-set ranking used: %s", path, err)
        return {}
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


# ---- training: every judged set, leave-one-set-out -----------------------------------

Judged = dict[str, Any]  # one gold query as the ranker sees it (see collect)
Scorer = Callable[[Judged], np.ndarray]


HARD_NEGATIVES = 30  # every non-relevant candidate the hand-set ranking puts this high
NEGATIVE_STRIDE = 5  # and every fifth of the others: the pairs that decide the first page


def negatives(x: np.ndarray) -> np.ndarray:
    """Which candidates serve as non-relevant sides of pairs: all that the
    hand-set ranking puts among its first HARD_NEGATIVES (where the first page
    is decided) and a fixed fifth of the rest (so that the model still sees
    what lies deep in the pool); a third of the pairs, the same fit."""
    hand = x[:, FEATURES.index("hand")]
    hard = hand > 10.0 / (10.0 + HARD_NEGATIVES)
    return hard | (np.arange(len(x)) % NEGATIVE_STRIDE == 0)


def _pairs(x: np.ndarray, y: np.ndarray, qid: np.ndarray,
           keep: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Differences of (relevant - non-relevant) rows of each query, both signs;
    ``keep``: the rows that may be the non-relevant side (all by default)."""
    diffs = []
    keep = np.ones(len(x), dtype=bool) if keep is None else keep
    for q in np.unique(qid):
        rows = qid == q
        pos, neg = x[rows & (y == 1)], x[rows & (y == 0) & keep]
        if len(pos) and len(neg):
            diffs.append((pos[:, None, :] - neg[None, :, :]).reshape(-1, x.shape[1]))
    d = np.concatenate(diffs) if diffs else np.zeros((0, x.shape[1]))
    return np.concatenate([d, -d]), np.concatenate([np.ones(len(d)), np.zeros(len(d))])


def fit(x: np.ndarray, y: np.ndarray, qid: np.ndarray, names: tuple[str, ...],
        c: float = 0.1, prior: float = 0.0) -> LinearModel:
    """Pairwise logistic regression on standardised features: minimises
    ||w||^2 / 2 + c * sum of log-losses of the pair differences (scikit-learn's
    objective without intercept), by Newton's method, which takes a few
    22 x 22 solves where a general solver took seconds per fit.

    ``prior`` > 0: the score starts as ``prior`` times the standardised
    hand-set feature and the weights learn corrections to it, so the
    regularisation pulls towards the hand-set ranking instead of towards no
    ranking at all (c -> 0 gives the hand-set order back)."""
    idx = [FEATURES.index(f) for f in names]
    sub = x[:, idx]
    if not len(sub):  # nothing to learn from (an inner fold of two sets): the prior alone
        sub = np.zeros((1, len(idx)))
    mean, scale = sub.mean(axis=0), sub.std(axis=0)
    scale[scale == 0] = 1.0
    d, t = _pairs((sub - mean) / scale, y, qid, negatives(x))
    start = np.zeros(len(idx))
    if prior and "hand" in names:
        start[names.index("hand")] = prior
    return LinearModel(names, mean, scale, start + _newton_logistic(d, t, c, d @ start))


def _newton_logistic(d: np.ndarray, t: np.ndarray, c: float, offset: np.ndarray | None = None,
                     steps: int = 50) -> np.ndarray:
    """Newton's method with step halving (a full step can overshoot when the
    offset already separates most pairs)."""
    offset = np.zeros(len(d)) if offset is None else offset

    def loss(w: np.ndarray) -> float:
        z = d @ w + offset
        return 0.5 * float(w @ w) + c * float(np.sum(np.logaddexp(0.0, z) - t * z))

    w = np.zeros(d.shape[1])
    current = loss(w)
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(d @ w + offset, -30, 30)))
        grad = w + c * (d.T @ (p - t))
        hess = np.eye(len(w)) + c * (d.T * (p * (1 - p))) @ d
        step = np.linalg.solve(hess, grad)
        size = 1.0
        while size > 1e-4 and loss(w - size * step) > current:
            size /= 2
        w = w - size * step
        current = loss(w)
        if np.abs(size * step).max() < 1e-6:
            break
    return w


def collect(store: Path, gold: list[dict[str, Any]], name: str,
            query_cache: Path | None = None, mode: str = "hybrid") -> list[Judged]:
    """Every gold query of one set run as a search runs it (the lexical pool;
    in hybrid, the semantic list only when the lexical pool does not cover the
    query; the hand-set fusion), with each candidate's features and judgement
    (a gold label's document and text): what a model is fitted and scored on."""
    from search import relevance
    from search import sqlite as sqlite_mod

    with relevance.cached_query_embedder(query_cache):
        backend = sqlite_mod.SQLiteBackend(store)
        try:
            conn = backend._reader()
            return [_judged(backend, conn, name, g, mode) for g in gold]
        finally:
            backend.close()


def _judged(backend: Any, conn: Any, name: str, g: dict[str, Any], mode: str) -> Judged:
    from search import adapter, hybrid
    from search import sqlite as sqlite_mod
    from search.baseline import matches
    from search.query import parse

    text = g["query"]
    pq, u = parse(text), backend.understood(text)
    lex = backend._lexical(conn, pq, None, "1", [], [], "", sqlite_mod.RERANK_POOL)
    norm = backend._pool_norms(lex)
    lex_rows = lex[2] if lex else []
    coverage = hybrid.coverage_of_norms(pq, [norm[r[0]] for r in lex_rows]) if lex_rows else 0.0
    sem_rows, qvec = [], None
    sem_mode = hybrid.semantic_mode_of(mode, backend._focus(conn, pq, u, lex, mode))
    if mode == "hybrid" and sqlite_mod.semantics_needed(sem_mode, coverage):
        sem_rows, qvec = backend._semantic(conn, text, adapter.wanted(sem_mode, u), None, "1", [])
    doc_of = {r[0]: r[3] for r in lex_rows} | {r[1]: r[3] for r in sem_rows}
    docs = backend._doc_meta(conn, set(doc_of.values()))
    hand = backend._hand_ranking(pq, u, lex_rows, sem_rows, docs, mode, False, coverage, norm)
    cands = backend._candidates(conn, pq, lex_rows, sem_rows, docs, qvec, hand)
    raw = {r[0]: r[2] for r in lex_rows} | {r[1]: r[2] for r in sem_rows}
    source = dict(conn.execute(
        f"SELECT id, source FROM documents WHERE id IN ({','.join('?' * len(docs))})",
        list(docs)).fetchall()) if docs else {}
    info = {}
    for c in cands:
        doc = source.get(doc_of[c.rowid])
        info[c.rowid] = (doc_of[c.rowid], raw[c.rowid],
                         any(matches(doc, raw[c.rowid], r) for r in g["relevant"]))
    return {"set": name, "gold": g, "kind": g.get("kind", ""), "hand": hand, "info": info,
            "understood": u,
            "rowids": [c.rowid for c in cands],
            "x": features(pq, u, cands, coverage) if cands else np.zeros((0, len(FEATURES))),
            "y": np.array([info[c.rowid][2] for c in cands], dtype=int)}


def query_ndcg(q: Judged, scores: np.ndarray | None = None) -> float:
    """nDCG@10 of one query ranked by ``scores`` (None: the hand-set ranking)."""
    if not q["rowids"]:
        return 0.0
    if scores is None:
        return ranked_ndcg(q, q["hand"])
    order = np.argsort(-scores, kind="stable")
    return ranked_ndcg(q, [(float(scores[i]), q["rowids"][i]) for i in order])


def ranked_ndcg(q: dict[str, Any], ranked: list[tuple[float, int]]) -> float:
    """nDCG@10 of a ranked list after :func:`search.hybrid.content_first` (with
    the query's ``q["understood"]``) and :func:`search.hybrid.collapse`, as a
    search ranks and ``search.relevance`` scores it; ``q["info"]``: each
    candidate's (document id, text, judged relevant)."""
    from search.hybrid import collapse, content_first
    from search.sections import heading_for

    info = q["info"]
    texts, doc_of = {r: v[1] for r, v in info.items()}, {r: v[0] for r, v in info.items()}
    if q.get("understood") is not None:
        ranked = content_first(ranked, texts, doc_of, q["understood"],
                               heading=heading_for(q["understood"]))
    top = collapse(ranked, texts, doc_of, need=10)[:10]
    idcg = sum(1 / math.log2(i + 2) for i in range(min(len(q["gold"]["relevant"]), 10)))
    return sum(1 / math.log2(i + 2) for i, (_, r, _) in enumerate(top) if info[r][2]) / idcg


def set_scores(queries: list[Judged], scorer: Scorer | None) -> dict[str, float]:
    """Mean nDCG@10 per set; ``scorer`` None: the hand-set ranking."""
    out: dict[str, list[float]] = {}
    for q in queries:
        scores = scorer(q) if scorer is not None and q["rowids"] else None
        out.setdefault(q["set"], []).append(query_ndcg(q, scores))
    return {k: float(np.mean(v)) for k, v in out.items()}


def stack(queries: list[Judged]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All candidates' features, labels and query numbers."""
    rows = [(i, q) for i, q in enumerate(queries) if q["rowids"]]
    if not rows:
        return np.zeros((0, len(FEATURES))), np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    return (np.concatenate([q["x"] for _, q in rows]), np.concatenate([q["y"] for _, q in rows]),
            np.concatenate([np.full(len(q["rowids"]), i) for i, q in rows]))


def fit_linear(queries: list[Judged], names: tuple[str, ...], c: float,
               prior: float = 0.0) -> LinearModel:
    x, y, qid = stack(queries)
    return fit(x, y, qid, names, c, prior)


def loso(queries: list[Judged], held: list[str], fitter: Callable[..., Scorer],
         grid: list[tuple], dev: list[str] = ()
         ) -> tuple[dict[str, float], dict[str | None, tuple]]:
    """Per held-out set: its score under the model fitted on the other sets
    with the grid point an inner leave-one-set-out over those sets picked (the
    held-out set never chooses anything), and that point. Dev sets are scored
    by the point picked over all held sets (``picks[None]``), fitted on them all. A model fitted
    without sets {s, t} serves s's inner fold t and t's inner fold s alike,
    so it is fitted once."""
    fitted: dict[tuple, Scorer] = {}

    def model(left_out: frozenset, params: tuple) -> Scorer:
        if (left_out, params) not in fitted:
            fitted[left_out, params] = fitter(
                [q for q in queries if q["set"] in held and q["set"] not in left_out], *params)
        return fitted[left_out, params]

    def score(name: str, scorer: Scorer) -> float:
        return set_scores([q for q in queries if q["set"] == name], scorer)[name]

    out, picks = {}, {}
    for s in [*held, None]:
        train = [t for t in held if t != s]
        out_s = frozenset() if s is None else frozenset({s})
        pick = grid[0] if len(grid) == 1 else max(grid, key=lambda p: float(np.mean(
            [score(t, model(out_s | {t}, p)) for t in train])))
        for t in (dev if s is None else [s]):
            out[t], picks[t] = score(t, model(out_s, pick)), pick
        if s is None:
            picks[None] = pick  # the point a model of every held set is fitted with
    return out, picks


GRID_C = (0.0001, 0.0003, 0.001, 0.003)  # inverse regularisation of the corrections
SHIP_MARGIN = 0.005  # what "beats the hand-set ranking by a clear margin" means
MAX_SET_DROP = 0.02


def _linear(queries: list[Judged], c: float) -> Scorer:
    return fit_linear(queries, FEATURES, c, prior=1.0).score_of


def main(argv: list[str] | None = None) -> None:
    import argparse

    from search.relevance import load_gold

    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sets", nargs="+", metavar="NAME:STORE:QUERY_CACHE:GOLD",
                    help="a judged set, the store it was judged on and its query cache"
                         " (may be empty)")
    ap.add_argument("--dev", action="append", default=[],
                    help="a set never fitted on; it must not drop")
    ap.add_argument("--mode", default="hybrid", choices=("hybrid", "lexical"))
    ap.add_argument("--write", action="store_true",
                    help="write corpora/search/ranker.json: the model fitted on every set"
                         " but the dev ones when it passes, else the measured reason")
    args = ap.parse_args(argv)
    queries: list[Judged] = []
    for spec in args.sets:
        name, store, cache, gold = spec.split(":")
        queries += collect(Path(store), load_gold(Path(gold)), name,
                           Path(cache) if cache else None, args.mode)
    names = list(dict.fromkeys(q["set"] for q in queries))
    held = [n for n in names if n not in args.dev]
    hand = set_scores(queries, None)
    learned, picks = loso(queries, held, _linear, [(c,) for c in GRID_C], args.dev)
    print(f"{'set':<10}{'hand-set':>9}{'learned':>9}{'change':>8}  C picked on the other sets")
    for n in names:
        print(f"{n:<10}{hand[n]:>9.3f}{learned[n]:>9.3f}{learned[n] - hand[n]:>+8.3f}"
              f"  {picks[n][0]}{'  (dev: never fitted on)' if n in args.dev else ''}")
    mean_h, mean_l = (float(np.mean([d[n] for n in held])) for d in (hand, learned))
    print(f"{'LOSO mean':<10}{mean_h:>9.4f}{mean_l:>9.4f}{mean_l - mean_h:>+8.4f}")
    worst = min(learned[n] - hand[n] for n in held)
    dev_ok = all(learned[n] >= hand[n] for n in args.dev)
    ships = mean_l - mean_h >= SHIP_MARGIN and worst >= -MAX_SET_DROP and dev_ok
    record = {"mode": args.mode, "sets": names, "dev": args.dev,
              "hand_loso": round(mean_h, 4), "learned_loso": round(mean_l, 4),
              "per_set": {n: [round(hand[n], 4), round(learned[n], 4)] for n in names}}
    if ships:
        c = picks[None][0]
        model = fit_linear([q for q in queries if q["set"] in held], FEATURES, c, prior=1.0)
        entry, where = {**model.to_json(), "c": c, **record}, "models"
        print(f"passes: mean {mean_l - mean_h:+.4f}, worst set {worst:+.3f}, dev kept")
    else:
        entry, where = {**record, "why": f"leave-one-set-out mean {mean_l - mean_h:+.4f} (needs"
                                          f" +{SHIP_MARGIN}), worst set {worst:+.3f} (needs >="
                                          f" -{MAX_SET_DROP}), dev"
                                          f" {'kept' if dev_ok else 'dropped'}"}, "not_shipped"
        print("not shipped: " + entry["why"])
    if args.write:
        _write(args.mode, where, entry)


def _write(mode: str, where: str, entry: dict[str, Any]) -> None:
    """Record ``mode``'s model (``where`` = "models") or the reason it is not
    shipped ("not_shipped") in the model file, keeping the other modes' entries."""
    path = model_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except ValueError:
        data = {}
    data = data if isinstance(data, dict) else {}
    for key in ("models", "not_shipped"):
        data.setdefault(key, {}).pop(mode, None)
    data[where][mode] = entry
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()

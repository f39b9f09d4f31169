"""Learned rankers compared with leave-one-set-out over every judged gold set
(issue 12, session 8): the model families ``python -m search.ranker`` does not
ship, beside the one it does.

Every gold query is collected once through the real store as a search runs it
(:func:`search.ranker.collect`); then for each set a model is fitted on all
other sets, its regularisation picked by an inner leave-one-set-out over those
sets only, and scored on the held-out set after ``collapse``, as a search
scores. Dev sets are never fitted on.

Families:

* ``logreg``: pairwise logistic regression over the 22 features of session 7 (the hand-set rank one of them);
* ``residual``: the same, learning corrections to the hand-set ranking (the
  regularisation pulls towards it), what ``search.ranker`` fits;
* ``logreg-nohand``/``hgb_points-nohand``: without the hand-set rank as a feature;
* ``logreg+``/``residual+``: both with session 8's added features;
* ``hgb_points``/``hgb_points+``: gradient-boosted trees (scikit-learn's
  HistGradientBoosting, depth 3, 100 rounds), pointwise on the relevance label;
* ``hgb_pairs``: the same trees on pair differences, each candidate scored
  against its query's mean row.

``python -m bench.ranker_loso NAME:STORE:QUERY_CACHE:GOLD ... [--dev NAME]
[--cache FILE] [--families a,b]`` (``--cache``: the collected queries kept in
a pickle between runs).
"""
from __future__ import annotations

import argparse
import pickle
from pathlib import Path

import numpy as np

from search import ranker
from search.relevance import load_gold

OLD = ranker.FEATURES[:ranker.FEATURES.index("both")]  # the 22 features of session 7
NO_HAND = tuple(f for f in OLD if f != "hand")


def _columns(names: tuple[str, ...]) -> list[int]:
    return [ranker.FEATURES.index(f) for f in names]


def fit_logreg(queries: list[dict], names: tuple[str, ...], c: float,
               prior: float = 0.0) -> ranker.Scorer:
    return ranker.fit_linear(queries, names, c, prior).score_of


def fit_hgb_points(queries: list[dict], names: tuple[str, ...], depth: int,
                   iters: int) -> ranker.Scorer:
    from sklearn.ensemble import HistGradientBoostingClassifier

    x, y, _ = ranker.stack(queries)
    idx = _columns(names)
    clf = HistGradientBoostingClassifier(max_depth=depth, max_iter=iters, learning_rate=0.1,
                                         random_state=0).fit(x[:, idx], y)
    return lambda q: clf.decision_function(q["x"][:, idx])


def fit_hgb_pairs(queries: list[dict], names: tuple[str, ...], depth: int,
                  iters: int) -> ranker.Scorer:
    from sklearn.ensemble import HistGradientBoostingClassifier

    x, y, qid = ranker.stack(queries)
    idx = _columns(names)
    d, t = ranker._pairs(x[:, idx], y, qid, ranker.negatives(x))
    clf = HistGradientBoostingClassifier(max_depth=depth, max_iter=iters, learning_rate=0.1,
                                         random_state=0).fit(d, t)
    return lambda q: clf.decision_function(q["x"][:, idx] - q["x"][:, idx].mean(axis=0))


FAMILIES = {
    "logreg": (fit_logreg, [(OLD, c) for c in (0.01, 0.1, 1.0)]),
    "residual": (fit_logreg, [(OLD, c, 1.0) for c in ranker.GRID_C]),
    "logreg-nohand": (fit_logreg, [(NO_HAND, c) for c in (0.01, 0.1, 1.0)]),
    "hgb_points-nohand": (fit_hgb_points, [(NO_HAND, 3, 100)]),
    "logreg+": (fit_logreg, [(ranker.FEATURES, c) for c in (0.01, 0.1, 1.0)]),
    "residual+": (fit_logreg, [(ranker.FEATURES, c, 1.0) for c in ranker.GRID_C]),
    "hgb_points": (fit_hgb_points, [(OLD, 3, 100)]),
    "hgb_points+": (fit_hgb_points, [(ranker.FEATURES, 3, 100)]),
    "hgb_pairs": (fit_hgb_pairs, [(OLD, 3, 100)]),
}


def by_kind(queries: list[dict], scorer: ranker.Scorer | None) -> str:
    kinds: dict[str, list[float]] = {}
    for q in queries:
        kinds.setdefault(q["kind"] or "?", []).append(
            ranker.query_ndcg(q, scorer(q) if scorer and q["rowids"] else None))
    return " ".join(f"{k}={np.mean(v):.3f}({len(v)})" for k, v in sorted(kinds.items()))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sets", nargs="+", help="NAME:STORE:QUERY_CACHE:GOLD")
    ap.add_argument("--dev", action="append", default=[], help="set names never fitted on")
    ap.add_argument("--cache", type=Path, default=None, help="collected queries (pickle)")
    ap.add_argument("--families", default="logreg,residual,residual+,hgb_points")
    args = ap.parse_args(argv)
    if args.cache and args.cache.exists():
        queries = pickle.loads(args.cache.read_bytes())
    else:
        queries = []
        for spec in args.sets:
            name, store, cache, gold = spec.split(":")
            queries += ranker.collect(Path(store), load_gold(Path(gold)), name,
                                      Path(cache) if cache else None)
        if args.cache:
            args.cache.write_bytes(pickle.dumps(queries))
    names = list(dict.fromkeys(q["set"] for q in queries))
    held = [n for n in names if n not in args.dev]
    base = ranker.set_scores(queries, None)
    print("hand-set ranking: " + " ".join(f"{n}={base[n]:.3f}" for n in names)
          + f"  mean of fitted sets {np.mean([base[n] for n in held]):.4f}", flush=True)
    print("   by kind (fitted sets): "
          + by_kind([q for q in queries if q["set"] in held], None), flush=True)
    for fam in filter(None, args.families.split(",")):
        fitter, grid = FAMILIES[fam]
        scores, picks = ranker.loso(queries, held, fitter, grid, args.dev)
        print(f"{fam}: " + " ".join(f"{n}={scores[n]:.3f}({scores[n] - base[n]:+.3f})"
                                    for n in names)
              + f"  LOSO mean {np.mean([scores[n] for n in held]):.4f}"
              f" (hand {np.mean([base[n] for n in held]):.4f})", flush=True)
        print("   picks: " + " ".join(f"{n}={p[1:]}" for n, p in picks.items()), flush=True)


if __name__ == "__main__":
    main()

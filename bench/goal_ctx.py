"""The stacked context model (:mod:`nlp.goal_context`) and the clause model's learning curve, leave-one-batch-out.

Why: a model is only worth shipping when it lifts batches it never saw. Every batch 1-21 is left
out in turn (with its documents' twins); the rest is the training set.

* ``curve``: the clause model (veto only, KEEP 0.1) fitted on 25 / 50 / 75 % of the training
  documents (two seeds), item ``detect_f1`` pooled: would more labelled data help?
* ``stack``: the context model fitted, for each left-out batch, on the other batches' labelled clauses with
  the clause model's out-of-fold probabilities of every clause of their documents, then scoring the
  left-out batch from the clause model fitted without it. By default the out-of-fold probabilities are
  those of the leave-one-batch-out run itself (each document scored by the model fitted without its
  batch; those models did see the left-out batch); ``--inner=N`` nests N folds grouped by document
  inside each training set instead (no leak, N+1 times the fits). The decision is then scored over a
  grid (``--grid-vc=``, ``--grid-k2=``, ``--grid-add=``; ``--detail`` per batch and kind): veto a certain
  rule goal when the context model gives each of its clauses less than ``VC``; keep an unsure one as now
  (clause model at ``KEEP``, K2 ``none``) or when the context model gives one of its clauses ``K2``; add
  runs of clauses no kept goal covers from ``ADD``. ``--oracle``: each labelled clause's context
  probability replaced by its gold label (the decision's ceiling).
* ``export``: fit the context model on batches 1-21 (clause model out of fold) and write
  ``corpora/goals/clause_context.json`` with the thresholds given (``--vc= --k2= --add=``).

``python -m bench.goal_ctx curve [--fractions=0.25,0.5 --seeds=0,1]|stack [--cached] [--stage2=lr,hgb]|export``. The left-out batch's clause-model
probabilities are those of ``python -m bench.goal_lobo "all rows, veto only"`` (run it first, same
data dir). The blind batches (past ``goal_model.LAST_TRAINED_BATCH``) are never read.
"""
from __future__ import annotations

import functools
import os
import pickle
import random
import sys
from pathlib import Path
from typing import Any, Callable

from bench import goal_add, goal_items, goal_lobo
from nlp import goal_context, goal_model, goals

INNER = int(next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--inner=")), "0"))
Probs = dict[str, list[float]]  # per document: the clause model's probability of each scored clause


def _data_dir() -> Path:
    return Path(os.environ.get("POLICYLENS_DATA_DIR", "/tmp"))


def _fit1(rows: list[dict[str, Any]]) -> Any:
    return goal_lobo._fit(rows, goal_model._pipeline, goal_add._veto_view)


def _probs(clf: Any, name: str) -> list[float]:
    c = goal_add._cache(name)
    keep = goal_lobo.scored(name)
    if not keep:
        return []
    return [float(p) for p in goal_model._proba(clf, [goal_add._veto_view(c["records"][n]) for n in keep])]


def doc_features(name: str, probs: list[float], keep: float = goal_model.KEEP) -> list[dict[str, float]]:
    """The context model's features of a document's scored clauses, by the pipeline's own function."""
    c = goal_add._cache(name)
    idx = goal_lobo.scored(name)
    unsure = goal_lobo._unsure(name)
    certain = [(g.start, g.end) for i, g in enumerate(c["text_goals"]) if i not in unsure]
    maybe = [(g.start, g.end) for i, g in enumerate(c["text_goals"]) if i in unsure]
    kind = next((k[5:] for k in c["records"][idx[0]]["flags"] if k.startswith("kind_")), "unknown") if idx else ""
    return goal_context.document_features(c["document"], [c["cls"][n] for n in idx], probs, certain, maybe, kind,
                                          keep)


def _labelled_positions(name: str, rows: list[dict[str, Any]]) -> list[tuple[int, bool]]:
    """(position among the scored clauses, gold) of each labelled clause the model scores."""
    pos = {n: i for i, n in enumerate(goal_lobo.scored(name))}
    return [(pos[r["n"]], r["label"] != "0") for r in rows if r["n"] in pos]


def _oof(names: list[str], rows: goal_lobo.Rows, twins: dict[str, str], folds: int = INNER) -> Probs:
    """The clause model's out-of-fold probabilities of the documents ``names`` (folds grouped by twin)."""
    from sklearn.model_selection import GroupKFold

    out: Probs = {}
    for train, test in GroupKFold(folds).split(names, groups=[twins[n] for n in names]):
        clf = _fit1([r for i in train for r in rows[names[i]]])
        out.update({names[i]: _probs(clf, names[i]) for i in test})
    return out


_MEMO: dict[str, list[dict[str, float]]] = {}


def _features_of(name: str, probs: list[float]) -> list[dict[str, float]]:
    """:func:`doc_features`; remembered per document when every run reads the same (shared) probabilities.

    ``--with-add``: the add model's left-out probabilities (``bench.goal_lobo "all rows"``) of the clause,
    its neighbours and its sentence join the features (an experiment: the pipeline has no add model)."""
    if INNER:
        return doc_features(name, probs)
    if name not in _MEMO:
        _MEMO[name] = doc_features(name, probs)
        if "--with-add" in sys.argv:
            _MEMO[name] = _with_add(name, _MEMO[name])
    return _MEMO[name]


@functools.lru_cache(maxsize=1)
def _add_probs() -> dict[str, list[float]]:
    lobo, _ = pickle.loads((_data_dir() / "goal_lobo_all_rows.pkl").read_bytes())
    return {d: [p for *_, p in a or []] for ps in lobo.values() for d, (_, a) in ps.items()}


def _with_add(name: str, rows: list[dict[str, float]]) -> list[dict[str, float]]:
    a = _add_probs()[name]
    c = goal_add._cache(name)
    sent = [c["cls"][n][2] for n in goal_lobo.scored(name)]
    best: dict[int, float] = {}
    for k, x in zip(sent, a):
        best[k] = max(best.get(k, 0.0), x)
    out = []
    for i, f in enumerate(rows):
        g = dict(f, add=a[i], add_sent_max=best[sent[i]])
        g["add_prev1"] = a[i - 1] if i else 0.0
        g["add_next1"] = a[i + 1] if i + 1 < len(a) else 0.0
        out.append(g)
    return out


def fit_stage2(names: list[str], rows: goal_lobo.Rows, probs: Probs, make: Callable[[], Any]) -> Any:
    X, y = [], []
    for d in names:
        f = _features_of(d, probs[d])
        for i, gold in _labelled_positions(d, rows[d]):
            X.append(f[i])
            y.append(gold)
    clf = make()
    clf.fit(X, y)
    return clf


def boosted() -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.pipeline import Pipeline

    return Pipeline([("vec", DictVectorizer(sparse=False)),
                     ("clf", HistGradientBoostingClassifier(max_iter=150, learning_rate=0.05, max_leaf_nodes=15,
                                                            min_samples_leaf=40, random_state=0))])


STAGE2 = {"lr": goal_context.pipeline, "hgb": boosted}


def items(name: str, p1: list[float], q: list[float], keep: float, vc: float, k2: float | None,
          add: float) -> list[dict[str, Any]]:
    """The goal items of a document under the context decision (:func:`nlp.goals.in_context`)."""
    c = goal_add._cache(name)
    if c["legal"]:
        return goal_items._items(c["table"])
    document = c["document"]
    clauses = [(*c["cls"][n], p) for n, p in zip(goal_lobo.scored(name), p1)]
    unsure = goal_lobo._unsure(name)
    maybe = [g for i, g in enumerate(c["text_goals"]) if i in unsure]
    decided = goals.in_context(document, c["text_goals"], maybe, clauses, q, keep, vc, k2, add)
    title_end = goals._title_end(document.text)
    decided = [g for g in decided if g.start >= title_end]
    return goal_items._items(c["table"] + goals.not_in_cells(decided, c["table"]))


def _baseline() -> dict[str, dict[str, list[float]]]:
    """The left-out batches' clause-model probabilities of ``bench.goal_lobo "all rows, veto only"``."""
    store = _data_dir() / "goal_lobo_all_rows_veto_only.pkl"
    lobo, _ = pickle.loads(store.read_bytes())
    return {b: {d: [p for *_, p in v] for d, (v, _) in ps.items()} for b, ps in lobo.items()}


def stack(kinds: list[str]) -> dict[str, dict[str, dict[str, tuple[list[float], list[float]]]]]:
    """Per stage-2 kind, per left-out batch, per document: (clause model, context model) probabilities."""
    store = _data_dir() / (f"goal_ctx_stack_inner{INNER}.pkl" if INNER else
                           "goal_ctx_stack_add.pkl" if "--with-add" in sys.argv else "goal_ctx_stack.pkl")
    if "--cached" in sys.argv and store.exists():
        return pickle.loads(store.read_bytes())
    gold, rows, kind, docs = goal_lobo.labelled()
    twins = {d: goal_lobo.twin_key(d) for d in rows}
    base = _baseline()
    out: dict[str, dict[str, dict[str, Any]]] = {k: {} for k in kinds}
    shared = {d: p for ps in base.values() for d, p in ps.items()}
    for batch in goal_lobo.LEFT_OUT:
        held = {twins[d] for d in docs[batch]}
        train = sorted(d for d in rows if twins[d] not in held)
        oof = _oof(train, rows, twins) if INNER else shared
        for k in kinds:
            clf = fit_stage2(train, rows, oof, STAGE2[k])
            out[k][batch] = {}
            for d in docs[batch]:
                p1 = base[batch][d]
                q = [float(x) for x in clf.predict_proba(_features_of(d, p1))[:, 1]] if p1 else []
                out[k][batch][d] = (p1, q)
        print(f"{batch} done", file=sys.stderr, flush=True)
    store.write_bytes(pickle.dumps(out))
    return out


def _grid(name: str, default: str) -> tuple[Any, ...]:
    raw = next((a.split("=", 1)[1] for a in sys.argv if a.startswith(f"--{name}=")), default)
    return tuple(None if x == "none" else float(x) for x in raw.split(","))


GRID_VC = _grid("grid-vc", "0,0.02,0.05,0.1")  # --grid-vc=0,0.3: the thresholds tried
GRID_K2 = _grid("grid-k2", "none,0.05,0.1,0.2")
GRID_ADD = _grid("grid-add", "1.01,0.9,0.8,0.7")


def score_grid(result: dict[str, dict[str, Any]], detail: set[tuple[float, float | None, float]]) -> None:
    gold, _, kind, _ = goal_lobo.labelled()
    scorer = goal_items._scorer()
    for k, by_batch in result.items():
        print(f"stage 2 = {k}")
        pooled_gold = [{**g, "doc": f"{b}/{g['doc']}"} for b, gs in gold.items() if b in by_batch for g in gs]
        for vc in GRID_VC:
            for k2 in GRID_K2:
                for add in GRID_ADD:
                    preds = {b: {d: items(d, p1, q, goal_model.KEEP, vc, k2, add) for d, (p1, q) in ps.items()}
                             for b, ps in by_batch.items()}
                    title = f"VC {vc} K2 {k2} ADD {add}"
                    if (vc, k2, add) in detail:
                        goal_lobo._report(scorer, title, gold, preds, kind)
                    else:
                        pooled = {f"{b}/{d}": p for b, ps in preds.items() for d, p in ps.items()}
                        goal_lobo._show(scorer, title, pooled_gold, pooled)


def oracle(result: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The stacked result with the context probability of every labelled clause replaced by its gold
    label (1 goal, 0 not; unlabelled clauses keep the model's): how far a perfect clause decider on
    this decision (veto certain, keep unsure, add runs) would go. The rest is boundaries and grouping."""
    _, rows, _, _ = goal_lobo.labelled()
    out: dict[str, dict[str, Any]] = {}
    for k, by_batch in result.items():
        out[f"{k} oracle"] = {}
        for b, ps in by_batch.items():
            out[f"{k} oracle"][b] = {}
            for d, (p1, q) in ps.items():
                gold = dict(_labelled_positions(d, rows[d]))
                out[f"{k} oracle"][b][d] = (p1, [float(gold[i]) if i in gold else x for i, x in enumerate(q)])
    return out


def curve(fractions: tuple[float, ...] = (0.25, 0.5, 0.75), seeds: tuple[int, ...] = (0, 1)) -> None:
    """Leave one batch out, pooled, with the clause model fitted on a share of the training documents."""
    gold, rows, kind, docs = goal_lobo.labelled()
    twins = {d: goal_lobo.twin_key(d) for d in rows}
    scorer = goal_items._scorer()
    pooled_gold = [{**g, "doc": f"{b}/{g['doc']}"} for b, gs in gold.items() for g in gs]
    for frac in fractions:
        for seed in seeds:
            preds = {}
            for batch in goal_lobo.BATCHES:
                held = {twins[d] for d in docs[batch]}
                train = sorted(d for d in rows if twins[d] not in held)
                part = random.Random(f"{seed}/{batch}").sample(train, round(frac * len(train)))
                clf = _fit1([r for d in part for r in rows[d]])
                for d in docs[batch]:
                    c = goal_add._cache(d)
                    p = _probs(clf, d)
                    v = [(*c["cls"][n], x) for n, x in zip(goal_lobo.scored(d), p)]
                    preds[f"{batch}/{d}"] = goal_lobo.items(d, v, None, goal_model.KEEP, None)
            goal_lobo._show(scorer, f"{int(frac * 100)}% of the training documents, seed {seed}", pooled_gold, preds)


def export(vc: float, k2: float | None, add: float) -> None:
    """Fit the context model on batches 1-21 (clause model out of fold) and ship it with the thresholds."""
    import json

    _, rows, _, _ = goal_lobo.labelled()
    twins = {d: goal_lobo.twin_key(d) for d in rows}
    names = sorted(rows)
    clf = fit_stage2(names, rows, _oof(names, rows, twins, INNER or 5), goal_context.pipeline)
    data = goal_context.export(clf, {"vc": vc, "k2": k2 if k2 is not None else -1.0, "add": add},
                               goal_model.training_fingerprint())
    path = goal_model.corpora.path(*goal_context.PARAMS)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {len(data['weights'])} weights -> {path}")


def _opt(name: str, default: str) -> str:
    return next((a.split("=", 1)[1] for a in sys.argv if a.startswith(f"--{name}=")), default)


if __name__ == "__main__":
    if "--help" in sys.argv or "-h" in sys.argv or len(sys.argv) < 2:
        print(__doc__)
    elif sys.argv[1] == "curve":  # --fractions=0.25,0.5 --seeds=0,1
        curve(tuple(float(x) for x in _opt("fractions", "0.25,0.5,0.75").split(",")),
              tuple(int(x) for x in _opt("seeds", "0,1").split(",")))
    elif sys.argv[1] == "stack":
        kinds = _opt("stage2", "lr,hgb").split(",")
        cells = {(vc, k2, add) for vc in GRID_VC for k2 in GRID_K2 for add in GRID_ADD}
        result = stack(kinds)
        score_grid(oracle(result) if "--oracle" in sys.argv else result,
                   cells if "--detail" in sys.argv else {(0.0, None, 1.01)})
    elif sys.argv[1] == "export":
        k2 = _opt("k2", "none")
        export(float(_opt("vc", "0")), None if k2 == "none" else float(k2), float(_opt("add", "1.01")))

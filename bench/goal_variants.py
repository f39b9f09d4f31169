"""Clause-model variants, leave one batch out over batches 1-26, scored as the pipeline decides (session 12).

Why: the clause model decides only two things in the pipeline (:func:`nlp.goals.decide`): whether an
unsure rule goal stays (a clause at ``KEEP``) and whether a proposer's candidate becomes a goal (a clause
at its frame's threshold). A variant of the model (features, regularisation, class weights, another
learner) is worth shipping only when those decisions get better on batches it never saw. Each variant is
fitted 26 times, each time without one batch (and its documents' twins), and predicts that batch; the
items are made as :mod:`bench.goal_propose` makes them (the shipped frames) and scored as
:mod:`bench.goal_lobo` scores them, pooled and per document kind.

Thresholds: a variant with other probabilities needs other thresholds, so each is scored at every setting of
:data:`SETTINGS` (``KEEP`` with the frames' thresholds scaled alike, or ``KEEP`` alone raised), and with the
setting chosen by *inner* leave-one-batch-out: for each left-out batch, the setting that scores best on the other
25 batches' left-out predictions, pooled or per run-time document type (news / work report / other, as the
pipeline's classifier gives it). The other batches' predictions come from models that saw the left-out batch,
one level of nesting short, but the choice is one setting out of eleven. ``--agg=mean|first``: the veto reads
the mean (or the first) of an unsure goal's clause probabilities instead of their max.

``python -m bench.goal_variants fit NAME [NAME ...]`` fits and stores the variants' fold probabilities in the
data directory (``goal_variant_<name>.pkl``, about 10 minutes each on a loaded machine);
``python -m bench.goal_variants table [-v] [--agg=…] [NAME ...]`` prints the table from the stored ones (``-v``:
every setting and the inner choices). ``base`` is the shipped model; it may also be read from ``python -m
bench.goal_lobo "all rows, veto only"``'s store in the same data directory. The blind batches are never read.
Results of session 12: corpora/goals/README.md, "Session 12 (helper goalmodel12)".
"""
from __future__ import annotations

import contextlib
import io
import math
import os
import pickle
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

from bench import goal_add, goal_items, goal_lobo
from nlp import goal_model, goal_propose

Probas = dict[str, dict[str, list[tuple[int, int, int, float]]]]  # batch -> document -> clause probabilities
Counts = tuple[int, int, int]  # matched, predicted, gold
SCALES = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0)  # factors on (KEEP, each frame's threshold)
KEEPS = (0.2, 0.3, 0.4, 0.5, 0.6)  # KEEP alone, the frames' thresholds as shipped
Setting = tuple[float, float]  # (KEEP, factor on the frames' thresholds)
SETTINGS: tuple[Setting, ...] = (*((goal_model.KEEP * s, s) for s in SCALES), *((k, 1.0) for k in KEEPS))
GROUPS = ("national work report", "news", "provincial work report", "other")


def group(kind: str) -> str:
    return kind if kind in GROUPS else "other"


# ---- variants: record views and learners ----------------------------------------------------------------

CUE_KEYS = re.compile(r"^(?:c_|s_|rule$|enum$|after_intro$|plan_section$|review_section$|cue_before|prev_|next_)")


def _kind_group(flags: dict[str, float]) -> str:
    """The document's type as the run-time classifier gives it, in three groups (news reads differently)."""
    if flags.get("kind_news"):
        return "news"
    if flags.get("kind_work_report"):
        return "report"
    return "other"


def kind_cross(r: dict[str, Any]) -> dict[str, Any]:
    """Each cue flag also as a copy per document group (news / work report / other): a linear model's
    interactions, so a cue can weigh differently in news than in a report ("easy domain adaptation")."""
    f = goal_add._veto_view(r)["flags"]
    g = _kind_group(f)
    return {**r, "flags": {**f, **{f"{g}|{k}": v for k, v in f.items() if v and CUE_KEYS.match(k)}}}


def section_cross(r: dict[str, Any]) -> dict[str, Any]:
    """Each cue flag also as a copy per section role (plan / review / next / none) of the clause."""
    f = goal_add._veto_view(r)["flags"]
    sec = next((k[8:] for k in f if k.startswith("section_")), "none")
    return {**r, "flags": {**f, **{f"{sec}|{k}": v for k, v in f.items() if v and CUE_KEYS.match(k)}}}


def both_cross(r: dict[str, Any]) -> dict[str, Any]:
    a, b = kind_cross(r)["flags"], section_cross(r)["flags"]
    return {**r, "flags": {**a, **b}}


def rich(r: dict[str, Any]) -> dict[str, Any]:
    """The paragraph's and sentence's context flags of :func:`bench.goal_lobo.extras` added."""
    return goal_lobo._rich(goal_add._veto_view(r))


def lr(C: float = 1.0, weight: str | None = None, chars: tuple[int, int] = (1, 3), min_df: int = 2
       ) -> Callable[[], Any]:
    """The shipped pipeline with another C, class weight, character n-gram range or min_df."""
    def make() -> Any:
        clf = goal_model._pipeline()
        clf.set_params(clf__C=C, clf__class_weight=weight, features__chars__tfidfvectorizer__ngram_range=chars,
                       features__chars__tfidfvectorizer__min_df=min_df,
                       features__words__tfidfvectorizer__min_df=min_df,
                       features__context__tfidfvectorizer__min_df=min_df)
        return clf
    return make


class Blend:
    """The linear n-gram model beside a gradient-boosted model over the rule flags: the mean of their logits.

    Why: the boosted trees read interactions of the rules' flags (a cue in a review section of news) that a
    linear model cannot, while the n-grams stay linear.
    """

    def __init__(self) -> None:
        self.linear = goal_model._pipeline()
        self.trees = goal_lobo.boosted_rules()
        self.trees.set_params(clf__class_weight=None)

    def fit(self, X: list[dict[str, Any]], y: list[bool]) -> "Blend":
        self.linear.fit(X, y)
        self.trees.fit(X, y)
        return self

    def proba(self, records: list[dict[str, Any]]) -> list[float]:
        a = goal_model._proba(self.linear, records)
        b = self.trees.predict_proba(goal_model._frame(records))[:, 1]
        out = []
        for p, q in zip(a, b):
            z = (_logit(p) + _logit(q)) / 2
            out.append(1 / (1 + math.exp(-z)))
        return out


def _logit(p: float) -> float:
    p = min(max(float(p), 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


Variant = tuple[Callable[[dict[str, Any]], dict[str, Any]], Callable[[], Any]]
WEIGHTS: dict[str, Callable[[dict[str, Any]], float]] = {
    # the clauses the model decides on (a rule goal's) weigh three times: the rest are mostly easy "no"
    "focus3": lambda r: 3.0 if r["flags"].get("rule") else 1.0,
}
VARIANTS: dict[str, Variant] = {
    "base": (goal_add._veto_view, goal_model._pipeline),
    "kindx": (kind_cross, goal_model._pipeline),
    "sectx": (section_cross, goal_model._pipeline),
    "bothx": (both_cross, goal_model._pipeline),
    "rich": (rich, goal_model._pipeline),
    "C0.3": (goal_add._veto_view, lr(C=0.3)),
    "C3": (goal_add._veto_view, lr(C=3.0)),
    "balanced": (goal_add._veto_view, lr(weight="balanced")),
    "chars14": (goal_add._veto_view, lr(chars=(1, 4))),
    "mindf3": (goal_add._veto_view, lr(min_df=3)),
    "blend": (goal_add._veto_view, Blend),
    "focus3": (goal_add._veto_view, goal_model._pipeline),
    "kindx+C3": (kind_cross, lr(C=3.0)),
    "kindx+rich": (lambda r: kind_cross(rich(r)), goal_model._pipeline),
}


def fit_fold(name: str, rows: list[dict[str, Any]]) -> Callable[[str], list[tuple[int, int, int, float]]]:
    """Fit variant ``name`` on ``rows``; returns the clause probabilities of a document (scored clauses)."""
    view, make = VARIANTS[name]
    clf = make()
    X, y = goal_model._frame([view(r) for r in rows]), [r["label"] != "0" for r in rows]
    if name in WEIGHTS:
        clf.fit(X, y, clf__sample_weight=[WEIGHTS[name](r) for r in rows])
    else:
        clf.fit(X, y)

    def probas(doc: str) -> list[tuple[int, int, int, float]]:
        c = goal_add._cache(doc)
        keep = goal_lobo.scored(doc)
        if not keep:
            return []
        recs = [view({**c["records"][n], "doc": doc, "n": n}) for n in keep]
        p = clf.proba(recs) if isinstance(clf, Blend) else goal_model._proba(clf, recs)
        return [(*c["cls"][n], float(x)) for n, x in zip(keep, p)]

    return probas


def _store(name: str) -> Path:
    return Path(os.environ.get("POLICYLENS_DATA_DIR", "/tmp")) / f"goal_variant_{goal_lobo._slug(name)}.pkl"


def fit(name: str) -> Probas:
    """Every batch 1-26 predicted by the variant fitted without it (and its documents' twins)."""
    _, rows, _, docs = goal_lobo.labelled()
    every = [r for rs in rows.values() for r in rs]
    twins = {d: goal_lobo.twin_key(d) for d in rows}
    out: Probas = {}
    for batch in goal_lobo.BATCHES:
        held = {twins[d] for d in docs[batch]}
        probas = fit_fold(name, [r for r in every if twins[r["doc"]] not in held])
        out[batch] = {d: probas(d) for d in docs[batch]}
        print(f"  {name} {batch} fitted", flush=True)
    _store(name).write_bytes(pickle.dumps(out))
    return out


def load(name: str) -> Probas:
    """A stored variant; ``base`` may also come from ``bench.goal_lobo``'s own run in the same data directory."""
    if _store(name).exists():
        return pickle.loads(_store(name).read_bytes())
    legacy = _store(name).parent / goal_propose_store()
    if name == "base" and legacy.exists():
        lobo, _ = pickle.loads(legacy.read_bytes())
        return {b: {d: v for d, (v, _) in ps.items()} for b, ps in lobo.items()}
    raise SystemExit(f"{_store(name)}: missing; run python -m bench.goal_variants fit {name}")


def goal_propose_store() -> str:
    from bench import goal_propose as bp

    return bp.STORE


# ---- scoring --------------------------------------------------------------------------------------------


def doc_items(doc: str, veto: list[tuple[int, int, int, float]], setting: Setting) -> list[dict[str, Any]]:
    """The pipeline's items of a document for these probabilities at ``KEEP`` and frame thresholds scaled."""
    keep, scale = setting
    c = goal_add._cache(doc)
    if not veto or c["legal"]:
        return goal_lobo.items(doc, veto, None, keep, None)
    frames = tuple(f._replace(threshold=min(1.01, f.threshold * scale)) if f.threshold <= 1 else f
                   for f in goal_propose.frames())
    proposed = goal_propose.candidates(c["document"], c["text_goals"], c["skip"], frames)

    def propose(kept: list[Any]) -> list[Any]:
        return goal_propose.proposed_goals(c["document"], veto, proposed, kept)

    return goal_lobo.items(doc, veto, None, keep, None, propose=propose)


AGGREGATES: dict[str, Callable[[list[float]], float]] = {
    "max": max,  # shipped: an unsure goal stays when one of its clauses reaches KEEP
    "mean": lambda ps: sum(ps) / len(ps),
    "first": lambda ps: ps[0],
}
AGG = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--agg=")), "max")


@contextlib.contextmanager
def aggregated(how: str):
    """The veto reads one number per unsure goal (``how`` of its clauses' probabilities) instead of the max."""
    from nlp import goals

    if how == "max":
        yield
        return
    shipped, agg = goals._scores_inside, AGGREGATES[how]

    def scores_inside(clauses: list[tuple[int, int, int, float]]) -> Callable[[int, int], list[float]]:
        inside = shipped(clauses)
        return lambda s, e: [agg(ps)] if (ps := inside(s, e)) else []

    goals._scores_inside = scores_inside
    try:
        yield
    finally:
        goals._scores_inside = shipped


def counts(probas: Probas, gold: dict[str, list[dict[str, Any]]], setting: Setting) -> dict[str, Counts]:
    """(matched, predicted, gold) per document, as the shared scorer matches."""
    with aggregated(AGG):
        return _counts(probas, gold, setting)


def _counts(probas: Probas, gold: dict[str, list[dict[str, Any]]], setting: Setting) -> dict[str, Counts]:
    out: dict[str, Counts] = {}
    for b, ps in probas.items():
        preds = {d: [{**p, "doc": d} for p in doc_items(d, v, setting)] for d, v in ps.items()}
        with contextlib.redirect_stdout(io.StringIO()):
            m = goal_items.goal_matches(gold[b], goal_items.clip_to_regions(gold[b], preds))
        c: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for g, _ in m.pairs:
            c[g["doc"]][0] += 1
            c[g["doc"]][1] += 1
            c[g["doc"]][2] += 1
        for p in m.false:
            c[p["doc"]][1] += 1
        for g in m.missed:
            c[g["doc"]][2] += 1
        for d in ps:
            out[f"{b}/{d}"] = tuple(c.get(d, [0, 0, 0]))  # type: ignore[assignment]
    return out


def f1(cs: list[Counts]) -> float:
    tp, pred, gold = (sum(c[i] for c in cs) for i in range(3))
    p = tp / pred if pred else 1.0
    r = tp / gold if gold else 1.0
    return 2 * p * r / (p + r) if p + r else 0.0


def runtime_group(doc: str) -> str:
    """The document's group as the pipeline knows it at run time (its type classifier): news, report, other."""
    f = next((r["flags"] for r in goal_add._cache(doc)["records"] if r.get("flags")), {})
    return _kind_group(f)


def inner_choice(by_setting: dict[Setting, dict[str, Counts]], per_kind: bool,
                 among: tuple[Setting, ...] = SETTINGS) -> tuple[dict[str, Counts], list[str]]:
    """Each document's counts at the setting that scores best on the other batches (pooled, or among the
    documents of its run-time group), and the choices made."""
    out, chosen = {}, []
    keys = list(next(iter(by_setting.values())))
    rgroup = {k: runtime_group(k.split("/", 1)[1]) for k in keys} if per_kind else {}
    for b in sorted({k.split("/", 1)[0] for k in keys}):
        for g in (("news", "report", "other") if per_kind else (None,)):
            def mine(k: str) -> bool:
                return g is None or rgroup[k] == g
            train = [k for k in keys if not k.startswith(f"{b}/") and mine(k)]
            best = max(among, key=lambda st: (f1([by_setting[st][k] for k in train]), -abs(math.log(st[1])),
                                              -abs(st[0] - goal_model.KEEP)))
            chosen.append(f"{b}:{g or 'all'}={best[0]:.2f}/{best[1]}")
            out.update({k: by_setting[best][k] for k in keys if k.startswith(f"{b}/") and mine(k)})
    return out, chosen


def row(title: str, cs: dict[str, Counts], kind: dict[str, str]) -> str:
    cells = [f1(list(cs.values()))]
    cells += [f1([c for k, c in cs.items() if group(kind[k.split("/", 1)[1]]) == g]) for g in GROUPS]
    tp, pred, gold = (sum(c[i] for c in cs.values()) for i in range(3))
    return (f"| {title} | " + " | ".join(f"{x:.3f}" for x in cells) +
            f" | {tp / max(1, pred):.3f} / {tp / max(1, gold):.3f} |")


def table(names: list[str], verbose: bool = False) -> None:
    gold, _, kind, _ = goal_lobo.labelled()
    print("| variant | pooled | national | news | provincial | other kinds | P / R |")
    print("|---|---|---|---|---|---|---|")
    for name in names:
        probas = load(name)
        by_setting = {st: counts(probas, gold, st) for st in SETTINGS}
        shipped = (goal_model.KEEP, 1.0)
        print(row(f"{name}, shipped thresholds", by_setting[shipped], kind), flush=True)
        for st in SETTINGS:
            if verbose and st != shipped:
                print(row(f"{name}, KEEP {st[0]:.2f}, frames x{st[1]}", by_setting[st], kind), flush=True)
        best = max(SETTINGS, key=lambda st: f1(list(by_setting[st].values())))
        print(row(f"{name}, best KEEP {best[0]:.2f} frames x{best[1]} (picked on the same leave-out)",
                  by_setting[best], kind), flush=True)
        for per_kind in (False, True):
            cs, chosen = inner_choice(by_setting, per_kind)
            print(row(f"{name}, thresholds by inner LOBO{' per run-time kind' if per_kind else ''}", cs, kind),
                  flush=True)
            if verbose:
                print("   ", " ".join(chosen))


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("fit", "table") or "--help" in argv:
        print(__doc__)
        print("variants:", ", ".join(VARIANTS))
        return 0 if "--help" in argv else 2
    names = [a for a in argv[1:] if a != "-v" and not a.startswith("--")] or list(VARIANTS)
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        print(f"goal_variants: unknown variant {unknown[0]!r}; known: {', '.join(VARIANTS)}", file=sys.stderr)
        return 2
    if argv[0] == "fit":
        for n in names:
            fit(n)
    else:
        table(names, verbose="-v" in argv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

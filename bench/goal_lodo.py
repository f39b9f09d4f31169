"""Goal item F1 over every labelled batch (1-8) at once, each document scored by a model that never saw it.

Why: the trained-on batches (1-3, 6) can only be scored honestly with their own document left
out of the fit; the held-out ones (4, 5, 7, 8) with the model fitted on all training rows. This
pools both, per batch and per document kind, for a grid of the pipeline's thresholds (KEEP, the
veto; ADD, clauses only the model finds; 1.01 is off), so a threshold is chosen on all batches
without scoring a document with a model trained on it.

``python -m bench.goal_lodo`` prints the grid, with batches and kinds for the shipped thresholds;
``python -m bench.goal_lodo 0.4 1.01`` adds the breakdown for another pair. One fit per
trained-on document: about 15 minutes on a busy 2-core machine.
"""
from __future__ import annotations

import contextlib
import io
import sys
from collections import defaultdict
from typing import Any

from bench import goal_items
from nlp import goal_model, goals

GRID = tuple((k, a) for k in (0.05, 0.1, 0.2, 0.3, 0.4) for a in (0.7, 0.9, 1.01))
SETS = {"b12": goal_model.LABELS, "b3": goal_model.TEST_LABELS, "b4": goal_model.BATCH4_LABELS,
        "b5": goal_model.BATCH5_LABELS, "b6": goal_items.BATCH6_LABELS, "b7": goal_items.BATCH7_LABELS,
        "b8": goal_items.BATCH8_LABELS}


def _fit(rows: list[dict[str, Any]]) -> Any:
    clf = goal_model._pipeline()
    clf.fit(goal_model._frame(rows), [r["label"] != "0" for r in rows])
    return clf


def _decisions(name: str) -> dict[tuple[float, float], list[dict[str, Any]]]:
    """The goal items of one document for every threshold pair, with the model of the moment."""
    document = goal_model.load_document(name)
    table = goals.from_tables(document)
    if goals.is_legal_text(document.text):
        return {key: goal_items._items(table) for key in GRID}
    skip = goals.table_spans(document)
    text_goals = goals.from_text(document, skip)
    scores = goals.clause_scores(document, text_goals, skip)
    return {(k, a): goal_items._items(table + goals.not_in_cells(
        goals.decide(document, text_goals, skip, scores, k, a), table)) for k, a in GRID}


def predictions() -> tuple[dict[str, list[dict[str, Any]]], dict[tuple[float, float], dict[str, Any]], dict[str, str]]:
    """Gold items per batch, predictions per threshold pair and document, and each document's kind."""
    rows = goal_model.training_rows()
    trained = {r["doc"] for r in rows}
    full = _fit(rows)
    gold: dict[str, list[dict[str, Any]]] = {}
    preds: dict[tuple[float, float], dict[str, Any]] = defaultdict(dict)
    kind: dict[str, str] = {}
    original = goal_model.model
    try:
        for batch, labels in SETS.items():
            gold[batch] = goal_items.heldout_gold(labels)
            kind.update({r["doc"]: r["kind"] for r in goal_model.load_labels(labels)})
            for name in sorted({g["doc"] for g in gold[batch]}):
                clf = _fit([r for r in rows if r["doc"] != name]) if name in trained else full
                goal_model.model = lambda clf=clf: clf  # type: ignore[assignment]
                for key, items in _decisions(name).items():
                    preds[key][name] = items
    finally:
        goal_model.model = original  # type: ignore[assignment]
    return gold, preds, kind


def _show(scorer: Any, title: str, gold: list[dict[str, Any]], pred: dict[str, Any]) -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        s = scorer.score_goals(gold, goal_items.clip_to_regions(gold, pred))
    print(f"  {title:46s}", {k: round(v, 3) if isinstance(v, float) else v for k, v in s.items()
                             if k.startswith("detect") or k in ("gold", "pred")}, flush=True)


def main(argv: list[str]) -> None:
    detail = {(goal_model.KEEP, goal_model.ADD)} | ({(float(argv[0]), float(argv[1]))} if len(argv) > 1 else set())
    gold, preds, kind = predictions()
    scorer = goal_items._scorer()
    every = [g for items in gold.values() for g in items]
    for key in GRID:
        print("KEEP, ADD", key)
        _show(scorer, "ALL", every, preds[key])
        if key not in detail:
            continue
        for batch, items in gold.items():
            _show(scorer, batch, items, {d: preds[key][d] for d in {g["doc"] for g in items}})
        for k in sorted(set(kind.values())):
            docs = {d for d in preds[key] if kind.get(d) == k}
            _show(scorer, k, [g for g in every if g["doc"] in docs], {d: preds[key][d] for d in docs})


if __name__ == "__main__":
    main(sys.argv[1:])

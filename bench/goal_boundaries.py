"""Goal errors by kind of error: a wrong boundary, or a goal missed or invented whole.

Why: the scorer matches a prediction to a gold goal one-to-one when they overlap by at least half
of the shorter. A prediction that runs over three gold goals matches one of them (two misses); two
predictions inside one gold goal give one false goal. Those are boundary errors: the extractor found
the text but cut it wrong. A gold goal no prediction touches, or a prediction no gold goal touches,
is a detection error. The two call for different fixes, so the count comes first.

Each gold goal is one of
* ``matched``;
* ``merged``: a prediction that overlaps it overlaps another gold goal too (one prediction over several);
* ``split``: two or more predictions overlap it and none matched it (the goal cut in pieces);
* ``partial``: one prediction overlaps it, by less than half, or matched another gold goal;
* ``missed``: no prediction overlaps it.

Each prediction is ``matched``; ``split`` (it overlaps a gold goal that another prediction overlaps
too: several predictions in one gold goal); ``merged`` (unmatched, over two gold goals);
``partial`` (overlaps a gold goal otherwise); ``false`` (no gold goal overlaps it).

Matching is the scorer's rule for text documents (overlap of at least half of the shorter span), used for
every document here: the scorer matches a PDF's goals by their text instead, which for the few PDF windows
of the batches may pair a goal cut differently on the page otherwise.

Matched goals whose vagueness is wrong are counted apart by whether the spans agree (start and end
within :data:`SAME` characters) or not: a boundary error can flip vagueness too.

``python -m bench.goal_boundaries [BATCH ...] [--show=KIND]``: the table over the seen batches (default
1-:data:`SEEN_LAST`, never a later one), per document
kind; ``--show=merged`` (or split, partial, missed, false, vague) prints those goals. ``boundary_sample``
scores ``corpora/goals/boundary_sample.jsonl`` (the goalsplit sample s9 of session 9, labelled before any
change), ``boundary_sample_b`` the second sample s9b (labelled after the changes, before they were scored on it). The shipped model
predicts, so on batches it was fitted on the model-made errors are fewer than unseen: the count is
of the rules' cuts, which the model does not move. ``--lobo`` scores the last ``bench.goal_lobo`` run's
leave-one-batch-out probabilities with and without ``extract``'s last steps (:func:`lobo_extract`).
"""
from __future__ import annotations

import contextlib
import io
import os
import sys
from collections import Counter, defaultdict
from typing import Any

from bench import goal_items
from nlp import goal_model

SEEN_LAST = 21  # batches 22 and later are blind: never scored here
BATCHES: dict[str, tuple[str, str]] = {
    "batch1": goal_model.LABELS, "batch3": goal_model.TEST_LABELS,
    **{f"batch{n}": ("goals", f"clause_labels_batch{n}.jsonl") for n in range(4, SEEN_LAST + 1)},
    "boundary_sample": ("goals", "boundary_sample.jsonl"),
    "boundary_sample_b": ("goals", "boundary_sample_b.jsonl"),
}
SAMPLES = ("boundary_sample", "boundary_sample_b")  # labelled apart from the batches, not in the default table
DEFAULT = [b for b in BATCHES if b not in SAMPLES]
SAME = 2  # characters a matched span's ends may differ by and still be the same boundary
GOLD_KINDS = ("matched", "merged", "split", "partial", "missed")
PRED_KINDS = ("matched", "split", "merged", "partial", "false")

Item = dict[str, Any]


def _overlap(a: Item, b: Item) -> int:
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))


def classify(gold: list[Item], pred: list[Item], scorer: Any) -> tuple[list[tuple[Item, str]], list[tuple[Item, str]],
                                                                          list[tuple[Item, Item]]]:
    """Each gold goal and each prediction of one document with its kind, and the matched pairs."""
    def sc(g: Item, p: Item) -> int:
        ov = _overlap(g, p)
        shorter = min(g["end"] - g["start"], p["end"] - p["start"])
        return ov if shorter > 0 and ov * 2 >= shorter else 0

    matched, _ = scorer.greedy(gold, pred, sc)
    touches = {id(g): [p for p in pred if _overlap(g, p)] for g in gold}
    touched = {id(p): [g for g in gold if _overlap(g, p)] for p in pred}
    gold_out = _kinds(gold, {id(g) for g, _ in matched}, touches, touched, ("merged", "split", "missed"))
    pred_out = _kinds(pred, {id(p) for _, p in matched}, touched, touches, ("split", "merged", "false"))
    return gold_out, pred_out, matched


def _kinds(items: list[Item], got: set[int], touch: dict[int, list[Item]], back: dict[int, list[Item]],
           names: tuple[str, str, str]) -> list[tuple[Item, str]]:
    """The kind of each item of one side: matched; ``names[0]`` when an item of the other side that touches it
    touches another of this side too; ``names[1]`` when two or more of the other side touch it; partial when one
    does; ``names[2]`` when none does. Gold goals: merged, split, missed; predictions: split, merged, false."""
    out = []
    for item in items:
        others = touch[id(item)]
        if id(item) in got:
            kind = "matched"
        elif any(len(back[id(o)]) >= 2 for o in others):
            kind = names[0]
        elif len(others) >= 2:
            kind = names[1]
        elif others:
            kind = "partial"
        else:
            kind = names[2]
        out.append((item, kind))
    return out


def scored(batch: str) -> tuple[list[Item], dict[str, list[Item]], dict[str, str]]:
    """Gold goals, predictions (cut to the labelled windows, as the scorer keeps them) and document kinds."""
    labels = BATCHES[batch]
    gold = goal_items.heldout_gold(labels)
    names = sorted({g["doc"] for g in gold})
    preds = goal_items.clip_to_regions(gold, goal_items.predictions(names, use_model=True))
    scorer = goal_items._scorer()
    gold_only, kept, _ = scorer.split_regions(gold, preds)
    kind = {r["doc"]: r["kind"] for r in goal_model.load_labels(labels)}
    return gold_only, kept, kind


def count(batches: list[str], show: str | None = None) -> dict[str, dict[str, Counter[str]]]:
    """Gold and prediction kinds per document kind (and ``all``), printing the goals of ``show``."""
    scorer = goal_items._scorer()
    table: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: {"gold": Counter(), "pred": Counter()})
    for batch in batches:
        gold, preds, kind = scored(batch)
        by_doc: dict[str, list[Item]] = defaultdict(list)
        for g in gold:
            by_doc[g["doc"]].append(g)
        for doc in sorted(set(by_doc) | set(preds)):
            pred = [p for p in preds.get(doc, []) if p.get("type") == "goal"]
            gk, pk, pairs = classify(by_doc.get(doc, []), pred, scorer)
            for group in (kind.get(doc, "?"), "all"):
                table[group]["gold"].update(k for _, k in gk)
                table[group]["pred"].update(k for _, k in pk)
                for g, p in pairs:
                    if bool(g.get("vague")) != bool(p.get("vague")):
                        same = abs(g["start"] - p["start"]) <= SAME and abs(g["end"] - p["end"]) <= SAME
                        table[group]["gold"]["vague, same span" if same else "vague, other span"] += 1
            _show(show, batch, doc, gk, pk, pairs)
    return table


def _show(show: str | None, batch: str, doc: str, gk: list[tuple[Item, str]], pk: list[tuple[Item, str]],
          pairs: list[tuple[Item, Item]]) -> None:
    if not show:
        return
    for g, k in gk:
        if k == show:
            print(f"{batch} {doc} GOLD {k}: {g['text'][:120]}")
    for p, k in pk:
        if k == show:
            print(f"{batch} {doc} PRED {k}: {p['text'][:120]}")
    if show == "vague":
        for g, p in pairs:
            if bool(g.get("vague")) != bool(p.get("vague")):
                print(f"{batch} {doc} gold {'v' if g.get('vague') else 'g'} {g['text'][:80]} | pred {p['text'][:80]}")


def report(table: dict[str, dict[str, Counter[str]]]) -> None:
    """One line per document kind: gold goals by kind, predictions by kind, F1, and F1 with the boundaries right."""
    print(f"{'kind':22s} {'gold':>5s} " + " ".join(f"{k:>7s}" for k in GOLD_KINDS)
          + f" | {'pred':>5s} " + " ".join(f"{k:>7s}" for k in PRED_KINDS) + " | F1    bdry  vague(same/other)")
    for group in sorted(table, key=lambda k: (k == "all", k)):
        g, p = table[group]["gold"], table[group]["pred"]
        n_gold, n_pred = sum(g[k] for k in GOLD_KINDS), sum(p[k] for k in PRED_KINDS)
        tp = g["matched"]
        f1 = 2 * tp / (n_gold + n_pred) if n_gold + n_pred else 0.0
        bdry_g = g["merged"] + g["split"] + g["partial"]
        bdry_p = p["split"] + p["merged"] + p["partial"]
        print(f"{group[:22]:22s} {n_gold:5d} " + " ".join(f"{g[k]:7d}" for k in GOLD_KINDS)
              + f" | {n_pred:5d} " + " ".join(f"{p[k]:7d}" for k in PRED_KINDS)
              + f" | {f1:.3f} {bdry_g:3d}+{bdry_p:<3d} {g['vague, same span']}/{g['vague, other span']}")


LOBO_FAMILY = "all rows, veto only"
LOBO_KEEP = 0.1


def lobo_extract() -> None:
    """Leave-one-batch-out F1 of the last ``bench.goal_lobo`` run of :data:`LOBO_FAMILY` (its stored fold
    probabilities, same data dir), scored as that bench scores (the rules and the model's veto) and with
    the steps :func:`nlp.goals.extract` runs after them: the ；-cut (``_listed_parts``) and the
    regrouping (``_regrouped``). Why: goal_lobo scores the decision before those steps, so a change of
    where goals start and end does not show there; here the model never saw the batch it predicts."""
    import pickle
    from pathlib import Path

    from bench import goal_add, goal_lobo
    from nlp import goals

    store = Path(os.environ.get("POLICYLENS_DATA_DIR", "/tmp")) / f"goal_lobo_{goal_lobo._slug(LOBO_FAMILY)}.pkl"
    lobo, _ = pickle.loads(store.read_bytes())
    gold, _, kind, _ = goal_lobo.labelled()
    scorer = goal_items._scorer()
    original = goals.not_in_cells
    for title, steps in (("as goal_lobo scores", 0), ("with the ；-cut", 1), ("with the ；-cut and the regrouping", 2)):
        preds: dict[str, dict[str, Any]] = {}
        for batch, probas in lobo.items():
            preds[batch] = {}
            for name, p in probas.items():
                document = goal_add._cache(name)["document"]

                def finish(text_goals: list[Any], table: list[Any], document: Any = document) -> list[Any]:
                    if steps:
                        text_goals = goals._listed_parts(document, text_goals)
                    if steps == 2:
                        text_goals = goals._regrouped(document, text_goals)
                    return original(text_goals, table)

                goals.not_in_cells = finish  # type: ignore[assignment]
                try:
                    preds[batch][name] = goal_lobo.items(name, *p, LOBO_KEEP, None, cut=False)
                finally:
                    goals.not_in_cells = original  # type: ignore[assignment]
        print(title)
        goal_lobo._report(scorer, "leave one batch out", gold, preds, kind)


def main(argv: list[str]) -> None:
    if "--lobo" in argv:
        lobo_extract()
        return
    show = next((a.split("=", 1)[1] for a in argv if a.startswith("--show=")), None)
    batches = [a for a in argv if a in BATCHES] or DEFAULT
    with contextlib.redirect_stdout(io.StringIO()) if not show else contextlib.nullcontext():
        table = count(batches, show)
    print(f"batches: {', '.join(batches)}")
    report(table)


if __name__ == "__main__":
    main(sys.argv[1:])

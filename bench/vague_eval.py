"""Vagueness accuracy and F1 (vague = positive) of ``nlp.vagueness`` on every labelled goal clause.

Two measures, per batch and per document kind:

* **clauses**: every clause labelled ``g`` (measurable) or ``v`` (vague) in
  ``corpora/goals/clause_labels*.jsonl``, reviewed alone (``vagueness.review(text).vague``);
* **items**: the matched goals the FORMAT.md way, as ``bench.goal_items`` scores them (gold
  goals built from runs of goal clauses, predictions from ``goals.extract``, matched by the
  shared scorer's rule); slower, since it runs the goal extractor over every document.

``python -m bench.vague_eval`` prints the clause measure; ``--items`` adds the item measure;
``--speed`` times the review per goal text; ``--lobo`` compares a scikit-learn text model, leave-one-batch-out, with the grammar;
``--errors`` lists the disagreements (``--errors batch18`` one batch's only); ``--blind 21 22`` adds
later batches for the lead's re-score (they then count in the totals). ``heldout`` in
:data:`BATCHES` is ``corpora/goals/vague_heldout_s7.jsonl``: 65 goal sentences (two samples, 23 + 42) from the unlabelled
parts of labelled documents, labelled g/v before the session-7 vagueness changes were scored on it;
``sample_s8`` is ``corpora/goals/vague_sample_s8.jsonl``: 166 goal clauses of 13 documents no label file used,
labelled before its first score; ``sample_s8b`` (``vague_sample_s8b.jsonl``, 50 clauses of 7 more documents)
was labelled after the session-8 changes, before they were scored on it. ``kinds12`` is the named training batch of
self-evaluation, rectification and fiscal texts (``clause_labels_kinds12.jsonl``, session 12), printed since session 13
because the blind batches' self-evaluations are where the review erred most. The samples and kinds12 are not in the batch totals. Batches 19 and 20 are seen
(blind in session 7); later batches are never read: only the batches named in :data:`BATCHES` are scored.
"""
from __future__ import annotations

import contextlib
import io
import sys
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from nlp import goal_model, vagueness

BATCHES: dict[str, tuple[str, str]] = {
    "batch1": goal_model.LABELS, "batch3": goal_model.TEST_LABELS,
    **{f"batch{n}": ("goals", f"clause_labels_batch{n}.jsonl") for n in range(4, goal_model.LAST_TRAINED_BATCH + 1)},
    "heldout": ("goals", "vague_heldout_s7.jsonl"),
    "sample_s8": ("goals", "vague_sample_s8.jsonl"),
    "sample_s8b": ("goals", "vague_sample_s8b.jsonl"),
    "kinds12": ("goals", "clause_labels_kinds12.jsonl"),
    # session 18 (helper vague19): fresh evaluation sets of whole labelled pages (26, 12 and 9 documents no earlier file
    # used), each labelled before the review ran on it (vague19b after the vague19 rules were committed, vague19c on the
    # final review tree); never trained on, not in the batch totals
    **{name: goal_model.eval_labels(name) for name in ("vague19", "vague19b", "vague19c")},
}
# goal clauses labelled apart from the batches (not in the batch totals)
SAMPLES = ("heldout", "sample_s8", "sample_s8b")
# named training batches (whole labelled windows, so matched as the batches are), not in the batch totals either
NAMED = ("kinds12", "vague19", "vague19b", "vague19c")


@dataclass
class Tally:
    """Agreement counts of one group; vague is the positive class."""

    n: int = 0
    agree: int = 0
    tp: int = 0  # vague in gold and predicted
    pred_v: int = 0
    gold_v: int = 0

    def add(self, gold_vague: bool, pred_vague: bool) -> None:
        self.n += 1
        self.agree += gold_vague == pred_vague
        self.tp += gold_vague and pred_vague
        self.pred_v += pred_vague
        self.gold_v += gold_vague

    @property
    def accuracy(self) -> float:
        return self.agree / self.n if self.n else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.tp / (self.pred_v + self.gold_v) if self.pred_v + self.gold_v else 1.0

    def line(self, name: str) -> str:
        return f"  {name:46s} n={self.n:4d} acc {self.accuracy:.3f} F1 {self.f1:.3f} (gold vague {self.gold_v})"


def goal_clauses(batch: str) -> list[dict[str, Any]]:
    """The labelled goal clauses (``g`` or ``v``) of one batch."""
    return [r for r in goal_model.load_labels(BATCHES[batch]) if r["label"] in ("g", "v")]


def clause_pairs(batch: str, judge: Callable[[str], bool]) -> list[tuple[dict[str, Any], bool, bool]]:
    """(row, gold vague, predicted vague) for every goal clause of ``batch``."""
    return [(r, r["label"] == "v", judge(r["text"])) for r in goal_clauses(batch)]


def is_vague(text: str) -> bool:
    """The shipped judgement: the review's ``vague``."""
    return vagueness.review(text).vague


def tallies(pairs: Iterable[tuple[dict[str, Any], bool, bool]]) -> tuple[Tally, dict[str, Tally]]:
    """The overall tally and one per document kind."""
    total, kinds = Tally(), defaultdict(Tally)
    for row, gold, pred in pairs:
        total.add(gold, pred)
        kinds[row.get("kind", "?")].add(gold, pred)
    return total, dict(kinds)


def item_pairs(batch: str) -> list[tuple[dict[str, Any], bool, bool]]:
    """(gold goal, gold vague, predicted vague) for the matched goals of ``batch``, matched as the shared scorer does."""
    from bench import goal_items

    if batch in SAMPLES:  # only goal clauses are labelled: no gold items to match, so predictions are paired with clauses
        return sample_item_pairs(batch)
    labels = BATCHES[batch]
    gold = goal_items.heldout_gold(labels)
    kind = {r["doc"]: r.get("kind", "?") for r in goal_model.load_labels(labels)}
    names = sorted({g["doc"] for g in gold})
    with contextlib.redirect_stdout(io.StringIO()):
        preds = goal_items.clip_to_regions(gold, goal_items.predictions(names, use_model=True))
    return [({**g, "kind": kind.get(g["doc"], "?"), "pred_text": p["text"]}, bool(g.get("vague")), bool(p.get("vague")))
            for g, p in goal_items.goal_matches(gold, preds).pairs]


def sample_item_pairs(batch: str) -> list[tuple[dict[str, Any], bool, bool]]:
    """(labelled clauses, gold vague, predicted vague) for each goal ``goals.extract`` finds over a sample's clauses.

    A sample labels goal clauses only (the rest of its documents is unlabelled), so there are no
    gold items to match. A predicted goal is paired with the labelled clauses it covers (at least
    half of each clause): gold vague when all of them are ``v``. Predicted goals covering none are
    left out, as unmatched goals are in :func:`item_pairs`.
    """
    from bench import goal_items

    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in goal_clauses(batch):
        rows[r["doc"]].append(r)
    with contextlib.redirect_stdout(io.StringIO()):
        preds = goal_items.predictions(sorted(rows), use_model=True)
    out = []
    for doc, mine in rows.items():
        for p in (p for p in preds.get(doc, []) if p.get("type") == "goal"):
            covered = [r for r in mine if 2 * (min(r["end"], p["end"]) - max(r["start"], p["start"])) >= r["end"] - r["start"]]
            if covered:
                gold = all(r["label"] == "v" for r in covered)
                out.append(({**covered[0], "pred_text": p["text"]}, gold, bool(p.get("vague"))))
    return out


def report(measure: str, pairs_of: Callable[[str], list[tuple[dict[str, Any], bool, bool]]],
           errors: str | None) -> Tally:
    """Print per batch and per kind; return the tally over all batches."""
    print(f"== {measure}")
    every: list[tuple[dict[str, Any], bool, bool]] = []
    for batch in BATCHES:
        pairs = pairs_of(batch)
        every += pairs if batch not in SAMPLES + NAMED else []  # the totals are over the numbered batches
        total, _ = tallies(pairs)
        print(total.line(batch))
        if errors in ("all", batch):
            for row, gold, pred in pairs:
                if gold != pred:
                    text = row.get("pred_text", row["text"])
                    print(f"      gold {'v' if gold else 'g'} pred {'v' if pred else 'g'} {row['doc'][:30]:30s} {text[:90]}")
    total, kinds = tallies(every)
    for k, t in sorted(kinds.items()):
        print(t.line(f"kind: {k}"))
    last = max(int(b[5:]) for b in BATCHES if b.startswith("batch"))
    print(total.line(f"ALL batches 1-{last}"))
    return total


def speed() -> None:
    """Review time per goal text: every three consecutive labelled clauses joined, as a goal of three clauses."""
    import time

    texts = [r["text"] for b in BATCHES for r in goal_model.load_labels(BATCHES[b])]
    goals = ["，".join(texts[i:i + 3]) for i in range(0, len(texts) - 2, 3)]
    vagueness.review("预热")
    start = time.perf_counter()
    for text in goals:
        vagueness.review(text)
    took = time.perf_counter() - start
    print(f"review: {len(goals)} goal texts in {took * 1000:.0f} ms, {took / len(goals) * 1e6:.0f} us each")


def main(argv: list[str]) -> None:
    errors = None
    if "--errors" in argv:
        i = argv.index("--errors")
        errors = argv[i + 1] if i + 1 < len(argv) and not argv[i + 1].startswith("--") else "all"
    if "--speed" in argv:
        speed()
        return
    if "--lobo" in argv:
        lobo_model()
        return
    if "--blind" in argv:  # the lead's re-score of later batches (helpers never pass it)
        for n in argv[argv.index("--blind") + 1:]:
            if n.isdigit():
                BATCHES[f"batch{n}"] = ("goals", f"clause_labels_batch{n}.jsonl")
    report("clauses (review of each labelled goal clause)", lambda b: clause_pairs(b, is_vague), errors)
    if "--items" in argv:
        report("matched goal items (bench.goal_items matching)", item_pairs, errors)



def lobo_model() -> None:
    """A scikit-learn model over the clause text, leave-one-batch-out, against the grammar on the same clauses.

    Character 1-3-grams (TF-IDF) and logistic regression, each batch predicted by a model
    fitted on the other batches only. The grammar's numbers are in-sample (its vocabularies
    were written from these batches), so the model must beat it clearly to be worth shipping.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    rows = {b: goal_clauses(b) for b in BATCHES if b not in SAMPLES + NAMED}
    model, grammar = Tally(), Tally()
    for batch, test in rows.items():
        if not test:
            continue
        train = [r for b, rs in rows.items() if b != batch for r in rs]
        clf = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True),
                            LogisticRegression(max_iter=2000, C=4.0))
        clf.fit([r["text"] for r in train], [r["label"] == "v" for r in train])
        part_m, part_g = Tally(), Tally()
        for r, p in zip(test, clf.predict([r["text"] for r in test])):
            for t, pred in ((model, bool(p)), (part_m, bool(p)), (grammar, is_vague(r["text"])),
                            (part_g, is_vague(r["text"]))):
                t.add(r["label"] == "v", pred)
        print(f"  {batch:8s} model acc {part_m.accuracy:.3f} F1 {part_m.f1:.3f} | grammar acc {part_g.accuracy:.3f} F1 {part_g.f1:.3f}")
    print(model.line("model, leave-one-batch-out"))
    print(grammar.line("grammar (in-sample)"))


if __name__ == "__main__":
    main(sys.argv[1:])

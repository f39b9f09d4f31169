"""The 二级 classifier on every unseen set at once, the numbers a level change is kept or dropped by.

Why a bench: ``python -m nlp.levels report`` prints much more (cross-validation, agreement,
every document) and takes minutes; comparing one change needs four lines. The protocol is the
report's: leave one document out, models never trained on a blind table (the blind batches are
excluded from every fit), scores as the mean 二级 accuracy per document, by table and by
table+一级; batch 9 (``heldout_tables_6.jsonl``) also as the shipped model meets it (trained on
every other labelled document, earlier blind batches too). "pooled unseen" is the mean per
document over the held-out tables, blind 1-8 and batch 9 together; batches 10 to 13
(``heldout_tables_7.jsonl`` … ``heldout_tables_9.jsonl`` and ``blind_levels_13.jsonl``, which no model trains on, ``levels.UNTRAINED``)
are printed apart and kept out of the pool, so the pool stays comparable with earlier rounds.

Last line: 5-fold by document over the training rows with each test table decoded whole
(``levels.cross_validated_tables``), the number a decoding change is fitted on.

Run: ``python -m bench.levels_unseen`` (``-v``: the rows each mode gets wrong, with their cause).
"""
from __future__ import annotations

import sys

from nlp import levels

MODES = ("table", "table+一级")
UNPOOLED = {f"batch {n}" for n in levels.UNTRAINED}  # kept out of the pooled mean


def sets() -> dict[str, list[tuple[str, list[levels.Row]]]]:
    """Held-out tables, blind batches 1-8, batch 9 and each untrained batch (10 to 13), each as (document, rows)."""
    nine = levels.blind_batch_docs("9")
    apart = {n: levels.blind_batch_docs(n) for n in levels.UNTRAINED}
    blind = levels.table_documents(True)
    out = {"held-out": levels.table_documents(False),
           "blind 1-8": [(d, r) for d, r in blind if d not in nine.union(*apart.values())],
           "batch 9": [(d, r) for d, r in blind if d in nine]}
    return out | {f"batch {n}": [(d, r) for d, r in blind if d in docs] for n, docs in apart.items()}


def errors(documents: list[tuple[str, list[levels.Row]]], exclude: frozenset[str], mode: str) -> list[str]:
    """'doc: name want X got Y' for each wrong 二级 (leave one document out)."""
    out = []
    years = levels.document_years()
    for doc, rows in documents:
        m = levels.LevelModel(levels.training_rows(exclude | {doc}))
        pred = levels._mode_predictions(m, rows, mode, years.get(doc))
        out += [f"{doc}: {r.name} | {r.target} want {r.level2} got {p}" for p, r in zip(pred, rows) if p != r.level2]
    return out


def main(verbose: bool = False) -> dict[str, dict[str, float]]:
    never = frozenset(doc for doc, _ in levels.table_documents(True))
    out: dict[str, dict[str, float]] = {}
    pooled: dict[str, list[float]] = {m: [] for m in MODES}
    groups = sets()
    for label, docs in groups.items():
        scores = levels.document_scores(docs, exclude=never, modes=MODES)
        out[label] = {m: levels.summary(scores[m])[4] for m in MODES}
        for m in MODES:
            pooled[m] += [v[2] for v in scores[m].values()] if label not in UNPOOLED else []
        print(f"{label}: docs={len(docs)} rows={sum(len(r) for _, r in docs)} "
              + " ".join(f"{m}={out[label][m]:.3f}" for m in MODES), flush=True)
        if verbose:
            for e in errors(docs, never, "table+一级"):
                print("   ", e)
    out["pooled unseen"] = {m: sum(v) / len(v) for m, v in pooled.items()}
    print("pooled unseen (mean per document): " + " ".join(f"{m}={out['pooled unseen'][m]:.3f}" for m in MODES))
    shipped = levels.document_scores(groups["batch 9"], exclude=frozenset(levels.blind_batch_docs("9")),
                                     modes=MODES)
    out["batch 9 shipped"] = {m: levels.summary(shipped[m])[4] for m in MODES}
    print("batch 9 as the shipped model meets it (trained on all else): "
          + " ".join(f"{m}={out['batch 9 shipped'][m]:.3f}" for m in MODES))
    folds = levels.cross_validated_tables()
    out["5-fold tables"] = {m: folds[f"{m} mean per document"] for m in MODES}
    print(f"5-fold by document over the training tables ({int(folds['documents'])} tables, {int(folds['rows'])} rows; "
          "what a decoding change is fitted on), mean per document | rows: "
          + " ".join(f"{m}={folds[m + ' mean per document']:.3f} | {folds[m + ' rows']:.3f}" for m in MODES))
    return out


if __name__ == "__main__":
    main(verbose="-v" in sys.argv)

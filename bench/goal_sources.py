"""Should the clause model overrule a rule goal, per the rule that proposed it? Counted on held-out probabilities.

Why: the pipeline trusts every "certain" rule goal (:func:`nlp.goals.goal_sources`: its place, a quantified target
clause, a commitment …) and vetoes an unsure one only below ``goal_model.KEEP``. One threshold per source could do
better if the model's held-out probabilities tell a source's false goals from its true ones. This reads the
fold probabilities :mod:`bench.goal_lobo` stored for ``"all rows, veto only"`` (its leave-documents-out folds,
every labelled document) and, per source, counts the labelled rule goals a threshold would drop: ``zeros`` (no gold
goal overlaps them) and ``gold`` (one does). It then picks each source's threshold leave-one-batch-out: on the other
batches, the threshold whose dropped zeros most exceed ``WEIGHT`` times its dropped gold goals (at F1 about 0.8 a
lost true goal costs about 1.5 false ones, ``(2 - F1) / F1``), and adds up what that pick drops in the left-out
batch beyond today's decision. Goal-level counts, an approximation of the item scorer: a setting worth shipping
must then be scored by ``bench.goal_lobo`` (``KEEP`` settings) and the pooled batches.

``python -m bench.goal_sources`` after ``python -m bench.goal_lobo "all rows, veto only" …`` in the same
``POLICYLENS_DATA_DIR``.
"""
from __future__ import annotations

import os
import pickle
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from bench import goal_add, goal_items, goal_lobo
from nlp import goal_model, goals

THRESHOLDS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5)
WEIGHT = 1.5  # false goals one lost true goal is worth at F1 about 0.8


def rows(store: Path) -> list[dict[str, Any]]:
    """Each rule goal inside a labelled window: batch, source, held-out max clause probability, gold or not.

    An unsure goal the grammars drop anyway (:func:`nlp.goals.read_as_no_goal`) is marked ``nogo``: no
    threshold moves it."""
    _, lodo = pickle.loads(store.read_bytes())
    out = []
    for batch, labels in goal_lobo.BATCHES.items():
        items = goal_items.heldout_gold(labels)
        for name in sorted({g["doc"] for g in items}):
            c = goal_add._cache(name)
            if c["legal"] or name not in lodo:
                continue
            mine = [g for g in items if g["doc"] == name]
            inside = goals._scores_inside(lodo[name][0])
            text = c["document"].text
            for g, source in zip(c["text_goals"], goals.goal_sources(c["document"], c["text_goals"], c["skip"], None)):
                if not any(r["type"] == "region" and r["start"] < g.end and g.start < r["end"] for r in mine):
                    continue
                p = inside(g.start, g.end)
                out.append({"batch": batch, "source": source, "p": max(p) if p else None,
                            "gold": any(r["type"] == "goal" and r["start"] < g.end and g.start < r["end"] for r in mine),
                            "nogo": source == goals.UNSURE and goals.read_as_no_goal(text, g)})
    return out


def today(source: str) -> float:
    """The threshold the pipeline applies to a source now."""
    return goal_model.KEEP if source == goals.UNSURE else 0.0


def dropped(rs: list[dict[str, Any]], source: str, t: float) -> tuple[int, int]:
    """(zeros, gold goals) of ``source`` whose held-out probability is under ``t``."""
    low = [r for r in rs if r["source"] == source and r["p"] is not None and r["p"] < t and not r["nogo"]]
    return sum(not r["gold"] for r in low), sum(r["gold"] for r in low)


def pick(rs: list[dict[str, Any]], source: str) -> float:
    """The threshold (not below today's) with the best ``zeros - WEIGHT * gold`` over ``rs``; the lowest on ties."""
    def worth(t: float) -> tuple[float, float]:
        z, g = dropped(rs, source, t)
        return z - WEIGHT * g, -t
    return max((t for t in THRESHOLDS if t >= today(source)), key=worth)


def report(rs: list[dict[str, Any]]) -> None:
    sources = [goals.UNSURE, *goals.CERTAIN_SOURCES]
    print("source          gold  zero  | zeros/gold dropped at each threshold (whole pool)")
    for s in sources:
        mine = [r for r in rs if r["source"] == s]
        cells = " ".join(f"{t}:{'/'.join(map(str, dropped(rs, s, t)))}" for t in THRESHOLDS if t >= today(s))
        print(f"{s:15s} {sum(r['gold'] for r in mine):5d} {sum(not r['gold'] for r in mine):5d}  | {cells}")
    print("leave one batch out: each source's pick on the other batches, applied to the left-out one")
    batches = sorted({r["batch"] for r in rs})
    for s in sources:
        extra, picks = Counter(), Counter()
        for b in batches:
            rest, own = [r for r in rs if r["batch"] != b], [r for r in rs if r["batch"] == b]
            t = pick(rest, s)
            picks[t] += 1
            z, g = dropped(own, s, t)
            z0, g0 = dropped(own, s, today(s))
            extra["zeros"] += z - z0
            extra["gold"] += g - g0
        print(f"{s:15s} extra zeros dropped {extra['zeros']:3d}, extra gold dropped {extra['gold']:3d}; "
              f"picks {dict(sorted(picks.items()))}")


def main(argv: list[str]) -> int:
    store = Path(os.environ.get("POLICYLENS_DATA_DIR", "/tmp")) / "goal_lobo_all_rows_veto_only.pkl"
    if not store.exists():
        print(f"goal_sources: {store}: no stored fold probabilities; run python -m bench.goal_lobo "
              f"\"all rows, veto only\" in this data directory first", file=sys.stderr)
        return 2
    report(rows(store))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The goal proposer's frames and threshold, leave one batch out over the seen batches (:mod:`nlp.goal_propose`).

Why: a frame is worth shipping only when the goals it adds lift batches whose model never saw them, and work
reports must not fall. This reads the left-out clause probabilities that ``python -m bench.goal_lobo "all rows,
veto only"`` stored in the data directory (run it first, same data directory), so no model is fitted here:
each setting (frames used, threshold) adds the proposed clauses the left-out model gives at least the
threshold to that fold's goals at KEEP 0.1, and is scored as :mod:`bench.goal_lobo` scores (pooled, per batch,
per document kind). The blind batches (past ``goal_model.LAST_TRAINED_BATCH``) are never read.

``python -m bench.goal_propose [--sets="shipped;reported_plan:0.15+plan_lead:0.15;model_sure:0.5"]
[--kinds=news,…]`` prints the table of no proposer and of each setting (``shipped``: the frames file as it is;
else the named frames at the given thresholds, the others off); ``--kinds`` proposes only in those document
kinds. ``--misses`` lists every gold goal the pipeline without the proposer misses, whether a predicted goal
overlaps it (cut), only a vetoed rule goal (vetoed) or none, the first frame naming a clause of it (or ``-``)
and the left-out model's highest probability inside it, and counts them.
"""
from __future__ import annotations

import contextlib
import io
import os
import pickle
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from bench import goal_add, goal_items, goal_lobo
from nlp import goal_model, goal_propose, goals

STORE = "goal_lobo_all_rows_veto_only.pkl"
KIND: dict[str, str] = {}  # document kinds of the labelled batches (filled by grid)
Setting = tuple[goal_propose.Frame, ...] | None  # the frames used, with their thresholds (None: no proposer)


def _probas() -> dict[str, dict[str, Any]]:
    path = Path(os.environ.get("POLICYLENS_DATA_DIR", "/tmp")) / STORE
    if not path.exists():
        raise SystemExit(f"{path}: missing; run python -m bench.goal_lobo \"all rows, veto only\" "
                         "--settings=\"KEEP 0.1\" with this data directory first")
    lobo, _ = pickle.loads(path.read_bytes())
    return lobo


def proposals(name: str, setting: Setting = None) -> dict[tuple[int, int], goal_propose.Frame]:
    c = goal_add._cache(name)
    if c["legal"]:
        return {}
    return goal_propose.candidates(c["document"], c["text_goals"], c["skip"], setting)


def items(name: str, veto: list[tuple[int, int, int, float]], setting: Setting) -> list[dict[str, Any]]:
    """The fold's goal items of a document at KEEP 0.1, with the proposals of the setting's frames."""
    if setting is None or not veto or (KINDS and KIND.get(name) not in KINDS):
        return goal_lobo.items(name, veto, None, goal_model.KEEP, None)
    c = goal_add._cache(name)
    proposed = proposals(name, setting)

    def propose(kept: list[Any]) -> list[Any]:
        return goal_propose.proposed_goals(c["document"], veto, proposed, kept)

    return goal_lobo.items(name, veto, None, goal_model.KEEP, None, propose=propose)


def grid(settings: list[tuple[str, Setting]]) -> None:
    gold, _, kind, _ = goal_lobo.labelled()
    KIND.update(kind)
    lobo = _probas()
    scorer = goal_items._scorer()
    for title, setting in settings:
        print(f"frames {title}", flush=True)
        preds = {b: {d: items(d, p[0], setting) for d, p in ps.items()} for b, ps in lobo.items()}
        goal_lobo._report(scorer, "leave one batch out", gold, preds, kind)


def setting(text: str) -> Setting:
    """``shipped`` (the frames file as it is), ``none``, or ``name:threshold+name:threshold`` (the others off)."""
    shipped = goal_propose.frames()
    if text == "none":
        return None
    if text == "shipped":
        return shipped
    by_name = {f.name: f for f in shipped}
    chosen = dict(part.split(":") for part in text.split("+"))
    unknown = set(chosen) - set(by_name)
    if unknown:
        raise SystemExit(f"unknown frame {sorted(unknown)}; frames: {', '.join(by_name)}")
    return tuple(by_name[n]._replace(threshold=float(t)) for n, t in chosen.items())


def misses() -> None:
    """Every gold goal the base misses, with the frame that proposes a clause in it and the model's best p."""
    gold, _, kind, _ = goal_lobo.labelled()
    lobo = _probas()
    counts: Counter[tuple[str, str]] = Counter()
    for b, ps in lobo.items():
        preds = {d: items(d, p[0], None) for d, p in ps.items()}
        with contextlib.redirect_stdout(io.StringIO()):
            m = goal_items.goal_matches(gold[b], goal_items.clip_to_regions(gold[b], preds))
        for g in m.missed:
            d = g["doc"]
            inside = goals._scores_inside(ps[d][0])(g["start"], g["end"]) if d in ps else []
            every = tuple(f._replace(threshold=0.0) for f in goal_propose.frames() if f.pattern.pattern != ".")
            frame = next((f.name for (s, e), f in proposals(d, every).items() if s < g["end"] and g["start"] < e), "-")
            rule = _rule_cover(d, g, preds.get(d, []))
            p = max(inside, default=0)
            counts[(kind[d], rule, frame, "p>=0.5" if p >= 0.5 else "p<0.5")] += 1
            print(f"{b}\t{kind[d]}\t{rule}\t{frame}\t{p:.2f}\t{d[:30]}\t{g['text'][:70]}")
    print("\nmisses by kind, rule cover (cut: a predicted goal overlaps it; vetoed: only a vetoed rule goal"
          " does; none), frame and the left-out model's best p")
    for (k, r, f, p), n in sorted(counts.items()):
        print(f"  {k:44s} {r:7s} {f:16s} {p:7s} {n}")


def _rule_cover(name: str, g: dict[str, Any], predicted: list[dict[str, Any]]) -> str:
    def over(s: int, e: int) -> bool:
        return s < g["end"] and g["start"] < e
    if any(over(p["start"], p["end"]) for p in predicted):
        return "cut"
    return "vetoed" if any(over(r.start, r.end) for r in goal_add._cache(name)["text_goals"]) else "none"


def _option(name: str, default: str) -> str:
    return next((a.split("=", 1)[1] for a in sys.argv if a.startswith(f"--{name}=")), default)


KINDS = {k for k in _option("kinds", "").split(",") if k}  # --kinds=news: propose only in these document kinds


def main(argv: list[str]) -> int:
    if "--help" in argv:
        print(__doc__)
        return 0
    if "--misses" in argv:
        misses()
        return 0
    titles = ["none"] + [t for t in _option("sets", "shipped").split(";") if t]
    grid([(t, setting(t)) for t in titles])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

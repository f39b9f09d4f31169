"""How far two labellers of the same clauses agree on goals: the ceiling a goal extractor can reach.

A blind batch is labelled by one helper; every "miss" of the extractor is counted against that one
reading. When a second labeller, following the same written convention (``corpora/goals/README.md``),
labels the same clauses independently, their agreement says how much of a batch's error is the
labelling, not the extractor. Measured here:

- **clause level**: goal (``g``/``v``) or not per clause, as F1 of one labelling against the other
  (symmetric), and Cohen's kappa on goal/no-goal and on the three labels ``g``/``v``/``0``;
- **goal level**: each labelling turned into goal items exactly as :func:`bench.goal_items.heldout_gold`
  turns a batch into gold (a run of goal clauses of one sentence, cut per target and per numbered item),
  one scored against the other with the shared scorer, as the extractor is scored;
- **vagueness**: on goals both call goals, how often both say vague or both measurable (the scorer's
  ``vague_acc`` over matched goals), and on clauses both call goal clauses, ``g`` vs ``v``;

overall and per document kind. ``--list`` prints every clause the two disagree on with its sentence
and the goals only one labelling has; ``--pipeline`` scores the shipped extractor against each labelling.

    python -m bench.goal_agreement corpora/goals/clause_labels_batch20.jsonl corpora/goals/agreement/batch20_second.jsonl [--list] [--pipeline]
"""
from __future__ import annotations

import contextlib
import io
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from sklearn.metrics import cohen_kappa_score

from bench import goal_items
from nlp import goal_clauses, goal_model
from nlp.scoring import read_jsonl

Key = tuple[str, int, int]


class LabelMismatch(ValueError):
    """The two files do not label the same clauses, so no agreement can be read off them."""


def paired(first: Path, second: Path) -> list[tuple[dict[str, Any], str]]:
    """Records of ``first`` with the label ``second`` gives the same clause (doc, start, end).

    Both files must hold exactly the same clauses: a clause one labeller skipped would count as
    a disagreement on nothing.
    """
    a = {(r["doc"], r["start"], r["end"]): r for r in read_jsonl(first)}
    b = {(r["doc"], r["start"], r["end"]): r["label"] for r in read_jsonl(second)}
    if a.keys() != b.keys():
        only_a, only_b = sorted(a.keys() - b.keys()), sorted(b.keys() - a.keys())
        raise LabelMismatch(f"{first} and {second} label different clauses: {len(only_a)} only in the first "
                            f"(e.g. {only_a[:2]}), {len(only_b)} only in the second (e.g. {only_b[:2]})")
    return [(a[k], b[k]) for k in sorted(a)]


def _prf(tp: int, n_first: int, n_second: int) -> tuple[float | None, float | None, float | None]:
    """Precision of the second labelling against the first, recall, F1 (F1 is symmetric).

    None when neither labelling has a goal there: both agree, but there is nothing to score.
    """
    if not n_first and not n_second:
        return None, None, None
    p = tp / n_second if n_second else 0.0
    r = tp / n_first if n_first else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _kappa(x: list[str], y: list[str]) -> float | None:
    """Cohen's kappa; None when both labellers use one and the same label throughout (undefined)."""
    if len(set(x) | set(y)) < 2:
        return None
    return float(cohen_kappa_score(x, y))


def clause_scores(pairs: list[tuple[dict[str, Any], str]]) -> dict[str, Any]:
    """Clause-level agreement: goal F1, kappa (goal/no-goal and g/v/0), and g-vs-v on shared goal clauses."""
    first = [r["label"] for r, _ in pairs]
    second = [b for _, b in pairs]
    goal_a = [x != "0" for x in first]
    goal_b = [x != "0" for x in second]
    tp = sum(x and y for x, y in zip(goal_a, goal_b))
    p, r, f = _prf(tp, sum(goal_a), sum(goal_b))
    both = [(x, y) for x, y in zip(first, second) if x != "0" and y != "0"]
    return {"clauses": len(pairs), "goal_first": sum(goal_a), "goal_second": sum(goal_b), "goal_both": tp,
            "f1": f, "p": p, "r": r,
            "kappa_goal": _kappa(["1" if x else "0" for x in goal_a], ["1" if y else "0" for y in goal_b]),
            "kappa_gv0": _kappa(first, second),
            "vague_agree": sum(x == y for x, y in both) / len(both) if both else None}


def _items(path: Path) -> list[dict[str, Any]]:
    """A label file as goal items and regions, the way a batch becomes gold (reused, not copied)."""
    return goal_items.heldout_gold(("goals", str(path.resolve())))


def _goal_preds(other: list[dict[str, Any]], docs: set[str]) -> dict[str, list[dict[str, Any]]]:
    """``other``'s goals on ``docs`` as the scorer reads predictions."""
    preds: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for g in other:
        if g["doc"] in docs and g["type"] == "goal":
            preds[g["doc"]].append(g)
    return dict(preds)


def goal_scores(first: list[dict[str, Any]], second: list[dict[str, Any]], docs: set[str]) -> dict[str, Any]:
    """Goal-level agreement on ``docs``: the second labelling's goals scored against the first's by the shared scorer."""
    with contextlib.redirect_stdout(io.StringIO()):  # (it prints missed goals: goal_disagreements lists them)
        s = goal_items._scorer().score_goals([g for g in first if g["doc"] in docs], _goal_preds(second, docs))
    none = not s["gold"] and not s["pred"]
    return {"f1": None if none else s["detect_f1"], "p": None if none else s["detect_p"],
            "r": None if none else s["detect_r"], "goals_first": s["gold"],
            "goals_second": s["pred"], "vague_acc": s["vague_acc"] if s["gold"] and s["pred"] else None}


def report(first: Path, second: Path) -> dict[str, dict[str, Any]]:
    """Clause- and goal-level agreement, overall (key ``all``) and per document kind."""
    pairs = paired(first, second)
    items_a, items_b = _items(first), _items(second)
    kinds: dict[str, set[str]] = defaultdict(set)
    for r, _ in pairs:
        kinds[r["kind"]].add(r["doc"])
    groups = {"all": {r["doc"] for r, _ in pairs}, **kinds}
    return {name: {"clause": clause_scores([(r, b) for r, b in pairs if r["doc"] in docs]),
                   "goal": goal_scores(items_a, items_b, docs)}
            for name, docs in groups.items()}


def goal_disagreements(first: Path, second: Path) -> tuple[list[str], list[str]]:
    """Goals only the first labelling has, and goals only the second has: with the second's goals
    matched to the first's as the scorer matches (:func:`bench.goal_items.goal_matches`), the
    first's it misses and the second's that match none, all of them (the scorer prints 40 misses).
    As ``doc text`` lines, the text cut to 60 characters as the scorer shows a missed goal."""
    items_a, items_b = _items(first), _items(second)
    docs = {g["doc"] for g in items_a}
    match = goal_items.goal_matches(items_a, _goal_preds(items_b, docs))
    return [_line(g) for g in match.missed], [_line(g) for g in match.false]


def _line(goal: dict[str, Any]) -> str:
    return f"{goal['doc']} {goal.get('text', '')[:60]}"


def pipeline_scores(first: Path, second: Path) -> dict[str, dict[str, Any]]:
    """The shipped extractor scored against each labelling, as ``bench.goal_items`` scores a batch.

    How far the choice of labeller moves the extractor's number, next to how far the extractor is from either.
    """
    out = {}
    for name, path in (("first", first), ("second", second)):
        gold = _items(path)
        preds = goal_items.clip_to_regions(gold, goal_items.predictions(sorted({g["doc"] for g in gold}), True))
        with contextlib.redirect_stdout(io.StringIO()):
            out[name] = goal_items._scorer().score_goals(gold, preds)
    return out


def disagreements(first: Path, second: Path) -> list[tuple[dict[str, Any], str, str]]:
    """Every clause the two labellings label differently, with the sentence the clause cutter puts it in."""
    out = []
    sentences: dict[str, dict[tuple[int, int], str]] = {}
    for r, b in paired(first, second):
        if r["label"] == b:
            continue
        if r["doc"] not in sentences:
            sentences[r["doc"]] = _clause_sentences(goal_model.load_document(r["doc"]))
        out.append((r, b, sentences[r["doc"]][(r["start"], r["end"])]))
    return out


def _clause_sentences(document: Any) -> dict[tuple[int, int], str]:
    """Clause (start, end) -> the text of its sentence, as :func:`nlp.goal_model.document_clauses` cuts them."""
    text = document.text
    sents = goal_clauses.sentences(text, wrapped=document.format == "pdf")
    return {(s, e): text[sents[k][0]:sents[k][1]] for s, e, k in goal_model.document_clauses(document)}


def _fmt(v: Any) -> str:
    return "-" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)


def main(argv: list[str]) -> None:
    args = [a for a in argv if not a.startswith("--")]
    if len(args) != 2:
        print("usage: python -m bench.goal_agreement FIRST.jsonl SECOND.jsonl [--list] [--pipeline]", file=sys.stderr)
        raise SystemExit(2)
    first, second = Path(args[0]), Path(args[1])
    try:
        scores = report(first, second)
    except KeyError as err:  # heldout_gold looks each record up among its document's clauses
        print(f"goal_agreement: {first} or {second}: the span {err} is not a clause of its document", file=sys.stderr)
        raise SystemExit(1)
    except (ValueError, OSError) as err:  # LabelMismatch, a line that is no JSON, a missing file or document
        print(f"goal_agreement: {err}", file=sys.stderr)
        raise SystemExit(1)
    for name, s in scores.items():
        c, g = s["clause"], s["goal"]
        print(f"{name:46s} clause F1 {_fmt(c['f1'])} (goal clauses {c['goal_first']}/{c['goal_second']}, both "
              f"{c['goal_both']}) kappa {_fmt(c['kappa_goal'])} g/v/0 {_fmt(c['kappa_gv0'])} g=v {_fmt(c['vague_agree'])}"
              f" | goal F1 {_fmt(g['f1'])} P {_fmt(g['p'])} R {_fmt(g['r'])} ({g['goals_first']}/{g['goals_second']})"
              f" vague {_fmt(g['vague_acc'])}")
    if "--pipeline" in argv:
        for name, p in pipeline_scores(first, second).items():
            print(f"extractor against the {name} labelling: detect F1 {p['detect_f1']:.3f} P {p['detect_p']:.3f} "
                  f"R {p['detect_r']:.3f} (gold {p['gold']}, predicted {p['pred']})")
    if "--list" in argv:
        for r, b, sentence in disagreements(first, second):
            print(f"{r['doc']}\t{r['start']}\t{r['label']}->{b}\t{r['text']}\t|| {sentence}")
        only_first, only_second = goal_disagreements(first, second)
        print(*(f"goal only in the first: {m}" for m in only_first), sep="\n")
        print(*(f"goal only in the second: {m}" for m in only_second), sep="\n")


if __name__ == "__main__":
    main(sys.argv[1:])

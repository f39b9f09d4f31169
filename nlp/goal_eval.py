"""Precision and recall of running-text goals on a hand-labelled held-out sample.

The dev gold (``../shared/gold/goals_dev.jsonl``) is what the rules were
written against, so its numbers are optimistic. ``corpora/goals/labelled_heldout.jsonl``
holds passages of texts the rules were not written for (bench corpus: 2026
provincial work reports, a national work report, MOF fiscal reports), each
with the goals written out by hand *before* the rules were tuned on it.
Scored once before any change: P 0.662 / R 0.789 (tp=45 fp=23 fn=12). The
first change (exhortations need an outcome, cue vetoes, comments on targets)
came from dev errors and was only checked here (P 0.754 / R 0.807); the
second (targets after the cue's clause, baselines 从去年的…, year-on-year
statistics) was led by this sample's errors, so it is no longer strictly
unseen (P 0.897 / R 0.912). A fresh sample is the honest next measure.

Labelling guide (FORMAT.md "Goals", domain.md 2): a goal states what is to be
achieved -- a target clause (one goal per clause of a target list), or a
forward-looking sentence (要, 将, 必须, 确保, 力争 …) that names an outcome to
reach (确保…, 推动…保持…, 使/让…, 实现…, 争取更好结果). Not goals: what was
done (reports, a year's spending), forecasts (…将逐步增加), commentary on a
target (这一目标考虑了…), stance or conduct without an outcome (要坚持…,
必须增强忧患意识), topic lines (要永葆忠诚、笃信笃行), and cue-less task
sentences of a work report's task list. ``optional`` holds borderline cases:
predicting them or not neither helps nor hurts.

Matching follows the shared scorer for text files: a prediction matches a
label when their spans overlap by at least half of the shorter one
(one-to-one, largest overlaps first).
"""
from __future__ import annotations

import corpora
from ingest.document import Document, Page
from nlp import goals
from nlp.scoring import Score, read_jsonl

SAMPLE = ("goals", "labelled_heldout.jsonl")


def load_sample() -> list[dict]:
    return read_jsonl(corpora.path(*SAMPLE))


def _spans(text: str, strings: list[str]) -> list[tuple[int, int]]:
    """Offsets of labelled strings in the passage (each occurs once; the sample is checked by a test)."""
    return [(text.index(s), text.index(s) + len(s)) for s in strings]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Overlap when it covers at least half of the shorter span, else 0 (the shared scorer's rule)."""
    ov = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    shorter = min(a[1] - a[0], b[1] - b[0])
    return ov if shorter > 0 and ov * 2 >= shorter else 0


def _match(gold: list[tuple[int, int]], pred: list[tuple[int, int]]) -> tuple[set[int], set[int]]:
    """Greedy one-to-one matching, largest overlaps first: matched gold and prediction indexes."""
    pairs = sorted(((_overlap(g, p), i, j) for i, g in enumerate(gold) for j, p in enumerate(pred)),
                   reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    for ov, i, j in pairs:
        if ov and i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
    return used_g, used_p


def predict(text: str) -> list[tuple[int, int]]:
    """Goal spans the extractor finds in a passage (as a plain-text document of its own)."""
    doc = Document(id="p", source="p.txt", path="", format="text", title="", text=text,
                   pages=[Page(1, 0, len(text))])
    return [(g.start, g.end) for g in goals.extract(None, doc)]  # type: ignore[arg-type]


def evaluate() -> Score:
    """Detection score over the whole sample, with the errors for the report."""
    score = Score()
    for row in load_sample():
        text = row["text"]
        gold = _spans(text, row["goals"])
        optional = _spans(text, row.get("optional", []))
        pred = predict(text)
        used_g, used_p = _match(gold, pred)
        _, used_opt = _match(optional, [p for j, p in enumerate(pred) if j not in used_p])
        rest = [p for j, p in enumerate(pred) if j not in used_p]
        spurious = [p for k, p in enumerate(rest) if k not in used_opt]
        score.tp += len(used_g)
        score.fp += len(spurious)
        score.fn += len(gold) - len(used_g)
        score.spurious += [(row["id"], text[s:e]) for s, e in spurious]
        score.missed += [(row["id"], text[s:e]) for i, (s, e) in enumerate(gold) if i not in used_g]
    return score


def report(show_errors: bool = True) -> None:
    """Print goal detection precision/recall on the held-out sample."""
    n = len(load_sample())
    s = evaluate()
    print(f"目标评测 goal evaluation: corpora/{'/'.join(SAMPLE)} ({n} hand-labelled passages)")
    print(f"  goal detection precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}  "
          f"(tp={s.tp} fp={s.fp} fn={s.fn})")
    if show_errors:
        for rid, t in s.spurious:
            print(f"  [{rid}] spurious: {t[:80]}")
        for rid, t in s.missed:
            print(f"  [{rid}] missed: {t[:80]}")


if __name__ == "__main__":
    report()

"""Merge labelled clause pieces that the clause cutter no longer cuts (session 10, issue 11).

Why: until session 10 :mod:`nlp.goal_clauses` cut a clause at every ASCII comma and colon, so an
amount with a thousands separator (4,399万元) or a time (9:30) was labelled as two clauses, "…4"
and "399万元…". The cutter now keeps such a number whole, and a labelled row must name a clause
the cutter gives (``nlp.goal_model.document_rows`` finds rows by their span). This module rewrites
the clause-label files once: consecutive rows of one document that fall inside one new clause
become one row with the new clause's span and text (and a lone labelled piece of a new clause,
whose other piece was never labelled, is widened to the whole clause). The label is the pieces'
label when they agree; otherwise a label decided by reading (:data:`DECIDED`), or, for a blind
batch, mechanically the first piece's label, reported only as a count.

Run once: ``python -m bench.clause_merge corpora/goals/clause_labels.jsonl ...`` (``--blind``
before the paths of blind batches: only counts are printed, never a clause text).
"""
from __future__ import annotations

import bisect
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

# the clause marks before session 10, cutting inside numbers too: label batches 1-28 were drawn with them
CUT_IN_NUMBERS = re.compile(r"[，,：:]")

# (doc, start, end) of a merged clause whose pieces disagree -> the label decided by reading it
DECIDED: dict[tuple[str, int, int], str] = {
    # batch 27 (blind; read by the lead after the session's last rule change): a target-form row whose
    # amount 3,309,840.00 was cut; its third piece holds the year goal 按时发放村组干部报酬, labelled v
    ("budget2023_jingyan_mata_town_performance_targets.txt", 133, 237): "v",
}


@dataclass
class Outcome:
    """What the migration of one label file did."""

    rows: list[dict[str, Any]]
    merged: int = 0  # new rows made of more than one piece
    pieces: int = 0  # old rows those new rows replace
    widened: int = 0  # rows, the only labelled piece of their new clause, given the whole clause
    disagreements: list[dict[str, Any]] = field(default_factory=list)  # merged rows whose pieces disagree
    unmatched: int = 0  # rows inside no clause of the new cutter (left as they are)


def _containing(spans: list[tuple[int, int]], s: int, e: int) -> tuple[int, int] | None:
    """The clause of ``spans`` (sorted, disjoint) that holds ``s``-``e``."""
    k = bisect.bisect_right(spans, (s, float("inf"))) - 1
    return spans[k] if k >= 0 and spans[k][0] <= s and e <= spans[k][1] else None


def merge_rows(rows: list[dict[str, Any]], spans_of: Callable[[str], tuple[str, list[tuple[int, int]]]],
               decided: dict[tuple[str, int, int], str] | None = None) -> Outcome:
    """Rows in file order, with each run of consecutive rows of one document inside one new clause
    joined. ``spans_of(doc)`` gives the document's text and its new clause spans (sorted).
    """
    decided = DECIDED if decided is None else decided
    out = Outcome(rows=[])
    run: list[dict[str, Any]] = []
    run_span: tuple[str, int, int] | None = None
    cache: dict[str, tuple[str, list[tuple[int, int]]]] = {}

    def flush() -> None:
        if not run:
            return
        doc, s, e = run_span or ("", -1, -1)
        if run_span is None or (len(run) == 1 and (run[0]["start"], run[0]["end"]) == (s, e)):
            out.rows.extend(run)
        else:
            labels = [r.get("label", "") for r in run]
            label = labels[0]
            if len(set(labels)) > 1:
                label = decided.get(run_span, labels[0])
                out.disagreements.append({"doc": doc, "start": s, "end": e, "labels": labels, "label": label})
            if len(run) > 1:
                out.merged += 1
                out.pieces += len(run)
            else:
                out.widened += 1
            out.rows.append({**run[0], "start": s, "end": e, "label": label, "text": cache[doc][0][s:e]})
        run.clear()

    for r in rows:
        if r["doc"] not in cache:
            cache[r["doc"]] = spans_of(r["doc"])
        span = _containing(cache[r["doc"]][1], r["start"], r["end"])
        key = (r["doc"], *span) if span else None
        if key is None:
            out.unmatched += 1
        if key is None or key != run_span:
            flush()
            run_span = key
        run.append(r)
    flush()
    return out


def document_spans(name: str) -> tuple[str, list[tuple[int, int]]]:
    """The text of a labelled document and its clause spans as the current cutter gives them."""
    from nlp import goal_clauses, goal_model

    doc = goal_model.load_document(name)
    return doc.text, [(s, e) for s, e, _ in goal_clauses.clauses(doc.text, wrapped=doc.format == "pdf")]


def drawn_clauses(text: str, wrapped: bool) -> list[tuple[int, int, int]]:
    """The clauses of ``text`` as the cutter before session 10 gave them: an old batch is drawn again with them."""
    from nlp import goal_clauses

    return goal_clauses.clauses(text, wrapped, ends=CUT_IN_NUMBERS)


def migrated(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` (labelled or drawn with :func:`drawn_clauses`) as this migration turns them."""
    return merge_rows(rows, document_spans).rows


def migrate(path: Path, blind: bool) -> Outcome:
    """Rewrite one label file in place; print what changed (only counts for a blind batch)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    outcome = merge_rows(rows, document_spans)
    if outcome.merged or outcome.widened:
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in outcome.rows), encoding="utf-8")
    print(f"{path.name}: {len(rows)} -> {len(outcome.rows)} rows; {outcome.merged} merged from {outcome.pieces} pieces;"
          f" {outcome.widened} widened; {len(outcome.disagreements)} disagree; {outcome.unmatched} in no clause")
    if not blind:
        for d in outcome.disagreements:
            print(f"  {d['doc']} {d['start']}-{d['end']} {d['labels']} -> {d['label']}")
    return outcome


def main(argv: list[str]) -> int:
    blind = False
    for arg in argv:
        if arg == "--blind":
            blind = True
            continue
        path = Path(arg)
        if not path.is_file():
            print(f"{arg}: no such label file", file=sys.stderr)
            return 2
        migrate(path, blind)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""How the labelled batches cut a ；-separated call: one goal, or one goal per item.

Why: the rules keep an exhortation's ；-list whole (``goals._at_semicolons``: no goal cue in its first
item), as the dev gold's one meeting call does, while the blind labellers of batches 31-32 split such
calls item by item. The convention is settled by counting, not by taste: every labelled sentence (to 。)
of two or more ；-items, each fully labelled and at least one a goal, that is no target list
(``goals.in_target_list``: those are cut per target by both sides), is read as

* ``per item``: two or more of its items are goals (each is then a goal of its own, as
  ``bench.goal_items`` builds gold: a run of goal clauses ends at ；);
* ``one``: exactly one item is a goal (the call counted once: the labeller took its head or its end).

and split by whether the rules keep it whole (``whole``: no goal cue in the first item) or cut it.

``python -m bench.goal_semicalls [BATCH ...]`` (default: batches 1-36 and kinds12; batch names as
``bench.goal_items`` spells them) prints the counts per batch and kind; ``--show`` prints each call.
The blind batches past 36 are refused.
"""
from __future__ import annotations

import sys
from collections import Counter, defaultdict
from typing import Any

from nlp import goal_model, goals

LAST_OPEN_BATCH = 36  # batches after this one are blind yardsticks: never read here
FULL_STOP = ("。", "！", "？", "!", "?")
SEMI = ("；", ";")


def batch_files(names: list[str]) -> dict[str, tuple[str, str]]:
    """Label files of the named batches (``b1``, ``b3``, ``b4`` … ``b36``, ``kinds12``)."""
    files: dict[str, tuple[str, str]] = {"b1": goal_model.LABELS, "b3": goal_model.TEST_LABELS}
    files.update({f"b{n}": ("goals", f"clause_labels_batch{n}.jsonl") for n in range(4, LAST_OPEN_BATCH + 1)})
    files["kinds12"] = ("goals", "clause_labels_kinds12.jsonl")
    if not names:
        return files
    unknown = [n for n in names if n not in files]
    if unknown:
        raise SystemExit(f"not an open batch: {', '.join(unknown)} (open: b1, b3, b4-b{LAST_OPEN_BATCH}, kinds12)")
    return {n: files[n] for n in names}


def calls(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ；-calls of one document's labelled rows: each a list of items, each item its labels."""
    document = goal_model.load_document(rows[0]["doc"])
    text = document.text
    cls = goal_model.document_clauses(document)
    label = {(r["start"], r["end"]): r["label"] for r in rows}
    out: list[dict[str, Any]] = []
    sentence: list[list[int]] = [[]]  # items (clause numbers) of the sentence being read
    for n, (s, e, _) in enumerate(cls):
        sentence[-1].append(n)
        clause = text[s:e].rstrip()
        if clause.endswith(SEMI):
            sentence.append([])
        elif clause.endswith(FULL_STOP) or n == len(cls) - 1 or "\n" in text[e:cls[n + 1][0]]:
            items = [i for i in sentence if i]
            sentence = [[]]
            if len(items) < 2 or not all((cls[i][0], cls[i][1]) in label for item in items for i in item):
                continue
            flags = [any(label[(cls[i][0], cls[i][1])] != "0" for i in item) for item in items]
            if not any(flags) or goals.in_target_list(text, cls, items[0][0]):
                continue
            head = text[cls[items[0][0]][0]:cls[items[0][-1]][1]]
            whole = goals._cue(head, "goal_cues") is None and goals._cue(head, "goal_cues_strong") is None
            spans = [(cls[item[0]][0], cls[item[-1]][1]) for item in items]
            out.append({"doc": rows[0]["doc"], "kind": rows[0]["kind"], "items": len(items), "goals": sum(flags),
                        "whole": whole, "flags": flags, "tests": [item_test(text, span) for span in spans],
                        "text": text[cls[items[0][0]][0]:cls[items[-1][-1]][1]]})
    return out


def item_test(text: str, span: tuple[int, int]) -> str:
    """How the rules read one item of a call: ``own`` (a goal of its own, :func:`nlp.goals.call_items`),
    ``outcome`` (only an outcome word, no cue of its own: 巧攻城乡建设，提升城市品位) or ``none`` (means only)."""
    if goals.call_items(text, [span]):
        return "own"
    return "outcome" if goals._cues()["outcome_words"].first(text[span[0]:span[1]]) else "none"


def count(files: dict[str, tuple[str, str]], show: bool = False
          ) -> tuple[Counter[tuple[str, str, str, str]], Counter[tuple[str, str, str]]]:
    """(batch, kind, rules' cut, labels' cut) -> number of calls; (kind, item test, label) -> number of items."""
    tally: Counter[tuple[str, str, str, str]] = Counter()
    items: Counter[tuple[str, str, str]] = Counter()
    for batch, which in files.items():
        by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in goal_model.load_labels(which):
            by_doc[r["doc"]].append(r)
        for rows in by_doc.values():
            for c in calls(rows):
                cut = "per item" if c["goals"] >= 2 else "one"
                tally[(batch, c["kind"], "whole" if c["whole"] else "cut", cut)] += 1
                for test, flag in zip(c["tests"], c["flags"]):
                    items[(c["kind"], test, "goal" if flag else "0")] += 1
                if show:
                    marks = "".join("g" if f else "0" for f in c["flags"])
                    print(f"{batch}\t{c['kind']}\t{'whole' if c['whole'] else 'cut'}\t{marks}\t{c['text'][:150]}")
    return tally, items


def main(argv: list[str]) -> None:
    show = "--show" in argv
    tally, items = count(batch_files([a for a in argv if not a.startswith("--")]), show)
    for group, key in (("batch", 0), ("kind", 1)):
        table: dict[str, Counter[str]] = defaultdict(Counter)
        for k, n in tally.items():
            table[k[key]][f"{k[2]} {k[3]}"] += n
        print(f"by {group}: whole one / whole per item / cut one / cut per item")
        for name in table:
            t = table[name]
            print(f"  {name:45s} {t['whole one']:3d} {t['whole per item']:3d} {t['cut one']:3d} {t['cut per item']:3d}")
    total: Counter[str] = Counter()
    for k, n in tally.items():
        total[f"{k[2]} {k[3]}"] += n
    print("all:", dict(total))
    print("items of the calls, by the rules' test (own / outcome / none) and label: goal - 0")
    for kind in sorted({k[0] for k in items}):
        print(f"  {kind:45s}", "  ".join(f"{t} {items[(kind, t, 'goal')]}-{items[(kind, t, '0')]}"
                                          for t in ("own", "outcome", "none")))


if __name__ == "__main__":
    main(sys.argv[1:])

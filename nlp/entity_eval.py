"""Precision and recall of ``org`` and ``policy_ref`` on a hand-labelled sample.

The sample, ``corpora/entities/labelled_*.jsonl``, holds short passages (from
the samples, the bench corpus, adapted or written by hand -- ``source`` says
which) with every organisation and policy reference written out by hand.
``labelled_entities.jsonl`` is the development sample (the rules were improved
while looking at its errors, so its numbers are optimistic);
``labelled_heldout.jsonl`` was written afterwards and scored once before any
change (org P 0.765 / R 0.765, policy_ref P 1.000 / R 1.000); its errors then
led to general vocabulary fixes (厅 variants, 政府投资 compounds, 国家税务总局
+ local office), so it is no longer strictly unseen. A fresh sample is the
honest next measure.
Labelling guide: an org is a named government, party or mass organisation
(as written, short forms included) or a role standing for one (第三方机构);
a policy_ref is a 《title》 (with its 关于印发...的通知 wrapper when written
outside the brackets) or a document number. A prediction is correct when its
text equals a labelled string not yet matched (exact span text, multiset).
"""
from __future__ import annotations

from collections import Counter

import corpora
from ingest.document import Document
from nlp.entities import analyse_text
from nlp.scoring import Score, read_jsonl

TYPES = ("org", "policy_ref")


def labelled_files() -> list[str]:
    return sorted(f.name for f in corpora.path("entities").glob("labelled_*.jsonl"))


def load_labelled(name: str | None = None) -> list[dict]:
    rows = []
    for f in sorted(corpora.path("entities").glob(name or "labelled_*.jsonl")):
        rows += read_jsonl(f)
    return rows


def evaluate(name: str | None = None) -> tuple[dict[str, Score], list[tuple[str, str, list[str], list[str]]]]:
    """Scores per type and the (id, type, missed, spurious) errors (one file or all)."""
    scores = {t: Score() for t in TYPES}
    errors = []
    for row in load_labelled(name):
        doc = Document(id=row["id"], source=f"{row['id']}.txt", path="", format="text",
                       title="", text=row["text"])
        items = analyse_text(doc).items
        for t in TYPES:
            pred = Counter(i.text for i in items if i.type == t)
            gold = Counter(row.get(t, []))
            tp = sum((pred & gold).values())
            scores[t].tp += tp
            scores[t].fp += sum(pred.values()) - tp
            scores[t].fn += sum(gold.values()) - tp
            missed, spurious = list((gold - pred).elements()), list((pred - gold).elements())
            if missed or spurious:
                errors.append((row["id"], t, missed, spurious))
    return scores, errors


def report(show_errors: bool = True) -> None:
    """Print precision/recall of org and policy_ref on the labelled sample."""
    for name in labelled_files():
        scores, errors = evaluate(name)
        n = len(load_labelled(name))
        print(f"实体评测 entity evaluation: corpora/entities/{name} ({n} hand-labelled passages)")
        for t, s in scores.items():
            print(f"  {t:11s} precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}  "
                  f"(tp={s.tp} fp={s.fp} fn={s.fn})")
        if show_errors:
            for rid, t, missed, spurious in errors:
                print(f"  [{rid}] {t}: missed {missed} spurious {spurious}")


if __name__ == "__main__":
    report()

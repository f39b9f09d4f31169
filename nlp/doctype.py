"""Document type classifier (scikit-learn): news, policy, budget, goal_table,
self_evaluation, evaluation_report, work_report, law.

Trained on the labelled excerpts in ``corpora/doctype/`` (``examples.jsonl``
built from the bench corpus and samples, ``handwritten.jsonl`` written for the
types public corpora lack). Training takes well under a second, so the model is
trained on first use in each process from repo data and cached in memory:
nothing is downloaded and there is no binary model file to go stale.

Character 1-3 grams: Chinese needs no segmentation for this, and the cue
words (本报讯, 第一条, 一级指标, 自评, 评价报告, 各位代表) are short.
``report()`` prints stratified, source-grouped cross-validated accuracy (chunks of
one source document never sit on both sides of a split).
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import Pipeline, make_pipeline

import corpora

LABELS = ("news", "policy", "budget", "goal_table", "self_evaluation", "evaluation_report",
          "work_report", "law")
EXAMPLE_FILES = (("doctype", "examples.jsonl"), ("doctype", "handwritten.jsonl"))
HEAD_CHARS = 1500  # the head of a document says what it is


@dataclass
class Example:
    label: str
    text: str
    source: str


def load_examples() -> list[Example]:
    out = []
    for parts in EXAMPLE_FILES:
        for line in corpora.path(*parts).read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if row["label"] not in LABELS:
                    raise ValueError(f"{'/'.join(parts)}: unknown label {row['label']!r}")
                out.append(Example(row["label"], row["text"], row.get("source", "")))
    return out


def _new_model() -> Pipeline:
    return make_pipeline(
        TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=1,
                        max_features=60000),
        # logistic loss by SGD: same model family as LogisticRegression, but trains in
        # a fraction of a second (lbfgs took ~5 s), which every new process pays once
        SGDClassifier(loss="log_loss", alpha=1e-4, class_weight="balanced", max_iter=50,
                      tol=None, random_state=0),
    )


@functools.lru_cache(maxsize=1)
def model() -> Pipeline:
    """The classifier, trained once per process from repo data."""
    ex = load_examples()
    m = _new_model()
    m.fit([e.text[:HEAD_CHARS] for e in ex], [e.label for e in ex])
    return m


def classify(text: str, title: str = "") -> tuple[str, float]:
    """(document type, probability) for a document's head."""
    if not text.strip() and not title.strip():
        return "", 0.0
    m = model()
    probs = m.predict_proba([(title + "\n" + text)[:HEAD_CHARS]])[0]
    i = int(probs.argmax())
    return str(m.classes_[i]), float(probs[i])


def cross_validate(folds: int = 5) -> dict[str, object]:
    """Grouped stratified k-fold accuracy over the labelled examples."""
    from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict

    ex = load_examples()
    X = [e.text[:HEAD_CHARS] for e in ex]
    y = [e.label for e in ex]
    groups = [e.source for e in ex]
    cv = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=0)
    pred = cross_val_predict(_new_model(), X, y, groups=groups, cv=cv)
    per: dict[str, list[int]] = {}
    for t, p in zip(y, pred):
        per.setdefault(t, [0, 0])
        per[t][0] += int(t == p)
        per[t][1] += 1
    acc = sum(int(t == p) for t, p in zip(y, pred)) / len(y)
    return {"accuracy": acc, "n": len(y), "folds": folds,
            "per_label": {k: v[0] / v[1] for k, v in sorted(per.items())},
            "support": {k: v[1] for k, v in sorted(per.items())}}


def report() -> dict[str, object]:
    """Print (and return) the cross-validated accuracy of the document-type classifier."""
    r = cross_validate()
    print(f"文档类型分类 document-type classifier: {r['folds']}-fold grouped CV accuracy "
          f"{r['accuracy']:.3f} on {r['n']} labelled examples")
    for label, acc in r["per_label"].items():  # type: ignore[union-attr]
        print(f"  {label:18s} {acc:.3f}  (n={r['support'][label]})")  # type: ignore[index]
    return r


if __name__ == "__main__":
    report()

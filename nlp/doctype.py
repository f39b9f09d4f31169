"""Document type classifier (scikit-learn) over the types of
``corpora/doctype/types.tsv`` (部门预算, 单位预算, 决算, 绩效目标表, 自评, 评价报告,
财政收支, 政策, 法规, 政府工作报告, 信息公开年报, 新闻).

Trained on the labelled excerpts in ``corpora/doctype/`` (``examples.jsonl``
built from the bench corpus and samples -- never from the documents of the
labelled metadata samples --, ``handwritten.jsonl`` written for the types
public corpora lack). Training takes well under a second, so the model is
trained on first use in each process from repo data and cached in memory:
nothing is downloaded and there is no binary model file to go stale.

Features: character 1-3 grams (Chinese needs no segmentation for this, and the
cue words 本报讯, 第一条, 一级指标, 自评, 各位代表 are short) plus the type the
strong title and cover rules give (``nlp.metadata.stated_type``), one-hot.
The analysis uses the rules' type directly when they fire and the model
otherwise; ``report()`` prints both under cross-validation grouped by issuer
(every work report of one premier, every fiscal report of one year, every
chunk of one document sit on one side of a split), not random folds.
"""
from __future__ import annotations

import functools
import json
from collections import Counter
from dataclasses import dataclass

import re

import numpy
from scipy import sparse
from scipy.special import expit
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline

import corpora
from nlp import metadata

LABELS = tuple(metadata.doc_types())
RULE_WEIGHT = 2.0  # a rule's one-hot feature against the (unit-length) n-gram vector
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


class RuleFeatures(BaseEstimator, TransformerMixin):
    """One-hot of the type the title and cover rules state (all zero when none)."""

    def fit(self, X: list[str], y: object = None) -> "RuleFeatures":
        return self

    def transform(self, X: list[str]) -> sparse.csr_matrix:
        out = numpy.zeros((len(X), len(LABELS)))
        for i, text in enumerate(X):
            ev = metadata.stated_type(text)
            if ev is not None and ev.value in LABELS:
                out[i, LABELS.index(str(ev.value))] = RULE_WEIGHT
        return sparse.csr_matrix(out)


def _new_model() -> Pipeline:
    return make_pipeline(
        FeatureUnion([
            ("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True,
                                      min_df=1, max_features=60000)),
            ("rules", RuleFeatures()),
        ]),
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
    probs = probabilities(m, (title + "\n" + text)[:HEAD_CHARS])
    i = int(probs.argmax())
    return str(m.classes_[i]), float(probs[i])


_WHITE_SPACES = re.compile(r"\s\s+")  # TfidfVectorizer's own (runs of white space become one)


def features(m: Pipeline, head: str) -> sparse.csr_matrix:
    """The model's feature row of one head: ``m[:-1].transform([head])``, the
    same matrix, without a Python step per n-gram (the character 1-3 grams are
    counted by ``Counter`` over slices built in C and looked up in the
    vocabulary in one call) and without the feature union's per-call machinery."""
    union: FeatureUnion = m.steps[0][1]
    (_, tfidf), (_, rules) = union.transformer_list
    vocabulary = tfidf.vocabulary_
    text = _WHITE_SPACES.sub(" ", head.lower())
    grams = Counter(text)
    two = list(map(str.__add__, text, text[1:]))
    grams.update(two)
    grams.update(map(str.__add__, two, text[2:]))
    known = list(grams.keys() & vocabulary.keys())
    columns = numpy.array([vocabulary[g] for g in known], dtype=numpy.int32)
    counts = numpy.array([grams[g] for g in known], dtype=tfidf.dtype)
    order = numpy.argsort(columns)
    row = sparse.csr_matrix((counts[order], columns[order], numpy.array([0, len(known)])),
                            shape=(1, len(vocabulary)), dtype=tfidf.dtype)
    return sparse.hstack([tfidf._tfidf.transform(row, copy=False), rules.transform([head])]).tocsr()


@functools.lru_cache(maxsize=1)
def _weights(m: Pipeline) -> tuple[numpy.ndarray, numpy.ndarray]:
    """The classifier's coefficients, transposed into one contiguous array once
    (``decision_function`` copied the transposed view, 6 MB, on every call)."""
    clf: SGDClassifier = m.steps[-1][1]
    return numpy.ascontiguousarray(clf.coef_.T), clf.intercept_


def probabilities(m: Pipeline, head: str) -> numpy.ndarray:
    """``m.predict_proba([head])[0]``, the same numbers: the classifier's
    one-vs-rest logistic probabilities, normalised to sum to one."""
    coef_t, intercept = _weights(m)
    prob = expit(features(m, head) @ coef_t + intercept)[0]
    total = prob.sum()
    if total == 0:
        return numpy.full_like(prob, 1 / len(prob))
    return prob / total


def issuer_group(source: str) -> str:
    """The issuer an example comes from, for grouped folds: one premier's national
    work reports (gwr_national_1985_zhaoziyang -> zhaoziyang), one province's, one
    year of fiscal reports, one sample or hand-written document."""
    name = source.split(":", 1)[-1].split("#")[0]
    m = re.match(r"gwr_national_\d{4}_([a-z]+)", name)
    if m:
        return "national:" + m.group(1)
    m = re.match(r"mof_t(\d{4})", name)
    if m:
        return "mof:" + m.group(1)
    m = re.match(r"gwr\d{4}_([a-z]+)", name)
    return "province:" + m.group(1) if m else source.split("#")[0]


def cross_validate(folds: int = 5) -> dict[str, object]:
    """Accuracy of the model, and of the analysis' decision (rules first, then
    the model), in stratified k-fold cross-validation grouped by issuer."""
    import warnings

    from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict

    ex = load_examples()
    X = [e.text[:HEAD_CHARS] for e in ex]
    y = [e.label for e in ex]
    groups = [issuer_group(e.source) for e in ex]
    cv = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=0)
    with warnings.catch_warnings():  # some types have fewer issuers than folds
        warnings.simplefilter("ignore", UserWarning)
        pred = cross_val_predict(_new_model(), X, y, groups=groups, cv=cv)
    stated = [metadata.stated_type(x) for x in X]
    decided = [str(s.value) if s is not None else p for s, p in zip(stated, pred)]
    per: dict[str, list[int]] = {}
    for t, p, d in zip(y, pred, decided):
        per.setdefault(t, [0, 0, 0])
        per[t][0] += int(t == p)
        per[t][1] += int(t == d)
        per[t][2] += 1
    acc = sum(int(t == p) for t, p in zip(y, pred)) / len(y)
    dec = sum(int(t == d) for t, d in zip(y, decided)) / len(y)
    return {"accuracy": acc, "decision_accuracy": dec, "n": len(y), "folds": folds,
            "groups": len(set(groups)),
            "per_label": {k: v[0] / v[2] for k, v in sorted(per.items())},
            "per_label_decision": {k: v[1] / v[2] for k, v in sorted(per.items())},
            "support": {k: v[2] for k, v in sorted(per.items())}}


def report() -> dict[str, object]:
    """Print (and return) the cross-validated accuracy of the document-type classifier."""
    r = cross_validate()
    print(f"文档类型分类 document-type classifier: {r['folds']}-fold CV grouped by issuer "
          f"({r['groups']} issuers), {r['n']} labelled examples: model accuracy "
          f"{r['accuracy']:.3f}, rules then model {r['decision_accuracy']:.3f}")
    for label, acc in r["per_label"].items():  # type: ignore[union-attr]
        print(f"  {label:18s} model {acc:.3f}  rules+model "
              f"{r['per_label_decision'][label]:.3f}  (n={r['support'][label]})")  # type: ignore[index]
    return r


if __name__ == "__main__":
    report()

"""A second-stage goal model that reads each clause in its context (session 9).

Why: the clause model of :mod:`nlp.goal_model` scores a clause from its own words, its
sentence's cue flags and its two neighbours' flags; in the pipeline it can only veto an unsure
rule goal. Many errors are about context (a run of targets, a review paragraph, a plan frame
far above), and two kinds of error it cannot touch at all: a false goal the rules are certain
of, and a goal no rule proposes. This model is *stacked* on the clause model: its features are
the clause model's probabilities of the clause and of the clauses around it (the neighbours,
the sentence, the paragraph, the section), the rules' decision of the clause and its
neighbours (certain goal / unsure goal / no goal / vetoed), the section frame and the distance
to the last plan or review marker, the document kind and the clause's place in its sentence.

Fitting (``bench/goal_ctx.py``, :func:`fit_rows`): the clause model's probabilities of the
training documents are computed out of fold (grouped by document), so the second stage never
sees in-sample first-stage scores. The parameters (a logistic regression over a handful of
numbers) ship as data (``corpora/goals/clause_context.json``); nothing is fitted at run time.
:func:`features` is the one function that computes the second stage's inputs, in training and
at run time.
"""
from __future__ import annotations

import bisect
import functools
import math
from typing import Any, Sequence

import corpora

STATES = ("certain", "unsure", "none", "vetoed")  # the rules' decision of a clause (:func:`states`)
PARAMS = ("goals", "clause_context.json")
Clause = tuple[int, int, int]  # start, end, sentence number


def states(cls: Sequence[Clause], probs: Sequence[float], certain: Sequence[tuple[int, int]],
           unsure: Sequence[tuple[int, int]], keep: float) -> list[str]:
    """The rules' decision of each clause: inside a certain rule goal, an unsure one the clause
    model keeps (one of its clauses at ``keep`` or more), an unsure one it vetoes, or none.

    ``certain`` / ``unsure``: the spans of the rule goals of each sort. A clause is inside a goal
    when at least half of it is covered (as the clause model's ``rule`` flag reads it).
    """
    starts = [s for s, _, _ in cls]
    out = ["none"] * len(cls)
    for spans, sure in ((unsure, False), (certain, True)):  # certain last: it wins where both cover
        for a, b in spans:
            inside = list(_covered(cls, starts, a, b))
            if not inside:
                continue
            state = "certain" if sure else ("unsure" if max(probs[n] for n in inside) >= keep else "vetoed")
            for n in inside:
                out[n] = state
    return out


def _covered(cls: Sequence[Clause], starts: list[int], a: int, b: int) -> list[int]:
    lo = max(0, bisect.bisect_right(starts, a) - 1)
    hi = bisect.bisect_left(starts, b)
    return [n for n in range(lo, hi) if 2 * (min(b, cls[n][1]) - max(a, cls[n][0])) >= max(1, cls[n][1] - cls[n][0])]


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p)) / 8.0


def _group_stats(ids: Sequence[int], probs: Sequence[float]) -> tuple[list[float], list[float]]:
    """Per clause: the max and mean of the other clauses' probabilities in its group (0 when alone)."""
    members: dict[int, list[int]] = {}
    for n, g in enumerate(ids):
        members.setdefault(g, []).append(n)
    best, mean = [0.0] * len(ids), [0.0] * len(ids)
    for ns in members.values():
        if len(ns) < 2:
            continue
        ps = [probs[n] for n in ns]
        total = sum(ps)
        top = sorted(ps, reverse=True)[:2]
        for n in ns:
            best[n] = top[1] if probs[n] == top[0] else top[0]
            mean[n] = (total - probs[n]) / (len(ns) - 1)
    return best, mean


def features(text: str, cls: Sequence[Clause], probs: Sequence[float], rule_states: Sequence[str],
             sections: Sequence[str], kind: str, sentences: Sequence[tuple[int, int]]) -> list[dict[str, float]]:
    """The second stage's inputs of each clause (the running-text clauses of a document, in order).

    ``probs``: the clause model's probabilities; ``rule_states``: :func:`states`; ``sections``:
    the section kind of each clause (plan / review / next / none, as the rules read them);
    ``kind``: the document type; ``sentences``: the document's sentences (the clauses' third
    field indexes them).
    """
    from nlp import goal_model, goals

    paras = [ps for ps, _, _ in goals._layout(text)]
    para = [bisect.bisect_right(paras, s) - 1 for s, _, _ in cls]
    section_run = list(_runs(sections))
    marks = _marks(text, sentences)
    sent_stats = _group_stats([k for _, _, k in cls], probs)
    para_stats = _group_stats(para, probs)
    sect_stats = _group_stats(section_run, probs)
    place = _places(cls)
    out = []
    for n, (s, e, k) in enumerate(cls):
        f: dict[str, float] = {"p": probs[n], "logit": _logit(probs[n]), f"kind_{kind}": 1.0,
                               f"section_{sections[n]}": 1.0, f"state_{rule_states[n]}": 1.0}
        for d in (-2, -1, 1, 2):
            m = n + d
            side = f"{'prev' if d < 0 else 'next'}{abs(d)}"
            if 0 <= m < len(cls):
                f[f"{side}_p"] = probs[m]
                f[f"{side}_{rule_states[m]}"] = 1.0
                f[f"{side}_same_sentence"] = 1.0 if cls[m][2] == k else 0.0
                f[f"{side}_same_para"] = 1.0 if para[m] == para[n] else 0.0
            else:
                f[f"{side}_absent"] = 1.0
        for name, (best, mean) in (("sent", sent_stats), ("para", para_stats), ("sect", sect_stats)):
            f[f"{name}_max"] = best[n]
            f[f"{name}_mean"] = mean[n]
        last_plan, last_review = marks[k]
        f["plan_dist"] = min(k - last_plan, 30) / 30.0 if last_plan >= 0 else 1.0
        f["review_dist"] = min(k - last_review, 30) / 30.0 if last_review >= 0 else 1.0
        f["plan_nearer"] = 1.0 if last_plan > last_review else 0.0
        index, count = place[n]
        f[f"place_{min(index, 3)}"] = 1.0
        f["last_in_sentence"] = 1.0 if index == count - 1 else 0.0
        f["short"] = 1.0 if e - s < 6 else 0.0
        f["enum"] = 1.0 if goal_model.ENUM.match(text[s:e]) else 0.0
        out.append(f)
    return out


def document_features(document: Any, cls: Sequence[Clause], probs: Sequence[float],
                      certain: Sequence[tuple[int, int]], unsure: Sequence[tuple[int, int]], kind: str,
                      keep: float) -> list[dict[str, float]]:
    """:func:`features` of a document's running-text clauses ``cls`` (in order) with their clause-model
    ``probs``: the one path from a Document to the second stage's inputs, for training
    (``bench/goal_ctx.py``) and at run time (:func:`nlp.goals.decide`).

    ``certain`` / ``unsure``: spans of the rule goals the rules are sure of / the model may veto;
    ``kind``: the document type the clause model read (its ``kind_`` flag).
    """
    from nlp import goal_clauses, goal_model

    text = document.text
    sections = goal_model._section_kinds(text, list(cls), set(range(len(cls))))
    sents = goal_clauses.sentences(text, wrapped=document.format == "pdf")
    return features(text, cls, probs, states(cls, probs, certain, unsure, keep),
                    [sections[n] for n in range(len(cls))], kind, sents)


def _runs(sections: Sequence[str]):
    """A number per clause, the same for consecutive clauses of one section kind."""
    run, last = -1, None
    for s in sections:
        if s != last:
            run, last = run + 1, s
        yield run


def _marks(text: str, sentences: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Per sentence: the last sentence at or before it that marks a plan / a review (-1: none),
    read as the clause model reads its section flags (a short or enumerated sentence with a marker)."""
    from nlp import goal_model

    plan = review = -1
    out = []
    for k, (ss, se) in enumerate(sentences):
        sentence = text[ss:se]
        if len(sentence) <= 30 or goal_model.ENUM.match(sentence):
            if goal_model.PLAN_MARK.search(sentence):
                plan = k
            elif goal_model.REVIEW_MARK.search(sentence):
                review = k
        out.append((plan, review))
    return out


def _places(cls: Sequence[Clause]) -> list[tuple[int, int]]:
    """(index in its sentence, clauses of the sentence in the list) of each clause."""
    count: dict[int, int] = {}
    index = []
    for _, _, k in cls:
        index.append(count.get(k, 0))
        count[k] = count.get(k, 0) + 1
    return [(i, count[k]) for i, (_, _, k) in zip(index, cls)]


# ---- the model ------------------------------------------------------------------------


def pipeline() -> Any:
    """A logistic regression over the context features (few, dense numbers: no scaling needed)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline([("vec", DictVectorizer()), ("clf", LogisticRegression(C=1.0, max_iter=2000))])


def export(clf: Any, thresholds: dict[str, float], trained_on: str) -> dict[str, Any]:
    """The fitted second stage as data: feature names, coefficients, intercept and thresholds."""
    vec, lr = clf.named_steps["vec"], clf.named_steps["clf"]
    return {"about": "goal context model (nlp/goal_context.py): logistic regression over the clause model's "
                     "out-of-fold probabilities in context; written by `python -m bench.goal_ctx export`",
            "trained_on": trained_on, "thresholds": thresholds,
            "weights": {name: float(f"{w:.12g}") for name, w in zip(vec.feature_names_, lr.coef_[0])},
            "intercept": float(f"{lr.intercept_[0]:.12g}")}


@functools.lru_cache(maxsize=1)
def params() -> dict[str, Any] | None:
    """The shipped parameters, or None when there are none (the pipeline then decides as before)."""
    import json

    p = corpora.path(*PARAMS)
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else None


def score(rows: Sequence[dict[str, float]], data: dict[str, Any]) -> list[float]:
    """The second stage's probability of each feature row under the parameters ``data``."""
    w, b = data["weights"], data["intercept"]
    get = w.get
    out = []
    for f in rows:  # a plain loop, not sum() over a generator: every clause of a document comes here
        total = 0.0
        for k, v in f.items():
            x = get(k)
            if x is not None:
                total += v * x
        z = b + total
        out.append(1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0)
    return out

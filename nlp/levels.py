"""一级/二级 classifier for indicators that come without their levels.

Why a model: indicators stated in text, or tables without level columns, still
need a place in the framework (产出/效益/满意度, 数量/质量/时效/成本 ...) for the
per-department summaries. Indicator names are short and their level shows in
character patterns (…率, …满意度, …次数, …成本), so a character n-gram TF-IDF
with a linear classifier (SVM) is enough and trains in well under a second.

Training data is versioned repo data, never downloaded:
- ``corpora/indicators/harvested_rows.tsv``: rows harvested from the indicator
  tables of the documents in ``corpora/samples`` (``python -m nlp.levels harvest``);
- ``corpora/indicators/framework_rows.tsv``: hand-written public-style rows
  following the official framework (domain.md 1.1).

The model predicts the 二级; the 一级 follows from ``levels.tsv``. It is trained
at first use in the process and cached for the process' lifetime.

``python -m nlp.levels report`` (and ``make eval``) prints cross-validated accuracy.
"""
from __future__ import annotations

import functools
import sys
import threading
from pathlib import Path

import corpora

HARVESTED = ("indicators", "harvested_rows.tsv")
FRAMEWORK = ("indicators", "framework_rows.tsv")
LIBRARY = ("indicators", "library_rows.tsv")  # library-style rows, issue 11
REAL = ("indicators", "real_rows.tsv")  # rows of real tables on public pages, grouped by document
SOURCES = (HARVESTED, FRAMEWORK, LIBRARY, REAL)
_lock = threading.Lock()
NGRAMS = (1, 2)  # 1-3-grams scored lower by leave-one-source-out on the training rows (0.703 vs 0.718)


def load_rows() -> list[tuple[str, str, str]]:
    """(name, 一级, 二级) training rows from the repo's data files."""
    return [r[:3] for r in load_grouped_rows()]


def load_grouped_rows() -> list[tuple[str, str, str, str]]:
    """(name, 一级, 二级, group): the group is the source document, or the file for hand-written rows."""
    rows = []
    for parts in SOURCES:
        if not corpora.path(*parts).exists():
            continue
        for line in corpora.read_lines(*parts):
            cols = line.split("\t")
            if len(cols) >= 3 and cols[0] and cols[2]:
                group = cols[3] if len(cols) > 3 and cols[3] else parts[1]
                rows.append((cols[0], cols[1], cols[2], group))
    return rows


def grouped_accuracy() -> dict[str, tuple[int, float, float]]:
    """Leave-one-document-out: per group (rows, 一级 accuracy, 二级 accuracy), trained on the others.

    Rows of one document share wording (one unit writes all its tables), so a
    row-level k-fold flatters the model; this is the number for a new document.
    """
    from nlp.tables import parent_of

    rows = load_grouped_rows()
    out: dict[str, tuple[int, float, float]] = {}
    for group in sorted({r[3] for r in rows}):
        train = [r for r in rows if r[3] != group]
        test = [r for r in rows if r[3] == group]
        clf = _pipeline()
        clf.fit([r[0] for r in train], [r[2] for r in train])
        pred = clf.predict([r[0] for r in test])
        acc2 = sum(p == r[2] for p, r in zip(pred, test)) / len(test)
        acc1 = sum(parent_of(p) == r[1] for p, r in zip(pred, test)) / len(test)
        out[group] = (len(test), acc1, acc2)
    return out


def _pipeline():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    # a linear SVM trains in milliseconds; lbfgs logistic regression took seconds
    # on these many sparse features, for no better cross-validated accuracy
    return make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True),
        LinearSVC(C=1.0, random_state=0),  # liblinear shuffles: the same model in every process
    )


@functools.lru_cache(maxsize=1)
def model():
    """The trained classifier (trained once per process from repo data)."""
    rows = load_rows()
    clf = _pipeline()
    clf.fit([r[0] for r in rows], [r[2] for r in rows])
    return clf


def predict(name: str, level1: str = "") -> tuple[str, str]:
    """(一级, 二级) for an indicator name; with a known 一级, the 二级 is one of its children.

    Why the 一级: tables that give only the 一级 (or a text that names it) leave a
    choice among 2-4 二级 instead of 13, which is where most confusions are
    (数量/质量 … never 质量/社会效益 under 产出指标).
    """
    from nlp.tables import parent_of

    with _lock:
        clf = model()
        scores = clf.decision_function([name])[0]
    classes = [str(c) for c in clf.classes_]
    allowed = [i for i, c in enumerate(classes) if parent_of(c) == level1] if level1 else []
    best = max(allowed or range(len(classes)), key=lambda i: scores[i])
    level2 = classes[best]
    return level1 if allowed else (parent_of(level2) or ""), level2


def cross_validated_accuracy(folds: int = 5) -> dict[str, float]:
    """Stratified k-fold accuracy of the 二级 prediction and of the derived 一级."""
    from sklearn.model_selection import KFold, StratifiedKFold, cross_val_predict

    from nlp.tables import parent_of

    rows = load_rows()
    X = [r[0] for r in rows]
    y = [r[2] for r in rows]
    counts: dict[str, int] = {}
    for label in y:
        counts[label] = counts.get(label, 0) + 1
    # classes with fewer rows than folds (社会成本指标 …) cannot be stratified: plain shuffled folds
    k = folds
    cv = (StratifiedKFold(k, shuffle=True, random_state=0) if min(counts.values()) >= k
          else KFold(k, shuffle=True, random_state=0))
    pred = cross_val_predict(_pipeline(), X, y, cv=cv)
    acc2 = sum(p == t for p, t in zip(pred, y)) / len(y)
    acc1 = sum(parent_of(p) == r[1] for p, r in zip(pred, rows)) / len(y)
    return {"rows": float(len(rows)), "folds": float(k), "level2_acc": acc2, "level1_acc": acc1}


def report() -> None:
    """Print the cross-validated accuracy (called by ``api/evaluate.py``)."""
    r = cross_validated_accuracy()
    print(f"levels: rows={int(r['rows'])} folds={int(r['folds'])} "
          f"level1_acc={r['level1_acc']:.3f} level2_acc={r['level2_acc']:.3f}", flush=True)
    grouped = grouped_accuracy()
    for group, (n, acc1, acc2) in grouped.items():
        print(f"levels held-out document {group}: rows={n} level1_acc={acc1:.3f} level2_acc={acc2:.3f}",
              flush=True)
    total = sum(n for n, _, _ in grouped.values())
    print(f"levels grouped by document (leave one source out): groups={len(grouped)} rows={total} "
          f"level1_acc={sum(n * a for n, a, _ in grouped.values()) / total:.3f} "
          f"level2_acc={sum(n * a for n, _, a in grouped.values()) / total:.3f} "
          f"level2_acc_mean_per_group={sum(a for _, _, a in grouped.values()) / len(grouped):.3f}", flush=True)


def harvest(paths: list[Path]) -> list[tuple[str, str, str, str]]:
    """(name, 一级, 二级, source) of every table row with its levels, from ``paths``."""
    from ingest.document import IngestError
    from ingest.readers import read
    from nlp.tables import parse_tables

    out = []
    for p in paths:
        try:
            doc = read(p)
        except IngestError as err:
            print(f"skip {err}", file=sys.stderr)
            continue
        for row in parse_tables(doc.tables).indicators:
            if row.level1 and row.level2:
                out.append((row.name.replace("\t", " "), row.level1, row.level2, doc.source))
    return out


def _write_harvest(paths: list[Path]) -> None:
    rows = harvest(paths)
    lines = ["# Indicator rows harvested from the tables of corpora/samples by",
             "# `python -m nlp.levels harvest` (name, 一级, 二级, source document)."]
    seen = set()
    for r in rows:
        if r[0] not in seen:
            seen.add(r[0])
            lines.append("\t".join(r))
    corpora.path(*HARVESTED).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"harvested {len(seen)} rows -> {corpora.path(*HARVESTED)}")


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "report"
    if cmd == "harvest":
        targets = [Path(a) for a in sys.argv[2:]] or sorted(corpora.path("samples").glob("*"))
        _write_harvest([p for p in targets if p.is_file()])
    else:
        report()

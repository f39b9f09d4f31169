"""Indicator tables scored on a held-out sample of tables the rules were not written for.

The dev gold has indicator tables from two documents, both of which the table rules
were built on. ``corpora/indicators/heldout_tables.jsonl`` holds 16 tables labelled
by hand from FORMAT.md and domain.md *before* any rule was changed on them: 13 real
tables (performance-target and self-evaluation forms of 2012-2023 from government
web pages and a public repository, 154 rows; ``source`` names each) and 3 layouts
written for the sample (指标性质 | 指标值 | 度量单位 continued over a page without
its header, 指标方向 | 计量单位, a spreadsheet form; 28 rows). The files read are
rendered from them by ``corpora/indicators/build_heldout.py`` as PDF, .docx and
.xlsx, so the real readers, column roles and target parsing are measured.

Labelling choices where FORMAT.md is silent: a level cell that is a synonym of a
framework level is labelled with the framework name (项目产出 -> 产出指标, 产出数量
-> 数量指标, 环境效益 -> 生态效益指标); one that is not (预算绩效, 预算管理, 项目决策)
as written; a 二级 satisfaction level takes 满意度指标 as its 一级 even where the
table's merged 一级 cell spans it; a unit written in the name's brackets when the
value has none (实施营造林总面积(亩) | 80000) is the unit; 是/否 targets, empty
targets and periods (2023.07-2024.01) have no value.

Reported: name P/R/F1 (same document, same name after removing white space);
comparator, value, unit, 一级 and 二级 accuracy on matched rows; the same per
document; and the 二级 classifier (``nlp.levels``, names only, as for rows without
level columns) on the rows whose 二级 is a framework level, leave one document out
(``python -m nlp.levels report`` adds targets, table decoding and the blind set).
"""
from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import corpora

SAMPLE = ("indicators", "heldout_tables.jsonl")
# a second batch of 6 real tables (47 rows), labelled blind after the rules were changed on the first
SAMPLE_2 = ("indicators", "heldout_tables_2.jsonl")
FIELDS = ("comparator", "value", "unit", "level1", "level2")


def squash(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def load(samples: tuple[tuple[str, str], ...] = (SAMPLE, SAMPLE_2)) -> list[dict]:
    """The labelled tables of ``samples`` (both batches by default; the second batch's lines carry
    ``"batch": 2``), one dict per document."""
    return [json.loads(line) for sample in samples
            for line in corpora.path(*sample).read_text(encoding="utf-8").splitlines() if line.strip()]


def summary_line(label: str, s: "Score", fields: tuple[str, ...] = FIELDS) -> str:
    """One pooled score line: name P/R/F1 and the accuracy of each of ``fields`` on matched rows."""
    p, r, f = s.prf()
    return (f"{label}: gold={s.gold} pred={s.pred} name P={p:.3f} R={r:.3f} F1={f:.3f} "
            + " ".join(f"{k}_acc={s.acc(k):.3f}" for k in fields))


def files_dir() -> Path:
    return corpora.path("indicators", "heldout")


@dataclass
class Score:
    gold: int = 0
    pred: int = 0
    tp: int = 0
    right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    errors: list[str] = field(default_factory=list)

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / self.pred if self.pred else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def acc(self, fld: str) -> float:
        return self.right[fld] / self.tp if self.tp else 0.0

    def add(self, other: "Score") -> None:
        self.gold += other.gold
        self.pred += other.pred
        self.tp += other.tp
        for k, v in other.right.items():
            self.right[k] += v
        self.errors += other.errors


def _same(fld: str, want: object, got: object) -> bool:
    if fld == "value":
        if want is None or got is None:
            return want is None and got is None
        return math.isclose(float(want), float(got), rel_tol=1e-6)  # type: ignore[arg-type]
    return (want or "") == (got or "")


def score_doc(d: dict) -> Score:
    from ingest.readers import read
    from nlp import indicators

    document = read(files_dir() / d["doc"])
    items = indicators.extract(None, document)  # type: ignore[arg-type]
    s = Score(gold=len(d["gold"]), pred=len(items))
    pred: dict[str, list] = {}  # a name a table prints twice (under two levels) is two rows
    for it in items:
        pred.setdefault(squash(it.name), []).append(it)
    for g in d["gold"]:
        same = pred.get(squash(g["name"])) or [None]
        it = same.pop(0)
        if it is None:
            s.errors.append(f"{d['doc']}: missed {g['name']}")
            continue
        s.tp += 1
        for fld in FIELDS:
            got = getattr(it, fld)
            if _same(fld, g[fld], got):
                s.right[fld] += 1
            else:
                s.errors.append(f"{d['doc']}: {g['name']} {fld} want {g[fld]!r} got {got!r}")
        if document.format == "pdf":
            s.right["page"] += int(it.page == g["page"])
    for name, left in pred.items():
        s.errors += [f"{d['doc']}: spurious {name}"] * len(left)
    return s


def framework_level2() -> set[str]:
    from nlp.levels import framework_level2 as known

    return known()


def level_scores(docs: list[dict], given_level1: bool = False) -> dict[str, tuple[int, float, float]]:
    """Per document (rows, 一级 accuracy, 二级 accuracy) of the level classifier on the names,
    trained without the document (its rows are training data otherwise); with ``given_level1``,
    the labelled 一级 is given, as when a table has only that column."""
    from nlp import levels

    wanted = {d["doc"] for d in docs}
    tables = [(doc, rows) for doc, rows in levels.table_documents() if doc in wanted]
    mode = "name+一级" if given_level1 else "name"
    return levels.document_scores(tables, modes=(mode,))[mode]


def report(show_errors: bool = False) -> None:
    """Print the held-out table scores (called by ``api/evaluate.py``)."""
    docs = load()
    total, real, blind = Score(), Score(), Score()
    for d in docs:
        s = score_doc(d)
        total.add(s)
        if d.get("batch") == 2:
            blind.add(s)
        elif not d.get("synthetic"):
            real.add(s)
        p, r, f = s.prf()
        print(f"indicators held-out {d['doc']}: gold={s.gold} pred={s.pred} name_f1={f:.3f} "
              + " ".join(f"{k}={s.acc(k):.2f}" for k in FIELDS), flush=True)
    for label, s in (("all", total), ("batch 1 real", real), ("batch 2 blind", blind)):
        print(summary_line(f"indicators held-out {label}", s), flush=True)
    from nlp import levels

    # leave one document out: every labelled table is training data for the others
    for given, label in ((False, "names"), (True, "names and their 一级")):
        n_docs, n, micro1, micro2, macro2 = levels.summary(level_scores(docs, given))
        print(f"levels on held-out {label}: docs={n_docs} rows={n} level1_acc={micro1:.3f} "
              f"level2_acc={micro2:.3f} level2_acc_mean_per_doc={macro2:.3f}", flush=True)
    if show_errors:
        for e in total.errors:
            print("  ", e)


if __name__ == "__main__":
    import sys

    report(show_errors="-v" in sys.argv)

"""Where the training labels of goal clauses disagree with each other, found by program (session 17, goalaudit17).

Why: a clause model trained on labels that contradict each other cannot learn the line, and rules fitted to
one batch's side of a contradiction lose on the next. This reads the training label files only (batches 1-36
and the named training batches of :data:`nlp.goal_model.TRAINING_SETS`; never a blind batch) and prints

* ``twins``: the same sentence (its text with punctuation removed) labelled in two places -- the same document
  drawn into two batches, or two copies of one text -- whose clauses' goal/no-goal labels differ: a direct
  contradiction, no context can explain it;
* ``frames``: clauses with the same frame once numbers are masked and quoted names replaced (``#``, ``“N”``),
  at least 6 characters, labelled goal in one place and ``0`` in another; and clauses whose character bigrams
  (numbers masked) overlap with Jaccard >= 0.7 across such a label difference, joined into clusters. Most
  of these are explained by context (a target in a plan vs the same figure in a review, a stance clause
  inside a goal sentence that names an outcome vs alone); they are listed to be read, not relabelled blindly;
* ``families``: the label conventions later sessions named as disagreeing, each a pattern over the clause,
  counted goal vs ``0`` per file.

``python -m bench.goal_label_audit [twins|frames|families|all]`` prints them (default ``all``).
``python -m bench.goal_label_audit apply`` applies ``corpora/goals/label_audit17.tsv`` (batch, row key
``doc@start-end``, text cut to 40 characters, old, new, family) to the label files: every row's old label must
match the file (or its new label already be there), so the change is reviewable and revertible
(``apply --revert`` writes the old labels back).
"""
from __future__ import annotations

import collections
import json
import re
import sys
from pathlib import Path
from typing import Any

import corpora
from nlp import goal_model

AUDIT = ("goals", "label_audit17.tsv")

# The named families (pattern over the clause text; the kind filter is a substring of the record's kind).
FAMILIES: dict[str, tuple[str, str]] = {
    "plan figure (年度/当年计划(完成)投资)": (r"(当年|年度|今年|本年度?)[^，。；]{0,3}计划(完成)?(投资|开工)", ""),
    "project total (总投资 + amount)": (r"^总投资[0-9.]+[万亿]?元", ""),
    "number inside a name (N分钟…圈, 千亿斤…行动, N期)": (r"\d+分钟[^，。；]{0,6}圈|千亿斤|[一二三四]期(工程|项目|建设)?", ""),
    "锚定": (r"锚定|錨定", ""),
    "基本 + outcome (基本实现/建成/完成/平衡/同步…)": (r"基本(实现|完成|建成|形成|消除|解决|达到|稳定|平衡|同步)", ""),
}
# A short item head standing as its own sentence (一是夯实整改责任。 / 二是坚持分类施策，提升整改质效。 / 要细化推进措施。),
# counted by sentence: at most 16 characters without punctuation, an item mark or 要 first, ending on 。.
HEAD = re.compile(r"^(?:[一二三四五六七八九十][是要]|要)")
HEAD_FAMILY = "item head standing alone (一是夯实整改责任。; 要细化推进措施。)"


def label_files() -> list[tuple[str, str]]:
    return [labels for labels, _ in goal_model.TRAINING_SETS]


def batch_name(labels: tuple[str, str]) -> str:
    name = labels[1].removeprefix("clause_labels").removesuffix(".jsonl").lstrip("_")
    return {"": "b1-2", "test": "b3"}.get(name, name.replace("batch", "b"))


def rows() -> list[dict[str, Any]]:
    out = []
    for labels in label_files():
        for r in goal_model.load_labels(labels):
            out.append({**r, "batch": batch_name(labels), "file": labels})
    return out


def sentences(rs: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Consecutive clauses of one file and document, cut after 。！？：, before an item mark (一是…: the first item
    after 主要有以下三个方面： is a sentence of its own), or at a gap in the text."""
    out: list[list[dict[str, Any]]] = []
    cur: list[dict[str, Any]] = []
    for r in rs:
        if cur and (cur[-1]["file"] != r["file"] or cur[-1]["doc"] != r["doc"] or r["start"] - cur[-1]["end"] > 3
                    or ITEM.match(r["text"])):
            out.append(cur)
            cur = []
        cur.append(r)
        if re.search(r"[。！？：:]$", r["text"]):
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def is_goal(r: dict[str, Any]) -> bool:
    return r["label"] != "0"


ITEM = re.compile(r"(?:[一二三四五六七八九十]+是|第[一二三四五六七八九十]+[，、])")
_PUNCT = re.compile(r"[，。；、：！？\s“”‘’（）()\-—●■◆,;:!?]")
_NUM = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")


def shown(s: list[dict[str, Any]], width: int = 240) -> str:
    return "".join(f"[{r['label']}]{r['text']}" for r in s)[:width]


def twins(rs: list[dict[str, Any]]) -> list[list[list[dict[str, Any]]]]:
    """Sentences with the same text labelled more than once whose goal/no-goal vectors differ."""
    by: dict[str, list[list[dict[str, Any]]]] = collections.defaultdict(list)
    for s in sentences(rs):
        text = _PUNCT.sub("", "".join(r["text"] for r in s))
        if len(text) >= 8:
            by[text].append(s)
    out = []
    for group in by.values():
        if len({len(s) for s in group}) == 1 and len({tuple(map(is_goal, s)) for s in group}) > 1:
            out.append(group)
        elif len({any(map(is_goal, s)) for s in group}) > 1:  # cut differently and goal in one only
            out.append(group)
    return out


def spans(rs: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The same clause of the same document (doc, start, end) in two files with different goal/no-goal labels:
    a window that ends inside a sentence is not a twin sentence but still the same clause labelled twice."""
    by: dict[tuple[str, int, int], list[dict[str, Any]]] = collections.defaultdict(list)
    for r in rs:
        by[(r["doc"], r["start"], r["end"])].append(r)
    return [g for g in by.values() if len({is_goal(r) for r in g}) > 1]


def frames(rs: list[dict[str, Any]]) -> tuple[list[list[dict[str, Any]]], list[list[dict[str, Any]]]]:
    """(same masked frame, mixed labels) groups and bigram-Jaccard >= 0.7 clusters across a label difference."""
    def mask(t: str) -> str:
        return _PUNCT.sub("", re.sub(r"“[^”]*”", "“N”", _NUM.sub("#", t)))

    by: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for r in rs:
        m = mask(r["text"])
        if len(m) >= 6:
            by[m].append(r)
    same = [g for g in by.values() if len({is_goal(r) for r in g}) > 1]

    grams = []
    for r in rs:
        t = _PUNCT.sub("", _NUM.sub("#", r["text"]))
        grams.append({t[i:i + 2] for i in range(len(t) - 1)} if len(t) >= 8 else set())
    df = collections.Counter(b for g in grams for b in g)
    index: dict[str, list[int]] = collections.defaultdict(list)
    for i, g in enumerate(grams):
        for b in g:
            if df[b] <= 400:
                index[b].append(i)
    parent = list(range(len(rs)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    linked = set()
    for i, g in enumerate(grams):
        if not g:
            continue
        shared = collections.Counter(j for b in g if df[b] <= 400 for j in index[b] if j > i)
        for j in shared:
            if is_goal(rs[i]) != is_goal(rs[j]) and len(g & grams[j]) / len(g | grams[j]) >= 0.7:
                parent[root(i)] = root(j)
                linked.update((i, j))
    clusters: dict[int, list[dict[str, Any]]] = collections.defaultdict(list)
    for i in sorted(linked):
        clusters[root(i)].append(rs[i])
    return same, sorted(clusters.values(), key=len, reverse=True)


def families(rs: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for name, (pattern, kind) in FAMILIES.items():
        rx = re.compile(pattern)
        out[name] = [r for r in rs if rx.search(r["text"]) and kind in r["kind"]]
    out[HEAD_FAMILY] = [r for s in sentences(rs) if is_head(s) for r in s]
    return out


def is_head(s: list[dict[str, Any]]) -> bool:
    text = "".join(r["text"] for r in s)
    return bool(HEAD.match(text)) and text.endswith("。") and len(_PUNCT.sub("", text)) <= 16


def _report(what: str) -> None:
    rs = rows()
    print(f"{len(rs)} labelled clauses in {len(label_files())} training files "
          f"({sum(map(is_goal, rs))} goal clauses)")
    if what in ("twins", "all"):
        found = twins(rs)
        print(f"\n== twins: {len(found)} sentences labelled twice with different goal/no-goal labels")
        for group in found:
            for s in group:
                print(f"  {s[0]['batch']:7} {s[0]['doc'][:36]:36} {s[0]['start']:6} {shown(s)}")
            print()
        same = spans(rs)
        print(f"== spans: {len(same)} clauses of one document labelled in two files with different labels")
        for g in same:
            print("  " + " | ".join(f"{r['batch']} {r['doc'][:30]} {r['start']} [{r['label']}] {r['text'][:30]}"
                                    for r in g))
    if what in ("frames", "all"):
        same, clusters = frames(rs)
        print(f"== frames: {len(same)} masked frames with mixed labels ({sum(map(len, same))} clauses, "
              f"{sum(sum(map(is_goal, g)) for g in same)} goal); {len(clusters)} Jaccard>=0.7 clusters "
              f"({sum(map(len, clusters))} clauses)")
        for g in sorted(same, key=len, reverse=True):
            print(f"  {len(g):3} clauses, {sum(map(is_goal, g)):3} goal | {g[0]['text'][:30]} | " + " ".join(
                f"{r['batch']}:{r['doc'][:14]}:{r['label']}" for r in g[:5]))
    if what in ("families", "all"):
        print("\n== families (clauses goal / 0; per file)")
        for name, fam in families(rs).items():
            per = collections.Counter((r["batch"], is_goal(r)) for r in fam)
            batches = sorted({b for b, _ in per}, key=lambda b: (len(b), b))
            print(f"  {name}: {sum(map(is_goal, fam))} goal / {sum(not is_goal(r) for r in fam)} `0` | " + ", ".join(
                f"{b} {per[(b, True)]}/{per[(b, False)]}" for b in batches))


def _row_key(r: dict[str, Any]) -> str:
    return f"{r['doc']}@{r['start']}-{r['end']}"


def read_audit() -> list[dict[str, str]]:
    lines = corpora.path(*AUDIT).read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    return [dict(zip(head, line.split("\t"))) for line in lines[1:] if line.strip() and not line.startswith("#")]


def unapplied() -> list[dict[str, str]]:
    """Audit rows whose label file does not hold the new label (empty once ``apply`` ran)."""
    labels = {(r["batch"], _row_key(r)): r for r in rows()}
    return [a for a in read_audit() if (r := labels.get((a["batch"], a["key"]))) is None
            or r["label"] != a["new"] or not r["text"].startswith(a["text"])]


def apply(revert: bool = False) -> int:
    """Write the audit file's new (or, reverting, old) labels into the label files; returns rows changed."""
    by_file = {batch_name(labels): labels for labels in label_files()}
    changes: dict[str, dict[str, dict[str, str]]] = collections.defaultdict(dict)
    for a in read_audit():
        changes[a["batch"]][a["key"]] = a
    changed = 0
    for batch, rows_ in changes.items():
        path = Path(corpora.path(*by_file[batch]))
        lines = path.read_text(encoding="utf-8").splitlines()
        out, seen = [], set()
        for line in lines:
            r = json.loads(line)
            a = rows_.get(_row_key(r))
            if a is not None:
                seen.add(a["key"])
                want, was = (a["old"], a["new"]) if revert else (a["new"], a["old"])
                if r["label"] not in (want, was):
                    raise ValueError(f"{batch} {a['key']}: label {r['label']}, audit says {was} -> {want}")
                if not r["text"].startswith(a["text"]):
                    raise ValueError(f"{batch} {a['key']}: text {r['text'][:40]} != {a['text']}")
                if r["label"] != want:
                    r["label"] = want
                    changed += 1
                line = json.dumps(r, ensure_ascii=False)
            out.append(line)
        missing = set(rows_) - seen
        if missing:
            raise ValueError(f"{batch}: audit rows not found: {sorted(missing)[:3]}")
        path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return changed


def main(argv: list[str]) -> None:
    if argv[:1] == ["apply"]:
        print(f"{apply(revert='--revert' in argv)} labels changed")
        return
    _report(argv[0] if argv else "all")


if __name__ == "__main__":
    main(sys.argv[1:])

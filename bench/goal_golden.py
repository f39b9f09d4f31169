"""Goal extraction's full output over real documents, to prove a rewrite changes nothing.

``python -m bench.goal_golden write FILE`` writes, per document, the goals of the whole
pipeline (``analyse``), of :func:`nlp.goals.extract` without a Doc (with and without the
clause model) and, for the labelled documents, the clause model's features and probability
of every clause; ``python -m bench.goal_golden check FILE`` computes the same and prints
every difference (exit 1 when there is one); ``python -m bench.goal_golden words`` compares
the clause words read from the pipeline's Doc with jieba on each clause; ``python -m
bench.goal_golden snapshot`` writes ``tests/fixtures/goal_snapshot.json`` (four sample
documents, checked by ``tests/test_goal_snapshot.py``) after an intended change of goal output. Documents: the dev corpus, every document of the
labelled clause batches (``corpora/goals/clause_labels*.jsonl``) and every ``STEP``-th bench
text (``BENCH_GOLDEN_STEP``, 4).
"""
from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path
from typing import Any, Iterator

SHARED = Path(os.environ.get("POLICYLENS_SHARED", "/work/shared"))
STEP = int(os.environ.get("BENCH_GOLDEN_STEP", "4"))


def documents() -> tuple[list[str], set[str]]:
    """Names of the documents (read with ``goal_model.load_document``) and the labelled ones among them."""
    import corpora

    labelled: set[str] = set()
    for p in sorted(corpora.path("goals").glob("clause_labels*.jsonl")):
        labelled |= {json.loads(line)["doc"] for line in p.read_text(encoding="utf-8").splitlines() if line.strip()}
    dev = sorted(p.name for p in (SHARED / "corpus").iterdir() if p.suffix in (".txt", ".md", ".pdf"))
    bench = sorted(p.name for p in (SHARED / "bench-corpus").glob("*.txt"))[::STEP]
    names = list(dict.fromkeys(dev + sorted(labelled) + bench))
    return names, labelled


def _goal(g: Any) -> dict[str, Any]:
    d = dataclasses.asdict(g)
    d.pop("context", None)  # filled in by the pipeline's context step, not by goal finding
    return d


def records(names: list[str], labelled: set[str]) -> Iterator[dict[str, Any]]:
    from nlp import goal_model, goals
    from nlp.pipeline import analyse, warm_up

    warm_up()
    for name in names:
        document = goal_model.load_document(name)
        out: dict[str, Any] = {"doc": name}
        out["pipeline"] = [_goal(i) for i in analyse(document).items if i.type == "goal"]
        out["rules"] = [_goal(g) for g in goals.extract(None, document, use_model=False)]  # type: ignore[arg-type]
        out["model"] = [_goal(g) for g in goals.extract(None, document)]  # type: ignore[arg-type]
        if name in labelled:
            cls, recs = goal_model.features(document, goal_model.rule_spans(document))
            out["features"] = [[*c, r] for c, r in zip(cls, recs)]
            out["proba"] = [repr(p) for *_, p in goal_model.predict(document, goal_model.rule_spans(document))]
        yield out


def words_check(names: list[str]) -> int:
    """Clause words from the pipeline's cut of the whole document against jieba on each clause.

    The clause model reads its words from the Doc (``goal_model.Known``); this proves, clause by
    clause, that they are the words the model was trained with (``goal_model._words``).
    """
    from nlp import goal_model, goals
    from nlp.pipeline import make_doc, warm_up

    warm_up()
    bad = total = 0
    for name in names:
        document = goal_model.load_document(name)
        if len(document.text) > 1_000_000:
            continue  # analysed in pieces; each piece is its own Doc
        known = goals.known_of(make_doc(document), document)
        cls = goal_model.document_clauses(document)
        everything = set(range(len(cls)))
        mine = goal_model._clause_words(document.text, cls, everything, known.tokens if known else None)
        cut = goal_model._clause_words(document.text, cls, everything, None)
        total += len(cls)
        for n, (a, b) in enumerate(zip(mine, cut)):
            if a != b:
                bad += 1
                print(f"DIFF {name} clause {cls[n]}: {a!r} != {b!r}")
    print(f"{len(names)} documents, {total} clauses, {bad} differ")
    return 1 if bad else 0


SNAPSHOT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "goal_snapshot.json"
SNAPSHOT_DOCS = ("gwr_national_2017.txt", "gwr2026_guizhou.txt", "leling_budget_performance_2019.txt",
                 "yantai_daily_budget_performance_2023.txt")  # in corpora/samples


def data_fingerprint() -> str:
    """SHA-256 of the data goal finding reads at run time (the vocabularies and the model in
    ``corpora/goals``, the units): a snapshot is of this data. Labelled clauses, their documents
    and the README are training and review material, so a new label batch does not make the
    snapshot stale."""
    import hashlib

    import corpora

    h = hashlib.sha256()
    for p in sorted(corpora.path("goals").iterdir()) + [corpora.path("indicators", "units.txt")]:
        if p.is_file() and p.suffix in (".txt", ".json"):
            h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def snapshot() -> dict[str, Any]:
    """The goals of the snapshot documents: the pipeline's (rules and model) and the rules' alone."""
    from ingest.readers import read
    from nlp import goals
    from nlp.pipeline import analyse

    samples = SNAPSHOT.parents[2] / "corpora" / "samples"
    out: dict[str, Any] = {"data": data_fingerprint(), "documents": {}}
    for name in SNAPSHOT_DOCS:
        document = read(samples / name)
        out["documents"][name] = {
            "pipeline": [_goal(i) for i in analyse(document).items if i.type == "goal"],
            "rules": [_goal(g) for g in goals.extract(None, document, use_model=False)],  # type: ignore[arg-type]
        }
    return out


def main(argv: list[str]) -> int:
    if argv[0] == "snapshot":  # tests/fixtures/goal_snapshot.json, read by tests/test_goal_snapshot.py
        SNAPSHOT.write_text(json.dumps(snapshot(), ensure_ascii=False, indent=0, sort_keys=True) + "\n",
                            encoding="utf-8")
        print(f"wrote {SNAPSHOT}")
        return 0
    names, labelled = documents()
    if argv[0] == "words":
        return words_check(names)
    mode, path = argv[0], Path(argv[1])
    if mode == "write":
        with path.open("w", encoding="utf-8") as f:
            for r in records(names, labelled):
                f.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
        print(f"wrote {len(names)} documents -> {path}")
        return 0
    golden = {json.loads(line)["doc"]: line.strip() for line in path.read_text(encoding="utf-8").splitlines()}
    bad = 0
    for r in records(names, labelled):
        line = json.dumps(r, ensure_ascii=False, sort_keys=True)
        if golden.get(r["doc"]) != line:
            bad += 1
            old = json.loads(golden.get(r["doc"], "{}"))
            keys = [k for k in set(old) | set(r) if old.get(k) != r.get(k)]
            print(f"DIFF {r['doc']}: {sorted(keys)}")
    print(f"{len(names)} documents, {bad} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

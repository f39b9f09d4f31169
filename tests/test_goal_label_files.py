"""The hand-labelled goal clause files are usable as training rows: each record is a clause the
project's own clause cutter gives for its document (so the model can find it again), its text
is that document's text at its span, labels are 0/g/v, no clause is labelled twice, and the
batches from 10 on use only documents no earlier batch or the dev gold used, each with a
source row when the text is kept in ``corpora/goals/documents``."""
from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

import corpora
from nlp import goal_model
from nlp.scoring import read_jsonl

GOALS = Path(corpora.path("goals"))
ALL = sorted(GOALS.glob("clause_labels*.jsonl"))
NEW = [p for p in ALL if (m := re.search(r"batch(\d+)", p.name)) and int(m.group(1)) >= 10
       or re.fullmatch(r"clause_labels_kinds\d+\.jsonl", p.name)]  # named training batches (session 12 on)
# Batches 1-8, the rows the new batches must not repeat. Batch 9 is another helper's blind
# test set, labelled at the same time from some of the same documents (Gansu's 2026 report,
# the Zhejiang investment news, Qingdao's statute); it is left out here on purpose: the
# overlap is listed in corpora/goals/README.md so that batch 9 is scored without them.
OLD = [p for p in ALL if p.name in {"clause_labels.jsonl", "clause_labels_test.jsonl"}
       or re.fullmatch(r"clause_labels_batch[4-8]\.jsonl", p.name)]
KINDS = {"national work report", "provincial work report", "department budget", "law", "news",
         "fiscal report/news", "final accounts/self-evaluation/annual report"}
DEV = {"gwr_national_2017.txt", "gwr2026_guangdong.txt", "gwr2026_guizhou.txt",
       "yantai_daily_budget_performance_2023.txt", "leling_budget_performance_2019.txt",
       "budget2023_shanghai_putuo_wanli_subdistrict_dept.pdf", "budget2025_shanghai_putuo_finance_bureau_dept.pdf",
       "law_budget_law_2018.md"}


def test_there_are_new_batches_to_check() -> None:
    assert NEW, "no clause_labels_batch1N.jsonl file"


def test_no_clause_is_labelled_twice() -> None:
    seen: Counter[tuple[str, int, int]] = Counter()
    for path in OLD + NEW:
        seen.update((r["doc"], r["start"], r["end"]) for r in read_jsonl(path))
    twice = [k for k, n in seen.items() if n > 1]
    assert not twice, twice[:5]


@pytest.mark.parametrize("path", NEW, ids=lambda p: p.name)
def test_every_record_is_a_clause_of_its_document(path: Path) -> None:
    rows = read_jsonl(path)
    assert rows
    by_doc: dict[str, list[dict]] = {}
    for r in rows:
        assert set(r) == {"doc", "kind", "start", "end", "label", "text"}, r
        assert r["label"] in {"0", "g", "v"}, r
        assert r["kind"] in KINDS, r
        by_doc.setdefault(r["doc"], []).append(r)
    for name, labelled in by_doc.items():
        document = goal_model.load_document(name)
        spans = {(s, e) for s, e, _ in goal_model.document_clauses(document)}
        for r in labelled:
            assert document.text[r["start"]:r["end"]] == r["text"], (name, r)
            assert (r["start"], r["end"]) in spans, (name, r["text"])


@pytest.mark.parametrize("path", NEW, ids=lambda p: p.name)
def test_new_batches_use_unseen_documents_with_their_sources(path: Path) -> None:
    old = {r["doc"] for p in OLD for r in read_jsonl(p)}
    others = {r["doc"] for p in NEW if p != path for r in read_jsonl(p)}
    docs = {r["doc"] for r in read_jsonl(path)}
    assert not docs & old, docs & old
    assert not docs & DEV, docs & DEV
    assert not docs & others, docs & others  # each document belongs to one batch
    with open(GOALS / "documents" / "SOURCES.tsv", encoding="utf-8") as f:
        sourced = {row["file"] for row in csv.DictReader(f, delimiter="\t")}
    kept = {d for d in docs if (GOALS / "documents" / d).exists()}
    assert kept <= sourced, kept - sourced

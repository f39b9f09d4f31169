"""Our search gold files are well formed: what ``search.relevance`` and the shared scorer read.

A malformed line (a missing snippet, an unknown kind, an id used twice) would not fail the
scorer; it would silently change a score. The blind set's query file, committed before any
search ran, must hold exactly the gold file's queries.
"""
from __future__ import annotations

import json

import pytest

import corpora
from search.relevance import load_gold, own_gold_files

KINDS = {"keyword", "question", "meta", "paraphrase"}
@pytest.mark.parametrize("path", own_gold_files(), ids=lambda p: p.stem)
def test_every_gold_line_has_a_query_a_kind_and_snippets(path):
    gold = load_gold(path)
    assert gold
    ids = [g["id"] for g in gold]
    assert len(ids) == len(set(ids))
    for g in gold:
        assert g["query"].strip()
        assert g["kind"] in KINDS
        assert g["relevant"]
        for r in g["relevant"]:
            assert r["doc"].strip() and "".join(r["contains"].split())
            assert set(r) <= {"doc", "contains", "pooled"}


@pytest.mark.parametrize("name", ["fresh5", "fresh6", "fresh7", "fresh8", "fresh9", "fresh10",
                                  "fresh11", "fresh12", "fresh13", "fresh14",
                                  "fresh15", "fresh16", "fresh17", "fresh18"])
def test_blind_sets_keep_the_queries_committed_before_search(name):
    """Sets 6 (fresh5), 7 (fresh6), 8 (fresh7), 9 (fresh8), 10 (fresh9), 11 (fresh10),
    12 (fresh11), 13 (fresh12), 14 (fresh13), 15 (fresh14), 16 (fresh15), 17 (fresh16),
    18 (fresh17) and 19 (fresh18) were labelled blind: queries first, then pooling."""
    queries = [json.loads(line) for line in
               corpora.path("search", f"gold_{name}_queries.jsonl").read_text(
                   encoding="utf-8").splitlines() if line.strip()]
    gold = load_gold(corpora.path("search", f"gold_{name}.jsonl"))
    assert [(q["id"], q["query"], q["kind"]) for q in queries] == \
        [(g["id"], g["query"], g["kind"]) for g in gold]
    kinds = [g["kind"] for g in gold]
    assert (kinds.count("keyword"), kinds.count("question"), kinds.count("meta"),
            kinds.count("paraphrase")) == (12, 12, 10, 14)


def test_the_make_eval_list_names_every_gold_file_and_only_those():
    listed = own_gold_files()
    assert all(p.exists() for p in listed)
    on_disk = {p.name for p in corpora.path("search", "gold_tune.jsonl").parent.glob("gold_*.jsonl")
               if not p.name.endswith("_queries.jsonl")}
    assert {p.name for p in listed} == on_disk

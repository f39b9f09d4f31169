"""The labelled indicator batches scored by ``nlp.indicator_fresh`` are consistent with the files
the evaluation reads: each document is rendered, each gold row's name and target are cells of its
table, and batches 5, 6, 8 and 9 (also level blind batches 8, 9, 11 and 12) label every row with
framework levels."""
from __future__ import annotations

import pytest

from nlp import indicator_eval, indicator_fresh, levels
from nlp.tables import parent_of


def test_every_labelled_row_is_a_row_of_its_rendered_table() -> None:
    docs = indicator_fresh.load()
    assert {d["batch"] for d in docs} == {3, 4, 5, 6, 7, 8, 9}
    for d in docs:
        assert (indicator_eval.files_dir() / d["doc"]).is_file(), d["doc"]
        cells = {c for row in d["rows"] for c in row}
        for g in d["gold"]:
            assert g["name"] in cells and g["target"] in cells, (d["doc"], g["name"])


@pytest.mark.parametrize(("number", "level_batch", "docs", "rows"),
                         [(5, "8", 7, 70), (6, "9", 6, 29), (8, "11", 8, 65), (9, "12", 5, 44)])
def test_a_fresh_batch_is_labelled_with_framework_levels_and_is_a_level_blind_batch(
        number: int, level_batch: str, docs: int, rows: int) -> None:
    batch = [d for d in indicator_fresh.load() if d["batch"] == number]
    assert len(batch) == docs and sum(len(d["gold"]) for d in batch) == rows
    known = levels.framework_level2()
    for d in batch:
        for g in d["gold"]:
            assert g["level2"] in known and parent_of(g["level2"]) == g["level1"], (d["doc"], g["name"])
    assert {d["doc"] for d in levels._read(levels.BLIND_BATCHES[level_batch])} == {d["doc"] for d in batch}


def test_the_pooled_line_names_every_field_asked_for() -> None:
    s = indicator_eval.Score(gold=4, pred=4, tp=4)
    s.right.update({"comparator": 4, "value": 3, "unit": 2})
    line = indicator_eval.summary_line("indicators batch 9 pooled", s, indicator_fresh.FIELDS)
    assert line == ("indicators batch 9 pooled: gold=4 pred=4 name P=1.000 R=1.000 F1=1.000 "
                    "comparator_acc=1.000 value_acc=0.750 unit_acc=0.500")


def test_batch_7_is_level_blind_batch_10_and_no_level_model_trains_on_it() -> None:
    """Batch 7 was committed before its first score (e4bf597); its rows whose 二级 is printed are
    level blind batch 10, which ``training_rows`` leaves out for every model, the shipped one too."""
    batch = [d for d in indicator_fresh.load() if d["batch"] == 7]
    assert len(batch) == 4 and sum(len(d["gold"]) for d in batch) == 43
    ten = levels.blind_batch_docs("10")
    assert ten == {d["doc"] for d in batch} and "10" in levels.UNTRAINED
    assert not ten & {r.group for r in levels.training_rows()}
    scored = [(doc, rows) for doc, rows in levels.table_documents(True) if doc in ten]
    assert len(scored) == 3 and sum(len(rows) for _, rows in scored) == 27


@pytest.mark.parametrize(("number", "level_batch", "docs", "rows"), [(8, "11", 8, 65), (9, "12", 5, 44)])
def test_a_batch_with_every_level_printed_is_an_untrained_level_blind_batch(
        number: int, level_batch: str, docs: int, rows: int) -> None:
    """Batches 8 and 9 were committed before their first scores (8cf01ee, b5ce3cf); every one of their
    rows has a printed 二级, and ``training_rows`` leaves their documents out for every model, the
    shipped one too, so all their rows are scored as unseen."""
    batch = [d for d in indicator_fresh.load() if d["batch"] == number]
    blind = levels.blind_batch_docs(level_batch)
    assert blind == {d["doc"] for d in batch} and level_batch in levels.UNTRAINED
    assert not blind & {r.group for r in levels.training_rows()}
    scored = [(doc, table) for doc, table in levels.table_documents(True) if doc in blind]
    assert len(scored) == docs and sum(len(table) for _, table in scored) == rows

"""The 一级/二级 classifier: cues from the target, the rows of a table decoded together in
framework order (stated levels anchor their neighbours, a given 一级 restricts), the whole
pipeline on a table without level columns, and scores that never train on the document scored."""
from __future__ import annotations

import math

import pytest

from ingest.document import Document, Page, Table
from nlp import indicators, levels
from nlp.tables import parent_of

CLASSES = ["数量指标", "质量指标", "时效指标", "成本指标", "社会效益指标", "服务对象满意度指标"]


def _logp(*probs: float) -> list[float]:
    return [math.log(p) for p in probs]


def test_cues_read_the_target_apart_from_the_name() -> None:
    cost = levels.cue_features("项目总成本", "≤90万元")
    assert {"cost", "t_money", "t_less"} <= set(cost) and "t_percent" not in cost
    sat = levels.cue_features("受益群众满意度", "≥95%")
    assert {"satisfaction", "t_percent", "t_more"} <= set(sat) and "cost" not in sat
    deadline = levels.cue_features("项目完成时间", "12月底前")
    assert {"timely", "t_date"} <= set(deadline) and "t_count" not in deadline and "t_quali" not in deadline
    assert {"t_quali", "t_better"} <= set(levels.cue_features("对生态环境的影响", "效果明显"))
    assert levels.cue_features("培训人数", "") == {"count": 1.0} and "t_count" in levels.cue_features("培训人数", "200人")


def test_decoding_keeps_framework_order_between_stated_levels() -> None:
    # the middle row alone would be satisfaction (0.4), but it sits between a stated 数量 and a stated 时效 row
    logp = [_logp(.2, .2, .2, .1, .1, .2), _logp(.25, .15, .1, .05, .05, .4), _logp(.2, .2, .2, .1, .1, .2)]
    path = levels.decode(CLASSES, logp, ["", "", ""], known=["数量指标", "", "时效指标"])
    assert path[0] == "数量指标" and path[2] == "时效指标"
    assert path[1] in ("数量指标", "质量指标", "时效指标")
    # without the anchors, the row's own best wins
    assert levels.decode(CLASSES, [logp[1]], [""]) == ["服务对象满意度指标"]


def test_a_given_first_level_restricts_the_second() -> None:
    only = levels.decode(CLASSES, [_logp(.5, .2, .1, .1, .05, .05)], ["效益指标"])
    assert only == ["社会效益指标"]  # the only child of 效益指标 among these classes
    assert parent_of(levels.predict("设备验收合格率", "效益指标")[1]) == "效益指标"


def test_a_table_without_level_columns_gets_levels_in_framework_order() -> None:
    rows = [["三级指标", "指标值"], ["培训人数", "200人"], ["培训合格率", "≥95%"], ["培训按时完成率", "100%"],
            ["人均培训成本", "≤500元"], ["受训学员满意度", "≥90%"]]
    table = Table(page=1, caption="项目绩效目标表", rows=rows)
    text = "\n".join(c for r in rows for c in r)
    doc = Document(id="t", source="t.pdf", path="t.pdf", format="pdf", title="t", text=text,
                   pages=[Page(1, 0, len(text))], tables=[table])
    items = indicators.from_tables(doc)
    assert [i.level_source for i in items] == ["model"] * 5
    assert [i.level2 for i in items] == ["数量指标", "质量指标", "时效指标", "成本指标", "服务对象满意度指标"]
    assert [i.level1 for i in items] == ["产出指标"] * 4 + ["满意度指标"]


def test_scores_never_train_on_the_document_scored() -> None:
    doc, rows = levels.table_documents(blind=True)[0]
    assert rows and all(r.group == doc for r in rows)
    assert not [r for r in levels.training_rows(frozenset({doc})) if r.group == doc]
    assert [r for r in levels.training_rows() if r.group == doc]
    scores = levels.document_scores([(doc, rows)], modes=("table", "name+一级"))
    n, acc1, acc2 = scores["name+一级"][doc]
    assert n == len(rows) and acc1 == 1.0 and 0.0 <= acc2 <= 1.0
    assert set(scores) == {"table", "name+一级"}


def test_agreement_between_real_tables_is_measured_across_documents() -> None:
    a = levels.agreement()
    assert a["documents"] >= 30 and a["same_name_pairs"] > 0
    assert 0.5 < a["same_name_agree"] <= 1.0 and 0.5 < a["similar_agree"] <= 1.0


def test_direct_probabilities_equal_sklearn_bit_for_bit() -> None:
    """The model's own product gives exactly sklearn's predict_proba, on every labelled row
    (training and table rows), one row at a time and in batches, so the speed-up changes no level."""
    import numpy as np

    m = levels.model()
    items = [(r.name, r.target) for r in levels.training_rows()]
    for _doc, rows in levels.table_documents():
        items += [(r.name, r.target) for r in rows]
    X = m._matrix(items)
    assert np.array_equal(m.predict_proba(X), m.clf.predict_proba(X))
    for i in range(0, len(items), 7):
        x = X[i:i + 1 + i % 5]
        assert np.array_equal(m.predict_proba(x), m.clf.predict_proba(x))


@pytest.mark.parametrize(("number", "docs", "rows"), [("7", 7, 61), ("8", 7, 70), ("9", 6, 29)])
def test_a_blind_batch_is_scored_by_models_that_never_saw_any_of_its_documents(
        monkeypatch, number: str, docs: int, rows: int) -> None:
    """Batches 7, 8 and 9 (committed before their first scores) are trained on by the shipped model,
    but their scores come from models trained without any of their documents."""
    names = {d["doc"] for d in levels._read(levels.BLIND_BATCHES[number])}
    batch = [(doc, table) for doc, table in levels.table_documents(True) if doc in names]
    assert len(batch) == docs and sum(len(table) for _, table in batch) == rows
    assert names <= {r.group for r in levels.training_rows()}
    seen: list[set[str]] = []

    class Recording(levels.LevelModel):
        def __init__(self, rows: list[levels.Row]) -> None:
            seen.append({r.group for r in rows})
            super().__init__(rows)

    monkeypatch.setattr(levels, "LevelModel", Recording)
    scores = levels.document_scores(batch, exclude=frozenset(names), modes=("table+一级",))
    assert len(seen) == docs and not any(groups & names for groups in seen)
    assert all(acc1 == 1.0 for _, acc1, _ in scores["table+一级"].values())


def test_folds_by_document_never_split_a_document_and_row_folds_do() -> None:
    """The by-document cross-validation scores each document with a model that saw none of its
    rows; the shuffled row folds split documents (why they flatter the model)."""
    rows = levels.training_rows()
    split = levels.fold_indices(rows, 5, by_document=True)
    assert sorted(i for _, test in split for i in test) == list(range(len(rows)))
    for train, test in split:
        assert not {rows[i].group for i in train} & {rows[i].group for i in test}
    shuffled = levels.fold_indices(rows, 5, by_document=False)
    assert any({rows[i].group for i in train} & {rows[i].group for i in test} for train, test in shuffled)


def test_table_folds_score_every_table_whole_with_a_model_that_never_saw_it(monkeypatch) -> None:
    """The 5-fold table score (what a decoding change is fitted on) decodes each training table
    whole, once, with a model trained on none of its rows; hand-written row files are no tables."""
    rows = levels.training_rows()
    tables = {r.group for r in rows if not r.group.endswith(".tsv")}
    scored: list[str] = []

    class Recording(levels.LevelModel):
        def __init__(self, train: list[levels.Row]) -> None:
            self.groups = {r.group for r in train}
            super().__init__(train)

    def predictions(m, table, mode, year=None):
        assert len({r.group for r in table}) == 1 and table[0].group not in m.groups
        scored.append(table[0].group)
        return original(m, table, mode, year)

    original = levels._mode_predictions
    monkeypatch.setattr(levels, "LevelModel", Recording)
    monkeypatch.setattr(levels, "_mode_predictions", predictions)
    out = levels.cross_validated_tables()
    assert sorted(scored) == sorted(t for t in tables for _ in ("table", "table+一级"))
    assert out["documents"] == len(tables) and out["rows"] == sum(not r.group.endswith(".tsv") for r in rows)
    assert 0.5 < out["table mean per document"] < out["table+一级 mean per document"] < 1.0


def test_level_batch_13_is_untrained_and_labelled_with_framework_levels() -> None:
    """Batch 13 (two tables of the fifteenth session, committed before their first score) is kept
    out of every model's training rows, and each row's 一级 is its printed 二级's framework parent."""
    from nlp.tables import parent_of

    blind = levels.blind_batch_docs("13")
    assert "13" in levels.UNTRAINED and len(blind) == 2
    assert not blind & {r.group for r in levels.training_rows()}
    scored = [(doc, rows) for doc, rows in levels.table_documents(True) if doc in blind]
    assert sum(len(rows) for _, rows in scored) == 27
    assert all(parent_of(r.level2) == r.level1 for _, rows in scored for r in rows)

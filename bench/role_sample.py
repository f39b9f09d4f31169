"""Draw money figures of unseen documents for a hand-labelled role sample (seeded).

Sample 3 (``corpora/figures/roles_labelled_3.jsonl``, seed 33): up to ``PER_DOC`` money
figures from each of 14 documents that neither ``roles_labelled.jsonl`` nor
``roles_labelled_2.jsonl`` uses, drawn before any role rule of this round changed.
The rows are written without a role and without the extractor's prediction, so the
labeller reads only the sentence or the table headers; the ``role`` is then typed in by
hand.

Sample 4 (``roles_labelled_4.jsonl``, seed 44, ``DOCS_4``): 10 figures from each of 9 more
documents, drawn and labelled after the role changes made on sample 3 and before scoring
them: the honest unseen estimate of those changes.

``python bench/role_sample.py OUT.jsonl [3|4]`` (run from the repository root).
"""
from __future__ import annotations

import json
import pathlib
import random
import sys

sys.path.insert(0, ".")
from ingest.readers import read  # noqa: E402
from nlp import figure_roles  # noqa: E402
from nlp.pipeline import analyse  # noqa: E402

B = pathlib.Path("/work/shared/bench-corpus")
R = B / "real"
PER_DOC = 11
SEED = 33
DOCS = ([R / f"{p}.pdf" for p in (
    "budget2017_jiangsu_high_court_dept budget2017_jiangsu_procuratorate_dept "
    "budget2017_jiangsu_cppcc_office_dept_tables budget2019_jiangsu_npcsc_office_dept "
    "budget2025_shanghai_putuo_commerce_commission_unit final2024_shanghai_putuo_party_social_work_dept "
    "govinfo2024_jiangsu_huaian_city_govt_annual_report").split()]
    + [B / f for f in (
        "gwr2026_anhui.txt gwr2026_shandong.txt gwr_national_1996_lipeng.txt gwr_national_2013_wenjiabao.txt "
        "mof_t20150416_1217866.txt mof_t20220817_3834300.txt mof_t20120911_682031.txt").split()])

DOCS_4 = ([R / f"{p}.pdf" for p in (
    "budget2018_jiangsu_high_court_dept budget2019_jiangsu_procuratorate_dept "
    "budget2025_shanghai_putuo_district_govt_office_dept govinfo2024_jiangsu_huaian_hongze_district_annual_report"
    ).split()]
    + [B / f for f in (
        "gwr2026_zhejiang.txt gwr2026_henan.txt gwr_national_2008_wenjiabao.txt mof_t20180614_2929000.txt "
        "mof_t20231115_3916710.txt").split()])


def rows_of(path: pathlib.Path, rng: random.Random, per_doc: int = PER_DOC) -> list[dict]:
    """Up to PER_DOC money figures of one document, each with its sentence or headers."""
    document = read(path)
    analysis = analyse(document)
    money = [f for f in analysis.of_type("figure") if f.kind == "money" and not f.currency]
    picked = sorted(rng.sample(money, min(per_doc, len(money))), key=lambda f: f.start)
    text = document.text
    out = []
    for k, f in enumerate(picked):
        row = {"id": f"{path.stem}-{k}", "doc": path.name, "title": document.title,
               "doc_type": analysis.meta.doc_type or "", "page": f.page,
               "table": f.row_header is not None}
        if row["table"]:
            row |= {"row_header": f.row_header, "col_header": f.col_header, "text": f.text}
        else:
            s, e = figure_roles._sentence_bounds(text, f.start, f.end)
            row |= {"passage": text[s:e + 1], "start": f.start - s, "end": f.end - s, "text": f.text}
        row |= {"value": f.value, "role": None}
        out.append(row)
    return out


def main(out: str, sample: str = "3") -> None:
    seed, docs, per_doc = (SEED, DOCS, PER_DOC) if sample == "3" else (44, DOCS_4, 10)
    rng = random.Random(seed)
    with open(out, "w", encoding="utf-8") as fh:
        for path in docs:
            for row in rows_of(path, rng, per_doc):
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])

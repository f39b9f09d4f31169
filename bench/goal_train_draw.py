"""Draw the clauses of a named goal TRAINING batch (not a blind yardstick) for labelling.

Why a separate draw: blind batches are numbered (``bench.goal_batch_draw``) and a number above
``nlp.goal_model.LAST_TRAINED_BATCH`` means "never fitted on". A training batch built for the kinds
the model has least data on is named instead (``clause_labels_kinds12.jsonl``) and fitted on from
the start. Its stored pages are openings of a few thousand characters, so each is drawn whole
(every clause, for training the more the better); an MOF report gets the one seeded window of 18
that the numbered batches give it (``bench.goal_clause_sample.sample``, batch-7+ windows).

``python -m bench.goal_train_draw kinds12 OUT.jsonl`` (from the repository root; the rows carry an
empty ``label`` to fill in by reading).
"""
from __future__ import annotations

import json
import pathlib
import sys

from bench.goal_clause_sample import FISCAL, REPORT, Cutter, clauses, sample
from nlp.goal_model import load_document

WINDOW_BATCH = 27  # any batch >= 7 draws the same windows: one of 18 for a fiscal report longer than 36 clauses

DRAWS: dict[str, tuple[int, list[tuple[str, str]]]] = {
    # session 12 (helper goaltrain12): self-evaluation, evaluation and rectification texts, fiscal (MOF-type) pages
    "kinds12": (121212, [
        ("rectification_xiji_county_audit_rectification_meeting.txt", REPORT),
        ("rectification2024_daye_audit_rectification_meeting.txt", REPORT),
        ("rectification2023_pizhou_audit_rectification_executive_meeting.txt", REPORT),
        ("rectification2024_qidong_same_level_audit_meeting.txt", REPORT),
        ("rectification_banner_inspection_rectification_scheduling.txt", REPORT),
        ("rectification2024_huiji_approval_bureau_inspection_rectification.txt", REPORT),
        ("rectification_college_audit_rectification_meeting_big5.txt", REPORT),
        ("selfeval2019_heshan_urban_management_dept_evaluation.txt", REPORT),
        ("selfeval2022_leiyang_no4_middle_school_funds.txt", REPORT),
        ("evaluation2018_tangqiao_community_renovation_third_party.txt", REPORT),
        ("fiscal2017_city_dept_performance_targets_launch.txt", FISCAL),
        ("fiscal_changping_finance_bureau_performance_measures.txt", FISCAL),
        ("fiscal_guanghan_bureau_performance_management.txt", FISCAL),
        ("fiscal2022_new_district_performance_management.txt", FISCAL),
        ("fiscal2025_chifeng_performance_target_review.txt", FISCAL),
        ("news2025_mof_first_half_fiscal_editorial.txt", FISCAL),
        ("news2025_mof_minister_fiscal_policy_next_steps.txt", FISCAL),
        ("news2025_mof_party_meeting_next_year_big5.txt", FISCAL),
        ("news2025_mof_minister_npc_press_big5.txt", FISCAL),
        ("fiscal2025_county_finance_jan_july_progress.txt", FISCAL),
        ("fiscal_chuxiong_first_half_revenue_expenditure.txt", FISCAL),
        ("news2021_district_npc_midyear_budget_forum.txt", FISCAL),
        ("fiscal2016_gansu_provincial_audit_results.txt", FISCAL),
        # random.Random(1212).sample(the 41 MOF reports no batch, set or list names, 3)
        ("mof_t20141021_1153225.txt", FISCAL),
        ("mof_t20140912_1138773.txt", FISCAL),
        ("mof_t20240826_3942479.txt", FISCAL)]),
}


def _whole(name: str, kind: str, cut: Cutter) -> list[dict]:
    doc = load_document(name)
    return [{"doc": name, "kind": kind, "start": s, "end": e, "text": doc.text[s:e]}
            for s, e, _ in cut(doc.text, doc.format == "pdf")]


def draw(name: str, cut: Cutter = clauses) -> list[dict]:
    """Every clause of the draw's pages and one seeded window of each MOF report, in list order,
    with an empty label."""
    seed, docs = DRAWS[name]
    rows: list[dict] = []
    for doc, kind in docs:
        if doc.startswith("mof_t"):
            rows += sample(WINDOW_BATCH, seed, [(pathlib.Path(doc), kind)], cut)
        else:
            rows += _whole(doc, kind, cut)
    return [{"doc": r["doc"], "kind": r["kind"], "start": r["start"], "end": r["end"], "label": "",
             "text": r["text"]} for r in rows]


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in DRAWS:
        print(f"usage: python -m bench.goal_train_draw {'|'.join(DRAWS)} OUT.jsonl", file=sys.stderr)
        return 2
    rows = draw(argv[0])
    pathlib.Path(argv[1]).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{argv[0]}: {len(rows)} clauses of {len({r['doc'] for r in rows})} documents -> {argv[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Draw the clause windows of ``corpora/goals/clause_labels.jsonl`` for labelling (seeded).

Batch 1 (rows 1-1623, seed 11): two windows of 20 clauses per document, one at a goal-ish
anchor word and one at random (laws: both at random); drawn and labelled before any rule
was tuned. Batch 2 (rows 1624-2303, seed 1111): one anchored window per new document,
labelled after the section rules without looking at any prediction. Batch 3 (seed 3333):
20 further documents, two anchored windows each (anchors include 一是, 保持, 财政支出, 进一步,
加强) and, in work reports, a third at the year plan or planned budget (``PLAN_ANCHORS``), labelled blind before any change of this round: the held-out test batch
(``corpora/goals/clause_labels_test.jsonl``), never trained on.

Batch 4 (seed 4444): 16 documents none of batches 1-3 used (12 national work reports of other
years, Sichuan's 2026 report, a 2017 department budget, two MOF news items), one anchored window
of 18 clauses each and in work reports a second at the year plan; labelled blind (no prediction
looked at) before any change of the next round, scored first as the honest unseen estimate
(``corpora/goals/clause_labels_batch4.jsonl``).

Batch 5 (seed 5555): drawn at the end of the round, after the changes batch 4 was read for,
from the four documents left that no batch used (Guangdong's and Guizhou's 2026 reports of
the dev corpus, which only the search gold uses; the 1964 national report; an MOF news item),
labelled blind: the unseen estimate of the round's final state
(``corpora/goals/clause_labels_batch5.jsonl``).

Batch 6 (seed 6666): drawn when no unused work report was left in the shared corpora, from ten
documents no goal batch or gold used: Beijing's and Shanghai's 2026 reports and two news items
from public repositories (excerpts kept in ``corpora/goals/documents``, sources in its
``SOURCES.tsv``), three MOF monthly reports, two budget statutes and the Putuo finance
bureau's 2025 budget (dev corpus; only one row of it is in the indicator gold). Work reports
get the year-plan window and two anchored windows of 18, statutes one anchored and one random,
the budget two anchored, MOF items one, news items are taken whole. Labelled blind (no
prediction looked at) and committed before the first score
(``corpora/goals/clause_labels_batch6.jsonl``).

Batch 7 (seed 7777): a further small blind batch after the batch-6 changes: two more news items
and the parts of Shanghai's report batch 6 did not take (``corpora/goals/documents``), taken
whole, plus one window of 18 from two MOF monthly reports and two from a budget statute
(``corpora/goals/clause_labels_batch7.jsonl``).

Batch 8 (seed 8888): the last blind check of the round's final state: two more parts of
Beijing's report, one more news item (its paragraphs kept apart by blank lines) and one
window of an MOF quarterly report (``corpora/goals/clause_labels_batch8.jsonl``).

Batch 9 (seed 9999): a blind batch drawn before the model could add goals: Gansu's 2026 report
(the one provincial report no batch used; year-plan window and two anchored windows of 18), three
news items (a plan, a subsidy list, a progress review; ``corpora/goals/documents``) taken whole,
one window of two MOF monthly reports and one of a budget statute
(``corpora/goals/clause_labels_batch9.jsonl``).

``python bench/goal_clause_sample.py 1|2|...|9 OUT.jsonl`` (run from the repository root; PDFs
are read with ``nlp.goal_model.load_document``, cached in ``$POLICYLENS_DATA_DIR``).

Batches 10 and later name their documents and seed in ``corpora/goals/README.md`` and were drawn
with the same ``_windows`` (news and texts of at most 36 clauses whole, two windows of 18 of a
longer report or budget where they fit, one of an MOF report, the batch-3+ anchor words). A new
batch is drawn the same way, its documents (any name ``load_document`` finds: the bench corpus,
``corpora/goals/documents``, the dev corpus) in the order given, which fixes the random windows::

    python bench/goal_clause_sample.py 23 OUT.jsonl --seed 232323 \
        provincial=gwr2026_gansu.txt news=NEWS_TEXT.txt fiscal=mof_t20170811_2671049.txt

Kinds: ``national``, ``provincial``, ``budget``, ``report`` (final accounts/self-evaluation/annual
report), ``news``, ``fiscal`` (fiscal report/news), ``law``. Batch 20 drawn this way (its documents
in the order of ``clause_labels_batch20.jsonl``, seed 202020) gives its 607 clauses again (596 since session 10)
(``tests/test_goal_clause_sample.py``: drawn with the cutter of its time, then its pieces merged as the
label file's were in session 10).
"""
from __future__ import annotations

import argparse
import json
import pathlib
import random
import re
import sys
from typing import Callable

sys.path.insert(0, ".")
from nlp.goal_clauses import clauses  # noqa: E402
from nlp.goal_model import load_document  # noqa: E402

Cutter = Callable[[str, bool], list[tuple[int, int, int]]]  # (text, wrapped) -> clauses
B = pathlib.Path("/work/shared/bench-corpus")
R = B / "real"
C = pathlib.Path("/work/shared/corpus")  # batch 5: two provincial reports of the dev corpus no goal work used
NAT, PROV, BUDGET, REPORT = ("national work report", "provincial work report", "department budget",
                             "final accounts/self-evaluation/annual report")


def _national(years: list[int]) -> list[tuple[pathlib.Path, str]]:
    return [(next(B.glob(f"gwr_national_{y}_*.txt")), NAT) for y in years]


NEWS = "news"
FISCAL, LAW = "fiscal report/news", "law"
D = pathlib.Path("corpora/goals/documents")  # batch 6: texts no shared corpus holds (see its SOURCES.tsv)


def _docs(batch: int) -> list[tuple[pathlib.Path, str]]:
    if batch == 9:
        return ([(B / "gwr2026_gansu.txt", PROV)]
                + [(D / f"news{n}.txt", NEWS) for n in ("2022_sina_zhejiang_investment_promotion",
                                                          "2022_sina_dongguan_doubling_plan",
                                                          "2021_sina_ningxia_investment_progress")]
                + [(B / m, FISCAL) for m in ("mof_t20100715_327955.txt", "mof_t20110415_537711.txt")]
                + [(B / "law_qingdao_budget_review_supervision_2019.md", LAW)])
    if batch == 8:
        return ([(D / "gwr2026_beijing_part2.txt", PROV), (D / "news2021_sina_commerce_plan.txt", NEWS)]
                + [(B / "mof_t20180418_2872296.txt", FISCAL)])
    if batch == 7:
        return ([(D / "gwr2026_shanghai_part2.txt", PROV)]
                + [(D / f"news2021_sina_{n}.txt", NEWS) for n in ("zhejiang_rental_housing", "zero_waste_cities")]
                + [(B / m, FISCAL) for m in ("mof_t20170414_2580092.txt", "mof_t20190614_3277502.txt")]
                + [(B / "law_chongqing_budget_review_supervision_2016.md", LAW)])
    if batch == 6:
        return ([(D / f"gwr2026_{p}_excerpt.txt", PROV) for p in ("beijing", "shanghai")]
                + [(D / f"news2022_sina_{n}.txt", NEWS) for n in ("gdp_target_briefing", "energy_saving_plan")]
                + [(B / m, FISCAL) for m in
                   ("mof_t20140123_1038541.txt", "mof_t20121018_688653.txt", "mof_t20160613_2321911.txt")]
                + [(B / f"law_{m}.md", LAW) for m in
                   ("shanghai_budget_review_supervision_2021", "national_central_budget_execution_audit_interim_measures_1995")]
                + [(C / "budget2025_shanghai_putuo_finance_bureau_dept.pdf", BUDGET)])
    if batch == 5:
        return ([(C / f"gwr2026_{p}.txt", PROV) for p in ("guangdong", "guizhou")]
                + [(B / "gwr_national_1964_zhouenlai_summary.txt", NAT)]
                + [(B / m, FISCAL) for m in ("mof_t20150514_1231836.txt",)])
    if batch == 4:
        return (_national([1954, 1955, 1957, 1959, 1960, 1978, 1982, 1984, 1987, 1989, 1991, 2015])
                + [(B / "gwr2026_sichuan.txt", PROV)]
                + [(R / "budget2017_jiangsu_party_committee_office_dept.pdf", BUDGET)]
                + [(B / m, FISCAL) for m in ("mof_t20220916_3840932.txt", "mof_t20191017_3404670.txt")])
    if batch == 3:
        return (_national([1958, 1975, 1981, 1992, 1996, 2000, 2005, 2007])
                + [(B / "gwr2026_xizang.txt", PROV)]
                + [(R / f"{p}.pdf", BUDGET) for p in
                   ("budget2018_jiangsu_npcsc_office_dept budget2018_jiangsu_party_committee_office_dept "
                    "budget2019_jiangsu_cppcc_office_dept").split()]
                + [(B / m, FISCAL) for m in ("mof_t20120413_642982.txt", "mof_t20260424_3988324.txt")]
                + [(B / f"law_{m}.md", LAW) for m in
                   ("zhejiang_budget_review_supervision_2016", "beijing_npcsc_decision_strengthen_budget_review_2021")]
                + _national([1986, 1994, 1998, 2002]))  # added last: the draws for the others stay
    if batch == 1:
        return (_national([1979, 1983, 1988, 1993, 1997, 2001, 2004, 2008, 2010, 2012, 2014, 2016])
                + [(B / f"gwr2026_{p}.txt", PROV) for p in
                   "anhui fujian hebei henan hunan jiangxi liaoning ningxia shaanxi zhejiang".split()]
                + [(B / m, FISCAL) for m in
                   ("mof_t20081211_97376.txt mof_t20120713_666240.txt mof_t20161114_2457343.txt "
                    "mof_t20201021_3608237.txt mof_t20241025_3946291.txt").split()]
                + [(B / f"law_{m}.md", LAW) for m in
                   ("beijing_budget_supervision_2007 hangzhou_performance_management_2015 "
                    "henan_budget_review_supervision_2019 jinan_performance_management_2018 "
                    "national_fiscal_violations_penalties_2011").split()]
                + [(R / f"{p}.pdf", BUDGET) for p in
                   ("budget2024_shanghai_putuo_wanli_subdistrict_dept budget2025_shanghai_putuo_commerce_commission_unit "
                    "budget2026_shanghai_putuo_justice_bureau_dept budget2019_jiangsu_npcsc_office_dept "
                    "budget2018_jiangsu_high_court_dept budget2025_shanghai_putuo_district_govt_office_dept").split()]
                + [(R / f"{p}.pdf", REPORT) for p in
                   ("final2024_shanghai_putuo_party_social_work_dept template2024_shanghai_dept_final_accounts_sample "
                    "govinfo2024_jiangsu_huaian_city_govt_annual_report").split()])
    return (_national([1956, 1980, 1985, 1990, 1995, 1999, 2003, 2006, 2009, 2011, 2013])
            + [(B / f"gwr2026_{p}.txt", PROV) for p in
               ("chongqing guangxi hainan heilongjiang hubei jiangsu jilin neimenggu qinghai shandong shanxi "
                "tianjin xinjiang yunnan").split()]
            + [(R / f"{p}.pdf", BUDGET) for p in
               ("budget2017_jiangsu_high_court_dept budget2017_jiangsu_npcsc_office_dept "
                "budget2019_jiangsu_procuratorate_dept budget2018_jiangsu_cppcc_office_dept "
                "budget2019_jiangsu_party_committee_office_dept budget2025_shanghai_putuo_district_govt_office_unit "
                "budget2017_jiangsu_procuratorate_dept").split()]
            + [(R / f"{p}.pdf", REPORT) for p in
               ("govinfo2023_jiangsu_huaian_hongze_district_annual_report "
                "govinfo2024_jiangsu_huaian_hongze_district_annual_report").split()])


def _windows(batch: int, rng: random.Random, n: int, anchors: list[int], law: bool, kind: str = "") -> list[int]:
    w = 20
    if batch >= 7 and (kind == NEWS or n <= 36 or (kind == PROV and batch < 9)):  # batch 7: short texts whole, the others as batch 6
        return list(range(n))
    if batch >= 6:  # news items whole; two windows of 18 (work reports: three with the plan's), MOF items one
        if kind == NEWS or n <= 36:
            return list(range(n))
        count = 1 if kind == FISCAL else 2
        out: set[int] = set()
        for _ in range(50):
            if len(out) >= 18 * count:
                break
            a = rng.choice(anchors) if anchors and not (law and out) else rng.randrange(max(1, n - 18))
            a = max(0, min(a - 3, n - 18))
            if not any(abs(a - b) < 18 for b in out):
                out |= set(range(a, min(n, a + 18)))
        return sorted(out)
    if batch >= 4:  # one anchored window of 18 (the year plan gets its own, see ``_plan_window``)
        size = 18
        a = rng.choice(anchors) if anchors else rng.randrange(max(1, n - size))
        a = max(0, min(a - 3, n - size))
        return list(range(a, min(n, a + size)))
    if batch == 3:  # two anchored windows of 20 (one of 12 for short or statute-like documents)
        size = 12 if law or n < 120 else 20
        picks = rng.sample(anchors, min(len(anchors), 6)) if anchors else [rng.randrange(max(1, n - size))]
        out: set[int] = set()
        for a in picks:
            a = max(0, min(a - 3, n - size))
            if all(abs(a - b) >= size for b in out) or not out:
                out |= set(range(a, min(n, a + size)))
            if len(out) >= (size if law or n < 120 else 2 * size):
                break
        return sorted(out)
    if batch == 2:
        a = rng.choice(anchors) if anchors else rng.randrange(max(1, n - w))
        a = max(0, min(a - 3, n - w))
        return list(range(a, min(n, a + w)))
    if n < 40:
        return list(range(n))
    a = rng.choice(anchors) if anchors and not law else rng.randrange(n - w)
    a = max(0, min(a - 3, n - w))
    b = rng.randrange(n - w)
    while abs(b - a) < w:
        b = rng.randrange(n - w)
    return sorted(set(range(a, a + w)) | set(range(b, b + w)))


PLAN_ANCHORS = [re.compile(p) for p in (
    r"主要预期目标|预期目标是|主要目标是|的主要目标|计划指标",
    r"今年.{0,30}(?:赤字|财政支出|财政收入)|(?:赤字|财政支出).{0,20}(?:拟|安排)|拟定为")]


YEAR_PLAN = re.compile(r"主要预期目标")  # batch 9: the year plan itself, not a five-year outline's heading


def _plan_window(text: str, cl: list[tuple[int, int, int]], have: set[int], size: int = 20,
                 anchors: list[re.Pattern[str]] = PLAN_ANCHORS) -> list[int]:
    """Batches 3 and 4: one more window of 20 (18) at a work report's year plan or planned budget (first match)."""
    for pattern in anchors:
        hit = next((i for i, (s, e, _) in enumerate(cl) if pattern.search(text[s:e])), None)
        if hit is not None:
            return [i for i in range(max(0, hit - 2), min(len(cl), hit + size - 2)) if i not in have]
    return []


SEEDS = {1: 11, 2: 1111, 3: 3333, 4: 4444, 5: 5555, 6: 6666, 7: 7777, 8: 8888, 9: 9999}
KINDS = {"national": NAT, "provincial": PROV, "budget": BUDGET, "report": REPORT, "news": NEWS,
         "fiscal": FISCAL, "law": LAW}


def sample(batch: int, seed: int | None = None,
           docs: list[tuple[pathlib.Path, str]] | None = None, cut: Cutter = clauses) -> list[dict]:
    """The clause windows of ``batch``: its own documents and seed (1-9), or ``docs`` (path, kind) in
    the order given with ``seed`` (a new batch). ``cut``: the clause cutter the windows count in
    (an old batch is drawn again with the cutter of its time, ``bench.clause_merge.drawn_clauses``)."""
    anchor = re.compile(r"主要预期目标|今年|明年|绩效目标|下一步|目标|工作安排|总体要求|力争"
                        + (r"|工作任务" if batch == 2 else "")
                        + (r"|^[一二三四五六七八九十]是|保持|财政支出|进一步|加强" if batch >= 3 else ""))
    rng = random.Random(SEEDS[batch] if seed is None else seed)
    out = []
    for path, kind in (_docs(batch) if docs is None else docs):
        doc = load_document(path.name)
        text = doc.text
        cl = cut(text, doc.format == "pdf")
        anchors = [i for i, (s, e, _) in enumerate(cl) if anchor.search(text[s:e])]
        picked = _windows(batch, rng, len(cl), anchors, kind == LAW, kind)
        if (3 <= batch <= 6 or batch == 9) and kind in (NAT, PROV):
            picked = sorted(set(picked) | set(_plan_window(text, cl, set(picked), 20 if batch == 3 else 18,
                                                           [YEAR_PLAN] + PLAN_ANCHORS if batch == 9 else PLAN_ANCHORS)))
        for i in picked:
            s, e, k = cl[i]
            out.append({"doc": path.name, "kind": kind, "i": i, "sent": k, "start": s, "end": e, "text": text[s:e]})
    return out


def _args(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description="Draw clause windows for a goal label batch (seeded).")
    ap.add_argument("batch", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, help="a new batch's seed (batches 1-9 have their own)")
    ap.add_argument("docs", nargs="*", metavar="KIND=NAME", help=f"a new batch's documents; KIND one of {', '.join(KINDS)}")
    args = ap.parse_intermixed_args(argv)
    if args.docs and args.seed is None:
        ap.error("a new batch needs --seed")
    if not args.docs and args.batch not in SEEDS:
        ap.error(f"batch {args.batch} is not built in: name its documents (KIND=NAME) and --seed")
    bad = [d for d in args.docs if d.partition("=")[0] not in KINDS or not d.partition("=")[2]]
    if bad:
        ap.error(f"not KIND=NAME with a known kind: {', '.join(bad)}")
    return args


if __name__ == "__main__":
    args = _args(sys.argv[1:])
    docs = [(pathlib.Path(d.partition("=")[2]), KINDS[d.partition("=")[0]]) for d in args.docs] or None
    try:
        rows = sample(args.batch, args.seed, docs)
    except FileNotFoundError as err:  # load_document names the document no corpus holds
        sys.exit(f"goal_clause_sample: no document {err} in the shared corpora or corpora/goals/documents")
    with open(args.out, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(len(rows), len({r["doc"] for r in rows}))

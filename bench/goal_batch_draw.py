"""Draw the clause windows of the blind goal batches 23-34 for labelling (seeded).

Why a script: a blind batch is only as honest as its draw. The documents (their order fixes the
random windows), their kinds and the seed are written here, so anyone can redraw exactly the
clauses that ``corpora/goals/clause_labels_batch23.jsonl`` / ``_batch24.jsonl`` label, before and
after labelling, without looking at any prediction.

The draw is batch 20's: ``bench.goal_clause_sample._windows`` with the batch's number (news items
and texts of at most 36 clauses whole; two windows of 18 of a longer work report, budget or
evaluation; one window of 18 of an MOF report), anchored at the batch-3+ anchor words, with
``random.Random(232323)`` for batch 23, ``random.Random(242424)`` for batch 24, ``252525`` for 25 and
``262626`` for 26, ``272727`` for 27, ``282828`` for 28, ``292929`` for 29, ``303030`` for 30, ``313131`` for 31, ``323232`` for 32, ``333333`` for 33 and ``343434``
for 34.
Documents are
stored public web pages kept in ``corpora/goals/documents`` (rows in its ``SOURCES.tsv``) and one
unused MOF report of the bench corpus per batch.

``python -m bench.goal_batch_draw 23|24|25|26|27|28|29|30|31|32|33|34 OUT.jsonl`` (from the repository root; the rows carry an
empty ``label`` to fill in by reading).
"""
from __future__ import annotations

import json
import pathlib
import sys

from bench.goal_clause_sample import BUDGET, FISCAL, LAW, NAT, NEWS, PROV, REPORT, Cutter, clauses, sample

SEEDS = {23: 232323, 24: 242424, 25: 252525, 26: 262626, 27: 272727, 28: 282828, 29: 292929, 30: 303030, 31: 313131, 32: 323232,
         33: 333333, 34: 343434}
DOCS: dict[int, list[tuple[str, str]]] = {
    23: [("gwr2024_ezhou_annual_plan_report.txt", PROV),
         ("gwr2024_huzhou_annual_plan_notice.txt", PROV),
         ("gwr2024_xinxiang_annual_plan_notice.txt", PROV),
         ("gwr2021_lucheng_district_fyp_proposal_opening.txt", PROV),
         ("budget2023_mianzhu_qingping_town_dept.txt", BUDGET),
         ("selfeval2021_nanxian_cppcc_dept_evaluation.txt", REPORT),
         ("news2019_wenhui_shanghai_targets_frontpage.txt", NEWS),
         ("news2024_xuzhou_work_report_kuaibao.txt", NEWS),
         ("news2023_district_work_report_mobilization.txt", NEWS),
         ("news2023_sanming_devzone_finance_audit_meeting.txt", NEWS),
         ("news_tangshan_fundraising_first_half.txt", NEWS),
         ("news2011_tianshui_municipal_special_funds_first_batch.txt", NEWS),
         ("news_city_five_cities_campaign_funds.txt", NEWS),
         ("news2021_fyp_draft_targets_commentary.txt", NEWS),
         ("news2012_panzhihua_higher_level_funds.txt", NEWS),
         ("news2021_fyp_main_targets_explainer.txt", NEWS),
         ("law2022_urad_middle_banner_performance_evaluation_measures.txt", LAW),
         ("mof_t20130415_824878.txt", FISCAL)],
    24: [("gwr2024_sichuan_plan_draft_report_opening.txt", PROV),
         ("gwr2022_shangrao_annual_plan_notice.txt", PROV),
         ("gwr2023_fujian_people_report_news.txt", PROV),
         ("budget2025_beijing_tongzhou_npcsc_office_dept.txt", BUDGET),
         ("budget2024_weifang_city_budget_report_abstract.txt", REPORT),
         ("final2024_mile_government_services_bureau_dept.txt", REPORT),
         ("final2021_xuanhan_town_unit_accounts.txt", REPORT),
         ("news2020_zibo_npc_press_conference.txt", NEWS),
         ("news2016_zhenan_county_npc_work_report.txt", NEWS),
         ("news2011_jiaozuo_key_projects_first_half.txt", NEWS),
         ("news2020_county_key_projects_first_half.txt", NEWS),
         ("news_city_april_projects_groundbreaking.txt", NEWS),
         ("news_city_key_projects_october_progress.txt", NEWS),
         ("news2020_mof_fu_jinling_next_steps.txt", NEWS),
         ("news2015_jingde_ten_livelihood_projects.txt", NEWS),
         ("news2015_boxing_ten_livelihood_projects.txt", NEWS),
         ("news2022_qinshui_key_projects_2021_review.txt", NEWS),
         ("law2021_baise_project_expenditure_evaluation_measures.txt", LAW),
         ("law2009_heze_domestic_demand_projects_measures.txt", LAW),
         ("mof_t20140417_1068713.txt", FISCAL)],
    25: [("gwr2020_national_jschina_xinhua_targets.txt", NAT),
         ("gwr2013_wulian_county_targets_news.txt", PROV),
         ("gwr2018_longhua_district_report_news.txt", PROV),
         ("gwr2023_guandu_district_midyear_plan_execution.txt", PROV),
         ("budget2023_rongchang_zhisheng_town_dept.txt", BUDGET),
         ("budget2022_jinqiao_town_dept.txt", BUDGET),
         ("selfeval2023_hunan_emergency_dept_evaluation_opening.txt", REPORT),
         ("news2011_chongqing_finance_livelihood_review.txt", NEWS),
         ("news2012_zhengzhou_finance_midyear_report.txt", NEWS),
         ("news2015_changzhou_fyp_draft_budget_prereview.txt", NEWS),
         ("news2019_dali_finance_bureau_first_quarter_meeting.txt", NEWS),
         ("news2025_fifteenth_fyp_proposal_press_conference.txt", NEWS),
         ("news2026_shanghai_major_projects_frontpage.txt", NEWS),
         ("news2011_sansui_county_npc_opening.txt", NEWS),
         ("news2020_national_report_minimal_version.txt", NEWS),
         ("law_fiscal_expenditure_performance_evaluation_measures_fsou_part2.txt", LAW),
         ("fiscal2020_yongning_district_midyear_budget_execution.txt", FISCAL),
         ("mof_t20180514_2894051.txt", FISCAL)],
    26: [("gwr2017_weihai_npc_report_news.txt", PROV),
         ("gwr2018_guangzhou_targets_ycwb_news.txt", PROV),
         ("gwr2014_qingdao_report_targets_news.txt", PROV),
         ("gwr2017_huzhou_report_minimal_version.txt", PROV),
         ("budget2024_dianjiang_taiping_town_dept.txt", BUDGET),
         ("budget2022_suifenhe_funing_town_dept.txt", BUDGET),
         ("final2023_xiangyang_discipline_commission_accounts.txt", REPORT),
         ("news2015_guangzhou_gdp_target_reasons.txt", NEWS),
         ("news2015_changsha_npc_report_opening.txt", NEWS),
         ("news2019_national_2018_targets_results_commentary.txt", NEWS),
         ("news2019_xuchang_report_graphic_targets.txt", NEWS),
         ("law_jcut_budget_performance_measures.txt", LAW),
         ("fiscal2016_guangzhou_budget_report_2015_execution.txt", FISCAL),
         ("mof_t20180614_2929000.txt", FISCAL),
         ("news2021_tunchang_county_report_press_conference.txt", NEWS),
         ("news2016_govcn_report_briefing_difficulties.txt", NEWS),
         ("gwr2014_changsha_report_targets_section_opening.txt", PROV),
         ("final2022_benxi_county_water_bureau_accounts.txt", REPORT),
         ("news2019_national_report_drafting_briefing_opening.txt", NEWS)],
    27: [("gwr2007_national_report_opening_chinanews.txt", NAT),
         ("gwr2022_chongqing_plan_report_part_cqrb.txt", PROV),
         ("gwr_tancheng_county_report_goals_part.txt", PROV),
         ("gwr2019_xihe_county_report_review_part.txt", PROV),
         ("gwr2016_county_report_tasks_decomposition_notice.txt", PROV),
         ("gwr2017_guangzhou_report_opening.txt", PROV),
         ("budget2023_jingyan_mata_town_performance_targets.txt", BUDGET),
         ("final2024_hongjiang_government_office_accounts.txt", REPORT),
         ("selfeval2022_wuding_tianxin_township_dept.txt", REPORT),
         ("rectification2022_shenzhen_performance_audit_findings.txt", REPORT),
         ("news2023_wenzhou_npcsc_plan_hearing.txt", NEWS),
         ("news2020_county_report_tasks_scheduling_meeting.txt", NEWS),
         ("news2011_npcsc_plan_execution_report_zjol.txt", NEWS),
         ("news_fifteenth_fyp_outlook_commentary.txt", NEWS),
         ("news2023_wuhai_cppcc_group_discussion.txt", NEWS),
         ("law2021_hanyin_agri_funds_integration_measures.txt", LAW),
         ("fiscal2019_futian_audit_report_opening.txt", FISCAL),
         ("mof_t20171211_2771156.txt", FISCAL),
         # appended after the first draw (the first 18 held few goals); earlier windows unchanged
         ("gwr2011_zhejiang_report_targets_zjol.txt", PROV),
         ("fiscal2021_chaotian_finance_bureau_work_progress.txt", FISCAL)],
    28: [("gwr2010_national_report_situation_news.txt", NAT),
         ("gwr2012_national_npc_opening_targets_xinhua.txt", NAT),
         ("gwr2023_chongqing_plan_execution_report_opening.txt", PROV),
         ("gwr2012_changsha_report_opening_wnwk.txt", PROV),
         ("gwr2009_shenzhen_work_review_and_plan.txt", PROV),
         ("gwr_qijiang_county_report_review.txt", PROV),
         ("gwr2022_city_report_template_review.txt", PROV),
         ("selfeval_lingwu_public_health_projects_sample.txt", REPORT),
         ("review2023_taikang_selfeval_sampling_results.txt", REPORT),
         ("rectification2018_cixi_audit_findings.txt", REPORT),
         ("selfeval2023_honghe_second_hospital_public_health_funds.txt", REPORT),
         ("news2017_county_head_plenary_speech.txt", NEWS),
         ("news2013_national_npc_opening_people.txt", NEWS),
         ("news_city_report_review_commentary.txt", NEWS),
         ("news_npc_plan_compilation_explainer.txt", NEWS),
         ("news2025_development_goals_outlook_commentary.txt", NEWS),
         ("law2017_shangsi_agri_funds_integration_measures.txt", LAW),
         ("mof_t20220714_3827010.txt", FISCAL),
         # appended after the first draw (the first 18 held few goals); earlier windows unchanged
         ("news2026_yancheng_audit_same_level_plan.txt", NEWS),
         ("gwr2013_fujian_report_targets_news.txt", PROV),
         ("news2023_national_targets_journal_abstract.txt", NEWS)],
    29: [("gwr1998_national_targets_xinhua_finance.txt", NAT),
         ("gwr2024_national_targets_chinacom_big5.txt", NAT),
         ("gwr2025_chengkou_county_plan_report_notice.txt", PROV),
         ("gwr2024_mudong_town_report_opening.txt", PROV),
         ("gwr2020_district_report_review_ecoinfeed.txt", PROV),
         ("gwr2020_caidian_district_report_abstract.txt", PROV),
         ("budget2025_minle_county_govt_office_dept.txt", BUDGET),
         ("rectification2022_ningbo_audit_findings_opening.txt", REPORT),
         ("review2023_lanshan_audit_rectification_recheck.txt", REPORT),
         ("news2025_npcsc_plan_execution_jjrb.txt", NEWS),
         ("news2025_guyang_county_executive_meeting.txt", NEWS),
         ("news2018_shaanxi_government_plenary_report_draft.txt", NEWS),
         ("news2023_city_key_projects_jan_april_big5.txt", NEWS),
         ("news_mof_central_depts_selfeval_notice.txt", NEWS),
         ("news2019_guangdong_npc_opening_journal.txt", NEWS),
         ("news2019_zhejiang_npc_report_resolution_zjrb.txt", NEWS),
         ("law2012_guizhou_provincial_special_funds_measures_big5.txt", LAW),
         ("mof_t20170911_2695830.txt", FISCAL)],
    30: [("gwr2023_national_targets_xinhua_repost.txt", NAT),
         ("gwr1998_national_report_opening_haiwainet_big5.txt", NAT),
         ("gwr2025_jingan_county_report_opening.txt", PROV),
         ("gwr2025_peixian_county_report_opening.txt", PROV),
         ("gwr2020_wanzhou_report_completion.txt", PROV),
         ("gwr2020_sihui_report_opening.txt", PROV),
         ("budget2021_shuangyashan_united_front_dept_big5.txt", BUDGET),
         ("evaluation_dazhou_commerce_bureau_results_use.txt", REPORT),
         ("selfeval_dazhou_fitness_facilities_project_sample_big5.txt", REPORT),
         ("workplan2026_city_meteorological_bureau_summary.txt", REPORT),
         ("news2025_xizhangcun_town_work_meeting.txt", NEWS),
         ("news2025_binzhou_civil_affairs_planning_meeting.txt", NEWS),
         ("news2024_tianquan_county_government_planning_meeting.txt", NEWS),
         ("news2024_luxiang_town_npc_session.txt", NEWS),
         ("news2017_high_standard_farmland_targets_big5.txt", NEWS),
         ("news2010_govcn_plan_report_spokesman_interview_big5.txt", NEWS),
         ("law2011_city_special_funds_evaluation_measures_tail.txt", LAW),
         ("mof_t20160415_1951291.txt", FISCAL)],
    31: [("gwr2018_national_targets_xinhua_big5.txt", NAT),
         ("gwr2020_xinyang_report_opening_big5.txt", PROV),
         ("gwr2015_hubei_npc_opening_cjn.txt", PROV),
         ("gwr2016_pingli_county_report_opening_big5.txt", PROV),
         ("budget2024_dongzhi_huayuan_township_unit_budget_big5.txt", BUDGET),
         ("selfeval2022_baoshan_beijing_liaison_office_project.txt", REPORT),
         ("rectification2023_zhongshan_audit_joint_supervision.txt", REPORT),
         ("rectification2022_zhongmu_audit_rectification_meeting.txt", REPORT),
         ("news2025_hanshou_county_government_plenary.txt", NEWS),
         ("news2022_county_party_government_joint_meeting_zhld.txt", NEWS),
         ("news2025_yongshou_county_head_office_meeting.txt", NEWS),
         ("news2020_shiyan_theory_group_provincial_sessions.txt", NEWS),
         ("news2020_zhoushan_major_projects_groundbreaking.txt", NEWS),
         ("news2015_provinces_gdp_targets_big5.txt", NEWS),
         ("news2017_menghai_county_report_draft_consultation.txt", NEWS),
         ("law2018_guangdong_provincial_special_funds_measures_big5.txt", LAW),
         ("mof_t20081113_89762.txt", FISCAL)],
    32: [("gwr2015_national_growth_target_chinagate.txt", NAT),
         ("gwr2017_yanchang_county_report_opening_big5.txt", PROV),
         ("gwr2017_loufan_county_report_opening_big5.txt", PROV),
         ("gwr2016_guiyang_county_report_opening.txt", PROV),
         ("gwr2016_gongxian_county_report_opening_big5.txt", PROV),
         ("budget2024_guangshui_chenxiang_town_dept.txt", BUDGET),
         ("rectification2025_luohu_audit_findings_report.txt", REPORT),
         ("rectification2025_luohu_audit_interview_meeting.txt", REPORT),
         ("rectification2023_shuanghe_audit_supervision.txt", REPORT),
         ("rectification2023_xiangcheng_audit_onsite_supervision.txt", REPORT),
         ("workreport2022_yueyang_urban_management_bureau.txt", REPORT),
         ("news2023_mof_minister_press_conference_zhitong.txt", NEWS),
         ("news2020_weixian_county_head_office_meeting.txt", NEWS),
         ("news2022_weihai_secretary_wendeng_delegation_big5.txt", NEWS),
         ("news2025_jinhua_secretary_delegations_big5.txt", NEWS),
         ("news2021_city_key_projects_first_quarter_big5.txt", NEWS),
         ("news2022_city_fourth_quarter_projects_groundbreaking.txt", NEWS),
         ("news2018_langfang_secretary_inspection.txt", NEWS),
         ("law_financial_special_funds_measures_big5_trklw.txt", LAW),
         ("mof_t20101111_348494.txt", FISCAL)],
    33: [("gwr2025_national_targets_xinhua_big5.txt", NAT),
         ("gwr2023_zhangwan_district_report_opening.txt", PROV),
         ("gwr2024_dongli_district_plan_draft_report_opening.txt", PROV),
         ("gwr2024_fujian_plan_targets_big5.txt", PROV),
         ("budget_renshou_hrss_bureau_unit_overview.txt", BUDGET),
         ("selfeval2021_mianyang_science_bureau_projects_sample.txt", REPORT),
         ("rectification2023_wucheng_culture_bureau_inspection.txt", REPORT),
         ("news2025_jiaozuo_government_office_inspection_rectification.txt", REPORT),
         ("news2019_jiading_fourth_quarter_press_conference.txt", NEWS),
         ("news2018_chunan_two_sessions_press_conference_big5.txt", NEWS),
         ("news2021_linshu_county_executive_meeting.txt", NEWS),
         ("news2025_xinjiang_report_press_conference.txt", NEWS),
         ("news2016_zhongzhou_town_targets_big5.txt", NEWS),
         ("news2007_luoyang_finance_work_meeting.txt", NEWS),
         ("law2014_shandong_budget_management_reform_opinions.txt", LAW),
         ("fiscal2023_sucheng_budget_report_big5.txt", FISCAL),
         ("mof_t20120911_682031.txt", FISCAL)],
    34: [("gwr2026_national_targets_xinhua_repost.txt", NAT),
         ("gwr2023_district_report_review_yzwku.txt", PROV),
         ("gwr2025_dongxiang_plan_report_opening_big5.txt", PROV),
         ("gwr2024_panzhihua_dongqu_plan_report_opening_big5.txt", PROV),
         ("gwr2007_district_plan_report_targets_70edu.txt", PROV),
         ("budget2024_gannan_agri_broadcast_school_unit.txt", BUDGET),
         ("selfeval_nanxian_park_project_sample_big5.txt", REPORT),
         ("review_qianyang_inspection_rectification_lookback.txt", REPORT),
         ("review_panji_township_inspection_rectification_assessment.txt", REPORT),
         ("news2018_tibet_report_press_conference_big5.txt", NEWS),
         ("news2022_qinghai_npc_press_conference.txt", NEWS),
         ("news_pingxiang_county_executive_meeting.txt", NEWS),
         ("news2020_tancheng_county_executive_meeting.txt", NEWS),
         ("news2024_dahuangji_town_mobilization.txt", NEWS),
         ("law2014_chengdu_special_funds_measures_big5.txt", LAW),
         ("fiscal2024_lanshan_county_budget_report.txt", FISCAL),
         ("mof_t20180125_2800116.txt", FISCAL)],
}


def draw(batch: int, cut: Cutter = clauses) -> list[dict]:
    """Every clause of the batch's windows, in document order, with an empty label (the draw is
    ``bench.goal_clause_sample.sample``'s for a new batch: these documents, this seed, ``cut``)."""
    rows = sample(batch, SEEDS[batch], [(pathlib.Path(name), kind) for name, kind in DOCS[batch]], cut)
    return [{"doc": r["doc"], "kind": r["kind"], "start": r["start"], "end": r["end"], "label": "",
             "text": r["text"]} for r in rows]


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[0].isdigit() or int(argv[0]) not in DOCS:
        print("usage: python -m bench.goal_batch_draw 23|24|25|26|27|28|29|30|31|32|33|34 OUT.jsonl", file=sys.stderr)
        return 2
    rows = draw(int(argv[0]))
    with open(argv[1], "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(len(rows), "clauses of", len({r["doc"] for r in rows}), "documents")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Three departments' small documents with hand-built analyses, so the
comparison, similarity, catalogue and export tests know every expected number.

Not a test module itself (no ``test_`` prefix): the compare, similar and export
tests import it."""
from __future__ import annotations

import re


from ingest.document import Document, Passage, content_id
from nlp.items import Analysis, DocumentMeta, Figure, Goal, Indicator


def make_document(name: str, text: str) -> Document:
    passages = [Passage(i, m.start(), m.end())
                for i, m in enumerate(re.finditer(r"[^\n]*\S[^\n]*", text))]
    return Document(id=content_id(text.encode("utf-8")), source=name, path=f"/corpus/{name}",
                    format="text", title=name, text=text, passages=passages)


def _span(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    s = text.index(needle, after)
    return s, s + len(needle)


def money(text: str, needle: str, value: float, subject: str | None,
          role: str = "budgeted", in_total: bool = True) -> Figure:
    s, e = _span(text, needle)
    return Figure(start=s, end=e, text=needle, kind="money", value=value, unit="元",
                  subject=subject, role=role, in_total=in_total)


def goal(text: str, needle: str, vague: bool, project: str | None = None) -> Goal:
    s, e = _span(text, needle)
    return Goal(start=s, end=e, text=needle, vague=vague, score=0.8 if vague else 0.2,
                project=project)


def indicator(text: str, needle: str, name: str, level1: str, level2: str, comparator: str,
              value: float | None, unit: str, project: str | None = None,
              score: float | None = None, weight: float | None = None) -> Indicator:
    s, e = _span(text, needle)
    return Indicator(start=s, end=e, text=needle, name=name, level1=level1, level2=level2,
                     comparator=comparator, value=value, unit=unit,
                     target=f"{comparator}{value:g}{unit}" if value is not None else "",
                     project=project, score=score, weight=weight)


EDU = ("教育局2023年安排义务教育补助资金500万元，校舍维修资金200万元。\n"
       "绩效目标：全面提升义务教育办学质量。\n"
       "绩效目标：到2023年底完成10所学校校舍维修。\n"
       "1.校舍维修完成率≥95%\n"
       "培训教师人数（人次）≥300人次\n")
HEALTH = ("卫健委2023年安排公共卫生服务资金800万元。\n"
          "绩效目标：进一步提升公共卫生服务水平。\n"
          "绩效目标：到2023年底完成12所卫生院房屋维修。\n"
          "房屋维修完成率≥90%\n"
          "服务对象满意度≥90%\n")
AGRI = ("农业农村局2022年安排高标准农田建设资金1200万元，其中项目资金300万元。\n"
        "绩效目标：全面提升农业综合生产能力。\n"
        "服务对象满意度=85%\n")


def documents() -> list[tuple[Document, Analysis]]:
    edu = make_document("edu_2023.txt", EDU)
    edu_items = [
        money(EDU, "500万元", 5e6, "补助资金"), money(EDU, "200万元", 2e6, "维修资金"),
        goal(EDU, "全面提升义务教育办学质量", True),
        goal(EDU, "到2023年底完成10所学校校舍维修", False, project="校舍维修"),
        indicator(EDU, "校舍维修完成率≥95%", "1.校舍维修完成率", "产出指标", "质量指标", "≥",
                  95, "%", project="校舍维修", score=9.5, weight=10),
        indicator(EDU, "培训教师人数（人次）≥300人次", "培训教师人数（人次）", "产出指标",
                  "数量指标", "≥", 300, "人次", project="教师培训", score=10, weight=10),
    ]
    health = make_document("health_2023.txt", HEALTH)
    health_items = [
        money(HEALTH, "800万元", 8e6, "服务资金"),
        goal(HEALTH, "进一步提升公共卫生服务水平", True),
        goal(HEALTH, "到2023年底完成12所卫生院房屋维修", False, project="房屋维修"),
        indicator(HEALTH, "房屋维修完成率≥90%", "房屋维修完成率", "产出指标", "质量指标", "≥", 90,
                  "%", project="房屋维修", score=8, weight=10),
        indicator(HEALTH, "服务对象满意度≥90%", "服务对象满意度", "满意度指标",
                  "服务对象满意度指标", "≥", 90, "%", project="房屋维修", score=10, weight=10),
    ]
    agri = make_document("agri_2022.txt", AGRI)
    agri_items = [
        money(AGRI, "1200万元", 1.2e7, "建设资金"), money(AGRI, "300万元", 3e6, "项目资金", in_total=False),
        goal(AGRI, "全面提升农业综合生产能力", True),
        indicator(AGRI, "服务对象满意度=85%", "服务对象满意度=85%", "满意度指标",
                  "服务对象满意度指标", "=", 85, "%"),
    ]
    return [
        (edu, Analysis(items=edu_items, meta=DocumentMeta(
            title="教育", doc_type="goal_table", org="县教育局", region="甲县", year=2023))),
        (health, Analysis(items=health_items, meta=DocumentMeta(
            title="卫健", doc_type="self_evaluation", org="县卫健委", region="甲县", year=2023))),
        (agri, Analysis(items=agri_items, meta=DocumentMeta(
            title="农业", doc_type="goal_table", org="县农业农村局", region="乙县", year=2022))),
    ]


def fill(backend) -> None:
    for d, a in documents():
        backend.add(d, a)


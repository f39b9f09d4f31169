"""Chinese labels the pages show for stored codes (document types, measures).

Codes stay English in the index and the API; people read Chinese. A code
without a label is shown as it is (a new document type still shows up).
"""
from __future__ import annotations

from typing import Any

from nlp.metadata import doc_types, type_label
from search.compare import measure_names

# the one vocabulary of document types (corpora/doctype/types.tsv): code -> 中文标签
DOC_TYPES = {code: zh for code, (zh, _, _) in doc_types().items()}
ITEM_TYPES = {"figure": "数字", "goal": "目标", "indicator": "指标", "org": "单位",
              "region": "地区", "policy_ref": "政策引用", "doc_number": "文号", "date": "日期"}
FIGURE_KINDS = {"money": "金额", "percent": "百分比", "percent_point": "百分点",
                "count": "数量", "measure": "计量", "multiple": "倍数"}


def doc_type_label(code: Any) -> str:
    """``work_report`` -> 政府工作报告 (unknown codes unchanged, empty -> "")."""
    if code in (None, ""):
        return ""
    return type_label(str(code))


def money_label(yuan: Any) -> str:
    """An amount in yuan as people write it: 1.23亿元, 4,567.8万元, 800元."""
    if yuan is None or isinstance(yuan, bool):
        return ""
    v = float(yuan)
    if abs(v) >= 1e8:
        return f"{v / 1e8:,.2f}亿元"
    if abs(v) >= 1e4:
        return f"{v / 1e4:,.2f}".rstrip("0").rstrip(".") + "万元"
    return f"{v:,.2f}".rstrip("0").rstrip(".") + "元"

# the comparison's measures: code -> 中文, from the one vocabulary of measure and
# column names (corpora/compare/measures.tsv, read by search.compare)
MEASURES = {key: zh for key, (zh, _en, _unit) in measure_names().items() if ":" not in key}

"""What an amount is: the ``role`` of each money figure, and which figures a
total may add (``in_total``).

Why: reporters add up amounts, and a total that adds GDP to budget lines, or
counts the same amount twice (summary and table), is worse than none. The role
comes from the words around the figure (``corpora/figures/roles.tsv``): the
word nearest before it in its clause (a noun over a weak word such as 安排 or
预算; with only a weak word, a noun after the figure in its own clauses), then
the rest of its sentence, then the words right after it, then the head of the
list it is an item of (…合计Y，其中：…；其他资金0万元); a change that names no
money of its own (与上年相比增加X) is a change of the amount before it. Table
figures use their row label, column header and caption (a column or caption
naming revenue wins). A figure may enter a total when its role is fiscal, it is in yuan, it
is not the size of a change (an increase over last year is not money of its
own; a cut is), and it is the first statement of that amount in the document.
"""
from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

import corpora
from nlp.items import Figure

AREA = "figures"
FISCAL = ("budgeted", "spent", "revenue", "cut", "debt", "transfer", "investment")
ROLES = (*FISCAL, "per_unit", "economic", "other")
# no line breaks: PDF text breaks lines inside sentences (支出2340.35万\n元，与上年相比减少)
CLAUSE_END = "，,；;：:"
SENTENCE_END = "。；;！？!?"
WINDOW = 40  # characters looked at before a figure
AFTER = 8  # characters looked at after a figure (240万元办案费, 300亿元用于)
# table rows that state a table's total: only these enter totals (the other rows
# are its parts, at several levels: 类, 款, 项)
TOTAL_ROW = re.compile(r"^\s*(?:[一二三四五六七八九十]+、)?\s*(?:合\s*计|总\s*计|本年(?:收入|支出)合计|收入总计|支出总计)")


@dataclass(frozen=True)
class RoleRules:
    words: dict[str, str]
    verbs: frozenset[str]  # weak words: a noun of the same clause wins over them
    pattern: re.Pattern[str]
    budget_markers: tuple[str, ...]
    actual_markers: tuple[str, ...]
    part_markers: tuple[str, ...]
    account_names: tuple[str, ...]
    total_markers: tuple[str, ...]  # 总计, 合计: the sentence states a whole, not a part
    threshold_heads: tuple[str, ...]  # 400万元以上(的)项目: a bound on items, not money
    noun_pattern: re.Pattern[str]  # the role words that are no weak words, longest first


@functools.lru_cache(maxsize=1)
def role_rules() -> RoleRules:
    """The role vocabulary, compiled once per process."""
    words, verbs = {}, set()
    for line in corpora.read_lines(AREA, "roles.tsv"):
        cols = line.split("\t")
        word, role = cols[:2]
        if cols[2:3] == ["verb"]:
            verbs.add(word)
        if role not in ROLES:
            raise ValueError(f"corpora/figures/roles.tsv: unknown role {role!r} for {word!r}")
        words[word] = role
    markers = [line.split("\t")[:2] for line in corpora.read_lines(AREA, "role_markers.tsv")]
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return RoleRules(words, frozenset(verbs), re.compile(f"(?=({alternation}))"),
                     tuple(m for m, k in markers if k == "budget"),
                     tuple(m for m, k in markers if k == "actual"),
                     tuple(m for m, k in markers if k == "part"),
                     tuple(m for m, k in markers if k == "name"),
                     tuple(m for m, k in markers if k == "total"),
                     tuple(m for m, k in markers if k == "threshold"),
                     _alternation(w for w in words if w not in verbs))


def _alternation(words: Iterable[str]) -> re.Pattern[str]:
    """A pattern finding, at every position, the longest of ``words`` starting there."""
    return re.compile("(?=(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + "))")


def nearest_role(text: str) -> str | None:
    """The role of the role word that ends last in ``text`` (the longest one
    when several end at the same place): the word nearest a figure after it;
    a noun before any weak verb word (安排, 用于)."""
    r = role_rules()
    best: tuple[int, int, int, str] | None = None
    for m in r.pattern.finditer(text):
        word = m.group(1)
        key = (word not in r.verbs, m.start() + len(word), len(word), word)
        if best is None or key[:3] > best[:3]:
            best = key
    return r.words[best[3]] if best else None


def first_role(text: str) -> str | None:
    """The role of the first role word in ``text`` (words after a figure)."""
    r = role_rules()
    m = r.pattern.search(text)
    if m is None:
        return None
    longest = max((w for w in r.words if text.startswith(w, m.start())), key=len)
    return r.words[longest]


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    lo = max(0, start - 200)
    s = next((i + 1 for i in range(start - 1, lo - 1, -1) if text[i] in SENTENCE_END), lo)
    hi = min(len(text), end + 200)
    e = next((i for i in range(end, hi) if text[i] in SENTENCE_END), hi)
    return s, e


def _budget_sentence(sentence: str) -> bool:
    r = role_rules()
    for name in r.account_names:
        sentence = sentence.replace(name, "")
    return (any(m in sentence for m in r.budget_markers)
            and not any(m in sentence for m in r.actual_markers))


def noun_role(text: str) -> str | None:
    """The role of the nearest role noun in ``text`` (weak words ignored)."""
    r = role_rules()
    best: tuple[int, int, str] | None = None
    for m in r.noun_pattern.finditer(text):
        word = m.group(1)
        if best is None or (m.start() + len(word), len(word)) > best[:2]:
            best = (m.start() + len(word), len(word), word)
    return r.words[best[2]] if best else None


def _own_rest(rest: str) -> str:
    """The words after a figure that are still about it: up to the clause
    before the next number (that clause is the next amount's)."""
    digit = next((i for i, c in enumerate(rest) if c.isdigit()), None)
    if digit is None:
        return rest
    cut = max(rest.rfind(c, 0, digit) for c in CLAUSE_END)
    return rest[:cut] if cut >= 0 else rest[:digit]


def _first_noun_role(text: str) -> str | None:
    """The role of the first role noun in ``text`` (weak words skipped)."""
    r = role_rules()
    m = r.noun_pattern.search(text)
    return r.words[m.group(1)] if m else None


_COMPARED = re.compile(r"(?:比|较|与|同比|相比|比上年|比去年)")


def text_role(text: str, f: Figure, default: str = "other", before: str | None = None) -> str:
    """The role of a money figure in running text (``default`` when no word
    tells: in a budget every amount is budget money). ``before`` is the role of
    the money figure before it in the same sentence: a change that names no
    money of its own (与上年相比增加872.17万元) is a change of that amount."""
    s, e = _sentence_bounds(text, f.start, f.end)
    left = text[max(s, f.start - WINDOW):f.start]
    clause = left[max((left.rfind(c) for c in CLAUSE_END), default=-1) + 1:]
    if before is not None and f.change and _COMPARED.search(clause) and noun_role(clause) is None:
        return before
    role = nearest_role(clause)
    if role is not None and noun_role(clause) is None:
        # only a weak word before it (安排150亿元，增加对产粮大县的转移支付): a noun
        # after the figure in its sentence says what the money is, up to the next
        # number's clause (争取资金超千亿元，发行专项债券1327亿元: the bonds are the next amount's)
        role = _first_noun_role(_own_rest(text[f.end:e])) or role
    role = (role or nearest_role(left) or first_role(text[f.end:min(e, f.end + AFTER)])
            or _list_head_role(text, s))
    if role not in ("economic", "per_unit") and _per_unit_re().search(clause):
        return "per_unit"  # 人均公用经费500元, 每50公斤提高10元: an amount per head or per unit
    if f.qualifier in ("at_least", "at_most") and text.startswith(role_rules().threshold_heads, f.end):
        return "per_unit"  # 400万元以上基本建设项目: a threshold on what follows
    if role is None:
        return default
    clause_end = next((i for i in range(f.end, e) if text[i] in CLAUSE_END), e)
    if role == "spent" and _budget_sentence(text[f.start - len(clause):clause_end]):
        # the figure's clause only: 零基预算改革 or 实施…计划 in an earlier clause,
        # 得到妥善安排 in a later one, does not make a payment planned
        return "budgeted"
    return role


_LIST_HEAD = re.compile(r"其中\s*[:：]|包括\s*[:：]")
HEAD_REACH = 300  # characters looked back for the head of a list


def _list_head_role(text: str, start: int) -> str | None:
    """一般公共预算收入X，占100%；其他资金0万元，占0%: an item of a list (cut by
    ；) that names no money of its own is a part of what the list's head names
    (本年收入预算合计Y，其中：...). The head is the text before 其中：/包括： of the
    full sentence (up to 。), when the figure's sentence starts inside that list."""
    lo = max(0, start - HEAD_REACH)
    full = next((i + 1 for i in range(start - 1, lo - 1, -1) if text[i] in "。！？!?"), lo)
    m = None
    for m in _LIST_HEAD.finditer(text, full, start):
        pass
    return nearest_role(text[full:m.start()]) if m else None


@functools.lru_cache(maxsize=1)
def _per_unit_re() -> re.Pattern[str]:
    """每 or 人均 before a head or a unit of goods (每人, 每50公斤, 每亩, 人均): not a
    unit of time (每年安排 is a yearly budget, not a price)."""
    from nlp.figure_rules import NUMBER, rules  # the figure grammar's numbers and units

    r = rules()
    units = sorted((u for u, unit in r.units.items() if unit.kind in ("count", "measure")
                    and u not in r.durations and unit.stored not in r.durations and not u.startswith("个")),
                   key=len, reverse=True)
    alternation = "|".join(re.escape(u) for u in units)
    heads = "|".join(w for w, role in role_rules().words.items() if role == "per_unit" and w.endswith("均"))
    return re.compile(rf"{heads or '人均'}|每\s*(?:{NUMBER})?\s*(?:{alternation})")


def table_role(row_label: str | None, column: str | None, caption: str | None) -> str:
    """The role of a table cell: its row label, then column header, then caption.
    A column that names revenue (收入预算, 财政拨款收入) wins over a row label of
    spending: a revenue table lists its money by the functions it pays for."""
    if nearest_role(column or "") == "revenue" or nearest_role(caption or "") == "revenue":
        return "revenue"  # 收入预算 / 合计, 部门收入预算总表 (not 收支总表: no role word)
    for part in (row_label, column, caption):
        role = nearest_role(part or "")
        if role is not None:
            if role == "spent" and _budget_sentence(" ".join(p or "" for p in (column, caption))):
                return "budgeted"
            return role
    return "other"


def budget_document(title: str) -> bool:
    """A budget (not final accounts): its title says 预算 and not 决算/执行."""
    return _budget_sentence(title or "")


# document types that account for one body's money (a department's or unit's
# budget, final accounts): every amount in them is a part of its total
ONE_ENTITY_TYPES = frozenset({"budget", "unit_budget", "final_accounts"})


def assign(text: str, figures: list[Figure], budget_doc: bool = False,
           one_entity: bool = False, default_role: str = "other") -> None:
    """Set ``role`` on money figures (table figures keep the role they were given)
    and ``in_total`` on all money figures: the ones a total may add. In a budget
    document (``budget_doc``) what is spent is what the budget plans. In a
    document of one body's accounts (``one_entity``) only the whole of each role
    enters a total (see :func:`_keep_wholes`). ``default_role`` is the role of
    an amount no word explains (budgeted in a budget, spent in final accounts)."""
    seen: dict[str, _Amounts] = {}
    previous: Figure | None = None
    for f in figures:
        if f.kind != "money":
            continue
        if f.role is None:
            f.role = text_role(text, f, default_role, _role_before(text, previous, f))
        elif f.role == "other":
            f.role = default_role  # a table line no header explains (电费, 计划生育服务)
        if budget_doc and f.role == "spent":
            f.role = "budgeted"
        previous = f
        if f.in_total is False:
            continue  # a table cell right of its row's total: the same money again
        f.in_total = not _baseline(text, f) and not _part(text, f) and _countable(f, seen)
    if one_entity:
        _keep_wholes(text, figures)


def _role_before(text: str, previous: Figure | None, f: Figure) -> str | None:
    """The role of ``previous`` when it is a text figure of ``f``'s sentence."""
    if previous is None or previous.row_header is not None or previous.end > f.start:
        return None
    return previous.role if not any(c in text[previous.end:f.start] for c in SENTENCE_END) else None


def _keep_wholes(text: str, figures: list[Figure]) -> None:
    """In one body's budget or accounts the amounts nest: 三公经费, 机关运行经费,
    基本支出 and each table's 合计 are parts of the budget's 收支总计, so adding
    them counts the same money again. Per role only the whole stays in totals:
    the largest amount of the role that is stated as a total (总计, 合计, a
    table's total row) or restates one (the text's 支出预算3,121.42万元 is the
    table's 合计 31,214,205.80: a sub-table's 合计 of 基本支出 is smaller), when
    the role has a stated total at all. An amount stated once and as no total
    (last year's 预算执行数, misprinted 43269.3万元 in one real budget) is no whole.

    A document that states no fiscal total at all keeps its amounts: the rule
    trusts the document-type classifier, and a work report or a news text
    taken for a budget states no 总计 of its separate amounts (keeping only the
    largest would drop the others silently). In a document that does, a role
    with no stated total keeps its largest amount (年初预算, 全年预算 and the
    budgets of 三公经费 in final accounts are not separate money)."""
    by_role: dict[str, list[Figure]] = {}
    for f in figures:
        if f.kind == "money" and f.in_total:
            by_role.setdefault(f.role or "", []).append(f)
    stated = [f for f in figures if f.kind == "money" and f.role in FISCAL and f.value is not None
              and _states_total(text, f)]
    if not stated:
        return
    for role, group in by_role.items():
        totals = [float(f.value) for f in stated if f.role == role]
        wholes = [f for f in group if _states_total(text, f)
                  or any(abs(float(f.value or 0) - v) <= _precision(f) for v in totals)]
        whole = max(wholes or group, key=lambda f: float(f.value or 0))
        for f in group:
            f.in_total = f is whole


def _states_total(text: str, f: Figure) -> bool:
    """The figure is stated as a whole: a table's total row, or a total word
    (总计, 合计 ...) in its clause before it."""
    if f.row_header is not None:
        return bool(TOTAL_ROW.match(f.row_header))
    s, _e = _sentence_bounds(text, f.start, f.end)
    left = text[max(s, f.start - WINDOW):f.start]
    return any(m in left for m in role_rules().total_markers)


_TO_LATER = re.compile(r"^(?:提高|增加|增长|上升|降低|下降|减少|扩大|缩小|调整)?[到至]")


def _baseline(text: str, f: Figure) -> bool:
    """从1.29万亿元提高到1.39万亿元: the first amount is an earlier level of the
    second; only the later one enters a total."""
    if not _TO_LATER.match(text[f.end:f.end + 6]):
        return False
    left = text[max(0, f.start - WINDOW):f.start]
    clause = left[max((left.rfind(c) for c in CLAUSE_END), default=-1) + 1:]
    return "从" in clause or "由" in clause


def _part(text: str, f: Figure) -> bool:
    """收入预算X，其中：财政拨款收入Y: Y is a part of X, already in its total."""
    if f.row_header is not None:
        return False  # table cells: see TOTAL_ROW
    s, _e = _sentence_bounds(text, f.start, f.end)
    return any(m in text[s:f.start] for m in role_rules().part_markers)


def _precision(f: Figure) -> float:
    """Half the last written digit, in yuan: 37,151.47万元 -> 50 (it may restate
    the table's 371,514,655.00)."""
    m = re.search(r"[0-9０-９][0-9０-９,，]*(?:[.．]([0-9０-９]+))?", f.text)
    if m is None or not f.value:
        return 0.005
    try:
        number = float(m.group().replace(",", "").replace("，", "").replace("．", "."))
    except ValueError:
        return 0.005
    if number == 0:
        return 0.005
    decimals = len(m.group(1) or "")
    return 0.5 * 10 ** -decimals * abs(float(f.value) / number)


def _countable(f: Figure, seen: dict[str, "_Amounts"]) -> bool:
    if f.role not in FISCAL or f.currency or f.value is None or f.high is not None:
        return False
    if f.change and f.role != "cut":
        return False  # the size of a change, not money of its own
    if f.row_header is not None and not TOTAL_ROW.match(f.row_header):
        return False  # a part of a table (its total row is counted)
    value, tol = float(f.value), _precision(f)
    if not math.isfinite(value):
        return True  # restates nothing (no distance to it is within a tolerance)
    same_role = seen.setdefault(f.role, _Amounts())
    if same_role.restates(value, tol):
        return False  # the same amount restated (summary and table)
    same_role.add(value, tol)
    return True


class _Amounts:
    """Amounts already counted for one role, sorted, so asking whether a new one
    restates one of them looks only at its neighbours (a long text has tens of
    thousands: comparing with each was quadratic, minutes on a 5 MB newspaper)."""

    def __init__(self) -> None:
        self.values: list[float] = []
        self.tols: list[float] = []
        self.widest = 0.0  # the largest tolerance stored

    def restates(self, value: float, tol: float) -> bool:
        """Some stored ``v`` (tolerance ``t``) with ``|value - v| <= max(tol, t)``."""
        reach = max(tol, self.widest)
        lo = bisect.bisect_left(self.values, value - reach)
        hi = bisect.bisect_right(self.values, value + reach)
        return any(abs(value - self.values[i]) <= max(tol, self.tols[i]) for i in range(lo, hi))

    def add(self, value: float, tol: float) -> None:
        i = bisect.bisect_right(self.values, value)
        self.values.insert(i, value)
        self.tols.insert(i, tol)
        self.widest = max(self.widest, tol)

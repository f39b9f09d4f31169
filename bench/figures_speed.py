"""Figure extraction: speed (MB/s, one core) and money accuracy, ours vs JioNLP.

``python -m bench --only figures_speed`` runs it. Both extractors see the same
texts in the same run:

* speed: every .txt/.md file of ``shared/bench-corpus`` (falling back to
  ``shared/corpus``), CPU time after a warm-up so loading dictionaries is not
  counted, and the ratio of the two speeds in the same run (robust to a busy
  machine); ours is the whole figure extractor (all kinds, qualifiers, changes,
  subjects), JioNLP's ``extract_money`` finds money only;
* accuracy: the money figures of ``shared/gold/figures_dev.jsonl`` (text
  documents; within the labelled regions), matched as score.py matches figures:
  overlapping span and the same value in yuan (for a JioNLP range such as
  ``92万余元`` -> [920000, 930000], its low end);
* forms: the written forms of money the issue lists (FORMS below), one
  sentence each: found with the right value or not.

JioNLP is the optional extra ``bench`` (``pip install -e '.[bench]'``); when it
cannot be imported the reason is printed and only our numbers are reported.
"""
from __future__ import annotations

import json
import math
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable

from nlp import figure_eval
from nlp.figures import find_figures

Span = tuple[int, int, float]  # start, end, value in yuan
TARGET_MBPS = 2.0  # issue 10: extraction keeps >= 2 MB/s (CPU time, one core)


def _texts(shared: Path) -> list[str]:
    for folder in (shared / "bench-corpus", shared / "corpus"):
        files = sorted(p for p in folder.glob("*") if p.suffix in (".txt", ".md"))
        if files:
            return [p.read_text(encoding="utf-8", errors="replace") for p in files]
    return []


def _ours_money(text: str) -> list[Span]:
    return [(f.start, f.end, f.value) for f in find_figures(text)
            if f.kind == "money" and f.value is not None]


Full = tuple[int, int, float, "float | None", "str | None"]  # + high end, currency


def _ours_full(text: str) -> list[Full]:
    return [(f.start, f.end, f.value, f.high, f.currency) for f in find_figures(text)
            if f.kind == "money" and f.value is not None]


def _jionlp_full() -> Callable[[str], list[Full]] | None:
    """JioNLP's money with both ends of a range and the currency (its ``case``
    mapped to ISO codes through corpora/figures/currencies.tsv)."""
    try:
        from jionlp import ner
    except Exception:  # noqa: BLE001 - reported by _load_jionlp
        return None
    import corpora

    codes = dict(line.split("\t")[:2] for line in corpora.read_lines("figures", "currencies.tsv"))

    def money(text: str) -> list[Full]:
        out: list[Full] = []
        for item in ner.extract_money(text):
            detail = item.get("detail", {})
            num = detail.get("num")
            try:
                low = float(num[0] if isinstance(num, list) else num)
                high = float(num[1]) if isinstance(num, list) and len(num) > 1 else None
            except (TypeError, ValueError, IndexError):
                continue
            case = detail.get("case") or "元"
            out.append((*item["offset"], low, high, codes.get(case)))
        return out

    return money


BATTERIES = tuple(name for _area, name in figure_eval.BATTERIES)  # every number battery


def _battery_money(predict: Callable[[str], list[Full]]) -> tuple[int, int]:
    """Money cases of the number batteries (corpora/figures/battery*.jsonl) read
    right: exactly the wanted amounts (value, high end, currency), nothing else."""
    import corpora
    from nlp.scoring import read_jsonl

    right = total = 0
    cases = [c for name in BATTERIES for c in read_jsonl(corpora.path("figures", name))]
    for case in cases:
        want = [w for w in case["want"] if w["kind"] == "money"]
        if not want:
            continue
        total += 1
        got = [(v, h, c) for _s, _e, v, h, c in predict(case["text"])]
        left = list(got)
        ok = True
        for w in want:
            hit = next((g for g in left if _close(w["value"], g[0]) and (
                w.get("high") is None and g[1] is None or _close(w.get("high") or 0, g[1]))
                and w.get("currency") == g[2]), None)
            if hit is None:
                ok = False
                break
            left.remove(hit)
        right += ok and not left
    return right, total


def _load_jionlp() -> tuple[Callable[[str], list[Span]] | None, str]:
    try:
        import jionlp  # noqa: F401  (prints a banner on import)
        from jionlp import ner
    except Exception as err:  # ImportError, or a failure inside the package
        return None, f"{type(err).__name__}: {err}"

    def money(text: str) -> list[Span]:
        out = []
        for item in ner.extract_money(text):
            num = item.get("detail", {}).get("num")
            low = num[0] if isinstance(num, list) else num
            try:
                value = float(low)
            except (TypeError, ValueError):
                continue
            start, end = item["offset"]
            out.append((start, end, value))
        return out

    return money, "ok"


def _speed(fn: Callable[[str], object], texts: list[str]) -> tuple[float, float]:
    """(MB/s, seconds) over all texts, after one warm-up call. CPU time of this
    process: on a shared machine wall time measures the neighbours too."""
    fn("预计压减预算资金约2亿元，帮助218名残疾人，比去年多100万人。")
    size = sum(len(t.encode("utf-8")) for t in texts)
    t0 = time.process_time()
    for t in texts:
        fn(t)
    dt = time.process_time() - t0
    return size / 1e6 / dt if dt else math.inf, dt


def _gold(shared: Path) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    items: dict[str, list[dict]] = defaultdict(list)
    regions: dict[str, list[dict]] = defaultdict(list)
    path = shared / "gold" / "figures_dev.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        g = json.loads(line)
        if not g["doc"].endswith((".txt", ".md")):
            continue  # PDFs match on page, not offsets: not comparable for JioNLP
        (regions if g.get("type") == "region" else items)[g["doc"]].append(g)
    return items, regions


def _close(a: float, b: float | None) -> bool:
    return b is not None and math.isclose(float(a), float(b), rel_tol=1e-6)


def _money_scores(predict: Callable[[str], list[Span]], shared: Path) -> dict[str, float]:
    gold, regions = _gold(shared)
    tp = n_gold = n_pred = 0
    for doc in sorted(set(gold) | set(regions)):
        text = (shared / "corpus" / doc).read_text(encoding="utf-8")
        spans = [(r["start"], r["end"]) for r in regions.get(doc, [])]
        preds = [p for p in predict(text) if not spans or any(s <= p[0] < e for s, e in spans)]
        figs = gold.get(doc, [])
        money = [g for g in figs if g["kind"] == "money" and not g.get("optional")]
        n_gold += len(money)
        used: set[int] = set()
        for g in money:
            for i, (s, e, v) in enumerate(preds):
                if i not in used and s < g["end"] and g["start"] < e and _close(v, g["value"]):
                    used.add(i)
                    tp += 1
                    break
        # a money prediction on an optional gold figure neither helps nor hurts
        optional = [g for g in figs if g.get("optional")]
        n_pred += sum(1 for i, (s, e, _) in enumerate(preds) if i in used or not any(
            s < g["end"] and g["start"] < e for g in optional))
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "correct": tp, "gold": n_gold, "pred": n_pred}


# Written forms of money from the issue (not gold): sentence, value in yuan.
FORMS = (
    ("补助资金2万3千元已拨付。", 23000), ("总投资3亿2千万元。", 320000000), ("奖励10万5千元。", 105000),
    ("筹集一千多万元用于改造。", 10000000), ("每户补贴三十几万元。", 300000), ("安排1,100万元。", 11000000),
    ("贷款8亿元人民币。", 800000000), ("合计壹佰贰拾叁万元整。", 1230000), ("资金273180.48万元。", 2731804800),
    ("节约3,226,267.32元。", 3226267.32), ("安排三千二百万元。", 32000000), ("赤字2.38万亿元。", 2.38e12),
    ("收入３５６万元。", 3560000), ("每次200多块钱。", 200), ("补助20-30万元。", 200000),
)


def _forms_score(predict: Callable[[str], list[Span]]) -> int:
    return sum(any(_close(v, value) for _, _, v in predict(text)) for text, value in FORMS)


def _line(name: str, mbps: float, secs: float, s: dict[str, float]) -> str:
    return (f"   {name:<8} speed {mbps:7.2f} MB/s ({secs:.2f} s)   money P={s['precision']:.3f} "
            f"R={s['recall']:.3f} F1={s['f1']:.3f} ({s['correct']}/{s['gold']} gold, {s['pred']} predicted)")


def run(shared: Path) -> None:
    shared = Path(shared)
    texts = _texts(shared)
    size = sum(len(t.encode("utf-8")) for t in texts)
    print(f"   texts: {len(texts)} files, {size / 1e6:.2f} MB; gold: money figures of figures_dev")
    mbps, secs = _speed(find_figures, texts)
    ours = _money_scores(_ours_money, shared)
    b_ok, b_n = _battery_money(_ours_full)
    print(_line("ours", mbps, secs, ours) + f"   forms {_forms_score(_ours_money)}/{len(FORMS)}"
          f"   battery money {b_ok}/{b_n}")
    jio, why = _load_jionlp()
    if jio is None:
        print(f"   jionlp: not available ({why}); only our numbers are reported; "
              f"target >= {TARGET_MBPS:g} MB/s: {'met' if mbps >= TARGET_MBPS else 'MISSED'}")
        return
    j_mbps, j_secs = _speed(jio, texts)
    theirs = _money_scores(jio, shared)
    jio_full = _jionlp_full()
    jb_ok, _ = _battery_money(jio_full) if jio_full else (0, b_n)
    print(_line("jionlp", j_mbps, j_secs, theirs) + f"   forms {_forms_score(jio)}/{len(FORMS)}"
          f"   battery money {jb_ok}/{b_n}  (money only)")
    verdict = "more" if ours["f1"] > theirs["f1"] else "NOT more"
    print(f"   ours is {verdict} accurate on money (F1 {ours['f1']:.3f} vs {theirs['f1']:.3f}); "
          f"speed ratio ours/jionlp {mbps / j_mbps:.2f} (same texts, same run); "
          f"target >= {TARGET_MBPS:g} MB/s: {'met' if mbps >= TARGET_MBPS else 'MISSED'}")

"""One-off builder of ``examples.jsonl``: labelled excerpts for the document-type
classifier (nlp/doctype.py). Run from the repository root when the bench corpus
(../shared/bench-corpus, see its SOURCES.tsv for origins) is present; the output
is committed, so training never needs that folder or the network.

Labels (corpora/doctype/types.tsv): work_report (government work reports),
fiscal_report (the Ministry of Finance's 财政收支情况), news (newspaper articles:
one example per article of the sample pages), plus the samples in
corpora/samples. Every bench document of the labelled metadata samples
(``labelled_metadata*.jsonl``, used by nlp/meta_eval.py) is left out, so the
evaluation documents are never training documents; that takes all 12 bench
laws, so law examples come from the sample law and ``handwritten.jsonl``, as do
the other types public corpora lack.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from ingest.readers import read  # noqa: E402
from nlp.articles import split_articles  # noqa: E402

from nlp.meta_eval import bench_dir  # noqa: E402

BENCH = bench_dir() or ROOT.parent / "shared" / "bench-corpus"
CHUNK = 700


def chunks(text: str, n: int) -> list[str]:
    text = text.strip()
    out = [text[:CHUNK]]
    if n > 1 and len(text) > 3 * CHUNK:
        mid = len(text) // 2
        out.append(text[mid:mid + CHUNK])
    return out


def labelled_docs() -> set[str]:
    """Bench files of the labelled metadata samples (never used for training)."""
    out = set()
    for f in (ROOT / "corpora" / "doctype").glob("labelled_metadata*.jsonl"):
        out |= {json.loads(line)["doc"] for line in f.read_text(encoding="utf-8").splitlines() if line.strip()}
    return out


def main() -> None:
    rows = []
    held = labelled_docs()
    files = sorted(f for f in BENCH.glob("*.*") if f.name not in held)
    picks = {"gwr": ("work_report", 1, 40), "mof": ("fiscal_report", 1, 40)}
    taken: dict[str, int] = {}
    for f in files:
        prefix = f.name.split("_")[0].rstrip("0123456789")
        if prefix not in picks:
            continue
        label, n, cap = picks[prefix]
        # spread the picks over the whole list (every k-th file)
        total = sum(1 for g in files if g.name.split("_")[0].rstrip("0123456789") == prefix)
        step = max(1, total // cap)
        idx = taken.get(prefix, 0)
        taken[prefix] = idx + 1
        if idx % step:
            continue
        text = f.read_text(encoding="utf-8", errors="replace")
        for c in chunks(text, n):
            rows.append({"label": label, "source": f"bench:{f.name}", "text": c})
    samples = {"budget2023_shanghai_putuo_wanli_subdistrict_dept.pdf": "budget",
               "budget2025_shanghai_putuo_finance_bureau_dept.pdf": "budget",
               "gwr2026_guangdong.txt": "work_report", "gwr2026_guizhou.txt": "work_report",
               "gwr_national_2017.txt": "work_report", "law_budget_law_2018.md": "law",
               "leling_budget_performance_2019.txt": "news",
               "yantai_daily_budget_performance_2023.txt": "news"}
    for name, label in samples.items():
        doc = read(ROOT / "corpora" / "samples" / name)
        if label == "news" and "本报" in doc.text:
            for a in split_articles(doc.text, doc.title):
                body = "\n".join(doc.text[s:e] for s, e in a.parts)
                if len(body) > 150:
                    rows.append({"label": label, "source": f"sample:{name}#{a.index}",
                                 "text": body[:CHUNK]})
        else:
            for c in chunks(doc.text, 2):
                rows.append({"label": label, "source": f"sample:{name}", "text": c})
    out = Path(__file__).with_name("examples.jsonl")
    with out.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(rows)} examples -> {out}")


if __name__ == "__main__":
    main()

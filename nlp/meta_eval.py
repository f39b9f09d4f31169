"""Document metadata (type, org, region, year) scored on hand-labelled real documents.

``corpora/doctype/labelled_metadata.jsonl`` holds one line per document of the
shared bench corpus: every PDF of ``bench-corpus/real/`` (department and unit
budgets, final accounts, information-disclosure reports, a template) and a
seeded random sample of its texts (all 12 laws, 10 provincial and 8 national
work reports, 10 Ministry of Finance fiscal reports). Each line names the file
(``doc``, relative to the bench corpus) and the metadata a person read off its
cover, title and issuer line *before* any rule was changed on it: ``doc_type``
(a value of ``corpora/doctype/types.tsv``), ``org`` (canonical name, see
``corpora/entities/org_canonical.tsv``), ``region`` (division name, 全国 for
national documents), ``year`` (the year the document is about: a budget's
budget year, a report's reporting year, a law's latest version), ``未知`` where
the document says nothing.

Labelling choices: a tables-only volume of a department budget is a
``budget``; the official final-accounts template's department is a
placeholder (上海市XX局), so its org is 未知; a law's org is the body that
passed it (人民代表大会常务委员会, the 人民代表大会 when the congress itself did, 国务院 for State
Council regulations); a fiscal report's org is 财政部 (国库司 is its division).

``labelled_metadata_heldout.jsonl`` (16 more bench texts: 5 provincial and 5
national work reports, 6 fiscal reports, drawn with another seed) was labelled
after the rules were written and scored once before and once after, without
looking at its errors in between.

Reported: accuracy per field, per gold document type, per group (``real`` PDFs
vs bench ``texts``), the share with all four fields right, and (``model``) how often the type
classifier (n-grams with the rules as features) gives the right type on its own. Reading the 28
PDFs takes about a minute; their text is cached under the data directory.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import corpora
from ingest.document import Document
from ingest.readers import read
from nlp.scoring import read_jsonl

SAMPLES = ("labelled_metadata.jsonl", "labelled_metadata_heldout.jsonl")
FIELDS = ("doc_type", "org", "region", "year")
COLUMNS = (*FIELDS, "all", "model")  # model: the type classifier on its own
UNKNOWN = "未知"


def bench_dir() -> Path | None:
    """The shared bench corpus: ``$POLICYLENS_SHARED/bench-corpus`` or a ``shared``
    folder next to (or one above) the checkout."""
    root = Path(__file__).resolve().parents[1]
    cands = [Path(os.environ["POLICYLENS_SHARED"])] if os.environ.get("POLICYLENS_SHARED") else []
    cands += [root.parent / "shared", root.parent.parent / "shared"]
    for c in cands:
        if (c / "bench-corpus").is_dir():
            return c / "bench-corpus"
    return None


def _cache_dir() -> Path | None:
    data = os.environ.get("POLICYLENS_DATA_DIR")
    return Path(data) / "meta_eval_cache" if data else None


def load_document(path: Path) -> Document:
    """Read a file, reusing the cached text of an earlier run (PDF reading is slow)."""
    cache = _cache_dir()
    key = hashlib.sha256(f"{path}:{path.stat().st_mtime_ns}".encode()).hexdigest()[:16]
    if cache is not None and (cache / f"{key}.json").exists():
        d = json.loads((cache / f"{key}.json").read_text(encoding="utf-8"))
        return Document(id=key, source=path.name, path=str(path), format=d["format"],
                        title=d["title"], text=d["text"])
    doc = read(path)
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        (cache / f"{key}.json").write_text(json.dumps(
            {"format": doc.format, "title": doc.title, "text": doc.text}, ensure_ascii=False),
            encoding="utf-8")
    return doc


def predict(doc: Document) -> dict[str, object]:
    """The four metadata fields the analysis gives a document (未知 for none)."""
    from nlp.entities import analyse_text

    from nlp.doctype import classify

    meta = analyse_text(doc).meta
    return {"doc_type": meta.doc_type or UNKNOWN, "org": meta.org or UNKNOWN,
            "region": meta.region or UNKNOWN, "year": meta.year or UNKNOWN,
            "model_type": classify(doc.text, doc.title)[0] or UNKNOWN}


@dataclass
class Tally:
    """Right answers per field and all-four, over ``n`` documents."""

    n: int = 0
    right: dict[str, int] = field(default_factory=lambda: {f: 0 for f in COLUMNS})

    def add(self, ok: dict[str, bool], model_ok: bool) -> None:
        self.n += 1
        for f, v in ok.items():
            self.right[f] += int(v)
        self.right["all"] += int(all(ok.values()))
        self.right["model"] += int(model_ok)

    def acc(self, f: str) -> float:
        return self.right[f] / self.n if self.n else 0.0


def evaluate(name: str = SAMPLES[0]) -> tuple[dict[str, Tally], list[tuple[str, str, object, object]]] | None:
    """Tallies by group (``all``, ``real``, ``texts``, ``type:<gold type>``) and the
    (doc, field, gold, predicted) errors of one labelled file; ``None`` without
    the bench corpus."""
    bench = bench_dir()
    if bench is None:
        return None
    tallies: dict[str, Tally] = defaultdict(Tally)
    errors = []
    for row in read_jsonl(corpora.path("doctype", name)):
        path = bench / row["doc"]
        if not path.exists():
            continue
        pred = predict(load_document(path))
        ok = {f: str(pred[f]) == str(row[f] if row[f] is not None else UNKNOWN) for f in FIELDS}
        group = "real" if row["doc"].startswith("real/") else "texts"
        for key in ("all", group, f"type:{row['doc_type']}"):
            tallies[key].add(ok, pred["model_type"] == row["doc_type"])
        errors += [(row["doc"], f, row[f], pred[f]) for f in FIELDS if not ok[f]]
    return tallies, errors


def report(show_errors: bool = True) -> dict[str, dict[str, Tally]] | None:
    """Print accuracy per field / group / document type and the errors, per labelled file."""
    out = {}
    for name in SAMPLES:
        tallies = _report_one(name, show_errors)
        if tallies is None:
            return None
        out[name] = tallies
    return out


def _report_one(name: str, show_errors: bool) -> dict[str, Tally] | None:
    result = evaluate(name)
    if result is None:
        print("元数据评测 metadata evaluation: bench corpus not found (set POLICYLENS_SHARED)")
        return None
    tallies, errors = result
    print(f"元数据评测 metadata evaluation: corpora/doctype/{name} "
          f"({tallies['all'].n} hand-labelled documents)")
    print(f"  {'group':28s} {'n':>3s}  " + "  ".join(f"{f:>8s}" for f in COLUMNS))
    for key in ["all", "real", "texts", *sorted(k for k in tallies if k.startswith("type:"))]:
        t = tallies[key]
        if not t.n:
            continue
        print(f"  {key:28s} {t.n:3d}  " + "  ".join(f"{t.acc(f):8.3f}" for f in COLUMNS))
    if show_errors:
        for doc, f, gold, pred in errors:
            print(f"  [{doc}] {f}: gold {gold!r} predicted {pred!r}")
    return dict(tallies)


if __name__ == "__main__":
    report()

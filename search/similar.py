"""Near-duplicate goals and indicators across departments, and the indicator catalogue.

Reviewers want to see how different departments phrase the same target. Texts
are compared as character 1-3-grams (TF-IDF, cosine): Chinese needs no word
segmentation for that, and small edits (another year, another number, 提高 vs
提升) keep most grams in common. Groups come from average-linkage clustering
cut at ``1 - threshold`` (every member is on average that similar to the rest,
so one borderline text cannot chain two unrelated groups together as
single-linkage would).

The catalogue lists each distinct indicator name after normalisation
(``corpora/compare/indicator_name_strip.txt``) with the departments that use it
and their target values.

Everything reads items through :meth:`Backend.query_items`, so both stores work.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from typing import Any, Iterator

import corpora
from search.backend import MAX_LIMIT, Backend, Filter, ItemQuery

DEFAULT_THRESHOLD = 0.6
# texts clustered at most (the similarity matrix is n x n)
MAX_TEXTS = 4000
TYPES = {"goal": "text", "indicator": "name"}


def iter_items(backend: Backend, item_type: str, filters: list[Filter] | None = None,
               cap: int | None = None) -> Iterator[dict[str, Any]]:
    """All items of a type, page by page (``query_items`` caps a page at MAX_LIMIT)."""
    offset = 0
    while True:
        page = backend.query_items(ItemQuery(type=item_type, filters=list(filters or []),
                                             limit=MAX_LIMIT, offset=offset))
        yield from page.items
        offset += len(page.items)
        if not page.items or offset >= page.total or (cap is not None and offset >= cap):
            return


def document_owners(backend: Backend) -> dict[str, str]:
    """doc_id -> the document's organisation (else region), from ``list_documents``."""
    out: dict[str, str] = {}
    offset = 0
    while True:
        docs, total = backend.list_documents(limit=MAX_LIMIT, offset=offset)
        for d in docs:
            owner = d.get("org") or d.get("region")
            if owner:
                out[str(d["id"])] = str(owner)
        offset += len(docs)
        if not docs or offset >= total:
            return out


def department(item: dict[str, Any], owners: dict[str, str] | None = None) -> str:
    """Who states the item: the organisation in its own context, else the
    document's organisation (or region), else the document's name."""
    ctx = item.get("context") or {}
    return str(ctx.get("org") or (owners or {}).get(str(item.get("doc_id"))) or ctx.get("region")
               or item.get("doc") or "")


def clean_text(s: str) -> str:
    """Width-folded text without spaces: what the similarity compares."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


# ---- clustering (pure) -------------------------------------------------------------


def cluster_texts(texts: list[str], threshold: float = DEFAULT_THRESHOLD
                  ) -> tuple[list[list[int]], Any]:
    """Groups of indices into ``texts`` whose average pairwise cosine similarity
    (char 1-3-gram TF-IDF) is at least ``threshold``; singletons included.

    Returns the groups (largest first) and the similarity matrix."""
    import numpy as np

    n = len(texts)
    if n == 0:
        return [], np.zeros((0, 0))
    if n == 1:
        return [[0]], np.ones((1, 1))
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
    sim = cosine_similarity(vec.fit_transform(texts))
    np.clip(sim, 0.0, 1.0, out=sim)
    dist = 1.0 - sim
    np.fill_diagonal(dist, 0.0)
    labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                     distance_threshold=max(1e-9, 1.0 - threshold)
                                     ).fit_predict(dist)
    groups: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        groups.setdefault(int(lab), []).append(i)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0])), sim


def similar_groups(backend: Backend, item_type: str = "goal",
                   threshold: float = DEFAULT_THRESHOLD, filters: list[Filter] | None = None,
                   min_size: int = 2, min_orgs: int = 1) -> list[dict[str, Any]]:
    """Groups of near-duplicate goal texts / indicator names, the ones spanning
    the most departments first. Identical texts are one point of the clustering
    (and still all listed as members)."""
    if item_type not in TYPES:
        raise ValueError(f"类型只能是 type must be one of: {', '.join(TYPES)}")
    if not 0.0 < threshold <= 1.0:
        raise ValueError("阈值须在 (0, 1] 之间 threshold must be in (0, 1]")
    key = TYPES[item_type]
    owners = document_owners(backend)
    by_text: dict[str, list[dict[str, Any]]] = {}
    for it in iter_items(backend, item_type, filters):
        raw = it.get(key) or it.get("text") or ""
        t = normalize_name(raw) if item_type == "indicator" else clean_text(raw)
        if t:
            by_text.setdefault(t, []).append(it)
    texts = list(by_text)[:MAX_TEXTS]
    groups, sim = cluster_texts(texts, threshold)
    out = []
    for g in groups:
        members = [it for i in g for it in by_text[texts[i]]]
        orgs = sorted({department(m, owners) for m in members})
        if len(members) < min_size or len(orgs) < min_orgs:
            continue
        if len(g) > 1:
            sub = sim[g][:, g]
            mean = float((sub.sum() - len(g)) / (len(g) * (len(g) - 1)))
            centre = g[int(sub.sum(axis=1).argmax())]
        else:
            mean, centre = 1.0, g[0]
        out.append({"representative": texts[centre], "size": len(members),
                    "variants": len(g), "n_orgs": len(orgs), "orgs": orgs,
                    "similarity": round(mean, 4),
                    "members": [_member(m, item_type, owners) for m in members]})
    out.sort(key=lambda x: (-x["n_orgs"], -x["size"], x["representative"]))
    for n, grp in enumerate(out, start=1):
        grp["group"] = n
    return out


def _member(it: dict[str, Any], item_type: str, owners: dict[str, str]) -> dict[str, Any]:
    m = {"org": department(it, owners), "text": it.get("text"), "doc": it.get("doc"),
         "doc_id": it.get("doc_id"), "id": it.get("id"), "start": it.get("start"),
         "end": it.get("end"), "page": it.get("page")}
    if item_type == "indicator":
        m.update({k: it.get(k) for k in ("name", "comparator", "value", "unit", "target")})
    else:
        m["vague"] = it.get("vague")
    return m


def group_rows(groups: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """Flat table (one row per member) for CSV/XLSX."""
    header = ["组 group", "代表表述 representative", "相似度 similarity", "单位 org",
              "表述 text", "文档 doc", "起 start", "止 end", "页 page"]
    rows = [[g["group"], g["representative"], g["similarity"], m["org"],
             m.get("name") or m["text"], m["doc"], m["start"], m["end"], m["page"]]
            for g in groups for m in g["members"]]
    return header, rows


# ---- indicator catalogue -----------------------------------------------------------


@functools.lru_cache(maxsize=1)
def name_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in corpora.read_lines("compare", "indicator_name_strip.txt"))


def normalize_name(name: str) -> str:
    """The catalogue name of an indicator: NFKC, no spaces, then the strip
    patterns in order (numbering, bracketed unit, glued comparator and value).
    A name the patterns would empty is kept as it was cleaned."""
    # circled numbers (①) are numbering: NFKC would turn them into plain digits
    s = "".join(ch if "\u2460" <= ch <= "\u24ff" else unicodedata.normalize("NFKC", ch)
                for ch in re.sub(r"\s+", "", name or ""))
    out = s
    for pat in name_patterns():
        stripped = pat.sub("", out)
        if stripped:
            out = stripped
    return out


def indicator_catalogue(backend: Backend, filters: list[Filter] | None = None
                        ) -> list[dict[str, Any]]:
    """Each distinct (normalised) indicator name with its uses: the departments,
    documents and target values. Names used by the most departments come first."""
    entries: dict[str, dict[str, Any]] = {}
    owners = document_owners(backend)
    for it in iter_items(backend, "indicator", filters):
        raw = it.get("name") or it.get("text") or ""
        name = normalize_name(raw)
        if not name:
            continue
        e = entries.setdefault(name, {"name": name, "variants": Counter(), "level1": Counter(),
                                      "level2": Counter(), "uses": []})
        e["variants"][clean_text(raw)] += 1
        if it.get("level1"):
            e["level1"][it["level1"]] += 1
        if it.get("level2"):
            e["level2"][it["level2"]] += 1
        e["uses"].append({"org": department(it, owners), "doc": it.get("doc"), "doc_id": it.get("doc_id"),
                          "id": it.get("id"), "comparator": it.get("comparator") or "",
                          "value": it.get("value"), "unit": it.get("unit") or "",
                          "target": it.get("target") or "", "actual": it.get("actual"),
                          "start": it.get("start"), "end": it.get("end"),
                          "page": it.get("page")})
    out = []
    for e in entries.values():
        orgs = sorted({u["org"] for u in e["uses"]})
        out.append({"name": e["name"], "variants": [v for v, _ in e["variants"].most_common()],
                    "level1": _top(e["level1"]), "level2": _top(e["level2"]),
                    "n_uses": len(e["uses"]), "n_orgs": len(orgs), "orgs": orgs,
                    "uses": e["uses"]})
    out.sort(key=lambda x: (-x["n_orgs"], -x["n_uses"], x["name"]))
    return out


def _top(c: Counter) -> str:
    return c.most_common(1)[0][0] if c else ""


def catalogue_rows(catalogue: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """Flat table (one row per use) for CSV/XLSX."""
    header = ["指标 indicator", "一级 level1", "二级 level2", "单位数 orgs", "单位 org",
              "文档 doc", "符号 comparator", "指标值 value", "计量单位 unit", "目标 target",
              "实际 actual"]
    rows = [[e["name"], e["level1"], e["level2"], e["n_orgs"], u["org"], u["doc"],
             u["comparator"], u["value"], u["unit"], u["target"], u["actual"]]
            for e in catalogue for u in e["uses"]]
    return header, rows

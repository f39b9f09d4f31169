"""Where hybrid loses a gold passage: for every relevant passage missing from
hybrid's first page, its rank in the raw lexical (BM25) and semantic lists at
depth 100 and 1000, its rank in the fused list before and after the page
order (sections, content_first), and a cause.

``python -m bench.search_misses --store S --gold G --query-cache Q [--depth 1000]``

Why: re-weighting fusion cannot find what no list holds (the best engine per
query stays far below the target, docs/search_relevance.md), so each miss is
first sorted into "no list holds it", "a list holds it, the ranking drops it"
(and by which step) and "the query was read wrongly" before anything changes.
The deep lists are only read here, never in a search.
"""
from __future__ import annotations

import argparse
import collections
from pathlib import Path
from typing import Any

from search.backend import Query
from search.baseline import matches
from search.query import parse
from search.relevance import cached_query_embedder, load_gold

CAUSES = ("page-full", "none@100", "none@1000", "pool->fused", "fused->page", "page->collapse",
          "meta-mismatch")


def _rank(ids: list[int], wanted: set[int]) -> int | None:
    return next((i + 1 for i, r in enumerate(ids) if r in wanted), None)


class Recorder:
    """Keeps the ranked lists one search hands to page_order and collapse."""

    def __init__(self) -> None:
        import search.sqlite as sq

        self.sq, self.fused, self.paged, self.final = sq, [], [], []
        self._po, self._co = sq.page_order, sq.collapse

        def po(pq, u, ranked, *a, **k):  # noqa: ANN001, ANN202
            self.fused = [r for _, r in ranked]
            out = self._po(pq, u, ranked, *a, **k)
            self.paged = [r for _, r in out[0]]
            return out

        def co(ranked, *a, **k):  # noqa: ANN001, ANN202
            out = self._co(ranked, *a, **k)
            self.final = [r for _, r, _ in out]
            return out

        sq.page_order, sq.collapse = po, co


def relevant_rowids(conn: Any, g: dict[str, Any]) -> dict[int, set[int]]:
    """label index -> rowids of the passages it names."""
    out: dict[int, set[int]] = {}
    for i, lab in enumerate(g["relevant"]):
        rows = conn.execute("SELECT p.rowid, p.text FROM passages p JOIN documents d"
                            " ON d.id = p.doc_id WHERE d.source = ?", (lab["doc"],)).fetchall()
        out[i] = {r for r, t in rows if matches(lab["doc"], t, lab)}
    return out


def analyse(backend: Any, gold: list[dict[str, Any]], depth: int) -> list[dict[str, Any]]:
    rec = Recorder()
    conn = backend._reader()
    out = []
    for g in gold:
        hits = backend.search(Query(g["query"], limit=10, mode="hybrid")).hits
        page = [h.to_json() for h in hits]
        fused, paged, final = rec.fused, rec.paged, rec.final
        u = backend.understood(g["query"])
        lex_ids, sem_ids = deep_lists(backend, conn, g["query"], depth)
        rel = relevant_rowids(conn, g)
        n_rel = sum(any(matches(h.get("doc"), h.get("text"), lab) for lab in g["relevant"])
                    for h in page)
        for i, lab in enumerate(g["relevant"]):
            if any(matches(h.get("doc"), h.get("text"), lab) for h in page):
                continue
            ids = rel[i]
            row = {"id": g["id"], "kind": g.get("kind"), "query": g["query"], "label": i,
                   "doc": lab["doc"], "found": bool(ids),
                   "lex": _rank(lex_ids, ids), "sem": _rank(sem_ids, ids),
                   "fused": _rank(fused, ids), "paged": _rank(paged, ids),
                   "final": _rank(final, ids), "meta": _meta_note(conn, u, lab["doc"]),
                   "full": n_rel >= 10}
            row["cause"] = cause(row)
            out.append(row)
    return out


def deep_lists(backend: Any, conn: Any, query: str, depth: int) -> tuple[list[int], list[int]]:
    """The rowids of the raw lexical list (BM25 pool re-ranked by coverage) and of
    the semantic list (the raw query vector) of ``query``, ``depth`` deep each."""
    import search.sqlite as sq

    saved = sq.RERANK_POOL
    sq.RERANK_POOL = depth
    try:
        lex = backend._lexical(conn, parse(query), None, "1", [], [], "", depth)
    finally:
        sq.RERANK_POOL = saved
    lex_ids = [r[0] for r in lex[2]] if lex else []
    near, _ = backend._near(query, False)
    sem_ids = [r for _, r in backend.vector_search(_qvec(backend, query), depth)] if near else []
    return lex_ids, sem_ids


def _qvec(backend: Any, text: str) -> Any:
    from search.sqlite import load_embedder

    return load_embedder().query(text)


def _meta_note(conn: Any, u: Any, source: str) -> str:
    """'' when the document agrees with what the query names, else what differs."""
    d = conn.execute("SELECT year, region, org, doc_type, title FROM documents WHERE source = ?",
                     (source,)).fetchone()
    if not d:
        return "no-doc"
    year, region, org, dtype, _ = d
    notes = []
    if u.year and year and int(year) not in _years(u.year):
        notes.append(f"year {year}!={u.year}")
    if u.region and region and u.region not in (region or "") and (region or "") not in u.region:
        notes.append(f"region {region}!={u.region}")
    if u.org and org and u.org not in (org or ""):
        notes.append(f"org {org}!={u.org}")
    return "; ".join(notes)


def _years(y: Any) -> set[int]:
    if isinstance(y, (list, tuple)):
        return {int(v) for v in y}
    return {int(y)}


def cause(row: dict[str, Any]) -> str:
    lex, sem = row["lex"], row["sem"]
    if row["full"]:
        return "page-full"
    if row["meta"]:
        return "meta-mismatch"
    if not ((lex and lex <= 100) or (sem and sem <= 100)):
        return "none@1000" if not (lex or sem) else "none@100"
    if row["fused"] is None or row["fused"] > 10:
        return "pool->fused"
    if row["paged"] is None or row["paged"] > 10:
        return "fused->page"
    return "page->collapse"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--store", required=True, type=Path)
    ap.add_argument("--gold", required=True, type=Path)
    ap.add_argument("--query-cache", type=Path)
    ap.add_argument("--depth", type=int, default=1000)
    args = ap.parse_args()
    from search.sqlite import SQLiteBackend

    with cached_query_embedder(args.query_cache):
        backend = SQLiteBackend(args.store)
        rows = analyse(backend, load_gold(args.gold), args.depth)
    for r in rows:
        print(f"{r['id']} {r['kind']:<10} L{r['label']:<2} lex={r['lex']} sem={r['sem']}"
              f" fused={r['fused']} paged={r['paged']} final={r['final']} {r['cause']}"
              f" {r['meta']} | {r['query']} | {r['doc']}")
    by = collections.Counter((r["kind"], r["cause"]) for r in rows)
    print("== misses by kind and cause")
    for (kind, c), n in sorted(by.items()):
        print(f"   {kind:<10} {c:<15} {n}")


if __name__ == "__main__":
    main()

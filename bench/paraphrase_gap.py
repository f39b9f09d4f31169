"""Where each relevant passage of a paraphrase query sits in the raw lexical
(BM25 re-ranked) and semantic lists, and which query words it lacks: the
vocabulary gap.

``python -m bench.paraphrase_gap --store S --gold G [--gold G ...] --query-cache Q
[--depth 1000] [--kind paraphrase]``

One line per (query, label): the label's best rank in the lexical list, in the
semantic list (raw query vector, the hybrid one) and on the hybrid page, the
query's units the passage holds (``+``) and lacks (``-``, with what an entry
of the vocabularies expanded it to), and the passage's words the query lacks
that are rarest in the store (what the passage says instead). Then, per gold
file, how many labels each list holds at depth 10, 100 and ``depth``.

Why: before a paraphrase mechanism is chosen (expansion, feedback, a deeper
pool), this says whether the answers are in a list at all and at which depth,
and whether the gap is one of words (a query word the passage says otherwise)
or of meaning (no word of the query in the answer). The deep lists are only
read here, never in a search.
"""
from __future__ import annotations

import argparse
import collections
import math
from pathlib import Path
from typing import Any

from bench.search_misses import _rank, deep_lists, relevant_rowids
from search.backend import Query
from search.baseline import matches
from search.query import parse
from search.relevance import cached_query_embedder, load_gold
from search.tokenize import normalize

DEPTHS = (10, 100)


def passage_words(text: str) -> list[str]:
    """The jieba words of two characters or more of ``text`` (normalised)."""
    import jieba

    return [w for w in jieba.lcut(normalize(text)) if len(w) >= 2 and any(
        "\u4e00" <= c <= "\u9fff" for c in w)]


def unit_marks(pq: Any, norm: str) -> str:
    """Each query unit with ``+`` when ``norm`` holds it (a form, or the percentage
    a share rounds: :meth:`search.query.Unit.held`), else ``-``."""
    return " ".join(("+" if u.held(norm) else "-") + u.text
                    + (f"({'/'.join(u.forms[1:3])})" if len(u.forms) > 1 else "")
                    for u in pq.units)


def rare_words(words: list[str], query: str, df: Any, n: int, top: int = 5) -> list[str]:
    """The ``top`` words of ``words`` absent from ``query`` with the highest idf."""
    seen = {w for w in words if w not in query}
    return sorted(seen, key=lambda w: -math.log((n + 1) / (df(w) + 1)))[:top]


def analyse(backend: Any, gold: list[dict[str, Any]], depth: int, kind: str
            ) -> list[dict[str, Any]]:
    conn = backend._reader()
    norms = [normalize(t) for (t,) in conn.execute("SELECT text FROM passages")]
    n = len(norms)
    cache: dict[str, int] = {}

    def df(w: str) -> int:
        if w not in cache:
            cache[w] = sum(1 for t in norms if w in t)
        return cache[w]

    out = []
    for g in gold:
        if kind and g.get("kind") != kind:
            continue
        page = [h.to_json() for h in
                backend.search(Query(g["query"], limit=10, mode="hybrid")).hits]
        pq = parse(g["query"])
        lex_ids, sem_ids = deep_lists(backend, conn, g["query"], depth)
        rel = relevant_rowids(conn, g)
        for i, lab in enumerate(g["relevant"]):
            ids = rel[i]
            text = ""
            if ids:
                text = conn.execute("SELECT text FROM passages WHERE rowid = ?",
                                    (min(ids),)).fetchone()[0]
            on_page = next((k + 1 for k, h in enumerate(page)
                            if matches(h.get("doc"), h.get("text"), lab)), None)
            out.append({"set": g.get("_set", ""), "id": g["id"], "query": g["query"],
                        "label": i, "lex": _rank(lex_ids, ids), "sem": _rank(sem_ids, ids),
                        "page": on_page, "units": unit_marks(pq, normalize(text)),
                        "instead": rare_words(passage_words(text), g["query"], df, n),
                        "found": bool(ids)})
    return out


def depth_counts(rows: list[dict[str, Any]], depth: int) -> dict[str, list[int]]:
    """Per list, how many labels it holds at each of DEPTHS and ``depth``."""
    cuts = (*DEPTHS, depth)
    return {k: [sum(1 for r in rows if r[k] and r[k] <= c) for c in cuts]
            for k in ("lex", "sem", "page")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--store", required=True, type=Path)
    ap.add_argument("--gold", required=True, type=Path, action="append")
    ap.add_argument("--query-cache", type=Path)
    ap.add_argument("--depth", type=int, default=1000)
    ap.add_argument("--kind", default="paraphrase")
    args = ap.parse_args()
    from search.sqlite import SQLiteBackend

    rows = []
    with cached_query_embedder(args.query_cache):
        backend = SQLiteBackend(args.store)
        for path in args.gold:
            gold = [dict(g, _set=path.stem) for g in load_gold(path)]
            rows += analyse(backend, gold, args.depth, args.kind)
    for r in rows:
        print(f"{r['set']} {r['id']} L{r['label']} lex={r['lex']} sem={r['sem']} page={r['page']}"
              f" | {r['query']} | {r['units']} | instead: {' '.join(r['instead'])}"
              + ("" if r["found"] else " | LABEL NOT FOUND"))
    by_set: dict[str, list] = collections.defaultdict(list)
    for r in rows:
        by_set[r["set"]].append(r)
    print(f"== labels held at depth {DEPTHS} and {args.depth}")
    for name, rs in sorted(by_set.items()):
        counts = depth_counts(rs, args.depth)
        print(f"   {name:<16} labels {len(rs):>3}  "
              + "  ".join(f"{k} {'/'.join(map(str, v))}" for k, v in counts.items()))


if __name__ == "__main__":
    main()

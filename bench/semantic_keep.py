"""The semantic list's first passages kept on a weak query's first page
(issue 12, paraphrases; :func:`search.hybrid.keep_semantic_first`), replayed
over a grid and fitted leave-one-set-out.

Reciprocal rank fusion with the semantic weight of a weak lexical list still
puts a passage only the semantic list holds below the lexical list's first
twenty, so a paraphrase the semantic list answers at rank 1 (blind set 9:
穷人治眼病, 台湾人来福建) scored 0 in hybrid. The rule places the semantic
list's first ``KEEP_TOP`` passages from place ``KEEP_AT`` + 1 on when the
fusion coverage is below ``KEEP_BELOW``. This bench replays the shipped fusion
(``bench.fusion_replay`` captures: both lists of every gold query) with each
grid point, reports every set, the query kinds over the fitted sets, and the
leave-one-set-out pick (the grid point chosen on the other sets, scored on the
held-out one). ``KEEP_TOP`` 0 is the rule before it.

``python -m bench.semantic_keep NAME:STORE:QUERY_CACHE:GOLD ... [--dev NAME]
[--places 1,2,3,4] [--per-query]`` (the arguments of :mod:`bench.fusion_replay`).
"""
from __future__ import annotations

import itertools
import time
from typing import Callable

import numpy as np

from bench import fusion_replay
from bench.fusion_replay import Rank
from search import hybrid

GRID_TOP = (1, 2, 3)
GRID_BELOW = (0.5, 0.6, 0.7, 0.8, 1.0)


def replay(q: dict, top: int, at: int, below: float) -> Rank:
    """The shipped rule of one captured query with the kept passages set to (top, at, below)."""
    saved = hybrid.KEEP_TOP, hybrid.KEEP_AT, hybrid.KEEP_BELOW
    hybrid.KEEP_TOP, hybrid.KEEP_AT, hybrid.KEEP_BELOW = top, at, below
    try:
        return fusion_replay.shipped(q)
    finally:
        hybrid.KEEP_TOP, hybrid.KEEP_AT, hybrid.KEEP_BELOW = saved


def family(places: tuple[int, ...]) -> dict[tuple, Callable[[dict], Rank]]:
    """The grid, with the rule off (``("keep", 0, 0, 0.0)``) as its first point."""
    rules = {("keep", 0, 0, 0.0): lambda q: replay(q, 0, 0, 0.0)}
    for top, at, below in itertools.product(GRID_TOP, places, GRID_BELOW):
        rules[("keep", top, at, below)] = lambda q, t=top, a=at, b=below: replay(q, t, a, b)
    return rules


def by_kind(queries: list[dict], rule: Callable[[dict], Rank]) -> dict[str, float]:
    """Mean nDCG@10 per gold ``kind``."""
    out: dict[str, list[float]] = {}
    for q in queries:
        out.setdefault(q["gold"].get("kind") or "?", []).append(
            fusion_replay.ndcg(q, rule(q)) if "lex" in q else 0.0)
    return {k: float(np.mean(v)) for k, v in sorted(out.items())}


def cost_us(queries: list[dict], repeat: int = 200) -> list[float]:
    """CPU microseconds :func:`search.hybrid.keep_semantic_first` adds to each hybrid query
    that runs the semantic list (its own inputs, the fused list of the rule off), as
    ``time.process_time`` over ``repeat`` calls: what the rule costs on top of the search."""
    out = []
    for q in queries:
        if "lex" not in q or q["cov"] >= hybrid.SKIP_SEMANTIC_AT or not q["sem"]:
            continue
        ranked = replay(q, 0, 0, 0.0)
        start = time.process_time()
        for _ in range(repeat):
            hybrid.keep_semantic_first(ranked, q["sem"], q["boost"], q["fcov"])
        out.append((time.process_time() - start) / repeat * 1e6)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = fusion_replay.set_parser(__doc__.split("\n\n")[0])
    ap.add_argument("--places", default="0,1,2,3,4", help="KEEP_AT values of the grid")
    ap.add_argument("--per-query", action="store_true", help="every query the pick moves")
    args = ap.parse_args(argv)
    queries, _ = fusion_replay.capture_sets(args.sets)
    names, held, _ = fusion_replay.replay_shipped(queries, args.dev)
    rules = family(tuple(int(x) for x in args.places.split(",")))
    table = {key: fusion_replay.per_set(queries, rule) for key, rule in rules.items()}
    off = ("keep", 0, 0, 0.0)
    print("rule off: " + " ".join(f"{n}={table[off][n]:.3f}" for n in names))
    best = fusion_replay.report("keep", table, table[off], held, names)
    fitted = [q for q in queries if q["set"] in held]
    for key in (off, best):
        print(f"   by kind {key}: " + " ".join(f"{k}={v:.3f}"
                                               for k, v in by_kind(fitted, rules[key]).items()))
    cost = cost_us(queries)
    print(f"   cost of the rule, CPU per query that runs the semantic list ({len(cost)} queries):"
          f" p50 {np.percentile(cost, 50):.1f} us, p95 {np.percentile(cost, 95):.1f} us,"
          f" max {max(cost):.1f} us")
    if args.per_query:
        for q in (q for q in queries if "lex" in q):
            a, b = fusion_replay.ndcg(q, rules[off](q)), fusion_replay.ndcg(q, rules[best](q))
            if abs(a - b) > 1e-9:
                print(f"   {q['set']:<7} {q['gold'].get('kind') or '?':<10} {a:.2f} -> {b:.2f}"
                      f"  {q['gold']['query']}")


if __name__ == "__main__":
    main()

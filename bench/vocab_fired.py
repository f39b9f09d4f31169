"""Where the answers of queries whose vocabulary fires are lost (issue 12, session 8).

A query's vocabulary *fires* when one of its units is an entry of
``corpora/search/colloquial.txt`` or ``synonyms.txt``: an everyday word with
official terms (卖地 > 土地出让) or a word of a group of equals (政协 /
政治协商会议). Blind sets showed that most paraphrases hold such an entry and
still score low in hybrid; this bench says, per query, why. Every gold query
runs once through the real store (:func:`bench.fusion_replay.capture`: the
lexical list, the semantic list always built, the shipped fusion), and each
fired query falls into one class:

* ``A``: no relevant passage of the two lists holds a fired word, its equals or
  its official terms (the answer words it otherwise: 老人 > 老年人 against
  老年助餐), so the vocabulary cannot find it by its words;
* ``B``: the lexical list ranks a relevant passage first (what hybrid loses
  there, the fusion lost);
* ``C``: the lexical list ranks the first relevant passage 2nd to 10th;
* ``D``: below 10th, or not at all.

It prints the mean nDCG@10 of the lexical, semantic and hybrid lists per class,
one row per fired query, and the same for the queries that fire nothing.
``--without-expansions`` runs everything with the one-way entries off (the
everyday word then matches only itself): what the vocabulary buys.

``python -m bench.vocab_fired NAME:STORE:QUERY_CACHE:GOLD ... [--kind paraphrase]
[--without-expansions]`` (the arguments of :mod:`bench.fusion_replay`).
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bench import fusion_replay
from search import query as query_mod
from search.query import Unit, parse, synonyms
from search.tokenize import normalize

CLASSES = {"A": "answer holds neither the word nor its terms",
           "B": "lexical ranks the answer 1st",
           "C": "lexical ranks the answer 2nd-10th",
           "D": "lexical ranks it below 10th"}


def fired_units(text: str) -> list[Unit]:
    """The units of a query that are vocabulary entries (see the module docstring)."""
    table = synonyms()
    return [u for u in parse(text).units if u.text in table]


def first_relevant(q: dict, ranked: list[tuple[float, int]]) -> int | None:
    """1-based rank of the first relevant passage of a list, None when none is."""
    return next((i + 1 for i, (_, r) in enumerate(ranked) if q["info"][r][2]), None)


def classify(q: dict, units: list[Unit]) -> str:
    """A, B, C or D (see the module docstring) for a captured query with fired ``units``."""
    relevant = [normalize(v[1]) for v in q["info"].values() if v[2]]
    if not any(f in t for u in units for f in u.forms for t in relevant):
        return "A"
    rank = first_relevant(q, q.get("lex", []))
    if rank == 1:
        return "B"
    return "C" if rank is not None and rank <= 10 else "D"


def row(q: dict) -> dict[str, Any]:
    """One captured query as the report shows it."""
    units = fired_units(q["gold"]["query"])
    lex, sem = q.get("lex", []), q.get("sem") or []
    return {"set": q["set"], "id": q["gold"]["id"], "query": q["gold"]["query"],
            "kind": q["gold"].get("kind", ""),
            "fired": [(u.text, list(u.expansions) or list(u.alternatives)) for u in units],
            "class": classify(q, units) if units else "-",
            "lex_rank": first_relevant(q, lex), "sem_rank": first_relevant(q, sem),
            "lexical": fusion_replay.ndcg(q, lex) if lex else 0.0,
            "semantic": fusion_replay.ndcg(q, sem) if sem else 0.0,
            # a query no passage matches word for word still has its semantic list
            "hybrid": fusion_replay.ndcg(q, fusion_replay.shipped(q))}


def summary(rows: list[dict[str, Any]]) -> dict[str, tuple[int, float, float, float]]:
    """class -> (queries, mean lexical, semantic and hybrid nDCG@10)."""
    out = {}
    for cls in sorted({r["class"] for r in rows}):
        some = [r for r in rows if r["class"] == cls]
        out[cls] = (len(some), *(sum(r[m] for r in some) / len(some)
                                 for m in ("lexical", "semantic", "hybrid")))
    return out


def collect(specs: list[str], kind: str = "paraphrase",
            without_expansions: bool = False) -> list[dict[str, Any]]:
    """:func:`row` of every query of ``kind`` ('' = all) of the sets ``specs``
    (NAME:STORE:QUERY_CACHE:GOLD); ``without_expansions``: the one-way entries
    off for the run (the everyday word then matches only itself)."""
    real = query_mod._expansions
    if without_expansions:
        query_mod._expansions = lambda word: []
    try:
        rows = []
        for spec in specs:
            name, store, cache, gold = spec.split(":")
            for q in fusion_replay.capture(name, Path(store), Path(cache) if cache else None,
                                           Path(gold)):
                if not kind or q["gold"].get("kind") == kind:
                    rows.append(row(q))
        return rows
    finally:
        query_mod._expansions = real


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sets", nargs="+", help="NAME:STORE:QUERY_CACHE:GOLD")
    ap.add_argument("--kind", default="paraphrase", help="the gold kind to report ('' = all)")
    ap.add_argument("--without-expansions", action="store_true",
                    help="one-way vocabulary entries off (the everyday word matches only itself)")
    args = ap.parse_args(argv)
    rows = collect(args.sets, args.kind, args.without_expansions)
    for cls, (n, lex, sem, hyb) in summary(rows).items():
        label = CLASSES.get(cls, "no entry fires")
        print(f"{cls} {label}: {n} queries, lexical {lex:.3f} semantic {sem:.3f} hybrid {hyb:.3f}")
    for r in sorted(rows, key=lambda r: (r["class"], r["set"], r["id"])):
        fired = "; ".join(f"{w} > {'/'.join(t[:3])}" for w, t in r["fired"])
        print(f"{r['class']} {r['set']} {r['id']} {r['query']} [{fired}] lexical {r['lexical']:.2f}"
              f" (answer {r['lex_rank']}) semantic {r['semantic']:.2f} (answer {r['sem_rank']})"
              f" hybrid {r['hybrid']:.2f}")


if __name__ == "__main__":
    main()

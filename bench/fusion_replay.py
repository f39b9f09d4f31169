"""Replay hybrid fusion offline, to measure fusion rules on every gold set at once
with leave-one-set-out (issue 12, paraphrases).

A hybrid query is a lexical list, a semantic list and a fusion rule
(:func:`search.hybrid.fuse`, then :func:`search.hybrid.collapse`). This bench
runs every gold query once through the real SQLite store with the semantic
list always built, keeps both lists, the boosts and each pooled passage's
text and judgement, and then scores any fusion rule on all sets in a second
instead of a minute. The replay of the shipped rule gave exactly the scores
of ``python -m search.relevance`` on all eight sets when it was written.

Each rule family is a grid; leave-one-set-out picks the grid point on the
other sets and scores it on the held-out one, so the mean over held-out sets
is what the rule would score on a set it was not fitted on.

Families (the mechanisms the issue names):

* ``weight``: the semantic weight a function of the query (the fusion coverage,
  question or not, a short query, how many units no pooled passage holds);
* ``prf``: the semantic list searched again with the query vector moved
  towards the mean vector of the fused list's first k passages (Rocchio
  pseudo-relevance feedback), optionally only when the fusion coverage is low.

``python -m bench.fusion_replay NAME:STORE:QUERY_CACHE:GOLD ... [--dev NAME]``
(QUERY_CACHE: the ``--query-cache`` file of :mod:`search.relevance`, may be
empty; ``--dev``: a set kept out of the fitting, reported beside).
"""
from __future__ import annotations

import argparse
import itertools
import sqlite3
import sys
from pathlib import Path
from typing import Any, Callable

import numpy as np

from search import hybrid
from search import ranker
from search import relevance
from search import sqlite as sqlite_mod
from search.backend import Query
from search.baseline import matches
from search.tokenize import normalize

Rank = list[tuple[float, int]]


def capture(name: str, store: Path, cache: Path | None, gold_path: Path) -> list[dict]:
    """Every gold query of one set, run in hybrid mode with the semantic list forced:
    the fusion inputs, and each pooled passage's (doc id, text, judged relevant)."""
    real_fuse, real_needed = sqlite_mod.fuse_query, sqlite_mod.semantics_needed
    seen: dict[str, Any] = {}

    def spy(pq, understood, lex, sem, norm, coverage, boost, mode):
        seen.update(lex=list(lex), sem=list(sem), boost=dict(boost), cov=coverage,
                    units=[(u.text, list(u.forms)) for u in pq.units],
                    question=understood.question,
                    focus=hybrid.document_focus(understood, (boost.get(i, 1.0) for _, i in lex),
                                             pq))
        seen["meta_only"] = hybrid.metadata_only(pq, understood, norm.items())
        seen["fcov"] = hybrid.fusion_coverage(
            pq, understood, [norm[i] for _, i in lex[:hybrid.COVERAGE_TOP]], coverage)
        return real_fuse(pq, understood, lex, sem, norm, coverage, boost, mode)

    with relevance.cached_query_embedder(cache) as emb:
        sqlite_mod.fuse_query, sqlite_mod.semantics_needed = spy, lambda mode, cov: True
        backend = sqlite_mod.SQLiteBackend(store)
        conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
        out = []
        try:
            for g in relevance.load_gold(gold_path):
                seen.clear()
                backend.search(Query(g["query"], limit=10, mode="hybrid"))
                q = {"set": name, "gold": g, "qvec": np.asarray(emb.query(g["query"])).ravel(),
                     **seen, "info": {}, "store": store, "backend": backend}
                _judge(conn, q, [r for _, r in q.get("lex", []) + q.get("sem", [])])
                out.append(q)
            q_rows = [q for q in out if q.get("sem")]
            for q in q_rows:  # the vectors the PRF family needs: the fused list's first passages
                q["vecs"] = _vectors(conn, [r for _, r in shipped(q)[:5]])
        finally:
            sqlite_mod.fuse_query, sqlite_mod.semantics_needed = real_fuse, real_needed
            conn.close()
    return out


def _judge(conn: sqlite3.Connection, q: dict, rowids: list[int]) -> None:
    """Text, document and judgement of each passage not yet in ``q["info"]``."""
    for rid in rowids:
        if rid in q["info"]:
            continue
        text, source, doc_id = conn.execute(
            "SELECT p.text, d.source, p.doc_id FROM passages p JOIN documents d"
            " ON d.id = p.doc_id WHERE p.rowid = ?", (rid,)).fetchone()
        rel = any(matches(source, text, r) for r in q["gold"]["relevant"])
        q["info"][rid] = (doc_id, text, rel)


def _vectors(conn: sqlite3.Connection, rowids: list[int]) -> list[np.ndarray]:
    rows = dict(conn.execute("SELECT rowid, vec FROM passage_vectors WHERE rowid IN"
                             f" ({','.join('?' * len(rowids))})", rowids).fetchall())
    return [np.frombuffer(rows[r], dtype=np.float32) for r in rowids if r in rows]


def ndcg(q: dict, ranked: Rank) -> float:
    """nDCG@10 of a fused list after collapse, as ``search.relevance`` scores it."""
    return ranker.ranked_ndcg(q, ranked)


def fused(q: dict, sem: Rank, w0: float, gain: float, cov: float) -> Rank:
    """:func:`search.hybrid.fuse` with the given semantic weight constants."""
    saved = hybrid.SEM_WEIGHT, hybrid.SEM_GAIN
    hybrid.SEM_WEIGHT, hybrid.SEM_GAIN = w0, gain
    try:
        return hybrid.fuse(q["lex"], sem, cov, q["boost"], "hybrid",
                           q["meta_only"] if sem else frozenset())
    finally:
        hybrid.SEM_WEIGHT, hybrid.SEM_GAIN = saved


def shipped(q: dict) -> Rank:
    """The shipped rule: semantic mode's order for a query with document focus
    (:func:`search.hybrid.document_focus`; its list was read through the adapter);
    else no semantic list when the lexical pool covers the query, and the semantic
    first passages kept on the page when the lexical list is weak."""
    if "lex" not in q:
        return []
    focused = hybrid.focused_order(q["lex"], q["sem"], q["boost"]) if q.get("focus") and q["sem"] else None
    if focused is not None:
        return focused
    sem = q["sem"] if q["cov"] < hybrid.SKIP_SEMANTIC_AT else []
    return hybrid.keep_semantic_first(fused(q, sem, hybrid.SEM_WEIGHT, hybrid.SEM_GAIN, q["fcov"]),
                                      sem, q["boost"], q["fcov"])


def absent_share(q: dict) -> float:
    """Share (by unit length) of the query's units that no pooled passage holds."""
    norms = [normalize(q["info"][r][1]) for _, r in q["lex"]]
    weights = [min(len(t), 4) for t, _ in q["units"]] or [1]
    gone = sum(w for (_, forms), w in zip(q["units"], weights)
               if not any(f in n for f in forms for n in norms))
    return gone / sum(weights)


def weight_family() -> dict[tuple, Callable[[dict], Rank]]:
    """w_sem = w0 + gain (1 - fusion coverage) + question q + short s + absent a."""
    rules = {}
    for w0, gain, qw, sw, aw in itertools.product((0.05, 0.1), (0.6, 1.0, 1.5), (-0.1, 0, 0.2),
                                                  (0, 0.5), (0, 1.0, 3.0)):
        def rule(q, w0=w0, gain=gain, qw=qw, sw=sw, aw=aw):
            if "lex" not in q or q["cov"] >= hybrid.SKIP_SEMANTIC_AT:
                return shipped(q)
            w = (w0 + gain * (1 - q["fcov"]) + qw * float(q.get("question", False))
                 + sw * (len(q["gold"]["query"]) <= 8) + aw * q["absent"])
            return fused(q, q["sem"], max(w, 0.0), 0.0, 0.0)
        rules[("weight", w0, gain, qw, sw, aw)] = rule
    return rules


def prf_family() -> dict[tuple, Callable[[dict], Rank]]:
    """Rocchio on the query vector from the fused list's first k passages."""
    rules = {}
    for k, beta, gate, w0, gain in itertools.product((3, 5), (0.5, 1.0), (0.8, 1.01),
                                                     (0.05, 0.2), (1.0, 2.0)):
        def rule(q, k=k, beta=beta, gate=gate, w0=w0, gain=gain):
            if "lex" not in q or q["cov"] >= hybrid.SKIP_SEMANTIC_AT or q["fcov"] >= gate:
                return shipped(q)
            return fused(q, prf_list(q, k, beta), w0, gain, q["fcov"])
        rules[("prf", k, beta, gate, w0, gain)] = rule
    return rules


def prf_list(q: dict, k: int, beta: float) -> Rank:
    """The semantic list of the query vector moved towards the first k fused passages."""
    key = ("prf", k, beta)
    if key not in q:
        vec = q["qvec"] + beta * np.mean(q["vecs"][:k], axis=0) if q["vecs"] else q["qvec"]
        q[key] = q["backend"].vector_search(vec / np.linalg.norm(vec), sqlite_mod.SEMANTIC_POOL)
        conn = sqlite3.connect(f"file:{q['store']}?mode=ro", uri=True)
        _judge(conn, q, [r for _, r in q[key]])
        missing = {q["info"][r][0] for _, r in q[key] if r not in q["boost"]}
        if missing:
            from search.understand import meta_boost

            u = q["backend"].understood(q["gold"]["query"])
            docs = q["backend"]._doc_meta(q["backend"]._reader(), missing)
            for _, r in q[key]:
                q["boost"].setdefault(r, meta_boost(u, docs.get(q["info"][r][0], {})))
        conn.close()
    return q[key]


def per_set(queries: list[dict], rule: Callable[[dict], Rank]) -> dict[str, float]:
    scores: dict[str, list[float]] = {}
    for q in queries:
        scores.setdefault(q["set"], []).append(ndcg(q, rule(q)) if "lex" in q else 0.0)
    return {name: float(np.mean(v)) for name, v in scores.items()}


def loso(table: dict[tuple, dict[str, float]], held: list[str]) -> dict[str, tuple]:
    """For each set: (score of the rule picked on the other sets, that rule)."""
    out = {}
    for name in held:
        pick = max(table, key=lambda key: np.mean([table[key][n] for n in held if n != name]))
        out[name] = (table[pick][name], pick)
    return out


def set_parser(description: str) -> argparse.ArgumentParser:
    """The command line of a replay bench: the sets, and those kept out of fitting."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("sets", nargs="+", help="NAME:STORE:QUERY_CACHE:GOLD")
    ap.add_argument("--dev", action="append", default=[], help="set names kept out of fitting")
    return ap


def capture_sets(specs: list[str]) -> tuple[list[dict], dict[str, Path]]:
    """Every set named ``NAME:STORE:QUERY_CACHE:GOLD`` captured (:func:`capture`), and each
    set's store."""
    queries: list[dict] = []
    stores: dict[str, Path] = {}
    for spec in specs:
        name, store, cache, gold = spec.split(":")
        queries += capture(name, Path(store), Path(cache) if cache else None, Path(gold))
        stores[name] = Path(store)
    return queries, stores


def replay_shipped(queries: list[dict], dev: list[str]) -> tuple[list[str], list[str], dict[str, float]]:
    """The set names, those fitted on (all but ``dev``) and the shipped rule's score on each,
    printed: the line every family is read against."""
    names = list(dict.fromkeys(q["set"] for q in queries))
    held = [n for n in names if n not in dev]
    base = per_set(queries, shipped)
    print("shipped rule (replayed): " + " ".join(f"{n}={base[n]:.3f}" for n in names)
          + f"  mean of fitted sets {np.mean([base[n] for n in held]):.4f}")
    return names, held, base


def report(name: str, table: dict[tuple, dict[str, float]], base: dict[str, float],
           held: list[str], names: list[str]) -> tuple:
    """One family's grid, printed: its best rule in-sample (returned), then each fitted set
    scored with the rule picked on the others (and that rule's score on a set named ``dev``,
    when there is one)."""
    best = max(table, key=lambda k: np.mean([table[k][n] for n in held]))
    print(f"{name}: {len(table)} rules; best in-sample {best}: "
          + " ".join(f"{n}={table[best][n]:.3f}" for n in names)
          + f"  mean {np.mean([table[best][n] for n in held]):.4f}")
    picks = loso(table, held)
    for n, (score, key) in picks.items():
        print(f"   held out {n:<8} {score:.3f} (shipped {base[n]:.3f}) with {key}"
              + (f", dev {table[key]['dev']:.3f}" if "dev" in names else ""))
    print(f"   leave-one-set-out mean {np.mean([s for s, _ in picks.values()]):.4f}"
          f" (shipped {np.mean([base[n] for n in held]):.4f})")
    return best


def main(argv: list[str] | None = None) -> None:
    args = set_parser(__doc__.split("\n\n")[0]).parse_args(argv)
    queries, _ = capture_sets(args.sets)
    for q in queries:
        if "lex" in q:
            q["absent"] = absent_share(q)
    names, held, base = replay_shipped(queries, args.dev)
    for family in (weight_family, prf_family):
        report(family.__name__, {key: per_set(queries, rule) for key, rule in family().items()},
               base, held, names)
    sys.stdout.flush()

if __name__ == "__main__":
    main()

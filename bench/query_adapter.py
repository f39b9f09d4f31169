"""Fit the semantic list's query adapter (:mod:`search.adapter`) on judged gold
sets, and score it leave-one-set-out (issue 12, paraphrases).

The map ``q' = normalise(q + A q)`` is fitted by gradient descent (Adam) on a
softmax over every passage of the set's store: each judged query should give
its relevant passages (the gold labels' passages) more of the mass than all
the others, so every other passage of the store, the hardest included, is a
negative. ``lam * |A|^2`` pulls the map toward the identity. Passage vectors
are the store's own; query vectors come from each set's query cache
(``search.relevance --query-cache``), so a fit embeds nothing.

``python -m bench.query_adapter fit NAME:STORE:QUERY_CACHE:GOLD ... --out FILE``
writes the map fitted on all the sets. ``... loso ... --out-dir DIR`` writes
``DIR/without_NAME.npz`` for each set (fitted on the others; score each with
``POLICYLENS_QUERY_ADAPTER=DIR/without_NAME.npz python -m search.relevance``)
and prints each held-out set's semantic nDCG@10 by plain cosine, before and
after (the map on the queries :func:`search.adapter.wanted` gives it): the
quick check, not the shipped ranking.
"""
from __future__ import annotations

import argparse
import functools
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from search.adapter import QueryAdapter, wanted
from search.baseline import squash
from search.embed import from_blobs
from search.relevance import load_gold
from search.understand import understand

LAM = 0.01     # pull toward the identity
TAU = 50.0     # softmax temperature on cosines (e5 cosines sit in 0.7-0.9)
STEPS = 60
LR = 2e-3
HARD = 100    # nearest non-relevant passages in each query's softmax
REFRESH = 20  # steps between searches for them
DISCOUNT = 1 / np.log2(np.arange(2, 12))


@dataclass
class Store:
    """The passages of one store: their documents, squashed texts and vectors."""
    docs: list[str]
    texts: list[str]
    vecs: np.ndarray
    model: str


@dataclass
class GoldSet:
    name: str
    store: Store
    gold: list[dict]
    queries: np.ndarray        # one raw query vector per gold line
    relevant: list[list[int]]  # row numbers in store.vecs of each line's relevant passages


@functools.lru_cache(maxsize=8)
def read_store(path: str) -> Store:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = conn.execute("SELECT d.source, p.text, v.vec FROM passages p"
                        " JOIN documents d ON d.id = p.doc_id"
                        " JOIN passage_vectors v ON v.rowid = p.rowid ORDER BY p.rowid").fetchall()
    model = conn.execute("SELECT value FROM store_meta WHERE key = 'model'").fetchone()
    conn.close()
    dim = len(rows[0][2]) // 4 if rows else 0
    return Store([r[0] for r in rows], [squash(r[1]) for r in rows],
                 from_blobs([r[2] for r in rows], dim), model[0] if model else "")


def relevant_rows(store: Store, gold: list[dict]) -> list[list[int]]:
    """Each gold line's relevant passages, as ``search.baseline.matches`` judges a hit."""
    by_doc: dict[str, list[int]] = {}
    for i, doc in enumerate(store.docs):
        by_doc.setdefault(doc, []).append(i)
    out = []
    for g in gold:
        rows: set[int] = set()
        for label in g["relevant"]:
            snippet = squash(label["contains"])
            rows |= {i for i in by_doc.get(label["doc"], []) if snippet in store.texts[i]}
        out.append(sorted(rows))
    return out


def read_set(spec: str) -> GoldSet:
    """``NAME:STORE:QUERY_CACHE:GOLD``; a query missing from the cache is an error."""
    name, store_path, cache, gold_path = spec.split(":")
    store, gold = read_store(store_path), load_gold(Path(gold_path))
    with np.load(cache) as data:
        vecs = dict(zip(data["texts"].tolist(), data["vecs"]))
    missing = [g["query"] for g in gold if g["query"] not in vecs]
    if missing:
        raise SystemExit(f"{cache}: {len(missing)} queries of {gold_path} not cached,"
                         f" e.g. {missing[0]!r} (run search.relevance with it first)")
    return GoldSet(name, store, gold, np.stack([vecs[g["query"]] for g in gold]),
                   relevant_rows(store, gold))


def fit(sets: list[GoldSet], lam: float = LAM, tau: float = TAU, steps: int = STEPS,
        lr: float = LR) -> np.ndarray:
    """The correction ``A`` fitted on the judged queries of ``sets`` (those with a
    relevant passage in their store).

    The softmax of each query runs over its relevant passages and its ``HARD``
    nearest other passages under the current map (found again every ``REFRESH``
    steps over the whole store): the rest of the store holds almost none of the
    mass, and a full softmax costs 30 times more on a busy machine."""
    groups = [_Group(s) for s in sets]
    n = sum(len(g.q) for g in groups)
    dim = groups[0].q.shape[1]
    a = np.zeros((dim, dim), dtype=np.float32)
    m, v = np.zeros_like(a), np.zeros_like(a)
    for t in range(1, steps + 1):
        if t % REFRESH == 1 or REFRESH == 1:
            for g in groups:
                g.refresh(a)
        grad = 2 * lam * a
        for g in groups:
            grad += g.gradient(a, tau) / n
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad ** 2
        a -= lr * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
    return a


class _Group:
    """The judged queries of one set, with each query's candidate passages."""

    def __init__(self, s: GoldSet) -> None:
        keep = [i for i, rel in enumerate(s.relevant) if rel]
        self.q = s.queries[keep].astype(np.float32)
        self.p = s.store.vecs
        self.pos = [s.relevant[i] for i in keep]
        self.width = max(len(r) for r in self.pos) + HARD

    def refresh(self, a: np.ndarray) -> None:
        """Candidates: the relevant passages, then the nearest others under ``a``."""
        u = _moved(self.q, a)
        sims, k = u @ self.p.T, HARD + self.width
        near = (np.argpartition(-sims, k, axis=1)[:, :k] if k < sims.shape[1]
                else np.argsort(-sims, axis=1))  # a store smaller than the candidates: all
        self.idx = np.zeros((len(self.q), self.width), dtype=np.int64)
        self.is_pos = np.zeros(self.idx.shape, dtype=bool)
        self.valid = np.zeros(self.idx.shape, dtype=bool)
        for i, rel in enumerate(self.pos):
            rs = set(rel)
            others = [int(j) for j in near[i] if j not in rs][:HARD]
            row = list(rel) + others
            self.idx[i, :len(row)] = row
            self.is_pos[i, :len(rel)] = True
            self.valid[i, :len(row)] = True
        self.cand = self.p[self.idx]                             # n x width x dim

    def gradient(self, a: np.ndarray, tau: float) -> np.ndarray:
        z = self.q + self.q @ a.T
        norm = np.linalg.norm(z, axis=1, keepdims=True)
        u = z / norm
        s = np.where(self.valid, tau * np.matmul(self.cand, u[:, :, None])[:, :, 0], -np.inf)
        e = np.exp(s - s.max(axis=1, keepdims=True))
        pos = np.where(self.is_pos, e, 0.0)
        d_s = tau * (e / e.sum(axis=1, keepdims=True) - pos / pos.sum(axis=1, keepdims=True))
        d_u = np.matmul(d_s[:, None, :], self.cand)[:, 0, :]
        d_z = (d_u - (d_u * u).sum(axis=1, keepdims=True) * u) / norm
        return d_z.T @ self.q


def _moved(q: np.ndarray, a: np.ndarray) -> np.ndarray:
    z = q + q @ a.T
    return z / np.linalg.norm(z, axis=1, keepdims=True)


def cosine_ndcg(s: GoldSet, queries: np.ndarray) -> np.ndarray:
    """nDCG@10 of each query when the store is ranked by cosine alone."""
    top = np.argsort(-(queries @ s.store.vecs.T), axis=1)[:, :10]
    out = []
    for i, g in enumerate(s.gold):
        rel = set(s.relevant[i])
        gain = sum(DISCOUNT[k] for k, row in enumerate(top[i]) if row in rel)
        out.append(gain / DISCOUNT[:min(len(g["relevant"]), 10)].sum())
    return np.array(out)


def by_kind(sets: list[GoldSet], scores: dict[str, np.ndarray]) -> dict[str, float]:
    pooled: dict[str, list[float]] = {}
    for s in sets:
        for g, x in zip(s.gold, scores[s.name]):
            pooled.setdefault(g.get("kind") or "?", []).append(float(x))
    return {k: float(np.mean(v)) for k, v in sorted(pooled.items())}


def without_passages(s: GoldSet, held: GoldSet) -> GoldSet:
    """``s`` with no passage ``held`` judges relevant among its positives (its
    lines left with none are not fitted on): the held-out set's answers are then
    new to the map, as a new set's answers in new documents are."""
    if s.store is not held.store:
        return s
    gone = {row for rel in held.relevant for row in rel}
    return GoldSet(s.name, s.store, s.gold, s.queries,
                   [[row for row in rel if row not in gone] for rel in s.relevant])


def cost_us(adapter: QueryAdapter, queries: np.ndarray, repeat: int = 200) -> list[float]:
    """CPU microseconds :meth:`QueryAdapter.apply` adds to each query (its own
    vector, ``time.process_time`` over ``repeat`` calls): what the map costs a search."""
    out = []
    for q in queries:
        start = time.process_time()
        for _ in range(repeat):
            adapter.apply(q)
        out.append((time.process_time() - start) / repeat * 1e6)
    return out


def adapter_of(sets: list[GoldSet], a: np.ndarray) -> QueryAdapter:
    return QueryAdapter(sets[0].store.model, a)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=("fit", "loso"))
    ap.add_argument("sets", nargs="+", help="NAME:STORE:QUERY_CACHE:GOLD")
    ap.add_argument("--out", type=Path, help="fit: the map's file")
    ap.add_argument("--out-dir", type=Path, help="loso: folder of the per-set maps")
    ap.add_argument("--disjoint", action="store_true",
                    help="loso: fit without the held-out set's relevant passages as positives")
    ap.add_argument("--lam", type=float, default=LAM)
    ap.add_argument("--tau", type=float, default=TAU)
    ap.add_argument("--steps", type=int, default=STEPS)
    ap.add_argument("--lr", type=float, default=LR)
    args = ap.parse_args(argv)
    sets = [read_set(spec) for spec in args.sets]
    params = dict(lam=args.lam, tau=args.tau, steps=args.steps, lr=args.lr)
    meta = {k: str(v) for k, v in params.items()}
    if args.command == "fit":
        if args.out is None:
            raise SystemExit("fit needs --out FILE")
        a = fit(sets, **params)
        adapter_of(sets, a).save(args.out, sets=" ".join(s.name for s in sets), **meta)
        print(f"{args.out}: fitted on {sum(len(s.gold) for s in sets)} queries, |A| {np.linalg.norm(a):.2f}")
        cost = cost_us(adapter_of(sets, a), np.concatenate([s.queries for s in sets]))
        print(f"cost per query, CPU: p50 {np.percentile(cost, 50):.1f} us,"
              f" p95 {np.percentile(cost, 95):.1f} us, max {max(cost):.1f} us")
        return
    if args.out_dir is None:
        raise SystemExit("loso needs --out-dir DIR")
    args.out_dir.mkdir(parents=True, exist_ok=True)
    before, after = {}, {}
    for held in sets:
        start = time.time()
        rest = [s for s in sets if s is not held]
        if args.disjoint:
            rest = [without_passages(s, held) for s in rest]
        adapter = adapter_of(sets, fit(rest, **params))
        adapter.save(args.out_dir / f"without_{held.name}.npz",
                     sets=" ".join(s.name for s in rest), **meta)
        use = [wanted("semantic", understand(g["query"])) for g in held.gold]
        moved = np.stack([adapter.apply(q) if u else q for q, u in zip(held.queries, use)])
        before[held.name], after[held.name] = cosine_ndcg(held, held.queries), cosine_ndcg(held, moved)
        print(f"{held.name:<8} cosine nDCG@10 {before[held.name].mean():.3f} ->"
              f" {after[held.name].mean():.3f} (map on {sum(use)} of {len(use)} queries,"
              f" adapter.wanted)  ({time.time() - start:.0f} s)", flush=True)
    print(f"mean of sets {np.mean([x.mean() for x in before.values()]):.4f} ->"
          f" {np.mean([x.mean() for x in after.values()]):.4f}")
    b, a = by_kind(sets, before), by_kind(sets, after)
    print("by kind: " + " ".join(f"{k} {b[k]:.3f} -> {a[k]:.3f}" for k in b))


if __name__ == "__main__":
    main()

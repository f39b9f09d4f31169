"""What sub-passage windows would do to relevance, on any embedded store,
before ``embed`` stores them.

    python -m bench.window_vectors --store S/policylens.sqlite3 --gold G.jsonl [--gold ...] \\
        --cache windows.npz --query-cache q.npz [--without]

Each passage longer than ``WINDOW_FROM`` characters is cut into
windows (:func:`passage_windows`), the windows are embedded with the
store's model (kept in ``--cache`` by input text, so a second run embeds
nothing) and the semantic list is searched exactly over the passages' stored
vectors and the window vectors together, a passage scoring the best of its
own vector and its windows'. Everything else (lexical list, fusion, boosts,
collapsing) is the shipped ``search.relevance`` path. ``--replace`` drops the
own vector of every passage that has windows (its windows stand for it: fewer
rows, and about the characters embedded today). ``--without`` runs the
same exact search without windows (the before column); ``--rescore N`` takes
the N passages nearest by their own vectors and re-scores only those with
their windows (no wider scan: what a store could do by fetching the windows
of the candidates). SQLite stores below the
binary index size only (``search.vectors.BINARY_FROM``): the search here is
exact, as the store's own is there.
"""
from __future__ import annotations

import argparse
import re
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np

from search.embed import from_blobs, passage_input

# A passage longer than WINDOW_FROM characters is cut, at sentence ends, into
# windows of about WINDOW_CHARS characters. The cutters live here, beside their
# only user, until ``embed`` stores windows (docs/search_relevance.md).
WINDOW_CHARS = 80
WINDOW_FROM = 150
_SENTENCE = re.compile(r"[^。！？；!?;]+[。！？；!?;]*")


def sentence_windows(body: str, target: int = WINDOW_CHARS,
                     min_len: int = WINDOW_FROM) -> list[str]:
    """``body`` cut into consecutive, non-overlapping runs of whole sentences of
    about ``target`` characters (a sentence is never split; a short tail joins
    the window before it); [] when ``body`` has ``min_len`` characters or fewer
    or would make a single window. Why: one vector for a 300-character passage
    averages its sentences, so a paraphrase of one of them (下了岗的工人怎么重新
    端上饭碗 for a sentence on 下岗职工再就业) lands far from it; the windows
    are read as alternative vectors of the same passage, and the passage scores
    the best of them (``docs/search_relevance.md``, seventh session)."""
    if len(body) <= min_len:
        return []
    out: list[str] = []
    cur = ""
    for m in _SENTENCE.finditer(body):
        if cur and len(cur) + len(m.group()) > target:
            out.append(cur)
            cur = ""
        cur += m.group()
    if cur:
        if out and len(cur) < target // 3:
            out[-1] += cur
        else:
            out.append(cur)
    return out if len(out) > 1 else []


def passage_windows(title: str | None, text: str) -> list[str]:
    """The model inputs of a passage's windows (:func:`sentence_windows`), each
    with the title line :func:`passage_input` gives the passage itself."""
    body = " ".join(text.split())
    return [passage_input(title, w) for w in sentence_windows(body)]


def window_inputs(store: Path) -> tuple[list[str], list[int]]:
    """(model input, passage rowid) of every window of the store's passages."""
    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT p.rowid, d.title, p.text FROM passages p"
                            " JOIN documents d ON d.id = p.doc_id ORDER BY p.rowid").fetchall()
    finally:
        conn.close()
    inputs, owners = [], []
    for rowid, title, text in rows:
        for w in passage_windows(title, text):
            inputs.append(w)
            owners.append(rowid)
    return inputs, owners


def embed_cached(texts: list[str], cache: Path, embedder: Any, batch: int = 32) -> np.ndarray:
    """Vectors of ``texts``, embedding only those ``cache`` (an .npz of texts
    and vectors, rewritten after each batch) does not hold yet."""
    have: dict[str, np.ndarray] = {}
    if cache.exists():
        with np.load(cache) as data:
            have = dict(zip(data["texts"].tolist(), data["vecs"]))
    todo = [t for t in dict.fromkeys(texts) if t not in have]
    for i in range(0, len(todo), batch):
        chunk = todo[i : i + batch]
        have.update(zip(chunk, embedder.passages(chunk)))
        if (i // batch) % 20 == 19 or i + batch >= len(todo):
            keys = list(have)
            np.savez(cache, texts=np.array(keys), vecs=np.stack([have[k] for k in keys]))
    return np.stack([have[t] for t in texts]) if texts else np.zeros((0, embedder.dim), np.float32)


def max_pooled(rowids: np.ndarray, matrix: np.ndarray, qvec: Any, k: int
               ) -> list[tuple[float, int]]:
    """The ``k`` passages nearest to ``qvec`` when a passage's rows (its own vector
    and its windows', the same rowid) count by the best of them: (cosine, rowid)."""
    sims = matrix @ np.asarray(qvec, dtype=np.float32).reshape(-1)
    seen: set[int] = set()
    out: list[tuple[float, int]] = []
    for i in np.argsort(-sims, kind="stable"):
        rowid = int(rowids[i])
        if rowid not in seen:
            seen.add(rowid)
            out.append((float(sims[i]), rowid))
            if len(out) == k:
                break
    return out


def without_windowed(rowids: np.ndarray, matrix: np.ndarray, owners: list[int]
                     ) -> tuple[np.ndarray, np.ndarray]:
    """The passage rows whose passage has no windows (``owners``: the passage of
    each window)."""
    keep = ~np.isin(rowids, np.asarray(owners, dtype=np.int64))
    return rowids[keep], matrix[keep]


def rescored(rowids: np.ndarray, matrix: np.ndarray, n_passages: int, qvec: Any, k: int,
             scan: int) -> list[tuple[float, int]]:
    """The ``scan`` passages nearest by their own vectors (the first ``n_passages``
    rows), each re-scored by the best of its own and its windows' cosines; the
    best ``k`` of them."""
    sims = matrix @ np.asarray(qvec, dtype=np.float32).reshape(-1)
    order = np.argsort(-sims[:n_passages], kind="stable")[:scan]
    wanted = set(rowids[order].tolist())
    best = {int(rowids[i]): float(sims[i]) for i in order}
    for i in range(n_passages, len(rowids)):
        r = int(rowids[i])
        if r in wanted and sims[i] > best[r]:
            best[r] = float(sims[i])
    return sorted(((s, r) for r, s in best.items()), key=lambda x: -x[0])[:k]


def use_windows(store: Path, cache: Path, with_windows: bool = True, rescore: int = 0,
                replace: bool = False) -> int:
    """Route the SQLite store's vector search through :func:`max_pooled` over its
    stored vectors plus (``with_windows``) the windows' (:func:`rescored` with
    ``rescore``; with ``replace`` a passage that has windows keeps no vector of
    its own, :func:`without_windowed`); returns the window count."""
    import search.sqlite as sqlite_mod
    from search.embed import load_embedder

    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT rowid, vec FROM passage_vectors ORDER BY rowid").fetchall()
    finally:
        conn.close()
    dim = len(rows[0][1]) // 4
    rowids = np.array([r for r, _ in rows], dtype=np.int64)
    matrix = from_blobs([v for _, v in rows], dim)
    n, n_passages = 0, len(rowids)
    if with_windows:
        inputs, owners = window_inputs(store)
        win = embed_cached(inputs, cache, load_embedder())
        if replace:
            rowids, matrix = without_windowed(rowids, matrix, owners)
        n_passages = len(rowids)
        rowids = np.concatenate([rowids, np.array(owners, dtype=np.int64)])
        matrix = np.concatenate([matrix, win])
        n = len(inputs)
    if rescore:
        search = lambda self, qvec, k: rescored(rowids, matrix, n_passages, qvec, k,  # noqa: E731
                                                rescore)
    else:
        search = lambda self, qvec, k: max_pooled(rowids, matrix, qvec, k)  # noqa: E731
    sqlite_mod.SQLiteBackend.vector_search = search  # type: ignore[method-assign]
    return n


def main() -> None:
    from search.relevance import (available_modes, baseline_from_store, cached_query_embedder,
                                  load_gold, print_table, score_all)
    from search.sqlite import SQLiteBackend

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", required=True, type=Path)
    ap.add_argument("--gold", required=True, type=Path, action="append")
    ap.add_argument("--cache", required=True, type=Path, help="window vectors (.npz)")
    ap.add_argument("--query-cache", type=Path, default=None)
    ap.add_argument("--modes", default="semantic,hybrid")
    ap.add_argument("--without", action="store_true", help="the same search without windows")
    ap.add_argument("--replace", action="store_true",
                    help="a passage that has windows keeps no vector of its own")
    ap.add_argument("--rescore", type=int, default=0,
                    help="re-score only the N passages nearest by their own vectors")
    args = ap.parse_args()
    with cached_query_embedder(args.query_cache, optional=True):
        n = use_windows(args.store, args.cache, not args.without, args.rescore, args.replace)
        backend = SQLiteBackend(args.store)
        stats = backend.stats()
        print(f"store {args.store}: {stats['passages']} passages, {n} window vectors")
        modes = [m for m in args.modes.split(",") if m in available_modes(backend)]
        base = baseline_from_store(args.store)
        for gpath in args.gold:
            gold = load_gold(gpath)
            print_table(gpath.name, score_all(backend, base, gold, modes), len(gold))
        backend.close()


if __name__ == "__main__":
    main()

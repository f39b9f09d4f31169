"""The ``backend`` fixture: every contract test runs against each store.

``sqlite`` always runs on a real SQLite file in a temp folder. ``es`` runs when
``POLICYLENS_ES_URL`` points at an OpenSearch or Elasticsearch server (``make -s
engine-up`` starts one; .ci/run does), on a unique index prefix for the session,
emptied before each test and deleted at the end.
"""
from __future__ import annotations

import os
import re
import uuid

import pytest

from ingest.document import Document, Passage, content_id
from nlp.items import Analysis, DocumentMeta, Figure, Goal

# why the engine cases skip: .ci/run sets POLICYLENS_ENGINE_SKIP only where Maven
# Central cannot be reached (everywhere else CI fails when the engine is missing)
ENGINE_SKIP_REASON = (os.environ.get("POLICYLENS_ENGINE_SKIP")
                      or "POLICYLENS_ES_URL not set (make -s engine-up prints an engine URL)")


@pytest.fixture(params=["sqlite", "es"])
def backend(request, tmp_path):
    if request.param == "sqlite":
        from search.sqlite import SQLiteBackend

        b = SQLiteBackend(tmp_path / "contract.sqlite3")
        yield b
        b.close()
        return
    b = request.getfixturevalue("engine_store")
    # every test starts empty; emptying is much faster than creating the indices again.
    # A new generation too, as any write makes: values cached for the last test's
    # documents (places, facets, comparisons) must not answer for this one
    b.client.delete_by_query(list(b.names.values()), {"match_all": {}})
    b._bump()
    yield b


@pytest.fixture(scope="session")
def engine_store():
    """The engine store of the session: its own index prefix, dropped at the end."""
    url = os.environ.get("POLICYLENS_ES_URL")
    if not url:
        pytest.skip(ENGINE_SKIP_REASON)
    from search.elastic import ElasticBackend

    b = ElasticBackend(url=url, index_prefix=f"pltest-{uuid.uuid4().hex[:8]}")
    yield b
    try:
        b.drop()  # deletes the session's indices and templates
    finally:
        b.close()


def make_document(name: str, text: str, path: str | None = None) -> Document:
    """A Document with one passage per non-empty line (what a text reader gives)."""
    passages = [Passage(i, m.start(), m.end())
                for i, m in enumerate(re.finditer(r"[^\n]*\S[^\n]*", text))]
    return Document(id=content_id(text.encode("utf-8")), source=name,
                    path=path or f"/corpus/{name}", format="text", title=name, text=text,
                    passages=passages)


def figure(text: str, needle: str, value: float, kind: str = "money", unit: str = "元") -> Figure:
    s = text.index(needle)
    return Figure(start=s, end=s + len(needle), text=needle, kind=kind, value=value, unit=unit)


def goal(text: str, needle: str, vague: bool) -> Goal:
    s = text.index(needle)
    return Goal(start=s, end=s + len(needle), text=needle, vague=vague, score=0.9 if vague else 0.1)


YANTAI = (
    "烟台市财政局深入推进预算绩效管理改革。\n"
    "2023年共组织对30个财政重点支出项目开展绩效评价，涉及资金12.5亿元。\n"
    "委托深耕绩效领域的第三方机构参与评价，压减低效无效资金3000万元。\n"
    "力争到2025年全面建成预算和绩效管理一体化体系。\n"
    "进一步提高财政资金使用效益。\n"
)
LELING = (
    "乐陵市将扶贫资金纳入绩效管理，全年安排扶贫资金800万元。\n"
    "根据第三方绩效评价结果调减低效资金。\n"
    "预算绩效管理覆盖全部项目。\n"
    "确保民生支出占比达到80%以上。\n"
)


def yantai() -> tuple[Document, Analysis]:
    doc = make_document("yantai.txt", YANTAI)
    items = [figure(YANTAI, "12.5亿元", 1.25e9), figure(YANTAI, "3000万元", 3e7),
             goal(YANTAI, "力争到2025年全面建成预算和绩效管理一体化体系", False),
             goal(YANTAI, "进一步提高财政资金使用效益", True)]
    meta = DocumentMeta(title="烟台", doc_type="news", org="烟台市财政局", region="烟台市", year=2023)
    return doc, Analysis(items=items, meta=meta)


def leling() -> tuple[Document, Analysis]:
    doc = make_document("leling.txt", LELING)
    items = [figure(LELING, "800万元", 8e6), figure(LELING, "80%", 80, kind="percent", unit="%"),
             goal(LELING, "确保民生支出占比达到80%以上", False)]
    meta = DocumentMeta(title="乐陵", doc_type="news", org="乐陵市财政局", region="乐陵市", year=2019)
    return doc, Analysis(items=items, meta=meta)


@pytest.fixture
def loaded(backend):
    """The backend holding both small documents."""
    for d, a in (yantai(), leling()):
        backend.add(d, a)
    return backend

"""The engine differences (search/engines.py) and the Elasticsearch-only paths,
without an Elasticsearch server: Elasticsearch cannot be started on the project's
machines (OpenSearch can: the contract suite runs on it in CI).

The Elasticsearch path runs its real client over real HTTP against a small
recording server that answers as an Elasticsearch 9 node would, so the request
bodies, the product check and the media-type headers are the ones the official
client really sends. The same calls against the same server answering as
OpenSearch must send the same bodies, except where search.engines says."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from search.backend import Filter, ItemQuery, Query
from search.elastic import ElasticBackend, index_templates, mappings, refused_message
from search.engines import (BackendUnavailable, Engine, engine_from_info, hosts_of,
                            opensearch_options)

OPENSEARCH = Engine("opensearch", "2.19.1")
ELASTIC = Engine("elasticsearch", "9.1.0")


def info(number: str, distribution: str | None = None) -> dict[str, Any]:
    version: dict[str, Any] = {"number": number}
    if distribution:
        version["distribution"] = distribution
    return {"name": "n1", "cluster_name": "c", "version": version}


# ---- detection and the differences ------------------------------------------------------


@pytest.mark.parametrize("answer,label", [
    (info("2.19.1", "opensearch"), "OpenSearch 2.19.1"),
    (info("3.1.0", "opensearch"), "OpenSearch 3.1.0"),
    (info("8.15.2"), "Elasticsearch 8.15.2"),
    (info("9.1.0"), "Elasticsearch 9.1.0"),
])
def test_supported_engines_are_detected(answer, label):
    assert engine_from_info(answer).label == label


@pytest.mark.parametrize("answer,reason", [
    (info("7.17.9"), "Elasticsearch 7.17.9 is not supported"),
    (info("2.5.0", "opensearch"), "OpenSearch 2.5.0 is not supported"),  # no flat_object
    (info("1.3.0", "opensearch"), "OpenSearch 1.3.0 is not supported"),
    ({"status": "ok"}, "did not answer like OpenSearch or Elasticsearch"),
    ("<html>", "did not answer like OpenSearch or Elasticsearch"),
])
def test_other_servers_are_refused_with_the_reason(answer, reason):
    with pytest.raises(ValueError, match=reason):
        engine_from_info(answer)


def test_mappings_differ_only_in_the_flat_object_type_and_knn_setting():
    os_maps, es_maps = mappings(OPENSEARCH), mappings(ELASTIC)
    assert os_maps["items"]["properties"].pop("extra") == {"type": "flat_object"}
    assert es_maps["items"]["properties"].pop("extra") == {"type": "flattened"}
    assert os_maps == es_maps
    os_t = index_templates("pl", OPENSEARCH)["pl-passages-template"]
    es_t = index_templates("pl", ELASTIC)["pl-passages-template"]
    assert os_t["template"]["settings"].pop("knn") is True  # knn_vector needs index.knn
    assert os_t == es_t
    # an OpenSearch without the k-NN plugin refuses index.knn: left out
    no_knn = index_templates("pl", OPENSEARCH, vectors=False)["pl-passages-template"]
    assert "knn" not in no_knn["template"]["settings"]


def test_vector_fields_per_engine():
    """knn_vector (Lucene HNSW) needs index.knn, dense_vector does not; both cosine."""
    assert OPENSEARCH.vector_field(384)["type"] == "knn_vector"
    assert OPENSEARCH.vector_field(384)["dimension"] == 384 and OPENSEARCH.vector_settings()
    assert OPENSEARCH.vector_field(384)["method"]["engine"] == "lucene"  # no native library
    assert ELASTIC.vector_field(384) == {"type": "dense_vector", "dims": 384, "index": True,
                                         "similarity": "cosine"}
    assert ELASTIC.vector_settings() == {}


def test_knn_bodies_per_engine():
    """OpenSearch: a ``knn`` query with the filter inside; Elasticsearch 8/9: the
    top-level ``knn`` section with ``num_candidates`` and the filter."""
    where = {"bool": {"filter": [{"term": {"year": 2018}}]}}
    assert OPENSEARCH.knn_body("vec_3", [0.1, 0.2, 0.3], 5, where) == {
        "size": 5, "query": {"knn": {"vec_3": {"vector": [0.1, 0.2, 0.3], "k": 5,
                                               "filter": where}}}}
    assert ELASTIC.knn_body("vec_3", [0.1, 0.2, 0.3], 5, where) == {
        "size": 5, "knn": {"field": "vec_3", "query_vector": [0.1, 0.2, 0.3], "k": 5,
                           "num_candidates": 200, "filter": where}}
    assert "filter" not in ELASTIC.knn_body("v", [1.0], 100)["knn"]
    assert ELASTIC.knn_body("v", [1.0], 5000)["knn"]["num_candidates"] == 10_000
    from search.engines import cosine_of_score

    assert cosine_of_score(1.0) == 1.0 and cosine_of_score(0.5) == 0.0


def test_client_options_are_translated_for_opensearch_py():
    out = opensearch_options({"basic_auth": ["u", "p"], "request_timeout": 5,
                              "api_key": ("id", "key"), "verify_certs": False})
    assert out["http_auth"] == ("u", "p") and out["timeout"] == 5
    assert out["headers"]["Authorization"] == "ApiKey aWQ6a2V5"  # base64("id:key")
    assert out["verify_certs"] is False and "basic_auth" not in out


def test_several_nodes_in_one_url():
    assert hosts_of("http://a:9200, http://b:9201,") == ["http://a:9200", "http://b:9201"]
    assert hosts_of("http://a:9200") == ["http://a:9200"]


def test_refused_rows_message_names_engine_document_and_reasons():
    refused = [{"index": {"_id": f"d-p{i}", "status": 400, "error": {
        "type": "mapper_parsing_exception", "reason": "failed to parse field [year]"}}}
        for i in range(3)]
    msg = refused_message("OpenSearch 2.19.1", "a.txt", refused, 5)
    assert msg == ("OpenSearch 2.19.1 refused 3 of 5 rows of a.txt; the document was not "
                   "stored: mapper_parsing_exception: failed to parse field [year]")


# ---- a recording server answering as Elasticsearch or OpenSearch ------------------------


class Recorder(ThreadingHTTPServer):
    """Answers ``GET /`` with ``answer`` and every other request with what an empty
    cluster would say; records (method, path, headers, JSON body)."""

    def __init__(self, answer: Any, status: int = 200, elastic: bool = True) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.answer, self.status, self.elastic = answer, status, elastic
        self.requests: list[tuple[str, str, dict[str, str], Any]] = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def bodies(self, method: str, fragment: str) -> list[Any]:
        return [b for m, p, _, b in self.requests if m == method and fragment in p]

    def close(self) -> None:
        self.shutdown()
        self.server_close()


class Handler(BaseHTTPRequestHandler):
    server: Recorder

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def _reply(self, status: int, payload: Any, content_type: str = "application/json") -> None:
        data = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
        self.send_response(status)
        if self.server.elastic:
            self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        ndjson = self.path.split("?")[0].endswith("/_bulk")  # kept as text
        body = (json.loads(raw) if raw.strip().startswith(b"{") and not ndjson
                else raw.decode() or None)
        path = self.path.split("?")[0]
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.server.requests.append((self.command, self.path, headers, body))
        if self.server.status != 200:
            self._reply(self.server.status, {"error": {"type": "security_exception",
                                                       "reason": "unable to authenticate"}})
        elif path == "/":
            answer = self.server.answer
            self._reply(200, answer, "text/html" if isinstance(answer, str) else
                        "application/json")
        elif self.command == "HEAD":
            self._reply(404, {})  # no index exists yet
        elif path.endswith("/_count"):
            self._reply(200, {"count": 1})
        elif path.endswith("/_bulk"):
            self._reply(200, {"took": 1, "errors": False, "items": []})
        elif path.endswith("/_search"):
            self._reply(200, {"hits": {"total": {"value": 0}, "hits": []},
                              "aggregations": {"region": {"buckets": []},
                                               "groups": {"buckets": []}, "none": {}}})
        else:
            self._reply(200, {"acknowledged": True})

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = _handle


def run_calls(server: Recorder) -> ElasticBackend:
    """Connect and make a search, an item query and an aggregation."""
    backend = ElasticBackend(url=server.url, index_prefix="pl", max_retries=0)
    backend.search(Query('预算绩效 -扶贫', filters=[Filter("year", "gte", 2020)],
                         facets=["region"]))
    backend.query_items(ItemQuery(type="figure", filters=[Filter("new_key", "eq", 1)],
                                  sort="-value"))
    backend.aggregate_items(ItemQuery(type="goal"), "org", "share:vague")
    return backend


@pytest.fixture
def recorders():
    made: list[Recorder] = []

    def make(*args: Any, **kw: Any) -> Recorder:
        made.append(Recorder(*args, **kw))
        return made[-1]
    yield make
    for r in made:
        r.close()


def test_elasticsearch_path_sends_the_shared_bodies_with_its_own_headers(recorders):
    pytest.importorskip("elasticsearch")
    import elasticsearch

    major = int(elasticsearch.__versionstr__.split(".")[0])
    es = recorders(info(f"{major}.1.0"))
    backend = run_calls(es)
    assert backend.engine.label == f"Elasticsearch {major}.1.0"
    assert type(backend.client).__name__ == "ElasticsearchClient"
    calls = [(m, p, h, b) for m, p, h, b in es.requests if p != "/"]
    accept = {h.get("accept", "") for _, _, h, _ in calls}
    assert accept == {f"application/vnd.elasticsearch+json; compatible-with={major}"}
    templates = es.bodies("PUT", "/_index_template/")
    assert templates[2]["template"]["mappings"]["properties"]["extra"]["type"] == "flattened"

    os_server = recorders(info("2.19.1", "opensearch"), elastic=False)
    run_calls(os_server)
    for fragment in ("/pl-passages/_search", "/pl-items/_search"):
        assert es.bodies("POST", fragment) == os_server.bodies("POST", fragment)
    assert len(es.bodies("POST", "/pl-items/_search")) == 2
    os_templates = os_server.bodies("PUT", "/_index_template/")
    assert os_templates[2]["template"]["mappings"]["properties"]["extra"]["type"] == "flat_object"
    for t in (templates[2], os_templates[2]):
        t["template"]["mappings"]["properties"].pop("extra")
    assert templates == os_templates
    assert {h.get("accept", "") for _, p, h, _ in os_server.requests if p != "/"} <= {
        "", "*/*", "application/json"}


def test_elasticsearch_server_of_another_major_names_the_client_to_install(recorders):
    import elasticsearch

    other = 8 if elasticsearch.__versionstr__.startswith("9") else 9
    es = recorders(info(f"{other}.15.0"))
    with pytest.raises(BackendUnavailable) as err:
        ElasticBackend(url=es.url, max_retries=0)
    msg = str(err.value)
    assert f"Elasticsearch {other}.15.0 {es.url}" in msg and f"client {other}.x" in msg
    assert [p for _, p, _, _ in es.requests] == ["/"]  # nothing else was sent


def test_wrong_credentials_are_one_clear_error(recorders):
    server = recorders(info("2.19.1", "opensearch"), status=401, elastic=False)
    with pytest.raises(BackendUnavailable) as err:
        ElasticBackend(url=server.url, basic_auth=("pl", "wrong"), max_retries=0)
    assert server.url in str(err.value) and "credentials were refused" in str(err.value)
    assert server.requests[0][2].get("authorization", "").startswith("Basic ")


def test_a_server_that_is_no_engine_is_one_clear_error(recorders):
    server = recorders("<html>hello</html>", elastic=False)
    with pytest.raises(BackendUnavailable) as err:
        ElasticBackend(url=server.url, max_retries=0)
    assert server.url in str(err.value)


def test_vector_writes_and_knn_search_per_engine(recorders, monkeypatch):
    """Storing vectors and a semantic search, through each engine's real client:
    the vector field added with put_mapping (dense_vector / knn_vector), the
    model row, partial updates in one bulk request, and the k-NN request (the
    top-level ``knn`` section on Elasticsearch, a ``knn`` query on OpenSearch)."""
    pytest.importorskip("elasticsearch")
    import elasticsearch
    import numpy as np

    import search.elastic as elastic_mod

    class Emb:
        name, dim = "m/4", 4

        def query(self, text):
            return np.array([0.5, 0.5, 0.5, 0.5], dtype=np.float32)

    monkeypatch.setattr(elastic_mod, "load_embedder", lambda: Emb())
    major = int(elasticsearch.__versionstr__.split(".")[0])
    sent = {}
    for label, server in (("es", recorders(info(f"{major}.1.0"))),
                          ("os", recorders(info("2.19.1", "opensearch"), elastic=False))):
        backend = ElasticBackend(url=server.url, index_prefix="pl", max_retries=0)
        backend.vectors = True  # the recording server lists no k-NN plugin
        backend.store_vectors("m/4", ["d.v-p0", "d.v-p1"],
                              np.array([[1, 0, 0, 0], [0, 0, 0, 0]], dtype=np.float32))
        mapping = server.bodies("PUT", "/pl-passages/_mapping")
        bulk = [b for m, p, _, b in server.requests if p.startswith("/_bulk")]
        lines = [json.loads(x) for x in bulk[0].splitlines() if x.strip()]
        assert lines[0] == {"update": {"_index": "pl-passages", "_id": "d.v-p0"}}
        assert lines[1] == {"doc": {"vec_model": "m/4", "vec_4": [1.0, 0.0, 0.0, 0.0]}}
        assert lines[3] == {"doc": {"vec_model": "m/4"}}  # a zero vector: done, no vector
        assert server.bodies("PUT", "/pl-meta/_doc/vectors") == [{"model": "m/4", "dims": 4}]
        monkeypatch.setattr(backend, "_vector_meta", lambda: {"model": "m/4", "dims": 4})
        res = backend.search(Query("预算", mode="semantic", filters=[Filter("year", "eq", 2020)]))
        assert res.mode == "semantic"
        sent[label] = (mapping[0]["properties"]["vec_4"],
                       server.bodies("POST", "/pl-passages/_search")[-1])
    es_field, es_body = sent["es"]
    os_field, os_body = sent["os"]
    assert es_field == {"type": "dense_vector", "dims": 4, "index": True, "similarity": "cosine"}
    assert os_field["type"] == "knn_vector" and os_field["dimension"] == 4
    where = {"bool": {"filter": [{"term": {"year": 2020}}, {"term": {"vec_model": "m/4"}}]}}
    assert es_body["knn"] == {"field": "vec_4", "query_vector": [0.5] * 4, "k": 100,
                              "num_candidates": 400, "filter": where}
    assert os_body["query"] == {"knn": {"vec_4": {"vector": [0.5] * 4, "k": 100,
                                                  "filter": where}}}

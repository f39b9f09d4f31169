"""Which distributed engine answers at a URL, and the few ways the engines differ.

The distributed backend (:mod:`search.elastic`) builds one set of mappings and
REST bodies for both engines. What differs lives here and nowhere else:

* the client: OpenSearch 2.x/3.x through ``opensearch-py`` (its official
  client), Elasticsearch 8/9 through the official ``elasticsearch`` client,
  whose major must be the server's (client 9 sends ``compatible-with=9``
  media-type headers that an 8.x server refuses, and it refuses to talk to
  OpenSearch at all: a product check);
* the free-form object type: ``flattened`` (Elasticsearch) / ``flat_object``
  (OpenSearch 2.7+);
* passage vectors: the field type (``dense_vector`` / ``knn_vector``, the latter
  needs ``index.knn`` on the index and the k-NN plugin on the server), and the
  nearest-neighbour request (a top-level ``knn`` section / a ``knn`` query);
* how a call says "this status is not an error" and how ``_source`` filtering
  is spelt on a get (``options(ignore_status=)`` / ``ignore=``,
  ``source_includes`` / ``_source_includes``).

The engine is read from ``GET /`` (``version.distribution`` is ``opensearch``
on OpenSearch), with opensearch-py, which talks to either server.
"""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any, Iterable

# supported majors per engine; OpenSearch needs 2.7+ for flat_object
SUPPORTED = {"opensearch": (2, 3), "elasticsearch": (8, 9)}
MIN_OPENSEARCH_2_MINOR = 7


class BackendUnavailable(RuntimeError):
    """The engine cannot be reached, refused the credentials or the setup, or is
    not a supported engine. The message names the engine (when known), the URL
    and the cause."""


class IndexingError(RuntimeError):
    """The engine refused rows of one document (the message names the engine, the
    document and the first reasons); the document was not stored."""


@dataclass(frozen=True)
class Engine:
    """A detected engine: ``distribution`` is ``opensearch`` or ``elasticsearch``."""

    distribution: str
    version: str

    @property
    def major(self) -> int:
        return _version_tuple(self.version)[0]

    @property
    def is_opensearch(self) -> bool:
        return self.distribution == "opensearch"

    @property
    def label(self) -> str:
        return f"{'OpenSearch' if self.is_opensearch else 'Elasticsearch'} {self.version}"

    def flat_object(self) -> dict[str, Any]:
        """A field holding an object of arbitrary keys, each searchable as a keyword."""
        return {"type": "flat_object" if self.is_opensearch else "flattened"}

    def vector_field(self, dims: int) -> dict[str, Any]:
        """A cosine k-NN vector field of ``dims`` dimensions (for passage embeddings)."""
        if self.is_opensearch:
            return {"type": "knn_vector", "dimension": dims, "method": {
                "name": "hnsw", "space_type": "cosinesimil", "engine": "lucene"}}
        return {"type": "dense_vector", "dims": dims, "index": True, "similarity": "cosine"}

    def vector_settings(self) -> dict[str, Any]:
        """Index settings an index with a vector field needs."""
        return {"knn": True} if self.is_opensearch else {}

    def knn_body(self, field: str, vector: list[float], k: int,
                 filters: dict[str, Any] | None = None) -> dict[str, Any]:
        """A search body for the ``k`` rows nearest to ``vector`` among those
        matching the ``filters`` bool query (HNSW with the filter applied during
        the search, so a narrow filter still gets ``k`` rows). Both engines score
        a cosine field ``(1 + cos) / 2``: :func:`cosine_of_score` undoes it."""
        if self.is_opensearch:
            knn: dict[str, Any] = {"vector": vector, "k": k}
            if filters:
                knn["filter"] = filters
            return {"size": k, "query": {"knn": {field: knn}}}
        section: dict[str, Any] = {"field": field, "query_vector": vector, "k": k,
                                   "num_candidates": min(10_000, max(4 * k, 200))}
        if filters:
            section["filter"] = filters
        return {"size": k, "knn": section}


def cosine_of_score(score: float) -> float:
    """The cosine similarity behind a k-NN hit's ``_score`` (``(1 + cos) / 2`` on
    both engines' cosine fields)."""
    return 2.0 * float(score) - 1.0


def _version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for p in str(version).split("-")[0].split("."):
        parts.append(int(p) if p.isdigit() else 0)
    return tuple(parts) or (0,)


def engine_from_info(info: Any) -> Engine:
    """The engine described by a ``GET /`` answer; ``ValueError`` for anything else
    (another HTTP server, an unsupported version)."""
    version = info.get("version") if isinstance(info, dict) else None
    if not isinstance(version, dict) or not version.get("number"):
        raise ValueError("GET / did not answer like OpenSearch or Elasticsearch "
                         "(no version.number)")
    dist = "opensearch" if version.get("distribution") == "opensearch" else "elasticsearch"
    engine = Engine(dist, str(version["number"]))
    low, high = SUPPORTED[dist]
    major, minor = (_version_tuple(engine.version) + (0,))[:2]
    if not low <= major <= high or (dist == "opensearch" and major == 2
                                    and minor < MIN_OPENSEARCH_2_MINOR):
        first = f"{low}.{MIN_OPENSEARCH_2_MINOR}" if dist == "opensearch" else str(low)
        raise ValueError(f"{engine.label} is not supported (supported: {first} to {high}.x)")
    return engine


def opensearch_options(options: dict[str, Any]) -> dict[str, Any]:
    """The backend's client options (named as the elasticsearch client names them:
    ``basic_auth``, ``api_key``, ``request_timeout`` ...) for opensearch-py."""
    out = dict(options)
    if "basic_auth" in out:
        out["http_auth"] = tuple(out.pop("basic_auth"))
    if "request_timeout" in out:
        out["timeout"] = out.pop("request_timeout")
    key = out.pop("api_key", None)
    if key is not None:
        if isinstance(key, (tuple, list)):
            key = base64.b64encode(f"{key[0]}:{key[1]}".encode()).decode()
        out["headers"] = {**out.get("headers", {}), "Authorization": f"ApiKey {key}"}
    return out


def _explain(err: Exception) -> str:
    """The cause of a failed call in a few words (status and the engine's reason)."""
    status = getattr(err, "status_code", None) or getattr(getattr(err, "meta", None), "status",
                                                          None)
    if status == 401:
        return "HTTP 401: the credentials were refused (check basic_auth / api_key)"
    if status == 403:
        return "HTTP 403: these credentials may not do this"
    name = type(err).__name__
    if "Connection" in name:
        errno = re.search(r"\[Errno -?\d+\] [^)\]'\"]+", str(err))
        return f"cannot connect ({errno.group(0).strip() if errno else _short(err)})"
    return f"{name}: {_short(err)}"


def _short(err: Exception, limit: int = 300) -> str:
    text = " ".join(str(err).split())
    return text if len(text) <= limit else text[:limit] + "…"


class EngineClient:
    """The calls the backend makes, with REST bodies, over one official client.

    Subclasses fill in the spelling differences; the bodies are the same."""

    source_includes_param = "source_includes"

    def __init__(self, raw: Any, engine: Engine, url: str) -> None:
        self.raw = raw
        self.engine = engine
        self.url = url

    def _lenient(self, status: int) -> tuple[Any, dict[str, Any]]:
        """(client, extra kwargs) for a call where ``status`` is an answer, not an error."""
        raise NotImplementedError

    def _helpers(self) -> Any:
        raise NotImplementedError

    def describe(self, err: Exception) -> str:
        """``<engine> <url>: <cause>``: how every engine error is reported."""
        return f"{self.engine.label} {self.url}: {_explain(err)}"

    # ---- reads ---------------------------------------------------------------------

    def search(self, index: str, body: dict[str, Any]) -> dict[str, Any]:
        return self.raw.search(index=index, body=body)

    def count(self, index: str) -> int:
        return int(self.raw.count(index=index)["count"])

    def get_source(self, index: str, doc_id: str, includes: list[str] | None = None
                   ) -> dict[str, Any] | None:
        """The stored source of one row, ``None`` when there is none."""
        client, kw = self._lenient(404)
        if includes:
            kw[self.source_includes_param] = ",".join(includes)
        got = client.get(index=index, id=doc_id, **kw)
        return (got.get("_source") or {}) if got.get("found") else None

    def exists(self, index: str, doc_id: str) -> bool:
        return bool(self.raw.exists(index=index, id=doc_id))

    # ---- writes --------------------------------------------------------------------

    def index(self, index: str, doc_id: str, source: dict[str, Any], refresh: bool = True) -> int:
        """Write one row; its new ``_version`` (1 when new, one more on every write)."""
        got = self.raw.index(index=index, id=doc_id, body=source, refresh=refresh)
        return int(got.get("_version") or 0)

    def version(self, index: str, doc_id: str) -> int:
        """The ``_version`` of one row (a real-time get), 0 when there is none."""
        client, kw = self._lenient(404)
        got = client.get(index=index, id=doc_id, **kw)
        return int(got.get("_version") or 0) if got.get("found") else 0

    def count_where(self, index: str, query: dict[str, Any]) -> int:
        return int(self.raw.count(index=index, body={"query": query})["count"])

    def put_mapping(self, index: str, properties: dict[str, Any]) -> None:
        self.raw.indices.put_mapping(index=index, body={"properties": properties})

    def mapping_properties(self, index: str) -> dict[str, Any]:
        got = self.raw.indices.get_mapping(index=index)
        return (got.get(index, {}).get("mappings") or {}).get("properties") or {}

    def plugins(self) -> set[str]:
        """Names (and classes) of the plugins loaded on the cluster's nodes."""
        got = self.raw.nodes.info(metric="plugins")
        return {str(p.get(k, "")) for node in (got.get("nodes") or {}).values()
                for p in node.get("plugins") or [] for k in ("name", "classname")}

    def bulk(self, actions: Iterable[dict[str, Any]], refresh: bool = True,
             chunk_size: int = 500) -> list[dict[str, Any]]:
        """Send the actions (``chunk_size`` a request; searchable when this returns:
        the touched shards are refreshed, as after every write of the SQLite store,
        unless ``refresh`` is off for a bulk load); the rows the engine refused,
        each as the engine's per-item error entry."""
        _, errors = self._helpers().bulk(self.raw, actions, refresh=refresh,
                                         chunk_size=chunk_size, raise_on_error=False)
        return list(errors)

    def delete_by_query(self, indices: list[str], query: dict[str, Any]) -> None:
        self.raw.delete_by_query(index=",".join(indices), body={"query": query}, refresh=True,
                                 conflicts="proceed")

    # ---- indices and templates -----------------------------------------------------

    def put_template(self, name: str, body: dict[str, Any]) -> None:
        self.raw.indices.put_index_template(name=name, body=body)

    def template_exists(self, name: str) -> bool:
        return bool(self.raw.indices.exists_index_template(name=name))

    def index_exists(self, index: str) -> bool:
        return bool(self.raw.indices.exists(index=index))

    def create_index(self, index: str) -> None:
        """Create from its template; 400 (created meanwhile by another process) is fine."""
        client, kw = self._lenient(400)
        client.indices.create(index=index, **kw)

    def index_meta(self, index: str) -> dict[str, Any]:
        """The ``_meta`` of an index's mapping."""
        got = self.raw.indices.get_mapping(index=index)
        return (got.get(index, {}).get("mappings") or {}).get("_meta") or {}

    def delete_indices(self, indices: list[str]) -> None:
        self.raw.indices.delete(index=",".join(indices), ignore_unavailable=True)

    def delete_template(self, name: str) -> None:
        client, kw = self._lenient(404)
        client.indices.delete_index_template(name=name, **kw)

    def close(self) -> None:
        try:
            self.raw.close()
        except Exception:  # pragma: no cover - closing twice
            pass


class OpenSearchClient(EngineClient):
    """opensearch-py: ``ignore=`` per call, ``_source_includes``."""

    source_includes_param = "_source_includes"

    def _lenient(self, status: int) -> tuple[Any, dict[str, Any]]:
        return self.raw, {"ignore": status}

    def _helpers(self) -> Any:
        from opensearchpy import helpers

        return helpers


class ElasticsearchClient(EngineClient):
    """The elasticsearch client: ``options(ignore_status=)``, ``source_includes``."""

    def _lenient(self, status: int) -> tuple[Any, dict[str, Any]]:
        return self.raw.options(ignore_status=status), {}

    def _helpers(self) -> Any:
        from elasticsearch import helpers

        return helpers


def connect(url: str, **options: Any) -> EngineClient:
    """A client for the engine at ``url`` (or several nodes: ``URL,URL``): ``GET /``
    says which engine it is.

    ``options`` are named as the elasticsearch client names them (``basic_auth``,
    ``api_key``, ``ca_certs``, ``verify_certs``, ``request_timeout``,
    ``max_retries``). Raises :class:`BackendUnavailable` naming the URL and the
    cause: nothing listening, credentials refused, not an engine, an unsupported
    version, or an elasticsearch client whose major is not the server's."""
    from opensearchpy import OpenSearch

    options.setdefault("request_timeout", 30)
    hosts = hosts_of(url)
    probe = OpenSearch(hosts, **opensearch_options(options))
    try:
        info = probe.info()
        engine = engine_from_info(info)
    except ValueError as err:
        probe.close()
        raise BackendUnavailable(f"{url}: {err}") from err
    except Exception as err:
        probe.close()
        raise BackendUnavailable(f"search engine at {url}: {_explain(err)}") from err
    if engine.is_opensearch:
        return OpenSearchClient(probe, engine, url)
    probe.close()
    return ElasticsearchClient(_elasticsearch(url, engine, options), engine, url)


def _elasticsearch(url: str, engine: Engine, options: dict[str, Any]) -> Any:
    """The official client for an Elasticsearch server, of the server's major."""
    try:
        import elasticsearch
    except ImportError as err:  # pragma: no cover - a dependency of the project
        raise BackendUnavailable(f"{engine.label} {url}: the elasticsearch client is not "
                                 "installed") from err
    client_major = int(str(elasticsearch.__versionstr__).split(".")[0])
    if client_major != engine.major:
        raise BackendUnavailable(
            f"{engine.label} {url}: the installed elasticsearch client is "
            f"{elasticsearch.__versionstr__}; this server needs client {engine.major}.x "
            f"(pip install 'elasticsearch>={engine.major},<{engine.major + 1}')")
    return elasticsearch.Elasticsearch(hosts_of(url), **options)


def hosts_of(url: str) -> list[str]:
    """``URL[,URL...]``: several nodes of one cluster; a request that cannot reach
    one node is retried on the next (``max_retries``)."""
    return [u.strip() for u in url.split(",") if u.strip()]

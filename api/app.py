"""The FastAPI application: one router per resource, the store as a dependency.

``create_app(backend=...)`` serves a given store (tests use a temp SQLite file);
without one, the configured store is opened on first use (see ``api.deps``).
"""
from __future__ import annotations

import threading
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from api.models import ErrorDetail
from api.render import method_not_allowed
from api.security import HostCheckMiddleware, announce_generated_token
from api.uploads import start_warming
from api.routes import (apidocs, compare, documents, entities, figures, goals, indicators, item_pages,
                        metadata, pages, search)
from search.backend import Backend
from search.filters import FilterError
from search.tokenize import ensure_jieba

# any route: an unknown filter field, sort or facet is the caller's mistake
# (JSON even on CSV routes, hence the explicit content)
BAD_REQUEST: dict[int | str, dict[str, Any]] = {
    400: {"description": "错误的参数 bad parameter (unknown field, sort, format)",
          "content": {"application/json": {"schema": ErrorDetail.model_json_schema()}}}}
STATIC_DIR = Path(__file__).resolve().parent / "static"


async def _filter_error(request: Request, exc: Exception) -> JSONResponse:
    """An unknown field, operator or metric in any route's query is the user's
    mistake: 400 with the message, never a 500."""
    return JSONResponse(status_code=400, content={"detail": str(exc)})


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Load jieba and the domain dictionary before the first request, so the
    first search does not pay a second or two of start-up."""
    ensure_jieba()
    announce_generated_token(app)
    warming = _warm_places(app)
    start_warming(app)  # the uploads' fork server loads the pipeline now, not at the first upload
    yield
    # the warm-up reads the store: it ends before the app does, so whoever closes
    # the store next never closes a connection in use (a segfault in sqlite3)
    warming.join(WARM_UP_JOIN_S)
    uploads = getattr(app.state, "uploads", None)
    if uploads is not None:  # end the analysis process with the server
        uploads.close()


WARM_UP_JOIN_S = 60.0  # at shutdown, how long to wait for the places warm-up to end


def _warm_places(app: FastAPI) -> threading.Thread:
    """Read the indexed places (and the division list) in the background, so
    the first region or org filter after start does not wait for them."""
    from api.deps import default_backend
    from search.places import indexed_places

    def run() -> None:
        try:
            indexed_places(app.state.backend or default_backend())
        except Exception:  # noqa: BLE001 - a store not reachable yet: the first request reads them
            pass
    thread = threading.Thread(target=run, name="warm-places", daemon=True)
    thread.start()
    return thread


def create_app(backend: Backend | None = None, api_token: str | None = None) -> FastAPI:
    """The app over ``backend`` (default: the configured store); writes need
    ``api_token`` (default: ``POLICYLENS_API_TOKEN``, else a random one, see api.security)."""
    app = FastAPI(
        lifespan=_lifespan,
        title="PolicyLens",
        description="Search and extraction for Chinese public-finance texts / 中文财政文本检索与抽取",
        version="0.1.0",
        docs_url=None, redoc_url=None,  # served by api.routes.apidocs from local assets
        responses=BAD_REQUEST,
    )
    app.state.backend = backend
    app.state.api_token = api_token
    app.add_middleware(HostCheckMiddleware, fastapi_app=app)
    app.add_exception_handler(FilterError, _filter_error)
    app.add_exception_handler(405, method_not_allowed)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    app.include_router(apidocs.router)
    for module in (search, documents, figures, goals, indicators, entities, compare, pages,
                   item_pages, metadata):
        app.include_router(module.router)
    return app


app = create_app()

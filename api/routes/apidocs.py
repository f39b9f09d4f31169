"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) from assets the app serves itself.

FastAPI's default pages load their JavaScript, CSS, favicon and fonts from
third-party hosts, so they are blank offline. ``make install`` installs the
same assets from npm (``package-lock.json`` pins them) into
``api/static/vendor``; without them the page says how to get them instead of
loading anything from elsewhere.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from markupsafe import escape

VENDOR = Path(__file__).resolve().parent.parent / "static" / "vendor"
TITLE = "PolicyLens API"
LOCAL_ONLY = "default-src 'self' 'unsafe-inline' data: blob:"

router = APIRouter(include_in_schema=False)


def _missing(asset: str) -> HTMLResponse | None:
    """A page naming the missing asset, or None when it is installed."""
    if (VENDOR / asset).is_file():
        return None
    return HTMLResponse(
        f"<!doctype html><meta charset='utf-8'><title>{TITLE}</title>"
        f"<p>缺少前端资源 missing browser asset: api/static/vendor/{escape(asset)}."
        " 运行 run <code>make install</code>（从 npm 安装 installs it from npm）。"
        " JSON: <a href='openapi.json'>openapi.json</a></p>", status_code=503)


def _page(request: Request, asset: str, build: Callable[..., HTMLResponse],
          **assets: str) -> HTMLResponse:
    """``build`` (FastAPI's Swagger UI or ReDoc page) with every asset URL local:
    ``assets`` maps its URL arguments to files under ``/static``."""
    root = request.scope.get("root_path", "").rstrip("/")
    page = _missing(asset) or build(
        openapi_url=root + request.app.openapi_url, title=TITLE + " 接口文档",
        **{arg: f"{root}/static/{path}" for arg, path in assets.items()})
    # the bundles still name a few third-party URLs (ReDoc's logo): the browser may
    # load nothing from elsewhere, so the page works offline and tells no one
    page.headers["Content-Security-Policy"] = LOCAL_ONLY
    return page


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    return _page(request, "swagger-ui-bundle.js", get_swagger_ui_html,
                 swagger_js_url="vendor/swagger-ui-bundle.js",
                 swagger_css_url="vendor/swagger-ui.css", swagger_favicon_url="favicon.svg")


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    return _page(request, "redoc.standalone.js",
                 lambda **kw: get_redoc_html(**kw, with_google_fonts=False),
                 redoc_js_url="vendor/redoc.standalone.js", redoc_favicon_url="favicon.svg")

"""Write access and request origin checks: safe to run on a shared network.

Reads stay open; every write endpoint depends on :func:`require_write`, which
asks for the server's token, either as ``Authorization: Bearer <token>`` (scripts,
``curl``) or in the ``policylens_token`` cookie (the server's own web pages).

- The token is ``POLICYLENS_API_TOKEN``; when it is unset the server makes a
  random one at start-up and prints it (as notebook servers do), with a link
  ``/?token=...`` that sets the cookie once and redirects to the clean URL.
  The cookie is ``HttpOnly`` and ``SameSite=Strict``: page scripts cannot read it
  and no other site's form or image sends it.
- ``Host`` must name this server (DNS rebinding): the loopback names, the
  address ``serve`` is bound to (``POLICYLENS_BIND_HOST``) and the names in
  ``POLICYLENS_ALLOWED_HOSTS`` (comma-separated; ``*`` allows any, for a
  reverse proxy that checks the host itself).
- A write whose ``Origin`` (or, without one, ``Referer``) is another site is
  refused, token or not: a page elsewhere cannot post to a local server.

Another write route reuses the same checks with one line:
``dependencies=[Depends(require_write)]`` and ``responses=WRITE_RESPONSES``.
"""
from __future__ import annotations

import hmac
import os
import secrets
import sys
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import HTTPException, Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from api.models import ErrorDetail

TOKEN_ENV = "POLICYLENS_API_TOKEN"
HOSTS_ENV = "POLICYLENS_ALLOWED_HOSTS"
BIND_ENV = "POLICYLENS_BIND_HOST"
COOKIE = "policylens_token"
# no request body may be larger (the 20 MB upload plus its multipart framing): a larger
# Content-Length is refused before a byte of the body is read or spooled to disk
MAX_REQUEST_BYTES = 21 * 1024 * 1024
LOOPBACK = ("localhost", "127.0.0.1", "::1")
# a bind address that is no host name a client would send
_WILDCARD = ("", "0.0.0.0", "::")

WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorDetail,
          "description": "缺少或错误的令牌 missing or wrong token "
                         "(Authorization: Bearer <POLICYLENS_API_TOKEN>)"},
    403: {"model": ErrorDetail, "description": "跨站写请求被拒绝 cross-origin write refused"},
}


def new_token() -> str:
    """A random token, URL-safe (it goes into the ``/?token=`` link)."""
    return secrets.token_urlsafe(24)


def server_token(app: Any) -> str:
    """The app's token: the one given to ``create_app``, else ``POLICYLENS_API_TOKEN``,
    else one made now (kept for the process; printed at start-up)."""
    token = getattr(app.state, "api_token", None) or os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        token = new_token()
    app.state.api_token = token
    return token


def announce_token(token: str, host: str, port: int | None = None) -> None:
    """Print a generated token and the log-in link on stderr (``serve`` and start-up)."""
    where = f"http://{_url_host(host)}{f':{port}' if port else ''}"
    sys.stderr.write(
        f"写入令牌 write token (随机生成 generated): {token}\n"
        f"  网页登录 log in the browser: {where}/?token={token}\n"
        f"  脚本 scripts: curl -H 'Authorization: Bearer {token}' -F file=@a.txt {where}/api/documents\n")
    sys.stderr.flush()


def announce_generated_token(app: Any) -> None:
    """At start-up without a configured token: make one and print it, so the
    operator can write (``serve`` sets ``POLICYLENS_API_TOKEN`` itself)."""
    if not (getattr(app.state, "api_token", None) or os.environ.get(TOKEN_ENV)):
        announce_token(server_token(app), os.environ.get(BIND_ENV, "127.0.0.1"))


def _url_host(host: str) -> str:
    host = "127.0.0.1" if host in _WILDCARD else host
    return f"[{host}]" if ":" in host else host


def allowed_hosts() -> set[str]:
    """Host names this server answers to (lower case, no port)."""
    hosts = set(LOOPBACK)
    bound = os.environ.get(BIND_ENV, "").strip().lower()
    if bound not in _WILDCARD:
        hosts.add(bound)
    hosts |= {h.strip().lower() for h in os.environ.get(HOSTS_ENV, "").split(",") if h.strip()}
    return hosts


def host_name(netloc: str) -> str:
    """``example.org:8000`` -> ``example.org``; ``[::1]:8000`` -> ``::1``."""
    netloc = netloc.strip().lower()
    if netloc.startswith("["):
        return netloc[1:].split("]", 1)[0]
    return netloc.rsplit(":", 1)[0] if netloc.count(":") == 1 else netloc


def host_allowed(host_header: str) -> bool:
    hosts = allowed_hosts()
    return "*" in hosts or host_name(host_header) in hosts


def _origin_of(request: Request) -> str | None:
    """The netloc of the page that sent the request (``Origin``, else ``Referer``);
    ``None`` when the client sent neither (curl, scripts); ``"null"`` stays as is."""
    origin = request.headers.get("origin")
    if origin is None:
        referer = request.headers.get("referer")
        if not referer:
            return None
        origin = referer
    if origin.strip().lower() == "null":
        return "null"
    return urlsplit(origin).netloc.lower()


def check_same_origin(request: Request) -> None:
    """A write sent by a page of another site is a 403, whatever it carries."""
    origin = _origin_of(request)
    if origin is None:
        return
    own = request.headers.get("host", "").lower()
    if origin != own:
        raise HTTPException(403, f"跨站写请求被拒绝 cross-origin write refused: origin {origin[:100]!r}"
                                 f" is not this server ({own[:100]!r})")


def _given_token(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(COOKIE)


def require_write(request: Request) -> None:
    """FastAPI dependency of every write route: same origin, and the server's token.

    Use as ``dependencies=[Depends(require_write)]``; declare ``responses=WRITE_RESPONSES``."""
    check_same_origin(request)
    given = _given_token(request)
    if not given:
        raise HTTPException(401, "需要写入令牌 write token required: send 'Authorization: Bearer "
                                 "<token>' (the token serve printed, or POLICYLENS_API_TOKEN)",
                            headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.encode("utf-8"), server_token(request.app).encode("utf-8")):
        raise HTTPException(401, "写入令牌错误 wrong write token",
                            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


class HostCheckMiddleware:
    """Refuse requests whose ``Host`` is not this server (400) or whose declared
    body is over MAX_REQUEST_BYTES (413), and turn a ``?token=`` log-in link
    into the HttpOnly SameSite=Strict cookie."""

    def __init__(self, app: ASGIApp, fastapi_app: Any) -> None:
        self.app = app
        self.fastapi_app = fastapi_app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        host = request.headers.get("host", "")
        if not host_allowed(host):
            response: Response = PlainTextResponse(
                f"未知主机 unknown host: {host[:100]!r} (see {HOSTS_ENV})", status_code=400)
            await response(scope, receive, send)
            return
        length = request.headers.get("content-length", "0")
        if not length.isdigit() or int(length) > MAX_REQUEST_BYTES:
            response = JSONResponse({"detail": f"请求过大 request too large: Content-Length "
                                               f"{length[:20]} > limit {MAX_REQUEST_BYTES} bytes"},
                                    status_code=413)
            await response(scope, receive, send)
            return
        token = request.query_params.get("token")
        if request.method == "GET" and token is not None:
            await self._log_in(request, token)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _log_in(self, request: Request, token: str) -> Response:
        """Redirect to the same URL without the token; set the cookie when it is right."""
        rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
        target = request.url.path + ("?" + urlencode(rest) if rest else "")
        response = RedirectResponse(target, status_code=303)
        if hmac.compare_digest(token.encode("utf-8"),
                               server_token(self.fastapi_app).encode("utf-8")):
            response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/",
                                secure=request.url.scheme == "https")
        return response


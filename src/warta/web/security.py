"""What keeps the server safe to leave running: bounded requests, strict headers, the write token.

- Request bodies over `MAX_BODY` bytes are refused with 413 before they are read whole.
- Every response carries a Content-Security-Policy that allows scripts and styles from warta
  itself only (no inline script), so even a string that escaped escaping could not run.
- Write endpoints need ``Authorization: Bearer <token>``; without a configured token they are off.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

MAX_BODY = 8 * 1024 * 1024
MAX_QUERY_CHARS = 500
MAX_LIMIT = 100
MAX_OFFSET = 10_000

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
#: the OpenAPI page (Swagger UI) starts itself with an inline script FastAPI writes
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class GuardMiddleware:
    """Pure ASGI middleware: body size limit and security headers (cheap on every request)."""

    def __init__(self, app: ASGIApp, *, max_body: int = MAX_BODY, docs_paths: tuple[str, ...] = ("/docs",)) -> None:
        self.app = app
        self.max_body = max_body
        self.docs_paths = docs_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None:
            try:
                too_big = int(length) > self.max_body
            except ValueError:
                too_big = True
            if too_big:
                await _plain(send, 413, b"request body too large")
                return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise HTTPException(413, "request body too large")
            return message

        csp = DOCS_CSP if scope.get("path", "") in self.docs_paths else CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                hs = list(message.get("headers") or [])
                hs += [
                    (b"content-security-policy", csp.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"no-referrer"),
                ]
                message["headers"] = hs
            await send(message)

        await self.app(scope, limited_receive, send_with_headers)


async def _plain(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


_bearer = HTTPBearer(auto_error=False, description="the operator's token (warta serve --token-file)")


def require_token(
    request: Request, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)] = None
) -> str:
    """FastAPI dependency for write endpoints: the bearer token must match the operator's."""
    expected: str | None = request.app.state.token
    if not expected:
        raise HTTPException(
            403, "write endpoints are off: start `warta serve --token-file FILE` to enable them"
        )
    given = creds.credentials if creds else ""
    if not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise HTTPException(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})
    return "token"


def read_token_file(path: str) -> str:
    """The token in ``path`` (first line, stripped); refuses an empty or very short one."""
    with open(path, encoding="utf-8") as fh:
        token = fh.readline().strip()
    if len(token) < 16:
        raise ValueError(f"{path}: the token must be at least 16 characters")
    return token

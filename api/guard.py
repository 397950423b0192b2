"""What every response and request passes through, below the routes (pure ASGI, no parsing):

- security headers on every response (`Content-Security-Policy`, `X-Content-Type-Options:
  nosniff`, `Referrer-Policy`), not only on the page;
- a request body limit: a `Content-Length` over `KUNTAHAKU_MAX_BODY_KB` is refused with 413
  before a byte of the body is read, and a chunked body is counted as it arrives — JSON parsing
  (which runs on the event loop and blocked every other request for seconds on a 7.7 MB body)
  only ever sees a small body;
- a body that does not arrive within `KUNTAHAKU_HEADER_TIMEOUT` seconds gets 408;
- `Range` headers that are malformed or past the file's end get the JSON error shape instead of
  Starlette's text/plain (`JsonRangeFileResponse`, `JsonRangeStaticFiles`).
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

from starlette.responses import FileResponse, MalformedRangeHeader, RangeNotSatisfiable
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The page may load and call nothing but its own server (browsers enforce it).
CSP = ("default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
# Swagger UI (served from local files, see app.py) sets inline styles on the elements it draws
DOCS_CSP = CSP.replace("default-src 'self';", "default-src 'self'; style-src 'self' 'unsafe-inline';")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_ENCODED = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def error_body(code: str, message: str) -> bytes:
    return json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False).encode()


async def send_error(send: Send, status: int, code: str, message: str,
                     headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = error_body(code, message)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"), *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


class GuardMiddleware:
    def __init__(self, app: ASGIApp, max_body: int, body_timeout: float) -> None:
        self.app = app
        self.max_body = max_body
        self.body_timeout = body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope["path"] in ("/docs", "/docs/oauth2-redirect")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, DOCS_CSP.encode() if docs and k == b"content-security-policy" else v)
                         for k, v in _ENCODED if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        if length is not None:
            try:
                size = int(length)
                if size < 0:
                    raise ValueError
            except ValueError:
                await send_error(send_with_headers, 400, "invalid_request",
                                 f"Content-Length: '{length.decode('latin-1')[:40]}' is not a size")
                return
            if size > self.max_body:
                await send_error(send_with_headers, 413, "body_too_large", self._too_large(size))
                return
        if length is None and b"transfer-encoding" not in headers and \
                scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send_with_headers)
            return
        body = await self._read_body(receive, send_with_headers)
        if body is None:
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send_with_headers)

    def _too_large(self, size: int | None) -> str:
        got = f"{size} bytes" if size is not None else "more"
        return (f"the request body is too large ({got}; at most {self.max_body} bytes, "
                "KUNTAHAKU_MAX_BODY_KB)")

    async def _read_body(self, receive: Receive, send: Send) -> bytes | None:
        """The whole body, at most `max_body` bytes, within `body_timeout`; None when an error
        was sent or the client went away."""
        chunks: list[bytes] = []
        size = 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.body_timeout
        while True:
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - loop.time()))
            except TimeoutError:
                await send_error(send, 408, "request_timeout",
                                 f"the request body did not arrive within {self.body_timeout:g} s "
                                 "(KUNTAHAKU_HEADER_TIMEOUT)")
                return None
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                await send_error(send, 413, "body_too_large", self._too_large(None))
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


class JsonRangeFileResponse(FileResponse):
    """A FileResponse whose bad `Range` header gets the JSON error shape (Starlette answers those
    in text/plain)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        wanted = dict(scope.get("headers", [])).get(b"range")
        if wanted is not None and scope.get("method") in ("GET", "HEAD"):
            try:
                size = os.stat(self.path).st_size
            except OSError:
                size = None
            if size is not None:
                text = wanted.decode("latin-1")
                try:
                    self._parse_range_header(text, size)
                except RangeNotSatisfiable:
                    await send_error(send, 416, "range_not_satisfiable",
                                     f"Range: '{text[:60]}' is outside the file ({size} bytes)",
                                     [(b"content-range", f"bytes */{size}".encode())])
                    return
                except (MalformedRangeHeader, ValueError) as exc:
                    reason = getattr(exc, "content", None) or "malformed"
                    await send_error(send, 400, "invalid_range",
                                     f"Range: '{text[:60]}': {str(reason).rstrip('.')}")
                    return
        await super().__call__(scope, receive, send)


class JsonRangeStaticFiles(StaticFiles):
    def file_response(self, full_path: Any, stat_result: os.stat_result, scope: Scope,
                      status_code: int = 200) -> Any:
        response = super().file_response(full_path, stat_result, scope, status_code)
        if isinstance(response, FileResponse) and not isinstance(response, JsonRangeFileResponse):
            response.__class__ = JsonRangeFileResponse  # same fields, the JSON range errors
        return response

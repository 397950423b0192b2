"""Running the app under uvicorn with the limits a server on a shared network needs.

uvicorn (0.54) times out only idle keep-alive connections (`timeout_keep_alive`, after a
response): a connection that opens and sends half a request line, or headers that never end,
is kept forever — ~20 000 of them exhausted the open-file limit and `/health` got an empty
reply (slow-loris). It has no setting for that, so its HTTP protocol is subclassed here: from the
first byte of a request (or the connection's opening) to the end of its headers a connection gets
`KUNTAHAKU_HEADER_TIMEOUT` seconds, then it is closed. (The body then has as long again, in
api/guard.py.) `limit_concurrency` caps open connections (`KUNTAHAKU_MAX_CONNECTIONS`), and the
open-file limit is raised to its hard limit so that the cap, not the file table, is what binds.
"""

from __future__ import annotations

import asyncio
import resource
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from indexer.settings import Settings

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    _BASE: type[Any] = HttpToolsProtocol
except ImportError:  # httptools missing: uvicorn's pure-Python parser
    _BASE = H11Protocol


def header_timeout_protocol(base: type[Any], timeout: float) -> type[Any]:
    """`base` (a uvicorn HTTP protocol) that closes a connection whose request headers are not
    complete `timeout` seconds after its first byte (or, before any, after it opened)."""

    class HeaderTimeoutProtocol(base):  # type: ignore[misc, valid-type]
        _header_timer: asyncio.TimerHandle | None = None
        _waiting_cycle: object = None

        def _start_header_timer(self) -> None:
            if self._header_timer is None:
                self._waiting_cycle = self.cycle
                self._header_timer = self.loop.call_later(timeout, self._header_timeout)

        def _stop_header_timer(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _header_timeout(self) -> None:
            self._header_timer = None
            if self.cycle is self._waiting_cycle and not self.transport.is_closing():
                self.transport.close()  # headers still unfinished: drop the connection

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._start_header_timer()

        def data_received(self, data: bytes) -> None:
            # between requests (none yet, or the last one answered): a new one begins
            if self.cycle is None or self.cycle.response_complete:
                self._start_header_timer()
            super().data_received(data)
            if self.cycle is not self._waiting_cycle:  # this request's headers are complete
                self._stop_header_timer()

        def connection_lost(self, exc: Exception | None) -> None:
            self._stop_header_timer()
            super().connection_lost(exc)

    return HeaderTimeoutProtocol


def raise_open_file_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY
                                                        else max(soft, 65536), hard))
        except (ValueError, OSError):
            pass  # keep the soft limit: the connection cap still applies


def config(app: Any, settings: Settings, host: str, port: int, **extra: Any) -> uvicorn.Config:
    return uvicorn.Config(
        app, host=host, port=port,
        http=header_timeout_protocol(_BASE, settings.header_timeout),
        timeout_keep_alive=5,
        limit_concurrency=settings.max_connections,
        **extra,
    )


def serve(app: Any, settings: Settings, host: str, port: int) -> None:
    raise_open_file_limit()
    uvicorn.Server(config(app, settings, host, port)).run()

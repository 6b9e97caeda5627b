"""Who may read /metrics (issue 17 #6): per-route counts and process data are not for anyone on the LAN.

- A separate listener on `observability.metrics_host:metrics_port` (default 127.0.0.1:9464, 0 = off) serves
  GET /metrics to scrapers on the same host (or a network the operator chose on purpose). With several
  workers the first one to bind serves it; in multi-process mode it reports every worker's samples.
- On the API port, /metrics answers only with `Authorization: Bearer <observability.metrics_token>`; without a
  configured token it does not exist there (404, like any unknown path).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Callable
from contextlib import suppress

from starlette.requests import Request

from chefmentor.config import Settings
from chefmentor.errors import InvalidTokenError, UnauthorizedError

log = logging.getLogger("chefmentor.metrics")

Render = Callable[[], tuple[bytes, str]]
MAX_REQUEST_HEAD = 8192
READ_TIMEOUT_SECONDS = 5.0


def check_metrics_bearer(request: Request, settings: Settings) -> bool:
    """True when the request may read /metrics on the API port; raises 401 for a wrong or missing token.

    False (→ 404) when no token is configured: the API port then has no /metrics at all.
    """
    secret = settings.observability.metrics_token
    expected = secret.get_secret_value() if secret is not None else ""
    if not expected:
        return False
    header = request.headers.get("authorization")
    if header is None:
        raise UnauthorizedError("Send the metrics token as `Authorization: Bearer <token>`")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise InvalidTokenError("Wrong metrics token")
    return True


def _http(status: str, body: bytes, content_type: str = "text/plain; charset=utf-8") -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n"
    )
    return head.encode("latin-1") + body


async def _answer(reader: asyncio.StreamReader, render: Render) -> bytes:
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT_SECONDS)
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
        return _http("400 Bad Request", b"bad request\n")
    method, _, rest = head.partition(b" ")
    target = rest.partition(b" ")[0].split(b"?", 1)[0]
    if target != b"/metrics":
        return _http("404 Not Found", b"not found\n")
    if method not in (b"GET", b"HEAD"):
        return _http("405 Method Not Allowed", b"method not allowed\n")
    body, content_type = await asyncio.to_thread(render)
    return _http("200 OK", b"" if method == b"HEAD" else body, content_type)


class MetricsListener:
    """A minimal HTTP/1.1 server in the API's event loop: GET /metrics and nothing else."""

    def __init__(self, render: Render) -> None:
        self.render = render
        self.server: asyncio.Server | None = None

    @property
    def address(self) -> tuple[str, int] | None:
        if self.server is None or not self.server.sockets:
            return None
        host, port = self.server.sockets[0].getsockname()[:2]
        return str(host), int(port)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            writer.write(await _answer(reader, self.render))
            await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()
            with suppress(ConnectionError, OSError):
                await writer.wait_closed()

    async def start(self, host: str, port: int) -> bool:
        try:
            self.server = await asyncio.start_server(self._serve, host, port, limit=MAX_REQUEST_HEAD)
        except OSError as exc:  # another worker of this service already serves it (or the port is taken)
            log.info("metrics listener not started on %s:%s: %s", host, port, exc.strerror or exc)
            return False
        log.info("metrics on http://%s:%s/metrics", host, port)
        return True

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()
            self.server = None


async def start_metrics_listener(settings: Settings, render: Render) -> MetricsListener | None:
    port = settings.observability.metrics_port
    if not port:
        return None
    listener = MetricsListener(render)
    return listener if await listener.start(settings.observability.metrics_host, port) else None

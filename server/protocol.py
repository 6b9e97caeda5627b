"""uvicorn's h11 protocol with a header read timeout, which uvicorn itself does not offer.

A client that opens a connection and sends its request headers a byte at a time (slowloris) would hold a
connection slot forever: uvicorn only times out idle keep-alive connections. Here a request whose headers
are not complete within `server.header_timeout_seconds` gets its connection closed. The class overrides
only the asyncio.Protocol interface (connection_made / data_received / connection_lost) and reads the
request state through h11's public `their_state`; uvicorn loads it by import string (`http=` option), so
every worker process builds it the same way.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

IMPORT_PATH = "server.protocol:HeaderTimeoutH11Protocol"


def _configured_timeout() -> float:
    from chefmentor.config import load_settings

    return load_settings().server.header_timeout_seconds


class HeaderTimeoutH11Protocol(H11Protocol):
    header_timeout_seconds: float | None = None  # read from the settings once per process

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if HeaderTimeoutH11Protocol.header_timeout_seconds is None:
            HeaderTimeoutH11Protocol.header_timeout_seconds = _configured_timeout()
        self.header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.arm_header_timer()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is h11.IDLE:  # part of a request's headers so far
            self.arm_header_timer()
        else:
            self.cancel_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self.cancel_header_timer()
        super().connection_lost(exc)

    def arm_header_timer(self) -> None:
        seconds = self.header_timeout_seconds
        if self.header_timer is None and seconds:
            self.header_timer = self.loop.call_later(seconds, self.on_header_timeout)

    def cancel_header_timer(self) -> None:
        if self.header_timer is not None:
            self.header_timer.cancel()
            self.header_timer = None

    def on_header_timeout(self) -> None:
        self.header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()

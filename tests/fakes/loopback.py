"""What every loopback fake shares: a quiet request handler that answers with bytes or JSON, and a
`with` block that serves a server on a free 127.0.0.1 port from a background thread."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class QuietHandler(BaseHTTPRequestHandler):
    """A handler that does not log each request to stderr and can send a whole body in one call."""

    def log_message(self, format: str, *args: Any) -> None:
        return

    def send_bytes(
        self, status: int, data: bytes, *, content_type: str = "application/json", headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def send_json(self, status: int, body: Any, *, headers: dict[str, str] | None = None) -> None:
        self.send_bytes(status, json.dumps(body).encode(), headers=headers)


def loopback_server(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    """A server bound to a free port on 127.0.0.1 (never a public interface)."""
    return ThreadingHTTPServer(("127.0.0.1", 0), handler)


@contextmanager
def serving(server: ThreadingHTTPServer, *, name: str | None = None) -> Iterator[str]:
    """Serve `server` until the block ends, yielding its base URL; shut down and closed afterwards."""
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

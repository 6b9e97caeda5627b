"""Loopback fakes of Sentry's envelope endpoint and PostHog's /batch/ endpoint, recording what the SDKs send."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakes.loopback import QuietHandler, loopback_server, serving


@dataclass
class Captured:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class IngestFake:
    base_url: str = ""
    requests: list[Captured] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)

    def wait(self, timeout: float = 10.0) -> bool:
        return self.arrived.wait(timeout)

    def sentry_items(self) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """(item header, item payload) for every envelope item received on /api/<project>/envelope/."""
        items: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for request in self.requests:
            if not request.path.endswith("/envelope/"):
                continue
            lines = request.body.split(b"\n")
            index = 1  # line 0 is the envelope header
            while index + 1 < len(lines):
                if not lines[index].strip():
                    index += 1
                    continue
                header = json.loads(lines[index])
                payload = lines[index + 1]
                try:
                    items.append((header, json.loads(payload)))
                except ValueError:
                    items.append((header, {"raw": payload.decode(errors="replace")}))
                index += 2
        return items

    def posthog_events(self) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        for request in self.requests:
            if request.path.startswith("/batch"):
                events.extend(json.loads(request.body).get("batch", []))
        return events

    def posthog_api_keys(self) -> set[str]:
        return {json.loads(r.body).get("api_key") for r in self.requests if r.path.startswith("/batch")}


def _handler(fake: IngestFake) -> type[BaseHTTPRequestHandler]:
    class Handler(QuietHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server API
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            fake.requests.append(Captured(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            fake.arrived.set()
            self.send_bytes(200, b'{"status": 1}' if self.path.startswith("/batch") else b"{}")

        def do_GET(self) -> None:  # noqa: N802
            fake.requests.append(Captured(self.path, dict(self.headers.items()), b""))
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


@contextmanager
def serve_ingest() -> Iterator[IngestFake]:
    fake = IngestFake()
    with serving(loopback_server(_handler(fake))) as fake.base_url:
        yield fake

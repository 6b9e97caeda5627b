"""Per-request cost of server.observability.ObservabilityMiddleware (metrics + access log), measured in
process against a bare ASGI endpoint, interleaved so machine noise hits every variant alike."""

from __future__ import annotations

import asyncio
import io
import logging
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from server.observability import ObservabilityMiddleware  # noqa: E402

REQUESTS = 20_000
ROUNDS = 5


async def endpoint(_scope, _receive, send) -> None:  # type: ignore[no-untyped-def]
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"ok"})


class FakeRoute:
    path_format = "/api/recipes/{recipe_id}"


async def _run(app, n: int) -> float:  # type: ignore[no-untyped-def]
    async def receive():  # type: ignore[no-untyped-def]
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(_message) -> None:  # type: ignore[no-untyped-def]
        return None

    started = time.perf_counter()
    for _ in range(n):
        scope = {"type": "http", "method": "GET", "path": "/api/recipes/x", "headers": [], "route": FakeRoute()}
        await app(scope, receive, send)
    return (time.perf_counter() - started) / n * 1e6


async def main() -> None:
    from chefmentor.observability.logs import configure_logging

    bare = endpoint
    wrapped = ObservabilityMiddleware(endpoint)
    sink = io.StringIO()
    timings: dict[str, list[float]] = {"bare endpoint": [], "+ metrics (logs off)": [], "+ metrics + JSON log": []}
    await _run(wrapped, 2000)
    for _ in range(ROUNDS):
        timings["bare endpoint"].append(await _run(bare, REQUESTS))
        logging.getLogger("chefmentor.access").setLevel(logging.WARNING)
        timings["+ metrics (logs off)"].append(await _run(wrapped, REQUESTS))
        configure_logging(log_json=True, stream=sink)
        logging.getLogger("chefmentor.access").setLevel(logging.INFO)
        timings["+ metrics + JSON log"].append(await _run(wrapped, REQUESTS))
        sink.seek(0)
        sink.truncate()
    base = statistics.median(timings["bare endpoint"])
    print(f"ASGI per-request cost, median of {ROUNDS} rounds x {REQUESTS:,} requests")
    for name, values in timings.items():
        value = statistics.median(values)
        print(f"  {name:<24} {value:7.1f} us/request   (+{value - base:6.1f} us over bare)")


if __name__ == "__main__":
    asyncio.run(main())

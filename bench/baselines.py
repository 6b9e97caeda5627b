"""What bench/api.py measures the API against: a bare ASGI app, and a cache that never hits."""

from __future__ import annotations

from typing import Any

HELLO_BODY = b'{"hello":"world"}'


async def hello_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body"):
            break
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(HELLO_BODY)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": HELLO_BODY})


class NullCache:
    """Never stores anything: every recipe read goes to the database."""

    kind = "null"

    async def get(self, key: str) -> bytes | None:  # noqa: ARG002 - the Cache protocol's signature
        return None

    async def set(self, key: str, value: bytes, ttl_seconds: float | None = None) -> None:  # noqa: ARG002 - the Cache protocol's signature
        return None

    async def delete(self, *keys: str) -> None:  # noqa: ARG002 - the Cache protocol's signature
        return None

    async def delete_prefix(self, prefix: str) -> None:  # noqa: ARG002 - the Cache protocol's signature
        return None

    async def ping(self) -> bool:
        return True

    async def close(self) -> None:
        return None

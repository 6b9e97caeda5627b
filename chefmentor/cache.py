"""Cache protocol with memory and Redis implementations.

Redis errors never propagate: a cache blip degrades to a miss (the DB stays the source of truth). A write
that failed or timed out may or may not have landed, so the key is deleted and, until a delete succeeds,
this process treats it as a miss: nothing reads back a value the database may since have outgrown.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

log = logging.getLogger(__name__)


class Cache(Protocol):
    kind: str

    async def get(self, key: str) -> bytes | None: ...
    async def set(self, key: str, value: bytes, ttl_seconds: float | None = None) -> None: ...
    async def delete(self, *keys: str) -> None: ...
    async def delete_prefix(self, prefix: str) -> None: ...
    async def ping(self) -> bool: ...
    async def close(self) -> None: ...


class MemoryCache:
    """Bounded LRU with per-key TTL, for one process."""

    kind = "memory"

    def __init__(self, max_entries: int = 10_000) -> None:
        self._data: OrderedDict[str, tuple[float | None, bytes]] = OrderedDict()
        self._max = max_entries

    async def get(self, key: str) -> bytes | None:
        item = self._data.get(key)
        if item is None:
            return None
        expires, value = item
        if expires is not None and expires <= time.monotonic():
            self._data.pop(key, None)
            return None
        self._data.move_to_end(key)
        return value

    async def set(self, key: str, value: bytes, ttl_seconds: float | None = None) -> None:
        expires = time.monotonic() + ttl_seconds if ttl_seconds else None
        self._data[key] = (expires, value)
        self._data.move_to_end(key)
        while len(self._data) > self._max:
            self._data.popitem(last=False)

    async def delete(self, *keys: str) -> None:
        for key in keys:
            self._data.pop(key, None)

    async def delete_prefix(self, prefix: str) -> None:
        for key in [k for k in self._data if k.startswith(prefix)]:
            self._data.pop(key, None)

    async def ping(self) -> bool:
        return True

    async def close(self) -> None:
        self._data.clear()


MAX_SUSPECT_KEYS = 10_000


class RedisCache:
    kind = "redis"

    def __init__(self, client: Any, namespace: str = "cmx:") -> None:
        self.client = client
        self.ns = namespace
        self.suspect: set[str] = set()  # keys whose last write failed and whose delete has not succeeded yet

    async def get(self, key: str) -> bytes | None:
        if key in self.suspect and not await self._drop(key):
            return None
        try:
            value = await self.client.get(self.ns + key)
        except Exception as exc:  # redis down: treat as a miss
            log.warning("redis get failed: %s", exc)
            return None
        return value if isinstance(value, bytes) or value is None else bytes(value)

    async def set(self, key: str, value: bytes, ttl_seconds: float | None = None) -> None:
        try:
            if ttl_seconds:
                await self.client.set(self.ns + key, value, px=int(ttl_seconds * 1000))
            else:
                await self.client.set(self.ns + key, value)
        except Exception as exc:
            log.warning("redis set failed, dropping the key: %s", exc)
            if len(self.suspect) < MAX_SUSPECT_KEYS:
                self.suspect.add(key)
            await self._drop(key)
            return
        self.suspect.discard(key)

    async def _drop(self, key: str) -> bool:
        """Delete a key whose value may be stale; True once the delete succeeded."""
        try:
            await self.client.delete(self.ns + key)
        except Exception as exc:
            log.warning("redis delete of a stale key failed: %s", exc)
            return False
        self.suspect.discard(key)
        return True

    async def delete(self, *keys: str) -> None:
        if not keys:
            return
        try:
            await self.client.delete(*(self.ns + k for k in keys))
        except Exception as exc:
            log.warning("redis delete failed: %s", exc)
            for key in keys:
                if len(self.suspect) < MAX_SUSPECT_KEYS:
                    self.suspect.add(key)
            return
        self.suspect.difference_update(keys)

    async def delete_prefix(self, prefix: str) -> None:
        try:
            batch: list[bytes] = []
            async for key in self.client.scan_iter(match=self.ns + prefix + "*", count=500):
                batch.append(key)
                if len(batch) >= 500:
                    await self.client.delete(*batch)
                    batch.clear()
            if batch:
                await self.client.delete(*batch)
        except Exception as exc:
            log.warning("redis delete_prefix failed: %s", exc)

    async def ping(self) -> bool:
        try:
            return bool(await self.client.ping())
        except Exception:
            return False

    async def close(self) -> None:
        await self.client.aclose()


def create_redis_client(url: str, socket_timeout: float) -> Any:
    import redis.asyncio as aioredis

    return aioredis.Redis.from_url(
        url,
        socket_timeout=socket_timeout,
        socket_connect_timeout=socket_timeout,
        health_check_interval=30,
    )


K = TypeVar("K")
V = TypeVar("V")


class BoundedMemo(Generic[K, V]):
    """In-process values computed from their key, at most `size` of them, the oldest dropped first.

    For pure functions of the key (a verified token's claims, a parsed cached body): no TTL, no I/O.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: dict[K, V] = {}

    def get_or_compute(self, key: K, compute: Callable[[K], V]) -> V:
        hit = self._items.get(key)
        if hit is not None:
            return hit
        value = compute(key)
        self.put(key, value)
        return value

    def put(self, key: K, value: V) -> None:
        if key not in self._items and len(self._items) >= self.size:
            del self._items[next(iter(self._items))]
        self._items[key] = value

    def peek(self, key: K) -> V | None:
        return self._items.get(key)

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)

    def keys(self) -> list[K]:
        return list(self._items)

"""A cache write that fails may or may not have landed: the key is dropped, and until a delete succeeds this
process treats it as missing, so nothing reads back a value the database has outgrown."""

from __future__ import annotations

from typing import Any

from redis.exceptions import TimeoutError as RedisTimeoutError

from chefmentor.cache import RedisCache


class FlakyRedis:
    """Stores values like Redis; `fail_set` / `fail_delete` make those calls time out."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.fail_set = False
        self.fail_delete = False

    async def get(self, key: str) -> bytes | None:
        return self.data.get(key)

    async def set(self, key: str, value: bytes, **_: Any) -> None:
        if self.fail_set:
            self.data[key] = value  # the write landed, but the answer never came back
            raise RedisTimeoutError("Timeout reading from socket")
        self.data[key] = value

    async def delete(self, *keys: str) -> None:
        if self.fail_delete:
            raise RedisTimeoutError("Timeout reading from socket")
        for key in keys:
            self.data.pop(key, None)


async def test_a_failed_set_deletes_the_key() -> None:
    client = FlakyRedis()
    cache = RedisCache(client, namespace="t:")
    await cache.set("k", b"old")
    client.fail_set = True
    await cache.set("k", b"new")
    assert "t:k" not in client.data
    assert await cache.get("k") is None


async def test_a_key_whose_delete_also_failed_is_a_miss_until_it_is_deleted() -> None:
    client = FlakyRedis()
    cache = RedisCache(client, namespace="t:")
    await cache.set("k", b"old")
    client.fail_set = client.fail_delete = True
    await cache.set("k", b"new")
    assert client.data["t:k"] == b"new", "the late write is still in Redis"
    assert await cache.get("k") is None, "but this process does not trust it"
    client.fail_set = client.fail_delete = False
    assert await cache.get("k") is None, "the next read deletes it first"
    assert "t:k" not in client.data
    await cache.set("k", b"fresh")
    assert await cache.get("k") == b"fresh"

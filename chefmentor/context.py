"""AppContext + open_context(): the only wiring point (server lifespan, CLI runner, TUI, tests)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from chefmentor.cache import Cache, MemoryCache, RedisCache, create_redis_client
from chefmentor.clock import Clock, SystemClock
from chefmentor.config import Settings
from chefmentor.db.engine import create_engine, create_session_factory


@dataclass
class AppContext:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    cache: Cache
    clock: Clock
    redis: Any | None = None
    # Provider slots: filled by open_context from settings, or replaced through overrides in tests.
    diagnoser: Any | None = None
    media_store: Any | None = None
    voice: Any | None = None
    recipe_source: Any | None = None
    analytics: Any | None = None
    jobs: Any | None = None
    extras: dict[str, Any] = field(default_factory=dict)

    def session(self) -> AsyncSession:
        return self.sessions()


async def _build_providers(ctx: AppContext, overrides: dict[str, Any]) -> None:
    """Each slot is built lazily-imported so `chefmentor --help` never pays for SDK imports."""
    if "diagnoser" not in overrides:
        from chefmentor.ai.chain import build_diagnoser

        ctx.diagnoser = build_diagnoser(ctx.settings)
    if "media_store" not in overrides:
        from chefmentor.media.store import build_media_store

        ctx.media_store = build_media_store(ctx.settings)


@asynccontextmanager
async def open_context(settings: Settings, **overrides: Any) -> AsyncIterator[AppContext]:
    """Create engine (inside the running loop), cache and providers; close all on exit."""
    async with AsyncExitStack() as stack:
        engine: AsyncEngine = overrides.pop("engine", None) or create_engine(settings)
        stack.push_async_callback(engine.dispose)
        redis = overrides.pop("redis", None)
        cache: Cache | None = overrides.pop("cache", None)
        if cache is None:
            if settings.redis.url:
                if redis is None:
                    redis = create_redis_client(settings.redis.url, settings.redis.socket_timeout_seconds)
                    stack.push_async_callback(redis.aclose)
                cache = RedisCache(redis, namespace=settings.redis.namespace)
            else:
                cache = MemoryCache()
        ctx = AppContext(
            settings=settings,
            engine=engine,
            sessions=create_session_factory(engine),
            cache=cache,
            clock=overrides.pop("clock", None) or SystemClock(),
            redis=redis,
        )
        await _build_providers(ctx, overrides)
        for name, value in overrides.items():
            if not hasattr(ctx, name):
                raise TypeError(f"open_context got an unknown override: {name}")
            setattr(ctx, name, value)
        yield ctx

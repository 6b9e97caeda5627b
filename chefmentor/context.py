"""AppContext + open_context(): the only wiring point (server lifespan, CLI runner, TUI, tests)."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from chefmentor.cache import Cache, MemoryCache, RedisCache, create_redis_client
from chefmentor.clock import Clock, SystemClock
from chefmentor.config import Settings
from chefmentor.db.engine import create_engine, create_session_factory

_MISSING = object()


class ProviderSlot:
    """A provider built from settings on first use, so commands that never diagnose or speak
    never import an SDK or load a model; tests replace it through open_context overrides."""

    def __init__(self, builder: str) -> None:
        self.builder = builder
        self.attr = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.attr = "_slot_" + name

    def __get__(self, obj: Any, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        value = obj.__dict__.get(self.attr, _MISSING)
        if value is _MISSING:
            module_name, func_name = self.builder.split(":")
            try:
                value = getattr(importlib.import_module(module_name), func_name)(obj.settings)
            except AttributeError as exc:
                # An AttributeError escaping a descriptor makes Python retry through __getattr__ on
                # wrapping proxies; surface it as what it is: a broken provider build.
                raise RuntimeError(f"building {self.builder} failed: {exc}") from exc
            obj.__dict__[self.attr] = value
        return value

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[self.attr] = value


class AppContext:
    diagnoser = ProviderSlot("chefmentor.ai.chain:build_diagnoser")
    media_store = ProviderSlot("chefmentor.media.store:build_media_store")
    voice = ProviderSlot("chefmentor.voice.engine:VoiceEngine")
    analytics = ProviderSlot("chefmentor.observability.analytics:build_analytics")
    jobs = ProviderSlot("chefmentor.jobs.queue:build_job_queue")

    def __init__(
        self,
        *,
        settings: Settings,
        engine: AsyncEngine,
        sessions: async_sessionmaker[AsyncSession],
        cache: Cache,
        clock: Clock,
        redis: Any | None = None,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.sessions = sessions
        self.cache = cache
        self.clock = clock
        self.redis = redis
        self.extras: dict[str, Any] = {}

    def session(self) -> AsyncSession:
        return self.sessions()


@asynccontextmanager
async def open_context(settings: Settings, **overrides: Any) -> AsyncIterator[AppContext]:
    """Create engine (inside the running loop), cache and providers; close all on exit."""
    # Every table must be registered before the first flush resolves foreign keys across domains.
    importlib.import_module("chefmentor.db.models")
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
        for name, value in overrides.items():
            if not isinstance(getattr(type(ctx), name, None), ProviderSlot):
                raise TypeError(f"open_context got an unknown override: {name}")
            setattr(ctx, name, value)
        yield ctx

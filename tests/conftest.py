"""Shared fixtures: settings on a migrated SQLite copy, contexts, real PostgreSQL and Redis."""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from chefmentor.config import Settings, load_settings
from chefmentor.context import AppContext, open_context
from tests.services_guard import pg_base_url, redis_base_url, service_missing

TEST_SECRET = "test-secret-" + "x" * 40
FIXTURES_DIR = Path(__file__).resolve().parents[1] / "fixtures"


def make_settings(home: Path, database_url: str, **overrides: Any) -> Settings:
    base: dict[str, Any] = {
        "env": "test",
        "home": home,
        "db": {"url": database_url},
        "auth": {
            "jwt_secret": TEST_SECRET,
            "google_client_ids": ["test-client-id.apps.googleusercontent.com"],
        },
        "ai": {"providers": ["local"]},
        "voice": {"preload": False},
        # A full collection per app start would add minutes to the suite; one test turns it on.
        "server": {"freeze_gc": False},
    }
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
    return load_settings(**base)


def isolate_cli_env(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """The CLI as a fresh user runs it: its own HOME, test mode, no database, Redis or provider from outside."""
    monkeypatch.setenv("CHEFMENTOR_HOME", str(home))
    monkeypatch.setenv("CHEFMENTOR_ENV", "test")
    monkeypatch.setenv("CHEFMENTOR_JWT_SECRET", TEST_SECRET)
    for name in ("CHEFMENTOR_DATABASE_URL", "CHEFMENTOR_REDIS_URL", "GEMINI_API_KEY", "GROQ_API_KEY", "CLOUDINARY_URL"):
        monkeypatch.delenv(name, raising=False)


async def _migrate(url: str, home: Path) -> None:
    from chefmentor.db import migrate
    from chefmentor.db.engine import create_engine

    engine = create_engine(make_settings(home, url))
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("template")
    path = home / "template.db"
    asyncio.run(_migrate(f"sqlite+aiosqlite:///{path}", home))
    return path


@pytest.fixture
def settings(tmp_path: Path, sqlite_template: Path) -> Settings:
    db_path = tmp_path / "chefmentor.db"
    shutil.copyfile(sqlite_template, db_path)
    return make_settings(tmp_path, f"sqlite+aiosqlite:///{db_path}")


MakeCtx = Callable[..., AbstractAsyncContextManager[AppContext]]


@pytest.fixture
def make_ctx(settings: Settings) -> MakeCtx:
    def factory(settings_override: Settings | None = None, **overrides: Any) -> Any:
        return open_context(settings_override or settings, **overrides)

    return factory


@pytest.fixture
async def app_ctx(make_ctx: MakeCtx) -> AsyncIterator[AppContext]:
    async with make_ctx() as ctx:
        yield ctx


async def seed_fixture_recipes(ctx: AppContext) -> None:
    from chefmentor.recipes.seed import seed_recipes

    async with ctx.session() as session:
        await seed_recipes(session, FIXTURES_DIR / "recipes", cache=ctx.cache)


@pytest.fixture
async def seeded_ctx(app_ctx: AppContext) -> AppContext:
    await seed_fixture_recipes(app_ctx)
    return app_ctx


# --- PostgreSQL: one fresh database per test session, tables truncated after each test ---------


async def _pg_admin(base_url: str, sql: str) -> None:
    import asyncpg

    dsn = base_url.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncio.wait_for(asyncpg.connect(dsn), timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def pg_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str | None]:
    base = pg_base_url()
    name = f"cmx_test_{uuid.uuid4().hex[:12]}"
    try:
        asyncio.run(_pg_admin(base, f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # the guard decides skip vs fail per test
        yield f"unavailable: {type(exc).__name__}: {exc}"
        return
    url = base.rsplit("/", 1)[0] + f"/{name}"
    asyncio.run(_migrate(url, tmp_path_factory.mktemp("pg")))
    yield url
    asyncio.run(_pg_admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _truncate_all(url: str, home: Path) -> None:
    from sqlalchemy import text

    from chefmentor.db.engine import create_engine
    from chefmentor.db.models import metadata

    engine = create_engine(make_settings(home, url))
    try:
        names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {names} CASCADE"))
    finally:
        await engine.dispose()


@pytest.fixture
async def pg_settings(pg_database: str | None, tmp_path: Path) -> AsyncIterator[Settings]:
    if pg_database is None or pg_database.startswith("unavailable"):
        service_missing("PostgreSQL", str(pg_database))
    assert pg_database is not None
    yield make_settings(tmp_path, pg_database)
    await _truncate_all(pg_database, tmp_path)


# --- Redis: the real server, an isolated key namespace per test -------------------------------


@pytest.fixture
async def redis_url() -> AsyncIterator[str]:
    import redis.asyncio as aioredis

    url = redis_base_url()
    client = aioredis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        await client.ping()
    except Exception as exc:
        await client.aclose()
        service_missing("Redis", f"{type(exc).__name__}: {exc}")
    yield url
    await client.aclose()


@pytest.fixture
def redis_namespace() -> str:
    return f"cmx-test-{uuid.uuid4().hex[:10]}:"


@asynccontextmanager
async def redis_cleanup(url: str, namespace: str) -> AsyncIterator[None]:
    import redis.asyncio as aioredis

    try:
        yield
    finally:
        client = aioredis.Redis.from_url(url)
        keys = [key async for key in client.scan_iter(match=namespace + "*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()

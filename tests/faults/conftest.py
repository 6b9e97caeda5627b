"""Fixtures of the fault suite: one private PostgreSQL cluster and one private Redis per test session, a fresh
database (a copy of a migrated and seeded template) and Redis namespace per test, and the API as real processes.

With CHEFMENTOR_REQUIRE_SERVICES=1 (CI) a missing initdb/pg_ctl/redis-server fails the tests instead of
skipping them. The shared PostgreSQL (5432) and Redis (6379) are never touched.
"""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy import Executable, Row
from sqlalchemy.ext.asyncio import create_async_engine

from tests.faults.harness import ApiServer, app_env, cli
from tests.faults.services import MissingBinaryError, PrivatePostgres, PrivateRedis
from tests.services_guard import service_missing

TEMPLATE_DB = "cmx_fault_template"


async def _admin(pg: PrivatePostgres, sql: str) -> None:
    conn = await asyncpg.connect(pg.admin_dsn, timeout=10)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def private_pg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivatePostgres]:
    try:
        pg = PrivatePostgres()
    except MissingBinaryError as exc:
        service_missing("PostgreSQL binaries", str(exc))
        raise
    try:
        pg.init()
        pg.start()
        asyncio.run(_admin(pg, f'CREATE DATABASE "{TEMPLATE_DB}"'))
        # The operator's path: the CLI migrates and seeds (the template is then copied per test).
        env = app_env(
            home=tmp_path_factory.mktemp("fault-template"),
            database_url=pg.url(TEMPLATE_DB),
            redis_url=None,
            namespace="cmx-template:",
        )
        cli(env, "db", "upgrade")
        cli(env, "db", "seed")
        yield pg
    finally:
        pg.destroy()


@pytest.fixture(scope="session")
def private_redis() -> Iterator[PrivateRedis]:
    try:
        redis = PrivateRedis()
    except MissingBinaryError as exc:
        service_missing("Redis binary", str(exc))
        raise
    try:
        redis.start()
        yield redis
    finally:
        redis.destroy()


@dataclass
class FaultEnv:
    pg: PrivatePostgres
    redis: PrivateRedis
    database: str
    namespace: str
    home: Path
    sqlite_path: Path | None = None  # the embedded default instead of PostgreSQL (and no Redis)

    @property
    def database_url(self) -> str:
        if self.sqlite_path is not None:
            return f"sqlite+aiosqlite:///{self.sqlite_path}"
        return self.pg.url(self.database)

    @property
    def dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.pg.port}/{self.database}"

    def env(self, *, redis: bool = True, **extra: str) -> dict[str, str]:
        return app_env(
            home=self.home,
            database_url=self.database_url,
            redis_url=self.redis.url if redis and self.sqlite_path is None else None,
            namespace=self.namespace,
            **extra,
        )

    async def rows(self, statement: Executable) -> list[Row[Any]]:
        """A SQLAlchemy statement on a fresh engine of our own (works on both databases)."""
        engine = create_async_engine(self.database_url)
        try:
            async with engine.connect() as conn:
                return list((await conn.execute(statement)).all())
        finally:
            await engine.dispose()

    async def fetch(self, sql: str, *args: object) -> list[asyncpg.Record]:
        """Our own SQL on a fresh connection: what the database holds, whatever the API said."""
        conn = await asyncpg.connect(self.dsn, timeout=10)
        try:
            return list(await conn.fetch(sql, *args))
        finally:
            await conn.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated and seeded by the CLI once, copied per test."""
    home = tmp_path_factory.mktemp("fault-sqlite-template")
    path = home / "chefmentor.db"
    env = app_env(home=home, database_url=f"sqlite+aiosqlite:///{path}", redis_url=None, namespace="cmx-t:")
    cli(env, "db", "upgrade")
    cli(env, "db", "seed")
    return path


@pytest.fixture
async def fault_env(
    request: pytest.FixtureRequest, private_pg: PrivatePostgres, private_redis: PrivateRedis, tmp_path: Path
) -> AsyncIterator[FaultEnv]:
    """PostgreSQL + Redis (default), or with `indirect` parametrization "sqlite": the embedded default."""
    if getattr(request, "param", "postgres") == "sqlite":
        path = tmp_path / "chefmentor.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield FaultEnv(private_pg, private_redis, "", "cmx-fault-sqlite:", tmp_path, sqlite_path=path)
        return
    # A previous test may have left a dependency down or stalled on failure: start from a healthy pair.
    if not private_pg.running():
        private_pg.start()
    if private_redis.stalled:
        private_redis.resume()
    if not private_redis.running():
        private_redis.start()
    name = f"cmx_fault_{uuid.uuid4().hex[:10]}"
    await _admin(private_pg, f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE_DB}"')
    yield FaultEnv(private_pg, private_redis, name, f"cmx-fault-{uuid.uuid4().hex[:8]}:", tmp_path)
    if not private_pg.running():
        private_pg.start()
    await _admin(private_pg, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def api_server(fault_env: FaultEnv) -> Iterator[Callable[..., ApiServer]]:
    """Start `chefmentor serve` (stopped after the test); its log is printed when the test fails."""
    started: list[ApiServer] = []

    def start(*, workers: int = 1, redis: bool = True, **extra: str) -> ApiServer:
        log = fault_env.home / f"serve-{len(started)}.log"
        server = ApiServer(fault_env.env(redis=redis, **extra), log, workers=workers)
        started.append(server)
        server.start()
        return server

    yield start
    for server in started:
        server.stop()
        print(f"--- {server.log_path.name} (tail) ---\n{server.log_tail(2000)}")  # noqa: T201 - shown beside a failure

"""The enqueue API behind AppContext.jobs: arq on Redis when configured, else asyncio tasks in this process.

`await ctx.jobs.enqueue("preprocess_media", analysis_id=...)` returns at once; the job runs elsewhere
(an arq worker) or in a background task (in-process), never on the request path, and its failure is
logged with the job id instead of reaching the caller. The in-process queue runs jobs only once it is
bound to a context (the API server does it at startup); unbound (e.g. a one-shot CLI command) it logs
and leaves the work to the sweep jobs, which find anything not yet done.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from chefmentor.config import Settings
from chefmentor.jobs.registry import JOBS, get_spec, run_job

if TYPE_CHECKING:
    from chefmentor.context import AppContext

log = logging.getLogger("chefmentor.jobs")

SCHEDULER_TICK_SECONDS = 20.0
ENQUEUE_TIMEOUT_SECONDS = 2.0
REDIS_RETRY_SECONDS = 5.0


def queue_name(settings: Settings) -> str:
    return f"{settings.redis.namespace}arq:queue"


def dedupe_job_id(name: str, kwargs: dict[str, Any]) -> str:
    """Same job + same arguments = same id, so a double enqueue runs once (arq refuses duplicate ids)."""
    args = ",".join(f"{k}={kwargs[k]}" for k in sorted(kwargs))
    return f"{name}:{uuid.uuid5(uuid.NAMESPACE_URL, args).hex[:16]}" if args else f"{name}:{uuid.uuid4().hex[:16]}"


class JobQueue(Protocol):
    kind: str

    async def enqueue(self, name: str, **kwargs: Any) -> str | None: ...
    async def start(self, ctx: AppContext) -> None: ...
    async def stop(self) -> None: ...


class InProcessJobQueue:
    """Jobs as asyncio tasks plus a small cron scheduler; for one server process without Redis."""

    kind = "in-process"

    def __init__(self, settings: Settings, *, run_cron: bool = True) -> None:
        self.settings = settings
        self.run_cron = run_cron
        self._ctx: AppContext | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._scheduler: asyncio.Task[None] | None = None
        self._running: set[str] = set()

    @property
    def bound(self) -> bool:
        return self._ctx is not None

    async def start(self, ctx: AppContext) -> None:
        self._ctx = ctx
        if self.run_cron and self._scheduler is None:
            self._scheduler = asyncio.create_task(self._schedule_forever(), name="chefmentor-job-scheduler")

    async def enqueue(self, name: str, **kwargs: Any) -> str | None:
        get_spec(name)
        job_id = dedupe_job_id(name, kwargs)
        if self._ctx is None:
            log.info("no in-process job runner here; the sweep will pick it up", extra={"job": name, "job_id": job_id})
            return None
        if job_id in self._running:
            return job_id
        self._spawn(name, job_id, kwargs)
        return job_id

    def _spawn(self, name: str, job_id: str, kwargs: dict[str, Any]) -> None:
        assert self._ctx is not None  # noqa: S101 - checked by callers
        self._running.add(job_id)
        task = asyncio.create_task(run_job(self._ctx, name, job_id=job_id, **kwargs), name=f"job:{job_id}")
        self._tasks.add(task)

        def done(finished: asyncio.Task[Any]) -> None:
            self._tasks.discard(finished)
            self._running.discard(job_id)
            if not finished.cancelled() and finished.exception() is not None:
                log.error("job task crashed", extra={"job": name, "job_id": job_id, "error": str(finished.exception())})

        task.add_done_callback(done)

    async def _schedule_forever(self) -> None:
        due = {name: spec.cron.next_after(_utcnow()) for name, spec in JOBS.items() if spec.cron is not None}
        while True:
            await asyncio.sleep(SCHEDULER_TICK_SECONDS)
            now = _utcnow()
            for name, when in list(due.items()):
                if now >= when:
                    cron = JOBS[name].cron
                    assert cron is not None  # noqa: S101 - only cron jobs are in `due`
                    due[name] = cron.next_after(now)
                    job_id = f"cron:{name}"
                    if job_id not in self._running:
                        self._spawn(name, job_id, {})

    async def drain(self, wait_seconds: float = 30.0) -> None:
        """Wait for the running jobs (tests, graceful shutdown)."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=wait_seconds)

    async def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.cancel()
            await asyncio.gather(self._scheduler, return_exceptions=True)
            self._scheduler = None
        await self.drain(wait_seconds=5.0)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._ctx = None


class ArqJobQueue:
    """Enqueue into arq's Redis queue; `chefmentor worker` runs the jobs and the cron schedule."""

    kind = "arq"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._pool: Any = None
        self._lock = asyncio.Lock()
        self._down_until = 0.0

    async def _get_pool(self) -> Any:
        async with self._lock:
            if self._pool is None:
                from arq import create_pool
                from arq.connections import RedisSettings

                assert self.settings.redis.url is not None  # noqa: S101 - built only with a URL
                redis_settings = RedisSettings.from_dsn(self.settings.redis.url)
                redis_settings.conn_timeout = max(1, int(self.settings.redis.socket_timeout_seconds * 4))
                redis_settings.conn_retries = 1
                self._pool = await create_pool(redis_settings, default_queue_name=queue_name(self.settings))
            return self._pool

    async def enqueue(self, name: str, **kwargs: Any) -> str | None:
        get_spec(name)
        # arq keys its job and result records by id alone, so the id carries our Redis namespace.
        job_id = self.settings.redis.namespace + dedupe_job_id(name, kwargs)
        if time.monotonic() < self._down_until:
            return None  # Redis failed moments ago: do not make every caller wait for the connect timeout
        try:
            async with asyncio.timeout(ENQUEUE_TIMEOUT_SECONDS):
                pool = await self._get_pool()
                await pool.enqueue_job(name, _job_id=job_id, **kwargs)
        except Exception as exc:  # Redis down: the request goes on, the sweep catches up later
            self._down_until = time.monotonic() + REDIS_RETRY_SECONDS
            log.warning(
                "enqueue failed", extra={"job": name, "job_id": job_id, "error": f"{type(exc).__name__}: {exc}"}
            )
            return None
        return job_id

    async def start(self, ctx: AppContext) -> None:  # noqa: ARG002 - the worker process runs the jobs
        return None

    async def stop(self) -> None:
        if self._pool is not None:
            await self._pool.aclose()
            self._pool = None


def build_job_queue(settings: Settings) -> JobQueue:
    """arq when CHEFMENTOR_REDIS_URL is set, otherwise the in-process queue."""
    if settings.redis.url:
        return ArqJobQueue(settings)
    return InProcessJobQueue(settings)


def _utcnow() -> datetime:
    return datetime.now(UTC)

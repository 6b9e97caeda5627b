"""`chefmentor worker`: an arq worker running every job in JOBS plus their cron schedule.

Retries: arq retries a job whose attempt failed (Retry with exponential backoff) up to the job's
max_tries; the worker keeps one AppContext open for all jobs.

Redis outages: arq's worker stops when its Redis connection fails (at start or while polling). The worker
here starts a new arq worker after a backoff that grows to REDIS_BACKOFF_MAX_SECONDS, for as long as it
takes, so a Redis restart never needs an operator; SIGINT/SIGTERM still stop it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

from chefmentor.config import Settings
from chefmentor.jobs.queue import queue_name
from chefmentor.jobs.registry import JOBS, JobSpec, backoff_seconds, run_job

log = logging.getLogger("chefmentor.jobs.worker")
APP_KEY = "chefmentor_app"
STACK_KEY = "chefmentor_stack"


def _task(spec: JobSpec) -> Callable[..., Awaitable[dict[str, Any]]]:
    async def task(arq_ctx: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        from arq import Retry

        job_try = int(arq_ctx.get("job_try") or 1)
        result = await run_job(arq_ctx[APP_KEY], spec.name, job_id=str(arq_ctx.get("job_id")), max_tries=1, **kwargs)
        if not result.ok and job_try < spec.max_tries:
            raise Retry(defer=backoff_seconds(job_try))
        return result.to_json()

    task.__name__ = task.__qualname__ = f"job_{spec.name}"
    return task


def worker_options(settings: Settings, *, context_factory: Any = None, burst: bool = False) -> dict[str, Any]:
    """Keyword arguments for arq's Worker: functions, cron jobs, Redis, startup/shutdown hooks."""
    from arq import cron, func
    from arq.connections import RedisSettings

    if not settings.redis.url:
        from chefmentor.errors import ConfigError

        raise ConfigError("`chefmentor worker` needs Redis: set CHEFMENTOR_REDIS_URL (without it the server runs jobs)")

    async def on_startup(arq_ctx: dict[str, Any]) -> None:
        from chefmentor.context import open_context
        from chefmentor.observability.errors import init_sentry

        init_sentry(settings, component="worker")
        stack = AsyncExitStack()
        factory = context_factory or open_context
        arq_ctx[APP_KEY] = await stack.enter_async_context(factory(settings))
        arq_ctx[STACK_KEY] = stack
        log.info("worker started", extra={"jobs": sorted(JOBS), "queue": queue_name(settings)})

    async def on_shutdown(arq_ctx: dict[str, Any]) -> None:
        from chefmentor.observability.errors import shutdown_sentry

        stack: AsyncExitStack | None = arq_ctx.pop(STACK_KEY, None)
        if stack is not None:
            await stack.aclose()
        shutdown_sentry()

    functions = [
        func(
            _task(spec),  # type: ignore[arg-type]
            name=spec.name,
            max_tries=spec.max_tries,
            timeout=spec.timeout_seconds,
        )
        for spec in JOBS.values()
    ]
    cron_jobs = [
        cron(
            _task(spec),  # type: ignore[arg-type]
            name=f"cron:{spec.name}",
            minute=set(spec.cron.minutes),
            hour=set(spec.cron.hours) if spec.cron.hours is not None else None,
            unique=True,
            timeout=spec.timeout_seconds,
            max_tries=spec.max_tries,
        )
        for spec in JOBS.values()
        if spec.cron is not None
    ]
    return {
        "functions": functions,
        "cron_jobs": cron_jobs,
        "redis_settings": RedisSettings.from_dsn(settings.redis.url),
        "queue_name": queue_name(settings),
        "on_startup": on_startup,
        "on_shutdown": on_shutdown,
        "burst": burst,
        "max_jobs": 4,
        "keep_result": 3600,
        "health_check_key": f"{settings.redis.namespace}arq:health-check",
        "handle_signals": not burst,
        "job_completion_wait": 0 if burst else 30,
        "poll_delay": 0.2 if burst else 0.5,
    }


REDIS_BACKOFF_MAX_SECONDS = 30.0
# A worker that ran this long before losing Redis starts its backoff again from the first step.
STABLE_RUN_SECONDS = 60.0


def is_redis_outage(exc: BaseException) -> bool:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    return isinstance(exc, RedisConnectionError | RedisTimeoutError | OSError | TimeoutError)


async def run_worker(
    settings: Settings,
    *,
    burst: bool = False,
    context_factory: Any = None,
    backoff_max_seconds: float = REDIS_BACKOFF_MAX_SECONDS,
) -> dict[str, int]:
    """Run until SIGINT/SIGTERM (or, in burst mode, until the queue is empty), reconnecting after Redis outages;
    returns job counters summed over every reconnection."""
    from arq.worker import Worker

    totals = {"complete": 0, "failed": 0, "retried": 0, "reconnects": 0}
    options = worker_options(settings, context_factory=context_factory, burst=burst)
    # One attempt per worker start; the backoff below replaces arq's own fixed retry loop.
    options["redis_settings"].conn_retries = 0
    failures = 0
    while True:
        worker = Worker(**options)
        started = time.monotonic()
        outage: BaseException | None = None
        try:
            await worker.async_run()
        except asyncio.CancelledError:
            pass
        except Exception as exc:
            if not is_redis_outage(exc):
                raise
            outage = exc
        finally:
            with contextlib.suppress(Exception):  # closing a worker whose Redis is gone may fail too
                await worker.close()
            totals["complete"] += worker.jobs_complete
            totals["failed"] += worker.jobs_failed
            totals["retried"] += worker.jobs_retried
        if outage is None or burst:
            if outage is not None:
                raise outage
            return totals
        failures = 1 if time.monotonic() - started > STABLE_RUN_SECONDS else failures + 1
        delay = min(backoff_max_seconds, 0.5 * 2 ** (failures - 1)) * random.uniform(0.8, 1.0)  # noqa: S311
        log.warning(
            "redis unavailable, worker restarts in %.1f s", delay, extra={"error": f"{type(outage).__name__}: {outage}"}
        )
        totals["reconnects"] += 1
        await asyncio.sleep(delay)

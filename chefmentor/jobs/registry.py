"""The job table and run_job(): one attempt loop with exponential backoff, a job id in every log line,
metrics per run, and failures reported (Sentry) but never raised into the caller's request."""

from __future__ import annotations

import asyncio
import logging
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from chefmentor.errors import ValidationError
from chefmentor.jobs.schedule import Cron

if TYPE_CHECKING:
    from chefmentor.context import AppContext

log = logging.getLogger("chefmentor.jobs")

JobFunc = Callable[..., Awaitable[dict[str, Any]]]
BACKOFF_BASE_SECONDS = 1.0
BACKOFF_MAX_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class JobSpec:
    name: str
    target: str  # "module:function", imported on first run
    description: str
    cron: Cron | None = None
    max_tries: int = 3
    timeout_seconds: float = 600.0
    params: tuple[str, ...] = ()

    def load(self) -> JobFunc:
        import importlib

        module_name, func_name = self.target.split(":")
        func: JobFunc = getattr(importlib.import_module(module_name), func_name)
        return func


JOBS: dict[str, JobSpec] = {
    spec.name: spec
    for spec in (
        JobSpec(
            "preprocess_media",
            "chefmentor.jobs.media:preprocess_media",
            "Thumbnail, analysis-size variant and video keyframes for one uploaded analysis",
            params=("analysis_id",),
        ),
        JobSpec(
            "preprocess_pending_media",
            "chefmentor.jobs.media:preprocess_pending_media",
            "Sweep: preprocess recent uploads whose variants are missing (a lost enqueue is never lost work)",
            cron=Cron.every_minutes(10, offset=7),
        ),
        JobSpec(
            "sweep_orphan_media",
            "chefmentor.jobs.media_sweep:sweep_orphan_media",
            "Local media: remove .part files and files no analysis references, older than the grace period",
            cron=Cron.every_minutes(60, offset=41),
        ),
        JobSpec(
            "cleanup_cache",
            "chefmentor.jobs.cleanup:cleanup_cache",
            "Expired demo sessions: drop cached state, purge rows after the grace period; stale session keys",
            cron=Cron.every_minutes(60, offset=23),
        ),
        JobSpec(
            "rotate_audit_logs",
            "chefmentor.jobs.audit_rotation:rotate_audit_logs",
            "Export audit rows older than the retention to gzip JSON Lines under CHEFMENTOR_HOME/audit, then delete",
            cron=Cron.daily(3, 17),
            timeout_seconds=3600.0,
        ),
    )
}


def get_spec(name: str) -> JobSpec:
    spec = JOBS.get(name)
    if spec is None:
        raise ValidationError(f"Unknown job {name!r}: one of {', '.join(sorted(JOBS))}")
    return spec


def backoff_seconds(attempt: int, *, base: float = BACKOFF_BASE_SECONDS, cap: float = BACKOFF_MAX_SECONDS) -> float:
    """Exponential backoff with jitter for attempt 1, 2, ...: uniform(c/2, c), c = min(cap, base * 2**(attempt-1))."""
    ceiling = min(cap, base * (2 ** max(0, attempt - 1)))
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter, not security


@dataclass(slots=True)
class JobResult:
    job: str
    job_id: str
    ok: bool
    attempts: int
    seconds: float
    result: dict[str, Any]
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "job": self.job,
            "jobId": self.job_id,
            "ok": self.ok,
            "attempts": self.attempts,
            "seconds": round(self.seconds, 3),
            "result": self.result,
            "error": self.error,
        }


async def run_job(
    ctx: AppContext,
    name: str,
    *,
    job_id: str | None = None,
    max_tries: int | None = None,
    backoff_base: float = BACKOFF_BASE_SECONDS,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    **kwargs: Any,
) -> JobResult:
    """Run one job with retries; returns the outcome and never raises for a job failure."""
    spec = get_spec(name)
    func = spec.load()
    job_id = job_id or f"{name}:{uuid.uuid4().hex[:12]}"
    tries = max_tries or spec.max_tries
    started = time.perf_counter()
    last_error: BaseException | None = None
    attempt = 0
    for attempt in range(1, tries + 1):
        try:
            async with asyncio.timeout(spec.timeout_seconds):
                result = await func(ctx, **kwargs)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            last_error = exc
            log.warning(
                "job attempt failed",
                extra={"job": name, "job_id": job_id, "attempt": attempt, "error": f"{type(exc).__name__}: {exc}"},
            )
            if attempt < tries:
                await sleep(backoff_seconds(attempt, base=backoff_base))
            continue
        seconds = time.perf_counter() - started
        _observe(name, "ok", seconds, attempt - 1)
        log.info("job done", extra={"job": name, "job_id": job_id, "attempts": attempt, "result": result})
        return JobResult(name, job_id, True, attempt, seconds, result)
    seconds = time.perf_counter() - started
    _observe(name, "failed", seconds, attempt)
    message = f"{type(last_error).__name__}: {last_error}" if last_error else "failed"
    log.error("job failed", extra={"job": name, "job_id": job_id, "attempts": attempt, "error": message})
    if last_error is not None:
        from chefmentor.observability.errors import capture_exception

        capture_exception(last_error, job=name, job_id=job_id)
    return JobResult(name, job_id, False, attempt, seconds, {}, message)


def _observe(name: str, outcome: str, seconds: float, failed_attempts: int) -> None:
    try:
        from chefmentor.observability.metrics import observe_job

        observe_job(name, outcome, seconds, failed_attempts)
    except Exception as exc:  # metrics are best effort
        log.debug("job metrics failed: %s", exc)

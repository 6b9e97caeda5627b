"""run_job retries with backoff and never raises; the in-process queue and the arq worker run real jobs."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from chefmentor.audit.models import AuditLog
from chefmentor.errors import ValidationError
from chefmentor.jobs import registry
from chefmentor.jobs.queue import ArqJobQueue, InProcessJobQueue, build_job_queue, dedupe_job_id
from chefmentor.jobs.registry import JobSpec, backoff_seconds, run_job
from chefmentor.jobs.schedule import Cron
from chefmentor.observability.metrics import sample_value

CALLS: list[int] = []


async def flaky_job(ctx, *, fail_times: int) -> dict:
    CALLS.append(1)
    if len(CALLS) <= fail_times:
        raise ConnectionError("database blip")
    return {"calls": len(CALLS)}


@pytest.fixture
def flaky(monkeypatch):
    CALLS.clear()
    spec = JobSpec("flaky", f"{__name__}:flaky_job", "test job", max_tries=3)
    monkeypatch.setitem(registry.JOBS, "flaky", spec)
    return spec


async def test_retries_with_backoff_then_succeeds(app_ctx, flaky) -> None:
    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    before = sample_value("chefmentor_job_failures_total", {"job": "flaky"})
    result = await run_job(app_ctx, "flaky", fail_times=2, sleep=fake_sleep, job_id="flaky:1")
    assert result.ok and result.attempts == 3 and result.result == {"calls": 3}
    assert len(sleeps) == 2 and sleeps[1] > sleeps[0] * 0.9
    assert sample_value("chefmentor_job_failures_total", {"job": "flaky"}) - before == 2
    assert sample_value("chefmentor_job_runs_total", {"job": "flaky", "outcome": "ok"}) >= 1


async def test_a_failing_job_is_logged_with_its_id_and_never_raises(app_ctx, flaky, caplog) -> None:
    async def no_sleep(_s: float) -> None:
        return None

    with caplog.at_level("WARNING", logger="chefmentor.jobs"):
        result = await run_job(app_ctx, "flaky", fail_times=10, sleep=no_sleep, job_id="flaky:boom")
    assert not result.ok and result.attempts == 3 and "ConnectionError" in (result.error or "")
    failed = [r for r in caplog.records if r.getMessage() == "job failed"]
    assert failed and failed[0].job_id == "flaky:boom"


def test_backoff_grows_and_is_capped() -> None:
    assert 0.5 <= backoff_seconds(1) <= 1.0
    assert 4.0 <= backoff_seconds(4) <= 8.0
    assert backoff_seconds(30) <= 60.0


async def test_unknown_job_is_a_validation_error(app_ctx) -> None:
    with pytest.raises(ValidationError):
        await run_job(app_ctx, "nope")


def test_cron_next_after() -> None:
    cron = Cron.daily(3, 17)
    at = datetime(2026, 1, 1, 3, 17, 30, tzinfo=UTC)
    assert cron.next_after(at) == datetime(2026, 1, 2, 3, 17, tzinfo=UTC)
    every = Cron.every_minutes(10, offset=7)
    assert every.next_after(datetime(2026, 1, 1, 5, 8, tzinfo=UTC)).minute == 17


def test_queue_choice_follows_redis_setting(settings) -> None:
    assert isinstance(build_job_queue(settings), InProcessJobQueue)
    with_redis = settings.model_copy(update={"redis": settings.redis.model_copy(update={"url": "redis://x:1/0"})})
    assert isinstance(build_job_queue(with_redis), ArqJobQueue)
    assert dedupe_job_id("preprocess_media", {"analysis_id": "a"}) == dedupe_job_id(
        "preprocess_media", {"analysis_id": "a"}
    )


async def _old_audit_rows(ctx, count: int) -> None:
    now = datetime.now(UTC)
    async with ctx.session() as session:
        session.add_all(
            AuditLog(entity="x", action="y", created_at=now - timedelta(days=400 + i)) for i in range(count)
        )
        await session.commit()


async def _audit_count(ctx) -> int:
    async with ctx.session() as session:
        return int(await session.scalar(select(func.count()).select_from(AuditLog)) or 0)


async def test_in_process_queue_runs_enqueued_jobs_in_the_background(app_ctx, settings) -> None:
    await _old_audit_rows(app_ctx, 3)
    queue = InProcessJobQueue(settings, run_cron=False)
    assert await queue.enqueue("rotate_audit_logs") is None, "unbound: left to the sweep"
    await queue.start(app_ctx)
    job_id = await queue.enqueue("rotate_audit_logs")
    assert job_id
    await queue.drain()
    assert await _audit_count(app_ctx) == 0
    await queue.stop()


@pytest.mark.redis
async def test_arq_worker_runs_enqueued_job(app_ctx, settings, redis_url, redis_namespace) -> None:
    from chefmentor.jobs.worker import run_worker
    from tests.conftest import redis_cleanup

    tuned = settings.model_copy(
        update={"redis": settings.redis.model_copy(update={"url": redis_url, "namespace": redis_namespace})}
    )
    await _old_audit_rows(app_ctx, 4)
    async with redis_cleanup(redis_url, redis_namespace):
        queue = ArqJobQueue(tuned)
        job_id = await queue.enqueue("rotate_audit_logs", retention_days=30)
        assert job_id and job_id.startswith(f"{redis_namespace}rotate_audit_logs:")
        assert await queue.enqueue("rotate_audit_logs", retention_days=30) == job_id
        await queue.stop()

        from contextlib import asynccontextmanager

        @asynccontextmanager
        async def shared_ctx(_settings):
            yield app_ctx

        counters = await asyncio.wait_for(run_worker(tuned, burst=True, context_factory=shared_ctx), timeout=60)
    assert counters["complete"] >= 1 and counters["failed"] == 0
    assert await _audit_count(app_ctx) == 0


async def test_enqueue_with_redis_down_returns_fast_and_never_raises(settings) -> None:
    import socket
    import time

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    down = settings.model_copy(
        update={"redis": settings.redis.model_copy(update={"url": f"redis://127.0.0.1:{port}/0"})}
    )
    queue = ArqJobQueue(down)
    started = time.perf_counter()
    assert await queue.enqueue("preprocess_media", analysis_id="a") is None
    first = time.perf_counter() - started
    started = time.perf_counter()
    assert await queue.enqueue("preprocess_media", analysis_id="b") is None
    assert first < 3.0 and time.perf_counter() - started < 0.05, "second call short-circuits"
    await queue.stop()


async def test_in_process_scheduler_runs_due_cron_jobs(app_ctx, settings, monkeypatch) -> None:
    from chefmentor.jobs import queue as queue_module

    await _old_audit_rows(app_ctx, 2)
    moments = iter(datetime(2026, 1, 1, 0, 0, tzinfo=UTC) + timedelta(hours=h) for h in range(1000))
    monkeypatch.setattr(queue_module, "_utcnow", lambda: next(moments))
    monkeypatch.setattr(queue_module, "SCHEDULER_TICK_SECONDS", 0.01)
    queue = InProcessJobQueue(settings)
    await queue.start(app_ctx)
    for _ in range(200):
        await asyncio.sleep(0.02)
        if await _audit_count(app_ctx) == 0:
            break
    await queue.stop()
    assert await _audit_count(app_ctx) == 0, "the daily rotation ran once its time came"


def test_worker_declares_every_cron_job_in_code(settings) -> None:
    from chefmentor.jobs.registry import JOBS
    from chefmentor.jobs.worker import worker_options

    with_redis = settings.model_copy(update={"redis": settings.redis.model_copy(update={"url": "redis://x:1/0"})})
    options = worker_options(with_redis)
    crons = {job.name: job for job in options["cron_jobs"]}
    expected = {f"cron:{name}" for name, spec in JOBS.items() if spec.cron is not None}
    assert set(crons) == expected
    rotation = crons["cron:rotate_audit_logs"]
    assert rotation.hour == {3} and rotation.minute == {17}
    assert {f.name for f in options["functions"]} == set(JOBS)
    assert options["queue_name"] == f"{with_redis.redis.namespace}arq:queue"

"""Redis down for the arq worker: `chefmentor worker` outlives the outage and runs a job queued once Redis is
back, without being restarted."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path

import pytest

from tests.faults.harness import ManagedProcess

pytestmark = [pytest.mark.slow, pytest.mark.faults]


async def _enqueue_and_wait(redis_url: str, queue: str, job_id: str, wait_seconds: float) -> object:
    from arq import create_pool
    from arq.connections import RedisSettings
    from arq.jobs import JobStatus

    pool = await create_pool(RedisSettings.from_dsn(redis_url), default_queue_name=queue)
    try:
        job = await pool.enqueue_job("cleanup_cache", _job_id=job_id)
        assert job is not None, "job id already used"
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            if await job.status() == JobStatus.complete:
                return await job.result(timeout=1)
            await asyncio.sleep(0.3)
        return f"not complete after {wait_seconds} s: {await job.status()}"
    finally:
        await pool.aclose()


async def test_arq_worker_survives_redis_outage(fault_env, tmp_path: Path) -> None:
    redis = fault_env.redis
    worker = ManagedProcess(["worker"], fault_env.env(), tmp_path / "worker.log")
    queue = f"{fault_env.namespace}arq:queue"
    worker.start()
    try:
        first = await _enqueue_and_wait(redis.url, queue, f"{fault_env.namespace}before-{uuid.uuid4().hex}", 30)
        assert isinstance(first, dict) and first.get("ok"), f"worker did not run a job: {first}\n{worker.log_tail()}"
        redis.stop()
        await asyncio.sleep(5.0)
        assert worker.alive(), f"the worker exited while Redis was down:\n{worker.log_tail()}"
        redis.start()
        after = await _enqueue_and_wait(redis.url, queue, f"{fault_env.namespace}after-{uuid.uuid4().hex}", 45)
        assert isinstance(after, dict) and after.get("ok"), (
            f"no job run after Redis came back: {after}\n{worker.log_tail()}"
        )
        assert worker.alive()
    finally:
        if not redis.running():
            redis.start()
        worker.stop()

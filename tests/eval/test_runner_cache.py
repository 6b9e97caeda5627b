"""The runner: same request as the API, bounded concurrency, per-case timeout, record/replay cache."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from PIL import Image

from chefmentor.ai.errors import ProviderError, ProviderErrorCode
from chefmentor.ai.types import Diagnosis, DiagnosisRequest
from chefmentor.config import Settings
from chefmentor.eval.cache import EvalCache
from chefmentor.eval.cases import load_cases
from chefmentor.eval.runner import Target, build_request, run_target
from tests.eval.conftest import WriteCases, case


class CountingDiagnoser:
    """Answers `seasoning_off` for everything, counts calls and in-flight requests."""

    name = "counting"
    model = "count-1"
    accepts_images = True

    def __init__(self, delay: float = 0.0, fail_ids: tuple[str, ...] = (), hang_on: str | None = None) -> None:
        self.calls = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.delay = delay
        self.fail_on = fail_ids
        self.hang_on = hang_on
        self.requests: list[DiagnosisRequest] = []

    async def diagnose(self, request: DiagnosisRequest) -> Diagnosis:
        self.calls += 1
        self.requests.append(request)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.hang_on and request.notes == self.hang_on:
                await asyncio.sleep(30)
            await asyncio.sleep(self.delay)
            if request.notes in self.fail_on:
                raise ProviderError(ProviderErrorCode.RATE_LIMITED, "slow down", provider=self.name)
            return Diagnosis("seasoning_off", "r", "e", confidence=0.7, provider=self.name, model=self.model,
                             usage={"totalTokenCount": 5})  # fmt: skip
        finally:
            self.in_flight -= 1


def _cases(write_cases: WriteCases, n: int = 6) -> list:  # type: ignore[type-arg]
    return load_cases(write_cases([case(f"c{i}", "seasoning_off", f"bland {i}") for i in range(n)])).cases


async def test_replay_means_no_provider_call(write_cases: WriteCases, eval_settings: Settings, tmp_path: Path) -> None:
    cases = _cases(write_cases)
    cache = EvalCache(tmp_path / "eval-cache")
    engine = CountingDiagnoser()
    target = Target("counting", engine, "prompt-1")
    first = await run_target(cases, target, eval_settings, cache=cache)
    assert engine.calls == 6 and not any(r.cached for r in first.results)
    second = await run_target(cases, target, eval_settings, cache=cache)
    assert engine.calls == 6, "a cache hit must not call the provider"
    assert all(r.cached for r in second.results)
    assert [r.predicted for r in second.results] == [r.predicted for r in first.results]
    assert second.results[0].usage == {"totalTokenCount": 5}
    await run_target(cases, Target("counting", engine, "prompt-2"), eval_settings, cache=cache)
    assert engine.calls == 12, "a new prompt version is a new cache key"


async def test_failures_are_not_cached_and_rerun(write_cases: WriteCases, eval_settings: Settings,
                                                 tmp_path: Path) -> None:  # fmt: skip
    cases = _cases(write_cases, 3)
    cache = EvalCache(tmp_path / "eval-cache")
    failing = CountingDiagnoser(fail_ids=("bland 1",))
    run = await run_target(cases, Target("counting", failing, "p"), eval_settings, cache=cache)
    assert [r.error for r in run.results] == [None, "rate_limited", None]
    healthy = CountingDiagnoser()
    rerun = await run_target(cases, Target("counting", healthy, "p"), eval_settings, cache=cache)
    assert healthy.calls == 1 and [r.cached for r in rerun.results] == [True, False, True]


async def test_concurrency_is_bounded_and_order_kept(write_cases: WriteCases, eval_settings: Settings) -> None:
    cases = _cases(write_cases, 8)
    engine = CountingDiagnoser(delay=0.02)
    run = await run_target(cases, Target("counting", engine, "p"), eval_settings, concurrency=3)
    assert engine.max_in_flight == 3
    assert [r.id for r in run.results] == [f"c{i}" for i in range(8)]


async def test_per_case_timeout(write_cases: WriteCases, eval_settings: Settings) -> None:
    cases = _cases(write_cases, 3)
    engine = CountingDiagnoser(hang_on="bland 2")
    run = await run_target(cases, Target("counting", engine, "p"), eval_settings, timeout_seconds=0.2)
    assert [r.error for r in run.results] == [None, None, "timeout"]
    assert run.wall_seconds < 5


async def test_request_is_built_like_an_upload(write_cases: WriteCases, eval_settings: Settings,
                                               tmp_path: Path) -> None:  # fmt: skip
    big = io.BytesIO()
    Image.new("RGB", (2000, 1500), (200, 120, 40)).save(big, "JPEG")
    (tmp_path / "photo.jpg").write_bytes(big.getvalue())
    loaded = load_cases(write_cases([case("p", "unknown", "ok", media="photo.jpg", session={"steps": [
        {"instruction": "Sear", "expectedMinutes": 4, "actualMinutes": 6, "heat": "high"}]})])).cases[0]  # fmt: skip
    request = build_request(loaded, eval_settings)
    assert request.dish == "steak" and request.notes == "ok"
    assert len(request.images) == 1
    assert max(request.images[0].width, request.images[0].height) <= eval_settings.media.analysis_max_side
    assert request.images[0].mime_type == "image/jpeg"
    assert request.steps[0].actual_minutes == 6 and request.steps[0].actual_heat == "high"

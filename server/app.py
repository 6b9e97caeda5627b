"""create_app(): the FastAPI app; its lifespan opens the AppContext (the only wiring point)."""

from __future__ import annotations

import asyncio
import gc
import importlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from types import ModuleType
from typing import Any

from fastapi import Depends, FastAPI
from starlette.middleware import Middleware

from chefmentor.config import Settings, load_settings
from chefmentor.context import AppContext, open_context
from server import openapi
from server.errors import install_error_handlers
from server.middleware import RequestContextMiddleware, cors_middleware_kwargs
from server.observability import instrument_app, observability_middleware, start_background
from server.openapi_docs import docs_router
from server.openapi_errors import errors
from server.ratelimit import RateLimiter, rate_limit
from server.routers import DOC_TAG_ORDER, ROUTER_MODULES
from server.security_cors import EnvelopeCORSMiddleware
from server.upload_gate import Check, UploadGate, gated

log = logging.getLogger(__name__)
ContextFactory = Callable[[Settings], AbstractAsyncContextManager[AppContext]]
# Multipart framing around a 20 MB upload (boundaries, part headers, small form fields).
UPLOAD_OVERHEAD_BYTES = 256 * 1024

API_DESCRIPTION = (
    "ChefMentor X: step-aware cooking guidance and failed-dish diagnosis. Errors always use the envelope "
    '`{"success": false, "error": {"code", "message"}}`. Authenticate with `Authorization: Bearer <token>` '
    "from POST /api/auth/google or POST /api/demo/start."
)


async def _warm_up_voice(ctx: AppContext) -> None:
    try:
        timings = await asyncio.to_thread(ctx.voice.warm_up)
    except Exception as exc:  # voice stays usable (it loads on first use) and its error shows then
        log.warning("voice warm-up failed: %s", exc)
        return
    log.info("voice models ready in %.2f s", timings.get("total", 0.0))
    freeze_startup_objects(ctx.settings)


def freeze_startup_objects(settings: Settings) -> None:
    """Move everything built at startup (modules, models, routes) out of the garbage collector's view.

    A full collection walks every tracked object: ~120k after startup, ~95 ms on this project's VMs, one
    stalled event loop each time, which set the API's p99. Frozen objects are never scanned again, so a
    full collection only walks what requests created (gc.freeze, as Instagram's Django servers do).
    """
    if not settings.server.freeze_gc:
        return
    gc.collect()
    gc.freeze()


def load_router_modules() -> list[ModuleType]:
    return [importlib.import_module(name) for name in ROUTER_MODULES]


def create_app(settings: Settings | None = None, context_factory: ContextFactory = open_context) -> FastAPI:
    """Build the app; nothing connects until the lifespan runs (inside the server's event loop)."""
    settings = settings or load_settings()
    modules = load_router_modules()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
        from chefmentor.db.status import ensure_migrated

        async with context_factory(settings) as ctx:
            await ensure_migrated(ctx.engine)
            app.state.ctx = ctx
            # Limit counters share the cache's Redis namespace, so tests (and co-hosted apps) stay isolated.
            namespace = getattr(ctx.cache, "ns", "cmx:")
            app.state.rate_limiter = RateLimiter(
                ctx.settings, redis_url=ctx.settings.redis.url, key_prefix=f"{namespace}limits"
            )
            app.state.background = await start_background(ctx)
            freeze_startup_objects(ctx.settings)
            if ctx.settings.voice.preload:
                app.state.voice_warm_up = asyncio.create_task(_warm_up_voice(ctx))
            yield {}
            await app.state.background.stop()

    upload_paths = [path for module in modules for path in getattr(module, "UPLOAD_PATHS", ())]
    route_limits = {module.__name__: _module_rate_limit(module) for module in modules}
    # Upload routes: the token and the module's rate limit are checked from the headers, before any body.
    upload_checks = {
        path: [check] if (check := route_limits[module.__name__]) else []
        for module in modules
        for path in getattr(module, "UPLOAD_PATHS", ())
    }
    middleware = [
        Middleware(
            RequestContextMiddleware,
            json_limit=settings.server.max_json_bytes,
            upload_limit=settings.media.max_bytes + UPLOAD_OVERHEAD_BYTES,
            upload_paths=upload_paths,
            body_timeout=settings.server.body_timeout_seconds,
        )
    ]
    middleware.insert(0, observability_middleware())
    if settings.server.cors_origins:
        middleware.append(Middleware(EnvelopeCORSMiddleware, **cors_middleware_kwargs(settings.server.cors_origins)))
    middleware.append(Middleware(UploadGate, checks=upload_checks))
    app = FastAPI(
        title="ChefMentor X API",
        version=settings.observability.release.rpartition("@")[2] or "0.1.0",
        description=API_DESCRIPTION,
        lifespan=lifespan,
        middleware=middleware,
        # /docs and /redoc are served with their assets from this server (server/openapi_docs.py): offline too.
        docs_url=None,
        redoc_url=None,
        openapi_tags=[{"name": tag} for tag in DOC_TAG_ORDER],
        # Our own metrics, logs and Sentry cover this (server/observability.py). FastAPI's native OpenTelemetry
        # hook, when left on, looks up the OTEL_* environment on every request (~5% of a cached read).
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
    )
    app.state.settings = settings
    install_error_handlers(app)
    instrument_app(app)
    openapi.install(app)
    for module in modules:
        check = route_limits[module.__name__]
        dependencies = [Depends(gated(check))] if check else []
        app.include_router(
            module.router, responses=errors("RATE_LIMITED") if check else None, dependencies=dependencies
        )
    app.include_router(docs_router(app))
    return app


def _module_rate_limit(module: ModuleType) -> Check | None:
    """The rate limit a router module declares (RATE_LIMIT policy, RATE_LIMIT_KEY actor|ip); None for none."""
    policy = getattr(module, "RATE_LIMIT", "default")
    return rate_limit(policy, per=getattr(module, "RATE_LIMIT_KEY", "actor")) if policy else None

"""After-response hooks keyed by route template: product analytics events and the media preprocessing job.

They run in the observability middleware once the response has been sent, read only the (small JSON)
response body of the few routes listed here, and never fail the request: the routers stay unaware of
analytics and jobs. Nothing is buffered for any other route, and nothing at all when analytics are off
(except the analyze route, whose body carries the id to preprocess).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import orjson

from chefmentor.actor import Actor
from chefmentor.observability import analytics as events

log = logging.getLogger("chefmentor.hooks")

MAX_CAPTURED_BYTES = 64 * 1024
Hook = Callable[[Any, Actor | None, dict[str, Any], dict[str, Any]], Any]


def _demo_started(ctx: Any, _actor: Actor | None, body: dict[str, Any], _params: dict[str, Any]) -> None:
    events.demo_started(ctx.analytics, demo_session_id=body["demoSessionId"])


def _cooking(event: str) -> Hook:
    def hook(ctx: Any, actor: Actor | None, body: dict[str, Any], _params: dict[str, Any]) -> None:
        events.cooking_event(
            ctx.analytics,
            event,
            actor=actor,
            session_id=body["id"],
            recipe_id=body.get("recipeId"),
            step=body.get("currentStep"),
        )

    return hook


def _analysis_completed(ctx: Any, actor: Actor | None, body: dict[str, Any], _params: dict[str, Any]) -> None:
    if body.get("status") == "completed":
        events.analysis_created(
            ctx.analytics,
            actor=actor,
            analysis_id=body["id"],
            provider=str(body.get("provider") or "unknown"),
            category=str(body.get("category") or "unknown"),
            confidence=body.get("confidence"),
            media_kind=body.get("mediaKind"),
        )


async def _analysis_created(ctx: Any, actor: Actor | None, body: dict[str, Any], params: dict[str, Any]) -> None:
    # The upload is stored and its row committed: thumbnails and variants are built off the request path.
    await ctx.jobs.enqueue("preprocess_media", analysis_id=str(body["id"]))
    if ctx.analytics.enabled:
        _analysis_completed(ctx, actor, body, params)


def _voice_command(ctx: Any, actor: Actor | None, body: dict[str, Any], _params: dict[str, Any]) -> None:
    events.voice_command(ctx.analytics, actor=actor, intent=str(body.get("intent") or "unknown"), source="audio")


# (method, route template) -> (hook, needs analytics on)
HOOKS: dict[tuple[str, str], tuple[Hook, bool]] = {
    ("POST", "/api/demo/start"): (_demo_started, True),
    ("POST", "/api/cooking/start"): (_cooking(events.COOKING_STARTED), True),
    ("POST", "/api/cooking/sessions/{session_id}/complete"): (_cooking(events.COOKING_COMPLETED), True),
    ("POST", "/api/cooking/sessions/{session_id}/abandon"): (_cooking(events.COOKING_ABANDONED), True),
    ("POST", "/api/failure/analyze"): (_analysis_created, False),
    ("POST", "/api/failure/analyses/{analysis_id}/retry"): (_analysis_completed, True),
    ("POST", "/api/voice/command"): (_voice_command, True),
}


def hook_for(scope: Mapping[str, Any], method: str, route: str) -> Hook | None:
    """The hook to run for this response, or None (the common case: costs one dict lookup)."""
    entry = HOOKS.get((method, route))
    if entry is None:
        return None
    hook, needs_analytics = entry
    ctx = _ctx(scope)
    if ctx is None or (needs_analytics and not ctx.analytics.enabled):
        return None
    return hook


def _ctx(scope: Mapping[str, Any]) -> Any:
    app = scope.get("app")
    state = getattr(app, "state", None)
    return getattr(state, "ctx", None)


def _actor(scope: Mapping[str, Any], ctx: Any) -> Actor | None:
    from chefmentor.auth.service import resolve_actor

    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, token = bytes(value).decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and token:
                try:
                    return resolve_actor(token.strip(), settings=ctx.settings, clock=ctx.clock)
                except Exception:
                    return None
    return None


async def run_hook(hook: Hook, scope: Mapping[str, Any], body: bytes) -> None:
    """Parse the body and run the hook; any failure is logged, never raised."""
    import inspect

    ctx = _ctx(scope)
    try:
        data = orjson.loads(body)
        if not isinstance(data, dict):
            return
        result = hook(ctx, _actor(scope, ctx), data, dict(scope.get("path_params") or {}))
        if inspect.isawaitable(result):
            await result
    except Exception as exc:
        log.warning("after-response hook failed", extra={"route": str(scope.get("path")), "error": repr(exc)})

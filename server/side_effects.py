"""Side effects a route causes, scheduled explicitly by that route after its write committed.

Product analytics events and the media preprocessing job run as FastAPI background tasks: after the
response is sent, never on its path, and a failure is logged, never raised (the write is already
committed and acknowledged; a lost preprocessing enqueue is caught up by the `preprocess_pending_media`
sweep).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import Any

from fastapi import BackgroundTasks

from chefmentor.actor import Actor
from chefmentor.auth.schemas import DemoStartResponse
from chefmentor.context import AppContext
from chefmentor.cooking.schemas import CookingSessionRead
from chefmentor.failure.models import AnalysisStatus
from chefmentor.failure.schemas import AnalysisRead
from chefmentor.observability import analytics as events

log = logging.getLogger("chefmentor.side_effects")


def _later(tasks: BackgroundTasks, func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    async def run() -> None:
        try:
            result = func(*args, **kwargs)
            if inspect.isawaitable(result):
                await result
        except Exception as exc:
            log.warning("side effect failed", extra={"effect": getattr(func, "__name__", "?"), "error": repr(exc)})

    tasks.add_task(run)


def demo_started(tasks: BackgroundTasks, ctx: AppContext, started: DemoStartResponse) -> None:
    if ctx.analytics.enabled:
        _later(tasks, events.demo_started, ctx.analytics, demo_session_id=started.demo_session_id)


def cooking_changed(
    tasks: BackgroundTasks, ctx: AppContext, event: str, actor: Actor, cooking: CookingSessionRead
) -> None:
    if ctx.analytics.enabled:
        _later(
            tasks,
            events.cooking_event,
            ctx.analytics,
            event,
            actor=actor,
            session_id=cooking.id,
            recipe_id=cooking.recipe_id,
            step=cooking.current_step,
        )


def analysis_stored(
    tasks: BackgroundTasks, ctx: AppContext, actor: Actor, analysis: AnalysisRead, *, new_upload: bool
) -> None:
    """A new upload's thumbnails and variants are built off the request path; a diagnosis is an event."""
    if new_upload:
        _later(tasks, ctx.jobs.enqueue, "preprocess_media", analysis_id=str(analysis.id))
    if ctx.analytics.enabled and analysis.status is AnalysisStatus.COMPLETED:
        _later(
            tasks,
            events.analysis_created,
            ctx.analytics,
            actor=actor,
            analysis_id=analysis.id,
            provider=analysis.provider or "unknown",
            category=_plain(analysis.category) or "unknown",
            confidence=analysis.confidence,
            media_kind=_plain(analysis.media_kind),
        )


def _plain(value: Any) -> Any:
    """An enum member as its value, as the JSON body carried it."""
    return getattr(value, "value", value)


def voice_command_run(tasks: BackgroundTasks, ctx: AppContext, actor: Actor, intent: str) -> None:
    if ctx.analytics.enabled:
        _later(tasks, events.voice_command, ctx.analytics, actor=actor, intent=intent, source="audio")

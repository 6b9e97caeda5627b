"""Product analytics: PostHog when settings.observability.posthog_api_key (POSTHOG_API_KEY) is set, else a no-op.

Events carry ids and enums only (no emails, names, notes or media). The SDK queues events and sends them
from its own thread, so a slow or down PostHog never delays a request.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any, Protocol

from chefmentor.actor import Actor
from chefmentor.config import Settings

log = logging.getLogger("chefmentor.analytics")

DEMO_STARTED = "demo started"
COOKING_STARTED = "cooking started"
COOKING_COMPLETED = "cooking completed"
COOKING_ABANDONED = "cooking abandoned"
ANALYSIS_CREATED = "analysis created"
VOICE_COMMAND = "voice command"
EVENTS = (DEMO_STARTED, COOKING_STARTED, COOKING_COMPLETED, COOKING_ABANDONED, ANALYSIS_CREATED, VOICE_COMMAND)


class Analytics(Protocol):
    enabled: bool

    def capture(self, event: str, *, distinct_id: str, properties: dict[str, Any] | None = None) -> None: ...
    def flush(self) -> None: ...
    def close(self) -> None: ...


class NoopAnalytics:
    """The default: nothing is recorded, nothing is sent, nothing is imported."""

    enabled = False

    def capture(self, event: str, *, distinct_id: str, properties: dict[str, Any] | None = None) -> None:  # noqa: ARG002
        return None

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None


class PostHogAnalytics:
    enabled = True

    def __init__(self, api_key: str, *, host: str, environment: str, release: str, **client_options: Any) -> None:
        from posthog import Posthog

        self._client = Posthog(
            api_key,
            host=host,
            timeout=5,
            max_retries=2,
            disable_geoip=True,
            enable_local_evaluation=False,
            super_properties={"environment": environment, "release": release},
            **client_options,
        )

    def capture(self, event: str, *, distinct_id: str, properties: dict[str, Any] | None = None) -> None:
        try:
            self._client.capture(event, distinct_id=distinct_id, properties=dict(properties or {}))
        except Exception as exc:  # analytics must never break the feature that emits it
            log.warning("analytics capture failed: %s", type(exc).__name__)

    def flush(self) -> None:
        self._client.flush()

    def close(self) -> None:
        try:
            self._client.shutdown()
        except Exception as exc:
            log.warning("analytics shutdown failed: %s", type(exc).__name__)


def build_analytics(settings: Settings) -> Analytics:
    """PostHog with POSTHOG_API_KEY, else the no-op (also in tests and offline mode)."""
    secret = settings.observability.posthog_api_key
    key = secret.get_secret_value().strip() if secret is not None else ""
    if not key or settings.offline:
        return NoopAnalytics()
    return PostHogAnalytics(
        key,
        host=settings.observability.posthog_host,
        environment=settings.env,
        release=settings.observability.release,
    )


def distinct_id(actor: Actor | None) -> str:
    """A pseudonymous id: the user or demo-session UUID, never an email."""
    if actor is None or actor.id is None:
        return "anonymous"
    return f"{actor.kind}:{actor.id}"


def _id(value: uuid.UUID | str | None) -> str | None:
    return str(value) if value is not None else None


def demo_started(analytics: Analytics, *, demo_session_id: uuid.UUID | str) -> None:
    analytics.capture(DEMO_STARTED, distinct_id=f"demo:{demo_session_id}", properties={"actorKind": "demo"})


def cooking_event(
    analytics: Analytics,
    event: str,
    *,
    actor: Actor | None,
    session_id: uuid.UUID | str,
    recipe_id: uuid.UUID | str | None = None,
    step: int | None = None,
) -> None:
    """One of cooking started/completed/abandoned."""
    if event not in (COOKING_STARTED, COOKING_COMPLETED, COOKING_ABANDONED):
        raise ValueError(f"not a cooking event: {event}")
    properties: dict[str, Any] = {"sessionId": _id(session_id), "recipeId": _id(recipe_id)}
    if step is not None:
        properties["step"] = step
    properties["actorKind"] = actor.kind if actor else None
    analytics.capture(event, distinct_id=distinct_id(actor), properties=properties)


def analysis_created(
    analytics: Analytics,
    *,
    actor: Actor | None,
    analysis_id: uuid.UUID | str,
    provider: str,
    category: str,
    confidence: float | None = None,
    media_kind: str | None = None,
) -> None:
    properties: dict[str, Any] = {
        "analysisId": _id(analysis_id),
        "provider": provider,
        "category": category,
        "confidence": round(confidence, 3) if confidence is not None else None,
        "mediaKind": media_kind,
        "actorKind": actor.kind if actor else None,
    }
    analytics.capture(ANALYSIS_CREATED, distinct_id=distinct_id(actor), properties=properties)


def voice_command(analytics: Analytics, *, actor: Actor | None, intent: str, source: str = "text") -> None:
    """The intent only: never the transcript (it may hold anything the cook said)."""
    analytics.capture(
        VOICE_COMMAND,
        distinct_id=distinct_id(actor),
        properties={"intent": intent, "source": source, "actorKind": actor.kind if actor else None},
    )

"""Sentry and PostHog: the real SDKs deliver to loopback fakes of their ingest endpoints; unset = no-op."""

from __future__ import annotations

import json
import time
import uuid

import httpx
import pytest

from chefmentor.actor import Actor
from chefmentor.observability import analytics as events
from chefmentor.observability.analytics import NoopAnalytics, PostHogAnalytics, build_analytics
from chefmentor.observability.errors import init_sentry, shutdown_sentry
from server.app import create_app
from tests.fakes.ingest import serve_ingest


def _with(settings, **observability):
    return settings.model_copy(update={"observability": settings.observability.model_copy(update=observability)})


async def test_sentry_receives_an_unhandled_error_without_pii_or_tokens(settings) -> None:
    from pydantic import SecretStr

    with serve_ingest() as fake:
        port = fake.base_url.rsplit(":", 1)[1]
        configured = _with(settings, sentry_dsn=SecretStr(f"http://publickey@127.0.0.1:{port}/1"), release="cmx@9.9")
        app = create_app(configured)

        async def boom() -> None:
            raise RuntimeError("kaboom in a route")

        app.add_api_route("/boom", boom)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                response = await client.get("/boom", headers={"Authorization": "Bearer eyJhbGciOi.secret.token"})
            assert response.status_code == 500
            import sentry_sdk

            sentry_sdk.flush(timeout=5)
        assert fake.wait(), "no envelope arrived"
    envelopes = [r for r in fake.requests if r.path == "/api/1/envelope/"]
    assert envelopes, [r.path for r in fake.requests]
    assert "sentry_key=publickey" in envelopes[0].headers.get("x-sentry-auth", "")
    errors = [payload for header, payload in fake.sentry_items() if header.get("type") == "event"]
    assert errors, fake.sentry_items()
    event = errors[0]
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["release"] == "cmx@9.9" and event["environment"] == "test"
    blob = json.dumps(event)
    assert "secret.token" not in blob and "eyJhbGciOi" not in blob
    assert "ip_address" not in json.dumps(event.get("user", {}))
    assert not sentry_sdk.get_client().is_active(), "the lifespan closes the client"


def test_sentry_is_a_no_op_without_a_dsn(settings) -> None:
    import sentry_sdk

    assert init_sentry(settings) is False
    assert not sentry_sdk.get_client().is_active()
    shutdown_sentry()


def test_posthog_receives_product_events_with_ids_only(settings) -> None:
    from pydantic import SecretStr

    with serve_ingest() as fake:
        configured = _with(settings, posthog_api_key=SecretStr("phc_test_key"), posthog_host=fake.base_url)
        analytics = build_analytics(configured)
        assert isinstance(analytics, PostHogAnalytics)
        user = Actor.user(uuid.uuid4())
        demo_id = uuid.uuid4()
        session_id = uuid.uuid4()
        events.demo_started(analytics, demo_session_id=demo_id)
        events.cooking_event(
            analytics, events.COOKING_STARTED, actor=user, session_id=session_id, recipe_id=uuid.uuid4()
        )
        events.cooking_event(analytics, events.COOKING_COMPLETED, actor=user, session_id=session_id)
        events.cooking_event(analytics, events.COOKING_ABANDONED, actor=Actor.demo(demo_id), session_id=uuid.uuid4())
        events.analysis_created(
            analytics,
            actor=user,
            analysis_id=uuid.uuid4(),
            provider="groq",
            category="heat_too_high",
            confidence=0.81234,
        )
        events.voice_command(analytics, actor=user, intent="set_timer", source="audio")
        analytics.flush()
        deadline = time.monotonic() + 10
        while len(fake.posthog_events()) < 6 and time.monotonic() < deadline:
            time.sleep(0.05)
        analytics.close()
    received = fake.posthog_events()
    assert [e["event"] for e in received] == [
        "demo started",
        "cooking started",
        "cooking completed",
        "cooking abandoned",
        "analysis created",
        "voice command",
    ]
    assert fake.posthog_api_keys() == {"phc_test_key"}
    by_name = {e["event"]: e for e in received}
    assert by_name["demo started"]["distinct_id"] == f"demo:{demo_id}"
    analysis = by_name["analysis created"]["properties"]
    assert analysis["provider"] == "groq" and analysis["category"] == "heat_too_high"
    assert analysis["confidence"] == 0.812 and analysis["environment"] == "test"
    assert by_name["voice command"]["properties"]["intent"] == "set_timer"
    assert "question" not in json.dumps(received) and "transcript" not in json.dumps(received)


def test_posthog_is_a_no_op_without_a_key(settings) -> None:
    analytics = build_analytics(settings)
    assert isinstance(analytics, NoopAnalytics) and analytics.enabled is False
    events.demo_started(analytics, demo_session_id=uuid.uuid4())
    analytics.flush()
    analytics.close()


def test_offline_mode_disables_posthog_even_with_a_key(settings) -> None:
    from pydantic import SecretStr

    offline = _with(settings, posthog_api_key=SecretStr("phc_x")).model_copy(update={"offline": True})
    assert isinstance(build_analytics(offline), NoopAnalytics)


async def test_app_context_slot_defaults_to_no_op(app_ctx) -> None:
    assert isinstance(app_ctx.analytics, NoopAnalytics)


def test_cooking_event_rejects_other_names() -> None:
    with pytest.raises(ValueError):
        events.cooking_event(NoopAnalytics(), "demo started", actor=None, session_id="x")

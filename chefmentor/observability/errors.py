"""Sentry error reporting: on only when settings.observability.sentry_dsn (SENTRY_DSN) is set.

PII stays off (send_default_pii=False); events pass through the log redactor before they leave the process.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chefmentor.config import Settings
from chefmentor.observability.logs import REDACTED, redact_value

_SENSITIVE_HEADERS = frozenset({"authorization", "cookie", "set-cookie", "x-api-key", "proxy-authorization"})


def sentry_dsn(settings: Settings) -> str | None:
    secret = settings.observability.sentry_dsn
    value = secret.get_secret_value().strip() if secret is not None else ""
    return value or None


def scrub_event(event: dict[str, Any], _hint: dict[str, Any]) -> dict[str, Any]:
    """before_send: drop credentials from request headers and mask secret-shaped values anywhere."""
    request = event.get("request")
    if isinstance(request, dict):
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {k: (REDACTED if k.lower() in _SENSITIVE_HEADERS else v) for k, v in headers.items()}
        request.pop("cookies", None)
        request.pop("data", None)  # bodies may hold Google ID tokens or refresh tokens
    for key in ("extra", "contexts", "tags", "breadcrumbs", "logentry", "message", "exception"):
        if key in event:
            event[key] = redact_value(event[key])
    return event


def init_sentry(settings: Settings, *, integrations: Sequence[Any] = (), component: str = "api") -> bool:
    """Start the Sentry client (asyncio integration always; the server adds FastAPI/Starlette). No DSN: no-op."""
    dsn = sentry_dsn(settings)
    if dsn is None:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.asyncio import AsyncioIntegration

    sentry_sdk.init(
        dsn=dsn,
        release=settings.observability.release,
        environment=settings.env,
        send_default_pii=False,
        # Frame locals can hold raw ASGI scopes with Authorization headers: never ship them.
        include_local_variables=False,
        integrations=[AsyncioIntegration(), *integrations],
        before_send=scrub_event,  # type: ignore[arg-type]
        traces_sample_rate=0.0,
        server_name=component,
        max_breadcrumbs=50,
    )
    sentry_sdk.set_tag("component", component)
    return True


def shutdown_sentry(timeout: float = 2.0) -> None:
    """Flush queued events (bounded) and close the client; safe when Sentry was never started."""
    import sys

    if "sentry_sdk" not in sys.modules:
        return
    import sentry_sdk

    client = sentry_sdk.get_client()
    if client.is_active():
        client.flush(timeout=timeout)
        client.close(timeout=timeout)
        sentry_sdk.get_global_scope().set_client(None)  # back to the non-recording client


def capture_exception(exc: BaseException, **tags: str) -> None:
    """Report a handled exception (e.g. a background job failure) when Sentry is running."""
    import sys

    if "sentry_sdk" not in sys.modules:
        return
    import sentry_sdk

    if not sentry_sdk.get_client().is_active():
        return
    with sentry_sdk.new_scope() as scope:
        for key, value in tags.items():
            scope.set_tag(key, value)
        sentry_sdk.capture_exception(exc)

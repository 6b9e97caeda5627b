"""structlog setup: JSON lines in production (console-pretty on a TTY) and a redaction pass on every event.

Every record, ours or a library's (uvicorn, httpx, arq) goes through the same processors, so a token that
slips into a log call is masked before it is rendered.
"""

from __future__ import annotations

import functools
import logging
import re
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any

REDACTED = "[redacted]"
# Keys whose values are secrets whatever they look like.
_SECRET_KEY = re.compile(
    r"(pass(word|wd)?|secret|token|api[_-]?key|apikey|authorization|auth[_-]?header|cookie|session[_-]?key|"
    r"credential|private[_-]?key|dsn|signature|jwt|id_token|refresh)",
    re.IGNORECASE,
)
_SAFE_KEYS = frozenset({"token_type", "tokentype", "request_id", "requestid", "job_id", "max_tokens", "expires_in"})
# Secrets recognisable by shape inside free text.
_VALUE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}"), r"\1 " + REDACTED),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"), REDACTED),  # JWT / JWS
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^\s:/@]*:)[^\s@/]+@"), r"\1" + REDACTED + "@"),  # url creds
    (re.compile(r"(?i)\b([a-z_]*(?:key|token|secret|password|signature))=([^&\s\"']+)"), r"\1=" + REDACTED),
    (re.compile(r"\b(gsk_|sk-|AIza)[A-Za-z0-9_-]{10,}"), REDACTED),  # Groq / OpenAI-style / Google API keys
)
_MAX_DEPTH = 4


# One cheap search decides whether the five substitutions are needed at all (most values are ids/routes).
_SUSPECT = re.compile(r"(?i)bearer|basic|eyJ|@|=|gsk_|sk-|AIza")


@functools.lru_cache(maxsize=1024)
def _secret_key_name(lowered: str) -> bool:
    return lowered not in _SAFE_KEYS and bool(_SECRET_KEY.search(lowered))


def _is_secret_key(key: object) -> bool:
    return isinstance(key, str) and _secret_key_name(key.lower())


def redact_text(text: str) -> str:
    if not _SUSPECT.search(text):
        return text
    for pattern, replacement in _VALUE_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact_value(value: Any, depth: int = 0) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    if depth >= _MAX_DEPTH:
        return value
    if isinstance(value, Mapping):
        return {k: REDACTED if _is_secret_key(k) else redact_value(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact_value(item, depth + 1) for item in value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def redact_event(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: mask secret-named keys and secret-shaped substrings (tokens, keys, URL passwords)."""
    for key in list(event_dict):
        value = event_dict[key]
        if _is_secret_key(key):
            event_dict[key] = REDACTED
        elif isinstance(value, str | Mapping | list | tuple | bytes):
            event_dict[key] = redact_value(value)
    return event_dict


def _render_exception_text(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    exc = event_dict.get("exception")
    if isinstance(exc, str):
        event_dict["exception"] = redact_text(exc)
    return event_dict


def wants_json(log_json: bool | None, stream: Any = None) -> bool:
    """Explicit setting wins; otherwise JSON unless the stream is an interactive terminal."""
    if log_json is not None:
        return log_json
    target = stream if stream is not None else sys.stderr
    isatty = getattr(target, "isatty", None)
    return not (callable(isatty) and isatty())


def configure_logging(
    *, log_json: bool | None = None, level: str | int = "INFO", stream: Any = None, service: str = "chefmentor"
) -> None:
    """Route structlog and stdlib logging through one redacting pipeline (idempotent: replaces our handler)."""
    import structlog

    json_output = wants_json(log_json, stream)

    def add_service(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
        event_dict.setdefault("service", service)
        event_dict.pop("color_message", None)  # uvicorn's ANSI-coloured duplicate of the message
        return event_dict

    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        add_service,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.stdlib.ExtraAdder(),
    ]
    final: list[Any] = [structlog.stdlib.ProcessorFormatter.remove_processors_meta]
    if json_output:
        final += [
            structlog.processors.format_exc_info,
            _render_exception_text,
            redact_event,
            structlog.processors.EventRenamer("message"),
            structlog.processors.JSONRenderer(serializer=_orjson_dumps),
        ]
    else:
        final += [redact_event, structlog.dev.ConsoleRenderer(colors=_colors(stream))]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(foreign_pre_chain=shared, processors=final)
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(formatter)
    handler.set_name("chefmentor")
    global _fast_json
    _fast_json = (handler, service) if json_output else None
    root = logging.getLogger()
    for existing in list(root.handlers):
        if existing.get_name() == "chefmentor":
            root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    # uvicorn installs its own handlers; let its records flow through ours instead (one format).
    for name in ("uvicorn", "uvicorn.error", "arq"):
        library = logging.getLogger(name)
        library.handlers.clear()
        library.propagate = True
    # The server's access log is chefmentor.access (route template, actor kind, latency); uvicorn's
    # would duplicate every line, and uvicorn checks hasHandlers() to decide whether to format one.
    uvicorn_access = logging.getLogger("uvicorn.access")
    uvicorn_access.handlers.clear()
    uvicorn_access.propagate = False


def _colors(stream: Any) -> bool:
    target = stream if stream is not None else sys.stderr
    isatty = getattr(target, "isatty", None)
    return bool(callable(isatty) and isatty())


def _orjson_dumps(value: Any, **_kwargs: Any) -> str:
    import orjson

    return orjson.dumps(value, default=str).decode()


_fast_json: tuple[logging.StreamHandler[Any], str] | None = None


def write_json_line(logger_name: str, message: str, fields: dict[str, Any]) -> bool:
    """Hot-path logging (one access line per request): the same JSON shape as the structlog pipeline,
    written straight to our handler. Only for fields the caller controls (route templates, enums, numbers,
    validated ids): they skip redaction. False when JSON logging is not configured (use the logger)."""
    target = _fast_json
    if target is None:
        return False
    import datetime

    import orjson

    handler, service = target
    record = {
        "service": service,
        "level": "info",
        "logger": logger_name,
        "timestamp": datetime.datetime.now(datetime.UTC),
        **fields,
        "message": message,
    }
    line = orjson.dumps(record, option=orjson.OPT_UTC_Z, default=str).decode() + "\n"
    handler.acquire()
    try:
        handler.stream.write(line)
        handler.flush()
    except Exception:  # like logging.Handler.handleError: a broken log stream never fails a request
        return True
    finally:
        handler.release()
    return True


def get_logger(name: str) -> Any:
    import structlog

    return structlog.stdlib.get_logger(name)

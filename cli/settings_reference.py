"""Every setting as an environment variable: for `config show` (env lines) and the generated reference
(`chefmentor config docs` writes docs/configuration.md), read from the settings model itself."""

from __future__ import annotations

import inspect
import io
import json
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

ENV_PREFIX = "CHEFMENTOR_"
_FIELD_LINE = re.compile(r"^\s+(\w+)\s*:")


# What a setting means when the code has no comment beside it (keys: "section.field", "field" at the top).
MEANINGS: dict[str, str] = {
    "env": "`dev` (default), `test` or `prod`; outside dev a real JWT secret is required.",
    "home": "Data folder: SQLite file, local media, dev JWT secret, TUI demo token.",
    "offline": "Never call a network provider (AI, RecipeDB); the same as `--offline`.",
    "db.url": "Database URL: `sqlite+aiosqlite:///PATH` or `postgresql+asyncpg://USER:PASS@HOST:5432/DB` "
    "(default: SQLite under the home folder). Also `CHEFMENTOR_DATABASE_URL`.",
    "db.echo": "Log every SQL statement (debugging).",
    "db.pool_timeout_seconds": "How long a request waits for a free connection before 503.",
    "db.connect_timeout_seconds": "Connection timeout for PostgreSQL.",
    "redis.url": "Redis URL (`redis://HOST:6379/0`): shared cache, active sessions, rate limits, job queue. "
    "Also `CHEFMENTOR_REDIS_URL`.",
    "redis.socket_timeout_seconds": "Redis socket timeout; a slow Redis degrades to the database.",
    "auth.jwt_secret": "HS256 signing secret, 32+ characters (generated under the home folder in dev mode). "
    "Also `CHEFMENTOR_JWT_SECRET`.",
    "auth.issuer": "JWT `iss` claim.",
    "auth.audience": "JWT `aud` claim.",
    "auth.access_ttl_seconds": "Access-token lifetime.",
    "auth.refresh_ttl_days": "Refresh-token lifetime (rotated on every use).",
    "auth.demo_ttl_hours": "How long a demo session lasts.",
    "auth.google_client_ids": "JSON list of Google OAuth client ids accepted as ID-token audience.",
    "auth.google_certs_url": "Where Google's signing certificates are fetched.",
    "auth.google_certs_timeout_seconds": "Timeout fetching Google's certificates.",
    "ai.providers": "Diagnosis providers in fallback order (JSON list of `gemini`, `groq`, `local`).",
    "ai.gemini_api_key": "Gemini key (also `GEMINI_API_KEY`).",
    "ai.gemini_model": "Gemini model name.",
    "ai.gemini_base_url": "Override the Gemini endpoint (tests, proxies).",
    "ai.groq_api_key": "Groq key (also `GROQ_API_KEY`).",
    "ai.groq_model": "Groq model name.",
    "ai.groq_base_url": "Override the Groq endpoint (tests, proxies).",
    "ai.timeout_seconds": "Timeout of one provider call.",
    "ai.max_attempts": "Attempts per provider before falling back to the next.",
    "ai.breaker_failures": "Consecutive failures that open a provider's circuit breaker.",
    "ai.breaker_cooldown_seconds": "How long an open breaker skips the provider.",
    "ai.local_enabled": "Allow the offline engine as the last resort.",
    "media.max_bytes": "Largest upload accepted (20 MB).",
    "media.max_pixels": "Largest decoded image (decompression-bomb guard).",
    "media.analysis_max_side": "Longest side of the copy sent to a provider.",
    "media.max_keyframes": "Video keyframes analysed.",
    "media.cloudinary_url": "Store uploads on Cloudinary (also `CLOUDINARY_URL`).",
    "media.cloudinary_folder": "Cloudinary folder for uploads.",
    "media.local_dir": "Local media folder (default: `media/` under the home folder).",
    "voice.stt_model_path": "Another faster-whisper model folder instead of the bundled tiny.en.",
    "voice.tts_voice_path": "Another Piper voice (.onnx) instead of the bundled one.",
    "voice.stt_compute_type": "CTranslate2 compute type for Whisper.",
    "voice.stt_threads": "CPU threads for Whisper.",
    "voice.silence_ms": "Silence that ends an utterance.",
    "voice.sample_rate": "Microphone sample rate.",
    "voice.ask_timeout_seconds": "Time budget to answer a free question.",
    "server.host": "Bind address of `chefmentor serve` (`make demo HOST=` overrides).",
    "server.port": "Port of `chefmentor serve` (`make demo PORT=` overrides).",
    "server.cors_origins": "JSON list of allowed browser origins.",
    "server.max_json_bytes": "Largest JSON request body.",
    "server.trusted_proxies": "JSON list of proxies allowed to set X-Forwarded-For.",
    "server.rate_limit_auth": "Rate limit of sign-in endpoints.",
    "server.rate_limit_analyze": "Rate limit of diagnosis uploads.",
    "server.rate_limit_default": "Rate limit of every other endpoint.",
    "server.recipe_cache_ttl_seconds": "How long recipe reads are cached.",
    "observability.log_json": "Force JSON logs on or off (default: JSON when stderr is not a terminal).",
    "observability.sentry_dsn": "Sentry DSN (also `SENTRY_DSN`).",
    "observability.posthog_api_key": "PostHog key (also `POSTHOG_API_KEY`).",
    "observability.posthog_host": "PostHog endpoint.",
    "observability.release": "Release name reported to Sentry and PostHog.",
    "recipe_data.base_url": "RecipeDB/FlavorDB (Foodoscope) endpoint.",
    "recipe_data.api_key": "Foodoscope key (also `FOODOSCOPE_API_KEY`).",
    "recipe_data.timeout_seconds": "Timeout of one RecipeDB call.",
    "jobs.demo_grace_hours": "How long an expired demo's data is kept before it is purged.",
    "jobs.audit_retention_days": "Audit rows older than this are archived and deleted.",
    "jobs.audit_batch_size": "Rows per audit archive file and transaction.",
}


@dataclass(frozen=True)
class SettingRow:
    env: str
    type: str
    default: str
    help: str
    section: str


def env_name(section: str | None, field: str) -> str:
    return f"{ENV_PREFIX}{section.upper()}__{field.upper()}" if section else f"{ENV_PREFIX}{field.upper()}"


def env_value(value: Any) -> str:
    """How the value is written in an env file (JSON for lists and objects, empty for unset)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value)
    return str(value)


def env_lines(dump: dict[str, Any]) -> list[str]:
    """`CHEFMENTOR_SERVER__PORT=8000` lines from a settings dump (secrets already masked by the caller)."""
    lines: list[str] = []
    for key, value in dump.items():
        if isinstance(value, dict) and key not in ("extras",):
            lines += [f"{env_name(key, field)}={env_value(inner)}" for field, inner in value.items()]
        else:
            lines.append(f"{env_name(None, key)}={env_value(value)}")
    return lines


def camel_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {_camel(str(key)): camel_keys(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [camel_keys(item) for item in value]
    return value


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def field_comments(model: type) -> dict[str, str]:
    """The `#` comment block written above (or beside) each field in the class source: the *why* of a
    setting lives next to it, and the reference repeats it rather than a second copy drifting away."""
    try:
        source = inspect.getsource(model)
    except (OSError, TypeError):
        return {}
    comments: dict[str, str] = {}
    pending: list[str] = []
    lines = source.splitlines()
    trailing = {tok.start[0]: tok.string for tok in _tokens(source) if tok.type == tokenize.COMMENT}
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("#"):
            pending.append(stripped.lstrip("#").strip())
            continue
        match = _FIELD_LINE.match(line)
        if match and not stripped.startswith(("def ", "@", "model_config")):
            text = " ".join(pending)
            side = trailing.get(number)
            if side and not text and "noqa" not in side:
                text = side.lstrip("#").strip()
            if text:
                comments[match.group(1)] = text
        pending = []
    return comments


def _tokens(source: str) -> list[tokenize.TokenInfo]:
    try:
        return list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return []


def _type_name(annotation: Any) -> str:
    text = getattr(annotation, "__name__", None) if isinstance(annotation, type) else None
    text = text or str(annotation)
    return text.replace("typing.", "").replace("pydantic.types.", "").replace("pathlib.", "")


def _default_text(field: Any) -> str:
    if field.default_factory is not None:
        try:
            value = field.default_factory()
        except TypeError:
            return "(computed)"
    else:
        value = field.default
    if isinstance(value, BaseModel):
        return "(section)"
    text = "" if value is None else env_value(value)
    home = str(Path.home())
    return "~" + text.removeprefix(home) if home != "/" and text.startswith(home) else text


def setting_rows(settings_cls: type[BaseModel]) -> list[SettingRow]:
    """One row per setting, nested sections flattened into `CHEFMENTOR_SECTION__FIELD`."""
    rows: list[SettingRow] = []
    top_comments = field_comments(settings_cls)
    for name, field in settings_cls.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            comments = field_comments(annotation)
            for inner_name, inner in annotation.model_fields.items():
                rows.append(
                    SettingRow(
                        env=env_name(name, inner_name),
                        type=_type_name(inner.annotation),
                        default=_default_text(inner),
                        help=comments.get(inner_name) or MEANINGS.get(f"{name}.{inner_name}", ""),
                        section=name,
                    )
                )
            continue
        rows.append(
            SettingRow(
                env=env_name(None, name),
                type=_type_name(annotation),
                default=_default_text(field),
                help=top_comments.get(name) or MEANINGS.get(name, ""),
                section="general",
            )
        )
    return rows

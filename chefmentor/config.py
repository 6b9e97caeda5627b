"""Settings: pydantic-settings, env prefix CHEFMENTOR_, nested sections, built by load_settings()."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from chefmentor.errors import ConfigError

PLACEHOLDER_SECRETS = frozenset({"", "change-me", "changeme", "secret", "placeholder", "dev"})
MIN_SECRET_LENGTH = 32

# Well-known unprefixed variables that production platforms hand out; mapped onto nested settings.
_ALIASES: dict[str, tuple[str, str]] = {
    "CHEFMENTOR_DATABASE_URL": ("db", "url"),
    "CHEFMENTOR_REDIS_URL": ("redis", "url"),
    "CHEFMENTOR_JWT_SECRET": ("auth", "jwt_secret"),
    "GEMINI_API_KEY": ("ai", "gemini_api_key"),
    "GROQ_API_KEY": ("ai", "groq_api_key"),
    "CLOUDINARY_URL": ("media", "cloudinary_url"),
    "SENTRY_DSN": ("observability", "sentry_dsn"),
    "POSTHOG_API_KEY": ("observability", "posthog_api_key"),
    "FOODOSCOPE_API_KEY": ("recipe_data", "api_key"),
}


class DbSettings(BaseModel):
    url: str | None = None
    echo: bool = False
    # Per worker; PostgreSQL and file SQLite (an in-memory SQLite database is one connection). Connections
    # open on demand. Sized for ~32 requests in flight: with 10, step events queued for a connection
    # (bench/api.py on PostgreSQL: 1000 -> 1250 req/s, 1000 -> 790 µs CPU per event). workers × pool_size
    # must stay under PostgreSQL's max_connections (100 by default).
    pool_size: int = 32
    # SQLAlchemy closes an overflow connection when it is checked in to a full pool, so under load above
    # pool_size every request opened a fresh PostgreSQL connection (~6% of a request's CPU and a backend
    # fork; bench/api.py on PostgreSQL: 0.084x -> 0.12x bare). Requests past pool_size wait for one instead.
    max_overflow: int = 0
    pool_timeout_seconds: float = 5.0
    connect_timeout_seconds: float = 5.0
    # Ping a PostgreSQL connection before each use, so one the database dropped (restart, failover, idle
    # timeout) is replaced instead of failing the request. Off by default: the ping is a round trip on every
    # request (bench/api.py), and without it a request that meets a dropped connection answers 503 with
    # Retry-After while SQLAlchemy discards the pool's older connections, so the next requests reconnect.
    pool_pre_ping: bool = False
    # asyncpg command timeout: a statement stalled longer than this fails (503) instead of holding a request.
    statement_timeout_seconds: float = 30.0
    # FULL (default): a commit is durable before the request is acknowledged; NORMAL may lose the last
    # commits on a power loss (never on a process crash).
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL"
    # How long a SQLite write waits for another writer's lock before "database is locked".
    busy_timeout_seconds: float = 15.0


class RedisSettings(BaseModel):
    url: str | None = None
    socket_timeout_seconds: float = 0.5
    # Key prefix for everything this app stores (cache, sessions, rate limits): lets apps share a Redis.
    namespace: str = "cmx:"


class AuthSettings(BaseModel):
    jwt_secret: SecretStr | None = None
    issuer: str = "chefmentor"
    audience: str = "chefmentor-api"
    access_ttl_seconds: int = 15 * 60
    refresh_ttl_days: int = 7
    demo_ttl_hours: int = 24
    google_client_ids: list[str] = Field(default_factory=list)
    google_certs_url: str = "https://www.googleapis.com/oauth2/v1/certs"
    google_certs_timeout_seconds: float = 5.0
    # How long a demo session's expiry is cached per request check (ending a session drops it at once).
    demo_check_cache_seconds: float = 5.0


class AiSettings(BaseModel):
    providers: list[str] = Field(default_factory=lambda: ["gemini", "groq", "local"])
    gemini_api_key: SecretStr | None = None
    gemini_model: str = "gemini-2.5-flash"
    gemini_base_url: str | None = None
    groq_api_key: SecretStr | None = None
    groq_model: str = "qwen/qwen3.6-27b"
    groq_base_url: str | None = None
    timeout_seconds: float = 8.0
    max_attempts: int = 2
    # The whole chain, offline fallback included, answers within this (docs/security.md).
    total_budget_seconds: float = Field(default=20.0, gt=0)
    # Kept back from the network providers so the offline engine always has time to answer.
    local_reserve_seconds: float = 2.0
    # Spend guard: paid provider calls per minute / per day across all workers (0 = no cap).
    max_provider_calls_per_minute: int = Field(default=60, ge=0)
    max_provider_calls_per_day: int = Field(default=2000, ge=0)
    # Groq response_format: "auto" = strict json_schema on groq_strict_models, best-effort json_schema
    # elsewhere (JSON mode when the model refuses it); "json_object" = JSON mode only.
    groq_structured_outputs: Literal["auto", "strict", "best_effort", "json_object"] = "auto"
    groq_strict_models: list[str] = Field(default_factory=lambda: ["openai/gpt-oss-20b", "openai/gpt-oss-120b"])
    breaker_failures: int = 3
    breaker_cooldown_seconds: float = 60.0
    local_enabled: bool = True


class MediaSettings(BaseModel):
    max_bytes: int = 20 * 1024 * 1024
    max_pixels: int = 40_000_000
    analysis_max_side: int = 768
    max_keyframes: int = 4
    cloudinary_url: SecretStr | None = None
    cloudinary_folder: str = "chefmentor"
    local_dir: Path | None = None


class VoiceSettings(BaseModel):
    stt_model_path: Path | None = None
    tts_voice_path: Path | None = None
    stt_compute_type: str = "int8"
    stt_threads: int = 2
    silence_ms: int = 500
    sample_rate: int = 16000
    ask_timeout_seconds: float = 3.0
    # The server loads Whisper + Piper in the background at start, so the first command is not 1-3 s slower.
    preload: bool = True


class ServerSettings(BaseModel):
    host: str = "0.0.0.0"  # noqa: S104 - the demo server is meant for phones on the LAN
    port: int = 8000
    cors_origins: list[str] = Field(default_factory=list)
    max_json_bytes: int = 1024 * 1024
    trusted_proxies: list[str] = Field(default_factory=list)
    rate_limit_auth: str = "5/15minute"
    rate_limit_analyze: str = "60/minute"
    rate_limit_default: str = "600/minute"
    # Per client IP (not per actor): demo tokens are free, so these bound what one address can spend.
    rate_limit_demo_start: str = "10/hour"
    rate_limit_expensive_ip: str = "120/minute"
    recipe_cache_ttl_seconds: int = 3600
    # Slow clients cannot hold a connection: request headers must arrive within header_timeout_seconds,
    # and a request body may pause at most body_timeout_seconds between chunks (then 408).
    header_timeout_seconds: float = 10.0
    body_timeout_seconds: float = 30.0
    keep_alive_seconds: int = 5
    # Connections plus requests in flight per worker; beyond it uvicorn answers 503 at once.
    limit_concurrency: int = 256
    # gc.freeze() after startup (server/app.py): keeps ~95 ms full collections out of request latency.
    freeze_gc: bool = True


class ObservabilitySettings(BaseModel):
    log_json: bool | None = None
    sentry_dsn: SecretStr | None = None
    posthog_api_key: SecretStr | None = None
    posthog_host: str = "https://us.i.posthog.com"
    release: str = "chefmentor@0.1.0"
    # GET /metrics: its own listener on metrics_host:metrics_port (0 = none); on the API port only with
    # `Authorization: Bearer <metrics_token>` (without a token it is not served there at all).
    metrics_host: str = "127.0.0.1"
    metrics_port: int = Field(default=9464, ge=0, le=65535)
    metrics_token: SecretStr | None = None


class RecipeDataSettings(BaseModel):
    base_url: str = "https://api.foodoscope.com"
    api_key: SecretStr | None = None
    timeout_seconds: float = 10.0


class JobsSettings(BaseModel):
    demo_grace_hours: int = 24
    # Local media files older than this with no analysis row (a crash mid-upload) are swept away.
    media_grace_minutes: int = 60
    audit_retention_days: int = 90
    audit_batch_size: int = 5000


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CHEFMENTOR_",
        env_nested_delimiter="__",
        extra="ignore",
    )

    env: Literal["dev", "test", "prod"] = "dev"
    home: Path = Field(default_factory=lambda: Path.home() / ".chefmentor")
    offline: bool = False
    db: DbSettings = Field(default_factory=DbSettings)
    redis: RedisSettings = Field(default_factory=RedisSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    ai: AiSettings = Field(default_factory=AiSettings)
    media: MediaSettings = Field(default_factory=MediaSettings)
    voice: VoiceSettings = Field(default_factory=VoiceSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)
    observability: ObservabilitySettings = Field(default_factory=ObservabilitySettings)
    recipe_data: RecipeDataSettings = Field(default_factory=RecipeDataSettings)
    jobs: JobsSettings = Field(default_factory=JobsSettings)

    @property
    def database_url(self) -> str:
        return self.db.url or f"sqlite+aiosqlite:///{self.home / 'chefmentor.db'}"

    @property
    def media_dir(self) -> Path:
        return self.media.local_dir or self.home / "media"

    @property
    def jwt_secret(self) -> str:
        assert self.auth.jwt_secret is not None, "load_settings() always resolves the secret"  # noqa: S101
        return self.auth.jwt_secret.get_secret_value()


def _alias_overrides(environ: dict[str, str]) -> dict[str, dict[str, Any]]:
    nested: dict[str, dict[str, Any]] = {}
    for var, (section, key) in _ALIASES.items():
        value = environ.get(var)
        if value:
            nested.setdefault(section, {})[key] = value
    return nested


def read_env_file(path: Path) -> dict[str, str]:
    if not path.is_file():
        raise ConfigError(f"Env file not found: {path}")
    values: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip().removeprefix("export ").strip()] = value.strip().strip("'\"")
    return values


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _dev_secret(home: Path) -> str:
    """A random dev secret generated once and kept under CHEFMENTOR_HOME (mode 0600)."""
    path = home / "dev-jwt-secret"
    if path.is_file():
        existing = path.read_text(encoding="utf-8").strip()
        if len(existing) >= MIN_SECRET_LENGTH:
            return existing
    home.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value)
    return value


def _resolve_secret(settings: Settings) -> Settings:
    current = settings.auth.jwt_secret.get_secret_value() if settings.auth.jwt_secret else ""
    if current.lower() not in PLACEHOLDER_SECRETS and len(current) >= MIN_SECRET_LENGTH:
        return settings
    if settings.env != "dev":
        raise ConfigError(
            "CHEFMENTOR_JWT_SECRET is missing or a placeholder: set a random value of at least "
            f"{MIN_SECRET_LENGTH} characters (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
        )
    auth = settings.auth.model_copy(update={"jwt_secret": SecretStr(_dev_secret(settings.home))})
    return settings.model_copy(update={"auth": auth})


def load_settings(env_file: str | Path | None = None, **overrides: Any) -> Settings:
    """Build settings from the environment (and an optional env file); overrides are nested dicts."""
    environ: dict[str, str] = {}
    if env_file is not None:
        environ.update(read_env_file(Path(env_file)))
    environ.update(os.environ)
    init: dict[str, Any] = _alias_overrides(environ)
    if env_file is not None:
        file_values = {k: v for k, v in environ.items() if k.startswith("CHEFMENTOR_") and k not in os.environ}
        for key, value in file_values.items():
            path = key.removeprefix("CHEFMENTOR_").lower().split("__")
            if len(path) == 1 and path[0] in Settings.model_fields:
                init.setdefault(path[0], value)
            elif len(path) == 2:
                init.setdefault(path[0], {}).setdefault(path[1], value)
    init = _merge(init, overrides)
    try:
        settings = Settings(**init)
    except Exception as exc:  # pydantic's ValidationError: turn into one readable line
        raise ConfigError(f"Invalid settings: {exc}".splitlines()[0] + " " + _first_error(exc)) from exc
    if settings.offline:
        settings = settings.model_copy(update={"ai": settings.ai.model_copy(update={"providers": ["local"]})})
    return _resolve_secret(settings)


def _first_error(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        loc = ".".join(str(part) for part in first.get("loc", ()))
        return f"({loc}: {first.get('msg')})"
    return ""


def masked_dump(settings: Settings) -> dict[str, Any]:
    """Settings as a plain dict with every secret masked, for `chefmentor config show`."""
    data = settings.model_dump(mode="json")
    data["db"]["url"] = _mask_url(settings.database_url)
    if settings.redis.url:
        data["redis"]["url"] = _mask_url(settings.redis.url)
    return data


def _mask_url(url: str) -> str:
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in creds else f"{scheme}://{user}@{host}"

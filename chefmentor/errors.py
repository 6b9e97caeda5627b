"""The ChefMentorError hierarchy: a stable `code` per class and a CLI exit code.

HTTP statuses live in server/errors.py (one table); the CLI uses `exit_code`.
"""

from __future__ import annotations

from typing import ClassVar


class ChefMentorError(Exception):
    code: ClassVar[str] = "INTERNAL_ERROR"
    exit_code: ClassVar[int] = 1
    default_message: ClassVar[str] = "Something went wrong"

    def __init__(self, message: str | None = None, *, retry_after: float | None = None) -> None:
        self.message = message or self.default_message
        self.retry_after = retry_after
        super().__init__(self.message)


class ConfigError(ChefMentorError):
    code = "CONFIG_ERROR"
    exit_code = 3
    default_message = "Invalid configuration"


class ValidationError(ChefMentorError):
    code = "VALIDATION_ERROR"
    exit_code = 4
    default_message = "Invalid input"


class NotFoundError(ChefMentorError):
    code = "NOT_FOUND"
    exit_code = 5
    default_message = "Not found"


class ConflictError(ChefMentorError):
    code = "CONFLICT"
    exit_code = 6
    default_message = "The resource is in a state that does not allow this"


class MethodNotAllowedError(ChefMentorError):
    code = "METHOD_NOT_ALLOWED"
    exit_code = 2
    default_message = "Method not allowed"


class AuthError(ChefMentorError):
    code = "UNAUTHORIZED"
    exit_code = 7
    default_message = "Authentication required"


class UnauthorizedError(AuthError):
    code = "UNAUTHORIZED"


class InvalidTokenError(AuthError):
    code = "INVALID_TOKEN"
    default_message = "Invalid access token"


class TokenExpiredError(AuthError):
    code = "TOKEN_EXPIRED"
    default_message = "Token expired"


class InvalidRefreshTokenError(AuthError):
    code = "INVALID_REFRESH_TOKEN"
    default_message = "Invalid refresh token"


class InvalidGoogleTokenError(AuthError):
    code = "INVALID_GOOGLE_TOKEN"
    default_message = "Invalid Google ID token"


class ForbiddenError(ChefMentorError):
    code = "FORBIDDEN"
    exit_code = 8
    default_message = "Forbidden"


class DemoRestrictedError(ForbiddenError):
    code = "DEMO_RESTRICTED"
    default_message = "Not available in demo mode: sign in with Google to save a profile"


class MediaError(ChefMentorError):
    exit_code = 9


class PayloadTooLargeError(MediaError):
    code = "PAYLOAD_TOO_LARGE"
    default_message = "Upload too large"


class UnsupportedMediaError(MediaError):
    code = "UNSUPPORTED_MEDIA"
    default_message = "Only JPG, PNG and MP4 files are accepted"


class InvalidMediaError(MediaError):
    code = "INVALID_MEDIA"
    default_message = "The file could not be decoded"


class RateLimitedError(ChefMentorError):
    code = "RATE_LIMITED"
    exit_code = 10
    default_message = "Too many requests"


class ServiceUnavailableError(ChefMentorError):
    code = "SERVICE_UNAVAILABLE"
    exit_code = 11
    default_message = "Service unavailable"


class DatabaseUnavailableError(ServiceUnavailableError):
    default_message = "Database unreachable: check CHEFMENTOR_DATABASE_URL"


class DatabaseNotMigratedError(ServiceUnavailableError):
    default_message = "Database is not migrated: run `chefmentor db upgrade`"


class AuthProviderUnavailableError(ServiceUnavailableError):
    code = "AUTH_PROVIDER_UNAVAILABLE"
    default_message = "Google sign-in is unavailable right now, try again shortly"


class ProviderUnavailableError(ServiceUnavailableError):
    code = "PROVIDER_UNAVAILABLE"
    default_message = "No diagnosis provider is available"


class VoiceUnavailableError(ServiceUnavailableError):
    code = "VOICE_UNAVAILABLE"
    exit_code = 12
    default_message = "Voice is unavailable"


class StorageError(ServiceUnavailableError):
    """A local folder or file (CHEFMENTOR_HOME, the SQLite database) is missing, read-only or not a folder."""

    code = "STORAGE_UNAVAILABLE"
    exit_code = 13
    default_message = "Local storage is not usable: check CHEFMENTOR_HOME and the database path"


ERROR_CLASSES: tuple[type[ChefMentorError], ...] = (
    ChefMentorError,
    ConfigError,
    ValidationError,
    NotFoundError,
    ConflictError,
    AuthError,
    ForbiddenError,
    MediaError,
    RateLimitedError,
    ServiceUnavailableError,
    VoiceUnavailableError,
    StorageError,
)


def exit_code_table() -> str:
    """One line per exit code, for `chefmentor --help`."""
    rows = {cls.exit_code: cls.__name__ for cls in ERROR_CLASSES}
    rows[0] = "ok"
    rows[2] = "usage error"
    return ", ".join(f"{code} {name}" for code, name in sorted(rows.items()))

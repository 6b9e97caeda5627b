"""Provider failures as data: every SDK exception becomes a ProviderError with a stable code.

Services never see SDK exceptions; the fallback chain reads `code` to decide whether to retry,
trip the circuit breaker or move on to the next provider.
"""

from __future__ import annotations

import enum
from typing import Any

from chefmentor.errors import ProviderUnavailableError


class ProviderErrorCode(enum.StrEnum):
    TIMEOUT = "timeout"
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"
    BAD_REQUEST = "bad_request"
    AUTH = "auth"
    MALFORMED = "malformed"
    BLOCKED = "blocked"
    TRUNCATED = "truncated"
    DECOMMISSIONED = "decommissioned"
    UNAVAILABLE = "unavailable"


# A second try may succeed (load, sampling); the others repeat the same answer.
RETRYABLE_CODES = frozenset(
    {
        ProviderErrorCode.TIMEOUT,
        ProviderErrorCode.RATE_LIMITED,
        ProviderErrorCode.SERVER_ERROR,
        ProviderErrorCode.MALFORMED,
        ProviderErrorCode.UNAVAILABLE,
    }
)
# Failures that say the provider (not this one answer) is unhealthy: they feed the circuit breaker.
HEALTH_CODES = frozenset(
    {
        ProviderErrorCode.TIMEOUT,
        ProviderErrorCode.RATE_LIMITED,
        ProviderErrorCode.SERVER_ERROR,
        ProviderErrorCode.UNAVAILABLE,
    }
)
# Only a configuration change fixes these: the breaker opens at once.
PERMANENT_CODES = frozenset({ProviderErrorCode.AUTH, ProviderErrorCode.DECOMMISSIONED})


class ProviderError(Exception):
    """One failed provider call. `retry_after` is the provider's own hint in seconds, if it sent one."""

    def __init__(
        self,
        code: ProviderErrorCode | str,
        message: str = "",
        *,
        provider: str = "",
        retry_after: float | None = None,
        status: int | None = None,
    ) -> None:
        self.code = ProviderErrorCode(code)
        self.message = message or self.code.value
        self.provider = provider
        self.retry_after = retry_after
        self.status = status
        super().__init__(f"{provider or 'provider'}: {self.code.value}: {self.message}")

    @property
    def retryable(self) -> bool:
        return self.code in RETRYABLE_CODES


class DiagnosisUnavailableError(ProviderUnavailableError):
    """Every provider in the chain failed; `attempts` tells which and why (for the pending analysis)."""

    def __init__(self, message: str | None = None, *, attempts: list[Any] | None = None) -> None:
        super().__init__(message)
        self.attempts: list[Any] = list(attempts or [])

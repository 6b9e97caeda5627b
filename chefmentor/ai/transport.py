"""Network-level failures of any SDK (httpx, httpx2, aiohttp, sockets) as ProviderErrors."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from chefmentor.ai.errors import ProviderError, ProviderErrorCode


def _httpx_classes(attr: str) -> tuple[type[BaseException], ...]:
    classes: list[type[BaseException]] = []
    for module_name in ("httpx", "httpx2"):
        try:
            module = __import__(module_name)
        except ImportError:
            continue
        cls = getattr(module, attr, None)
        if isinstance(cls, type) and issubclass(cls, BaseException):
            classes.append(cls)
    return tuple(classes)


def transport_error(exc: BaseException, provider: str) -> ProviderError | None:
    """Map a transport exception to timeout/unavailable; None when it is not a transport failure."""
    if isinstance(exc, TimeoutError | asyncio.TimeoutError) or isinstance(exc, _httpx_classes("TimeoutException")):
        return ProviderError(ProviderErrorCode.TIMEOUT, "the provider did not answer in time", provider=provider)
    if isinstance(exc, _httpx_classes("TransportError")) or isinstance(exc, ConnectionError | OSError):
        return ProviderError(ProviderErrorCode.UNAVAILABLE, f"network error: {type(exc).__name__}", provider=provider)
    if "Timeout" in type(exc).__name__:
        return ProviderError(ProviderErrorCode.TIMEOUT, "the provider did not answer in time", provider=provider)
    return None


@contextmanager
def provider_failures(provider: str, sdk_error: Callable[[Exception], ProviderError | None]) -> Iterator[None]:
    """Turn what an SDK call raises into one ProviderError: `sdk_error` maps the SDK's own exceptions,
    `transport_error` the network ones; anything else (a bug) propagates unchanged."""
    try:
        yield
    except Exception as exc:
        mapped = sdk_error(exc) or transport_error(exc, provider)
        if mapped is None:
            raise
        raise mapped from exc

"""Gemini adapter (google-genai 3.x): structured JSON output with a response schema, images inline.

Every SDK failure becomes a ProviderError; the fallback chain decides about retries (the SDK's own
retries are off: it ignores RetryInfo and would spend our time budget blindly).
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

from chefmentor.ai.errors import ProviderError, ProviderErrorCode
from chefmentor.ai.prompt import PROMPT_VERSION, SYSTEM_PROMPT, build_user_prompt
from chefmentor.ai.schema import DiagnosisAnswer, diagnosis_from_output, served_model
from chefmentor.ai.transport import provider_failures
from chefmentor.ai.types import Diagnosis, DiagnosisRequest
from chefmentor.config import Settings

# Room for 2.5-series "thinking" tokens, which count against this limit, plus a ~1k-token answer.
MAX_OUTPUT_TOKENS = 8192
TEMPERATURE = 0.2
_BLOCK_FINISH_REASONS = frozenset(
    {"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "LANGUAGE"}
)
_TRUNCATED_FINISH_REASONS = frozenset({"MAX_TOKENS"})
_RETRY_IN_TEXT = re.compile(r"retry in ([0-9.]+)\s*s", re.IGNORECASE)


def _duration_seconds(value: Any) -> float | None:
    """google.protobuf Duration as JSON: "47s" or "1.5s"."""
    if isinstance(value, str) and value.endswith("s"):
        try:
            return float(value[:-1])
        except ValueError:
            return None
    return None


def retry_delay_from(details: Any, message: str = "") -> float | None:
    """The server's retry hint: google.rpc.RetryInfo.retryDelay in the error body, else 'retry in Ns' text."""
    body = details.get("error", details) if isinstance(details, dict) else {}
    for item in body.get("details", []) if isinstance(body, dict) else []:
        if isinstance(item, dict) and str(item.get("@type", "")).endswith("google.rpc.RetryInfo"):
            delay = _duration_seconds(item.get("retryDelay"))
            if delay is not None:
                return delay
    found = _RETRY_IN_TEXT.search(message or "")
    return float(found.group(1)) if found else None


def _api_error(exc: Any) -> ProviderError:
    code = int(getattr(exc, "code", 0) or 0)
    status = str(getattr(exc, "status", "") or "")
    message = str(getattr(exc, "message", "") or exc)[:300]
    details = getattr(exc, "details", None)
    if code == 429 or status == "RESOURCE_EXHAUSTED":
        return ProviderError(
            ProviderErrorCode.RATE_LIMITED,
            message,
            provider="gemini",
            retry_after=retry_delay_from(details, message),
            status=code,
        )
    if code in (401, 403) or "API_KEY_INVALID" in json.dumps(details, default=str):
        return ProviderError(ProviderErrorCode.AUTH, message, provider="gemini", status=code)
    if code == 404:
        return ProviderError(ProviderErrorCode.DECOMMISSIONED, message, provider="gemini", status=code)
    if code == 504 or status == "DEADLINE_EXCEEDED":
        return ProviderError(ProviderErrorCode.TIMEOUT, message, provider="gemini", status=code)
    if code >= 500:
        return ProviderError(ProviderErrorCode.SERVER_ERROR, message, provider="gemini", status=code)
    return ProviderError(ProviderErrorCode.BAD_REQUEST, message, provider="gemini", status=code)


def _sdk_error(exc: Exception) -> ProviderError | None:
    from google.genai import errors

    if isinstance(exc, errors.APIError):
        return _api_error(exc)
    if isinstance(exc, json.JSONDecodeError):
        return ProviderError(ProviderErrorCode.MALFORMED, "response body is not JSON", provider="gemini")
    return None


def _enum_name(value: Any) -> str:
    return str(getattr(value, "name", value) or "")


def _usage(response: Any) -> dict[str, int]:
    meta = getattr(response, "usage_metadata", None)
    if meta is None:
        return {}
    fields = {
        "inputTokens": "prompt_token_count",
        "outputTokens": "candidates_token_count",
        "thinkingTokens": "thoughts_token_count",
        "totalTokens": "total_token_count",
    }
    return {key: int(value) for key, attr in fields.items() if (value := getattr(meta, attr, None)) is not None}


class GeminiDiagnoser:
    name = "gemini"
    accepts_images = True

    def __init__(self, settings: Settings) -> None:
        from google import genai
        from google.genai import types

        if settings.ai.gemini_api_key is None or not settings.ai.gemini_api_key.get_secret_value():
            raise ProviderError(
                ProviderErrorCode.AUTH, "No Gemini key: set GEMINI_API_KEY or run offline with --offline"
            )
        self.model = settings.ai.gemini_model
        self._types = types
        # Keep the Client on the adapter: google-genai closes its HTTP client in Client.__del__ (python-genai #1763).
        self._client = genai.Client(
            api_key=settings.ai.gemini_api_key.get_secret_value(),
            http_options=types.HttpOptions(
                base_url=settings.ai.gemini_base_url,
                api_version="v1beta",
                timeout=int(settings.ai.timeout_seconds * 1000),  # milliseconds
            ),
        )

    def _config(self) -> Any:
        types = self._types
        return types.GenerateContentConfig(
            system_instruction=SYSTEM_PROMPT,
            response_mime_type="application/json",
            response_schema=DiagnosisAnswer,
            temperature=TEMPERATURE,
            max_output_tokens=MAX_OUTPUT_TOKENS,
        )

    async def diagnose(self, request: DiagnosisRequest) -> Diagnosis:
        types = self._types
        parts: list[Any] = [types.Part.from_bytes(data=img.data, mime_type=img.mime_type) for img in request.images]
        parts.append(types.Part.from_text(text=build_user_prompt(request)))
        started = time.perf_counter()
        with provider_failures(self.name, _sdk_error):
            response = await self._client.aio.models.generate_content(
                model=self.model,
                contents=[types.Content(role="user", parts=parts)],
                config=self._config(),
            )
        diagnosis = self._read(response, max_step=len(request.steps) or None)
        diagnosis.usage = {**_usage(response), "latencyMs": int((time.perf_counter() - started) * 1000)}
        return diagnosis

    def _read(self, response: Any, *, max_step: int | None) -> Diagnosis:
        feedback = getattr(response, "prompt_feedback", None)
        if feedback is not None and getattr(feedback, "block_reason", None):
            reason = _enum_name(feedback.block_reason)
            raise ProviderError(ProviderErrorCode.BLOCKED, f"prompt blocked: {reason}", provider=self.name)
        candidates = getattr(response, "candidates", None) or []
        if not candidates:
            raise ProviderError(ProviderErrorCode.MALFORMED, "no candidates in the answer", provider=self.name)
        finish = _enum_name(getattr(candidates[0], "finish_reason", None))
        if finish in _BLOCK_FINISH_REASONS:
            raise ProviderError(ProviderErrorCode.BLOCKED, f"answer blocked: {finish}", provider=self.name)
        if finish in _TRUNCATED_FINISH_REASONS:
            raise ProviderError(ProviderErrorCode.TRUNCATED, "answer cut off at the token limit", provider=self.name)
        content = getattr(candidates[0], "content", None)
        texts = [
            part.text
            for part in (getattr(content, "parts", None) or [])
            if getattr(part, "text", None) and not getattr(part, "thought", False)
        ]
        # `response.parsed` is silently None for malformed/truncated JSON, so we validate the text ourselves.
        model = served_model(self.model, getattr(response, "model_version", None))
        return diagnosis_from_output("".join(texts), provider=self.name, model=model, max_step=max_step)


__all__ = ["PROMPT_VERSION", "GeminiDiagnoser", "retry_delay_from"]

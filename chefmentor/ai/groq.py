"""Groq adapter (groq 1.x, OpenAI-style chat completions): vision model, structured outputs, no leaked reasoning.

Structured outputs (`response_format` json_schema): strict (constrained decoding) on the models listed in
`ai.groq_strict_models`, best-effort json_schema on the others; a model that refuses json_schema (400) is
asked again at once in JSON mode, and keeps JSON mode for the life of the adapter. Whatever the mode, the
answer is validated (chefmentor/ai/schema.py) before it counts.
The SDK's own retries are off (max_retries=0): the fallback chain owns retries and the time budget.
"""

from __future__ import annotations

import base64
import re
import time
from typing import Any

from chefmentor.ai.errors import ProviderError, ProviderErrorCode
from chefmentor.ai.prompt import SYSTEM_PROMPT, build_user_prompt
from chefmentor.ai.schema import answer_json_schema, diagnosis_from_output, served_model
from chefmentor.ai.transport import provider_failures
from chefmentor.ai.types import Diagnosis, DiagnosisRequest
from chefmentor.config import Settings

# Hidden reasoning still spends completion tokens on Qwen; the answer itself is ~1k tokens.
MAX_COMPLETION_TOKENS = 4096
TEMPERATURE = 0.2
# Groq vision models take at most 5 images per request.
MAX_IMAGES = 5
_TRY_AGAIN_IN = re.compile(r"try again in ([0-9.]+)\s*(ms|s)\b", re.IGNORECASE)
SCHEMA_NAME = "diagnosis"
JSON_MODE = {"type": "json_object"}
StructuredMode = str  # "strict" | "best_effort" | "json_object"


def structured_mode(setting: str, model: str, strict_models: list[str]) -> StructuredMode:
    if setting != "auto":
        return setting
    return "strict" if model in strict_models else "best_effort"


def response_format(mode: StructuredMode) -> dict[str, Any]:
    if mode == "json_object":
        return dict(JSON_MODE)
    schema = {"name": SCHEMA_NAME, "strict": mode == "strict", "schema": answer_json_schema()}
    return {"type": "json_schema", "json_schema": schema}


def refuses_json_schema(exc: BaseException) -> bool:
    """A 400 saying this model does not do json_schema (not a generation that failed validation)."""
    if int(getattr(exc, "status_code", 0) or 0) != 400:
        return False
    code, message = _error_body(exc)
    lowered = message.lower()
    return code != "json_validate_failed" and ("json_schema" in lowered or "response_format" in lowered)


def _reasoning_options(model: str) -> dict[str, Any]:
    """Keep reasoning out of `content`: Qwen/DeepSeek default to raw <think> text (Groq docs/reasoning)."""
    lowered = model.lower()
    if lowered.startswith("openai/gpt-oss"):
        return {"include_reasoning": False}
    if lowered.startswith(("qwen/", "deepseek")):
        return {"reasoning_format": "hidden"}
    return {}


def _header(headers: Any, name: str) -> str | None:
    try:
        value = headers.get(name)
    except AttributeError:
        return None
    return str(value) if value is not None else None


def retry_after_from(headers: Any, message: str = "") -> float | None:
    """retry-after-ms, retry-after (seconds), or the 'try again in 7.66s' text of the error body."""
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        raw = _header(headers, name)
        if raw:
            try:
                return max(0.0, float(raw) * scale)
            except ValueError:
                continue
    found = _TRY_AGAIN_IN.search(message)
    if found:
        value = float(found.group(1))
        return value / 1000 if found.group(2).lower() == "ms" else value
    return None


def _error_body(exc: Any) -> tuple[str, str]:
    body = getattr(exc, "body", None)
    error = body.get("error", body) if isinstance(body, dict) else {}
    if not isinstance(error, dict):
        return "", str(body or exc)[:300]
    return str(error.get("code") or ""), str(error.get("message") or exc)[:300]


def _status_error(exc: Any) -> ProviderError:
    status = int(getattr(exc, "status_code", 0) or 0)
    code, message = _error_body(exc)
    headers = getattr(getattr(exc, "response", None), "headers", None)
    if code in ("model_decommissioned", "model_not_found") or status == 404:
        return ProviderError(ProviderErrorCode.DECOMMISSIONED, message, provider="groq", status=status)
    if status == 429:
        return ProviderError(
            ProviderErrorCode.RATE_LIMITED,
            message,
            provider="groq",
            retry_after=retry_after_from(headers, message),
            status=status,
        )
    if status in (401, 403):
        return ProviderError(ProviderErrorCode.AUTH, message, provider="groq", status=status)
    if code == "json_validate_failed":
        return ProviderError(ProviderErrorCode.MALFORMED, message, provider="groq", status=status)
    if status == 498:  # flex tier out of capacity
        return ProviderError(ProviderErrorCode.UNAVAILABLE, message, provider="groq", status=status)
    if status >= 500:
        return ProviderError(ProviderErrorCode.SERVER_ERROR, message, provider="groq", status=status)
    return ProviderError(ProviderErrorCode.BAD_REQUEST, message, provider="groq", status=status)


def _sdk_error(exc: Exception) -> ProviderError | None:
    import groq

    if isinstance(exc, groq.APITimeoutError):
        return ProviderError(ProviderErrorCode.TIMEOUT, "Groq did not answer in time", provider="groq")
    if isinstance(exc, groq.APIConnectionError):
        return ProviderError(ProviderErrorCode.UNAVAILABLE, f"network error: {exc}", provider="groq")
    if isinstance(exc, groq.APIStatusError):
        return _status_error(exc)
    if isinstance(exc, ValueError):  # a 200 whose body is not JSON
        return ProviderError(ProviderErrorCode.MALFORMED, "response body is not JSON", provider="groq")
    return None


class GroqDiagnoser:
    name = "groq"
    accepts_images = True

    def __init__(self, settings: Settings) -> None:
        from groq import AsyncGroq

        if settings.ai.groq_api_key is None or not settings.ai.groq_api_key.get_secret_value():
            raise ProviderError(ProviderErrorCode.AUTH, "No Groq key: set GROQ_API_KEY or run offline with --offline")
        self.model = settings.ai.groq_model
        # base_url without /openai/v1: the SDK appends it to every path (a pasted OpenAI-style URL still works).
        base_url = settings.ai.groq_base_url
        if base_url:
            base_url = base_url.rstrip("/").removesuffix("/openai/v1")
        self._client = AsyncGroq(
            api_key=settings.ai.groq_api_key.get_secret_value(),
            base_url=base_url,
            max_retries=0,
            timeout=settings.ai.timeout_seconds,
        )
        self.mode = structured_mode(settings.ai.groq_structured_outputs, self.model, settings.ai.groq_strict_models)

    def _messages(self, request: DiagnosisRequest) -> list[dict[str, Any]]:
        content: list[dict[str, Any]] = [{"type": "text", "text": build_user_prompt(request)}]
        for image in request.images[:MAX_IMAGES]:
            encoded = base64.b64encode(image.data).decode("ascii")
            content.append({"type": "image_url", "image_url": {"url": f"data:{image.mime_type};base64,{encoded}"}})
        # Images are only allowed in user messages; the system prompt asks for JSON as json_object mode requires.
        return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": content}]

    async def diagnose(self, request: DiagnosisRequest) -> Diagnosis:
        arguments: dict[str, Any] = {
            "model": self.model,
            "messages": self._messages(request),
            "response_format": response_format(self.mode),
            "temperature": TEMPERATURE,
            "max_completion_tokens": MAX_COMPLETION_TOKENS,
            **_reasoning_options(self.model),
        }
        started = time.perf_counter()
        with provider_failures(self.name, _sdk_error):
            try:
                completion = await self._client.chat.completions.create(**arguments)
            except Exception as exc:
                if self.mode == "json_object" or not refuses_json_schema(exc):
                    raise
                self.mode = "json_object"  # this model does not do json_schema: JSON mode + validation
                arguments["response_format"] = response_format(self.mode)
                completion = await self._client.chat.completions.create(**arguments)
        diagnosis = self._read(completion, max_step=len(request.steps) or None)
        usage = getattr(completion, "usage", None)
        diagnosis.usage = {
            "inputTokens": int(getattr(usage, "prompt_tokens", 0) or 0),
            "outputTokens": int(getattr(usage, "completion_tokens", 0) or 0),
            "latencyMs": int((time.perf_counter() - started) * 1000),
        }
        return diagnosis

    def _read(self, completion: Any, *, max_step: int | None) -> Diagnosis:
        choices = getattr(completion, "choices", None) or []
        if not choices:
            raise ProviderError(ProviderErrorCode.MALFORMED, "no choices in the answer", provider=self.name)
        finish = str(getattr(choices[0], "finish_reason", "") or "")
        if finish == "length":
            raise ProviderError(ProviderErrorCode.TRUNCATED, "answer cut off at the token limit", provider=self.name)
        if finish == "content_filter":
            raise ProviderError(ProviderErrorCode.BLOCKED, "answer blocked by the content filter", provider=self.name)
        content = getattr(getattr(choices[0], "message", None), "content", None)
        model = served_model(self.model, getattr(completion, "model", None))
        return diagnosis_from_output(content, provider=self.name, model=model, max_step=max_step)

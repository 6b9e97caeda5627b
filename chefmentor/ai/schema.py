"""The diagnosis answer schema, and the validator that turns untrusted model output into a Diagnosis.

Model output is untrusted input (OWASP API10): closed category set, bounded sizes, clamped
confidence, no control characters. Anything that does not fit is a failed attempt, never a diagnosis.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from pydantic import BaseModel

from chefmentor.ai.errors import ProviderError, ProviderErrorCode
from chefmentor.ai.safety import normalize_safety
from chefmentor.ai.types import ALL_CATEGORIES, UNKNOWN, CategoryName, Diagnosis

MAX_OUTPUT_CHARS = 20_000
MAX_ROOT_CAUSE = 300
MAX_EXPLANATION = 1500
MAX_FIX_NOW = 600
MAX_ITEM = 300
MAX_ITEMS = 6
MAX_SAFETY = 5
MAX_SAFETY_FLAG = 48
# Below this the engine abstains: a wrong confident cause is worse than "not sure" for a cook.
ABSTAIN_BELOW = 0.3


class DiagnosisAnswer(BaseModel):
    """The JSON object the LLM providers must answer with (sent to Gemini as its response schema)."""

    category: CategoryName
    root_cause: str
    explanation: str
    evidence: list[str]
    suspected_step: int | None
    fix_now: str
    next_time: list[str]
    confidence: float
    safety: list[str]


ANSWER_KEYS = tuple(DiagnosisAnswer.model_fields)

_FENCE = re.compile(r"^\s*```(?:json|JSON)?\s*\n?(?P<body>.*?)\n?\s*```\s*$", re.DOTALL)
_THINK = re.compile(r"<think>.*?(?:</think>|$)", re.DOTALL | re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def _malformed(message: str, provider: str) -> ProviderError:
    return ProviderError(ProviderErrorCode.MALFORMED, message, provider=provider)


def extract_json_text(text: str) -> str:
    """Drop leaked reasoning and a Markdown fence around the JSON (defensive: JSON mode should prevent both)."""
    cleaned = _THINK.sub("", text).strip()
    fenced = _FENCE.match(cleaned)
    if fenced:
        return fenced["body"].strip()
    if not cleaned.startswith("{") and "{" in cleaned and cleaned.rstrip().endswith("}"):
        return cleaned[cleaned.index("{") :]
    return cleaned


def _text(value: Any, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        return ""
    clean = _CONTROL.sub(" ", str(value)).strip()
    clean = re.sub(r"[ \t]{2,}", " ", clean)
    return clean if len(clean) <= limit else clean[: limit - 1].rstrip() + "…"


def _text_list(value: Any, limit: int, max_items: int) -> list[str]:
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    out = [_text(item, limit) for item in items]
    return [item for item in out if item][:max_items]


def _safety_flags(value: Any) -> list[str]:
    return normalize_safety(_text_list(value, MAX_SAFETY_FLAG * 2, MAX_SAFETY * 2))


def _confidence(value: Any, provider: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _malformed("confidence is not a number", provider)
    try:
        number = float(value)
    except ValueError as exc:
        raise _malformed("confidence is not a number", provider) from exc
    if math.isnan(number) or math.isinf(number):
        raise _malformed("confidence is not finite", provider)
    if 1.0 < number <= 100.0:  # a percentage
        number /= 100.0
    return min(1.0, max(0.0, number))


def _step(value: Any, max_step: int | None) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        step = int(value)
    except (TypeError, ValueError):
        return None
    if step < 1 or (max_step is not None and step > max_step) or step > 200:
        return None
    return step


def _snake_keys(data: dict[str, Any]) -> dict[str, Any]:
    return {_CAMEL.sub("_", str(key)).lower(): value for key, value in data.items()}


def diagnosis_from_output(text: str | None, *, provider: str, model: str, max_step: int | None = None) -> Diagnosis:
    """Validate one model answer; raises ProviderError(malformed) when it is not a usable diagnosis."""
    if not text or not text.strip():
        raise _malformed("empty answer", provider)
    if len(text) > MAX_OUTPUT_CHARS:
        raise _malformed("answer too long", provider)
    try:
        raw = json.loads(extract_json_text(text))
    except (json.JSONDecodeError, RecursionError) as exc:
        raise _malformed("answer is not valid JSON", provider) from exc
    if not isinstance(raw, dict):
        raise _malformed("answer is not a JSON object", provider)
    return diagnosis_from_mapping(raw, provider=provider, model=model, max_step=max_step)


def diagnosis_from_mapping(raw: dict[str, Any], *, provider: str, model: str, max_step: int | None = None) -> Diagnosis:
    data = _snake_keys(raw)
    category = str(data.get("category", "")).strip().lower()
    if category not in ALL_CATEGORIES:
        raise _malformed(f"category {category[:40]!r} is not in the closed set", provider)
    confidence = _confidence(data.get("confidence"), provider)
    root_cause = _text(data.get("root_cause"), MAX_ROOT_CAUSE)
    explanation = _text(data.get("explanation"), MAX_EXPLANATION)
    if category != UNKNOWN and not root_cause:
        raise _malformed("a category without a root cause", provider)
    if category != UNKNOWN and confidence < ABSTAIN_BELOW:
        root_cause = _text(f"Not enough evidence to be sure (best guess: {category}). {root_cause}", MAX_ROOT_CAUSE)
        category = UNKNOWN
    return Diagnosis(
        category=category,
        root_cause=root_cause or "Not enough evidence to name a cause",
        explanation=explanation,
        evidence=_text_list(data.get("evidence"), MAX_ITEM, MAX_ITEMS),
        suspected_step=_step(data.get("suspected_step"), max_step),
        fix_now=_text(data.get("fix_now"), MAX_FIX_NOW),
        next_time=_text_list(data.get("next_time"), MAX_ITEM, MAX_ITEMS),
        confidence=confidence,
        safety=_safety_flags(data.get("safety")),
        provider=provider,
        model=model,
    )


def served_model(requested: str, served_by: Any) -> str:
    """The model version the provider says answered (bounded), else the one that was asked for."""
    return served_by[:100] if isinstance(served_by, str) and served_by else requested


def answer_json_schema() -> dict[str, Any]:
    """DiagnosisAnswer as a JSON Schema that strict structured outputs accept (OpenAI/Groq subset).

    Strict mode wants every property required and `additionalProperties: false` on every object; an
    optional value is a union with null. Sizes are not expressed here (not every provider supports
    them): `diagnosis_from_mapping` bounds them after the answer arrives.
    """
    strings: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
    properties: dict[str, Any] = {
        "category": {"type": "string", "enum": list(ALL_CATEGORIES)},
        "root_cause": {"type": "string"},
        "explanation": {"type": "string"},
        "evidence": strings,
        "suspected_step": {"type": ["integer", "null"]},
        "fix_now": {"type": "string"},
        "next_time": strings,
        "confidence": {"type": "number"},
        "safety": strings,
    }
    assert tuple(properties) == ANSWER_KEYS  # noqa: S101 - one answer shape for every provider
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}

"""Optional LLM answers to free cooking questions (Groq), used only when the recipe and the knowledge base
have nothing; a short timeout keeps a slow network from stalling a cook with their hands full."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chefmentor.config import Settings
    from chefmentor.recipes.schemas import RecipeRead, RecipeStepRead

SYSTEM_PROMPT = (
    "You are a kitchen assistant speaking aloud to someone who is cooking. Answer the question in at most two "
    "short sentences, practical and specific to the recipe and step given. If food safety is involved, say so. "
    'Reply with JSON only: {"answer": "..."}'
)
MAX_ANSWER_CHARS = 400
_THINK = re.compile(r"<think>.*?</think>", re.DOTALL)
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")


class LlmAnswerer:
    """Groq chat completion in JSON mode; every failure (timeout, HTTP error, bad JSON) returns None."""

    name = "groq"

    def __init__(self, settings: Settings) -> None:
        from groq import AsyncGroq

        assert settings.ai.groq_api_key is not None  # noqa: S101 - build_answerer checked it
        self.model = settings.ai.groq_model
        base_url = settings.ai.groq_base_url
        if base_url:
            base_url = base_url.rstrip("/").removesuffix("/openai/v1")
        self.timeout = settings.voice.ask_timeout_seconds
        self._client = AsyncGroq(
            api_key=settings.ai.groq_api_key.get_secret_value(),
            base_url=base_url,
            max_retries=0,
            timeout=self.timeout,
        )

    async def answer(self, question: str, recipe: RecipeRead | None, step: RecipeStepRead | None) -> str | None:
        import asyncio

        try:
            completion = await asyncio.wait_for(
                self._client.chat.completions.create(
                    model=self.model,
                    messages=[
                        {"role": "system", "content": SYSTEM_PROMPT},
                        {"role": "user", "content": _user_prompt(question, recipe, step)},
                    ],
                    response_format={"type": "json_object"},
                    temperature=0.2,
                    max_completion_tokens=300,
                ),
                timeout=self.timeout,
            )
        except Exception:  # the recipe-only answer is always there as a fallback
            return None
        return _read_answer(completion)


def _user_prompt(question: str, recipe: RecipeRead | None, step: RecipeStepRead | None) -> str:
    lines: list[str] = []
    if recipe is not None:
        lines.append(f"Recipe: {recipe.name}")
        if recipe.ingredients:
            lines.append("Ingredients: " + "; ".join(i.text for i in recipe.ingredients[:40]))
    if step is not None:
        lines.append(f"Current step {step.step_number}: {step.instruction}")
        if step.expected_state:
            lines.append(f"Expected state: {step.expected_state}")
    lines.append(f"Question: {question[:500]}")
    return "\n".join(lines)


def _read_answer(completion: Any) -> str | None:
    try:
        content = completion.choices[0].message.content or ""
        text = _FENCE.sub("", _THINK.sub("", content).strip())
        answer = json.loads(text).get("answer")
    except (AttributeError, IndexError, ValueError, TypeError):
        return None
    if not isinstance(answer, str) or not answer.strip():
        return None
    return answer.strip()[:MAX_ANSWER_CHARS]


def build_answerer(settings: Settings) -> LlmAnswerer | None:
    """An answerer when Groq is configured and allowed (not offline, listed in ai.providers), else None."""
    key = settings.ai.groq_api_key
    if settings.offline or "groq" not in settings.ai.providers or key is None or not key.get_secret_value():
        return None
    return LlmAnswerer(settings)

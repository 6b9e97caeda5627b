"""`voice eval`: intent accuracy on a JSON Lines case file, from the text or from recorded audio."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chefmentor.errors import ValidationError
from chefmentor.voice.intents import Intent, ParseContext, understand


@dataclass(frozen=True, slots=True)
class VoiceCase:
    id: str
    text: str
    intent: str
    slots: dict[str, Any]
    # Optional: the recording condition (voice, noise) reported separately, the recipe's words the assistant
    # would bias recognition with, and the timers running when the command was said.
    condition: str | None = None
    hints: tuple[str, ...] = ()
    timers: tuple[str, ...] = ()

    def context(self) -> ParseContext:
        return ParseContext(timer_names=self.timers, recipe_words=self.hints)


def load_cases(path: Path) -> list[VoiceCase]:
    """Parse the case file; a malformed line is an error naming its line number."""
    if not path.is_file():
        raise ValidationError(f"Case file not found: {path}")
    cases: list[VoiceCase] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            expected = raw["expected"]
            cases.append(
                VoiceCase(
                    str(raw["id"]),
                    str(raw.get("text", "")),
                    str(expected["intent"]),
                    expected.get("slots") or {},
                    str(raw["condition"]) if raw.get("condition") else None,
                    tuple(str(h) for h in raw.get("hints") or ()),
                    tuple(str(t) for t in raw.get("timers") or ()),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValidationError(f"{path}:{number}: not a voice case ({exc})") from exc
    return cases


def slots_match(expected: dict[str, Any], actual: dict[str, Any]) -> bool:
    """Every expected slot present with the same value (names compare case-insensitively)."""
    for key, value in expected.items():
        got = actual.get(key)
        if isinstance(value, str) and isinstance(got, str):
            if value.strip().lower() != got.strip().lower():
                return False
        elif got != value:
            return False
    return True


def is_correct(case: VoiceCase, intent: Intent) -> bool:
    return intent.name == case.intent and slots_match(case.slots, intent.slots)


def evaluate(
    cases: list[VoiceCase],
    *,
    transcribe: Callable[[VoiceCase], str] | None = None,
) -> dict[str, Any]:
    """Accuracy document per CONTRACTS.md; with `transcribe`, the text comes from audio and the text
    accuracy is reported next to it so recognition errors and grammar errors can be told apart."""
    rows: list[dict[str, Any]] = []
    correct = text_correct = asked_back = 0
    for case in cases:
        transcript = transcribe(case) if transcribe is not None else case.text
        intent = understand(transcript, case.context())
        ok = is_correct(case, intent)
        text_ok = ok if transcribe is None else is_correct(case, understand(case.text, case.context()))
        correct += ok
        text_correct += text_ok
        asked_back += intent.needs_confirmation
        rows.append(
            {
                "id": case.id,
                "text": case.text,
                "transcript": transcript,
                "expected": case.intent,
                "predicted": intent.name,
                "expectedSlots": case.slots,
                "predictedSlots": intent.slots,
                "correct": ok,
                "askedBack": intent.needs_confirmation,
                **({"condition": case.condition} if case.condition else {}),
            }
        )
    total = len(cases)
    document: dict[str, Any] = {
        "accuracy": _ratio(correct, total),
        "correct": correct,
        "total": total,
        "source": "audio" if transcribe is not None else "text",
        "textAccuracy": _ratio(text_correct, total),
        # Unsure guesses the assistant would offer back ("Did you mean ...?") instead of acting on them.
        "askedBack": asked_back,
    }
    if transcribe is not None:
        document["audioAccuracy"] = _ratio(correct, total)
    conditions = sorted({c.condition for c in cases if c.condition})
    if conditions:
        document["conditions"] = {
            name: _summary([r for r in rows if r.get("condition") == name]) for name in conditions
        }
    document["cases"] = rows
    return document


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    correct = sum(bool(r["correct"]) for r in rows)
    return {"accuracy": _ratio(correct, len(rows)), "correct": correct, "total": len(rows)}


def _ratio(part: int, total: int) -> float:
    return round(part / total, 4) if total else 0.0

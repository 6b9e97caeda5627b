"""`voice eval`: intent accuracy on a JSON Lines case file, from the text or from recorded audio."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chefmentor.errors import ValidationError
from chefmentor.voice.intents import Intent, understand


@dataclass(frozen=True, slots=True)
class VoiceCase:
    id: str
    text: str
    intent: str
    slots: dict[str, Any]


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
                    str(raw["id"]), str(raw.get("text", "")), str(expected["intent"]), expected.get("slots") or {}
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
    """Accuracy document per CONTRACTS.md; with `transcribe`, the text comes from audio."""
    rows: list[dict[str, Any]] = []
    correct = 0
    for case in cases:
        transcript = transcribe(case) if transcribe is not None else case.text
        intent = understand(transcript)
        ok = is_correct(case, intent)
        correct += ok
        rows.append(
            {
                "id": case.id,
                "text": case.text,
                "transcript": transcript,
                "expected": {"intent": case.intent, "slots": case.slots},
                "predicted": {"intent": intent.name, "slots": intent.slots},
                "correct": ok,
            }
        )
    accuracy = correct / len(cases) if cases else 0.0
    return {
        "accuracy": round(accuracy, 4),
        "correct": correct,
        "total": len(cases),
        "source": "audio" if transcribe is not None else "text",
        "cases": rows,
    }

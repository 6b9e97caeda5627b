"""Evaluation case files (JSON Lines): parse, validate every line, and hash each case's content."""

from __future__ import annotations

import difflib
import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chefmentor.ai.types import ALL_CATEGORIES, StepTelemetry
from chefmentor.errors import ValidationError
from chefmentor.failure.service import MAX_DISH_CHARS, MAX_NOTES_CHARS

CASE_KEYS = frozenset({"id", "dish", "notes", "media", "session", "expected", "tags", "recipe"})
SESSION_KEYS = frozenset({"steps"})
EXPECTED_KEYS = frozenset({"category"})
HEAT_WORDS = frozenset({"off", "very low", "low", "medium-low", "medium", "medium-high", "high", "very high", "max"})
# camelCase (the contract) and snake_case spellings of each step field
STEP_ALIASES: dict[str, str] = {
    "step": "step_number", "stepNumber": "step_number", "step_number": "step_number",
    "instruction": "instruction",
    "expectedState": "expected_state", "expected_state": "expected_state",
    "expectedMinutes": "expected_minutes", "expected_minutes": "expected_minutes",
    "actualMinutes": "actual_minutes", "actual_minutes": "actual_minutes",
    "heat": "actual_heat", "actualHeat": "actual_heat", "actual_heat": "actual_heat",
    "expectedHeat": "expected_heat", "expected_heat": "expected_heat",
    "skipped": "skipped", "notes": "notes",
}  # fmt: skip
MAX_ERRORS_SHOWN = 10


@dataclass(frozen=True)
class EvalCase:
    id: str
    expected: str
    line: int
    dish: str | None = None
    notes: str = ""
    media: Path | None = None
    steps: tuple[StepTelemetry, ...] = ()
    recipe: str | None = None
    tags: tuple[str, ...] = ()
    content_hash: str = ""


@dataclass(frozen=True)
class CaseError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class CaseSet:
    path: Path
    cases: list[EvalCase] = field(default_factory=list)
    errors: list[CaseError] = field(default_factory=list)


class _Invalid(Exception):
    pass


def _suggest(key: str, allowed: frozenset[str] | set[str]) -> str:
    close = difflib.get_close_matches(key, sorted(allowed), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check_keys(obj: dict[str, Any], allowed: frozenset[str] | set[str], where: str) -> None:
    for key in obj:
        if key not in allowed:
            raise _Invalid(f"unknown key {key!r} in {where}{_suggest(key, allowed)}")


def _opt_str(obj: dict[str, Any], key: str, where: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Invalid(f"{where}{key} must be a string, got {type(value).__name__}")
    return value


def _minutes(value: Any, name: str, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise _Invalid(f"{where}{name} must be a number >= 0, got {value!r}")
    return float(value)


def _heat(value: Any, name: str, where: str) -> str | None:
    if value is None:
        return None
    normalized = str(value).strip().lower().replace("_", "-").replace(" ", "-").replace("very-", "very ")
    if not isinstance(value, str) or normalized not in HEAT_WORDS:
        raise _Invalid(f"{where}{name} must be one of {', '.join(sorted(HEAT_WORDS))}, got {value!r}")
    return normalized.replace("very-", "very ")


def _step(raw: Any, index: int) -> StepTelemetry:
    where = f"session.steps[{index}]."
    if not isinstance(raw, dict):
        raise _Invalid(f"session.steps[{index}] must be an object")
    _check_keys(raw, set(STEP_ALIASES), f"session.steps[{index}]")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        field_name = STEP_ALIASES[key]
        if field_name in values:
            raise _Invalid(f"{where}{key} given twice (camelCase and snake_case)")
        values[field_name] = value
    number = values.get("step_number", index + 1)
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise _Invalid(f"{where}step must be an integer >= 1, got {number!r}")
    notes = values.get("notes") or ()
    if isinstance(notes, str):
        notes = (notes,)
    if not isinstance(notes, list | tuple) or not all(isinstance(n, str) for n in notes):
        raise _Invalid(f"{where}notes must be a string or a list of strings")
    skipped = values.get("skipped", False)
    if not isinstance(skipped, bool):
        raise _Invalid(f"{where}skipped must be true or false")
    return StepTelemetry(
        step_number=number,
        instruction=_opt_str(values, "instruction", where) or "",
        expected_state=_opt_str(values, "expected_state", where),
        expected_minutes=_minutes(values.get("expected_minutes"), "expectedMinutes", where),
        actual_minutes=_minutes(values.get("actual_minutes"), "actualMinutes", where),
        expected_heat=_heat(values.get("expected_heat"), "expectedHeat", where),
        actual_heat=_heat(values.get("actual_heat"), "heat", where),
        skipped=skipped,
        notes=tuple(notes),
    )


def _media_path(value: Any, base_dir: Path) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid("media must be a non-empty relative path")
    relative = Path(value)
    if relative.is_absolute() or ".." in relative.parts:
        raise _Invalid(f"media must be a path relative to the case file, inside its folder: {value!r}")
    path = base_dir / relative
    if not path.is_file():
        raise _Invalid(f"media file not found: {value} (looked in {base_dir})")
    return path


def content_hash(case: EvalCase) -> str:
    """What the provider sees (not the id or expected label): editing a label keeps the cached answer."""
    payload = {
        "dish": case.dish,
        "recipe": case.recipe,
        "notes": case.notes,
        "steps": [
            [s.step_number, s.instruction, s.expected_state, s.expected_minutes, s.actual_minutes,
             s.expected_heat, s.actual_heat, s.skipped, list(s.notes)]
            for s in case.steps
        ],
        "media": hashlib.sha256(case.media.read_bytes()).hexdigest() if case.media else None,
    }  # fmt: skip
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def parse_case(raw: Any, *, line: int, base_dir: Path) -> EvalCase:
    if not isinstance(raw, dict):
        raise _Invalid("each line must be a JSON object")
    _check_keys(raw, CASE_KEYS, "the case")
    case_id = raw.get("id")
    if not isinstance(case_id, str | int) or isinstance(case_id, bool) or not str(case_id).strip():
        raise _Invalid("id is required (a non-empty string)")
    expected = raw.get("expected")
    if not isinstance(expected, dict) or "category" not in expected:
        raise _Invalid('expected is required: {"category": "..."}')
    _check_keys(expected, EXPECTED_KEYS, "expected")
    category = expected["category"]
    if category not in ALL_CATEGORIES:
        hint = _suggest(str(category), set(ALL_CATEGORIES))
        raise _Invalid(f"expected.category {category!r} is not a diagnosis category{hint}")
    notes = _opt_str(raw, "notes", "") or ""
    if len(notes.strip()) > MAX_NOTES_CHARS:
        raise _Invalid(f"notes longer than {MAX_NOTES_CHARS} characters (the API's limit)")
    if len((_opt_str(raw, "dish", "") or "").strip()) > MAX_DISH_CHARS:
        raise _Invalid(f"dish longer than {MAX_DISH_CHARS} characters (the API's limit)")
    steps: tuple[StepTelemetry, ...] = ()
    session = raw.get("session")
    if session is not None:
        if not isinstance(session, dict) or not isinstance(session.get("steps"), list):
            raise _Invalid('session must be an object with a "steps" list')
        _check_keys(session, SESSION_KEYS, "session")
        steps = tuple(_step(step, i) for i, step in enumerate(session["steps"]))
    tags = raw.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise _Invalid("tags must be a list of strings")
    case = EvalCase(
        id=str(case_id).strip(),
        expected=category,
        line=line,
        dish=_opt_str(raw, "dish", ""),
        notes=notes,
        media=_media_path(raw["media"], base_dir) if raw.get("media") is not None else None,
        steps=steps,
        recipe=_opt_str(raw, "recipe", ""),
        tags=tuple(tags),
    )
    return EvalCase(**{**case.__dict__, "content_hash": content_hash(case)})


def parse_lines(lines: list[str], *, path: Path) -> CaseSet:
    result = CaseSet(path=path)
    seen: dict[str, int] = {}
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            result.errors.append(CaseError(number, f"not valid JSON: {exc.msg} (column {exc.colno})"))
            continue
        try:
            case = parse_case(raw, line=number, base_dir=path.parent)
        except _Invalid as exc:
            result.errors.append(CaseError(number, str(exc)))
            continue
        if case.id in seen:
            result.errors.append(CaseError(number, f"duplicate id {case.id!r} (first on line {seen[case.id]})"))
            continue
        seen[case.id] = number
        result.cases.append(case)
    return result


def load_cases(path: str | Path, *, skip_invalid: bool = False) -> CaseSet:
    """Every line is validated; any bad line refuses the whole run unless skip_invalid is set."""
    file = Path(path)
    if not file.is_file():
        raise ValidationError(f"Case file not found: {file}")
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise ValidationError(f"{file} is not UTF-8 text: {exc}") from exc
    result = parse_lines(lines, path=file)
    if result.errors and not skip_invalid:
        shown = "; ".join(str(e) for e in result.errors[:MAX_ERRORS_SHOWN])
        more = len(result.errors) - MAX_ERRORS_SHOWN
        suffix = f"; and {more} more" if more > 0 else ""
        raise ValidationError(
            f"{file}: {len(result.errors)} invalid case line(s): {shown}{suffix}. Fix them or pass --skip-invalid."
        )
    if not result.cases:
        raise ValidationError(f"{file} holds no valid cases")
    return result

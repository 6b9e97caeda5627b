"""API schema rules: closed sets named once and equal to their sources, typed step-event data, required fields."""

from __future__ import annotations

import uuid

import pytest
from pydantic import ValidationError

from chefmentor.ai.types import ALL_CATEGORIES
from chefmentor.cooking.schemas import STEP_EVENT_DATA_SCHEMA, CookingSessionRead, StepEventCreate
from chefmentor.failure.schemas import AnalysisRead, DiagnosisCategory, NoteCreate
from chefmentor.profile.schemas import ProfileRead
from chefmentor.voice.grammar import INTENTS
from chefmentor.voice.schemas import VoiceIntent


def test_closed_sets_match_their_sources() -> None:
    assert [category.value for category in DiagnosisCategory] == list(ALL_CATEGORIES)
    assert [intent.value for intent in VoiceIntent] == list(INTENTS)


def _event(data: object) -> StepEventCreate:
    return StepEventCreate.model_validate(
        {"sessionId": str(uuid.uuid4()), "stepNumber": 1, "event": "completed", "data": data}
    )


def test_step_event_data_keeps_known_and_extra_keys() -> None:
    data = {"heat": "medium_high", "text": "edges browning", "seconds": 90, "name": "pasta", "probeC": 71.5}
    assert _event(data).data == data
    assert set(STEP_EVENT_DATA_SCHEMA["properties"]) >= {"heat", "text", "seconds", "name"}


@pytest.mark.parametrize(
    "data",
    [
        {"heat": "volcanic"},
        {"heat": 3},
        {"text": "x" * 501},
        {"text": "nul\x00"},
        {"seconds": True},
        {"seconds": 0},
        {"name": ""},
        {"name": "tab\there"},
        {"action": "stop"},
        {"not a key": 1},
        {"nested": {"a": 1}},
        {"big": 10**30},
        {f"k{i}": i for i in range(17)},
    ],
)
def test_step_event_data_refuses_what_its_schema_refuses(data: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        _event(data)


def test_note_pattern_matches_the_note_rules() -> None:
    assert NoteCreate.model_validate({"text": "  fine\nnote\t"}).text == "fine\nnote"
    for bad in ("   ", "bell\x07", "nul\x00"):
        with pytest.raises(ValidationError):
            NoteCreate.model_validate({"text": bad})


@pytest.mark.parametrize("model", [AnalysisRead, CookingSessionRead, ProfileRead])
def test_response_models_require_every_field(model: type) -> None:
    schema = model.model_json_schema(mode="serialization")  # type: ignore[attr-defined]
    assert set(schema["required"]) == set(schema["properties"])
    assert schema["examples"], "main responses carry an example"


def test_unknown_stored_category_reads_as_unknown() -> None:
    example = AnalysisRead.model_json_schema()["examples"][0]
    assert AnalysisRead.model_validate({**example, "category": "retired_name"}).category == "unknown"

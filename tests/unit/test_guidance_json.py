"""guidance_json must write exactly what pydantic writes for GuidanceRead, shared steps or not."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import orjson
import pytest
from asyncpg.pgproto.pgproto import UUID as PgUUID

from chefmentor import fast_json
from chefmentor.cooking.guidance import guidance_json
from chefmentor.cooking.models import SessionStatus, StepEventKind
from chefmentor.cooking.schemas import GuidanceRead, StepEventRead, TimerRead
from chefmentor.recipes.schemas import RecipeStepRead

NOW = datetime(2026, 12, 7, 3, 4, 5, 678901, tzinfo=UTC)


def _step(number: int, **extra: Any) -> RecipeStepRead:
    fields: dict[str, Any] = {
        "step_number": number,
        "title": f"Step {number}: sear — 175 °C",
        "instruction": 'Heat the pan until a drop of water "dances"; add oil\nthen the steak.',
        "expected_state": "Shimmering oil, light smoke",
        "expected_minutes": 2.5,
        "heat": "medium_high",
        "timer_seconds": 90,
        "tips": ["Pat the steak dry", "Don't crowd the pan"],
    }
    fields.update(extra)
    return RecipeStepRead(**fields)


def _event(**extra: Any) -> StepEventRead:
    fields: dict[str, Any] = {
        "id": uuid.uuid4(),
        "step_number": 2,
        "event": StepEventKind.NOTE,
        "at": NOW,
        "event_id": "client-1",
        "data": {"text": "zu früh gewendet 🍳", "n": [1, 2.5, None, True], "deep": {"a": {"b": 1e-7}}},
    }
    fields.update(extra)
    return StepEventRead(**fields)


def _timer(status: str, remaining: float) -> TimerRead:
    return TimerRead(
        name="rest",
        seconds=300,
        step_number=3,
        started_at=NOW,
        ends_at=NOW + timedelta(seconds=300),
        remaining_seconds=remaining,
        status=status,  # type: ignore[arg-type]
    )


CASES = {
    "note event, next step": {"event": _event(), "next_step": _step(3)},
    "no event, last step": {"event": None, "next_step": None},
    "ids as asyncpg returns them": {
        "event": _event(id=PgUUID(str(uuid.uuid4()))),
        "session_id": PgUUID(str(uuid.uuid4())),
    },
    "client time with an offset and whole seconds": {
        "event": _event(at=datetime(2026, 12, 7, 4, 0, 0, tzinfo=timezone(timedelta(hours=2))), event_id=None, data={}),
        "next_step": _step(3, title=None, expected_state=None, expected_minutes=None, heat=None, timer_seconds=None),
    },
    "timers, paused, done": {
        "event": _event(event=StepEventKind.COMPLETED),
        "timers": [_timer("running", 12.25), _timer("paused", 300.0), _timer("finished", 0.0)],
        "paused": True,
        "all_steps_done": True,
        "status": SessionStatus.COMPLETED,
    },
}


@pytest.mark.parametrize("shared", [False, True], ids=["fresh steps", "shared steps"])
@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_guidance_json_is_pydantic_output(case: str, shared: bool) -> None:
    fields: dict[str, Any] = {
        "session_id": uuid.uuid4(),
        "status": SessionStatus.IN_PROGRESS,
        "current_step": _step(2, tips=[]),
        "expected_state": "Shimmering oil, light smoke",
        "total_steps": 3,
        **CASES[case],
    }
    guidance = GuidanceRead(**fields)
    if shared:
        fast_json.share([s for s in (guidance.current_step, guidance.next_step) if s is not None])
    assert guidance_json(guidance) == guidance.model_dump_json(by_alias=True).encode()


def test_a_shared_model_is_serialised_once_and_others_every_time() -> None:
    shared, fresh = _step(1), _step(1)
    fast_json.share([shared])
    assert fast_json.fragment(shared) is fast_json.fragment(shared)
    assert fast_json.fragment(fresh) is not fast_json.fragment(fresh)
    assert orjson.dumps(fast_json.fragment(fresh)) == orjson.dumps(fast_json.fragment(shared))


def test_every_guidance_field_is_written() -> None:
    """A field added to GuidanceRead or StepEventRead must be added to guidance_json too."""
    guidance = GuidanceRead(
        **{"session_id": uuid.uuid4(), "status": "in_progress", "total_steps": 1}, current_step=_step(1), event=_event()
    )
    written = orjson.loads(guidance_json(guidance))
    assert set(written) == {f.alias for f in GuidanceRead.model_fields.values()}
    assert set(written["event"]) == {f.alias for f in StepEventRead.model_fields.values()}

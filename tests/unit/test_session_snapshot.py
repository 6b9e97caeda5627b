"""Cached session snapshots: parsed once per distinct bytes, and every caller gets its own copy."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from chefmentor.cooking import state
from chefmentor.cooking.models import SessionStatus
from chefmentor.cooking.state import SessionState, state_from_cache

NOW = datetime(2026, 12, 7, 3, 40, 1, 250000, tzinfo=UTC)


def _snapshot() -> SessionState:
    return SessionState(
        id=uuid.uuid4(),
        user_id=uuid.uuid4(),
        demo_session_id=None,
        recipe_id=uuid.uuid4(),
        status=SessionStatus.IN_PROGRESS,
        current_step=3,
        started_at=NOW,
        updated_at=NOW,
        paused_at=NOW,
        timers=[{"name": "rest", "seconds": 60, "status": "running"}],
    )


def test_a_cached_snapshot_reads_back_as_written() -> None:
    original = _snapshot()
    assert state_from_cache(original.to_bytes()) == original


def test_each_reader_gets_its_own_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = _snapshot().to_bytes()
    parses = []
    monkeypatch.setattr(state, "_parsed", state.BoundedMemo(8))
    original_parse = SessionState.from_bytes
    monkeypatch.setattr(SessionState, "from_bytes", lambda data: parses.append(data) or original_parse(data))
    first = state_from_cache(raw)
    first.timers[0]["status"] = "finished"
    first.timers.append({"name": "other", "seconds": 5})
    first.current_step = 9
    second = state_from_cache(raw)
    assert len(parses) == 1, "the same bytes are parsed once"
    assert second.current_step == 3 and second.timers == [{"name": "rest", "seconds": 60, "status": "running"}]
    assert second is not first


def test_a_corrupt_snapshot_still_fails_to_parse() -> None:
    with pytest.raises(ValueError):
        state_from_cache(b'{"id": "not-a-uuid"}')

"""chefmentor.db.direct: driver arguments worked out per statement equal SQLAlchemy's construct_params."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect

from chefmentor.cooking import state
from chefmentor.cooking.models import SessionStatus
from chefmentor.db import direct, sqlite_inline
from chefmentor.recipes import read_query

NOW = datetime(2026, 12, 7, 3, 30, tzinfo=UTC)


def _dialects() -> list[Any]:
    sqlite_inline.register()
    engine = sa.create_engine(f"sqlite+{sqlite_inline.DRIVER}://")
    return [asyncpg_dialect(), engine.dialect]


def _event_params() -> dict[str, Any]:
    params: dict[str, Any] = {
        "e_id": uuid.uuid4(),
        "e_session_id": uuid.uuid4(),
        "e_step_number": 2,
        "e_event": "note",
        "e_at": NOW,
        "e_client_event_id": None,
        "e_data": {"text": "hi", "n": [1, 2]},
        "e_created_at": NOW,
        "w_id": uuid.uuid4(),
        "w_version": NOW,
    }
    session = state.SessionState(
        id=params["w_id"],
        user_id=None,
        demo_session_id=uuid.uuid4(),
        recipe_id=uuid.uuid4(),
        status=SessionStatus.IN_PROGRESS,
        current_step=2,
        started_at=NOW,
        updated_at=NOW,
        timers=[{"name": "rest", "seconds": 60}],
    )
    params.update(state._state_params(session))
    return params


STATEMENTS = {
    "guarded insert": (state._GUARDED_INSERT, _event_params),
    "relaxed guarded insert": (state._PG_GUARDED_INSERT, _event_params),
    "update then insert": (state._PG_UPDATE_THEN_INSERT, _event_params),
    "recipe read": (None, lambda: {"recipe_id": uuid.uuid4()}),
}


CASES = [(name, dialect) for name in STATEMENTS for dialect in (0, 1) if (name, dialect) != ("update then insert", 1)]


@pytest.mark.parametrize(("name", "dialect_index"), CASES)
def test_plain_binds_give_construct_params_arguments(name: str, dialect_index: int) -> None:
    """Every hot statement (the PostgreSQL-only UPDATE + INSERT on asyncpg only), on asyncpg and SQLite."""
    dialect = _dialects()[dialect_index]
    statement, make_params = STATEMENTS[name]
    if statement is None:
        statement = read_query.STATEMENTS[dialect.name]
    prepared = direct._compiled(statement, dialect)
    assert prepared.plain_binds is not None, "the hot statements take the precomputed path"
    params = make_params()
    general = direct._Compiled(prepared.sql, prepared.compiled, prepared.processors, prepared.columns, None)
    assert prepared.arguments(params) == general.arguments(params)
    overridden = {**params, "status_1": "completed"}  # a literal the caller names by its key is the caller's
    assert prepared.arguments(overridden) == general.arguments(overridden)


def test_a_missing_value_is_sqlalchemys_error() -> None:
    prepared = direct._compiled(state._GUARDED_INSERT, _dialects()[0])
    params = _event_params()
    del params["e_at"]
    with pytest.raises(sa.exc.InvalidRequestError):
        prepared.arguments(params)

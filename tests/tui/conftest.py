"""TUI fixtures: the app on the test database (seeded fixture recipes) with a clock the test moves."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from textual.pilot import Pilot

from chefmentor.clock import FrozenClock
from chefmentor.config import Settings
from chefmentor.context import AppContext, open_context
from cli.tui.app import ChefMentorApp
from tests.conftest import seed_fixture_recipes

T0 = datetime(2026, 3, 1, 18, 0, tzinfo=UTC)
SIZE = (100, 32)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(T0)


def seeded_factory(clock: FrozenClock, *, seed: bool = True, **overrides: Any) -> Callable[[Settings], Any]:
    @asynccontextmanager
    async def factory(settings: Settings) -> AsyncIterator[AppContext]:
        async with open_context(settings, clock=clock, **overrides) as ctx:
            if seed:
                await seed_fixture_recipes(ctx)
            yield ctx

    return factory


@pytest.fixture
def make_app(settings: Settings, clock: FrozenClock) -> Callable[..., ChefMentorApp]:
    def build(*, seed: bool = True, demo: bool = False, **kwargs: Any) -> ChefMentorApp:
        return ChefMentorApp(settings, context_factory=seeded_factory(clock, seed=seed), demo=demo, **kwargs)

    return build


async def wait_for(pilot: Pilot[Any], predicate: Callable[[], object], *, seconds: float = 10.0) -> None:
    """Let the app run until `predicate()` is true (workers and messages are asynchronous)."""
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {getattr(predicate, '__name__', predicate)}")
        await pilot.pause(0.02)

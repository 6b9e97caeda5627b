"""One view of a cooking session for the Cook screen, built from either service answer shape."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chefmentor.cooking.schemas import CookingSessionRead, GuidanceRead, TimerRead
    from chefmentor.recipes.schemas import RecipeStepRead


@dataclass(slots=True)
class CookView:
    session_id: uuid.UUID
    recipe_name: str
    status: str
    step: RecipeStepRead | None
    next_step: RecipeStepRead | None
    current: int
    total: int
    paused: bool
    timers: list[TimerRead] = field(default_factory=list)
    all_steps_done: bool = False

    @classmethod
    def from_session(cls, read: CookingSessionRead) -> CookView:
        return cls(
            session_id=read.id,
            recipe_name=read.recipe_name,
            status=str(read.status),
            step=read.step,
            next_step=read.next_step,
            current=read.current_step,
            total=read.total_steps,
            paused=read.paused_at is not None,
            timers=list(read.timers),
        )

    def with_guidance(self, guidance: GuidanceRead) -> CookView:
        return CookView(
            session_id=guidance.session_id,
            recipe_name=self.recipe_name,
            status=str(guidance.status),
            step=guidance.current_step,
            next_step=guidance.next_step,
            current=guidance.current_step.step_number,
            total=guidance.total_steps,
            paused=guidance.paused,
            timers=list(guidance.timers),
            all_steps_done=guidance.all_steps_done,
        )

    def with_session(self, read: CookingSessionRead) -> CookView:
        view = CookView.from_session(read)
        view.all_steps_done = self.all_steps_done and view.current == self.current
        return view

    def with_timers(self, timers: list[TimerRead]) -> CookView:
        return replace(self, timers=timers)

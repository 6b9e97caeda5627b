"""Test doubles and factories for failure-analysis tests (service and API)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from chefmentor.actor import Actor
from chefmentor.ai.chain import FallbackChain
from chefmentor.ai.errors import ProviderError, ProviderErrorCode
from chefmentor.ai.types import Diagnosis, DiagnosisRequest
from chefmentor.context import AppContext
from chefmentor.cooking.models import CookingSession, CookingStepEvent, StepEventKind
from tests.services.owners import T0, make_recipe


class ScriptedDiagnoser:
    """A provider double: answers, or fails with a ProviderError, and records what it was asked."""

    accepts_images = True

    def __init__(self, name: str = "local", fail: bool = False) -> None:
        self.name = name
        self.model = f"{name}-double"
        self.fail = fail
        self.requests: list[DiagnosisRequest] = []

    async def diagnose(self, request: DiagnosisRequest) -> Diagnosis:
        self.requests.append(request)
        if self.fail:
            raise ProviderError(ProviderErrorCode.SERVER_ERROR, "down", provider=self.name)
        return Diagnosis(
            category="cooked_too_short",
            root_cause="The rice simmered for 6 of 15 minutes.",
            explanation="Hard grains and the session shows step 2 ended early.",
            evidence=["step 2: 6 of 15 min"],
            suspected_step=2,
            fix_now="Add a splash of water and simmer covered 8 more minutes.",
            next_time=["Keep the lid on for the full 15 minutes"],
            confidence=0.77,
            provider=self.name,
            model=self.model,
        )


def chain(*providers: ScriptedDiagnoser) -> FallbackChain:
    return FallbackChain(list(providers), timeout_seconds=5, max_attempts=1, total_budget_seconds=10)


async def cooked_rice(ctx: AppContext, actor: Actor) -> uuid.UUID:
    """A session where step 2 (expected 2 min on high) took 6 minutes."""
    recipe_id = await make_recipe(ctx, steps=3, name=f"Rice {uuid.uuid4().hex[:4]}")
    async with ctx.session() as session:
        cook = CookingSession(
            user_id=actor.user_id, demo_session_id=actor.demo_session_id, recipe_id=recipe_id, started_at=T0
        )
        session.add(cook)
        await session.flush()
        marks = [(1, "started", 0), (1, "completed", 1), (2, "started", 1), (2, "completed", 7), (3, "started", 7)]
        for step, kind, minute in marks:
            session.add(
                CookingStepEvent(
                    session_id=cook.id, step_number=step, event=StepEventKind(kind), at=T0 + timedelta(minutes=minute)
                )
            )
        await session.commit()
        return cook.id

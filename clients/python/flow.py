"""The mobile app's main flow against a live ChefMentor X server, through the client that openapi-python-client
generated from /openapi.json (package `chefmentor_client`), using only its typed functions and models.

    python flow.py BASE_URL PHOTO.jpg

demo start → recipes → detail → cooking start → step events with telemetry → timers → complete → photo upload
→ analysis → note → profile → history. Prints one JSON line with what it saw; exits non-zero on any failure.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import TypeVar

from chefmentor_client import AuthenticatedClient, Client
from chefmentor_client.api.cooking import (
    cooking_complete,
    cooking_sessions_list,
    cooking_start,
    cooking_step_event,
    cooking_timer_cancel,
    cooking_timer_start,
    cooking_timers_list,
)
from chefmentor_client.api.demo import demo_start
from chefmentor_client.api.failure import failure_analysis_get, failure_analyze, failure_note_add
from chefmentor_client.api.profile import profile_get
from chefmentor_client.api.recipes import recipes_get, recipes_list
from chefmentor_client.models import (
    AnalysisRead,
    CookingSessionPage,
    CookingSessionRead,
    CookingStart,
    DemoStartResponse,
    ErrorEnvelope,
    FailureAnalyzeForm,
    GuidanceRead,
    Heat,
    NoteCreate,
    NoteRead,
    ProfileRead,
    RecipePage,
    RecipeRead,
    SessionStatus,
    StepEventCreate,
    StepEventData,
    StepEventKind,
    TimerCreate,
    TimerRead,
    TimerStatus,
)
from chefmentor_client.types import File

T = TypeVar("T")


def expect(answer: T | ErrorEnvelope | None, kind: type[T], what: str) -> T:
    """The typed success body, or a clear failure naming the step and the server's error code."""
    if isinstance(answer, kind):
        return answer
    if isinstance(answer, ErrorEnvelope):
        raise SystemExit(f"{what} failed: {answer.error.code} {answer.error.message}")
    raise SystemExit(f"{what} failed: unexpected answer {answer!r}")


def run(base_url: str, photo: Path) -> dict[str, object]:
    demo = expect(demo_start.sync(client=Client(base_url=base_url)), DemoStartResponse, "demo start")
    api = AuthenticatedClient(base_url=base_url, token=demo.access_token)

    page = expect(recipes_list.sync(client=api, limit=5, offset=0), RecipePage, "recipes")
    recipe = expect(recipes_get.sync(page.items[0].id, client=api), RecipeRead, "recipe detail")
    session = expect(
        cooking_start.sync(client=api, body=CookingStart(recipe_id=recipe.id)), CookingSessionRead, "cooking start"
    )

    guidance: GuidanceRead | None = None
    for step in recipe.steps:
        started = StepEventCreate(session_id=session.id, step_number=step.step_number, event=StepEventKind.STARTED)
        expect(cooking_step_event.sync(client=api, body=started), GuidanceRead, "step started")
        telemetry = StepEventData(heat=Heat.HIGH, text=f"step {step.step_number} looked done early")
        completed = StepEventCreate(
            session_id=session.id, step_number=step.step_number, event=StepEventKind.COMPLETED, data=telemetry
        )
        guidance = expect(cooking_step_event.sync(client=api, body=completed), GuidanceRead, "step completed")
    if guidance is None or not guidance.all_steps_done:
        raise SystemExit("the guidance did not report every step done")

    timer = expect(
        cooking_timer_start.sync(session.id, client=api, body=TimerCreate(seconds=120, name="rest")),
        TimerRead,
        "timer start",
    )
    timers = expect(cooking_timers_list.sync(session.id, client=api), list, "timers")
    if not any(isinstance(item, TimerRead) and item.name == timer.name for item in timers):
        raise SystemExit("the started timer is not listed")
    cancelled = expect(cooking_timer_cancel.sync(session.id, timer.name, client=api), TimerRead, "timer cancel")
    if cancelled.status != TimerStatus.CANCELLED:
        raise SystemExit(f"timer not cancelled: {cancelled.status}")
    ended = expect(cooking_complete.sync(session.id, client=api), CookingSessionRead, "complete")
    if ended.status != SessionStatus.COMPLETED:
        raise SystemExit(f"session not completed: {ended.status}")

    upload = FailureAnalyzeForm(
        file=File(payload=io.BytesIO(photo.read_bytes()), file_name=photo.name, mime_type="image/jpeg"),
        dish=recipe.name,
        notes="burnt outside",
        cooking_session_id=session.id,
    )
    analysis = expect(failure_analyze.sync(client=api, body=upload), AnalysisRead, "photo upload")
    stored = expect(failure_analysis_get.sync(analysis.id, client=api), AnalysisRead, "analysis")
    note = NoteCreate(text="Next time: medium heat.")
    expect(failure_note_add.sync(analysis.id, client=api, body=note), NoteRead, "note")

    profile = expect(profile_get.sync(client=api), ProfileRead, "profile")
    history = expect(cooking_sessions_list.sync(client=api, limit=10), CookingSessionPage, "history")
    if not any(item.id == session.id for item in history.items):
        raise SystemExit("the session is not in the history")
    return {
        "recipe": recipe.name,
        "steps": len(recipe.steps),
        "session": str(session.id),
        "analysis": str(analysis.id),
        "status": stored.status.value,
        "category": stored.category.value if stored.category else None,
        "sessionsCooked": profile.stats.sessions_cooked,
        "editable": profile.editable,
        "history": history.total,
    }


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1], Path(sys.argv[2]))))  # noqa: T201 - the flow's one line of output

"""The cook loop against the database: typed commands and Piper-synthesized speech through a scripted mic."""

from __future__ import annotations

import queue
from typing import Any

import pytest
from sqlalchemy import select

from chefmentor.actor import Actor
from chefmentor.context import AppContext
from chefmentor.cooking.models import CookingSession, CookingStepEvent, SessionStatus, StepEventKind
from chefmentor.voice.assistant import open_assistant
from chefmentor.voice.audio import RecordingPlayer, ScriptedAudioSource
from chefmentor.voice.cook_loop import CookLoop, KeyboardEar, LoopView, TextMouth, VoiceEar, VoiceMouth

RECIPE = "Perfect Stovetop Rice"


def typed(lines: list[str]) -> KeyboardEar:
    feed: queue.Queue[str | None] = queue.Queue()
    for line in lines:
        feed.put(line)
    feed.put(None)
    return KeyboardEar(feed.get)


async def events_of(ctx: AppContext, session_id: Any) -> list[tuple[int, StepEventKind, dict[str, Any]]]:
    async with ctx.session() as db:
        rows = await db.scalars(
            select(CookingStepEvent)
            .where(CookingStepEvent.session_id == session_id)
            .order_by(CookingStepEvent.created_at, CookingStepEvent.step_number)
        )
        return [(r.step_number, r.event, r.data) for r in rows]


async def session_row(ctx: AppContext, session_id: Any) -> CookingSession:
    async with ctx.session() as db:
        row = await db.get(CookingSession, session_id)
        assert row is not None
        return row


async def test_typed_commands_drive_the_session(seeded_ctx: AppContext) -> None:
    assistant = await open_assistant(seeded_ctx, actor=Actor.local(), recipe_ref=RECIPE)
    said: list[str] = []
    views: list[LoopView] = []
    loop = CookLoop(
        assistant,
        typed(
            [
                "um okay what's next",
                "set a rice timer for 18 minutes",
                "go to step 1",
                "pause",
                "resume",
                "finish",
                "yes",
            ]
        ),
        TextMouth(said.append),
        on_update=views.append,
        poll_seconds=0.05,
    )
    turns = await loop.run()

    names = [t.intent.name for t in turns]
    assert names == ["next_step", "set_timer", "goto_step", "pause", "resume", "finish", "finish"]
    assert "Finish the whole recipe now?" in turns[5].reply.text and not turns[5].reply.finished
    assert turns[6].reply.finished
    assert said[0].startswith(f"Let's cook {RECIPE}. Step 1 of")
    assert "Rice timer set for 18 minutes" in said[2]
    row = await session_row(seeded_ctx, assistant.session_id)
    assert row.status == SessionStatus.COMPLETED
    assert row.timers and row.timers[0]["name"] == "rice"
    kinds = [(step, kind) for step, kind, _ in await events_of(seeded_ctx, assistant.session_id)]
    assert (1, StepEventKind.COMPLETED) in kinds and (2, StepEventKind.STARTED) in kinds
    assert any(kind == StepEventKind.TIMER_STARTED for _, kind in kinds)
    assert any(v.timers and v.timers[0][0] == "rice" for v in views)


async def test_questions_and_refusals_are_answered_not_raised(seeded_ctx: AppContext) -> None:
    assistant = await open_assistant(seeded_ctx, actor=Actor.local(), recipe_ref=RECIPE)
    said: list[str] = []
    loop = CookLoop(
        assistant,
        typed(["go back", "take me to step 40", "how long is left", "what ingredients do I need", "can I use stock"]),
        TextMouth(said.append),
        poll_seconds=0.05,
    )
    await loop.run()
    replies = said[1:]
    assert "first step" in replies[0].lower()
    assert "no step 40" in replies[1].lower()
    assert "no timer" in replies[2].lower()
    assert "you need" in replies[3].lower() and "rice" in replies[3].lower()
    assert "instead of stock" in replies[4].lower()
    row = await session_row(seeded_ctx, assistant.session_id)
    assert row.status == SessionStatus.IN_PROGRESS  # input ended: the session stays open to resume


async def test_two_named_timers_are_kept_and_cancelled_by_name(seeded_ctx: AppContext) -> None:
    assistant = await open_assistant(seeded_ctx, actor=Actor.local(), recipe_ref=RECIPE)
    said: list[str] = []
    loop = CookLoop(
        assistant,
        typed(["set a pasta timer for 8 minutes", "set a sauce timer for 5 minutes", "cancel the pastor timer"]),
        TextMouth(said.append),
        poll_seconds=0.05,
    )
    await loop.run()
    row = await session_row(seeded_ctx, assistant.session_id)
    status = {t["name"]: t["status"] for t in row.timers}
    assert status == {"pasta": "cancelled", "sauce": "running"}


@pytest.mark.slow
async def test_spoken_commands_through_a_scripted_microphone(seeded_ctx: AppContext, voice_engine, speak) -> None:
    assistant = await open_assistant(seeded_ctx, actor=Actor.local(), recipe_ref=RECIPE)
    phrases = ["okay what's next", "set a timer for two and a half minutes", "go back", "I'm finished cooking", "yes"]
    source = ScriptedAudioSource([speak(p) for p in phrases])
    player = RecordingPlayer()
    mouth = VoiceMouth(voice_engine, player, idle=source.prompt_done)
    # Faster-than-real-time scripted audio: whether a speculative transcript finishes before the next frame
    # depends on CPU load, so early commit is off to keep the utterance boundaries fixed.
    ear = VoiceEar(voice_engine, source, mouth=mouth, hints=assistant.hints, early_commit=lambda _text: False)
    turns = await CookLoop(assistant, ear, mouth, poll_seconds=0.5).run()

    heard = [t.heard.text for t in turns]
    assert [t.intent.name for t in turns] == ["next_step", "set_timer", "previous_step", "finish", "finish"], heard
    assert turns[-1].reply.finished and not turns[-2].reply.finished
    assert turns[1].intent.slots["seconds"] == 150, heard
    assert all(t.speech.first_chunk_at is not None for t in turns)
    assert player.clips and all(rate == voice_engine.tts.sample_rate for _, rate in player.clips)
    row = await session_row(seeded_ctx, assistant.session_id)
    assert row.status == SessionStatus.COMPLETED
    events = await events_of(seeded_ctx, assistant.session_id)
    assert any(kind == StepEventKind.TIMER_STARTED and data.get("seconds") == 150 for _, kind, data in events)


@pytest.mark.pg
async def test_typed_loop_on_postgresql(make_ctx, pg_settings) -> None:
    from tests.conftest import seed_fixture_recipes

    async with make_ctx(pg_settings) as ctx:
        await seed_fixture_recipes(ctx)
        assistant = await open_assistant(ctx, actor=Actor.local(), recipe_ref=RECIPE)
        said: list[str] = []
        lines = ["next", "set a rice timer for 18 minutes", "take me to step 4", "finish", "yeah"]
        turns = await CookLoop(assistant, typed(lines), TextMouth(said.append), poll_seconds=0.05).run()
        assert [t.intent.name for t in turns] == ["next_step", "set_timer", "goto_step", "finish", "finish"]
        row = await session_row(ctx, assistant.session_id)
        assert row.status == SessionStatus.COMPLETED and row.timers[0]["name"] == "rice"
        kinds = [(step, kind) for step, kind, _ in await events_of(ctx, assistant.session_id)]
        assert (3, StepEventKind.SKIPPED) in kinds and (4, StepEventKind.STARTED) in kinds


async def test_fillers_and_noise_are_not_turns(seeded_ctx: AppContext) -> None:
    assistant = await open_assistant(seeded_ctx, actor=Actor.local(), recipe_ref=RECIPE)
    said: list[str] = []
    turns = await CookLoop(
        assistant, typed(["okay.", "Thank you.", "you", "next"]), TextMouth(said.append), poll_seconds=0.05
    ).run()
    assert [t.intent.name for t in turns] == ["next_step"] and len(said) == 2


async def test_unsure_commands_are_asked_back_and_acted_on_after_yes(seeded_ctx: AppContext) -> None:
    from chefmentor.voice.intents import Intent, understand

    assistant = await open_assistant(seeded_ctx, actor=Actor.local(), recipe_ref=RECIPE)
    unsure = Intent("set_timer", {"seconds": 600}, "let it simmer for 10 minutes", 0.5, needs_confirmation=True)

    asked = await assistant.handle(unsure)
    assert asked.text.startswith("Did you mean a timer for 10 minutes?") and assistant.awaiting_confirmation
    done = await assistant.handle(understand("yes please", assistant.parse_context()))
    assert done.intent.name == "set_timer" and "timer set for 10 minutes" in done.text
    await assistant.handle(unsure)
    refused = await assistant.handle(understand("no", assistant.parse_context()))
    assert refused.text.startswith("Okay, I won't") and not assistant.awaiting_confirmation
    # Finishing before the last step is asked back; saying something else drops the question.
    finishing = await assistant.handle(understand("finish", assistant.parse_context()))
    assert "Finish the whole recipe now?" in finishing.text and not finishing.finished
    moved = await assistant.handle(understand("next", assistant.parse_context()))
    assert moved.intent.name == "next_step" and moved.text.startswith("Step 2 of")
    row = await session_row(seeded_ctx, assistant.session_id)
    assert row.status == SessionStatus.IN_PROGRESS
    assert [t["seconds"] for t in row.timers] == [600]


async def test_finish_on_the_last_step_needs_no_confirmation(seeded_ctx: AppContext) -> None:
    assistant = await open_assistant(seeded_ctx, actor=Actor.local(), recipe_ref=RECIPE)
    last = len(assistant.recipe.steps)
    lines = [f"go to step {last}", "I'm done with the whole dish"]
    turns = await CookLoop(assistant, typed(lines), TextMouth(lambda _text: None), poll_seconds=0.05).run()
    assert [t.intent.name for t in turns] == ["goto_step", "finish"] and turns[-1].reply.finished

"""Acts on one intent through the cooking service and says what happened: shared by the voice loop,
the keyboard loop and POST /api/voice/command."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from chefmentor.errors import ChefMentorError
from chefmentor.voice.confirmation import PendingConfirmation, describe_intent, yes_or_no
from chefmentor.voice.intents import Intent, ParseContext
from chefmentor.voice.knowledge import answer_from_recipe, fallback_answer
from chefmentor.voice.numbers import spoken_duration

if TYPE_CHECKING:
    from chefmentor.actor import Actor
    from chefmentor.context import AppContext
    from chefmentor.cooking.schemas import CookingSessionRead, GuidanceRead, TimerRead
    from chefmentor.recipes.schemas import RecipeRead, RecipeStepRead

HELP_TEXT = (
    "Here's what you can say. Next, go back, repeat, go to step 3, ingredients, what should it look like, "
    "set a pasta timer for 8 minutes, how long is left, cancel the timer, pause, resume, or finish. "
    "Or just ask a question."
)


@dataclass
class Reply:
    text: str
    intent: Intent
    finished: bool = False
    session: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {**self.intent.to_json(), "reply": self.text, "finished": self.finished}


def describe_step(step: RecipeStepRead, total: int, *, with_state: bool = True) -> str:
    """How a step is read aloud: its number, the instruction, then how it should look."""
    text = f"Step {step.step_number} of {total}. {step.instruction.strip()}"
    if not text.endswith((".", "!", "?")):
        text += "."
    if with_state and step.expected_state:
        text += f" You're looking for: {step.expected_state.strip().rstrip('.')}."
    if step.timer_seconds:
        text += f" Say set a timer to time {spoken_duration(step.timer_seconds)}."
    return text


def describe_timer(timer: TimerRead) -> str:
    if timer.status == "finished" or timer.remaining_seconds <= 0:
        return f"The {timer.name} timer is done."
    paused = ", paused" if timer.status == "paused" else ""
    return f"{spoken_duration(round(timer.remaining_seconds))} left on the {timer.name} timer{paused}."


def ingredients_text(recipe: RecipeRead) -> str:
    if not recipe.ingredients:
        return "This recipe lists no ingredients."
    count = len(recipe.ingredients)
    return (
        f"You need {count} ingredient{'s' if count != 1 else ''}. "
        + "; ".join(i.text for i in recipe.ingredients)
        + "."
    )


class CookingAssistant:
    """One cook's assistant over one cooking session; every change goes through the cooking service."""

    def __init__(self, ctx: AppContext, *, actor: Actor, session_id: uuid.UUID, recipe: RecipeRead) -> None:
        self.ctx = ctx
        self.actor = actor
        self.session_id = session_id
        self.recipe = recipe
        self.current_step = recipe.steps[0].step_number if recipe.steps else 1
        self.paused = False
        self.timer_names: tuple[str, ...] = ()
        self.confirmations = PendingConfirmation(ctx.cache, session_id)

    @property
    def step(self) -> RecipeStepRead | None:
        return next((s for s in self.recipe.steps if s.step_number == self.current_step), None)

    def parse_context(self) -> ParseContext:
        return ParseContext(
            step_count=len(self.recipe.steps),
            current_step=self.current_step,
            paused=self.paused,
            timer_names=self.timer_names,
            recipe_words=tuple(i.name for i in self.recipe.ingredients),
        )

    def hints(self) -> list[str]:
        """Words that bias speech recognition: recipe name, ingredient names, running timer names."""
        return [self.recipe.name, *(i.name for i in self.recipe.ingredients), *self.timer_names]

    def stock_phrases(self) -> list[str]:
        """Sentences that open many replies: worth synthesizing before they are needed."""
        total = len(self.recipe.steps)
        steps = [f"Step {s.step_number} of {total}." for s in self.recipe.steps]
        return [*steps, "Paused.", "Resuming.", "Sorry, I didn't catch that.", "Okay, I won't."]

    def _keys(self) -> dict[str, Any]:
        return {"actor": self.actor, "session_id": self.session_id, "cache": self.ctx.cache, "clock": self.ctx.clock}

    async def refresh(self) -> CookingSessionRead:
        from chefmentor.cooking.service import get_cooking_session

        async with self.ctx.session() as db:
            read = await get_cooking_session(db, **self._keys())
        self._track(read.current_step, read.paused_at is not None, read.timers)
        return read

    def _track(self, step: int, paused: bool, timers: list[TimerRead]) -> None:
        self.current_step = step
        self.paused = paused
        self.timer_names = tuple(t.name for t in timers if t.status in ("running", "paused"))

    def _from_guidance(self, guidance: GuidanceRead) -> None:
        self._track(guidance.current_step.step_number, guidance.paused, guidance.timers)

    async def current_step_text(self) -> str:
        await self.refresh()
        step = self.step
        return describe_step(step, len(self.recipe.steps)) if step else "This recipe has no steps."

    async def due_timers(self) -> list[str]:
        """Announcements for timers that just ran out (each is recorded once as timer_finished)."""
        from chefmentor.cooking.navigation import check_timers

        async with self.ctx.session() as db:
            finished = await check_timers(db, **self._keys())
        if finished:
            await self.refresh()
        return [f"Time's up: your {t.name} timer is done." for t in finished]

    async def handle(self, intent: Intent) -> Reply:
        """Act on the intent; a refusal from the service (no such step, no timer) is said, not raised.
        An unsure intent, or finishing before the last step, is asked back first and acted on after a yes."""
        pending = await self.confirmations.take()
        if pending is not None:
            answer = yes_or_no(intent.text)
            if answer is False:
                return Reply("Okay, I won't. What would you like to do?", intent)
            if answer is True:
                return await self._act(pending)
            if intent.name == pending.name:  # said it again: that is a yes
                return await self._act(dataclasses.replace(intent, needs_confirmation=False))
        if intent.name == "ask" and intent.confidence == 0.0:
            return Reply("Sorry, I didn't catch that.", intent)
        if intent.needs_confirmation:
            await self.confirmations.put(intent)
            return Reply(f"Did you mean {describe_intent(intent)}? Say yes or no.", intent)
        total = len(self.recipe.steps)
        if intent.name == "finish" and self.current_step < total:
            await self.confirmations.put(intent)
            return Reply(
                f"You're on step {self.current_step} of {total}. Finish the whole recipe now? Say yes to finish, "
                "or keep cooking.",
                intent,
            )
        return await self._act(intent)

    @property
    def awaiting_confirmation(self) -> bool:
        return self.confirmations.waiting

    async def _act(self, intent: Intent) -> Reply:
        try:
            text, finished = await self._dispatch(intent)
        except ChefMentorError as exc:
            text, finished = exc.message.rstrip(".") + ".", False
        return Reply(text, intent, finished)

    async def _dispatch(self, intent: Intent) -> tuple[str, bool]:
        from chefmentor.cooking import navigation as nav

        name, slots = intent.name, intent.slots
        total = len(self.recipe.steps)
        if name in ("next_step", "previous_step", "goto_step"):
            async with self.ctx.session() as db:
                if self.paused:
                    await nav.resume_cooking(db, **self._keys())
                if name == "next_step":
                    guidance = await nav.next_step(db, **self._keys())
                elif name == "previous_step":
                    guidance = await nav.previous_step(db, **self._keys())
                else:
                    step = int(slots.get("step", 0))
                    if not 1 <= step <= total:
                        return f"There is no step {step}: this recipe has {total} steps.", False
                    guidance = await nav.goto_step(db, step_number=step, **self._keys())
            self._from_guidance(guidance)
            if guidance.all_steps_done:
                return "That was the last step. Say finish to complete the session, or go back.", False
            return describe_step(guidance.current_step, total), False
        if name == "repeat_step":
            return await self.current_step_text(), False
        if name == "list_ingredients":
            return ingredients_text(self.recipe), False
        if name == "expected_state":
            return self._expected_state(), False
        if name in ("set_timer", "check_timer", "cancel_timer"):
            return await self._timer(name, slots), False
        if name in ("pause", "resume"):
            async with self.ctx.session() as db:
                call = nav.pause_cooking if name == "pause" else nav.resume_cooking
                read = await call(db, **self._keys())
            self._track(read.current_step, read.paused_at is not None, read.timers)
            if name == "pause":
                return "Paused. Timers are on hold. Say resume when you're ready.", False
            current = self.step
            return "Resuming. " + (describe_step(current, total, with_state=False) if current else ""), False
        if name == "finish":
            from chefmentor.cooking.service import complete_cooking_session

            async with self.ctx.session() as db:
                await complete_cooking_session(db, **self._keys())
            return f"Well done! Your {self.recipe.name} session is complete. Enjoy your meal.", True
        if name == "help":
            return HELP_TEXT, False
        return await self.answer(str(slots.get("question") or intent.text)), False

    async def answer(self, question: str) -> str:
        """Recipe and knowledge base first; then the LLM when one is configured; then an honest fallback."""
        grounded = answer_from_recipe(question, self.recipe, self.step)
        if grounded:
            return grounded
        answerer = getattr(self.ctx.voice, "answerer", None)
        if answerer is not None and question.strip():
            generated: str | None = await answerer.answer(question, self.recipe, self.step)
            if generated:
                return generated
        return fallback_answer(self.recipe, self.step)

    def _expected_state(self) -> str:
        step = self.step
        if step is None:
            return "There is no current step."
        parts: list[str] = []
        if step.expected_state:
            parts.append(f"You're looking for: {step.expected_state.strip().rstrip('.')}.")
        if step.expected_minutes:
            parts.append(f"That usually takes about {spoken_duration(round(step.expected_minutes * 60))}.")
        if step.tips:
            parts.append("Tip: " + step.tips[0])
        return " ".join(parts) or "The recipe doesn't say how this step should look."

    def resolve_timer_name(self, name: str | None) -> str | None:
        """Map a heard name onto a running timer ("pastor" -> "pasta")."""
        if not name or not self.timer_names:
            return name
        from rapidfuzz import fuzz, process

        match = process.extractOne(name, self.timer_names, scorer=fuzz.WRatio, score_cutoff=70)
        return str(match[0]) if match else name

    async def _timer(self, name: str, slots: dict[str, Any]) -> str:
        from chefmentor.cooking import navigation as nav

        timer_name = slots.get("name")
        async with self.ctx.session() as db:
            if name == "set_timer":
                seconds = slots.get("seconds") or self._default_timer_seconds()
                if not seconds:
                    return "For how long? Say, for example, set a timer for 5 minutes."
                timer = await nav.start_timer(db, seconds=int(seconds), name=timer_name, **self._keys())
                reply = f"{timer.name.capitalize()} timer set for {spoken_duration(timer.seconds)}."
            elif name == "check_timer":
                timers = [t for t in await nav.list_timers(db, **self._keys()) if t.status in ("running", "paused")]
                resolved = self.resolve_timer_name(timer_name)
                chosen = [t for t in timers if resolved and t.name.casefold() == resolved.casefold()] or timers
                if resolved and len(chosen) == len(timers) and len(timers) != 1:
                    reply = f"No timer called {timer_name} is running. " if timers else "No timer is running."
                    reply += " ".join(describe_timer(t) for t in timers)
                else:
                    reply = " ".join(describe_timer(t) for t in chosen) or "No timer is running."
            elif slots.get("all"):
                running = [t.name for t in await nav.list_timers(db, **self._keys()) if t.status == "running"]
                for label in running:
                    await nav.cancel_cooking_timer(db, name=label, **self._keys())
                reply = f"Cancelled {len(running)} timer{'s' if len(running) != 1 else ''}."
            else:
                timer = await nav.cancel_cooking_timer(db, name=self.resolve_timer_name(timer_name), **self._keys())
                reply = f"{timer.name.capitalize()} timer cancelled."
        await self.refresh()
        return reply.strip()

    def _default_timer_seconds(self) -> int | None:
        step = self.step
        if step is None:
            return None
        if step.timer_seconds:
            return step.timer_seconds
        return round(step.expected_minutes * 60) if step.expected_minutes else None


async def open_assistant(
    ctx: AppContext, *, actor: Actor, recipe_ref: str | None = None, session_id: uuid.UUID | None = None
) -> CookingAssistant:
    """Continue the actor's session `session_id`, or start a new session on `recipe_ref` (id, slug or name)."""
    from chefmentor.cooking.service import get_cooking_session, start_cooking
    from chefmentor.errors import ValidationError
    from chefmentor.recipes.service import find_recipe, get_recipe

    async with ctx.session() as db:
        if session_id is not None:
            read = await get_cooking_session(db, actor=actor, session_id=session_id, cache=ctx.cache, clock=ctx.clock)
        elif recipe_ref:
            found = await find_recipe(db, recipe_ref, cache=ctx.cache)
            read = await start_cooking(db, actor=actor, recipe_id=found.id, cache=ctx.cache, clock=ctx.clock)
        else:
            raise ValidationError("Name a recipe or a session to cook")
        recipe = await get_recipe(db, read.recipe_id, cache=ctx.cache)
    assistant = CookingAssistant(ctx, actor=actor, session_id=read.id, recipe=recipe)
    assistant._track(read.current_step, read.paused_at is not None, read.timers)
    return assistant

"""The TUI's door to the service layer: one method per service call, each in its own DB session.

Screens never touch tables or rules: they call these methods from workers and render the result.
Writes are tracked so the app can wait for them before closing the database on quit.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from chefmentor.actor import Actor

if TYPE_CHECKING:
    from chefmentor.context import AppContext
    from chefmentor.cooking.models import SessionStatus
    from chefmentor.cooking.schemas import CookingSessionPage, CookingSessionRead, GuidanceRead, TimerRead
    from chefmentor.failure.schemas import AnalysisPage, AnalysisRead, NoteRead
    from chefmentor.profile.schemas import CookingHabitsUpdate, ProfileRead
    from chefmentor.recipes.models import Difficulty
    from chefmentor.recipes.schemas import RecipePage, RecipeRead

T = TypeVar("T")
RECIPE_PAGE_SIZE = 100


class Gateway:
    def __init__(self, ctx: AppContext, actor: Actor) -> None:
        self.ctx = ctx
        self.actor = actor
        self._pending: set[asyncio.Task[Any]] = set()
        self._tail: asyncio.Task[Any] | None = None

    @property
    def is_demo(self) -> bool:
        return self.actor.is_demo

    async def _write(self, work: Coroutine[Any, Any, T]) -> T:
        # Writes run one after another in the order the cook asked for them (two quick "next" presses
        # are two steps, not a conflict), each in its own task shielded from the asking worker's
        # cancellation; quit waits for the queue, so a key pressed before quitting is still recorded.
        previous = self._tail

        async def in_turn() -> T:
            if previous is not None and not previous.done():
                await asyncio.wait([previous])
            return await work

        task = asyncio.ensure_future(in_turn())
        self._tail = task
        self._pending.add(task)
        task.add_done_callback(self._finished)
        return await asyncio.shield(task)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._pending.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved here too: the asking worker may be gone

    async def _read(self, func: Callable[..., Awaitable[T]], /, *args: Any, **kwargs: Any) -> T:
        # Reads are shielded and tracked too: a query cancelled mid-flight makes SQLAlchemy close the
        # aiosqlite connection in a background task that can hang once the engine is disposed, so
        # leaving a screen lets its reads finish (they are short) and quit waits for them.
        async def call() -> T:
            async with self.ctx.session() as session:
                return await func(session, *args, **kwargs)

        return await asyncio.shield(self.track(call()))

    def track(self, work: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        """Start `work` now, outside any worker, and make quit wait for it (a key press is a promise)."""
        task = asyncio.ensure_future(work)
        self._pending.add(task)
        task.add_done_callback(self._finished)
        return task

    async def drain(self, limit_seconds: float = 10.0) -> None:
        """Wait for service calls still in flight (called before the context closes)."""
        pending = [task for task in self._pending if not task.done()]
        if pending:
            await asyncio.wait(pending, timeout=limit_seconds)

    # --- recipes ---------------------------------------------------------------------------

    async def list_recipes(self, *, q: str | None = None, difficulty: Difficulty | None = None) -> RecipePage:
        from chefmentor.recipes.service import list_recipes

        return await self._read(
            list_recipes, cache=self.ctx.cache, limit=RECIPE_PAGE_SIZE, q=q or None, difficulty=difficulty
        )

    async def get_recipe(self, recipe_id: uuid.UUID) -> RecipeRead:
        from chefmentor.recipes.service import get_recipe

        return await self._read(get_recipe, recipe_id, cache=self.ctx.cache)

    # --- cooking ---------------------------------------------------------------------------

    def _cooking_kwargs(self) -> dict[str, Any]:
        return {"actor": self.actor, "cache": self.ctx.cache, "clock": self.ctx.clock}

    async def _cooking_write(self, func: Any, **kwargs: Any) -> Any:
        async def call() -> Any:
            async with self.ctx.session() as session:
                return await func(session, **self._cooking_kwargs(), **kwargs)

        return await self._write(call())

    async def start_cooking(self, recipe_id: uuid.UUID) -> CookingSessionRead:
        from chefmentor.cooking.service import start_cooking

        result: CookingSessionRead = await self._cooking_write(start_cooking, recipe_id=recipe_id)
        return result

    async def get_cooking_session(self, session_id: uuid.UUID) -> CookingSessionRead:
        from chefmentor.cooking.service import get_cooking_session

        return await self._read(get_cooking_session, session_id=session_id, **self._cooking_kwargs())

    async def get_guidance(self, session_id: uuid.UUID) -> GuidanceRead:
        from chefmentor.cooking.navigation import get_guidance

        return await self._read(get_guidance, session_id=session_id, **self._cooking_kwargs())

    async def next_step(self, session_id: uuid.UUID) -> GuidanceRead:
        from chefmentor.cooking.navigation import next_step

        result: GuidanceRead = await self._cooking_write(next_step, session_id=session_id)
        return result

    async def previous_step(self, session_id: uuid.UUID) -> GuidanceRead:
        from chefmentor.cooking.navigation import previous_step

        result: GuidanceRead = await self._cooking_write(previous_step, session_id=session_id)
        return result

    async def goto_step(self, session_id: uuid.UUID, step_number: int) -> GuidanceRead:
        from chefmentor.cooking.navigation import goto_step

        result: GuidanceRead = await self._cooking_write(goto_step, session_id=session_id, step_number=step_number)
        return result

    async def start_timer(self, session_id: uuid.UUID, *, seconds: int, name: str | None) -> TimerRead:
        from chefmentor.cooking.navigation import start_timer

        result: TimerRead = await self._cooking_write(start_timer, session_id=session_id, seconds=seconds, name=name)
        return result

    async def cancel_timer(self, session_id: uuid.UUID, *, name: str | None) -> TimerRead:
        from chefmentor.cooking.navigation import cancel_cooking_timer

        result: TimerRead = await self._cooking_write(cancel_cooking_timer, session_id=session_id, name=name)
        return result

    async def check_timers(self, session_id: uuid.UUID) -> list[TimerRead]:
        from chefmentor.cooking.navigation import check_timers

        result: list[TimerRead] = await self._cooking_write(check_timers, session_id=session_id)
        return result

    async def pause(self, session_id: uuid.UUID) -> CookingSessionRead:
        from chefmentor.cooking.navigation import pause_cooking

        result: CookingSessionRead = await self._cooking_write(pause_cooking, session_id=session_id)
        return result

    async def resume(self, session_id: uuid.UUID) -> CookingSessionRead:
        from chefmentor.cooking.navigation import resume_cooking

        result: CookingSessionRead = await self._cooking_write(resume_cooking, session_id=session_id)
        return result

    async def complete(self, session_id: uuid.UUID) -> CookingSessionRead:
        from chefmentor.cooking.service import complete_cooking_session

        result: CookingSessionRead = await self._cooking_write(complete_cooking_session, session_id=session_id)
        return result

    async def abandon(self, session_id: uuid.UUID) -> CookingSessionRead:
        from chefmentor.cooking.service import abandon_cooking_session

        result: CookingSessionRead = await self._cooking_write(abandon_cooking_session, session_id=session_id)
        return result

    async def list_sessions(self, *, limit: int = 20, status: SessionStatus | None = None) -> CookingSessionPage:
        from chefmentor.cooking.service import list_cooking_sessions

        return await self._read(
            list_cooking_sessions, actor=self.actor, cache=self.ctx.cache, limit=limit, status=status
        )

    # --- diagnosis -------------------------------------------------------------------------

    async def list_analyses(self, *, limit: int = 20) -> AnalysisPage:
        from chefmentor.failure.queries import list_analyses

        return await self._read(list_analyses, actor=self.actor, limit=limit)

    async def get_analysis(self, analysis_id: uuid.UUID) -> AnalysisRead:
        from chefmentor.failure.queries import get_analysis

        return await self._read(get_analysis, actor=self.actor, analysis_id=analysis_id)

    async def add_note(self, analysis_id: uuid.UUID, text: str) -> NoteRead:
        from chefmentor.failure.queries import add_note

        async def call() -> NoteRead:
            async with self.ctx.session() as session:
                return await add_note(
                    session, actor=self.actor, analysis_id=analysis_id, text=text, clock=self.ctx.clock
                )

        return await self._write(call())

    async def update_note(self, analysis_id: uuid.UUID, note_id: uuid.UUID, text: str) -> NoteRead:
        from chefmentor.failure.queries import update_note

        async def call() -> NoteRead:
            async with self.ctx.session() as session:
                return await update_note(
                    session,
                    actor=self.actor,
                    analysis_id=analysis_id,
                    note_id=note_id,
                    text=text,
                    clock=self.ctx.clock,
                )

        return await self._write(call())

    async def delete_note(self, analysis_id: uuid.UUID, note_id: uuid.UUID) -> None:
        from chefmentor.failure.queries import delete_note

        async def call() -> None:
            async with self.ctx.session() as session:
                await delete_note(session, actor=self.actor, analysis_id=analysis_id, note_id=note_id)

        await self._write(call())

    async def analyze(
        self, media: Path, *, dish: str | None, notes: str | None, cooking_session_id: uuid.UUID | None
    ) -> AnalysisRead:
        from chefmentor.failure.service import analyze_failure, diagnosis_deps

        ctx = self.ctx

        async def call() -> AnalysisRead:
            async with ctx.session() as session:
                return await analyze_failure(
                    session,
                    actor=self.actor,
                    **diagnosis_deps(ctx),
                    upload=read_file_chunks(media),
                    filename=media.name,
                    dish=dish,
                    notes=notes,
                    cooking_session_id=cooking_session_id,
                )

        return await self._write(call())

    async def retry_analysis(self, analysis_id: uuid.UUID) -> AnalysisRead:
        from chefmentor.failure.service import diagnosis_deps, retry_analysis

        ctx = self.ctx

        async def call() -> AnalysisRead:
            async with ctx.session() as session:
                return await retry_analysis(
                    session,
                    actor=self.actor,
                    analysis_id=analysis_id,
                    **diagnosis_deps(ctx),
                )

        return await self._write(call())

    # --- profile ---------------------------------------------------------------------------

    async def get_profile(self) -> ProfileRead:
        from chefmentor.profile.service import get_profile

        return await self._read(get_profile, actor=self.actor)

    async def update_profile(self, habits: CookingHabitsUpdate) -> ProfileRead:
        from chefmentor.profile.service import update_profile

        async def call() -> ProfileRead:
            async with self.ctx.session() as session:
                return await update_profile(session, actor=self.actor, habits=habits, clock=self.ctx.clock)

        return await self._write(call())


async def read_file_chunks(path: Path, chunk_size: int = 1024 * 1024) -> AsyncIterator[bytes]:
    """Stream a local file to the media intake, which enforces the size limit while reading."""
    handle = await asyncio.to_thread(path.open, "rb")
    try:
        while chunk := await asyncio.to_thread(handle.read, chunk_size):
            yield chunk
    finally:
        await asyncio.to_thread(handle.close)

"""ChefMentorApp: opens the app context on mount, closes it on unmount, and hosts the screens."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractAsyncContextManager, AsyncExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding

from chefmentor.actor import Actor
from chefmentor.errors import ChefMentorError

if TYPE_CHECKING:
    from textual.screen import Screen

    from chefmentor.config import Settings
    from chefmentor.context import AppContext
    from cli.tui.gateway import Gateway

ContextFactory = Callable[["Settings"], AbstractAsyncContextManager["AppContext"]]
log = logging.getLogger("chefmentor.tui")
UNWIND_SECONDS = 5.0
DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"


def _default_context_factory(settings: Settings) -> AbstractAsyncContextManager[AppContext]:
    from chefmentor.context import open_context

    return open_context(settings)


def demo_marker(home: Path) -> Path:
    """Where `tui --demo` keeps its demo session's token (owner-only), so the next run continues it."""
    return home / "tui-demo-token"


def remember_demo(home: Path, token: str) -> None:
    try:
        home.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(demo_marker(home), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(token)
    except OSError:
        log.debug("cannot remember the demo session", exc_info=True)


class ChefMentorApp(App[None]):
    """The whole TUI. Tests pass `context_factory` to run it on their own database and clock."""

    CSS_PATH = [Path(__file__).with_name("app.tcss"), Path(__file__).with_name("forms.tcss")]
    TITLE = "ChefMentor X"
    SUB_TITLE = "cook it right, find out why"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("ctrl+t", "toggle_theme", "Theme"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        settings: Settings,
        *,
        context_factory: ContextFactory | None = None,
        demo: bool = False,
        check_migrations: bool = True,
        voice_factory: Any = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.context_factory = context_factory or _default_context_factory
        self.demo = demo
        self.check_migrations = check_migrations
        # Tests replace the microphone and speaker of the voice loop (see cli.tui.voice).
        self.voice_factory = voice_factory
        self._stack = AsyncExitStack()
        self._gateway: Gateway | None = None
        self.startup_error: str | None = None
        self.startup_exit_code = 0
        self.migration_state: str = "pending" if check_migrations else "ok"
        self._deferred_errors: list[tuple[str, str]] = []

    @property
    def gateway(self) -> Gateway:
        if self._gateway is None:
            raise RuntimeError("The app context is not open")
        return self._gateway

    @property
    def ready(self) -> bool:
        return self._gateway is not None

    async def on_mount(self) -> None:
        self.theme = DARK_THEME
        if self.demo:
            self.sub_title = "demo mode: nothing is kept after 24 h"
        try:
            ctx = await self._stack.enter_async_context(self.context_factory(self.settings))
            if self.demo and self.check_migrations:
                await self._ensure_migrated(ctx)  # the demo session is a row: the tables must exist
            actor = await self._actor(ctx)
        except ChefMentorError as exc:
            await self._show_startup_error(exc.message, exc.exit_code)
            return
        except Exception as exc:
            log.debug("TUI startup failed", exc_info=True)
            await self._show_startup_error(f"Unexpected error while opening the database: {type(exc).__name__}: {exc}")
            return
        from cli.tui.gateway import Gateway
        from cli.tui.screens.home import HomeScreen

        self._gateway = Gateway(ctx, actor)
        await self.push_screen(HomeScreen())

    def home_first_load_done(self) -> None:
        """Home filled its recipe list (or failed to): now check the migration, without delaying Home."""
        if self._gateway is None:
            return
        if self.check_migrations and self.migration_state == "pending":
            self.run_worker(self._check_migrations(self._gateway.ctx), group="startup", exit_on_error=False)
        else:
            self._migration_checked()

    async def _ensure_migrated(self, ctx: AppContext) -> None:
        # Alembic is the heaviest import of the app: load it off the event loop so Home renders meanwhile.
        status = await asyncio.to_thread(importlib.import_module, "chefmentor.db.status")
        await status.ensure_migrated(ctx.engine)
        self.migration_state = "ok"

    async def _check_migrations(self, ctx: AppContext) -> None:
        try:
            await self._ensure_migrated(ctx)
        except ChefMentorError as exc:
            await self._show_startup_error(exc.message, exc.exit_code)
            return
        except Exception as exc:
            log.debug("TUI migration check failed", exc_info=True)
            await self._show_startup_error(f"Cannot check the database: {type(exc).__name__}: {exc}")
            return
        self._migration_checked()

    def _migration_checked(self) -> None:
        self.migration_state = "ok"
        deferred, self._deferred_errors = self._deferred_errors, []
        for title, message in deferred:
            self.notify(message, title=title, severity="error", timeout=8)

    async def _actor(self, ctx: AppContext) -> Actor:
        if not self.demo:
            return Actor.local()
        from chefmentor.auth.service import start_demo

        remembered = self._remembered_demo(ctx)
        if remembered is not None:
            self.sub_title = "demo mode (continued): nothing is kept after 24 h"
            return remembered
        async with ctx.session() as session:
            started = await start_demo(session, settings=ctx.settings, clock=ctx.clock)
        remember_demo(ctx.settings.home, started.access_token)
        return Actor.demo(started.demo_session_id)

    def _remembered_demo(self, ctx: AppContext) -> Actor | None:
        """The demo the last `tui --demo` used, while its token is still valid (the API's own check), so a
        minute-old demo history is not left behind by a new demo session."""
        from chefmentor.auth.service import resolve_actor

        try:
            token = demo_marker(ctx.settings.home).read_text(encoding="utf-8").strip()
            actor = resolve_actor(token, settings=ctx.settings, clock=ctx.clock)
        except (OSError, ChefMentorError):
            return None
        return actor if actor.is_demo else None

    async def _show_startup_error(self, message: str, exit_code: int = 1) -> None:
        from cli.tui.screens.startup_error import StartupErrorScreen

        self.migration_state = "failed"
        self.startup_error = message
        self.startup_exit_code = exit_code
        self._gateway = None
        self._deferred_errors.clear()
        # Pushed over Home rather than replacing it: Home may still be mounting when the check answers.
        await self.push_screen(StartupErrorScreen(message))

    async def on_unmount(self) -> None:
        # Let cancelled workers unwind while the engine still exists: a query cancelled after the
        # engine is disposed leaves SQLAlchemy's connection close waiting forever.
        workers = list(self.workers)
        self.workers.cancel_all()
        if workers:
            unwound = asyncio.gather(*(worker.wait() for worker in workers), return_exceptions=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(unwound, UNWIND_SECONDS)
        if self._gateway is not None:
            await self._gateway.drain()
        await self._stack.aclose()

    @contextmanager
    def service_errors(self, doing: str | None = None) -> Iterator[None]:
        """Turn a failed service call into an error notification (never a traceback on screen)."""
        try:
            yield
        except ChefMentorError as exc:
            self._report(doing or "Could not do that", exc.message)
        except Exception as exc:
            log.debug("TUI service call failed", exc_info=True)
            self._report(doing or "Something went wrong", f"Unexpected error: {type(exc).__name__}: {exc}")

    def _report(self, title: str, message: str) -> None:
        # Until the migration check answers, a failure may only mean "not migrated": the check's
        # error screen says that better, so hold the notification until the check passes.
        if self.migration_state == "pending":
            self._deferred_errors.append((title, message))
        elif self.migration_state == "ok":
            self.notify(message, title=title, severity="error", timeout=8)

    def action_help(self) -> None:
        from cli.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT_THEME if self.theme == DARK_THEME else DARK_THEME

    def action_open_home(self) -> None:
        from cli.tui.screens.home import HomeScreen

        if not self.ready:
            return
        while len(self.screen_stack) > 2 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()

    def action_diagnose(self) -> None:
        from cli.tui.screens.diagnose import DiagnoseScreen

        if self.ready and not isinstance(self.screen, DiagnoseScreen):
            self.push_screen(DiagnoseScreen())

    def action_history(self) -> None:
        from cli.tui.screens.history import HistoryScreen

        if self.ready and not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen())

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        if self.ready:
            yield SystemCommand("Recipes", "Browse and search recipes (home)", self.action_open_home)
            yield SystemCommand(
                "Diagnose a dish", "Find out why a dish failed from a photo or video", self.action_diagnose
            )
            yield SystemCommand(
                "History and profile", "Past cooking sessions, analyses and your habits", self.action_history
            )
        yield SystemCommand("Help", "Keys for every screen", self.action_help)
        yield SystemCommand("Toggle dark/light", "Switch between the dark and light theme", self.action_toggle_theme)
        yield from super().get_system_commands(screen)

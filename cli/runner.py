"""run(): load settings, open the context inside asyncio.run, map ChefMentorError to one red line + exit code."""

from __future__ import annotations

import traceback
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from cli.state import CliState

if TYPE_CHECKING:
    from chefmentor.config import Settings
    from chefmentor.context import AppContext

T = TypeVar("T")


def state_of(ctx: typer.Context) -> CliState:
    root = ctx.find_root()
    obj = root.obj
    return obj if isinstance(obj, CliState) else CliState()


def build_settings(state: CliState, **overrides: Any) -> Settings:
    from chefmentor.config import load_settings

    extra: dict[str, Any] = dict(overrides)
    if state.database_url:
        extra.setdefault("db", {})["url"] = state.database_url
    if state.offline:
        extra["offline"] = True
    return load_settings(env_file=state.env_file, **extra)


def guarded(state: CliState, call: Callable[[], T]) -> T:
    """Run `call`, turning any failure into one red line and a non-zero exit (traceback only with --debug)."""
    from chefmentor.errors import ChefMentorError
    from cli.output import err_console, print_error

    try:
        return call()
    except typer.Exit:
        raise
    except ChefMentorError as exc:
        if state.debug:
            err_console.print(traceback.format_exc(), highlight=False)
        print_error(exc.message)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        print_error("Interrupted")
        raise typer.Exit(130) from None
    except Exception as exc:
        if state.debug:
            err_console.print(traceback.format_exc(), highlight=False)
        print_error(f"Unexpected error: {type(exc).__name__}: {exc}" + ("" if state.debug else " (--debug)"))
        raise typer.Exit(1) from None


def run(
    ctx: typer.Context,
    work: Callable[[AppContext], Awaitable[T]],
    *,
    check_migrated: bool = True,
    **context_overrides: Any,
) -> T:
    """Open the app context in a fresh event loop and run `work` with it."""
    import asyncio

    state = state_of(ctx)

    async def main() -> T:
        from chefmentor.context import open_context
        from chefmentor.db.status import ensure_migrated

        settings = build_settings(state)
        async with open_context(settings, **context_overrides) as app:
            if check_migrated:
                await ensure_migrated(app.engine)
            return await work(app)

    return guarded(state, lambda: asyncio.run(main()))

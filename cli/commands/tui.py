from __future__ import annotations

import typer

from cli.runner import build_settings, guarded, state_of


def register(app: typer.Typer) -> None:
    app.command("tui")(tui)


def tui(
    ctx: typer.Context,
    demo: bool = typer.Option(
        False, "--demo", help="Act as a 24 h demo session (history kept apart, profile editing disabled)."
    ),
) -> None:
    """Open the Textual app: browse recipes, cook step by step, diagnose a dish, review history."""
    state = state_of(ctx)

    def work() -> None:
        settings = build_settings(state)
        try:
            from cli.tui.app import ChefMentorApp
        except ModuleNotFoundError as exc:
            if exc.name != "textual" and not str(exc.name).startswith("textual."):
                raise
            from chefmentor.errors import ConfigError

            raise ConfigError(
                "The TUI is not installed here: install the tui extra (`pip install 'chefmentor[tui]'`; "
                "`make install` includes it)"
            ) from exc

        tui_app = ChefMentorApp(settings, demo=demo)
        tui_app.run()
        if tui_app.return_code:
            raise typer.Exit(tui_app.return_code)

    guarded(state, work)

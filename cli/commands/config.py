from __future__ import annotations

import typer

from cli.runner import build_settings, guarded, state_of

app = typer.Typer(help="Show the effective settings.", no_args_is_help=True)


@app.command("show")
def show(ctx: typer.Context) -> None:
    """Print the effective settings with every secret masked."""
    state = state_of(ctx)

    def work() -> None:
        from chefmentor.config import masked_dump
        from cli.output import console, emit_json

        data = masked_dump(build_settings(state))
        if state.json:
            emit_json(data)
            return
        from rich.pretty import Pretty

        console.print(Pretty(data, expand_all=True))

    guarded(state, work)

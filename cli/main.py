"""The `chefmentor` Typer app. Command modules import only typer/stdlib at top level (fast --help)."""

from __future__ import annotations

import importlib
from pathlib import Path

import typer

from chefmentor.errors import exit_code_table
from cli.state import CliState

app = typer.Typer(
    name="chefmentor",
    help=(f"ChefMentor X: cook a dish by voice and find out why a dish failed.\n\nExit codes: {exit_code_table()}."),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

# (module under cli.commands, sub-app name or None when the module adds plain commands)
COMMAND_MODULES: tuple[tuple[str, str | None], ...] = (
    ("config", "config"),
    ("db", "db"),
    ("recipes", "recipes"),
    ("recipedb", None),
    ("serve", None),
    ("doctor", None),
    ("openapi", "openapi"),
    ("tui", None),
    ("cook", None),
    ("diagnose", None),
    ("voice", "voice"),
    ("eval", "eval"),
    ("jobs", "jobs"),
    ("worker", None),
)


@app.callback()
def main_options(
    ctx: typer.Context,
    json_output: bool = typer.Option(False, "--json", help="Print exactly one JSON document on stdout."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors."),
    env_file: Path | None = typer.Option(None, "--env-file", help="Read settings from this env file."),
    database_url: str | None = typer.Option(None, "--database-url", help="Override CHEFMENTOR_DATABASE_URL."),
    offline: bool = typer.Option(False, "--offline", help="Never call a network provider."),
) -> None:
    ctx.obj = CliState(json=json_output, debug=debug, env_file=env_file, database_url=database_url, offline=offline)


def _register() -> None:
    for module_name, group in COMMAND_MODULES:
        module = importlib.import_module(f"cli.commands.{module_name}")
        if group is None:
            module.register(app)
        else:
            app.add_typer(module.app, name=group)


_register()


def main() -> None:
    app()


if __name__ == "__main__":
    main()

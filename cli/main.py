"""The `chefmentor` Typer app. Command modules import only typer/stdlib at top level (fast --help)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup, TyperOption

from chefmentor.errors import exit_code_table
from cli.state import CliState

GLOBAL_FLAGS = frozenset({"--json", "--debug", "--offline"})
GLOBAL_VALUED = frozenset({"--env-file", "--database-url"})
USAGE_ERROR_CODE = "USAGE_ERROR"


def hoist_global_options(args: Sequence[str]) -> list[str]:
    """Move the global options to the front wherever they were typed (`recipes list --json` works like
    `--json recipes list`); everything after `--` is left alone."""
    front: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest.extend(args[index:])
            break
        if arg in GLOBAL_FLAGS:
            front.append(arg)
        elif arg in GLOBAL_VALUED and index + 1 < len(args):
            front += [arg, args[index + 1]]
            index += 1
        elif "=" in arg and arg.split("=", 1)[0] in GLOBAL_VALUED:
            front.append(arg)
        else:
            rest.append(arg)
        index += 1
    return front + rest


def _asks_for_json(hoisted: Sequence[str]) -> bool:
    """--json among the leading global options (a `--json` after `--` is an argument)."""
    index = 0
    while index < len(hoisted) and hoisted[index] != "--":
        arg = hoisted[index]
        if arg == "--json":
            return True
        if arg in GLOBAL_VALUED:
            index += 2
        elif arg in GLOBAL_FLAGS or "=" in arg and arg.split("=", 1)[0] in GLOBAL_VALUED:
            index += 1
        else:
            return False
    return False


def _hide_flag_types(command: Any) -> None:
    """On/off flags take no value, so their help shows no `<bool>` type (Typer's rich help prints one)."""
    context = typer.Context(command, help_option_names=["-h", "--help"])
    params = list(command.params)
    help_option = command.get_help_option(context)
    if help_option is not None:
        params.append(help_option)
    for param in params:
        if isinstance(param, TyperOption) and (param.is_flag or param.count) and param.metavar is None:
            param.metavar = ""
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            _hide_flag_types(sub)


class ChefMentorGroup(TyperGroup):
    """The root command: global options anywhere on the line, and with --json one JSON envelope on stdout
    for usage errors too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _hide_flag_types(self)

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        from cli.output import print_error, start_invocation

        argv = hoist_global_options(list(sys.argv[1:] if args is None else args))
        wants_json = _asks_for_json(argv)
        start_invocation(json_mode=wants_json)
        if not wants_json or not standalone_mode:
            return super().main(argv, prog_name, complete_var, standalone_mode, **extra)
        try:
            result = super().main(argv, prog_name, complete_var, False, **extra)
        except typer.Abort:
            print_error("Aborted", code="INTERRUPTED")
            sys.exit(1)
        except Exception as exc:
            # Click's usage errors (the vendored click inside Typer): a message and an exit code.
            exit_code = getattr(exc, "exit_code", None)
            if not hasattr(exc, "format_message") or not isinstance(exit_code, int):
                raise
            print_error(exc.format_message(), code=USAGE_ERROR_CODE)
            sys.exit(exit_code)
        sys.exit(result if isinstance(result, int) and not isinstance(result, bool) else 0)


app = typer.Typer(
    name="chefmentor",
    cls=ChefMentorGroup,
    help=(
        "ChefMentor X: cook a dish by voice and find out why a dish failed.\n\n"
        "Global options work before or after the command (`chefmentor recipes list --json`).\n\n"
        f"Exit codes: {exit_code_table()}."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
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


def _print_version(value: bool) -> None:
    if not value:
        return
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("chefmentor")
    except PackageNotFoundError:
        number = "unknown (not installed)"
    typer.echo(f"chefmentor {number}")
    raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    json_output: bool = typer.Option(False, "--json", help="Print exactly one JSON document on stdout."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors."),
    env_file: Path | None = typer.Option(None, "--env-file", help="Read settings from this env file."),
    database_url: str | None = typer.Option(None, "--database-url", help="Override CHEFMENTOR_DATABASE_URL."),
    offline: bool = typer.Option(False, "--offline", help="Never call a network provider."),
    _version: bool = typer.Option(
        False, "--version", is_eager=True, callback=_print_version, help="Print the version and exit."
    ),
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

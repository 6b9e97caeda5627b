from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from cli.runner import build_settings, guarded, state_of

if TYPE_CHECKING:
    from chefmentor.config import Settings
    from chefmentor.doctor import CheckResult

_MARKS = {"ok": "[green]✓[/]", "warn": "[yellow]![/]", "fail": "[red]✗[/]", "off": "[dim]-[/]"}
DOCTOR_FAILED_EXIT = 3


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)


def _settings_checks(state: Any) -> tuple[Settings | None, list[CheckResult]]:
    """Settings that cannot be built are a failed check; an unwritable home still lets the rest run."""
    from chefmentor.doctor import CheckResult
    from chefmentor.errors import ChefMentorError, StorageError
    from cli.preflight import home_problem

    try:
        settings = build_settings(state)
    except StorageError as exc:
        import secrets

        fallback = build_settings(state, auth={"jwt_secret": secrets.token_urlsafe(48)})
        return fallback, [CheckResult("home", "fail", exc.message, required=True)]
    except ChefMentorError as exc:
        return None, [CheckResult("settings", "fail", exc.message, required=True)]
    problem = home_problem(settings.home)
    if problem:
        return settings, [CheckResult("home", "fail", problem, required=True)]
    return settings, [CheckResult("home", "ok", str(settings.home), required=True)]


def _offline_checks(settings: Settings, database_problem: str) -> list[CheckResult]:
    """What can be checked without opening the database."""
    from chefmentor.doctor import CheckResult, check_media, check_microphone, check_providers, check_voice_models

    return [
        CheckResult("database", "fail", database_problem, required=True),
        check_media(settings),
        *check_providers(settings),
        *check_voice_models(settings),
        check_microphone(),
    ]


def doctor(ctx: typer.Context) -> None:
    """Check settings, home folder, database, Redis, media, AI providers, voice models and microphone;
    non-zero exit on failure."""
    state = state_of(ctx)

    def checks() -> list[CheckResult]:
        import asyncio

        from chefmentor.errors import ChefMentorError
        from cli.preflight import check_database_target

        settings, first = _settings_checks(state)
        if settings is None:
            return first
        try:
            check_database_target(settings, creates=False)
        except ChefMentorError as exc:
            return first + _offline_checks(settings, exc.message)
        return first + asyncio.run(_context_checks(settings))

    results = [result.to_json() for result in guarded(state, checks)]
    _render(state.json, results)


async def _context_checks(settings: Settings) -> list[CheckResult]:
    from chefmentor.context import open_context
    from chefmentor.doctor import run_checks

    async with open_context(settings) as app_ctx:
        return await run_checks(app_ctx)


def _render(json_mode: bool, results: list[dict[str, object]]) -> None:
    failed = [r for r in results if r["status"] == "fail" and r["required"]]
    if json_mode:
        from cli.output import emit_json

        emit_json({"ok": not failed, "checks": results})
    else:
        from rich.markup import escape

        from cli.output import console

        for result in results:
            mark = _MARKS[str(result["status"])]
            line = f"{mark} [bold]{result['name']:<12}[/] {escape(str(result['detail']))}"
            console.print(line, highlight=False, soft_wrap=True)
    if failed:
        raise typer.Exit(DOCTOR_FAILED_EXIT)

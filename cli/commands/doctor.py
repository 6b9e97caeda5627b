from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from cli.runner import run, state_of

if TYPE_CHECKING:
    from chefmentor.context import AppContext

_MARKS = {"ok": "[green]✓[/]", "warn": "[yellow]![/]", "fail": "[red]✗[/]", "off": "[dim]-[/]"}


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)


def doctor(ctx: typer.Context) -> None:
    """Check database, Redis, media, AI providers, voice models and microphone; non-zero exit on failure."""

    async def work(app_ctx: AppContext) -> list[dict[str, object]]:
        from chefmentor.doctor import run_checks

        return [result.to_json() for result in await run_checks(app_ctx)]

    results = run(ctx, work, check_migrated=False)
    failed = [r for r in results if r["status"] == "fail" and r["required"]]
    if state_of(ctx).json:
        from cli.output import emit_json

        emit_json({"ok": not failed, "checks": results})
    else:
        from cli.output import console

        for result in results:
            mark = _MARKS[str(result["status"])]
            console.print(f"{mark} [bold]{result['name']:<12}[/] {result['detail']}", highlight=False)
    if failed:
        raise typer.Exit(3)

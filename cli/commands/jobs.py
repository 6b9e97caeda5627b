from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from cli.runner import run, state_of

if TYPE_CHECKING:
    from chefmentor.context import AppContext

app = typer.Typer(help="Background jobs: list them or run one now.", no_args_is_help=True)


@app.command("list")
def list_jobs(ctx: typer.Context) -> None:
    """The jobs, their schedule and what they do."""
    from chefmentor.jobs.registry import JOBS

    rows: list[dict[str, object]] = [
        {
            "name": spec.name,
            "schedule": _describe(spec.cron),
            "maxTries": spec.max_tries,
            "params": list(spec.params),
            "description": spec.description,
        }
        for spec in JOBS.values()
    ]
    if state_of(ctx).json:
        from cli.output import emit_json

        emit_json({"jobs": rows})
        return
    from rich.table import Table

    from cli.output import console

    table = Table(title="Jobs", header_style="bold")
    for column in ("Name", "Schedule", "Params", "Description"):
        table.add_column(column, overflow="fold")
    for spec in JOBS.values():
        table.add_row(spec.name, _describe(spec.cron), ", ".join(spec.params) or "-", spec.description)
    console.print(table)


def _describe(cron: Any) -> str:
    if cron is None:
        return "on demand"
    minutes = ",".join(f"{m:02d}" for m in sorted(cron.minutes))
    if cron.hours is None:
        return f"hourly at :{minutes}" if len(cron.minutes) == 1 else f"every hour at :{minutes}"
    return ", ".join(f"{h:02d}:{minutes}" for h in sorted(cron.hours)) + " UTC daily"


def _parse_params(values: list[str]) -> dict[str, Any]:
    from chefmentor.errors import ValidationError

    params: dict[str, Any] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValidationError(f"--param expects KEY=VALUE, got {item!r}")
        params[key.strip().replace("-", "_")] = int(value) if value.strip().isdigit() else value
    return params


@app.command("run")
def run_command(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Job name (see `chefmentor jobs list`)."),
    param: list[str] = typer.Option([], "--param", "-p", help="Job argument KEY=VALUE (repeatable)."),
    tries: int | None = typer.Option(None, min=1, max=10, help="Attempts (default: the job's max tries)."),
) -> None:
    """Run one job now in this process (retries with backoff); exit non-zero when it fails."""
    state = state_of(ctx)

    async def work(app_ctx: AppContext) -> dict[str, Any]:
        from chefmentor.jobs.registry import get_spec, run_job

        get_spec(name)
        params = _parse_params(param)
        result = await run_job(app_ctx, name, max_tries=tries, **params)
        return result.to_json()

    data = run(ctx, work)
    if state.json:
        from cli.output import emit_json

        emit_json(data)
    else:
        from cli.output import console, print_error, print_ok

        if data["ok"]:
            print_ok(f"{data['job']} done in {data['seconds']} s ({data['jobId']})")
            for key, value in data["result"].items():
                console.print(f"  {key}: {value}", highlight=False)
        else:
            print_error(f"{data['job']} failed after {data['attempts']} attempts ({data['jobId']}): {data['error']}")
    if not data["ok"]:
        raise typer.Exit(1)

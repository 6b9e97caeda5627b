from __future__ import annotations

import typer

from cli.runner import build_settings, guarded, state_of


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)


def worker(
    ctx: typer.Context,
    burst: bool = typer.Option(False, help="Run queued jobs, then exit (cron jobs are not waited for)."),
) -> None:
    """Run the arq job worker (needs CHEFMENTOR_REDIS_URL): queued jobs plus the cron schedule."""
    state = state_of(ctx)

    def work() -> dict[str, int]:
        import asyncio

        from chefmentor.jobs.worker import run_worker
        from chefmentor.observability.logs import configure_logging

        settings = build_settings(state)
        if settings.redis.url is None:
            from chefmentor.errors import ConfigError

            raise ConfigError(
                "`chefmentor worker` needs Redis: set CHEFMENTOR_REDIS_URL (without Redis the API server runs jobs)"
            )
        configure_logging(log_json=settings.observability.log_json, service="chefmentor-worker")
        return asyncio.run(run_worker(settings, burst=burst))

    counters = guarded(state, work)
    if state.json:
        from cli.output import emit_json

        emit_json(counters)

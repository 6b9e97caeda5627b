from __future__ import annotations

import os
import sys

import typer

from cli.runner import build_settings, guarded, state_of

HEADER_TIMEOUT_PROTOCOL = "server.protocol:HeaderTimeoutH11Protocol"


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    ctx: typer.Context,
    host: str | None = typer.Option(None, help="Bind address (default from settings: 0.0.0.0)."),
    port: int | None = typer.Option(None, min=1, max=65535, help="Port (default: CHEFMENTOR_SERVER__PORT, else 8000)."),
    workers: int = typer.Option(1, min=1, max=64, help="Worker processes (share state via PostgreSQL + Redis)."),
    reload: bool = typer.Option(False, help="Reload on code changes (development)."),
) -> None:
    """Run the API server and print its LAN URL (and a QR code on a terminal)."""
    state = state_of(ctx)

    def work() -> None:
        settings = build_settings(state)
        bind_host = host or settings.server.host
        bind_port = port or settings.server.port
        check_port_free(bind_host, bind_port)
        _export_cli_overrides(state)
        _prepare_workers(settings, workers)
        _announce(bind_host, bind_port, settings.database_url, workers)
        import uvicorn

        uvicorn.run(
            "server.app:create_app",
            factory=True,
            host=bind_host,
            port=bind_port,
            workers=None if reload else workers,
            reload=reload,
            server_header=False,
            access_log=False,  # server.observability logs each request (structured, redacted)
            date_header=False,
            proxy_headers=bool(settings.server.trusted_proxies),
            forwarded_allow_ips=",".join(settings.server.trusted_proxies) or None,
            log_level="info",
            # Slow or stuck clients: header timeout (our h11 protocol), keep-alive, and a cap on connections
            # + requests per worker (503 beyond it); the body read timeout is in server/middleware.py.
            http=HEADER_TIMEOUT_PROTOCOL,
            timeout_keep_alive=settings.server.keep_alive_seconds,
            limit_concurrency=settings.server.limit_concurrency,
        )

    guarded(state, work)


def check_port_free(host: str, port: int) -> None:
    """Bind the address the way uvicorn will, before any banner, so a busy port is one line naming it."""
    import errno
    import socket

    from chefmentor.errors import ConfigError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            other = port + 1 if port < 65535 else 8080
            if exc.errno == errno.EADDRINUSE:
                raise ConfigError(
                    f"Port {port} is already in use on {host}: stop the other server or pick another port with "
                    f"`chefmentor serve --port {other}`, CHEFMENTOR_SERVER__PORT={other} "
                    f"or `make demo PORT={other}`"
                ) from None
            raise ConfigError(
                f"Cannot listen on {host}:{port} ({exc.strerror or exc}): pick another --host/--port"
            ) from None


def _export_cli_overrides(state: object) -> None:
    """Worker processes build settings from the environment, so CLI overrides travel through it."""
    from chefmentor.config import read_env_file

    env_file = getattr(state, "env_file", None)
    if env_file is not None:
        for key, value in read_env_file(env_file).items():
            os.environ.setdefault(key, value)
    if getattr(state, "database_url", None):
        os.environ["CHEFMENTOR_DATABASE_URL"] = state.database_url  # type: ignore[attr-defined]
    if getattr(state, "offline", False):
        os.environ["CHEFMENTOR_OFFLINE"] = "1"


def _announce(host: str, port: int, database_url: str, workers: int) -> None:
    from cli.lan import server_urls
    from cli.output import err_console

    urls = server_urls(host, port)
    safe_db = database_url.split("@")[-1] if "@" in database_url else database_url
    err_console.print(f"[bold green]ChefMentor X API[/] on {', '.join(urls)}  (docs: {urls[0]}/docs)")
    err_console.print(f"database: {safe_db} · workers: {workers}", highlight=False)
    print(f"CHEFMENTOR_URL={urls[0]}", flush=True)  # noqa: T201 - machine-readable line for scripts
    if sys.stderr.isatty():
        import segno

        segno.make(urls[0]).terminal(out=sys.stderr, compact=True)


def _prepare_workers(settings: object, workers: int) -> None:
    """Several workers share one Prometheus multi-process folder so /metrics sums them all; without Redis
    they share nothing else, which the operator should know."""
    from pathlib import Path

    from chefmentor.observability.metrics import setup_multiprocess_env

    setup_multiprocess_env(Path(str(getattr(settings, "home", "."))), workers)
    redis = getattr(settings, "redis", None)
    if workers > 1 and not getattr(redis, "url", None):
        from cli.output import err_console

        err_console.print(
            "[yellow]warning:[/] without CHEFMENTOR_REDIS_URL each worker keeps its own cache, active sessions "
            "and rate limits (and runs its own job scheduler): set it for more than one worker",
            highlight=False,
        )

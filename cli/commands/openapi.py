from __future__ import annotations

from pathlib import Path

import typer

from cli.runner import build_settings, guarded, state_of

app = typer.Typer(help="The HTTP API's OpenAPI document.", no_args_is_help=True)


@app.command("export")
def export(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="Where to write the OpenAPI JSON ('-' for stdout)."),
) -> None:
    """Write the OpenAPI 3.1 document of `chefmentor serve` (no database connection needed)."""
    state = state_of(ctx)

    def work() -> None:
        import json

        from server.app import create_app

        document = create_app(build_settings(state)).openapi()
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        if str(file) == "-":
            typer.echo(text, nl=False)
            return
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
        if state.json:
            from cli.output import emit_json

            emit_json({"file": str(file), "paths": len(document.get("paths", {}))})
            return
        from cli.output import print_ok

        print_ok(f"Wrote {file} ({len(document.get('paths', {}))} paths)")

    guarded(state, work)

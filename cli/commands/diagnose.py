"""`chefmentor diagnose MEDIA`: one failed-dish diagnosis from a photo or short video."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from cli.runner import run, state_of

if TYPE_CHECKING:
    from chefmentor.context import AppContext

PROVIDERS = ("gemini", "groq", "local")
READ_CHUNK_BYTES = 1024 * 1024
PENDING_EXIT_CODE = 11  # ProviderUnavailableError's exit code: the analysis is saved but has no diagnosis yet


def register(app: typer.Typer) -> None:
    app.command("diagnose")(diagnose)


async def _file_chunks(path: Path) -> AsyncIterator[bytes]:
    # Chunked so an oversized file is refused after max_bytes, not after reading all of it.
    with path.open("rb") as handle:
        while chunk := handle.read(READ_CHUNK_BYTES):
            yield chunk


def diagnose(
    ctx: typer.Context,
    media: Path = typer.Argument(..., metavar="MEDIA", help="A JPG, PNG or MP4 of the dish (at most 20 MB)."),
    dish: str | None = typer.Option(None, "--dish", help="What you cooked, e.g. 'fried rice'."),
    notes: str | None = typer.Option(None, "--notes", help="What you noticed: taste, texture, what went wrong."),
    session: str | None = typer.Option(None, "--session", help="Link a cooking session (its step timings help)."),
    provider: str | None = typer.Option(None, "--provider", help="Use only this provider: gemini, groq or local."),
) -> None:
    """Find out why a dish failed: category, root cause, evidence and fixes (Rich panel, or --json)."""
    state = state_of(ctx)
    if not media.is_file():
        raise typer.BadParameter(f"{media} is not a file", param_hint="MEDIA")
    try:
        session_id = uuid.UUID(session) if session else None
    except ValueError:
        raise typer.BadParameter("--session must be a cooking session id (UUID)") from None
    if provider is not None and provider not in PROVIDERS:
        raise typer.BadParameter(f"--provider must be one of {', '.join(PROVIDERS)}")
    if provider not in (None, "local") and state.offline:
        raise typer.BadParameter(f"--provider {provider} needs the network; drop --offline or use --provider local")

    async def work(app_ctx: AppContext) -> dict[str, Any]:
        from chefmentor.actor import Actor
        from chefmentor.ai.chain import build_diagnoser
        from chefmentor.failure.service import analyze_failure, diagnosis_deps

        deps = diagnosis_deps(app_ctx)
        if provider is not None:
            settings = app_ctx.settings
            only = settings.model_copy(update={"ai": settings.ai.model_copy(update={"providers": [provider]})})
            deps["diagnoser"] = build_diagnoser(only)
        async with app_ctx.session() as db:
            analysis = await analyze_failure(
                db,
                actor=Actor.local(),
                **deps,
                upload=_file_chunks(media),
                filename=media.name,
                dish=dish,
                notes=notes,
                cooking_session_id=session_id,
            )
        document: dict[str, Any] = analysis.model_dump(mode="json", by_alias=True)
        if document["mediaUrl"].startswith("/media/"):
            document["mediaPath"] = str(app_ctx.settings.media_dir / document["mediaUrl"].removeprefix("/media/"))
        return document

    document = run(ctx, work)
    if state.json:
        from cli.output import emit_json

        emit_json(document)
    else:
        render_diagnosis(document)
    if document.get("status") == "pending":
        raise typer.Exit(PENDING_EXIT_CODE)


def confidence_bar(confidence: float, width: int = 20) -> str:
    filled = max(0, min(width, round(confidence * width)))
    return "█" * filled + "░" * (width - filled) + f" {confidence * 100:.0f}%"


def render_diagnosis(doc: dict[str, Any]) -> None:
    from rich.console import Group
    from rich.markup import escape
    from rich.panel import Panel
    from rich.text import Text

    from cli.output import console, err_console

    attempts = ", ".join(
        f"{a['provider']} {'ok' if a['ok'] else a.get('error') or 'failed'} ({a.get('latencyMs', 0):.0f} ms)"
        for a in doc.get("attempts", [])
    )
    if doc.get("status") == "pending":
        err_console.print(
            f"[yellow]No provider could diagnose it ({escape(attempts) or 'none configured'}). "
            f"The upload is saved as analysis {doc['id']}: retry later.[/]"
        )
        return
    confidence = float(doc.get("confidence") or 0.0)
    category = doc.get("category") or "unknown"
    colour = "green" if confidence >= 0.7 else "yellow" if confidence >= 0.4 else "red"
    lines: list[Any] = [
        Text.from_markup(f"[bold]{escape(category)}[/]  [{colour}]{confidence_bar(confidence)}[/]"),
        Text(""),
        Text.from_markup(f"[bold]Root cause:[/] {escape(doc.get('rootCause') or '')}"),
    ]
    if doc.get("explanation"):
        lines.append(Text(doc["explanation"], style="dim"))
    if doc.get("suspectedStep"):
        lines.append(Text.from_markup(f"[bold]Suspected step:[/] {doc['suspectedStep']}"))
    sections = (("Evidence", doc.get("evidence")), ("Next time", doc.get("nextTime")))
    if doc.get("fixNow"):
        lines += [Text(""), Text.from_markup(f"[bold]Fix now:[/] {escape(doc['fixNow'])}")]
    for title, items in sections:
        if items:
            lines += [Text(""), Text(title, style="bold"), *(Text(f"  • {item}") for item in items)]
    if doc.get("safety"):
        lines += [Text(""), Text("Food safety", style="bold red")]
        lines += [Text(f"  ! {flag}", style="red") for flag in doc["safety"]]
    lines += [Text(""), Text(f"{doc.get('provider')} / {doc.get('model')} · {attempts}", style="dim")]
    where = doc.get("mediaPath") or doc.get("mediaUrl")
    title = f"Diagnosis · {doc.get('dish') or 'your dish'}"
    console.print(Panel(Group(*lines), title=escape(title), subtitle=escape(str(where)), expand=False))

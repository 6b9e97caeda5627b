"""`chefmentor diagnose MEDIA`: one failed-dish diagnosis from a photo or short video."""

from __future__ import annotations

import re
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


KEY_SETTINGS = {"gemini": ("gemini_api_key", "GEMINI_API_KEY"), "groq": ("groq_api_key", "GROQ_API_KEY")}
_PENDING_ID = re.compile(r"pending analysis ([0-9a-f-]{36})")


def diagnose(
    ctx: typer.Context,
    media: Path | None = typer.Argument(None, metavar="MEDIA", help="A JPG, PNG or MP4 of the dish (at most 20 MB)."),
    dish: str | None = typer.Option(None, "--dish", help="What you cooked, e.g. 'fried rice'."),
    notes: str | None = typer.Option(None, "--notes", help="What you noticed: taste, texture, what went wrong."),
    session: str | None = typer.Option(None, "--session", help="Link a cooking session (its step timings help)."),
    provider: str | None = typer.Option(None, "--provider", help="Use only this provider: gemini, groq or local."),
    retry: str | None = typer.Option(
        None, "--retry", metavar="ID", help="Re-run a pending analysis from its saved upload (no MEDIA needed)."
    ),
    pending: bool = typer.Option(False, "--pending", help="List the analyses still waiting for a diagnosis."),
) -> None:
    """Find out why a dish failed: category, root cause, evidence and fixes (Rich panel, or --json).
    An upload no provider could judge is kept as a pending analysis: `--pending` lists them and
    `--retry ID` (e.g. with `--provider local`) finishes one."""
    state = state_of(ctx)
    if pending:
        _list_pending(ctx)
        return
    retry_id = _uuid_option(retry, "--retry", "an analysis id (UUID) from `chefmentor diagnose --pending`")
    if retry_id is None and media is None:
        raise typer.BadParameter("name the MEDIA file, or --retry ID for a pending analysis", param_hint="MEDIA")
    if retry_id is not None and media is not None:
        raise typer.BadParameter("--retry re-uses the saved upload: drop MEDIA", param_hint="--retry")
    if media is not None and not media.is_file():
        raise typer.BadParameter(f"{media} is not a file", param_hint="MEDIA")
    session_id = _uuid_option(session, "--session", "a cooking session id (UUID)")
    if provider is not None and provider not in PROVIDERS:
        raise typer.BadParameter(f"--provider must be one of {', '.join(PROVIDERS)}")
    if provider not in (None, "local") and state.offline:
        raise typer.BadParameter(f"--provider {provider} needs the network; drop --offline or use --provider local")

    async def work(app_ctx: AppContext) -> dict[str, Any]:
        from chefmentor.actor import Actor
        from chefmentor.errors import ProviderUnavailableError
        from chefmentor.failure.service import analyze_failure, diagnosis_deps, retry_analysis

        deps = diagnosis_deps(app_ctx)
        if provider is not None:
            deps["diagnoser"] = _only_provider(app_ctx, provider)
        try:
            async with app_ctx.session() as db:
                if retry_id is not None:
                    analysis = await retry_analysis(db, actor=Actor.local(), analysis_id=retry_id, **deps)
                else:
                    assert media is not None  # noqa: S101 - checked above
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
        except ProviderUnavailableError as exc:
            raise ProviderUnavailableError(_cli_pending_hint(exc.message)) from exc
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


def _uuid_option(value: str | None, name: str, what: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        raise typer.BadParameter(f"{name} must be {what}") from None


def _only_provider(app_ctx: AppContext, provider: str) -> Any:
    """One provider, refused up front when its key is missing (before the upload is stored as pending)."""
    from chefmentor.ai.chain import build_diagnoser
    from chefmentor.errors import ConfigError

    settings = app_ctx.settings
    if provider in KEY_SETTINGS:
        field, variable = KEY_SETTINGS[provider]
        if getattr(settings.ai, field) is None:
            raise ConfigError(
                f"--provider {provider} needs an API key: set {variable} (or put it in an --env-file); "
                "without a key use --provider local"
            )
    only = settings.model_copy(update={"ai": settings.ai.model_copy(update={"providers": [provider]})})
    return build_diagnoser(only)


def _cli_pending_hint(message: str) -> str:
    """The service names the HTTP retry route; on the command line the retry is a command."""
    found = _PENDING_ID.search(message)
    if found is None:
        return message
    head = message.split(" The upload is saved", 1)[0].rstrip(".")
    return (
        f"{head}. The upload is saved as pending analysis {found.group(1)}: retry with "
        f"`chefmentor diagnose --retry {found.group(1)}` (add --provider local to finish it offline)"
    )


def _list_pending(ctx: typer.Context) -> None:
    async def work(app_ctx: AppContext) -> dict[str, Any]:
        from chefmentor.actor import Actor
        from chefmentor.failure.models import AnalysisStatus
        from chefmentor.failure.queries import list_analyses

        async with app_ctx.session() as db:
            page = await list_analyses(db, actor=Actor.local(), status=AnalysisStatus.PENDING, limit=100)
        return page.model_dump(mode="json", by_alias=True)

    page = run(ctx, work)
    if state_of(ctx).json:
        from cli.output import emit_json

        emit_json(page)
        return
    from cli.output import console

    if not page["items"]:
        console.print("No pending analyses: every upload has its diagnosis.", highlight=False)
        return
    for item in page["items"]:
        tries = len(item.get("attempts") or [])
        console.print(
            f"{item['id']}  {item.get('dish') or 'dish'}  {item['createdAt'][:16]}  "
            f"{tries} attempt{'s' if tries != 1 else ''}",
            markup=False,
            highlight=False,
        )
    console.print("Retry one with `chefmentor diagnose --retry ID` (add --provider local to finish it offline).")


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
            f"The upload is saved as analysis {doc['id']}: retry with "
            f"`chefmentor diagnose --retry {doc['id']}` (add --provider local to finish it offline).[/]"
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

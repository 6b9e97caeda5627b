"""A stored diagnosis, read-only: category, confidence, evidence, suspected step, fixes, provenance."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, ProgressBar, Static

from cli.tui import formatting as fmt
from cli.tui.widgets.pictures import DishPhoto, media_path

if TYPE_CHECKING:
    from chefmentor.failure.schemas import AnalysisRead


def _bullets(items: list[str], mark: str = "•") -> str:
    return "\n".join(f"[$accent]{mark}[/] {item}" for item in items)


class AnalysisView(Vertical):
    """The AI part of an analysis. There is deliberately no way to edit it here: notes are separate."""

    def __init__(self, analysis: AnalysisRead) -> None:
        super().__init__()
        self.analysis = analysis
        self.add_class("analysis-view")

    def compose(self) -> ComposeResult:
        a = self.analysis
        pending = a.status == "pending" or a.category is None
        settings = getattr(self.app, "settings", None)
        if settings is not None:
            path = media_path(a.media_url, settings.media_dir)
            yield DishPhoto(path, kind=a.media_kind, id="analysis-photo")
        with Horizontal(classes="analysis-head"):
            badge = "pending" if pending else fmt.category_label(a.category)
            yield Label(badge, classes="category-badge" + (" -pending" if pending else ""), id="analysis-category")
            with Vertical(classes="confidence-box"):
                confidence = a.confidence or 0.0
                yield Label(
                    f"confidence [b]{confidence:.0%}[/]" if a.confidence is not None else "confidence –",
                    id="analysis-confidence",
                )
                bar = ProgressBar(total=100, show_eta=False, show_percentage=False, classes="confidence-bar")
                bar.progress = round(confidence * 100)
                yield bar
        if pending:
            tried = ", ".join(f"{t.provider} ({t.error or 'failed'})" for t in a.attempts) or "no provider"
            yield Static(
                f"No provider could diagnose this yet (tried: {tried}). The upload is kept: press [b]R[/] to retry.",
                classes="analysis-section",
            )
            return
        if a.root_cause:
            yield Static(f"[b]{a.root_cause}[/]", classes="analysis-root")
        if a.explanation:
            yield Static(a.explanation, classes="analysis-section")
        if a.evidence:
            yield Static(f"[b]Evidence[/]\n{_bullets(a.evidence)}", classes="analysis-section", id="analysis-evidence")
        if a.suspected_step is not None:
            yield Static(
                f"[b]Suspected step[/]  step {a.suspected_step}", classes="analysis-section", id="analysis-step"
            )
        if a.fix_now:
            yield Static(f"[b]Save it now[/]\n{a.fix_now}", classes="analysis-section")
        if a.next_time:
            yield Static(
                f"[b]Next time[/]\n{_bullets(a.next_time, '→')}", classes="analysis-section", id="analysis-fixes"
            )
        if a.safety:
            yield Static(f"[b $error]Safety[/]\n{_bullets(a.safety, '!')}", classes="analysis-section -safety")
        source = f"{a.provider or '?'} · {a.model or '?'}"
        yield Static(
            f"[dim]Diagnosed by {source} · {a.media_kind or 'media'} · AI part is read-only[/]",
            classes="analysis-source",
        )

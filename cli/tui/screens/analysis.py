"""One stored analysis: the read-only diagnosis and the cook's own notes (add, edit, delete)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from cli.tui import formatting as fmt
from cli.tui.messages import AnalysisLoaded
from cli.tui.screens.base import ServiceScreen
from cli.tui.screens.dialogs import NoteDialog
from cli.tui.widgets.analysis import AnalysisView

if TYPE_CHECKING:
    from chefmentor.failure.schemas import AnalysisRead


class NotesPanel(Vertical):
    """The cook's notes on an analysis; selecting one edits it."""

    def compose(self) -> ComposeResult:
        yield OptionList(id="notes-list")
        yield Static("[dim]a add · e/enter edit · delete remove[/]", classes="notes-help")

    def show(self, analysis: AnalysisRead) -> None:
        notes = self.query_one("#notes-list", OptionList)
        notes.clear_options()
        for note in analysis.notes:
            edited = " (edited)" if note.updated_at != note.created_at else ""
            notes.add_option(Option(f"{note.text}\n[dim]{note.created_at:%Y-%m-%d %H:%M}{edited}[/]", id=str(note.id)))
        if not analysis.notes:
            notes.add_option(Option("[dim]No notes yet: press a to add one[/]", disabled=True))
        self.border_title = f"Your notes ({len(analysis.notes)})"


class AnalysisScreen(ServiceScreen):
    BINDINGS = [
        Binding("a", "add_note", "Add note"),
        Binding("e", "edit_note", "Edit note"),
        Binding("delete", "delete_note", "Delete note"),
        Binding("R", "retry", "Retry", show=False),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, analysis_id: uuid.UUID, *, initial: AnalysisRead | None = None) -> None:
        super().__init__(id="analysis")
        self.analysis_id = analysis_id
        self.analysis: AnalysisRead | None = initial

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="analysis-scroll"):
            yield Static("", id="analysis-title")
            yield Vertical(id="analysis-holder")
            yield NotesPanel(id="notes")
        yield Footer()

    def on_mount(self) -> None:
        if self.analysis is not None:
            self.post_message(AnalysisLoaded(self.analysis))
        else:
            self.query_one("#analysis-holder").loading = True
        self.load()

    @work(exclusive=True, group="load", exit_on_error=False)
    async def load(self) -> None:
        with self.guard("Loading the analysis"):
            self.post_message(AnalysisLoaded(await self.gateway.get_analysis(self.analysis_id)))

    async def on_analysis_loaded(self, message: AnalysisLoaded) -> None:
        analysis = message.analysis
        self.analysis = analysis
        holder = self.query_one("#analysis-holder", Vertical)
        holder.loading = False
        await holder.remove_children()
        await holder.mount(AnalysisView(analysis))
        when = f"{analysis.created_at:%Y-%m-%d %H:%M}"
        dish = analysis.dish or "Your dish"
        self.query_one("#analysis-title", Static).update(
            f"[b]{dish}[/]  [dim]{when} · {fmt.category_label(analysis.category)}[/]"
        )
        self.query_one(NotesPanel).show(analysis)

    def _selected_note(self) -> tuple[uuid.UUID, str] | None:
        if self.analysis is None:
            return None
        notes = self.query_one("#notes-list", OptionList)
        if notes.highlighted is None:
            return None
        option = notes.get_option_at_index(notes.highlighted)
        note = next((n for n in self.analysis.notes if str(n.id) == option.id), None)
        return (note.id, note.text) if note else None

    def action_add_note(self) -> None:
        def chosen(text: str | None) -> None:
            if text:
                self.save_note(None, text)

        self.app.push_screen(NoteDialog(title="Add a note"), chosen)

    def action_edit_note(self) -> None:
        selected = self._selected_note()
        if selected is None:
            self.notify("Pick a note first", severity="warning", timeout=3)
            return
        note_id, text = selected

        def chosen(new_text: str | None) -> None:
            if new_text and new_text != text:
                self.save_note(note_id, new_text)

        self.app.push_screen(NoteDialog(title="Edit note", text=text), chosen)

    @on(OptionList.OptionSelected, "#notes-list")
    def _note_selected(self) -> None:
        self.action_edit_note()

    def action_delete_note(self) -> None:
        selected = self._selected_note()
        if selected is not None:
            self.delete_note(selected[0])

    @work(exclusive=True, group="notes", exit_on_error=False)
    async def save_note(self, note_id: uuid.UUID | None, text: str) -> None:
        with self.guard("Saving the note"):
            if note_id is None:
                await self.gateway.add_note(self.analysis_id, text)
            else:
                await self.gateway.update_note(self.analysis_id, note_id, text)
            self.notify("Note saved", timeout=2)
            self.post_message(AnalysisLoaded(await self.gateway.get_analysis(self.analysis_id)))

    @work(exclusive=True, group="notes", exit_on_error=False)
    async def delete_note(self, note_id: uuid.UUID) -> None:
        with self.guard("Deleting the note"):
            await self.gateway.delete_note(self.analysis_id, note_id)
            self.notify("Note deleted", timeout=2)
            self.post_message(AnalysisLoaded(await self.gateway.get_analysis(self.analysis_id)))

    def action_retry(self) -> None:
        if self.analysis is not None and self.analysis.status == "pending":
            self.retry()

    @work(exclusive=True, group="retry", exit_on_error=False)
    async def retry(self) -> None:
        self.query_one("#analysis-holder").loading = True
        try:
            with self.guard("Retrying the diagnosis"):
                self.post_message(AnalysisLoaded(await self.gateway.retry_analysis(self.analysis_id)))
        finally:
            self.query_one("#analysis-holder").loading = False

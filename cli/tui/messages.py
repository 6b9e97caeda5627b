"""Results of service calls, posted by workers and handled on the screen that asked for them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from chefmentor.cooking.schemas import CookingSessionPage, TimerRead
    from chefmentor.failure.schemas import AnalysisPage, AnalysisRead, NoteRead
    from chefmentor.recipes.schemas import RecipePage, RecipeRead
    from cli.tui.cook_state import CookView


class RecipesLoaded(Message):
    def __init__(self, page: RecipePage) -> None:
        super().__init__()
        self.page = page


class RecipeLoaded(Message):
    def __init__(self, recipe: RecipeRead) -> None:
        super().__init__()
        self.recipe = recipe


class HistoryLoaded(Message):
    def __init__(self, sessions: CookingSessionPage, analyses: AnalysisPage) -> None:
        super().__init__()
        self.sessions = sessions
        self.analyses = analyses


class CookViewChanged(Message):
    """The cooking session moved (step, pause, timers) after a recorded action."""

    def __init__(self, view: CookView, *, announce: str | None = None) -> None:
        super().__init__()
        self.view = view
        self.announce = announce


class TimersFinished(Message):
    def __init__(self, timers: list[TimerRead]) -> None:
        super().__init__()
        self.timers = timers


class SessionEnded(Message):
    def __init__(self, status: str, recipe_name: str) -> None:
        super().__init__()
        self.status = status
        self.recipe_name = recipe_name


class VoiceHeard(Message):
    """What the voice loop heard and how it answered (shown under the step)."""

    def __init__(self, heard: str, reply: str | None = None) -> None:
        super().__init__()
        self.heard = heard
        self.reply = reply


class VoiceStopped(Message):
    def __init__(self, reason: str | None = None) -> None:
        super().__init__()
        self.reason = reason


class AnalysisLoaded(Message):
    def __init__(self, analysis: AnalysisRead) -> None:
        super().__init__()
        self.analysis = analysis


class NoteSaved(Message):
    def __init__(self, note: NoteRead | None) -> None:
        super().__init__()
        self.note = note

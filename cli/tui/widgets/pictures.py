"""Pictures a cook reads at a glance: the dish photo in half-block cells, and activity per day as a sparkline."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Sparkline, Static

if TYPE_CHECKING:
    from rich.text import Text

PHOTO_CELLS = (24, 8)  # columns × rows; each row shows two pixel rows ("▀": top colour, bottom background)
ACTIVITY_DAYS = 14


def media_path(media_url: str | None, media_dir: Path) -> Path | None:
    """The local file behind a stored upload's URL (`/media/NAME`), or None for a remote store."""
    if not media_url or not media_url.startswith("/media/"):
        return None
    name = media_url.removeprefix("/media/")
    path = (media_dir / name).resolve()
    return path if path.is_relative_to(media_dir.resolve()) else None


def half_block_text(path: Path, cells: tuple[int, int] = PHOTO_CELLS) -> Text:
    """The image scaled to fit `cells` (aspect kept; a terminal cell is about twice as tall as wide)."""
    from PIL import Image
    from rich.color import Color
    from rich.style import Style
    from rich.text import Text

    columns, rows = cells
    with Image.open(path) as source:
        image = source.convert("RGB")
    image.thumbnail((columns, rows * 2))
    width, height = image.size
    pixels = image.load()
    assert pixels is not None  # noqa: S101 - load() of an opened RGB image always has pixel access
    text = Text(no_wrap=True, overflow="crop")
    for y in range(0, height - height % 2 or height, 2):
        for x in range(width):
            top = pixels[x, y]
            bottom = pixels[x, y + 1] if y + 1 < height else top
            text.append(
                "▀",
                Style(color=Color.from_rgb(*top[:3]), bgcolor=Color.from_rgb(*bottom[:3])),  # type: ignore[index]
            )
        if y + 2 < height:
            text.append("\n")
    return text


class DishPhoto(Static):
    """The stored photo of the dish, decoded off the event loop; a line of text when there is none."""

    def __init__(self, path: Path | None, *, kind: str | None = None, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self.path = path
        self.kind = kind
        self.add_class("dish-photo")

    def on_mount(self) -> None:
        if self.path is None:
            self.update("[dim]photo kept remotely[/]")
        elif self.kind == "video":
            self.update("[dim]video upload[/]")
        else:
            self.update("[dim]loading photo…[/]")
            self.run_worker(self._decode, thread=True, exit_on_error=False)

    def _decode(self) -> None:
        assert self.path is not None  # noqa: S101 - only started with a path
        try:
            picture: Text | str = half_block_text(self.path)
        except (OSError, ValueError):
            picture = "[dim]photo unavailable[/]"
        self.app.call_from_thread(self.update, picture)


def per_day(moments: Iterable[datetime], now: datetime, days: int = ACTIVITY_DAYS) -> list[int]:
    """How many of `moments` fell on each of the last `days` days, oldest first (today last)."""
    today = now.date()
    counts = [0] * days
    for moment in moments:
        age = (today - moment.astimezone(now.tzinfo).date()).days if now.tzinfo else (today - moment.date()).days
        if 0 <= age < days:
            counts[days - 1 - age] += 1
    return counts


class ActivityChart(Vertical):
    """A titled sparkline with its total, e.g. sessions cooked per day over the last two weeks."""

    def __init__(self, title: str, *, id: str | None = None) -> None:  # noqa: A002 - Textual's argument name
        super().__init__(id=id, classes="activity-chart")
        self.title = title

    def compose(self) -> ComposeResult:
        yield Label(self.title, classes="activity-title")
        yield Sparkline([], summary_function=max, classes="activity-line")

    def show(self, values: Sequence[float], caption: str) -> None:
        self.query_one(Label).update(f"{self.title}  [dim]{caption}[/]")
        self.query_one(Sparkline).data = list(values)

    @property
    def values(self) -> list[float]:
        return list(self.query_one(Sparkline).data or [])


def last(days: int, now: datetime) -> str:
    start = now - timedelta(days=days - 1)
    return f"{start:%d %b} – {now:%d %b}"

"""Named kitchen timers kept in cooking_sessions.timers; pure functions over the stored list.

A stored timer is {"name", "seconds", "stepNumber", "startedAt", "endsAt", "status"} with status
running|finished|cancelled. While the session is paused the remaining time is frozen at `paused_at`,
and resuming shifts `endsAt` by the length of the pause.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from chefmentor.cooking.schemas import TIMER_MAX_SECONDS, TIMER_NAME_MAX, TimerRead
from chefmentor.errors import ConflictError, NotFoundError, ValidationError

MAX_RUNNING_TIMERS = 10
MAX_KEPT_TIMERS = 20
DEFAULT_TIMER_NAME = "timer"

Timer = dict[str, Any]


def clean_timer_name(name: str | None) -> str | None:
    """Collapse whitespace and refuse control characters; None stays None (a default name is picked)."""
    if name is None:
        return None
    text = re.sub(r"\s+", " ", name).strip()
    if not text:
        return None
    if len(text) > TIMER_NAME_MAX:
        raise ValidationError(f"A timer name is at most {TIMER_NAME_MAX} characters")
    if any(ord(ch) < 32 or ch == "\x7f" for ch in text):
        raise ValidationError("A timer name cannot contain control characters")
    return text


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def running(timers: list[Timer]) -> list[Timer]:
    return [t for t in timers if t.get("status") == "running"]


def remaining_seconds(timer: Timer, *, now: datetime, paused_at: datetime | None) -> float:
    if timer.get("status") != "running":
        return 0.0
    reference = paused_at or now
    left = (datetime.fromisoformat(timer["endsAt"]) - reference).total_seconds()
    return max(0.0, round(left, 3))


def timer_views(timers: list[Timer], *, now: datetime, paused_at: datetime | None) -> list[TimerRead]:
    """Timers as the API shows them; a running timer whose time is up shows as finished."""
    views: list[TimerRead] = []
    for timer in timers:
        left = remaining_seconds(timer, now=now, paused_at=paused_at)
        status = timer.get("status", "running")
        if status == "running":
            status = "finished" if left <= 0 else ("paused" if paused_at else "running")
        views.append(
            TimerRead(
                name=timer["name"],
                seconds=int(timer["seconds"]),
                step_number=timer.get("stepNumber"),
                started_at=datetime.fromisoformat(timer["startedAt"]),
                ends_at=datetime.fromisoformat(timer["endsAt"]),
                remaining_seconds=left,
                status=status,
            )
        )
    return views


def _default_name(timers: list[Timer]) -> str:
    taken = {t["name"].casefold() for t in running(timers)}
    if DEFAULT_TIMER_NAME not in taken:
        return DEFAULT_TIMER_NAME
    number = 2
    while f"{DEFAULT_TIMER_NAME} {number}" in taken:
        number += 1
    return f"{DEFAULT_TIMER_NAME} {number}"


def _trim(timers: list[Timer]) -> list[Timer]:
    """Keep every running timer and only the newest finished/cancelled ones (bounded JSON column)."""
    overflow = len(timers) - MAX_KEPT_TIMERS
    if overflow <= 0:
        return timers
    out: list[Timer] = []
    for timer in timers:
        if overflow > 0 and timer.get("status") != "running":
            overflow -= 1
            continue
        out.append(timer)
    return out


def add_timer(
    timers: list[Timer],
    *,
    name: str | None,
    seconds: int,
    step_number: int | None,
    now: datetime,
    paused_at: datetime | None,
) -> tuple[list[Timer], Timer]:
    """Start a timer; a running timer with the same name (case-insensitive) is restarted."""
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 1 <= seconds <= TIMER_MAX_SECONDS:
        raise ValidationError(f"A timer runs between 1 second and {TIMER_MAX_SECONDS // 3600} hours")
    label = clean_timer_name(name) or _default_name(timers)
    kept = [t for t in timers if not (t.get("status") == "running" and _same(t["name"], label))]
    if len(running(kept)) >= MAX_RUNNING_TIMERS:
        raise ConflictError(f"At most {MAX_RUNNING_TIMERS} timers can run at once: cancel one first")
    # A timer set while paused starts counting from the pause so resuming shifts it like the others.
    start = paused_at or now
    timer: Timer = {
        "name": label,
        "seconds": seconds,
        "stepNumber": step_number,
        "startedAt": start.isoformat(),
        "endsAt": (start + timedelta(seconds=seconds)).isoformat(),
        "status": "running",
    }
    return _trim([*kept, timer]), timer


def _pick_running(timers: list[Timer], name: str | None) -> Timer:
    active = running(timers)
    label = clean_timer_name(name)
    if label is not None:
        for timer in active:
            if _same(timer["name"], label):
                return timer
        raise NotFoundError(f"No running timer called {label!r}")
    if not active:
        raise NotFoundError("No timer is running")
    if len(active) > 1:
        names = ", ".join(t["name"] for t in active)
        raise ValidationError(f"Several timers are running ({names}): say which one")
    return active[0]


def cancel_timer(timers: list[Timer], *, name: str | None) -> tuple[list[Timer], Timer]:
    """Cancel the named running timer, or the only one when no name is given."""
    target = _pick_running(timers, name)
    updated = [{**t, "status": "cancelled"} if t is target else t for t in timers]
    return updated, {**target, "status": "cancelled"}


def find_timer(timers: list[Timer], *, name: str | None) -> Timer:
    """The named running timer, or the only running one."""
    return _pick_running(timers, name)


def finish_timer(timers: list[Timer], *, name: str | None) -> tuple[list[Timer], Timer | None]:
    """Mark a running timer finished (the cook or the app says it rang); unknown names change nothing."""
    try:
        target = _pick_running(timers, name)
    except (NotFoundError, ValidationError):
        return timers, None
    updated = [{**t, "status": "finished"} if t is target else t for t in timers]
    return updated, {**target, "status": "finished"}


def finish_due(timers: list[Timer], *, now: datetime, paused_at: datetime | None) -> tuple[list[Timer], list[Timer]]:
    """Mark every running timer whose time is up as finished; returns (timers, newly finished)."""
    done: list[Timer] = []
    updated: list[Timer] = []
    for timer in timers:
        if timer.get("status") == "running" and remaining_seconds(timer, now=now, paused_at=paused_at) <= 0:
            timer = {**timer, "status": "finished"}
            done.append(timer)
        updated.append(timer)
    return updated, done


def shift_running(timers: list[Timer], *, by: timedelta) -> list[Timer]:
    """Push running timers' end times back by the length of a pause."""
    shifted: list[Timer] = []
    for timer in timers:
        if timer.get("status") == "running":
            ends = datetime.fromisoformat(timer["endsAt"]) + by
            timer = {**timer, "endsAt": ends.isoformat()}
        shifted.append(timer)
    return shifted


def cancel_all(timers: list[Timer]) -> list[Timer]:
    return [{**t, "status": "cancelled"} if t.get("status") == "running" else t for t in timers]

"""Cron fields (minute/hour sets) shared by the arq cron declarations and the in-process scheduler."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class Cron:
    minutes: frozenset[int]
    hours: frozenset[int] | None = None  # None: every hour

    @classmethod
    def every_minutes(cls, step: int, offset: int = 0) -> Cron:
        return cls(frozenset(range(offset % step, 60, step)))

    @classmethod
    def daily(cls, hour: int, minute: int) -> Cron:
        return cls(frozenset({minute}), frozenset({hour}))

    def matches(self, moment: datetime) -> bool:
        return moment.minute in self.minutes and (self.hours is None or moment.hour in self.hours)

    def next_after(self, moment: datetime) -> datetime:
        """The first whole minute strictly after `moment` that matches (at most a day + an hour away)."""
        candidate = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
        for _ in range(60 * 25):
            if self.matches(candidate):
                return candidate
            candidate += timedelta(minutes=1)
        raise ValueError("cron never matches")  # pragma: no cover - guarded by construction

"""One piece of evidence: where it came from, what it says, and how it moves each category's log-odds."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Evidence:
    source: str  # "notes" | "photo" | "session" | "dish"
    description: str
    weights: dict[str, float]
    step: int | None = None
    safety: tuple[str, ...] = field(default=())
    concept: str | None = None

    def scaled(self, factor: float) -> Evidence:
        return Evidence(
            self.source,
            self.description,
            {k: v * factor for k, v in self.weights.items()},
            self.step,
            self.safety,
            self.concept,
        )

    def support(self, category: str) -> float:
        return self.weights.get(category, 0.0)

"""One evaluation: load and validate cases, run each provider over the same cases, summarize, gate."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from chefmentor.config import Settings
from chefmentor.errors import ValidationError
from chefmentor.eval.cache import EvalCache
from chefmentor.eval.cases import CaseError, load_cases
from chefmentor.eval.metrics import summarize
from chefmentor.eval.reports import build_document
from chefmentor.eval.runner import DEFAULT_TIMEOUT_SECONDS, CaseResult, resolve_target, run_target


@dataclass
class EvalOutcome:
    document: dict[str, Any]
    failures: list[str] = field(default_factory=list)
    skipped: list[CaseError] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def check_gate(summaries: Sequence[dict[str, Any]], *, min_accuracy: float | None,
               min_macro_f1: float | None) -> list[str]:  # fmt: skip
    """Every evaluated provider must meet every given floor."""
    failures = []
    for run in summaries:
        if min_accuracy is not None and run["accuracy"] < min_accuracy:
            failures.append(f"{run['provider']}: accuracy {run['accuracy']:.3f} < {min_accuracy:g}")
        if min_macro_f1 is not None and run["macroF1"] < min_macro_f1:
            failures.append(f"{run['provider']}: macro-F1 {run['macroF1']:.3f} < {min_macro_f1:g}")
    return failures


async def run_evaluation(
    settings: Settings,
    *,
    cases_path: Path,
    providers: Sequence[str] = ("local",),
    concurrency: int = 4,
    limit: int | None = None,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    use_cache: bool = True,
    skip_invalid: bool = False,
    min_accuracy: float | None = None,
    min_macro_f1: float | None = None,
    on_start: Callable[[str, int], None] | None = None,
    on_result: Callable[[str, CaseResult], None] | None = None,
) -> EvalOutcome:
    """Runs every provider over the same validated cases; a missed gate is reported, not raised."""
    if not providers:
        raise ValidationError("Give at least one --provider")
    if len(set(providers)) != len(providers):
        raise ValidationError("Each --provider may be given once")
    case_set = load_cases(cases_path, skip_invalid=skip_invalid)
    cases = case_set.cases[:limit] if limit else case_set.cases
    targets = [resolve_target(name, settings) for name in providers]
    cache = EvalCache(settings.home / "eval-cache") if use_cache else None
    summaries = []
    for target in targets:
        if on_start is not None:
            on_start(target.name, len(cases))
        callback = (lambda r, n=target.name: on_result(n, r)) if on_result is not None else None
        run = await run_target(cases, target, settings, concurrency=concurrency, timeout_seconds=timeout_seconds,
                               cache=cache, on_result=callback)  # fmt: skip
        summaries.append(summarize(run))
    gated = min_accuracy is not None or min_macro_f1 is not None
    failures = check_gate(summaries, min_accuracy=min_accuracy, min_macro_f1=min_macro_f1)
    gate = {"minAccuracy": min_accuracy, "minMacroF1": min_macro_f1, "passed": not failures, "failures": failures}
    document = build_document(
        summaries,
        cases_file=str(cases_path),
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        gate=gate if gated else None,
    )
    if case_set.errors:
        document["skippedLines"] = [{"line": e.line, "error": e.message} for e in case_set.errors]
    return EvalOutcome(document, failures, case_set.errors)

"""Evaluation metrics: accuracy, macro-F1, per-category P/R/F1, confusion, abstention, calibration, latency,
fallbacks and token usage. Input is a list of CaseResult; output is camelCase JSON (CONTRACTS.md)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from chefmentor.ai.types import ALL_CATEGORIES, UNKNOWN
from chefmentor.eval.runner import CaseResult, RunResult

RELIABILITY_BINS = 10


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default), q in [0, 100]."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def labels_of(pairs: Sequence[tuple[str, str]]) -> list[str]:
    present = {label for pair in pairs for label in pair}
    ordered = [c for c in ALL_CATEGORIES if c in present]
    return ordered + sorted(present - set(ordered))


def _scores(pairs: Sequence[tuple[str, str]]) -> dict[str, tuple[float, float, float, int]]:
    """label -> (precision, recall, F1, support); a label never predicted has precision 0 (zero_division=0)."""
    table: dict[str, tuple[float, float, float, int]] = {}
    for label in labels_of(pairs):
        tp = sum(1 for e, p in pairs if e == label and p == label)
        predicted = sum(1 for _, p in pairs if p == label)
        support = sum(1 for e, _ in pairs if e == label)
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table[label] = (precision, recall, f1, support)
    return table


def per_category(pairs: Sequence[tuple[str, str]]) -> dict[str, dict[str, float | int]]:
    return {
        label: {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": n}
        for label, (p, r, f, n) in _scores(pairs).items()
    }


def macro_f1(pairs: Sequence[tuple[str, str]]) -> float:
    """Mean F1 over every label that occurs as expected or predicted (unknown included)."""
    table = _scores(pairs)
    return sum(row[2] for row in table.values()) / len(table) if table else 0.0


def confusion(pairs: Sequence[tuple[str, str]]) -> dict[str, dict[str, int]]:
    labels = labels_of(pairs)
    matrix = {e: dict.fromkeys(labels, 0) for e in labels}
    for expected, predicted in pairs:
        matrix[expected][predicted] += 1
    return matrix


def reliability_table(
    confidences: Sequence[float], correct: Sequence[bool], bins: int = RELIABILITY_BINS
) -> list[dict[str, Any]]:
    rows = []
    for index in range(bins):
        low, high = index / bins, (index + 1) / bins
        members = [
            (c, ok)
            for c, ok in zip(confidences, correct, strict=True)
            if low <= c < high or (index == bins - 1 and c == 1.0)
        ]
        count = len(members)
        rows.append(
            {
                "low": round(low, 2),
                "high": round(high, 2),
                "count": count,
                "confidence": round(sum(c for c, _ in members) / count, 4) if count else None,
                "accuracy": round(sum(1 for _, ok in members if ok) / count, 4) if count else None,
            }
        )
    return rows


def expected_calibration_error(
    confidences: Sequence[float], correct: Sequence[bool], bins: int = RELIABILITY_BINS
) -> float:
    """Sum over equal-width bins of (bin share) x |accuracy - mean confidence|."""
    total = len(confidences)
    if not total:
        return 0.0
    clipped = [min(1.0, max(0.0, c)) for c in confidences]
    ece = 0.0
    for row in reliability_table(clipped, correct, bins):
        if row["count"]:
            ece += row["count"] / total * abs(row["accuracy"] - row["confidence"])
    return ece


def _fallbacks(results: Sequence[CaseResult]) -> dict[str, Any]:
    served: Counter[str] = Counter()
    failed: dict[str, Counter[str]] = defaultdict(Counter)
    fell_back = 0
    for result in results:
        if result.provider:
            served[result.provider] += 1
        attempts = result.attempts or []
        for attempt in attempts:
            if not attempt.get("ok"):
                failed[str(attempt.get("provider"))][str(attempt.get("error"))] += 1
        first = attempts[0].get("provider") if attempts else None
        if result.provider and first and first != result.provider:
            fell_back += 1
    return {"count": fell_back, "servedBy": dict(served), "failedAttempts": {p: dict(c) for p, c in failed.items()}}


def _tokens(results: Sequence[CaseResult]) -> dict[str, int] | None:
    totals: Counter[str] = Counter()
    for result in results:
        for key, value in result.usage.items():
            totals[key] += int(value)
    return dict(totals) if totals else None


def case_json(result: CaseResult) -> dict[str, Any]:
    return {
        "id": result.id,
        "expected": result.expected,
        "predicted": result.predicted,
        "correct": result.correct,
        "confidence": _round(result.confidence),
        "latencyMs": round(result.latency_ms, 2),
        "provider": result.provider,
        "model": result.model,
        "suspectedStep": result.suspected_step,
        "cached": result.cached,
        "error": result.error,
        "attempts": result.attempts,
    }


def summarize(run: RunResult) -> dict[str, Any]:
    """One provider's report (the JSON contract); several of these go under `runs`."""
    results = run.results
    pairs = [(r.expected, r.predicted) for r in results]
    total = len(results)
    correct = sum(1 for r in results if r.correct)
    answered = [r for r in results if r.error is None and r.predicted != UNKNOWN]
    abstained = sum(1 for r in results if r.error is None and r.predicted == UNKNOWN)
    scored = [r for r in results if r.error is None and r.confidence is not None]
    confidences = [min(1.0, max(0.0, float(r.confidence or 0.0))) for r in scored]
    hits = [r.correct for r in scored]
    latencies = [r.latency_ms for r in results if not r.cached]
    return {
        "provider": run.provider,
        "model": run.model,
        "promptVersion": run.prompt_version,
        "total": total,
        "accuracy": round(correct / total, 4) if total else 0.0,
        "macroF1": round(macro_f1(pairs), 4),
        "perCategory": per_category(pairs),
        "confusion": confusion(pairs),
        "ece": round(expected_calibration_error(confidences, hits), 4),
        "reliability": reliability_table(confidences, hits),
        "abstained": abstained,
        "abstentionRate": round(abstained / total, 4) if total else 0.0,
        "answered": len(answered),
        "accuracyWhenAnswered": round(sum(1 for r in answered if r.correct) / len(answered), 4) if answered else None,
        "errors": sum(1 for r in results if r.error is not None),
        "cached": sum(1 for r in results if r.cached),
        "latencyMs": {
            "p50": _round(percentile(latencies, 50), 2),
            "p95": _round(percentile(latencies, 95), 2),
            "mean": _round(sum(latencies) / len(latencies), 2) if latencies else None,
        },
        "fallbacks": _fallbacks(results),
        "tokens": _tokens(results),
        "wallSeconds": round(run.wall_seconds, 3),
        "cases": [case_json(r) for r in results],
    }

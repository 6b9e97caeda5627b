"""Metrics against small examples computed by hand."""

from __future__ import annotations

import pytest

from chefmentor.eval.metrics import (
    confusion,
    expected_calibration_error,
    macro_f1,
    per_category,
    percentile,
    reliability_table,
    summarize,
)
from chefmentor.eval.runner import CaseResult, RunResult

PAIRS = [  # (expected, predicted)
    ("heat_too_high", "heat_too_high"),
    ("heat_too_high", "cooked_too_long"),
    ("cooked_too_long", "cooked_too_long"),
    ("unknown", "heat_too_high"),
    ("unknown", "unknown"),
]


def test_per_category_and_macro_f1() -> None:
    table = per_category(PAIRS)
    # heat_too_high: tp 1, predicted 2, support 2 -> P .5, R .5, F1 .5
    assert table["heat_too_high"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    # cooked_too_long: tp 1, predicted 2, support 1 -> P .5, R 1, F1 2/3
    assert table["cooked_too_long"]["f1"] == pytest.approx(0.6667, abs=1e-4)
    # unknown: tp 1, predicted 1, support 2 -> P 1, R .5, F1 2/3
    assert table["unknown"]["precision"] == 1.0 and table["unknown"]["recall"] == 0.5
    assert macro_f1(PAIRS) == pytest.approx((0.5 + 2 / 3 + 2 / 3) / 3)


def test_confusion_rows_are_expected() -> None:
    matrix = confusion(PAIRS)
    assert matrix["heat_too_high"]["cooked_too_long"] == 1
    assert matrix["unknown"]["heat_too_high"] == 1
    assert sum(sum(row.values()) for row in matrix.values()) == len(PAIRS)


def test_ece_by_hand() -> None:
    # bin 0.9-1.0: confidences .95, .95 with 1 of 2 correct -> |0.5 - 0.95| * 2/4
    # bin 0.6-0.7: confidences .6, .6 both correct -> |1 - 0.6| * 2/4
    ece = expected_calibration_error([0.95, 0.95, 0.6, 0.6], [True, False, True, True])
    assert ece == pytest.approx(0.45 * 0.5 + 0.4 * 0.5)
    assert expected_calibration_error([0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7],
                                      [True] * 7 + [False] * 3) == pytest.approx(0.0)  # fmt: skip
    rows = reliability_table([1.0, 0.05], [True, False])
    assert rows[-1]["count"] == 1 and rows[0]["count"] == 1 and rows[5]["count"] == 0


def test_percentile_interpolates() -> None:
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([10], 95) == 10
    assert percentile([], 50) is None
    assert percentile(list(range(1, 101)), 95) == pytest.approx(95.05)


def test_summary_counts_abstention_fallbacks_tokens_and_errors() -> None:
    def result(cid: str, expected: str, predicted: str, **kw: object) -> CaseResult:
        base: dict[str, object] = {"confidence": 0.8, "latency_ms": 10.0, "provider": "local", "model": "m"}
        return CaseResult(id=cid, expected=expected, predicted=predicted, **{**base, **kw})  # type: ignore[arg-type]

    results = [
        result("a", "heat_too_high", "heat_too_high", usage={"promptTokenCount": 10}, provider="gemini",
               attempts=[{"provider": "gemini", "ok": True}]),
        result("b", "unknown", "unknown", attempts=[{"provider": "gemini", "ok": False, "error": "rate_limited"},
                                                    {"provider": "local", "ok": True}]),
        result("c", "seasoning_off", "unknown"),
        result("d", "seasoning_off", "unknown", confidence=None, provider=None, error="timeout"),
    ]  # fmt: skip
    summary = summarize(RunResult("chain", "m", "v1", results, 1.0))
    assert summary["accuracy"] == 0.5
    assert summary["abstained"] == 2 and summary["answered"] == 1 and summary["accuracyWhenAnswered"] == 1.0
    assert summary["errors"] == 1
    assert summary["fallbacks"]["count"] == 1
    assert summary["fallbacks"]["failedAttempts"] == {"gemini": {"rate_limited": 1}}
    assert summary["tokens"] == {"promptTokenCount": 10}
    assert summary["latencyMs"]["p50"] == 10.0
    assert {c["id"] for c in summary["cases"]} == {"a", "b", "c", "d"}

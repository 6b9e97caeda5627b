"""Reports render (JSON/Markdown/self-contained HTML) and compare finds fixed/broken cases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chefmentor.errors import ValidationError
from chefmentor.eval.compare import compare_reports, comparison_markdown, runs_of
from chefmentor.eval.metrics import summarize
from chefmentor.eval.reports import build_document, to_html, to_markdown, write_report
from chefmentor.eval.runner import CaseResult, RunResult


def run(provider: str, predictions: dict[str, str]) -> dict[str, Any]:
    expected = {"a": "heat_too_high", "b": "seasoning_off", "c": "unknown"}
    results = [CaseResult(id=k, expected=expected[k], predicted=v, confidence=0.8, latency_ms=2.0,
                          provider=provider, model="m") for k, v in predictions.items()]  # fmt: skip
    return summarize(RunResult(provider, "m", "v", results, 0.1))


def test_single_provider_document_is_the_contract_shape() -> None:
    doc = build_document([run("local", {"a": "heat_too_high"})], cases_file="x.jsonl", created_at="now")
    for key in ("provider", "accuracy", "macroF1", "perCategory", "confusion", "ece", "abstained", "latencyMs",
                "cases"):  # fmt: skip
        assert key in doc
    assert doc["cases"][0] == {**doc["cases"][0], "id": "a", "expected": "heat_too_high", "predicted": "heat_too_high",
                               "provider": "local"}  # fmt: skip
    multi = build_document([run("local", {"a": "x"}), run("gemini", {"a": "y"})], cases_file="x", created_at="now")
    assert [r["provider"] for r in multi["runs"]] == ["local", "gemini"]


def test_html_is_self_contained_with_svg_charts(tmp_path: Path) -> None:
    doc = build_document([run("local", {"a": "heat_too_high", "b": "unknown", "c": "unknown"}),
                          run("groq", {"a": "cooked_too_long", "b": "seasoning_off", "c": "unknown"})],
                         cases_file="cases<1>.jsonl", created_at="now",
                         gate={"passed": False, "failures": ["local: accuracy 0.667 < 0.9"]})  # fmt: skip
    html = to_html(doc)
    assert html.count("<svg") == 4  # a confusion matrix and a reliability plot per provider
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html
    assert "cases&lt;1&gt;.jsonl" in html and "Gate FAILED" in html
    markdown = to_markdown(doc)
    assert "| Accuracy |" in markdown and "groq (m)" in markdown and "`a` expected **heat_too_high**" in markdown
    for name in ("r.html", "r.md", "r.json"):
        write_report(doc, tmp_path / name)
    assert json.loads((tmp_path / "r.json").read_text())["runs"][1]["provider"] == "groq"
    with pytest.raises(ValidationError):
        write_report(doc, tmp_path / "r.pdf")


def test_compare_lists_fixed_broken_and_deltas() -> None:
    before = build_document([run("local", {"a": "heat_too_high", "b": "unknown", "c": "unknown"})],
                            cases_file="x", created_at="1")  # fmt: skip
    after = build_document([run("local", {"a": "cooked_too_long", "b": "seasoning_off", "c": "unknown"})],
                           cases_file="x", created_at="2")  # fmt: skip
    result = compare_reports(before, after)["comparisons"][0]
    assert [r["id"] for r in result["fixed"]] == ["b"]
    assert [r["id"] for r in result["broken"]] == ["a"]
    assert result["metrics"]["accuracy"]["delta"] == 0.0
    assert "Fixed: 1" in comparison_markdown({"comparisons": [result]})
    with pytest.raises(ValidationError):
        runs_of({"hello": 1})

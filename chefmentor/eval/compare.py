"""Compare two evaluation reports: metric deltas and per-case fixed/broken lists."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from chefmentor.errors import ValidationError

COMPARED_METRICS = ("accuracy", "macroF1", "ece", "abstentionRate", "accuracyWhenAnswered", "errors")


def runs_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    """A report is either one run (the CONTRACTS.md shape) or {"runs": [...]}."""
    if isinstance(document.get("runs"), list):
        return [r for r in document["runs"] if isinstance(r, dict)]
    if "provider" in document and "cases" in document:
        return [document]
    raise ValidationError("Not an evaluation report: expected `provider` + `cases`, or `runs`")


def load_report(path: str | Path) -> dict[str, Any]:
    file = Path(path)
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValidationError(f"Report not found: {file}") from None
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{file} is not JSON: {exc.msg} (line {exc.lineno})") from None
    if not isinstance(document, dict):
        raise ValidationError(f"{file} is not an evaluation report")
    runs_of(document)
    return document


def _delta(a: Any, b: Any) -> float | None:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return round(float(b) - float(a), 4)
    return None


def compare_runs(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    cases_a = {c["id"]: c for c in a.get("cases", [])}
    cases_b = {c["id"]: c for c in b.get("cases", [])}
    shared = [cid for cid in cases_a if cid in cases_b]
    fixed, broken, changed = [], [], []
    for cid in shared:
        before, after = cases_a[cid], cases_b[cid]
        row = {
            "id": cid,
            "expected": after.get("expected"),
            "before": before.get("predicted"),
            "after": after.get("predicted"),
        }
        if not before.get("correct") and after.get("correct"):
            fixed.append(row)
        elif before.get("correct") and not after.get("correct"):
            broken.append(row)
        elif before.get("predicted") != after.get("predicted"):
            changed.append(row)
    metrics = {
        name: {"a": a.get(name), "b": b.get(name), "delta": _delta(a.get(name), b.get(name))}
        for name in COMPARED_METRICS
    }
    for q in ("p50", "p95"):
        la, lb = (a.get("latencyMs") or {}).get(q), (b.get("latencyMs") or {}).get(q)
        metrics[f"latency{q.upper()}Ms"] = {"a": la, "b": lb, "delta": _delta(la, lb)}
    return {
        "providerA": a.get("provider"),
        "providerB": b.get("provider"),
        "modelA": a.get("model"),
        "modelB": b.get("model"),
        "metrics": metrics,
        "fixed": fixed,
        "broken": broken,
        "changed": changed,
        "onlyInA": sorted(set(cases_a) - set(cases_b)),
        "onlyInB": sorted(set(cases_b) - set(cases_a)),
        "shared": len(shared),
    }


def compare_reports(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Runs are paired by provider; two single-run reports are paired whatever their providers."""
    runs_a, runs_b = runs_of(a), runs_of(b)
    if len(runs_a) == 1 and len(runs_b) == 1:
        pairs = [(runs_a[0], runs_b[0])]
    else:
        by_provider = {r.get("provider"): r for r in runs_b}
        pairs = [(r, by_provider[r.get("provider")]) for r in runs_a if r.get("provider") in by_provider]
        if not pairs:
            raise ValidationError("The two reports share no provider to compare")
    return {"comparisons": [compare_runs(x, y) for x, y in pairs]}


def comparison_markdown(result: dict[str, Any]) -> str:
    lines: list[str] = []
    for comp in result["comparisons"]:
        lines.append(f"## {comp['providerA']} ({comp['modelA']}) → {comp['providerB']} ({comp['modelB']})")
        lines.append("")
        lines.append("| metric | A | B | Δ |")
        lines.append("|---|---|---|---|")
        for name, row in comp["metrics"].items():
            delta = row["delta"]
            shown = "" if delta is None else f"{delta:+g}"
            lines.append(f"| {name} | {row['a']} | {row['b']} | {shown} |")
        lines.append("")
        for title, key in (("Fixed", "fixed"), ("Broken", "broken"), ("Changed (still wrong)", "changed")):
            rows = comp[key]
            lines.append(f"**{title}: {len(rows)}**" + ("" if not rows else ""))
            lines.extend(f"- `{r['id']}` expected {r['expected']}: {r['before']} → {r['after']}" for r in rows)
            lines.append("")
    return "\n".join(lines)

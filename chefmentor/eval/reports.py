"""Evaluation reports: one JSON document (CONTRACTS.md), Markdown for PRs, self-contained HTML."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from chefmentor.errors import ValidationError
from chefmentor.eval.compare import runs_of
from chefmentor.eval.svg import confusion_svg, reliability_svg

HEADLINE = (
    ("accuracy", "Accuracy"),
    ("macroF1", "Macro-F1"),
    ("ece", "ECE"),
    ("abstentionRate", "Abstention"),
    ("accuracyWhenAnswered", "Accuracy when answered"),
    ("errors", "Errors"),
)


def build_document(
    summaries: list[dict[str, Any]], *, cases_file: str, created_at: str, gate: dict[str, Any] | None = None
) -> dict[str, Any]:
    """One provider: the run itself at the top level (the contract); several: {"runs": [...]}."""
    extra: dict[str, Any] = {"casesFile": cases_file, "createdAt": created_at}
    if gate is not None:
        extra["gate"] = gate
    if len(summaries) == 1:
        return {**summaries[0], **extra}
    return {**extra, "runs": summaries}


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _miss_line(case: dict[str, Any]) -> str:
    line = f"- `{case['id']}` expected **{case['expected']}**, got **{case['predicted']}**"
    if case.get("confidence") is not None:
        line += f" ({case['confidence']:.2f})"
    if case.get("error"):
        line += f" — error: {case['error']}"
    return line


def to_markdown(document: dict[str, Any]) -> str:
    runs = runs_of(document)
    lines = [f"# Diagnosis evaluation: {document.get('casesFile', '')}", ""]
    header = "| metric | " + " | ".join(f"{r['provider']} ({r.get('model')})" for r in runs) + " |"
    lines += [header, "|---|" + "---|" * len(runs)]
    for key, title in HEADLINE:
        lines.append(f"| {title} | " + " | ".join(_fmt(r.get(key)) for r in runs) + " |")
    lines.append(
        "| Latency p50 / p95 ms | "
        + " | ".join(
            f"{_fmt((r.get('latencyMs') or {}).get('p50'))} / {_fmt((r.get('latencyMs') or {}).get('p95'))}"
            for r in runs
        )
        + " |"
    )
    lines.append("| Fallbacks | " + " | ".join(str((r.get("fallbacks") or {}).get("count", 0)) for r in runs) + " |")
    lines.append("| Cases (cached) | " + " | ".join(f"{r.get('total')} ({r.get('cached', 0)})" for r in runs) + " |")
    gate = document.get("gate")
    if gate:
        lines += [
            "",
            f"**Gate: {'passed' if gate.get('passed') else 'FAILED'}** " + "; ".join(gate.get("failures", [])),
        ]
    for run in runs:
        lines += [
            "",
            f"## {run['provider']}: per category",
            "",
            "| category | precision | recall | F1 | support |",
            "|---|---|---|---|---|",
        ]
        for label, row in run.get("perCategory", {}).items():
            lines.append(
                f"| {label} | {_fmt(row['precision'])} | {_fmt(row['recall'])} | {_fmt(row['f1'])} | {row['support']} |"
            )
        misses = [c for c in run.get("cases", []) if not c.get("correct")]
        lines += ["", f"### Misses ({len(misses)})", ""]
        lines += [_miss_line(c) for c in misses]
    return "\n".join(lines) + "\n"


_CSS = """body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1200px}
h1{font-size:1.4rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}table{border-collapse:collapse;margin:.5rem 0}
td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;font-size:.9rem}th{background:#f3f3f3}
.cards{display:flex;gap:.75rem;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:.5rem .8rem}
.card b{display:block;font-size:1.3rem}.charts{display:flex;gap:2rem;flex-wrap:wrap;align-items:flex-start}
.bad{color:#b00}.ok{color:#070}"""


def _run_html(run: dict[str, Any]) -> str:
    cards = "".join(
        f'<div class="card">{escape(title)}<b>{escape(_fmt(run.get(key)))}</b></div>' for key, title in HEADLINE
    )
    latency = run.get("latencyMs") or {}
    cards += (
        f'<div class="card">Latency p50 / p95<b>{_fmt(latency.get("p50"))} / {_fmt(latency.get("p95"))} ms</b></div>'
    )
    rows = "".join(
        f"<tr><td>{escape(label)}</td><td>{_fmt(r['precision'])}</td><td>{_fmt(r['recall'])}</td>"
        f"<td>{_fmt(r['f1'])}</td><td>{r['support']}</td></tr>"
        for label, r in run.get("perCategory", {}).items()
    )
    cases = "".join(
        f'<tr class="{"ok" if c.get("correct") else "bad"}"><td>{escape(str(c["id"]))}</td>'
        f"<td>{escape(str(c['expected']))}</td><td>{escape(str(c['predicted']))}</td>"
        f"<td>{_fmt(c.get('confidence'))}</td><td>{_fmt(c.get('latencyMs'))}</td>"
        f"<td>{escape(str(c.get('provider') or ''))}</td><td>{escape(str(c.get('error') or ''))}</td></tr>"
        for c in run.get("cases", [])
    )
    return (
        f"<h2>{escape(str(run['provider']))} <small>({escape(str(run.get('model')))})</small></h2>"
        f'<div class="cards">{cards}</div>'
        f'<div class="charts"><div><h3>Confusion (rows expected, columns predicted)</h3>'
        f"{confusion_svg(run.get('confusion', {}))}</div>"
        "<div><h3>Reliability (bars accuracy, dots confidence)</h3>"
        f"{reliability_svg(run.get('reliability', []))}</div></div>"
        f"<h3>Per category</h3><table><tr><th>category</th><th>precision</th><th>recall</th><th>F1</th>"
        f"<th>support</th></tr>{rows}</table>"
        f"<h3>Cases</h3><table><tr><th>id</th><th>expected</th><th>predicted</th><th>confidence</th>"
        f"<th>latency ms</th><th>provider</th><th>error</th></tr>{cases}</table>"
    )


def to_html(document: dict[str, Any]) -> str:
    runs = runs_of(document)
    title = f"Diagnosis evaluation: {document.get('casesFile', '')}"
    gate = document.get("gate")
    gate_html = ""
    if gate:
        state = "passed" if gate.get("passed") else "FAILED"
        failures = escape("; ".join(gate.get("failures", [])))
        gate_html = f'<p class="{"ok" if gate.get("passed") else "bad"}">Gate {state}. {failures}</p>'
    body = "".join(_run_html(run) for run in runs)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{_CSS}</style></head><body><h1>{escape(title)}</h1>"
        f"<p>Created {escape(str(document.get('createdAt', '')))}</p>{gate_html}{body}</body></html>\n"
    )


def write_report(document: dict[str, Any], path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        text = to_html(document)
    elif suffix in (".md", ".markdown"):
        text = to_markdown(document)
    elif suffix == ".json":
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    else:
        raise ValidationError(f"Unknown report format {path.suffix!r}: use .html, .md or .json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")

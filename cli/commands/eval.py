"""`chefmentor eval run|compare`: scripted evaluation of diagnoses with a CI gate."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import typer

from cli.runner import build_settings, guarded, state_of

app = typer.Typer(help="Evaluate diagnoses on scripted cases, compare reports, gate CI.", no_args_is_help=True)


@app.command("run")
def run_command(
    ctx: typer.Context,
    cases: Path = typer.Argument(..., help="JSON Lines case file (format in CONTRACTS.md)."),
    provider: list[str] | None = typer.Option(
        None, "--provider", "-p", help="local, gemini, groq or chain; repeat to compare side by side."
    ),
    concurrency: int = typer.Option(4, "--concurrency", min=1, max=64, help="Cases in flight per provider."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Only the first N cases."),
    report: list[Path] | None = typer.Option(None, "--report", help="Write out.html, out.md or out.json."),
    min_accuracy: float | None = typer.Option(None, "--min-accuracy", min=0.0, max=1.0, help="Gate: exit 1 below."),
    min_macro_f1: float | None = typer.Option(None, "--min-macro-f1", min=0.0, max=1.0, help="Gate: exit 1 below."),
    skip_invalid: bool = typer.Option(False, "--skip-invalid", help="Run the valid lines, report the bad ones."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Ignore and do not write the record/replay cache."),
    timeout: float = typer.Option(60.0, "--timeout", min=0.1, help="Per-case timeout in seconds."),
) -> None:
    """Run every case through each provider; print metrics (or --json); exit 1 when a gate is missed."""
    state = state_of(ctx)
    providers = provider or ["local"]
    for path in report or []:
        if path.suffix.lower() not in (".html", ".htm", ".md", ".markdown", ".json"):
            raise typer.BadParameter(f"{path}: use a .html, .md or .json file", param_hint="--report")

    def work() -> Any:
        from chefmentor.eval.reports import write_report
        from chefmentor.eval.service import run_evaluation

        settings = build_settings(state)
        with _progress() as bar:
            outcome = asyncio.run(
                run_evaluation(
                    settings, cases_path=cases, providers=providers, concurrency=concurrency, limit=limit,
                    timeout_seconds=timeout, use_cache=not no_cache, skip_invalid=skip_invalid,
                    min_accuracy=min_accuracy, min_macro_f1=min_macro_f1,
                    on_start=bar.start, on_result=bar.advance,
                )
            )  # fmt: skip
        for path in report or []:
            write_report(outcome.document, path)
        return outcome

    outcome = guarded(state, work)
    _print_skipped(outcome)
    if state.json:
        from cli.output import emit_json

        emit_json(outcome.document)
    else:
        _print_summary(outcome.document)
    for path in report or []:
        from cli.output import print_ok

        print_ok(f"Report written to {path}")
    if outcome.failures:
        from cli.output import print_error

        print_error("Gate failed: " + "; ".join(outcome.failures))
        raise typer.Exit(1)


@app.command("compare")
def compare_command(
    ctx: typer.Context,
    before: Path = typer.Argument(..., help="Report A (JSON from `eval run --json` or --report x.json)."),
    after: Path = typer.Argument(..., help="Report B."),
) -> None:
    """Per-case fixed/broken lists and metric deltas between two reports (B minus A)."""
    state = state_of(ctx)

    def work() -> tuple[dict[str, Any], bool]:
        from chefmentor.eval.compare import compare_reports, load_report, runs_of

        reports = load_report(before), load_report(after)
        replayed = any(_all_replayed(run) for report in reports for run in runs_of(report))
        return compare_reports(*reports), replayed

    result, replayed = guarded(state, work)
    if state.json:
        from cli.output import emit_json

        emit_json(result)
        return
    _print_comparison(result, replayed=replayed)


def _all_replayed(run: dict[str, Any]) -> bool:
    """Cases replayed from the record/replay cache carry no latency, so such a run has no p50/p95."""
    total = run.get("total") or len(run.get("cases") or [])
    return bool(total) and (run.get("cached") or 0) >= total


def _metric_cell(value: Any) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _print_comparison(result: dict[str, Any], *, replayed: bool) -> None:
    from rich.table import Table

    from cli.output import console

    for comp in result["comparisons"]:
        table = Table(
            title=f"{comp['providerA']} ({comp['modelA']}) → {comp['providerB']} ({comp['modelB']})",
            header_style="bold",
        )
        for column in ("metric", "A", "B", "Δ (B − A)"):
            table.add_column(column, justify="left" if column == "metric" else "right")
        for name, row in comp["metrics"].items():
            delta = row["delta"]
            table.add_row(name, _metric_cell(row["a"]), _metric_cell(row["b"]), "" if delta is None else f"{delta:+g}")
        console.print(table)
        for title, key in (("Fixed", "fixed"), ("Broken", "broken"), ("Changed (still wrong)", "changed")):
            rows = comp[key]
            console.print(f"[bold]{title}:[/] {len(rows)}", highlight=False)
            for item in rows[:30]:
                console.print(
                    f"  {item['id']}: {item['before']} → {item['after']} (expected {item['expected']})",
                    markup=False,
                    highlight=False,
                )
    if replayed:
        console.print(
            "[dim]latency n/a: the cases were replayed from the eval cache, so nothing was timed; "
            "run `chefmentor eval run CASES --no-cache` to measure it[/]",
            highlight=False,
        )


class _Progress:
    """Rich progress on stderr, one bar per provider."""

    def __init__(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from cli.output import err_console

        self._progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=err_console, transient=False, disable=not err_console.is_terminal,
        )  # fmt: skip
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> _Progress:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def start(self, provider: str, total: int) -> None:
        self._tasks[provider] = self._progress.add_task(provider, total=total)

    def advance(self, provider: str, result: Any) -> None:
        del result
        self._progress.advance(self._tasks[provider])


def _progress() -> _Progress:
    return _Progress()


def _print_skipped(outcome: Any) -> None:
    if not outcome.skipped:
        return
    from cli.output import err_console

    for error in outcome.skipped:
        err_console.print(f"[yellow]skipped[/] line {error.line}: {error.message}", highlight=False)


def _print_summary(document: dict[str, Any]) -> None:
    from rich.table import Table

    from chefmentor.eval.compare import runs_of
    from cli.output import console

    runs = runs_of(document)
    table = Table(title=f"Evaluation of {document.get('casesFile')}", header_style="bold")
    table.add_column("metric")
    for run in runs:
        table.add_column(f"{run['provider']}\n{run.get('model')}", justify="right")

    def row(title: str, values: list[str]) -> None:
        table.add_row(title, *values)

    def fmt(value: Any) -> str:
        return "–" if value is None else (f"{value:.3f}" if isinstance(value, float) else str(value))

    for key, title in (("accuracy", "accuracy"), ("macroF1", "macro-F1"), ("ece", "ECE"),
                       ("abstentionRate", "abstention rate"), ("accuracyWhenAnswered", "accuracy when answered"),
                       ("errors", "errors"), ("cached", "replayed from cache")):  # fmt: skip
        row(title, [fmt(r.get(key)) for r in runs])
    row("latency p50 / p95 ms", [f"{fmt(r['latencyMs']['p50'])} / {fmt(r['latencyMs']['p95'])}" for r in runs])
    row("fallbacks", [str(r["fallbacks"]["count"]) for r in runs])
    row("wall seconds", [fmt(r.get("wallSeconds")) for r in runs])
    console.print(table)
    for run in runs:
        misses = [c for c in run["cases"] if not c["correct"]]
        if misses:
            console.print(f"[bold]{run['provider']}[/] misses: " + ", ".join(
                f"{c['id']} ({c['expected']} → {c['predicted']})" for c in misses[:20]
            ), highlight=False)  # fmt: skip

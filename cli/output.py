"""Console helpers: stdout for results (exactly one JSON document with --json), stderr for diagnostics."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape


def _is_terminal(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


# Rich lays out piped or redirected output for 80 columns, which split table cells (ids) and long lines
# (paths) in files. Off a terminal it gets room instead (COLUMNS still wins), and line-oriented output is
# printed with soft_wrap so a line is never broken at all.
PIPED_WIDTH = 200


def _console(*, stderr: bool) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    if _is_terminal(stream):
        return Console(stderr=stderr)
    columns = os.environ.get("COLUMNS", "")
    return Console(stderr=stderr, width=int(columns) if columns.isdigit() else PIPED_WIDTH)


console = _console(stderr=False)
err_console = _console(stderr=True)


class _JsonState:
    """Whether this invocation asked for --json, and whether its one document was written yet."""

    enabled = False
    emitted = False


def start_invocation(*, json_mode: bool) -> None:
    _JsonState.enabled = json_mode
    _JsonState.emitted = False


def json_mode() -> bool:
    return _JsonState.enabled


def emit_json(document: Any) -> None:
    _JsonState.emitted = True
    sys.stdout.write(json.dumps(document, default=str, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def error_envelope(code: str, message: str) -> dict[str, Any]:
    return {"success": False, "error": {"code": code, "message": message}}


def print_error(message: str, *, code: str = "INTERNAL_ERROR") -> None:
    """One red line on stderr; with --json also the API's error envelope on stdout (unless a document was
    already written, so stdout never holds two)."""
    err_console.print(f"[bold red]Error:[/] {escape(message)}", markup=True, highlight=False, soft_wrap=True)
    if _JsonState.enabled and not _JsonState.emitted:
        emit_json(error_envelope(code, message))


def print_ok(message: str) -> None:
    err_console.print(f"[green]✓[/] {escape(message)}", highlight=False, soft_wrap=True)

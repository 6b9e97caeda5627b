"""Console helpers: stdout for results (exactly one JSON document with --json), stderr for diagnostics."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

console = Console()
err_console = Console(stderr=True)


def emit_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, default=str, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def print_error(message: str) -> None:
    err_console.print(f"[bold red]Error:[/] {message}", markup=True, highlight=False, soft_wrap=True)


def print_ok(message: str) -> None:
    err_console.print(f"[green]✓[/] {message}", highlight=False)

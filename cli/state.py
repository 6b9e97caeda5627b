"""Global CLI options, carried on typer's context object."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class CliState:
    json: bool = False
    debug: bool = False
    env_file: Path | None = None
    database_url: str | None = None
    offline: bool = False

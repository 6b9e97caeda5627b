"""Layering rules: the service layer imports no web/CLI framework; the CLI starts without heavy imports."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN_IN_CORE = {"fastapi", "starlette", "typer", "textual", "rich"}
HEAVY_AT_STARTUP = [
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.postgresql",
    "aiosqlite",
    "asyncpg",
    "fastapi",
    "google.genai",
    "groq",
    "faster_whisper",
    "piper",
    "PIL",
    "av",
]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_core_imports_no_web_or_cli_framework() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & FORBIDDEN_IN_CORE)
        for path in (ROOT / "chefmentor").rglob("*.py")
        if _imports(path) & FORBIDDEN_IN_CORE
    }
    assert offenders == {}


def test_cli_help_imports_nothing_heavy() -> None:
    probe = (
        "import sys, json, contextlib, io\n"
        "from cli.main import app\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        app(['--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        f"print(json.dumps([m for m in {HEAVY_AT_STARTUP!r} if m in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []

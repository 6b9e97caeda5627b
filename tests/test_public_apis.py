"""The project uses FastAPI, Starlette, SQLAlchemy, limits and uvicorn through their public APIs only.

A private name (a module, function or attribute starting with an underscore) reached through an import of
one of these packages fails here: such names change without notice in patch releases. Dunder names are
public protocol and allowed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUARDED = ("fastapi", "starlette", "sqlalchemy", "limits", "uvicorn")
# Public-looking modules that are internal all the same (undocumented greenlet plumbing).
INTERNAL_MODULES = ("sqlalchemy.util.concurrency", "sqlalchemy.util._concurrency_py3k")
SCANNED = ("chefmentor", "server", "cli", "bench", "tests", "migrations")


def _private(part: str) -> bool:
    return part.startswith("_") and not (part.startswith("__") and part.endswith("__"))


def _guarded(module: str) -> bool:
    return module.split(".")[0] in GUARDED


def violations(source: str) -> list[str]:
    tree = ast.parse(source)
    found: list[str] = []
    aliases: dict[str, str] = {}  # local name -> guarded module path it stands for
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _guarded(alias.name):
                    if any(_private(p) for p in alias.name.split(".")) or alias.name in INTERNAL_MODULES:
                        found.append(f"line {node.lineno}: import {alias.name}")
                    aliases[alias.asname or alias.name.split(".")[0]] = (
                        alias.asname and alias.name or alias.name.split(".")[0]
                    )
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and _guarded(node.module):
            if any(_private(p) for p in node.module.split(".")) or node.module in INTERNAL_MODULES:
                found.append(f"line {node.lineno}: from {node.module}")
            for alias in node.names:
                if _private(alias.name):
                    found.append(f"line {node.lineno}: from {node.module} import {alias.name}")
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            root = node.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in aliases:
                found.append(f"line {node.lineno}: {root.id}….{node.attr} ({aliases[root.id]})")
        elif isinstance(node, ast.ClassDef) and any(_rooted_in(base, aliases) for base in node.bases):
            # Overriding a private method of a library class (name-mangled or not) depends on its internals.
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and _private(item.name):
                    found.append(f"line {item.lineno}: {node.name}.{item.name} overrides a private method")
    return found


def _rooted_in(node: ast.expr, aliases: dict[str, str]) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name) and node.id in aliases


def _sources() -> list[Path]:
    return sorted(path for folder in SCANNED for path in (ROOT / folder).rglob("*.py") if ".venv" not in path.parts)


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_private_names_of_guarded_libraries(path: Path) -> None:
    assert violations(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "snippet",
    [
        "from fastapi._compat import Undefined",
        "from fastapi.routing import _effective_route_context_var",
        "import starlette._exception_handler",
        "from sqlalchemy.util.concurrency import greenlet_spawn",
        "import limits\nlimits.aio.storage.MemoryStorage._MemoryStorage__schedule_expiry",
        "from fastapi import routing\nrouting._routes_version",
        "from limits.aio.storage import MemoryStorage\nclass S(MemoryStorage):\n    def _MemoryStorage__x(self): ...",
    ],
)
def test_the_scan_catches_private_names(snippet: str) -> None:
    assert violations(snippet)


def test_the_scan_allows_public_names_and_dunders() -> None:
    assert violations("from fastapi import FastAPI\nimport sqlalchemy as sa\nsa.Table.__table__\nsa.func.count") == []

"""Evaluation fixtures: settings on a temp home, and small case files written per test."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from chefmentor.config import Settings
from tests.conftest import make_settings

WriteCases = Callable[[list[Any]], Path]


@pytest.fixture
def eval_settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}")


@pytest.fixture
def write_cases(tmp_path: Path) -> WriteCases:
    """Each item is a dict (dumped as JSON) or a raw string line."""

    def write(lines: list[Any]) -> Path:
        path = tmp_path / "cases.jsonl"
        path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n", encoding="utf-8")
        return path

    return write


def case(case_id: str, category: str, notes: str = "", **extra: Any) -> dict[str, Any]:
    return {"id": case_id, "dish": extra.pop("dish", "steak"), "notes": notes, "expected": {"category": category},
            **extra}  # fmt: skip

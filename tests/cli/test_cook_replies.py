"""Replies of the cook loop read as sentences: one period between sentences, whatever the recipe wrote."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from chefmentor.voice.knowledge import fallback_answer


@pytest.mark.parametrize("state", ["Rice looks damp.", "Rice looks damp", "Rice looks damp. ", "Rice looks damp..."])
def test_fallback_answer_has_no_double_period(state: str) -> None:
    step: Any = SimpleNamespace(expected_state=state)
    recipe: Any = SimpleNamespace(name="Rice")
    answer = fallback_answer(recipe, step)
    assert ".." not in answer
    assert "For this step, Rice looks damp. Say help" in answer


def test_fallback_answer_without_expected_state() -> None:
    step: Any = SimpleNamespace(expected_state=None)
    answer = fallback_answer(SimpleNamespace(name="Rice"), step)  # type: ignore[arg-type]
    assert ".." not in answer and answer.endswith("Say help to hear what I can do.")

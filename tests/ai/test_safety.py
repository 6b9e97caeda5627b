from __future__ import annotations

import pytest

from chefmentor.ai.safety import SAFETY_MESSAGES, normalize_safety, safety_key


@pytest.mark.parametrize(
    ("flag", "key"),
    [
        ("undercooked_poultry", "poultry"),
        ("Chicken still pink inside!", "poultry"),
        ("raw pork", "pork"),
        ("pink mince in the burger", "ground"),
        ("oil smoking", "smoke"),
        ("grease fire risk", "fire"),
        ("undercooked kidney beans", "beans"),
        ("raw egg", "eggs"),
        ("rare beef", "meat"),
        ("too salty for children", None),
    ],
)
def test_flags_map_onto_the_closed_set(flag: str, key: str | None) -> None:
    assert safety_key(flag) == key


def test_normalize_dedupes_drops_none_and_keeps_unknown_text_short() -> None:
    flags = ["undercooked_poultry", "Undercooked chicken", "none", "N/A", "watch the " + "x" * 400]
    out = normalize_safety(flags)
    assert out[0] == SAFETY_MESSAGES["poultry"]
    assert len(out) == 2 and len(out[1]) == 160

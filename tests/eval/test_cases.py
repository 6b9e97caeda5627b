"""Case files: every line validated, errors carry line numbers, the run refuses unless --skip-invalid."""

from __future__ import annotations

from pathlib import Path

import pytest

from chefmentor.errors import ValidationError
from chefmentor.eval.cases import load_cases
from tests.eval.conftest import WriteCases, case


def test_valid_file_with_snake_and_camel_steps(write_cases: WriteCases) -> None:
    path = write_cases([
        case("a", "cooked_too_short", session={"steps": [
            {"instruction": "Simmer", "expected_minutes": 15, "actual_minutes": 6, "heat": "low"}]}),
        "",
        case("b", "heat_too_high", session={"steps": [
            {"instruction": "Sear", "expectedMinutes": 4, "actualMinutes": 4, "expectedHeat": "medium",
             "heat": "high", "skipped": False, "notes": "it smoked"}]}),
    ])  # fmt: skip
    cases = load_cases(path).cases
    assert [c.id for c in cases] == ["a", "b"]
    assert cases[0].steps[0].expected_minutes == 15 and cases[0].steps[0].actual_heat == "low"
    assert cases[1].steps[0].expected_heat == "medium" and cases[1].steps[0].notes == ("it smoked",)
    assert cases[0].line == 1 and cases[1].line == 3


def test_bad_lines_are_reported_with_line_numbers(write_cases: WriteCases) -> None:
    path = write_cases([
        case("ok", "seasoning_off", "bland"),
        "{not json",
        case("x", "too_hot"),
        {**case("y", "heat_too_high"), "sesion": {}},
        case("ok", "unknown"),
        case("z", "heat_too_high", session={"steps": [{"instruction": "Sear", "expectedMinutes": -3}]}),
        case("w", "heat_too_high", media="missing.jpg"),
        case("v", "heat_too_high", session={"steps": [{"expectedMins": 3}]}),
    ])  # fmt: skip
    with pytest.raises(ValidationError) as info:
        load_cases(path)
    message = info.value.message
    for expected in ("line 2: not valid JSON", "line 3: expected.category 'too_hot'", "line 4: unknown key 'sesion'",
                     "did you mean 'session'", "line 5: duplicate id 'ok' (first on line 1)",
                     "line 6: session.steps[0].expectedMinutes must be a number >= 0", "line 7: media file not found",
                     "line 8: unknown key 'expectedMins'", "--skip-invalid"):  # fmt: skip
        assert expected in message
    skipped = load_cases(path, skip_invalid=True)
    assert [c.id for c in skipped.cases] == ["ok"]
    assert [e.line for e in skipped.errors] == [2, 3, 4, 5, 6, 7, 8]


def test_media_must_stay_inside_the_case_folder(write_cases: WriteCases, tmp_path: Path) -> None:
    (tmp_path.parent / "outside.jpg").write_bytes(b"x")
    path = write_cases([case("a", "unknown", media="../outside.jpg")])
    with pytest.raises(ValidationError, match="line 1: media must be a path relative"):
        load_cases(path)


def test_content_hash_ignores_id_and_label_but_not_content(write_cases: WriteCases) -> None:
    first = load_cases(write_cases([case("a", "unknown", "bland")])).cases[0]
    relabelled = load_cases(write_cases([case("b", "seasoning_off", "bland")])).cases[0]
    edited = load_cases(write_cases([case("a", "unknown", "bland!")])).cases[0]
    assert first.content_hash == relabelled.content_hash != edited.content_hash


def test_missing_or_empty_file(tmp_path: Path, write_cases: WriteCases) -> None:
    with pytest.raises(ValidationError, match="not found"):
        load_cases(tmp_path / "nope.jsonl")
    with pytest.raises(ValidationError, match="no valid cases"):
        load_cases(write_cases([""]))

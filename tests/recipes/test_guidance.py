"""Step guidance from text: expected minutes, heat, oven temperature, timer; and the hand-checked samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chefmentor.recipes.guidance import guidance_for_text
from chefmentor.recipes.heat import find_temperatures
from chefmentor.recipes.jsonld import parse_recipe

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("Cook until golden, 3 to 4 minutes.", 3, 4),
        ("Simmer 10–12 minutes.", 10, 12),
        ("Bake for about an hour.", 60, 60),
        ("Braise for an hour and a half.", 90, 90),
        ("Roast 1 1/2 hours, then rest 15 minutes.", 105, 105),
        ("Roast 1½ hours.", 90, 90),
        ("Bake 1 hr 15 min.", 75, 75),
        ("Sear 2-3 minutes per side.", 4, 6),
        ("Cook on each side for 3-4 minutes.", 6, 8),
        ("Cook 5 minutes, then add the garlic and cook 1 more minute.", 6, 6),
        ("Heat the oil until it shimmers, about 30 seconds to 1 minute.", 0.5, 1),
        ("Let it stand for a few minutes.", 2, 5),
        ("Cover and rest for half an hour.", 30, 30),
        ("Marinate at least 30 minutes or up to 24 hours.", 30, 30),
        ("Chill 4 hours or overnight.", 240, 240),
        ("Simmer 20 minutes, stirring every 5 minutes.", 20, 20),
        ("Cook on high for 3-4 hours or low for 6-7 hours.", 3 * 60, 4 * 60),
        ("Dek af en laat 1 uur rijzen.", 60, 60),
        ("Bei mittlerer Hitze ca. 10 Minuten kochen.", 10, 10),
        ("Cuire 35 min à 180 °C.", 35, 35),
        ("Cuocere per circa otto minuti.", 8, 8),
        ("弱火で5分煮る。", 5, 5),
        ("Backe 12-15 Minuten. Rühre alle 2-3 Minuten um.", 12, 15),
        ("Cuire 1h30 au four.", 90, 90),
    ],
)
def test_expected_minutes(text: str, low: float, high: float) -> None:
    minutes = guidance_for_text(text).minutes
    assert minutes is not None and (minutes.low, minutes.high) == pytest.approx((low, high), abs=0.01)


@pytest.mark.parametrize(
    "text",
    [
        "Stir every 5 minutes.",
        "Store in the fridge for up to 3 days.",
        "After 20 minutes, check the rice.",
        "About 1 hour before serving, take the cake out of the freezer.",
        "Microwave in 15 second increments until melted.",
        "Line a second baking sheet with parchment.",
        "Roast about 20 minutes per pound.",
        "Whisk the eggs with the sugar.",
    ],
)
def test_no_elapsed_time_in_these(text: str) -> None:
    assert guidance_for_text(text).minutes is None


@pytest.mark.parametrize(
    ("text", "level", "source"),
    [
        ("Melt butter in a skillet over medium-high heat.", "medium_high", "text"),
        ("Bring to a boil over high heat, then reduce the heat to low and cover.", "low", "text"),
        ("Sauté over medium until soft.", "medium", "text"),
        ("Cook on medium-low for 5 minutes.", "medium_low", "text"),
        ("Turn the heat down to medium-low.", "medium_low", "text"),
        ("Simmer until thick.", "low", "inferred"),
        ("Bring a large pot of salted water to a boil.", "high", "inferred"),
        ("Bake until golden.", "oven", "inferred"),
        ("Preheat the oven to 350°F.", "oven", "text"),
        ("Preheat the broiler to high.", "oven", "text"),
        ("Remove from the heat and stir in the butter.", "off", "inferred"),
        ("Faites revenir à feu doux.", "low", "text"),
        ("Bei starker Hitze anbraten.", "high", "text"),
        ("Cuocere a fuoco medio.", "medium", "text"),
        ("Verwarm op laag vuur.", "low", "text"),
        ("中火で熱する。", "medium", "text"),
        ("Heat the frying oil to 350°F.", "medium_high", "inferred"),
        ("Heat the frying oil to 400°F.", "high", "inferred"),
    ],
)
def test_heat(text: str, level: str, source: str) -> None:
    heat = guidance_for_text(text).heat
    assert heat is not None and (heat.level.value, heat.source) == (level, source)


@pytest.mark.parametrize(
    "text",
    [
        "Beat on medium-high speed until fluffy.",
        "Increase the mixer speed to high.",
        "Blend on high until smooth.",
        "Microwave on high for 2 minutes.",
        "Cover and cook on low for 8 hours.",
        "Line a baking sheet with parchment.",
        "Whisk the baking soda into the flour.",
        "Heat the oil in a pan.",
        "Adjust the bake time for smaller pans.",
    ],
)
def test_no_heat_in_these(text: str) -> None:
    assert guidance_for_text(text).heat is None


@pytest.mark.parametrize(
    ("text", "celsius", "fahrenheit", "gas", "kind"),
    [
        ("Preheat the oven to 350°F (175°C).", 177, 350, None, "oven"),
        ("Heat oven to 190C/170C fan/gas 5.", 190, 374, 5, "oven"),
        ("Préchauffer le four à 180 °C (th. 6).", 180, 356, 6, "oven"),
        ("Bake at gas mark 4.", 180, 356, 4, "oven"),
        ("Preheat the oven to 400 degrees.", 204, 400, None, "oven"),
        ("Bake at 350 for 12 minutes.", 177, 350, None, "oven"),
        ("Preheat your oven to 180.", 180, 356, None, "oven"),
        ("Den Backofen auf 200 Grad vorheizen.", 200, 392, None, "oven"),
        ("Cook until an instant-read thermometer reads 165°F.", 74, 165, None, "internal"),
        ("Heat the oil to 180°C for frying.", 180, 356, None, "oil"),
    ],
)
def test_temperatures(text: str, celsius: int, fahrenheit: int, gas: float | None, kind: str) -> None:
    (found,) = find_temperatures(text)
    assert (found.celsius, found.fahrenheit, found.gas_mark, found.kind) == (celsius, fahrenheit, gas, kind)


def test_timer_suggestion_page_values_and_sources() -> None:
    text = "Sear 2 minutes, then bake 10–12 minutes at 200°C."
    guidance = guidance_for_text(text)
    assert guidance.timer is not None and guidance.timer.seconds == 120 and guidance.timer.source == "inferred"
    assert [s.high for s in guidance.segments] == [2, 12] and guidance.minutes and guidance.minutes.high == 14
    assert guidance.oven_temperature and guidance.oven_temperature.celsius == 200
    recipe = parse_recipe(
        {
            "@type": "Recipe",
            "name": "Page values",
            "recipeInstructions": [
                {"@type": "HowToStep", "text": text, "expectedMinutes": 20, "heat": "medium-high", "timerSeconds": 90},
                {"@type": "HowToDirection", "text": "Rest.", "performTime": "PT5M"},
            ],
        }
    )
    first, second = recipe.steps
    assert (first.expected_minutes, first.heat, first.timer_seconds) == (20, "medium_high", 90)
    assert first.guidance and first.guidance.minutes and first.guidance.minutes.source == "page"
    assert first.guidance.oven_temperature and first.guidance.oven_temperature.celsius == 200  # text kept beside
    assert second.expected_minutes == 5 and second.guidance and second.guidance.minutes
    assert second.guidance.minutes.source == "page"
    stored = first.guidance.to_storage()
    assert stored["minutes"]["source"] == "page" and stored["heat"]["source"] == "page"
    assert "ovenTemperature" in stored and "segments" not in stored


def _score(path: Path) -> tuple[int, int, list[str]]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    wrong: list[str] = []
    for row in rows:
        guidance = guidance_for_text(row["instruction"])
        minutes = guidance.minutes.high if guidance.minutes else None
        heat = guidance.heat.level.value if guidance.heat else None
        expected = row["expectedMinutes"]
        minutes_ok = (minutes is None) == (expected is None) and (
            minutes is None or abs(minutes - expected) <= 0.05 + 0.01 * expected
        )
        if not (minutes_ok and heat == row["heat"]):
            wrong.append(f"{row['page']}#{row['stepNumber']}: {minutes}/{heat} vs {expected}/{row['heat']}")
    return len(rows) - len(wrong), len(rows), wrong


@pytest.mark.parametrize("name", ["guidance_sample_tuning.json", "guidance_sample_check.json"])
def test_hand_checked_samples_are_at_least_95_percent_correct(name: str) -> None:
    correct, total, wrong = _score(DATA / name)
    assert total >= 150
    assert correct / total >= 0.95, wrong

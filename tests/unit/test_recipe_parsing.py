from __future__ import annotations

import json
from pathlib import Path

import pytest

from chefmentor.errors import ValidationError
from chefmentor.recipes.ingredients import parse_ingredient
from chefmentor.recipes.jsonld import load_jsonld_text, parse_recipe

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "recipes"


@pytest.mark.parametrize(
    ("line", "quantity", "unit", "name", "note"),
    [
        ("1 1/2 cups long-grain white rice, rinsed", 1.5, "cup", "long-grain white rice", "rinsed"),
        ("½ teaspoon kosher salt", 0.5, "teaspoon", "kosher salt", None),
        ("2 large eggs", 2.0, "large", "eggs", None),
        ("3 tbsp unsalted butter, cold, cubed", 3.0, "tablespoon", "unsalted butter", "cold, cubed"),
        ("250 g flour", 250.0, "gram", "flour", None),
        ("1 ½ cups milk", 1.5, "cup", "milk", None),
        ("Salt and pepper to taste", None, None, "Salt and pepper to taste", None),
        ("large pinch of saffron", None, None, "large pinch of saffron", None),
    ],
)
def test_parse_ingredient(line: str, quantity: float | None, unit: str | None, name: str, note: str | None) -> None:
    parsed = parse_ingredient(line)
    assert (parsed.quantity, parsed.unit, parsed.name, parsed.note) == (quantity, unit, name, note)
    assert parsed.text == line


def test_every_fixture_parses_with_step_extensions() -> None:
    files = sorted(FIXTURES.glob("*.jsonld"))
    assert len(files) == 5
    for path in files:
        (node,) = load_jsonld_text(path.read_text(), source=path.name)
        recipe = parse_recipe(node, source=path.name)
        assert recipe.steps and recipe.ingredients and recipe.estimated_time_min
        assert any(step.expected_state for step in recipe.steps)
        assert any(step.heat for step in recipe.steps)


def test_howto_sections_are_flattened_in_order() -> None:
    node = {
        "@type": "Recipe",
        "name": "Sectioned",
        "recipeInstructions": [
            {"@type": "HowToSection", "name": "A", "itemListElement": [{"@type": "HowToStep", "text": "one"}]},
            {"@type": "HowToSection", "name": "B", "itemListElement": [{"@type": "HowToStep", "text": "two"}, "three"]},
        ],
        "totalTime": "PT1H5M",
        "recipeYield": ["6", "6 slices"],
    }
    recipe = parse_recipe(node)
    assert [s.instruction for s in recipe.steps] == ["one", "two", "three"]
    assert recipe.estimated_time_min == 65
    assert [s.section for s in recipe.steps] == ["A", "B", "B"]
    assert (recipe.yield_quantity, recipe.yield_unit, recipe.servings) == (6, "slices", None)


def test_graph_and_plain_string_instructions() -> None:
    toast = {
        "@type": ["Recipe"],
        "name": "Toast",
        "recipeInstructions": "1. Slice bread.\n2. Toast until golden.",
        "prepTime": "PT2M",
        "cookTime": "PT3M",
    }
    doc = {"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, toast]}
    (node,) = load_jsonld_text(json.dumps(doc))
    recipe = parse_recipe(node)
    assert [s.instruction for s in recipe.steps] == ["Slice bread.", "Toast until golden."]
    assert recipe.estimated_time_min == 5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"@type": "WebPage"}', "no schema.org Recipe"),
        ('{"@type": "Recipe", "recipeInstructions": ["x"]}', "has no name"),
        ('{"@type": "Recipe", "name": "X"}', "no recipeInstructions"),
        ('{"@type": "Recipe", "recipeInstructions": []}', "has no name"),
        ('{"@type": "Recipe", "name": "X", "recipeInstructions": [null, "", "<p> </p>"]}', "no recipeInstructions"),
    ],
)
def test_malformed_documents_name_the_problem(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        for node in load_jsonld_text(text):
            parse_recipe(node)

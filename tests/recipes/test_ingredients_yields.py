"""Ingredients with sections, ranges and units in several languages; yields as quantity + unit."""

from __future__ import annotations

import pytest

from chefmentor.recipes.ingredients import parse_ingredient, parse_ingredients
from chefmentor.recipes.jsonld import parse_recipe
from chefmentor.recipes.yields import parse_yield


@pytest.mark.parametrize(
    ("line", "quantity", "quantity_max", "unit", "name", "note"),
    [
        ("1 1/2 cups long-grain white rice, rinsed", 1.5, None, "cup", "long-grain white rice", "rinsed"),
        ("2–3 cloves garlic, minced", 2, 3, "clove", "garlic", "minced"),
        ("2 to 3 tbsp olive oil", 2, 3, "tablespoon", "olive oil", None),
        ("1 (14-ounce) can tomatoes (peeled, chopped), drained", 1, None, "can", "tomatoes (peeled, chopped)",
         "14-ounce; drained"),
        ("500 gr bloem", 500, None, "gram", "bloem", None),
        ("1 el fijne kristalsuiker", 1, None, "tablespoon", "fijne kristalsuiker", None),
        ("3 EL Olivenöl", 3, None, "tablespoon", "Olivenöl", None),
        ("1 TL Salz", 1, None, "teaspoon", "Salz", None),
        ("200 ml de lait", 200, None, "milliliter", "lait", None),
        ("2 cuillères à soupe de sucre", 2, None, "tablespoon", "sucre", None),
        ("1,5 dl grädde", 1.5, None, "deciliter", "grädde", None),
        ("Raclette au lait cru : 50 g", 50, None, "gram", "Raclette au lait cru", None),
        ("½ tsp salt", 0.5, None, "teaspoon", "salt", None),
        ("1-1/2 cups sugar", 1.5, None, "cup", "sugar", None),
        ("1 T butter", 1, None, "tablespoon", "butter", None),
        ("1 t vanilla", 1, None, "teaspoon", "vanilla", None),
        ("large pinch of saffron", None, None, None, "large pinch of saffron", None),
        ("Salt and pepper to taste", None, None, None, "Salt and pepper to taste", None),
    ],
)  # fmt: skip
def test_parse_ingredient(
    line: str, quantity: float | None, quantity_max: float | None, unit: str | None, name: str, note: str | None
) -> None:
    parsed = parse_ingredient(line)
    assert (parsed.quantity, parsed.quantity_max, parsed.unit, parsed.name, parsed.note) == (
        quantity, quantity_max, unit, name, note,
    )  # fmt: skip
    assert parsed.text == line


def test_sections_nulls_and_joined_strings() -> None:
    warnings: list[str] = []
    items = parse_ingredients(
        [
            "For the noodles:",
            "200 g noodles",
            None,
            "null",
            "",
            "SAUCE",
            "2 tbsp soy sauce",
            "For the topping",
            "1 egg",
        ],
        warnings.append,
    )
    assert [(i.section, i.name) for i in items] == [
        ("For the noodles", "noodles"), ("SAUCE", "soy sauce"), ("For the topping", "egg"),
    ]  # fmt: skip
    joined = parse_ingredients("1 cup flour\n2 eggs\r\n1 tsp salt<br>1 cup milk", warnings.append)
    assert [i.name for i in joined] == ["flour", "eggs", "salt", "milk"]
    assert parse_ingredients([None], warnings.append) == [] and not warnings
    many = parse_ingredients([f"{n} g salt" for n in range(1, 260)], warnings.append)
    assert len(many) == 200 and warnings


def test_long_ingredient_text_is_cut_at_a_word() -> None:
    (item,) = parse_ingredients(["2 cups " + "very " * 100 + "ripe bananas"], print)
    assert len(item.text) <= 300 and item.text.endswith("…") and " ver…" not in item.text


@pytest.mark.parametrize(
    ("value", "quantity", "quantity_max", "unit", "servings"),
    [
        (["12", "12 cupcakes"], 12, None, "cupcakes", None),
        (["24", "24 cookies"], 24, None, "cookies", None),
        ("1 loaf", 1, None, "loaf", None),
        ("4-6 servings", 4, 6, "servings", 4),
        (["8", "8-10 servings"], 8, 10, "servings", 8),
        ("Serves 4", 4, None, "servings", 4),
        ("YIELD — 4 servings", 4, None, "servings", 4),
        ("Makes 12", 12, None, None, None),
        ("Für 4 Personen", 4, None, "servings", 4),
        ("2 Portionen", 2, None, "servings", 2),
        ("12 personnes", 12, None, "servings", 12),
        (6, 6, None, "servings", 6),
        ("4 cups", 4, None, "cups", None),
        ("0.75", 0.75, None, "servings", None),
    ],
)
def test_yields(
    value: object, quantity: float, quantity_max: float | None, unit: str | None, servings: int | None
) -> None:
    found = parse_yield(value)
    assert found is not None
    assert (found.quantity, found.quantity_max, found.unit, found.servings) == (quantity, quantity_max, unit, servings)


@pytest.mark.parametrize("value", ["", None, "a lot", [], -3, True])
def test_no_yield(value: object) -> None:
    assert parse_yield(value) is None


def test_recipe_yield_fields() -> None:
    recipe = parse_recipe(
        {"@type": "Recipe", "name": "Cookies", "recipeYield": ["24", "24 cookies"], "recipeInstructions": ["Bake."]}
    )
    assert (recipe.yield_quantity, recipe.yield_unit, recipe.servings, recipe.yield_text) == (
        24, "cookies", None, "24 cookies",
    )  # fmt: skip

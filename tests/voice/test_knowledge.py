"""Answers to free questions from the recipe and the substitution knowledge base."""

from __future__ import annotations

from datetime import UTC, datetime

from chefmentor.recipes.models import Heat
from chefmentor.recipes.schemas import Ingredient, RecipeRead, RecipeStepRead
from chefmentor.voice.knowledge import answer_question, substitution_for

NOW = datetime(2026, 1, 1, tzinfo=UTC)
STEP = RecipeStepRead(
    step_number=3,
    instruction="Bake at 175 °C / 350 °F until a skewer comes out clean.",
    expected_state="Deep golden top, skewer clean",
    expected_minutes=55,
    heat=Heat.OVEN,
    tips=["Tent with foil if the top browns too fast."],
)
RECIPE = RecipeRead(
    id="00000000-0000-0000-0000-000000000001",
    name="Banana bread",
    slug="banana-bread",
    ingredients=[
        Ingredient(text="1/2 cup unsalted butter, melted", name="unsalted butter"),
        Ingredient(text="2 large eggs", name="eggs"),
        Ingredient(text="1 teaspoon baking soda", name="baking soda"),
    ],
    steps=[STEP],
    created_at=NOW,
    updated_at=NOW,
)


def test_the_replaced_ingredient_is_the_one_after_instead_of() -> None:
    assert substitution_for("can I use butter instead of oil", None).startswith("Instead of oil:")
    assert substitution_for("I ran out of buttermilk", None).startswith("Instead of buttermilk:")
    assert substitution_for("can I make it without eggs", None).startswith("Instead of egg:")


def test_quantities_come_from_the_recipe() -> None:
    assert answer_question("how much butter do I need", RECIPE, STEP) == "You need 1/2 cup unsalted butter, melted."
    assert answer_question("eggs?", RECIPE, STEP) == "You need 2 large eggs."


def test_step_questions_use_time_heat_and_tips() -> None:
    assert answer_question("how long should it bake", RECIPE, STEP).startswith("This step takes about 55 minutes.")
    assert "175 °C" in answer_question("what temperature", RECIPE, STEP)
    assert answer_question("why is the top burning", RECIPE, STEP).startswith("Tip: Tent with foil")


def test_unknown_questions_get_an_honest_fallback() -> None:
    answer = answer_question("who won the game last night", RECIPE, STEP)
    assert answer.startswith("I don't know that one") and "skewer clean" in answer

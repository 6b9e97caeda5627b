"""Answers to free questions (`ask`) from the recipe itself and a small kitchen knowledge base."""

from __future__ import annotations

import re
from collections.abc import Sequence

from chefmentor.recipes.pairings import flavor_answer
from chefmentor.recipes.schemas import Ingredient, RecipeRead, RecipeStepRead

# Common swaps with the ratio and what changes, as a cook would say it out loud.
SUBSTITUTIONS: dict[str, str] = {
    "butter": "Use the same amount of oil, or three quarters as much for baking; the flavour is less rich.",
    "oil": "Use the same amount of melted butter or ghee; butter browns faster, so keep the heat moderate.",
    "olive oil": "Any neutral oil works one to one; butter works too but burns sooner.",
    "egg": "For one egg in baking: 1 tablespoon ground flax with 3 tablespoons water, rested 5 minutes, "
    "or a quarter cup of yogurt or mashed banana.",
    "buttermilk": "Stir 1 tablespoon lemon juice or vinegar into 1 cup of milk and let it stand 5 minutes.",
    "milk": "Use the same amount of unsweetened oat, soy or almond milk, or half water and half cream.",
    "yogurt": "Sour cream works one to one; buttermilk works if you reduce the other liquid a little.",
    "sour cream": "Plain yogurt works one to one.",
    "cream": "Use three quarters cup milk plus a quarter cup melted butter per cup; it will not whip.",
    "baking soda": "Use three times as much baking powder and reduce the salt slightly.",
    "baking powder": "For 1 teaspoon: a quarter teaspoon baking soda plus half a teaspoon cream of tartar.",
    "brown sugar": "White sugar with 1 tablespoon molasses per cup, or plain white sugar for a drier result.",
    "sugar": "Use brown sugar one to one for more moisture, or honey at three quarters the amount with less liquid.",
    "all-purpose flour": "Bread flour works one to one but is chewier; for cake flour use less and add cornstarch.",
    "flour": "All-purpose and bread flour swap one to one; gluten-free blends need a binder like xanthan gum.",
    "salt": "Table salt is about twice as salty as kosher salt by volume: use half as much.",
    "kosher salt": "Use half as much table salt or fine sea salt.",
    "lemon juice": "Lime juice or white wine vinegar, the same amount; vinegar is sharper, start with less.",
    "lemon": "Lime works the same way; for zest, skip it or add a little extra juice.",
    "white wine": "Use stock with a splash of lemon juice or white wine vinegar.",
    "wine": "Use stock plus a teaspoon of vinegar per cup.",
    "stock": "Water with a pinch more salt, or a bouillon cube dissolved in water.",
    "broth": "Water with a pinch more salt, or a bouillon cube dissolved in water.",
    "garlic": "A quarter teaspoon garlic powder replaces one clove.",
    "shallot": "Use a little red or yellow onion, finely chopped.",
    "onion": "Shallots or the white part of leeks; 1 teaspoon onion powder replaces a small onion.",
    "vanilla extract": "Skip it, or use maple syrup or a little cinnamon for warmth.",
    "walnuts": "Pecans or any toasted nut, or leave them out; they are optional.",
    "chicken breast": "Boneless thighs work and stay juicier; cook them a few minutes longer.",
    "rice": "Rinse any long-grain rice the same way; brown rice needs more water and about 40 minutes.",
    "parsley": "Chives, cilantro or basil, or leave it out.",
    "cinnamon": "Nutmeg or allspice, at half the amount.",
}
_WORD = re.compile(r"[a-z]+")
_NOT_INGREDIENT_WORDS = frozenset(
    "a an the of and or to for in on with cup cups large small medium about optional room temperature".split()
)


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in _WORD.findall(text.lower()) if w not in _NOT_INGREDIENT_WORDS and len(w) > 2}


def mentioned_ingredients(question: str, ingredients: Sequence[Ingredient]) -> list[Ingredient]:
    """Ingredients whose name shares a word with the question (fuzzy for STT spelling slips)."""
    from rapidfuzz import fuzz

    asked = _words(question)
    found: list[Ingredient] = []
    for ingredient in ingredients:
        name_words = _words(ingredient.name)
        if not name_words:
            continue
        if asked & name_words or any(fuzz.ratio(a, n) >= 85 for a in asked for n in name_words if len(a) > 3):
            found.append(ingredient)
    return found


_REPLACED = re.compile(
    r"\b(?:instead of|substitute for|substitution for|replacement for|replace|swap out|out of|ran out of|"
    r"run out of|don'?t have|do not have|have no|without|alternative to|in place of|sub for)\s+(?:the\s+|any\s+|my\s+)?"
    r"(?P<target>[a-z -]+)"
)


def _kb_key(text: str) -> str | None:
    for key in sorted(SUBSTITUTIONS, key=len, reverse=True):
        if re.search(rf"\b{re.escape(key)}s?\b", text):
            return key
    return None


def substitution_for(question: str, recipe: RecipeRead | None) -> str | None:
    """Swap advice for the ingredient being replaced ("use butter instead of OIL"), longest match first."""
    lowered = question.lower()
    replaced = _REPLACED.search(lowered)
    key = _kb_key(replaced.group("target")) if replaced else None
    key = key or _kb_key(lowered)
    if key:
        return f"Instead of {key}: {SUBSTITUTIONS[key]}"
    if recipe is not None:
        for ingredient in mentioned_ingredients(question, recipe.ingredients):
            for key in sorted(SUBSTITUTIONS, key=len, reverse=True):
                if key in ingredient.name.lower():
                    return f"Instead of {key}: {SUBSTITUTIONS[key]}"
    return None


_SUBSTITUTE_CUES = re.compile(
    r"\b(?:instead|substitut\w*|replace|swap|alternative|out of|ran out|run out|do not have|don't have|"
    r"have no|without|can i use|could i use)\b"
)
_QUANTITY_CUES = re.compile(r"\b(?:how much|how many|quantity|amount|what size)\b")
_TIME_CUES = re.compile(r"\b(?:how long|minutes|time)\b")
_HEAT_CUES = re.compile(r"\b(?:heat|temperature|how hot|oven|flame|burner|degrees)\b")
_WHY_CUES = re.compile(r"\b(?:why|wrong|burn\w*|stuck|too|tips?|advice|help me)\b")


def answer_question(question: str, recipe: RecipeRead | None, step: RecipeStepRead | None) -> str:
    """The best short spoken answer the recipe and the knowledge base support, or an honest fallback."""
    return answer_from_recipe(question, recipe, step) or fallback_answer(recipe, step)


def answer_from_recipe(question: str, recipe: RecipeRead | None, step: RecipeStepRead | None) -> str | None:
    """An answer grounded in the recipe or the substitution table; None when they have nothing."""
    lowered = question.lower()
    if _SUBSTITUTE_CUES.search(lowered):
        swap = substitution_for(lowered, recipe)
        if swap:
            return swap
    flavor = flavor_answer(lowered)  # bundled FlavorDB-style pairings and substitutes (recipes.pairings)
    if flavor:
        return flavor
    if recipe is not None:
        named = mentioned_ingredients(lowered, recipe.ingredients)
        if named and (_QUANTITY_CUES.search(lowered) or len(lowered.split()) <= 4):
            return "You need " + "; ".join(i.text for i in named[:3]) + "."
        if named and _SUBSTITUTE_CUES.search(lowered):
            return f"I have no swap on file for {named[0].name}; the recipe uses {named[0].text}."
    if step is not None:
        if _TIME_CUES.search(lowered) and (step.expected_minutes or step.timer_seconds):
            minutes = step.expected_minutes or (step.timer_seconds or 0) / 60
            return f"This step takes about {_minutes(minutes)}." + _state_hint(step)
        if _HEAT_CUES.search(lowered):
            temperature = re.search(r"\d+\s*°\s*[CF][^.;,]*", step.instruction)
            if temperature:
                return f"The recipe says {temperature.group(0).strip()}."
            if step.heat:
                return f"Use {step.heat.value.replace('_', ' ')} heat for this step." + _state_hint(step)
        if _WHY_CUES.search(lowered) and step.tips:
            return "Tip: " + " ".join(step.tips[:2])
    return None


def fallback_answer(recipe: RecipeRead | None, step: RecipeStepRead | None) -> str:
    if recipe is not None and step is not None:
        state = (step.expected_state or "").strip().rstrip(".")
        hint = f" For this step, {state}." if state else ""
        return f"I don't know that one from the recipe.{hint} Say help to hear what I can do."
    return "I don't know that one. Say help to hear what I can do."


def _minutes(minutes: float) -> str:
    if minutes < 1:
        return f"{round(minutes * 60)} seconds"
    whole = round(minutes, 1)
    text = f"{whole:g}"
    return f"{text} minute" + ("" if whole == 1 else "s")


def _state_hint(step: RecipeStepRead) -> str:
    return f" You're looking for: {step.expected_state}." if step.expected_state else ""

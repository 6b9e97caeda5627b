"""The offline engine on phrasings its knowledge base does not spell out: context, amounts, dials, typos, asides.

Each test pairs a phrasing with a near-identical control whose answer must differ, so a rule that is
removed (or one that fires on everything) fails here.
"""

from __future__ import annotations

import pytest

from chefmentor.ai.local import LocalDiagnoser
from chefmentor.ai.local.spelling import correct
from chefmentor.ai.types import UNKNOWN, Diagnosis, DiagnosisRequest, StepTelemetry


def diagnose(dish: str, notes: str, steps: tuple[StepTelemetry, ...] = ()) -> Diagnosis:
    return LocalDiagnoser().analyze(DiagnosisRequest(dish=dish, notes=notes, steps=steps))


@pytest.mark.parametrize(
    ("dish", "notes", "expected"),
    [
        # the same word means something else around dough, on a stovetop, in a mash
        ("pork dumplings", "the wrapper dough was dry and crumbly and cracked when rolled", "too_little_liquid"),
        ("pork chops", "dry and crumbly, like sawdust", "cooked_too_long"),
        ("crepes", "stuck and tore, the pan was still cold when I poured", "pan_not_ready"),
        ("mashed potatoes", "gluey and gummy, I blitzed them in the food processor", "overmixed"),
        ("pancakes", "the batter was really runny and they spread paper thin", "too_much_liquid"),
        ("brownies", "the middle was still runny when I cut it", "cooked_too_short"),
        # amounts, dials, temperatures and durations the cook typed in
        ("white bread", "sticky mess, I put in 500ml water not 300", "too_much_liquid"),
        ("polenta", "set into a solid block, it needed way more water", "too_little_liquid"),
        ("roast potatoes", "pale and soft, oven was at 160 instead of 220", "heat_too_low"),
        ("pork chops", "no colour at all, the burner was on 2 out of 10", "heat_too_low"),
        ("beef stew", "meat tough, I only simmered it for 45 mins instead of 2.5 hours", "cooked_too_short"),
        # causes named through a negation or an omission
        ("chips", "lovely and crisp but they tasted of nothing, forgot to salt them", "seasoning_off"),
        ("salmon", "skin stuck, I put it in before the oil was hot", "pan_not_ready"),
        (
            "chicken thighs",
            "oil shimmered first, but I added all 12 at once and it stopped sizzling",
            "overcrowded_pan",
        ),
        ("chili con carne", "way too hot, far too much chilli powder", "seasoning_off"),
    ],
)
def test_context_and_cues(dish: str, notes: str, expected: str) -> None:
    assert diagnose(dish, notes).category == expected


@pytest.mark.parametrize(
    "notes",
    [
        "burned my hand on the tray handle, the food was fine",
        "ran out of time so we ordered pizza instead",
        "dropped the whole plate on the floor before we ate",
        "weird metallic aftertaste, first time in my new pot",
    ],
)
def test_asides_that_are_not_cooking_failures_abstain(notes: str) -> None:
    assert diagnose("tomato soup", notes).category == UNKNOWN


def test_burnt_food_is_still_burnt_when_it_is_not_an_injury() -> None:
    assert diagnose("ribeye steak", "burned my steak black on full blast").category == "heat_too_high"


def test_metallic_taste_in_a_bake_is_the_raising_agent() -> None:
    assert diagnose("scones", "weird soapy metallic aftertaste").category == "leavening_problem"


def test_typos_reach_the_lexicon_but_known_words_are_left_alone() -> None:
    assert correct("overcoked") == "overcooked"
    assert correct("seperated") == "separated"
    assert correct("broiling") == "broiling"
    assert correct("roasted") == "roasted"
    assert diagnose("roast beef", "totaly overcoked, grey and dry all the way through").category == "cooked_too_long"


def test_a_question_weighs_less_than_an_observation() -> None:
    asked = diagnose("pizza", "was the oven too hot?")
    said = diagnose("pizza", "the oven was too hot.")
    assert asked.category == UNKNOWN
    assert said.category == "heat_too_high"


def test_a_dish_name_is_not_a_symptom() -> None:
    assert diagnose("lamb stew", "the stew dried out and caught, the liquid all evaporated").category == (
        "too_little_liquid"
    )


def test_concession_does_not_discount_the_main_observation() -> None:
    result = diagnose("pork sausages", "still pink inside even though the skins were brown")
    assert result.category == "cooked_too_short"
    assert any("pork" in flag.lower() for flag in result.safety)


def test_preheat_step_with_adjectives_is_recognised() -> None:
    steps = (
        StepTelemetry(1, "Heat a lightly oiled frying pan over medium heat", expected_minutes=3, actual_minutes=0),
        StepTelemetry(2, "Pour the batter and cook until bubbles appear", expected_minutes=2, actual_minutes=2),
    )
    result = diagnose("pancakes", "first one was a disaster", steps)
    assert result.category == "pan_not_ready"
    assert result.suspected_step == 1


@pytest.mark.parametrize(
    ("dish", "notes", "expected"),
    [
        # a sauce named in the notes brings its own failure modes; "curds" is a symptom, not lemon curd
        ("eggs benedict", "my hollandaise went thin and oily while it sat keeping warm", "emulsion_broke"),
        ("beurre blanc", "separated into melted butter and little curds", "emulsion_broke"),
        # the ingredient named before its amount, or an ingredient that is also a concept
        ("bread pudding", "dry and hard, the custard was barely enough to wet the bottom layer", "too_little_liquid"),
        ("crumpets", "no holes at all, flat. forgot to add the bicarb", "leavening_problem"),
        ("mapo tofu", "used a whole tablespoon of sichuan pepper instead of a teaspoon", "seasoning_off"),
        # sinking means underbaked when the middle is raw, a raising problem otherwise
        ("carrot cake", "sank in the middle and was raw and sticky under the top", "cooked_too_short"),
        ("carrot cake", "rose beautifully then sank in the middle as it cooled", "leavening_problem"),
        # durations and dials in words
        ("lasagne", "it sat in the oven an hour and a half when the recipe said 45 min", "cooked_too_long"),
        ("croissants", "didn't puff, proofed them 30 min instead of the 2 hrs", "leavening_problem"),
        ("hash browns", "limp and pale after 20 minutes, never turned the heat past 3", "heat_too_low"),
        ("poached eggs", "yolks totally hard, I left them in for 8 min", "cooked_too_long"),
        ("waffles", "stuck to both plates of the waffle iron and ripped in half", "pan_not_ready"),
    ],
)
def test_components_amounts_and_durations(dish: str, notes: str, expected: str) -> None:
    assert diagnose(dish, notes).category == expected


def test_intended_methods_are_not_symptoms() -> None:
    assert diagnose("pupusas", "I overfilled them and they burst open, still tasted good").category == UNKNOWN
    assert diagnose("shakshuka", "eggs perfect with runny yolks, sauce tastes of nothing").category == "seasoning_off"


@pytest.mark.parametrize(
    ("dish", "notes", "expected"),
    [
        ("miso soup", "basically salt water, I used three heaped spoons of miso", "seasoning_off"),
        (
            "dinner rolls",
            "like little rocks, barely any rise, the yeast was a year past its best-before",
            "leavening_problem",
        ),
        (
            "smash burgers",
            "welded on and left the crust behind, I started the second I turned the flame on",
            "pan_not_ready",
        ),
        (
            "onigiri",
            "dry and crumbly with a crust on the bottom of the pot, I think I shorted the water",
            "too_little_liquid",
        ),
    ],
)
def test_amount_and_timing_idioms(dish: str, notes: str, expected: str) -> None:
    assert diagnose(dish, notes).category == expected


def test_baking_until_risen_is_baking_time_and_cooking_off_is_a_reduction() -> None:
    bake = (
        StepTelemetry(1, "Bake until the humps rise and the edges are golden", expected_minutes=10, actual_minutes=5),
    )
    assert diagnose("madeleines", "not right", bake).category == "cooked_too_short"
    wine = (
        StepTelemetry(1, "Pour in the wine and cook until almost evaporated", expected_minutes=5, actual_minutes=1),
        StepTelemetry(2, "Add stock a ladle at a time until creamy", expected_minutes=18, actual_minutes=18),
    )
    result = diagnose("mushroom risotto", "soupy-ish", wine)
    assert result.category == "too_much_liquid"
    assert result.suspected_step == 1

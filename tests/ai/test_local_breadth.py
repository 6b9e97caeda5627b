"""The offline engine's vocabulary breadth: slang, jargon, second-language phrasings, dish families, telemetry units.

Every rule is tested as a pair: the phrasing that must reach a category and a near-identical control that
must not, so a rule that is removed, or one that fires on everything, fails here.
"""

from __future__ import annotations

import pytest

from chefmentor.ai.local import LocalDiagnoser, dishes
from chefmentor.ai.local.concepts import CONCEPTS
from chefmentor.ai.local.lexicon import CONCEPTS as BASE_CONCEPTS
from chefmentor.ai.local.phrasebook import EXTRA_PHRASES
from chefmentor.ai.local.telemetry import heat_level
from chefmentor.ai.local.tokens import stem, tokenize
from chefmentor.ai.types import Diagnosis, DiagnosisRequest, StepTelemetry


def diagnose(dish: str, notes: str, steps: tuple[StepTelemetry, ...] = ()) -> Diagnosis:
    return LocalDiagnoser().analyze(DiagnosisRequest(dish=dish, notes=notes, steps=steps))


PAIRS = [
    # (dish, notes, expected) | (control dish, control notes, category the control must NOT get)
    (
        ("pierogi", "stay white and soft, I fry on small fire", "heat_too_low"),
        ("pierogi", "stay white and soft, I fry on big fire", "heat_too_low"),
    ),
    (("dal", "flat. needs something", "seasoning_off"), ("sourdough", "flat. needs something", "seasoning_off")),
    (
        ("gravy", "tight, like wallpaper paste", "too_little_liquid"),
        ("sourdough", "tight crumb, like a brick", "too_little_liquid"),
    ),
    (
        ("pork tamales", "masa still wet and sticking to the husk", "cooked_too_short"),
        ("crepes", "sticking to the pan and tearing", "cooked_too_short"),
    ),
    (("risotto", "chalky centre", "cooked_too_short"), ("salmon", "chalky and dry", "cooked_too_short")),
    (
        ("chicken biryani", "rice like paste, I keep dum for 60 min instead 20 min", "cooked_too_long"),
        ("chicken biryani", "rice hard, I keep dum for 8 min instead 20 min", "cooked_too_long"),
    ),
    (
        ("mashed potatoes", "gluey, went at them hard", "overmixed"),
        ("jasmine rice", "gluey, went at them hard", "overmixed"),
    ),
    (
        ("chocolate chip cookies", "bottoms burnt, tops pale", "heat_too_high"),
        ("chocolate chip cookies", "tops pale, bottoms pale too", "heat_too_high"),
    ),
    (
        ("chicken thighs", "skin rubbery and flabby", "heat_too_low"),
        ("chicken thighs", "meat rubbery and dry", "heat_too_low"),
    ),
    (
        ("omelette", "brown and crispy outside", "heat_too_high"),
        ("roast potatoes", "brown and crispy outside", "heat_too_high"),
    ),
    (
        ("creme brulee", "full of bubbles and holes", "heat_too_high"),
        ("pancakes", "full of bubbles and holes", "heat_too_high"),
    ),
    (
        ("vanilla custard", "never thickened", "cooked_too_short"),
        ("chicken curry", "never thickened", "cooked_too_short"),
    ),
    (
        ("bearnaise", "turned into butter soup", "emulsion_broke"),
        ("bearnaise", "turned into a thick glossy sauce", "emulsion_broke"),
    ),
    (
        ("pizza dough", "very dry and crumbly", "too_little_liquid"),
        ("pork chop", "very dry and crumbly", "too_little_liquid"),
    ),
    (
        ("bread dough", "sticking to my hands and the counter", "too_much_liquid"),
        ("crepes", "sticking to the pan and the spatula", "too_much_liquid"),
    ),
    (("garlic bread", "garlic went acrid", "heat_too_high"), ("garlic bread", "garlic went mild", "heat_too_high")),
    (("guacamole", "bland af", "seasoning_off"), ("guacamole", "great af", "seasoning_off")),
    (
        ("beef stir fry", "boiled in its own juices, crammed the wok", "overcrowded_pan"),
        ("beef stir fry", "seared in batches, wok ripping hot", "overcrowded_pan"),
    ),
    (
        ("masala dosa", "dosa stick on tawa and tear, tawa not heated enough before pour", "pan_not_ready"),
        ("masala dosa", "dosa came off the tawa clean, tawa heated well before pour", "pan_not_ready"),
    ),
    (("hollandaise", "split. greasy puddle", "emulsion_broke"), ("hollandaise", "silky and thick", "emulsion_broke")),
    (("fudge", "grainy and crystallised", "overmixed"), ("fudge", "smooth and glossy", "overmixed")),
    (
        ("lemon tart", "shrunk down the sides of the tin", "overmixed"),
        ("lemon tart", "held its shape in the tin", "overmixed"),
    ),
    (
        ("cheesecake", "big crack across the top, domed", "heat_too_high"),
        ("cheesecake", "smooth flat top, no cracks", "heat_too_high"),
    ),
    (
        ("moong dal", "pressure cooked 2 whistles instead of 5, still hard", "cooked_too_short"),
        ("moong dal", "pressure cooked 5 whistles as the recipe said, soft", "cooked_too_short"),
    ),
    # second-language phrasings and family-specific meanings
    (
        ("fried egg", "the oil was too much hot and egg become black", "heat_too_high"),
        ("fried egg", "the oil was not so hot and egg stay white", "heat_too_high"),
    ),
    (("basmati rice", "rice is hard", "cooked_too_short"), ("beef stew", "the meat is very hard", "cooked_too_short")),
    (("macarons", "no feet and spread flat", "overmixed"), ("victoria sponge", "spread flat", "overmixed")),
    (
        ("croissants", "butter leaking out in the oven, pool of butter", "leavening_problem"),
        ("hollandaise", "butter leaking out, pool of butter", "leavening_problem"),
    ),
    (
        ("white bread", "dough did not grow", "leavening_problem"),
        ("white bread", "dough grew well, crust pale", "leavening_problem"),
    ),
    (
        ("spaghetti", "too short time, hard", "cooked_too_short"),
        ("spaghetti", "it was hard to make but tasty", "cooked_too_short"),
    ),
    (("ramen eggs", "chalky yolks", "cooked_too_long"), ("risotto", "chalky grains", "cooked_too_long")),
    (
        ("empanadas", "the dough kept splitting at the fold", "too_little_liquid"),
        ("mayonnaise", "kept splitting", "too_little_liquid"),
    ),
    (("alioli", "se me cortó la salsa", "emulsion_broke"), ("alioli", "me gustó la salsa", "emulsion_broke")),
    (
        ("pho", "broth tastes like hot water", "seasoning_off"),
        ("pho", "broth tastes rich, the hot water was boiling", "seasoning_off"),
    ),
    # determiners and filler words inside a phrase
    (
        ("fried eggs", "put them in before my pan was hot", "pan_not_ready"),
        ("fried eggs", "put them in once my pan was hot", "pan_not_ready"),
    ),
    (
        ("ribeye steak", "no real sizzle, it just sat there", "pan_not_ready"),
        ("ribeye steak", "real sizzle, it just sat there a minute", "pan_not_ready"),
    ),
    (
        ("cheese souffle", "whites only got to soft foam, never climbed the dish", "leavening_problem"),
        ("cheese souffle", "whites got to stiff peaks, climbed the dish", "leavening_problem"),
    ),
    (
        ("scones", "rolled and re-rolled the scraps, came out tough", "overmixed"),
        ("scones", "rolled the dough once, came out light", "overmixed"),
    ),
    # a name inside a longer dish name, crowding stated as a whole sentence, comparisons that are not amounts
    (
        ("crab cakes", "welded to the nonstick, I had just switched the burner on", "pan_not_ready"),
        ("crab cakes", "browned well, I had the burner on for five minutes first", "pan_not_ready"),
    ),
    (
        ("fish tacos", "dropped all the battered cod into the fryer basket together, pale and oily", "overcrowded_pan"),
        (
            "fish tacos",
            "dropped the battered cod into the fryer basket two at a time, crisp and golden",
            "overcrowded_pan",
        ),
    ),
    (
        ("air fryer wings", "filled the basket to the top, pale and soggy", "overcrowded_pan"),
        ("air fryer wings", "emptied the basket halfway, crisp and golden", "overcrowded_pan"),
    ),
    (
        ("sausage gravy", "more like spackle than gravy", "too_little_liquid"),
        ("sausage gravy", "more like soup than gravy", "too_little_liquid"),
    ),
    (
        ("buttermilk biscuits", "kneaded the dough to get it smooth, they baked up flat", "overmixed"),
        ("buttermilk biscuits", "the baking powder was old, they baked up flat", "overmixed"),
    ),
    (
        ("american pancakes", "flat, I used baking soda but nothing acidic", "leavening_problem"),
        ("american pancakes", "fluffy, I used baking soda and buttermilk", "leavening_problem"),
    ),
    (
        ("pozole", "my guests kept reaching for the salt shaker", "seasoning_off"),
        ("pozole", "my guests kept reaching for seconds", "seasoning_off"),
    ),
    # from blind9: seafood toughens with time, skillet vs fryer, negated sufficiency, Indian raising agents
    (
        ("clam chowder", "clams chewy like rubber", "cooked_too_long"),
        ("beef stew", "beef chewy like rubber", "cooked_too_long"),
    ),
    (
        ("potato latkes", "glued to the skillet, I poured the batter into cold oil", "pan_not_ready"),
        ("fish and chips", "pale and greasy, I lowered the fish into cold oil", "pan_not_ready"),
    ),
    (
        ("vinaigrette", "never came together, just oil sitting on vinegar", "emulsion_broke"),
        ("chapati dough", "never came together, dry and crumbly", "emulsion_broke"),
    ),
    (
        ("samosas", "crunchy potato, I didn't boil the potatoes long enough", "cooked_too_short"),
        ("samosas", "soft potato, I boiled the potatoes long enough", "cooked_too_short"),
    ),
    (
        ("dhokla", "flat and hard, I think my eno was old", "leavening_problem"),
        ("dhokla", "flat and hard, I think my besan was old", "leavening_problem"),
    ),
    (
        ("mapo tofu", "the chilli oil went like really dark really fast", "heat_too_high"),
        ("mapo tofu", "the chilli oil went like really red really fast", "heat_too_high"),
    ),
    # causes stated as what the cook did, not as a symptom
    (
        ("victoria sponge", "I opened the oven door halfway and it went wrong", "leavening_problem"),
        ("victoria sponge", "I washed the oven door halfway and it went wrong", "leavening_problem"),
    ),
    (
        ("bundt cake", "half of it stayed in the tin, I forgot to grease it", "pan_not_ready"),
        ("bundt cake", "half of it stayed in the tin, I forgot to bake it long enough", "pan_not_ready"),
    ),
    (
        ("chickpea curry", "chickpeas like pebbles, I did not soak the beans", "cooked_too_short"),
        ("chickpea curry", "chickpeas like mush, I soaked the beans for two days", "cooked_too_short"),
    ),
    (
        ("spaghetti", "pasta tasted of nothing, I forgot to salt the water", "seasoning_off"),
        ("spaghetti", "pasta tasted fine, I salted the water well", "seasoning_off"),
    ),
    (
        ("vanilla buttercream", "curdled, I added the eggs too fast", "emulsion_broke"),
        ("vanilla buttercream", "smooth, I added the eggs slowly", "emulsion_broke"),
    ),
    (
        ("onion soup", "onions went black, I forgot to turn the heat down", "heat_too_high"),
        ("onion soup", "onions went soft, I turned the heat down", "heat_too_high"),
    ),
    # from blind10
    (
        ("pao de queijo", "pale, the oven never turned past 150", "heat_too_low"),
        ("pao de queijo", "pale, the oven turned past 150 in a minute", "heat_too_low"),
    ),
    (
        ("pan fried gnocchi", "fried the whole packet of gnocchi together, they steamed", "overcrowded_pan"),
        ("pan fried gnocchi", "mixed the whole packet of herbs together, they browned nicely", "overcrowded_pan"),
    ),
    (
        ("hummus", "so much garlic, nobody could eat it", "seasoning_off"),
        ("hummus", "so creamy, nobody could stop eating it", "seasoning_off"),
    ),
    (
        ("muffins", "used baking powder from 2019, no dome at all", "leavening_problem"),
        ("muffins", "used a recipe from 2019, a nice dome", "leavening_problem"),
    ),
    (
        (
            "egg fried rice",
            "rice stuck to the bottom of the wok, I started before the wok was smoking",
            "pan_not_ready",
        ),
        ("jasmine rice", "rice stuck to the bottom of the pot, the water was all gone", "pan_not_ready"),
    ),
]


@pytest.mark.parametrize(("case", "control"), PAIRS, ids=[p[0][1][:32] for p in PAIRS])
def test_phrasing_reaches_its_category_and_the_control_does_not(
    case: tuple[str, str, str], control: tuple[str, str, str]
) -> None:
    dish, notes, expected = case
    assert diagnose(dish, notes).category == expected
    control_dish, control_notes, forbidden = control
    assert diagnose(control_dish, control_notes).category != forbidden


def _oven_steps(actual: str) -> tuple[StepTelemetry, ...]:
    return (
        StepTelemetry(1, "Mix the batter", expected_minutes=5, actual_minutes=5),
        StepTelemetry(2, "Bake", expected_minutes=30, actual_minutes=30, expected_heat="180C", actual_heat=actual),
    )


def test_oven_temperatures_typed_as_degrees_are_heat_evidence() -> None:
    assert diagnose("sponge cake", "meh", _oven_steps("240C")).category == "heat_too_high"
    assert diagnose("sponge cake", "meh", _oven_steps("185C")).category != "heat_too_high"


@pytest.mark.parametrize(
    ("reading", "band"),
    [("220C", "high"), ("425F", "high"), ("gas 7", "high"), ("150C", "low"), ("gas mark 1", "low"),
     ("9/10", "high"), ("2 out of 10", "low"), ("350", "medium"), ("sim", "low"), ("full", "high")],
)  # fmt: skip
def test_heat_readings_in_units(reading: str, band: str) -> None:
    level = heat_level(reading)
    assert level is not None
    assert {"low": level <= 1.3, "medium": 1.3 < level < 2.5, "high": level >= 2.5}[band]


@pytest.mark.parametrize(
    ("dish", "family"),
    [("Crème brûlée", "custard"), ("jollof rice", "grains"), ("pork tamales", "steamed"), ("fudge", "candy"),
     ("sausage gravy", "roux"), ("colcannon", "mash"), ("pastel de nata", "pastry"), ("okonomiyaki", "griddle"),
     ("doro wat", "soup"), ("karaage", "meat"), ("stir-fried greens", "sautee"), ("injera", "baked")],
)  # fmt: skip
def test_dishes_across_cuisines_map_to_their_family(dish: str, family: str) -> None:
    assert family in dishes.dish_families(dish)


def test_dish_families_do_not_match_inside_other_words() -> None:
    assert dishes.dish_families("tablespoon") == frozenset()
    assert dishes.dish_families("mashup of leftovers") == frozenset()


def test_phrasebook_never_steals_a_phrase_from_another_concept() -> None:
    """The trie keeps the first owner of a phrase, so an added phrase equal to another concept's would be dead."""
    base_owner = {tuple(stem(t) for t in tokenize(p)): c.key for c in BASE_CONCEPTS for p in c.phrases}
    for key, phrases in EXTRA_PHRASES.items():
        for phrase in phrases:
            base_owner.setdefault(tuple(stem(t) for t in tokenize(phrase)), key)
    clashes = [
        (key, phrase, base_owner[stems])
        for key, phrases in EXTRA_PHRASES.items()
        for phrase in phrases
        if base_owner.get(stems := tuple(stem(t) for t in tokenize(phrase)), key) != key
    ]
    assert clashes == []


def test_crowding_explains_a_pale_greasy_fry() -> None:
    crowded = diagnose("churros", "piped them all into the oil together, pale and greasy")
    alone = diagnose("churros", "piped them into the oil, pale and greasy")
    assert crowded.category == "overcrowded_pan"
    assert alone.category == "heat_too_low"


def test_every_concept_keeps_its_base_phrases_first() -> None:
    merged = {c.key: c for c in CONCEPTS}
    for base in BASE_CONCEPTS:
        assert merged[base.key].phrases[: len(base.phrases)] == base.phrases
        assert set(base.family) <= set(merged[base.key].family)


@pytest.mark.parametrize(
    ("notes", "concept"),
    [
        ("limp greasy and soggy", "greasy"),
        ("butter browned too fast", "browned"),
        ("on a high shelf", None),
        ("on the high shelf", None),
        ("on my high shelf", None),
        ("I salted the water", None),
    ],
)
def test_a_skipped_word_is_never_a_content_word(notes: str, concept: str | None) -> None:
    from chefmentor.ai.local.text import analyze_notes

    found = {e.concept for e in analyze_notes(notes, frozenset())}
    if concept is None:
        assert not found & {"high_heat", "overseasoned"}
    else:
        assert concept in found

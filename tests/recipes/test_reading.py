"""Lenient reading of served JSON-LD, every instruction shape, clean text, optional fields dropped with a warning."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from chefmentor.errors import ValidationError
from chefmentor.recipes.jsonld import parse_document, parse_recipe, parse_recipe_with_warnings
from chefmentor.recipes.jsonld_read import load_recipe_nodes
from chefmentor.recipes.text_clean import clean_text, html_to_lines

PAGES = Path(__file__).parent / "data" / "pages"
LEFTOVER = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]{2,8});|<\s*/?\s*[a-z][a-z0-9]*[\s/>]", re.IGNORECASE)
RECIPE = {"@type": "Recipe", "name": "Toast", "recipeInstructions": ["Toast the bread."]}


def _doc(**fields: object) -> dict[str, object]:
    return {**RECIPE, **fields}


@pytest.mark.parametrize(
    "text",
    [
        '{"@type": "Recipe", "name": "Toast", "recipeInstructions": ["Line one\nline two\tend"]}',  # raw controls
        '// <![CDATA[\n{"@type": "Recipe", "name": "Toast", "recipeInstructions": ["x"]}// ]]>',
        '<!-- {"@type": "Recipe", "name": "Toast", "recipeInstructions": ["x"]} -->',
        '{"@type": "Recipe", "name": "Toast", "recipeInstructions": ["x"]};',
        '{"@type": "Recipe", "name": "Toast", "recipeInstructions": ["x"]}\n</script> trailing junk',
        '{"@type": "Recipe", "name": "Toast", "recipeInstructions": ["x",],}',
        '{"@type": "Recipe", "name": "Toast\\\'s", "recipeInstructions": ["x"]}',
        '\ufeff{"@type": "Recipe", "name": "Toast", "recipeInstructions": ["x"]}',
        '{"@type": "Recipe", "name": "Toast", "recipeInstructions": ["x"], "aggregateRating": undefined}',
        '{"@type": "Recipe", "name": "Toast", "recipeInstructions": ["Use a 9" pan, then a 10" one."]}',
        '{"@type": "Recipe", "name": "Toast\\x27s", "recipeInstructions": ["x"]}',
    ],
)
def test_served_json_that_is_not_strict_is_read(text: str) -> None:
    (node,) = load_recipe_nodes(text)
    assert node["name"].startswith("Toast")


@pytest.mark.parametrize(
    "document",
    [
        {"@type": "recipe", "name": "Toast", "recipeInstructions": ["x"]},
        {"@type": "http://schema.org/Recipe", "name": "Toast", "recipeInstructions": ["x"]},
        {"@type": ["Thing", "schema:Recipe"], "name": "Toast", "recipeInstructions": ["x"]},
        {"@context": "https://schema.org", "@graph": {"@type": "Recipe", "name": "Toast", "recipeInstructions": ["x"]}},
        {"@graph": [{"@type": "WebPage"}, {"@type": "Recipe", "name": "Toast", "recipeInstructions": ["x"]}]},
        {"@type": "ItemList", "itemListElement": [{"@type": "ListItem", "item": RECIPE}]},
        {"@type": "WebPage", "mainEntity": {"@type": "Article", "hasPart": [RECIPE]}},
        [[{"@type": "Organization"}], [RECIPE]],
    ],
)
def test_recipes_are_found_wherever_schema_org_allows(document: object) -> None:
    (node,) = load_recipe_nodes(json.dumps(document))
    assert node["name"] == "Toast"


def test_stray_quotes_and_javascript_escapes_are_repaired() -> None:
    (node,) = load_recipe_nodes('{"@type": "Recipe", "name": "Tom\\x27s", "recipeInstructions": ["Use a 9" pan."]}')
    assert (node["name"], node["recipeInstructions"]) == ("Tom's", ['Use a 9" pan.'])


def test_two_concatenated_blocks_and_a_saved_page() -> None:
    two = json.dumps(RECIPE) + "\n" + json.dumps(_doc(name="Jam"))
    assert [n["name"] for n in load_recipe_nodes(two)] == ["Toast", "Jam"]
    page = (
        "<!doctype html><html><head><script type='application/ld+json'>{broken</script>"
        f'<script type="application/ld+json">{json.dumps(_doc(name="From a page"))}</script></head></html>'
    )
    assert [p.data.name for p in parse_document(page)] == ["From a page"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"@type": "Recipe", "name": ', "not valid JSON"),
        ("just words", "not valid JSON"),
        ('{"@type": "WebPage"}', "no schema.org Recipe"),
        ("x" * (2 * 1024 * 1024 + 1), "larger than 2 MB"),
    ],
)
def test_unreadable_documents_say_why(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        load_recipe_nodes(text)


@pytest.mark.parametrize(
    ("instructions", "steps", "sections"),
    [
        ("1. Slice bread. 2. Toast it. 3. Butter it.", ["Slice bread.", "Toast it.", "Butter it."], [None] * 3),
        ("<p>Mix.</p><p>Bake &amp; cool.</p>", ["Mix.", "Bake & cool."], [None, None]),
        ("Step 1: Mix\nStep 2: Bake", ["Mix", "Bake"], [None, None]),
        ([["Mix."], [{"@type": "HowToStep", "text": "Bake."}]], ["Mix.", "Bake."], [None, None]),
        (
            [
                {"@type": "HowToSection", "Name": "Dough", "ItemListElement": {"@type": "HowToStep", "Text": "Knead."}},
                {"@type": "howtosection", "name": "Sauce", "itemListElement": ["Stir.", {"text": "Simmer."}]},
            ],
            ["Knead.", "Stir.", "Simmer."],
            ["Dough", "Sauce", "Sauce"],
        ),
        (["For the sauce:", "Stir.", "Simmer."], ["Stir.", "Simmer."], ["For the sauce", "For the sauce"]),
        ({"@list": ["One.", "Two."]}, ["One.", "Two."], [None, None]),
        ([{"@type": "HowToStep", "text": "<ol><li>Mix.</li><li>Bake.</li></ol>"}], ["Mix.", "Bake."], [None, None]),
    ],
)
def test_every_instruction_shape(instructions: object, steps: list[str], sections: list[str | None]) -> None:
    recipe = parse_recipe(_doc(recipeInstructions=instructions))
    assert [s.instruction for s in recipe.steps] == steps
    assert [s.section for s in recipe.steps] == sections


def test_howto_tips_and_step_names() -> None:
    recipe = parse_recipe(
        _doc(
            recipeInstructions=[
                {"@type": "HowToStep", "name": "Proof", "text": "Rest the dough 1 hour."},
                {"@type": "HowToTip", "text": "A warm spot helps."},
            ]
        )
    )
    (step,) = recipe.steps
    assert (step.title, step.tips, step.expected_minutes) == ("Proof", ["A warm spot helps."], 60)


def test_entities_tags_and_controls_never_reach_stored_text() -> None:
    recipe = parse_recipe(
        _doc(
            name="Fast &amp;amp; Easy <b>Dinner</b>\x00",
            description="It&#8217;s <a href='x'>great</a>&nbsp;&lt;i&gt;really&lt;/i&gt;",
            recipeIngredient=["1 cup flour &amp; salt", None, "&lt;b&gt;2 eggs&lt;/b&gt;"],
            recipeInstructions=["Mix&hellip;<script>alert(1)</script> well\u200b."],
        )
    )
    texts = [recipe.name, recipe.description or "", recipe.steps[0].instruction]
    texts += [i.text for i in recipe.ingredients]
    assert not any(LEFTOVER.search(t) or "\x00" in t or "alert" in t for t in texts), texts
    assert recipe.name == "Fast & Easy Dinner"
    assert recipe.description == "It’s great <i>really</i>".replace("<i>", "").replace("</i>", "")
    assert [i.text for i in recipe.ingredients] == ["1 cup flour & salt", "2 eggs"]


def test_html_lines_and_bounded_text() -> None:
    assert html_to_lines("a<br>b<p>c</p>\n\nd") == ["a", "b", "c", "d"]
    long = clean_text("word " * 100, 50)
    assert long is not None and len(long) <= 50 and long.endswith("…")


@pytest.mark.parametrize(
    ("fields", "expected_minutes", "warning"),
    [
        ({"totalTime": {"@type": "Duration", "name": "P0DT0H40M0S"}}, 40, None),
        ({"totalTime": "PTH30MS"}, 30, None),
        ({"totalTime": "P1H"}, 60, None),
        ({"totalTime": "45 minutes"}, 45, None),
        ({"totalTime": "PT-475323H41M52S"}, None, "totalTime"),
        ({"totalTime": "PTundefinedM", "prepTime": "PT10M", "cookTime": "PT5M"}, 15, "totalTime"),
        ({"totalTime": "NaN"}, None, "totalTime"),
    ],
)
def test_durations_read_leniently_or_dropped_with_a_warning(
    fields: dict[str, object], expected_minutes: int | None, warning: str | None
) -> None:
    parsed = parse_recipe_with_warnings(_doc(**fields))
    assert parsed.data.estimated_time_min == expected_minutes
    assert any(warning in w for w in parsed.warnings) if warning else not parsed.warnings


def test_bad_optional_fields_are_dropped_not_fatal() -> None:
    parsed = parse_recipe_with_warnings(
        _doc(
            difficulty="extreme",
            recipeYield="0.75",
            recipeInstructions=[{"text": "Fry.", "heat": "volcanic", "expectedMinutes": "soon", "timerSeconds": -4}],
        )
    )
    step = parsed.data.steps[0]
    assert parsed.data.difficulty is None and step.heat is None and step.expected_minutes is None
    assert step.timer_seconds is None
    assert parsed.data.yield_quantity == 0.75 and parsed.data.servings is None
    assert len(parsed.warnings) == 4 and all(w.startswith("Toast: ") for w in parsed.warnings)


def test_a_recipe_without_steps_is_left_out_beside_good_ones() -> None:
    doc = [RECIPE, {"@type": "Recipe", "name": "Empty", "recipeInstructions": []}]
    (parsed,) = parse_document(json.dumps(doc))
    assert parsed.data.name == "Toast" and any("Empty" in w for w in parsed.warnings)
    with pytest.raises(ValidationError, match="no recipeInstructions"):
        parse_document(json.dumps(doc[1]))


def test_real_pages_import_clean() -> None:
    pages = sorted(PAGES.glob("*.jsonld"))
    assert len(pages) == 20
    for page in pages:
        if page.stem == "eatwell101":  # CDATA-wrapped and readable, but the page gives no steps in its JSON-LD
            with pytest.raises(ValidationError, match="Creamy Spinach Turkey Meatballs.*no recipeInstructions"):
                parse_document(page.read_text(encoding="utf-8"))
            continue
        for parsed in parse_document(page.read_text(encoding="utf-8"), source=page.name):
            recipe = parsed.data
            texts = [recipe.name, recipe.description or ""] + [s.instruction for s in recipe.steps]
            texts += [i.text for i in recipe.ingredients] + [i.name for i in recipe.ingredients]
            assert recipe.steps, page.name
            assert not any(LEFTOVER.search(t) for t in texts), page.name
            assert all("None" != i.text for i in recipe.ingredients), page.name


def test_real_page_shapes() -> None:
    def recipe(name: str) -> object:
        return parse_document((PAGES / f"{name}.jsonld").read_text(encoding="utf-8"))[0].data

    king = recipe("kingarthur")  # one string of "<p>…</p>, <p>…</p>" blocks
    assert len(king.steps) == 12 and king.steps[0].instruction.startswith("Preheat the oven to 325°F")  # type: ignore[attr-defined]
    assert king.steps[0].heat == "oven"  # type: ignore[attr-defined]
    bean = recipe("vanillaandbean_1")  # HowToSections
    assert {s.section for s in bean.steps} == {"For the Soaker", "For the Dough"}  # type: ignore[attr-defined]


def test_name_lines_and_tips_in_instruction_text_are_not_steps() -> None:
    recipe = parse_recipe(
        _doc(recipeInstructions="Toast\n\nSlice the bread.\nTip: day-old bread toasts best\nToast it.")
    )
    assert [s.instruction for s in recipe.steps] == ["Slice the bread.", "Toast it."]
    assert recipe.steps[0].tips == ["Tip: day-old bread toasts best"]

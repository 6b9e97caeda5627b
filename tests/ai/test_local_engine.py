"""The offline engine as a model: negation, telemetry, abstention, safety and photo features."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from chefmentor.ai.local import LocalDiagnoser
from chefmentor.ai.local.image import decode_small, extract_features
from chefmentor.ai.local.text import analyze_notes
from chefmentor.ai.local.tokens import stem
from chefmentor.ai.types import CATEGORIES, UNKNOWN, DiagnosisRequest, MediaImage, StepTelemetry


def diagnose(**kwargs: object) -> object:
    return LocalDiagnoser().analyze(DiagnosisRequest(**kwargs))  # type: ignore[arg-type]


def jpeg(pixels: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(pixels.astype(np.uint8), "RGB").save(out, "JPEG", quality=90)
    return out.getvalue()


def plate_photo(food: tuple[int, int, int], blotch: tuple[int, int, int] | None = None, seed: int = 1) -> bytes:
    rng = np.random.default_rng(seed)
    img = np.empty((240, 320, 3), dtype=np.float32)
    img[:] = (120, 90, 60)
    yy, xx = np.mgrid[0:240, 0:320]
    img[((xx - 160) / 140) ** 2 + ((yy - 120) / 105) ** 2 <= 1] = (235, 235, 230)
    region = ((xx - 160) / 95) ** 2 + ((yy - 120) / 65) ** 2 <= 1
    img[region] = food
    if blotch is not None:
        for _ in range(25):
            cx, cy = rng.uniform(90, 230), rng.uniform(70, 170)
            img[(((xx - cx) / 14) ** 2 + ((yy - cy) / 12) ** 2 <= 1) & region] = blotch
    img += rng.normal(0, 5, img.shape)
    return jpeg(np.clip(img, 0, 255))


def test_negation_flips_the_category() -> None:
    pan = diagnose(dish="salmon", notes="the skin stuck to the pan, I didn't preheat it")
    assert pan.category == "pan_not_ready"
    hot = diagnose(dish="salmon", notes="the skin stuck to the pan even though I preheated it for ages")
    assert hot.category != "pan_not_ready"
    assert hot.confidence < pan.confidence or hot.category == UNKNOWN


def test_negated_symptom_is_not_evidence_for_it() -> None:
    burnt = diagnose(dish="toast", notes="it was burnt and smoking")
    not_burnt = diagnose(dish="toast", notes="it was not burnt and there was no smoke")
    assert burnt.category == "heat_too_high"
    assert not_burnt.category != "heat_too_high"
    weights = {k: v for e in analyze_notes("wasn't runny", frozenset()) for k, v in e.weights.items()}
    assert weights and all(v <= 0 for v in weights.values())


def test_contrastive_but_weighs_the_second_clause() -> None:
    result = diagnose(dish="roast chicken", notes="the skin looked a little pale but it was way too salty")
    assert result.category == "seasoning_off"


def test_morphology_and_synonyms_meet() -> None:
    assert stem("burned") == stem("burn") and stem("sizzled") == stem("sizzle") and stem("charred") == "char"
    for notes in ("totally scorched", "the crust was blackened", "charred all over"):
        assert diagnose(dish="steak", notes=notes).category in ("heat_too_high", "cooked_too_long")


def test_quantities_in_notes() -> None:
    assert diagnose(dish="risotto", notes="I added way too much stock").category == "too_much_liquid"
    assert diagnose(dish="risotto", notes="I didn't add enough stock").category == "too_little_liquid"


def test_telemetry_dominates_vague_notes_and_names_the_step() -> None:
    steps = (
        StepTelemetry(1, "Bring the water to a boil", expected_minutes=5, actual_minutes=5, actual_heat="high"),
        StepTelemetry(2, "Cover and simmer on low", expected_minutes=15, actual_minutes=6, actual_heat="low"),
    )
    result = diagnose(dish="rice", notes="meh, not great", steps=steps)
    assert result.category == "cooked_too_short"
    assert result.suspected_step == 2
    assert any("6 of 15" in e for e in result.evidence)
    vague = diagnose(dish="rice", notes="meh, not great")
    assert vague.category == UNKNOWN


def test_heat_above_the_recipe_is_heat_too_high_even_if_the_step_was_shorter() -> None:
    steps = (
        StepTelemetry(1, "Heat oil in a skillet over medium heat", expected_minutes=2, actual_minutes=2),
        StepTelemetry(
            2, "Sear the chicken over medium heat", expected_minutes=12, actual_minutes=8, actual_heat="high"
        ),
    )
    result = diagnose(dish="chicken breast", steps=steps)
    assert result.category == "heat_too_high"
    assert result.suspected_step == 2


def test_skipped_preheat_is_pan_not_ready() -> None:
    steps = (
        StepTelemetry(1, "Preheat the pan over medium-high heat until the oil shimmers", skipped=True),
        StepTelemetry(2, "Fry the eggs", expected_minutes=3, actual_minutes=3, actual_heat="medium"),
    )
    result = diagnose(dish="fried eggs", steps=steps)
    assert result.category == "pan_not_ready"
    assert result.suspected_step == 1


@pytest.mark.parametrize("notes", ["", "it wasn't great", "my family didn't like it", "not burnt, not raw"])
def test_abstains_on_weak_evidence(notes: str) -> None:
    result = diagnose(dish="lasagna", notes=notes)
    assert result.category == UNKNOWN
    assert result.suspected_step is None
    assert result.next_time  # asks for what would help


def test_abstains_when_the_photo_shows_a_fine_result() -> None:
    golden = plate_photo((200, 140, 60), (175, 115, 50))
    assert diagnose(dish="pancakes", images=(MediaImage(golden),)).category == UNKNOWN


def test_safety_flags() -> None:
    chicken = diagnose(dish="chicken thighs", notes="still pink at the bone")
    assert chicken.category == "cooked_too_short"
    assert any("74 °C" in s for s in chicken.safety)
    smoke = diagnose(dish="stir fry", notes="the oil was smoking and the smoke alarm went off")
    assert any("smoke point" in s for s in smoke.safety)
    assert diagnose(dish="mashed potatoes", notes="way too salty").safety == []


def test_output_is_complete_and_cites_evidence() -> None:
    result = diagnose(dish="muffins", notes="tough with tunnels, I beat the batter for five minutes")
    assert result.category == "overmixed"
    assert result.root_cause and result.fix_now and result.next_time
    assert "Evidence:" in result.explanation and result.evidence
    assert 0.45 <= result.confidence <= 1.0
    assert result.provider == "local" and result.model.startswith("chefmentor-local-")


def test_image_features_separate_charred_from_pale() -> None:
    charred = decode_small(plate_photo((95, 55, 25), (25, 18, 14)))
    pale = decode_small(plate_photo((238, 222, 190)))
    assert charred is not None and pale is not None
    assert max(charred.shape[:2]) <= 96
    dark, light = extract_features(charred), extract_features(pale)
    assert dark.char > 0.2 > light.char
    assert light.pale > 0.6 > dark.pale
    assert dark.brightness < light.brightness


def test_photo_alone_moves_the_diagnosis() -> None:
    charred = diagnose(dish="toast", images=(MediaImage(plate_photo((95, 55, 25), (25, 18, 14))),))
    assert charred.category == "heat_too_high"
    assert any(e.startswith("photo:") for e in charred.evidence)
    pale = diagnose(dish="cookies", notes="pale", images=(MediaImage(plate_photo((238, 222, 190))),))
    assert pale.category == "heat_too_low"


def test_undecodable_image_is_ignored_not_fatal() -> None:
    result = diagnose(dish="steak", notes="burnt and smoking", images=(MediaImage(b"not an image"),))
    assert result.category == "heat_too_high"


async def test_async_diagnose_matches_the_protocol() -> None:
    engine = LocalDiagnoser()
    assert engine.name == "local" and engine.accepts_images
    result = await engine.diagnose(DiagnosisRequest(dish="mayonnaise", notes="it split and went oily"))
    assert result.category == "emulsion_broke"
    assert result.category in (*CATEGORIES, UNKNOWN)


def test_heat_values_from_cooking_sessions_are_understood() -> None:
    from chefmentor.recipes.models import Heat

    steps = (
        StepTelemetry(1, "Sear the steak", expected_minutes=4, actual_minutes=4,
                      expected_heat=Heat.MEDIUM.value, actual_heat=Heat.HIGH.value),
        StepTelemetry(2, "Baste with butter", expected_minutes=2, actual_minutes=2,
                      expected_heat=Heat.MEDIUM_LOW.value, actual_heat=Heat.MEDIUM_HIGH.value),
    )  # fmt: skip
    result = diagnose(dish="steak", steps=steps)
    assert result.category == "heat_too_high"
    assert any("medium_high" in e or "high heat" in e for e in result.evidence)

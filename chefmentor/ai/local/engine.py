"""LocalDiagnoser: the offline engine. Notes + session telemetry + photo features -> a calibrated diagnosis."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from chefmentor.ai.local import dishes
from chefmentor.ai.local.evidence import Evidence
from chefmentor.ai.local.image import decode_small, extract_features, image_evidence, mean_features
from chefmentor.ai.local.knowledge import KNOWLEDGE, UNKNOWN_NEXT_TIME
from chefmentor.ai.local.scoring import Scored, score
from chefmentor.ai.local.telemetry import analyze_steps
from chefmentor.ai.local.text import analyze_notes, mentioned_step
from chefmentor.ai.safety import SAFETY_MESSAGES
from chefmentor.ai.types import UNKNOWN, Diagnosis, DiagnosisRequest

if TYPE_CHECKING:
    from chefmentor.config import Settings

ENGINE_VERSION = "1.0"
MAX_IMAGES = 4
RAW_CONCEPTS = frozenset({"raw_inside", "undercooked", "doughy"})
BURNT_CONCEPTS = frozenset({"burnt", "smoke", "acrid"})
SCORCHED_CONCEPTS = frozenset({"burnt", "burnt_bottom"})


class LocalDiagnoser:
    """Offline, deterministic, dependency-light; always available as the chain's last resort."""

    name = "local"
    model = f"chefmentor-local-{ENGINE_VERSION}"
    accepts_images = True

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings

    async def diagnose(self, request: DiagnosisRequest) -> Diagnosis:
        if request.images:
            # Decoding is a few ms at draft size, but keep the event loop free for concurrent requests.
            return await asyncio.to_thread(self.analyze, request)
        return self.analyze(request)

    def analyze(self, request: DiagnosisRequest) -> Diagnosis:
        families = dishes.dish_families(request.dish, request.recipe_name)
        evidence = gather_evidence(request, families)
        scored = score(evidence)
        return render(request, scored, evidence)


def gather_evidence(request: DiagnosisRequest, families: frozenset[str]) -> list[Evidence]:
    families |= dishes.component_families(request.notes)
    evidence: list[Evidence] = []
    for family in sorted(families):
        prior = dishes.FAMILY_PRIORS.get(family)
        if prior:
            evidence.append(Evidence("dish", f"dish: {family} dishes often fail this way", dict(prior)))
    evidence.extend(
        analyze_notes(request.notes, families, dish=" ".join(filter(None, [request.dish, request.recipe_name])))
    )
    evidence.extend(analyze_steps(request.steps, families))
    evidence.extend(_photo_evidence(request, families))
    evidence.extend(_interactions(evidence))
    return evidence


def _photo_evidence(request: DiagnosisRequest, families: frozenset[str]) -> list[Evidence]:
    features = []
    for image in request.images[:MAX_IMAGES]:
        pixels = decode_small(image.data)
        if pixels is not None:
            features.append(extract_features(pixels))
    if not features:
        return []
    is_meat = "meat" in families or dishes.mentions_any(request.notes or "", dishes.POULTRY + dishes.PORK)
    return image_evidence(mean_features(features), is_meat=is_meat)


def _interactions(evidence: list[Evidence]) -> list[Evidence]:
    """Cues that mean more together: charred outside + raw inside is heat, not time."""
    positive = {e.concept for e in evidence if e.concept and sum(e.weights.values()) > 0}
    out: list[Evidence] = []
    if positive & BURNT_CONCEPTS and positive & RAW_CONCEPTS:
        out.append(
            Evidence(
                "notes",
                "burnt outside while still raw inside: the surface cooked faster than the centre",
                {"heat_too_high": 1.8, "cooked_too_long": -1.2, "cooked_too_short": -0.6},
            )
        )
    if "pale" in positive and positive & SCORCHED_CONCEPTS:
        out.append(
            Evidence(
                "notes",
                "burnt on one side while pale on the other: the heat was too fierce on the side facing it",
                {"heat_too_high": 1.2, "heat_too_low": -0.8, "too_little_liquid": -0.4},
            )
        )
    if "overmix" in positive and positive & {"no_rise", "flat", "dense", "tough"}:
        out.append(
            Evidence(
                "notes",
                "worked hard and came out flat or tough: the gluten, not the raising agent, held it down",
                {"overmixed": 0.9, "leavening_problem": -0.5},
            )
        )
    if "crowded" in positive and positive & {"pale", "greasy", "soggy", "grey", "steamed"}:
        out.append(
            Evidence(
                "notes",
                "a full pan or basket and a pale, soggy result: the load dropped the temperature",
                {"overcrowded_pan": 0.8, "heat_too_low": -0.4},
            )
        )
    if "no_rise" in positive and positive & RAW_CONCEPTS:
        out.append(
            Evidence(
                "notes",
                "sank with a raw, wet centre: the crumb had not set when it came out",
                {"cooked_too_short": 1.2, "leavening_problem": -0.8},
            )
        )
    return out


def _suspected_step(category: str, evidence: list[Evidence], notes: str | None) -> int | None:
    best: tuple[float, int] | None = None
    for item in evidence:
        support = item.support(category)
        if item.step is not None and support > 0 and (best is None or support > best[0]):
            best = (support, item.step)
    return best[1] if best else mentioned_step(notes)


def _safety(request: DiagnosisRequest, category: str, evidence: list[Evidence]) -> list[str]:
    flags = {flag for item in evidence if sum(item.weights.values()) > 0 for flag in item.safety}
    text = " ".join(filter(None, [request.dish, request.recipe_name, request.notes]))
    undercooked = "undercooked" in flags or category == "cooked_too_short"
    keys: list[str] = []
    if undercooked:
        if dishes.mentions_any(text, dishes.POULTRY):
            keys.append("poultry")
        if dishes.mentions_any(text, dishes.PORK):
            keys.append("pork")
        if dishes.mentions_any(text, dishes.GROUND):
            keys.append("ground")
        if dishes.mentions_any(text, dishes.SEAFOOD):
            keys.append("seafood")
        if dishes.mentions_any(text, dishes.BEANS):
            keys.append("beans")
        if not keys and "undercooked" in flags and "meat" in dishes.dish_families(request.dish, request.recipe_name):
            keys.append("meat")
    if (
        ("undercooked" in flags or (category == "cooked_too_short" and "runny" in _concepts(evidence)))
        and dishes.mentions_any(text, dishes.EGGS)
        and not keys
    ):
        keys.append("eggs")
    keys.extend(k for k in ("smoke", "fire") if k in flags)
    return [SAFETY_MESSAGES[k] for k in keys]


def _concepts(evidence: list[Evidence]) -> set[str]:
    return {e.concept for e in evidence if e.concept}


def render(request: DiagnosisRequest, scored: Scored, evidence: list[Evidence]) -> Diagnosis:
    category = scored.category
    dish = (request.dish or request.recipe_name or "the dish").strip()
    safety = _safety(request, category, evidence)
    if category == UNKNOWN:
        return _render_unknown(scored, evidence, dish, safety)
    knowledge = KNOWLEDGE[category]
    supporting = sorted(
        (e for e in evidence if e.support(category) > 0 and e.source != "dish"),
        key=lambda e: e.support(category),
        reverse=True,
    )
    against = [e for e in evidence if e.support(category) < 0]
    step = _suspected_step(category, evidence, request.notes)
    root = knowledge.root_cause.format(dish=dish, dish_cap=dish[:1].upper() + dish[1:])
    if step is not None:
        root = root.rstrip(".") + f" (step {step})."
    cited = "; ".join(e.description for e in supporting[:4]) or "the dish type alone"
    explanation = f"{knowledge.mechanism} Evidence: {cited}."
    if against:
        explanation += " Weighed against it: " + "; ".join(e.description for e in against[:2]) + "."
    if scored.runner_up and scored.probabilities[scored.runner_up] >= 0.1:
        runner = KNOWLEDGE[scored.runner_up].title.lower()
        explanation += f" Next most likely: {runner} ({scored.probabilities[scored.runner_up]:.0%})."
    return Diagnosis(
        category=category,
        root_cause=root,
        explanation=explanation,
        evidence=[e.description for e in supporting[:6]],
        suspected_step=step,
        fix_now=knowledge.fix_now,
        next_time=list(knowledge.next_time),
        confidence=round(scored.confidence, 3),
        safety=safety,
        provider="local",
        model=LocalDiagnoser.model,
    )


def _render_unknown(scored: Scored, evidence: list[Evidence], dish: str, safety: list[str]) -> Diagnosis:
    informative = [e for e in evidence if e.source != "dish" and any(v > 0 for v in e.weights.values())]
    if informative:
        leading = KNOWLEDGE[scored.top_category].title.lower()
        runner = KNOWLEDGE[scored.runner_up].title.lower() if scored.runner_up else "another cause"
        explanation = (
            f"The signals are too weak or conflicting to name one cause for {dish}: the leading "
            f"candidate, {leading}, reaches only {scored.top_probability:.0%} (next: {runner}). "
            "Considered: " + "; ".join(e.description for e in informative[:4]) + "."
        )
    else:
        explanation = (
            f"Nothing in the notes, photo or session points to a specific failure for {dish}; "
            "rather than guess, the engine abstains."
        )
    return Diagnosis(
        category=UNKNOWN,
        root_cause="Not enough evidence to name a single cause.",
        explanation=explanation,
        evidence=[e.description for e in informative[:6]],
        suspected_step=None,
        fix_now="Taste it and cut it open: note the texture, colour and doneness of the inside, then re-run "
        "the diagnosis with those details.",
        next_time=list(UNKNOWN_NEXT_TIME),
        confidence=round(scored.confidence, 3),
        safety=safety,
        provider="local",
        model=LocalDiagnoser.model,
    )

"""Examples for response components whose models are shared with other work (recipes): added to the document
when the model carries none of its own, so every main response shows a realistic body in /docs."""

from __future__ import annotations

from typing import Any

from chefmentor.cooking.schemas import EXAMPLE_STEP

# The cooking schemas' example step, with a tip so the recipe examples show one.
STEP: dict[str, Any] = {**EXAMPLE_STEP, "tips": ["Too hot and the outside burns before the middle sets."]}
SUMMARY: dict[str, Any] = {
    "id": "6f1c2a8e-3b0d-4c55-9a51-2f7e8d9c1a42",
    "name": "Fluffy Pancakes",
    "slug": "fluffy-pancakes",
    "difficulty": "easy",
    "estimatedTimeMin": 20,
    "description": "Thick American-style pancakes.",
    "servings": 4,
    "imageUrl": None,
}
EXAMPLES: dict[str, dict[str, Any]] = {
    "RecipeStepRead": STEP,
    "RecipeSummary": SUMMARY,
    "RecipePage": {"items": [SUMMARY], "total": 1, "limit": 20, "offset": 0},
    "RecipeRead": {
        **SUMMARY,
        "sourceUrl": None,
        "ingredients": [{"text": "200 g flour", "name": "flour", "quantity": 200, "unit": "g", "note": None}],
        "steps": [STEP],
        "createdAt": "2026-01-01T12:00:00Z",
        "updatedAt": "2026-01-01T12:00:00Z",
    },
    "GuidanceRead": {
        "sessionId": "0b8f5a52-6d1e-4f7a-8c3b-91d2e4f5a6b7",
        "status": "in_progress",
        "event": None,
        "currentStep": STEP,
        "expectedState": STEP["expectedState"],
        "nextStep": None,
        "totalSteps": 5,
        "allStepsDone": False,
        "paused": False,
        "timers": [],
    },
}


def add_examples(document: dict[str, Any]) -> None:
    """Attach an example to each listed component that has none, keeping only the properties it still has."""
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    for name, example in EXAMPLES.items():
        schema = schemas.get(name)
        if schema is None or schema.get("examples"):
            continue
        known = schema.get("properties", {})
        schema["examples"] = [{key: value for key, value in example.items() if key in known}]

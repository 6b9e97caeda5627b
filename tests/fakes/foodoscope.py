"""A loopback stand-in for the Foodoscope API (RecipeDB recipe2-api + FlavorDB), in the documented shapes.

`modes` is a queue of forced answers ("503", "401", "slow"); when empty the fake answers normally.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes.loopback import QuietHandler, loopback_server, serving

VALID_KEY = "fs-test-key"

RECIPE = {
    "Recipe_id": "2610",
    "Recipe_title": "Garlic Butter Rice",
    "Region": "Indian Subcontinent",
    "Sub_region": "Indian",
    "Continent": "Asian",
    "Calories": "312.0",
    "cook_time": "20",
    "prep_time": "5",
    "total_time": "25",
    "servings": "4",
    "img_url": "https://images.example/rice.jpg",
    "Processes": "rinse||boil||simmer||fluff",
    "Utensils": "saucepan||fork",
    "vegan": "0.0",
}
INGREDIENTS = [
    {"ingredient": "basmati rice", "ingredient_Phrase": "1 1/2 cups basmati rice, rinsed", "quantity": "1.5",
     "unit": "cup", "state": "rinsed"},
    {"ingredient": "butter", "ingredient_Phrase": "2 tablespoons butter", "quantity": "2", "unit": "tablespoon"},
    {"ingredient": "garlic", "ingredient_Phrase": "3 cloves garlic, minced", "quantity": "3", "unit": "clove",
     "state": "minced"},
    {"ingredient": "water", "ingredient_Phrase": "2 1/4 cups water", "quantity": "2.25", "unit": "cup"},
]  # fmt: skip
STEPS = [
    "Rinse the rice until the water runs clear.",
    "Melt the butter in a saucepan and cook the garlic for 1 minute.",
    "Add rice and water, bring to a boil, cover and simmer on low for 15 minutes.",
    "Rest 5 minutes off the heat, then fluff with a fork.",
]
FLAVOR = {
    "garlic": {
        "entityId": "320",
        "topSimilarEntities": [
            {"entityName": "Onion", "category": "Vegetable", "similarMolecules": 58, "wikipedia": "https://en.wikipedia.org/wiki/Onion"},
            {"entityName": "Leek", "category": "Vegetable", "similarMolecules": 41, "wikipedia": "https://en.wikipedia.org/wiki/Leek"},
            {"entityName": "Garlic", "category": "Vegetable", "similarMolecules": 99, "wikipedia": None},
        ],
    }
}  # fmt: skip


@dataclass
class FakeFoodoscope:
    base_url: str = ""
    modes: list[str] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)

    def count(self, prefix: str) -> int:
        return sum(1 for r in self.requests if r["path"].startswith(prefix))


def _handler(fake: FakeFoodoscope) -> type[BaseHTTPRequestHandler]:
    class Handler(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server API
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            fake.requests.append({"path": parts.path, "query": query, "auth": self.headers.get("Authorization")})
            mode = fake.modes.pop(0) if fake.modes else "ok"
            if mode == "slow":
                time.sleep(2)
            if mode.isdigit():
                self.send_json(int(mode), {"success": "false", "message": f"forced {mode}"})
                return
            if self.headers.get("Authorization") != f"Bearer {VALID_KEY}":
                self.send_json(401, {"success": "false", "message": "Invalid or missing API key"})
                return
            path = parts.path
            if path == "/recipe2-api/recipe-bytitle/recipeByTitle":
                title = query.get("title", "").lower()
                data = [RECIPE] if title and title in RECIPE["Recipe_title"].lower() else []
                self.send_json(200, {"success": "true", "message": "Recipes fetched", "data": data})
            elif path == f"/recipe2-api/search-recipe/{RECIPE['Recipe_id']}":
                self.send_json(200, {"recipe": RECIPE, "ingredients": INGREDIENTS})
            elif path == f"/recipe2-api/instructions/{RECIPE['Recipe_id']}":
                self.send_json(200, {"recipe_id": RECIPE["Recipe_id"], "steps": STEPS})
            elif path == "/flavordb/food/by-alias":
                entity = FLAVOR.get(query.get("food_pair", "").lower())
                self.send_json(200, entity) if entity else self.send_json(404, {"message": "not found"})
            else:
                self.send_json(404, {"success": "false", "message": "Not found"})

    return Handler


@contextmanager
def serve_foodoscope() -> Iterator[FakeFoodoscope]:
    fake = FakeFoodoscope()
    with serving(loopback_server(_handler(fake))) as fake.base_url:
        yield fake

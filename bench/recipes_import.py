"""Measure the recipe importer on a folder of real pages (the development set's layout).

    .venv/bin/python bench/recipes_import.py /path/to/recipes-web [--db] [--sample N --sample-out FILE]

CORPUS holds jsonld/<site>/<page>.jsonld and reference/<site>/<page>.json (recipe-scrapers' expected
output). Prints: import success on pages with steps, entities/tags left in stored text, step-count agreement
with the reference, and how many steps that state a duration / a heat got expected minutes / a heat.
"A step states a duration/heat" is decided by the broad patterns below, written separately from the
importer's own, so a miss of the importer shows up as a miss here. With --db the pages are also imported
into a fresh SQLite database twice (second run must be all "unchanged") and timed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from chefmentor.errors import ValidationError  # noqa: E402
from chefmentor.recipes.jsonld import parse_document  # noqa: E402
from chefmentor.recipes.jsonld_read import load_recipe_nodes  # noqa: E402

STATES_DURATION = re.compile(
    r"\d\s*(?:-|–|to)?\s*\d*\s*(?:minutes?|mins?\b|hours?|hrs?\b|seconds?|secs?\b|minut\w*|stunden?|std\b|heures?|"
    r"uur\b|ore\b|horas?\b|segund\w*|sekund\w*|secondes?|perc\w*|分|時間|秒)"
    r"|\b(?:an|one|two|three|four|five|ten|fifteen|twenty|thirty|a few|half an?)\s+(?:minutes?|hours?|hour)\b"
    r"|\bovernight\b",
    re.IGNORECASE,
)
STATES_HEAT = re.compile(
    r"\b(?:low|medium|high|moderate|med|medium-low|medium-high)[\s-]+(?:heat|flame|fire)\b|\bsimmer|\bboil"
    r"|\d\s*°|\d\s*degrees|\bgas mark|\bpreheat|\bbake\b|\bbaking\b(?!\s+(?:sheet|soda|powder|dish|pan|tray|paper))"
    r"|\broast\b|\bbroil|\bfeu\b|\bfuoco\b|\bfuego\b|\bvuur\b|\bhitze\b|°C|°F",
    re.IGNORECASE,
)
SHARED_NAMES = "SELECT lower(name), count(*) FROM recipes GROUP BY lower(name) HAVING count(*) > 1"
HAS_STEPS = re.compile(r'"recipeInstructions"\s*:\s*(?!\[\s*\]|""|null)', re.IGNORECASE)
LEFTOVER = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]{2,8});|<\s*/?\s*[a-z][a-z0-9]*[\s/>]", re.IGNORECASE)


def _has_steps(text: str) -> bool:
    try:
        nodes = load_recipe_nodes(text)
    except ValidationError:
        return bool(HAS_STEPS.search(text))
    values = [next((v for k, v in n.items() if k.lower() == "recipeinstructions"), None) for n in nodes]
    return any(re.search(r"[^\W\d_]{2}", json.dumps(v, ensure_ascii=False)) for v in values if v)


def _texts(recipe: Any) -> list[str]:
    out = [recipe.name, recipe.description or "", recipe.yield_text or ""]
    out += [i.text for i in recipe.ingredients] + [i.name for i in recipe.ingredients]
    out += (
        [s.instruction for s in recipe.steps]
        + [s.title or "" for s in recipe.steps]
        + [s.section or "" for s in recipe.steps]
    )
    return out


def measure(corpus: Path, sample: int, sample_out: Path | None, verbose: bool = False) -> dict[str, Any]:
    pages = sorted((corpus / "jsonld").glob("*/*.jsonld"))
    stats = {"pages": len(pages), "pagesWithSteps": 0, "imported": 0, "leftoverTexts": 0, "warnings": 0}
    steps_total = dur_stated = dur_set = heat_stated = heat_set = 0
    count_agree = count_pages = 0
    failures: list[str] = []
    chosen: list[dict[str, Any]] = []
    started = time.perf_counter()
    for page in pages:
        ref_path = corpus / "reference" / page.parent.name / (page.stem + ".json")
        reference = json.loads(ref_path.read_text()) if ref_path.exists() else {}
        text = page.read_text(encoding="utf-8")
        # Pages whose JSON-LD itself holds steps (the reference may have taken them from the HTML).
        has_steps = _has_steps(text)
        stats["pagesWithSteps"] += has_steps
        try:
            parsed = parse_document(text, source=page.name)
        except ValidationError as exc:
            if has_steps:
                failures.append(str(exc)[:160])
            continue
        stats["imported"] += has_steps
        recipe = parsed[0].data
        stats["warnings"] += sum(len(p.warnings) for p in parsed)
        stats["leftoverTexts"] += sum(1 for t in _texts(recipe) if LEFTOVER.search(t))
        if has_steps:
            count_pages += 1
            agrees = len(recipe.steps) == len(reference.get("instructions_list") or [])
            count_agree += agrees
            if not agrees and verbose:
                print(
                    f"  steps {len(recipe.steps)} vs reference {len(reference.get('instructions_list') or [])}: {page}"
                )
        for step in recipe.steps:
            steps_total += 1
            if STATES_DURATION.search(step.instruction):
                dur_stated += 1
                dur_set += step.expected_minutes is not None
            if STATES_HEAT.search(step.instruction):
                heat_stated += 1
                heat_set += step.heat is not None
            chosen.append(
                {
                    "site": page.parent.name,
                    "page": page.stem,
                    "instruction": step.instruction,
                    "expectedMinutes": step.expected_minutes,
                    "heat": step.heat.value if step.heat else None,
                }
            )
    elapsed = time.perf_counter() - started
    stats.update(
        steps=steps_total, durationStated=dur_stated, durationSet=dur_set, heatStated=heat_stated, heatSet=heat_set,
        stepCountAgreesWithReference=f"{count_agree}/{count_pages}", parseSeconds=round(elapsed, 2), failures=failures,
    )  # fmt: skip
    if sample and sample_out:
        random.Random(20).shuffle(chosen)
        sample_out.write_text(json.dumps(chosen[:sample], ensure_ascii=False, indent=1) + "\n")
    return stats


async def import_twice(corpus: Path) -> dict[str, Any]:
    from sqlalchemy import text

    from chefmentor.config import load_settings
    from chefmentor.context import open_context
    from chefmentor.db import migrate
    from chefmentor.recipes.seed import import_paths

    with tempfile.TemporaryDirectory() as home:
        settings = load_settings(
            env="test",
            home=Path(home),
            db={"url": f"sqlite+aiosqlite:///{home}/bench.db"},
            auth={"jwt_secret": "bench-" + "x" * 40},
            voice={"preload": False},
        )
        async with open_context(settings) as ctx:
            await migrate.upgrade(ctx.engine)
            results = []
            for round_ in range(2):
                started = time.perf_counter()
                batch = await import_paths(ctx, [corpus / "jsonld"], cache=ctx.cache)
                results.append(
                    {"round": round_ + 1, "seconds": round(time.perf_counter() - started, 2), **batch.counts()}
                )
            async with ctx.session() as session:
                stored = await session.scalar(text("SELECT count(*) FROM recipes"))
                shared = (await session.execute(text(SHARED_NAMES))).all()
            results.append({"recipesStored": stored, "namesSharedBySeveralRecipes": len(shared),
                            "recipesUnderThoseNames": sum(n for _, n in shared)})  # fmt: skip
            return {"db": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--db", action="store_true", help="also import into a fresh SQLite database, twice")
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--sample-out", type=Path)
    parser.add_argument("--verbose", action="store_true", help="list pages whose step count differs")
    args = parser.parse_args()
    stats = measure(args.corpus, args.sample, args.sample_out, args.verbose)
    pct = lambda a, b: f"{100 * a / b:.1f} %" if b else "-"  # noqa: E731
    print(
        f"pages {stats['pages']}, with steps {stats['pagesWithSteps']}, imported {stats['imported']} "
        f"({pct(stats['imported'], stats['pagesWithSteps'])})"
    )
    print(f"texts with an entity or tag left: {stats['leftoverTexts']}; warnings: {stats['warnings']}")
    print(f"step count equal to the reference: {stats['stepCountAgreesWithReference']}")
    print(
        f"steps {stats['steps']}: duration stated {stats['durationStated']}, expected minutes set "
        f"{stats['durationSet']} ({pct(stats['durationSet'], stats['durationStated'])})"
    )
    print(
        f"heat stated {stats['heatStated']}, heat set {stats['heatSet']} ({pct(stats['heatSet'], stats['heatStated'])})"
    )
    print(f"parse time {stats['parseSeconds']} s for {stats['pages']} pages")
    for failure in stats["failures"]:
        print("  failed:", failure)
    if args.db:
        for row in asyncio.run(import_twice(args.corpus))["db"]:
            print("db import", row)


if __name__ == "__main__":
    main()

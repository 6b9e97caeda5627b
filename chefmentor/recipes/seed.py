"""Import JSON-LD files; `db seed` loads fixtures/recipes idempotently."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from chefmentor.cache import Cache
from chefmentor.errors import ValidationError
from chefmentor.recipes.jsonld import load_jsonld_text, parse_recipe

RECIPE_SUFFIXES = (".jsonld", ".json")


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "recipes": {"created": self.created, "updated": self.updated, "unchanged": self.unchanged},
        }


async def import_recipe_text(session: AsyncSession, text: str, *, cache: Cache, source: str) -> ImportReport:
    """Parse every Recipe in a JSON-LD document first, then write; a bad document writes nothing."""
    from chefmentor.recipes.service import upsert_recipe

    parsed = [parse_recipe(node, source=source) for node in load_jsonld_text(text, source=source)]
    report = ImportReport()
    for data in parsed:
        recipe, outcome = await upsert_recipe(session, data, cache=cache)
        getattr(report, outcome).append(recipe.name)
    return report


def read_recipe_file(path: Path) -> str:
    if not path.is_file():
        raise ValidationError(f"{path}: no such file")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(f"{path}: not UTF-8 text") from exc


def read_recipe_dir(directory: Path) -> dict[Path, str]:
    files = sorted(p for p in directory.iterdir() if p.suffix in RECIPE_SUFFIXES) if directory.is_dir() else []
    if not files:
        raise ValidationError(f"No recipe files (*.jsonld) in {directory}")
    return {path: read_recipe_file(path) for path in files}


async def import_recipe_file(session: AsyncSession, path: Path, *, cache: Cache) -> ImportReport:
    text = await asyncio.to_thread(read_recipe_file, path)
    return await import_recipe_text(session, text, cache=cache, source=str(path))


async def seed_recipes(session: AsyncSession, directory: Path, *, cache: Cache) -> ImportReport:
    """Load every fixture recipe; running it twice changes nothing."""
    texts = await asyncio.to_thread(read_recipe_dir, directory)
    for path, text in texts.items():  # validate all before writing any
        for node in load_jsonld_text(text, source=str(path)):
            parse_recipe(node, source=str(path))
    total = ImportReport()
    for path, text in texts.items():
        report = await import_recipe_text(session, text, cache=cache, source=str(path))
        total.created += report.created
        total.updated += report.updated
        total.unchanged += report.unchanged
    return total

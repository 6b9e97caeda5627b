"""Import recipe files (JSON-LD or saved web pages), one at a time or a whole batch; `db seed` loads fixtures.

Each file is one unit of work: all of its recipes are written in one transaction, or none (on SQLite and
PostgreSQL alike). A batch goes on after a bad file and says per file what happened and why.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from chefmentor.cache import Cache
from chefmentor.errors import ChefMentorError, ValidationError
from chefmentor.recipes.jsonld import parse_document

RECIPE_SUFFIXES = (".jsonld", ".json", ".html", ".htm")
MAX_FILE_BYTES = 10 * 1024 * 1024  # a saved page; its JSON-LD blocks are bounded separately (2 MB)
MAX_FILES = 10_000


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    recipes: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "recipes": {"created": self.created, "updated": self.updated, "unchanged": self.unchanged},
            "warnings": self.warnings,
        }


@dataclass
class FileResult:
    path: str
    status: str  # imported | unchanged | skipped
    reason: str | None = None
    recipes: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "status": self.status, "reason": self.reason, "recipes": self.recipes,
                "warnings": self.warnings}  # fmt: skip


@dataclass
class BatchReport:
    files: list[FileResult] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        recipes = [r for f in self.files for r in f.recipes]
        return {
            "files": len(self.files),
            "imported": sum(f.status == "imported" for f in self.files),
            "unchanged": sum(f.status == "unchanged" for f in self.files),
            "skipped": sum(f.status == "skipped" for f in self.files),
            "created": sum(r["outcome"] == "created" for r in recipes),
            "updated": sum(r["outcome"] == "updated" for r in recipes),
            "recipesUnchanged": sum(r["outcome"] == "unchanged" for r in recipes),
        }

    def to_json(self) -> dict[str, Any]:
        return {**self.counts(), "results": [f.to_json() for f in self.files]}


async def import_recipe_text(session: AsyncSession, text: str, *, cache: Cache, source: str) -> ImportReport:
    """Parse every Recipe in a document first, then write them in one transaction; any failure writes none."""
    from chefmentor.recipes.service import CACHE_PREFIX, upsert_recipe

    parsed = await asyncio.to_thread(parse_document, text, source=source)
    report = ImportReport(warnings=[w for p in parsed for w in p.warnings])
    try:
        for item in parsed:
            recipe, outcome = await upsert_recipe(session, item.data, cache=cache, commit=False)
            getattr(report, outcome).append(recipe.name)
            report.recipes.append({"id": str(recipe.id), "name": recipe.name, "slug": recipe.slug, "outcome": outcome})
        await session.commit()
    except BaseException:
        await session.rollback()
        raise
    if report.created or report.updated:
        await cache.delete_prefix(CACHE_PREFIX)
    return report


def read_recipe_file(path: Path) -> str:
    if not path.is_file():
        raise ValidationError(f"{path}: no such file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ValidationError(f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(f"{path}: not UTF-8 text") from exc


def recipe_files(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, and every *.jsonld/*.json/*.html under folders (sorted, each once)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in RECIPE_SUFFIXES)
        else:
            found.append(path)
    unique = list(dict.fromkeys(found))
    if not unique:
        raise ValidationError("No recipe files (*.jsonld, *.json, *.html) in " + ", ".join(str(p) for p in paths))
    if len(unique) > MAX_FILES:
        raise ValidationError(f"{len(unique)} files: import at most {MAX_FILES} at once")
    return unique


def read_recipe_dir(directory: Path) -> dict[Path, str]:
    if not directory.is_dir():
        raise ValidationError(f"No recipe files (*.jsonld) in {directory}")
    return {path: read_recipe_file(path) for path in recipe_files([directory])}


async def import_recipe_file(session: AsyncSession, path: Path, *, cache: Cache) -> ImportReport:
    text = await asyncio.to_thread(read_recipe_file, path)
    return await import_recipe_text(session, text, cache=cache, source=str(path))


Sessions = Callable[[], AbstractAsyncContextManager[AsyncSession]]
Progress = Callable[[int, int, FileResult], None]


async def import_files(
    sessions: Sessions, paths: Sequence[Path], *, cache: Cache, progress: Progress | None = None
) -> BatchReport:
    """Import many files (folders are searched), each in its own transaction; a bad file is skipped with
    its reason and the batch goes on. `progress(done, total, result)` is called after every file."""
    files = recipe_files(paths)
    batch = BatchReport()
    for done, path in enumerate(files, start=1):
        result = await _import_one(sessions, path, cache=cache)
        batch.files.append(result)
        if progress is not None:
            progress(done, len(files), result)
    return batch


async def _import_one(sessions: Sessions, path: Path, *, cache: Cache) -> FileResult:
    try:
        async with sessions() as session:
            report = await import_recipe_file(session, path, cache=cache)
    except ChefMentorError as exc:
        return FileResult(str(path), "skipped", reason=exc.message.removeprefix(f"{path}: "))
    except SQLAlchemyError as exc:  # rolled back by import_recipe_text; the batch goes on
        reason = f"the database refused it ({type(getattr(exc, 'orig', None) or exc).__name__})"
        return FileResult(str(path), "skipped", reason=reason)
    status = "imported" if report.created or report.updated else "unchanged"
    return FileResult(str(path), status, recipes=report.recipes, warnings=report.warnings)


async def import_paths(
    ctx: Any, paths: Sequence[Path], *, cache: Cache, progress: Progress | None = None
) -> BatchReport:
    """import_files with an AppContext's sessions."""
    return await import_files(ctx.session, paths, cache=cache, progress=progress)


async def seed_recipes(session: AsyncSession, directory: Path, *, cache: Cache) -> ImportReport:
    """Load every fixture recipe; running it twice changes nothing. All files are checked before any write."""
    texts = await asyncio.to_thread(read_recipe_dir, directory)
    for path, text in texts.items():
        await asyncio.to_thread(parse_document, text, source=str(path))
    total = ImportReport()
    for path, text in texts.items():
        report = await import_recipe_text(session, text, cache=cache, source=str(path))
        total.created += report.created
        total.updated += report.updated
        total.unchanged += report.unchanged
        total.recipes += report.recipes
        total.warnings += report.warnings
    return total

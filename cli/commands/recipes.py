from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from cli.runner import run, state_of

if TYPE_CHECKING:
    from chefmentor.context import AppContext

app = typer.Typer(help="Browse and import recipes.", no_args_is_help=True)


@app.command("list")
def list_command(
    ctx: typer.Context,
    q: str | None = typer.Option(None, "--search", "-q", help="Filter by name."),
    difficulty: str | None = typer.Option(None, help="easy, medium or hard."),
    limit: int = typer.Option(50, min=1, max=100),
    offset: int = typer.Option(0, min=0),
) -> None:
    """List recipes (Rich table, or --json)."""

    async def work(app_ctx: AppContext) -> dict[str, Any]:
        from chefmentor.errors import ValidationError
        from chefmentor.recipes.models import Difficulty
        from chefmentor.recipes.service import list_recipes

        try:
            level = Difficulty(difficulty) if difficulty else None
        except ValueError:
            raise ValidationError("--difficulty must be easy, medium or hard") from None
        async with app_ctx.session() as session:
            page = await list_recipes(session, cache=app_ctx.cache, limit=limit, offset=offset, q=q, difficulty=level)
        return page.to_json_dict()

    data = run(ctx, work)
    if state_of(ctx).json:
        from cli.output import emit_json

        emit_json(data)
        return
    from rich.table import Table

    from cli.output import console

    table = Table(title=f"Recipes ({data['total']})", header_style="bold")
    for column in ("Name", "Difficulty", "Minutes", "Serves", "Id"):
        table.add_column(column, overflow="fold")
    for item in data["items"]:
        table.add_row(
            item["name"],
            item.get("difficulty") or "-",
            str(item.get("estimatedTimeMin") or "-"),
            str(item.get("servings") or "-"),
            item["id"],
        )
    console.print(table)
    if data["total"] == 0 and not (q or difficulty or offset):
        from cli.output import err_console

        err_console.print(
            "No recipes yet: run `chefmentor db seed` for the bundled ones, or `chefmentor recipes import FILE`",
            highlight=False,
        )


@app.command("show")
def show(
    ctx: typer.Context,
    recipe: str = typer.Argument(..., metavar="ID_OR_NAME"),
    scale: float | None = typer.Option(None, "--scale", help="Multiply the amounts (0.05 to 50)."),
    to_yield: float | None = typer.Option(None, "--yield", help="Scale to this yield (e.g. 36 cookies: --yield 36)."),
) -> None:
    """Show one recipe with ingredients and steps (optionally scaled)."""

    async def work(app_ctx: AppContext) -> dict[str, Any]:
        from chefmentor.recipes.scaling import scale_recipe
        from chefmentor.recipes.service import find_recipe

        async with app_ctx.session() as session:
            found = await find_recipe(session, recipe, cache=app_ctx.cache)
        if scale is not None or to_yield is not None:
            found = scale_recipe(found, factor=scale, target=to_yield)
        return found.to_json_dict()

    data = run(ctx, work)
    if state_of(ctx).json:
        from cli.output import emit_json

        emit_json(data)
        return
    _render_recipe(data)


def _render_recipe(data: dict[str, Any]) -> None:
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table

    from cli.output import console

    meta = " · ".join(
        part
        for part in (
            data.get("difficulty"),
            f"{data['estimatedTimeMin']} min" if data.get("estimatedTimeMin") else None,
            f"serves {data['servings']}" if data.get("servings") else None,
            f"makes {data['yieldText']}" if data.get("yieldText") and data.get("yieldUnit") != "servings" else None,
        )
        if part
    )
    description = escape(data.get("description") or "")
    console.print(Panel(description, title=f"[bold]{escape(data['name'])}[/]", subtitle=escape(meta)))
    ingredients = Table(title="Ingredients", show_header=False, box=None)
    section = None
    for item in data.get("ingredients", []):
        if item.get("section") and item["section"] != section:
            section = item["section"]
            ingredients.add_row("", f"[bold]{escape(section)}[/]")
        ingredients.add_row("•", escape(item["text"]))
    console.print(ingredients)
    steps = Table(title="Steps", header_style="bold", show_lines=True)
    for column in ("#", "Instruction", "Expected", "Heat", "Min"):
        steps.add_column(column, overflow="fold")
    section = None
    for step in data.get("steps", []):
        if step.get("section") and step["section"] != section:
            section = step["section"]
            steps.add_row("", f"[bold]{escape(section)}[/]", "", "", "")
        steps.add_row(
            str(step["stepNumber"]),
            escape(step["instruction"]),
            escape(step.get("expectedState") or ""),
            _heat_cell(step),
            _minutes_cell(step),
        )
    console.print(steps)


def _heat_cell(step: dict[str, Any]) -> str:
    heat = (step.get("heat") or "").replace("_", "-")
    oven = (step.get("guidance") or {}).get("ovenTemperature") or {}
    if oven.get("celsius") and oven.get("fahrenheit"):
        heat += f" {oven['fahrenheit']}°F/{oven['celsius']}°C"
    return heat.strip()


def _minutes_cell(step: dict[str, Any]) -> str:
    minutes = (step.get("guidance") or {}).get("minutes") or {}
    if minutes and minutes.get("low") != minutes.get("high"):
        return f"{minutes['low']:g}–{minutes['high']:g}"
    return f"{step['expectedMinutes']:g}" if step.get("expectedMinutes") is not None else ""


@app.command("import")
def import_command(
    ctx: typer.Context,
    sources: list[str] = typer.Argument(..., metavar="FILE_OR_FOLDER...", help="Files, folders, '-' or inline JSON."),
    origin: str = typer.Option("file", "--source", help="file (JSON-LD/HTML) or recipedb (SOURCE is a RecipeDB id)."),
) -> None:
    """Import schema.org Recipe JSON-LD (or saved web pages) from files and folders, '-' (stdin) or inline JSON.

    Each file is imported whole or not at all; a summary says what was imported, unchanged or skipped (and
    why). --json prints the per-file results.
    """
    if origin == "recipedb":
        from cli.commands.recipedb import import_from_recipedb

        for source in sources:
            import_from_recipedb(ctx, source)
        return
    if len(sources) == 1 and (sources[0] == "-" or sources[0].lstrip().startswith(("{", "["))):
        return _import_text(ctx, sources[0])
    data = run(ctx, lambda app_ctx: _import_batch(app_ctx, [Path(s) for s in sources], show=not state_of(ctx).json))
    from cli.output import emit_json

    if state_of(ctx).json:
        emit_json(data)
        return
    _render_batch(data)
    if data["files"] and data["skipped"] == data["files"]:
        raise typer.Exit(code=2)


async def _import_batch(app_ctx: AppContext, paths: list[Path], *, show: bool) -> dict[str, Any]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from chefmentor.recipes.seed import FileResult, import_files
    from cli.output import err_console

    columns = (
        TextColumn("Importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=err_console, transient=True, disable=not show) as bar:
        task = bar.add_task("", total=None)

        def advance(done: int, total: int, result: FileResult) -> None:
            bar.update(task, completed=done, total=total, description=Path(result.path).name[:40])

        report = await import_files(app_ctx.session, paths, cache=app_ctx.cache, progress=advance)
    if len(paths) == 1 and not paths[0].is_dir() and report.files[0].status == "skipped":
        from chefmentor.errors import ValidationError

        raise ValidationError(f"{paths[0]}: {report.files[0].reason}")  # one file: its reason is the error
    return report.to_json()


def _render_batch(data: dict[str, Any]) -> None:
    from rich.markup import escape

    from cli.output import console, print_ok

    skipped = [r for r in data["results"] if r["status"] == "skipped"]
    for result in skipped:
        console.print(f"[yellow]skipped[/] {escape(result['path'])}: {escape(result['reason'] or '')}", highlight=False)
    warnings = sum(len(r["warnings"]) for r in data["results"])
    print_ok(
        f"{data['files']} files: {data['imported']} imported ({data['created']} new, {data['updated']} "
        f"updated recipes), {data['unchanged']} unchanged, {data['skipped']} skipped"
        + (f"; {warnings} optional fields dropped (see --json)" if warnings else "")
    )


def _import_text(ctx: typer.Context, source: str) -> None:
    import sys

    async def work(app_ctx: AppContext) -> dict[str, object]:
        from chefmentor.recipes.seed import import_recipe_text

        text = sys.stdin.read() if source == "-" else source
        async with app_ctx.session() as session:
            report = await import_recipe_text(
                session, text, cache=app_ctx.cache, source="stdin" if source == "-" else "argument"
            )
        return report.to_json()

    data = run(ctx, work)
    from cli.output import emit_json, print_ok

    if state_of(ctx).json:
        emit_json(data)
    else:
        print_ok(f"Imported: {data['created']} new, {data['updated']} updated, {data['unchanged']} unchanged")

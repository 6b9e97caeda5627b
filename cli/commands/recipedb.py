"""`recipes search TEXT [--source local|recipedb]` and the RecipeDB branch of `recipes import --source recipedb ID`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from cli.runner import run, state_of

if TYPE_CHECKING:
    from chefmentor.context import AppContext


def register(_root: typer.Typer) -> None:
    from cli.commands.recipes import app as recipes_app

    recipes_app.command("search")(search)


def search(
    ctx: typer.Context,
    text: str = typer.Argument(..., help="Words in the recipe title."),
    source: str = typer.Option("local", "--source", help="local (this database) or recipedb (Foodoscope API)."),
    limit: int = typer.Option(10, min=1, max=50),
) -> None:
    """Search recipes here or in RecipeDB (needs FOODOSCOPE_API_KEY)."""
    if source not in ("local", "recipedb"):
        raise typer.BadParameter("--source must be local or recipedb")

    async def work(app_ctx: AppContext) -> dict[str, Any]:
        if source == "local":
            from chefmentor.recipes.service import list_recipes

            async with app_ctx.session() as session:
                page = await list_recipes(session, cache=app_ctx.cache, limit=limit, q=text)
            items = [
                {"id": str(i.id), "title": i.name, "totalMinutes": i.estimated_time_min, "servings": i.servings}
                for i in page.items
            ]
            return {"source": "local", "items": items}
        from chefmentor.recipes.foodoscope import FoodoscopeClient

        client = FoodoscopeClient.from_settings(app_ctx.settings)
        results = await client.search_recipes(text, cache=app_ctx.cache, limit=limit)
        return {"source": "recipedb", "items": [r.to_json() for r in results]}

    data = run(ctx, work, check_migrated=source == "local")
    if state_of(ctx).json:
        from cli.output import emit_json

        emit_json(data)
        return
    from rich.table import Table

    from cli.output import console

    table = Table(title=f"{'RecipeDB' if source == 'recipedb' else 'Recipes'}: {text}", header_style="bold")
    for column in ("Id", "Title", "Minutes", "Serves"):
        table.add_column(column, overflow="fold")
    for item in data["items"]:
        table.add_row(item["id"], item["title"], str(item.get("totalMinutes") or "-"), str(item.get("servings") or "-"))
    console.print(table)
    if source == "recipedb" and data["items"]:
        console.print("Import one with: chefmentor recipes import --source recipedb ID", style="dim")


def import_from_recipedb(ctx: typer.Context, recipe_id: str) -> None:
    """Fetch one RecipeDB recipe and store it here (title, ingredients, steps, times)."""

    async def work(app_ctx: AppContext) -> dict[str, Any]:
        from chefmentor.recipes.foodoscope import FoodoscopeClient
        from chefmentor.recipes.remote import import_recipedb_recipe

        client = FoodoscopeClient.from_settings(app_ctx.settings)
        async with app_ctx.session() as session:
            recipe, outcome = await import_recipedb_recipe(
                session, recipe_id, source=client, cache=app_ctx.cache, clock=app_ctx.clock
            )
        return {"id": str(recipe.id), "name": recipe.name, "outcome": outcome, "recipedbId": recipe_id}

    data = run(ctx, work)
    from cli.output import emit_json, print_ok

    if state_of(ctx).json:
        emit_json(data)
    else:
        print_ok(f"{data['outcome'].capitalize()}: {data['name']} ({data['id']}) from RecipeDB {recipe_id}")

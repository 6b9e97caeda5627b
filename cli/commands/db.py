from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from cli.runner import run, state_of

if TYPE_CHECKING:
    from chefmentor.context import AppContext

app = typer.Typer(help="Database migrations and seed data.", no_args_is_help=True)

FIXTURE_RECIPES = Path(__file__).resolve().parents[2] / "fixtures" / "recipes"


@app.command("upgrade")
def upgrade(ctx: typer.Context, revision: str = typer.Argument("head")) -> None:
    """Migrate the configured database up to REVISION (default: head)."""

    async def work(app_ctx: AppContext) -> None:
        from chefmentor.db import migrate
        from chefmentor.db.status import database_revision

        engine = app_ctx.engine
        before = await database_revision(engine)
        await migrate.upgrade(engine, revision)
        after = await migrate.current_revision(engine)
        _report(ctx, {"from": before, "to": after}, f"Database at revision {after} (was {before or 'empty'})")

    run(ctx, work, check_migrated=False, creates_database=True)


@app.command("downgrade")
def downgrade(ctx: typer.Context, revision: str = typer.Argument(..., help="Target revision, e.g. base")) -> None:
    """Migrate the configured database down to REVISION."""

    async def work(app_ctx: AppContext) -> None:
        from chefmentor.db import migrate
        from chefmentor.db.status import database_revision

        engine = app_ctx.engine
        before = await database_revision(engine)
        await migrate.downgrade(engine, revision)
        after = await migrate.current_revision(engine)
        _report(ctx, {"from": before, "to": after}, f"Database at revision {after or 'base'} (was {before})")

    run(ctx, work, check_migrated=False, uses_database=True)


@app.command("current")
def current(ctx: typer.Context) -> None:
    """Show the database's revision and the newest one in the code."""

    async def work(app_ctx: AppContext) -> None:
        from chefmentor.db import migrate
        from chefmentor.db.status import database_revision

        revision = await database_revision(app_ctx.engine)
        head = migrate.head_revision()
        state = "up to date" if revision == head else "needs `chefmentor db upgrade`"
        _report(ctx, {"current": revision, "head": head, "upToDate": revision == head}, f"{revision} ({state})")

    run(ctx, work, check_migrated=False, uses_database=True)


@app.command("seed")
def seed(ctx: typer.Context, directory: Path = typer.Option(FIXTURE_RECIPES, help="Folder of *.jsonld")) -> None:
    """Load the bundled recipes (idempotent: a second run reports 0 new)."""

    async def work(app_ctx: AppContext) -> None:
        from chefmentor.recipes.seed import seed_recipes

        async with app_ctx.session() as session:
            report = await seed_recipes(session, directory, cache=app_ctx.cache)
        data = report.to_json()
        _report(
            ctx,
            data,
            f"Seeded recipes: {data['created']} new, {data['updated']} updated, {data['unchanged']} unchanged",
        )

    run(ctx, work)


def _report(ctx: typer.Context, data: dict[str, object], line: str) -> None:
    from cli.output import emit_json, print_ok

    if state_of(ctx).json:
        emit_json(data)
    else:
        print_ok(line)

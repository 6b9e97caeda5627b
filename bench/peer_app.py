"""The textbook peer bench/api.py compares the API with: three routes written the way the FastAPI full-stack
template (github.com/fastapi/full-stack-fastapi-template) writes them.

That template's style, kept here: an engine from the settings' database URL, a session dependency that
`yield`s one SQLModel session per request, a `CurrentUser`-style dependency that decodes the bearer token
and loads its row with `session.get`, ORM queries through `session.exec(select(...))`, `session.add` +
`commit` + `refresh` for a write, `HTTPException` for errors, and plain model returns serialised by
FastAPI through `response_model`. The template is synchronous (psycopg); this peer uses SQLModel's
AsyncSession on the same async drivers as the API (asyncpg, aiosqlite), so both measure the same database
access and differ only in how the routes are written. The connection pool is sized from the same settings.

Same database, same tables (the project's SQLModel classes), same JSON shapes (the project's camelCase
schemas). The recipe list is cached the simplest way: the page model in a dict with the same TTL, per process.
"""

# No `from __future__ import annotations`: FastAPI must see the Annotated dependencies defined in create_peer_app.
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

import jwt
from fastapi import Depends, FastAPI, HTTPException, Query, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from chefmentor.auth.models import DemoSession, User
from chefmentor.config import Settings, load_settings
from chefmentor.cooking.models import CookingSession, CookingStepEvent, SessionStatus, StepEventKind
from chefmentor.cooking.schemas import GuidanceRead, StepEventCreate, StepEventRead
from chefmentor.recipes.models import Recipe, RecipeStep
from chefmentor.recipes.schemas import RecipePage, RecipeRead, RecipeStepRead, RecipeSummary


def build_engine(settings: Settings) -> AsyncEngine:
    url = settings.database_url
    kwargs: dict[str, Any] = {"pool_size": settings.db.pool_size, "max_overflow": settings.db.max_overflow}
    if not url.startswith("sqlite"):
        return create_async_engine(url, **kwargs)
    kwargs["connect_args"] = {"timeout": settings.db.busy_timeout_seconds}
    engine = create_async_engine(url, **kwargs)
    # The API's own per-connection pragmas, so a commit costs both the same (trees before the setting: NORMAL).
    synchronous = getattr(settings.db, "sqlite_synchronous", "NORMAL")

    @event.listens_for(engine.sync_engine, "connect")
    def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()

    return engine


def create_peer_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    engine = build_engine(settings)
    list_cache: dict[tuple[int, int], tuple[float, RecipePage]] = {}
    ttl = settings.server.recipe_cache_ttl_seconds

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    app = FastAPI(title="textbook peer", lifespan=lifespan)

    async def get_db() -> AsyncIterator[AsyncSession]:
        # expire_on_commit=False: SQLAlchemy's advice for AsyncSession (no lazy load after commit).
        async with AsyncSession(engine, expire_on_commit=False) as session:
            yield session

    SessionDep = Annotated[AsyncSession, Depends(get_db)]
    bearer = HTTPBearer()

    async def get_current_actor(
        session: SessionDep, credentials: Annotated[HTTPAuthorizationCredentials, Depends(bearer)]
    ) -> User | DemoSession:
        try:
            payload = jwt.decode(
                credentials.credentials,
                settings.jwt_secret,
                algorithms=["HS256"],
                audience=settings.auth.audience,
                issuer=settings.auth.issuer,
            )
            subject = uuid.UUID(str(payload["sub"]))
        except (jwt.InvalidTokenError, KeyError, ValueError):
            raise HTTPException(
                status_code=status.HTTP_403_FORBIDDEN, detail="Could not validate credentials"
            ) from None
        actor = await session.get(DemoSession if payload.get("typ") == "demo" else User, subject)
        if actor is None:
            raise HTTPException(status_code=404, detail="User not found")
        if isinstance(actor, DemoSession) and _aware(actor.expires_at) <= datetime.now(UTC):
            raise HTTPException(status_code=401, detail="Demo session expired")
        return actor

    CurrentActor = Annotated[User | DemoSession, Depends(get_current_actor)]

    @app.get("/api/recipes", response_model=RecipePage)
    async def read_recipes(
        session: SessionDep, limit: Annotated[int, Query(ge=1, le=100)] = 20, offset: Annotated[int, Query(ge=0)] = 0
    ) -> Any:
        cached = list_cache.get((limit, offset))
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        count = (await session.exec(select(func.count()).select_from(Recipe))).one()
        recipes = (
            await session.exec(select(Recipe).order_by(Recipe.name, Recipe.id).offset(offset).limit(limit))
        ).all()
        page = RecipePage(
            items=[RecipeSummary.model_validate(r) for r in recipes], total=count, limit=limit, offset=offset
        )
        list_cache[(limit, offset)] = (time.monotonic() + ttl, page)
        return page

    @app.get("/api/recipes/{recipe_id}", response_model=RecipeRead)
    async def read_recipe(session: SessionDep, recipe_id: uuid.UUID) -> Any:
        recipe = await session.get(Recipe, recipe_id)
        if not recipe:
            raise HTTPException(status_code=404, detail="Recipe not found")
        steps = (
            await session.exec(
                select(RecipeStep).where(RecipeStep.recipe_id == recipe_id).order_by(RecipeStep.step_number)
            )
        ).all()
        return RecipeRead.model_validate({**recipe.model_dump(), "steps": [s.model_dump() for s in steps]})

    @app.post("/api/cooking/step-event", response_model=GuidanceRead)
    async def create_step_event(session: SessionDep, actor: CurrentActor, body: StepEventCreate) -> Any:
        cooking = await session.get(CookingSession, body.session_id)
        if not cooking or actor.id not in (cooking.demo_session_id, cooking.user_id):
            raise HTTPException(status_code=404, detail="Cooking session not found")
        if cooking.status != SessionStatus.IN_PROGRESS:
            raise HTTPException(status_code=409, detail="The session has ended")
        steps = (
            await session.exec(
                select(RecipeStep).where(RecipeStep.recipe_id == cooking.recipe_id).order_by(RecipeStep.step_number)
            )
        ).all()
        if not 1 <= body.step_number <= len(steps):
            raise HTTPException(status_code=422, detail="Step out of range")
        now = datetime.now(UTC)
        event = CookingStepEvent(
            session_id=cooking.id,
            step_number=body.step_number,
            event=body.event,
            at=body.at or now,
            client_event_id=body.event_id,
            data=body.data or {},
            created_at=now,
        )
        session.add(event)
        step = cooking.current_step
        if body.event is StepEventKind.STARTED:
            step = body.step_number
        elif body.event in (StepEventKind.COMPLETED, StepEventKind.SKIPPED):
            step = min(body.step_number + 1, len(steps))
        if step != cooking.current_step:
            cooking.current_step = step
            cooking.updated_at = now
            session.add(cooking)
        await session.commit()
        await session.refresh(event)
        current = steps[cooking.current_step - 1]
        following = steps[cooking.current_step] if cooking.current_step < len(steps) else None
        return GuidanceRead(
            session_id=cooking.id,
            status=cooking.status,
            event=StepEventRead(
                id=event.id,
                step_number=event.step_number,
                event=event.event,
                at=event.at,
                event_id=event.client_event_id,
                data=event.data,
            ),
            current_step=RecipeStepRead.model_validate(current),
            expected_state=current.expected_state,
            next_step=RecipeStepRead.model_validate(following) if following else None,
            total_steps=len(steps),
            paused=cooking.paused_at is not None,
        )

    return app


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)

"""Two API processes on one PostgreSQL + Redis behave as one service: shared login limit, an active cooking
session continued across workers, recipe cache invalidated everywhere, /metrics summed across workers."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import select

from chefmentor.cache import RedisCache, create_redis_client
from chefmentor.context import open_context
from chefmentor.recipes.models import Recipe
from chefmentor.recipes.schemas import RecipeCreate
from chefmentor.recipes.service import get_recipe, upsert_recipe
from tests.conftest import TEST_SECRET, redis_cleanup, seed_fixture_recipes
from tests.fakes.google_certs import serve_google_certs
from tests.scaleout.workers import api_env, api_processes

pytestmark = [pytest.mark.pg, pytest.mark.redis]
CLIENT_ID = "test-client-id.apps.googleusercontent.com"
METRICS_TOKEN = "metrics-" + "t" * 32


@pytest.fixture
def redis_ns() -> str:
    return f"cmx-scale-{uuid.uuid4().hex[:8]}:"


async def _seed(pg_settings, redis_url: str, ns: str) -> uuid.UUID:
    client = create_redis_client(redis_url, 2.0)
    async with open_context(pg_settings, cache=RedisCache(client, namespace=ns)) as ctx:
        await seed_fixture_recipes(ctx)
        async with ctx.session() as session:
            recipe_id = await session.scalar(select(Recipe.id).where(Recipe.slug == "perfect-stovetop-rice"))
    await client.aclose()
    assert recipe_id is not None
    return recipe_id


async def test_two_workers_share_limits_sessions_and_cache(pg_settings, redis_url, redis_ns, tmp_path) -> None:
    recipe_id = await _seed(pg_settings, redis_url, redis_ns)
    with serve_google_certs() as google:
        env = api_env(
            home=tmp_path,
            database_url=pg_settings.database_url,
            redis_url=redis_url,
            namespace=redis_ns,
            jwt_secret=TEST_SECRET,
            extra={
                "CHEFMENTOR_AUTH__GOOGLE_CERTS_URL": google.certs_url,
                "CHEFMENTOR_AUTH__GOOGLE_CLIENT_IDS": f'["{CLIENT_ID}"]',
            },
        )
        async with redis_cleanup(redis_url, redis_ns):
            with api_processes(env, count=2) as (first, second):
                async with httpx.AsyncClient(timeout=20) as http:
                    # 1. The login limit (5 per 15 minutes per client) is one counter in Redis, not one per worker.
                    statuses = []
                    for attempt in range(6):
                        url = (first, second)[attempt % 2]
                        token = google.mint(aud=CLIENT_ID, email=f"cook{attempt}@example.com")
                        response = await http.post(f"{url}/api/auth/google", json={"idToken": token})
                        statuses.append(response.status_code)
                    assert statuses == [200, 200, 200, 200, 200, 429], statuses
                    assert int(response.headers["retry-after"]) > 0

                    # 2. A session started on one worker is continued on the other (state in PostgreSQL + Redis).
                    demo = (await http.post(f"{first}/api/demo/start")).json()
                    auth = {"Authorization": f"Bearer {demo['accessToken']}"}
                    started = await http.post(
                        f"{first}/api/cooking/start", json={"recipeId": str(recipe_id)}, headers=auth
                    )
                    assert started.status_code == 201, started.text
                    session_id = started.json()["id"]
                    assert started.json()["currentStep"] == 1
                    moved = await http.post(f"{second}/api/cooking/sessions/{session_id}/next", headers=auth)
                    assert moved.status_code == 200, moved.text
                    on_first = await http.get(f"{first}/api/cooking/sessions/{session_id}", headers=auth)
                    assert on_first.json()["currentStep"] == 2, "worker 1 must see worker 2's step change"
                    await http.post(f"{first}/api/cooking/sessions/{session_id}/next", headers=auth)
                    on_second = await http.get(f"{second}/api/cooking/sessions/{session_id}", headers=auth)
                    assert on_second.json()["currentStep"] == 3

                    # 3. Both workers cache the recipe; a change (here through the service, as `recipes import`
                    #    would do from another process) invalidates it for every worker.
                    for url in (first, second):
                        assert (await http.get(f"{url}/api/recipes/{recipe_id}")).json()[
                            "name"
                        ] == "Perfect Stovetop Rice"
                    client = create_redis_client(redis_url, 2.0)
                    async with open_context(pg_settings, cache=RedisCache(client, namespace=redis_ns)) as ctx:
                        async with ctx.session() as session:
                            current = await get_recipe(session, recipe_id, cache=ctx.cache)
                            changed = RecipeCreate.model_validate(
                                {
                                    **current.model_dump(include=set(RecipeCreate.model_fields)),
                                    "name": "Perfect Stovetop Rice",
                                }
                            )
                            changed.description = "Updated while two workers were serving it."
                            _, outcome = await upsert_recipe(session, changed, cache=ctx.cache)
                    await client.aclose()
                    assert outcome == "updated"
                    for url in (first, second):
                        body = (await http.get(f"{url}/api/recipes/{recipe_id}")).json()
                        assert body["description"] == "Updated while two workers were serving it.", url


async def test_serve_with_two_workers_sums_metrics(pg_settings, redis_url, redis_ns, tmp_path) -> None:
    env = api_env(
        home=tmp_path,
        database_url=pg_settings.database_url,
        redis_url=redis_url,
        namespace=redis_ns,
        jwt_secret=TEST_SECRET,
        extra={
            "CHEFMENTOR_SERVER__RATE_LIMIT_DEFAULT": "10000/minute",
            # /metrics on the API port needs the metrics token (server/security_metrics.py).
            "CHEFMENTOR_OBSERVABILITY__METRICS_TOKEN": METRICS_TOKEN,
            "CHEFMENTOR_OBSERVABILITY__METRICS_PORT": "0",
        },
    )
    async with redis_cleanup(redis_url, redis_ns):
        with api_processes(env, count=1, workers=2) as (url,):
            async with httpx.AsyncClient(timeout=20) as http:
                for _ in range(40):
                    assert (await http.get(f"{url}/api/recipes")).status_code == 200
                auth = {"Authorization": f"Bearer {METRICS_TOKEN}"}
                metrics = (await http.get(f"{url}/metrics", headers=auth)).text
    line = next(
        row
        for row in metrics.splitlines()
        if row.startswith("chefmentor_http_requests_total{") and 'route="/api/recipes"' in row and 'status="200"' in row
    )
    assert float(line.rsplit(" ", 1)[1]) == 40.0, "every worker's requests are counted once"
    assert (tmp_path / "prometheus-multiproc").is_dir()

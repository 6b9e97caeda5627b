"""Property-based conformance run (schemathesis) against the ASGI app: no 5xx, responses match the schema.

Small `max_examples` keeps it well under a minute on two cores; `make test` runs it with the rest.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from chefmentor.config import Settings
from chefmentor.context import AppContext, open_context
from server.app import create_app
from tests.conftest import _truncate_all, make_settings, seed_fixture_recipes
from tests.server.conftest import with_overrides
from tests.services_guard import service_missing

EXPECTED_REJECTIONS = [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429]
CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {"negative_data_rejection": {"expected-statuses": EXPECTED_REJECTIONS}},
        "generation": {"max-examples": 25},
    }
)


@asynccontextmanager
async def seeded_context(settings: Settings) -> AsyncIterator[AppContext]:
    async with open_context(settings) as ctx:
        await seed_fixture_recipes(ctx)
        yield ctx


@pytest.fixture(scope="module", params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def fuzz_app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path):
    """The app on SQLite, and on PostgreSQL (which rejects NUL bytes in text: those must be 422, not 500)."""
    home = tmp_path_factory.mktemp("fuzz")
    if request.param == "pg":
        url = request.getfixturevalue("pg_database")
        if url is None or url.startswith("unavailable"):
            service_missing("PostgreSQL", str(url))
        request.addfinalizer(lambda: asyncio.run(_truncate_all(url, home)))
    else:
        shutil.copyfile(sqlite_template, home / "chefmentor.db")
        url = f"sqlite+aiosqlite:///{home / 'chefmentor.db'}"
    # Generous limits: the fuzzer must see the handlers, not the limiter (429s are covered elsewhere).
    fuzz_settings = with_overrides(
        make_settings(home, url), server={"rate_limit_auth": "100000/minute", "rate_limit_default": "100000/minute"}
    )
    return create_app(fuzz_settings, context_factory=seeded_context)


@pytest.fixture(scope="module")
def api_schema(fuzz_app):
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_app, config=CONFIG)


@pytest.fixture(scope="module")
def demo_headers(fuzz_app, api_schema) -> dict[str, str]:
    from schemathesis.python.asgi import get_client

    with get_client(fuzz_app) as client:
        token = client.post("/api/demo/start").json()["accessToken"]
    return {"Authorization": f"Bearer {token}"}


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, demo_headers) -> None:
    # Authenticated as a demo actor, unless the case sets its own Authorization or deliberately breaks headers.
    own = bool(case.headers) and "Authorization" in case.headers
    case.call_and_validate(headers={} if own or _headers_negated(case) else demo_headers)


def _headers_negated(case) -> bool:
    meta = case.meta
    if meta is None:
        return False
    return any(
        "header" in str(getattr(location, "value", location)).lower() and info.mode.is_negative
        for location, info in meta.components.items()
    )

"""Property-based conformance runs (schemathesis) against the ASGI app: no 5xx, responses match the schema, valid
requests accepted and invalid ones refused.

Two phases: every operation on its own (examples, coverage, fuzzing), then the stateful phase, which follows the
document's OpenAPI links (server/openapi_links.py) from a recipe into cooking sessions, step events, timers and
uploads' analyses. Small example counts keep both well under a few minutes on two cores.
"""

from __future__ import annotations

import asyncio
import shutil
from collections import Counter
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
from tests.server.conftest import CLIENT_ID, with_overrides
from tests.services_guard import service_missing

STATEFUL_SCENARIOS = 80
SHORTEST_RECIPE = 3
# Flows of a cook: recipes → sessions → events, timers, navigation → the dish's photo → its analysis and notes.
STATEFUL_OPERATIONS = r"^(recipes_list|recipes_get|cooking_|failure_analyze|failure_analysis_get|failure_note_)"
PHOTO = Path(__file__).resolve().parents[2] / "fixtures" / "eval" / "media" / "golden_pancake.jpg"
# Valid requests only; negative_data_rejection has nothing to judge then (schemathesis 4.32 still flagged a
# linked multipart upload it had generated as valid, "Invalid component: positive test case").
STATEFUL_CONFIG = schemathesis.Config.from_dict(
    {"generation": {"mode": "positive"}, "checks": {"negative_data_rejection": {"enabled": False}}}
)
SESSION_VERBS = ("complete", "abandon", "next", "previous", "goto", "pause", "resume", "timers")
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
    google = request.getfixturevalue("_google_server")  # the loopback certs server: sign-in answers 401, not 503
    fuzz_settings = with_overrides(
        make_settings(home, url),
        server={
            "rate_limit_auth": "100000/minute",
            "rate_limit_default": "100000/minute",
            "rate_limit_analyze": "100000/minute",
            "rate_limit_demo_start": "100000/minute",
            "rate_limit_expensive_ip": "100000/minute",
        },
        auth={"google_certs_url": google.certs_url, "google_client_ids": [CLIENT_ID]},
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


@pytest.mark.slow
def test_stateful_flows_follow_the_links(fuzz_app) -> None:
    """Scenarios chain operations through the links: list → recipe → cooking session → events, timers, navigation,
    completion → upload → analysis → notes, each response checked like the single-operation phase."""
    from schemathesis.generation.stateful import run_state_machine_as_test
    from schemathesis.python.asgi import get_client

    # Valid requests only: this phase is about flows; invalid input is the single-operation phase's job.
    stateful = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app, config=STATEFUL_CONFIG).include(
        operation_id_regex=STATEFUL_OPERATIONS
    )

    @stateful.hook
    def map_query(ctx, query):
        # Flows start from the whole recipe list: a random name filter matches nothing, leaving no id to follow.
        if query and ctx.operation.label == "GET /api/recipes":
            return {key: value for key, value in query.items() if key in ("limit", "offset")}
        return query

    @stateful.hook
    def map_body(ctx, body):
        # What no schema can say: a step must exist in this session's recipe (the fixtures have at least
        # SHORTEST_RECIPE steps), and event and start times must fall within the session's life and the last week
        # (left to the server).
        if isinstance(body, dict):
            body = {key: value for key, value in body.items() if key not in ("at", "startedAt")}
            step = body.get("stepNumber")
            if isinstance(step, int | float) and not isinstance(step, bool) and step == int(step):
                body["stepNumber"] = 1 + (int(step) - 1) % SHORTEST_RECIPE
        return body

    machine = stateful.as_state_machine()
    answered: Counter[tuple[str, int]] = Counter()

    class DemoCook(machine):  # type: ignore[misc, valid-type]
        def setup(self) -> None:
            # One demo actor per scenario: its own sessions, under the 20-in-progress cap.
            with get_client(fuzz_app) as client:
                token = client.post("/api/demo/start").json()["accessToken"]
            self.headers = {"Authorization": f"Bearer {token}"}

        def get_call_kwargs(self, case):
            return {"headers": self.headers}  # the scenario's token over any generated one

        def before_call(self, case) -> None:
            if case.operation.label == "POST /api/failure/analyze" and isinstance(case.body, dict):
                case.body["file"] = PHOTO.read_bytes()  # a real photo: no schema says "a decodable JPEG"

        def after_call(self, response, case) -> None:
            super().after_call(response, case)
            answered[(case.operation.label, response.status_code)] += 1

    run_state_machine_as_test(
        DemoCook,
        settings=settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=10,
            deadline=None,
            database=None,
            # Reproducible: the same scenarios on every run, so a CI failure is a regression, never bad luck.
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        ),
    )
    reached = {label for (label, status), _ in answered.items() if 200 <= status < 300}
    # The links carried real ids forward: sessions were started and then used by the operations they link to.
    assert {"POST /api/cooking/start", "POST /api/cooking/step-event"} <= reached, "\n".join(
        map(str, sorted(answered.items()))
    )
    assert len(reached & {f"POST /api/cooking/sessions/{{session_id}}/{verb}" for verb in SESSION_VERBS}) >= 3
    assert "POST /api/failure/analyze" in reached

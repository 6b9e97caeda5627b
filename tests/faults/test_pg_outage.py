"""PostgreSQL stopped (-m fast), crashed (-m immediate), restarted (pg_ctl restart -m fast), or every pooled
connection killed (pg_terminate_backend), under load on `chefmentor serve --workers 2`.

Clients keep sending step events; one that gets a 503 (or no answer) retries the same eventId after a
short wait, as a real client would. During the outage the API answers 503 envelopes with Retry-After
(never a 500), /health reports the database down; after PostgreSQL is back every client is served again
within seconds without restarting anything, and every acknowledged eventId is stored exactly once.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import httpx
import pytest

from tests.faults.harness import auth, demo_token, is_error_envelope, recipe_with_most_steps, start_session

pytestmark = [pytest.mark.slow, pytest.mark.faults]

CLIENTS = 6
PAUSE_BETWEEN_REQUESTS = 0.05
LOAD_BEFORE_SECONDS = 2.0
OUTAGE_SECONDS = 2.0
RECOVERY_LIMIT_SECONDS = 10.0


@dataclass
class Outcome:
    statuses: Counter[int] = field(default_factory=Counter)
    bad: list[str] = field(default_factory=list)  # 5xx other than 503, 503 without envelope/Retry-After
    transport_errors: Counter[str] = field(default_factory=Counter)
    acked: dict[str, str] = field(default_factory=dict)
    last_ok: dict[int, float] = field(default_factory=dict)
    outage_503: int = 0


async def _client(
    http: httpx.AsyncClient,
    index: int,
    token: str,
    session_id: str,
    outcome: Outcome,
    stop: asyncio.Event,
    outage: asyncio.Event,
) -> None:
    event_id = uuid.uuid4().hex
    while not stop.is_set():
        body = {"sessionId": session_id, "stepNumber": 1, "event": "note", "eventId": event_id, "data": {"i": index}}
        try:
            response = await http.post("/api/cooking/step-event", json=body, headers=auth(token))
        except httpx.HTTPError as exc:
            outcome.transport_errors[type(exc).__name__] += 1
            await asyncio.sleep(0.2)
            continue
        outcome.statuses[response.status_code] += 1
        if response.is_success:
            outcome.acked[event_id] = response.json()["event"]["id"]
            outcome.last_ok[index] = time.monotonic()
            event_id = uuid.uuid4().hex
            await asyncio.sleep(PAUSE_BETWEEN_REQUESTS)
            continue
        retry_after = response.headers.get("retry-after", "")
        if response.status_code == 503 and is_error_envelope(response) and retry_after.isdigit():
            outcome.outage_503 += outage.is_set()
        else:
            outcome.bad.append(f"{response.status_code} retry-after={retry_after!r} {response.text[:200]}")
        await asyncio.sleep(min(0.5, float(retry_after) if retry_after.isdigit() else 0.5))


async def _terminate_backends(fault_env) -> None:
    """An administrator (or a failover) kills every pooled connection of the API at once: 57P01."""
    await fault_env.fetch(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
        fault_env.database,
    )


async def _apply(fault_env, mode: str, http: httpx.AsyncClient) -> httpx.Response | None:
    """Inject the fault; for the outages with PostgreSQL down, what /health said in the middle of it."""
    pg = fault_env.pg
    if mode == "restart":
        await asyncio.to_thread(pg.restart, "fast")
        return None
    if mode == "terminate":
        await _terminate_backends(fault_env)
        return None
    await asyncio.to_thread(pg.stop, mode)
    await asyncio.sleep(OUTAGE_SECONDS / 2)
    health = await http.get("/health")
    await asyncio.sleep(OUTAGE_SECONDS / 2)
    await asyncio.to_thread(pg.start)
    return health


@pytest.mark.parametrize(
    "mode", ["fast", "immediate", "restart", "terminate"], ids=["fast-stop", "crash", "restart", "killed-connections"]
)
async def test_postgres_outage_under_load(fault_env, api_server, mode: str) -> None:
    server = api_server(workers=2)
    outcome = Outcome()
    limits = httpx.Limits(max_connections=CLIENTS + 4)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=15, limits=limits) as http:
        recipe = await recipe_with_most_steps(http)
        cooks = []
        for _ in range(CLIENTS):
            token = await demo_token(http)
            cooks.append((token, await start_session(http, token, recipe["id"])))
        stop, outage = asyncio.Event(), asyncio.Event()
        tasks = [
            asyncio.create_task(_client(http, i, token, sid, outcome, stop, outage))
            for i, (token, sid) in enumerate(cooks)
        ]
        try:
            await asyncio.sleep(LOAD_BEFORE_SECONDS)
            assert outcome.acked, f"no event acknowledged before the outage: {outcome}"
            outage.set()
            health = await _apply(fault_env, mode, http)
            back = time.monotonic()
            outage.clear()
            # Full service: every client has been acknowledged again since PostgreSQL came back.
            while time.monotonic() - back < RECOVERY_LIMIT_SECONDS:
                if len([t for t in outcome.last_ok.values() if t > back]) == CLIENTS:
                    break
                await asyncio.sleep(0.1)
            recovered_after = time.monotonic() - back
            await asyncio.sleep(0.5)
        finally:
            stop.set()
            await asyncio.gather(*tasks)

    if health is not None:  # PostgreSQL was down for 2 s: /health said so, and clients saw 503s
        assert health.status_code == 503 and health.json().get("db") == "down", health.text
        assert outcome.outage_503 > 0, f"no 503 during the outage: {outcome.statuses}"
    assert not outcome.bad, f"{len(outcome.bad)} answers were neither 2xx nor a 503 envelope: {outcome.bad[:5]}"
    assert outcome.statuses[500] == 0
    assert not outcome.transport_errors, f"requests without an answer: {outcome.transport_errors}"
    assert recovered_after < RECOVERY_LIMIT_SECONDS, f"not every client served again {recovered_after:.1f} s after"

    rows = await fault_env.fetch(
        "SELECT client_event_id, id::text AS id FROM cooking_step_events WHERE session_id = ANY($1::uuid[])",
        [sid for _, sid in cooks],
    )
    stored: dict[str, list[str]] = {}
    for row in rows:
        stored.setdefault(row["client_event_id"], []).append(row["id"])
    lost = [event_id for event_id in outcome.acked if event_id not in stored]
    assert not lost, f"{len(lost)} of {len(outcome.acked)} acknowledged events lost ({mode}): {lost[:5]}"
    assert all(len(ids) == 1 for ids in stored.values()), "an eventId retried across the outage was stored twice"
    wrong = [e for e, answered in outcome.acked.items() if stored[e][0] != answered]
    assert not wrong, f"answered event ids differ from the stored ones: {wrong[:5]}"

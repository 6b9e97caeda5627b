"""Step events on `chefmentor serve --workers 2` over PostgreSQL + Redis: every acknowledged eventId is stored.

A burst of concurrent events, then, once the pool sat idle for more than 5 s, a slow trickle (one event
every 1-3 s per client): the pattern that lost acknowledged events when an idle-connection ping left a
transaction open. A 409 (a concurrent change to the same session won) is retried with the same eventId.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections import Counter
from typing import Any

import httpx
import pytest

from tests.faults.checks import stored_event_ids
from tests.faults.harness import auth, demo_token, recipe_with_most_steps, start_session

pytestmark = [pytest.mark.slow, pytest.mark.faults]

CLIENTS = 8
BURST_PER_CLIENT = 25
TRICKLE_PER_CLIENT = 5
IDLE_SECONDS = 6.0
RETRIES_ON_CONFLICT = 5


def _event(session_id: str, step: int, kind: str, event_id: str) -> dict[str, Any]:
    body: dict[str, Any] = {"sessionId": session_id, "stepNumber": step, "event": kind, "eventId": event_id}
    if kind == "note":
        body["data"] = {"text": f"note {event_id[:6]}"}
    return body


class Ledger:
    """What the API acknowledged: eventId → the stored event id it answered with."""

    def __init__(self) -> None:
        self.acked: dict[str, str] = {}
        self.statuses: Counter[int] = Counter()
        self.failures: list[str] = []

    async def send(self, http: httpx.AsyncClient, token: str, body: dict[str, Any]) -> None:
        """Send one event; a 409 (a concurrent change won) is retried with the same eventId, as a client would."""
        for attempt in range(RETRIES_ON_CONFLICT + 1):
            try:
                response = await http.post("/api/cooking/step-event", json=body, headers=auth(token))
            except httpx.HTTPError as exc:
                self.failures.append(f"{body['eventId']}: {type(exc).__name__}")
                return
            self.statuses[response.status_code] += 1
            if response.status_code != 409 or attempt == RETRIES_ON_CONFLICT:
                break
            await asyncio.sleep(0.05 * (attempt + 1))
        if response.is_success:
            self.acked[body["eventId"]] = response.json()["event"]["id"]
        else:
            self.failures.append(f"{body['eventId']}: {response.status_code} {response.text[:200]}")


def _check_acknowledged(ledger: Ledger, stored: dict[str, list[str]]) -> None:
    lost = sorted(event_id for event_id in ledger.acked if event_id not in stored)
    assert not lost, (
        f"{len(lost)} of {len(ledger.acked)} acknowledged events are not in cooking_step_events: {lost[:5]}"
    )
    doubled = {event_id: ids for event_id, ids in stored.items() if len(ids) > 1}
    assert not doubled, f"eventIds stored more than once: {list(doubled.items())[:3]}"
    wrong = {e: (ledger.acked[e], stored[e][0]) for e in ledger.acked if ledger.acked[e] != stored[e][0]}
    assert not wrong, f"answered event ids differ from the stored ones: {list(wrong.items())[:3]}"


async def test_burst_then_slow_trickle_loses_no_acknowledged_event(fault_env, api_server) -> None:
    server = api_server(workers=2)
    rng = random.Random(16)
    ledger = Ledger()
    async with httpx.AsyncClient(base_url=server.base_url, timeout=15) as http:
        recipe = await recipe_with_most_steps(http)
        steps = len(recipe["steps"])
        cooks = []
        for _ in range(CLIENTS):
            token = await demo_token(http)
            cooks.append((token, await start_session(http, token, recipe["id"])))

        def body_for(session_id: str) -> dict[str, Any]:
            # Notes insert a row only; "started" also moves the session's current step (an UPDATE).
            kind = rng.choice(["note", "note", "started"])
            return _event(session_id, rng.randint(1, steps), kind, uuid.uuid4().hex)

        limit = asyncio.Semaphore(32)

        async def burst_one(token: str, session_id: str) -> None:
            async with limit:
                await ledger.send(http, token, body_for(session_id))

        await asyncio.gather(*(burst_one(t, s) for t, s in cooks for _ in range(BURST_PER_CLIENT)))
        burst_acked = len(ledger.acked)
        await asyncio.sleep(IDLE_SECONDS)  # every pooled connection now idle for longer than 5 s

        async def trickle(token: str, session_id: str) -> None:
            for _ in range(TRICKLE_PER_CLIENT):
                await asyncio.sleep(rng.uniform(1.0, 3.0))
                await ledger.send(http, token, body_for(session_id))

        await asyncio.gather(*(trickle(t, s) for t, s in cooks))

    total = CLIENTS * (BURST_PER_CLIENT + TRICKLE_PER_CLIENT)
    _check_acknowledged(ledger, await stored_event_ids(fault_env, [s for _, s in cooks]))
    assert not ledger.failures, f"{len(ledger.failures)} of {total} events not acknowledged: {ledger.failures[:5]}"
    assert burst_acked == CLIENTS * BURST_PER_CLIENT and len(ledger.acked) == total, dict(ledger.statuses)

"""bench/http_load.py's open-loop driver: requests leave on schedule, and a stall shows up as latency."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from http_load import build_request, drive_rate  # noqa: E402 - bench/ is a scripts folder, not a package

RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


async def _serve(stall_on: int | None) -> tuple[asyncio.Server, int, list[int]]:
    seen: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while await reader.readuntil(b"\r\n\r\n"):
                seen.append(len(seen))
                if stall_on is not None and len(seen) == stall_on:
                    await asyncio.sleep(0.2)
                writer.write(RESPONSE)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1], seen


async def test_every_scheduled_request_is_sent_and_measured() -> None:
    server, port, seen = await _serve(stall_on=None)
    async with server:
        result = await drive_rate(
            "x", port, [build_request("GET", "/", port=port)] * 4, rate=200, seconds=1, warmup=0.2
        )
    # Counts follow the schedule, not the server: 0.2 s of warm-up and 1 s measured at 200/s.
    assert result.requests == 200 and result.errors == 0 and len(result.latencies) == 200
    assert len(seen) == 240


async def test_a_stall_counts_as_latency_for_every_request_that_waited() -> None:
    """One connection, a 200 ms stall: the ~40 requests due meanwhile must each show their wait."""
    server, port, _ = await _serve(stall_on=50)
    async with server:
        result = await drive_rate("x", port, [build_request("GET", "/", port=port)], rate=200, seconds=1, warmup=0.1)
    waited = [latency for latency in result.latencies if latency > 0.05]
    assert len(waited) >= 20, "a closed-loop client would record one slow request, not the queue behind it"
    assert result.percentile(0.99) >= 150


def test_the_goal_rate_p99_is_the_median_round_and_the_worst_round_is_kept() -> None:
    from api_report import summarize  # noqa: PLC0415 - bench/ modules, importable once the path is set
    from http_load import Result

    def run(latencies_ms: list[float], cpu: float = 0.5) -> Result:
        result = Result("x", requests=len(latencies_ms), seconds=1.0, cpu_seconds=cpu)
        result.latencies = [value / 1000 for value in latencies_ms]
        return result

    quiet = [1.0] * 99 + [5.0]
    stalled = [1.0] * 50 + [300.0] * 50  # one machine stall lands in one round
    closed = [run([1.0] * 100)]
    row = summarize("x", closed, closed, run([1.0]), [run(quiet), run(stalled), run(quiet)], 10.0, [run(quiet)])
    assert row["p99MsAtGoalRate"] == 5.0
    assert row["p99MsAtGoalRateWorstRound"] == 300.0
    assert row["p99MsAtGoalRateRounds"] == [5.0, 300.0, 5.0]
    assert row["busyAtGoalRate"] == 0.5

"""bench/api.py's summary rows and table: ratios and CPU from closed-loop rounds, latency at the goal rate.

Every figure that decides a goal is a median over rounds that alternate with the bare app: on these shared
two-core VMs one stall of the machine (a few hundred ms, seen in the bare app's rounds too) lands in one
round and, pooled, would set the p99 of all of them. The worst round's p99 is printed beside the median.
"""

from __future__ import annotations

import argparse
import os
import statistics
from typing import Any

from http_load import Result


def goal_ratio(name: str) -> float:
    return 0.25 if "(cached)" in name else 0.10


def _pool(name: str, runs: list[Result]) -> Result:
    pooled = Result(name, latencies=[value for run in runs for value in run.latencies])
    pooled.requests = sum(run.requests for run in runs)
    pooled.seconds = sum(run.seconds for run in runs)
    pooled.cpu_seconds = sum(run.cpu_seconds for run in runs)
    pooled.errors = sum(run.errors for run in runs)
    return pooled


def _p99s(runs: list[Result]) -> list[float]:
    return [run.percentile(0.99) for run in runs if run.latencies]


def summarize(
    name: str,
    bare_runs: list[Result],
    target_runs: list[Result],
    single: Result,
    paced_runs: list[Result],
    rate: float,
    bare_paced_runs: list[Result],
) -> dict[str, Any]:
    ratios = [t.rps / b.rps for b, t in zip(bare_runs, target_runs, strict=True) if b.rps]
    bare_cpu = statistics.median(run.cpu_us_per_request for run in bare_runs)
    target_cpu = statistics.median(run.cpu_us_per_request for run in target_runs)
    pooled = _pool(name, target_runs)
    paced = _pool(name, paced_runs)
    paced_p99s = _p99s(paced_runs) or [float("nan")]
    return {
        "name": name,
        "bareRps": round(statistics.median(run.rps for run in bare_runs), 1),
        "rps": round(statistics.median(run.rps for run in target_runs), 1),
        "ratio": round(statistics.median(ratios), 4) if ratios else None,
        "bareCpuUs": round(bare_cpu, 1),
        "cpuUs": round(target_cpu, 1),
        "cpuRatio": round(bare_cpu / target_cpu, 4) if target_cpu else None,
        "p50Ms": round(pooled.percentile(0.5), 2),
        "p99Ms": round(pooled.percentile(0.99), 2),
        "p50Ms1Conn": round(single.percentile(0.5), 2),
        "p99Ms1Conn": round(single.percentile(0.99), 2),
        "cpuUs1Conn": round(single.cpu_us_per_request, 1),
        "goalRate": round(rate, 1),
        "goalRateServed": round(paced.rps, 1),
        "p50MsAtGoalRate": round(paced.percentile(0.5), 2),
        "p99MsAtGoalRate": round(statistics.median(paced_p99s), 2),
        "p99MsAtGoalRateRounds": [round(value, 2) for value in paced_p99s],
        "p99MsAtGoalRateWorstRound": round(max(paced_p99s), 2),
        "cpuUsAtGoalRate": round(paced.cpu_us_per_request, 1),
        # Share of one core the server used at the goal rate: above ~0.8, queueing sets the p99.
        "busyAtGoalRate": round(paced.cpu_seconds / paced.seconds, 3) if paced.seconds else None,
        "bareP99MsAtGoalRate": round(statistics.median(_p99s(bare_paced_runs) or [float("nan")]), 2),
        "errors": sum(run.errors for run in target_runs) + single.errors + paced.errors,
    }


def summarize_peer(target_runs: list[Result], peer_runs: list[Result], peer_paced_runs: list[Result]) -> dict[str, Any]:
    """The textbook peer beside the target: round-by-round req/s ratio, its CPU and its p99 at the same rate."""
    ratios = [t.rps / p.rps for t, p in zip(target_runs, peer_runs, strict=True) if p.rps]
    paced = _pool("peer", peer_paced_runs)
    p99s = _p99s(peer_paced_runs) or [float("nan")]
    return {
        "peerRps": round(statistics.median(run.rps for run in peer_runs), 1),
        "peerRatio": round(statistics.median(ratios), 4) if ratios else None,
        "peerCpuUs": round(statistics.median(run.cpu_us_per_request for run in peer_runs), 1),
        "peerP99Ms": round(_pool("peer", peer_runs).percentile(0.99), 2),
        "peerGoalRateServed": round(paced.rps, 1),
        "peerP99MsAtGoalRate": round(statistics.median(p99s), 2),
        "peerErrors": sum(run.errors for run in peer_runs) + paced.errors,
    }


LEGEND = (
    "× bare: req/s ratio (median of alternating rounds). cpu µs: server-process CPU per request "
    "(bare ASGI: {bare_cpu:.0f} µs); × cpu = bare cpu / target cpu, the req/s ratio on an idle machine "
    "when the server is CPU-bound (PostgreSQL's own CPU not included). Latencies in ms; p50@1/p99@1 with "
    "one connection (no queueing). @goal: open-loop arrival rate (req/s) at the goal ratio of the bare app "
    "(or --rate); "
    "cpu@g: server CPU µs per request at that rate (requests spaced out cost more than back to back: "
    "each one wakes an idle loop); busy: the share of one core the server used at that rate (above ~0.8 "
    "queueing sets the p99); p99@g: p99 latency at that rate, counted from each request's due time, the "
    "median of {paced} rounds alternating with the bare app driven at the same rate (worst: the worst "
    "round's p99; bare: the bare app's median round p99 at that rate; a stall of the machine shows in both). "
    "Peer table: bench/peer_app.py (the FastAPI full-stack template's style) on the same database; × peer: "
    "target req/s / peer req/s (median of alternating rounds); peer p99@g: the peer at the same open-loop "
    "rate (median of its rounds); peer served: the req/s it kept up with."
)


def report(rows: list[dict[str, Any]], args: argparse.Namespace) -> dict[str, Any]:
    goals = {"(cached)": "≥0.25×, p99<20ms", "(uncached)": "p99<20ms", "step-event": "p99<20ms"}
    print(
        f"\nAPI benchmark · {args.db} · {args.connections} connections · {args.rounds}×{args.seconds:.0f} s "
        f"alternating with the bare ASGI app · access log {'on' if args.access_log else 'off'}"
        f" · {'Redis' if args.redis else 'in-memory'} cache and limits"
    )
    header = (
        f"{'target':<34}{'bare r/s':>9}{'r/s':>7}{'× bare':>7}{'cpu µs':>8}{'× cpu':>7}"
        f"{'p50':>6}{'p99':>7}{'p50@1':>6}{'p99@1':>6}{'@goal':>6}{'cpu@g':>6}{'busy':>5}{'p99@g':>6}"
        f"{'worst':>6}{'bare':>5}{'err':>4}  goal"
    )
    print(header + "\n" + "-" * len(header))
    for row in rows:
        goal = next((text for key, text in goals.items() if key in row["name"]), "")
        print(
            f"{row['name']:<34}{row['bareRps']:>9.0f}{row['rps']:>7.0f}{row['ratio']:>7.3f}{row['cpuUs']:>8.0f}"
            f"{row['cpuRatio']:>7.3f}{row['p50Ms']:>6.1f}{row['p99Ms']:>7.1f}{row['p50Ms1Conn']:>6.1f}"
            f"{row['p99Ms1Conn']:>6.1f}{row['goalRate']:>6.0f}{row['cpuUsAtGoalRate']:>6.0f}"
            f"{row['busyAtGoalRate'] or 0:>5.2f}{row['p99MsAtGoalRate']:>6.1f}"
            f"{row['p99MsAtGoalRateWorstRound']:>6.0f}{row['bareP99MsAtGoalRate']:>5.1f}{row['errors']:>4}  {goal}"
        )
    _peer_table([row for row in rows if "peerRps" in row])
    bare_cpu = statistics.median(row["bareCpuUs"] for row in rows) if rows else float("nan")
    print(LEGEND.format(bare_cpu=bare_cpu, paced=args.paced_rounds))
    load = os.getloadavg()
    print(f"machine load (1/5/15 min) at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
    return {
        "db": args.db,
        "redis": bool(args.redis),
        "connections": args.connections,
        "loadAverage": [round(value, 2) for value in load],
        "results": rows,
    }


def _peer_table(rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    header = (
        f"\n{'target vs textbook peer':<34}{'r/s':>7}{'peer r/s':>9}{'× peer':>7}{'cpu µs':>8}{'peer µs':>8}"
        f"{'@goal':>6}{'p99@g':>6}{'peer p99@g':>11}{'peer served':>12}{'err':>4}  goal"
    )
    print(header + "\n" + "-" * (len(header) - 1))
    for row in rows:
        goal = "≥3× peer" if "(cached)" not in row["name"] else ""
        print(
            f"{row['name']:<34}{row['rps']:>7.0f}{row['peerRps']:>9.0f}{row['peerRatio'] or 0:>7.2f}"
            f"{row['cpuUs']:>8.0f}{row['peerCpuUs']:>8.0f}{row['goalRate']:>6.0f}{row['p99MsAtGoalRate']:>6.1f}"
            f"{row['peerP99MsAtGoalRate']:>11.1f}{row['peerGoalRateServed']:>12.0f}{row['peerErrors']:>4}  {goal}"
        )

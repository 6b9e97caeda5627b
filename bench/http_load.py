"""A raw HTTP/1.1 keep-alive load client over asyncio streams (cheaper than any HTTP library), used by api.py."""

from __future__ import annotations

import asyncio
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Result:
    name: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    cpu_seconds: float = 0.0

    @property
    def cpu_us_per_request(self) -> float:
        return self.cpu_seconds / self.requests * 1e6 if self.requests else float("nan")

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def build_request(method: str, path: str, *, port: int, token: str | None = None, body: bytes | None = None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: keep-alive"]
    if token:
        lines.append(f"Authorization: Bearer {token}")
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")


async def exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> tuple[int, bytes]:
    """Send one raw request on a keep-alive connection; the response's status and body."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
            break
    body = await reader.readexactly(length) if length else b""
    return status, body


def process_cpu_seconds(pid: int) -> float:
    """utime + stime of a process (all its threads) from /proc: robust to other load on a shared machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def drive(
    name: str, port: int, requests: list[bytes], *, seconds: float, warmup: float, pid: int | None = None
) -> Result:
    """Each connection sends its own request (requests[i % len]) back to back until the deadline."""
    result = Result(name)
    cpu_start = 0.0
    connections = len(requests)
    streams = [await asyncio.open_connection("127.0.0.1", port) for _ in range(connections)]
    start = time.perf_counter()
    measure_from = start + warmup
    deadline = measure_from + seconds

    async def worker(index: int) -> None:
        reader, writer = streams[index]
        request = requests[index]
        while True:
            sent = time.perf_counter()
            if sent >= deadline:
                return
            if sent >= measure_from and pid is not None and not cpu_marked:
                mark_cpu()
            status, _ = await exchange(reader, writer, request)
            done = time.perf_counter()
            if sent >= measure_from:
                result.requests += 1
                result.latencies.append(done - sent)
                if status >= 400:
                    result.errors += 1

    cpu_marked = False

    def mark_cpu() -> None:
        nonlocal cpu_marked, cpu_start
        cpu_marked = True
        cpu_start = process_cpu_seconds(pid) if pid is not None else 0.0

    await asyncio.gather(*(worker(i) for i in range(connections)))
    if pid is not None and cpu_marked:
        result.cpu_seconds = process_cpu_seconds(pid) - cpu_start
    result.seconds = seconds
    for _, writer in streams:
        writer.close()
    return result


async def drive_rate(
    name: str, port: int, requests: list[bytes], *, rate: float, seconds: float, warmup: float, pid: int | None = None
) -> Result:
    """Open loop (as wrk2): request i is due at start + i/rate, whatever earlier answers did.

    Latency counts from the due time, so a server that falls behind shows it as latency rather than as
    fewer samples (no coordinated omission). Up to len(requests) requests are in flight at once.
    """
    result = Result(name)
    streams = [await asyncio.open_connection("127.0.0.1", port) for _ in requests]
    free: asyncio.Queue[int] = asyncio.Queue()
    for index in range(len(streams)):
        free.put_nowait(index)
    start = time.perf_counter() + 0.05
    measure_from = start + warmup
    total = int(rate * (warmup + seconds))
    pending: set[asyncio.Task[None]] = set()

    async def one(index: int, due: float) -> None:
        reader, writer = streams[index]
        try:
            status, _ = await exchange(reader, writer, requests[index])
        except (OSError, asyncio.IncompleteReadError):
            # The server closed the connection (e.g. its keep-alive timeout met a stall of this machine):
            # counted as an error, and the slot gets a fresh connection instead of vanishing.
            status = 599
            writer.close()
            streams[index] = await asyncio.open_connection("127.0.0.1", port)
        done = time.perf_counter()
        free.put_nowait(index)
        if due >= measure_from:
            result.requests += 1
            result.latencies.append(done - due)
            result.errors += status >= 400

    cpu_start: float | None = None
    for number in range(total):
        due = start + number / rate
        if cpu_start is None and due >= measure_from and pid is not None:
            cpu_start = process_cpu_seconds(pid)
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        index = await free.get()
        task = asyncio.create_task(one(index, due))
        pending.add(task)
        task.add_done_callback(pending.discard)
    await asyncio.gather(*pending)
    if cpu_start is not None and pid is not None:
        result.cpu_seconds = process_cpu_seconds(pid) - cpu_start
    result.seconds = seconds
    for _, writer in streams:
        writer.close()
    return result


async def call(port: int, method: str, path: str, *, token: str | None = None, payload: Any = None) -> Any:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    body = None if payload is None else json.dumps(payload).encode()
    status, data = await exchange(reader, writer, build_request(method, path, port=port, token=token, body=body))
    writer.close()
    if status >= 400:
        raise RuntimeError(f"{method} {path} → {status}: {data[:300]!r}")
    return json.loads(data) if data else None

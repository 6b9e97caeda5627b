"""Prometheus metrics (prometheus-client). With PROMETHEUS_MULTIPROC_DIR set (`chefmentor serve --workers N`
does it), every worker writes its samples to that folder and /metrics aggregates all of them.

The metric objects live at module level, as prometheus-client expects: one set per process.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chefmentor.ai.types import Diagnosis

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
UNMATCHED_ROUTE = "<unmatched>"
# Request latency buckets: the API answers most calls in milliseconds; diagnosis and voice take seconds.
HTTP_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
SLOW_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0)


class _Metrics:
    def __init__(self) -> None:
        from prometheus_client import Counter, Histogram

        self.http_requests = Counter(
            "chefmentor_http_requests_total", "HTTP requests by route template", ["method", "route", "status"]
        )
        self.http_latency = Histogram(
            "chefmentor_http_request_duration_seconds",
            "HTTP request latency by route template",
            ["method", "route"],
            buckets=HTTP_BUCKETS,
        )
        self.diagnosis_latency = Histogram(
            "chefmentor_diagnosis_duration_seconds",
            "Latency of each diagnosis attempt by provider",
            ["provider", "outcome"],
            buckets=SLOW_BUCKETS,
        )
        self.diagnosis_fallbacks = Counter(
            "chefmentor_diagnosis_fallbacks_total",
            "Diagnosis attempts that failed and fell through to the next provider",
            ["provider", "reason"],
        )
        self.diagnoses = Counter("chefmentor_diagnoses_total", "Diagnoses served by provider", ["provider"])
        self.voice_latency = Histogram(
            "chefmentor_voice_duration_seconds",
            "Voice pipeline latency by stage (stt, tts, understand, ask)",
            ["stage"],
            buckets=SLOW_BUCKETS,
        )
        self.job_runs = Counter("chefmentor_job_runs_total", "Background job runs by outcome", ["job", "outcome"])
        self.job_failures = Counter("chefmentor_job_failures_total", "Background job attempts that failed", ["job"])
        self.job_latency = Histogram(
            "chefmentor_job_duration_seconds", "Background job run time", ["job"], buckets=SLOW_BUCKETS
        )


_metrics: _Metrics | None = None


def metrics() -> _Metrics:
    """The process-wide metric objects (created on first use, so the CLI never imports prometheus-client)."""
    global _metrics
    if _metrics is None:
        _metrics = _Metrics()
    return _metrics


_http_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def observe_http(method: str, route: str, status: int, seconds: float) -> None:
    # labels() validates and locks on every call; the children are cached per (method, route, status),
    # a small set since routes are templates and unknown paths share one label.
    key = (method, route, status)
    children = _http_children.get(key)
    if children is None:
        m = metrics()
        children = (m.http_requests.labels(method, route, str(status)), m.http_latency.labels(method, route))
        _http_children[key] = children
    children[0].inc()
    children[1].observe(seconds)


def _reason(error: str | None) -> str:
    # Bounded label values: the error code before any detail ("timeout", "rate_limited: ..." -> "rate_limited").
    if not error:
        return "error"
    head = error.split(":", 1)[0].strip().lower().replace(" ", "_")
    return head[:40] or "error"


def record_diagnosis(diagnosis: Diagnosis) -> None:
    """Per-attempt latency and fallbacks from the chain's attempt log, plus which provider answered."""
    m = metrics()
    for attempt in diagnosis.attempts:
        m.diagnosis_latency.labels(attempt.provider, "ok" if attempt.ok else "error").observe(
            max(0.0, attempt.latency_ms) / 1000
        )
        if not attempt.ok:
            m.diagnosis_fallbacks.labels(attempt.provider, _reason(attempt.error)).inc()
    m.diagnoses.labels(diagnosis.provider).inc()


def observe_voice(stage: str, seconds: float) -> None:
    metrics().voice_latency.labels(stage).observe(seconds)


def observe_job(job: str, outcome: str, seconds: float, failed_attempts: int = 0) -> None:
    m = metrics()
    m.job_runs.labels(job, outcome).inc()
    m.job_latency.labels(job).observe(seconds)
    if failed_attempts:
        m.job_failures.labels(job).inc(failed_attempts)


def multiprocess_dir() -> Path | None:
    value = os.environ.get(MULTIPROC_ENV) or os.environ.get(MULTIPROC_ENV.lower())
    return Path(value) if value else None


def render_latest() -> tuple[bytes, str]:
    """The exposition text: this process's registry, or every worker's samples in multi-process mode."""
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

    metrics()
    if multiprocess_dir() is not None:
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def prepare_multiprocess_dir(path: Path) -> Path:
    """An empty folder for a fresh multi-process run: samples of a previous run must not be summed in."""
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True, mode=0o700)
    return path


def mark_worker_dead(pid: int) -> None:
    """Called when a worker exits (uvicorn supervisor): drop its live gauges (counters are kept)."""
    if multiprocess_dir() is None:
        return
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]


def sample_value(name: str, labels: dict[str, str] | None = None) -> float:
    """One sample of this process's registry (tests and `doctor`)."""
    from prometheus_client import REGISTRY

    metrics()
    value: Any = REGISTRY.get_sample_value(name, labels or {})
    return float(value or 0.0)


def setup_multiprocess_env(home: Path, workers: int) -> Path | None:
    """Before uvicorn forks N workers: a wiped PROMETHEUS_MULTIPROC_DIR they all inherit (None for one worker)."""
    chosen = multiprocess_dir()
    if workers <= 1 and chosen is None:
        return None
    path = prepare_multiprocess_dir(chosen or home / "prometheus-multiproc")
    os.environ[MULTIPROC_ENV] = str(path)
    return path

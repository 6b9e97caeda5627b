"""`chefmentor jobs list|run` and `chefmentor worker` from the command line."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cli.main import app


def _env(monkeypatch, settings) -> None:
    monkeypatch.setenv("CHEFMENTOR_HOME", str(settings.home))
    monkeypatch.setenv("CHEFMENTOR_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CHEFMENTOR_ENV", "test")
    monkeypatch.setenv("CHEFMENTOR_JWT_SECRET", settings.jwt_secret)
    monkeypatch.delenv("CHEFMENTOR_REDIS_URL", raising=False)


def test_list_and_run(monkeypatch, settings) -> None:
    _env(monkeypatch, settings)
    runner = CliRunner()
    listed = runner.invoke(app, ["--json", "jobs", "list"])
    assert listed.exit_code == 0
    names = {job["name"]: job for job in json.loads(listed.stdout)["jobs"]}
    assert set(names) == {
        "preprocess_media",
        "preprocess_pending_media",
        "sweep_orphan_media",
        "cleanup_cache",
        "rotate_audit_logs",
    }
    assert names["rotate_audit_logs"]["schedule"] == "03:17 UTC daily"
    ran = runner.invoke(app, ["--json", "jobs", "run", "rotate_audit_logs", "-p", "retention_days=30"])
    assert ran.exit_code == 0, ran.output
    result = json.loads(ran.stdout)
    assert result["ok"] and result["result"]["exported"] == 0 and result["jobId"].startswith("rotate_audit_logs:")


def test_failures_exit_non_zero(monkeypatch, settings) -> None:
    _env(monkeypatch, settings)
    runner = CliRunner()
    unknown = runner.invoke(app, ["jobs", "run", "nope"])
    assert unknown.exit_code == 4 and "Unknown job" in unknown.output
    bad_param = runner.invoke(app, ["jobs", "run", "cleanup_cache", "-p", "oops"])
    assert bad_param.exit_code == 4 and "KEY=VALUE" in bad_param.output
    failing = runner.invoke(
        app, ["--json", "jobs", "run", "preprocess_media", "-p", "analysis_id=not-a-uuid", "--tries", "1"]
    )
    assert failing.exit_code == 1 and json.loads(failing.stdout)["ok"] is False
    no_redis = runner.invoke(app, ["worker"])
    assert no_redis.exit_code == 3 and "CHEFMENTOR_REDIS_URL" in no_redis.output

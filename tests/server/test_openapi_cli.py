from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app


def test_openapi_export_writes_the_document(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CHEFMENTOR_HOME", str(tmp_path / "home"))
    target = tmp_path / "out" / "openapi.json"
    result = CliRunner().invoke(app, ["--json", "openapi", "export", str(target)])
    assert result.exit_code == 0, result.output
    document = json.loads(target.read_text())
    assert document["openapi"].startswith("3.")
    assert {"/api/auth/google", "/api/recipes", "/health"} <= set(document["paths"])
    assert json.loads(result.stdout)["paths"] == len(document["paths"])
    assert "ErrorEnvelope" in document["components"]["schemas"]

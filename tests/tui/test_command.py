"""`chefmentor tui` is registered, documented, and fails like other commands when it cannot start."""

from __future__ import annotations

from typer.testing import CliRunner

from cli.main import app


def test_tui_command_is_registered_with_demo_option() -> None:
    result = CliRunner().invoke(app, ["tui", "--help"])
    assert result.exit_code == 0
    assert "--demo" in result.output and "Textual" in result.output


def test_tui_rejects_a_broken_env_file_before_starting() -> None:
    result = CliRunner().invoke(app, ["--env-file", "/nonexistent/cmx.env", "tui"])
    assert result.exit_code == 3  # ConfigError, one red line, no full-screen app
    assert "Env file not found" in result.output

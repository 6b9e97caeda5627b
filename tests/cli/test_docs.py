"""The project documents itself: every setting is in docs/configuration.md, the README stands alone."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from chefmentor.config import Settings
from cli.commands.config import reference_markdown
from cli.main import app
from cli.settings_reference import env_lines, field_comments, setting_rows

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def test_every_setting_is_in_the_configuration_reference() -> None:
    reference = (DOCS / "configuration.md").read_text(encoding="utf-8")
    missing = [row.env for row in setting_rows(Settings) if f"`{row.env}`" not in reference]
    assert not missing, f"run `chefmentor config docs -o docs/configuration.md`; missing: {missing}"


def test_every_nested_field_becomes_one_row() -> None:
    rows = {row.env for row in setting_rows(Settings)}
    for section, field in Settings.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
            for inner in annotation.model_fields:
                assert f"CHEFMENTOR_{section.upper()}__{inner.upper()}" in rows
        else:
            assert f"CHEFMENTOR_{section.upper()}" in rows


def test_reference_repeats_the_comment_written_beside_a_setting() -> None:
    class Sample:
        # Why this knob exists,
        # over two lines.
        knob: int = 1
        plain: int = 2  # a trailing note

    comments = field_comments(Sample)
    assert comments == {"knob": "Why this knob exists, over two lines.", "plain": "a trailing note"}


def test_config_docs_command_prints_the_reference(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["config", "docs", "-o", str(tmp_path / "c.md")])
    assert result.exit_code == 0
    assert (tmp_path / "c.md").read_text(encoding="utf-8") == reference_markdown()
    assert "| `GEMINI_API_KEY` | `CHEFMENTOR_AI__GEMINI_API_KEY` |" in reference_markdown()


def test_env_lines_flatten_sections() -> None:
    lines = env_lines({"env": "dev", "server": {"port": 8000, "cors_origins": ["a"]}, "db": {"url": None}})
    assert lines == [
        "CHEFMENTOR_ENV=dev",
        "CHEFMENTOR_SERVER__PORT=8000",
        'CHEFMENTOR_SERVER__CORS_ORIGINS=["a"]',
        "CHEFMENTOR_DB__URL=",
    ]


def test_readme_quick_start_is_two_commands_and_needs_nothing_outside_the_repo() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../shared" not in readme and "shared/ARCHITECTURE" not in readme
    quick = readme.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in quick.strip().splitlines()]
    assert commands == ["make demo", "make test"]


def test_readme_links_the_project_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\((docs/[\w.-]+\.md)", readme))
    for page in ("architecture.md", "configuration.md", "operations.md"):
        assert f"docs/{page}" in linked and (DOCS / page).is_file()
    assert {"docs/voice.md", "docs/recipes.md", "docs/security.md", "docs/api.md"} <= linked


def test_architecture_names_the_one_wiring_point_and_draws_the_layers() -> None:
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    assert "open_context" in text and "```" in text
    for layer in ("cli/", "server/", "AppContext", "service.py"):
        assert layer in text
    for code in range(3, 14):
        assert f"| {code} |" in text

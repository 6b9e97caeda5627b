from __future__ import annotations

from pathlib import Path

import typer

from cli.runner import build_settings, guarded, state_of

app = typer.Typer(help="Show the effective settings, or the reference of every setting.", no_args_is_help=True)

INTRO = """# Configuration reference

Generated from the settings model in `chefmentor/config.py` by `chefmentor config docs > docs/configuration.md`
(a test checks that every setting appears here). Settings come from environment variables with the prefix
`CHEFMENTOR_`, nested sections joined by `__`, and from an env file given with `--env-file`. Lists are JSON:
`CHEFMENTOR_AI__PROVIDERS='["groq","local"]'`. `chefmentor config show` prints the effective values in the
same `NAME=value` form (secrets masked), `chefmentor config show --json` as one JSON document.
"""


@app.command("show")
def show(ctx: typer.Context) -> None:
    """Print the effective settings with every secret masked: NAME=value lines, or JSON with --json."""
    state = state_of(ctx)

    def work() -> None:
        from chefmentor.config import masked_dump
        from cli.output import console, emit_json
        from cli.settings_reference import camel_keys, env_lines

        data = masked_dump(build_settings(state))
        if state.json:
            emit_json(camel_keys(data))
            return
        for line in env_lines(data):
            console.print(line, markup=False, highlight=False, soft_wrap=True)

    guarded(state, work)


@app.command("docs")
def docs(
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the Markdown here instead of stdout."),
) -> None:
    """Print the Markdown reference of every setting (docs/configuration.md is this output)."""
    text = reference_markdown()
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


def reference_markdown() -> str:
    from chefmentor.config import _ALIASES, Settings
    from cli.settings_reference import setting_rows

    out = [INTRO]
    section = None
    for row in setting_rows(Settings):
        if row.section != section:
            section = row.section
            out += ["", f"## `{section}`", "", "| Variable | Type | Default | Meaning |", "|---|---|---|---|"]
        cells = [f"`{row.env}`", row.type, f"`{row.default}`" if row.default else "", row.help]
        out.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    out += ["", "## Shortcuts", "", "These well-known names set the nested setting beside them:", ""]
    out += ["| Variable | Same as |", "|---|---|"]
    for alias, (group, field) in _ALIASES.items():
        out.append(f"| `{alias}` | `CHEFMENTOR_{group.upper()}__{field.upper()}` |")
    return "\n".join(out) + "\n"

"""Every setting as an environment variable: for `config show` (env lines) and the generated reference
(`chefmentor config docs` writes docs/configuration.md), read from the settings model itself."""

from __future__ import annotations

import inspect
import io
import json
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

ENV_PREFIX = "CHEFMENTOR_"
_FIELD_LINE = re.compile(r"^\s+(\w+)\s*:")


@dataclass(frozen=True)
class SettingRow:
    env: str
    type: str
    default: str
    help: str
    section: str


def env_name(section: str | None, field: str) -> str:
    return f"{ENV_PREFIX}{section.upper()}__{field.upper()}" if section else f"{ENV_PREFIX}{field.upper()}"


def env_value(value: Any) -> str:
    """How the value is written in an env file (JSON for lists and objects, empty for unset)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value)
    return str(value)


def env_lines(dump: dict[str, Any]) -> list[str]:
    """`CHEFMENTOR_SERVER__PORT=8000` lines from a settings dump (secrets already masked by the caller)."""
    lines: list[str] = []
    for key, value in dump.items():
        if isinstance(value, dict) and key not in ("extras",):
            lines += [f"{env_name(key, field)}={env_value(inner)}" for field, inner in value.items()]
        else:
            lines.append(f"{env_name(None, key)}={env_value(value)}")
    return lines


def camel_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {_camel(str(key)): camel_keys(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [camel_keys(item) for item in value]
    return value


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def field_comments(model: type) -> dict[str, str]:
    """The `#` comment block written above (or beside) each field in the class source: the *why* of a
    setting lives next to it, and the reference repeats it rather than a second copy drifting away."""
    try:
        source = inspect.getsource(model)
    except (OSError, TypeError):
        return {}
    comments: dict[str, str] = {}
    pending: list[str] = []
    lines = source.splitlines()
    trailing = {tok.start[0]: tok.string for tok in _tokens(source) if tok.type == tokenize.COMMENT}
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("#"):
            pending.append(stripped.lstrip("#").strip())
            continue
        match = _FIELD_LINE.match(line)
        if match and not stripped.startswith(("def ", "@", "model_config")):
            text = " ".join(pending)
            side = trailing.get(number)
            if side and not text and "noqa" not in side:
                text = side.lstrip("#").strip()
            if text:
                comments[match.group(1)] = text
        pending = []
    return comments


def _tokens(source: str) -> list[tokenize.TokenInfo]:
    try:
        return list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return []


def _type_name(annotation: Any) -> str:
    text = getattr(annotation, "__name__", None) if isinstance(annotation, type) else None
    text = text or str(annotation)
    return text.replace("typing.", "").replace("pydantic.types.", "").replace("pathlib.", "")


def _default_text(field: Any) -> str:
    if field.default_factory is not None:
        try:
            value = field.default_factory()
        except TypeError:
            return "(computed)"
    else:
        value = field.default
    if isinstance(value, BaseModel):
        return "(section)"
    text = "" if value is None else env_value(value)
    home = str(Path.home())
    return "~" + text.removeprefix(home) if home != "/" and text.startswith(home) else text


def setting_rows(settings_cls: type[BaseModel]) -> list[SettingRow]:
    """One row per setting, nested sections flattened into `CHEFMENTOR_SECTION__FIELD`."""
    rows: list[SettingRow] = []
    top_comments = field_comments(settings_cls)
    for name, field in settings_cls.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            comments = field_comments(annotation)
            for inner_name, inner in annotation.model_fields.items():
                rows.append(
                    SettingRow(
                        env=env_name(name, inner_name),
                        type=_type_name(inner.annotation),
                        default=_default_text(inner),
                        help=comments.get(inner_name, ""),
                        section=name,
                    )
                )
            continue
        rows.append(
            SettingRow(
                env=env_name(None, name),
                type=_type_name(annotation),
                default=_default_text(field),
                help=top_comments.get(name, ""),
                section="general",
            )
        )
    return rows

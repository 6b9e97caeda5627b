"""Read JSON-LD the way browsers and search engines do, and find every schema.org Recipe in it.

Served JSON-LD is often not strict JSON: raw newlines and tabs inside strings, a CDATA or HTML-comment
wrapper, a trailing `;`, trailing commas, `\\'` escapes. Those are repaired; anything else is an error
that names the line and column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

from chefmentor.errors import ValidationError

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 12

_WRAPPERS = re.compile(r"<!\[CDATA\[|\]\]>|<!--|-->|</?script[^>]*>", re.IGNORECASE)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_UNDEFINED = re.compile(r"([:\[,]\s*)undefined\b")  # JavaScript's value, written by page templates
_HEX_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})")
_BAD_ESCAPE = re.compile(r'\\([^"\\/bfnrtu])')
_LINE_COMMENT = re.compile(r"^\s*//[^\n]*$", re.MULTILINE)
_DECODER = json.JSONDecoder(strict=False)  # strict=False: control characters inside strings are data


def _values(text: str) -> list[Any]:
    """Every JSON value in `text`, one after another (pages concatenate blocks); junk between is skipped."""
    values: list[Any] = []
    position = 0
    while True:
        starts = [i for i in (text.find("{", position), text.find("[", position)) if i >= 0]
        if not starts:
            break
        start = min(starts)
        try:
            value, end = _DECODER.raw_decode(text, start)
        except json.JSONDecodeError:
            if values:  # trailing junk after a good value
                break
            raise
        values.append(value)
        position = end
    return values


def _repair(text: str) -> str:
    text = _LINE_COMMENT.sub("", _WRAPPERS.sub(" ", text))
    text = _UNDEFINED.sub(r"\1null", text)
    text = _TRAILING_COMMA.sub(r"\1", text)
    text = _HEX_ESCAPE.sub(r"\\u00\1", text)  # JavaScript's "\x27" is JSON's "\u0027"
    return _BAD_ESCAPE.sub(r"\1", text)


def _values_escaping_stray_quotes(text: str, attempts: int = 50) -> list[Any]:
    """`"Use a 9" pan"`: a quote inside a string ends it early; escape such quotes one by one."""
    for _ in range(attempts):
        try:
            return _values(text)
        except json.JSONDecodeError as exc:
            quote = text.rfind('"', 0, exc.pos)
            if exc.msg not in ("Expecting ',' delimiter", "Expecting ':' delimiter") or quote <= 0:
                raise
            text = text[:quote] + '\\"' + text[quote + 1 :]
    return _values(text)


def parse_json_leniently(text: str, *, source: str = "input") -> list[Any]:
    """The JSON value(s) of a JSON-LD block; raises ValidationError naming the position when unreadable."""
    if len(text.encode("utf-8", "ignore")) > MAX_DOCUMENT_BYTES:
        raise ValidationError(f"{source}: JSON-LD document is larger than 2 MB")
    text = text.lstrip("\ufeff")
    try:
        values = _values(text)
    except json.JSONDecodeError as exc:
        try:
            values = _values_escaping_stray_quotes(_repair(text))
        except json.JSONDecodeError:
            raise ValidationError(
                f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
            ) from exc
    if not values:
        raise ValidationError(f"{source}: not valid JSON (no object or array found)")
    return values


def type_names(node: dict[str, Any]) -> set[str]:
    """`@type` as lower-case local names: "Recipe", "recipe", "schema:Recipe", "http://schema.org/Recipe"."""
    kind = node.get("@type", node.get("type"))
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.strip().rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower() for k in kinds if isinstance(k, str)}


def is_type(node: Any, wanted: str) -> bool:
    return isinstance(node, dict) and wanted.lower() in type_names(node)


def find_recipes(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Recipes at the top, in lists, in `@graph` (list or object), in ItemList entries, or nested in any
    property (mainEntity, about, hasPart ...). A Recipe's own properties are not searched for more."""
    if depth > MAX_DEPTH:
        return
    if isinstance(node, list):
        for item in node:
            yield from find_recipes(item, depth + 1)
    elif isinstance(node, dict):
        if is_type(node, "Recipe"):
            yield node
            return
        for key, value in node.items():
            if isinstance(value, dict | list) and key not in ("@context",):
                yield from find_recipes(value, depth + 1)


def load_recipe_nodes(text: str, *, source: str = "input") -> list[dict[str, Any]]:
    """Every Recipe object found in a JSON-LD document, each once, in document order."""
    recipes: list[dict[str, Any]] = []
    seen: set[int] = set()
    for value in parse_json_leniently(text, source=source):
        for node in find_recipes(value):
            if id(node) not in seen:
                seen.add(id(node))
                recipes.append(node)
    if not recipes:
        raise ValidationError(f'{source}: no schema.org Recipe object found (expected "@type": "Recipe")')
    return recipes


class _LdJsonBlocks(HTMLParser):
    """The text of every <script type="application/ld+json"> in an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.blocks: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = (dict(attrs).get("type") or "").split(";")[0].strip().lower()
        if tag == "script" and kind == "application/ld+json":
            self._current = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.blocks.append("".join(self._current))
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith(("<!doctype html", "<html", "<head", "<meta")) or "<script" in head


def load_recipe_nodes_from_html(text: str, *, source: str = "input") -> list[dict[str, Any]]:
    """Recipes in a saved web page's JSON-LD blocks; unreadable blocks are skipped (pages hold many)."""
    parser = _LdJsonBlocks()
    parser.feed(text)
    parser.close()
    recipes: list[dict[str, Any]] = []
    for block in parser.blocks:
        try:
            recipes.extend(load_recipe_nodes(block, source=source))
        except ValidationError:
            continue
    if not recipes:
        raise ValidationError(f"{source}: the page has no schema.org Recipe in its JSON-LD")
    return recipes

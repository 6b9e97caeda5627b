"""recipeInstructions in every shape the web serves, as ordered steps that keep their section.

Strings (with `<p>`, `<li>`, `<br>`, newlines or "1." … "6." inside), HowToStep / HowToDirection / HowToTip,
HowToSection (any key case, itemListElement as list or object), ItemList, nested arrays, JSON-LD `@list`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from chefmentor.recipes.jsonld_read import type_names
from chefmentor.recipes.text_clean import clean_text, html_to_lines

MAX_DEPTH = 8
SECTION_LENGTH = 200

_INLINE_NUMBER = re.compile(r"(?:^|(?<=[.!?:;)\s]))\s*(?:step\s*)?(\d{1,2})\s*[.):]\s+(?=\S)", re.IGNORECASE)
_LEADING_LABEL = re.compile(
    r"^\s*(?:(?:step|schritt|étape|etapa|paso|passo|stap)\s*\d{1,2}\s*[.:)\-–]?|\d{1,2}\s*[.)]|[•·▪*-])\s*", re.I
)
_HEADING = re.compile(r"^[^.!?]{2,60}:$")
_WORDLIKE = re.compile(r"[^\W_]")


@dataclass
class RawStep:
    text: str
    title: str | None = None
    section: str | None = None
    data: dict[str, Any] = field(default_factory=dict)  # the page's structured step (for its own times/heat)
    tips: list[str] = field(default_factory=list)


def get_key(node: dict[str, Any], name: str) -> Any:
    """`node[name]` with any letter case ("ItemListElement", "itemlistelement")."""
    if name in node:
        return node[name]
    lowered = name.lower()
    return next((value for key, value in node.items() if isinstance(key, str) and key.lower() == lowered), None)


def _split_numbered(line: str) -> list[str]:
    """ "1. Mix. 2. Bake." → two steps, only when the numbers run 1, 2, 3 … in order."""
    marks = list(_INLINE_NUMBER.finditer(line))
    expected, starts = 1, []
    for mark in marks:
        if int(mark.group(1)) == expected:
            starts.append(mark)
            expected += 1
    if len(starts) < 2:
        return [line]
    pieces = [line[: starts[0].start()]] if line[: starts[0].start()].strip() else []
    for index, mark in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(line)
        pieces.append(line[mark.end() : end])
    return [p.strip() for p in pieces if p.strip()]


def split_text_steps(text: str) -> list[str]:
    """One instruction string → steps: paragraphs/lines first, then inline "1." … numbering."""
    steps: list[str] = []
    for line in html_to_lines(text):
        steps.extend(_split_numbered(line))
    cleaned = (_LEADING_LABEL.sub("", s, count=1).strip() for s in steps)
    return [step for step in cleaned if _WORDLIKE.search(step)]  # "," between "<p>" blocks is no step


class _Collector:
    def __init__(self) -> None:
        self.steps: list[RawStep] = []

    def add_text(self, text: str, section: str | None, *, split: bool) -> None:
        parts = split_text_steps(text) if split else [t for t in [clean_text(text)] if t]
        for part in parts:
            if _HEADING.match(part) and split:  # "For the sauce:" on its own line names what follows
                section = clean_text(part.rstrip(":"), SECTION_LENGTH)
                continue
            self.steps.append(RawStep(text=part, section=section))

    def walk(self, node: Any, section: str | None, depth: int = 0) -> None:
        if depth > MAX_DEPTH or node is None:
            return
        if isinstance(node, str):
            self.add_text(node, section, split=True)
        elif isinstance(node, list):
            for item in node:
                if isinstance(item, str) and _HEADING.match(item.strip()) and len(item) < 60:
                    section = clean_text(item.strip().rstrip(":"), SECTION_LENGTH)
                    continue
                self.walk(item, section, depth + 1)
        elif isinstance(node, dict):
            self._walk_object(node, section, depth)
        elif isinstance(node, int | float) and not isinstance(node, bool):
            self.add_text(str(node), section, split=False)

    def _walk_object(self, node: dict[str, Any], section: str | None, depth: int) -> None:
        kinds = type_names(node)
        children = get_key(node, "itemListElement")
        if children is None:
            children = get_key(node, "@list")
        if children is None and "howtosection" in kinds:
            children = get_key(node, "steps") or get_key(node, "step")
        if children is not None:
            name = clean_text(get_key(node, "name"), SECTION_LENGTH)
            name = name.rstrip(": ") or None if name else None  # "For the Dough:" names the section "For the Dough"
            if "howtosection" in kinds or name:
                section = name or section
            self.walk(children if isinstance(children, list) else [children], section, depth + 1)
            return
        item = get_key(node, "item")
        if isinstance(item, dict) and "listitem" in kinds:
            self._walk_object(item, section, depth + 1)
            return
        text = get_key(node, "text") or get_key(node, "description") or get_key(node, "name")
        if isinstance(text, list | dict):
            self.walk(text, section, depth + 1)
            return
        cleaned = clean_text(text)
        if not cleaned:
            return
        if "howtotip" in kinds and self.steps:
            self.steps[-1].tips.append(cleaned)
            return
        name = clean_text(get_key(node, "name"), SECTION_LENGTH)
        title = name if name and name != cleaned and not cleaned.startswith(name.rstrip(".…")) else None
        self.steps.append(RawStep(text=cleaned, title=title, section=section, data=node))


def collect_steps(instructions: Any) -> list[RawStep]:
    """Every step in order; a lone step holding a numbered or paragraphed list is split into its steps."""
    collector = _Collector()
    collector.walk(instructions, None)
    steps = collector.steps
    if len(steps) == 1 and not isinstance(instructions, str):
        raw = steps[0].data
        source = get_key(raw, "text") if raw else None
        parts = split_text_steps(source) if isinstance(source, str) else []
        if len(parts) > 1:
            return [RawStep(text=p, section=steps[0].section) for p in parts]
    return steps

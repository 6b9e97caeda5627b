"""Web text → clean, bounded plain text: entities decoded and tags stripped by the standard HTML parser."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

# Block-level tags end a line: "<p>Mix.</p><p>Bake.</p>" is two paragraphs, not "Mix.Bake.".
_BLOCK_TAGS = frozenset("p br div li ol ul h1 h2 h3 h4 h5 h6 tr table section article blockquote pre hr dd dt".split())
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template"})
_TAG_HINT = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]{1,31});?")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\ufeff\ufffd]")  # removed
_BREAKS = re.compile(r"[\x0b\x0c\u2028\u2029]")  # vertical tab, form feed, line/paragraph separators
_SPACES = re.compile(r"[ \t\u00a0\u2002-\u200a\u202f\u205f\u3000]+")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def _strip_markup(text: str) -> str:
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


def html_to_lines(value: str) -> list[str]:
    """Plain-text lines of an HTML-ish string; block tags and newlines separate lines."""
    text = str(value)
    # Pages double-encode ("&amp;#8217;", "&lt;b&gt;"): decode until the text stops changing (bounded).
    for _ in range(3):
        if not _TAG_HINT.search(text):
            break
        text = _strip_markup(text)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _BREAKS.sub("\n", _CONTROL.sub("", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return [line for line in lines if line]


def clean_text(value: object, max_length: int | None = None) -> str | None:
    """One line of clean text (None when nothing is left), cut at a word boundary to `max_length`."""
    if value is None or isinstance(value, bool):
        return None
    text = " ".join(html_to_lines(str(value)))
    if not text:
        return None
    return truncate(text, max_length) if max_length else text


def truncate(text: str, max_length: int) -> str:
    if len(text) <= max_length:
        return text
    cut = text[: max_length - 1]
    space = cut.rfind(" ")
    if space > max_length // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "…"

"""Who a recipe is: its page (URL / `@id`) or, without one, a hash of its content; and its slug.

Two recipes with the same name from different pages are two recipes; the same page imported again is the
same recipe. Slugs are transliterated from any script and never random, so re-imports find them again.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import orjson

MAX_SLUG = 160
MAX_KEY = 300
_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_\w+|ref)=", re.IGNORECASE)


def normalize_url(value: str) -> str | None:
    """http(s) URL without tracking parameters, "www.", default trailing slash or letter case of the host."""
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    host = parts.netloc.lower().removeprefix("www.")
    query = "&".join(p for p in parts.query.split("&") if p and not _TRACKING.match(p))
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host, path, query, parts.fragment))


def page_key(node_id: Any, url: Any, main_entity: Any) -> str | None:
    """The page identity from `@id` (when it is a URL, possibly "#recipe" on the page URL) or `url`."""
    candidates: list[str] = []
    base = next((str(u) for u in (url, main_entity) if isinstance(u, str) and u.strip()), None)
    if isinstance(node_id, str) and node_id.strip():
        node_id = node_id.strip()
        if node_id.startswith("#") and base:
            candidates.append(base.split("#", 1)[0] + node_id)
        candidates.append(node_id)
    if base:
        candidates.append(base)
    for candidate in candidates:
        normalized = normalize_url(candidate)
        if normalized:
            return ("url:" + normalized)[:MAX_KEY]
    return None


def content_key(name: str, ingredients: list[str], steps: list[str]) -> str:
    """A stable key for a recipe without a page: same name, ingredients and steps → same key."""
    fold = [" ".join(t.casefold().split()) for t in (name, *ingredients, "\x1f", *steps)]
    return "hash:" + hashlib.sha256(orjson.dumps(fold)).hexdigest()[:40]


def short_hash(value: str, length: int = 8) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:length]


def _transliterate(name: str) -> str:
    from anyascii import anyascii

    # Characters of scripts without spaces (Chinese, Japanese) become separate words: "紅燒肉" → "hong shao rou".
    pieces = []
    for char in unicodedata.normalize("NFKC", name):
        ascii_form = anyascii(char)
        pieces.append(f" {ascii_form} " if ord(char) > 0x2FF and ascii_form and ascii_form.isalpha() else ascii_form)
    return "".join(pieces)


def slugify(name: str, *, fallback: str | None = None) -> str:
    """ "Fast & Easy Dinner" → "fast-easy-dinner"; "김치찌개" → "gim-chi-jji-gae"; nothing readable → a stable id."""
    slug = re.sub(r"[^a-z0-9]+", "-", _transliterate(name).lower()).strip("-")
    if len(slug) > MAX_SLUG - 10:
        slug = slug[: MAX_SLUG - 10].rsplit("-", 1)[0] or slug[: MAX_SLUG - 10]
    if slug:
        return slug
    return "recipe-" + short_hash(fallback or name)

"""Bounded pages for every list endpoint (OWASP API4: records per page)."""

from __future__ import annotations

from chefmentor.errors import ValidationError

MAX_PAGE_SIZE = 100
MAX_OFFSET = 1_000_000


def check_page(limit: int, offset: int) -> None:
    """Reject pages that are empty, unbounded or negative."""
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise ValidationError(f"limit must be between 1 and {MAX_PAGE_SIZE}")
    if not 0 <= offset <= MAX_OFFSET:
        raise ValidationError(f"offset must be between 0 and {MAX_OFFSET}")

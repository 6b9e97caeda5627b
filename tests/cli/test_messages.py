"""Messages people read: sizes in KB/MB, not raw byte counts."""

from __future__ import annotations

import pytest

from server.middleware import BodyTooLarge, human_size


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (900, "900 bytes"),
        (1024, "1 KB"),
        (1536, "1.5 KB"),
        (1 << 20, "1 MB"),
        (20 * (1 << 20), "20 MB"),
        (3 << 30, "3 GB"),
    ],
)
def test_human_size(size: int, shown: str) -> None:
    assert human_size(size) == shown


def test_413_names_the_limit_in_megabytes() -> None:
    error = BodyTooLarge(1024 * 1024)
    assert error.status_code == 413
    assert error.detail == "Request body is larger than the 1 MB limit for this route"

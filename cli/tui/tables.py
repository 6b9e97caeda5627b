"""DataTables filled with their column widths worked out from the rows first.

Auto-sized columns are only measured when the table is next idle, so a table filled and painted at once
showed every cell cut to its header's width ("Perfec") until it settled, and longer under load.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

MAX_COLUMN_WIDTH = 48


def fill_sized(
    table: DataTable[Text],
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[Text]],
    keys: Sequence[str],
    *,
    max_width: int = MAX_COLUMN_WIDTH,
) -> None:
    """Replace the table's columns (label, key) and rows, each column as wide as its widest cell (capped)."""
    table.clear(columns=True)
    for index, (label, key) in enumerate(columns):
        widest = max((row[index].cell_len for row in rows), default=0)
        table.add_column(label, key=key, width=min(max_width, max(len(label), widest)))
    for cells, key in zip(rows, keys, strict=True):
        table.add_row(*cells, key=key)

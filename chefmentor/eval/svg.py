"""Inline SVG charts for the HTML report (no scripts, no CDN): confusion heatmap and reliability diagram."""

from __future__ import annotations

from html import escape
from typing import Any

CELL = 30
LABEL_W = 150


def _short(label: str) -> str:
    return label.replace("_", " ")


def confusion_svg(confusion: dict[str, dict[str, int]]) -> str:
    labels = list(confusion)
    n = len(labels)
    if not n:
        return ""
    peak = max((v for row in confusion.values() for v in row.values()), default=1) or 1
    width, height = LABEL_W + n * CELL + 10, LABEL_W + n * CELL + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="Confusion matrix: rows expected, columns predicted" font-size="11" '
        f'font-family="system-ui, sans-serif">'
    ]
    for j, label in enumerate(labels):
        x = LABEL_W + j * CELL + CELL / 2
        parts.append(
            f'<text x="{x}" y="{LABEL_W - 6}" transform="rotate(-60 {x} {LABEL_W - 6})">{escape(_short(label))}</text>'
        )
    for i, expected in enumerate(labels):
        y = LABEL_W + i * CELL
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{y + CELL / 2 + 4}" text-anchor="end">{escape(_short(expected))}</text>'
        )
        for j, predicted in enumerate(labels):
            value = confusion[expected].get(predicted, 0)
            shade = value / peak
            diagonal = i == j
            colour = f"rgba(34,139,34,{0.15 + 0.85 * shade:.2f})" if diagonal else f"rgba(200,40,40,{0.85 * shade:.2f})"
            if not value:
                colour = "#f6f6f6"
            x = LABEL_W + j * CELL
            parts.append(
                f'<rect x="{x}" y="{y}" width="{CELL - 2}" height="{CELL - 2}" fill="{colour}">'
                f"<title>expected {escape(expected)}, predicted {escape(predicted)}: "
                f"{value}</title></rect>"
            )
            if value:
                parts.append(f'<text x="{x + CELL / 2 - 1}" y="{y + CELL / 2 + 4}" text-anchor="middle">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def reliability_svg(reliability: list[dict[str, Any]], size: int = 260) -> str:
    pad = 36
    inner = size - 2 * pad
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" role="img" '
        f'aria-label="Reliability diagram: accuracy per confidence bin" font-size="10" '
        f'font-family="system-ui, sans-serif">',
        f'<rect x="{pad}" y="{pad}" width="{inner}" height="{inner}" fill="#fafafa" stroke="#999"/>',
        f'<line x1="{pad}" y1="{pad + inner}" x2="{pad + inner}" y2="{pad}" stroke="#999" stroke-dasharray="4 3"/>',
    ]
    bins = len(reliability) or 1
    bar = inner / bins
    for index, row in enumerate(reliability):
        if not row.get("count"):
            continue
        accuracy = float(row["accuracy"])
        confidence = float(row["confidence"])
        x = pad + index * bar
        h = accuracy * inner
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{pad + inner - h:.1f}" width="{bar - 2:.1f}" height="{h:.1f}" '
            f'fill="#4a7bd0"><title>{row["low"]}–{row["high"]}: accuracy {accuracy:.2f}, '
            f"mean confidence {confidence:.2f}, n={row['count']}</title></rect>"
        )
        cy = pad + inner - confidence * inner
        parts.append(f'<circle cx="{x + bar / 2:.1f}" cy="{cy:.1f}" r="3" fill="#d04a4a"/>')
    for tick in (0.0, 0.5, 1.0):
        parts.append(f'<text x="{pad + tick * inner}" y="{pad + inner + 14}" text-anchor="middle">{tick:g}</text>')
        parts.append(f'<text x="{pad - 6}" y="{pad + inner - tick * inner + 3}" text-anchor="end">{tick:g}</text>')
    parts.append(f'<text x="{pad + inner / 2}" y="{size - 4}" text-anchor="middle">confidence</text>')
    parts.append(
        f'<text x="10" y="{pad + inner / 2}" transform="rotate(-90 10 {pad + inner / 2})" '
        f'text-anchor="middle">accuracy</text>'
    )
    parts.append("</svg>")
    return "".join(parts)

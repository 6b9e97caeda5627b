"""Photo features on a tiny downscale (numpy only): char, browning, pale/raw, grey, gloss, cracks, shape."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from chefmentor.ai.local.evidence import Evidence

ANALYSIS_SIDE = 96
Mask = npt.NDArray[np.bool_]
Floats = npt.NDArray[np.float32]


@dataclass(frozen=True)
class ImageFeatures:
    food_fraction: float
    char: float
    brown: float
    golden: float
    pale: float
    pink: float
    grey: float
    butter_yellow: float
    gloss: float
    edges: float
    flatness: float
    brightness: float
    saturation: float

    def describe(self) -> str:
        return (
            f"brightness {self.brightness:.2f}, saturation {self.saturation:.2f}, char {self.char:.0%}, "
            f"browned {self.brown + self.golden:.0%}, pale {self.pale:.0%}, edges {self.edges:.2f}"
        )


def decode_small(data: bytes, side: int = ANALYSIS_SIDE) -> Floats | None:
    """Decode at reduced size: JPEG `draft` makes libjpeg scale while decoding, so 12 MP costs little."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", (side, side))
            rgb = image.convert("RGB")
            rgb.thumbnail((side, side), Image.Resampling.BILINEAR)
            return np.asarray(rgb, dtype=np.float32) / np.float32(255.0)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def _hsv(rgb: Floats) -> tuple[Floats, Floats, Floats]:
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    value = rgb.max(axis=-1)
    chroma = value - rgb.min(axis=-1)
    saturation = np.where(value > 1e-6, chroma / np.maximum(value, 1e-6), 0.0).astype(np.float32)
    safe = np.maximum(chroma, 1e-6)
    hue = np.where(value == r, ((g - b) / safe) % 6.0, np.where(value == g, (b - r) / safe + 2.0, (r - g) / safe + 4.0))
    hue = np.where(chroma > 1e-6, hue * 60.0, 0.0).astype(np.float32)
    return hue, saturation, value


def _box_mean(mask: Floats, radius: int = 1) -> Floats:
    padded = np.pad(mask, radius, mode="edge")
    total = np.zeros_like(mask)
    size = 2 * radius + 1
    for dy in range(size):
        for dx in range(size):
            total += padded[dy : dy + mask.shape[0], dx : dx + mask.shape[1]]
    return (total / (size * size)).astype(np.float32)


def _foreground(rgb: Floats) -> Mask:
    """Pixels unlike the image border (the table or background), unless that would remove nearly everything."""
    height, width = rgb.shape[:2]
    ring = max(1, min(height, width) // 12)
    border = np.concatenate(
        [
            rgb[:ring].reshape(-1, 3),
            rgb[-ring:].reshape(-1, 3),
            rgb[:, :ring].reshape(-1, 3),
            rgb[:, -ring:].reshape(-1, 3),
        ]
    )
    background = np.median(border, axis=0)
    distance = np.sqrt(((rgb - background) ** 2).sum(axis=-1))
    mask: Mask = distance > 0.12
    if mask.mean() < 0.15:
        return np.ones((height, width), dtype=bool)
    return mask


def _fraction(mask: Mask, within: Mask) -> float:
    count = int(within.sum())
    return float((mask & within).sum()) / count if count else 0.0


def extract_features(rgb: Floats) -> ImageFeatures:
    height, width = rgb.shape[:2]
    hue, sat, val = _hsv(rgb)
    yy, xx = np.mgrid[0:height, 0:width]
    central = ((xx - width / 2) / (0.42 * width)) ** 2 + ((yy - height / 2) / (0.42 * height)) ** 2 <= 1
    bright_neutral = (sat < 0.12) & (val > 0.8)
    food = _foreground(rgb) & ~bright_neutral
    if (food & central).sum() < 0.05 * central.sum():
        food = central.copy()
    # A highlight surrounded by food is gloss (oil, liquid); one next to lots of white is the plate's rim.
    isolated = (_box_mean(bright_neutral.astype(np.float32), 2) < 0.3) & (_box_mean(food.astype(np.float32), 2) > 0.5)
    char = val < 0.22
    brown = (hue >= 12) & (hue <= 50) & (sat > 0.35) & (val >= 0.22) & (val < 0.62)
    golden = (hue >= 20) & (hue <= 55) & (sat > 0.4) & (val >= 0.62)
    pale = (sat < 0.3) & (val > 0.68)
    pink = ((hue >= 325) | (hue <= 12)) & (sat > 0.25) & (sat < 0.7) & (val > 0.55)
    grey = (sat < 0.15) & (val > 0.35) & (val < 0.75)
    butter = (hue >= 38) & (hue <= 60) & (sat > 0.6) & (val > 0.55)
    gloss = bright_neutral & isolated
    grad = np.zeros_like(val)
    grad[1:-1, 1:-1] = np.hypot(val[1:-1, 2:] - val[1:-1, :-2], val[2:, 1:-1] - val[:-2, 1:-1])
    edges = _fraction(grad > 0.18, food & ~char & central)
    rows = int((food.mean(axis=1) > 0.1).sum())
    cols = int((food.mean(axis=0) > 0.1).sum())
    flatness = float(rows) / float(cols) if cols else 1.0
    food = food & central
    return ImageFeatures(
        food_fraction=_fraction(food, central),
        char=_fraction(char, food),
        brown=_fraction(brown, food),
        golden=_fraction(golden, food),
        pale=_fraction(pale, food),
        pink=_fraction(pink, food),
        grey=_fraction(grey, food),
        butter_yellow=_fraction(butter, food),
        gloss=float(gloss.sum()) / float(central.sum()),
        edges=edges,
        flatness=flatness * height / width,
        brightness=float(val[food].mean()),
        saturation=float(sat[food].mean()),
    )


def mean_features(features: list[ImageFeatures]) -> ImageFeatures:
    fields = ImageFeatures.__dataclass_fields__
    return ImageFeatures(**{name: float(np.mean([getattr(f, name) for f in features])) for name in fields})


def image_evidence(f: ImageFeatures, *, is_meat: bool) -> list[Evidence]:
    """Map features to category evidence. Weights stay below session telemetry: a photo is ambiguous."""
    out: list[Evidence] = []
    undercooked = ("undercooked",) if is_meat else ()
    if f.char >= 0.12 and f.pink >= 0.08:
        out.append(
            Evidence(
                "photo",
                f"photo: charred outside ({f.char:.0%} dark) around a pink/raw centre ({f.pink:.0%})",
                {"heat_too_high": 1.8, "cooked_too_short": 0.6},
                None,
                undercooked,
            )
        )
    elif f.char >= 0.12:
        weight = min(1.8, 0.6 + 3.0 * f.char)
        out.append(
            Evidence(
                "photo",
                f"photo: {f.char:.0%} of the food is black/charred",
                {"heat_too_high": weight, "cooked_too_long": 0.75 * weight},
            )
        )
    elif f.pink >= 0.12 and f.brown + f.golden < 0.3:
        out.append(
            Evidence(
                "photo",
                f"photo: pink, raw-looking surface ({f.pink:.0%})",
                {"cooked_too_short": 1.0, "heat_too_low": 0.3},
                None,
                undercooked,
            )
        )
    browned = f.brown + f.golden
    if f.pale >= 0.5 and browned < 0.12 and f.char < 0.05:
        out.append(
            Evidence(
                "photo",
                f"photo: pale, unbrowned surface ({f.pale:.0%} pale, {browned:.0%} browned)",
                {"heat_too_low": 0.7, "cooked_too_short": 0.5, "overcrowded_pan": 0.3, "pan_not_ready": 0.3},
            )
        )
    if f.grey >= 0.3 and f.char < 0.05:
        out.append(
            Evidence(
                "photo",
                f"photo: grey, steamed-looking pieces ({f.grey:.0%})",
                {"overcrowded_pan": 1.0, "heat_too_low": 0.4},
            )
        )
    if f.butter_yellow >= 0.1:
        out.append(
            Evidence(
                "photo",
                f"photo: beads/pools of yellow fat in the sauce ({f.butter_yellow:.0%})",
                {"emulsion_broke": 1.0 + (0.3 if f.gloss >= 0.002 else 0.0)},
            )
        )
    elif f.gloss >= 0.004 and f.edges < 0.2:
        out.append(
            Evidence(
                "photo", f"photo: shiny pooled liquid around the food (gloss {f.gloss:.1%})", {"too_much_liquid": 1.0}
            )
        )
    if f.edges >= 0.07 and f.food_fraction >= 0.3 and f.char < 0.08 and browned + f.pale > 0.2 and f.gloss < 0.004:
        out.append(
            Evidence(
                "photo",
                f"photo: cracked, dry-looking surface (edge density {f.edges:.2f})",
                {"too_little_liquid": 0.7, "cooked_too_long": 0.5},
            )
        )
    if f.flatness <= 0.3 and f.food_fraction >= 0.05:
        out.append(
            Evidence("photo", f"photo: flat, low profile (height/width {f.flatness:.2f})", {"leavening_problem": 1.1})
        )
    if browned >= 0.4 and f.char < 0.05 and f.pale < 0.3 and f.edges < 0.06 and f.butter_yellow < 0.1:
        out.append(
            Evidence(
                "photo",
                f"photo: evenly browned ({browned:.0%}), no char",
                {
                    "heat_too_low": -0.5,
                    "cooked_too_short": -0.4,
                    "heat_too_high": -0.4,
                    "cooked_too_long": -0.3,
                    "pan_not_ready": -0.2,
                },
            )
        )
    return out

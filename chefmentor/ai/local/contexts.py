"""Words in the same clause that change what a symptom means: "dry" dough is short of water, "dry" chicken is
overcooked; "stuck" on a griddle is a cold pan, "gluey" mash was worked too hard."""

from __future__ import annotations

from collections.abc import Mapping

W = Mapping[str, float]

_DOUGH: W = {"too_little_liquid": 1.6}
DOUGH_CONTEXT: Mapping[str, W] = dict.fromkeys(("dough", "pastry", "wrapper", "wrappers", "batter"), _DOUGH)
STOVETOP_CONTEXT: Mapping[str, W] = {
    w: {"pan_not_ready": 1.5, "heat_too_low": 0.3}
    for w in (
        "pan",
        "skillet",
        "griddle",
        "wok",
        "tawa",
        "comal",
        "kadai",
        "kadhai",
        "cast iron",
        "plancha",
        "frying pan",
        "iron",
        "plates",
    )
}
LEAVENER_CONTEXT: Mapping[str, W] = {
    w: {"leavening_problem": 1.4}
    for w in (
        "yeast",
        "powder",
        "soda",
        "bicarb",
        "starter",
        "raising",
        "leaven",
        "eno",
        "levain",
        "tartar",
    )
}
# gluey, gummy mash is worked too hard, not cooked too long
MASH_CONTEXT: Mapping[str, W] = dict.fromkeys(
    ("mash", "mashed", "puree", "pureed"), {"overmixed": 1.3, "cooked_too_long": 0.3}
)
PAN_CONTEXT: Mapping[str, W] = {
    "oil": {"heat_too_low": 1.4},
    "oven": {"heat_too_low": 1.4},
    "fryer": {"heat_too_low": 1.4},
    **dict.fromkeys(("pan", "skillet", "griddle", "tawa", "wok"), {"pan_not_ready": 1.2, "heat_too_low": 0.8}),
}

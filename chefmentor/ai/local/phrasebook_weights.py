"""Per-family and per-context meanings the phrasebook's concepts needed (data only; `concepts.py` merges it).

The same word names a different failure in a different dish: a chalky yolk is overcooked, a chalky grain of
rice underdone; a soggy vegetable is overcooked, a soggy pastry base wet or underbaked.
"""

from __future__ import annotations

from collections.abc import Mapping

from chefmentor.ai.local.contexts import W

# Clause words that change a concept's meaning (checked before families): rubbery *skin* is unrendered fat.
EXTRA_CONTEXT: dict[str, Mapping[str, W]] = {
    # food caught on the bottom of a wok or skillet is a pan problem, not a pot that ran dry
    "burnt_bottom": dict.fromkeys(("wok", "skillet", "tawa", "griddle"), {"pan_not_ready": 1.2, "heat_too_high": 0.8}),
    # cold oil in a skillet is a pan that was not ready; in a fryer (no pan named) it is low heat
    "cold_pan": dict.fromkeys(("pan", "skillet", "griddle", "wok", "tawa", "comal"), {"pan_not_ready": 2.0}),
    # a dough that splits at the fold is short of water; a split cake batter is still an emulsion
    "split": dict.fromkeys(("dough", "pastry", "wrapper", "wrappers"), {"too_little_liquid": 1.5}),
    "tough": {"skin": {"heat_too_low": 1.2, "overcrowded_pan": 0.4}},
    "limp": {"skin": {"heat_too_low": 1.2, "overcrowded_pan": 0.5}},
}

# Narrow families that must win over the broad one a dish also belongs to (a macaron is "baked", but a flat
# macaron is an overfolded batter, not a raising agent).
PRIORITY_FAMILY_WEIGHTS: dict[str, Mapping[str, W]] = {
    # shellfish and squid toughen and shrink the longer they cook, unlike a braise
    "tough": {"seafood": {"cooked_too_long": 1.6, "heat_too_high": 0.3}},
    "shrunk": {"seafood": {"cooked_too_long": 1.4}},
    "flat": {"macaron": {"overmixed": 1.5, "heat_too_low": 0.3}},
    "no_rise": {"macaron": {"overmixed": 1.2, "heat_too_low": 0.4}},
    "dense": {"macaron": {"overmixed": 1.0, "cooked_too_short": 0.4}},
    "watery": {"macaron": {"overmixed": 1.4, "too_much_liquid": 0.4}},
}

# Family overrides for concepts whose base weights miss a family (applied after the concept's own families).
EXTRA_FAMILY_WEIGHTS: dict[str, Mapping[str, W]] = {
    # a sticky or damp crumb is underbaked
    "clumped": {"baked": {"cooked_too_short": 1.0, "too_much_liquid": 0.5}, "mash": {"overmixed": 1.2}},
    "seized": {"roux": {"too_little_liquid": 1.3, "heat_too_high": 0.3}},
    # a chalky yolk or fish is overcooked; only a grain or bean is chalky from being underdone
    "crunchy_grain": {"eggs": {"cooked_too_long": 1.4}, "custard": {"cooked_too_long": 1.0}},
    # butter running out of a laminated dough in the oven is a proofing fault, not a broken sauce
    "split": {"pastry": {"leavening_problem": 1.0, "heat_too_low": 0.8}},
    # an omelette or custard is meant to stay pale: colour on it is heat
    "browned": {"eggs": {"heat_too_high": 0.9, "cooked_too_long": 0.4}, "custard": {"heat_too_high": 0.9}},
    "crispy": {"eggs": {"heat_too_high": 0.7, "cooked_too_long": 0.3}},
    "not_thickened": {"custard": {"cooked_too_short": 1.4, "heat_too_low": 0.6}},
    # a burnt underside on a cake, biscuit or pancake is the heat below it, not a pot that ran dry
    "burnt_bottom": {
        "baked": {"heat_too_high": 1.6},
        "griddle": {"heat_too_high": 1.4},
        "pastry": {"heat_too_high": 1.4},
    },
    "flat": dict.fromkeys(
        ("soup", "legumes", "grains", "pasta", "meat", "sautee", "vegetables", "eggs", "fried", "salad", "roux"),
        {"seasoning_off": 1.5},
    ),
    "dense": {"fried": {"heat_too_low": 1.1, "too_much_liquid": 0.3}, "steamed": {"leavening_problem": 1.4}},
    "mushy": {
        "roux": {"too_little_liquid": 1.2, "cooked_too_long": 0.4},
        "mash": {"overmixed": 1.5, "cooked_too_long": 0.3},
        "steamed": {"too_much_liquid": 0.8, "cooked_too_long": 0.6},
    },
    "doughy": {"mash": {"overmixed": 1.3}, "steamed": {"cooked_too_short": 1.4}},
    "stuck": {"steamed": {"cooked_too_short": 1.0, "pan_not_ready": 0.3}, "candy": {"cooked_too_long": 0.6}},
    "runny": {"roux": {"too_much_liquid": 1.5, "cooked_too_short": 0.5}, "candy": {"cooked_too_short": 1.4}},
    "watery": {"roux": {"too_much_liquid": 1.6}},
    "grainy": {
        "candy": {"overmixed": 1.2, "heat_too_high": 0.5},
        "roux": {"too_little_liquid": 0.6, "heat_too_high": 0.4},
    },
    "tough": {
        "fried": {"overmixed": 1.0, "heat_too_low": 0.6},
        "candy": {"cooked_too_long": 1.4},
        "pastry": {"overmixed": 1.5},
        "meat": {"cooked_too_long": 1.5, "heat_too_high": 0.4},
    },
    "dry": {"pastry": {"too_little_liquid": 1.0, "overmixed": 0.5}, "roux": {"too_little_liquid": 1.4}},
    "soggy": {
        "pastry": {"too_much_liquid": 0.9, "heat_too_low": 0.8, "cooked_too_short": 0.6},
        "vegetables": {"cooked_too_long": 1.0, "too_much_liquid": 0.5},
        "baked": {"cooked_too_short": 1.0, "too_much_liquid": 0.6},
    },
    "greasy": {"sautee": {"heat_too_low": 1.0, "overcrowded_pan": 0.5}},
}

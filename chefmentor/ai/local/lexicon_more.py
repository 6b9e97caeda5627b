"""Concepts the first lexicon lacked: chef and baker jargon for symptoms with their own meaning per dish family."""

from __future__ import annotations

from chefmentor.ai.local.contexts import DOUGH_CONTEXT
from chefmentor.ai.local.lexicon import Concept

# fmt: off
MORE_CONCEPTS: tuple[Concept, ...] = (
    # custards and quiche weep when the protein overtightens; a meringue weeps when it is underbaked
    Concept("weeping", "weeping/leaking liquid", (
        "weeping", "weep", "wept", "beading", "beads of syrup", "syneresis", "leaking liquid", "leaked liquid",
        "watery layer", "liquid underneath", "puddle underneath", "sweating beads",
    ), {"too_much_liquid": 0.8, "cooked_too_long": 0.6},
        family={"custard": {"cooked_too_long": 1.3, "heat_too_high": 1.0},
                "eggs": {"cooked_too_long": 1.3, "heat_too_high": 0.8},
                "whipped": {"cooked_too_short": 1.0, "overmixed": 0.4}}),
    Concept("domed", "domed/cracked top", (
        "domed", "dome", "big dome", "volcano", "cracked top", "crack down the middle", "crack across the top",
        "split top", "mountain in the middle", "humped", "hump in the middle", "cracked on top", "top cracked",
    ), {"heat_too_high": 1.2, "overmixed": 0.3}, negated="no_rise",
        family={"custard": {"heat_too_high": 1.2, "cooked_too_long": 1.0}}),
    Concept("shrunk", "shrank/slumped", (
        "shrunk", "shrank", "shrinking", "shrinkage", "slumped", "slid down", "pulled away from the sides",
        "shrunk back", "sank down the sides",
    ), {"cooked_too_long": 0.6, "heat_too_high": 0.4},
        family={"pastry": {"overmixed": 1.6}, "baked": {"overmixed": 1.2},
                "meat": {"cooked_too_long": 1.0, "heat_too_high": 0.6}}),
    Concept("soggy_bottom", "soggy, underbaked base", (
        "soggy bottom", "soggy base", "soggy crust", "wet base", "damp base", "raw base", "underbaked base",
        "pale base", "soggy underneath", "soggy bottomed", "raw bottom", "doughy base", "doughy bottom",
    ), {"too_much_liquid": 1.0, "heat_too_low": 0.6, "cooked_too_short": 0.4},
        family={"custard": {"too_much_liquid": 1.2, "cooked_too_short": 0.3}}),
    Concept("crystallized", "sugar crystallised", (
        "crystallized", "crystallised", "crystallize", "crystallise", "sugar crystals", "sandy", "gritty sugar",
        "went cloudy", "grainy fudge", "grainy caramel",
    ), {"overmixed": 1.0, "heat_too_high": 0.4}),
    Concept("pitted", "holes/bubbles through a set custard", (
        "full of holes", "holes all through", "holes throughout", "air bubbles", "bubbly texture", "pockmarked",
        "pock marked", "honeycombed", "honeycomb texture", "spongy texture", "tiny holes", "bubbles", "bubbly",
        "holes", "bubbles and holes",
    ), {},
        family={"custard": {"heat_too_high": 1.4, "cooked_too_long": 0.8},
                "eggs": {"heat_too_high": 1.0, "cooked_too_long": 0.8}}),
    Concept("tight", "tight/too thick", ("tight", "tightened", "tightened up", "too thick and tight"),
            {"too_little_liquid": 1.3},
            context={"crumb": {"leavening_problem": 1.3, "overmixed": 0.4}, **DOUGH_CONTEXT},
            family={"baked": {"too_little_liquid": 1.0, "leavening_problem": 0.5}, "meat": {"cooked_too_long": 1.0}}),
    Concept("acrid", "acrid/scorched smell or taste", (
        "acrid", "acrid smell", "acrid taste", "acrid smoke", "went acrid", "smelled acrid", "tasted acrid",
    ), {"heat_too_high": 1.5, "cooked_too_long": 0.4}, safety=("smoke",)),
    Concept("timed_right", "cooked for the stated time", (
        "after the full time", "the full time", "full cooking time", "full baking time", "recommended time",
        "as long as it said", "exact time", "exactly the time", "timed it exactly", "right amount of time",
        "followed the timing", "followed the time", "long enough",
    ), {"cooked_too_short": -0.7, "cooked_too_long": -0.5}, negated="rushed"),
    Concept("thermometer", "checked with a thermometer", (
        "oven thermometer", "thermometer showed", "thermometer said", "thermometer read", "probe said",
        "probe showed", "oil thermometer", "thermometer only",
    ), {"heat_too_low": 0.5, "heat_too_high": 0.5}),
    # "hard" alone: a bean or a grain of rice is underdone, a steak or a biscuit overdone
    Concept("hard", "hard", ("hard", "very hard", "too hard", "so hard", "hard hard", "really hard"),
            {"cooked_too_long": 0.6, "cooked_too_short": 0.4},
            family={"legumes": {"cooked_too_short": 1.4}, "grains": {"cooked_too_short": 1.2, "too_little_liquid": 0.8},
                    "vegetables": {"cooked_too_short": 1.3}, "pasta": {"cooked_too_short": 1.1},
                    "meat": {"cooked_too_long": 1.3, "heat_too_high": 0.3}, "candy": {"cooked_too_long": 1.3},
                    "baked": {"cooked_too_long": 1.0, "too_little_liquid": 0.5}}),
    Concept("not_a_symptom", "a phrase that only looks like a symptom", (
        "hard to", "hard work", "tried hard", "hard boiled", "hard boil", "hard cheese", "hard time",
        "my hand", "by hand", "more like", "more of a", "more or less",
    ), {}),
    Concept("no_feet", "macarons without feet", ("no feet", "without feet", "feet spread", "no ruffled feet"),
            {"overmixed": 1.2, "heat_too_low": 0.4}),
    Concept("wrinkled", "wrinkled/shrivelled skin", ("wrinkled", "wrinkly", "shrivelled", "shriveled", "puckered"),
            {}, family={"steamed": {"leavening_problem": 1.2, "heat_too_high": 0.3},
                        "baked": {"leavening_problem": 0.8, "cooked_too_short": 0.4}}),
    Concept("underwhipped", "whites or cream whipped too little", (
        "under whipped", "underwhipped", "under beaten", "underbeaten", "whites were not stiff", "whites not stiff",
        "only soft peaks", "soft foam", "never reached stiff peaks", "never got to stiff peaks", "no stiff peaks",
    ), {"leavening_problem": 1.3}),
    # baking soda only lifts with an acid in the batter
    Concept("no_acid", "no acid for the baking soda", (
        "anything acidic", "nothing acidic", "no acid", "no acidic", "without acid", "without any acid",
    ), {"leavening_problem": 1.6}),
    Concept("door_opened", "oven door opened while baking", (
        "opened the oven door", "opened the oven", "opened the door", "kept opening the oven",
        "kept checking the oven",
        "peeked in the oven", "door open", "slammed the oven door",
    ), {"leavening_problem": 1.1, "heat_too_low": 0.4}),
    Concept("ungreased", "tin or pan not greased", (
        "did not grease", "forgot to grease", "ungreased", "no oil in the pan", "forgot the oil",
        "did not line the tin", "forgot to line", "no butter in the pan", "did not oil the", "forgot to oil",
    ), {"pan_not_ready": 1.3}),
    Concept("cold_ingredients", "ingredients straight from the fridge", (
        "cold eggs", "eggs straight from the fridge", "eggs from the fridge", "fridge cold",
        "straight from the fridge",
        "butter straight from the fridge", "cold cream cheese",
    ), {"emulsion_broke": 0.7}, family={"pastry": {}, "meat": {"cooked_too_short": 0.6, "heat_too_high": 0.4}}),
    Concept("outside_inside", "done outside, not inside", (
        "outside done inside raw", "burnt outside raw inside", "outside cooked inside raw", "dark outside raw inside",
        "crust before the middle", "outside ready before the inside",
    ), {"heat_too_high": 1.8, "cooked_too_long": -0.8}),
)
# fmt: on

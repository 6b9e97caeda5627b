"""What cooks say, as concepts with per-category log-odds (the text half of the knowledge base).

A concept's weights are how much more likely the cook would say it under each failure than in general.
`family` replaces the weights when the dish belongs to that family (first listed family that matches);
`negated` names the concept a negated mention becomes ("not preheated" -> cold pan), otherwise a
negated mention is weak counter-evidence; `context` replaces weights when a word appears in the clause.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from chefmentor.ai.local.contexts import (
    DOUGH_CONTEXT,
    LEAVENER_CONTEXT,
    MASH_CONTEXT,
    PAN_CONTEXT,
    STOVETOP_CONTEXT,
    W,
)
from chefmentor.ai.types import CATEGORIES


@dataclass(frozen=True)
class Concept:
    key: str
    label: str
    phrases: tuple[str, ...]
    weights: W
    family: Mapping[str, W] = field(default_factory=dict)
    negated: str | None = None
    context: Mapping[str, W] = field(default_factory=dict)
    safety: tuple[str, ...] = ()


# fmt: off
CONCEPTS: tuple[Concept, ...] = (
    Concept("burnt", "burnt/charred", (
        "burnt", "burn", "burned", "char", "charred", "blackened", "black", "scorched", "singed", "carbonized",
        "torched", "incinerated", "cremated", "too dark", "dark brown", "very dark",
    ), {"heat_too_high": 1.6, "cooked_too_long": 1.1}),
    Concept("burnt_bottom", "scorched on the bottom", (
        "burnt bottom", "burned bottom", "bottom burnt", "bottom burned", "scorched bottom", "bottom scorched",
        "caught on the bottom", "stuck to the bottom", "caught", "catching", "burnt on the bottom",
        "burned on the bottom",
        "bottom of the pot", "bottom of the pan",
    ), {"too_little_liquid": 1.2, "heat_too_high": 0.8},
        family={"grains": {"too_little_liquid": 1.6, "heat_too_high": 0.6}}),
    Concept("bitter", "bitter/harsh taste", ("bitter", "harsh"),
            {"heat_too_high": 0.8, "cooked_too_long": 0.5}),
    Concept("smoke", "smoke", (
        "smoke", "smoking", "smoky", "smoked out", "smoke alarm", "fire alarm", "smoke detector", "fumes",
    ), {"heat_too_high": 1.4}, safety=("smoke",)),
    Concept("fire", "flames", (
        "flame up", "flames shot", "burst into flames", "went up in flames", "big flames", "flames came up",
        "caught fire", "grease fire", "flare up", "on fire",
    ),
            {"heat_too_high": 1.6}, safety=("fire",)),
    Concept("high_heat", "very high heat", (
        "high heat", "on high", "full blast", "max heat", "maximum heat", "highest setting", "all the way up",
        "screaming hot", "ripping hot", "cranked", "blasting", "too hot", "very hot", "hottest", "full power",
        "full whack", "on full", "turned it up", "turned right up", "rolling boil", "boiling hard", "furiously",
    ), {"heat_too_high": 1.3}, negated="low_heat", context=dict.fromkeys(
        ("chilli", "chili", "chillies", "spicy", "spice", "jalapeno", "cayenne", "sriracha", "pepper"),
        {"seasoning_off": 1.6},
    )),
    Concept("hot_enough", "hot enough", ("hot enough", "properly hot", "got hot", "heated up"),
            {"heat_too_low": -0.4, "pan_not_ready": -0.4}, negated="low_heat"),
    Concept("low_heat", "gentle/low heat", (
        "low heat", "on low", "lowest setting", "lowest ring", "lowest heat", "lowest flame", "smallest ring",
        "smallest burner", "gentle heat", "barely warm", "not hot enough", "lukewarm",
        "too cold", "low flame", "low temperature", "not go higher",
        "not get hotter", "not get hot", "never got hot", "barely bubbled", "barely bubbling", "barely simmered",
        "barely simmering", "hardly simmering", "never came to the boil", "never boiled", "never simmered",
    ), {"heat_too_low": 1.3}, context=PAN_CONTEXT),
    Concept("raw_inside", "raw or pink inside", (
        "raw", "raw inside", "raw in the middle", "pink inside", "still pink", "pink", "pink in the middle",
        "bloody", "translucent", "cold in the middle", "cold inside", "frozen in the middle", "uncooked",
    ), {"cooked_too_short": 1.5, "heat_too_high": 0.4}, safety=("undercooked",)),
    Concept("undercooked", "undercooked", (
        "undercooked", "under cooked", "underdone", "under done", "underbaked", "under baked", "not done",
        "not ready", "needed more time", "needed longer",
    ), {"cooked_too_short": 1.8}, safety=("undercooked",)),
    Concept("cooked_through", "cooked through", ("cooked through", "cooked all the way", "done in the middle"),
            {"cooked_too_short": -0.6}, negated="undercooked"),
    Concept("doughy", "gummy/doughy centre", (
        "doughy", "gummy", "raw batter", "gooey inside", "gooey middle", "wet in the middle", "wet middle",
        "wet center", "wet streak", "uncooked middle", "raw dough", "gluey inside", "damp inside",
        "damp in the middle", "damp middle", "stodgy inside",
    ), {"cooked_too_short": 1.2, "too_much_liquid": 0.6, "heat_too_high": 0.3}, context=MASH_CONTEXT),
    Concept("runny", "runny/unset", (
        "runny", "did not set", "never set", "not set", "wobbly", "jiggly", "liquid in the center",
        "liquid center", "still liquid", "unset",
    ), {"cooked_too_short": 1.1, "too_much_liquid": 0.7, "heat_too_low": 0.4},
        context=dict.fromkeys(("batter", "dough", "mixture", "mix"), {"too_much_liquid": 1.6, "cooked_too_short": 0.2}),
        family={"emulsion": {"emulsion_broke": 1.2, "too_much_liquid": 0.3},
                "custard": {"cooked_too_short": 1.2, "heat_too_low": 0.6},
                "soup": {"too_much_liquid": 1.5, "cooked_too_short": 0.4},
                "baked": {"cooked_too_short": 1.5, "too_much_liquid": 0.4}}),
    Concept("set", "set", ("set properly", "firm", "it set"), {"cooked_too_short": -0.4}, negated="runny"),
    Concept("crunchy_grain", "hard/crunchy grains", (
        "crunchy", "chalky", "hard center", "hard in the middle", "hard grain", "hard little grain", "gritty",
        "still hard", "bite to it", "al dente", "still firm", "hard inside", "rock hard in the middle",
    ), {"cooked_too_short": 0.9, "too_little_liquid": 0.8},
        family={"legumes": {"cooked_too_short": 1.6, "too_little_liquid": 0.3},
                "grains": {"cooked_too_short": 1.2, "too_little_liquid": 1.1},
                "vegetables": {"cooked_too_short": 1.6}, "meat": {"cooked_too_long": 1.2}}),
    Concept("pale", "pale/no browning", (
        "pale", "anemic", "anaemic", "colourless", "colorless", "no color", "no colour", "blond", "whitish",
        "no crust", "no sear", "no browning", "not browned", "beige", "no char",
        "no charring", "never charred", "no caramelisation", "no caramelization", "never browned", "did not brown",
    ), {"heat_too_low": 1.0, "cooked_too_short": 0.6, "overcrowded_pan": 0.6, "pan_not_ready": 0.3}),
    Concept("grey", "grey/steamed look", ("grey", "gray", "greyish", "grayish", "boiled look", "dull"),
            {"overcrowded_pan": 1.2, "heat_too_low": 0.5, "pan_not_ready": 0.3}),
    Concept("browned", "browned", (
        "browned", "golden", "golden brown", "crust", "caramelized", "caramelised", "seared", "nice color", "amber",
        "went amber", "coloured", "colored",
        "nice colour",
    ), {"heat_too_low": -0.4, "overcrowded_pan": -0.3, "cooked_too_short": -0.2}, negated="pale"),
    Concept("broken", "broke", ("broke", "broken"), {},
            family={"emulsion": {"emulsion_broke": 1.8}, "custard": {"heat_too_high": 1.2, "emulsion_broke": 0.6}}),
    Concept("crispy", "crisp", ("crisp", "crispy", "crackling", "crackled", "crackle",
    "crunchy skin"), {"heat_too_low": -0.3, "overcrowded_pan": -0.2},
            negated="limp"),
    Concept("limp", "soft/not crisp", ("flabby", "rubbery skin", "chewy skin"),
            {"heat_too_low": 0.9, "overcrowded_pan": 0.6, "too_much_liquid": 0.3},
            family={"vegetables": {"cooked_too_long": 1.0, "too_much_liquid": 0.3}}),
    Concept("drab_veg", "dull, overcooked colour", (
        "olive green", "army green", "khaki", "drab", "lost its colour", "lost its color", "green ring",
    ), {"cooked_too_long": 1.4}),
    Concept("moment_added", "at the moment food went in", (
        "when it went in", "when they went in", "when i added", "when it hit the pan", "when i put it in",
        "as soon as it went in",
    ), {"pan_not_ready": 0.8}),
    Concept("slow", "slow to cook", (
        "took forever", "took ages", "forever", "ages", "took so long", "took way longer", "never got going",
        "sat there",
    ), {"heat_too_low": 1.0, "pan_not_ready": 0.5}),
    Concept("sizzle", "sizzle", ("sizzle", "sizzled", "sizzling"), {"pan_not_ready": -0.5, "heat_too_low": -0.4},
            negated="no_sizzle"),
    Concept("temp_drop", "sizzle died when the food went in", (
        "stopped sizzling", "sizzling stopped", "sizzle died", "stopped bubbling", "stopped frying",
        "temperature dropped", "temp dropped", "oil cooled down", "lost its sizzle", "lost the sizzle",
    ), {"overcrowded_pan": 1.4, "heat_too_low": 0.5}),
    Concept("no_sizzle", "no sizzle", ("no sizzle", "silent pan"), {"pan_not_ready": 1.6, "heat_too_low": 0.6}),
    Concept("greasy", "greasy/oil-soaked", (
        "greasy", "oily", "soaked up oil", "soaked up the oil", "soaking up", "soaked up butter",
        "soaking up butter", "oil logged", "oil soaked", "soggy with oil",
        "absorbed the oil", "absorbed oil", "drank up the oil", "drank the oil", "drank up oil",
    ), {"heat_too_low": 1.0, "emulsion_broke": 0.5, "pan_not_ready": 0.3},
        family={"emulsion": {"emulsion_broke": 1.5}, "fried": {"heat_too_low": 1.5}}),
    Concept("dry", "dry/dried out", (
        "dry", "dried out", "dry as", "parched", "sawdust", "crumbly", "leathery", "jerky", "shoe leather",
        "stringy", "hard as a rock", "rock hard", "hard as",
    ), {"cooked_too_long": 1.3, "too_little_liquid": 0.6, "heat_too_high": 0.3}, context=DOUGH_CONTEXT,
        family={"grains": {"too_little_liquid": 1.2, "cooked_too_long": 0.5},
                "soup": {"too_little_liquid": 1.3, "cooked_too_long": 0.6},
                "meat": {"cooked_too_long": 1.5, "heat_too_high": 0.4}}),
    Concept("tough", "tough/chewy/rubbery", ("tough", "chewy", "rubbery", "bouncy", "springy", "like rubber"),
            {"cooked_too_long": 1.1, "heat_too_high": 0.4},
            family={"baked": {"overmixed": 1.4, "too_little_liquid": 0.3},
                    "ground_meat": {"overmixed": 1.2, "cooked_too_long": 0.5},
                    "eggs": {"cooked_too_long": 0.9, "heat_too_high": 0.9},
                    "soup": {"cooked_too_short": 1.0, "cooked_too_long": 0.6}}),
    Concept("tunnels", "tunnels/peaked crumb", ("tunnel", "tunnels", "peaked", "big holes", "long holes"),
            {"overmixed": 1.6}),
    Concept("dense", "dense/heavy", (
        "dense", "heavy", "brick", "hockey puck", "doorstop", "no rise", "no oven spring", "compact",
        "stodgy", "thin and flat", "like a frisbee",
    ), {"leavening_problem": 1.4, "overmixed": 0.5, "too_much_liquid": 0.2}),
    Concept("rise", "rise", ("rise", "rose", "risen", "puffed up", "puff", "oven spring"),
            {"leavening_problem": -0.4}, negated="no_rise"),
    Concept("no_rise", "did not rise", (
        "sank", "sunk", "sunken", "collapsed", "deflated", "fell flat", "never doubled", "did not double",
        "not doubled", "no bubbles", "did not puff", "never puffed", "no holes",
        "no air pockets", "no pockets",
    ),
            {"leavening_problem": 1.5, "cooked_too_short": 0.3},
            family={"emulsion": {"emulsion_broke": 1.6}, "baked": {"leavening_problem": 1.7, "cooked_too_short": 0.3}}),
    Concept("flat", "flat", ("flat",), {"leavening_problem": 1.0, "seasoning_off": 0.5},
            family={"baked": {"leavening_problem": 1.6}},
            context={"taste": {"seasoning_off": 1.4}, "tasted": {"seasoning_off": 1.4},
                     "flavor": {"seasoning_off": 1.4}, "flavour": {"seasoning_off": 1.4}}),
    Concept("soapy", "soapy/metallic taste", ("soapy", "metallic", "chemical taste", "tinny", "bitter aftertaste"),
            {"seasoning_off": 0.4}, family={"baked": {"leavening_problem": 2.0}}, context=LEAVENER_CONTEXT),
    Concept("stale_agent", "old/expired ingredient", (
        "expired", "out of date", "past its date", "past the date", "past its best",
        "best before", "use by", "old", "dead", "stale", "inactive",
        "opened ages ago",
    ), {}, context=LEAVENER_CONTEXT),
    Concept("overrise", "over-proofed/over-risen", (
        "overproofed", "over proofed", "over proved", "rose too much", "overflowed", "spilled over", "yeasty",
        "boozy", "smelled of alcohol",
    ), {"leavening_problem": 1.8}),
    Concept("leavener", "raising agent", (
        "baking powder", "baking soda", "bicarb", "yeast", "starter", "leavening", "self raising", "raising agent",
    ), {"leavening_problem": 0.9}),
    Concept("overmix", "overmixing", (
        "overmixed", "over mixed", "overworked", "over worked", "overbeaten", "over beaten", "overkneaded",
        "over kneaded", "overwhipped", "over whipped", "overprocessed", "kept mixing", "kept stirring",
        "blitzed", "food processor", "stick blender", "blender",
        "kept beating", "mixed too long", "mixed too much", "beat the batter", "worked the dough", "mixer on high",
        "until smooth", "vigorously", "stirred a lot", "whisked hard", "beat it", "beat for",
    ), {"overmixed": 1.7}),
    Concept("watery", "watery/thin", (
        "watery", "soupy", "thin", "diluted", "weak", "watered down", "puddle", "pooled", "pool of", "swimming",
        "runny sauce", "liquid at the bottom", "too much liquid", "loose", "like soup", "like a soup", "like water",
        "sloppy", "drowning", "drowned", "flooded",
    ), {"too_much_liquid": 1.5, "cooked_too_short": 0.2},
        family={"emulsion": {"emulsion_broke": 1.0, "too_much_liquid": 0.6},
                "custard": {"cooked_too_short": 1.1, "too_much_liquid": 0.8}}),
    Concept("soggy", "soggy/wet", ("soggy", "wet", "waterlogged", "water logged", "limp", "steamy"),
            {"too_much_liquid": 0.9, "overcrowded_pan": 0.6, "heat_too_low": 0.3},
            family={"fried": {"heat_too_low": 1.0, "too_much_liquid": 0.4}}),
    Concept("mushy", "mushy/falling apart", (
        "mushy", "mush", "falling apart", "fell apart", "disintegrated", "porridge like", "baby food", "gluey",
        "pasty", "blown out",
    ), {"cooked_too_long": 1.1, "too_much_liquid": 0.8}, context=MASH_CONTEXT,
        family={"pasta": {"cooked_too_long": 1.5, "too_much_liquid": 0.2},
                "baked": {"cooked_too_short": 0.9, "too_much_liquid": 0.6},
                "vegetables": {"cooked_too_long": 1.5, "too_much_liquid": 0.3},
                "grains": {"too_much_liquid": 1.1, "cooked_too_long": 0.9, "overmixed": 0.3}}),
    Concept("thicken", "thickened", ("thicken", "thickened", "reduce", "reduced"), {"too_much_liquid": -0.3},
            negated="not_thickened"),
    Concept("not_thickened", "did not thicken", ("still thin", "never thickened", "would not thicken"),
            {"too_much_liquid": 1.3, "cooked_too_short": 0.5, "heat_too_low": 0.3}),
    Concept("dried_up", "liquid ran out", (
        "boiled dry", "evaporated", "ran out", "run out", "running out", "absorbed all", "soaked up all",
        "ran out of water", "reduced too much",
        "too thick", "thick paste", "cracked", "cracks", "cracking", "claggy", "dried up", "no sauce left",
        "all gone", "water was gone", "liquid was gone", "went dry", "ran dry", "pan was dry",
    ), {"too_little_liquid": 1.5, "cooked_too_long": 0.4}, context=DOUGH_CONTEXT,
        family={"baked": {"too_little_liquid": 1.1, "cooked_too_long": 0.6, "heat_too_high": 0.4}}),
    Concept("stiff", "stiff/shaggy dough", (
        "stiff", "tearing", "shaggy", "would not come together", "did not come together",
        "would not hold together", "crumbly dough", "tight dough",
        "hard to roll", "too firm",
    ), {"too_little_liquid": 1.4}, context={**DOUGH_CONTEXT, **STOVETOP_CONTEXT},
        family={"griddle": {"pan_not_ready": 1.2}, "meat": {"pan_not_ready": 1.0, "too_little_liquid": 0.2},
                "eggs": {"pan_not_ready": 1.0}}),
    Concept("crowded", "crowded pan", (
        "crowded", "overcrowded", "over crowded", "piled", "packed", "crammed", "jammed", "overlapping",
        "all at once", "whole pack", "whole kilo", "whole bag", "small skillet", "small pan", "too small a pan",
        "one big batch", "no room", "at once", "in one go", "one go", "on top of each other",
        "to the brim", "whole lot", "single tray", "one tray", "in one pan", "all together", "all in together",
        "on top of one another", "stacked", "full to the top",
        "filled to the top", "basket was full", "packed full", "the lot", "dumped everything",
        "dumped it all", "squished", "in one batch", "no space", "squeezed", "squashed", "crowding", "piled up",
        "overloaded", "over loaded", "touching", "too full",
        "whole punnet", "whole tray", "two trays", "full pan", "pan was full",
    ), {"overcrowded_pan": 1.5}),
    Concept("batches", "cooking in batches", ("in batches", "batches", "single layer", "one layer", "spaced out"),
            {"overcrowded_pan": -0.6}, negated="crowded"),
    Concept("steamed", "steamed/stewed instead of seared", (
        "steamed", "stewed", "own juices", "own juice", "released water", "released liquid", "released loads",
        "water came out", "liquid came out", "sitting in liquid", "sat in liquid", "sitting in water",
        "sitting in juice", "in a puddle of", "sitting in a pool", "sat in a pool", "pool of juice",
        "pool of juices", "grey puddle", "boiled in", "simmered in its", "let out water",
        "leaked water",
    ), {"overcrowded_pan": 1.3, "too_much_liquid": 0.4, "heat_too_low": 0.4}),
    Concept("bland", "bland/under-seasoned", (
        "bland", "tasteless", "no flavor", "no flavour", "flavorless", "flavourless", "needs salt",
        "needed salt", "under seasoned", "underseasoned", "under salted", "undersalted", "tastes flat",
        "tasted flat", "taste flat", "tastes like nothing", "like nothing", "tasted of not much",
        "nothing else going on", "nothing going on", "tastes like plain",
        "tasted like plain", "one dimensional", "one note",
        "taste of not much", "tastes of not much", "not much flavour", "not much flavor", "not much taste",
        "boring", "taste of nothing",
        "tasted of nothing", "tastes of nothing", "insipid", "no taste", "lacked flavour", "lacked flavor",
        "lacking flavour", "lacking flavor", "needed seasoning", "needs seasoning", "needed more salt",
    ), {"seasoning_off": 1.8}),
    Concept("overseasoned", "over-seasoned", (
        "salty", "too salty", "oversalted", "over salted", "over seasoned", "overseasoned", "too spicy",
        "like pure salt", "salt bomb", "salt water", "too strong", "way too strong", "numbing", "too numbing",
        "too hot to eat", "sour", "too lemony",
        "lemony", "vinegary", "too tart",
        "can not taste anything else", "all i can taste", "overpowers", "drowned out", "blow your head off",
        "mouth on fire",
        "too sour", "too sweet", "too acidic", "too tangy", "inedibly salty", "salt lick", "too much seasoning",
        "overpowered", "overpowering", "too peppery", "too garlicky", "fiery", "way too spicy", "too much chilli",
    ), {"seasoning_off": 1.9}),
    Concept("split", "split/separated/curdled", (
        "split", "splitting", "separated", "separating", "curdled", "curdle", "broken sauce", "sauce broke",
        "oil on top", "pool of butter", "pool of oil", "oily puddle", "puddle of oil",
        "oily pool", "pool of grease", "beads of oil", "little beads", "fat separated",
        "greasy film", "oily layer", "butter separated", "liquid and fat",
    ), {"emulsion_broke": 1.8},
        family={"custard": {"heat_too_high": 1.4, "emulsion_broke": 0.6},
                "emulsion": {"emulsion_broke": 2.0},
                "whipped": {"overmixed": 1.6, "emulsion_broke": 0.4}}),
    Concept("grainy", "grainy texture", ("grainy", "granular", "lumpy", "lumps", "scrambled"),
            {"heat_too_high": 0.6, "emulsion_broke": 0.6},
            family={"whipped": {"overmixed": 1.4}, "custard": {"heat_too_high": 1.3},
                    "emulsion": {"emulsion_broke": 1.0, "heat_too_high": 0.6}}),
    Concept("stuck", "stuck to the pan", (
        "stuck", "sticking", "stuck to the pan", "welded", "glued", "ripped", "tore", "would not release",
        "left behind on the pan", "skin came off", "fell apart when i flipped",
    ), {"pan_not_ready": 1.5, "heat_too_low": 0.3}, context=STOVETOP_CONTEXT,
        family={"griddle": {"pan_not_ready": 1.6}, "grains": {"too_little_liquid": 0.8, "pan_not_ready": 0.3},
                "baked": {"too_little_liquid": 1.0}}),
    Concept("clumped", "clumped/sticky", ("clumped", "clumpy", "sticky", "stuck together", "one big lump"),
            {"too_much_liquid": 0.6, "overmixed": 0.4},
            family={"grains": {"too_much_liquid": 1.0, "overmixed": 0.6, "cooked_too_long": 0.4}}),
    Concept("cold_pan", "cold pan", (
        "cold pan", "pan was cold", "pan was not hot", "oil was not hot", "straight away", "right away",
        "right after turning", "as soon as i turned",
        "straight after turning", "the second i turned", "the moment i turned",
        "the minute i turned", "just after turning", "just turned it on", "only just gone in", "only just turned on",
        "immediately added", "before the pan was hot", "before it was hot", "did not wait",
    ), {"pan_not_ready": 2.0}, context={"oven": {"heat_too_low": 1.6}},
        family={"fried": {"heat_too_low": 1.5, "pan_not_ready": 0.9}}),
    Concept("preheat", "preheating", (
        "preheat", "preheated", "pre heated", "shimmer", "shimmering", "hot pan", "heated the pan", "heat the pan",
        "got the pan hot", "get the pan hot", "let it heat", "heat up first", "heated up first", "warm up first",
        "smoking hot pan", "heat up", "let the pan heat", "pan hot",
    ), {"pan_not_ready": -0.9}, negated="cold_pan"),
    Concept("overcooked", "overcooked", (
        "overcooked", "over cooked", "overdone", "over done", "overbaked", "over baked", "well done", "too long",
        "left it", "left them", "left it in", "left them in", "forgot about it", "forgot them", "forgot it",
        "walked away", "extra minutes",
        "kept cooking", "way past", "too late", "past the time", "minutes past", "minutes longer", "mins longer",
        "minutes over", "longer than the recipe", "longer than it said", "longer than stated", "overdid it",
    ), {"cooked_too_long": 1.7}),
    Concept("rushed", "rushed/pulled early", (
        "rushed", "pulled it early", "took it out early", "took them out early", "in a hurry",
        "cut the time", "not long enough", "too early", "too soon", "out early", "off early", "took it off early",
        "took them off early", "did not give it long enough", "gave up waiting", "should have left it longer",
        "needed longer", "needed more time", "cut it short",
    ), {"cooked_too_short": 1.8}),
    Concept("impatient", "impatience", ("impatient", "could not wait", "got impatient"),
            {"cooked_too_short": 0.5, "pan_not_ready": 0.5, "heat_too_high": 0.4}),
    Concept("broke_apart", "broke apart", ("broke into", "broke apart", "broke up", "broken up", "fell to bits"),
            {"pan_not_ready": 0.5, "cooked_too_long": 0.4}, context={**STOVETOP_CONTEXT, **dict.fromkeys(
                ("turn", "flip", "flipped", "flipping", "turned", "turning"), {"pan_not_ready": 1.3})}),
    Concept("fast_oil", "fat added too fast", (
        "oil too fast", "oil too quickly", "oil in too fast", "oil all at once", "all the oil at once",
        "butter too fast", "butter too quickly", "butter all at once", "oil went in too fast", "too much oil at once",
    ), {"emulsion_broke": 1.8}),
    Concept("emulsified", "emulsified", ("emulsify", "emulsified", "went white and fluffy", "went thick and creamy"),
            {"emulsion_broke": -0.4}, negated="split"),
    # how a dish is meant to be: "steamed them for 40 min" (dumplings, tamales), "runny yolks" on shakshuka
    Concept("method", "the intended method or result", (
        "steamed for", "steamed them for", "steamed it for", "steam them for", "runny yolk", "runny yolks",
        "burst open", "burst", "tore one open", "tore it open", "torn open", "broke one open",
        "cut one open", "cut it open", "cut into it",
    ), {}),
    Concept("hard_yolk", "hard, overcooked yolk", (
        "hard yolk", "hard yolks", "yolk hard", "yolks hard", "yolk was hard", "yolks were hard", "yolks totally hard",
        "yolk completely hard", "no runny yolk", "no runny bit", "chalky yolk", "grey yolk", "green yolk",
        "yolks were solid", "yolk was solid",
    ), {"cooked_too_long": 1.7}),
    Concept("drained", "drained/patted dry", ("drain", "drained", "pat dry", "patted dry", "squeeze", "squeezed"),
            {"too_much_liquid": -0.4}, negated="not_drained"),
    Concept("not_drained", "not drained", ("dripping wet", "still wet"),
            {"too_much_liquid": 1.2, "overcrowded_pan": 0.4}),
    Concept("injury", "an injury, not the food", tuple(
        f"{verb} {part}" for verb in ("burned my", "burnt my", "burn my", "scalded my", "cut my", "nicked my")
        for part in ("hand", "finger", "fingers", "thumb", "arm", "wrist", "tongue", "mouth", "palm")
    ) + ("burned myself", "burnt myself", "scalded myself", "cut myself"), {}),
    Concept("not_cooked", "the dish was never cooked or served", (
        "ordered pizza", "ordered takeaway", "ordered takeout", "ordered a takeaway", "got takeaway",
        "got a takeaway", "got takeout", "never made it", "did not get to cook", "never got to cook",
        "on the floor", "on the kitchen floor", "dropped the plate", "dropped the whole plate", "dropped my plate",
    ), dict.fromkeys(CATEGORIES, -1.5)),
    Concept("boiled_meat", "meat boiled instead of browning", ("boiled", "boiling", "poached"), {},
            family={"soup": {}, "meat": {"overcrowded_pan": 1.0, "heat_too_low": 0.5}}),
    Concept("seized", "seized", ("seized", "seized up", "went thick and grainy"),
            {"heat_too_high": 1.2, "emulsion_broke": 0.8}),
    Concept("spatter", "spattering", ("spatter", "spattered", "splatter", "splattering", "spitting"),
            {"heat_too_high": 0.6, "too_much_liquid": 0.3}),
)


# fmt: on

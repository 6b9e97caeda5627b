"""Per-category knowledge: what the failure is, why it happens, what to do now and next time."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CategoryKnowledge:
    key: str
    title: str
    root_cause: str  # formatted with {dish}
    mechanism: str
    fix_now: str
    next_time: tuple[str, ...]
    visual_cues: tuple[str, ...]
    typical_dishes: tuple[str, ...]


KNOWLEDGE: dict[str, CategoryKnowledge] = {
    k.key: k
    for k in (
        CategoryKnowledge(
            "heat_too_high",
            "Heat too high",
            "The heat was too high for {dish}: the surface burnt before the inside caught up.",
            "Browning runs far faster than heat can travel inwards, so a hot pan chars the outside while the centre "
            "lags behind; sugars and garlic go bitter within seconds and oil past its smoke point turns acrid.",
            "Trim or scrape off the blackened parts, lower the heat and finish gently (covered, or in a 160 °C oven) "
            "until the centre is done; a squeeze of acid or a fresh sauce masks a little bitterness.",
            (
                "Cook at the heat the recipe names (medium means the oil shimmers, not smokes).",
                "Thick pieces: sear hot briefly, then finish on lower heat or in the oven.",
                "Add garlic, sugar-rich sauces and spices later, once the heat is down.",
                "Use an oil with a high smoke point for searing.",
            ),
            ("black or very dark patches", "bitter smell, smoke", "raw or pink centre under a dark crust"),
            ("steak", "pork chops", "pancakes", "garlic", "stir fry", "custard"),
        ),
        CategoryKnowledge(
            "heat_too_low",
            "Heat too low",
            "The heat was too low for {dish}, so it stewed slowly instead of browning or setting.",
            "Below roughly 140 °C there is no Maillard browning: food sweats its moisture, frying oil soaks in instead "
            "of sealing the surface, and eggs or custards take far longer to set.",
            "Turn the heat up (or raise the oven 15–25 °C) and give it a few more minutes to colour; drain greasy "
            "fried food on a rack and re-crisp in a hot oven.",
            (
                "Check the real temperature: an oven thermometer, or oil that shimmers and sizzles when food goes in.",
                "Let the pan and oil come fully up to heat before adding food.",
                "For frying, keep oil at 170–180 °C and fry in small batches so it does not drop.",
            ),
            ("pale surface", "greasy, oil-soaked coating", "watery, slow-to-set eggs"),
            ("roast potatoes", "fried chicken", "scrambled eggs", "cookies", "fries"),
        ),
        CategoryKnowledge(
            "cooked_too_long",
            "Cooked too long",
            "{dish_cap} stayed on the heat too long and overcooked.",
            "Past its target, protein keeps tightening and squeezing out water, starches break down to mush, and "
            "baked goods lose moisture from the crumb out.",
            "Slice thin and serve with a sauce or broth to add moisture back; dried-out cake can be brushed with "
            "syrup; mushy vegetables or pasta are best turned into soup or a bake.",
            (
                "Set a timer and start checking a few minutes before the recipe's time.",
                "Use a thermometer for meat and pull it 3–5 °C before the target; it carries over while resting.",
                "Remember residual heat: take eggs, pasta and vegetables off just before they look done.",
            ),
            ("dry, tough or rubbery texture", "dark edges", "mushy, collapsed vegetables or pasta"),
            ("chicken breast", "brownies", "pasta", "boiled eggs", "steak"),
        ),
        CategoryKnowledge(
            "cooked_too_short",
            "Not cooked long enough",
            "{dish_cap} came off the heat before it was cooked through.",
            "Heat needs time to reach the centre: the outside can look done while the middle is still raw, starch is "
            "still hard, or batter has not set.",
            "Put it back: covered on low heat, or in a 170–180 °C oven, until the centre is done (check with a "
            "thermometer or a skewer); add a splash of water to grains and cover to finish them.",
            (
                "Go by doneness cues, not only the clock: internal temperature, a clean skewer, tender grains.",
                "Thick or cold-from-the-fridge pieces need more time; let meat sit out 20 minutes first.",
                "Keep the lid on while grains simmer and let them rest off the heat.",
            ),
            ("raw or pink centre", "wet, gummy middle", "hard, chalky grains"),
            ("rice", "chicken", "cake", "banana bread", "quinoa", "pork"),
        ),
        CategoryKnowledge(
            "overcrowded_pan",
            "Overcrowded pan",
            "Too much {dish} went into the pan at once, so it steamed instead of searing.",
            "A full pan drops in temperature and traps the water the food releases; with nowhere to evaporate it "
            "boils the food grey instead of browning it.",
            "Pour off the liquid, turn the heat up and brown the pieces again in smaller batches.",
            (
                "Cook in batches with space between pieces (a single layer, not touching).",
                "Use the widest pan you have, and pat food dry before it goes in.",
                "Let the pan recover its heat between batches.",
            ),
            ("grey, steamed surface", "liquid pooling in the pan", "no crust"),
            ("mushrooms", "stir fry", "beef", "chicken pieces", "potatoes"),
        ),
        CategoryKnowledge(
            "too_much_liquid",
            "Too much liquid",
            "There was too much liquid in {dish}, leaving it thin, soggy or gummy.",
            "Extra water dilutes flavour and starch, keeps batters from setting and stops sauces from coating; it "
            "only leaves by evaporation, which takes time and an open pan.",
            "Simmer uncovered to reduce, or thicken with a cornstarch slurry; drain excess liquid; bake wet batters "
            "longer at a lower temperature with foil on top.",
            (
                "Measure liquid by weight or with a proper cup, and account for wet ingredients (fruit, vegetables).",
                "Add liquid gradually near the end; you can always add more.",
                "Drain and pat dry washed or thawed ingredients.",
            ),
            ("pooled liquid", "soupy or runny texture", "wet, gummy crumb"),
            ("risotto", "soup", "banana bread", "rice", "curry"),
        ),
        CategoryKnowledge(
            "too_little_liquid",
            "Too little liquid",
            "{dish_cap} did not have enough liquid, so it dried out, stiffened or caught on the bottom.",
            "Grains and doughs need a set ratio of water to soften and develop; once the liquid is gone the bottom "
            "scorches and the rest stays hard or cracks.",
            "Add hot liquid a little at a time and cover to steam it through; for dough, knead in water a tablespoon "
            "at a time; leave any scorched layer in the pot.",
            (
                "Follow the liquid ratio (e.g. rice ~1:1.5 by volume) and keep the lid on.",
                "Weigh flour rather than scooping; packed flour is a common cause of dry dough.",
                "Check the pot halfway and add liquid before it runs dry.",
            ),
            ("hard grains", "cracks", "scorched bottom", "stiff, tearing dough"),
            ("couscous", "rice", "bread dough", "pasta dough", "cake"),
        ),
        CategoryKnowledge(
            "seasoning_off",
            "Seasoning off",
            "The seasoning of {dish} was off balance.",
            "Salt, acid and sweetness decide how flavour lands; under-salted food tastes flat, and salty components "
            "(soy, stock, cheese) add up quickly.",
            "Too bland: add salt in pinches, plus acid (lemon, vinegar) and tasting as you go. Too salty: dilute with "
            "unsalted liquid or more of the base ingredient, add acid or fat, and serve with plain starch.",
            (
                "Season in layers and taste before serving.",
                "Count salty ingredients (soy sauce, stock cubes, cheese) before adding salt.",
                "Use the same salt the recipe uses; flaky and fine salts differ a lot by volume.",
            ),
            ("no visual cue; taste", "white salt crust"),
            ("soup", "stir fry", "stew", "sauces"),
        ),
        CategoryKnowledge(
            "overmixed",
            "Overmixed",
            "{dish_cap} was mixed or worked too much, making it tough and dense.",
            "Mixing develops gluten in batters and doughs and tightens ground meat proteins; a little makes structure, "
            "too much makes it chewy, tunnelled or rubbery. Whipped cream overbeaten turns grainy.",
            "It cannot be undone in the cooked dish: serve it with something moist (syrup, sauce, custard); "
            "overwhipped cream can be rescued by folding in a little unwhipped cream.",
            (
                "Mix batters only until the flour disappears; lumps are fine.",
                "Fold by hand with a spatula once flour goes in.",
                "Handle ground meat lightly and briefly.",
            ),
            ("tunnels, peaked tops", "tough, chewy crumb", "grainy whipped cream"),
            ("muffins", "pancakes", "meatballs", "cake", "whipped cream"),
        ),
        CategoryKnowledge(
            "leavening_problem",
            "Leavening problem",
            "{dish_cap} did not rise properly because of the raising agent.",
            "Baking powder, soda and yeast make the gas that lifts the crumb; stale or missing leavener, too short a "
            "rise, or too much soda (soapy, metallic taste) all show up as a flat, dense or sunken result.",
            "A dense loaf still makes good toast or breadcrumbs; a soapy-tasting bake cannot be fixed, so start again.",
            (
                "Test leaveners: baking powder fizzes in hot water; yeast foams in warm sugared water in 10 minutes.",
                "Measure raising agents exactly (level spoons) and give yeasted dough the full rise.",
                "Get batter into the preheated oven promptly once the leavener is wet.",
            ),
            ("flat, low profile", "dense crumb", "sunken middle"),
            ("bread", "cake", "pancakes", "sourdough", "muffins"),
        ),
        CategoryKnowledge(
            "emulsion_broke",
            "Emulsion broke",
            "The {dish} emulsion broke: the fat separated from the liquid.",
            "An emulsion holds tiny fat droplets in water with the help of an emulsifier (egg yolk, mustard); fat "
            "added too fast, too much heat, or wrong temperatures let the droplets merge and split out.",
            "Start a fresh yolk (or a spoon of warm water or mustard) in a clean bowl and whisk the broken sauce into "
            "it drop by drop; for butter sauces, take off the heat and whisk in a splash of cold water.",
            (
                "Add oil or butter slowly, drop by drop at first, whisking constantly.",
                "Keep warm emulsions (hollandaise, beurre blanc) below a simmer.",
                "Have ingredients at similar temperatures.",
            ),
            ("oily beads or a slick on top", "curdled or grainy sauce", "thin, oily texture"),
            ("mayonnaise", "hollandaise", "beurre blanc", "vinaigrette", "ganache"),
        ),
        CategoryKnowledge(
            "pan_not_ready",
            "Pan not ready",
            "The pan was not hot enough when {dish} went in, so it stuck and would not brown.",
            "Food sticks when its proteins bond to a cool metal surface; a properly preheated pan with shimmering oil "
            "sears the surface instantly so it releases by itself.",
            "Do not force it: leave it another minute to release, then loosen with a thin spatula; finish the rest in "
            "a properly hot pan.",
            (
                "Preheat the pan 2–3 minutes before the oil, then heat the oil until it shimmers.",
                "Dry the food and do not move it until it releases.",
                "Use enough fat, and a well-seasoned or non-stick pan for eggs and fish.",
            ),
            ("torn skin or crust left on the pan", "pale patches", "no sizzle"),
            ("fish", "fried eggs", "chicken skin", "steak", "potatoes"),
        ),
    )
}

UNKNOWN_NEXT_TIME: tuple[str, ...] = (
    "Describe what went wrong: texture (dry, raw, soggy), colour (pale, burnt), taste (bland, salty, bitter).",
    "Add a photo of the inside or a cross-section, not only the top.",
    "Cook with a ChefMentor session so step times and heat are recorded; they make diagnosis far more precise.",
)

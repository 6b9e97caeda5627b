"""More ways cooks say what the lexicon's concepts mean: slang, chef jargon, British/American/Indian English and
the simpler phrasings of cooks writing in a second language. Data only; `concepts.py` merges it in.

Every phrase here joins an existing concept, so it inherits that concept's weights, family overrides,
negation and context rules. Single words are only added when they have no everyday non-failure sense in a
kitchen ("white" or "sharp" are not, "scorch marks" is).
"""

from __future__ import annotations

from collections.abc import Mapping

from chefmentor.ai.local.contexts import W

# fmt: off
EXTRA_PHRASES: dict[str, tuple[str, ...]] = {
    "burnt": (
        "become black", "became black", "becomes black", "become dark", "became dark", "become burn",
        "became burn", "become burnt", "is burn", "got burn", "was burn", "turn black", "turns black",
        "went dark", "turned dark", "got dark", "gone dark", "dark and bitter", "darker than",
        "black spots", "black spot", "black bits", "burnt bits", "burned bits", "scorch marks", "scorch mark",
        "charcoal", "like charcoal", "carbon", "ashes", "cinders", "went black", "turned black", "gone black",
        "over browned", "overbrowned", "too much colour", "too much color", "burnt crust", "burned crust",
        "dark crust", "past amber", "went past amber", "burnt sugar", "burnt edges", "edges burnt",
        "edges burned", "burned edges", "dark edges", "singe", "scorch", "blackish", "burnt on the outside",
        "burned outside", "burnt outside", "outside burnt", "outside burned", "too brown", "overcoloured",
        "overcolored", "over coloured", "over colored",
    ),
    "smoke": ("smoking oil", "oil smoking", "smoke coming", "smoke everywhere", "kitchen full of smoke",
              "smoky kitchen"),
    "high_heat": (
        "too much hot", "very much hot", "so much hot", "much hot", "fire too big", "fire was big",
        "fire too high", "fire too strong", "flame too big", "flame too high", "flame too strong",
        "fire was high", "flame was high", "flame was big",
        "big fire", "high fire", "strong fire", "full fire", "full flame", "high flame", "max flame",
        "strong flame", "full gas", "high gas", "flame on full", "gas on full", "gas on high", "burner maxed",
        "maxed out", "blazing", "roaring hot", "searing hot", "smoking hot", "nuclear", "inferno",
        "like a furnace", "highest flame", "highest heat", "hob on full", "hob on high", "grill on full",
        "broiler on high", "oven on full", "top heat", "very very hot", "super hot", "extremely hot",
        "crazy hot", "insanely hot", "heat too high", "temperature too high", "temp too high", "too high",
        "hot hot", "rapid boil", "boiled hard", "hard boil", "vigorous boil", "aggressive heat",
    ),
    "low_heat": (
        "fire too small", "fire too low", "fire was low", "fire was small", "flame too small", "flame too low",
        "flame was low", "flame was small", "not enough hot", "no enough hot", "not so hot",
        "small fire", "low fire", "slow fire", "slow flame", "small flame", "gentle flame", "weak flame",
        "low gas", "lowest gas", "on sim", "kept on sim", "at sim", "simmer setting", "warm setting",
        "keep warm setting", "oven too cool", "cool oven", "oven was cool", "oven not hot", "oil not hot",
        "oil too cool", "cold oil", "oil was cold", "not shimmering", "heat too low",
        "temperature too low", "temp too low", "too low", "weak burner", "tiny burner", "oven runs cold",
        "oven running cold", "oven was off", "did not get hot",
    ),
    "raw_inside": (
        "still raw", "raw centre", "raw center", "raw middle", "raw in the centre", "raw in the center",
        "half raw", "pink at the bone", "red at the bone", "bloody at the bone", "red inside", "red in the middle",
        "juices ran pink", "pink juices", "juices were pink", "juices not clear", "juice not clear",
        "glassy", "glassy centre", "glassy center", "icy middle", "frozen centre", "frozen center", "cold centre",
        "cold center", "still cold", "still frozen", "blue in the middle", "too rare", "still rare",
        "raw dough still", "inside is raw", "inside raw", "raw underneath", "uncooked inside",
    ),
    "undercooked": (
        "not cooked", "not cooked through", "not cooked enough", "half cooked", "half done", "half baked",
        "under baked", "not baked through", "not done in the middle", "not done inside", "chalky centre",
        "chalky center", "chalky middle", "chalky core", "hard centre", "hard core", "white core", "raw core",
        "stuck to the husk", "sticking to the husk", "stuck to the husks", "sticks to the husk",
        "stuck to the paper", "sticking to the paper", "stuck to the wrapper", "sticking to the wrapper",
        "stuck to the leaf", "sticking to the leaf", "masa still wet", "floury taste", "tasted of flour",
        "tastes of flour", "raw flour taste", "raw flour", "tasted floury", "tastes floury", "starchy taste",
        "crunchy centre", "crunchy center", "crunchy in the middle", "needed another", "needed more minutes",
        "under cooked", "undercook",
    ),
    "doughy": (
        "gooey",
        "gummy middle", "gummy centre", "gummy center", "gummy inside", "gooey centre", "gooey center",
        "doughy middle", "doughy centre", "doughy center", "raw streak", "sad streak", "wet crumb",
        "sticky crumb", "damp crumb", "claggy middle", "claggy inside", "raw batter inside",
    ),
    "runny": (
        "liquid in the middle", "liquid in the centre", "liquid middle", "liquid centre", "molten middle",
        "still runny", "too runny", "runny middle", "runny centre", "runny center", "sloshy", "soupy middle",
        "liquid inside", "did not firm up", "never firmed up", "would not set", "not setting", "loose set",
        "jiggles too much", "wobbles too much",
    ),
    "pale": (
        "stay white", "stayed white", "still white", "stays white", "too white", "pasty white", "ghostly",
        "ghostly pale", "pallid", "blonde", "sickly pale", "uncoloured", "uncolored", "no golden",
        "not golden", "never golden", "no golden colour", "no golden color", "not get golden",
        "did not get golden", "did not colour", "did not color", "no bark", "no maillard", "no fond",
        "no wok hei", "no wok hay", "no socarrat", "no tahdig", "no crispy bottom", "no crackling",
        "colourless crust", "anaemic looking", "anemic looking", "white and soft", "no sear on it",
        "did not sear", "would not brown", "never got colour", "never got color", "no browning at all",
    ),
    "grey": ("grey and sad", "gray and sad", "greyish brown", "grayish brown", "grey meat", "gray meat",
             "grey all over"),
    "greasy": (
        "oil logged", "oil sodden", "oily and heavy", "dripping oil", "dripping with oil", "dripping in oil",
        "grease bomb", "swimming in oil", "oil sponge", "soaked in oil", "full of oil", "heavy with oil",
        "soaked up fat", "absorbed fat", "greasy af", "oily af", "grease everywhere", "slick with oil",
    ),
    "dry": (
        "dry as a bone", "bone dry", "dry and stringy", "cotton wool", "cottony", "woolly", "like cardboard",
        "dried up meat", "dry and crumbly", "crumbles when cut", "chalky meat", "chalky chicken", "chalky fish",
        "dry breast", "dry chicken", "dry meat", "tight and dry",
    ),
    "tough": (
        "bready", "bready coating", "doughy coating", "heavy batter",
        "like leather", "leather", "like chewing gum", "like an eraser", "like a rubber", "rubber", "like shoe",
        "tough as old boots", "tough as boots", "tough as nails", "chewy as", "jaw workout", "squeaky",
        "rubbery texture", "bouncy texture",
    ),
    "tunnels": (
        "tunneling", "tunnelling", "tunnel holes", "holes running through", "long tunnels", "peaked top",
        "peaked tops", "pointy top", "pointy tops", "holes inside", "air tunnels",
    ),
    "dense": (
        "gummy crumb", "tight crumb", "closed crumb", "no open crumb", "no ear", "bricky", "like a brick",
        "heavy as lead", "leaden", "lead weight", "squat", "low rise", "no lift", "barely rose", "barely rise",
        "barely risen", "hardly rose", "did not rise much", "like a cracker", "dense crumb", "heavy crumb",
        "pudding like", "stodgy crumb",
    ),
    "no_rise": (
        "did not ferment", "never fermented", "no fermentation", "not fermented", "under fermented",
        "underfermented", "under proofed", "underproofed", "under proved", "underproved", "did not bubble up",
        "no rise at all",
        "did not rise", "never rose", "not rise", "no puff", "did not puff up", "no oven rise",
        "flat as a pancake", "flat as a board", "sat flat", "stayed flat", "went flat", "fell in the oven",
        "collapsed in the oven", "sank in the middle", "dip in the middle", "crater", "sinkhole", "no eyes",
        "no holes on top", "did not double in size", "no bubbles in the dough",
    ),
    "overrise": (
        "over proved", "overproved", "over proofed", "over risen", "overrisen", "collapsed after rising",
        "huge holes", "cavernous holes", "giant holes", "flying crust", "smelled like beer", "beer smell",
        "alcohol smell", "sour and yeasty", "too yeasty", "proofed too long", "proved too long",
        "left to rise too long", "rose and fell", "mushroomed over",
    ),
    "soapy": ("tastes of soap", "tasted of soap", "like soap", "soap taste", "metal taste", "metallic taste",
              "chemical aftertaste", "baking soda taste", "bicarb taste", "bitter soapy"),
    "overmix": (
        "over handled", "overhandled", "handled too much", "kneaded too much", "kneaded too long", "mixed forever",
        "whisked forever", "beat forever", "beaten forever", "mixed until smooth", "beat until smooth",
        "beat it smooth", "beaten smooth", "whisked until smooth", "no lumps", "stand mixer", "kitchenaid",
        "electric mixer", "hand mixer", "electric whisk", "processed too long", "pulsed too long",
        "blitzed too long", "worked too much", "worked it too much", "worked it a lot", "mix very long",
        "mixed very long", "mixed for long", "turned to butter", "went to butter", "overmix", "overwork",
        "over mix", "over work", "overbeat", "over beat", "overknead", "over knead", "mixed a lot",
        "beat a lot", "stirred too much", "stirred too long", "too much stirring", "too much mixing",
    ),
    "watery": (
        "too soft", "dough too soft", "soft dough", "stuck to everything", "stuck to my hands",
        "sticking to my hands", "stuck to the counter", "stuck to the board", "stuck to the bench",
        "stuck to the rolling pin", "sticks to everything", "sticking to everything",
        "too sticky", "like batter", "batter like", "too soft to handle", "could not shape it",
        "would not hold its shape", "sticky dough", "too sticky to knead", "wet and sticky",
        "thin sauce", "sauce too thin", "too loose", "slack", "slack dough", "wet dough", "dough too wet",
        "batter too thin", "too wet", "sticky wet", "spread everywhere", "ran everywhere", "water everywhere",
        "juice everywhere", "juices everywhere", "like broth", "like a broth", "like juice", "soup like",
        "pink soup", "sauce like soup", "liquid everywhere", "swimming in sauce", "swimming in liquid",
        "watery mess", "sloppy mess", "very thin", "too thin", "wet and sloppy",
    ),
    "mushy": (
        "porridge", "like congee", "congee like", "risotto like", "like risotto",
        "soft all the way through", "no bite", "no bite left", "lost their shape", "lost its shape", "pulpy",
        "pulp", "broken grains", "grains broken", "grains burst", "grains split", "bloated", "swollen",
        "soggy pasta", "soggy noodles", "limp and soggy", "overcooked mush", "fell to pieces",
        "falling to pieces", "like porridge", "like paste", "become like paste", "turned to paste",
        "paste like", "gluggy", "gloopy", "gloppy", "goopy", "claggy rice",
    ),
    "dried_up": (
        "reduced away", "boiled away", "cooked away", "simmered away", "evaporated away", "would not roll",
        "would not roll out", "could not roll", "kept cracking", "cracked when rolled", "cracked when rolling",
        "pot went dry", "pot was dry", "pan went dry", "cooked dry", "no liquid left", "liquid all gone",
        "liquid evaporated", "all evaporated", "sauce evaporated", "reduced to nothing", "sauce disappeared",
        "water all gone", "water disappeared", "almost dry", "dry pot", "too stiff", "stiff dough", "hard dough",
        "dry dough", "dough cracked", "cracking dough", "dough was cracking", "like cement", "like concrete",
        "set solid", "thick as cement", "thick as glue", "like glue", "wallpaper paste", "too tight",
        "tight sauce", "tight gravy", "sauce too thick", "gravy too thick", "solid like jelly",
    ),
    "crowded": (
        "too many pieces", "too much pieces", "too much meat in the pan", "too much food in", "too much food",
        "too many at once", "too many in", "too much in the pan", "too much in the wok",
        "like sardines", "shoulder to shoulder", "no gap", "no gaps", "double layer", "two layers",
        "piled high", "heaped up", "everything at once", "all in at once", "whole lot at once",
        "crowded the pan", "crowded the wok", "wok was full", "tray was full", "full wok", "crammed the",
        "crammed in", "packed in", "all of it in", "whole batch at once", "all the pieces at once",
    ),
    "steamed": (
        "stewing", "stewed not seared", "boiled not seared", "simmering in their juices", "sat in their own water",
        "in their own water", "own water", "swimming in juice", "liquid in the pan", "water in the pan",
        "juice in the pan", "boiled grey", "steamed grey", "steamed instead", "stewed instead", "boiled instead",
        "sweated instead", "watery pan", "puddle in the pan", "released so much water", "gave off water",
        "gave off liquid", "threw out water",
    ),
    "bland": (
        "not have taste", "not has taste", "no have taste", "without taste", "taste nothing", "have no taste",
        "has no taste", "no flavour at all", "not taste of anything",
        "flat tasting", "needs something", "needed something", "missing something", "lacks depth", "no depth",
        "no punch", "no kick", "dull taste", "dull flavour", "dull flavor", "watery taste", "no salt",
        "forgot the salt", "forgot salt", "unseasoned", "not seasoned", "not enough salt", "needs acid",
        "needed acid", "lacks acid", "tastes of water", "tastes like water", "tasted like water", "bland af",
        "zero flavour", "zero flavor", "meh flavour", "meh flavor", "nothing to it", "no oomph",
        "flavour was flat", "flavor was flat", "taste was flat", "lacking salt", "lacked salt",
    ),
    "overseasoned": (
        "very salt", "too salt", "so salt", "much salt", "salt is too much", "too much salty",
        "tastes of soy", "just tastes of", "only tastes of", "all you can taste is", "all i could taste was",
        "tasted only of", "tastes only of",
        "salt overload", "overload of salt", "spice overload", "garlic overload", "sugar overload",
        "chilli overload", "chili overload", "pepper overload", "vinegar overload", "lemon overload",
        "salty af", "briny", "like the sea", "like seawater", "sea water", "too much salt", "way too salty",
        "too much sour", "too much lime", "too much lemon", "too much vinegar", "too much chili",
        "too much chilli", "too much spice", "too much garlic", "too much pepper", "too much sugar",
        "too acid", "too sharp", "tasted sharp", "mouth puckering", "puckering", "cloying", "sickly sweet",
        "overwhelming", "overwhelmed", "eat everything", "ate everything", "swamped", "masked the",
        "can not taste the", "could not taste the", "cannot taste the", "can not taste any", "too strong taste",
        "too much soy", "double soy", "burns the mouth", "tongue on fire", "too much masala", "too spicy hot",
    ),
    "split": (
        "the sauce cut", "sauce is cut", "mayonnaise is cut", "mayo is cut", "became oil", "become oil",
        "turned to oil", "turn into oil", "turned into oil", "is cut itself", "cut itself",
        "butter soup", "oil soup", "oily soup", "greasy soup", "liquid butter", "melted butter soup",
        "split on me", "went oily", "turned oily", "oily mess", "greasy mess", "greasy puddle", "oil slick",
        "oil leaking out", "butter leaking out", "fat pooled", "separated out", "grainy and oily",
        "cottage cheese", "like cottage cheese", "looks curdled", "curdly", "not creamy anymore",
        "lost its creaminess", "no longer creamy", "thin and oily", "curds and whey", "layer of fat",
        "oil floating", "oil separated", "fat separating", "sauce separated", "sauce split", "mayo split",
        "emulsion broke", "emulsion split", "emulsion broken", "is separate", "went separate",
        "became separate", "greasy and broken", "broke on me", "broken on me",
    ),
    "stuck": (
        "welded on", "stuck fast", "glued to", "stuck like glue", "fused to", "would not flip", "could not flip",
        "tore apart", "left the skin", "skin stayed in the pan", "skin stuck", "lost the skin",
        "came apart when flipped", "stuck and tore", "stick on", "stick to", "sticks to the pan",
        "stick to the pan", "stuck on the pan", "stuck to the tawa", "stick on tawa", "stuck to the wok",
        "stuck to the grill", "stuck to the grates", "stuck to the tray", "tear when", "tore when",
    ),
    "cold_pan": (
        "pan not hot", "pan was not hot enough", "cold tawa", "tawa not hot", "wok not hot", "before it heated",
        "before the oil was hot", "before the pan heated", "before the pan had heated", "pan not ready",
        "pan was not ready", "put it in cold", "started cold", "started in a cold", "cold skillet", "cold wok",
        "not heated enough before", "did not heat the pan", "did not preheat the pan", "skipped preheating",
        "no preheat", "without preheating", "pan too cold", "tawa too cold", "pan was cool",
    ),
    "overcooked": (
        "cooked to death", "cooked the hell out", "boiled to death", "roasted to death", "way overdone",
        "gone too far", "past it", "overboiled", "over boiled", "overroasted", "over roasted", "overfried",
        "over fried", "over steamed", "oversteamed", "overbrewed", "stewed too long", "left on too long",
        "left in too long", "on too long", "in too long", "boiled too long", "baked too long", "fried too long",
        "simmered too long", "roasted too long", "forgot on the", "forgot it on", "forgot them on",
        "fell asleep", "got distracted", "kept it on", "overshot", "over shot", "too much time",
        "sulphur smell", "sulfur smell", "eggy smell", "grey ring", "gray ring",
    ),
    "rushed": (
        "too short time", "short time", "not enough time", "too little time", "little time",
        "cut it straight from the oven", "cut it hot", "sliced it hot", "cut too soon", "sliced too early",
        "sliced too soon", "cut it too early", "did not let it cool", "did not let it rest", "no resting",
        "cut straight away",
        "pulled them early", "pulled it out early", "took it out too soon", "took them out too soon",
        "rushed it", "short on time", "did not have time", "skipped the rest", "cut short", "hurried",
    ),
    "fast_oil": ("added oil too fast", "oil too fast", "poured the oil in", "dumped the oil", "poured too fast",
                 "added the butter too fast", "butter in too fast"),
    "hard_yolk": ("yolk like chalk", "yolks like chalk", "powdery yolk", "crumbly yolk", "rubbery whites"),
    "browned": ("went brown", "turned brown", "got brown", "go brown", "gone brown", "went golden", "turned golden",
                "got golden", "go golden", "took colour", "took color", "coloured up", "colored up"),
    "slow": ("took an hour", "took hours", "took over an hour", "took twice as long", "took double the time",
             "took much longer", "took a long time", "took longer than", "ages to"),
    "no_sizzle": ("did not sizzle", "no hiss", "no sound", "quiet pan", "dead quiet", "not a sound", "never sizzled"),
    "spatter": ("spluttered", "spluttering", "popping like crazy", "spitting everywhere", "oil jumping"),
    "bitter": ("burnt smell", "smelled burnt", "smells burnt", "acrid smell", "smelled scorched", "burnt taste",
               "tastes burnt", "tasted burnt", "tasted scorched", "burnt garlic", "bitter garlic"),
    "burnt_bottom": ("burnt at the bottom", "burnt at bottom", "burned at bottom", "burned at the bottom",
    "black on the bottom", "bottom was burnt", "bottom was black", "bottom black", "bottoms burnt",
    "burnt underneath", "burned underneath", "black underneath",),
    "rise": (
        "ferment", "fermented", "bubbled up", "proved well", "proofed well",
        "grow", "grew", "grown", "get bigger", "got bigger", "become bigger", "inflate", "inflated", "swell",
        "swelled",
    ),
    "seized": ("seize", "seized on me", "went stiff and grainy", "chocolate seized", "turned to a lump"),
}
# fmt: on

# Clause words that change a concept's meaning (checked before families): rubbery *skin* is unrendered fat.
EXTRA_CONTEXT: dict[str, Mapping[str, W]] = {
    "tough": {"skin": {"heat_too_low": 1.2, "overcrowded_pan": 0.4}},
    "limp": {"skin": {"heat_too_low": 1.2, "overcrowded_pan": 0.5}},
}

# Narrow families that must win over the broad one a dish also belongs to (a macaron is "baked", but a flat
# macaron is an overfolded batter, not a raising agent).
PRIORITY_FAMILY_WEIGHTS: dict[str, Mapping[str, W]] = {
    "flat": {"macaron": {"overmixed": 1.5, "heat_too_low": 0.3}},
    "no_rise": {"macaron": {"overmixed": 1.2, "heat_too_low": 0.4}},
    "dense": {"macaron": {"overmixed": 1.0, "cooked_too_short": 0.4}},
    "watery": {"macaron": {"overmixed": 1.4, "too_much_liquid": 0.4}},
}

# Family overrides for concepts whose base weights miss a family (applied after the concept's own families).
EXTRA_FAMILY_WEIGHTS: dict[str, Mapping[str, W]] = {
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
    "clumped": {"mash": {"overmixed": 1.2}},
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
    "dry": {"pastry": {"too_little_liquid": 1.0, "overmixed": 0.5}},
    "soggy": {
        "pastry": {"too_much_liquid": 0.9, "heat_too_low": 0.8, "cooked_too_short": 0.6},
        "vegetables": {"cooked_too_long": 1.0, "too_much_liquid": 0.5},
    },
    "greasy": {"sautee": {"heat_too_low": 1.0, "overcrowded_pan": 0.5}},
}

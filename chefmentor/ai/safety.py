"""Food-safety warnings: one closed set of messages, whichever provider raised them.

The local engine raises them by key; LLM providers send free text or codes, which are matched to the same
messages so the app always shows the same advice. Unmatched provider flags are kept as short plain text.
"""

from __future__ import annotations

import re

SAFETY_MESSAGES: dict[str, str] = {
    "poultry": "Undercooked poultry: do not eat it; cook until the thickest part reaches 74 °C (165 °F).",
    "pork": "Undercooked pork: cook whole cuts to 63 °C (145 °F) and rest 3 minutes; ground pork to 71 °C (160 °F).",
    "ground": "Pink ground meat is not safe: cook burgers, meatballs and mince to 71 °C (160 °F) throughout.",
    "seafood": "Undercooked shellfish: cook until opaque and firm, 63 °C (145 °F).",
    "meat": "Check the internal temperature of the meat with a thermometer before eating it.",
    "eggs": "Runny or raw egg: avoid serving it to pregnant, very young, elderly or immunocompromised people "
    "unless pasteurised eggs were used.",
    "beans": "Undercooked kidney beans contain a toxin (phytohaemagglutinin): boil them hard for at least 10 minutes.",
    "smoke": "Oil past its smoke point: turn off the heat, ventilate, let it cool and discard the acrid oil; "
    "never leave smoking oil unattended.",
    "fire": "Grease fire: turn off the heat and smother it with a lid or baking sheet; never pour water on it.",
}

# Most specific first: "undercooked chicken burger" is poultry before ground meat.
_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("fire", ("fire", "flame", "flare")),
    ("smoke", ("smoke", "smoking")),
    ("poultry", ("poultry", "chicken", "turkey", "duck", "salmonella")),
    ("pork", ("pork", "ham", "bacon", "trichin")),
    ("ground", ("ground", "mince", "burger", "meatball", "e_coli", "ecoli")),
    ("seafood", ("seafood", "shellfish", "shrimp", "prawn", "mussel", "clam", "oyster", "fish")),
    ("beans", ("bean", "lectin", "phytohaemagglutinin")),
    ("eggs", ("egg",)),
    ("meat", ("meat", "beef", "lamb", "undercooked", "raw")),
)
MAX_FLAGS = 5
MAX_FLAG_LENGTH = 160
_EMPTY = {"", "none", "no", "n_a", "na", "null", "nil"}


def safety_key(flag: str) -> str | None:
    """The closed-set key a free-text or coded flag refers to, if any."""
    normal = re.sub(r"[^a-z0-9]+", "_", flag.lower())
    for key, words in _KEYWORDS:
        if any(word in normal for word in words):
            return key
    return None


def normalize_safety(flags: list[str]) -> list[str]:
    """Known hazards become the shared message; other text is kept short; duplicates and 'none' dropped."""
    out: list[str] = []
    for raw in flags:
        text = " ".join(str(raw).split())
        if re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") in _EMPTY:
            continue
        key = safety_key(text)
        message = SAFETY_MESSAGES[key] if key else text[:MAX_FLAG_LENGTH]
        if message not in out:
            out.append(message)
    return out[:MAX_FLAGS]

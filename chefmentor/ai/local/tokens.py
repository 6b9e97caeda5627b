"""Words of a cook's note: lower case without accents, contractions expanded, and a light stemmer."""

from __future__ import annotations

import re

from chefmentor.ai.local.dishes import plain

_CONTRACTIONS = (
    (re.compile(r"\bcan'?t\b"), "can not"),
    (re.compile(r"\bwon'?t\b"), "will not"),
    (re.compile(r"\b(is|was|were|are|did|does|do|had|has|have|could|would|should|need)n'?t\b"), r"\1 not"),
    (re.compile(r"n't\b"), " not"),
)
_TOKEN = re.compile(r"[a-z]+|\d+(?:\.\d+)?|,")
_WHOLE_WORDS = frozenset({"crumbly", "jelly", "belly", "curly", "chilly", "frilly"})
_POSSESSIVES = frozenset({"my", "your", "our", "his", "her", "their", "this"})


def stem(word: str) -> str:
    """A light suffix stripper: enough that burned/burning/burn and sizzle/sizzled meet."""
    if word in _POSSESSIVES:
        return "the"  # "stuck to my pan" is "stuck to the pan"
    if word in _WHOLE_WORDS:
        return word  # "crumbly" is not the "crumb" of a loaf
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("ly", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "es" and not word[:-2].endswith(("s", "x", "z", "ch", "sh")):
                word = word[:-1]
            elif suffix == "s" and word.endswith("ss"):
                pass
            else:
                word = word[: -len(suffix)] + replacement
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    lowered = plain(text).replace("\u2019", "'").replace("-", " ")
    for pattern, replacement in _CONTRACTIONS:
        lowered = pattern.sub(replacement, lowered)
    lowered = re.sub(
        r"\b(wasnt|didnt|dont|doesnt|isnt|wont|cant|couldnt|wouldnt|hadnt|havent|werent|arent)\b",
        lambda m: (
            m.group(1)[:-2] + " not"
            if m.group(1) not in ("wont", "cant")
            else {"wont": "will not", "cant": "can not"}[m.group(1)]
        ),
        lowered,
    )
    return _TOKEN.findall(lowered.replace("'", ""))

"""Asking back: an intent waiting for the cook's yes or no, kept in the cache so it survives between
HTTP requests and processes (POST /api/voice/command opens a new assistant each time)."""

from __future__ import annotations

import json
import re
import uuid
from typing import TYPE_CHECKING

from chefmentor.voice.intents import Intent
from chefmentor.voice.numbers import spoken_duration

if TYPE_CHECKING:
    from chefmentor.cache import Cache

CONFIRM_TTL_SECONDS = 120

_YES = re.compile(
    r"(?:yes|yeah|yea|yep|yup|ya|aye|sure|correct|exactly|affirmative|absolutely|definitely|of course|"
    r"please|ok|okay|right|uh huh|mm hmm|go ahead|do it|go on|that one|i did|i do|that is right|"
    r"that is it|that is what i (?:meant|said))"
)
_NO = re.compile(r"(?:no|nope|nah|not that|not really|wrong|never mind|nevermind|cancel|do not|i did not|keep cooking)")
_TAIL = r"(?:\s+(?:please|thanks|thank you|chef|that is right|that is it|do it|go ahead|yes|no|sorry))*"


def yes_or_no(text: str) -> bool | None:
    """True for a yes, False for a no, None for anything else (a new command)."""
    clean = re.sub(r"[^\w\s]", " ", text.lower().replace("'s", " is").replace("n't", " not"))
    clean = re.sub(r"\s+", " ", clean).strip()
    if not clean:
        return None
    if re.fullmatch(rf"(?:{_NO.pattern})(?:\s+(?:{_NO.pattern}))*{_TAIL}", clean):
        return False
    if re.fullmatch(rf"(?:{_YES.pattern})(?:\s+(?:{_YES.pattern}))*{_TAIL}", clean):
        return True
    return None


_PHRASES = {
    "next_step": "the next step",
    "previous_step": "the previous step",
    "repeat_step": "hearing this step again",
    "list_ingredients": "the ingredients",
    "expected_state": "what it should look like",
    "check_timer": "how long is left on the timer",
    "cancel_timer": "cancelling the timer",
    "pause": "pausing",
    "resume": "carrying on",
    "finish": "finishing the whole recipe",
    "help": "what you can say",
}


def describe_intent(intent: Intent) -> str:
    """How an intent is offered back in "Did you mean ...?"."""
    slots = intent.slots
    name = str(slots.get("name") or "")
    if intent.name == "goto_step":
        return f"step {slots.get('step')}"
    if intent.name == "set_timer":
        seconds = slots.get("seconds")
        length = f" for {spoken_duration(int(seconds))}" if seconds else ""
        return f"a {name + ' ' if name else ''}timer{length}"
    if intent.name in ("check_timer", "cancel_timer") and name:
        return ("how long is left on the " if intent.name == "check_timer" else "cancelling the ") + f"{name} timer"
    if intent.name == "ask":
        return "a question: " + str(slots.get("question") or intent.text)
    return _PHRASES.get(intent.name, intent.name.replace("_", " "))


class PendingConfirmation:
    """At most one intent per cooking session waits for a yes; it expires after two minutes."""

    def __init__(self, cache: Cache, session_id: uuid.UUID) -> None:
        self._cache = cache
        self._key = f"voice:confirm:{session_id}"
        self.waiting = False

    async def put(self, intent: Intent) -> None:
        document = {"intent": intent.name, "slots": intent.slots, "text": intent.text}
        await self._cache.set(self._key, json.dumps(document).encode(), CONFIRM_TTL_SECONDS)
        self.waiting = True

    async def take(self) -> Intent | None:
        """The waiting intent (confirmed, ready to act on), removed from the cache; None if nothing waits."""
        raw = await self._cache.get(self._key)
        if raw is None:
            self.waiting = False
            return None
        await self._cache.delete(self._key)
        self.waiting = False
        document = json.loads(raw)
        return Intent(document["intent"], dict(document["slots"]), str(document["text"]))

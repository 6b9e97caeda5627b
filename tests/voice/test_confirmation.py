"""Yes/no answers to "Did you mean ...?" and how intents are offered back."""

from __future__ import annotations

import uuid

import pytest

from chefmentor.cache import MemoryCache
from chefmentor.voice.confirmation import PendingConfirmation, describe_intent, yes_or_no
from chefmentor.voice.intents import Intent


@pytest.mark.parametrize("text", ["yes", "Yeah.", "yep please", "sure", "Yes, that's right.", "okay do it", "uh huh"])
def test_yes(text: str) -> None:
    assert yes_or_no(text) is True


@pytest.mark.parametrize("text", ["no", "Nope.", "no thanks", "not that", "never mind", "no, keep cooking"])
def test_no(text: str) -> None:
    assert yes_or_no(text) is False


@pytest.mark.parametrize("text", ["", "yes what's next", "set a timer for five minutes", "no idea how to chop this"])
def test_anything_else_is_a_new_command(text: str) -> None:
    assert yes_or_no(text) is None


def test_descriptions_name_the_slots() -> None:
    assert (
        describe_intent(Intent("set_timer", {"seconds": 90, "name": "rice"})) == "a rice timer for 1 minute 30 seconds"
    )
    assert describe_intent(Intent("goto_step", {"step": 3})) == "step 3"
    assert describe_intent(Intent("next_step")) == "the next step"
    assert describe_intent(Intent("cancel_timer", {"name": "pasta"})) == "cancelling the pasta timer"


async def test_a_pending_intent_is_taken_once_per_session() -> None:
    cache = MemoryCache()
    session = uuid.uuid4()
    pending = PendingConfirmation(cache, session)
    await pending.put(Intent("finish", {}, "I'm done"))
    assert pending.waiting
    assert await PendingConfirmation(cache, uuid.uuid4()).take() is None  # another session sees nothing
    taken = await PendingConfirmation(cache, session).take()  # a new assistant (next HTTP request) sees it
    assert taken == Intent("finish", {}, "I'm done")
    assert await pending.take() is None and not pending.waiting

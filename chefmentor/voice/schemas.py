"""API shapes of the voice routes: transcripts, text to speak, and a command's intent with its typed slots."""

from __future__ import annotations

import enum
from typing import Annotated

from pydantic import ConfigDict, Field
from typing_extensions import TypedDict

from chefmentor.schemas import CamelModel, StrictCamelModel
from chefmentor.voice.service import MAX_SPEAK_CHARS


class VoiceIntent(enum.StrEnum):
    """The closed set of voice intents (CONTRACTS.md); `ask` is a free question for the assistant.

    The same names as chefmentor.voice.grammar.INTENTS (a test keeps them equal)."""

    NEXT_STEP = "next_step"
    PREVIOUS_STEP = "previous_step"
    REPEAT_STEP = "repeat_step"
    GOTO_STEP = "goto_step"
    LIST_INGREDIENTS = "list_ingredients"
    EXPECTED_STATE = "expected_state"
    SET_TIMER = "set_timer"
    CHECK_TIMER = "check_timer"
    CANCEL_TIMER = "cancel_timer"
    PAUSE = "pause"
    RESUME = "resume"
    FINISH = "finish"
    HELP = "help"
    ASK = "ask"


class VoiceSlots(TypedDict, total=False):
    """The slots an intent carries: only the ones it has are sent (`{"seconds": 600}` for set_timer)."""

    step: Annotated[int, Field(description="goto_step: the step to go to")]
    seconds: Annotated[int, Field(description="set_timer: the timer's length")]
    name: Annotated[str, Field(description="set_timer, check_timer, cancel_timer: the timer's name")]
    all: Annotated[bool, Field(description="cancel_timer: every timer")]
    question: Annotated[str, Field(description="ask: the question as heard")]


class TranscriptRead(CamelModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"text": "set a timer for ten minutes", "latencyMs": 240.5}]}
    )

    text: str
    latency_ms: float


class SpeakRequest(StrictCamelModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"text": "Flip the pancake when bubbles pop."}]})

    text: str = Field(
        min_length=1,
        max_length=MAX_SPEAK_CHARS,
        pattern=r"\S",
        description=f"What to say, at most {MAX_SPEAK_CHARS} characters",
    )


class VoiceCommandRead(CamelModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "text": "set a timer for ten minutes",
                    "intent": "set_timer",
                    "slots": {"seconds": 600},
                    "reply": "Timer set for 10 minutes.",
                    "finished": False,
                    "audioUrl": "http://127.0.0.1:8000/api/voice/audio/q3V9xYb2LmN8pR4tW6zA1c",
                    "latencyMs": 12.5,
                }
            ]
        }
    )

    text: str
    intent: VoiceIntent
    slots: VoiceSlots
    reply: str
    finished: bool
    audio_url: str | None = Field(default=None, description="GET it for the spoken reply (null with speak=false)")
    latency_ms: float | None = None

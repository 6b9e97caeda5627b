"""The grammar on text: every case file phrasing, context rules, numbers and timer names."""

from __future__ import annotations

from pathlib import Path

import pytest

from chefmentor.voice.evaluation import evaluate, is_correct, load_cases
from chefmentor.voice.intents import ParseContext, understand
from chefmentor.voice.numbers import digitize, parse_duration, parse_step_reference

CASES_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "voice"
TUNING = load_cases(CASES_DIR / "commands.jsonl")
# heldout/heldout2 were scored once, then their misses fixed in general form; heldout3 was never tuned on.
HELD_OUT = load_cases(CASES_DIR / "heldout.jsonl") + load_cases(CASES_DIR / "heldout2.jsonl")
UNTUNED = load_cases(CASES_DIR / "heldout3.jsonl")
# blind* were each written before their first run (first contact 0.878, 0.84, 0.90, 0.967), then misses fixed
# in general form; the floors sit a little under the accuracy measured after the fixes.
BLIND_FLOORS = {"blind.jsonl": 0.96, "blind2.jsonl": 0.95, "blind3.jsonl": 0.95, "blind4.jsonl": 0.93}


def test_case_files_are_large_enough() -> None:
    assert len(TUNING) >= 40
    blind = [case for name in BLIND_FLOORS for case in load_cases(CASES_DIR / name)]
    everything = TUNING + HELD_OUT + UNTUNED + blind
    assert len({c.id for c in everything}) == len(everything)


@pytest.mark.parametrize("case", TUNING, ids=lambda c: c.id)
def test_tuning_phrasings(case) -> None:
    intent = understand(case.text)
    assert is_correct(case, intent), (case.text, intent)


@pytest.mark.parametrize("cases", [HELD_OUT, UNTUNED], ids=["held-out", "untuned"])
def test_held_out_accuracy(cases) -> None:
    report = evaluate(cases)
    wrong = [(c["text"], c["predicted"]) for c in report["cases"] if not c["correct"]]
    assert report["accuracy"] >= 0.9, wrong


@pytest.mark.parametrize(("file_name", "floor"), BLIND_FLOORS.items())
def test_blind_phrasings_accuracy(file_name: str, floor: float) -> None:
    cases = load_cases(CASES_DIR / file_name)
    assert len(cases) >= 30
    report = evaluate(cases)
    wrong = [(c["text"], c["predicted"]) for c in report["cases"] if not c["correct"]]
    assert report["accuracy"] >= floor, wrong


@pytest.mark.parametrize(
    ("spoken", "seconds"),
    [
        ("ten minutes", 600),
        ("two and a half minutes", 150),
        ("a minute and a half", 90),
        ("90 seconds", 90),
        ("one hour and twenty minutes", 4800),
        ("half an hour", 1800),
        ("thirty second", 30),
        ("1 minute 30 seconds", 90),
        ("a couple of minutes", 120),
        ("three quarters of an hour", 2700),
        ("2.5 min", 150),
        ("an hour and a half", 5400),
    ],
)
def test_durations(spoken: str, seconds: int) -> None:
    found = parse_duration(digitize(spoken))
    assert found is not None and found.seconds == seconds


@pytest.mark.parametrize(
    ("spoken", "step"),
    [
        ("step four", 4),
        ("fourth step", 4),
        ("the second step", 2),
        ("take me to step for", 4),
        ("go to step to", 2),
        ("step number twelve", 12),
        ("start over", 1),
        ("the final step", 6),
    ],
)
def test_step_references(spoken: str, step: int) -> None:
    assert parse_step_reference(digitize(spoken), step_count=6) == step


def test_wait_a_second_is_not_an_ordinal() -> None:
    assert understand("wait a second").name == "pause"
    assert understand("set a thirty second timer").slots == {"seconds": 30}


def test_continue_depends_on_pause_state() -> None:
    assert understand("continue", ParseContext(paused=True)).name == "resume"
    assert understand("continue", ParseContext(paused=False)).name == "next_step"


def test_running_timer_names_are_recognized_even_misheard() -> None:
    context = ParseContext(timer_names=("pasta", "rice"))
    intent = understand("how much longer for the pastor", context)
    assert intent.name == "check_timer" and intent.slots["name"] == "pasta"
    assert understand("is the rice done", context).slots == {"name": "rice"}


def test_unmatched_speech_is_a_question() -> None:
    intent = understand("can I use butter instead of oil")
    assert intent.name == "ask" and intent.slots["question"] == "can I use butter instead of oil"


def test_cancel_all_timers() -> None:
    assert understand("cancel all the timers").slots.get("all") is True


def test_unit_less_timer_counts_minutes() -> None:
    assert understand("set a timer for 10").slots == {"seconds": 600}


def test_empty_text_is_an_empty_question() -> None:
    intent = understand("  um  ")
    assert intent.name == "ask" and intent.confidence == 0.0


def test_relative_moves_need_the_current_step() -> None:
    here = ParseContext(current_step=4, step_count=6)
    assert understand("go back two steps", here).slots == {"step": 2}
    assert understand("skip two steps", here).slots == {"step": 6}
    assert understand("go back 1 step").name == "previous_step"


def test_verbs_never_become_timer_names() -> None:
    assert understand("add a timer for the chicken for 25 minutes").slots == {"seconds": 1500, "name": "chicken"}
    assert understand("never mind the timer").slots == {}
    assert understand("when will the chicken be done").slots == {"name": "chicken"}


def test_yes_no_questions_are_questions_not_commands() -> None:
    assert understand("can I freeze leftovers").name == "ask"
    assert understand("do I need to preheat the oven").name == "ask"
    assert understand("can I go to the next step").name == "next_step"


def test_only_complete_commands_may_end_an_utterance_early() -> None:
    from chefmentor.voice.intents import is_complete_command

    assert is_complete_command(understand("next step"))
    assert is_complete_command(understand("set a timer for 5 minutes"))
    assert not is_complete_command(understand("set a timer"))
    assert not is_complete_command(understand("can I use butter instead of oil"))


def test_whisper_mishearings_are_repaired() -> None:
    assert understand("and pause.").name == "resume"
    assert understand("Set a timer for an hour in 15 minutes.").slots == {"seconds": 4500}
    assert understand("That's it, in the session.").name == "finish"
    assert understand("Take me to step for.").slots == {"step": 4}


def test_whisper_style_transcripts() -> None:
    here = ParseContext(step_count=6, current_step=2, timer_names=("pasta",))
    assert understand("Start a 5-minute timer for the sauce.", here).slots == {"seconds": 300, "name": "sauce"}
    assert understand("Cancel.", here).name == "cancel_timer"
    assert understand("End.", here).name == "finish"
    assert understand("How much time do I have?", here).name == "check_timer"
    assert understand("How thick should the sauce be?", here).name == "expected_state"


def test_fractions_next_to_numbers_and_units() -> None:
    assert understand("Set a timer for 2 in the half minute.").slots == {"seconds": 150}
    assert understand("two and a half minute timer").slots == {"seconds": 150}
    assert understand("three quarters of an hour timer").slots == {"seconds": 2700}


def test_homophones_before_a_time_unit_are_numbers() -> None:
    assert understand("set a timer for too minutes and thirty seconds").slots == {"seconds": 150}
    assert understand("timer for won minute").slots == {"seconds": 60}
    assert understand("five to ten minutes timer").slots == {"seconds": 600}


def test_reminders_without_a_unit_count_minutes() -> None:
    assert understand("remind me in 20").slots == {"seconds": 1200}
    assert understand("remind me what step 2 is").name != "set_timer"


def test_timer_names_after_other_phrases() -> None:
    assert understand("put half an hour on the clock for the chicken").slots == {"seconds": 1800, "name": "chicken"}
    assert understand("time the eggs for three and a half minutes").slots == {"seconds": 210, "name": "eggs"}
    assert understand("how long have the spuds got").to_json()["slots"] == {"name": "spuds"}
    assert understand("how long do the eggs have to boil").name == "ask"


def test_unknown_pause_state_leans_to_resume_for_continue_words() -> None:
    assert understand("carry on").name == "resume"
    assert understand("carry on", ParseContext(paused=False)).name == "next_step"
    assert understand("where was I", ParseContext(paused=False)).name == "repeat_step"
    assert understand("where was I", ParseContext(paused=True)).name == "resume"


def test_a_duration_said_as_a_command_sets_a_timer() -> None:
    assert understand("give it 20 minutes").slots == {"seconds": 1200}
    assert understand("20 minutes on the rice").slots == {"seconds": 1200, "name": "rice"}
    assert understand("a minute").name == "pause"
    # Read out like the recipe's instruction: never a timer without asking.
    simmer = understand("let it simmer for 10 minutes")
    assert simmer.name == "ask" or simmer.needs_confirmation


def test_idioms_that_filler_stripping_used_to_break() -> None:
    assert understand("just a second").name == "pause"
    assert understand("one more time please").name == "repeat_step"
    assert understand("hows my timer doing").to_json()["slots"] == {}
    assert understand("nevermind the timer for the rice").slots == {"name": "rice"}
    assert understand("are the potatoes done").name == "expected_state"
    assert understand("done for today").name == "finish"


def test_pronoun_one_and_split_verbs() -> None:
    assert understand("what was the one before").name == "previous_step"
    assert understand("back one please").name == "previous_step"
    assert understand("go back one step").name == "previous_step"
    assert understand("the one minute timer").slots == {"seconds": 60}
    assert understand("switch the alarm off").name == "cancel_timer"
    assert understand("turn it off").name == "cancel_timer"
    assert understand("what was i meant to be doing").name == "repeat_step"
    assert understand("whats it meant to smell like").name == "expected_state"


def test_command_verbs_after_can_we_are_commands() -> None:
    assert understand("uh can we back up").name == "previous_step"
    assert understand("can we wait").name == "pause"
    assert understand("can we bake it the day before").name == "ask"
    assert understand("what was the last thing you said").name == "repeat_step"
    assert understand("all finished, close it down").name == "finish"


def test_cooking_actions_are_not_commands() -> None:
    assert understand("should i stop stirring now").name == "ask"
    assert understand("can i skip the wine").name == "ask"
    assert understand("can we skip this step").name == "next_step"
    assert understand("wait for the water to boil").name == "ask"
    assert understand("wait for me").name == "pause"


def test_checking_a_named_timer_casually() -> None:
    assert understand("how long on the eggs").to_json()["slots"] == {"name": "eggs"}
    assert understand("how long on the hob should it go").name == "ask"
    running = ParseContext(timer_names=("rice",))
    assert understand("hows the rice doing", running).to_json()["slots"] == {"name": "rice"}
    assert understand("hows the rice doing", running).name == "check_timer"


def test_casual_phrasings_of_state_finish_and_help() -> None:
    assert understand("so like what do i do after this").name == "next_step"
    assert understand("what should i be looking for").name == "expected_state"
    assert understand("does it look right").name == "expected_state"
    assert understand("is it right to add the salt now").name == "ask"
    assert understand("lets get going again").name == "resume"
    assert understand("that's dinner done").name == "finish"
    assert understand("how do i talk to you").name == "help"


def test_contractions_without_apostrophes_and_negated_readiness() -> None:
    assert understand("i didnt hear you").name == "repeat_step"
    assert understand("it isnt ready").name == "pause"
    assert understand("the onions are not done").name == "pause"
    assert understand("done").name == "next_step"

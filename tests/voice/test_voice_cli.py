"""`chefmentor voice ...` and `chefmentor cook --no-voice` through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.conftest import FIXTURES_DIR, isolate_cli_env

CASES = FIXTURES_DIR / "voice" / "commands.jsonl"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    isolate_cli_env(monkeypatch, tmp_path)
    return CliRunner()


def test_understand_json_is_the_contract_document(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--json", "voice", "understand", "um okay set a timer for two and a half minutes"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "intent": "set_timer",
        "slots": {"seconds": 150},
        "text": "um okay set a timer for two and a half minutes",
    }
    human = runner.invoke(app, ["voice", "understand", "take me to step four"])
    assert human.stdout.strip() == "goto_step step=4"


@pytest.mark.parametrize("blank", ["", "   "])
def test_understand_refuses_empty_text(runner: CliRunner, blank: str) -> None:
    result = runner.invoke(app, ["voice", "understand", blank])
    assert result.exit_code == 4 and "Nothing to understand" in result.stderr


def test_eval_from_text(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--json", "voice", "eval", str(CASES)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["accuracy"] == 1.0 and document["total"] >= 40
    first = document["cases"][0]
    assert {"id", "expected", "predicted", "transcript"} <= set(first)


def test_eval_rejects_a_malformed_case_file(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "next"}\n')
    result = runner.invoke(app, ["voice", "eval", str(bad)])
    assert result.exit_code == 4 and "bad.jsonl:1" in result.stderr


def test_say_without_portaudio_names_the_fix_or_plays(runner: CliRunner) -> None:
    try:
        import sounddevice  # noqa: F401
    except OSError:
        result = runner.invoke(app, ["voice", "say", "hello"])
        assert result.exit_code == 12 and "libportaudio2" in result.stderr
    else:
        pytest.skip("PortAudio is installed here")


@pytest.mark.slow
def test_say_to_file_then_command_from_it(runner: CliRunner, tmp_path: Path) -> None:
    wav = tmp_path / "cmd.wav"
    said = runner.invoke(app, ["--json", "voice", "say", "Cancel the pasta timer.", "-o", str(wav)])
    assert said.exit_code == 0, said.output
    assert json.loads(said.stdout)["seconds"] > 0.5 and wav.stat().st_size > 10_000
    heard = runner.invoke(app, ["--json", "voice", "command", str(wav)])
    assert heard.exit_code == 0, heard.output
    document = json.loads(heard.stdout)
    assert document["intent"] == "cancel_timer" and document["slots"] == {"name": "pasta"}
    assert document["latencyMs"] > 0 and "pasta" in document["text"].lower()
    text = runner.invoke(app, ["voice", "transcribe", str(wav)])
    assert "pasta" in text.stdout.lower()


@pytest.mark.slow
def test_eval_from_synthesized_audio(runner: CliRunner, tmp_path: Path) -> None:
    cases = tmp_path / "few.jsonl"
    cases.write_text("".join(line + "\n" for line in CASES.read_text().splitlines()[:5]))
    result = runner.invoke(app, ["--json", "voice", "eval", str(cases), "--synthesize"])
    document = json.loads(result.stdout)
    assert document["source"] == "audio" and document["total"] == 5
    assert document["audioAccuracy"] >= 0.8 and document["textAccuracy"] == 1.0


def test_cook_with_the_keyboard(runner: CliRunner) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["db", "seed"]).exit_code == 0
    # Finishing before the last step is asked back by the assistant (a spare "yes" covers a front end that
    # asks as well).
    typed = "what's next\nset a pasta timer for 8 minutes\nhow long is left on the pasta\nfinish\nyes\nyes\n"
    result = runner.invoke(app, ["--json", "cook", "rice"], input=typed)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["finished"] is True and document["recipe"] == "Perfect Stovetop Rice"
    intents = [t["intent"] for t in document["turns"]]
    assert intents == ["next_step", "set_timer", "check_timer", "finish", "finish"]
    assert "left on the pasta timer" in document["turns"][2]["reply"]

    unfinished = runner.invoke(app, ["cook", "rice"], input="next\n")
    assert unfinished.exit_code == 0 and "chefmentor cook --session" in unfinished.stderr
    missing = runner.invoke(app, ["cook", "no such dish"])
    assert missing.exit_code == 5


def test_cook_by_voice_without_portaudio_fails_before_starting_a_session(runner: CliRunner) -> None:
    try:
        import sounddevice  # noqa: F401
    except OSError:
        pass
    else:
        pytest.skip("PortAudio is installed here")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["db", "seed"]).exit_code == 0
    result = runner.invoke(app, ["cook", "rice", "--voice"])
    assert result.exit_code == 12 and "libportaudio2" in result.stderr
    keyboard = runner.invoke(app, ["--json", "cook", "rice"], input="")
    assert json.loads(keyboard.stdout)["currentStep"] == 1


@pytest.mark.slow
def test_eval_from_recordings_in_a_directory(runner: CliRunner, tmp_path: Path) -> None:
    audio_dir = tmp_path / "audio"
    audio_dir.mkdir()
    cases = tmp_path / "two.jsonl"
    rows = [json.loads(line) for line in CASES.read_text().splitlines()[12:14]]
    cases.write_text("".join(json.dumps(row) + "\n" for row in rows))
    for row in rows:
        said = runner.invoke(app, ["voice", "say", row["text"], "-o", str(audio_dir / f"{row['id']}.wav")])
        assert said.exit_code == 0, said.output
    result = runner.invoke(app, ["--json", "voice", "eval", str(cases), "--audio-dir", str(audio_dir)])
    document = json.loads(result.stdout)
    assert document["source"] == "audio" and document["accuracy"] == 1.0
    assert [c["predicted"] for c in document["cases"]] == ["goto_step", "goto_step"]
    missing = runner.invoke(app, ["voice", "eval", str(CASES), "--audio-dir", str(audio_dir)])
    assert missing.exit_code == 4 and "No recording for case" in missing.stderr

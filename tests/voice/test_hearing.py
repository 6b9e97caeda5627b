"""Recognition helpers: kitchen noise at a chosen SNR, loop cutting, the short encoder window, and the
per-condition audio evaluation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from chefmentor.voice.kitchen_noise import NOISE_KINDS, make_noise, mix_at_snr
from chefmentor.voice.stt import cut_loop

AUDIO_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "voice" / "audio"


@pytest.mark.parametrize("kind", NOISE_KINDS)
@pytest.mark.parametrize("snr", [8.0, 18.0])
def test_noise_is_mixed_at_the_requested_snr(kind: str, snr: float) -> None:
    t = np.arange(16000) / 16000
    speech = (0.05 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)  # quiet: no peak rescaling
    noise = make_noise(kind, 1.0, seed=3)
    assert noise.shape == (16000,) and abs(float(np.sqrt(np.mean(noise**2))) - 1.0) < 1e-3
    mixed = mix_at_snr(speech, noise, snr)
    residual = mixed - speech
    measured = 10 * np.log10(np.mean(speech**2) / np.mean(residual**2))
    assert abs(measured - snr) < 0.5


def test_noise_is_reproducible_and_kinds_differ() -> None:
    assert np.array_equal(make_noise("fan", 0.5, seed=1), make_noise("fan", 0.5, seed=1))
    spectra = {k: np.abs(np.fft.rfft(make_noise(k, 1.0, seed=1))) for k in ("fan", "sizzle")}
    low = slice(0, 500)  # below 500 Hz
    assert spectra["fan"][low].sum() / spectra["fan"].sum() > spectra["sizzle"][low].sum() / spectra["sizzle"].sum()


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        ("How long is left, how long is left, how long is", "How long is left"),
        ("What can I say to you? What can i say to", "What can I say to you?"),
        ("Set a timer for ten minutes", "Set a timer for ten minutes"),
        ("next next next", "next next next"),
    ],
)
def test_a_decoding_loop_is_cut_at_its_first_repeat(text: str, cut: str) -> None:
    assert cut_loop(text) == cut


@pytest.mark.slow
def test_short_window_transcribes_like_the_full_window(voice_engine: Any, speak: Any) -> None:
    from chefmentor.voice import stt

    audio = speak("set a pasta timer for eight minutes")
    prompt = stt.build_prompt(["pasta"])
    engine_stt = voice_engine.stt
    short = engine_stt.decode(audio, prompt)[0].text.lower()
    frames = audio.shape[0] // 160
    assert frames + stt.WINDOW_MARGIN_FRAMES < stt.FULL_WINDOW_FRAMES  # the short path really ran
    assert "pasta timer" in short and ("8 minutes" in short or "eight minutes" in short), short
    alternatives = engine_stt.decode(audio, prompt, alternatives=3)
    assert len(alternatives) == 3 and alternatives[0].score >= alternatives[-1].score


def test_audio_sets_are_small_and_described() -> None:
    cases = [json.loads(line) for line in (AUDIO_DIR / "cases.jsonl").read_text().splitlines() if line.strip()]
    conditions = {c["condition"] for c in cases}
    assert conditions == {"piper_clean", "piper_noise", "accent_clean", "accent_noise"}
    assert all((AUDIO_DIR / f"{c['id']}.ogg").is_file() for c in cases)
    assert sum(p.stat().st_size for p in AUDIO_DIR.glob("*.ogg")) < 3_000_000
    noisy = [c for c in cases if c["condition"].endswith("_noise")]
    assert all(8 <= c["snrDb"] <= 18 and c["noise"] in NOISE_KINDS for c in noisy)
    assert len({c["voice"].split("+")[0] for c in cases if c["condition"].startswith("accent")}) >= 5


@pytest.mark.slow
def test_voice_eval_reports_each_condition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from cli.main import app
    from tests.conftest import isolate_cli_env

    isolate_cli_env(monkeypatch, tmp_path)
    lines = (AUDIO_DIR / "cases.jsonl").read_text().splitlines()
    subset = [line for line in lines if json.loads(line)["id"].endswith(("-00", "-01"))]
    cases = tmp_path / "subset.jsonl"
    cases.write_text("\n".join(subset) + "\n")
    result = CliRunner().invoke(app, ["--json", "voice", "eval", str(cases), "--audio-dir", str(AUDIO_DIR)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert set(document["conditions"]) == {"piper_clean", "piper_noise", "accent_clean", "accent_noise"}
    assert all(row["total"] == 2 for row in document["conditions"].values())
    assert document["conditions"]["piper_clean"]["accuracy"] == 1.0

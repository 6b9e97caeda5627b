"""Build the audio evaluation sets in fixtures/voice/audio (run offline; needs espeak-ng for the accents).

    .venv/bin/python -m chefmentor.voice.eval_sets
    chefmentor voice eval fixtures/voice/audio/cases.jsonl --audio-dir fixtures/voice/audio

Conditions: the bundled Piper voice clean (familiar phrasings) and with kitchen noise at 8-18 dB SNR
(unseen phrasings); espeak-ng English accents (Scottish, Caribbean, New York, West Midlands, Lancashire,
RP) clean and with noise. Clips are Opus in Ogg (a few kB each) so the sets stay small in the repo.
Each case carries the words the assistant would give the recogniser while cooking that recipe.
"""

from __future__ import annotations

import io
import json
import random
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from chefmentor.voice.audio import STT_SAMPLE_RATE, Samples, read_wav, resample
from chefmentor.voice.kitchen_noise import NOISE_KINDS, make_noise, mix_at_snr

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "fixtures" / "voice" / "audio"
ACCENTS = ("en-gb-scotland", "en-029", "en-us-nyc", "en-gb-x-gbcwmd", "en-gb-x-gbclan", "en-gb-x-rp")
VOICE_VARIANTS = ("m1", "m3", "f2", "f4", "m7")
PER_CONDITION = 48
SNR_RANGE = (8.0, 18.0)
# Which fixture recipe a cook saying this word is most likely cooking (the recogniser's hints come from it).
RECIPE_FOR_WORD = {
    "bread": "banana-bread",
    "banana": "banana-bread",
    "pancake": "fluffy-buttermilk-pancakes",
    "chicken": "pan-seared-chicken-breast",
    "sauce": "lemon-butter-pan-sauce",
    "lemon": "lemon-butter-pan-sauce",
    "rice": "perfect-stovetop-rice",
}


def recipe_hints(text: str, slots: dict[str, Any]) -> list[str]:
    """What CookingAssistant.hints() gives while cooking the recipe this command most likely belongs to:
    the recipe name, its ingredient names, and a running timer named in the command."""
    from chefmentor.recipes.ingredients import parse_ingredient

    lowered = text.lower()
    slug = next((s for word, s in RECIPE_FOR_WORD.items() if word in lowered), "perfect-stovetop-rice")
    document = json.loads((ROOT / "fixtures" / "recipes" / f"{slug}.jsonld").read_text(encoding="utf-8"))
    hints = [str(document.get("name", ""))]
    hints += [parse_ingredient(str(line)).name for line in document.get("recipeIngredient", [])]
    if slots.get("name"):
        hints.append(str(slots["name"]))
    return list(dict.fromkeys(h for h in hints if h))


def _running_timers(expected: dict[str, Any]) -> list[str]:
    """A cook checking or cancelling a named timer has that timer running."""
    name = (expected.get("slots") or {}).get("name")
    return [str(name)] if name and expected["intent"] in ("check_timer", "cancel_timer") else []


def espeak(text: str, voice: str, speed: int) -> Samples:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "out.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text], check=True)  # noqa: S603,S607
        return read_wav(path)


def encode_ogg(samples: Samples, path: Path) -> None:
    import av

    pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="ogg") as container:
        stream = container.add_stream("libopus", rate=STT_SAMPLE_RATE)
        stream.bit_rate = 24000
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(pcm[None, :], format="s16", layout="mono")
        frame.sample_rate = STT_SAMPLE_RATE
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    path.write_bytes(buffer.getvalue())


def _cases(name: str) -> list[dict[str, Any]]:
    path = ROOT / "fixtures" / "voice" / f"{name}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def build(seed: int = 19) -> list[dict[str, Any]]:
    from chefmentor.config import load_settings
    from chefmentor.voice.engine import VoiceEngine

    rng = random.Random(seed)  # noqa: S311 - reproducible sets
    tts = VoiceEngine(load_settings(env="test", auth={"jwt_secret": "x" * 48})).tts
    familiar = rng.sample(_cases("commands") + _cases("heldout"), PER_CONDITION)
    unseen = _cases("unseen") + _cases("unseen_dev")

    def piper(text: str) -> Samples:
        return resample(tts.synthesize(text, reproducible=True), tts.sample_rate, STT_SAMPLE_RATE)

    conditions: list[tuple[str, list[dict[str, Any]], bool, bool]] = [
        ("piper_clean", familiar, False, False),
        ("piper_noise", rng.sample(unseen, PER_CONDITION), False, True),
        ("accent_clean", rng.sample(unseen, PER_CONDITION), True, False),
        ("accent_noise", rng.sample(unseen, PER_CONDITION), True, True),
    ]
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.ogg"):
        old.unlink()
    rows: list[dict[str, Any]] = []
    for condition, cases, accented, noisy in conditions:
        for index, case in enumerate(cases):
            voice = ""
            if accented:
                voice = f"{ACCENTS[index % len(ACCENTS)]}+{rng.choice(VOICE_VARIANTS)}"
                speech = espeak(case["text"], voice, rng.randint(150, 180))
            else:
                speech = piper(case["text"])
            speech = np.concatenate([np.zeros(4000, np.float32), speech, np.zeros(4000, np.float32)])
            noise, snr = "", None
            if noisy:
                noise = NOISE_KINDS[index % len(NOISE_KINDS)]
                snr = round(rng.uniform(*SNR_RANGE), 1)
                speech = mix_at_snr(speech, make_noise(noise, speech.size / STT_SAMPLE_RATE, seed=index), snr)
            case_id = f"{condition}-{index:02d}"
            encode_ogg(speech, OUT / f"{case_id}.ogg")
            expected = case["expected"]
            rows.append(
                {
                    "id": case_id,
                    "text": case["text"],
                    "expected": expected,
                    "condition": condition,
                    "voice": voice or "piper:joe-us",
                    "noise": noise,
                    "snrDb": snr,
                    "hints": recipe_hints(case["text"], expected.get("slots") or {}),
                    "timers": _running_timers(expected),
                }
            )
    (OUT / "cases.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return rows


if __name__ == "__main__":
    built = build()
    size = sum(p.stat().st_size for p in OUT.glob("*.ogg"))
    print(f"{len(built)} clips, {size / 1e6:.2f} MB in {OUT}")  # noqa: T201

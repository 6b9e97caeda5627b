"""POST /api/voice/speak for a phone: time to the first audio bytes, streamed vs the whole WAV made first.

    python bench/speak_stream.py [--rounds 3]

Through `chefmentor serve` on a free loopback port (httpx reading the chunked body): a demo token, then texts
of 60, 300 and 1,000 characters (the maximum), each read as a stream; every round speaks new sentences
(phrases drawn from a kitchen vocabulary), so no cache can answer. "first audio" is when the first bytes after
the 44-byte WAV header arrive; "whole" is the last byte. The old behaviour (the whole WAV synthesised before answering)
is measured by the voice engine's speak_wav on the same text. Target (issue #18): first audio < 1 s for any
allowed text. The load average is printed next to every number: other work on the machine inflates them.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAMPLE_RATE = 22050  # the bundled Piper voice


VOCABULARY = (
    "whisk the eggs until pale|fold in the flour gently|heat the pan over medium heat|add a knob of butter|"
    "season with salt and pepper|simmer for ten minutes|stir the sauce now and then|let the dough rest|"
    "flip the pancake when bubbles pop|slice the onions thinly|toast the spices until fragrant|"
    "deglaze the pan with stock|cover and lower the heat|check the rice for doneness|grate the lemon zest"
).split("|")


def sentences(rng: random.Random, length: int) -> str:
    text = ""
    while len(text) < length:
        text += (
            rng.choice(VOCABULARY).capitalize()
            + ", then "
            + rng.choice(VOCABULARY)
            + f" for {rng.randint(2, 59)} seconds. "
        )
    return text[:length]


def texts(rng: random.Random) -> dict[str, str]:
    words = " ".join(f"supercalifragilistic{rng.randint(0, 999)}" for _ in range(60))
    return {"60 chars": sentences(rng, 60), "300 chars": sentences(rng, 300), "1000 chars": sentences(rng, 1000),
            "1000 chars, no stop": words[:1000]}  # fmt: skip


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def serve(home: Path) -> tuple[subprocess.Popen[bytes], str]:
    env = {**os.environ, "CHEFMENTOR_HOME": str(home), "CHEFMENTOR_VOICE__PRELOAD": "true"}
    env["CHEFMENTOR_DATABASE_URL"] = f"sqlite+aiosqlite:///{home / 'bench.db'}"
    subprocess.run([sys.executable, "-m", "cli.main", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)  # fmt: skip
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return server, f"http://127.0.0.1:{port}"


def main(rounds: int) -> None:
    import httpx

    from chefmentor.voice.engine import VoiceEngine
    from tests.conftest import make_settings

    home = Path(tempfile.mkdtemp(prefix="speak-bench-"))
    engine = VoiceEngine(make_settings(home, f"sqlite+aiosqlite:///{home / 'x.db'}"))
    server, url = serve(home)
    try:
        with httpx.Client(base_url=url, timeout=120) as client:
            for _ in range(200):
                try:
                    if client.get("/health").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            headers = {"Authorization": f"Bearer {client.post('/api/demo/start').json()['accessToken']}"}
            client.post("/api/voice/speak", json={"text": "Ready."}, headers=headers)  # models warm, as in service
            engine.speak_wav("Ready.")
            print(f"{'text':<22}{'first audio s':>15}{'whole s':>10}{'audio s':>9}{'old whole WAV s':>17}   machine")
            rng = random.Random(18)
            for label in texts(rng):
                firsts, wholes, olds, seconds = [], [], [], []
                for _ in range(rounds):
                    text = texts(rng)[label]
                    started = time.perf_counter()
                    first, received = float("nan"), 0
                    with client.stream("POST", "/api/voice/speak", json={"text": text}, headers=headers) as answer:
                        if answer.status_code != 200:
                            raise SystemExit(f"{label}: {answer.status_code} {answer.read()[:300]!r}")
                        for chunk in answer.iter_raw():
                            received += len(chunk)
                            if received > 44 and first != first:
                                first = time.perf_counter() - started
                    wholes.append(time.perf_counter() - started)
                    firsts.append(first)
                    seconds.append((received - 44) / 2 / SAMPLE_RATE)
                    began = time.perf_counter()
                    engine.speak_wav(text)
                    olds.append(time.perf_counter() - began)
                print(
                    f"{label:<22}{statistics.median(firsts):>15.2f}{statistics.median(wholes):>10.2f}"
                    f"{statistics.median(seconds):>9.1f}{statistics.median(olds):>17.2f}   {load()}"
                )
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    main(parser.parse_args().rounds)

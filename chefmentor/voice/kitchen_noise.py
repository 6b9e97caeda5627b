"""Synthetic kitchen noise and mixing at a chosen SNR, for evaluation sets and tests (seeded, no data files).

Extractor fan: brown noise with a motor hum; sizzling: high-passed hiss with crackles; clatter: short
decaying bursts (pans, cutlery); brown and pink noise as steady background.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from chefmentor.voice.audio import STT_SAMPLE_RATE, Samples

if TYPE_CHECKING:
    from numpy.typing import NDArray

    Signal = NDArray[Any]
else:
    Signal = np.ndarray

NOISE_KINDS = ("fan", "sizzle", "clatter", "brown", "pink")


def _normalize(noise: Signal) -> Samples:
    peak = float(np.sqrt(np.mean(noise**2))) or 1.0
    return (noise / peak).astype(np.float32)


def _spectral(rng: np.random.Generator, count: int, exponent: float) -> Samples:
    """Noise whose power falls as 1/f**exponent (1 = pink, 2 = brown)."""
    spectrum = np.fft.rfft(rng.standard_normal(count))
    freqs = np.fft.rfftfreq(count)
    freqs[0] = freqs[1]
    spectrum /= freqs ** (exponent / 2)
    return _normalize(np.fft.irfft(spectrum, n=count))


def _highpass(signal: Signal, cutoff_hz: float, rate: int) -> Signal:
    spectrum = np.fft.rfft(signal)
    spectrum[np.fft.rfftfreq(signal.size, 1 / rate) < cutoff_hz] = 0
    filtered: Signal = np.fft.irfft(spectrum, n=signal.size)
    return filtered


def make_noise(kind: str, seconds: float, *, seed: int = 0, rate: int = STT_SAMPLE_RATE) -> Samples:
    """Unit-RMS noise of one kind."""
    rng = np.random.default_rng(seed)
    count = max(1, round(seconds * rate))
    t = np.arange(count) / rate
    if kind == "pink":
        return _spectral(rng, count, 1.0)
    if kind == "brown":
        return _spectral(rng, count, 2.0)
    if kind == "fan":
        hum = sum(np.sin(2 * np.pi * f * t + rng.uniform(0, 6.28)) / k for k, f in enumerate((100, 200, 300), 1))
        return _normalize(_spectral(rng, count, 1.6) + 0.4 * _normalize(np.asarray(hum)))
    if kind == "sizzle":
        hiss = _highpass(rng.standard_normal(count), 2500, rate)
        flutter = 1 + 0.6 * np.abs(_spectral(rng, count, 2.0))
        crackles = np.zeros(count)
        for start in rng.integers(0, count, size=max(1, int(seconds * 25))):
            length = int(rng.integers(20, 120))
            crackles[start : start + length] += rng.standard_normal(min(length, count - start)) * 6
        return _normalize(_normalize(hiss * flutter) + _normalize(_highpass(crackles, 1500, rate)) * 0.5)
    if kind == "clatter":
        out = _spectral(rng, count, 1.0) * 0.15
        for start in rng.integers(0, count, size=max(1, int(seconds * 3))):
            length = min(int(rate * rng.uniform(0.05, 0.25)), count - start)
            decay = np.exp(-np.arange(length) / (length / 5))
            tone = np.sin(2 * np.pi * rng.uniform(900, 4000) * np.arange(length) / rate)
            out[start : start + length] += (tone + rng.standard_normal(length) * 0.5) * decay * 3
        return _normalize(out)
    raise ValueError(f"Unknown noise kind {kind!r}: one of {', '.join(NOISE_KINDS)}")


def mix_at_snr(speech: Samples, noise: Samples, snr_db: float) -> Samples:
    """Speech plus noise scaled so speech power / noise power = snr_db (speech power over its loud part)."""
    if noise.size < speech.size:
        noise = np.resize(noise, speech.size)
    noise = noise[: speech.size]
    loud = speech[np.abs(speech) > 0.02 * (np.abs(speech).max() or 1.0)]
    speech_power = float(np.mean(loud**2)) if loud.size else float(np.mean(speech**2))
    noise_power = float(np.mean(noise**2)) or 1.0
    scale = np.sqrt(speech_power / (noise_power * 10 ** (snr_db / 10)))
    mixed = speech + noise * scale
    peak = float(np.abs(mixed).max())
    result: Samples = (mixed / peak * 0.9 if peak > 0.99 else mixed).astype(np.float32)
    return result

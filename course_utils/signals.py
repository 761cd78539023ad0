"""Deterministic synthetic signals for demonstrations where a synthetic sound teaches better.

Notebooks: ``00_start_here.ipynb``, ``01_audio_representations.ipynb``, ``03_data_augmentation.ipynb``.

Every function returns a float32 array of shape ``(n_samples,)`` with values in [-1, 1] and is
deterministic: the same arguments (and ``seed``) give the same samples.
"""

from __future__ import annotations

import numpy as np


def _check_common(duration: float, sr: int) -> int:
    if not isinstance(sr, (int, np.integer)) or not 100 <= sr <= 192000:
        raise ValueError(f"sr must be an integer from 100 to 192000 Hz, got {sr!r}")
    if not np.isfinite(duration) or not 0 < duration <= 600:
        raise ValueError(f"duration must be in (0, 600] seconds, got {duration!r}")
    return int(round(duration * sr))


def _check_frequency(name: str, value: float, sr: int) -> None:
    if not np.isfinite(value) or not 0 < value < sr / 2:
        raise ValueError(f"{name} must be in (0, {sr / 2:g}) Hz (below the Nyquist frequency sr/2), got {value!r}")


def time_axis(n_samples: int, sr: int) -> np.ndarray:
    """Time of each sample in seconds, shape ``(n_samples,)``."""
    return np.arange(n_samples) / sr


def tone(frequency: float = 440.0, duration: float = 1.0, sr: int = 22050, amplitude: float = 0.5,
         phase: float = 0.0) -> np.ndarray:
    """A sine tone ``amplitude * sin(2 pi f t + phase)``.

    Args:
        frequency: in Hz, below sr/2.
        duration: in seconds.
        sr: sample rate in Hz.
        amplitude: peak value, 0 to 1.
        phase: in radians.
    """
    n = _check_common(duration, sr)
    _check_frequency("frequency", frequency, sr)
    _check_amplitude(amplitude)
    t = time_axis(n, sr)
    return (amplitude * np.sin(2 * np.pi * frequency * t + phase)).astype(np.float32)


def _check_amplitude(amplitude: float) -> None:
    if not 0 <= amplitude <= 1:
        raise ValueError(f"amplitude must be in [0, 1], got {amplitude!r}")


def chirp(f_start: float = 100.0, f_end: float = 8000.0, duration: float = 2.0, sr: int = 22050,
          amplitude: float = 0.5, method: str = "logarithmic") -> np.ndarray:
    """A sine sweep from ``f_start`` to ``f_end`` Hz (``method``: ``"linear"`` or ``"logarithmic"``)."""
    from scipy.signal import chirp as scipy_chirp

    n = _check_common(duration, sr)
    _check_frequency("f_start", f_start, sr)
    _check_frequency("f_end", f_end, sr)
    _check_amplitude(amplitude)
    if method not in ("linear", "logarithmic"):
        raise ValueError(f"method must be 'linear' or 'logarithmic', got {method!r}")
    t = time_axis(n, sr)
    return (amplitude * scipy_chirp(t, f0=f_start, t1=duration, f1=f_end, method=method, phi=-90)).astype(np.float32)


def clicks(times, duration: float = 2.0, sr: int = 22050, amplitude: float = 0.9,
           click_duration: float = 0.005) -> np.ndarray:
    """Short clicks (decaying 2 kHz bursts) starting at ``times`` (seconds)."""
    n = _check_common(duration, sr)
    _check_amplitude(amplitude)
    y = np.zeros(n, dtype=np.float64)
    length = max(1, int(round(click_duration * sr)))
    t = np.arange(length) / sr
    burst = np.sin(2 * np.pi * min(2000.0, sr / 4) * t) * np.exp(-t / (click_duration / 5))
    for start in np.atleast_1d(np.asarray(times, dtype=float)):
        if not 0 <= start < duration:
            raise ValueError(f"every click time must be in [0, {duration}) s, got {start}")
        i = int(round(start * sr))
        seg = burst[: n - i]
        y[i:i + len(seg)] += seg
    return (amplitude * y / max(1.0, np.max(np.abs(y)))).astype(np.float32)


def noise(duration: float = 1.0, sr: int = 22050, amplitude: float = 0.1, seed: int = 0) -> np.ndarray:
    """White Gaussian noise with standard deviation ``amplitude`` (clipped to [-1, 1])."""
    n = _check_common(duration, sr)
    _check_amplitude(amplitude)
    rng = np.random.default_rng(seed)
    return np.clip(amplitude * rng.standard_normal(n), -1, 1).astype(np.float32)


def midi_to_hz(pitch: float) -> float:
    """Frequency in Hz of MIDI pitch ``pitch`` (69 = A4 = 440 Hz)."""
    return float(440.0 * 2.0 ** ((np.asarray(pitch, dtype=float) - 69) / 12))


def note(pitch: float = 69, duration: float = 1.0, sr: int = 22050, amplitude: float = 0.5,
         n_harmonics: int = 6, decay: float = 3.0) -> np.ndarray:
    """A plucked-like harmonic note of MIDI ``pitch`` (harmonics fall off as 1/k, exponential decay).

    Harmonics at or above sr/2 are left out, so the note never aliases.

    Args:
        pitch: MIDI pitch (60 = C4, 69 = A4 = 440 Hz), 0 to 127.
        duration: in seconds.
        sr: sample rate in Hz.
        amplitude: peak value, 0 to 1.
        n_harmonics: number of partials, 1 to 40.
        decay: decay rate of the envelope, in 1/s (0 = no decay).
    """
    n = _check_common(duration, sr)
    _check_amplitude(amplitude)
    if not 0 <= pitch <= 127:
        raise ValueError(f"pitch must be a MIDI pitch from 0 to 127, got {pitch!r}")
    if not 1 <= n_harmonics <= 40:
        raise ValueError(f"n_harmonics must be from 1 to 40, got {n_harmonics!r}")
    f0 = midi_to_hz(pitch)
    _check_frequency("the note's fundamental frequency", f0, sr)
    t = time_axis(n, sr)
    y = np.zeros(n)
    for k in range(1, n_harmonics + 1):
        if k * f0 >= sr / 2:
            break
        y += np.sin(2 * np.pi * k * f0 * t) / k
    attack = np.minimum(1.0, t / 0.01)
    y *= attack * np.exp(-decay * t)
    peak = np.max(np.abs(y))
    return (amplitude * y / peak if peak > 0 else y).astype(np.float32)


def chirp_with_clicks(duration: float = 3.0, sr: int = 22050, *, with_clicks: bool = True) -> np.ndarray:
    """The course's demonstration signal: a logarithmic sweep from 200 to 6000 Hz (at most 0.45 sr) with a
    click every half second (``with_clicks=False``: the sweep alone, for measuring it).

    The sweep shows frequency resolution, the clicks time resolution (``01_audio_representations``).
    """
    if not isinstance(with_clicks, (bool, np.bool_)):
        raise TypeError(f"with_clicks must be True or False, got {with_clicks!r}")
    sweep = chirp(200.0, min(6000.0, 0.45 * sr), duration, sr, amplitude=0.4)
    if not with_clicks:
        return sweep.astype(np.float32)
    ticks = clicks(np.arange(0.25, duration, 0.5), duration, sr, amplitude=0.5)
    return np.clip(sweep + ticks, -1, 1).astype(np.float32)

"""Deterministic synthetic signals for demonstrations where a synthetic sound teaches better.

Notebooks: ``00_start_here.ipynb``, ``01_audio_representations.ipynb``, ``03_data_augmentation.ipynb``.

Every function returns a float32 array of shape ``(n_samples,)`` with values in [-1, 1] and is
deterministic: the same arguments (and ``seed``) give the same samples.
"""

from __future__ import annotations

import numpy as np

from course_utils._arguments import _check_bool

#: Longest signal, in seconds, and the range of sample rates (Hz) these functions make.
MAX_DURATION = 600.0
SR_RANGE = (100, 192000)


def _check_number(name: str, value, low: float, high: float, unit: str = "") -> float:
    """``value`` as a float in [low, high]; a bool, a string or NaN is refused with the parameter's name."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number in [{low:g}, {high:g}]{unit}, got {value!r}")
    if not low <= float(value) <= high:  # also refuses NaN
        raise ValueError(f"{name} must be in [{low:g}, {high:g}]{unit}, got {value!r}")
    return float(value)


def _check_int(name: str, value, low: int, high: int, unit: str = "") -> int:
    """``value`` as an int in [low, high]; a bool, a float or a string is refused with the parameter's name."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer from {low} to {high}{unit}, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be an integer from {low} to {high}{unit}, got {value!r}")
    return int(value)


def _check_common(duration: float, sr: int) -> int:
    sr = _check_int("sr", sr, *SR_RANGE, " Hz")
    duration = _check_number("duration", duration, 0.0, MAX_DURATION, " seconds")
    n = int(round(duration * sr))
    if n < 1:
        raise ValueError(f"duration must be in [{1 / sr:g}, {MAX_DURATION:g}] seconds (at least one sample at "
                         f"sr = {sr} Hz), got {duration!r}")
    return n


def _check_frequency(name: str, value: float, sr: int) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number in (0, {sr / 2:g}) Hz, got {value!r}")
    if not np.isfinite(value) or not 0 < value < sr / 2:
        raise ValueError(f"{name} must be in (0, {sr / 2:g}) Hz (below the Nyquist frequency sr/2), got {value!r}")
    return float(value)


def _check_amplitude(amplitude: float) -> float:
    return _check_number("amplitude", amplitude, 0.0, 1.0)


def _check_seed(seed) -> int:
    return _check_int("seed", seed, 0, 2**32 - 1)


def time_axis(n_samples: int, sr: int) -> np.ndarray:
    """Time of each sample in seconds, shape ``(n_samples,)`` (``n_samples`` at most 600 s at ``sr``)."""
    sr = _check_int("sr", sr, *SR_RANGE, " Hz")
    n_samples = _check_int("n_samples", n_samples, 0, int(MAX_DURATION * sr))
    return np.arange(n_samples) / sr


def tone(frequency: float = 440.0, duration: float = 1.0, sr: int = 22050, amplitude: float = 0.5,
         phase: float = 0.0) -> np.ndarray:
    """A sine tone ``amplitude * sin(2 pi f t + phase)``.

    Args:
        frequency: in Hz, below sr/2.
        duration: in seconds.
        sr: sample rate in Hz.
        amplitude: peak value, 0 to 1.
        phase: in radians, -1000 to 1000 (finite).
    """
    n = _check_common(duration, sr)
    frequency = _check_frequency("frequency", frequency, sr)
    amplitude = _check_amplitude(amplitude)
    phase = _check_number("phase", phase, -1000.0, 1000.0, " radians")
    t = time_axis(n, sr)
    return (amplitude * np.sin(2 * np.pi * frequency * t + phase)).astype(np.float32)


def chirp(f_start: float = 100.0, f_end: float = 8000.0, duration: float = 2.0, sr: int = 22050,
          amplitude: float = 0.5, method: str = "logarithmic") -> np.ndarray:
    """A sine sweep from ``f_start`` to ``f_end`` Hz (``method``: ``"linear"`` or ``"logarithmic"``)."""
    from scipy.signal import chirp as scipy_chirp

    n = _check_common(duration, sr)
    f_start = _check_frequency("f_start", f_start, sr)
    f_end = _check_frequency("f_end", f_end, sr)
    amplitude = _check_amplitude(amplitude)
    if not isinstance(method, str) or method not in ("linear", "logarithmic"):
        raise ValueError(f"method must be 'linear' or 'logarithmic', got {method!r}")
    t = time_axis(n, sr)
    return (amplitude * scipy_chirp(t, f0=f_start, t1=duration, f1=f_end, method=method, phi=-90)).astype(np.float32)


def clicks(times, duration: float = 2.0, sr: int = 22050, amplitude: float = 0.9,
           click_duration: float = 0.005) -> np.ndarray:
    """Short clicks (decaying 2 kHz bursts) starting at ``times`` (seconds).

    Args:
        times: click start times in seconds, each in [0, duration); at most 10000 clicks.
        duration: in seconds.
        sr: sample rate in Hz.
        amplitude: peak value, 0 to 1.
        click_duration: length of one burst in seconds, 0.0001 to 1 (at least one sample is drawn).
    """
    n = _check_common(duration, sr)
    amplitude = _check_amplitude(amplitude)
    click_duration = _check_number("click_duration", click_duration, 1e-4, 1.0, " seconds")
    try:
        starts = np.atleast_1d(np.asarray(times, dtype=float)).reshape(-1)
    except (TypeError, ValueError, OverflowError):
        raise TypeError(f"times must be a number or a list of numbers (seconds) in [0, {duration:g}), "
                        f"got {times!r}") from None
    if starts.size > 10_000:
        raise ValueError(f"times may hold at most 10000 clicks, got {starts.size}")
    y = np.zeros(n, dtype=np.float64)
    length = max(1, int(round(click_duration * sr)))
    t = np.arange(length) / sr
    burst = np.sin(2 * np.pi * min(2000.0, sr / 4) * t) * np.exp(-t / (click_duration / 5))
    for start in starts:
        if not 0 <= start < duration:
            raise ValueError(f"every click time in times must be in [0, {duration:g}) s, got {start}")
        i = int(round(start * sr))
        seg = burst[: n - i]
        y[i:i + len(seg)] += seg
    return (amplitude * y / max(1.0, np.max(np.abs(y)))).astype(np.float32)


def noise(duration: float = 1.0, sr: int = 22050, amplitude: float = 0.1, seed: int = 0) -> np.ndarray:
    """White Gaussian noise with standard deviation ``amplitude`` (0 to 1; clipped to [-1, 1]); ``seed`` is an
    integer from 0 to 2**32 - 1."""
    n = _check_common(duration, sr)
    amplitude = _check_amplitude(amplitude)
    seed = _check_seed(seed)
    rng = np.random.default_rng(seed)
    return np.clip(amplitude * rng.standard_normal(n), -1, 1).astype(np.float32)


def midi_to_hz(pitch: float) -> float:
    """Frequency in Hz of MIDI pitch ``pitch`` (69 = A4 = 440 Hz), a number from -100 to 300."""
    pitch = _check_number("pitch", pitch, -100.0, 300.0, " (MIDI)")
    return float(440.0 * 2.0 ** ((pitch - 69) / 12))


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
        decay: decay rate of the envelope, in 1/s, 0 to 1000 (0 = no decay).
    """
    n = _check_common(duration, sr)
    amplitude = _check_amplitude(amplitude)
    if isinstance(pitch, (bool, np.bool_)) or not isinstance(pitch, (int, float, np.integer, np.floating)):
        raise TypeError(f"pitch must be a MIDI pitch from 0 to 127, got {pitch!r}")
    if not 0 <= pitch <= 127:
        raise ValueError(f"pitch must be a MIDI pitch from 0 to 127, got {pitch!r}")
    n_harmonics = _check_int("n_harmonics", n_harmonics, 1, 40)
    decay = _check_number("decay", decay, 0.0, 1000.0, " per second")
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
    _check_bool("with_clicks", with_clicks)
    _check_common(duration, sr)
    sweep = chirp(200.0, min(6000.0, 0.45 * sr), duration, sr, amplitude=0.4)
    if not with_clicks:
        return sweep.astype(np.float32)
    ticks = clicks(np.arange(0.25, duration, 0.5), duration, sr, amplitude=0.5)
    return np.clip(sweep + ticks, -1, 1).astype(np.float32)

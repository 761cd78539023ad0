"""Data augmentation for audio: waveform transforms (audiomentations) and spectrogram transforms (albumentations).

Notebook: ``03_data_augmentation.ipynb``.

Two families of builders live here, all float32 in and float32 out, with shapes and sample rates preserved:

* **Waveform augmentation** with `audiomentations <https://iver56.github.io/audiomentations/>`_:
  :func:`make_audio_augmenter` builds a random pipeline ``Compose([Shift, PitchShift, AddGaussianSNR])``
  with the course's defaults; :func:`time_shift`, :func:`pitch_shift`, :func:`add_noise_snr` and
  :func:`add_gaussian_noise` apply one transform with a *fixed* strength (for pictures and listening).
* **Spectrogram augmentation** with `albumentations <https://albumentations.ai/>`_ (see
  :func:`make_spectrogram_augmenter`), which handles the two traps of image libraries on dB spectrograms:
  pixel-level transforms that clip float32 images to [0, 1], and fill values that mean something else on a
  dB scale.

Reproducibility
---------------
audiomentations draws its random numbers from Python's global ``random`` module (whether a transform is
applied, the shift, the number of semitones, the SNR) **and** from NumPy's global ``numpy.random`` (the
noise samples). Seeding only one of them is not enough. Every augmenter here owns a private
``numpy.random.Generator``; on each call it draws two seeds from it, seeds both global generators with
them, runs the transforms and then restores the global generators' previous states. Hence:

* the same ``seed`` gives exactly the same sequence of augmented signals, call after call;
* the student's own use of ``random`` / ``numpy.random`` neither disturbs nor is disturbed by augmentation.

Importing this module is cheap: audiomentations and albumentations are imported inside the functions
that need them, and ``NO_ALBUMENTATIONS_UPDATE=1`` is set (unless already set) so that albumentations
does not try to contact PyPI for an update check on import.
"""

from __future__ import annotations

import os
import random
from contextlib import contextmanager

import numpy as np

os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")

__all__ = [
    "SHIFT_RANGE_MS",
    "SEMITONE_RANGE",
    "SNR_RANGE_DB",
    "AudioAugmenter",
    "make_audio_augmenter",
    "time_shift",
    "pitch_shift",
    "add_noise_snr",
    "add_gaussian_noise",
    "measure_snr_db",
]

#: Allowed range of a time shift, in milliseconds (absolute value).
SHIFT_RANGE_MS = (0.0, 5000.0)
#: Allowed range of a pitch shift, in semitones (absolute value): one octave either way. Larger shifts
#: turn voices into chipmunks or giants and rarely keep a label's meaning.
SEMITONE_RANGE = (0.0, 12.0)
#: Allowed signal-to-noise ratios, in dB. 0 dB means noise as loud as the signal; 100 dB is inaudible noise.
SNR_RANGE_DB = (0.0, 100.0)
#: Pitch shifting algorithm of audiomentations used everywhere here. "signalsmith_stretch" (the library's
#: default in 0.43) and "librosa_phase_vocoder" both take about 25 ms for a 5 s clip at 22.05 kHz on the
#: course machine; the Signalsmith one sounds cleaner (fewer phase-vocoder artefacts).
PITCH_METHOD = "signalsmith_stretch"


# --------------------------------------------------------------------------------------------------
# validation helpers

def _check_signal(y, name: str = "y") -> np.ndarray:
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"{name} must be a mono signal with shape (n_samples,), got shape {y.shape}")
    if y.size == 0:
        raise ValueError(f"{name} must contain at least one sample")
    if not np.issubdtype(y.dtype, np.floating):
        raise TypeError(f"{name} must be a float array (float32 audio in [-1, 1]), got dtype {y.dtype}")
    y = y.astype(np.float32, copy=False)
    if not np.all(np.isfinite(y)):
        raise ValueError(f"{name} contains NaN or infinite samples")
    return y


def _check_sr(sr) -> int:
    if isinstance(sr, bool) or not isinstance(sr, (int, np.integer)) or not 1000 <= sr <= 192000:
        raise ValueError(f"sr must be an integer sample rate from 1000 to 192000 Hz, got {sr!r}")
    return int(sr)


def _check_range(name: str, value, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number in [{low:g}, {high:g}], got {value!r}")
    value = float(value)
    if not np.isfinite(value) or not low <= value <= high:
        raise ValueError(f"{name} must be in [{low:g}, {high:g}], got {value!r}")
    return value


def _check_probability(name: str, p) -> float:
    return _check_range(name, p, 0.0, 1.0)


def _check_seed(seed):
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise ValueError(f"seed must be None or an integer from 0 to 2**32 - 1, got {seed!r}")
    return int(seed)


def _check_snr_range(snr_db) -> tuple[float, float] | None:
    """``snr_db`` as a (low, high) pair in dB; a single number means a fixed SNR; None means no noise."""
    if snr_db is None:
        return None
    if isinstance(snr_db, (int, float, np.integer, np.floating)) and not isinstance(snr_db, bool):
        value = _check_range("snr_db", snr_db, *SNR_RANGE_DB)
        return value, value
    try:
        low, high = snr_db
    except (TypeError, ValueError):
        raise TypeError(f"snr_db must be None, a number or a (low, high) pair in dB, got {snr_db!r}") from None
    low = _check_range("snr_db (low end)", low, *SNR_RANGE_DB)
    high = _check_range("snr_db (high end)", high, *SNR_RANGE_DB)
    if low > high:
        raise ValueError(f"snr_db must be a (low, high) pair with low <= high, got {snr_db!r} (reversed)")
    return low, high


@contextmanager
def _seeded_globals(rng: np.random.Generator):
    """Seed ``random`` and ``numpy.random`` from ``rng`` for the block, then restore their previous states."""
    py_state, np_state = random.getstate(), np.random.get_state()
    py_seed, np_seed = (int(s) for s in rng.integers(0, 2**32, size=2))
    random.seed(py_seed)
    np.random.seed(np_seed)
    try:
        yield
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)


def _same_length(out: np.ndarray, n: int) -> np.ndarray:
    out = np.asarray(out, dtype=np.float32)
    if out.shape[0] > n:
        return out[:n]
    if out.shape[0] < n:  # never observed with the course's transforms; kept so the contract always holds
        return np.pad(out, (0, n - out.shape[0]))
    return out


# --------------------------------------------------------------------------------------------------
# the random pipeline

class AudioAugmenter:
    """A seeded random waveform augmentation pipeline: call it as ``augment(y, sr)``.

    Made by :func:`make_audio_augmenter`; wraps an ``audiomentations.Compose``.

    Attributes:
        transform: the ``audiomentations.Compose`` that does the work.
        settings: the arguments the augmenter was built with.
        last_applied: after each call, a list of ``(name, parameters)`` of the transforms that were
            actually applied in that call (each applies with probability ``p``), e.g.
            ``[("Shift", {"shift_ms": 41.2}), ("AddGaussianSNR", {"snr_db": 23.5})]``.

    Notebook: ``03_data_augmentation.ipynb``.
    """

    def __init__(self, transform, settings: dict, seed: int | None):
        self.transform = transform
        self.settings = dict(settings)
        self.seed = seed
        self._rng = np.random.default_rng(seed)
        self.last_applied: list[tuple[str, dict]] = []

    def reseed(self, seed: int | None) -> None:
        """Restart the sequence of random draws from ``seed`` (None: fresh entropy)."""
        self.seed = _check_seed(seed)
        self._rng = np.random.default_rng(self.seed)

    def __call__(self, y: np.ndarray, sr: int) -> np.ndarray:
        """Augment one signal.

        Args:
            y: np.ndarray, shape (n_samples,), float, mono audio.
            sr: sample rate in Hz.

        Returns:
            np.ndarray, shape (n_samples,), float32: a new random version of ``y`` (``y`` is not modified).
        """
        y = _check_signal(y)
        sr = _check_sr(sr)
        with _seeded_globals(self._rng):
            out = self.transform(samples=y.copy(), sample_rate=sr)
        self.last_applied = _applied(self.transform, sr)
        return _same_length(out, y.shape[0])

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.settings.items())
        names = [type(t).__name__ for t in self.transform.transforms]
        return f"AudioAugmenter({args}, seed={self.seed!r}) -> Compose({names})"


def _applied(compose, sr: int) -> list[tuple[str, dict]]:
    applied = []
    for t in compose.transforms:
        params = t.parameters
        if not params.get("should_apply"):
            continue
        name = type(t).__name__
        if name == "Shift":
            applied.append((name, {"shift_ms": 1000.0 * params["shift_amount"]}))
        elif name == "PitchShift":
            applied.append((name, {"semitones": float(params["num_semitones"])}))
        elif name == "AddGaussianSNR":
            applied.append((name, {"noise_std": float(params["noise_std"])}))
        else:
            applied.append((name, {k: v for k, v in params.items() if k != "should_apply"}))
    return applied


def make_audio_augmenter(*, shift_max_ms: float | None = 100.0, rollover: bool = False,
                         semitones: float | None = 2.0, snr_db=(15.0, 40.0), p: float = 0.5,
                         seed: int | None = None) -> AudioAugmenter:
    """The course's random waveform augmentation: ``Compose([Shift, PitchShift, AddGaussianSNR])``.

    Each transform is applied independently with probability ``p`` and a strength drawn uniformly from
    its range. A transform whose strength is 0 or None is left out.

    Args:
        shift_max_ms: largest time shift in milliseconds; shifts are drawn from
            [-shift_max_ms, +shift_max_ms] (positive = later). Range [0, 5000].
        rollover: whether samples shifted past one end re-enter at the other end (``True``) or are
            replaced by silence (``False``, the default: a word does not wrap around in real life).
        semitones: largest pitch shift in semitones; shifts are drawn from [-semitones, +semitones].
            Range [0, 12].
        snr_db: range (low, high) of the signal-to-noise ratio of added white Gaussian noise, in dB,
            with 0 <= low <= high <= 100; a single number fixes the SNR. Lower means noisier.
        p: probability of applying each transform, in [0, 1].
        seed: None (different draws in every run) or an integer: the same seed gives the same
            sequence of augmented signals (see the module docstring for how).

    Returns:
        AudioAugmenter: a callable ``augment(y, sr) -> np.ndarray`` (float32, same shape as ``y``).

    Example:
        >>> augment = make_audio_augmenter(seed=0)
        >>> y_aug = augment(y, sr)   # y: float32, shape (n_samples,)

    Notebook: ``03_data_augmentation.ipynb``.
    """
    import audiomentations as am

    shift = None if shift_max_ms is None else _check_range("shift_max_ms", shift_max_ms, *SHIFT_RANGE_MS)
    semis = None if semitones is None else _check_range("semitones", semitones, *SEMITONE_RANGE)
    snr = _check_snr_range(snr_db)
    p = _check_probability("p", p)
    if not isinstance(rollover, (bool, np.bool_)):
        raise TypeError(f"rollover must be True or False, got {rollover!r}")
    seed = _check_seed(seed)

    transforms = []
    if shift:
        transforms.append(am.Shift(min_shift=-shift / 1000, max_shift=shift / 1000, shift_unit="seconds",
                                   rollover=bool(rollover), p=p))
    if semis:
        transforms.append(am.PitchShift(min_semitones=-semis, max_semitones=semis, method=PITCH_METHOD, p=p))
    if snr is not None:
        transforms.append(am.AddGaussianSNR(min_snr_db=snr[0], max_snr_db=snr[1], p=p))
    settings = {"shift_max_ms": shift_max_ms, "rollover": bool(rollover), "semitones": semitones,
                "snr_db": snr_db, "p": p}
    return AudioAugmenter(am.Compose(transforms), settings, seed)


# --------------------------------------------------------------------------------------------------
# single transforms with a fixed strength

def time_shift(y: np.ndarray, sr: int, shift_ms: float, *, rollover: bool = False,
               fade_ms: float = 5.0) -> np.ndarray:
    """Shift a signal in time by a fixed amount (audiomentations ``Shift``).

    Args:
        y: np.ndarray, shape (n_samples,), float mono audio.
        sr: sample rate in Hz.
        shift_ms: shift in milliseconds; positive moves the content later, negative earlier.
            ``|shift_ms|`` <= 5000. The shift is ``round(shift_ms / 1000 * sr)`` samples.
        rollover: True: samples pushed out at one end come back in at the other (circular shift).
            False: they are dropped and the gap is filled with silence.
        fade_ms: length of the short fade at the seam (avoids a click), in ms; 0 switches it off.

    Returns:
        np.ndarray, shape (n_samples,), float32.

    Notebook: ``03_data_augmentation.ipynb``.
    """
    import audiomentations as am

    y = _check_signal(y)
    sr = _check_sr(sr)
    shift_ms = _check_range("shift_ms", shift_ms, -SHIFT_RANGE_MS[1], SHIFT_RANGE_MS[1])
    fade_ms = _check_range("fade_ms", fade_ms, 0.0, 100.0)
    if 0 < fade_ms < 1000 * 0.00025:
        raise ValueError(f"fade_ms must be 0 or at least 0.25 ms, got {fade_ms!r}")
    t = am.Shift(min_shift=shift_ms / 1000, max_shift=shift_ms / 1000, shift_unit="seconds",
                 rollover=bool(rollover), fade_duration=fade_ms / 1000, p=1.0)
    with _seeded_globals(np.random.default_rng(0)):
        out = t(samples=y.copy(), sample_rate=sr)
    return _same_length(out, y.shape[0])


def pitch_shift(y: np.ndarray, sr: int, semitones: float) -> np.ndarray:
    """Shift the pitch by a fixed number of semitones, keeping the duration (audiomentations ``PitchShift``).

    A shift by ``n`` semitones multiplies every frequency by ``2 ** (n / 12)`` (12 semitones = one octave).

    Args:
        y: np.ndarray, shape (n_samples,), float mono audio.
        sr: sample rate in Hz.
        semitones: in [-12, 12]; positive is higher.

    Returns:
        np.ndarray, shape (n_samples,), float32.

    Notebook: ``03_data_augmentation.ipynb``.
    """
    import audiomentations as am

    y = _check_signal(y)
    sr = _check_sr(sr)
    semitones = _check_range("semitones", semitones, -SEMITONE_RANGE[1], SEMITONE_RANGE[1])
    if semitones == 0:
        return y.copy()
    t = am.PitchShift(min_semitones=semitones, max_semitones=semitones, method=PITCH_METHOD, p=1.0)
    with _seeded_globals(np.random.default_rng(0)):
        out = t(samples=y.copy(), sample_rate=sr)
    return _same_length(out, y.shape[0])


def add_noise_snr(y: np.ndarray, snr_db: float, *, seed: int = 0) -> np.ndarray:
    """Add white Gaussian noise at a fixed signal-to-noise ratio (audiomentations ``AddGaussianSNR``).

    The noise's standard deviation is ``rms(y) / 10 ** (snr_db / 20)``, so that
    ``SNR = 20 log10(rms(y) / rms(noise)) = snr_db`` (up to the randomness of the noise). The noise
    scales with the signal: a quiet recording gets quiet noise.

    Args:
        y: np.ndarray, shape (n_samples,), float mono audio.
        snr_db: signal-to-noise ratio in dB, in [0, 100]; lower is noisier.
        seed: seed of the noise samples (same seed, same noise).

    Returns:
        np.ndarray, shape (n_samples,), float32.

    Notebook: ``03_data_augmentation.ipynb``.
    """
    import audiomentations as am

    y = _check_signal(y)
    snr_db = _check_range("snr_db", snr_db, *SNR_RANGE_DB)
    seed = _check_seed(seed)
    t = am.AddGaussianSNR(min_snr_db=snr_db, max_snr_db=snr_db, p=1.0)
    with _seeded_globals(np.random.default_rng(seed)):
        out = t(samples=y.copy(), sample_rate=22050)  # the sample rate does not matter for white noise
    return _same_length(out, y.shape[0])


def add_gaussian_noise(y: np.ndarray, amplitude: float, *, seed: int = 0) -> np.ndarray:
    """Add white Gaussian noise of a fixed standard deviation (audiomentations ``AddGaussianNoise``).

    Unlike :func:`add_noise_snr`, the noise level does not depend on the signal: the same ``amplitude``
    drowns a quiet recording and hardly touches a loud one.

    Args:
        y: np.ndarray, shape (n_samples,), float mono audio.
        amplitude: standard deviation of the noise, in [0, 1] (full scale is 1).
        seed: seed of the noise samples.

    Returns:
        np.ndarray, shape (n_samples,), float32.

    Notebook: ``03_data_augmentation.ipynb``.
    """
    import audiomentations as am

    y = _check_signal(y)
    amplitude = _check_range("amplitude", amplitude, 0.0, 1.0)
    seed = _check_seed(seed)
    if amplitude == 0:
        return y.copy()
    t = am.AddGaussianNoise(min_amplitude=amplitude, max_amplitude=amplitude, p=1.0)
    with _seeded_globals(np.random.default_rng(seed)):
        out = t(samples=y.copy(), sample_rate=22050)
    return _same_length(out, y.shape[0])


def measure_snr_db(clean: np.ndarray, noisy: np.ndarray) -> float:
    """Signal-to-noise ratio ``10 log10(sum(clean**2) / sum((noisy - clean)**2))`` in dB.

    Args:
        clean: np.ndarray, shape (n_samples,), the signal without noise.
        noisy: np.ndarray, same shape, the signal with noise.

    Returns:
        float, in dB (``inf`` when both are equal).

    Notebook: ``03_data_augmentation.ipynb``.
    """
    clean = _check_signal(clean, "clean").astype(np.float64)
    noisy = _check_signal(noisy, "noisy").astype(np.float64)
    if clean.shape != noisy.shape:
        raise ValueError(f"clean and noisy must have the same shape, got {clean.shape} and {noisy.shape}")
    noise_energy = float(np.sum((noisy - clean) ** 2))
    if noise_energy == 0:
        return float("inf")
    return float(10 * np.log10(np.sum(clean**2) / noise_energy))

"""Waveform augmentation for audio with audiomentations: the course's seeded random pipeline and single transforms.

Notebook: ``03_data_augmentation.ipynb`` (section 2, and the ``audio_augmentation`` explorer).
Notebook ``06_programming_session.ipynb`` uses :func:`make_audio_augmenter` for its augmented runs.

Everything here is float32 in, float32 out, with the signal's length and sample rate preserved:

* :func:`make_audio_augmenter` builds a random pipeline ``Compose([Shift, PitchShift, AddGaussianSNR])`` with
  the course's defaults (an :class:`AudioAugmenter`; :func:`describe_applied` says what one call did);
* :func:`time_shift`, :func:`pitch_shift`, :func:`add_noise_snr` and :func:`add_gaussian_noise` apply one
  transform with a *fixed* strength (for pictures and listening); :func:`measure_snr_db` measures the result;
* :func:`plot_before_after` and :func:`players` show and play a signal before and after;
* :func:`check_noise_std` checks the notebook's exercise on the noise level for a given SNR.

The rest of notebook 03 lives in three sibling modules: :mod:`course_utils.spectrogram_augmentation`
(image transforms on spectrograms with albumentations), :mod:`course_utils.augmentation_labels` (which
augmentation keeps which label, and labels that move with the audio) and
:mod:`course_utils.augmentation_experiment` (does augmentation help a classifier on an unseen speaker?).
They share the argument checks defined here.

Reproducibility
---------------
audiomentations draws its random numbers from Python's global ``random`` module (whether a transform is
applied, the shift, the number of semitones, the SNR) **and** from NumPy's global ``numpy.random`` (the
noise samples). Seeding only one of them is not enough. Every augmenter here owns a private
``numpy.random.Generator``; on each call it draws two seeds from it, seeds both global generators with
them, runs the transforms and then restores the global generators' previous states. Hence:

* the same ``seed`` gives exactly the same sequence of augmented signals, call after call;
* the student's own use of ``random`` / ``numpy.random`` neither disturbs nor is disturbed by augmentation.

Importing this module is cheap: audiomentations is imported inside the functions that need it.
``NO_ALBUMENTATIONS_UPDATE=1`` is set here too (unless already set), so that no module of the course lets
albumentations contact PyPI for an update check.
"""

from __future__ import annotations

import os
import random
from contextlib import contextmanager

import numpy as np

from course_utils._arguments import _check_bool
from course_utils.checks import records_attempt

os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")

__all__ = [
    "SHIFT_RANGE_MS",
    "SEMITONE_RANGE",
    "SNR_RANGE_DB",
    "PITCH_METHOD",
    "AudioAugmenter",
    "make_audio_augmenter",
    "describe_applied",
    "time_shift",
    "pitch_shift",
    "add_noise_snr",
    "add_gaussian_noise",
    "measure_snr_db",
    "plot_before_after",
    "player",
    "players",
    "check_noise_std",
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

#: Longest signal any function here takes, in samples (about 38 minutes at 22050 Hz).
MAX_SAMPLES = 50_000_000


def _check_signal(y, name: str = "y") -> np.ndarray:
    """``y`` as float32 mono audio, shape (n_samples,), or an error with the same wording as
    :mod:`course_utils.representations` (integer audio: divide by 32768; stereo: how to make it mono)."""
    try:
        y = np.asarray(y)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a 1D float array of audio samples, got {type(y).__name__}") from None
    if np.issubdtype(y.dtype, np.integer):  # int16 audio used unscaled would be 32768 times too loud
        raise TypeError(f"{name} holds integers ({y.dtype}); convert to float in [-1, 1] first "
                        "(int16: divide by 32768)")
    if not np.issubdtype(y.dtype, np.floating):
        raise TypeError(f"{name} must be a float array (float32 audio in [-1, 1]), got dtype {y.dtype}")
    if y.ndim == 2:
        raise ValueError(f"{name} must be a mono signal with shape (n_samples,), got shape {y.shape}. For "
                         f"multichannel audio in librosa's layout (n_channels, n_samples) make it mono with "
                         f"{name}.mean(axis=0) or librosa.to_mono({name}); for (n_samples, n_channels) use "
                         f"{name}.mean(axis=1).")
    if y.ndim != 1:
        raise ValueError(f"{name} must be a mono signal with shape (n_samples,), got shape {y.shape}")
    if not 1 <= y.size <= MAX_SAMPLES:
        raise ValueError(f"{name} must contain 1 to {MAX_SAMPLES} samples, got {y.size}")
    if not np.all(np.isfinite(y)):
        raise ValueError(f"{name} contains NaN or infinite samples")
    return y.astype(np.float32, copy=False)


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


def _check_seed(seed, *, allow_none: bool = True):
    if seed is None:
        if not allow_none:
            raise TypeError("seed must be an integer from 0 to 2**32 - 1 (the same seed gives the same draw), got None")
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


def _check_count(name: str, value, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 <= value <= high:
        raise ValueError(f"{name} must be an integer in [0, {high}], got {value!r}")
    return int(value)


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
            ``[("Shift", {"shift_ms": 41.2}), ("AddGaussianSNR", {"noise_std": 0.0048, "snr_db": 23.5})]``.
            audiomentations keeps only the noise's standard deviation; ``snr_db`` is the SNR it gives
            against the noise step's input, whose power is that of the output minus the noise's
            (an estimate: the noise is the last step, independent of the sound).

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
        # a shift as long as the clip is meaningless (and audiomentations' fade fails on it): for a clip
        # shorter than the largest shift, shifts are drawn from +-(n_samples - 1) samples instead
        shifts = [t for t in self.transform.transforms if type(t).__name__ == "Shift"]
        limit = (y.shape[0] - 1) / sr
        saved = [(t.min_shift, t.max_shift) for t in shifts]
        for t in shifts:
            t.min_shift, t.max_shift = max(t.min_shift, -limit), min(t.max_shift, limit)
        try:
            with _seeded_globals(self._rng):
                out = self.transform(samples=y.copy(), sample_rate=sr)
        finally:
            for t, (low, high) in zip(shifts, saved):
                t.min_shift, t.max_shift = low, high
        self.last_applied = _applied(self.transform, sr, out)
        return _same_length(out, y.shape[0])

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.settings.items())
        names = [type(t).__name__ for t in self.transform.transforms]
        return f"AudioAugmenter({args}, seed={self.seed!r}) -> Compose({names})"


_APPLIED_FORMATS = {"shift_ms": "{:+.1f} ms", "semitones": "{:+.2f}", "noise_std": "{:.3g}", "snr_db": "{:.1f} dB"}


def describe_applied(applied: list[tuple[str, dict]]) -> str:
    """One line for :attr:`AudioAugmenter.last_applied`, e.g. ``"Shift (shift_ms = +41.2 ms), AddGaussianSNR
    (noise_std = 0.0048, snr_db = 23.5 dB)"``; ``"nothing"`` when no transform was applied.

    Notebook: ``03_data_augmentation.ipynb``.
    """
    parts = []
    for name, params in applied:
        values = ", ".join(f"{k} = {_APPLIED_FORMATS.get(k, '{:.3g}').format(v)}" for k, v in params.items())
        parts.append(f"{name} ({values})")
    return ", ".join(parts) or "nothing"


def _applied(compose, sr: int, out: np.ndarray) -> list[tuple[str, dict]]:
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
            std = float(params["noise_std"])
            signal_power = float(np.mean(np.square(out, dtype=np.float64))) - std**2
            snr = 10 * np.log10(signal_power / std**2) if std > 0 and signal_power > 0 else float("nan")
            applied.append((name, {"noise_std": std, "snr_db": float(snr)}))
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
            [-shift_max_ms, +shift_max_ms] (positive = later). Range [0, 5000]. For a clip shorter
            than that, shifts are limited to its length minus one sample.
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
    rollover = _check_bool("rollover", rollover)
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
            ``|shift_ms|`` <= 5000. The shift is ``round(shift_ms / 1000 * sr)`` samples, fewer than
            ``n_samples``.
        rollover: True: samples pushed out at one end come back in at the other (circular shift).
            False: they are dropped and the gap is filled with silence. Only True or False (a string such
            as ``'no'`` is refused).
        fade_ms: length of the short fade at the seam (avoids a click), in ms; 0 switches it off.

    Returns:
        np.ndarray, shape (n_samples,), float32.

    Notebook: ``03_data_augmentation.ipynb``.
    """
    import audiomentations as am

    y = _check_signal(y)
    sr = _check_sr(sr)
    rollover = _check_bool("rollover", rollover)
    shift_ms = _check_range("shift_ms", shift_ms, -SHIFT_RANGE_MS[1], SHIFT_RANGE_MS[1])
    fade_ms = _check_range("fade_ms", fade_ms, 0.0, 100.0)
    if 0 < fade_ms < 1000 * 0.00025:
        raise ValueError(f"fade_ms must be 0 or at least 0.25 ms, got {fade_ms!r}")
    longest_ms = 1000 * (y.shape[0] - 1) / sr
    if abs(round(shift_ms / 1000 * sr)) >= y.shape[0]:
        raise ValueError(f"shift_ms must be shorter than the signal: |shift_ms| <= {longest_ms:.3f} ms for "
                         f"{y.shape[0]} samples at {sr} Hz, got {shift_ms!r}")
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
    _check_seed(seed, allow_none=False)
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
    _check_seed(seed, allow_none=False)
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
        float, in dB (``inf`` when both are equal, ``-inf`` when ``clean`` is silent and ``noisy`` is not).

    Notebook: ``03_data_augmentation.ipynb``.
    """
    clean = _check_signal(clean, "clean").astype(np.float64)
    noisy = _check_signal(noisy, "noisy").astype(np.float64)
    if clean.shape != noisy.shape:
        raise ValueError(f"clean and noisy must have the same shape, got {clean.shape} and {noisy.shape}")
    noise_energy = float(np.sum((noisy - clean) ** 2))
    if noise_energy == 0:
        return float("inf")
    signal_energy = float(np.sum(clean**2))
    if signal_energy == 0:  # all noise, no signal (log10(0) would warn)
        return float("-inf")
    return float(10 * np.log10(np.sum(clean**2) / noise_energy))


# --------------------------------------------------------------------------------------------------
# pictures and sound for the notebook

def plot_before_after(y: np.ndarray, y_aug: np.ndarray, sr: int, *, title: str = "after", block_size: int = 1024,
                      hop_size: int = 512, n_mels: int = 64, axes=None):
    """Waveform (top) and log-mel spectrogram (bottom) of a signal before (left) and after (right) augmentation.

    Both spectrograms share one colour scale (that of the original: its maximum and 80 dB below), so
    added noise shows as a brighter floor and a louder signal as brighter colours.

    Args:
        y, y_aug: np.ndarray, shape (n_samples,), the original and the augmented signal.
        sr: sample rate in Hz.
        title: title of the right-hand column.
        block_size, hop_size, n_mels: of :func:`course_utils.representations.log_mel_spectrogram`.
        axes: a 2 x 2 array of axes to draw into (None: a new figure).

    Returns:
        The 2 x 2 array of axes.

    Notebook: ``03_data_augmentation.ipynb``.
    """
    import matplotlib.pyplot as plt

    from course_utils.plotting import plot_spectrogram, plot_waveform
    from course_utils.representations import log_mel_spectrogram

    y, y_aug = _check_signal(y), _check_signal(y_aug, "y_aug")
    sr = _check_sr(sr)
    if axes is None:
        _, axes = plt.subplots(2, 2, figsize=(10, 4.8), sharex=True, layout="constrained")
    S = log_mel_spectrogram(y, sr, block_size, hop_size, n_mels)
    S_aug = log_mel_spectrogram(y_aug, sr, block_size, hop_size, n_mels)
    top = float(S.max())
    for column, (signal, spec, name) in enumerate(((y, S, "before"), (y_aug, S_aug, title))):
        plot_waveform(signal, sr, ax=axes[0, column], title=name)
        axes[0, column].set_ylim(-1.05, 1.05)
        plot_spectrogram(spec, sr, hop_size, ax=axes[1, column], y_axis="mel", vmin=top - 80, vmax=top)
    return axes


def player(y: np.ndarray, sr: int, label: str = ""):
    """An audio player widget that plays ``y`` at its true level (no automatic normalisation).

    ``IPython.display.Audio`` scales every sound to full volume, which would hide what noise or a quieter
    version sounds like; this uses :class:`course_utils.audio_player.AudioPlayer` instead.

    Notebook: ``03_data_augmentation.ipynb``.
    """
    from course_utils.audio_player import AudioPlayer

    if not isinstance(label, str):
        raise TypeError(f"label must be a string, got {label!r}")
    y, sr = _check_signal(y), _check_sr(sr)
    p = AudioPlayer(label)
    p.set(y, sr)
    return p.widget


def players(sr: int, **signals):
    """Several :func:`player` widgets in a column, one per keyword (the keyword is the label).

    Notebook: ``03_data_augmentation.ipynb``.
    """
    import ipywidgets as widgets

    return widgets.VBox([player(y, sr, label.replace("_", " ")) for label, y in signals.items()])


# --------------------------------------------------------------------------------------------------
# "Your turn" checker

@records_attempt("noise_std")
def check_noise_std(answer, y: np.ndarray, snr_db: float):
    """Exercise: the standard deviation of white noise that gives ``y`` a signal-to-noise ratio of ``snr_db``.

    Reference: ``rms(y) / 10 ** (snr_db / 20)`` with ``rms(y) = sqrt(mean(y**2))``.

    Notebook: ``03_data_augmentation.ipynb``.
    """
    from course_utils.checks import Check, as_number, right, wrong

    y = _check_signal(y)
    snr_db = _check_range("snr_db", snr_db, *SNR_RANGE_DB)
    rms = float(np.sqrt(np.mean(y.astype(np.float64) ** 2)))
    expected = rms / 10 ** (snr_db / 20)
    value = as_number(answer, name="the noise standard deviation")
    if isinstance(value, Check):
        return value
    if np.isclose(value, expected, rtol=1e-3):
        return right(f"sigma = rms(y) / 10^(SNR/20) = {rms:.4f} / {10 ** (snr_db / 20):.3f} = {expected:.5f}.")
    if np.isclose(value, rms / 10 ** (snr_db / 10), rtol=1e-3):
        return wrong("you divided by 10^(SNR/10): that is the ratio of powers; amplitudes (rms, std) need 10^(SNR/20).")
    if np.isclose(value, np.max(np.abs(y)) / 10 ** (snr_db / 20), rtol=1e-3):
        return wrong("the SNR compares the signal's rms (sqrt of the mean square), not its peak value.")
    return wrong(f"{value:g} is not it. SNR_dB = 20 log10(rms(signal) / rms(noise)); solve for rms(noise).")


"""Data augmentation for audio: waveform transforms (audiomentations) and spectrogram transforms (albumentations).

Notebook: ``03_data_augmentation.ipynb``.

Two families of builders live here, all float32 in and float32 out, with shapes and sample rates preserved:

* **Waveform augmentation** with `audiomentations <https://iver56.github.io/audiomentations/>`_:
  :func:`make_audio_augmenter` builds a random pipeline ``Compose([Shift, PitchShift, AddGaussianSNR])``
  with the course's defaults; :func:`time_shift`, :func:`pitch_shift`, :func:`add_noise_snr` and
  :func:`add_gaussian_noise` apply one transform with a *fixed* strength (for pictures and listening).
* **Spectrogram augmentation** with `albumentations <https://albumentations.ai/>`_:
  :func:`make_spectrogram_augmenter` (random, seeded) and :func:`augment_spectrogram` (one transform with a
  fixed strength). Both avoid three traps of albumentations 2.0.8 on dB spectrograms (each is demonstrated in
  the notebook by running the library): pixel-level transforms clip float32 images to [0, 1] (we map to
  [0, 1] and back, :func:`to_unit_range`), a fill value of 0 means 0 dB rather than silence (we fill with the
  spectrogram's floor by default), and a single integer count or width ``n`` is read as the range (0, n)
  (we pass explicit ranges).
* **Labels:** :func:`label_safety` says whether an augmentation keeps the meaning of a kind of label
  (class, pitch, onsets, speaker); :func:`shift_annotations` moves event times with a time shift;
  :func:`estimate_midi_pitch` measures what a pitch shift did to a note.
* **Does it help?** :func:`augmentation_experiment` trains the same small classifier on FSDD with and without
  augmentation and tests it on a held-out speaker (clean and noisy), with McNemar's test.
* Plot and sound helpers for the notebook (:func:`plot_before_after`, :func:`players`) and the checkers of
  its "Your turn" exercises (``check_*``).

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
from dataclasses import dataclass

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
    "describe_applied",
    "plot_before_after",
    "player",
    "players",
    "estimate_midi_pitch",
    "shift_annotations",
    "to_unit_range",
    "from_unit_range",
    "apply_image_transform",
    "SPECTROGRAM_TRANSFORMS",
    "augment_spectrogram",
    "SpectrogramAugmenter",
    "make_spectrogram_augmenter",
    "AUGMENTATIONS",
    "LABEL_KINDS",
    "LabelSafety",
    "label_safety",
    "safe_augmentations",
    "label_safety_table",
    "summary_features",
    "augmentation_experiment",
    "ExperimentResult",
    "mcnemar_p_value",
    "check_noise_std",
    "check_shifted_onsets",
    "check_safe_for_pitch_labels",
    "check_silence_fill",
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
            ``|shift_ms|`` <= 5000. The shift is ``round(shift_ms / 1000 * sr)`` samples, fewer than
            ``n_samples``.
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
    version sounds like; this uses :class:`course_utils.widgets.AudioPlayer` instead.

    Notebook: ``03_data_augmentation.ipynb``.
    """
    from course_utils.widgets import AudioPlayer

    p = AudioPlayer(label)
    p.set(_check_signal(y), sr)
    return p.widget


def players(sr: int, **signals):
    """Several :func:`player` widgets in a column, one per keyword (the keyword is the label).

    Notebook: ``03_data_augmentation.ipynb``.
    """
    import ipywidgets as widgets

    return widgets.VBox([player(y, sr, label.replace("_", " ")) for label, y in signals.items()])


# --------------------------------------------------------------------------------------------------
# labels that travel with the audio

def estimate_midi_pitch(y: np.ndarray, sr: int, *, fmin: float = 50.0, fmax: float = 2000.0) -> float:
    """The pitch of a (mostly) single note as a fractional MIDI number, by the YIN algorithm (librosa).

    The median of the frame-wise fundamental-frequency estimates of the loud frames is converted with
    ``midi = 69 + 12 log2(f0 / 440 Hz)``.

    Args:
        y: np.ndarray, shape (n_samples,), float mono audio of one note.
        sr: sample rate in Hz.
        fmin, fmax: search range of the fundamental frequency, in Hz.

    Returns:
        float: MIDI pitch (60 = middle C, 69 = A4 = 440 Hz).

    Notebook: ``03_data_augmentation.ipynb``.
    """
    import librosa

    y = _check_signal(y)
    sr = _check_sr(sr)
    if not 0 < fmin < fmax < sr / 2:
        raise ValueError(f"need 0 < fmin < fmax < sr/2 = {sr / 2:g} Hz, got fmin={fmin!r}, fmax={fmax!r}")
    frame_length = 2048 if sr >= 16000 else 1024
    if y.shape[0] < frame_length:
        raise ValueError(f"y must be at least {frame_length} samples long to estimate a pitch, got {y.shape[0]}")
    f0 = librosa.yin(y, fmin=fmin, fmax=fmax, sr=sr, frame_length=frame_length)
    rms = librosa.feature.rms(y=y, frame_length=frame_length, hop_length=frame_length // 4)[0]
    n = min(len(f0), len(rms))
    loud = rms[:n] >= 0.25 * rms[:n].max() if rms.max() > 0 else np.ones(n, bool)
    return float(librosa.hz_to_midi(np.median(f0[:n][loud])))


def shift_annotations(times_s, shift_ms: float, duration_s: float, *, rollover: bool = False) -> np.ndarray:
    """Move event annotations (e.g. onset times) along with a time shift of the audio.

    Args:
        times_s: event times in seconds, shape (n_events,), each in [0, duration_s).
        shift_ms: the shift that was applied to the audio, in ms (positive = later), as in :func:`time_shift`.
        duration_s: length of the clip in seconds.
        rollover: as in :func:`time_shift`: True wraps events around the end of the clip; False drops the
            events that leave the clip (their sound was replaced by silence or cut off).

    Returns:
        np.ndarray of float, sorted event times in seconds after the shift (possibly fewer events).

    Notebook: ``03_data_augmentation.ipynb``.
    """
    times = np.asarray(times_s, dtype=float).reshape(-1)
    duration_s = _check_range("duration_s", duration_s, 1e-6, 86400.0)
    shift_ms = _check_range("shift_ms", shift_ms, -1000 * duration_s * 10, 1000 * duration_s * 10)
    if np.any(~np.isfinite(times)) or np.any((times < 0) | (times >= duration_s)):
        raise ValueError(f"times_s must lie in [0, duration_s) = [0, {duration_s:g}) seconds")
    moved = times + shift_ms / 1000
    if rollover:
        moved = np.mod(moved, duration_s)
    else:
        moved = moved[(moved >= 0) & (moved < duration_s)]
    return np.sort(moved)


# --------------------------------------------------------------------------------------------------
# spectrograms through an image library

def to_unit_range(S: np.ndarray, low: float | None = None, high: float | None = None):
    """Map a spectrogram (e.g. in dB) linearly to [0, 1], the value range image libraries expect for float32.

    Args:
        S: np.ndarray, shape (n_bins, n_frames), float (e.g. a log-mel spectrogram in dB).
        low, high: values that map to 0 and 1; default the minimum and maximum of ``S``.

    Returns:
        tuple ``(U, low, high)``: ``U`` float32 of the same shape in [0, 1], and the two numbers that
        :func:`from_unit_range` needs to undo the mapping.

    Notebook: ``03_data_augmentation.ipynb``.
    """
    S = _check_spectrogram(S)
    low = float(S.min()) if low is None else float(low)
    high = float(S.max()) if high is None else float(high)
    if not (np.isfinite(low) and np.isfinite(high)) or high < low:
        raise ValueError(f"need finite low <= high, got low={low!r}, high={high!r}")
    span = high - low if high > low else 1.0
    U = np.clip((S - low) / span, 0.0, 1.0).astype(np.float32)
    return U, low, high


def from_unit_range(U: np.ndarray, low: float, high: float) -> np.ndarray:
    """Undo :func:`to_unit_range`: ``S = low + U (high - low)``, float32, same shape as ``U``.

    Notebook: ``03_data_augmentation.ipynb``.
    """
    U = np.asarray(U, dtype=np.float32)
    span = high - low if high > low else 1.0
    return (low + U * span).astype(np.float32)


def _check_spectrogram(S, name: str = "S") -> np.ndarray:
    S = np.asarray(S)
    if S.ndim != 2:
        raise ValueError(f"{name} must be a spectrogram with shape (n_bins, n_frames), got shape {S.shape}")
    if min(S.shape) < 2:
        raise ValueError(f"{name} must have at least 2 bins and 2 frames, got shape {S.shape}")
    if not np.issubdtype(S.dtype, np.floating):
        raise TypeError(f"{name} must be a float array, got dtype {S.dtype}")
    if not np.all(np.isfinite(S)):
        raise ValueError(f"{name} contains NaN or infinite values (use a dB scale with a floor, e.g. top_db=80)")
    return S.astype(np.float32, copy=False)


def apply_image_transform(transform, S: np.ndarray, *, seed: int = 0, unit_range: bool = True) -> np.ndarray:
    """Apply one albumentations transform to a spectrogram, safely.

    With ``unit_range=True`` the spectrogram is mapped to [0, 1] first (:func:`to_unit_range`), transformed
    and mapped back, so the result stays in the spectrogram's own value range and pixel-level transforms
    that clip float32 images to [0, 1] do no harm. ``unit_range=False`` passes the values as they are (to
    show what goes wrong).

    Args:
        transform: an albumentations transform, e.g. ``A.XYMasking(...)``.
        S: np.ndarray, shape (n_bins, n_frames), float (image height = frequency, width = time).
        seed: seed of the transform's random draws.
        unit_range: scale to [0, 1] and back (see above).

    Returns:
        np.ndarray, float32, the transformed spectrogram (same shape unless the transform resizes).

    Notebook: ``03_data_augmentation.ipynb``.
    """
    import albumentations as A

    S = _check_spectrogram(S)
    seed = _check_seed(seed)
    if not unit_range:
        return np.asarray(A.Compose([transform], seed=seed)(image=S.copy())["image"], dtype=np.float32)
    U, low, high = to_unit_range(S)
    out = A.Compose([transform], seed=seed)(image=U)["image"]
    return from_unit_range(np.clip(out, 0.0, 1.0), low, high)


_FILLS = ("min", "mean")

#: Names accepted by :func:`augment_spectrogram`, with what each does to the picture.
SPECTROGRAM_TRANSFORMS = {
    "time_mask": "XYMasking along x: vertical stripes of n_masks x mask_width frames",
    "frequency_mask": "XYMasking along y: horizontal stripes of n_masks x mask_width bins",
    "time_frequency_mask": "both kinds of stripes (SpecAugment-like)",
    "coarse_dropout": "CoarseDropout: n_masks square holes of mask_width bins and frames",
    "random_resized_crop": "RandomResizedCrop: keep crop_scale of the area, stretch it back to full size",
    "time_flip": "HorizontalFlip: time runs backwards",
    "frequency_flip": "VerticalFlip: low and high frequencies swap places",
    "brightness_contrast": "RandomBrightnessContrast: a pixel-level transform (clips float32 to [0, 1])",
}


def _fill_db(fill, S: np.ndarray) -> float:
    if isinstance(fill, str):
        if fill == "min":
            return float(S.min())
        if fill == "mean":
            return float(S.mean())
        raise ValueError(f"fill must be 'min', 'mean' or a number in the spectrogram's unit, got {fill!r}")
    if isinstance(fill, bool) or not isinstance(fill, (int, float, np.integer, np.floating)) or not np.isfinite(fill):
        raise ValueError(f"fill must be 'min', 'mean' or a finite number, got {fill!r}")
    return float(fill)


def augment_spectrogram(S: np.ndarray, transform: str, *, n_masks: int = 2, mask_width: int = 10,
                        crop_scale: float = 0.6, fill="min", unit_range: bool = True, seed: int = 0) -> np.ndarray:
    """Apply one albumentations transform to a spectrogram, with the strength given explicitly.

    Args:
        S: np.ndarray, shape (n_bins, n_frames), float, e.g. a log-mel spectrogram in dB (row 0 = lowest band).
        transform: a key of :data:`SPECTROGRAM_TRANSFORMS`.
        n_masks: number of stripes or holes, 1 to 10 (masking and dropout only).
        mask_width: width of each stripe or hole, in frames (time) or bins (frequency), at least 1 and at
            most the spectrogram's size along that axis.
        crop_scale: fraction of the area kept by ``random_resized_crop``, 0.1 to 1.
        fill: value of masked cells: ``"min"`` (the floor: silence), ``"mean"`` or a number in the
            spectrogram's own unit (``0.0`` is 0 dB, which for a spectrogram in dB re 1.0 means full-scale
            power: louder than anything in the clip).
        unit_range: map to [0, 1] and back around the transform (see :func:`apply_image_transform`);
            False passes the dB values to albumentations unchanged (to show what goes wrong).
        seed: seed of the transform's random choices (positions, crop, brightness).

    Returns:
        np.ndarray, shape (n_bins, n_frames), float32. With ``unit_range=True`` the values stay within
        [min(S), max(S)] (a fill outside that range is clipped to it).

    Notebook: ``03_data_augmentation.ipynb``.
    """
    import albumentations as A

    S = _check_spectrogram(S)
    if transform not in SPECTROGRAM_TRANSFORMS:
        raise ValueError(f"transform must be one of {list(SPECTROGRAM_TRANSFORMS)}, got {transform!r}")
    n_masks = _check_count("n_masks", n_masks, 10)
    if n_masks < 1:
        raise ValueError("n_masks must be an integer in [1, 10], got 0")
    n_bins, n_frames = S.shape
    mask_width = _check_count("mask_width", mask_width, 10_000)
    limit = {"time_mask": n_frames, "frequency_mask": n_bins}.get(transform, min(n_bins, n_frames))
    if transform in ("time_mask", "frequency_mask", "time_frequency_mask", "coarse_dropout") \
            and not 1 <= mask_width <= limit:
        raise ValueError(f"mask_width must be in [1, {limit}] for {transform} on a spectrogram of shape "
                         f"{S.shape} (n_bins, n_frames), got {mask_width}")
    crop_scale = _check_range("crop_scale", crop_scale, 0.1, 1.0)
    fill_db = _fill_db(fill, S)
    seed = _check_seed(seed)
    if unit_range:
        low, high = float(S.min()), float(S.max())
        fill_value = float(np.clip((fill_db - low) / (high - low if high > low else 1.0), 0.0, 1.0))
    else:
        fill_value = fill_db
    # Counts and widths are passed as (n, n) ranges: albumentations 2.0.8 turns a single int n into the
    # range (0, n), so XYMasking(num_masks_x=1) would draw no mask at all about half of the time.
    count, width = (n_masks, n_masks), (mask_width, mask_width)
    if transform == "time_mask":
        t = A.XYMasking(num_masks_x=count, mask_x_length=width, fill=fill_value, p=1.0)
    elif transform == "frequency_mask":
        t = A.XYMasking(num_masks_y=count, mask_y_length=width, fill=fill_value, p=1.0)
    elif transform == "time_frequency_mask":
        t = A.XYMasking(num_masks_x=count, mask_x_length=width, num_masks_y=count, mask_y_length=width,
                        fill=fill_value, p=1.0)
    elif transform == "coarse_dropout":
        t = A.CoarseDropout(num_holes_range=(n_masks, n_masks), hole_height_range=(mask_width, mask_width),
                            hole_width_range=(mask_width, mask_width), fill=fill_value, p=1.0)
    elif transform == "random_resized_crop":
        aspect = n_frames / n_bins
        t = A.RandomResizedCrop(size=(n_bins, n_frames), scale=(crop_scale, crop_scale),
                                ratio=(aspect * 0.8, aspect * 1.25), p=1.0)
    elif transform == "time_flip":
        t = A.HorizontalFlip(p=1.0)
    elif transform == "frequency_flip":
        t = A.VerticalFlip(p=1.0)
    else:
        t = A.RandomBrightnessContrast(brightness_limit=0.2, contrast_limit=0.2, p=1.0)
    return apply_image_transform(t, S, seed=seed, unit_range=unit_range)



class SpectrogramAugmenter:
    """A seeded random spectrogram augmentation pipeline built on albumentations: call it as ``augment(S)``.

    Made by :func:`make_spectrogram_augmenter`. On each call the spectrogram is mapped to [0, 1]
    (:func:`to_unit_range`), passed through an ``albumentations.Compose`` seeded from the augmenter's
    private generator, and mapped back: float32 in, float32 out, same shape, values inside the input's
    [min, max].

    Notebook: ``03_data_augmentation.ipynb``.
    """

    def __init__(self, settings: dict, seed: int | None):
        self.settings = dict(settings)
        self.seed = seed
        self._rng = np.random.default_rng(seed)

    def reseed(self, seed: int | None) -> None:
        """Restart the sequence of random draws from ``seed`` (None: fresh entropy)."""
        self.seed = _check_seed(seed)
        self._rng = np.random.default_rng(self.seed)

    def transforms(self, shape: tuple[int, int], fill_unit: float) -> list:
        """The albumentations transforms for a spectrogram of ``shape`` = (n_bins, n_frames)."""
        import albumentations as A

        s = self.settings
        n_bins, n_frames = shape
        for name, size, limit, what in (("time_mask_width", s["time_mask_width"], n_frames, "frames"),
                                        ("freq_mask_width", s["freq_mask_width"], n_bins, "bins"),
                                        ("dropout_width", s["dropout_width"], n_frames, "frames"),
                                        ("dropout_height", s["dropout_height"], n_bins, "bins")):
            if size > limit:
                raise ValueError(f"{name} ({size}) is larger than the spectrogram ({limit} {what}); "
                                 f"use at most {limit}")
        p = s["p"]
        ts = []
        if s["time_masks"] or s["freq_masks"]:
            # explicit (n, n): albumentations 2.0.8 reads a single int n as the range (0, n)
            ts.append(A.XYMasking(num_masks_x=(s["time_masks"], s["time_masks"]),
                                  mask_x_length=(1, max(1, s["time_mask_width"])),
                                  num_masks_y=(s["freq_masks"], s["freq_masks"]),
                                  mask_y_length=(1, max(1, s["freq_mask_width"])), fill=fill_unit, p=p))
        if s["dropout_holes"]:
            ts.append(A.CoarseDropout(num_holes_range=(s["dropout_holes"], s["dropout_holes"]),
                                      hole_height_range=(max(1, s["dropout_height"] // 2), s["dropout_height"]),
                                      hole_width_range=(max(1, s["dropout_width"] // 2), s["dropout_width"]),
                                      fill=fill_unit, p=p))
        if s["crop_scale"] is not None and s["crop_scale"] < 1:
            aspect = n_frames / n_bins  # keep the crop's shape close to the spectrogram's own
            ts.append(A.RandomResizedCrop(size=(n_bins, n_frames), scale=(s["crop_scale"], 1.0),
                                          ratio=(aspect * 0.8, aspect * 1.25), p=p))
        if s["time_flip"]:
            ts.append(A.HorizontalFlip(p=p))
        if s["freq_flip"]:
            ts.append(A.VerticalFlip(p=p))
        return ts

    def __call__(self, S: np.ndarray) -> np.ndarray:
        """Augment one spectrogram.

        Args:
            S: np.ndarray, shape (n_bins, n_frames), float, e.g. a log-mel spectrogram in dB
                (row 0 = lowest frequency).

        Returns:
            np.ndarray, shape (n_bins, n_frames), float32, values within [S.min(), S.max()].
        """
        import albumentations as A

        S = _check_spectrogram(S)
        U, low, high = to_unit_range(S)
        fill = self.settings["fill"]
        if fill == "min":
            fill_unit = 0.0
        elif fill == "mean":
            fill_unit = float(U.mean())
        else:
            fill_unit = float(np.clip((fill - low) / (high - low if high > low else 1.0), 0.0, 1.0))
        transforms = self.transforms(S.shape, fill_unit)
        seed = int(self._rng.integers(0, 2**32))
        if not transforms:
            return S.copy()
        out = A.Compose(transforms, seed=seed)(image=U)["image"]
        return from_unit_range(np.clip(out, 0.0, 1.0), low, high)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.settings.items())
        return f"SpectrogramAugmenter({args}, seed={self.seed!r})"


def _check_count(name: str, value, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 <= value <= high:
        raise ValueError(f"{name} must be an integer in [0, {high}], got {value!r}")
    return int(value)


def make_spectrogram_augmenter(*, time_masks: int = 2, time_mask_width: int = 10, freq_masks: int = 2,
                               freq_mask_width: int = 8, dropout_holes: int = 0, dropout_height: int = 8,
                               dropout_width: int = 8, crop_scale: float | None = None, time_flip: bool = False,
                               freq_flip: bool = False, fill="min", p: float = 1.0,
                               seed: int | None = None) -> SpectrogramAugmenter:
    """The course's spectrogram augmentation with albumentations (SpecAugment-like masking and more).

    Axes: albumentations sees the spectrogram as an image of height ``n_bins`` (frequency) and width
    ``n_frames`` (time), so its "x" is time and its "y" is frequency.

    Args:
        time_masks: number of time masks (vertical stripes, ``XYMasking`` along x), 0 to 10.
        time_mask_width: largest time-mask width in frames (each width is drawn from 1 to this); must not
            exceed the spectrogram's ``n_frames``.
        freq_masks: number of frequency masks (horizontal stripes), 0 to 10.
        freq_mask_width: largest frequency-mask height in bins; at most ``n_bins``.
        dropout_holes: number of rectangles cut out by ``CoarseDropout``, 0 to 20.
        dropout_height, dropout_width: largest hole size in bins and frames (each from half of it to it).
        crop_scale: None, or the smallest fraction of the area kept by ``RandomResizedCrop`` (0.1 to 1);
            the crop is resized back to the full shape, which stretches time and frequency.
        time_flip: add ``HorizontalFlip`` (plays the sound backwards).
        freq_flip: add ``VerticalFlip`` (swaps low and high frequencies: no acoustic meaning).
        fill: what masked cells become: ``"min"`` (the spectrogram's minimum, i.e. the quietest value,
            what silence looks like in dB), ``"mean"`` (its mean level) or a number in the spectrogram's
            own unit (e.g. -80.0 dB; clipped to its range).
        p: probability of applying each transform, in [0, 1].
        seed: None or an integer; the same seed gives the same sequence of augmented spectrograms.

    Returns:
        SpectrogramAugmenter: ``augment(S) -> np.ndarray`` (float32, same shape, same value range).

    Notebook: ``03_data_augmentation.ipynb``.
    """
    settings = {
        "time_masks": _check_count("time_masks", time_masks, 10),
        "time_mask_width": _check_count("time_mask_width", time_mask_width, 10_000),
        "freq_masks": _check_count("freq_masks", freq_masks, 10),
        "freq_mask_width": _check_count("freq_mask_width", freq_mask_width, 10_000),
        "dropout_holes": _check_count("dropout_holes", dropout_holes, 20),
        "dropout_height": _check_count("dropout_height", dropout_height, 10_000),
        "dropout_width": _check_count("dropout_width", dropout_width, 10_000),
    }
    for name in ("time_mask_width", "freq_mask_width"):
        count = "time_masks" if name.startswith("time") else "freq_masks"
        if settings[count] and settings[name] < 1:
            raise ValueError(f"{name} must be at least 1 when {count} > 0, got {settings[name]}")
    if settings["dropout_holes"] and min(settings["dropout_height"], settings["dropout_width"]) < 1:
        raise ValueError("dropout_height and dropout_width must be at least 1 when dropout_holes > 0")
    settings["crop_scale"] = None if crop_scale is None else _check_range("crop_scale", crop_scale, 0.1, 1.0)
    for name, flag in (("time_flip", time_flip), ("freq_flip", freq_flip)):
        if not isinstance(flag, (bool, np.bool_)):
            raise TypeError(f"{name} must be True or False, got {flag!r}")
    settings["time_flip"], settings["freq_flip"] = bool(time_flip), bool(freq_flip)
    if isinstance(fill, str):
        if fill not in _FILLS:
            raise ValueError(f"fill must be 'min', 'mean' or a number, got {fill!r}")
    elif isinstance(fill, bool) or not isinstance(fill, (int, float, np.integer, np.floating)) or not np.isfinite(fill):
        raise ValueError(f"fill must be 'min', 'mean' or a finite number, got {fill!r}")
    settings["fill"] = fill if isinstance(fill, str) else float(fill)
    settings["p"] = _check_probability("p", p)
    return SpectrogramAugmenter(settings, _check_seed(seed))


# --------------------------------------------------------------------------------------------------
# which augmentation keeps which label

#: The augmentations the label-safety helper knows, with one line each.
AUGMENTATIONS = {
    "time_shift": "move the sound earlier or later (audiomentations Shift)",
    "pitch_shift": "raise or lower every frequency by the same musical interval (PitchShift)",
    "noise": "add white Gaussian noise at a moderate SNR (AddGaussianSNR, AddGaussianNoise)",
    "time_mask": "blank out a few narrow time stripes of the spectrogram (XYMasking along x)",
    "frequency_mask": "blank out a few narrow frequency bands of the spectrogram (XYMasking along y)",
    "coarse_dropout": "blank out small rectangles of the spectrogram (CoarseDropout)",
    "random_resized_crop": "cut out a part of the spectrogram and stretch it back to full size",
    "time_flip": "reverse time (HorizontalFlip): the sound played backwards",
    "frequency_flip": "turn the frequency axis upside down (VerticalFlip)",
}

#: The kinds of annotation the label-safety helper knows.
LABEL_KINDS = {
    "class": "one category for the whole clip: a spoken digit, an instrument, a sound-event class",
    "pitch": "the pitch of a note (e.g. a MIDI number), or a melody",
    "onsets": "times of events inside the clip (onset or boundary annotations)",
    "speaker": "who is speaking (speaker identity)",
}

_S, _A, _U = "safe", "adjust", "unsafe"
_RULES = {
    ("time_shift", "class"): (_S, "the sound is the same sound a little earlier or later; keep shifts small "
                                  "(or use rollover) so the event stays inside the clip"),
    ("time_shift", "pitch"): (_S, "moving a note in time does not change its pitch"),
    ("time_shift", "onsets"): (_A, "every event moves by the shift: move the annotation with shift_annotations()"),
    ("time_shift", "speaker"): (_S, "the voice does not change when it starts later"),
    ("pitch_shift", "class"): (_S, "a digit said two semitones higher is the same digit, an instrument two "
                                   "semitones up is the same instrument (large shifts start to change the timbre)"),
    ("pitch_shift", "pitch"): (_A, "the pitch IS the label: n semitones up changes the label by n; move the "
                                   "label with it (whole semitones only) or leave this augmentation out"),
    ("pitch_shift", "onsets"): (_S, "the duration and the event times are kept"),
    ("pitch_shift", "speaker"): (_U, "the pitch and formants of a voice are part of who the speaker is; a "
                                     "shifted voice can sound like someone else"),
    ("noise", "class"): (_S, "at a moderate SNR the category is still clearly audible"),
    ("noise", "pitch"): (_S, "white noise has no pitch; at a moderate SNR the note is still heard"),
    ("noise", "onsets"): (_S, "at a moderate SNR; very strong noise can bury soft onsets"),
    ("noise", "speaker"): (_S, "the voice is the same voice in a noisier room"),
    ("time_mask", "class"): (_S, "narrow masks leave enough of the sound to recognise it (SpecAugment)"),
    ("time_mask", "pitch"): (_S, "the pitch is still visible in the frames that are left"),
    ("time_mask", "onsets"): (_A, "an onset inside a mask cannot be seen any more: drop it from the "
                                  "annotation or keep masks away from onsets"),
    ("time_mask", "speaker"): (_S, "the voice is still present in the frames that are left"),
    ("frequency_mask", "class"): (_S, "narrow bands removed; the rest of the spectrum identifies the sound"),
    ("frequency_mask", "pitch"): (_S, "narrow bands removed; the other harmonics still imply the pitch "
                                      "(keep masks narrow so the fundamental is rarely hidden together "
                                      "with its neighbours)"),
    ("frequency_mask", "onsets"): (_S, "event times are untouched"),
    ("frequency_mask", "speaker"): (_S, "narrow bands removed; the voice is still recognisable"),
    ("coarse_dropout", "class"): (_S, "small holes; the sound is still recognisable"),
    ("coarse_dropout", "pitch"): (_S, "small holes; the harmonics around them keep the pitch"),
    ("coarse_dropout", "onsets"): (_A, "a hole over an onset hides it: drop covered events or avoid them"),
    ("coarse_dropout", "speaker"): (_S, "small holes; the voice is still recognisable"),
    ("random_resized_crop", "class"): (_S, "as long as the crop keeps the event; the zoom changes tempo and "
                                           "stretches the spectrum, which small zooms tolerate"),
    ("random_resized_crop", "pitch"): (_U, "stretching the frequency axis moves every partial by an amount that "
                                           "depends on the frequency scale: the pitch label is lost"),
    ("random_resized_crop", "onsets"): (_A, "event times must be offset by the crop start and scaled by the zoom"),
    ("random_resized_crop", "speaker"): (_U, "stretching the frequency axis moves the formants that "
                                             "characterise a voice"),
    ("time_flip", "class"): (_U, "reversed speech is not the same word, and a reversed note swells up instead "
                                 "of dying away; no real recording of the class sounds like that"),
    ("time_flip", "pitch"): (_S, "a note played backwards has the same pitch"),
    ("time_flip", "onsets"): (_U, "onsets turn into offsets: the annotation has no counterpart"),
    ("time_flip", "speaker"): (_U, "reversed speech is no speech the model will meet; test before relying on it"),
}
for _kind in LABEL_KINDS:
    _RULES[("frequency_flip", _kind)] = (_U, "swapping low and high frequencies has no acoustic meaning: the "
                                             "result is not a sound of any class, pitch, event or speaker")


@dataclass(frozen=True)
class LabelSafety:
    """The verdict of :func:`label_safety`.

    Attributes:
        augmentation: a key of :data:`AUGMENTATIONS`.
        label_kind: a key of :data:`LABEL_KINDS`.
        verdict: ``"safe"`` (the label keeps its meaning), ``"adjust"`` (usable only if the annotation is
            transformed too) or ``"unsafe"`` (the label loses its meaning).
        reason: one sentence why.

    Notebook: ``03_data_augmentation.ipynb``.
    """

    augmentation: str
    label_kind: str
    verdict: str
    reason: str

    @property
    def safe(self) -> bool:
        """True when the label can be kept unchanged."""
        return self.verdict == _S

    def __str__(self) -> str:
        return f"{self.augmentation} with {self.label_kind} labels: {self.verdict.upper()} ({self.reason})"

    def _repr_html_(self) -> str:
        import html as _html

        colour = {_S: "#1b7f3b", _A: "#9a6700", _U: "#b3261e"}[self.verdict]
        return (f'<div style="border-left:4px solid {colour};padding:4px 8px"><b>{self.augmentation}</b> with '
                f'<b>{self.label_kind}</b> labels: <b style="color:{colour}">{self.verdict}</b>: '
                f"{_html.escape(self.reason)}</div>")


def label_safety(augmentation: str, label_kind: str) -> LabelSafety:
    """Whether an augmentation keeps the meaning of a kind of label.

    Args:
        augmentation: one of :data:`AUGMENTATIONS` (``"time_shift"``, ``"pitch_shift"``, ``"noise"``,
            ``"time_mask"``, ``"frequency_mask"``, ``"coarse_dropout"``, ``"random_resized_crop"``,
            ``"time_flip"``, ``"frequency_flip"``).
        label_kind: one of :data:`LABEL_KINDS` (``"class"``, ``"pitch"``, ``"onsets"``, ``"speaker"``).

    Returns:
        LabelSafety with ``verdict`` "safe", "adjust" or "unsafe" and the reason.

    Example:
        >>> label_safety("pitch_shift", "pitch").verdict
        'adjust'

    Notebook: ``03_data_augmentation.ipynb``.
    """
    if augmentation not in AUGMENTATIONS:
        raise ValueError(f"augmentation must be one of {list(AUGMENTATIONS)}, got {augmentation!r}")
    if label_kind not in LABEL_KINDS:
        raise ValueError(f"label_kind must be one of {list(LABEL_KINDS)}, got {label_kind!r}")
    verdict, reason = _RULES[(augmentation, label_kind)]
    return LabelSafety(augmentation, label_kind, verdict, reason)


def safe_augmentations(label_kind: str, *, include_adjust: bool = False) -> list[str]:
    """The augmentations that keep a kind of label unchanged (plus those needing an adjusted label, if asked).

    Notebook: ``03_data_augmentation.ipynb``.
    """
    allowed = {_S, _A} if include_adjust else {_S}
    return [a for a in AUGMENTATIONS if label_safety(a, label_kind).verdict in allowed]


class _SafetyTable:
    """HTML table of every verdict (rows: augmentations, columns: label kinds)."""

    def __init__(self):
        self.rows = {a: {k: label_safety(a, k) for k in LABEL_KINDS} for a in AUGMENTATIONS}

    def __repr__(self) -> str:
        width = max(len(a) for a in AUGMENTATIONS) + 2
        lines = [" " * width + "".join(f"{k:>10}" for k in LABEL_KINDS)]
        lines += [f"{a:<{width}}" + "".join(f"{row[k].verdict:>10}" for k in LABEL_KINDS) for a, row in self.rows.items()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html as _html

        colours = {_S: "#d8f0dd", _A: "#fff1c2", _U: "#f9d6d2"}
        head = "".join(f"<th>{k}</th>" for k in LABEL_KINDS)
        body = ""
        for a, row in self.rows.items():
            cells = "".join(f'<td style="background:{colours[v.verdict]}" title="{_html.escape(v.reason)}">'
                            f"{v.verdict}</td>" for v in row.values())
            body += f"<tr><td><b>{a}</b></td>{cells}</tr>"
        return (f"<table><tr><th>augmentation</th>{head}</tr>{body}</table>"
                "<small>Hover over a cell for the reason; <code>label_safety(aug, kind)</code> prints it.</small>")


def label_safety_table() -> _SafetyTable:
    """Every verdict of :func:`label_safety` as a table (HTML in a notebook, text elsewhere).

    Notebook: ``03_data_augmentation.ipynb``.
    """
    return _SafetyTable()


# --------------------------------------------------------------------------------------------------
# does it help? a small experiment on FSDD with an unseen speaker

def summary_features(y: np.ndarray, sr: int, *, block_size: int = 256, hop_size: int = 128,
                     n_mels: int = 40) -> np.ndarray:
    """A fixed-length description of a clip of any length: mean and standard deviation over time of its log-mel bands.

    Args:
        y: np.ndarray, shape (n_samples,), float mono audio (at least ``block_size`` samples).
        sr: sample rate in Hz.
        block_size, hop_size: frame length and hop in samples (defaults suit FSDD's 8 kHz).
        n_mels: number of mel bands F.

    Returns:
        np.ndarray, shape (2 * n_mels,), float32: ``[mean of each band, std of each band]`` in dB.

    Notebook: ``03_data_augmentation.ipynb``.
    """
    from course_utils.representations import log_mel_spectrogram

    y = _check_signal(y)
    if y.shape[0] < block_size:
        y = np.pad(y, (0, block_size - y.shape[0]))
    S_db = log_mel_spectrogram(y, sr, block_size, hop_size, n_mels)
    return np.concatenate([S_db.mean(axis=1), S_db.std(axis=1)]).astype(np.float32)


@dataclass(frozen=True)
class ExperimentResult:
    """Outcome of :func:`augmentation_experiment` (accuracies are fractions in [0, 1]).

    Attributes:
        test_speaker: the held-out speaker.
        n_train: training clips before augmentation; n_train_augmented: after adding the copies.
        n_test: clips of the held-out speaker.
        accuracy_plain, accuracy_augmented: accuracy on the held-out speaker's clean clips.
        accuracy_plain_noisy, accuracy_augmented_noisy: the same on the held-out clips with white noise at
            ``test_snr_db`` (a robustness check), or NaN when ``test_snr_db`` is None.
        test_snr_db: SNR of the noisy test version in dB (None: not run).
        seconds: wall time of the whole experiment.
        p_value, p_value_noisy: exact McNemar test of "both models are equally accurate" on the clean and
            the noisy test clips: among the clips that exactly one model gets right, are the wins split
            evenly? (:func:`mcnemar_p_value`.)

    Notebook: ``03_data_augmentation.ipynb``.
    """

    test_speaker: str
    n_train: int
    n_train_augmented: int
    n_test: int
    accuracy_plain: float
    accuracy_augmented: float
    accuracy_plain_noisy: float
    accuracy_augmented_noisy: float
    test_snr_db: float | None
    seconds: float
    p_value: float = float("nan")
    p_value_noisy: float = float("nan")

    def _compare(self, plain: float, augmented: float, p_value: float, what: str) -> str:
        diff = 100 * (augmented - plain)
        text = (f"On {what}, accuracy was {plain:.1%} without and {augmented:.1%} with augmentation "
                f"({diff:+.1f} percentage points; McNemar p = {p_value:.2g}). ")
        if not p_value < 0.05:
            return text + "A difference this size can arise by chance: this run shows no clear effect."
        if diff > 0:
            return text + "In this run augmentation helped, beyond what chance alone explains."
        return text + "In this run augmentation hurt, beyond what chance alone explains."

    def summary(self) -> str:
        """Sentences generated from the numbers (never claiming more than they show)."""
        parts = [self._compare(self.accuracy_plain, self.accuracy_augmented, self.p_value,
                               f"the unseen speaker {self.test_speaker!r} ({self.n_test} clips)")]
        if self.test_snr_db is not None:
            parts.append(self._compare(self.accuracy_plain_noisy, self.accuracy_augmented_noisy, self.p_value_noisy,
                                       f"the same clips with noise at {self.test_snr_db:g} dB SNR"))
        parts.append("One split and one seed: repeat with other speakers and seeds before trusting a difference.")
        return "\n".join(parts)

    def __str__(self) -> str:
        return self.summary()


def augmentation_experiment(collection, test_speaker: str = "theo", *, n_copies: int = 2, augmenter=None,
                            test_snr_db: float | None = 10.0, max_per_class: int | None = None,
                            seed: int = 0) -> ExperimentResult:
    """Train the same simple classifier with and without waveform augmentation; test on an unseen speaker.

    The model is a standardisation followed by multinomial logistic regression (scikit-learn) on
    :func:`summary_features`. "With augmentation" trains on the original clips **plus** ``n_copies``
    augmented copies of each; the test clips are never augmented (only, for the robustness check, mixed
    with noise at ``test_snr_db``, the same noise for both models).

    Args:
        collection: an ``AudioCollection`` (e.g. ``load_fsdd()``), several speakers.
        test_speaker: the speaker held out for testing (see ``course_utils.data.FSDD_SPEAKERS``).
        n_copies: augmented copies per training clip, 1 to 10.
        augmenter: a callable ``augment(y, sr)``; default ``make_audio_augmenter(seed=seed)`` (the course
            defaults: shifts up to 100 ms, up to 2 semitones, 15-40 dB SNR, each with p = 0.5).
        test_snr_db: SNR of the noisy test version in dB, or None to skip it.
        max_per_class: keep at most this many training clips per digit (a smaller, faster experiment).
        seed: seed of the default augmenter, the subset and the test noise.

    Returns:
        ExperimentResult (its ``summary()`` states what the numbers show).

    Notebook: ``03_data_augmentation.ipynb``.
    """
    import time

    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from course_utils.data import speaker_split

    start = time.perf_counter()
    n_copies = _check_count("n_copies", n_copies, 10)
    if n_copies < 1:
        raise ValueError("n_copies must be an integer in [1, 10], got 0")
    seed = _check_seed(seed)
    if max_per_class is not None:
        max_per_class = _check_count("max_per_class", max_per_class, 100_000)
        if max_per_class < 1:
            raise ValueError("max_per_class must be None or at least 1")
    if test_snr_db is not None:
        test_snr_db = _check_range("test_snr_db", test_snr_db, *SNR_RANGE_DB)
    train_idx, test_idx = speaker_split(collection, test_speaker)
    rng = np.random.default_rng(seed)
    if max_per_class is not None:
        keep = []
        for label in np.unique(collection.labels[train_idx]):
            members = train_idx[collection.labels[train_idx] == label]
            keep.extend(rng.permutation(members)[:max_per_class])
        train_idx = np.sort(np.asarray(keep, dtype=int))
    augment = augmenter if augmenter is not None else make_audio_augmenter(seed=seed)
    sr = collection.sr

    def features(signals):
        return np.stack([summary_features(y, sr) for y in signals])

    train_audio = [collection.audio[i] for i in train_idx]
    y_train = collection.labels[train_idx]
    X_train = features(train_audio)
    copies = [augment(y, sr) for _ in range(n_copies) for y in train_audio]
    X_aug = np.concatenate([X_train, features(copies)])
    y_aug = np.concatenate([y_train] + [y_train] * n_copies)
    test_audio = [collection.audio[i] for i in test_idx]
    y_test = collection.labels[test_idx]
    X_test = features(test_audio)
    if test_snr_db is not None:
        X_noisy = features([add_noise_snr(y, test_snr_db, seed=(seed + k) % 2**32) for k, y in enumerate(test_audio)])

    def fit(X, y):
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=3000, C=0.5)).fit(X, y)

    plain, augmented = fit(X_train, y_train), fit(X_aug, y_aug)
    right_plain, right_aug = plain.predict(X_test) == y_test, augmented.predict(X_test) == y_test
    nan = float("nan")
    acc_noisy = (nan, nan)
    p_noisy = nan
    if test_snr_db is not None:
        noisy_plain, noisy_aug = plain.predict(X_noisy) == y_test, augmented.predict(X_noisy) == y_test
        acc_noisy = (float(noisy_plain.mean()), float(noisy_aug.mean()))
        p_noisy = mcnemar_p_value(noisy_plain, noisy_aug)
    return ExperimentResult(
        test_speaker=test_speaker,
        n_train=len(train_idx),
        n_train_augmented=len(y_aug),
        n_test=len(test_idx),
        accuracy_plain=float(right_plain.mean()),
        accuracy_augmented=float(right_aug.mean()),
        accuracy_plain_noisy=acc_noisy[0],
        accuracy_augmented_noisy=acc_noisy[1],
        test_snr_db=test_snr_db,
        seconds=time.perf_counter() - start,
        p_value=mcnemar_p_value(right_plain, right_aug),
        p_value_noisy=p_noisy,
    )


def mcnemar_p_value(correct_a, correct_b) -> float:
    """Exact McNemar test: two-sided p-value of "models A and B are equally accurate" on the same test clips.

    Only the clips where the models disagree count: ``b`` = A right and B wrong, ``c`` = A wrong and B right.
    If both models were equally good, each disagreement would go either way with probability 1/2, so
    ``min(b, c)`` follows a binomial distribution; the p-value is ``min(1, 2 P[X <= min(b, c)])``,
    ``X ~ Binomial(b + c, 1/2)``.

    Args:
        correct_a, correct_b: bool arrays, shape (n_test,): whether each model got each clip right.

    Returns:
        float in [0, 1] (1.0 when the models never disagree).

    Notebook: ``03_data_augmentation.ipynb``.
    """
    from scipy.stats import binom

    a = np.asarray(correct_a, dtype=bool)
    b_arr = np.asarray(correct_b, dtype=bool)
    if a.shape != b_arr.shape or a.ndim != 1:
        raise ValueError(f"correct_a and correct_b must be 1-D bool arrays of the same shape, got {a.shape} and {b_arr.shape}")
    b = int(np.sum(a & ~b_arr))
    c = int(np.sum(~a & b_arr))
    if b + c == 0:
        return 1.0
    return float(min(1.0, 2 * binom.cdf(min(b, c), b + c, 0.5)))


# --------------------------------------------------------------------------------------------------
# "Your turn" checkers

def check_noise_std(answer, y: np.ndarray, snr_db: float):
    """Exercise: the standard deviation of white noise that gives ``y`` a signal-to-noise ratio of ``snr_db``.

    Reference: ``rms(y) / 10 ** (snr_db / 20)`` with ``rms(y) = sqrt(mean(y**2))``.

    Notebook: ``03_data_augmentation.ipynb``.
    """
    from course_utils.checks import right, wrong

    y = _check_signal(y)
    snr_db = _check_range("snr_db", snr_db, *SNR_RANGE_DB)
    rms = float(np.sqrt(np.mean(y.astype(np.float64) ** 2)))
    expected = rms / 10 ** (snr_db / 20)
    if answer is None:
        return wrong("replace None by your noise standard deviation (a number).")
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return wrong(f"the answer should be one number, got {answer!r}.")
    if np.isclose(value, expected, rtol=1e-3):
        return right(f"sigma = rms(y) / 10^(SNR/20) = {rms:.4f} / {10 ** (snr_db / 20):.3f} = {expected:.5f}.")
    if np.isclose(value, rms / 10 ** (snr_db / 10), rtol=1e-3):
        return wrong("you divided by 10^(SNR/10): that is the ratio of powers; amplitudes (rms, std) need 10^(SNR/20).")
    if np.isclose(value, np.max(np.abs(y)) / 10 ** (snr_db / 20), rtol=1e-3):
        return wrong("the SNR compares the signal's rms (sqrt of the mean square), not its peak value.")
    return wrong(f"{value:g} is not it. SNR_dB = 20 log10(rms(signal) / rms(noise)); solve for rms(noise).")


def check_shifted_onsets(answer, onsets_s, shift_ms: float, duration_s: float, *, rollover: bool = False):
    """Exercise: move onset annotations (seconds) along with a time shift of the audio.

    Reference: :func:`shift_annotations`.

    Notebook: ``03_data_augmentation.ipynb``.
    """
    from course_utils.checks import right, wrong

    expected = shift_annotations(onsets_s, shift_ms, duration_s, rollover=rollover)
    if answer is None:
        return wrong("replace None by the list of onset times (in seconds) after the shift.")
    try:
        value = np.sort(np.asarray(answer, dtype=float).reshape(-1))
    except (TypeError, ValueError):
        return wrong(f"the answer should be a list of numbers (seconds), got {answer!r}.")
    if value.shape == expected.shape and np.allclose(value, expected, atol=1e-3):
        return right(f"the annotation moves with the audio: {np.round(expected, 3).tolist()} s.")
    everything = np.sort(np.asarray(onsets_s, dtype=float) + shift_ms / 1000)
    if value.shape == everything.shape and np.allclose(value, everything, atol=1e-3):
        return wrong("right shift, but some events now lie outside the clip: without rollover their sound is "
                     "gone, so they must be removed from the annotation.")
    backwards = shift_annotations(onsets_s, -shift_ms, duration_s, rollover=rollover)
    all_backwards = np.sort(np.asarray(onsets_s, dtype=float) - shift_ms / 1000)
    if any(value.shape == b.shape and np.allclose(value, b, atol=1e-3) for b in (backwards, all_backwards)):
        return wrong("wrong direction: a positive shift moves events later (add the shift).")
    if value.shape == expected.shape and np.allclose(value, 1000 * expected, atol=1):
        return wrong("the times should be in seconds, not milliseconds.")
    return wrong(f"expected {len(expected)} onset time(s) in seconds. Add shift_ms / 1000 to each onset and keep "
                 f"only those inside [0, {duration_s:g}) s.")


def check_safe_for_pitch_labels(answer):
    """Exercise: the augmentations (names from ``AUGMENTATIONS``) that keep a note-pitch label unchanged.

    Reference: ``safe_augmentations("pitch")``.

    Notebook: ``03_data_augmentation.ipynb``.
    """
    from course_utils.checks import right, wrong

    expected = set(safe_augmentations("pitch"))
    if answer is None:
        return wrong("replace None by a list of augmentation names, e.g. ['noise', ...].")
    if isinstance(answer, str):
        answer = [answer]
    try:
        chosen = set(answer)
    except TypeError:
        return wrong(f"the answer should be a list of names, got {answer!r}.")
    unknown = chosen - set(AUGMENTATIONS)
    if unknown:
        return wrong(f"unknown name(s) {sorted(unknown)}; choose from {list(AUGMENTATIONS)}.")
    if chosen == expected:
        return right("these keep the pitch: " + ", ".join(sorted(expected)) + ". pitch_shift changes the label "
                     "itself, and a resized crop stretches the frequency axis; a frequency flip means nothing.")
    missing, extra = expected - chosen, chosen - expected
    hints = []
    if extra:
        hints.append(f"{sorted(extra)} change(s) the pitch or its meaning: try label_safety(name, 'pitch')")
    if missing:
        hints.append(f"{len(missing)} more augmentation(s) keep the pitch (think about what happens on the time axis)")
    return wrong("; ".join(hints) + ".")


def check_silence_fill(answer, S_db: np.ndarray):
    """Exercise: the fill value (in dB) that makes a masked region look like silence in this spectrogram.

    Reference: the spectrogram's minimum (its floor; with ``top_db=80`` it is 80 dB below the maximum).

    Notebook: ``03_data_augmentation.ipynb``.
    """
    from course_utils.checks import right, wrong

    S_db = _check_spectrogram(S_db, "S_db")
    expected = float(S_db.min())
    if answer is None:
        return wrong("replace None by a number in dB.")
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return wrong(f"the answer should be one number in dB, got {answer!r}.")
    if np.isclose(value, expected, atol=0.5):
        return right(f"{expected:.1f} dB is this spectrogram's floor: the quietest value, what silence looks like.")
    if value == 0:
        below = float(np.mean(S_db < 0))
        return wrong(f"0 dB means a power of 1 here, not silence: {below:.0%} of this spectrogram's cells are "
                     "quieter than that, so a 0 dB mask looks like sound; silence is the floor.")
    if value > expected:
        return wrong(f"{value:g} dB is louder than the quietest cells; look at S_db.min().")
    return wrong(f"{value:g} dB is below anything in this spectrogram; silence here is its floor.")

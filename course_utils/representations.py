"""Audio data representations for deep learning: sample frames, feature vectors and spectrogram patches.

Notebook: ``01_audio_representations.ipynb`` (lecture section 1, "Audio data representations").

The three input representations of the lecture and the functions that make them:

* sample frames (1D), shape ``(n_frames, block_size)``: :func:`frame_signal`;
* feature vectors (1D), shape ``(n_frames, n_features)``: :func:`mfcc_frames`;
* spectrogram patches (2D), shape ``(n_patches, n_bins, patch_length)``: :func:`extract_patches` applied to
  :func:`log_mel_spectrogram`.

Counting conventions (the lecture's formulas, with floor brackets):

* ``n_frames = floor((n_samples - block_size) / hop_size) + 1`` (:func:`n_frames`), frames start at
  ``0, hop_size, 2 hop_size, ...`` and the tail that does not fill a whole frame is dropped;
* with librosa's ``center=True`` the signal is first padded by ``block_size // 2`` zeros on both sides,
  which gives ``1 + floor(n_samples / hop_size)`` frames for an even ``block_size``
  (``n_frames(..., center=True)``);
* ``n_patches = floor((n_frames - patch_length) / patch_hop) + 1`` (:func:`n_patches`).

A signal shorter than one block (``n_samples < block_size``) has no complete frame. This module treats
that as an error (``ValueError`` naming ``block_size``), exactly as ``librosa.util.frame`` does, instead of
returning an empty tensor that would only fail later inside a network; pad the signal
(``np.pad`` or ``center=True``) if short clips must give a frame. The same holds for patches.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from course_utils._arguments import _check_bool
from course_utils.checks import Check, records_attempt, right, wrong

__all__ = [
    "n_frames",
    "frame_signal",
    "n_patches",
    "extract_patches",
    "log_mel_spectrogram",
    "mfcc_frames",
    "frame_start_times",
    "samples_to_ms",
    "overlap_percent",
    "hop_for_overlap",
    "frequency_resolution",
    "representation_table",
    "check_n_frames",
    "check_n_frames_centered",
    "check_patch_shape",
    "check_hop_for_overlap",
    "check_frequency_resolution",
    "check_layer_inputs",
    "plot_frames",
    "plot_patches",
]


# --------------------------------------------------------------------------------------------------
# Validation (every public function checks its input and names the parameter and its allowed range)

#: Largest block (frame, FFT) and hop size in samples; spectrograms need a block of at least 16 samples.
MAX_BLOCK_SIZE = 65536
MIN_FFT_SIZE = 16
#: Longest signal, in samples (about 38 minutes at 22050 Hz), and the largest count of frames or patches.
MAX_SAMPLES = 50_000_000
MAX_COUNT = 50_000_000
#: Most spectrum values (n_frames x (block_size // 2 + 1)) one spectrogram may have: 2**26 complex
#: values are 512 MiB, a fair share of a Binder machine's 1 to 2 GB.
MAX_SPECTRUM_VALUES = 2**26

def _check_int(name: str, value, minimum: int = 1, maximum: int | None = None, unit: str = "") -> int:
    """Return ``value`` as int if it is an integer in ``[minimum, maximum]``; else raise."""
    unit_text = f" {unit}" if unit else ""
    upper = f" and <= {maximum}" if maximum is not None else ""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {minimum}{upper}{unit_text}, "
                        f"got {value!r} of type {type(value).__name__}")
    value = int(value)
    if value < minimum or (maximum is not None and value > maximum):
        raise ValueError(f"{name} must be an integer >= {minimum}{upper}{unit_text}, got {value}")
    return value


def _check_signal(y, name: str = "y") -> np.ndarray:
    """Return ``y`` as a 1D real ndarray (no copy for an ndarray) or raise a helpful error."""
    if isinstance(y, np.ndarray):
        array = y
    else:
        try:
            array = np.asarray(y)
        except (TypeError, ValueError) as error:
            raise TypeError(f"{name} must be a 1D array of audio samples, got {type(y).__name__}") from error
    if array.dtype == bool or not (np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)):
        raise TypeError(f"{name} must hold real numbers (float samples), got dtype {array.dtype}")
    if np.issubdtype(array.dtype, np.integer):  # int16 audio used unscaled would be 32768 times too loud
        raise TypeError(f"{name} holds integers ({array.dtype}); convert to float in [-1, 1] first "
                        "(int16: divide by 32768)")
    if array.ndim != 1:
        if array.ndim == 2:
            raise ValueError(
                f"{name} must be mono audio of shape (n_samples,), got shape {array.shape}. For multichannel "
                f"audio in librosa's layout (n_channels, n_samples) make it mono with {name}.mean(axis=0) or "
                f"librosa.to_mono({name}); for (n_samples, n_channels) use {name}.mean(axis=1)."
            )
        raise ValueError(f"{name} must be mono audio of shape (n_samples,), got {array.ndim} dimensions {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty; it must hold at least one sample (n_samples >= 1)")
    if array.size > MAX_SAMPLES:
        raise ValueError(f"{name} must hold 1 to {MAX_SAMPLES} samples, got {array.size}")
    if not np.all(np.isfinite(array)):
        bad = int(np.count_nonzero(~np.isfinite(array)))
        raise ValueError(f"{name} must contain only finite samples, but {bad} are NaN or infinite "
                         f"(first at index {int(np.flatnonzero(~np.isfinite(array))[0])})")
    return array


def _check_sr(sr) -> int:
    return _check_int("sr", sr, minimum=100, maximum=384000, unit="Hz")


# --------------------------------------------------------------------------------------------------
# Sample frames

def n_frames(n_samples: int, block_size: int, hop_size: int, *, center: bool = False) -> int:
    """Number of frames N_f of a signal of ``n_samples`` samples.

    Without padding (``center=False``, the lecture's convention)::

        N_f = floor((N - W_f) / H_f) + 1

    With librosa's ``center=True`` the signal is padded by ``block_size // 2`` samples on both sides
    first, so ``N_f = floor((N + 2 * (W_f // 2) - W_f) / H_f) + 1``, which is ``1 + floor(N / H_f)``
    for an even ``block_size``.

    Args:
        n_samples: N, signal length in samples, 1 to 50,000,000.
        block_size: W_f, frame length in samples, 1 to 65536. Without centring it must not exceed
            ``n_samples``: a signal shorter than one block has no complete frame.
        hop_size: H_f, distance between frame starts in samples, 1 to 65536.
        center: count as librosa does with ``center=True`` (padded signal); True or False.

    Returns:
        The number of frames (>= 1).

    Raises:
        TypeError: a size is not an integer, or ``center`` is not True or False.
        ValueError: a size is outside its range, or ``block_size > n_samples`` with ``center=False``.

    Notebook: ``01_audio_representations.ipynb``.

    Example:
        >>> n_frames(22050, 1024, 512)
        42
        >>> n_frames(22050, 1024, 512, center=True)
        44
    """
    n_samples = _check_int("n_samples", n_samples, maximum=MAX_SAMPLES, unit="samples")
    block_size = _check_int("block_size", block_size, maximum=MAX_BLOCK_SIZE, unit="samples")
    hop_size = _check_int("hop_size", hop_size, maximum=MAX_BLOCK_SIZE, unit="samples")
    if _check_bool("center", center):
        padded = n_samples + 2 * (block_size // 2)
        return (padded - block_size) // hop_size + 1
    if block_size > n_samples:
        raise ValueError(
            f"block_size must be <= n_samples = {n_samples} (a signal shorter than one block has no complete "
            f"frame), got block_size = {block_size}; pad the signal or use center=True"
        )
    return (n_samples - block_size) // hop_size + 1


def frame_signal(y: np.ndarray, block_size: int, hop_size: int) -> np.ndarray:
    """Cut a signal into (overlapping) frames without copying it.

    Frame ``i`` holds ``y[i * hop_size : i * hop_size + block_size]``; samples after the last complete
    frame (fewer than ``block_size`` remain) are not part of any frame.

    The result is a read-only **view** of ``y`` (``np.shares_memory(frames, y)`` is True): overlapping
    frames share memory, so the tensor costs no extra memory however small the hop. Copy it
    (``frames.copy()``) before changing values. The values equal
    ``librosa.util.frame(y, frame_length=block_size, hop_length=hop_size, axis=0)``.

    Args:
        y: mono signal, shape ``(n_samples,)``, finite float samples (integer audio is refused:
            convert int16 to float by dividing by 32768).
        block_size: W_f, frame length in samples, 1 <= block_size <= min(n_samples, 65536).
        hop_size: H_f, distance between frame starts in samples, 1 to 65536 (a hop larger than the
            block skips samples between frames).

    Returns:
        X, shape ``(n_frames, block_size)`` with ``n_frames = floor((n_samples - block_size) / hop_size) + 1``.

    Raises:
        TypeError: ``y`` is not a float array (integer audio too) or a size is not an integer.
        ValueError: ``y`` is not 1D, is empty or has NaN/inf samples; a size is outside its range;
            ``block_size > n_samples``.

    Notebook: ``01_audio_representations.ipynb``.

    Example:
        >>> frame_signal(np.arange(10.0), block_size=4, hop_size=3)
        array([[0., 1., 2., 3.],
               [3., 4., 5., 6.],
               [6., 7., 8., 9.]])
    """
    y = _check_signal(y)
    count = n_frames(len(y), block_size, hop_size)
    windows = np.lib.stride_tricks.sliding_window_view(y, block_size)  # every start position, a view
    return windows[: (count - 1) * hop_size + 1 : hop_size]


# --------------------------------------------------------------------------------------------------
# Spectrogram patches

def n_patches(n_frames: int, patch_length: int, patch_hop: int) -> int:
    """Number of patches N_p cut from a spectrogram of ``n_frames`` frames.

    ``N_p = floor((N_f - W_p) / H_p) + 1``. (The lecture slide prints ``floor(N_f W_p / H_p) + 1``:
    the minus sign is missing.)

    Args:
        n_frames: N_f, number of spectrogram frames, 1 to 50,000,000.
        patch_length: W_p, patch length in frames, 1 <= patch_length <= n_frames.
        patch_hop: H_p, distance between patch starts in frames, 1 to 50,000,000.

    Returns:
        The number of patches (>= 1).

    Raises:
        TypeError: an argument is not an integer.
        ValueError: an argument is < 1 or ``patch_length > n_frames``.

    Notebook: ``01_audio_representations.ipynb``.

    Example:
        >>> n_patches(100, 32, 16)
        5
    """
    frames = _check_int("n_frames", n_frames, maximum=MAX_COUNT, unit="frames")
    patch_length = _check_int("patch_length", patch_length, maximum=MAX_COUNT, unit="frames")
    patch_hop = _check_int("patch_hop", patch_hop, maximum=MAX_COUNT, unit="frames")
    if patch_length > frames:
        raise ValueError(f"patch_length must be <= n_frames = {frames} (a spectrogram shorter than one patch "
                         f"has no complete patch), got patch_length = {patch_length}")
    return (frames - patch_length) // patch_hop + 1


def extract_patches(S: np.ndarray, patch_length: int, patch_hop: int) -> np.ndarray:
    """Cut a spectrogram along time into patches (image-like inputs of a convolutional network).

    Patch ``p`` is ``S[:, p * patch_hop : p * patch_hop + patch_length]``; frames after the last complete
    patch are dropped. The result is a read-only view of ``S`` (no copy).

    Args:
        S: spectrogram, shape ``(n_bins, n_frames)`` (frequency bins or mel bands by frames),
            finite values.
        patch_length: W_p, patch length in frames, 1 <= patch_length <= n_frames.
        patch_hop: H_p, distance between patch starts in frames (>= 1).

    Returns:
        X, shape ``(n_patches, n_bins, patch_length)``.

    Raises:
        TypeError: ``S`` is not numeric or a size is not an integer.
        ValueError: ``S`` is not 2D, is empty or has NaN/inf values; a size is < 1;
            ``patch_length > n_frames``.

    Notebook: ``01_audio_representations.ipynb``.
    """
    if not isinstance(S, np.ndarray):
        S = np.asarray(S)
    if S.dtype == bool or not (np.issubdtype(S.dtype, np.floating) or np.issubdtype(S.dtype, np.integer)):
        raise TypeError(f"S must hold real numbers, got dtype {S.dtype}")
    if S.ndim != 2:
        raise ValueError(f"S must be a spectrogram of shape (n_bins, n_frames), got shape {S.shape}")
    if S.size == 0:
        raise ValueError(f"S is empty (shape {S.shape}); it needs n_bins >= 1 and n_frames >= 1")
    if np.issubdtype(S.dtype, np.floating) and not np.all(np.isfinite(S)):
        raise ValueError("S must contain only finite values (no NaN or inf); a dB spectrogram made with "
                         "librosa.power_to_db is finite")
    count = n_patches(S.shape[1], patch_length, patch_hop)
    windows = np.lib.stride_tricks.sliding_window_view(S, patch_length, axis=1)  # (n_bins, starts, W_p)
    return windows[:, : (count - 1) * patch_hop + 1 : patch_hop].transpose(1, 0, 2)


# --------------------------------------------------------------------------------------------------
# Spectrograms and feature vectors (librosa, with the course's names)

def _check_real(name: str, value, unit: str, low_text: str) -> float:
    """``value`` as a finite float, or a TypeError naming ``name`` (a bool or a string is not a number)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number {low_text} {unit}, got {value!r} of type {type(value).__name__}")
    return float(value)


def _check_top_db(top_db):
    if top_db is None:
        return None
    if isinstance(top_db, (bool, np.bool_)) or not isinstance(top_db, numbers.Real):
        raise TypeError(f"top_db must be None or a number of dB in (0, 200], got {top_db!r}")
    if not 0 < top_db <= 200:  # also refuses NaN
        raise ValueError(f"top_db must be None or a number of dB in (0, 200], got {top_db!r}")
    return float(top_db)


def _check_spectral_args(y, sr, block_size, hop_size, center, n_mels, fmin, fmax):
    y = _check_signal(y)
    sr = _check_sr(sr)
    block_size = _check_int("block_size", block_size, minimum=MIN_FFT_SIZE, maximum=MAX_BLOCK_SIZE, unit="samples")
    hop_size = _check_int("hop_size", hop_size, maximum=MAX_BLOCK_SIZE, unit="samples")
    n_mels = _check_int("n_mels", n_mels, maximum=512, unit="bands")
    center = _check_bool("center", center)
    if not center and block_size > len(y):
        raise ValueError(f"block_size must be <= len(y) = {len(y)} when center=False (no complete frame "
                         f"otherwise), got block_size = {block_size}")
    count = n_frames(len(y), block_size, hop_size, center=center)
    if count * (block_size // 2 + 1) > MAX_SPECTRUM_VALUES:
        raise ValueError(f"block_size = {block_size} and hop_size = {hop_size} give {count} frames of "
                         f"{block_size // 2 + 1} bins, more than the {MAX_SPECTRUM_VALUES} spectrum values that fit "
                         "comfortably in memory: use a larger hop_size, a smaller block_size or a shorter signal")
    nyquist = sr / 2
    fmin = _check_real("fmin", fmin, "Hz", f"in [0, {nyquist:g})")
    if not math.isfinite(fmin) or not 0 <= fmin < nyquist:
        raise ValueError(f"fmin must be in [0, {nyquist:g}) Hz (below sr/2), got {fmin!r}")
    fmax = nyquist if fmax is None else _check_real("fmax", fmax, "Hz", f"in ({fmin:g}, {nyquist:g}] or None")
    if not math.isfinite(fmax) or not fmin < fmax <= nyquist:
        raise ValueError(f"fmax must be in ({fmin:g}, {nyquist:g}] Hz (above fmin, at most sr/2), got {fmax!r}")
    return y, sr, block_size, hop_size, center, n_mels, fmin, fmax


def log_mel_spectrogram(y: np.ndarray, sr: int, block_size: int = 1024, hop_size: int = 512, n_mels: int = 64,
                        fmin: float = 0.0, fmax: float | None = None, center: bool = False, *,
                        top_db: float | None = 80.0) -> np.ndarray:
    """Log-magnitude mel spectrogram in dB, one column per frame.

    Each frame (the frames of :func:`frame_signal` when ``center=False``) is multiplied by a periodic
    Hann window of ``block_size`` samples, its power spectrum ``|DFT|^2`` is taken and summed into
    ``n_mels`` triangular mel bands (librosa's Slaney-normalised filters), and the result is converted
    to decibels with **ref = 1.0**: ``10 log10(max(P, 1e-10))``. Values are therefore absolute (a louder
    sound gives larger values), not relative to the loudest bin. With ``top_db`` (default 80) everything
    more than ``top_db`` dB below the spectrogram's maximum is raised to that floor, so silence does not
    dominate the colour scale. Equals ``librosa.power_to_db(librosa.feature.melspectrogram(...), ref=1.0,
    top_db=top_db)`` with ``n_fft=block_size, hop_length=hop_size``.

    Args:
        y: mono signal, shape ``(n_samples,)``, finite float samples in [-1, 1] (integer audio is
            refused: divide int16 samples by 32768).
        sr: sample rate in Hz, 100 to 384000.
        block_size: W_f, frame (FFT) length in samples, 16 to 65536; <= n_samples unless ``center=True``.
        hop_size: H_f, distance between frames in samples, 1 to 65536. The spectrogram may hold at most
            2**26 values before the mel bands (n_frames x (block_size // 2 + 1)); a larger one is refused
            before anything is computed.
        n_mels: F, number of mel bands (1 to 512). Many bands with a small block give empty bands
            (librosa warns), because several bands then fall between two DFT bins.
        fmin: lowest band edge in Hz, in [0, sr/2).
        fmax: highest band edge in Hz, in (fmin, sr/2]; ``None`` means sr/2.
        center: pad the signal by ``block_size // 2`` on both sides first (librosa's default);
            ``False`` (the course's default) uses the frames of :func:`frame_signal` unchanged.
            Only True or False (a string such as ``'no'`` is refused).
        top_db: dynamic range kept below the maximum, in dB, in (0, 200], or ``None`` for no floor.

    Returns:
        S_db, shape ``(n_mels, n_frames)``, float32, in dB re 1.0 (power).

    Raises:
        TypeError, ValueError: invalid signal or parameters (the message names the parameter).

    Notebook: ``01_audio_representations.ipynb``.
    """
    import librosa

    y, sr, block_size, hop_size, center, n_mels, fmin, fmax = _check_spectral_args(
        y, sr, block_size, hop_size, center, n_mels, fmin, fmax)
    top_db = _check_top_db(top_db)
    power = librosa.feature.melspectrogram(
        y=y.astype(np.float32, copy=False), sr=sr, n_fft=block_size, hop_length=hop_size, center=center,
        n_mels=n_mels, fmin=fmin, fmax=fmax, power=2.0)
    return librosa.power_to_db(power, ref=1.0, amin=1e-10, top_db=top_db).astype(np.float32, copy=False)


def mfcc_frames(y: np.ndarray, sr: int, block_size: int = 1024, hop_size: int = 512, n_mfcc: int = 13,
                n_mels: int = 40, center: bool = False, *, fmin: float = 0.0, fmax: float | None = None,
                top_db: float | None = 80.0) -> np.ndarray:
    """MFCC feature vectors, one **row** per frame: the lecture's X in R^(N_f x N_feat).

    Row ``i`` describes frame ``i`` of :func:`frame_signal` (same ``block_size`` and ``hop_size``) when
    ``center=False``. It is the DCT (type II, orthonormal) of that frame's log-mel spectrum with
    ``n_mels`` bands (librosa's ``power_to_db`` with ref 1.0 and a floor ``top_db`` below the maximum) and keeps the first ``n_mfcc``
    coefficients. Equals ``librosa.feature.mfcc(y=y, sr=sr, n_mfcc=n_mfcc, n_fft=block_size,
    hop_length=hop_size, n_mels=n_mels, center=center).T``. (librosa returns features by frames; the
    transpose puts frames in rows, as a Dense layer expects one vector per row.)

    Args:
        y: mono signal, shape ``(n_samples,)``, finite float samples in [-1, 1] (integer audio is
            refused: divide int16 samples by 32768).
        sr: sample rate in Hz, 100 to 384000.
        block_size: W_f, frame (FFT) length in samples, 16 to 65536; <= n_samples unless ``center=True``.
        hop_size: H_f, distance between frames in samples, 1 to 65536. The spectrogram may hold at most
            2**26 values before the mel bands (n_frames x (block_size // 2 + 1)); a larger one is refused
            before anything is computed.
        n_mfcc: N_feat, coefficients per frame, 1 <= n_mfcc <= n_mels.
        n_mels: mel bands the coefficients are computed from (1 to 512).
        center: see :func:`log_mel_spectrogram`.
        fmin, fmax: band edges in Hz, see :func:`log_mel_spectrogram`.
        top_db: floor of the log-mel spectrum, in dB below its maximum over the whole signal (librosa's
            default 80), in (0, 200], or ``None`` for no floor; without a floor each row depends only on
            its own frame.

    Returns:
        X, shape ``(n_frames, n_mfcc)``, float32.

    Raises:
        TypeError, ValueError: invalid signal or parameters (the message names the parameter).

    Notebook: ``01_audio_representations.ipynb``.
    """
    import librosa

    y, sr, block_size, hop_size, center, n_mels, fmin, fmax = _check_spectral_args(
        y, sr, block_size, hop_size, center, n_mels, fmin, fmax)
    top_db = _check_top_db(top_db)
    n_mfcc = _check_int("n_mfcc", n_mfcc, maximum=n_mels, unit="coefficients (at most n_mels)")
    S_db = log_mel_spectrogram(y, sr, block_size, hop_size, n_mels, fmin, fmax, center, top_db=top_db)
    features = librosa.feature.mfcc(S=S_db, n_mfcc=n_mfcc)
    return np.ascontiguousarray(features.T, dtype=np.float32)


# --------------------------------------------------------------------------------------------------
# Units: samples, milliseconds, overlap, resolution

def samples_to_ms(n_samples: float, sr: int) -> float:
    """A duration of ``n_samples`` samples in milliseconds at ``sr`` Hz (e.g. 512 samples at 22050 Hz: 23.2 ms).

    Notebook: ``01_audio_representations.ipynb``.
    """
    sr = _check_sr(sr)
    n_samples = _check_real("n_samples", n_samples, "samples", f"in [0, {MAX_SAMPLES}]")
    if not 0 <= n_samples <= MAX_SAMPLES:  # also refuses NaN
        raise ValueError(f"n_samples must be a number in [0, {MAX_SAMPLES}] samples, got {n_samples!r}")
    return 1000.0 * float(n_samples) / sr


def overlap_percent(block_size: int, hop_size: int) -> float:
    """Overlap of consecutive frames in percent of the block: ``100 (W_f - H_f) / W_f``.

    0 % for ``hop_size == block_size`` (frames touch), 50 % for half a block, 75 % for a quarter.
    A hop larger than the block gives a negative value: the size of the gap between frames in
    percent of the block.

    Notebook: ``01_audio_representations.ipynb``.
    """
    block_size = _check_int("block_size", block_size, maximum=MAX_BLOCK_SIZE, unit="samples")
    hop_size = _check_int("hop_size", hop_size, maximum=MAX_BLOCK_SIZE, unit="samples")
    return 100.0 * (block_size - hop_size) / block_size


def hop_for_overlap(block_size: int, overlap: float) -> int:
    """The hop size (samples) that gives ``overlap`` percent overlap: ``H_f = W_f (1 - overlap / 100)``.

    Args:
        block_size: W_f in samples, 1 to 65536.
        overlap: in percent, 0 <= overlap < 100.

    Returns:
        The hop in samples, rounded to the nearest integer (at least 1).

    Notebook: ``01_audio_representations.ipynb``.
    """
    block_size = _check_int("block_size", block_size, maximum=MAX_BLOCK_SIZE, unit="samples")
    overlap = _check_real("overlap", overlap, "percent", "in [0, 100)")
    if not 0 <= overlap < 100:  # also refuses NaN
        raise ValueError(f"overlap must be a percentage in [0, 100), got {overlap!r}")
    return max(1, int(round(block_size * (1 - overlap / 100))))


def frequency_resolution(sr: int, block_size: int) -> float:
    """Spacing of the DFT bins of a block, in Hz per bin: ``sr / block_size``.

    A longer block resolves closer frequencies but smears events over a longer time
    (the time-frequency trade-off).

    Notebook: ``01_audio_representations.ipynb``.
    """
    sr = _check_sr(sr)
    block_size = _check_int("block_size", block_size, maximum=MAX_BLOCK_SIZE, unit="samples")
    return sr / block_size


def frame_start_times(n_frames: int, hop_size: int, sr: int, *, block_size: int | None = None,
                      center: bool = False) -> np.ndarray:
    """Where in the **original** signal each frame starts, in seconds, shape ``(n_frames,)``.

    Without centring, frame ``i`` starts at ``i * hop_size / sr``. With ``center=True`` (librosa's
    default) frame ``i`` is centred at ``i * hop_size / sr`` instead, so it starts ``block_size // 2``
    samples earlier (negative times lie in the zero padding). This is why ``librosa.frames_to_time``
    gives frame *centres* for centred spectrograms but frame *starts* for ``center=False``.

    Notebook: ``01_audio_representations.ipynb``.
    """
    count = _check_int("n_frames", n_frames, maximum=MAX_COUNT, unit="frames")
    hop_size = _check_int("hop_size", hop_size, maximum=MAX_BLOCK_SIZE, unit="samples")
    sr = _check_sr(sr)
    starts = np.arange(count) * hop_size
    if _check_bool("center", center):
        if block_size is None:
            raise ValueError("block_size is needed when center=True (an integer from 1 to 65536: frames start "
                             "block_size // 2 samples early)")
        starts = starts - _check_int("block_size", block_size, maximum=MAX_BLOCK_SIZE, unit="samples") // 2
    return starts / sr


def representation_table(y: np.ndarray, sr: int, *, block_size: int = 1024, hop_size: int = 512,
                         n_mfcc: int = 13, n_mels: int = 64, patch_length: int = 32, patch_hop: int = 16):
    """The three input representations of one signal with their shapes and the layer each feeds.

    Returns:
        A ``pandas.DataFrame`` with one row per representation: its name, tensor shape, the lecture's
        symbols, the shape of one network input, and the first layer that takes it.

    Notebook: ``01_audio_representations.ipynb``.
    """
    import pandas as pd

    n_mels = _check_int("n_mels", n_mels, 1, 512)
    n_mfcc = _check_int("n_mfcc", n_mfcc, 1, 512)
    frames = frame_signal(y, block_size, hop_size)
    features = mfcc_frames(y, sr, block_size, hop_size, n_mfcc=n_mfcc, n_mels=max(n_mels, n_mfcc))
    patches = extract_patches(log_mel_spectrogram(y, sr, block_size, hop_size, n_mels=n_mels),
                              patch_length, patch_hop)
    rows = [
        ("sample frames (1D, end-to-end)", frames.shape, "N_f × W_f", (frames.shape[1],),
         "Dense (one vector of W_f samples per example); or Conv1D over the samples"),
        ("MFCC feature vectors (1D)", features.shape, "N_f × N_feat", (features.shape[1],),
         "Dense (one vector of N_feat numbers per example)"),
        ("spectrogram patches (2D)", patches.shape, "N_p × F × W_p", (patches.shape[1], patches.shape[2], 1),
         "Conv2D (an F × W_p image with 1 channel); Dense only after Flatten"),
    ]
    return pd.DataFrame(rows, columns=["representation", "tensor shape", "symbols", "one network input",
                                       "first layer"])


# --------------------------------------------------------------------------------------------------
# "Your turn" checkers (reference solutions live here, not in the notebook)

def _scalar(answer):
    """A 0-d NumPy array as its Python scalar (what ``np.int64(5)`` or ``arr.sum()`` also give); else unchanged."""
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        return answer.item()
    return answer


def _short(answer, limit: int = 40) -> str:
    """``repr(answer)``, cut to ``limit`` characters (a student's 10**400 should not fill the screen)."""
    text = repr(answer)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _not_a_number(answer, name: str, what: str) -> Check:
    """The hint for an answer that is not one real number (a string, an array, a list, ...)."""
    if isinstance(answer, str):
        try:
            float(answer)
        except ValueError:
            return wrong(f"{name} should be {what}, got the text {_short(answer)}.")
        return wrong(f"{name} should be {what}, got the text {_short(answer)}: remove the quotes.")
    if isinstance(answer, (np.ndarray, list, tuple)):
        count = len(answer) if isinstance(answer, (list, tuple)) else answer.size
        return wrong(f"{name} should be {what}, not a {type(answer).__name__} of {count} value"
                     f"{'' if count == 1 else 's'}: give the number itself.")
    if isinstance(answer, numbers.Complex):
        return wrong(f"{name} should be {what}, not the complex number {answer!r}.")
    return wrong(f"{name} should be {what}, got {_short(answer)} of type {type(answer).__name__}.")


def _as_int_answer(answer, name: str):
    """``(value, None)`` for an integer-valued answer, else ``(None, Check)`` explaining the problem.

    Never raises: any object (huge integers, NaN, arrays, strings) gets a hint.
    """
    answer = _scalar(answer)
    if answer is None:
        return None, wrong(f"replace None with your value for {name}.")
    if isinstance(answer, (bool, np.bool_)):
        return None, wrong(f"{name} should be a whole number, got {answer!r}.")
    if isinstance(answer, numbers.Integral):
        if abs(int(answer)) > 10**15:  # no count in these exercises comes near; keeps messages short
            return None, wrong(f"{name} = {_short(answer)} is far too large to be right.")
        return int(answer), None
    if isinstance(answer, numbers.Real):
        value = float(answer)
        if not math.isfinite(value):
            return None, wrong(f"{name} should be a finite whole number, got {answer!r}.")
        if value.is_integer():
            return _as_int_answer(int(value), name)
        return None, wrong(f"{name} counts frames, patches or samples, so it is a whole number; got {answer!r}. "
                           "Did you forget to round down (floor, // in Python)?")
    return None, _not_a_number(answer, name, "a whole number")


def _as_real_answer(answer, name: str):
    """``(value, decimals, None)`` for a real-valued answer, else ``(None, None, Check)``.

    ``decimals`` is the number of digits after the decimal point in the shortest way of writing the
    answer (``10.77`` -> 2, ``11`` -> 0), so a checker can judge a hand-rounded value by the precision
    it was given with. Never raises.
    """
    answer = _scalar(answer)
    if answer is None:
        return None, None, wrong(f"replace None with your value for {name}.")
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, numbers.Real):
        return None, None, _not_a_number(answer, name, "a number")
    try:
        value = float(answer)
    except OverflowError:
        return None, None, wrong(f"{name} = {_short(answer)} is far too large to be right.")
    if not math.isfinite(value):
        return None, None, wrong(f"{name} should be a finite number, got {answer!r}.")
    if isinstance(answer, numbers.Integral):
        return value, 0, None
    # shortest round-trip text of the number in its own precision (float32 10.77 -> "10.77")
    text = np.format_float_positional(answer if isinstance(answer, np.floating) else value, trim="-")
    decimals = len(text.partition(".")[2])
    return value, decimals, None


@records_attempt("n_frames")
def check_n_frames(answer, n_samples: int = 22050, block_size: int = 2048, hop_size: int = 512) -> Check:
    """Check a student's number of frames N_f for a signal of ``n_samples`` (no padding).

    Recognises the usual slips (no ``+ 1``, rounding up, forgetting to subtract W_f) and says which.

    Notebook: ``01_audio_representations.ipynb``.
    """
    expected = n_frames(n_samples, block_size, hop_size)
    value, problem = _as_int_answer(answer, "N_f")
    if problem is not None:
        return problem
    if value == expected:
        return right(f"N_f = floor(({n_samples} - {block_size}) / {hop_size}) + 1 = "
                     f"{(n_samples - block_size) // hop_size} + 1 = {expected}.")
    if value == expected - 1:
        return wrong(f"{value} is one short: the first frame starts at sample 0 and is counted by the '+ 1'.")
    if value == math.ceil((n_samples - block_size) / hop_size) + 1:
        return wrong(f"{value} rounds up; the last, incomplete frame is dropped, so round down (floor).")
    if value in (n_samples // hop_size + 1, n_samples // hop_size):
        return wrong(f"{value} counts frame starts over the whole signal; a frame needs W_f = {block_size} samples, "
                     f"so subtract W_f from N first (or you counted librosa's center=True frames).")
    return wrong(f"N_f is not {value}. Use N_f = floor((N - W_f) / H_f) + 1 with N = {n_samples}, "
                 f"W_f = {block_size}, H_f = {hop_size}.")


@records_attempt("n_frames_centered")
def check_n_frames_centered(answer, n_samples: int = 22050, block_size: int = 2048, hop_size: int = 512) -> Check:
    """Check a student's frame count for librosa's ``center=True`` (padded) framing.

    Recognises the usual slips: the count without padding, forgetting the ``+ 1`` (``N // H_f``),
    padding only one side, rounding up.

    Notebook: ``01_audio_representations.ipynb``.
    """
    expected = n_frames(n_samples, block_size, hop_size, center=True)
    value, problem = _as_int_answer(answer, "N_f with center=True")
    if problem is not None:
        return problem
    padded = n_samples + 2 * (block_size // 2)
    if value == expected:
        return right(f"with block_size // 2 = {block_size // 2} zeros on each side the signal has "
                     f"{padded} samples, which gives {expected} frames "
                     f"(= 1 + floor(N / H_f) for an even block).")
    if n_samples >= block_size and value == n_frames(n_samples, block_size, hop_size):
        return wrong(f"{value} is the count without padding. center=True first adds block_size // 2 samples "
                     "on each side of the signal.")
    if value == expected - 1:
        return wrong(f"{value} is one short: floor(N / H_f) = {n_samples // hop_size} counts the hops, and the "
                     f"frame at sample 0 comes on top: N_f = 1 + floor(N / H_f). Did you forget the '+ 1'?")
    one_side = n_samples + block_size // 2
    if one_side >= block_size and value == (one_side - block_size) // hop_size + 1:
        return wrong(f"{value} pads only one side; center=True adds block_size // 2 = {block_size // 2} zeros at "
                     "the start and as many at the end.")
    if value == math.ceil(n_samples / hop_size) + 1 or value == math.ceil((padded - block_size) / hop_size) + 1:
        return wrong(f"{value} rounds up; a last frame that does not fit into the padded signal is dropped, "
                     "so round down (floor).")
    return wrong(f"not {value}. Pad N by W_f // 2 on each side, then apply N_f = floor((N - W_f) / H_f) + 1.")


@records_attempt("patch_shape")
def check_patch_shape(answer, n_frames: int = 431, n_bins: int = 64, patch_length: int = 96,
                      patch_hop: int = 48) -> Check:
    """Check a student's predicted shape ``(N_p, F, W_p)`` of a patch tensor.

    Notebook: ``01_audio_representations.ipynb``.
    """
    expected = (n_patches(n_frames, patch_length, patch_hop), n_bins, patch_length)
    if answer is None:
        return wrong("replace None with a tuple (N_p, F, W_p).")
    try:
        shape = tuple(answer)
    except TypeError:
        return wrong(f"give the shape as a tuple of three numbers (N_p, F, W_p), got {_short(answer)}.")
    if len(shape) != 3:
        return wrong(f"a patch tensor has three axes (N_p, F, W_p); your answer has {len(shape)}.")
    values = []
    for name, item in zip(("N_p", "F", "W_p"), shape):
        value, problem = _as_int_answer(item, name)
        if problem is not None:
            return problem
        values.append(value)
    n_p, f, w_p = values
    if (n_p, f, w_p) == expected:
        return right(f"N_p = floor(({n_frames} - {patch_length}) / {patch_hop}) + 1 = {expected[0]}, "
                     f"so X has shape {expected}.")
    if (n_p, w_p, f) == expected or (n_p, f, w_p) == (expected[0], patch_length, n_bins):
        return wrong("the numbers are right but the order is not: (N_p, F, W_p) = (patches, frequency bins, "
                     "frames per patch).")
    if f != n_bins or w_p != patch_length:
        return wrong(f"each patch keeps all F = {n_bins} bins and W_p = {patch_length} frames; check the last two "
                     "axes.")
    if n_p == (n_frames * patch_length) // patch_hop + 1:
        return wrong(f"N_p = {n_p} uses the slide's misprint floor(N_f W_p / H_p) + 1; the formula has a minus: "
                     "floor((N_f - W_p) / H_p) + 1.")
    if n_p == expected[0] - 1:
        return wrong(f"N_p = {n_p} is one short: remember the '+ 1' for the first patch.")
    return wrong(f"N_p is not {n_p}. Use N_p = floor((N_f - W_p) / H_p) + 1 with N_f = {n_frames}, "
                 f"W_p = {patch_length}, H_p = {patch_hop}.")


@records_attempt("hop_for_overlap")
def check_hop_for_overlap(answer, block_size: int = 1024, overlap: float = 75.0) -> Check:
    """Check a student's hop size (samples) for a given overlap in percent.

    Notebook: ``01_audio_representations.ipynb``.
    """
    expected = hop_for_overlap(block_size, overlap)
    value, problem = _as_int_answer(answer, "hop_size")
    if problem is not None:
        return problem
    if value == expected:
        return right(f"H_f = W_f (1 - {overlap:g} / 100) = {expected} samples: consecutive frames share "
                     f"{block_size - expected} of their {block_size} samples ({overlap:g} %).")
    if value == block_size - expected:
        return wrong(f"{value} samples is the overlap itself (the shared part); the hop is the part that is NOT "
                     "shared: H_f = W_f - overlap.")
    if value <= 0 or value > block_size:
        return wrong(f"a hop of {value} samples leaves no overlap with block_size = {block_size} "
                     "(or is impossible); the hop must be smaller than the block.")
    return wrong(f"a hop of {value} samples gives {overlap_percent(block_size, value):g} % overlap, "
                 f"not {overlap:g} %.")


@records_attempt("frequency_resolution")
def check_frequency_resolution(answer, sr: int = 22050, block_size: int = 2048) -> Check:
    """Check a student's DFT bin spacing in Hz for ``block_size`` at ``sr``.

    A hand answer is judged by the decimals it is written with: it is right when it is the spacing
    rounded to those decimals (at least one), so ``10.77`` and ``10.8`` are right for 22050 / 2048 =
    10.766... Hz, ``10.76`` (cut off instead of rounded) and ``11`` are not.

    Notebook: ``01_audio_representations.ipynb``.
    """
    expected = frequency_resolution(sr, block_size)
    value, decimals, problem = _as_real_answer(answer, "the resolution (Hz per bin)")
    if problem is not None:
        return problem
    exact = f"sr / W_f = {sr} / {block_size} = {expected:.4f}... Hz per bin"
    if math.isclose(value, expected, rel_tol=1e-9):
        return right(f"{exact}.")
    if decimals >= 1 and abs(value - expected) <= 0.5 * 10.0 ** -decimals + 1e-12:
        return right(f"{exact}, which is {value:.{decimals}f} rounded to {decimals} decimal"
                     f"{'s' if decimals > 1 else ''}.")
    if math.isclose(value, block_size / sr, rel_tol=1e-3) or math.isclose(value, 1000 * block_size / sr, rel_tol=1e-3):
        return wrong(f"{value:g} is the block's duration (W_f / sr); the bin spacing is its inverse, sr / W_f.")
    if math.isclose(value, sr / 2 / block_size, rel_tol=1e-3):
        return wrong("the bins are sr / W_f apart; the DFT has W_f / 2 + 1 bins from 0 to sr/2 inclusive.")
    if abs(value - expected) < 10.0 ** -decimals:
        if decimals == 0:
            return wrong(f"{value:g} Hz is close, but the spacing is not a whole number: give it with two decimals.")
        return wrong(f"{value:g} Hz is close: it looks cut off after {decimals} decimal{'s' if decimals > 1 else ''}; "
                     f"rounded it is {expected:.{decimals}f}.")
    return wrong(f"{value:g} Hz is not the spacing; divide the sample rate by the block size.")


#: The layers of :func:`check_layer_inputs`, by the lower-case names a student may write.
_LAYER_NAMES = {"dense": "Dense", "conv1d": "Conv1D", "conv2d": "Conv2D", "flatten": "Flatten",
                "lstm": "LSTM", "gru": "GRU", "simplernn": "SimpleRNN"}
_REPRESENTATIONS = ("frames", "mfcc", "patches")


def _layer_name(value):
    """The canonical layer name of a student's value ("dense", "keras.layers.Conv2D", the class), or None."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip().rstrip("()").rsplit(".", 1)[-1]
    else:  # a Keras layer class or instance: read its name, so the check works without importing Keras
        text = getattr(value, "__name__", None) or type(value).__name__
    return _LAYER_NAMES.get(str(text).replace("_", "").replace(" ", "").lower())


@records_attempt("layer_inputs")
def check_layer_inputs(answer, block_size: int = 1024, n_mfcc: int = 13, n_bins: int = 64,
                       patch_length: int = 32) -> Check:
    """Check which first layer takes one example of each representation: "Dense" or "Conv2D".

    ``answer`` is a dict with the keys ``"frames"`` (one sample frame, shape ``(block_size,)``),
    ``"mfcc"`` (one MFCC vector, shape ``(n_mfcc,)``) and ``"patches"`` (one spectrogram patch, shape
    ``(n_bins, patch_length, 1)``), each mapped to a layer name such as ``"Dense"`` or ``"Conv2D"``
    (a Keras layer class or ``"keras.layers.Dense"`` count too). Expected: frames and MFCC vectors
    feed ``Dense``, patches ``Conv2D``; ``Conv1D`` for the sample frames is accepted as well (with a
    channel axis, it is how end-to-end models often start).

    Notebook: ``01_audio_representations.ipynb``.
    """
    example = '{"frames": ..., "mfcc": ..., "patches": ...} with "Dense" or "Conv2D" for each'
    if answer is None:
        return wrong(f"replace None with a dict, e.g. {example}.")
    if not isinstance(answer, dict):
        return wrong(f"answer should be a dict {example}; got {type(answer).__name__}.")
    given = {str(key).strip().lower(): value for key, value in answer.items()}
    missing = [key for key in _REPRESENTATIONS if key not in given]
    if missing:
        return wrong(f"answer needs the keys {', '.join(repr(k) for k in _REPRESENTATIONS)}; "
                     f"{', '.join(repr(k) for k in missing)} {'is' if len(missing) == 1 else 'are'} missing.")
    names = {key: _layer_name(given[key]) for key in _REPRESENTATIONS}
    for key in _REPRESENTATIONS:
        if given[key] is None:
            return wrong(f"answer[{key!r}] is still None: write \"Dense\" or \"Conv2D\".")
        if names[key] is None:
            return wrong(f"answer[{key!r}] = {_short(given[key])} is not a layer this exercise knows; "
                         "write \"Dense\" or \"Conv2D\".")
    flat = n_bins * patch_length
    problems = []
    if names["frames"] not in ("Dense", "Conv1D"):
        problems.append(f"one sample frame is a vector of {block_size} numbers with a single axis (time); "
                        f"{names['frames']} is not the layer that takes it: a Dense layer takes a vector "
                        "(a Conv1D would also do, after adding a channel axis).")
    if names["mfcc"] != "Dense":
        reason = ("Conv2D wants a 2-D input with a channel axis (height, width, channels), and one MFCC vector "
                  "has a single axis" if names["mfcc"] == "Conv2D" else
                  "neighbouring MFCCs are not neighbours the way samples or bins are: each coefficient describes "
                  "the shape of the whole spectrum, so there is no local pattern for a sliding filter to find"
                  if names["mfcc"] == "Conv1D" else f"{names['mfcc']} is not the usual first layer for it")
        problems.append(f"one MFCC vector holds {n_mfcc} numbers: {reason}; it feeds a Dense layer.")
    if names["patches"] != "Conv2D":
        if names["patches"] in ("Dense", "Flatten"):
            reason = (f"a Dense layer takes a vector, so the patch would first be flattened to {n_bins} x "
                      f"{patch_length} = {flat} numbers; the numbers survive, but a Dense layer gives each "
                      "position its own weights and knows nothing about which positions are neighbours")
        elif names["patches"] == "Conv1D":
            reason = ("Conv1D slides its filters along one axis only (time, with the bands as channels); "
                      "the image-like patch is what Conv2D is for, sliding small filters along time and frequency")
        else:
            reason = f"{names['patches']} is not the layer the lecture feeds image-like patches to"
        problems.append(f"one patch is a {n_bins} x {patch_length} image with 1 channel: {reason}.")
    if problems:
        return wrong(" ".join(problems))
    extra = " (Conv1D for the frames is fine too.)" if names["frames"] == "Conv1D" else ""
    return right(f"vectors (a frame of {block_size} samples, {n_mfcc} MFCCs) feed a Dense layer; a patch of shape "
                 f"({n_bins}, {patch_length}, 1) feeds Conv2D, which slides small filters along time and "
                 f"frequency and reuses them at every position.{extra}")


# --------------------------------------------------------------------------------------------------
# Plot helpers (static figures of the notebook; the explorers draw their own, faster versions)

def _axes(ax, figsize=(9, 3)):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def plot_frames(y: np.ndarray, sr: int, block_size: int, hop_size: int, *, first: int = 0, count: int = 6, ax=None):
    """Draw part of a signal with frames ``first`` ... ``first + count - 1`` outlined as bars below it.

    Overlapping frames are drawn in different rows so that every frame's extent stays visible.

    Args:
        y: signal, shape ``(n_samples,)``.
        sr: sample rate in Hz, 100 to 384000 (the x axis is in milliseconds).
        block_size, hop_size: W_f and H_f in samples, 1 to 65536.
        first: index of the first frame drawn.
        count: number of frames drawn (1 to 60).
        ax: axes to draw into (``None``: a new figure).

    Returns:
        ``(line, bars)``: the waveform ``Line2D`` and the ``PolyCollection`` of frame bars.

    Notebook: ``01_audio_representations.ipynb``.
    """
    from matplotlib.collections import PolyCollection

    y = _check_signal(y)
    sr = _check_sr(sr)
    total = n_frames(len(y), block_size, hop_size)
    first = _check_int("first", first, minimum=0, maximum=total - 1, unit="(a frame index)")
    count = _check_int("count", count, maximum=60, unit="frames")
    last = min(total, first + count)
    lo, hi = first * hop_size, (last - 1) * hop_size + block_size
    ax = _axes(ax)
    t_ms = 1000 * np.arange(lo, hi) / sr
    (line,) = ax.plot(t_ms, y[lo:hi], lw=0.8)
    peak = max(float(np.max(np.abs(y[lo:hi]))), 1e-6)
    lanes = min(last - first, -(-block_size // hop_size))
    height = 0.8 * peak / lanes
    verts, colours = [], []
    for i in range(first, last):
        y0 = -1.1 * peak - ((i - first) % lanes + 1) * height
        x0, x1 = 1000 * i * hop_size / sr, 1000 * (i * hop_size + block_size) / sr
        verts.append([(x0, y0), (x1, y0), (x1, y0 + 0.75 * height), (x0, y0 + 0.75 * height)])
        colours.append(f"C{(i - first) % 8 + 1}")
    bars = PolyCollection(verts, facecolors=colours, edgecolors="k", linewidths=0.5, alpha=0.8)
    ax.add_collection(bars)
    for i, v in zip(range(first, last), verts):
        ax.text(v[0][0] + 0.3, v[0][1] + 0.37 * height, str(i), fontsize=7, va="center")
    ax.set(xlim=(t_ms[0], t_ms[-1]), ylim=(-1.1 * peak - (lanes + 0.5) * height, 1.1 * peak),
           xlabel="time (ms)", ylabel="amplitude")
    return line, bars


def plot_patches(S_db: np.ndarray, patch_length: int, patch_hop: int, *, ax=None, max_outlines: int = 60):
    """Draw a spectrogram (bins by frames) with its patches outlined, each closing in its own row on top.

    Args:
        S_db: spectrogram, shape ``(n_bins, n_frames)``, e.g. from :func:`log_mel_spectrogram`.
        patch_length, patch_hop: W_p and H_p in frames.
        ax: axes to draw into (``None``: a new figure).
        max_outlines: draw at most this many patch outlines (the first ones), 0 to 10000.

    Returns:
        ``(image, outlines)``: the ``AxesImage`` and the ``LineCollection`` of outlines.

    Notebook: ``01_audio_representations.ipynb``.
    """
    from matplotlib.collections import LineCollection

    count = extract_patches(S_db, patch_length, patch_hop).shape[0]
    max_outlines = _check_int("max_outlines", max_outlines, minimum=0, maximum=10_000, unit="outlines")
    n_bins, frames = np.shape(S_db)
    ax = _axes(ax)
    image = ax.imshow(S_db, origin="lower", aspect="auto", interpolation="nearest",
                      extent=(-0.5, frames - 0.5, -0.5, n_bins - 0.5))
    lanes = min(4, -(-patch_length // patch_hop))
    row = max(1.0, n_bins / 20)
    segments = []
    for p in range(min(count, max_outlines)):
        top = n_bins - 0.5 + row * (p % lanes + 0.7)
        x0, x1 = p * patch_hop - 0.5 + 0.3, p * patch_hop + patch_length - 0.5 - 0.3
        segments.append([(x0, -0.5), (x0, top), (x1, top), (x1, -0.5)])
    outlines = LineCollection(segments, colors=[f"C{p % 8 + 1}" for p in range(len(segments))], linewidths=1.5)
    ax.add_collection(outlines)
    ax.set(xlim=(-0.5, frames - 0.5), ylim=(-0.5, n_bins - 0.5 + row * (lanes + 0.5)),
           xlabel="spectrogram frame", ylabel="band")
    ax.grid(False)
    return image, outlines

"""Plot helpers shared by the notebooks and explorers.

Each helper takes ``ax=None`` (a new figure is made when it is ``None``), draws into the axes and
returns what it drew, so it works alone and inside subplot grids.
"""

from __future__ import annotations

import numpy as np

from course_utils._arguments import _check_bool
from course_utils.representations import MAX_BLOCK_SIZE, _check_int, _check_signal, _check_sr


def _check_image(S_db) -> np.ndarray:
    S = np.asarray(S_db)
    if S.dtype == bool or not (np.issubdtype(S.dtype, np.floating) or np.issubdtype(S.dtype, np.integer)):
        raise TypeError(f"S_db must hold real numbers, got dtype {S.dtype}")
    if S.ndim != 2 or S.size == 0:
        raise ValueError(f"S_db must be a spectrogram of shape (n_bins, n_frames) with n_bins, n_frames >= 1, "
                         f"got shape {S.shape}")
    return S


def _axes(ax, figsize=(8, 3)):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def plot_waveform(y: np.ndarray, sr: int, *, ax=None, title: str = "", **line_kwargs):
    """Draw a signal over time.

    Args:
        y: signal, shape ``(n_samples,)``, finite float samples (integer audio is refused: divide int16
            samples by 32768).
        sr: sample rate in Hz, 100 to 384000 (the x axis is in seconds).
        ax: axes to draw into (``None``: a new figure).

    Returns:
        The ``Line2D`` drawn.
    """
    y = _check_signal(y)
    sr = _check_sr(sr)
    ax = _axes(ax)
    t = np.arange(len(y)) / sr
    (line,) = ax.plot(t, y, lw=line_kwargs.pop("lw", 0.8), **line_kwargs)
    ax.set(xlabel="time (s)", ylabel="amplitude", title=title, xlim=(0, max(len(y) / sr, 1 / sr)))
    return line


def plot_spectrogram(S_db: np.ndarray, sr: int, hop_size: int, *, ax=None, y_axis: str = "linear",
                     fmax: float | None = None, title: str = "", colorbar: bool = False, **image_kwargs):
    """Draw a (dB-scaled) spectrogram with time in seconds and frequency in Hz.

    Args:
        S_db: spectrogram in dB, shape ``(n_bins, n_frames)``.
        sr: sample rate in Hz, 100 to 384000.
        hop_size: hop between frames, in samples, 1 to 65536 (sets the time axis).
        ax: axes to draw into (``None``: a new figure).
        y_axis: ``"linear"`` (STFT bins up to ``sr/2``) or ``"mel"`` (mel bands, shown by index
            with their centre frequencies as tick labels, up to ``fmax``).
        fmax: highest frequency of a mel spectrogram in Hz, in (0, sr/2] (default ``sr/2``).
        colorbar: add a colour bar labelled in dB (True or False).

    Returns:
        The ``AxesImage`` drawn.
    """
    S_db = _check_image(S_db)
    sr = _check_sr(sr)
    hop_size = _check_int("hop_size", hop_size, maximum=MAX_BLOCK_SIZE, unit="samples")
    colorbar = _check_bool("colorbar", colorbar)
    if fmax is not None:
        if isinstance(fmax, (bool, np.bool_)) or not isinstance(fmax, (int, float, np.integer, np.floating)):
            raise TypeError(f"fmax must be None or a number in (0, {sr / 2:g}] Hz, got {fmax!r}")
        if not 0 < fmax <= sr / 2:
            raise ValueError(f"fmax must be None or a number in (0, {sr / 2:g}] Hz, got {fmax!r}")
    if not isinstance(y_axis, str) or y_axis not in ("linear", "mel"):
        raise ValueError(f"y_axis must be 'linear' or 'mel', got {y_axis!r}")
    ax = _axes(ax)
    n_bins, n_frames = S_db.shape
    duration = n_frames * hop_size / sr
    if y_axis == "linear":
        extent = (0, duration, 0, sr / 2)
        ylabel = "frequency (Hz)"
    elif y_axis == "mel":
        extent = (0, duration, -0.5, n_bins - 0.5)
        ylabel = "mel band"
    else:
        raise ValueError(f"y_axis must be 'linear' or 'mel', got {y_axis!r}")
    image = ax.imshow(S_db, origin="lower", aspect="auto", extent=extent, interpolation="nearest", **image_kwargs)
    if y_axis == "mel":
        import librosa

        centres = librosa.mel_frequencies(n_mels=n_bins + 2, fmax=fmax or sr / 2)[1:-1]
        ticks = np.linspace(0, n_bins - 1, min(n_bins, 5)).round().astype(int)
        ax.set_yticks(ticks, [f"{centres[i]:.0f} Hz" for i in ticks])
        ylabel = "mel band (centre)"
    ax.set(xlabel="time (s)", ylabel=ylabel, title=title)
    ax.grid(False)
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label="dB")
    return image

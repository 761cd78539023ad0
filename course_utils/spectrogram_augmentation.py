"""Spectrogram augmentation with the image library albumentations, without its traps for dB values.

Notebook: ``03_data_augmentation.ipynb`` (section 4, and the ``spectrogram_augmentation`` explorer).

A spectrogram of shape ``(n_bins, n_frames)`` is an image of height = frequency and width = time, so
albumentations' "x" is time and its "y" is frequency. Here:

* :func:`augment_spectrogram` applies one named transform (:data:`SPECTROGRAM_TRANSFORMS`) with a fixed
  strength; :func:`make_spectrogram_augmenter` builds a seeded random pipeline (a :class:`SpectrogramAugmenter`);
* :func:`to_unit_range`, :func:`from_unit_range` and :func:`apply_image_transform` do the mapping to [0, 1]
  and back around any albumentations transform;
* :func:`check_silence_fill` checks the notebook's exercise on the fill value that means silence.

Three traps of albumentations 2.0.8 on dB spectrograms are avoided (the notebook shows each by running the
library): pixel-level transforms clip float32 images to [0, 1] (we map to [0, 1] and back), a fill value of
0 means 0 dB, i.e. power 1, rather than silence (we fill with the spectrogram's floor by default), and a
single integer count or width ``n`` is read as the range (0, n) (we pass explicit ranges).

Waveform augmentation is in :mod:`course_utils.augmentation`, whose argument checks this module shares.
albumentations is imported inside the functions that need it, after ``NO_ALBUMENTATIONS_UPDATE=1`` is set
(unless already set) so that importing it does not contact PyPI for an update check.
"""

from __future__ import annotations

import os

import numpy as np

from course_utils._arguments import _check_bool
from course_utils.augmentation import _check_count, _check_probability, _check_range, _check_seed
from course_utils.checks import records_attempt

os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")

__all__ = [
    "SPECTROGRAM_TRANSFORMS",
    "to_unit_range",
    "from_unit_range",
    "apply_image_transform",
    "augment_spectrogram",
    "SpectrogramAugmenter",
    "make_spectrogram_augmenter",
    "check_silence_fill",
]


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
    low = float(S.min()) if low is None else _check_level("low", low)
    high = float(S.max()) if high is None else _check_level("high", high)
    if high < low:
        raise ValueError(f"high must be >= low (high in [{low:g}, 1e+06]), got low={low!r}, high={high!r}")
    span = high - low if high > low else 1.0
    U = np.clip((S - low) / span, 0.0, 1.0).astype(np.float32)
    return U, low, high


def from_unit_range(U: np.ndarray, low: float, high: float) -> np.ndarray:
    """Undo :func:`to_unit_range`: ``S = low + U (high - low)``, float32, same shape as ``U``.

    The result always lies in [low, high]: values of ``U`` outside [0, 1] are clipped, and when
    ``low == high`` (a constant spectrogram, whose range holds a single value) every cell is ``low``.

    Args:
        U: np.ndarray of float values (nominally in [0, 1]), finite.
        low, high: finite numbers with ``low <= high``, within [-1e6, 1e6], as :func:`to_unit_range` returned.

    Notebook: ``03_data_augmentation.ipynb``.
    """
    low, high = _check_level("low", low), _check_level("high", high)
    if high < low:
        raise ValueError(f"high must be >= low (high in [{low:g}, 1e+06]), got low={low!r}, high={high!r}")
    try:
        U = np.asarray(U, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"U must be an array of numbers in [0, 1], got {type(U).__name__}") from None
    if not np.all(np.isfinite(U)):
        raise ValueError("U must hold finite numbers in [0, 1] (no NaN or infinity)")
    if high == low:  # a single value: whatever the transform did to U, the only value in range is low
        return np.full(U.shape, low, dtype=np.float32)
    return np.clip(low + np.clip(U, 0.0, 1.0) * (high - low), low, high).astype(np.float32)


def _check_level(name: str, value) -> float:
    """A finite value in the spectrogram's unit (dB), within [-1e6, 1e6]."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number in [-1e+06, 1e+06] (the spectrogram's unit), got {value!r}")
    if not -1e6 <= value <= 1e6:  # also refuses NaN
        raise ValueError(f"{name} must be a number in [-1e+06, 1e+06] (the spectrogram's unit), got {value!r}")
    return float(value)


def _check_spectrogram(S, name: str = "S") -> np.ndarray:
    try:
        S = np.asarray(S)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a 2D float array (n_bins, n_frames), got {type(S).__name__}") from None
    if S.ndim != 2:
        raise ValueError(f"{name} must be a spectrogram with shape (n_bins, n_frames), got shape {S.shape}")
    if min(S.shape) < 2:
        raise ValueError(f"{name} must have at least 2 bins and 2 frames, got shape {S.shape}")
    if not np.issubdtype(S.dtype, np.floating):
        raise TypeError(f"{name} must be a float array, got dtype {S.dtype}")
    if S.size > 50_000_000:
        raise ValueError(f"{name} must hold at most 50000000 values, got shape {S.shape}")
    if not np.all(np.isfinite(S)):
        raise ValueError(f"{name} contains NaN or infinite values (use a dB scale with a floor, e.g. top_db=80)")
    if np.max(np.abs(S)) > 1e6:
        raise ValueError(f"{name} must hold values in [-1e+06, 1e+06] (e.g. dB), got up to {np.max(np.abs(S)):g}")
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
    if seed is None or isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise TypeError(f"seed must be an integer from 0 to 2**32 - 1 (the same seed gives the same draw), got {seed!r}")
    import albumentations as A

    if not isinstance(transform, (A.BasicTransform, A.BaseCompose)):
        raise TypeError(f"transform must be an albumentations transform such as A.XYMasking(...), got "
                        f"{type(transform).__name__} (augment_spectrogram takes a transform's name)")
    S = _check_spectrogram(S)
    seed = _check_seed(seed)
    unit_range = _check_bool("unit_range", unit_range)
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
            spectrogram's own unit. ``0.0`` (albumentations' default) is 0 dB, i.e. a power of 1 for a
            spectrogram in dB re 1.0 such as :func:`course_utils.representations.log_mel_spectrogram`'s:
            neither silence nor full scale, just a level somewhere inside the clip's range (the notebook's
            5 s speech clip spans about -59 to +21 dB), so a 0 dB mask looks like steady sound, not a gap.
        unit_range: map to [0, 1] and back around the transform (see :func:`apply_image_transform`);
            False passes the dB values to albumentations unchanged (to show what goes wrong).
        seed: seed of the transform's random choices (positions, crop, brightness).

    Returns:
        np.ndarray, shape (n_bins, n_frames), float32. With ``unit_range=True`` the values stay within
        [min(S), max(S)] (a fill outside that range is clipped to it; a constant spectrogram stays
        constant, also under ``brightness_contrast``).

    Notebook: ``03_data_augmentation.ipynb``.
    """
    if seed is None or isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise TypeError(f"seed must be an integer from 0 to 2**32 - 1 (the same seed gives the same draw), got {seed!r}")
    import albumentations as A

    S = _check_spectrogram(S)
    unit_range = _check_bool("unit_range", unit_range)
    if not isinstance(transform, str) or transform not in SPECTROGRAM_TRANSFORMS:
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
        time_flip: add ``HorizontalFlip`` (plays the sound backwards: no recording sounds like that, so
            :func:`course_utils.augmentation_labels.label_safety` rules it out for every kind of label).
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
# "Your turn" checker

@records_attempt("silence_fill")
def check_silence_fill(answer, S_db: np.ndarray):
    """Exercise: the fill value (in dB) that makes a masked region look like silence in this spectrogram.

    Reference: the spectrogram's minimum (its floor; with ``top_db=80`` it is 80 dB below the maximum).

    Notebook: ``03_data_augmentation.ipynb``.
    """
    from course_utils.checks import Check, as_number, right, wrong

    S_db = _check_spectrogram(S_db, "S_db")
    expected = float(S_db.min())
    value = as_number(answer, name="the fill value (in dB)")
    if isinstance(value, Check):
        return value
    if np.isclose(value, expected, atol=0.5):
        return right(f"{expected:.1f} dB is this spectrogram's floor: the quietest value, what silence looks like.")
    if value == 0:
        below = float(np.mean(S_db < 0))
        return wrong(f"0 dB means a power of 1 here, not silence: {below:.0%} of this spectrogram's cells are "
                     "quieter than that, so a 0 dB mask looks like sound; silence is the floor.")
    if value > expected:
        return wrong(f"{value:g} dB is louder than the quietest cells; look at S_db.min().")
    return wrong(f"{value:g} dB is below anything in this spectrogram; silence here is its floor.")

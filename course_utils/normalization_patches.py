"""Real log-mel spectrogram patches (FSDD) for the normalization notebook, and scikit-learn's 2-D layout of them.

Notebook: ``02_data_normalization.ipynb`` (lecture section 2, "Data normalization"), sections 2 to 5 and
the ``normalization`` explorer.

:func:`fsdd_patch_sets` and :func:`recording_patches` make the patches (:data:`PATCH_SETTINGS`),
:func:`example_batch` and :func:`side_by_side` pick and show a small batch, :func:`add_click` adds the
outlier, and :func:`patches_to_matrix` / :func:`matrix_to_patches` reshape patches for scikit-learn's
scalers and back. Every name here is also importable from :mod:`course_utils.normalization`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


__all__ = [
    "PATCH_SETTINGS", "PatchSet", "recording_patches", "fsdd_patch_sets", "example_batch", "side_by_side",
    "add_click", "patches_to_matrix", "matrix_to_patches",
]

# --------------------------------------------------------------------------------------------------
# Real spectrogram patches (FSDD) for sections 2-5 and the explorer

#: Settings of the FSDD log-mel patches used in the notebook (8 kHz recordings): 32 ms blocks,
#: 8 ms hop, 32 mel bands, patches of 16 frames (128 ms) every 8 frames, and no ``top_db`` floor
#: (a floor relative to the loudest value would move whenever a loud click is added).
PATCH_SETTINGS = {"block_size": 256, "hop_size": 64, "n_mels": 32, "patch_length": 16, "patch_hop": 8,
                  "top_db": None}


@dataclass(frozen=True)
class PatchSet:
    """Log-mel spectrogram patches of several recordings.

    Attributes:
        patches: np.ndarray, shape ``(n_patches, n_bins, patch_length)``, float32, in dB (read-only).
        recording: np.ndarray of int, shape ``(n_patches,)``: which recording (index into ``audio``) each
            patch comes from.
        audio: tuple of the recordings, float32 arrays of shape ``(n_samples,)``.
        labels: np.ndarray of int, shape ``(n_recordings,)``: the spoken digit of each recording.
        speakers: np.ndarray of str, shape ``(n_recordings,)``.
        sr: sample rate in Hz.
        settings: the framing and patch parameters (:data:`PATCH_SETTINGS`).

    Notebook: ``02_data_normalization.ipynb``.
    """

    patches: np.ndarray
    recording: np.ndarray
    audio: tuple
    labels: np.ndarray
    speakers: np.ndarray
    sr: int
    settings: dict

    def __len__(self):
        return len(self.patches)


def recording_patches(y, sr, settings=None):
    """Log-mel patches of one recording, ``(n_patches, n_bins, patch_length)`` (empty if it is too short).

    Uses :func:`course_utils.representations.log_mel_spectrogram` and
    :func:`~course_utils.representations.extract_patches` with :data:`PATCH_SETTINGS` (or ``settings``, a
    dict that overrides some of its keys). ``y`` is a mono float signal, shape ``(n_samples,)``; integer
    audio is refused (divide int16 samples by 32768), as by every function of the course that takes a signal.

    Notebook: ``02_data_normalization.ipynb``.
    """
    from course_utils.representations import _check_signal, extract_patches, log_mel_spectrogram

    y = _check_signal(y)
    if settings is not None and not isinstance(settings, dict):
        raise TypeError(f"settings must be None or a dict with some of the keys {list(PATCH_SETTINGS)}; "
                        f"got {type(settings).__name__}.")
    unknown = set(settings or {}) - set(PATCH_SETTINGS)
    if unknown:
        raise ValueError(f"settings may only hold the keys {list(PATCH_SETTINGS)}; got {sorted(map(str, unknown))}.")
    s = dict(PATCH_SETTINGS, **(settings or {}))
    needed = s["block_size"] + (s["patch_length"] - 1) * s["hop_size"]
    if len(y) < needed:
        return np.zeros((0, s["n_mels"], s["patch_length"]), dtype=np.float32)
    S = log_mel_spectrogram(y, sr, s["block_size"], s["hop_size"], s["n_mels"], top_db=s["top_db"])
    if S.shape[1] < s["patch_length"]:
        return np.zeros((0, s["n_mels"], s["patch_length"]), dtype=np.float32)
    return np.ascontiguousarray(extract_patches(S, s["patch_length"], s["patch_hop"]))


_PATCH_CACHE: dict = {}


def fsdd_patch_sets(n_train: int = 150, n_test: int = 50, seed: int = 0) -> tuple[PatchSet, PatchSet]:
    """Training and test patches from FSDD's official split (a seeded random choice of recordings).

    Recordings too short for one patch are skipped. Results are cached (the same arguments return the
    same, read-only arrays).

    Args:
        n_train: number of training recordings (1 to 2700).
        n_test: number of test recordings (1 to 300).
        seed: seed of the choice of recordings.

    Returns:
        ``(train, test)``: two :class:`PatchSet`.

    Notebook: ``02_data_normalization.ipynb``.
    """
    from course_utils.data import load_fsdd, official_split
    from course_utils.normalization import _check_count

    n_train = _check_count("n_train", n_train, 1, 2700)
    n_test = _check_count("n_test", n_test, 1, 300)
    seed = _check_count("seed", seed, 0, 2**32 - 1)
    key = (n_train, n_test, seed)
    if key in _PATCH_CACHE:
        return _PATCH_CACHE[key]
    collection = load_fsdd(progress=False)
    train_idx, test_idx = official_split(collection)
    if not 1 <= n_train <= len(train_idx):
        raise ValueError(f"n_train must be in [1, {len(train_idx)}]; got {n_train!r}.")
    if not 1 <= n_test <= len(test_idx):
        raise ValueError(f"n_test must be in [1, {len(test_idx)}]; got {n_test!r}.")
    rng = np.random.default_rng(seed)
    sets = []
    for pool, count in ((train_idx, n_train), (test_idx, n_test)):
        chosen = np.sort(rng.choice(pool, size=count, replace=False))
        audio, patches, owner, keep = [], [], [], []
        for i in chosen:
            p = recording_patches(collection.audio[i], collection.sr)
            if len(p):
                owner.append(np.full(len(p), len(audio)))
                audio.append(collection.audio[i])
                patches.append(p)
                keep.append(i)
        X = np.concatenate(patches)
        X.setflags(write=False)
        sets.append(PatchSet(patches=X, recording=np.concatenate(owner), audio=tuple(audio),
                             labels=collection.labels[keep], speakers=collection.speakers[keep],
                             sr=collection.sr, settings=dict(PATCH_SETTINGS)))
    _PATCH_CACHE[key] = tuple(sets)
    return _PATCH_CACHE[key]


def example_batch(patch_set: PatchSet, n_patches: int = 6) -> np.ndarray:
    """One patch from each of ``n_patches`` recordings of different loudness: a small, varied batch.

    The recordings are spread evenly over the range of peak amplitudes; from each the middle patch is
    taken, and the patches are ordered by their mean level, from the quietest to the loudest.

    Args:
        patch_set: a :class:`PatchSet`.
        n_patches: how many patches (at most the number of recordings).

    Returns:
        np.ndarray, shape ``(n_patches, n_bins, patch_length)``, float64, ordered by mean level (dB).

    Notebook: ``02_data_normalization.ipynb``.
    """
    from course_utils.normalization import _check_count

    if not isinstance(patch_set, PatchSet):
        raise TypeError(f"patch_set must be a PatchSet (from fsdd_patch_sets); got {type(patch_set).__name__}.")
    n_recordings = len(patch_set.audio)
    n_patches = _check_count("n_patches", n_patches, 1, n_recordings)
    order = np.argsort([np.abs(y).max() for y in patch_set.audio])
    chosen = order[np.linspace(0, n_recordings - 1, n_patches).round().astype(int)]
    rows = []
    for r in chosen:
        idx = np.flatnonzero(patch_set.recording == r)
        rows.append(idx[len(idx) // 2])
    batch = np.asarray(patch_set.patches[rows], dtype=np.float64)
    return batch[np.argsort(batch.mean(axis=(1, 2)), kind="stable")]


def side_by_side(patches, gap: int = 1) -> np.ndarray:
    """Patches ``(n_patches, n_bins, patch_length)`` as one image ``(n_bins, width)``, NaN columns between them.

    Shows a batch with ``imshow`` (NaN is drawn as empty). ``width = n_patches * (patch_length + gap) - gap``;
    ``gap`` is 0 to 100 columns.

    Notebook: ``02_data_normalization.ipynb``.
    """
    from course_utils.normalization import _as_finite_array, _check_count

    gap = _check_count("gap", gap, 0, 100)
    patches = _as_finite_array(patches, "patches").astype(np.float64)
    if patches.ndim != 3:
        raise ValueError(f"patches must have shape (n_patches, n_bins, patch_length); got {patches.shape}.")
    n, n_bins, length = patches.shape
    image = np.full((n_bins, n * (length + gap) - gap), np.nan)
    for i, patch in enumerate(patches):
        start = i * (length + gap)
        image[:, start:start + length] = patch
    return image


def add_click(y, amplitude: float, position: float = 0.5, length: int = 80) -> np.ndarray:
    """A copy of ``y`` with a loud click (a short rectangular pulse) added: the outlier of the notebook.

    Args:
        y: signal, shape ``(n_samples,)``.
        amplitude: click amplitude (0 gives an unchanged copy), in [0, 1].
        position: where the click starts, as a fraction of the signal's length, in [0, 1).
        length: click length in samples, 1 to 1,000,000; 80 samples are 10 ms at FSDD's 8 kHz.

    Returns:
        np.ndarray, shape ``(n_samples,)``, float32.

    Notebook: ``02_data_normalization.ipynb``.
    """
    from course_utils.normalization import _check_count, _check_real
    from course_utils.representations import _check_signal

    amplitude = _check_real("amplitude", amplitude, 0.0, 1.0)
    position = _check_real("position", position, 0.0, 1.0, high_open=True)
    length = _check_count("length", length, 1, 1_000_000)
    out = np.array(_check_signal(y), dtype=np.float32, copy=True)
    start = int(position * len(out))
    out[start:start + length] += amplitude
    return out


# --------------------------------------------------------------------------------------------------
# Section 5: from patches to the 2-D feature matrices scikit-learn's scalers expect

_MATRIX_SCOPES = ("frequency", "feature")


def patches_to_matrix(X, scope: str = "frequency") -> np.ndarray:
    """Reshape patches so that a scikit-learn scaler computes the statistics of ``scope``.

    scikit-learn's scalers take a matrix ``(n_samples, n_features)`` and compute one statistic per column.

    * ``scope="frequency"``: every frame of every patch becomes a row and every mel band a column,
      shape ``(n_patches * patch_length, n_bins)``: one statistic per band.
    * ``scope="feature"``: every patch becomes a row, shape ``(n_patches, n_bins * patch_length)``:
      one statistic per (band, frame position) pair.

    Args:
        X: patches, shape ``(n_patches, n_bins, patch_length)``.
        scope: ``"frequency"`` or ``"feature"``.

    Returns:
        The matrix (a copy for ``"frequency"``, a view where possible for ``"feature"``).

    Notebook: ``02_data_normalization.ipynb``.
    """
    from course_utils.normalization import _check_choice

    _check_choice(scope, _MATRIX_SCOPES, "scope")
    X = np.asarray(X)
    if X.ndim != 3:
        raise ValueError(f"X must be patches of shape (n_patches, n_bins, patch_length); got shape {X.shape}.")
    if scope == "frequency":
        return X.transpose(0, 2, 1).reshape(-1, X.shape[1])
    return X.reshape(X.shape[0], -1)


def matrix_to_patches(M, shape, scope: str = "frequency") -> np.ndarray:
    """Undo :func:`patches_to_matrix`: the matrix ``M`` back to patches of ``shape``.

    Args:
        M: matrix made by :func:`patches_to_matrix` (or a scaler's output for it).
        shape: ``(n_patches, n_bins, patch_length)`` of the original patches.
        scope: the ``scope`` used for :func:`patches_to_matrix`.

    Returns:
        np.ndarray of ``shape``.

    Notebook: ``02_data_normalization.ipynb``.
    """
    from course_utils.normalization import _check_choice, _check_count

    _check_choice(scope, _MATRIX_SCOPES, "scope")
    if isinstance(shape, (str, bytes)) or not hasattr(shape, "__len__") or len(shape) != 3:
        raise ValueError(f"shape must be three integers (n_patches, n_bins, patch_length), each in [1, 10**9]; "
                         f"got {shape!r}.")
    n_patches, n_bins, patch_length = (_check_count(f"shape[{i}]", value, 1, 10**9) for i, value in enumerate(shape))
    M = np.asarray(M)
    if M.size != n_patches * n_bins * patch_length:
        raise ValueError(f"M has {M.size} values but shape {tuple(shape)} needs {n_patches * n_bins * patch_length}.")
    if scope == "frequency":
        return M.reshape(n_patches, patch_length, n_bins).transpose(0, 2, 1)
    return M.reshape(n_patches, n_bins, patch_length)

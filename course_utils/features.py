"""Features of recordings for the programming session, and their on-disk cache.

Notebook: ``06_programming_session.ipynb`` (the training, the evaluation and the experiments that use
these features are in :mod:`course_utils.classification`).

=====================================  ===================================================================
step                                   function
=====================================  ===================================================================
features of one recording              :func:`file_features`
features of a collection (cached)      :func:`compute_features` -> :class:`FeatureSet`
augmented training features (cached)   :func:`augmented_features`
your own recordings                    :func:`trim_silence`
=====================================  ===================================================================

Two representations (``FeatureParams.representation``):

``"mfcc_frames"``
    One MFCC vector per frame (``n_mfcc`` coefficients, optionally followed by their deltas); every
    frame is one training example labelled with its file's digit. A file's decision is the mean of its
    frames' class probabilities. With ``per_file_norm`` each file's coefficients are standardised over
    its own frames (cepstral mean and variance normalization, CMVN), which removes much of what the
    microphone and the voice add to every frame alike.
``"logmel_patch"``
    One fixed-size log-mel patch per file, ``(n_mels, patch_length)``, flattened into a vector of
    ``n_mels * patch_length`` numbers. ``patch_mode="centre"`` crops (or pads) the spectrogram to
    ``patch_length`` frames centred on the recording's energy; ``"stretch"`` resamples the time axis
    of the whole recording to ``patch_length`` frames, so a slow and a fast "seven" line up. With
    ``per_file_norm`` each mel band is standardised over the file's frames.

Feature cache
-------------
Features are stored under ``<course_utils.data.cache_dir()>/features/`` as one ``.npz`` file per
key. The key is a SHA-256 of: the feature parameters; the code's ``FEATURE_VERSION``; a hash of the source
of :mod:`course_utils.representations` and :mod:`course_utils.normalization` (for augmented features also
:mod:`course_utils.augmentation`) and of the installed librosa and NumPy (and audiomentations) versions;
a fingerprint of the recordings (a BLAKE2 hash of every sample, the sample rate and the labels, plus the
FSDD registry's checksum when the recordings come from FSDD); and, for augmented features, the
augmentation settings, the number of copies and the seed. Changing any of these gives a new key, so a
stale file is not read. This module's own source is not hashed (editing a docstring here keeps the
cache): a change to it that changes the numbers must bump ``FEATURE_VERSION``. Files are
written to a temporary name in the same folder, flushed to disk and moved into place with
``os.replace``, so an interrupted run or a full disk never leaves a half-written cache file.

The cache never costs the work it was meant to save: a damaged file (truncated, or altered by a single
byte: the zip format's CRC-32 catches it) is named in a warning, removed and computed again, and a cache
folder that cannot be written (read-only, full disk, ``COURSE_DATA_DIR`` naming a file) is named in one
warning per folder, after which the features are returned without being cached.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from course_utils._arguments import _check_bool, _check_choice, _check_fraction, _check_int, _check_signal
from course_utils._memory import release_memory

__all__ = [
    "FEATURE_VERSION",
    "REPRESENTATIONS",
    "PATCH_MODES",
    "DEFAULT_AUGMENTATION",
    "FeatureParams",
    "FeatureSet",
    "file_features",
    "compute_features",
    "augmented_features",
    "feature_cache_dir",
    "feature_cache_key",
    "clear_feature_cache",
    "collection_fingerprint",
    "trim_silence",
]

#: Bump when the feature code changes in a way that changes its numbers (invalidates every cache file).
FEATURE_VERSION = 1
REPRESENTATIONS = ("mfcc_frames", "logmel_patch")
PATCH_MODES = ("centre", "stretch")

#: Augmentation settings of the held-out-speaker experiment (arguments of ``make_audio_augmenter``).
DEFAULT_AUGMENTATION = {"shift_max_ms": 100.0, "semitones": 2.0, "snr_db": (15.0, 40.0), "p": 0.5}


@dataclass(frozen=True)
class FeatureParams:
    """Everything that decides the numbers of a feature set (and therefore its cache key).

    Attributes:
        representation: ``"mfcc_frames"`` (one example per frame) or ``"logmel_patch"`` (one per file).
        block_size: W_f, frame length in samples (256 samples = 32 ms at FSDD's 8 kHz).
        hop_size: H_f, hop between frames in samples (128 samples = 16 ms at 8 kHz).
        n_mfcc: MFCC coefficients per frame (``"mfcc_frames"``).
        deltas: append the first time derivative of every coefficient (``"mfcc_frames"``), which
            doubles ``n_features``.
        n_mels: mel bands (of the patch, or that the MFCCs are computed from).
        patch_length: W_p, frames of the fixed-size patch (``"logmel_patch"``).
        patch_mode: ``"centre"`` (crop/pad centred on the energy) or ``"stretch"`` (resample the
            recording's frames to ``patch_length``).
        per_file_norm: standardise each coefficient (or mel band) over the file's own frames.
    """

    representation: str = "mfcc_frames"
    block_size: int = 256
    hop_size: int = 128
    n_mfcc: int = 13
    deltas: bool = True
    n_mels: int = 40
    patch_length: int = 32
    patch_mode: str = "stretch"
    per_file_norm: bool = True

    def __post_init__(self):
        _check_choice("representation", self.representation, REPRESENTATIONS)
        _check_int("block_size", self.block_size, 16, 8192)
        _check_int("hop_size", self.hop_size, 1, self.block_size)
        _check_int("n_mels", self.n_mels, 1, 256)
        _check_int("n_mfcc", self.n_mfcc, 1, self.n_mels)
        _check_int("patch_length", self.patch_length, 1, 1000)
        _check_choice("patch_mode", self.patch_mode, PATCH_MODES)
        for name in ("deltas", "per_file_norm"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise TypeError(f"{name} must be True or False, got {getattr(self, name)!r}")

    @property
    def n_features(self) -> int:
        """Length of one example vector."""
        if self.representation == "mfcc_frames":
            return self.n_mfcc * (2 if self.deltas else 1)
        return self.n_mels * self.patch_length

    @property
    def frame_level(self) -> bool:
        """Whether a file gives several examples (frames) rather than one."""
        return self.representation == "mfcc_frames"

    def describe(self, sr: int | None = None) -> str:
        """One line that says what an example is."""
        ms = (lambda n: f" ({1000 * n / sr:.0f} ms)") if sr else (lambda n: "")
        frames = f"block_size={self.block_size}{ms(self.block_size)}, hop_size={self.hop_size}{ms(self.hop_size)}"
        norm = ", normalized per file" if self.per_file_norm else ""
        if self.frame_level:
            what = f"{self.n_mfcc} MFCCs" + (" + their deltas" if self.deltas else "")
            return f"one vector of {what} per frame ({self.n_features} numbers; {frames}{norm})"
        how = "stretched" if self.patch_mode == "stretch" else "cropped/padded around the energy"
        return (f"one {self.n_mels} x {self.patch_length} log-mel patch per file, {how}, flattened "
                f"({self.n_features} numbers; {frames}{norm})")


def _padded(y: np.ndarray, block_size: int) -> np.ndarray:
    """A clip shorter than one block gets zeros appended so that it still gives one frame."""
    return np.pad(y, (0, block_size - len(y))) if len(y) < block_size else y


def _delta(F: np.ndarray) -> np.ndarray:
    """First time derivative of each column of ``F`` (n_frames, n_coef): a centred difference over +-2 frames.

    The regression formula of speech recognition, d_t = sum_k k (c_{t+k} - c_{t-k}) / (2 sum_k k^2) with
    k = 1, 2 and the edge frames repeated (what ``librosa.feature.delta(width=5, mode="nearest")`` gives).
    """
    padded = np.pad(F, ((2, 2), (0, 0)), mode="edge")
    n = F.shape[0]
    return ((padded[3:3 + n] - padded[1:1 + n]) + 2 * (padded[4:4 + n] - padded[0:n])) / 10.0


def _stretch(S: np.ndarray, length: int) -> np.ndarray:
    """Resample the columns (time axis) of ``S`` (n_bins, n_frames) linearly to ``length`` columns."""
    n = S.shape[1]
    if n == 1:
        return np.repeat(S, length, axis=1)
    x = np.linspace(0.0, n - 1, length)
    left = np.floor(x).astype(int)
    right_ = np.minimum(left + 1, n - 1)
    w = (x - left)[None, :]
    return S[:, left] * (1 - w) + S[:, right_] * w


def _centre_crop(S: np.ndarray, length: int) -> np.ndarray:
    """Crop or pad ``S`` (n_bins, n_frames) to ``length`` frames centred on its energy (pad with its minimum)."""
    n = S.shape[1]
    if n >= length:
        energy = np.power(10.0, (S - S.max()) / 10.0).sum(axis=0)  # dB -> power per frame, relative to the peak
        centre = int(round(float((np.arange(n) * energy).sum() / energy.sum())))  # (no overflow; the sum is >= 1)
        start = int(np.clip(centre - length // 2, 0, n - length))
        return S[:, start:start + length]
    pad = length - n
    return np.pad(S, ((0, 0), (pad // 2, pad - pad // 2)), constant_values=float(S.min()))


def file_features(y: np.ndarray, sr: int, params: FeatureParams | None = None) -> np.ndarray:
    """The examples of one recording.

    Args:
        y: mono recording of float samples in [-1, 1], shape ``(n_samples,)``, at least one sample; a clip
            shorter than ``block_size`` is zero-padded.
        sr: sample rate in Hz, an integer from 1000 to 384000.
        params: the feature parameters (default :class:`FeatureParams()`).

    Returns:
        ``"mfcc_frames"``: shape ``(n_frames, n_features)``; ``"logmel_patch"``: shape
        ``(1, n_mels * patch_length)`` (the patch flattened band by band). float32.

    Raises:
        ValueError: ``y`` is empty, not mono, or holds NaN or infinite samples; ``sr`` is out of range.
        TypeError: ``y`` holds integers (int16 audio: divide by 32768 first), ``sr`` is not an integer
            (``True`` is refused), or ``params`` is not a :class:`FeatureParams`.

    Notebook: ``06_programming_session.ipynb``.
    """
    from course_utils.normalization import normalize
    from course_utils.representations import log_mel_spectrogram, mfcc_frames

    params = _check_params(params)
    sr = _check_int("sr", sr, 1000, 384000)
    y = _padded(_check_signal("y", y), params.block_size)
    if params.frame_level:
        F = mfcc_frames(y, sr, block_size=params.block_size, hop_size=params.hop_size, n_mfcc=params.n_mfcc,
                        n_mels=params.n_mels)
        if params.deltas:
            F = np.hstack([F, _delta(F)])
        if params.per_file_norm and F.shape[0] > 1:
            F = normalize(F, "zscore", scope="feature", ddof=0)  # CMVN: each column over the file's frames
        return np.ascontiguousarray(F, dtype=np.float32)
    S = log_mel_spectrogram(y, sr, block_size=params.block_size, hop_size=params.hop_size, n_mels=params.n_mels)
    if params.patch_mode == "stretch":
        S = _stretch(S, params.patch_length)
    else:
        S = _centre_crop(S, params.patch_length)
    if params.per_file_norm:
        S = normalize(S, "zscore", scope="frequency", ddof=0, layout="spectrogram")
    return np.ascontiguousarray(S.reshape(1, -1), dtype=np.float32)


def _check_params(params) -> FeatureParams:
    if params is None:
        return FeatureParams()
    if not isinstance(params, FeatureParams):
        raise TypeError(f"params must be a FeatureParams (or None for the defaults), got {type(params).__name__}")
    return params


def _check_collection(collection):
    """``collection`` if it is an :class:`~course_utils.data.AudioCollection` of usable recordings."""
    from course_utils.data import AudioCollection

    if not isinstance(collection, AudioCollection):
        raise TypeError("collection must be an AudioCollection (from load_fsdd or load_folder), "
                        f"got {type(collection).__name__}")
    if len(collection) == 0:
        raise ValueError("collection must hold at least one recording, got an empty one")
    _check_int("collection.sr", collection.sr, 1000, 384000)
    for i, y in enumerate(collection.audio):
        _check_signal(f"collection.audio[{i}] ({collection.paths[i] if i < len(collection.paths) else 'no path'})", y)
    return collection


def _check_indices(name: str, index, n: int | None = None) -> np.ndarray:
    """``index`` as a 1-D int array of recording indices, from 0 to ``n - 1`` when ``n`` is given (empty allowed).

    Booleans and fractions are refused: ``np.asarray(..., dtype=int)`` would turn ``[True]`` into recording 1.
    """
    array = np.asarray(index)
    if array.size == 0:
        return np.zeros(0, dtype=int)
    if array.dtype == bool or not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"{name} must be integer indices of recordings, got dtype {array.dtype}; "
                        "for a boolean mask pass np.flatnonzero(mask)")
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D list of indices, got shape {array.shape}")
    if n is not None and (array.min() < 0 or array.max() >= n):
        raise ValueError(f"{name} must be indices of recordings from 0 to {n - 1}, got {int(array.min())} "
                         f"to {int(array.max())}")
    return array.astype(int)


@dataclass
class FeatureSet:
    """Examples of a collection of recordings, stacked, with the file each example came from.

    Attributes:
        X: shape ``(n_examples, n_features)``, float32.
        file_index: shape ``(n_examples,)``, int: index of the recording (into the collection) that
            each example belongs to. Frames of one recording share one index; augmented copies share
            the index of the recording they were made from.
        labels: shape ``(n_examples,)``, int: the class of each example (its file's class).
        params: the :class:`FeatureParams` used.
        seconds: time it took to compute (or to load from the cache), in seconds.
        from_cache: whether ``X`` was read from the cache.
        cache_path: the cache file (``None`` when caching was off).
    """

    X: np.ndarray
    file_index: np.ndarray
    labels: np.ndarray
    params: FeatureParams
    seconds: float = 0.0
    from_cache: bool = False
    cache_path: Path | None = None

    def __len__(self) -> int:
        return len(self.X)

    def __repr__(self) -> str:
        n_files = len(np.unique(self.file_index))
        source = "from cache" if self.from_cache else "computed"
        return (f"FeatureSet({len(self.X)} examples x {self.X.shape[1]} features from {n_files} files, "
                f"{self.params.representation}, {source} in {self.seconds:.2f} s)")

    def select(self, files) -> FeatureSet:
        """The examples of the recordings ``files`` (indices into the collection), in their original order.

        Raises:
            TypeError: ``files`` are not integers (booleans are refused; for a mask use ``np.flatnonzero``).
        """
        mask = np.isin(self.file_index, _check_indices("files", files))
        return FeatureSet(self.X[mask], self.file_index[mask], self.labels[mask], self.params, self.seconds,
                          self.from_cache, self.cache_path)


def feature_cache_dir() -> Path:
    """Where feature files are cached: ``<course_utils.data.cache_dir()>/features``."""
    from course_utils.data import cache_dir

    return cache_dir() / "features"


def _fsdd_registry_digest(collection) -> str | None:
    """SHA-256 of the FSDD registry when every recording of ``collection`` comes from FSDD's cache folder."""
    from importlib import resources

    from course_utils.data import FSDD, cache_dir

    folder = cache_dir() / FSDD.name
    roots = tuple({os.path.abspath(folder) + os.sep, os.path.realpath(folder) + os.sep})
    if not collection.paths or not all(os.path.abspath(p).startswith(roots) for p in collection.paths):
        return None
    text = resources.files("course_utils.registry").joinpath(FSDD.registry).read_bytes()
    return hashlib.sha256(text).hexdigest()


def collection_fingerprint(collection) -> str:
    """A hash of every sample, the sample rate, the labels and the order of the recordings of ``collection``.

    Any change (another subset, a resampled or edited recording, a new dataset version) changes it.
    Hashing the 1,300 s of FSDD at 8 kHz takes about 0.05 s.
    """
    h = hashlib.blake2b(digest_size=20)
    h.update(str(int(collection.sr)).encode())
    for y in collection.audio:
        a = np.ascontiguousarray(y, dtype=np.float32)
        h.update(len(a).to_bytes(8, "little"))
        h.update(a.tobytes())
    h.update(np.asarray(collection.labels, dtype=np.int64).tobytes())
    return h.hexdigest()


def _code_fingerprint(augmented: bool) -> str:
    """A hash of the code the features depend on: the course modules' source files and the libraries' versions.

    Editing :mod:`course_utils.representations` or :mod:`course_utils.normalization` (or, for augmented
    features, :mod:`course_utils.augmentation`), or installing another librosa/audiomentations, therefore
    invalidates the cache as well.
    """
    import importlib.metadata as metadata

    from course_utils import augmentation, normalization, representations

    modules = [representations, normalization] + ([augmentation] if augmented else [])
    packages = ["librosa", "numpy"] + (["audiomentations"] if augmented else [])
    h = hashlib.sha256()
    for module in modules:
        h.update(Path(module.__file__).read_bytes())
    for package in packages:
        try:
            h.update(f"{package}=={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            h.update(package.encode())
    return h.hexdigest()


def feature_cache_key(params: FeatureParams, fingerprint: str, *, augmentation: dict | None = None,
                      registry_digest: str | None = None) -> str:
    """The cache key (hex SHA-256) of a feature set: parameters, code, data and augmentation."""
    description = {"version": FEATURE_VERSION, "code": _code_fingerprint(augmentation is not None),
                   "params": asdict(params), "data": fingerprint, "registry": registry_digest,
                   "augmentation": augmentation}
    return hashlib.sha256(json.dumps(description, sort_keys=True, default=str).encode()).hexdigest()


def clear_feature_cache() -> int:
    """Delete every cached feature file (and any temporary file a killed run left); returns how many were deleted."""
    folder = feature_cache_dir()
    count = 0
    if folder.is_dir():
        for path in [*folder.glob("*.npz"), *folder.glob("*.tmp")]:
            path.unlink(missing_ok=True)
            count += 1
    return count


#: Cache folders already named in an "unwritable" warning (one warning per folder and session, not per call).
_UNWRITABLE_WARNED: set = set()


def _warn_unwritable(folder, error: BaseException) -> None:
    if str(folder) in _UNWRITABLE_WARNED:
        return
    _UNWRITABLE_WARNED.add(str(folder))
    warnings.warn(
        f"the feature cache folder {folder} cannot be written ({type(error).__name__}: {error}). The features "
        "are computed and returned as usual but not cached, so they are computed again next time. To cache "
        "them, free some disk space or make the folder writable, or set the environment variable "
        "COURSE_DATA_DIR to a writable folder and restart the kernel; pass cache=False to skip the cache.",
        stacklevel=4,
    )


def _save_atomic(path: Path, **arrays) -> bool:
    """Write ``arrays`` to ``path`` through a temporary file in the same folder; ``False`` (with a warning) when
    the folder cannot be written. Either the whole new file is in place afterwards, or nothing changed."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.stem + ".", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())  # the data is on disk before the name points at it (power loss)
        os.replace(tmp, path)
        return True
    except OSError as error:  # read-only folder, full disk, quota, a file where the folder should be
        _warn_unwritable(path.parent, error)
        return False
    finally:
        if tmp is not None and os.path.exists(tmp):
            Path(tmp).unlink(missing_ok=True)


def _cache_folder() -> Path | None:
    """:func:`feature_cache_dir`, or ``None`` (after one warning) when ``COURSE_DATA_DIR`` cannot hold a cache."""
    from course_utils.data import DataError

    try:
        return feature_cache_dir()
    except DataError as error:
        _warn_unwritable(os.environ.get("COURSE_DATA_DIR", "(default)"), error)
        return None


def _cached_feature_set(path: Path, params, start: float):
    """The :class:`FeatureSet` kept at ``path`` (timed from ``start``), or ``None`` when there is none to use."""
    if not path.is_file():
        return None
    loaded = _load_cached(path, params)
    if loaded is None:
        return None
    return FeatureSet(*loaded, params, time.perf_counter() - start, True, path)


def _load_cached(path: Path, params: FeatureParams):
    """``(X, file_index, labels)`` from the cache file ``path``, or ``None`` when it cannot be used.

    A damaged file is named in a warning and removed, so that it is computed and written again once
    instead of failing on every later call.
    """
    try:
        with np.load(path) as data:
            X, file_index, labels = data["X"], data["file_index"], data["labels"]
    except FileNotFoundError:  # removed by another kernel in the meantime
        return None
    except PermissionError as error:  # intact perhaps, but not ours to read or delete
        warnings.warn(f"cannot read the feature cache file {path} ({error}): computing the features again.",
                      stacklevel=4)
        return None
    except Exception as error:  # noqa: BLE001 (a damaged zip fails in a dozen ways: BadZipFile, ValueError, ...)
        _remove_damaged(path, f"{type(error).__name__}: {str(error).split('. ')[0]}")  # not NumPy's advice to unpickle
        return None
    n = len(X) if X.ndim == 2 else -1
    if X.shape != (n, params.n_features) or file_index.shape != (n,) or labels.shape != (n,):
        _remove_damaged(path, f"unexpected shapes X {X.shape}, file_index {file_index.shape}, labels {labels.shape}")
        return None
    return X, file_index, labels


def _remove_damaged(path: Path, reason: str) -> None:
    try:
        path.unlink(missing_ok=True)
        done = "removed it; computing the features again"
    except OSError as error:
        done = f"could not remove it ({error}); computing the features again. Delete it by hand"
    warnings.warn(f"the feature cache file {path} is damaged ({reason}): {done}.", stacklevel=5)


def _features_of_files(jobs, sr, params: FeatureParams, n_jobs: int, progress: bool, desc: str):
    """Compute ``file_features`` for ``jobs`` (signals, or ``(signal, augmentation settings, seed)``), in order.

    Threads rather than processes: librosa's FFTs and matrix products release the GIL, so two threads
    nearly halve the time on two cores, without the seconds that worker processes need to start and to
    import librosa.
    """
    from concurrent.futures import ThreadPoolExecutor

    from course_utils.data import _progress

    def work(chunk):
        return [_job_features(job, sr, params) for job in chunk]

    chunks = [jobs[i:i + 50] for i in range(0, len(jobs), 50)]
    bar = _progress(total=len(jobs), desc=desc, disable=not progress, leave=False)
    results = []
    try:
        if n_jobs > 1 and len(chunks) > 1:
            with ThreadPoolExecutor(max_workers=n_jobs) as pool:
                for out in pool.map(work, chunks):
                    results.extend(out)
                    bar.update(len(out))
        else:
            for chunk in chunks:
                results.extend(work(chunk))
                bar.update(len(chunk))
    finally:
        bar.close()
    return results


#: The augmenters seed Python's and NumPy's global random generators around each call (audiomentations
#: draws from them), so two threads must not augment at the same time; feature extraction runs in parallel.
_AUGMENT_LOCK = threading.Lock()


def _job_features(job, sr, params):
    if isinstance(job, tuple):  # (signal, augmentation settings, seed)
        from course_utils.augmentation import make_audio_augmenter

        y, settings, seed = job
        with _AUGMENT_LOCK:
            y = make_audio_augmenter(**settings, seed=seed)(y, sr)
    else:
        y = job
    return file_features(y, sr, params)


def _stack(per_file, file_ids, labels, params):
    counts = np.array([len(f) for f in per_file], dtype=int)
    X = np.concatenate(per_file).astype(np.float32) if per_file else np.zeros((0, params.n_features), np.float32)
    return X, np.repeat(np.asarray(file_ids, dtype=int), counts), np.repeat(np.asarray(labels, dtype=int), counts)


def _check_n_jobs(n_jobs) -> int:
    if n_jobs is None:
        return min(2, os.cpu_count() or 1)
    return _check_int("n_jobs", n_jobs, 1, 64)


def compute_features(collection, params: FeatureParams | None = None, *, cache: bool = True,
                     n_jobs: int | None = None, progress: bool = True) -> FeatureSet:
    """Features of every recording of ``collection``, from the on-disk cache when possible.

    Args:
        collection: an :class:`course_utils.data.AudioCollection`.
        params: the feature parameters (default :class:`FeatureParams()`).
        cache: read from and write to the cache (see the module docstring for the key). A damaged cache
            file is named in a warning, removed and computed again; a cache folder that cannot be
            written is named in one warning and the features are returned uncached.
        n_jobs: worker threads for the computation, 1 to 64 (default: up to 2, the course machine's cores).
        progress: show a progress bar while computing.

    Returns:
        A :class:`FeatureSet` whose ``file_index`` counts recordings from 0 in the collection's order;
        ``cache_path`` is ``None`` when the features were not cached.

    Raises:
        TypeError: ``collection`` is not an ``AudioCollection``, ``params`` not a :class:`FeatureParams`,
            ``cache``/``progress`` not True or False, ``n_jobs`` not an integer.
        ValueError: the collection is empty or one of its recordings is empty or holds NaN/inf samples
            (the message names it); ``n_jobs`` is out of range.

    Notebook: ``06_programming_session.ipynb``.
    """
    params = _check_params(params)
    cache = _check_bool("cache", cache)
    progress = _check_bool("progress", progress)
    n_jobs = _check_n_jobs(n_jobs)
    collection = _check_collection(collection)
    start = time.perf_counter()
    path = None
    folder = _cache_folder() if cache else None
    if folder is not None:
        key = feature_cache_key(params, collection_fingerprint(collection),
                                registry_digest=_fsdd_registry_digest(collection))
        path = folder / f"{params.representation}-{key[:24]}.npz"
        cached = _cached_feature_set(path, params, start)
        if cached is not None:
            return cached
    per_file = _features_of_files(list(collection.audio), collection.sr, params, n_jobs, progress, "features")
    X, file_index, labels = _stack(per_file, np.arange(len(collection)), collection.labels, params)
    del per_file
    release_memory()  # the extraction's temporaries and numba's compiler: see course_utils._memory
    if path is not None and not _save_atomic(path, X=X, file_index=file_index, labels=labels):
        path = None
    return FeatureSet(X, file_index, labels, params, time.perf_counter() - start, False, path)


def augmented_features(collection, params: FeatureParams | None = None, *, files=None, n_copies: int = 2,
                       augmentation: dict | None = None, seed: int = 0, cache: bool = True,
                       n_jobs: int | None = None, progress: bool = True) -> FeatureSet:
    """Features of ``n_copies`` randomly augmented versions of each recording in ``files``.

    Every copy is made from the raw audio with :func:`course_utils.augmentation.make_audio_augmenter`
    (time shift, pitch shift, noise) before the features are computed. Copy ``k`` of recording ``i``
    uses its own seed derived from ``(seed, i, k)``, so the copies of a recording do not depend on which
    other recordings are augmented. Use them for training only; ``file_index`` points to the original
    recording, so ``.select(train_idx)`` keeps exactly the copies of training recordings.

    Args:
        collection: the recordings.
        params: feature parameters (as for :func:`compute_features`).
        files: indices of the recordings to augment (default: all).
        n_copies: augmented copies per recording, 1 to 20.
        augmentation: keyword arguments of ``make_audio_augmenter`` (default :data:`DEFAULT_AUGMENTATION`).
        seed: base seed of the random augmentations, 0 to 2**31 - 1.
        cache, n_jobs, progress: as for :func:`compute_features` (also what happens to a damaged or
            unwritable cache).

    Returns:
        A :class:`FeatureSet` of the augmented copies.

    Raises:
        TypeError, ValueError: as for :func:`compute_features`; also ``files`` that are not integer indices
            of recordings (booleans refused), ``augmentation`` that is not a dict or holds ``seed``.

    Notebook: ``06_programming_session.ipynb``.
    """
    params = _check_params(params)
    n_copies = _check_int("n_copies", n_copies, 1, 20)
    seed = _check_int("seed", seed, 0, 2**31 - 1)
    cache = _check_bool("cache", cache)
    progress = _check_bool("progress", progress)
    collection = _check_collection(collection)
    if augmentation is not None and not isinstance(augmentation, dict):
        raise TypeError(f"augmentation must be a dict of make_audio_augmenter's arguments (or None for "
                        f"DEFAULT_AUGMENTATION), got {type(augmentation).__name__}")
    settings = dict(DEFAULT_AUGMENTATION if augmentation is None else augmentation)
    if "seed" in settings:
        raise ValueError("augmentation must not contain 'seed'; pass seed=... to augmented_features")
    from course_utils.augmentation import make_audio_augmenter

    make_audio_augmenter(**settings, seed=0)  # validates the settings before any work
    n_jobs = _check_n_jobs(n_jobs)
    files = np.arange(len(collection)) if files is None else np.unique(_check_indices("files", files, len(collection)))
    if files.size == 0:
        raise ValueError(f"files must select at least one recording (indices from 0 to {len(collection) - 1}), "
                         "or be None for all")
    start = time.perf_counter()
    path = None
    folder = _cache_folder() if cache else None
    if folder is not None:
        spec = {"settings": settings, "n_copies": n_copies, "seed": seed, "files": hashlib.sha1(files.tobytes()).hexdigest()}
        key = feature_cache_key(params, collection_fingerprint(collection), augmentation=spec,
                                registry_digest=_fsdd_registry_digest(collection))
        path = folder / f"{params.representation}-aug-{key[:24]}.npz"
        cached = _cached_feature_set(path, params, start)
        if cached is not None:
            return cached
    jobs, ids, labels = [], [], []
    for i in files:
        for k in range(n_copies):
            copy_seed = int(np.random.SeedSequence([seed, int(i), k]).generate_state(1)[0])
            jobs.append((collection.audio[i], settings, copy_seed))
            ids.append(i)
            labels.append(collection.labels[i])
    per_file = _features_of_files(jobs, collection.sr, params, n_jobs, progress, "augmented features")
    X, file_index, labels = _stack(per_file, ids, labels, params)
    del per_file, jobs
    release_memory()
    if path is not None and not _save_atomic(path, X=X, file_index=file_index, labels=labels):
        path = None
    return FeatureSet(X, file_index, labels, params, time.perf_counter() - start, False, path)


def trim_silence(collection, top_db: float = 30.0):
    """A copy of ``collection`` with leading and trailing silence cut from every recording.

    FSDD's recordings are already trimmed; your own recordings usually start and end with silence,
    which a frame-level model would otherwise have to classify too. Uses ``librosa.effects.trim``.

    Args:
        collection: an ``AudioCollection``.
        top_db: a frame counts as silence when it is more than ``top_db`` dB below the loudest frame,
            1 to 120.

    Raises:
        TypeError: ``top_db`` is not a number (``True`` is refused) or ``collection`` not an ``AudioCollection``.
        ValueError: ``top_db`` is out of range, or a recording is empty or holds NaN/inf samples.
    """
    import librosa

    top_db = _check_fraction("top_db", top_db, 1.0, 120.0)
    collection = _check_collection(collection)
    trimmed = collection.subset(np.arange(len(collection)))
    trimmed.audio = [np.ascontiguousarray(librosa.effects.trim(y, top_db=top_db, frame_length=256,
                                                               hop_length=64)[0]) for y in collection.audio]
    return trimmed


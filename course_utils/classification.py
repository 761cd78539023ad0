"""The programming session: spoken-digit classification with a Keras MLP, from recordings to a confusion matrix.

Notebook: ``06_programming_session.ipynb`` (the lecture's closing hands-on session; it uses the
representations of ``01``, the normalization of ``02``, the augmentation of ``03`` and the MLP of
``04``/``05``).

The pipeline, one function per step:

=====================================  ===================================================================
step                                   function
=====================================  ===================================================================
recordings                             :func:`course_utils.data.load_fsdd`, :func:`course_utils.data.load_folder`
features (cached on disk)              :func:`compute_features` -> :class:`FeatureSet`
augmented training features (cached)   :func:`augmented_features`
splits                                 :func:`course_utils.data.official_split`,
                                       :func:`course_utils.data.speaker_split`, :func:`validation_split`
normalization (training data only)     :func:`fit_normalizer` (a :class:`course_utils.normalization.Normalizer`)
model                                  :func:`build_mlp` (Keras), :func:`count_mlp_params`
training with live curves              :func:`train_model`, :class:`TrainingMonitor`
file-level decision                    :func:`aggregate_by_file` (mean of the frame probabilities)
evaluation                             :func:`evaluate`, :func:`per_speaker_accuracy`, :func:`plot_confusion_matrix`
everything at once                     :func:`run_experiment`, :func:`held_out_speaker_experiment`
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
key. The key is a SHA-256 of the feature parameters, the code's ``FEATURE_VERSION`` and a hash of the
source of the modules the features come from (and of librosa's version), a fingerprint of
the recordings (a BLAKE2 hash of every sample and the sample rate, plus the FSDD registry's checksum when
the recordings come from FSDD) and, for augmented features, the augmentation settings, the number of
copies and the seed. Changing any of these gives a new key, so a stale file is never read. Files are
written to a temporary name in the same folder and moved into place with ``os.replace``, so an
interrupted run never leaves a half-written cache file.

TensorFlow/Keras is imported only inside the functions that need it.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import os
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from course_utils.checks import Check, right, wrong

__all__ = [
    "FEATURE_VERSION",
    "REPRESENTATIONS",
    "FeatureParams",
    "FeatureSet",
    "file_features",
    "compute_features",
    "augmented_features",
    "feature_cache_dir",
    "feature_cache_key",
    "clear_feature_cache",
    "collection_fingerprint",
    "validation_split",
    "fit_normalizer",
    "build_mlp",
    "count_mlp_params",
    "TrainingMonitor",
    "CurvePlot",
    "train_model",
    "aggregate_by_file",
    "predict_files",
    "evaluate",
    "Evaluation",
    "per_speaker_accuracy",
    "plot_confusion_matrix",
    "plot_class_balance",
    "ExperimentResult",
    "run_experiment",
    "held_out_speaker_experiment",
    "summarize_held_out",
    "trim_silence",
    "DEFAULT_TRAINING",
    "DEFAULT_AUGMENTATION",
    "check_file_decision",
    "check_speaker_split",
    "check_mlp_params",
    "check_n_feature_frames",
]

#: Bump when the feature code changes in a way that changes its numbers (invalidates every cache file).
FEATURE_VERSION = 1
REPRESENTATIONS = ("mfcc_frames", "logmel_patch")
PATCH_MODES = ("centre", "stretch")
ACTIVATIONS = ("relu", "selu")

#: The default MLP and its training (the benchmark measures exactly these).
DEFAULT_TRAINING = {"width": 256, "depth": 2, "activation": "relu", "dropout": 0.2, "learning_rate": 1e-3,
                    "epochs": 15, "batch_size": 512}
#: Augmentation settings of the held-out-speaker experiment (arguments of ``make_audio_augmenter``).
DEFAULT_AUGMENTATION = {"shift_max_ms": 100.0, "semitones": 2.0, "snr_db": (15.0, 40.0), "p": 0.5}


# --------------------------------------------------------------------------------------------------
# validation helpers

def _as_whole_number(answer):
    """``answer`` as an int if it is a whole number (``30``, ``30.0``, ``np.int64(30)``), else ``None``."""
    if isinstance(answer, (bool, np.bool_)):
        return None
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return None
    return int(value) if np.isfinite(value) and value == int(value) else None


def _check_int(name: str, value, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < low or (high is not None and value > high):
        upper = f" and at most {high}" if high is not None else ""
        raise ValueError(f"{name} must be at least {low}{upper}, got {value}")
    return int(value)


def _check_choice(name: str, value, allowed) -> str:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {list(allowed)}, got {value!r}")
    return value


def _check_fraction(name: str, value, low: float = 0.0, high: float = 1.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not low <= float(value) <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}")
    return float(value)


# --------------------------------------------------------------------------------------------------
# features

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
        energy = np.power(10.0, S / 10.0).sum(axis=0)  # dB -> power per frame
        centre = int(round(float((np.arange(n) * energy).sum() / max(energy.sum(), 1e-20))))
        start = int(np.clip(centre - length // 2, 0, n - length))
        return S[:, start:start + length]
    pad = length - n
    return np.pad(S, ((0, 0), (pad // 2, pad - pad // 2)), constant_values=float(S.min()))


def file_features(y: np.ndarray, sr: int, params: FeatureParams | None = None) -> np.ndarray:
    """The examples of one recording.

    Args:
        y: mono recording, shape ``(n_samples,)``; a clip shorter than ``block_size`` is zero-padded.
        sr: sample rate in Hz.
        params: the feature parameters (default :class:`FeatureParams()`).

    Returns:
        ``"mfcc_frames"``: shape ``(n_frames, n_features)``; ``"logmel_patch"``: shape
        ``(1, n_mels * patch_length)`` (the patch flattened band by band). float32.

    Notebook: ``06_programming_session.ipynb``.
    """
    from course_utils.normalization import normalize
    from course_utils.representations import log_mel_spectrogram, mfcc_frames

    params = FeatureParams() if params is None else params
    y = _padded(np.asarray(y, dtype=np.float32), params.block_size)
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
        """The examples of the recordings ``files`` (indices into the collection), in their original order."""
        mask = np.isin(self.file_index, np.asarray(files, dtype=int))
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
    """A hash of every sample, the sample rate and the order of the recordings of ``collection``.

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
    """Delete every cached feature file; returns how many were deleted."""
    folder = feature_cache_dir()
    count = 0
    if folder.is_dir():
        for path in folder.glob("*.npz"):
            path.unlink(missing_ok=True)
            count += 1
    return count


def _save_atomic(path: Path, **arrays) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.stem + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _load_cached(path: Path):
    try:
        with np.load(path) as data:
            return data["X"], data["file_index"], data["labels"]
    except (OSError, KeyError, ValueError, EOFError):  # unreadable file: recompute and overwrite
        return None


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
        cache: read from and write to the cache (see the module docstring for the key).
        n_jobs: worker threads for the computation (default: up to 2, the course machine's cores).
        progress: show a progress bar while computing.

    Returns:
        A :class:`FeatureSet` whose ``file_index`` counts recordings from 0 in the collection's order.

    Notebook: ``06_programming_session.ipynb``.
    """
    params = FeatureParams() if params is None else params
    if not isinstance(params, FeatureParams):
        raise TypeError(f"params must be a FeatureParams, got {type(params).__name__}")
    n_jobs = _check_n_jobs(n_jobs)
    if len(collection) == 0:
        raise ValueError("collection must hold at least one recording, got an empty one")
    start = time.perf_counter()
    path = None
    if cache:
        key = feature_cache_key(params, collection_fingerprint(collection),
                                registry_digest=_fsdd_registry_digest(collection))
        path = feature_cache_dir() / f"{params.representation}-{key[:24]}.npz"
        if path.is_file():
            loaded = _load_cached(path)
            if loaded is not None:
                return FeatureSet(*loaded, params, time.perf_counter() - start, True, path)
    per_file = _features_of_files(list(collection.audio), collection.sr, params, n_jobs, progress, "features")
    X, file_index, labels = _stack(per_file, np.arange(len(collection)), collection.labels, params)
    if path is not None:
        _save_atomic(path, X=X, file_index=file_index, labels=labels)
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
        seed: base seed of the random augmentations.
        cache, n_jobs, progress: as for :func:`compute_features`.

    Returns:
        A :class:`FeatureSet` of the augmented copies.

    Notebook: ``06_programming_session.ipynb``.
    """
    params = FeatureParams() if params is None else params
    n_copies = _check_int("n_copies", n_copies, 1, 20)
    seed = _check_int("seed", seed, 0, 2**31 - 1)
    settings = dict(DEFAULT_AUGMENTATION if augmentation is None else augmentation)
    if "seed" in settings:
        raise ValueError("augmentation must not contain 'seed'; pass seed=... to augmented_features")
    from course_utils.augmentation import make_audio_augmenter

    make_audio_augmenter(**settings, seed=0)  # validates the settings before any work
    n_jobs = _check_n_jobs(n_jobs)
    files = np.arange(len(collection)) if files is None else np.unique(np.asarray(files, dtype=int))
    if files.size and (files.min() < 0 or files.max() >= len(collection)):
        raise ValueError(f"files must be indices from 0 to {len(collection) - 1}")
    start = time.perf_counter()
    path = None
    if cache:
        spec = {"settings": settings, "n_copies": n_copies, "seed": seed, "files": hashlib.sha1(files.tobytes()).hexdigest()}
        key = feature_cache_key(params, collection_fingerprint(collection), augmentation=spec,
                                registry_digest=_fsdd_registry_digest(collection))
        path = feature_cache_dir() / f"{params.representation}-aug-{key[:24]}.npz"
        if path.is_file():
            loaded = _load_cached(path)
            if loaded is not None:
                return FeatureSet(*loaded, params, time.perf_counter() - start, True, path)
    jobs, ids, labels = [], [], []
    for i in files:
        for k in range(n_copies):
            copy_seed = int(np.random.SeedSequence([seed, int(i), k]).generate_state(1)[0])
            jobs.append((collection.audio[i], settings, copy_seed))
            ids.append(i)
            labels.append(collection.labels[i])
    per_file = _features_of_files(jobs, collection.sr, params, n_jobs, progress, "augmented features")
    X, file_index, labels = _stack(per_file, ids, labels, params)
    if path is not None:
        _save_atomic(path, X=X, file_index=file_index, labels=labels)
    return FeatureSet(X, file_index, labels, params, time.perf_counter() - start, False, path)


def trim_silence(collection, top_db: float = 30.0):
    """A copy of ``collection`` with leading and trailing silence cut from every recording.

    FSDD's recordings are already trimmed; your own recordings usually start and end with silence,
    which a frame-level model would otherwise have to classify too. Uses ``librosa.effects.trim``.

    Args:
        top_db: a frame counts as silence when it is more than ``top_db`` dB below the loudest frame.
    """
    import librosa

    top_db = _check_fraction("top_db", top_db, 1.0, 120.0)
    trimmed = collection.subset(np.arange(len(collection)))
    trimmed.audio = [np.ascontiguousarray(librosa.effects.trim(y, top_db=top_db, frame_length=256,
                                                               hop_length=64)[0]) for y in collection.audio]
    return trimmed


# --------------------------------------------------------------------------------------------------
# splits and normalization

def validation_split(labels, train_idx, fraction: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Hold out ``fraction`` of the training **recordings** (per class) for validation.

    Whole recordings go to one side, so frames of one recording are never in both parts.

    Returns:
        ``(fit_idx, val_idx)``: indices into the collection, disjoint, together ``train_idx``.
    """
    fraction = _check_fraction("fraction", fraction, 0.0, 0.5)
    train_idx = np.asarray(train_idx, dtype=int)
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    val = []
    for c in np.unique(labels[train_idx]):
        members = train_idx[labels[train_idx] == c]
        n_val = int(round(fraction * len(members)))
        val.extend(rng.choice(members, size=n_val, replace=False).tolist())
    val_idx = np.sort(np.asarray(val, dtype=int))
    return np.setdiff1d(train_idx, val_idx), val_idx


def fit_normalizer(X_train):
    """A per-feature z-score :class:`course_utils.normalization.Normalizer` fitted on ``X_train`` only.

    Mean and standard deviation (1/N, as scikit-learn's ``StandardScaler``) of each column of the
    training examples; the same numbers are then applied to validation and test data.
    """
    from course_utils.normalization import Normalizer

    return Normalizer("zscore", scope="feature", ddof=0).fit(np.asarray(X_train))


# --------------------------------------------------------------------------------------------------
# model

def count_mlp_params(n_features: int, width: int, depth: int, n_classes: int = 10) -> int:
    """Trainable parameters of an MLP with ``depth`` hidden Dense layers of ``width`` units each.

    Each Dense layer has (inputs + 1) x outputs parameters (weights plus one bias per unit).
    """
    sizes = [n_features] + [width] * depth + [n_classes]
    return int(sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:])))


def build_mlp(n_features: int, n_classes: int = 10, *, width: int = 256, depth: int = 2, activation: str = "relu",
              dropout: float = 0.2, learning_rate: float = 1e-3, seed: int | None = 0):
    """A compiled Keras MLP: ``depth`` hidden Dense layers of ``width`` units and a softmax output.

    Loss: categorical cross-entropy on one-hot labels (make them with ``keras.utils.to_categorical``);
    optimizer: Adam with ``learning_rate``. With ``activation="selu"`` the weights are initialised with
    LeCun normal and dropout is ``AlphaDropout``, which keep SELU's self-normalising property.

    Args:
        n_features: length of an input vector.
        n_classes: number of classes (softmax units).
        width: units per hidden layer, 1 to 4096.
        depth: hidden layers, 0 to 8 (0 = multinomial logistic regression).
        activation: ``"relu"`` or ``"selu"``.
        dropout: dropout rate after each hidden layer, in [0, 0.9).
        learning_rate: Adam's step size, in (0, 1].
        seed: seed of the weight initialisation and dropout (``None``: random).

    Returns:
        A compiled ``keras.Sequential`` with metric ``"accuracy"``.

    Notebook: ``06_programming_session.ipynb``.
    """
    import keras

    n_features = _check_int("n_features", n_features, 1)
    n_classes = _check_int("n_classes", n_classes, 2)
    width = _check_int("width", width, 1, 4096)
    depth = _check_int("depth", depth, 0, 8)
    _check_choice("activation", activation, ACTIVATIONS)
    dropout = _check_fraction("dropout", dropout, 0.0, 0.89)
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, (int, float, np.floating)) \
            or not 0 < learning_rate <= 1:
        raise ValueError(f"learning_rate must be a number in (0, 1], got {learning_rate!r}")
    if seed is not None:
        keras.utils.set_random_seed(int(seed))
    init = "lecun_normal" if activation == "selu" else "glorot_uniform"
    layers = [keras.Input(shape=(n_features,), name="features")]
    for i in range(depth):
        layers.append(keras.layers.Dense(width, activation=activation, kernel_initializer=init, name=f"hidden_{i + 1}"))
        if dropout > 0:
            drop = keras.layers.AlphaDropout if activation == "selu" else keras.layers.Dropout
            layers.append(drop(dropout, name=f"dropout_{i + 1}"))
    layers.append(keras.layers.Dense(n_classes, activation="softmax", name="class_probabilities"))
    model = keras.Sequential(layers, name=f"mlp_{depth}x{width}_{activation}")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=float(learning_rate)),
                  loss="categorical_crossentropy", metrics=["accuracy"])
    return model


# --------------------------------------------------------------------------------------------------
# training with live curves

class CurvePlot:
    """Loss and accuracy per epoch (training and validation) in two axes, updated in place.

    Used by :class:`TrainingMonitor` and by the training panel. ``history`` is a dict of lists with
    keys ``loss``, ``accuracy``, ``val_loss``, ``val_accuracy`` (Keras' names); a key
    ``val_file_accuracy`` is drawn as a dotted line when present.
    """

    def __init__(self, ax_loss, ax_acc):
        self.ax_loss, self.ax_acc = ax_loss, ax_acc
        self.lines = {
            "loss": ax_loss.plot([], [], "-", color="C0", label="training")[0],
            "val_loss": ax_loss.plot([], [], "-", color="C1", label="validation")[0],
            "accuracy": ax_acc.plot([], [], "-", color="C0", label="training")[0],
            "val_accuracy": ax_acc.plot([], [], "-", color="C1", label="validation")[0],
            "val_file_accuracy": ax_acc.plot([], [], ":", color="C1", lw=2, label="validation, per file")[0],
        }
        from matplotlib.ticker import FormatStrFormatter, MaxNLocator

        ax_loss.set(xlabel="epoch", ylabel="cross-entropy loss", title="loss")
        ax_acc.set(xlabel="epoch", ylabel="accuracy", title="accuracy", ylim=(0, 1.01))
        for ax in (ax_loss, ax_acc):
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole numbers
        # Same tick-label width whatever the loss range, so the training panel's frozen layout (fixed
        # after its first draw) keeps room for the axis label.
        ax_loss.yaxis.set_major_formatter(FormatStrFormatter("%.2f"))
        # one legend for both panels, outside them: the interesting curves (a run stuck at chance: loss 2.3,
        # accuracy 0.1) would otherwise hide behind it
        ax_acc.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small", borderaxespad=0)
        self.reset(10)

    def reset(self, epochs: int) -> None:
        """Empty the curves and set the x range to ``epochs``."""
        for line in self.lines.values():
            line.set_data([], [])
        for ax in (self.ax_loss, self.ax_acc):
            ax.set_xlim(0.5, max(int(epochs), 2) + 0.5)
        self.ax_loss.set_ylim(0.0, 2.5)

    def update(self, history: dict) -> None:
        """Draw ``history`` (dict of per-epoch lists)."""
        for key, line in self.lines.items():
            values = history.get(key, [])
            line.set_data(np.arange(1, len(values) + 1), values)
        losses = [v for k in ("loss", "val_loss") for v in history.get(k, []) if np.isfinite(v) and v > 0]
        if losses:
            self.ax_loss.set_ylim(0.0, max(max(losses) * 1.1, 0.1))



def record_epoch(history: dict, logs: dict) -> str:
    """Append one epoch's Keras ``logs`` to ``history`` (name -> list of floats); return a one-line summary.

    Used by the live training monitors (notebook ``06_programming_session.ipynb``).
    """
    for key, value in logs.items():
        history.setdefault(key, []).append(float(value))
    names = ("loss", "accuracy", "val_loss", "val_accuracy", "val_file_accuracy")
    return " · ".join(f"{name} {logs[name]:.3f}" for name in names if name in logs)


class TrainingMonitor:
    """Live training display for a notebook: curves, a progress bar and a one-line readout per epoch.

    Pass it to :func:`train_model` (``monitor=...``) after displaying ``monitor.widget``. Without a
    notebook front end it still records everything (``history``, ``seconds``), so it can be tested.

    Attributes:
        widget: an ``ipywidgets.VBox`` with the progress bar, the readout and the figure.
        history: dict of per-epoch lists (Keras' keys plus ``val_file_accuracy``).
    """

    def __init__(self, title: str = "training", figsize=(9.0, 3.2)):
        import ipywidgets as widgets
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.title = title
        self.fig = Figure(figsize=figsize, layout="constrained")
        self.canvas = FigureCanvasAgg(self.fig)
        ax_loss, ax_acc = self.fig.subplots(1, 2)
        self.curves = CurvePlot(ax_loss, ax_acc)
        self.fig.suptitle(title, fontsize="medium")
        self.progress = widgets.IntProgress(value=0, min=0, max=1, description="epoch 0", bar_style="info",
                                            style={"description_width": "initial"},
                                            layout=widgets.Layout(width="420px"))
        self.readout = widgets.HTML()
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))
        self.widget = widgets.VBox([widgets.HBox([self.progress, self.readout]), self.image])
        self.history: dict = {}
        self.epochs = 0
        self.seconds = 0.0
        self._start = 0.0
        self._render()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    def start(self, epochs: int) -> None:
        self.epochs = int(epochs)
        self.history = {}
        self.curves.reset(epochs)
        self.progress.max = max(int(epochs), 1)
        self.progress.value = 0
        self.progress.bar_style = "info"
        self.progress.description = f"epoch 0/{epochs}"
        self._start = time.perf_counter()
        self._render()

    def epoch_end(self, epoch: int, logs: dict) -> None:
        summary = record_epoch(self.history, logs)
        self.seconds = time.perf_counter() - self._start
        self.progress.value = epoch + 1
        self.progress.description = f"epoch {epoch + 1}/{self.epochs}"
        self.readout.value = f"<code>{html.escape(summary)} · {self.seconds:.1f} s</code>"
        self.curves.update(self.history)
        self._render()

    def end(self) -> None:
        self.progress.bar_style = "success"

    def _render(self) -> None:
        buffer = io.BytesIO()
        self.canvas.print_png(buffer)
        self.image.value = buffer.getvalue()

    def snapshot(self) -> bytes:
        """The figure as PNG bytes."""
        return bytes(self.image.value)


def _keras_callback(monitor, val_files):
    """A Keras callback that adds the file-level validation accuracy and reports each epoch to ``monitor``."""
    import keras

    class _Report(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            if monitor is not None:
                monitor.start(self.params.get("epochs", 0))

        def on_epoch_end(self, epoch, logs=None):
            logs = logs if logs is not None else {}
            if val_files is not None:
                X_val, file_index, file_labels = val_files
                probs = _predict(self.model, X_val)
                _, file_probs = aggregate_by_file(probs, file_index)
                logs["val_file_accuracy"] = float(np.mean(file_probs.argmax(axis=1) == file_labels))
            if monitor is not None:
                monitor.epoch_end(epoch, logs)

        def on_train_end(self, logs=None):
            if monitor is not None:
                monitor.end()

    return _Report()


def train_model(model, X_train, y_train, *, validation=None, epochs: int = 15, batch_size: int = 512,
                monitor: TrainingMonitor | None = None, n_classes: int | None = None, shuffle_seed: int = 0) -> dict:
    """Train ``model`` with one-hot labels and return the per-epoch history.

    Args:
        model: a compiled Keras model (e.g. from :func:`build_mlp`).
        X_train: shape ``(n_examples, n_features)``, already normalized.
        y_train: integer labels, shape ``(n_examples,)``; turned into one-hot rows with
            ``keras.utils.to_categorical``.
        validation: ``None`` or ``(X_val, y_val, file_index_val)``: the validation examples, their
            integer labels and the recording of each example, for Keras' frame-level validation loss and
            accuracy and for the file-level validation accuracy (``val_file_accuracy``).
        epochs: passes over the training data, 1 to 1000.
        batch_size: examples per gradient step, 1 to 65536.
        monitor: a :class:`TrainingMonitor` to draw live curves into (optional).
        n_classes: number of classes (default: the model's output size).
        shuffle_seed: the order of examples in each epoch follows this seed.

    Returns:
        dict of per-epoch lists: ``loss``, ``accuracy`` and, with validation data, ``val_loss``,
        ``val_accuracy`` and ``val_file_accuracy``; plus ``seconds`` (total wall time).

    Notebook: ``06_programming_session.ipynb``.
    """
    import keras

    epochs = _check_int("epochs", epochs, 1, 1000)
    batch_size = _check_int("batch_size", batch_size, 1, 65536)
    n_classes = int(model.output_shape[-1]) if n_classes is None else n_classes
    X_train = np.asarray(X_train, dtype=np.float32)
    y_train = np.asarray(y_train, dtype=int)
    if X_train.ndim != 2 or len(X_train) != len(y_train):
        raise ValueError(f"X_train must have shape (n_examples, n_features) matching y_train's {len(y_train)} "
                         f"labels, got {X_train.shape}")
    Y_train = keras.utils.to_categorical(y_train, n_classes)
    val_data, val_files = None, None
    if validation is not None:
        X_val, y_val, file_index_val = validation
        X_val = np.asarray(X_val, dtype=np.float32)
        val_data = (X_val, keras.utils.to_categorical(np.asarray(y_val, dtype=int), n_classes))
        ids, first = np.unique(np.asarray(file_index_val), return_index=True)
        val_files = (X_val, np.asarray(file_index_val), np.asarray(y_val, dtype=int)[first])
    keras.utils.set_random_seed(int(shuffle_seed))
    start = time.perf_counter()
    fit = model.fit(X_train, Y_train, validation_data=val_data, epochs=epochs, batch_size=batch_size, verbose=0,
                    shuffle=True, callbacks=[_keras_callback(monitor, val_files)])
    history = {k: [float(v) for v in values] for k, values in fit.history.items()}
    history["seconds"] = time.perf_counter() - start
    return history


# --------------------------------------------------------------------------------------------------
# evaluation

def aggregate_by_file(example_probs, file_index) -> tuple[np.ndarray, np.ndarray]:
    """File-level class probabilities: the mean of the examples' (frames') probabilities of each file.

    Args:
        example_probs: shape ``(n_examples, n_classes)``: one probability vector per example.
        file_index: shape ``(n_examples,)``: the recording of each example.

    Returns:
        ``(files, file_probs)``: the sorted unique recordings, shape ``(n_files,)``, and their mean
        probabilities, shape ``(n_files, n_classes)``. The decision for a file is
        ``file_probs.argmax(axis=1)``.

    Example:
        >>> p = np.array([[0.6, 0.4], [0.2, 0.8], [0.9, 0.1]])
        >>> aggregate_by_file(p, np.array([7, 7, 3]))[1]
        array([[0.9, 0.1],
               [0.4, 0.6]])
    """
    probs = np.asarray(example_probs, dtype=np.float64)
    file_index = np.asarray(file_index)
    if probs.ndim != 2:
        raise ValueError(f"example_probs must have shape (n_examples, n_classes), got {probs.shape}")
    if file_index.shape != (len(probs),):
        raise ValueError(f"file_index must have shape ({len(probs)},) like example_probs' rows, got {file_index.shape}")
    files, inverse = np.unique(file_index, return_inverse=True)
    sums = np.zeros((len(files), probs.shape[1]))
    np.add.at(sums, inverse, probs)
    counts = np.bincount(inverse, minlength=len(files))
    return files, sums / counts[:, None]


def _predict(model, X, batch_size: int = 8192) -> np.ndarray:
    """Class probabilities of ``X`` in eager batches (``model.predict`` retraces for every new input size)."""
    if not hasattr(model, "layers"):  # a stand-in with a predict method (tests)
        return np.asarray(model.predict(X, verbose=0))
    out = [np.asarray(model(X[i:i + batch_size], training=False)) for i in range(0, len(X), batch_size)]
    return np.concatenate(out) if out else np.zeros((0, int(model.output_shape[-1])), np.float32)


def predict_files(model, normalizer, features: FeatureSet, files=None):
    """Class probabilities per example and per file for the recordings ``files`` (default: all).

    Returns:
        ``(files, file_probs, example_probs, examples)``: the recordings, their mean probabilities
        ``(n_files, n_classes)``, the probabilities of each example ``(n_examples, n_classes)`` and the
        :class:`FeatureSet` of those examples.
    """
    part = features if files is None else features.select(files)
    if len(part) == 0:
        raise ValueError("no examples to predict: files selects no recording of the feature set")
    X = normalizer.transform(part.X).astype(np.float32)
    example_probs = _predict(model, X)
    ids, file_probs = aggregate_by_file(example_probs, part.file_index)
    return ids, file_probs, example_probs, part


@dataclass
class Evaluation:
    """Test results of one model on a set of recordings.

    Attributes:
        files: the recordings evaluated (indices into the collection), shape ``(n_files,)``.
        y_true, y_pred: their true and predicted classes, shape ``(n_files,)``.
        file_probs: mean class probabilities per file, shape ``(n_files, n_classes)``.
        file_accuracy: fraction of recordings classified correctly.
        example_accuracy: fraction of examples (frames) classified correctly on their own (equals
            ``file_accuracy`` for one example per file).
        confusion: confusion matrix, shape ``(n_classes, n_classes)``: row = true, column = predicted.
    """

    files: np.ndarray
    y_true: np.ndarray
    y_pred: np.ndarray
    file_probs: np.ndarray
    file_accuracy: float
    example_accuracy: float
    confusion: np.ndarray


def evaluate(model, normalizer, features: FeatureSet, files, n_classes: int = 10) -> Evaluation:
    """Evaluate ``model`` on the recordings ``files``: file-level and example-level accuracy, confusion matrix."""
    from sklearn.metrics import confusion_matrix

    ids, file_probs, example_probs, part = predict_files(model, normalizer, features, files)
    first = np.searchsorted(part.file_index, ids) if np.all(np.diff(part.file_index) >= 0) else \
        np.array([np.flatnonzero(part.file_index == i)[0] for i in ids])
    y_true = part.labels[first]
    y_pred = file_probs.argmax(axis=1)
    return Evaluation(
        files=ids, y_true=y_true, y_pred=y_pred, file_probs=file_probs,
        file_accuracy=float(np.mean(y_pred == y_true)),
        example_accuracy=float(np.mean(example_probs.argmax(axis=1) == part.labels)),
        confusion=confusion_matrix(y_true, y_pred, labels=np.arange(n_classes)),
    )


def per_speaker_accuracy(evaluation: Evaluation, speakers):
    """File-level accuracy of each speaker, as a pandas DataFrame (one row per speaker).

    Args:
        evaluation: an :class:`Evaluation`.
        speakers: the speaker of every recording of the collection, shape ``(n_recordings,)``.
    """
    import pandas as pd

    who = np.asarray(speakers)[evaluation.files]
    rows = []
    for name in sorted(set(who.tolist())):
        mask = who == name
        rows.append({"speaker": name, "recordings": int(mask.sum()),
                     "accuracy": float(np.mean(evaluation.y_pred[mask] == evaluation.y_true[mask]))})
    return pd.DataFrame(rows).set_index("speaker")


def plot_confusion_matrix(confusion, class_names, ax=None, *, title: str = "confusion matrix"):
    """Draw a labelled confusion matrix (rows: true class, columns: predicted class) with counts.

    Returns:
        The ``AxesImage`` drawn.
    """
    import matplotlib.pyplot as plt

    confusion = np.asarray(confusion)
    if confusion.ndim != 2 or confusion.shape[0] != confusion.shape[1] or confusion.shape[0] != len(class_names):
        raise ValueError(f"confusion must be square with one row per class name ({len(class_names)}), "
                         f"got shape {confusion.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4.4))
    image = ax.imshow(confusion, cmap="Blues")
    threshold = confusion.max() / 2 if confusion.size else 0
    for i in range(confusion.shape[0]):
        for j in range(confusion.shape[1]):
            if confusion[i, j]:
                ax.text(j, i, str(confusion[i, j]), ha="center", va="center", fontsize="small",
                        color="white" if confusion[i, j] > threshold else "black")
    ticks = np.arange(len(class_names))
    ax.set(xticks=ticks, yticks=ticks, xticklabels=class_names, yticklabels=class_names,
           xlabel="predicted digit", ylabel="true digit", title=title)
    ax.grid(False)
    return image


def plot_class_balance(collection, ax=None):
    """Bar chart: recordings per class, stacked by speaker. Returns the axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3))
    speakers = sorted(set(collection.speakers.tolist()))
    bottom = np.zeros(len(collection.class_names))
    for k, name in enumerate(speakers):
        counts = np.bincount(collection.labels[collection.speakers == name], minlength=len(collection.class_names))
        ax.bar(collection.class_names, counts, bottom=bottom, label=name, color=f"C{k}")
        bottom += counts
    ax.set(xlabel="class", ylabel="recordings", title="class balance (stacked by speaker)",
           ylim=(0, 1.3 * bottom.max()))  # head room for the legend, which must not hide bars
    ax.legend(fontsize="small", ncol=3, loc="upper center")
    return ax


# --------------------------------------------------------------------------------------------------
# whole experiments

@dataclass
class ExperimentResult:
    """What :func:`run_experiment` returns.

    Attributes:
        model: the trained Keras model.
        normalizer: the :class:`Normalizer` fitted on the training examples.
        history: per-epoch lists (see :func:`train_model`), with ``seconds``.
        evaluation: the :class:`Evaluation` on the test recordings.
        train_file_accuracy: file-level accuracy on the training recordings (with the final weights).
        settings: the training settings used.
        fit_idx, val_idx, test_idx: recordings used for fitting, validation and testing.
    """

    model: object
    normalizer: object
    history: dict
    evaluation: Evaluation
    train_file_accuracy: float
    settings: dict
    fit_idx: np.ndarray = field(repr=False)
    val_idx: np.ndarray = field(repr=False)
    test_idx: np.ndarray = field(repr=False)


def _settings(overrides: dict) -> dict:
    unknown = set(overrides) - set(DEFAULT_TRAINING)
    if unknown:
        raise TypeError(f"unknown training setting(s) {sorted(unknown)}; allowed: {sorted(DEFAULT_TRAINING)}")
    return {**DEFAULT_TRAINING, **overrides}


def run_experiment(features: FeatureSet, train_idx, test_idx, *, augmented: FeatureSet | None = None,
                   val_fraction: float = 0.1, seed: int = 0, monitor: TrainingMonitor | None = None,
                   n_classes: int = 10, **training) -> ExperimentResult:
    """Split off validation recordings, normalize, build, train and evaluate one MLP.

    Steps: (1) :func:`validation_split` of the training recordings; (2) the normalizer is fitted on the
    fitting examples only (original and, if given, augmented copies of the fitting recordings);
    (3) :func:`build_mlp` and :func:`train_model`; (4) :func:`evaluate` on ``test_idx``.

    Args:
        features: features of every recording (from :func:`compute_features`).
        train_idx, test_idx: recordings for training and testing (indices into the collection).
        augmented: optional augmented features (from :func:`augmented_features`); only the copies of
            the fitting recordings are used.
        val_fraction: fraction of training recordings held out for the validation curves (0 for none).
        seed: seed of the split, the weights and the shuffling.
        monitor: optional :class:`TrainingMonitor` for live curves.
        **training: overrides of :data:`DEFAULT_TRAINING` (``width``, ``depth``, ``activation``,
            ``dropout``, ``learning_rate``, ``epochs``, ``batch_size``).

    Returns:
        An :class:`ExperimentResult`.

    Notebook: ``06_programming_session.ipynb``.
    """
    settings = _settings(training)
    train_idx, test_idx = np.asarray(train_idx, dtype=int), np.asarray(test_idx, dtype=int)
    if np.intersect1d(train_idx, test_idx).size:
        raise ValueError("train_idx and test_idx must not share recordings")
    labels_by_file = np.zeros(int(features.file_index.max()) + 1, dtype=int)
    labels_by_file[features.file_index] = features.labels
    if val_fraction > 0:
        fit_idx, val_idx = validation_split(labels_by_file, train_idx, val_fraction, seed)
    else:
        fit_idx, val_idx = train_idx, np.array([], dtype=int)
    fit = features.select(fit_idx)
    X_fit, y_fit = fit.X, fit.labels
    if augmented is not None:
        if augmented.params != features.params:
            raise ValueError("augmented features must be computed with the same FeatureParams as features")
        extra = augmented.select(fit_idx)
        X_fit, y_fit = np.vstack([X_fit, extra.X]), np.concatenate([y_fit, extra.labels])
    normalizer = fit_normalizer(X_fit)
    validation = None
    if len(val_idx):
        val = features.select(val_idx)
        validation = (normalizer.transform(val.X).astype(np.float32), val.labels, val.file_index)
    model = build_mlp(features.X.shape[1], n_classes, width=settings["width"], depth=settings["depth"],
                      activation=settings["activation"], dropout=settings["dropout"],
                      learning_rate=settings["learning_rate"], seed=seed)
    history = train_model(model, normalizer.transform(X_fit).astype(np.float32), y_fit, validation=validation,
                          epochs=settings["epochs"], batch_size=settings["batch_size"], monitor=monitor,
                          n_classes=n_classes, shuffle_seed=seed)
    evaluation = evaluate(model, normalizer, features, test_idx, n_classes)
    train_eval = evaluate(model, normalizer, features, fit_idx, n_classes)
    return ExperimentResult(model, normalizer, history, evaluation, train_eval.file_accuracy, settings,
                            fit_idx, val_idx, test_idx)


def held_out_speaker_experiment(collection, features: FeatureSet, speakers=None, *,
                                augmented: FeatureSet | None = None, seed: int = 0, progress: bool = True,
                                **training):
    """Train one model per held-out speaker and test it on that speaker's recordings only.

    For each speaker in ``speakers`` (default: all of the collection), :func:`course_utils.data.speaker_split`
    gives a training set without that voice; the model never hears it before the test.

    Returns:
        A pandas DataFrame indexed by speaker with columns ``accuracy`` (file level), ``train_accuracy``
        and ``seconds`` (training time).

    Notebook: ``06_programming_session.ipynb``.
    """
    import pandas as pd

    from course_utils.data import _progress, speaker_split

    speakers = sorted(set(collection.speakers.tolist())) if speakers is None else list(speakers)
    rows = []
    bar = _progress(total=len(speakers), desc="held-out speakers", disable=not progress, leave=False)
    try:
        for name in speakers:
            train_idx, test_idx = speaker_split(collection, name)
            result = run_experiment(features, train_idx, test_idx, augmented=augmented, seed=seed,
                                    val_fraction=0.0, n_classes=len(collection.class_names), **training)
            rows.append({"speaker": name, "accuracy": result.evaluation.file_accuracy,
                         "train_accuracy": result.train_file_accuracy, "seconds": result.history["seconds"]})
            bar.update(1)
    finally:
        bar.close()
    return pd.DataFrame(rows).set_index("speaker")


def summarize_held_out(table) -> str:
    """``"mean 0.812 ± 0.071 (std over 6 speakers), min 0.70 (theo), max 0.93 (george)"`` for a result table."""
    acc = table["accuracy"]
    return (f"mean {acc.mean():.3f} ± {acc.std(ddof=0):.3f} (std over {len(acc)} speakers), "
            f"min {acc.min():.3f} ({acc.idxmin()}), max {acc.max():.3f} ({acc.idxmax()})")


# --------------------------------------------------------------------------------------------------
# "Your turn" checkers

def check_file_decision(answer, example_probs, file_index) -> Check:
    """Check a student's file-level decisions: the argmax of the mean frame probabilities of each file.

    Args:
        answer: predicted class per file, in the order of the sorted unique ``file_index``.
        example_probs, file_index: the exercise's data.
    """
    if answer is None:
        return wrong("replace None by your array of one predicted class per file.")
    files, file_probs = aggregate_by_file(example_probs, file_index)
    expected = file_probs.argmax(axis=1)
    try:
        values = np.asarray(answer, dtype=float).ravel()
    except (TypeError, ValueError):
        return wrong(f"the answer should be an array of integers, got {answer!r}.")
    if not np.all(np.isfinite(values) & (values == np.round(values))):
        return wrong(f"the answer should be class numbers (whole numbers), got {answer!r}.")
    answer = values.astype(int)
    if answer.shape != expected.shape:
        return wrong(f"there are {len(files)} files, so the answer needs {len(files)} classes, got {answer.size}.")
    if np.array_equal(answer, expected):
        return right(f"averaging the frames' probabilities and taking the argmax gives {expected.tolist()}.")
    votes = np.array([np.bincount(np.asarray(example_probs)[np.asarray(file_index) == f].argmax(1),
                                  minlength=np.asarray(example_probs).shape[1]).argmax() for f in files])
    if np.array_equal(answer, votes):
        return wrong("that is a majority vote of the frames' decisions; average the probabilities first, "
                     "then take the argmax of each file's mean.")
    bad = int(np.flatnonzero(answer != expected)[0])
    return wrong(f"file {files[bad]} is not class {answer[bad]}: average its frames' probability vectors "
                 "(axis 0), then take the index of the largest mean.")


def check_speaker_split(collection, test_speaker, train_idx, test_idx) -> Check:
    """Check a hand-made speaker-held-out split: all of ``test_speaker`` in test, nobody else, nothing lost."""
    if train_idx is None or test_idx is None:
        return wrong("replace None by your arrays of training and test indices.")
    if any(np.asarray(idx).dtype == bool for idx in (train_idx, test_idx)):
        return wrong("these are boolean masks (True/False per recording); the split wants the indices of the "
                     "recordings: wrap each mask in np.flatnonzero(...).")
    train_idx, test_idx = np.asarray(train_idx, dtype=int).ravel(), np.asarray(test_idx, dtype=int).ravel()
    speakers = np.asarray(collection.speakers)
    if np.intersect1d(train_idx, test_idx).size:
        return wrong("some recordings are in both sets; each recording must be on exactly one side.")
    if len(train_idx) + len(test_idx) != len(collection) or len(np.union1d(train_idx, test_idx)) != len(collection):
        return wrong(f"together the two sets must hold all {len(collection)} recordings, each once.")
    if not np.all(speakers[test_idx] == test_speaker):
        return wrong(f"the test set holds other speakers than {test_speaker!r}.")
    if np.any(speakers[train_idx] == test_speaker):
        return wrong(f"{test_speaker!r} is also heard in training: the test voice would not be new.")
    return right(f"{len(test_idx)} recordings of {test_speaker!r} in test, the other "
                 f"{len(set(speakers[train_idx].tolist()))} speakers in training, no voice on both sides.")


def check_mlp_params(answer, n_features: int = 26, width: int = 64, depth: int = 2, n_classes: int = 10) -> Check:
    """Check the number of trainable parameters of an MLP (what ``model.summary()`` reports)."""
    if answer is None:
        return wrong("replace None by the number of trainable parameters.")
    expected = count_mlp_params(n_features, width, depth, n_classes)
    value = _as_whole_number(answer)
    if value is None:
        return wrong(f"the answer should be a whole number, got {answer!r}.")
    if value == expected:
        return right(f"{expected} parameters: each Dense layer has (inputs + 1) x units (one bias per unit).")
    no_bias = sum(a * b for a, b in zip([n_features] + [width] * depth, [width] * depth + [n_classes]))
    if value == no_bias:
        return wrong("you counted the weights but not the biases: every unit has one bias as well.")
    return wrong(f"{value} is not it. Add up (inputs + 1) x units over the {depth + 1} Dense layers: "
                 f"{n_features} -> " + " -> ".join([str(width)] * depth) + f" -> {n_classes}.")


def check_n_feature_frames(answer, n_samples: int = 4000, block_size: int = 256, hop_size: int = 128) -> Check:
    """Check how many MFCC frames (training examples) one recording gives without padding."""
    if answer is None:
        return wrong("replace None by the number of frames.")
    from course_utils.representations import n_frames

    expected = n_frames(n_samples, block_size, hop_size)
    value = _as_whole_number(answer)
    if value is None:
        return wrong(f"the answer should be a whole number, got {answer!r}.")
    if value == expected:
        return right(f"1 + floor(({n_samples} - {block_size}) / {hop_size}) = {expected} frames, "
                     f"so this recording adds {expected} training examples.")
    if value == 1 + n_samples // hop_size:
        return wrong("that counts frames with padding (librosa's center=True: 1 + floor(n_samples / hop_size)); "
                     "the course frames without padding.")
    if value == n_samples // hop_size:
        return wrong("the last frame must fit: it starts at most block_size samples before the end, so subtract "
                     "the block size first: 1 + floor((n_samples - block_size) / hop_size).")
    return wrong(f"use n_frames = 1 + floor((n_samples - block_size) / hop_size) with n_samples={n_samples}, "
                 f"block_size={block_size}, hop_size={hop_size}.")

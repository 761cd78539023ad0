"""Real recordings through one download-and-verify cache, plus loaders for the course's datasets.

Notebooks: ``00_start_here.ipynb`` (data check), ``03_data_augmentation.ipynb``,
``05_training_an_mlp.ipynb`` and ``06_programming_session.ipynb``.

Every file the course downloads is listed in a registry (``course_utils/registry/*.txt``: a path
and its SHA-256). :func:`fetch` downloads what is missing with `pooch <https://www.fatiando.org/pooch>`_,
which writes each file to a temporary name in the cache folder and moves it into place only after its
checksum matched, so an interrupted or corrupted download never leaves a file behind.

Environment variables
---------------------
``COURSE_DATA_MIRROR``
    A local folder laid out like the course's shared data folder (``fsdd/recordings/*.wav``). When
    set, files are copied from there instead of being downloaded, and verified in exactly the same
    way. Useful in a lecture hall without internet (one USB stick) and in CI.
``COURSE_DATA_DIR``
    Where the cache lives. Default: ``data/cache`` inside a source checkout of the course, otherwise
    the operating system's cache folder (``pooch.os_cache("dl4audio-course")``). It must name a folder
    (created if missing); files are fetched into it only if it can be written, and a complete,
    verified cache in a read-only folder can still be read.
``LIBROSA_DATA_DIR``
    librosa's own cache of its example recordings (used by :func:`load_example`).
"""

from __future__ import annotations

import logging
import math
import os
import shutil
import tempfile
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from course_utils._arguments import _check_bool, _check_choice, _check_int, _real_number

MIRROR_ENV = "COURSE_DATA_MIRROR"
DATA_DIR_ENV = "COURSE_DATA_DIR"

AUDIO_EXTENSIONS = (".wav", ".flac", ".ogg", ".mp3")


class DataError(RuntimeError):
    """A dataset could not be fetched, verified or read. The message says what to do."""


@dataclass(frozen=True)
class DatasetInfo:
    """Where one dataset comes from and under which terms it may be used."""

    name: str
    title: str
    base_url: str
    licence: str
    attribution: str
    registry: str = field(repr=False)


FSDD = DatasetInfo(
    name="fsdd",
    title="Free Spoken Digit Dataset (FSDD) v1.0.10",
    base_url="https://raw.githubusercontent.com/Jakobovski/free-spoken-digit-dataset/v1.0.10/",
    licence="Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)",
    attribution=(
        "Z. Jackson, C. Souza, J. Flaks, Y. Pan, H. Nicolas and A. Thite: "
        "Jakobovski/free-spoken-digit-dataset v1.0.10 (Zenodo). "
        "https://github.com/Jakobovski/free-spoken-digit-dataset"
    ),
    registry="fsdd.txt",
)

DATASETS = {FSDD.name: FSDD}

#: The speakers of FSDD v1.0.10, in a fixed order.
FSDD_SPEAKERS = ("george", "jackson", "lucas", "nicolas", "theo", "yweweler")
#: FSDD's official split: takes 0-4 of every speaker and digit are the test set.
FSDD_TEST_TAKES = range(0, 5)
FSDD_SR = 8000


def _repo_root() -> Path | None:
    """The source checkout this package runs from, if any (identified by its ``data/README.md``)."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "data" / "README.md").is_file() and (root / "pyproject.toml").is_file() else None


def cache_dir() -> Path:
    """The folder that holds every downloaded file (see the module docstring for the rules).

    Raises:
        DataError: ``COURSE_DATA_DIR`` names a file rather than a folder.
    """
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        folder = Path(env).expanduser().resolve()
        if folder.exists() and not folder.is_dir():
            raise DataError(
                f"{DATA_DIR_ENV}={env} names a file, not a folder. Set the environment variable {DATA_DIR_ENV} to "
                "a folder for the course's data (it is created if missing), or unset it to use the default, "
                "and restart the kernel."
            )
        return folder
    root = _repo_root()
    if root is not None:
        return root / "data" / "cache"
    import pooch

    return Path(pooch.os_cache("dl4audio-course"))


def registry(dataset: str = "fsdd") -> dict[str, str]:
    """The files of ``dataset`` and their SHA-256 checksums, as ``{relative path: sha256}``."""
    info = _dataset(dataset)
    text = resources.files("course_utils.registry").joinpath(info.registry).read_text()
    entries = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            name, digest = line.split()
            entries[name] = digest
    return entries


def _dataset(dataset: str) -> DatasetInfo:
    if not isinstance(dataset, str):
        raise TypeError(f"dataset must be a name, one of {sorted(DATASETS)}, got {dataset!r}")
    if dataset not in DATASETS:
        raise ValueError(f"dataset must be one of {sorted(DATASETS)}, got {dataset!r}")
    return DATASETS[dataset]


class _MirrorDownloader:
    """A pooch downloader that copies from a local mirror folder instead of the internet."""

    def __init__(self, root: Path, base_url: str):
        self.root = root
        self.base_url = base_url

    def __call__(self, url, output_file, pooch_obj, check_only=False):  # noqa: ARG002 (pooch API)
        source = self.root / url[len(self.base_url):]
        if check_only:
            return source.is_file()
        if not source.is_file():
            raise DataError(
                f"{source} is missing from the mirror folder {MIRROR_ENV}={self.root.parent}. "
                f"Lay the folder out like the course's shared data (fsdd/recordings/*.wav) or unset {MIRROR_ENV}."
            )
        shutil.copyfile(source, output_file)
        return None


def _sha256(path: Path) -> str:
    import pooch

    return pooch.file_hash(str(path), alg="sha256")


def _offline_message(info: DatasetInfo, folder: Path, error: BaseException) -> str:
    return (
        f"Could not download {info.title} from {info.base_url} ({type(error).__name__}: {error}).\n"
        "What to do, any one of:\n"
        "  * connect to the internet and run this cell again (only missing files are fetched);\n"
        f"  * set the environment variable {MIRROR_ENV} to a folder that holds a copy laid out as "
        f"'{info.name}/recordings/*.wav' (for example from a USB stick) and restart the kernel;\n"
        f"  * or put the files yourself into {folder}/ (they are checked against their SHA-256)."
    )


def _check_writable(folder: Path) -> None:
    """Raise a :class:`DataError` naming ``COURSE_DATA_DIR`` unless files can be created in ``folder``.

    Tried, not asked (``os.access`` says yes to root even on a read-only file system).
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".write-test.", suffix=".tmp")
        os.close(fd)
        os.unlink(probe)
    except OSError as error:
        env = os.environ.get(DATA_DIR_ENV)
        where = (f"{DATA_DIR_ENV}={env}" if env
                 else f"the default cache folder (environment variable {DATA_DIR_ENV} unset)")
        raise DataError(
            f"cannot write into {folder}, in {where} ({type(error).__name__}: {error}). Set the environment "
            f"variable {DATA_DIR_ENV} to a folder you can write to (e.g. in your home folder), or free some disk "
            "space, and restart the kernel."
        ) from error


def fetch(dataset: str = "fsdd", *, names=None, progress: bool = True, workers: int = 8) -> Path:
    """Make sure the files of ``dataset`` are in the cache and intact; return its folder.

    Files already in the cache are verified against the registry's SHA-256. A file that fails the
    check is named in a warning, removed and fetched again once; if the new copy fails too, a
    :class:`DataError` names it. Downloads (or copies from ``COURSE_DATA_MIRROR``) run in a few
    threads with a progress bar.

    Args:
        dataset: name of the dataset, one of ``DATASETS`` (``"fsdd"``).
        names: the registry paths to fetch (a list, e.g. ``["recordings/3_theo_0.wav"]``); default all.
        progress: show a tqdm progress bar while files are fetched, and the dataset's licence and
            attribution once they are in place.
        workers: number of parallel downloads, an integer from 1 to 64.

    Returns:
        The dataset's folder in the cache, e.g. ``<cache>/fsdd`` (with ``recordings/`` inside).

    Raises:
        DataError: offline without a mirror, a file missing from the mirror, a checksum that
            still fails after one new fetch, or a cache (``COURSE_DATA_DIR``) that is a file or
            cannot be written while files are missing.
        TypeError: ``workers`` is not an integer (``True`` is refused), ``names`` is a single string,
            ``progress`` is not True or False.
        ValueError: ``workers`` out of range, unknown or no ``names``.
    """
    import pooch

    info = _dataset(dataset)
    workers = _check_int("workers", workers, 1, 64)
    progress = _check_bool("progress", progress)
    entries = registry(dataset)
    if names is not None:
        if isinstance(names, (str, bytes)) or not hasattr(names, "__iter__"):
            raise TypeError(f"names must be a list of registry paths (e.g. ['recordings/3_theo_0.wav']), got {names!r}")
        names = list(names)
        if not names:
            raise ValueError("names must list at least one file of the registry, or be None for all of them")
        unknown = [name for name in names if not isinstance(name, str) or name not in entries]
        if unknown:
            raise ValueError(f"names must be files of the {dataset} registry; unknown: {unknown[:5]}")
        entries = {name: entries[name] for name in names}
    folder = cache_dir() / info.name
    mirror = os.environ.get(MIRROR_ENV)
    if mirror:
        mirror_root = Path(mirror).expanduser().resolve()
        if not (mirror_root / info.name).is_dir():
            raise DataError(
                f"{MIRROR_ENV}={mirror} has no '{info.name}' folder. It must be laid out like the course's "
                f"shared data folder ('{info.name}/recordings/*.wav'); fix the path or unset {MIRROR_ENV}."
            )
        downloader = _MirrorDownloader(mirror_root / info.name, info.base_url)
    else:
        downloader = pooch.HTTPDownloader(progressbar=False, timeout=30)
    store = pooch.create(path=folder, base_url=info.base_url, registry=entries, retry_if_failed=0)

    missing = []
    for name, digest in entries.items():
        path = folder / name
        if not path.is_file():
            missing.append(name)
        elif _sha256(path) != digest:
            warnings.warn(f"{path} failed its SHA-256 check: removed, fetching it again.", stacklevel=2)
            try:
                path.unlink()
            except OSError:
                _check_writable(folder)  # says what to do about a read-only cache
                raise
            missing.append(name)
    if not missing:
        return folder
    _check_writable(folder)

    def fetch_one(name: str) -> None:
        try:
            store.fetch(name, downloader=downloader)
        except ValueError as error:  # pooch's checksum mismatch on the new copy
            raise DataError(
                f"{folder / name} failed its SHA-256 check after a fresh fetch from "
                f"{'the mirror ' + str(mirror) if mirror else info.base_url}; the source may be corrupted. "
                f"Nothing was written. ({error})"
            ) from error

    for name in missing:  # made here, not by pooch inside the threads (which would race on it)
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
    pooch_logger = pooch.get_logger()
    level = pooch_logger.level
    pooch_logger.setLevel(logging.WARNING)
    try:
        bar = _progress(total=len(missing), desc=f"Fetching {info.name}", disable=not progress)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(fetch_one, name) for name in missing]
            try:
                for future in futures:
                    future.result()
                    bar.update(1)
            except BaseException:
                for other in futures:
                    other.cancel()
                raise
            finally:
                bar.close()
    except DataError:
        raise
    except Exception as error:
        import requests

        if isinstance(error, (requests.exceptions.RequestException, ConnectionError, TimeoutError)):
            raise DataError(_offline_message(info, folder, error)) from error
        raise
    finally:
        pooch_logger.setLevel(level)
    if progress:
        print(describe(dataset))
    return folder


def _progress(**kwargs):
    from tqdm.auto import tqdm

    return tqdm(**kwargs)


def describe(dataset: str = "fsdd") -> str:
    """A short text with the dataset's title, licence and attribution (shown to users on load)."""
    info = _dataset(dataset)
    return f"{info.title}\nLicence: {info.licence}\nAttribution: {info.attribution}"


def _classes_present(present: int, possible: int) -> str:
    """``"10 classes"`` when every class is present, ``"1 of 10 classes"`` for a subset."""
    if present == possible:
        return f"{possible} {'class' if possible == 1 else 'classes'}"
    return f"{present} of {possible} classes"


@dataclass
class AudioCollection:
    """Recordings with their labels, in one consistent form for every loader.

    Attributes:
        audio: list of ``np.ndarray`` of dtype float32, shape ``(n_samples,)`` each (lengths differ),
            values in [-1, 1].
        labels: ``np.ndarray`` of int, shape ``(n_recordings,)``: class index of each recording.
        class_names: the name of each class index (for FSDD: ``"0"`` ... ``"9"``).
        speakers: ``np.ndarray`` of str, shape ``(n_recordings,)`` (``"unknown"`` where unknown).
        takes: ``np.ndarray`` of int, shape ``(n_recordings,)``: index of the take.
        sr: sample rate of every recording, in Hz.
        paths: where each recording was read from.
    """

    audio: list
    labels: np.ndarray
    class_names: list
    speakers: np.ndarray
    takes: np.ndarray
    sr: int
    paths: list

    def __len__(self) -> int:
        return len(self.audio)

    def __repr__(self) -> str:
        seconds = sum(len(y) for y in self.audio) / self.sr if self.audio else 0.0

        def count(n: int, singular: str, plural: str) -> str:
            return f"{n} {singular if n == 1 else plural}"

        return (
            f"AudioCollection({count(len(self), 'recording', 'recordings')}, "
            f"{_classes_present(len(set(self.labels.tolist())), len(self.class_names))}, "
            f"{count(len(set(self.speakers.tolist())), 'speaker', 'speakers')}, sr={self.sr} Hz, {seconds:.1f} s of audio)"
        )

    def subset(self, index) -> AudioCollection:
        """The recordings selected by ``index`` (integer indices or a boolean mask), as a new collection.

        Raises:
            TypeError: ``index`` holds fractions or other non-integers.
            ValueError: an index outside 0 to ``len(self) - 1``, or a mask of the wrong shape.
        """
        index = np.asarray(index)
        if index.size == 0 and index.dtype != bool:
            index = np.zeros(0, dtype=int)
        if index.dtype == bool:
            if index.shape != (len(self),):
                raise ValueError(f"a boolean index must have shape ({len(self)},), got {index.shape}")
            index = np.flatnonzero(index)
        if not np.issubdtype(index.dtype, np.integer):
            raise TypeError(f"index must be integer indices or a boolean mask, got dtype {index.dtype}")
        if index.ndim != 1:
            raise ValueError(f"index must be a 1-D list of indices, got shape {index.shape}")
        if index.size and (index.min() < 0 or index.max() >= len(self)):
            raise ValueError(f"index must hold indices from 0 to {len(self) - 1} (this collection has {len(self)} "
                             f"recordings), got {int(index.min())} to {int(index.max())}")
        return AudioCollection(
            audio=[self.audio[i] for i in index],
            labels=self.labels[index],
            class_names=list(self.class_names),
            speakers=self.speakers[index],
            takes=self.takes[index],
            sr=self.sr,
            paths=[self.paths[i] for i in index],
        )

    @property
    def durations(self) -> np.ndarray:
        """Length of each recording in seconds, shape ``(n_recordings,)``."""
        return np.array([len(y) / self.sr for y in self.audio])


class _UnreadableAudio(ValueError):
    """Why one audio file cannot be used, in words (the file's name is added by the caller)."""


def _check_wav_header(path: Path) -> None:
    """Raise :class:`_UnreadableAudio` when ``path`` is empty, is no RIFF/WAVE file, or is shorter than its header says.

    libsndfile reads a WAV cut off after its header as a few samples without complaint, and says nothing
    useful about a zero-byte or a text file; a look at the RIFF chunks gives the reason.
    """
    size = path.stat().st_size
    if size == 0:
        raise _UnreadableAudio("the file is empty (0 bytes); record or copy it again")
    with open(path, "rb") as f:
        head = f.read(12)
        if len(head) < 12 or head[:4] not in (b"RIFF", b"RF64") or head[8:12] != b"WAVE":
            raise _UnreadableAudio(
                f"not a WAV file: it starts with {head[:12]!r} instead of b'RIFF....WAVE' (a text file, or audio in "
                "another format renamed to .wav?); export it again as WAV"
            )
        if head[:4] == b"RF64":  # 64-bit sizes live in a 'ds64' chunk; libsndfile checks those itself
            return
        position, block_align = 12, None
        while True:
            chunk = f.read(8)
            if len(chunk) < 8:
                raise _UnreadableAudio(f"truncated: the file ends ({size} bytes) before its audio data begins")
            chunk_id, chunk_size = chunk[:4], int.from_bytes(chunk[4:], "little")
            position += 8
            if chunk_id == b"fmt " and chunk_size >= 14:
                block_align = int.from_bytes(f.read(14)[12:14], "little")
                f.seek(position)
            if chunk_id == b"data":
                available = size - position
                if chunk_size not in (0, 0xFFFFFFFF) and available < chunk_size:  # 0 / ~0: a streamed header
                    if block_align:
                        what = (f"its header announces {chunk_size // block_align} sample frames but it holds only "
                                f"{available // block_align}")
                    else:
                        what = f"its header announces {chunk_size} bytes of audio but it holds only {available}"
                    raise _UnreadableAudio(f"truncated: {what} (an interrupted copy or recording?); "
                                           "copy or record it again")
                return
            position += chunk_size + (chunk_size & 1)  # chunks are padded to an even length
            f.seek(position)


def _read_audio(path: Path, sr: int | None) -> tuple[np.ndarray, int]:
    """Read one file as mono float32 (channels averaged), resampled to ``sr`` if given.

    Raises :class:`_UnreadableAudio` with the reason when the file cannot be read.
    """
    import soundfile as sf

    path = Path(path)
    if path.suffix.lower() == ".wav":
        _check_wav_header(path)
    try:
        y, native_sr = sf.read(str(path), dtype="float32", always_2d=True)
        y = y.mean(axis=1)
    except Exception as sf_error:  # formats libsndfile cannot read (e.g. some mp3): librosa's audioread fallback
        import librosa

        try:
            with warnings.catch_warnings():  # librosa warns that it falls back; the error (if any) says enough
                warnings.simplefilter("ignore", UserWarning)
                warnings.simplefilter("ignore", FutureWarning)
                warnings.simplefilter("ignore", DeprecationWarning)
                y, native_sr = librosa.load(str(path), sr=None, mono=True)
        except Exception as error:
            if path.stat().st_size == 0:
                raise _UnreadableAudio("the file is empty (0 bytes); record or copy it again") from error
            # audioread's errors often have no text at all; libsndfile's says what it found
            reason = str(sf_error).strip() or str(error).strip() or type(error).__name__
            raise _UnreadableAudio(f"neither libsndfile nor audioread can decode it ({reason})") from error
    if sr is not None and sr != native_sr:
        y, native_sr = _resample(y, native_sr, sr), sr
    return np.ascontiguousarray(y, dtype=np.float32), int(native_sr)


def _resample(y: np.ndarray, orig_sr: int, sr: int) -> np.ndarray:
    """``y`` resampled from ``orig_sr`` to ``sr`` Hz, kept in [-1, 1].

    Resampling a full-scale recording rings slightly past 1; that is clipped silently (it is not the file's fault).
    """
    import librosa

    return np.clip(librosa.resample(y, orig_sr=orig_sr, target_sr=sr), -1.0, 1.0)


def _check_sr(sr, *, allow_none: bool) -> int | None:
    """A sample rate in Hz from 1000 to 192000 (or ``None`` if allowed); ``True`` and fractions are refused."""
    if sr is None and allow_none:
        return None
    text = "an integer from 1000 to 192000 Hz" + (", or None" if allow_none else "")
    if isinstance(sr, (bool, np.bool_)) or not isinstance(sr, (int, np.integer)):
        raise TypeError(f"sr must be {text}, got {sr!r}")
    if not 1000 <= sr <= 192000:
        raise ValueError(f"sr must be {text}, got {sr!r}")
    return int(sr)


def _check_names(name: str, values, allowed, example: str) -> list:
    """``values`` as a non-empty list; a single string or number is refused (``digits=3`` means ``digits=[3]``).

    Whether the items are among ``allowed`` is the caller's check; ``allowed`` and ``example`` word the messages.
    """
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name} must be a list (e.g. {name}={example}) or None for all, got {values!r}")
    values = list(values)
    if not values:
        raise ValueError(f"{name} must list at least one of {list(allowed)}, or be None for all; got an empty list")
    return values


def load_fsdd(*, speakers=None, digits=None, sr: int | None = None, progress: bool = True) -> AudioCollection:
    """Load the Free Spoken Digit Dataset (fetched and verified through the cache on first use).

    Args:
        speakers: optional list of the speakers to keep (names from ``FSDD_SPEAKERS``); default all six.
        digits: optional list of the digits to keep (integers 0 to 9); default all ten.
        sr: resample to this rate in Hz (an integer from 1000 to 192000); default ``None`` keeps FSDD's 8000 Hz.
        progress: show a progress bar while fetching.

    Returns:
        An :class:`AudioCollection` sorted by digit, speaker and take; ``labels`` are the digits and
        ``class_names`` are ``"0"`` to ``"9"``.

    Raises:
        TypeError: ``speakers`` or ``digits`` is not a list (``digits=3``: write ``digits=[3]``), a digit is
            not an integer (``True`` is refused), ``sr`` is not an integer.
        ValueError: an empty list, unknown speakers (listed), digits outside 0 to 9, ``sr`` out of range.
        DataError: the recordings cannot be fetched (see :func:`fetch`).

    Example:
        >>> fsdd = load_fsdd(speakers=["theo"], digits=[3])  # doctest: +SKIP
        >>> len(fsdd), fsdd.sr                                # doctest: +SKIP
        (50, 8000)
    """
    if speakers is not None:
        speakers = _check_names("speakers", speakers, FSDD_SPEAKERS, '["theo"]')
        unknown = sorted({repr(s) for s in speakers if not isinstance(s, str) or s not in FSDD_SPEAKERS})
        if unknown:
            raise ValueError(f"speakers must be among {list(FSDD_SPEAKERS)}; unknown: {', '.join(unknown)}")
    if digits is not None:
        digits = _check_names("digits", digits, range(10), "[3]")
        wrong_type = [d for d in digits if isinstance(d, (bool, np.bool_)) or not isinstance(d, (int, np.integer))]
        if wrong_type:
            raise TypeError(f"digits must be integers from 0 to 9 (True/False are not digits), got {wrong_type}")
        bad = [int(d) for d in digits if not 0 <= d <= 9]
        if bad:
            raise ValueError(f"digits must be integers from 0 to 9, got {bad}")
        digits = [int(d) for d in digits]
    sr = _check_sr(sr, allow_none=True)
    progress = _check_bool("progress", progress)
    rows = []
    for name in registry("fsdd"):
        digit, speaker, take = Path(name).stem.split("_")
        digit, take = int(digit), int(take)
        if speakers is not None and speaker not in speakers:
            continue
        if digits is not None and digit not in digits:
            continue
        rows.append((digit, FSDD_SPEAKERS.index(speaker), take, speaker, name))
    folder = fetch("fsdd", names=[row[-1] for row in rows], progress=progress)
    rows = [(*row[:-1], folder / row[-1]) for row in sorted(rows)]
    audio = [_read_audio(path, sr)[0] for *_, path in rows]
    return AudioCollection(
        audio=audio,
        labels=np.array([r[0] for r in rows], dtype=int),
        class_names=[str(d) for d in range(10)],
        speakers=np.array([r[3] for r in rows], dtype=object).astype(str),
        takes=np.array([r[2] for r in rows], dtype=int),
        sr=FSDD_SR if sr is None else int(sr),
        paths=[r[4] for r in rows],
    )


def official_split(collection: AudioCollection) -> tuple[np.ndarray, np.ndarray]:
    """FSDD's official split: takes 0-4 are the test set, the rest is the training set.

    Every speaker is heard in both sets, so the test accuracy says how well the model knows these six
    voices, not how well it serves a new one.

    Returns:
        ``(train_index, test_index)``: integer arrays into ``collection``.
    """
    test = np.isin(collection.takes, list(FSDD_TEST_TAKES))
    return np.flatnonzero(~test), np.flatnonzero(test)


def speaker_split(collection: AudioCollection, test_speaker: str) -> tuple[np.ndarray, np.ndarray]:
    """A speaker-held-out split: every recording of ``test_speaker`` is test data, the rest training data.

    Returns:
        ``(train_index, test_index)``: integer arrays into ``collection``; no speaker is on both sides.
    """
    present = sorted(set(collection.speakers.tolist()))
    if test_speaker not in present:
        raise ValueError(f"test_speaker must be one of {present}, got {test_speaker!r}")
    test = collection.speakers == test_speaker
    return np.flatnonzero(~test), np.flatnonzero(test)


def load_folder(path, *, sr: int = 22050, on_error: str = "raise") -> AudioCollection:
    """Load your own recordings: one sub-folder per class, audio files (wav/flac/ogg/mp3) inside.

    ``my_digits/zero/take1.wav``, ``my_digits/zero/take2.wav``, ``my_digits/one/a.flac`` ... gives the
    classes ``["one", "zero"]`` (sorted by name). The files must sit directly in their class folder.
    Stereo files are averaged to mono; every file is resampled to ``sr``. Hidden files (``.name``, such
    as macOS's ``._take1.wav``) are ignored. A file whose samples go beyond [-1, 1] (possible in float
    WAVs) is named in a warning with its peak and clipped to [-1, 1], as every collection promises.

    Args:
        path: the folder that holds one sub-folder per class.
        sr: sample rate in Hz to resample every file to (an integer from 1000 to 192000).
        on_error: ``"raise"`` stops at the first unreadable file and names it with the reason; ``"skip"``
            leaves it out with a warning that names it and the reason.

    Returns:
        An :class:`AudioCollection` with ``speakers`` set to ``"unknown"``.

    Raises:
        DataError: ``path`` is not a folder or has no class folders; a class folder keeps its audio
            files in sub-folders; no readable file at all; with ``on_error="raise"``, an unreadable file
            (empty, not audio, truncated, no samples or NaN/inf samples).
        TypeError: ``path`` is not a path, ``sr`` not an integer (``True`` is refused).
        ValueError: ``sr`` out of range, ``on_error`` not ``"raise"`` or ``"skip"``.
    """
    _check_choice("on_error", on_error, ("raise", "skip"))
    sr = _check_sr(sr, allow_none=False)
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be the path of a folder (a str or pathlib.Path), got {type(path).__name__}")
    root = Path(path).expanduser()
    if not root.is_dir():
        raise DataError(f"{root} is not a folder. Put one sub-folder per class in it, with your recordings inside.")
    class_dirs = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not class_dirs:
        raise DataError(f"{root} has no sub-folders. Make one sub-folder per class (e.g. {root}/zero/) for your recordings.")
    audio, labels, takes, paths = [], [], [], []
    for label, class_dir in enumerate(class_dirs):
        files = sorted(p for p in class_dir.iterdir() if _is_audio_file(p))
        nested = sorted(p for p in class_dir.rglob("*") if p.parent != class_dir and _is_audio_file(p)
                        and not any(part.startswith(".") for part in p.relative_to(class_dir).parts))
        if nested:
            raise DataError(
                f"{class_dir} keeps {len(nested)} audio file(s) in sub-folders (e.g. {nested[0]}). The recordings of a "
                f"class must sit directly in its class folder ({class_dir}/take1.wav): move them up, or make each "
                f"sub-folder a class folder of its own directly inside {root}."
            )
        if not files:
            warnings.warn(f"the class folder {class_dir} holds no audio files ({', '.join(AUDIO_EXTENSIONS)}): "
                          f"class {class_dir.name!r} has no recordings", stacklevel=2)
        for take, file in enumerate(files):
            try:
                y = _read_user_file(file, sr)
            except Exception as error:
                reason = str(error).strip() or type(error).__name__
                message = f"cannot read {file}: {reason}"
                if on_error == "raise":
                    raise DataError(message + " (pass on_error='skip' to leave such files out)") from error
                warnings.warn(message + " (skipped)", stacklevel=2)
                continue
            audio.append(y)
            labels.append(label)
            takes.append(take)
            paths.append(file)
    if not audio:
        raise DataError(f"found no readable audio files ({', '.join(AUDIO_EXTENSIONS)}) in the sub-folders of {root}")
    return AudioCollection(
        audio=audio,
        labels=np.array(labels, dtype=int),
        class_names=[p.name for p in class_dirs],
        speakers=np.array(["unknown"] * len(audio)),
        takes=np.array(takes, dtype=int),
        sr=int(sr),
        paths=paths,
    )


def _is_audio_file(path: Path) -> bool:
    return path.suffix.lower() in AUDIO_EXTENSIONS and not path.name.startswith(".") and path.is_file()


def _read_user_file(file: Path, sr: int) -> np.ndarray:
    """One file of :func:`load_folder`: read, checked, clipped to [-1, 1] (with a warning if it went beyond),
    resampled."""
    y, native_sr = _read_audio(file, None)
    if y.size == 0:
        raise _UnreadableAudio("the file holds no samples")
    if not np.all(np.isfinite(y)):
        raise _UnreadableAudio("the file holds NaN or infinite samples")
    peak = float(np.max(np.abs(y)))
    if peak > 1.0:
        warnings.warn(
            f"{file} has samples up to {peak:.3g}, beyond [-1, 1] (a float WAV that was not normalized): clipped to "
            "[-1, 1]. To keep its waveform, divide it by its peak before saving it.",
            stacklevel=3,
        )
        y = np.clip(y, -1.0, 1.0)
    if sr != native_sr:
        y = _resample(y, native_sr, sr)
    return np.ascontiguousarray(y, dtype=np.float32)


#: The librosa example recordings the course uses, by what they show.
EXAMPLES = {
    "trumpet": "solo trumpet (music, a single melodic instrument)",
    "libri1": "read speech from LibriSpeech (a female speaker)",
    "libri2": "read speech from LibriSpeech",
    "brahms": "Brahms, Hungarian Dance No. 5 (orchestra)",
    "nutcracker": "Tchaikovsky, Dance of the Sugar Plum Fairy",
    "choice": "drum and bass (percussive music)",
    "robin": "a robin's song (bird)",
    "humpback": "a humpback whale",
    "vibeace": "Vibe Ace (electronic music)",
}


def load_example(name: str = "trumpet", *, sr: int = 22050, duration: float | None = None,
                 offset: float = 0.0) -> tuple[np.ndarray, int]:
    """Load one of librosa's example recordings as a mono float32 signal.

    librosa downloads and verifies its examples itself and keeps them in ``LIBROSA_DATA_DIR``.

    Args:
        name: a librosa example key (see ``librosa.util.list_examples()``; the course uses ``EXAMPLES``).
        sr: sample rate in Hz to resample to (an integer from 1000 to 192000), or ``None`` for the file's own.
        duration: seconds to load, a finite number greater than 0 (``None``: to the end). The signal is
            shorter when the recording ends earlier.
        offset: start, in seconds: at least 0 and less than the recording's length.

    Returns:
        ``(y, sr)`` with ``y`` of shape ``(n_samples,)``, dtype float32.

    Raises:
        TypeError: ``name`` is not a string; ``sr``, ``duration`` or ``offset`` is not a number (``True``
            is refused).
        ValueError: an unknown ``name``; ``duration`` of 0 or less, NaN or infinite; ``offset`` negative,
            NaN, or at or past the end of the recording (the message gives its length); ``sr`` out of range.
        DataError: librosa cannot provide the example (offline without ``LIBROSA_DATA_DIR``).
    """
    import librosa

    if not isinstance(name, str):
        raise TypeError(f"name must be a librosa example key such as {sorted(EXAMPLES)}; got {name!r}")
    sr = _check_sr(sr, allow_none=True)
    if duration is not None:
        duration = _check_seconds("duration", duration, "greater than 0 (or None for the whole recording)")
        if duration <= 0:
            raise ValueError(f"duration must be a number of seconds greater than 0 (or None for the whole "
                             f"recording), got {duration}")
    offset = _check_seconds("offset", offset, "at least 0 and less than the recording's length")
    if offset < 0:
        raise ValueError(f"offset must be a number of seconds, at least 0 and less than the recording's length, "
                         f"got {offset}")
    try:
        path = librosa.ex(name)
    except librosa.util.exceptions.ParameterError as error:
        raise ValueError(f"name must be a librosa example key such as {sorted(EXAMPLES)}; got {name!r}") from error
    except Exception as error:
        raise DataError(
            f"librosa could not provide its example {name!r} ({type(error).__name__}: {error}). Connect to the "
            "internet, or set LIBROSA_DATA_DIR to a folder that holds librosa's example files "
            "(e.g. the course's shared data/librosa) before starting Jupyter."
        ) from error
    length = librosa.get_duration(path=path)
    if offset >= length:
        raise ValueError(f"offset must be less than the length of the recording {name!r}, {length:.2f} s; "
                         f"got {offset} s")
    y, sr_out = librosa.load(path, sr=sr, mono=True, offset=offset, duration=duration)
    return y.astype(np.float32, copy=False), int(sr_out)


def _check_seconds(name: str, value, allowed: str) -> float:
    """``value`` as a finite float number of seconds; the range check (``allowed``, in words) is the caller's."""
    seconds = _real_number(name, value, f"a number of seconds, {allowed}")
    if not math.isfinite(seconds):
        raise ValueError(f"{name} must be a finite number of seconds, {allowed}; got {value}")
    return seconds


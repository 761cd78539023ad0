"""Bad input and faults in the data layer (course_utils.data) and the feature cache (course_utils.features).

Every wrong value gets a ValueError/TypeError (or the data layer's DataError) whose message names the parameter
and what is allowed; a damaged or unwritable cache never loses the work; valid edge inputs give no warnings.
The tests run as root, who may write into any folder, so a read-only folder and a full disk are simulated at
the operating-system calls (``os.open``, ``os.mkdir``, the file's ``write``); everything else is the real path.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from course_utils import data
from course_utils import features as ft
from course_utils.data import DataError
from course_utils.features import FeatureParams, augmented_features, compute_features, file_features

SUBSET = [f"recordings/3_theo_{t}.wav" for t in range(3)]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("COURSE_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def theo(mirror, cache):
    """Theo's fifty "3"s, fetched into a fresh cache."""
    return data.load_fsdd(speakers=["theo"], digits=[3], progress=False)


@pytest.fixture
def read_only(monkeypatch):
    """``read_only(folder)`` makes ``folder`` behave like a read-only folder: creating a file or a folder inside
    it raises PermissionError, as it would for a student on a read-only mount (root may write anywhere)."""

    def inside(path, folder) -> bool:
        return os.path.abspath(os.fsdecode(path)).startswith(str(folder) + os.sep)

    def start(folder: Path) -> None:
        folder = Path(os.path.abspath(folder))
        real_open, real_mkdir = os.open, os.mkdir
        writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND

        def guarded_open(path, flags, *args, **kwargs):
            if flags & writing and inside(path, folder):
                raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))
            return real_open(path, flags, *args, **kwargs)

        def guarded_mkdir(path, *args, **kwargs):
            if inside(path, folder) and not os.path.isdir(path):
                raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))
            return real_mkdir(path, *args, **kwargs)

        monkeypatch.setattr(os, "open", guarded_open)
        monkeypatch.setattr(os, "mkdir", guarded_mkdir)

    return start


class _FullDisk:
    """A file that accepts ``budget`` bytes and then fails like a full disk (or raises ``error``)."""

    def __init__(self, file, budget: int, error: BaseException):
        self._file, self._budget, self._error = file, budget, error

    def write(self, b):
        if len(b) > self._budget:
            raise self._error
        self._budget -= len(b)
        return self._file.write(b)

    def __getattr__(self, name):
        return getattr(self._file, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._file.close()


def _disk_fills_up(monkeypatch, budget: int, error: BaseException) -> None:
    real_fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: _FullDisk(real_fdopen(fd, *a, **k), budget, error))


@contextlib.contextmanager
def no_warnings():
    """Any warning inside the block fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# ----------------------------------------------------------------------------------- feature cache faults

def _damage(path: Path, how: str) -> None:
    blob = bytearray(path.read_bytes())
    if how == "truncated":
        path.write_bytes(bytes(blob[: len(blob) // 2]))
    else:  # one flipped byte in the middle of the feature matrix (the zip's CRC-32 catches it)
        blob[len(blob) // 2] ^= 0xFF
        path.write_bytes(bytes(blob))


@pytest.mark.parametrize("how", ["truncated", "flipped byte"])
def test_damaged_cache_file_is_named_removed_and_recomputed(theo, how):
    first = compute_features(theo, n_jobs=1, progress=False)
    _damage(first.cache_path, how)
    with pytest.warns(UserWarning, match=re.escape(str(first.cache_path)) + ".*damaged.*removed"):
        again = compute_features(theo, n_jobs=1, progress=False)
    assert not again.from_cache
    np.testing.assert_array_equal(again.X, first.X)
    with no_warnings():
        third = compute_features(theo, n_jobs=1, progress=False)  # the recomputed file was written: intact
    assert third.from_cache
    np.testing.assert_array_equal(third.X, first.X)


def test_damaged_augmented_cache_file_is_recomputed(theo):
    first = augmented_features(theo, files=[0, 1], n_copies=1, n_jobs=1, progress=False)
    _damage(first.cache_path, "flipped byte")
    with pytest.warns(UserWarning, match="damaged"):
        again = augmented_features(theo, files=[0, 1], n_copies=1, n_jobs=1, progress=False)
    np.testing.assert_array_equal(again.X, first.X)
    assert augmented_features(theo, files=[0, 1], n_copies=1, n_jobs=1, progress=False).from_cache


def test_cache_file_of_the_wrong_shape_is_not_used(theo):
    first = compute_features(theo, n_jobs=1, progress=False)
    np.savez(first.cache_path, X=first.X[:, :5], file_index=first.file_index, labels=first.labels)
    with pytest.warns(UserWarning, match="unexpected shapes"):
        again = compute_features(theo, n_jobs=1, progress=False)
    np.testing.assert_array_equal(again.X, first.X)


def test_read_only_cache_warns_once_and_returns_the_computed_features(theo, cache, read_only):
    expected = compute_features(theo, cache=False, n_jobs=1, progress=False)
    read_only(cache)
    with pytest.warns(UserWarning) as record:
        feats = compute_features(theo, n_jobs=1, progress=False)
    messages = [str(w.message) for w in record]
    assert len(messages) == 1, messages
    assert str(cache / "features") in messages[0] and "COURSE_DATA_DIR" in messages[0]
    assert "cache=False" in messages[0]
    np.testing.assert_array_equal(feats.X, expected.X)
    assert not feats.from_cache and feats.cache_path is None
    with no_warnings():  # once: the next call says nothing more
        np.testing.assert_array_equal(compute_features(theo, n_jobs=1, progress=False).X, expected.X)
    assert not (cache / "features").exists()


def test_read_only_cache_still_serves_what_it_holds(theo, cache, read_only):
    first = compute_features(theo, n_jobs=1, progress=False)
    read_only(cache)
    with no_warnings():
        again = compute_features(theo, n_jobs=1, progress=False)
        assert data.fetch("fsdd", names=SUBSET, progress=False) == cache / "fsdd"  # complete: nothing to write
    assert again.from_cache
    np.testing.assert_array_equal(again.X, first.X)


def test_full_disk_leaves_no_half_file_and_keeps_the_features(theo, cache, monkeypatch):
    expected = compute_features(theo, cache=False, n_jobs=1, progress=False)
    with monkeypatch.context() as patch, pytest.warns(UserWarning, match="No space left on device"):
        _disk_fills_up(patch, 1000, OSError(errno.ENOSPC, "No space left on device"))
        feats = compute_features(theo, n_jobs=1, progress=False)
    np.testing.assert_array_equal(feats.X, expected.X)
    assert feats.cache_path is None
    assert list((cache / "features").iterdir()) == [], "neither a half file nor a temporary file may stay"


def test_crash_while_writing_leaves_no_half_file(theo, cache, monkeypatch):
    with monkeypatch.context() as patch, pytest.raises(KeyboardInterrupt):
        _disk_fills_up(patch, 1000, KeyboardInterrupt())
        compute_features(theo, n_jobs=1, progress=False)
    assert list((cache / "features").iterdir()) == []
    assert not compute_features(theo, n_jobs=1, progress=False).from_cache


def test_clear_feature_cache_also_removes_leftover_temporary_files(theo, cache):
    compute_features(theo, n_jobs=1, progress=False)
    (cache / "features" / "mfcc_frames-abc.x1y2.tmp").write_bytes(b"left by a killed kernel")
    assert ft.clear_feature_cache() == 2
    assert list((cache / "features").iterdir()) == []


def test_course_data_dir_naming_a_file(theo, cache, tmp_path, monkeypatch):
    expected = compute_features(theo, cache=False, n_jobs=1, progress=False)
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    monkeypatch.setenv("COURSE_DATA_DIR", str(a_file))
    with pytest.raises(DataError, match=r"COURSE_DATA_DIR=.*notes.txt names a file, not a folder.*Set the environment"):
        data.cache_dir()
    with pytest.raises(DataError, match="COURSE_DATA_DIR"):
        data.fetch("fsdd", names=SUBSET, progress=False)
    with pytest.raises(DataError, match="COURSE_DATA_DIR"):
        data.load_fsdd(speakers=["theo"], digits=[3], progress=False)
    with pytest.warns(UserWarning, match="COURSE_DATA_DIR"):
        feats = compute_features(theo, n_jobs=1, progress=False)
    np.testing.assert_array_equal(feats.X, expected.X)


def test_course_data_dir_that_cannot_be_written(mirror, cache, read_only):
    read_only(cache.parent)
    with pytest.raises(DataError) as error:
        data.fetch("fsdd", names=SUBSET, progress=False)
    message = str(error.value)
    assert "COURSE_DATA_DIR" in message and str(cache / "fsdd") in message and "PermissionError" in message
    assert "Set the environment variable COURSE_DATA_DIR to a folder you can write to" in message


def test_course_data_dir_under_a_file(mirror, tmp_path, monkeypatch):
    (tmp_path / "f").write_text("x")
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "f" / "cache"))
    with pytest.raises(DataError, match="cannot write into .*COURSE_DATA_DIR"):
        data.fetch("fsdd", names=SUBSET, progress=False)


# ----------------------------------------------------------------------------------- features: bad input

@pytest.mark.parametrize("y, error, match", [
    (np.zeros(0, np.float32), ValueError, "y must hold 1 to"),
    ([], ValueError, "y must hold 1 to"),
    (np.array([0.1, np.nan, 0.2], np.float32), ValueError, "y holds NaN or infinite"),
    (np.array([0.1, np.inf], np.float32), ValueError, "y holds NaN or infinite"),
    (np.zeros((2, 300), np.float32), ValueError, "y must be mono"),
    (np.zeros(300, np.int16), TypeError, "y holds integers.*32768"),
    (np.zeros(300, bool), TypeError, "y must be an array of real float"),
])
def test_file_features_refuses_signals_it_cannot_describe(y, error, match):
    with pytest.raises(error, match=match):
        file_features(y, 8000)


@pytest.mark.parametrize("sr, error", [(True, TypeError), (8000.0, TypeError), ("8000", TypeError), (0, ValueError),
                                       (10**9, ValueError)])
def test_file_features_refuses_bad_sample_rates(sr, error):
    with pytest.raises(error, match="sr must be"):
        file_features(np.zeros(300, np.float32), sr)


def test_file_features_refuses_params_that_are_not_feature_params():
    with pytest.raises(TypeError, match="params must be a FeatureParams"):
        file_features(np.zeros(300, np.float32), 8000, {"representation": "mfcc_frames"})
    with pytest.raises(TypeError, match="block_size must be an integer"):
        FeatureParams(block_size=True)


@pytest.mark.parametrize("representation", ["mfcc_frames", "logmel_patch"])
@pytest.mark.parametrize("mode", ["centre", "stretch"])
@pytest.mark.parametrize("n", [1, 255, 256, 8000])
def test_file_features_of_valid_edge_signals_are_finite_without_warnings(representation, mode, n):
    params = FeatureParams(representation=representation, patch_mode=mode)
    rng = np.random.default_rng(n)
    with no_warnings():
        for y in (np.zeros(n, np.float32), np.ones(n, np.float32), rng.uniform(-1, 1, n).astype(np.float32)):
            F = file_features(y, 8000, params)
            assert F.shape[1] == params.n_features and F.dtype == np.float32 and np.all(np.isfinite(F))


def test_compute_features_names_the_bad_recording(theo, cache):
    broken = theo.subset(np.arange(5))
    broken.audio[3] = np.zeros(0, np.float32)
    with pytest.raises(ValueError, match=r"collection\.audio\[3\] .*3_theo_.*must hold 1 to"):
        compute_features(broken, n_jobs=1, progress=False)
    broken.audio[3] = np.full(100, np.nan, np.float32)
    with pytest.raises(ValueError, match=r"collection\.audio\[3\] .*NaN"):
        compute_features(broken, n_jobs=1, progress=False)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"cache": "no"}, TypeError, "cache must be True or False"),
    ({"progress": 1}, TypeError, "progress must be True or False"),
    ({"n_jobs": True}, TypeError, "n_jobs must be an integer"),
    ({"n_jobs": 0}, ValueError, "n_jobs must be at least 1 and at most 64"),
    ({"params": "mfcc"}, TypeError, "params must be a FeatureParams"),
])
def test_compute_features_refuses_bad_arguments(theo, kwargs, error, match):
    with pytest.raises(error, match=match):
        compute_features(theo, **kwargs)


def test_compute_features_refuses_what_is_not_a_collection():
    with pytest.raises(TypeError, match="collection must be an AudioCollection"):
        compute_features([np.zeros(300, np.float32)])


@pytest.mark.parametrize("kwargs, error, match", [
    ({"files": [True, False]}, TypeError, "files must be integer indices"),
    ({"files": [0.5]}, TypeError, "files must be integer indices"),
    ({"files": [10**6]}, ValueError, "files must be indices of recordings from 0 to 49"),
    ({"files": [-1]}, ValueError, "files must be indices of recordings from 0 to 49"),
    ({"files": []}, ValueError, "files must select at least one recording"),
    ({"augmentation": "strong"}, TypeError, "augmentation must be a dict"),
    ({"seed": True}, TypeError, "seed must be an integer"),
    ({"n_copies": True}, TypeError, "n_copies must be an integer"),
    ({"cache": "yes"}, TypeError, "cache must be True or False"),
])
def test_augmented_features_refuses_bad_arguments(theo, kwargs, error, match):
    with pytest.raises(error, match=match):
        augmented_features(theo, **kwargs)


def test_select_and_trim_silence_refuse_booleans(theo, cache):
    feats = compute_features(theo, n_jobs=1, progress=False)
    with pytest.raises(TypeError, match="files must be integer indices.*flatnonzero"):
        feats.select([True])
    assert len(feats.select([])) == 0 and len(feats.select(np.array([], dtype=int))) == 0
    with pytest.raises(TypeError, match="top_db must be a number"):
        ft.trim_silence(theo, top_db=True)
    with pytest.raises(TypeError, match="collection must be an AudioCollection"):
        ft.trim_silence([np.zeros(10)])


# ----------------------------------------------------------------------------------- data layer: bad input

@pytest.mark.parametrize("kwargs, error, match", [
    ({"digits": []}, ValueError, "digits must list at least one"),
    ({"speakers": []}, ValueError, "speakers must list at least one"),
    ({"digits": 3}, TypeError, r"digits must be a list \(e\.g\. digits=\[3\]\)"),
    ({"digits": "3"}, TypeError, r"digits must be a list"),
    ({"digits": [True]}, TypeError, "digits must be integers from 0 to 9 .True/False are not digits"),
    ({"digits": [3.0]}, TypeError, "digits must be integers from 0 to 9"),
    ({"digits": [3, -1, 10]}, ValueError, r"digits must be integers from 0 to 9, got \[-1, 10\]"),
    ({"speakers": "theo"}, TypeError, r"speakers must be a list \(e\.g\. speakers=\[\"theo\"\]\)"),
    ({"speakers": ["alice", "theo", "bob"]}, ValueError, r"speakers must be among .*unknown: 'alice', 'bob'"),
    ({"speakers": [7]}, ValueError, "speakers must be among .*unknown: 7"),
    ({"sr": True}, TypeError, "sr must be an integer from 1000 to 192000 Hz, or None"),
    ({"sr": 16000.0}, TypeError, "sr must be an integer from 1000 to 192000 Hz"),
    ({"sr": 999}, ValueError, "sr must be an integer from 1000 to 192000 Hz"),
    ({"progress": "no"}, TypeError, "progress must be True or False"),
])
def test_load_fsdd_refuses_bad_selections(cache, kwargs, error, match):
    with pytest.raises(error, match=match):
        data.load_fsdd(**kwargs)


def test_load_fsdd_accepts_numpy_digits(mirror, cache):
    fsdd = data.load_fsdd(speakers=("theo",), digits=np.array([3]), progress=False)
    assert len(fsdd) == 50 and set(fsdd.labels.tolist()) == {3}


@pytest.mark.parametrize("kwargs, error, match", [
    ({"duration": 0}, ValueError, "duration must be a number of seconds greater than 0"),
    ({"duration": -1}, ValueError, "duration must be a number of seconds greater than 0"),
    ({"duration": float("nan")}, ValueError, "duration must be a finite number of seconds"),
    ({"duration": float("inf")}, ValueError, "duration must be a finite number of seconds"),
    ({"duration": True}, TypeError, "duration must be a number of seconds"),
    ({"duration": "2"}, TypeError, "duration must be a number of seconds"),
    ({"offset": 1000}, ValueError, r"offset must be less than the length of the recording 'trumpet', 5\.\d\d s"),
    ({"offset": 5.34}, ValueError, r"offset must be less than the length of the recording 'trumpet'"),
    ({"offset": float("nan")}, ValueError, "offset must be a finite number of seconds, at least 0"),
    ({"offset": -1}, ValueError, "offset must be a number of seconds, at least 0"),
    ({"offset": None}, TypeError, "offset must be a number of seconds"),
    ({"sr": True}, TypeError, "sr must be an integer"),
    ({"sr": 100}, ValueError, "sr must be an integer from 1000 to 192000"),
])
def test_load_example_refuses_bad_ranges(kwargs, error, match):
    with pytest.raises(error, match=match):
        data.load_example("trumpet", **kwargs)


def test_load_example_edge_ranges_that_are_valid():
    tail, sr = data.load_example("trumpet", offset=5.0)
    assert sr == 22050 and 0 < len(tail) <= 0.34 * sr
    long, _ = data.load_example("trumpet", duration=1e6)
    assert abs(len(long) / sr - 5.33) < 0.01  # to the end of the recording
    with pytest.raises(TypeError, match="name must be a librosa example key"):
        data.load_example(3)


@pytest.mark.parametrize("workers, error", [("a", TypeError), (True, TypeError), (2.0, TypeError),
                                            (0, ValueError), (65, ValueError), (10**6, ValueError)])
def test_fetch_refuses_bad_worker_counts(cache, workers, error):
    with pytest.raises(error, match="workers must be (an integer|at least 1 and at most 64)"):
        data.fetch("fsdd", workers=workers)


def test_fetch_refuses_bad_names_and_datasets(cache):
    with pytest.raises(TypeError, match="names must be a list of registry paths"):
        data.fetch("fsdd", names="recordings/3_theo_0.wav")
    with pytest.raises(ValueError, match="names must list at least one file"):
        data.fetch("fsdd", names=[])
    with pytest.raises(ValueError, match="names must be files of the fsdd registry"):
        data.fetch("fsdd", names=[3])
    with pytest.raises(TypeError, match="dataset must be a name"):
        data.fetch(["fsdd"])
    with pytest.raises(TypeError, match="progress must be True or False"):
        data.fetch("fsdd", names=SUBSET, progress="no")


def test_subset_refuses_indices_outside_the_collection(theo):
    with pytest.raises(ValueError, match="index must hold indices from 0 to 49"):
        theo.subset([10**6])
    with pytest.raises(ValueError, match="index must hold indices from 0 to 49"):
        theo.subset([-1])
    with pytest.raises(TypeError, match="index must be integer indices or a boolean mask"):
        theo.subset([0.5])
    assert len(theo.subset([])) == 0


# ----------------------------------------------------------------------------------- load_folder

def _folder_with(tmp_path: Path, files: dict) -> Path:
    """A user folder with one good recording per class, plus ``files``: {relative path: bytes or (y, sr, subtype)}."""
    root = tmp_path / "mine"
    for cls in ("no", "yes"):
        (root / cls).mkdir(parents=True, exist_ok=True)
        sf.write(root / cls / "good.wav", 0.1 * np.sin(np.arange(8000) / 5.0), 8000)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            y, sr, subtype = content
            sf.write(path, y, sr, subtype=subtype)
    return root


@pytest.mark.parametrize("sr", [8000, 16000])
def test_load_folder_clips_float_samples_beyond_one_with_a_warning_per_file(tmp_path, sr):
    loud = np.linspace(-3.0, 3.0, 8000)
    root = _folder_with(tmp_path, {"yes/loud.wav": (loud, 8000, "FLOAT"), "no/loud2.wav": (loud / 2, 8000, "DOUBLE")})
    with pytest.warns(UserWarning) as record:
        mine = data.load_folder(root, sr=sr)
    messages = [str(w.message) for w in record]
    assert len(messages) == 2, messages  # one per file, not one per sample or per channel
    assert any("loud.wav has samples up to 3," in m and "clipped to [-1, 1]" in m for m in messages)
    assert any("loud2.wav has samples up to 1.5," in m and "clipped to [-1, 1]" in m for m in messages)
    assert all(np.abs(y).max() <= 1.0 for y in mine.audio)
    assert len(mine) == 4


def test_load_folder_full_scale_pcm_resampled_gives_no_warning(tmp_path):
    square = np.sign(np.sin(np.arange(16000) / 3.0))  # full scale: resampling rings past 1
    root = _folder_with(tmp_path, {"yes/square.wav": (square, 16000, "PCM_16")})
    with no_warnings():
        mine = data.load_folder(root, sr=8000)
    assert all(np.abs(y).max() <= 1.0 for y in mine.audio)


def test_load_folder_reports_a_wav_truncated_after_its_header(tmp_path):
    root = _folder_with(tmp_path, {"yes/cut.wav": (0.1 * np.ones(8000), 8000, "PCM_16")})
    cut = root / "yes" / "cut.wav"
    cut.write_bytes(cut.read_bytes()[:44 + 56])
    with pytest.raises(DataError, match=r"cannot read .*cut\.wav: truncated: its header announces 8000 sample "
                                         r"frames but it holds only 28"):
        data.load_folder(root, sr=8000)
    with pytest.warns(UserWarning, match=r"cut\.wav: truncated.*\(skipped\)"):
        mine = data.load_folder(root, sr=8000, on_error="skip")
    assert len(mine) == 2


@pytest.mark.parametrize("name, content, reason", [
    ("yes/empty.wav", b"", r"the file is empty \(0 bytes\)"),
    ("yes/notes.wav", b"these are my notes, not audio\n", "not a WAV file: it starts with b'these are my"),
    ("yes/header.wav", b"RIFF\x24\x00\x00\x00WAVE", "truncated: the file ends .* before its audio data begins"),
    ("yes/empty.flac", b"", r"the file is empty \(0 bytes\)"),
    ("yes/notes.ogg", b"these are my notes, not audio\n", r"neither libsndfile nor audioread can decode it \(.+\)"),
])
def test_load_folder_names_broken_files_with_a_reason(tmp_path, name, content, reason):
    root = _folder_with(tmp_path, {name: content})
    with pytest.raises(DataError) as error:
        data.load_folder(root, sr=8000)
    message = str(error.value)
    assert Path(name).name in message and re.search(reason, message), message
    assert not re.search(r": \s*\(pass on_error", message), "the reason must not be blank"


def test_load_folder_refuses_files_one_level_too_deep(tmp_path):
    root = _folder_with(tmp_path, {"zero/session1/a.wav": (0.1 * np.ones(800), 8000, "PCM_16")})
    with pytest.raises(DataError, match=r"zero keeps 1 audio file\(s\) in sub-folders .*session1.*must sit directly "
                                         r"in its class folder"):
        data.load_folder(root, sr=8000)


def test_load_folder_ignores_hidden_files_and_warns_about_an_empty_class(tmp_path):
    root = _folder_with(tmp_path, {"yes/._good.wav": b"\x00\x05\x16\x07 AppleDouble", "yes/.hidden/x.wav": b""})
    (root / "maybe").mkdir()
    with pytest.warns(UserWarning, match=r"maybe holds no audio files"):
        mine = data.load_folder(root, sr=8000)
    assert mine.class_names == ["maybe", "no", "yes"] and len(mine) == 2


@pytest.mark.parametrize("kwargs, error, match", [
    ({"sr": True}, TypeError, "sr must be an integer from 1000 to 192000 Hz"),
    ({"sr": 8000.0}, TypeError, "sr must be an integer from 1000 to 192000 Hz"),
    ({"sr": 10**7}, ValueError, "sr must be an integer from 1000 to 192000 Hz"),
    ({"on_error": "ignore"}, ValueError, r"on_error must be one of \['raise', 'skip'\]"),
    ({"on_error": True}, ValueError, "on_error must be one of"),
])
def test_load_folder_refuses_bad_arguments(tmp_path, kwargs, error, match):
    root = _folder_with(tmp_path, {})
    with pytest.raises(error, match=match):
        data.load_folder(root, **kwargs)


def test_load_folder_refuses_a_path_that_is_not_a_path():
    with pytest.raises(TypeError, match="path must be the path of a folder"):
        data.load_folder(None)


def test_load_folder_of_silence_gives_no_warnings(tmp_path):
    root = _folder_with(tmp_path, {"yes/silence.wav": (np.zeros(4000), 8000, "PCM_16")})
    with no_warnings():
        mine = data.load_folder(root, sr=8000)
        feats = compute_features(mine, cache=False, n_jobs=1, progress=False)
    assert np.all(np.isfinite(feats.X))

"""The data layer: mirror, verification, corruption, interrupted downloads, offline, user folders, loaders."""

import dataclasses
import hashlib
import http.server
import shutil
import socket
import threading
import warnings
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from course_utils import data
from course_utils.data import DataError

SUBSET = [f"recordings/{d}_theo_{t}.wav" for d in (3, 7) for t in (0, 1, 2)]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("COURSE_DATA_DIR", str(folder))
    return folder


def _leftovers(folder: Path, expected: set) -> set:
    """Every file under ``folder`` that is not one of the ``expected`` registry paths."""
    found = {str(p.relative_to(folder / "fsdd")) for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()
    return found - expected


def test_registry_lists_every_fsdd_recording_with_its_checksum(mirror):
    entries = data.registry("fsdd")
    assert len(entries) == 3000
    on_disk = sorted(p.name for p in (Path(mirror) / "fsdd" / "recordings").glob("*.wav"))
    assert sorted(Path(name).name for name in entries) == on_disk
    name = "recordings/5_nicolas_17.wav"
    digest = hashlib.sha256((Path(mirror) / "fsdd" / name).read_bytes()).hexdigest()
    assert entries[name] == digest


def test_fetch_from_mirror_verifies_and_is_idempotent(mirror, cache):
    folder = data.fetch("fsdd", names=SUBSET, progress=False)
    assert folder == cache / "fsdd"
    for name in SUBSET:
        assert (folder / name).read_bytes() == (Path(mirror) / "fsdd" / name).read_bytes()
    assert _leftovers(cache, set(SUBSET)) == set()
    stamp = {name: (folder / name).stat().st_mtime_ns for name in SUBSET}
    data.fetch("fsdd", names=SUBSET, progress=False)  # nothing to do the second time
    assert stamp == {name: (folder / name).stat().st_mtime_ns for name in SUBSET}


def test_corrupted_cache_file_is_named_removed_and_fetched_again(mirror, cache):
    folder = data.fetch("fsdd", names=SUBSET, progress=False)
    victim = folder / SUBSET[2]
    victim.write_bytes(b"not a wav file")
    with pytest.warns(UserWarning, match=victim.name):
        data.fetch("fsdd", names=SUBSET, progress=False)
    assert victim.read_bytes() == (Path(mirror) / "fsdd" / SUBSET[2]).read_bytes()


def test_corrupted_source_fails_with_the_file_named_and_leaves_nothing(mirror, cache, tmp_path, monkeypatch):
    bad_mirror = tmp_path / "mirror"
    (bad_mirror / "fsdd" / "recordings").mkdir(parents=True)
    for name in SUBSET:
        shutil.copy(Path(mirror) / "fsdd" / name, bad_mirror / "fsdd" / name)
    (bad_mirror / "fsdd" / SUBSET[0]).write_bytes(b"corrupted copy")
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(bad_mirror))
    with pytest.raises(DataError, match=Path(SUBSET[0]).name):
        data.fetch("fsdd", names=SUBSET, workers=1, progress=False)
    assert not (cache / "fsdd" / SUBSET[0]).exists()
    assert _leftovers(cache, set(SUBSET)) == set(), "no temporary or partial file may stay in the cache"


def test_file_missing_from_mirror_is_named(mirror, cache, tmp_path, monkeypatch):
    empty = tmp_path / "mirror"
    (empty / "fsdd" / "recordings").mkdir(parents=True)
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(empty))
    with pytest.raises(DataError, match="3_theo_0.wav.*missing from the mirror"):
        data.fetch("fsdd", names=SUBSET[:1], progress=False)


def test_mirror_without_dataset_folder_says_how_it_must_look(cache, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(tmp_path))
    with pytest.raises(DataError, match="fsdd/recordings"):
        data.fetch("fsdd", names=SUBSET[:1], progress=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def local_source(monkeypatch):
    """Point FSDD's base URL at a URL on this machine (the code path of a real download)."""

    def point_to(url):
        monkeypatch.setitem(data.DATASETS, "fsdd", dataclasses.replace(data.FSDD, base_url=url))
        monkeypatch.delenv("COURSE_DATA_MIRROR", raising=False)

    return point_to


def test_offline_without_mirror_gives_one_message_that_says_what_to_do(cache, local_source):
    local_source(f"http://127.0.0.1:{_free_port()}/")  # nothing listens there: like being offline
    with pytest.raises(DataError) as info:
        data.fetch("fsdd", names=SUBSET, progress=False)
    message = str(info.value)
    assert "COURSE_DATA_MIRROR" in message and "connect to the internet" in message
    assert str(cache / "fsdd") in message
    assert _leftovers(cache, set()) == set()


class _HalfServer(http.server.BaseHTTPRequestHandler):
    """Serves the mirror's files, but cuts one of them off halfway (an interrupted download)."""

    root: Path = Path()
    cut: str = ""

    def do_GET(self):  # noqa: N802 (http.server API)
        path = self.root / self.path.lstrip("/")
        if not path.is_file():
            self.send_error(404)
            return
        body = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.path.endswith(self.cut):
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        else:
            self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_interrupted_download_leaves_no_partial_file(mirror, cache, local_source):
    handler = type("Handler", (_HalfServer,), {"root": Path(mirror) / "fsdd", "cut": Path(SUBSET[1]).name})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        local_source(f"http://127.0.0.1:{server.server_address[1]}/")
        with pytest.raises(DataError, match="Could not download"):
            data.fetch("fsdd", names=SUBSET, workers=1, progress=False)
        assert not (cache / "fsdd" / SUBSET[1]).exists()
        assert _leftovers(cache, set(SUBSET)) == set(), "an interrupted download must not leave a partial file"
        # The same code downloads intact files over HTTP and verifies them.
        handler.cut = "nothing-is-cut"
        folder = data.fetch("fsdd", names=SUBSET, workers=2, progress=False)
        for name in SUBSET:
            assert (folder / name).read_bytes() == (Path(mirror) / "fsdd" / name).read_bytes()
    finally:
        server.shutdown()


def test_fetch_rejects_bad_arguments(cache):
    with pytest.raises(ValueError, match="dataset must be one of"):
        data.fetch("mnist")
    with pytest.raises(ValueError, match="workers must be at least 1 and at most 64"):
        data.fetch("fsdd", workers=0)
    with pytest.raises(ValueError, match="names must be files of the fsdd registry"):
        data.fetch("fsdd", names=["recordings/42_nobody_0.wav"])


def test_load_fsdd_subset_and_splits(mirror, cache):
    fsdd = data.load_fsdd(speakers=["theo", "lucas"], digits=[0, 9], progress=False)
    assert len(fsdd) == 2 * 2 * 50
    assert fsdd.sr == 8000 and fsdd.class_names == [str(d) for d in range(10)]
    assert all(y.dtype == np.float32 and y.ndim == 1 and np.abs(y).max() <= 1 for y in fsdd.audio)
    assert set(fsdd.labels.tolist()) == {0, 9} and set(fsdd.speakers.tolist()) == {"theo", "lucas"}
    reference, sr = sf.read(fsdd.paths[0], dtype="float32")
    np.testing.assert_array_equal(fsdd.audio[0], reference)
    assert Path(fsdd.paths[0]).stem == f"{fsdd.labels[0]}_{fsdd.speakers[0]}_{fsdd.takes[0]}"

    train, test = data.official_split(fsdd)
    assert set(fsdd.takes[test].tolist()) == {0, 1, 2, 3, 4}
    assert set(fsdd.takes[train].tolist()) == set(range(5, 50))
    assert len(train) + len(test) == len(fsdd) and not set(train) & set(test)

    train, test = data.speaker_split(fsdd, "theo")
    assert set(fsdd.speakers[test].tolist()) == {"theo"} and "theo" not in set(fsdd.speakers[train].tolist())
    with pytest.raises(ValueError, match="test_speaker must be one of"):
        data.speaker_split(fsdd, "jackson")

    sub = fsdd.subset(fsdd.labels == 9)
    assert len(sub) == 100 and set(sub.labels.tolist()) == {9}
    assert repr(sub.subset([0])).startswith("AudioCollection(1 recording, 1 of 10 classes, 1 speaker, sr=8000 Hz")
    assert repr(fsdd).startswith("AudioCollection(200 recordings, 2 of 10 classes, 2 speakers")  # digits 0 and 9


def test_load_fsdd_resamples_and_validates(mirror, cache):
    fsdd = data.load_fsdd(speakers=["george"], digits=[1], sr=16000, progress=False)
    native = data.load_fsdd(speakers=["george"], digits=[1], progress=False)
    assert fsdd.sr == 16000
    assert all(abs(len(a) - 2 * len(b)) <= 1 for a, b in zip(fsdd.audio, native.audio))
    with pytest.raises(ValueError, match="speakers must be among"):
        data.load_fsdd(speakers=["alice"])
    with pytest.raises(ValueError, match="digits must be integers from 0 to 9"):
        data.load_fsdd(digits=[10])
    with pytest.raises(ValueError, match="sr must be an integer"):
        data.load_fsdd(sr=-5)


def test_load_fsdd_all_recordings(mirror):
    fsdd = data.load_fsdd(progress=False)
    assert len(fsdd) == 3000
    assert np.bincount(fsdd.labels).tolist() == [300] * 10
    assert sorted(set(fsdd.speakers.tolist())) == sorted(data.FSDD_SPEAKERS)
    train, test = data.official_split(fsdd)
    assert (len(train), len(test)) == (2700, 300)


def _write_user_folder(root: Path) -> None:
    rng = np.random.default_rng(0)
    (root / "yes").mkdir(parents=True)
    (root / "no").mkdir()
    sf.write(root / "yes" / "a.wav", 0.1 * rng.standard_normal(8000), 8000)
    sf.write(root / "yes" / "b.flac", 0.1 * rng.standard_normal((16000, 2)), 16000)  # stereo, other rate
    sf.write(root / "no" / "c.ogg", 0.1 * rng.standard_normal(11025), 22050)
    (root / "no" / "notes.txt").write_text("not audio, ignored")


def test_load_folder_reads_classes_resamples_and_mixes_to_mono(tmp_path):
    _write_user_folder(tmp_path / "mine")
    mine = data.load_folder(tmp_path / "mine", sr=8000)
    assert mine.class_names == ["no", "yes"]
    assert mine.labels.tolist() == [0, 1, 1]
    assert mine.sr == 8000
    assert [len(y) for y in mine.audio] == [4000, 8000, 8000]
    assert all(y.dtype == np.float32 and y.ndim == 1 for y in mine.audio)
    assert set(mine.speakers.tolist()) == {"unknown"}


def test_load_folder_names_unreadable_files(tmp_path):
    _write_user_folder(tmp_path / "mine")
    (tmp_path / "mine" / "yes" / "broken.wav").write_bytes(b"RIFF....garbage")
    with pytest.raises(DataError, match="broken.wav"):
        data.load_folder(tmp_path / "mine", sr=8000)
    with pytest.warns(UserWarning, match="broken.wav"):
        mine = data.load_folder(tmp_path / "mine", sr=8000, on_error="skip")
    assert len(mine) == 3


def test_load_folder_bad_input(tmp_path):
    with pytest.raises(DataError, match="is not a folder"):
        data.load_folder(tmp_path / "nowhere")
    with pytest.raises(DataError, match="no sub-folders"):
        data.load_folder(tmp_path)
    (tmp_path / "empty_class").mkdir()
    with pytest.raises(DataError, match="no readable audio files"), pytest.warns(UserWarning, match="empty_class holds no audio"):
        data.load_folder(tmp_path)
    with pytest.raises(ValueError, match="on_error must be"):
        data.load_folder(tmp_path, on_error="ignore")
    with pytest.raises(ValueError, match="sr must be an integer"):
        data.load_folder(tmp_path, sr=0)


def test_load_example_offline_from_librosa_cache():
    y, sr = data.load_example("trumpet", duration=2.0)
    assert sr == 22050 and y.dtype == np.float32 and y.shape == (44100,)
    assert 0.05 < np.abs(y).max() <= 1.0
    speech, _ = data.load_example("libri1", sr=16000, duration=1.0)
    assert speech.shape == (16000,)
    with pytest.raises(ValueError, match="librosa example key"):
        data.load_example("no-such-example")


def test_cache_dir_follows_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "x"))
    assert data.cache_dir() == (tmp_path / "x").resolve()
    monkeypatch.delenv("COURSE_DATA_DIR")
    assert data.cache_dir() == Path(data.__file__).resolve().parent.parent / "data" / "cache"


def test_describe_shows_licence_and_attribution():
    text = data.describe("fsdd")
    assert "CC BY-SA 4.0" in text and "Jackson" in text
    readme = (Path(data.__file__).resolve().parent.parent / "data" / "README.md").read_text()
    assert "CC BY-SA 4.0" in readme and "free-spoken-digit-dataset" in readme


def test_no_warning_flood_when_cache_is_intact(mirror, cache):
    data.fetch("fsdd", names=SUBSET, progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data.fetch("fsdd", names=SUBSET, progress=False)

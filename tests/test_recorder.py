"""The recorder's kernel side: decoding uploads, checking takes, saving them, and the widget's message path.

The page side (a fake microphone in Chromium, a refused permission, the upload in the page) is tested in
``test_recorder_browser.py``.
"""

from __future__ import annotations

import datetime
import io
import os
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from course_utils.data import load_folder
from course_utils.recorder import (
    MAX_SECONDS_LIMIT, Recorder, Take, decode_audio, diagnose_take, live_recorders, recordings_dir, save_take,
)

SR = 16000


def speechlike(seconds=1.2, sr=SR, level=0.3, start=0.3, stop=0.8, freq=440.0):
    """A tone burst with silence (and faint noise) around it: what a usable take looks like."""
    t = np.arange(int(seconds * sr)) / sr
    rng = np.random.default_rng(0)
    y = level * np.sin(2 * np.pi * freq * t) * ((t >= start) & (t < stop)) + 1e-3 * rng.standard_normal(len(t))
    return y.astype(np.float32)


def encoded(y, sr, fmt, subtype):
    buffer = io.BytesIO()
    sf.write(buffer, y, sr, format=fmt, subtype=subtype)
    return buffer.getvalue()


def dominant_hz(y, sr):
    spectrum = np.abs(np.fft.rfft(y * np.hanning(len(y))))
    return float(np.fft.rfftfreq(len(y), 1 / sr)[np.argmax(spectrum)])


# ---- decoding uploads

@pytest.mark.parametrize("fmt, subtype, sr", [
    ("WAV", "PCM_16", 16000), ("WAV", "FLOAT", 44100), ("FLAC", "PCM_24", 22050), ("OGG", "VORBIS", 44100),
    ("OGG", "OPUS", 48000), ("MP3", "MPEG_LAYER_III", 44100),
])
def test_decode_audio_reads_every_format_of_the_upload(fmt, subtype, sr):
    y = speechlike(sr=sr)
    out, out_sr = decode_audio(encoded(y, sr, fmt, subtype), f"take.{fmt.lower()}")
    assert out.dtype == np.float32 and out.ndim == 1 and out_sr == sr
    # lossy codecs add a little delay: the length agrees within 100 ms, the tone within one DFT bin
    assert abs(len(out) - len(y)) <= 0.1 * sr
    assert abs(dominant_hz(out, sr) - 440.0) <= sr / len(out) + 1e-9


def test_decode_audio_averages_stereo_and_scales_integers():
    left, right = np.full(1000, 0.5, np.float32), np.full(1000, -0.25, np.float32)
    out, _ = decode_audio(encoded(np.column_stack([left, right]), 8000, "WAV", "PCM_16"), "stereo.wav")
    np.testing.assert_allclose(out, 0.125, atol=1e-4)  # int16 samples arrive in [-1, 1], channels averaged


@pytest.mark.parametrize("data, match", [(b"", "empty"), (b"RIFF this is not a wave file at all", "cannot decode")])
def test_decode_audio_names_the_file_that_fails(data, match):
    with pytest.raises(ValueError, match=match) as caught:
        decode_audio(data, "my take.wav")
    assert "my take.wav" in str(caught.value)


def test_decode_audio_rejects_what_is_not_bytes():
    with pytest.raises(TypeError, match="data must be the file's bytes"):
        decode_audio("take.wav")


def test_a_header_only_wav_is_reported_as_empty():
    header_only = encoded(np.zeros(0, np.float32), 8000, "WAV", "PCM_16")
    with pytest.raises(ValueError, match="holds no samples"):
        decode_audio(header_only, "blank.wav")


# ---- checking takes

def test_a_usable_take_has_no_problems():
    assert diagnose_take(speechlike(), SR, expect="word") == []


@pytest.mark.parametrize("make, words", [
    (lambda: 1e-4 * np.random.default_rng(2).standard_normal(SR).astype(np.float32), "silent"),
    (lambda: np.zeros(SR, np.float32), "digital silence"),
    (lambda: 0.05 * np.random.default_rng(1).standard_normal(SR).astype(np.float32), "background"),
    (lambda: np.clip(5 * speechlike(), -1, 1), "clipped"),
    (lambda: speechlike(seconds=0.1, start=0.0, stop=0.1), "only 0.10 s"),
    (lambda: speechlike(seconds=4.0, start=0.2, stop=3.5), "more than one short word"),
])
def test_each_fault_of_a_take_is_reported_with_what_to_do(make, words):
    problems = diagnose_take(make(), SR, expect="word")
    assert any(words in p for p in problems), problems
    assert all(p.endswith(".") and ":" in p for p in problems)  # a finding, then what to do


def test_diagnose_take_checks_its_arguments():
    with pytest.raises(ValueError, match="sr must be at least 1000"):
        diagnose_take(speechlike(), 10)
    with pytest.raises(TypeError, match="integers"):
        diagnose_take(np.zeros(100, np.int16), SR)
    with pytest.raises(ValueError, match="NaN"):
        diagnose_take(np.array([0.0, np.nan], np.float32), SR)
    with pytest.raises(ValueError, match="expect must be"):
        diagnose_take(speechlike(), SR, expect="sentence")
    with pytest.raises(ValueError, match="max_seconds"):
        diagnose_take(speechlike(), SR, max_seconds=MAX_SECONDS_LIMIT + 1)


# ---- saving takes

def test_saved_takes_never_overwrite_and_load_as_a_class_folder(tmp_path):
    take = Take(speechlike(), SR)
    first = save_take(take, "7", tmp_path, prefix="me")
    second = save_take(take, "7", tmp_path, prefix="me")
    other = save_take(Take(speechlike(freq=300.0), SR), "3", tmp_path, prefix="me")
    assert first.name == "me_001.wav" and second.name == "me_002.wav" and first.read_bytes() == second.read_bytes()
    (tmp_path / "7" / "me_003.wav").write_bytes(b"a file the student made by hand")
    third = save_take(take, "7", tmp_path, prefix="me")
    assert third.name == "me_004.wav" and (tmp_path / "7" / "me_003.wav").read_bytes() == b"a file the student made by hand"
    assert not [p for p in tmp_path.rglob(".saving-*")], "a temporary file was left behind"
    (tmp_path / "7" / "me_003.wav").unlink()
    collection = load_folder(tmp_path, sr=SR)
    assert collection.class_names == ["3", "7"] and len(collection) == 4
    np.testing.assert_allclose(collection.audio[0], np.clip(speechlike(freq=300.0), -1, 1), atol=1 / 32768 + 1e-6)
    assert other.parent.name == "3"


def test_save_take_refuses_names_that_leave_the_folder(tmp_path):
    take = Take(speechlike(), SR)
    for label in ["../x", "a/b", "", ".hidden", "x" * 65]:
        with pytest.raises(ValueError, match="label must be"):
            save_take(take, label, tmp_path)
    with pytest.raises(TypeError, match="take must be a Take"):
        save_take(speechlike(), "7", tmp_path)


def test_an_unwritable_folder_says_so(tmp_path, monkeypatch):
    def refused(self, *args, **kwargs):  # what a read-only folder does (root would be allowed: simulate it)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", refused)
    with pytest.raises(OSError, match="cannot make the folder .*Permission denied.*COURSE_RECORDINGS_DIR"):
        save_take(Take(speechlike(), SR), "7", tmp_path)


def test_a_failed_write_leaves_no_file(tmp_path, monkeypatch):
    def broken_write(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sf, "write", broken_write)
    with pytest.raises(OSError, match="No space left"):
        save_take(Take(speechlike(), SR), "7", tmp_path)
    assert list((tmp_path / "7").iterdir()) == []


def test_recordings_dir_follows_the_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_RECORDINGS_DIR", str(tmp_path / "mine"))
    assert recordings_dir() == (tmp_path / "mine").resolve()
    monkeypatch.delenv("COURSE_RECORDINGS_DIR")
    assert recordings_dir().name in ("my_recordings", "dl4audio_recordings")


# ---- the recorder's kernel side

def test_a_take_from_the_page_arrives_as_float32_with_its_sample_rate():
    recorder = Recorder(max_seconds=2)
    seen = []
    recorder.on_take(seen.append)
    y = speechlike(sr=48000)
    half = len(y) // 2
    for index, part in enumerate([y[:half], y[half:]]):  # as the page sends a take: in parts, then the sample rate
        recorder._on_message(recorder.mic, {"event": "part", "index": index, "parts": 2}, [memoryview(part.tobytes())])
    recorder._on_message(recorder.mic, {"event": "take", "sr": 48000, "n_samples": len(y), "parts": 2}, [])
    take = recorder.take
    assert seen == [take] and recorder in live_recorders()
    assert take.sr == 48000 and take.samples.dtype == np.float32 and take.samples.flags.writeable
    np.testing.assert_array_equal(take.samples, y)
    assert take.ok and "usable" in recorder.status.value
    assert recorder.picture.value[:8] == b"\x89PNG\r\n\x1a\n" and recorder.player.sr == 48000
    assert abs(len(take.resampled(8000)) - len(y) / 6) <= 1


def test_a_take_with_a_missing_part_is_refused_not_cut():
    recorder = Recorder()
    y = speechlike(sr=48000)
    recorder._on_message(recorder.mic, {"event": "part", "index": 0, "parts": 2}, [memoryview(y[:100].tobytes())])
    recorder._on_message(recorder.mic, {"event": "take", "sr": 48000, "n_samples": len(y), "parts": 2}, [])
    assert recorder.take is None and "did not arrive whole" in recorder.status.value


def test_the_page_saying_no_microphone_is_shown_with_the_upload_as_the_way_out():
    recorder = Recorder()
    recorder._on_message(recorder.mic, {"event": "unavailable", "reason": "NotAllowedError",
                                        "message": "The browser refused the microphone."}, [])
    assert recorder.problem == "The browser refused the microphone."
    assert "Upload a file" in recorder.status.value and recorder.take is None


def test_an_upload_gives_the_same_kind_of_take_and_can_be_chosen_again():
    recorder = Recorder(max_seconds=1.0)
    y = speechlike(seconds=1.5, sr=22050, start=0.2, stop=0.6)
    recorder.upload.value = ({"name": "mine.flac", "type": "audio/flac", "size": 0, "last_modified": datetime.datetime(2026, 1, 1),
                              "content": memoryview(encoded(y, 22050, "FLAC", "PCM_16"))},)
    take = recorder.take
    assert take is not None and take.source == "upload: mine.flac" and take.sr == 22050
    assert len(take.samples) == 22050  # cut to max_seconds, and the status says so
    assert "only its first 1.0 s are kept" in recorder.status.value
    assert recorder.upload.value == ()


def test_a_broken_upload_is_named_and_nothing_is_kept():
    recorder = Recorder()
    recorder.upload.value = ({"name": "notes.txt.wav", "type": "audio/wav", "size": 5, "last_modified": datetime.datetime(2026, 1, 1),
                              "content": memoryview(b"hello")},)
    assert recorder.take is None and "notes.txt.wav" in recorder.status.value


def test_receive_checks_its_input_and_a_failing_callback_is_shown():
    recorder = Recorder()
    with pytest.raises(ValueError, match="sr must be"):
        recorder.receive(speechlike(), 0)
    with pytest.raises(ValueError, match="mono"):
        recorder.receive(np.zeros((3, 100, 2), np.float32), SR)

    def broken(take):
        raise RuntimeError("the model is not trained yet")

    recorder.on_take(broken)
    recorder.receive(np.column_stack([speechlike(), speechlike()]), SR)  # stereo is averaged
    assert recorder.take.samples.ndim == 1
    assert isinstance(recorder.error, RuntimeError) and "not trained yet" in recorder.status.value


@pytest.mark.parametrize("kwargs, error", [
    ({"max_seconds": 0.1}, ValueError), ({"max_seconds": float("nan")}, ValueError), ({"max_seconds": "4"}, TypeError),
    ({"min_seconds": 10.0, "max_seconds": 4.0}, ValueError), ({"expect": "digit"}, ValueError),
    ({"show_picture": "no"}, TypeError),
])
def test_recorder_arguments_are_checked(kwargs, error):
    with pytest.raises(error):
        Recorder(**kwargs)


def test_save_without_a_take_says_what_to_do(tmp_path):
    with pytest.raises(ValueError, match="no take to save yet"):
        Recorder().save("7", tmp_path)
    recorder = Recorder()
    recorder.receive(speechlike(), SR)
    path = recorder.save("7", tmp_path)
    assert path.exists() and str(path) in recorder.status.value


def test_without_hard_links_a_save_still_never_overwrites(tmp_path, monkeypatch):
    """FAT/exFAT sticks and some cloud drives have no hard links: the save claims the name another way."""
    def no_links(src, dst):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    take = Take(speechlike(), SR)
    first, second = save_take(take, "7", tmp_path), save_take(take, "7", tmp_path)
    assert (first.name, second.name) == ("take_001.wav", "take_002.wav")
    np.testing.assert_allclose(sf.read(second, dtype="float32")[0], take.samples, atol=1 / 32768 + 1e-6)
    assert not [p for p in tmp_path.rglob(".saving-*")]


def test_digital_silence_and_an_empty_take_say_what_happened():
    assert any("digital silence" in p for p in diagnose_take(np.zeros(SR, np.float32), SR))
    recorder = Recorder()
    recorder._on_message(recorder.mic, {"event": "part", "index": 0, "parts": 1}, [memoryview(b"")])
    recorder._on_message(recorder.mic, {"event": "take", "sr": 48000, "n_samples": 0, "parts": 1}, [])
    assert recorder.take is None and "Stop came before any sound" in recorder.status.value

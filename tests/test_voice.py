"""Your voice and the trained network (notebook 06): classify_recording, the reaction picture, the guided session."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from course_utils.classification import classify_recording, fit_normalizer
from course_utils.data import load_folder, load_fsdd
from course_utils.explorers.voice import DIGIT_WORDS, DigitReaction, DigitSession
from course_utils.features import FeatureParams, file_features
from course_utils.recorder import Recorder

SR = 8000


class Softmax:
    """A stand-in model: a fixed linear map of the examples' first feature to 10 logits, then a softmax."""

    def predict(self, X, verbose=0):
        z = np.outer(X[:, 0], np.arange(10.0)) * 0.1
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)


@pytest.fixture(scope="module")
def seven():
    return load_fsdd(speakers=["lucas"], digits=[7], progress=False)


def padded(y, sr=SR, seconds=0.4, noise=1e-3):
    pad = np.zeros(int(seconds * sr), np.float32)
    out = np.concatenate([pad, y, pad])
    return (out + noise * np.random.default_rng(0).standard_normal(len(out))).astype(np.float32)


def test_classify_recording_is_the_notebook_pipeline(seven):
    """Resample, trim, features, training normalization, mean of the frames' probabilities: by hand the same."""
    import librosa

    params = FeatureParams()
    normalizer = fit_normalizer(np.vstack([file_features(y, SR, params) for y in seven.audio[:20]]))
    y48 = librosa.resample(padded(seven.audio[0]), orig_sr=SR, target_sr=48000)
    probs, examples = classify_recording(Softmax(), normalizer, params, y48, 48000)
    y8 = librosa.resample(y48, orig_sr=48000, target_sr=SR)
    trimmed = librosa.effects.trim(y8, top_db=30, frame_length=256, hop_length=64)[0]
    expected_examples = normalizer.transform(file_features(trimmed, SR, params))
    np.testing.assert_allclose(examples, expected_examples, atol=1e-5)
    np.testing.assert_allclose(probs, Softmax().predict(expected_examples).mean(axis=0), atol=1e-6)
    assert probs.shape == (10,) and abs(probs.sum() - 1) < 1e-6
    # trimming matters: the padded silence would otherwise add frames
    untrimmed = classify_recording(Softmax(), normalizer, params, y48, 48000, top_db=None)[1]
    assert len(untrimmed) > len(examples)


@pytest.mark.parametrize("y, sr, error", [
    (np.zeros(0, np.float32), SR, ValueError), (np.full(800, np.nan, np.float32), SR, ValueError),
    (np.zeros((800, 2), np.float32), SR, ValueError), (np.zeros(800, np.float32), 10, ValueError),
    (np.zeros(800, np.float32), 8000.5, TypeError),
])
def test_classify_recording_names_a_wrong_input(y, sr, error):
    with pytest.raises(error):
        classify_recording(Softmax(), fit_normalizer(np.ones((4, 26))), FeatureParams(), y, sr)
    with pytest.raises(TypeError, match="params must be the FeatureParams"):
        classify_recording(Softmax(), fit_normalizer(np.ones((4, 26))), {"hop_size": 128}, np.zeros(800), SR)


def test_each_take_updates_the_reaction(seven):
    params = FeatureParams()
    normalizer = fit_normalizer(np.vstack([file_features(y, SR, params) for y in seven.audio[:20]]))
    recorder = Recorder(max_seconds=2.5, expect="word")
    reaction = DigitReaction(Softmax(), normalizer, params)
    reaction.use_recorder(recorder)
    recorder.receive(padded(seven.audio[0]), SR, source="a guided take", label="7")
    first = reaction.picture.value
    assert first[:8] == b"\x89PNG\r\n\x1a\n" and reaction.probs.shape == (10,)
    assert "You were asked to say <b>7</b>" in reaction.sentence.value
    best = int(np.argmax(reaction.probs))
    assert f"hears <b>{best}</b>" in reaction.sentence.value
    recorder.receive(padded(seven.audio[1]), SR)
    assert reaction.picture.value != first and recorder.error is None


def test_the_guided_session_saves_good_takes_asks_again_after_a_bad_one_and_resumes(tmp_path, seven):
    session = DigitSession(tmp_path, speaker="ana", takes_per_digit=2, seed=3)
    assert sorted(session.queue) == sorted(list(range(10)) * 2) and not session.complete
    first = session.current
    assert session.recorder.prompt == f"Say: {DIGIT_WORDS[first]} ({first})"
    good = padded(seven.audio[0])

    session.recorder.receive(np.zeros(SR, np.float32), SR)  # silent: not saved, the same digit again
    assert session.saved == [] and session.current == first and not session.keep_button.disabled
    assert "silence" in session.recorder.status.value
    kept = session.keep_anyway()  # the student insists
    assert kept == tmp_path / str(first) / "ana_001.wav" and len(session.queue) == 19

    second = session.current
    session.recorder.receive(good, SR)
    assert session.saved[-1] == tmp_path / str(second) / ("ana_002.wav" if second == first else "ana_001.wav")
    assert session.recorder.take.label == str(second)

    skipped = session.current
    session.skip()
    assert session.queue[-1] == skipped and len(session.queue) == 18

    # a restart: a new session with the same folder asks only for what is missing
    again = DigitSession(tmp_path, speaker="ana", takes_per_digit=2)
    assert len(again.queue) == 18
    for _ in range(18):
        again.recorder.receive(good, SR)
    assert again.current is None and again.complete and "Done" in again.recorder.prompt
    collection = load_folder(tmp_path, sr=SR)
    assert collection.class_names == [str(d) for d in range(10)] and len(collection) == 20
    assert np.bincount(collection.labels).tolist() == [2] * 10
    # every file is a 16-bit WAV at the take's rate
    info = sf.info(str(collection.paths[0]))
    assert info.subtype == "PCM_16" and info.samplerate == SR


@pytest.mark.parametrize("kwargs, error", [
    ({"speaker": "../me"}, ValueError), ({"takes_per_digit": 0}, ValueError), ({"takes_per_digit": 2.5}, TypeError),
    ({"seed": -1}, ValueError),
])
def test_session_arguments_are_checked(tmp_path, kwargs, error):
    with pytest.raises(error):
        DigitSession(tmp_path, **kwargs)


def test_the_session_counts_only_its_own_speakers_takes(tmp_path):
    (tmp_path / "3").mkdir()
    for name in ["me_001.wav", "me_002.wav", "me_2_001.wav", "meg_001.wav"]:
        (tmp_path / "3" / name).write_bytes(b"")
    assert DigitSession(tmp_path, speaker="me").count(3) == 2


def test_an_unusable_take_is_classified_with_a_warning(seven):
    params = FeatureParams()
    normalizer = fit_normalizer(np.vstack([file_features(y, SR, params) for y in seven.audio[:5]]))
    recorder = Recorder()
    reaction = DigitReaction(Softmax(), normalizer, params)
    reaction.use_recorder(recorder)
    recorder.receive(np.zeros(SR, np.float32), SR)
    assert "the answer means little" in reaction.sentence.value
    recorder.receive(padded(seven.audio[0]), SR, source="stand-in: lucas says 7", label="7")
    assert "asked to say" not in reaction.sentence.value and "means little" not in reaction.sentence.value

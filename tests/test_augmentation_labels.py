"""Tests of course_utils.augmentation_labels (notebook 03_data_augmentation.ipynb)."""

from __future__ import annotations

import numpy as np
import pytest
from checker_contract import ODD_ANSWERS, assert_explains

from course_utils import augmentation as aug
from course_utils import augmentation_labels as labels
from course_utils.signals import note

SR = 22050


# --------------------------------------------------------------------------------------------------
# annotations and pitch

def test_estimate_midi_pitch_of_synthetic_notes():
    for pitch in (48, 60, 67.5, 72):
        assert labels.estimate_midi_pitch(note(pitch, 1.0, SR), SR) == pytest.approx(pitch, abs=0.15)


def test_pitch_shift_changes_a_pitch_label_by_the_semitones():
    y = note(60, 1.0, SR)
    for semis in (-3, 2, 5):
        assert labels.estimate_midi_pitch(aug.pitch_shift(y, SR, semis), SR) == pytest.approx(60 + semis, abs=0.2)


def test_shift_annotations_follow_the_audio():
    from course_utils.signals import clicks

    onsets = [0.25, 0.8, 1.6]
    y = clicks(onsets, duration=2.0, sr=SR)
    shifted = aug.time_shift(y, SR, 500, rollover=False, fade_ms=0)
    expected = labels.shift_annotations(onsets, 500, 2.0)
    np.testing.assert_allclose(expected, [0.75, 1.3])  # the click at 1.6 s left the clip
    first_sample = {round(t * SR) for t in expected}
    loud = np.flatnonzero(np.abs(shifted) > 0.5)
    assert all(any(abs(i - s) <= 2 for i in loud) for s in first_sample)
    np.testing.assert_allclose(labels.shift_annotations(onsets, 600, 2.0, rollover=True), [0.2, 0.85, 1.4])
    np.testing.assert_allclose(labels.shift_annotations(onsets, -300, 2.0), [0.5, 1.3])
    with pytest.raises(ValueError, match="times_s"):
        labels.shift_annotations([2.5], 10, 2.0)


# --------------------------------------------------------------------------------------------------
# label safety

def test_label_safety_table_is_complete_and_consistent():
    for a in labels.AUGMENTATIONS:
        for k in labels.LABEL_KINDS:
            verdict = labels.label_safety(a, k)
            assert verdict.verdict in ("safe", "adjust", "unsafe") and verdict.reason
    assert labels.label_safety("pitch_shift", "class").safe
    assert labels.label_safety("pitch_shift", "pitch").verdict == "adjust"
    assert labels.label_safety("time_shift", "onsets").verdict == "adjust"
    assert labels.label_safety("frequency_flip", "class").verdict == "unsafe"
    assert labels.label_safety("time_flip", "class").verdict == "unsafe"
    assert "pitch_shift" not in labels.safe_augmentations("pitch")
    assert "pitch_shift" in labels.safe_augmentations("pitch", include_adjust=True)
    assert {"noise", "time_shift"} <= set(labels.safe_augmentations("class"))
    table = labels.label_safety_table()
    assert "<table>" in table._repr_html_() and "pitch_shift" in repr(table)
    with pytest.raises(ValueError, match="augmentation"):
        labels.label_safety("reverb", "class")
    with pytest.raises(ValueError, match="label_kind"):
        labels.label_safety("noise", "genre")


# --------------------------------------------------------------------------------------------------
# exercise checkers (right and wrong answers)

def test_check_shifted_onsets():
    onsets = [0.1, 0.5, 0.95]
    assert labels.check_shifted_onsets([0.3, 0.7], onsets, 200, 1.0).correct
    kept_all = labels.check_shifted_onsets([0.3, 0.7, 1.15], onsets, 200, 1.0)
    assert not kept_all.correct and "outside" in kept_all.message
    assert not labels.check_shifted_onsets(None, onsets, 200, 1.0).correct
    in_ms = labels.check_shifted_onsets([300, 700], onsets, 200, 1.0)
    assert not in_ms.correct and "milliseconds" in in_ms.message
    backwards = labels.check_shifted_onsets([0.3, 0.75], onsets, 200, 1.0)
    assert not backwards.correct and "direction" in backwards.message
    assert labels.check_shifted_onsets([0.3, 0.7, 0.15], onsets, 200, 1.0, rollover=True).correct


def test_check_safe_for_pitch_labels():
    assert labels.check_safe_for_pitch_labels(labels.safe_augmentations("pitch")).correct
    assert not labels.check_safe_for_pitch_labels(None).correct
    with_pitch = labels.check_safe_for_pitch_labels(labels.safe_augmentations("pitch") + ["pitch_shift"])
    assert not with_pitch.correct and "pitch_shift" in with_pitch.message
    assert not labels.check_safe_for_pitch_labels(["noise"]).correct
    assert "unknown" in labels.check_safe_for_pitch_labels(["reverb"]).message


def test_pitch_exercise_answer_is_the_plausible_pitch_keeping_set():
    # A time flip keeps the pitch, but a reversed note is no recording a model will meet: the table rules it
    # out for every kind of label, so the exercise must not require it (it once did).
    expected = {"time_shift", "noise", "time_mask", "frequency_mask", "coarse_dropout"}
    assert set(labels.safe_augmentations("pitch")) == expected
    assert labels.check_safe_for_pitch_labels(sorted(expected)).correct
    with_flip = labels.check_safe_for_pitch_labels(sorted(expected | {"time_flip"}))
    assert not with_flip.correct and "plausible" in with_flip.message and "time_flip" in with_flip.message
    only_flip_missing_rest = labels.check_safe_for_pitch_labels(["noise", "time_flip"])
    assert not only_flip_missing_rest.correct and "more augmentation" in only_flip_missing_rest.message


def test_flip_and_crop_verdicts_agree_across_label_kinds():
    for kind in labels.LABEL_KINDS:
        assert labels.label_safety("time_flip", kind).verdict == "unsafe"
        assert labels.label_safety("frequency_flip", kind).verdict == "unsafe"
    crop = {kind: labels.label_safety("random_resized_crop", kind).verdict for kind in labels.LABEL_KINDS}
    assert crop == {"class": "safe", "pitch": "unsafe", "onsets": "adjust", "speaker": "unsafe"}


@pytest.mark.parametrize("answer", ODD_ANSWERS, ids=lambda a: type(a).__name__)
@pytest.mark.parametrize("checker", [
    lambda a: labels.check_shifted_onsets(a, [0.1, 0.5], 100.0, 1.0),
    labels.check_safe_for_pitch_labels,
], ids=["shifted_onsets", "safe_for_pitch_labels"])
def test_checkers_explain_every_odd_answer(checker, answer):
    assert_explains(checker, answer)

"""Tests of course_utils.augmentation (notebook 03_data_augmentation.ipynb)."""

from __future__ import annotations

import random
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_utils import augmentation as aug
from course_utils.signals import note, tone

SR = 22050


@pytest.fixture(scope="module")
def speech():
    """A 1 s piece of speech-like signal: a harmonic note with an envelope, plus a little noise."""
    y = note(57, 1.0, SR, amplitude=0.6)
    return y.astype(np.float32)


def dominant_frequency(y, sr):
    spectrum = np.abs(np.fft.rfft(y * np.hanning(len(y))))
    return np.fft.rfftfreq(len(y), 1 / sr)[np.argmax(spectrum)]


# --------------------------------------------------------------------------------------------------
# import hygiene

def test_import_does_not_load_heavy_libraries():
    code = ("import sys, os; os.environ.pop('NO_ALBUMENTATIONS_UPDATE', None); import course_utils.augmentation; "
            "bad = [m for m in ('audiomentations', 'albumentations', 'tensorflow') if m in sys.modules]; "
            "assert not bad, bad; assert os.environ['NO_ALBUMENTATIONS_UPDATE'] == '1'")
    subprocess.run([sys.executable, "-c", code], check=True)


# --------------------------------------------------------------------------------------------------
# the random pipeline

def test_augmenter_same_seed_same_sequence(speech):
    a = aug.make_audio_augmenter(seed=3, p=0.8)
    b = aug.make_audio_augmenter(seed=3, p=0.8)
    outs_a = [a(speech, SR) for _ in range(4)]
    outs_b = [b(speech, SR) for _ in range(4)]
    for x, y in zip(outs_a, outs_b):
        np.testing.assert_array_equal(x, y)
    # successive draws differ (p = 0.8 with three transforms: some transform applies)
    assert any(not np.array_equal(outs_a[0], o) for o in outs_a[1:])


def test_augmenter_different_seeds_differ(speech):
    a = aug.make_audio_augmenter(seed=1, p=1.0)(speech, SR)
    b = aug.make_audio_augmenter(seed=2, p=1.0)(speech, SR)
    assert not np.array_equal(a, b)


def test_augmenter_reproducible_regardless_of_global_state_and_restores_it(speech):
    a = aug.make_audio_augmenter(seed=5, p=1.0)
    random.seed(123)
    np.random.seed(123)
    first = a(speech, SR)
    # global generators are restored: the next draws are those of seed 123
    assert random.random() == random.Random(123).random()
    assert np.random.rand() == np.random.RandomState(123).rand()
    random.seed(999)
    np.random.seed(999)
    a.reseed(5)
    np.testing.assert_array_equal(a(speech, SR), first)


def test_augmenter_shape_dtype_and_input_untouched(speech):
    original = speech.copy()
    a = aug.make_audio_augmenter(seed=0, p=1.0, shift_max_ms=300)
    for y in (speech, speech.astype(np.float64), speech[:777]):
        out = a(y, SR)
        assert out.dtype == np.float32 and out.shape == y.shape
        assert np.all(np.isfinite(out))
    np.testing.assert_array_equal(speech, original)


def test_augmenter_leaves_out_zero_strength_components():
    names = lambda a: [type(t).__name__ for t in a.transform.transforms]  # noqa: E731
    assert names(aug.make_audio_augmenter()) == ["Shift", "PitchShift", "AddGaussianSNR"]
    assert names(aug.make_audio_augmenter(shift_max_ms=0)) == ["PitchShift", "AddGaussianSNR"]
    assert names(aug.make_audio_augmenter(semitones=None, snr_db=None)) == ["Shift"]
    assert names(aug.make_audio_augmenter(shift_max_ms=None, semitones=0.0, snr_db=None)) == []


def test_augmenter_p_zero_is_identity_and_p_one_reports_all(speech):
    out = aug.make_audio_augmenter(p=0.0, seed=0)(speech, SR)
    np.testing.assert_array_equal(out, speech)
    a = aug.make_audio_augmenter(p=1.0, seed=0, shift_max_ms=50, semitones=1, snr_db=(20, 20))
    a(speech, SR)
    applied = dict(a.last_applied)
    assert set(applied) == {"Shift", "PitchShift", "AddGaussianSNR"}
    assert abs(applied["Shift"]["shift_ms"]) <= 50
    assert abs(applied["PitchShift"]["semitones"]) <= 1


def test_augmenter_noise_only_has_requested_snr(speech):
    a = aug.make_audio_augmenter(shift_max_ms=None, semitones=None, snr_db=(10.0, 10.0), p=1.0, seed=0)
    out = a(speech, SR)
    assert aug.measure_snr_db(speech, out) == pytest.approx(10.0, abs=0.2)
    assert dict(a.last_applied)["AddGaussianSNR"]["snr_db"] == pytest.approx(10.0, abs=0.2)  # reported in dB too
    b = aug.make_audio_augmenter(shift_max_ms=200, semitones=2, snr_db=(5.0, 30.0), p=1.0, seed=3)
    for _ in range(3):  # in a pipeline, against the noise step's input (the shifted, pitch-shifted sound)
        b(speech, SR)
        reported = dict(b.last_applied)["AddGaussianSNR"]
        assert 4.5 < reported["snr_db"] < 30.5 and reported["noise_std"] > 0


@pytest.mark.parametrize("kwargs, match", [
    ({"shift_max_ms": -1.0}, "shift_max_ms"),
    ({"shift_max_ms": 6000.0}, "shift_max_ms"),
    ({"semitones": -2.0}, "semitones"),
    ({"semitones": 13.0}, "semitones"),
    ({"snr_db": (30.0, 10.0)}, "reversed"),
    ({"snr_db": (-5.0, 10.0)}, "snr_db"),
    ({"snr_db": -3.0}, "snr_db"),
    ({"p": 1.5}, r"p must be in \[0, 1\]"),
    ({"p": -0.1}, "p must"),
    ({"seed": -1}, "seed"),
    ({"semitones": float("nan")}, "semitones"),
])
def test_augmenter_rejects_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        aug.make_audio_augmenter(**kwargs)


def test_augmenter_rejects_bad_input():
    a = aug.make_audio_augmenter(seed=0)
    with pytest.raises(ValueError, match="mono"):
        a(np.zeros((2, 100), np.float32), SR)
    with pytest.raises(TypeError, match="float"):
        a(np.zeros(100, np.int16), SR)
    with pytest.raises(ValueError, match="sr"):
        a(np.zeros(100, np.float32), 0)
    with pytest.raises(ValueError, match="NaN"):
        a(np.full(100, np.nan, np.float32), SR)
    with pytest.raises(TypeError, match="rollover"):
        aug.make_audio_augmenter(rollover="yes")
    with pytest.raises(TypeError, match="snr_db"):
        aug.make_audio_augmenter(snr_db=(1, 2, 3))


# --------------------------------------------------------------------------------------------------
# single transforms

def test_time_shift_matches_numpy_roll_and_zero_fill():
    y = np.random.default_rng(0).uniform(-0.5, 0.5, 2000).astype(np.float32)
    shift_ms = 10.0
    n = round(shift_ms / 1000 * SR)
    rolled = aug.time_shift(y, SR, shift_ms, rollover=True, fade_ms=0)
    np.testing.assert_array_equal(rolled, np.roll(y, n))
    padded = aug.time_shift(y, SR, shift_ms, rollover=False, fade_ms=0)
    np.testing.assert_array_equal(padded[:n], 0)
    np.testing.assert_array_equal(padded[n:], y[:-n])
    earlier = aug.time_shift(y, SR, -shift_ms, rollover=False, fade_ms=0)
    np.testing.assert_array_equal(earlier[:-n], y[n:])
    np.testing.assert_array_equal(earlier[-n:], 0)
    faded = aug.time_shift(y, SR, shift_ms, rollover=False)
    assert faded.dtype == np.float32 and faded.shape == y.shape
    assert np.all(np.abs(faded[n:n + 50]) <= np.abs(y[:50]) + 1e-7)  # fade-in right after the gap


def test_pitch_shift_octave_doubles_frequency():
    y = tone(440.0, 1.0, SR)
    for semis, expected in [(12, 880.0), (-12, 220.0), (7, 440 * 2 ** (7 / 12))]:
        out = aug.pitch_shift(y, SR, semis)
        assert out.shape == y.shape and out.dtype == np.float32
        assert dominant_frequency(out, SR) == pytest.approx(expected, rel=0.01)
    np.testing.assert_array_equal(aug.pitch_shift(y, SR, 0), y)


def test_pitch_shift_keeps_timing():
    y = np.zeros(SR, np.float32)
    y[8000:8500] = tone(440.0, 500 / SR, SR)[:500]
    out = aug.pitch_shift(y, SR, 3)
    loud = np.flatnonzero(np.abs(out) > 0.1)
    assert abs(loud[0] - 8000) < 200 and abs(loud[-1] - 8500) < 200


def test_add_noise_snr_reaches_target_and_is_seeded(speech):
    for snr in (0.0, 10.0, 30.0):
        out = aug.add_noise_snr(speech, snr, seed=1)
        assert aug.measure_snr_db(speech, out) == pytest.approx(snr, abs=0.2)
    np.testing.assert_array_equal(aug.add_noise_snr(speech, 10, seed=4), aug.add_noise_snr(speech, 10, seed=4))
    assert not np.array_equal(aug.add_noise_snr(speech, 10, seed=4), aug.add_noise_snr(speech, 10, seed=5))


def test_add_gaussian_noise_has_fixed_std(speech):
    out = aug.add_gaussian_noise(speech, 0.05, seed=0)
    assert np.std(out - speech) == pytest.approx(0.05, rel=0.02)
    quiet = speech * 0.1
    # same amplitude on a 20 dB quieter signal: SNR drops by 20 dB
    snr_loud = aug.measure_snr_db(speech, aug.add_gaussian_noise(speech, 0.05, seed=0))
    snr_quiet = aug.measure_snr_db(quiet, aug.add_gaussian_noise(quiet, 0.05, seed=0))
    assert snr_loud - snr_quiet == pytest.approx(20.0, abs=0.3)
    np.testing.assert_array_equal(aug.add_gaussian_noise(speech, 0.0), speech)


def test_measure_snr_db_against_formula():
    clean = np.ones(100, np.float32)
    noisy = clean + 0.1
    assert aug.measure_snr_db(clean, noisy) == pytest.approx(20.0)
    assert aug.measure_snr_db(clean, clean) == float("inf")
    with pytest.raises(ValueError, match="same shape"):
        aug.measure_snr_db(clean, clean[:50])


@pytest.mark.parametrize("call, match", [
    (lambda y: aug.time_shift(y, SR, 6000), "shift_ms"),
    (lambda y: aug.time_shift(y, SR, 10, fade_ms=-1), "fade_ms"),
    (lambda y: aug.pitch_shift(y, SR, 24), "semitones"),
    (lambda y: aug.add_noise_snr(y, -1), "snr_db"),
    (lambda y: aug.add_noise_snr(y, 10, seed=-3), "seed"),
    (lambda y: aug.add_gaussian_noise(y, 2.0), "amplitude"),
])
def test_single_transforms_reject_bad_parameters(speech, call, match):
    with pytest.raises(ValueError, match=match):
        call(speech)


# --------------------------------------------------------------------------------------------------
# annotations and pitch

def test_estimate_midi_pitch_of_synthetic_notes():
    for pitch in (48, 60, 67.5, 72):
        assert aug.estimate_midi_pitch(note(pitch, 1.0, SR), SR) == pytest.approx(pitch, abs=0.15)


def test_pitch_shift_changes_a_pitch_label_by_the_semitones():
    y = note(60, 1.0, SR)
    for semis in (-3, 2, 5):
        assert aug.estimate_midi_pitch(aug.pitch_shift(y, SR, semis), SR) == pytest.approx(60 + semis, abs=0.2)


def test_shift_annotations_follow_the_audio():
    from course_utils.signals import clicks

    onsets = [0.25, 0.8, 1.6]
    y = clicks(onsets, duration=2.0, sr=SR)
    shifted = aug.time_shift(y, SR, 500, rollover=False, fade_ms=0)
    expected = aug.shift_annotations(onsets, 500, 2.0)
    np.testing.assert_allclose(expected, [0.75, 1.3])  # the click at 1.6 s left the clip
    first_sample = {round(t * SR) for t in expected}
    loud = np.flatnonzero(np.abs(shifted) > 0.5)
    assert all(any(abs(i - s) <= 2 for i in loud) for s in first_sample)
    np.testing.assert_allclose(aug.shift_annotations(onsets, 600, 2.0, rollover=True), [0.2, 0.85, 1.4])
    np.testing.assert_allclose(aug.shift_annotations(onsets, -300, 2.0), [0.5, 1.3])
    with pytest.raises(ValueError, match="times_s"):
        aug.shift_annotations([2.5], 10, 2.0)


# --------------------------------------------------------------------------------------------------
# spectrograms

@pytest.fixture(scope="module")
def S_db():
    rng = np.random.default_rng(0)
    S = rng.uniform(-80.0, -10.0, size=(40, 120)).astype(np.float32)
    S[5:10, 30:60] = 5.0  # a loud partial
    return S


def test_unit_range_round_trip(S_db):
    U, low, high = aug.to_unit_range(S_db)
    assert U.dtype == np.float32 and U.min() == 0 and U.max() == 1
    np.testing.assert_allclose(aug.from_unit_range(U, low, high), S_db, atol=1e-4)
    flat = np.full((4, 5), -20.0, np.float32)
    U, low, high = aug.to_unit_range(flat)
    np.testing.assert_allclose(aug.from_unit_range(U, low, high), flat)


def test_pixel_level_transform_clips_db_but_not_after_scaling(S_db):
    import albumentations as A

    raw = aug.apply_image_transform(A.RandomBrightnessContrast(p=1.0), S_db, unit_range=False)
    assert raw.min() >= 0 and raw.max() <= 1 and np.mean(raw == 0) > 0.9  # what albumentations 2.0.8 does
    safe = aug.apply_image_transform(A.RandomBrightnessContrast(p=1.0), S_db)
    assert safe.min() >= S_db.min() - 1e-3 and safe.max() <= S_db.max() + 1e-3
    assert np.corrcoef(safe.ravel(), S_db.ravel())[0, 1] > 0.9


@pytest.mark.parametrize("name", list(aug.SPECTROGRAM_TRANSFORMS))
def test_augment_spectrogram_keeps_shape_dtype_range_and_seed(S_db, name):
    out = aug.augment_spectrogram(S_db, name, n_masks=2, mask_width=6, seed=1)
    assert out.shape == S_db.shape and out.dtype == np.float32
    assert out.min() >= S_db.min() - 1e-3 and out.max() <= S_db.max() + 1e-3
    np.testing.assert_array_equal(out, aug.augment_spectrogram(S_db, name, n_masks=2, mask_width=6, seed=1))
    assert not np.allclose(out, S_db, atol=1e-3)


def test_flips_and_masks_do_what_they_say(S_db):
    np.testing.assert_allclose(aug.augment_spectrogram(S_db, "time_flip"), S_db[:, ::-1], atol=1e-4)
    np.testing.assert_allclose(aug.augment_spectrogram(S_db, "frequency_flip"), S_db[::-1, :], atol=1e-4)
    out = aug.augment_spectrogram(S_db, "time_mask", n_masks=1, mask_width=7, fill="min", seed=3)
    masked_columns = np.flatnonzero(np.all(np.isclose(out, S_db.min(), atol=1e-3), axis=0))
    assert len(masked_columns) == 7 and np.all(np.diff(masked_columns) == 1)
    out = aug.augment_spectrogram(S_db, "frequency_mask", n_masks=1, mask_width=4, fill="mean", seed=3)
    masked_rows = np.flatnonzero(np.all(np.isclose(out, S_db.mean(), atol=1e-2), axis=1))
    assert len(masked_rows) == 4


def test_fill_zero_db_on_raw_values_is_loud(S_db):
    raw = aug.augment_spectrogram(S_db, "time_mask", n_masks=1, mask_width=10, fill=0.0, unit_range=False)
    assert np.sum(raw == 0.0) == 10 * S_db.shape[0]  # 0 dB: louder than most of this spectrogram
    scaled = aug.augment_spectrogram(S_db, "time_mask", n_masks=1, mask_width=10, fill=0.0)
    assert scaled.max() <= S_db.max() + 1e-3


@pytest.mark.parametrize("kwargs, match", [
    ({"transform": "time_mask", "mask_width": 121}, "mask_width"),
    ({"transform": "frequency_mask", "mask_width": 41}, "mask_width"),
    ({"transform": "time_mask", "n_masks": 0}, "n_masks"),
    ({"transform": "random_resized_crop", "crop_scale": 0.0}, "crop_scale"),
    ({"transform": "rotate"}, "transform"),
    ({"transform": "time_mask", "fill": "max"}, "fill"),
])
def test_augment_spectrogram_rejects_bad_parameters(S_db, kwargs, match):
    with pytest.raises(ValueError, match=match):
        aug.augment_spectrogram(S_db, **kwargs)


def test_spectrogram_augmenter_seeded_and_range_preserving(S_db):
    a = aug.make_spectrogram_augmenter(seed=2, dropout_holes=2, crop_scale=0.7, time_flip=True, p=0.7)
    b = aug.make_spectrogram_augmenter(seed=2, dropout_holes=2, crop_scale=0.7, time_flip=True, p=0.7)
    outs = [a(S_db) for _ in range(3)]
    for x, y in zip(outs, [b(S_db) for _ in range(3)]):
        np.testing.assert_array_equal(x, y)
        assert x.shape == S_db.shape and x.dtype == np.float32
        assert x.min() >= S_db.min() - 1e-3 and x.max() <= S_db.max() + 1e-3
    assert not np.array_equal(outs[0], outs[1])
    a.reseed(2)
    np.testing.assert_array_equal(a(S_db), outs[0])


def test_spectrogram_augmenter_default_masks_with_floor():
    S = np.full((30, 80), -20.0, np.float32)
    S[0, 0] = -80.0
    out = aug.make_spectrogram_augmenter(seed=0)(S)
    assert np.sum(np.isclose(out, -80.0, atol=1e-3)) > 30  # two time and two frequency masks at the floor


@pytest.mark.parametrize("kwargs, match", [
    ({"time_masks": -1}, "time_masks"),
    ({"time_masks": 11}, "time_masks"),
    ({"freq_masks": 1, "freq_mask_width": 0}, "freq_mask_width"),
    ({"crop_scale": 1.5}, "crop_scale"),
    ({"fill": "loud"}, "fill"),
    ({"p": 2}, "p must"),
])
def test_spectrogram_augmenter_rejects_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        aug.make_spectrogram_augmenter(**kwargs)


def test_spectrogram_augmenter_rejects_masks_wider_than_the_spectrogram(S_db):
    with pytest.raises(ValueError, match="time_mask_width"):
        aug.make_spectrogram_augmenter(time_mask_width=500)(S_db)
    with pytest.raises(ValueError, match="freq_mask_width"):
        aug.make_spectrogram_augmenter(freq_mask_width=41)(S_db)
    with pytest.raises(ValueError, match="shape"):
        aug.make_spectrogram_augmenter()(S_db[0])


# --------------------------------------------------------------------------------------------------
# label safety

def test_label_safety_table_is_complete_and_consistent():
    for a in aug.AUGMENTATIONS:
        for k in aug.LABEL_KINDS:
            verdict = aug.label_safety(a, k)
            assert verdict.verdict in ("safe", "adjust", "unsafe") and verdict.reason
    assert aug.label_safety("pitch_shift", "class").safe
    assert aug.label_safety("pitch_shift", "pitch").verdict == "adjust"
    assert aug.label_safety("time_shift", "onsets").verdict == "adjust"
    assert aug.label_safety("frequency_flip", "class").verdict == "unsafe"
    assert aug.label_safety("time_flip", "class").verdict == "unsafe"
    assert "pitch_shift" not in aug.safe_augmentations("pitch")
    assert "pitch_shift" in aug.safe_augmentations("pitch", include_adjust=True)
    assert {"noise", "time_shift"} <= set(aug.safe_augmentations("class"))
    table = aug.label_safety_table()
    assert "<table>" in table._repr_html_() and "pitch_shift" in repr(table)
    with pytest.raises(ValueError, match="augmentation"):
        aug.label_safety("reverb", "class")
    with pytest.raises(ValueError, match="label_kind"):
        aug.label_safety("noise", "genre")


# --------------------------------------------------------------------------------------------------
# exercise checkers (right and wrong answers)

def test_check_noise_std(speech):
    rms = float(np.sqrt(np.mean(speech.astype(np.float64) ** 2)))
    assert aug.check_noise_std(rms / 10 ** (10 / 20), speech, 10).correct
    assert not aug.check_noise_std(None, speech, 10).correct
    wrong_power = aug.check_noise_std(rms / 10, speech, 10)
    assert not wrong_power.correct and "SNR/20" in wrong_power.message
    assert not aug.check_noise_std("abc", speech, 10).correct
    # the augmenter's noise really has that std
    noisy = aug.add_noise_snr(speech, 10, seed=0)
    assert aug.check_noise_std(np.std(noisy - speech), speech, 10).message  # close but not exact


def test_shifts_longer_than_the_clip():
    y = np.random.default_rng(0).uniform(-0.5, 0.5, 2048).astype(np.float32)
    with pytest.raises(ValueError, match="shift_ms"):
        aug.time_shift(y, SR, 100.0)
    assert aug.time_shift(y, SR, -1000 * 2047 / SR, rollover=True).shape == y.shape
    augment = aug.make_audio_augmenter(shift_max_ms=300.0, semitones=None, snr_db=None, p=1.0, seed=0)
    for _ in range(5):
        out = augment(y, SR)
        assert out.shape == y.shape and abs(augment.last_applied[0][1]["shift_ms"]) <= 1000 * 2047 / SR
    assert augment.transform.transforms[0].max_shift == 0.3  # the configured range is kept


def test_check_shifted_onsets():
    onsets = [0.1, 0.5, 0.95]
    assert aug.check_shifted_onsets([0.3, 0.7], onsets, 200, 1.0).correct
    kept_all = aug.check_shifted_onsets([0.3, 0.7, 1.15], onsets, 200, 1.0)
    assert not kept_all.correct and "outside" in kept_all.message
    assert not aug.check_shifted_onsets(None, onsets, 200, 1.0).correct
    in_ms = aug.check_shifted_onsets([300, 700], onsets, 200, 1.0)
    assert not in_ms.correct and "milliseconds" in in_ms.message
    backwards = aug.check_shifted_onsets([0.3, 0.75], onsets, 200, 1.0)
    assert not backwards.correct and "direction" in backwards.message
    assert aug.check_shifted_onsets([0.3, 0.7, 0.15], onsets, 200, 1.0, rollover=True).correct


def test_check_safe_for_pitch_labels():
    assert aug.check_safe_for_pitch_labels(aug.safe_augmentations("pitch")).correct
    assert not aug.check_safe_for_pitch_labels(None).correct
    with_pitch = aug.check_safe_for_pitch_labels(aug.safe_augmentations("pitch") + ["pitch_shift"])
    assert not with_pitch.correct and "pitch_shift" in with_pitch.message
    assert not aug.check_safe_for_pitch_labels(["noise"]).correct
    assert "unknown" in aug.check_safe_for_pitch_labels(["reverb"]).message


def test_check_silence_fill(S_db):
    assert aug.check_silence_fill(float(S_db.min()), S_db).correct
    zero = aug.check_silence_fill(0, S_db)
    assert not zero.correct and "0 dB" in zero.message
    assert not aug.check_silence_fill(None, S_db).correct
    assert not aug.check_silence_fill(-20, S_db).correct


# --------------------------------------------------------------------------------------------------
# the experiment

def test_mcnemar_p_value_against_scipy():
    from scipy.stats import binomtest

    a = np.array([True] * 30 + [False] * 10 + [True] * 5 + [False] * 2)
    b = np.array([True] * 30 + [True] * 10 + [False] * 5 + [False] * 2)
    assert aug.mcnemar_p_value(a, b) == pytest.approx(binomtest(5, 15, 0.5).pvalue)
    assert aug.mcnemar_p_value(a, a) == 1.0


def test_summary_features_shape():
    f = aug.summary_features(note(60, 0.5, 8000), 8000)
    assert f.shape == (80,) and f.dtype == np.float32
    assert aug.summary_features(np.zeros(100, np.float32) + 0.1, 8000).shape == (80,)  # shorter than a block


def test_augmentation_experiment_small_run():
    from course_utils.data import load_fsdd

    c = load_fsdd(speakers=["george", "jackson", "lucas", "nicolas", "theo"], digits=[0, 1, 2], progress=False)
    r = aug.augmentation_experiment(c, "theo", n_copies=1, max_per_class=20, seed=0)
    assert r.n_train == 60 and r.n_train_augmented == 120 and r.n_test == 150
    for acc in (r.accuracy_plain, r.accuracy_augmented, r.accuracy_plain_noisy, r.accuracy_augmented_noisy):
        assert 0.0 <= acc <= 1.0
    assert r.accuracy_plain > 0.45  # above chance (1/3) with 60 training clips of four other speakers
    assert 0 <= r.p_value <= 1 and "McNemar" in r.summary()
    again = aug.augmentation_experiment(c, "theo", n_copies=1, max_per_class=20, seed=0)
    assert again.accuracy_augmented == r.accuracy_augmented
    with pytest.raises(ValueError, match="n_copies"):
        aug.augmentation_experiment(c, "theo", n_copies=0)


def test_experiment_summary_wording_follows_the_numbers():
    base = dict(test_speaker="x", n_train=10, n_train_augmented=20, n_test=100, accuracy_plain_noisy=0.5,
                accuracy_augmented_noisy=0.5, test_snr_db=None, seconds=1.0)
    helped = aug.ExperimentResult(accuracy_plain=0.5, accuracy_augmented=0.7, p_value=0.001, **base)
    assert "helped" in helped.summary()
    unclear = aug.ExperimentResult(accuracy_plain=0.5, accuracy_augmented=0.53, p_value=0.4, **base)
    assert "no clear effect" in unclear.summary() and "helped" not in unclear.summary()
    hurt = aug.ExperimentResult(accuracy_plain=0.7, accuracy_augmented=0.5, p_value=0.001, **base)
    assert "hurt" in hurt.summary()


def test_plot_before_after_and_players(speech):
    import matplotlib

    matplotlib.use("Agg")
    axes = aug.plot_before_after(speech, aug.add_noise_snr(speech, 10), SR, title="noisy")
    assert axes.shape == (2, 2) and axes[0, 1].get_title() == "noisy"
    assert len(axes[1, 0].images) == 1 and axes[1, 0].images[0].get_clim() == axes[1, 1].images[0].get_clim()
    box = aug.players(SR, before=speech, after=speech * 0.5)
    assert len(box.children) == 2 and "audio" in box.children[0].value


# --------------------------------------------------------------------------------------------------
# properties over many inputs

@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n_samples=st.integers(2048, 20000), seed=st.integers(0, 2**32 - 1), p=st.floats(0, 1),
       shift=st.floats(0, 300), semitones=st.floats(0, 12))
def test_property_audio_augmenter_shape_dtype_and_seed(n_samples, seed, p, shift, semitones):
    y = np.random.default_rng(seed % 1000).uniform(-0.5, 0.5, n_samples).astype(np.float32)
    a = aug.make_audio_augmenter(shift_max_ms=shift, semitones=semitones, p=p, seed=seed)
    out = a(y, SR)
    assert out.shape == y.shape and out.dtype == np.float32 and np.all(np.isfinite(out))
    np.testing.assert_array_equal(out, aug.make_audio_augmenter(shift_max_ms=shift, semitones=semitones, p=p,
                                                                seed=seed)(y, SR))


@settings(max_examples=25, deadline=None)
@given(n_bins=st.integers(8, 80), n_frames=st.integers(8, 200), seed=st.integers(0, 2**32 - 1),
       offset=st.floats(-100, 50), span=st.floats(1, 120), transform=st.sampled_from(list(aug.SPECTROGRAM_TRANSFORMS)))
def test_property_spectrogram_transforms_keep_shape_and_range(n_bins, n_frames, seed, offset, span, transform):
    S = (offset + span * np.random.default_rng(seed % 1000).random((n_bins, n_frames))).astype(np.float32)
    out = aug.augment_spectrogram(S, transform, n_masks=2, mask_width=min(4, n_bins, n_frames), seed=seed)
    assert out.shape == S.shape and out.dtype == np.float32
    tolerance = 1e-5 * max(1.0, abs(offset) + span)
    assert out.min() >= S.min() - tolerance and out.max() <= S.max() + tolerance
    random_out = aug.make_spectrogram_augmenter(time_mask_width=min(5, n_frames), freq_mask_width=min(5, n_bins),
                                                seed=seed)(S)
    assert random_out.shape == S.shape and random_out.min() >= S.min() - tolerance

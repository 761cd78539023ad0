"""Tests of course_utils.augmentation, waveform augmentation (notebook 03_data_augmentation.ipynb)."""

from __future__ import annotations

import random
import subprocess
import sys

import numpy as np
import pytest
from checker_contract import ODD_ANSWERS, assert_explains
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
    modules = "augmentation", "spectrogram_augmentation", "augmentation_labels", "augmentation_experiment"
    code = ("import sys, os, importlib; os.environ.pop('NO_ALBUMENTATIONS_UPDATE', None); "
            f"[importlib.import_module('course_utils.' + m) for m in {modules!r}]; "
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
# checker, edge cases and helpers

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


def test_plot_before_after_and_players(speech):
    import matplotlib

    matplotlib.use("Agg")
    axes = aug.plot_before_after(speech, aug.add_noise_snr(speech, 10), SR, title="noisy")
    assert axes.shape == (2, 2) and axes[0, 1].get_title() == "noisy"
    assert len(axes[1, 0].images) == 1 and axes[1, 0].images[0].get_clim() == axes[1, 1].images[0].get_clim()
    import io
    import wave

    import ipywidgets

    def audio_widgets(widget):
        if isinstance(widget, ipywidgets.Audio):
            return [widget]
        return [a for child in getattr(widget, "children", ()) for a in audio_widgets(child)]

    box = aug.players(SR, before=speech, after=speech * 0.5)
    assert len(box.children) == 2
    peaks = []
    for audio in audio_widgets(box):
        with wave.open(io.BytesIO(audio.value)) as w:
            assert w.getframerate() == SR and w.getnframes() == len(speech)
            peaks.append(np.abs(np.frombuffer(w.readframes(w.getnframes()), np.int16)).max())
    assert len(peaks) == 2 and peaks[1] / peaks[0] == pytest.approx(0.5, abs=0.01)  # true levels, not normalised


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


@pytest.mark.parametrize("answer", ODD_ANSWERS, ids=lambda a: type(a).__name__)
def test_check_noise_std_explains_every_odd_answer(speech, answer):
    assert_explains(lambda a: aug.check_noise_std(a, speech, 10), answer)

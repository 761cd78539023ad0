"""Bad and edge inputs to the signal, representation, normalization and augmentation modules (issue 14).

Every wrong value gets a ``TypeError`` or ``ValueError`` whose message names the parameter and its allowed
range; valid edge values give finite results without NumPy warnings; checkers answer every input.
"""

import importlib
import re
import warnings

import matplotlib
import numpy as np
import pytest

from course_utils import augmentation as aug
from course_utils import augmentation_experiment as experiment
from course_utils import augmentation_labels as labels
from course_utils import normalization, plotting, representations, signals
from course_utils import spectrogram_augmentation as spec_aug
from course_utils.checks import Check

matplotlib.use("Agg")

SR = 8000
Y = signals.tone(440.0, duration=0.5, sr=SR)
RANGE = re.compile(r"\d")  # a message that states a range holds at least one number


def _raises(error, call, name):
    """``call()`` raises ``error`` naming ``name`` and stating a range (a number)."""
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    assert name in message, message
    assert RANGE.search(message), message
    return message


# --------------------------------------------------------------------------------------------------
# silent NaN/inf from plausible input

@pytest.mark.parametrize("call, name", [
    (lambda: signals.clicks([0.1], click_duration=0), "click_duration"),
    (lambda: signals.note(decay=-1000), "decay"),
    (lambda: signals.note(decay=float("nan")), "decay"),
    (lambda: signals.note(decay=float("inf")), "decay"),
    (lambda: signals.tone(phase=float("nan")), "phase"),
    (lambda: signals.tone(phase=float("inf")), "phase"),
    (lambda: normalization.make_two_scale_problem(noise=float("nan")), "noise"),
    (lambda: normalization.make_two_scale_problem(scales=(1, float("inf"))), "scales"),
    (lambda: normalization.gradient_descent_path(*normalization.make_two_scale_problem(), w0=(np.nan, 0)), "w0"),
])
def test_values_that_would_give_nan_or_inf_are_refused(call, name):
    _raises(ValueError, call, name)


def test_valid_edge_values_give_finite_results_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        results = [
            signals.clicks([0.0, 1.9], click_duration=1e-4),
            signals.note(decay=0), signals.note(decay=1000), signals.note(100, sr=SR),
            signals.tone(phase=-1000.0), signals.tone(duration=1 / 22050),
            signals.noise(seed=2**32 - 1),
            representations.log_mel_spectrogram(np.zeros(SR, np.float32), SR, 16, 1024, n_mels=4),
            representations.mfcc_frames(np.zeros(SR, np.float32), SR, 256, 128, n_mfcc=13, n_mels=13),
            normalization.normalize(np.ones((3, 4, 5)), "zscore", "frequency", eps=0.0),
            normalization.add_click(np.zeros(10, np.float32), 1.0, 0.99, 1_000_000),
            np.array([aug.measure_snr_db(np.zeros(10, np.float32), np.ones(10, np.float32))]),
        ]
        path = normalization.gradient_descent_path(*normalization.make_two_scale_problem(), max_steps=1)
    for result in results[:-1]:
        assert np.all(np.isfinite(result))
    assert results[-1][0] == -np.inf  # all noise, no signal: documented, and no log10(0) warning
    assert np.all(np.isfinite(path.weights))


# --------------------------------------------------------------------------------------------------
# errors from NumPy or Python without the parameter's name

@pytest.mark.parametrize("call, error, name", [
    (lambda: signals.tone(amplitude="0.5"), TypeError, "amplitude"),
    (lambda: signals.tone(frequency="440"), TypeError, "frequency"),
    (lambda: signals.tone(duration=None), TypeError, "duration"),
    (lambda: signals.tone(sr=22050.0), TypeError, "sr"),
    (lambda: signals.noise(seed=-1), ValueError, "seed"),
    (lambda: signals.noise(seed="a"), TypeError, "seed"),
    (lambda: signals.clicks("a"), TypeError, "times"),
    (lambda: signals.note(n_harmonics=6.5), TypeError, "n_harmonics"),
    (lambda: signals.midi_to_hz("69"), TypeError, "pitch"),
    (lambda: signals.time_axis(-1, SR), ValueError, "n_samples"),
    (lambda: representations.plot_frames(Y, 0, 256, 128), ValueError, "sr"),
    (lambda: representations.samples_to_ms("512", SR), TypeError, "n_samples"),
    (lambda: representations.hop_for_overlap(1024, "50"), TypeError, "overlap"),
    (lambda: representations.plot_patches(np.zeros((4, 40)), 8, 4, max_outlines="all"), TypeError, "max_outlines"),
    (lambda: plotting.plot_waveform(Y, 0), ValueError, "sr"),
    (lambda: plotting.plot_spectrogram(np.zeros((4, 5)), SR, 0), ValueError, "hop_size"),
    (lambda: normalization.make_two_scale_problem(correlation="0.5"), TypeError, "correlation"),
    (lambda: normalization.make_two_scale_problem(seed=-1), ValueError, "seed"),
    (lambda: normalization.gradient_descent_path(*normalization.make_two_scale_problem(), w0="ab"), TypeError, "w0"),
    (lambda: normalization.add_click(Y, "0.5"), TypeError, "amplitude"),
    (lambda: normalization.add_click(Y, 0.5, length=0), ValueError, "length"),
    (lambda: normalization.side_by_side(np.zeros((2, 3, 4)), gap=-1), ValueError, "gap"),
    (lambda: normalization.matrix_to_patches(np.zeros(24), (2, "3", 4)), TypeError, "shape"),
    (lambda: normalization.fsdd_patch_sets(n_train="a"), TypeError, "n_train"),
    (lambda: spec_aug.to_unit_range(np.zeros((4, 4), np.float32), low="a"), TypeError, "low"),
    (lambda: labels.shift_annotations("ab", 10.0, 1.0), TypeError, "times_s"),
    (lambda: labels.estimate_midi_pitch(Y, SR, fmin="50"), TypeError, "fmin"),
    (lambda: experiment.summary_features(Y, SR, block_size="256"), TypeError, "block_size"),
    (lambda: experiment.mcnemar_p_value(["a", "b"], [True, False]), TypeError, "correct_a"),
])
def test_wrong_values_are_named_with_their_range(call, error, name):
    _raises(error, call, name)


# --------------------------------------------------------------------------------------------------
# truthy strings and booleans used as numbers

@pytest.mark.parametrize("call, name", [
    (lambda: representations.n_frames(1000, 256, 128, center="no"), "center"),
    (lambda: representations.log_mel_spectrogram(Y, SR, 256, 128, center="no"), "center"),
    (lambda: representations.mfcc_frames(Y, SR, 256, 128, center="no"), "center"),
    (lambda: representations.frame_start_times(5, 128, SR, block_size=256, center="no"), "center"),
    (lambda: aug.time_shift(Y, SR, 10.0, rollover="no"), "rollover"),
    (lambda: aug.make_audio_augmenter(rollover="no"), "rollover"),
    (lambda: labels.shift_annotations([0.1], 10.0, 1.0, rollover="no"), "rollover"),
    (lambda: labels.safe_augmentations("class", include_adjust="no"), "include_adjust"),
    (lambda: spec_aug.augment_spectrogram(np.zeros((8, 8), np.float32), "time_flip", unit_range="no"), "unit_range"),
    (lambda: signals.chirp_with_clicks(with_clicks="no"), "with_clicks"),
    (lambda: plotting.plot_spectrogram(np.zeros((4, 5)), SR, 128, colorbar="no"), "colorbar"),
])
def test_truthy_strings_are_refused_as_flags(call, name):
    with pytest.raises(TypeError, match=f"{name} must be True or False"):
        call()


@pytest.mark.parametrize("call, name", [
    (lambda: representations.log_mel_spectrogram(Y, SR, 256, 128, fmin=True), "fmin"),
    (lambda: representations.log_mel_spectrogram(Y, SR, 256, 128, fmax=True), "fmax"),
    (lambda: representations.log_mel_spectrogram(Y, SR, 256, 128, top_db=True), "top_db"),
    (lambda: representations.n_frames(True, 1, 1), "n_samples"),
    (lambda: normalization.normalize(np.arange(5.0), eps=True), "eps"),
    (lambda: normalization.normalize(np.arange(5.0), eps="1e-8"), "eps"),
    (lambda: signals.tone(amplitude=True), "amplitude"),
    (lambda: signals.tone(sr=True), "sr"),
    (lambda: normalization.make_two_scale_problem(n_examples=True), "n_examples"),
])
def test_booleans_and_strings_are_not_numbers(call, name):
    with pytest.raises(TypeError, match=name):
        call()


# --------------------------------------------------------------------------------------------------
# upper bounds: fail fast with the range instead of freezing the kernel

@pytest.mark.parametrize("call, name", [
    (lambda: representations.log_mel_spectrogram(Y, SR, block_size=2**30, center=True), "block_size"),
    (lambda: representations.log_mel_spectrogram(Y, SR, block_size=8, hop_size=4), "block_size"),
    (lambda: representations.log_mel_spectrogram(Y, SR, 256, hop_size=2**20), "hop_size"),
    (lambda: representations.log_mel_spectrogram(Y, SR, 256, 128, n_mels=10**6), "n_mels"),
    (lambda: representations.mfcc_frames(Y, SR, 256, 128, n_mfcc=10**6), "n_mfcc"),
    (lambda: representations.log_mel_spectrogram(Y, SR, 256, 128, top_db=1e9), "top_db"),
    (lambda: representations.frame_start_times(10**12, 512, SR), "n_frames"),
    (lambda: representations.n_frames(10**12, 1024, 512), "n_samples"),
    (lambda: signals.tone(duration=1e6), "duration"),
    (lambda: signals.clicks(np.zeros(10**5)), "times"),
    (lambda: normalization.make_two_scale_problem(n_examples=10**9), "n_examples"),
    (lambda: normalization.gradient_descent_path(*normalization.make_two_scale_problem(), max_steps=10**9),
     "max_steps"),
])
def test_sizes_are_bounded(call, name):
    _raises(ValueError, call, name)


def test_a_spectrogram_too_large_for_memory_is_refused_before_computing():
    long = np.zeros(30 * 22050, np.float32)
    message = _raises(ValueError, lambda: representations.log_mel_spectrogram(long, 22050, 4096, 1), "hop_size")
    assert "memory" in message


# --------------------------------------------------------------------------------------------------
# integer and stereo audio: one message everywhere

INT16 = (Y * 32767).astype(np.int16)
SIGNAL_CALLS = [
    lambda y: representations.frame_signal(y, 256, 128),
    lambda y: representations.log_mel_spectrogram(y, SR, 256, 128),
    lambda y: representations.mfcc_frames(y, SR, 256, 128),
    lambda y: representations.plot_frames(y, SR, 256, 128),
    lambda y: plotting.plot_waveform(y, SR),
    lambda y: normalization.add_click(y, 0.5),
    lambda y: normalization.recording_patches(y, SR),
    lambda y: aug.time_shift(y, SR, 10.0),
    lambda y: aug.add_noise_snr(y, 20.0),
    lambda y: labels.estimate_midi_pitch(y, SR),
    lambda y: experiment.summary_features(y, SR),
]


@pytest.mark.parametrize("call", SIGNAL_CALLS)
def test_integer_audio_is_refused_with_the_scaling_hint(call):
    with pytest.raises(TypeError, match=r"y holds integers \(int16\).*divide by 32768"):
        call(INT16)


@pytest.mark.parametrize("call", SIGNAL_CALLS)
def test_stereo_audio_is_refused_with_how_to_make_it_mono(call):
    with pytest.raises(ValueError, match=r"y must be .*mono.*mean\(axis=0\)"):
        call(np.stack([Y, Y]))


# --------------------------------------------------------------------------------------------------
# promises: augmentation keeps the value range; no confident nonsense for silence

@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("transform", list(spec_aug.SPECTROGRAM_TRANSFORMS))
def test_augmented_constant_spectrogram_stays_in_its_range(transform, seed):
    S = np.full((16, 32), -42.5, np.float32)
    out = spec_aug.augment_spectrogram(S, transform, n_masks=1, mask_width=4, seed=seed)
    np.testing.assert_array_equal(out, S)


@pytest.mark.parametrize("seed", range(5))
def test_brightness_keeps_a_spectrogram_inside_its_range(seed):
    S = np.random.default_rng(seed).uniform(-80, 10, size=(16, 32)).astype(np.float32)
    out = spec_aug.augment_spectrogram(S, "brightness_contrast", seed=seed)
    assert S.min() <= out.min() and out.max() <= S.max()


def test_from_unit_range_is_clipped_to_low_high():
    out = spec_aug.from_unit_range(np.array([[-0.5, 0.5, 1.5]]), -10.0, 10.0)
    np.testing.assert_array_equal(out, [[-10.0, 0.0, 10.0]])
    np.testing.assert_array_equal(spec_aug.from_unit_range(np.array([0.2, 0.9]), 3.0, 3.0), [3.0, 3.0])


def test_pitch_of_silence_is_an_error_not_a_number():
    with pytest.raises(ValueError, match="no pitch was found.*silent"):
        labels.estimate_midi_pitch(np.zeros(SR, np.float32), SR)
    assert labels.estimate_midi_pitch(signals.note(69, sr=22050), 22050) == pytest.approx(69, abs=0.3)


# --------------------------------------------------------------------------------------------------
# checkers answer every input with right or wrong

JUNK = [10**400, -10**400, np.arange(5), np.zeros((2, 2)), "abc", "12", None, float("nan"), float("inf"),
        True, [1, "a"], [[1, 2], [3]], {"a": 1}, {1, 2}, 1 + 2j, b"x", object(), np.array("x"), (), []]


def _checkers():
    rng = np.random.default_rng(0)
    train, test = rng.normal(size=(6, 4, 5)), rng.normal(size=(3, 4, 5))
    S_db = rng.uniform(-80, 0, size=(8, 10)).astype(np.float32)
    return {
        "check_n_frames": representations.check_n_frames,
        "check_n_frames_centered": representations.check_n_frames_centered,
        "check_patch_shape": representations.check_patch_shape,
        "check_hop_for_overlap": representations.check_hop_for_overlap,
        "check_frequency_resolution": representations.check_frequency_resolution,
        "check_layer_inputs": representations.check_layer_inputs,
        "check_zscore": normalization.check_zscore,
        "check_frequency_axes": normalization.check_frequency_axes,
        "check_train_only": lambda a: normalization.check_train_only(a, train, test),
        "check_sklearn_frequency": lambda a: normalization.check_sklearn_frequency(a, train),
        "check_noise_std": lambda a: aug.check_noise_std(a, Y, 20.0),
        "check_silence_fill": lambda a: spec_aug.check_silence_fill(a, S_db),
        "check_shifted_onsets": lambda a: labels.check_shifted_onsets(a, [0.1, 0.5], 100.0, 1.0),
        "check_safe_for_pitch_labels": labels.check_safe_for_pitch_labels,
    }


def test_every_checker_of_these_modules_is_tried():
    names = {name for module in (signals, representations, normalization, aug, spec_aug, labels, experiment)
             for name in getattr(module, "__all__", dir(module)) if name.startswith("check_")}
    assert names == set(_checkers())


@pytest.mark.parametrize("name", sorted(_checkers()))
def test_checkers_answer_every_input(name):
    checker = _checkers()[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for answer in JUNK:
            result = checker(answer)
            assert isinstance(result, Check), (name, answer)
            assert not result.correct, (name, answer)
            assert result.message and len(result.message) < 600


def test_normalization_split_keeps_every_name_importable():
    names = set(normalization.__all__)
    for part in ("normalization_descent", "normalization_patches", "normalization_checks"):
        module = importlib.import_module(f"course_utils.{part}")
        assert set(module.__all__) <= names
        for attribute in module.__all__:
            assert getattr(normalization, attribute) is getattr(module, attribute)
    assert all(hasattr(normalization, attribute) for attribute in names)
    assert len(names) == len(normalization.__all__)

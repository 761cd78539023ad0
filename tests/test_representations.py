"""Tests of course_utils.representations against librosa, NumPy and the lecture's formulas."""

from __future__ import annotations

import math

import librosa
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils.representations import (
    check_frequency_resolution,
    check_hop_for_overlap,
    check_layer_inputs,
    check_n_frames,
    check_n_frames_centered,
    check_patch_shape,
    extract_patches,
    frame_signal,
    frame_start_times,
    frequency_resolution,
    hop_for_overlap,
    log_mel_spectrogram,
    mfcc_frames,
    n_frames,
    n_patches,
    overlap_percent,
    representation_table,
    samples_to_ms,
)
from course_utils.signals import chirp_with_clicks

SR = 22050


@pytest.fixture(scope="module")
def signal():
    return chirp_with_clicks(1.0, SR)


# ----------------------------------------------------------------------------------------------
# Frame counts and framing

@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 3000), block=st.integers(1, 3000), hop=st.integers(1, 3000))
def test_n_frames_formula_and_librosa(n, block, hop):
    y = np.arange(n, dtype=np.float32)
    if block > n:
        with pytest.raises(ValueError, match="block_size"):
            n_frames(n, block, hop)
        with pytest.raises(ValueError, match="block_size"):
            frame_signal(y, block, hop)
        return
    count = n_frames(n, block, hop)
    assert count == math.floor((n - block) / hop) + 1
    frames = frame_signal(y, block, hop)
    reference = librosa.util.frame(y, frame_length=block, hop_length=hop, axis=0)
    assert frames.shape == (count, block) == reference.shape
    np.testing.assert_array_equal(frames, reference)
    assert np.shares_memory(frames, y)
    # the last frame is complete and the next one would not be
    assert (count - 1) * hop + block <= n < count * hop + block


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 4000), block=st.integers(2, 2048), hop=st.integers(1, 1024))
def test_n_frames_centered_matches_librosa_stft(n, block, hop):
    expected = librosa.util.frame(np.pad(np.zeros(n), block // 2), frame_length=block, hop_length=hop,
                                  axis=0).shape[0]
    assert n_frames(n, block, hop, center=True) == expected
    if block % 2 == 0:
        assert n_frames(n, block, hop, center=True) == 1 + n // hop


def test_centered_count_equals_stft_columns(signal):
    for block, hop in [(1024, 512), (2048, 256), (255, 100), (64, 64)]:
        columns = librosa.stft(signal, n_fft=block, hop_length=hop, center=True).shape[1]
        assert n_frames(len(signal), block, hop, center=True) == columns


def test_frame_signal_is_a_view_and_frame_values(signal):
    frames = frame_signal(signal, 1024, 256)
    assert np.shares_memory(frames, signal)
    assert not frames.flags.writeable
    for i in (0, 1, 7, len(frames) - 1):
        np.testing.assert_array_equal(frames[i], signal[i * 256: i * 256 + 1024])


def test_frame_signal_keeps_dtype_refuses_int_and_works_on_strided_input():
    y = np.arange(100, dtype=np.float32)
    assert frame_signal(y, 10, 5).dtype == np.float32
    with pytest.raises(TypeError, match="divide by 32768"):  # int16 audio unscaled is 32768 times too loud
        frame_signal(np.arange(100, dtype=np.int16), 10, 5)
    strided = np.arange(200, dtype=np.float64)[::2]
    frames = frame_signal(strided, 8, 3)
    np.testing.assert_array_equal(frames, librosa.util.frame(strided, frame_length=8, hop_length=3, axis=0))
    assert np.shares_memory(frames, strided)


def test_hop_larger_than_block_skips_samples():
    frames = frame_signal(np.arange(20.0), 4, 6)
    np.testing.assert_array_equal(frames[:, 0], [0, 6, 12])


# ----------------------------------------------------------------------------------------------
# Patches

@settings(max_examples=150, deadline=None)
@given(n_bins=st.integers(1, 20), frames=st.integers(1, 300), length=st.integers(1, 300), hop=st.integers(1, 300))
def test_patches_equal_slicing(n_bins, frames, length, hop):
    S = np.random.default_rng(frames).standard_normal((n_bins, frames)).astype(np.float32)
    if length > frames:
        with pytest.raises(ValueError, match="patch_length"):
            extract_patches(S, length, hop)
        with pytest.raises(ValueError, match="patch_length"):
            n_patches(frames, length, hop)
        return
    count = n_patches(frames, length, hop)
    assert count == math.floor((frames - length) / hop) + 1
    patches = extract_patches(S, length, hop)
    assert patches.shape == (count, n_bins, length)
    expected = np.stack([S[:, p * hop: p * hop + length] for p in range(count)])
    np.testing.assert_array_equal(patches, expected)
    assert np.shares_memory(patches, S)


def test_patches_are_not_the_misprinted_formula():
    # the slide's floor(N_f W_p / H_p) + 1 would promise far more patches than exist
    assert n_patches(100, 32, 16) == 5 != 100 * 32 // 16 + 1


# ----------------------------------------------------------------------------------------------
# Spectrograms and MFCCs against librosa

@pytest.mark.parametrize("block, hop, n_mels", [(1024, 512, 64), (512, 128, 40), (2048, 2048, 128), (256, 100, 20)])
def test_log_mel_matches_librosa(signal, block, hop, n_mels):
    S = log_mel_spectrogram(signal, SR, block, hop, n_mels=n_mels)
    reference = librosa.power_to_db(
        librosa.feature.melspectrogram(y=signal, sr=SR, n_fft=block, hop_length=hop, n_mels=n_mels, center=False),
        ref=1.0, top_db=80.0)
    assert S.dtype == np.float32
    assert S.shape == (n_mels, n_frames(len(signal), block, hop))
    np.testing.assert_allclose(S, reference, atol=1e-3)
    assert S.max() - S.min() <= 80.0 + 1e-3


def test_log_mel_frames_are_the_frames_of_frame_signal(signal):
    block, hop = 1024, 256
    frames = frame_signal(signal, block, hop).astype(np.float64)
    window = np.hanning(block + 1)[:-1]  # periodic Hann, as librosa uses
    power = np.abs(np.fft.rfft(frames * window, axis=1)) ** 2
    mel = librosa.filters.mel(sr=SR, n_fft=block, n_mels=64) @ power.T
    expected = 10 * np.log10(np.maximum(mel, 1e-10))
    got = log_mel_spectrogram(signal, SR, block, hop, n_mels=64, top_db=None)
    np.testing.assert_allclose(got, expected, atol=2e-3)


def test_log_mel_center_and_fmax(signal):
    S = log_mel_spectrogram(signal, SR, 1024, 512, n_mels=32, fmin=100.0, fmax=8000.0, center=True)
    assert S.shape == (32, 1 + len(signal) // 512)
    reference = librosa.power_to_db(librosa.feature.melspectrogram(
        y=signal, sr=SR, n_fft=1024, hop_length=512, n_mels=32, fmin=100.0, fmax=8000.0), ref=1.0, top_db=80.0)
    np.testing.assert_allclose(S, reference, atol=1e-3)


@pytest.mark.parametrize("block, hop, n_mfcc, n_mels, center",
                         [(1024, 512, 13, 40, False), (2048, 512, 20, 64, False), (512, 256, 13, 40, True)])
def test_mfcc_matches_librosa(signal, block, hop, n_mfcc, n_mels, center):
    X = mfcc_frames(signal, SR, block, hop, n_mfcc=n_mfcc, n_mels=n_mels, center=center)
    reference = librosa.feature.mfcc(y=signal, sr=SR, n_mfcc=n_mfcc, n_fft=block, hop_length=hop, n_mels=n_mels,
                                     center=center).T
    assert X.dtype == np.float32
    assert X.shape == (n_frames(len(signal), block, hop, center=center), n_mfcc) == reference.shape
    np.testing.assert_allclose(X, reference, rtol=1e-4, atol=1e-3)


def test_mfcc_row_is_the_mfcc_of_its_frame(signal):
    block, hop = 1024, 256
    X = mfcc_frames(signal, SR, block, hop, top_db=None)
    for i in (0, 9, len(X) - 1):
        alone = mfcc_frames(frame_signal(signal, block, hop)[i], SR, block, hop, top_db=None)
        assert alone.shape == (1, 13)
        np.testing.assert_allclose(alone[0], X[i], rtol=1e-4, atol=1e-3)


def test_mfcc_rows_follow_frames(signal):
    # one MFCC row (and spectrogram column) per frame of frame_signal: silencing the samples of
    # frame 5 changes rows 4 to 6 only (the frames that overlap it); other rows differ by float32
    # rounding in bands near the dB floor at most
    block, hop = 1024, 512
    y = signal.copy()
    y[5 * hop: 5 * hop + block] = 0.0
    changed = np.abs(mfcc_frames(signal, SR, block, hop) - mfcc_frames(y, SR, block, hop)).max(axis=1)
    assert set(np.flatnonzero(changed > 5.0)) == {4, 5, 6}
    changed = np.abs(log_mel_spectrogram(signal, SR, block, hop) - log_mel_spectrogram(y, SR, block, hop)).max(axis=0)
    assert set(np.flatnonzero(changed > 1e-3)) == {4, 5, 6}


# ----------------------------------------------------------------------------------------------
# Validation: bad input names the parameter

@pytest.mark.parametrize("kwargs, error, match", [
    ({"block_size": 0}, ValueError, "block_size must be an integer >= 1"),
    ({"block_size": -4}, ValueError, "block_size"),
    ({"block_size": 256.0}, TypeError, "block_size must be an integer"),
    ({"block_size": True}, TypeError, "block_size"),
    ({"hop_size": 0}, ValueError, "hop_size must be an integer >= 1"),
    ({"hop_size": 0.5}, TypeError, "hop_size"),
    ({"hop_size": "128"}, TypeError, "hop_size"),
    ({"block_size": 5000}, ValueError, "block_size must be <= n_samples = 4000"),
])
def test_frame_signal_rejects_bad_sizes(kwargs, error, match):
    args = {"block_size": 256, "hop_size": 128} | kwargs
    with pytest.raises(error, match=match):
        frame_signal(np.zeros(4000, dtype=np.float32), **args)


@pytest.mark.parametrize("y, error, match", [
    (np.zeros((2, 1000)), ValueError, r"mono.*mean\(axis=0\).*librosa.to_mono"),
    (np.zeros((2, 3, 1000)), ValueError, "mono"),
    (np.zeros(0), ValueError, "empty"),
    (np.array([0.0, np.nan, 1.0] * 200), ValueError, "finite"),
    (np.array([0.0, np.inf] * 300), ValueError, "finite"),
    (np.array(["a"] * 600), TypeError, "real numbers"),
    (np.zeros(600, dtype=complex), TypeError, "real numbers"),
    (np.zeros(600, dtype=bool), TypeError, "real numbers"),
])
def test_bad_signals(y, error, match):
    for call in (lambda: frame_signal(y, 256, 128), lambda: log_mel_spectrogram(y, SR, 256, 128),
                 lambda: mfcc_frames(y, SR, 256, 128)):
        with pytest.raises(error, match=match):
            call()


@pytest.mark.filterwarnings("ignore:n_fft=1024 is too large")
def test_spectral_parameter_errors(signal):
    with pytest.raises(ValueError, match="fmax"):
        log_mel_spectrogram(signal, SR, fmax=20000.0)
    with pytest.raises(ValueError, match="fmin"):
        log_mel_spectrogram(signal, SR, fmin=-1.0)
    with pytest.raises(ValueError, match="n_mels"):
        log_mel_spectrogram(signal, SR, n_mels=0)
    with pytest.raises(ValueError, match="n_mfcc"):
        mfcc_frames(signal, SR, n_mfcc=50, n_mels=40)
    with pytest.raises(ValueError, match="sr"):
        mfcc_frames(signal, 10)
    with pytest.raises(TypeError, match="sr"):
        mfcc_frames(signal, 22050.0)
    with pytest.raises(ValueError, match="block_size must be <= len"):
        log_mel_spectrogram(signal[:500], SR, 1024, 256)
    with pytest.raises(ValueError, match="top_db"):
        log_mel_spectrogram(signal, SR, top_db=-3)
    # centring pads, so a short clip still gives frames
    assert log_mel_spectrogram(signal[:500], SR, 1024, 256, center=True).shape == (64, 1 + 500 // 256)


def test_patch_errors():
    with pytest.raises(ValueError, match=r"shape \(n_bins, n_frames\)"):
        extract_patches(np.zeros(100), 10, 5)
    with pytest.raises(ValueError, match="empty"):
        extract_patches(np.zeros((64, 0)), 10, 5)
    with pytest.raises(ValueError, match="finite"):
        extract_patches(np.full((4, 20), -np.inf), 10, 5)
    with pytest.raises(TypeError, match="patch_hop"):
        extract_patches(np.zeros((4, 20)), 10, 2.5)
    with pytest.raises(ValueError, match="patch_length must be an integer >= 1"):
        n_patches(20, 0, 5)


# ----------------------------------------------------------------------------------------------
# Units and helpers

def test_units():
    assert samples_to_ms(512, 22050) == pytest.approx(23.22, abs=0.01)
    assert overlap_percent(1024, 256) == 75.0
    assert overlap_percent(1024, 1024) == 0.0
    assert overlap_percent(1024, 2048) == -100.0
    assert hop_for_overlap(1024, 75) == 256
    assert hop_for_overlap(1000, 0) == 1000
    assert frequency_resolution(22050, 2048) == pytest.approx(10.77, abs=0.01)
    with pytest.raises(ValueError, match="overlap"):
        hop_for_overlap(1024, 100)


def test_frame_times_match_librosa():
    starts = frame_start_times(10, 512, SR)
    np.testing.assert_allclose(starts, librosa.frames_to_time(np.arange(10), sr=SR, hop_length=512))
    centred = frame_start_times(10, 512, SR, block_size=2048, center=True)
    np.testing.assert_allclose(centred, starts - 1024 / SR)
    with pytest.raises(ValueError, match="block_size"):
        frame_start_times(10, 512, SR, center=True)


def test_representation_table(signal):
    table = representation_table(signal, SR, block_size=1024, hop_size=512, n_mfcc=13, n_mels=64,
                                 patch_length=16, patch_hop=8)
    n_f = n_frames(len(signal), 1024, 512)
    assert list(table["tensor shape"]) == [(n_f, 1024), (n_f, 13), (n_patches(n_f, 16, 8), 64, 16)]
    assert "Conv2D" in table["first layer"][2] and "Dense" in table["first layer"][1]


# ----------------------------------------------------------------------------------------------
# Exercise checkers: right and wrong answers

def test_check_n_frames():
    assert check_n_frames(None).correct is False and "None" in check_n_frames(None).message
    expected = n_frames(22050, 2048, 512)
    assert check_n_frames(expected)
    assert check_n_frames(np.int64(expected))
    assert check_n_frames(float(expected))
    assert "one short" in check_n_frames(expected - 1).message
    assert not check_n_frames(expected + 7)
    assert "round" in check_n_frames(39.2).message
    assert "subtract" in check_n_frames(22050 // 512 + 1).message
    assert check_n_frames(n_frames(1000, 100, 30), n_samples=1000, block_size=100, hop_size=30)
    assert not check_n_frames("31")


def test_check_n_frames_centered():
    assert check_n_frames_centered(1 + 22050 // 512)
    assert "without padding" in check_n_frames_centered(n_frames(22050, 2048, 512)).message
    assert not check_n_frames_centered(None)
    forgot_plus_one = check_n_frames_centered(22050 // 512)             # floor(N / H_f) without the + 1
    assert not forgot_plus_one and "+ 1" in forgot_plus_one.message
    one_side = (22050 + 1024 - 2048) // 512 + 1                          # padded at the start only
    assert "one side" in check_n_frames_centered(one_side).message
    assert "rounds up" in check_n_frames_centered(math.ceil(22050 / 512) + 1).message


def test_check_patch_shape():
    n_p = n_patches(431, 96, 48)
    assert check_patch_shape((n_p, 64, 96))
    assert check_patch_shape([n_p, 64, 96])
    assert "order" in check_patch_shape((n_p, 96, 64)).message
    assert "misprint" in check_patch_shape((431 * 96 // 48 + 1, 64, 96)).message
    assert "one short" in check_patch_shape((n_p - 1, 64, 96)).message
    assert "three axes" in check_patch_shape((n_p, 64)).message
    assert not check_patch_shape(None)
    assert not check_patch_shape(7)
    assert not check_patch_shape((n_p, 32, 96))


def test_check_hop_for_overlap():
    assert check_hop_for_overlap(256)
    assert "overlap itself" in check_hop_for_overlap(768).message
    assert "50 %" in check_hop_for_overlap(512).message
    assert not check_hop_for_overlap(2048)
    assert not check_hop_for_overlap(None)
    assert check_hop_for_overlap(512, block_size=2048, overlap=75)


def test_check_frequency_resolution():
    assert check_frequency_resolution(22050 / 2048)
    assert check_frequency_resolution(10.77)
    assert check_frequency_resolution(np.float32(10.77))   # float32 keeps its two decimals
    assert check_frequency_resolution(10.8)  # rounded as the spectrogram explorer's readout shows it
    assert check_frequency_resolution(10.767)
    assert not check_frequency_resolution(10.7) and not check_frequency_resolution(11)
    assert "duration" in check_frequency_resolution(2048 / 22050).message
    assert not check_frequency_resolution(5.38)
    assert not check_frequency_resolution(None)
    assert not check_frequency_resolution("ten")
    assert "quotes" in check_frequency_resolution("10.77").message


@pytest.mark.parametrize("sr, block", [(22050, 2048), (22050, 256), (8000, 8192), (44100, 1000), (16000, 512)])
def test_check_frequency_resolution_accepts_the_value_rounded_to_two_decimals(sr, block):
    exact = sr / block
    assert check_frequency_resolution(round(exact, 2), sr=sr, block_size=block)
    if not float(round(exact, 1)).is_integer():   # a float cannot tell "1.0" (one decimal) from "1"
        assert check_frequency_resolution(round(exact, 1), sr=sr, block_size=block)
    off = round(exact, 2) + 0.01                                  # one step off in the second decimal
    assert not check_frequency_resolution(off, sr=sr, block_size=block)
    if not math.isclose(exact, round(exact, 2)):                  # cut off after two decimals, not rounded
        truncated = math.floor(exact * 100) / 100
        if not math.isclose(truncated, round(exact, 2)):
            result = check_frequency_resolution(truncated, sr=sr, block_size=block)
            assert not result and "cut off" in result.message


def test_check_layer_inputs():
    assert check_layer_inputs({"frames": "Dense", "mfcc": "Dense", "patches": "Conv2D"})
    assert check_layer_inputs({"Frames": "dense", "MFCC": "keras.layers.Dense", "patches": "layers.Conv2D()"})
    assert check_layer_inputs({"frames": "Conv1D", "mfcc": "Dense", "patches": "Conv2D"})   # end-to-end models

    class Conv2D:  # stands in for keras.layers.Conv2D: the checker reads the class name, Keras is not imported
        pass

    assert check_layer_inputs({"frames": "Dense", "mfcc": "Dense", "patches": Conv2D})
    assert check_layer_inputs({"frames": "Dense", "mfcc": "Dense", "patches": Conv2D()})
    for answer, hint in [
        ({"frames": "Dense", "mfcc": "Dense", "patches": "Dense"}, "flattened"),
        ({"frames": "Dense", "mfcc": "Conv2D", "patches": "Conv2D"}, "single axis"),
        ({"frames": "Dense", "mfcc": "Conv1D", "patches": "Conv2D"}, "whole spectrum"),
        ({"frames": "Conv2D", "mfcc": "Dense", "patches": "Conv2D"}, "vector"),
        ({"frames": "Dense", "mfcc": "Dense", "patches": "Conv1D"}, "one axis only"),
        ({"frames": "Dense", "mfcc": "Dense", "patches": "Conv3D"}, "not a layer"),
        ({"frames": "Dense", "mfcc": None, "patches": "Conv2D"}, "None"),
        ({"frames": "Dense"}, "missing"),
        (None, "replace None"),
        ("Dense", "dict"),
    ]:
        result = check_layer_inputs(answer)
        assert not result and hint in result.message, (answer, result.message)
    # the shapes in the messages follow the arguments
    assert "16 x 8 = 128" in check_layer_inputs({"frames": "Dense", "mfcc": "Dense", "patches": "Dense"},
                                                n_bins=16, patch_length=8).message


_ODD_ANSWERS = [None, 10**400, -10**400, 1e300, float("nan"), float("inf"), -float("inf"), np.nan, np.float32("nan"),
                "31", "ten", "", b"x", 3 + 4j, True, np.bool_(False), np.array([1, 2, 3]), np.array(42),
                np.array([[1.0]]), np.array([np.nan]), [1, 2], [], (), {}, {0, 2}, object(), [None], [[0, 2]],
                (0.5, 2), (10**400, 64, 96), (float("nan"), 64, 96), ("a", "b", "c"), range(3), -1, 0,
                np.ma.masked_array([1, 2], [0, 1]), {"frames": 10**400, "mfcc": [], "patches": float("nan")},
                {1: 2, "frames": object()}]
_CHECKERS_01 = [check_n_frames, check_n_frames_centered, check_patch_shape, check_hop_for_overlap,
                check_frequency_resolution, check_layer_inputs]


@pytest.mark.parametrize("checker", _CHECKERS_01, ids=lambda f: f.__name__)
def test_no_checker_raises_on_any_answer(checker):
    import warnings

    for answer in _ODD_ANSWERS:
        with warnings.catch_warnings():
            warnings.simplefilter("error")   # a warning would show as a red box under the student's cell
            result = checker(answer)
        assert isinstance(result.correct, bool) and isinstance(result.message, str) and result.message
        assert len(result.message) < 600, (answer, result.message)   # huge numbers are not printed in full


# ----------------------------------------------------------------------------------------------
# Plot helpers

def test_plot_frames_draws_one_bar_per_frame(signal):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from course_utils.representations import plot_frames

    fig, ax = plt.subplots()
    line, bars = plot_frames(signal, SR, 1024, 256, first=3, count=5, ax=ax)
    assert len(bars.get_paths()) == 5
    starts = sorted(path.vertices[:, 0].min() for path in bars.get_paths())
    np.testing.assert_allclose(starts, 1000 * np.arange(3, 8) * 256 / SR)
    np.testing.assert_array_equal(line.get_ydata(), signal[3 * 256: 7 * 256 + 1024])
    last = n_frames(len(signal), 1024, 256) - 1
    _, bars = plot_frames(signal, SR, 1024, 256, first=last, count=10, ax=ax)  # only the frames that exist
    assert len(bars.get_paths()) == 1
    with pytest.raises(ValueError, match="first"):
        plot_frames(signal, SR, 1024, 256, first=last + 1)
    plt.close(fig)


def test_plot_patches_outlines_every_patch():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from course_utils.representations import plot_patches

    S = np.random.default_rng(0).standard_normal((16, 100))
    fig, ax = plt.subplots()
    image, outlines = plot_patches(S, 20, 10, ax=ax)
    assert len(outlines.get_segments()) == n_patches(100, 20, 10) == 9
    np.testing.assert_array_equal(image.get_array(), S)
    _, outlines = plot_patches(S, 2, 1, ax=ax, max_outlines=60)
    assert len(outlines.get_segments()) == 60
    with pytest.raises(ValueError, match="patch_length"):
        plot_patches(S, 200, 10, ax=ax)
    plt.close(fig)

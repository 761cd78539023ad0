"""Tests of course_utils.spectrogram_augmentation (notebook 03_data_augmentation.ipynb)."""

from __future__ import annotations

import numpy as np
import pytest
from checker_contract import ODD_ANSWERS, assert_explains
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils import spectrogram_augmentation as spec


# --------------------------------------------------------------------------------------------------
# spectrograms

@pytest.fixture(scope="module")
def S_db():
    rng = np.random.default_rng(0)
    S = rng.uniform(-80.0, -10.0, size=(40, 120)).astype(np.float32)
    S[5:10, 30:60] = 5.0  # a loud partial
    return S


def test_unit_range_round_trip(S_db):
    U, low, high = spec.to_unit_range(S_db)
    assert U.dtype == np.float32 and U.min() == 0 and U.max() == 1
    np.testing.assert_allclose(spec.from_unit_range(U, low, high), S_db, atol=1e-4)
    flat = np.full((4, 5), -20.0, np.float32)
    U, low, high = spec.to_unit_range(flat)
    np.testing.assert_allclose(spec.from_unit_range(U, low, high), flat)


def test_pixel_level_transform_clips_db_but_not_after_scaling(S_db):
    import albumentations as A

    raw = spec.apply_image_transform(A.RandomBrightnessContrast(p=1.0), S_db, unit_range=False)
    assert raw.min() >= 0 and raw.max() <= 1 and np.mean(raw == 0) > 0.9  # what albumentations 2.0.8 does
    safe = spec.apply_image_transform(A.RandomBrightnessContrast(p=1.0), S_db)
    assert safe.min() >= S_db.min() - 1e-3 and safe.max() <= S_db.max() + 1e-3
    assert np.corrcoef(safe.ravel(), S_db.ravel())[0, 1] > 0.9


@pytest.mark.parametrize("name", list(spec.SPECTROGRAM_TRANSFORMS))
def test_augment_spectrogram_keeps_shape_dtype_range_and_seed(S_db, name):
    out = spec.augment_spectrogram(S_db, name, n_masks=2, mask_width=6, seed=1)
    assert out.shape == S_db.shape and out.dtype == np.float32
    assert out.min() >= S_db.min() - 1e-3 and out.max() <= S_db.max() + 1e-3
    np.testing.assert_array_equal(out, spec.augment_spectrogram(S_db, name, n_masks=2, mask_width=6, seed=1))
    assert not np.allclose(out, S_db, atol=1e-3)


def test_flips_and_masks_do_what_they_say(S_db):
    np.testing.assert_allclose(spec.augment_spectrogram(S_db, "time_flip"), S_db[:, ::-1], atol=1e-4)
    np.testing.assert_allclose(spec.augment_spectrogram(S_db, "frequency_flip"), S_db[::-1, :], atol=1e-4)
    out = spec.augment_spectrogram(S_db, "time_mask", n_masks=1, mask_width=7, fill="min", seed=3)
    masked_columns = np.flatnonzero(np.all(np.isclose(out, S_db.min(), atol=1e-3), axis=0))
    assert len(masked_columns) == 7 and np.all(np.diff(masked_columns) == 1)
    out = spec.augment_spectrogram(S_db, "frequency_mask", n_masks=1, mask_width=4, fill="mean", seed=3)
    masked_rows = np.flatnonzero(np.all(np.isclose(out, S_db.mean(), atol=1e-2), axis=1))
    assert len(masked_rows) == 4


def test_fill_zero_db_on_raw_values_is_loud(S_db):
    raw = spec.augment_spectrogram(S_db, "time_mask", n_masks=1, mask_width=10, fill=0.0, unit_range=False)
    assert np.sum(raw == 0.0) == 10 * S_db.shape[0]  # 0 dB: louder than most of this spectrogram
    scaled = spec.augment_spectrogram(S_db, "time_mask", n_masks=1, mask_width=10, fill=0.0)
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
        spec.augment_spectrogram(S_db, **kwargs)


def test_spectrogram_augmenter_seeded_and_range_preserving(S_db):
    a = spec.make_spectrogram_augmenter(seed=2, dropout_holes=2, crop_scale=0.7, time_flip=True, p=0.7)
    b = spec.make_spectrogram_augmenter(seed=2, dropout_holes=2, crop_scale=0.7, time_flip=True, p=0.7)
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
    out = spec.make_spectrogram_augmenter(seed=0)(S)
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
        spec.make_spectrogram_augmenter(**kwargs)


def test_spectrogram_augmenter_rejects_masks_wider_than_the_spectrogram(S_db):
    with pytest.raises(ValueError, match="time_mask_width"):
        spec.make_spectrogram_augmenter(time_mask_width=500)(S_db)
    with pytest.raises(ValueError, match="freq_mask_width"):
        spec.make_spectrogram_augmenter(freq_mask_width=41)(S_db)
    with pytest.raises(ValueError, match="shape"):
        spec.make_spectrogram_augmenter()(S_db[0])


# --------------------------------------------------------------------------------------------------
# exercise checker and properties

def test_check_silence_fill(S_db):
    assert spec.check_silence_fill(float(S_db.min()), S_db).correct
    zero = spec.check_silence_fill(0, S_db)
    assert not zero.correct and "0 dB" in zero.message
    assert not spec.check_silence_fill(None, S_db).correct
    assert not spec.check_silence_fill(-20, S_db).correct


@settings(max_examples=25, deadline=None)
@given(n_bins=st.integers(8, 80), n_frames=st.integers(8, 200), seed=st.integers(0, 2**32 - 1),
       offset=st.floats(-100, 50), span=st.floats(1, 120), transform=st.sampled_from(list(spec.SPECTROGRAM_TRANSFORMS)))
def test_property_spectrogram_transforms_keep_shape_and_range(n_bins, n_frames, seed, offset, span, transform):
    S = (offset + span * np.random.default_rng(seed % 1000).random((n_bins, n_frames))).astype(np.float32)
    out = spec.augment_spectrogram(S, transform, n_masks=2, mask_width=min(4, n_bins, n_frames), seed=seed)
    assert out.shape == S.shape and out.dtype == np.float32
    tolerance = 1e-5 * max(1.0, abs(offset) + span)
    assert out.min() >= S.min() - tolerance and out.max() <= S.max() + tolerance
    random_out = spec.make_spectrogram_augmenter(time_mask_width=min(5, n_frames), freq_mask_width=min(5, n_bins),
                                                seed=seed)(S)
    assert random_out.shape == S.shape and random_out.min() >= S.min() - tolerance


@pytest.mark.parametrize("answer", ODD_ANSWERS, ids=lambda a: type(a).__name__)
def test_check_silence_fill_explains_every_odd_answer(answer):
    S = np.random.default_rng(0).normal(-40.0, 10.0, (64, 50))
    assert_explains(lambda a: spec.check_silence_fill(a, S), answer)

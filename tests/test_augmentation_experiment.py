"""Tests of course_utils.augmentation_experiment (notebook 03_data_augmentation.ipynb)."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils import augmentation_experiment as experiment
from course_utils.signals import note


def test_mcnemar_p_value_against_scipy():
    from scipy.stats import binomtest

    a = np.array([True] * 30 + [False] * 10 + [True] * 5 + [False] * 2)
    b = np.array([True] * 30 + [True] * 10 + [False] * 5 + [False] * 2)
    assert experiment.mcnemar_p_value(a, b) == pytest.approx(binomtest(5, 15, 0.5).pvalue)
    assert experiment.mcnemar_p_value(a, a) == 1.0


def test_summary_features_shape():
    f = experiment.summary_features(note(60, 0.5, 8000), 8000)
    assert f.shape == (80,) and f.dtype == np.float32
    assert experiment.summary_features(np.zeros(100, np.float32) + 0.1, 8000).shape == (80,)  # shorter than a block


def test_augmentation_experiment_small_run():
    from course_utils.data import load_fsdd

    c = load_fsdd(speakers=["george", "jackson", "lucas", "nicolas", "theo"], digits=[0, 1, 2], progress=False)
    r = experiment.augmentation_experiment(c, "theo", n_copies=1, max_per_class=20, seed=0)
    assert r.n_train == 60 and r.n_train_augmented == 120 and r.n_test == 150
    for acc in (r.accuracy_plain, r.accuracy_augmented, r.accuracy_plain_noisy, r.accuracy_augmented_noisy):
        assert 0.0 <= acc <= 1.0
    assert r.accuracy_plain > 0.45  # above chance (1/3) with 60 training clips of four other speakers
    assert 0 <= r.p_value <= 1 and "McNemar" in r.summary() and "at most 20 clips per digit" in r.summary()
    again = experiment.augmentation_experiment(c, "theo", n_copies=1, max_per_class=20, seed=0)
    assert again.accuracy_augmented == r.accuracy_augmented
    with pytest.raises(ValueError, match="n_copies"):
        experiment.augmentation_experiment(c, "theo", n_copies=0)


def test_experiment_summary_wording_follows_the_numbers():
    base = dict(test_speaker="x", n_train=10, n_train_augmented=20, n_test=100, accuracy_plain_noisy=0.5,
                accuracy_augmented_noisy=0.5, test_snr_db=None, seconds=1.0)
    helped = experiment.ExperimentResult(accuracy_plain=0.5, accuracy_augmented=0.7, p_value=0.001, **base)
    assert "helped" in helped.summary()
    unclear = experiment.ExperimentResult(accuracy_plain=0.5, accuracy_augmented=0.53, p_value=0.4, **base)
    assert "no clear effect" in unclear.summary() and "helped" not in unclear.summary()
    hurt = experiment.ExperimentResult(accuracy_plain=0.7, accuracy_augmented=0.5, p_value=0.001, **base)
    assert "hurt" in hurt.summary()


def test_feature_change_against_summary_features():
    rng = np.random.default_rng(0)
    clips = [note(60 + k, 0.4, 8000) for k in range(3)]
    louder = [2 * y for y in clips]  # +6.02 dB in every cell: the means move by 6.02 dB, the stds not at all
    change = experiment.feature_change(clips, louder, 8000)
    assert change.shape == (3,)
    np.testing.assert_allclose(change, 20 * np.log10(2) / np.sqrt(2), rtol=1e-3)
    np.testing.assert_array_equal(experiment.feature_change(clips, clips, 8000), 0.0)
    noisy = [y + 0.01 * rng.standard_normal(len(y)).astype(np.float32) for y in clips]
    expected = [np.sqrt(np.mean((experiment.summary_features(b, 8000) - experiment.summary_features(a, 8000)) ** 2))
                for a, b in zip(clips, noisy)]
    np.testing.assert_allclose(experiment.feature_change(clips, noisy, 8000), expected, rtol=1e-5)
    with pytest.raises(ValueError, match="same length"):
        experiment.feature_change(clips, clips[:2], 8000)


def test_time_shift_without_rollover_moves_summary_features_more_than_with_it():
    from course_utils.augmentation import time_shift

    clips = [note(57 + k, 0.45, 8000) for k in range(4)]
    gap = experiment.feature_change(clips, [time_shift(y, 8000, 80.0) for y in clips], 8000)
    circular = experiment.feature_change(clips, [time_shift(y, 8000, 80.0, rollover=True) for y in clips], 8000)
    assert np.all(gap > 3 * circular)  # the zero-filled gap adds frames at the floor; a circular shift adds none


def test_experiment_summary_warns_when_trained_on_a_subset():
    base = dict(test_speaker="x", n_train=10, n_train_augmented=20, n_test=100, accuracy_plain=0.7,
                accuracy_augmented=0.5, accuracy_plain_noisy=0.5, accuracy_augmented_noisy=0.5, test_snr_db=None,
                seconds=1.0, p_value=0.001)
    subset = experiment.ExperimentResult(max_per_class=100, **base).summary()
    assert "hurt" in subset and "at most 100 clips per digit" in subset and "other sign" in subset
    assert "subset" not in experiment.ExperimentResult(**base).summary()

"""Tests of course_utils.playground_data: the playground's two-feature datasets and the train/test split."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.mlp import MLP
from course_utils.playground_data import DATASETS, audio_features, make_dataset, make_split, train_test_split


@pytest.mark.parametrize("name", DATASETS)
def test_datasets_have_two_balanced_classes_in_a_small_box(name):
    X, y = make_dataset(name, 200, noise=0.1, seed=0)
    assert X.shape == (200, 2) and y.shape == (200,)
    assert set(np.unique(y)) == {0, 1}
    assert 0.3 < y.mean() < 0.7
    assert np.all(np.abs(X) < 2.5)
    X2, y2 = make_dataset(name, 200, noise=0.1, seed=0)
    np.testing.assert_array_equal(X, X2)


def test_noise_moves_points():
    a, _ = make_dataset("circle", 100, noise=0.0, seed=0)
    b, _ = make_dataset("circle", 100, noise=0.3, seed=0)
    assert 0.15 < np.std(a - b) < 0.45


def test_audio_features_are_real_mfcc_means():
    import librosa

    from course_utils.data import load_fsdd

    features, labels = audio_features()
    assert features.shape == (600, 2) and labels.sum() == 300
    fsdd = load_fsdd(digits=[6], progress=False)
    reference = librosa.feature.mfcc(y=fsdd.audio[0], sr=fsdd.sr, n_mfcc=13, n_fft=256, hop_length=128,
                                     n_mels=40, center=False).mean(axis=1)[[1, 2]]
    np.testing.assert_allclose(features[labels == 1][0], reference, rtol=1e-5)
    # the two digits differ in these features: a linear model already beats chance clearly
    net = MLP((2, 1), seed=0)
    X = (features - features.mean(0)) / features.std(0)
    net.fit(X, labels, epochs=50, learning_rate=0.1, batch_size=32)
    assert net.history.train_accuracy[-1] > 0.75


def test_invalid_dataset_arguments():
    with pytest.raises(ValueError, match="name must be one of"):
        make_dataset("moons")
    with pytest.raises(ValueError, match="noise"):
        make_dataset("circle", noise=2.0)
    with pytest.raises(ValueError, match="n_samples"):
        make_dataset("audio", n_samples=1000)
    with pytest.raises(ValueError, match="train_fraction"):
        train_test_split(np.zeros((10, 2)), np.zeros(10), train_fraction=1.0)


def test_train_test_split_partitions():
    X = np.arange(20.0).reshape(10, 2)
    y = np.arange(10)
    X_train, y_train, X_test, y_test = train_test_split(X, y, 0.7, seed=1)
    assert len(y_train) == 7 and len(y_test) == 3
    assert sorted(np.r_[y_train, y_test]) == list(range(10))
    np.testing.assert_array_equal(X_train[:, 0], 2 * y_train)


@pytest.mark.parametrize("name", ["circle", "xor", "blobs", "spiral"])
def test_make_split_of_a_synthetic_dataset_is_make_dataset_then_train_test_split(name):
    split = make_split(name, 150, noise=0.2, train_fraction=0.3, seed=4)
    reference = train_test_split(*make_dataset(name, 150, noise=0.2, seed=4), train_fraction=0.3, seed=4)
    for ours, theirs in zip(split, reference):
        np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("train_fraction,seed", [(0.5, 0), (0.2, 3), (0.9, 7)])
def test_audio_split_is_standardized_on_the_training_recordings_only(train_fraction, seed):
    X_train, y_train, X_test, y_test = make_split("audio", 200, noise=0.0, train_fraction=train_fraction, seed=seed)
    # the recordings drawn, as make_dataset draws them, and the rows of the training part
    features, labels = audio_features()
    choice = np.sort(np.random.default_rng(seed).choice(len(features), size=200, replace=False))
    raw, raw_labels = features[choice], labels[choice]
    train, test = (np.random.default_rng(seed).permutation(200)[part]
                   for part in (slice(0, len(y_train)), slice(len(y_train), None)))
    mean, spread = raw[train].mean(axis=0), 2.5 * raw[train].std(axis=0)
    np.testing.assert_allclose(X_train, (raw[train] - mean) / spread, atol=1e-12)
    np.testing.assert_allclose(X_test, (raw[test] - mean) / spread, atol=1e-12)  # the training part's statistics
    np.testing.assert_array_equal(np.r_[y_train, y_test], np.r_[raw_labels[train], raw_labels[test]])
    np.testing.assert_allclose(X_train.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(X_train.std(axis=0), 0.4)
    assert np.all(np.abs(X_test.mean(axis=0)) > 1e-3)  # the test part is not centred by its own statistics


def test_noise_is_added_after_the_audio_standardization():
    clean = make_split("audio", 100, noise=0.0, seed=1)
    noisy = make_split("audio", 100, noise=0.3, seed=1)
    assert 0.2 < np.std(noisy[0] - clean[0]) < 0.4  # in the standardized units, whatever the MFCCs' scale
    np.testing.assert_array_equal(noisy[1], clean[1])

"""Tests of course_utils.playground_data: the playground's two-feature datasets and the train/test split."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.mlp import MLP
from course_utils.playground_data import DATASETS, audio_features, make_dataset, train_test_split

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

"""The data of the MLP playground: two-feature, two-class datasets, one of them from real recordings.

Notebook: ``05_training_an_mlp.ipynb`` (the playground, and the training examples of its sections 4 to 6).

* :func:`make_dataset`: circle, XOR, Gaussian blobs, spiral (as in TensorFlow Playground), and ``"audio"``,
  two MFCC means of real FSDD recordings (:func:`audio_features`);
* :func:`train_test_split`: a seeded shuffle and split;
* :func:`make_split`: both in one, what the playground uses. For ``"audio"`` it standardizes the features
  with the mean and standard deviation of the **training** part only (notebook 02's rule: the test set
  must not shape the preprocessing), which :func:`make_dataset` followed by :func:`train_test_split`
  cannot do.

Every dataset has both features roughly in [-1, 1] and labels 0 and 1, so the same network and the same
plot work for all of them.
"""

from __future__ import annotations

import numpy as np

from course_utils._arguments import _check_fraction, _check_int

__all__ = ["DATASETS", "AUDIO_DIGITS", "AUDIO_MFCCS", "audio_features", "make_dataset", "train_test_split",
           "make_split"]

#: Datasets of :func:`make_dataset`; each has two features and two classes.
DATASETS = ("circle", "xor", "blobs", "spiral", "audio")

#: The audio dataset: FSDD recordings of these two digits, described by the mean over frames of
#: these two MFCCs (coefficient 0 is overall loudness, so 1 and 2 describe the spectral shape).
AUDIO_DIGITS = (0, 6)
AUDIO_MFCCS = (1, 2)
_AUDIO_CACHE: dict = {}


def audio_features(digits=AUDIO_DIGITS, mfccs=AUDIO_MFCCS) -> tuple[np.ndarray, np.ndarray]:
    """Two features of every FSDD recording of two digits: the means over frames of two MFCCs.

    MFCCs (:func:`course_utils.representations.mfcc_frames`) use a 32 ms block (256 samples at 8 kHz),
    a 16 ms hop and 40 mel bands. The result is
    computed once per process and cached, so later calls (every slider move) are instant.

    Args:
        digits: the two different digits (integers 0-9) to tell apart.
        mfccs: the two MFCC indices (integers 0-12) to use as features.

    Returns:
        ``(features, labels)``: features of shape ``(n_recordings, 2)`` (raw MFCC means, not
        standardized) and labels of shape ``(n_recordings,)``, 0 for ``digits[0]`` and 1 for
        ``digits[1]``.
    """
    digits, mfccs = _two_ints("digits", digits, 9), _two_ints("mfccs", mfccs, 12)
    if digits[0] == digits[1]:
        raise ValueError(f"digits must be two different digits from 0 to 9, got {digits}")
    key = (digits, mfccs)
    if key not in _AUDIO_CACHE:
        from course_utils.data import load_fsdd
        from course_utils.representations import mfcc_frames

        fsdd = load_fsdd(digits=list(digits), progress=False)
        means = np.array([mfcc_frames(y, fsdd.sr, block_size=256, hop_size=128, n_mfcc=13, n_mels=40).mean(axis=0)
                          for y in fsdd.audio], dtype=np.float64)
        _AUDIO_CACHE[key] = (means[:, list(mfccs)], (fsdd.labels == digits[1]).astype(int))
    features, labels = _AUDIO_CACHE[key]
    return features.copy(), labels.copy()


def _two_ints(name: str, values, high: int) -> tuple[int, int]:
    """``values`` as a pair of integers from 0 to ``high``; booleans, text and fractions refused."""
    if isinstance(values, (str, bytes)) or not isinstance(values, (list, tuple, np.ndarray)) or len(values) != 2:
        raise TypeError(f"{name} must be a pair of integers from 0 to {high}, got {values!r}")
    return tuple(_check_int(f"{name}[{i}]", v, 0, high) for i, v in enumerate(values))


def make_dataset(name: str = "circle", n_samples: int = 200, noise: float = 0.1, seed: int = 0):
    """A two-feature, two-class dataset for the playground, with both features roughly in [-1, 1].

    Args:
        name: ``"circle"`` (a disc inside a ring), ``"xor"`` (opposite quadrants share a class),
            ``"blobs"`` (two Gaussian clusters), ``"spiral"`` (two interleaved arms) or ``"audio"``
            (two MFCC means of FSDD's "zero" and "six", see :func:`audio_features`, standardized with the
            mean and 2.5 standard deviations of the ``n_samples`` recordings drawn; to split them, use
            :func:`make_split`, which fits the standardization on the training part only).
        n_samples: number of points (for ``"audio"`` at most 600 recordings, drawn without
            replacement).
        noise: standard deviation of Gaussian noise added to both features (``0`` to ``1``).
        seed: seed of the random generator, 0 to 2**32 - 1.

    Returns:
        ``(X, y)``: ``X`` of shape ``(n_samples, 2)`` (float64), ``y`` of shape ``(n_samples,)``
        with labels 0 and 1 (about half each).
    """
    return _make_dataset(name, n_samples, noise, seed)


def _make_dataset(name, n_samples, noise, seed, fit_rows=None):
    """:func:`make_dataset`; the audio features are standardized on the rows ``fit_rows`` (default: all)."""
    if not isinstance(name, str) or name not in DATASETS:
        raise ValueError(f"name must be one of {list(DATASETS)}, got {name!r}")
    n_samples = _check_int("n_samples", n_samples, 4, _max_samples(name))
    noise = _check_fraction("noise", noise, 0.0, 1.0)
    rng = np.random.default_rng(_check_int("seed", seed, 0, 2**32 - 1))
    n1 = n_samples // 2
    n0 = n_samples - n1
    y = np.r_[np.zeros(n0, int), np.ones(n1, int)]
    if name == "circle":
        radius = np.r_[rng.uniform(0.65, 1.0, n0), rng.uniform(0.0, 0.45, n1)]
        angle = rng.uniform(0, 2 * np.pi, n_samples)
        X = np.c_[radius * np.cos(angle), radius * np.sin(angle)]
    elif name == "xor":
        X = rng.uniform(-1, 1, (n_samples, 2))
        X += 0.05 * np.sign(X)  # keep points off the axes, as in TensorFlow Playground
        X = np.clip(X, -1, 1)
        y = (X[:, 0] * X[:, 1] > 0).astype(int)
    elif name == "blobs":
        centres = np.array([[-0.45, -0.45], [0.45, 0.45]])
        X = centres[y] + rng.normal(0, 0.25, (n_samples, 2))
    elif name == "spiral":
        t = np.sqrt(rng.uniform(0.02, 1, n_samples))  # even density along the arms
        angle = 3 * np.pi * t + np.pi * y
        X = np.c_[t * np.cos(angle), t * np.sin(angle)]
    else:
        features, labels = audio_features()
        choice = np.sort(rng.choice(len(features), size=n_samples, replace=False))
        X, y = features[choice], labels[choice]
        fit = X if fit_rows is None else X[fit_rows]
        # 2.5 standard deviations to 1: most points then lie in [-1, 1], like the synthetic datasets
        X = (X - fit.mean(axis=0)) / (2.5 * fit.std(axis=0))
    X = X + rng.normal(0, noise, X.shape) if noise else X
    return np.asarray(X, dtype=np.float64), y


def train_test_split(X, y, train_fraction: float = 0.5, seed: int = 0):
    """Shuffle and split into a training and a test set.

    Args:
        X: features, shape ``(n_examples, n_features)``.
        y: labels, shape ``(n_examples,)``.
        train_fraction: share of the examples used for training (strictly between 0 and 1; each set
            keeps at least one example).
        seed: seed of the shuffle, 0 to 2**32 - 1.

    Returns:
        ``(X_train, y_train, X_test, y_test)``.
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0 or len(X) != len(y) or len(X) < 2:
        raise ValueError(f"X and y need the same number (>= 2) of examples, got shapes {X.shape} and {y.shape}")
    train, test = _split_rows(len(X), train_fraction, seed)
    return X[train], y[train], X[test], y[test]


def _max_samples(name) -> int:
    return 600 if name == "audio" else 100_000


def _split_rows(n: int, train_fraction, seed) -> tuple[np.ndarray, np.ndarray]:
    """The row indices of the training and of the test part of :func:`train_test_split`."""
    if isinstance(train_fraction, (bool, np.bool_)) or not isinstance(train_fraction, (int, float, np.integer,
                                                                                     np.floating)):
        raise TypeError(f"train_fraction must be a number strictly between 0 and 1, got {train_fraction!r}")
    if not 0 < train_fraction < 1:
        raise ValueError(f"train_fraction must be a number strictly between 0 and 1, got {train_fraction!r}")
    order = np.random.default_rng(_check_int("seed", seed, 0, 2**32 - 1)).permutation(n)
    n_train = min(max(int(round(train_fraction * n)), 1), n - 1)
    return order[:n_train], order[n_train:]


def make_split(name: str = "circle", n_samples: int = 200, noise: float = 0.1, train_fraction: float = 0.5,
               seed: int = 0):
    """A playground dataset, split into a training and a test set; the playground's data.

    The same as ``train_test_split(*make_dataset(name, n_samples, noise, seed), train_fraction, seed)``,
    except that the audio features are standardized with the mean and standard deviation of the training
    part only, then the noise is added. So the test recordings play no part in the preprocessing, as in
    notebook 02 (and the training features have mean 0 and standard deviation 0.4 before the noise).

    Args:
        name, n_samples, noise, seed: as for :func:`make_dataset` (``seed`` also seeds the split).
        train_fraction: as for :func:`train_test_split`.

    Returns:
        ``(X_train, y_train, X_test, y_test)``.
    """
    if not isinstance(name, str) or name not in DATASETS:
        raise ValueError(f"name must be one of {list(DATASETS)}, got {name!r}")
    _check_int("n_samples", n_samples, 4, _max_samples(name))  # before the split allocates n_samples rows
    train, test = _split_rows(n_samples, train_fraction, seed)
    X, y = _make_dataset(name, n_samples, noise, seed, fit_rows=train)
    return X[train], y[train], X[test], y[test]

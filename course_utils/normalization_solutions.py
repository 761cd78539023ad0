"""Worked solutions of the "Your turn" exercises of ``02_data_normalization.ipynb`` (checkers in
:mod:`course_utils.normalization_checks`; shown by :func:`course_utils.solutions.show_solution`)."""

import numpy as np

from course_utils.solutions import Solution

_NB = "02_data_normalization.ipynb"


def _levels():
    from course_utils.normalization import EXERCISE_LEVELS

    return {"np": np, "EXERCISE_LEVELS": EXERCISE_LEVELS}


def _small_sets():
    """Patches of shape (n_patches, n_bins, patch_length), standing in for the notebook's FSDD patches."""
    rng = np.random.default_rng(2)
    train = rng.normal(-40.0, 12.0, size=(60, 16, 8)) + np.linspace(0.0, 30.0, 16)[:, None]
    test = rng.normal(-35.0, 10.0, size=(20, 16, 8))
    return {"np": np, "train": type("Patches", (), {"patches": train})(),
            "test": type("Patches", (), {"patches": test})(), "small_train": train[:40], "small_test": test[:10]}


def _scaler_context():
    from sklearn.preprocessing import StandardScaler

    context = _small_sets()
    context["StandardScaler"] = StandardScaler
    return context


SOLUTIONS = [
    Solution("zscore", _NB,
             "Subtract the mean, then divide by the standard deviation with $1/(N-1)$ (`ddof=1`, NumPy's default "
             "is $1/N$) plus $\\epsilon$, which only guards against dividing by zero.",
             "answer = (EXERCISE_LEVELS - EXERCISE_LEVELS.mean()) / (EXERCISE_LEVELS.std(ddof=1) + 1e-8)",
             "check_zscore(answer)", _levels),
    Solution("frequency_axes", _NB,
             "One mean per frequency bin keeps axis 1 (the bins) and averages over everything else: the patches "
             "(axis 0) and the frames within a patch (axis 2).",
             "answer = (0, 2)",
             "check_frequency_axes(answer)"),
    Solution("train_only", _NB,
             "Fit the statistics on the training patches only (one mean and sigma per bin: reduce axes 0 and 2, "
             "`keepdims=True` so they broadcast), then apply those same numbers to the test patches. "
             "`Normalizer('zscore', 'frequency').fit(small_train).transform(small_test)` does the same.",
             "small_train, small_test = train.patches[:40], test.patches[:10]\n"
             "mean = small_train.mean(axis=(0, 2), keepdims=True)\n"
             "sigma = small_train.std(axis=(0, 2), ddof=1, keepdims=True)\n"
             "answer = (small_test - mean) / (sigma + 1e-8)",
             "check_train_only(answer, small_train, small_test)", _small_sets),
    Solution("sklearn_frequency", _NB,
             "`StandardScaler` standardizes each column. To get one column per frequency bin, move the bins last "
             "and stack all patches' frames as rows: (n_patches, n_bins, patch_length) -> (n_patches * "
             "patch_length, n_bins). Scale, then undo the reshape and the transpose.",
             "n_patches, n_bins, patch_length = small_train.shape\n"
             "rows = small_train.transpose(0, 2, 1).reshape(-1, n_bins)\n"
             "scaled = StandardScaler().fit_transform(rows)\n"
             "answer = scaled.reshape(n_patches, patch_length, n_bins).transpose(0, 2, 1)",
             "check_sklearn_frequency(answer, small_train)", _scaler_context),
]

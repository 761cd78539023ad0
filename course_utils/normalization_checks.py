"""The "Your turn" checkers of the normalization notebook (reference solutions live here, not in the notebook).

Notebook: ``02_data_normalization.ipynb`` (lecture section 2, "Data normalization").

Each ``check_*`` returns a :class:`course_utils.checks.Check` for any answer (never raises). Every name
here is also importable from :mod:`course_utils.normalization`, which re-exports this module; the
reference functions are therefore imported from it inside the checkers, not at the top.
"""

from __future__ import annotations

import warnings

import numpy as np

from course_utils.checks import Check, records_attempt, right, wrong
from course_utils.normalization_patches import patches_to_matrix

__all__ = ["EXERCISE_LEVELS", "check_zscore", "check_frequency_axes", "check_train_only", "check_sklearn_frequency"]

# --------------------------------------------------------------------------------------------------
# "Your turn" checkers (reference solutions live here, not in the notebook)

#: Levels (dB) of one mel band in seven frames: the data of the first exercise.
EXERCISE_LEVELS = np.array([-52.0, -47.5, -38.0, -41.0, -60.5, -35.0, -44.0])


def _as_answer_array(answer, shape, name):
    """``(array, None)`` for a finite real array of ``shape``, else ``(None, Check)`` with a hint. Never raises."""
    if answer is None:
        return None, wrong(f"{name} is still None: replace None by your result.")
    if isinstance(answer, str):
        return None, wrong(f"{name} should be a NumPy array of numbers; got a string.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. a ragged list; the answer is judged below instead
            raw = np.asarray(answer)
            if np.iscomplexobj(raw):
                return None, wrong(f"{name} holds complex numbers; normalized levels are real numbers.")
            arr = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError):
        return None, wrong(f"{name} should be a NumPy array of numbers; got {type(answer).__name__}.")
    except OverflowError:
        return None, wrong(f"{name} holds numbers far too large for normalized values.")
    if arr.shape != tuple(shape):
        if arr.ndim == 3 and len(shape) == 3 and arr.shape == (shape[0], shape[2], shape[1]):
            return None, wrong(f"{name} has shape {arr.shape}, the bins and frames swapped: transpose it back "
                               f"with .transpose(0, 2, 1) to {tuple(shape)}.")
        return None, wrong(f"{name} should have shape {tuple(shape)} (normalization keeps the shape); "
                           f"got {arr.shape}.")
    if not np.isfinite(arr).all():
        return None, wrong(f"{name} contains NaN or inf values.")
    return arr, None


@records_attempt("zscore")
def check_zscore(answer, x=None) -> Check:
    """Exercise: standardize ``x`` (default :data:`EXERCISE_LEVELS`) with the slide's sigma (1/(N-1)), eps = 1e-8.

    Notebook: ``02_data_normalization.ipynb``.
    """
    from course_utils.normalization import normalize

    x = EXERCISE_LEVELS if x is None else np.asarray(x, dtype=np.float64)
    arr, problem = _as_answer_array(answer, x.shape, "answer")
    if problem is not None:
        return problem
    expected = normalize(x, "zscore", "dataset", eps=1e-8, ddof=1)
    if np.allclose(arr, expected, rtol=1e-6, atol=1e-6):
        return right(f"mean {x.mean():.3f} dB, sigma (1/(N-1)) {x.std(ddof=1):.3f} dB; the result has mean 0 "
                     "and standard deviation 1.")
    if np.allclose(arr, normalize(x, "zscore", "dataset", eps=1e-8, ddof=0), rtol=1e-6, atol=1e-6):
        return wrong("you divided the sum of squares by N (np.std's default, ddof=0, as scikit-learn does); "
                     "the slide divides by N - 1: use np.std(x, ddof=1).")
    if np.allclose(arr, (x - x.mean()) / (x.var(ddof=1) + 1e-8), rtol=1e-6) or \
            np.allclose(arr, (x - x.mean()) / (x.var(ddof=0) + 1e-8), rtol=1e-6):
        return wrong("you divided by the variance sigma^2; divide by the standard deviation sigma (its square root).")
    if np.allclose(arr, x / (x.std(ddof=1) + 1e-8), rtol=1e-6):
        return wrong("subtract the mean first: x - x.mean().")
    if np.allclose(arr, normalize(x, "minmax", "dataset"), rtol=1e-6):
        return wrong("that is min-max scaling; the exercise asks for the z-score (x - mean) / (sigma + eps).")
    return wrong("compute (x - x.mean()) / (np.std(x, ddof=1) + eps) with eps = 1e-8.")


def _axes_answer(answer, ndim: int):
    """``(axes, None)``: the student's axes as a sorted tuple of non-negative axes (``-1`` -> ``ndim - 1``),
    as NumPy reads them; else ``(None, Check)`` saying why NumPy would not accept them. Never raises."""
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer.item()
    items = list(answer) if isinstance(answer, (tuple, list, np.ndarray, range)) else [answer]
    if not items:
        return None, wrong("answer is empty: name the axes to reduce, e.g. (0,).")
    axes = []
    for item in items:
        if isinstance(item, np.ndarray) and item.ndim == 0:
            item = item.item()
        if isinstance(item, (bool, np.bool_)) or not isinstance(item, (int, np.integer)):
            return None, wrong(f"answer should be a tuple of whole axis numbers (0, 1 or 2, or -3, -2, -1 counted "
                               f"from the end); got {str(answer)[:40]}.")
        if not -ndim <= item < ndim:
            return None, wrong(f"patches have {ndim} axes, numbered 0 to {ndim - 1} (or -{ndim} to -1 from the end); "
                               f"axis {str(item)[:20]} does not exist.")
        axes.append(int(item) % ndim)
    if len(set(axes)) != len(axes):
        return None, wrong(f"answer names the same axis twice ({str(answer)[:40]}); NumPy refuses repeated axes.")
    return tuple(sorted(axes)), None


@records_attempt("frequency_axes")
def check_frequency_axes(answer) -> Check:
    """Exercise: the axes to reduce for per-frequency-bin statistics of patches ``(n_patches, n_bins, patch_length)``.

    Axes count as NumPy counts them: ``(0, 2)``, ``(2, 0)``, ``(0, -1)`` and ``(-3, -1)`` are the same answer.

    Notebook: ``02_data_normalization.ipynb``.
    """
    from course_utils.normalization import scope_axes

    if answer is None:
        return wrong("answer is still None: write a tuple of axes, e.g. (0,).")
    axes, problem = _axes_answer(answer, 3)
    if problem is not None:
        return problem
    expected = scope_axes(3, "frequency")
    if axes == expected:
        return right("reduce the patch axis 0 and the frame axis 2 and keep axis 1: one mean and sigma per "
                     "mel band, e.g. X.mean(axis=(0, 2), keepdims=True) has shape (1, n_bins, 1).")
    hints = {
        (1,): "that averages over the bins: one value per (patch, frame), not one per bin.",
        (0,): "that gives one value per (bin, frame position): scope 'feature'; also reduce the frames.",
        (2,): "that gives one value per (patch, bin): each patch separately; also reduce the patch axis.",
        (1, 2): "that gives one value per patch: scope 'patch'.",
        (0, 1, 2): "that gives one value for everything: scope 'batch' or 'dataset'.",
    }
    return wrong(hints.get(axes, f"axes {axes} are not right: keep the bin axis, reduce all the others."))


@records_attempt("train_only")
def check_train_only(answer, train, test) -> Check:
    """Exercise: z-score ``test`` per frequency bin with statistics fitted on ``train`` only (ddof=1, eps=1e-8).

    Args:
        answer: the student's normalized test patches, shape of ``test``.
        train, test: patches ``(n_patches, n_bins, patch_length)``.

    Notebook: ``02_data_normalization.ipynb``.
    """
    from course_utils.normalization import Normalizer, normalize

    train = np.asarray(train, dtype=np.float64)
    test = np.asarray(test, dtype=np.float64)
    arr, problem = _as_answer_array(answer, test.shape, "answer")
    if problem is not None:
        return problem

    def close(expected):
        return np.allclose(arr, expected, rtol=1e-5, atol=1e-5)

    reference = Normalizer("zscore", "frequency", eps=1e-8, ddof=1).fit(train)
    if close(reference.transform(test)):
        return right("the test patches are scaled with the training set's per-band mean and sigma, exactly as "
                     "new recordings would be after deployment.")
    if close(normalize(test, "zscore", "frequency", eps=1e-8, ddof=1)):
        return wrong("you normalized the test set with its own statistics; fit on train, then transform test.")
    both = np.concatenate([train, test])
    if close(Normalizer("zscore", "frequency", eps=1e-8, ddof=1).fit(both).transform(test)):
        return wrong("your statistics include the test set (leakage): fit on train only.")
    if close(Normalizer("zscore", "frequency", eps=1e-8, ddof=0).fit(train).transform(test)):
        return wrong("almost: use ddof=1 (sigma with 1/(N-1)) as the exercise asks.")
    for scope in ("dataset", "feature", "patch", "batch"):
        if close(Normalizer("zscore", scope, eps=1e-8, ddof=1).fit(train).transform(test)):
            return wrong(f"those are {scope!r} statistics; the exercise asks for one mean and sigma per "
                         "frequency bin (scope='frequency').")
    return wrong("use Normalizer('zscore', scope='frequency', ddof=1).fit(train).transform(test), or compute the "
                 "per-band mean and sigma of train over axes (0, 2) and apply them to test.")


def _column_zscore(M):
    """z-scores of each column of ``M`` with 1/N, constant columns 0: what ``StandardScaler().fit_transform`` gives."""
    from course_utils.normalization import normalize

    return normalize(M, "zscore", scope="feature", eps=0.0, ddof=0, layout="features")


@records_attempt("sklearn_frequency")
def check_sklearn_frequency(answer, patches) -> Check:
    """Exercise: reproduce per-frequency-bin z-scores of ``patches`` with scikit-learn's ``StandardScaler``.

    The expected result equals ``normalize(patches, "zscore", "frequency", eps=0, ddof=0)``.

    Notebook: ``02_data_normalization.ipynb``.
    """
    from course_utils.normalization import normalize

    patches = np.asarray(patches, dtype=np.float64)
    arr, problem = _as_answer_array(answer, patches.shape, "answer")
    if problem is not None:
        return problem
    expected = normalize(patches, "zscore", "frequency", eps=0.0, ddof=0)
    if np.allclose(arr, expected, rtol=1e-5, atol=1e-5):
        return right("with the patches reshaped to (n_patches * patch_length, n_bins), StandardScaler's columns "
                     "are the mel bands, and its statistics are the per-bin ones (with 1/N).")
    n_patches, n_bins, patch_length = patches.shape
    # the commonest slip: reshape(-1, n_bins) straight away, so that a "column" mixes bands and frames
    no_transpose = _column_zscore(patches.reshape(-1, n_bins)).reshape(patches.shape)
    if np.allclose(arr, no_transpose, rtol=1e-5, atol=1e-5):
        return wrong("reshape(-1, n_bins) without a transpose does not make the bands the columns: reshape reads "
                     "the values in memory order (all frames of band 0, then band 1, ...), so each column mixes "
                     "bands and frames. Transpose to (n_patches, patch_length, n_bins) first: "
                     "X.transpose(0, 2, 1).reshape(-1, n_bins).")
    right_matrix = _column_zscore(patches_to_matrix(patches, "frequency"))
    if np.allclose(arr, right_matrix.reshape(patches.shape), rtol=1e-5, atol=1e-5):
        return wrong("the scaling is right, but the way back is not: the matrix rows are (patch, frame) and its "
                     "columns the bins, so reshape to (n_patches, patch_length, n_bins) and then "
                     ".transpose(0, 2, 1); a plain reshape to the patch shape scrambles the values.")
    if np.allclose(arr, normalize(patches, "zscore", "feature", eps=0.0, ddof=0), rtol=1e-5, atol=1e-5):
        return wrong("reshaping to (n_patches, n_bins * patch_length) makes every (band, frame position) its own "
                     "column: that is scope 'feature'. Put the bins last: transpose(0, 2, 1) before reshaping.")
    if np.allclose(arr, normalize(patches, "zscore", "frequency", eps=1e-8, ddof=1), rtol=1e-5, atol=1e-5):
        return wrong("that is the package's result with ddof=1; StandardScaler divides by N (ddof=0).")
    return wrong("transpose the patches to (n_patches, patch_length, n_bins), reshape to (-1, n_bins), "
                 "fit_transform with StandardScaler, then reshape and transpose back.")

"""Data normalization: min-max scaling and standardization (z-score) with explicit statistics scopes.

Notebook: ``02_data_normalization.ipynb`` (lecture section 2, "Data normalization").

The two methods
---------------
* ``"minmax"``:  x <- (x - min x) / (max x - min x), which maps the values of every group to [0, 1].
  ``eps`` is not used by min-max (the lecture's formula has none; scikit-learn's ``MinMaxScaler``
  has none either).
* ``"zscore"``:  x <- (x - mean x) / (sigma + eps), with mean x = (1/N) sum x_i and
  sigma^2 = 1/(N - ddof) * sum (x_i - mean x)^2. ``ddof=1`` is the lecture's estimate (1/(N-1));
  ``ddof=0`` is what scikit-learn's ``StandardScaler`` uses (1/N). (The slide prints the divisor as
  "delta + eps"; it means sigma + eps.)

Constant groups
---------------
A group whose values are all equal (max = min, hence sigma = 0) is mapped to **0** by both methods,
for any ``eps`` (also ``eps=0``). This equals scikit-learn's behaviour for constant features, never
produces NaN and never emits a warning. Groups of a single value are constant.

Scopes and layouts: which axes are reduced
-------------------------------------------
The *scope* says over which values one mean/sigma (or min/max) is computed. The *layout* says what
the axes of ``X`` mean; ``layout="auto"`` picks ``"signal"`` for 1-D, ``"features"`` for 2-D and
``"patches"`` for 3-D or more. A 2-D spectrogram ``(n_bins, n_frames)`` must be passed with
``layout="spectrogram"``, because a 2-D array is otherwise read as a feature matrix
``(n_examples, n_features)``.

Reduced axes per scope and layout (the statistics keep the other axes, with length 1 for the reduced ones):

* patches ``(n_patches, n_bins, patch_length[, channels])``:
  ``patch`` (1, 2, ...) each patch over all its values; ``batch`` and ``dataset`` all axes;
  ``frequency`` (0, 2, ...) each mel band over all patches and frames; ``feature`` (0,) each
  (band, frame position) over the patches.
* feature matrix ``(n_examples, n_features)``:
  ``patch`` (1,) each example (row) over its features; ``batch`` and ``dataset`` all axes;
  ``frequency`` and ``feature`` (0,) each column over the examples (= scikit-learn).
* spectrogram ``(n_bins, n_frames)`` (one example):
  ``patch``, ``batch`` and ``dataset`` all axes; ``frequency`` and ``feature`` (1,) each bin over
  all frames (the frames are the examples, the bins the features).

A 1-D ``"signal"`` ``(n_samples,)`` supports ``patch``, ``batch`` and ``dataset`` (all reduce the
whole signal). ``feature`` on a feature matrix is exactly scikit-learn's ``StandardScaler`` (with
``ddof=0`` and ``eps=0``) or ``MinMaxScaler``; ``feature`` on patches is what those scalers do after
reshaping the patches to ``(n_patches, n_bins * patch_length)``. ``batch`` and ``dataset`` reduce the
same axes; they differ in *which data* the statistics come from: ``batch`` uses the batch at hand
(recomputed for every batch), ``dataset`` uses the statistics fitted once on the training set
(:class:`Normalizer`). At test time ``batch`` makes an example's numbers depend on the other examples
in its batch, and a batch of one patch reduces it to ``patch`` (the level differences the training
batches kept are gone). Statistics per feature over a batch, as a batch-normalization layer computes
them while training, are worse still: a batch of one example makes every feature constant, and it
maps to 0. That is why such a layer uses batch statistics only while training and, at inference,
running averages collected during training.

The rest of the notebook's code lives in three sibling modules, one idea each; every public name of them
is re-exported here, so ``from course_utils.normalization import ...`` reaches all of it:

* :mod:`course_utils.normalization_descent`: why normalize (:func:`gradient_descent_path` and
  :func:`plot_descent`: gradient descent on two features of different scales);
* :mod:`course_utils.normalization_patches`: real log-mel patches (:func:`fsdd_patch_sets`,
  :func:`recording_patches`), :func:`add_click` (the outlier) and :func:`patches_to_matrix` /
  :func:`matrix_to_patches` (scikit-learn's 2-D layout);
* :mod:`course_utils.normalization_checks`: the "Your turn" checkers ``check_*``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# The sibling modules, re-exported so that one import line reaches the whole notebook's code. They import
# this module's functions inside their own functions, not at their top, so this import is not circular.
from course_utils import normalization_checks, normalization_descent, normalization_patches
from course_utils.normalization_checks import *  # noqa: F401, F403
from course_utils.normalization_descent import *  # noqa: F401, F403
from course_utils.normalization_patches import *  # noqa: F401, F403

METHODS = ("minmax", "zscore")
SCOPES = ("patch", "batch", "frequency", "dataset", "feature")
LAYOUTS = ("auto", "signal", "features", "spectrogram", "patches")
#: Scopes whose statistics come from the data being normalized itself (nothing to store).
STATELESS_SCOPES = ("patch", "batch")

__all__ = [
    "METHODS", "SCOPES", "LAYOUTS", "STATELESS_SCOPES",
    "normalize", "Normalizer", "resolve_layout", "scope_axes", "compute_statistics", "Statistics",
] + normalization_descent.__all__ + normalization_patches.__all__ + normalization_checks.__all__


def _check_choice(value, allowed, name):
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(repr(a) for a in allowed)}; got {value!r}.")
    return value


def _check_real(name, value, low, high, *, low_open=False, high_open=False, unit=""):
    """``value`` as a float in the interval from ``low`` to ``high`` (open ends as asked); else raise naming it.

    A bool, a string, None and NaN are refused (``True`` is no number of the lecture).
    """
    interval = f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}{unit}"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number in {interval}; got {value!r}.")
    try:
        number = float(value)
    except OverflowError:  # an int beyond float's range, e.g. 10**400
        raise ValueError(f"{name} must be a number in {interval}; got a number too large for a float.") from None
    inside = (low < number if low_open else low <= number) and (number < high if high_open else number <= high)
    if not inside:  # also NaN
        raise ValueError(f"{name} must be a number in {interval}; got {value!r}.")
    return number


def _check_count(name, value, low, high):
    """``value`` as an int in [low, high]; a bool, a float or a string is refused with the range."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer in [{low}, {high}]; got {value!r}.")
    if not low <= value <= high:
        raise ValueError(f"{name} must be an integer in [{low}, {high}]; got {value!r}.")
    return int(value)


def _check_eps(eps):
    if isinstance(eps, (bool, np.bool_)) or not isinstance(eps, (int, float, np.integer, np.floating)):
        raise TypeError(f"eps must be a finite number >= 0 (a float such as 1e-8); got {eps!r}.")
    eps = float(eps)
    if not np.isfinite(eps) or eps < 0:
        raise ValueError(f"eps must be a finite number >= 0 (a float such as 1e-8); got {eps!r}.")
    return eps


def _check_ddof(ddof):
    if isinstance(ddof, bool) or not isinstance(ddof, (int, np.integer)) or ddof not in (0, 1):
        raise ValueError(f"ddof must be 0 (divide by N, as scikit-learn's StandardScaler) or 1 "
                         f"(divide by N - 1, as on the slide); got {ddof!r}.")
    return int(ddof)


def _as_finite_array(X, name="X"):
    """``X`` as a floating array (float32 stays float32, integers become float64); rejects NaN/inf."""
    arr = np.asarray(X)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{name} must be a numeric array; got dtype {arr.dtype}.")
    if not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(np.float64)
    if arr.ndim == 0:
        raise ValueError(f"{name} must have at least 1 dimension; got a scalar.")
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); there is nothing to compute statistics from.")
    bad = ~np.isfinite(arr)
    if bad.any():
        n_nan = int(np.isnan(arr).sum())
        raise ValueError(f"{name} contains {n_nan} NaN and {int(bad.sum()) - n_nan} infinite value(s); "
                         "normalization statistics would be undefined. Remove or replace them first.")
    return arr


def resolve_layout(ndim: int, layout: str = "auto") -> str:
    """The layout used for an array with ``ndim`` dimensions.

    Args:
        ndim: number of dimensions of the data.
        layout: one of :data:`LAYOUTS`. ``"auto"`` gives ``"signal"`` (1-D), ``"features"`` (2-D) or
            ``"patches"`` (3-D and more).

    Returns:
        The explicit layout name.

    Raises:
        ValueError: unknown layout, or a layout that does not fit ``ndim``.

    Notebook: ``02_data_normalization.ipynb``.
    """
    _check_choice(layout, LAYOUTS, "layout")
    if layout == "auto":
        if ndim < 1:
            raise ValueError(f"X must have at least 1 dimension; got ndim={ndim}.")
        return {1: "signal", 2: "features"}.get(ndim, "patches")
    expected = {"signal": "== 1", "features": "== 2", "spectrogram": "== 2", "patches": ">= 3"}[layout]
    ok = {"signal": ndim == 1, "features": ndim == 2, "spectrogram": ndim == 2, "patches": ndim >= 3}[layout]
    if not ok:
        raise ValueError(f"layout={layout!r} needs an array with ndim {expected}; got ndim={ndim}.")
    return layout


def scope_axes(ndim: int, scope: str, layout: str = "auto") -> tuple[int, ...]:
    """The axes reduced to compute one set of statistics (see the table in the module docstring).

    Args:
        ndim: number of dimensions of the data.
        scope: one of :data:`SCOPES`.
        layout: one of :data:`LAYOUTS`.

    Returns:
        Sorted tuple of the reduced axes. The statistics have the data's shape with these axes set to 1.

    Example:
        >>> scope_axes(3, "frequency")   # (n_patches, n_bins, patch_length): keep the bin axis
        (0, 2)
        >>> scope_axes(2, "frequency", layout="spectrogram")   # (n_bins, n_frames)
        (1,)

    Notebook: ``02_data_normalization.ipynb``.
    """
    _check_choice(scope, SCOPES, "scope")
    layout = resolve_layout(ndim, layout)
    every = tuple(range(ndim))
    if scope in ("batch", "dataset"):
        return every
    if layout == "signal":
        if scope == "patch":
            return every
        raise ValueError(f"scope={scope!r} needs several values per feature: pass a feature matrix "
                         "(n_examples, n_features), a spectrogram (layout='spectrogram') or patches; "
                         "a 1-D signal supports scope 'patch', 'batch' or 'dataset'.")
    if layout == "spectrogram":
        return every if scope == "patch" else (1,)
    if layout == "features":
        return (1,) if scope == "patch" else (0,)
    # patches: axis 0 = patch, axis 1 = frequency bin, remaining axes = frames (and channels)
    if scope == "patch":
        return every[1:]
    if scope == "frequency":
        return (0,) + every[2:]
    return (0,)


@dataclass(frozen=True)
class Statistics:
    """Statistics of one scope, kept with ``keepdims`` so they broadcast against the data.

    Attributes:
        center: value subtracted (min for min-max, mean for z-score); shape = data shape with the
            reduced axes set to 1.
        scale: value divided by (max - min for min-max, sigma + eps for z-score); same shape. Constant
            groups hold 1 here (their centred values are 0, so the result is 0).
        constant: boolean mask of the constant groups (max == min); same shape.
        data_min, data_max: minimum and maximum of each group; same shape.
        mean, std: mean and standard deviation (with ``ddof``) of each group; same shape.
        axes: the reduced axes.

    Notebook: ``02_data_normalization.ipynb``.
    """

    center: np.ndarray
    scale: np.ndarray
    constant: np.ndarray
    data_min: np.ndarray
    data_max: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    axes: tuple


def compute_statistics(X, method="zscore", scope="dataset", eps=1e-8, ddof=1, layout="auto") -> Statistics:
    """Statistics of ``X`` for ``method`` and ``scope`` (computed in float64).

    Args:
        X: np.ndarray of any course shape (see the module docstring); finite values.
        method: ``"minmax"`` or ``"zscore"``.
        scope: one of :data:`SCOPES`.
        eps: float >= 0, added to sigma (z-score only).
        ddof: 1 (sigma with 1/(N-1), the slide) or 0 (1/N, scikit-learn).
        layout: one of :data:`LAYOUTS`.

    Returns:
        :class:`Statistics`.

    Notebook: ``02_data_normalization.ipynb``.
    """
    _check_choice(method, METHODS, "method")
    eps, ddof = _check_eps(eps), _check_ddof(ddof)
    arr = _as_finite_array(X).astype(np.float64, copy=False)
    axes = scope_axes(arr.ndim, scope, layout)
    n = int(np.prod([arr.shape[a] for a in axes]))
    data_min = arr.min(axis=axes, keepdims=True)
    data_max = arr.max(axis=axes, keepdims=True)
    constant = data_max == data_min
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is reported below, as one clear error
        mean = arr.mean(axis=axes, keepdims=True)
        # the mean of equal values can differ from them by rounding; pin it so constant groups map to 0 exactly
        mean = np.where(constant, data_min, mean)
        squares = np.square(arr - mean).sum(axis=axes, keepdims=True)
        spread = data_max - data_min
    if not (np.isfinite(squares).all() and np.isfinite(spread).all() and np.isfinite(mean).all()):
        raise ValueError(f"X has values too large (up to {np.abs(arr).max():.3g} in magnitude) for float64 "
                         "statistics; rescale it (e.g. divide by its largest magnitude) first.")
    std = np.sqrt(squares / (n - ddof)) if n > ddof else np.zeros_like(mean)
    std = np.where(constant, 0.0, std)
    if method == "minmax":
        center, scale = data_min, data_max - data_min
    else:
        center, scale = mean, std + eps
    scale = np.where(constant | (scale == 0), 1.0, scale)
    return Statistics(center=center, scale=scale, constant=constant, data_min=data_min, data_max=data_max,
                      mean=mean, std=std, axes=axes)


def _apply(arr, stats: Statistics):
    out = (arr.astype(np.float64, copy=False) - stats.center) / stats.scale
    return out.astype(arr.dtype, copy=False)


def normalize(X, method="zscore", scope="dataset", eps=1e-8, ddof=1, layout="auto") -> np.ndarray:
    """Normalize ``X`` with statistics computed from ``X`` itself.

    Args:
        X: np.ndarray, e.g. patches ``(n_patches, n_bins, patch_length)``, a feature matrix
            ``(n_examples, n_features)``, or a spectrogram ``(n_bins, n_frames)`` with
            ``layout="spectrogram"``; values must be finite.
        method: ``"minmax"`` (to [0, 1]) or ``"zscore"`` (zero mean, unit standard deviation).
        scope: which values share one set of statistics: ``"patch"``, ``"batch"``, ``"frequency"``,
            ``"dataset"`` or ``"feature"`` (axes: see the module docstring).
        eps: float >= 0 added to sigma for z-score; ignored by min-max.
        ddof: 1 for sigma^2 = 1/(N-1) sum (x - mean)^2 (the slide), 0 for 1/N (scikit-learn).
        layout: ``"auto"``, ``"signal"``, ``"features"``, ``"spectrogram"`` or ``"patches"``.

    Returns:
        np.ndarray with the shape of ``X`` (float32 stays float32, other input becomes float64).
        Constant groups become 0.

    Raises:
        ValueError: unknown method/scope/layout (the message lists the valid ones), NaN/inf values,
            eps < 0, ddof not 0 or 1.

    Example:
        >>> normalize(np.array([[1.0, 10.0], [3.0, 30.0]]), "minmax", scope="feature")
        array([[0., 0.],
               [1., 1.]])

    Notebook: ``02_data_normalization.ipynb``.
    """
    arr = _as_finite_array(X)
    return _apply(arr, compute_statistics(arr, method, scope, eps, ddof, layout))


class Normalizer:
    """Fit normalization statistics on training data, apply them to any data (fit/transform).

    For ``scope`` in ``"frequency"``, ``"dataset"`` and ``"feature"`` the statistics are *stored* by
    :meth:`fit` and reused by :meth:`transform`: fit on the training set only, then transform the
    training, validation and test sets with the same numbers.

    For ``scope`` in ``"patch"`` and ``"batch"`` there is nothing to store: each patch (or each batch)
    is normalized with its own statistics, at training and at test time alike. Per patch, a result
    depends on that patch alone (a single test recording can be normalized); per batch, it also depends
    on which other examples share the batch (see the module docstring). :meth:`fit` then only
    checks ``X`` and records its layout; :meth:`transform` computes the statistics of the data it is
    given and keeps them in the fitted attributes, so :meth:`inverse_transform` undoes the most recent
    :meth:`transform` (it needs data of the same shape).

    Args:
        method, scope, eps, ddof, layout: as in :func:`normalize`.

    Fitted attributes (shapes: the fitted data's shape with the reduced axes set to 1, e.g.
    ``(1, n_bins, 1)`` for ``scope="frequency"`` on patches, ``(1, n_features)`` for ``"feature"``
    on a feature matrix, ``(1, 1, 1)`` for ``"dataset"``):
        center_: subtracted value (``data_min_`` for min-max, ``mean_`` for z-score).
        scale_: divisor (``data_max_ - data_min_``, or ``std_ + eps``; 1 for constant groups).
        mean_, std_, data_min_, data_max_: the statistics of each group.
        axes_: reduced axes; ``layout_``: resolved layout; ``ndim_``: number of dimensions.

    Example:
        >>> norm = Normalizer("zscore", scope="frequency").fit(train_patches)  # doctest: +SKIP
        >>> test_n = norm.transform(test_patches)                               # doctest: +SKIP

    Notebook: ``02_data_normalization.ipynb``.
    """

    def __init__(self, method="zscore", scope="dataset", eps=1e-8, ddof=1, layout="auto"):
        self.method = _check_choice(method, METHODS, "method")
        self.scope = _check_choice(scope, SCOPES, "scope")
        self.eps = _check_eps(eps)
        self.ddof = _check_ddof(ddof)
        self.layout = _check_choice(layout, LAYOUTS, "layout")

    def __repr__(self):
        return (f"Normalizer(method={self.method!r}, scope={self.scope!r}, eps={self.eps:g}, "
                f"ddof={self.ddof}, layout={self.layout!r})")

    @property
    def stores_statistics(self) -> bool:
        """True when :meth:`fit` stores statistics that :meth:`transform` reuses."""
        return self.scope not in STATELESS_SCOPES

    @property
    def is_fitted(self) -> bool:
        return hasattr(self, "layout_")

    def _set_stats(self, stats: Statistics):
        self.center_, self.scale_ = stats.center, stats.scale
        self.mean_, self.std_ = stats.mean, stats.std
        self.data_min_, self.data_max_ = stats.data_min, stats.data_max
        self.axes_ = stats.axes

    def fit(self, X) -> "Normalizer":
        """Compute (and, for stored scopes, keep) the statistics of ``X``; returns ``self``."""
        arr = _as_finite_array(X)
        self.layout_ = resolve_layout(arr.ndim, self.layout)
        self.ndim_ = arr.ndim
        stats = compute_statistics(arr, self.method, self.scope, self.eps, self.ddof, self.layout_)
        self._set_stats(stats)
        self.fit_shape_ = arr.shape
        return self

    def _check_fitted(self, arr, what, check_axes=True):
        if not self.is_fitted:
            raise ValueError(f"This Normalizer is not fitted yet: call fit(X_train) before {what}().")
        if arr.ndim != self.ndim_:
            raise ValueError(f"X has ndim={arr.ndim} but the Normalizer was fitted on ndim={self.ndim_} "
                             f"(shape {self.fit_shape_}).")
        if not check_axes:
            return
        for axis in range(arr.ndim):
            if axis not in self.axes_ and arr.shape[axis] != self.center_.shape[axis]:
                raise ValueError(f"X has shape {arr.shape}, but axis {axis} must have length "
                                 f"{self.center_.shape[axis]} as in the fitted data {self.fit_shape_} "
                                 f"(scope={self.scope!r} keeps one statistic per index of that axis).")

    def transform(self, X) -> np.ndarray:
        """Normalize ``X`` (same shape) with the fitted statistics (or, for patch/batch, its own)."""
        arr = _as_finite_array(X)
        self._check_fitted(arr, "transform", check_axes=self.stores_statistics)
        if not self.stores_statistics:
            self._set_stats(compute_statistics(arr, self.method, self.scope, self.eps, self.ddof, self.layout_))
            self.fit_shape_ = arr.shape
        return _apply(arr, Statistics(self.center_, self.scale_, None, None, None, None, None, self.axes_))

    def fit_transform(self, X) -> np.ndarray:
        """``fit(X)`` then ``transform(X)``."""
        return self.fit(X).transform(X)

    def inverse_transform(self, X) -> np.ndarray:
        """Undo :meth:`transform`: ``X * scale_ + center_`` (constant groups come back as their value).

        For ``scope`` ``"patch"``/``"batch"`` this uses the statistics of the most recent transform, so
        ``X`` must have that transform's shape.
        """
        arr = _as_finite_array(X)
        self._check_fitted(arr, "inverse_transform", check_axes=self.stores_statistics)
        if not self.stores_statistics and arr.shape != self.fit_shape_:
            raise ValueError(f"scope={self.scope!r} stores no statistics: inverse_transform undoes the most "
                             f"recent transform, whose data had shape {self.fit_shape_}; got {arr.shape}.")
        out = arr.astype(np.float64, copy=False) * self.scale_ + self.center_
        return out.astype(arr.dtype, copy=False)

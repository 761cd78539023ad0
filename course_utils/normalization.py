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

Also here, for the notebook: :func:`gradient_descent_path` and :func:`plot_descent` (why normalize:
gradient descent on two features of different scales), :func:`fsdd_patch_sets` and
:func:`recording_patches` (real log-mel patches), :func:`add_click` (the outlier),
:func:`patches_to_matrix` / :func:`matrix_to_patches` (scikit-learn's 2-D layout) and the "Your turn"
checkers ``check_*``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from course_utils.checks import Check, right, wrong

METHODS = ("minmax", "zscore")
SCOPES = ("patch", "batch", "frequency", "dataset", "feature")
LAYOUTS = ("auto", "signal", "features", "spectrogram", "patches")
#: Scopes whose statistics come from the data being normalized itself (nothing to store).
STATELESS_SCOPES = ("patch", "batch")

__all__ = [
    "METHODS", "SCOPES", "LAYOUTS", "STATELESS_SCOPES",
    "normalize", "Normalizer", "resolve_layout", "scope_axes", "compute_statistics", "Statistics",
    "DescentPath", "make_two_scale_problem", "gradient_descent_path", "plot_descent",
    "PATCH_SETTINGS", "PatchSet", "recording_patches", "fsdd_patch_sets", "example_batch", "side_by_side",
    "add_click",
    "patches_to_matrix", "matrix_to_patches",
    "EXERCISE_LEVELS", "check_zscore", "check_frequency_axes", "check_train_only", "check_sklearn_frequency",
]


def _check_choice(value, allowed, name):
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(repr(a) for a in allowed)}; got {value!r}.")
    return value


def _check_eps(eps):
    try:
        eps = float(eps)
    except (TypeError, ValueError):
        raise TypeError(f"eps must be a non-negative finite number; got {eps!r}.") from None
    if not np.isfinite(eps) or eps < 0:
        raise ValueError(f"eps must be a non-negative finite number (>= 0); got {eps!r}.")
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


# --------------------------------------------------------------------------------------------------
# Section 1 of the notebook: why normalize (gradient descent on two features of different scales)

@dataclass(frozen=True)
class DescentPath:
    """The result of :func:`gradient_descent_path`.

    Attributes:
        weights: np.ndarray, shape ``(n_steps + 1, 2)``: the weights before the first and after every step.
        losses: np.ndarray, shape ``(n_steps + 1,)``: the loss at each of those weights.
        n_steps: int, number of steps taken (the steps to converge when ``converged``).
        converged: whether the loss gap fell below ``tol`` times the initial gap.
        diverged: whether the loss grew beyond 1e6 times its initial value (learning rate too large).
        learning_rate: float, the step size used.
        optimum: np.ndarray, shape ``(2,)``: the least-squares weights (closed form).
        curvatures: np.ndarray, shape ``(2,)``: eigenvalues of the loss's Hessian ``X^T X / N``, ascending;
            their ratio (the condition number) sets how elongated the contours are.

    Notebook: ``02_data_normalization.ipynb``.
    """

    weights: np.ndarray
    losses: np.ndarray
    n_steps: int
    converged: bool
    diverged: bool
    learning_rate: float
    optimum: np.ndarray
    curvatures: np.ndarray

    @property
    def condition_number(self) -> float:
        """Largest over smallest curvature (1 = round contours)."""
        return float(self.curvatures[-1] / self.curvatures[0])


def make_two_scale_problem(n_examples: int = 200, scales=(1.0, 20.0), correlation: float = 0.5,
                           noise: float = 0.3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A linear regression problem with two correlated features of very different scales.

    Think of two descriptors of a sound measured in different units, e.g. a ratio that varies by about
    ±1 and a level that varies by about ±20 dB. The target is ``y = 2 z1 - z2 + noise`` where ``z1, z2``
    are the features before scaling, so both features matter (weights 2 and -1 per standard deviation).

    Args:
        n_examples: N, number of examples (>= 3).
        scales: standard deviation of each of the two features.
        correlation: correlation of the two features, in (-1, 1).
        noise: standard deviation of the target noise (>= 0).
        seed: random seed (the problem is deterministic for a given seed).

    Returns:
        ``(X, y)``: features, shape ``(n_examples, 2)``, and targets, shape ``(n_examples,)``.

    Notebook: ``02_data_normalization.ipynb``.
    """
    if not isinstance(n_examples, (int, np.integer)) or n_examples < 3:
        raise ValueError(f"n_examples must be an integer >= 3; got {n_examples!r}.")
    if not -1 < correlation < 1:
        raise ValueError(f"correlation must be in (-1, 1); got {correlation!r}.")
    scales = np.asarray(scales, dtype=float)
    if scales.shape != (2,) or not np.all(scales > 0):
        raise ValueError(f"scales must be two positive numbers; got {scales!r}.")
    if noise < 0:
        raise ValueError(f"noise must be >= 0; got {noise!r}.")
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(n_examples, 2))
    z1 = z[:, 0]
    z2 = correlation * z[:, 0] + np.sqrt(1 - correlation**2) * z[:, 1]
    X = np.column_stack([z1 * scales[0], z2 * scales[1]])
    y = 2.0 * z1 - 1.0 * z2 + noise * rng.normal(size=n_examples)
    return X, y


def _mse_half(X, y, w):
    residual = X @ w - y
    return 0.5 * float(np.mean(residual**2))


def gradient_descent_path(X, y, learning_rate: float | None = None, *, w0=(0.0, 0.0), lr_factor: float = 1.8,
                          tol: float = 1e-6, max_steps: int = 20000) -> DescentPath:
    """Plain gradient descent on the least-squares loss of a two-weight linear model (no bias).

    The loss is ``L(w) = 1/(2N) * sum_i (x_i . w - y_i)^2`` and one step is
    ``w := w - learning_rate * X^T (X w - y) / N``. Gradient descent on this loss converges only for
    ``learning_rate < 2 / lambda_max`` (``lambda_max``: the largest curvature), and the number of steps
    it needs grows with the condition number ``lambda_max / lambda_min``: with features of very
    different scales the contours are long thin ellipses and the path zig-zags across the valley.

    Args:
        X: features, shape ``(n_examples, 2)``.
        y: targets, shape ``(n_examples,)``.
        learning_rate: step size; ``None`` uses ``lr_factor / lambda_max``, the same fraction of the
            largest stable step for every problem (a fair comparison).
        w0: starting weights, shape ``(2,)``.
        lr_factor: used when ``learning_rate`` is None, in (0, 2).
        tol: converged when ``L(w) - L(w*) <= tol * (L(w0) - L(w*))``.
        max_steps: stop after this many steps.

    Returns:
        :class:`DescentPath`.

    Notebook: ``02_data_normalization.ipynb``.
    """
    X = _as_finite_array(X).astype(np.float64)
    y = _as_finite_array(y, "y").astype(np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n_examples, 2); got {X.shape}.")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},) to match X; got {y.shape}.")
    if not 0 < lr_factor < 2:
        raise ValueError(f"lr_factor must be in (0, 2) (2 / lambda_max is the stability limit); got {lr_factor!r}.")
    if not isinstance(max_steps, (int, np.integer)) or max_steps < 1:
        raise ValueError(f"max_steps must be an integer >= 1; got {max_steps!r}.")
    n = X.shape[0]
    hessian = X.T @ X / n
    curvatures = np.linalg.eigvalsh(hessian)
    if curvatures[0] <= 0:
        raise ValueError("X must have two linearly independent columns (the loss has no unique minimum).")
    optimum = np.linalg.solve(hessian, X.T @ y / n)
    if learning_rate is None:
        learning_rate = lr_factor / curvatures[-1]
    elif not (np.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"learning_rate must be a positive finite number; got {learning_rate!r}.")
    w = np.asarray(w0, dtype=np.float64).copy()
    if w.shape != (2,):
        raise ValueError(f"w0 must have shape (2,); got {w.shape}.")
    best = _mse_half(X, y, optimum)
    start_gap = _mse_half(X, y, w) - best
    weights, losses = [w.copy()], [_mse_half(X, y, w)]
    converged = diverged = False
    for _ in range(max_steps):
        if losses[-1] - best <= tol * start_gap:
            converged = True
            break
        w = w - learning_rate * (X.T @ (X @ w - y)) / n
        loss = _mse_half(X, y, w)
        weights.append(w.copy())
        losses.append(loss)
        if not np.isfinite(loss) or loss - best > 1e6 * max(start_gap, 1e-300):
            diverged = True
            break
    else:
        converged = losses[-1] - best <= tol * start_gap
    return DescentPath(weights=np.array(weights), losses=np.array(losses), n_steps=len(weights) - 1,
                       converged=converged, diverged=diverged, learning_rate=float(learning_rate),
                       optimum=optimum, curvatures=curvatures)


def plot_descent(X, y, path: DescentPath, *, ax=None, title: str = "", n_levels: int = 12,
                 steps: int | None = None, equal_aspect: bool = True):
    """Draw the loss contours of a two-weight problem and the gradient-descent path on top.

    Args:
        X, y: the problem (as for :func:`gradient_descent_path`).
        path: the result of :func:`gradient_descent_path` on ``X, y``.
        ax: axes to draw into (``None``: a new figure).
        title: axes title.
        n_levels: number of contour levels (spaced on a square-root scale of the loss gap).
        steps: show only the first ``steps`` steps and zoom onto them (``None``: the whole path).
        equal_aspect: same scale on both axes, which shows the true shape of the contours;
            ``False`` stretches each axis to the path, which makes a zig-zag across a narrow valley visible.

    Returns:
        The ``Line2D`` of the path.

    Notebook: ``02_data_normalization.ipynb``.
    """
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(5, 4), layout="constrained")
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    shown = path.weights if steps is None else path.weights[: steps + 1]
    shown = shown[np.isfinite(shown).all(axis=1)]
    pts = shown if steps is not None else np.vstack([shown, path.optimum])
    span = np.maximum(np.ptp(pts, axis=0), 1e-9)
    half = 0.6 * (span.max() * np.ones(2) if equal_aspect else span)
    centre = (pts.max(axis=0) + pts.min(axis=0)) / 2
    w1 = np.linspace(centre[0] - half[0], centre[0] + half[0], 200)
    w2 = np.linspace(centre[1] - half[1], centre[1] + half[1], 200)
    W1, W2 = np.meshgrid(w1, w2)
    residual = X @ np.stack([W1.ravel(), W2.ravel()]) - y[:, None]
    L = 0.5 * np.mean(residual**2, axis=0).reshape(W1.shape)
    best = _mse_half(X, y, path.optimum)
    if steps is None:
        levels = best + (path.losses[0] - best) * np.linspace(0.03, 1.2, n_levels) ** 2
    else:  # zoomed in: spread the levels over the losses inside the view
        levels = np.unique(np.quantile(L, np.linspace(0.02, 0.98, n_levels)))
    ax.contour(W1, W2, L, levels=levels, colors="0.6", linewidths=0.8)
    label = f"first {len(shown) - 1} of {path.n_steps} steps" if steps is not None else f"{path.n_steps} steps"
    (line,) = ax.plot(shown[:, 0], shown[:, 1], "-o", color="C3", ms=2.5, lw=1.0, label=label)
    if steps is None:
        ax.plot(*path.optimum, "*", color="k", ms=10, label="minimum")
    ax.set(xlabel="$w_1$", ylabel="$w_2$", title=title, xlim=(w1[0], w1[-1]), ylim=(w2[0], w2[-1]))
    if equal_aspect:
        ax.set_aspect("equal")
    ax.legend(loc="upper right", fontsize="small")
    return line


# --------------------------------------------------------------------------------------------------
# Real spectrogram patches (FSDD) for sections 2-5 and the explorer

#: Settings of the FSDD log-mel patches used in the notebook (8 kHz recordings): 32 ms blocks,
#: 8 ms hop, 32 mel bands, patches of 16 frames (128 ms) every 8 frames, and no ``top_db`` floor
#: (a floor relative to the loudest value would move whenever a loud click is added).
PATCH_SETTINGS = {"block_size": 256, "hop_size": 64, "n_mels": 32, "patch_length": 16, "patch_hop": 8,
                  "top_db": None}


@dataclass(frozen=True)
class PatchSet:
    """Log-mel spectrogram patches of several recordings.

    Attributes:
        patches: np.ndarray, shape ``(n_patches, n_bins, patch_length)``, float32, in dB (read-only).
        recording: np.ndarray of int, shape ``(n_patches,)``: which recording (index into ``audio``) each
            patch comes from.
        audio: tuple of the recordings, float32 arrays of shape ``(n_samples,)``.
        labels: np.ndarray of int, shape ``(n_recordings,)``: the spoken digit of each recording.
        speakers: np.ndarray of str, shape ``(n_recordings,)``.
        sr: sample rate in Hz.
        settings: the framing and patch parameters (:data:`PATCH_SETTINGS`).

    Notebook: ``02_data_normalization.ipynb``.
    """

    patches: np.ndarray
    recording: np.ndarray
    audio: tuple
    labels: np.ndarray
    speakers: np.ndarray
    sr: int
    settings: dict

    def __len__(self):
        return len(self.patches)


def recording_patches(y, sr, settings=None):
    """Log-mel patches of one recording, ``(n_patches, n_bins, patch_length)`` (empty if it is too short).

    Uses :func:`course_utils.representations.log_mel_spectrogram` and
    :func:`~course_utils.representations.extract_patches` with :data:`PATCH_SETTINGS` (or ``settings``).

    Notebook: ``02_data_normalization.ipynb``.
    """
    from course_utils.representations import extract_patches, log_mel_spectrogram

    s = dict(PATCH_SETTINGS, **(settings or {}))
    needed = s["block_size"] + (s["patch_length"] - 1) * s["hop_size"]
    if len(y) < needed:
        return np.zeros((0, s["n_mels"], s["patch_length"]), dtype=np.float32)
    S = log_mel_spectrogram(y, sr, s["block_size"], s["hop_size"], s["n_mels"], top_db=s["top_db"])
    return np.ascontiguousarray(extract_patches(S, s["patch_length"], s["patch_hop"]))


_PATCH_CACHE: dict = {}


def fsdd_patch_sets(n_train: int = 150, n_test: int = 50, seed: int = 0) -> tuple[PatchSet, PatchSet]:
    """Training and test patches from FSDD's official split (a seeded random choice of recordings).

    Recordings too short for one patch are skipped. Results are cached (the same arguments return the
    same, read-only arrays).

    Args:
        n_train: number of training recordings (1 to 2700).
        n_test: number of test recordings (1 to 300).
        seed: seed of the choice of recordings.

    Returns:
        ``(train, test)``: two :class:`PatchSet`.

    Notebook: ``02_data_normalization.ipynb``.
    """
    from course_utils.data import load_fsdd, official_split

    key = (int(n_train), int(n_test), int(seed))
    if key in _PATCH_CACHE:
        return _PATCH_CACHE[key]
    collection = load_fsdd(progress=False)
    train_idx, test_idx = official_split(collection)
    if not 1 <= n_train <= len(train_idx):
        raise ValueError(f"n_train must be in [1, {len(train_idx)}]; got {n_train!r}.")
    if not 1 <= n_test <= len(test_idx):
        raise ValueError(f"n_test must be in [1, {len(test_idx)}]; got {n_test!r}.")
    rng = np.random.default_rng(seed)
    sets = []
    for pool, count in ((train_idx, n_train), (test_idx, n_test)):
        chosen = np.sort(rng.choice(pool, size=count, replace=False))
        audio, patches, owner, keep = [], [], [], []
        for i in chosen:
            p = recording_patches(collection.audio[i], collection.sr)
            if len(p):
                owner.append(np.full(len(p), len(audio)))
                audio.append(collection.audio[i])
                patches.append(p)
                keep.append(i)
        X = np.concatenate(patches)
        X.setflags(write=False)
        sets.append(PatchSet(patches=X, recording=np.concatenate(owner), audio=tuple(audio),
                             labels=collection.labels[keep], speakers=collection.speakers[keep],
                             sr=collection.sr, settings=dict(PATCH_SETTINGS)))
    _PATCH_CACHE[key] = tuple(sets)
    return _PATCH_CACHE[key]


def example_batch(patch_set: PatchSet, n_patches: int = 6) -> np.ndarray:
    """One patch from each of ``n_patches`` recordings of different loudness: a small, varied batch.

    The recordings are spread evenly over the range of peak amplitudes; from each the middle patch is
    taken, and the patches are ordered by their mean level, from the quietest to the loudest.

    Args:
        patch_set: a :class:`PatchSet`.
        n_patches: how many patches (at most the number of recordings).

    Returns:
        np.ndarray, shape ``(n_patches, n_bins, patch_length)``, float64, ordered by mean level (dB).

    Notebook: ``02_data_normalization.ipynb``.
    """
    n_recordings = len(patch_set.audio)
    if not isinstance(n_patches, (int, np.integer)) or not 1 <= n_patches <= n_recordings:
        raise ValueError(f"n_patches must be an integer in [1, {n_recordings}]; got {n_patches!r}.")
    order = np.argsort([np.abs(y).max() for y in patch_set.audio])
    chosen = order[np.linspace(0, n_recordings - 1, n_patches).round().astype(int)]
    rows = []
    for r in chosen:
        idx = np.flatnonzero(patch_set.recording == r)
        rows.append(idx[len(idx) // 2])
    batch = np.asarray(patch_set.patches[rows], dtype=np.float64)
    return batch[np.argsort(batch.mean(axis=(1, 2)), kind="stable")]


def side_by_side(patches, gap: int = 1) -> np.ndarray:
    """Patches ``(n_patches, n_bins, patch_length)`` as one image ``(n_bins, width)``, NaN columns between them.

    Shows a batch with ``imshow`` (NaN is drawn as empty). ``width = n_patches * (patch_length + gap) - gap``.

    Notebook: ``02_data_normalization.ipynb``.
    """
    patches = np.asarray(patches, dtype=np.float64)
    if patches.ndim != 3:
        raise ValueError(f"patches must have shape (n_patches, n_bins, patch_length); got {patches.shape}.")
    n, n_bins, length = patches.shape
    image = np.full((n_bins, n * (length + gap) - gap), np.nan)
    for i, patch in enumerate(patches):
        start = i * (length + gap)
        image[:, start:start + length] = patch
    return image


def add_click(y, amplitude: float, position: float = 0.5, length: int = 80) -> np.ndarray:
    """A copy of ``y`` with a loud click (a short rectangular pulse) added: the outlier of the notebook.

    Args:
        y: signal, shape ``(n_samples,)``.
        amplitude: click amplitude (0 gives an unchanged copy), in [0, 1].
        position: where the click starts, as a fraction of the signal's length, in [0, 1).
        length: click length in samples (>= 1); 80 samples are 10 ms at FSDD's 8 kHz.

    Returns:
        np.ndarray, shape ``(n_samples,)``, float32.

    Notebook: ``02_data_normalization.ipynb``.
    """
    if not 0 <= amplitude <= 1:
        raise ValueError(f"amplitude must be in [0, 1]; got {amplitude!r}.")
    if not 0 <= position < 1:
        raise ValueError(f"position must be in [0, 1); got {position!r}.")
    out = np.array(y, dtype=np.float32, copy=True)
    start = int(position * len(out))
    out[start:start + int(length)] += amplitude
    return out


# --------------------------------------------------------------------------------------------------
# Section 5: from patches to the 2-D feature matrices scikit-learn's scalers expect

_MATRIX_SCOPES = ("frequency", "feature")


def patches_to_matrix(X, scope: str = "frequency") -> np.ndarray:
    """Reshape patches so that a scikit-learn scaler computes the statistics of ``scope``.

    scikit-learn's scalers take a matrix ``(n_samples, n_features)`` and compute one statistic per column.

    * ``scope="frequency"``: every frame of every patch becomes a row and every mel band a column,
      shape ``(n_patches * patch_length, n_bins)``: one statistic per band.
    * ``scope="feature"``: every patch becomes a row, shape ``(n_patches, n_bins * patch_length)``:
      one statistic per (band, frame position) pair.

    Args:
        X: patches, shape ``(n_patches, n_bins, patch_length)``.
        scope: ``"frequency"`` or ``"feature"``.

    Returns:
        The matrix (a copy for ``"frequency"``, a view where possible for ``"feature"``).

    Notebook: ``02_data_normalization.ipynb``.
    """
    _check_choice(scope, _MATRIX_SCOPES, "scope")
    X = np.asarray(X)
    if X.ndim != 3:
        raise ValueError(f"X must be patches of shape (n_patches, n_bins, patch_length); got shape {X.shape}.")
    if scope == "frequency":
        return X.transpose(0, 2, 1).reshape(-1, X.shape[1])
    return X.reshape(X.shape[0], -1)


def matrix_to_patches(M, shape, scope: str = "frequency") -> np.ndarray:
    """Undo :func:`patches_to_matrix`: the matrix ``M`` back to patches of ``shape``.

    Args:
        M: matrix made by :func:`patches_to_matrix` (or a scaler's output for it).
        shape: ``(n_patches, n_bins, patch_length)`` of the original patches.
        scope: the ``scope`` used for :func:`patches_to_matrix`.

    Returns:
        np.ndarray of ``shape``.

    Notebook: ``02_data_normalization.ipynb``.
    """
    _check_choice(scope, _MATRIX_SCOPES, "scope")
    n_patches, n_bins, patch_length = shape
    M = np.asarray(M)
    if M.size != n_patches * n_bins * patch_length:
        raise ValueError(f"M has {M.size} values but shape {tuple(shape)} needs {n_patches * n_bins * patch_length}.")
    if scope == "frequency":
        return M.reshape(n_patches, patch_length, n_bins).transpose(0, 2, 1)
    return M.reshape(n_patches, n_bins, patch_length)


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


def check_zscore(answer, x=None) -> Check:
    """Exercise: standardize ``x`` (default :data:`EXERCISE_LEVELS`) with the slide's sigma (1/(N-1)), eps = 1e-8.

    Notebook: ``02_data_normalization.ipynb``.
    """
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


def check_frequency_axes(answer) -> Check:
    """Exercise: the axes to reduce for per-frequency-bin statistics of patches ``(n_patches, n_bins, patch_length)``.

    Axes count as NumPy counts them: ``(0, 2)``, ``(2, 0)``, ``(0, -1)`` and ``(-3, -1)`` are the same answer.

    Notebook: ``02_data_normalization.ipynb``.
    """
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


def check_train_only(answer, train, test) -> Check:
    """Exercise: z-score ``test`` per frequency bin with statistics fitted on ``train`` only (ddof=1, eps=1e-8).

    Args:
        answer: the student's normalized test patches, shape of ``test``.
        train, test: patches ``(n_patches, n_bins, patch_length)``.

    Notebook: ``02_data_normalization.ipynb``.
    """
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
    return normalize(M, "zscore", scope="feature", eps=0.0, ddof=0, layout="features")


def check_sklearn_frequency(answer, patches) -> Check:
    """Exercise: reproduce per-frequency-bin z-scores of ``patches`` with scikit-learn's ``StandardScaler``.

    The expected result equals ``normalize(patches, "zscore", "frequency", eps=0, ddof=0)``.

    Notebook: ``02_data_normalization.ipynb``.
    """
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

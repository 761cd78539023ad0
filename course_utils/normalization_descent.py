"""Why normalize: gradient descent on two features of very different scales (section 1 of the notebook).

Notebook: ``02_data_normalization.ipynb`` (lecture section 2, "Data normalization").

:func:`make_two_scale_problem` makes a two-feature regression problem, :func:`gradient_descent_path` runs
plain gradient descent on it (a :class:`DescentPath`) and :func:`plot_descent` draws the path over the loss
contours. Normalizing the features (:mod:`course_utils.normalization`) makes the contours round and the
descent fast. Every name here is also importable from :mod:`course_utils.normalization`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


__all__ = ["DescentPath", "make_two_scale_problem", "gradient_descent_path", "plot_descent"]

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
        n_examples: N, number of examples, 3 to 1,000,000.
        scales: standard deviation of each of the two features, two numbers in (0, 1e6].
        correlation: correlation of the two features, in (-1, 1).
        noise: standard deviation of the target noise, in [0, 1e6].
        seed: random seed, an integer from 0 to 2**32 - 1 (the problem is deterministic for a given seed).

    Returns:
        ``(X, y)``: features, shape ``(n_examples, 2)``, and targets, shape ``(n_examples,)``.

    Notebook: ``02_data_normalization.ipynb``.
    """
    from course_utils.normalization import _check_count, _check_real

    n_examples = _check_count("n_examples", n_examples, 3, 1_000_000)
    correlation = _check_real("correlation", correlation, -1.0, 1.0, low_open=True, high_open=True)
    if isinstance(scales, (str, bytes)) or not hasattr(scales, "__len__") or len(scales) != 2:
        raise ValueError(f"scales must be two numbers in (0, 1e+06]; got {scales!r}.")
    scales = np.array([_check_real("scales", value, 0.0, 1e6, low_open=True) for value in scales])
    noise = _check_real("noise", noise, 0.0, 1e6)
    seed = _check_count("seed", seed, 0, 2**32 - 1)
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
        learning_rate: step size, in (0, 1e6]; ``None`` uses ``lr_factor / lambda_max``, the same fraction
            of the largest stable step for every problem (a fair comparison).
        w0: starting weights, shape ``(2,)``, finite numbers in [-1e6, 1e6].
        lr_factor: used when ``learning_rate`` is None, in (0, 2).
        tol: converged when ``L(w) - L(w*) <= tol * (L(w0) - L(w*))``; in (0, 1).
        max_steps: stop after this many steps, 1 to 1,000,000.

    Returns:
        :class:`DescentPath`.

    Notebook: ``02_data_normalization.ipynb``.
    """
    from course_utils.normalization import _as_finite_array, _check_count, _check_real

    X = _as_finite_array(X).astype(np.float64)
    y = _as_finite_array(y, "y").astype(np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n_examples, 2); got {X.shape}.")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},) to match X; got {y.shape}.")
    lr_factor = _check_real("lr_factor", lr_factor, 0.0, 2.0, low_open=True, high_open=True,
                            unit=" (2 / lambda_max is the stability limit)")
    tol = _check_real("tol", tol, 0.0, 1.0, low_open=True, high_open=True)
    max_steps = _check_count("max_steps", max_steps, 1, 1_000_000)
    if learning_rate is not None:
        learning_rate = _check_real("learning_rate", learning_rate, 0.0, 1e6, low_open=True)
    try:
        w = np.array(w0, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise TypeError(f"w0 must be two finite numbers in [-1e+06, 1e+06]; got {w0!r}.") from None
    if w.shape != (2,):
        raise ValueError(f"w0 must have shape (2,) (two numbers in [-1e+06, 1e+06]); got shape {w.shape}.")
    if not np.all(np.abs(w) <= 1e6):  # also NaN and inf
        raise ValueError(f"w0 must be two finite numbers in [-1e+06, 1e+06]; got {w0!r}.")
    n = X.shape[0]
    hessian = X.T @ X / n
    curvatures = np.linalg.eigvalsh(hessian)
    if curvatures[0] <= 0:
        raise ValueError("X must have two linearly independent columns (the loss has no unique minimum).")
    optimum = np.linalg.solve(hessian, X.T @ y / n)
    if learning_rate is None:
        learning_rate = lr_factor / curvatures[-1]
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
        n_levels: number of contour levels (spaced on a square-root scale of the loss gap), 1 to 100.
        steps: show only the first ``steps`` steps (1 to 1,000,000) and zoom onto them (``None``: the
            whole path).
        equal_aspect: same scale on both axes (True or False), which shows the true shape of the contours;
            ``False`` stretches each axis to the path, which makes a zig-zag across a narrow valley visible.

    Returns:
        The ``Line2D`` of the path.

    Notebook: ``02_data_normalization.ipynb``.
    """
    from course_utils._arguments import _check_bool
    from course_utils.normalization import _check_count

    if not isinstance(path, DescentPath):
        raise TypeError(f"path must be the DescentPath that gradient_descent_path returned; got {type(path).__name__}.")
    n_levels = _check_count("n_levels", n_levels, 1, 100)
    steps = None if steps is None else _check_count("steps", steps, 1, 1_000_000)
    equal_aspect = _check_bool("equal_aspect", equal_aspect)
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

"""Gradient descent on loss surfaces of two parameters, where its path can be drawn.

Notebook: ``05_training_an_mlp.ipynb`` (section 2, "Training is optimization", and the
``gradient_descent`` explorer).

* :data:`SURFACES`: a convex line fit (the MSE of y = w x + b on :data:`LINE_X`, :data:`LINE_Y`) and a
  non-convex double well with a local minimum and a saddle point, each a :class:`Surface` with its
  gradient;
* :func:`gradient_descent`: the path of ``theta := theta - learning_rate * grad L(theta)``, stopped when
  it diverges; :func:`line_fit_hessian` gives the line fit's exact stability limit;
* the "Your turn" checkers :func:`check_gradient_step` and :func:`check_learning_rate`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from course_utils._arguments import _real_number
from course_utils.checks import Check, records_attempt, right, wrong
from course_utils.mlp_exercises import _as_number, _as_numbers
from course_utils.mlp_network import _check_int, _check_learning_rate

__all__ = [
    "Surface",
    "SURFACES",
    "LINE_X",
    "LINE_Y",
    "DescentPath",
    "MAX_STEPS",
    "MAX_START",
    "gradient_descent",
    "line_fit_hessian",
    "GRADIENT_STEP_EXERCISE",
    "gradient_step_solution",
    "check_gradient_step",
    "LEARNING_RATE_EXERCISE",
    "check_learning_rate",
]

@dataclass(frozen=True)
class Surface:
    """A loss ``L(theta)`` of two parameters with its gradient, for the gradient-descent demos.

    Attributes:
        name: short name.
        title: what the surface is, for plot titles.
        loss: ``loss(p0, p1)`` -> loss; works element-wise on arrays (for contour grids).
        gradient: ``gradient(p0, p1)`` -> ``(dL/dp0, dL/dp1)``.
        extent: ``(p0_min, p0_max, p1_min, p1_max)`` of the plots.
        start: a default starting point ``(p0, p1)``.
        labels: names of the two parameters.
        min_loss: the global minimum of the loss (to plot how far a run is from the best possible).
    """

    name: str
    title: str
    loss: object
    gradient: object
    extent: tuple
    start: tuple
    labels: tuple
    min_loss: float


#: The data of the line-fit problem: y = w x + b plus noise, with x not centred on 0 so that w and b
#: interact (the loss contours are tilted ellipses and a too large step zig-zags).
LINE_X = np.linspace(0.0, 2.0, 21)
LINE_Y = 1.5 * LINE_X - 0.5 + 0.2 * np.sin(7.0 * LINE_X)


def _line_loss(w, b):
    w, b = np.asarray(w, dtype=float), np.asarray(b, dtype=float)
    residual = w[..., None] * LINE_X + b[..., None] - LINE_Y
    return np.mean(residual**2, axis=-1)


def _line_gradient(w, b):
    residual = w * LINE_X + b - LINE_Y
    return 2 * np.mean(residual * LINE_X), 2 * np.mean(residual)


def _well_loss(x, y):
    """A tilted double well: a local minimum near x = +0.96, the global one near x = -1.04, and a
    saddle point between them near x = 0.08 (on y = 0)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return (x**2 - 1) ** 2 + 0.3 * x + 2 * y**2


def _well_gradient(x, y):
    return 4 * x * (x**2 - 1) + 0.3, 4.0 * y


def _line_minimum_loss() -> float:
    A = np.c_[LINE_X, np.ones_like(LINE_X)]
    theta, *_ = np.linalg.lstsq(A, LINE_Y, rcond=None)
    return float(_line_loss(theta[0], theta[1]))


def _well_minimum_loss() -> float:
    critical = [r.real for r in np.roots([4.0, 0.0, -4.0, 0.3]) if abs(r.imag) < 1e-12]  # dL/dx = 0, y = 0
    return float(min(_well_loss(x, 0.0) for x in critical))


#: The two-parameter surfaces of the notebook and the ``gradient_descent`` explorer.
SURFACES = {
    "line fit (convex)": Surface("line fit (convex)", "MSE of a line fit y = w x + b", _line_loss, _line_gradient,
                                 (-1.5, 4.0, -3.0, 2.5), (-1.0, 2.0), ("w", "b"), _line_minimum_loss()),
    "double well (non-convex)": Surface("double well (non-convex)",
                                        "(\u03b8\u2081\u00b2 \u2212 1)\u00b2 + 0.3 \u03b8\u2081 + 2 \u03b8\u2082\u00b2",
                                        _well_loss, _well_gradient, (-1.8, 1.8, -1.5, 1.5), (0.6, 1.2),
                                        ("\u03b8\u2081", "\u03b8\u2082"), _well_minimum_loss()),
}


@dataclass(frozen=True)
class DescentPath:
    """The result of :func:`gradient_descent`.

    Attributes:
        thetas: parameters after each step, shape ``(n_done + 1, 2)`` (row 0 is the start).
        losses: loss at each row of ``thetas``, shape ``(n_done + 1,)``.
        diverged: whether the run stopped because the loss grew beyond 1e10 or stopped being finite.
    """

    thetas: np.ndarray
    losses: np.ndarray
    diverged: bool


#: Most steps :func:`gradient_descent` runs (a path of 100,000 points takes about a second).
MAX_STEPS = 100_000
#: Largest absolute coordinate of a starting point (the surfaces' losses stay finite up to there).
MAX_START = 1e4


def _start_point(start) -> np.ndarray:
    """``start`` as a float array of shape ``(2,)``; text, booleans, complex numbers, NaN and huge values refused."""
    if isinstance(start, (str, bytes)) or not isinstance(start, (list, tuple, np.ndarray)):
        raise TypeError(f"start must be two numbers (p0, p1), got {start!r}")
    items = list(np.asarray(start, dtype=object).reshape(-1)) if np.ndim(start) else []
    if len(items) != 2 or np.shape(start) != (2,):
        raise ValueError(f"start must be two numbers (p0, p1), got {start!r}")
    for i, item in enumerate(items):
        value = _real_number(f"start[{i}]", item)
        if not math.isfinite(value) or abs(value) > MAX_START:
            raise ValueError(f"start[{i}] must be a finite number from {-MAX_START:g} to {MAX_START:g}, got {item}")
    return np.array([float(item) for item in items])


def gradient_descent(surface, start, learning_rate: float, n_steps: int = 50) -> DescentPath:
    """Run ``theta := theta - learning_rate * grad L(theta)`` for ``n_steps`` steps.

    Args:
        surface: a :class:`Surface` or a key of :data:`SURFACES`.
        start: the starting point ``(p0, p1)``: two finite real numbers from ``-MAX_START`` to ``MAX_START``.
        learning_rate: the learning rate (the lecture's varepsilon), the step size, in (0, 1000].
        n_steps: number of updates, 0 to :data:`MAX_STEPS`.

    Returns:
        A :class:`DescentPath`. A diverging run stops (``diverged=True``) instead of overflowing.
    """
    if isinstance(surface, str):
        if surface not in SURFACES:
            raise ValueError(f"surface must be one of {list(SURFACES)}, got {surface!r}")
        surface = SURFACES[surface]
    if not isinstance(surface, Surface):
        raise TypeError(f"surface must be a Surface or one of {list(SURFACES)}, got {type(surface).__name__}")
    learning_rate = _check_learning_rate(learning_rate)
    n_steps = _check_int("n_steps", n_steps, 0, MAX_STEPS)
    theta = _start_point(start)
    thetas, losses = [theta.copy()], [float(surface.loss(*theta))]
    diverged = False
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(n_steps):
            theta = theta - learning_rate * np.array(surface.gradient(*theta))
            loss = float(surface.loss(*theta))
            if not math.isfinite(loss) or loss > 1e10:
                diverged = True
                break
            thetas.append(theta.copy())
            losses.append(loss)
    return DescentPath(np.array(thetas), np.array(losses), diverged)


def line_fit_hessian() -> np.ndarray:
    """The (constant) Hessian of the line-fit MSE, shape ``(2, 2)``: ``2 [[mean x^2, mean x], [mean x, 1]]``.

    Gradient descent on a quadratic converges exactly when ``learning_rate < 2 / lambda_max`` of this
    matrix.
    """
    return 2 * np.array([[np.mean(LINE_X**2), np.mean(LINE_X)], [np.mean(LINE_X), 1.0]])


# --------------------------------------------------------------------------------------------------
# "Your turn" checkers

#: One gradient step by hand: fit y = w x + b to three points with the MSE loss. Three points, not two: with
#: N = 2, forgetting the factor 2 of the derivative and summing instead of averaging would cancel out.
GRADIENT_STEP_EXERCISE = {"x": (0.0, 1.0, 2.0), "y": (2.0, 3.0, 7.0), "theta": (1.0, 0.0), "learning_rate": 0.1}


def _mse_gradient_sum(exercise) -> np.ndarray:
    """``sum_i (w x_i + b - y_i) * (x_i, 1)``: the MSE gradient without its factor ``2 / N``."""
    x, y = np.array(exercise["x"]), np.array(exercise["y"])
    w, b = exercise["theta"]
    residual = w * x + b - y
    return np.array([np.sum(residual * x), np.sum(residual)])


def gradient_step_solution(exercise=GRADIENT_STEP_EXERCISE) -> np.ndarray:
    """Reference solution of :func:`check_gradient_step`: ``(w, b)`` after one step, shape ``(2,)``.

    The gradient of ``L = mean((w x + b - y)^2)`` is ``dL/dw = 2 mean(residual * x)``,
    ``dL/db = 2 mean(residual)``; the step is ``theta - learning_rate * gradient``.
    """
    gradient = 2 / len(exercise["x"]) * _mse_gradient_sum(exercise)
    return np.array(exercise["theta"]) - exercise["learning_rate"] * gradient


def _close(values, expected) -> bool:
    return bool(np.all(np.abs(values - expected) <= 1e-6 * (1 + np.abs(expected))))


@records_attempt("gradient_step")
def check_gradient_step(answer) -> Check:
    """Exercise: the parameters ``(w, b)`` after one gradient-descent step on
    :data:`GRADIENT_STEP_EXERCISE` (MSE of ``w x + b`` on three points).

    Recognises the common slips: a step uphill, a gradient without the factor 2, a sum over the points
    instead of the mean, and both of the last two. Never raises, whatever ``answer`` is.
    """
    values = _as_numbers(answer, ("w", "b"))
    if isinstance(values, Check):
        return values
    ex = GRADIENT_STEP_EXERCISE
    expected = gradient_step_solution()
    theta, rate, n = np.array(ex["theta"]), ex["learning_rate"], len(ex["x"])
    if _close(values, expected):
        return right(f"(w, b) = ({expected[0]:g}, {expected[1]:g}): the loss went down from "
                     f"{_pair_loss(ex['theta']):g} to {_pair_loss(expected):g}.")
    gradient_sum = _mse_gradient_sum(ex)
    slips = [
        (theta + rate * 2 / n * gradient_sum,
         "you stepped uphill: subtract learning_rate times the gradient (theta - learning_rate * gradient)."),
        (theta - rate / n * gradient_sum,
         "your gradient is half the right one: the derivative of residual^2 is 2 * residual * (its derivative), "
         "so dL/dw = 2 mean(residual * x) and dL/db = 2 mean(residual)."),
        (theta - rate * 2 * gradient_sum,
         f"your gradient is {n} times too large: you summed over the {n} points. The MSE is a mean, so is its "
         f"gradient: divide the sum by N = {n}."),
        (theta - rate * gradient_sum,
         f"you left out the factor 2 and summed over the points instead of averaging: dL/dw = "
         f"(2 / N) sum(residual * x) with N = {n}."),
    ]
    for candidate, hint in slips:
        if _close(values, candidate):
            return wrong(hint)
    if _close(values[0], expected[0]):
        return wrong("w is right; check b: dL/db = 2 mean(residual), without the factor x.")
    if _close(values[1], expected[1]):
        return wrong("b is right; check w: dL/dw = 2 mean(residual * x).")
    return wrong("compute the residuals w x + b - y, then dL/dw = 2 mean(residual * x) and "
                 "dL/db = 2 mean(residual), then theta - learning_rate * gradient.")


def _pair_loss(theta) -> float:
    x, y = np.array(GRADIENT_STEP_EXERCISE["x"]), np.array(GRADIENT_STEP_EXERCISE["y"])
    return float(np.mean((theta[0] * x + theta[1] - y) ** 2))


#: Pick a learning rate for the line fit: after ``n_steps`` steps from ``start`` the loss must be within
#: ``tolerance`` of the minimum.
LEARNING_RATE_EXERCISE = {"surface": "line fit (convex)", "start": (-1.0, 2.0), "n_steps": 30, "tolerance": 0.01}


@records_attempt("learning_rate")
def check_learning_rate(answer) -> Check:
    """Exercise: a learning rate with which gradient descent on the line fit converges within
    ``LEARNING_RATE_EXERCISE["n_steps"]`` steps (loss within ``tolerance`` of the minimum). Never raises."""
    if answer is None:
        return wrong("replace None by a learning rate, e.g. 0.001.")
    learning_rate = _as_number(answer, "the learning rate")
    if isinstance(learning_rate, Check):
        return learning_rate
    if learning_rate <= 0:
        return wrong("a learning rate must be positive (a negative one climbs uphill).")
    ex = LEARNING_RATE_EXERCISE
    best = _line_minimum_loss()
    limit = 2 / np.linalg.eigvalsh(line_fit_hessian()).max()
    # a rate at or above the limit is answered without running it (gradient_descent refuses rates above 1000)
    path = None if learning_rate >= limit else gradient_descent(ex["surface"], ex["start"], learning_rate, ex["n_steps"])
    if path is None or path.diverged or path.losses[-1] > path.losses[0]:
        # at or above the limit the steps overshoot further each time (perhaps after a short dip): divergence
        return wrong(f"with {learning_rate:g} the steps overshoot the valley further each time, so the loss "
                     f"eventually grows without bound. Stability needs learning_rate < 2 / (largest curvature) "
                     f"= {limit:.4f} here.")
    gap = path.losses[-1] - best
    if gap <= ex["tolerance"]:
        return right(f"after {ex['n_steps']} steps the loss is {path.losses[-1]:.4f}, "
                     f"{gap:.2g} above the minimum {best:.4f}.")
    return wrong(f"after {ex['n_steps']} steps the loss is still {path.losses[-1]:.4f} "
                 f"(minimum {best:.4f}): the steps are too small or zig-zag too much.")

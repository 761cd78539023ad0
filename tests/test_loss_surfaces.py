"""Tests of course_utils.loss_surfaces: gradient descent on two-parameter surfaces and its checkers."""

from __future__ import annotations


import numpy as np
import pytest
from checker_contract import ODD_ANSWERS, assert_explains

from course_utils.loss_surfaces import (
    GRADIENT_STEP_EXERCISE,
    LEARNING_RATE_EXERCISE,
    LINE_X,
    LINE_Y,
    SURFACES,
    check_gradient_step,
    check_learning_rate,
    gradient_descent,
    gradient_step_solution,
    line_fit_hessian,
)

def test_gradient_descent_converges_below_two_over_lambda_max_and_diverges_above():
    limit = 2 / np.linalg.eigvalsh(line_fit_hessian()).max()
    good = gradient_descent("line fit (convex)", (-1, 2), 0.9 * limit, 400)
    bad = gradient_descent("line fit (convex)", (-1, 2), 1.1 * limit, 400)
    best, *_ = np.linalg.lstsq(np.c_[LINE_X, np.ones_like(LINE_X)], LINE_Y, rcond=None)
    np.testing.assert_allclose(good.thetas[-1], best, atol=1e-6)
    assert bad.diverged and len(bad.losses) < 401 and np.all(np.isfinite(bad.losses))


@pytest.mark.parametrize("name", list(SURFACES))
def test_surface_gradients_match_finite_differences(name):
    s = SURFACES[name]
    for p in [(0.3, -0.7), (1.2, 0.4), s.start]:
        eps = 1e-6
        numeric = [(s.loss(p[0] + eps, p[1]) - s.loss(p[0] - eps, p[1])) / (2 * eps),
                   (s.loss(p[0], p[1] + eps) - s.loss(p[0], p[1] - eps)) / (2 * eps)]
        np.testing.assert_allclose(s.gradient(*p), numeric, rtol=1e-6, atol=1e-8)


def test_double_well_has_two_minima_and_a_saddle():
    s = SURFACES["double well (non-convex)"]
    left = gradient_descent(s, (-0.5, 1.0), 0.05, 2000).thetas[-1]
    right_ = gradient_descent(s, (0.5, 1.0), 0.05, 2000).thetas[-1]
    assert left[0] < -0.9 and right_[0] > 0.9
    assert s.loss(*left) < s.loss(*right_)  # the right one is only a local minimum
    saddle_x = [r.real for r in np.roots([4, 0, -4, 0.3]) if abs(r.imag) < 1e-12 and abs(r.real) < 0.5][0]
    assert np.allclose(s.gradient(saddle_x, 0.0), 0, atol=1e-12)
    hessian_diagonal = (12 * saddle_x**2 - 4, 4.0)  # the cross term vanishes: L is a sum of f(x) and g(y)
    assert hessian_diagonal[0] < 0 < hessian_diagonal[1]  # curves down along x, up along y: a saddle


# ---------------------------------------------------------------------------------------------
# "Your turn" checkers



def test_check_gradient_step():
    solution = gradient_step_solution()
    x, y = np.array(GRADIENT_STEP_EXERCISE["x"]), np.array(GRADIENT_STEP_EXERCISE["y"])
    w, b = GRADIENT_STEP_EXERCISE["theta"]
    by_hand = np.array([w, b]) - 0.1 * np.array([np.mean(2 * (w * x + b - y) * x), np.mean(2 * (w * x + b - y))])
    np.testing.assert_allclose(solution, by_hand)
    np.testing.assert_allclose(solution, (1.8, 0.6))  # the values the notebook's pencil gives
    assert check_gradient_step(tuple(solution))
    assert check_gradient_step(np.array([1.8, 0.6]))
    assert not check_gradient_step(None)
    uphill = check_gradient_step(2 * np.array(GRADIENT_STEP_EXERCISE["theta"]) - solution)
    assert not uphill and "uphill" in uphill.message
    assert not check_gradient_step([1.0])
    assert not check_gradient_step((1.0, 0.0))


def test_check_gradient_step_names_the_common_slips():
    theta = np.array(GRADIENT_STEP_EXERCISE["theta"])
    step = theta - gradient_step_solution()  # learning_rate times the right gradient
    n = len(GRADIENT_STEP_EXERCISE["x"])
    assert "half" in check_gradient_step(theta - step / 2).message  # no factor 2
    summed = check_gradient_step(theta - n * step)
    assert "summed" in summed.message and "mean" in summed.message
    both = check_gradient_step(theta - n / 2 * step)
    assert "factor 2" in both.message and "summed" in both.message
    only_b_wrong = check_gradient_step((gradient_step_solution()[0], 0.0))
    assert not only_b_wrong and "w is right" in only_b_wrong.message


@pytest.mark.parametrize("answer", ODD_ANSWERS, ids=lambda a: type(a).__name__)
@pytest.mark.parametrize("checker", [check_gradient_step, check_learning_rate])
def test_checkers_never_raise(checker, answer):
    assert_explains(checker, answer)


def test_check_learning_rate():
    limit = 2 / np.linalg.eigvalsh(line_fit_hessian()).max()
    assert check_learning_rate(0.3)
    assert not check_learning_rate(None)
    assert not check_learning_rate(-0.1)
    too_small = check_learning_rate(1e-3)
    assert not too_small and "too small" in too_small.message
    too_large = check_learning_rate(1.2 * limit)
    assert not too_large and "2 / (largest curvature)" in too_large.message
    for just_above in (0.455, 0.46):  # above the limit 0.4545, though 30 steps still end below the start
        path = gradient_descent(LEARNING_RATE_EXERCISE["surface"], LEARNING_RATE_EXERCISE["start"], just_above,
                                LEARNING_RATE_EXERCISE["n_steps"])
        assert just_above > limit and path.losses[-1] < path.losses[0]
        assert "grows without bound" in check_learning_rate(just_above).message
    path = gradient_descent(LEARNING_RATE_EXERCISE["surface"], LEARNING_RATE_EXERCISE["start"], 0.3,
                            LEARNING_RATE_EXERCISE["n_steps"])
    assert not path.diverged

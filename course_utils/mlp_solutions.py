"""Worked solutions of the "Your turn" exercises of ``05_training_an_mlp.ipynb`` (checkers in
:mod:`course_utils.mlp_exercises` and :mod:`course_utils.loss_surfaces`; shown by
:func:`course_utils.solutions.show_solution`)."""

import numpy as np

from course_utils.solutions import Solution

_NB = "05_training_an_mlp.ipynb"


def _exercises():
    from course_utils.loss_surfaces import GRADIENT_STEP_EXERCISE
    from course_utils.mlp_exercises import BACKPROP_EXERCISE, BIAS_VARIANCE_EXERCISE, UPDATE_COUNT_EXERCISE

    return {"np": np, "GRADIENT_STEP_EXERCISE": GRADIENT_STEP_EXERCISE, "BACKPROP_EXERCISE": BACKPROP_EXERCISE,
            "BIAS_VARIANCE_EXERCISE": BIAS_VARIANCE_EXERCISE, "UPDATE_COUNT_EXERCISE": UPDATE_COUNT_EXERCISE}


SOLUTIONS = [
    Solution("param_count", _NB,
             "A Dense layer from $n_{l-1}$ inputs to $n_l$ units has $n_{l-1} n_l$ weights and $n_l$ biases, "
             "$(n_{l-1} + 1)\\, n_l$ parameters. For the layer sizes (13, 32, 16, 10): "
             "$(13 + 1) \\cdot 32 + (32 + 1) \\cdot 16 + (16 + 1) \\cdot 10 = 448 + 528 + 170 = 1146$. "
             "The softmax adds no parameters: it only rescales the last layer's outputs.",
             "answer = (13 + 1) * 32 + (32 + 1) * 16 + (16 + 1) * 10   # 448 + 528 + 170 = 1146",
             "check_param_count(answer)"),
    Solution("gradient_step", _NB,
             "With the residuals $r_i = w x_i + b - y_i = (-2, -2, -5)$ at $(w, b) = (1, 0)$: "
             "$\\partial L/\\partial w = \\frac{2}{N} \\sum_i r_i x_i = \\frac{2}{3}(-12) = -8$ and "
             "$\\partial L/\\partial b = \\frac{2}{N} \\sum_i r_i = \\frac{2}{3}(-9) = -6$. The step goes "
             "against the gradient: $(1, 0) - 0.1 \\cdot (-8, -6) = (1.8, 0.6)$. Both parameters grow, because the "
             "line lies below all three points.",
             "ex = GRADIENT_STEP_EXERCISE\n"
             "x, y = np.array(ex[\"x\"]), np.array(ex[\"y\"])\n"
             "w, b = ex[\"theta\"]\n"
             "residual = w * x + b - y                                      # (-2, -2, -5)\n"
             "gradient = np.array([2 * np.mean(residual * x), 2 * np.mean(residual)])   # (-8, -6)\n"
             "answer = tuple(np.array([w, b]) - ex[\"learning_rate\"] * gradient)       # (1.8, 0.6)",
             "check_gradient_step(answer)", _exercises),
    Solution("learning_rate", _NB,
             "Two limits. Gradient descent on this quadratic is stable only below $2/\\lambda_{\\max} \\approx 0.4545$, "
             "the limit printed above; close to it, the steps across the steep direction of the valley "
             "zig-zag and die out slowly (0.45 still ends 0.07 above the minimum). A small rate crawls along the "
             "gently curved direction instead (0.1 ends 0.26 above it after 30 steps). Rates from about 0.26 to "
             "0.44 reach the minimum within 0.01; 0.4 ends about 0.0004 above it.",
             "answer = 0.4   # below the limit 2 / lambda_max = 0.4545, far enough from it not to zig-zag long",
             "check_learning_rate(answer)"),
    Solution("backprop_gradients", _NB,
             "Forward: $z = w_1 x + b_1 = (1, 2, -1)$, $h = \\mathrm{relu}(z) = (1, 2, 0)$, "
             "$\\hat y = w_2 h + b_2 = (2, 4, 0)$. Backward: $\\partial L/\\partial \\hat y_i = "
             "\\frac{2}{N}(\\hat y_i - y_i) = \\frac{2}{3}(1, 1, -1)$; the output weight "
             "$\\partial L/\\partial w_2 = \\sum_i \\frac{\\partial L}{\\partial \\hat y_i} h_i = \\frac{2}{3}"
             "(1 + 2 + 0) = 2$; one layer back through $w_2$ and the ReLU: $\\partial L/\\partial w_1 = \\sum_i "
             "\\frac{\\partial L}{\\partial \\hat y_i}\\, w_2\\, \\mathrm{relu}'(z_i)\\, x_i = \\frac{2}{3} \\cdot 2 "
             "\\cdot (1 + 2) = 4$. The third example is the trap: its $z$ is negative, the ReLU's slope there is 0, so "
             "it adds nothing to $\\partial L/\\partial w_1$ although its prediction is wrong.",
             "ex = BACKPROP_EXERCISE\n"
             "x, y = np.array(ex[\"x\"]), np.array(ex[\"y\"])\n"
             "z = ex[\"w1\"] * x + ex[\"b1\"]            # forward: the hidden unit before ...\n"
             "h = np.maximum(z, 0.0)                   # ... and after the ReLU\n"
             "y_hat = ex[\"w2\"] * h + ex[\"b2\"]\n"
             "d_y_hat = 2 * (y_hat - y) / len(x)       # backward: dL/dy_hat_i\n"
             "d_w2 = np.sum(d_y_hat * h)\n"
             "d_w1 = np.sum(d_y_hat * ex[\"w2\"] * (z > 0) * x)   # relu'(z) = 1 where z > 0, else 0\n"
             "answer = (d_w2, d_w1)                    # (2.0, 4.0)",
             "check_backprop_gradients(answer)", _exercises),
    Solution("update_count", _NB,
             "One update per mini-batch. An epoch of 1000 examples in batches of 32 has "
             "$\\lceil 1000 / 32 \\rceil = 32$ batches (31 full ones and a last one of 8 examples, which still "
             "makes an update), so 5 epochs make $5 \\cdot 32 = 160$ updates.",
             "ex = UPDATE_COUNT_EXERCISE\n"
             "batches_per_epoch = int(np.ceil(ex[\"n_train\"] / ex[\"batch_size\"]))   # 32, the last one smaller\n"
             "answer = ex[\"epochs\"] * batches_per_epoch                               # 160",
             "check_update_count(answer)", _exercises),
    Solution("bias_variance", _NB,
             "High bias: training error above 0.1; high variance: test error more than 0.1 above the training "
             "error. A: 0.25 / 0.27 -> bias (small gap); B: 0.00 / 0.13 -> variance; C: 0.07 / 0.15 -> neither "
             "(the gap is 0.08); D: 0.20 / 0.36 -> both.",
             "answer = {}\n"
             "for name, (train_err, test_err) in BIAS_VARIANCE_EXERCISE[\"errors\"].items():\n"
             "    bias = train_err > BIAS_VARIANCE_EXERCISE[\"high_error\"]                 # 0.1\n"
             "    variance = test_err - train_err > BIAS_VARIANCE_EXERCISE[\"large_gap\"]   # 0.1\n"
             "    answer[name] = {(True, True): \"both\", (True, False): \"bias\",\n"
             "                    (False, True): \"variance\", (False, False): \"neither\"}[(bias, variance)]",
             "check_bias_variance(answer)", _exercises),
]

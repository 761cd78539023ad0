"""The "Your turn" exercises of notebook 05 on the network: parameters, backpropagation, updates, bias/variance.

Notebook: ``05_training_an_mlp.ipynb`` (also importable from :mod:`course_utils.mlp`).

Each checker has its reference solution here: :func:`check_param_count` (parameters of a dense network),
:func:`check_backprop_gradients` (backpropagation by hand), :func:`check_update_count` (epochs and
mini-batches) and :func:`check_bias_variance` (diagnosing bias and variance). A checker answers every input
with right or wrong and never raises (``None``, strings, NaN, ``10**400``, arrays, dicts of junk).
"""

from __future__ import annotations

import math
import reprlib

import numpy as np

from course_utils.checks import Check, as_number, check_number, records_attempt, right, wrong
from course_utils.mlp_network import count_params

__all__ = [
    "check_param_count",
    "BACKPROP_EXERCISE",
    "backprop_solution",
    "check_backprop_gradients",
    "UPDATE_COUNT_EXERCISE",
    "update_count_solution",
    "check_update_count",
    "BIAS_VARIANCE_EXERCISE",
    "DIAGNOSES",
    "bias_variance_solution",
    "check_bias_variance",
]

def _as_number(answer, name: str):
    """:func:`course_utils.checks.as_number`, with a short hint for an answer too long to print in full."""
    value = as_number(answer, name=name)
    if isinstance(value, Check) and len(value.message) > 300:
        return wrong(f"{name} should be one finite number, got {reprlib.repr(answer)}.")
    return value


def _as_numbers(answer, names):
    """``answer`` as a float array of ``len(names)`` finite numbers, or a :class:`Check` that says why not.

    ``names`` says what each number is (for the hints); never raises.
    """
    wanted = f"({', '.join(names)})"
    if answer is None:
        return wrong(f"replace None by your {wanted}.")
    if isinstance(answer, (str, bytes)) or not isinstance(answer, (list, tuple, np.ndarray)):
        return wrong(f"the answer should be {len(names)} numbers in brackets, {wanted}, got {reprlib.repr(answer)}.")
    try:
        items = list(np.asarray(answer, dtype=object).reshape(-1))
    except (TypeError, ValueError):
        return wrong(f"the answer should be {len(names)} numbers in brackets, {wanted}, got {reprlib.repr(answer)}.")
    if len(items) != len(names):
        return wrong(f"the answer should be {len(names)} numbers, {wanted}, got {len(items)}.")
    values = []
    for item, name in zip(items, names):
        value = _as_number(item, name)
        if isinstance(value, Check):
            return value
        values.append(value)
    return np.array(values)


@records_attempt("param_count")
def check_param_count(answer, layer_sizes=(13, 32, 16, 10)) -> Check:
    """Exercise: count the trainable parameters of a dense network with these layer sizes.

    The default is a network for 13 MFCCs, hidden layers of 32 and 16 units and 10 classes.
    """
    expected = count_params(layer_sizes)
    if answer is None:
        return wrong("replace None by your count of weights plus biases.")
    value = _as_number(answer, "the number of parameters")
    if isinstance(value, Check):
        return value
    weights_only = sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))
    hint = "Each layer has n_in * n_out weights plus n_out biases."
    if value == weights_only:
        hint = "That counts the weights only: every unit also has a bias."
    return check_number(value, expected, name="the number of parameters", rel_tol=0, abs_tol=0.5, hint=hint)


#: Backpropagation by hand: the network ``y_hat = w2 * relu(w1 * x + b1) + b2`` (one input, one hidden ReLU
#: unit, one linear output) and the mean squared error over three examples. The third example's hidden unit
#: is off (pre-activation below 0), so forgetting the ReLU's derivative changes the answer.
BACKPROP_EXERCISE = {"x": (1.0, 2.0, -1.0), "y": (1.0, 3.0, 1.0), "w1": 1.0, "b1": 0.0, "w2": 2.0, "b2": 0.0}


def _backprop_terms(exercise) -> dict:
    """Forward and backward pass of :data:`BACKPROP_EXERCISE`, step by step (arrays over the examples)."""
    x, y = np.array(exercise["x"]), np.array(exercise["y"])
    z = exercise["w1"] * x + exercise["b1"]
    h = np.maximum(z, 0.0)
    residual = exercise["w2"] * h + exercise["b2"] - y
    dl_dyhat = 2 * residual / len(x)  # L = mean(residual^2)
    return {"x": x, "z": z, "h": h, "residual": residual, "dl_dyhat": dl_dyhat,
            "dl_dz": dl_dyhat * exercise["w2"] * (z > 0)}  # one layer back: times w2, times relu'(z)


def backprop_solution(exercise=BACKPROP_EXERCISE) -> np.ndarray:
    """Reference solution of :func:`check_backprop_gradients`: ``(dL/dw2, dL/dw1)``, shape ``(2,)``.

    Output layer: ``dL/dw2 = sum_i dL/dy_hat_i * h_i`` with ``dL/dy_hat_i = 2 (y_hat_i - y_i) / N``.
    One layer back: ``dL/dz_i = dL/dy_hat_i * w2 * relu'(z_i)`` and ``dL/dw1 = sum_i dL/dz_i * x_i``.
    """
    t = _backprop_terms(exercise)
    return np.array([np.sum(t["dl_dyhat"] * t["h"]), np.sum(t["dl_dz"] * t["x"])])


@records_attempt("backprop_gradients")
def check_backprop_gradients(answer) -> Check:
    """Exercise: ``(dL/dw2, dL/dw1)`` of :data:`BACKPROP_EXERCISE`, by the chain rule.

    Recognises the common slips: no factor 2, a sum over the examples instead of the mean (and both), the
    wrong sign of the residual, the ReLU's derivative left out, ``w2`` left out of the backward step, and
    ``z`` used in place of ``relu(z)``.
    """
    ex = BACKPROP_EXERCISE
    got = _as_numbers(answer, ("dL/dw2", "dL/dw1"))
    if isinstance(got, Check):
        return got
    expected = backprop_solution()
    n = len(ex["x"])
    t = _backprop_terms(ex)

    def close(a, b) -> bool:
        return bool(np.all(np.abs(np.asarray(a) - b) <= 0.005 + 1e-6 * np.abs(b)))  # two decimals are enough

    if close(got, expected):
        return right(f"dL/dw2 = {expected[0]:g} and dL/dw1 = {expected[1]:g}. The residuals are "
                     f"{np.round(t['residual'], 4).tolist()}; the third example's hidden unit is off "
                     f"(z = {t['z'][2]:g} < 0), so it adds nothing to dL/dw1.")
    slips = [
        (expected / 2, "both values are half the right ones: the derivative of residual^2 is "
                       "2 * residual, so dL/dy_hat_i = 2 (y_hat_i - y_i) / N."),
        (expected * n, f"both values are {n} times too large: you summed over the {n} examples. The loss is "
                       f"a mean, so dL/dy_hat_i = 2 (y_hat_i - y_i) / N with N = {n}."),
        (expected * n / 2, f"you left out the factor 2 and summed instead of averaging: "
                           f"dL/dy_hat_i = 2 (y_hat_i - y_i) / N with N = {n}."),
        (-expected, "the signs are flipped: the residual is y_hat - y (prediction minus target)."),
    ]
    for candidate, hint in slips:
        if close(got, candidate):
            return wrong(hint)
    if close(got[0], expected[0]):
        no_relu_derivative = np.sum(t["dl_dyhat"] * ex["w2"] * t["x"])
        no_w2 = np.sum(t["dl_dyhat"] * (t["z"] > 0) * t["x"])
        if close(got[1], no_relu_derivative):
            return wrong("dL/dw2 is right. In dL/dw1 you left out the ReLU's derivative: relu'(z) is 0 where "
                         "z < 0, so an example whose hidden unit is off adds nothing.")
        if close(got[1], no_w2):
            return wrong("dL/dw2 is right. Going one layer back, multiply by the weight w2 that connects "
                         "the hidden unit to the output: dL/dz_i = dL/dy_hat_i * w2 * relu'(z_i).")
        return wrong("dL/dw2 is right. For dL/dw1 go one layer back: dL/dz_i = dL/dy_hat_i * w2 * relu'(z_i), "
                     "then dL/dw1 = sum_i dL/dz_i * x_i.")
    if close(got[0], np.sum(t["dl_dyhat"] * t["z"])):
        return wrong("in dL/dw2 use the hidden unit's output h = relu(z), not its input z.")
    return wrong("compute the forward pass first (z = w1 x + b1, h = relu(z), y_hat = w2 h + b2), then "
                 "dL/dy_hat_i = 2 (y_hat_i - y_i) / N, dL/dw2 = sum_i dL/dy_hat_i * h_i, and one layer back "
                 "dL/dz_i = dL/dy_hat_i * w2 * relu'(z_i), dL/dw1 = sum_i dL/dz_i * x_i.")


#: Epochs and mini-batches: how many updates does training with these settings make?
UPDATE_COUNT_EXERCISE = {"n_train": 1000, "batch_size": 32, "epochs": 5}


def update_count_solution(exercise=UPDATE_COUNT_EXERCISE) -> int:
    """Reference solution of :func:`check_update_count`: ``epochs * ceil(n_train / batch_size)``.

    Every epoch shuffles the training set and cuts it into batches; the last batch of an epoch is smaller
    when ``batch_size`` does not divide ``n_train`` (as in :meth:`MLP.fit` and Keras's ``fit``).
    """
    return exercise["epochs"] * math.ceil(exercise["n_train"] / exercise["batch_size"])


@records_attempt("update_count")
def check_update_count(answer) -> Check:
    """Exercise: the number of gradient-descent updates of :data:`UPDATE_COUNT_EXERCISE`."""
    ex = UPDATE_COUNT_EXERCISE
    n, batch, epochs = ex["n_train"], ex["batch_size"], ex["epochs"]
    expected = update_count_solution()
    if answer is None:
        return wrong("replace None by the number of updates.")
    value = _as_number(answer, "the number of updates")
    if isinstance(value, Check):
        return value
    per_epoch = math.ceil(n / batch)
    if value == expected:
        last = n - (per_epoch - 1) * batch
        return right(f"each epoch makes ceil({n} / {batch}) = {per_epoch} updates ({per_epoch - 1} batches of "
                     f"{batch} and a last one of {last}), so {epochs} epochs make {expected}.")
    hints = {
        epochs * (n // batch): f"{n} / {batch} is not a whole number: the examples left over form a last, "
                               "smaller batch in every epoch, which is one more update.",
        per_epoch: f"that is one epoch; training runs {epochs} of them.",
        n * epochs: "that counts examples seen, not updates: each update uses a whole batch.",
        n: "that counts examples, not updates: each update uses a whole batch.",
        epochs: f"one update per epoch is full-batch gradient descent; here each epoch is cut into batches of {batch}.",
    }
    for candidate, hint in hints.items():
        if value == candidate:
            return wrong(hint)
    if math.floor(n * epochs / batch) <= value <= math.ceil(n * epochs / batch):
        return wrong("batches do not run across epochs: every epoch reshuffles and starts a new first batch, "
                     "so count the updates of one epoch and multiply.")
    if not value.is_integer():
        return wrong("a number of updates is a whole number: how many batches does one epoch have?")
    return wrong(f"one epoch is one pass over the {n} examples in batches of {batch}; count the batches of one "
                 "epoch (the last may be smaller), then multiply by the number of epochs.")


#: Diagnosing bias and variance: the training and test error of four trained networks, and the rule of
#: thumb of notebook 05 (a training error above ``high_error`` means high bias; a test error more than
#: ``large_gap`` above the training error means high variance).
BIAS_VARIANCE_EXERCISE = {
    "errors": {"A": (0.25, 0.27), "B": (0.00, 0.13), "C": (0.07, 0.15), "D": (0.20, 0.36)},
    "high_error": 0.1,
    "large_gap": 0.1,
}
#: The diagnoses :func:`check_bias_variance` accepts, and the words it understands for each.
DIAGNOSES = {
    "bias": ("bias", "high bias", "underfits", "underfit", "underfitting"),
    "variance": ("variance", "high variance", "overfits", "overfit", "overfitting"),
    "both": ("both", "bias and variance", "high bias and high variance"),
    "neither": ("neither", "none", "fits", "fine", "good", "ok"),
}
_REMEDIES = {
    "bias": "try a larger network or longer training",
    "variance": "try more training data, an L2 penalty or a smaller network",
    "both": "try a larger network first, then more data or a penalty",
    "neither": "no change needed; the error left may be noise in the data",
}


def bias_variance_solution(exercise=BIAS_VARIANCE_EXERCISE) -> dict:
    """Reference solution of :func:`check_bias_variance`: ``{model: "bias" | "variance" | "both" | "neither"}``."""
    result = {}
    for model, (train_error, test_error) in exercise["errors"].items():
        bias = train_error > exercise["high_error"]
        variance = test_error - train_error > exercise["large_gap"]
        result[model] = {(True, True): "both", (True, False): "bias", (False, True): "variance",
                         (False, False): "neither"}[(bias, variance)]
    return result


def _diagnosis(word):
    if not isinstance(word, str):
        return None
    word = " ".join(word.lower().replace("_", " ").replace("-", " ").split())
    for diagnosis, words in DIAGNOSES.items():
        if word in words:
            return diagnosis
    return None


@records_attempt("bias_variance")
def check_bias_variance(answer) -> Check:
    """Exercise: the diagnosis of each network of :data:`BIAS_VARIANCE_EXERCISE`, as a dict such as
    ``{"A": "bias", "B": ..., "C": ..., "D": ...}`` with ``"bias"``, ``"variance"``, ``"both"`` or
    ``"neither"``."""
    ex = BIAS_VARIANCE_EXERCISE
    expected = bias_variance_solution()
    models = list(expected)
    if answer is None:
        return wrong('replace None by a dict with a diagnosis for every network: '
                     '{"A": ..., "B": ..., "C": ..., "D": ...}.')
    if not isinstance(answer, dict):
        return wrong(f"the answer should be a dict from model name to diagnosis, got {type(answer).__name__}.")
    keys = {str(k).strip().upper(): v for k, v in answer.items()}
    missing = [m for m in models if m not in keys]
    if missing:
        return wrong(f"give a diagnosis for every model: {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} "
                     "missing.")
    for model in models:
        given = _diagnosis(keys[model])
        if given is None:
            return wrong(f"the diagnosis of {model} should be one of {list(DIAGNOSES)}, "
                         f"got {reprlib.repr(keys[model])}.")
        if given == expected[model]:
            continue
        train_error, test_error = ex["errors"][model]
        gap = test_error - train_error
        bias = train_error > ex["high_error"]
        variance = gap > ex["large_gap"]
        if given in ("bias", "both") and not bias:
            return wrong(f"{model}: bias shows in the training error, and {model}'s is only {train_error:.2f} "
                         f"(high means above {ex['high_error']:g}).")
        if given in ("variance", "both") and not variance:
            return wrong(f"{model}: variance shows in the gap between test and training error, and {model}'s gap is "
                         f"only {gap:.2f}; some gap is normal.")
        if bias and given in ("variance", "neither"):
            return wrong(f"{model}: look at its training error, {train_error:.2f}. It does not even fit its training "
                         "data.")
        return wrong(f"{model}: compare its test error with its training error; the gap is {gap:.2f} "
                     f"(large means above {ex['large_gap']:g}).")
    best = min(ex["errors"], key=lambda m: ex["errors"][m][1])
    return right("; ".join(f"{m}: {expected[m]} ({_REMEDIES[expected[m]]})" for m in models)
                 + f". {best} has the lowest test error of the four, with the diagnosis '{expected[best]}': the "
                   "diagnosis says what to change next, not which model to keep (a validation error decides that).")


"""Artificial neurons, activation functions, output layers and loss functions in NumPy.

Everything here is vectorised and works element-wise on arrays of any shape (``softmax`` and the
categorical losses work along the last axis, the class axis). Floating inputs keep their dtype
(float32 stays float32, float64 stays float64); integer inputs are converted to float64. The
functions are written so that extreme inputs (logits of +-1000, probabilities of exactly 0 or 1)
give finite numbers, and the losses follow Keras' clipping convention for losses that are given
probabilities: they are clipped to ``[EPSILON, 1 - EPSILON]`` with ``EPSILON = 1e-7``
(``keras.config.epsilon()``) before the logarithm, so one entry costs at most ``-ln(1e-7) = 16.12`` (15.94 in
float32 on the ``1 - EPSILON`` side, where float32 rounds ``1 - 1e-7`` to ``1 - 1.19e-7``). A Keras model whose
output layer is a softmax or sigmoid does not clip: Keras 3 then computes the loss from that layer's logits
(as :func:`softmax_crossentropy` does), so a true class 2000 logits behind costs 2000, in ``model.fit`` and
``model.evaluate`` alike (notebook 04 measures it with ``model.evaluate``).

Conventions
-----------
* Activations ``f(z)`` and their derivatives ``f'(z)`` take the pre-activation ``z`` (any shape) and
  return an array of the same shape. A derivative is element-wise, ``d f(z_i) / d z_i``; at the kink
  ``z = 0`` the same value as TensorFlow's automatic differentiation is used (ReLU: 0, SELU: lambda).
* Losses take ``y_true`` and ``y_pred`` of equal shape ``(batch, n_outputs)`` (or ``(batch,)`` for one
  output) and return ONE number, the mean over the batch, exactly as ``keras.losses.MeanSquaredError()``,
  ``BinaryCrossentropy()`` and ``CategoricalCrossentropy()`` do with their default reduction.
* Every ``*_gradient`` function returns the gradient of that returned mean with respect to
  ``y_pred`` (or the logits), so it already contains the ``1 / batch`` factor (and, for the
  element-wise losses, the ``1 / n_outputs`` factor). A finite-difference test checks this.

Notebook: ``04_neurons_activations_losses.ipynb``.
"""

from __future__ import annotations

import numpy as np

from course_utils._arguments import _real_number
from course_utils.checks import Check, as_number, records_attempt, right, shown, wrong
from course_utils.tensorflow_logs import quiet_tensorflow_import

quiet_tensorflow_import()  # the notebook imports Keras later; its C++ start-up lines stay out of the page

__all__ = [
    "EPSILON", "SELU_LAMBDA", "SELU_ALPHA",
    "relu", "selu", "sigmoid", "tanh", "linear", "softmax",
    "relu_derivative", "selu_derivative", "sigmoid_derivative", "tanh_derivative", "linear_derivative",
    "ACTIVATIONS", "OUTPUT_LAYERS",
    "mse", "binary_crossentropy", "categorical_crossentropy", "softmax_crossentropy",
    "mse_gradient", "binary_crossentropy_gradient", "categorical_crossentropy_gradient",
    "softmax_crossentropy_gradient", "LOSSES",
    "neuron", "lecun_normal", "deep_stack_statistics",
    "EXERCISE_NEURON", "EXERCISE_TASKS", "EXERCISE_CROSSENTROPY",
    "check_neuron_output", "check_softmax", "check_output_layer", "check_crossentropy", "check_relu_derivative",
]

#: Keras' fuzz factor (``keras.config.epsilon()``): probabilities given to a loss are clipped to
#: [EPSILON, 1 - EPSILON] (not the outputs of a Keras softmax/sigmoid layer, which are scored from the logits).
EPSILON = 1e-7
#: SELU scale lambda (Klambauer et al. 2017), the same constant as ``keras.activations.selu``.
SELU_LAMBDA = 1.0507009873554804934193349852946
#: SELU alpha (Klambauer et al. 2017), the same constant as ``keras.activations.selu``.
SELU_ALPHA = 1.6732632423543772848170429916717


def _as_float(x, name: str) -> np.ndarray:
    """``x`` as a floating array (floating dtypes kept, integers and booleans -> float64)."""
    try:
        arr = np.asarray(x)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be an array of real numbers; could not convert {type(x).__name__}: {exc}") from exc
    if arr.dtype.kind in "biu":
        return arr.astype(np.float64)
    if arr.dtype.kind != "f":
        raise TypeError(f"{name} must be an array of real numbers, got dtype {arr.dtype}")
    return arr


def _as_real(value, name: str) -> float:
    """``value`` as a float if it is a real number; booleans, text and complex numbers raise ``TypeError``."""
    return _real_number(name, value)


def _as_count(value, name: str, low: int, high: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer from {low} to {high}, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be an integer from {low} to {high}, got {value}")
    return int(value)


def _as_rng(rng, name: str = "rng") -> np.random.Generator:
    """A generator from ``None``, a seed from 0 to 2**32 - 1 or a ``np.random.Generator``."""
    if rng is None or isinstance(rng, np.random.Generator):
        return np.random.default_rng(rng)
    return np.random.default_rng(_as_count(rng, name, 0, 2**32 - 1))


# ----------------------------------------------------------------------------------------------
# Activation functions and their derivatives
# ----------------------------------------------------------------------------------------------

def relu(z):
    """Rectified linear unit, ``f(z) = max(0, z)``.

    Args:
        z: pre-activation, array of any shape.

    Returns:
        np.ndarray of the same shape.

    Example:
        >>> relu([-2.0, 0.0, 3.0])
        array([0., 0., 3.])

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    z = _as_float(z, "z")
    return np.maximum(z, 0.0).astype(z.dtype, copy=False)


def relu_derivative(z):
    """Derivative of :func:`relu`: 1 for ``z > 0``, 0 otherwise (0 at ``z = 0``, as in TensorFlow).

    A unit whose pre-activation is negative for every input gets zero gradient and stops learning
    (a "dead" ReLU).

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    z = _as_float(z, "z")
    return (z > 0).astype(z.dtype)


def selu(z):
    """Scaled exponential linear unit: ``lambda * z`` for ``z > 0``, ``lambda * alpha * (e^z - 1)`` otherwise.

    With ``lambda = SELU_LAMBDA ~ 1.0507`` and ``alpha = SELU_ALPHA ~ 1.6733`` a deep stack of dense
    SELU layers with LeCun-normal weights keeps its activations near zero mean and unit variance.

    Args:
        z: pre-activation, array of any shape.

    Returns:
        np.ndarray of the same shape, values in ``(-lambda * alpha, inf)`` ~ ``(-1.758, inf)``.

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    z = _as_float(z, "z")
    # expm1 of min(z, 0) never overflows and is accurate near 0
    negative = SELU_ALPHA * np.expm1(np.minimum(z, 0.0))
    return (SELU_LAMBDA * np.where(z > 0, z, negative)).astype(z.dtype, copy=False)


def selu_derivative(z):
    """Derivative of :func:`selu`: ``lambda`` for ``z >= 0``, ``lambda * alpha * e^z`` for ``z < 0``.

    At ``z = 0`` the value ``lambda`` is used, as TensorFlow's gradient does.

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    z = _as_float(z, "z")
    negative = SELU_ALPHA * np.exp(np.minimum(z, 0.0))
    return (SELU_LAMBDA * np.where(z >= 0, 1.0, negative)).astype(z.dtype, copy=False)


def sigmoid(z):
    """Logistic sigmoid, ``f(z) = 1 / (1 + e^(-z))``, values in (0, 1).

    Computed as ``1 / (1 + e^(-z))`` for ``z >= 0`` and ``e^z / (1 + e^z)`` for ``z < 0`` so that the
    exponential never overflows (logits of +-1000 give exactly 1 and 0 without warnings).

    Args:
        z: pre-activation, array of any shape.

    Returns:
        np.ndarray of the same shape.

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    z = _as_float(z, "z")
    e = np.exp(-np.abs(z))  # in (0, 1]: cannot overflow
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(z.dtype, copy=False)


def sigmoid_derivative(z):
    """Derivative of :func:`sigmoid`, ``sigma(z) * (1 - sigma(z))``; at most 0.25 (at ``z = 0``).

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """Hyperbolic tangent, ``f(z) = (e^z - e^(-z)) / (e^z + e^(-z))``, values in (-1, 1).

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    z = _as_float(z, "z")
    return np.tanh(z)


def tanh_derivative(z):
    """Derivative of :func:`tanh`, ``1 - tanh(z)^2``; at most 1 (at ``z = 0``).

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    t = tanh(z)
    return 1.0 - t * t


def linear(z):
    """Identity ("linear") activation, ``f(z) = z``: the output layer for regression.

    Returns a floating copy of ``z``.

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    return _as_float(z, "z").copy()


def linear_derivative(z):
    """Derivative of :func:`linear`: ones with the shape of ``z``.

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    z = _as_float(z, "z")
    return np.ones_like(z)


def softmax(z, axis: int = -1, temperature: float = 1.0):
    """Softmax along ``axis``: ``f(z)_c = e^(z_c / T) / sum_j e^(z_j / T)``, a distribution that sums to 1.

    The maximum along ``axis`` is subtracted before exponentiating. That does not change the result
    (it cancels between numerator and denominator) but keeps every exponent <= 0, so logits of
    +-1000 give finite probabilities instead of ``inf / inf = nan``.

    Args:
        z: logits, array of shape ``(..., n_classes)`` (classes along ``axis``).
        axis: the class axis.
        temperature: ``T > 0``, any finite number. ``T = 1`` is the ordinary softmax (as
            ``keras.activations.softmax``); ``T < 1`` sharpens the distribution towards the arg-max (a tiny
            ``T`` gives the one-hot arg-max), ``T > 1`` flattens it towards uniform.

    Returns:
        np.ndarray of the same shape as ``z``; entries in [0, 1], summing to 1 along ``axis``.

    Raises:
        ValueError: if ``temperature`` is not a finite positive number, ``z`` is a scalar or holds NaN/inf,
            or ``axis`` is out of range.
        TypeError: if ``axis`` is not an integer or ``temperature`` not a real number.

    Example:
        >>> softmax([[1.0, 2.0, 3.0]]).round(3)
        array([[0.09 , 0.245, 0.665]])

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    z = _as_float(z, "z")
    if z.ndim == 0:
        raise ValueError("z must have at least one axis (the classes); got a scalar")
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"axis must be an integer from {-z.ndim} to {z.ndim - 1}, got {axis!r}")
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"axis must be in [{-z.ndim}, {z.ndim - 1}] for z of shape {z.shape}, got {axis}")
    temperature = _as_real(temperature, "temperature")
    if not (np.isfinite(temperature) and temperature > 0):
        raise ValueError(f"temperature must be a finite number > 0, got {temperature}")
    if not np.all(np.isfinite(z)):
        raise ValueError("z holds NaN or infinite logits; every logit must be a finite number")
    if z.size == 0:
        return z.copy()
    # Shift first, then divide, in float64: every exponent is <= 0 and the largest is exactly 0, so any
    # temperature (1e-308 too) gives a finite distribution; exponents below float's range are e^-inf = 0.
    with np.errstate(over="ignore", under="ignore"):
        shifted = (z.astype(np.float64) - np.max(z, axis=axis, keepdims=True)) / temperature
        e = np.exp(shifted)
    return (e / np.sum(e, axis=axis, keepdims=True)).astype(z.dtype, copy=False)


#: name -> (activation, derivative), the activations of a hidden or output layer.
ACTIVATIONS = {
    "relu": (relu, relu_derivative),
    "selu": (selu, selu_derivative),
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "linear": (linear, linear_derivative),
}

#: task -> (output activation, loss name): which output layer and loss belong to which task.
OUTPUT_LAYERS = {
    "regression": ("linear", "mse"),
    "multi-label classification": ("sigmoid", "binary_crossentropy"),
    "multi-class classification": ("softmax", "categorical_crossentropy"),
}


# ----------------------------------------------------------------------------------------------
# Losses and their gradients
# ----------------------------------------------------------------------------------------------

def _pair(y_true, y_pred, *, pred_name: str = "y_pred", min_ndim: int = 1):
    """Validate a (target, prediction) pair: same shape, finite, not empty; return float arrays."""
    t = _as_float(y_true, "y_true")
    p = _as_float(y_pred, pred_name)
    if p.ndim < min_ndim:
        raise ValueError(f"{pred_name} must have at least {min_ndim} axis (batch{', classes' if min_ndim > 1 else ''}), "
                         f"got shape {p.shape}")
    if t.shape != p.shape:
        hint = ""
        if t.ndim == p.ndim - 1 and t.shape == p.shape[:-1]:
            hint = (" It looks like y_true holds class indices: one-hot encode them first, e.g. "
                    "np.eye(n_classes)[labels].")
        raise ValueError(f"y_true has shape {t.shape} but {pred_name} has shape {p.shape}; they must be equal.{hint}")
    if t.size == 0:
        raise ValueError(f"y_true and {pred_name} are empty (shape {t.shape}); the mean over a batch needs >= 1 sample")
    if not np.all(np.isfinite(t)):
        raise ValueError("y_true contains NaN or infinite values")
    if not np.all(np.isfinite(p)):
        raise ValueError(f"{pred_name} contains NaN or infinite values")
    dtype = np.result_type(t, p)
    return t.astype(dtype, copy=False), p.astype(dtype, copy=False)


def _check_probabilities(p, name: str = "y_pred") -> None:
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError(f"{name} must hold probabilities in [0, 1] (got values in [{p.min():g}, {p.max():g}]); "
                         "apply sigmoid or softmax to logits first")


def _check_rows_sum_to_one(y, name: str, tol: float = 1e-3) -> None:
    sums = y.sum(axis=-1)
    if not np.allclose(sums, 1.0, rtol=0.0, atol=tol):
        raise ValueError(f"each row of {name} must sum to 1 along the class axis (last axis); got row sums in "
                         f"[{sums.min():g}, {sums.max():g}]")


def _reduce(per_sample, reduction: str):
    """Mean over the batch (``"mean"``, what Keras' default reduction does) or per-sample values (``"none"``)."""
    if reduction == "mean":
        return float(np.mean(per_sample))
    if reduction == "none":
        return per_sample
    raise ValueError(f"reduction must be 'mean' or 'none', got {reduction!r}")


def _n_samples(y) -> int:
    """Number of samples for the class-wise losses: every axis but the last (classes) is a batch axis."""
    return int(np.prod(y.shape[:-1], dtype=np.int64))


def _difference(t: np.ndarray, p: np.ndarray) -> np.ndarray:
    """``p - t``, refused with the limit when the sum of its squares would overflow the dtype."""
    limit = float(np.sqrt(np.finfo(p.dtype).max / p.size))
    with np.errstate(over="ignore"):
        difference = p - t
    largest = float(np.max(np.abs(difference.astype(np.float64))))
    if not largest <= limit:
        raise ValueError(f"y_pred - y_true must lie within +-{limit:.3g} for {p.size} {p.dtype} entries (beyond, "
                         f"the squared error overflows), got a difference of {largest:.3g}")
    return difference


def mse(y_true, y_pred, reduction: str = "mean"):
    """Mean squared error, ``L = mean((y_pred - y_true)^2)`` over batch and outputs (the regression loss).

    Equal to ``keras.losses.MeanSquaredError()(y_true, y_pred)``.

    Args:
        y_true: targets, shape ``(batch,)`` or ``(batch, n_outputs)``.
        y_pred: predictions, same shape.
        reduction: ``"mean"`` (default) or ``"none"`` for the loss of each sample, shape ``(batch,)``
            (the mean over its outputs), like Keras' ``reduction=None``.

    Returns:
        float, the mean over all entries (or per-sample losses).

    Raises:
        ValueError: if the shapes differ, the arrays are empty or contain NaN/inf, or an entry of
            ``y_pred - y_true`` is so large that the squares overflow (beyond ``sqrt(max float / size)``,
            1.3e154 for one float64 entry): the message gives the limit.

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    t, p = _pair(y_true, y_pred, min_ndim=0)
    squared = _difference(t, p) ** 2
    return _reduce(squared.mean(axis=-1) if squared.ndim >= 2 else squared, reduction)


def mse_gradient(y_true, y_pred) -> np.ndarray:
    """Gradient of :func:`mse` w.r.t. ``y_pred``: ``2 (y_pred - y_true) / y_pred.size``.

    The division by the number of entries is included: this is the gradient of the mean that
    :func:`mse` returns. Shape as ``y_pred``.

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    t, p = _pair(y_true, y_pred, min_ndim=0)
    return 2.0 * _difference(t, p) / p.size


def binary_crossentropy(y_true, y_pred, reduction: str = "mean"):
    """Binary cross-entropy, the loss of sigmoid outputs (binary and multi-label classification).

    ``L = -mean(y log p + (1 - y) log(1 - p))`` with ``p = clip(y_pred, EPSILON, 1 - EPSILON)``, the mean
    taken over batch and outputs. Equal to ``keras.losses.BinaryCrossentropy()(y_true, y_pred)``.

    Args:
        y_true: targets in [0, 1] (usually 0 or 1), shape ``(batch,)`` or ``(batch, n_labels)``.
        y_pred: predicted probabilities in [0, 1], same shape.
        reduction: ``"mean"`` (default) or ``"none"`` for the loss of each sample (mean over its labels).

    Returns:
        float. A prediction of exactly 0 for a target of 1 costs ``-ln(1e-7) = 16.12`` (clipped), not inf; a
        prediction of 1 for a target of 0 costs the same in float64 and 15.94 in float32, as in Keras.

    Raises:
        ValueError: if shapes differ, or ``y_pred`` is outside [0, 1] (pass probabilities, not logits).

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    t, p = _pair(y_true, y_pred, min_ndim=0)
    _check_probabilities(p)
    per_entry = _binary_crossentropy_entries(t, p)
    return _reduce(per_entry.mean(axis=-1) if per_entry.ndim >= 2 else per_entry, reduction)


def _binary_crossentropy_entries(t: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Binary cross-entropy of every entry, for arrays already checked (a training loop's hot path)."""
    p = np.clip(p, EPSILON, 1.0 - EPSILON)
    return -(t * np.log(p) + (1.0 - t) * np.log1p(-p))


def binary_crossentropy_gradient(y_true, y_pred) -> np.ndarray:
    """Gradient of :func:`binary_crossentropy` w.r.t. ``y_pred``, including the ``1 / y_pred.size`` factor.

    ``dL/dp = (p - y) / (p (1 - p)) / size`` where ``y_pred`` lies inside ``[EPSILON, 1 - EPSILON]``; where
    the prediction is clipped the loss is flat, so the gradient there is 0 (TensorFlow's gradient of
    ``keras.losses.binary_crossentropy`` is the same, entry for entry).

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    t, p = _pair(y_true, y_pred, min_ndim=0)
    _check_probabilities(p)
    inside = (p >= EPSILON) & (p <= 1.0 - EPSILON)
    pc = np.clip(p, EPSILON, 1.0 - EPSILON)
    grad = (pc - t) / (pc * (1.0 - pc))
    return np.where(inside, grad, 0.0).astype(p.dtype, copy=False) / p.size


def categorical_crossentropy(y_true, y_pred, reduction: str = "mean"):
    """Categorical cross-entropy, the loss of a softmax output (multi-class classification).

    ``L = -(1/batch) sum_n sum_c y_nc log p_nc`` with ``p = clip(y_pred, EPSILON, 1 - EPSILON)``: a sum over
    the classes (last axis) and a mean over the samples. For probability rows that sum to 1 it equals
    ``keras.losses.CategoricalCrossentropy()(y_true, y_pred)`` (Keras would silently rescale rows
    that do not sum to 1; this function refuses them instead).

    Args:
        y_true: one-hot (or soft) targets, shape ``(batch, n_classes)``; each row sums to 1.
        y_pred: predicted probabilities, same shape; each row sums to 1 (within 1e-3).
        reduction: ``"mean"`` (default) or ``"none"`` for the loss of each sample, shape ``(batch,)``.

    Returns:
        float (or per-sample losses).

    Raises:
        ValueError: if shapes differ (e.g. class indices instead of one-hot targets), values are not
            probabilities, or rows do not sum to 1.

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    t, p = _pair(y_true, y_pred, min_ndim=1)
    _check_probabilities(p)
    _check_rows_sum_to_one(p, "y_pred")
    return _reduce(_categorical_crossentropy_samples(t, p), reduction)


def _categorical_crossentropy_samples(t: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Categorical cross-entropy of every sample (row), for arrays already checked (hot path)."""
    return -np.sum(t * np.log(np.clip(p, EPSILON, 1.0 - EPSILON)), axis=-1)


def categorical_crossentropy_gradient(y_true, y_pred) -> np.ndarray:
    """Gradient of :func:`categorical_crossentropy` w.r.t. ``y_pred``, including the ``1 / batch`` factor.

    ``dL/dp_nc = -y_nc / p_nc / batch`` where ``p_nc`` lies inside ``[EPSILON, 1 - EPSILON]``, 0 where it is
    clipped: the gradient of this function's formula. Keras' ``CategoricalCrossentropy`` first divides each
    row by its sum ``s_n`` and then clips, so TensorFlow's gradient of it is this one plus
    ``sum_c(y_nc [p_nc not clipped]) / (s_n batch)`` on every entry of row ``n``, clipped entries included
    (``1 / batch`` for a one-hot row that sums to 1, and 0 if its true class is clipped). A constant per row
    changes nothing along the directions that keep the row's sum at 1, the only ones a softmax output can move in.
    For training, combine softmax and cross-entropy instead (:func:`softmax_crossentropy_gradient`): that form
    is simpler and cannot blow up.

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    t, p = _pair(y_true, y_pred, min_ndim=1)
    _check_probabilities(p)
    _check_rows_sum_to_one(p, "y_pred")
    inside = (p >= EPSILON) & (p <= 1.0 - EPSILON)
    grad = -t / np.clip(p, EPSILON, 1.0 - EPSILON)
    return np.where(inside, grad, 0.0).astype(p.dtype, copy=False) / _n_samples(p)


def softmax_crossentropy(y_true, logits) -> float:
    """Categorical cross-entropy of ``softmax(logits)``, computed from the logits without clipping.

    ``L = (1/batch) sum_n [logsumexp(z_n) - sum_c y_nc z_nc]`` (for rows of ``y_true`` summing to 1),
    stable for logits of any size. Equal to
    ``keras.losses.CategoricalCrossentropy(from_logits=True)(y_true, logits)``.

    Args:
        y_true: one-hot (or soft) targets, shape ``(batch, n_classes)``; rows sum to 1.
        logits: pre-activations of the output layer, same shape.

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    t, z = _pair(y_true, logits, pred_name="logits", min_ndim=1)
    _check_rows_sum_to_one(t, "y_true")
    m = np.max(z, axis=-1, keepdims=True)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):  # logits 1.8e308 apart: log_p = -inf
        log_sum_exp = m + np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))
        log_p = z - log_sum_exp
        terms = np.where(t != 0, t * log_p, 0.0)  # a class with target 0 adds nothing, even at log_p = -inf
        loss = float(-np.sum(terms) / _n_samples(z))
    if not np.isfinite(loss):
        raise ValueError("logits: a true class lies more than 1.8e308 below the largest logit, so the loss "
                         "overflows float64; keep the logits within +-1e300")
    return loss


def softmax_crossentropy_gradient(y_true, logits) -> np.ndarray:
    """Gradient of the categorical cross-entropy of ``softmax(logits)`` w.r.t. the logits.

    ``dL/dz = (softmax(z) - y_true) / batch``: the softmax Jacobian and the ``-y/p`` of the
    cross-entropy cancel to this simple difference (valid when each row of ``y_true`` sums to 1,
    which is checked). It is the gradient of :func:`softmax_crossentropy`, ``1 / batch`` included.

    Args:
        y_true: shape ``(batch, n_classes)``, rows sum to 1.
        logits: same shape.

    Returns:
        np.ndarray of shape ``(batch, n_classes)``.

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    t, z = _pair(y_true, logits, pred_name="logits", min_ndim=1)
    _check_rows_sum_to_one(t, "y_true")
    return (softmax(z) - t) / _n_samples(z)


#: name -> (loss, gradient w.r.t. the prediction).
LOSSES = {
    "mse": (mse, mse_gradient),
    "binary_crossentropy": (binary_crossentropy, binary_crossentropy_gradient),
    "categorical_crossentropy": (categorical_crossentropy, categorical_crossentropy_gradient),
}


# ----------------------------------------------------------------------------------------------
# Neurons and deep stacks
# ----------------------------------------------------------------------------------------------

def _activation(name: str):
    if not isinstance(name, str):
        raise TypeError(f"activation must be one of {sorted(ACTIVATIONS)}, got {name!r}")
    if name == "softmax":
        return softmax
    if name not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {name!r}")
    return ACTIVATIONS[name][0]


def neuron(x, weights, bias: float = 0.0, activation: str = "relu"):
    """One artificial neuron: the weighted sum of its inputs plus a bias, then a non-linearity.

    ``a = f(z)``, ``z = sum_i w_i x_i + b``.

    Args:
        x: inputs, shape ``(n_inputs,)`` for one input vector or ``(n_samples, n_inputs)``.
        weights: shape ``(n_inputs,)``.
        bias: the bias ``b``.
        activation: a key of :data:`ACTIVATIONS` (``"relu"``, ``"selu"``, ``"sigmoid"``, ``"tanh"``, ``"linear"``).

    Returns:
        float for one input vector, np.ndarray of shape ``(n_samples,)`` otherwise.

    Raises:
        ValueError: if the last axis of ``x`` does not match ``len(weights)``, the activation is unknown, or
            an input, weight or the bias is NaN/inf (or so large that ``z`` overflows).
        TypeError: if ``bias`` is not a real number (``True`` and ``"0.5"`` are refused).

    Example:
        >>> neuron([1.0, 2.0], weights=[0.5, -1.0], bias=0.25, activation="linear")
        -1.25

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    x = _as_float(x, "x")
    w = _as_float(weights, "weights")
    if w.ndim != 1:
        raise ValueError(f"weights must have shape (n_inputs,), got {w.shape}")
    if x.ndim not in (1, 2) or x.shape[-1] != w.shape[0]:
        raise ValueError(f"x must have shape ({w.shape[0]},) or (n_samples, {w.shape[0]}) to match weights of "
                         f"shape {w.shape}, got {x.shape}")
    if activation == "softmax":
        raise ValueError("a single neuron has no softmax (softmax needs a whole layer); choose one of "
                         f"{sorted(ACTIVATIONS)}")
    f = _activation(activation)
    bias = _as_real(bias, "bias")
    if not np.isfinite(bias):
        raise ValueError(f"bias must be a finite number, got {bias}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(w))):
        raise ValueError("x and weights must hold finite numbers (no NaN or inf)")
    with np.errstate(over="ignore", invalid="ignore"):
        z = x @ w + bias
    if not np.all(np.isfinite(z)):
        raise ValueError("the weighted sum z overflows float64: keep x and weights within about +-1e150")
    a = f(z)
    return float(a) if a.ndim == 0 else a


def lecun_normal(n_inputs: int, n_units: int, rng=None) -> np.ndarray:
    """Weights drawn from a normal distribution with mean 0 and variance ``1 / n_inputs`` (LeCun normal).

    This is the initialisation SELU's self-normalising property assumes. (Keras'
    ``keras.initializers.LecunNormal`` draws from a truncated normal rescaled to the same variance.)

    Args:
        n_inputs: fan-in of the layer (number of inputs of each unit), 1 to 100,000.
        n_units: number of units of the layer, 1 to 100,000 (at most 10 million weights in all).
        rng: a ``np.random.Generator``, a seed from 0 to 2**32 - 1, or ``None``.

    Returns:
        np.ndarray of shape ``(n_inputs, n_units)``, so that a batch ``x`` of shape ``(batch, n_inputs)``
        maps to ``x @ W`` of shape ``(batch, n_units)``.

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    n_inputs = _as_count(n_inputs, "n_inputs", 1, 100_000)
    n_units = _as_count(n_units, "n_units", 1, 100_000)
    if n_inputs * n_units > 10_000_000:
        raise ValueError(f"n_inputs * n_units must be at most 10,000,000 weights, got {n_inputs} * {n_units}")
    rng = _as_rng(rng)
    return rng.normal(0.0, np.sqrt(1.0 / n_inputs), size=(n_inputs, n_units))


def deep_stack_statistics(activation: str = "selu", n_layers: int = 30, width: int = 256, n_samples: int = 1000,
                          *, weight_std: float | None = None, rng: int | np.random.Generator | None = 0) -> dict:
    """Push standard-normal inputs through a deep stack of dense layers and record each layer's statistics.

    Each layer computes ``a = f(a_prev @ W)`` (biases 0) with weights ``W ~ N(0, weight_std^2)``; by
    default ``weight_std = sqrt(1 / width)``, the LeCun-normal initialisation.

    Args:
        activation: a key of :data:`ACTIVATIONS`.
        n_layers: depth of the stack, 1..200.
        width: units per layer (and input features), 2..2048.
        n_samples: batch size of standard-normal inputs, 2..100,000 (at most 20 million activations).
        weight_std: standard deviation of the weights (``None`` = LeCun normal), greater than 0 and at most
            ``10**(100 / n_layers) / sqrt(width)``, so that even a linear stack, whose activations grow by
            ``weight_std * sqrt(width)`` per layer, stays finite (the message gives the bound).
        rng: seed from 0 to 2**32 - 1, ``np.random.Generator`` or ``None``.

    Returns:
        dict with ``"mean"`` and ``"std"`` (np.ndarray, shape ``(n_layers,)``: mean and standard deviation
        of all activations of each layer), ``"dead_fraction"`` (shape ``(n_layers,)``: fraction of units
        that are 0 for every sample) and ``"activations"`` (the last layer, shape ``(n_samples, width)``).

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    f = _activation(activation)
    if activation == "softmax":
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)} for a deep stack, got 'softmax'")
    n_layers = _as_count(n_layers, "n_layers", 1, 200)
    width = _as_count(width, "width", 2, 2048)
    n_samples = _as_count(n_samples, "n_samples", 2, 100_000)
    if n_samples * width > 20_000_000:
        raise ValueError(f"n_samples * width must be at most 20,000,000 activations, got {n_samples} * {width}")
    if weight_std is None:
        weight_std = np.sqrt(1.0 / width)
    else:
        weight_std = _as_real(weight_std, "weight_std")
        largest = 10 ** (100 / n_layers) / np.sqrt(width)
        if not (np.isfinite(weight_std) and 0 < weight_std <= largest):
            raise ValueError(f"weight_std must be a number in (0, {largest:.4g}] for n_layers={n_layers} and "
                             f"width={width} (larger weights overflow float64), got {weight_std}")
    rng = _as_rng(rng)
    a = rng.standard_normal((n_samples, width))
    means, stds, dead = np.empty(n_layers), np.empty(n_layers), np.empty(n_layers)
    for layer in range(n_layers):
        w = rng.normal(0.0, weight_std, size=(width, width))
        a = f(a @ w)
        means[layer], stds[layer] = a.mean(), a.std()
        dead[layer] = np.mean(np.all(a == 0, axis=0))
    return {"mean": means, "std": stds, "dead_fraction": dead, "activations": a}


# ----------------------------------------------------------------------------------------------
# "Your turn" checkers (reference solutions live here, not in the notebook)
# ----------------------------------------------------------------------------------------------

#: Hand answers of exercises 1 and 4 count as right within half a unit of the second decimal, so the value
#: rounded to two decimals is accepted, as are all more precise ones.
ROUNDED_TOLERANCE = 0.005 + 1e-9

#: The neuron of the first exercise: inputs, weights, bias and activation.
EXERCISE_NEURON = {"x": (0.5, -2.0), "weights": (1.2, -0.4), "bias": 0.3, "activation": "tanh"}  # z = 1.7


@records_attempt("neuron_output")
def check_neuron_output(answer) -> Check:
    """Exercise: the output of the neuron :data:`EXERCISE_NEURON`, computed by hand (a number).

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    spec = EXERCISE_NEURON
    z = float(np.dot(spec["x"], spec["weights"]) + spec["bias"])
    expected = neuron(spec["x"], spec["weights"], spec["bias"], spec["activation"])
    value = as_number(answer, name="the neuron's output")
    if isinstance(value, Check):
        return value
    if abs(value - expected) <= ROUNDED_TOLERANCE:
        (x1, x2), (w1, w2) = spec["x"], spec["weights"]
        return right(f"z = {w1:g}*{x1:g} + ({w2:g})*({x2:g}) + {spec['bias']:g} = {z:.2f}, "
                     f"and tanh({z:.2f}) = {expected:.4f}.")
    if np.isclose(value, z, rtol=1e-3, atol=1e-4):
        return wrong(f"{value:g} is the weighted sum z (pre-activation). The neuron still applies tanh to it.")
    if np.isclose(value, np.tanh(z - spec["bias"]), rtol=1e-3, atol=1e-4):
        return wrong("you left out the bias: z = w1*x1 + w2*x2 + b.")
    return wrong("compute z = w1*x1 + w2*x2 + b first, then apply the activation (np.tanh).")


@records_attempt("softmax")
def check_softmax(func) -> Check:
    """Exercise: a student's softmax function ``func(z)`` (rows of a 2-D array), tested on hard cases.

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    if func is None:
        return wrong("replace None by your function, e.g. def my_softmax(z): ...")
    if not callable(func):
        return wrong(f"pass the function itself (my_softmax, without brackets), got {type(func).__name__}.")
    cases = {
        "ordinary logits": np.array([[1.0, 2.0, 3.0], [0.5, -0.5, 0.0]]),
        "a batch of 4 rows with different scales": np.array([[0.0, 0.0, 0.0], [10.0, -3.0, 2.0],
                                                             [-7.0, -7.5, -6.0], [3.0, 3.0, -1.0]]),
        "logits of +-1000": np.array([[1000.0, -1000.0, 0.0], [-1000.0, -999.0, -1000.0]]),
    }
    for label, z in cases.items():
        try:
            with np.errstate(all="ignore"):
                result = func(z.copy())
                if result is None:
                    return wrong("your function returns None: replace `return None` by your implementation.")
                out = np.asarray(result, dtype=float)
        except Exception as exc:  # noqa: BLE001 - report any failure of student code
            return wrong(f"your function raised {type(exc).__name__}: {exc} (for {label}).")
        if out.shape != z.shape:
            return wrong(f"for {label} of shape {z.shape} your function returned shape {out.shape}; "
                         "keep one probability per logit.")
        if not np.all(np.isfinite(out)):
            return wrong(f"for {label} your function returned NaN or inf. Subtract each row's maximum "
                         "(keepdims=True) before np.exp.")
        sums = out.sum(axis=1)
        with np.errstate(all="ignore"):
            ratio = out / softmax(z)
        if (not np.allclose(sums, 1.0, atol=1e-9) and np.all(np.isfinite(ratio))
                and np.allclose(ratio, ratio[:, :1], rtol=1e-6)):
            return wrong(f"for {label} the numerators are right but each row is divided by the wrong number: the "
                         "denominator is the sum of the same exponentials, sum_j e^(+z_j) over the row (not "
                         "e^(-z_j), the slide's sign slip).")
        if not np.allclose(sums, 1.0, atol=1e-9):
            return wrong(f"for {label} the rows sum to {np.round(sums, 4).tolist()}, not 1. Sum along the class axis "
                         "(axis=1 or -1, keepdims=True).")
        if not np.allclose(out, softmax(z), atol=1e-9):
            return wrong(f"for {label} the probabilities differ from the softmax: e^(z_c) / sum_j e^(z_j).")
    return right("your softmax sums to 1 in every row and survives logits of +-1000.")


#: Tasks of the output-layer exercise, with the reference (output activation, loss) pair.
EXERCISE_TASKS = {
    "predict the tempo of a song in BPM": ("linear", "mse"),
    "tag which instruments play in a clip (several at once)": ("sigmoid", "binary_crossentropy"),
    "recognise which digit 0-9 was spoken": ("softmax", "categorical_crossentropy"),
    "estimate a room's reverberation time in seconds": ("linear", "mse"),
    "detect, per frame, whether speech and/or music is present": ("sigmoid", "binary_crossentropy"),
}


@records_attempt("output_layer")
def check_output_layer(answers) -> Check:
    """Exercise: ``answers`` maps each task of :data:`EXERCISE_TASKS` to ``(activation, loss)`` names.

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    if not isinstance(answers, dict):
        return wrong("answers should be a dict: task -> (activation, loss).")

    def unanswered(given) -> bool:
        return given is None or (isinstance(given, (tuple, list)) and all(g is None for g in given))

    missing = [task for task in EXERCISE_TASKS if unanswered(answers.get(task))]
    if missing:
        return wrong(f"fill in (activation, loss) for: {missing[0]!r}" + (f" and {len(missing) - 1} more." if
                                                                           len(missing) > 1 else "."))
    for task, expected in EXERCISE_TASKS.items():
        given = answers[task]
        if not (isinstance(given, (tuple, list)) and len(given) == 2):
            return wrong(f"for {task!r} give a pair (activation, loss), got {shown(given)}.")
        if not all(isinstance(g, str) for g in given):
            return wrong(f"for {task!r} give the two names as text, e.g. ('linear', 'mse'), got {shown(given)}.")
        activation_name, loss_name = (g.strip().lower() for g in given)
        if activation_name != expected[0]:
            kind = {"linear": "an unbounded number (regression)", "sigmoid": "independent yes/no values in (0, 1)",
                    "softmax": "one class out of several, probabilities that sum to 1"}[expected[0]]
            return wrong(f"{task!r}: the output is {kind}; which activation gives that?")
        if loss_name != expected[1]:
            return wrong(f"{task!r}: {activation_name} is right; which loss belongs to a {activation_name} output?")
    return right("regression -> linear + mse, multi-label -> sigmoid + binary_crossentropy, "
                 "multi-class -> softmax + categorical_crossentropy.")


#: Target and prediction of the cross-entropy exercise (3 classes, the true class is the second).
EXERCISE_CROSSENTROPY = {"y_true": (0.0, 1.0, 0.0), "y_pred": (0.2, 0.7, 0.1)}


@records_attempt("crossentropy")
def check_crossentropy(answer) -> Check:
    """Exercise: the categorical cross-entropy of :data:`EXERCISE_CROSSENTROPY`, computed by hand.

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    y_true = np.array([EXERCISE_CROSSENTROPY["y_true"]])
    y_pred = np.array([EXERCISE_CROSSENTROPY["y_pred"]])
    expected = categorical_crossentropy(y_true, y_pred)
    value = as_number(answer, name="the loss")
    if isinstance(value, Check):
        return value
    if abs(value - expected) <= ROUNDED_TOLERANCE:
        return right(f"only the true class counts: L = -ln(0.7) = {expected:.4f}.")
    if abs(value + expected) <= ROUNDED_TOLERANCE:  # also a rounded answer such as -0.36
        return wrong("mind the minus sign: the loss is -sum y_c ln p_c, a positive number.")
    if np.isclose(value, -np.log10(0.7), rtol=1e-3):
        return wrong("that is log base 10; cross-entropy uses the natural logarithm (np.log).")
    if np.isclose(value, -np.sum(np.log(y_pred)), rtol=1e-3):
        return wrong("only the terms with y_c = 1 contribute; the others are multiplied by 0.")
    return wrong("L = -sum_c y_c ln(p_c) with y = (0, 1, 0) and p = (0.2, 0.7, 0.1).")


@records_attempt("relu_derivative")
def check_relu_derivative(func) -> Check:
    """Exercise: a student's ``func(z)`` returning the ReLU derivative element-wise (0 at z = 0).

    Notebook: ``04_neurons_activations_losses.ipynb``.
    """
    if func is None:
        return wrong("replace None by your function, e.g. def my_relu_derivative(z): ...")
    if not callable(func):
        return wrong(f"pass the function itself, got {type(func).__name__}.")
    z = np.array([[-3.0, -0.5, 0.0], [0.25, 2.0, 1000.0]])
    try:
        result = func(z.copy())
        if result is None:
            return wrong("your function returns None: replace `return None` by your implementation.")
        out = np.asarray(result, dtype=float)
    except Exception as exc:  # noqa: BLE001 - report any failure of student code
        return wrong(f"your function raised {type(exc).__name__}: {exc}.")
    if out.shape != z.shape:
        return wrong(f"the derivative is element-wise: expected shape {z.shape}, got {out.shape}.")
    expected = relu_derivative(z)
    if np.array_equal(out, relu(z)):
        return wrong("that is ReLU itself; its derivative is 1 where z > 0 and 0 elsewhere.")
    if np.allclose(np.delete(out.ravel(), 2), np.delete(expected.ravel(), 2)) and out[0, 2] != 0:
        return wrong("right except at z = 0: use z > 0 (not >=), the convention of TensorFlow and this course.")
    if not np.allclose(out, expected):
        return wrong("the derivative is 1 where z > 0 and 0 elsewhere, e.g. (z > 0).astype(float).")
    return right("1 for z > 0, 0 otherwise: a unit whose z stays negative gets no gradient at all (a dead ReLU).")

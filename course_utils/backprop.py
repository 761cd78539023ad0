"""Backpropagation one layer at a time, for the step-through explorer of notebook 05.

Notebook: ``05_training_an_mlp.ipynb`` (section 3, "Backpropagation, step by step"); the explorer is
``EXPLORERS["backprop"]`` (:mod:`course_utils.explorers.backprop`).

The network is the notebook's small one: 2 inputs, one hidden layer of ``n_hidden`` units (tanh or ReLU) and
one sigmoid output unit, trained with the binary cross-entropy averaged over a mini-batch of N examples.
Names and layout as everywhere in the course (see :mod:`course_utils`): one example per **row**,
``weights[l - 1]`` is the kernel ``K^(l)`` of layer l, shape ``(n_in, n_out)``, ``biases[l - 1]`` is ``b^(l)``::

    Z1 = X @ K1 + b1     A1 = f(Z1)          # hidden layer, shapes (N, n_hidden)
    Z2 = A1 @ K2 + b2    P  = sigmoid(Z2)    # output layer, shapes (N, 1)
    L  = -(1/N) sum_i [y_i log p_i + (1 - y_i) log(1 - p_i)]

The backward pass goes from the last layer to the first; each layer l gets the gradient of the loss with
respect to its output, ``dL/dA^(l)``, and multiplies the chain rule's **local factors** (all element-wise per
example, then summed over the batch)::

    delta^(l)  = dL/dA^(l) * dA^(l)/dZ^(l)           # dA/dZ = f'(Z^(l)); shape (N, n_out)
    dL/dK^(l)  = sum_i  dZ_i/dK * delta_i = A^(l-1).T @ delta^(l)   # dZ/dK_jk = A^(l-1)_ij
    dL/db^(l)  = sum_i delta_i                       # dZ/db = 1
    dL/dA^(l-1) = delta^(l) @ K^(l).T                 # what the layer below receives

:func:`layer_backward` does one layer (what one press of the explorer's "backward" button shows),
:func:`backward_pass` all of them, :func:`sgd_update` the step ``theta <- theta - learning_rate * dL/dtheta``.
Every function is plain NumPy in float64; ``tests/test_backprop.py`` checks the gradients against
TensorFlow's ``GradientTape``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from course_utils._arguments import _real_number
from course_utils.mlp_network import MLP, _check_int

__all__ = [
    "STEP_ACTIVATIONS",
    "MAX_HIDDEN",
    "MAX_BATCH",
    "MAX_STEP_LEARNING_RATE",
    "ForwardPass",
    "LayerGradients",
    "initial_parameters",
    "forward_pass",
    "batch_loss",
    "layer_backward",
    "backward_pass",
    "sgd_update",
    "minibatch_indices",
]

#: Hidden activations of the step-through network (their derivatives are simple enough to read off).
STEP_ACTIVATIONS = ("tanh", "relu")
#: Largest hidden layer of the step-through network (its diagram must stay readable).
MAX_HIDDEN = 8
#: Largest mini-batch accepted (the per-example factors are kept for every example).
MAX_BATCH = 10_000
#: Largest learning rate accepted by :func:`sgd_update`.
MAX_STEP_LEARNING_RATE = 100.0


@dataclass(frozen=True)
class ForwardPass:
    """What the forward pass of one mini-batch computed (and what the backward pass needs).

    Attributes:
        X: the inputs, shape ``(N, 2)``.
        Z1, A1: the hidden layer's pre-activations and activations, shape ``(N, n_hidden)``.
        Z2, P: the output unit's pre-activation (logit) and its sigmoid, the probability of class 1,
            shape ``(N, 1)``.
        activation: the hidden activation's name (``"tanh"`` or ``"relu"``).
    """

    X: np.ndarray
    Z1: np.ndarray
    A1: np.ndarray
    Z2: np.ndarray
    P: np.ndarray
    activation: str

    @property
    def zs(self) -> tuple:
        """``(Z1, Z2)``: the pre-activation of each layer."""
        return self.Z1, self.Z2

    @property
    def inputs(self) -> tuple:
        """``(X, A1)``: what each layer receives, ``A^(l-1)``."""
        return self.X, self.A1


@dataclass(frozen=True)
class LayerGradients:
    """One layer of the backward pass: the chain rule's local factors and their products.

    For layer ``layer`` (1 = hidden, 2 = output), with N examples, ``n_in`` inputs and ``n_out`` units:

    Attributes:
        layer: the layer's number l (1-based, as in the lecture).
        dL_dA: ``dL/dA^(l)``, shape ``(N, n_out)``: for the output layer ``dL/dP``, for the hidden layer
            what the layer above passed down.
        dA_dZ: ``dA^(l)/dZ^(l) = f'(Z^(l))``, shape ``(N, n_out)`` (the sigmoid's ``p (1 - p)`` for the output).
        delta: ``dL/dZ^(l) = dL_dA * dA_dZ``, shape ``(N, n_out)``.
        dZ_dK: ``dZ^(l)_ij / dK^(l)_kj = A^(l-1)_ik``, the layer's input, shape ``(N, n_in)``.
        dK_terms: the per-example products ``dZ_dK[i, k] * delta[i, j]``, shape ``(N, n_in, n_out)``;
            their sum over the examples is ``dK``.
        dK: ``dL/dK^(l) = A^(l-1).T @ delta``, shape ``(n_in, n_out)``, like the kernel.
        db: ``dL/db^(l)``, the sum of ``delta`` over the examples, shape ``(n_out,)``.
        dL_dA_prev: ``dL/dA^(l-1) = delta @ K^(l).T``, shape ``(N, n_in)``: what the layer below receives
            (for layer 1 the gradient with respect to the inputs, which training does not use).
    """

    layer: int
    dL_dA: np.ndarray
    dA_dZ: np.ndarray
    delta: np.ndarray
    dZ_dK: np.ndarray
    dK_terms: np.ndarray
    dK: np.ndarray
    db: np.ndarray
    dL_dA_prev: np.ndarray


# --------------------------------------------------------------------------------------------------
# Checks

def _check_activation(activation) -> str:
    if not isinstance(activation, str) or activation not in STEP_ACTIVATIONS:
        raise ValueError(f"activation must be one of {list(STEP_ACTIVATIONS)}, got {activation!r}")
    return activation


def _check_inputs(X) -> np.ndarray:
    if isinstance(X, (str, bytes)):
        raise TypeError(f"X must be an array of shape (N, 2), got {X!r}")
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError("X must be an array of real numbers, shape (N, 2)") from None
    if X.ndim != 2 or X.shape[1] != 2 or not 1 <= len(X) <= MAX_BATCH:
        raise ValueError(f"X must have shape (N, 2) with 1 <= N <= {MAX_BATCH} examples, got shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError("X must hold finite numbers (no NaN or infinity)")
    return X


def _check_labels(y, n_examples: int) -> np.ndarray:
    y = np.asarray(y)
    if y.dtype == bool or not np.issubdtype(y.dtype, np.number):
        raise TypeError(f"y must hold the labels 0 and 1 as numbers, got dtype {y.dtype}")
    if y.shape not in ((n_examples,), (n_examples, 1)):
        raise ValueError(f"y must have shape ({n_examples},), one label per row of X, got shape {y.shape}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"y must hold only the labels 0 and 1, got {np.unique(y)[:6]}")
    return y.reshape(n_examples, 1).astype(np.float64)


def _check_kernels(weights) -> list:
    """``weights`` ``[K1, K2]`` of a 2 -> n_hidden -> 1 network as float64 arrays, shapes checked."""
    if not isinstance(weights, (list, tuple)) or len(weights) != 2:
        raise TypeError("weights must be a list of two kernels, [K1, K2] of shapes (2, n_hidden) and (n_hidden, 1)")
    K1, K2 = (np.asarray(K, dtype=np.float64) for K in weights)
    if K1.ndim != 2 or K1.shape[0] != 2 or not 1 <= K1.shape[1] <= MAX_HIDDEN:
        raise ValueError(f"weights[0] (K1) must have shape (2, n_hidden) with 1 <= n_hidden <= {MAX_HIDDEN}, "
                         f"got {K1.shape}")
    if K2.shape != (K1.shape[1], 1):
        raise ValueError(f"weights[1] (K2) must have shape {(K1.shape[1], 1)} for {K1.shape[1]} hidden units, "
                         f"got {K2.shape}")
    if not (np.all(np.isfinite(K1)) and np.all(np.isfinite(K2))):
        raise ValueError("weights must hold finite numbers (no NaN or infinity)")
    return [K1, K2]


def _check_parameters(weights, biases) -> tuple[list, list]:
    """``weights`` and ``biases`` of a 2 -> n_hidden -> 1 network as float64 arrays, shapes checked."""
    K1, K2 = _check_kernels(weights)
    if not isinstance(biases, (list, tuple)) or len(biases) != 2:
        raise TypeError("biases must be a list of two bias vectors, [b1, b2] of shapes (n_hidden,) and (1,)")
    b1, b2 = (np.asarray(b, dtype=np.float64) for b in biases)
    n_hidden = K1.shape[1]
    for name, array, shape in (("biases[0] (b1)", b1, (n_hidden,)), ("biases[1] (b2)", b2, (1,))):
        if array.shape != shape:
            raise ValueError(f"{name} must have shape {shape} for {n_hidden} hidden units, got {array.shape}")
    if not (np.all(np.isfinite(b1)) and np.all(np.isfinite(b2))):
        raise ValueError("biases must hold finite numbers (no NaN or infinity)")
    return [K1, K2], [b1, b2]


# --------------------------------------------------------------------------------------------------
# The network

def initial_parameters(n_hidden: int = 3, seed: int = 0) -> tuple[list, list]:
    """Glorot-uniform kernels and zero biases of a 2 -> ``n_hidden`` -> 1 network, as Keras initializes them.

    The same numbers as ``MLP((2, n_hidden, 1), seed=seed)`` (:class:`course_utils.mlp.MLP`), so the explorer
    with seed 3 starts from the network that section 3 of the notebook writes out by hand.

    Args:
        n_hidden: hidden units, 1 to :data:`MAX_HIDDEN`.
        seed: seed of the random generator, 0 to 2**32 - 1.

    Returns:
        ``(weights, biases)``: ``[K1 (2, n_hidden), K2 (n_hidden, 1)]`` and ``[b1 (n_hidden,), b2 (1,)]``.
    """
    n_hidden = _check_int("n_hidden", n_hidden, 1, MAX_HIDDEN)
    net = MLP((2, n_hidden, 1), seed=_check_int("seed", seed, 0, 2**32 - 1))
    return [K.copy() for K in net.weights], [b.copy() for b in net.biases]


def _activate(z: np.ndarray, activation: str) -> np.ndarray:
    return np.tanh(z) if activation == "tanh" else np.maximum(z, 0.0)


def _activation_derivative(z: np.ndarray, activation: str) -> np.ndarray:
    """``f'(z)``; ReLU's derivative is taken as 0 at ``z = 0`` (as TensorFlow does)."""
    if activation == "tanh":
        return 1.0 - np.tanh(z) ** 2
    return (z > 0).astype(np.float64)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))  # never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sigmoid_derivative(z: np.ndarray) -> np.ndarray:
    """``p (1 - p)``, written as ``e^-|z| / (1 + e^-|z|)^2`` so that it stays positive where ``p`` rounds to 1."""
    e = np.exp(-np.abs(z))
    return e / (1.0 + e) ** 2


def forward_pass(weights, biases, X, activation: str = "tanh") -> ForwardPass:
    """The forward pass of one mini-batch, keeping every layer's ``Z`` and ``A``.

    Args:
        weights: ``[K1, K2]``, shapes ``(2, n_hidden)`` and ``(n_hidden, 1)``.
        biases: ``[b1, b2]``, shapes ``(n_hidden,)`` and ``(1,)``.
        X: the mini-batch, shape ``(N, 2)``, one example per row (1 to :data:`MAX_BATCH` rows).
        activation: the hidden activation, ``"tanh"`` or ``"relu"``.

    Returns:
        A :class:`ForwardPass`.
    """
    (K1, K2), (b1, b2) = _check_parameters(weights, biases)
    X = _check_inputs(X)
    activation = _check_activation(activation)
    Z1 = X @ K1 + b1
    A1 = _activate(Z1, activation)
    Z2 = A1 @ K2 + b2
    return ForwardPass(X=X, Z1=Z1, A1=A1, Z2=Z2, P=_sigmoid(Z2), activation=activation)


def batch_loss(forward: ForwardPass, y) -> float:
    """The binary cross-entropy averaged over the mini-batch, ``-(1/N) sum [y log p + (1 - y) log(1 - p)]``.

    Computed from the logits ``Z2`` (``log p = -log(1 + e^-z)``), so it is exact even where ``p`` rounds to
    0 or 1 (no clipping, unlike Keras's loss on probabilities).

    Args:
        forward: the :class:`ForwardPass` of the batch.
        y: labels 0 and 1, shape ``(N,)``.

    Returns:
        The loss, in nats (natural logarithm), a float >= 0.
    """
    _check_forward(forward)
    y = _check_labels(y, len(forward.X))
    z = forward.Z2
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def _check_forward(forward) -> None:
    if not isinstance(forward, ForwardPass):
        raise TypeError(f"forward must be the ForwardPass that forward_pass() returned, got {type(forward).__name__}")


def layer_backward(forward: ForwardPass, weights, y, layer: int, dL_dA=None) -> LayerGradients:
    """One layer of the backward pass (one press of the explorer's "backward" button).

    Args:
        forward: the :class:`ForwardPass` of the batch.
        weights: ``[K1, K2]`` used in that forward pass (``K^(l)`` passes the gradient down).
        y: labels 0 and 1, shape ``(N,)``.
        layer: 2 (the output layer, where the backward pass starts) or 1 (the hidden layer).
        dL_dA: for ``layer=1``, the ``dL_dA_prev`` of layer 2's :class:`LayerGradients`, shape
            ``(N, n_hidden)``; ``None`` for the output layer, whose ``dL/dP`` comes from the loss.

    Returns:
        The layer's :class:`LayerGradients`.
    """
    _check_forward(forward)
    K1, K2 = _check_kernels(weights)
    n = len(forward.X)
    if forward.Z1.shape[1] != K1.shape[1]:
        raise ValueError(f"weights have {K1.shape[1]} hidden units, the forward pass {forward.Z1.shape[1]}")
    y = _check_labels(y, n)
    layer = _check_int("layer", layer, 1, 2)
    if layer == 2:
        if dL_dA is not None:
            raise ValueError("dL_dA must be None for layer 2: the output layer's dL/dP comes from the loss")
        dA_dZ = _sigmoid_derivative(forward.Z2)
        dL_dA = (forward.P - y) / (n * dA_dZ)  # dL/dp_i of the batch mean: (p - y) / (N p (1 - p))
        K = K2
    else:
        if dL_dA is None:
            raise ValueError("layer 1 needs dL_dA, the gradient that layer 2 passes down (its dL_dA_prev): "
                             "the backward pass runs from the last layer to the first")
        dL_dA = np.asarray(dL_dA, dtype=np.float64)
        if dL_dA.shape != forward.A1.shape:
            raise ValueError(f"dL_dA must have shape {forward.A1.shape} (N, n_hidden), got {dL_dA.shape}")
        dA_dZ = _activation_derivative(forward.Z1, forward.activation)
        K = K1
    delta = dL_dA * dA_dZ
    dZ_dK = forward.inputs[layer - 1]
    dK_terms = dZ_dK[:, :, None] * delta[:, None, :]
    return LayerGradients(layer=layer, dL_dA=dL_dA, dA_dZ=dA_dZ, delta=delta, dZ_dK=dZ_dK, dK_terms=dK_terms,
                          dK=dK_terms.sum(axis=0), db=delta.sum(axis=0), dL_dA_prev=delta @ K.T)


def backward_pass(forward: ForwardPass, weights, y) -> list:
    """The whole backward pass: ``[layer 2's, layer 1's]`` :class:`LayerGradients`, last layer first."""
    output = layer_backward(forward, weights, y, 2)
    return [output, layer_backward(forward, weights, y, 1, output.dL_dA_prev)]


def sgd_update(weights, biases, gradients, learning_rate: float) -> tuple[list, list]:
    """One gradient-descent step ``theta <- theta - learning_rate * dL/dtheta`` for every weight and bias.

    Args:
        weights, biases: ``[K1, K2]`` and ``[b1, b2]`` (left unchanged: new arrays are returned).
        gradients: the :class:`LayerGradients` of both layers (in any order), as :func:`backward_pass`
            returns them.
        learning_rate: the step size epsilon, a number in (0, :data:`MAX_STEP_LEARNING_RATE`].

    Returns:
        ``(new_weights, new_biases)`` with the shapes of ``weights`` and ``biases``.
    """
    weights, biases = _check_parameters(weights, biases)
    rate = _real_number("learning_rate", learning_rate, "a number")
    if not (math.isfinite(rate) and 0 < rate <= MAX_STEP_LEARNING_RATE):
        raise ValueError(f"learning_rate must be a number in (0, {MAX_STEP_LEARNING_RATE:g}], got {learning_rate!r}")
    if not isinstance(gradients, (list, tuple)) or not all(isinstance(g, LayerGradients) for g in gradients) \
            or sorted(g.layer for g in gradients) != [1, 2]:
        raise ValueError("gradients must hold the LayerGradients of layers 1 and 2 (what backward_pass returns): "
                         "finish the backward pass before the update")
    by_layer = {g.layer: g for g in gradients}
    new_weights, new_biases = [], []
    for l, (K, b) in enumerate(zip(weights, biases), start=1):
        g = by_layer[l]
        if g.dK.shape != K.shape:
            raise ValueError(f"the gradient of K{l} has shape {g.dK.shape}, the kernel {K.shape}")
        new_weights.append(K - rate * g.dK)
        new_biases.append(b - rate * g.db)
    return new_weights, new_biases


def minibatch_indices(n_examples: int, batch_size: int, seed: int = 0, epoch: int = 0) -> list:
    """The mini-batches of one epoch: a shuffled order of the examples, cut into batches.

    Args:
        n_examples: size of the training set, 1 to 1,000,000.
        batch_size: examples per batch, 1 to :data:`MAX_BATCH` (the last batch may be smaller).
        seed: seed of the shuffle, 0 to 2**32 - 1.
        epoch: the epoch's number, 0 or more (each epoch has its own order).

    Returns:
        A list of integer index arrays that together hold every example once.
    """
    n_examples = _check_int("n_examples", n_examples, 1, 1_000_000)
    batch_size = _check_int("batch_size", batch_size, 1, MAX_BATCH)
    seed = _check_int("seed", seed, 0, 2**32 - 1)
    epoch = _check_int("epoch", epoch, 0, 10**9)
    order = np.random.default_rng([seed, epoch]).permutation(n_examples)
    return [order[start:start + batch_size] for start in range(0, n_examples, batch_size)]

"""The NumPy multi-layer perceptron (MLP) of notebook 05: forward pass, backpropagation, mini-batch training.

Notebook: ``05_training_an_mlp.ipynb``. Import it from :mod:`course_utils.mlp`, which gathers the notebook's
network, its gradient checks (:mod:`course_utils.mlp_gradients`) and its exercises
(:mod:`course_utils.mlp_exercises`).

* :class:`MLP`: a readable NumPy network (forward pass, loss, backward pass, mini-batch SGD, seeded
  Glorot initialization) whose weights copy to and from a Keras ``Sequential`` model of the same shape
  (:meth:`MLP.to_keras`, :meth:`MLP.from_keras`, :meth:`MLP.keras_code`).
* :class:`TrainingRun`: one network trained on fixed data with fixed settings, which can be moved to
  any epoch (forward by training, backward by rewinding to a saved state); the playground animates it.
* :func:`count_params` and :func:`layer_sizes_for`.

Sizes are bounded so that a value a student can type fails at once with the allowed range instead of
freezing the kernel: at most :data:`MAX_WIDTH` units per layer, :data:`MAX_LAYERS` layers,
:data:`MAX_PARAMS` parameters and :data:`MAX_EPOCHS` epochs per :meth:`MLP.fit`. Inputs and targets must be
real, finite numbers; a network that sees NaN or an empty set raises instead of reporting a divergence.

Conventions (the same as Keras): a batch of inputs is a matrix ``X`` of shape ``(n_examples, n_inputs)``
with one example per **row**, so layer l computes ``Z = A_prev @ K + b`` with the *kernel* ``K`` of shape
``(n_in, n_out)``, as Keras stores it. The lecture writes one example as a column,
``z^(l) = W^(l) a^(l-1) + b^(l)``, with the weight matrix ``W^(l)`` of shape ``(n_out, n_in)`` (row j holds
unit j's weights): the kernel is its transpose, ``K^(l) = W^(l)^T``. :attr:`MLP.weights` holds the kernels:
``weights[l - 1]`` is ``K^(l)`` of layer l (1-based), never ``W^(l)`` itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from course_utils._arguments import _check_bool, _real_number
from course_utils.activations import (
    ACTIVATIONS,
    _binary_crossentropy_entries,
    _categorical_crossentropy_samples,
    mse_gradient,
    sigmoid,
    softmax,
    softmax_crossentropy_gradient,
)

__all__ = [
    "HIDDEN_ACTIVATIONS",
    "OUTPUT_ACTIVATIONS",
    "MAX_WIDTH",
    "MAX_LAYERS",
    "MAX_PARAMS",
    "MAX_EPOCHS",
    "MLP",
    "History",
    "TrainingRun",
    "count_params",
    "layer_sizes_for",
]

#: Activations allowed in hidden layers (names as in Keras).
HIDDEN_ACTIVATIONS = ("relu", "selu", "tanh", "sigmoid", "linear")
#: Output activations and the loss each one is trained with (the lecture's pairing).
OUTPUT_ACTIVATIONS = {
    "sigmoid": "binary_crossentropy",  # binary or multi-label classification
    "softmax": "categorical_crossentropy",  # multi-class classification
    "linear": "mse",  # regression
}


#: Largest width of a layer (inputs and outputs included).
MAX_WIDTH = 4096
#: Largest number of layers with weights (hidden layers plus the output layer).
MAX_LAYERS = 64
#: Largest number of trainable parameters of an :class:`MLP` (80 MB of float64 weights).
MAX_PARAMS = 10_000_000
#: Largest number of epochs of one :meth:`MLP.fit` call or one step of :meth:`TrainingRun.train_to`.
MAX_EPOCHS = 10_000
#: Largest learning rate and L2 weight accepted (larger ones only diverge at once).
_MAX_LEARNING_RATE = 1000.0
_MAX_L2 = 100.0


# --------------------------------------------------------------------------------------------------
# Validation helpers

def _check_int(name: str, value, low: int, high: int | None = None) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < low or (high is not None and value > high):
        allowed = f"from {low} to {high}" if high is not None else f">= {low}"
        raise ValueError(f"{name} must be an integer {allowed}, got {value}")
    return int(value)


def _check_real(name: str, value) -> float:
    """``value`` as a float if it is a real number (not a bool, str or complex), else a ``TypeError``."""
    return _real_number(name, value, "a number")


def _check_learning_rate(learning_rate) -> float:
    value = _check_real("learning_rate", learning_rate)
    if not (math.isfinite(value) and 0 < value <= _MAX_LEARNING_RATE):
        raise ValueError(f"learning_rate must be a positive number, in (0, {_MAX_LEARNING_RATE:g}] (e.g. 0.01), "
                         f"got {learning_rate}")
    return value


def _check_l2(l2) -> float:
    value = _check_real("l2", l2)
    if not (math.isfinite(value) and 0 <= value <= _MAX_L2):
        raise ValueError(f"l2 must be a number from 0 to {_MAX_L2:g} (0 switches the penalty off), got {l2}")
    return value


def _check_layer_sizes(layer_sizes, high: int | None = MAX_WIDTH) -> list:
    """``layer_sizes`` as a list of 2 to ``MAX_LAYERS + 1`` integers from 1 to ``high``."""
    if isinstance(layer_sizes, (str, bytes, dict)) or not hasattr(layer_sizes, "__iter__"):
        raise TypeError(f"layer_sizes must be a list of layer widths such as (2, 8, 1), got {layer_sizes!r}")
    sizes = list(layer_sizes)
    if not 2 <= len(sizes) <= MAX_LAYERS + 1:
        raise ValueError(f"layer_sizes needs at least an input size and an output size, and at most "
                         f"{MAX_LAYERS - 1} hidden widths between them (2 to {MAX_LAYERS + 1} entries), "
                         f"got {len(sizes)} entries")
    return [_check_int(f"layer_sizes[{i}] (width of layer {i})", n, 1, high) for i, n in enumerate(sizes)]


def _real_array(name: str, values, dtype) -> np.ndarray:
    """``values`` as a finite array of ``dtype``; booleans, complex numbers, text and NaN/inf are refused."""
    try:
        array = np.asarray(values)
    except (TypeError, ValueError) as exc:  # ragged lists
        raise TypeError(f"{name} must be an array of real numbers: {exc}") from None
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be an array of real numbers, got dtype {array.dtype}")
    array = array.astype(dtype, copy=False)
    if not np.isfinite(array).all():
        raise ValueError(f"{name} holds NaN or infinite values (or numbers too large for {np.dtype(dtype)}); "
                         "every entry must be a finite number")
    return array


def count_params(layer_sizes) -> int:
    """Number of trainable parameters of a dense network: sum over layers of ``n_in * n_out + n_out``.

    Args:
        layer_sizes: ``(n_inputs, width_1, ..., width_L)``; the last entry is the output layer's width.

    Returns:
        The count of weights plus biases (what Keras's ``model.count_params()`` reports).

    Raises:
        TypeError, ValueError: if ``layer_sizes`` is not 2 to ``MAX_LAYERS + 1`` whole numbers >= 1 (any size:
            counting needs no memory, so widths beyond :data:`MAX_WIDTH` are allowed here).

    Example:
        >>> count_params((2, 4, 1))  # (2*4 + 4) + (4*1 + 1)
        17
    """
    sizes = _check_layer_sizes(layer_sizes, high=None)
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def layer_sizes_for(n_inputs: int, depth: int, width: int, n_outputs: int = 1) -> tuple:
    """The layer sizes of a network with ``depth`` hidden layers of ``width`` units each.

    ``depth=0`` gives a network without hidden layers (logistic regression for a sigmoid output).

    Args:
        n_inputs, width, n_outputs: 1 to :data:`MAX_WIDTH` (``width`` is not used when ``depth=0``).
        depth: hidden layers, 0 to ``MAX_LAYERS - 1``.
    """
    _check_int("n_inputs", n_inputs, 1, MAX_WIDTH)
    _check_int("depth", depth, 0, MAX_LAYERS - 1)
    if depth:
        _check_int("width", width, 1, MAX_WIDTH)
    _check_int("n_outputs", n_outputs, 1, MAX_WIDTH)
    return (int(n_inputs), *([int(width)] * int(depth)), int(n_outputs))


# --------------------------------------------------------------------------------------------------
# The network

@dataclass
class History:
    """What :meth:`MLP.fit` recorded, one entry per epoch (lists grow when training continues).

    Attributes:
        train_loss, test_loss: loss on the whole training / test set after each epoch (without the L2
            term, so runs with and without a penalty are comparable). ``test_*`` stay empty without
            test data.
        train_accuracy, test_accuracy: fraction classified correctly (classification only).
        batch_loss: loss of every mini-batch before its update (shows the noise of mini-batches).
        diverged: ``True`` once a loss or a weight became NaN or infinite; training stops there.
        diverged_epoch: the epoch (1-based) in which that happened, or ``None``.
    """

    train_loss: list = field(default_factory=list)
    test_loss: list = field(default_factory=list)
    train_accuracy: list = field(default_factory=list)
    test_accuracy: list = field(default_factory=list)
    batch_loss: list = field(default_factory=list)
    diverged: bool = False
    diverged_epoch: int | None = None

    @property
    def epochs(self) -> int:
        """Number of completed epochs."""
        return len(self.train_loss)


class MLP:
    """A dense feed-forward network in NumPy, written to be read.

    Layer ``l`` (1-based, ``L`` layers in total) computes for a batch ``A[0] = X``::

        Z[l] = A[l-1] @ K[l] + b[l]        # shape (n_examples, layer_sizes[l]); K[l] = weights[l - 1]
        A[l] = f[l](Z[l])

    with the hidden activation for ``l < L`` and the output activation for ``l = L``.

    Args:
        layer_sizes: ``(n_inputs, width_1, ..., n_outputs)``, e.g. ``(2, 8, 8, 1)``: every width from 1 to
            :data:`MAX_WIDTH`, at most :data:`MAX_LAYERS` layers and :data:`MAX_PARAMS` parameters in all.
        hidden_activation: one of :data:`HIDDEN_ACTIVATIONS`.
        output_activation: ``"sigmoid"`` (binary cross-entropy loss), ``"softmax"`` (categorical
            cross-entropy) or ``"linear"`` (mean squared error), see :data:`OUTPUT_ACTIVATIONS`.
        seed: seed of the initialization and of the mini-batch shuffling, 0 to 2**32 - 1; equal seeds give
            equal runs.
        dtype: ``np.float64`` (default; needed for finite-difference checks) or ``np.float32``.

    Attributes:
        weights: the kernels, one array per layer: ``weights[l - 1]`` is layer l's kernel
            ``K^(l) = W^(l)^T``, the **transpose** of the lecture's weight matrix, of shape
            ``(n_in, n_out) = (layer_sizes[l - 1], layer_sizes[l])``, as Keras stores it (a ``Dense``
            layer's ``kernel``); initialized Glorot-uniform as in Keras.
        biases: ``biases[l - 1]`` is layer l's bias vector ``b^(l)``, shape ``(layer_sizes[l],)``,
            initialized to zero.
        history: the :class:`History` of all :meth:`fit` calls since creation.

    Example:
        >>> net = MLP((2, 4, 1), hidden_activation="tanh", seed=0)
        >>> net.count_params()
        17
        >>> net.predict_proba(np.zeros((3, 2))).shape
        (3, 1)
    """

    def __init__(self, layer_sizes, hidden_activation: str = "relu", output_activation: str = "sigmoid",
                 *, seed: int = 0, dtype=np.float64):
        sizes = _check_layer_sizes(layer_sizes)
        n_params = count_params(sizes)
        if n_params > MAX_PARAMS:
            raise ValueError(f"layer_sizes {tuple(sizes)} give {n_params:,} parameters; an MLP may have at most "
                             f"{MAX_PARAMS:,} (MAX_PARAMS): use fewer or narrower layers")
        if hidden_activation not in HIDDEN_ACTIVATIONS:
            raise ValueError(f"hidden_activation must be one of {list(HIDDEN_ACTIVATIONS)}, got {hidden_activation!r}")
        if output_activation not in OUTPUT_ACTIVATIONS:
            raise ValueError(f"output_activation must be one of {list(OUTPUT_ACTIVATIONS)}, got {output_activation!r}")
        if output_activation == "softmax" and sizes[-1] < 2:
            raise ValueError("a softmax output needs at least 2 units (layer_sizes[-1] >= 2); "
                             "use output_activation='sigmoid' for one unit")
        _check_int("seed", seed, 0, 2**32 - 1)
        try:
            self.dtype = np.dtype(dtype)
        except TypeError:
            raise TypeError(f"dtype must be np.float32 or np.float64, got {dtype!r}") from None
        if self.dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be np.float32 or np.float64, got {dtype!r}")
        self.layer_sizes = tuple(int(n) for n in sizes)
        self.hidden_activation = hidden_activation
        self.output_activation = output_activation
        self.loss_name = OUTPUT_ACTIVATIONS[output_activation]
        self.seed = int(seed)
        self._f, self._df = ACTIVATIONS[hidden_activation]
        self._rng = np.random.default_rng(self.seed)
        self.weights: list[np.ndarray] = []
        self.biases: list[np.ndarray] = []
        for n_in, n_out in zip(self.layer_sizes[:-1], self.layer_sizes[1:]):
            limit = math.sqrt(6.0 / (n_in + n_out))  # Glorot (Xavier) uniform, Keras's default for Dense
            self.weights.append(self._rng.uniform(-limit, limit, size=(n_in, n_out)).astype(self.dtype))
            self.biases.append(np.zeros(n_out, dtype=self.dtype))
        self.history = History()

    # ---- description
    @property
    def n_layers(self) -> int:
        """Number of layers with weights (hidden layers plus the output layer)."""
        return len(self.weights)

    def count_params(self) -> int:
        """Number of trainable parameters (weights and biases), as Keras's ``count_params()``."""
        return sum(K.size + b.size for K, b in zip(self.weights, self.biases))

    def __repr__(self) -> str:
        return (f"MLP(layer_sizes={self.layer_sizes}, hidden_activation={self.hidden_activation!r}, "
                f"output_activation={self.output_activation!r}, params={self.count_params()}, "
                f"epochs_trained={self.history.epochs})")

    def copy(self) -> MLP:
        """An independent copy (weights, history and random state)."""
        twin = MLP(self.layer_sizes, self.hidden_activation, self.output_activation, seed=self.seed, dtype=self.dtype)
        twin.weights = [K.copy() for K in self.weights]
        twin.biases = [b.copy() for b in self.biases]
        twin._rng = np.random.default_rng()
        twin._rng.bit_generator.state = self._rng.bit_generator.state
        twin.history = History(**{k: (list(v) if isinstance(v, list) else v) for k, v in vars(self.history).items()})
        return twin

    # ---- data handling
    def _inputs(self, X, name: str = "X", *, min_examples: int = 0) -> np.ndarray:
        """``X`` checked: shape ``(n_examples, n_inputs)``, finite real numbers, at least ``min_examples`` rows."""
        X = _real_array(name, X, self.dtype)
        if X.ndim != 2 or X.shape[1] != self.layer_sizes[0]:
            raise ValueError(f"{name} must have shape (n_examples, {self.layer_sizes[0]}), got {X.shape}")
        if len(X) < min_examples:
            raise ValueError(f"{name} must hold at least {min_examples} example(s), got {len(X)}")
        return X

    def _targets(self, y, n_examples: int, name: str = "y") -> np.ndarray:
        """Targets as a matrix of shape ``(n_examples, n_outputs)`` (integer labels become one-hot).

        Targets must be finite real numbers (booleans count as 0/1 labels); sigmoid targets lie in [0, 1];
        integer labels of a softmax output are whole numbers from 0 to ``n_outputs - 1``.
        """
        try:
            y = np.asarray(y)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{name} must be an array of labels or targets: {exc}") from None
        if y.dtype.kind not in "biuf":
            raise TypeError(f"{name} must be an array of real numbers, got dtype {y.dtype}")
        if y.dtype.kind == "f" and not np.isfinite(y).all():
            raise ValueError(f"{name} holds NaN or infinite values; every target must be a finite number")
        n_out = self.layer_sizes[-1]
        if self.output_activation == "softmax" and y.ndim == 1:
            if y.dtype.kind not in "iu" or y.min(initial=0) < 0 or y.max(initial=0) >= n_out:
                raise ValueError(f"{name} must hold integer labels from 0 to {n_out - 1} for {n_out} softmax outputs")
            y = np.eye(n_out, dtype=self.dtype)[y]
        elif y.ndim == 1:
            y = y[:, None]
        if y.shape != (n_examples, n_out):
            raise ValueError(f"{name} must have shape ({n_examples},) or ({n_examples}, {n_out}), got {y.shape}")
        y = y.astype(self.dtype, copy=False)
        if self.output_activation != "linear" and y.size and (y.min() < 0 or y.max() > 1):
            raise ValueError(f"{name} must hold targets from 0 to 1 for a {self.output_activation} output, got "
                             f"values from {y.min():g} to {y.max():g}")
        return y

    # ---- forward pass
    def forward(self, X) -> tuple[list, list]:
        """Run the network and keep what backpropagation needs.

        Args:
            X: inputs, shape ``(n_examples, n_inputs)``.

        Returns:
            ``(zs, activations)``: ``zs[l]`` is ``Z`` of layer ``l+1`` (shape ``(n_examples,
            layer_sizes[l+1])``); ``activations[0]`` is ``X`` and ``activations[l]`` is ``A`` of layer
            ``l``, so ``activations[-1]`` is the network's output.
        """
        return self._forward(self._inputs(X))

    def _forward(self, a: np.ndarray) -> tuple[list, list]:
        last = len(self.weights) - 1
        zs, activations = [], [a]
        for i, (K, b) in enumerate(zip(self.weights, self.biases)):
            z = a @ K + b
            a = self._output(z) if i == last else self._f(z)
            zs.append(z)
            activations.append(a)
        return zs, activations

    def _output(self, z: np.ndarray) -> np.ndarray:
        if self.output_activation == "sigmoid":
            return sigmoid(z)
        if self.output_activation == "softmax":
            return softmax(z, axis=-1)
        return z

    def logits(self, X) -> np.ndarray:
        """The output layer's pre-activation ``Z[L]``, shape ``(n_examples, n_outputs)``."""
        return self.forward(X)[0][-1]

    def predict_proba(self, X) -> np.ndarray:
        """The network's output ``A[L]``, shape ``(n_examples, n_outputs)`` (probabilities for
        sigmoid and softmax outputs)."""
        return self.forward(X)[1][-1]

    def predict(self, X) -> np.ndarray:
        """Class labels, shape ``(n_examples,)`` (for a sigmoid output with one unit: output > 0.5;
        for softmax: the most probable class). For a linear output: the output itself."""
        out = self.predict_proba(X)
        if self.output_activation == "softmax":
            return out.argmax(axis=1)
        if self.output_activation == "sigmoid" and out.shape[1] == 1:
            return (out[:, 0] > 0.5).astype(int)
        if self.output_activation == "sigmoid":
            return (out > 0.5).astype(int)
        return out

    # ---- loss
    def _data_loss(self, y_true: np.ndarray, y_pred: np.ndarray) -> float:
        """The loss of targets checked by :meth:`_targets` and this network's outputs (which are valid
        probabilities by construction), without the public loss functions' checks: training evaluates it
        after every epoch. Equal to :func:`binary_crossentropy` etc. (tested)."""
        if not np.isfinite(y_pred).all():  # a diverged network: report it, the loss functions would raise
            return math.nan
        if self.loss_name == "binary_crossentropy":
            return float(np.mean(_binary_crossentropy_entries(y_true, y_pred)))
        if self.loss_name == "categorical_crossentropy":
            return float(np.mean(_categorical_crossentropy_samples(y_true, y_pred)))
        return float(np.mean((y_pred - y_true) ** 2))

    def l2_penalty(self, l2: float) -> float:
        """The L2 term ``l2 * sum_l ||K[l]||^2``, the sum of all squared kernel entries (no biases; Keras's
        ``L2(l2)``; the same for ``W^(l)``, whose entries are the same numbers)."""
        return float(l2) * float(sum(np.sum(K * K) for K in self.weights)) if l2 else 0.0

    def loss(self, X, y, l2: float = 0.0) -> float:
        """The training objective: the batch-mean loss of the output activation's pairing
        (:data:`OUTPUT_ACTIVATIONS`) plus the optional L2 penalty.

        Args:
            X: inputs, shape ``(n_examples, n_inputs)``.
            y: targets: shape ``(n_examples,)`` (0/1 labels, class indices, or regression targets)
                or ``(n_examples, n_outputs)``.
            l2: weight of the L2 penalty, 0 to 100.
        """
        X = self._inputs(X, min_examples=1)
        y = self._targets(y, len(X))
        l2 = _check_l2(l2)
        with np.errstate(over="ignore", invalid="ignore"):  # a diverged network's loss is NaN, not a warning
            return self._data_loss(y, self.predict_proba(X)) + self.l2_penalty(l2)

    def accuracy(self, X, y) -> float:
        """Fraction of examples classified correctly (classification outputs only)."""
        if self.output_activation == "linear":
            raise ValueError("accuracy needs a classification output ('sigmoid' or 'softmax')")
        X = self._inputs(X, min_examples=1)
        targets = self._targets(y, len(X))
        predicted = self.predict(X)
        if self.output_activation == "softmax":
            return float(np.mean(predicted == targets.argmax(axis=1)))
        return float(np.mean(predicted.reshape(targets.shape) == targets))

    # ---- backward pass
    def _output_delta(self, y: np.ndarray, z_out: np.ndarray, a_out: np.ndarray) -> np.ndarray:
        """dL/dZ[L] of the batch-mean loss, shape ``(n_examples, n_outputs)``."""
        if self.output_activation == "softmax":
            return softmax_crossentropy_gradient(y, z_out)
        if self.output_activation == "sigmoid":
            # Binary cross-entropy after a sigmoid: dL/dp * dp/dz = (p - y) / (p (1 - p)) * p (1 - p)
            # = (p - y), averaged like Keras (over outputs, then over the batch). Written fused because
            # p (1 - p) underflows to 0 for a saturated unit, where the product form would give 0/0.
            return (a_out - y) / y.size
        return mse_gradient(y, a_out)

    def gradients(self, X, y, l2: float = 0.0) -> tuple[list, list]:
        """Backpropagation: the gradient of :meth:`loss` with respect to every weight and bias.

        Going from the last layer to the first, with ``delta[l] = dL/dZ[l]`` (shape ``(n_examples,
        layer_sizes[l])``)::

            dL/dK[l] = A[l-1].T @ delta[l] + 2 * l2 * K[l]      # shape (n_in, n_out), like K[l]
            dL/db[l] = sum over examples of delta[l]
            delta[l-1] = (delta[l] @ K[l].T) * f'(Z[l-1])

        Returns:
            ``(weight_gradients, bias_gradients)``, lists shaped like :attr:`weights` (kernels) and
            :attr:`biases`.
        """
        X = self._inputs(X, min_examples=1)
        y = self._targets(y, len(X))
        l2 = _check_l2(l2)
        zs, activations = self._forward(X)
        return self._backward(y, zs, activations, l2)

    def _backward(self, y, zs, activations, l2):
        n_layers = len(self.weights)
        weight_grads: list = [None] * n_layers
        bias_grads: list = [None] * n_layers
        delta = self._output_delta(y, zs[-1], activations[-1])
        for i in range(n_layers - 1, -1, -1):
            weight_grads[i] = activations[i].T @ delta
            if l2:
                weight_grads[i] = weight_grads[i] + 2.0 * l2 * self.weights[i]
            bias_grads[i] = delta.sum(axis=0)
            if i > 0:
                delta = (delta @ self.weights[i].T) * self._df(zs[i - 1])
        return weight_grads, bias_grads

    # ---- training
    def sgd_step(self, X, y, learning_rate: float, l2: float = 0.0) -> float:
        """One gradient-descent update ``theta := theta - learning_rate * dL/dtheta`` on one batch.

        Returns:
            The batch's loss **before** the update (data term only).
        """
        learning_rate = _check_learning_rate(learning_rate)
        X = self._inputs(X, min_examples=1)
        y = self._targets(y, len(X))
        l2 = _check_l2(l2)
        with np.errstate(over="ignore", invalid="ignore"):  # a too large step diverges to NaN, as in fit
            return self._step(X, y, learning_rate, l2, with_loss=True)

    def _step(self, X, y, learning_rate, l2, with_loss=False) -> float:
        zs, activations = self._forward(X)
        batch_loss = self._data_loss(y, activations[-1]) if with_loss else math.nan
        weight_grads, bias_grads = self._backward(y, zs, activations, l2)
        for K, b, dK, db in zip(self.weights, self.biases, weight_grads, bias_grads):
            dK *= learning_rate
            K -= dK
            db *= learning_rate
            b -= db
        return batch_loss

    def fit(self, X, y, *, epochs: int, learning_rate: float, batch_size: int = 32, l2: float = 0.0,
            test_data=None, record_batches: bool = False) -> History:
        """Train with mini-batch stochastic gradient descent (SGD), continuing from the current weights.

        Each epoch shuffles the training set (with the network's seeded generator) and visits it once in
        batches of ``batch_size`` examples (the last batch may be smaller), as Keras's ``fit`` does.
        Training stops early, with ``history.diverged = True``, when a loss or weight stops being finite: the
        learning rate was too large. Data that cannot be trained on (empty, NaN, infinite, wrong shape)
        raises a ``ValueError`` naming it instead.

        Args:
            X: training inputs, shape ``(n_examples, n_inputs)``, at least one example, finite numbers.
            y: training targets, shape ``(n_examples,)`` or ``(n_examples, n_outputs)``.
            epochs: number of passes over the training set, 0 to :data:`MAX_EPOCHS`.
            learning_rate: the learning rate (the lecture's varepsilon), the step size of gradient
                descent, in (0, 1000].
            batch_size: examples per update, 1 to 1,000,000 (larger than the training set means full batch).
            l2: weight of the L2 penalty on the weights, 0 to 100.
            test_data: optional ``(X_test, y_test)``, evaluated after every epoch.
            record_batches: also record every mini-batch's loss in ``history.batch_loss``.

        Returns:
            :attr:`history` (the same object, extended by this call).
        """
        epochs = _check_int("epochs", epochs, 0, MAX_EPOCHS)
        learning_rate = _check_learning_rate(learning_rate)
        batch_size = _check_int("batch_size", batch_size, 1, 1_000_000)
        l2 = _check_l2(l2)
        record_batches = _check_bool("record_batches", record_batches)
        X = self._inputs(X, min_examples=1)
        y = self._targets(y, len(X))
        X_all = X
        if test_data is not None:
            X_test, y_test = self._test_data(test_data)
            X_all = np.concatenate([X, X_test])
        history = self.history
        if history.diverged:
            return history
        n = len(X)
        classify = self.output_activation != "linear"
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            for _ in range(epochs):
                order = self._rng.permutation(n)
                X_epoch, y_epoch = X[order], y[order]  # shuffled once; the batches are then cheap slices
                for start in range(0, n, batch_size):
                    batch_loss = self._step(X_epoch[start:start + batch_size], y_epoch[start:start + batch_size],
                                            learning_rate, l2, with_loss=record_batches)
                    if record_batches:
                        history.batch_loss.append(batch_loss)
                # one forward pass evaluates both sets (cheaper than two for the playground's small sets)
                out = self._forward(X_all)[1][-1]
                out_train, out_test = out[:n], out[n:]
                history.train_loss.append(self._data_loss(y, out_train))
                if classify:
                    history.train_accuracy.append(self._accuracy_from_output(out_train, y))
                if test_data is not None:
                    history.test_loss.append(self._data_loss(y_test, out_test))
                    if classify:
                        history.test_accuracy.append(self._accuracy_from_output(out_test, y_test))
                if not (math.isfinite(history.train_loss[-1]) and all(np.isfinite(K).all() for K in self.weights)):
                    history.diverged = True
                    history.diverged_epoch = history.epochs
                    break
        return history

    def _test_data(self, test_data) -> tuple[np.ndarray, np.ndarray]:
        """``test_data`` checked: a pair ``(X_test, y_test)`` of at least one example."""
        if not (isinstance(test_data, (tuple, list)) and len(test_data) == 2):
            raise TypeError(f"test_data must be a pair (X_test, y_test) or None, got {type(test_data).__name__}")
        X_test = self._inputs(test_data[0], "test_data[0] (X_test)", min_examples=1)
        return X_test, self._targets(test_data[1], len(X_test), "test_data[1] (y_test)")

    def _accuracy_from_output(self, out: np.ndarray, y: np.ndarray) -> float:
        if self.output_activation == "softmax":
            return np.count_nonzero(out.argmax(axis=1) == y.argmax(axis=1)) / len(y)
        return np.count_nonzero((out > 0.5) == (y > 0.5)) / y.size

    # ---- Keras
    def keras_code(self, learning_rate: float = 0.01, l2: float = 0.0) -> str:
        """Python code that builds and compiles the equivalent Keras model (same layers, activations,
        initialization scheme, loss, optimizer and L2 penalty) and binds it to the name ``model``."""
        learning_rate = _check_learning_rate(learning_rate)
        l2 = _check_l2(l2)
        reg = f", kernel_regularizer=keras.regularizers.L2({l2:g})" if l2 else ""
        lines = ["import keras", "", "model = keras.Sequential([", f"    keras.Input(shape=({self.layer_sizes[0]},)),"]
        for width in self.layer_sizes[1:-1]:
            lines.append(f'    keras.layers.Dense({width}, activation="{self.hidden_activation}"{reg}),')
        lines.append(f'    keras.layers.Dense({self.layer_sizes[-1]}, activation="{self.output_activation}"{reg}),')
        lines.append("])")
        metrics = ', metrics=["accuracy"]' if self.output_activation != "linear" else ""
        lines.append(f'model.compile(optimizer=keras.optimizers.SGD(learning_rate={learning_rate:g}), '
                     f'loss="{self.loss_name}"{metrics})')
        lines.append(f"# model.count_params() == {self.count_params()}")
        return "\n".join(lines)

    def to_keras(self, learning_rate: float = 0.01, l2: float = 0.0, dtype: str | None = None):
        """A compiled Keras ``Sequential`` model of the same shape, holding copies of these weights.

        The model is built by executing :meth:`keras_code`, so the printed code and this model agree.

        Args:
            learning_rate, l2: as for :meth:`keras_code`.
            dtype: ``None`` uses Keras's current dtype policy (normally ``"float32"``); ``"float64"``
                builds a double-precision model, for exact comparisons with this network.
        """
        import keras

        previous_policy, previous_floatx = keras.config.dtype_policy(), keras.config.floatx()
        if dtype is not None:  # the layers follow the dtype policy, keras.Input follows floatx
            keras.config.set_dtype_policy(dtype)
            keras.config.set_floatx(dtype)
        try:
            namespace: dict = {}
            exec(self.keras_code(learning_rate, l2), namespace)  # noqa: S102 (our own generated code)
            model = namespace["model"]
        finally:
            keras.config.set_dtype_policy(previous_policy)
            keras.config.set_floatx(previous_floatx)
        self.copy_weights_to_keras(model)
        return model

    def copy_weights_to_keras(self, model) -> None:
        """Copy these weights into a Keras model with Dense layers of the same shapes."""
        dense = _dense_layers(model)
        if len(dense) != self.n_layers:
            raise ValueError(f"the Keras model has {len(dense)} Dense layers, this MLP has {self.n_layers}")
        for layer, K, b in zip(dense, self.weights, self.biases):
            kernel, bias = layer.get_weights()
            if kernel.shape != K.shape or bias.shape != b.shape:
                raise ValueError(f"layer {layer.name!r} has kernel shape {kernel.shape}, the MLP has {K.shape}")
            layer.set_weights([K.astype(kernel.dtype), b.astype(bias.dtype)])

    @classmethod
    def from_keras(cls, model, *, seed: int = 0, dtype=np.float64) -> MLP:
        """An MLP with the layer sizes, activations and weights of a Keras model made of Dense layers."""
        dense = _dense_layers(model)
        if not dense:
            raise ValueError("the Keras model has no Dense layers")
        names = [layer.get_config()["activation"] for layer in dense]
        hidden = set(names[:-1]) or {"relu"}
        if len(hidden) != 1:
            raise ValueError(f"every hidden layer must use the same activation, got {names[:-1]}")
        sizes = [dense[0].get_weights()[0].shape[0]] + [layer.get_weights()[0].shape[1] for layer in dense]
        net = cls(sizes, hidden.pop(), names[-1], seed=seed, dtype=dtype)
        for i, layer in enumerate(dense):
            kernel, bias = layer.get_weights()
            net.weights[i] = np.array(kernel, dtype=net.dtype)
            net.biases[i] = np.array(bias, dtype=net.dtype)
        return net


class TrainingRun:
    """One network trained on fixed data with fixed settings, which can be moved to any epoch.

    :meth:`train_to` trains forward, or goes back: it restores the latest saved state at or before the
    target (weights, biases and the shuffling generator's state, saved every ``save_every`` epochs) and
    trains the rest. So after ``train_to(n)`` the network is exactly the one that ``n`` epochs of
    :meth:`MLP.fit` from the starting network give, whatever path led there. The playground animates
    training with it: each frame trains a few epochs forward; lowering the epoch budget goes back.

    Args:
        net: the network at the start of the run (the run trains it in place; usually fresh weights).
        X: training inputs, shape ``(n_examples, n_inputs)``.
        y: training targets, shape ``(n_examples,)`` or ``(n_examples, n_outputs)``.
        learning_rate, batch_size, l2, test_data: as for :meth:`MLP.fit`, the same for the whole run.
        save_every: epochs between saved states (memory: one copy of the weights each).

    Attributes:
        net: the network; ``net.history`` holds one entry per epoch up to :attr:`epoch`.
        start_epoch: the epoch the run started at (``net.history.epochs`` when it was created).

    Example:
        >>> X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
        >>> run = TrainingRun(MLP((2, 3, 1), seed=0), X, [1, 1, 0, 0], learning_rate=0.5, batch_size=2)
        >>> run.train_to(30), run.train_to(12), run.epoch
        (30, 12, 12)
    """

    def __init__(self, net: MLP, X, y, *, learning_rate: float, batch_size: int = 32, l2: float = 0.0,
                 test_data=None, save_every: int = 5):
        if not isinstance(net, MLP):
            raise TypeError(f"net must be an MLP, got {type(net).__name__}")
        self.net = net
        self._X = net._inputs(X, min_examples=1)
        self._y = np.asarray(y)
        net._targets(self._y, len(self._X))  # check the data now rather than at the first frame
        if test_data is not None:
            net._test_data(test_data)
        self._settings = {"learning_rate": _check_learning_rate(learning_rate),
                          "batch_size": _check_int("batch_size", batch_size, 1, 1_000_000), "l2": _check_l2(l2),
                          "test_data": test_data}
        self.save_every = _check_int("save_every", save_every, 1, MAX_EPOCHS)
        self.start_epoch = net.history.epochs
        self._saved = {self.start_epoch: self._state()}

    @property
    def epoch(self) -> int:
        """Epochs trained so far (for a diverged run: the epoch in which it diverged)."""
        return self.net.history.epochs

    @property
    def diverged(self) -> bool:
        """Whether the run diverged (it cannot go past :attr:`epoch` then, only back)."""
        return self.net.history.diverged

    def _curves(self) -> tuple:
        h = self.net.history
        return h.train_loss, h.test_loss, h.train_accuracy, h.test_accuracy, h.batch_loss

    def _state(self):
        net = self.net
        return ([K.copy() for K in net.weights], [b.copy() for b in net.biases], net._rng.bit_generator.state,
                [len(curve) for curve in self._curves()])

    def _restore(self, epoch: int) -> None:
        weights, biases, rng_state, lengths = self._saved[epoch]
        net = self.net
        net.weights = [K.copy() for K in weights]
        net.biases = [b.copy() for b in biases]
        net._rng.bit_generator.state = rng_state
        for curve, length in zip(self._curves(), lengths):
            del curve[length:]
        net.history.diverged, net.history.diverged_epoch = False, None

    def train_to(self, epoch: int) -> int:
        """Train forward or go back until the network is the one after ``epoch`` epochs.

        A run that diverges stops there (then :attr:`diverged` is true and :attr:`epoch` is smaller than
        asked for).

        Args:
            epoch: the target, from ``start_epoch`` to ``start_epoch + MAX_EPOCHS``.

        Returns:
            :attr:`epoch` afterwards.
        """
        epoch = _check_int("epoch", epoch, self.start_epoch, self.start_epoch + MAX_EPOCHS)
        if epoch < self.epoch:
            self._restore(max(e for e in self._saved if e <= epoch))
        while self.epoch < epoch and not self.diverged:
            # train up to the next multiple of save_every, where the state is saved for going back later
            stop = min(epoch, (self.epoch // self.save_every + 1) * self.save_every)
            self.net.fit(self._X, self._y, epochs=stop - self.epoch, **self._settings)
            if not self.diverged and self.epoch % self.save_every == 0:
                self._saved.setdefault(self.epoch, self._state())
        return self.epoch


def _dense_layers(model) -> list:
    import keras

    others = [layer for layer in model.layers if not isinstance(layer, keras.layers.Dense)]
    if others:
        raise ValueError(f"only Dense layers can be copied, the model also has {[type(x).__name__ for x in others]}")
    return list(model.layers)


"""A small multi-layer perceptron (MLP) in NumPy: forward pass, backpropagation, mini-batch training.

Notebook: ``05_training_an_mlp.ipynb``.

The notebook builds a dense network, trains it by gradient descent with backpropagation, and compares
every number with Keras/TensorFlow. This module holds the network:

* :class:`MLP`: a readable NumPy network (forward pass, loss, backward pass, mini-batch SGD, seeded
  Glorot initialization) whose weights copy to and from a Keras ``Sequential`` model of the same shape
  (:meth:`MLP.to_keras`, :meth:`MLP.from_keras`, :meth:`MLP.keras_code`).
* :class:`TrainingRun`: one network trained on fixed data with fixed settings, which can be moved to
  any epoch (forward by training, backward by rewinding to a saved state); the playground animates it.
* :func:`numerical_gradients` (finite differences) and :func:`keras_gradients` (TensorFlow's
  ``GradientTape``) to check backpropagation; :func:`keras_timer` to see where Keras's training time goes.
* :func:`count_params`, :func:`layer_sizes_for` and the "Your turn" checkers :func:`check_param_count`
  (parameters), :func:`check_backprop_gradients` (backpropagation by hand), :func:`check_update_count`
  (epochs and mini-batches) and :func:`check_bias_variance` (diagnosing bias and variance), each with its
  reference solution.

The notebook's other two topics have their own modules: :mod:`course_utils.playground_data` (the
two-feature datasets, including one of real recordings) and :mod:`course_utils.loss_surfaces` (gradient
descent on two-parameter loss surfaces, and its checkers).

Conventions (the same as Keras): a batch of inputs is a matrix ``X`` of shape ``(n_examples, n_inputs)``
with one example per **row**, so layer l computes ``Z = A_prev @ K + b`` with the *kernel* ``K`` of shape
``(n_in, n_out)``, as Keras stores it. The lecture writes one example as a column,
``z^(l) = W^(l) a^(l-1) + b^(l)``, with the weight matrix ``W^(l)`` of shape ``(n_out, n_in)`` (row j holds
unit j's weights): the kernel is its transpose, ``K^(l) = W^(l)^T``. :attr:`MLP.weights` holds the kernels:
``weights[l - 1]`` is ``K^(l)`` of layer l (1-based), never ``W^(l)`` itself.
"""

from __future__ import annotations

import math
import reprlib
from dataclasses import dataclass, field

import numpy as np

from course_utils.activations import (
    ACTIVATIONS,
    _binary_crossentropy_entries,
    _categorical_crossentropy_samples,
    mse_gradient,
    sigmoid,
    softmax,
    softmax_crossentropy_gradient,
)
from course_utils.checks import Check, as_number, check_number, right, wrong

__all__ = [
    "HIDDEN_ACTIVATIONS",
    "OUTPUT_ACTIVATIONS",
    "MLP",
    "History",
    "TrainingRun",
    "count_params",
    "layer_sizes_for",
    "numerical_gradients",
    "keras_gradients",
    "keras_timer",
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

#: Activations allowed in hidden layers (names as in Keras).
HIDDEN_ACTIVATIONS = ("relu", "selu", "tanh", "sigmoid", "linear")
#: Output activations and the loss each one is trained with (the lecture's pairing).
OUTPUT_ACTIVATIONS = {
    "sigmoid": "binary_crossentropy",  # binary or multi-label classification
    "softmax": "categorical_crossentropy",  # multi-class classification
    "linear": "mse",  # regression
}


# --------------------------------------------------------------------------------------------------
# Validation helpers

def _check_int(name: str, value, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < low or (high is not None and value > high):
        allowed = f"from {low} to {high}" if high is not None else f">= {low}"
        raise ValueError(f"{name} must be an integer {allowed}, got {value}")
    return int(value)


def _check_learning_rate(learning_rate) -> float:
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, (int, float, np.integer, np.floating)):
        raise TypeError(f"learning_rate must be a positive number, got {learning_rate!r}")
    if not (math.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"learning_rate must be a positive finite number (e.g. 0.01), got {learning_rate}")
    return float(learning_rate)


def _check_l2(l2) -> float:
    if isinstance(l2, bool) or not isinstance(l2, (int, float, np.integer, np.floating)):
        raise TypeError(f"l2 must be a number >= 0, got {l2!r}")
    if not (math.isfinite(l2) and l2 >= 0):
        raise ValueError(f"l2 must be a finite number >= 0 (0 switches the penalty off), got {l2}")
    return float(l2)


def count_params(layer_sizes) -> int:
    """Number of trainable parameters of a dense network: sum over layers of ``n_in * n_out + n_out``.

    Args:
        layer_sizes: ``(n_inputs, width_1, ..., width_L)``; the last entry is the output layer's width.

    Returns:
        The count of weights plus biases (what Keras's ``model.count_params()`` reports).

    Example:
        >>> count_params((2, 4, 1))  # (2*4 + 4) + (4*1 + 1)
        17
    """
    sizes = [_check_int(f"layer_sizes[{i}]", n, 1) for i, n in enumerate(layer_sizes)]
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes needs at least an input size and an output size, got {list(layer_sizes)}")
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def layer_sizes_for(n_inputs: int, depth: int, width: int, n_outputs: int = 1) -> tuple:
    """The layer sizes of a network with ``depth`` hidden layers of ``width`` units each.

    ``depth=0`` gives a network without hidden layers (logistic regression for a sigmoid output).
    """
    _check_int("n_inputs", n_inputs, 1)
    _check_int("depth", depth, 0)
    if depth:
        _check_int("width", width, 1)
    _check_int("n_outputs", n_outputs, 1)
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
        layer_sizes: ``(n_inputs, width_1, ..., n_outputs)``, e.g. ``(2, 8, 8, 1)``.
        hidden_activation: one of :data:`HIDDEN_ACTIVATIONS`.
        output_activation: ``"sigmoid"`` (binary cross-entropy loss), ``"softmax"`` (categorical
            cross-entropy) or ``"linear"`` (mean squared error), see :data:`OUTPUT_ACTIVATIONS`.
        seed: seed of the initialization and of the mini-batch shuffling; equal seeds give equal runs.
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
        sizes = list(layer_sizes)
        if len(sizes) < 2:
            raise ValueError(f"layer_sizes needs at least an input size and an output size, got {sizes}")
        for i, n in enumerate(sizes):
            _check_int(f"layer_sizes[{i}] (width of layer {i})", n, 1)
        if hidden_activation not in HIDDEN_ACTIVATIONS:
            raise ValueError(f"hidden_activation must be one of {list(HIDDEN_ACTIVATIONS)}, got {hidden_activation!r}")
        if output_activation not in OUTPUT_ACTIVATIONS:
            raise ValueError(f"output_activation must be one of {list(OUTPUT_ACTIVATIONS)}, got {output_activation!r}")
        if output_activation == "softmax" and sizes[-1] < 2:
            raise ValueError("a softmax output needs at least 2 units (layer_sizes[-1] >= 2); "
                             "use output_activation='sigmoid' for one unit")
        _check_int("seed", seed, 0, 2**32 - 1)
        self.dtype = np.dtype(dtype)
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
    def _inputs(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=self.dtype)
        if X.ndim != 2 or X.shape[1] != self.layer_sizes[0]:
            raise ValueError(f"X must have shape (n_examples, {self.layer_sizes[0]}), got {X.shape}")
        return X

    def _targets(self, y, n_examples: int) -> np.ndarray:
        """Targets as a matrix of shape ``(n_examples, n_outputs)`` (integer labels become one-hot)."""
        y = np.asarray(y)
        n_out = self.layer_sizes[-1]
        if self.output_activation == "softmax" and y.ndim == 1:
            if not np.issubdtype(y.dtype, np.integer) or y.min(initial=0) < 0 or y.max(initial=0) >= n_out:
                raise ValueError(f"integer labels y must lie in 0..{n_out - 1} for {n_out} softmax outputs")
            y = np.eye(n_out, dtype=self.dtype)[y]
        elif y.ndim == 1:
            y = y[:, None]
        if y.shape != (n_examples, n_out):
            raise ValueError(f"y must have shape ({n_examples},) or ({n_examples}, {n_out}), got {y.shape}")
        return y.astype(self.dtype, copy=False)

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
            l2: weight of the L2 penalty (``>= 0``).
        """
        X = self._inputs(X)
        y = self._targets(y, len(X))
        l2 = _check_l2(l2)
        return self._data_loss(y, self.predict_proba(X)) + self.l2_penalty(l2)

    def accuracy(self, X, y) -> float:
        """Fraction of examples classified correctly (classification outputs only)."""
        if self.output_activation == "linear":
            raise ValueError("accuracy needs a classification output ('sigmoid' or 'softmax')")
        X = self._inputs(X)
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
        X = self._inputs(X)
        y = self._targets(y, len(X))
        l2 = _check_l2(l2)
        zs, activations = self.forward(X)
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
        X = self._inputs(X)
        y = self._targets(y, len(X))
        return self._step(X, y, learning_rate, _check_l2(l2), with_loss=True)

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
        Training stops early, with ``history.diverged = True``, when a loss or weight stops being finite.

        Args:
            X: training inputs, shape ``(n_examples, n_inputs)``.
            y: training targets, shape ``(n_examples,)`` or ``(n_examples, n_outputs)``.
            epochs: number of passes over the training set (``>= 0``).
            learning_rate: the learning rate (the lecture's varepsilon), the step size of gradient
                descent (``> 0``).
            batch_size: examples per update (``>= 1``; larger than the training set means full batch).
            l2: weight of the L2 penalty on the weights (``>= 0``).
            test_data: optional ``(X_test, y_test)``, evaluated after every epoch.
            record_batches: also record every mini-batch's loss in ``history.batch_loss``.

        Returns:
            :attr:`history` (the same object, extended by this call).
        """
        epochs = _check_int("epochs", epochs, 0)
        learning_rate = _check_learning_rate(learning_rate)
        batch_size = _check_int("batch_size", batch_size, 1)
        l2 = _check_l2(l2)
        X = self._inputs(X)
        y = self._targets(y, len(X))
        X_all = X
        if test_data is not None:
            X_test = self._inputs(test_data[0])
            y_test = self._targets(test_data[1], len(X_test))
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
        self.net = net
        self._X = net._inputs(X)
        self._y = np.asarray(y)
        net._targets(self._y, len(self._X))  # check the shape now rather than at the first frame
        self._settings = {"learning_rate": _check_learning_rate(learning_rate),
                          "batch_size": _check_int("batch_size", batch_size, 1), "l2": _check_l2(l2),
                          "test_data": test_data}
        self.save_every = _check_int("save_every", save_every, 1)
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
            epoch: the target, ``>= start_epoch``.

        Returns:
            :attr:`epoch` afterwards.
        """
        epoch = _check_int("epoch", epoch, self.start_epoch)
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


# --------------------------------------------------------------------------------------------------
# Checking gradients

def numerical_gradients(net: MLP, X, y, l2: float = 0.0, h: float = 1e-6) -> tuple[list, list]:
    """Central finite differences ``(L(theta + h) - L(theta - h)) / (2 h)`` for every parameter.

    Slow (two forward passes per parameter) and only as exact as the step ``h`` allows: use float64 and
    small networks. It is the independent reference that :meth:`MLP.gradients` is checked against.
    (The step is ``h`` as in the notebook, not ``eps``: that name is the normalization constant.)

    Returns:
        ``(weight_gradients, bias_gradients)`` shaped like ``net.weights`` and ``net.biases``.
    """
    if isinstance(h, bool) or not (isinstance(h, (int, float)) and h > 0):
        raise ValueError(f"h must be a positive number, got {h!r}")
    result = []
    for params in (net.weights, net.biases):
        grads = []
        for p in params:
            g = np.zeros_like(p)
            flat, gflat = p.reshape(-1), g.reshape(-1)
            for k in range(flat.size):
                original = flat[k]
                flat[k] = original + h
                up = net.loss(X, y, l2)
                flat[k] = original - h
                down = net.loss(X, y, l2)
                flat[k] = original
                gflat[k] = (up - down) / (2 * h)
            grads.append(g)
        result.append(grads)
    return result[0], result[1]


def keras_gradients(model, X, y, l2: float = 0.0) -> tuple[float, list, list]:
    """TensorFlow's loss and gradients for a Keras model built by :meth:`MLP.to_keras`.

    The loss is the model's compiled loss function (batch mean) plus ``l2 * sum ||K||^2`` (the kernels), differentiated
    with ``tf.GradientTape``.

    Returns:
        ``(loss, weight_gradients, bias_gradients)`` as NumPy arrays in the MLP's layout.
    """
    import keras
    import tensorflow as tf

    dense = _dense_layers(model)
    dtype = dense[0].kernel.dtype
    X = tf.convert_to_tensor(np.asarray(X), dtype=dtype)
    y = np.asarray(y)
    output_activation = dense[-1].get_config()["activation"]
    if output_activation == "softmax" and y.ndim == 1:
        y = np.eye(dense[-1].units)[y]
    elif y.ndim == 1:
        y = y[:, None]
    y = tf.convert_to_tensor(y, dtype=dtype)
    loss_class = {"sigmoid": keras.losses.BinaryCrossentropy, "softmax": keras.losses.CategoricalCrossentropy,
                  "linear": keras.losses.MeanSquaredError}[output_activation]
    loss_fn = loss_class(dtype=dtype)  # a Keras loss computes in float32 unless told otherwise
    variables = [v for layer in dense for v in (layer.kernel, layer.bias)]
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(X))
        if l2:
            loss = loss + l2 * tf.add_n([tf.reduce_sum(tf.square(layer.kernel)) for layer in dense])
    grads = [g.numpy() for g in tape.gradient(loss, [v.value for v in variables])]
    return float(loss.numpy()), grads[0::2], grads[1::2]


def keras_timer():
    """A Keras callback that times ``fit``: every epoch, every training batch and every validation pass.

    Notebook 05 uses it to show where Keras's time goes for a tiny network: the first training batch and
    the first validation pass trace their steps into TensorFlow graphs (once per model), and every epoch
    has a fixed cost beyond its batches.

    Returns:
        A ``keras.callbacks.Callback`` for ``model.fit(..., callbacks=[timer])``. After the fit, its lists
        ``epoch_ms`` (one entry per epoch, validation included), ``batch_ms`` (one per training batch, in
        order) and ``validation_ms`` (one per validation pass) hold wall times in milliseconds.
    """
    import time

    import keras

    class KerasTimer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.epoch_ms, self.batch_ms, self.validation_ms = [], [], []
            self._started = {}

        def _start(self, what):
            self._started[what] = time.perf_counter()

        def _stop(self, what, into):
            into.append(1000 * (time.perf_counter() - self._started.pop(what)))

        def on_epoch_begin(self, epoch, logs=None):
            self._start("epoch")

        def on_epoch_end(self, epoch, logs=None):
            self._stop("epoch", self.epoch_ms)

        def on_train_batch_begin(self, batch, logs=None):
            self._start("batch")

        def on_train_batch_end(self, batch, logs=None):
            self._stop("batch", self.batch_ms)

        def on_test_begin(self, logs=None):
            self._start("validation")

        def on_test_end(self, logs=None):
            self._stop("validation", self.validation_ms)

    return KerasTimer()


# --------------------------------------------------------------------------------------------------
# "Your turn" checkers (each never raises, whatever the answer)

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

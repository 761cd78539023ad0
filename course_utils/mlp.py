"""A small multi-layer perceptron (MLP) in NumPy, the data of the playground, and gradient descent in 2-D.

Notebook: ``05_training_an_mlp.ipynb``.

The notebook builds a dense network, trains it by gradient descent with backpropagation, and compares
every number with Keras/TensorFlow. This module holds what it needs:

* :class:`MLP`: a readable NumPy network (forward pass, loss, backward pass, mini-batch SGD, seeded
  Glorot initialization) whose weights copy to and from a Keras ``Sequential`` model of the same shape
  (:meth:`MLP.to_keras`, :meth:`MLP.from_keras`, :meth:`MLP.keras_code`).
* :func:`numerical_gradients` (finite differences) and :func:`keras_gradients` (TensorFlow's
  ``GradientTape``) to check backpropagation.
* :func:`make_dataset` and :func:`train_test_split`: the playground's two-feature datasets (circle, XOR,
  Gaussian blobs, spiral, and two MFCC means of real FSDD recordings).
* :func:`gradient_descent` on two-parameter loss surfaces (:data:`SURFACES`: a convex line fit and a
  non-convex double well with a saddle).
* The "Your turn" checkers :func:`check_param_count`, :func:`check_gradient_step` and
  :func:`check_learning_rate`.

Conventions (the same as Keras): a batch of inputs is a matrix ``X`` of shape ``(n_examples, n_inputs)``
with one example per **row**, so layer l computes ``Z = A_prev @ W + b`` with ``W`` of shape
``(n_inputs_of_layer, n_units)`` (Keras's *kernel*). For one example as a column vector ``a`` this is
``z = W^T a + b``; the lecture writes it as ``z^(l) = W^(l) a^(l-1) + b^(l)``, where its weight matrix
``W^(l)``, of shape ``(n_units, n_inputs_of_layer)``, is the transpose of the kernel.
"""

from __future__ import annotations

import math
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
from course_utils.checks import Check, check_number, right, wrong

__all__ = [
    "HIDDEN_ACTIVATIONS",
    "OUTPUT_ACTIVATIONS",
    "DATASETS",
    "SURFACES",
    "MLP",
    "History",
    "DescentPath",
    "count_params",
    "layer_sizes_for",
    "numerical_gradients",
    "keras_gradients",
    "make_dataset",
    "audio_features",
    "train_test_split",
    "gradient_descent",
    "check_param_count",
    "check_gradient_step",
    "check_learning_rate",
    "GRADIENT_STEP_EXERCISE",
    "LEARNING_RATE_EXERCISE",
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

    Layer ``l`` (1-based, ``L`` layers in total) computes for a batch ``A0 = X``::

        Z[l] = A[l-1] @ W[l] + b[l]        # shape (n_examples, layer_sizes[l])
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
        weights: list of arrays, ``weights[i]`` has shape ``(layer_sizes[i], layer_sizes[i+1])``
            (Keras's ``kernel``), initialized Glorot-uniform as in Keras.
        biases: list of arrays, ``biases[i]`` has shape ``(layer_sizes[i+1],)``, initialized to zero.
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
        return sum(W.size + b.size for W, b in zip(self.weights, self.biases))

    def __repr__(self) -> str:
        return (f"MLP(layer_sizes={self.layer_sizes}, hidden_activation={self.hidden_activation!r}, "
                f"output_activation={self.output_activation!r}, params={self.count_params()}, "
                f"epochs_trained={self.history.epochs})")

    def copy(self) -> MLP:
        """An independent copy (weights, history and random state)."""
        twin = MLP(self.layer_sizes, self.hidden_activation, self.output_activation, seed=self.seed, dtype=self.dtype)
        twin.weights = [W.copy() for W in self.weights]
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
        for i, (W, b) in enumerate(zip(self.weights, self.biases)):
            z = a @ W + b
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
        """The L2 term ``l2 * sum_l ||W[l]||^2`` (weights only, no biases; Keras's ``L2(l2)``)."""
        return float(l2) * float(sum(np.sum(W * W) for W in self.weights)) if l2 else 0.0

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

            dL/dW[l] = A[l-1].T @ delta[l] + 2 * l2 * W[l]
            dL/db[l] = sum over examples of delta[l]
            delta[l-1] = (delta[l] @ W[l].T) * f'(Z[l-1])

        Returns:
            ``(weight_gradients, bias_gradients)``, lists shaped like :attr:`weights` and :attr:`biases`.
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
        for W, b, dW, db in zip(self.weights, self.biases, weight_grads, bias_grads):
            dW *= learning_rate
            W -= dW
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
            learning_rate: the step size epsilon of gradient descent (``> 0``).
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
                if not (math.isfinite(history.train_loss[-1]) and all(np.isfinite(W).all() for W in self.weights)):
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
        for layer, W, b in zip(dense, self.weights, self.biases):
            kernel, bias = layer.get_weights()
            if kernel.shape != W.shape or bias.shape != b.shape:
                raise ValueError(f"layer {layer.name!r} has kernel shape {kernel.shape}, the MLP has {W.shape}")
            layer.set_weights([W.astype(kernel.dtype), b.astype(bias.dtype)])

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


def _dense_layers(model) -> list:
    import keras

    others = [layer for layer in model.layers if not isinstance(layer, keras.layers.Dense)]
    if others:
        raise ValueError(f"only Dense layers can be copied, the model also has {[type(x).__name__ for x in others]}")
    return list(model.layers)


# --------------------------------------------------------------------------------------------------
# Checking gradients

def numerical_gradients(net: MLP, X, y, l2: float = 0.0, eps: float = 1e-6) -> tuple[list, list]:
    """Central finite differences ``(L(theta + eps) - L(theta - eps)) / (2 eps)`` for every parameter.

    Slow (two forward passes per parameter) and only as exact as ``eps`` allows: use float64 and small
    networks. It is the independent reference that :meth:`MLP.gradients` is checked against.

    Returns:
        ``(weight_gradients, bias_gradients)`` shaped like ``net.weights`` and ``net.biases``.
    """
    if not (isinstance(eps, (int, float)) and eps > 0):
        raise ValueError(f"eps must be a positive number, got {eps!r}")
    result = []
    for params in (net.weights, net.biases):
        grads = []
        for p in params:
            g = np.zeros_like(p)
            flat, gflat = p.reshape(-1), g.reshape(-1)
            for k in range(flat.size):
                original = flat[k]
                flat[k] = original + eps
                up = net.loss(X, y, l2)
                flat[k] = original - eps
                down = net.loss(X, y, l2)
                flat[k] = original
                gflat[k] = (up - down) / (2 * eps)
            grads.append(g)
        result.append(grads)
    return result[0], result[1]


def keras_gradients(model, X, y, l2: float = 0.0) -> tuple[float, list, list]:
    """TensorFlow's loss and gradients for a Keras model built by :meth:`MLP.to_keras`.

    The loss is the model's compiled loss function (batch mean) plus ``l2 * sum ||W||^2``, differentiated
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


# --------------------------------------------------------------------------------------------------
# Data for the playground

#: Datasets of :func:`make_dataset`; each has two features and two classes.
DATASETS = ("circle", "xor", "blobs", "spiral", "audio")

#: The audio dataset: FSDD recordings of these two digits, described by the mean over frames of
#: these two MFCCs (coefficient 0 is overall loudness, so 1 and 2 describe the spectral shape).
AUDIO_DIGITS = (0, 6)
AUDIO_MFCCS = (1, 2)
_AUDIO_CACHE: dict = {}


def audio_features(digits=AUDIO_DIGITS, mfccs=AUDIO_MFCCS) -> tuple[np.ndarray, np.ndarray]:
    """Two features of every FSDD recording of two digits: the means over frames of two MFCCs.

    MFCCs (:func:`course_utils.representations.mfcc_frames`) use a 32 ms block (256 samples at 8 kHz),
    a 16 ms hop and 40 mel bands. The result is
    computed once per process and cached, so later calls (every slider move) are instant.

    Args:
        digits: the two digits (0-9) to tell apart.
        mfccs: the two MFCC indices (0-12) to use as features.

    Returns:
        ``(features, labels)``: features of shape ``(n_recordings, 2)`` (raw MFCC means, not
        standardized) and labels of shape ``(n_recordings,)``, 0 for ``digits[0]`` and 1 for
        ``digits[1]``.
    """
    digits, mfccs = tuple(int(d) for d in digits), tuple(int(m) for m in mfccs)
    if len(digits) != 2 or digits[0] == digits[1]:
        raise ValueError(f"digits must be two different digits from 0 to 9, got {digits}")
    if len(mfccs) != 2 or not all(0 <= m <= 12 for m in mfccs):
        raise ValueError(f"mfccs must be two MFCC indices from 0 to 12, got {mfccs}")
    key = (digits, mfccs)
    if key not in _AUDIO_CACHE:
        from course_utils.data import load_fsdd
        from course_utils.representations import mfcc_frames

        fsdd = load_fsdd(digits=list(digits), progress=False)
        means = np.array([mfcc_frames(y, fsdd.sr, block_size=256, hop_size=128, n_mfcc=13, n_mels=40).mean(axis=0)
                          for y in fsdd.audio], dtype=np.float64)
        _AUDIO_CACHE[key] = (means[:, list(mfccs)], (fsdd.labels == digits[1]).astype(int))
    features, labels = _AUDIO_CACHE[key]
    return features.copy(), labels.copy()


def make_dataset(name: str = "circle", n_samples: int = 200, noise: float = 0.1, seed: int = 0):
    """A two-feature, two-class dataset for the playground, with both features roughly in [-1, 1].

    Args:
        name: ``"circle"`` (a disc inside a ring), ``"xor"`` (opposite quadrants share a class),
            ``"blobs"`` (two Gaussian clusters), ``"spiral"`` (two interleaved arms) or ``"audio"``
            (two MFCC means of FSDD's "zero" and "six", see :func:`audio_features`, standardized).
        n_samples: number of points (for ``"audio"`` at most 600 recordings, drawn without
            replacement).
        noise: standard deviation of Gaussian noise added to both features (``0`` to ``1``).
        seed: seed of the random generator.

    Returns:
        ``(X, y)``: ``X`` of shape ``(n_samples, 2)`` (float64), ``y`` of shape ``(n_samples,)``
        with labels 0 and 1 (about half each).
    """
    if name not in DATASETS:
        raise ValueError(f"name must be one of {list(DATASETS)}, got {name!r}")
    n_samples = _check_int("n_samples", n_samples, 4, 600 if name == "audio" else 100_000)
    if not (isinstance(noise, (int, float, np.floating)) and 0 <= noise <= 1):
        raise ValueError(f"noise must be a number from 0 to 1, got {noise!r}")
    rng = np.random.default_rng(_check_int("seed", seed, 0, 2**32 - 1))
    n1 = n_samples // 2
    n0 = n_samples - n1
    y = np.r_[np.zeros(n0, int), np.ones(n1, int)]
    if name == "circle":
        radius = np.r_[rng.uniform(0.65, 1.0, n0), rng.uniform(0.0, 0.45, n1)]
        angle = rng.uniform(0, 2 * np.pi, n_samples)
        X = np.c_[radius * np.cos(angle), radius * np.sin(angle)]
    elif name == "xor":
        X = rng.uniform(-1, 1, (n_samples, 2))
        X += 0.05 * np.sign(X)  # keep points off the axes, as in TensorFlow Playground
        X = np.clip(X, -1, 1)
        y = (X[:, 0] * X[:, 1] > 0).astype(int)
    elif name == "blobs":
        centres = np.array([[-0.45, -0.45], [0.45, 0.45]])
        X = centres[y] + rng.normal(0, 0.25, (n_samples, 2))
    elif name == "spiral":
        t = np.sqrt(rng.uniform(0.02, 1, n_samples))  # even density along the arms
        angle = 3 * np.pi * t + np.pi * y
        X = np.c_[t * np.cos(angle), t * np.sin(angle)]
    else:
        features, labels = audio_features()
        X = (features - features.mean(axis=0)) / (2.5 * features.std(axis=0))
        choice = np.sort(rng.choice(len(X), size=n_samples, replace=False))
        X, y = X[choice], labels[choice]
    X = X + rng.normal(0, noise, X.shape) if noise else X
    return np.asarray(X, dtype=np.float64), y


def train_test_split(X, y, train_fraction: float = 0.5, seed: int = 0):
    """Shuffle and split into a training and a test set.

    Args:
        X: features, shape ``(n_examples, n_features)``.
        y: labels, shape ``(n_examples,)``.
        train_fraction: share of the examples used for training (strictly between 0 and 1; each set
            keeps at least one example).
        seed: seed of the shuffle.

    Returns:
        ``(X_train, y_train, X_test, y_test)``.
    """
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y) or len(X) < 2:
        raise ValueError(f"X and y need the same number (>= 2) of examples, got {len(X)} and {len(y)}")
    if not (isinstance(train_fraction, (int, float, np.floating)) and 0 < train_fraction < 1):
        raise ValueError(f"train_fraction must be a number strictly between 0 and 1, got {train_fraction!r}")
    order = np.random.default_rng(seed).permutation(len(X))
    n_train = min(max(int(round(train_fraction * len(X))), 1), len(X) - 1)
    train, test = order[:n_train], order[n_train:]
    return X[train], y[train], X[test], y[test]


# --------------------------------------------------------------------------------------------------
# Gradient descent on two-parameter loss surfaces

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


def gradient_descent(surface, start, learning_rate: float, n_steps: int = 50) -> DescentPath:
    """Run ``theta := theta - learning_rate * grad L(theta)`` for ``n_steps`` steps.

    Args:
        surface: a :class:`Surface` or a key of :data:`SURFACES`.
        start: the starting point ``(p0, p1)``.
        learning_rate: the step size epsilon (``> 0``).
        n_steps: number of updates (``>= 0``).

    Returns:
        A :class:`DescentPath`. A diverging run stops (``diverged=True``) instead of overflowing.
    """
    if isinstance(surface, str):
        if surface not in SURFACES:
            raise ValueError(f"surface must be one of {list(SURFACES)}, got {surface!r}")
        surface = SURFACES[surface]
    learning_rate = _check_learning_rate(learning_rate)
    n_steps = _check_int("n_steps", n_steps, 0)
    theta = np.array(start, dtype=float)
    if theta.shape != (2,):
        raise ValueError(f"start must be two numbers (p0, p1), got {start!r}")
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

def check_param_count(answer, layer_sizes=(13, 32, 16, 10)) -> Check:
    """Exercise: count the trainable parameters of a dense network with these layer sizes.

    The default is a network for 13 MFCCs, hidden layers of 32 and 16 units and 10 classes.
    """
    expected = count_params(layer_sizes)
    if answer is None:
        return wrong("replace None by your count of weights plus biases.")
    weights_only = sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))
    hint = "Each layer has n_in * n_out weights plus n_out biases."
    try:
        if float(answer) == weights_only:
            hint = "That counts the weights only: every unit also has a bias."
    except (TypeError, ValueError):
        pass
    return check_number(answer, expected, name="the number of parameters", rel_tol=0, abs_tol=0.5, hint=hint)


#: One gradient step by hand: fit y = w x + b to two points with the MSE loss.
GRADIENT_STEP_EXERCISE = {"x": (1.0, 2.0), "y": (3.0, 5.0), "theta": (1.0, 0.0), "learning_rate": 0.1}


def gradient_step_solution(exercise=GRADIENT_STEP_EXERCISE) -> np.ndarray:
    """Reference solution of :func:`check_gradient_step`: ``(w, b)`` after one step, shape ``(2,)``."""
    x, y = np.array(exercise["x"]), np.array(exercise["y"])
    w, b = exercise["theta"]
    residual = w * x + b - y
    grad = np.array([2 * np.mean(residual * x), 2 * np.mean(residual)])
    return np.array(exercise["theta"]) - exercise["learning_rate"] * grad


def check_gradient_step(answer) -> Check:
    """Exercise: the parameters ``(w, b)`` after one gradient-descent step on
    :data:`GRADIENT_STEP_EXERCISE` (MSE of ``w x + b`` on two points)."""
    if answer is None:
        return wrong("replace None by your (w, b) after one step.")
    try:
        values = np.asarray(answer, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        return wrong(f"the answer should be two numbers (w, b), got {answer!r}.")
    if values.shape != (2,):
        return wrong(f"the answer should be two numbers (w, b), got {values.size}.")
    expected = gradient_step_solution()
    if np.allclose(values, expected, atol=1e-6):
        return right(f"(w, b) = ({expected[0]:g}, {expected[1]:g}): the loss went down from "
                     f"{_pair_loss(GRADIENT_STEP_EXERCISE['theta']):g} to {_pair_loss(expected):g}.")
    theta = np.array(GRADIENT_STEP_EXERCISE["theta"])
    if np.allclose(values, 2 * theta - expected, atol=1e-6):
        return wrong("you stepped uphill: subtract learning_rate times the gradient.")
    return wrong("compute the residuals w x + b - y, then dL/dw = 2 mean(residual * x) and "
                 "dL/db = 2 mean(residual), then theta - learning_rate * gradient.")


def _pair_loss(theta) -> float:
    x, y = np.array(GRADIENT_STEP_EXERCISE["x"]), np.array(GRADIENT_STEP_EXERCISE["y"])
    return float(np.mean((theta[0] * x + theta[1] - y) ** 2))


#: Pick a learning rate for the line fit: after ``n_steps`` steps from ``start`` the loss must be within
#: ``tolerance`` of the minimum.
LEARNING_RATE_EXERCISE = {"surface": "line fit (convex)", "start": (-1.0, 2.0), "n_steps": 30, "tolerance": 0.01}


def check_learning_rate(answer) -> Check:
    """Exercise: a learning rate with which gradient descent on the line fit converges within
    ``LEARNING_RATE_EXERCISE["n_steps"]`` steps (loss within ``tolerance`` of the minimum)."""
    if answer is None:
        return wrong("replace None by a learning rate, e.g. 0.001.")
    try:
        learning_rate = float(answer)
    except (TypeError, ValueError):
        return wrong(f"the learning rate should be a number, got {answer!r}.")
    if not (math.isfinite(learning_rate) and learning_rate > 0):
        return wrong("a learning rate must be positive (a negative one climbs uphill).")
    ex = LEARNING_RATE_EXERCISE
    best = _line_minimum_loss()
    path = gradient_descent(ex["surface"], ex["start"], learning_rate, ex["n_steps"])
    limit = 2 / np.linalg.eigvalsh(line_fit_hessian()).max()
    if learning_rate >= limit or path.diverged or path.losses[-1] > path.losses[0]:
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

"""Checking backpropagation: finite differences and TensorFlow's gradients, and where Keras's time goes.

Notebook: ``05_training_an_mlp.ipynb`` (also importable from :mod:`course_utils.mlp`).

* :func:`numerical_gradients`: central finite differences of an :class:`course_utils.mlp_network.MLP`'s loss,
  the independent reference that :meth:`~course_utils.mlp_network.MLP.gradients` is checked against;
* :func:`keras_gradients`: TensorFlow's ``GradientTape`` gradients of the equivalent Keras model;
* :func:`keras_timer`: a callback that times Keras's ``fit`` per epoch, batch and validation pass.
"""

from __future__ import annotations

import numpy as np

from course_utils.mlp_network import MLP, _check_real, _dense_layers

__all__ = ["numerical_gradients", "keras_gradients", "keras_timer"]

def numerical_gradients(net: MLP, X, y, l2: float = 0.0, h: float = 1e-6) -> tuple[list, list]:
    """Central finite differences ``(L(theta + h) - L(theta - h)) / (2 h)`` for every parameter.

    Slow (two forward passes per parameter) and only as exact as the step ``h`` allows: use float64 and
    small networks. It is the independent reference that :meth:`MLP.gradients` is checked against.
    (The step is ``h`` as in the notebook, not ``eps``: that name is the normalization constant.)

    Args:
        net: the :class:`~course_utils.mlp_network.MLP`, at most 100,000 parameters (each costs two losses).
        X, y, l2: as for :meth:`~course_utils.mlp_network.MLP.loss`.
        h: the step, in (0, 1].

    Returns:
        ``(weight_gradients, bias_gradients)`` shaped like ``net.weights`` and ``net.biases``.
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net must be an MLP, got {type(net).__name__}")
    h = _check_real("h", h)
    if not 0 < h <= 1:
        raise ValueError(f"h must be a number in (0, 1] (e.g. 1e-6), got {h}")
    if net.count_params() > 100_000:
        raise ValueError(f"net has {net.count_params():,} parameters; finite differences are limited to 100,000 "
                         "(two forward passes each): check a smaller network")
    net.loss(X, y, l2)  # checks the data once, before the loop
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


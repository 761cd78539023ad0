"""A small multi-layer perceptron (MLP) in NumPy, its gradient checks and its exercises: notebook 05's network.

Notebook: ``05_training_an_mlp.ipynb``.

The notebook builds a dense network, trains it by gradient descent with backpropagation, and compares
every number with Keras/TensorFlow. This module gathers what it imports about the network, from three
files that each hold one idea:

* :mod:`course_utils.mlp_network`: :class:`MLP` (forward pass, loss, backward pass, mini-batch SGD, Keras
  round trip), :class:`History`, :class:`TrainingRun` (a run that can be moved to any epoch),
  :func:`count_params`, :func:`layer_sizes_for` and the size limits (:data:`MAX_WIDTH`, :data:`MAX_PARAMS`,
  :data:`MAX_EPOCHS`, ...);
* :mod:`course_utils.mlp_gradients`: :func:`numerical_gradients` (finite differences) and
  :func:`keras_gradients` (TensorFlow's ``GradientTape``) to check backpropagation, and :func:`keras_timer`
  to see where Keras's training time goes;
* :mod:`course_utils.mlp_exercises`: the "Your turn" checkers :func:`check_param_count`,
  :func:`check_backprop_gradients`, :func:`check_update_count` and :func:`check_bias_variance`, each with
  its reference solution.

The notebook's other two topics have their own modules: :mod:`course_utils.playground_data` (the
two-feature datasets, including one of real recordings) and :mod:`course_utils.loss_surfaces` (gradient
descent on two-parameter loss surfaces, and its checkers).

Conventions (the same as Keras): a batch of inputs is a matrix ``X`` of shape ``(n_examples, n_inputs)``
with one example per **row**; :attr:`MLP.weights` holds the kernels ``K^(l) = W^(l)^T`` of shape
``(n_in, n_out)``, the transpose of the lecture's weight matrix (see :mod:`course_utils.mlp_network`).
"""

from __future__ import annotations

from course_utils.mlp_exercises import (
    BACKPROP_EXERCISE,
    BIAS_VARIANCE_EXERCISE,
    DIAGNOSES,
    UPDATE_COUNT_EXERCISE,
    backprop_solution,
    bias_variance_solution,
    check_backprop_gradients,
    check_bias_variance,
    check_param_count,
    check_update_count,
    update_count_solution,
)
from course_utils.mlp_gradients import keras_gradients, keras_timer, numerical_gradients
from course_utils.mlp_network import (
    HIDDEN_ACTIVATIONS,
    MAX_EPOCHS,
    MAX_LAYERS,
    MAX_PARAMS,
    MAX_WIDTH,
    MLP,
    OUTPUT_ACTIVATIONS,
    History,
    TrainingRun,
    count_params,
    layer_sizes_for,
)

from course_utils import mlp_exercises as _exercises, mlp_gradients as _gradients, mlp_network as _network  # noqa: E402

__all__ = [*_network.__all__, *_gradients.__all__, *_exercises.__all__]

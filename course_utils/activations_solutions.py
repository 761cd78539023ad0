"""Worked solutions of the "Your turn" exercises of ``04_neurons_activations_losses.ipynb`` (checkers in
:mod:`course_utils.activations`; shown by :func:`course_utils.solutions.show_solution`)."""

import numpy as np

from course_utils.solutions import Solution

_NB = "04_neurons_activations_losses.ipynb"


def _numpy():
    return {"np": np}


SOLUTIONS = [
    Solution("neuron_output", _NB,
             "First the weighted sum $z = \\mathbf w \\cdot \\mathbf x + b = 1.2 \\cdot 0.5 + (-0.4)(-2) + 0.3 = "
             "1.7$, then the activation: $a = \\tanh(1.7) \\approx 0.9354$.",
             "answer = np.tanh(1.2 * 0.5 + (-0.4) * (-2) + 0.3)",
             "check_neuron_output(answer)", _numpy),
    Solution("softmax", _NB,
             "Exponentiate and divide by each row's sum. Subtracting the row's maximum first changes nothing "
             "(it cancels in the ratio) but keeps `np.exp` from overflowing for logits of 1000.",
             "def my_softmax(z):\n"
             "    e = np.exp(z - z.max(axis=-1, keepdims=True))\n"
             "    return e / e.sum(axis=-1, keepdims=True)\n",
             "check_softmax(my_softmax)", _numpy),
    Solution("output_layer", _NB,
             "Regression (an unbounded number) -> linear + mse; several labels at once -> one sigmoid per label + "
             "binary cross-entropy; exactly one class of several -> softmax + categorical cross-entropy. "
             "Per-frame speech and/or music is multi-label.",
             "answers = {\n"
             '    "predict the tempo of a song in BPM": ("linear", "mse"),\n'
             '    "tag which instruments play in a clip (several at once)": ("sigmoid", "binary_crossentropy"),\n'
             '    "recognise which digit 0-9 was spoken": ("softmax", "categorical_crossentropy"),\n'
             '    "estimate a room\'s reverberation time in seconds": ("linear", "mse"),\n'
             '    "detect, per frame, whether speech and/or music is present": ("sigmoid", "binary_crossentropy"),\n'
             "}",
             "check_output_layer(answers)"),
    Solution("crossentropy", _NB,
             "$L = -\\sum_c y_c \\ln p_c$; with a one-hot target only the true class's term remains: "
             "$L = -\\ln 0.7 \\approx 0.3567$ (natural logarithm).",
             "answer = -np.log(0.7)",
             "check_crossentropy(answer)", _numpy),
    Solution("relu_derivative", _NB,
             "ReLU is z for z > 0 and 0 otherwise, so its slope is 1 for z > 0 and 0 for z < 0; at z = 0 the course "
             "(like TensorFlow) takes 0.",
             "def my_relu_derivative(z):\n"
             "    return (z > 0).astype(float)\n",
             "check_relu_derivative(my_relu_derivative)", _numpy),
]

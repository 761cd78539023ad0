"""Tests of the step-through backpropagation (course_utils/backprop.py) and its explorer (explorers/backprop.py).

The reference for every gradient and every local factor of the chain rule is TensorFlow's ``GradientTape``
on the same network, written with TensorFlow's own operations in float64.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from course_utils.backprop import (
    MAX_HIDDEN,
    ForwardPass,
    backward_pass,
    batch_loss,
    forward_pass,
    initial_parameters,
    layer_backward,
    minibatch_indices,
    sgd_update,
)
from course_utils.mlp import MLP
from course_utils.widgets import EXPLORERS


def _random_case(seed: int, n_hidden: int, n_examples: int):
    """Random weights (not only the initial ones: non-zero biases too), inputs and labels."""
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0, 1.0, (2, n_hidden)), rng.normal(0, 1.0, (n_hidden, 1))]
    biases = [rng.normal(0, 0.5, n_hidden), rng.normal(0, 0.5, 1)]
    X = rng.uniform(-1.5, 1.5, (n_examples, 2))
    y = rng.integers(0, 2, n_examples)
    return weights, biases, X, y


def _tensorflow_reference(weights, biases, X, y, activation):
    """Loss and gradients by ``tf.GradientTape``: of every parameter, every Z, A1, P and the inputs X."""
    tf = pytest.importorskip("tensorflow")
    K1, K2 = (tf.Variable(K, dtype=tf.float64) for K in weights)
    b1, b2 = (tf.Variable(b, dtype=tf.float64) for b in biases)
    Xt = tf.constant(X, dtype=tf.float64)
    yt = tf.constant(np.asarray(y, dtype=np.float64)[:, None])
    f = {"tanh": tf.tanh, "relu": tf.nn.relu}[activation]
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(Xt)
        Z1 = tf.matmul(Xt, K1) + b1
        A1 = f(Z1)
        Z2 = tf.matmul(A1, K2) + b2
        P = tf.sigmoid(Z2)
        loss = tf.reduce_mean(-(yt * tf.math.log(P) + (1 - yt) * tf.math.log(1 - P)))
        stable = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=yt, logits=Z2))
    names = ["K1", "b1", "K2", "b2", "Z1", "A1", "Z2", "P", "X"]
    grads = tape.gradient(loss, [K1, b1, K2, b2, Z1, A1, Z2, P, Xt])
    result = {name: g.numpy() for name, g in zip(names, grads)}
    result["loss"], result["stable_loss"] = float(loss.numpy()), float(stable.numpy())
    del tape
    return result


CASES = [(seed, activation, n_hidden, n_examples) for seed, (n_hidden, n_examples) in
         enumerate([(3, 1), (3, 4), (3, 8), (1, 5), (5, 16), (8, 3)]) for activation in ("tanh", "relu")]


@pytest.mark.parametrize("seed, activation, n_hidden, n_examples", CASES)
def test_gradients_and_local_factors_equal_tensorflows(seed, activation, n_hidden, n_examples):
    weights, biases, X, y = _random_case(seed, n_hidden, n_examples)
    reference = _tensorflow_reference(weights, biases, X, y, activation)
    forward = forward_pass(weights, biases, X, activation)
    output, hidden = backward_pass(forward, weights, y)
    close = {"rtol": 1e-10, "atol": 1e-13}

    assert batch_loss(forward, y) == pytest.approx(reference["loss"], rel=1e-12)
    assert batch_loss(forward, y) == pytest.approx(reference["stable_loss"], rel=1e-12)
    assert (output.layer, hidden.layer) == (2, 1)
    # the parameters' gradients
    np.testing.assert_allclose(hidden.dK, reference["K1"], **close)
    np.testing.assert_allclose(hidden.db, reference["b1"], **close)
    np.testing.assert_allclose(output.dK, reference["K2"], **close)
    np.testing.assert_allclose(output.db, reference["b2"], **close)
    # the chain rule's factors, layer by layer: dL/dA, dL/dZ = delta, and what is passed down
    np.testing.assert_allclose(output.dL_dA, reference["P"], **close)
    np.testing.assert_allclose(output.delta, reference["Z2"], **close)
    np.testing.assert_allclose(output.dL_dA_prev, reference["A1"], **close)
    np.testing.assert_allclose(hidden.dL_dA, reference["A1"], **close)
    np.testing.assert_allclose(hidden.delta, reference["Z1"], **close)
    np.testing.assert_allclose(hidden.dL_dA_prev, reference["X"], **close)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_the_local_factors_multiply_to_the_gradients(activation):
    weights, biases, X, y = _random_case(11, 3, 6)
    forward = forward_pass(weights, biases, X, activation)
    for g, inputs, z in zip(backward_pass(forward, weights, y), (forward.A1, forward.X), (forward.Z2, forward.Z1)):
        np.testing.assert_allclose(g.delta, g.dL_dA * g.dA_dZ, rtol=1e-14)
        np.testing.assert_array_equal(g.dZ_dK, inputs)
        for i in range(len(X)):  # dL/dK_kj of one example = dL/da_j * da_j/dz_j * dz_j/dK_kj
            np.testing.assert_allclose(g.dK_terms[i], np.outer(g.dZ_dK[i], g.dL_dA[i] * g.dA_dZ[i]), rtol=1e-13)
        np.testing.assert_allclose(g.dK_terms.sum(axis=0), g.dK, rtol=1e-13, atol=1e-16)
        np.testing.assert_allclose(g.db, g.delta.sum(axis=0), rtol=1e-14)
        if g.layer == 2:  # sigma'(z) = p (1 - p)
            np.testing.assert_allclose(g.dA_dZ, forward.P * (1 - forward.P), rtol=1e-12)
        elif activation == "tanh":
            np.testing.assert_allclose(g.dA_dZ, 1 - np.tanh(z) ** 2, rtol=1e-14)
        else:
            np.testing.assert_array_equal(g.dA_dZ, (z > 0).astype(float))


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_it_matches_the_course_mlp_from_the_same_seed(activation):
    X, y = _random_case(3, 3, 10)[2:]
    weights, biases = initial_parameters(3, seed=4)
    net = MLP((2, 3, 1), hidden_activation=activation, seed=4)
    for ours, theirs in zip(weights + biases, net.weights + net.biases):
        np.testing.assert_array_equal(ours, theirs)
    forward = forward_pass(weights, biases, X, activation)
    np.testing.assert_allclose(forward.P, net.predict_proba(X), rtol=1e-14)
    assert batch_loss(forward, y) == pytest.approx(net.loss(X, y), rel=1e-12)
    dK, db = net.gradients(X, y)
    output, hidden = backward_pass(forward, weights, y)
    for ours, theirs in zip([hidden.dK, output.dK, hidden.db, output.db], dK + db):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-16)


def test_the_update_is_theta_minus_learning_rate_times_the_gradient():
    weights, biases, X, y = _random_case(5, 3, 8)
    kept = [a.copy() for a in weights + biases]
    forward = forward_pass(weights, biases, X, "tanh")
    gradients = backward_pass(forward, weights, y)
    output, hidden = gradients
    for rate in (0.01, 0.5, 3.0):
        new_weights, new_biases = sgd_update(weights, biases, gradients[::-1], rate)  # any order of the layers
        expected = [weights[0] - rate * hidden.dK, weights[1] - rate * output.dK,
                    biases[0] - rate * hidden.db, biases[1] - rate * output.db]
        for new, want in zip(new_weights + new_biases, expected):
            np.testing.assert_array_equal(new, want)
    for array, before in zip(weights + biases, kept):
        np.testing.assert_array_equal(array, before)  # the old parameters are left as they were
    # a small step against the gradient lowers the loss of the batch
    small_w, small_b = sgd_update(weights, biases, gradients, 0.01)
    assert batch_loss(forward_pass(small_w, small_b, X, "tanh"), y) < batch_loss(forward, y)


def test_the_loss_is_exact_where_the_sigmoid_saturates():
    weights = [np.array([[1.0], [0.0]]), np.array([[60.0]])]  # one hidden unit; z2 = 60 tanh(1) = 45.7
    biases = [np.zeros(1), np.zeros(1)]
    forward = forward_pass(weights, biases, [[1.0, 0.0]], "tanh")
    z = 60 * np.tanh(1.0)
    assert forward.P[0, 0] == 1.0  # sigma(45.7) rounds to 1 in float64
    assert batch_loss(forward, [0]) == pytest.approx(z + np.log1p(np.exp(-z)), rel=1e-12)  # -log(1 - p), y = 0
    output, hidden = backward_pass(forward, weights, [0])
    assert np.all(np.isfinite(output.dK)) and np.all(np.isfinite(hidden.dK))
    np.testing.assert_allclose(output.delta, [[1.0]], rtol=1e-12)  # dL/dz = p - y, although p (1 - p) ~ 1e-20


def test_minibatches_cover_every_example_once_per_epoch():
    first = minibatch_indices(40, 8, seed=2)
    assert len(first) == 5 and all(len(b) == 8 for b in first)
    np.testing.assert_array_equal(np.sort(np.concatenate(first)), np.arange(40))
    again = minibatch_indices(40, 8, seed=2)
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    second = minibatch_indices(40, 8, seed=2, epoch=1)
    assert not all(np.array_equal(a, b) for a, b in zip(first, second))
    last = minibatch_indices(10, 4)
    assert [len(b) for b in last] == [4, 4, 2]


def test_bad_input_gets_a_clear_error():
    weights, biases, X, y = _random_case(0, 3, 4)
    forward = forward_pass(weights, biases, X)
    gradients = backward_pass(forward, weights, y)
    with pytest.raises(ValueError, match="activation must be one of"):
        forward_pass(weights, biases, X, "sigmoid")
    with pytest.raises(ValueError, match=r"X must have shape \(N, 2\)"):
        forward_pass(weights, biases, np.zeros((4, 3)))
    with pytest.raises(ValueError, match="X must have shape"):
        forward_pass(weights, biases, np.zeros((0, 2)))
    with pytest.raises(ValueError, match="X must hold finite"):
        forward_pass(weights, biases, np.full((2, 2), np.nan))
    with pytest.raises(TypeError, match="X must be"):
        forward_pass(weights, biases, "data")
    with pytest.raises(ValueError, match=r"weights\[1\] \(K2\) must have shape \(3, 1\)"):
        forward_pass([weights[0], np.zeros((2, 1))], biases, X)
    with pytest.raises(ValueError, match=r"weights\[0\] \(K1\) must have shape \(2, n_hidden\)"):
        forward_pass([np.zeros((3, 3)), weights[1]], biases, X)
    with pytest.raises(ValueError, match=r"biases\[0\] \(b1\) must have shape \(3,\)"):
        forward_pass(weights, [np.zeros(2), biases[1]], X)
    with pytest.raises(TypeError, match="weights must be a list of two kernels"):
        forward_pass(weights[0], biases, X)
    with pytest.raises(ValueError, match="weights must hold finite"):
        forward_pass([weights[0] * np.inf, weights[1]], biases, X)
    with pytest.raises(ValueError, match="y must hold only the labels 0 and 1"):
        batch_loss(forward, [0, 1, 2, 1])
    with pytest.raises(ValueError, match=r"y must have shape \(4,\)"):
        batch_loss(forward, [0, 1])
    with pytest.raises(TypeError, match="y must hold the labels"):
        batch_loss(forward, ["a", "b", "c", "d"])
    with pytest.raises(TypeError, match="forward must be the ForwardPass"):
        batch_loss({"P": 1}, y)
    with pytest.raises(ValueError, match="layer must be an integer from 1 to 2"):
        layer_backward(forward, weights, y, 3)
    with pytest.raises(ValueError, match="layer 1 needs dL_dA"):
        layer_backward(forward, weights, y, 1)
    with pytest.raises(ValueError, match="dL_dA must be None for layer 2"):
        layer_backward(forward, weights, y, 2, np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"dL_dA must have shape \(4, 3\)"):
        layer_backward(forward, weights, y, 1, np.zeros((4, 2)))
    with pytest.raises(ValueError, match="finish the backward pass before the update"):
        sgd_update(weights, biases, gradients[:1], 0.1)
    for rate in (0, -0.1, 1e3, np.nan, np.inf):
        with pytest.raises(ValueError, match=r"learning_rate must be a number in \(0, 100\]"):
            sgd_update(weights, biases, gradients, rate)
    for rate in ("0.1", True, None):
        with pytest.raises(TypeError, match="learning_rate must be a number"):
            sgd_update(weights, biases, gradients, rate)
    with pytest.raises(ValueError, match=f"n_hidden must be an integer from 1 to {MAX_HIDDEN}"):
        initial_parameters(MAX_HIDDEN + 1)
    with pytest.raises(TypeError, match="seed must be an integer"):
        initial_parameters(3, seed=1.5)
    with pytest.raises(ValueError, match="batch_size must be an integer from 1"):
        minibatch_indices(10, 0)
    assert isinstance(forward, ForwardPass)


# ---------------------------------------------------------------------------------------------
# The explorer

def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def _press(explorer, name: str) -> None:
    explorer.buttons[name].click_now()
    assert explorer.error is None, explorer.error


def _assert_same_as_a_full_redraw(explorer) -> None:
    blitted = explorer.snapshot()
    explorer.request_full_draw()
    explorer._render()
    assert explorer.snapshot() == blitted, explorer.stage


def test_a_full_forward_backward_update_cycle():
    e = EXPLORERS["backprop"]()
    assert e.error is None and e.stage == "ready" and e.forward is None and e.updates == 0
    assert e.buttons["forward"].button_style == "primary"
    pictures = [e.snapshot()]
    weights_0 = [a.copy() for a in e.weights + e.biases]

    _press(e, "forward")
    assert e.stage == "forward" and e.notice == ""
    X, y = e.X[e.batch], e.y[e.batch]
    assert len(e.batch) == e.controls["batch_size"].value == 4
    reference = forward_pass(e.weights, e.biases, X, "tanh")
    np.testing.assert_array_equal(e.forward.P, reference.P)
    assert e.loss_before == batch_loss(reference, y)
    assert f"L = {e.loss_before:.3f}" in e.loss_text.get_text()
    assert f"{e.forward.Z1[0, 0]:.2f}" in e.above[("h", 0)].get_text()
    assert e.buttons["backward"].button_style == "primary"
    pictures.append(e.snapshot())

    _press(e, "backward")
    assert e.stage == "backward 2" and [g.layer for g in e.gradients] == [2]
    assert "reached <b>layer 2</b>" in e.readout.value and "Layer 1" not in e.readout.value
    pictures.append(e.snapshot())
    _press(e, "backward")
    assert e.stage == "backward 1" and [g.layer for g in e.gradients] == [2, 1]
    assert "reached <b>layer 1</b>" in e.readout.value and "Layer 1" in e.readout.value
    output, hidden = backward_pass(reference, e.weights, y)
    np.testing.assert_array_equal(e.gradients[1].dK, hidden.dK)
    tf_reference = _tensorflow_reference(e.weights, e.biases, X, y, "tanh")
    np.testing.assert_allclose(e.gradients[0].dK, tf_reference["K2"], rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(e.gradients[1].dK, tf_reference["K1"], rtol=1e-10, atol=1e-13)
    # the edge of x1 -> h1 shows dL/dK1[1, 1], the table the chain-rule product of example 1 for it
    assert e.edge_labels[(1, 0, 0)].get_text() == f"{hidden.dK[0, 0]:+.3f}"
    term = hidden.dL_dA[0, 0] * hidden.dA_dZ[0, 0] * hidden.dZ_dK[0, 0]
    assert f"= {term:+.5f}</td><td>{hidden.dK[0, 0]:+.5f}</td>" in e.readout.value
    assert e.buttons["update"].button_style == "primary"
    pictures.append(e.snapshot())

    rate = e.controls["learning_rate"].value
    _press(e, "update")
    assert e.stage == "updated" and e.updates == 1
    expected_w, expected_b = sgd_update(weights_0[:2], weights_0[2:], [output, hidden], rate)
    for new, want in zip(e.weights + e.biases, expected_w + expected_b):
        np.testing.assert_array_equal(new, want)
    assert e.loss_after == batch_loss(forward_pass(e.weights, e.biases, X, "tanh"), y) < e.loss_before
    assert e.edge_labels[(1, 0, 0)].get_text() == f"{weights_0[0][0, 0]:.2f}→{e.weights[0][0, 0]:.2f}"
    assert f"from {e.loss_before:.4f} to {e.loss_after:.4f}" in e.readout.value
    pictures.append(e.snapshot())
    assert len(set(pictures)) == len(pictures), "a step left the picture unchanged"

    _press(e, "next batch")
    assert e.stage == "ready" and e.batch_number == 1 and e.updates == 1 and e.forward is None
    assert not np.array_equal(e.X[e.batch], X)


def test_a_button_out_of_order_explains_and_changes_nothing():
    e = EXPLORERS["backprop"]()
    for stage_buttons, wrong, words in [((), "backward", "Press forward first"),
                                        ((), "update", "Nothing to update yet"),
                                        (("forward",), "update", "has not started"),
                                        (("forward",), "forward", "done already"),
                                        (("forward", "backward"), "update", "reached layer 2 only"),
                                        (("forward", "backward", "backward"), "backward", "is complete"),
                                        (("forward", "backward", "backward", "update"), "update", "next batch")]:
        e.buttons["reset"].click_now()
        for name in stage_buttons:
            _press(e, name)
        stage, weights, picture_before = e.stage, [a.copy() for a in e.weights], e.snapshot()
        _press(e, wrong)
        assert e.stage == stage and words in e.notice, (wrong, stage, e.notice)
        assert "Not now:" in e.readout.value and words in e.readout.value
        for now, before in zip(e.weights, weights):
            np.testing.assert_array_equal(now, before)
        assert _pixels(e.snapshot()).shape == _pixels(picture_before).shape
    _press(e, "next batch")  # a step in order clears the explanation
    assert e.notice == "" and "Not now" not in e.readout.value


def test_the_learning_rate_redoes_the_update_and_reset_goes_back():
    e = EXPLORERS["backprop"](learning_rate=0.1)
    start = [a.copy() for a in e.weights + e.biases]
    for name in ("forward", "backward", "backward", "update"):
        _press(e, name)
    small = e.snapshot()
    e.controls["learning_rate"].value = 2.0
    assert e.error is None and e.stage == "updated" and e.updates == 1
    expected_w, expected_b = sgd_update(start[:2], start[2:], e.gradients, 2.0)
    for new, want in zip(e.weights + e.biases, expected_w + expected_b):
        np.testing.assert_array_equal(new, want)
    assert e.snapshot() != small and "&epsilon; = 2" in e.readout.value
    _press(e, "reset")
    assert e.stage == "ready" and e.updates == 0 and e.batch_number == 0
    for now, before in zip(e.weights + e.biases, start):
        np.testing.assert_array_equal(now, before)


def test_the_epoch_ends_after_every_batch_and_restarting_controls_begin_a_new_run():
    e = EXPLORERS["backprop"](batch_size=8)
    seen = []
    for _ in range(5):
        seen.append(e.batch.copy())
        for name in ("forward", "backward", "backward", "update", "next batch"):
            _press(e, name)
    np.testing.assert_array_equal(np.sort(np.concatenate(seen)), np.arange(len(e.X)))
    assert e.epoch == 1 and e.batch_number == 0 and e.updates == 5
    assert "epoch 2, batch 1 of 5" in e.header.get_text()
    e.controls["activation"].value = "relu"
    fresh = EXPLORERS["backprop"](batch_size=8, activation="relu")
    assert e.updates == 0 and e.epoch == 0 and e.stage == "ready"
    assert e.snapshot() == fresh.snapshot() and e.readout.value == fresh.readout.value


def test_the_example_shown_is_capped_to_the_batch():
    e = EXPLORERS["backprop"](example=8, batch_size=8)
    _press(e, "forward")
    assert "values of example 8" in e.header.get_text()
    e.controls["batch_size"].value = 2
    assert e.controls["example"].value == 2 and e.controls["example"].max == 2
    e.controls["batch_size"].value = 8  # the student's 8 comes back
    assert e.controls["example"].value == 8


def test_every_stage_blits_the_same_picture_as_a_full_redraw():
    e = EXPLORERS["backprop"](dataset="circle", activation="relu")
    _assert_same_as_a_full_redraw(e)
    for name in ("forward", "backward", "backward", "update", "next batch", "forward"):
        _press(e, name)
        for example in (2, 3):
            e.controls["example"].value = example
            _assert_same_as_a_full_redraw(e)
    e.controls["learning_rate"].value = 0.05
    _assert_same_as_a_full_redraw(e)


def test_the_description_follows_the_step():
    e = EXPLORERS["backprop"]()
    seen = {e.describe()}
    for name in ("forward", "backward", "backward", "update"):
        _press(e, name)
        text = e.describe()
        assert "<" not in text and text not in seen
        seen.add(text)
    assert "after the update" in text


def test_a_code_replays_the_steps_taken_and_restores_the_same_picture():
    from course_utils.explorer_state import StateError

    e = EXPLORERS["backprop"](dataset="circle", learning_rate=1.0)
    for name in ("forward", "backward", "backward", "update", "next batch", "forward", "backward", "backward",
                 "update"):
        _press(e, name)
    e.controls["learning_rate"].value = 0.1  # redoes the last update with 0.1: the code keeps 1.0 for the first
    for name in ("next batch", "forward", "backward"):
        _press(e, name)
    code = e.state()
    assert len(code) < 300
    restored = EXPLORERS["backprop"](state=code)
    assert restored.error is None and restored.stage == "backward 2" and restored.updates == 2
    for ours, theirs in zip(restored.weights + restored.biases, e.weights + e.biases):
        np.testing.assert_array_equal(ours, theirs)
    assert restored.snapshot() == e.snapshot() and restored.readout.value == e.readout.value
    live = EXPLORERS["backprop"]()  # pasted into an explorer that is somewhere else in its own run
    _press(live, "forward")
    live.restore(code)
    assert live.snapshot() == e.snapshot() and live.state() == code
    extras = e.state_extras()
    assert extras == {"steps": "fbbUnfbbunfb", "rates": [1.0]}  # U: the update made with another rate than now
    with pytest.raises(StateError, match=r"step 1 of the code \('b'\) is out of order"):
        e.check_extras({"steps": "bb", "rates": []}, e.values())
    with pytest.raises(StateError, match="one learning rate in"):
        e.check_extras({"steps": "fbbU", "rates": []}, e.values())
    with pytest.raises(StateError, match="letters f, b, u, U, n"):
        e.check_extras({"steps": "fxy", "rates": []}, e.values())

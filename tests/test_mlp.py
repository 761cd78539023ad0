"""Tests of course_utils.mlp: the NumPy MLP against finite differences and TensorFlow, its training, its
checker."""

from __future__ import annotations


import numpy as np
import pytest
from checker_contract import ODD_ANSWERS, assert_explains

from course_utils.mlp import (
    BACKPROP_EXERCISE,
    BIAS_VARIANCE_EXERCISE,
    HIDDEN_ACTIVATIONS,
    MLP,
    UPDATE_COUNT_EXERCISE,
    TrainingRun,
    backprop_solution,
    bias_variance_solution,
    check_backprop_gradients,
    check_bias_variance,
    check_param_count,
    check_update_count,
    count_params,
    keras_gradients,
    keras_timer,
    layer_sizes_for,
    numerical_gradients,
    update_count_solution,
)
from course_utils.playground_data import make_dataset

OUTPUTS = {"sigmoid": 2, "softmax": 3, "linear": 2}


def _targets(output_activation, n, rng):
    if output_activation == "sigmoid":
        return (rng.random((n, 2)) > 0.5).astype(float)
    if output_activation == "softmax":
        return rng.integers(0, 3, n)
    return rng.normal(size=(n, 2))


def _relative_error(ours, reference):
    return max(float(np.max(np.abs(a - b))) / max(float(np.max(np.abs(b))), 1e-12) for a, b in zip(ours, reference))


# ---------------------------------------------------------------------------------------------
# Gradients

@pytest.mark.parametrize("output_activation", list(OUTPUTS))
@pytest.mark.parametrize("hidden_activation", HIDDEN_ACTIVATIONS)
def test_backprop_matches_finite_differences(hidden_activation, output_activation):
    rng = np.random.default_rng(7)
    X = rng.normal(size=(6, 3))
    y = _targets(output_activation, 6, rng)
    net = MLP((3, 4, 5, OUTPUTS[output_activation]), hidden_activation, output_activation, seed=1)
    for b in net.biases:  # non-zero biases so every term of the gradient is exercised
        b += rng.normal(0, 0.1, b.shape)
    weight_grads, bias_grads = net.gradients(X, y, l2=0.02)
    num_w, num_b = numerical_gradients(net, X, y, l2=0.02)
    assert _relative_error(weight_grads + bias_grads, num_w + num_b) < 1e-6


def test_gradient_of_depth_zero_network_is_logistic_regression():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 2))
    y = (rng.random(20) > 0.5).astype(int)
    net = MLP((2, 1), seed=0)
    p = 1 / (1 + np.exp(-(X @ net.weights[0] + net.biases[0])))[:, 0]
    weight_grads, bias_grads = net.gradients(X, y)
    np.testing.assert_allclose(weight_grads[0][:, 0], X.T @ (p - y) / len(y), rtol=1e-12)
    np.testing.assert_allclose(bias_grads[0], [np.mean(p - y)], rtol=1e-12)


@pytest.fixture(scope="module")
def keras64():
    keras = pytest.importorskip("keras")
    previous_policy, previous_floatx = keras.config.dtype_policy(), keras.config.floatx()
    keras.config.set_dtype_policy("float64")
    keras.config.set_floatx("float64")
    yield keras
    keras.config.set_dtype_policy(previous_policy)
    keras.config.set_floatx(previous_floatx)


@pytest.mark.parametrize("hidden_activation,output_activation",
                         [("relu", "sigmoid"), ("selu", "softmax"), ("tanh", "linear"), ("sigmoid", "sigmoid"),
                          ("linear", "softmax")])
def test_forward_loss_and_gradients_equal_tensorflow(keras64, hidden_activation, output_activation):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(9, 3))
    y = _targets(output_activation, 9, rng)
    net = MLP((3, 6, 4, OUTPUTS[output_activation]), hidden_activation, output_activation, seed=5)
    for b in net.biases:
        b += rng.normal(0, 0.1, b.shape)
    model = net.to_keras(learning_rate=0.1, l2=0.01, dtype="float64")
    assert model.layers[0].kernel.dtype == "float64"
    assert model.count_params() == net.count_params()
    np.testing.assert_allclose(np.asarray(model(X)), net.predict_proba(X), rtol=1e-12, atol=1e-14)
    loss, weight_grads, bias_grads = keras_gradients(model, X, y, l2=0.01)
    assert loss == pytest.approx(net.loss(X, y, l2=0.01), rel=1e-12)
    ours_w, ours_b = net.gradients(X, y, l2=0.01)
    for ours, theirs in zip(ours_w + ours_b, weight_grads + bias_grads):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("output_activation", list(OUTPUTS))
def test_training_loss_equals_the_public_loss_function(output_activation):
    # fit evaluates the loss after every epoch without the public functions' input checks; same numbers
    from course_utils import activations

    rng = np.random.default_rng(8)
    X = rng.normal(size=(12, 3))
    y = _targets(output_activation, 12, rng)
    net = MLP((3, 5, OUTPUTS[output_activation]), "relu", output_activation, seed=1)
    loss = getattr(activations, net.loss_name)
    targets = np.eye(OUTPUTS[output_activation])[y] if output_activation == "softmax" else y  # class indices
    assert net.loss(X, y) == pytest.approx(loss(targets, net.predict_proba(X)), rel=1e-13)
    net.fit(X, y, epochs=1, learning_rate=0.1, batch_size=4)
    assert net.history.train_loss[-1] == pytest.approx(loss(targets, net.predict_proba(X)), rel=1e-13)


def test_one_sgd_step_equals_keras_train_on_batch(keras64):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(16, 2))
    y = (X[:, 0] > 0).astype(float)
    net = MLP((2, 5, 1), "tanh", seed=2)
    model = net.to_keras(learning_rate=0.3)
    net.sgd_step(X, y, learning_rate=0.3)
    model.train_on_batch(X, y[:, None])
    for W, kernel in zip(net.weights, [layer.get_weights()[0] for layer in model.layers]):
        np.testing.assert_allclose(W, kernel, rtol=1e-10, atol=1e-12)


def test_keras_timer_times_every_epoch_batch_and_validation_pass(keras64):
    X, y = make_dataset("circle", 60, seed=0)
    model = MLP((2, 4, 1), seed=0).to_keras(learning_rate=0.1)
    timer = keras_timer()
    model.fit(X[:50], y[:50], epochs=3, batch_size=16, validation_data=(X[50:], y[50:]), verbose=0, callbacks=[timer])
    assert len(timer.epoch_ms) == 3 and len(timer.validation_ms) == 3
    assert len(timer.batch_ms) == 3 * 4  # ceil(50 / 16) = 4 batches per epoch
    for epoch in range(3):  # an epoch holds its batches and its validation pass
        inside = sum(timer.batch_ms[4 * epoch:4 * epoch + 4]) + timer.validation_ms[epoch]
        assert 0 < inside <= timer.epoch_ms[epoch]


def test_weights_round_trip_through_keras(keras64):
    net = MLP((2, 7, 3, 1), "selu", seed=9)
    model = net.to_keras()
    back = MLP.from_keras(model)
    assert back.layer_sizes == net.layer_sizes and back.hidden_activation == "selu"
    for a, b in zip(net.weights + net.biases, back.weights + back.biases):
        np.testing.assert_array_equal(a, b)
    other = MLP((2, 7, 3, 1), "selu", seed=10)
    other.copy_weights_to_keras(model)
    np.testing.assert_allclose(np.asarray(model(np.ones((1, 2)))), other.predict_proba(np.ones((1, 2))), rtol=1e-12)
    with pytest.raises(ValueError, match="Dense layers"):
        MLP((2, 3, 1)).copy_weights_to_keras(model)


@pytest.mark.parametrize("depth,width,activation,l2", [(0, 1, "relu", 0.0), (2, 8, "relu", 0.0),
                                                       (3, 5, "tanh", 1e-3), (6, 32, "selu", 0.1)])
def test_printed_keras_code_builds_the_same_model(keras64, depth, width, activation, l2):
    net = MLP(layer_sizes_for(2, depth, width), activation, seed=0)
    namespace = {}
    exec(net.keras_code(learning_rate=0.05, l2=l2), namespace)
    model = namespace["model"]
    assert model.count_params() == net.count_params() == count_params(net.layer_sizes)
    assert [layer.units for layer in model.layers] == list(net.layer_sizes[1:])
    assert model.optimizer.learning_rate.numpy() == pytest.approx(0.05)
    if depth:
        assert model.layers[0].get_config()["activation"] == activation
    assert (model.layers[-1].kernel_regularizer is not None) == bool(l2)


# ---------------------------------------------------------------------------------------------
# Training behaviour

def test_loss_decreases_on_separable_data():
    X, y = make_dataset("blobs", 200, noise=0.0, seed=1)
    net = MLP((2, 8, 1), "relu", seed=0)
    before = net.loss(X, y)
    history = net.fit(X, y, epochs=50, learning_rate=0.1, batch_size=16)
    assert history.train_loss[-1] < 0.5 * before
    assert history.train_accuracy[-1] > 0.95
    assert not history.diverged


def test_seeded_runs_reproduce_and_seeds_differ():
    X, y = make_dataset("xor", 120, 0.1, seed=2)
    runs = []
    for seed in (4, 4, 5):
        net = MLP((2, 6, 6, 1), "tanh", seed=seed)
        runs.append(net.fit(X, y, epochs=20, learning_rate=0.2, batch_size=8).train_loss)
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_continuing_training_equals_one_long_run():
    X, y = make_dataset("circle", 100, 0.1, seed=0)
    a, b = MLP((2, 5, 1), seed=3), MLP((2, 5, 1), seed=3)
    a.fit(X, y, epochs=10, learning_rate=0.1, batch_size=10)
    a.fit(X, y, epochs=10, learning_rate=0.1, batch_size=10)
    b.fit(X, y, epochs=20, learning_rate=0.1, batch_size=10)
    assert a.history.train_loss == b.history.train_loss


def test_epoch_is_one_pass_in_ceil_n_over_batch_updates():
    X, y = make_dataset("blobs", 50, 0.1)
    net = MLP((2, 3, 1), seed=0)
    history = net.fit(X, y, epochs=3, learning_rate=0.1, batch_size=16, record_batches=True)
    assert len(history.batch_loss) == 3 * 4  # ceil(50 / 16) = 4 updates per epoch
    assert history.epochs == 3 and len(history.train_accuracy) == 3


def test_full_batch_gradient_descent_equals_sgd_steps():
    X, y = make_dataset("circle", 40, 0.1)
    a, b = MLP((2, 4, 1), seed=1), MLP((2, 4, 1), seed=1)
    a.fit(X, y, epochs=3, learning_rate=0.5, batch_size=1000)
    for _ in range(3):
        b.sgd_step(X, y, learning_rate=0.5)
    for Wa, Wb in zip(a.weights, b.weights):
        np.testing.assert_allclose(Wa, Wb, rtol=1e-12)


def test_divergence_is_reported_not_raised():
    X, y = make_dataset("circle", 100, 0.1)
    net = MLP((2, 32, 32, 32, 32, 32, 32, 1), "linear", seed=0)
    history = net.fit(X * 100, y, epochs=50, learning_rate=10.0, batch_size=4)
    assert history.diverged and history.diverged_epoch == history.epochs
    assert not np.isfinite(history.train_loss[-1])
    assert net.fit(X, y, epochs=5, learning_rate=0.1).epochs == history.epochs  # no further training


def test_l2_penalty_shrinks_weights():
    X, y = make_dataset("xor", 100, 0.1)
    plain, penalized = MLP((2, 16, 1), seed=0), MLP((2, 16, 1), seed=0)
    plain.fit(X, y, epochs=60, learning_rate=0.2, batch_size=10)
    penalized.fit(X, y, epochs=60, learning_rate=0.2, batch_size=10, l2=0.05)
    assert sum(np.sum(W**2) for W in penalized.weights) < 0.5 * sum(np.sum(W**2) for W in plain.weights)


def test_float32_network_trains():
    X, y = make_dataset("blobs", 60, 0.1)
    net = MLP((2, 4, 1), dtype=np.float32)
    net.fit(X, y, epochs=5, learning_rate=0.1)
    assert all(W.dtype == np.float32 for W in net.weights)


# ---------------------------------------------------------------------------------------------
# A training run that moves to any epoch

def _fresh_fit(epochs, **settings):
    X, y = make_dataset("xor", 80, 0.1, seed=1)
    net = MLP((2, 6, 1), "tanh", seed=2)
    net.fit(X[:60], y[:60], epochs=epochs, test_data=(X[60:], y[60:]), **settings)
    return net


def _run(**settings):
    X, y = make_dataset("xor", 80, 0.1, seed=1)
    return TrainingRun(MLP((2, 6, 1), "tanh", seed=2), X[:60], y[:60], test_data=(X[60:], y[60:]), **settings)


def test_a_training_run_at_epoch_n_is_n_epochs_of_fit_whatever_the_path():
    settings = {"learning_rate": 0.3, "batch_size": 7, "l2": 1e-3}
    run = _run(**settings, save_every=4)
    for epoch in (9, 3, 17, 17, 0, 11, 10, 25):  # forward, back between saved states, back to the start
        assert run.train_to(epoch) == epoch == run.epoch
        reference = _fresh_fit(epoch, **settings)
        assert vars(run.net.history) == vars(reference.history), epoch
        for ours, theirs in zip(run.net.weights + run.net.biases, reference.weights + reference.biases):
            np.testing.assert_array_equal(ours, theirs)
    run.train_to(30)
    np.testing.assert_array_equal(run.net.weights[0], _fresh_fit(30, **settings).weights[0])  # the random state too


def test_a_diverged_run_stays_there_and_can_go_back():
    X, y = make_dataset("circle", 100, 0.1)
    run = TrainingRun(MLP((2, 32, 32, 32, 32, 32, 32, 1), "linear", seed=0), X * 100, y, learning_rate=10.0,
                      batch_size=4)
    reached = run.train_to(50)
    assert run.diverged and reached == run.epoch == run.net.history.diverged_epoch < 50
    assert run.train_to(60) == reached  # no training past a divergence
    assert run.train_to(0) == 0 and not run.diverged
    assert all(np.isfinite(W).all() for W in run.net.weights)
    np.testing.assert_array_equal(run.net.weights[0], MLP((2, 32, 32, 32, 32, 32, 32, 1), "linear", seed=0).weights[0])


def test_a_training_run_checks_its_arguments():
    with pytest.raises(ValueError, match="learning_rate"):
        _run(learning_rate=0.0)
    run = _run(learning_rate=0.1)
    with pytest.raises(ValueError, match="epoch"):
        run.train_to(-1)
    with pytest.raises(ValueError, match="y must have shape"):
        TrainingRun(MLP((2, 3, 1)), np.zeros((5, 2)), np.zeros(4), learning_rate=0.1)


# ---------------------------------------------------------------------------------------------
# Invalid hyperparameters

@pytest.mark.parametrize("kwargs,match", [
    ({"layer_sizes": (2, 0, 1)}, "width of layer 1"),
    ({"layer_sizes": (2,)}, "at least an input size"),
    ({"layer_sizes": (2, 4, 1), "hidden_activation": "swish"}, "hidden_activation must be one of"),
    ({"layer_sizes": (2, 4, 1), "output_activation": "relu"}, "output_activation must be one of"),
    ({"layer_sizes": (2, 4, 1), "output_activation": "softmax"}, "softmax output needs at least 2"),
])
def test_invalid_network_gets_clear_error(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MLP(**kwargs)


def test_invalid_training_settings_get_clear_errors():
    X, y = make_dataset("blobs", 20, 0.1)
    net = MLP((2, 3, 1))
    for lr in (0, -0.1, float("nan")):
        with pytest.raises(ValueError, match="learning_rate must be a positive"):
            net.fit(X, y, epochs=1, learning_rate=lr)
    with pytest.raises(TypeError, match="learning_rate"):
        net.fit(X, y, epochs=1, learning_rate="fast")
    with pytest.raises(ValueError, match="batch_size"):
        net.fit(X, y, epochs=1, learning_rate=0.1, batch_size=0)
    with pytest.raises(ValueError, match="l2"):
        net.fit(X, y, epochs=1, learning_rate=0.1, l2=-1.0)
    with pytest.raises(ValueError, match="X must have shape"):
        net.fit(X[:, :1], y, epochs=1, learning_rate=0.1)
    with pytest.raises(ValueError, match="width"):
        layer_sizes_for(2, 2, 0)
    with pytest.raises(TypeError, match="width"):
        layer_sizes_for(2, 2, 2.5)


# ---------------------------------------------------------------------------------------------
# "Your turn" checkers

def test_check_param_count():
    assert check_param_count(count_params((13, 32, 16, 10)))
    assert check_param_count((13 * 32 + 32) + (32 * 16 + 16) + (16 * 10 + 10))
    assert not check_param_count(None)
    weights_only = check_param_count(13 * 32 + 32 * 16 + 16 * 10)
    assert not weights_only and "bias" in weights_only.message
    assert not check_param_count("many")


def test_count_params_by_hand():
    assert count_params((2, 4, 1)) == 17
    assert count_params((2, 1)) == 3
    with pytest.raises(ValueError, match="layer_sizes"):
        count_params((2, 0, 1))


def _exercise_network():
    """BACKPROP_EXERCISE as an MLP: 1 input, one hidden ReLU unit, one linear output (MSE loss)."""
    ex = BACKPROP_EXERCISE
    net = MLP((1, 1, 1), "relu", "linear", seed=0)
    net.weights = [np.array([[ex["w1"]]]), np.array([[ex["w2"]]])]
    net.biases = [np.array([ex["b1"]]), np.array([ex["b2"]])]
    return net, np.array(ex["x"])[:, None], np.array(ex["y"])


def test_backprop_solution_equals_the_networks_gradients_and_finite_differences():
    net, X, y = _exercise_network()
    weight_grads, _ = net.gradients(X, y)
    expected = backprop_solution()
    np.testing.assert_allclose(expected, [weight_grads[1][0, 0], weight_grads[0][0, 0]], rtol=1e-12)
    num_w, _ = numerical_gradients(net, X, y)
    np.testing.assert_allclose(expected, [num_w[1][0, 0], num_w[0][0, 0]], rtol=1e-7)
    np.testing.assert_allclose(expected, (2.0, 4.0))  # the values a pencil gives
    assert np.sum(np.array(BACKPROP_EXERCISE["x"]) * BACKPROP_EXERCISE["w1"] + BACKPROP_EXERCISE["b1"] < 0) == 1


def test_check_backprop_gradients_names_the_common_slips():
    expected = backprop_solution()
    n = len(BACKPROP_EXERCISE["x"])
    assert check_backprop_gradients(tuple(expected))
    assert check_backprop_gradients([round(v, 2) for v in expected])
    assert "half" in check_backprop_gradients(expected / 2).message  # no factor 2
    assert "summed" in check_backprop_gradients(expected * n).message
    both = check_backprop_gradients(expected * n / 2).message
    assert "factor 2" in both and "summed" in both
    assert "signs" in check_backprop_gradients(-expected).message
    x = np.array(BACKPROP_EXERCISE["x"])
    residual = BACKPROP_EXERCISE["w2"] * np.maximum(x, 0) - np.array(BACKPROP_EXERCISE["y"])
    no_relu_derivative = np.sum(2 * residual / n * BACKPROP_EXERCISE["w2"] * x)
    assert "ReLU's derivative" in check_backprop_gradients((expected[0], no_relu_derivative)).message
    assert not check_backprop_gradients((expected[0], expected[1] + 1))


def test_update_count_solution_equals_the_updates_of_fit():
    ex = UPDATE_COUNT_EXERCISE
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(ex["n_train"], 2)), rng.integers(0, 2, ex["n_train"])
    net = MLP((2, 1), seed=0)
    history = net.fit(X, y, epochs=ex["epochs"], learning_rate=0.01, batch_size=ex["batch_size"], record_batches=True)
    assert len(history.batch_loss) == update_count_solution() == 160


def test_check_update_count_names_the_common_slips():
    ex = UPDATE_COUNT_EXERCISE
    assert check_update_count(160) and check_update_count(160.0) and check_update_count(np.int64(160))
    assert "smaller batch" in check_update_count(ex["epochs"] * (ex["n_train"] // ex["batch_size"])).message
    assert "one epoch" in check_update_count(32).message
    assert "examples seen" in check_update_count(ex["n_train"] * ex["epochs"]).message
    assert "across epochs" in check_update_count(156).message
    assert "whole number" in check_update_count(160.5).message


def test_bias_variance_solution_follows_the_rule_of_thumb():
    solution = bias_variance_solution()
    assert solution == {"A": "bias", "B": "variance", "C": "neither", "D": "both"}
    errors = BIAS_VARIANCE_EXERCISE["errors"]
    # the point of the exercise: the model with the lowest test error is still diagnosed with high variance
    assert min(errors, key=lambda m: errors[m][1]) == "B"


def test_check_bias_variance():
    solution = bias_variance_solution()
    right = check_bias_variance(solution)
    assert right and "lowest test error" in right.message
    assert check_bias_variance({"a": "High Bias", "b": "overfitting", "c": "fine", "d": "Both"})
    assert "training error" in check_bias_variance({**solution, "A": "variance"}).message
    assert "gap" in check_bias_variance({**solution, "C": "variance"}).message
    assert "gap" in check_bias_variance({**solution, "B": "neither"}).message
    assert "only" in check_bias_variance({**solution, "B": "both"}).message
    assert "missing" in check_bias_variance({"A": "bias"}).message
    assert "should be one of" in check_bias_variance({**solution, "D": "wrong"}).message




@pytest.mark.parametrize("answer", ODD_ANSWERS, ids=lambda a: type(a).__name__)
@pytest.mark.parametrize("checker", [check_param_count, check_backprop_gradients, check_update_count,
                                     check_bias_variance])
def test_checkers_never_raise(checker, answer):
    assert_explains(checker, answer)

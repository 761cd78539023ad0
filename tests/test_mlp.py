"""Tests of course_utils.mlp (the NumPy MLP, its data and checkers) and the explorers of notebook 05."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.mlp import (
    DATASETS,
    GRADIENT_STEP_EXERCISE,
    HIDDEN_ACTIVATIONS,
    LEARNING_RATE_EXERCISE,
    LINE_X,
    LINE_Y,
    MLP,
    SURFACES,
    audio_features,
    check_gradient_step,
    check_learning_rate,
    check_param_count,
    count_params,
    gradient_descent,
    gradient_step_solution,
    keras_gradients,
    layer_sizes_for,
    line_fit_hessian,
    make_dataset,
    numerical_gradients,
    train_test_split,
)
from course_utils.widgets import EXPLORERS, sweep_values

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
# Data

@pytest.mark.parametrize("name", DATASETS)
def test_datasets_have_two_balanced_classes_in_a_small_box(name):
    X, y = make_dataset(name, 200, noise=0.1, seed=0)
    assert X.shape == (200, 2) and y.shape == (200,)
    assert set(np.unique(y)) == {0, 1}
    assert 0.3 < y.mean() < 0.7
    assert np.all(np.abs(X) < 2.5)
    X2, y2 = make_dataset(name, 200, noise=0.1, seed=0)
    np.testing.assert_array_equal(X, X2)


def test_noise_moves_points():
    a, _ = make_dataset("circle", 100, noise=0.0, seed=0)
    b, _ = make_dataset("circle", 100, noise=0.3, seed=0)
    assert 0.15 < np.std(a - b) < 0.45


def test_audio_features_are_real_mfcc_means():
    import librosa

    from course_utils.data import load_fsdd

    features, labels = audio_features()
    assert features.shape == (600, 2) and labels.sum() == 300
    fsdd = load_fsdd(digits=[6], progress=False)
    reference = librosa.feature.mfcc(y=fsdd.audio[0], sr=fsdd.sr, n_mfcc=13, n_fft=256, hop_length=128,
                                     n_mels=40, center=False).mean(axis=1)[[1, 2]]
    np.testing.assert_allclose(features[labels == 1][0], reference, rtol=1e-5)
    # the two digits differ in these features: a linear model already beats chance clearly
    net = MLP((2, 1), seed=0)
    X = (features - features.mean(0)) / features.std(0)
    net.fit(X, labels, epochs=50, learning_rate=0.1, batch_size=32)
    assert net.history.train_accuracy[-1] > 0.75


def test_invalid_dataset_arguments():
    with pytest.raises(ValueError, match="name must be one of"):
        make_dataset("moons")
    with pytest.raises(ValueError, match="noise"):
        make_dataset("circle", noise=2.0)
    with pytest.raises(ValueError, match="n_samples"):
        make_dataset("audio", n_samples=1000)
    with pytest.raises(ValueError, match="train_fraction"):
        train_test_split(np.zeros((10, 2)), np.zeros(10), train_fraction=1.0)


def test_train_test_split_partitions():
    X = np.arange(20.0).reshape(10, 2)
    y = np.arange(10)
    X_train, y_train, X_test, y_test = train_test_split(X, y, 0.7, seed=1)
    assert len(y_train) == 7 and len(y_test) == 3
    assert sorted(np.r_[y_train, y_test]) == list(range(10))
    np.testing.assert_array_equal(X_train[:, 0], 2 * y_train)


# ---------------------------------------------------------------------------------------------
# Gradient descent in two dimensions

def test_gradient_descent_converges_below_two_over_lambda_max_and_diverges_above():
    limit = 2 / np.linalg.eigvalsh(line_fit_hessian()).max()
    good = gradient_descent("line fit (convex)", (-1, 2), 0.9 * limit, 400)
    bad = gradient_descent("line fit (convex)", (-1, 2), 1.1 * limit, 400)
    best, *_ = np.linalg.lstsq(np.c_[LINE_X, np.ones_like(LINE_X)], LINE_Y, rcond=None)
    np.testing.assert_allclose(good.thetas[-1], best, atol=1e-6)
    assert bad.diverged and len(bad.losses) < 401 and np.all(np.isfinite(bad.losses))


@pytest.mark.parametrize("name", list(SURFACES))
def test_surface_gradients_match_finite_differences(name):
    s = SURFACES[name]
    for p in [(0.3, -0.7), (1.2, 0.4), s.start]:
        eps = 1e-6
        numeric = [(s.loss(p[0] + eps, p[1]) - s.loss(p[0] - eps, p[1])) / (2 * eps),
                   (s.loss(p[0], p[1] + eps) - s.loss(p[0], p[1] - eps)) / (2 * eps)]
        np.testing.assert_allclose(s.gradient(*p), numeric, rtol=1e-6, atol=1e-8)


def test_double_well_has_two_minima_and_a_saddle():
    s = SURFACES["double well (non-convex)"]
    left = gradient_descent(s, (-0.5, 1.0), 0.05, 2000).thetas[-1]
    right_ = gradient_descent(s, (0.5, 1.0), 0.05, 2000).thetas[-1]
    assert left[0] < -0.9 and right_[0] > 0.9
    assert s.loss(*left) < s.loss(*right_)  # the right one is only a local minimum
    saddle_x = [r.real for r in np.roots([4, 0, -4, 0.3]) if abs(r.imag) < 1e-12 and abs(r.real) < 0.5][0]
    assert np.allclose(s.gradient(saddle_x, 0.0), 0, atol=1e-12)
    hessian_diagonal = (12 * saddle_x**2 - 4, 4.0)  # the cross term vanishes: L is a sum of f(x) and g(y)
    assert hessian_diagonal[0] < 0 < hessian_diagonal[1]  # curves down along x, up along y: a saddle


# ---------------------------------------------------------------------------------------------
# "Your turn" checkers

def test_check_param_count():
    assert check_param_count(count_params((13, 32, 16, 10)))
    assert check_param_count((13 * 32 + 32) + (32 * 16 + 16) + (16 * 10 + 10))
    assert not check_param_count(None)
    weights_only = check_param_count(13 * 32 + 32 * 16 + 16 * 10)
    assert not weights_only and "bias" in weights_only.message
    assert not check_param_count("many")


def test_check_gradient_step():
    solution = gradient_step_solution()
    x, y = np.array(GRADIENT_STEP_EXERCISE["x"]), np.array(GRADIENT_STEP_EXERCISE["y"])
    w, b = GRADIENT_STEP_EXERCISE["theta"]
    by_hand = np.array([w, b]) - 0.1 * np.array([np.mean(2 * (w * x + b - y) * x), np.mean(2 * (w * x + b - y))])
    np.testing.assert_allclose(solution, by_hand)
    assert check_gradient_step(tuple(solution))
    assert not check_gradient_step(None)
    uphill = check_gradient_step(2 * np.array(GRADIENT_STEP_EXERCISE["theta"]) - solution)
    assert not uphill and "uphill" in uphill.message
    assert not check_gradient_step([1.0])
    assert not check_gradient_step((1.0, 0.0))


def test_check_learning_rate():
    limit = 2 / np.linalg.eigvalsh(line_fit_hessian()).max()
    assert check_learning_rate(0.3)
    assert not check_learning_rate(None)
    assert not check_learning_rate(-0.1)
    too_small = check_learning_rate(1e-3)
    assert not too_small and "too small" in too_small.message
    too_large = check_learning_rate(1.2 * limit)
    assert not too_large and "2 / (largest curvature)" in too_large.message
    for just_above in (0.455, 0.46):  # above the limit 0.4545, though 30 steps still end below the start
        path = gradient_descent(LEARNING_RATE_EXERCISE["surface"], LEARNING_RATE_EXERCISE["start"], just_above,
                                LEARNING_RATE_EXERCISE["n_steps"])
        assert just_above > limit and path.losses[-1] < path.losses[0]
        assert "grows without bound" in check_learning_rate(just_above).message
    path = gradient_descent(LEARNING_RATE_EXERCISE["surface"], LEARNING_RATE_EXERCISE["start"], 0.3,
                            LEARNING_RATE_EXERCISE["n_steps"])
    assert not path.diverged


def test_count_params_by_hand():
    assert count_params((2, 4, 1)) == 17
    assert count_params((2, 1)) == 3
    with pytest.raises(ValueError, match="layer_sizes"):
        count_params((2, 0, 1))


# ---------------------------------------------------------------------------------------------
# Explorers

@pytest.fixture(scope="module")
def playground():
    return EXPLORERS["playground"]()


def test_playground_every_control_updates(playground):
    e = playground
    assert e.error is None
    for name, control in e.controls.items():
        original = control.value
        before = e.snapshot()
        changed = False
        for value in sweep_values(control, max_values=4):
            control.value = value
            assert e.error is None, (name, value, e.error)
            changed |= e.snapshot() != before
        if name != "epochs":  # "epochs per run" only relabels the button
            assert changed, name
        control.value = original
    assert e.buttons[f"Train {e.controls['epochs'].value} epochs"]


def test_playground_reset_and_buttons(playground):
    e = playground
    e.buttons["Reset"].click_now()
    assert e.net.history.epochs == 0 and e.error is None
    e.buttons["Step 1 epoch"].click_now()
    assert e.net.history.epochs == 1
    n = e.controls["epochs"].value
    e._train_n_button.click_now()
    assert e.net.history.epochs == 1 + n


def test_playground_learning_rate_continues_and_architecture_resets(playground):
    e = playground
    e.controls["dataset"].value = "xor"
    epochs = e.net.history.epochs
    e.controls["learning_rate"].value = 0.05
    assert e.net.history.epochs == epochs + e.controls["epochs"].value
    e.controls["width"].value = 5
    assert e.net.history.epochs == e.controls["epochs"].value
    assert e.net.layer_sizes == (2, 5, 5, 1)


def test_playground_live_runs_are_capped_but_the_button_is_not():
    e = EXPLORERS["playground"](batch_size=1, epochs=200)
    n_train = len(e.data[0])
    assert e.net.history.epochs == 4000 // n_train < 200
    assert "at most 4000 updates" in e.readout.value
    e.controls["epochs"].value = 60
    e._train_n_button.click_now()
    assert e.net.history.epochs == 4000 // n_train + 60


def test_playground_keras_code_matches_settings(playground, keras64):
    e = playground
    with e.hold():
        e.controls["depth"].value = 3
        e.controls["width"].value = 7
        e.controls["l2"].value = 1e-3
    e.buttons["Show Keras code"].click_now()
    namespace = {}
    exec(e.keras_code, namespace)
    assert namespace["model"].count_params() == e.net.count_params() == count_params((2, 7, 7, 7, 1))
    assert "Dense(7" in e.code_box.value


def test_playground_shows_divergence_instead_of_crashing():
    e = EXPLORERS["playground"](activation="linear", depth=6, width=32, learning_rate=10.0, batch_size=1, epochs=50)
    assert e.error is None
    assert e.net.history.diverged
    assert "diverged" in e.readout.value and ".." not in e.readout.value
    assert e.warning.get_visible()
    e.controls["learning_rate"].value = 0.01  # lowering the rate restarts from fresh weights
    assert not e.net.history.diverged and e.error is None
    assert not e.warning.get_visible()


def test_playground_audio_dataset():
    e = EXPLORERS["playground"](dataset="audio", epochs=20)
    assert e.error is None
    X_train, _, X_test, _ = e.data
    assert len(X_train) + len(X_test) == e.n_samples


def test_gradient_descent_explorer():
    e = EXPLORERS["gradient_descent"]()
    assert e.error is None
    for name, control in e.controls.items():
        before = e.snapshot()
        changed = False
        for value in sweep_values(control, max_values=4):
            control.value = value
            assert e.error is None, (name, value, e.error)
            changed |= e.snapshot() != before
        assert changed, name
    e.controls["surface"].value = "line fit (convex)"
    e.controls["learning_rate"].value = 3.0
    assert "Diverged" in e.warning.get_text()
    start = (e.controls["start_0"].value, e.controls["start_1"].value)
    path = gradient_descent("line fit (convex)", start, 3.0, e.controls["n_steps"].value)
    assert path.diverged
    assert f"stopped after {len(path.losses) - 1} steps" in e.warning.get_text()
    e.controls["surface"].value = "double well (non-convex)"
    assert e.controls["start_0"].value == SURFACES["double well (non-convex)"].start[0]


def _pixels(png: bytes) -> np.ndarray:
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


@pytest.mark.parametrize("name,changes", [
    ("playground", [("dataset", "spiral"), ("learning_rate", 1.0), ("epochs", 400), ("depth", 0), ("epochs", 1000)]),
    ("gradient_descent", [("learning_rate", 0.01), ("surface", "double well (non-convex)"), ("n_steps", 150)]),
])
def test_cached_background_is_never_stale(name, changes):
    e = EXPLORERS[name]()
    for control, value in changes:
        e.controls[control].value = value
        cached = _pixels(e.snapshot())
        e._background = None  # draw everything afresh
        e._render()
        assert np.array_equal(cached, _pixels(e.snapshot())), (control, value)
        e.refresh()  # the next change starts from a cached background again


def test_gradient_descent_explorer_created_on_another_surface_starts_there():
    well = SURFACES["double well (non-convex)"]
    e = EXPLORERS["gradient_descent"](surface="double well (non-convex)")
    assert (e.controls["start_0"].value, e.controls["start_1"].value) == well.start
    e = EXPLORERS["gradient_descent"](surface="double well (non-convex)", start_0=0.1, start_1=1.4)
    assert (e.controls["start_0"].value, e.controls["start_1"].value) == (0.1, 1.4)
    assert e.controls["start_1"].max == well.extent[3]


def test_playground_names_the_audio_features_and_classes():
    explorer = EXPLORERS["playground"](dataset="audio", noise=0.2)
    assert explorer.error is None
    assert explorer.ax_map.get_xlabel() == "MFCC 1 mean" and "'six'" in explorer.ax_map.get_title()
    assert "noise of standard deviation 0.2" in explorer.readout.value
    explorer.controls["dataset"].value = "xor"
    assert explorer.ax_map.get_xlabel() == "feature 1" and "class 1" in explorer.ax_map.get_title()
    assert "Each point is one recording" not in explorer.readout.value

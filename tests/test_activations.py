"""Tests of course_utils.activations against Keras/TensorFlow, finite differences and invariants."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from course_utils import activations as act
from course_utils.activations import (
    ACTIVATIONS, EPSILON, LOSSES, SELU_ALPHA, SELU_LAMBDA, binary_crossentropy, binary_crossentropy_gradient,
    categorical_crossentropy, categorical_crossentropy_gradient, deep_stack_statistics, lecun_normal, mse,
    mse_gradient, neuron, sigmoid, softmax, softmax_crossentropy, softmax_crossentropy_gradient,
)

EXTREMES = np.array([-1000.0, -750.0, -50.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 50.0, 750.0, 1000.0])


@pytest.fixture(scope="module")
def keras():
    keras = pytest.importorskip("keras")
    return keras


@pytest.fixture(scope="module")
def tf():
    return pytest.importorskip("tensorflow")


def random_probabilities(rng, shape):
    return softmax(rng.normal(0, 2, size=shape))


def one_hot(rng, n, n_classes):
    return np.eye(n_classes)[rng.integers(0, n_classes, size=n)]


# ------------------------------------------------------------------ activations ---------------

def test_selu_constants_equal_keras(keras):
    # selu(1) = lambda, selu(-inf) -> -lambda * alpha
    out = keras.ops.convert_to_numpy(keras.activations.selu(np.array([1.0, -1000.0])))
    assert SELU_LAMBDA == pytest.approx(1.0507009873554805, rel=1e-15)
    assert SELU_ALPHA == pytest.approx(1.6732632423543772, rel=1e-15)
    np.testing.assert_allclose(out, [SELU_LAMBDA, -SELU_LAMBDA * SELU_ALPHA], rtol=1e-14)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_equals_keras_on_random_and_extreme_inputs(keras, name):
    rng = np.random.default_rng(1)
    z = np.concatenate([rng.normal(0, 3, size=495), EXTREMES]).reshape(-1, 11)
    ours = ACTIVATIONS[name][0](z)
    theirs = keras.ops.convert_to_numpy(getattr(keras.activations, name)(z))
    assert ours.shape == z.shape and ours.dtype == np.float64
    assert np.all(np.isfinite(ours))
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_equals_tensorflow_gradient(tf, name):
    rng = np.random.default_rng(2)
    z = np.concatenate([rng.normal(0, 3, size=300), EXTREMES, [0.0, -0.0]])
    variable = tf.Variable(z)
    import keras

    with tf.GradientTape() as tape:
        out = tf.reduce_sum(getattr(keras.activations, name)(variable))
    expected = tape.gradient(out, variable).numpy()
    ours = ACTIVATIONS[name][1](z)
    assert np.all(np.isfinite(ours))
    np.testing.assert_allclose(ours, expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_equals_finite_differences(name):
    rng = np.random.default_rng(3)
    z = rng.uniform(-6, 6, size=400)
    z = z[np.abs(z) > 1e-3]  # away from the kinks of relu and selu
    f, df = ACTIVATIONS[name]
    h = 1e-6
    numeric = (f(z + h) - f(z - h)) / (2 * h)
    np.testing.assert_allclose(df(z), numeric, rtol=1e-6, atol=1e-8)


def test_derivative_values_at_the_kink_and_the_bounds():
    assert act.relu_derivative(0.0) == 0.0
    assert act.selu_derivative(0.0) == pytest.approx(SELU_LAMBDA)
    assert act.sigmoid_derivative(0.0) == 0.25
    assert act.tanh_derivative(0.0) == 1.0
    z = np.linspace(-20, 20, 2001)
    assert act.sigmoid_derivative(z).max() == pytest.approx(0.25)
    assert act.sigmoid_derivative(10.0) < 5e-5  # vanishing gradient of a saturated sigmoid


def test_activations_keep_float32_and_convert_integers():
    z32 = np.linspace(-5, 5, 11, dtype=np.float32)
    for name, (f, df) in ACTIVATIONS.items():
        assert f(z32).dtype == np.float32, name
        assert df(z32).dtype == np.float32, name
        assert f([-1, 0, 2]).dtype == np.float64, name
    assert softmax(z32).dtype == np.float32
    np.testing.assert_array_equal(act.relu([-2, 0, 3]), [0.0, 0.0, 3.0])


def test_activations_on_extremes_raise_no_warnings():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        for f, df in ACTIVATIONS.values():
            f(EXTREMES), df(EXTREMES)
        softmax(np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0]]))
    np.testing.assert_array_equal(sigmoid(np.array([-1000.0, 1000.0])), [0.0, 1.0])


def test_activations_reject_non_numeric_input():
    with pytest.raises(TypeError, match="z must be an array of real numbers"):
        act.relu(np.array(["a", "b"]))
    with pytest.raises(TypeError, match="z"):
        act.sigmoid(np.array([1 + 2j]))


# ------------------------------------------------------------------ softmax -------------------

def test_softmax_equals_keras_and_is_stable(keras):
    rng = np.random.default_rng(4)
    z = np.vstack([rng.normal(0, 5, size=(50, 7)), [[1000, -1000, 0, 999, 1000, -5, 3]],
                   [[-1000] * 7], [[1000] * 7]]).astype(float)
    ours = softmax(z)
    theirs = keras.ops.convert_to_numpy(keras.activations.softmax(z))
    assert np.all(np.isfinite(ours))
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(ours.sum(axis=1), 1.0, rtol=1e-14)
    np.testing.assert_allclose(ours[-1], np.full(7, 1 / 7))
    # the naive formula fails exactly here
    with np.errstate(over="ignore", invalid="ignore"):
        naive = np.exp(z[50]) / np.exp(z[50]).sum()
    assert np.isnan(naive).any()


def test_softmax_temperature_and_axis(keras):
    rng = np.random.default_rng(5)
    z = rng.normal(0, 2, size=(6, 4))
    for temperature in (0.1, 0.5, 2.0, 10.0):
        expected = keras.ops.convert_to_numpy(keras.activations.softmax(z / temperature))
        np.testing.assert_allclose(softmax(z, temperature=temperature), expected, rtol=1e-12)
    cold = softmax(z, temperature=1e-3)
    np.testing.assert_array_equal(cold.argmax(axis=1), z.argmax(axis=1))
    assert np.all(cold.max(axis=1) > 0.99)
    hot = softmax(z, temperature=1e4)
    np.testing.assert_allclose(hot, 0.25, atol=1e-3)
    np.testing.assert_allclose(softmax(z, axis=0), softmax(z.T).T, rtol=1e-14)
    np.testing.assert_allclose(softmax(z, axis=0).sum(axis=0), 1.0)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 6)),
              elements=st.floats(-1e3, 1e3, allow_nan=False)),
       st.floats(-500, 500), st.floats(0.05, 20))
def test_softmax_properties(z, shift, temperature):
    p = softmax(z, temperature=temperature)
    assert np.all(np.isfinite(p)) and np.all(p >= 0) and np.all(p <= 1)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-12)
    # the most probable class is (one of) the largest logit(s)
    chosen = np.take_along_axis(z, p.argmax(axis=-1)[:, None], axis=-1)[:, 0]
    np.testing.assert_allclose(chosen, z.max(axis=-1), atol=1e-9 * temperature)
    # adding the same number to every logit of a row changes nothing
    np.testing.assert_allclose(softmax(z + shift, temperature=temperature), p, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.integers(1, 50), elements=st.floats(-1e4, 1e4, allow_nan=False)))
def test_sigmoid_properties(z):
    s = sigmoid(z)
    assert np.all((s >= 0) & (s <= 1))
    np.testing.assert_allclose(sigmoid(-z), 1 - s, atol=1e-15)


def test_softmax_rejects_bad_arguments():
    with pytest.raises(ValueError, match="temperature"):
        softmax([1.0, 2.0], temperature=0)
    with pytest.raises(ValueError, match="temperature"):
        softmax([1.0, 2.0], temperature=np.inf)
    with pytest.raises(TypeError, match="temperature"):
        softmax([1.0, 2.0], temperature="hot")
    with pytest.raises(ValueError, match="at least one axis"):
        softmax(3.0)
    with pytest.raises(ValueError, match="axis"):
        softmax([[1.0, 2.0]], axis=2)


# ------------------------------------------------------------------ losses --------------------

def _loss_cases(rng):
    """(name, y_true, y_pred) with random and extreme values, batch x outputs."""
    p_bin = rng.uniform(0, 1, size=(64, 3))
    p_bin[0] = [0.0, 1.0, 0.5]
    p_bin[1] = [1.0, 0.0, 1e-9]
    t_bin = rng.integers(0, 2, size=(64, 3)).astype(float)
    t_bin[0] = [1.0, 0.0, 1.0]
    t_bin[1] = [0.0, 1.0, 0.0]
    p_cat = random_probabilities(rng, (64, 5))
    p_cat[0] = [0.0, 0.0, 1.0, 0.0, 0.0]
    p_cat[1] = [1.0, 0.0, 0.0, 0.0, 0.0]
    t_cat = one_hot(rng, 64, 5)
    t_cat[0] = [1, 0, 0, 0, 0]
    t_cat[1] = [1, 0, 0, 0, 0]
    y = rng.normal(0, 1, size=(64, 2))
    return {
        "mse": (y, y + rng.normal(0, 0.5, size=y.shape)),
        "binary_crossentropy": (t_bin, p_bin),
        "categorical_crossentropy": (t_cat, p_cat),
    }


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_equals_keras(keras, name):
    y_true, y_pred = _loss_cases(np.random.default_rng(6))[name]
    keras_name = {"mse": "mean_squared_error"}.get(name, name)
    per_sample = keras.ops.convert_to_numpy(getattr(keras.losses, keras_name)(y_true, y_pred))
    assert per_sample.dtype == np.float64
    assert LOSSES[name][0](y_true, y_pred) == pytest.approx(np.mean(per_sample), rel=1e-12)
    np.testing.assert_allclose(LOSSES[name][0](y_true, y_pred, reduction="none"), per_sample, rtol=1e-12)
    with pytest.raises(ValueError, match="reduction"):
        LOSSES[name][0](y_true, y_pred, reduction="sum")
    # the Loss classes (float32, default reduction "sum_over_batch_size") give the same mean
    cls = {"mse": keras.losses.MeanSquaredError, "binary_crossentropy": keras.losses.BinaryCrossentropy,
           "categorical_crossentropy": keras.losses.CategoricalCrossentropy}[name]
    y_pred_32 = y_pred.astype(np.float32)
    inside = (y_pred_32 > 1e-6) & (y_pred_32 < 1 - 1e-6) if name != "mse" else np.ones(y_pred.shape, bool)
    rows = inside.all(axis=1)  # float32 cannot hold 1 - 1e-7 exactly: compare rows away from the clip
    expected = float(cls()(y_true[rows], y_pred_32[rows]))
    assert LOSSES[name][0](y_true[rows], y_pred[rows]) == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_gradient_equals_tensorflow(tf, keras, name):
    y_true, y_pred = _loss_cases(np.random.default_rng(7))[name]
    keras_name = {"mse": "mean_squared_error"}.get(name, name)
    variable = tf.Variable(y_pred)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(getattr(keras.losses, keras_name)(tf.constant(y_true), variable))
    expected = tape.gradient(loss, variable).numpy()
    ours = LOSSES[name][1](y_true, y_pred)
    assert ours.shape == y_pred.shape and np.all(np.isfinite(ours))
    if name == "categorical_crossentropy":
        # Keras divides each row by its sum s before clipping. For rows with s = 1 the chain rule through
        # p / s adds sum_c(y_c * [p_c not clipped]) / batch to every entry of the row: remove that constant.
        inside = (y_pred > EPSILON) & (y_pred < 1 - EPSILON)
        shift = np.sum(y_true * inside, axis=1, keepdims=True) / len(y_pred)
        np.testing.assert_allclose(ours, expected - shift, rtol=1e-9, atol=1e-12)
    else:
        np.testing.assert_allclose(ours, expected, rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_gradient_equals_finite_differences(name):
    rng = np.random.default_rng(8)
    y_true, y_pred = _loss_cases(rng)[name]
    y_true, y_pred = y_true[2:8], y_pred[2:8]  # random rows, away from the clip range
    loss, gradient = LOSSES[name]
    h = 1e-7
    numeric = np.zeros_like(y_pred)
    for index in np.ndindex(y_pred.shape):
        up, down = y_pred.copy(), y_pred.copy()
        up[index] += h
        down[index] -= h
        numeric[index] = (loss(y_true, up) - loss(y_true, down)) / (2 * h)
    np.testing.assert_allclose(gradient(y_true, y_pred), numeric, rtol=1e-5, atol=1e-7)


def test_losses_at_probabilities_of_exactly_zero_and_one():
    # a confident wrong answer costs -log(EPSILON), never inf
    assert binary_crossentropy([1.0], [0.0]) == pytest.approx(-np.log(EPSILON))
    assert binary_crossentropy([0.0], [1.0]) == pytest.approx(-np.log(EPSILON), rel=1e-7)
    assert binary_crossentropy([1.0, 0.0], [1.0, 0.0]) == pytest.approx(-np.log1p(-EPSILON))
    assert categorical_crossentropy([[1.0, 0.0]], [[0.0, 1.0]]) == pytest.approx(-np.log(EPSILON))
    assert categorical_crossentropy([[0.0, 1.0]], [[0.0, 1.0]]) == pytest.approx(-np.log1p(-EPSILON))
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        g = binary_crossentropy_gradient([1.0, 0.0, 1.0], [0.0, 1.0, 1.0])
        c = categorical_crossentropy_gradient([[1.0, 0.0]], [[0.0, 1.0]])
    np.testing.assert_array_equal(g, 0.0)  # clipped: flat, as TensorFlow differentiates Keras' BCE
    np.testing.assert_array_equal(c, 0.0)  # the package's formula; Keras' CCE adds 1/batch per row (see above)


def test_float32_bce_of_a_confident_wrong_answer_equals_keras(keras):
    # float32 rounds 1 - 1e-7 to 1 - 1.19e-7, so the cost of predicting 1 for a target of 0 is 15.94, not 16.12
    y0, p1 = np.array([[0.0]], np.float32), np.array([[1.0]], np.float32)
    keras_value = float(keras.losses.BinaryCrossentropy()(y0, p1))
    assert keras_value == pytest.approx(15.9424, abs=1e-3)
    assert binary_crossentropy(y0, p1) == pytest.approx(keras_value, rel=1e-6)
    assert binary_crossentropy(y0.astype(float), p1.astype(float)) == pytest.approx(16.1181, abs=1e-3)


def test_keras_scores_a_softmax_or_sigmoid_layer_from_its_logits_without_clipping(keras):
    # what notebook 04 states: a probability array is clipped (at most 16.12), a Keras output layer is not
    inputs = keras.Input((2,))
    model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(inputs))
    model.layers[-1].set_weights([np.eye(2, dtype=np.float32), np.zeros(2, np.float32)])
    model.compile(loss="categorical_crossentropy")
    x, y = np.array([[2000.0, 0.0]], np.float32), np.array([[0.0, 1.0]], np.float32)
    assert model.evaluate(x, y, verbose=0) == pytest.approx(2000.0)
    assert softmax_crossentropy(y, x) == pytest.approx(2000.0)
    probabilities = model.predict(x, verbose=0)
    assert float(keras.losses.CategoricalCrossentropy()(y, probabilities)) == pytest.approx(-np.log(EPSILON), rel=1e-6)
    assert categorical_crossentropy(y, probabilities) == pytest.approx(-np.log(EPSILON), rel=1e-6)
    inputs = keras.Input((1,))
    binary = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(inputs))
    binary.layers[-1].set_weights([np.ones((1, 1), np.float32), np.zeros(1, np.float32)])
    binary.compile(loss="binary_crossentropy")
    assert binary.evaluate(np.array([[2000.0]], np.float32), np.array([[0.0]], np.float32), verbose=0) == \
        pytest.approx(2000.0)


def test_mse_formula_and_gradient_factor():
    y_true = np.array([[1.0, 2.0], [3.0, 4.0]])
    y_pred = np.array([[1.5, 2.0], [2.0, 4.0]])
    assert mse(y_true, y_pred) == pytest.approx((0.25 + 1.0) / 4)
    np.testing.assert_allclose(mse_gradient(y_true, y_pred), 2 * (y_pred - y_true) / 4)
    assert mse([1.0], [1.0]) == 0.0


# ------------------------------------------------------------------ softmax + cross-entropy ---

def test_softmax_crossentropy_equals_keras_from_logits(keras, tf):
    rng = np.random.default_rng(9)
    logits = np.vstack([rng.normal(0, 3, size=(30, 4)), [[1000, -1000, 0, 1]], [[-1000, -1000, -1000, 1000]]])
    y_true = one_hot(rng, len(logits), 4)
    y_true[-1] = [1, 0, 0, 0]  # the hopeless case: the true class has logit -2000 below the best
    per_sample = keras.ops.convert_to_numpy(keras.losses.categorical_crossentropy(y_true, logits, from_logits=True))
    ours = softmax_crossentropy(y_true, logits)
    assert np.isfinite(ours)
    assert ours == pytest.approx(np.mean(per_sample), rel=1e-12)
    variable = tf.Variable(logits)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(keras.losses.categorical_crossentropy(tf.constant(y_true), variable, from_logits=True))
    expected = tape.gradient(loss, variable).numpy()
    grad = softmax_crossentropy_gradient(y_true, logits)
    np.testing.assert_allclose(grad, expected, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(grad, (softmax(logits) - y_true) / len(logits))
    np.testing.assert_allclose(grad.sum(axis=1), 0.0, atol=1e-15)


def test_softmax_crossentropy_gradient_equals_finite_differences_and_chain_rule():
    rng = np.random.default_rng(10)
    logits = rng.normal(0, 2, size=(5, 3))
    y_true = one_hot(rng, 5, 3)
    h = 1e-6
    numeric = np.zeros_like(logits)
    for index in np.ndindex(logits.shape):
        up, down = logits.copy(), logits.copy()
        up[index] += h
        down[index] -= h
        numeric[index] = (softmax_crossentropy(y_true, up) - softmax_crossentropy(y_true, down)) / (2 * h)
    grad = softmax_crossentropy_gradient(y_true, logits)
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-9)
    # chain rule: softmax Jacobian times the cross-entropy gradient w.r.t. the probabilities
    p = softmax(logits)
    dl_dp = categorical_crossentropy_gradient(y_true, p)
    chained = np.stack([(np.diag(pi) - np.outer(pi, pi)) @ gi for pi, gi in zip(p, dl_dp)])
    np.testing.assert_allclose(chained, grad, rtol=1e-9, atol=1e-12)
    assert categorical_crossentropy(y_true, p) == pytest.approx(softmax_crossentropy(y_true, logits), rel=1e-12)


def test_large_batch_is_finite_and_fast_enough():
    rng = np.random.default_rng(11)
    logits = rng.normal(0, 300, size=(50_000, 10))
    y_true = one_hot(rng, len(logits), 10)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        p = softmax(logits)
        loss = softmax_crossentropy(y_true, logits)
        grad = softmax_crossentropy_gradient(y_true, logits)
        bce = binary_crossentropy(y_true, p)
    assert np.isfinite(loss) and np.isfinite(bce) and np.all(np.isfinite(grad))
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)


# ------------------------------------------------------------------ errors --------------------

@pytest.mark.parametrize("name", sorted(LOSSES) + ["softmax_crossentropy"])
def test_losses_reject_mismatched_shapes(name):
    functions = [getattr(act, name), getattr(act, name + "_gradient")]
    for f in functions:
        with pytest.raises(ValueError, match=r"y_true has shape \(4, 3\) but .* has shape \(4, 2\)"):
            f(np.full((4, 3), 1 / 3), np.full((4, 2), 0.5))
        with pytest.raises(ValueError, match="empty"):
            f(np.zeros((0, 2)), np.zeros((0, 2)))


def test_class_indices_get_a_one_hot_hint():
    with pytest.raises(ValueError, match="one-hot"):
        categorical_crossentropy(np.array([0, 2, 1]), np.full((3, 3), 1 / 3))


def test_losses_reject_invalid_values():
    with pytest.raises(ValueError, match=r"y_pred must hold probabilities in \[0, 1\]"):
        binary_crossentropy([1.0, 0.0], [2.5, -1.0])
    with pytest.raises(ValueError, match="y_pred must hold probabilities"):
        binary_crossentropy_gradient([1.0], [1.5])
    with pytest.raises(ValueError, match="must sum to 1"):
        categorical_crossentropy([[1.0, 0.0]], [[0.3, 0.3]])
    with pytest.raises(ValueError, match="y_true must sum to 1|each row of y_true"):
        softmax_crossentropy_gradient([[1.0, 1.0]], [[0.3, 0.3]])
    with pytest.raises(ValueError, match="NaN"):
        mse([1.0, np.nan], [1.0, 2.0])
    with pytest.raises(ValueError, match="y_pred contains NaN"):
        mse([1.0, 2.0], [1.0, np.inf])
    with pytest.raises(TypeError, match="y_pred"):
        mse([1.0], ["x"])


# ------------------------------------------------------------------ neurons and deep stacks ---

def test_neuron_computes_weighted_sum_bias_and_activation():
    x = np.array([[1.0, 2.0], [-3.0, 0.5], [0.0, 0.0]])
    w = np.array([0.5, -1.0])
    for name, (f, _) in ACTIVATIONS.items():
        expected = f(x[:, 0] * w[0] + x[:, 1] * w[1] + 0.25)
        np.testing.assert_allclose(neuron(x, w, 0.25, name), expected)
    assert neuron([1.0, 2.0], [0.5, -1.0], 0.25, "linear") == pytest.approx(-1.25)
    assert neuron([1.0, 2.0], [0.5, -1.0], 0.25, "relu") == 0.0
    with pytest.raises(ValueError, match="weights"):
        neuron(np.ones((3, 3)), w)
    with pytest.raises(ValueError, match="activation must be one of"):
        neuron([1.0, 2.0], w, activation="swish")
    with pytest.raises(ValueError, match="softmax"):
        neuron([1.0, 2.0], w, activation="softmax")


def test_lecun_normal_variance():
    w = lecun_normal(400, 300, rng=0)
    assert w.shape == (400, 300)
    assert w.var() == pytest.approx(1 / 400, rel=0.02)
    assert abs(w.mean()) < 3 * np.sqrt(1 / 400 / w.size)
    with pytest.raises(ValueError, match="n_inputs"):
        lecun_normal(0, 3)


def test_selu_stack_self_normalises_where_relu_and_sigmoid_drift():
    selu_stats = deep_stack_statistics("selu", n_layers=30, width=256, n_samples=500, rng=0)
    assert np.all(np.abs(selu_stats["mean"]) < 0.15)
    assert np.all(np.abs(selu_stats["std"] - 1) < 0.15)
    relu_stats = deep_stack_statistics("relu", n_layers=30, width=256, n_samples=500, rng=0)
    assert relu_stats["std"][-1] < 1e-3  # variance roughly halves per layer with LeCun-normal weights
    sigmoid_stats = deep_stack_statistics("sigmoid", n_layers=30, width=256, n_samples=500, rng=0)
    assert sigmoid_stats["mean"][-1] > 0.4 and sigmoid_stats["std"][-1] < 0.2
    with pytest.raises(ValueError, match="n_layers"):
        deep_stack_statistics("selu", n_layers=0)
    with pytest.raises(ValueError, match="activation"):
        deep_stack_statistics("gelu")


# ------------------------------------------------------------------ exercise checkers ---------

def test_check_neuron_output():
    assert act.check_neuron_output(np.tanh(1.7))
    assert act.check_neuron_output(0.9354)
    assert act.check_neuron_output(0.94) and act.check_neuron_output(0.935)  # rounded to two or three decimals
    assert not act.check_neuron_output(0.93) and not act.check_neuron_output(0.95)
    assert "z = 1.2*0.5 + (-0.4)*(-2) + 0.3 = 1.70" in act.check_neuron_output(np.tanh(1.7)).message
    result = act.check_neuron_output(None)
    assert not result and "None" in result.message
    assert "tanh" in act.check_neuron_output(1.7).message  # forgot the activation
    assert "bias" in act.check_neuron_output(np.tanh(1.4)).message
    assert not act.check_neuron_output(0.5)
    assert not act.check_neuron_output("abc")


def test_check_softmax():
    def good(z):
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def naive(z):
        return np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)

    def wrong_axis(z):
        e = np.exp(z - z.max())
        return e / e.sum(axis=0, keepdims=True)

    def sign_slip(z):  # the slide's denominator
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / np.exp(-(z - z.max(axis=1, keepdims=True))).sum(axis=1, keepdims=True)

    assert act.check_softmax(good)
    assert not act.check_softmax(None)
    assert "NaN" in act.check_softmax(naive).message
    assert "sum" in act.check_softmax(wrong_axis).message
    assert not act.check_softmax(sign_slip)
    assert "e^(-z_j)" in act.check_softmax(sign_slip).message
    assert "raised" in act.check_softmax(lambda z: 1 / 0).message
    assert "returns None" in act.check_softmax(lambda z: None).message
    assert not act.check_softmax(42)


def test_check_output_layer():
    reference = dict(act.EXERCISE_TASKS)
    assert act.check_output_layer(reference)
    blank = {task: (None, None) for task in reference}
    assert "fill in" in act.check_output_layer(blank).message
    swapped = dict(reference)
    swapped["recognise which digit 0-9 was spoken"] = ("sigmoid", "binary_crossentropy")
    assert "one class out of several" in act.check_output_layer(swapped).message
    wrong_loss = dict(reference)
    wrong_loss["predict the tempo of a song in BPM"] = ("linear", "binary_crossentropy")
    assert "which loss" in act.check_output_layer(wrong_loss).message
    assert not act.check_output_layer(None)


def test_check_crossentropy():
    assert act.check_crossentropy(-np.log(0.7))
    assert act.check_crossentropy(0.36) and act.check_crossentropy(0.357)  # rounded by hand: right
    assert not act.check_crossentropy(0.35) and not act.check_crossentropy(0.37)
    assert not act.check_crossentropy(None)
    assert "minus" in act.check_crossentropy(np.log(0.7)).message
    assert "minus" in act.check_crossentropy(-0.36).message  # the sign slip, rounded by hand
    assert "base 10" in act.check_crossentropy(-np.log10(0.7)).message
    assert "only the terms" in act.check_crossentropy(-np.log([0.2, 0.7, 0.1]).sum()).message


WEIRD_ANSWERS = [10**400, -10**400, np.array([1.0, 2.0]), np.array([[0.9]]), np.array([]), float("nan"),
                 float("inf"), "abc", "0.94", None, True, [1, 2], {"a": 1}, 1 + 2j, object(), [[1, 2], [3]],
                 np.array(["x"]), (None,)]


@pytest.mark.parametrize("answer", WEIRD_ANSWERS, ids=lambda a: type(a).__name__)
def test_no_checker_raises_on_any_answer(answer):
    calls = [act.check_neuron_output, act.check_crossentropy, act.check_softmax, act.check_relu_derivative,
             act.check_output_layer, lambda a: act.check_softmax(lambda z: a),
             lambda a: act.check_relu_derivative(lambda z: a),
             lambda a: act.check_output_layer({task: a for task in act.EXERCISE_TASKS}),
             lambda a: act.check_output_layer({task: (a, a) for task in act.EXERCISE_TASKS})]
    for check in calls:
        result = check(answer)
        assert isinstance(result, act.Check) and not result


def test_check_relu_derivative():
    assert act.check_relu_derivative(lambda z: (z > 0).astype(float))
    assert not act.check_relu_derivative(None)
    assert "returns None" in act.check_relu_derivative(lambda z: None).message
    assert "ReLU itself" in act.check_relu_derivative(lambda z: np.maximum(z, 0)).message
    assert "z = 0" in act.check_relu_derivative(lambda z: (z >= 0).astype(float)).message
    assert not act.check_relu_derivative(lambda z: np.ones_like(z))


# ------------------------------------------------------------------ explorers -----------------

@pytest.mark.parametrize("name", ["neuron", "activations", "softmax", "losses"])
def test_explorer_controls_all_work_and_change_the_picture(name):
    from course_utils.widgets import EXPLORERS, sweep_values

    explorer = EXPLORERS[name]()
    assert explorer.error is None
    for control_name, control in explorer.controls.items():
        original = control.value
        pictures = set()
        for value in sweep_values(control, max_values=3):
            control.value = value
            assert explorer.error is None, (control_name, value, explorer.error)
            pictures.add(explorer.snapshot())
        assert len(pictures) > 1, f"{name}: control {control_name} does not change the picture"
        control.value = original
    assert explorer.readout.value


def _pixels(explorer):
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(explorer.snapshot())))


@pytest.mark.parametrize("name", ["neuron", "activations", "softmax", "losses"])
def test_blitted_pictures_equal_freshly_built_ones(name):
    # Each change redraws only the dynamic artists over a stored background; a change that needs new axes
    # (limits, ticks) must ask for a full redraw. A stale background shows up as a difference from an
    # explorer built from scratch with the same values.
    from course_utils.widgets import EXPLORERS, sweep_values

    explorer = EXPLORERS[name]()
    assert explorer.dynamic_artists(), f"{name} does not blit"
    for control_name, control in explorer.controls.items():
        for value in sweep_values(control, max_values=3):
            if value == control.value:
                continue
            control.value = value
            assert explorer.error is None, (control_name, value, explorer.error)
            fresh = EXPLORERS[name](**explorer.values())
            assert np.array_equal(_pixels(explorer), _pixels(fresh)), (name, explorer.values())


def test_neuron_explorer_reports_a_dead_relu():
    from course_utils.widgets import EXPLORERS

    explorer = EXPLORERS["neuron"](activation="relu", w1=0.3, w2=0.2, bias=-3.0)
    assert explorer.error is None and "dead" in explorer.readout.value
    explorer.controls["bias"].value = 0.0
    assert "dead" not in explorer.readout.value


def test_softmax_explorer_probabilities_follow_the_temperature():
    from course_utils.widgets import EXPLORERS

    explorer = EXPLORERS["softmax"](temperature=1.0)
    heights = [bar.get_height() for bar in explorer.p_bars]
    np.testing.assert_allclose(heights, softmax([2.0, 1.0, 0.0, -1.0]))
    explorer.controls["temperature"].value = 10 ** 1.3
    flat = [bar.get_height() for bar in explorer.p_bars]
    assert max(flat) < max(heights) and sum(flat) == pytest.approx(1.0)


def test_loss_explorer_gradient_matches_the_plotted_loss():
    from course_utils.widgets import EXPLORERS

    explorer = EXPLORERS["losses"]()
    for loss in LOSSES:
        for target in (0.0, 0.35, 1.0):
            losses, grads = explorer._curves(loss, target)
            p = explorer.p_axis
            inner = slice(5, -5)
            numeric = np.gradient(losses, p)[inner]
            np.testing.assert_allclose(grads[inner], numeric, rtol=0.05, atol=0.05)
            assert np.argmin(losses) == pytest.approx(np.argmin(np.abs(p - target)), abs=1)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 6), st.integers(1, 4), st.data())
def test_binary_crossentropy_bounded_and_finite_on_any_probabilities(batch, n_labels, data):
    probabilities = st.one_of(st.sampled_from([0.0, 1.0, 1e-12, 1 - 1e-12]), st.floats(0, 1))
    y_pred = data.draw(arrays(np.float64, (batch, n_labels), elements=probabilities))
    y_true = data.draw(arrays(np.float64, (batch, n_labels), elements=st.sampled_from([0.0, 1.0])))
    loss = binary_crossentropy(y_true, y_pred)
    assert 0.0 <= loss <= -np.log(EPSILON) + 1e-9
    assert np.all(np.isfinite(binary_crossentropy_gradient(y_true, y_pred)))


def test_importing_the_module_and_its_explorers_does_not_import_tensorflow():
    import subprocess
    import sys

    code = ("import sys, course_utils.activations, course_utils.explorers.activations; "
            "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules, 'TensorFlow was imported'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_keras_imported_after_the_module_prints_no_start_up_lines():
    import os
    import subprocess
    import sys

    code = ("import course_utils.activations, keras, numpy as np; "
            "m = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]); m.compile(loss='mse'); "
            "m.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0); print('trained')")
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0 and "trained" in result.stdout, result.stderr
    for line in ("absl::InitializeLog", "oneDNN", "cuda", "cuInit"):
        assert line not in result.stderr, result.stderr


def test_neuron_colour_scale_is_the_activations_range_when_bounded():
    from course_utils.widgets import EXPLORERS

    explorer = EXPLORERS["neuron"](activation="sigmoid", w1=0.1, w2=0.0, bias=3.0)  # outputs 0.937 … 0.964
    assert explorer.plane_image.get_clim() == (0.0, 1.0)  # drawn nearly uniform, as it is
    explorer.controls["activation"].value = "tanh"
    assert explorer.plane_image.get_clim() == (-1.0, 1.0)
    explorer.controls["activation"].value = "relu"  # unbounded: the range of the outputs shown
    image = explorer.plane_image.values  # the numbers behind the colours (course_utils.widgets.show_colours)
    assert explorer.plane_image.get_clim() == (pytest.approx(float(image.min())), pytest.approx(float(image.max())))


def test_softmax_explorer_names_every_tied_class():
    from course_utils.widgets import EXPLORERS

    explorer = EXPLORERS["softmax"](z_speech=1.0, z_music=1.0, z_noise=1.0, z_silence=1.0)
    assert "most probable: speech, music, noise, silence (tied)" in explorer.readout.value
    explorer.controls["z_music"].value = 2.0
    assert "most probable: music." in explorer.readout.value


def test_loss_explorer_states_the_cce_bce_identity_only_where_it_holds():
    from course_utils.widgets import EXPLORERS

    explorer = EXPLORERS["losses"](loss="categorical_crossentropy")
    assert "CCE = BCE + (1 &minus; y) ln 2" in explorer.readout.value
    explorer.controls["prediction"].value = explorer.controls["prediction"].max  # p = 1: clipped
    assert "CCE = BCE" not in explorer.readout.value and "clips" in explorer.readout.value

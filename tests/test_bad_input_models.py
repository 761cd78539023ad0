"""Bad and edge input to the neuron, MLP, training and classification modules (issue 14).

The contract: a wrong value raises ``ValueError``/``TypeError`` whose message names the parameter (and its
range); a valid edge value gives a finite result without NumPy warnings; a checker answers everything with a
:class:`~course_utils.checks.Check` and never raises.
"""

import math
import warnings

import numpy as np
import pytest

import course_utils.mlp as mlp
from course_utils import mlp_exercises, mlp_gradients, mlp_network
from course_utils.activations import (
    check_crossentropy,
    check_neuron_output,
    check_output_layer,
    check_relu_derivative,
    check_softmax,
    deep_stack_statistics,
    lecun_normal,
    mse,
    mse_gradient,
    neuron,
    softmax,
    softmax_crossentropy,
)
from course_utils.checks import Check, as_number, check_number
from course_utils.classification import (
    build_mlp,
    check_file_decision,
    check_mlp_params,
    check_n_feature_frames,
    check_speaker_split,
    count_mlp_params,
    train_model,
    validation_split,
)
from course_utils.loss_surfaces import check_gradient_step, check_learning_rate, gradient_descent
from course_utils.mlp import MLP, TrainingRun, check_backprop_gradients, check_bias_variance, check_param_count
from course_utils.mlp import check_update_count, count_params, layer_sizes_for, numerical_gradients
from course_utils.playground_data import audio_features, make_dataset, make_split, train_test_split
from course_utils.training_curves import record_epoch


@pytest.fixture(autouse=True)
def numpy_warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def raises(error, *names):
    """``pytest.raises`` whose message must mention every one of ``names``."""
    class _Context:
        def __enter__(self):
            self._ctx = pytest.raises(error)
            self.info = self._ctx.__enter__()
            return self.info

        def __exit__(self, *exc):
            handled = self._ctx.__exit__(*exc)
            if not handled:  # another exception type: let it propagate
                return False
            message = str(self.info.value)
            for name in names:
                assert name in message, f"{name!r} not in {message!r}"
            return handled

    return _Context()


# ---------------------------------------------------------------------------------------------
# The split of course_utils.mlp

def test_every_public_name_of_mlp_still_imports_from_course_utils_mlp():
    parts = set(mlp_network.__all__) | set(mlp_gradients.__all__) | set(mlp_exercises.__all__)
    assert set(mlp.__all__) == parts
    for name in mlp.__all__:
        assert getattr(mlp, name) is not None
    for module in (mlp, mlp_network, mlp_gradients, mlp_exercises):
        assert len(module.__all__) == len(set(module.__all__))
        for name in module.__all__:
            assert hasattr(module, name), (module.__name__, name)


def test_no_module_of_the_split_is_past_1000_lines():
    for module in (mlp, mlp_network, mlp_gradients, mlp_exercises):
        with open(module.__file__, encoding="utf-8") as handle:
            assert sum(1 for _ in handle) <= 1000, module.__name__


# ---------------------------------------------------------------------------------------------
# Silent NaN/inf

def test_softmax_with_a_tiny_temperature_is_the_finite_arg_max():
    for dtype in (np.float64, np.float32):
        z = np.array([[1.0, 2.0, 3.0], [0.5, 0.5, -1.0]], dtype=dtype)
        p = softmax(z, temperature=1e-308)
        assert p.dtype == dtype and np.all(np.isfinite(p))
        np.testing.assert_allclose(p, [[0, 0, 1], [0.5, 0.5, 0]])
    np.testing.assert_allclose(softmax([[1.0, -1.0]], temperature=1e300), [[0.5, 0.5]])
    np.testing.assert_allclose(softmax([[1e308, -1e308]]), [[1.0, 0.0]])


@pytest.mark.parametrize("temperature", [0, -1, math.nan, math.inf])
def test_softmax_refuses_temperatures_outside_its_range(temperature):
    with raises(ValueError, "temperature", "> 0"):
        softmax([[1.0, 2.0]], temperature=temperature)


def test_softmax_refuses_nan_logits():
    with raises(ValueError, "z"):
        softmax([[np.nan, 1.0]])


def test_deep_stack_refuses_weights_that_overflow_and_names_the_bound():
    with raises(ValueError, "weight_std", "n_layers=30", "width=256"):
        deep_stack_statistics(weight_std=1e200)
    with raises(ValueError, "weight_std"):
        deep_stack_statistics(weight_std=math.nan)
    largest = 10 ** (100 / 200) / np.sqrt(512)
    result = deep_stack_statistics("linear", n_layers=200, width=512, n_samples=4, weight_std=largest)
    assert np.all(np.isfinite(result["std"])) and np.all(np.isfinite(result["activations"]))
    tiny = deep_stack_statistics("relu", n_layers=3, width=8, n_samples=4, weight_std=1e-300)
    assert np.all(np.isfinite(tiny["std"]))


def test_mse_of_huge_differences_raises_with_the_limit():
    with raises(ValueError, "y_pred - y_true", "1.34e+154"):
        mse([1e200], [-1e200])
    with raises(ValueError, "y_pred - y_true"):
        mse_gradient([1e308], [-1e308])
    assert mse([1e150], [-1e150]) == pytest.approx(4e300)
    assert np.isfinite(mse(np.float32([1e9]), np.float32([-1e9])))


def test_softmax_crossentropy_of_logits_far_apart_is_finite_or_named():
    assert softmax_crossentropy([[1.0, 0.0]], [[1e308, -1e308]]) == 0.0
    with raises(ValueError, "logits"):
        softmax_crossentropy([[0.0, 1.0]], [[1e308, -1e308]])


@pytest.mark.parametrize("start", [(math.nan, 0.0), (0.0, math.inf), (1e300, 0.0), (10**400, 0)])
def test_gradient_descent_refuses_nan_inf_and_huge_start_points(start):
    with raises(ValueError, "start[", "from -10000 to 10000"):
        gradient_descent("line fit (convex)", start, 0.1, 5)


@pytest.mark.parametrize("start", ["ab", ("1", 2.0), (True, 0.0), (1 + 2j, 0.0), None, 3.0])
def test_gradient_descent_refuses_start_points_that_are_not_two_numbers(start):
    with raises(TypeError, "start"):
        gradient_descent("double well (non-convex)", start, 0.1, 5)


def test_gradient_descent_at_the_edge_of_its_ranges_is_finite():
    path = gradient_descent("double well (non-convex)", (1e4, -1e4), 1000.0, 100_000)
    assert path.diverged and np.all(np.isfinite(path.losses))


# ---------------------------------------------------------------------------------------------
# Confident nonsense

def test_fit_on_nan_or_empty_data_raises_about_the_data_not_the_learning_rate():
    X, y = make_dataset("blobs", 20, 0.1)
    net = MLP((2, 3, 1))
    X_nan = X.copy()
    X_nan[3, 1] = np.nan
    with raises(ValueError, "X", "NaN"):
        net.fit(X_nan, y, epochs=1, learning_rate=0.1)
    with raises(ValueError, "X", "at least 1"):
        net.fit(np.zeros((0, 2)), np.zeros(0), epochs=1, learning_rate=0.1)
    with raises(ValueError, "y", "NaN"):
        net.fit(X, np.where(y == 1, np.nan, 0.0), epochs=1, learning_rate=0.1)
    with raises(ValueError, "y", "from 0 to 1"):
        net.fit(X, 5.0 * y, epochs=1, learning_rate=0.1)
    with raises(ValueError, "test_data[0]", "NaN"):
        net.fit(X, y, epochs=1, learning_rate=0.1, test_data=(X_nan, y))
    assert not net.history.diverged and net.history.epochs == 0
    with raises(ValueError, "X", "at least 1"):
        net.loss(np.zeros((0, 2)), np.zeros(0))
    with raises(ValueError, "X", "NaN"):
        TrainingRun(MLP((2, 3, 1)), X_nan, y, learning_rate=0.1)


def test_a_too_large_learning_rate_still_reports_divergence():
    X, y = make_dataset("blobs", 20, 0.1)
    history = MLP((2, 3, 1), seed=0).fit(X, y, epochs=50, learning_rate=1000.0, batch_size=20)
    assert history.diverged or np.all(np.isfinite(history.train_loss))


@pytest.mark.parametrize("args,name", [((-5, 4, 1), "n_features"), ((26, 0, 1), "width"), ((26, 4, -1), "depth"),
                                       ((26, 4, 1, 0), "n_classes"), ((True, 4, 1), "n_features"),
                                       ((26, 4.0, 1), "width"), ((26, 10**6, 1), "width")])
def test_count_mlp_params_refuses_impossible_networks(args, name):
    with pytest.raises((TypeError, ValueError), match=name):
        count_mlp_params(*args)


def test_count_mlp_params_against_the_formula():
    assert count_mlp_params(26, 64, 2, 10) == 27 * 64 + 65 * 64 + 65 * 10
    assert count_mlp_params(13, 4, 0, 10) == count_params((13, 10))


# ---------------------------------------------------------------------------------------------
# Bad labels and indices (tiny Keras models: validation happens before any training)

@pytest.fixture(scope="module")
def tiny_model():
    return build_mlp(3, 2, width=2, depth=1, dropout=0.0)


def _tiny_data(n=8):
    rng = np.random.default_rng(0)
    return rng.normal(size=(n, 3)).astype(np.float32), np.arange(n) % 2


@pytest.mark.parametrize("labels,words", [
    (np.array([0, 1, 2, 0, 1, 0, 1, 0]), ["y_train", "from 0 to 1"]),
    (np.array([0, 1, -1, 0, 1, 0, 1, 0]), ["y_train", "from 0 to 1"]),
    (np.array([0, 1, 0.5, 0, 1, 0, 1, 0]), ["y_train", "whole-number"]),
    (np.array([0, 1, np.nan, 0, 1, 0, 1, 0]), ["y_train"]),
    (np.array([0, 1, 0]), ["y_train", "(8,)"]),
])
def test_train_model_refuses_bad_labels(tiny_model, labels, words):
    X, _ = _tiny_data()
    with raises(ValueError, *words):
        train_model(tiny_model, X, labels, epochs=1)


def test_train_model_refuses_bad_features_and_settings(tiny_model):
    X, y = _tiny_data()
    with raises(ValueError, "X_train", "NaN"):
        train_model(tiny_model, np.where(X > 1, np.nan, X), y, epochs=1)
    with raises(ValueError, "X_train", "(n_examples >= 1, 3)"):
        train_model(tiny_model, X[:, :2], y, epochs=1)
    with raises(TypeError, "X_train"):
        train_model(tiny_model, X.astype(complex), y, epochs=1)
    with raises(TypeError, "y_train"):
        train_model(tiny_model, X, y.astype(bool), epochs=1)
    with raises(ValueError, "n_classes", "2 outputs"):
        train_model(tiny_model, X, y, epochs=1, n_classes=3)
    with raises(ValueError, "validation[1] (y_val)", "from 0 to 1"):
        train_model(tiny_model, X, y, epochs=1, validation=(X, y + 5, np.arange(8)))
    with raises(ValueError, "validation[0] (X_val)"):
        train_model(tiny_model, X, y, epochs=1, validation=(X[:, :1], y, np.arange(8)))
    with raises(ValueError, "epochs", "1000"):
        train_model(tiny_model, X, y, epochs=10**9)
    with raises(TypeError, "shuffle_seed"):
        train_model(tiny_model, X, y, epochs=1, shuffle_seed="a")


def test_train_model_still_trains_whole_valued_float_labels(tiny_model):
    X, y = _tiny_data()
    history = train_model(tiny_model, X, y.astype(float), epochs=1, batch_size=8)
    assert np.all(np.isfinite(history["loss"]))


def test_validation_split_names_train_idx_and_the_range():
    labels = np.repeat(np.arange(3), 4)
    with raises(ValueError, "train_idx", "from 0 to 11"):
        validation_split(labels, [100])
    with raises(ValueError, "train_idx", "from 0 to 11"):
        validation_split(labels, [-1, 0])
    with raises(ValueError, "train_idx"):
        validation_split(labels, [0.5, 1])
    with raises(TypeError, "train_idx", "mask"):
        validation_split(labels, labels > 0)
    with raises(TypeError, "seed"):
        validation_split(labels, [0, 1], seed="a")
    fit_idx, val_idx = validation_split(labels, np.arange(12), 0.25)
    assert np.array_equal(np.sort(np.r_[fit_idx, val_idx]), np.arange(12)) and len(val_idx) == 3


# ---------------------------------------------------------------------------------------------
# Wrong types

@pytest.mark.parametrize("call,error,name", [
    (lambda: softmax([[1.0, 2.0]], axis=1.5), TypeError, "axis"),
    (lambda: softmax([[1.0, 2.0]], axis=True), TypeError, "axis"),
    (lambda: softmax([[1.0, 2.0]], temperature="1"), TypeError, "temperature"),
    (lambda: softmax([[1.0, 2.0]], temperature=True), TypeError, "temperature"),
    (lambda: softmax(np.array([[1 + 1j, 2.0]])), TypeError, "z"),
    (lambda: mse(np.array([1 + 1j]), [1.0]), TypeError, "y_true"),
    (lambda: neuron([1.0, 2.0], [1.0, 1.0], bias=True), TypeError, "bias"),
    (lambda: neuron([1.0, 2.0], [1.0, 1.0], bias="0.5"), TypeError, "bias"),
    (lambda: neuron([1.0, 2.0], [1.0, 1.0], activation=["relu"]), TypeError, "activation"),
    (lambda: lecun_normal(True, 3), TypeError, "n_inputs"),
    (lambda: lecun_normal(3, 4, rng="a"), TypeError, "rng"),
    (lambda: lecun_normal(3, 4, rng=-1), ValueError, "rng"),
    (lambda: deep_stack_statistics(n_layers=True), TypeError, "n_layers"),
    (lambda: deep_stack_statistics(weight_std="1"), TypeError, "weight_std"),
    (lambda: build_mlp(3, 2, width=2, depth=1, seed="a"), TypeError, "seed"),
    (lambda: build_mlp(3, 2, width=2, depth=1, seed=-1), ValueError, "seed"),
    (lambda: build_mlp(3, 2, width=True), TypeError, "width"),
    (lambda: build_mlp(3, 2, learning_rate="0.1"), TypeError, "learning_rate"),
    (lambda: build_mlp(3, 2, learning_rate=0), ValueError, "learning_rate"),
    (lambda: MLP((2, True, 1)), TypeError, "layer_sizes[1]"),
    (lambda: MLP(5), TypeError, "layer_sizes"),
    (lambda: MLP((2, 3, 1), seed="a"), TypeError, "seed"),
    (lambda: MLP((2, 3, 1), dtype="abc"), TypeError, "dtype"),
    (lambda: MLP((2, 3, 1), dtype="S1"), ValueError, "dtype"),
    (lambda: MLP((2, 3, 1)).predict(np.zeros((2, 2), complex)), TypeError, "X"),
    (lambda: MLP((2, 3, 1)).predict([["a", "b"]]), TypeError, "X"),
    (lambda: MLP((2, 3, 1)).fit(np.zeros((2, 2)), [0, 1], epochs=1, learning_rate=True), TypeError, "learning_rate"),
    (lambda: MLP((2, 3, 1)).fit(np.zeros((2, 2)), [0, 1], epochs=1.0, learning_rate=0.1), TypeError, "epochs"),
    (lambda: MLP((2, 3, 1)).fit(np.zeros((2, 2)), [0, 1], epochs=1, learning_rate=0.1, l2=True), TypeError, "l2"),
    (lambda: MLP((2, 3, 1)).fit(np.zeros((2, 2)), [0, 1], epochs=1, learning_rate=0.1, record_batches="no"),
     TypeError, "record_batches"),
    (lambda: MLP((2, 3, 1)).fit(np.zeros((2, 2)), [0, 1], epochs=1, learning_rate=0.1, test_data=np.zeros(2)),
     TypeError, "test_data"),
    (lambda: MLP((2, 3, 3), output_activation="softmax").fit(np.zeros((2, 2)), [0.0, 1.0], epochs=1,
                                                              learning_rate=0.1), ValueError, "y"),
    (lambda: numerical_gradients(MLP((2, 1)), np.zeros((1, 2)), [1], h=True), TypeError, "h"),
    (lambda: numerical_gradients(MLP((2, 1)), np.zeros((1, 2)), [1], h=math.inf), ValueError, "h"),
    (lambda: numerical_gradients("net", np.zeros((1, 2)), [1]), TypeError, "net"),
    (lambda: gradient_descent(42, (0.0, 0.0), 0.1), TypeError, "surface"),
    (lambda: make_dataset("xor", 20, noise=True), TypeError, "noise"),
    (lambda: make_dataset("xor", 20, noise=math.nan), ValueError, "noise"),
    (lambda: make_dataset(["xor"], 20), ValueError, "name"),
    (lambda: train_test_split(np.zeros((4, 2)), np.zeros(4), seed=-1), ValueError, "seed"),
    (lambda: train_test_split(np.zeros((4, 2)), np.zeros(4), train_fraction=True), TypeError, "train_fraction"),
    (lambda: audio_features(digits=(True, 6)), TypeError, "digits[0]"),
    (lambda: audio_features(digits=3), TypeError, "digits"),
    (lambda: audio_features(mfccs=(1, 13)), ValueError, "mfccs[1]"),
    (lambda: record_epoch({}, {"loss": "low"}), TypeError, "logs['loss']"),
    (lambda: record_epoch({}, [1.0]), TypeError, "logs"),
])
def test_wrong_types_and_values_name_the_parameter(call, error, name):
    with raises(error, name):
        call()


# ---------------------------------------------------------------------------------------------
# Upper bounds: a value a student can type fails at once, with the range

@pytest.mark.parametrize("call,name,bound", [
    (lambda: MLP((2, 10**6, 10**6, 1)), "layer_sizes[1]", "4096"),
    (lambda: MLP((2, 4096, 4096, 1)), "parameters", "10,000,000"),
    (lambda: MLP([2] + [3] * 100 + [1]), "layer_sizes", "65"),
    (lambda: layer_sizes_for(2, 10**6, 4), "depth", "63"),
    (lambda: layer_sizes_for(2, 2, 10**6), "width", "4096"),
    (lambda: gradient_descent("line fit (convex)", (0.0, 0.0), 0.1, n_steps=10**9), "n_steps", "100000"),
    (lambda: gradient_descent("line fit (convex)", (0.0, 0.0), 1e300), "learning_rate", "1000"),
    (lambda: MLP((2, 3, 1)).fit(np.zeros((2, 2)), [0, 1], epochs=10**9, learning_rate=0.1), "epochs", "10000"),
    (lambda: MLP((2, 3, 1)).fit(np.zeros((2, 2)), [0, 1], epochs=1, learning_rate=0.1, batch_size=10**9),
     "batch_size", "1000000"),
    (lambda: MLP((2, 3, 1)).fit(np.zeros((2, 2)), [0, 1], epochs=1, learning_rate=0.1, l2=1e300), "l2", "100"),
    (lambda: TrainingRun(MLP((2, 3, 1)), np.zeros((2, 2)), [0, 1], learning_rate=0.1).train_to(10**9),
     "epoch", "10000"),
    (lambda: build_mlp(10**5, 2, width=4096, depth=1), "parameters", "10,000,000"),
    (lambda: make_split("xor", n_samples=10**9), "n_samples", "100000"),
    (lambda: lecun_normal(100_000, 100_000), "n_inputs * n_units", "10,000,000"),
    (lambda: deep_stack_statistics(n_samples=100_000, width=2048), "n_samples * width", "20,000,000"),
    (lambda: numerical_gradients(MLP((2, 400, 400, 1)), np.zeros((1, 2)), [1]), "net", "100,000"),
])
def test_sizes_and_counts_are_bounded(call, name, bound):
    with raises(ValueError, name, bound):
        call()


def test_count_params_needs_no_memory_so_it_takes_large_widths():
    assert count_params((2, 10**6, 10**6, 1)) == 2 * 10**6 + 10**6 + 10**12 + 10**6 + 10**6 + 1
    with raises(ValueError, "layer_sizes[1]"):
        count_params((2, -5, 1))


# ---------------------------------------------------------------------------------------------
# Checkers answer everything

class _Unconvertible:
    def __float__(self):
        raise RuntimeError("no float")

    def __repr__(self):
        raise RuntimeError("no repr")


class _Collection:
    speakers = np.array(["a", "a", "b", "b"])

    def __len__(self):
        return 4


JUNK = [None, True, "x", "1.5", 10**400, -10**400, math.nan, math.inf, 1 + 2j, np.complex128(1), [], [1, 2],
        [[1, 2], [3]], np.zeros((3, 3)), np.array([np.nan]), np.array(["a"]), np.array([10**400], dtype=object),
        np.array([1e300, -1e300]), {}, {"a": 1}, object(), _Unconvertible(), (None, None), ("linear", 3),
        (np.zeros(2), "mse"), lambda z: None, lambda z: 1 / 0, lambda z: np.full_like(z, np.nan), 3.7, -1, 1e300]

_PROBS = np.array([[0.6, 0.4], [0.2, 0.8], [0.9, 0.1]])
CHECKERS = {
    "check_neuron_output": check_neuron_output,
    "check_softmax": check_softmax,
    "check_output_layer": check_output_layer,
    "check_output_layer (values)": lambda a: check_output_layer({task: a for task in
                                                                 __import__("course_utils.activations").activations
                                                                 .EXERCISE_TASKS}),
    "check_crossentropy": check_crossentropy,
    "check_relu_derivative": check_relu_derivative,
    "check_param_count": check_param_count,
    "check_backprop_gradients": check_backprop_gradients,
    "check_update_count": check_update_count,
    "check_bias_variance": check_bias_variance,
    "check_bias_variance (values)": lambda a: check_bias_variance({"A": a, "B": a, "C": a, "D": a}),
    "check_gradient_step": check_gradient_step,
    "check_learning_rate": check_learning_rate,
    "check_file_decision": lambda a: check_file_decision(a, _PROBS, np.array([7, 7, 3])),
    "check_speaker_split (train)": lambda a: check_speaker_split(_Collection(), "a", a, [0, 1]),
    "check_speaker_split (test)": lambda a: check_speaker_split(_Collection(), "a", [2, 3], a),
    "check_speaker_split (speaker)": lambda a: check_speaker_split(_Collection(), a, [2, 3], [0, 1]),
    "check_mlp_params": check_mlp_params,
    "check_n_feature_frames": check_n_feature_frames,
    "check_number": lambda a: check_number(a, 1.0, name="x"),
}


@pytest.mark.parametrize("checker", list(CHECKERS))
def test_checkers_answer_every_input_without_raising(checker):
    for answer in JUNK:
        result = CHECKERS[checker](answer)
        assert isinstance(result, Check), (checker, type(answer))
        assert isinstance(str(result), str) and len(result.message) < 600
        assert not result.correct, (checker, type(answer))


def test_as_number_answers_everything():
    for answer in JUNK:
        value = as_number(answer, name="x")
        assert isinstance(value, (Check, float))
    assert as_number(np.array([[2.5]]), name="x") == 2.5


def test_checkers_still_accept_the_right_answers():
    assert check_speaker_split(_Collection(), "a", [2, 3], [0, 1])
    assert check_file_decision([0, 1], _PROBS, np.array([7, 7, 3]))
    assert check_mlp_params(count_mlp_params(26, 64, 2, 10))
    assert check_number(np.float32(1.0), 1.0, name="x")
    assert check_learning_rate(0.1) or not check_learning_rate(0.1).correct  # a Check either way
    assert not check_learning_rate(1e300)

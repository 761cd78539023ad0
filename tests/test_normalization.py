"""Tests for course_utils.normalization (notebook 02_data_normalization.ipynb)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from course_utils.normalization import (
    METHODS,
    SCOPES,
    Normalizer,
    compute_statistics,
    normalize,
    scope_axes,
)

HYP = settings(max_examples=40, deadline=None)


def _reference(X, method, axes, eps, ddof):
    """The slide's formulas written directly with NumPy."""
    X = np.asarray(X, dtype=np.float64)
    if method == "minmax":
        lo, hi = X.min(axis=axes, keepdims=True), X.max(axis=axes, keepdims=True)
        return (X - lo) / (hi - lo)
    mean = X.mean(axis=axes, keepdims=True)
    std = X.std(axis=axes, ddof=ddof, keepdims=True)
    return (X - mean) / (std + eps)


def _scaled_data(shape, scale, offset, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=shape) * scale + offset


shapes3 = st.tuples(st.integers(2, 6), st.integers(2, 8), st.integers(2, 7))
shapes2 = st.tuples(st.integers(2, 30), st.integers(1, 8))
scales = st.sampled_from([1e-3, 1.0, 37.0, 1e4])
offsets = st.sampled_from([-80.0, 0.0, 5.0, 1e3])


# ---------------------------------------------------------------- scikit-learn equality
@HYP
@given(shape=shapes2, scale=scales, offset=offsets, seed=st.integers(0, 2**16))
def test_feature_scope_equals_standard_scaler(shape, scale, offset, seed):
    X = _scaled_data(shape, scale, offset, seed)
    expected = StandardScaler().fit_transform(X)
    got = normalize(X, "zscore", scope="feature", eps=0.0, ddof=0)
    np.testing.assert_allclose(got, expected, rtol=1e-7, atol=1e-7)


@HYP
@given(shape=shapes2, scale=scales, offset=offsets, seed=st.integers(0, 2**16))
def test_feature_scope_equals_minmax_scaler(shape, scale, offset, seed):
    X = _scaled_data(shape, scale, offset, seed)
    expected = MinMaxScaler().fit_transform(X)
    got = normalize(X, "minmax", scope="feature")
    np.testing.assert_allclose(got, expected, rtol=1e-7, atol=1e-9)


@HYP
@given(shape=shapes3, scale=scales, offset=offsets, seed=st.integers(0, 2**16))
def test_feature_scope_on_patches_equals_sklearn_on_reshaped(shape, scale, offset, seed):
    X = _scaled_data(shape, scale, offset, seed)
    flat = X.reshape(len(X), -1)
    np.testing.assert_allclose(normalize(X, "zscore", "feature", eps=0.0, ddof=0),
                               StandardScaler().fit_transform(flat).reshape(X.shape), rtol=1e-7, atol=1e-7)
    np.testing.assert_allclose(normalize(X, "minmax", "feature"),
                               MinMaxScaler().fit_transform(flat).reshape(X.shape), rtol=1e-7, atol=1e-9)


def test_spectrogram_frequency_scope_equals_sklearn_on_transpose():
    S = _scaled_data((12, 40), 15.0, -50.0)
    got = normalize(S, "zscore", "frequency", eps=0.0, ddof=0, layout="spectrogram")
    np.testing.assert_allclose(got, StandardScaler().fit_transform(S.T).T, rtol=1e-7, atol=1e-9)
    np.testing.assert_array_equal(got, normalize(S, "zscore", "feature", eps=0.0, ddof=0, layout="spectrogram"))


def test_normalizer_matches_sklearn_fit_transform_inverse():
    X_train = _scaled_data((50, 4), [1.0, 100.0, 1e-3, 7.0], [0.0, 50.0, 1.0, -3.0], seed=1)
    X_test = _scaled_data((20, 4), [1.0, 100.0, 1e-3, 7.0], [0.0, 50.0, 1.0, -3.0], seed=2)
    for ours, theirs in [(Normalizer("zscore", "feature", eps=0.0, ddof=0), StandardScaler()),
                         (Normalizer("minmax", "feature"), MinMaxScaler())]:
        ours.fit(X_train)
        theirs.fit(X_train)
        np.testing.assert_allclose(ours.transform(X_test), theirs.transform(X_test), rtol=1e-7, atol=1e-9)
        Z = ours.transform(X_test)
        np.testing.assert_allclose(ours.inverse_transform(Z), theirs.inverse_transform(Z), rtol=1e-7, atol=1e-9)
        np.testing.assert_allclose(ours.inverse_transform(Z), X_test, rtol=1e-9, atol=1e-9)
    zs = Normalizer("zscore", "feature", eps=0.0, ddof=0).fit(X_train)
    ref = StandardScaler().fit(X_train)
    assert zs.mean_.shape == (1, 4)
    np.testing.assert_allclose(zs.mean_[0], ref.mean_)
    np.testing.assert_allclose(zs.std_[0], ref.scale_)
    mm = Normalizer("minmax", "feature").fit(X_train)
    ref = MinMaxScaler().fit(X_train)
    np.testing.assert_allclose(mm.data_min_[0], ref.data_min_)
    np.testing.assert_allclose(mm.data_max_[0], ref.data_max_)


# ---------------------------------------------------------------- NumPy formulas, every scope
@HYP
@given(shape=shapes3, scale=scales, offset=offsets, seed=st.integers(0, 2**16),
       method=st.sampled_from(METHODS), scope=st.sampled_from(SCOPES), ddof=st.sampled_from([0, 1]),
       eps=st.sampled_from([0.0, 1e-8, 0.5]))
def test_every_scope_on_patches_matches_numpy_formula(shape, scale, offset, seed, method, scope, ddof, eps):
    X = _scaled_data(shape, scale, offset, seed)
    axes = scope_axes(3, scope)
    got = normalize(X, method, scope, eps=eps, ddof=ddof)
    assert got.shape == X.shape
    np.testing.assert_allclose(got, _reference(X, method, axes, eps, ddof), rtol=1e-7, atol=1e-7)


@HYP
@given(shape=st.tuples(st.integers(2, 12), st.integers(2, 12)), scale=scales, offset=offsets,
       seed=st.integers(0, 2**16), method=st.sampled_from(METHODS), scope=st.sampled_from(SCOPES),
       layout=st.sampled_from(["features", "spectrogram"]), ddof=st.sampled_from([0, 1]))
def test_every_scope_on_2d_layouts_matches_numpy_formula(shape, scale, offset, seed, method, scope, layout, ddof):
    X = _scaled_data(shape, scale, offset, seed)
    axes = scope_axes(2, scope, layout)
    got = normalize(X, method, scope, eps=1e-8, ddof=ddof, layout=layout)
    assert got.shape == X.shape
    np.testing.assert_allclose(got, _reference(X, method, axes, 1e-8, ddof), rtol=1e-7, atol=1e-7)
    norm = Normalizer(method, scope, eps=1e-8, ddof=ddof, layout=layout)
    np.testing.assert_allclose(norm.fit_transform(X), got, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("layout,ndim,scope,axes", [
    ("patches", 3, "patch", (1, 2)), ("patches", 3, "batch", (0, 1, 2)), ("patches", 3, "frequency", (0, 2)),
    ("patches", 3, "dataset", (0, 1, 2)), ("patches", 3, "feature", (0,)),
    ("patches", 4, "frequency", (0, 2, 3)), ("patches", 4, "patch", (1, 2, 3)),
    ("features", 2, "patch", (1,)), ("features", 2, "frequency", (0,)), ("features", 2, "feature", (0,)),
    ("features", 2, "dataset", (0, 1)),
    ("spectrogram", 2, "patch", (0, 1)), ("spectrogram", 2, "frequency", (1,)),
    ("spectrogram", 2, "feature", (1,)), ("spectrogram", 2, "batch", (0, 1)),
    ("signal", 1, "patch", (0,)), ("signal", 1, "dataset", (0,)),
])
def test_scope_axes_table(layout, ndim, scope, axes):
    assert scope_axes(ndim, scope, layout) == axes


def test_auto_layout():
    assert scope_axes(3, "frequency") == scope_axes(3, "frequency", "patches")
    assert scope_axes(2, "patch") == scope_axes(2, "patch", "features")
    assert scope_axes(1, "dataset") == (0,)


def test_properties_of_results():
    X = _scaled_data((8, 16, 10), 12.0, -40.0)
    for scope in SCOPES:
        axes = scope_axes(3, scope)
        z = normalize(X, "zscore", scope, eps=0.0, ddof=1)
        np.testing.assert_allclose(z.mean(axis=axes), 0.0, atol=1e-10)
        np.testing.assert_allclose(z.std(axis=axes, ddof=1), 1.0, rtol=1e-10)
        m = normalize(X, "minmax", scope)
        np.testing.assert_allclose(m.min(axis=axes), 0.0, atol=1e-12)
        np.testing.assert_allclose(m.max(axis=axes), 1.0, rtol=1e-12)


def test_ddof_is_the_slide_versus_sklearn_convention():
    x = np.array([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])
    slide = normalize(x, "zscore", "dataset", eps=0.0, ddof=1)
    sk = normalize(x, "zscore", "dataset", eps=0.0, ddof=0)
    np.testing.assert_allclose(sk, (x - 5.0) / 2.0)  # population sigma of this classic example is 2
    np.testing.assert_allclose(slide, (x - 5.0) / np.sqrt(32.0 / 7.0))
    np.testing.assert_allclose(slide, sk * np.sqrt(7.0 / 8.0))


def test_eps_enters_zscore_but_not_minmax():
    x = np.array([0.0, 1.0, 2.0, 3.0])
    sigma = np.std(x, ddof=1)
    np.testing.assert_allclose(normalize(x, eps=0.5), (x - 1.5) / (sigma + 0.5))
    np.testing.assert_array_equal(normalize(x, "minmax", eps=0.5), normalize(x, "minmax", eps=0.0))


def test_float32_preserved_and_integers_accepted():
    X = _scaled_data((3, 4, 5), 10.0, 0.0).astype(np.float32)
    assert normalize(X).dtype == np.float32
    ints = np.arange(12).reshape(3, 4)
    out = normalize(ints, "minmax", "feature")
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, MinMaxScaler().fit_transform(ints))


# ---------------------------------------------------------------- train-only fitting
@pytest.mark.parametrize("scope", ["frequency", "dataset", "feature"])
@pytest.mark.parametrize("method", METHODS)
def test_normalizer_uses_training_statistics_only(method, scope):
    train = _scaled_data((10, 6, 5), 5.0, -30.0, seed=3)
    test = _scaled_data((4, 6, 5), 9.0, -10.0, seed=4)  # different distribution
    norm = Normalizer(method, scope, eps=1e-8, ddof=1).fit(train)
    stats = compute_statistics(train, method, scope, 1e-8, 1)
    expected = (test - stats.center) / stats.scale
    np.testing.assert_allclose(norm.transform(test), expected, rtol=1e-10)
    # the test data must not change the fitted statistics
    before = norm.center_.copy()
    norm.transform(test)
    np.testing.assert_array_equal(norm.center_, before)
    # fitting on train + test (leakage) gives different numbers for the test set
    leaky = Normalizer(method, scope).fit(np.concatenate([train, test]))
    assert not np.allclose(leaky.transform(test), norm.transform(test))
    # the training set itself is normalized exactly as normalize() would do
    np.testing.assert_allclose(norm.transform(train), normalize(train, method, scope), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(norm.inverse_transform(norm.transform(test)), test, rtol=1e-10)


def test_fitted_attribute_shapes():
    X = _scaled_data((7, 5, 3), 1.0, 0.0)
    assert Normalizer(scope="frequency").fit(X).mean_.shape == (1, 5, 1)
    assert Normalizer(scope="dataset").fit(X).scale_.shape == (1, 1, 1)
    assert Normalizer(scope="feature").fit(X).center_.shape == (1, 5, 3)
    assert Normalizer(scope="patch").fit(X).center_.shape == (7, 1, 1)


def test_frequency_normalizer_accepts_other_patch_counts_and_lengths():
    norm = Normalizer("zscore", "frequency").fit(_scaled_data((6, 5, 4), 1.0, 0.0))
    assert norm.transform(_scaled_data((2, 5, 9), 1.0, 0.0)).shape == (2, 5, 9)
    with pytest.raises(ValueError, match="axis 1 must have length 5"):
        norm.transform(_scaled_data((2, 4, 4), 1.0, 0.0))
    with pytest.raises(ValueError, match="ndim"):
        norm.transform(np.ones((5, 4)))


@pytest.mark.parametrize("scope", ["patch", "batch"])
def test_stateless_scopes_use_the_data_at_hand(scope):
    train = _scaled_data((6, 5, 4), 3.0, 1.0, seed=5)
    test = _scaled_data((3, 5, 4), 8.0, -7.0, seed=6)
    norm = Normalizer("zscore", scope).fit(train)
    assert not norm.stores_statistics
    out = norm.transform(test)
    np.testing.assert_allclose(out, normalize(test, "zscore", scope))
    np.testing.assert_allclose(norm.inverse_transform(out), test, rtol=1e-10)
    with pytest.raises(ValueError, match="most recent transform"):
        norm.inverse_transform(out[:2])


def test_unfitted_normalizer_raises():
    with pytest.raises(ValueError, match="not fitted"):
        Normalizer().transform(np.ones((3, 3)))


# ---------------------------------------------------------------- constant input
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("eps", [0.0, 1e-8])
@pytest.mark.parametrize("ddof", [0, 1])
def test_constant_input_is_zero_without_warnings(method, scope, eps, ddof):
    X = np.full((3, 4, 5), 0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = normalize(X, method, scope, eps=eps, ddof=ddof)
        norm = Normalizer(method, scope, eps=eps, ddof=ddof).fit(X)
        back = norm.inverse_transform(norm.transform(X))
    np.testing.assert_array_equal(out, 0.0)
    np.testing.assert_allclose(back, X)


def test_partly_constant_features_match_sklearn():
    X = np.column_stack([np.full(6, 3.3), np.arange(6.0)])
    ours = normalize(X, "zscore", "feature", eps=0.0, ddof=0)
    np.testing.assert_allclose(ours, StandardScaler().fit_transform(X), atol=1e-12)
    np.testing.assert_array_equal(ours[:, 0], 0.0)  # exactly 0, where scikit-learn leaves rounding noise
    np.testing.assert_allclose(normalize(X, "minmax", "feature"), MinMaxScaler().fit_transform(X), atol=1e-12)


def test_single_value_groups_are_finite():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = normalize(np.array([[1.0, 2.0, 3.0]]), "zscore", "feature", ddof=1)
    np.testing.assert_array_equal(out, 0.0)


@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5)),
              elements=st.floats(-1e6, 1e6, allow_nan=False)),
       st.sampled_from(METHODS), st.sampled_from(SCOPES))
@HYP
def test_any_finite_input_gives_finite_output(X, method, scope):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = normalize(X, method, scope)
    assert out.shape == X.shape
    assert np.isfinite(out).all()


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_and_inf_are_rejected(bad):
    X = np.ones((3, 4))
    X[1, 2] = bad
    with pytest.raises(ValueError, match="NaN|infinite"):
        normalize(X)
    with pytest.raises(ValueError, match="NaN|infinite"):
        Normalizer().fit(X)
    norm = Normalizer(scope="feature").fit(np.arange(12.0).reshape(3, 4))
    with pytest.raises(ValueError, match="NaN|infinite"):
        norm.transform(X)


def test_unknown_names_list_valid_ones():
    with pytest.raises(ValueError, match="method must be one of 'minmax', 'zscore'"):
        normalize(np.ones(3), method="robust")
    with pytest.raises(ValueError, match="scope must be one of 'patch', 'batch', 'frequency', 'dataset', 'feature'"):
        normalize(np.ones(3), scope="global")
    with pytest.raises(ValueError, match="layout must be one of"):
        normalize(np.ones(3), layout="image")
    with pytest.raises(ValueError, match="scope must be one of"):
        Normalizer(scope="per-bin")


def test_values_too_large_for_float64_statistics():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="too large"):
            normalize(np.array([-1e300, 1e300, 0.0]))
        with pytest.raises(ValueError, match="too large"):
            normalize(np.full(4, 1e308) * np.array([1.0, 1.0, 1.0, 0.5]))


def test_other_bad_arguments():
    with pytest.raises(ValueError, match="eps"):
        normalize(np.ones(3), eps=-1.0)
    with pytest.raises(TypeError, match="eps"):
        normalize(np.ones(3), eps="small")
    with pytest.raises(ValueError, match="ddof"):
        normalize(np.ones(3), ddof=2)
    with pytest.raises(ValueError, match="layout='spectrogram'"):
        normalize(np.ones((2, 3, 4)), layout="spectrogram")
    with pytest.raises(ValueError, match="1-D signal"):
        normalize(np.arange(4.0), scope="frequency")
    with pytest.raises(ValueError, match="empty"):
        normalize(np.ones((0, 3)))
    with pytest.raises(TypeError, match="numeric"):
        normalize(np.array(["a", "b"]))


# ---------------------------------------------------------------- section 1: gradient descent demo
from course_utils.normalization import (  # noqa: E402
    EXERCISE_LEVELS,
    add_click,
    check_frequency_axes,
    check_sklearn_frequency,
    check_train_only,
    check_zscore,
    example_batch,
    gradient_descent_path,
    make_two_scale_problem,
    matrix_to_patches,
    patches_to_matrix,
    plot_descent,
    side_by_side,
)


def test_two_scale_problem_is_deterministic_and_scaled():
    X, y = make_two_scale_problem(seed=3)
    X2, y2 = make_two_scale_problem(seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    ratio = X[:, 1].std() / X[:, 0].std()
    assert 10 < ratio < 40
    with pytest.raises(ValueError, match="correlation"):
        make_two_scale_problem(correlation=1.0)
    with pytest.raises(ValueError, match="scales"):
        make_two_scale_problem(scales=(1.0, -2.0))


def test_gradient_descent_reaches_least_squares_and_standardizing_helps():
    X, y = make_two_scale_problem()
    raw = gradient_descent_path(X, y)
    std = gradient_descent_path(normalize(X, "zscore", "feature", ddof=0), y)
    np.testing.assert_allclose(raw.optimum, np.linalg.lstsq(X, y, rcond=None)[0], rtol=1e-10)
    assert raw.converged and std.converged
    np.testing.assert_allclose(raw.weights[-1], raw.optimum, rtol=1e-2, atol=1e-3)
    assert raw.condition_number > 100 > 10 > std.condition_number
    assert raw.n_steps > 10 * std.n_steps
    assert raw.weights.shape == (raw.n_steps + 1, 2) and raw.losses.shape == (raw.n_steps + 1,)
    # same learning rate as the standardized problem: far beyond 2 / lambda_max for the raw features
    bad = gradient_descent_path(X, y, learning_rate=std.learning_rate, max_steps=100)
    assert bad.diverged and not bad.converged
    # one step by hand
    w1 = np.zeros(2) - raw.learning_rate * X.T @ (X @ np.zeros(2) - y) / len(y)
    np.testing.assert_allclose(raw.weights[1], w1)


def test_gradient_descent_rejects_bad_input():
    X, y = make_two_scale_problem()
    with pytest.raises(ValueError, match="lr_factor"):
        gradient_descent_path(X, y, lr_factor=2.5)
    with pytest.raises(ValueError, match=r"X must have shape \(n_examples, 2\)"):
        gradient_descent_path(np.ones((5, 3)), np.ones(5))
    with pytest.raises(ValueError, match="learning_rate"):
        gradient_descent_path(X, y, learning_rate=-1.0)


def test_plot_descent_draws_the_path():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    X, y = make_two_scale_problem()
    path = gradient_descent_path(X, y)
    fig, ax = plt.subplots()
    line = plot_descent(X, y, path, ax=ax, steps=10, equal_aspect=False)
    assert len(line.get_xdata()) == 11
    plt.close(fig)


# ---------------------------------------------------------------- patches and sklearn reshaping
@HYP
@given(shape=shapes3, seed=st.integers(0, 2**16))
def test_patches_to_matrix_matches_scope_frequency_and_feature(shape, seed):
    X = _scaled_data(shape, 10.0, -40.0, seed)
    for scope in ("frequency", "feature"):
        M = patches_to_matrix(X, scope)
        np.testing.assert_array_equal(matrix_to_patches(M, X.shape, scope), X)
        via_sklearn = matrix_to_patches(StandardScaler().fit_transform(M), X.shape, scope)
        np.testing.assert_allclose(via_sklearn, normalize(X, "zscore", scope, eps=0.0, ddof=0), atol=1e-7)
    assert patches_to_matrix(X, "frequency").shape == (shape[0] * shape[2], shape[1])


def test_side_by_side_and_click():
    X = np.arange(2 * 3 * 4, dtype=float).reshape(2, 3, 4)
    image = side_by_side(X)
    assert image.shape == (3, 9)
    assert np.isnan(image[:, 4]).all()
    np.testing.assert_array_equal(image[:, 5:], X[1])
    y = np.zeros(1000, dtype=np.float32)
    clicked = add_click(y, 0.5, position=0.5, length=10)
    assert clicked.sum() == pytest.approx(5.0) and clicked[500] == 0.5 and y.sum() == 0
    np.testing.assert_array_equal(add_click(y, 0.0), y)
    with pytest.raises(ValueError, match="amplitude"):
        add_click(y, 2.0)


@pytest.fixture(scope="module")
def patch_sets():
    from course_utils.normalization import fsdd_patch_sets

    return fsdd_patch_sets(n_train=12, n_test=6)


def test_fsdd_patch_sets(patch_sets):
    from course_utils.data import FSDD_TEST_TAKES
    from course_utils.normalization import PATCH_SETTINGS, recording_patches

    train, test = patch_sets
    assert train.patches.ndim == 3 and train.patches.shape[1:] == (PATCH_SETTINGS["n_mels"],
                                                                  PATCH_SETTINGS["patch_length"])
    assert len(train.recording) == len(train.patches) and set(train.recording) == set(range(len(train.audio)))
    assert not train.patches.flags.writeable
    np.testing.assert_array_equal(train.patches[train.recording == 0], recording_patches(train.audio[0], train.sr))
    assert len(FSDD_TEST_TAKES) == 5
    batch = example_batch(test, n_patches=6)
    assert batch.shape == (6,) + test.patches.shape[1:]
    assert np.all(np.diff(batch.mean(axis=(1, 2))) >= 0)  # quiet to loud, as the notebook shows them
    with pytest.raises(ValueError, match="n_patches"):
        example_batch(test, n_patches=100)


def test_click_is_an_outlier_for_minmax(patch_sets):
    from course_utils.normalization import recording_patches

    _, test = patch_sets
    quiet = int(np.argmin([np.abs(a).max() for a in test.audio]))
    clean = recording_patches(test.audio[quiet], test.sr)
    clicked = recording_patches(add_click(test.audio[quiet], 0.5), test.sr)
    assert clicked.max() > clean.max()
    untouched = np.abs(clicked - clean) < 0.5
    assert normalize(clicked, "minmax")[untouched].max() < normalize(clean, "minmax")[untouched].max()


# ---------------------------------------------------------------- "Your turn" checkers
def test_check_zscore():
    x = EXERCISE_LEVELS
    assert check_zscore((x - x.mean()) / (x.std(ddof=1) + 1e-8))
    for answer, hint in [(None, "None"), ((x - x.mean()) / x.std(), "ddof=1"),
                         ((x - x.mean()) / (x.var(ddof=1) + 1e-8), "variance"),
                         (x / (x.std(ddof=1) + 1e-8), "subtract the mean"),
                         ((x - x.min()) / (x.max() - x.min()), "min-max"),
                         (x[:3], "shape"), ("abc", "array of numbers"), (x + 1, "")]:
        result = check_zscore(answer)
        assert not result and hint in result.message


def test_check_frequency_axes():
    assert check_frequency_axes((0, 2)) and check_frequency_axes([2, 0])
    for answer, hint in [(None, "None"), ((1,), "over the bins"), ((0,), "feature"), ((1, 2), "patch"),
                         ((0, 1, 2), "batch"), ("x", "axis numbers"), ((2,), "each patch"),
                         ((0, 3), "does not exist"), ((0, 2, 2), "twice"), ((0, -1, 2), "twice"),
                         ((0.0, 2), "whole axis numbers"), ((True, 2), "whole axis numbers"), ((), "empty"),
                         (-2, "over the bins"), ((-3, -2, -1), "batch")]:
        result = check_frequency_axes(answer)
        assert not result and hint in result.message, (answer, result.message)


@pytest.mark.parametrize("answer", [(0, -1), (-3, -1), (-1, 0), (-3, 2), [0, -1], np.array([0, 2]),
                                    (np.int64(0), np.int64(-1)), range(0, 3, 2)])
def test_check_frequency_axes_counts_axes_as_numpy_does(answer):
    X = _scaled_data((4, 5, 6), 10.0, -40.0, seed=0)
    # NumPy reduces the same axes for these answers, so the checker must accept them all
    assert np.allclose(X.mean(axis=tuple(int(a) for a in answer)), X.mean(axis=(0, 2)))
    assert check_frequency_axes(answer)


def test_check_train_only():
    train = _scaled_data((8, 5, 4), 10.0, -40.0, seed=1)
    test = _scaled_data((3, 5, 4), 14.0, -30.0, seed=2)
    good = (test - train.mean(axis=(0, 2), keepdims=True)) / (train.std(axis=(0, 2), ddof=1, keepdims=True) + 1e-8)
    assert check_train_only(good, train, test)
    both = np.concatenate([train, test])
    leak = (test - both.mean(axis=(0, 2), keepdims=True)) / (both.std(axis=(0, 2), ddof=1, keepdims=True) + 1e-8)
    for answer, hint in [(None, "None"), (normalize(test, scope="frequency"), "its own statistics"),
                         (leak, "leakage"), (Normalizer(scope="frequency", ddof=0).fit(train).transform(test), "ddof=1"),
                         (Normalizer(scope="dataset").fit(train).transform(test), "'dataset'"), (test, "Normalizer")]:
        result = check_train_only(answer, train, test)
        assert not result and hint in result.message


def test_check_sklearn_frequency():
    X = _scaled_data((6, 5, 4), 10.0, -40.0, seed=4)
    M = X.transpose(0, 2, 1).reshape(-1, 5)
    good = StandardScaler().fit_transform(M).reshape(6, 4, 5).transpose(0, 2, 1)
    assert check_sklearn_frequency(good, X)
    flat = StandardScaler().fit_transform(X.reshape(6, -1)).reshape(X.shape)
    no_transpose = StandardScaler().fit_transform(X.reshape(-1, 5)).reshape(X.shape)   # the commonest slip
    not_back = StandardScaler().fit_transform(M).reshape(X.shape)                        # no transpose back
    swapped = StandardScaler().fit_transform(M).reshape(6, 4, 5)                         # shape left transposed
    for answer, hint in [(None, "None"), (flat, "'feature'"), (normalize(X, scope="frequency"), "ddof=0"),
                         (X, "transpose"), (no_transpose, "without a transpose"), (not_back, "way back"),
                         (swapped, "transpose it back")]:
        result = check_sklearn_frequency(answer, X)
        assert not result and hint in result.message, (hint, result.message)


_ODD_ANSWERS = [None, 10**400, -10**400, 1e300, float("nan"), float("inf"), np.nan, "31", "ten", "", b"x", 3 + 4j,
                True, np.array([1, 2, 3]), np.array(42), np.array([[1.0]]), np.array([np.nan] * 7), [1, 2], [], (),
                {}, {0, 2}, object(), [None], [[0, 2]], (0.5, 2), (10**400,), (float("inf"), 1), range(3), -1,
                np.ma.masked_array([1, 2], [0, 1]), np.full(7, 1e308), np.array([1 + 1j] * 7),
                [1, 2, 3, 4, 5, 6, "x"], np.array(list(range(7)), dtype=object), [[1, 2], [3]]]


def test_no_checker_raises_on_any_answer():
    train = _scaled_data((8, 5, 4), 10.0, -40.0, seed=1)
    test = _scaled_data((3, 5, 4), 14.0, -30.0, seed=2)
    checkers = {"check_zscore": check_zscore, "check_frequency_axes": check_frequency_axes,
                "check_train_only": lambda a: check_train_only(a, train, test),
                "check_sklearn_frequency": lambda a: check_sklearn_frequency(a, train)}
    for name, checker in checkers.items():
        for answer in _ODD_ANSWERS + [np.zeros((3, 5, 4)), np.zeros((8, 5, 4)), np.zeros((8, 4, 5))]:
            with warnings.catch_warnings():
                warnings.simplefilter("error")   # a warning would show as a red box under the student's cell
                result = checker(answer)
            assert isinstance(result.correct, bool) and result.message, (name, answer)
            assert len(result.message) < 600, (name, answer, result.message)


# ---------------------------------------------------------------- explorer
@pytest.fixture(scope="module")
def explorer():
    from course_utils.explorers.normalization import NormalizationExplorer

    class Small(NormalizationExplorer):  # fewer recordings: same code, faster test
        n_train, n_test = 12, 8

    return Small()


def test_explorer_is_registered():
    from course_utils.explorers.normalization import NormalizationExplorer
    from course_utils.widgets import EXPLORERS

    assert EXPLORERS["normalization"] is NormalizationExplorer


@pytest.mark.parametrize("control", ["method", "scope", "eps", "click"])
def test_explorer_controls_work_and_change_the_picture(explorer, control):
    from course_utils.widgets import sweep_values

    with explorer.hold():
        explorer.controls["method"].value = "zscore"
        explorer.controls["scope"].value = "batch"
        explorer.controls["eps"].value = 1e-8
        explorer.controls["click"].value = 0.5
    pictures = set()
    for value in sweep_values(explorer.controls[control]):
        explorer.controls[control].value = value
        assert explorer.error is None, explorer.error
        pictures.add(explorer.snapshot())
    assert len(pictures) > 1


def test_explorer_blitted_pictures_equal_freshly_built_ones(explorer):
    # Only the changing artists are redrawn over a stored background; new axis limits must trigger a full
    # redraw. A stale background shows up as a difference from an explorer built with the same values.
    import io

    from PIL import Image

    def pixels(e):
        return np.asarray(Image.open(io.BytesIO(e.snapshot())))

    assert explorer.dynamic_artists()
    with explorer.hold():
        explorer.controls["method"].value = "zscore"
        explorer.controls["scope"].value = "batch"
        explorer.controls["eps"].value = 1e-8
        explorer.controls["click"].value = 0.0
    moves = [("click", 1.0), ("scope", "patch"), ("eps", 10.0), ("scope", "frequency"), ("method", "minmax"),
             ("click", 0.35), ("scope", "dataset"), ("method", "zscore"), ("scope", "batch")]
    for name, value in moves:
        explorer.controls[name].value = value
        assert explorer.error is None, explorer.error
        fresh = type(explorer)(**explorer.values())
        assert np.array_equal(pixels(explorer), pixels(fresh)), explorer.values()


def test_explorer_plays_the_recording_with_the_click_shown(explorer):
    player = explorer.players["recording with the click"]
    for amplitude in (0.0, 0.6):
        explorer.controls["click"].value = amplitude
        assert explorer.error is None, explorer.error
        y_click, _ = explorer._click_patches(amplitude)
        np.testing.assert_array_equal(player.samples, y_click)
        assert f"amplitude {amplitude:.2f}" in player.caption.value
    assert not np.array_equal(player.samples, explorer._click_patches(0.0)[0])  # the click is there to hear


def test_explorer_statistics_follow_the_scope(explorer):
    with explorer.hold():
        explorer.controls["method"].value = "minmax"
        explorer.controls["scope"].value = "dataset"
        explorer.controls["click"].value = 0.0
    dataset_text = explorer.readout.value
    explorer.controls["click"].value = 1.0
    assert explorer.error is None
    # training-set statistics do not move with the click ...
    assert dataset_text.split("<br>")[1] == explorer.readout.value.split("<br>")[1]
    assert "training set" in explorer.readout.value
    explorer.controls["scope"].value = "batch"
    with_click = explorer.readout.value.split("<br>")[1]
    explorer.controls["click"].value = 0.0
    # ... batch statistics do
    assert with_click != explorer.readout.value.split("<br>")[1]
    assert explorer.controls["eps"].disabled
    explorer.controls["method"].value = "zscore"
    assert not explorer.controls["eps"].disabled

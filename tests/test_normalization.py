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

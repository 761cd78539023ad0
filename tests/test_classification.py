"""Tests of the programming session's pipeline (course_utils.features, .classification, .training_curves) and its
training panel."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils import features as ft
from course_utils import training_curves as tc
from course_utils.classification import (
    aggregate_by_file,
    build_mlp,
    check_file_decision,
    check_mlp_params,
    check_n_feature_frames,
    check_speaker_split,
    count_mlp_params,
    evaluate,
    fit_normalizer,
    held_out_speaker_experiment,
    per_speaker_accuracy,
    run_experiment,
    summarize_held_out,
    train_model,
    validation_split,
)
from course_utils.data import FSDD_SPEAKERS, load_fsdd, official_split, speaker_split
from course_utils.features import (
    FeatureParams,
    augmented_features,
    collection_fingerprint,
    compute_features,
    feature_cache_dir,
    file_features,
)

keras = pytest.importorskip("keras")


@pytest.fixture(scope="module")
def fsdd():
    return load_fsdd(progress=False)


@pytest.fixture(scope="module")
def small(fsdd):
    """Three speakers, three digits, takes 0-9 and 40-44: 135 recordings (45 in the official test set)."""
    keep = (np.isin(fsdd.speakers, ["george", "jackson", "theo"]) & np.isin(fsdd.labels, [1, 4, 7])
            & ((fsdd.takes < 10) | (fsdd.takes >= 45)))
    return fsdd.subset(keep)


@pytest.fixture()
def tmp_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    return tmp_path


# ---------------------------------------------------------------------------------------------- features

def test_mfcc_frames_match_representations_and_librosa(fsdd):
    import librosa

    y = fsdd.audio[123]
    raw = file_features(y, fsdd.sr, FeatureParams(deltas=False, per_file_norm=False))
    reference = librosa.feature.mfcc(y=y, sr=fsdd.sr, n_mfcc=13, n_fft=256, hop_length=128, n_mels=40, center=False).T
    np.testing.assert_allclose(raw, reference, rtol=1e-4, atol=1e-3)
    assert raw.shape[0] == 1 + (len(y) - 256) // 128


def test_deltas_match_librosa(fsdd):
    import librosa

    y = fsdd.audio[5]
    F = file_features(y, fsdd.sr, FeatureParams(deltas=True, per_file_norm=False))
    mfcc = F[:, :13]
    expected = librosa.feature.delta(mfcc.T, width=5, mode="nearest").T
    np.testing.assert_allclose(F[:, 13:], expected, rtol=1e-4, atol=1e-4)


def test_per_file_norm_is_cmvn(fsdd):
    F = file_features(fsdd.audio[7], fsdd.sr, FeatureParams())
    np.testing.assert_allclose(F.mean(axis=0), 0, atol=1e-4)
    np.testing.assert_allclose(F.std(axis=0), 1, atol=1e-3)
    # the same recording at another loudness gives the same normalized MFCCs (gain = additive c0 shift)
    G = file_features(0.3 * fsdd.audio[7], fsdd.sr, FeatureParams())
    np.testing.assert_allclose(F, G, atol=2e-2)


@pytest.mark.parametrize("mode", ["centre", "stretch"])
def test_logmel_patch_shape_and_short_clip(fsdd, mode):
    params = FeatureParams(representation="logmel_patch", patch_mode=mode, patch_length=32, n_mels=40)
    for y in (fsdd.audio[0], np.zeros(100, np.float32) + 0.01 * np.sin(np.arange(100))):
        P = file_features(y, fsdd.sr, params)
        assert P.shape == (1, 40 * 32) == (1, params.n_features)
        assert np.all(np.isfinite(P))


def test_centre_crop_follows_the_energy():
    S = np.full((4, 100), -80.0)
    S[:, 70:76] = 0.0  # the loud part
    crop = ft._centre_crop(S, 20)
    assert crop.shape == (4, 20)
    loud = np.flatnonzero(crop[0] == 0.0)
    assert len(loud) == 6 and abs(loud.mean() - 9.5) <= 1.0  # the whole loud part, in the middle of the patch
    padded = ft._centre_crop(S[:, :10], 20)
    assert padded.shape == (4, 20) and padded[0, 0] == -80.0


def test_stretch_endpoints_and_length():
    S = np.arange(10.0)[None, :].repeat(2, axis=0)
    out = ft._stretch(S, 19)
    assert out.shape == (2, 19)
    np.testing.assert_allclose(out[0], np.linspace(0, 9, 19))


def test_feature_params_validation():
    with pytest.raises(ValueError, match="hop_size"):
        FeatureParams(block_size=256, hop_size=512)
    with pytest.raises(ValueError, match="representation"):
        FeatureParams(representation="waveform")
    with pytest.raises(ValueError, match="n_mfcc"):
        FeatureParams(n_mfcc=50, n_mels=40)
    with pytest.raises(TypeError, match="deltas"):
        FeatureParams(deltas="yes")
    assert FeatureParams().n_features == 26
    assert FeatureParams(representation="logmel_patch").n_features == 40 * 32


def test_compute_features_layout(small, tmp_cache):
    feats = compute_features(small, FeatureParams(), n_jobs=1, progress=False)
    assert feats.X.dtype == np.float32 and feats.X.shape[1] == 26
    assert len(np.unique(feats.file_index)) == len(small)
    expected_rows = sum(1 + (len(y) - 256) // 128 for y in small.audio)
    assert len(feats) == expected_rows
    np.testing.assert_array_equal(feats.labels, small.labels[feats.file_index])
    i = 17
    np.testing.assert_array_equal(feats.select([i]).X, file_features(small.audio[i], small.sr, FeatureParams()))


def test_parallel_equals_sequential(small, tmp_cache):
    sub = small.subset(np.arange(120))
    a = compute_features(sub, cache=False, n_jobs=1, progress=False)
    b = compute_features(sub, cache=False, n_jobs=2, progress=False)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.file_index, b.file_index)


def test_feature_cache_hit_and_invalidation(small, tmp_cache):
    params = FeatureParams()
    first = compute_features(small, params, n_jobs=1, progress=False)
    assert not first.from_cache and first.cache_path.is_file()
    assert first.cache_path.parent == feature_cache_dir() == tmp_cache / "features"
    again = compute_features(small, params, n_jobs=1, progress=False)
    assert again.from_cache and again.cache_path == first.cache_path
    np.testing.assert_array_equal(again.X, first.X)
    # another parameter -> another key, computed afresh
    other = compute_features(small, FeatureParams(n_mfcc=12), n_jobs=1, progress=False)
    assert not other.from_cache and other.cache_path != first.cache_path
    assert other.X.shape[1] == 24
    # other audio (one recording changed) -> another key
    changed = small.subset(np.arange(len(small)))
    changed.audio[0] = changed.audio[0] * 0.5
    assert collection_fingerprint(changed) != collection_fingerprint(small)
    assert not compute_features(changed, params, n_jobs=1, progress=False).from_cache
    # a new code version invalidates everything
    old = ft.FEATURE_VERSION
    try:
        ft.FEATURE_VERSION = old + 1
        assert not compute_features(small, params, n_jobs=1, progress=False).from_cache
    finally:
        ft.FEATURE_VERSION = old
    # so does an edit of the modules the features are computed with
    original = ft._code_fingerprint
    try:
        ft._code_fingerprint = lambda augmented: "edited representations.py"
        assert not compute_features(small, params, n_jobs=1, progress=False).from_cache
    finally:
        ft._code_fingerprint = original
    assert compute_features(small, params, n_jobs=1, progress=False).from_cache
    assert ft._code_fingerprint(True) != ft._code_fingerprint(False)
    # no temporary files are left behind (written atomically)
    assert not list((tmp_cache / "features").glob("*.tmp"))


def test_corrupted_cache_file_is_recomputed(small, tmp_cache):
    first = compute_features(small, n_jobs=1, progress=False)
    first.cache_path.write_bytes(b"not a numpy file")
    with pytest.warns(UserWarning, match="is damaged .*removed it; computing the features again"):
        again = compute_features(small, n_jobs=1, progress=False)
    assert not again.from_cache
    np.testing.assert_array_equal(again.X, first.X)
    assert compute_features(small, n_jobs=1, progress=False).from_cache


def test_cache_key_includes_fsdd_registry(fsdd):
    digest = ft._fsdd_registry_digest(fsdd)
    assert digest is not None and len(digest) == 64
    key = ft.feature_cache_key(FeatureParams(), "x", registry_digest=digest)
    assert key != ft.feature_cache_key(FeatureParams(), "x", registry_digest=None)
    assert key != ft.feature_cache_key(FeatureParams(), "x", registry_digest=digest, augmentation={"p": 0.5})


def test_augmented_features(small, tmp_cache):
    files = np.array([0, 5, 9])
    aug = augmented_features(small, files=files, n_copies=2, seed=3, n_jobs=1, progress=False)
    assert set(np.unique(aug.file_index)) == set(files.tolist())
    np.testing.assert_array_equal(aug.labels, small.labels[aug.file_index])
    clean = compute_features(small.subset(files), n_jobs=1, progress=False)
    assert not np.array_equal(aug.select([0]).X[: len(clean.select([0]).X)], clean.select([0]).X)
    again = augmented_features(small, files=files, n_copies=2, seed=3, n_jobs=1, progress=False)
    assert again.from_cache
    np.testing.assert_array_equal(again.X, aug.X)
    # a copy depends on (seed, recording, copy) only, not on which other recordings are augmented
    alone = augmented_features(small, files=[5], n_copies=2, seed=3, n_jobs=1, progress=False, cache=False)
    np.testing.assert_array_equal(alone.X, aug.select([5]).X)
    other_seed = augmented_features(small, files=files, n_copies=2, seed=4, n_jobs=1, progress=False)
    assert not other_seed.from_cache
    other_strength = augmented_features(small, files=files, n_copies=2, seed=3, n_jobs=1, progress=False,
                                        augmentation={"shift_max_ms": 50.0, "semitones": 1.0, "snr_db": 20.0, "p": 1.0})
    assert not other_strength.from_cache
    with pytest.raises(ValueError, match="n_copies"):
        augmented_features(small, n_copies=0)
    with pytest.raises(ValueError, match="semitones"):
        augmented_features(small, augmentation={"semitones": 50.0})


# ---------------------------------------------------------------------------------------------- splits

@pytest.mark.parametrize("speaker", FSDD_SPEAKERS)
def test_speaker_held_out_split_has_disjoint_speakers(fsdd, speaker):
    train, test = speaker_split(fsdd, speaker)
    assert set(fsdd.speakers[test].tolist()) == {speaker}
    assert speaker not in set(fsdd.speakers[train].tolist())
    assert len(train) + len(test) == len(fsdd) and not np.intersect1d(train, test).size


def test_official_split_every_test_speaker_heard_in_training(fsdd):
    train, test = official_split(fsdd)
    assert len(test) == 300  # takes 0-4 of 50, for every speaker and digit
    assert set(fsdd.speakers[test].tolist()) <= set(fsdd.speakers[train].tolist())


def test_validation_split_is_by_recording_and_stratified(fsdd):
    train, _ = official_split(fsdd)
    fit, val = validation_split(fsdd.labels, train, 0.1, seed=0)
    assert not np.intersect1d(fit, val).size
    np.testing.assert_array_equal(np.union1d(fit, val), np.sort(train))
    assert np.all(np.bincount(fsdd.labels[val], minlength=10) == 27)  # 10 % of 270 per digit
    with pytest.raises(ValueError, match="fraction"):
        validation_split(fsdd.labels, train, 0.9)


def test_frames_of_one_recording_never_on_both_sides(small, tmp_cache):
    feats = compute_features(small, n_jobs=1, progress=False)
    train, test = official_split(small)
    assert not np.intersect1d(feats.select(train).file_index, feats.select(test).file_index).size
    assert len(feats.select(train)) + len(feats.select(test)) == len(feats)


# ---------------------------------------------------------------------------------------------- normalization

def test_fit_normalizer_matches_standard_scaler():
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(0)
    X_train, X_test = rng.normal(3, 2, (200, 5)), rng.normal(-1, 5, (50, 5))
    norm = fit_normalizer(X_train)
    scaler = StandardScaler().fit(X_train)
    np.testing.assert_allclose(norm.transform(X_test), scaler.transform(X_test), rtol=1e-6, atol=1e-8)


# ---------------------------------------------------------------------------------------------- model

@pytest.mark.parametrize("depth,width,activation", [(0, 8, "relu"), (2, 32, "relu"), (3, 16, "selu")])
def test_build_mlp_parameters_and_softmax(depth, width, activation):
    model = build_mlp(26, 10, width=width, depth=depth, activation=activation, dropout=0.1)
    assert model.count_params() == count_mlp_params(26, width, depth, 10)
    probs = model.predict(np.random.default_rng(0).normal(size=(4, 26)).astype("float32"), verbose=0)
    np.testing.assert_allclose(probs.sum(axis=1), 1, rtol=1e-5)
    assert model.loss == "categorical_crossentropy"
    assert model.layers[-1].activation.__name__ == "softmax"


def test_build_mlp_rejects_bad_settings():
    with pytest.raises(ValueError, match="width"):
        build_mlp(10, width=0)
    with pytest.raises(ValueError, match="activation"):
        build_mlp(10, activation="tanhh")
    with pytest.raises(ValueError, match="learning_rate"):
        build_mlp(10, learning_rate=0)
    with pytest.raises(TypeError, match="depth"):
        build_mlp(10, depth=1.5)


def test_train_model_with_monitor_records_every_epoch():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4)).astype("float32")
    y = (X[:, 0] > 0).astype(int)
    model = build_mlp(4, 2, width=8, depth=1, learning_rate=0.01)
    monitor = tc.TrainingMonitor("test")
    blank = monitor.snapshot()
    history = train_model(model, X[:240], y[:240], validation=(X[240:], y[240:], np.arange(60)), epochs=4,
                          batch_size=32, monitor=monitor)
    for key in ("loss", "accuracy", "val_loss", "val_accuracy", "val_file_accuracy"):
        assert len(history[key]) == 4 and len(monitor.history[key]) == 4
    # one example per "file": the file-level validation accuracy equals Keras' own
    np.testing.assert_allclose(history["val_file_accuracy"], history["val_accuracy"], atol=1e-6)
    assert monitor.progress.value == 4 and monitor.progress.bar_style == "success"
    assert monitor.snapshot() != blank
    assert history["loss"][-1] < history["loss"][0]
    with pytest.raises(ValueError, match="epochs"):
        train_model(model, X, y, epochs=0)


# ---------------------------------------------------------------------------------------------- evaluation

def test_aggregate_by_file_matches_hand_computation():
    probs = np.array([[0.7, 0.2, 0.1],   # file 4
                      [0.1, 0.8, 0.1],   # file 2
                      [0.2, 0.5, 0.3],   # file 4
                      [0.3, 0.3, 0.4],   # file 2
                      [0.0, 0.1, 0.9]])  # file 9
    files, mean = aggregate_by_file(probs, np.array([4, 2, 4, 2, 9]))
    np.testing.assert_array_equal(files, [2, 4, 9])
    np.testing.assert_allclose(mean, [[0.2, 0.55, 0.25], [0.45, 0.35, 0.2], [0.0, 0.1, 0.9]])
    np.testing.assert_array_equal(mean.argmax(axis=1), [1, 0, 2])
    with pytest.raises(ValueError, match="file_index"):
        aggregate_by_file(probs, np.array([1, 2]))


def test_aggregation_differs_from_majority_vote():
    # two frames weakly say class 1, one frame strongly says class 0: the mean picks 0, a vote picks 1
    probs = np.array([[0.45, 0.55], [0.45, 0.55], [0.99, 0.01]])
    _, mean = aggregate_by_file(probs, np.zeros(3, int))
    assert mean.argmax() == 0


def test_run_experiment_scaler_sees_training_data_only(small, tmp_cache):
    # without per-file normalization the columns have non-zero means, so the training-only fit shows
    feats = compute_features(small, FeatureParams(per_file_norm=False), n_jobs=1, progress=False)
    train, test = official_split(small)
    result = run_experiment(feats, train, test, epochs=2, batch_size=256, width=16, depth=1, seed=1)
    fit_rows = feats.select(result.fit_idx).X
    np.testing.assert_allclose(result.normalizer.mean_.ravel(), fit_rows.mean(axis=0), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(result.normalizer.std_.ravel(), fit_rows.std(axis=0), rtol=1e-4, atol=1e-5)
    assert not np.allclose(result.normalizer.mean_.ravel(), feats.X.mean(axis=0), rtol=1e-3, atol=1e-3)
    assert not np.intersect1d(result.fit_idx, test).size and not np.intersect1d(result.val_idx, test).size
    assert not np.intersect1d(result.fit_idx, result.val_idx).size
    ev = result.evaluation
    np.testing.assert_array_equal(ev.files, np.sort(test))
    np.testing.assert_array_equal(ev.y_true, small.labels[ev.files])
    assert ev.confusion.sum() == len(test) and np.trace(ev.confusion) == np.sum(ev.y_pred == ev.y_true)
    assert ev.file_accuracy == pytest.approx(np.mean(ev.y_pred == ev.y_true))
    table = per_speaker_accuracy(ev, small.speakers)
    assert list(table.index) == ["george", "jackson", "theo"] and table["recordings"].sum() == len(test)
    assert len(result.history["loss"]) == 2


def test_run_experiment_uses_augmented_copies_of_fitting_files_only(small, tmp_cache):
    feats = compute_features(small, n_jobs=1, progress=False)
    aug = augmented_features(small, n_copies=1, n_jobs=1, progress=False)
    train, test = speaker_split(small, "theo")
    result = run_experiment(feats, train, test, augmented=aug, epochs=1, batch_size=512, width=8, depth=1,
                            val_fraction=0.0)
    rows = np.vstack([feats.select(result.fit_idx).X, aug.select(result.fit_idx).X])
    np.testing.assert_allclose(result.normalizer.mean_.ravel(), rows.mean(axis=0), rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="share"):
        run_experiment(feats, train, train[:3], epochs=1)
    with pytest.raises(TypeError, match="unknown training setting"):
        run_experiment(feats, train, test, epoch=1)


def test_held_out_speaker_experiment_table(small, tmp_cache):
    feats = compute_features(small, n_jobs=1, progress=False)
    table = held_out_speaker_experiment(small, feats, ["george", "theo"], epochs=1, batch_size=512, width=8,
                                        depth=1, progress=False)
    assert list(table.index) == ["george", "theo"]
    assert table["accuracy"].between(0, 1).all()
    assert "mean" in summarize_held_out(table)


def test_evaluate_on_a_perfect_model(small, tmp_cache):
    """A fake model that returns the true one-hot vector gives accuracy 1 and a diagonal confusion matrix."""
    feats = compute_features(small, n_jobs=1, progress=False)

    class Oracle:
        def predict(self, X, verbose=0, batch_size=None):
            return np.eye(10)[self.labels]

    class Identity:
        def transform(self, X):
            return X

    oracle = Oracle()
    _, test = official_split(small)
    oracle.labels = feats.select(test).labels
    ev = evaluate(oracle, Identity(), feats, test)
    assert ev.file_accuracy == 1.0 and ev.example_accuracy == 1.0
    assert np.count_nonzero(ev.confusion - np.diag(np.diag(ev.confusion))) == 0


# ---------------------------------------------------------------------------------------------- checkers

def test_check_file_decision():
    probs = np.array([[0.45, 0.55], [0.45, 0.55], [0.99, 0.01], [0.1, 0.9]])
    index = np.array([0, 0, 0, 1])
    assert check_file_decision([0, 1], probs, index).correct
    vote = check_file_decision([1, 1], probs, index)
    assert not vote.correct and "majority vote" in vote.message
    assert not check_file_decision(None, probs, index).correct
    assert not check_file_decision([0], probs, index).correct
    assert check_file_decision(np.array([0.0, 1.0]), probs, index).correct  # whole numbers as floats are fine
    assert "whole numbers" in check_file_decision([0.4, 1.7], probs, index).message  # not truncated to [0, 1]


def test_check_speaker_split(fsdd):
    train, test = speaker_split(fsdd, "lucas")
    assert check_speaker_split(fsdd, "lucas", train, test).correct
    assert not check_speaker_split(fsdd, "lucas", None, None).correct
    official = official_split(fsdd)
    assert not check_speaker_split(fsdd, "lucas", *official).correct
    leaky = np.concatenate([train, test[:5]])
    assert not check_speaker_split(fsdd, "lucas", leaky, test[5:]).correct
    masks = (fsdd.speakers != "lucas", fsdd.speakers == "lucas")  # right idea, but masks instead of indices
    assert "np.flatnonzero" in check_speaker_split(fsdd, "lucas", *masks).message
    assert check_speaker_split(fsdd, "lucas", *(np.flatnonzero(m) for m in masks)).correct


@pytest.mark.parametrize("answer", [10**400, -10**400, np.array([1.0, 2.0]), np.array([]), float("nan"),
                                    float("inf"), "abc", "12", None, True, [1, 2.5], {"a": 1}, 1 + 2j, object(),
                                    [[1, 2], [3]], np.array(["x"]), (None,), np.array([-1, 5000])],
                         ids=lambda a: type(a).__name__)
def test_no_checker_raises_on_any_answer(fsdd, answer):
    probs, file_index = np.full((4, 10), 0.1), np.array([0, 0, 1, 1])
    calls = [check_mlp_params, check_n_feature_frames, lambda a: check_file_decision(a, probs, file_index),
             lambda a: check_speaker_split(fsdd, "lucas", a, np.flatnonzero(fsdd.speakers == "lucas")),
             lambda a: check_speaker_split(fsdd, "lucas", np.flatnonzero(fsdd.speakers != "lucas"), a)]
    for check in calls:
        result = check(answer)
        assert type(result).__name__ == "Check" and not result


def test_check_mlp_params_against_keras():
    model = build_mlp(26, 10, width=64, depth=2)
    assert check_mlp_params(model.count_params()).correct
    assert "biases" in check_mlp_params(26 * 64 + 64 * 64 + 64 * 10).message
    assert not check_mlp_params(None).correct
    assert not check_mlp_params("many").correct
    assert not check_mlp_params(model.count_params() + 0.5).correct  # not truncated to the right count
    assert not check_mlp_params(True).correct


def test_check_n_feature_frames():
    assert check_n_feature_frames(30).correct  # 1 + (4000 - 256) // 128
    assert "subtract" in check_n_feature_frames(31).message  # floor(4000 / 128): the block not subtracted
    assert "center=True" in check_n_feature_frames(32).message  # 1 + floor(4000 / 128): the padded count
    assert not check_n_feature_frames(None).correct
    assert check_n_feature_frames(30.0).correct
    assert not check_n_feature_frames(30.7).correct  # int(30.7) == 30 must not count as right
    assert not check_n_feature_frames(float("nan")).correct


# ---------------------------------------------------------------------------------------------- training panel

def test_training_panel_sliders_do_not_train_and_button_does(small, tmp_cache):
    from course_utils.explorers.classification import TrainingPanel
    from course_utils.widgets import sweep_values

    assert TrainingPanel.registry_name == "training_panel"
    panel = TrainingPanel(collection=small, epochs=2, width=16, depth=1, batch_size=512)
    assert panel.error is None
    before = panel.snapshot()
    for name, control in panel.controls.items():
        for value in sweep_values(control, max_values=4):
            control.value = value
            assert panel.error is None, (name, value, panel.error)
    assert panel.runs == [] and panel.snapshot() == before  # no slider trained anything
    assert "Press Train" in panel.readout.value
    with panel.hold():
        panel.controls["epochs"].value = 3
        panel.controls["width"].value = 16
        panel.controls["depth"].value = 1
        panel.controls["batch_size"].value = 512
        panel.controls["representation"].value = list(cl_panel_representations())[0]
    assert "16" in panel.readout.value and "3 epochs" in panel.readout.value
    panel.buttons["Train"].click_now()
    assert panel.error is None, panel.error
    assert len(panel.runs) == 1 and panel.progress.value == 3
    assert panel.snapshot() != before  # the latest curves are shown
    assert len(panel.history["loss"]) == 3
    panel.controls["representation"].value = list(cl_panel_representations())[1]
    panel.buttons["Train"].click_now()
    assert panel.error is None, panel.error
    table = panel.results()
    assert list(table.index) == [1, 2] and "val acc (files)" in table
    assert not any("test" in column for column in table)  # runs are compared by validation accuracy
    assert "test" not in panel.table.value and "validation accuracy" in panel.caption.get_text()
    assert 0 <= panel.test_accuracy(1)["test acc (files)"] <= 1 and panel.test_accuracy()["run"] == 2
    with pytest.raises(ValueError):
        panel.test_accuracy(7)
    assert "<table" in panel.table.value and table["representation"].nunique() == 2
    # the layout follows the curves during training only; afterwards it is frozen again for the sliders
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    assert not isinstance(panel.fig.get_layout_engine(), ConstrainedLayoutEngine)
    ticks = panel.curves.ax_loss.get_xticks()
    assert np.allclose(ticks, np.round(ticks))  # whole epochs on the x axis
    # every run starts from the same seed: the same settings give the same run
    panel.buttons["Train"].click_now()
    table = panel.results()
    assert (table["seed"] == 0).all() and table.loc[3, "val acc (files)"] == table.loc[2, "val acc (files)"]
    assert panel.test_accuracy(3) == {**panel.test_accuracy(2), "run": 3}
    assert panel.controls["depth"].min == 1


def cl_panel_representations():
    from course_utils.explorers.classification import PANEL_REPRESENTATIONS

    return PANEL_REPRESENTATIONS


def test_aggregate_by_file_properties():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=40, deadline=None)
    @given(st.integers(1, 40), st.integers(2, 6), st.integers(1, 5), st.integers(0, 2**31 - 1))
    def check(n_examples, n_classes, n_files, seed):
        rng = np.random.default_rng(seed)
        probs = rng.dirichlet(np.ones(n_classes), size=n_examples)
        index = rng.integers(0, n_files, size=n_examples)
        files, mean = aggregate_by_file(probs, index)
        np.testing.assert_array_equal(files, np.unique(index))
        np.testing.assert_allclose(mean.sum(axis=1), 1.0, rtol=1e-9)  # still probability vectors
        order = rng.permutation(n_examples)  # the order of the frames does not matter
        np.testing.assert_allclose(aggregate_by_file(probs[order], index[order])[1], mean, rtol=1e-9)
        for k, f in enumerate(files):
            np.testing.assert_allclose(mean[k], probs[index == f].mean(axis=0), rtol=1e-9)

    check()


def test_record_epoch_appends_history_and_summarises_in_a_fixed_order():
    from course_utils.training_curves import record_epoch

    history = {}
    assert record_epoch(history, {"val_loss": 0.5, "loss": 0.25, "lr": 1e-3}) == "loss 0.250 · val_loss 0.500"
    record_epoch(history, {"val_loss": 0.4, "loss": 0.2, "lr": 1e-3})
    assert history == {"val_loss": [0.5, 0.4], "loss": [0.25, 0.2], "lr": [1e-3, 1e-3]}

"""A property-based battery over the whole public API: every wrong value gets a clear error.

Every module of ``course_utils`` lists its public names in ``__all__``; every function and class there is
walked. A call is built from valid example arguments (``VALID``, by parameter name); then one parameter at a
time is replaced by a value drawn (hypothesis) from the wrong values its kind of parameter can get:

* a parameter whose default is a number (not a bool) gets strings, ``None``, booleans, NaN and infinities:
  the call must raise ``TypeError`` or ``ValueError`` (or the data layer's ``DataError``) whose message names
  the parameter;
* it also gets zero, negative and huge numbers: the call may accept them (many are valid, e.g. a negative
  shift) but must then return without NumPy warnings, and otherwise raise as above (never hang: huge sizes
  and counts are bounded);
* a parameter whose default is a bool gets truthy strings (``"no"``), numbers and ``None``: refused;
* a signal parameter (``y``, ``clean``, ``noisy``) gets int16, stereo, empty and NaN arrays: refused.

A new public function is walked automatically; one whose required parameters have no entry in ``VALID`` fails
``test_every_public_function_is_walked`` until an entry (or a reason in ``NOT_WALKED``) is added.
Checkers (``check_*``) have their own contract: any answer gets a right/wrong explanation
(``tests/checker_contract.py``).
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import math
import pkgutil
import signal
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import course_utils
from course_utils.data import DataError

SR = 8000
_t = np.arange(SR // 2) / SR
TONE = (0.3 * np.sin(2 * np.pi * 440 * _t)).astype(np.float32)  # 0.5 s

def _collection():
    from course_utils.data import AudioCollection

    return AudioCollection(audio=[TONE, TONE[::-1].copy()], labels=np.array([0, 1]), class_names=["a", "b"],
                           speakers=np.array(["ann", "bob"]), takes=np.array([0, 0]), sr=SR, paths=["a.wav", "b.wav"])


def _valid():
    """Valid example arguments by parameter name (required parameters get these)."""
    import pandas as pd

    from course_utils.features import FeatureParams
    from course_utils.loss_surfaces import SURFACES
    from course_utils.mlp import MLP
    from course_utils.recorder import Take

    rng = np.random.default_rng(0)
    S = (-40 + 10 * rng.random((16, 20))).astype(np.float32)
    return {
        "y": TONE, "y_aug": TONE, "clean": TONE, "noisy": TONE + np.float32(0.01), "sr": SR,
        "z": np.linspace(-3, 3, 7), "y_true": np.array([0.0, 1.0]), "y_pred": np.array([0.2, 0.8]),
        "logits": np.array([0.5, 1.5]), "x": np.array([0.5, -0.2]), "weights": np.array([1.0, 2.0]),
        "n_inputs": 4, "n_units": 3, "shift_ms": 10.0, "semitones": 1.0, "snr_db": 20.0, "amplitude": 0.01,
        "applied": [], "label_kind": "word", "augmentation": "time_shift", "times_s": [0.1], "duration_s": 1.0,
        "frequency": 440.0, "duration": 0.5, "midi": 60, "onsets": [0.1], "S_db": S, "S": S, "U": rng.random((16, 20)),
        "low": -80.0, "high": 0.0, "transform": "time_mask", "block_size": 256, "hop_size": 128, "n_samples": 1000,
        "n_frames": 20, "patch_length": 8, "patch_hop": 4, "overlap": 0.5, "ndim": 3, "scope": "feature",
        "X": rng.random((8, 3)), "X_train": rng.random((8, 3)), "n_features": 4, "width": 3, "depth": 1,
        "labels": np.arange(10).repeat(2), "train_idx": np.arange(20), "example_probs": np.full((4, 2), 0.5),
        "file_index": np.array([0, 0, 1, 1]), "message": "ok", "answer": 1.0, "name": "x",
        "clips": [TONE], "augmented": [TONE], "correct_a": np.array([True, False, True]),
        "correct_b": np.array([True, True, False]), "confusion": np.eye(2, dtype=int), "class_names": ["a", "b"],
        "table": pd.DataFrame({"accuracy": [0.8, 0.9]}, index=pd.Index(["ann", "bob"], name="speaker")),
        "params": FeatureParams(), "fingerprint": "0123abcd", "collection": _collection(),
        "surface": next(iter(SURFACES)), "start": (0.5, 0.5), "learning_rate": 0.1, "layer_sizes": (2, 3, 1),
        "net": MLP((2, 3, 1)), "patches": rng.random((3, 4, 5)), "M": rng.random((3, 20)), "shape": (4, 5),
        "take": Take(TONE, SR), "label": "7", "data": b"", "description": "a", "value": 1.0, "min": 0.0, "max": 2.0,
        "min_exponent": -1.0, "max_exponent": 1.0, "options": ["a", "b"], "history": {}, "logs": {"loss": 1.0},
        "n_examples": 10, "batch_size": 4, "values": {"frequency": 440.0},
        "code": "tone:1:eNqrVkpWsqpWSitKLSxNzUuuVLIyMTHQM9BRSswtyMksKU1JVbIy0DOtrQUAE7wNGg",
    }


VALID = _valid()
#: Examples and targets for the functions that take a table rather than a recording.
TABULAR = {"X": np.random.default_rng(1).random((8, 2)), "y": np.array([0, 1] * 4)}
#: Where one function needs another example than its parameter's name suggests.
BY_FUNCTION = {"apply_image_transform": {"transform": "XYMasking"}, "show_solution": {"name": "n_frames"}}

#: Public names not walked here, with the reason (each is covered by its own tests).
NOT_WALKED = {
    "check_": "checkers: any answer gets an explanation (tests/checker_contract.py and the test_bad_input_* files)",
    "train_model": "trains a Keras model: its arguments are checked in test_bad_input_models.py",
    "run_experiment": "trains Keras models: checked in test_bad_input_models.py and test_classification.py",
    "held_out_speaker_experiment": "trains a Keras model per speaker: test_classification.py",
    "augmentation_experiment": "trains models on FSDD: test_augmentation_experiment.py",
    "predict_files": "needs a trained model: test_classification.py",
    "evaluate": "needs a trained model: test_classification.py",
    "classify_recording": "needs a trained model: test_voice.py",
    "per_speaker_accuracy": "reads an Evaluation made by evaluate: test_classification.py",
    "keras_gradients": "compares with a Keras model: test_mlp.py",
    "plot_descent": "draws a DescentPath made by gradient_descent_path, which is walked",
    "example_batch": "reads a PatchSet made by fsdd_patch_sets: test_normalization.py",
    "AudioAugmenter": "made by make_audio_augmenter, which is walked",
    "SpectrogramAugmenter": "made by make_spectrogram_augmenter, which is walked",
    "CurvePlot": "draws into axes made by TrainingMonitor: test_classification.py",
    "time_controls": "times an explorer's controls (benchmarks): test_widgets.py",
    "sweep_values": "reads an explorer's control: test_widgets.py",
    "register": "a class decorator for explorers: test_widgets.py",
    "png_bytes": "encodes a figure's pixels: test_png.py",
    "show_colours": "draws into an imshow image: its bad inputs are tested in test_widgets.py",
    "pillow_png_bytes": "encodes a figure's pixels: test_png.py",
    "opencv_png_bytes": "encodes a figure's pixels: test_png.py",
    "decode_audio": "reads file bytes: test_recorder.py",
    "Solution": "a record of the solution registry, built by the package: test_solutions.py",
    "forward_pass": "takes a 2-3-1 network's [K1, K2], [b1, b2]: its bad inputs are tested in test_backprop.py",
    "batch_loss": "reads a ForwardPass made by forward_pass: test_backprop.py",
    "layer_backward": "reads a ForwardPass made by forward_pass: test_backprop.py",
    "backward_pass": "reads a ForwardPass made by forward_pass: test_backprop.py",
    "StateBox": "the code box of a live explorer: test_explorer_state.py and test_explorer_a11y_browser.py",
    "generic_description": "describes a live explorer: test_explorer_state.py",
    "sgd_update": "takes the LayerGradients made by backward_pass: test_backprop.py",
}


BAD_NUMBERS = st.sampled_from(["1", "", None, True, False, float("nan"), float("inf"), -float("inf"), [1.0], 1 + 2j])
EDGE_NUMBERS = st.sampled_from([0, -1, -1e9, 1e12, 10**12, 1e-300])
BAD_BOOLS = st.sampled_from(["no", "yes", "False", 0.5, 2, None, [True]])
SIGNAL_PARAMETERS = {"y", "clean", "noisy", "y_aug"}
BAD_SIGNALS = st.sampled_from([
    np.zeros(100, np.int16), np.zeros((SR // 2, 2), np.float32), np.zeros(0, np.float32),
    np.full(SR // 2, np.nan, np.float32), "a.wav", None,
])
ERRORS = (TypeError, ValueError, DataError)


def _public_callables():
    found, seen = [], set()
    for info in pkgutil.iter_modules(course_utils.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"course_utils.{info.name}")
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if not callable(obj) or any(name.startswith(prefix) for prefix in NOT_WALKED) or id(obj) in seen:
                continue
            if dataclasses.is_dataclass(obj) and not hasattr(obj, "__post_init__"):
                continue  # a record of results (History, Evaluation, …) that checks nothing: made by the package
            if dataclasses.is_dataclass(obj) and any(f.default is dataclasses.MISSING and
                                                     f.default_factory is dataclasses.MISSING
                                                     for f in dataclasses.fields(obj)):
                continue  # a result type (Evaluation, Take, …): made by the package's functions, which are walked
            seen.add(id(obj))
            found.append((f"{info.name}.{name}", obj))
    return found


def _signature(obj):
    try:
        return inspect.signature(obj)
    except (TypeError, ValueError):
        return None


def _call_for(obj):
    """Valid keyword arguments for ``obj``'s required parameters, or ``None`` if one has no example."""
    signature = _signature(obj)
    if signature is None:
        return None
    kwargs = {}
    # a function that takes examples X takes targets y (a network, a toy problem), not audio
    valid = {**VALID, **TABULAR} if "X" in signature.parameters else VALID
    for p in signature.parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.default is not inspect.Parameter.empty:
            continue
        if p.name not in valid:
            return None
        kwargs[p.name] = valid[p.name]
    for name, value in BY_FUNCTION.get(getattr(obj, "__name__", ""), {}).items():
        if value == "XYMasking":
            import albumentations as A

            value = A.XYMasking(num_masks_x=1, mask_x_length=(2, 4), p=1.0)
        kwargs[name] = value
    return kwargs


def _cases():
    """(label, function, valid kwargs, parameter, kind) for every parameter the battery can vary."""
    cases = []
    for label, obj in _public_callables():
        kwargs = _call_for(obj)
        if kwargs is None:
            continue
        parameters = _signature(obj).parameters
        for p in parameters.values():
            default = p.default
            if p.name in SIGNAL_PARAMETERS and "X" not in parameters:  # next to examples X, y holds targets
                cases.append((label, obj, kwargs, p.name, "signal"))
            elif isinstance(default, bool):
                cases.append((label, obj, kwargs, p.name, "bool"))
            elif isinstance(default, (int, float)) and default is not None:
                cases.append((label, obj, kwargs, p.name, "number" if "None" not in str(p.annotation) else "optional"))
    return cases


CASES = _cases()


def _names_parameter(error: BaseException, name: str) -> bool:
    return name in str(error) or name.replace("_", " ") in str(error)


class _TooSlow(Exception):
    pass


def _alarm(signum, frame):
    raise _TooSlow


def _run(obj, kwargs, seconds: int = 20):
    """Call ``obj(**kwargs)``; a NumPy warning becomes an error, and a call that runs past ``seconds`` (a size or
    count without an upper bound) is stopped and reported."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        return _call(obj, kwargs)
    except _TooSlow:
        pytest.fail(f"{getattr(obj, '__qualname__', obj)}({kwargs!r:.200}) ran for more than {seconds} s: bound the size")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _call(obj, kwargs):
    import matplotlib.pyplot as plt

    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # NumPy's overflow/invalid-value warnings
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        try:
            return obj(**kwargs)
        finally:
            plt.close("all")  # plot helpers open figures; hundreds of calls must not pile them up


def test_every_public_function_is_walked():
    missing = []
    for label, obj in _public_callables():
        if _signature(obj) is not None and _call_for(obj) is None:
            required = [p.name for p in _signature(obj).parameters.values()
                        if p.default is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
            missing.append(f"{label}({', '.join(n for n in required if n not in VALID)})")
    assert len(CASES) > 100
    assert not missing, "give these required parameters an example in VALID (or a reason in NOT_WALKED): " + "; ".join(missing)


@pytest.mark.parametrize("label, obj, kwargs, name, kind", CASES, ids=[f"{c[0]}:{c[3]}" for c in CASES])
@settings(max_examples=30, deadline=None, derandomize=True,  # the same draws in every run: CI stays reproducible
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_wrong_values_get_a_clear_error(label, obj, kwargs, name, kind, data):
    if kind == "number":
        value = data.draw(st.one_of(BAD_NUMBERS, EDGE_NUMBERS))
    elif kind == "optional":  # None is one of its documented values
        value = data.draw(st.one_of(BAD_NUMBERS.filter(lambda v: v is not None), EDGE_NUMBERS))
    elif kind == "bool":
        value = data.draw(BAD_BOOLS)
    else:
        value = data.draw(BAD_SIGNALS)
    must_refuse = kind in ("bool", "signal") or not isinstance(value, (int, float)) or isinstance(value, bool) \
        or not math.isfinite(value)
    try:
        _run(obj, {**kwargs, name: value})
    except ERRORS as error:
        assert _names_parameter(error, name), f"{label}({name}={value!r}) raised without naming {name!r}: {error}"
        return
    except RuntimeWarning as warning:
        pytest.fail(f"{label}({name}={value!r}) let a NumPy warning through: {warning}")
    assert not must_refuse, f"{label}({name}={value!r}) was accepted"

"""The programming session: spoken-digit classification with a Keras MLP, from features to a confusion matrix.

Notebook: ``06_programming_session.ipynb`` (the lecture's closing hands-on session; it uses the
representations of ``01``, the normalization of ``02``, the augmentation of ``03`` and the MLP of
``04``/``05``).

The pipeline, one function per step:

=====================================  ===================================================================
step                                   function
=====================================  ===================================================================
recordings                             :func:`course_utils.data.load_fsdd`, :func:`course_utils.data.load_folder`
features (cached on disk)              :mod:`course_utils.features`: :func:`~course_utils.features.compute_features`,
                                       :func:`~course_utils.features.augmented_features`
splits                                 :func:`course_utils.data.official_split`,
                                       :func:`course_utils.data.speaker_split`, :func:`validation_split`
normalization (training data only)     :func:`fit_normalizer` (a :class:`course_utils.normalization.Normalizer`)
model                                  :func:`build_mlp` (Keras), :func:`count_mlp_params`
training with live curves              :func:`train_model`, :class:`course_utils.training_curves.TrainingMonitor`
file-level decision                    :func:`aggregate_by_file` (mean of the frame probabilities)
evaluation                             :func:`evaluate`, :func:`per_speaker_accuracy`, :func:`plot_confusion_matrix`
everything at once                     :func:`run_experiment`, :func:`held_out_speaker_experiment`
=====================================  ===================================================================

TensorFlow/Keras is imported only inside the functions that need it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from course_utils._arguments import _check_choice, _check_fraction, _check_int
from course_utils._memory import release_memory
from course_utils.checks import Check, as_number, records_attempt, right, shown, wrong
from course_utils.features import FeatureSet
from course_utils.tensorflow_logs import quiet_tensorflow_import
from course_utils.training_curves import TrainingMonitor

quiet_tensorflow_import()  # keeps TensorFlow's C++ start-up lines out of the notebook when Keras is imported

__all__ = [
    "validation_split",
    "fit_normalizer",
    "build_mlp",
    "count_mlp_params",
    "train_model",
    "aggregate_by_file",
    "predict_files",
    "classify_recording",
    "evaluate",
    "Evaluation",
    "per_speaker_accuracy",
    "plot_confusion_matrix",
    "plot_class_balance",
    "ExperimentResult",
    "run_experiment",
    "held_out_speaker_experiment",
    "summarize_held_out",
    "DEFAULT_TRAINING",
    "check_file_decision",
    "check_speaker_split",
    "check_mlp_params",
    "check_n_feature_frames",
]

ACTIVATIONS = ("relu", "selu")

#: Most trainable parameters :func:`build_mlp` builds (40 MB of float32 weights, plus Adam's two copies).
MAX_PARAMS = 10_000_000

#: The default MLP and its training (the benchmark measures exactly these).
DEFAULT_TRAINING = {"width": 256, "depth": 2, "activation": "relu", "dropout": 0.2, "learning_rate": 1e-3,
                    "epochs": 15, "batch_size": 512}


# --------------------------------------------------------------------------------------------------
# splits and normalization

def validation_split(labels, train_idx, fraction: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Hold out ``fraction`` of the training **recordings** (per class) for validation.

    Whole recordings go to one side, so frames of one recording are never in both parts.

    Args:
        labels: the class of every recording of the collection, shape ``(n_recordings,)``.
        train_idx: the training recordings, whole numbers from 0 to ``n_recordings - 1``, each once.
        fraction: share held out per class, 0 to 0.5.
        seed: seed of the choice, 0 to 2**32 - 1.

    Returns:
        ``(fit_idx, val_idx)``: indices into the collection, disjoint, together ``train_idx``.
    """
    fraction = _check_fraction("fraction", fraction, 0.0, 0.5)
    seed = _check_int("seed", seed, 0, 2**32 - 1)
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.dtype.kind not in "iuU" or labels.size == 0:
        raise ValueError(f"labels must be a non-empty array of class labels, shape (n_recordings,), got shape "
                         f"{labels.shape} and dtype {labels.dtype}")
    train_idx = _indices("train_idx", train_idx, len(labels))
    rng = np.random.default_rng(seed)
    val = []
    for c in np.unique(labels[train_idx]):
        members = train_idx[labels[train_idx] == c]
        n_val = int(round(fraction * len(members)))
        val.extend(rng.choice(members, size=n_val, replace=False).tolist())
    val_idx = np.sort(np.asarray(val, dtype=int))
    return np.setdiff1d(train_idx, val_idx), val_idx


def _indices(name: str, values, n: int) -> np.ndarray:
    """``values`` as distinct integer indices from 0 to ``n - 1``; masks, fractions and junk raise naming ``name``."""
    try:
        array = np.asarray(values)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of recording indices: {exc}") from None
    if array.dtype == bool:
        raise TypeError(f"{name} is a boolean mask; pass the indices, np.flatnonzero({name})")
    if array.ndim != 1 or array.dtype.kind not in "iuf" or (array.size and array.dtype.kind == "f"
                                                            and not np.all(np.isfinite(array) & (array == np.round(array)))):
        raise ValueError(f"{name} must be a 1-D array of whole-number indices from 0 to {n - 1}, got "
                         f"{shown(values)}")
    if array.size and (array.min() < 0 or array.max() >= n):
        raise ValueError(f"{name} must hold indices from 0 to {n - 1} (one per recording), got values from "
                         f"{array.min():g} to {array.max():g}")
    array = array.astype(int)
    if len(np.unique(array)) != len(array):
        raise ValueError(f"{name} holds some recording twice; each index may appear once")
    return array


def fit_normalizer(X_train):
    """A per-feature z-score :class:`course_utils.normalization.Normalizer` fitted on ``X_train`` only.

    Mean and standard deviation (1/N, as scikit-learn's ``StandardScaler``) of each column of the
    training examples; the same numbers are then applied to validation and test data.
    """
    from course_utils.normalization import Normalizer

    return Normalizer("zscore", scope="feature", ddof=0).fit(np.asarray(X_train))


# --------------------------------------------------------------------------------------------------
# model

def count_mlp_params(n_features: int, width: int, depth: int, n_classes: int = 10) -> int:
    """Trainable parameters of an MLP with ``depth`` hidden Dense layers of ``width`` units each.

    Each Dense layer has (inputs + 1) x outputs parameters (weights plus one bias per unit).

    Args:
        n_features: inputs, 1 to 1,000,000.
        width: units per hidden layer, 1 to 4096 (as :func:`build_mlp`).
        depth: hidden layers, 0 to 8 (as :func:`build_mlp`).
        n_classes: outputs, 1 to 100,000.
    """
    n_features = _check_int("n_features", n_features, 1, 1_000_000)
    width = _check_int("width", width, 1, 4096)
    depth = _check_int("depth", depth, 0, 8)
    n_classes = _check_int("n_classes", n_classes, 1, 100_000)
    sizes = [n_features] + [width] * depth + [n_classes]
    return int(sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:])))


def build_mlp(n_features: int, n_classes: int = 10, *, width: int = 256, depth: int = 2, activation: str = "relu",
              dropout: float = 0.2, learning_rate: float = 1e-3, seed: int | None = 0):
    """A compiled Keras MLP: ``depth`` hidden Dense layers of ``width`` units and a softmax output.

    Loss: categorical cross-entropy on one-hot labels (make them with ``keras.utils.to_categorical``);
    optimizer: Adam with ``learning_rate``. With ``activation="selu"`` the weights are initialised with
    LeCun normal and dropout is ``AlphaDropout``, which keep SELU's self-normalising property.

    Args:
        n_features: length of an input vector, 1 to 1,000,000.
        n_classes: number of classes (softmax units), 2 to 100,000.
        width: units per hidden layer, 1 to 4096.
        depth: hidden layers, 0 to 8 (0 = multinomial logistic regression).
        activation: ``"relu"`` or ``"selu"``.
        dropout: dropout rate after each hidden layer, 0 to 0.89.
        learning_rate: Adam's step size, in (0, 1].
        seed: seed of the weight initialisation and dropout, 0 to 2**32 - 1 (``None``: random).

    At most :data:`MAX_PARAMS` parameters in all (:func:`count_mlp_params`).

    Returns:
        A compiled ``keras.Sequential`` with metric ``"accuracy"``.

    Notebook: ``06_programming_session.ipynb``.
    """
    import keras

    n_features = _check_int("n_features", n_features, 1, 1_000_000)
    n_classes = _check_int("n_classes", n_classes, 2, 100_000)
    width = _check_int("width", width, 1, 4096)
    depth = _check_int("depth", depth, 0, 8)
    if not isinstance(activation, str):
        raise TypeError(f"activation must be one of {list(ACTIVATIONS)}, got {activation!r}")
    _check_choice("activation", activation, ACTIVATIONS)
    dropout = _check_fraction("dropout", dropout, 0.0, 0.89)
    learning_rate = _check_fraction("learning_rate", learning_rate, 0.0, 1.0)
    if learning_rate == 0:
        raise ValueError("learning_rate must be a number in (0, 1], got 0")
    if seed is not None:
        seed = _check_int("seed", seed, 0, 2**32 - 1)
    n_params = count_mlp_params(n_features, width, depth, n_classes)
    if n_params > MAX_PARAMS:
        raise ValueError(f"n_features={n_features}, width={width}, depth={depth} and n_classes={n_classes} give "
                         f"{n_params:,} parameters; at most {MAX_PARAMS:,} fit in memory: use a smaller width or depth")
    if seed is not None:
        keras.utils.set_random_seed(seed)
    init = "lecun_normal" if activation == "selu" else "glorot_uniform"
    layers = [keras.Input(shape=(n_features,), name="features")]
    for i in range(depth):
        layers.append(keras.layers.Dense(width, activation=activation, kernel_initializer=init, name=f"hidden_{i + 1}"))
        if dropout > 0:
            drop = keras.layers.AlphaDropout if activation == "selu" else keras.layers.Dropout
            layers.append(drop(dropout, name=f"dropout_{i + 1}"))
    layers.append(keras.layers.Dense(n_classes, activation="softmax", name="class_probabilities"))
    model = keras.Sequential(layers, name=f"mlp_{depth}x{width}_{activation}")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=float(learning_rate)),
                  loss="categorical_crossentropy", metrics=["accuracy"])
    return model


# --------------------------------------------------------------------------------------------------
# training

def _keras_callback(monitor, val_files):
    """A Keras callback that adds the file-level validation accuracy and reports each epoch to ``monitor``."""
    import keras

    class _Report(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            if monitor is not None:
                monitor.start(self.params.get("epochs", 0))

        def on_epoch_end(self, epoch, logs=None):
            logs = logs if logs is not None else {}
            if val_files is not None:
                X_val, file_index, file_labels = val_files
                probs = _predict(self.model, X_val)
                _, file_probs = aggregate_by_file(probs, file_index)
                logs["val_file_accuracy"] = float(np.mean(file_probs.argmax(axis=1) == file_labels))
            if monitor is not None:
                monitor.epoch_end(epoch, logs)

        def on_train_end(self, logs=None):
            if monitor is not None:
                monitor.end()

    return _Report()


def train_model(model, X_train, y_train, *, validation=None, epochs: int = 15, batch_size: int = 512,
                monitor: TrainingMonitor | None = None, n_classes: int | None = None, shuffle_seed: int = 0) -> dict:
    """Train ``model`` with one-hot labels and return the per-epoch history.

    Args:
        model: a compiled Keras model (e.g. from :func:`build_mlp`).
        X_train: shape ``(n_examples, n_features)``, already normalized; real, finite numbers, at least one
            example, ``n_features`` as the model's input.
        y_train: integer labels from 0 to ``n_classes - 1``, shape ``(n_examples,)`` (whole-valued floats are
            accepted, fractions, booleans and -1 are not); turned into one-hot rows with
            ``keras.utils.to_categorical``.
        validation: ``None`` or ``(X_val, y_val, file_index_val)``: the validation examples, their
            integer labels and the recording of each example, for Keras' frame-level validation loss and
            accuracy and for the file-level validation accuracy (``val_file_accuracy``).
        epochs: passes over the training data, 1 to 1000.
        batch_size: examples per gradient step, 1 to 65536.
        monitor: a :class:`TrainingMonitor` to draw live curves into (optional).
        n_classes: number of classes, the model's output size (the default).
        shuffle_seed: the order of examples in each epoch follows this seed, 0 to 2**32 - 1.

    Raises:
        ValueError, TypeError: naming the argument, for data the model cannot train on.

    Returns:
        dict of per-epoch lists: ``loss``, ``accuracy`` and, with validation data, ``val_loss``,
        ``val_accuracy`` and ``val_file_accuracy``; plus ``seconds`` (total wall time).

    Notebook: ``06_programming_session.ipynb``.
    """
    import keras

    epochs = _check_int("epochs", epochs, 1, 1000)
    batch_size = _check_int("batch_size", batch_size, 1, 65536)
    shuffle_seed = _check_int("shuffle_seed", shuffle_seed, 0, 2**32 - 1)
    if not (hasattr(model, "fit") and hasattr(model, "output_shape")):
        raise TypeError(f"model must be a compiled Keras model (e.g. from build_mlp), got {type(model).__name__}")
    outputs = int(model.output_shape[-1])
    n_classes = outputs if n_classes is None else _check_int("n_classes", n_classes, 2, 100_000)
    if n_classes != outputs:
        raise ValueError(f"n_classes must equal the model's {outputs} outputs, got {n_classes}")
    input_shape = getattr(model, "input_shape", None)
    n_features = input_shape[-1] if isinstance(input_shape, tuple) and input_shape else None
    X_train = _examples("X_train", X_train, n_features)
    y_train = _labels("y_train", y_train, len(X_train), n_classes)
    Y_train = keras.utils.to_categorical(y_train, n_classes)
    val_data, val_files = None, None
    if validation is not None:
        if not (isinstance(validation, (tuple, list)) and len(validation) == 3):
            raise TypeError("validation must be None or a triple (X_val, y_val, file_index_val)")
        X_val = _examples("validation[0] (X_val)", validation[0], X_train.shape[1])
        y_val = _labels("validation[1] (y_val)", validation[1], len(X_val), n_classes)
        file_index_val = np.asarray(validation[2])
        if file_index_val.shape != (len(X_val),) or file_index_val.dtype.kind not in "iu":
            raise ValueError(f"validation[2] (file_index_val) must hold one integer recording index per example, "
                             f"shape ({len(X_val)},), got shape {file_index_val.shape} and dtype {file_index_val.dtype}")
        val_data = (X_val, keras.utils.to_categorical(y_val, n_classes))
        ids, first = np.unique(file_index_val, return_index=True)
        val_files = (X_val, file_index_val, y_val[first])
    keras.utils.set_random_seed(shuffle_seed)
    start = time.perf_counter()
    fit = model.fit(X_train, Y_train, validation_data=val_data, epochs=epochs, batch_size=batch_size, verbose=0,
                    shuffle=True, callbacks=[_keras_callback(monitor, val_files)])
    history = {k: [float(v) for v in values] for k, values in fit.history.items()}
    history["seconds"] = time.perf_counter() - start
    del fit
    release_memory()  # the training's freed batches and traced code: see course_utils._memory
    return history


def _examples(name: str, X, n_features: int | None) -> np.ndarray:
    """``X`` as float32 of shape ``(n_examples >= 1, n_features)``; complex, text, booleans and NaN refused."""
    try:
        array = np.asarray(X)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of real numbers: {exc}") from None
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be an array of real numbers, got dtype {array.dtype}")
    wanted = n_features if n_features is not None else "n_features"
    if array.ndim != 2 or len(array) == 0 or (n_features is not None and array.shape[1] != n_features):
        raise ValueError(f"{name} must have shape (n_examples >= 1, {wanted}) for this model, got {array.shape}")
    with np.errstate(over="ignore"):
        array = array.astype(np.float32, copy=False)  # no second copy of a float32 training set
    if not np.isfinite(array).all():
        raise ValueError(f"{name} holds NaN or infinite values (or numbers beyond float32's 3.4e38)")
    return array


def _labels(name: str, y, n_examples: int, n_classes: int) -> np.ndarray:
    """``y`` as integer class labels from 0 to ``n_classes - 1``, one per example."""
    try:
        array = np.asarray(y)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of integer class labels: {exc}") from None
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold integer class labels from 0 to {n_classes - 1}, got dtype {array.dtype}")
    if array.shape != (n_examples,):
        raise ValueError(f"{name} must have shape ({n_examples},), one label per example, got {array.shape}")
    if array.dtype.kind == "f" and not np.all(np.isfinite(array) & (array == np.round(array))):
        raise ValueError(f"{name} must hold whole-number class labels from 0 to {n_classes - 1}; it holds fractions, "
                         "NaN or inf")
    if array.size and (array.min() < 0 or array.max() > n_classes - 1):
        raise ValueError(f"{name} must hold class labels from 0 to {n_classes - 1} (n_classes={n_classes}), got "
                         f"values from {array.min():g} to {array.max():g}")
    return array.astype(int)


# --------------------------------------------------------------------------------------------------
# evaluation

def aggregate_by_file(example_probs, file_index) -> tuple[np.ndarray, np.ndarray]:
    """File-level class probabilities: the mean of the examples' (frames') probabilities of each file.

    Args:
        example_probs: shape ``(n_examples, n_classes)``: one probability vector per example.
        file_index: shape ``(n_examples,)``: the recording of each example.

    Returns:
        ``(files, file_probs)``: the sorted unique recordings, shape ``(n_files,)``, and their mean
        probabilities, shape ``(n_files, n_classes)``. The decision for a file is
        ``file_probs.argmax(axis=1)``.

    Example:
        >>> p = np.array([[0.6, 0.4], [0.2, 0.8], [0.9, 0.1]])
        >>> aggregate_by_file(p, np.array([7, 7, 3]))[1]
        array([[0.9, 0.1],
               [0.4, 0.6]])
    """
    probs = np.asarray(example_probs, dtype=np.float64)
    file_index = np.asarray(file_index)
    if probs.ndim != 2:
        raise ValueError(f"example_probs must have shape (n_examples, n_classes), got {probs.shape}")
    if file_index.shape != (len(probs),):
        raise ValueError(f"file_index must have shape ({len(probs)},) like example_probs' rows, got {file_index.shape}")
    files, inverse = np.unique(file_index, return_inverse=True)
    sums = np.zeros((len(files), probs.shape[1]))
    np.add.at(sums, inverse, probs)
    counts = np.bincount(inverse, minlength=len(files))
    return files, sums / counts[:, None]


def _predict(model, X, batch_size: int = 8192) -> np.ndarray:
    """Class probabilities of ``X`` in eager batches (``model.predict`` retraces for every new input size)."""
    if not hasattr(model, "layers"):  # a stand-in with a predict method (tests)
        return np.asarray(model.predict(X, verbose=0))
    out = [np.asarray(model(X[i:i + batch_size], training=False)) for i in range(0, len(X), batch_size)]
    return np.concatenate(out) if out else np.zeros((0, int(model.output_shape[-1])), np.float32)


def classify_recording(model, normalizer, params, y, sr: int, *, model_sr: int = 8000, top_db: float | None = 30.0):
    """One recording through the whole pipeline: resample, trim silence, features, normalize, predict, average.

    This is what happens to a take of your own voice (notebook 06): it is resampled to the rate the model was
    trained at, its leading and trailing silence is cut (as FSDD's recordings are cut), its examples are
    computed with the same :class:`~course_utils.features.FeatureParams`, standardised with the training
    statistics, and the examples' probabilities are averaged into the file's.

    Args:
        model: the trained Keras model (or anything with ``predict``).
        normalizer: the :class:`~course_utils.normalization.Normalizer` fitted on the training examples.
        params: the :class:`~course_utils.features.FeatureParams` the model was trained on.
        y: the recording, float, shape ``(n_samples,)``, values in [-1, 1].
        sr: its sample rate in Hz.
        model_sr: the sample rate of the training data (FSDD: 8000 Hz).
        top_db: trim frames more than this many dB below the loudest; ``None`` keeps the recording whole.

    Returns:
        ``(file_probs, examples)``: the class probabilities of the recording, shape ``(n_classes,)``, and the
        normalized examples the model saw, shape ``(n_examples, n_features)``.
    """
    import librosa

    from course_utils.features import FeatureParams, file_features

    if not isinstance(params, FeatureParams):
        raise TypeError(f"params must be the FeatureParams the model was trained on, got {type(params).__name__}")
    y = np.asarray(y, dtype=np.float32)
    if y.ndim != 1 or y.size == 0 or not np.all(np.isfinite(y)):
        raise ValueError(f"y must be a non-empty mono recording of finite samples, shape (n_samples,); got shape {y.shape}")
    sr = _check_int("sr", sr, 1000, 384000)
    model_sr = _check_int("model_sr", model_sr, 1000, 384000)
    if sr != model_sr:
        y = np.ascontiguousarray(librosa.resample(y, orig_sr=sr, target_sr=model_sr), dtype=np.float32)
    if top_db is not None:
        top_db = _check_fraction("top_db", top_db, 1.0, 120.0)
        trimmed = librosa.effects.trim(y, top_db=top_db, frame_length=256, hop_length=64)[0]
        y = trimmed if len(trimmed) >= params.block_size else y
    examples = normalizer.transform(file_features(y, model_sr, params))
    probs = _predict(model, np.asarray(examples, dtype=np.float32))
    return probs.mean(axis=0), examples


def predict_files(model, normalizer, features: FeatureSet, files=None):
    """Class probabilities per example and per file for the recordings ``files`` (default: all).

    Returns:
        ``(files, file_probs, example_probs, examples)``: the recordings, their mean probabilities
        ``(n_files, n_classes)``, the probabilities of each example ``(n_examples, n_classes)`` and the
        :class:`FeatureSet` of those examples.
    """
    part = features if files is None else features.select(files)
    if len(part) == 0:
        raise ValueError("no examples to predict: files selects no recording of the feature set")
    X = normalizer.transform(part.X).astype(np.float32)
    example_probs = _predict(model, X)
    ids, file_probs = aggregate_by_file(example_probs, part.file_index)
    return ids, file_probs, example_probs, part


@dataclass
class Evaluation:
    """Test results of one model on a set of recordings.

    Attributes:
        files: the recordings evaluated (indices into the collection), shape ``(n_files,)``.
        y_true, y_pred: their true and predicted classes, shape ``(n_files,)``.
        file_probs: mean class probabilities per file, shape ``(n_files, n_classes)``.
        file_accuracy: fraction of recordings classified correctly.
        example_accuracy: fraction of examples (frames) classified correctly on their own (equals
            ``file_accuracy`` for one example per file).
        confusion: confusion matrix, shape ``(n_classes, n_classes)``: row = true, column = predicted.
    """

    files: np.ndarray
    y_true: np.ndarray
    y_pred: np.ndarray
    file_probs: np.ndarray
    file_accuracy: float
    example_accuracy: float
    confusion: np.ndarray


def evaluate(model, normalizer, features: FeatureSet, files, n_classes: int = 10) -> Evaluation:
    """Evaluate ``model`` on the recordings ``files``: file-level and example-level accuracy, confusion matrix."""
    from sklearn.metrics import confusion_matrix

    ids, file_probs, example_probs, part = predict_files(model, normalizer, features, files)
    first = np.searchsorted(part.file_index, ids) if np.all(np.diff(part.file_index) >= 0) else \
        np.array([np.flatnonzero(part.file_index == i)[0] for i in ids])
    y_true = part.labels[first]
    y_pred = file_probs.argmax(axis=1)
    return Evaluation(
        files=ids, y_true=y_true, y_pred=y_pred, file_probs=file_probs,
        file_accuracy=float(np.mean(y_pred == y_true)),
        example_accuracy=float(np.mean(example_probs.argmax(axis=1) == part.labels)),
        confusion=confusion_matrix(y_true, y_pred, labels=np.arange(n_classes)),
    )


def per_speaker_accuracy(evaluation: Evaluation, speakers):
    """File-level accuracy of each speaker, as a pandas DataFrame (one row per speaker).

    Args:
        evaluation: an :class:`Evaluation`.
        speakers: the speaker of every recording of the collection, shape ``(n_recordings,)``.
    """
    import pandas as pd

    who = np.asarray(speakers)[evaluation.files]
    rows = []
    for name in sorted(set(who.tolist())):
        mask = who == name
        rows.append({"speaker": name, "recordings": int(mask.sum()),
                     "accuracy": float(np.mean(evaluation.y_pred[mask] == evaluation.y_true[mask]))})
    return pd.DataFrame(rows).set_index("speaker")


def plot_confusion_matrix(confusion, class_names, ax=None, *, title: str = "confusion matrix"):
    """Draw a labelled confusion matrix (rows: true class, columns: predicted class) with counts.

    Returns:
        The ``AxesImage`` drawn.
    """
    import matplotlib.pyplot as plt

    confusion = np.asarray(confusion)
    if confusion.ndim != 2 or confusion.shape[0] != confusion.shape[1] or confusion.shape[0] != len(class_names):
        raise ValueError(f"confusion must be square with one row per class name ({len(class_names)}), "
                         f"got shape {confusion.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4.4))
    image = ax.imshow(confusion, cmap="Blues")
    threshold = confusion.max() / 2 if confusion.size else 0
    for i in range(confusion.shape[0]):
        for j in range(confusion.shape[1]):
            if confusion[i, j]:
                ax.text(j, i, str(confusion[i, j]), ha="center", va="center", fontsize="small",
                        color="white" if confusion[i, j] > threshold else "black")
    ticks = np.arange(len(class_names))
    ax.set(xticks=ticks, yticks=ticks, xticklabels=class_names, yticklabels=class_names,
           xlabel="predicted digit", ylabel="true digit", title=title)
    ax.grid(False)
    return image


def plot_class_balance(collection, ax=None):
    """Bar chart: recordings per class, stacked by speaker. Returns the axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3))
    speakers = sorted(set(collection.speakers.tolist()))
    bottom = np.zeros(len(collection.class_names))
    for k, name in enumerate(speakers):
        counts = np.bincount(collection.labels[collection.speakers == name], minlength=len(collection.class_names))
        ax.bar(collection.class_names, counts, bottom=bottom, label=name, color=f"C{k}")
        bottom += counts
    ax.set(xlabel="class", ylabel="recordings", title="class balance (stacked by speaker)",
           ylim=(0, 1.3 * bottom.max()))  # head room for the legend, which must not hide bars
    ax.legend(fontsize="small", ncol=3, loc="upper center")
    return ax


# --------------------------------------------------------------------------------------------------
# whole experiments

@dataclass
class ExperimentResult:
    """What :func:`run_experiment` returns.

    Attributes:
        model: the trained Keras model.
        normalizer: the :class:`Normalizer` fitted on the training examples.
        history: per-epoch lists (see :func:`train_model`), with ``seconds``.
        evaluation: the :class:`Evaluation` on the test recordings.
        train_file_accuracy: file-level accuracy on the fitting recordings (the training recordings
            without the validation ones), with the final weights.
        settings: the training settings used.
        fit_idx, val_idx, test_idx: recordings used for fitting, validation and testing.
    """

    model: object
    normalizer: object
    history: dict
    evaluation: Evaluation
    train_file_accuracy: float
    settings: dict
    fit_idx: np.ndarray = field(repr=False)
    val_idx: np.ndarray = field(repr=False)
    test_idx: np.ndarray = field(repr=False)


def _settings(overrides: dict) -> dict:
    unknown = set(overrides) - set(DEFAULT_TRAINING)
    if unknown:
        raise TypeError(f"unknown training setting(s) {sorted(unknown)}; allowed: {sorted(DEFAULT_TRAINING)}")
    return {**DEFAULT_TRAINING, **overrides}


def run_experiment(features: FeatureSet, train_idx, test_idx, *, augmented: FeatureSet | None = None,
                   val_fraction: float = 0.1, seed: int = 0, monitor: TrainingMonitor | None = None,
                   n_classes: int = 10, **training) -> ExperimentResult:
    """Split off validation recordings, normalize, build, train and evaluate one MLP.

    Steps: (1) :func:`validation_split` of the training recordings; (2) the normalizer is fitted on the
    fitting examples only (original and, if given, augmented copies of the fitting recordings);
    (3) :func:`build_mlp` and :func:`train_model`; (4) :func:`evaluate` on ``test_idx``.

    Args:
        features: features of every recording (from :func:`compute_features`).
        train_idx, test_idx: recordings for training and testing (indices into the collection).
        augmented: optional augmented features (from :func:`augmented_features`); only the copies of
            the fitting recordings are used.
        val_fraction: fraction of training recordings held out for the validation curves (0 for none).
        seed: seed of the split, the weights and the shuffling.
        monitor: optional :class:`TrainingMonitor` for live curves.
        **training: overrides of :data:`DEFAULT_TRAINING` (``width``, ``depth``, ``activation``,
            ``dropout``, ``learning_rate``, ``epochs``, ``batch_size``).

    Returns:
        An :class:`ExperimentResult`.

    Notebook: ``06_programming_session.ipynb``.
    """
    settings = _settings(training)
    train_idx, test_idx = np.asarray(train_idx, dtype=int), np.asarray(test_idx, dtype=int)
    if np.intersect1d(train_idx, test_idx).size:
        raise ValueError("train_idx and test_idx must not share recordings")
    labels_by_file = np.zeros(int(features.file_index.max()) + 1, dtype=int)
    labels_by_file[features.file_index] = features.labels
    if val_fraction > 0:
        fit_idx, val_idx = validation_split(labels_by_file, train_idx, val_fraction, seed)
    else:
        fit_idx, val_idx = train_idx, np.array([], dtype=int)
    fit = features.select(fit_idx)
    X_fit, y_fit = fit.X, fit.labels
    if augmented is not None:
        if augmented.params != features.params:
            raise ValueError("augmented features must be computed with the same FeatureParams as features")
        extra = augmented.select(fit_idx)
        X_fit, y_fit = np.vstack([X_fit, extra.X]), np.concatenate([y_fit, extra.labels])
    normalizer = fit_normalizer(X_fit)
    validation = None
    if len(val_idx):
        val = features.select(val_idx)
        validation = (normalizer.transform(val.X).astype(np.float32), val.labels, val.file_index)
    model = build_mlp(features.X.shape[1], n_classes, width=settings["width"], depth=settings["depth"],
                      activation=settings["activation"], dropout=settings["dropout"],
                      learning_rate=settings["learning_rate"], seed=seed)
    history = train_model(model, normalizer.transform(X_fit).astype(np.float32), y_fit, validation=validation,
                          epochs=settings["epochs"], batch_size=settings["batch_size"], monitor=monitor,
                          n_classes=n_classes, shuffle_seed=seed)
    evaluation = evaluate(model, normalizer, features, test_idx, n_classes)
    train_eval = evaluate(model, normalizer, features, fit_idx, n_classes)
    return ExperimentResult(model, normalizer, history, evaluation, train_eval.file_accuracy, settings,
                            fit_idx, val_idx, test_idx)


def held_out_speaker_experiment(collection, features: FeatureSet, speakers=None, *,
                                augmented: FeatureSet | None = None, seed: int = 0, progress: bool = True,
                                **training):
    """Train one model per held-out speaker and test it on that speaker's recordings only.

    For each speaker in ``speakers`` (default: all of the collection), :func:`course_utils.data.speaker_split`
    gives a training set without that voice; the model never hears it before the test. No validation
    recordings are set aside (``val_fraction=0``): every model fits all recordings of the other speakers,
    and ``train_accuracy`` is measured on them.

    Returns:
        A pandas DataFrame indexed by speaker with columns ``accuracy`` (file level), ``train_accuracy``
        and ``seconds`` (training time).

    Notebook: ``06_programming_session.ipynb``.
    """
    import pandas as pd

    from course_utils.data import _progress, speaker_split

    speakers = sorted(set(collection.speakers.tolist())) if speakers is None else list(speakers)
    rows = []
    bar = _progress(total=len(speakers), desc="held-out speakers", disable=not progress, leave=False)
    try:
        for name in speakers:
            train_idx, test_idx = speaker_split(collection, name)
            result = run_experiment(features, train_idx, test_idx, augmented=augmented, seed=seed,
                                    val_fraction=0.0, n_classes=len(collection.class_names), **training)
            rows.append({"speaker": name, "accuracy": result.evaluation.file_accuracy,
                         "train_accuracy": result.train_file_accuracy, "seconds": result.history["seconds"]})
            bar.update(1)
    finally:
        bar.close()
    return pd.DataFrame(rows).set_index("speaker")


def summarize_held_out(table) -> str:
    """``"mean 0.812 ± 0.071 (std over 6 speakers), min 0.700 (theo), max 0.930 (george)"`` for a result table.

    The ± is the standard deviation over the speakers (1/N), not a standard error.
    """
    acc = table["accuracy"]
    return (f"mean {acc.mean():.3f} ± {acc.std(ddof=0):.3f} (std over {len(acc)} speakers), "
            f"min {acc.min():.3f} ({acc.idxmin()}), max {acc.max():.3f} ({acc.idxmax()})")


# --------------------------------------------------------------------------------------------------
# "Your turn" checkers

def _index_array(answer) -> np.ndarray | None:
    """``answer`` flattened to a float (or boolean) array, or ``None`` if it is not an array of real numbers."""
    try:
        values = np.asarray(answer)
        if values.dtype == bool:
            return values.ravel()
        if values.dtype.kind == "c":  # complex numbers are no indices
            return None
        if values.dtype.kind not in "iuf":  # text and objects: only if they hold real numbers
            values = np.asarray(values.tolist() if values.dtype.kind == "O" else values, dtype=float)
            if values.dtype.kind != "f":
                return None
        return np.asarray(values, dtype=float).ravel()
    except Exception:  # ragged lists, text, 10**400, objects that fail to convert
        return None


def _whole_number(answer):
    """``answer`` as an int if it is one finite whole number (``30``, ``30.0``, ``np.int64(30)``), else ``None``."""
    value = as_number(answer, name="the answer")
    if isinstance(value, Check) or value != int(value):
        return None
    return int(value)


@records_attempt("file_decision")
def check_file_decision(answer, example_probs, file_index) -> Check:
    """Check a student's file-level decisions: the argmax of the mean frame probabilities of each file.

    Args:
        answer: predicted class per file, in the order of the sorted unique ``file_index``.
        example_probs, file_index: the exercise's data.
    """
    if answer is None:
        return wrong("replace None by your array of one predicted class per file.")
    files, file_probs = aggregate_by_file(example_probs, file_index)
    expected = file_probs.argmax(axis=1)
    values = _index_array(answer)
    if values is None or values.dtype == bool:
        return wrong(f"the answer should be an array of integers, got {shown(answer)}.")
    n_classes = np.asarray(example_probs).shape[1]
    if not np.all(np.isfinite(values) & (values == np.round(values))):
        return wrong(f"the answer should be class numbers (whole numbers), got {shown(answer)}.")
    if values.size and (values.min() < 0 or values.max() > n_classes - 1):
        return wrong(f"the classes are numbered 0 to {n_classes - 1}, got {shown(answer)}.")
    answer = values.astype(int)
    if answer.shape != expected.shape:
        return wrong(f"there are {len(files)} files, so the answer needs {len(files)} classes, got {answer.size}.")
    if np.array_equal(answer, expected):
        return right(f"averaging the frames' probabilities and taking the argmax gives {expected.tolist()}.")
    votes = np.array([np.bincount(np.asarray(example_probs)[np.asarray(file_index) == f].argmax(1),
                                  minlength=np.asarray(example_probs).shape[1]).argmax() for f in files])
    if np.array_equal(answer, votes):
        return wrong("that is a majority vote of the frames' decisions; average the probabilities first, "
                     "then take the argmax of each file's mean.")
    bad = int(np.flatnonzero(answer != expected)[0])
    return wrong(f"file {files[bad]} is not class {answer[bad]}: average its frames' probability vectors "
                 "(axis 0), then take the index of the largest mean.")


@records_attempt("speaker_split", "train_idx", "test_idx")
def check_speaker_split(collection, test_speaker, train_idx, test_idx) -> Check:
    """Check a hand-made speaker-held-out split: all of ``test_speaker`` in test, nobody else, nothing lost."""
    if train_idx is None or test_idx is None:
        return wrong("replace None by your arrays of training and test indices.")
    arrays = [_index_array(idx) for idx in (train_idx, test_idx)]
    if any(a is not None and a.dtype == bool for a in arrays):
        return wrong("these are boolean masks (True/False per recording); the split wants the indices of the "
                     "recordings: wrap each mask in np.flatnonzero(...).")
    for side, a, given in zip(("training", "test"), arrays, (train_idx, test_idx)):
        if a is None or not np.all(np.isfinite(a) & (a == np.round(a))):
            return wrong(f"the {side} set should be an array of whole-number indices, got {shown(given)}.")
        if a.size and (a.min() < 0 or a.max() >= len(collection)):
            return wrong(f"the {side} set holds indices outside 0 to {len(collection) - 1}.")
    train_idx, test_idx = (a.astype(int) for a in arrays)
    speakers = np.asarray(collection.speakers)
    if not (isinstance(test_speaker, str) and test_speaker in set(speakers.tolist())):
        return wrong(f"test_speaker should be one of the collection's speakers {sorted(set(speakers.tolist()))}, "
                     f"got {shown(test_speaker)}.")
    if np.intersect1d(train_idx, test_idx).size:
        return wrong("some recordings are in both sets; each recording must be on exactly one side.")
    if len(train_idx) + len(test_idx) != len(collection) or len(np.union1d(train_idx, test_idx)) != len(collection):
        return wrong(f"together the two sets must hold all {len(collection)} recordings, each once.")
    if not np.all(speakers[test_idx] == test_speaker):
        return wrong(f"the test set holds other speakers than {test_speaker!r}.")
    if np.any(speakers[train_idx] == test_speaker):
        return wrong(f"{test_speaker!r} is also heard in training: the test voice would not be new.")
    return right(f"{len(test_idx)} recordings of {test_speaker!r} in test, the other "
                 f"{len(set(speakers[train_idx].tolist()))} speakers in training, no voice on both sides.")


@records_attempt("mlp_params")
def check_mlp_params(answer, n_features: int = 26, width: int = 64, depth: int = 2, n_classes: int = 10) -> Check:
    """Check the number of trainable parameters of an MLP (what ``model.summary()`` reports)."""
    if answer is None:
        return wrong("replace None by the number of trainable parameters.")
    expected = count_mlp_params(n_features, width, depth, n_classes)
    value = _whole_number(answer)
    if value is None:
        return wrong(f"the answer should be a whole number, got {shown(answer)}.")
    if value == expected:
        return right(f"{expected} parameters: each Dense layer has (inputs + 1) x units (one bias per unit).")
    no_bias = sum(a * b for a, b in zip([n_features] + [width] * depth, [width] * depth + [n_classes]))
    if value == no_bias:
        return wrong("you counted the weights but not the biases: every unit has one bias as well.")
    return wrong(f"{value} is not it. Add up (inputs + 1) x units over the {depth + 1} Dense layers: "
                 f"{n_features} -> " + " -> ".join([str(width)] * depth) + f" -> {n_classes}.")


@records_attempt("n_feature_frames")
def check_n_feature_frames(answer, n_samples: int = 4000, block_size: int = 256, hop_size: int = 128) -> Check:
    """Check how many MFCC frames (training examples) one recording gives without padding."""
    if answer is None:
        return wrong("replace None by the number of frames.")
    from course_utils.representations import n_frames

    expected = n_frames(n_samples, block_size, hop_size)
    value = _whole_number(answer)
    if value is None:
        return wrong(f"the answer should be a whole number, got {shown(answer)}.")
    if value == expected:
        return right(f"1 + floor(({n_samples} - {block_size}) / {hop_size}) = {expected} frames, "
                     f"so this recording adds {expected} training examples.")
    if value == 1 + n_samples // hop_size:
        return wrong("that counts frames with padding (librosa's center=True: 1 + floor(n_samples / hop_size)); "
                     "the course frames without padding.")
    if value == n_samples // hop_size:
        return wrong("the last frame must fit: it starts at most block_size samples before the end, so subtract "
                     "the block size first: 1 + floor((n_samples - block_size) / hop_size).")
    return wrong(f"use n_frames = 1 + floor((n_samples - block_size) / hop_size) with n_samples={n_samples}, "
                 f"block_size={block_size}, hop_size={hop_size}.")

"""Does augmentation help? The same small classifier trained on FSDD with and without waveform augmentation.

Notebook: ``03_data_augmentation.ipynb`` (section 5, "Does it help?"); ``bench/augmentation.py --experiment``
repeats it with every speaker held out.

* :func:`augmentation_experiment` holds out one speaker, trains logistic regression on
  :func:`summary_features` of the other speakers' clips, once without and once with augmented copies made by
  :func:`course_utils.augmentation.make_audio_augmenter`, and tests both on the held-out speaker (clean and
  with noise); it returns an :class:`ExperimentResult`, whose ``summary()`` says what the numbers show;
* :func:`feature_change` measures how far an augmentation moves the classifier's features (in dB), beside
  how far two recordings of the same word lie apart;
* :func:`mcnemar_p_value` is the exact McNemar test used to compare the two models on the same clips.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_utils.augmentation import (
    SNR_RANGE_DB,
    _check_count,
    _check_range,
    _check_seed,
    _check_signal,
    add_noise_snr,
    make_audio_augmenter,
)

__all__ = [
    "summary_features",
    "feature_change",
    "ExperimentResult",
    "augmentation_experiment",
    "mcnemar_p_value",
]


# --------------------------------------------------------------------------------------------------
# does it help? a small experiment on FSDD with an unseen speaker

def summary_features(y: np.ndarray, sr: int, *, block_size: int = 256, hop_size: int = 128,
                     n_mels: int = 40) -> np.ndarray:
    """A fixed-length description of a clip of any length: mean and standard deviation over time of its log-mel bands.

    Averages over time ignore *where* the frames are, so a circular time shift (rollover) hardly changes these
    numbers; a shift that fills a gap with zeros does: the gap's frames sit at the 80 dB floor and pull each
    band's mean down and its standard deviation up (:func:`feature_change` measures it).

    Args:
        y: np.ndarray, shape (n_samples,), float mono audio (a clip shorter than ``block_size`` is padded
            with zeros).
        sr: sample rate in Hz.
        block_size, hop_size: frame length (16 to 65536) and hop (1 to 65536) in samples (defaults suit
            FSDD's 8 kHz).
        n_mels: number of mel bands F, 1 to 512.

    Returns:
        np.ndarray, shape (2 * n_mels,), float32: ``[mean of each band, std of each band]`` in dB.

    Notebook: ``03_data_augmentation.ipynb``.
    """
    from course_utils.representations import MAX_BLOCK_SIZE, MIN_FFT_SIZE, _check_int, log_mel_spectrogram

    y = _check_signal(y)
    block_size = _check_int("block_size", block_size, minimum=MIN_FFT_SIZE, maximum=MAX_BLOCK_SIZE, unit="samples")
    if y.shape[0] < block_size:
        y = np.pad(y, (0, block_size - y.shape[0]))
    S_db = log_mel_spectrogram(y, sr, block_size, hop_size, n_mels)
    return np.concatenate([S_db.mean(axis=1), S_db.std(axis=1)]).astype(np.float32)


def feature_change(clips, augmented, sr: int) -> np.ndarray:
    """How far an augmentation moves each clip's :func:`summary_features`: the root mean square of the change, in dB.

    Compare the result with the change between two recordings of the same word by the same speaker (pass
    those as ``augmented``) to judge whether an augmentation is small or large *for this model*.

    Args:
        clips: sequence of np.ndarray, each shape (n_samples,), float mono audio.
        augmented: sequence of the same length: the augmented (or any other) version of each clip.
        sr: sample rate in Hz.

    Returns:
        np.ndarray, shape (n_clips,), float: ``sqrt(mean((f(augmented) - f(clip)) ** 2))`` over the
        ``2 * n_mels`` features ``f`` of each pair, in dB.

    Example:
        >>> feature_change(clips, [add_noise_snr(y, 20.0) for y in clips], sr).mean()

    Notebook: ``03_data_augmentation.ipynb``.
    """
    for name, value in (("clips", clips), ("augmented", augmented)):
        if isinstance(value, np.ndarray) and value.ndim == 1 or isinstance(value, (str, bytes)) \
                or not hasattr(value, "__iter__"):
            raise TypeError(f"{name} must be a list of 1 to 100000 signals (each an np.ndarray of shape "
                            f"(n_samples,)), got {type(value).__name__}")
    clips, augmented = list(clips), list(augmented)
    if len(clips) > 100_000:
        raise ValueError(f"clips must hold 1 to 100000 signals, got {len(clips)}")
    if len(clips) != len(augmented) or not clips:
        raise ValueError(f"clips and augmented must be non-empty and of the same length, got {len(clips)} and "
                         f"{len(augmented)}")
    before = np.stack([summary_features(y, sr) for y in clips]).astype(np.float64)
    after = np.stack([summary_features(y, sr) for y in augmented]).astype(np.float64)
    return np.sqrt(np.mean((after - before) ** 2, axis=1))


@dataclass(frozen=True)
class ExperimentResult:
    """Outcome of :func:`augmentation_experiment` (accuracies are fractions in [0, 1]).

    Attributes:
        test_speaker: the held-out speaker.
        n_train: training clips before augmentation; n_train_augmented: after adding the copies.
        n_test: clips of the held-out speaker.
        accuracy_plain, accuracy_augmented: accuracy on the held-out speaker's clean clips.
        accuracy_plain_noisy, accuracy_augmented_noisy: the same on the held-out clips with white noise at
            ``test_snr_db`` (a robustness check), or NaN when ``test_snr_db`` is None.
        test_snr_db: SNR of the noisy test version in dB (None: not run).
        seconds: wall time of the whole experiment.
        p_value, p_value_noisy: exact McNemar test of "both models are equally accurate" on the clean and
            the noisy test clips: among the clips that exactly one model gets right, are the wins split
            evenly? (:func:`mcnemar_p_value`.)
        max_per_class: the cap on training clips per digit, or None when all were used.

    Notebook: ``03_data_augmentation.ipynb``.
    """

    test_speaker: str
    n_train: int
    n_train_augmented: int
    n_test: int
    accuracy_plain: float
    accuracy_augmented: float
    accuracy_plain_noisy: float
    accuracy_augmented_noisy: float
    test_snr_db: float | None
    seconds: float
    p_value: float = float("nan")
    p_value_noisy: float = float("nan")
    max_per_class: int | None = None

    def _compare(self, plain: float, augmented: float, p_value: float, what: str) -> str:
        diff = 100 * (augmented - plain)
        text = (f"On {what}, accuracy was {plain:.1%} without and {augmented:.1%} with augmentation "
                f"({diff:+.1f} percentage points; McNemar p = {p_value:.2g}). ")
        if not p_value < 0.05:
            return text + "A difference this size can arise by chance: this run shows no clear effect."
        if diff > 0:
            return text + "In this run augmentation helped, beyond what chance alone explains."
        return text + "In this run augmentation hurt, beyond what chance alone explains."

    def summary(self) -> str:
        """Sentences generated from the numbers (never claiming more than they show)."""
        parts = [self._compare(self.accuracy_plain, self.accuracy_augmented, self.p_value,
                               f"the unseen speaker {self.test_speaker!r} ({self.n_test} clips)")]
        if self.test_snr_db is not None:
            parts.append(self._compare(self.accuracy_plain_noisy, self.accuracy_augmented_noisy, self.p_value_noisy,
                                       f"the same clips with noise at {self.test_snr_db:g} dB SNR"))
        if self.max_per_class is not None:
            parts.append(f"Trained on a subset (at most {self.max_per_class} clips per digit): with all training "
                         "clips the differences can be smaller, larger or even of the other sign.")
        parts.append("One split and one seed: repeat with other speakers and seeds before trusting a difference.")
        return "\n".join(parts)

    def __str__(self) -> str:
        return self.summary()


def augmentation_experiment(collection, test_speaker: str = "theo", *, n_copies: int = 2, augmenter=None,
                            test_snr_db: float | None = 10.0, max_per_class: int | None = None,
                            seed: int = 0) -> ExperimentResult:
    """Train the same simple classifier with and without waveform augmentation; test on an unseen speaker.

    The model is a standardisation followed by multinomial logistic regression (scikit-learn) on
    :func:`summary_features`. "With augmentation" trains on the original clips **plus** ``n_copies``
    augmented copies of each; the test clips are never augmented (only, for the robustness check, mixed
    with noise at ``test_snr_db``, the same noise for both models).

    Args:
        collection: an ``AudioCollection`` (e.g. ``load_fsdd()``), several speakers.
        test_speaker: the speaker held out for testing (see ``course_utils.data.FSDD_SPEAKERS``).
        n_copies: augmented copies per training clip, 1 to 10.
        augmenter: a callable ``augment(y, sr)``; default ``make_audio_augmenter(seed=seed)`` (the course
            defaults: shifts up to 100 ms, up to 2 semitones, 15-40 dB SNR, each with p = 0.5).
        test_snr_db: SNR of the noisy test version in dB, or None to skip it.
        max_per_class: keep at most this many training clips per digit (a smaller, faster experiment).
        seed: seed of the default augmenter, the subset and the test noise.

    Returns:
        ExperimentResult (its ``summary()`` states what the numbers show).

    Notebook: ``03_data_augmentation.ipynb``.
    """
    import time

    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from course_utils.data import speaker_split

    start = time.perf_counter()
    if not isinstance(test_speaker, str):
        raise TypeError(f"test_speaker must be a speaker's name (a string, see course_utils.data.FSDD_SPEAKERS), "
                        f"got {test_speaker!r}")
    if augmenter is not None and not callable(augmenter):
        raise TypeError(f"augmenter must be None or a callable augment(y, sr), got {type(augmenter).__name__}")
    n_copies = _check_count("n_copies", n_copies, 10)
    if n_copies < 1:
        raise ValueError("n_copies must be an integer in [1, 10], got 0")
    seed = _check_seed(seed)
    if max_per_class is not None:
        max_per_class = _check_count("max_per_class", max_per_class, 100_000)
        if max_per_class < 1:
            raise ValueError("max_per_class must be None or at least 1")
    if test_snr_db is not None:
        test_snr_db = _check_range("test_snr_db", test_snr_db, *SNR_RANGE_DB)
    train_idx, test_idx = speaker_split(collection, test_speaker)
    rng = np.random.default_rng(seed)
    if max_per_class is not None:
        keep = []
        for label in np.unique(collection.labels[train_idx]):
            members = train_idx[collection.labels[train_idx] == label]
            keep.extend(rng.permutation(members)[:max_per_class])
        train_idx = np.sort(np.asarray(keep, dtype=int))
    augment = augmenter if augmenter is not None else make_audio_augmenter(seed=seed)
    sr = collection.sr

    def features(signals):
        return np.stack([summary_features(y, sr) for y in signals])

    train_audio = [collection.audio[i] for i in train_idx]
    y_train = collection.labels[train_idx]
    X_train = features(train_audio)
    copies = [augment(y, sr) for _ in range(n_copies) for y in train_audio]
    X_aug = np.concatenate([X_train, features(copies)])
    y_aug = np.concatenate([y_train] + [y_train] * n_copies)
    test_audio = [collection.audio[i] for i in test_idx]
    y_test = collection.labels[test_idx]
    X_test = features(test_audio)
    if test_snr_db is not None:
        X_noisy = features([add_noise_snr(y, test_snr_db, seed=(seed + k) % 2**32) for k, y in enumerate(test_audio)])

    def fit(X, y):
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=3000, C=0.5)).fit(X, y)

    plain, augmented = fit(X_train, y_train), fit(X_aug, y_aug)
    right_plain, right_aug = plain.predict(X_test) == y_test, augmented.predict(X_test) == y_test
    nan = float("nan")
    acc_noisy = (nan, nan)
    p_noisy = nan
    if test_snr_db is not None:
        noisy_plain, noisy_aug = plain.predict(X_noisy) == y_test, augmented.predict(X_noisy) == y_test
        acc_noisy = (float(noisy_plain.mean()), float(noisy_aug.mean()))
        p_noisy = mcnemar_p_value(noisy_plain, noisy_aug)
    return ExperimentResult(
        test_speaker=test_speaker,
        n_train=len(train_idx),
        n_train_augmented=len(y_aug),
        n_test=len(test_idx),
        accuracy_plain=float(right_plain.mean()),
        accuracy_augmented=float(right_aug.mean()),
        accuracy_plain_noisy=acc_noisy[0],
        accuracy_augmented_noisy=acc_noisy[1],
        test_snr_db=test_snr_db,
        seconds=time.perf_counter() - start,
        p_value=mcnemar_p_value(right_plain, right_aug),
        p_value_noisy=p_noisy,
        max_per_class=max_per_class,
    )


def mcnemar_p_value(correct_a, correct_b) -> float:
    """Exact McNemar test: two-sided p-value of "models A and B are equally accurate" on the same test clips.

    Only the clips where the models disagree count: ``b`` = A right and B wrong, ``c`` = A wrong and B right.
    If both models were equally good, each disagreement would go either way with probability 1/2, so
    ``min(b, c)`` follows a binomial distribution; the p-value is ``min(1, 2 P[X <= min(b, c)])``,
    ``X ~ Binomial(b + c, 1/2)``.

    Args:
        correct_a, correct_b: bool arrays, shape (n_test,): whether each model got each clip right.

    Returns:
        float in [0, 1] (1.0 when the models never disagree).

    Notebook: ``03_data_augmentation.ipynb``.
    """
    from scipy.stats import binom

    arrays = []
    for name, value in (("correct_a", correct_a), ("correct_b", correct_b)):
        array = np.asarray(value)
        if array.dtype != bool and not (np.issubdtype(array.dtype, np.number) and np.isin(array, (0, 1)).all()):
            raise TypeError(f"{name} must be a 1-D array of bools (or of 0 and 1), got dtype {array.dtype}")
        arrays.append(array.astype(bool))
    a, b_arr = arrays
    if a.shape != b_arr.shape or a.ndim != 1:
        raise ValueError(f"correct_a and correct_b must be 1-D bool arrays of the same shape, got {a.shape} and {b_arr.shape}")
    b = int(np.sum(a & ~b_arr))
    c = int(np.sum(~a & b_arr))
    if b + c == 0:
        return 1.0
    return float(min(1.0, 2 * binom.cdf(min(b, c), b + c, 0.5)))

"""Labels and augmentation: which augmentation keeps which kind of label, and labels that move with the audio.

Notebook: ``03_data_augmentation.ipynb`` (section 3, "Don't change the meaning of the label").

* :func:`label_safety` gives the verdict "safe", "adjust" or "unsafe" (a :class:`LabelSafety` with its
  reason) for each augmentation of :data:`AUGMENTATIONS` and each kind of label of :data:`LABEL_KINDS`;
  :func:`safe_augmentations` lists the safe ones and :func:`label_safety_table` shows them all;
* :func:`shift_annotations` moves event times along with a time shift of the audio;
* :func:`estimate_midi_pitch` measures the pitch of a note, to see what a pitch shift did to its label;
* :func:`check_shifted_onsets` and :func:`check_safe_for_pitch_labels` check the notebook's exercises.

The transforms themselves are in :mod:`course_utils.augmentation` (waveform) and
:mod:`course_utils.spectrogram_augmentation` (spectrogram).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_utils._arguments import _check_bool
from course_utils.augmentation import _check_range, _check_signal, _check_sr
from course_utils.checks import records_attempt

__all__ = [
    "AUGMENTATIONS",
    "LABEL_KINDS",
    "LabelSafety",
    "label_safety",
    "safe_augmentations",
    "label_safety_table",
    "shift_annotations",
    "estimate_midi_pitch",
    "check_shifted_onsets",
    "check_safe_for_pitch_labels",
]


# --------------------------------------------------------------------------------------------------
# which augmentation keeps which label

#: The augmentations the label-safety helper knows, with one line each.
AUGMENTATIONS = {
    "time_shift": "move the sound earlier or later (audiomentations Shift)",
    "pitch_shift": "raise or lower every frequency by the same musical interval (PitchShift)",
    "noise": "add white Gaussian noise at a moderate SNR (AddGaussianSNR, AddGaussianNoise)",
    "time_mask": "blank out a few narrow time stripes of the spectrogram (XYMasking along x)",
    "frequency_mask": "blank out a few narrow frequency bands of the spectrogram (XYMasking along y)",
    "coarse_dropout": "blank out small rectangles of the spectrogram (CoarseDropout)",
    "random_resized_crop": "cut out a part of the spectrogram and stretch it back to full size",
    "time_flip": "reverse time (HorizontalFlip): the sound played backwards",
    "frequency_flip": "turn the frequency axis upside down (VerticalFlip)",
}

#: The kinds of annotation the label-safety helper knows.
LABEL_KINDS = {
    "class": "one category for the whole clip: a spoken digit, an instrument, a sound-event class",
    "pitch": "the pitch of a note (e.g. a MIDI number), or a melody",
    "onsets": "times of events inside the clip (onset or boundary annotations)",
    "speaker": "who is speaking (speaker identity)",
}

_S, _A, _U = "safe", "adjust", "unsafe"
_RULES = {
    ("time_shift", "class"): (_S, "the sound is the same sound a little earlier or later; keep shifts small "
                                  "(or use rollover) so the event stays inside the clip"),
    ("time_shift", "pitch"): (_S, "moving a note in time does not change its pitch"),
    ("time_shift", "onsets"): (_A, "every event moves by the shift: move the annotation with shift_annotations()"),
    ("time_shift", "speaker"): (_S, "the voice does not change when it starts later"),
    ("pitch_shift", "class"): (_S, "a digit said two semitones higher is the same digit, an instrument two "
                                   "semitones up is the same instrument (large shifts start to change the timbre)"),
    ("pitch_shift", "pitch"): (_A, "the pitch IS the label: n semitones up changes the label by n; move the "
                                   "label with it (whole semitones only) or leave this augmentation out"),
    ("pitch_shift", "onsets"): (_S, "the duration and the event times are kept"),
    ("pitch_shift", "speaker"): (_U, "the pitch and formants of a voice are part of who the speaker is; a "
                                     "shifted voice can sound like someone else"),
    ("noise", "class"): (_S, "at a moderate SNR the category is still clearly audible"),
    ("noise", "pitch"): (_S, "white noise has no pitch; at a moderate SNR the note is still heard"),
    ("noise", "onsets"): (_S, "at a moderate SNR; very strong noise can bury soft onsets"),
    ("noise", "speaker"): (_S, "the voice is the same voice in a noisier room"),
    ("time_mask", "class"): (_S, "narrow masks leave enough of the sound to recognise it (SpecAugment)"),
    ("time_mask", "pitch"): (_S, "the pitch is still visible in the frames that are left"),
    ("time_mask", "onsets"): (_A, "an onset inside a mask cannot be seen any more: drop it from the "
                                  "annotation or keep masks away from onsets"),
    ("time_mask", "speaker"): (_S, "the voice is still present in the frames that are left"),
    ("frequency_mask", "class"): (_S, "narrow bands removed; the rest of the spectrum identifies the sound"),
    ("frequency_mask", "pitch"): (_S, "narrow bands removed; the other harmonics still imply the pitch "
                                      "(keep masks narrow so the fundamental is rarely hidden together "
                                      "with its neighbours)"),
    ("frequency_mask", "onsets"): (_S, "event times are untouched"),
    ("frequency_mask", "speaker"): (_S, "narrow bands removed; the voice is still recognisable"),
    ("coarse_dropout", "class"): (_S, "small holes; the sound is still recognisable"),
    ("coarse_dropout", "pitch"): (_S, "small holes; the harmonics around them keep the pitch"),
    ("coarse_dropout", "onsets"): (_A, "a hole over an onset hides it: drop covered events or avoid them"),
    ("coarse_dropout", "speaker"): (_S, "small holes; the voice is still recognisable"),
    ("random_resized_crop", "class"): (_S, "as long as the crop keeps the event; the zoom changes tempo and "
                                           "stretches the spectrum, which small zooms tolerate"),
    ("random_resized_crop", "pitch"): (_U, "stretching the frequency axis moves every partial by an amount that "
                                           "depends on the frequency scale: the pitch label is lost"),
    ("random_resized_crop", "onsets"): (_A, "event times must be offset by the crop start and scaled by the zoom"),
    ("random_resized_crop", "speaker"): (_U, "stretching the frequency axis moves the formants that "
                                             "characterise a voice"),
    ("time_flip", "class"): (_U, "reversed speech is not the same word, and a reversed note swells up instead "
                                 "of dying away; no real recording of the class sounds like that"),
    ("time_flip", "pitch"): (_U, "a note played backwards keeps its pitch, but it swells up and stops dead "
                                 "instead of dying away: no instrument produces that, so it is no plausible "
                                 "example of any pitch (the same reason as for class labels)"),
    ("time_flip", "onsets"): (_U, "onsets turn into offsets: the annotation has no counterpart"),
    ("time_flip", "speaker"): (_U, "reversed speech is no speech the model will meet; test before relying on it"),
}
for _kind in LABEL_KINDS:
    _RULES[("frequency_flip", _kind)] = (_U, "swapping low and high frequencies has no acoustic meaning: the "
                                             "result is not a sound of any class, pitch, event or speaker")


@dataclass(frozen=True)
class LabelSafety:
    """The verdict of :func:`label_safety`.

    Attributes:
        augmentation: a key of :data:`AUGMENTATIONS`.
        label_kind: a key of :data:`LABEL_KINDS`.
        verdict: ``"safe"`` (the label stays true *and* the result is a plausible recording of it),
            ``"adjust"`` (usable only if the annotation is transformed too) or ``"unsafe"`` (the label loses
            its meaning, or the result is no sound the model will ever meet, such as a note played backwards).
        reason: one sentence why.

    Notebook: ``03_data_augmentation.ipynb``.
    """

    augmentation: str
    label_kind: str
    verdict: str
    reason: str

    @property
    def safe(self) -> bool:
        """True when the label can be kept unchanged."""
        return self.verdict == _S

    def __str__(self) -> str:
        return f"{self.augmentation} with {self.label_kind} labels: {self.verdict.upper()} ({self.reason})"

    def _repr_html_(self) -> str:
        import html as _html

        colour = {_S: "#1b7f3b", _A: "#9a6700", _U: "#b3261e"}[self.verdict]
        return (f'<div style="border-left:4px solid {colour};padding:4px 8px"><b>{self.augmentation}</b> with '
                f'<b>{self.label_kind}</b> labels: <b style="color:{colour}">{self.verdict}</b>: '
                f"{_html.escape(self.reason)}</div>")


def label_safety(augmentation: str, label_kind: str) -> LabelSafety:
    """Whether an augmentation keeps the meaning of a kind of label.

    Args:
        augmentation: one of :data:`AUGMENTATIONS` (``"time_shift"``, ``"pitch_shift"``, ``"noise"``,
            ``"time_mask"``, ``"frequency_mask"``, ``"coarse_dropout"``, ``"random_resized_crop"``,
            ``"time_flip"``, ``"frequency_flip"``).
        label_kind: one of :data:`LABEL_KINDS` (``"class"``, ``"pitch"``, ``"onsets"``, ``"speaker"``).

    Returns:
        LabelSafety with ``verdict`` "safe", "adjust" or "unsafe" and the reason.

    Example:
        >>> label_safety("pitch_shift", "pitch").verdict
        'adjust'

    Notebook: ``03_data_augmentation.ipynb``.
    """
    if not isinstance(augmentation, str) or augmentation not in AUGMENTATIONS:
        raise ValueError(f"augmentation must be one of {list(AUGMENTATIONS)}, got {augmentation!r}")
    if not isinstance(label_kind, str) or label_kind not in LABEL_KINDS:
        raise ValueError(f"label_kind must be one of {list(LABEL_KINDS)}, got {label_kind!r}")
    verdict, reason = _RULES[(augmentation, label_kind)]
    return LabelSafety(augmentation, label_kind, verdict, reason)


def safe_augmentations(label_kind: str, *, include_adjust: bool = False) -> list[str]:
    """The augmentations that keep a kind of label unchanged (plus those needing an adjusted label, if asked).

    Notebook: ``03_data_augmentation.ipynb``.
    """
    allowed = {_S, _A} if _check_bool("include_adjust", include_adjust) else {_S}
    return [a for a in AUGMENTATIONS if label_safety(a, label_kind).verdict in allowed]


class _SafetyTable:
    """HTML table of every verdict (rows: augmentations, columns: label kinds)."""

    def __init__(self):
        self.rows = {a: {k: label_safety(a, k) for k in LABEL_KINDS} for a in AUGMENTATIONS}

    def __repr__(self) -> str:
        width = max(len(a) for a in AUGMENTATIONS) + 2
        lines = [" " * width + "".join(f"{k:>10}" for k in LABEL_KINDS)]
        lines += [f"{a:<{width}}" + "".join(f"{row[k].verdict:>10}" for k in LABEL_KINDS) for a, row in self.rows.items()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html as _html

        colours = {_S: "#d8f0dd", _A: "#fff1c2", _U: "#f9d6d2"}
        head = "".join(f"<th>{k}</th>" for k in LABEL_KINDS)
        body = ""
        for a, row in self.rows.items():
            cells = "".join(f'<td style="background:{colours[v.verdict]}" title="{_html.escape(v.reason)}">'
                            f"{v.verdict}</td>" for v in row.values())
            body += f"<tr><td><b>{a}</b></td>{cells}</tr>"
        return (f"<table><tr><th>augmentation</th>{head}</tr>{body}</table>"
                "<small>Hover over a cell for the reason; <code>label_safety(aug, kind)</code> prints it.</small>")


def label_safety_table() -> _SafetyTable:
    """Every verdict of :func:`label_safety` as a table (HTML in a notebook, text elsewhere).

    Notebook: ``03_data_augmentation.ipynb``.
    """
    return _SafetyTable()


# --------------------------------------------------------------------------------------------------
# labels that travel with the audio

def estimate_midi_pitch(y: np.ndarray, sr: int, *, fmin: float = 50.0, fmax: float = 2000.0) -> float:
    """The pitch of a (mostly) single note as a fractional MIDI number, by the YIN algorithm (librosa).

    The median of the frame-wise fundamental-frequency estimates of the loud frames is converted with
    ``midi = 69 + 12 log2(f0 / 440 Hz)``.

    Args:
        y: np.ndarray, shape (n_samples,), float mono audio of one note, at least 1024 samples (2048 for
            ``sr >= 16000``).
        sr: sample rate in Hz.
        fmin, fmax: search range of the fundamental frequency, in Hz, with 20 <= fmin < fmax < sr/2.

    Returns:
        float: MIDI pitch (60 = middle C, 69 = A4 = 440 Hz).

    Raises:
        ValueError: no pitch was found because the signal is silent (its loudest frame is below -100 dBFS
            RMS): YIN would otherwise report a confident, meaningless number for silence.

    Notebook: ``03_data_augmentation.ipynb``.
    """
    import librosa

    y = _check_signal(y)
    sr = _check_sr(sr)
    for name, value in (("fmin", fmin), ("fmax", fmax)):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise TypeError(f"{name} must be a number of Hz with 0 < fmin < fmax < sr/2 = {sr / 2:g} Hz, "
                            f"got {value!r}")
    if not 20 <= fmin < fmax < sr / 2:  # below 20 Hz the pitch tracker needs frames of many seconds
        raise ValueError(f"need 20 Hz <= fmin < fmax < sr/2 = {sr / 2:g} Hz, got fmin={fmin!r}, fmax={fmax!r}")
    frame_length = 2048 if sr >= 16000 else 1024
    if y.shape[0] < frame_length:
        raise ValueError(f"y must be at least {frame_length} samples long to estimate a pitch, got {y.shape[0]}")
    rms = librosa.feature.rms(y=y, frame_length=frame_length, hop_length=frame_length // 4)[0]
    if not rms.max() >= 1e-5:  # -100 dBFS: nothing to take a pitch from
        raise ValueError(f"no pitch was found: y is silent (its loudest frame has an RMS of {float(rms.max()):.2g}, "
                         "below 1e-05 = -100 dBFS); estimate_midi_pitch needs an audible note")
    f0 = librosa.yin(y, fmin=float(fmin), fmax=float(fmax), sr=sr, frame_length=frame_length)
    n = min(len(f0), len(rms))
    loud = rms[:n] >= 0.25 * rms[:n].max()
    return float(librosa.hz_to_midi(np.median(f0[:n][loud])))


def shift_annotations(times_s, shift_ms: float, duration_s: float, *, rollover: bool = False) -> np.ndarray:
    """Move event annotations (e.g. onset times) along with a time shift of the audio.

    Args:
        times_s: event times in seconds, shape (n_events,), each in [0, duration_s).
        shift_ms: the shift that was applied to the audio, in ms (positive = later), as in :func:`time_shift`.
        duration_s: length of the clip in seconds.
        rollover: as in :func:`time_shift`: True wraps events around the end of the clip; False drops the
            events that leave the clip (their sound was replaced by silence or cut off).

    Returns:
        np.ndarray of float, sorted event times in seconds after the shift (possibly fewer events).

    Notebook: ``03_data_augmentation.ipynb``.
    """
    try:
        times = np.asarray(times_s, dtype=float).reshape(-1)
    except (TypeError, ValueError, OverflowError):
        raise TypeError(f"times_s must be a list of event times in seconds, each in [0, duration_s), "
                        f"got {times_s!r}") from None
    rollover = _check_bool("rollover", rollover)
    duration_s = _check_range("duration_s", duration_s, 1e-6, 86400.0)
    shift_ms = _check_range("shift_ms", shift_ms, -1000 * duration_s * 10, 1000 * duration_s * 10)
    if np.any(~np.isfinite(times)) or np.any((times < 0) | (times >= duration_s)):
        raise ValueError(f"times_s must lie in [0, duration_s) = [0, {duration_s:g}) seconds")
    moved = times + shift_ms / 1000
    if rollover:
        moved = np.mod(moved, duration_s)
    else:
        moved = moved[(moved >= 0) & (moved < duration_s)]
    return np.sort(moved)


# --------------------------------------------------------------------------------------------------
# "Your turn" checkers

@records_attempt("shifted_onsets")
def check_shifted_onsets(answer, onsets_s, shift_ms: float, duration_s: float, *, rollover: bool = False):
    """Exercise: move onset annotations (seconds) along with a time shift of the audio.

    Reference: :func:`shift_annotations`.

    Notebook: ``03_data_augmentation.ipynb``.
    """
    from course_utils.checks import right, shown, wrong

    expected = shift_annotations(onsets_s, shift_ms, duration_s, rollover=rollover)
    if answer is None:
        return wrong("replace None by the list of onset times (in seconds) after the shift.")
    if isinstance(answer, (str, bytes, dict, set)):
        return wrong(f"the answer should be a list of numbers (seconds), got {shown(answer)}.")
    try:
        with np.errstate(all="ignore"):
            value = np.sort(np.asarray(answer, dtype=float).reshape(-1))
    except (TypeError, ValueError, OverflowError):
        return wrong(f"the answer should be a list of numbers (seconds), got {shown(answer)}.")
    if not np.all(np.isfinite(value)):
        return wrong("every onset time should be a finite number of seconds (no NaN or infinity).")
    if value.shape == expected.shape and np.allclose(value, expected, atol=1e-3):
        return right(f"the annotation moves with the audio: {np.round(expected, 3).tolist()} s.")
    everything = np.sort(np.asarray(onsets_s, dtype=float) + shift_ms / 1000)
    if value.shape == everything.shape and np.allclose(value, everything, atol=1e-3):
        return wrong("right shift, but some events now lie outside the clip: without rollover their sound is "
                     "gone, so they must be removed from the annotation.")
    backwards = shift_annotations(onsets_s, -shift_ms, duration_s, rollover=rollover)
    all_backwards = np.sort(np.asarray(onsets_s, dtype=float) - shift_ms / 1000)
    if any(value.shape == b.shape and np.allclose(value, b, atol=1e-3) for b in (backwards, all_backwards)):
        return wrong("wrong direction: a positive shift moves events later (add the shift).")
    if value.shape == expected.shape and np.allclose(value, 1000 * expected, atol=1):
        return wrong("the times should be in seconds, not milliseconds.")
    return wrong(f"expected {len(expected)} onset time(s) in seconds. Add shift_ms / 1000 to each onset and keep "
                 f"only those inside [0, {duration_s:g}) s.")


@records_attempt("safe_for_pitch_labels")
def check_safe_for_pitch_labels(answer):
    """Exercise: the augmentations (names from ``AUGMENTATIONS``) that keep a note-pitch label unchanged and true.

    "Safe" as in :func:`label_safety`: the label stays true and the augmented note is a plausible recording
    (a time flip keeps the pitch but fails the second test).

    Reference: ``safe_augmentations("pitch")``.

    Notebook: ``03_data_augmentation.ipynb``.
    """
    from course_utils.checks import right, shown, wrong

    expected = set(safe_augmentations("pitch"))
    if answer is None:
        return wrong("replace None by a list of augmentation names, e.g. ['noise', ...].")
    if isinstance(answer, str):
        answer = [answer]
    if isinstance(answer, dict):
        return wrong(f"the answer should be a list of names, got a dict {shown(answer)}.")
    try:
        chosen = set(answer)
    except TypeError:
        return wrong(f"the answer should be a list of names, got {shown(answer)}.")
    unknown = chosen - set(AUGMENTATIONS)
    if unknown:
        names = ", ".join(sorted(shown(name) for name in unknown)[:6])
        return wrong(f"unknown name(s) {names}; choose from {list(AUGMENTATIONS)}.")
    if chosen == expected:
        return right("these keep the pitch and give plausible notes: " + ", ".join(sorted(expected)) + ". "
                     "pitch_shift changes the label itself, a resized crop stretches the frequency axis, a time "
                     "flip keeps the pitch but no real note swells up like a reversed one, and a frequency flip "
                     "means nothing.")
    missing, extra = expected - chosen, chosen - expected
    hints = []
    if "time_flip" in extra:
        extra = extra - {"time_flip"}
        hints.append("time_flip keeps the pitch, but a note played backwards swells up and stops dead: no real "
                     "note sounds like that, so it is not a plausible training example (label_safety('time_flip', "
                     "'pitch'))")
    if extra:
        hints.append(f"{sorted(extra)} change(s) the pitch or its meaning: try label_safety(name, 'pitch')")
    if missing:
        hints.append(f"{len(missing)} more augmentation(s) keep the pitch (think of those that move or hide part "
                     "of the sound without changing its frequencies)")
    return wrong("; ".join(hints) + ".")


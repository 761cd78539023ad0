"""Explorers of notebook 03: augmenting a waveform, augmenting a spectrogram.

Notebook: ``03_data_augmentation.ipynb``.

* ``audio_augmentation``: a time shift, a pitch shift, noise at an SNR or the random pipeline of
  :func:`course_utils.augmentation.make_audio_augmenter`, with the waveform and the log-mel spectrogram
  before and after, two players and a "New random draw" button.
* ``spectrogram_augmentation``: one albumentations transform of
  :func:`course_utils.spectrogram_augmentation.augment_spectrogram` (masks, dropout, crop, flips, a pixel-level
  brightness/contrast change) on a real log-mel spectrogram, before and after, with or without the
  mapping to [0, 1] that keeps image libraries from clipping dB values.
"""

from __future__ import annotations

import functools
import hashlib
import html
import itertools
import threading

import numpy as np

from course_utils import augmentation as aug
from course_utils import spectrogram_augmentation as spec
from course_utils.explorer_state import check_extra_int, check_extra_keys, format_value
from course_utils.widgets import Explorer, checkbox, dropdown, register, slider

SR = 22050
BLOCK_SIZE = 1024
HOP_SIZE = 512
N_MELS = 64

_SOUNDS = {
    "speech (librosa 'libri1', 5 s)": ("example", "libri1"),
    "trumpet (librosa 'trumpet', 5 s)": ("example", "trumpet"),
    "synthetic note C4 (2 s)": ("note", 60),
}
_cache: dict = {}
_ADDED = itertools.count(2)  # tells apart sounds added under the same name by different explorers


def _sound(name: str) -> np.ndarray:
    """The explorers' test sounds at 22.05 kHz, loaded once."""
    if name not in _cache:
        kind, what = _SOUNDS[name]
        if kind == "example":
            from course_utils.data import load_example

            y, _ = load_example(what, sr=SR, duration=5.0)
        else:
            from course_utils.signals import note

            y = note(what, 2.0, SR, amplitude=0.5)
        _cache[name] = np.asarray(y, dtype=np.float32)
    return _cache[name]


_PITCH_CACHE: dict = {}  # (sound, semitones) -> (pitch-shifted signal, its log-mel spectrogram)
#: Pitch shifts kept (about 0.9 MB each for a 5 s clip): a drag back over the semitone slider, or a
#: return to a transform, shows a kept one at once instead of shifting again (about 17 ms for 5 s).
PITCH_SHIFTS_KEPT = 16


def _pitch_shifted(sound: str, semitones: float):
    """The sound shifted by ``semitones`` and its log-mel spectrogram (the last :data:`PITCH_SHIFTS_KEPT` kept)."""
    def shift():
        out = aug.pitch_shift(_sound(sound), SR, semitones)
        return out, _log_mel(out)

    return _kept(_PITCH_CACHE, (sound, float(semitones)), PITCH_SHIFTS_KEPT, shift)


_KEPT_LOCK = threading.Lock()  # the explorers' worker threads share the kept pitch shifts


def _kept(cache: dict, key, limit: int, compute):
    """``cache[key]``, computed by ``compute()`` (an array or a tuple of arrays, made read-only: every later use
    of the key shares them) when missing; the ``limit`` most recently used entries are kept."""
    with _KEPT_LOCK:
        if key in cache:
            cache[key] = cache.pop(key)  # now the most recently used
            return cache[key]
    value = compute()  # outside the lock: another explorer's thread may look up its own key meanwhile
    for array in value if isinstance(value, tuple) else (value,):
        array.setflags(write=False)
    with _KEPT_LOCK:
        cache[key] = value
        while len(cache) > limit:
            cache.pop(next(iter(cache)))
    return value


_PIPELINE_PITCH_CACHE: dict = {}  # (digest of the input, semitones, sr) -> the pitch-shifted samples


def _keep_pipeline_pitch_shifts(augmenter) -> None:
    """Let ``augmenter``'s ``PitchShift`` reuse the shifts it made before for the same input and semitones.

    The pipeline's pitch shift is most of its time (about 30 ms of 55 for 5 s). With one draw (one seed), a
    move of the p slider only changes which coin flips say yes, so the pitch shift's input is the sound with
    or without the same time shift, and its semitones are one of two draws: a sweep over p needs a few
    different pitch shifts, not one per value. The key is a digest of the samples themselves (SHA-1, 0.4 ms
    for 5 s), so a kept shift is only ever used for the same input; the Signalsmith shifter draws no random
    numbers, so the samples are those a fresh shift gives (``tests/test_explorers_augmentation.py``).
    """
    for transform in augmenter.transform.transforms:
        if type(transform).__name__ == "PitchShift":
            transform.apply = functools.partial(_kept_pitch_shift, transform, type(transform).apply)


def _kept_pitch_shift(transform, apply, samples, sample_rate):
    samples = np.ascontiguousarray(samples)
    key = (hashlib.sha1(samples, usedforsecurity=False).digest(), samples.shape, samples.dtype.str,
           float(transform.parameters["num_semitones"]), int(sample_rate))
    # the later steps of the pipeline make new arrays, so the kept one is never written to
    return _kept(_PIPELINE_PITCH_CACHE, key, PIPELINE_PITCH_SHIFTS_KEPT, lambda: apply(transform, samples, sample_rate))


#: Pipeline pitch shifts kept (0.44 MB each for 5 s): every p of a few draws.
PIPELINE_PITCH_SHIFTS_KEPT = 8


def _log_mel(y: np.ndarray) -> np.ndarray:
    from course_utils.representations import log_mel_spectrogram

    return log_mel_spectrogram(y, SR, BLOCK_SIZE, HOP_SIZE, N_MELS)


def _envelope(y: np.ndarray, n_columns: int = 500) -> np.ndarray:
    """The outline of a long signal as polygon vertices, shape (2 * n_columns, 2), time in seconds.

    Per column: the largest sample (upper edge, left to right) and the smallest (lower edge, back). At the
    figure's resolution this looks like the full waveform and draws in well under a millisecond, whereas a
    line through all 110 250 samples of a 5 s clip costs tens of milliseconds per redraw.
    """
    n = len(y)
    n_columns = min(n_columns, n)
    edges = np.linspace(0, n, n_columns + 1).astype(int)
    lows = np.minimum.reduceat(y, edges[:-1])
    highs = np.maximum.reduceat(y, edges[:-1])
    t = (edges[:-1] + edges[1:]) / 2 / SR
    return np.column_stack([np.concatenate([t, t[::-1]]), np.concatenate([highs, lows[::-1]])])


_TRANSFORMS = [
    ("time shift (Shift)", "shift"),
    ("pitch shift (PitchShift)", "pitch"),
    ("noise at an SNR (AddGaussianSNR)", "noise"),
    ("random pipeline (Compose of all three)", "pipeline"),
]


class _RandomDrawExplorer(Explorer):
    """An explorer with a "New random draw" button: ``self.draw`` counts the presses and seeds the draw."""

    def __init__(self, **initial):
        self.draw = 0
        super().__init__(**initial)
        self.add_button("New random draw", self._new_draw, icon="random")

    def _new_draw(self):
        self.draw += 1

    # the draw seeds every random choice, so a code carries it (a recording it cannot: another explorer's menu
    # lacks it, and its code is refused there)
    def state_extras(self):
        return {"draw": self.draw}

    def check_extras(self, extras, values):
        check_extra_keys(self, extras, ("draw",))
        return {"draw": check_extra_int(extras, "draw", 0, 2**31 - 1)}

    def apply_extras(self, extras):
        if extras["draw"] != self.draw:
            self.draw = extras["draw"]
            self.refresh()

    def _described(self, what: str) -> str:
        """The start of a description: the sound, the transform and the draw."""
        sound = self.controls["sound"].value
        return (f"{what} of {sound}, {format_value(self.controls['transform'], self.controls['transform'].value)}"
                f" (random draw #{self.draw})")

    def background_key(self):
        # the time axis and colour scale belong to the sound: each sound keeps its own background
        return super().background_key() + (self._sound_name,)


@register("audio_augmentation")
class AudioAugmentationExplorer(_RandomDrawExplorer):
    """One waveform augmentation at a time: waveform, log-mel spectrogram and sound, before and after."""

    title = "Audio augmentation: what a transform does to the waveform, the spectrogram and the sound"
    help = ("Choose a sound and a transform, then move its slider (the others are greyed out). "
            "'New random draw' draws new noise, or a new random pipeline (each transform with probability p, "
            "strengths up to the slider values).")
    figsize = (10.0, 5.0)
    player_names = ("before", "after")
    # each slider acts for its own transform only (greyed out otherwise)
    sweep_requires = {"shift_ms": {"transform": "shift"}, "rollover": {"transform": "shift"},
                      "semitones": {"transform": "pitch"}, "snr_db": {"transform": "noise"},
                      "p": {"transform": "pipeline"}}

    def make_controls(self):
        return {
            "sound": dropdown("sound", list(_SOUNDS)),
            "transform": dropdown("transform", _TRANSFORMS, "shift"),
            "shift_ms": slider("shift (ms)", 200.0, -500.0, 500.0, 10.0),
            "rollover": checkbox("rollover (wrap around)", False),
            "semitones": slider("pitch shift (semitones)", 4.0, -12.0, 12.0, 0.5),
            "snr_db": slider("SNR (dB)", 10.0, 0.0, 60.0, 1.0),
            "p": slider("p (pipeline: per transform)", 0.5, 0.0, 1.0, 0.1),
        }

    def build(self, fig):
        axes = fig.subplots(2, 2, sharex=True)
        (self.ax_wave_before, self.ax_wave_after), (self.ax_spec_before, self.ax_spec_after) = axes
        from matplotlib.patches import Polygon

        self.lines = {}
        for key, ax, colour in (("before", self.ax_wave_before, "C0"), ("after", self.ax_wave_after, "C1")):
            self.lines[key] = ax.add_patch(Polygon(np.zeros((2, 2)), closed=True, lw=0.3, color=colour))
            ax.set(ylim=(-1.05, 1.05), ylabel="amplitude", title=key)
        self.images = {}
        for key, ax in (("before", self.ax_spec_before), ("after", self.ax_spec_after)):
            self.images[key] = ax.imshow(np.zeros((N_MELS, 2)), origin="lower", aspect="auto",
                                         interpolation="nearest", extent=(0, 1, -0.5, N_MELS - 0.5))
            ax.set(xlabel="time (s)", ylabel="mel band")
            ax.grid(False)
        self._sound_name = None
        self._added = 0  # sounds added with add_sound

    def dynamic_artists(self):
        return [*self.lines.values(), *self.images.values()]

    def update(self, sound, transform, shift_ms, rollover, semitones, snr_db, p):
        for name, relevant in (("shift_ms", ("shift", "pipeline")), ("rollover", ("shift", "pipeline")),
                               ("semitones", ("pitch", "pipeline")), ("snr_db", ("noise", "pipeline")),
                               ("p", ("pipeline",))):
            self.controls[name].disabled = transform not in relevant
        y = _sound(sound)
        duration = len(y) / SR
        if sound != self._sound_name:
            self._sound_name = sound
            self.S_before = _log_mel(y)
            self._draw_wave("before", y, duration)
            self._draw_spec("before", self.S_before, duration)
            self.players["before"].set(y, SR, label=f"before: {sound}")

        if transform == "shift":
            out = aug.time_shift(y, SR, shift_ms, rollover=rollover)
            n = int(round(shift_ms / 1000 * SR))
            where = "end" if n > 0 else "start"
            fate = ("come back in at the other end" if rollover
                    else f"are dropped, and {abs(n)} samples of silence fill the gap at the "
                         f"{'start' if n > 0 else 'end'}")
            edges = f"Samples pushed past the {where} {fate}. " if n else "Nothing moves. "
            text = (f"shift = {shift_ms:+.0f} ms &rarr; round({shift_ms / 1000:+.3f} s &times; {SR} Hz) = {n:+d} "
                    f"samples. {edges}The spectrogram moves along the time axis "
                    f"by {n / HOP_SIZE:+.1f} frames (hop {HOP_SIZE} samples); its frequencies do not change.")
            label = f"after: shifted {shift_ms:+.0f} ms"
        elif transform == "pitch":
            out, S_out = _pitch_shifted(sound, semitones)
            factor = 2 ** (semitones / 12)
            text = (f"{semitones:+.1f} semitones &rarr; every frequency &times; 2<sup>{semitones:+.1f}/12</sup> "
                    f"= &times;{factor:.3f} (a 440 Hz partial moves to {440 * factor:.0f} Hz); the duration "
                    f"stays {duration:.2f} s. On the mel axis the harmonics move up or down together.")
            label = f"after: {semitones:+.1f} semitones"
        elif transform == "noise":
            out = aug.add_noise_snr(y, snr_db, seed=self.draw)
            rms = float(np.sqrt(np.mean(y.astype(np.float64) ** 2)))
            sigma = rms / 10 ** (snr_db / 20)
            text = (f"target SNR = {snr_db:.0f} dB &rarr; noise std &sigma; = rms(y) / 10<sup>SNR/20</sup> = "
                    f"{rms:.4f} / {10 ** (snr_db / 20):.2f} = {sigma:.5f}; measured SNR of this draw "
                    f"{aug.measure_snr_db(y, out):.2f} dB (noise draw #{self.draw}). White noise fills every "
                    f"mel band, so the quiet parts of the spectrogram light up first.")
            label = f"after: noise at {snr_db:.0f} dB SNR"
        else:
            augmenter = aug.make_audio_augmenter(shift_max_ms=abs(shift_ms), rollover=rollover,
                                                 semitones=abs(semitones), snr_db=(snr_db, max(snr_db, 40.0)),
                                                 p=p, seed=self.draw)
            _keep_pipeline_pitch_shifts(augmenter)
            out = augmenter(y, SR)
            applied = aug.describe_applied(augmenter.last_applied).replace("nothing", "nothing (every coin flip said no)")
            text = (f"draw #{self.draw}: shifts up to &plusmn;{abs(shift_ms):.0f} ms, pitch up to "
                    f"&plusmn;{abs(semitones):.1f} semitones, SNR {snr_db:.0f}-{max(snr_db, 40.0):.0f} dB, "
                    f"each applied with p = {p:.1f} (nothing at all with probability (1-p)<sup>3</sup> = "
                    f"{(1 - p) ** 3:.3f}). Applied this time: {html.escape(applied)}.")
            label = f"after: pipeline draw #{self.draw}"

        self._draw_wave("after", out, duration)
        self._draw_spec("after", S_out if transform == "pitch" else _log_mel(out), duration)
        self.set_readout(text)
        setting = {"shift": f"shift {shift_ms:+.0f} ms, rollover {'on' if rollover else 'off'}",
                   "pitch": f"{semitones:+.1f} semitones", "noise": f"SNR {snr_db:.0f} dB",
                   "pipeline": f"p = {p:.1f}, applied: {applied if transform == 'pipeline' else ''}"}[transform]
        peak = float(np.max(np.abs(out))) if len(out) else 0.0
        self._summary = f"{setting}; the result peaks at {peak:.2f} and lasts {len(out) / SR:.2f} s"
        self.players["after"].set(out, SR, label=label)

    def describe(self):
        return (self._described("Waveform (top) and log-mel spectrogram (bottom), before (left) and after (right)")
                + f": {self._summary}.")

    def add_sound(self, y, sr: int, name: str = "your recording") -> str:
        """Add a sound to the menu and show it, e.g. your own take from a :class:`~course_utils.recorder.Recorder`.

        The sound is made mono, resampled to the explorer's 22.05 kHz and cut to its first 5 s (like the other
        sounds). Each added sound gets a menu entry of its own, numbered (``"your recording 1 (1.4 s)"``), so a new
        take never shows a picture or a pitch shift kept from an older one.

        Args:
            y: samples, float, shape ``(n_samples,)`` (or ``(n_samples, n_channels)``), values in [-1, 1].
            sr: their sample rate in Hz.
            name: the start of the menu entry.

        Returns:
            The menu entry chosen for it.
        """
        from course_utils.recorder import Take, _mono_float32

        samples = Take(_mono_float32(y), int(sr)).resampled(SR)[: 5 * SR]
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"name must be a non-empty string, got {name!r}")
        if len(samples) < BLOCK_SIZE:
            raise ValueError(f"the sound is too short for the spectrogram: {len(samples) / SR * 1000:.0f} ms at "
                             f"{SR} Hz, at least {BLOCK_SIZE / SR * 1000:.0f} ms needed")
        self._added += 1
        entry = f"{name} {self._added} ({len(samples) / SR:.1f} s)"
        while entry in _cache:  # a name an earlier explorer gave another sound: its kept pictures are not this one's
            entry = f"{name} {self._added}.{next(_ADDED)} ({len(samples) / SR:.1f} s)"
        _cache[entry] = samples
        menu = self.controls["sound"]
        with self.hold():
            menu.options = [*menu.options, entry]
            menu.value = entry
        return entry

    def use_recorder(self, recorder) -> None:
        """Add every take of ``recorder`` to the menu as it arrives (and its latest take now, if any)."""
        recorder.on_take(lambda take: self.add_sound(take.samples, take.sr))
        if recorder.take is not None:
            self.add_sound(recorder.take.samples, recorder.take.sr)

    def _draw_wave(self, key, y, duration):
        self.lines[key].set_xy(_envelope(y))
        self.lines[key].axes.set_xlim(0, duration)

    def _draw_spec(self, key, S, duration):
        image = self.images[key]
        image.set_data(S)
        image.set_extent((0, duration, -0.5, N_MELS - 0.5))
        top = float(self.S_before.max())
        image.set_clim(top - 80, top)  # the same colour scale before and after: noise shows as brighter floor


_SPEC_TRANSFORMS = [
    ("time masks (XYMasking, x)", "time_mask"),
    ("frequency masks (XYMasking, y)", "frequency_mask"),
    ("time + frequency masks", "time_frequency_mask"),
    ("holes (CoarseDropout)", "coarse_dropout"),
    ("crop and resize (RandomResizedCrop)", "random_resized_crop"),
    ("time flip (HorizontalFlip)", "time_flip"),
    ("frequency flip (VerticalFlip)", "frequency_flip"),
    ("brightness/contrast (pixel-level)", "brightness_contrast"),
]
_AUDIO_MEANING = {
    "time_mask": "a short drop-out in time, like a lost packet; the label survives narrow masks",
    "frequency_mask": "a band-stop filter: those bands are missing; narrow bands keep the label",
    "time_frequency_mask": "SpecAugment's recipe: the model must not rely on any single band or moment",
    "coarse_dropout": "small patches missing; no simple audio counterpart, but harmless if small",
    "random_resized_crop": ("a zoom: time stretched (slower); on the mel axis each band moves by an amount that "
                            "depends on where it is"),
    "time_flip": "the sound played backwards: speech becomes gibberish, decays become swells",
    "frequency_flip": "low and high bands swap: no acoustic meaning at all",
    "brightness_contrast": "a gain in dB (brightness) and a change of dynamic range (contrast), if scaled correctly",
}


def _where_is_zero(low: float, high: float) -> str:
    """Where 0 dB (power 1, the reference of the course's log-mel spectrograms) lies in a value range."""
    if high < 0:
        return "all below 0 dB: 0 dB would be louder than anything here"
    if low > 0:
        return "all above 0 dB: 0 dB would be below the floor"
    return f"0 dB = power 1 lies {100 * (0 - low) / (high - low):.0f}% of the way up from the floor"


@register("spectrogram_augmentation")
class SpectrogramAugmentationExplorer(_RandomDrawExplorer):
    """Computer-vision transforms (albumentations) on a log-mel spectrogram, before and after."""

    title = "Spectrogram augmentation with an image library (albumentations)"
    help = ("Choose a transform and its parameters. With the brightness/contrast transform, untick 'scale to "
            "[0, 1] and back' to see what happens when dB values go straight into albumentations (the other "
            "transforms keep the values either way); choose the fill to see what a mask means in dB.")
    figsize = (10.0, 3.8)
    # the mask sliders act for the masking transforms, the crop slider for the crop, the check box for the
    # pixel-level transform (greyed out otherwise)
    sweep_requires = {"n_masks": {"transform": "time_frequency_mask"},
                      "mask_width": {"transform": "time_frequency_mask"},
                      "fill": {"transform": "time_frequency_mask"},
                      "crop_scale": {"transform": "random_resized_crop"},
                      "unit_range": {"transform": "brightness_contrast"}}

    def make_controls(self):
        return {
            "sound": dropdown("sound", [name for name in _SOUNDS if not name.startswith("synthetic")]),
            "transform": dropdown("transform", _SPEC_TRANSFORMS, "time_frequency_mask"),
            "n_masks": slider("masks / holes", 2, 1, 6, 1),
            "mask_width": slider("mask width (frames or bins)", 8, 1, 40, 1),
            "crop_scale": slider("crop: area kept", 0.5, 0.2, 1.0, 0.05),
            "fill": dropdown("fill of masked cells", [("floor (minimum) = silence", "min"), ("mean level", "mean"),
                                                      ("0 dB (albumentations' default fill=0)", 0.0)], "min"),
            "unit_range": checkbox("scale to [0, 1] and back", True),
        }

    def build(self, fig):
        self.ax_before, self.ax_after = fig.subplots(1, 2, sharey=True)
        self.images = {}
        for key, ax in (("before", self.ax_before), ("after", self.ax_after)):
            self.images[key] = ax.imshow(np.zeros((N_MELS, 2)), origin="lower", aspect="auto",
                                         interpolation="nearest", extent=(0, 1, -0.5, N_MELS - 0.5))
            ax.set(xlabel="time (s)", title=key)
            ax.grid(False)
        self.ax_before.set_ylabel("mel band")
        fig.colorbar(self.images["after"], ax=[self.ax_before, self.ax_after], label="dB", pad=0.01)
        self._sound_name = None

    def dynamic_artists(self):
        return list(self.images.values())

    def update(self, sound, transform, n_masks, mask_width, crop_scale, fill, unit_range):
        masking = transform in ("time_mask", "frequency_mask", "time_frequency_mask", "coarse_dropout")
        self.controls["n_masks"].disabled = not masking
        self.controls["mask_width"].disabled = not masking
        self.controls["fill"].disabled = not masking
        self.controls["crop_scale"].disabled = transform != "random_resized_crop"
        # only the pixel-level transform clips dB values; for the others the mapping changes nothing
        self.controls["unit_range"].disabled = transform != "brightness_contrast"
        if sound != self._sound_name:
            self._sound_name = sound
            self.S = _log_mel(_sound(sound))
            duration = self.S.shape[1] * HOP_SIZE / SR
            for image in self.images.values():
                image.set_extent((0, duration, -0.5, N_MELS - 0.5))
                image.set_clim(float(self.S.min()), float(self.S.max()))
            self.images["before"].set_data(self.S)
        n_bins, n_frames = self.S.shape
        if transform == "frequency_mask":
            mask_width = min(mask_width, n_bins)
        out = spec.augment_spectrogram(self.S, transform, n_masks=n_masks, mask_width=mask_width,
                                       crop_scale=crop_scale, fill=fill, unit_range=unit_range, seed=self.draw)
        self.images["after"].set_data(out)
        changed = float(np.mean(np.abs(out - self.S) > 1e-3))
        low, high = float(self.S.min()), float(self.S.max())
        out_low, out_high = float(out.min()), float(out.max())
        text = (f"{html.escape(spec.SPECTROGRAM_TRANSFORMS[transform])}. Audio meaning: "
                f"{html.escape(_AUDIO_MEANING[transform])}.<br>"
                f"Spectrogram {n_bins} bands &times; {n_frames} frames, values {low:.1f} to {high:.1f} dB "
                f"({_where_is_zero(low, high)}). After: {out_low:.1f} to "
                f"{out_high:.1f} dB, {changed:.0%} of the cells changed (draw #{self.draw}).")
        if not unit_range and out_low >= 0 and out_high <= 1:
            text += (f"<br><b style='color:#b3261e'>The values were clipped to [0, 1]:</b> "
                     f"{np.mean(out == 0):.0%} of the cells are exactly 0 (every negative dB value) - "
                     f"the spectrogram is gone.")
        if masking:
            fill_db = spec._fill_db(fill, self.S)
            if unit_range:
                fill_db = min(max(fill_db, low), high)
            text += f"<br>Masked cells are set to {fill_db:.1f} dB"
            if np.isclose(fill_db, low):
                text += " (the floor: what silence looks like)."
            elif fill_db >= high:
                text += " (at or above the loudest cell: the masks look like bursts of loud noise)."
            else:
                text += (f", {100 * (fill_db - low) / (high - low):.0f}% of the way from the floor to the loudest "
                         f"cell: the masks look like steady sound, not like a gap.")
        self.set_readout(text)
        self._summary = (f"{changed:.0%} of the {n_bins} × {n_frames} cells changed, values after {out_low:.1f} to "
                         f"{out_high:.1f} dB (before {low:.1f} to {high:.1f} dB)")

    def describe(self):
        return self._described("Log-mel spectrogram before (left) and after (right)") + f": {self._summary}."

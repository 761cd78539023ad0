"""The explorers of notebook 03: every control works, and the controls that should change the picture do."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.widgets import EXPLORERS, sweep_values


@pytest.fixture(scope="module")
def audio_explorer():
    return EXPLORERS["audio_augmentation"]()


@pytest.fixture(scope="module")
def spec_explorer():
    return EXPLORERS["spectrogram_augmentation"]()


def test_registered():
    assert "audio_augmentation" in EXPLORERS and "spectrogram_augmentation" in EXPLORERS


def _sweep_changes(explorer, name, values=None):
    control = explorer.controls[name]
    pictures = set()
    for value in values or sweep_values(control, 4):
        control.value = value
        assert explorer.error is None, (name, value, explorer.error)
        pictures.add(explorer.snapshot())
    return len(pictures)


@pytest.mark.parametrize("transform, control", [
    ("shift", "shift_ms"), ("shift", "rollover"), ("pitch", "semitones"), ("noise", "snr_db"),
    ("pipeline", "p"), ("pipeline", "semitones"),
])
def test_audio_controls_change_the_picture(audio_explorer, transform, control):
    e = audio_explorer
    with e.hold():
        e.controls["transform"].value = transform
        e.controls["shift_ms"].value = 200.0
    if control == "p":
        values = [0.0, 1.0]
    elif control == "rollover":
        values = [True, False]
    else:
        values = None
    assert _sweep_changes(e, control, values) > 1
    assert not e.controls[control].disabled


def test_audio_irrelevant_controls_are_disabled_and_players_set(audio_explorer):
    e = audio_explorer
    e.controls["transform"].value = "pitch"
    assert e.controls["shift_ms"].disabled and e.controls["snr_db"].disabled and e.controls["p"].disabled
    assert not e.controls["semitones"].disabled
    assert e.players["before"].samples is not None and e.players["after"].samples.dtype == np.float32
    assert "semitones" in e.readout.value


def test_audio_every_transform_and_sound(audio_explorer):
    e = audio_explorer
    for transform in sweep_values(e.controls["transform"]):
        e.controls["transform"].value = transform
        assert e.error is None, (transform, e.error)
    assert _sweep_changes(e, "sound") == len(e.controls["sound"].options)
    for name in ("shift_ms", "semitones", "snr_db", "p", "rollover"):
        _sweep_changes(e, name)


def test_audio_new_random_draw(audio_explorer):
    e = audio_explorer
    with e.hold():
        e.controls["transform"].value = "noise"
        e.controls["snr_db"].value = 5.0
    before = e.players["after"].samples.copy()
    e.buttons["New random draw"].click_now()
    assert e.error is None
    assert not np.array_equal(before, e.players["after"].samples)
    with e.hold():
        e.controls["transform"].value = "pipeline"
        e.controls["p"].value = 1.0
    first = e.snapshot()
    e.buttons["New random draw"].click_now()
    assert e.snapshot() != first


@pytest.mark.parametrize("transform, control", [
    ("time_mask", "n_masks"), ("time_mask", "mask_width"), ("frequency_mask", "mask_width"),
    ("coarse_dropout", "n_masks"), ("random_resized_crop", "crop_scale"), ("time_frequency_mask", "fill"),
    ("brightness_contrast", "unit_range"),
])
def test_spectrogram_controls_change_the_picture(spec_explorer, transform, control):
    e = spec_explorer
    with e.hold():
        e.controls["transform"].value = transform
        e.controls["mask_width"].value = 8
        e.controls["n_masks"].value = 2
    assert _sweep_changes(e, control) > 1
    assert not e.controls[control].disabled


def test_spectrogram_every_transform_and_the_clipping_warning(spec_explorer):
    e = spec_explorer
    pictures = set()
    for transform in sweep_values(e.controls["transform"], 20):
        e.controls["transform"].value = transform
        assert e.error is None, (transform, e.error)
        pictures.add(e.snapshot())
    assert len(pictures) == len(e.controls["transform"].options)
    with e.hold():
        e.controls["transform"].value = "brightness_contrast"
        e.controls["unit_range"].value = False
    assert "clipped to [0, 1]" in e.readout.value
    e.controls["unit_range"].value = True
    assert "clipped" not in e.readout.value
    for name in e.controls:
        _sweep_changes(e, name)
    e.buttons["New random draw"].click_now()
    assert e.error is None


def test_audio_explorer_after_a_change_of_sound_equals_a_full_redraw():
    """The cached background must never show stale parts after the sound changes (blitting)."""
    import io

    from PIL import Image

    explorer = EXPLORERS["audio_augmentation"]()
    sounds = [option[1] if isinstance(option, tuple) else option for option in explorer.controls["sound"].options]
    for sound in sounds[1:] + sounds[:1]:
        explorer.controls["sound"].value = sound
        blitted = explorer.snapshot()
        explorer.request_full_draw()
        explorer.refresh()
        pixels = [np.asarray(Image.open(io.BytesIO(png))) for png in (blitted, explorer.snapshot())]
        assert np.array_equal(*pixels), sound


def test_a_kept_pitch_shift_gives_the_same_picture_and_sound_as_a_new_one():
    import course_utils.explorers.augmentation as module

    explorer = EXPLORERS["audio_augmentation"](transform="pitch", semitones=3.0)
    kept = (explorer.snapshot(), explorer.players["after"].samples.copy())
    explorer.controls["semitones"].value = -2.0
    module._PITCH_CACHE.clear()
    explorer.controls["semitones"].value = 3.0  # shifted again
    fresh = (explorer.snapshot(), explorer.players["after"].samples)
    explorer.controls["semitones"].value = -2.0
    explorer.controls["semitones"].value = 3.0  # the kept one
    assert kept[0] == fresh[0] == explorer.snapshot()
    np.testing.assert_array_equal(kept[1], fresh[1])
    assert len(module._PITCH_CACHE) <= module.PITCH_SHIFTS_KEPT


def test_a_new_explorer_never_shows_an_older_takes_pitch_shift():
    """Sounds added by two explorers under the same name get different menu entries (the pitch cache is keyed by it)."""
    from course_utils.widgets import EXPLORERS

    sr = 22050
    t = np.arange(int(5.5 * sr)) / sr  # longer than 5 s: both are cut to the same length, hence the same label
    entries, peaks = [], []
    for freq in (200.0, 800.0):
        explorer = EXPLORERS["audio_augmentation"](transform="pitch", semitones=4.0)
        entries.append(explorer.add_sound((0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32), sr))
        after = explorer.players["after"].samples
        spectrum = np.abs(np.fft.rfft(after * np.hanning(len(after))))
        peaks.append(float(np.fft.rfftfreq(len(after), 1 / sr)[np.argmax(spectrum)]))
    assert entries[0] != entries[1]
    np.testing.assert_allclose(peaks, [200 * 2 ** (4 / 12), 800 * 2 ** (4 / 12)], rtol=0.02)


def test_the_pipeline_s_kept_pitch_shifts_give_the_samples_of_a_fresh_pipeline():
    """Over a sweep of p, the pipeline with kept pitch shifts gives every sample a fresh pipeline gives, and it
    pitch-shifts fewer times than there are values (one draw needs only a few different shifts)."""
    import course_utils.augmentation as aug
    import course_utils.explorers.augmentation as module

    y = module._sound("synthetic note C4 (2 s)")
    module._PIPELINE_PITCH_CACHE.clear()
    p_values = [0.3, 0.5, 0.7, 0.9, 1.0, 0.7, 0.5, 0.3]
    settings = dict(shift_max_ms=200.0, rollover=False, semitones=4.0, snr_db=(60.0, 60.0), seed=3)
    shifts = 0
    for p in p_values:
        fresh = aug.make_audio_augmenter(p=p, **settings)
        expected = fresh(y, module.SR)
        kept = aug.make_audio_augmenter(p=p, **settings)
        module._keep_pipeline_pitch_shifts(kept)
        before = len(module._PIPELINE_PITCH_CACHE)
        out = kept(y, module.SR)
        shifts += len(module._PIPELINE_PITCH_CACHE) - before
        np.testing.assert_array_equal(out, expected)
        assert kept.last_applied == fresh.last_applied
    assert 1 <= shifts < len(set(p_values))
    assert len(module._PIPELINE_PITCH_CACHE) <= module.PIPELINE_PITCH_SHIFTS_KEPT

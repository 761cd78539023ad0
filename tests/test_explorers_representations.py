"""The explorers of notebook 01: every control works, changes the picture, and shows the right numbers."""

from __future__ import annotations

import re

import numpy as np
import pytest

from course_utils.explorers import representations as ex
from course_utils.representations import (
    frame_signal,
    log_mel_spectrogram,
    mfcc_frames,
    n_frames,
    n_patches,
    samples_to_ms,
)
from course_utils.widgets import EXPLORERS, sweep_values

N = int(ex.DURATION * ex.SR)


def _sweep(explorer, name, max_values=4):
    """Move one control through its range; return how many distinct pictures it produced."""
    control = explorer.controls[name]
    pictures = {explorer.snapshot()}
    for value in sweep_values(control, max_values=max_values):
        control.value = value
        assert explorer.error is None, f"{name}={value!r}: {explorer.error!r}"
        pictures.add(explorer.snapshot())
    return len(pictures)


def _bold_number(readout):
    return int(re.search(r"<b>(\d+)</b>", readout).group(1))


@pytest.fixture(scope="module")
def framing():
    return EXPLORERS["framing"]()


@pytest.fixture(scope="module")
def spectrogram():
    return EXPLORERS["spectrogram"]()


@pytest.fixture(scope="module")
def patches():
    return EXPLORERS["patches"]()


def test_registered():
    assert EXPLORERS["framing"] is ex.FramingExplorer
    assert EXPLORERS["spectrogram"] is ex.SpectrogramExplorer
    assert EXPLORERS["patches"] is ex.PatchExplorer


def test_clips_are_five_seconds_at_22050():
    for _, key in ex.SIGNALS:
        y = ex.clip(key)
        assert y.shape == (N,) and y.dtype == np.float32 and np.all(np.isfinite(y))
    with pytest.raises(ValueError, match="signal"):
        ex.clip("nope")


# ----------------------------------------------------------------------------------------------
# Framing

@pytest.mark.parametrize("name", ["signal", "block_size", "hop", "position"])
def test_framing_controls_change_the_picture(framing, name):
    assert framing.error is None
    assert _sweep(framing, name) > 1


def test_framing_hop_in_samples_is_clamped_to_the_block(framing):
    with framing.hold():
        framing.controls["hop"].value = None
        framing.controls["block_size"].value = 1024
    assert not framing.controls["hop_size"].disabled
    assert framing.controls["hop_size"].max == 1024
    assert _sweep(framing, "hop_size") > 1
    framing.controls["hop_size"].value = 1000
    framing.controls["block_size"].value = 256
    assert framing.error is None
    assert framing.controls["hop_size"].value <= 256
    framing.controls["hop"].value = 0.25
    assert framing.controls["hop_size"].disabled and framing.controls["hop_size"].value == 64


@pytest.mark.parametrize("block, hop", [(64, 0.125), (1024, 0.5), (4096, 1.0), (2048, 0.25)])
def test_framing_readout_and_frame_player(framing, block, hop):
    with framing.hold():
        framing.controls["signal"].value = "speech"
        framing.controls["block_size"].value = block
        framing.controls["hop"].value = hop
        framing.controls["position"].value = 2.0
    assert framing.error is None
    hop_size = int(block * hop)
    count = n_frames(N, block, hop_size)
    assert _bold_number(framing.readout.value) == count
    assert f"{count} × {block}" in framing.readout.value
    assert f"{100 * (1 - hop):.1f} %" in framing.readout.value
    assert f"1 + ⌊N / H_f⌋ = {1 + N // hop_size}" in framing.readout.value
    frames = frame_signal(ex.clip("speech"), block, hop_size)
    selected = min(count - 1, round(2.0 * ex.SR / hop_size))
    player = framing.players["selected frame"]
    np.testing.assert_array_equal(player.samples, frames[selected])
    assert framing.players["clip"].samples.shape == (N,)
    assert len(framing.frame_bars.get_paths()) + 1 <= ex.MAX_OUTLINES


def test_framing_caps_the_outlines():
    explorer = ex.FramingExplorer(hop=None, block_size=4096)
    explorer.controls["hop_size"].value = 8  # 2560 frames overlap the zoomed view
    assert explorer.error is None
    assert len(explorer.frame_bars.get_paths()) == ex.MAX_OUTLINES - 1
    assert f"bars: {ex.MAX_OUTLINES} of 13270 frames" in explorer.ax_zoom.get_title()


def test_the_frame_tensor_keeps_real_frames_and_pools_samples_by_peak_magnitude():
    rng = np.random.default_rng(0)
    frames = rng.normal(size=(1003, 2048)).astype(np.float32)
    image, row_step, group = ex._shrink_frames(frames, max_rows=400, max_cols=500)
    assert (row_step, group) == (3, 5) and image.shape == (335, 410)
    for r, c in [(0, 0), (17, 99), (334, 409)]:
        samples = frames[3 * r, 5 * c: 5 * c + 5]  # drawn row r is frame 3 r; a pixel is its largest |x|, sign kept
        assert image[r, c] == samples[np.abs(samples).argmax()]
    image, row_step, group = ex._shrink_frames(frames[:300, :400])
    assert (row_step, group) == (1, 1) and np.array_equal(image, frames[:300, :400])  # small enough: as it is


def test_framing_tensor_title_says_how_it_is_pooled():
    explorer = ex.FramingExplorer(block_size=1024, hop=0.125)
    assert explorer.ax_tensor.get_title().endswith("X: 854 × 1024\n(1 in 3 frames; 3-sample peaks)")
    explorer.controls["block_size"].value = 256
    explorer.controls["hop"].value = 1.0
    assert explorer.ax_tensor.get_title().endswith("(1 in 2 frames)")  # 430 frames of 256 samples


# ----------------------------------------------------------------------------------------------
# Spectrogram / MFCC

@pytest.mark.parametrize("name", ["signal", "block_size", "hop", "n_mels", "n_mfcc", "linear_fmax"])
def test_spectrogram_controls_change_the_picture(spectrogram, name):
    assert _sweep(spectrogram, name) > 1


def test_spectrogram_numbers_match_the_package(spectrogram):
    with spectrogram.hold():
        spectrogram.controls["signal"].value = "trumpet"
        spectrogram.controls["block_size"].value = 2048
        spectrogram.controls["hop"].value = 0.25
        spectrogram.controls["n_mels"].value = 64
        spectrogram.controls["n_mfcc"].value = 20
    y = ex.clip("trumpet")
    np.testing.assert_allclose(ex._mel_db("trumpet", 2048, 512, 64), log_mel_spectrogram(y, ex.SR, 2048, 512, 64),
                               atol=1e-3)
    np.testing.assert_allclose(ex._mfcc("trumpet", 2048, 512, 64, 20),
                               mfcc_frames(y, ex.SR, 2048, 512, n_mfcc=20, n_mels=64), rtol=1e-4, atol=2e-3)
    count = n_frames(N, 2048, 512)
    assert _bold_number(spectrogram.readout.value) == count
    assert f"MFCC X ({count} × 20)" in spectrogram.readout.value
    assert "10.8 Hz per bin" in spectrogram.readout.value


def test_n_mfcc_never_exceeds_n_mels(spectrogram):
    spectrogram.controls["n_mfcc"].value = 40
    spectrogram.controls["n_mels"].value = 16
    assert spectrogram.error is None
    assert spectrogram.controls["n_mfcc"].value <= 16
    assert "× 16)" in spectrogram.readout.value


def test_empty_mel_bands_are_reported(spectrogram):
    with spectrogram.hold():
        spectrogram.controls["block_size"].value = 256
        spectrogram.controls["n_mels"].value = 128
    assert spectrogram.error is None
    assert "mel bands are empty" in spectrogram.readout.value


# ----------------------------------------------------------------------------------------------
# Patches

@pytest.mark.parametrize("name", ["signal", "hop_size", "patch_length", "patch_hop"])
def test_patch_controls_change_the_picture(name):
    # a fresh explorer: after a sweep to the longest patch only one patch is left, whatever the hop
    assert _sweep(EXPLORERS["patches"](), name) > 1


@pytest.mark.parametrize("name", ["framing", "spectrogram", "patches"])
def test_no_control_redraws_the_whole_figure(name, count_full_draws):
    # the latency budget rests on this: axes that follow a control are dynamic artists, the rest of the
    # figure is drawn once (a full redraw costs about as much again as a blitted update)
    explorer = EXPLORERS[name]()
    full_draws = count_full_draws(explorer)
    for control_name, control in explorer.controls.items():
        with explorer.hold():
            for other, value in explorer.sweep_requires.get(control_name, {}).items():
                explorer.controls[other].value = value
        full_draws.clear()
        for value in sweep_values(control, max_values=4):
            control.value = value
        assert not full_draws, f"{name}.{control_name} redrew the whole figure"


@pytest.mark.parametrize("hop_size, length, hop", [(512, 32, 16), (256, 96, 48), (128, 10, 3), (512, 20, 40)])
def test_patch_readout(patches, hop_size, length, hop):
    with patches.hold():
        patches.controls["hop_size"].value = hop_size
        patches.controls["patch_length"].value = length
        patches.controls["patch_hop"].value = hop
    assert patches.error is None
    count_frames = n_frames(N, patches.block_size, hop_size)
    count = n_patches(count_frames, length, hop)
    assert _bold_number(patches.readout.value) == count
    assert f"{count} × {patches.n_mels} × {length}" in patches.readout.value
    # a patch spans from its first frame's start to its last frame's end
    span = samples_to_ms((length - 1) * hop_size + patches.block_size, ex.SR) / 1000
    assert f"one patch covers {length} frames = {span:.2f} s" in patches.readout.value
    if hop > length:  # a gap, not a negative overlap
        assert f"so {hop - length} frames between two patches are skipped" in patches.readout.value
        assert len(patches.dropped.get_paths()) == count - 1 + (count_frames > (count - 1) * hop + length)
        assert "overlap -" not in patches.readout.value
    else:
        assert f"patch overlap {100 * (length - hop) / length:.0f} %" in patches.readout.value
    shown = [image for image in patches.patch_images if image.get_visible()]
    assert len(shown) == min(count, patches.n_shown)
    S = ex._mel_db(patches.controls["signal"].value, patches.block_size, hop_size, patches.n_mels)
    if count > 1:
        np.testing.assert_array_equal(shown[1].get_array(), S[:, hop: hop + length])


def test_patch_length_is_clamped_to_the_spectrogram(patches):
    patches.controls["patch_length"].value = 128
    patches.controls["hop_size"].value = 1024  # only 107 frames
    assert patches.error is None
    assert patches.controls["patch_length"].value <= n_frames(N, 1024, 1024)

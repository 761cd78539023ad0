"""Explorers of notebook 01: framing a signal, spectrogram and MFCCs, spectrogram patches.

Notebook: ``01_audio_representations.ipynb``.

Every explorer works on the same three 5 s clips (speech, trumpet, a chirp with clicks) at 22.05 kHz,
loaded once per process. Spectrograms are cached by their parameters, so a control that only changes
the view (the selected frame, the number of MFCCs, the patch layout) recomputes nothing expensive.
"""

from __future__ import annotations

import warnings
from functools import lru_cache

import numpy as np
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.patches import Polygon, Rectangle

from course_utils.representations import (
    extract_patches,
    frame_signal,
    frequency_resolution,
    n_frames,
    overlap_percent,
    samples_to_ms,
)
from course_utils.explorer_state import format_value
from course_utils.widgets import Explorer, checkbox, dropdown, register, selection_slider, show_colours, slider

SR = 22050
DURATION = 5.0

#: The explorers' signals: label -> key for :func:`clip`.
SIGNALS = [("speech (LibriSpeech)", "speech"), ("trumpet", "trumpet"), ("chirp with clicks", "chirp")]

BLOCK_SIZES = [2**k for k in range(6, 13)]  # 64 ... 4096
HOP_FRACTIONS = [("1/8", 0.125), ("1/4", 0.25), ("1/2", 0.5), ("1", 1.0), ("in samples", None)]
MAX_OUTLINES = 60


@lru_cache(maxsize=None)
def clip(name: str) -> np.ndarray:
    """One of the explorers' 5 s signals at 22.05 kHz, shape ``(110250,)``, float32 (cached, read-only)."""
    if name == "chirp":
        from course_utils.signals import chirp_with_clicks

        y = chirp_with_clicks(DURATION, SR)
    elif name in ("speech", "trumpet"):
        from course_utils.data import load_example

        y, _ = load_example("libri1" if name == "speech" else "trumpet", sr=SR, duration=DURATION)
        y = np.pad(y, (0, max(0, int(DURATION * SR) - len(y))))
    else:
        raise ValueError(f"signal must be one of {[key for _, key in SIGNALS]}, got {name!r}")
    y = np.ascontiguousarray(y, dtype=np.float32)
    y.flags.writeable = False
    return y


def _thin(image: np.ndarray, max_rows: int = 400, max_cols: int = 500) -> np.ndarray:
    """Every k-th row/column of an image so that at most ``max_rows`` x ``max_cols`` remain (a view).

    The figure is only a few hundred pixels wide, so more data would be resampled away anyway; thinning it
    first keeps every redraw within the latency budget.
    """
    rows = -(-image.shape[0] // max_rows)
    cols = -(-image.shape[1] // max_cols)
    return image[::rows, ::cols]


def _shrink_frames(frames: np.ndarray, max_rows: int = 400, max_cols: int = 500) -> tuple[np.ndarray, int, int]:
    """Shrink the frame tensor for display, shape at most ``(max_rows, max_cols)``.

    Rows (frames) are skipped, so that every drawn row is a real frame. Columns (samples within a frame)
    are pooled: each pixel is the sample of largest magnitude in its group, sign kept; skipping samples
    instead would alias, so that a sweep turned into moiré patterns that look like content.
    Returns ``(image, frames per drawn row, samples per pixel)``.
    """
    row_step = -(-frames.shape[0] // max_rows)
    image = frames[::row_step]
    group = -(-image.shape[1] // max_cols)
    if group > 1:
        padded = np.pad(image, ((0, 0), (0, (-image.shape[1]) % group)))
        groups = padded.reshape(padded.shape[0], -1, group)
        peak = np.abs(groups).argmax(axis=2)
        image = np.take_along_axis(groups, peak[..., np.newaxis], axis=2)[..., 0]
    return image, row_step, group


def _pool_max(image: np.ndarray, max_rows: int = 400, max_cols: int = 600) -> np.ndarray:
    """Shrink a spectrogram for display by taking the maximum over groups of rows/columns.

    Unlike skipping rows, the maximum keeps narrow peaks (harmonics, clicks) visible.
    """
    for axis, limit in ((0, max_rows), (1, max_cols)):
        k = -(-image.shape[axis] // limit)
        if k > 1:
            pad = (-image.shape[axis]) % k
            widths = [(0, 0), (0, 0)]
            widths[axis] = (0, pad)
            padded = np.pad(image, widths, mode="edge")
            shape = (padded.shape[0] // k, k, padded.shape[1]) if axis == 0 else (padded.shape[0], padded.shape[1] // k, k)
            image = padded.reshape(shape).max(axis=axis + 1)
    return image


def _n(count: int, noun: str) -> str:
    """``count`` with its noun, plural unless the count is one ("1 sample", "2 samples")."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _few_ticks(*axes, n: int = 5) -> None:
    """Fewer tick labels: text is the most expensive thing matplotlib draws."""
    from matplotlib.ticker import MaxNLocator

    for ax in axes:
        ax.xaxis.set_major_locator(MaxNLocator(n))
        ax.yaxis.set_major_locator(MaxNLocator(n))


def _preload() -> None:
    """Load every clip once, so that switching signals never waits for a file (cached per process)."""
    for _, key in SIGNALS:
        clip(key)


def _envelope(y: np.ndarray, n_points: int = 1000, start: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A min/max outline of a long signal as one zig-zag line (cheap to draw, looks like the waveform).

    Returns times in seconds (sample ``start`` of the whole signal is ``y[0]``) and values; a signal of at
    most ``2 * n_points`` samples is returned sample by sample.
    """
    if len(y) <= 2 * n_points:
        return (start + np.arange(len(y))) / SR, y
    chunk = -(-len(y) // n_points)
    usable = (len(y) // chunk) * chunk
    blocks = y[:usable].reshape(-1, chunk)
    x = (start + np.repeat(np.arange(blocks.shape[0]) * chunk + chunk / 2, 2)) / SR
    v = np.empty(2 * blocks.shape[0], dtype=np.float32)
    v[0::2], v[1::2] = blocks.min(axis=1), blocks.max(axis=1)
    return x, v


# --------------------------------------------------------------------------------------------------
# Cached spectral computations (one STFT per signal, block and hop)

@lru_cache(maxsize=32)
def _power(name: str, block_size: int, hop_size: int) -> np.ndarray:
    import librosa

    # center=False: column i is the spectrum of frame i of frame_signal (same block and hop)
    spectrum = librosa.stft(clip(name), n_fft=block_size, hop_length=hop_size, center=False)
    return (np.abs(spectrum) ** 2).astype(np.float32)


@lru_cache(maxsize=32)
def _power_db(name: str, block_size: int, hop_size: int) -> np.ndarray:
    return (10 * np.log10(np.maximum(_power(name, block_size, hop_size), 1e-10))).astype(np.float32)


@lru_cache(maxsize=16)
def _mel_basis(block_size: int, n_mels: int) -> np.ndarray:
    import librosa

    with warnings.catch_warnings():  # empty bands are reported in the readout instead
        warnings.simplefilter("ignore", UserWarning)
        return librosa.filters.mel(sr=SR, n_fft=block_size, n_mels=n_mels).astype(np.float32)


@lru_cache(maxsize=32)
def _mel_db(name: str, block_size: int, hop_size: int, n_mels: int) -> np.ndarray:
    """Equals ``log_mel_spectrogram(clip(name), SR, block_size, hop_size, n_mels)`` (tested)."""
    import librosa

    mel = _mel_basis(block_size, n_mels) @ _power(name, block_size, hop_size)
    return librosa.power_to_db(mel, ref=1.0, amin=1e-10, top_db=80.0).astype(np.float32)


@lru_cache(maxsize=64)
def _mfcc(name: str, block_size: int, hop_size: int, n_mels: int, n_mfcc: int) -> np.ndarray:
    """Equals ``mfcc_frames(clip(name), SR, block_size, hop_size, n_mfcc, n_mels)`` (tested), shape (n_frames, n_mfcc)."""
    from scipy.fft import dct

    coefficients = dct(_mel_db(name, block_size, hop_size, n_mels), axis=0, type=2, norm="ortho")[:n_mfcc]
    return np.ascontiguousarray(coefficients.T, dtype=np.float32)


def _mel_ticks(ax, n_mels: int, fmax: float = SR / 2) -> None:
    """Label a mel-band axis (bands by index) with the bands' centre frequencies in Hz."""
    import librosa

    centres = librosa.mel_frequencies(n_mels=n_mels + 2, fmax=fmax)[1:-1]
    ticks = np.unique(np.linspace(0, n_mels - 1, 5).round().astype(int))
    ax.set_yticks(ticks, [f"{centres[i]:.0f}" for i in ticks])


# --------------------------------------------------------------------------------------------------

@register("framing")
class FramingExplorer(Explorer):
    """Cut a 5 s signal into frames: waveform with frame outlines, the frame tensor, N_f and the overlap."""

    title = "Framing: block size, hop size and the frame tensor X ∈ R^(N_f × W_f)"
    help = ("Pick a block size and a hop; the bars under the zoomed waveform are the frames (the selected one "
            "in orange; overlapping frames are spread over up to 8 rows, so at very small hops bars share a "
            f"row, and only the {MAX_OUTLINES} frames nearest the selected one get a bar; hatched: the tail that is in no "
            "frame). 'frame at (s)' picks the frame you hear below; the black line marks it in the frame tensor.")
    figsize = (9.5, 4.3)
    player_names = ("clip", "selected frame")
    zoom_blocks = 5  # the zoomed view spans this many blocks around the selected frame
    sweep_requires = {"hop_size": {"hop": None}}  # the hop in samples acts only in "in samples" mode
    lanes = 8  # overlapping frames are drawn in this many rows of bars
    ZOOM_BOTTOM = -1.95  # the zoomed view's amplitude axis: waveform above -1.05, rows of bars below

    def make_controls(self):
        return {
            "signal": dropdown("signal", SIGNALS, "chirp"),
            "block_size": selection_slider("block size W_f (samples)", BLOCK_SIZES, 1024),
            "hop": dropdown("hop H_f (fraction of W_f)", HOP_FRACTIONS, 0.5),
            "hop_size": slider("hop H_f in samples", 512, 1, 4096),
            "position": slider("frame at (s)", 1.0, 0.0, DURATION, 0.01, readout_format=".3f"),
        }

    def build(self, fig):
        _preload()
        grid = fig.add_gridspec(2, 2, width_ratios=(1.7, 1), height_ratios=(1, 2))
        self.ax_all = fig.add_subplot(grid[0, 0])
        self.ax_zoom = fig.add_subplot(grid[1, 0])
        self.ax_tensor = fig.add_subplot(grid[:, 1])

        self.all_fill = Polygon(np.zeros((2, 2)), closed=True, facecolor="0.45", edgecolor="none")
        self.ax_all.add_patch(self.all_fill)
        self.zoom_span = Rectangle((0, -1.0), 0, 2.0, color="C1", alpha=0.3, lw=0)
        self.ax_all.add_patch(self.zoom_span)
        self.ax_all.set(xlim=(0, DURATION), ylim=(-1.05, 1.05), ylabel="whole clip", xlabel="time (s)", yticks=[])

        (self.zoom_line,) = self.ax_zoom.plot([], [], lw=0.8, color="C0")
        self.selected_span = Rectangle((0, -1.0), 0, 2.0, color="C1", alpha=0.18, lw=0)
        self.ax_zoom.add_patch(self.selected_span)
        self.frame_bars = PolyCollection([], facecolors=(0.17, 0.63, 0.17, 0.3), edgecolors="C2", linewidths=1.0)
        self.selected_bar = PolyCollection([], facecolors="C1", edgecolors="C1", alpha=0.9)
        self.ax_zoom.add_collection(self.frame_bars)
        self.ax_zoom.add_collection(self.selected_bar)
        self.tail_span = Rectangle((0, -1.0), 0, 2.0, facecolor="0.6", alpha=0.5, hatch="//", lw=0)
        self.ax_zoom.add_patch(self.tail_span)
        self.ax_zoom.set(xlabel="time from the start of the selected frame (ms)", ylabel="amplitude",
                         ylim=(self.ZOOM_BOTTOM, 1.1))

        self.tensor_image = self.ax_tensor.imshow(np.zeros((2, 2)), aspect="auto", cmap="RdBu_r",
                                                  interpolation="nearest", vmin=-1, vmax=1)
        self.tensor_marker = self.ax_tensor.axhline(0, color="black", lw=1.5)  # visible on red and blue rows
        self.ax_tensor.set(xlabel="sample within frame\n(0 … W_f − 1)", ylabel="frames (rows) by start time (s)")
        self.ax_tensor.grid(False)
        _few_ticks(self.ax_all, self.ax_zoom, self.ax_tensor, n=3)
        self.ax_zoom.set_yticks([-1, 0, 1])  # the waveform's full scale, not the rows of bars below it
        self._signal = None

    def dynamic_artists(self):
        # the block size changes the time axes of the zoomed view and of the tensor: those two x axes are
        # redrawn with the data, so no control needs a redraw of the whole figure
        return [self.ax_zoom.xaxis, self.ax_tensor.xaxis, self.all_fill, self.zoom_span, self.selected_span, self.tail_span, self.zoom_line, self.frame_bars,
                self.selected_bar, self.ax_zoom.title, self.tensor_image, self.tensor_marker, self.ax_tensor.title,
                *self.ax_tensor.spines.values()]

    def _hop(self, block_size, hop, hop_size):
        control = self.controls["hop_size"]
        if hop is None:
            control.disabled = False
            return self.cap("hop_size", block_size)  # the hop never exceeds the block
        control.disabled = True
        control.max = block_size
        control.value = int(block_size * hop)
        return control.value

    def update(self, signal, block_size, hop, hop_size, position):
        y = clip(signal)
        hop_size = self._hop(block_size, hop, hop_size)
        n = len(y)
        frames = frame_signal(y, block_size, hop_size)
        count = frames.shape[0]
        # one step of the slider (an arrow key) moves to the next frame: a step is one hop
        self.controls["position"].step = hop_size / SR
        selected = int(min(count - 1, round(position * SR / hop_size)))
        start = selected * hop_size

        if signal != self._signal:  # overview and clip player change only with the signal
            self._signal = signal
            t_s, values = _envelope(y, n_points=600)
            lower, upper = values[0::2], values[1::2]
            self.all_fill.set_xy(np.column_stack([np.concatenate([t_s[0::2], t_s[0::2][::-1]]),
                                                  np.concatenate([upper, lower[::-1]])]))
            self._peak = max(float(np.max(np.abs(y))), 1e-3)
            self.players["clip"].set(y, SR, label=f"whole clip: {dict((v, k) for k, v in SIGNALS)[signal]}")

        # zoomed view: five blocks around the selected frame, with time measured from the frame's start, so
        # that moving through the clip changes the data but not the axes (those are drawn once per layout)
        rel_lo, rel_hi = -2 * block_size, 3 * block_size
        lo, hi = max(0, start + rel_lo), min(n, start + rel_hi)
        t_s, values = _envelope(y[lo:hi], start=lo - start)
        self.zoom_line.set_data(1000 * t_s, values)
        peak = 1.0  # full scale: the amplitude axes are the same for every signal
        lanes = min(self.lanes, -(-block_size // hop_size))  # enough rows that overlapping frames never touch
        lane_height = 0.8 * peak / lanes  # the bars take about 30 % of the panel's height
        bottom = self.ZOOM_BOTTOM
        self.ax_zoom.set_xlim(1000 * rel_lo / SR, 1000 * rel_hi / SR)
        self.ax_tensor.set_xlim(-0.5, block_size - 0.5)
        all_lo, all_hi = self.ax_all.get_ylim()
        self.zoom_span.set_bounds(lo / SR, all_lo, (hi - lo) / SR, all_hi - all_lo)

        # frames that touch the zoomed view (at most MAX_OUTLINES, the ones nearest the selected frame)
        first = max(0, (lo - block_size) // hop_size + 1)
        last = min(count - 1, (hi - 1) // hop_size)
        visible = np.arange(first, last + 1)
        capped = len(visible) > MAX_OUTLINES
        if capped:
            visible = visible[np.argsort(np.abs(visible - selected), kind="stable")[:MAX_OUTLINES]]

        def bar(i):
            lane = i % lanes
            y0 = -1.05 * peak - (lane + 1) * lane_height
            gap = 0.03 * block_size  # frames that touch in one row stay distinguishable
            x0, x1 = 1000 * (i * hop_size - start + gap) / SR, 1000 * (i * hop_size - start + block_size - gap) / SR
            return [(x0, y0), (x1, y0), (x1, y0 + 0.75 * lane_height), (x0, y0 + 0.75 * lane_height)]

        self.frame_bars.set_verts([bar(i) for i in visible if i != selected])
        self.selected_bar.set_verts([bar(selected)])
        self.selected_span.set_bounds(0, bottom, 1000 * block_size / SR, 1.1 * peak - bottom)

        covered = (count - 1) * hop_size + block_size
        tail = n - covered
        if hi > covered:
            self.tail_span.set_bounds(1000 * (covered - start) / SR, bottom, 1000 * (hi - covered) / SR,
                                      1.1 * peak - bottom)
        else:
            self.tail_span.set_bounds(0, 0, 0, 0)
        self.ax_zoom.set_title(
            f"frame {selected} (orange) at {start / SR:.3f} s; bars: {len(visible)} of {count} frames",
            fontsize="small")  # short: it has to fit the panel in presentation mode too

        shown, row_step, group = _shrink_frames(frames)
        show_colours(self.tensor_image, shown, -self._peak, self._peak)
        # rows are frames, placed at their start times: the axis stays the same for every hop
        self.tensor_image.set_extent((-0.5, shown.shape[1] * group - 0.5, shown.shape[0] * row_step * hop_size / SR, 0))
        self.ax_tensor.set_ylim(DURATION, 0)
        self.tensor_marker.set_ydata([(selected + 0.5) * hop_size / SR] * 2)
        drawn = ([f"1 in {row_step} frames"] if row_step > 1 else []) + ([f"{group}-sample peaks"] if group > 1 else [])
        self.ax_tensor.set_title(f"frame tensor X: {count} × {block_size}"
                                 + (f"\n({'; '.join(drawn)})" if drawn else ""), fontsize="small")

        hop_ms, block_ms = samples_to_ms(hop_size, SR), samples_to_ms(block_size, SR)
        centred = n_frames(n, block_size, hop_size, center=True)
        self.set_readout(
            f"N_f = ⌊(N − W_f) / H_f⌋ + 1 = ⌊({n} − {block_size}) / {hop_size}⌋ + 1 = "
            f"{(n - block_size) // hop_size} + 1 = <b>{count}</b> frames &nbsp;→&nbsp; X ∈ R<sup>{count} × {block_size}"
            f"</sup><br>block W_f = {block_size} samples = {block_ms:.1f} ms; hop H_f = {_n(hop_size, 'sample')} = "
            f"{hop_ms:.1f} ms; overlap = (W_f − H_f) / W_f = <b>{overlap_percent(block_size, hop_size):.1f} %</b>; "
            f"{count * block_size / n:.2f} × as many numbers as samples<br>"
            f"tail after the last frame: {_n(tail, 'sample')} ({samples_to_ms(tail, SR):.1f} ms) in no frame; "
            f"librosa's center=True would give 1 + ⌊N / H_f⌋ = {centred} frames"
        )
        self.players["selected frame"].set(
            np.asarray(frames[selected]), SR, label=f"frame {selected} ({block_ms:.0f} ms)")
        self._said = (f"block size {block_size} samples ({block_ms:.1f} ms), hop {hop_size} samples "
                      f"({overlap_percent(block_size, hop_size):.0f}% overlap): {count} frames, frame {selected} "
                      f"selected; the frame tensor X is {count} × {block_size}; {_n(tail, 'sample')} at the end "
                      "are in no frame")

    def describe(self):
        signal = format_value(self.controls["signal"], self.controls["signal"].value)
        return (f"Framing of the {signal} clip: the whole clip (top), a zoom with the frames as bars (bottom) and "
                f"the frame tensor as an image (right); {self._said}.")


# --------------------------------------------------------------------------------------------------

@register("spectrogram")
class SpectrogramExplorer(Explorer):
    """Linear and mel spectrograms and MFCCs of a 5 s clip, with their tensor shapes and resolutions."""

    title = "Spectrogram and MFCCs: one feature vector per frame"
    help = ("Block and hop set the frames (center=False, as in the framing explorer); mel bands and MFCCs "
            "are computed from those frames. MFCC rows are frames: the image shows X transposed so time runs "
            "left to right, each coefficient scaled to zero mean and unit variance for display.")
    figsize = (9.5, 4.3)
    player_names = ("clip",)

    def make_controls(self):
        return {
            "signal": dropdown("signal", SIGNALS, "speech"),
            "block_size": selection_slider("block size W_f (samples)", BLOCK_SIZES[2:], 1024),
            "hop": dropdown("hop H_f (fraction of W_f)", HOP_FRACTIONS[:-1], 0.5),
            "n_mels": selection_slider("mel bands F", [16, 32, 40, 64, 96, 128], 40),
            "n_mfcc": slider("MFCCs N_feat", 13, 1, 40),
            "linear_fmax": checkbox("linear spectrogram up to 5 kHz only", False),
        }

    def build(self, fig):
        _preload()
        grid = fig.add_gridspec(2, 2, width_ratios=(1, 1))
        self.ax_lin = fig.add_subplot(grid[:, 0])
        self.ax_mel = fig.add_subplot(grid[0, 1])
        self.ax_mfcc = fig.add_subplot(grid[1, 1], sharex=self.ax_mel)
        kwargs = {"aspect": "auto", "origin": "lower", "interpolation": "nearest", "cmap": "magma"}
        self.lin_image = self.ax_lin.imshow(np.zeros((2, 2)), **kwargs)
        self.mel_image = self.ax_mel.imshow(np.zeros((2, 2)), **kwargs)
        self.mfcc_image = self.ax_mfcc.imshow(np.zeros((2, 2)), aspect="auto", origin="lower",
                                              interpolation="nearest", cmap="coolwarm")
        self.ax_lin.set(xlabel="time (s)", ylabel="frequency (Hz)")
        import librosa

        self._mel_top = float(librosa.hz_to_mel(SR / 2))
        ticks = [100, 500, 1000, 2000, 4000, 8000]
        self.ax_mel.set_yticks(librosa.hz_to_mel(ticks), [f"{t:g}" for t in ticks])
        self.ax_mel.set(ylabel="Hz (mel scale)", ylim=(0, self._mel_top))
        self.ax_mfcc.set(xlabel="time (s), frame start", ylabel="MFCC")
        self.ax_mel.tick_params(labelbottom=False)
        for ax in (self.ax_lin, self.ax_mel, self.ax_mfcc):
            ax.grid(False)
        _few_ticks(self.ax_lin, self.ax_mfcc)  # the mel axis has its own ticks in Hz
        self._signal = None

    def dynamic_artists(self):
        # the images and titles change with every control; two axes follow controls (the linear frequency
        # axis the 5 kHz switch, the MFCC axis N_feat) and are redrawn with them, the rest is drawn once
        axes = (self.ax_lin, self.ax_mel, self.ax_mfcc)
        return ([self.ax_lin.yaxis, self.ax_mfcc.yaxis, self.lin_image, self.mel_image, self.mfcc_image] + [ax.title for ax in axes]
                + [spine for ax in axes for spine in ax.spines.values()])

    def update(self, signal, block_size, hop, n_mels, n_mfcc, linear_fmax):
        y = clip(signal)
        hop_size = int(block_size * hop)
        n_mfcc = self.cap("n_mfcc", n_mels)
        power = _power(signal, block_size, hop_size)
        mel_db = _mel_db(signal, block_size, hop_size, n_mels)
        features = _mfcc(signal, block_size, hop_size, n_mels, n_mfcc)
        count = power.shape[1]
        t_end = count * hop_size / SR  # frame i drawn from i*hop to (i+1)*hop (its start)

        top_bin = power.shape[0] if not linear_fmax else int(np.ceil(5000 / frequency_resolution(SR, block_size))) + 1
        lin_db = _power_db(signal, block_size, hop_size)[:top_bin]
        show_colours(self.lin_image, _pool_max(lin_db), lin_db.max() - 80, lin_db.max())
        df = frequency_resolution(SR, block_size)
        self.lin_image.set_extent((0, t_end, -df / 2, (top_bin - 0.5) * df))
        self.ax_lin.set_ylim(0, 5000 if linear_fmax else SR / 2)
        # fixed limits (set_extent would otherwise move them): the clip is 5 s whatever the block and hop
        self.ax_lin.set_xlim(0, DURATION)
        self.ax_mel.set_xlim(0, DURATION)
        self.ax_mel.set_ylim(0, self._mel_top)
        self.ax_mfcc.set_ylim(-0.5, n_mfcc - 0.5)
        self.ax_lin.set_title(f"|STFT|² (dB): {power.shape[0]} bins × {count} frames", fontsize="small")

        show_colours(self.mel_image, _pool_max(mel_db), mel_db.max() - 80, mel_db.max())
        # bands are equally spaced on the mel scale: drawn on a mel axis labelled in Hz, the axis stays the
        # same for any number of bands (only the image changes)
        step = self._mel_top / (n_mels + 1)
        self.mel_image.set_extent((0, t_end, step / 2, self._mel_top - step / 2))
        empty = int(np.sum(~np.any(_mel_basis(block_size, n_mels) > 0, axis=1)))
        self.ax_mel.set_title(f"log-mel: {n_mels} bands × {count} frames", fontsize="small")

        # coefficient 0 (log energy) is far larger than the rest: scale every coefficient for display only
        shown = (features - features.mean(axis=0)) / np.maximum(features.std(axis=0), 1e-6)
        show_colours(self.mfcc_image, _thin(shown.T, 400, 600), -3, 3)
        self.mfcc_image.set_extent((0, t_end, -0.5, n_mfcc - 0.5))
        self.ax_mfcc.set_yticks(sorted({0, n_mfcc - 1}))  # the first and last coefficient (a dynamic axis)
        self.ax_mfcc.set_title(f"MFCCs X ∈ R^({count} × {n_mfcc}), transposed", fontsize="small")

        if signal != self._signal:
            self._signal = signal
            self.players["clip"].set(y, SR, label=dict((v, k) for k, v in SIGNALS)[signal])

        block_ms, hop_ms = samples_to_ms(block_size, SR), samples_to_ms(hop_size, SR)
        warning = (f"<br><span style='color:#b3261e'>{empty} of {n_mels} mel bands are empty: with W_f = {block_size} "
                   f"the DFT bins are {df:.1f} Hz apart, wider than the lowest bands.</span>") if empty else ""
        self.set_readout(
            f"N_f = ⌊({len(y)} − {block_size}) / {hop_size}⌋ + 1 = <b>{count}</b> frames (the frames of "
            f"frame_signal). Shapes: STFT power ({power.shape[0]} × {count}) = (W_f/2 + 1) × N_f; "
            f"log-mel ({n_mels} × {count}) = F × N_f; MFCC X ({count} × {n_mfcc}) = N_f × N_feat.<br>"
            f"frequency resolution sr / W_f = <b>{df:.1f} Hz per bin</b>; time resolution: block {block_ms:.1f} ms, "
            f"hop {hop_ms:.1f} ms per frame" + warning
        )
        self._said = (f"block size {block_size}, hop {hop_size} ({count} frames, {df:.1f} Hz per bin): linear "
                      f"spectrogram {power.shape[0]} bins" + (" up to 5 kHz" if linear_fmax else "")
                      + f" (left), log-mel with {n_mels} bands (top right)"
                      + (f", {empty} of them empty" if empty else "") + f", {n_mfcc} MFCCs (bottom right)")

    def describe(self):
        signal = format_value(self.controls["signal"], self.controls["signal"].value)
        return f"Spectrograms of the {signal} clip, {self._said}."


# --------------------------------------------------------------------------------------------------

@register("patches")
class PatchExplorer(Explorer):
    """Cut a log-mel spectrogram into patches: outlines on the spectrogram, the first patches, N_p and shapes."""

    title = "Spectrogram patches: X ∈ R^(N_p × F × W_p)"
    help = ("Patch length W_p and patch hop H_p are counted in spectrogram frames. Outlined: the patches (the "
            "first six in green, closing in up to four rows at the top); hatched: frames in no patch (the "
            "tail, and the gaps when H_p > W_p); below: "
            "the first six patches as the small images a convolutional network sees.")
    figsize = (9.5, 4.3)
    n_shown = 6
    max_lanes = 4
    lane_height = 3.0  # in mel bands, above the spectrogram
    block_size = 1024
    n_mels = 64

    def make_controls(self):
        return {
            "signal": dropdown("signal", SIGNALS, "trumpet"),
            "hop_size": selection_slider("spectrogram hop H_f (samples)", [128, 256, 512, 1024], 512),
            "patch_length": slider("patch length W_p (frames)", 32, 4, 128),
            "patch_hop": slider("patch hop H_p (frames)", 16, 1, 128),
        }

    def build(self, fig):
        _preload()
        grid = fig.add_gridspec(2, self.n_shown, height_ratios=(1.5, 1))
        self.ax_spec = fig.add_subplot(grid[0, :])
        self.ax_patches = [fig.add_subplot(grid[1, i]) for i in range(self.n_shown)]
        self.spec_image = self.ax_spec.imshow(np.zeros((2, 2)), aspect="auto", origin="lower",
                                              interpolation="nearest", cmap="magma")
        self.outlines = LineCollection([], colors="0.85", linewidths=1.0)
        self.first_outlines = LineCollection([], colors="C2", linewidths=2.0)
        self.ax_spec.add_collection(self.outlines)
        self.ax_spec.add_collection(self.first_outlines)
        self.dropped = PolyCollection([], facecolors="0.5", alpha=0.6, hatch="//", linewidths=0)
        self.ax_spec.add_collection(self.dropped)
        self.ax_spec.set(xlabel="time (s); the frames are H_f / sr apart", ylabel="mel band centre (Hz)")
        _few_ticks(self.ax_spec)
        _mel_ticks(self.ax_spec, self.n_mels)
        self.ax_spec.grid(False)
        self.ax_spec.set_facecolor("0.25")
        self.patch_images = []
        for i, ax in enumerate(self.ax_patches):
            # a patch is drawn over the same unit square whatever its length, so the axes never change
            image = ax.imshow(np.zeros((self.n_mels, 2)), aspect="auto", origin="lower", interpolation="nearest",
                              cmap="magma", extent=(0, 1, 0, 1))
            ax.set(xlim=(0, 1), ylim=(0, 1))
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
            self.patch_images.append(image)

    def dynamic_artists(self):
        # everything but the axes themselves (drawn once: time in seconds, mel bands)
        return ([self.spec_image, self.dropped, self.outlines, self.first_outlines, self.ax_spec.title]
                + list(self.ax_spec.spines.values()) + self.patch_images
                + [ax.title for ax in self.ax_patches]
                + [spine for ax in self.ax_patches for spine in ax.spines.values()])

    def update(self, signal, hop_size, patch_length, patch_hop):
        S = _mel_db(signal, self.block_size, hop_size, self.n_mels)
        count_frames = S.shape[1]
        lo, hi = float(S.max()) - 80, float(S.max())
        frame_s = hop_size / SR  # frame i is drawn from its start i * H_f / sr, one hop wide
        self.spec_image.set_data(_pool_max(S, 400, 800))
        self.spec_image.set_extent((0, count_frames * frame_s, -0.5, self.n_mels - 0.5))
        self.spec_image.set_clim(lo, hi)
        # a time axis in seconds stays the same for every hop, so the axes are drawn once
        self.ax_spec.set_xlim(0, DURATION)
        self.ax_spec.set_ylim(-0.5, self.n_mels - 0.5 + self.lane_height * (self.max_lanes + 0.5))

        patch_length = self.cap("patch_length", min(128, count_frames))  # a patch never exceeds the spectrogram
        patches = extract_patches(S, patch_length, patch_hop)
        count = patches.shape[0]

        # each outline runs up the patch's two edges and closes in its own lane above the spectrogram,
        # so overlapping patches stay distinguishable
        lanes = min(self.max_lanes, -(-patch_length // patch_hop))
        lane_height = self.lane_height

        def outline(p):
            top = self.n_mels - 0.5 + lane_height * ((p % lanes) + 0.7)
            x0, x1 = (p * patch_hop + 0.2) * frame_s, (p * patch_hop + patch_length - 0.2) * frame_s
            return [(x0, -0.5), (x0, top), (x1, top), (x1, -0.5)]

        shown = list(range(min(count, MAX_OUTLINES)))
        first = [p for p in shown if p < self.n_shown]
        self.outlines.set_segments([outline(p) for p in shown if p >= self.n_shown])
        self.first_outlines.set_segments([outline(p) for p in first])
        used = (count - 1) * patch_hop + patch_length
        # frames in no patch: the gaps between patches when the hop is longer than a patch, and the tail
        starts = np.arange(count) * patch_hop
        skipped = [(end, start) for end, start in zip(starts[:-1] + patch_length, starts[1:]) if start > end]
        skipped.append((used, count_frames))
        top = self.n_mels - 0.5
        self.dropped.set_verts([[(a * frame_s, -0.5), (b * frame_s, -0.5), (b * frame_s, top), (a * frame_s, top)]
                                for a, b in skipped if b > a])
        seconds = ((patch_length - 1) * hop_size + self.block_size) / SR  # first frame's start to last frame's end
        self.ax_spec.set_title(
            f"log-mel spectrogram {self.n_mels} × {count_frames} with {count} patch{'' if count == 1 else 'es'}"
            + (f" (first {MAX_OUTLINES} outlined)" if count > MAX_OUTLINES else ""), fontsize="small")

        for i, (ax, image) in enumerate(zip(self.ax_patches, self.patch_images)):
            if i < count:
                image.set_data(patches[i])  # fills the small axes whatever W_p (fixed limits, no ticks)
                image.set_clim(lo, hi)
                image.set_visible(True)
                ax.set_title(f"{i}: frames {i * patch_hop}–{i * patch_hop + patch_length - 1}", fontsize="x-small")
            else:
                image.set_visible(False)
                ax.set_title(f"(no patch {i})", fontsize="x-small")

        self.set_readout(
            f"N_p = ⌊(N_f − W_p) / H_p⌋ + 1 = ⌊({count_frames} − {patch_length}) / {patch_hop}⌋ + 1 = "
            f"<b>{count}</b> patch{'' if count == 1 else 'es'} &nbsp;→&nbsp; X ∈ R<sup>{count} × {self.n_mels} × {patch_length}</sup> "
            f"(N_p × F × W_p)<br>one patch covers {patch_length} frames = {seconds:.2f} s of sound "
            f"(frames {hop_size} samples apart, blocks of {self.block_size}); "
            + (f"patch overlap {overlap_percent(patch_length, patch_hop):.0f} %; " if patch_hop <= patch_length
               else f"no overlap: the hop is larger than the patch, so {_n(patch_hop - patch_length, 'frame')} "
                    "between two patches are skipped; ")
            + f"{_n(count_frames - used, 'frame')} at the end in no patch"
        )
        self._said = (f"log-mel spectrogram of {self.n_mels} bands × {count_frames} frames (hop {hop_size}) cut into "
                      f"{count} patch{'' if count == 1 else 'es'} of {patch_length} frames every {patch_hop} frames, "
                      f"outlined on top; below, the first {min(count, self.n_shown)} patches as small images")

    def describe(self):
        signal = format_value(self.controls["signal"], self.controls["signal"].value)
        return f"Patches of the {signal} clip: {self._said}."

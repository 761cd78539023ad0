"""Explorer of notebook 02: normalize a batch of real spectrogram patches in every way the lecture names.

Notebook: ``02_data_normalization.ipynb``.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator

from course_utils.normalization import (
    Normalizer,
    Statistics,
    add_click,
    compute_statistics,
    fsdd_patch_sets,
    recording_patches,
    side_by_side,
)
from course_utils.widgets import Explorer, dropdown, log_slider, register, slider

_SCOPE_TEXT = {
    "patch": "each patch uses its own statistics (computed from the batch shown)",
    "batch": "one set of statistics from all patches of the batch shown",
    "frequency": "one set of statistics per mel band, fitted on the training set",
    "dataset": "one set of statistics fitted on the whole training set",
}
_SCOPE_SHORT = {"patch": "patch", "batch": "batch", "frequency": "bin", "dataset": "dataset"}
_AFTER_RANGE = {"minmax": (-0.25, 1.25), "zscore": (-4.0, 4.0)}


@register("normalization")
class NormalizationExplorer(Explorer):
    """A batch of FSDD log-mel patches before and after normalization, with the statistics used.

    The batch holds every patch of three test recordings; the click (the outlier) is added to the
    quietest of them. "frequency" and "dataset" statistics are fitted on the training patches (and so
    ignore the click); "patch" and "batch" statistics come from the batch shown (and so include it).
    """

    title = "Normalizing spectrogram patches: method, scope, ϵ and an outlier"
    help = ("Pick min-max or z-score and where the statistics come from; raise the click amplitude to add a "
            "loud click to one recording and watch the statistics, the patches and the histograms.")
    figsize = (9.6, 4.5)
    player_names = ("recording with the click",)
    n_recordings = 3
    #: training and test recordings drawn from FSDD's official split (the notebook's defaults)
    n_train = 150
    n_test = 50

    def __init__(self, **initial):
        self.train, self.test = fsdd_patch_sets(self.n_train, self.n_test)
        peaks = np.array([np.abs(y).max() for y in self.test.audio])
        counts = np.bincount(self.test.recording, minlength=len(self.test.audio))
        candidates = np.flatnonzero((counts >= 2) & (counts <= 6))
        quiet = int(candidates[np.argmin(peaks[candidates])])
        others = [int(i) for i in candidates if i != quiet][: self.n_recordings - 1]
        self.click_recording = quiet
        self.batch_recordings = [quiet, *others]
        self._fixed = [np.asarray(self.test.patches[self.test.recording == i]) for i in others]
        self._click_cache: dict = {}
        self._normalizers: dict = {}
        # every position of the click slider and every training-set fit, computed once so that moving a
        # control only recomputes the batch statistics and redraws
        for amplitude in np.linspace(0.0, 1.0, 21):
            self._click_patches(amplitude)
        for method in ("minmax", "zscore"):
            for scope in ("frequency", "dataset"):
                self._fitted(method, scope, 0.0)
        super().__init__(**initial)

    # ---- data
    def _click_patches(self, amplitude):
        key = round(float(amplitude), 6)
        if key not in self._click_cache:
            y = add_click(self.test.audio[self.click_recording], key)
            self._click_cache[key] = (y, recording_patches(y, self.test.sr))
        return self._click_cache[key]

    def _fitted(self, method, scope, eps) -> Statistics:
        """Training-set statistics; fitted once per (method, scope), ϵ only changes the z-score divisor."""
        key = (method, scope)
        if key not in self._normalizers:
            self._normalizers[key] = Normalizer(method, scope, eps=0.0, ddof=1).fit(self.train.patches)
        fitted = self._normalizers[key]
        constant = fitted.data_max_ == fitted.data_min_
        scale = fitted.scale_ if method == "minmax" else np.where(constant, 1.0, fitted.std_ + eps)
        return Statistics(center=fitted.center_, scale=scale, constant=constant, data_min=fitted.data_min_,
                          data_max=fitted.data_max_, mean=fitted.mean_, std=fitted.std_, axes=fitted.axes_)

    # ---- explorer
    def make_controls(self):
        return {
            "method": dropdown("method", [("min-max", "minmax"), ("z-score", "zscore")], "zscore"),
            "scope": dropdown("statistics", [("per patch", "patch"), ("per batch", "batch"),
                                             ("per frequency bin (training set)", "frequency"),
                                             ("per dataset (training set)", "dataset")], "batch"),
            "eps": log_slider("ϵ (z-score only, dB)", 1e-8, -8, 1, step=1, readout_format=".0e"),
            "click": slider("click amplitude (outlier)", 0.0, 0.0, 1.0, 0.05),
        }

    def build(self, fig):
        grid = fig.add_gridspec(2, 6, height_ratios=(1.1, 1.0))
        self.ax_before = fig.add_subplot(grid[0, :3])
        self.ax_after = fig.add_subplot(grid[0, 3:])
        self.ax_hist_before = fig.add_subplot(grid[1, :2])
        self.ax_hist_after = fig.add_subplot(grid[1, 2:4])
        self.ax_stats = fig.add_subplot(grid[1, 4:])
        n_bins = self.train.patches.shape[1]
        lo, hi = np.percentile(self.train.patches, [0.5, 99.9])
        self.db_range = (float(np.floor(lo / 10) * 10), float(np.ceil(hi / 10) * 10 + 10))
        width = 1
        self.im_before = self.ax_before.imshow(np.zeros((n_bins, width)), origin="lower", aspect="auto",
                                               interpolation="nearest", vmin=self.db_range[0], vmax=self.db_range[1])
        self.im_after = self.ax_after.imshow(np.zeros((n_bins, width)), origin="lower", aspect="auto",
                                             interpolation="nearest", cmap="viridis")
        # few texts: drawing text is most of the cost of every redraw
        for ax in (self.ax_before, self.ax_after):
            ax.grid(False)
            ax.set(xticks=[], yticks=[0, n_bins - 1])
        self.ax_after.tick_params(labelleft=False)
        for ax in (self.ax_hist_before, self.ax_hist_after):
            ax.set_yticks([])
            ax.grid(False)
            ax.xaxis.set_major_locator(MaxNLocator(4))
        self.ax_before.set_title(f"before: mel bands 0…{n_bins - 1} (colour {self.db_range[0]:.0f} … "
                                 f"{self.db_range[1]:.0f} dB)", fontsize="small")
        self.click_marks = [ax.axvspan(0, 0, ymin=0.97, ymax=1.0, color="C3", clip_on=False)
                            for ax in (self.ax_before, self.ax_after)]
        self.before_edges = np.linspace(*self.db_range, 61)
        self.hist_before = self.ax_hist_before.stairs(np.zeros(60), self.before_edges, fill=True, alpha=0.7)
        self.hist_train = self.ax_hist_before.stairs(np.zeros(60), self.before_edges, color="0.3", lw=1.0)
        self.ax_hist_before.set(xlabel="value (dB)", xlim=self.db_range)
        self.ax_hist_before.set_title("before (line: training set)", fontsize="small")
        train_counts, _ = np.histogram(self.train.patches, self.before_edges, density=True)
        self.hist_train.set_data(train_counts, self.before_edges)
        self.hist_after = self.ax_hist_after.stairs(np.zeros(60), np.linspace(0, 1, 61), fill=True, alpha=0.7,
                                                    color="C2")
        self.ax_hist_after.set_xlabel("normalized value")
        self.ax_hist_after.set_title("after", fontsize="small")
        (self.line_center,) = self.ax_stats.plot([], [], "-o", ms=3, color="C0", label="centre")
        (self.line_low,) = self.ax_stats.plot([], [], "--_", color="C1", lw=1, ms=8)
        (self.line_high,) = self.ax_stats.plot([], [], "--_", color="C1", lw=1, ms=8)
        self.ax_stats.yaxis.set_major_locator(MaxNLocator(4))
        self.ax_stats.xaxis.set_major_locator(MaxNLocator(4, integer=True))
        # Lay the figure out once with about the widest labels it shows, then freeze it, so that the layout
        # does not depend on the initial values (a blitted picture then equals a freshly built one).
        self.ax_stats.set(ylim=(-100, 10), xlim=(-0.5, n_bins - 0.5), xlabel="one value for all")
        self.ax_stats.set_title("used (dB): mean, mean ± σ", fontsize="small")
        self.ax_hist_after.set_xlim(*_AFTER_RANGE["zscore"])
        fig.draw_without_rendering()
        fig.set_layout_engine("none")

    #: one background per method (the "after" histogram's x range) and scope (the statistics' x axis)
    backgrounds_kept = 8

    def dynamic_artists(self):
        # Images, histograms, statistics and titles change with every control; only they are drawn over a kept
        # background. The statistics panel's y ticks follow its data, so its y axis is redrawn (without its
        # label's layout passes, see Explorer.dynamic_artists) under its lines; its x axis follows the scope
        # alone and stays in the background (background_key). The images cover their axes, so the spines are
        # drawn over them.
        return [self.im_before, self.im_after, *self.click_marks, *self.ax_before.spines.values(),
                *self.ax_after.spines.values(), self.ax_after.title, self.hist_before, self.hist_train,
                self.hist_after, self.ax_stats.yaxis, self.ax_stats.title,
                self.line_center, self.line_low, self.line_high]

    def axes_without_y_scale(self):
        # the histograms have neither y ticks nor a grid: a new height scale redraws only their bars
        return [self.ax_hist_before, self.ax_hist_after]

    def background_key(self):
        return (*super().background_key(), self.ax_stats.get_xlabel())  # the statistics' x label names the scope

    @staticmethod
    def _image(patches):
        return np.ma.masked_invalid(side_by_side(patches))

    def update(self, method, scope, eps, click):
        self.controls["eps"].disabled = method != "zscore"
        y_click, click_patches = self._click_patches(click)
        _, clean_patches = self._click_patches(0.0)
        batch = np.concatenate([click_patches, *self._fixed]).astype(np.float64)
        n_patches, n_bins, patch_length = batch.shape
        if scope in ("frequency", "dataset"):
            stats = self._fitted(method, scope, eps)
        else:
            stats = compute_statistics(batch, method, scope, eps, 1)
        after = (batch - stats.center) / stats.scale

        self.im_before.set_data(self._image(batch))
        self.im_after.set_data(self._image(after))
        extent = (-0.5, n_patches * (patch_length + 1) - 1.5, -0.5, n_bins - 0.5)
        self.im_before.set_extent(extent)
        self.im_after.set_extent(extent)
        self.im_after.set_clim(*_AFTER_RANGE[method])
        name = "min-max" if method == "minmax" else "z-score"
        lo, hi = _AFTER_RANGE[method]
        self.ax_after.set_title(f"after: {name}, per {_SCOPE_SHORT[scope]} ({lo:g} … {hi:g})", fontsize="small")
        changed = np.flatnonzero(np.abs(click_patches - clean_patches).max(axis=(1, 2)) > 0.5)
        for mark in self.click_marks:
            if len(changed):
                x0 = changed[0] * (patch_length + 1) - 0.5
                x1 = changed[-1] * (patch_length + 1) + patch_length - 0.5
                mark.set_x(x0)
                mark.set_width(x1 - x0)
                mark.set_visible(True)
            else:
                mark.set_visible(False)

        counts, _ = np.histogram(np.clip(batch, *self.db_range), self.before_edges, density=True)
        self.hist_before.set_data(counts, self.before_edges)
        top = max(counts.max(), self.hist_train.get_data().values.max())
        self.ax_hist_before.set_ylim(0, 1.1 * top)
        lo, hi = _AFTER_RANGE[method]
        edges = np.linspace(lo, hi, 61)
        outside = float(np.mean((after < lo) | (after > hi)) * 100)
        counts, _ = np.histogram(np.clip(after, lo, hi), edges, density=True)
        self.hist_after.set_data(counts, edges)
        self.ax_hist_after.set(xlim=(lo, hi), ylim=(0, 1.1 * max(counts.max(), 1e-9)))

        centre = stats.center.ravel()
        x = np.arange(len(centre))
        if method == "zscore":
            low, high = centre - stats.std.ravel(), centre + stats.std.ravel()
            self.ax_stats.set_title("used (dB): mean, mean ± σ", fontsize="small")
            self.line_low.set_data(x, low)
        else:  # the centre is the minimum itself
            low, high = stats.data_min.ravel(), stats.data_max.ravel()
            self.ax_stats.set_title("used (dB): min, max", fontsize="small")
            self.line_low.set_data([], [])
        self.line_center.set_data(x, centre)
        self.line_high.set_data(x, high)
        xlabel = {"patch": "patch", "frequency": "mel band"}.get(scope, "one value for all")
        self.ax_stats.set_xlabel(xlabel)
        self.ax_stats.set_xlim(-0.5 if len(x) > 1 else -1, len(x) - 0.5 if len(x) > 1 else 1)
        if len(x) > 1:
            self.ax_stats.xaxis.set_major_locator(MaxNLocator(4, integer=True))
        else:
            self.ax_stats.set_xticks([])  # one value: a position on this axis would mean nothing
        ymin, ymax = float(np.min(low)), float(np.max(high))
        pad = 0.08 * max(ymax - ymin, 1.0)
        self.ax_stats.set_ylim(ymin - pad, ymax + pad)

        self._readout(method, scope, eps, click, stats, after, outside, len(changed))
        self.players["recording with the click"].set(y_click, self.test.sr,
                                                     label=f"recording with the click (amplitude {click:.2f})")
        self._said = (f"{n_patches} spectrogram patches before and after {name} normalization with statistics per "
                      f"{_SCOPE_SHORT[scope]}" + (f", ϵ = {eps:.0e}" if method == "zscore" else "")
                      + (f", a click of amplitude {click:.2f} in {len(changed)} of them" if click > 0 else ", no click")
                      + f"; histograms of the values before and after ({outside:.1f}% outside {lo:g} … {hi:g}) "
                        "and the statistics used")

    def describe(self):
        return f"Normalization: {self._said}."

    def _readout(self, method, scope, eps, click, stats, after, outside, n_click_patches):
        def span(values, unit=" dB"):
            values = np.asarray(values).ravel()
            if values.size == 1:
                return f"{values[0]:.2f}{unit}"
            return f"{values.min():.2f} … {values.max():.2f}{unit} (over {values.size} groups)"

        if method == "zscore":
            formula = (f"x &larr; (x &minus; x&#772;) / (&sigma; + &#x3F5;) with x&#772; = {span(stats.mean)}, "
                       f"&sigma; = {span(stats.std)} (1/(N&minus;1)), &#x3F5; = {eps:.0e}")
        else:
            formula = (f"x &larr; (x &minus; min) / (max &minus; min) with min = {span(stats.data_min)}, "
                       f"max = {span(stats.data_max)}")
        lo, hi = float(after.min()), float(after.max())
        click_text = (f"The click changes {n_click_patches} patch(es) (red mark)." if click > 0
                      else "No click: raise the click amplitude to add an outlier.")
        if scope in ("frequency", "dataset") and click > 0:
            click_text += " These statistics come from the training set, so the click does not move them."
        elif click > 0:
            click_text += " These statistics come from the batch shown, so the click moves them."
        self.set_readout(
            f"<b>{_SCOPE_TEXT[scope]}</b><br>{formula}<br>"
            f"After: values from {lo:.2f} to {hi:.2f}; {outside:.1f}% of them lie outside the colour/histogram "
            f"range shown. {click_text}"
        )

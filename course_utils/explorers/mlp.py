"""Explorers of notebook 05: the MLP playground and gradient descent on a two-parameter loss surface.

Notebook: ``05_training_an_mlp.ipynb``.

``playground``: a small dense network learns to separate two classes in the plane
------------------------------------------------------------------------------------
Like TensorFlow Playground, plus: an audio dataset (two MFCC means of real FSDD recordings), any of the
lecture's hidden activations, an L2 penalty, loss curves for the training **and** the test set (bias
and variance at a glance), a clear message instead of a traceback when training diverges, and the
Keras code of the network on screen. Training runs in the NumPy :class:`course_utils.mlp.MLP`, which
is fast enough to retrain the default network for 200 epochs on every slider move.

What a change does:

* **data** (dataset, noise, train share, seed) and **architecture** (depth, width, activation):
  new data or a new network with fresh weights, trained live for "epochs per run" epochs;
* **learning rate, batch size, L2**: training *continues* from the current weights for "epochs per
  run" more epochs with the new setting (so you can, e.g., lower the learning rate late in training
  and watch the loss curve respond). After a divergence the weights are NaN, so such a change
  restarts from fresh weights instead;
* **epochs per run**: only sets how many epochs the live runs and the "Train N epochs" button add
  (a live run stops after ``LIVE_UPDATES`` = 4000 mini-batch updates, e.g. 40 epochs at batch size 1 on
  100 training points, so that the sliders stay responsive; the readout says so when that happens);
* buttons: "Step 1 epoch" and "Train N epochs" add epochs; "Reset" starts from fresh weights at
  epoch 0 (the untrained network); "Show Keras code" prints the Keras model with these settings.

``gradient_descent``: the path of theta := theta - learning_rate * grad L on a loss surface
-----------------------------------------------------------------------------------------
A convex line fit (MSE of y = w x + b) and a non-convex double well with a local minimum and a saddle.
The learning rate, the number of steps and the start point are sliders; a run that diverges stops and
says so.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from course_utils.mlp import (
    AUDIO_DIGITS,
    AUDIO_MFCCS,
    HIDDEN_ACTIVATIONS,
    MLP,
    SURFACES,
    gradient_descent,
    layer_sizes_for,
    line_fit_hessian,
    make_dataset,
    train_test_split,
)
from course_utils.widgets import Explorer, dropdown, log_slider, register, selection_slider, slider

_DATASET_LABELS = {
    "circle": "circle",
    "xor": "XOR",
    "blobs": "Gaussian blobs",
    "spiral": "spiral",
    "audio": "audio: 'zero' vs 'six' (MFCC 1, 2)",
}
#: The spoken words of FSDD's digits (the playground's audio dataset names its classes with them).
_DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_DATA_CONTROLS = ("dataset", "noise", "train_fraction", "seed")
_ARCHITECTURE_CONTROLS = ("depth", "width", "activation")
_TRAINING_CONTROLS = ("learning_rate", "batch_size", "l2")

#: The playground's grid for the decision-boundary heatmap (points per axis).
GRID_POINTS = 60
#: At most this many mini-batch updates run on a slider move (small batches and many epochs would
#: otherwise freeze the sliders for seconds); the "Train N epochs" button has no such limit.
LIVE_UPDATES = 4000


class _CachedBackground:
    """Mixin for an :class:`Explorer` whose axes, ticks and labels rarely change.

    Text is the costly part of a matplotlib redraw. Only the artists in ``self._dynamic`` are redrawn
    on each change (the framework's blitting, :meth:`Explorer.dynamic_artists`); everything else is a
    cached bitmap, renewed when :meth:`background_key` changes (axis limits, and here also the titles).
    """

    def _init_cache(self, dynamic) -> None:
        self._dynamic = tuple(dynamic)

    def dynamic_artists(self) -> list:
        return list(self._dynamic)

    def background_key(self) -> tuple:
        return super().background_key() + tuple(ax.get_title() for ax in self.fig.axes)


@register("playground")
class PlaygroundExplorer(_CachedBackground, Explorer):
    """Train a small MLP on a two-feature dataset and watch its decision boundary and loss curves.

    Data and architecture changes retrain from fresh weights for "epochs per run" epochs; learning rate,
    batch size and L2 changes continue training from the current weights; the buttons add epochs,
    reset to epoch 0, or print the equivalent Keras code (see the module docstring).

    Attributes:
        net: the current :class:`course_utils.mlp.MLP` (its ``history`` holds the curves).
        data: ``(X_train, y_train, X_test, y_test)`` of the current dataset.
        keras_code: the code printed by the last "Show Keras code" press (``""`` before).
    """

    title = "MLP playground"
    help = ("Data and network changes retrain from scratch; learning rate, batch size and L2 continue from "
            "the current weights. Filled dots: training set, triangles: test set.")
    figsize = (10.0, 4.2)
    n_samples = 200

    def make_controls(self):
        return {
            "dataset": dropdown("dataset", [(label, name) for name, label in _DATASET_LABELS.items()], "circle"),
            "noise": slider("noise", 0.1, 0.0, 0.5, 0.05),
            "train_fraction": slider("train share", 0.5, 0.1, 0.9, 0.1),
            "seed": slider("seed (data and weights)", 0, 0, 9),
            "depth": slider("hidden layers (depth)", 2, 0, 6),
            "width": slider("units per layer (width)", 8, 1, 32),
            "activation": dropdown("hidden activation", list(HIDDEN_ACTIVATIONS), "relu"),
            "learning_rate": log_slider("learning rate", 0.1, -4, 1, step=0.25),
            "batch_size": selection_slider("batch size", [1, 2, 5, 10, 25, 50, 100, 200], 25),
            "l2": selection_slider("L2 penalty", [0.0, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1], 0.0),
            "epochs": slider("epochs per run", 200, 10, 1000, 10),
        }

    # ---- figure
    def build(self, fig):
        self.net = None
        self.data = None
        self.keras_code = ""
        self._last: dict | None = None
        grid = fig.add_gridspec(1, 2, width_ratios=[1.0, 1.25])
        self.ax_map = fig.add_subplot(grid[0])
        self.ax_loss = fig.add_subplot(grid[1])
        cmap = _two_class_cmap()
        self.heatmap = self.ax_map.imshow(np.full((GRID_POINTS, GRID_POINTS), 0.5), origin="lower", cmap=cmap,
                                          vmin=0, vmax=1, extent=(-1.5, 1.5, -1.5, 1.5), aspect="auto",
                                          interpolation="bilinear")
        self.train_points = self.ax_map.scatter([], [], s=18, edgecolors="white", linewidths=0.6)
        self.test_points = self.ax_map.scatter([], [], s=26, marker="^", edgecolors="black", linewidths=0.6)
        self.ax_map.set(xlabel="feature 1", ylabel="feature 2")
        # a fixed title position is faster to draw; the text names the classes of the dataset (see _new_data)
        self.ax_map.set_title("P(class 1); orange: class 0, blue: class 1", y=1.0, fontsize="small")
        self.ax_map.grid(False)
        (self.train_line,) = self.ax_loss.plot([], [], color="C0", lw=1.6, label="training loss")
        (self.test_line,) = self.ax_loss.plot([], [], color="C1", lw=1.6, label="test loss")
        self.ax_loss.set(xlabel="epoch", ylabel="binary cross-entropy (mean)")
        self.ax_loss.set_title("loss curves", y=1.0)
        # tick labels are the most expensive part of a redraw: none on the map (its features are
        # standardized numbers without a unit), few on the loss curves
        self.ax_map.set_xticks([])
        self.ax_map.set_yticks([])
        self.ax_loss.xaxis.set_major_locator(MaxNLocator(5))
        self.ax_loss.yaxis.set_major_locator(MaxNLocator(4))
        self.ax_loss.legend(loc="upper right")
        self.warning = self.ax_loss.text(0.5, 0.5, "", transform=self.ax_loss.transAxes, ha="center", va="center",
                                         color="#b3261e", fontsize=11, fontweight="bold",
                                         bbox={"facecolor": "white", "alpha": 0.9, "edgecolor": "#b3261e"})
        self.warning.set_visible(False)
        # the map's limits follow the data: its axes (no ticks, so cheap) are redrawn with the data; the loss
        # axes change only when a curve outgrows them (coarse limits) and then redraw the whole figure
        self._init_cache((self.ax_map.xaxis, self.ax_map.yaxis, self.heatmap, self.train_points, self.test_points,
                          self.train_line, self.test_line, self.warning))
        self.code_box = widgets.HTML()
        self._train_button = self.add_button("Step 1 epoch", lambda: self.train(1))
        self._train_n_button = self.add_button("Train 200 epochs", lambda: self.train(self.controls["epochs"].value),
                                               busy="Training…")
        self.add_button("Reset", self.reset)
        self.add_button("Show Keras code", self.show_keras_code)

    def _make_widget(self):
        widget = super()._make_widget()
        widget.children = (*widget.children, self.code_box)
        return widget

    # ---- actions
    def _new_data(self, v):
        X, y = make_dataset(v["dataset"], self.n_samples, v["noise"], seed=v["seed"])
        self.data = train_test_split(X, y, v["train_fraction"], seed=v["seed"])
        pad = 0.15 * (X.max(axis=0) - X.min(axis=0))
        self.extent = (X[:, 0].min() - pad[0], X[:, 0].max() + pad[0], X[:, 1].min() - pad[1], X[:, 1].max() + pad[1])
        gx = np.linspace(self.extent[0], self.extent[1], GRID_POINTS)
        gy = np.linspace(self.extent[2], self.extent[3], GRID_POINTS)
        self.grid = np.stack(np.meshgrid(gx, gy), axis=-1).reshape(-1, 2)
        # name the axes and the classes (the colours: orange for class 0, blue for class 1)
        if v["dataset"] == "audio":
            name_0, name_1 = (f"'{_DIGIT_WORDS[d]}'" for d in AUDIO_DIGITS)
            self.ax_map.set_xlabel(f"MFCC {AUDIO_MFCCS[0]} mean")  # standardized (see the readout)
            self.ax_map.set_ylabel(f"MFCC {AUDIO_MFCCS[1]} mean")
        else:
            name_0, name_1 = "class 0", "class 1"
            self.ax_map.set_xlabel("feature 1")
            self.ax_map.set_ylabel("feature 2")
        self.ax_map.set_title(f"P({name_1}); orange: {name_0}, blue: {name_1}", y=1.0, fontsize="small")

    def _new_network(self, v):
        sizes = layer_sizes_for(2, v["depth"], v["width"], 1)
        self.net = MLP(sizes, v["activation"], "sigmoid", seed=v["seed"])

    def train(self, epochs: int) -> None:
        """Train the current network ``epochs`` more epochs with the current settings."""
        v = self.values()
        X_train, y_train, X_test, y_test = self.data
        self.net.fit(X_train, y_train, epochs=int(epochs), learning_rate=v["learning_rate"],
                     batch_size=v["batch_size"], l2=v["l2"], test_data=(X_test, y_test))

    def retrain(self) -> None:
        """Fresh weights, ``epochs per run`` epochs of training and a redraw: what a data or architecture
        change does (used by ``bench/mlp.py`` to time the live retraining)."""
        self._new_network(self.values())
        self.train(self.controls["epochs"].value)
        self.refresh()

    def _live_epochs(self, v) -> int:
        """Epochs of a live run: "epochs per run", capped at :data:`LIVE_UPDATES` updates."""
        updates_per_epoch = -(-len(self.data[0]) // v["batch_size"])
        return max(1, min(v["epochs"], LIVE_UPDATES // updates_per_epoch))

    def reset(self) -> None:
        """Fresh weights (same seed), epoch 0."""
        self._new_network(self.values())

    def show_keras_code(self) -> None:
        """Put the Keras code of the current settings under the figure (and into :attr:`keras_code`)."""
        v = self.values()
        self.keras_code = self.net.keras_code(learning_rate=v["learning_rate"], l2=v["l2"])
        fit = (f"# model.fit(X_train, y_train, epochs={v['epochs']}, batch_size={v['batch_size']}, "
               "validation_data=(X_test, y_test))")
        self.code_box.value = ("<b>The same network in Keras</b> (Glorot-uniform weights and zero biases, "
                               "as here; SGD without momentum):<pre style='background:#f6f6f6;padding:6px'>"
                               f"{html.escape(self.keras_code)}\n{html.escape(fit)}</pre>")

    # ---- update
    def update(self, **v):
        changed = set(v) if self._last is None else {k for k in v if v[k] != self._last[k]}
        self._last = dict(v)
        self._train_n_button.description = f"Train {v['epochs']} epochs"
        if changed & set(_DATA_CONTROLS):
            self._new_data(v)
        if changed & set(_DATA_CONTROLS + _ARCHITECTURE_CONTROLS):
            self._new_network(v)
            self.train(self._live_epochs(v))
        elif changed & set(_TRAINING_CONTROLS):
            if self.net.history.diverged:
                self._new_network(v)
            self.train(self._live_epochs(v))
        if self.code_box.value:
            self.show_keras_code()
        self._draw(v)

    def _draw(self, v):
        X_train, y_train, X_test, y_test = self.data
        net, history = self.net, self.net.history
        with np.errstate(all="ignore"):
            proba = net.predict_proba(self.grid)[:, 0].reshape(GRID_POINTS, GRID_POINTS)
        self.heatmap.set_data(np.ma.masked_invalid(proba))
        self.heatmap.set_extent(self.extent)
        self.ax_map.set_xlim(self.extent[:2])
        self.ax_map.set_ylim(self.extent[2:])
        colours = np.array(["#d95f02", "#1f78b4"])
        self.train_points.set_offsets(X_train)
        self.train_points.set_facecolor(colours[y_train])
        self.test_points.set_offsets(X_test)
        self.test_points.set_facecolor(colours[y_test])

        epochs = np.arange(1, history.epochs + 1)
        train_loss = np.asarray(history.train_loss, dtype=float)
        test_loss = np.asarray(history.test_loss, dtype=float)
        self.train_line.set_data(epochs, train_loss)
        self.test_line.set_data(epochs, test_loss)
        finite = np.r_[train_loss, test_loss]
        finite = finite[np.isfinite(finite)]
        high = min(finite.max(), 20.0) if finite.size else 1.0  # clipped cross-entropy never exceeds ~16
        # limits on a coarse scale, so that most redraws reuse the cached background (see _render)
        self.ax_loss.set_xlim(0, _nice_ceiling(max(history.epochs, 10)))
        self.ax_loss.set_ylim(0, _nice_ceiling(max(high, 0.1)))

        if history.diverged:
            self.warning.set_text(f"Training diverged at epoch {history.diverged_epoch}:\n"
                                  f"the loss became NaN or infinite\n(learning rate {v['learning_rate']:.3g} "
                                  "is too large).\nLower it (training restarts) or press Reset.")
            self.warning.set_visible(True)
        else:
            self.warning.set_visible(False)

        sizes = net.layer_sizes
        if history.epochs and not history.diverged:
            numbers = (f"after epoch {history.epochs}: training loss {history.train_loss[-1]:.3f}, test loss "
                       f"{history.test_loss[-1]:.3f}; accuracy {100 * history.train_accuracy[-1]:.0f}% (training), "
                       f"{100 * history.test_accuracy[-1]:.0f}% (test)")
        elif history.diverged:
            numbers = (f"<span style='color:#b3261e'><b>Training diverged at epoch {history.diverged_epoch}</b>: the "
                       "loss became NaN or infinite. Lower the learning rate (training restarts) or press Reset"
                       "</span>")
        else:
            numbers = "epoch 0: untrained network (Glorot-uniform weights, zero biases)"
        steps = -(-len(X_train) // v["batch_size"])
        live_epochs = self._live_epochs(v)
        self.set_readout(
            f"Layers {' &rarr; '.join(map(str, sizes))}: {net.count_params()} trainable parameters "
            f"(&Sigma; n<sub>in</sub>&middot;n<sub>out</sub> + n<sub>out</sub>). {len(X_train)} training and "
            f"{len(X_test)} test points; one epoch = {steps} update{'s' if steps > 1 else ''} of batch size "
            f"{min(v['batch_size'], len(X_train))}."
            + (" Each point is one recording: the means over its frames of two MFCCs, standardized"
               + (f", plus Gaussian noise of standard deviation {v['noise']:g} (noise 0 shows the recordings' own "
                  "features)." if v["noise"] > 0 else ".") if v["dataset"] == "audio" else "")
            + f"<br>{numbers}."
            + (f" (Slider moves train at most {LIVE_UPDATES} updates, here "
               f"{live_epochs} epochs, to stay responsive; the Train button runs all {v['epochs']}.)"
               if live_epochs < v["epochs"] else ""))


def _nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5 times a power of ten that is >= ``value`` (for stable axis limits)."""
    exponent = np.floor(np.log10(value))
    for step in (1, 2, 5, 10):
        if step * 10**exponent >= value:
            return float(step * 10**exponent)
    return float(10 ** (exponent + 1))


def _two_class_cmap():
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("two_classes", ["#f9c89b", "#ffffff", "#a6cbe6"]).with_extremes(bad="#bbbbbb")


@register("gradient_descent")
class GradientDescentExplorer(_CachedBackground, Explorer):
    """Gradient descent on a two-parameter loss surface: contours, the path taken, and the loss per step.

    Changing the surface moves the start point to that surface's default; a run whose loss exceeds 1e10
    stops and is reported as diverged.
    """

    title = "Gradient descent on a loss surface"
    help = ("theta := theta - learning_rate * grad L(theta). Try a learning rate that is too small, about right, "
            "and too large; on the double well, start near the saddle.")
    figsize = (10.0, 4.0)

    def make_controls(self):
        names = list(SURFACES)
        first = SURFACES[names[0]]
        return {
            "surface": dropdown("loss surface", names, names[0]),
            "learning_rate": log_slider("learning rate", 0.1, -3, 0.5, step=0.05),
            "n_steps": slider("steps", 30, 1, 200),
            "start_0": slider(f"start {first.labels[0]}", float(first.start[0]), float(first.extent[0]),
                              float(first.extent[1]), 0.05),
            "start_1": slider(f"start {first.labels[1]}", float(first.start[1]), float(first.extent[2]),
                              float(first.extent[3]), 0.05),
        }

    def build(self, fig):
        self.ax_map, self.ax_loss = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.0, 1.1]})
        self._surface_name = None
        self.contours = {}
        for name, surface in SURFACES.items():
            x0, x1, y0, y1 = surface.extent
            gx, gy = np.meshgrid(np.linspace(x0, x1, 200), np.linspace(y0, y1, 200))
            loss = surface.loss(gx, gy)
            levels = np.quantile(loss, np.linspace(0, 1, 16) ** 2.5)
            filled = self.ax_map.contourf(gx, gy, loss, levels=levels, cmap="viridis", alpha=0.85)
            lines = self.ax_map.contour(gx, gy, loss, levels=levels, colors="white", linewidths=0.5, alpha=0.6)
            self.contours[name] = (filled, lines)
        self.ax_map.grid(False)
        # one decimal on every surface: the layout is frozen after the first draw, so tick labels must not get
        # wider when the surface changes (the axis label would be cut off)
        self.ax_map.xaxis.set_major_formatter("{x:.1f}")
        self.ax_map.yaxis.set_major_formatter("{x:.1f}")
        (self.path_line,) = self.ax_map.plot([], [], "-o", color="white", mec="black", ms=3.5, lw=1.2)
        (self.start_dot,) = self.ax_map.plot([], [], "s", color="#e76f51", ms=8, mec="black", label="start")
        (self.end_dot,) = self.ax_map.plot([], [], "*", color="#f4d35e", ms=14, mec="black", label="last step")
        self.ax_map.legend(loc="lower right", fontsize="small")
        (self.loss_line,) = self.ax_loss.plot([], [], "-o", ms=3, color="C0")
        self.ax_loss.set(xlabel="step", ylabel="L(θ) − L(θ*)", yscale="log")
        self.ax_loss.xaxis.set_major_locator(MaxNLocator(5, integer=True))  # redrawn on every change: few labels
        self.ax_loss.set_title("distance to the lowest loss L(θ*)", y=1.0)
        self.warning = self.ax_loss.text(0.5, 0.5, "", transform=self.ax_loss.transAxes, ha="center", va="center",
                                         color="#b3261e", fontsize=11, fontweight="bold",
                                         bbox={"facecolor": "white", "alpha": 0.9, "edgecolor": "#b3261e"})
        # the loss panel's axes follow the number of steps and the losses: they are redrawn with the curve
        self._init_cache((self.ax_loss.xaxis, self.ax_loss.yaxis, self.path_line, self.start_dot, self.end_dot,
                          self.loss_line, self.warning))

    def background_key(self):
        return super().background_key() + (self._surface_name,)  # the visible contour set

    def update(self, surface, learning_rate, n_steps, start_0, start_1):
        s = SURFACES[surface]
        if surface != self._surface_name:
            # the start sliders take this surface's range; the start moves to its default when the surface
            # changed (or when a start given at creation lies outside the surface)
            first = self._surface_name is None
            initial = SURFACES[next(iter(SURFACES))].start  # the sliders' values before any surface is shown
            for i, (key, (low, high), default, label) in enumerate((
                    ("start_0", s.extent[:2], s.start[0], s.labels[0]),
                    ("start_1", s.extent[2:], s.start[1], s.labels[1]))):
                control = self.controls[key]
                given = control.value != initial[i] or surface == next(iter(SURFACES))
                keep = first and given and low <= control.value <= high
                value = control.value if keep else float(default)
                control.min, control.max = -1e9, 1e9  # avoid min > max while both change
                control.min, control.max, control.value = float(low), float(high), value
                control.description = f"start {label}"
            start_0, start_1 = self.controls["start_0"].value, self.controls["start_1"].value
            self._surface_name = surface
            for name, (filled, lines) in self.contours.items():
                filled.set_visible(name == surface)
                lines.set_visible(name == surface)
            self.ax_map.set(xlim=s.extent[:2], ylim=s.extent[2:], xlabel=s.labels[0], ylabel=s.labels[1])
            self.ax_map.set_title(s.title, y=1.0)
        path = gradient_descent(s, (start_0, start_1), learning_rate, n_steps)
        self.path_line.set_data(path.thetas[:, 0], path.thetas[:, 1])
        self.start_dot.set_data([start_0], [start_1])
        self.end_dot.set_data(path.thetas[-1:, 0], path.thetas[-1:, 1])
        steps = np.arange(len(path.losses))
        gap = np.maximum(path.losses - s.min_loss, 1e-12)  # how far above the global minimum
        self.loss_line.set_data(steps, gap)
        self.ax_loss.set_xlim(-0.5, n_steps + 0.5)
        low, high = max(gap.min(), 1e-6), max(gap.max(), 1e-5)
        # whole decades, so that most redraws reuse the cached background
        self.ax_loss.set_ylim(10 ** np.floor(np.log10(low)), 10 ** np.ceil(np.log10(high * 1.01)))
        if path.diverged:
            self.warning.set_text(f"Diverged: step {len(path.losses)} would have\npushed the loss above 1e10,\n"
                                  f"so the run stopped after {len(path.losses) - 1} steps.")
        else:
            self.warning.set_text("")
        theta = path.thetas[-1]
        extra = ""
        if surface.startswith("line fit"):
            limit = 2 / np.linalg.eigvalsh(line_fit_hessian()).max()
            extra = (f" For this quadratic loss, gradient descent converges exactly when the learning rate is "
                     f"below 2 / &lambda;<sub>max</sub>(Hessian) = {limit:.4f}.")
        self.set_readout(
            f"learning rate &epsilon; = {learning_rate:.3g}; after {len(path.losses) - 1} of {n_steps} steps: "
            f"{s.labels[0]} = {theta[0]:.3f}, {s.labels[1]} = {theta[1]:.3f}, L = {path.losses[-1]:.4g} "
            f"(start: L = {path.losses[0]:.4g}; lowest possible L(&theta;*) = {s.min_loss:.4g}).{extra}")

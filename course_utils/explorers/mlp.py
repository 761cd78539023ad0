"""Explorers of notebook 05: the MLP playground and gradient descent on a two-parameter loss surface.

Notebook: ``05_training_an_mlp.ipynb``.

``playground``: a small dense network learns to separate two classes in the plane
------------------------------------------------------------------------------------
Like TensorFlow Playground, plus: an audio dataset (two MFCC means of real FSDD recordings), any of the
lecture's hidden activations, an L2 penalty, loss curves for the training **and** the test set (bias
and variance at a glance), a clear message instead of a traceback when training diverges, and the
Keras code of the network on screen. Training runs in the NumPy :class:`course_utils.mlp.MLP`, held
by a :class:`course_utils.mlp.TrainingRun`.

Training is animated. The play button (an ``ipywidgets.Play``, :attr:`PlaygroundExplorer.play`) asks the
kernel for a new frame about ten times per second; each frame trains a few more epochs and redraws the
decision boundary and the loss curves, until the epoch budget (the "epochs to train" slider) is reached.
The line next to it says where the run is ("epoch 120 / 200").

* **play / pause** continues or pauses the run; at the budget, play replays the run from epoch 0;
  **stop** (the square) goes back to epoch 0, the untrained network; **Step 1 epoch** pauses and trains
  one epoch.
* **Every other slider** (data, architecture, learning rate, batch size, L2) restarts: fresh weights from
  the same seed, the new run's first frame trained at once (a few epochs, at most
  :data:`FIRST_FRAME_UPDATES` updates, so the picture already shows the new setting), and, unless the
  student paused, the animation runs on to the budget. So a drag over the learning rate shows one
  restart after another (never a queue of training runs), and a too-large learning rate is *seen*
  diverging: the animation stops there with a warning.
* **epochs to train** sets the budget: raising it continues a run that had reached the old budget;
  lowering it below the current epoch goes back to the network at the new budget.
* **Show Keras code** prints the Keras model with these settings.

From Python, ``explorer.play.value = n`` trains (or goes back) synchronously to epoch ``n`` and redraws,
so notebook cells and tests are deterministic: the picture depends only on the settings and the epoch.

Why an ``ipywidgets.Play`` drives the frames: the browser ticks its value (the target epoch) at a fixed
interval, and the ipywidgets front end keeps at most one message per widget in flight and merges the
rest. A slow kernel therefore means fewer frames, never a queue of them.

``gradient_descent``: the path of theta := theta - learning_rate * grad L on a loss surface
-----------------------------------------------------------------------------------------
A convex line fit (MSE of y = w x + b) and a non-convex double well with a local minimum and a saddle.
The learning rate, the number of steps and the start point are sliders; a run that diverges stops and
says so.
"""

from __future__ import annotations

import html
import math
import time
from contextlib import contextmanager

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from course_utils.explorer_state import StateError, check_extra_int, check_extra_keys, values_text
from course_utils.loss_surfaces import SURFACES, gradient_descent, line_fit_hessian
from course_utils.mlp import HIDDEN_ACTIVATIONS, MLP, TrainingRun, layer_sizes_for
from course_utils.playground_data import AUDIO_DIGITS, AUDIO_MFCCS, make_split
from course_utils.widgets import Explorer, dropdown, log_slider, one_blas_thread, register, selection_slider, slider

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
_RESTART_CONTROLS = _DATA_CONTROLS + ("depth", "width", "activation", "learning_rate", "batch_size", "l2")

#: The playground's grid for the decision-boundary heatmap (points per axis).
GRID_POINTS = 60
#: The browser asks for a new frame this often (milliseconds): ten pictures per second.
FRAME_INTERVAL_MS = 100
#: A run to the budget takes about this many frames (five seconds), unless training is slow.
FRAMES_PER_RUN = 50
#: Training per frame stays below about this many milliseconds (small batches and wide networks then train
#: fewer epochs per frame), so that a frame, with its redraw, fits into the interval.
FRAME_TRAINING_MS = 50.0
#: A slider change shows its new run after its first frame, trained at once: at most this many mini-batch
#: updates (and never more epochs than a frame has), so that the first picture already shows what the new
#: setting does (a too-large learning rate is off at once) and a drag over a slider stays fluid. The count
#: depends only on the settings, so the picture after a change is reproducible.
FIRST_FRAME_UPDATES = 200


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


class _EpochPlay(widgets.Play):
    """An ``ipywidgets.Play`` that tells whether its current change came from the browser.

    The playground trusts a value that Python sets (it trains exactly to it), but checks one that
    arrives from the browser: it may have been sent before the kernel's last restart reached the page.
    """

    from_browser = False

    def set_state(self, sync_data):
        self.from_browser = True  # set_state is how ipywidgets applies a message from the front end
        try:
            super().set_state(sync_data)
        finally:
            self.from_browser = False


@register("playground")
class PlaygroundExplorer(_CachedBackground, Explorer):
    """Train a small MLP on a two-feature dataset and watch its decision boundary and loss curves.

    Play animates training up to "epochs to train"; every slider except that one restarts from fresh
    weights and shows the new run's first frame (see the module docstring). ``play.value = n`` trains to epoch
    ``n`` synchronously.

    Attributes:
        play: the ``ipywidgets.Play`` whose value is the epoch shown (the target epoch while it plays).
        run: the current :class:`course_utils.mlp.TrainingRun`; ``run.net`` is the network.
        net: the current :class:`course_utils.mlp.MLP` (its ``history`` holds the curves).
        data: ``(X_train, y_train, X_test, y_test)`` of the current dataset.
        keras_code: the code printed by the last "Show Keras code" press (``""`` before).
    """

    title = "MLP playground"
    # its Play widget trains and draws in the message handler; a drag's values are drawn there too, so that
    # a frame and a slider's restart never run at once (see "Live dragging" in course_utils.widgets)
    draw_streams_on_worker = False
    help = ("▶ trains and animates, ⏸ pauses, ■ goes back to epoch 0; every slider but 'epochs to train' "
            "restarts from fresh weights. Filled dots: training set, triangles: test set.")
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
            "epochs": slider("epochs to train", 200, 10, 1000, 10),
        }

    # ---- figure
    def build(self, fig):
        self.run = None
        self.data = None
        self.keras_code = ""
        self._last: dict | None = None
        self._quiet = 0  # > 0 while the explorer itself changes the Play widget (no frame for that)
        self._paused = False  # the student paused: a restart then waits for play
        self._ms_per_update = 0.08  # training cost, measured on every frame (sets the epochs per frame)
        self.play = _EpochPlay(value=0, min=0, max=self.controls["epochs"].value, step=1, interval=FRAME_INTERVAL_MS,
                               show_repeat=False, tooltip="play / pause the training; the square goes back to epoch 0")
        self.play.add_class("course-control-play")
        self.play.observe(self._on_play_value, names="value")
        self.play.observe(self._on_play_playing, names="playing")
        self.epoch_label = widgets.HTML()
        self.epoch_label.add_class("course-epoch")

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
        # tick labels are the most expensive part of a redraw: none on the map (its features are
        # standardized numbers without a unit), few on the loss curves
        self.ax_map.set_xticks([])
        self.ax_map.set_yticks([])
        self.ax_loss.xaxis.set_major_locator(MaxNLocator(5))
        self.ax_loss.yaxis.set_major_locator(MaxNLocator(4))
        # the legend sits above the axes, out of the way of the curves and of the redrawn grid lines
        self.ax_loss.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, frameon=False, borderaxespad=0.2)
        self.warning = self.ax_loss.text(0.5, 0.5, "", transform=self.ax_loss.transAxes, ha="center", va="center",
                                         color="#b3261e", fontsize=11, fontweight="bold",
                                         bbox={"facecolor": "white", "alpha": 0.9, "edgecolor": "#b3261e"})
        self.warning.set_visible(False)
        # Neither a frame nor a slider change should redraw the whole figure: the map's axes (no ticks, so
        # cheap) follow the data and the loss curves' x axis follows the budget, so they are redrawn with
        # the data. The loss axis keeps a coarse range that starts from the untrained network's loss
        # (see _draw), so it changes only when the loss outgrows it, and then the whole figure is redrawn.
        self._init_cache((self.ax_map.xaxis, self.ax_map.yaxis, self.heatmap, self.train_points, self.test_points,
                          self.ax_loss.xaxis, self.train_line, self.test_line, self.warning))
        self.code_box = widgets.HTML()
        self._step_button = self.add_button("Step 1 epoch", self.step)
        self.add_button("Show Keras code", self.show_keras_code)

    def _make_widget(self):
        self._button_box.children = (self.play, self.epoch_label, *self.buttons.values())
        widget = super()._make_widget()
        widget.children = (*widget.children, self.code_box)
        return widget

    @property
    def net(self) -> MLP:
        """The network of the current run."""
        return self.run.net

    @contextmanager
    def _setting_play(self):
        """Change the Play widget from here without that change asking for a frame."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    # ---- data and runs
    def _new_data(self, v):
        # the audio features are standardized on the training points only (see make_split)
        self.data = make_split(v["dataset"], self.n_samples, v["noise"], v["train_fraction"], seed=v["seed"])
        X = np.concatenate([self.data[0], self.data[2]])
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

    def _new_run(self, v) -> None:
        """Fresh weights from the seed, epoch 0, with the current training settings."""
        X_train, y_train, X_test, y_test = self.data
        net = MLP(layer_sizes_for(2, v["depth"], v["width"], 1), v["activation"], "sigmoid", seed=v["seed"])
        self.run = TrainingRun(net, X_train, y_train, learning_rate=v["learning_rate"], batch_size=v["batch_size"],
                               l2=v["l2"], test_data=(X_test, y_test))
        with np.errstate(all="ignore"):
            self._initial_loss = (net.loss(X_train, y_train), net.loss(X_test, y_test))  # the curves start at epoch 0

    def _updates_per_epoch(self) -> int:
        return -(-len(self.data[0]) // self.controls["batch_size"].value)

    def _epochs_per_frame(self) -> int:
        """About :data:`FRAMES_PER_RUN` frames to the budget, fewer epochs per frame when training is slow."""
        budget = self.controls["epochs"].value
        affordable = FRAME_TRAINING_MS / (self._ms_per_update * self._updates_per_epoch())
        return max(1, min(math.ceil(budget / FRAMES_PER_RUN), int(affordable)))

    def _first_frame_epochs(self) -> int:
        """Epochs that a restart trains at once (see :data:`FIRST_FRAME_UPDATES`); at least one."""
        budget = self.controls["epochs"].value
        return max(1, min(math.ceil(budget / FRAMES_PER_RUN), FIRST_FRAME_UPDATES // self._updates_per_epoch()))

    def _show_epoch(self, epoch: int, *, playing: bool | None = None) -> None:
        """Point the Play widget at ``epoch`` (and start or stop it) without asking for a frame."""
        with self._setting_play(), self.play.hold_sync():  # one message, so the browser sees value and playing together
            self.play.step = self._epochs_per_frame()
            self.play.value = epoch
            if playing is not None:
                self.play.playing = playing

    # ---- actions
    def train_to(self, epoch: int) -> int:
        """Train (or go back) to ``epoch``, within the budget, and redraw; returns the epoch reached.

        The same as ``play.value = epoch``; stops the animation at the budget or a divergence.
        """
        before, start = self.run.epoch, time.perf_counter()
        with one_blas_thread():
            reached = self.run.train_to(min(int(epoch), self.controls["epochs"].value))
        if reached > before:  # what training costs now sets the epochs of the next frames
            per_update = (time.perf_counter() - start) * 1000 / ((reached - before) * self._updates_per_epoch())
            self._ms_per_update = 0.5 * self._ms_per_update + 0.5 * per_update
        stop = reached >= self.controls["epochs"].value or self.run.diverged
        self._show_epoch(reached, playing=False if stop else None)
        self.refresh()
        return reached

    def step(self) -> None:
        """Pause and train one more epoch (nothing at the budget)."""
        self._paused = True
        with self._setting_play():
            self.play.playing = False
        with one_blas_thread():
            self.run.train_to(min(self.run.epoch + 1, self.controls["epochs"].value))
        self._show_epoch(self.run.epoch)

    def reset(self) -> None:
        """Pause and go back to epoch 0 (fresh weights from the same seed), as the Play's stop button does."""
        self._paused = True
        with self._setting_play():
            self.play.playing = False
        self.train_to(0)

    def show_keras_code(self) -> None:
        """Put the Keras code of the current settings under the figure (and into :attr:`keras_code`)."""
        v = self.values()
        self.keras_code = self.net.keras_code(learning_rate=v["learning_rate"], l2=v["l2"])
        fit = (f"# model.fit(X_train, y_train, epochs={v['epochs']}, batch_size={v['batch_size']}, "
               "validation_data=(X_test, y_test))")
        self.code_box.value = ("<b>The same network in Keras</b> (Glorot-uniform weights and zero biases, "
                               "as here; SGD without momentum):<pre style='background:#f6f6f6;padding:6px'>"
                               f"{html.escape(self.keras_code)}\n{html.escape(fit)}</pre>")

    # ---- the Play widget
    def _on_play_value(self, change) -> None:
        if self._quiet:
            return
        target = change["new"]
        if self.play.from_browser:
            target = self._checked_browser_target(target)
            if target is None:
                return
        self.train_to(target)

    def _checked_browser_target(self, target: int):
        """The epoch to train to for a value that the browser sent, or ``None`` to ignore it.

        The browser's value can be stale: a tick sent before a restart reached the page arrives after it,
        and a kernel that was busy receives several ticks merged into one. A run therefore moves at most
        two frames per message, and the Play widget is told where the run really is.
        """
        run, step, budget = self.run, self.play.step, self.controls["epochs"].value
        if target == 0:  # the stop button, or play pressed at the budget (the browser replays from 0)
            return 0
        if target <= run.epoch:  # a tick from before a restart, or a repeat
            if target != run.epoch:
                self._show_epoch(run.epoch)
            return None
        target = min(target, run.epoch + 2 * step)
        if budget - target < step:  # the browser stops one tick short of a budget that is not a multiple of the step
            target = budget
        return target

    def _on_play_playing(self, change) -> None:
        if self._quiet:
            return
        budget = self.controls["epochs"].value
        if change["new"]:
            self._paused = False
        elif max(self.run.epoch, self.play.value) < budget and not self.run.diverged:
            # the pause or the stop button; the browser also stops by itself at the budget (its last tick may
            # arrive in the same message, so the Play's value counts as well)
            self._paused = True
        self._set_epoch_label()

    # ---- update
    def update(self, **v):
        first = self._last is None
        changed = set(v) if first else {k for k in v if v[k] != self._last[k]}
        self._last = dict(v)
        if changed & set(_DATA_CONTROLS):
            self._new_data(v)
        if changed & set(_RESTART_CONTROLS):
            self._new_run(v)
            if not first:  # the first frame of the new run at once, so that the change is seen
                self.run.train_to(min(self._first_frame_epochs(), v["epochs"]))
            # animate the new run, unless the student paused (and not before anyone pressed play: the
            # browser starts a Play widget only when playing changes)
            done = self.run.diverged or self.run.epoch >= v["epochs"]
            self._show_epoch(self.run.epoch, playing=not (first or self._paused or done))
        if "epochs" in changed:
            budget = v["epochs"]
            reached_old_budget = self.run.epoch == self.play.max and not (self._paused or self.run.diverged)
            with self._setting_play():
                self.play.max = budget
            if self.run.epoch > budget:  # go back to the network at the new budget
                self.run.train_to(budget)
                self._show_epoch(budget, playing=False)
            elif reached_old_budget and self.run.epoch < budget and not first:
                self._show_epoch(self.run.epoch, playing=True)  # continue the finished run
            else:
                self._show_epoch(self.run.epoch)
        if self.code_box.value:
            self.show_keras_code()
        self._draw(v)

    # ---- codes and descriptions: the picture depends on the settings and the epoch (see the module docstring)
    def state_extras(self):
        return {"epoch": self.run.epoch}

    def check_extras(self, extras, values):
        check_extra_keys(self, extras, ("epoch",))
        return {"epoch": check_extra_int(extras, "epoch", 0, values["epochs"])}

    def restore(self, code):
        self._paused = True  # the code's epoch is where the run stays: no animation on from there
        with self._setting_play():
            self.play.playing = False
        super().restore(code)

    def apply_extras(self, extras):
        if extras["epoch"] != self.run.epoch:
            self.train_to(extras["epoch"])

    def describe(self):
        v, history = self.values(), self.net.history
        if history.diverged:
            where = f"training diverged at epoch {history.diverged_epoch}"
        elif history.epochs:
            where = (f"epoch {history.epochs}: training loss {history.train_loss[-1]:.3f}, test loss "
                     f"{history.test_loss[-1]:.3f}, test accuracy {100 * history.test_accuracy[-1]:.0f}%")
        else:
            where = "epoch 0, the untrained network"
        layers = " → ".join(map(str, self.net.layer_sizes))
        return (f"MLP playground: decision map (probability of class 1 over the plane, training and test points) and "
                f"loss curves of a {layers} network ({v['activation']}) on the "
                f"{_DATASET_LABELS[v['dataset']]} data, {where}. Settings: "
                f"{values_text(self, [n for n in self.controls if n not in ('dataset', 'activation')])}.")

    def _set_epoch_label(self) -> None:
        run, budget = self.run, self.controls["epochs"].value
        if run.diverged:
            state = "<span style='color:#b3261e'>diverged</span>"
        elif run.epoch >= budget:
            state = "done"
        elif self.play.playing:
            state = "training"
        elif run.epoch == 0:
            state = "press &#9654; to train"
        else:
            state = "paused"
        self.epoch_label.value = f"<b>epoch {run.epoch} / {budget}</b> &nbsp;({state})"
        self._step_button.disabled = run.epoch >= budget or run.diverged

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

        epochs = np.arange(history.epochs + 1)
        train_loss = np.r_[self._initial_loss[0], history.train_loss]
        test_loss = np.r_[self._initial_loss[1], history.test_loss]
        self.train_line.set_data(epochs, train_loss)
        self.test_line.set_data(epochs, test_loss)
        finite = np.r_[train_loss, test_loss]
        finite = finite[np.isfinite(finite)]
        high = min(finite.max(), 20.0) if finite.size else 1.0  # clipped cross-entropy never exceeds ~16
        # the curves grow from left to right towards the budget; the loss axis on a coarse scale
        self.ax_loss.set_xlim(0, v["epochs"])
        self.ax_loss.set_ylim(0, _nice_ceiling(max(high, 0.1)))

        if history.diverged:
            self.warning.set_text(f"Training diverged at epoch {history.diverged_epoch}:\n"
                                  f"the loss became NaN or infinite\n(learning rate {v['learning_rate']:.3g} "
                                  "is too large).\nLower it: training restarts.")
            self.warning.set_visible(True)
        else:
            self.warning.set_visible(False)
        self._set_epoch_label()

        sizes = net.layer_sizes
        if history.epochs and not history.diverged:
            numbers = (f"after epoch {history.epochs}: training loss {history.train_loss[-1]:.3f}, test loss "
                       f"{history.test_loss[-1]:.3f}; accuracy {100 * history.train_accuracy[-1]:.0f}% (training), "
                       f"{100 * history.test_accuracy[-1]:.0f}% (test)")
        elif history.diverged:
            numbers = (f"<span style='color:#b3261e'><b>Training diverged at epoch {history.diverged_epoch}</b>: the "
                       "loss became NaN or infinite. Lower the learning rate (training restarts)</span>")
        else:
            numbers = "epoch 0: untrained network (Glorot-uniform weights, zero biases)"
        steps = self._updates_per_epoch()
        self.set_readout(
            f"Layers {' &rarr; '.join(map(str, sizes))}: {net.count_params()} trainable parameters "
            f"(&Sigma; n<sub>in</sub>&middot;n<sub>out</sub> + n<sub>out</sub>). {len(X_train)} training and "
            f"{len(X_test)} test points; one epoch = {steps} update{'s' if steps > 1 else ''} of batch size "
            f"{min(v['batch_size'], len(X_train))}."
            + (" Each point is one recording: the means over its frames of two MFCCs, standardized with the mean "
               "and spread of the training recordings only"
               + (f", plus Gaussian noise of standard deviation {v['noise']:g} (noise 0 shows the recordings' own "
                  "features)." if v["noise"] > 0 else ".") if v["dataset"] == "audio" else "")
            + f"<br>{numbers}.")


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

    # ---- codes and descriptions: the start sliders take the range of the surface shown
    def state_limits(self):
        limits = super().state_limits()
        for i, key in enumerate(("start_0", "start_1")):
            lows, highs = zip(*(surface.extent[2 * i: 2 * i + 2] for surface in SURFACES.values()))
            limits[key] = {"min": float(min(lows)), "max": float(max(highs)), "kind": "number"}
        return limits

    def check_extras(self, extras, values):
        s = SURFACES[values["surface"]]
        for i, key in enumerate(("start_0", "start_1")):
            low, high = s.extent[2 * i: 2 * i + 2]
            if not low <= values[key] <= high:
                raise StateError(f"the code sets {key} to {values[key]:g}, outside the range {low:g} to {high:g} of "
                                 f"the surface {values['surface']!r}")
        return super().check_extras(extras, values)

    def restore(self, code):
        values, _ = self._decode(code)
        self.controls["surface"].value = values["surface"]  # first the surface: the start sliders take its range
        super().restore(code)

    def describe(self):
        v = self.values()
        return (f"Gradient descent on the {v['surface']} surface: contour map with the path of {self._n_taken} steps "
                f"from ({v['start_0']:.2f}, {v['start_1']:.2f}) with learning rate {v['learning_rate']:.3g} to "
                f"({self._theta[0]:.3f}, {self._theta[1]:.3f}), loss {self._final_loss:.4g}"
                + (" (diverged: the run stopped)" if self._diverged else "")
                + "; right: the distance to the lowest loss per step, on a log scale.")

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
        self._theta, self._n_taken, self._final_loss = theta, len(path.losses) - 1, float(path.losses[-1])
        self._diverged = bool(path.diverged)
        extra = ""
        if surface.startswith("line fit"):
            limit = 2 / np.linalg.eigvalsh(line_fit_hessian()).max()
            extra = (f" For this quadratic loss, gradient descent converges exactly when the learning rate is "
                     f"below 2 / &lambda;<sub>max</sub>(Hessian) = {limit:.4f}.")
        self.set_readout(
            f"learning rate &epsilon; = {learning_rate:.3g}; after {len(path.losses) - 1} of {n_steps} steps: "
            f"{s.labels[0]} = {theta[0]:.3f}, {s.labels[1]} = {theta[1]:.3f}, L = {path.losses[-1]:.4g} "
            f"(start: L = {path.losses[0]:.4g}; lowest possible L(&theta;*) = {s.min_loss:.4g}).{extra}")

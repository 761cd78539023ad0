"""The step-through backpropagation explorer of notebook 05: forward, backward one layer at a time, update.

Notebook: ``05_training_an_mlp.ipynb`` (section 3). The maths is :mod:`course_utils.backprop`.

``backprop``: a 2 -> 3 -> 1 network (tanh or ReLU hidden units, a sigmoid output, the binary cross-entropy
averaged over the mini-batch) meets one mini-batch of a playground data set at a time. The buttons run the
training step in its order:

1. **forward**: every unit's ``z`` and ``a`` (shown for one example of the batch, "example shown") and the loss;
2. **backward** (pressed twice): first the output layer 2, then the hidden layer 1, each with the chain rule's
   local factors ``dL/da * da/dz * dz/dw`` per example and their sum over the batch, ``dL/dw``;
3. **update**: ``theta <- theta - learning_rate * dL/dtheta`` for all 13 parameters, and the batch's loss after it;
4. **next batch** draws the next mini-batch of the epoch (keeping the weights); **reset** goes back to the
   initial weights and the first batch.

A button pressed out of order does nothing but say why (the backward pass needs the forward values, the
update needs the gradients of every layer, ...). The step to take next is highlighted, in the figure's step
bar and as the button's colour. Moving the learning rate after an update redoes that update with the new rate
(from the same weights and gradients), so its effect is seen at once; the data set, the activation, the batch
size and the seed start a new run (fresh weights from the seed, the first batch).

An explorer's shareable code (:meth:`Explorer.state`) holds the controls and the steps taken since the run began
(:meth:`BackpropExplorer.state_extras`); restoring it replays them, so an instructor's "after two updates, in the
middle of the backward pass" is every student's picture too.
"""

from __future__ import annotations

import html

import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from course_utils.backprop import (
    backward_pass,
    batch_loss,
    forward_pass,
    initial_parameters,
    minibatch_indices,
    sgd_update,
)
from course_utils.explorer_state import StateError, check_extra_keys
from course_utils.playground_data import make_dataset
from course_utils.widgets import Explorer, dropdown, log_slider, register, selection_slider, slider

#: Hidden units of the explorer's network (the diagram is drawn for this many).
N_HIDDEN = 3
#: Training points of the explorer's data set.
N_POINTS = 40
#: Grid points per axis of the map of P(class 1).
GRID_POINTS = 40
#: Most steps (button presses) a shareable code replays.
MAX_STEPS = 5000

_RESTART_CONTROLS = ("dataset", "activation", "batch_size", "seed")
_STAGES = ("ready", "forward", "backward 2", "backward 1", "updated")
_STEP_LABELS = ("1 forward", "2 backward: layer 2", "3 backward: layer 1", "4 update", "5 next batch")
_POSITIVE, _NEGATIVE = "#2166ac", "#d6604d"  # weight colours: blue > 0, red < 0
_GRADIENT, _UPDATED = "#b3261e", "#1b7837"


def _n(value: float, spec: str) -> str:
    """``value`` formatted with ``spec`` (e.g. ``"+.3f"``), without a minus sign on a value that rounds to zero."""
    digits = int(spec.rstrip("f").split(".")[1])
    return format(round(float(value), digits) + 0.0, spec)


def _sub(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


@register("backprop")
class BackpropExplorer(Explorer):
    """Step through one training step of a 2 -> 3 -> 1 network: forward, backward layer by layer, update.

    Attributes:
        stage: where the step is: ``"ready"`` (a new batch, nothing computed), ``"forward"``,
            ``"backward 2"`` (the backward pass has reached the output layer), ``"backward 1"`` (it reached
            layer 1: every gradient is known), ``"updated"``.
        weights, biases: the current parameters ``[K1, K2]``, ``[b1, b2]`` (after an update: the new ones).
        batch: the indices of the current mini-batch into :attr:`X`, :attr:`y`.
        forward: the :class:`course_utils.backprop.ForwardPass` of the batch (``None`` before "forward").
        gradients: the :class:`course_utils.backprop.LayerGradients` computed so far, last layer first.
        loss_before, loss_after: the batch's loss before and (after an update) after the update.
        updates: how many updates this run has made.
        notice: why the last button did nothing (empty when it did what it says).
    """

    title = "Backpropagation, step by step"
    help = ("Press forward, backward (twice: layer 2, then layer 1), update, then next batch. The highlighted "
            "button is the next step; the table under the figure shows every gradient by the chain rule.")
    figsize = (10.0, 4.6)

    def make_controls(self):
        return {
            "dataset": dropdown("data set", [("XOR", "xor"), ("circle", "circle"), ("Gaussian blobs", "blobs")],
                                "xor"),
            "activation": dropdown("hidden activation f", ["tanh", "relu"], "tanh"),
            "batch_size": selection_slider("batch size N", [1, 2, 4, 8], 4),
            "learning_rate": log_slider("learning rate ε", 0.5, -2, 1, step=0.1),
            "seed": slider("seed (data and weights)", 0, 0, 9),
            "example": slider("example shown (of the batch)", 1, 1, 8),
        }

    # ---- figure
    def build(self, fig):
        self._run_key = None
        self._map_key = None
        self.notice = ""
        grid = fig.add_gridspec(1, 2, width_ratios=[1.0, 2.1])
        self.ax_data = fig.add_subplot(grid[0])
        self.ax_net = fig.add_subplot(grid[1])
        cmap = LinearSegmentedColormap.from_list("two_classes", ["#f9c89b", "#ffffff", "#a6cbe6"])
        self.heatmap = self.ax_data.imshow(np.full((GRID_POINTS, GRID_POINTS), 0.5), origin="lower", cmap=cmap,
                                           vmin=0, vmax=1, aspect="auto", interpolation="nearest")
        self.points = self.ax_data.scatter([], [], s=12, alpha=0.45, linewidths=0)
        self.batch_points = self.ax_data.scatter([], [], s=60, edgecolors="black", linewidths=1.0, zorder=3)
        (self.ring,) = self.ax_data.plot([], [], "o", ms=14, mfc="none", mec="#222222", mew=2.0, zorder=4)
        self.ax_data.set(xticks=[], yticks=[], xlabel="feature x₁", ylabel="feature x₂")
        self.ax_data.set_title("P(class 1): orange class 0, blue class 1\nlarge dots: the batch; ring: example shown",
                               fontsize="small")
        self._build_network()
        for name, callback in (("forward", self.press_forward), ("backward", self.press_backward),
                               ("update", self.press_update), ("next batch", self.press_next_batch),
                               ("reset", self.press_reset)):
            self.add_button(name, callback, busy="computing…")

    def _build_network(self):
        ax = self.ax_net
        ax.set(xlim=(-0.55, 3.95), ylim=(-2.3, 2.0), xticks=[], yticks=[])
        for side in ax.spines.values():
            side.set_visible(False)
        self.pos = {("x", k): (0.0, 0.7 - 1.4 * k) for k in range(2)}
        self.pos.update({("h", j): (1.45, 1.3 - 1.3 * j) for j in range(N_HIDDEN)})
        self.pos[("p", 0)] = (2.8, 0.0)
        self.edges, self.edge_labels = {}, {}
        # the labels of the six input weights sit near the inputs, where their edges are furthest apart
        for l, (src, dst, n_in, n_out, t) in enumerate((("x", "h", 2, N_HIDDEN, 0.25),
                                                        ("h", "p", N_HIDDEN, 1, 0.5)), start=1):
            for k in range(n_in):
                for j in range(n_out):  # edge (l, k, j): from unit k of layer l-1 to unit j of layer l
                    (x0, y0), (x1, y1) = self.pos[(src, k)], self.pos[(dst, j)]
                    (line,) = ax.plot([x0, x1], [y0, y1], color="#999999", lw=1.0, zorder=1, solid_capstyle="butt")
                    self.edges[(l, k, j)] = line
                    self.edge_labels[(l, k, j)] = ax.text(
                        x0 + t * (x1 - x0), y0 + t * (y1 - y0), "", ha="center", va="center", fontsize=6.5, zorder=3,
                        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
        # the edges change on every step, so the nodes drawn over them are redrawn too (see dynamic_artists)
        xy = np.array(list(self.pos.values()))
        self.nodes = ax.scatter(xy[:, 0], xy[:, 1], s=620, color="white", edgecolors="#333333", linewidths=1.3,
                                zorder=4)
        self.node_names, self.above, self.below = [], {}, {}
        plate = {"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8}
        for (kind, i), (x, y) in self.pos.items():
            self.node_names.append(ax.text(x, y, kind if kind == "p" else f"{kind}{_sub(i + 1)}", ha="center",
                                           va="center", fontsize=10, zorder=5))
            self.above[(kind, i)] = ax.text(x, y + 0.22, "", ha="center", va="bottom", fontsize=7.5, zorder=5,
                                            bbox=plate)
            self.below[(kind, i)] = ax.text(x, y - 0.23, "", ha="center", va="top", fontsize=7.5, zorder=5,
                                            color=_GRADIENT, bbox=plate)
        (xp, yp) = self.pos[("p", 0)]
        ax.annotate("", xy=(3.3, 0.0), xytext=(xp + 0.17, yp), arrowprops={"arrowstyle": "->", "color": "#333333"})
        self.loss_text = ax.text(3.6, 0.0, "", ha="center", va="center", fontsize=8.5, zorder=5,
                                 bbox={"boxstyle": "round,pad=0.3", "facecolor": "#f6f6f6", "edgecolor": "#333333"})
        ax.text(1.7, -2.0, "numbers on the edges: the weight w (black), its gradient ∂L/∂w (red), "
                "w before → after the update (green)", ha="center", va="bottom", fontsize=7, color="#555555")
        self.header = ax.text(1.7, -2.28, "", ha="center", va="bottom", fontsize=8, color="#333333")
        self.step_texts = []
        for i, label in enumerate(_STEP_LABELS):
            self.step_texts.append(ax.text(-0.5 + 0.9 * i, 1.97, label, ha="left", va="top", fontsize=7.5,
                                           bbox={"boxstyle": "round,pad=0.25", "edgecolor": "none"}))

    def dynamic_artists(self):
        # Text is what costs most to draw, so a slider redraws only what depends on the example shown. The map,
        # the batch, the edges and their numbers and the step bar change with a button press (or with the
        # learning rate after an update) and form the background, drawn anew when background_key changes.
        return [self.ring, *self.above.values(), *self.below.values(), self.loss_text, self.header]

    def background_key(self):
        before = () if self._weights_before is None else tuple(a.tobytes() for a in sum(self._weights_before, []))
        return super().background_key() + (self._map_key, self.epoch, self.batch_number, self.stage, before)

    # ---- runs and batches
    def _new_run(self, v) -> None:
        X, y = make_dataset(v["dataset"], N_POINTS, noise=0.1, seed=v["seed"])
        self.X, self.y = X, y
        self.weights, self.biases = initial_parameters(N_HIDDEN, seed=v["seed"])
        self.epoch, self.batch_number, self.updates = 0, 0, 0
        self._log: list = []  # the steps taken in this run: [action, learning rate of an update or None]
        self._batches = minibatch_indices(N_POINTS, v["batch_size"], seed=v["seed"], epoch=0)
        pad = 0.15 * (X.max(axis=0) - X.min(axis=0))
        low, high = X.min(axis=0) - pad, X.max(axis=0) + pad
        self.extent = (low[0], high[0], low[1], high[1])
        gx, gy = np.meshgrid(np.linspace(low[0], high[0], GRID_POINTS), np.linspace(low[1], high[1], GRID_POINTS))
        self.grid = np.c_[gx.ravel(), gy.ravel()]
        self.heatmap.set_extent(self.extent)
        self.ax_data.set(xlim=self.extent[:2], ylim=self.extent[2:])
        self.points.set_offsets(X)
        self.points.set_color(np.where(y[:, None] == 1, np.array([[0.13, 0.4, 0.67, 1.0]]),
                                       np.array([[0.9, 0.45, 0.1, 1.0]])))
        self._start_batch()

    def _start_batch(self) -> None:
        self.batch = self._batches[self.batch_number]
        self.stage = "ready"
        self.forward = None
        self.gradients = []
        self.loss_before = self.loss_after = None
        self._weights_before = None

    # ---- the buttons (each one checks that it is its turn, else says why in self.notice)
    def press_forward(self) -> None:
        """Run the forward pass of the current batch (step 1)."""
        if self.stage != "ready":
            self.notice = ("This batch's forward pass is done already; the update is made, press next batch."
                           if self.stage == "updated" else
                           "This batch's forward pass is done already: continue with backward.")
            return
        self.notice = ""
        self.forward = forward_pass(self.weights, self.biases, self.X[self.batch], self._activation)
        self.loss_before = batch_loss(self.forward, self.y[self.batch])
        self.stage = "forward"
        self._log.append(["f", None])

    def press_backward(self) -> None:
        """Take the backward pass one layer further: layer 2 (output) first, then layer 1 (step 2, 3)."""
        if self.stage == "ready":
            self.notice = ("Press forward first: the backward pass multiplies by values of the forward pass "
                           "(z, a and p of every unit), which this batch does not have yet.")
            return
        if self.stage in ("backward 1", "updated"):
            self.notice = ("The backward pass is complete: it reached layer 1, the first layer, and there is no "
                           "layer before it. " + ("Press update." if self.stage == "backward 1" else
                                                  "The update is made: press next batch."))
            return
        self.notice = ""
        full = backward_pass(self.forward, self.weights, self.y[self.batch])
        if self.stage == "forward":
            self.gradients = full[:1]
            self.stage = "backward 2"
        else:
            self.gradients = full
            self.stage = "backward 1"
        self._log.append(["b", None])

    def press_update(self, learning_rate: float | None = None) -> None:
        """Apply theta <- theta - learning_rate * dL/dtheta to every weight and bias (step 4).

        ``learning_rate``: the rate to use, by default the slider's (a restored code gives earlier ones).
        """
        reasons = {
            "ready": "Nothing to update yet: the update needs the gradients, so press forward, then backward twice.",
            "forward": ("The update needs the gradient of every parameter, and the backward pass has not started: "
                        "press backward (layer 2), then backward again (layer 1)."),
            "backward 2": ("The backward pass has reached layer 2 only: the gradients of K1 and b1 are still "
                           "missing. Press backward once more: layer 1 needs dL/da of the hidden units, "
                           "which layer 2 has just passed down."),
            "updated": ("This batch's update is made. A second step would need new gradients at the new weights: "
                        "press next batch, then forward and backward."),
        }
        if self.stage in reasons:
            self.notice = reasons[self.stage]
            return
        self.notice = ""
        self._weights_before = (self.weights, self.biases)
        self.stage = "updated"
        self.updates += 1
        self._log.append(["u", None])
        self._apply_update(self.controls["learning_rate"].value if learning_rate is None else learning_rate)

    def _apply_update(self, learning_rate: float) -> None:
        before_w, before_b = self._weights_before
        self.weights, self.biases = sgd_update(before_w, before_b, self.gradients, learning_rate)
        self.learning_rate_used = learning_rate
        self._log[-1][1] = learning_rate  # an update redone with another rate is remembered with that rate
        after = forward_pass(self.weights, self.biases, self.X[self.batch], self._activation)
        self.loss_after = batch_loss(after, self.y[self.batch])

    def press_next_batch(self) -> None:
        """Draw the next mini-batch of the epoch (a new shuffle after the last one); the weights stay."""
        skipped = self.stage not in ("ready", "updated")
        self.batch_number += 1
        if self.batch_number == len(self._batches):
            self.epoch += 1
            self.batch_number = 0
            self._batches = minibatch_indices(N_POINTS, len(self._batches[0]), seed=self._seed, epoch=self.epoch)
        self._start_batch()
        self._log.append(["n", None])
        self.notice = ("The previous batch was left without an update (its forward/backward values are dropped)."
                       if skipped else "")

    def press_reset(self) -> None:
        """Back to the initial weights of the seed and the first batch."""
        self._new_run(self.values())
        self.notice = ""

    # ---- update
    def update(self, dataset, activation, batch_size, learning_rate, seed, example):
        key = (dataset, activation, batch_size, seed)
        if key != self._run_key:
            self._run_key = key
            self._activation, self._seed = activation, seed
            self.notice = ""
            self._new_run(self.values())
        elif self.stage == "updated" and learning_rate != self.learning_rate_used:
            self._apply_update(learning_rate)  # the same step, redone with the new rate
        i = self.cap("example", len(self.batch)) - 1
        self._draw_data(i)
        self._draw_network(i, learning_rate)
        self._draw_steps()
        self.set_readout(self._readout(i, learning_rate))

    def _draw_data(self, i: int) -> None:
        map_key = (self._run_key, *(array.tobytes() for array in self.weights + self.biases))
        if map_key != self._map_key:
            proba = forward_pass(self.weights, self.biases, self.grid, self._activation).P
            self.heatmap.set_data(proba.reshape(GRID_POINTS, GRID_POINTS))
            self._map_key = map_key
        Xb, yb = self.X[self.batch], self.y[self.batch]
        self.batch_points.set_offsets(Xb)
        self.batch_points.set_facecolor(np.where(yb[:, None] == 1, np.array([[0.13, 0.4, 0.67, 1.0]]),
                                                 np.array([[0.9, 0.45, 0.1, 1.0]])))
        self.ring.set_data(Xb[i:i + 1, 0], Xb[i:i + 1, 1])

    def _layer_gradients(self, layer: int):
        return next((g for g in self.gradients if g.layer == layer), None)

    def _draw_network(self, i: int, learning_rate: float) -> None:
        f, n = self.forward, len(self.batch)
        xb = self.X[self.batch][i]
        updated = self.stage == "updated"
        kernels = self._weights_before[0] if updated else self.weights
        biases = self._weights_before[1] if updated else self.biases
        for (l, k, j), line in self.edges.items():
            w = kernels[l - 1][k, j]
            line.set_color(_POSITIVE if w >= 0 else _NEGATIVE)
            line.set_linewidth(0.6 + 2.4 * min(abs(w), 1.5))
            g = self._layer_gradients(l)
            label = self.edge_labels[(l, k, j)]
            if updated:
                label.set_text(f"{_n(w, '.2f')}→{_n(self.weights[l - 1][k, j], '.2f')}")
                label.set_color(_UPDATED)
            elif g is not None:
                label.set_text(_n(g.dK[k, j], "+.3f"))
                label.set_color(_GRADIENT)
            else:
                label.set_text(_n(w, ".2f"))
                label.set_color("#222222")
        for k in range(2):
            self.above[("x", k)].set_text(f"x{_sub(k + 1)} = {_n(xb[k], '.2f')}")
        for (kind, l) in (("h", 1), ("p", 2)):
            g = self._layer_gradients(l)
            for j in range(N_HIDDEN if kind == "h" else 1):
                if f is None:
                    self.above[(kind, j)].set_text("")
                elif kind == "h":
                    self.above[(kind, j)].set_text(f"z = {_n(f.Z1[i, j], '.2f')}, a = {_n(f.A1[i, j], '.2f')}")
                else:
                    self.above[(kind, j)].set_text(f"z = {_n(f.Z2[i, 0], '.2f')}\np = {_n(f.P[i, 0], '.3f')}")
                b = biases[l - 1][j]
                if updated:
                    text, color = f"b {_n(b, '.3f')}→{_n(self.biases[l - 1][j], '.3f')}", _UPDATED
                elif g is not None:
                    text, color = f"δ = {_n(g.delta[i, j], '+.3f')}\n∂L/∂b = {_n(g.db[j], '+.3f')}", _GRADIENT
                else:
                    text, color = f"b = {_n(b, '.3f')}", "#222222"
                self.below[(kind, j)].set_text(text)
                self.below[(kind, j)].set_color(color)
        if f is None:
            self.loss_text.set_text("L = ?\n(forward first)")
        elif updated:
            self.loss_text.set_text(f"L before: {self.loss_before:.3f}\nL after: {self.loss_after:.3f}\n(same batch)")
        else:
            self.loss_text.set_text(f"y = {self.y[self.batch][i]}\nL = {self.loss_before:.3f}\n(batch mean)")
        self.header.set_text(f"epoch {self.epoch + 1}, batch {self.batch_number + 1} of {len(self._batches)} "
                             f"(N = {n}); values of example {i + 1}; {self.updates} update"
                             f"{'' if self.updates == 1 else 's'} so far")

    def _draw_steps(self) -> None:
        done = _STAGES.index(self.stage)  # steps 1..done are done
        for s, text in enumerate(self.step_texts, start=1):
            if s <= done:
                text.get_bbox_patch().set_facecolor("#d9f0d3")
                text.set_fontweight("normal")
                text.set_color("#1b7837")
            elif s == done + 1:
                text.get_bbox_patch().set_facecolor("#ffe08a")
                text.set_fontweight("bold")
                text.set_color("black")
            else:
                text.get_bbox_patch().set_facecolor("#eeeeee")
                text.set_fontweight("normal")
                text.set_color("#777777")
        next_button = ("forward", "backward", "backward", "update", "next batch")[done]
        for name, button in self.buttons.items():
            button.button_style = "primary" if name == next_button else ""

    # ---- the table under the figure
    def _readout(self, i: int, learning_rate: float) -> str:
        where = {"ready": "A new mini-batch is drawn. Next: <b>forward</b>.",
                 "forward": "The forward pass is done and the loss is known. Next: <b>backward</b> (layer 2).",
                 "backward 2": ("The backward pass has reached <b>layer 2</b> (the output layer). Next: "
                                "<b>backward</b> again, to layer 1."),
                 "backward 1": ("The backward pass has reached <b>layer 1</b>: every gradient is known. Next: "
                                "<b>update</b>."),
                 "updated": (f"Updated with &epsilon; = {self.learning_rate_used:.3g}: the batch's loss went from "
                             f"{self.loss_before:.4f} to {self.loss_after:.4f}. Next: <b>next batch</b>.")
                 if self.stage == "updated" else ""}[self.stage]
        parts = [f"<p><b>Step:</b> {where}</p>"]
        if self.notice:
            parts.append(f"<p style='color:#b3261e'><b>Not now:</b> {html.escape(self.notice)}</p>")
        if self.gradients:
            parts.append(self._gradient_table(i, learning_rate))
        elif self.forward is not None:
            parts.append("<p>Loss of the batch: L = &minus;(1/N) &Sigma;<sub>i</sub> [y<sub>i</sub> log p<sub>i</sub> "
                         f"+ (1 &minus; y<sub>i</sub>) log(1 &minus; p<sub>i</sub>)] = {self.loss_before:.4f}.</p>")
        return "".join(parts)

    def _gradient_table(self, i: int, learning_rate: float) -> str:
        n = len(self.batch)
        updated = self.stage == "updated"
        kernels, biases = self._weights_before if updated else (self.weights, self.biases)
        rate = self.learning_rate_used if updated else learning_rate
        head = ("<tr><th>parameter &theta;</th><th>value</th>"
                f"<th>example {i + 1}: &part;L/&part;a &times; &part;a/&part;z &times; &part;z/&part;&theta;</th>"
                f"<th>&part;L/&part;&theta; (sum over the N = {n} examples)</th>"
                f"<th>&theta; &minus; &epsilon;&middot;&part;L/&part;&theta; (&epsilon; = {rate:.3g})</th></tr>")
        rows = []
        for g in self.gradients:
            unit = "p" if g.layer == 2 else "h"
            if g.layer == 2:
                factors = ("&part;L/&part;a = &part;L/&part;p = (p &minus; y) / (N p (1 &minus; p)) (the loss), "
                           "&part;a/&part;z = &sigma;'(z) = p (1 &minus; p), &part;z/&part;w = the hidden unit's "
                           "a<sub>k</sub> that the weight multiplies")
            else:
                derivative = ("1 &minus; a&sup2; (tanh)" if self._activation == "tanh" else
                              "1 where z &gt; 0, else 0 (ReLU)")
                factors = ("&part;L/&part;a of h<sub>j</sub> = &delta; of p &times; K<sup>(2)</sup>[j,1] (passed down "
                           f"from layer 2), &part;a/&part;z = f'(z) = {derivative}, &part;z/&part;w = the input "
                           "x<sub>k</sub> that the weight multiplies")
            rows.append(f"<tr><td colspan='5' style='background:#f3f3f3;text-align:left'><b>Layer {g.layer}</b> "
                        f"({'output' if g.layer == 2 else 'hidden'}): {factors}; &part;z/&part;b = 1</td></tr>")
            n_in, n_out = g.dK.shape
            for j in range(n_out):
                target = "p" if unit == "p" else f"h<sub>{j + 1}</sub>"
                for k in range(n_in + 1):
                    is_bias = k == n_in
                    if is_bias:
                        name, value, local, total = f"b<sup>({g.layer})</sup> of {target}", biases[g.layer - 1][j], \
                            1.0, g.db[j]
                    else:
                        source = f"x<sub>{k + 1}</sub>" if g.layer == 1 else f"h<sub>{k + 1}</sub>"
                        name = f"K<sup>({g.layer})</sup>[{k + 1},{j + 1}]: {source} &rarr; {target}"
                        value, local, total = kernels[g.layer - 1][k, j], g.dZ_dK[i, k], g.dK[k, j]
                    term = g.dL_dA[i, j] * g.dA_dZ[i, j] * local
                    factors = (f"{_n(g.dL_dA[i, j], '+.4f')} &times; {_n(g.dA_dZ[i, j], '.4f')} &times; "
                               f"{_n(local, '+.4f')} = {_n(term, '+.5f')}")
                    rows.append(f"<tr><td>{name}</td><td>{_n(value, '+.4f')}</td><td>{factors}</td>"
                                f"<td>{_n(total, '+.5f')}</td><td>{_n(value - rate * total, '+.4f')}</td></tr>")
        css = (".course-bp td,.course-bp th{padding:1px 8px;text-align:right}"
               ".course-bp td:first-child,.course-bp th:first-child{text-align:left}")
        return f"<style>{css}</style><table class='course-bp' style='font-size:90%'>{head}{''.join(rows)}</table>"

    # ---- shareable codes: the controls, plus the steps taken since the run began (replayed on restore)
    def state_extras(self) -> dict:
        """``{"steps": "fbbun...", "rates": [...]}``: the buttons pressed in this run, in order.

        ``f``, ``b``, ``n``: forward, backward, next batch; ``u``: an update with the learning rate the code
        sets, ``U``: one with another rate, the next entry of ``rates`` (the student moved the slider since).
        """
        rate_now = self.controls["learning_rate"].value
        steps, rates = [], []
        for action, rate in self._log:
            if action == "u" and rate != rate_now:
                steps.append("U")
                rates.append(rate)
            else:
                steps.append(action)
        return {"steps": "".join(steps), "rates": rates}

    def check_extras(self, extras, values):
        check_extra_keys(self, extras, ("steps", "rates"))
        steps, rates = extras["steps"], extras["rates"]
        if not isinstance(steps, str) or len(steps) > MAX_STEPS or set(steps) - set("fbuUn"):
            raise StateError(f"the code's steps must be at most {MAX_STEPS} of the letters f, b, u, U, n, "
                             f"got {steps!r:.60}")
        if not isinstance(rates, list) or len(rates) != steps.count("U") or not all(
                isinstance(r, (int, float)) and not isinstance(r, bool) and 0 < r <= 100 for r in rates):
            raise StateError(f"the code's rates must be one learning rate in (0, 100] per U in its steps, got "
                             f"{rates!r:.60}")
        stage = "ready"
        for position, action in enumerate(steps, start=1):  # the order the buttons allow
            allowed = {"f": ("ready",), "b": ("forward", "backward 2"), "u": ("backward 1",), "U": ("backward 1",),
                       "n": _STAGES}[action]
            if stage not in allowed:
                raise StateError(f"step {position} of the code ({action!r}) is out of order after {stage!r}")
            stage = {"f": "forward", "b": "backward 2" if stage == "forward" else "backward 1", "u": "updated",
                     "U": "updated", "n": "ready"}[action]
        return {"steps": steps, "rates": [float(r) for r in rates]}

    def apply_extras(self, extras):
        if self.state_extras() == extras:
            return
        self._new_run(self.values())
        rates = iter(extras["rates"])
        press = {"f": self.press_forward, "b": self.press_backward, "n": self.press_next_batch,
                 "u": self.press_update, "U": lambda: self.press_update(next(rates))}
        for action in extras["steps"]:
            press[action]()
        self.notice = ""
        self.refresh()

    def describe(self) -> str:
        """A short text description of the picture (for the image's alternative text)."""
        status = {"ready": "a new mini-batch, before the forward pass",
                  "forward": f"after the forward pass, loss {self.loss_before:.3f}" if self.forward else "",
                  "backward 2": "the backward pass has reached layer 2",
                  "backward 1": "the backward pass has reached layer 1; every gradient is known",
                  "updated": (f"after the update, loss {self.loss_before:.3f} → {self.loss_after:.3f}"
                              if self.loss_after is not None else "")}[self.stage]
        v = self.values()
        return (f"Backpropagation step through a 2-3-1 network ({self._activation} hidden units, sigmoid output) "
                f"on the {self._run_key[0]} data, seed {self._seed}, learning rate {v['learning_rate']:.3g}: "
                f"epoch {self.epoch + 1}, batch {self.batch_number + 1} of {len(self._batches)} "
                f"(N = {len(self.batch)}, example {v['example']} shown); {status}.")

"""Explorers of notebook 04: one neuron, the activation functions, softmax with a temperature, the losses.

Notebook: ``04_neurons_activations_losses.ipynb``.
"""

from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib.transforms import offset_copy
from matplotlib.ticker import FixedFormatter, FixedLocator, FormatStrFormatter, MaxNLocator, NullLocator

from course_utils.activations import (
    ACTIVATIONS, EPSILON, LOSSES, SELU_ALPHA, SELU_LAMBDA, deep_stack_statistics, neuron, softmax,
)
from course_utils.explorer_state import format_value
from course_utils.widgets import Explorer, checkbox, dropdown, log_slider, register, show_colours, slider

_ACTIVATION_OPTIONS = [("ReLU", "relu"), ("SELU", "selu"), ("sigmoid", "sigmoid"), ("tanh", "tanh"),
                       ("linear", "linear")]
def _few_ticks(*axes, n: int = 5) -> None:
    """At most ``n`` major ticks and no minor ticks: tick labels are most of the cost of a redraw."""
    for ax in axes:
        for axis in (ax.xaxis, ax.yaxis):
            if axis.get_scale() == "linear":
                axis.set_major_locator(MaxNLocator(n))
            axis.set_minor_locator(NullLocator())


_FORMULAS = {
    "relu": "f(z) = max(0, z)",
    "selu": f"f(z) = &lambda;z (z &gt; 0), &lambda;&alpha;(e<sup>z</sup> &minus; 1) otherwise, "
            f"&lambda; = {SELU_LAMBDA:.4f}, &alpha; = {SELU_ALPHA:.4f}",
    "sigmoid": "f(z) = 1 / (1 + e<sup>&minus;z</sup>)",
    "tanh": "f(z) = tanh(z)",
    "linear": "f(z) = z",
}


#: Activations with a bounded output: the neuron explorer's colour scale spans this range.
_BOUNDED = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}


@register("neuron")
class NeuronExplorer(Explorer):
    """One neuron with two inputs: its output a = f(w1 x1 + w2 x2 + b) over the input plane."""

    title = "One artificial neuron with two inputs"
    help = ("a = f(w1·x1 + w2·x2 + b). Left: the output for every input (x1, x2); the dashed line is where "
            "z = 0; the colour scale is the activation's whole range for sigmoid (0 … 1) and tanh (−1 … 1), the "
            "range of the outputs shown for the others. Right: the activation f(z) with the range of z over the "
            "plane shaded.")
    figsize = (9.5, 3.8)
    extent = 3.0
    n_grid = 121

    def make_controls(self):
        return {
            "w1": slider("weight w1", 1.0, -3.0, 3.0, 0.1),
            "w2": slider("weight w2", -0.5, -3.0, 3.0, 0.1),
            "bias": slider("bias b", 0.0, -3.0, 3.0, 0.1),
            "activation": dropdown("activation f", _ACTIVATION_OPTIONS, "sigmoid"),
        }

    def build(self, fig):
        self.ax_plane, self.ax_f = fig.subplots(1, 2, width_ratios=[1.15, 1])
        grid = np.linspace(-self.extent, self.extent, self.n_grid)
        x1, x2 = np.meshgrid(grid, grid)
        self.inputs = np.column_stack([x1.ravel(), x2.ravel()])
        self.plane_image = self.ax_plane.imshow(np.zeros((self.n_grid, self.n_grid)), origin="lower", cmap="viridis",
                                          extent=(-self.extent, self.extent, -self.extent, self.extent),
                                          aspect="equal", interpolation="nearest")
        self.colorbar = self.ax_plane.figure.colorbar(self.plane_image, ax=self.ax_plane)
        (self.zero_line,) = self.ax_plane.plot([], [], "w--", lw=1.5)
        self.arrow = self.ax_plane.annotate("", xy=(0, 0), xytext=(0, 0),
                                            arrowprops={"arrowstyle": "->", "color": "white", "lw": 2})
        self.ax_plane.set(xlabel="input x1", ylabel="input x2", xlim=(-self.extent, self.extent),
                          ylim=(-self.extent, self.extent), title="output a over the input plane")
        z = np.linspace(-10, 10, 401)
        self.z_axis = z
        (self.f_line,) = self.ax_f.plot(z, z, lw=2, color="C0")
        self.span = self.ax_f.axvspan(-1, 1, color="C1", alpha=0.2, label="z over the plane")
        self.f_axes_lines = [self.ax_f.axhline(0, color="0.6", lw=0.8), self.ax_f.axvline(0, color="0.6", lw=0.8)]
        self.ax_f.set(xlabel="pre-activation z", ylabel="f(z)", xlim=(-10, 10), title="activation")
        self.f_legend = self.ax_f.legend(loc="upper left", fontsize="small")
        _few_ticks(self.ax_f)
        # tick labels widen (to "10.0") after the layout is frozen: leave room for four digits at any font size
        size = matplotlib.rcParams["font.size"]
        self.ax_f.yaxis.set_label_coords(0.0, 0.5, transform=offset_copy(self.ax_f.transAxes, fig=fig,
                                                                         x=-(2.6 * size + 10), units="points"))
        self.ax_plane.grid(False)
        for axis in (self.ax_plane.xaxis, self.ax_plane.yaxis):
            axis.set_major_locator(FixedLocator([-3, -2, -1, 0, 1, 2, 3]))
        self.colorbar.locator = MaxNLocator(5)
        self.colorbar.minorticks_off()
        # Lay the figure out once with about the widest tick labels it shows ("-0.15" on the colour bar, "10" on
        # the right), then freeze it: the layout then does not depend on the initial values, and a blitted
        # picture equals a freshly built one (see Explorer.dynamic_artists).
        self.plane_image.set_clim(-0.3, 0.3)
        self.ax_f.set_ylim(-1.2, 10.2)
        fig.draw_without_rendering()
        fig.set_layout_engine("none")

    def dynamic_artists(self):
        # The colour bar follows the output range on every change: only its axis (a few tick labels) is redrawn,
        # since its colours, the colour map from bottom to top, are the same pixels for any range (they stay in
        # the background); so is the y axis of the right panel, whose limits follow the activation. Nothing else
        # ever changes, so no change needs a full redraw.
        return [self.plane_image, self.zero_line, *self.ax_plane.spines.values(), self.arrow, self.colorbar.ax.yaxis,
                self.span, self.ax_f.yaxis, *self.f_axes_lines, self.f_line, self.f_legend]

    def update(self, w1, w2, bias, activation):
        w = np.array([w1, w2])
        a = neuron(self.inputs, w, bias, activation).reshape(self.n_grid, self.n_grid)
        if activation in _BOUNDED:  # the whole output range: a nearly constant output looks nearly constant
            lo, hi = _BOUNDED[activation]
        else:
            lo, hi = float(a.min()), float(a.max())
            if hi - lo < 1e-9:  # a constant output (all weights 0, or a dead ReLU): keep a visible scale
                lo, hi = lo - 0.5, hi + 0.5
        show_colours(self.plane_image, a, lo, hi)
        # the line z = 0: w1 x1 + w2 x2 + b = 0
        t = np.linspace(-2 * self.extent, 2 * self.extent, 2)
        norm = np.hypot(w1, w2)
        if norm > 1e-12:
            point = -bias * w / norm**2
            direction = np.array([-w2, w1]) / norm
            self.zero_line.set_data(point[0] + t * direction[0], point[1] + t * direction[1])
            # start on the line z = 0 if that is on the plane, else at the origin, so the arrow stays visible
            start = point if np.abs(point).max() <= self.extent - 1.0 else np.zeros(2)
            self.arrow.xy = tuple(start + w / norm)
            self.arrow.set_position(tuple(start))
            self.arrow.set_visible(True)
        else:
            self.zero_line.set_data([], [])
            self.arrow.set_visible(False)
        f = ACTIVATIONS[activation][0]
        self.f_line.set_ydata(f(self.z_axis))
        z_corners = np.abs(w1) * self.extent + np.abs(w2) * self.extent
        z_lo, z_hi = bias - z_corners, bias + z_corners
        self.span.set_x(z_lo)
        self.span.set_width(max(z_hi - z_lo, 0.05))
        f_values = f(self.z_axis)
        self.ax_f.set_ylim(min(-1.2, f_values.min() - 0.2), max(1.2, min(f_values.max(), 10) + 0.2))
        dead = activation == "relu" and float(a.max()) <= 0
        self.set_readout(
            f"z = {w1:+.1f}&middot;x1 {w2:+.1f}&middot;x2 {bias:+.1f}; over the plane z ranges from "
            f"{z_lo:.1f} to {z_hi:.1f}; {_FORMULAS[activation]}; output a from {float(a.min()):.3f} to "
            f"{float(a.max()):.3f}." + (" <b>Every output is 0: this ReLU is dead on this whole plane.</b>"
                                        if dead else "")
            + " The arrow shows the direction of the weight vector (where z grows).")
        self._said = (f"the output a = {activation}(z) of z = {w1:+.1f}·x1 {w2:+.1f}·x2 {bias:+.1f} as a colour map "
                      f"over the input plane, from {float(a.min()):.3f} to {float(a.max()):.3f}, with the line z = 0 "
                      f"and the weight vector as an arrow" + (" (a dead ReLU: every output is 0)" if dead else "")
                      + f"; right: the {activation} curve with the range of z on the plane")

    def describe(self):
        return f"One neuron: {self._said}."


@register("activations")
class ActivationsExplorer(Explorer):
    """An activation f(z) and its derivative, and the statistics of a deep stack of such layers."""

    title = "Activation functions, their derivatives and deep stacks"
    help = ("Left: f(z) and f'(z); the dot marks z. Right, on a log scale: standard deviation (solid) and |mean| "
            "(dashed) of the "
            "activations after each layer of a 30-layer dense stack (width 128, biases 0) with weights "
            "N(0, (scale)^2 / 128); scale 1 is LeCun-normal initialisation.")
    figsize = (10.0, 3.8)
    n_layers = 30
    width = 128
    n_samples = 256
    stack_range = (1e-16, 1e11)  # the stack panel's y range

    def make_controls(self):
        return {
            "activation": dropdown("activation f", _ACTIVATION_OPTIONS, "sigmoid"),
            "z": slider("z", 2.0, -8.0, 8.0, 0.25),
            "weight_scale": slider("weight scale (1 = LeCun)", 1.0, 0.5, 2.0, 0.1),
            "compare": checkbox("show the other activations in grey", True),
        }

    def build(self, fig):
        self.ax_f, self.ax_stack = fig.subplots(1, 2)
        z = np.linspace(-8, 8, 401)
        self.z_axis = z
        self.grey_lines = {name: self.ax_f.plot(z, f(z), color="0.8", lw=1, zorder=1)[0]
                           for name, (f, _) in ACTIVATIONS.items()}
        (self.f_line,) = self.ax_f.plot(z, z, lw=2.2, color="C0", label="f(z)", zorder=3)
        (self.df_line,) = self.ax_f.plot(z, z, lw=2.0, color="C3", ls="--", label="f'(z)", zorder=3)
        (self.f_dot,) = self.ax_f.plot([0], [0], "o", color="C0", ms=7, zorder=4)
        (self.df_dot,) = self.ax_f.plot([0], [0], "o", color="C3", ms=7, zorder=4)
        self.ax_f.axhline(0, color="0.6", lw=0.8)
        self.ax_f.axvline(0, color="0.6", lw=0.8)
        self.ax_f.set(xlabel="z", xlim=(-8, 8), ylim=(-2.0, 3.0), title="activation and derivative")
        self.ax_f.legend(loc="upper left", fontsize="small")
        layers = np.arange(1, self.n_layers + 1)
        self.layers = layers
        (self.std_line,) = self.ax_stack.plot(layers, np.ones(self.n_layers), "-o", ms=3, color="C2", label="std")
        (self.mean_line,) = self.ax_stack.plot(layers, np.ones(self.n_layers), "--s", ms=3, color="C4",
                                               label="|mean|")
        self.ax_stack.axhline(1, color="0.6", lw=0.8, ls=":")
        self.ax_stack.set(xlabel="layer", ylabel="std and |mean| (log scale)",
                          xlim=(0.5, self.n_layers + 0.5), title="a deep stack of such layers")
        # a log scale over 27 decades (1e-16 to 1e11): vanishing (1e-14) and exploding (1e9) statistics stay in view
        self.ax_stack.set_yscale("log")
        self.ax_stack.set_ylim(*self.stack_range)
        self.ax_stack.legend(loc="lower left", fontsize="small")
        self.ax_stack.yaxis.set_major_locator(FixedLocator([1e-15, 1e-10, 1e-5, 1, 1e5, 1e10]))
        # plain labels: the default log labels are mathtext (10^k), which is slow to draw
        self.ax_stack.yaxis.set_major_formatter(FixedFormatter(["1e-15", "1e-10", "1e-5", "1", "1e5", "1e10"]))
        self.ax_stack.yaxis.set_minor_locator(FixedLocator([]))
        self.ax_stack.xaxis.set_major_locator(MaxNLocator(5))
        _few_ticks(self.ax_f)
        self._cache = {}

    def dynamic_artists(self):
        # every limit is fixed: only the curves, the dots and the right panel's title change (never a full
        # redraw); the legend is drawn again over the curves
        return [*self.grey_lines.values(), self.f_line, self.df_line, self.f_dot, self.df_dot, self.ax_f.get_legend(),
                self.std_line, self.mean_line, self.ax_stack.get_legend(), self.ax_stack.title]

    def _stack(self, activation, weight_scale):
        key = (activation, round(weight_scale, 3))
        if key not in self._cache:
            # 30 small products, on one BLAS thread like everything a refresh computes (widgets.one_blas_thread)
            self._cache[key] = deep_stack_statistics(activation, n_layers=self.n_layers, width=self.width,
                                                     n_samples=self.n_samples,
                                                     weight_std=weight_scale / np.sqrt(self.width), rng=0)
        return self._cache[key]

    def update(self, activation, z, weight_scale, compare):
        f, df = ACTIVATIONS[activation]
        self.f_line.set_ydata(f(self.z_axis))
        self.df_line.set_ydata(df(self.z_axis))
        for name, line in self.grey_lines.items():
            line.set_visible(compare and name != activation)
        fz, dfz = float(f(z)), float(df(z))
        self.f_dot.set_data([z], [fz])
        self.df_dot.set_data([z], [dfz])
        stats = self._stack(activation, weight_scale)
        # values beyond the axis are drawn at its edge (a log axis cannot show 0; 1e-300 would vanish)
        self.std_line.set_ydata(np.clip(stats["std"], *self.stack_range))
        self.mean_line.set_ydata(np.clip(np.abs(stats["mean"]), *self.stack_range))
        self.ax_stack.set_title(f"30 {activation} layers, weights N(0, {weight_scale:.1f}²/{self.width})",
                                fontsize="small")
        note = {
            "sigmoid": "The sigmoid's slope is at most 0.25: on its way back through each sigmoid layer the "
                       "gradient is multiplied by that slope (and by the layer's weights), so gradients vanish "
                       "in deep stacks and for large |z|.",
            "relu": "ReLU passes gradient 1 for z &gt; 0 and 0 for z &le; 0: a unit whose z is negative for "
                    "every input never changes again (a dead ReLU).",
            "selu": "SELU's negative part saturates at &minus;&lambda;&alpha; &asymp; &minus;1.758; with LeCun-normal "
                    "weights (scale 1) it is designed to keep mean near 0 and standard deviation near 1.",
            "tanh": "tanh is zero-centred but saturates like the sigmoid: its slope is at most 1.",
            "linear": "A linear activation has slope 1 everywhere, and a stack of linear layers is one linear map.",
        }[activation]
        self.set_readout(
            f"{_FORMULAS[activation]}. At z = {z:.2f}: f(z) = {fz:.4f}, f'(z) = {dfz:.4g}. "
            f"After layer {self.n_layers}: mean {stats['mean'][-1]:.3g}, std {stats['std'][-1]:.3g}"
            f" (after layer 1: mean {stats['mean'][0]:.3g}, std {stats['std'][0]:.3g}). {note}")
        self._said = (f"{activation} and its derivative, marked at z = {z:.2f} (f(z) = {fz:.4f}, f'(z) = {dfz:.4g})"
                      + (", the other activations in grey" if compare else "")
                      + f"; right: mean and standard deviation through {self.n_layers} {activation} layers with "
                        f"weight scale {weight_scale:.1f}, std {stats['std'][-1]:.3g} after the last")

    def describe(self):
        return f"Activation functions: {self._said}."


@register("softmax")
class SoftmaxExplorer(Explorer):
    """Softmax of four logits with a temperature: bar charts of logits and probabilities."""

    title = "Softmax with a temperature"
    help = ("p_c = e^(z_c/T) / Σ_j e^(z_j/T). Set the logits z of four classes and the temperature T: "
            "the probabilities always sum to 1; small T sharpens them, large T flattens them.")
    figsize = (9.0, 3.4)
    class_names = ("speech", "music", "noise", "silence")

    def make_controls(self):
        return {
            "z_speech": slider("logit z (speech)", 2.0, -5.0, 5.0, 0.25),
            "z_music": slider("logit z (music)", 1.0, -5.0, 5.0, 0.25),
            "z_noise": slider("logit z (noise)", 0.0, -5.0, 5.0, 0.25),
            "z_silence": slider("logit z (silence)", -1.0, -5.0, 5.0, 0.25),
            "temperature": log_slider("temperature T", 1.0, -1.3, 1.3, step=0.05, readout_format=".2f"),
        }

    def build(self, fig):
        self.ax_z, self.ax_p = fig.subplots(1, 2)
        x = np.arange(len(self.class_names))
        self.z_bars = self.ax_z.bar(x, np.zeros(len(x)), color="C0")
        self.z_zero = self.ax_z.axhline(0, color="0.4", lw=0.8)
        self.ax_z.set(xticks=x, xticklabels=self.class_names, ylim=(-5.5, 5.5), ylabel="logit z", title="logits")
        self.p_bars = self.ax_p.bar(x, np.zeros(len(x)), color="C1")
        self.ax_p.axhline(1 / len(x), color="0.5", lw=1, ls=":", label="uniform")
        self.p_texts = [self.ax_p.text(i, 0, "", ha="center", va="bottom", fontsize=9) for i in x]
        self.ax_p.set(xticks=x, xticklabels=self.class_names, ylim=(0, 1.1), ylabel="probability",
                      title="softmax(z / T)")
        self.ax_p.legend(loc="upper right", fontsize="small")
        _few_ticks(self.ax_z, self.ax_p)
        self.ax_z.xaxis.set_major_locator(FixedLocator(x))
        self.ax_p.xaxis.set_major_locator(FixedLocator(x))

    def dynamic_artists(self):
        # fixed limits: the bars and their numbers change (the zero line is redrawn over the logit bars)
        return [*self.z_bars, self.z_zero, *self.p_bars, *self.p_texts]

    def update(self, z_speech, z_music, z_noise, z_silence, temperature):
        z = np.array([z_speech, z_music, z_noise, z_silence])
        p = softmax(z, temperature=temperature)
        for bar, value in zip(self.z_bars, z):
            bar.set_height(value)
        for bar, text, value in zip(self.p_bars, self.p_texts, p):
            bar.set_height(value)
            text.set_position((text.get_position()[0], value + 0.01))
            text.set_text(f"{value:.2f}")
        entropy = -np.sum(p * np.log(np.maximum(p, 1e-300)))
        top = [name for name, value in zip(self.class_names, p) if np.isclose(value, p.max(), rtol=1e-12, atol=0)]
        most_probable = top[0] if len(top) == 1 else f"{', '.join(top)} (tied)"
        terms = " + ".join(f"e<sup>{v / temperature:.2f}</sup>" for v in z)
        self.set_readout(
            f"T = {temperature:.2f}: denominator &Sigma;<sub>j</sub> e<sup>z<sub>j</sub>/T</sup> = {terms} = "
            f"{np.sum(np.exp(z / temperature)):.4g}; probabilities {np.round(p, 3).tolist()} sum to "
            f"{p.sum():.6f}; most probable: {most_probable}. "
            f"Entropy {entropy:.3f} nats (0 = certain, ln 4 = {np.log(4):.3f} = uniform).")
        self._said = (f"bars of the logits {', '.join(f'{n} {v:g}' for n, v in zip(self.class_names, z))} (left) "
                      f"and of softmax(z / T) at temperature {temperature:.2f} (right): "
                      + ", ".join(f"{n} {v:.2f}" for n, v in zip(self.class_names, p))
                      + f"; most probable: {most_probable}")

    def describe(self):
        return f"Softmax: {self._said}."


@register("losses")
class LossExplorer(Explorer):
    """A loss and its gradient as functions of the prediction, for a given target."""

    title = "Loss functions: loss and gradient against the prediction"
    help = ("Choose a loss, the target y and the prediction p. Left: the loss for every prediction (the other two "
            "losses in grey); right: its gradient dL/dp. For the categorical cross-entropy there are 3 classes: "
            "the target is (y, (1-y)/2, (1-y)/2) and the prediction (p, (1-p)/2, (1-p)/2).")
    figsize = (9.5, 3.6)
    grad_limit = 20.0

    def make_controls(self):
        return {
            "loss": dropdown("loss", [("mean squared error", "mse"), ("binary cross-entropy", "binary_crossentropy"),
                                      ("categorical cross-entropy", "categorical_crossentropy")],
                             "binary_crossentropy"),
            "target": slider("target y", 1.0, 0.0, 1.0, 0.05),
            "prediction": slider("prediction p", 0.3, 0.0, 1.0, 0.01),
        }

    def build(self, fig):
        self.ax_loss, self.ax_grad = fig.subplots(1, 2)
        self.p_axis = np.linspace(0.0, 1.0, 201)
        self.grey = {name: self.ax_loss.plot(self.p_axis, self.p_axis, color="0.8", lw=1)[0] for name in LOSSES}
        (self.loss_line,) = self.ax_loss.plot(self.p_axis, self.p_axis, lw=2.2, color="C0")
        (self.loss_dot,) = self.ax_loss.plot([0], [0], "o", color="C3", ms=7)
        self.target_line = self.ax_loss.axvline(1.0, color="C2", ls=":", lw=1.5, label="target y")
        # a little room beyond [0, 1], so that a target at 0 or 1 (the default) is not hidden by the axes edge
        self.ax_loss.set(xlabel="prediction p", ylabel="loss L", xlim=(-0.02, 1.02), ylim=(0, 8), title="loss")
        self.ax_loss.legend(loc="upper center", fontsize="small")
        (self.grad_line,) = self.ax_grad.plot(self.p_axis, self.p_axis, lw=2.0, color="C3")
        (self.grad_dot,) = self.ax_grad.plot([0], [0], "o", color="C3", ms=7)
        self.ax_grad.axhline(0, color="0.6", lw=0.8)
        self.ax_grad.set(xlabel="prediction p", ylabel="dL/dp", xlim=(-0.02, 1.02),
                         ylim=(-self.grad_limit, self.grad_limit), title="gradient (view clipped at ±20)")
        _few_ticks(self.ax_loss, self.ax_grad)
        self.ax_loss.yaxis.set_major_formatter(FormatStrFormatter("%.1f"))
        self.ax_grad.yaxis.set_major_formatter(FormatStrFormatter("%.0f"))
        # fixed label positions: the tick labels change with the loss after the layout is frozen
        self.ax_loss.yaxis.set_label_coords(-0.1, 0.5)
        self.ax_grad.yaxis.set_label_coords(-0.12, 0.5)

    def dynamic_artists(self):
        # the curves, dots and the target line (the legend is drawn again over them); the limits change only
        # between MSE and the cross-entropies (a full redraw then, see ``update``)
        return [*self.grey.values(), self.loss_line, self.loss_dot, self.target_line, self.ax_loss.get_legend(),
                self.grad_line, self.grad_dot]

    @staticmethod
    def _pair(name, y, p):
        """Arrays (y_true, y_pred) of one sample for loss ``name``, target y and prediction(s) p."""
        p = np.atleast_1d(np.asarray(p, dtype=float))
        if name == "categorical_crossentropy":
            y_true = np.array([y, (1 - y) / 2, (1 - y) / 2])
            y_pred = np.column_stack([p, (1 - p) / 2, (1 - p) / 2])
            return np.broadcast_to(y_true, y_pred.shape), y_pred
        return np.full((len(p), 1), float(y)), p[:, None]

    def _curves(self, name, y):
        """Loss and gradient dL/dp over ``self.p_axis`` (gradient of one sample, via the chain rule for CCE)."""
        loss_f, grad_f = LOSSES[name]
        y_true, y_pred = self._pair(name, y, self.p_axis)
        losses = loss_f(y_true, y_pred, reduction="none")
        grads = grad_f(y_true, y_pred) * len(y_pred)  # undo the 1/batch: each point is its own sample
        if name == "categorical_crossentropy":
            grads = grads @ np.array([1.0, -0.5, -0.5])  # d(p, (1-p)/2, (1-p)/2)/dp
        else:
            grads = grads[:, 0]
        return losses, grads

    def describe(self):
        return f"Loss functions: {self._said}."

    def update(self, loss, target, prediction):
        for name, line in self.grey.items():
            line.set_ydata(self._curves(name, target)[0])
            line.set_visible(name != loss)
        losses, grads = self._curves(loss, target)
        self.loss_line.set_ydata(losses)
        # MSE of values in [0, 1] stays below 1; cross-entropies reach ~16 at the clip, so show up to 6
        if (loss == "mse") != getattr(self, "_drawn_mse", None):  # new limits and ticks: redraw everything
            self._drawn_mse = loss == "mse"
            self.request_full_draw()
        if loss == "mse":
            self.ax_loss.set_ylim(0, 1.1)
            self.ax_loss.yaxis.set_major_locator(FixedLocator([0.0, 0.5, 1.0]))
            grad_limit = 2.2
            self.ax_grad.yaxis.set_major_locator(FixedLocator([-2.0, -1.0, 0.0, 1.0, 2.0]))
        else:
            self.ax_loss.set_ylim(0, 6.0)
            self.ax_loss.yaxis.set_major_locator(FixedLocator([0.0, 2.0, 4.0, 6.0]))
            grad_limit = self.grad_limit
            self.ax_grad.yaxis.set_major_locator(FixedLocator([-20.0, -10.0, 0.0, 10.0, 20.0]))
        self.ax_grad.set_ylim(-grad_limit, grad_limit)
        self.ax_grad.set_title(f"gradient (view clipped at ±{grad_limit:g})")
        self.target_line.set_xdata([target, target])
        self.grad_line.set_ydata(np.clip(grads, -1e3, 1e3))
        loss_f, grad_f = LOSSES[loss]
        y_true, y_pred = self._pair(loss, target, prediction)
        value = loss_f(y_true, y_pred)
        g = grad_f(y_true, y_pred)
        g = float((g @ np.array([1.0, -0.5, -0.5]))[0]) if loss == "categorical_crossentropy" else float(g[0, 0])
        self.loss_dot.set_data([prediction], [value])
        self._said = (f"the {format_value(self.controls['loss'], loss)} for target y = {target:.2f} over every "
                      f"prediction (left) and its gradient dL/dp (right); at p = {prediction:.2f} the loss is "
                      f"{float(value):.4f} and the gradient {g:.4g}")
        self.grad_dot.set_data([prediction], [np.clip(g, -grad_limit, grad_limit)])
        clipped = prediction < EPSILON or prediction > 1 - EPSILON
        formula = {
            "mse": f"L = (p &minus; y)<sup>2</sup> = ({prediction:.2f} &minus; {target:.2f})<sup>2</sup>",
            "binary_crossentropy": f"L = &minus;[y ln p + (1&minus;y) ln(1&minus;p)] with y = {target:.2f}, "
                                   f"p = {prediction:.2f}",
            "categorical_crossentropy": f"L = &minus;&Sigma;<sub>c</sub> y<sub>c</sub> ln p<sub>c</sub> with "
                                        f"y = ({target:.2f}, {(1 - target) / 2:.3f}, {(1 - target) / 2:.3f}), "
                                        f"p = ({prediction:.2f}, {(1 - prediction) / 2:.3f}, "
                                        f"{(1 - prediction) / 2:.3f})",
        }[loss]
        self.set_readout(
            f"{formula} = <b>{value:.4f}</b>; dL/dp = {g:.4g}."
            + (" The prediction lies outside [1e-7, 1 &minus; 1e-7]: it is clipped as in Keras, so the loss stays "
               "finite and a clipped entry adds nothing to the gradient (BCE is flat there, gradient 0; CCE keeps "
               "the gradient of the classes that are not clipped)." if clipped and loss != "mse" else "")
            + " The loss is smallest where the prediction equals the target."
            + (f" Here CCE = BCE + (1 &minus; y) ln 2 = BCE + {(1 - target) * np.log(2):.3f}: the same gradient, "
               "and for a one-hot target (y = 1) the same curve, &minus;ln p."
               if loss == "categorical_crossentropy" and EPSILON <= (1 - prediction) / 2 and not clipped else "")
            + (" (CCE and BCE differ by the constant (1 &minus; y) ln 2 except where Keras clips the other two "
               "classes' (1 &minus; p)/2, at p = 1: there, for y &lt; 1, they no longer do.)"
               if loss == "categorical_crossentropy" and (clipped or (1 - prediction) / 2 < EPSILON) else ""))

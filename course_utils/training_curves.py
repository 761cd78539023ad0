"""Live training curves for the programming session: loss and accuracy per epoch, drawn while Keras trains.

Notebook: ``06_programming_session.ipynb``. :func:`course_utils.classification.train_model` reports every
epoch to a :class:`TrainingMonitor`; the training panel
(:class:`course_utils.explorers.classification.TrainingPanel`) draws the same :class:`CurvePlot`.
"""

from __future__ import annotations

import html
import io
import time

import numpy as np

from course_utils._arguments import _check_fraction, _check_int

__all__ = ["CurvePlot", "TrainingMonitor", "record_epoch"]


class CurvePlot:
    """Loss and accuracy per epoch (training and validation) in two axes, updated in place.

    Used by :class:`TrainingMonitor` and by the training panel. ``history`` is a dict of lists with
    keys ``loss``, ``accuracy``, ``val_loss``, ``val_accuracy`` (Keras' names); a key
    ``val_file_accuracy`` is drawn as a dotted line when present.
    """

    def __init__(self, ax_loss, ax_acc):
        self.ax_loss, self.ax_acc = ax_loss, ax_acc
        self.lines = {
            "loss": ax_loss.plot([], [], "-", color="C0", label="training")[0],
            "val_loss": ax_loss.plot([], [], "-", color="C1", label="validation")[0],
            "accuracy": ax_acc.plot([], [], "-", color="C0", label="training")[0],
            "val_accuracy": ax_acc.plot([], [], "-", color="C1", label="validation")[0],
            "val_file_accuracy": ax_acc.plot([], [], ":", color="C1", lw=2, label="validation, per file")[0],
        }
        from matplotlib.ticker import FormatStrFormatter, MaxNLocator

        ax_loss.set(xlabel="epoch", ylabel="cross-entropy loss", title="loss")
        ax_acc.set(xlabel="epoch", ylabel="accuracy", title="accuracy", ylim=(0, 1.01))
        for ax in (ax_loss, ax_acc):
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole numbers
        # Same tick-label width whatever the loss range, so the training panel's frozen layout (fixed
        # after its first draw) keeps room for the axis label.
        ax_loss.yaxis.set_major_formatter(FormatStrFormatter("%.2f"))
        # one legend for both panels, outside them: the interesting curves (a run stuck at chance: loss 2.3,
        # accuracy 0.1) would otherwise hide behind it
        ax_acc.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small", borderaxespad=0)
        self.reset(10)

    def reset(self, epochs: int) -> None:
        """Empty the curves and set the x range to ``epochs``."""
        for line in self.lines.values():
            line.set_data([], [])
        for ax in (self.ax_loss, self.ax_acc):
            ax.set_xlim(0.5, max(int(epochs), 2) + 0.5)
        self.ax_loss.set_ylim(0.0, 2.5)

    def update(self, history: dict) -> None:
        """Draw ``history`` (dict of per-epoch lists)."""
        for key, line in self.lines.items():
            values = history.get(key, [])
            line.set_data(np.arange(1, len(values) + 1), values)
        losses = [v for k in ("loss", "val_loss") for v in history.get(k, []) if np.isfinite(v) and v > 0]
        if losses:
            self.ax_loss.set_ylim(0.0, max(max(losses) * 1.1, 0.1))



def record_epoch(history: dict, logs: dict) -> str:
    """Append one epoch's Keras ``logs`` to ``history`` (name -> list of floats); return a one-line summary.

    Used by the live training monitors (notebook ``06_programming_session.ipynb``).

    Raises:
        TypeError: if ``history`` or ``logs`` is not a dict, or a logged value is not a real number (NaN and
            inf are kept: they show a diverged run).
    """
    if not isinstance(history, dict):
        raise TypeError(f"history must be a dict of per-epoch lists, got {type(history).__name__}")
    if not isinstance(logs, dict):
        raise TypeError(f"logs must be a dict of Keras metrics (name -> number), got {type(logs).__name__}")
    values = {}
    for key, value in logs.items():
        if isinstance(value, (bool, np.bool_, str, bytes)) or not np.isrealobj(value) or np.ndim(value) != 0:
            raise TypeError(f"logs[{key!r}] must be a real number, got {value!r}")
        try:
            values[key] = float(value)
        except (TypeError, ValueError, OverflowError):
            raise TypeError(f"logs[{key!r}] must be a real number, got {value!r}") from None
    for key, value in values.items():
        history.setdefault(key, []).append(value)
    names = ("loss", "accuracy", "val_loss", "val_accuracy", "val_file_accuracy")
    return " · ".join(f"{name} {values[name]:.3f}" for name in names if name in values)


class TrainingMonitor:
    """Live training display for a notebook: curves, a progress bar and a one-line readout per epoch.

    Pass it to :func:`train_model` (``monitor=...``) after displaying ``monitor.widget``. Without a
    notebook front end it still records everything (``history``, ``seconds``), so it can be tested.

    Args:
        title: the figure's title (text).
        figsize: ``(width, height)`` in inches, each from 1 to 30.

    Attributes:
        widget: an ``ipywidgets.VBox`` with the progress bar, the readout and the figure.
        history: dict of per-epoch lists (Keras' keys plus ``val_file_accuracy``).
    """

    def __init__(self, title: str = "training", figsize=(9.0, 3.2)):
        if not isinstance(title, str):
            raise TypeError(f"title must be text, got {title!r}")
        if isinstance(figsize, (str, bytes)) or not isinstance(figsize, (tuple, list)) or len(figsize) != 2:
            raise TypeError(f"figsize must be a pair (width, height) in inches, got {figsize!r}")
        figsize = tuple(_check_fraction(f"figsize[{i}]", v, 1.0, 30.0) for i, v in enumerate(figsize))
        import ipywidgets as widgets
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.title = title
        self.fig = Figure(figsize=figsize, layout="constrained")
        self.canvas = FigureCanvasAgg(self.fig)
        ax_loss, ax_acc = self.fig.subplots(1, 2)
        self.curves = CurvePlot(ax_loss, ax_acc)
        self.fig.suptitle(title, fontsize="medium")
        self.progress = widgets.IntProgress(value=0, min=0, max=1, description="epoch 0", bar_style="info",
                                            style={"description_width": "initial"},
                                            layout=widgets.Layout(width="420px"))
        self.readout = widgets.HTML()
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))
        self.widget = widgets.VBox([widgets.HBox([self.progress, self.readout]), self.image])
        self.history: dict = {}
        self.epochs = 0
        self.seconds = 0.0
        self._start = 0.0
        self._render()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    def start(self, epochs: int) -> None:
        """Begin a run of ``epochs`` epochs (0 to 10,000): empty the curves, reset the progress bar."""
        epochs = _check_int("epochs", epochs, 0, 10_000)
        self.epochs = epochs
        self.history = {}
        self.curves.reset(epochs)
        self.progress.max = max(int(epochs), 1)
        self.progress.value = 0
        self.progress.bar_style = "info"
        self.progress.description = f"epoch 0/{epochs}"
        self._start = time.perf_counter()
        self._render()

    def epoch_end(self, epoch: int, logs: dict) -> None:
        """Record epoch ``epoch`` (0-based, 0 to 10,000) with Keras' ``logs`` and redraw."""
        epoch = _check_int("epoch", epoch, 0, 10_000)
        summary = record_epoch(self.history, logs)
        self.seconds = time.perf_counter() - self._start
        self.progress.value = epoch + 1
        self.progress.description = f"epoch {epoch + 1}/{self.epochs}"
        self.readout.value = f"<code>{html.escape(summary)} · {self.seconds:.1f} s</code>"
        self.curves.update(self.history)
        self._render()

    def end(self) -> None:
        self.progress.bar_style = "success"

    def _render(self) -> None:
        buffer = io.BytesIO()
        self.canvas.print_png(buffer)
        self.image.value = buffer.getvalue()

    def snapshot(self) -> bytes:
        """The figure as PNG bytes."""
        return bytes(self.image.value)

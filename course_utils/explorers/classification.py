"""The programming session's training panel: train MLPs on FSDD with a button and compare every run.

Notebook: ``06_programming_session.ipynb``.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np

from course_utils.explorer_state import check_extra_int, check_extra_keys, values_text
from course_utils.widgets import Explorer, dropdown, log_slider, register, selection_slider, slider

#: What the representation menu offers: label -> FeatureParams overrides.
PANEL_REPRESENTATIONS = {
    "MFCC frames (13 + deltas), file = mean of frames": {"representation": "mfcc_frames"},
    "log-mel patch 40 x 32, flattened": {"representation": "logmel_patch"},
}


@register("training_panel")
class TrainingPanel(Explorer):
    """Choose an MLP and its training, press Train, and compare the runs in a table.

    Moving a slider changes nothing but the description of the next run; only the Train button trains
    (one run takes seconds to minutes, far beyond a slider's latency budget). The figure shows the
    curves of the latest run: training and validation loss and accuracy per epoch, drawn live while it
    trains, with a progress bar. Every finished run becomes a row of the results table with its training
    and validation accuracy (a large gap means variance/over-fitting, both low means bias/under-fitting);
    runs are compared by validation accuracy. The test accuracy is kept out of the table: read it once, for
    the run you chose, with :meth:`test_accuracy`.

    Args:
        collection: the recordings (default: all of FSDD, loaded on the first Train press).
        split: ``"official"`` (takes 0-4 are test) or the name of a speaker to hold out.
        **initial: initial control values.
    """

    title = "Training panel: spoken digits with a Keras MLP"
    help = ("Set the network and its training, then press Train. Sliders do not retrain; every run is kept "
            "in the table below so you can compare them by validation accuracy (training vs validation: bias "
            "or variance?); the test set is for the one run you choose at the end. Every run starts from the "
            "same seed, so two runs differ only by their settings.")
    figsize = (9.0, 3.3)
    #: Every run starts from this seed (initial weights, batch order), so runs differ only by their settings.
    seed = 0

    def __init__(self, collection=None, split: str = "official", **initial):
        self._collection = collection
        self._split = split
        self._features = {}
        self.runs = []
        self._test = {}  # run number -> (file-level, example-level) test accuracy, shown only on request
        self.history = {}
        self._figure_changed = True  # the figure only changes while training: sliders skip the PNG render
        self.last_result = None
        super().__init__(**initial)
        self.progress = widgets.IntProgress(value=0, min=0, max=1, description="idle",
                                            style={"description_width": "initial"},
                                            layout=widgets.Layout(width="360px"))
        self.epoch_readout = widgets.HTML()
        self.table = widgets.HTML("<i>No runs yet: press Train.</i>")
        self.add_button("Train", self.train, busy="Training… (the curves update after every epoch)", icon="play")
        parts = list(self.widget.children)
        parts.insert(parts.index(self._button_box) + 1, widgets.HBox([self.progress, self.epoch_readout]))
        box = widgets.VBox([*parts, self.table])
        for name in self.widget._dom_classes:  # course-explorer(-training_panel): how pages and tests find it
            box.add_class(name)
        self.widget = box

    def make_controls(self):
        return {
            "width": selection_slider("units per layer", [16, 32, 64, 128, 256, 512], 256),
            # at least one hidden layer: the readout describes ReLU layers, and a linear model on single
            # per-file-normalized frames stays at chance (measured: about 10 %, like logistic regression)
            "depth": slider("hidden layers", 2, 1, 4),
            "learning_rate": log_slider("learning rate", 1e-3, -5, -0.5, step=0.25),
            "epochs": slider("epochs", 15, 1, 60),
            "batch_size": selection_slider("batch size", [16, 32, 64, 128, 256, 512, 1024], 512),
            "representation": dropdown("representation", list(PANEL_REPRESENTATIONS)),
        }

    def build(self, fig):
        from course_utils.training_curves import CurvePlot

        ax_loss, ax_acc = fig.subplots(1, 2)
        self.curves = CurvePlot(ax_loss, ax_acc)
        self.caption = fig.suptitle("no run yet", fontsize="medium")

    def update(self, width, depth, learning_rate, epochs, batch_size, representation):
        from course_utils.classification import count_mlp_params
        from course_utils.features import FeatureParams

        params = FeatureParams(**PANEL_REPRESENTATIONS[representation])
        n_params = count_mlp_params(params.n_features, width, depth, 10)
        layers = " → ".join([str(params.n_features)] + [str(width)] * depth + ["10"])
        self.set_readout(
            f"Next run: Dense layers {layers} (ReLU, softmax output) = <b>{n_params:,}</b> trainable parameters; "
            f"Adam with learning rate {learning_rate:.3g}; {epochs} epochs of batches of {batch_size} examples. "
            f"Split: {html.escape(self._split_text())}. <i>Press Train to run it.</i>")

    # a code carries the seed of the runs (a trained run itself cannot travel in a code: press Train)
    def state_extras(self):
        return {"seed": self.seed}

    def check_extras(self, extras, values):
        check_extra_keys(self, extras, ("seed",))
        return {"seed": check_extra_int(extras, "seed", 0, 2**32 - 1)}

    def apply_extras(self, extras):
        if extras["seed"] != self.seed:
            self.seed = extras["seed"]
            self.refresh()  # the readout, the description and the code box name the seed

    def describe(self):
        caption = self.caption.get_text()
        if caption == "no run yet":
            shown = "Empty loss and accuracy panels: no run yet (press Train)"
        else:
            shown = f"Training and validation loss (left) and accuracy (right) per epoch, {caption}"
        return f"Training panel: {shown}. Next run: {values_text(self)}, seed {self.seed}."

    def _render(self) -> None:
        if self._figure_changed or not self.image.value:
            super()._render()
            self._figure_changed = False
            self.image.tooltip = self.describe()  # while training, every epoch's picture comes from here

    def _split_text(self) -> str:
        if self._split == "official":
            return "official (takes 0–4 of every speaker are the test set)"
        return f"speaker {self._split!r} held out (never heard in training)"

    # ---- training (only on the button)
    def _data(self, representation):
        from course_utils.features import FeatureParams, compute_features
        from course_utils.data import load_fsdd, official_split, speaker_split

        if self._collection is None:
            self._collection = load_fsdd(progress=False)
        if representation not in self._features:
            params = FeatureParams(**PANEL_REPRESENTATIONS[representation])
            self._features[representation] = compute_features(self._collection, params, progress=False)
        if self._split == "official":
            split = official_split(self._collection)
        else:
            split = speaker_split(self._collection, self._split)
        return self._features[representation], split

    def train(self):
        """Train one MLP with the current settings (what the Train button does)."""
        from course_utils.classification import run_experiment

        values = self.values()
        features, (train_idx, test_idx) = self._data(values["representation"])
        self.progress.max = values["epochs"]
        self.progress.value = 0
        self.progress.bar_style = "info"
        self.caption.set_text(f"run {len(self.runs) + 1}: training…")
        self._figure_changed = True
        # While training, let constrained layout follow the axes' tick labels (the loss range changes from
        # run to run); an epoch takes far longer than the layout. Frozen again for the sliders afterwards.
        self.fig.set_layout_engine("constrained")
        try:
            result = run_experiment(features, train_idx, test_idx, monitor=self, seed=self.seed,
                                    n_classes=len(self._collection.class_names),
                                    width=values["width"], depth=values["depth"],
                                    learning_rate=values["learning_rate"], epochs=values["epochs"],
                                    batch_size=values["batch_size"])
        except BaseException:
            self.fig.set_layout_engine("none")  # the button then shows the error and redraws
            raise
        self.last_result = result
        self.runs.append({
            "run": len(self.runs) + 1,
            "representation": values["representation"].split(",")[0],
            "width": values["width"], "depth": values["depth"], "learning rate": values["learning_rate"],
            "epochs": values["epochs"], "batch size": values["batch_size"], "seed": self.seed,
            "parameters": int(result.model.count_params()),
            "train acc (files)": result.train_file_accuracy,
            "val acc (files)": result.history.get("val_file_accuracy", [np.nan])[-1],
            "seconds": result.history["seconds"],
        })
        self._test[len(self.runs)] = (result.evaluation.file_accuracy, result.evaluation.example_accuracy)
        self.caption.set_text(f"run {len(self.runs)}: validation accuracy {self.runs[-1]['val acc (files)']:.3f} "
                              f"(files), train {result.train_file_accuracy:.3f}")
        self._figure_changed = True
        self._render()  # the final picture, laid out once more
        self.fig.set_layout_engine("none")
        self.progress.bar_style = "success"
        self.table.value = self.results().to_html(float_format=lambda v: f"{v:.3g}", border=0)

    def results(self):
        """Every finished run as a pandas DataFrame (one row per run), without test accuracies."""
        import pandas as pd

        return pd.DataFrame(self.runs).set_index("run") if self.runs else pd.DataFrame()

    def test_accuracy(self, run: int | None = None) -> dict:
        """File- and example-level test accuracy of ``run`` (default: the latest), to read once at the end.

        Choose the run by validation accuracy first: a run picked for its test accuracy makes that accuracy
        an optimistic estimate.
        """
        run = len(self.runs) if run is None else run
        if run not in self._test:
            raise ValueError(f"run must be one of the finished runs {sorted(self._test)}, got {run!r}")
        files, examples = self._test[run]
        return {"run": run, "test acc (files)": files, "test acc (examples)": examples}

    # ---- the monitor interface that run_experiment calls after every epoch
    def start(self, epochs: int) -> None:
        self.history = {}
        self.curves.reset(epochs)
        self._figure_changed = True
        self._render()

    def epoch_end(self, epoch: int, logs: dict) -> None:
        from course_utils.training_curves import record_epoch

        summary = record_epoch(self.history, logs)
        self.progress.value = epoch + 1
        self.progress.description = f"epoch {epoch + 1}/{self.progress.max}"
        self.epoch_readout.value = f"<code>{html.escape(summary)}</code>"
        self.curves.update(self.history)
        self._figure_changed = True
        self._render()

    def end(self) -> None:
        pass

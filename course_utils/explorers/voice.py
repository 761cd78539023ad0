"""Your own voice and the trained network (notebook 06): a live reaction to each take, and a guided session.

Notebook: ``06_programming_session.ipynb``.

* :class:`DigitReaction`: every take of a :class:`~course_utils.recorder.Recorder` goes through the trained
  pipeline (:func:`course_utils.classification.classify_recording`); the picture shows the features the
  network saw and its probability for each digit.
* :class:`DigitSession`: prompts "say *seven*" for every digit a few times in a shuffled order, checks each
  take, saves the good ones as ``<folder>/<digit>/<speaker>_<n>.wav`` (the layout of
  :func:`course_utils.data.load_folder`) and resumes where it left off after a kernel restart, because it
  counts the takes already on disk.

Neither is a slider explorer (nothing here is registered in ``EXPLORERS``): they react to recordings.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import ipywidgets as widgets
import numpy as np

from course_utils._arguments import _check_int
from course_utils.recorder import Recorder, Take, recordings_dir, save_take
from course_utils.png import png_bytes

DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


class DigitReaction:
    """What the trained network makes of each take: its features and its probability for each digit.

    Args:
        model, normalizer, params: the trained pipeline (e.g. ``result.model``, ``result.normalizer`` of
            :func:`~course_utils.classification.run_experiment`, and its ``FeatureParams``).
        model_sr: the training data's sample rate in Hz (FSDD: 8000).
        class_names: the name of each output (default the digits ``"0"`` … ``"9"``).

    Attributes:
        probs: the last take's class probabilities, shape ``(n_classes,)``, or ``None``.
        widget: what a notebook displays (a picture and a sentence).
    """

    def __init__(self, model, normalizer, params, *, model_sr: int = 8000, class_names=None):
        self.model, self.normalizer, self.params = model, normalizer, params
        self.model_sr = _check_int("model_sr", model_sr, 1000, 384000)
        self.class_names = [str(c) for c in (class_names if class_names is not None else range(10))]
        self.probs: np.ndarray | None = None
        self.examples: np.ndarray | None = None
        self.picture = widgets.Image(format="png", layout=widgets.Layout(width="810px", max_width="100%", height="auto"))
        self.sentence = widgets.HTML("<i>Record a digit above: the network's answer appears here.</i>")
        self.widget = widgets.VBox([self.sentence, self.picture])

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    def use_recorder(self, recorder: Recorder) -> None:
        """React to every take of ``recorder`` (and to its latest take now, if it has one)."""
        recorder.on_take(self.react)
        if recorder.take is not None:
            self.react(recorder.take)

    def react(self, take: Take) -> np.ndarray:
        """Classify ``take``, redraw the picture and the sentence; returns the class probabilities."""
        from course_utils.classification import classify_recording

        probs, examples = classify_recording(self.model, self.normalizer, self.params, take.samples, take.sr,
                                             model_sr=self.model_sr)
        if len(probs) != len(self.class_names):
            raise ValueError(f"the model has {len(probs)} outputs but class_names names {len(self.class_names)}")
        self.probs, self.examples = probs, examples
        order = np.argsort(probs)[::-1]
        best, second = int(order[0]), int(order[1])
        said = (f" You were asked to say <b>{html.escape(take.label)}</b>."
                if take.label and not take.source.startswith("stand-in") else "")
        if not take.ok:
            said += (" <b style='color:#b3261e'>The recorder found problems with this take (see above): the answer "
                     "means little.</b>")
        self.sentence.value = (
            f"The network hears <b>{html.escape(self.class_names[best])}</b> with probability {probs[best]:.2f}; "
            f"next is {html.escape(self.class_names[second])} ({probs[second]:.2f}). It decided on "
            f"{len(examples)} example{'s' if len(examples) != 1 else ''} of this take (the mean of their "
            f"probabilities).{said}")
        self.picture.value = self._draw(examples, probs, take)
        return probs

    def _draw(self, examples, probs, take) -> bytes:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=(9.0, 3.0), dpi=90, layout="constrained")
        canvas = FigureCanvasAgg(fig)
        ax_features, ax_probs = fig.subplots(1, 2, width_ratios=(1.4, 1))
        if self.params.frame_level:
            hop_s = self.params.hop_size / self.model_sr
            image = ax_features.imshow(examples.T, origin="lower", aspect="auto", cmap="coolwarm", vmin=-3, vmax=3,
                                       extent=(0, len(examples) * hop_s, -0.5, examples.shape[1] - 0.5))
            ax_features.set(xlabel="time (s), after trimming the silence", ylabel="feature (13 MFCC, 13 deltas)"
                            if examples.shape[1] == 26 else "feature", title="what the network sees (normalized)")
        else:
            patch = examples.reshape(self.params.n_mels, -1)
            image = ax_features.imshow(patch, origin="lower", aspect="auto", cmap="coolwarm", vmin=-3, vmax=3)
            ax_features.set(xlabel="patch frame", ylabel="mel band", title="the log-mel patch (normalized)")
        ax_features.grid(False)
        fig.colorbar(image, ax=ax_features, label="standard deviations")
        colours = ["#9e9e9e"] * len(probs)
        colours[int(np.argmax(probs))] = "#1565c0"
        ax_probs.bar(self.class_names, probs, color=colours)
        ax_probs.set(ylim=(0, 1), xlabel="digit", ylabel="probability (mean over examples)",
                     title=f"{take.source}: {take.duration:.2f} s")
        canvas.draw()
        return png_bytes(np.asarray(canvas.buffer_rgba()))


class DigitSession:
    """A guided recording session: you become a held-out speaker of the digit dataset.

    The session asks for every digit ``takes_per_digit`` times in a shuffled order ("Say: *seven*"). A take
    without problems is saved at once as ``<folder>/<digit>/<speaker>_<n>.wav``; a take with problems
    (silent, clipped, more than one word, …) is explained and the same digit is asked again, unless you press
    **Keep it anyway**. **Skip** moves on without saving. Saved takes are never overwritten, and a new
    session with the same folder and speaker asks only for what is still missing.

    Args:
        folder: where the digit folders go (default :func:`~course_utils.recorder.recordings_dir` / "my_digits").
        speaker: the start of every file name (letters, digits, ``_.+-``).
        takes_per_digit: how many takes of each digit to ask for (1 to 20).
        seed: the shuffle of the prompts.
        max_seconds: the longest take.

    Attributes:
        recorder: the session's :class:`~course_utils.recorder.Recorder`.
        saved: the files saved by this session, in order.
        widget: what a notebook displays.
    """

    def __init__(self, folder=None, *, speaker: str = "me", takes_per_digit: int = 3, seed: int = 0,
                 max_seconds: float = 2.5):
        from course_utils.recorder import _check_name

        self.folder = recordings_dir() / "my_digits" if folder is None else Path(folder).expanduser()
        self.speaker = _check_name(speaker, "speaker")
        self.takes_per_digit = _check_int("takes_per_digit", takes_per_digit, 1, 20)
        seed = _check_int("seed", seed, 0, 2**32 - 1)
        missing = [digit for digit in range(10) for _ in range(max(0, self.takes_per_digit - self.count(digit)))]
        self.queue = [int(d) for d in np.random.default_rng(seed).permutation(np.array(missing, dtype=int))]
        self.saved: list[Path] = []
        self.recorder = Recorder(max_seconds=max_seconds, expect="word", show_picture=True)
        self.recorder.on_take(self._on_take)
        self.progress = widgets.HTML()
        self.skip_button = widgets.Button(description="Skip this digit", icon="forward")
        self.keep_button = widgets.Button(description="Keep it anyway", icon="save", disabled=True)
        self.skip_button.on_click(lambda _: self.skip())
        self.keep_button.on_click(lambda _: self.keep_anyway())
        self.widget = widgets.VBox([self.progress, self.recorder.widget,
                                    widgets.HBox([self.skip_button, self.keep_button])])
        self._pending: Take | None = None
        self._show()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    def count(self, digit: int) -> int:
        """How many takes of ``digit`` by this speaker are in the folder (from any session)."""
        pattern = re.compile(rf"{re.escape(self.speaker)}_\d{{3,}}\.wav")  # not another speaker's "me_2_001.wav"
        folder = self.folder / str(digit)
        return sum(1 for p in folder.iterdir() if pattern.fullmatch(p.name)) if folder.is_dir() else 0

    @property
    def current(self) -> int | None:
        """The digit asked for now, or ``None`` when the session is complete."""
        return self.queue[0] if self.queue else None

    @property
    def complete(self) -> bool:
        """True when every digit has ``takes_per_digit`` takes in the folder."""
        return all(self.count(d) >= self.takes_per_digit for d in range(10))

    def _show(self) -> None:
        done = sum(min(self.count(d), self.takes_per_digit) for d in range(10))
        total = 10 * self.takes_per_digit
        if self.current is None:
            self.recorder.prompt = "Done: thank you!"
            self.progress.value = (f"All {total} takes are saved in <code>{html.escape(str(self.folder))}</code>: "
                                   f"run the next cells to see how the network does on your voice.")
            self.skip_button.disabled = True
        else:
            word = DIGIT_WORDS[self.current]
            self.recorder.prompt = f"Say: {word} ({self.current})"
            self.progress.value = (f"{done} of {total} takes saved in <code>{html.escape(str(self.folder))}</code>. "
                                   f"Press Record, say <b>{word}</b> once, press Stop.")
            self.skip_button.disabled = False

    def _on_take(self, take: Take) -> None:
        if self.current is None:
            self.progress.value += " (This take was not saved: the session is complete.)"
            return
        take.label = str(self.current)
        if take.ok:
            self._save(take)
        else:
            self._pending = take
            self.keep_button.disabled = False  # the problems are listed by the recorder; the same digit again

    def _save(self, take: Take) -> None:
        path = save_take(take, str(self.current), self.folder, prefix=self.speaker)
        self.saved.append(path)
        self.queue.pop(0)
        self._pending = None
        self.keep_button.disabled = True
        self._show()

    def keep_anyway(self) -> Path | None:
        """Save the last take despite its problems (the checks can be wrong); returns its path."""
        if self._pending is None or self.current is None:
            return None
        self._save(self._pending)
        return self.saved[-1]

    def skip(self) -> None:
        """Move on to the next digit without saving (this digit is asked again at the end)."""
        if self.current is not None:
            self.queue.append(self.queue.pop(0))
            self._pending = None
            self.keep_button.disabled = True
            self._show()

"""An audio player whose sound an explorer replaces on every slider move, and the WAV bytes it plays.

Notebook: none of its own; the explorers of notebooks 00-03 and the voice recorder of notebook 06 use it.
"""

from __future__ import annotations

import html
import io
import wave

import ipywidgets as widgets
import numpy as np

from course_utils._arguments import _check_int, _check_signal

__all__ = ["AudioPlayer", "wav_bytes"]


def wav_bytes(y: np.ndarray, sr: int) -> bytes:
    """Encode a mono float signal ``y``, shape ``(n_samples,)``, at ``sr`` Hz as 16-bit PCM WAV bytes.

    Samples are meant to lie in [-1, 1]; louder ones are clipped, never rescaled. Empty signals, integer, NaN or
    infinite samples and sample rates outside 1-384,000 Hz raise an error naming the parameter.
    """
    y = _check_signal("y", y)
    sr = _check_int("sr", sr, 1, 384_000)
    pcm = (np.clip(y, -1.0, 1.0) * 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sr)
        w.writeframes(pcm.tobytes())
    return buffer.getvalue()


class AudioPlayer:
    """An audio player (an ``ipywidgets.Audio`` with a label) whose sound can be replaced at any time.

    Unlike ``IPython.display.Audio`` it does **not** rescale the sound to full volume, so a quieter or
    noisier version sounds quieter or noisier; samples beyond [-1, 1] are clipped and the label says so.
    The WAV bytes travel to the page as a binary buffer (no base64 text inside HTML), so replacing the
    sound on every slider move costs the browser almost nothing until the student presses play.

    Attributes:
        widget: what a notebook displays (label and player in a row).
        audio: the ``ipywidgets.Audio`` holding the current WAV bytes.
        samples, sr: the current signal, shape ``(n_samples,)``, and its sample rate in Hz.
    """

    def __init__(self, label: str = ""):
        self.label = label
        self.caption = widgets.HTML(layout=widgets.Layout(min_width="180px"))
        self.audio = widgets.Audio(format="wav", autoplay=False, loop=False, controls=True)
        self.widget = widgets.HBox([self.caption, self.audio], layout=widgets.Layout(align_items="center"))
        self.samples: np.ndarray | None = None
        self.sr: int | None = None

    def set(self, y: np.ndarray, sr: int, label: str | None = None) -> None:
        """Play signal ``y`` (shape ``(n_samples,)``) at ``sr`` Hz from now on."""
        if label is not None:
            self.label = label
        y = np.asarray(y)
        data = wav_bytes(y, sr)
        self.samples, self.sr = y, int(sr)
        clipped = " (clipped)" if y.size and float(np.max(np.abs(y))) > 1.0 else ""
        self.caption.value = f"{html.escape(self.label)} ({len(y) / sr:.2f} s){clipped}"
        self.audio.value = data

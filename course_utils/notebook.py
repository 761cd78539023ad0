"""One call that every notebook makes after its imports: :func:`setup_notebook`.

Notebook: every notebook (introduced in ``00_start_here.ipynb``).
"""

from __future__ import annotations

import importlib.util
import os
import random
import sys
from dataclasses import dataclass

import numpy as np

PRESENTATION_ENV = "COURSE_PRESENTATION"
FAST_ENV = "COURSE_FAST"

_STYLE = {
    "figure.dpi": 90,
    "savefig.dpi": 90,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "image.cmap": "magma",
    "axes.titlesize": "medium",
    "figure.max_open_warning": 0,
}
_PRESENTATION = {
    "font.size": 15,
    "axes.titlesize": "large",
    "lines.linewidth": 2.2,
    "figure.dpi": 120,
    "savefig.dpi": 120,
}


@dataclass(frozen=True)
class NotebookSettings:
    """What :func:`setup_notebook` set up (returned so a notebook can show it)."""

    seed: int
    presentation: bool
    colab: bool
    fast: bool

    def __repr__(self) -> str:
        mode = "presentation mode (large fonts)" if self.presentation else "normal mode"
        where = "Google Colab" if self.colab else "local Jupyter"
        return f"course_utils ready: seed={self.seed}, {mode}, {where}" + (", fast mode (CI)" if self.fast else "")


_current = NotebookSettings(seed=0, presentation=False, colab=False, fast=False)


def current_settings() -> NotebookSettings:
    """The settings of the last :func:`setup_notebook` call (defaults before any call)."""
    return _current


def in_colab() -> bool:
    """Whether this kernel runs on Google Colab."""
    return "google.colab" in sys.modules or importlib.util.find_spec("google.colab") is not None


def fast_mode() -> bool:
    """Whether ``COURSE_FAST=1`` asks notebooks to train for fewer epochs (set by the test command)."""
    return os.environ.get(FAST_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def seed_everything(seed: int = 0) -> None:
    """Seed Python's ``random``, NumPy's global generator and, if already imported, TensorFlow/Keras.

    TensorFlow is never imported here (that alone takes seconds); notebooks that train with Keras call
    this again after importing it.
    """
    if not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise ValueError(f"seed must be an integer from 0 to 2**32 - 1, got {seed!r}")
    random.seed(int(seed))
    np.random.seed(int(seed))
    if "keras" in sys.modules:
        import keras

        keras.utils.set_random_seed(int(seed))
    elif "tensorflow" in sys.modules:
        import tensorflow as tf

        tf.random.set_seed(int(seed))


def setup_notebook(presentation: bool | None = None, seed: int = 0) -> NotebookSettings:
    """Prepare a notebook: plot style, seeds, Colab's widget manager and presentation mode.

    Args:
        presentation: larger fonts, thicker lines and bigger figures for a projector. ``None`` reads
            the environment variable ``COURSE_PRESENTATION`` (``1`` switches it on for every notebook,
            handy for instructors: ``COURSE_PRESENTATION=1 make lab``).
        seed: seed for ``random``, NumPy and (once imported) TensorFlow, so every run gives the same
            numbers.

    Returns:
        The :class:`NotebookSettings` in force (its ``repr`` is a one-line summary).
    """
    global _current
    import matplotlib

    if presentation is None:
        presentation = os.environ.get(PRESENTATION_ENV, "").strip().lower() in ("1", "true", "yes", "on")
    if not isinstance(presentation, bool):
        raise TypeError(f"presentation must be True, False or None, got {presentation!r}")
    matplotlib.rcParams.update(matplotlib.rcParamsDefault)
    matplotlib.rcParams.update(_STYLE)
    if presentation:
        matplotlib.rcParams.update(_PRESENTATION)
    seed_everything(seed)
    colab = in_colab()
    if colab:  # pragma: no cover - only on Colab
        from google.colab import output

        output.enable_custom_widget_manager()
    _current = NotebookSettings(seed=int(seed), presentation=presentation, colab=colab, fast=fast_mode())
    return _current

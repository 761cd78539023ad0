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

    # TensorFlow, when a notebook imports it later, then keeps its C++ start-up log (which on a machine
    # without a GPU includes a harmless CUDA error line) to itself; Python errors still show as usual.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

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
    # The import cell has run: the libraries' start-up pages (0.35 GB for TensorFlow) need not stay resident.
    from course_utils._memory import release_memory

    release_memory()
    return _current


_PACKAGES = ("numpy", "scipy", "librosa", "matplotlib", "ipywidgets", "scikit-learn", "tensorflow", "keras",
             "albumentations", "audiomentations", "jupyterlab", "pooch")


class EnvironmentReport(list):
    """Rows ``(item, ok, detail)`` of :func:`check_environment`; shows itself as a table in a notebook."""

    @property
    def ok(self) -> bool:
        return all(ok for _, ok, _ in self)

    def __str__(self) -> str:
        return "\n".join(f"{'OK ' if ok else 'FAIL'} {item}: {detail}" for item, ok, detail in self)

    def _repr_html_(self) -> str:
        import html

        rows = "".join(
            f"<tr><td>{html.escape(item)}</td><td style='color:{'#1b7f3b' if ok else '#b3261e'}'>"
            f"{'&#10004;' if ok else '&#10008;'}</td><td style='text-align:left'>{html.escape(detail)}</td></tr>"
            for item, ok, detail in self
        )
        return f"<table><tr><th>check</th><th></th><th>detail</th></tr>{rows}</table>"


def check_environment(*, data: bool = True) -> EnvironmentReport:
    """Check what the course needs: Python, package versions, the data and the widgets.

    Args:
        data: also fetch one FSDD recording through the data layer and load a librosa example.

    Returns:
        An :class:`EnvironmentReport` (a list of ``(item, ok, detail)`` rows with ``.ok``).
    """
    from importlib.metadata import PackageNotFoundError, version

    report = EnvironmentReport()
    python_ok = (3, 10) <= sys.version_info[:2] <= (3, 12)
    report.append(("Python", python_ok, sys.version.split()[0] + ("" if python_ok else " (the course needs 3.10-3.12)")))
    for package in _PACKAGES:
        try:
            report.append((package, True, version(package)))
        except PackageNotFoundError:
            report.append((package, False, "not installed: run `make lab` (or the notebook's first cell on Colab)"))
    if data:
        from course_utils import data as course_data

        try:
            folder = course_data.fetch("fsdd", names=["recordings/0_jackson_0.wav"], progress=False)
            source = os.environ.get(course_data.MIRROR_ENV) or course_data.FSDD.base_url
            report.append(("FSDD recordings", True, f"cache {folder} (source: {source})"))
        except Exception as error:  # the report tells the student what to do instead of stopping
            report.append(("FSDD recordings", False, str(error).splitlines()[0]))
        try:
            y, sr = course_data.load_example("trumpet", duration=0.5)
            report.append(("librosa examples", True, f"'trumpet' loaded ({len(y)} samples at {sr} Hz)"))
        except Exception as error:
            report.append(("librosa examples", False, str(error).splitlines()[0]))
    try:
        from course_utils.widgets import EXPLORERS

        explorer = EXPLORERS["tone"]()
        png = explorer.snapshot()
        ok = explorer.error is None and png.startswith(b"\x89PNG")
        report.append(("widgets", ok, f"demo explorer rendered a {len(png) // 1024} KiB picture"))
    except Exception as error:
        report.append(("widgets", False, f"{type(error).__name__}: {error}"))
    return report

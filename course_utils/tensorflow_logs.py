"""Keep TensorFlow's C++ start-up lines out of the notebooks.

TensorFlow 2.21 writes lines such as ``WARNING: All log messages before absl::InitializeLog() is called are
written to STDERR``, ``oneDNN custom operations are on ...`` and ``Could not find cuda drivers ...`` while it
is imported. They come from C++ before its logging is set up, so ``TF_CPP_MIN_LOG_LEVEL`` does not filter
them (measured: they appear with every level), and Jupyter shows them as a red stderr box although nothing
is wrong. :func:`quiet_tensorflow_import` makes the first ``import tensorflow`` (also the one that
``import keras`` does) send the process's standard error to a temporary file and afterwards passes on every
line that is not one of those known start-up messages, so real errors still show.

The first use of the devices logs ``failed call to cuInit`` on a machine without a GPU; the hook sets them up
during the import, so that line is filtered too.

The modules that notebooks 04 and 06 import (:mod:`course_utils.activations`, :mod:`course_utils.classification`)
call it when they are imported; a notebook then imports Keras after them.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import os
import re
import sys
import tempfile

__all__ = ["quiet_tensorflow_import", "STARTUP_LINES"]

#: Start-up lines that say nothing about the student's code (one regular expression per kind of line).
STARTUP_LINES = (
    r"All log messages before absl::InitializeLog\(\) is called are written to STDERR",
    r"oneDNN custom operations are on",
    r"Could not find cuda drivers on your machine",
    r"cpu_feature_guard\.cc",
    r"This TensorFlow binary is optimized to use available CPU instructions",
    r"^To enable the following instructions: .* rebuild TensorFlow",
    r"Unable to register cu(DNN|FFT|BLAS) factory",
    r"computation placer already registered",
    r"failed call to cuInit",
)
_STARTUP = re.compile("|".join(STARTUP_LINES))


@contextlib.contextmanager
def _stderr_captured():
    """Point file descriptor 2 at a temporary file; yield a list that receives the captured text at the end."""
    captured: list[str] = []
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield captured
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            captured.append(sink.read().decode("utf-8", errors="replace"))


def _pass_on(text: str) -> None:
    """Write the lines of ``text`` that are not start-up messages to ``sys.stderr``."""
    kept = [line for line in text.splitlines() if line.strip() and not _STARTUP.search(line)]
    if kept:
        print("\n".join(kept), file=sys.stderr)


class _QuietLoader(importlib.abc.Loader):
    """Runs the wrapped loader with the start-up lines filtered out of standard error."""

    def __init__(self, loader):
        self._loader = loader

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        with _stderr_captured() as captured:
            try:
                self._loader.exec_module(module)
                # The devices are set up on first use; on a machine without a GPU that logs a harmless
                # "failed call to cuInit" error, so set them up now, while the start-up lines are filtered.
                module.config.list_physical_devices()
            finally:
                module.__loader__ = module.__spec__.loader = self._loader  # as if imported normally
        _pass_on("".join(captured))


class _QuietFinder(importlib.abc.MetaPathFinder):
    """Finds ``tensorflow`` like the other finders do and wraps its loader in a :class:`_QuietLoader`."""

    def find_spec(self, name, path=None, target=None):
        if name != "tensorflow":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return None
        spec.loader = _QuietLoader(spec.loader)
        return spec


def quiet_tensorflow_import() -> None:
    """Make the first import of TensorFlow in this process quiet (see the module docstring).

    Does nothing when TensorFlow is already imported or the hook is already installed. Also sets
    ``TF_CPP_MIN_LOG_LEVEL=2`` unless it is set, which hides TensorFlow's later C++ info and warning lines
    (errors still show).
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if "tensorflow" in sys.modules or any(isinstance(f, _QuietFinder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _QuietFinder())

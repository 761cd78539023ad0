"""Shared test fixtures. The test command (``make test``) sets COURSE_DATA_MIRROR and LIBROSA_DATA_DIR."""

import os

import pytest

os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="module")
def start_notebook_lab(tmp_path_factory):
    """JupyterLab (tools/jupyter_browser.py) serving a copy of notebook 00, for the browser tests; stopped after
    the module. Fails (never skips) when Chromium or JupyterLab cannot start, with the reason."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    import jupyter_browser as jb

    try:
        jb.chromium_path()
        lab = jb.JupyterLab(tmp_path_factory.mktemp("lab"), ["00_start_here.ipynb"]).start()
    except jb.LaunchError as error:
        pytest.fail(str(error))
    try:
        yield lab
    finally:
        lab.stop()


@pytest.fixture
def mirror():
    """The shared data folder that the test command points COURSE_DATA_MIRROR at."""
    path = os.environ.get("COURSE_DATA_MIRROR")
    if not path:
        pytest.fail("COURSE_DATA_MIRROR is not set: run the tests with `make test` (it sets it to ../shared/data)")
    return path


@pytest.fixture
def count_full_draws(monkeypatch):
    """``count_full_draws(explorer)`` -> a list that grows by one item per full redraw of the explorer's figure
    (``canvas.draw``); a blitted update adds nothing."""

    def start(explorer):
        calls = []
        draw = explorer.canvas.draw
        monkeypatch.setattr(explorer.canvas, "draw", lambda: (calls.append(1), draw())[1])
        return calls

    return start

"""Jupyter Notebook 7 in a real browser: every notebook opens, its set-up cell and one explorer cell run, and a
slider dragged with the mouse changes the explorer's picture.

One Notebook 7 server (tools/jupyter_fronts.py, ``jupyter notebook`` on 127.0.0.1 with a token, ``COURSE_FAST=1``)
serves copies of notebooks 00-06. For each one the test runs, from the page (a click in the cell's margin and
Shift+Enter, as a student does), the import cell that calls ``setup_notebook()``, the earlier cells the
notebook's first explorer cell needs (found from the names it uses) and that explorer cell; the explorer
named in the source must appear with its picture decoded, without a traceback.

Nothing is timed; the waits are long enough for a loaded machine.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import jupyter_browser as jb  # noqa: E402
import jupyter_fronts as jf  # noqa: E402

NOTEBOOKS = sorted(p.name for p in jb.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def notebook7(tmp_path_factory):
    """A Jupyter Notebook 7 server on copies of every notebook."""
    try:
        jb.chromium_path()
        server = jf.JupyterNotebook(tmp_path_factory.mktemp("notebook7"), NOTEBOOKS, start_timeout=180)
        server.extra_env = {"COURSE_FAST": "1"}
        server.start()
    except jb.LaunchError as error:
        pytest.fail(str(error))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = jb.launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


def _plan(notebook) -> tuple[int, str, list[int]]:
    """(the first explorer cell, its explorer's registry name, the cells to run before it)."""
    explorers = jf.explorer_cells(notebook)
    assert explorers, "the notebook displays no explorer"
    target, name = explorers[0]
    setup = next(i for i, c in enumerate(notebook.cells) if c.cell_type == "code" and "setup_notebook(" in c.source)
    return target, name, sorted(set(jf.cells_needed(notebook, target)) | {setup})


def test_the_notebook_page_is_notebook_7(notebook7, chromium):
    """The server is Notebook 7 (its own single-document page), not JupyterLab's."""
    page = chromium.new_page(viewport=jb.VIEWPORT)
    try:
        jf.open_notebook7(page, notebook7, NOTEBOOKS[0])
        config = page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent)")
        assert config["appName"] == "Jupyter Notebook" and config["appVersion"].startswith("7."), config.get("appName")
    finally:
        page.close()
        notebook7.shutdown_kernel(NOTEBOOKS[0])


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_an_explorer_in_notebook_7(notebook7, chromium, name):
    notebook = nbformat.read(notebook7.root / name, as_version=4)  # the copy served (the repository may change)
    target, explorer, before = _plan(notebook)
    page = chromium.new_page(viewport=jb.VIEWPORT)
    page.set_default_timeout(60_000)
    try:
        jf.open_notebook7(page, notebook7, name)
        cells = page.locator(".jp-Notebook .jp-Cell")
        cells.nth(len(notebook.cells) - 1).wait_for(state="attached")
        assert cells.count() == len(notebook.cells), "Notebook 7 left cells out of the page"
        for index in [*before, target]:
            jf.run_cell(page, index, timeout=600)
            errors = jb.tracebacks(page)
            assert not errors, f"{name}, cell {index}:\n{errors[0][:3000]}"

        box = cells.nth(target).locator(".course-explorer").first
        box.wait_for(state="visible", timeout=120_000)
        assert f"course-explorer-{explorer}" in box.get_attribute("class").split()
        picture = box.locator("img.course-picture").first
        picture.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=picture.element_handle(),
                               timeout=120_000, polling=250)
        moved = jf.move_a_slider(box, explorer)
        print(f"{name}: ran cells {[*before, target]}; {explorer}: the {moved or 'no'} slider changed it")
        assert moved, f"{name}: no slider of {explorer} changed what it shows"
        assert not jb.tracebacks(page)
        assert box.locator(".widget-html", has_text="Traceback").count() == 0
    finally:
        page.close()
        notebook7.shutdown_kernel(name)

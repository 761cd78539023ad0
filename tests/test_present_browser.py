"""The presentation view (``make present``) in a real browser: every notebook as a Voilà app in Chromium.

One Voilà server (tools/jupyter_fronts.py: the configuration of ``make present``, ``COURSE_PRESENTATION=1``,
``COURSE_FAST=1``) serves copies of notebooks 00-06; Chromium opens each one the way an instructor does and
the test checks what the audience sees: headings and prose, no code cell's source, presentation mode, every
explorer the notebook's source displays with its picture decoded, no Python traceback, and a slider moved by
the mouse changing the picture. The recorder (an anywidget) gets a take from Chromium's fake microphone.

Voilà runs a whole notebook before it shows the page, so the waits are long (notebook 06 trains networks);
nothing is timed, each notebook's time to render is printed (``pytest -s``).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import jupyter_browser as jb  # noqa: E402
import jupyter_fronts as jf  # noqa: E402

NOTEBOOKS = sorted(p.name for p in jb.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
RENDER_TIMEOUT = 900  # s: notebook 06 trains several networks before Voilà shows the page
WIDGET_TIMEOUT = 120  # s: from the rendered page to every explorer's picture drawn


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    """A Voilà server on copies of every notebook, as ``make present`` starts it, with ``COURSE_FAST=1``."""
    try:
        jb.chromium_path()
        server = jf.Voila(tmp_path_factory.mktemp("voila"), NOTEBOOKS, start_timeout=180)
        server.extra_env = {**jf.Voila.extra_env, "COURSE_FAST": "1"}
        server.start()
    except jb.LaunchError as error:
        pytest.fail(str(error))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    """Chromium with a fake microphone that plays a 440 Hz tone (for the recorder) and grants it."""
    from playwright.sync_api import sync_playwright

    wav = tmp_path_factory.mktemp("tone") / "tone.wav"
    sr = 48000
    sf.write(wav, 0.5 * np.sin(2 * np.pi * 440.0 * np.arange(2 * sr) / sr), sr, subtype="PCM_16")
    with sync_playwright() as playwright:
        browser = jb.launch_chromium(playwright, jb.fake_microphone_flags(wav))
        try:
            yield browser
        finally:
            browser.close()


def _code_lines(notebook) -> list[str]:
    """Lines of code cells long enough to be unmistakable and not quoted in any markdown cell."""
    prose = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    lines = {line.strip() for c in notebook.cells if c.cell_type == "code" for line in c.source.splitlines()}
    return sorted(line for line in lines if len(line) >= 30 and not line.startswith("#") and line not in prose)


def _first_heading(notebook) -> str:
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    raise AssertionError("the notebook has no title")


def test_the_tree_lists_every_notebook(voila, chromium):
    """``make present`` without NB= opens Voilà's list of the notebooks; a double click opens one as an app."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = chromium.new_page(viewport=jb.VIEWPORT)
    failed = []
    page.on("requestfailed", lambda request: failed.append(f"{request.url} ({request.failure})"))
    try:
        page.goto(voila.tree_url())
        for name in NOTEBOOKS:
            try:
                page.get_by_text(name, exact=True).first.wait_for(state="visible", timeout=60_000)
            except PlaywrightTimeout:  # say what the instructor would have seen instead
                pytest.fail(f"the tree page shows no {name} after 60 s; its text: {page.inner_text('body')[:2000]!r}; "
                            f"failed requests: {failed}")
        with page.expect_popup(timeout=60_000) as popup:
            page.get_by_text(NOTEBOOKS[0], exact=True).first.dblclick()
        app = popup.value
        assert f"/voila/render/{NOTEBOOKS[0]}" in app.url
        jf.close_voila(app, voila)
        app.close()
    finally:
        page.close()


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_a_notebook_as_an_app(voila, chromium, name):
    notebook = nbformat.read(voila.root / name, as_version=4)  # the copy served (the repository may change)
    expected = [explorer for _, explorer in jf.explorer_cells(notebook)]
    page = chromium.new_page(viewport=jb.VIEWPORT)
    page.set_default_timeout(60_000)
    try:
        seconds = jf.open_voila(page, voila, name, timeout=RENDER_TIMEOUT)
        errors = jf.voila_errors(page)  # a failed cell stops Voilà's run: the rest of the page is missing
        assert not errors, f"{name}: an output shows an error:\n{errors[0][:3000]}"
        # every explorer of the source is in the page, in order, with its picture decoded and visible (the
        # page draws a picture once it is scrolled into view)
        explorers = page.locator(".course-explorer")
        page.wait_for_function("n => document.querySelectorAll('.course-explorer').length >= n", arg=len(expected),
                               timeout=WIDGET_TIMEOUT * 1000, polling=500)
        shown = explorers.evaluate_all(
            "els => els.map(e => [...e.classList].find(c => c.startsWith('course-explorer-')).slice(16))")
        assert shown == expected, f"{name}: the page shows explorers {shown}, the source displays {expected}"
        for i in range(len(shown)):
            picture = explorers.nth(i).locator("img.course-picture").first
            picture.scroll_into_view_if_needed(timeout=WIDGET_TIMEOUT * 1000)
            page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=picture.element_handle(),
                                   timeout=WIDGET_TIMEOUT * 1000, polling=250)
            assert picture.bounding_box()["width"] > 200, f"{name}: the picture of {shown[i]} is not shown"
        print(f"{name}: rendered by Voilà in {seconds:.0f} s; explorers {shown}")

        # what the audience sees: the prose and formulas, never a code cell's source
        assert page.get_by_role("heading", name=_first_heading(notebook)).first.is_visible()
        assert page.locator(".jp-CodeCell .jp-InputArea, .cm-editor, .jp-InputPrompt").count() == 0
        body = page.locator("body").inner_text()
        leaked = [line for line in _code_lines(notebook) if line in body]
        assert not leaked, f"{name}: code is visible in the page: {leaked[:3]}"
        assert "presentation mode (large fonts)" in body, f"{name}: setup_notebook did not switch presentation mode on"
        assert page.evaluate("document.body.dataset.jpThemeLight") == "true", "not the light theme"

        # the recorders (an anywidget) are drawn and can be pressed
        recorders = page.locator(".course-recorder")
        for i in range(recorders.count()):
            assert recorders.nth(i).locator(".course-recorder-record").is_enabled(), f"{name}: recorder {i}"
        assert recorders.count() >= sum(c.source.count("Recorder(") for c in notebook.cells if c.cell_type == "code")

        # a slider dragged with the mouse changes what an explorer shows
        if expected:
            moved = ""
            for i, explorer in enumerate(shown):
                moved = jf.move_a_slider(page.locator(".course-explorer").nth(i), explorer)
                if moved:
                    break
            assert moved, f"{name}: no slider of any explorer changed its picture"
            errors = jf.voila_errors(page)
            assert not errors, f"{name}: an error after the slider moved:\n{errors[0][:3000]}"
            assert page.locator(".course-explorer .widget-html", has_text="Traceback").count() == 0
    finally:
        jf.close_voila(page, voila)  # frees the kernel's memory (up to 1.3 GB) before the next notebook
        page.close()


def test_the_recorder_takes_a_recording_in_voila(voila, chromium):
    """Record / Stop in the presentation view (localhost: the microphone is allowed): the kernel's picture of
    the take and a player come back into the page."""
    page = chromium.new_page(viewport=jb.VIEWPORT)
    page.set_default_timeout(60_000)
    try:
        jf.open_voila(page, voila, "00_start_here.ipynb", timeout=RENDER_TIMEOUT)
        recorder = page.locator(".course-recorder").first
        recorder.wait_for(state="visible", timeout=WIDGET_TIMEOUT * 1000)
        recorder.scroll_into_view_if_needed()
        recorder.locator(".course-recorder-record").click()
        clock = recorder.locator(".course-recorder-clock")
        page.wait_for_function("el => parseFloat(el.textContent) >= 1.0", arg=clock.element_handle())
        recorder.locator(".course-recorder-stop").click()
        panel = page.locator(".course-recorder-panel").first
        panel.locator("img").first.wait_for(state="visible", timeout=60_000)
        assert panel.locator("audio").count() == 1
        assert not jf.voila_errors(page)
    finally:
        jf.close_voila(page, voila)
        page.close()

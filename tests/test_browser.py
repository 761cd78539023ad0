"""A real browser: JupyterLab serves the start notebook, Chromium runs it, the sliders move the picture.

Debian's ``chromium`` (installed by ``make test`` when missing) is driven by Playwright for Python with its
executable path given explicitly, so nothing is downloaded. JupyterLab runs on 127.0.0.1 with a token,
on a copy of the notebook (so autosave can never write outputs into the repository). The launcher is
shared with ``bench/browser.py``: ``tools/jupyter_browser.py``.

Nothing here is timed: on a slow or loaded machine every check still holds, only later.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import jupyter_browser as jb  # noqa: E402

NOTEBOOK = "00_start_here.ipynb"


@pytest.fixture(scope="module")
def start_notebook(start_notebook_lab):
    """The start notebook open in Chromium with all its cells run; yields (page, kernel client, lab)."""
    from playwright.sync_api import sync_playwright

    lab = start_notebook_lab
    with sync_playwright() as playwright:
        browser = jb.launch_chromium(playwright)
        try:
            page = browser.new_page(viewport=jb.VIEWPORT)
            page.set_default_timeout(60_000)
            jb.open_notebook(page, lab, NOTEBOOK)
            progress = jb.run_all(page, timeout=300)
            errors = jb.tracebacks(page)
            assert not errors, errors[0]
            assert progress["todo"] == 0, f"cells left unrun: {progress}"
            kernel = lab.kernel(NOTEBOOK)
            try:
                yield page, kernel, lab
            finally:
                kernel.close()
        finally:
            browser.close()
            lab.shutdown_kernel(NOTEBOOK)


def _tone(page, kernel) -> jb.PageExplorer:
    explorers = [e for e in jb.page_explorers(page, kernel) if e.name == "tone"]
    assert len(explorers) == 1, "the start notebook shows one tone explorer"
    assert explorers[0].kernel_controls is not None and explorers[0].same_picture, "no kernel explorer shows this picture"
    return explorers[0]


def test_no_news_question_covers_the_explorers(start_notebook):
    """The environment that ``make lab`` and ``make test`` build switches JupyterLab's news question off."""
    page, _, _ = start_notebook
    assert page.get_by_text("official Jupyter news").count() == 0, (
        "JupyterLab asks about news: tools/jupyterlab-overrides.json is not installed in the environment "
        "(make lab and make test copy it to .venv/share/jupyter/lab/settings/overrides.json)")


def test_start_notebook_runs_and_its_slider_changes_the_picture(start_notebook):
    page, kernel, _ = start_notebook
    tone = _tone(page, kernel)
    slider = tone.box.locator(".course-control-frequency").first
    slider.scroll_into_view_if_needed()
    tone.picture.wait_for(state="visible")
    readout = slider.locator(".widget-readout")
    before_png, before_value = jb.picture_bytes(tone.picture), readout.inner_text()

    # Drag the handle to a fifth of the track, like a student would.
    handle, track = slider.locator(".noUi-handle").first, slider.locator(".noUi-target").first
    hbox, tbox = handle.bounding_box(), track.bounding_box()
    page.mouse.move(hbox["x"] + hbox["width"] / 2, hbox["y"] + hbox["height"] / 2)
    page.mouse.down()
    page.mouse.move(tbox["x"] + 0.2 * tbox["width"], hbox["y"] + hbox["height"] / 2, steps=8)
    page.mouse.up()

    state = tone.wait_settled("frequency", slider, timeout=60)
    assert state is not None, "page and kernel never agreed on the picture after the slider moved"
    assert readout.inner_text() != before_value and jb.picture_bytes(tone.picture) != before_png, \
        "moving the slider did not change the picture"
    assert tone.box.get_by_text("f = ").first.is_visible()
    assert tone.box.locator("audio").count() == 1


def test_dragging_a_slider_shows_pictures_on_the_way_and_ends_on_the_latest_value(start_notebook):
    """Continuous updates while dragging, latest value wins, and the last picture is the right one."""
    page, kernel, _ = start_notebook
    tone = _tone(page, kernel)
    pictures = tone.pictures
    slider = tone.box.locator(".course-control-frequency").first
    values = pictures.watch_values(slider)
    tone.state("frequency", clear=True)  # count the kernel's renders from here on
    start = pictures.count(tone.picture_index)

    # Drag back and forth with a small move every 10 ms for at least 3 s, and on until 3 new pictures
    # arrived while the button is down (a slow machine just takes longer; at most 90 s).
    done = jb.drag(page, slider, seconds=3.0, sweep_seconds=1.0, interval=0.010, max_seconds=90,
                   keep_going=lambda: pictures.count(tone.picture_index) - start < 3)
    state = tone.wait_settled("frequency", slider, timeout=120)
    assert state is not None, "page and kernel never agreed on the picture after the drag"
    assert state["error"] is None, state["error"]

    shown = pictures.times(tone.picture_index, start)
    during = [p for p in shown if p["decoded"] < done["up"]]
    after = [p for p in shown if p["decoded"] >= done["up"]]
    produced = [v for v in pictures.values(values, done["down"]) if v["t"] <= done["up"]]
    renders = len(state["ms"])
    summary = (f"{done['moves']} mouse moves in {done['seconds']:.1f} s, {len(produced)} values in the page, "
               f"{renders} kernel renders, pictures: {len(during)} during the drag, {len(after)} after mouse-up")
    print(summary)

    # (a) The picture follows the handle while the button is still down.
    assert len({p["src"] for p in during}) >= 2, summary
    # (b) Latest value wins: the kernel never renders more values than the page produced, and after
    # mouse-up at most the render in progress, the latest pending value (and one already on its way) arrive.
    assert renders <= len(produced), summary
    assert len(after) <= 3, summary
    # (c) The last picture is the one a fresh explorer draws for the final value.
    final_png = jb.picture_bytes(tone.picture)
    assert hashlib.sha256(final_png).hexdigest() == state["sha"]
    assert tone.fresh_sha() == state["sha"], "the last picture shown is not a fresh render of the final value"

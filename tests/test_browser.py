"""A real browser: JupyterLab serves the start notebook, Chromium runs it, a slider moves the picture.

Debian's ``chromium`` (installed by ``make test`` when missing) is driven by Playwright for Python with its
executable path given explicitly, so nothing is downloaded. JupyterLab runs on 127.0.0.1 with a token,
on a copy of the notebook (so autosave can never write outputs into the repository).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium)")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def jupyterlab(tmp_path):
    """JupyterLab on 127.0.0.1 with a token, serving a copy of the start notebook; yields (url, token)."""
    work = tmp_path / "notebooks"
    work.mkdir()
    shutil.copy(ROOT / "notebooks" / "00_start_here.ipynb", work)
    port, token = _free_port(), secrets.token_hex(16)
    # Render every cell (JupyterLab 4 otherwise leaves cells outside the viewport out of the page).
    settings = tmp_path / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"), JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "ws"))
    log = open(tmp_path / "jupyter.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.news_url=None",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=work,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail("JupyterLab did not start:\n" + (tmp_path / "jupyter.log").read_text()[-3000:])
        time.sleep(0.5)
    try:
        yield url, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def test_start_notebook_runs_and_its_slider_changes_the_picture(jupyterlab):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    url, token = jupyterlab
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            page.goto(f"{url}/lab/tree/00_start_here.ipynb?token={token}")
            page.locator(".jp-Notebook").first.wait_for(state="visible", timeout=120_000)
            # Run everything once the kernel has started (the status bar reads "... | Idle").
            page.locator(".jp-StatusBar-Widget", has_text=re.compile(r"\|\s*Idle")).first.wait_for(timeout=120_000)
            page.locator(".lm-MenuBar-item", has_text="Run").first.click()
            page.locator(".lm-Menu-item .lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).first.click()
            select = page.locator(".jp-Dialog button", has_text="Select")
            try:  # JupyterLab asks for a kernel when none is attached yet
                select.first.wait_for(timeout=3_000)
                select.first.click()
            except PlaywrightTimeout:
                pass
            # The last code cell prints the durations of the loaded recordings.
            page.locator(".jp-OutputArea-output", has_text="durations from").first.wait_for(timeout=300_000)
            errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
                                  has_text="Traceback")
            assert errors.count() == 0, errors.first.inner_text()

            slider = page.locator(".widget-hslider", has_text="frequency (Hz)").first
            slider.scroll_into_view_if_needed()
            explorer = slider.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]")
            image = explorer.locator("img").first
            image.wait_for(state="visible")
            readout = slider.locator(".widget-readout")
            before_png, before_value = image.screenshot(), readout.inner_text()

            # Drag the handle to a fifth of the track, like a student would.
            handle = slider.locator(".noUi-handle").first
            track = slider.locator(".noUi-target").first
            hbox, tbox = handle.bounding_box(), track.bounding_box()
            page.mouse.move(hbox["x"] + hbox["width"] / 2, hbox["y"] + hbox["height"] / 2)
            page.mouse.down()
            page.mouse.move(tbox["x"] + 0.2 * tbox["width"], hbox["y"] + hbox["height"] / 2, steps=8)
            page.mouse.up()

            deadline = time.monotonic() + 30
            while readout.inner_text() == before_value or image.screenshot() == before_png:
                assert time.monotonic() < deadline, "moving the slider did not change the picture"
                page.wait_for_timeout(250)
            assert explorer.get_by_text("f = ").first.is_visible()
            assert explorer.locator("audio").count() == 1
        finally:
            browser.close()

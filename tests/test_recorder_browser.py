"""The recorder in a real browser: Chromium's fake microphone plays a test tone into notebook 00's recorder.

Chromium gets ``--use-fake-device-for-media-stream --use-file-for-fake-audio-capture=<tone.wav>`` and either
grants the microphone (``--use-fake-ui-for-media-stream``) or refuses it (``--deny-permission-prompts``).
The tone's samples go through the actual widget (AudioWorklet, binary message) into the kernel, where the
test checks their length, sample rate and frequency. With the permission refused, the page must say so and
the upload (a file chosen in the page's file input) must give the same kind of take.

Nothing is timed; waits only have generous time-outs.
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import jupyter_browser as jb  # noqa: E402

NOTEBOOK = "00_start_here.ipynb"
TONE_HZ = 440.0

CHECK_TAKE = '''
import json
import numpy as np
from course_utils.recorder import live_recorders
recorder = live_recorders()[-1]
take = recorder.take
result = {"takes": len(recorder.takes), "problem": recorder.problem, "status": recorder.status.value}
if take is not None:
    window = np.hanning(len(take.samples))
    spectrum = np.abs(np.fft.rfft(take.samples * window))
    result.update(sr=take.sr, n=len(take.samples), source=take.source, dtype=str(take.samples.dtype),
                  peak_hz=float(np.fft.rfftfreq(len(take.samples), 1 / take.sr)[np.argmax(spectrum)]),
                  bin_hz=take.sr / len(take.samples), picture=len(recorder.picture.value))
print(json.dumps(result))
'''


@pytest.fixture(scope="module")
def lab(start_notebook_lab):
    return start_notebook_lab


@pytest.fixture(scope="module")
def tone_wav(tmp_path_factory):
    """Two seconds of a 440 Hz tone at 48 kHz (Chromium loops the file as the microphone's input)."""
    path = tmp_path_factory.mktemp("tone") / "tone.wav"
    sr = 48000
    t = np.arange(2 * sr) / sr
    sf.write(path, 0.5 * np.sin(2 * np.pi * TONE_HZ * t), sr, subtype="PCM_16")
    return path


@contextlib.contextmanager
def _notebook_in_chromium(lab, tone_wav, *, allow: bool):
    """Notebook 00 run in a Chromium whose fake microphone plays ``tone_wav``; yields (page, recorder box, kernel)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = jb.launch_chromium(playwright, jb.fake_microphone_flags(tone_wav, allow=allow))
        kernel = None
        try:
            page = browser.new_page(viewport=jb.VIEWPORT)
            page.set_default_timeout(60_000)
            jb.open_notebook(page, lab, NOTEBOOK, workspace=f"recorder-{allow}")
            progress = jb.run_all(page, timeout=300)
            errors = jb.tracebacks(page)
            assert not errors, errors[0]
            assert progress["todo"] == 0, f"cells left unrun: {progress}"
            recorder = page.locator(".course-recorder").first
            recorder.scroll_into_view_if_needed()
            kernel = lab.kernel(NOTEBOOK)
            yield page, recorder, kernel
        finally:
            if kernel is not None:
                kernel.close()
            browser.close()
            lab.shutdown_kernel(NOTEBOOK)


def _wait_for_take(kernel, count: int, timeout: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        state = kernel.json(CHECK_TAKE)
        if state["takes"] >= count or time.monotonic() > deadline:
            return state
        time.sleep(0.25)


def _assert_tone(state: dict, *, min_seconds: float, max_seconds: float) -> None:
    assert state["dtype"] == "float32"
    seconds = state["n"] / state["sr"]
    assert min_seconds <= seconds <= max_seconds + 1e-9, f"take of {seconds:.3f} s"
    assert abs(state["peak_hz"] - TONE_HZ) <= state["bin_hz"], (state["peak_hz"], state["bin_hz"])
    assert state["picture"] > 0, "the kernel drew no picture of the take"


def test_a_take_from_the_microphone_arrives_in_the_kernel(lab, tone_wav):
    with _notebook_in_chromium(lab, tone_wav, allow=True) as (page, recorder, kernel):
        assert kernel.json(CHECK_TAKE)["takes"] == 0
        recorder.locator(".course-recorder-record").click()
        clock = recorder.locator(".course-recorder-clock")
        page.wait_for_function("el => parseFloat(el.textContent) >= 1.2", arg=clock.element_handle())
        page_sr = int(clock.inner_text().split("·")[1].split()[0].replace(",", ""))
        recorder.locator(".course-recorder-stop").click()
        state = _wait_for_take(kernel, 1)
        assert state["takes"] == 1, state
        assert state["source"] == "microphone" and state["sr"] == page_sr
        _assert_tone(state, min_seconds=1.2, max_seconds=5.0)
        # the kernel's answer reaches the page: its picture of the take and a player
        panel = page.locator(".course-recorder-panel").first
        panel.locator("img").first.wait_for(state="visible")
        assert panel.locator("audio").count() == 1

        # at max_seconds the recording stops by itself, at exactly that length; a long take travels in
        # parts (here made small, so that this one second takes several messages) and arrives whole
        kernel.run("from course_utils.recorder import live_recorders; r = live_recorders()[-1]; "
                   "r.mic.max_seconds = 1.0; r.mic.part_samples = 10000")
        recorder.locator(".course-recorder-record").click()
        state = _wait_for_take(kernel, 2)
        assert state["takes"] == 2 and state["n"] == round(1.0 * state["sr"]), state
        _assert_tone(state, min_seconds=1.0, max_seconds=1.0)
        assert recorder.locator(".course-recorder-record").is_enabled()


def test_a_refused_microphone_is_explained_and_the_upload_gives_the_take(lab, tone_wav):
    with _notebook_in_chromium(lab, tone_wav, allow=False) as (page, recorder, kernel):
        recorder.locator(".course-recorder-record").click()
        message = recorder.locator(".course-recorder-message")
        page.wait_for_function("el => el.textContent.length > 0", arg=message.element_handle())
        assert "refused the microphone" in message.inner_text() and "upload" in message.inner_text()
        deadline = time.monotonic() + 30
        while not (state := kernel.json(CHECK_TAKE))["problem"] and time.monotonic() < deadline:
            time.sleep(0.25)
        assert "refused" in state["problem"] and state["takes"] == 0
        assert "Upload a file" in state["status"]

        with page.expect_file_chooser() as chooser:  # what a student does: the button, then a file
            page.locator(".course-recorder-panel .widget-upload").first.click()
        chooser.value.set_files(str(tone_wav))
        state = _wait_for_take(kernel, 1)
        assert state["takes"] == 1 and state["source"] == "upload: tone.wav" and state["sr"] == 48000, state
        _assert_tone(state, min_seconds=2.0, max_seconds=2.0)

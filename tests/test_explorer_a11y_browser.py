"""Accessible pictures and controls in a real browser (issue #16, part 6), and the code box (part 3).

JupyterLab (the launcher of ``tools/jupyter_browser.py``, as in ``tests/conftest.py``) serves the start notebook
with three more explorers appended, whose controls are of every kind the course uses: sliders, selection
sliders, menus, a check box, buttons, the playground's Play widget and the code box's fields. In Chromium:

* every explorer picture has a ``title`` (its accessible name: an ``ipywidgets.Image`` has no ``alt``) that is
  the kernel's description of the picture, and a keyboard move of a slider (focus, ArrowRight) changes both;
* Tab, from the explorer's first control, reaches every control that is not greyed out, every button and the
  code box; menus, check boxes and buttons act on keys (ArrowDown, Space, Enter);
* a code typed into the code box and restored with the keyboard shows the code's picture.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import jupyter_browser as jb  # noqa: E402

NOTEBOOK = "00_start_here.ipynb"
EXTRA = {"a11y_augmentation": "spectrogram_augmentation", "a11y_playground": "playground", "a11y_softmax": "softmax"}


@pytest.fixture(scope="module")
def page_and_kernel(tmp_path_factory):
    """The start notebook plus the extra explorers, all cells run; yields (page, kernel)."""
    from playwright.sync_api import sync_playwright

    cells = ["from course_utils.widgets import EXPLORERS\n"
             + "\n".join(f"{variable} = EXPLORERS[{name!r}]()\ndisplay({variable}.widget)"
                         for variable, name in EXTRA.items())]
    try:
        jb.chromium_path()
        lab = jb.JupyterLab(tmp_path_factory.mktemp("a11y"), [NOTEBOOK], extra_cells={NOTEBOOK: cells}).start()
    except jb.LaunchError as error:
        pytest.fail(str(error))
    try:
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
                    yield page, kernel
                finally:
                    kernel.close()
            finally:
                browser.close()
                lab.shutdown_kernel(NOTEBOOK)
    finally:
        lab.stop()


def _box(page, name):
    box = page.locator(f".course-explorer-{name}").first
    box.scroll_into_view_if_needed()
    return box


def _kernel(kernel, variable, expression):
    return kernel.json(f"import json; print(json.dumps({variable}.{expression}))")


def _wait(predicate, timeout=60.0, poll=0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(poll)
    return None


def test_every_picture_has_the_kernel_s_description_as_its_title(page_and_kernel):
    page, kernel = page_and_kernel
    for variable, name in [("tone_explorer", "tone"), *((v, n) for v, n in EXTRA.items())]:
        picture = _box(page, name).locator("img.course-picture").first
        picture.wait_for(state="visible")
        wanted = _kernel(kernel, variable, "description")
        assert len(wanted) > 40
        assert _wait(lambda: picture.get_attribute("title") == wanted, timeout=30), \
            f"{name}: the picture's title {picture.get_attribute('title')!r} is not the description {wanted!r}"


def test_a_keyboard_slider_move_changes_the_picture_and_its_description(page_and_kernel):
    page, kernel = page_and_kernel
    box = _box(page, "tone")
    picture = box.locator("img.course-picture").first
    handle = box.locator(".course-control-frequency .noUi-handle").first
    before_title, before_png = picture.get_attribute("title"), jb.picture_bytes(picture)
    before_value = _kernel(kernel, "tone_explorer", "controls['frequency'].value")
    handle.focus()
    assert page.evaluate("() => !!document.activeElement.closest('.course-control-frequency')"), "the handle took no focus"
    page.keyboard.press("ArrowRight")
    moved = _wait(lambda: _kernel(kernel, "tone_explorer", "controls['frequency'].value") != before_value)
    assert moved, "ArrowRight on the focused slider did not change the kernel's value"
    wanted = _wait(lambda: (lambda d: d if d != before_title and picture.get_attribute("title") == d else None)(
        _kernel(kernel, "tone_explorer", "description")))
    assert wanted, f"the title did not follow the keyboard move: {picture.get_attribute('title')!r}"
    frequency = _kernel(kernel, "tone_explorer", "controls['frequency'].value")
    assert f"{frequency:.0f} Hz" in wanted
    assert jb.picture_bytes(picture) != before_png, "the picture did not change"


def _tab_through(page, box, steps=60) -> list[str]:
    """Focus the explorer's first focusable element, press Tab ``steps`` times; what had focus, described."""
    first = box.locator("input, select, button, [tabindex='0'], .noUi-handle").first
    first.focus()
    seen = []
    for _ in range(steps):
        seen.append(page.evaluate("""box => {
          const el = document.activeElement;
          if (!box.contains(el)) return 'outside';
          const owner = el.closest("[class*='course-control-']") || el.closest("[class*='course-state-']");
          const named = owner && [...owner.classList].find(c => c.startsWith('course-control-') || c.startsWith('course-state-'));
          return named || (el.tagName === 'BUTTON' ? 'button:' + el.textContent.trim() : el.tagName);
        }""", box.element_handle()))
        if seen[-1] == "outside":
            break
        page.keyboard.press("Tab")
    return seen


@pytest.mark.parametrize("variable, name", [("tone_explorer", "tone"), *EXTRA.items()])
def test_tab_reaches_every_control_button_and_the_code_box(page_and_kernel, variable, name):
    page, kernel = page_and_kernel
    box = _box(page, name)
    enabled = kernel.json(f"import json; print(json.dumps([n for n, c in {variable}.controls.items() if not c.disabled]))")
    buttons = kernel.json(f"import json; print(json.dumps([b for b, w in {variable}.buttons.items() if not w.disabled]))")
    seen = _tab_through(page, box)
    missing = [n for n in enabled if f"course-control-{n}" not in seen]
    assert not missing, f"{name}: Tab never reached {missing}; it visited {seen}"
    for part in ("course-state-current", "course-state-paste", "course-state-restore"):
        assert part in seen, f"{name}: Tab never reached the code box's {part}; it visited {seen}"
    pressed = {s.split(":", 1)[1] for s in seen if s.startswith("button:")}
    assert set(buttons) <= pressed, f"{name}: Tab never reached the buttons {set(buttons) - pressed}; it visited {seen}"
    if name == "playground":
        assert "course-control-play" in seen, f"the Play widget is not reachable by Tab: {seen}"


def test_menus_check_boxes_and_buttons_work_from_the_keyboard(page_and_kernel):
    page, kernel = page_and_kernel
    variable = "a11y_augmentation"
    box = _box(page, "spectrogram_augmentation")
    before = _kernel(kernel, variable, "values()")

    box.locator(".course-control-transform select").first.focus()
    page.keyboard.press("ArrowDown")
    assert _wait(lambda: _kernel(kernel, variable, "values()")["transform"] != before["transform"]), \
        "ArrowDown on the focused menu did not change the transform"
    kernel.run(f"{variable}.controls['transform'].value = 'brightness_contrast'")  # the check box acts here
    checkbox = box.locator(".course-control-unit_range input[type='checkbox']").first
    _wait(lambda: checkbox.is_enabled())
    checkbox.focus()
    page.keyboard.press("Space")
    assert _wait(lambda: _kernel(kernel, variable, "values()")["unit_range"] is (not before["unit_range"])), \
        "Space on the focused check box did not toggle it"

    draw = _kernel(kernel, variable, "draw")
    box.locator("button", has_text="New random draw").first.focus()
    page.keyboard.press("Enter")
    assert _wait(lambda: _kernel(kernel, variable, "draw") == draw + 1), "Enter on the focused button did not press it"


def test_a_code_typed_into_the_code_box_restores_its_picture(page_and_kernel):
    page, kernel = page_and_kernel
    # values on the sliders' grids: the page moves an off-grid value set from Python to the nearest step
    code = kernel.json("import json; from course_utils.widgets import EXPLORERS; "
                       "print(json.dumps(EXPLORERS['softmax'](z_music=3.0, z_noise=-1.5).state()))")
    box = _box(page, "softmax")
    current = box.locator(".course-state-current input").first
    assert current.get_attribute("readonly") is not None
    assert current.input_value() == _kernel(kernel, "a11y_softmax", "state()")

    paste = box.locator(".course-state-paste input").first
    paste.focus()
    page.keyboard.type("not a code")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    message = box.locator(".course-state .widget-html", has_text="Code not restored").first
    message.wait_for(state="visible")
    assert "is not a code" in message.inner_text()

    paste.fill("")
    paste.focus()
    page.keyboard.type(code)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert _wait(lambda: _kernel(kernel, "a11y_softmax", "state()") == code), (
        f"the typed code was not restored: the kernel's paste field holds "
        f"{_kernel(kernel, 'a11y_softmax', 'state_box.paste.value')!r}, its message "
        f"{_kernel(kernel, 'a11y_softmax', 'state_box.message.value')!r}; typed {code!r}")
    assert _wait(lambda: current.input_value() == code), (
        f"the code box shows {current.input_value()!r}, not the restored code {code!r} (the kernel's box: "
        f"{_kernel(kernel, 'a11y_softmax', 'state_box.current.value')!r})")
    picture = box.locator("img.course-picture").first
    wanted = kernel.json("import json, hashlib; print(json.dumps(hashlib.sha256(a11y_softmax.snapshot()).hexdigest()))")
    import hashlib

    assert _wait(lambda: hashlib.sha256(jb.picture_bytes(picture)).hexdigest() == wanted), "the page shows another picture"
    title = picture.get_attribute("title")
    assert "music 3" in title and "most probable: music" in title, title

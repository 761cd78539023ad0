"""Jupyter Notebook 7 and Voilà beside JupyterLab, for the browser tests of the course's other front ends.

    from jupyter_fronts import JupyterNotebook, Voila   # tests/ put tools/ on sys.path

* :class:`JupyterNotebook` serves copies of notebooks with Jupyter Notebook 7 (``jupyter notebook``), like
  :class:`jupyter_browser.JupyterLab` does with JupyterLab (token, 127.0.0.1, every cell rendered);
  :func:`open_notebook7` opens one and waits for its kernel, :func:`run_cell` runs one cell from the page.
* :class:`Voila` serves copies of notebooks as Voilà apps with the configuration ``make present`` uses
  (``tools/voila/voila.json``: code cells hidden, the light theme) in presentation mode
  (``COURSE_PRESENTATION=1`` in the kernels' environment); :func:`open_voila` waits until a notebook is rendered.
  :func:`voila_errors` finds the cells that failed and :func:`close_voila` ends a page's kernel.
* :func:`explorer_cells` reads from a notebook's source which explorers it displays, and
  :func:`cells_needed` which earlier cells a cell needs (by the names it uses), so a test can run one explorer
  cell without the whole notebook.
* :func:`drag_slider` drags a slider's handle with the mouse, as a student does; :func:`move_a_slider`
  finds a slider of an explorer that changes its picture.

Chromium, the page helpers and the kernel client are :mod:`jupyter_browser`'s. Nothing here asserts.
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import os
import re
import sys
import time
import urllib.request
from pathlib import Path

from jupyter_browser import ROOT, JupyterLab, LaunchError, picture_bytes

VOILA_CONFIG_DIR = ROOT / "tools" / "voila"


class JupyterNotebook(JupyterLab):
    """A Jupyter Notebook 7 server on 127.0.0.1 with a token, serving copies of notebooks in ``workdir/notebooks``.

    Notebook 7 is built from JupyterLab's parts and reads the same settings, so the base class's
    ``windowingMode: none`` (every cell in the page) holds here too.
    """

    app_name = "Jupyter Notebook 7"

    def command(self) -> list[str]:
        return [sys.executable, "-m", "jupyter", "notebook", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
                f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
                "--JupyterNotebookApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                "--JupyterNotebookApp.news_url=None", *(["--allow-root"] if _root() else [])]

    def notebook_url(self, name: str, workspace: str | None = None) -> str:
        """The address of notebook ``name`` in Notebook 7 (one notebook per browser tab: no workspaces)."""
        return f"{self.url}/notebooks/{name}?token={self.token}"


class Voila(JupyterLab):
    """A Voilà server on 127.0.0.1 with a token, rendering copies of notebooks in ``workdir/notebooks``.

    Its settings come from ``tools/voila/voila.json`` (the file ``make present`` uses) and its kernels run
    with ``COURSE_PRESENTATION=1``. Voilà starts one kernel per page it renders; their connection files
    lie in ``workdir/runtime`` (:meth:`kernel_files`), so a test can see that a closed page ended its kernel
    and connect a :class:`jupyter_browser.KernelClient` to a page's kernel.
    """

    app_name = "Voilà"
    extra_env = {"COURSE_PRESENTATION": "1"}

    def command(self) -> list[str]:
        self.runtime_dir.mkdir(parents=True, exist_ok=True)
        return [sys.executable, "-m", "voila", "--no-browser", "--Voila.ip=127.0.0.1", f"--port={self.port}",
                f"--token={self.token}", f"--Voila.config_file_paths={VOILA_CONFIG_DIR}",
                f"--Voila.connection_dir_root={self.runtime_dir}", str(self.root)]

    def ready(self) -> None:
        with urllib.request.urlopen(self.tree_url(), timeout=10):
            pass

    def tree_url(self) -> str:
        """The page listing every notebook (what ``make present`` opens)."""
        return f"{self.url}/?token={self.token}"

    def notebook_url(self, name: str, workspace: str | None = None) -> str:
        return f"{self.url}/voila/render/{name}?token={self.token}"

    def kernel_files(self) -> list[Path]:
        """The connection files of the kernels running now (one per open page)."""
        return sorted(self.runtime_dir.glob("**/kernel-*.json"))


def _root() -> bool:
    return os.geteuid() == 0


# --------------------------------------------------------------------------------------------------
# The pages

def open_notebook7(page, server: JupyterNotebook, name: str, *, timeout: float = 120) -> None:
    """Open notebook ``name`` in Notebook 7 and wait until its kernel is idle (the toolbar's indicator says so)."""
    page.goto(server.notebook_url(name))
    page.locator(".jp-Notebook").first.wait_for(state="visible", timeout=timeout * 1000)
    page.locator(".jp-Notebook-ExecutionIndicator", has_text=re.compile(r"Idle")).first.wait_for(
        state="attached", timeout=timeout * 1000)


def run_cell(page, index: int, *, timeout: float = 300) -> str:
    """Select the ``index``-th cell of the open notebook (JupyterLab or Notebook 7), run it with Shift+Enter
    and wait until it finished; returns its prompt (``"[3]:"``)."""
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-InputPrompt").first.click()  # selects the cell (command mode), like a click in its margin
    page.keyboard.press("Shift+Enter")
    prompt = cell.locator(".jp-InputPrompt").first
    page.wait_for_function("el => /\\[\\d+\\]/.test(el.textContent)", arg=prompt.element_handle(),
                           timeout=timeout * 1000, polling=250)
    return prompt.inner_text()


def open_voila(page, server: Voila, name: str, *, timeout: float = 900) -> float:
    """Open notebook ``name`` as a Voilà app and wait until it is rendered (Voilà runs every cell first, then
    shows the page; the widgets are drawn after that). Returns the seconds it took."""
    start = time.monotonic()
    page.goto(server.notebook_url(name), timeout=timeout * 1000, wait_until="commit")
    # Voilà's lab template: the cells are in the page once execution is over; widget views follow.
    page.locator(".jp-Cell").first.wait_for(state="attached", timeout=timeout * 1000)
    page.wait_for_load_state("load", timeout=timeout * 1000)
    return time.monotonic() - start


def close_voila(page, server: Voila, *, timeout: float = 60) -> list[str]:
    """Leave a Voilà page and end the kernels still running, through the endpoint Voilà's page calls on
    ``beforeunload`` (``/voila/api/shutdown/<kernel id>``); returns the ids of the kernels it had to end.

    Voilà 0.5 left the kernel running after a page was left in these tests, and one kernel per notebook
    would add up to gigabytes over a session.
    """
    page.goto("about:blank")
    ended = []
    for path in server.kernel_files():
        kernel_id = path.stem[len("kernel-"):]
        request = urllib.request.Request(f"{server.url}/voila/api/shutdown/{kernel_id}", method="POST", data=b"",
                                         headers={"Authorization": f"token {server.token}"})
        try:
            with urllib.request.urlopen(request, timeout=timeout):
                ended.append(kernel_id)
        except OSError:
            pass  # it ended meanwhile
    deadline = time.monotonic() + timeout
    while server.kernel_files() and time.monotonic() < deadline:
        time.sleep(0.25)
    return ended


VOILA_ERROR_TEXT = "There was an error when executing cell"


def voila_errors(page) -> list[str]:
    """Outputs in a Voilà page that show a Python traceback or Voilà's note that a cell failed."""
    outputs = page.locator(".jp-OutputArea-output")
    texts = outputs.evaluate_all("els => els.map(e => e.innerText)")
    return [t for t in texts if "Traceback (most recent call last)" in t or VOILA_ERROR_TEXT in t]


# --------------------------------------------------------------------------------------------------
# What a notebook's source says

def _explorer_classes() -> dict[str, str]:
    """Class name -> registry name of every registered explorer."""
    from course_utils.widgets import EXPLORERS

    return {EXPLORERS[name].__name__: name for name in EXPLORERS}


def explorer_cells(notebook) -> list[tuple[int, str]]:
    """``[(cell index, registry name), ...]``: every explorer the notebook displays, in page order.

    An explorer counts when a code cell builds it (``EXPLORERS["name"](...)`` or its class, e.g.
    ``TrainingPanel(...)``) and displays its ``.widget`` in the same cell, directly
    (``display(EXPLORERS["tone"]().widget)``) or through a name (``tone = ...``, then ``display(tone.widget)``).
    Explorers built and not displayed (a twin that checks reproducibility) do not count.
    ``notebook`` is a path or an ``nbformat`` notebook.
    """
    import nbformat

    if not hasattr(notebook, "cells"):
        notebook = nbformat.read(str(notebook), as_version=4)
    classes = _explorer_classes()
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        built = {}  # id of the call node -> registry name
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = _built_explorer(node, classes)
                if name:
                    built[id(node)] = name
        bound = {}  # variable -> registry name
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and id(node.value) in built:
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        bound[target.id] = built[id(node.value)]
        shown = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "display":
                for arg in node.args:
                    if isinstance(arg, ast.Attribute) and arg.attr == "widget":
                        if id(arg.value) in built:
                            shown.append((arg.lineno, arg.col_offset, built[id(arg.value)]))
                        elif isinstance(arg.value, ast.Name) and arg.value.id in bound:
                            shown.append((arg.lineno, arg.col_offset, bound[arg.value.id]))
        found += [(index, name) for *_, name in sorted(shown)]
    return found


def _built_explorer(call: ast.Call, classes: dict[str, str]) -> str | None:
    func = call.func
    if isinstance(func, ast.Subscript) and isinstance(func.value, ast.Name) and func.value.id == "EXPLORERS":
        key = func.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    if isinstance(func, ast.Name) and func.id in classes:
        return classes[func.id]
    return None


def _names(source: str) -> tuple[set[str], set[str]]:
    """(names a cell binds, names it reads without binding them first anywhere in the cell)."""
    tree = ast.parse(source)
    bound, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, (ast.Store, ast.Del)) else read).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
    return bound, read - bound - set(dir(builtins))


def cells_needed(notebook, index: int) -> list[int]:
    """The earlier code cells that cell ``index`` needs, oldest first: those that bind a name it reads, then
    (transitively) what those read. ``notebook`` is an ``nbformat`` notebook."""
    _, wanted = _names(notebook.cells[index].source)
    needed = []
    for earlier in range(index - 1, -1, -1):
        cell = notebook.cells[earlier]
        if cell.cell_type != "code" or not wanted:
            continue
        bound, read = _names(cell.source)
        if bound & wanted:
            needed.append(earlier)
            wanted = (wanted - bound) | read
    return sorted(needed)


# --------------------------------------------------------------------------------------------------
# Controls

#: Explorers whose sliders only describe the next run (the picture changes when a button trains it): a slider
#: move shows in their text instead of their picture.
TEXT_ONLY_SLIDERS = {"training_panel"}

def drag_slider(slider, share: float = 0.25) -> str:
    """Drag a slider's handle (``.course-control-<name>`` locator) by ``share`` of its track towards the farther
    end, as a student does with the mouse. Returns the readout after it.

    (A key press needs the handle to keep the focus, which Notebook 7 gives back to the active cell.)
    """
    page = slider.page
    handle, track = slider.locator(".noUi-handle").first, slider.locator(".noUi-target").first
    handle.scroll_into_view_if_needed()
    readout = slider.locator(".widget-readout").first
    before = readout.inner_text()
    hbox, tbox = handle.bounding_box(), track.bounding_box()
    x, y = hbox["x"] + hbox["width"] / 2, hbox["y"] + hbox["height"] / 2
    towards = 1 if x - tbox["x"] < tbox["width"] / 2 else -1
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + towards * share * tbox["width"], y, steps=8)
    page.mouse.up()
    deadline = time.monotonic() + 10
    while readout.inner_text() == before and time.monotonic() < deadline:
        time.sleep(0.05)
    return readout.inner_text()


def _wait_changed(read, before, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if read() != before:
            return True
        time.sleep(0.25)
    return False


def move_a_slider(box, name: str, *, timeout: float = 45) -> str:
    """Move the sliders of one explorer box (``.course-explorer`` locator, registry ``name``) in turn with the
    mouse until one changes what the explorer shows: its picture's bytes, or its text for
    :data:`TEXT_ONLY_SLIDERS`. Returns that control's name, or ``""`` when none did within ``timeout`` s each.

    A control may act only when others have certain values (an explorer's ``sweep_requires``); then the next
    one is tried.
    """
    picture = box.locator("img.course-picture").first

    def text():
        return box.locator(".widget-html").evaluate_all("els => els.map(e => e.innerText).join('\\n')")

    def picture_sha():
        return hashlib.sha256(picture_bytes(picture)).hexdigest()

    read = text if name in TEXT_ONLY_SLIDERS else picture_sha
    controls = box.locator("[class*='course-control-']")
    for i in range(controls.count()):
        control = controls.nth(i)
        if control.locator(".noUi-handle").count() == 0:
            continue
        before = read()
        drag_slider(control)
        if _wait_changed(read, before, timeout):
            return next(c for c in control.get_attribute("class").split()
                        if c.startswith("course-control-"))[len("course-control-"):]
    return ""


__all__ = ["TEXT_ONLY_SLIDERS", "move_a_slider", "drag_slider", "JupyterNotebook", "LaunchError", "Voila", "VOILA_CONFIG_DIR", "cells_needed", "close_voila",
           "explorer_cells", "open_notebook7", "open_voila", "run_cell", "voila_errors"]

"""JupyterLab plus Debian's Chromium, for the browser test and the browser benchmark.

    from jupyter_browser import JupyterLab, launch_chromium   # tests/ and bench/ put tools/ on sys.path

* :class:`JupyterLab` serves **copies** of notebooks (so autosave never writes outputs into the repository)
  on 127.0.0.1 with a token, with every cell rendered (``windowingMode: none``; the benchmark keeps JupyterLab's
  default, as a student has it) and no news or update
  checks; :meth:`JupyterLab.kernel` connects a client to a notebook's kernel (its connection file lies in
  the server's runtime folder), to read what the kernel measured.
* :func:`launch_chromium` starts Debian's ``chromium`` through Playwright (the executable path is given,
  so Playwright never downloads a browser).
* :func:`open_notebook` and :func:`run_all` open a notebook the way a student does and run all its cells.
* :class:`Pictures` watches the ``img.course-picture`` of explorers in the page: the time each new picture
  is decoded, next to the times of key presses and mouse events (all ``performance.now()`` of the page),
  and :func:`drag` moves a slider handle with many small mouse moves.

Nothing here asserts: the test and the benchmark judge the figures.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
    # Every page the tests and benchmarks open is served on 127.0.0.1. Voila's pages also link stylesheets on
    # a public CDN (render-blocking, and redundant: its bundle carries the same icon font); on a closed network
    # such a request can hang instead of failing, and the page stays blank meanwhile. Any other host name
    # fails at once instead, so a page shows what an offline machine shows, deterministically.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
VIEWPORT = {"width": 1400, "height": 1000}


class LaunchError(RuntimeError):
    """JupyterLab or Chromium could not be started (the message says why, with the server's log)."""


def chromium_path() -> str:
    """Debian's chromium, or :class:`LaunchError` (``make browser`` installs it)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise LaunchError("Debian's chromium is missing: `make browser` installs it (apt-get install chromium)")
    return path


def launch_chromium(playwright, extra_args=()):
    """A headless Chromium (Debian's) driven by ``playwright`` (from ``sync_playwright()``); ``extra_args`` are
    further command-line switches (e.g. a fake microphone for the recorder's test)."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=[*CHROMIUM_FLAGS, *extra_args],
                                      headless=True)


def fake_microphone_flags(wav_path, *, allow: bool = True) -> list[str]:
    """Chromium switches for a fake microphone that plays ``wav_path`` (looped); ``allow=False`` refuses
    every permission request instead of granting it, as a student who clicks "Block" would."""
    flags = ["--use-fake-device-for-media-stream", f"--use-file-for-fake-audio-capture={wav_path}",
             "--autoplay-policy=no-user-gesture-required"]
    return flags + (["--use-fake-ui-for-media-stream"] if allow else ["--deny-permission-prompts"])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterLab:
    """A JupyterLab server on 127.0.0.1 with a token, serving copies of notebooks in ``workdir/notebooks``.

    Use as a context manager (``with JupyterLab(tmp, ["00_start_here.ipynb"]) as lab: ...``). ``extra_cells``
    maps a notebook's name to code cells appended to its copy (the benchmark's floor measurement).
    ``windowing`` is the notebook's ``windowingMode``: ``"none"`` (the tests' choice) attaches and lays out every
    cell, so that a test finds any output where it expects it; ``None`` keeps JupyterLab's own default
    (``contentVisibility`` in JupyterLab 4.6: every cell in the page, the browser skipping the layout and paint of
    those out of view), which is what a student gets and what the benchmark measures.
    """

    #: The name error messages give the server (subclasses serve other front ends: tools/jupyter_fronts.py).
    app_name = "JupyterLab"
    #: Environment variables the server (and so its kernels) gets on top of this process's.
    extra_env: dict = {}

    def __init__(self, workdir: Path, notebooks, *, extra_cells: dict | None = None, start_timeout: float = 120,
                 windowing: str | None = "none"):
        self.workdir = Path(workdir)
        self.windowing = windowing
        self.notebooks = [Path(name).name for name in notebooks]
        self.extra_cells = extra_cells or {}
        self.start_timeout = start_timeout
        self.root = self.workdir / "notebooks"
        self.runtime_dir = self.workdir / "runtime"
        self.log_path = self.workdir / "jupyter.log"
        self.token = secrets.token_hex(16)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = None
        self._log = None

    # ---- start and stop
    def _copy_notebooks(self) -> None:
        import nbformat

        self.root.mkdir(parents=True, exist_ok=True)
        for name in self.notebooks:
            shutil.copy(NOTEBOOKS / name, self.root / name)
            if self.extra_cells.get(name):
                notebook = nbformat.read(self.root / name, as_version=4)
                notebook.cells += [nbformat.v4.new_code_cell(code) for code in self.extra_cells[name]]
                nbformat.write(notebook, self.root / name)

    def start(self) -> JupyterLab:
        self._copy_notebooks()
        settings = self.workdir / "settings" / "@jupyterlab" / "notebook-extension"
        settings.mkdir(parents=True, exist_ok=True)
        if self.windowing is not None:
            (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": self.windowing}))
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(self.workdir / "config"), JUPYTER_RUNTIME_DIR=str(self.runtime_dir),
                   JUPYTERLAB_SETTINGS_DIR=str(self.workdir / "settings"),
                   JUPYTERLAB_WORKSPACES_DIR=str(self.workdir / "workspaces"), **self.extra_env)
        self._log = open(self.log_path, "w")
        self._server = subprocess.Popen(self.command(), env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                        cwd=self.root)
        deadline = time.monotonic() + self.start_timeout
        while True:
            try:
                self.ready()
                return self
            except OSError:
                pass
            if self._server.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise LaunchError(f"{self.app_name} did not start:\n" + self.log_tail())
            time.sleep(0.5)

    def command(self) -> list[str]:
        """The server's command line (run in ``root``)."""
        return [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
                f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.news_url=None",
                *(["--allow-root"] if os.geteuid() == 0 else [])]

    def ready(self) -> None:
        """Return once the server answers; ``OSError`` while it does not yet."""
        self.api("GET", "/api/status")

    def stop(self) -> None:
        if self._server is not None:
            self._server.terminate()
            try:
                self._server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._server.kill()
                self._server.wait()
            self._server = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> JupyterLab:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""

    # ---- REST API and kernels
    def api(self, method: str, path: str, body=None, timeout: float = 10):
        """Call the server's REST API; returns the decoded JSON (``None`` for an empty reply)."""
        request = urllib.request.Request(
            self.url + path, method=method, data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read()
        return json.loads(data) if data else None

    def notebook_url(self, name: str, workspace: str | None = None) -> str:
        """The address a student opens; a fresh ``workspace`` keeps earlier notebooks' tabs (and kernels) closed."""
        where = f"/lab/workspaces/{workspace}/tree/{name}" if workspace else f"/lab/tree/{name}"
        return f"{self.url}{where}?token={self.token}"

    def session(self, name: str) -> dict | None:
        """The server's session of notebook ``name`` (with its ``kernel``), or ``None``."""
        for session in self.api("GET", "/api/sessions"):
            if Path(session.get("path", "")).name == name:
                return session
        return None

    def kernel(self, name: str, timeout: float = 60) -> KernelClient:
        """A client connected to the kernel of notebook ``name`` (the page must have started it)."""
        deadline = time.monotonic() + timeout
        while (session := self.session(name)) is None or not session.get("kernel"):
            if time.monotonic() > deadline:
                raise LaunchError(f"no kernel for {name}")
            time.sleep(0.5)
        return KernelClient(self.runtime_dir / f"kernel-{session['kernel']['id']}.json")

    def shutdown_kernel(self, name: str) -> None:
        """End notebook ``name``'s session and its kernel (frees its memory)."""
        session = self.session(name)
        if session is not None:
            self.api("DELETE", f"/api/sessions/{session['id']}", timeout=60)


class KernelClient:
    """Runs code in a running kernel (a second client beside the page) and returns what it printed."""

    def __init__(self, connection_file: Path):
        from jupyter_client import BlockingKernelClient

        self.client = BlockingKernelClient()
        self.client.load_connection_file(str(connection_file))
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)

    def run(self, code: str, timeout: float = 120) -> str:
        """Execute ``code``; return its printed output, or raise ``RuntimeError`` with the kernel's traceback."""
        printed, errors = [], []

        def hook(msg):
            if msg["msg_type"] == "stream":
                printed.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                errors.append("\n".join(msg["content"]["traceback"]))

        reply = self.client.execute_interactive(code, store_history=False, allow_stdin=False, timeout=timeout,
                                                output_hook=hook)
        if reply["content"]["status"] != "ok" or errors:
            raise RuntimeError("code in the kernel failed:\n" + "\n".join(errors or [str(reply["content"])]))
        return "".join(printed)

    def json(self, code: str, timeout: float = 120):
        """Execute ``code``, which prints one JSON document as its last line; return it decoded."""
        return json.loads(self.run(code, timeout=timeout).strip().splitlines()[-1])

    def close(self) -> None:
        self.client.stop_channels()


# --------------------------------------------------------------------------------------------------
# The page

_PROGRESS_JS = """() => {
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')];
  let pending = 0, done = 0, todo = 0;
  for (const cell of cells) {
    const prompt = cell.querySelector('.jp-InputPrompt')?.textContent || '';
    const source = (cell.querySelector('.cm-content')?.textContent || '').trim();
    if (prompt.includes('*')) pending++;
    else if (/\\[\\d+\\]/.test(prompt)) done++;
    else if (source) todo++;
  }
  const errors = [...document.querySelectorAll(
    ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")]
    .filter(e => e.textContent.includes('Traceback')).length;
  return {pending, done, todo, errors, cells: cells.length};
}"""


def open_notebook(page, lab: JupyterLab, name: str, *, workspace: str | None = None, timeout: float = 120) -> None:
    """Open notebook ``name`` in ``page`` and wait until its kernel is idle."""
    import re

    page.goto(lab.notebook_url(name, workspace))
    page.locator(".jp-Notebook").first.wait_for(state="visible", timeout=timeout * 1000)
    # The status bar reads "Python 3 (ipykernel) | Idle" once the kernel has started.
    page.locator(".jp-StatusBar-Widget", has_text=re.compile(r"\|\s*Idle")).first.wait_for(timeout=timeout * 1000)


def run_all(page, *, timeout: float = 600) -> dict:
    """Run all cells from the menu (Run > Run All Cells) and wait until no cell is pending.

    Returns ``{"pending", "done", "todo", "errors", "cells"}``: code cells run (``done``), non-empty
    cells left unrun (``todo``: run-all stops at an error) and outputs holding a ``Traceback``.
    """
    import re

    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator(".lm-Menu-item .lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).first.click()
    select = page.locator(".jp-Dialog button", has_text="Select")
    try:  # JupyterLab asks for a kernel when none is attached yet
        select.first.wait_for(timeout=3_000)
        select.first.click()
    except PlaywrightTimeout:
        pass
    # Finished: no cell pending, at least one ran, and every non-empty cell ran (or an error stopped the run).
    page.wait_for_function(
        f"() => {{ const p = ({_PROGRESS_JS})(); return p.pending === 0 && p.done > 0 && (p.todo === 0 || p.errors > 0); }}",
        timeout=timeout * 1000, polling=250,
    )
    return page.evaluate(_PROGRESS_JS)


def tracebacks(page) -> list[str]:
    """The text of every output in the page that shows a Python traceback."""
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
                          has_text="Traceback")
    return [errors.nth(i).inner_text() for i in range(errors.count())]


# Watches pictures and input in the page. Times are performance.now() in ms. A picture counts when it is
# decoded (img.decode() resolved): a src replaced before its decode finished never showed.
_WATCH_JS = """() => {
  if (window.__pictures) return;
  const input = {keydown: [], mousedown: [], mousemove: [], mouseup: [], change: []};
  for (const kind of Object.keys(input)) {
    window.addEventListener(kind, () => input[kind].push(performance.now()), true);
  }
  const watched = [];
  window.__pictures = {
    input,
    watched,
    watch(img) {
      const record = {img, pictures: [], replaced: 0, waiters: []};
      const observer = new MutationObserver(() => {
        const src = img.src, seen = performance.now();
        img.decode().then(
          () => {
            if (img.src !== src) return;
            record.pictures.push({seen, decoded: performance.now(), src});
            const waiters = record.waiters;
            record.waiters = [];
            for (const wake of waiters) wake();
          },
          () => { record.replaced++; });
      });
      observer.observe(img, {attributes: true, attributeFilter: ['src']});
      watched.push(record);
      return watched.length - 1;
    },
    // Every value a control takes in the page (a slider handle's aria-valuetext, a select's value).
    watchValues(el) {
      const record = {values: []};
      const add = value => {  // only changes: the handle's attribute is also set again to the same value
        const last = record.values[record.values.length - 1];
        if (!last || last.value !== value) record.values.push({t: performance.now(), value});
      };
      const handle = el.querySelector('.noUi-handle');
      if (handle) {
        add(handle.getAttribute('aria-valuetext'));
        new MutationObserver(() => add(handle.getAttribute('aria-valuetext')))
          .observe(handle, {attributes: true, attributeFilter: ['aria-valuetext']});
      }
      const select = el.querySelector('select');
      if (select) {
        add(select.value);
        select.addEventListener('change', () => add(select.value), true);
      }
      watched.push(record);
      return watched.length - 1;
    },
  };
}"""


class Pictures:
    """The new pictures of ``img.course-picture`` elements, as the page decodes them.

    ``watch(img_locator)`` returns an index; :meth:`count`, :meth:`times` and :meth:`wait_for_more` then
    speak of that picture. :meth:`input_times` gives the times of the page's key and mouse events.
    """

    def __init__(self, page):
        self.page = page
        page.evaluate(_WATCH_JS)

    def watch(self, img) -> int:
        return img.evaluate("img => window.__pictures.watch(img)")

    def watch_values(self, control) -> int:
        """Watch the values a control (slider or dropdown) takes in the page; see :meth:`values`."""
        return control.evaluate("el => window.__pictures.watchValues(el)")

    def values(self, index: int, since: float = 0.0) -> list[dict]:
        """``[{"t", "value"}, ...]``: each change of a watched control's value in the page from time ``since`` on."""
        return self.page.evaluate("([i, t]) => window.__pictures.watched[i].values.filter(v => v.t >= t)",
                                  [index, since])

    def count(self, index: int) -> int:
        return self.page.evaluate("i => window.__pictures.watched[i].pictures.length", index)

    def times(self, index: int, start: int = 0) -> list[dict]:
        """``[{"seen", "decoded", "src"}, ...]`` from the ``start``-th new picture on."""
        return self.page.evaluate("([i, s]) => window.__pictures.watched[i].pictures.slice(s)"
                                  ".map(p => ({seen: p.seen, decoded: p.decoded, src: p.src}))", [index, start])

    def wait_for_more(self, index: int, count: int, timeout: float) -> bool:
        """Wait until more than ``count`` new pictures were decoded; ``False`` after ``timeout`` s.

        The page itself wakes the wait when a picture is decoded (one call that resolves then), instead of
        being polled: polling, even every 20 ms, keeps the page, the browser process and Playwright busy, and
        on a 2-core machine that CPU is taken from the kernel being measured (a student's page is not polled).
        """
        return bool(self.page.evaluate("""([i, n, ms]) => new Promise(resolve => {
          const record = window.__pictures.watched[i];
          if (record.pictures.length > n) return resolve(true);
          const timer = setTimeout(() => resolve(record.pictures.length > n), ms);
          const wake = () => {
            if (record.pictures.length > n) { clearTimeout(timer); resolve(true); }
            else record.waiters.push(wake);
          };
          record.waiters.push(wake);
        })""", [index, count, timeout * 1000]))

    def input_times(self, kind: str, since: float = 0.0) -> list[float]:
        return self.page.evaluate("([k, t]) => window.__pictures.input[k].filter(x => x >= t)", [kind, since])

    def now(self) -> float:
        return self.page.evaluate("() => performance.now()")


def picture_bytes(img) -> bytes:
    """The bytes of the picture an ``img`` locator shows now (its blob is fetched inside the page)."""
    encoded = img.evaluate("""async img => {
      const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
      let text = '';
      for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(text);
    }""")
    return base64.b64decode(encoded)


#: How precisely :func:`slider_position` can tell where a handle stands, as a share of the track (1.5 px of
#: the course's 340 px sliders, whose track is somewhat shorter).
HANDLE_RESOLUTION = 0.006


def slider_position(slider) -> float:
    """Where a slider's handle stands, 0 (left end) to 1 (right end), from the page's layout."""
    return slider.evaluate("""el => {
      const track = el.querySelector('.noUi-target').getBoundingClientRect();
      const handle = el.querySelector('.noUi-handle').getBoundingClientRect();
      return (handle.left + handle.width / 2 - track.left) / track.width;
    }""")


_LAST_INPUT_JS = "kind => window.__pictures ? window.__pictures.input[kind].at(-1) : performance.now()"


def drag(page, slider, *, seconds: float = 2.0, sweep_seconds: float = 1.0, interval: float = 0.016,
         keep_going=None, max_seconds: float = 60.0) -> dict:
    """Press the mouse on ``slider``'s handle and move it back and forth along the track, then release.

    The handle goes from where it stands towards the farther end, then between both ends, one track length
    per ``sweep_seconds``, one small mouse move every ``interval`` s, for ``seconds``; after that, as long as
    ``keep_going()`` (called every few moves) is true, at most ``max_seconds`` in all.
    Returns ``{"moves", "seconds", "down", "up"}`` (``down``/``up``: the page's ``performance.now()``).
    """
    handle = slider.locator(".noUi-handle").first
    track = slider.locator(".noUi-target").first
    handle.scroll_into_view_if_needed()
    hbox, tbox = handle.bounding_box(), track.bounding_box()
    y = hbox["y"] + hbox["height"] / 2
    x = hbox["x"] + hbox["width"] / 2
    left, right = tbox["x"] + 0.01 * tbox["width"], tbox["x"] + 0.99 * tbox["width"]
    speed = (right - left) / sweep_seconds  # pixels per second
    direction = 1.0 if right - x >= x - left else -1.0
    page.mouse.move(x, y)
    page.mouse.down()
    down = page.evaluate(_LAST_INPUT_JS, "mousedown")
    start = last = time.perf_counter()
    moves = 0
    while True:
        now = time.perf_counter()
        elapsed = now - start
        if elapsed >= max_seconds:
            break
        if elapsed >= seconds and (keep_going is None or (moves % 8 == 0 and not keep_going())):
            break
        x += direction * speed * (now - last)
        last = now
        if x >= right or x <= left:
            x = min(max(x, left), right)
            direction = -direction
        page.mouse.move(x, y)
        moves += 1
        pause = interval - (time.perf_counter() - now)
        if pause > 0:
            time.sleep(pause)
    page.mouse.up()
    up = page.evaluate(_LAST_INPUT_JS, "mouseup")
    return {"moves": moves, "seconds": time.perf_counter() - start, "down": down, "up": up}


# A drag made by the page itself: one mouse move per animation frame, as a mouse gives the page (Chromium
# hands mouse moves to the page once per frame), without a round trip to the benchmark's process per move.
_PAGE_DRAG_JS = r"""async ([slider, seconds, sweepSeconds]) => {
  const handle = slider.querySelector('.noUi-handle');
  const track = slider.querySelector('.noUi-target');
  handle.scrollIntoView({block: 'center'});
  const h = handle.getBoundingClientRect(), t = track.getBoundingClientRect();
  const y = h.top + h.height / 2;
  let x = h.left + h.width / 2;
  const left = t.left + 0.01 * t.width, right = t.left + 0.99 * t.width;
  const speed = (right - left) / (sweepSeconds * 1000);  // pixels per ms
  let direction = right - x >= x - left ? 1 : -1;
  const fire = (target, type, buttons) => target.dispatchEvent(new MouseEvent(type, {
    bubbles: true, cancelable: true, composed: true, view: window, clientX: x, clientY: y, button: 0, buttons}));
  fire(handle, 'mousedown', 1);
  const down = performance.now();
  let last = down, moves = 0;
  await new Promise(done => {
    const step = now => {
      const elapsed = (now - down) / 1000;
      if (elapsed >= seconds) { done(); return; }
      x += direction * speed * (now - last);
      last = now;
      if (x >= right || x <= left) { x = Math.min(Math.max(x, left), right); direction = -direction; }
      fire(document.documentElement, 'mousemove', 1);
      moves += 1;
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
  fire(document.documentElement, 'mouseup', 0);
  const up = performance.now();
  return {moves, seconds: (up - down) / 1000, down, up};
}"""


def drag_in_page(page, slider, *, seconds: float = 2.0, sweep_seconds: float = 1.0) -> dict:
    """Like :func:`drag`, but the page moves the handle itself: one mouse move per animation frame (about 60
    a second, what a mouse gives the page) from a script in the page, so that the benchmark's own process and
    Playwright's driver take no CPU per move (with :func:`drag` they send every move and wait for its
    acknowledgement, which on 2 cores takes time from the kernel and the page that a student's mouse does
    not). The events are untrusted ``MouseEvent`` s, which noUiSlider (the ipywidgets sliders; it listens to
    mouse events in Chromium) takes as a mouse's. Returns ``{"moves", "seconds", "down", "up"}`` like :func:`drag`.
    """
    return page.evaluate(_PAGE_DRAG_JS, [slider.element_handle(), seconds, sweep_seconds])


# --------------------------------------------------------------------------------------------------
# The course's explorers, seen from the page and from the kernel

# Defined once in a notebook's kernel (names start with __browser_ to stay out of the student's way).
# Explorers the page shows are pinned by the index of their box in the page, so they stay alive and
# keep their identity even when other, undisplayed explorers come and go.
_KERNEL_HELPERS = r'''
def __browser_setup():
    import hashlib, json, math
    import ipywidgets
    from course_utils.widgets import EXPLORERS, live_explorers

    pinned = {}

    def sha(data):
        return hashlib.sha256(bytes(data)).hexdigest()

    def position(control):
        """(where the value stands from 0 to 1 on the slider, one step on that scale) or None."""
        if isinstance(control, ipywidgets.SelectionSlider):
            last = max(len(control.options) - 1, 1)
            return control.index / last, 1 / last
        if isinstance(control, ipywidgets.FloatLogSlider):
            span = control.max - control.min
            return (math.log(control.value, control.base) - control.min) / span, control.step / span
        if isinstance(control, (ipywidgets.IntSlider, ipywidgets.FloatSlider)):
            span = control.max - control.min
            return (control.value - control.min) / span, control.step / span
        return None

    def pin(wanted):
        """wanted: [[page index, registry name, sha of the page's picture]]: match by picture, then by age."""
        used, found = set(), {}
        for index, name, page_sha in wanted:
            # Objects shaped like explorers that a notebook lists in __browser_extra count too (the benchmark's floor).
            extra = [e for e in globals().get("__browser_extra", []) if e.registry_name == name]
            candidates = [e for e in live_explorers(name) + extra if id(e) not in used]
            same = [e for e in candidates if sha(e.snapshot()) == page_sha]
            explorer = (same or candidates or [None])[0]
            if explorer is None:
                found[index] = None
                continue
            used.add(id(explorer))
            pinned[index] = explorer
            found[index] = {"same_picture": bool(same), "controls": {n: type(c).__name__ for n, c in explorer.controls.items()}}
        print(json.dumps(found))

    def state(index, control=None, clear=False):
        explorer = pinned[index]
        where = position(explorer.controls[control]) if control else None
        out = {
            "sha": sha(explorer.snapshot()),
            "renders": len(explorer.timings),
            "ms": [t[1] + t[2] for t in explorer.timings if control is None or t[0] == control],
            "cpu_ms": [t[3] for t in explorer.timings if len(t) > 3 and (control is None or t[0] == control)],
            "position": where and where[0], "step": where and where[1],
            "value": repr(explorer.controls[control].value) if control else None,
            "error": None if explorer.error is None else repr(explorer.error),
        }
        if clear:
            explorer.timings.clear()
        print(json.dumps(out))

    def fresh_sha(index):
        """The picture of a new explorer of the same kind built with the pinned one's current values."""
        explorer = pinned[index]
        print(json.dumps(sha(EXPLORERS[explorer.registry_name](**explorer.values()).snapshot())))

    saved = {}

    def require(index, control):
        """Give the other controls the values the explorer's sweep_requires names for ``control`` (the
        framework's way to say when a control acts); prints whether there were any. See restore()."""
        explorer = pinned[index]
        needed = getattr(explorer, "sweep_requires", {}).get(control, {})
        if needed:
            saved[index] = {name: explorer.controls[name].value for name in needed}
            with explorer.hold():
                for name, value in needed.items():
                    explorer.controls[name].value = value
        print(json.dumps(bool(needed)))

    def restore(index):
        explorer = pinned[index]
        with explorer.hold():
            for name, value in saved.pop(index, {}).items():
                explorer.controls[name].value = value
        print(json.dumps(True))

    def animate(index, playing, epoch=None):
        """Start or stop an explorer's animation (its ``play`` widget, e.g. the playground's training),
        optionally from ``epoch``; prints whether it has one."""
        explorer = pinned[index]
        play = getattr(explorer, "play", None)
        if play is not None:
            if not playing and epoch == 0 and hasattr(explorer, "reset"):
                explorer.reset()  # what the stop button does: paused at the start, and it stays paused
            else:
                if epoch is not None:
                    play.value = epoch
                play.playing = playing
        print(json.dumps(play is not None))

    return pin, state, fresh_sha, require, restore, animate


(__browser_pin, __browser_state, __browser_fresh_sha, __browser_require, __browser_restore,
 __browser_animate) = __browser_setup()
'''


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


class PageExplorer:
    """An explorer's box in the page together with the ``Explorer`` object behind it in the kernel.

    Made by :func:`page_explorers`. ``name`` is the registry name, ``box`` and ``picture`` are locators,
    ``picture_index`` the :class:`Pictures` index of its picture, ``kernel_controls`` the kernel's
    control name -> widget class (``None`` when no kernel explorer matched).
    """

    def __init__(self, page, kernel: KernelClient, pictures: Pictures, index: int, box, name: str):
        self.page, self.kernel, self.pictures = page, kernel, pictures
        self.index, self.box, self.name = index, box, name
        self.picture = box.locator("img.course-picture").first
        self.picture_index = pictures.watch(self.picture)
        self.kernel_controls: dict | None = None
        self.same_picture = False

    def controls(self) -> dict:
        """Control name -> ``(kind, locator)`` for the page's controls: kind ``"slider"``, ``"dropdown"`` or ``None``."""
        found = {}
        for classes in self.box.locator("[class*='course-control-']").evaluate_all("els => els.map(e => e.className)"):
            name = next(c for c in classes.split() if c.startswith("course-control-"))[len("course-control-"):]
            locator = self.box.locator(f".course-control-{name}").first
            kind = locator.evaluate("el => el.querySelector('.noUi-handle') ? 'slider' : el.querySelector('select') ? 'dropdown' : null")
            found[name] = (kind, locator)
        return found

    def page_sha(self) -> str:
        return _sha(picture_bytes(self.picture))

    def state(self, control: str | None = None, *, clear: bool = False) -> dict:
        """The kernel's view: ``sha`` of its picture, ``renders`` (refreshes kept in ``timings``), ``ms`` (update +
        render of each refresh triggered by ``control``), ``position``/``step`` of the control's value on its
        slider (0 to 1), ``value``, ``error``. ``clear`` empties ``timings`` afterwards."""
        return self.kernel.json(f"__browser_state({self.index}, {control!r}, clear={clear!r})")

    def fresh_sha(self) -> str:
        """sha256 of the picture a new explorer of the same kind draws for the current values (in the kernel)."""
        return self.kernel.json(f"__browser_fresh_sha({self.index})")

    def require(self, control: str) -> bool:
        """Set what the explorer's ``sweep_requires`` asks for before ``control`` acts; ``False`` if nothing."""
        return self.kernel.json(f"__browser_require({self.index}, {control!r})")

    def restore(self) -> None:
        """Undo :meth:`require`."""
        self.kernel.json(f"__browser_restore({self.index})")

    def animate(self, playing: bool, epoch: int | None = None) -> bool:
        """Start or stop the explorer's animation (its ``play`` widget), optionally from ``epoch``; ``False``
        when it has none."""
        return self.kernel.json(f"__browser_animate({self.index}, {playing!r}, {epoch!r})")

    def wait_settled(self, control: str, slider=None, *, timeout: float = 60, poll: float = 0.25) -> dict | None:
        """Wait until page and kernel agree: the page shows the kernel's picture, the kernel made no new picture
        since the previous look, and (for a ``slider`` locator) the kernel's value is where the page's handle
        stands. Returns the kernel's :meth:`state`, or ``None`` after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        previous = None
        while time.monotonic() < deadline:
            state = self.state(control)
            agree = state["sha"] == self.page_sha()
            if agree and slider is not None and state["position"] is not None:
                # half a step, but never less than the handle's placement can resolve (a slider with a
                # thousand steps moves a fraction of a pixel per step)
                agree = abs(slider_position(slider) - state["position"]) <= max(state["step"] / 2, HANDLE_RESOLUTION)
            if agree and previous is not None and previous["renders"] == state["renders"] and previous["sha"] == state["sha"]:
                return state
            previous = state if agree else None
            time.sleep(poll)
        return None


def page_explorers(page, kernel: KernelClient, pictures: Pictures | None = None) -> list[PageExplorer]:
    """Every explorer box in the page (``.course-explorer``), matched with its ``Explorer`` in the kernel.

    Matching: same registry name and the same picture bytes, else the oldest live explorer of that name not
    matched yet.
    """
    pictures = pictures or Pictures(page)
    kernel.run(_KERNEL_HELPERS)
    boxes = page.locator(".course-explorer")
    found = []
    for i in range(boxes.count()):
        box = boxes.nth(i)
        classes = box.evaluate("el => el.className").split()
        name = next((c[len("course-explorer-"):] for c in classes if c.startswith("course-explorer-")), None)
        if name is not None:
            found.append(PageExplorer(page, kernel, pictures, i, box, name))
    wanted = [[e.index, e.name, e.page_sha()] for e in found]
    matched = kernel.json(f"__browser_pin({json.dumps(wanted)})")
    for explorer in found:
        info = matched.get(str(explorer.index))
        if info:
            explorer.kernel_controls, explorer.same_picture = info["controls"], info["same_picture"]
    return found

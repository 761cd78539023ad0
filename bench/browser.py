"""What a student waits for in a real browser: every slider and menu of every explorer (prints; asserts nothing).

    make bench-browser                  # or: .venv/bin/python bench/browser.py [00 01 ...] [--moves 8] [--json FILE]

JupyterLab (127.0.0.1, token, copies of the notebooks) and Debian's Chromium are started as in the browser
test (``tools/jupyter_browser.py``), but with JupyterLab's default windowing of notebooks (the one students
have; ``--windowing`` picks another). Each notebook in turn is opened, run with Run All Cells and checked for
tracebacks; then, for every slider and drop-down of every explorer in the page:

* **key presses**: ``--moves`` arrow keys on the slider handle (up, then down) or the menu (next option);
  measured inside the page, from the key's ``keydown`` (capture phase) to the new ``img.course-picture``
  decoded (a MutationObserver sees the new src, then ``img.decode()``), page and kernel agreeing again
  before the next key. Beside it, the kernel's share: the median ``update + render`` ms of the explorer's
  ``timings`` for that control during those moves (read through a second client of the notebook's kernel).
* **profile** (``--profile DIR``): the key presses of each control are recorded in a Chromium performance trace
  (``devtools.timeline``); the report then gives, per picture, the CPU time of the page's main thread split by
  what it did (script, style, layout, paint, image decoding, ...) and of Chromium's other threads (compositor,
  raster, GPU/viz, browser): on a 2-core machine all of it competes with the kernel for the second core.
* **drag**: the handle is pressed and moved back and forth over the track for ``--drag-seconds``, one
  track length a second, by a script in the page that sends one mouse move per animation frame, as a
  mouse does (``--drag-driver playwright``: Playwright's mouse from this process instead, a move every
  ~16 ms, each waited for; on 2 cores that driver takes CPU a student's mouse does not); pictures decoded
  while the button is down per second, the time from mouse-up to the last picture ("settle") and whether
  page and kernel then agree on the value and the picture ("final").

The **floor** is measured the same way in the same page: a bare ``ipywidgets.Image`` swapping two
ready-made 960x360 PNGs on the change of a bare ``IntSlider`` (a cell appended to each notebook's copy),
i.e. what the widget round trip costs without any drawing. Targets (flagged, never failed): browser
p50 <= floor p50 + 40 ms, p95 <= 150 ms, kernel p50 <= 40 ms, drag >= 10 pictures/s (>= 5 for the
playground). Each notebook's kernel is shut down before the next opens (Binder-like memory).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import jupyter_browser as jb  # noqa: E402

TARGET_OVER_FLOOR_MS, TARGET_P95_MS, TARGET_KERNEL_MS = 40.0, 150.0, 40.0
TARGET_DRAG_PER_S = {"playground": 5.0}
TARGET_DRAG_DEFAULT = 10.0

# Appended to each notebook's copy: the floor, shaped like an explorer (registry name "floor") so that the
# page helpers and the kernel helpers of tools/jupyter_browser.py treat it like one.
FLOOR_CELL = r'''
# Browser benchmark only (bench/browser.py): the floor, a bare Image swapping two ready-made PNGs.
def __browser_make_floor():
    import io, time
    from collections import deque
    import ipywidgets, numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from PIL import Image

    def png(cycles):
        fig = Figure(figsize=(9.6, 3.6), dpi=100)
        canvas = FigureCanvasAgg(fig)
        t = np.linspace(0, 1, 2000)
        fig.subplots().plot(t, np.sin(2 * np.pi * cycles * t))
        canvas.draw()
        buffer = io.BytesIO()
        Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1) \
            .convert("RGB").save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    class Floor:
        registry_name = "floor"
        error = None

        def __init__(self):
            self.pngs, self.shown = [png(3), png(5)], 0
            self.image = ipywidgets.Image(value=self.pngs[0], format="png",
                                          layout=ipywidgets.Layout(max_width="100%", height="auto"))
            slider = ipywidgets.IntSlider(value=50, min=0, max=100, continuous_update=True,
                                          description="floor", layout=ipywidgets.Layout(width="340px"))
            self.controls = {"floor": slider}
            self.timings = deque(maxlen=2000)
            slider.observe(self.swap, names="value")
            slider.add_class("course-control-floor")
            self.image.add_class("course-picture")
            self.widget = ipywidgets.VBox([slider, self.image])
            self.widget.add_class("course-explorer")
            self.widget.add_class("course-explorer-floor")

        def swap(self, change):  # the other picture on every change, so that every change shows
            start = time.perf_counter()
            self.shown = 1 - self.shown
            self.image.value = self.pngs[self.shown]
            self.timings.append(("floor", 0.0, (time.perf_counter() - start) * 1000))

        def snapshot(self):
            return bytes(self.image.value)

        def values(self):
            return {name: control.value for name, control in self.controls.items()}

    return Floor()


__browser_extra = [__browser_make_floor()]
display(__browser_extra[0].widget)
'''


def _percentiles(values):
    if not values:
        return None, None
    return float(np.percentile(values, 50)), float(np.percentile(values, 95))


def _position(control, kind) -> float:
    if kind == "slider":
        return jb.slider_position(control)
    return control.locator("select").first.evaluate("s => s.selectedIndex / Math.max(s.options.length - 1, 1)")


def key_moves(page, explorer: jb.PageExplorer, name: str, kind: str, control, *, moves: int,
              timeout: float = 60.0, max_presses: int = 10, pause: float = 0.3) -> dict:
    """``moves`` changes of one control by the keyboard (a menu: the next option); ms from the input event
    (keydown; a menu's change) to the new picture decoded, per move. A key press whose change leaves the
    picture as it was (the kernel refreshed, its picture is the page's) is followed by another, up to
    ``max_presses``; the time counts from the last one. Each press comes ``pause`` seconds after the
    previous picture, as a student looks before pressing again; presses closer together than
    ``Explorer.STREAM_GAP_S`` would count as a drag (``course_utils.widgets``, "Live dragging")."""
    pictures, index = explorer.pictures, explorer.picture_index
    if kind == "slider" and control.locator(".noUi-target[disabled]").count():
        return {"ms": [], "note": "disabled in the page"}
    target = control.locator(".noUi-handle" if kind == "slider" else "select").first
    target.scroll_into_view_if_needed()
    direction = 1 if _position(control, kind) < 0.5 else -1
    latencies, note = [], None
    state = explorer.state(name)

    def press() -> float | None:
        """One step in ``direction`` (turning at an end of the range); the page's time of the input event."""
        nonlocal direction
        for _ in range(2):
            before = _position(control, kind)
            if kind == "slider":
                target.focus()
                page.keyboard.press("ArrowRight" if direction > 0 else "ArrowLeft")
                event = "keydown"
            else:
                options = target.evaluate("s => [s.selectedIndex, s.options.length]")
                target.select_option(index=min(max(options[0] + direction, 0), options[1] - 1))
                event = "change"
            if abs(_position(control, kind) - before) > 1e-9:
                return pictures.input_times(event)[-1]
            direction = -direction
        return None

    for move in range(moves):
        if move == (moves + 1) // 2:
            direction = -direction  # up, then back down
        for _ in range(max_presses):
            count, refreshes = pictures.count(index), len(state["ms"])
            time.sleep(pause)
            started = press()
            if started is None:
                note = "the control does not move"
                break
            deadline, arrived, unchanged = time.monotonic() + timeout, False, False
            while not (arrived := pictures.wait_for_more(index, count, 0.3)) and time.monotonic() < deadline:
                # No picture yet: did the kernel refresh for this press and keep the same picture?
                state = explorer.state(name)
                if len(state["ms"]) > refreshes and state["sha"] == explorer.page_sha():
                    unchanged = True
                    break
            if arrived:
                latencies.append(pictures.times(index, count)[0]["decoded"] - started)
                break
            if not unchanged:
                note = f"no picture within {timeout:.0f} s"
                break
        else:
            note = f"the picture does not change ({max_presses} steps)"
        if note:
            break
        state = explorer.wait_settled(name, control if kind == "slider" else None, timeout=timeout, poll=0.1) \
            or explorer.state(name)
    return {"ms": latencies, "note": note}


TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "toplevel", "v8.execute"]

# What the page's main thread did, by trace event name (self time: an event's time less that of the events in it).
_KINDS = {
    "script": ("FunctionCall", "EvaluateScript", "EventDispatch", "TimerFire", "FireAnimationFrame", "RunMicrotasks",
               "v8.run", "v8.callFunction", "v8.compile", "V8.Execute", "XHRReadyStateChange", "XHRLoad",
               "FireIdleCallback", "v8.compileModule", "v8.evaluateModule"),
    "gc": ("MinorGC", "MajorGC", "V8.GCScavenger", "V8.GCFinalizeMC", "V8.GCIncrementalMarking",
           "BlinkGC.AtomicPhase", "ThreadState::performIdleLazySweep", "CppGC.IncrementalSweep"),
    "style": ("UpdateLayoutTree", "RecalculateStyles", "ParseAuthorStyleSheet", "InvalidateLayout",
              "ScheduleStyleRecalculation"),
    "layout": ("Layout", "HitTest", "IntersectionObserverController::computeIntersections", "ResizeObserver"),
    "paint": ("PrePaint", "Paint", "Layerize", "UpdateLayer", "PaintImage", "CompositeLayers", "Commit",
              "UpdateLayerTree", "PaintSetup", "RasterTask"),
    "image decode": ("Decode Image", "ImageDecodeTask", "Decode LazyPixelRef", "Draw LazyPixelRef",
                     "Resize Image"),
}
_KIND_OF = {name: kind for kind, names in _KINDS.items() for name in names}
# Chromium's threads by name, in groups: the page's main thread, its helpers (compositor, raster, decoding),
# the GPU/viz process (software compositing of the window) and the browser process.
_THREAD_GROUPS = (("page main", ("CrRendererMain",)),
                  ("page compositor", ("Compositor",)),
                  ("raster + decode", ("CompositorTileWorker", "ThreadPoolForegroundWorker", "ThreadPoolBackgroundWorker")),
                  ("gpu/viz", ("CrGpuMain", "VizCompositorThread")),
                  ("browser", ("CrBrowserMain", "Chrome_IOThread", "Chrome_ChildIOThread")))


def summarize_trace(trace: bytes, pictures: int) -> dict:
    """Per picture, ms of CPU time per Chromium thread group and, for the page's main thread, ms of wall time
    per kind of work (see ``_KINDS``; "other": tasks' time outside any named event). ``pictures`` divides."""
    events = json.loads(trace)
    events = events["traceEvents"] if isinstance(events, dict) else events
    names = {(e["pid"], e["tid"]): e["args"]["name"] for e in events
             if e.get("ph") == "M" and e.get("name") == "thread_name"}
    by_thread: dict = {}
    for e in events:
        if e.get("ph") == "X" and "dur" in e:
            by_thread.setdefault((e["pid"], e["tid"]), []).append(e)
    groups = {group: 0.0 for group, _ in _THREAD_GROUPS}
    kinds = {kind: 0.0 for kind in (*_KINDS, "other")}
    for thread, items in by_thread.items():
        name = names.get(thread, "")
        group = next((g for g, prefixes in _THREAD_GROUPS if any(name.startswith(p) for p in prefixes)), None)
        items.sort(key=lambda e: (e["ts"], -e["dur"]))
        stack: list = []  # [end, event, children's time]
        for e in items:
            while stack and e["ts"] >= stack[-1][0]:
                _close(stack.pop(), kinds, stack, name)
            if not stack and group is not None:  # a top-level task: its CPU time (thread time when traced)
                groups[group] += e.get("tdur", e["dur"]) / 1000
            stack.append([e["ts"] + e["dur"], e, 0.0])
        while stack:
            _close(stack.pop(), kinds, stack, name)
    n = max(pictures, 1)
    return {"pictures": pictures, "threads_ms": {g: v / n for g, v in groups.items()},
            "main_ms": {k: v / n for k, v in kinds.items()}}


def _close(entry, kinds, stack, thread_name) -> None:
    end, event, inner = entry
    if stack:
        stack[-1][2] += event["dur"]
    if thread_name.startswith("CrRendererMain"):
        kind = _KIND_OF.get(event["name"], "other" if not stack else None)
        if kind is None:  # an unnamed event inside another: its time belongs to the enclosing one
            if stack:
                stack[-1][2] -= event["dur"] - inner
            return
        kinds[kind] += max(event["dur"] - inner, 0) / 1000


def drag_measure(page, explorer: jb.PageExplorer, name: str, control, *, seconds: float, driver: str = "page") -> dict:
    """Drag one slider back and forth for ``seconds``: pictures per second while dragging, settle, final.

    ``driver``: ``"page"`` moves the handle from a script in the page, once per animation frame
    (:func:`tools.jupyter_browser.drag_in_page`, the default: like a student's mouse, it costs the machine no
    process of its own); ``"playwright"`` sends every move from this process (:func:`tools.jupyter_browser.drag`).
    """
    pictures, index = explorer.pictures, explorer.picture_index
    values = pictures.watch_values(control)
    count = pictures.count(index)
    if driver == "page":
        done = jb.drag_in_page(page, control, seconds=seconds, sweep_seconds=1.0)
    else:
        done = jb.drag(page, control, seconds=seconds, sweep_seconds=1.0, interval=0.016)
    settled = explorer.wait_settled(name, control, timeout=60)
    shown = pictures.times(index, count)
    during = [p for p in shown if done["down"] <= p["decoded"] <= done["up"]]
    held_s = (done["up"] - done["down"]) / 1000
    last = max((p["decoded"] for p in shown), default=None)
    return {
        "pictures_per_s": len(during) / held_s if held_s > 0 else None,
        "pictures": len(during),
        "mouse_moves_per_s": done["moves"] / done["seconds"],
        "values_in_page": (produced := sum(1 for v in pictures.values(values, done["down"]) if v["t"] <= done["up"])),
        "values_per_s": produced / held_s if held_s > 0 else None,
        "settle_ms": None if last is None else max(0.0, last - done["up"]),
        "final_ok": settled is not None,
        "kernel_renders": None if settled is None else len(settled["ms"]),
    }


def animation_measure(explorer: jb.PageExplorer, *, seconds: float) -> dict | None:
    """Pictures per second while an explorer animates by itself (the playground training from epoch 0 with
    its Play widget ticking in the page), or ``None`` for an explorer without animation."""
    pictures, index = explorer.pictures, explorer.picture_index
    count, start = pictures.count(index), pictures.now()
    if not explorer.animate(True, epoch=0):
        return None
    time.sleep(seconds)
    end = pictures.now()
    explorer.animate(False)
    shown = [p for p in pictures.times(index, count) if start <= p["decoded"] <= end]
    return {"pictures_per_s": len(shown) / ((end - start) / 1000), "pictures": len(shown)}


def measure_notebook(browser, lab: jb.JupyterLab, notebook: str, args) -> dict:
    result = {"notebook": notebook, "explorers": [], "floor": None}
    context = browser.new_context(viewport=jb.VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(120_000)
    kernel = None
    try:
        start = time.perf_counter()
        jb.open_notebook(page, lab, notebook, workspace=f"bench-{Path(notebook).stem}")
        result["run"] = jb.run_all(page, timeout=args.run_timeout)
        result["run_s"] = time.perf_counter() - start
        result["tracebacks"] = [text[-600:] for text in jb.tracebacks(page)]
        kernel = lab.kernel(notebook)
        explorers = jb.page_explorers(page, kernel)
        print(f"{notebook}: ran in {result['run_s']:.0f} s, {len(explorers) - 1} explorers", file=sys.stderr)
        for explorer in sorted(explorers, key=lambda e: e.name != "floor"):  # the floor first
            entry = {"name": explorer.name, "index": explorer.index, "matched": explorer.kernel_controls is not None,
                     "controls": []}
            # An explorer that animates (the playground) is paused at its start first, so that each picture below
            # answers a key press or a drag (a change then shows the new run's first frame and waits); its
            # animation is timed apart, afterwards.
            animated = explorer.kernel_controls is not None and explorer.animate(False, epoch=0)
            for name, (kind, control) in explorer.controls().items():
                if kind is None:
                    entry["controls"].append({"control": name, "kind": None, "note": "not a slider or menu: skipped"})
                    continue
                required = kind == "slider" and bool(control.locator(".noUi-target[disabled]").count()) \
                    and explorer.kernel_controls is not None and explorer.require(name)
                if required:  # the explorer's sweep_requires says which other values make this control act
                    control.locator(".noUi-target:not([disabled])").first.wait_for(timeout=60_000)
                    explorer.wait_settled(name, control)
                explorer.state(name, clear=True)
                if args.profile:
                    browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
                keys = key_moves(page, explorer, name, kind, control, moves=args.moves)
                profile = None
                if args.profile:
                    trace = browser.stop_tracing()
                    args.profile.mkdir(parents=True, exist_ok=True)
                    (args.profile / f"{Path(notebook).stem}-{explorer.index}-{explorer.name}-{name}.json").write_bytes(trace)
                    profile = summarize_trace(trace, len(keys["ms"]))
                in_kernel = explorer.state(name, clear=True)
                kernel_ms = in_kernel["ms"]
                row = {"control": name, "kind": kind, "browser_ms": keys["ms"], "kernel_ms": kernel_ms,
                       "kernel_cpu_ms": in_kernel.get("cpu_ms", []),
                       "note": keys["note"], "profile": profile}
                if kind == "slider" and keys["ms"] and args.drag_seconds > 0:
                    row["drag"] = drag_measure(page, explorer, name, control, seconds=args.drag_seconds,
                                                 driver=args.drag_driver)
                row["error"] = explorer.state(name)["error"]
                if required:
                    row["note"] = ((row["note"] + "; ") if row["note"] else "") + "with its sweep_requires values"
                    explorer.restore()
                    explorer.wait_settled(name)
                entry["controls"].append(row)
                print(f"  {explorer.name}.{name}: {len(keys['ms'])} moves"
                      + (f" ({keys['note']})" if keys["note"] else ""), file=sys.stderr)
            if animated:
                entry["animation"] = animation_measure(explorer, seconds=max(args.drag_seconds, 1.0) * 1.5)
            if explorer.name == "floor":
                result["floor"] = entry["controls"][0] if entry["controls"] else None
            else:
                result["explorers"].append(entry)
    finally:
        if kernel is not None:
            kernel.close()
        context.close()
        lab.shutdown_kernel(notebook)
    return result


def _fmt(value, width=7, digits=0):
    return f"{'-':>{width}}" if value is None else f"{value:{width}.{digits}f}"


def _profile_line(profile: dict) -> str:
    threads, main = profile["threads_ms"], profile["main_ms"]
    kinds = ", ".join(f"{kind} {ms:.0f}" for kind, ms in main.items() if ms >= 0.5)
    others = ", ".join(f"{group} {ms:.0f}" for group, ms in threads.items() if group != "page main")
    return (f"Chromium CPU ms per picture: page main {threads['page main']:.0f} ({kinds}); {others}"
            f"  [{profile['pictures']} pictures]")


def report(results: list[dict]) -> None:
    floors = [ms for r in results if r["floor"] for ms in r["floor"]["browser_ms"]]
    floor_p50, floor_p95 = _percentiles(floors)
    floor_drags = [r["floor"]["drag"] for r in results if r["floor"] and r["floor"].get("drag")]
    floor_drag = [d["pictures_per_s"] for d in floor_drags if d["pictures_per_s"] is not None]
    floor_moves = [d["mouse_moves_per_s"] for d in floor_drags]
    print(f"load average (1, 5, 15 min): {os.getloadavg()}  cores: {os.cpu_count()}")
    print(f"floor (bare Image + IntSlider, 960x360 PNG): browser p50 {_fmt(floor_p50, 0)} ms, p95 {_fmt(floor_p95, 0)} ms"
          f" over {len(floors)} key presses; drag {_fmt(min(floor_drag) if floor_drag else None, 0, 1)} pictures/s (min over the pages)"
          f" at {_fmt(min(floor_moves) if floor_moves else None, 0, 1)} mouse moves/s")
    print(f"targets: browser p50 <= floor p50 + {TARGET_OVER_FLOOR_MS:.0f} ms, p95 <= {TARGET_P95_MS:.0f} ms, "
          f"kernel p50 <= {TARGET_KERNEL_MS:.0f} ms, drag >= {TARGET_DRAG_DEFAULT:.0f} pictures/s "
          f"(playground >= {TARGET_DRAG_PER_S['playground']:.0f}); misses are marked, nothing fails")
    header = (f"  {'explorer.control':<40} {'kind':<8} {'p50':>7} {'p95':>7} {'kernel':>7} {'k cpu':>7} {'drag/s':>7} "
              f"{'vals/s':>7} {'moves/s':>7} {'settle':>7} {'final':>5}  flags")
    for result in results:
        floor = result["floor"]
        local_floor = _percentiles(floor["browser_ms"])[0] if floor else None
        print(f"\n{result['notebook']}  (ran in {result.get('run_s', 0):.0f} s; this page's floor p50 "
              f"{_fmt(local_floor, 0)} ms; browser and kernel in ms (k cpu: the CPU time of the kernel's thread for it), drag: pictures/s while the button is down, values/s the page's slider took and mouse moves/s sent, settle: ms from mouse-up to the last picture)")
        for text in result.get("tracebacks", []):
            print("  ! Traceback in the outputs:", text.strip().splitlines()[-1])
        if result.get("run", {}).get("todo"):
            print(f"  ! {result['run']['todo']} cells did not run")
        print(header)
        if floor and floor.get("profile"):
            print(f"  {'floor':<40} {'slider':<8} {_fmt(local_floor)}")
            print("      " + _profile_line(floor["profile"]))
        for entry in result["explorers"]:
            if entry.get("animation"):
                rate = entry["animation"]["pictures_per_s"]
                target = TARGET_DRAG_PER_S.get(entry["name"], TARGET_DRAG_DEFAULT)
                print(f"  {entry['name'] + ' (animation, playing)':<40} {'play':<8} {'':>7} {'':>7} {'':>7} "
                      f"{_fmt(rate, 7, 1)}" + (f"  <-- animation<{target:.0f}/s" if rate < target else ""))
            for row in entry["controls"]:
                label = f"{entry['name']}.{row['control']}" + ("" if entry["matched"] else " (no kernel match)")
                if row["kind"] is None:
                    print(f"  {label:<40} {'-':<8} {row['note']}")
                    continue
                p50, p95 = _percentiles(row["browser_ms"])
                kernel50 = _percentiles(row["kernel_ms"])[0]
                drag = row.get("drag") or {}
                flags = []
                if p50 is not None and local_floor is not None and p50 > local_floor + TARGET_OVER_FLOOR_MS:
                    flags.append("p50>floor+40")
                if p95 is not None and p95 > TARGET_P95_MS:
                    flags.append("p95>150")
                if kernel50 is not None and kernel50 > TARGET_KERNEL_MS:
                    flags.append("kernel>40")
                target_drag = TARGET_DRAG_PER_S.get(entry["name"], TARGET_DRAG_DEFAULT)
                if drag.get("pictures_per_s") is not None and drag["pictures_per_s"] < target_drag:
                    few = drag["values_per_s"] is not None and drag["values_per_s"] < target_drag
                    if few and drag["pictures"] >= 0.9 * drag["values_in_page"]:
                        # a slider with few steps: the drag made fewer values than the target, and each was shown
                        flags.append("every value shown (the slider has few steps)")
                    else:
                        flags.append(f"drag<{target_drag:.0f}" + (" (the drag made only that many values)" if few else ""))
                if drag and not drag["final_ok"]:
                    flags.append("FINAL PICTURE STALE")
                if row["note"]:
                    flags.append(row["note"])
                if row.get("error"):
                    flags.append(f"error: {row['error']}")
                final = "-" if not drag else ("ok" if drag["final_ok"] else "NO")
                cpu50 = _percentiles(row.get("kernel_cpu_ms") or [])[0]
                print(f"  {label:<40} {row['kind']:<8} {_fmt(p50)} {_fmt(p95)} {_fmt(kernel50)} {_fmt(cpu50)} "
                      f"{_fmt(drag.get('pictures_per_s'), 7, 1)} {_fmt(drag.get('values_per_s'), 7, 1)} "
                      f"{_fmt(drag.get('mouse_moves_per_s'), 7, 1)} "
                      f"{_fmt(drag.get('settle_ms'))} {final:>5}  "
                      + ("<-- " + "; ".join(flags) if flags else ""))
                if row.get("profile"):
                    print("      " + _profile_line(row["profile"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="notebooks by name or number prefix, e.g. 00 01 (default: all)")
    parser.add_argument("--moves", type=int, default=8, help="key presses per control (default 8)")
    parser.add_argument("--drag-seconds", type=float, default=2.0, help="length of each drag (default 2; 0: no drags)")
    parser.add_argument("--drag-driver", default="page", choices=["page", "playwright"],
                        help="who moves the handle: a script in the page, once per frame (default), or Playwright's "
                             "mouse from this process, one move every 16 ms")
    parser.add_argument("--run-timeout", type=float, default=1800, help="seconds for Run All Cells (default 1800)")
    parser.add_argument("--windowing", default=None, choices=["none", "full", "defer", "contentVisibility"],
                        help="JupyterLab's notebook windowingMode (default: JupyterLab's own, as students have it)")
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="trace Chromium during the key presses: its CPU time per picture, by thread and kind of "
                             "work; the traces are kept in DIR (open them in Chromium's DevTools, Performance tab)")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    args = parser.parse_args()

    available = sorted(path.name for path in jb.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    chosen = [name for name in available if not args.notebooks or any(name.startswith(a) or name == a for a in args.notebooks)]
    if not chosen:
        parser.error(f"no notebook matches {args.notebooks}; available: {available}")
    os.environ.setdefault("COURSE_FAST", "1")
    from playwright.sync_api import sync_playwright

    results = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp, \
            jb.JupyterLab(Path(tmp), chosen, extra_cells={name: [FLOOR_CELL] for name in chosen},
                          windowing=args.windowing) as lab, \
            sync_playwright() as playwright:
        browser = jb.launch_chromium(playwright)
        try:
            for notebook in chosen:
                results.append(measure_notebook(browser, lab, notebook, args))
        finally:
            browser.close()
    print(f"\nbrowser benchmark: {', '.join(chosen)} in {time.perf_counter() - started:.0f} s")
    report(results)
    if args.json:
        args.json.write_text(json.dumps({"load_average": os.getloadavg(), "cores": os.cpu_count(),
                                         "notebooks": results}, indent=1))
        print(f"\nfigures written to {args.json}")


if __name__ == "__main__":
    main()

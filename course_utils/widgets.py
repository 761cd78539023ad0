"""The slider framework: every interactive explorer of the course is built on :class:`Explorer`.

Notebook: ``00_start_here.ipynb`` introduces it; every later notebook uses it.

How an explorer works
---------------------
An explorer owns a matplotlib figure that it makes **once**, a set of ipywidgets controls and optional
text readouts and audio players. When a control changes, the explorer recomputes what it shows, updates
the figure's artists in place (``line.set_data``, ``image.set_data``, ...), renders the figure to PNG
and puts the bytes into an ``ipywidgets.Image``. Setting a control's ``.value`` from Python updates
everything synchronously, so tests, benchmarks and the browser test can drive explorers directly.

Why a PNG in an ``ipywidgets.Image`` (and not ipympl or ``%matplotlib widget``)
-------------------------------------------------------------------------------
* It needs nothing but ipywidgets in the front end, so the same code renders and responds in
  JupyterLab 4, Notebook 7, VS Code, Voila and Google Colab (with its custom widget manager, which
  :func:`course_utils.setup_notebook` switches on). ipympl needs its own front-end extension in the
  matching version, which Colab and some VS Code setups lack, and it fails silently when absent.
* The figure is drawn by matplotlib's Agg backend in the kernel, independent of the notebook's
  ``%matplotlib`` backend, so an explorer never shows a second, stale copy of its figure.
* ``snapshot()`` is exactly what the student sees, which makes pictures testable.
* The cost is one PNG encode per change (0.6-2.2 ms for the course's figure sizes, see :func:`course_utils.png.png_bytes`),
  which fits the latency budget below. Zooming and panning are not needed by any explorer.
* Text is what matplotlib draws slowest, so the canvas keeps the glyphs of the texts it has drawn
  (:class:`course_utils._text_cache.CachingCanvasAgg`: the same pictures; measured with
  ``bench/widgets.py``, a fifth to a third less time per change for explorers with many labels).

Live dragging: latest value wins
--------------------------------
Sliders use ``continuous_update=True``: while a student drags a handle, its value is sent to the kernel
again and again, and the picture follows the handle. This never builds a queue of stale pictures. The
ipywidgets front end keeps at most **one** update message per widget in flight: values that arrive while
the kernel is still busy with the previous message are merged, and the newest is sent as soon as the
kernel reports idle. The kernel then draws a value in one of two ways:

* **On the explorer's worker thread**, when the value is part of a stream (a drag, a held-down arrow key):
  a render is running or waiting, or the last one ended less than :attr:`Explorer.STREAM_GAP_S` ago. The
  message handler only marks the explorer as out of date and returns, so the kernel reports idle at once
  and the page sends the next value while the picture is drawn. The worker draws one picture at a time,
  always from the controls' values at the moment it starts, so values that arrived meanwhile are dropped
  and the last value is always drawn. A drag then shows 1 / max(round trip, drawing time) pictures a
  second instead of 1 / (round trip + drawing time).
* **In the message handler itself**, for a lone value (a key press after a pause, a menu choice, the first
  value of a drag) and for every value set from Python. Handing a lone value to the thread made it later
  in ``bench/browser.py``; the cause was not isolated. Setting ``.value`` from Python therefore updates
  everything synchronously, so tests, benchmarks and notebooks can drive explorers directly;
  :meth:`Explorer.wait_idle` waits for the worker after values sent as from the page.

Either way one lock per explorer lets only one render (or button, or code restore) touch the figure at a
time. The throttle belongs to the ``@jupyter-widgets/base`` models that JupyterLab, Notebook 7, Voila and
VS Code render widgets with; ``tests/test_browser.py`` drags a slider in JupyterLab under Chromium and
checks that pictures follow and that the last one is the last value's. An explorer whose pictures are
also driven by something else than its controls and buttons (the MLP playground's Play widget) sets
:attr:`Explorer.draw_streams_on_worker` to ``False`` and draws every value in the handler.

Latency budget
--------------
Kernel side, a control change is answered with its new picture in at most 40 ms (median) for
signals up to 5 s at 22.05 kHz; in the browser, the new picture is decoded at most 40 ms after a bare
widget's floor (median) and within 150 ms (95th percentile), and a drag shows at least 10 pictures
a second. Work that cannot meet it (training a network for the programming session) runs on an
explicit button with a busy indicator (:meth:`Explorer.add_button`). The MLP playground trains in
small animated steps (play / pause / step), so that each slider move only restarts training.
``bench/widgets.py`` measures the kernel side of every control of every registered explorer;
``bench/browser.py`` measures what the student sees in Chromium, next to the floor of the same run.

On a 2-core machine the kernel and the browser share the CPU, so a refresh keeps both cheap: it sends
everything it changed (picture, description, texts, players, code box, control ranges) at its end, in one
burst, so that the page lays out and paints once, after the drawing instead of during it; and it redraws
only the dynamic artists (:meth:`Explorer.dynamic_artists`), dynamic axes without the passes that place
their hidden labels (:func:`_draw_axis_without_label`).

Shareable codes, descriptions, keys
-----------------------------------
:meth:`Explorer.state` gives the current picture as a short text code (every control value and seed);
``EXPLORERS[name](state=code)``, :func:`from_state` and the code box under the picture restore it, and refuse a code
that does not fit with a message saying why. Every picture carries :meth:`Explorer.describe`, a short text of
what it shows, as its ``title`` in the page (its accessible name). Both live in :mod:`course_utils.explorer_state`.
Every control works from the keyboard: sliders take the arrow keys, and :mod:`course_utils._keyboard` keeps
JupyterLab's notebook shortcuts from taking the keys of menus, check boxes and buttons.

Registry
--------
``EXPLORERS`` maps a name to a factory that takes no required arguments (the explorer class). Explorer
classes live in :mod:`course_utils.explorers`, one file per topic, and register themselves with
:func:`register`; ``EXPLORERS`` imports those files on first use.
"""

from __future__ import annotations

import functools
import html
import importlib
import itertools
import pkgutil
import threading
import time
import traceback
import weakref
from collections import deque
from collections.abc import Mapping
from contextlib import ExitStack, contextmanager

import ipywidgets as widgets
import numpy as np
from matplotlib.axis import Axis
from matplotlib.figure import Figure

from course_utils._arguments import _check_bool, _check_fraction
from course_utils._text_cache import CachingCanvasAgg
from course_utils import explorer_state
from course_utils._keyboard import keyboard_guard
from course_utils.audio_player import AudioPlayer
from course_utils.png import _cv2_png, png_bytes

__all__ = [
    "EXPLORERS",
    "Explorer",
    "from_state",
    "live_explorers",
    "one_blas_thread",
    "show_colours",
    "register",
    "sweep_values",
    "time_controls",
    "slider",
    "log_slider",
    "dropdown",
]

_FACTORIES: dict = {}


def register(name: str):
    """Class decorator: register an explorer class in ``EXPLORERS`` under ``name``."""

    def decorate(cls):
        if name in _FACTORIES and _FACTORIES[name] is not cls:
            raise ValueError(f"an explorer named {name!r} is registered already ({_FACTORIES[name].__qualname__})")
        _FACTORIES[name] = cls
        cls.registry_name = name
        return cls

    return decorate


class _Registry(Mapping):
    """Read-only mapping name -> explorer factory; imports ``course_utils.explorers.*`` on first use."""

    _loaded = False

    def _load(self):
        if not self._loaded:
            package = importlib.import_module("course_utils.explorers")
            for module in pkgutil.iter_modules(package.__path__):
                importlib.import_module(f"{package.__name__}.{module.name}")
            type(self)._loaded = True
        return _FACTORIES

    def __getitem__(self, name):
        factories = self._load()
        if name not in factories:
            raise KeyError(f"no explorer named {name!r}; registered: {sorted(factories)}")
        return factories[name]

    def __iter__(self):
        return iter(sorted(self._load()))

    def __len__(self):
        return len(self._load())

    def __repr__(self):
        return f"EXPLORERS({sorted(self._load())})"


#: Every registered explorer: name -> factory taking no required arguments.
EXPLORERS = _Registry()

_LIVE: "weakref.WeakSet[Explorer]" = weakref.WeakSet()


def live_explorers(name: str | None = None) -> list:
    """The explorers alive in this kernel (oldest first), optionally only those registered as ``name``.

    The browser benchmark reads their :attr:`Explorer.timings` to print the kernel's share of a slider
    move next to what the browser measured.
    """
    found = sorted(_LIVE, key=lambda explorer: explorer._serial)
    return [explorer for explorer in found if name is None or explorer.registry_name == name]


# --------------------------------------------------------------------------------------------------
# Controls with the course's look (one place, so every explorer looks and behaves the same)

_STYLE = {"description_width": "initial"}
_LAYOUT = {"width": "340px"}


def slider(description: str, value, min, max, step=1, *, readout_format=None, continuous_update=True):  # noqa: A002
    """An integer or float slider (float when any of the numbers is a float).

    ``continuous_update=True`` (the course's default) recomputes while the handle is dragged, so the picture
    follows it. A drag never queues redraws: see "Live dragging" in this module's docstring.
    """
    for name, number in (("value", value), ("min", min), ("max", max), ("step", step)):
        if isinstance(number, (bool, np.bool_)) or not isinstance(number, (int, float, np.integer, np.floating)) \
                or not np.isfinite(number):
            raise TypeError(f"{name} must be a finite number, got {number!r}")
    if not min < max:
        raise ValueError(f"min must be less than max, got min={min!r}, max={max!r}")
    if not 0 < step <= max - min:
        raise ValueError(f"step must be greater than 0 and at most max - min = {max - min}, got {step!r}")
    _check_bool("continuous_update", continuous_update)
    is_float = any(isinstance(v, (float, np.floating)) for v in (value, min, max, step))
    cls = widgets.FloatSlider if is_float else widgets.IntSlider
    kwargs = {"readout_format": readout_format} if readout_format else {}
    return cls(value=value, min=min, max=max, step=step, description=description, style=_STYLE,
               layout=widgets.Layout(**_LAYOUT), continuous_update=continuous_update, **kwargs)


def log_slider(description: str, value: float, min_exponent: float, max_exponent: float, *, step: float = 0.1,
               base: float = 10, readout_format: str = ".3g", continuous_update: bool = True):
    """A slider on a logarithmic scale from ``base**min_exponent`` to ``base**max_exponent``."""
    for name, number in (("value", value), ("min_exponent", min_exponent), ("max_exponent", max_exponent),
                         ("step", step), ("base", base)):
        if isinstance(number, (bool, np.bool_)) or not isinstance(number, (int, float, np.integer, np.floating)) \
                or not np.isfinite(number):
            raise TypeError(f"{name} must be a finite number, got {number!r}")
    if not min_exponent < max_exponent <= 300 or min_exponent < -300:
        raise ValueError(f"min_exponent and max_exponent must satisfy -300 <= min_exponent < max_exponent <= 300, "
                         f"got {min_exponent!r} and {max_exponent!r}")
    if not 0 < step <= max_exponent - min_exponent:
        raise ValueError(f"step must be greater than 0 and at most max_exponent - min_exponent, got {step!r}")
    if not 1 < base <= 1e6:
        raise ValueError(f"base must be greater than 1 and at most 1e6, got {base!r}")
    _check_bool("continuous_update", continuous_update)
    return widgets.FloatLogSlider(value=value, base=base, min=min_exponent, max=max_exponent, step=step,
                                  description=description, style=_STYLE, layout=widgets.Layout(**_LAYOUT),
                                  readout_format=readout_format, continuous_update=continuous_update)


def dropdown(description: str, options, value=None):
    """A drop-down menu; ``options`` is a list of values or of ``(label, value)`` pairs."""
    dd = widgets.Dropdown(options=options, description=description, style=_STYLE, layout=widgets.Layout(**_LAYOUT))
    if value is not None:
        dd.value = value
    return dd


def selection_slider(description: str, options, value=None, *, continuous_update: bool = True):
    """A slider over a fixed list of values (e.g. powers of two); ``options`` as for :func:`dropdown`."""
    _check_bool("continuous_update", continuous_update)
    s = widgets.SelectionSlider(options=options, description=description, style=_STYLE,
                                layout=widgets.Layout(**_LAYOUT), continuous_update=continuous_update)
    if value is not None:
        s.value = value
    return s


def checkbox(description: str, value: bool = False):
    """A check box."""
    _check_bool("value", value)
    return widgets.Checkbox(value=value, description=description, style=_STYLE, indent=False)


def sweep_values(control, max_values: int = 8) -> list:
    """Values spread over a control's whole range (used by tests and the latency benchmark).

    Options of a selection widget (all of them when there are at most ``max_values``, else an evenly
    spaced subset), evenly spaced values of a numeric slider (log-spaced for ``FloatLogSlider``),
    ``[True, False]`` for a check box. Other controls give ``[]``.
    """
    if isinstance(control, (widgets.Dropdown, widgets.SelectionSlider, widgets.ToggleButtons,
                            widgets.RadioButtons, widgets.Select)):
        values = [option[1] if isinstance(option, tuple) else option for option in control.options]
        if len(values) > max_values:
            values = [values[int(i)] for i in np.linspace(0, len(values) - 1, max_values).round()]
        return values
    if isinstance(control, widgets.Checkbox):
        return [not control.value, control.value]
    if isinstance(control, widgets.FloatLogSlider):
        exponents = np.linspace(control.min, control.max, max_values)
        return [float(control.base ** e) for e in exponents]
    if isinstance(control, widgets.IntSlider):
        return sorted({int(round(v)) for v in np.linspace(control.min, control.max, max_values)})
    if isinstance(control, widgets.FloatSlider):
        return [float(v) for v in np.linspace(control.min, control.max, max_values)]
    return []


# --------------------------------------------------------------------------------------------------
# Pictures

@functools.cache
def _blas_controller():
    _cv2_png()  # OpenCV brings a BLAS of its own: loaded first, so that the controller sees it too
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def one_blas_thread():
    """A context in which NumPy's (and OpenCV's) matrix products run on one thread.

    Every refresh of an explorer runs in it. An explorer's products are small (mel filter banks, a
    playground layer); a second BLAS thread hardly shortens them but keeps a core busy that the browser
    needs on a 2-core machine. Measured with ``bench/widgets.py``: the spectrogram explorer took the same
    20-25 ms wall time with one thread as with two, but 37 instead of 21 ms of CPU with two; on a busy
    machine a playground product of 3600 x 32 by 32 x 32 took 11 ms with threads and 0.3 ms without. The
    controller is made once (making one scans the loaded libraries; the limit itself costs 0.01 ms).
    """
    return _blas_controller().limit(limits=1, user_api="blas")


def show_colours(image, values, vmin: float, vmax: float) -> None:
    """Show ``values`` (shape ``(rows, columns)``) in ``image`` (an ``imshow`` with ``interpolation="nearest"``)
    from ``vmin`` to ``vmax`` of its colour map, coloured at the data's resolution.

    matplotlib otherwise resamples the numbers (as float64) to the screen's pixels and colours those; with nearest
    interpolation both give the same pixels (``tests/test_widgets.py`` compares them), and resampling colours
    (uint8) is the cheaper of the two. Measured on the 2-core machine, both ways alternating in one process (the
    colouring itself, 0.3 ms for 214 x 342 values, not included): the spectrogram explorer's three images drew in
    8.4 instead of 15.0 ms, the framing explorer's frame tensor in 5.3 instead of 7.3 ms, the neuron's 121 x 121
    plane in 2.4 instead of 2.6 ms. The image's norm keeps ``vmin`` and ``vmax`` (a colour bar follows them);
    ``image.values`` keeps the numbers.
    """
    from matplotlib.image import AxesImage

    if not isinstance(image, AxesImage):
        raise TypeError(f"image must be a matplotlib AxesImage (what imshow returns), got {type(image).__name__}")
    for name, number in (("vmin", vmin), ("vmax", vmax)):
        if isinstance(number, (bool, np.bool_)) or not isinstance(number, (int, float, np.integer, np.floating)) \
                or not np.isfinite(number):
            raise TypeError(f"{name} must be a finite number, got {number!r}")
    if not vmin < vmax:
        raise ValueError(f"vmin must be less than vmax, got vmin={vmin!r}, vmax={vmax!r}")
    if image.get_interpolation() != "nearest":
        raise ValueError(f"show_colours needs an image with interpolation='nearest', got {image.get_interpolation()!r}")
    values = np.asarray(values)
    if values.ndim != 2:
        raise ValueError(f"values must have shape (rows, columns), got shape {values.shape}")
    image.set_clim(vmin, vmax)
    image.set_data(image.to_rgba(values, bytes=True))
    image.values = values


# --------------------------------------------------------------------------------------------------
# The explorer base class

def _has_own_draw(axis) -> bool:
    return "draw" in vars(axis)


def _draw_axis_without_label(axis, renderer) -> None:
    """Draw a dynamic axis whose label is hidden (pinned, see :meth:`Explorer._pin_dynamic_axis_labels`) or empty.

    The same pixels as matplotlib's ``Axis.draw`` (``tests/test_widgets.py`` compares them), less the two passes
    over the tick labels' extents that only place the axis label and the offset text ("1e3"): the label is not
    drawn, and the offset text is placed only when there is one. Measured on the 2-core machine, alternating
    both ways in one process: a render of the neuron, framing and spectrogram explorers (two dynamic axes
    each) took 3-4 ms less (23 instead of 27 ms for the neuron), of gradient descent 10 ms less (16 instead
    of 27 ms). An axis whose label is shown is drawn by matplotlib as usual.
    """
    if not axis.get_visible():
        return
    if axis.label.get_visible() and axis.label.get_text():
        type(axis).draw(axis, renderer)
        return
    renderer.open_group("matplotlib.axis", gid=axis.get_gid())
    ticks = axis._update_ticks()
    for tick in ticks:
        tick.draw(renderer)
    offset = axis.major.formatter.get_offset()
    axis.offsetText.set_text(offset)
    if offset:
        axis._update_offset_text_position(*axis._get_ticklabel_bboxes(ticks, renderer))
        axis.offsetText.draw(renderer)
    renderer.close_group("matplotlib.axis")
    axis.stale = False


class Explorer:
    """Base class of every interactive explorer.

    A subclass sets ``title`` (and optionally ``help``, ``figsize``, ``player_names``) and implements

    * ``make_controls(self) -> dict[str, ipywidgets widget]``: the controls, by name;
    * ``build(self, fig)``: make the axes and artists once;
    * ``update(self, **values)``: recompute and update artists, readouts and players for the
      controls' current values (one keyword argument per control).

    Keyword arguments to the constructor set initial control values, e.g.
    ``FramingExplorer(block_size=1024)``; ``state=code`` restores a code of :meth:`state` instead (every control
    and seed: the same picture as an explorer made with the defaults and then set to the code's values). A subclass whose picture depends on more than its controls (a seed, an epoch)
    gives it in :meth:`state_extras` and takes it back in :meth:`check_extras` / :meth:`apply_extras`; one that
    can say more about its picture than its controls and panel titles overrides :meth:`describe`.

    Attributes:
        controls: name -> ipywidgets control.
        widget: what a notebook displays.
        readout: an ``ipywidgets.HTML`` for formulas with the current numbers filled in.
        players: name -> :class:`course_utils.audio_player.AudioPlayer`, one per entry of the class attribute ``player_names``.
        error: the exception of the last failed update, or ``None``; shown to the student in red
            (a callback's traceback would otherwise vanish into JupyterLab's log console).
        last_update_ms: wall time of the last update including the PNG render, in milliseconds.
        description: the text description of the current picture (:meth:`describe`), also the picture's
            ``title`` in the page (its accessible name and tooltip).
        state_box: the code box under the picture (:class:`course_utils.explorer_state.StateBox`).
        timings: the last 2000 refreshes as ``(control name or None, update ms, render ms, CPU ms)``: the
            control whose change triggered it (``None`` for a refresh from code or a button), the time of
            :meth:`update` and of the render to PNG, wall clock, and the CPU time of the kernel's thread for
            both, in milliseconds (a wall time well above the CPU time means the kernel waited for a core).

    In the page, the explorer's box has the CSS classes ``course-explorer`` and
    ``course-explorer-<registry name>``, each control ``course-control-<name>`` and the picture
    ``course-picture`` (the browser test and benchmark find them by these); the code box has ``course-state``,
    its fields ``course-state-current`` and ``course-state-paste``, its button ``course-state-restore``.
    """

    title = "Explorer"
    help = ""
    _serials = itertools.count()
    figsize = (9.0, 3.6)
    player_names: tuple = ()
    registry_name = None
    #: Controls that act only when other controls have certain values, e.g. ``{"hop_size": {"hop": None}}``
    #: (the hop in samples matters only when the hop is not a fraction of the block). Tests and
    #: benchmarks set those values before they sweep the control.
    sweep_requires: dict = {}
    #: Seconds after the end of a refresh within which a value sent by the page counts as part of a drag
    #: and is drawn on the explorer's worker thread (see "Live dragging" in the module docstring). While
    #: dragging, the page sends its next value one round trip (40-60 ms here) after the kernel reported
    #: idle; a student who presses an arrow key, looks and presses again is slower than this.
    STREAM_GAP_S = 0.15
    #: Whether values of a drag are drawn on a worker thread (see the module docstring); an explorer whose
    #: picture something else drives as well (a Play widget's frames) sets ``False``.
    draw_streams_on_worker = True

    def __init__(self, state: str | None = None, **initial):
        self.controls = dict(self.make_controls())
        self._limits = self.state_limits()
        unknown = set(initial) - set(self.controls)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no control(s) {sorted(unknown)}; controls: {sorted(self.controls)}")
        if state is not None:
            if initial:
                raise TypeError(f"give either state or control values, not both (got state and {sorted(initial)})")
            self._decode(state)  # a code that does not fit is refused before anything is computed
        for name, value in initial.items():
            self.controls[name].value = value
        self.description = ""
        self.state_box = explorer_state.StateBox(self)
        self.fig = Figure(figsize=self.figsize, layout="constrained")
        self.canvas = CachingCanvasAgg(self.fig)  # keeps the glyphs of its texts: see course_utils._text_cache
        # an ipywidgets.Image whose tooltip, the picture's description, is the <img>'s title in the page
        self.image = explorer_state.DescribedImage(format="png", layout=widgets.Layout(max_width="100%", height="auto"))
        self.readout = widgets.HTML()
        self.status = widgets.HTML()
        self.players = {name: AudioPlayer(name) for name in self.player_names}
        self.buttons: dict[str, widgets.Button] = {}
        self._button_box = widgets.HBox([])
        self.error: BaseException | None = None
        self._wanted: dict = {}  # control name -> the value the student chose, see cap()
        self._capped: dict = {}  # control name -> the value cap() left it at
        self._pinned_labels: list = []  # (hidden axis label, its static copy), see _pin_dynamic_axis_labels
        self.last_update_ms = float("nan")
        self.timings: deque = deque(maxlen=2000)
        self._kept_backgrounds: dict = {}  # background_key() -> background, least recently used first
        self._trigger: str | None = None
        self._control_names = {id(control): name for name, control in self.controls.items()}
        self._held, self._holder = 0, None  # see hold(); _holder: the thread that holds
        self._lock = threading.RLock()  # one render, button or restore at a time (the worker thread's too)
        self._dirty = threading.Event()  # a value from the page waits for the worker
        self._worker: threading.Thread | None = None
        self._worker_guard = threading.Lock()  # starting and ending the worker
        self._drawing_on_worker = False
        self._worker_trigger: str | None = None
        self._refreshed_at = -float("inf")  # time.perf_counter() at the end of the last refresh
        self.build(self.fig)
        for name, control in self.controls.items():
            control.observe(self._on_change, names="value")
            control.add_class(f"course-control-{name}")
        self.image.add_class("course-picture")
        _LIVE.add(self)
        self._serial = next(Explorer._serials)
        self.refresh()
        # Freeze the layout found on the first draw: constrained layout costs time on every redraw.
        self.fig.set_layout_engine("none")
        if self._pin_dynamic_axis_labels():
            self.refresh()
        self.widget = self._make_widget()
        if state is not None:
            # drawn first with the defaults, as the explorer that made the code was: the layout frozen on the
            # first draw (see above) is then the same, and so is the picture
            self.restore(state)

    # ---- to implement in subclasses
    def make_controls(self) -> dict:
        raise NotImplementedError

    def build(self, fig: Figure) -> None:
        raise NotImplementedError

    def update(self, **values) -> None:
        raise NotImplementedError

    # ---- framework
    def _make_widget(self):
        header = widgets.HTML(f"<b>{html.escape(self.title)}</b>"
                              + (f"<br><span style='color:#555'>{html.escape(self.help)}</span>" if self.help else ""))
        controls = list(self.controls.values())
        rows = [widgets.HBox(controls[i:i + 2]) for i in range(0, len(controls), 2)]
        parts = [header, *rows, self._button_box, self.status, self.image, self.readout, self.state_box.widget,
                 keyboard_guard()]  # keys for menus, check boxes and buttons in JupyterLab (see course_utils._keyboard)
        parts += [player.widget for player in self.players.values()]
        box = widgets.VBox(parts)
        box.add_class("course-explorer")
        if self.registry_name:
            box.add_class(f"course-explorer-{self.registry_name}")
        return box

    def _ipython_display_(self):
        """``display(explorer)``: one display bundle holding the live widget and a static fallback.

        Front ends with ipywidgets (JupyterLab, Notebook 7, VS Code, Colab) render the widget view; the others
        (nbconvert, GitHub, a saved notebook without its kernel) show the current picture (``snapshot()``)
        and, in plain text, the title and the controls with their values.
        """
        import base64

        from IPython.display import publish_display_data

        bundle = dict(self.widget._repr_mimebundle_())
        values = ", ".join(f"{name} = {value:g}" if isinstance(value, float) else f"{name} = {value}"
                           for name, value in self.values().items())
        bundle["text/plain"] = f"{self.title} (explorer; controls: {values or 'none'}; run the notebook to move them)"
        picture = self.snapshot()
        if picture:
            bundle["image/png"] = base64.b64encode(picture).decode("ascii")
        publish_display_data(bundle)

    def values(self) -> dict:
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    # ---- shareable codes and descriptions (the logic is in course_utils.explorer_state)
    def state(self) -> str:
        """The code of the current picture: every control value and seed, e.g. ``"tone:1:eNq..."``.

        ``EXPLORERS[name](state=code)``, :func:`from_state` or the code box's Restore give the same picture.
        """
        return explorer_state.encode_state(self._state_name(), self.values(), self.state_extras())

    def restore(self, code: str) -> None:
        """Show the picture of ``code`` (from :meth:`state`); a code that does not fit raises ``StateError``
        and changes nothing."""
        values, extras = self._decode(code)
        with self._lock:
            self._wanted.clear()  # the code's values are the student's choice now (see cap())
            self._capped.clear()
            with self.hold():
                for name, value in values.items():
                    control, limits = self.controls[name], self._limits[name]
                    if "slider" in limits:  # undo a cap() first, so that the code's value is not clamped
                        control.max = limits["slider"][1]
                    control.value = value
            self.apply_extras(extras)

    def _state_name(self) -> str:
        return self.registry_name or type(self).__name__

    def _decode(self, code) -> tuple[dict, dict]:
        _, values, extras = explorer_state.decode_state(code, self._state_name())
        values = explorer_state.check_values(self, values)
        return values, self.check_extras(extras, values)

    def state_limits(self) -> dict:
        """Control name -> the range a code's value is checked against (called once, before the first update).

        By default each control's range as made (a slider's ``min`` and ``max`` before any :meth:`cap`, a menu's
        options when the code is read); override for a control whose range an update changes otherwise.
        """
        return {name: explorer_state.control_limits(control) for name, control in self.controls.items()}

    def state_extras(self) -> dict:
        """What the picture depends on besides the controls (a seed, an epoch), for :meth:`state`; none here."""
        return {}

    def check_extras(self, extras: dict, values: dict) -> dict:
        """The extras of a code, checked (``StateError`` naming a wrong one) for control values ``values``."""
        explorer_state.check_extra_keys(self, extras, ())
        return {}

    def apply_extras(self, extras: dict) -> None:
        """Take back checked extras (after the controls are set), updating the picture if they change it."""

    def describe(self) -> str:
        """A short text description of what the picture shows with the current values (its alternative text).

        This fallback names the title, every control as the student sees it and the panels' titles; explorers
        override it to say what the picture shows.
        """
        return explorer_state.generic_description(self)

    @contextmanager
    def hold(self):
        """Change several controls without an update after each (one update at the end of the block)."""
        with self._lock:
            self._hold_here()
            try:
                yield
            finally:
                self._held -= 1
            if not self._held:
                self.refresh()

    def _hold_here(self) -> None:
        """Count one more hold by this thread (which owns ``self._lock``): its control changes wait for the end."""
        self._held += 1
        self._holder = threading.get_ident()

    def _on_change(self, change) -> None:
        if self._held and self._holder == threading.get_ident():
            return  # within hold() or an update of this thread: one refresh at the end
        owner, name = change["owner"], self._control_names.get(id(change["owner"]))
        from_page = change["name"] in getattr(owner, "_property_lock", {})  # ipywidgets' mark of a page's value
        if from_page and self.draw_streams_on_worker and (
                self._dirty.is_set() or self._drawing_on_worker
                or time.perf_counter() - self._refreshed_at < self.STREAM_GAP_S):
            self._worker_trigger = name
            with self._worker_guard:
                self._dirty.set()
                if self._worker is None:
                    self._worker = threading.Thread(target=self._work, name=f"explorer-{self._serial}", daemon=True)
                    self._worker.start()
            return
        with self._lock:
            self._trigger = name
            try:
                self.refresh()
            finally:
                self._trigger = None

    #: Seconds the worker thread waits for another value before it ends (a new drag starts it again).
    _WORKER_IDLE_S = 2.0

    def _work(self) -> None:
        """The worker thread: draw the newest values while the page marks the explorer out of date."""
        while True:
            if not self._dirty.wait(self._WORKER_IDLE_S):
                with self._worker_guard:
                    if not self._dirty.is_set():
                        self._worker = None
                        return
                continue
            with self._lock:
                self._drawing_on_worker = True  # before the flag is cleared: a value arriving now still streams
                self._dirty.clear()
                self._trigger = self._worker_trigger
                try:
                    self.refresh()
                except Exception as error:  # a failed render must not end the thread: show it instead
                    self.error = error
                    self.status.value = (f"<div style='color:#b3261e'><b>Could not draw:</b> "
                                         f"{html.escape(str(error))}</div>")
                finally:
                    self._trigger = None
                    self._drawing_on_worker = False

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until no value sent by the page waits for, or is drawn by, the worker thread.

        Returns whether it is idle (``False`` after ``timeout`` seconds, 0 < timeout <= 3600). Values set
        from Python are drawn before the assignment returns and need no waiting.
        """
        _check_fraction("timeout", timeout, 0.0, 3600.0)
        if timeout == 0:
            raise ValueError("timeout must be between 0 and 3600 seconds and above 0, got 0")
        deadline = time.perf_counter() + timeout
        while self._dirty.is_set() or self._drawing_on_worker:
            if time.perf_counter() > deadline:
                return False
            time.sleep(0.002)
        with self._lock:  # a render that took the values just now ends before this returns
            return not self._dirty.is_set()

    def _page_widgets(self) -> list:
        """Every widget of the explorer that a refresh may change: controls, players, code box, texts, picture last."""
        found = [*self.controls.values()]
        for player in self.players.values():
            found += [player.caption, player.audio]
        return found + [self.state_box.current, self.status, self.readout, self.image]

    def refresh(self) -> None:
        """Recompute, update the figure and render it (what every control change triggers).

        Whatever the refresh changes reaches the page at its end, together (``hold_sync`` on every widget):
        a text or a player sent halfway would make the browser lay out and paint the page while the kernel
        is still drawing, and on a 2-core machine the two then share a core (``bench/browser.py``: the kernel's
        wall time was about 1.5 times its CPU time). The picture goes first. Measured in notebook 04, two runs
        each way alternating: the median from key press to picture over the page's floor fell from 39 to 35 ms
        (neuron), 33 to 24 (activations) and 26 to 19 (losses); softmax stayed at 18.
        """
        with self._lock:
            start, cpu_start = time.perf_counter(), time.thread_time()
            with ExitStack() as held:
                # held last, sent first: the picture reaches the page before the texts (an ExitStack unwinds backwards)
                for widget in self._page_widgets():
                    held.enter_context(widget.hold_sync())
                updated = self._refresh()
            end, cpu_end = time.perf_counter(), time.thread_time()  # the messages are sent: the kernel is done
            self.last_update_ms = (end - start) * 1000
            self._refreshed_at = end
            self.timings.append((self._trigger, (updated - start) * 1000, (end - updated) * 1000,
                                 (cpu_end - cpu_start) * 1000))

    def _refresh(self) -> float:
        """Update and render; returns the ``time.perf_counter()`` between the two."""
        with one_blas_thread():
            self._hold_here()  # an update may adjust other controls (e.g. clamp the hop to the block)
            try:
                self.update(**self.values())
                description = self.describe()
                self.error = None
                self.status.value = ""
            except Exception as error:  # shown in the notebook instead of a hidden traceback
                self.error = error
                description = explorer_state.generic_description(self) + f" The last update failed: {error}"
                self.status.value = (
                    f"<div style='color:#b3261e'><b>Could not update:</b> {html.escape(str(error))}</div>"
                    f"<!-- {html.escape(''.join(traceback.format_exception_only(type(error), error)))} -->"
                )
            finally:
                self._held -= 1
            updated = time.perf_counter()
            self._render()
            self.description = self.image.tooltip = description  # sent with the picture: one message
            self.state_box.show(self.state())
        return updated

    def dynamic_artists(self) -> list:
        """The artists that updates change; override to redraw only these (blitting).

        By default (an empty list) every render draws the whole figure. When a subclass returns its
        changing artists (lines, images, texts), axes, ticks, labels and colour bars are drawn once into
        a background; each render restores it and draws only these artists on top, which is what keeps
        multi-panel figures within the latency budget. An update that changes anything else (axis
        tick labels, a colour bar's range) calls :meth:`request_full_draw`; a change of axis limits is
        noticed by itself (:meth:`background_key`).

        An axis can be dynamic too (``ax.xaxis``: its ticks, tick labels, grid lines and label). Its limits
        then change without a full redraw, which suits an axis whose range follows a slider: only that
        axis is redrawn, not every panel of the figure. Everything the axes draws in data coordinates
        must then be dynamic as well. Put the axis first in the list, so that its grid lies under the data.
        """
        return []

    def _pin_dynamic_axis_labels(self) -> bool:
        """Draw the labels of dynamic axes (see :meth:`dynamic_artists`) once, into the background.

        An axis label never changes with the limits, and text is what matplotlib draws slowest; so each
        such label is replaced by a static copy at the place the first (laid-out) draw gave it. An update
        may still rename the label (``ax.set_xlabel``): the copy follows on the next render.
        Every dynamic axis is then drawn by :func:`_draw_axis_without_label`. Returns whether any label was pinned.
        """
        from matplotlib.text import Text

        for artist in self.dynamic_artists():
            if isinstance(artist, Axis) and artist.label.get_visible() and artist.label.get_text():
                label = artist.label
                copy = Text(text=label.get_text())
                copy.update_from(label)
                copy.set_position(label.get_position())
                copy.set_transform(label.get_transform())
                self.fig.add_artist(copy)
                label.set_visible(False)
                self._pinned_labels.append((label, copy))
        if self._pinned_labels:
            self.request_full_draw()
        for artist in self.dynamic_artists():
            if isinstance(artist, Axis) and not _has_own_draw(artist):
                artist.draw = functools.partial(_draw_axis_without_label, artist)
        return bool(self._pinned_labels)

    def request_full_draw(self) -> None:
        """Redraw the whole figure on the next render (after a change of ticks, colour bars, static text...).

        This also forgets every kept background (see :attr:`backgrounds_kept`).
        """
        self._background = None
        self._kept_backgrounds.clear()

    def background_key(self) -> tuple:
        """What the cached background depends on; when it changes, the next render redraws everything.

        By default the limits of every axes (and the resolution), so an update that changes limits needs
        no :meth:`request_full_draw`; the limits of an axis (or a whole axes, e.g. a colour bar) that is
        itself among :meth:`dynamic_artists` are left out, since it is redrawn on every render anyway. Override to add more (e.g. static
        titles), calling ``super()``.
        """
        dynamic = {id(artist) for artist in self.dynamic_artists()}
        unscaled = {id(ax) for ax in self.axes_without_y_scale()}
        key = [copy.get_text() for _, copy in self._pinned_labels]
        for ax in self.fig.axes:
            key.append(None if {id(ax), id(ax.xaxis)} & dynamic else ax.get_xlim())
            key.append(None if {id(ax), id(ax.yaxis)} & dynamic or id(ax) in unscaled else ax.get_ylim())
        return (*key, self.fig.dpi)

    def axes_without_y_scale(self) -> list:
        """Axes whose y limits leave no trace in the background (no y ticks, labels or grid lines), e.g. a
        histogram whose bars are dynamic: a change of their height scale then redraws only the bars, not the
        whole figure (:meth:`background_key` leaves those limits out). None by default."""
        return []

    _background = None
    _background_key_value = None
    #: How many backgrounds (one per :meth:`background_key`) an explorer keeps, so that going back to an
    #: earlier sound, surface or range (a drop-down flipped back and forth, a drag over a slider whose limits
    #: step) reuses its background instead of redrawing the whole figure. One costs width x height x 4 bytes
    #: (about 1.5 MB for the course's figures).
    backgrounds_kept = 4

    def _draw_background(self, artists, key) -> None:
        """Draw everything but ``artists`` and keep it as the background for ``key``, then the artists."""
        for artist in artists:
            artist.set_animated(True)  # left out of canvas.draw(): the background holds the rest
        self.canvas.draw()
        self._background, self._background_key_value = self.canvas.copy_from_bbox(self.fig.bbox), key
        kept = self._kept_backgrounds
        kept.pop(key, None)
        kept[key] = self._background
        while len(kept) > self.backgrounds_kept:
            kept.pop(next(iter(kept)))  # the least recently used
        for artist in artists:
            self.fig.draw_artist(artist)

    def _render(self) -> None:
        for label, copy in self._pinned_labels:  # an update renamed a pinned label: the key changes with it
            if copy.get_text() != label.get_text():
                copy.set_text(label.get_text())
        artists = self.dynamic_artists()
        if not artists:
            self.canvas.draw()
        else:
            key = self.background_key()
            if self._background is None:  # asked for: nothing kept may be reused
                self._draw_background(artists, key)
            else:
                if key != self._background_key_value:
                    background = self._kept_backgrounds.pop(key, None)
                    if background is None:
                        self._draw_background(artists, key)
                        artists = ()
                    else:
                        self._kept_backgrounds[key] = background  # now the most recently used
                        self._background, self._background_key_value = background, key
                if artists:
                    self.canvas.restore_region(self._background)
                    for artist in artists:
                        self.fig.draw_artist(artist)
        self.image.value = png_bytes(np.asarray(self.canvas.buffer_rgba()))

    def snapshot(self) -> bytes:
        """The current figure as PNG bytes (exactly what the student sees)."""
        return bytes(self.image.value)

    def add_button(self, description: str, callback, *, busy: str = "Working…", icon: str = "") -> widgets.Button:
        """Add a button that runs ``callback()`` (slow work) with a busy indicator, then refreshes.

        While the callback runs the button is disabled and the status line shows ``busy``.
        """
        button = widgets.Button(description=description, icon=icon, layout=widgets.Layout(width="auto"))

        def on_click(_=None):
            with self._lock:  # not while the worker thread draws a drag's value
                button.disabled = True
                self.status.value = f"<i>&#8987; {html.escape(busy)}</i>"
                try:
                    callback()
                    self.error = None
                    self.status.value = ""
                except Exception as error:
                    self.error = error
                    self.status.value = f"<div style='color:#b3261e'><b>Failed:</b> {html.escape(str(error))}</div>"
                finally:
                    button.disabled = False
                if self.error is None:
                    self.refresh()
                else:
                    self._render()

        button.on_click(on_click)
        button.click_now = on_click  # lets tests and benchmarks press it synchronously
        self.buttons[description] = button
        self._button_box.children = tuple(self.buttons.values())
        return button

    def cap(self, name: str, maximum) -> int | float:
        """Set the maximum of slider ``name`` (from an update) and return the value to use.

        A range that shrinks clamps the slider, but the value the student chose is remembered: when the range
        grows again, the slider returns to it (e.g. N_feat = 40 stays 40 after a detour through 16 mel bands).
        """
        control = self.controls[name]
        wanted = self._wanted.get(name)
        if wanted is None or control.value != self._capped.get(name):
            wanted = control.value  # the student moved it since the last cap
        control.max = maximum
        value = min(wanted, maximum)
        control.value = value
        self._wanted[name], self._capped[name] = wanted, control.value
        return control.value

    def set_readout(self, html_text: str) -> None:
        """Replace the text under the figure (HTML allowed)."""
        self.readout.value = html_text


def from_state(code: str) -> Explorer:
    """A new explorer showing the picture of ``code`` (:meth:`Explorer.state`), whichever explorer made it."""
    name, _, _ = explorer_state.decode_state(code)
    return EXPLORERS[name](state=code)


def time_controls(explorer: Explorer, *, rounds: int = 2, max_values: int = 6) -> dict:
    """Move every control of ``explorer`` through its range and time each change (for benchmarks).

    Each control runs through :func:`sweep_values` up and back down ``rounds`` times, with the values
    of ``explorer.sweep_requires`` in force; afterwards every control is back at its value before.

    Returns:
        ``{control name: {"wall_ms": [...], "cpu_ms": [...], "errors": [...]}}``: per change, the wall
        time including the PNG render (what a student waits), this process's CPU time for it (less
        sensitive to other programs on a shared machine), and any update error as ``(value, repr)``.
    """
    results = {}
    for name, control in explorer.controls.items():
        values = sweep_values(control, max_values=max_values)
        if len(values) < 2:
            continue
        before = explorer.values()
        with explorer.hold():
            for other, value in explorer.sweep_requires.get(name, {}).items():
                explorer.controls[other].value = value
        wall, cpu, errors = [], [], []
        for _ in range(rounds):
            for value in values + values[-2::-1]:
                if value == control.value:
                    continue
                wall_start, cpu_start = time.perf_counter(), time.process_time()
                control.value = value
                cpu.append((time.process_time() - cpu_start) * 1000)
                wall.append((time.perf_counter() - wall_start) * 1000)
                if explorer.error is not None:
                    errors.append((value, repr(explorer.error)))
        with explorer.hold():
            for other, value in before.items():
                explorer.controls[other].value = value
        results[name] = {"wall_ms": wall, "cpu_ms": cpu, "errors": errors}
    return results

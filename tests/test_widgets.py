"""The slider framework: registry, synchronous updates, snapshots, errors, audio players, every explorer."""

import io
import threading
import time
import wave

import ipywidgets as widgets
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from course_utils import widgets as cw
from course_utils.widgets import EXPLORERS, Explorer, sweep_values


def _png_size(png: bytes):
    return Image.open(io.BytesIO(png)).size


def test_registry_has_the_demo_and_factories_need_no_arguments():
    assert "tone" in EXPLORERS
    assert len(EXPLORERS) == len(list(EXPLORERS))
    with pytest.raises(KeyError, match="registered:"):
        EXPLORERS["no-such-explorer"]


def test_registering_a_name_twice_is_refused():
    with pytest.raises(ValueError, match="registered already"):
        cw.register("tone")(type("Other", (Explorer,), {}))


def test_demo_updates_synchronously_and_the_picture_changes():
    explorer = EXPLORERS["tone"]()
    assert explorer.error is None
    before = explorer.snapshot()
    assert before.startswith(b"\x89PNG") and _png_size(before)[0] > 300
    explorer.controls["frequency"].value = 1000.0
    after = explorer.snapshot()
    assert after != before
    assert "1000.0 Hz" in explorer.readout.value
    assert explorer.players["tone"].sr == 22050
    assert np.isclose(np.abs(explorer.players["tone"].samples).max(), 0.5, atol=1e-3)
    explorer.controls["amplitude"].value = 0.25
    assert np.isclose(np.abs(explorer.players["tone"].samples).max(), 0.25, atol=1e-3)
    assert explorer.last_update_ms > 0


def test_initial_values_and_unknown_controls():
    explorer = EXPLORERS["tone"](frequency=200.0)
    assert explorer.controls["frequency"].value == 200.0
    with pytest.raises(TypeError, match="no control"):
        EXPLORERS["tone"](pitch=3)


class _Counting(Explorer):
    title = "counting"

    def make_controls(self):
        return {"a": cw.slider("a", 1, 0, 10), "b": cw.slider("b", 1, 0, 10)}

    def build(self, fig):
        self.ax = fig.subplots()
        (self.line,) = self.ax.plot([0, 1], [0, 0])
        self.calls = 0

    def update(self, a, b):
        self.calls += 1
        if a == 7:
            raise ValueError("a must not be 7")
        if b > a:  # an update may adjust another control without triggering a second update
            self.controls["b"].value = a
        self.line.set_ydata([a, self.controls["b"].value])


def test_hold_batches_changes_and_reentrant_changes_do_not_recurse():
    explorer = _Counting()
    calls = explorer.calls
    with explorer.hold():
        explorer.controls["a"].value = 3
        explorer.controls["b"].value = 9
    assert explorer.calls == calls + 1
    assert explorer.controls["b"].value == 3


def test_errors_are_shown_not_raised_and_cleared_afterwards():
    explorer = _Counting()
    explorer.controls["a"].value = 7
    assert isinstance(explorer.error, ValueError)
    assert "a must not be 7" in explorer.status.value
    explorer.controls["a"].value = 5
    assert explorer.error is None and explorer.status.value == ""


def test_buttons_run_work_then_refresh():
    explorer = _Counting()
    ran = []
    button = explorer.add_button("Do it", lambda: ran.append(True))
    calls = explorer.calls
    button.click_now()
    assert ran == [True] and explorer.calls == calls + 1 and not button.disabled
    failing = explorer.add_button("Fail", lambda: 1 / 0)
    failing.click_now()
    assert isinstance(explorer.error, ZeroDivisionError) and "Failed" in explorer.status.value
    assert set(explorer.buttons) == {"Do it", "Fail"}


def test_sweep_values_cover_each_kind_of_control():
    assert sweep_values(widgets.IntSlider(min=0, max=10), 6) == [0, 2, 4, 6, 8, 10]
    assert sweep_values(widgets.FloatSlider(min=0.0, max=1.0), 3) == [0.0, 0.5, 1.0]
    logs = sweep_values(widgets.FloatLogSlider(min=-2, max=2, base=10), 5)
    assert np.allclose(logs, [0.01, 0.1, 1, 10, 100])
    assert sweep_values(widgets.Dropdown(options=[("one", 1), ("two", 2)])) == [1, 2]
    assert sweep_values(widgets.Checkbox(value=True)) == [False, True]
    assert len(sweep_values(widgets.SelectionSlider(options=list(range(20))), 5)) == 5
    assert sweep_values(widgets.Text()) == []


@pytest.mark.parametrize("name", list(EXPLORERS))
def test_every_explorer_survives_every_value_of_every_control(name):
    """Each registered explorer: every control through its range updates without an error, and the
    picture drawn over the cached background (blitting) is exactly what a full redraw gives."""
    explorer = EXPLORERS[name]()
    assert explorer.error is None, f"{name}: {explorer.error!r}"
    assert explorer.snapshot().startswith(b"\x89PNG")
    assert isinstance(explorer.widget, widgets.Widget)
    for control_name, control in explorer.controls.items():
        before = explorer.values()
        with explorer.hold():
            for other, value in explorer.sweep_requires.get(control_name, {}).items():
                explorer.controls[other].value = value
        for value in sweep_values(control, max_values=4):
            control.value = value
            assert explorer.error is None, f"{name}.{control_name}={value!r}: {explorer.error!r}"
            blitted = explorer.snapshot()
            explorer.request_full_draw()
            explorer._render()  # the same state drawn from scratch (no update: some draw random numbers)
            assert explorer.snapshot() == blitted, f"{name}.{control_name}={value!r}: a stale part of the picture"
        with explorer.hold():
            for other, value in before.items():
                explorer.controls[other].value = value


def test_time_controls_times_every_control_and_restores_values():
    explorer = EXPLORERS["tone"]()
    before = explorer.values()
    results = cw.time_controls(explorer, rounds=1, max_values=3)
    assert set(results) == {"frequency", "amplitude"}
    for result in results.values():
        assert len(result["wall_ms"]) == len(result["cpu_ms"]) >= 2 and result["errors"] == []
        assert all(wall > 0 for wall in result["wall_ms"])
    assert explorer.values() == before


def test_blitted_picture_equals_a_full_redraw():
    blitted = EXPLORERS["tone"](frequency=300.0)
    blitted.controls["frequency"].value = 2000.0  # drawn on the cached background
    full = EXPLORERS["tone"](frequency=2000.0)     # drawn from scratch
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(blitted.snapshot()))),
                          np.asarray(Image.open(io.BytesIO(full.snapshot()))))


def test_the_explorer_table_lists_every_registered_explorer():
    import course_utils.explorers as package

    table = package.__doc__
    for name in EXPLORERS:
        assert f"``{name}``" in table, f"add {name!r} to the table in course_utils/explorers/__init__.py"


class _Zoom(Explorer):
    """A minimal explorer whose x axis follows a slider and is therefore a dynamic artist."""

    title = "zoom"

    def make_controls(self):
        return {"width": cw.slider("width", 10, 2, 100)}

    def build(self, fig):
        self.ax = fig.add_subplot()
        (self.line,) = self.ax.plot([], [])
        self.ax.set(xlabel="time (ms)", ylabel="amplitude", ylim=(-1, 1))

    def dynamic_artists(self):
        return [self.ax.xaxis, self.line]

    def update(self, width):
        t = np.linspace(0, width, 200)
        self.line.set_data(t, np.sin(t))
        self.ax.set_xlim(0, width)


def test_a_dynamic_axis_follows_its_limits_without_a_full_redraw(count_full_draws):
    explorer = _Zoom()
    full_draws = count_full_draws(explorer)
    tick_labels = [t.get_text() for t in explorer.ax.get_xticklabels()]
    for width in (50, 3, 100):
        explorer.controls["width"].value = width
        blitted = explorer.snapshot()
        assert [t.get_text() for t in explorer.ax.get_xticklabels()] != tick_labels  # new ticks were drawn
        tick_labels = [t.get_text() for t in explorer.ax.get_xticklabels()]
        assert not full_draws, "changing a dynamic axis' limits redrew the whole figure"
        explorer.request_full_draw()
        explorer.refresh()
        assert explorer.snapshot() == blitted, f"width={width}"
        full_draws.clear()


def test_a_dynamic_axis_label_is_drawn_once_and_stays_put():
    explorer = _Zoom()
    assert not explorer.ax.xaxis.label.get_visible()  # the axis no longer draws it...
    pinned = [t for t in explorer.fig.get_children() if isinstance(t, Text) and t.get_text() == "time (ms)"]
    assert len(pinned) == 1 and pinned[0].get_visible()  # ...a static copy in the background does
    assert explorer.ax.yaxis.label.get_visible()  # a static axis keeps its own label
    before = explorer.snapshot()
    explorer.ax.set_xlabel("time (s)")  # an update may rename it: the copy follows
    explorer.refresh()
    assert pinned[0].get_text() == "time (s)" and explorer.snapshot() != before
    blitted = explorer.snapshot()
    explorer.request_full_draw()
    explorer.refresh()
    assert explorer.snapshot() == blitted


def test_a_static_axis_whose_limits_change_still_gets_a_full_redraw(count_full_draws):
    explorer = EXPLORERS["tone"]()
    full_draws = count_full_draws(explorer)
    explorer.fig.axes[0].set_ylim(-5, 5)  # the tone explorer's axes are static
    explorer.refresh()
    assert full_draws == [1]


class _Histogram(Explorer):
    """A minimal explorer with dynamic bars in axes without a y scale (no y ticks, no grid)."""

    title = "histogram"

    def make_controls(self):
        return {"height": cw.slider("height", 1, 1, 50)}

    def build(self, fig):
        self.ax = fig.add_subplot()
        self.bars = self.ax.stairs(np.ones(4), np.arange(5), fill=True)
        self.ax.set_yticks([])
        self.ax.grid(False)

    def dynamic_artists(self):
        return [self.bars]

    def update(self, height):
        counts = height * np.array([1.0, 3.0, 2.0, 4.0])
        self.bars.set_data(counts, np.arange(5))
        self.ax.set_ylim(0, 1.1 * counts.max())


class _UnscaledHistogram(_Histogram):
    def axes_without_y_scale(self):
        return [self.ax]


def test_axes_without_a_y_scale_change_their_height_without_a_full_redraw(count_full_draws):
    scaled, unscaled = _Histogram(), _UnscaledHistogram()
    scaled_draws, unscaled_draws = count_full_draws(scaled), count_full_draws(unscaled)
    for height in (5, 20, 2):
        scaled.controls["height"].value = height
        unscaled.controls["height"].value = height
        assert scaled.snapshot() == unscaled.snapshot(), height  # the same pictures ...
    assert len(scaled_draws) == 3 and not unscaled_draws  # ... with a full redraw only where the scale counts


def test_a_background_seen_before_is_reused_and_a_requested_full_draw_forgets_them_all(count_full_draws):
    explorer = EXPLORERS["tone"]()
    full_draws = count_full_draws(explorer)
    ax = explorer.fig.axes[0]
    pictures = {}
    for ylim in [(-5, 5), (-1.05, 1.05), (-5, 5), (-1.05, 1.05)]:  # a static axis flipped back and forth
        ax.set_ylim(*ylim)
        explorer.refresh()
        pictures.setdefault(ylim, explorer.snapshot())
        assert explorer.snapshot() == pictures[ylim]
    assert full_draws == [1], "the second visit of each range reuses its kept background"
    for n in range(explorer.backgrounds_kept + 1):  # more ranges than are kept: the oldest is forgotten
        ax.set_ylim(-10 - n, 10 + n)
        explorer.refresh()
    ax.set_ylim(-5, 5)
    explorer.refresh()
    assert len(full_draws) == 1 + explorer.backgrounds_kept + 2 and len(explorer._kept_backgrounds) == 4
    explorer.request_full_draw()
    assert explorer._kept_backgrounds == {}
    explorer.refresh()
    assert explorer.snapshot() == pictures[(-5, 5)] and len(full_draws) == explorer.backgrounds_kept + 4


def test_a_capped_slider_returns_to_the_students_value_when_the_range_grows_again():
    spectrogram = EXPLORERS["spectrogram"](n_mfcc=40, n_mels=128)
    n_mfcc = spectrogram.controls["n_mfcc"]
    spectrogram.controls["n_mels"].value = 16
    assert n_mfcc.value == 16 and n_mfcc.max == 16
    spectrogram.controls["n_mels"].value = 128
    assert n_mfcc.value == 40  # remembered
    spectrogram.controls["n_mels"].value = 32
    n_mfcc.value = 20  # the student moves it while capped: that is the new wish
    spectrogram.controls["n_mels"].value = 128
    assert n_mfcc.value == 20 and spectrogram.error is None


def test_the_framing_hop_in_samples_survives_a_smaller_block():
    framing = EXPLORERS["framing"](hop=None, hop_size=700, block_size=1024)
    framing.controls["block_size"].value = 256
    assert framing.controls["hop_size"].value == 256
    framing.controls["block_size"].value = 2048
    assert framing.controls["hop_size"].value == 700 and "hop H_f = 700 samples" in framing.readout.value


def _as_the_front_end_sends(control, value):
    """Deliver ``value`` to ``control`` the way a comm message from the page does (not a Python assignment)."""
    control._handle_msg({"content": {"data": {"method": "update", "state": {"value": value}, "buffer_paths": []}},
                         "buffers": []})


def test_every_slider_of_every_explorer_follows_a_drag():
    for name in EXPLORERS:
        explorer = EXPLORERS[name]()
        for control_name, control in explorer.controls.items():
            if isinstance(control, (widgets.IntSlider, widgets.FloatSlider, widgets.FloatLogSlider,
                                    widgets.SelectionSlider)):
                assert control.continuous_update, f"{name}.{control_name} updates only when released"


def test_a_drag_through_the_comm_path_draws_its_first_value_at_once_then_the_latest_on_the_worker():
    explorer = EXPLORERS["tone"]()
    slider = explorer.controls["frequency"]
    time.sleep(Explorer.STREAM_GAP_S)  # the explorer's first picture is older than a drag's gap
    values = np.geomspace(100.0, 3000.0, 15)
    before = len(explorer.timings)
    _as_the_front_end_sends(slider, float(values[0]))
    assert len(explorer.timings) == before + 1, "a drag's first value is drawn before the handler returns"
    first = explorer.snapshot()
    explorer.STREAM_GAP_S = 60.0  # however slow this machine draws, the next values count as the drag's
    for value in values[1:]:
        _as_the_front_end_sends(slider, float(value))  # each within the gap: drawn on the worker thread
    assert explorer.wait_idle(timeout=30)
    renders = list(explorer.timings)[before:]
    assert 2 <= len(renders) <= len(values), "values that arrived during a render are merged, never queued"
    assert {trigger for trigger, *_ in renders} == {"frequency"}
    assert explorer.snapshot() != first
    fresh = EXPLORERS["tone"](frequency=slider.value)
    assert slider.value == pytest.approx(values[-1])
    assert explorer.snapshot() == fresh.snapshot(), "the last value is always drawn"
    assert explorer.readout.value == fresh.readout.value
    assert explorer.description == fresh.description


def test_values_that_arrive_while_the_worker_draws_are_dropped_but_the_last_is_drawn(monkeypatch):
    explorer = EXPLORERS["tone"]()
    slider = explorer.controls["frequency"]
    drawn, entered, release = [], threading.Event(), threading.Event()
    update = explorer.update

    def slow_update(**values):
        drawn.append(values["frequency"])
        if threading.current_thread() is not threading.main_thread():
            entered.set()
            release.wait(10)
        update(**values)

    monkeypatch.setattr(explorer, "update", slow_update)
    explorer.STREAM_GAP_S = 60.0  # the first picture was just drawn: a value from the page now is a drag's
    _as_the_front_end_sends(slider, 200.0)
    assert entered.wait(10), "a value right after a picture goes to the worker thread"
    for value in (300.0, 400.0, 500.0, 600.0):  # the page sends these while the worker is busy
        _as_the_front_end_sends(slider, value)
    assert len(explorer.timings) == 1, "the handler returned at once, nothing was drawn in it"
    release.set()
    assert explorer.wait_idle(timeout=30)
    assert drawn == [200.0, 600.0], "one render in flight, the intermediate values dropped, the last drawn"
    assert explorer.snapshot() == EXPLORERS["tone"](frequency=600.0).snapshot()


def test_a_value_set_from_python_while_the_worker_draws_waits_for_it_and_is_drawn():
    explorer = EXPLORERS["tone"]()
    slider = explorer.controls["frequency"]
    explorer.STREAM_GAP_S = 60.0
    _as_the_front_end_sends(slider, 250.0)
    assert explorer._dirty.is_set() or explorer._drawing_on_worker or explorer.timings[-1][0] == "frequency"
    slider.value = 1234.0  # from Python: drawn before the assignment returns, after the worker's render
    assert explorer.snapshot() == EXPLORERS["tone"](frequency=1234.0).snapshot()
    assert explorer.wait_idle(timeout=30)
    assert explorer.snapshot() == EXPLORERS["tone"](frequency=1234.0).snapshot()


def test_a_lone_value_from_the_page_is_drawn_before_the_handler_returns():
    explorer = EXPLORERS["tone"]()
    time.sleep(Explorer.STREAM_GAP_S)
    _as_the_front_end_sends(explorer.controls["frequency"], 880.0)
    assert explorer.snapshot() == EXPLORERS["tone"](frequency=880.0).snapshot()
    assert explorer._worker is None, "a key press after a pause needs no worker thread"


def test_the_playground_draws_every_value_of_a_drag_in_the_handler():
    explorer = EXPLORERS["playground"]()
    assert not explorer.draw_streams_on_worker
    slider = explorer.controls["noise"]
    for value in np.linspace(slider.min, slider.max, 4)[1:]:
        before = len(explorer.timings)
        _as_the_front_end_sends(slider, float(value))
        assert len(explorer.timings) > before
    assert explorer._worker is None


@pytest.mark.parametrize("timeout", [0, -1, 3601, float("nan"), "1", None, True])
def test_wait_idle_refuses_a_timeout_outside_its_range(timeout):
    explorer = EXPLORERS["tone"]()
    with pytest.raises((TypeError, ValueError), match="timeout"):
        explorer.wait_idle(timeout)


def test_explorers_are_found_by_css_class_and_listed_as_live():
    explorer = EXPLORERS["tone"]()
    assert {"course-explorer", "course-explorer-tone"} <= set(explorer.widget._dom_classes)
    assert "course-control-frequency" in explorer.controls["frequency"]._dom_classes
    assert "course-picture" in explorer.image._dom_classes
    assert cw.live_explorers("tone")[-1] is explorer


def test_the_box_holds_the_code_box_and_the_keyboard_guard_and_the_picture_its_description():
    """Issue #16: the code box under the picture, the hidden widget that gives menus and buttons their keys in
    JupyterLab, and a picture whose tooltip (its title in the page) is the description, synced with an empty
    ``description`` (without one the front end's view of an Image fails to render)."""
    explorer = EXPLORERS["tone"](frequency=300.0)
    children = explorer.widget.children
    assert explorer.state_box.widget in children
    guards = [c for c in children if "course-keyboard-guard" in c._dom_classes]
    assert len(guards) == 1 and guards[0].layout.display == "none"
    assert "data-lm-suppress-shortcuts" in guards[0]._esm
    state = explorer.image.get_state()
    assert state["description"] == "" and state["tooltip"] == explorer.description
    assert "300 Hz" in explorer.description
    assert f"value='{explorer.state()}'" in explorer.state_box.current.value
    explorer.controls["frequency"].value = 600.0
    assert "600 Hz" in explorer.image.tooltip and f"value='{explorer.state()}'" in explorer.state_box.current.value


@pytest.mark.parametrize("name", ["neuron", "framing", "spectrogram", "gradient_descent", "playground"])
def test_dynamic_axes_drawn_without_their_label_passes_give_matplotlib_s_pixels(name):
    # Explorer draws a dynamic axis without the passes that place its (hidden) label; matplotlib's own
    # Axis.draw, put back, must give the very same picture, here after a change that moves the axis.
    from matplotlib.axis import Axis

    explorer = EXPLORERS[name]()
    axes = [artist for artist in explorer.dynamic_artists() if isinstance(artist, Axis)]
    assert axes and all("draw" in vars(axis) for axis in axes), f"{name} has no axis drawn the short way"
    control = next(c for c in explorer.controls.values() if len(cw.sweep_values(c)) >= 2)
    control.value = next(v for v in cw.sweep_values(control) if v != control.value)
    short = np.asarray(Image.open(io.BytesIO(explorer.snapshot())))
    for axis in axes:
        del axis.draw
    explorer.request_full_draw()
    explorer.refresh()
    assert np.array_equal(short, np.asarray(Image.open(io.BytesIO(explorer.snapshot()))))


@pytest.mark.parametrize("shape", [(12, 30), (400, 700)])  # drawn larger than the data, and smaller
@pytest.mark.parametrize("origin", ["upper", "lower"])
def test_show_colours_gives_matplotlib_s_pixels(shape, origin):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    values = np.random.default_rng(1).normal(size=shape)
    values[2, 3] = np.nan  # a bad value keeps the colour map's "bad" colour

    def draw(colour_first):
        fig = Figure(figsize=(4, 3), dpi=90)
        canvas = FigureCanvasAgg(fig)
        image = fig.subplots().imshow(np.zeros((2, 2)), aspect="auto", origin=origin, interpolation="nearest",
                                      cmap="magma")
        if colour_first:
            cw.show_colours(image, values, -2.0, 1.5)
            assert image.values is values or np.array_equal(image.values, values, equal_nan=True)
        else:
            image.set_data(values)
            image.set_clim(-2.0, 1.5)
        image.set_extent((0, 5, -0.5, shape[0] - 0.5))
        canvas.draw()
        return np.asarray(canvas.buffer_rgba()).copy()

    assert np.array_equal(draw(True), draw(False))


def test_show_colours_refuses_what_it_cannot_draw_alike():
    image = Figure().subplots().imshow(np.zeros((2, 2)), interpolation="bilinear")
    with pytest.raises(ValueError, match="interpolation='nearest'"):
        cw.show_colours(image, np.zeros((3, 3)), 0, 1)
    image.set_interpolation("nearest")
    with pytest.raises(ValueError, match=r"shape \(rows, columns\)"):
        cw.show_colours(image, np.zeros(3), 0, 1)
    with pytest.raises(TypeError, match="image must be a matplotlib AxesImage"):
        cw.show_colours(np.zeros((3, 3)), np.zeros((3, 3)), 0, 1)
    for bad in (float("nan"), float("inf"), "1", None, True):
        with pytest.raises(TypeError, match="vmin must be a finite number"):
            cw.show_colours(image, np.zeros((3, 3)), bad, 1)
        with pytest.raises(TypeError, match="vmax must be a finite number"):
            cw.show_colours(image, np.zeros((3, 3)), 0, bad)
    with pytest.raises(ValueError, match="vmin must be less than vmax"):
        cw.show_colours(image, np.zeros((3, 3)), 1.0, 1.0)

"""Tests of the explorers of notebook 05 (course_utils/explorers/mlp.py): the MLP playground and gradient descent.

The playground's animation is driven the way the browser drives it: ``play.set_state({...})`` is how
ipywidgets applies a message from the front end (a tick of the Play widget, or a press of its buttons).
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from course_utils.loss_surfaces import SURFACES, gradient_descent
from course_utils.mlp import MLP, count_params, layer_sizes_for
from course_utils.playground_data import make_split
from course_utils.widgets import EXPLORERS, sweep_values

#: A network that diverges within a few epochs.
DIVERGING = {"activation": "linear", "depth": 6, "width": 32, "learning_rate": 10.0, "batch_size": 1, "epochs": 50}


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def _tick(explorer, times: int = 1) -> None:
    """What the browser sends while the Play widget plays: the next target epoch, every interval."""
    for _ in range(times):
        if not explorer.play.playing:
            return
        target = explorer.play.value + explorer.play.step
        if target > explorer.play.max:
            explorer.play.set_state({"playing": False})  # the browser's Play stops by itself at its maximum
            return
        explorer.play.set_state({"value": target})


def _play_to_the_end(explorer, limit: int = 2000) -> int:
    """Press play and let the browser tick until the Play widget stops; returns the number of ticks."""
    explorer.play.set_state({"playing": True})
    ticks = 0
    while explorer.play.playing and ticks < limit:
        _tick(explorer)
        ticks += 1
    return ticks


def _assert_same_run(explorer, values: dict, epoch: int) -> None:
    """The explorer shows what a fresh explorer with these settings, trained to ``epoch``, shows."""
    fresh = EXPLORERS["playground"](**values)
    fresh.play.value = epoch
    assert explorer.run.epoch == fresh.run.epoch == epoch
    assert vars(explorer.net.history) == vars(fresh.net.history)
    for ours, theirs in zip(explorer.net.weights, fresh.net.weights):
        np.testing.assert_array_equal(ours, theirs)
    assert np.array_equal(_pixels(explorer.snapshot()), _pixels(fresh.snapshot()))
    assert explorer.readout.value == fresh.readout.value


def _fresh_weights(explorer) -> list:
    v = explorer.values()
    return MLP(layer_sizes_for(2, v["depth"], v["width"]), v["activation"], seed=v["seed"]).weights


# ---------------------------------------------------------------------------------------------
# The playground

def test_playground_starts_untrained_and_waits_for_play():
    e = EXPLORERS["playground"]()
    assert e.error is None and e.run.epoch == 0 and e.play.value == 0 and not e.play.playing
    assert "epoch 0 / 200" in e.epoch_label.value and "untrained" in e.readout.value
    assert e.play not in e.controls.values()  # the sweeping tests and benchmarks move the sliders only
    assert e.play in e.widget.children[e.widget.children.index(e._button_box)].children


def test_driving_the_play_value_trains_to_that_epoch_and_draws():
    e = EXPLORERS["playground"]()
    untrained = e.snapshot()
    e.play.value = 37
    assert e.run.epoch == e.net.history.epochs == 37 and e.error is None
    assert e.train_line.get_xdata()[-1] == 37 and "epoch 37 / 200" in e.epoch_label.value
    assert "after epoch 37" in e.readout.value and e.snapshot() != untrained
    e.play.value = 12  # back: exactly the network after 12 epochs
    _assert_same_run(e, {}, 12)
    e.play.value = 500  # the Play widget stops at the budget
    assert e.run.epoch == e.play.value == 200 and not e.play.playing and "done" in e.epoch_label.value


def test_every_control_restarts_and_shows_the_new_runs_first_frame():
    e = EXPLORERS["playground"]()
    for name, control in e.controls.items():
        original = control.value
        pictures = set()
        for value in sweep_values(control, max_values=4):
            e.play.value = 30
            moved = value != control.value
            control.value = value
            assert e.error is None, (name, value, e.error)
            if moved and name != "epochs":
                first = min(e._first_frame_epochs(), e.controls["epochs"].value)
                assert e.run.epoch == e.play.value == first or e.run.diverged, name
                assert 1 <= first and first * e._updates_per_epoch() <= max(200, e._updates_per_epoch())
                e.play.value = 0
                for ours, fresh in zip(e.net.weights, _fresh_weights(e)):
                    np.testing.assert_array_equal(ours, fresh)
            e.play.value = 20
            assert e.run.epoch == min(20, e.controls["epochs"].value) or e.run.diverged, (name, value)
            pictures.add(e.snapshot())
        assert len(pictures) > 1, name
        control.value = original


def test_a_slider_change_restarts_from_the_seeds_weights_and_gives_the_same_history():
    e = EXPLORERS["playground"](dataset="xor")
    e.play.value = 80
    e.controls["learning_rate"].value = 0.3
    assert e.run.epoch == e.net.history.epochs == e._first_frame_epochs() == 4  # 200 epochs / 50 frames
    _assert_same_run(e, {"dataset": "xor", "learning_rate": 0.3}, 4)
    e.play.value = 40
    _assert_same_run(e, {"dataset": "xor", "learning_rate": 0.3}, 40)
    e.controls["width"].value = 5
    assert e.net.layer_sizes == (2, 5, 5, 1) and e.run.epoch == 4


def test_playing_reaches_the_budget_and_stops():
    e = EXPLORERS["playground"](epochs=130)  # not a multiple of the epochs per frame
    assert e.play.step == 3
    ticks = _play_to_the_end(e)
    assert e.run.epoch == 130 and not e.play.playing and ticks <= 130 // 3 + 2
    assert "epoch 130 / 130" in e.epoch_label.value and "done" in e.epoch_label.value
    assert e._step_button.disabled
    _assert_same_run(e, {"epochs": 130}, 130)


def test_the_budget_continues_a_finished_run_and_goes_back_when_lowered():
    e = EXPLORERS["playground"](epochs=40)
    _play_to_the_end(e)
    e.controls["epochs"].value = 80  # raising it continues the run that reached the old budget
    assert e.play.playing and e.run.epoch == 40 and e.play.max == 80
    _tick(e, 1000)
    assert e.run.epoch == 80 and not e.play.playing
    e.controls["epochs"].value = 30  # lowering it below the current epoch goes back to the new budget
    assert e.run.epoch == e.play.value == 30 and not e.play.playing
    _assert_same_run(e, {"epochs": 30}, 30)


def test_a_diverging_learning_rate_stops_playing_and_shows_the_warning():
    e = EXPLORERS["playground"](**DIVERGING)
    _play_to_the_end(e)
    assert e.run.diverged and not e.play.playing and e.error is None
    assert e.run.epoch == e.play.value == e.net.history.diverged_epoch < 50
    assert e.warning.get_visible() and "diverged" in e.epoch_label.value
    assert "diverged" in e.readout.value and ".." not in e.readout.value
    e.play.set_state({"value": e.run.epoch + 1})  # a late tick trains nothing
    assert e.run.diverged and e.play.value == e.run.epoch
    e.controls["learning_rate"].value = 0.01  # lowering the rate restarts, and animates again
    assert not e.run.diverged and e.run.epoch == 1 and e.play.playing and not e.warning.get_visible()


def test_a_pause_holds_over_restarts_until_play_is_pressed():
    e = EXPLORERS["playground"]()
    e.play.set_state({"playing": True})
    _tick(e, 5)
    e.play.set_state({"playing": False})  # the student pauses
    assert "paused" in e.epoch_label.value
    e.controls["noise"].value = 0.2  # the new run's first frame, then it waits
    assert e.run.epoch == e._first_frame_epochs() and not e.play.playing and "paused" in e.epoch_label.value
    e.play.set_state({"playing": True})
    _tick(e, 2)
    e.controls["noise"].value = 0.3  # not paused: the new run animates
    assert e.run.epoch == e._first_frame_epochs() and e.play.playing


def test_stop_goes_back_to_epoch_0_and_step_trains_one_epoch():
    e = EXPLORERS["playground"]()
    e.play.set_state({"playing": True})
    _tick(e, 4)
    e.play.set_state({"playing": False})  # the stop button: pause, then the minimum
    e.play.set_state({"value": 0})
    assert e.run.epoch == 0 and not e.play.playing
    for ours, fresh in zip(e.net.weights, _fresh_weights(e)):
        np.testing.assert_array_equal(ours, fresh)
    e.play.set_state({"playing": True})
    _tick(e, 2)
    epoch = e.run.epoch
    e.buttons["Step 1 epoch"].click_now()
    assert e.run.epoch == e.play.value == epoch + 1 and not e.play.playing
    e.play.value = 200
    assert e._step_button.disabled


def test_a_tick_sent_before_a_restart_does_not_skip_ahead():
    e = EXPLORERS["playground"]()
    e.play.set_state({"playing": True})
    _tick(e, 30)
    stale = e.play.value + e.play.step  # in flight while the student moves a slider
    e.controls["learning_rate"].value = 0.05
    first = e.run.epoch
    assert first == e._first_frame_epochs()
    e.play.set_state({"value": stale})
    assert first < e.run.epoch <= first + 2 * e.play.step and e.play.value == e.run.epoch  # the browser is told back


def test_a_drag_over_the_learning_rate_ends_like_a_fresh_explorer():
    e = EXPLORERS["playground"](dataset="spiral")
    e.play.set_state({"playing": True})
    _tick(e, 10)
    for i, rate in enumerate(np.geomspace(1e-3, 3.0, 15)):  # a drag: a change, perhaps a tick, often a stale one
        before = e.play.value
        e.controls["learning_rate"].value = float(rate)
        assert (e.run.epoch == e._first_frame_epochs() and e.play.playing) or e.run.diverged
        if i % 3:
            e.play.set_state({"value": before + e.play.step})
        _tick(e, i % 2)
    e.controls["learning_rate"].value = 0.03
    e.play.value = 25
    _assert_same_run(e, {"dataset": "spiral", "learning_rate": 0.03}, 25)


def test_frames_redraw_only_what_changes_and_match_a_full_redraw(count_full_draws):
    e = EXPLORERS["playground"](dataset="xor", epochs=100)
    full_draws = count_full_draws(e)
    e.play.set_state({"playing": True})
    for _ in range(8):
        _tick(e, 3)
        blitted = e.snapshot()
        e.request_full_draw()
        e._render()
        assert e.snapshot() == blitted, e.run.epoch
    assert len(full_draws) == 8  # only the ones requested here
    full_draws.clear()
    for name, value in [("learning_rate", 0.3), ("batch_size", 5), ("l2", 1e-2), ("epochs", 300), ("noise", 0.3)]:
        e.controls[name].value = value
        _tick(e, 2)
    assert not full_draws, "a slider change or a frame redrew the whole figure"


@pytest.mark.parametrize("values,epochs", [({"dataset": "spiral", "learning_rate": 1.0}, (40, 400)),
                                           (DIVERGING, (1, 50)), ({"depth": 0, "epochs": 1000}, (999, 1000))])
def test_cached_background_is_never_stale_in_the_playground(values, epochs):
    e = EXPLORERS["playground"](**values)
    for epoch in epochs:
        e.play.value = epoch
        cached = _pixels(e.snapshot())
        e.request_full_draw()
        e._render()
        assert np.array_equal(cached, _pixels(e.snapshot())), epoch


def test_playground_keras_code_matches_settings():
    pytest.importorskip("keras")
    e = EXPLORERS["playground"]()
    with e.hold():
        e.controls["depth"].value = 3
        e.controls["width"].value = 7
        e.controls["l2"].value = 1e-3
    e.buttons["Show Keras code"].click_now()
    namespace = {}
    exec(e.keras_code, namespace)
    assert namespace["model"].count_params() == e.net.count_params() == count_params((2, 7, 7, 7, 1))
    assert "Dense(7" in e.code_box.value and "epochs=200" in e.code_box.value


def test_playground_audio_dataset():
    e = EXPLORERS["playground"](dataset="audio", epochs=20)
    e.play.value = 20
    assert e.error is None and e.run.epoch == 20
    X_train, _, X_test, _ = e.data
    assert len(X_train) + len(X_test) == e.n_samples


def test_playground_standardizes_the_audio_features_on_the_training_points_only():
    explorer = EXPLORERS["playground"](dataset="audio", noise=0.0, train_fraction=0.3, seed=2)
    X_train = explorer.data[0]
    reference = make_split("audio", explorer.n_samples, noise=0.0, train_fraction=0.3, seed=2)
    for ours, theirs in zip(explorer.data, reference):
        np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_allclose(X_train.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(X_train.std(axis=0), 0.4)
    assert "training recordings only" in explorer.readout.value


def test_playground_names_the_audio_features_and_classes():
    explorer = EXPLORERS["playground"](dataset="audio", noise=0.2)
    assert explorer.error is None
    assert explorer.ax_map.get_xlabel() == "MFCC 1 mean" and "'six'" in explorer.ax_map.get_title()
    assert "noise of standard deviation 0.2" in explorer.readout.value
    explorer.controls["dataset"].value = "xor"
    assert explorer.ax_map.get_xlabel() == "feature 1" and "class 1" in explorer.ax_map.get_title()
    assert "Each point is one recording" not in explorer.readout.value


# ---------------------------------------------------------------------------------------------
# Gradient descent

def test_gradient_descent_explorer():
    e = EXPLORERS["gradient_descent"]()
    assert e.error is None
    for name, control in e.controls.items():
        before = e.snapshot()
        changed = False
        for value in sweep_values(control, max_values=4):
            control.value = value
            assert e.error is None, (name, value, e.error)
            changed |= e.snapshot() != before
        assert changed, name
    e.controls["surface"].value = "line fit (convex)"
    e.controls["learning_rate"].value = 3.0
    assert "Diverged" in e.warning.get_text()
    start = (e.controls["start_0"].value, e.controls["start_1"].value)
    path = gradient_descent("line fit (convex)", start, 3.0, e.controls["n_steps"].value)
    assert path.diverged
    assert f"stopped after {len(path.losses) - 1} steps" in e.warning.get_text()
    e.controls["surface"].value = "double well (non-convex)"
    assert e.controls["start_0"].value == SURFACES["double well (non-convex)"].start[0]



def test_gradient_descent_explorer_created_on_another_surface_starts_there():
    well = SURFACES["double well (non-convex)"]
    e = EXPLORERS["gradient_descent"](surface="double well (non-convex)")
    assert (e.controls["start_0"].value, e.controls["start_1"].value) == well.start
    e = EXPLORERS["gradient_descent"](surface="double well (non-convex)", start_0=0.1, start_1=1.4)
    assert (e.controls["start_0"].value, e.controls["start_1"].value) == (0.1, 1.4)
    assert e.controls["start_1"].max == well.extent[3]


def test_cached_background_is_never_stale_in_gradient_descent():
    e = EXPLORERS["gradient_descent"]()
    for control, value in [("learning_rate", 0.01), ("surface", "double well (non-convex)"), ("n_steps", 150)]:
        e.controls[control].value = value
        cached = _pixels(e.snapshot())
        e.request_full_draw()
        e._render()
        assert np.array_equal(cached, _pixels(e.snapshot())), (control, value)
        e.refresh()  # the next change starts from a cached background again

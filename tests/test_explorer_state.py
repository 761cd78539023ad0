"""Shareable codes (issue #16, part 3) and picture descriptions (part 6) of every registered explorer."""

import base64
import json
import re
import zlib

import ipywidgets as widgets
import pytest

from course_utils import explorer_state as es
from course_utils.explorer_state import StateError, decode_state, encode_state
from course_utils.widgets import EXPLORERS, from_state, sweep_values


def _other_value(control):
    """A value of ``control`` other than its current one (its range's second-to-last sweep value)."""
    values = [v for v in sweep_values(control, max_values=5) if v != control.value]
    return values[-2] if len(values) > 1 else values[0]


def _change_everything(explorer):
    """Give every control a value other than its default and move seeds and epochs off their start."""
    with explorer.hold():
        for control in explorer.controls.values():
            control.value = _other_value(control)
    if "New random draw" in explorer.buttons:
        explorer.buttons["New random draw"].click_now()
        explorer.buttons["New random draw"].click_now()
    if explorer.registry_name == "playground":
        explorer.play.value = 20
        assert explorer.run.epoch == 20
    if explorer.registry_name == "backprop":  # a step through the network: the code replays the presses
        for button in ("forward", "backward", "backward", "update", "next batch", "forward"):
            explorer.buttons[button].click_now()
    if explorer.registry_name == "training_panel":
        explorer.seed = 7
        explorer.refresh()  # the code box follows refreshes; nothing else changes the seed


@pytest.mark.parametrize("name", list(EXPLORERS))
def test_every_explorer_s_code_restores_the_same_picture(name):
    original = EXPLORERS[name]()
    default_code = original.state()
    _change_everything(original)
    assert original.error is None, f"{name}: {original.error!r}"
    code = original.state()
    assert code != default_code and code.startswith(f"{name}:{es.STATE_VERSION}:")
    assert len(code) < 300, f"{name}: a code of {len(code)} characters is not short"
    assert original.state_box.code == code, "the code box does not show the current code"

    restored = EXPLORERS[name](state=code)
    assert restored.error is None, f"{name}: {restored.error!r}"
    assert restored.values() == original.values()
    assert restored.state() == code
    assert restored.snapshot() == original.snapshot(), f"{name}: the restored picture differs"
    assert restored.description == original.description

    # the same code pasted into a live explorer (the code box's Restore) gives the same picture too
    live = from_state(default_code)
    assert live.state() == default_code
    live.state_box.paste.value = code
    live.state_box.button.click()
    assert "Restored" in live.state_box.message.value, live.state_box.message.value
    assert live.values() == original.values() and live.state() == code
    assert live.snapshot() == original.snapshot(), f"{name}: the picture restored into a live explorer differs"


def test_the_seed_of_a_random_draw_travels_in_the_code():
    first = EXPLORERS["audio_augmentation"](transform="noise")
    first.buttons["New random draw"].click_now()
    noisy = first.snapshot()
    assert EXPLORERS["audio_augmentation"](transform="noise").snapshot() != noisy, "draw 1 looks like draw 0"
    again = EXPLORERS["audio_augmentation"](state=first.state())
    assert again.draw == 1 and again.snapshot() == noisy


def test_the_playground_code_holds_the_epoch_and_a_restore_pauses_there():
    first = EXPLORERS["playground"](dataset="xor", learning_rate=0.3)
    first.play.value = 35
    other = EXPLORERS["playground"]()
    other.play.playing = True
    other.restore(first.state())
    assert other.run.epoch == 35 and not other.play.playing
    assert other.snapshot() == first.snapshot()


def test_a_capped_value_comes_back_exactly():
    # n_mfcc 40 capped to the 16 mel bands: the code shows 16, and restoring it into an explorer that had 40 with
    # 128 bands gives 16 with 16 bands, not the 40 remembered before
    small = EXPLORERS["spectrogram"](n_mels=16, n_mfcc=40)
    assert small.controls["n_mfcc"].value == 16
    wide = EXPLORERS["spectrogram"](n_mels=128, n_mfcc=40)
    wide.controls["n_mels"].value = 16
    wide.controls["n_mels"].value = 128
    assert wide.controls["n_mfcc"].value == 40
    wide.restore(EXPLORERS["spectrogram"](n_mels=128, n_mfcc=13).state())
    assert wide.controls["n_mfcc"].value == 13
    wide.restore(small.state())
    assert wide.values() == small.values() and wide.snapshot() == small.snapshot()


def test_the_gradient_descent_start_is_kept_on_another_surface():
    names = list(EXPLORERS["gradient_descent"]().controls["surface"].options)
    second = EXPLORERS["gradient_descent"]()
    second.controls["surface"].value = names[1]
    second.controls["start_0"].value = second.controls["start_0"].min + 0.5
    live = EXPLORERS["gradient_descent"]()
    live.restore(second.state())
    assert live.values() == second.values() and live.snapshot() == second.snapshot()


def _code(name, document, version=es.STATE_VERSION):
    text = json.dumps(document, separators=(",", ":"))
    return f"{name}:{version}:" + base64.urlsafe_b64encode(zlib.compress(text.encode())).decode().rstrip("=")


@pytest.mark.parametrize("code, message", [
    (42, "must be a code string"),
    ("", "empty"),
    ("   ", "empty"),
    ("hello world", "is not a code"),
    ("tone:1:$$$", "is not a code"),
    ("tone:1:" + "A" * 5000, "at most"),
    ("tone:1:eNqrVkpWsqpWSitKLSxNzUuu", "damaged"),
    ("tone:1:abcd", "damaged"),
    (_code("tone", [1, 2]), "no control values"),
    (_code("tone", {"c": {}, "z": 1}), "no control values"),
    (_code("tone", {"c": {"frequency": 440.0, "amplitude": 0.5}}, version=0), "format version 0"),
    (_code("tone", {"c": {"frequency": 440.0, "amplitude": 0.5}}, version=2), "reads version 1 only"),
    (_code("spectrogram", {"c": {}}), "code of the 'spectrogram' explorer, not of 'tone'"),
    (_code("tone", {"c": {"frequency": 440.0}}), r"no value for \['amplitude'\]"),
    (_code("tone", {"c": {"frequency": 440.0, "amplitude": 0.5, "pitch": 3}}), "controls it does not have"),
    (_code("tone", {"c": {"frequency": 1e6, "amplitude": 0.5}}), "frequency to 1e\\+06, outside its range 50 to 5000"),
    (_code("tone", {"c": {"frequency": 440.0, "amplitude": -1}}), "amplitude to -1, outside its range 0 to 1"),
    (_code("tone", {"c": {"frequency": "loud", "amplitude": 0.5}}), "frequency to 'loud'; it must be a number"),
    (_code("tone", {"c": {"frequency": True, "amplitude": 0.5}}), "must be a number"),
    (_code("tone", {"c": {"frequency": 440.0, "amplitude": 0.5}, "x": {"draw": 1}}), r"unknown entries \['draw'\]"),
])
def test_bad_codes_are_refused_with_a_clear_message_and_change_nothing(code, message):
    explorer = EXPLORERS["tone"](frequency=300.0)
    before, picture = explorer.values(), explorer.snapshot()
    with pytest.raises(StateError, match=message):
        explorer.restore(code)
    assert explorer.values() == before and explorer.snapshot() == picture
    with pytest.raises(StateError, match=message):
        EXPLORERS["tone"](state=code)


def test_bad_values_of_menus_check_boxes_sliders_and_extras_are_named():
    spectrogram = EXPLORERS["spectrogram"]()
    values = spectrogram.values()
    for key, value, message in (("signal", "violin", r"signal to 'violin', which is not one of its options"),
                                ("linear_fmax", 1, "linear_fmax to 1; it must be true or false"),
                                ("n_mfcc", 2.5, "n_mfcc to 2.5; it must be a whole number from 1 to 40"),
                                ("block_size", 1000, "block_size to 1000, which is not one of its options")):
        with pytest.raises(StateError, match=message):
            spectrogram.restore(_code("spectrogram", {"c": {**values, key: value}}))
    playground = EXPLORERS["playground"]()
    document = {"c": playground.values(), "x": {"epoch": 5000}}
    with pytest.raises(StateError, match="epoch must be a whole number from 0 to 200, got 5000"):
        playground.restore(_code("playground", document))
    with pytest.raises(StateError, match=r"missing entries \['epoch'\]"):
        playground.restore(_code("playground", {"c": playground.values()}))
    augmentation = EXPLORERS["audio_augmentation"]()
    with pytest.raises(StateError, match="draw must be a whole number"):
        augmentation.restore(_code("audio_augmentation", {"c": augmentation.values(), "x": {"draw": -1}}))


def test_the_code_box_shows_a_refused_code_s_error_and_keeps_the_picture():
    explorer = EXPLORERS["tone"]()
    picture = explorer.snapshot()
    explorer.state_box.paste.value = EXPLORERS["softmax"]().state()
    explorer.state_box.button.click()
    assert "Code not restored" in explorer.state_box.message.value and "'softmax'" in explorer.state_box.message.value
    assert explorer.snapshot() == picture
    assert explorer.state_box.widget in explorer.widget.children


def test_a_recording_travels_in_no_code_but_its_own_explorer_takes_it_back():
    import numpy as np

    explorer = EXPLORERS["audio_augmentation"]()
    entry = explorer.add_sound(np.sin(np.linspace(0, 2000, 22050)).astype(np.float32) * 0.3, 22050)
    code = explorer.state()
    with pytest.raises(StateError, match=re.escape(f"sound to '{entry}', which is not one of its options")):
        EXPLORERS["audio_augmentation"](state=code)
    explorer.controls["sound"].value = explorer.controls["sound"].options[0]
    explorer.restore(code)  # the explorer that has the recording takes its code
    assert explorer.controls["sound"].value == entry


def test_state_and_control_values_together_are_refused():
    with pytest.raises(TypeError, match="either state or control values"):
        EXPLORERS["tone"](state=EXPLORERS["tone"]().state(), frequency=300.0)


def test_encode_and_decode_round_trip_numbers_strings_booleans_and_none():
    import numpy as np

    values = {"a": 0.1 + 0.2, "b": np.int64(3), "c": "trumpet (librosa 'trumpet', 5 s)", "d": True, "e": None}
    name, decoded, extras = decode_state(encode_state("x", values, {"draw": 4}))
    assert name == "x" and extras == {"draw": 4}
    assert decoded == {"a": 0.1 + 0.2, "b": 3, "c": values["c"], "d": True, "e": None}
    # a code broken over lines (copied from a slide) still reads
    code = encode_state("x", values)
    assert decode_state(code[:10] + "\n  " + code[10:])[1] == decoded


@pytest.mark.parametrize("name", list(EXPLORERS))
def test_every_explorer_describes_its_picture_and_the_description_follows_the_controls(name):
    explorer = EXPLORERS[name]()
    text = explorer.description
    assert text == explorer.describe() == explorer.image.tooltip
    assert 40 <= len(text) <= 600, f"{name}: {len(text)} characters: {text!r}"
    assert "<" not in text and "&" not in text.replace(" & ", ""), f"{name}: markup in the description: {text!r}"
    changed = []
    for control_name, control in explorer.controls.items():
        if isinstance(control, widgets.Checkbox):
            continue
        with explorer.hold():
            for other, value in explorer.sweep_requires.get(control_name, {}).items():
                explorer.controls[other].value = value
        before = explorer.description
        control.value = _other_value(control)
        changed.append(explorer.description != before)
        assert explorer.image.tooltip == explorer.description
    assert sum(changed) >= max(1, len(changed) // 2), f"{name}: the description ignores most controls {changed}"


def test_a_failed_update_is_described_too():
    explorer = EXPLORERS["tone"]()
    explorer.update = lambda **values: (_ for _ in ()).throw(RuntimeError("boom"))
    explorer.refresh()
    assert "The last update failed: boom" in explorer.image.tooltip and explorer.title in explorer.image.tooltip


def test_the_generic_description_names_title_controls_and_panels():
    explorer = EXPLORERS["tone"](frequency=1000.0)
    text = es.generic_description(explorer)
    assert text.startswith(explorer.title) and "frequency (Hz) 1000" in text and "spectrum" in text

"""Exact, shareable pictures: an explorer's state as a short text code, and a text description of its picture.

Notebook: every notebook with an explorer (the code box sits under each explorer's picture).

An instructor puts a code on a slide; every student who pastes it into the explorer's code box (or passes it to
the factory, ``EXPLORERS["spectrogram"](state=code)``) sees exactly the same picture. A code holds the explorer's
registry name, the version of the code format, every control value and whatever else the picture depends on
(the explorer's :meth:`~course_utils.widgets.Explorer.state_extras`: a random draw's seed, the playground's
epoch). The start notebook's tone at 440 Hz and amplitude 0.5 is::

    tone:1:eNqrVkpWsqpWSitKLSxNzUuuVLIyMTHQM9BRSswtyMksKU1JVbIy0DOtrQUAE7wNGg

After the name and the version comes compact JSON (``{"c": {control: value}, "x": {extra: value}}``, here
``{"c":{"frequency":440.0,"amplitude":0.5}}``),
zlib-compressed (its checksum catches a mistyped code) and base64-encoded with the URL-safe alphabet, without
padding. A code of another format version, of another explorer, damaged, or with a value outside a control's
range is refused with a :class:`StateError` that says which.

Accessible pictures: :func:`generic_description` is the fallback of
:meth:`~course_utils.widgets.Explorer.describe` (the title, every control with the label and value the student
sees, and the panels' titles); the description is the picture's ``title`` attribute in the page, which is the
image's accessible name (an ``ipywidgets.Image`` has no ``alt``) and its tooltip (:class:`DescribedImage`), and
the ``alt`` text of the picture on the course's website (``site/kernel_startup.py``).
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import math
import re
import zlib

import ipywidgets as widgets
import numpy as np
import traitlets

__all__ = ["STATE_VERSION", "DescribedImage", "StateBox", "StateError", "decode_state", "encode_state",
           "generic_description"]

#: The version of the code format. Codes of any other version are refused (see :func:`decode_state`).
STATE_VERSION = 1
_CODE = re.compile(r"^(?P<name>[A-Za-z0-9_]+):(?P<version>[0-9]+):(?P<payload>[A-Za-z0-9_-]+)$")
_SELECTIONS = (widgets.Dropdown, widgets.SelectionSlider, widgets.ToggleButtons, widgets.RadioButtons, widgets.Select)
#: Longest code accepted: far beyond any explorer's (about 60-250 characters), short enough to refuse junk fast.
MAX_CODE_LENGTH = 4000


class StateError(ValueError):
    """A code that cannot be restored; the message says what is wrong with it."""


def encode_state(name: str, values: dict, extras: dict | None = None) -> str:
    """The code of an explorer named ``name`` with control values ``values`` and ``extras`` (seeds, epochs).

    Args:
        name: the explorer's registry name (``"spectrogram"``).
        values: control name -> value (numbers, strings, booleans or ``None``).
        extras: name -> value for what the picture depends on besides the controls.

    Returns:
        ``"<name>:<STATE_VERSION>:<payload>"``, e.g. ``"tone:1:eNqrVkpWsqpWSitKLSxNzUuu..."``.
    """
    document = {"c": {key: _plain(value) for key, value in values.items()}}
    if extras:
        document["x"] = {key: _plain(value) for key, value in extras.items()}
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    payload = base64.urlsafe_b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii").rstrip("=")
    return f"{name}:{STATE_VERSION}:{payload}"


def _plain(value):
    """A NumPy scalar as the Python number it holds (JSON knows only those)."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def decode_state(code, expected_name: str | None = None) -> tuple[str, dict, dict]:
    """Read a code made by :func:`encode_state`: ``(name, control values, extras)``.

    Raises:
        StateError: ``code`` is not a string, not shaped like a code, of another format version, of another
            explorer than ``expected_name``, or damaged (its checksum does not match).
    """
    if not isinstance(code, str):
        raise StateError(f"state must be a code string such as 'tone:1:eNq...', got {type(code).__name__} {code!r:.60}")
    code = "".join(code.split())  # a code copied from a slide may be broken over lines
    if not code:
        raise StateError("state is empty: paste a code such as 'tone:1:eNq...' (an explorer's code box shows its own)")
    if len(code) > MAX_CODE_LENGTH:
        raise StateError(f"state is {len(code)} characters long; codes are at most {MAX_CODE_LENGTH}: this is no explorer's code")
    match = _CODE.match(code)
    if match is None:
        raise StateError(f"state {code[:40]!r}{'...' if len(code) > 40 else ''} is not a code: a code looks like "
                         "'<explorer name>:<version>:<letters, digits, - and _>', e.g. 'tone:1:eNq...'")
    name, version = match["name"], int(match["version"])
    if expected_name is not None and name != expected_name:
        raise StateError(f"this is a code of the {name!r} explorer, not of {expected_name!r}: paste it into a "
                         f"{name!r} explorer (EXPLORERS[{name!r}](state=code))")
    if version != STATE_VERSION:
        raise StateError(f"this code has format version {version}; this version of the course reads version "
                         f"{STATE_VERSION} only: make a new code with the explorer's state()")
    payload = match["payload"]
    try:
        text = zlib.decompress(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))).decode("utf-8")
        document = json.loads(text)
    except (binascii.Error, zlib.error, UnicodeDecodeError, ValueError) as error:
        raise StateError(f"the code of {name!r} is damaged (a character is missing or mistyped): {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("c"), dict) \
            or not isinstance(document.get("x", {}), dict) or set(document) - {"c", "x"}:
        raise StateError(f"the code of {name!r} is damaged: it holds no control values")
    return name, document["c"], document.get("x", {})


def control_limits(control) -> dict:
    """What :func:`check_value` checks a value of ``control`` against (taken when the explorer is made, before an
    update may narrow a slider's range with :meth:`~course_utils.widgets.Explorer.cap`)."""
    if isinstance(control, widgets.FloatLogSlider):
        return {"min": float(control.base ** control.min), "max": float(control.base ** control.max),
                "kind": "number", "slider": (control.min, control.max)}
    if isinstance(control, (widgets.IntSlider, widgets.FloatSlider)):
        kind = "integer" if isinstance(control, widgets.IntSlider) else "number"
        return {"min": control.min, "max": control.max, "kind": kind, "slider": (control.min, control.max)}
    if isinstance(control, widgets.Checkbox):
        return {"kind": "bool"}
    return {"kind": "other"}


def check_value(name: str, control, limits: dict, value):
    """``value`` as ``control`` takes it, or a :class:`StateError` naming the control and its allowed values."""
    kind = limits["kind"]
    if isinstance(control, _SELECTIONS):
        allowed = [option[1] if isinstance(option, tuple) else option for option in control.options]
        for option in allowed:
            if option == value and (type(option) is type(value) or _is_number(option) and _is_number(value)):
                return option
        raise StateError(f"the code sets {name} to {value!r}, which is not one of its options {allowed}")
    if kind == "bool":
        if not isinstance(value, bool):
            raise StateError(f"the code sets {name} to {value!r}; it must be true or false")
        return value
    if kind in ("integer", "number"):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise StateError(f"the code sets {name} to {value!r}; it must be a number from {limits['min']:g} to {limits['max']:g}")
        if kind == "integer" and value != int(value):
            raise StateError(f"the code sets {name} to {value!r}; it must be a whole number from {limits['min']} to {limits['max']}")
        tolerance = 1e-9 * max(abs(limits["min"]), abs(limits["max"]), 1.0)
        if not limits["min"] - tolerance <= value <= limits["max"] + tolerance:
            raise StateError(f"the code sets {name} to {value:g}, outside its range {limits['min']:g} to {limits['max']:g}")
        return int(value) if kind == "integer" else float(value)
    return value


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_values(explorer, values: dict) -> dict:
    """Every control value of a decoded code, checked against ``explorer``'s controls (see :func:`check_value`)."""
    missing = [name for name in explorer.controls if name not in values]
    unknown = [name for name in values if name not in explorer.controls]
    if unknown or missing:
        parts = ([f"controls it does not have: {unknown}"] if unknown else []) + \
                ([f"no value for {missing}"] if missing else [])
        raise StateError(f"the code does not fit the {explorer.registry_name!r} explorer ({'; '.join(parts)}); "
                         f"its controls are {list(explorer.controls)}")
    return {name: check_value(name, explorer.controls[name], explorer._limits[name], values[name])
            for name in explorer.controls}


def check_extra_int(extras: dict, key: str, low: int, high: int) -> int:
    """``extras[key]`` if it is a whole number from ``low`` to ``high``, else a :class:`StateError` naming it."""
    value = extras.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise StateError(f"the code's {key} must be a whole number from {low} to {high}, got {value!r}")
    return value


def check_extra_keys(explorer, extras: dict, allowed) -> None:
    """A :class:`StateError` if a code carries extras that ``explorer`` does not know, or lacks one it needs."""
    unknown, missing = sorted(set(extras) - set(allowed)), sorted(set(allowed) - set(extras))
    if unknown or missing:
        raise StateError(f"the code does not fit the {explorer.registry_name!r} explorer: "
                         + "; ".join(([f"unknown entries {unknown}"] if unknown else [])
                                     + ([f"missing entries {missing}"] if missing else [])))


# --------------------------------------------------------------------------------------------------
# Descriptions

def format_value(control, value) -> str:
    """A control's value as the student reads it: an option's label, a number with a few digits, on/off."""
    if isinstance(control, _SELECTIONS):
        for option in control.options:
            if isinstance(option, tuple) and option[1] == value and type(option[1]) is type(value):
                return str(option[0])
        return str(value)
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def control_label(control, name: str) -> str:
    """The label a student sees next to a control (its description), else its name."""
    return getattr(control, "description", "") or name


def values_text(explorer, names=None) -> str:
    """``"label value, label value"`` for the controls ``names`` (default: all) of ``explorer``."""
    names = list(explorer.controls) if names is None else names
    return ", ".join(f"{control_label(explorer.controls[n], n)} {format_value(explorer.controls[n], explorer.controls[n].value)}"
                     for n in names)


def generic_description(explorer) -> str:
    """The title, every control as the student sees it, and the titles of the figure's panels."""
    panels = [ax.get_title() for ax in explorer.fig.axes if ax.get_visible() and ax.get_title()]
    text = f"{explorer.title}. Controls: {values_text(explorer) or 'none'}."
    if panels:
        text += " Panels: " + "; ".join(panels) + "."
    return text


class DescribedImage(widgets.Image):
    """An ``ipywidgets.Image`` whose ``tooltip`` (the picture's description) becomes the ``title`` of its ``<img>``.

    The front end's widget view sets the ``title`` only when the model has an empty ``description``, and an
    ``ipywidgets.Image`` has none: its view then fails to render at all. The synced, always empty
    ``description`` here is that missing attribute; nothing else differs from an ``ipywidgets.Image``.
    """

    description = traitlets.Unicode("", help="always empty: lets the front end put the tooltip on the image").tag(sync=True)


# --------------------------------------------------------------------------------------------------
# The code box under an explorer

class StateBox:
    """The explorer's code box: the current code (read-only, selectable), a field to paste one, and Restore.

    Attributes:
        widget: the row to display (the explorer puts it under its picture).
        current: an ``ipywidgets.HTML`` holding a read-only ``<input>`` with the current code.
        paste: an ``ipywidgets.Text`` to paste a code into.
        button: the Restore button (``button.click()`` from Python does what a press does); Enter in the
            paste field restores as well.
        message: where a refused code's error (or a restore's confirmation) is shown.
    """

    def __init__(self, explorer):
        self.explorer = explorer
        self.current = widgets.HTML()
        self.current.add_class("course-state-current")
        # the field's value reaches the kernel on Enter or when it loses the focus, never half typed, so the
        # Restore press that follows always finds the whole code (Enter alone restores too)
        self.paste = widgets.Text(placeholder="paste a code here", description="or restore one:",
                                  continuous_update=False, style={"description_width": "initial"},
                                  layout=widgets.Layout(width="330px"))
        self.paste.add_class("course-state-paste")
        self.paste.observe(lambda change: change["new"].strip() and self._on_restore(), names="value")
        self.button = widgets.Button(description="Restore", icon="undo", layout=widgets.Layout(width="auto"),
                                     tooltip="show the picture of the pasted code")
        self.button.add_class("course-state-restore")
        self.button.on_click(self._on_restore)
        self.message = widgets.HTML()
        self.widget = widgets.VBox([widgets.HBox([self.current, self.paste, self.button],
                                                 layout=widgets.Layout(align_items="center")), self.message])
        self.widget.add_class("course-state")
        self.code = ""

    def show(self, code: str) -> None:
        """Show ``code`` as the current one (on every refresh of the explorer; nothing is sent if unchanged)."""
        if code != self.code:
            self.code = code
            self.current.value = (
                "<label style='font-size:small'>code of this picture "
                f"<input type='text' readonly value='{html.escape(code, quote=True)}' size='28' "
                "aria-label='code of this picture (read only: select it and copy)' "
                "onfocus='this.select()' style='font-family:monospace'></label>")

    def _on_restore(self, _=None) -> None:
        try:
            self.explorer.restore(self.paste.value)
        except StateError as error:
            self.message.value = f"<div style='color:#b3261e'><b>Code not restored:</b> {html.escape(str(error), quote=False)}</div>"
        else:
            self.message.value = "<span style='color:#1b6e20'>Restored: the picture is the code's.</span>"

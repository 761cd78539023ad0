"""Static views of the notebooks' widgets, for the website only.

``tools/build_site.py`` starts every kernel that executes a notebook for the site with an IPython profile
whose startup file calls :func:`install`. From then on, each display of an ipywidget (an explorer, a
recorder, a training monitor, a row of audio players) carries, next to the live widget view, a
``text/html`` rendering of what the widget shows: its pictures as ``<img>``, its sounds as ``<audio>``,
its texts, and its controls with their values. The site renders that HTML (``site/conf.py`` gives the
widget view no priority), because a page without a kernel cannot show a widget view.

A widget keeps changing after it was displayed (a later cell sets a slider, trains a model behind a
monitor, presses a button), so after every cell the static views of the widgets displayed so far are
rendered again and, where they changed, replace the earlier ones (an ``update_display_data`` message for
the display id given to each widget display). The page therefore shows each widget as it looks when the
notebook has run to the end, as a student sees it.

An explorer (:class:`course_utils.widgets.Explorer`) gets one line naming its controls and their current
values, with a placeholder (``<span class="course-launch"></span>``) that the site's Sphinx extension
(``site/_ext/course_site.py``) replaces with the page's Binder and Colab links.

Nothing here runs in JupyterLab, on Binder or on Colab: only the site build loads it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
LAUNCH_PLACEHOLDER = '<span class="course-launch"></span>'

_installed = False
_displays: dict = {}  # display id -> [widget, digest of its last static view]
_ids = itertools.count()


def _data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(bytes(data)).decode('ascii')}"


def _format_value(control) -> str:
    """A control's value as its readout shows it."""
    import ipywidgets as widgets

    if isinstance(control, (widgets.Dropdown, widgets.SelectionSlider, widgets.ToggleButtons,
                            widgets.RadioButtons, widgets.Select)):
        return str(control.label)
    if isinstance(control, widgets.Checkbox):
        return "on" if control.value else "off"
    value = control.value
    fmt = getattr(control, "readout_format", None)
    if isinstance(value, float) and fmt:
        try:
            return format(value, fmt)
        except (TypeError, ValueError):
            pass
    return str(value)


def _hidden(widget) -> bool:
    layout = getattr(widget, "layout", None)
    return layout is not None and (layout.display == "none" or layout.visibility == "hidden")


def _output_html(output: dict) -> str:
    """One stored output of an ``ipywidgets.Output`` as HTML."""
    if output.get("output_type") == "stream":
        return f"<pre>{html.escape(output.get('text', ''))}</pre>"
    data = output.get("data", {})
    for mime in ("image/png", "image/jpeg"):
        if mime in data:
            return f'<img src="data:{mime};base64,{data[mime]}" alt="figure">'
    if "text/html" in data:
        return data["text/html"]
    if "text/plain" in data:
        return f"<pre>{html.escape(data['text/plain'])}</pre>"
    return ""


def static_html(widget, skip: frozenset = frozenset()) -> str:
    """What ``widget`` (and its children) shows, as HTML that needs no kernel; widgets whose ``id`` is in
    ``skip`` are left out."""
    import ipywidgets as widgets

    if id(widget) in skip or _hidden(widget):
        return ""
    classes = " ".join(getattr(widget, "_dom_classes", ()))
    if isinstance(widget, widgets.Box):
        inner = "".join(static_html(child, skip) for child in widget.children)
        if not inner:
            return ""
        kind = "row" if isinstance(widget, widgets.HBox) else "column"
        return f'<div class="course-static-{kind} {html.escape(classes)}">{inner}</div>'
    if isinstance(widget, widgets.Image):
        if not widget.value:
            return ""
        return (f'<img class="course-static-picture {html.escape(classes)}" '
                f'src="{_data_uri("image/" + widget.format, widget.value)}" '
                f'alt="{html.escape(widget.tooltip or "picture drawn by the notebook")}">')
    if isinstance(widget, widgets.Audio):
        if not widget.value:
            return ""
        return (f'<audio class="course-static-audio" controls preload="metadata" '
                f'src="{_data_uri("audio/" + widget.format, widget.value)}"></audio>')
    if isinstance(widget, (widgets.HTML, widgets.HTMLMath)):
        return f'<div class="course-static-text">{widget.value}</div>' if widget.value else ""
    if isinstance(widget, widgets.Label):
        return f'<span class="course-static-text">{html.escape(widget.value)}</span>' if widget.value else ""
    if isinstance(widget, widgets.Output):
        return "".join(_output_html(output) for output in widget.outputs)
    if isinstance(widget, (widgets.IntProgress, widgets.FloatProgress)):
        label = html.escape(widget.description or "")
        return (f'<span class="course-static-control">{label} '
                f'<progress max="{widget.max - widget.min}" value="{widget.value - widget.min}"></progress></span>')
    if isinstance(widget, widgets.Button):
        return f'<span class="course-static-button">{html.escape(widget.description)}</span>'
    if isinstance(widget, widgets.FileUpload):
        return '<span class="course-static-button">Upload</span>'
    if isinstance(widget, widgets.ValueWidget) and isinstance(widget, widgets.DOMWidget):
        label = html.escape(widget.description or type(widget).__name__)
        return f'<span class="course-static-control"><b>{label}</b> {html.escape(_format_value(widget))}</span>'
    # a widget with its own front end (the recorder's microphone): nothing a page can show without a kernel
    return (f'<div class="course-static-live-only">This control works only in a running notebook: '
            f'{LAUNCH_PLACEHOLDER}</div>')


def controls_line(explorer) -> str:
    """One line naming an explorer's controls and their current values, with the launch placeholder."""
    parts = [f"<b>{html.escape(control.description or name)}</b> {html.escape(_format_value(control))}"
             for name, control in explorer.controls.items()]
    buttons = [f"<b>{html.escape(name)}</b> (button)" for name in getattr(explorer, "buttons", {})]
    controls = " · ".join(parts + buttons) or "none"
    return (f'<p class="course-static-controls">Controls (shown at these values; move them in the running '
            f'notebook): {controls}. Run it: {LAUNCH_PLACEHOLDER}</p>')


def _explorer_of(widget):
    try:
        from course_utils.widgets import live_explorers
    except ImportError:  # pragma: no cover - the course's package is always installed for the site
        return None
    return next((explorer for explorer in live_explorers() if explorer.widget is widget), None)


def view(widget) -> str:
    """The static view of a displayed widget; an explorer's gets its controls line after its title."""
    explorer = _explorer_of(widget)
    if explorer is None:
        return f'<div class="course-static">{static_html(widget)}</div>'
    skip = frozenset(id(c) for c in explorer.controls.values()) | frozenset(
        id(b) for b in getattr(explorer, "buttons", {}).values())
    children = [static_html(child, skip) for child in widget.children]
    children = [child for child in children if child]
    name = html.escape(explorer.registry_name or type(explorer).__name__)
    return (f'<div class="course-static course-static-explorer" data-explorer="{name}">'
            f'{"".join(children[:1])}{controls_line(explorer)}{"".join(children[1:])}</div>')


def _widget_of(data: dict):
    import ipywidgets as widgets

    view_data = data.get(WIDGET_VIEW)
    if not isinstance(view_data, dict):
        return None
    return widgets.widget._instances.get(view_data.get("model_id"))


def _bundle(widget, data: dict) -> tuple[dict, str]:
    static = view(widget)
    return {**data, "text/html": static}, hashlib.sha1(static.encode()).hexdigest()


def install(shell=None) -> None:
    """Give every later widget display in ``shell`` (default: the running IPython) its static view."""
    global _installed
    from IPython import get_ipython

    shell = shell or get_ipython()
    if shell is None or _installed:
        return
    publisher = shell.display_pub
    publish = publisher.publish

    def publish_with_static_view(data, metadata=None, *args, transient=None, update=False, **kwargs):
        widget = _widget_of(data) if not update else None
        if widget is not None:
            data, digest = _bundle(widget, data)
            transient = dict(transient or {})
            display_id = transient.setdefault("display_id", f"course-static-{next(_ids)}")
            _displays[display_id] = [widget, digest, data]
        return publish(data, metadata, *args, transient=transient, update=update, **kwargs)

    def refresh(*_):
        for display_id, entry in list(_displays.items()):
            widget, digest, data = entry
            new_data, new_digest = _bundle(widget, data)
            if new_digest != digest:
                entry[1], entry[2] = new_digest, new_data
                publish(new_data, {}, transient={"display_id": display_id}, update=True)

    publisher.publish = publish_with_static_view
    shell.events.register("post_run_cell", refresh)
    _installed = True

"""Keys for an explorer's menus, check boxes and buttons, not for JupyterLab's notebook shortcuts.

Notebook: every notebook with an explorer.

In JupyterLab and Notebook 7, a key pressed while a collapsed menu (``<select>``), a check box or a button of a
widget has the focus goes to the notebook's command-mode shortcuts first: ArrowDown selects the next cell instead
of the next option, ``A`` inserts a cell, Enter enters edit mode instead of pressing the button (an open
ipywidgets issue, jupyter-widgets/ipywidgets#3912). Those front ends skip their shortcuts for an element marked
``data-lm-suppress-shortcuts``; the hidden widget here, put into every explorer's box, marks the box's menus,
check boxes and buttons (and those an update adds later), so the keys act on the control as in any web page.
Sliders need nothing: their handles take the arrow keys themselves. The price: while a marked control has the
focus, the notebook's shortcuts (Shift+Enter among them) do not act; Tab moves on to the next control as in any
page, and a click into a cell gives them back. ``tests/test_explorer_a11y_browser.py`` checks the keys in
JupyterLab.
"""

from __future__ import annotations

import ipywidgets as widgets

_ESM = """
const MARK = "data-lm-suppress-shortcuts";
function mark(box) {
  for (const element of box.querySelectorAll("select, input[type=checkbox], button")) {
    if (!element.hasAttribute(MARK)) element.setAttribute(MARK, "true");
  }
}
export default {
  render({ el }) {
    let observer = null, tries = 0;
    const start = () => {
      const box = el.closest(".course-explorer");
      if (!box) return false;
      mark(box);
      observer = new MutationObserver(() => mark(box));
      observer.observe(box, { childList: true, subtree: true });
      return true;
    };
    // the view is rendered before it is put into the page: wait until it is inside its explorer's box
    const timer = start() ? null : setInterval(() => { if (start() || ++tries > 300) clearInterval(timer); }, 100);
    return () => { if (timer) clearInterval(timer); if (observer) observer.disconnect(); };
  },
};
"""

_GUARD_CLASS = None


def keyboard_guard() -> widgets.DOMWidget:
    """A hidden widget that, displayed inside an explorer's box, gives keys to the box's own controls."""
    global _GUARD_CLASS
    if _GUARD_CLASS is None:
        import anywidget

        class KeyboardGuard(anywidget.AnyWidget):
            _esm = _ESM

        _GUARD_CLASS = KeyboardGuard
    guard = _GUARD_CLASS(layout=widgets.Layout(display="none"))
    guard.add_class("course-keyboard-guard")
    return guard

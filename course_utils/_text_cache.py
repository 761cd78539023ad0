"""A matplotlib Agg canvas that keeps the rendered glyphs of the texts it draws (for the explorers).

Notebook: none directly; :class:`course_utils.widgets.Explorer` draws its figure on this canvas.

Why: text is what matplotlib draws slowest. Since matplotlib 3.11 every ``draw_text`` shapes the string
(libraqm) and rasterises each glyph with FreeType, about 1 ms for a tick label and 3-5 ms for a title,
and an explorer redraws the same tick labels, legends and colour-bar labels on every slider move (its
dynamic axes, see :meth:`course_utils.widgets.Explorer.dynamic_artists`). This canvas records the glyph
bitmaps of each text the first time it is drawn and replays them afterwards: the same string, font,
size, angle and sub-pixel position give the same bitmaps, shifted by whole pixels, so the picture is the
same as without the cache (tested against a plain ``FigureCanvasAgg``). Colour and alpha come from the
graphics context at replay time, so they need not match. Recording draws through a stand-in for the C
renderer that only this call sees; the renderer itself is never changed.

Mathtext, TeX and matplotlib versions without the per-glyph text pipeline are drawn as usual.
"""

from __future__ import annotations

import math

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag

__all__ = ["CachingCanvasAgg", "TEXTS_KEPT"]

#: Texts whose glyphs are kept (least recently used first out); a short label costs a few hundred bytes.
TEXTS_KEPT = 4000

# The per-glyph text pipeline of matplotlib 3.11 (older versions draw a text as one bitmap: no cache there).
_SUPPORTED = hasattr(RendererAgg, "_draw_text_glyphs_and_boxes") and hasattr(
    __import__("matplotlib.ft2font", fromlist=["FT2Font"]).FT2Font, "_layout")
_kept: dict = {}


class _Recorder:
    """Stands in for the C renderer while a text is drawn: passes every call on, keeps the glyph images."""

    def __init__(self, renderer):
        self._renderer = renderer
        self.glyphs: list = []

    def draw_text_image(self, image, x, y, angle, gc):
        self.glyphs.append((np.array(image, copy=True), x, y, angle))
        return self._renderer.draw_text_image(image, x, y, angle, gc)

    def __getattr__(self, name):
        return getattr(self._renderer, name)


class _RecordingView:
    """What ``RendererAgg._draw_text_glyphs_and_boxes`` reads of its renderer, with a :class:`_Recorder` in
    place of the C renderer. The renderer itself is never changed, so nothing else that draws on it (or reads
    its buffer) meanwhile can see the recorder."""

    def __init__(self, renderer, recorder):
        self.dpi, self.height, self.new_gc, self._renderer = renderer.dpi, renderer.height, renderer.new_gc, recorder


def _hashable(value):
    """A language setting as a dictionary key (it may be a list of (language, start, end) spans)."""
    return tuple(tuple(item) if isinstance(item, list) else item for item in value) if isinstance(value, list) else value


def _font_key(prop) -> tuple:
    return (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(),
            prop.get_stretch(), prop.get_size_in_points(), prop.get_file(), prop.get_math_fontfamily())


class _CachingRendererAgg(RendererAgg):
    """``RendererAgg`` whose ``draw_text`` replays the glyphs it drew before for the same text."""

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath:
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        ix, iy = math.floor(x), math.floor(y)
        key = (s, _font_key(prop), angle, x - ix, y - iy, self.width, self.height, self.dpi,
               bool(gc.get_antialiased()), mpl.rcParams["text.hinting"], mpl.rcParams["text.hinting_factor"],
               mpl.rcParams["text.kerning_factor"],
               None if mtext is None else tuple(mtext.get_fontfeatures() or ()),
               None if mtext is None else _hashable(mtext.get_language()))
        glyphs = _kept.pop(key, None)
        if glyphs is None:
            # what RendererAgg.draw_text does, with the glyph images recorded on their way to the canvas
            font = self._prepare_font(prop)
            items = font._layout(s, flags=get_hinting_flag(),
                                 features=mtext.get_fontfeatures() if mtext is not None else None,
                                 language=mtext.get_language() if mtext is not None else None)
            size = prop.get_size_in_points()
            recorder = _Recorder(self._renderer)
            RendererAgg._draw_text_glyphs_and_boxes(
                _RecordingView(self, recorder), gc, x, y, angle,
                ((item.ft_object, size, item.glyph_index, 0, 1, item.x, item.y) for item in items), [])
            glyphs = tuple((image, gx - ix, gy - iy, gangle) for image, gx, gy, gangle in recorder.glyphs)
        else:
            for image, gx, gy, gangle in glyphs:
                self._renderer.draw_text_image(image, gx + ix, gy + iy, gangle, gc)
        _kept[key] = glyphs  # now the most recently used
        while len(_kept) > TEXTS_KEPT:
            _kept.pop(next(iter(_kept)), None)


class CachingCanvasAgg(FigureCanvasAgg):
    """A ``FigureCanvasAgg`` whose renderer keeps the glyphs of the texts it draws (see the module docstring)."""

    def get_renderer(self):
        renderer = super().get_renderer()
        if _SUPPORTED and type(renderer) is RendererAgg:
            renderer.__class__ = _CachingRendererAgg
        return renderer

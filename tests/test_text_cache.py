"""The explorers' canvas keeps the glyphs of its texts (course_utils/_text_cache.py): same pictures, less time."""

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import IdentityTransform

from course_utils import _text_cache


def _picture(canvas_class, shift: float, rotation: float) -> np.ndarray:
    fig = Figure(figsize=(6, 3), dpi=90, layout="constrained")
    canvas = canvas_class(fig)
    ax = fig.subplots()
    ax.plot([0, 10], [0, 1], label="a line")
    ax.set(xlim=(shift, 10 + shift), title=f"a title at {shift:.2f}", xlabel="time (s)", ylabel="amplitude")
    ax.text(2 + shift, 0.5, "data text", rotation=rotation)
    ax.text(0.5, 0.5, "$x^2$ mathtext", transform=ax.transAxes)
    ax.legend()
    fig.text(100.25 + 7 * shift, 50.5 + 3 * shift, "pixel text", transform=IdentityTransform(), rotation=rotation)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


@pytest.mark.skipif(not _text_cache._SUPPORTED, reason="this matplotlib draws text in one piece (no glyph cache)")
@pytest.mark.parametrize("rotation", [0, 30, 90])
def test_kept_glyphs_give_the_same_picture_as_matplotlib(rotation):
    _text_cache._kept.clear()
    for shift in [0.0, 1.0, 0.37, 2.0, 0.0, 1.0, 0.37]:  # revisits hit the cache, also at whole-pixel offsets
        assert np.array_equal(_picture(FigureCanvasAgg, shift, rotation),
                              _picture(_text_cache.CachingCanvasAgg, shift, rotation)), shift
    assert _text_cache._kept


def test_the_cache_keeps_at_most_its_limit(monkeypatch):
    monkeypatch.setattr(_text_cache, "TEXTS_KEPT", 5)
    _text_cache._kept.clear()
    _picture(_text_cache.CachingCanvasAgg, 0.0, 0)
    assert len(_text_cache._kept) <= 5 or not _text_cache._SUPPORTED

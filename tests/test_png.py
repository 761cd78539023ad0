"""The explorers' PNG encoder (course_utils.png): valid files, every pixel kept, the same pixels from every fallback."""

import io

import numpy as np
import pytest
from PIL import Image

from course_utils import png as cp
from course_utils.widgets import EXPLORERS


def _rgba_of_figure():
    explorer = EXPLORERS["tone"]()
    return np.asarray(explorer.canvas.buffer_rgba()).copy(), explorer


def test_png_bytes_is_lossless_and_is_what_an_explorer_shows():
    rgba, explorer = _rgba_of_figure()
    decoded = np.asarray(Image.open(io.BytesIO(cp.png_bytes(rgba))))
    assert decoded.shape == rgba.shape[:2] + (3,)
    np.testing.assert_array_equal(decoded, rgba[..., :3])
    np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(explorer.snapshot())).convert("RGB")), rgba[..., :3])


def test_png_bytes_writes_a_valid_png_file():
    rgba, _ = _rgba_of_figure()
    data = cp.png_bytes(rgba)
    Image.open(io.BytesIO(data)).verify()  # the signature, every chunk's CRC and the chunk order
    picture = Image.open(io.BytesIO(data))
    assert (picture.format, picture.mode, picture.size) == ("PNG", "RGB", (rgba.shape[1], rgba.shape[0]))


@pytest.mark.parametrize("shape", [(1, 1), (3, 7), (64, 5)])
def test_png_bytes_keeps_every_pixel_of_random_pictures(shape):
    # noise defeats compression: every byte of every row must survive the container and the deflate stream
    rgba = np.random.default_rng(0).integers(0, 256, shape + (4,), dtype=np.uint8)
    np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(cp.png_bytes(rgba)))), rgba[..., :3])


def test_png_bytes_without_isal_or_opencv_falls_back_with_the_same_pixels(monkeypatch):
    rgba, _ = _rgba_of_figure()
    fast = cp.png_bytes(rgba)
    monkeypatch.setattr(cp, "_isal_deflate", lambda: None)
    opencv = cp.png_bytes(rgba)
    monkeypatch.setattr(cp, "_cv2_png", lambda: None)
    pillow = cp.png_bytes(rgba)
    assert len({fast, opencv, pillow}) == 3  # really three encoders
    for other in (opencv, pillow):
        np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(other))), np.asarray(Image.open(io.BytesIO(fast))))


def test_the_fast_encoders_are_there_with_the_course_s_environment():
    # isal (a dependency of the course) deflates in a fifth of zlib's time; the stack's OpenCV (brought by
    # albumentations) has the PNG filter option for the fallback, which is still 3x faster than Pillow
    assert cp._isal_deflate() is not None
    assert cp._cv2_png() is not None


def test_the_opencv_encoder_says_none_without_opencv_and_png_bytes_goes_on_to_pillow(monkeypatch):
    rgba, _ = _rgba_of_figure()
    monkeypatch.setattr(cp, "_cv2_png", lambda: None)
    assert cp.opencv_png_bytes(rgba) is None
    monkeypatch.setattr(cp, "_isal_deflate", lambda: None)
    assert cp.png_bytes(rgba) == cp.pillow_png_bytes(rgba)


@pytest.mark.parametrize("bad", [np.zeros((4, 4, 3), np.uint8), np.zeros((4, 4, 4), np.float32), np.zeros((4, 4), np.uint8)])
@pytest.mark.parametrize("encode", [cp.png_bytes, cp.opencv_png_bytes, cp.pillow_png_bytes])
def test_every_encoder_names_the_expected_shape_for_other_arrays(bad, encode):
    with pytest.raises(ValueError, match=r"rgba must be uint8 with shape \(height, width, 4\)"):
        encode(bad)

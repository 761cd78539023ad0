"""PNG files of a figure's pixels, written fast: every slider move of an explorer pays for one.

Notebook: none of its own; :mod:`course_utils.widgets` puts these bytes into each explorer's picture.

:func:`png_bytes` is the encoder the explorers use. It writes the PNG file itself (no row filters, one
deflate stream) and lets Intel's ISA-L (the ``isal`` package) deflate the rows. Two fallbacks give the same
pixels more slowly: :func:`opencv_png_bytes` (zlib level 1 through OpenCV, which comes with albumentations)
and :func:`pillow_png_bytes` (Pillow, the reference). ``bench/widgets.py --encoders`` times all three on
every explorer's picture and checks that they decode to the same pixels.
"""

from __future__ import annotations

import functools
import io
import struct
import zlib

import numpy as np

__all__ = ["png_bytes", "opencv_png_bytes", "pillow_png_bytes"]


def _check_rgba(rgba) -> np.ndarray:
    rgba = np.asarray(rgba)
    if rgba.dtype != np.uint8 or rgba.ndim != 3 or rgba.shape[2] != 4:
        raise ValueError(f"rgba must be uint8 with shape (height, width, 4), got {rgba.dtype} {rgba.shape}")
    return rgba


def png_bytes(rgba: np.ndarray) -> bytes:
    """Encode an opaque figure's pixels, shape ``(height, width, 4)`` uint8 RGBA, as PNG bytes (RGB, lossless).

    The encoder is chosen for speed, since every slider move pays for it: deflate is most of a PNG's cost.
    The PNG is written here (:func:`_png_file`: no row filters, one deflate stream) and deflated by Intel's
    ISA-L (the ``isal`` package) at its level 2. For the course's figures (810-900 px wide) that takes
    0.6-2.2 ms, against 2.2-8.2 ms for zlib at level 1 (through OpenCV) and 7-25 ms for Pillow (which tries
    every filter on every row); the files are 23-135 KB, up to a quarter larger than zlib's (measured on
    2026-12-06 with ``bench/widgets.py --encoders``, which also checks that the pixels are the same; ISA-L's
    level 1 is as fast and 1-2 % larger, its level 3 twice as slow). Without ``isal``, OpenCV (which comes
    with albumentations) encodes with zlib level 1 and no filters (:func:`opencv_png_bytes`), and without that
    Pillow does (:func:`pillow_png_bytes`). The alpha channel is dropped: figures are opaque.
    """
    rgba = _check_rgba(rgba)
    deflate = _isal_deflate()
    if deflate is not None:
        return _png_file(rgba, deflate)
    encoded = opencv_png_bytes(rgba)
    return encoded if encoded is not None else pillow_png_bytes(rgba)


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_chunk(kind: bytes, data) -> bytes:
    """One PNG chunk: length, type, data, and the CRC-32 of type and data (PNG specification, section 5.3)."""
    return struct.pack(">I", len(data)) + kind + bytes(data) + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))


def _png_file(rgba: np.ndarray, deflate) -> bytes:
    """A PNG file of the RGB channels of ``rgba`` (uint8, ``(height, width, 4)``): 8-bit truecolour, no
    interlacing, every row with filter type 0 ("none"), the rows compressed by ``deflate(bytes) -> zlib
    stream`` into one IDAT chunk."""
    height, width = rgba.shape[:2]
    rows = np.empty((height, 1 + 3 * width), np.uint8)
    rows[:, 0] = 0  # each row starts with its filter type
    pixels = rows[:, 1:].reshape(height, width, 3)
    for channel in range(3):  # one channel at a time: 5x faster than copying rgba[..., :3] at once
        pixels[..., channel] = rgba[..., channel]
    # IHDR: width, height, bit depth 8, colour type 2 (RGB), compression 0 (deflate), filter method 0, no interlace
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"".join((_PNG_SIGNATURE, _png_chunk(b"IHDR", header), _png_chunk(b"IDAT", deflate(rows)),
                     _png_chunk(b"IEND", b"")))


@functools.cache
def _isal_deflate():
    """ISA-L's zlib-format compression at level 2, or ``None`` when the ``isal`` package is missing."""
    try:
        from isal import isal_zlib
    except ImportError:  # pragma: no cover - the course's environment installs isal
        return None
    return functools.partial(isal_zlib.compress, level=2)


def pillow_png_bytes(rgba: np.ndarray) -> bytes:
    """The same picture as :func:`png_bytes` (``rgba`` uint8, shape ``(height, width, 4)``), encoded by
    Pillow at zlib level 1 with its adaptive row filters: the fallback, and the benchmark's reference."""
    from PIL import Image

    rgba = _check_rgba(rgba)
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgba[..., :3])).save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def opencv_png_bytes(rgba: np.ndarray) -> bytes | None:
    """The same picture as :func:`png_bytes` (``rgba`` uint8, shape ``(height, width, 4)``), encoded by OpenCV
    with zlib level 1 and no row filters: the first fallback. ``None`` when OpenCV is missing, lacks the filter
    option, or fails to encode."""
    rgba = _check_rgba(rgba)
    encoder = _cv2_png()
    if encoder is None:
        return None
    cv2, params = encoder
    ok, encoded = cv2.imencode(".png", cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGR), params)
    return encoded.tobytes() if ok else None


@functools.cache
def _cv2_png():
    """OpenCV and its PNG parameters, or ``None`` when OpenCV lacks the filter option (imported on first use)."""
    try:
        import cv2
    except ImportError:  # pragma: no cover - albumentations brings OpenCV
        return None
    if not hasattr(cv2, "IMWRITE_PNG_FILTER"):
        return None
    return cv2, [cv2.IMWRITE_PNG_COMPRESSION, 1, cv2.IMWRITE_PNG_FILTER, cv2.IMWRITE_PNG_FILTER_NONE]

"""Argument checks shared by the programming session's modules (:mod:`course_utils.features`,
:mod:`course_utils.classification`): each returns the value or raises with a message that names the argument.
"""

from __future__ import annotations

import numpy as np


def _as_whole_number(answer):
    """``answer`` as an int if it is a whole number (``30``, ``30.0``, ``np.int64(30)``), else ``None``."""
    if isinstance(answer, (bool, np.bool_, str, bytes)):
        return None
    try:
        value = float(answer)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an int beyond float's range, e.g. 10**400
        return None
    return int(value) if np.isfinite(value) and value == int(value) else None


def _check_int(name: str, value, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < low or (high is not None and value > high):
        upper = f" and at most {high}" if high is not None else ""
        raise ValueError(f"{name} must be at least {low}{upper}, got {value}")
    return int(value)


def _check_choice(name: str, value, allowed) -> str:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {list(allowed)}, got {value!r}")
    return value


def _check_fraction(name: str, value, low: float = 0.0, high: float = 1.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not low <= float(value) <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}")
    return float(value)


def _check_bool(name: str, value) -> bool:
    """``value`` if it is ``True`` or ``False`` (a NumPy bool too); a truthy string such as ``'no'`` is refused."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def _check_signal(name: str, y, *, min_samples: int = 1, max_samples: int = 50_000_000) -> np.ndarray:
    """A mono float signal as float32: shape ``(n_samples,)``, finite, ``min_samples`` to ``max_samples`` long.

    Integer arrays are refused (int16 audio used unscaled is 32768 times too loud): divide by 32768 first.
    """
    array = np.asarray(y)
    if array.dtype == bool or not (np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)):
        raise TypeError(f"{name} must be an array of real float samples, got dtype {array.dtype}")
    if np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"{name} holds integers ({array.dtype}); convert to float in [-1, 1] first (int16: divide by 32768)")
    if array.ndim != 1:
        raise ValueError(f"{name} must be mono, shape (n_samples,), got shape {array.shape}")
    if not min_samples <= array.size <= max_samples:
        raise ValueError(f"{name} must hold {min_samples} to {max_samples} samples, got {array.size}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} holds NaN or infinite samples")
    return np.ascontiguousarray(array, dtype=np.float32)


def _real_number(name: str, value, kind: str = "a real number") -> float:
    """``value`` as a float if it is a real number; booleans, text and complex numbers raise ``TypeError``
    (``"<name> must be <kind>, got ..."``). An int beyond float's range (e.g. ``10**400``) becomes ±inf, so the
    caller's range check refuses it with its own message instead of an ``OverflowError``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be {kind}, got {value!r}")
    try:
        return float(value)
    except OverflowError:
        return float("inf") if value > 0 else float("-inf")

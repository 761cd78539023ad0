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

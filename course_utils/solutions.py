"""Worked solutions of every "Your turn" exercise, revealed after a first attempt.

Each exercise's checker records an attempt (:func:`course_utils.checks.records_attempt`) when it is called with
something other than the notebook's placeholder; :func:`show_solution` then shows the worked solution
(an explanation and the code). ``show_solution(name, now=True)``, or the environment variable
``COURSE_INSTRUCTOR=1``, shows it at once. The solutions themselves sit beside their topic modules
(``representations_solutions.py``, ``normalization_solutions.py``, ...); ``tests/test_solutions.py`` runs each
one and passes its result to its own checker.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from typing import Callable

from course_utils._arguments import _check_bool

__all__ = ["Solution", "SOLUTIONS", "show_solution", "solution_names"]


@dataclass(frozen=True)
class Solution:
    """One exercise's worked solution.

    Attributes:
        name: the exercise's name (the checker's name without ``check_``).
        notebook: the notebook of the exercise, e.g. ``"01_audio_representations.ipynb"``.
        explanation: Markdown, a few sentences on how to get there.
        code: the answer cell as a student would complete it (uses the notebook's variables).
        check: the checker call of the notebook's cell, exactly as written there.
        context: builds the notebook variables ``code`` and ``check`` use (for the tests).
    """

    name: str
    notebook: str
    explanation: str
    code: str
    check: str
    context: Callable[[], dict] = field(default=dict, repr=False, compare=False)


class SolutionView:
    """What :func:`show_solution` returns: Markdown in a notebook, text elsewhere."""

    def __init__(self, markdown: str, revealed: bool):
        self.markdown, self.revealed = markdown, revealed

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __repr__(self) -> str:
        return self.markdown


def _registry() -> dict[str, Solution]:
    from course_utils import (activations_solutions, augmentation_solutions, classification_solutions,
                              mlp_solutions, normalization_solutions, representations_solutions)

    registry: dict[str, Solution] = {}
    for module in (representations_solutions, normalization_solutions, augmentation_solutions,
                   activations_solutions, mlp_solutions, classification_solutions):
        for solution in module.SOLUTIONS:
            if solution.name in registry:
                raise RuntimeError(f"two solutions are named {solution.name!r}")
            registry[solution.name] = solution
    return registry


_LOADED: dict[str, Solution] = {}


def _solutions() -> dict[str, Solution]:
    """The registry, by exercise name; loaded on first use (the topic files import :class:`Solution` from here)."""
    if not _LOADED:
        _LOADED.update(_registry())
    return _LOADED


def __getattr__(name: str):
    if name == "SOLUTIONS":  # every solution by exercise name, in course order
        return _solutions()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def solution_names() -> list[str]:
    """The names of all exercises that have a solution, in course order."""
    return list(_solutions())


def _instructor() -> bool:
    return os.environ.get("COURSE_INSTRUCTOR", "").strip().lower() in ("1", "true", "yes", "on")


def show_solution(name: str, *, now: bool = False) -> SolutionView:
    """The worked solution of exercise ``name``, once its checker has seen an attempt in this kernel.

    Before that it says how to reveal it anyway: ``show_solution(name, now=True)``, or start Jupyter with
    ``COURSE_INSTRUCTOR=1`` (instructors), which reveals every solution at once.

    Args:
        name: the exercise, e.g. ``"n_frames"`` (see :func:`solution_names`).
        now: reveal at once, without an attempt.

    Returns:
        SolutionView: displays as Markdown (explanation and code) in a notebook.

    Example:
        >>> show_solution("n_frames", now=True).revealed
        True
    """
    from course_utils.checks import _ATTEMPTED

    if not isinstance(name, str):
        raise TypeError(f"name must be an exercise name (text), got {type(name).__name__}")
    if name not in _solutions():
        close = difflib.get_close_matches(name, _solutions(), n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"name must be one of the exercises {solution_names()}, got {name!r}.{hint}")
    now = _check_bool("now", now)
    solution = _solutions()[name]
    checker = solution.check.split("(", 1)[0]
    if not (now or _instructor() or name in _ATTEMPTED):
        return SolutionView(
            f"**Solution of `{name}` not shown yet.** Try the exercise first: put your answer in the cell above "
            f"and run it (`{checker}` counts a try once the `None` is replaced), then run this cell again. "
            f"To see it anyway: `show_solution({name!r}, now=True)`.", revealed=False)
    return SolutionView(f"**Solution of `{name}`.** {solution.explanation}\n\n```python\n{solution.code}\n"
                        f"{solution.check}\n```", revealed=True)

"""The result type of every "Your turn" checker in the course.

A checker compares a student's answer with the reference solution and returns a :class:`Check`,
which shows itself as a green or red box in a notebook and as text elsewhere. Checkers never raise
for a wrong answer; they explain what is wrong. Each one is decorated with :func:`records_attempt`: its first
call with something other than the notebook's placeholder unlocks the exercise's worked solution
(:mod:`course_utils.solutions`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

__all__ = ["Check", "right", "wrong", "as_number", "check_number", "shown"]


@dataclass(frozen=True)
class Check:
    """Outcome of a "Your turn" exercise.

    Attributes:
        correct: whether the answer is right.
        message: why it is right, or a hint towards the right answer.
    """

    correct: bool
    message: str

    def __bool__(self) -> bool:
        return self.correct

    def __str__(self) -> str:
        return ("Correct! " if self.correct else "Not yet: ") + self.message

    def _repr_html_(self) -> str:
        colour, mark = ("#1b7f3b", "&#10004; Correct!") if self.correct else ("#b3261e", "&#10008; Not yet:")
        return (f'<div style="border-left:4px solid {colour};padding:4px 8px;margin:4px 0">'
                f'<b style="color:{colour}">{mark}</b> {html.escape(self.message)}</div>')


def right(message: str) -> Check:
    """A correct answer, with a sentence that says why."""
    return Check(True, message)


def wrong(message: str) -> Check:
    """A wrong answer, with a hint."""
    return Check(False, message)


def shown(answer) -> str:
    """``repr(answer)`` cut short, for a checker's message (an answer may be ``10**400`` or a huge array)."""
    import reprlib

    short = reprlib.Repr()
    short.maxlong = short.maxstring = short.maxother = 40
    short.maxlist = short.maxtuple = short.maxset = short.maxdict = 6
    try:
        return short.repr(answer)
    except Exception:  # an object whose repr fails is still answered
        return f"a {type(answer).__name__}"


def as_number(answer, *, name: str):
    """``answer`` as a finite ``float``, or a :class:`Check` that says why it is not one; never raises.

    Accepted: Python and NumPy real numbers and arrays holding exactly one of them. Refused, with a hint:
    ``None``, ``True``/``False``, strings, arrays of several numbers, complex numbers, NaN, infinities,
    integers too large for a float (``10**400``) and objects that fail to convert (whatever they raise).

    Example:
        >>> as_number(np.float32(0.5), name="the loss")
        0.5
    """
    import math

    import numpy as np

    if answer is None:
        return wrong(f"replace None by {name}, a number.")
    if isinstance(answer, (bool, np.bool_)):
        return wrong(f"{name} should be a number, not {shown(answer)}.")
    if isinstance(answer, (str, bytes)):
        return wrong(f"{name} should be a number, not the text {shown(answer)}: remove the quotes.")
    if isinstance(answer, (list, tuple, np.ndarray)):
        try:
            array = np.asarray(answer)
        except Exception:  # ragged lists, elements that fail to convert
            return wrong(f"{name} should be one number, got {shown(answer)}.")
        if array.size != 1:
            return wrong(f"{name} should be one number, got {array.size} values.")
        answer = array.reshape(()).item()
        if isinstance(answer, (bool, str, bytes)):
            return wrong(f"{name} should be a number, got {shown(answer)}.")
    if isinstance(answer, (complex, np.complexfloating)):
        return wrong(f"{name} should be a real number, got {shown(answer)}.")
    try:
        value = float(answer)
    except OverflowError:
        return wrong(f"{name} should be a finite number; that integer is larger than a float can hold (about 1.8e308).")
    except Exception:  # TypeError, ValueError, or whatever an odd object's __float__ raises
        return wrong(f"{name} should be a number, got {shown(answer)}.")
    if not math.isfinite(value):
        return wrong(f"{name} should be a finite number, got {shown(answer)}.")
    return value


def check_number(answer, expected: float, *, name: str, rel_tol: float = 1e-6, abs_tol: float = 1e-9,
                 hint: str = "") -> Check:
    """Compare a numeric answer with ``expected`` (within tolerances); ``name`` says what it is.

    ``answer`` is read with :func:`as_number` (text that spells a number, such as ``"1"``, is parsed), so
    anything that is not one finite real number (``None``, other text, NaN, ``10**400``, an array of several
    numbers) is answered with a hint; never raises.
    """
    import math

    if isinstance(answer, str):
        try:
            answer = float(answer)
        except ValueError:
            pass
    value = as_number(answer, name=name)
    if isinstance(value, Check):
        return value
    if math.isclose(value, expected, rel_tol=rel_tol, abs_tol=abs_tol):
        return right(f"{name} = {expected:g}.")
    return wrong(f"{name} is not {value:g}. {hint}".strip())


#: Exercises whose checker has been called with an answer in this kernel (see :func:`records_attempt`).
_ATTEMPTED: set[str] = set()


def _placeholder_function(z):
    return None


def _untouched(answer) -> bool:
    """Whether ``answer`` is still the notebook's placeholder, so that "Run all" is not an attempt: ``None``, a
    non-empty list, tuple or dict of placeholders (``{"frames": None, ...}``), or a function whose body is only
    ``return None`` (``def my_softmax(z): return None``). A function is judged by its compiled code, never
    called: a student's function may print, be slow or fail, and its checker runs it anyway."""
    if answer is None:
        return True
    if isinstance(answer, dict):
        return bool(answer) and all(_untouched(value) for value in answer.values())
    if isinstance(answer, (list, tuple)):
        return bool(answer) and all(_untouched(value) for value in answer)
    code = getattr(answer, "__code__", None)  # Python functions and lambdas; a ufunc or a class is an attempt
    return code is not None and getattr(code, "co_code", None) == _placeholder_function.__code__.co_code


def records_attempt(exercise: str, *answers: str):
    """Decorator for a checker: a call whose answer is no longer the placeholder counts as an attempt at
    ``exercise``, which unlocks its solution (:func:`course_utils.solutions.show_solution`).

    Args:
        exercise: the exercise's name in the solution registry.
        *answers: the checker's parameters that hold the student's answer (default: its first one).
    """
    import functools
    import inspect

    def decorate(checker):
        signature = inspect.signature(checker)
        names = answers or (next(iter(signature.parameters)),)
        unknown = [name for name in names if name not in signature.parameters]
        if unknown:
            raise ValueError(f"answers must name parameters of {checker.__name__}{signature}, got {unknown}")

        @functools.wraps(checker)
        def checked(*args, **kwargs):
            try:
                bound = signature.bind(*args, **kwargs).arguments
                if any(name in bound and not _untouched(bound[name]) for name in names):
                    _ATTEMPTED.add(exercise)
            except TypeError:  # a wrong call: the checker itself reports it as Python does
                pass
            return checker(*args, **kwargs)

        checked.exercise = exercise
        return checked

    return decorate

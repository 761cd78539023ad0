"""What every "Your turn" checker owes a student: an explanation for any answer, never an exception.

Imported by the test files of the checkers (pytest puts ``tests/`` on the import path).
"""

import warnings

import numpy as np

from course_utils.checks import Check

#: Answers that are no answer at all: a checker must say why they are wrong, not raise.
ODD_ANSWERS = [None, 10**400, -(10**400), float("nan"), float("inf"), "0.3", "160", "", b"1", True, 1 + 2j, [], {},
               set(), object(), np.array([1.0, 2.0, 3.0]), np.zeros((2, 2)), np.array([np.nan, 1.0]), [10**400, 1.0],
               [None, None], ["1", "2"], [[1.0], [2.0, 3.0]], (1 + 2j, 0.0), np.array(["a", "b"]), print,
               {"A": 10**400, "B": None, "C": float("nan"), "D": ["bias"]}, {1: "bias", None: "variance"}]


def assert_explains(checker, answer) -> None:
    """``checker(answer)`` returns a failed :class:`Check` with a short message, and no NumPy warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = checker(answer)
    assert isinstance(result, Check) and not result and isinstance(result.message, str) and result.message
    assert len(result.message) < 400  # a huge answer is not printed in full

"""Tests of the "Your turn" result type and the shared number parsing (course_utils.checks)."""

import numpy as np
import pytest

from course_utils.checks import Check, as_number, check_number


@pytest.mark.parametrize("answer", [0.5, np.float32(0.5), np.float64(0.5), np.array(0.5), np.array([[0.5]]), [0.5]])
def test_as_number_accepts_one_real_number(answer):
    assert as_number(answer, name="x") == 0.5


@pytest.mark.parametrize("answer", [None, True, "0.5", b"1", [1.0, 2.0], np.array([]), 1j, float("nan"),
                                    float("inf"), 10**400, -10**400, np.array(["x"]), object(), [[1, 2], [3]]])
def test_as_number_explains_instead_of_raising(answer):
    result = as_number(answer, name="the loss")
    assert isinstance(result, Check) and not result and "the loss" in result.message


def test_check_number_refuses_huge_integers_and_keeps_its_behaviour():
    huge = check_number(10**400, 1.0, name="x")
    assert not huge and "larger than a float can hold" in huge.message and len(huge.message) < 120
    assert check_number(1.0, 1.0, name="x") and check_number("1", 1.0, name="x")  # as before: text is parsed
    assert not check_number(float("nan"), 1.0, name="x") and not check_number(None, 1.0, name="x")
    assert "is not 2" in check_number(2, 1.0, name="x").message

"""Checks on the package's source text that no behavioural test would catch directly."""

import ast
from pathlib import Path

import course_utils

PACKAGE = Path(course_utils.__file__).parent


def _unreachable(tree):
    """(line, what) of every statement that follows a return, raise, break or continue in the same block."""
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if not isinstance(block, list):
                continue
            for before, after in zip(block, block[1:]):
                if isinstance(before, (ast.Return, ast.Raise, ast.Break, ast.Continue)):
                    yield after.lineno, type(before).__name__.lower()


def test_the_checker_finds_a_statement_after_a_return():
    source = "def f(x):\n    return x\n    print(x)\n"
    assert list(_unreachable(ast.parse(source))) == [(3, "return")]


def test_no_statement_of_the_package_is_unreachable():
    # a line after a return never runs: the normalization explorer's audio player once sat after the return
    # of describe() and was never given the click
    found = [f"{path.relative_to(PACKAGE.parent)}:{line} follows a {what}"
             for path in sorted(PACKAGE.rglob("*.py"))
             for line, what in _unreachable(ast.parse(path.read_text(), str(path)))]
    assert not found, found

"""Worked solutions (course_utils.solutions): each passes its own checker, is revealed only after an attempt
(or at once for an instructor), and every "Your turn" checker cell of the notebooks has one."""

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

import course_utils
from course_utils import checks
from course_utils.checks import Check
from course_utils.solutions import SOLUTIONS, show_solution, solution_names

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("0*.ipynb"))
CHECK_CALL = re.compile(r"^(check_\w+)\(.*\)$", re.M)
YOUR_TURN = re.compile(r"^(#+ .*|\*\*)Your turn", re.M)  # an exercise's heading, not a mention of the word


def _checkers() -> dict:
    """Every checker that records attempts, by function name (from the modules' ``__all__``)."""
    found = {}
    for info in pkgutil.iter_modules(course_utils.__path__):
        module = importlib.import_module(f"course_utils.{info.name}")
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if name.startswith("check_") and hasattr(obj, "exercise"):
                found[name] = obj
    return found


CHECKERS = _checkers()


def _run(solution, *, with_check=True) -> dict:
    namespace = {**CHECKERS, **solution.context()}
    exec(solution.code, namespace)  # noqa: S102 - the package's own solution code
    if with_check:
        namespace["_result"] = eval(solution.check, namespace)  # noqa: S307
    return namespace


@pytest.fixture(autouse=True)
def _fresh_kernel(monkeypatch):
    """Each test starts as a new kernel: no attempts recorded, no instructor switch."""
    monkeypatch.setattr(checks, "_ATTEMPTED", set())
    monkeypatch.delenv("COURSE_INSTRUCTOR", raising=False)


@pytest.mark.parametrize("name", solution_names())
def test_solution_passes_its_checker(name):
    solution = SOLUTIONS[name]
    result = _run(solution)["_result"]
    assert isinstance(result, Check)
    assert result.correct, f"{name}: {result.message}"
    assert CHECKERS[solution.check.split("(")[0]].exercise == name


def _placeholder_statements(cell_lines, check_line) -> str:
    """The top-level statements of a checker cell that hold the placeholder ``None`` (the untouched answer)."""
    statements = []
    for line in cell_lines[:cell_lines.index(check_line)]:
        if not line.strip():
            continue
        if line[0] in " \t)]}" and statements:
            statements[-1].append(line)
        else:
            statements.append([line])
    return "\n".join("\n".join(lines) for lines in statements if "None" in "\n".join(lines))


@pytest.mark.parametrize("name", solution_names())
def test_untouched_cell_is_no_attempt_but_an_answer_is(name):
    """Running the untouched cell (the notebook's None) unlocks nothing ("Run all" reveals nothing); an answer does."""
    solution = SOLUTIONS[name]
    lines = [line.rstrip() for line in _notebook_cells()[solution.check]]
    placeholder = _placeholder_statements(lines, solution.check)
    assert "None" in placeholder, f"{name}: no placeholder in the notebook's checker cell"
    namespace = {**CHECKERS, **solution.context()}
    exec(placeholder, namespace)  # noqa: S102 - the notebook's own cell
    assert not eval(solution.check, namespace)  # noqa: S307
    assert not show_solution(name).revealed
    _run(solution)
    assert show_solution(name).revealed


def test_reveal_rule(monkeypatch):
    view = show_solution("n_frames")
    assert not view.revealed
    assert 'show_solution(\'n_frames\', now=True)' in view.markdown and "(22050 - 2048)" not in view.markdown
    assert show_solution("n_frames", now=True).revealed
    assert not show_solution("zscore").revealed  # revealing one exercise reveals no other
    course_utils.representations.check_n_frames(39, n_samples=22050, block_size=2048, hop_size=512)  # a wrong try
    shown = show_solution("n_frames")
    assert shown.revealed and "(22050 - 2048) // 512 + 1" in shown.markdown and "```python" in shown.markdown
    assert not show_solution("n_frames_centered").revealed
    monkeypatch.setenv("COURSE_INSTRUCTOR", "1")
    assert all(show_solution(name).revealed for name in solution_names())
    monkeypatch.setenv("COURSE_INSTRUCTOR", "0")
    assert not show_solution("zscore").revealed


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="name must be one of.*'n_frames'"):
        show_solution("n_frame")
    with pytest.raises(TypeError, match="name"):
        show_solution(3)
    with pytest.raises(TypeError, match="now"):
        show_solution("n_frames", now="yes")


def test_every_checker_has_a_solution_and_records_attempts():
    """A public ``check_*`` exercise checker without the attempt decorator or without a solution fails here."""
    plain = []
    for info in pkgutil.iter_modules(course_utils.__path__):
        module = importlib.import_module(f"course_utils.{info.name}")
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if (name.startswith("check_") and inspect.isfunction(obj)
                    and name not in ("check_number", "check_environment")):
                if not hasattr(obj, "exercise"):
                    plain.append(name)
    assert not plain, f"decorate with @records_attempt(...): {plain}"
    assert sorted(c.exercise for c in CHECKERS.values()) == sorted(solution_names())


def _notebook_cells() -> dict:
    """Each "Your turn" checker call line -> the lines of its notebook cell, over all notebooks."""
    cells = {}
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                for call in CHECK_CALL.findall(cell.source):
                    if call in CHECKERS:
                        line = next(l for l in cell.source.splitlines() if l.startswith(call + "("))
                        cells[line.strip()] = cell.source.splitlines()
    return cells


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_every_your_turn_has_a_solution(path):
    """Every checker cell of a notebook with "Your turn" exercises has a registered solution with the same
    checker call; the reveal cell right after it names that solution."""
    nb = nbformat.read(path, as_version=4)
    by_check = {s.check: s for s in SOLUTIONS.values()}
    sources = [cell.source for cell in nb.cells]
    has_your_turn = any(YOUR_TURN.search(s) for s in sources)
    exercise_cells = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
                      and any(call in CHECKERS for call in CHECK_CALL.findall(cell.source))]
    assert bool(exercise_cells) == has_your_turn
    for i in exercise_cells:
        line = next(l.strip() for l in nb.cells[i].source.splitlines()
                    if CHECK_CALL.match(l.strip()) and l.split("(")[0] in CHECKERS)
        assert line in by_check, f"{path.name}: no solution registered for the exercise cell {line!r}"
        solution = by_check[line]
        assert solution.notebook == path.name
        following = [c for c in nb.cells[i + 1:i + 3] if c.cell_type == "code"]
        assert following and f'show_solution("{solution.name}")' in following[0].source, \
            f"{path.name}: put a cell with show_solution({solution.name!r}) right after {line!r}"


def test_placeholder_rule():
    """What counts as the notebook's untouched placeholder (no attempt) and what as an answer."""
    def placeholder(z):
        return None   # replace with your implementation

    def forgot_return(z):
        np.exp(z)

    assert checks._untouched(None) and checks._untouched((None, None)) and checks._untouched(placeholder)
    assert checks._untouched({"frames": None, "mfcc": None}) and checks._untouched({"a": (None, None)})
    assert checks._untouched(lambda z: None)
    for answer in (0, 0.0, "", [], {}, (None, 3), {"frames": "Dense", "mfcc": None}, forgot_return, np.tanh,
                   np.array([1.0]), lambda z: z):
        assert not checks._untouched(answer), answer


def test_checker_does_not_run_the_answer_twice():
    """Deciding whether a function is an attempt never calls it: a print in it shows once, from the checker."""
    calls = []

    def my_relu_derivative(z):
        calls.append(1)
        return (np.asarray(z) > 0).astype(float)

    result = CHECKERS["check_relu_derivative"](my_relu_derivative)
    assert result.correct and "relu_derivative" in checks._ATTEMPTED
    reference_calls = len(calls)
    calls.clear()
    CHECKERS["check_relu_derivative"].__wrapped__(my_relu_derivative)
    assert len(calls) == reference_calls   # the decorator added no call


def test_records_attempt_names_real_parameters():
    def check_x(answer, sr):
        return checks.right("fine")

    with pytest.raises(ValueError, match=r"answers must name parameters of check_x\(answer, sr\), got \['answr'\]"):
        checks.records_attempt("x", "answr")(check_x)
    assert checks.records_attempt("x", "sr")(check_x)(None, 8000) and "x" in checks._ATTEMPTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_run_all_unlocks_nothing(path):
    """Each checker is called only in its own exercise cell, so no other cell of a "Run all" can count as a try
    (the exercise cell's placeholder is no try either: see test_untouched_cell_is_no_attempt_but_an_answer_is)."""
    calls = re.compile(r"\b(check_\w+)\s*\(")
    cells_calling, cells = {}, nbformat.read(path, as_version=4).cells
    for number, cell in enumerate(cells):
        if cell.cell_type == "code":
            for name in set(calls.findall(cell.source)) & set(CHECKERS):
                cells_calling.setdefault(name, []).append(number)
    several = {name: cells for name, cells in cells_calling.items() if len(cells) > 1}
    assert not several, f"{path.name}: checkers called in more than one cell (cell numbers): {several}"
    for name, (number,) in cells_calling.items():
        source = cells[number].source
        assert len(calls.findall(source)) == 1 and CHECK_CALL.search(source), \
            f"{path.name}: cell {number} should call {name} once, on a line of its own"

"""Project set-up: light import, setup_notebook, the environment file, clean notebooks, Colab cells."""

import json
import subprocess
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pytest
import yaml
from packaging.requirements import Requirement

import course_utils
from course_utils.notebook import current_settings, fast_mode, seed_everything, setup_notebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import nbsync  # noqa: E402


def test_importing_the_package_does_not_import_heavy_libraries():
    code = ("import sys, course_utils, course_utils.data, course_utils.widgets, course_utils.signals; "
            "heavy = [m for m in ('tensorflow', 'keras', 'audiomentations', 'albumentations', 'torch') if m in sys.modules]; "
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_topic_modules_do_not_import_tensorflow_either():
    modules = [p.stem for p in (ROOT / "course_utils").glob("*.py") if not p.stem.startswith("_")]
    code = ("import sys, importlib\n"
            f"for m in {modules!r}: importlib.import_module('course_utils.' + m)\n"
            "from course_utils.widgets import EXPLORERS; list(EXPLORERS)\n"
            "print([m for m in ('tensorflow', 'keras') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_setup_notebook_style_seed_and_presentation(monkeypatch):
    monkeypatch.delenv("COURSE_PRESENTATION", raising=False)
    settings = setup_notebook(seed=3)
    assert settings.seed == 3 and not settings.presentation and current_settings() is settings
    normal_font = matplotlib.rcParams["font.size"]
    first = np.random.rand(3)
    setup_notebook(seed=3)
    assert np.array_equal(np.random.rand(3), first)
    big = setup_notebook(presentation=True)
    assert big.presentation and matplotlib.rcParams["font.size"] > normal_font
    assert matplotlib.rcParams["figure.dpi"] > 90
    monkeypatch.setenv("COURSE_PRESENTATION", "1")
    assert setup_notebook().presentation
    monkeypatch.setenv("COURSE_PRESENTATION", "0")
    assert not setup_notebook().presentation
    assert matplotlib.rcParams["font.size"] == normal_font
    assert "seed=0" in repr(setup_notebook())
    with pytest.raises(TypeError, match="presentation"):
        setup_notebook(presentation="yes")
    with pytest.raises(ValueError, match="seed must be"):
        seed_everything(-1)


def test_fast_mode_switch(monkeypatch):
    monkeypatch.setenv("COURSE_FAST", "1")
    assert fast_mode()
    monkeypatch.setenv("COURSE_FAST", "0")
    assert not fast_mode()


def _names(requirements):
    return {Requirement(r).name.lower(): str(Requirement(r).specifier) for r in requirements}


def test_environment_file_names_every_dependency_with_the_same_range():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = _names(project["dependencies"] + project["optional-dependencies"]["test"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    listed = _names([r for r in pip_section if not r.startswith("-e")])
    assert listed == wanted
    assert "-e ." in pip_section, "Binder/conda must install the course package itself"
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert Requirement(project["requires-python"].join(["python", ""])).specifier.contains(python.split("=")[1] + ".0")


def test_notebooks_are_committed_clean_and_colab_cells_are_generated():
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks and notebooks[0].name == "00_start_here.ipynb"
    for path in notebooks:
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert not cell["outputs"] and cell["execution_count"] is None, f"{path.name} has outputs"
        first_code = next(c for c in nb["cells"] if c["cell_type"] == "code")
        assert "".join(first_code["source"]) == nbsync.colab_cell_source(), f"{path.name}: Colab cell out of date"
    assert nbsync.problems() == []


def test_colab_cell_installs_valid_requirements_on_colab_only(monkeypatch):
    import importlib.util
    import subprocess as sp

    calls = []
    monkeypatch.setattr(sp, "run", lambda args, **kwargs: calls.append(args))
    exec(nbsync.colab_cell_source(), {})
    assert calls == [], "outside Colab the cell must do nothing"

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: object() if name == "google.colab" else real_find_spec(name, *a))
    exec(nbsync.colab_cell_source(), {})
    (args,) = calls
    assert args[:4] == [sys.executable, "-m", "pip", "install"]
    requirements = [Requirement(arg) for arg in args[4:] if not arg.startswith("-")]
    assert {r.name for r in requirements} == {"audiomentations", "albumentations", "course-utils"}
    package = next(r for r in requirements if r.name == "course-utils")
    assert package.url.startswith("git+" + course_utils.REPO_URL)


def test_readme_links_every_notebook_to_colab_and_binder():
    readme = (ROOT / "README.md").read_text()
    for path in nbsync.notebook_paths():
        assert nbsync.colab_url(path) in readme
    assert "mybinder.org/badge_logo.svg" in readme and nbsync.binder_url() in readme
    assert "make lab" in readme and "make test" in readme


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [line.strip() for line in ci.splitlines() if line.strip() and not line.startswith("#")]
    assert commands[-1] == "make test"


def test_every_notebook_uses_one_explicit_import_cell():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        sources = ["".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]
        text = "\n".join(sources)
        assert "import *" not in text and "sys.path" not in text, path.name
        assert "setup_notebook(" in text, f"{path.name} must call setup_notebook()"


def test_nothing_large_or_generated_is_tracked():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert not [t for t in tracked if t.endswith((".wav", ".ogg", ".mp3", ".flac", ".npz", ".h5", ".keras"))]

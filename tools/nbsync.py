"""Keep the notebooks consistent with the one place that knows the repository's URL.

    python tools/nbsync.py sync [NOTEBOOK ...]  # rewrite Colab cells, strip outputs, refresh README links
    python tools/nbsync.py check   # exit 1 (and say what differs) if anything is out of date

The first code cell of every notebook is generated from ``course_utils/_project.py`` (``REPO_URL``,
``REPO_BRANCH``, ``COLAB_EXTRA_PACKAGES``); so is the table of Colab links in ``README.md`` between the
``<!-- notebooks:start -->`` and ``<!-- notebooks:end -->`` markers.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
README = ROOT / "README.md"
COLAB_TAG = "colab-setup"
START, END = "<!-- notebooks:start -->", "<!-- notebooks:end -->"


def _project():
    namespace: dict = {}
    exec((ROOT / "course_utils" / "_project.py").read_text(), namespace)  # no import: works before install
    return namespace


def colab_cell_source() -> str:
    """The first code cell of every notebook: set-up on Google Colab, nothing elsewhere."""
    p = _project()
    packages = ", ".join(f'"{pkg}"' for pkg in p["COLAB_EXTRA_PACKAGES"])
    return (
        "# Google Colab only: install this course's package and what Colab lacks (takes about a minute).\n"
        "# On your own machine or on Binder this cell does nothing: `make lab` installed everything.\n"
        "import importlib.util, subprocess, sys\n"
        'if importlib.util.find_spec("google.colab") is not None:\n'
        f'    subprocess.run([sys.executable, "-m", "pip", "install", "-q", {packages},\n'
        f'                    "course-utils @ git+{p["REPO_URL"]}@{p["REPO_BRANCH"]}"], check=True)'
    )


def notebook_paths() -> list[Path]:
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def colab_url(path: Path) -> str:
    p = _project()
    repo = p["REPO_URL"].removeprefix("https://github.com/")
    return f"https://colab.research.google.com/github/{repo}/blob/{p['REPO_BRANCH']}/notebooks/{path.name}"


def binder_url() -> str:
    p = _project()
    repo = p["REPO_URL"].removeprefix("https://github.com/")
    return f"https://mybinder.org/v2/gh/{repo}/{p['REPO_BRANCH']}?urlpath=lab/tree/notebooks/00_start_here.ipynb"


def notebook_title(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, flags=re.M)
            if match:
                return match.group(1).strip()
    return "(untitled)"


def readme_table() -> str:
    lines = [START, "| notebook | topic | open in Colab |", "|---|---|---|"]
    for path in notebook_paths():
        nb = nbformat.read(path, as_version=4)
        badge = f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab_url(path)})"
        lines.append(f"| [`{path.name}`](notebooks/{path.name}) | {notebook_title(nb)} | {badge} |")
    lines.append(END)
    return "\n".join(lines)


def clean(nb) -> None:
    """Strip outputs, execution counts and volatile metadata."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        for key in ("execution", "collapsed", "scrolled", "jupyter"):
            cell.metadata.pop(key, None)
    nb.metadata.pop("widgets", None)


def synced(nb):
    """The notebook with its Colab cell in place (first code cell, tagged ``colab-setup``) and clean."""
    nb = nbformat.from_dict(nb)
    source = colab_cell_source()
    tagged = [c for c in nb.cells if COLAB_TAG in c.metadata.get("tags", [])]
    if tagged:
        tagged[0].source = source
    else:
        cell = nbformat.v4.new_code_cell(source, metadata={"tags": [COLAB_TAG]})
        first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), len(nb.cells))
        nb.cells.insert(first_code, cell)
    clean(nb)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    return nb


def problems() -> list[str]:
    found = []
    for path in notebook_paths():
        nb = nbformat.read(path, as_version=4)
        if nbformat.writes(synced(nb)) != nbformat.writes(nb):
            found.append(f"{path.relative_to(ROOT)}: Colab cell, outputs or metadata out of date")
    text = README.read_text()
    if START in text and END in text:
        current = text[text.index(START): text.index(END) + len(END)]
        if current != readme_table():
            found.append("README.md: the notebook table is out of date")
    else:
        found.append(f"README.md: missing the markers {START} / {END}")
    return found


def sync(paths=None) -> None:
    for path in [Path(p).resolve() for p in paths] if paths else notebook_paths():
        nb = nbformat.read(path, as_version=4)
        new = synced(nb)
        nbformat.validate(new)
        if nbformat.writes(new) != nbformat.writes(nb):
            nbformat.write(new, path)
            print(f"updated {path.relative_to(ROOT)}")
    text = README.read_text()
    if START in text and END in text:
        new_text = text[: text.index(START)] + readme_table() + text[text.index(END) + len(END):]
        if new_text != text:
            README.write_text(new_text)
            print("updated README.md")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "sync":
        sync(sys.argv[2:])
    elif command == "check":
        issues = problems()
        print("\n".join(issues) if issues else "notebooks and README are in sync")
        sys.exit(1 if issues else 0)
    else:
        sys.exit("usage: python tools/nbsync.py [sync|check]")

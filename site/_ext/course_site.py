"""The course site's own Sphinx extension (``site/conf.py`` loads it).

* Every notebook page starts with a line of launch links (Binder and Colab, for that notebook); the
  placeholders that ``site/kernel_startup.py`` leaves in explorers' and live-only widgets' static views
  get the same links.
* MathJax 3 (the files of the ``sphinx-mathjax-offline`` wheel) is copied into ``_static/mathjax``, so the
  pages typeset their formulas without fetching anything.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from course_utils._project import REPO_BRANCH, REPO_URL

LAUNCH_PLACEHOLDER = '<span class="course-launch"></span>'
#: What of MathJax a page loads: the TeX-to-SVG component and what it may load later (TeX extensions on
#: first use, the menu's accessibility parts).
MATHJAX_PARTS = ("tex-svg.js", "input", "output/svg", "output/svg.js", "ui", "a11y", "sre", "adaptors")


def binder_url(notebook: str) -> str:
    """Binder's JupyterLab on ``notebooks/<notebook>`` of the course's repository and branch."""
    repo = REPO_URL.removeprefix("https://github.com/")
    return f"https://mybinder.org/v2/gh/{repo}/{REPO_BRANCH}?urlpath=lab/tree/notebooks/{notebook}"


def colab_url(notebook: str) -> str:
    """Google Colab on ``notebooks/<notebook>`` (the same link as the README's, see ``tools/nbsync.py``)."""
    repo = REPO_URL.removeprefix("https://github.com/")
    return f"https://colab.research.google.com/github/{repo}/blob/{REPO_BRANCH}/notebooks/{notebook}"


def launch_links(notebook: str) -> str:
    return (f'<a class="course-launch-binder reference external" href="{binder_url(notebook)}">Binder</a> · '
            f'<a class="course-launch-colab reference external" href="{colab_url(notebook)}">Colab</a>')


def _page_context(app, pagename, templatename, context, doctree):
    if not pagename.startswith("notebooks/") or "body" not in context:
        return
    notebook = pagename.removeprefix("notebooks/") + ".ipynb"
    links = launch_links(notebook)
    banner = (f'<p class="course-launch-banner">Run this notebook yourself and move the sliders: '
              f'{links} (or <code>make lab</code> in a clone).</p>')
    context["body"] = banner + context["body"].replace(LAUNCH_PLACEHOLDER, links)


def _mathjax_folder() -> Path:
    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or spec.origin is None:
        raise RuntimeError("the package sphinx-mathjax-offline is missing: pip install -e '.[test]'")
    return Path(spec.origin).parent / "static" / "mathjax"


def _copy_mathjax(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    source, target = _mathjax_folder(), Path(app.outdir) / "_static" / "mathjax"
    for part in MATHJAX_PARTS:
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part, dirs_exist_ok=True)
        else:
            target.joinpath(part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / part, target / part)


def setup(app):
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _copy_mathjax)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}

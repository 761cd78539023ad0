"""Sphinx configuration of the course's website (``make site``; ``tools/build_site.py`` runs Sphinx with it).

Sphinx + MyST-NB + the book theme (the engine of Jupyter Book 1.x, used directly): MyST-NB executes every
notebook on a fresh kernel and keeps the executed outputs in a jupyter-cache database, so a rebuild
executes only the notebooks whose code changed. The build script stages the sources (this folder's pages,
the notebooks, the generated names and licences pages) and says, in ``COURSE_FAST``, which mode the
notebooks run in; the footer says it too.
"""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

SITE = Path(__file__).resolve().parent
sys.path.insert(0, str(SITE / "_ext"))
sys.path.insert(0, str(SITE.parent))

from course_utils._project import REPO_BRANCH, REPO_URL, __version__  # noqa: E402

FAST = os.environ.get("COURSE_FAST", "0") == "1"
BUILD = Path(os.environ.get("COURSE_SITE_BUILD", SITE / "_build" / ("fast" if FAST else "full")))

project = "Deep Learning for Audio — Fundamentals"
author = "the course's authors"
copyright = f"{datetime.date.today().year}, the course's authors; code MIT, recordings under their own licences"
version = release = __version__

extensions = ["myst_nb", "sphinx.ext.mathjax", "course_site"]
root_doc = "index"
exclude_patterns = ["_build", "**/.ipynb_checkpoints"]
language = "en"
# printed reprs such as "Compose([Shift(±100 ms, ...)])" are not Python: plain text is fine for them
suppress_warnings = ["misc.highlighting_failure"]

# ---- MyST and the notebooks
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
nb_execution_mode = "cache"
nb_execution_cache_path = os.environ.get("COURSE_SITE_CACHE", str(BUILD / "jupyter_cache"))
nb_execution_timeout = 1800  # seconds per cell: the full-mode trainings of notebook 06 take minutes
nb_execution_raise_on_error = True  # a cell that fails fails the build (with its traceback)
nb_execution_show_tb = True
nb_merge_streams = True
# Widget views need a kernel: the pages show the static views that site/kernel_startup.py adds as text/html.
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
nb_ipywidgets_js = {}  # no widget manager fetched from a CDN: nothing on a page comes from elsewhere

# ---- maths: MathJax 3 from the sphinx-mathjax-offline wheel, copied into _static (course_site.py), SVG output
# (glyphs drawn as paths, so no web fonts are needed, even from file://)
mathjax_path = "mathjax/tex-svg.js"

# ---- HTML
html_theme = "sphinx_book_theme"
html_title = "Deep Learning for Audio — Fundamentals"
html_static_path = [str(SITE / "_static")]
html_css_files = ["course.css"]
html_last_updated_fmt = "%Y-%m-%d"
# the download button offers each page's source: for a notebook, the .ipynb as committed (without outputs)
html_copy_source = True
html_sourcelink_suffix = ""
html_show_sourcelink = False
_mode = ("fast mode (<code>COURSE_FAST=1</code>: fewer epochs and smaller runs than a student's run, so trained "
         "numbers differ from a full run)" if FAST else "full mode, as a student runs them")
html_theme_options = {
    "repository_url": REPO_URL,
    "repository_branch": REPO_BRANCH,
    "path_to_docs": "",
    "use_repository_button": True,
    "use_download_button": True,
    "launch_buttons": {
        "binderhub_url": "https://mybinder.org",
        "colab_url": "https://colab.research.google.com",
        "notebook_interface": "jupyterlab",
    },
    "show_navbar_depth": 1,
    "extra_footer": (f"<p class='course-footer'>Every notebook was executed top to bottom on a fresh kernel, in "
                     f"{_mode}; pages built on {datetime.date.today().isoformat()}. Explorers appear as the picture their "
                     f"controls give; launch the notebook to move them. Recordings keep their own licences (see "
                     f"the page on data licences).</p>"),
}

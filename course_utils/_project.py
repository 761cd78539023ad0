"""Facts about the project that more than one place needs (kept here, and only here)."""

__version__ = "0.1.0"

#: The public home of the course. The Colab cell of every notebook and the README's links are
#: generated from this value (``make clean-notebooks``, i.e. ``tools/nbsync.py sync``), and a test checks
#: that they agree with it.
REPO_URL = "https://github.com/audio-dl-course/dl4audio-fundamentals"

#: Branch that Binder and Colab open.
REPO_BRANCH = "main"

#: Packages a fresh Google Colab runtime lacks; installed by each notebook's first cell.
COLAB_EXTRA_PACKAGES = ("audiomentations>=0.40,<0.44", "albumentations>=2.0,<2.1")

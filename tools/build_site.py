"""Build the course's website: every notebook executed on a fresh kernel and rendered as a static page.

    python tools/build_site.py            # full mode, as a student runs them (make site)
    python tools/build_site.py --fast     # COURSE_FAST=1: the training notebooks use fewer epochs (CI)
    python tools/build_site.py --build-dir DIR   # somewhere else than site/_build/<mode>/

The pages go to ``<build dir>/html/`` (``index.html`` is the home page); they work from ``file://`` and from
any static web server (``make site-preview``). Steps:

1. stage the sources in ``<build dir>/src/``: ``site/index.md``, the notebooks (copied only when changed, so
   Sphinx re-reads only those), a names page made from notebook 00's table of names, and a licences page
   that includes ``data/README.md``;
2. write an IPython profile whose start-up file loads ``site/kernel_startup.py`` into each executing kernel
   (static views of the widgets, see there);
3. run Sphinx with ``site/conf.py``. MyST-NB executes each notebook whose code changed since the last
   build in this folder (jupyter-cache in ``<build dir>/jupyter_cache-<digest>``) and reuses the outputs of
   the others; a change to ``course_utils`` executes them all again (the digest is the package's). A cell that
   fails fails the build, as does any Sphinx warning.

Fast and full builds live in separate folders, so a page never shows outputs of the other mode.
"""

from __future__ import annotations

import argparse
import dataclasses
import filecmp
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
sys.path.insert(0, str(Path(__file__).resolve().parent))

import nbsync  # noqa: E402

NAMES_HEADING = "## Names used throughout the course"
DATA_README_MARK = "<!-- data/README.md is inserted here by tools/build_site.py -->"


class SiteError(RuntimeError):
    """The site cannot be built (the message says why)."""


def default_build_dir(fast: bool) -> Path:
    return SITE / "_build" / ("fast" if fast else "full")


def code_digest() -> str:
    """A digest of the code the notebooks run besides their own cells: the course's package (Python, JavaScript,
    registries) and the site's kernel start-up. jupyter-cache keys outputs on a notebook's code cells only, so
    the cache folder carries this digest in its name: a change to the package executes every notebook again."""
    digest = hashlib.sha256()
    files = sorted(p for p in (ROOT / "course_utils").rglob("*") if p.suffix in (".py", ".js", ".txt"))
    for path in [*files, SITE / "kernel_startup.py"]:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def cache_dir(build_dir: Path) -> Path:
    """The jupyter-cache folder of ``build_dir`` for the current code (see :func:`code_digest`)."""
    return Path(build_dir) / f"jupyter_cache-{code_digest()}"


def names_page() -> str:
    """The names table (lecture symbol -> code name), taken from notebook 00 where the course introduces it."""
    nb = nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith(NAMES_HEADING):
            body = cell.source.lstrip()[len(NAMES_HEADING):].strip()
            return ("# Names: lecture symbols in code\n\n"
                    "This table comes from [00 · Start here](notebooks/00_start_here.ipynb), where the course "
                    "introduces it.\n\n" + body + "\n")
    raise SiteError(f"notebook 00 has no markdown cell starting with {NAMES_HEADING!r}: the names page needs it")


def licences_page() -> str:
    """``site/licences.md`` with ``data/README.md`` inserted (its headings one level down)."""
    template = (SITE / "licences.md").read_text()
    if DATA_README_MARK not in template:
        raise SiteError(f"site/licences.md lacks the line {DATA_README_MARK!r}")
    data = (ROOT / "data" / "README.md").read_text()
    data = re.sub(r"^# .*\n", "", data, count=1)  # its title ("Data"): the page has its own
    return template.replace(DATA_README_MARK, data.strip() + "\n\n" + librosa_credits())


def librosa_credits() -> str:
    """A section crediting each librosa example recording the course offers (``course_utils.data.EXAMPLES``):
    title, source and licence, as ``librosa.util.example_info`` gives them (from librosa's data folder, where
    ``LIBROSA_DATA_DIR`` points; downloaded there once if missing)."""
    import contextlib
    import io

    import librosa

    from course_utils.data import EXAMPLES

    lines = ["## librosa's example recordings, one by one", "",
             "The recordings that the notebooks and their explorers can load, with the credit each one asks for:", ""]
    for key, description in EXAMPLES.items():
        text = io.StringIO()
        try:
            with contextlib.redirect_stdout(text):
                librosa.util.example_info(key)
        except Exception as error:  # noqa: BLE001 - pooch/network/IO errors alike: the page cannot credit it
            raise SiteError(f"no credits for librosa's example {key!r} ({error}); set LIBROSA_DATA_DIR to a folder "
                            f"that holds librosa's examples, or build once with internet access") from error
        info = [line.strip() for line in text.getvalue().splitlines()]
        title = info[0].split("\t", 1)[-1].strip() if info else key
        body = " ".join(line for line in info[2:] if line)  # after the title line and its row of dashes
        body = body.removeprefix(title).strip()
        lines.append(f"- `{key}`, {description}: **{title}**. {body}")
    return "\n".join(lines) + "\n"


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def stage(src: Path, notebooks: list[Path] | None = None) -> list[str]:
    """Lay out the site's sources in ``src`` (the course's notebooks, or ``notebooks``); returns their names."""
    (src / "notebooks").mkdir(parents=True, exist_ok=True)
    notebooks = nbsync.notebook_paths() if notebooks is None else [Path(path) for path in notebooks]
    if not notebooks:
        raise SiteError("no notebooks found in notebooks/")
    for path in notebooks:
        target = src / "notebooks" / path.name
        if not target.exists() or not filecmp.cmp(path, target, shallow=False):
            shutil.copy2(path, target)
    wanted = {path.name for path in notebooks}
    for stale in (src / "notebooks").glob("*.ipynb"):
        if stale.name not in wanted:
            stale.unlink()
    _write_if_changed(src / "index.md", (SITE / "index.md").read_text())
    _write_if_changed(src / "names.md", names_page())
    _write_if_changed(src / "licences.md", licences_page())
    return sorted(wanted)


def write_kernel_profile(ipython_dir: Path) -> None:
    """An IPython profile whose start-up file loads site/kernel_startup.py into every kernel."""
    startup = ipython_dir / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-course-site.py").write_text(
        "# Written by tools/build_site.py: static views of widgets for the course's website.\n"
        f"import sys\nsys.path.insert(0, {str(SITE)!r})\n"
        "import kernel_startup\nkernel_startup.install()\ndel sys.path[0]\n")


@dataclasses.dataclass
class SiteBuild:
    """What :func:`build` did: the folder of the pages, the jupyter-cache folder the outputs came from, the wall
    time in seconds, and Sphinx's messages."""

    html: Path
    cache: Path
    seconds: float
    log: str

    @property
    def executed(self) -> list[str]:
        """The notebooks that this build executed (the others' outputs came from the cache)."""
        return sorted(set(re.findall(r"notebooks/(\S+?\.ipynb): Executing notebook", self.log)))


def build(build_dir: Path | None = None, *, fast: bool = False, quiet: bool = False,
          notebooks: list[Path] | None = None, cache: Path | None = None) -> SiteBuild:
    """Build the site into ``build_dir`` (default ``site/_build/<mode>``) from the course's notebooks (or
    ``notebooks``, for tests); ``quiet`` keeps Sphinx's messages off the terminal (they are in the result).

    ``cache``: the jupyter-cache folder; by default :func:`cache_dir` (named after the code's digest), and the
    folders of earlier digests are removed. A test passes the folder of its first build, so that its later
    builds compare notebooks with that one even when ``course_utils`` is edited meanwhile.
    """
    build_dir = Path(build_dir or default_build_dir(fast)).resolve()
    src, html = build_dir / "src", build_dir / "html"
    stage(src, notebooks)
    write_kernel_profile(build_dir / "ipython")
    if cache is None:
        cache = cache_dir(build_dir)
        for old in build_dir.glob("jupyter_cache*"):
            if old != cache:
                shutil.rmtree(old)  # outputs of code that has changed since
    cache = Path(cache).resolve()
    env = {**os.environ,
           "COURSE_FAST": "1" if fast else "0",
           "COURSE_SITE_BUILD": str(build_dir),
           "COURSE_SITE_CACHE": str(cache),
           "IPYTHONDIR": str(build_dir / "ipython"),
           # a kernel needs the inline backend (pytest's MPLBACKEND=Agg would hide every figure)
           "MPLBACKEND": "module://matplotlib_inline.backend_inline",
           "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-c", str(SITE), "-d", str(build_dir / "doctrees"),
               "-W", "--keep-going", "-j", "1", str(src), str(html)]
    start = time.perf_counter()
    lines = []
    with subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, errors="replace") as sphinx:
        for line in sphinx.stdout:
            lines.append(line)
            if not quiet:
                print(line, end="", flush=True)
    log = "".join(lines)
    if sphinx.returncode:
        tail = "" if not quiet else "\n" + "".join(lines[-60:])
        raise SiteError(f"Sphinx failed (exit {sphinx.returncode}); see its messages{tail}")
    result = SiteBuild(html, cache, time.perf_counter() - start, log)
    print(f"site built in {result.seconds:.0f} s ({'fast' if fast else 'full'} mode; executed "
          f"{len(result.executed)} notebook(s), the others from the cache): {html / 'index.html'}")
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fast", action="store_true", help="run the notebooks with COURSE_FAST=1 (fewer epochs)")
    parser.add_argument("--build-dir", type=Path, default=None, help="default: site/_build/full (or fast)")
    args = parser.parse_args(argv)
    try:
        build(args.build_dir, fast=args.fast)
    except SiteError as error:
        print(f"build_site: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The course as a website (``make site``): built here in fast mode (``COURSE_FAST=1``), then read as files and
opened page by page in Chromium, from ``file://`` and from ``python -m http.server``.

The module builds the site once, from scratch, in a temporary folder: all seven notebooks on fresh kernels
(9-15 minutes on the 2 shared cores it was written on, a third of it notebook 06); a copy of that build with one
changed code cell executes only that notebook. The checkers (which resources a page fetches, broken links, the
in-page checks of pictures, sounds, formulas and tracebacks) are also run on pages made to fail them.
Nothing here is timed."""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "site"))

import build_site  # noqa: E402
import jupyter_browser as jb  # noqa: E402
import kernel_startup  # noqa: E402

from course_utils._project import REPO_BRANCH, REPO_URL  # noqa: E402

NOTEBOOKS = sorted(path.name for path in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
REPO = REPO_URL.removeprefix("https://github.com/")


#: A folder to build the site in instead of a new temporary one, for working on the site: its cache then
#: spares the executions (set it to ``site/_build/fast`` to test what ``tools/build_site.py --fast`` built).
REUSE = "COURSE_SITE_TEST_BUILD_DIR"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site built in fast mode (from scratch unless ``$COURSE_SITE_TEST_BUILD_DIR`` names a folder);
    returns (build result, build folder)."""
    build_dir = Path(os.environ[REUSE]) if os.environ.get(REUSE) else tmp_path_factory.mktemp("site")
    try:
        result = build_site.build(build_dir, fast=True, quiet=True)
    except build_site.SiteError as error:
        pytest.fail(str(error))
    return result, build_dir


def _pages(html: Path) -> list[Path]:
    return sorted(path for path in html.rglob("*.html") if "_static" not in path.relative_to(html).parts)


def _notebook_page(html: Path, notebook: str) -> str:
    return (html / "notebooks" / notebook.replace(".ipynb", ".html")).read_text()


class _Links(HTMLParser):
    """Every href/src of a page, by tag, with the tag's ``rel`` (empty when it has none)."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src"):
            if attrs.get(name) is not None:
                self.found.append((tag, name, attrs[name], (attrs.get("rel") or "").lower()))


def _links(text: str) -> list[tuple[str, str, str, str]]:
    parser = _Links()
    parser.feed(text)
    return parser.found


#: ``<link rel=...>`` values that make a browser fetch the target (the others are navigation: next, search, ...)
_FETCHING_RELS = {"stylesheet", "icon", "shortcut", "preload", "prefetch", "modulepreload", "manifest",
                  "apple-touch-icon", "mask-icon"}
_CSS_REMOTE = re.compile(r"""@import\s+(?:url\()?\s*['"]?\s*(?:https?:)?//|url\(\s*['"]?\s*(?:https?:)?//""", re.I)


def _remote(value: str) -> bool:
    """Whether a URL points elsewhere than the site (any scheme but ``data:``, or protocol-relative)."""
    value = value.strip()
    return value.startswith("//") or (bool(urlparse(value).scheme) and not value.startswith("data:"))


def outside_resources(text: str) -> list[str]:
    """What a page would fetch from elsewhere when shown: scripts, styles, icons, images, media, frames (links
    that a reader follows, ``<a href>`` and navigation ``<link>``s, do not count), and CSS in ``<style>``."""
    found = []
    for tag, attr, value, rel in _links(text):
        if tag == "a" or (tag == "link" and not _FETCHING_RELS & set(rel.split())):
            continue
        if _remote(value):
            found.append(f"<{tag} {attr}={value}>")
    for style in re.findall(r"<style[^>]*>(.*?)</style>", text, flags=re.S | re.I):
        found += [f"<style> {m.group(0)}" for m in _CSS_REMOTE.finditer(style)]
    return found


def outside_in_css(text: str) -> list[str]:
    """``@import`` or ``url()`` of a style sheet that points elsewhere (web fonts from a CDN, ...)."""
    return [m.group(0) for m in _CSS_REMOTE.finditer(text)]


def broken_links(targets: list[tuple[str, str]], anchors: dict[str, set], html: Path) -> list[str]:
    """Of ``(page, file:// URL)`` pairs, those whose file is missing or whose ``#fragment`` names no element
    of the target page (``anchors``: the ids of every page, by its path under ``html``)."""
    broken = []
    for source, link in targets:
        parsed = urlparse(link)
        target = Path(unquote(parsed.path))
        if not target.exists():
            broken.append(f"{source}: {link} (no such file)")
        elif target.is_dir() and not (target / "index.html").is_file():
            broken.append(f"{source}: {link} (a folder without index.html)")
        elif parsed.fragment and target.suffix == ".html":
            name = target.relative_to(html).as_posix() if target.is_relative_to(html) else target.name
            if unquote(parsed.fragment) not in anchors.get(name, set()):
                broken.append(f"{source}: {link} (no such anchor)")
    return broken


# ------------------------------------------------------------------------------------------------ the files

def test_every_notebook_executed_once_with_the_fast_mode_footer(site):
    result, build_dir = site
    if not os.environ.get(REUSE):
        assert result.executed == NOTEBOOKS, "a fresh build executes every notebook"
    for notebook in NOTEBOOKS:
        page = _notebook_page(result.html, notebook)
        assert "fast mode" in page and "COURSE_FAST=1" in page, f"{notebook}: the footer must name the mode"
        executed = _executed(result, build_dir, notebook)
        code = [cell for cell in executed.cells if cell.cell_type == "code"]
        assert all(cell.execution_count for cell in code), f"{notebook}: a code cell was not executed"


def test_table_of_contents_in_lecture_order_with_previous_and_next(site):
    html = site[0].html
    index = (html / "index.html").read_text()
    order = [m for m in re.findall(r'href="notebooks/(\d\d_[a-z_]+)\.html"', index)]
    assert list(dict.fromkeys(order)) == [n.removesuffix(".ipynb") for n in NOTEBOOKS]
    for i, notebook in enumerate(NOTEBOOKS):
        page = _notebook_page(html, notebook)
        prev_link = re.search(r'<a class="left-prev"\s+href="([^"]+)"', page)
        next_link = re.search(r'<a class="right-next"\s+href="([^"]+)"', page)
        expected_prev = "../index.html" if i == 0 else NOTEBOOKS[i - 1].replace(".ipynb", ".html")
        assert prev_link and prev_link.group(1) == expected_prev, f"{notebook}: previous link"
        expected_next = NOTEBOOKS[i + 1].replace(".ipynb", ".html") if i + 1 < len(NOTEBOOKS) else "../names.html"
        assert next_link and next_link.group(1) == expected_next, f"{notebook}: next link"


def test_launch_links_for_binder_and_colab_on_every_notebook_page(site):
    for notebook in NOTEBOOKS:
        page = _notebook_page(site[0].html, notebook)
        binder = f"https://mybinder.org/v2/gh/{REPO}/{REPO_BRANCH}?urlpath=lab/tree/notebooks/{notebook}"
        colab = f"https://colab.research.google.com/github/{REPO}/blob/{REPO_BRANCH}/notebooks/{notebook}"
        hrefs = {value for _, _, value, _ in _links(page)}
        assert binder in hrefs and colab in hrefs, f"{notebook}: launch links missing"
        assert kernel_startup.LAUNCH_PLACEHOLDER not in page, f"{notebook}: a launch placeholder was left"


def test_explorers_appear_as_pictures_with_their_controls(site):
    html = site[0].html
    for notebook in NOTEBOOKS:
        nb = nbformat.read(site[1] / "src" / "notebooks" / notebook, as_version=4)  # what the build read
        source = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")
        wanted = set(re.findall(r'EXPLORERS\["(\w+)"\]\(', source))
        page = _notebook_page(html, notebook)
        views = re.findall(r'<div class="course-static course-static-explorer" data-explorer="(\w+)">(.*?)'
                           r'<p class="course-static-controls">(.*?)</p>', page, flags=re.S)
        assert wanted <= {name for name, _, _ in views}, f"{notebook}: explorers without a static view"
        for name, _, line in views:
            assert "Binder" in line and "Colab" in line, f"{notebook}: {name}'s controls line has no launch links"
        for name in wanted:
            start = page.index(f'data-explorer="{name}"')
            assert 'class="course-static-picture' in page[start:start + 400_000], f"{notebook}: {name} has no picture"


def test_tone_explorer_shows_its_state_after_the_last_cell(site):
    """Notebook 00 sets the tone explorer to 1000 Hz two cells after displaying it: the page shows 1000 Hz."""
    page = _notebook_page(site[0].html, "00_start_here.ipynb")
    view = page[page.index('data-explorer="tone"'):]
    line = re.search(r'<p class="course-static-controls">(.*?)</p>', view, flags=re.S).group(1)
    assert "<b>frequency (Hz)</b> 1000" in line, line


def test_names_and_licences_pages(site):
    html = site[0].html
    names = (html / "names.html").read_text()
    for code_name in ("block_size", "hop_size", "n_frames", "patch_length", "learning_rate"):
        assert f"<code class=\"docutils literal notranslate\"><span class=\"pre\">{code_name}</span></code>" in names
    licences = (html / "licences.html").read_text()
    for fact in ("CC BY-SA 4.0", "Zohar Jackson", "MIT", "MathJax", "librosa", "Mihai Sorohan", "LibriSpeech SLR12",
                 "CC-BY 4.0"):
        assert fact in licences, fact


def test_pages_load_nothing_from_elsewhere(site):
    """Scripts, styles, fonts, images, media: every resource is a file of the site or a data: URI."""
    html = site[0].html
    pages = _pages(html)
    assert pages
    for page in pages:
        assert not outside_resources(page.read_text()), f"{page.name}: {outside_resources(page.read_text())[:3]}"
    sheets = sorted(html.rglob("*.css"))
    assert sheets
    for sheet in sheets:
        assert not outside_in_css(sheet.read_text(errors="replace")), f"{sheet}: {outside_in_css(sheet.read_text())}"
    mathjax = html / "_static" / "mathjax" / "tex-svg.js"
    assert mathjax.is_file(), "MathJax is not bundled"
    assert "_static/mathjax/tex-svg.js" in _notebook_page(html, NOTEBOOKS[1]), "a page with formulas lacks MathJax"


def test_the_file_checkers_catch_a_bad_page(tmp_path):
    """The checkers above on pages built to fail them: each problem is reported, a good page passes."""
    bad = ('<html><head><script src="https://cdn.example.org/mathjax.js"></script>'
           '<link rel="stylesheet" href="//fonts.example.org/css">'
           '<link rel="next" href="https://example.org/next.html">'
           '<style>@import url("https://fonts.example.org/font.css");</style></head>'
           '<body><img src="http://example.org/a.png"><audio src="https://example.org/a.wav"></audio>'
           '<a href="https://example.org/">a link to follow</a></body></html>')
    found = outside_resources(bad)
    assert len(found) == 5, found
    assert not any("next.html" in item or "a link to follow" in item for item in found)
    good = ('<html><head><script src="_static/mathjax/tex-svg.js"></script><link rel="stylesheet" '
            'href="_static/course.css"><link rel="search" href="search.html"></head><body>'
            '<img src="data:image/png;base64,AAAA"><a href="https://mybinder.org/">Binder</a></body></html>')
    assert outside_resources(good) == []
    assert outside_in_css("@font-face { src: url(https://fonts.example.org/a.woff2) }") != []
    assert outside_in_css('@import "//fonts.example.org/b.css";') != []
    assert outside_in_css("@font-face { src: url(../webfonts/fa.woff2) } a { background: url('data:x') }") == []

    (tmp_path / "a.html").write_text("")
    anchors = {"a.html": {"intro"}}
    (tmp_path / "_sources").mkdir()
    targets = [("p", (tmp_path / "a.html").as_uri() + "#intro"), ("p", (tmp_path / "a.html").as_uri() + "#gone"),
               ("p", (tmp_path / "missing.html").as_uri()), ("p", (tmp_path / "_sources").as_uri() + "/")]
    broken = broken_links(targets, anchors, tmp_path)
    assert len(broken) == 3 and "#gone" in broken[0] and "missing.html" in broken[1] and "folder" in broken[2], broken


def test_a_changed_code_cell_reexecutes_only_its_notebook(site, tmp_path):
    """A copy of the build (its cache included) rebuilt with one code cell of notebook 00 changed: jupyter-cache
    finds the six others unchanged, so only notebook 00 runs, and its page shows the new output. The copy
    leaves the module's build as it was for the other tests."""
    result, build_dir = site
    copy = tmp_path / "build"
    shutil.copytree(build_dir, copy, symlinks=True)
    # the notebooks as the first build staged them (the checkout's may have been edited since)
    sources = [build_dir / "src" / "notebooks" / name for name in NOTEBOOKS]
    changed = tmp_path / NOTEBOOKS[0]
    nb = nbformat.read(sources[0], as_version=4)
    last = [cell for cell in nb.cells if cell.cell_type == "code"][-1]
    last.source += '\nprint("a line added by test_site")'  # one changed cell, the others as they were
    nbformat.write(nb, changed)
    again = build_site.build(copy, fast=True, quiet=True, notebooks=[changed, *sources[1:]],
                             cache=copy / result.cache.relative_to(build_dir.resolve()))
    assert again.executed == [NOTEBOOKS[0]], again.executed
    assert "a line added by test_site" in (again.html / "notebooks" / "00_start_here.html").read_text()
    assert "a line added by test_site" not in _notebook_page(result.html, NOTEBOOKS[0])


# ------------------------------------------------------------------------------------------------ the static views

def test_static_view_of_widgets_without_a_kernel():
    """The kernel side of the site alone: pictures, sounds, texts and control values become plain HTML."""
    import ipywidgets as widgets

    from course_utils.audio_player import AudioPlayer
    from course_utils.widgets import EXPLORERS

    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")
    player = AudioPlayer("a click")
    player.set(__import__("numpy").zeros(80), 8000)
    hidden = widgets.HTML("secret", layout=widgets.Layout(display="none"))
    box = widgets.VBox([widgets.HTML("<b>title</b>"), widgets.Image(value=png, format="png"), player.widget,
                        widgets.FloatSlider(value=0.25, description="gain", readout_format=".2f"), hidden])
    static = kernel_startup.view(box)
    assert 'src="data:image/png;base64,' in static and 'src="data:audio/wav;base64,' in static
    assert "<b>gain</b> 0.25" in static and "<b>title</b>" in static and "secret" not in static

    tone = EXPLORERS["tone"]()
    tone.controls["frequency"].value = 500.0
    static = kernel_startup.view(tone.widget)
    assert base64.b64encode(tone.snapshot()).decode() in static
    assert "<b>frequency (Hz)</b> 500" in static and kernel_startup.LAUNCH_PLACEHOLDER in static


def test_explorer_display_bundle_holds_the_widget_and_its_picture(monkeypatch):
    """``display(explorer)``: JupyterLab gets the widget view, front ends without widgets the snapshot."""
    import IPython.display

    from course_utils.widgets import EXPLORERS

    published = []
    monkeypatch.setattr(IPython.display, "publish_display_data", lambda data, *a, **k: published.append(data))
    tone = EXPLORERS["tone"](frequency=250.0)
    tone._ipython_display_()
    (bundle,) = published
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == tone.widget.model_id
    assert base64.b64decode(bundle["image/png"]) == tone.snapshot()
    assert "frequency = 250" in bundle["text/plain"] and "amplitude" in bundle["text/plain"]


# ------------------------------------------------------------------------------------------------ in Chromium

_PAGE_CHECKS = r"""
async () => {
  if (window.MathJax && MathJax.startup) { await MathJax.startup.promise; }
  const images = [...document.images];
  const broken = [];
  for (const img of images) {
    let ok = true;
    try { await img.decode(); } catch (e) { ok = false; }
    if (!ok || !img.naturalWidth) broken.push(img.getAttribute('src').slice(0, 120));
  }
  const audio = [...document.querySelectorAll('.cell_output audio')];
  const silent = [];
  for (const a of audio) {
    const src = a.currentSrc || a.src || (a.querySelector('source') || {}).src;
    const probe = new Audio(src);
    const ok = await new Promise(r => { probe.onloadedmetadata = () => r(probe.duration > 0);
                                        probe.onerror = () => r(false); setTimeout(() => r(false), 30000); });
    if (!ok) silent.push((src || '').slice(0, 60));
  }
  const prose = document.querySelector('article') || document.body;
  const walker = document.createTreeWalker(prose, NodeFilter.SHOW_TEXT);
  const raw = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement.closest('pre, code, script, style, .cell_output, mjx-container')) continue;
    if (/\$[^$\s][^$]*\$|\\\(|\\\[/.test(n.textContent)) raw.push(n.textContent.slice(0, 80));
  }
  const math = [...document.querySelectorAll('span.math, div.math')];
  const unrendered = math.filter(m => !m.querySelector('mjx-container svg')).map(m => m.textContent.slice(0, 60));
  const outputs = [...document.querySelectorAll('.cell_output')].map(o => o.innerText);
  return {
    images: images.length,
    outputImages: document.querySelectorAll('.cell_output img').length,
    audio: audio.length, broken, silent, raw, unrendered, math: math.length,
    tracebacks: outputs.filter(t => t.includes('Traceback')).map(t => t.slice(0, 200)),
    errors: document.querySelectorAll('.cell_output .error, .cell_output .traceback, .output.error').length,
    ids: [...document.querySelectorAll('[id]')].map(e => e.id),
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    toc: [...document.querySelectorAll('nav.bd-links a.reference.internal')].map(a => a.textContent.trim()),
    search: !!document.querySelector('form.bd-search input[name="q"], button.search-button-field'),
  };
}
"""


def _executed(result: build_site.SiteBuild, build_dir: Path, notebook: str):
    """The executed notebook as the build's jupyter-cache holds it (the outputs the page was made from)."""
    from jupyter_cache import get_cache

    cache = get_cache(result.cache)
    record = cache.match_cache_notebook(nbformat.read(build_dir / "src" / "notebooks" / notebook, as_version=4))
    return cache.get_cache_bundle(record.pk).nb


def _expected_media(result: build_site.SiteBuild, build_dir: Path, notebook: str) -> tuple[int, int]:
    """Pictures and audio players the executed notebook's outputs hold, as the site renders them (HTML when a
    bundle has it, else a picture)."""
    executed = _executed(result, build_dir, notebook)
    images = audio = 0
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                images += data["text/html"].count("<img")
                audio += data["text/html"].count("<audio")
            elif "image/png" in data or "image/jpeg" in data:
                images += 1
    return images, audio


def _open(page, url):
    page.goto(url)
    page.wait_for_load_state("load")
    return page.evaluate(_PAGE_CHECKS)


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    try:
        jb.chromium_path()
    except jb.LaunchError as error:
        pytest.fail(str(error))
    with sync_playwright() as playwright:
        browser = jb.launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


def test_every_page_in_chromium_from_file_urls(site, chromium):
    result, build_dir = site
    html = result.html
    page = chromium.new_page(viewport=jb.VIEWPORT)
    page.set_default_timeout(120_000)
    outside, errors = [], []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file://", "data:")) else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    found, targets = {}, []
    for path in _pages(html):
        report = _open(page, path.as_uri())
        name = path.relative_to(html).as_posix()
        found[name] = set(report["ids"])
        targets += [(name, link) for link in report["links"] if link.startswith("file://")]
        assert not report["broken"], f"{name}: broken images {report['broken'][:3]}"
        assert not report["raw"], f"{name}: formulas left as text: {report['raw'][:3]}"
        assert not report["unrendered"], f"{name}: formulas MathJax did not render: {report['unrendered'][:3]}"
        assert not report["tracebacks"] and not report["errors"], f"{name}: {report['tracebacks'][:1]}"
        assert not report["silent"], f"{name}: audio that does not load: {report['silent'][:3]}"
        if name.startswith("notebooks/"):
            notebook = Path(name).with_suffix(".ipynb").name
            images, audio = _expected_media(result, build_dir, notebook)
            assert (report["outputImages"], report["audio"]) == (images, audio), (
                f"{name}: {report['outputImages']} pictures and {report['audio']} players on the page, "
                f"the executed notebook has {images} and {audio}")
            assert images > 0, f"{name}: no figure at all"
            staged = nbformat.read(build_dir / "src" / "notebooks" / notebook, as_version=4)  # what the build read
            has_math = any("$" in cell.source for cell in staged.cells if cell.cell_type == "markdown")
            assert report["math"] > 0 or not has_math, f"{name}: no formula typeset"
            toc = [entry for entry in report["toc"] if re.match(r"\d\d ·", entry)]
            assert [entry[:2] for entry in toc] == [n[:2] for n in NOTEBOOKS], f"{name}: table of contents {toc}"
            assert report["search"], f"{name}: no search box"
    assert not outside, f"pages fetched from elsewhere: {outside[:5]}"
    assert not errors, f"script errors: {errors[:3]}"
    assert sum(1 for name in found if name.startswith("notebooks/")) == len(NOTEBOOKS)
    assert len(targets) > 100, "too few internal links found: the link check looks at nothing"
    broken = broken_links(targets, found, html)
    assert not broken, f"broken internal links: {broken[:5]}"
    page.close()


def test_the_page_checks_catch_a_bad_page(chromium, tmp_path):
    """The in-page checks on a page built to fail each of them (no site needed): a picture that does not
    decode, a sound that does not load, a formula left as text, a math element MathJax never typeset, a
    Traceback in an output; a clean copy of the same page passes."""
    png = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")
    good_body = (f'<article><p>Prose without formulas.</p><div class="cell_output">'
                 f'<img src="data:image/png;base64,{png}"><pre>all fine</pre></div></article>')
    bad_body = ('<article><p>The energy $E = x^2$ of a frame.</p><span class="math">\\(x\\)</span>'
                '<div class="cell_output"><img src="missing.png"><audio controls src="missing.wav"></audio>'
                '<pre>Traceback (most recent call last):\n  ValueError: no</pre></div></article>')
    page = chromium.new_page(viewport=jb.VIEWPORT)
    try:
        reports = {}
        for name, body in (("good", good_body), ("bad", bad_body)):
            path = tmp_path / f"{name}.html"
            path.write_text(f"<!doctype html><html><body>{body}</body></html>")
            reports[name] = _open(page, path.as_uri())
        good, bad = reports["good"], reports["bad"]
        assert good["outputImages"] == 1 and not any(good[k] for k in ("broken", "silent", "raw", "unrendered",
                                                                          "tracebacks")), good
        assert bad["broken"] == ["missing.png"], bad["broken"]
        assert bad["silent"] and bad["audio"] == 1, bad
        assert bad["raw"] and "E = x^2" in bad["raw"][0], bad["raw"]
        assert bad["unrendered"] and bad["math"] == 1, bad
        assert bad["tracebacks"] and "ValueError" in bad["tracebacks"][0], bad["tracebacks"]
    finally:
        page.close()


@pytest.fixture(scope="module")
def http_server(site):
    """``python -m http.server`` on the built pages (127.0.0.1, a free port), stopped after the module."""
    port = jb._free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(site[0].html)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_search_and_pages_over_http_server(http_server, chromium):
    page = chromium.new_page(viewport=jb.VIEWPORT)
    page.set_default_timeout(120_000)
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((http_server, "data:")) else None)
    report = _open(page, http_server + "notebooks/01_audio_representations.html")
    assert report["math"] > 0 and not report["unrendered"] and not report["broken"]
    page.goto(http_server + "search.html?q=spectrogram")
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(state="attached")
    titles = " ".join(results.all_inner_texts())
    assert "01 · Audio data representations" in titles, titles[:300]
    assert not outside, f"pages fetched from elsewhere: {outside[:5]}"
    page.close()


def test_jupyterlab_shows_display_explorer_as_the_live_widget(tmp_path, chromium):
    """``display(explorer)`` publishes the widget view beside the picture: JupyterLab picks the live widget."""
    start = "00_start_here.ipynb"
    cell = "display(tone_explorer)\ntone_explorer.controls['frequency'].value = 2000.0"
    try:
        lab = jb.JupyterLab(tmp_path, [start], extra_cells={start: [cell]}).start()
    except jb.LaunchError as error:
        pytest.fail(str(error))
    page = chromium.new_page(viewport=jb.VIEWPORT)
    page.set_default_timeout(120_000)
    try:
        jb.open_notebook(page, lab, start)
        progress = jb.run_all(page, timeout=300)
        assert not jb.tracebacks(page) and progress["todo"] == 0, progress
        last = page.locator(".jp-Notebook .jp-CodeCell").last
        live = last.locator(".course-explorer-tone")
        live.wait_for(state="visible")
        assert live.locator("img.course-picture").count() == 1
        assert last.locator(".jp-RenderedImage").count() == 0, "JupyterLab showed the fallback picture"
        readout = live.locator(".course-control-frequency .widget-readout")
        # the live view follows the kernel (the log slider's handle may snap to its nearest step)
        page.wait_for_function("(el) => Math.abs(parseFloat(el.textContent) - 2000) < 100", arg=readout.element_handle())
    finally:
        page.close()
        lab.shutdown_kernel(start)
        lab.stop()

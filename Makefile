# The course's two commands (see README.md):
#   make lab    create/refresh the environment and open JupyterLab on notebooks/
#   make test   create/refresh the same environment and run every test
# Both are safe to re-run: the environment is rebuilt only when pyproject.toml changes.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# The course's shared data folder beside the checkout (a lecture hall's USB copy, or CI's copy).
# When it exists, the data layer copies from it instead of downloading (same checksums), and
# librosa finds its example recordings there. Either variable can be set by hand instead.
SHARED_DATA := $(abspath ../shared/data)
ifneq ($(wildcard $(SHARED_DATA)/fsdd/recordings),)
export COURSE_DATA_MIRROR ?= $(SHARED_DATA)
endif
ifneq ($(wildcard $(SHARED_DATA)/librosa),)
export LIBROSA_DATA_DIR ?= $(SHARED_DATA)/librosa
endif
export NO_ALBUMENTATIONS_UPDATE := 1
export TF_CPP_MIN_LOG_LEVEL ?= 3

.PHONY: lab test env browser bench bench-browser clean-notebooks

env: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 10) <= v <= (3, 12) else f"Python 3.10 to 3.12 is needed, $(PYTHON) is {v[0]}.{v[1]}: run make with PYTHON=python3.12 (or similar)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

# JupyterLab's defaults for this environment: no "get notified about Jupyter news?" toast over the explorers,
# no update check (tools/jupyterlab-overrides.json; a student's own settings still win).
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

$(LAB_OVERRIDES): tools/jupyterlab-overrides.json $(STAMP)
	@mkdir -p $(dir $@)
	cp $< $@

lab: $(STAMP) $(LAB_OVERRIDES)
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/00_start_here.ipynb

# Every test: unit tests, notebooks under nbval (fast mode), and the real-browser test.
test: $(STAMP) $(LAB_OVERRIDES) browser
	COURSE_FAST=1 $(BIN)/python -m pytest

# Debian's Chromium for the browser test (Playwright drives it; it downloads no browser of its own).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser test"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

# Latency and speed figures (printed, never asserted).
bench: $(STAMP)
	$(BIN)/python bench/widgets.py

# What a student waits for in a real browser (JupyterLab + Chromium), next to the kernel's share.
bench-browser: $(STAMP) $(LAB_OVERRIDES) browser
	COURSE_FAST=1 $(BIN)/python bench/browser.py

clean-notebooks: $(STAMP)
	$(BIN)/python tools/nbsync.py sync

# The presentation view (README, "Presenting"): the notebooks as Voila apps that run top to bottom and show
# headings, formulas, explorers and players but no code, in presentation mode (large fonts). NB=05 (the start of
# a notebook's file name) opens one notebook; without NB, Voila's list of all of them. Settings: tools/voila/voila.json.
.PHONY: present
NB ?=
PRESENT_NOTEBOOK = $(firstword $(wildcard notebooks/$(NB)*.ipynb))

present: $(STAMP)
	$(if $(NB),$(if $(PRESENT_NOTEBOOK),,$(error NB=$(NB) names no notebook in notebooks/: use 00 to 06, e.g. make present NB=04)))
	COURSE_PRESENTATION=1 $(BIN)/voila --Voila.config_file_paths=$(CURDIR)/tools/voila $(if $(NB),$(PRESENT_NOTEBOOK),notebooks/)

# The course as a website (README, "The course as a website"): every notebook executed in full mode on a fresh
# kernel and rendered by Sphinx + MyST-NB into site/_build/full/html/; outputs are cached (jupyter-cache), so a
# rebuild executes only the notebooks whose code changed. site-preview serves the pages on localhost:8000.
.PHONY: site site-preview

site: $(STAMP)
	$(BIN)/python tools/build_site.py

site-preview: site
	@echo "Serving the course's pages on http://127.0.0.1:8000/ (Ctrl+C stops)"
	$(BIN)/python -m http.server 8000 --bind 127.0.0.1 --directory site/_build/full/html

# The two commands of the README's quick start:
#   make book   -- set up .venv, execute every notebook, write the HTML site (both editions:
#                  English in _build/html, Japanese in _build/html/ja; tools/build_book.py)
#   make test   -- lint; unit tests, the English notebooks under nbval, a strict build of both
#                  editions and the browser test; then the Japanese notebooks (the same code)
#                  under another BLAS kernel and NumPy's baseline SIMD (tools/portability_check.py),
#                  so a checked output that depends on the CPU fails here and not on a reader's
#                  machine. Both runs use every core (pytest-xdist; see pyproject.toml)
# Everything runs from .venv, which these targets create from requirements.txt on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: book test lab student execute benchmarks browser-deps clean help

help:
	@echo "make book        build the book into _build/html, its Japanese edition into _build/html/ja"
	@echo "make test        run the whole test suite (lint, unit, nbval, strict build, browser, portability)"
	@echo "make lab         open the notebooks in JupyterLab with live sliders"
	@echo "make student     write the student edition (solutions removed) to student/"
	@echo "make execute     re-run every chapter notebook in place so stored outputs are fresh"
	@echo "make benchmarks  print the speed figures"

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; try: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

book: $(STAMP)
	$(BIN)/python tools/build_book.py

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest
	$(BIN)/python tools/portability_check.py

# Jupyter refuses to start as root unless told; containers and hosted servers often run as root.
lab: $(STAMP)
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) chapters/

student: $(STAMP)
	$(BIN)/python tools/make_student_edition.py --out student

execute: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py chapters/*.ipynb ja/chapters/*.ipynb

benchmarks: $(STAMP)
	$(BIN)/python benchmarks/bench_mathlib.py
	$(BIN)/python benchmarks/bench_widgets.py

clean:
	rm -rf _build student

# The two commands that do everything on a fresh machine (Python 3.11+ and make):
#   make serve   set up .venv, validate, build and serve the site on http://127.0.0.1:8000
#   make test    same set-up, then the whole test suite (lint, types, unit, site, browser)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test setup validate build check-size lint typecheck unit browser schema bench bench-eval eval-demo clean

# Serving needs only the package; the test tools (Playwright, mypy, ...) come with the test targets.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(STAMP)

# The deep extra brings torch 2.13.0 (CPU wheel from this machine's disk, about 1.9 GB in the venv) so the
# SyncNet, LPIPS, FID, FVD and ArcFace tests run for real.
$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,eval,deep]'
	touch $(TEST_STAMP)

setup: $(TEST_STAMP)

validate: $(STAMP)
	$(BIN)/thg validate

build: validate
	$(BIN)/thg build

# The deploy workflow runs this before uploading: GitHub Pages refuses a site over 1 GB.
check-size:
	$(PYTHON) scripts/check_site_size.py site

serve: validate
	$(BIN)/thg serve --addr 127.0.0.1:8000

schema: $(STAMP)
	$(BIN)/thg schema

lint: $(TEST_STAMP)
	$(BIN)/ruff check thg tests bench scripts
	$(BIN)/mypy

unit: $(TEST_STAMP)
	$(BIN)/pytest -q -m "not browser"

browser: $(TEST_STAMP)
	$(BIN)/pytest -q -m browser

test: $(TEST_STAMP)
	$(BIN)/thg validate
	$(BIN)/thg schema --check
	$(BIN)/ruff check thg tests bench scripts
	$(BIN)/mypy
	$(BIN)/pytest -q

bench: $(TEST_STAMP)
	$(BIN)/python bench/validate_speed.py
	$(BIN)/python bench/export_speed.py
	$(BIN)/python bench/explorer_speed.py
	$(BIN)/python bench/hostile_speed.py

# The synthetic clip (astronaut + espeak-ng), scored and plotted: build/eval-demo/ and the Evaluate page.
eval-demo: $(TEST_STAMP)
	$(BIN)/python -m thg.eval.demo --out build/eval-demo --page docs/evaluate.md

bench-eval: $(TEST_STAMP)
	$(BIN)/python bench/eval_speed.py
	$(BIN)/python bench/eval_memory.py
	$(BIN)/python bench/eval_deep_speed.py

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache

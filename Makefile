# 互联网+不动产登记 — every command bootstraps what it needs (venv, packages) on first use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: help run test test-fast bench lint seed venv fonts clean package openapi

help: ## list the commands
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements/dev.txt functions/core/requirements.txt $(wildcard tools/system-packages.txt)
	@tools/bootstrap-system.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	@touch $(STAMP)

venv: $(STAMP) ## create .venv and install the pinned packages

FONTS := build/fonts-layer/fonts/estate-sans-gb2312.ttf
$(FONTS): tools/subset_font.py $(STAMP)
	$(BIN)/python tools/subset_font.py

fonts: $(FONTS) ## build the PDF fonts (GB 2312 subset + full fallback) into build/fonts-layer (the FontsLayer)

run: $(STAMP) $(FONTS) ## start the whole system locally on an embedded AWS (PORT=8000)
	PYTHONUNBUFFERED=1 $(BIN)/python -m local.server --port $(PORT)

test: $(STAMP) $(FONTS) ## run every test (unit, functional, contract, state machine, end-to-end)
	$(BIN)/python -m pytest

test-fast: $(STAMP) $(FONTS) ## unit and contract tests only
	$(BIN)/python -m pytest tests/unit tests/contract

bench: $(STAMP) $(FONTS) ## print benchmark figures as `name value unit` lines
	$(BIN)/python -m bench

package: $(STAMP) $(FONTS) ## build Lambda zips, the dependency layer (arm64 wheels, no Docker) and build/package/template.json
	$(BIN)/python tools/package.py

openapi: $(STAMP) ## regenerate docs/openapi.json from the Chalice routes and template.yaml
	$(BIN)/python tools/openapi.py

lint: $(STAMP) ## cfn-lint the template
	$(BIN)/cfn-lint template.yaml

seed: $(STAMP) ## regenerate data/seed/register.json (deterministic)
	$(BIN)/python tools/gen_seed.py

clean: ## remove the venv and caches
	rm -rf $(VENV) .pytest_cache build

# 互联网+不动产登记 — every command bootstraps what it needs (venv, packages) on first use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: help run test test-fast bench lint lint-code lint-web seed venv web web-app web-desk web-bank release-app fonts clean package openapi

help: ## list the commands
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements/dev.txt functions/core/requirements.txt $(wildcard tools/system-packages.txt)
	@tools/bootstrap-system.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	@touch $(STAMP)

venv: $(STAMP) ## create .venv and install the pinned packages

# The browser code's npm workspace (web/): `npm ci` from the committed lock (dev packages included: the
# generated-client check, web/contract/; optional ones too: Vite's bundler, rolldown, is a native binding
# shipped as an optional package per platform). The apps bundle PDF.js themselves (Vite).
WEB_STAMP := web/node_modules/.installed
$(WEB_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $(WEB_STAMP)

web: $(WEB_STAMP) ## install web/'s pinned npm packages (the apps' toolchain, the generated-client check)

# The citizen H5 app (web/src/app → build/web/app, served at /app/). Its API types (web/src/api/schema.d.ts)
# and enum labels (web/src/shared/labels.gen.ts) are generated from docs/openapi.json first — not
# committed: they are derived, and every regeneration of the document would otherwise conflict.
# Rebuilt only when a source, a config or the document changed (make test stays fast).
WEB_GENERATED := web/src/api/schema.d.ts web/src/shared/labels.gen.ts
WEB_SOURCES := $(shell find web/src -type f -not -name schema.d.ts -not -name labels.gen.ts 2>/dev/null) \
	web/index.html web/vite.config.mjs web/tsconfig.json
WEB_APP := build/web/app/index.html
$(WEB_GENERATED) &: docs/openapi.json web/scripts/gen-labels.mjs $(WEB_STAMP)
	cd web && npm run --silent gen
$(WEB_APP): $(WEB_SOURCES) $(WEB_GENERATED) $(WEB_STAMP)
	cd web && npx vite build --logLevel warn

web-app: $(WEB_APP) ## build the citizen H5 app into build/web/app (served at /app/ by make run)

# Release the built app to a deployed stack's AppBucket (app/ prefix, Cache-Control per file, index.html
# last) and invalidate its unhashed paths on the distribution (infra/release_app.py; AWS credentials
# from the usual chain). STACK= the CloudFormation stack name.
release-app: $(WEB_APP) $(STAMP) ## upload build/web/app to STACK's AppBucket and invalidate CloudFront (STACK=…)
	@test -n "$(STACK)" || { echo "usage: make release-app STACK=<stack name>"; exit 2; }
	$(BIN)/python infra/release_app.py --stack $(STACK)

# The clerk's desk (web/src/desk, Element Plus → build/web/desk, served at /office/), its own Vite config.
WEB_DESK := build/web/desk/desk.html
$(WEB_DESK): $(WEB_SOURCES) web/desk.html web/vite.desk.config.mjs web/vite.staff.mjs $(WEB_GENERATED) $(WEB_STAMP)
	cd web && npx vite build --config vite.desk.config.mjs --logLevel warn

web-desk: $(WEB_DESK) ## build the clerk's desk into build/web/desk (served at /office/ by make run)

# The bank desk (web/src/bank, Element Plus → build/web/bank, served at /bank/), its own Vite config.
WEB_BANK := build/web/bank/bank.html
$(WEB_BANK): $(WEB_SOURCES) web/bank.html web/vite.bank.config.mjs web/vite.staff.mjs $(WEB_GENERATED) $(WEB_STAMP)
	cd web && npx vite build --config vite.bank.config.mjs --logLevel warn

web-bank: $(WEB_BANK) ## build the bank desk into build/web/bank (served at /bank/ by make run)

# vue-tsc and ESLint over web/ (make lint runs it every time). make test runs it only when something they
# read changed since it last passed (the stamp): vue-tsc is ~30 s of CPU, and a fresh clone (CI) always runs it.
LINT_WEB := cd web && npx vue-tsc --noEmit -p tsconfig.json && npx eslint --max-warnings 0 .
WEB_LINTED := build/web/.linted
WEB_LINT_INPUTS := $(WEB_SOURCES) $(WEB_GENERATED) $(WEB_STAMP) web/desk.html web/vite.desk.config.mjs \
	web/bank.html web/vite.bank.config.mjs web/vite.staff.mjs \
	web/eslint.config.mjs $(shell find web/scripts web/contract -type f 2>/dev/null)
lint-web: $(WEB_GENERATED) $(WEB_STAMP) ## type-check (vue-tsc) and lint (eslint) the browser code
	$(LINT_WEB)
$(WEB_LINTED): $(WEB_LINT_INPUTS)
	$(LINT_WEB)
	@mkdir -p $(@D) && touch $@

FONTS := build/fonts-layer/fonts/estate-sans-gb2312.ttf
$(FONTS): tools/subset_font.py $(STAMP)
	$(BIN)/python tools/subset_font.py

fonts: $(FONTS) ## build the PDF fonts (GB 2312 subset + full fallback) into build/fonts-layer (the FontsLayer)

run: $(STAMP) $(FONTS) $(WEB_STAMP) $(WEB_APP) $(WEB_DESK) $(WEB_BANK) ## start the whole system locally on an embedded AWS (PORT=8000)
	PYTHONUNBUFFERED=1 $(BIN)/python -m local.server --port $(PORT)

# Tests run in WORKERS processes (pytest-xdist), each test file whole on one worker (module fixtures
# and in-file order hold); each worker builds its own in-process stack. 2 = CI's cores: more workers on
# two cores only contend (decision log: "The suite in two worker processes").
WORKERS ?= 2
PARALLEL := -n $(WORKERS) --dist loadfile

test: lint-code $(WEB_LINTED) $(STAMP) $(FONTS) $(WEB_STAMP) $(WEB_APP) $(WEB_DESK) $(WEB_BANK) ## ruff and mypy, then every test (unit, functional, contract, state machine, end-to-end)
	$(BIN)/python -m pytest $(PARALLEL)

test-fast: $(STAMP) $(FONTS) $(WEB_STAMP) ## unit and contract tests only
	$(BIN)/python -m pytest $(PARALLEL) tests/unit tests/contract

bench: $(STAMP) $(FONTS) $(WEB_APP) ## print benchmark figures as `name value unit` lines
	$(BIN)/python -m bench

package: $(STAMP) $(FONTS) $(WEB_STAMP) ## build Lambda zips, the dependency layer (arm64 wheels, no Docker) and build/package/template.json
	$(BIN)/python tools/package.py

openapi: $(STAMP) ## regenerate docs/openapi.json from the Chalice routes and template.yaml
	$(BIN)/python tools/openapi.py

# The code gate (seconds): ruff with the rule families the code's noqa comments name, mccabe <= 15
# and RUF100; mypy strict on estate/domain and estate/store. Both configured in pyproject.toml.
lint-code: $(STAMP) ## ruff and mypy only (make test runs this first)
	$(BIN)/ruff check .
	$(BIN)/mypy

# cfn-lint takes ~10 s; make test runs it too, as tests/contract/test_template_contract.py.
lint: lint-code lint-web ## ruff, mypy, vue-tsc + eslint, and cfn-lint the template
	$(BIN)/cfn-lint template.yaml

seed: $(STAMP) ## regenerate data/seed/register.json (deterministic)
	$(BIN)/python tools/gen_seed.py

clean: ## remove the venv and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build web/node_modules
